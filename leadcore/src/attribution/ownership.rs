//! The ownership rule (seed 000): which channel owns a customer that several channels recorded.
//!
//! Seed 000 says: "客户转商机之前3个月,哪个管道先录入,客户算谁的; 客户转商机超过3个月,谁后录入客户
//! 算谁的" — in the 3 months before the customer becomes an opportunity, the channel that
//! recorded it first owns it; past 3 months, the channel that recorded it later does. The
//! default rule, [`OwnershipRule::FirstInWindow`], reads it literally: the window is the 3
//! months **before the opportunity**; the earliest recorder inside it owns the customer; when no
//! channel recorded it inside the window, the last recorder before it does. The other reading,
//! [`OwnershipRule::FirstTouchWindow`] (leadcore's before 0.2), starts the window at the first
//! recorded touch: an opportunity inside it goes to the first recorder, one beyond it to the
//! last recorder. The two agree for two channels and differ from three: sem recorded the
//! customer in 2025-01, event on 2026-05-01, seo on 2026-05-20, the opportunity came on
//! 2026-06-01 — `first_in_window` says event (the first recorder since 2026-03-01),
//! `first_touch_window` says seo (sem's window closed long ago, so the last recorder).
//!
//! Touches are taken in time order (sorted if given out of order; ties keep input order);
//! touches after the opportunity do not count. The opportunity time is the journey's
//! `opportunity_at`, else the time of the touch flagged `opportunity_created`. A customer
//! without either has no owner yet (`no_opportunity`); one whose opportunity predates every
//! touch has none either (`opportunity_before_first_touch`). Month windows use calendar months
//! (Jan 31 + 1 month = Feb 28/29, May 31 - 3 months = Feb 28/29); both window ends are inclusive.

use chrono::{DateTime, Duration, Months, Utc};
use serde::{Deserialize, Serialize};

use super::error::AttributionError;
use super::journey::{Journey, Milestone, check_name};
use crate::error::{ConfigError, Error, FieldErrorKind};
use crate::input::Config;

/// The ownership window, e.g. `{"months": 3}` or `{"days": 90}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Window {
    /// Calendar months.
    Months(u32),
    /// Days of 24 hours.
    Days(u32),
}

/// 3 months — quoted (seed 000: 「客户转商机之前3个月」).
impl Default for Window {
    fn default() -> Self {
        Window::Months(3)
    }
}

impl Window {
    /// The end of the window that starts at `start` (`None` if beyond the representable range).
    pub fn end(self, start: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Window::Months(m) => start.checked_add_months(Months::new(m)),
            Window::Days(d) => start.checked_add_signed(Duration::days(i64::from(d))),
        }
    }

    /// The start of the window that ends at `end` (`None` if before the representable range).
    pub fn start(self, end: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Window::Months(m) => end.checked_sub_months(Months::new(m)),
            Window::Days(d) => end.checked_sub_signed(Duration::days(i64::from(d))),
        }
    }
}

/// Which reading of seed 000's rule decides the owner (see the module docs).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum OwnershipRule {
    /// The window is the months before the opportunity: its earliest recorder owns the
    /// customer; with no recorder inside, the last recorder before it does (the default).
    #[default]
    FirstInWindow,
    /// The window starts at the first recorded touch: the first recorder owns an opportunity
    /// inside it, the last recorder one beyond it.
    FirstTouchWindow,
}

/// Configuration of the ownership rule: `{"window": {"months": 3}, "rule": "first_in_window"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnershipConfig {
    /// The window of the rule (default 3 months).
    #[serde(default)]
    pub window: Window,
    /// Which reading of the rule (default `first_in_window`).
    #[serde(default)]
    pub rule: OwnershipRule,
}

impl Config for OwnershipConfig {
    fn validate(&self) -> Result<(), ConfigError> {
        let (n, key, max) = match self.window {
            Window::Months(m) => (m, "months", 1200),
            Window::Days(d) => (d, "days", 36_600),
        };
        if n == 0 || n > max {
            return Err(ConfigError::new(
                FieldErrorKind::InvalidValue(format!(
                    "window `{n}` {key} must be between 1 and {max}"
                )),
                format!("window.{key}"),
            ));
        }
        Ok(())
    }
}

