//! Silence (seed 003): a lead with no interaction for N days loses points by tier, and the
//! reactivation campaign step that is due (30 / 45 / 60 days by default).
//!
//! No deduction tiers by default: seed 003 gives them as a table (「如下表」) that its text
//! lacks, so the tiers of the `b2b_default` preset are assumed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::behavior::{EventKinds, kind_mask};
use super::check;
use crate::error::ConfigError;
use crate::time::SECONDS_PER_DAY;

/// The silence model: what counts as an interaction, the deduction tiers and the reactivation
/// steps.
///
/// ```
/// use leadcore::score::silence::SilenceModel;
/// let m: SilenceModel = serde_json::from_str(r#"{"tiers": [
///     {"after_days": 7, "points": -5}, {"after_days": 30, "points": -20}]}"#).unwrap();
/// assert_eq!(m.reactivation_days, vec![30.0, 45.0, 60.0]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SilenceModel {
    /// Event kinds that end a silence (`"any"` by default).
    #[serde(default = "any_kind")]
    pub kinds: EventKinds,
    /// Deduction tiers: after `after_days` days without interaction, `points` (≤ 0) are added
    /// to the behavior score. Only the deepest tier reached applies (tiers do not add up).
    #[serde(default)]
    pub tiers: Vec<SilenceTier>,
    /// Days of silence at which reactivation campaigns are due, ascending.
    #[serde(default = "default_reactivation")]
    pub reactivation_days: Vec<f64>,
}

fn any_kind() -> EventKinds {
    EventKinds::Any
}

/// 30 / 45 / 60 days — quoted (seed 003: 「在客户缄默的30天后、45天后、60天后」).
fn default_reactivation() -> Vec<f64> {
    vec![30.0, 45.0, 60.0]
}

impl Default for SilenceModel {
    fn default() -> Self {
        Self {
            kinds: EventKinds::Any,
            tiers: Vec::new(),
            reactivation_days: default_reactivation(),
        }
    }
}

/// One silence deduction tier.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SilenceTier {
    /// Days without interaction from which the tier applies (inclusive, > 0).
    pub after_days: f64,
    /// Points added to the behavior score (a deduction: ≤ 0).
    pub points: f64,
}

/// Where a lead stands on silence as of `now`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SilenceState {
    /// The latest interaction at or before `now`; `null` when there was none (silence then
    /// counts from the lead's `created_at`).
    #[serde(with = "crate::time::rfc3339::option")]
    #[schemars(with = "Option<crate::time::InstantSchema>")]
    pub last_interaction: Option<DateTime<Utc>>,
    /// Days since the last interaction (or creation), ≥ 0, rounded to 4 decimals.
    pub days_silent: f64,
    /// `after_days` of the deduction tier reached, if any.
    pub tier_after_days: Option<f64>,
    /// The deduction applied (≤ 0; 0 when no tier is reached).
    pub points: f64,
    /// The latest reactivation step reached (days), if any.
    pub reactivation_due: Option<f64>,
    /// The next reactivation step (days), if any is left.
    pub next_reactivation: Option<f64>,
}

impl SilenceModel {
    /// Checks kinds, tiers and steps; `path` is the JSON path of the silence object.
    pub fn validate_at(&self, path: &str) -> Result<(), ConfigError> {
        kind_mask(&self.kinds, &check::at(path, "kinds"))?;
        let tiers = check::at(path, "tiers");
        for (i, t) in self.tiers.iter().enumerate() {
            let p = check::nth(&tiers, i);
            check::days(t.after_days, &check::at(&p, "after_days"))?;
            check::points(t.points, &check::at(&p, "points"))?;
            if t.points > 0.0 {
                return Err(ConfigError::invalid(
                    format!("a silence tier deducts points: `{}` must be ≤ 0", t.points),
                    check::at(&p, "points"),
                ));
            }
            if let Some(prev) = i.checked_sub(1).and_then(|j| self.tiers.get(j)) {
                if t.after_days <= prev.after_days {
                    return Err(ConfigError::invalid(
                        "tiers must be sorted by strictly increasing `after_days`",
                        check::at(&p, "after_days"),
                    ));
                }
                if t.points > prev.points {
                    return Err(ConfigError::invalid(
                        "a longer silence cannot deduct fewer points",
                        check::at(&p, "points"),
                    ));
                }
            }
        }
        let steps = check::at(path, "reactivation_days");
        for (i, d) in self.reactivation_days.iter().enumerate() {
            let p = check::nth(&steps, i);
            check::days(*d, &p)?;
            if i > 0
                && self
                    .reactivation_days
                    .get(i - 1)
                    .is_some_and(|prev| d <= prev)
            {
                return Err(ConfigError::invalid(
                    "reactivation steps must be strictly increasing",
                    p,
                ));
            }
        }
        Ok(())
    }

    /// The silence state of a lead whose last interaction (or creation, when `last` is `None`)
    /// was at `since`, as of `now`; all times in Unix seconds.
    pub(crate) fn state(&self, last: Option<i64>, since: i64, now: i64) -> SilenceState {
        let from = last.unwrap_or(since);
        let days = (now.saturating_sub(from)).max(0) as f64 / SECONDS_PER_DAY;
        let tier = self.tiers.iter().rev().find(|t| days >= t.after_days);
        SilenceState {
            last_interaction: last.and_then(|t| DateTime::from_timestamp(t, 0)),
            days_silent: check::round(days),
            tier_after_days: tier.map(|t| t.after_days),
            points: tier.map_or(0.0, |t| t.points),
            reactivation_due: self
                .reactivation_days
                .iter()
                .rev()
                .find(|d| days >= **d)
                .copied(),
            next_reactivation: self.reactivation_days.iter().find(|d| days < **d).copied(),
        }
    }

    /// The deduction only (the fast path of [`SilenceModel::state`]).
    #[inline]
    pub(crate) fn points(&self, last: Option<i64>, since: i64, now: i64) -> f64 {
        if self.tiers.is_empty() {
            return 0.0;
        }
        let days = (now.saturating_sub(last.unwrap_or(since))).max(0) as f64 / SECONDS_PER_DAY;
        self.tiers
            .iter()
            .rev()
            .find(|t| days >= t.after_days)
            .map_or(0.0, |t| t.points)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> SilenceModel {
        SilenceModel {
            tiers: vec![
                SilenceTier {
                    after_days: 7.0,
                    points: -5.0,
                },
                SilenceTier {
                    after_days: 30.0,
                    points: -20.0,
                },
            ],
            ..SilenceModel::default()
        }
    }

    #[test]
    fn deepest_tier_applies() {
        let m = model();
        let day = 86_400;
        let s = m.state(Some(0), 0, 31 * day);
        assert_eq!((s.points, s.tier_after_days), (-20.0, Some(30.0)));
        assert_eq!(
            (s.reactivation_due, s.next_reactivation),
            (Some(30.0), Some(45.0))
        );
        let s = m.state(None, 0, 3 * day);
        assert_eq!((s.points, s.last_interaction), (0.0, None));
        assert_eq!(m.points(Some(0), 0, 8 * day), -5.0);
        // a creation in the future is zero days of silence
        assert_eq!(m.state(None, 10 * day, day).days_silent, 0.0);
    }

    #[test]
    fn tiers_must_deepen() {
        let mut m = model();
        m.tiers[1].points = -1.0;
        let e = m.validate_at("silence").unwrap_err();
        assert_eq!(e.path, "silence.tiers[1].points");
        m.tiers[1].points = 3.0;
        assert_eq!(m.validate_at("s").unwrap_err().path, "s.tiers[1].points");
    }
}
