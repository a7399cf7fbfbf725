//! Nurture cadences (seed 003): relative-time SOPs counted from each lead's own entry, several
//! per stage side by side, and reactivation cadences that differ by segment.
//!
//! - A lead getting a stage enters **every** SOP of that stage whose `when` matches it (an SOP
//!   without `when` always does), at its first step, side by side, in config order: seed 003's
//!   trial onboarding next to the pre-nurture of MQLs. `when` reads the lead as the host gives
//!   it with the stage: `route` has it, `stage_changed` carries it in `facts`; without it (and
//!   for `deposit`) an SOP with a `when` is not entered, and one the lead already runs is kept.
//! - A new stage switches the lead to the SOPs of that stage, each from its first step; an SOP
//!   it already runs (the same stage given again) goes on where it was; a stage where it enters
//!   no SOP takes it out of nurture.
//! - Step times count from each SOP's entry, **excluding the time a person held the lead**: a
//!   claim (or a dispatch) pauses every SOP, a return to a pool resumes them where they stopped.
//! - Reactivation: a lead's reactivation cadence is the first of the policy's whose `when`
//!   matches it, chosen when it enters a stage with the lead given (seed 003: by title, industry
//!   or region, 「按照客户的缄默周期,定造差别的激活战略」); without the lead given it keeps its
//!   earlier choice (at first, the cadence without `when`, if any).
//! - Silence is the time since the lead's own last activity (or since it last entered an SOP or
//!   its pool, whichever is later). Once the silence reaches the first step of the lead's
//!   reactivation cadence, the lead is in reactivation: `due` lists the reactivation steps
//!   reached (30 / 45 / 60 days of silence) instead of its SOPs' steps. Activity ends the
//!   silence; the next silence starts the reactivation over.
//! - `due` lists every step whose time has come and that the host has not reported done (with
//!   `nurture_done`, naming the cadence and the step), so a step is never repeated once
//!   reported and never lost if not.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::command::Reason;
use super::error::PoolError;
use super::policy::{Nurture, Policy, Sop};
use super::state::{CadenceRecord, Holder, Id, LeadRecord, NurtureRecord, add};
use crate::condition::Facts;

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

/// Whether `when` admits the lead: always without a condition, never without facts.
fn admits(sop: &Sop, facts: Option<&Facts<'_>>) -> bool {
    match (&sop.when, facts) {
        (None, _) => true,
        (Some(c), Some(f)) => c.matches(f),
        (Some(_), None) => false,
    }
}

/// The stored choice of reactivation cadence for the lead's segment: `None` for the first
/// cadence without `when` (or when none matches, as there is then no such cadence).
fn choose_reactivation(config: &Nurture, facts: &Facts<'_>) -> Option<Id> {
    config
        .reactivation
        .iter()
        .find(|r| admits(r, Some(facts)))
        .filter(|r| r.when.is_some())
        .map(|r| r.id.clone())
}

/// Puts the lead into the SOPs of its stage (or out of nurture), after a stage change.
/// `facts`: the lead as the host gave it, read by the cadences' `when`.
pub(crate) fn enter_stage(
    rec: &mut LeadRecord,
    policy: &Policy,
    facts: Option<&Facts<'_>>,
    now: DateTime<Utc>,
    reasons: &mut Vec<Reason>,
) {
    let Some(config) = policy.nurture.as_ref() else {
        left_all(rec, reasons);
        return;
    };
    let running = |id: &Id| {
        rec.nurture
            .as_ref()
            .is_some_and(|n| n.cadences.iter().any(|c| c.sop == *id))
    };
    let targets: Vec<&Sop> = match rec.stage.as_deref() {
        None => Vec::new(),
        Some(stage) => config
            .sops
            .iter()
            .filter(|s| s.stage == stage)
            .filter(|s| admits(s, facts) || (facts.is_none() && running(&s.id)))
            .collect(),
    };
    if targets.is_empty() {
        left_all(rec, reasons);
        return;
    }
    let paused = held(rec).then_some(now);
    let n = rec.nurture.get_or_insert_with(|| {
        Box::new(NurtureRecord {
            cadences: Vec::new(),
            paused_since: paused,
            reactivation: None,
            reactivation_done: Vec::new(),
            silence_since: None,
        })
    });
    let before = config
        .reactivation(n.reactivation.as_deref())
        .map(|r| &r.id);
    let new = n.cadences.is_empty();
    let mut old = std::mem::take(&mut n.cadences);
    for c in old
        .iter()
        .filter(|c| !targets.iter().any(|s| s.id == c.sop))
    {
        reasons.push(Reason::NurtureLeft { sop: c.sop.clone() });
    }
    let mut entered = false;
    for sop in &targets {
        match old.iter().position(|c| c.sop == sop.id) {
            Some(i) => n.cadences.push(old.swap_remove(i)),
            None => {
                entered = true;
                n.cadences.push(CadenceRecord {
                    sop: sop.id.clone(),
                    entered_at: now,
                    paused_secs: 0,
                    done: Vec::new(),
                });
                reasons.push(Reason::NurtureEntered {
                    sop: sop.id.clone(),
                });
            }
        }
    }
    if let Some(facts) = facts {
        n.reactivation = choose_reactivation(config, facts);
    }
    let after = config
        .reactivation(n.reactivation.as_deref())
        .map(|r| &r.id);
    let changed = if new {
        after.is_some()
    } else {
        before != after
    };
    if changed && let Some(sop) = after {
        reasons.push(Reason::NurtureReactivation { sop: sop.clone() });
    }
    // A new entry starts a new silence; a new reactivation cadence has none of its steps done.
    if entered || changed {
        n.reactivation_done.clear();
        n.silence_since = None;
    }
}

