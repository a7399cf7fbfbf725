//! Replaying a command log: the host's history of commands and ticks rebuilds the state.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::apply::apply;
use super::command::{Applied, Command};
use super::error::PoolError;
use super::policy::Policy;
use super::state::PoolState;
use super::tick::tick;

/// One entry of a command log: a command applied at `at`, or a tick at `at`.
///
/// JSON: `{"op": "apply", "at": "2026-11-23T09:00:00+08:00", "command": {"type": "claim", …}}`
/// or `{"op": "tick", "at": "…"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum LogEntry {
    /// [`apply`] the command at `at`.
    Apply {
        /// When.
        #[serde(with = "crate::time::rfc3339")]
        at: DateTime<Utc>,
        /// The command.
        command: Command,
    },
    /// [`tick`] at `at`.
    Tick {
        /// When.
        #[serde(with = "crate::time::rfc3339")]
        at: DateTime<Utc>,
    },
}

/// The state a log rebuilds and the result of each entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Replayed {
    /// The final state.
    pub state: PoolState,
    /// One result per entry, in order.
    pub results: Vec<Applied>,
}

/// Replays a log from `state` (the empty state for a full history), all or nothing: the first
/// refused entry refuses the replay with its own code and its position
/// ([`PoolError::item_index`]).
///
/// The same log always rebuilds the same state, bit for bit.
pub fn replay(state: PoolState, policy: &Policy, log: &[LogEntry]) -> Result<Replayed, PoolError> {
    let mut state = state;
    let mut results = Vec::with_capacity(log.len());
    for (index, entry) in log.iter().enumerate() {
        let result = match entry {
            LogEntry::Apply { at, command } => apply(&mut state, command, policy, *at),
            LogEntry::Tick { at } => tick(&mut state, policy, *at),
        };
        results.push(result.map_err(|e| PoolError::Item {
            index,
            source: Box::new(e),
        })?);
    }
    Ok(Replayed { state, results })
}
