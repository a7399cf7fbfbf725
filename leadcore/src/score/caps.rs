//! Caps: limits on how many points behavior can earn.
//!
//! Three caps compose, all optional:
//! - **per kind per day** ([`super::behavior::BehaviorModel::daily_caps`]): at most N events of
//!   a kind count per day (Marketo's optimizer uses 20/day); later events that day earn nothing
//!   in any group and are reported as `capped_events` on the rule they matched;
//! - **per group** ([`super::behavior::RuleGroup::cap`]): the group's points are limited to the
//!   cap by scaling its positive rule lines down in proportion (negative lines are kept);
//! - **total** ([`super::behavior::BehaviorModel::ceiling`]): the behavior score never exceeds
//!   the ceiling (and never falls below the floor).

use serde::{Deserialize, Serialize};

/// A cap that reduced a breakdown line.
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
pub enum CapKind {
    /// Events over the per-kind daily cap earned nothing.
    KindDaily,
    /// The rule's group was over its cap and this line was scaled down.
    Group,
}

/// A group total after its cap: `(points, scale applied to positive lines)`.
///
/// The cap limits the sum of the group's lines; when the sum exceeds it, the excess is taken
/// from the positive lines in proportion, so the lines still add up to the capped total.
pub(crate) fn cap_group(lines: impl Iterator<Item = f64>, cap: Option<f64>) -> (f64, Option<f64>) {
    let (mut sum, mut positive) = (0.0, 0.0);
    for x in lines {
        sum += x;
        if x > 0.0 {
            positive += x;
        }
    }
    match cap {
        Some(cap) if sum > cap => {
            let scale = if positive > 0.0 {
                ((positive - (sum - cap)) / positive).clamp(0.0, 1.0)
            } else {
                1.0
            };
            (cap, Some(scale))
        }
        _ => (sum, None),
    }
}

/// Counts events per kind within the current day, for the per-kind daily cap.
#[derive(Debug, Clone)]
pub(crate) struct DayCounter {
    day: i64,
    counts: [u32; crate::event::EventKind::ALL.len()],
}

impl DayCounter {
    pub(crate) fn new() -> Self {
        Self {
            day: i64::MIN,
            counts: [0; crate::event::EventKind::ALL.len()],
        }
    }

    /// Counts one event of kind `kind` on `day` (days must come in non-decreasing order) and
    /// says whether it is over `cap`.
    #[inline]
    pub(crate) fn over(&mut self, day: i64, kind: usize, cap: u32) -> bool {
        if day != self.day {
            self.day = day;
            self.counts = [0; crate::event::EventKind::ALL.len()];
        }
        match self.counts.get_mut(kind) {
            Some(c) => {
                *c = c.saturating_add(1);
                *c > cap
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_cap_scales_positive_lines() {
        let (points, scale) = cap_group([30.0, 20.0, -10.0].into_iter(), Some(20.0));
        assert_eq!(points, 20.0);
        // excess 20 taken from 50 positive points: scale 0.6 → 18 + 12 - 10 = 20
        assert_eq!(scale, Some(0.6));
        assert_eq!(cap_group([5.0].into_iter(), Some(20.0)), (5.0, None));
    }

    #[test]
    fn day_counter_resets_each_day() {
        let mut c = DayCounter::new();
        assert!(!c.over(1, 0, 2));
        assert!(!c.over(1, 0, 2));
        assert!(c.over(1, 0, 2));
        assert!(!c.over(1, 1, 2));
        assert!(!c.over(2, 0, 2));
    }
}
