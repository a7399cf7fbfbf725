//! Journeys and path counts: what attribution takes as input.
//!
//! A [`Journey`] is one lead's (or account's) touchpoints and its outcome. A [`PathCount`] is
//! the aggregated form ChannelAttribution takes: a path string `a > b > c` with the number of
//! journeys along it that converted and that did not, and their total value.
//!
//! Rules applied to both (see [`AttributionError`] for the codes):
//! - touchpoints are ordered by `at`; journeys given out of order are **sorted** (stable, so
//!   touches at the same instant keep their given order), as event streams arrive out of order;
//! - a journey or path needs at least one touch (`empty_journey`);
//! - channel names are trimmed; empty names (`empty_channel`) and the Markov state names
//!   `(start)`, `(conversion)`, `(null)` (`reserved_channel`) are refused;
//! - values must be finite (`not_finite`), not negative (`negative_value`), and zero when there
//!   is no conversion (`value_without_conversion`); value `0` with a conversion is fine;
//! - milestones must come in order first touch ≤ lead created ≤ opportunity created ≤ closed won
//!   (`milestone_order`), each at most once per journey (`duplicate_milestone`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::error::AttributionError;

/// Names of the Markov chain's own states, which a channel may not take.
pub const RESERVED_NAMES: [&str; 3] = ["(start)", "(conversion)", "(null)"];

/// The key used for touches without a campaign when attributing by campaign.
pub const NO_CAMPAIGN: &str = "(none)";

/// A milestone of the B2B journey that position models (U, W, full path) weight.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    /// The first touch of the journey.
    FirstTouch,
    /// The touch that created the lead (form fill, call…).
    LeadCreated,
    /// The touch at which the opportunity was created.
    OpportunityCreated,
    /// The touch at which the deal was closed won.
    ClosedWon,
}

impl Milestone {
    /// All milestones in journey order.
    pub const ALL: [Milestone; 4] = [
        Self::FirstTouch,
        Self::LeadCreated,
        Self::OpportunityCreated,
        Self::ClosedWon,
    ];

    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FirstTouch => "first_touch",
            Self::LeadCreated => "lead_created",
            Self::OpportunityCreated => "opportunity_created",
            Self::ClosedWon => "closed_won",
        }
    }

    pub(crate) fn index(self) -> usize {
        match self {
            Self::FirstTouch => 0,
            Self::LeadCreated => 1,
            Self::OpportunityCreated => 2,
            Self::ClosedWon => 3,
        }
    }
}

/// One marketing or sales touch on a journey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Touchpoint {
    /// Channel (`sem`, `seo`, `event`, `direct`…).
    pub channel: String,
    /// Campaign id or name, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
    /// When the touch happened (or was recorded, for the ownership rule).
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "crate::time::InstantSchema")]
    pub at: DateTime<Utc>,
    /// Milestones reached at this touch.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<Milestone>,
}

/// One lead's or account's journey: its touches and its outcome.
///
/// ```
/// let j: leadcore::attribution::Journey = serde_json::from_str(r#"{
///   "id": "L1",
///   "touchpoints": [
///     {"channel": "seo", "at": "2026-01-01T00:00:00Z"},
///     {"channel": "sem", "campaign": "double11", "at": "2026-01-05T00:00:00Z",
///      "milestones": ["lead_created"]}
///   ],
///   "converted": true, "value": 8000
/// }"#).unwrap();
/// assert_eq!(j.touchpoints.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Journey {
    /// The lead or account id.
    pub id: String,
    /// Touches, oldest first (sorted by `at` if not).
    pub touchpoints: Vec<Touchpoint>,
    /// Whether the journey converted (1 conversion) or not (1 null).
    #[serde(default)]
    pub converted: bool,
    /// Value of the conversion (RMB or any currency; 0 when unknown).
    #[serde(default)]
    pub value: f64,
    /// When the opportunity was created, for the ownership rule (else the touch flagged
    /// `opportunity_created` gives it).
    #[serde(
        default,
        with = "crate::time::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<crate::time::InstantSchema>")]
    pub opportunity_at: Option<DateTime<Utc>>,
}

/// Aggregated journeys along one path, as ChannelAttribution takes them.
///
/// ```
/// let p: leadcore::attribution::PathCount = serde_json::from_str(
///     r#"{"path": "seo > sem > direct", "conversions": 3, "nulls": 40, "value": 2400}"#).unwrap();
/// assert_eq!(p.nulls, 40);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PathCount {
    /// Channels separated by the configured separator (default `>`), spaces trimmed.
    pub path: String,
    /// Journeys along this path that converted.
    #[serde(default)]
    pub conversions: u64,
    /// Journeys along this path that did not convert.
    #[serde(default)]
    pub nulls: u64,
    /// Total value of the conversions.
    #[serde(default)]
    pub value: f64,
}

