//! Why a transition (or a history-based computation) was refused.

use std::borrow::Cow;

use chrono::{DateTime, Utc};

use crate::error::quoted;
use crate::lead::EdgeKind;
use crate::pipeline::{Edge, edge_kind_str};
use crate::time::format;

/// A refused lifecycle operation: [`crate::lifecycle::transition`], [`crate::lifecycle::due`],
/// [`crate::lifecycle::stage_times`]. Each variant names the stage and edge involved.
#[derive(
    Debug,
    Clone,
    PartialEq,
    thiserror::Error,
    strum::IntoStaticStr,
    strum::VariantNames,
    serde::Serialize,
)]
#[strum(serialize_all = "snake_case")]
#[serde(untagged)]
pub enum TransitionError {
    /// The lead's stage or the requested stage is not in the pipeline.
    #[error("stage `{stage}` is not in the pipeline")]
    UnknownStage {
        /// The stage id.
        stage: String,
        /// Where it was named: `lead.stage` or `request.to`.
        path: &'static str,
    },
    /// The pipeline has no such move.
    #[error("{}", illegal_message(.from.as_deref(), .to.as_deref(), *.edge, .allowed))]
    IllegalTransition {
        /// The lead's current stage (`None` before it entered the pipeline).
        from: Option<String>,
        /// The requested stage, if the request named one.
        to: Option<String>,
        /// The requested edge kind, if the request named one.
        edge: Option<EdgeKind>,
        /// The moves that are allowed from `from`.
        allowed: Vec<Edge>,
    },
    /// The request names only an edge kind, and several edges of that kind leave the stage.
    #[error("several `{}` edges leave `{from}` (to {}): name the target stage", edge_kind_str(*.edge), quoted(.targets))]
    AmbiguousTransition {
        /// The lead's current stage.
        from: String,
        /// The requested edge kind.
        edge: EdgeKind,
        /// The stages those edges lead to.
        targets: Vec<String>,
    },
    /// The requested stage is the lead's current stage.
    #[error("the lead is already in `{stage}`")]
    AlreadyInStage {
        /// The stage id.
        stage: String,
    },
    /// The request names neither a target stage nor an edge kind.
    #[error("the request names neither a target stage (`to`) nor an edge kind (`edge`)")]
    TargetRequired,
    /// A backward edge (downgrade, reject, recycle, disqualify, reopen) needs a non-blank reason.
    #[error("a `{}` from `{from}` to `{to}` needs a reason", edge_kind_str(*.edge))]
    ReasonRequired {
        /// The lead's current stage.
        from: String,
        /// The requested stage.
        to: String,
        /// The edge kind.
        edge: EdgeKind,
    },
    /// Handing a rejected lead back to sales inside the resubmission cooldown, without new
    /// qualifying evidence after the rejection.
    #[error("handing the lead back to sales (`{to}`) is refused: it was rejected from `{rejected_from}` at `{}` and its resubmission cooldown runs until `{}`; supply new evidence (an event after the rejection) or wait", format(.rejected_at), format(.until))]
    ResubmissionCooldown {
        /// The requested stage.
        to: String,
        /// The stage sales rejected the lead from.
        rejected_from: String,
        /// When sales rejected the lead.
        #[serde(serialize_with = "crate::time::rfc3339::serialize")]
        rejected_at: DateTime<Utc>,
        /// When the cooldown ends.
        #[serde(serialize_with = "crate::time::rfc3339::serialize")]
        until: DateTime<Utc>,
    },
    /// The effective time of the change is after `now`.
    #[error("effective time `{}` is after now `{}`", format(.at), format(.now))]
    EffectiveTimeInFuture {
        /// The requested effective time.
        #[serde(serialize_with = "crate::time::rfc3339::serialize")]
        at: DateTime<Utc>,
        /// The call's `now`.
        #[serde(serialize_with = "crate::time::rfc3339::serialize")]
        now: DateTime<Utc>,
    },
    /// The effective time is before the lead's last stage change (or its creation).
    #[error("effective time `{}` is before the lead's last change at `{}`", format(.at), format(.last))]
    EffectiveTimeOutOfOrder {
        /// The requested effective time.
        #[serde(serialize_with = "crate::time::rfc3339::serialize")]
        at: DateTime<Utc>,
        /// The last change (or creation) of the lead.
        #[serde(serialize_with = "crate::time::rfc3339::serialize")]
        last: DateTime<Utc>,
    },
    /// `now` is before the lead's last recorded change (or its creation): the caller's clock
    /// went backwards.
    #[error("now `{}` is before the lead's last recorded change at `{}`", format(.now), format(.last))]
    ClockBackwards {
        /// The call's `now`.
        #[serde(serialize_with = "crate::time::rfc3339::serialize")]
        now: DateTime<Utc>,
        /// The last recorded change (or creation) of the lead.
        #[serde(serialize_with = "crate::time::rfc3339::serialize")]
        last: DateTime<Utc>,
    },
    /// The lead's history is not in time order (by `at` and by `recorded_at`).
    #[error("history record {index} is earlier than the one before it")]
    HistoryOutOfOrder {
        /// Index of the first record out of order.
        index: usize,
    },
    /// The lead's stage is not the stage its last history record entered.
    #[error("the lead is in `{}` but its last history record entered `{last}`", .stage.as_deref().unwrap_or("no stage"))]
    HistoryMismatch {
        /// The lead's stage.
        stage: Option<String>,
        /// The stage the last history record entered.
        last: String,
    },
    /// A period added to a time leaves the representable range.
    #[error("`{}` plus {days} days is out of the representable time range", format(.at))]
    TimeOutOfRange {
        /// The start time.
        #[serde(serialize_with = "crate::time::rfc3339::serialize")]
        at: DateTime<Utc>,
        /// The period, in days.
        days: f64,
    },
}

