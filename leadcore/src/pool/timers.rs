//! Protection and reclaim deadlines of an owned lead, its warnings, its next check, and where
//! it falls out to.

use chrono::{DateTime, Duration, Utc};

use super::config::LadderSince;
use super::policy::{Ladder, Policy};
use super::state::{Holder, LeadRecord, Trigger, add, sub};

/// The reclaim deadlines of an owned lead, at most one per trigger, in trigger order (no
/// allocation: `tick` computes them for every lead it visits).
pub(crate) fn deadlines(
    rec: &LeadRecord,
    policy: &Policy,
) -> [Option<(Trigger, DateTime<Utc>)>; 3] {
    let Holder::Owned { .. } = rec.holder else {
        return [None; 3];
    };
    let protection = rec.protected_until.map(|t| (Trigger::Protection, t));
    let no_follow_up = match (policy.reclaim.no_follow_up, rec.current_ownership()) {
        (Some(n), Some(own)) => {
            let anchor = rec.last_follow_up.map_or(own.from, |f| f.max(own.from));
            Some((Trigger::NoFollowUp, add(anchor, n)))
        }
        _ => None,
    };
    let not_converted = match (policy.reclaim.not_converted, rec.claimed_at) {
        (Some(m), Some(claimed)) => Some((Trigger::NotConverted, add(claimed, m))),
        _ => None,
    };
    [protection, no_follow_up, not_converted]
}

/// The earliest reclaim deadline of an owned lead.
pub(crate) fn reclaim_at(rec: &LeadRecord, policy: &Policy) -> Option<DateTime<Utc>> {
    deadlines(rec, policy)
        .into_iter()
        .flatten()
        .map(|(_, t)| t)
        .min()
}

/// How long before a trigger's deadline its warning is due.
pub(crate) fn warn_for(trigger: Trigger, policy: &Policy) -> Option<Duration> {
    match trigger {
        Trigger::Protection => policy.protection.as_ref().and_then(|p| p.warn),
        Trigger::NoFollowUp | Trigger::NotConverted => policy.reclaim.warn,
    }
}

/// Whether the warning for this deadline was already given.
pub(crate) fn warned(rec: &LeadRecord, trigger: Trigger, deadline: DateTime<Utc>) -> bool {
    rec.warned
        .iter()
        .any(|w| w.trigger == trigger && w.deadline == deadline)
}

/// When `tick` next has something to do for the lead: its earliest reclaim deadline or a
/// warning not yet given.
pub(crate) fn next_check(rec: &LeadRecord, policy: &Policy) -> Option<DateTime<Utc>> {
    let mut next: Option<DateTime<Utc>> = None;
    for (trigger, deadline) in deadlines(rec, policy).into_iter().flatten() {
        let mut at = deadline;
        if let Some(w) = warn_for(trigger, policy)
            && !warned(rec, trigger, deadline)
        {
            at = at.min(sub(deadline, w));
        }
        next = Some(next.map_or(at, |n| n.min(at)));
    }
    next
}

/// Where a lead falling out of protection goes: the pool and the escalation ladder step.
///
/// Without a ladder: back to the pool it came from. With one: the first fall-out takes step 0;
/// a later one takes the next step if the time since that step's origin (`since`) is within
/// its bounds, else stays on its step. The pool is the one of the step's kind in the lead's
/// region, else one of that kind without region, else the lead's own pool if of that kind,
/// else the first pool of that kind.
pub(crate) fn fallout_destination(
    rec: &LeadRecord,
    policy: &Policy,
    now: DateTime<Utc>,
) -> (Option<usize>, Option<u32>) {
    if policy.ladder.is_empty() {
        return (policy.pool_index(&rec.pool), None);
    }
    let step = match rec.ladder_step {
        None => 0,
        Some(s) => {
            let next = s as usize + 1;
            let ok = policy.ladder.get(next).is_some_and(|l| admits(l, rec, now));
            if ok { next } else { s as usize }
        }
    };
    let Some(kind) = policy.ladder.get(step).map(|l| l.kind) else {
        return (policy.pool_index(&rec.pool), None);
    };
    let of_kind = || {
        policy
            .pools
            .iter()
            .enumerate()
            .filter(|(_, p)| p.kind == kind)
    };
    let pool = of_kind()
        .find(|(_, p)| p.region.is_some() && p.region == rec.region)
        .or_else(|| of_kind().find(|(_, p)| p.region.is_none()))
        .or_else(|| of_kind().find(|(_, p)| p.id == rec.pool))
        .or_else(|| of_kind().next())
        .map(|(i, _)| i);
    (pool, u32::try_from(step).ok())
}

/// Whether a fall-out at `now` is within the bounds of ladder step `l`, counted from the
/// step's origin; never when the lead has no such origin.
fn admits(l: &Ladder, rec: &LeadRecord, now: DateTime<Utc>) -> bool {
    let origin = match l.since {
        LadderSince::FirstFallOut => rec.first_fallout(),
        LadderSince::Assignment => rec.claimed_at,
        LadderSince::PreviousFallOut => rec.last_fallout_at,
    };
    origin.is_some_and(|o| {
        l.min.is_none_or(|m| now >= m.after(o)) && l.max.is_none_or(|m| now <= m.after(o))
    })
}
