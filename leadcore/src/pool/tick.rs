//! `tick`: every automatic action due at `now`, found through the deadline index.

use chrono::{DateTime, Duration, Utc};

use super::apply::{Release, refresh_check, release_record, resolve_clock};
use super::command::{Applied, Effect, Move, Reason};
use super::error::PoolError;
use super::policy::Policy;
use super::route;
use super::rows::tick_needs_in;
use super::state::{Books, Ended, Holder, Id, LeadRecord, PoolState, Warned, sub};
use super::timers;

/// Performs every automatic action due at `now`:
///
/// 1. For each owned lead whose next check has come (the deadline index, so only those leads
///    are visited, in order of check time then lead id): if a reclaim deadline (protection end,
///    no follow-up, not converted) has passed, the lead falls out — back to the pool the
///    escalation ladder gives, the owner in cooldown and excluded as next owner; otherwise each
///    warning whose time has come is given once (`reclaim_warning`).
/// 2. Routed leads waiting for a rep are routed again, oldest first.
///
/// Idempotent: a second tick at the same `now` changes nothing and has no effects.
///
/// ```
/// use leadcore::pool::{Command, Policy, PoolState, apply, tick};
/// let policy = Policy::from_json(r#"{"pools": [{"id": "east", "kind": "active"}],
///   "reps": [{"id": "wang"}], "protection": {"warn_days": 2}}"#).unwrap();
/// let mut state = PoolState::default();
/// let t = |s| leadcore::time::parse(s).unwrap();
/// let cmd = |s| serde_json::from_str::<Command>(s).unwrap();
/// apply(&mut state, &policy, &cmd(r#"{"type": "deposit", "lead": "L1", "pool": "east"}"#), t("2026-11-01T00:00:00Z")).unwrap();
/// apply(&mut state, &policy, &cmd(r#"{"type": "claim", "lead": "L1", "rep": "wang"}"#), t("2026-11-01T00:00:00Z")).unwrap();
/// let warned = tick(&mut state, &policy, t("2026-11-09T00:00:00Z")).unwrap();
/// assert_eq!(serde_json::to_value(&warned.effects).unwrap()[0]["type"], "reclaim_warning");
/// let fell = tick(&mut state, &policy, t("2026-11-11T00:00:00Z")).unwrap();
/// assert_eq!(serde_json::to_value(&fell.effects).unwrap()[0]["via"], "auto_reclaim");
/// assert_eq!(state.holdings("wang"), 0);
/// ```
pub fn tick(
    state: &mut PoolState,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<Applied, PoolError> {
    tick_some(state, policy, now, None)
}

/// [`tick`] for every lead, or (`Some`) for the leads listed only: then the clock is checked
/// against those leads and what they touch (a row-level tick and its replay), not the whole
/// state's.
pub(crate) fn tick_some(
    state: &mut PoolState,
    policy: &Policy,
    now: DateTime<Utc>,
    leads: Option<&[Id]>,
) -> Result<Applied, PoolError> {
    let latest = match leads {
        None => state.clock,
        Some(ids) => {
            let needs = tick_needs_in(state, ids, policy, Some(now));
            let leads = needs
                .leads
                .iter()
                .filter_map(|k| state.leads.get(k).map(|r| r.clock.or(state.clock)));
            let reps = needs
                .reps
                .iter()
                .map(|k| state.reps.get(k).and_then(|r| r.clock));
            let teams = needs
                .teams
                .iter()
                .map(|k| state.teams.get(k).and_then(|r| r.clock));
            leads.chain(reps).chain(teams).flatten().max()
        }
    };
    let now = resolve_clock(latest, policy, now)?;
    let mut out = Applied::default();
    let bound = (
        now.checked_add_signed(Duration::nanoseconds(1))
            .unwrap_or(DateTime::<Utc>::MAX_UTC),
        Id::from(""),
    );
    let due: Vec<((DateTime<Utc>, Id), u32)> = match leads {
        None => {
            let later = state.index.split_off(&bound);
            std::mem::replace(&mut state.index, later)
                .into_iter()
                .collect()
        }
        Some(ids) => {
            let mut due: Vec<((DateTime<Utc>, Id), u32)> = ids
                .iter()
                .filter_map(|id| {
                    let (k, rec) = state.leads.get_key_value(id)?;
                    let t = rec.next_check_at.filter(|t| *t <= now)?;
                    let key = (t, k.clone());
                    state.index.get(&key).map(|slot| (key, *slot))
                })
                .collect();
            due.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            due.dedup_by(|a, b| a.0 == b.0);
            for (key, _) in &due {
                state.index.remove(key);
            }
            due
        }
    };
    out.effects.reserve(due.len() * 2);
    out.reasons.reserve(due.len() * 4);
    let (recs, mut books) = state.split();
    for ((_, id), slot) in due {
        if let Some(rec) = recs.at_mut(slot) {
            // The index entry is gone; the record follows.
            rec.next_check_at = None;
            check_lead(rec, slot, &mut books, policy, &id, now, &mut out);
        }
    }
    route::retry_pending(state, policy, now, leads, &mut out);
    state.finish(now);
    out.at = Some(now);
    out.next_check_at = state.next_check_at();
    Ok(out)
}

/// Reclaims the lead if a deadline passed, else gives the warnings due; then its next check.
fn check_lead(
    rec: &mut LeadRecord,
    slot: u32,
    books: &mut Books<'_>,
    policy: &Policy,
    id: &Id,
    now: DateTime<Utc>,
    out: &mut Applied,
) {
    let Holder::Owned { rep } = &rec.holder else {
        return;
    };
    let rep = rep.clone();
    let mut deadlines = timers::deadlines(rec, policy);
    deadlines.sort_by_key(|d| d.map(|(trigger, at)| (at, trigger)));
    if deadlines.iter().flatten().any(|(_, at)| *at <= now) {
        let (ladder_pool, step) = timers::fallout_destination(rec, policy, now);
        let Some(pool) = ladder_pool.or_else(|| policy.pool_index(&rec.pool)) else {
            return;
        };
        for (trigger, deadline) in deadlines.into_iter().flatten().filter(|(_, at)| *at <= now) {
            out.reasons.push(Reason::TriggerFired {
                lead: id.clone(),
                trigger,
                deadline,
            });
        }
        let how = Release {
            pool,
            ended: Ended::AutoReclaimed,
            via: Move::AutoReclaim,
            fallout: Some(step),
        };
        release_record(rec, slot, books, policy, id, how, now, out);
        return;
    }
    for (trigger, deadline) in deadlines.into_iter().flatten() {
        let Some(w) = timers::warn_for(trigger, policy) else {
            continue;
        };
        if sub(deadline, w) <= now && !timers::warned(rec, trigger, deadline) {
            rec.warned.retain(|w| w.trigger != trigger);
            rec.warned.push(Warned { trigger, deadline });
            out.effects.push(Effect::ReclaimWarning {
                lead: id.clone(),
                rep: rep.clone(),
                trigger,
                reclaim_at: deadline,
            });
        }
    }
    let next = timers::next_check(rec, policy);
    books.set_next_check(id, slot, rec, next);
}

/// Recomputes every lead's next check under `policy` — call it after changing the policy, so
/// `tick` sees the new periods. A full pass over the leads.
/// Leads whose next check changes get their next version (their clocks do not move).
pub fn reschedule(state: &mut PoolState, policy: &Policy) {
    reschedule_some(state, policy, None);
}

/// [`reschedule`] for every lead, or (`Some`) for the leads listed only.
pub(crate) fn reschedule_some(state: &mut PoolState, policy: &Policy, leads: Option<&[Id]>) {
    let stale = |r: &LeadRecord| timers::next_check(r, policy) != r.next_check_at;
    let ids: Vec<Id> = match leads {
        None => state
            .leads
            .iter()
            .filter(|(_, r)| stale(r))
            .map(|(k, _)| k.clone())
            .collect(),
        Some(ids) => ids
            .iter()
            .filter(|k| state.leads.get(k).is_some_and(stale))
            .cloned()
            .collect(),
    };
    for id in ids {
        refresh_check(state, policy, &id);
    }
    state.stamp(None);
}
