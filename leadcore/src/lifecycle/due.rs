//! Policies that fall due with time: stale stages, the end of a rejection cooldown.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::history::{self, add_days};
use super::{TransitionError, TransitionRequest};
use crate::event::{Event, normalize};
use crate::lead::Lead;
use crate::pipeline::{Pipeline, StaleSince};
use crate::time::{days_between, format};

/// The actor [`due`] puts on the transitions it suggests.
pub const SYSTEM_ACTOR: &str = "system";

/// What kind of policy fell due.
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
pub enum DueKind {
    /// The lead sat in its stage without activity for a stale rule's period.
    Stale,
    /// New qualifying evidence arrived inside a rejection cooldown: the lead may go back to
    /// sales now, with that evidence.
    EvidenceArrived,
    /// The resubmission cooldown of a sales rejection has ended.
    CooldownExpired,
}

/// One policy that is due for a lead, with the transition to apply (if any).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Due {
    /// Which policy.
    pub kind: DueKind,
    /// The lead's current stage.
    pub stage: String,
    /// When it fell due.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "crate::time::InstantSchema")]
    pub since: DateTime<Utc>,
    /// Why, with the numbers.
    pub reason: String,
    /// The transition to pass to [`crate::lifecycle::transition`], effective at `since`;
    /// absent for reminders and notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<TransitionRequest>,
}

/// Every policy of `pipeline` that is due for `lead` at `now`, ordered by `since`, then kind.
///
/// - **Stale** (per `policies.stale` rule of the lead's stage): activity is the later of the
///   stage entry and the lead's latest event at or before `now` (of the rule's
///   `activity_kinds`); the rule is due once `now` ≥ activity + `after_days`. With a `to`, the
///   suggested request moves the lead there (actor `system`, effective when it fell due).
/// - **Evidence arrived**: the lead has an open rejection inside its cooldown, and an event of
///   the pipeline's `evidence_kinds` arrived after the rejection.
/// - **Cooldown expired**: the lead has an open rejection whose cooldown has ended.
///
/// Events may be unordered and duplicated (see [`crate::event::normalize`]); events of other
/// leads and events after `now` are ignored. A lead with no stage has nothing due. The result is
/// a function of the state: a host that polls deduplicates by (`kind`, `since`).
///
/// ```
/// use leadcore::lifecycle::{TransitionRequest, due, transition};
/// use leadcore::pipeline::Pipeline;
/// use leadcore::{Lead, time};
///
/// let p = Pipeline::preset("seed_001").unwrap();
/// let t0 = time::parse("2026-11-02T09:00:00+08:00").unwrap();
/// let mut lead = Lead::new("L1", t0);
/// for to in ["MQL", "SQL", "SAL"] {
///     let r = TransitionRequest { to: Some(to.into()), ..Default::default() };
///     lead = transition(&p, &lead, &r, t0).unwrap().lead;
/// }
/// let later = time::parse("2026-11-05T10:00:00+08:00").unwrap();
/// let dues = due(&p, &lead, &[], later).unwrap();
/// assert_eq!(dues.len(), 2); // the 2-day reminder and the 3-day downgrade
/// let downgrade = dues[1].request.clone().unwrap();
/// let moved = transition(&p, &lead, &downgrade, later).unwrap();
/// assert_eq!(moved.lead.stage.as_deref(), Some("SQL"));
/// ```
pub fn due(
    pipeline: &Pipeline,
    lead: &Lead,
    events: &[Event],
    now: DateTime<Utc>,
) -> Result<Vec<Due>, TransitionError> {
    history::check(lead, now)?;
    let Some(stage) = lead.stage.as_deref() else {
        return Ok(Vec::new());
    };
    if pipeline.stage(stage).is_none() {
        return Err(TransitionError::UnknownStage {
            stage: stage.into(),
            path: "lead.stage",
        });
    }
    let events: Vec<&Event> = normalize(events)
        .into_iter()
        .filter(|e| e.lead_id == lead.id && e.at <= now)
        .collect();
    let mut out = Vec::new();
    let entered = history::stage_entered(lead);
    for rule in pipeline.policies.stale.iter().filter(|r| r.stage == stage) {
        let last_event = events
            .iter()
            .filter(|e| {
                rule.since == StaleSince::LastActivity
                    && rule
                        .activity_kinds
                        .as_ref()
                        .is_none_or(|k| k.contains(&e.kind))
            })
            .map(|e| e.at)
            .next_back();
        let activity = last_event.map_or(entered, |t| t.max(entered));
        let since = add_days(activity, rule.after_days)?;
        if now < since {
            continue;
        }
        let what = if last_event.is_some_and(|t| t >= entered) {
            "its latest event"
        } else {
            "entering the stage"
        };
        let reason = match rule.since {
            StaleSince::LastActivity => format!(
                "no activity in `{stage}` for {:.2} days since {what} at `{}` (rule: {} days)",
                days_between(activity, now),
                format(&activity),
                rule.after_days
            ),
            StaleSince::StageEntry => format!(
                "in `{stage}` for {:.2} days since entering it at `{}` (rule: {} days from the stage entry)",
                days_between(activity, now),
                format(&activity),
                rule.after_days
            ),
        };
        let request = rule.to.as_ref().map(|to| TransitionRequest {
            to: Some(to.clone()),
            edge: pipeline.edge(stage, to).map(|e| e.kind),
            actor: Some(SYSTEM_ACTOR.into()),
            reason: Some(rule.reason.clone().unwrap_or_else(|| reason.clone())),
            at: Some(since),
            evidence: Vec::new(),
        });
        out.push(Due {
            kind: DueKind::Stale,
            stage: stage.into(),
            since,
            reason: match &rule.reason {
                Some(r) => format!("{r} ({reason})"),
                None => reason,
            },
            request,
        });
    }
    if let Some(rejection) = &lead.rejection {
        if now >= rejection.cooldown_until {
            out.push(Due {
                kind: DueKind::CooldownExpired,
                stage: stage.into(),
                since: rejection.cooldown_until,
                reason: format!(
                    "the resubmission cooldown of the rejection from `{}` at `{}` ended at `{}`: the lead may go back to sales",
                    rejection.from_stage,
                    format(&rejection.at),
                    format(&rejection.cooldown_until)
                ),
                request: None,
            });
        } else if let Some(e) = events.iter().find(|e| {
            e.at > rejection.at && pipeline.policies.rejection.evidence_kinds.contains(&e.kind)
        }) {
            out.push(Due {
                kind: DueKind::EvidenceArrived,
                stage: stage.into(),
                since: e.at,
                reason: format!(
                    "new evidence after the rejection from `{}` at `{}`: `{}` event{} at `{}`; pass it as `evidence` to resubmit before `{}`",
                    rejection.from_stage,
                    format(&rejection.at),
                    e.kind.as_str(),
                    e.id.as_deref().map(|id| format!(" `{id}`")).unwrap_or_default(),
                    format(&e.at),
                    format(&rejection.cooldown_until)
                ),
                request: None,
            });
        }
    }
    out.sort_by_key(|d| (d.since, d.kind));
    Ok(out)
}
