//! Time in stage and stage velocity, from a lead's history.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::TransitionError;
use super::history;
use crate::lead::{EdgeKind, Lead};
use crate::time::days_between;

/// Time spent in one stage, over all visits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StageTime {
    /// The stage id.
    pub stage: String,
    /// How many times the lead entered the stage.
    pub visits: usize,
    /// Days spent in the stage over all visits (fractional; the current visit counts up to
    /// `now`).
    pub total_days: f64,
    /// `total_days / visits`.
    pub average_days: f64,
}

/// The stage the lead is in and for how long.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CurrentStage {
    /// The stage id.
    pub stage: String,
    /// When the lead entered it (effective time).
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "crate::time::InstantSchema")]
    pub since: DateTime<Utc>,
    /// Days since then (fractional).
    pub age_days: f64,
}

/// How fast the lead moved forward from one stage to the next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StageVelocity {
    /// The stage left.
    pub from: String,
    /// The stage entered by a `forward` move.
    pub to: String,
    /// How many such moves.
    pub moves: usize,
    /// Average days in `from` before each move (fractional).
    pub average_days: f64,
}

/// Time in each stage, current stage age and stage velocity of one lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StageTimes {
    /// Per stage, in the order the lead first entered them.
    pub stages: Vec<StageTime>,
    /// The current stage; absent when the history is empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<CurrentStage>,
    /// Per (from, to) forward move, in the order of first occurrence.
    pub velocity: Vec<StageVelocity>,
    /// Days from the first history record to `now` (fractional; 0 without history).
    pub total_days: f64,
}

/// Time in stage and stage velocity of `lead` at `now`, from its history only.
///
/// Each history record opens a visit of its `to` stage at its effective time `at`; the next
/// record closes it, and the last visit runs to `now`. Velocity counts only `forward` moves (a
/// downgrade is not progress). A lead without history (a stage set on import) has no visits.
///
/// ```
/// use leadcore::lifecycle::{TransitionRequest, stage_times, transition};
/// use leadcore::pipeline::Pipeline;
/// use leadcore::{Lead, time};
///
/// let p = Pipeline::preset("seed_001").unwrap();
/// let day = |d: u32| time::parse(&format!("2026-11-{d:02}T00:00:00Z")).unwrap();
/// let mut lead = Lead::new("L1", day(1));
/// for (to, d) in [("MQL", 1), ("SQL", 3)] {
///     let r = TransitionRequest { to: Some(to.into()), ..Default::default() };
///     lead = transition(&p, &lead, &r, day(d)).unwrap().lead;
/// }
/// let t = stage_times(&lead, day(4)).unwrap();
/// assert_eq!(t.velocity[0].average_days, 2.0);
/// assert_eq!(t.current.unwrap().age_days, 1.0);
/// ```
pub fn stage_times(lead: &Lead, now: DateTime<Utc>) -> Result<StageTimes, TransitionError> {
    history::check(lead, now)?;
    let mut stages: Vec<StageTime> = Vec::new();
    let mut velocity: Vec<(String, String, usize, f64)> = Vec::new();
    let records = &lead.history;
    for (i, change) in records.iter().enumerate() {
        let end = records.get(i + 1).map_or(now, |next| next.at);
        let days = days_between(change.at, end);
        match stages.iter_mut().find(|s| s.stage == change.to) {
            Some(s) => {
                s.visits += 1;
                s.total_days += days;
            }
            None => stages.push(StageTime {
                stage: change.to.clone(),
                visits: 1,
                total_days: days,
                average_days: 0.0,
            }),
        }
        if let Some(next) = records.get(i + 1)
            && next.edge == EdgeKind::Forward
        {
            match velocity
                .iter_mut()
                .find(|v| v.0 == change.to && v.1 == next.to)
            {
                Some(v) => {
                    v.2 += 1;
                    v.3 += days;
                }
                None => velocity.push((change.to.clone(), next.to.clone(), 1, days)),
            }
        }
    }
    for s in &mut stages {
        s.average_days = s.total_days / s.visits as f64;
    }
    let current = records.last().map(|c| CurrentStage {
        stage: c.to.clone(),
        since: c.at,
        age_days: days_between(c.at, now),
    });
    let total_days = records.first().map_or(0.0, |c| days_between(c.at, now));
    Ok(StageTimes {
        stages,
        current,
        velocity: velocity
            .into_iter()
            .map(|(from, to, moves, total)| StageVelocity {
                from,
                to,
                moves,
                average_days: total / moves as f64,
            })
            .collect(),
        total_days,
    })
}
