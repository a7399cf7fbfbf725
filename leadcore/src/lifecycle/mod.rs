//! A lead's life in a pipeline: transitions, time-based policies, time in stage.
//!
//! - [`transition`] moves a lead along one edge of a [`crate::pipeline::Pipeline`] and returns
//!   the new lead, the history record, the reasons and the effects the host must honour; an
//!   illegal move is a [`TransitionError`] naming the stage and the edge.
//! - [`due`] lists the policies that are due for a lead (stale stage, end of a rejection
//!   cooldown, new evidence after a rejection), each with the transition to apply.
//! - [`stage_times`] derives time in stage, current stage age and stage velocity from history.
//!
//! All three are pure: `now` is an argument, and the lead is never modified in place.
//!
//! Reason codes a [`Transitioned`] can carry, in the order they appear: `entered`,
//! `edge_allowed`, `back_dated`, `resubmitted_with_evidence` / `resubmitted_after_cooldown`,
//! `owner_excluded`, `cooldown_started`.

mod due;
mod error;
mod history;
mod stage_times;
mod transition;

use serde::{Deserialize, Serialize};

pub use due::{Due, DueKind, SYSTEM_ACTOR, due};
pub use error::TransitionError;
pub use stage_times::{CurrentStage, StageTime, StageTimes, StageVelocity, stage_times};
pub use transition::{Effect, TransitionRequest, Transitioned, transition};

/// One step of an explanation: a stable snake_case `code` and a human-readable `message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// Stable code, e.g. `edge_allowed`.
    pub code: String,
    /// What happened, with the stages, times and numbers involved.
    pub message: String,
}

impl Reason {
    /// A reason with this code and message.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests;
