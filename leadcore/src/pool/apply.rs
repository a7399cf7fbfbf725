//! `apply`: every command through the same checks, then the change — never half of it.
//!
//! Each command first looks everything up and checks it without touching the state; only
//! when every check passed does it change the state, with code that cannot fail.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::command::{Applied, Command, Departure, Effect, Move, Notice, Reason, Request};
use super::config::Role;
use super::error::{ItemList, PoolError};
use super::nurture;
use super::policy::{Policy, RepInfo};
use super::route::{self, Decision, ForLead, MemberFilter, member_pick};
use super::rows::{Key, visit};
use super::seen;
use super::state::{
    Books, Cooldown, Ended, Exclusion, Holder, Id, LeadRecord, Ownership, PoolState, Via, add,
};
use super::timers;
use crate::condition::Facts;

/// Applies one command at `now`.
///
/// On success the state was updated in place and the result lists the effects for the host,
/// the reasons, and routing decisions. On error the state is exactly as before (the clock too).
/// `now` must not be earlier than the clocks of the records the command touches
/// (`clock_backwards`), except by the policy's `clock_skew_seconds`: the command then runs at
/// the latest of those clocks (a `clock_skew` reason says so). Every record written gets the
/// next `version` and the time as its `clock`.
///
/// ```
/// use leadcore::pool::{Command, Policy, PoolState, apply};
/// let policy = Policy::from_json(r#"{"pools": [{"id": "east", "kind": "active"}],
///   "reps": [{"id": "wang", "holding_cap": 1}], "protection": {}}"#).unwrap();
/// let mut state = PoolState::default();
/// let now = leadcore::time::parse("2026-11-23T09:00:00+08:00").unwrap();
/// let deposit: Command = serde_json::from_str(r#"{"type": "deposit", "lead": "L1", "pool": "east"}"#).unwrap();
/// apply(&mut state, &policy, &deposit, now).unwrap();
/// let claim: Command = serde_json::from_str(r#"{"type": "claim", "lead": "L1", "rep": "wang"}"#).unwrap();
/// let applied = apply(&mut state, &policy, &claim, now).unwrap();
/// assert_eq!(state.holdings("wang"), 1);
/// // Protected for the default 10 days:
/// assert_eq!(leadcore::time::format(&applied.next_check_at.unwrap()), "2026-12-03T01:00:00Z");
/// // A second lead is over the holding cap: refused, nothing changes.
/// apply(&mut state, &policy, &serde_json::from_str(r#"{"type": "deposit", "lead": "L2", "pool": "east"}"#).unwrap(), now).unwrap();
/// let before = state.clone();
/// let err = apply(&mut state, &policy, &serde_json::from_str(r#"{"type": "claim", "lead": "L2", "rep": "wang"}"#).unwrap(), now).unwrap_err();
/// assert_eq!(err.code(), "holding_cap_reached");
/// assert_eq!(state, before);
/// ```
pub fn apply(
    state: &mut PoolState,
    policy: &Policy,
    command: &Command,
    now: DateTime<Utc>,
) -> Result<Applied, PoolError> {
    run(state, None, command, policy, now)
}

/// Applies one command that may carry an id (see [`Request`]): a retry of an id a lead
/// already took answers with the earlier outcome (`duplicate`) and changes nothing.
///
/// ```
/// use leadcore::pool::{Policy, PoolState, Request, apply, apply_request};
/// let policy = Policy::from_json(r#"{"pools": [{"id": "east", "kind": "active"}],
///   "reps": [{"id": "wang"}]}"#).unwrap();
/// let mut state = PoolState::default();
/// let now = leadcore::time::parse("2026-11-23T09:00:00+08:00").unwrap();
/// let req = |s| serde_json::from_str::<Request>(s).unwrap();
/// apply_request(&mut state, &policy, &req(r#"{"type": "deposit", "lead": "L1", "pool": "east"}"#), now).unwrap();
/// let claim = req(r#"{"id": "r1", "type": "claim", "lead": "L1", "rep": "wang"}"#);
/// let first = apply_request(&mut state, &policy, &claim, now).unwrap();
/// let before = state.clone();
/// let retry = apply_request(&mut state, &policy, &claim, now).unwrap();
/// assert!(retry.duplicate && retry.effects == first.effects);
/// assert_eq!(state, before);
/// ```
pub fn apply_request(
    state: &mut PoolState,
    policy: &Policy,
    request: &Request,
    now: DateTime<Utc>,
) -> Result<Applied, PoolError> {
    run(state, request.id.as_deref(), &request.command, policy, now)
}

