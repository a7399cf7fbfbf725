//! Replaying a command log: the host's history of commands and ticks rebuilds the state.
//!
//! Entries carry the fingerprint of the policy they were applied under ([`Policy::fingerprint`])
//! and the time they actually ran at, so a replay reproduces the rows bit for bit. Changing the
//! policy (a rep added or deactivated, a cap changed) starts entries under a new fingerprint:
//! keep every policy a log was written under and replay with all of them ([`replay_with`]);
//! an entry whose policy is not given is refused (`policy_mismatch`), never silently replayed
//! under another one.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::apply::run;
use super::command::{Applied, Command};
use super::error::{ItemList, PoolError};
use super::policy::Policy;
use super::state::{Id, PoolState};
use super::tick::{reschedule_some, tick_some};
use crate::error::Error;

/// One entry of a command log: a command applied at `at`, or a tick at `at`.
///
/// JSON: `{"op": "apply", "at": "2026-11-23T09:00:00+08:00", "command": {"type": "claim", …},
/// "id": "req-7f3", "policy": "9c2e…"}` or `{"op": "tick", "at": "…", "leads": ["L1"]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
#[schemars(rename = "PoolLogEntry")]
pub enum LogEntry {
    /// [`super::apply`] the command at `at`.
    Apply {
        /// When it ran.
        #[serde(with = "crate::time::rfc3339")]
        #[schemars(with = "crate::time::InstantSchema")]
        at: DateTime<Utc>,
        /// The command.
        command: Command,
        /// Its id, if it had one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// The fingerprint of the policy it ran under.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        policy: Option<String>,
    },
    /// [`super::reschedule`] under the entry's policy: every lead, or the leads listed (a
    /// row-level reschedule after a policy change).
    Reschedule {
        /// The leads rescheduled, for a row-level reschedule.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        leads: Option<Vec<String>>,
        /// The fingerprint of the policy it ran under.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        policy: Option<String>,
    },
    /// [`super::tick`] at `at`: every lead, or the leads listed (a row-level tick).
    Tick {
        /// When it ran.
        #[serde(with = "crate::time::rfc3339")]
        #[schemars(with = "crate::time::InstantSchema")]
        at: DateTime<Utc>,
        /// The leads ticked, for a row-level tick.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        leads: Option<Vec<String>>,
        /// The fingerprint of the policy it ran under.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        policy: Option<String>,
    },
}

impl LogEntry {
    /// The fingerprint of the policy the entry ran under, if recorded.
    pub fn policy(&self) -> Option<&str> {
        match self {
            Self::Apply { policy, .. }
            | Self::Tick { policy, .. }
            | Self::Reschedule { policy, .. } => policy.as_deref(),
        }
    }
}

/// The state a log rebuilds and the result of each entry.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PoolReplayed")]
pub struct Replayed {
    /// The final state.
    pub state: PoolState,
    /// One result per entry, in order.
    pub results: Vec<Applied>,
}

/// Replays a log from `state` (the empty state for a full history) under one policy, all or
/// nothing: the first refused entry refuses the replay with its own code and its position
/// ([`PoolError::item_index`]). An entry written under another policy is `policy_mismatch`.
///
/// The same log always rebuilds the same state, bit for bit.
pub fn replay(state: PoolState, policy: &Policy, log: &[LogEntry]) -> Result<Replayed, PoolError> {
    replay_with(state, &[policy], log)
}

/// Replays a log written under several policies: each entry runs under the policy whose
/// fingerprint it carries; entries without one run under the first policy.
pub fn replay_with(
    state: PoolState,
    policies: &[&Policy],
    log: &[LogEntry],
) -> Result<Replayed, PoolError> {
    let mut state = state;
    let mut results = Vec::with_capacity(log.len());
    for (index, entry) in log.iter().enumerate() {
        let result = step(&mut state, policies, entry).map_err(|e| PoolError::Item {
            list: ItemList::Log,
            index,
            source: Box::new(e),
        })?;
        results.push(result);
    }
    Ok(Replayed { state, results })
}

/// Replays a log kept as JSON lines (one entry per line; blank lines skipped), parsing and
/// applying one line at a time. Returns the final state and the number of entries; a line that
/// is not an entry is an input error at `log[<line index>]`.
pub fn replay_jsonl(
    state: PoolState,
    policies: &[&Policy],
    text: &str,
) -> Result<(PoolState, usize), Error> {
    let mut state = state;
    let mut count = 0;
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let entry: LogEntry =
            crate::input::from_json(line).map_err(|e| e.at(&format!("log[{index}]")))?;
        step(&mut state, policies, &entry).map_err(|e| {
            Error::Pool(PoolError::Item {
                list: ItemList::Log,
                index,
                source: Box::new(e),
            })
        })?;
        count += 1;
    }
    Ok((state, count))
}

fn step(
    state: &mut PoolState,
    policies: &[&Policy],
    entry: &LogEntry,
) -> Result<Applied, PoolError> {
    let policy = pick(policies, entry.policy())?;
    match entry {
        LogEntry::Apply {
            at, command, id, ..
        } => run(state, id.as_deref(), command, policy, *at),
        LogEntry::Tick { at, leads, .. } => tick_some(state, policy, *at, ids(leads).as_deref()),
        LogEntry::Reschedule { leads, .. } => {
            reschedule_some(state, policy, ids(leads).as_deref());
            Ok(Applied::default())
        }
    }
}

fn ids(leads: &Option<Vec<String>>) -> Option<Vec<Id>> {
    leads
        .as_ref()
        .map(|l| l.iter().map(|s| Id::from(s.as_str())).collect())
}

fn pick<'p>(policies: &[&'p Policy], fingerprint: Option<&str>) -> Result<&'p Policy, PoolError> {
    let expected = || {
        policies
            .iter()
            .map(|p| p.fingerprint())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match fingerprint {
        None => policies
            .first()
            .copied()
            .ok_or_else(|| PoolError::PolicyMismatch {
                found: String::new(),
                expected: expected(),
            }),
        Some(f) => policies
            .iter()
            .copied()
            .find(|p| p.fingerprint() == f)
            .ok_or_else(|| PoolError::PolicyMismatch {
                found: f.to_string(),
                expected: expected(),
            }),
    }
}
