//! Nurture cadences (seed 003): relative-time SOPs counted from each lead's own entry.
//!
//! - A lead whose stage has a cadence enters it at step 1 (its first step) when it gets the
//!   stage; a new stage switches it to that stage's cadence, again from the first step; a stage
//!   without cadence takes it out of nurture.
//! - Step times count from the entry, **excluding the time a person held the lead**: a claim
//!   (or a dispatch) pauses the cadence, a return to a pool resumes it where it stopped.
//! - Silence is the time since the lead's own last activity (or since it entered its cadence
//!   or its pool, whichever is later). Once the silence reaches the reactivation cadence's first
//!   step, the lead is in reactivation: `due` lists the reactivation steps reached (30 / 45 / 60
//!   days of silence) instead of its stage cadence. Activity ends the silence; the next silence
//!   starts the reactivation over.
//! - `due` lists every step whose time has come and that the host has not reported done (with
//!   `nurture_done`), so a step is never repeated once reported and never lost if not.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::command::Reason;
use super::error::PoolError;
use super::policy::{Policy, Sop};
use super::state::{Holder, Id, LeadRecord, NurtureRecord, add};

/// A nurture step due for a lead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct StepDue {
    /// Lead id.
    pub lead: Id,
    /// Cadence id.
    pub sop: Id,
    /// Step id.
    pub step: Id,
    /// The step's `at` (units after entry, or days of silence).
    pub at: u32,
    /// Whether it is a reactivation step.
    pub reactivation: bool,
    /// When it became due.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "crate::time::InstantSchema")]
    pub due_at: DateTime<Utc>,
    /// Channel to send on.
    pub channel: Id,
    /// Content to send.
    pub content: Id,
}

fn held(rec: &LeadRecord) -> bool {
    matches!(
        rec.holder,
        Holder::Owned { .. } | Holder::Dispatching { .. }
    )
}

/// Puts the lead into the cadence of its stage (or out of nurture), after a stage change.
pub(crate) fn enter_stage(
    rec: &mut LeadRecord,
    policy: &Policy,
    now: DateTime<Utc>,
    reasons: &mut Vec<Reason>,
) {
    let target = rec.stage.as_deref().and_then(|stage| {
        policy
            .nurture
            .as_ref()
            .and_then(|n| n.sops.iter().find(|s| s.stage == stage))
    });
    match target {
        Some(sop) if rec.nurture.as_ref().is_some_and(|n| n.sop == sop.id) => {}
        Some(sop) => {
            if let Some(old) = rec.nurture.take() {
                reasons.push(Reason::NurtureLeft { sop: old.sop });
            }
            rec.nurture = Some(Box::new(NurtureRecord {
                sop: sop.id.clone(),
                entered_at: now,
                paused_secs: 0,
                paused_since: held(rec).then_some(now),
                done: Vec::new(),
                reactivation_done: Vec::new(),
                silence_since: None,
            }));
            reasons.push(Reason::NurtureEntered {
                sop: sop.id.clone(),
            });
        }
        None => {
            if let Some(old) = rec.nurture.take() {
                reasons.push(Reason::NurtureLeft { sop: old.sop });
            }
        }
    }
}

/// Pauses the cadence while a person holds the lead.
pub(crate) fn pause(rec: &mut LeadRecord, now: DateTime<Utc>, reasons: &mut Vec<Reason>) {
    if let Some(n) = &mut rec.nurture
        && n.paused_since.is_none()
    {
        n.paused_since = Some(now);
        reasons.push(Reason::NurturePaused { sop: n.sop.clone() });
    }
}

/// Resumes the cadence when the lead is back in a pool.
pub(crate) fn resume(rec: &mut LeadRecord, now: DateTime<Utc>, reasons: &mut Vec<Reason>) {
    if let Some(n) = &mut rec.nurture
        && let Some(since) = n.paused_since.take()
    {
        n.paused_secs = n
            .paused_secs
            .saturating_add(now.signed_duration_since(since).num_seconds().max(0));
        reasons.push(Reason::NurtureResumed { sop: n.sop.clone() });
    }
}