impl TransitionError {
    /// Every code a [`TransitionError`] can have.
    pub const CODES: &'static [&'static str] = <Self as strum::VariantNames>::VARIANTS;

    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        self.into()
    }

    /// The path of the field at fault, within the call's `lead`, `request` and `now`:
    /// `request.to`, `request.edge`, `request.reason`, `request.at`, `lead.stage`,
    /// `lead.history[3]`, `now`; `$` when no single field is.
    pub fn path(&self) -> Cow<'_, str> {
        Cow::Borrowed(match self {
            Self::UnknownStage { path, .. } => path,
            Self::IllegalTransition { to, edge, .. } => match (to, edge) {
                (Some(_), _) => "request.to",
                (None, Some(_)) => "request.edge",
                (None, None) => "request",
            },
            Self::AmbiguousTransition { .. } => "request.edge",
            Self::AlreadyInStage { .. } | Self::ResubmissionCooldown { .. } => "request.to",
            Self::TargetRequired => "request",
            Self::ReasonRequired { .. } => "request.reason",
            Self::EffectiveTimeInFuture { .. } | Self::EffectiveTimeOutOfOrder { .. } => {
                "request.at"
            }
            Self::ClockBackwards { .. } => "now",
            Self::HistoryOutOfOrder { index } => {
                return Cow::Owned(format!("lead.history[{index}]"));
            }
            Self::HistoryMismatch { .. } => "lead.stage",
            Self::TimeOutOfRange { .. } => "$",
        })
    }
}

fn illegal_message(
    from: Option<&str>,
    to: Option<&str>,
    edge: Option<EdgeKind>,
    allowed: &[Edge],
) -> String {
    let kind = edge
        .map(|k| format!("`{}` ", edge_kind_str(k)))
        .unwrap_or_default();
    let head = match (from, to) {
        (None, Some(to)) => format!("a lead with no stage cannot take an {kind}edge to `{to}`"),
        (None, None) => format!("a lead with no stage cannot take an {kind}edge"),
        (Some(from), Some(to)) => format!("the pipeline has no {kind}edge from `{from}` to `{to}`"),
        (Some(from), None) => format!("the pipeline has no {kind}edge from `{from}`"),
    };
    let moves: Vec<String> = allowed
        .iter()
        .map(|e| format!("`{}` ({})", e.to, e.kind_str()))
        .collect();
    if moves.is_empty() {
        format!("{head}; no move is allowed from there")
    } else {
        format!("{head}; allowed: {}", moves.join(", "))
    }
}