/// Checks a channel or campaign name and returns it trimmed.
pub(crate) fn check_name(
    raw: &str,
    path: impl FnOnce() -> String,
) -> Result<&str, AttributionError> {
    let name = raw.trim();
    check_trimmed(name, path)?;
    Ok(name)
}

/// [`check_name`] for a name that is already trimmed.
pub(crate) fn check_trimmed(
    name: &str,
    path: impl FnOnce() -> String,
) -> Result<(), AttributionError> {
    match name.as_bytes().first() {
        None => Err(AttributionError::EmptyChannel { path: path() }),
        Some(b'(') if RESERVED_NAMES.contains(&name) => Err(AttributionError::ReservedChannel {
            name: name.to_string(),
            path: path(),
        }),
        Some(_) => Ok(()),
    }
}

/// Checks a value against its conversion count.
pub(crate) fn check_value(
    value: f64,
    conversions: u64,
    path: impl FnOnce() -> String,
) -> Result<(), AttributionError> {
    if !value.is_finite() {
        return Err(AttributionError::NotFinite { path: path() });
    }
    if value < 0.0 {
        return Err(AttributionError::NegativeValue { path: path() });
    }
    if value > 0.0 && conversions == 0 {
        return Err(AttributionError::ValueWithoutConversion { path: path() });
    }
    Ok(())
}

/// A field of a touch, for error paths.
#[derive(Debug, Clone, Copy)]
pub(crate) enum TouchField {
    Channel,
    Campaign,
    Milestone(Milestone),
}

/// The touches of one journey as the accumulator reads them: a [`Journey`]'s touchpoints or the
/// rows of one journey in [`JourneyColumns`](super::columns::JourneyColumns). Touch `i` is the
/// `i`-th as given (before sorting by time).
pub(crate) trait TouchRows {
    /// Number of touches.
    fn count(&self) -> usize;
    /// Channel name of touch `i`, untrimmed.
    fn channel(&self, i: usize) -> &str;
    /// Campaign of touch `i`, untrimmed.
    fn campaign(&self, i: usize) -> Option<&str>;
    /// Unix seconds (floored) of touch `i`.
    fn seconds(&self, i: usize) -> i64;
    /// Sorts `order` (touch indices) by time, stably.
    fn sort_by_time(&self, order: &mut [usize]);
    /// Milestones flagged on touch `i`, in their given order.
    fn milestones(&self, i: usize) -> impl Iterator<Item = Milestone> + '_;
    /// The error path of a field of touch `i`.
    fn path(&self, i: usize, field: TouchField) -> String;
}

/// A journey's touchpoints, errors named under `base` (`journeys[3]`).
pub(crate) struct JourneyRows<'a> {
    pub journey: &'a Journey,
    pub base: &'a dyn Fn() -> String,
}

impl TouchRows for JourneyRows<'_> {
    fn count(&self) -> usize {
        self.journey.touchpoints.len()
    }

    fn channel(&self, i: usize) -> &str {
        self.journey
            .touchpoints
            .get(i)
            .map_or("", |t| t.channel.as_str())
    }

    fn campaign(&self, i: usize) -> Option<&str> {
        self.journey
            .touchpoints
            .get(i)
            .and_then(|t| t.campaign.as_deref())
    }

    fn seconds(&self, i: usize) -> i64 {
        self.journey
            .touchpoints
            .get(i)
            .map_or(0, |t| t.at.timestamp())
    }

    fn sort_by_time(&self, order: &mut [usize]) {
        let tps = &self.journey.touchpoints;
        if !tps.windows(2).all(|w| matches!(w, [a, b] if a.at <= b.at)) {
            order.sort_by_key(|&i| tps.get(i).map(|t| t.at));
        }
    }

    fn milestones(&self, i: usize) -> impl Iterator<Item = Milestone> + '_ {
        self.journey
            .touchpoints
            .get(i)
            .into_iter()
            .flat_map(|t| t.milestones.iter().copied())
    }

    fn path(&self, i: usize, field: TouchField) -> String {
        let name = match field {
            TouchField::Channel => "channel",
            TouchField::Campaign => "campaign",
            TouchField::Milestone(_) => "milestones",
        };
        format!("{}.touchpoints[{i}].{name}", (self.base)())
    }
}