/// The time a command runs at: `now`, or the latest clock of the records it can touch when
/// `now` lags behind it by no more than the policy's skew tolerance (`clock_backwards`
/// beyond). A lead written before records had clocks counts with the state's clock.
pub(crate) fn resolve_clock(
    latest: Option<DateTime<Utc>>,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, PoolError> {
    match latest {
        Some(last) if now < last => {
            if last - now <= policy.skew {
                Ok(last)
            } else {
                Err(PoolError::ClockBackwards { now, last })
            }
        }
        _ => Ok(now),
    }
}

/// The latest clock of the records `command` can touch.
fn latest_clock(
    state: &PoolState,
    command: &Command,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let mut latest: Option<DateTime<Utc>> = None;
    let mut see = |t: Option<DateTime<Utc>>| {
        if let Some(t) = t {
            latest = Some(latest.map_or(t, |l| l.max(t)));
        }
    };
    let holder = |lead: &str| state.leads.get(lead).map(|r| &r.holder);
    visit(holder, command, policy, Some(now), &mut |key| match key {
        Key::Lead(k) => see(state.leads.get(k).and_then(|r| r.clock.or(state.clock))),
        Key::Rep(k) => see(state.reps.get(k).and_then(|r| r.clock)),
        Key::Team(k) => see(state.teams.get(k).and_then(|r| r.clock)),
    });
    latest
}

/// One command, with its id: the clock, a retry's earlier outcome, the command, the id
/// remembered, and every record written stamped with the next version and the time.
pub(crate) fn run(
    state: &mut PoolState,
    id: Option<&str>,
    command: &Command,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<Applied, PoolError> {
    let digest = id.map(|_| seen::digest(command));
    if let (Some(id), Some(d)) = (id, &digest)
        && let Some(earlier) = seen::earlier(state, id, d, command)?
    {
        return Ok(earlier);
    }
    let at = resolve_clock(latest_clock(state, command, policy, now), policy, now)?;
    let mut out = match execute(state, command, policy, at) {
        Ok(out) => out,
        Err(e) => {
            state.discard_writes();
            return Err(e);
        }
    };
    if let (Some(id), Some(d)) = (id, digest) {
        seen::remember(state, policy, id, d, command, &out, at);
    }
    // Not remembered with the outcome: a replay runs at `at` and sees no skew.
    if at != now {
        out.reasons.insert(
            0,
            Reason::ClockSkew {
                given: now,
                used: at,
            },
        );
    }
    state.finish(at);
    out.at = Some(at);
    out.next_check_at = state.next_check_at();
    Ok(out)
}

/// The command itself, at `now` (already resolved).
fn execute(
    state: &mut PoolState,
    command: &Command,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<Applied, PoolError> {
    let mut out = Applied::default();
    let cx = Cx { policy, now };
    match command {
        Command::Deposit {
            lead,
            pool,
            created_at,
            stage,
            region,
        } => deposit(
            state,
            &cx,
            lead,
            pool,
            *created_at,
            stage.as_deref(),
            region.as_deref(),
            &mut out,
        )?,
        Command::Route { lead } => route::route(state, policy, lead, now, &mut out)?,
        Command::Claim { lead, rep } => claim(state, &cx, lead, rep, &mut out)?,
        Command::Assign { lead, rep, by } => {
            assign(state, &cx, lead, rep, by.as_deref(), &mut out)?
        }
        Command::BulkAssign { leads, rep, by } => {
            bulk_assign(state, &cx, leads, rep, by.as_deref(), &mut out)?
        }
        Command::Return {
            lead,
            rep,
            reason,
            pool,
        } => return_lead(state, &cx, lead, rep, reason, pool.as_deref(), &mut out)?,
        Command::Reclaim {
            lead, reason, pool, ..
        } => reclaim(state, &cx, lead, reason, pool.as_deref(), &mut out)?,
        Command::Transfer { lead, from, to, .. } => transfer(state, &cx, lead, from, to, &mut out)?,
        Command::HandOver {
            lead,
            from,
            to,
            role,
        } => hand_over(state, &cx, lead, from, to.as_deref(), *role, &mut out)?,
        Command::FollowUp { lead, rep, kind } => {
            follow_up(state, &cx, lead, rep, kind.as_deref(), &mut out)?
        }
        Command::MarkConverted { lead } => mark_converted(state, &cx, lead, &mut out)?,
        Command::ExcludeOwner {
            lead,
            owner,
            reason,
        } => exclude_owner(state, &cx, lead, owner, reason, &mut out)?,
        Command::StageChanged { lead, stage, facts } => {
            let (id, rec) = lookup(state, lead)?;
            if stage.trim().is_empty() {
                return Err(PoolError::EmptyName("stage"));
            }
            if let Some(f) = facts.as_deref()
                && f.id != *lead
            {
                return Err(PoolError::FactsMismatch {
                    lead: lead.clone(),
                    facts: f.id.clone(),
                });
            }
            let converted = matches!(rec.holder, Holder::Converted { .. });
            let facts = facts.as_deref().map(|f| Facts::lead_only(f, now));
            if let Some(rec) = state.leads.get_mut(&id) {
                rec.stage = Some(stage.clone());
                if !converted {
                    nurture::enter_stage(rec, policy, facts.as_ref(), now, &mut out.reasons);
                }
            }
        }
        Command::LeadActivity { lead } => {
            let (id, _) = lookup(state, lead)?;
            if let Some(rec) = state.leads.get_mut(&id) {
                rec.last_activity = Some(now);
            }
        }
        Command::Milestone { lead, name } => {
            let (id, _) = lookup(state, lead)?;
            if name.trim().is_empty() {
                return Err(PoolError::EmptyName("name"));
            }
            if let Some(rec) = state.leads.get_mut(&id) {
                rec.milestones.insert(name.clone(), now);
            }
        }
        Command::NurtureDone { lead, sop, step } => {
            let (id, rec) = lookup(state, lead)?;
            let done = nurture::check_done(rec, &id, policy, sop, step)?;
            if let Some(rec) = state.leads.get_mut(&id) {
                nurture::mark_done(rec, done);
            }
        }
        Command::Archive { lead } => leave(state, lead, Departure::Archived, &mut out)?,
        Command::Remove { lead } => leave(state, lead, Departure::Removed, &mut out)?,
        Command::Merge {
            survivor,
            duplicate,
        } => merge(state, &cx, survivor, duplicate, &mut out)?,
    }
    Ok(out)
}

/// The policy and the time of a call.
pub(crate) struct Cx<'a> {
    pub(crate) policy: &'a Policy,
    pub(crate) now: DateTime<Utc>,
}

/// The lead's shared id and record, or `unknown_lead`.
pub(crate) fn lookup<'s>(
    state: &'s PoolState,
    lead: &str,
) -> Result<(Id, &'s LeadRecord), PoolError> {
    state
        .leads
        .get_key_value(lead)
        .map(|(k, v)| (k.clone(), v))
        .ok_or_else(|| PoolError::UnknownLead(lead.to_string()))
}

/// The rep's index in the policy, or `unknown_rep`.
pub(crate) fn rep_ix(policy: &Policy, rep: &str) -> Result<usize, PoolError> {
    policy
        .rep_index(rep)
        .ok_or_else(|| PoolError::UnknownRep(rep.to_string()))
}

fn pool_ix(policy: &Policy, pool: &str) -> Result<usize, PoolError> {
    policy
        .pool_index(pool)
        .ok_or_else(|| PoolError::UnknownPool(pool.to_string()))
}

fn held_error(lead: &Id, rec: &LeadRecord) -> PoolError {
    match &rec.holder {
        Holder::Converted { .. } => PoolError::LeadConverted(lead.to_string()),
        h => PoolError::AlreadyOwned {
            lead: lead.to_string(),
            holder: h.name(),
        },
    }
}

/// The checks every path that gives a lead an owner runs, in this order: the rep is active,
/// has not opted out (a cap of 0), is under the holding cap and the daily cap (counting
/// `extra` leads already planned in the same batch), is not in cooldown for the lead and is not
/// excluded as its next owner.
pub(crate) fn check_take(
    state: &PoolState,
    policy: &Policy,
    lead: &str,
    rec: Option<&LeadRecord>,
    rep: &RepInfo,
    now: DateTime<Utc>,
    extra: u32,
) -> Result<(), PoolError> {
    if !rep.active {
        return Err(PoolError::RepInactive(rep.id.to_string()));
    }
    if rep.holding_cap == Some(0) || rep.daily_cap == Some(0) {
        return Err(PoolError::RepOptedOut(rep.id.to_string()));
    }
    let counters = state.reps.get(&rep.id);
    let held = counters.map_or(0, |c| c.holdings).saturating_add(extra);
    if let Some(cap) = rep.holding_cap
        && held >= cap
    {
        return Err(PoolError::HoldingCapReached {
            rep: rep.id.to_string(),
            count: held,
            cap,
        });
    }
    if let Some(cap) = rep.daily_cap {
        let day = now.with_timezone(&policy.rep_offset(rep)).date_naive();
        let intake = counters
            .map_or(0, |c| c.intake_on(day))
            .saturating_add(extra);
        if intake >= cap {
            return Err(PoolError::DailyCapReached {
                rep: rep.id.to_string(),
                count: intake,
                cap,
            });
        }
    }
    if let Some(rec) = rec {
        if let Some(until) = rec.cooldown_of(&rep.id, now) {
            return Err(PoolError::CooldownActive {
                lead: lead.to_string(),
                rep: rep.id.to_string(),
                until,
            });
        }
        if rec.is_excluded(&rep.id) {
            return Err(PoolError::ExcludedOwner {
                lead: lead.to_string(),
                rep: rep.id.to_string(),
            });
        }
    }
    Ok(())
}

/// Gives the lead to the rep (all checks passed). `new`: the lead was created by this call.
/// `keep`: a lead that had an owner keeps the protection clock of its claim (a transfer unless
/// the policy resets it, a hand-over whose path says so); otherwise a new clock starts.
#[allow(clippy::too_many_arguments)]
pub(crate) fn take(
    state: &mut PoolState,
    cx: &Cx<'_>,
    id: &Id,
    rep_i: usize,
    via: Via,
    new: bool,
    keep: bool,
    out: &mut Applied,
) {
    let (policy, now) = (cx.policy, cx.now);
    let Some(rep) = policy.rep(rep_i) else {
        return;
    };
    let (leads, mut books) = state.split();
    let Some((slot, rec)) = leads.get_slot_mut(id) else {
        return;
    };
    let from = std::mem::replace(
        &mut rec.holder,
        Holder::Owned {
            rep: rep.id.clone(),
        },
    );
    let previous = from.owner().cloned();
    if previous.is_some() {
        let ended = if via == Via::HandOver {
            Ended::HandedOver
        } else {
            Ended::Transferred
        };
        end_ownership(rec, ended, now);
    }
    rec.entered_at = now;
    rec.owners.push(Ownership {
        rep: rep.id.clone(),
        via,
        from: now,
        until: None,
        ended: None,
    });
    let keep_clock = keep && previous.is_some();
    if keep_clock {
        if let Some(claimed_at) = rec.claimed_at {
            out.reasons.push(Reason::ProtectionKept {
                claimed_at,
                until: rec.protected_until,
            });
        }
    } else {
        rec.claimed_at = Some(now);
        rec.last_follow_up = None;
        rec.protected_until = policy.protection.as_ref().map(|p| add(now, p.default));
    }
    rec.warned.clear();
    rec.excluded.clear();
    rec.cooldowns.retain(|c| c.until > now);
    if rec.region.is_none() {
        rec.region = rep.region.clone();
    }
    nurture::pause(rec, now, &mut out.reasons);
    let protected = match (keep_clock, rec.protected_until, &policy.protection) {
        (false, Some(until), Some(p)) => Some(Reason::Protected {
            until,
            hard_max: add(now, p.max),
        }),
        _ => None,
    };
    books.set_pending(id, rec, None);
    if let Some(prev) = &previous {
        books.release_holding(prev);
    }
    let day = now.with_timezone(&policy.rep_offset(rep)).date_naive();
    let counters = books.reps.entry(&rep.id);
    counters.holdings += 1;
    if counters.day != Some(day) {
        counters.day = Some(day);
        counters.intake = 0;
    }
    counters.intake += 1;
    out.reasons.push(Reason::Holding {
        rep: rep.id.clone(),
        count: counters.holdings,
        cap: rep.holding_cap,
    });
    out.reasons.push(Reason::DailyIntake {
        rep: rep.id.clone(),
        day,
        count: counters.intake,
        cap: rep.daily_cap,
    });
    if let Some(r) = protected {
        out.reasons.push(r);
    }
    out.effects.push(Effect::Moved {
        lead: id.clone(),
        from: (!new).then_some(from),
        to: Holder::Owned {
            rep: rep.id.clone(),
        },
        via: match via {
            Via::Claim => Move::Claim,
            Via::Assign => Move::Assign,
            Via::BulkAssign => Move::BulkAssign,
            Via::Route => Move::Route,
            Via::Transfer => Move::Transfer,
            Via::HandOver => Move::HandOver,
            Via::Merge => Move::Merge,
        },
    });
    if via != Via::Claim {
        out.effects.push(Effect::Notify {
            rep: rep.id.clone(),
            lead: id.clone(),
            about: Notice::LeadAssigned,
        });
    }
    let next = timers::next_check(rec, policy);
    books.set_next_check(id, slot, rec, next);
}

/// Parks the lead with a manager for dispatch (no caps: the manager does not own it).
pub(crate) fn dispatch(
    state: &mut PoolState,
    cx: &Cx<'_>,
    id: &Id,
    manager_i: usize,
    new: bool,
    out: &mut Applied,
) {
    let (policy, now) = (cx.policy, cx.now);
    let Some(manager) = policy.rep(manager_i) else {
        return;
    };
    let (leads, mut books) = state.split();
    let Some((slot, rec)) = leads.get_slot_mut(id) else {
        return;
    };
    let to = Holder::Dispatching {
        manager: manager.id.clone(),
    };
    let from = std::mem::replace(&mut rec.holder, to.clone());
    rec.entered_at = now;
    nurture::pause(rec, now, &mut out.reasons);
    books.set_pending(id, rec, None);
    books.set_next_check(id, slot, rec, None);
    out.effects.push(Effect::Moved {
        lead: id.clone(),
        from: (!new).then_some(from),
        to,
        via: Move::Dispatch,
    });
    out.effects.push(Effect::Notify {
        rep: manager.id.clone(),
        lead: id.clone(),
        about: Notice::LeadToDispatch,
    });
}

fn end_ownership(rec: &mut LeadRecord, ended: Ended, now: DateTime<Utc>) {
    if let Some(o) = rec.owners.last_mut()
        && o.until.is_none()
    {
        o.until = Some(now);
        o.ended = Some(ended);
    }
}

/// Recomputes the lead's next check after a change.
pub(crate) fn refresh_check(state: &mut PoolState, policy: &Policy, id: &Id) {
    let (leads, mut books) = state.split();
    if let Some((slot, rec)) = leads.get_slot_mut(id) {
        let next = timers::next_check(rec, policy);
        books.set_next_check(id, slot, rec, next);
    }
}

/// How a lead leaves its owner (or dispatcher) for a pool.
pub(crate) struct Release {
    pub(crate) pool: usize,
    pub(crate) ended: Ended,
    pub(crate) via: Move,
    /// `Some(step)` for a fall-out (the ladder step, if a ladder is configured).
    pub(crate) fallout: Option<Option<u32>>,
}

/// Moves the lead back to a pool (all checks passed).
pub(crate) fn release(
    state: &mut PoolState,
    policy: &Policy,
    id: &Id,
    how: Release,
    now: DateTime<Utc>,
    out: &mut Applied,
) {
    let (leads, mut books) = state.split();
    if let Some((slot, rec)) = leads.get_slot_mut(id) {
        release_record(rec, slot, &mut books, policy, id, how, now, out);
    }
}

/// [`release`] on a record already looked up.
#[allow(clippy::too_many_arguments)]
pub(crate) fn release_record(
    rec: &mut LeadRecord,
    slot: u32,
    books: &mut Books<'_>,
    policy: &Policy,
    id: &Id,
    how: Release,
    now: DateTime<Utc>,
    out: &mut Applied,
) {
    let Some(pool) = policy.pool(how.pool) else {
        return;
    };
    let to = Holder::Pooled {
        pool: pool.id.clone(),
    };
    let from = std::mem::replace(&mut rec.holder, to.clone());
    let owner = from.owner().cloned();
    if let Some(rep) = &owner {
        end_ownership(rec, how.ended, now);
        rec.cooldowns.retain(|c| c.until > now && c.rep != *rep);
        if let Some(d) = policy.reclaim.cooldown {
            let until = add(now, d);
            rec.cooldowns.push(Cooldown {
                rep: rep.clone(),
                until,
            });
            out.reasons.push(Reason::CooldownSet {
                rep: rep.clone(),
                until,
            });
        }
        if how.fallout.is_some() && policy.reclaim.next_owner_differs && !rec.is_excluded(rep) {
            rec.excluded.push(Exclusion {
                rep: rep.clone(),
                reason: policy.fallout_reason.clone(),
            });
            out.reasons
                .push(Reason::NextOwnerDiffers { rep: rep.clone() });
        }
    }
    rec.pool = pool.id.clone();
    rec.entered_at = now;
    rec.claimed_at = None;
    rec.protected_until = None;
    rec.last_follow_up = None;
    rec.warned.clear();
    if let Some(step) = how.fallout {
        rec.fallouts += 1;
        rec.first_fallout_at = rec.first_fallout().or(Some(now));
        rec.last_fallout_at = Some(now);
        if step.is_some() {
            rec.ladder_step = step;
        }
        out.reasons.push(Reason::Fallout {
            count: rec.fallouts,
            step,
            pool: pool.id.clone(),
        });
    }
    nurture::resume(rec, now, &mut out.reasons);
    if let Some(rep) = &owner {
        books.release_holding(rep);
    }
    books.set_next_check(id, slot, rec, None);
    out.effects.push(Effect::Moved {
        lead: id.clone(),
        from: Some(from),
        to,
        via: how.via,
    });
    if let (Some(rep), Move::Reclaim | Move::AutoReclaim) = (&owner, how.via) {
        out.effects.push(Effect::Notify {
            rep: rep.clone(),
            lead: id.clone(),
            about: Notice::LeadReclaimed,
        });
    }
}

#[allow(clippy::too_many_arguments)]
fn deposit(
    state: &mut PoolState,
    cx: &Cx<'_>,
    lead: &str,
    pool: &str,
    created_at: Option<DateTime<Utc>>,
    stage: Option<&str>,
    region: Option<&str>,
    out: &mut Applied,
) -> Result<(), PoolError> {
    if lead.trim().is_empty() {
        return Err(PoolError::EmptyName("lead"));
    }
    if stage.is_some_and(|s| s.trim().is_empty()) {
        return Err(PoolError::EmptyName("stage"));
    }
    let pool_i = pool_ix(cx.policy, pool)?;
    let Some(info) = cx.policy.pool(pool_i) else {
        return Err(PoolError::UnknownPool(pool.to_string()));
    };
    let pool_id = info.id.clone();
    if let Some((id, rec)) = state.leads.get_key_value(lead) {
        let id = id.clone();
        if !matches!(rec.holder, Holder::Pooled { .. }) {
            return Err(held_error(&id, rec));
        }
        let Some(rec) = state.leads.get_mut(&id) else {
            return Ok(());
        };
        if let Some(r) = region {
            rec.region = Some(Id::from(r));
        }
        if let Some(s) = stage {
            rec.stage = Some(s.to_string());
            nurture::enter_stage(rec, cx.policy, None, cx.now, &mut out.reasons);
        }
        if rec.pool != pool_id {
            let to = Holder::Pooled {
                pool: pool_id.clone(),
            };
            let from = std::mem::replace(&mut rec.holder, to.clone());
            rec.pool = pool_id;
            rec.entered_at = cx.now;
            out.effects.push(Effect::Moved {
                lead: id.clone(),
                from: Some(from),
                to,
                via: Move::Deposit,
            });
        }
        if rec.pending.is_some() {
            state.set_pending(&id, None);
        }
        return Ok(());
    }
    let id = Id::from(lead);
    let region = region.map(Id::from).or_else(|| info.region.clone());
    let mut rec = LeadRecord::new(
        pool_id.clone(),
        region,
        created_at.unwrap_or(cx.now),
        cx.now,
    );
    if let Some(s) = stage {
        rec.stage = Some(s.to_string());
        nurture::enter_stage(&mut rec, cx.policy, None, cx.now, &mut out.reasons);
    }
    state.add_lead(id.clone(), rec);
    out.effects.push(Effect::Moved {
        lead: id,
        from: None,
        to: Holder::Pooled { pool: pool_id },
        via: Move::Deposit,
    });
    Ok(())
}

fn claim(
    state: &mut PoolState,
    cx: &Cx<'_>,
    lead: &str,
    rep: &str,
    out: &mut Applied,
) -> Result<(), PoolError> {
    let (id, rec) = lookup(state, lead)?;
    let Holder::Pooled { pool } = &rec.holder else {
        return Err(held_error(&id, rec));
    };
    let rep_i = rep_ix(cx.policy, rep)?;
    let Some(info) = cx.policy.rep(rep_i) else {
        return Err(PoolError::UnknownRep(rep.to_string()));
    };
    if !info.active {
        return Err(PoolError::RepInactive(rep.to_string()));
    }
    if let Some(eligible) = cx
        .policy
        .pool_index(pool)
        .and_then(|p| cx.policy.pool(p))
        .and_then(|p| p.eligible.as_ref())
        && !eligible.admits(info)
    {
        return Err(PoolError::NotEligible {
            rep: rep.to_string(),
            pool: pool.to_string(),
        });
    }
    check_take(state, cx.policy, lead, Some(rec), info, cx.now, 0)?;
    take(state, cx, &id, rep_i, Via::Claim, false, false, out);
    Ok(())
}

/// What an assignment of one lead will do, once checked.
enum Plan {
    Take(usize),
    Dispatch(usize),
}

fn plan_assign(
    state: &PoolState,
    cx: &Cx<'_>,
    id: &Id,
    rec: &LeadRecord,
    rep_i: usize,
    by: Option<&str>,
    extra: u32,
) -> Result<Plan, PoolError> {
    let Some(rep) = cx.policy.rep(rep_i) else {
        return Err(PoolError::UnknownRep(String::new()));
    };
    match &rec.holder {
        Holder::Pooled { .. } => {
            if rep.role == Role::Manager {
                if !rep.active {
                    return Err(PoolError::RepInactive(rep.id.to_string()));
                }
                return Ok(Plan::Dispatch(rep_i));
            }
        }
        Holder::Dispatching { manager } => {
            if by != Some(&**manager) {
                return Err(PoolError::NotDispatcher {
                    lead: id.to_string(),
                    manager: manager.to_string(),
                });
            }
            if rep.id != *manager {
                let leads = cx
                    .policy
                    .rep_index(manager)
                    .and_then(|m| cx.policy.rep(m))
                    .map(|m| m.leads_teams.as_slice())
                    .unwrap_or_default();
                if !rep.team.is_some_and(|t| leads.contains(&t)) {
                    return Err(PoolError::NotInTeam {
                        rep: rep.id.to_string(),
                        manager: manager.to_string(),
                    });
                }
            }
        }
        _ => return Err(held_error(id, rec)),
    }
    check_take(state, cx.policy, id, Some(rec), rep, cx.now, extra)?;
    Ok(Plan::Take(rep_i))
}

fn assign(
    state: &mut PoolState,
    cx: &Cx<'_>,
    lead: &str,
    rep: &str,
    by: Option<&str>,
    out: &mut Applied,
) -> Result<(), PoolError> {
    let (id, rec) = lookup(state, lead)?;
    let rep_i = rep_ix(cx.policy, rep)?;
    match plan_assign(state, cx, &id, rec, rep_i, by, 0)? {
        Plan::Take(r) => take(state, cx, &id, r, Via::Assign, false, false, out),
        Plan::Dispatch(m) => dispatch(state, cx, &id, m, false, out),
    }
    Ok(())
}

fn bulk_assign(
    state: &mut PoolState,
    cx: &Cx<'_>,
    leads: &[String],
    rep: &str,
    by: Option<&str>,
    out: &mut Applied,
) -> Result<(), PoolError> {
    if leads.is_empty() {
        return Err(PoolError::EmptyBatch);
    }
    let rep_i = rep_ix(cx.policy, rep)?;
    let mut seen = BTreeSet::new();
    let mut plans = Vec::with_capacity(leads.len());
    let mut taken = 0u32;
    for (index, lead) in leads.iter().enumerate() {
        let wrap = |source: PoolError| PoolError::Item {
            list: ItemList::Leads,
            index,
            source: Box::new(source),
        };
        if !seen.insert(lead.as_str()) {
            return Err(wrap(PoolError::DuplicateLead(lead.clone())));
        }
        let (id, rec) = lookup(state, lead).map_err(wrap)?;
        let plan = plan_assign(state, cx, &id, rec, rep_i, by, taken).map_err(wrap)?;
        if matches!(plan, Plan::Take(_)) {
            taken += 1;
        }
        plans.push((id, plan));
    }
    for (id, plan) in plans {
        match plan {
            Plan::Take(r) => take(state, cx, &id, r, Via::BulkAssign, false, false, out),
            Plan::Dispatch(m) => dispatch(state, cx, &id, m, false, out),
        }
    }
    Ok(())
}

/// `not_owned` / `not_owner` / `lead_converted` unless `rep` owns the lead.
fn require_owner(id: &Id, rec: &LeadRecord, rep: &str) -> Result<(), PoolError> {
    match &rec.holder {
        Holder::Owned { rep: r } if &**r == rep => Ok(()),
        Holder::Pooled { .. } => Err(PoolError::NotOwned(id.to_string())),
        Holder::Converted { .. } => Err(PoolError::LeadConverted(id.to_string())),
        _ => Err(PoolError::NotOwner {
            lead: id.to_string(),
            rep: rep.to_string(),
        }),
    }
}

/// `protection_expired` when a reclaim deadline has passed (the next tick reclaims the lead).
fn require_protected(
    id: &Id,
    rec: &LeadRecord,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<(), PoolError> {
    match timers::reclaim_at(rec, policy) {
        Some(at) if at <= now => Err(PoolError::ProtectionExpired {
            lead: id.to_string(),
            at,
        }),
        _ => Ok(()),
    }
}

fn return_lead(
    state: &mut PoolState,
    cx: &Cx<'_>,
    lead: &str,
    rep: &str,
    reason: &str,
    pool: Option<&str>,
    out: &mut Applied,
) -> Result<(), PoolError> {
    let (id, rec) = lookup(state, lead)?;
    rep_ix(cx.policy, rep)?;
    require_owner(&id, rec, rep)?;
    if reason.trim().is_empty() {
        return Err(PoolError::MissingReason);
    }
    let dest = match pool {
        Some(p) => pool_ix(cx.policy, p)?,
        None => pool_ix(cx.policy, &rec.pool)?,
    };
    release(
        state,
        cx.policy,
        &id,
        Release {
            pool: dest,
            ended: Ended::Returned,
            via: Move::Return,
            fallout: None,
        },
        cx.now,
        out,
    );
    Ok(())
}

fn reclaim(
    state: &mut PoolState,
    cx: &Cx<'_>,
    lead: &str,
    reason: &str,
    pool: Option<&str>,
    out: &mut Applied,
) -> Result<(), PoolError> {
    let (id, rec) = lookup(state, lead)?;
    match &rec.holder {
        Holder::Owned { .. } | Holder::Dispatching { .. } => {}
        Holder::Pooled { .. } => return Err(PoolError::NotOwned(id.to_string())),
        Holder::Converted { .. } => return Err(PoolError::LeadConverted(id.to_string())),
    }
    if reason.trim().is_empty() {
        return Err(PoolError::MissingReason);
    }
    let given = pool.map(|p| pool_ix(cx.policy, p)).transpose()?;
    let how = if let Holder::Owned { .. } = rec.holder {
        let (ladder_pool, step) = timers::fallout_destination(rec, cx.policy, cx.now);
        let dest = match given.or(ladder_pool) {
            Some(p) => p,
            None => pool_ix(cx.policy, &rec.pool)?,
        };
        Release {
            pool: dest,
            ended: Ended::Reclaimed,
            via: Move::Reclaim,
            fallout: Some(step),
        }
    } else {
        let dest = match given {
            Some(p) => p,
            None => pool_ix(cx.policy, &rec.pool)?,
        };
        Release {
            pool: dest,
            ended: Ended::Reclaimed,
            via: Move::Reclaim,
            fallout: None,
        }
    };
    release(state, cx.policy, &id, how, cx.now, out);
    Ok(())
}

fn transfer(
    state: &mut PoolState,
    cx: &Cx<'_>,
    lead: &str,
    from: &str,
    to: &str,
    out: &mut Applied,
) -> Result<(), PoolError> {
    let (id, rec) = lookup(state, lead)?;
    rep_ix(cx.policy, from)?;
    let to_i = rep_ix(cx.policy, to)?;
    require_owner(&id, rec, from)?;
    if from == to {
        return Err(PoolError::SameOwner {
            lead: id.to_string(),
            rep: to.to_string(),
        });
    }
    require_protected(&id, rec, cx.policy, cx.now)?;
    let Some(info) = cx.policy.rep(to_i) else {
        return Err(PoolError::UnknownRep(to.to_string()));
    };
    check_take(state, cx.policy, &id, Some(rec), info, cx.now, 0)?;
    let keep = !cx
        .policy
        .protection
        .as_ref()
        .is_some_and(|p| p.transfer_resets);
    take(state, cx, &id, to_i, Via::Transfer, false, keep, out);
    Ok(())
}

fn hand_over(
    state: &mut PoolState,
    cx: &Cx<'_>,
    lead: &str,
    from: &str,
    to: Option<&str>,
    role: Option<Role>,
    out: &mut Applied,
) -> Result<(), PoolError> {
    let policy = cx.policy;
    let (id, rec) = lookup(state, lead)?;
    let giver = policy
        .rep(rep_ix(policy, from)?)
        .ok_or_else(|| PoolError::UnknownRep(from.to_string()))?;
    require_owner(&id, rec, from)?;
    require_protected(&id, rec, policy, cx.now)?;
    let receiver = to
        .map(|to| {
            let i = rep_ix(policy, to)?;
            let info = policy
                .rep(i)
                .ok_or_else(|| PoolError::UnknownRep(to.to_string()))?;
            Ok::<_, PoolError>((i, info))
        })
        .transpose()?;
    let not_allowed = |to_role: Option<Role>| PoolError::HandoverNotAllowed {
        lead: id.to_string(),
        from_role: giver.role.as_str().to_string(),
        to_role: to_role.map(|r| r.as_str().to_string()),
    };
    let to_role = receiver.map(|(_, r)| r.role);
    if let (Some(named), Some(role)) = (to_role, role)
        && named != role
    {
        return Err(not_allowed(Some(named)));
    }
    let path = policy
        .handover(giver.role, to_role, role)
        .ok_or_else(|| not_allowed(to_role.or(role)))?;
    let to_i = match receiver {
        Some((i, info)) => {
            if info.id == giver.id {
                return Err(PoolError::SameOwner {
                    lead: id.to_string(),
                    rep: info.id.to_string(),
                });
            }
            check_take(state, policy, &id, Some(rec), info, cx.now, 0)?;
            i
        }
        None => {
            let no_receiver = |skipped| PoolError::NoReceiver {
                lead: id.to_string(),
                handover: path.id.to_string(),
                skipped,
            };
            let Some(team) = path.team.and_then(|t| policy.team(t)) else {
                return Err(no_receiver(Vec::new()));
            };
            let filter = MemberFilter {
                segments: &[],
                role: Some(path.to),
            };
            let lead = ForLead {
                id: &id,
                rejected_by: None,
            };
            let strategy = path.strategy.unwrap_or(team.strategy);
            let pick = member_pick(
                state,
                policy,
                lead,
                Some(rec),
                team,
                filter,
                strategy,
                cx.now,
            );
            let Some(i) = pick.chosen().and_then(|r| policy.rep_index(r)) else {
                return Err(no_receiver(
                    pick.candidates()
                        .iter()
                        .filter_map(|c| c.skipped.map(|s| format!("{}: {}", c.rep, s.code())))
                        .collect(),
                ));
            };
            let mut decision = Decision::for_handover(id.clone(), path.id.clone(), team.id.clone());
            pick.fill(&mut decision);
            if let Some((team, rotation)) = decision.rotation.take() {
                state.teams.insert(team, rotation);
            }
            out.decisions.push(decision);
            i
        }
    };
    if let Some(receiver) = policy.rep(to_i) {
        out.reasons.push(Reason::HandedOver {
            handover: path.id.clone(),
            from: giver.id.clone(),
            from_role: giver.role,
            to: receiver.id.clone(),
            to_role: receiver.role,
        });
    }
    take(
        state,
        cx,
        &id,
        to_i,
        Via::HandOver,
        false,
        path.keep_protection,
        out,
    );
    Ok(())
}

fn follow_up(
    state: &mut PoolState,
    cx: &Cx<'_>,
    lead: &str,
    rep: &str,
    kind: Option<&str>,
    out: &mut Applied,
) -> Result<(), PoolError> {
    let (id, rec) = lookup(state, lead)?;
    rep_ix(cx.policy, rep)?;
    require_owner(&id, rec, rep)?;
    require_protected(&id, rec, cx.policy, cx.now)?;
    let protection = cx.policy.protection.as_ref();
    let qualifying = match (kind, protection) {
        (Some(k), Some(p)) => p.qualifying.is_empty() || p.qualifying.iter().any(|q| q == k),
        _ => true,
    };
    if !qualifying {
        out.reasons.push(Reason::NotQualifying {
            kind: kind.unwrap_or_default().to_string(),
        });
        return Ok(());
    }
    let (leads, mut books) = state.split();
    let Some((slot, rec)) = leads.get_slot_mut(&id) else {
        return Ok(());
    };
    rec.last_follow_up = Some(cx.now);
    if let (Some(p), Some(current), Some(claimed)) =
        (protection, rec.protected_until, rec.claimed_at)
    {
        let hard = add(claimed, p.max);
        let wanted = current.max(add(cx.now, p.extension));
        let to = wanted.min(hard);
        rec.protected_until = Some(to);
        out.reasons.push(Reason::ProtectionExtended {
            from: current,
            to,
            capped: wanted > hard,
        });
    }
    let next = timers::next_check(rec, cx.policy);
    books.set_next_check(&id, slot, rec, next);
    Ok(())
}

fn mark_converted(
    state: &mut PoolState,
    cx: &Cx<'_>,
    lead: &str,
    out: &mut Applied,
) -> Result<(), PoolError> {
    let (id, rec) = lookup(state, lead)?;
    if let Holder::Converted { .. } = rec.holder {
        return Err(PoolError::LeadConverted(id.to_string()));
    }
    let (leads, mut books) = state.split();
    let Some((slot, rec)) = leads.get_slot_mut(&id) else {
        return Ok(());
    };
    let owner = rec.holder.owner().cloned();
    let to = Holder::Converted { rep: owner.clone() };
    let from = std::mem::replace(&mut rec.holder, to.clone());
    if owner.is_some() {
        end_ownership(rec, Ended::Converted, cx.now);
    }
    rec.entered_at = cx.now;
    rec.milestones.insert("converted".into(), cx.now);
    if let Some(n) = rec.nurture.take() {
        nurture::left(&n, &mut out.reasons);
    }
    if let Some(rep) = &owner {
        books.release_holding(rep);
    }
    books.set_pending(&id, rec, None);
    books.set_next_check(&id, slot, rec, None);
    out.effects.push(Effect::Moved {
        lead: id,
        from: Some(from),
        to,
        via: Move::Convert,
    });
    Ok(())
}

fn exclude_owner(
    state: &mut PoolState,
    cx: &Cx<'_>,
    lead: &str,
    owner: &str,
    reason: &str,
    out: &mut Applied,
) -> Result<(), PoolError> {
    let (id, rec) = lookup(state, lead)?;
    let rep_i = rep_ix(cx.policy, owner)?;
    if let Holder::Converted { .. } = rec.holder {
        return Err(PoolError::LeadConverted(id.to_string()));
    }
    let Some(rep) = cx.policy.rep(rep_i).map(|r| r.id.clone()) else {
        return Err(PoolError::UnknownRep(owner.to_string()));
    };
    let Some(rec) = state.leads.get_mut(&id) else {
        return Ok(());
    };
    match rec.excluded.iter_mut().find(|e| e.rep == rep) {
        Some(e) => e.reason = Id::from(reason),
        None => rec.excluded.push(Exclusion {
            rep: rep.clone(),
            reason: Id::from(reason),
        }),
    }
    out.reasons.push(Reason::NextOwnerDiffers { rep });
    Ok(())
}

/// Archive or remove: the record leaves the state; an owner's holding is released.
fn leave(
    state: &mut PoolState,
    lead: &str,
    how: Departure,
    out: &mut Applied,
) -> Result<(), PoolError> {
    let (id, _) = lookup(state, lead)?;
    let Some(rec) = state.remove_lead(&id) else {
        return Ok(());
    };
    if let Holder::Owned { rep } = &rec.holder {
        let (_, mut books) = state.split();
        books.release_holding(rep);
    }
    if let Some(n) = &rec.nurture {
        nurture::left(n, &mut out.reasons);
    }
    out.effects.push(Effect::Left {
        lead: id,
        from: rec.holder,
        how,
        into: None,
    });
    Ok(())
}

/// Merges `duplicate` into `survivor` (see [`Command::Merge`]).
fn merge(
    state: &mut PoolState,
    cx: &Cx<'_>,
    survivor: &str,
    duplicate: &str,
    out: &mut Applied,
) -> Result<(), PoolError> {
    if survivor == duplicate {
        return Err(PoolError::SameLead(survivor.to_string()));
    }
    let (sid, srec) = lookup(state, survivor)?;
    let (did, drec) = lookup(state, duplicate)?;
    if let Holder::Converted { .. } = drec.holder {
        return Err(PoolError::LeadConverted(did.to_string()));
    }
    let inherit = match (&drec.holder, &srec.holder) {
        (Holder::Owned { rep }, Holder::Pooled { .. }) => Some(rep.clone()),
        _ => None,
    };
    let Some(dup) = state.remove_lead(&did) else {
        return Ok(());
    };
    let (leads, mut books) = state.split();
    let Some((slot, rec)) = leads.get_slot_mut(&sid) else {
        return Ok(());
    };
    for (name, t) in &dup.milestones {
        let e = rec.milestones.entry(name.clone()).or_insert(*t);
        *e = (*e).max(*t);
    }
    if rec.last_activity < dup.last_activity {
        rec.last_activity = dup.last_activity;
    }
    let owner = dup.holder.owner().cloned();
    match (&inherit, &owner) {
        (Some(rep), _) => {
            let from = std::mem::replace(&mut rec.holder, Holder::Owned { rep: rep.clone() });
            rec.entered_at = cx.now;
            rec.owners.push(Ownership {
                rep: rep.clone(),
                via: Via::Merge,
                from: cx.now,
                until: None,
                ended: None,
            });
            rec.claimed_at = dup.claimed_at;
            rec.protected_until = dup.protected_until;
            rec.last_follow_up = dup.last_follow_up;
            rec.warned = dup.warned.clone();
            nurture::pause(rec, cx.now, &mut out.reasons);
            books.set_pending(&sid, rec, None);
            out.effects.push(Effect::Moved {
                lead: sid.clone(),
                from: Some(from),
                to: Holder::Owned { rep: rep.clone() },
                via: Move::Merge,
            });
        }
        (None, Some(rep)) => {
            books.release_holding(rep);
            if rec.holder.owner() != Some(rep) {
                out.effects.push(Effect::Notify {
                    rep: rep.clone(),
                    lead: did.clone(),
                    about: Notice::LeadMerged,
                });
            }
        }
        (None, None) => {}
    }
    let next = timers::next_check(rec, cx.policy);
    books.set_next_check(&sid, slot, rec, next);
    out.effects.push(Effect::Left {
        lead: did,
        from: dup.holder,
        how: Departure::Merged,
        into: Some(sid),
    });
    Ok(())
}
