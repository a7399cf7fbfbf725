//! Moving a lead along a pipeline edge.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::history::{self, add_days};
use super::{Reason, TransitionError};
use crate::event::{Event, normalize};
use crate::lead::{EdgeKind, Lead, Rejection, StageChange};
use crate::pipeline::{Edge, Pipeline, Stage, edge_kind_str};
use crate::time::{days_between, format};

/// What the caller asks for: a target stage, an edge kind, or both (then they must agree).
///
/// JSON: `{"to": "SAL", "edge": "forward", "actor": "rep_7", "reason": "…",
///   "at": "2026-11-20T10:00:00+08:00", "evidence": [Event…]}`; every key optional, but one of
/// `to` / `edge` is needed once the lead has a stage. A lead with no stage can only enter at the
/// pipeline's entry stage (`{}` is enough).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    /// Target stage id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Edge kind; alone it picks the only edge of that kind out of the current stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edge: Option<EdgeKind>,
    /// Who makes the change (user id, `system`, rule id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// Why; required (non-blank) for every edge kind but `enter` and `forward`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When the change took effect, if earlier than `now` (a back-dated qualification, say).
    /// Must not be after `now` nor before the lead's last change.
    #[serde(
        default,
        with = "crate::time::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<crate::time::InstantSchema>")]
    pub at: Option<DateTime<Utc>>,
    /// New evidence for handing a rejected lead back to sales inside its cooldown: events of
    /// this lead after the rejection (of the pipeline's `evidence_kinds`). Events of other leads
    /// are ignored; order and duplicates do not matter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Event>,
}

/// Something the host must do, or may schedule, because of a transition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[schemars(rename = "TransitionEffect")]
pub enum Effect {
    /// The next owner of the lead must not be this rep (the rep who rejected it, seed 004).
    ExcludeOwner {
        /// The rep to exclude.
        owner: String,
        /// Why.
        reason: String,
    },
    /// Call [`crate::lifecycle::due`] for this lead again at this time: a policy may fire then.
    ScheduleCheck {
        /// The earliest time the policy can fire.
        #[serde(with = "crate::time::rfc3339")]
        #[schemars(with = "crate::time::InstantSchema")]
        at: DateTime<Utc>,
        /// Which policy.
        reason: String,
    },
}

/// The outcome of an accepted transition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Transitioned {
    /// The lead after the change: new stage, history with the change appended, rejection
    /// opened (on `reject`) or closed (on resubmission).
    pub lead: Lead,
    /// The history record appended.
    pub change: StageChange,
    /// Why the change was accepted, in the order the checks ran.
    pub reasons: Vec<Reason>,
    /// What the host must honour or may schedule.
    pub effects: Vec<Effect>,
}