/// Why a customer has its owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OwnershipReason {
    /// The first recorder inside the window owns it.
    WithinWindow,
    /// No recorder inside the window: the last recorder before the opportunity owns it.
    BeyondWindow,
    /// No opportunity yet: no owner.
    NoOpportunity,
    /// The opportunity predates every recorded touch: no owner.
    OpportunityBeforeFirstTouch,
}

/// A recorded touch named in an ownership decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[schemars(rename = "OwnershipRecord")]
pub struct Record {
    /// The channel that recorded the customer.
    pub channel: String,
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "crate::time::InstantSchema")]
    pub at: DateTime<Utc>,
}

/// The owner of one customer and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CustomerOwner {
    /// The journey (customer) id.
    pub id: String,
    /// The owning channel, if any.
    pub owner: Option<String>,
    /// Why.
    pub reason: OwnershipReason,
    /// The first recorded touch.
    pub first: Record,
    /// The last recorded touch at or before the opportunity, if any.
    pub last: Option<Record>,
    /// When the opportunity was created, if it was.
    #[serde(with = "crate::time::rfc3339::option")]
    #[schemars(with = "Option<crate::time::InstantSchema>")]
    pub opportunity_at: Option<DateTime<Utc>>,
    /// The touch that made the owner (the first inside the window, or the last before the
    /// opportunity), if any.
    pub owner_record: Option<Record>,
    /// Start of the window the rule looked at (inclusive): the opportunity less the window
    /// (`first_in_window`) or the first touch (`first_touch_window`).
    #[serde(with = "crate::time::rfc3339::option")]
    #[schemars(with = "Option<crate::time::InstantSchema>")]
    pub window_start: Option<DateTime<Utc>>,
    /// End of that window (inclusive): the opportunity, or the first touch plus the window.
    #[serde(with = "crate::time::rfc3339::option")]
    #[schemars(with = "Option<crate::time::InstantSchema>")]
    pub window_end: Option<DateTime<Utc>>,
}

/// How many customers a channel owns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ChannelOwnership {
    /// The channel.
    pub channel: String,
    /// Customers owned.
    pub customers: u64,
    /// Of which by recording first within the window.
    pub within_window: u64,
    /// Of which by recording last beyond the window.
    pub beyond_window: u64,
}

/// Owners per customer and totals per channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct OwnershipReport {
    /// One entry per journey, in input order.
    pub customers: Vec<CustomerOwner>,
    /// Channels that own at least one customer, sorted by name.
    pub channels: Vec<ChannelOwnership>,
    /// Customers without an owner.
    pub unowned: u64,
}

/// Applies the ownership rule to every journey (errors name them `journeys[i]`).
///
/// ```
/// use leadcore::attribution::{ownership, Journey, OwnershipConfig};
/// let journeys: Vec<Journey> = serde_json::from_str(r#"[
///   {"id": "A", "opportunity_at": "2026-03-01T00:00:00Z", "touchpoints": [
///     {"channel": "sem", "at": "2026-01-10T00:00:00Z"},
///     {"channel": "seo", "at": "2026-02-01T00:00:00Z"}]},
///   {"id": "B", "opportunity_at": "2026-06-01T00:00:00Z", "touchpoints": [
///     {"channel": "sem", "at": "2026-01-10T00:00:00Z"},
///     {"channel": "seo", "at": "2026-05-01T00:00:00Z"}]}
/// ]"#).unwrap();
/// let r = ownership(&OwnershipConfig::default(), &journeys).unwrap();
/// assert_eq!(r.customers[0].owner.as_deref(), Some("sem")); // first in the 3 months before
/// assert_eq!(r.customers[1].owner.as_deref(), Some("seo")); // first since 2026-03-01
/// ```
pub fn ownership(config: &OwnershipConfig, journeys: &[Journey]) -> Result<OwnershipReport, Error> {
    config.validate()?;
    let mut customers = Vec::with_capacity(journeys.len());
    for (i, j) in journeys.iter().enumerate() {
        customers.push(owner_of(config, j, &|| format!("journeys[{i}]"))?);
    }
    let mut totals: Vec<ChannelOwnership> = Vec::new();
    let mut unowned = 0;
    for c in &customers {
        let Some(owner) = &c.owner else {
            unowned += 1;
            continue;
        };
        let pos = match totals.binary_search_by(|t| t.channel.as_str().cmp(owner)) {
            Ok(p) => p,
            Err(p) => {
                totals.insert(
                    p,
                    ChannelOwnership {
                        channel: owner.clone(),
                        customers: 0,
                        within_window: 0,
                        beyond_window: 0,
                    },
                );
                p
            }
        };
        if let Some(t) = totals.get_mut(pos) {
            t.customers += 1;
            match c.reason {
                OwnershipReason::WithinWindow => t.within_window += 1,
                _ => t.beyond_window += 1,
            }
        }
    }
    Ok(OwnershipReport {
        customers,
        channels: totals,
        unowned,
    })
}