/// Takes the lead out of nurture.
fn left_all(rec: &mut LeadRecord, reasons: &mut Vec<Reason>) {
    if let Some(n) = rec.nurture.take() {
        left(&n, reasons);
    }
}

/// One `nurture_left` per cadence the record runs (the lead left nurture).
pub(crate) fn left(n: &NurtureRecord, reasons: &mut Vec<Reason>) {
    for c in &n.cadences {
        reasons.push(Reason::NurtureLeft { sop: c.sop.clone() });
    }
}

/// Pauses the cadences while a person holds the lead.
pub(crate) fn pause(rec: &mut LeadRecord, now: DateTime<Utc>, reasons: &mut Vec<Reason>) {
    if let Some(n) = &mut rec.nurture
        && n.paused_since.is_none()
    {
        n.paused_since = Some(now);
        for c in &n.cadences {
            reasons.push(Reason::NurturePaused { sop: c.sop.clone() });
        }
    }
}

/// Resumes the cadences when the lead is back in a pool; each counts the pause from its own
/// entry at the earliest.
pub(crate) fn resume(rec: &mut LeadRecord, now: DateTime<Utc>, reasons: &mut Vec<Reason>) {
    if let Some(n) = &mut rec.nurture
        && let Some(since) = n.paused_since.take()
    {
        for c in &mut n.cadences {
            let from = since.max(c.entered_at);
            c.paused_secs = c
                .paused_secs
                .saturating_add(now.signed_duration_since(from).num_seconds().max(0));
            reasons.push(Reason::NurtureResumed { sop: c.sop.clone() });
        }
    }
}

/// The start of the lead's current silence.
fn silence_since(rec: &LeadRecord, n: &NurtureRecord) -> DateTime<Utc> {
    let mut t = rec.entered_at;
    for c in &n.cadences {
        t = t.max(c.entered_at);
    }
    if let Some(a) = rec.last_activity {
        t = t.max(a);
    }
    t
}

/// A checked `nurture_done`.
pub(crate) struct Done {
    sop: Id,
    step: Id,
    /// For a reactivation step, the silence it belongs to.
    silence: Option<DateTime<Utc>>,
}

fn find_step<'p>(sop: &'p Sop, step: &str) -> Option<&'p Id> {
    sop.steps.iter().find(|s| &*s.id == step).map(|s| &s.id)
}

/// Checks that `step` of `sop` is a step of one of the lead's cadences: an SOP it runs, or
/// its reactivation cadence.
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
    if n.cadences.iter().any(|c| &*c.sop == sop) {
        let s = config
            .sop(sop)
            .and_then(|s| Some((&s.id, find_step(s, step)?)))
            .ok_or_else(unknown)?;
        return Ok(Done {
            sop: s.0.clone(),
            step: s.1.clone(),
            silence: None,
        });
    }
    match config.reactivation(n.reactivation.as_deref()) {
        Some(r) if &*r.id == sop => {
            let s = find_step(r, step).ok_or_else(unknown)?;
            Ok(Done {
                sop: r.id.clone(),
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
            if let Some(c) = n.cadences.iter_mut().find(|c| c.sop == done.sop)
                && !c.done.contains(&done.step)
            {
                c.done.push(done.step);
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

/// Appends the steps due for one lead at `now`: its reactivation cadence's once it is silent
/// long enough, else those of every SOP it runs (in the record's order, each in step order).
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
    if let Some(r) = config.reactivation(n.reactivation.as_deref()) {
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
    for c in &n.cadences {
        let Some(sop) = config.sop(&c.sop) else {
            continue;
        };
        let base = add(c.entered_at, crate::time::seconds(c.paused_secs.max(0)));
        for s in &sop.steps {
            let due_at = add(base, s.offset);
            if due_at > now {
                break;
            }
            if !c.done.contains(&s.id) {
                out.push(entry(sop, s, due_at, false));
            }
        }
    }
}