/// A journey prepared for the models: interned keys in time order and where its milestones are.
/// Buffers are reused between journeys, so adding a journey does not allocate.
#[derive(Debug, Default, Clone)]
pub(crate) struct Touches {
    /// Interned key (channel or campaign) of each touch, in time order.
    pub keys: Vec<u32>,
    /// Whether each touch's channel is a "direct" channel (for last non-direct).
    pub direct: Vec<bool>,
    /// Seconds since the epoch of each touch; empty for path counts.
    pub times: Vec<i64>,
    /// Touch index of each milestone, when flagged.
    pub milestones: [Option<usize>; 4],
    /// Scratch: the time order of a journey's touches.
    pub order: Vec<usize>,
}

impl Touches {
    pub(crate) fn clear(&mut self) {
        self.keys.clear();
        self.direct.clear();
        self.times.clear();
        self.milestones = [None; 4];
    }

    /// Number of touches.
    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    /// Fills the milestone slots from the touches' flags (touches already in time order via
    /// `self.order`) and checks their order.
    pub(crate) fn set_milestones<T: TouchRows>(
        &mut self,
        rows: &T,
    ) -> Result<(), AttributionError> {
        for (pos, &i) in self.order.iter().enumerate() {
            for m in rows.milestones(i) {
                let slot = self.milestones.get_mut(m.index());
                if let Some(slot) = slot {
                    if slot.is_some() {
                        return Err(AttributionError::DuplicateMilestone {
                            milestone: m.as_str().to_string(),
                            path: rows.path(i, TouchField::Milestone(m)),
                        });
                    }
                    *slot = Some(pos);
                }
            }
        }
        let mut last: Option<(usize, Milestone)> = None;
        for m in Milestone::ALL {
            if let Some(Some(pos)) = self.milestones.get(m.index()) {
                if let Some((prev, _)) = last
                    && *pos < prev
                {
                    let i = self.order.get(*pos).copied().unwrap_or(0);
                    return Err(AttributionError::MilestoneOrder {
                        milestone: m.as_str().to_string(),
                        path: rows.path(i, TouchField::Milestone(m)),
                    });
                }
                last = Some((*pos, m));
            }
        }
        Ok(())
    }

    /// Where each milestone falls, filling gaps: a missing first touch is the first touch; a
    /// missing later milestone falls on the next flagged milestone, else on the last touch.
    pub(crate) fn milestone_positions(&self) -> [usize; 4] {
        let n = self.len().max(1);
        let mut out = [n - 1; 4];
        let mut next = n - 1;
        for k in (0..4).rev() {
            let flagged = self.milestones.get(k).copied().flatten();
            let pos = match (k, flagged) {
                (_, Some(p)) => p,
                (0, None) => 0,
                (_, None) => next,
            };
            if let Some(o) = out.get_mut(k) {
                *o = pos;
            }
            next = pos;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_checked() {
        assert_eq!(check_name("  sem ", || "p".into()).unwrap(), "sem");
        assert_eq!(
            check_name("  ", || "p".into()).unwrap_err().code(),
            "empty_channel"
        );
        assert_eq!(
            check_name("(null)", || "p".into()).unwrap_err().code(),
            "reserved_channel"
        );
    }

    #[test]
    fn values_are_checked() {
        assert!(check_value(10.0, 1, || "p".into()).is_ok());
        assert!(check_value(0.0, 0, || "p".into()).is_ok());
        assert_eq!(
            check_value(f64::NAN, 1, || "p".into()).unwrap_err().code(),
            "not_finite"
        );
        assert_eq!(
            check_value(-1.0, 1, || "p".into()).unwrap_err().code(),
            "negative_value"
        );
        assert_eq!(
            check_value(5.0, 0, || "p".into()).unwrap_err().code(),
            "value_without_conversion"
        );
    }

    #[test]
    fn missing_milestones_fall_on_the_next_one_or_the_last_touch() {
        let mut t = Touches {
            keys: vec![0, 1, 2, 3, 4],
            ..Default::default()
        };
        assert_eq!(t.milestone_positions(), [0, 4, 4, 4]);
        t.milestones = [None, None, Some(2), None];
        assert_eq!(t.milestone_positions(), [0, 2, 2, 4]);
        t.milestones = [Some(1), Some(1), None, Some(3)];
        assert_eq!(t.milestone_positions(), [1, 1, 3, 3]);
    }
}