fn owner_of(
    config: &OwnershipConfig,
    j: &Journey,
    path: &dyn Fn() -> String,
) -> Result<CustomerOwner, AttributionError> {
    let mut touches: Vec<(DateTime<Utc>, &str, usize)> = Vec::with_capacity(j.touchpoints.len());
    for (i, t) in j.touchpoints.iter().enumerate() {
        let name = check_name(&t.channel, || {
            format!("{}.touchpoints[{i}].channel", path())
        })?;
        touches.push((t.at, name, i));
    }
    touches.sort_by_key(|t| (t.0, t.2));
    let Some(&(first_at, first_channel, _)) = touches.first() else {
        return Err(AttributionError::EmptyJourney {
            path: format!("{}.touchpoints", path()),
        });
    };
    let flagged = j
        .touchpoints
        .iter()
        .find(|t| t.milestones.contains(&Milestone::OpportunityCreated))
        .map(|t| t.at);
    let opportunity_at = j.opportunity_at.or(flagged);
    let first = Record {
        channel: first_channel.to_string(),
        at: first_at,
    };
    let record = |t: &(DateTime<Utc>, &str, usize)| Record {
        channel: t.1.to_string(),
        at: t.0,
    };
    let (window_start, window_end) = match (config.rule, opportunity_at) {
        (OwnershipRule::FirstTouchWindow, _) => (Some(first_at), config.window.end(first_at)),
        (OwnershipRule::FirstInWindow, Some(opp)) => (config.window.start(opp), Some(opp)),
        (OwnershipRule::FirstInWindow, None) => (None, None),
    };
    let (owner_record, reason, last) = match opportunity_at {
        None => (
            None,
            OwnershipReason::NoOpportunity,
            touches.last().map(record),
        ),
        Some(opp) => {
            let before: Vec<&(DateTime<Utc>, &str, usize)> =
                touches.iter().filter(|t| t.0 <= opp).collect();
            match before.last().map(|t| record(t)) {
                None => (None, OwnershipReason::OpportunityBeforeFirstTouch, None),
                Some(l) => {
                    let inside = match config.rule {
                        OwnershipRule::FirstInWindow => before
                            .iter()
                            .find(|t| window_start.is_none_or(|s| s <= t.0))
                            .map(|t| record(t)),
                        OwnershipRule::FirstTouchWindow => window_end
                            .is_none_or(|end| opp <= end)
                            .then(|| first.clone()),
                    };
                    match inside {
                        Some(owner) => (Some(owner), OwnershipReason::WithinWindow, Some(l)),
                        None => (Some(l.clone()), OwnershipReason::BeyondWindow, Some(l)),
                    }
                }
            }
        }
    };
    Ok(CustomerOwner {
        id: j.id.clone(),
        owner: owner_record.as_ref().map(|r| r.channel.clone()),
        reason,
        first,
        last,
        opportunity_at,
        owner_record,
        window_start,
        window_end,
    })
}