/// Moves `lead` along one edge of `pipeline` at `now`, or says why not.
///
/// Checks, in order: the history is time-ordered and ends in the lead's stage; `now` is not
/// before anything recorded; the effective time (`request.at`, default `now`) is neither after
/// `now` nor before the last change; the stages exist and the pipeline has the edge; a reason
/// is given for backward edges; a lead rejected by sales goes back to sales only after its
/// cooldown or with new evidence. A `reject` opens a cooldown (`lead.rejection`); handing the
/// lead back to sales (a forward move into a `sales` or closed stage) closes it and, by
/// default, excludes the rejecting rep from owning it.
///
/// ```
/// use leadcore::lifecycle::{TransitionRequest, transition};
/// use leadcore::pipeline::Pipeline;
/// use leadcore::{Lead, time};
///
/// let p = Pipeline::preset("seed_003").unwrap();
/// let now = time::parse("2026-11-23T09:00:00+08:00").unwrap();
/// let lead = Lead::new("L1", now);
/// let entered = transition(&p, &lead, &TransitionRequest::default(), now).unwrap();
/// assert_eq!(entered.lead.stage.as_deref(), Some("MAL"));
///
/// let to_sql = TransitionRequest { to: Some("SQL".into()), ..Default::default() };
/// let err = transition(&p, &entered.lead, &to_sql, now).unwrap_err();
/// assert_eq!(err.code(), "illegal_transition");
/// ```
pub fn transition(
    pipeline: &Pipeline,
    lead: &Lead,
    request: &TransitionRequest,
    now: DateTime<Utc>,
) -> Result<Transitioned, TransitionError> {
    history::check(lead, now)?;
    let at = request.at.unwrap_or(now);
    if at > now {
        return Err(TransitionError::EffectiveTimeInFuture { at, now });
    }
    let last = history::last_change(lead);
    if at < last {
        return Err(TransitionError::EffectiveTimeOutOfOrder { at, last });
    }
    let mut reasons = Vec::new();
    let (kind, target) = resolve(lead, request, pipeline, &mut reasons)?;
    let from = lead.stage.clone();
    let to = target.id.clone();
    let reason = request
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    if kind.requires_reason() && reason.is_none() {
        return Err(TransitionError::ReasonRequired {
            from: from.clone().unwrap_or_default(),
            to,
            edge: kind,
        });
    }
    if at < now {
        reasons.push(Reason::new(
            "back_dated",
            format!(
                "effective `{}`, recorded `{}` ({:.2} days later)",
                format(&at),
                format(&now),
                days_between(at, now)
            ),
        ));
    }
    let mut out = lead.clone();
    let mut effects = Vec::new();
    if let Some(rejection) = &lead.rejection
        && kind == EdgeKind::Forward
        && target.kind.is_sales_side()
    {
        resubmission(
            lead,
            rejection,
            request,
            pipeline,
            at,
            &to,
            &mut reasons,
            &mut effects,
        )?;
        out.rejection = None;
    }
    if kind == EdgeKind::Reject {
        let policy = &pipeline.policies.rejection;
        let until = add_days(at, policy.cooldown_days)?;
        let by = request.actor.clone().or_else(|| lead.owner.clone());
        reasons.push(Reason::new(
            "cooldown_started",
            format!(
                "rejected by sales{}: handing the lead back to sales before `{}` ({} days) needs new evidence",
                by.as_deref().map(|b| format!(" (`{b}`)")).unwrap_or_default(),
                format(&until),
                policy.cooldown_days
            ),
        ));
        effects.push(Effect::ScheduleCheck {
            at: until,
            reason: format!(
                "the resubmission cooldown of the rejection from `{}` ends",
                from.as_deref().unwrap_or_default()
            ),
        });
        out.rejection = Some(Rejection {
            at,
            by,
            from_stage: from.clone().unwrap_or_default(),
            cooldown_until: until,
            reason: reason.clone().unwrap_or_default(),
        });
    }
    for rule in pipeline.policies.stale.iter().filter(|r| r.stage == to) {
        effects.push(Effect::ScheduleCheck {
            at: add_days(at, rule.after_days)?,
            reason: format!(
                "`{to}` goes stale after {} days without activity",
                rule.after_days
            ),
        });
    }
    let change = StageChange {
        from,
        to: to.clone(),
        at,
        recorded_at: now,
        actor: request.actor.clone(),
        reason,
        edge: kind,
        owner: lead.owner.clone(),
    };
    out.stage = Some(to);
    out.history.push(change.clone());
    Ok(Transitioned {
        lead: out,
        change,
        reasons,
        effects,
    })
}