/// The start of the lead's current silence.
fn silence_since(rec: &LeadRecord, n: &NurtureRecord) -> DateTime<Utc> {
    let mut t = n.entered_at.max(rec.entered_at);
    if let Some(a) = rec.last_activity {
        t = t.max(a);
    }
    t
}

/// A checked `nurture_done`.
pub(crate) struct Done {
    step: Id,
    /// For a reactivation step, the silence it belongs to.
    silence: Option<DateTime<Utc>>,
}

fn find_step<'p>(sop: &'p Sop, step: &str) -> Option<&'p Id> {
    sop.steps.iter().find(|s| &*s.id == step).map(|s| &s.id)
}

/// Checks that `step` of `sop` is one of the lead's current cadences' steps.
pub(crate) fn check_done(
    rec: &LeadRecord,
    id: &Id,
    policy: &Policy,
    sop: &str,
    step: &str,
) -> Result<Done, PoolError> {
    let unknown = || PoolError::UnknownStep {
        lead: id.to_string(),
        sop: sop.to_string(),
        step: step.to_string(),
    };
    let (Some(n), Some(config)) = (&rec.nurture, &policy.nurture) else {
        return Err(unknown());
    };
    if &*n.sop == sop {
        let s = config
            .sops
            .iter()
            .find(|s| s.id == n.sop)
            .and_then(|s| find_step(s, step))
            .ok_or_else(unknown)?;
        return Ok(Done {
            step: s.clone(),
            silence: None,
        });
    }
    match &config.reactivation {
        Some(r) if &*r.id == sop => {
            let s = find_step(r, step).ok_or_else(unknown)?;
            Ok(Done {
                step: s.clone(),
                silence: Some(silence_since(rec, n)),
            })
        }
        _ => Err(unknown()),
    }
}

/// Records a checked step as done.
pub(crate) fn mark_done(rec: &mut LeadRecord, done: Done) {
    let Some(n) = &mut rec.nurture else {
        return;
    };
    match done.silence {
        None => {
            if !n.done.contains(&done.step) {
                n.done.push(done.step);
            }
        }
        Some(silence) => {
            if n.silence_since != Some(silence) {
                n.silence_since = Some(silence);
                n.reactivation_done.clear();
            }
            if !n.reactivation_done.contains(&done.step) {
                n.reactivation_done.push(done.step);
            }
        }
    }
}

/// Appends the steps due for one lead at `now`.
pub(crate) fn steps_due(
    id: &Id,
    rec: &LeadRecord,
    policy: &Policy,
    now: DateTime<Utc>,
    out: &mut Vec<StepDue>,
) {
    let (Some(n), Some(config), Holder::Pooled { .. }) =
        (&rec.nurture, &policy.nurture, &rec.holder)
    else {
        return;
    };
    let entry = |sop: &Sop, s: &super::policy::Step, due_at, reactivation| StepDue {
        lead: id.clone(),
        sop: sop.id.clone(),
        step: s.id.clone(),
        at: s.at,
        reactivation,
        due_at,
        channel: s.channel.clone(),
        content: s.content.clone(),
    };
    if let Some(r) = &config.reactivation {
        let silence = silence_since(rec, n);
        let first = r.steps.first().map_or(Duration::MAX, |s| s.offset);
        if now >= add(silence, first) {
            let same = n.silence_since == Some(silence);
            for s in &r.steps {
                let due_at = add(silence, s.offset);
                if due_at > now {
                    break;
                }
                if !(same && n.reactivation_done.contains(&s.id)) {
                    out.push(entry(r, s, due_at, true));
                }
            }
            return;
        }
    }
    let Some(sop) = config.sops.iter().find(|s| s.id == n.sop) else {
        return;
    };
    let base = add(n.entered_at, crate::time::seconds(n.paused_secs.max(0)));
    for s in &sop.steps {
        let due_at = add(base, s.offset);
        if due_at > now {
            break;
        }
        if !n.done.contains(&s.id) {
            out.push(entry(sop, s, due_at, false));
        }
    }
}
