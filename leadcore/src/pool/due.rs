//! `due`: SLA timers due or overdue, and nurture steps due, at `now`. Read-only: nothing runs
//! by itself; the host acts and reports back (`milestone`, `follow_up`, `nurture_done`,
//! `reclaim`…).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::config::{HolderFilter, Recipient, SlaStart};
use super::error::PoolError;
use super::nurture::{self, StepDue};
use super::policy::{Policy, Sla};
use super::state::{Holder, Id, LeadRecord, PoolState, add, sub};

/// Whether a timer is in its warning window or past its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimerStatus {
    /// Within `warn_before_hours` of the deadline: a reminder.
    Due,
    /// Past the deadline.
    Overdue,
}

/// An SLA timer due or overdue for one lead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct TimerDue {
    /// Timer id.
    pub timer: Id,
    /// Lead id.
    pub lead: Id,
    /// Where the timer started.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "crate::time::InstantSchema")]
    pub started_at: DateTime<Utc>,
    /// The deadline (business hours counted on the timer's calendar).
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "crate::time::InstantSchema")]
    pub deadline: DateTime<Utc>,
    /// Due (reminder) or overdue.
    pub status: TimerStatus,
    /// The escalation step reached (0-based), for overdue timers past a step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<u32>,
    /// Who the host should reach.
    pub to: Recipient,
    /// That person, when the policy names one (owner, team lead, pool manager).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rep: Option<Id>,
    /// When the next escalation step is reached.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "crate::time::rfc3339::option"
    )]
    #[schemars(with = "Option<crate::time::InstantSchema>")]
    pub next_escalation_at: Option<DateTime<Utc>>,
}

/// Everything due at `now`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PoolDue")]
pub struct Due {
    /// SLA timers, by deadline, then lead, then timer id.
    pub timers: Vec<TimerDue>,
    /// Nurture steps, by due time, then lead, then SOP steps before reactivation steps, then
    /// cadence (in config order), then step `at` and id.
    pub nurture: Vec<StepDue>,
}

/// Lists the SLA timers due or overdue and the nurture steps due at `now`, changing nothing.
///
/// A timer runs for each lead its holder and stage filters admit; it starts at its anchor
/// (creation, entry, assignment, last follow-up, last activity), is met when its `stop`
/// milestone happened at or after the start, and has its deadline `hours` later (business
/// hours on its calendar). It is listed from `warn_before_hours` before the deadline (`due`,
/// to the owner) and after it (`overdue`, to the highest escalation step reached). A pass over
/// every lead.
///
/// ```
/// use leadcore::pool::{Command, Policy, PoolState, apply, due};
/// let policy = Policy::from_json(r#"{"pools": [{"id": "inbox", "kind": "active", "manager": "li"}],
///   "reps": [{"id": "li", "role": "manager"}],
///   "sla": [{"id": "cleaning", "start": "created", "stop": "cleaned", "hours": 48,
///            "escalation": [{"after_hours": 0, "to": "pool_manager"}]}]}"#).unwrap();
/// let mut state = PoolState::default();
/// let t = |s| leadcore::time::parse(s).unwrap();
/// let cmd: Command = serde_json::from_str(r#"{"type": "deposit", "lead": "L1", "pool": "inbox"}"#).unwrap();
/// apply(&mut state, &policy, &cmd, t("2026-11-23T00:00:00Z")).unwrap();
/// let d = due(&state, &policy, t("2026-11-25T01:00:00Z")).unwrap();
/// assert_eq!(d.timers[0].timer.as_ref(), "cleaning");
/// assert_eq!(d.timers[0].rep.as_deref(), Some("li"));
/// ```
pub fn due(state: &PoolState, policy: &Policy, now: DateTime<Utc>) -> Result<Due, PoolError> {
    state.check_clock(now)?;
    let mut out = Due::default();
    let needs_scan = !policy.sla.is_empty() || policy.nurture.is_some();
    if !needs_scan {
        return Ok(out);
    }
    for (id, rec) in state.leads.iter() {
        if let Holder::Converted { .. } = rec.holder {
            continue;
        }
        for sla in &policy.sla {
            if let Some(t) = timer(id, rec, sla, policy, now) {
                out.timers.push(t);
            }
        }
        nurture::steps_due(id, rec, policy, now, &mut out.nurture);
    }
    out.timers.sort_by(|a, b| {
        (a.deadline, &a.lead, sla_pos(policy, &a.timer)).cmp(&(
            b.deadline,
            &b.lead,
            sla_pos(policy, &b.timer),
        ))
    });
    let cadence = |id: &str| policy.nurture.as_ref().map_or(0, |n| n.position(id));
    out.nurture.sort_by(|a, b| {
        (
            a.due_at,
            &a.lead,
            a.reactivation,
            cadence(&a.sop),
            a.at,
            &a.step,
        )
            .cmp(&(
                b.due_at,
                &b.lead,
                b.reactivation,
                cadence(&b.sop),
                b.at,
                &b.step,
            ))
    });
    Ok(out)
}

