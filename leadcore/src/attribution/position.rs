//! Position and time models: how one converted journey's credit is split over its touches.
//!
//! **Position models** (first touch, last touch, U, W, full path, J, inverse J, custom) give
//! each *slot* its share: the first-touch, lead-created, opportunity-created and closed-won
//! milestones and the last touch. The rest (`middle`) is spread evenly over the touches strictly
//! between the first and the last weighted slot that hold no slot themselves. Touches outside
//! that span get nothing (U-shaped ignores touches after lead creation, as in Bizible's model).
//!
//! Where milestones fall when not flagged: the first touch at the first touch; a later
//! milestone on the next flagged milestone, else on the last touch. So with no flags, U-shaped
//! is the familiar 40/20/40 over first, middle and last touch.
//!
//! **Collapse rule**, stated once for every position model:
//! 1. slots that fall on the same touch add up on that touch (a touch that is both first touch
//!    and lead creation gets 40% + 40% in U-shaped);
//! 2. when there is no middle touch, the middle share is redistributed over the slots in
//!    proportion to their shares, i.e. the slot shares are renormalised to sum to 1.
//!
//! So U-shaped gives 50/50 to a two-touch journey (Marketo's example) and 100% to a single
//! touch; W-shaped gives ⅓ each to three touches; full path gives 25% each to four.
//!
//! **Linear** gives each touch 1/n (ChannelAttribution's `linear_touch`). **Last non-direct**
//! gives everything to the last touch not in the direct list (the last touch if all are).
//! **Time decay** weighs touch i by 0.5^((t_last − t_i) / half-life) and normalises; measuring
//! Δt to the conversion instead would scale every weight by the same factor, so it is the same.

use std::fmt;

use serde::Serialize;

use super::config::ModelSpec;
use super::journey::Touches;
use crate::time::SECONDS_PER_DAY;

/// Why a touch got its weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "TouchRole")]
pub enum Role {
    /// The first-touch milestone.
    FirstTouch,
    /// The lead-creation milestone.
    LeadCreated,
    /// The opportunity-creation milestone.
    OpportunityCreated,
    /// The closed-won milestone.
    ClosedWon,
    /// The last touch.
    LastTouch,
    /// A touch between the weighted slots.
    Middle,
    /// A touch outside the span of the weighted slots (no credit).
    Outside,
    /// A touch under linear attribution.
    Touch,
    /// A direct touch skipped by last non-direct.
    Direct,
    /// A touch weighted by time decay.
    Decay,
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Self::FirstTouch => "first_touch",
            Self::LeadCreated => "lead_created",
            Self::OpportunityCreated => "opportunity_created",
            Self::ClosedWon => "closed_won",
            Self::LastTouch => "last_touch",
            Self::Middle => "middle",
            Self::Outside => "outside",
            Self::Touch => "touch",
            Self::Direct => "direct",
            Self::Decay => "decay",
        };
        f.write_str(s)
    }
}

const SLOT_ROLES: [Role; 5] = [
    Role::FirstTouch,
    Role::LeadCreated,
    Role::OpportunityCreated,
    Role::ClosedWon,
    Role::LastTouch,
];

/// A heuristic model compiled for fast per-journey use.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Heuristic {
    Position { slots: [f64; 5], middle: f64 },
    Linear,
    LastNonDirect,
    TimeDecay { half_life_secs: f64 },
}

impl Heuristic {
    pub(crate) fn compile(spec: &ModelSpec) -> Option<Heuristic> {
        if let Some(w) = spec.position_weights() {
            return Some(Heuristic::Position {
                slots: w.slots(),
                middle: w.middle,
            });
        }
        match spec {
            ModelSpec::Linear { .. } => Some(Heuristic::Linear),
            ModelSpec::LastNonDirect { .. } => Some(Heuristic::LastNonDirect),
            ModelSpec::TimeDecay { half_life_days, .. } => Some(Heuristic::TimeDecay {
                half_life_secs: half_life_days * SECONDS_PER_DAY,
            }),
            _ => None,
        }
    }