/// Finds the edge the request asks for: its kind and target stage.
fn resolve<'p>(
    lead: &Lead,
    request: &TransitionRequest,
    pipeline: &'p Pipeline,
    reasons: &mut Vec<Reason>,
) -> Result<(EdgeKind, &'p Stage), TransitionError> {
    let target = |id: &str, path: &'static str| {
        pipeline
            .stage(id)
            .ok_or_else(|| TransitionError::UnknownStage {
                stage: id.into(),
                path,
            })
    };
    let Some(from) = lead.stage.as_deref() else {
        let entry = pipeline.entry_stage().unwrap_or_default();
        let to = request.to.as_deref().unwrap_or(entry);
        let stage = target(to, "request.to")?;
        if to != entry || request.edge.is_some_and(|k| k != EdgeKind::Enter) {
            return Err(TransitionError::IllegalTransition {
                from: None,
                to: Some(to.into()),
                edge: request.edge,
                allowed: vec![Edge {
                    from: String::new(),
                    to: entry.into(),
                    kind: EdgeKind::Enter,
                }],
            });
        }
        reasons.push(Reason::new(
            "entered",
            format!("the lead entered the pipeline at its entry stage `{entry}`"),
        ));
        return Ok((EdgeKind::Enter, stage));
    };
    target(from, "lead.stage")?;
    let illegal = |to: Option<&str>| TransitionError::IllegalTransition {
        from: Some(from.into()),
        to: to.map(String::from),
        edge: request.edge,
        allowed: pipeline.edges_from(from),
    };
    let edge = match (request.to.as_deref(), request.edge) {
        (_, Some(EdgeKind::Enter)) => return Err(illegal(request.to.as_deref())),
        (Some(to), kind) => {
            target(to, "request.to")?;
            if to == from {
                return Err(TransitionError::AlreadyInStage { stage: to.into() });
            }
            match pipeline.edge(from, to) {
                Some(e) if kind.is_none_or(|k| k == e.kind) => e,
                _ => return Err(illegal(Some(to))),
            }
        }
        (None, Some(kind)) => {
            let mut candidates: Vec<Edge> = pipeline
                .edges_from(from)
                .into_iter()
                .filter(|e| e.kind == kind)
                .collect();
            if candidates.len() > 1 {
                return Err(TransitionError::AmbiguousTransition {
                    from: from.into(),
                    edge: kind,
                    targets: candidates.into_iter().map(|e| e.to).collect(),
                });
            }
            candidates.pop().ok_or_else(|| illegal(None))?
        }
        (None, None) => return Err(TransitionError::TargetRequired),
    };
    reasons.push(Reason::new(
        "edge_allowed",
        format!(
            "the pipeline allows `{}` from `{}` to `{}`",
            edge_kind_str(edge.kind),
            edge.from,
            edge.to
        ),
    ));
    Ok((edge.kind, target(&edge.to, "request.to")?))
}

/// Checks a hand-back to sales of a rejected lead; records why it is allowed.
#[allow(clippy::too_many_arguments)]
fn resubmission(
    lead: &Lead,
    rejection: &Rejection,
    request: &TransitionRequest,
    pipeline: &Pipeline,
    at: DateTime<Utc>,
    to: &str,
    reasons: &mut Vec<Reason>,
    effects: &mut Vec<Effect>,
) -> Result<(), TransitionError> {
    let policy = &pipeline.policies.rejection;
    if at < rejection.cooldown_until {
        let evidence = normalize(&request.evidence).into_iter().find(|e| {
            e.lead_id == lead.id
                && policy.evidence_kinds.contains(&e.kind)
                && e.at > rejection.at
                && e.at <= at
        });
        let Some(e) = evidence else {
            return Err(TransitionError::ResubmissionCooldown {
                to: to.into(),
                rejected_from: rejection.from_stage.clone(),
                rejected_at: rejection.at,
                until: rejection.cooldown_until,
            });
        };
        reasons.push(Reason::new(
            "resubmitted_with_evidence",
            format!(
                "resubmitted inside the cooldown (until `{}`) on new evidence: `{}` event{} at `{}`, after the rejection at `{}`",
                format(&rejection.cooldown_until),
                e.kind.as_str(),
                e.id.as_deref().map(|id| format!(" `{id}`")).unwrap_or_default(),
                format(&e.at),
                format(&rejection.at)
            ),
        ));
    } else {
        reasons.push(Reason::new(
            "resubmitted_after_cooldown",
            format!(
                "resubmitted after the cooldown of the rejection from `{}` ended at `{}`",
                rejection.from_stage,
                format(&rejection.cooldown_until)
            ),
        ));
    }
    if policy.exclude_rejecting_owner
        && let Some(by) = &rejection.by
    {
        let why = format!("`{by}` rejected the lead from `{}`", rejection.from_stage);
        reasons.push(Reason::new(
            "owner_excluded",
            format!("{why}; the next owner must be someone else"),
        ));
        effects.push(Effect::ExcludeOwner {
            owner: by.clone(),
            reason: why,
        });
    }
    Ok(())
}