fn sla_pos(policy: &Policy, id: &Id) -> usize {
    policy
        .sla
        .iter()
        .position(|s| s.id == *id)
        .unwrap_or(usize::MAX)
}

fn start_of(rec: &LeadRecord, start: SlaStart) -> Option<DateTime<Utc>> {
    let owned_from = rec.current_ownership().map(|o| o.from);
    match start {
        SlaStart::Created => Some(rec.created_at),
        SlaStart::Entered => Some(rec.entered_at),
        SlaStart::Assigned => owned_from,
        SlaStart::LastFollowUp => owned_from.map(|f| rec.last_follow_up.map_or(f, |l| l.max(f))),
        SlaStart::LastActivity => Some(
            rec.last_activity
                .map_or(rec.created_at, |a| a.max(rec.created_at)),
        ),
    }
}

fn milestone(rec: &LeadRecord, name: &str) -> Option<DateTime<Utc>> {
    match name {
        "assigned" => rec.owners.last().map(|o| o.from),
        "followed_up" => rec.last_follow_up,
        "activity" => rec.last_activity,
        other => rec.milestones.get(other).copied(),
    }
}

fn span_end(
    policy: &Policy,
    sla: &Sla,
    start: DateTime<Utc>,
    span: chrono::Duration,
) -> Option<DateTime<Utc>> {
    match sla.calendar.and_then(|c| policy.calendars.get(c)) {
        Some(cal) => cal.add(start, span),
        None => Some(add(start, span)),
    }
}

fn timer(
    id: &Id,
    rec: &LeadRecord,
    sla: &Sla,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Option<TimerDue> {
    let admitted = matches!(
        (sla.holder, &rec.holder),
        (HolderFilter::Any, _)
            | (HolderFilter::Pooled, Holder::Pooled { .. })
            | (HolderFilter::Owned, Holder::Owned { .. })
            | (HolderFilter::Dispatching, Holder::Dispatching { .. })
    );
    if !admitted {
        return None;
    }
    if !sla.stages.is_empty()
        && !rec
            .stage
            .as_deref()
            .is_some_and(|s| sla.stages.iter().any(|x| x == s))
    {
        return None;
    }
    let started_at = start_of(rec, sla.start)?;
    if let Some(stop) = &sla.stop
        && milestone(rec, stop).is_some_and(|m| m >= started_at)
    {
        return None;
    }
    let deadline = span_end(policy, sla, started_at, sla.span)?;
    let (status, level, to, next_escalation_at) = if now >= deadline {
        let mut level = None;
        let mut to = Recipient::Owner;
        let mut next = None;
        for (i, (after, recipient)) in sla.escalation.iter().enumerate() {
            let at = span_end(policy, sla, deadline, *after)?;
            if at <= now {
                level = u32::try_from(i).ok();
                to = *recipient;
            } else {
                next = Some(at);
                break;
            }
        }
        (TimerStatus::Overdue, level, to, next)
    } else {
        let warn = sla.warn?;
        if sub(deadline, warn) > now {
            return None;
        }
        (TimerStatus::Due, None, Recipient::Owner, None)
    };
    Some(TimerDue {
        timer: sla.id.clone(),
        lead: id.clone(),
        started_at,
        deadline,
        status,
        level,
        to,
        rep: recipient(rec, policy, to),
        next_escalation_at,
    })
}

fn pool_manager(rec: &LeadRecord, policy: &Policy) -> Option<Id> {
    policy
        .pool_index(&rec.pool)
        .and_then(|p| policy.pool(p))
        .and_then(|p| p.manager)
        .and_then(|m| policy.rep(m))
        .map(|m| m.id.clone())
}

fn team_lead(rep: &str, policy: &Policy) -> Option<Id> {
    policy
        .rep_index(rep)
        .and_then(|r| policy.rep(r))
        .and_then(|r| r.team)
        .and_then(|t| policy.team(t))
        .and_then(|t| t.lead)
        .and_then(|l| policy.rep(l))
        .map(|l| l.id.clone())
}

fn recipient(rec: &LeadRecord, policy: &Policy, to: Recipient) -> Option<Id> {
    match (to, &rec.holder) {
        (Recipient::Reclaim, _) => None,
        (Recipient::PoolManager, _) => pool_manager(rec, policy),
        (Recipient::Owner, Holder::Owned { rep }) => Some(rep.clone()),
        (Recipient::Owner, Holder::Dispatching { manager }) => Some(manager.clone()),
        (Recipient::Manager, Holder::Owned { rep }) => team_lead(rep, policy),
        (Recipient::Manager, Holder::Dispatching { manager }) => team_lead(manager, policy),
        (Recipient::Owner | Recipient::Manager, _) => pool_manager(rec, policy),
    }
}
