//! What-if: a day of arrivals routed under a candidate policy, on a copy of the state.

use std::collections::BTreeMap;

use serde::Serialize;

use super::command::{Applied, Effect, Move};
use super::error::PoolError;
use super::policy::Policy;
use super::route::{self, RouteOutcome};
use super::state::{Holder, Id, PoolState};
use super::tick::tick;
use crate::lead::Lead;

/// One rep's day in a simulation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RepDay {
    /// Leads routed to the rep (directly, or after waiting).
    pub assigned: u32,
    /// Leads parked with the rep (a manager) for dispatch.
    pub dispatched: u32,
    /// Leads the rep lost to auto-reclaim during the day.
    pub reclaimed: u32,
    /// Holdings before the first arrival.
    pub holdings_before: u32,
    /// Holdings after the last arrival.
    pub holdings_after: u32,
    /// Holding cap.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holding_cap: Option<u32>,
}

/// A lead the simulation could not route, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Refusal {
    /// Lead id.
    pub lead: String,
    /// The error code.
    pub code: &'static str,
}

/// The distribution of a simulated day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PoolDayReport")]
pub struct DayReport {
    /// Arrivals simulated.
    pub arrivals: u32,
    /// Assigned to a rep.
    pub assigned: u32,
    /// Parked with a manager for dispatch.
    pub dispatched: u32,
    /// Left in a pool by a rule.
    pub pooled: u32,
    /// Still waiting for a rep at the end.
    pub pending: u32,
    /// Leads reclaimed by the ticks run before each arrival.
    pub reclaimed: u32,
    /// Arrivals refused (an owned or converted lead, an empty id).
    pub refused: Vec<Refusal>,
    /// Every rep of the candidate policy, by id.
    pub per_rep: BTreeMap<Id, RepDay>,
    /// Decisions per deciding rule.
    pub per_rule: BTreeMap<Id, u32>,
}

/// Simulates a day of arrivals under `policy`, starting from `state` (which is not changed).
///
/// Arrivals are routed at their `created_at`, in time order (then id); before each, `tick` runs
/// at that time, so reclaims and waiting leads play out as they would. Arrivals earlier than
/// the state's clock are refused (`clock_backwards`).
pub fn simulate_day(
    state: &PoolState,
    policy: &Policy,
    arrivals: &[Lead],
) -> Result<DayReport, PoolError> {
    let mut sim = state.clone();
    let mut order: Vec<&Lead> = arrivals.iter().collect();
    order.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    let mut report = DayReport {
        arrivals: u32::try_from(order.len()).unwrap_or(u32::MAX),
        ..DayReport::default()
    };
    for rep in &policy.reps {
        report.per_rep.insert(
            rep.id.clone(),
            RepDay {
                holdings_before: sim.holdings(&rep.id),
                holding_cap: rep.holding_cap,
                ..RepDay::default()
            },
        );
    }
    let mut log = Applied::default();
    for lead in order {
        let at = lead.created_at;
        let ticked = tick(&mut sim, policy, at)?;
        log.effects.extend(ticked.effects);
        let mut out = Applied::default();
        match route::route(&mut sim, policy, lead, at, &mut out) {
            Ok(()) => {
                sim.clock = Some(at);
                for d in &out.decisions {
                    *report.per_rule.entry(d.rule.clone()).or_default() += 1;
                    if let RouteOutcome::Pooled { pending: false, .. } = d.outcome {
                        report.pooled += 1;
                    }
                }
                log.effects.extend(out.effects);
            }
            Err(e) => report.refused.push(Refusal {
                lead: lead.id.clone(),
                code: e.code(),
            }),
        }
    }
    for effect in &log.effects {
        if let Effect::Moved { to, via, from, .. } = effect {
            match (to, via) {
                (Holder::Owned { rep }, Move::Route) => {
                    report.assigned += 1;
                    report.per_rep.entry(rep.clone()).or_default().assigned += 1;
                }
                (Holder::Dispatching { manager }, Move::Dispatch) => {
                    report.dispatched += 1;
                    report
                        .per_rep
                        .entry(manager.clone())
                        .or_default()
                        .dispatched += 1;
                }
                (_, Move::AutoReclaim) => {
                    report.reclaimed += 1;
                    if let Some(Holder::Owned { rep }) = from {
                        report.per_rep.entry(rep.clone()).or_default().reclaimed += 1;
                    }
                }
                _ => {}
            }
        }
    }
    for (rep, day) in report.per_rep.iter_mut() {
        day.holdings_after = sim.holdings(rep);
    }
    report.pending = u32::try_from(sim.pending.len()).unwrap_or(u32::MAX);
    Ok(report)
}