    pub(crate) fn needs_times(&self) -> bool {
        matches!(self, Heuristic::TimeDecay { .. })
    }

    /// Fills `out` with one weight per touch (summing to 1) and, when given, each touch's roles.
    pub(crate) fn weights(
        &self,
        t: &Touches,
        out: &mut Vec<f64>,
        mut roles: Option<&mut Vec<Vec<Role>>>,
    ) {
        let n = t.len();
        out.clear();
        out.resize(n, 0.0);
        if let Some(r) = roles.as_deref_mut() {
            r.clear();
            r.resize(n, Vec::new());
        }
        if n == 0 {
            return;
        }
        match self {
            Heuristic::Linear => {
                let w = 1.0 / n as f64;
                out.iter_mut().for_each(|x| *x = w);
                if let Some(r) = roles {
                    r.iter_mut().for_each(|x| x.push(Role::Touch));
                }
            }
            Heuristic::LastNonDirect => {
                let pick = t.direct.iter().rposition(|d| !d).unwrap_or(n - 1);
                if let Some(x) = out.get_mut(pick) {
                    *x = 1.0;
                }
                if let Some(r) = roles {
                    for (i, (rs, d)) in r.iter_mut().zip(&t.direct).enumerate() {
                        if i == pick {
                            rs.push(Role::LastTouch);
                        } else if *d && i > pick {
                            rs.push(Role::Direct);
                        } else {
                            rs.push(Role::Outside);
                        }
                    }
                }
            }
            Heuristic::TimeDecay { half_life_secs } => {
                let last = t.times.last().copied().unwrap_or(0);
                let mut sum = 0.0;
                for (x, &ti) in out.iter_mut().zip(&t.times) {
                    let age = (last - ti) as f64;
                    *x = (-age / half_life_secs).exp2();
                    sum += *x;
                }
                if sum > 0.0 {
                    out.iter_mut().for_each(|x| *x /= sum);
                }
                if let Some(r) = roles {
                    r.iter_mut().for_each(|x| x.push(Role::Decay));
                }
            }
            Heuristic::Position { slots, middle } => {
                let [ft, lc, oc, cw] = t.milestone_positions();
                let pos = [ft, lc, oc, cw, n - 1];
                let mut lo = usize::MAX;
                let mut hi = 0;
                let mut slot_sum = 0.0;
                for (&w, &p) in slots.iter().zip(&pos) {
                    if w > 0.0 {
                        lo = lo.min(p);
                        hi = hi.max(p);
                        slot_sum += w;
                    }
                }
                let is_slot = |i: usize| slots.iter().zip(&pos).any(|(&w, &p)| w > 0.0 && p == i);
                let n_middle = if hi > lo {
                    (lo + 1..hi).filter(|&i| !is_slot(i)).count()
                } else {
                    0
                };
                let spread = n_middle > 0 && *middle > 0.0;
                let scale = if spread { 1.0 } else { 1.0 / slot_sum };
                for (k, (&w, &p)) in slots.iter().zip(&pos).enumerate() {
                    if w > 0.0 {
                        if let Some(x) = out.get_mut(p) {
                            *x += w * scale;
                        }
                        if let (Some(r), Some(role)) = (roles.as_deref_mut(), SLOT_ROLES.get(k))
                            && let Some(rs) = r.get_mut(p)
                        {
                            rs.push(*role);
                        }
                    }
                }
                let each = if spread {
                    middle / n_middle as f64
                } else {
                    0.0
                };
                for i in 0..n {
                    let slot = is_slot(i);
                    let between = i > lo && i < hi;
                    if between
                        && !slot
                        && spread
                        && let Some(x) = out.get_mut(i)
                    {
                        *x = each;
                    }
                    if let Some(r) = roles.as_deref_mut()
                        && let Some(rs) = r.get_mut(i)
                        && !slot
                    {
                        rs.push(if between { Role::Middle } else { Role::Outside });
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touches(n: usize, milestones: [Option<usize>; 4]) -> Touches {
        Touches {
            keys: (0..n as u32).collect(),
            direct: vec![false; n],
            times: (0..n as i64).map(|i| i * 86_400).collect(),
            milestones,
            order: Vec::new(),
        }
    }

    fn w(spec: ModelSpec, t: &Touches) -> Vec<f64> {
        let mut out = Vec::new();
        Heuristic::compile(&spec)
            .unwrap()
            .weights(t, &mut out, None);
        out
    }

    #[test]
    fn u_shaped_collapses_like_marketo() {
        let u = || ModelSpec::UShaped { name: None };
        assert_eq!(w(u(), &touches(1, [None; 4])), [1.0]);
        assert_eq!(w(u(), &touches(2, [None; 4])), [0.5, 0.5]);
        assert_eq!(w(u(), &touches(3, [None; 4])), [0.4, 0.2, 0.4]);
        let x = w(u(), &touches(4, [None; 4]));
        assert_eq!(x, [0.4, 0.1, 0.1, 0.4]);
        // Lead created on touch 1 of 4: touches after it are outside U-shaped.
        assert_eq!(
            w(u(), &touches(4, [None, Some(1), None, None])),
            [0.5, 0.5, 0.0, 0.0]
        );
        // First touch and lead creation on the same touch: it takes both shares.
        assert_eq!(
            w(u(), &touches(3, [None, Some(0), None, None])),
            [1.0, 0.0, 0.0]
        );
    }

    #[test]
    fn w_and_full_path() {
        let x = w(
            ModelSpec::WShaped { name: None },
            &touches(5, [None, Some(2), Some(4), None]),
        );
        assert_eq!(x, [0.3, 0.05, 0.3, 0.05, 0.3]);
        let x = w(
            ModelSpec::WShaped { name: None },
            &touches(3, [None, Some(1), Some(2), None]),
        );
        let third = 0.3 / 0.9;
        assert_eq!(x, [third, third, third]);
        let x = w(
            ModelSpec::FullPath { name: None },
            &touches(4, [None, Some(1), Some(2), Some(3)]),
        );
        assert_eq!(x, [0.25, 0.25, 0.25, 0.25]);
        let x = w(
            ModelSpec::FullPath { name: None },
            &touches(6, [None, Some(1), Some(3), Some(5)]),
        );
        assert_eq!(x, [0.225, 0.225, 0.05, 0.225, 0.05, 0.225]);
    }

    #[test]
    fn j_shapes_and_linear_and_decay() {
        assert_eq!(
            w(ModelSpec::JShaped { name: None }, &touches(3, [None; 4])),
            [0.2, 0.2, 0.6]
        );
        assert_eq!(
            w(
                ModelSpec::InverseJShaped { name: None },
                &touches(2, [None; 4])
            ),
            [0.75, 0.25]
        );
        assert_eq!(
            w(ModelSpec::Linear { name: None }, &touches(4, [None; 4])),
            [0.25; 4]
        );
        let d = w(
            ModelSpec::TimeDecay {
                name: None,
                half_life_days: 1.0,
            },
            &touches(3, [None; 4]),
        );
        assert_eq!(d, [0.25 / 1.75, 0.5 / 1.75, 1.0 / 1.75]);
    }

    #[test]
    fn last_non_direct_skips_direct() {
        let mut t = touches(3, [None; 4]);
        t.direct = vec![false, false, true];
        assert_eq!(
            w(ModelSpec::LastNonDirect { name: None }, &t),
            [0.0, 1.0, 0.0]
        );
        t.direct = vec![true, true, true];
        assert_eq!(
            w(ModelSpec::LastNonDirect { name: None }, &t),
            [0.0, 0.0, 1.0]
        );
    }
}
