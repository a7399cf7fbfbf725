//! Command ids: a retried command answers with its earlier outcome and changes nothing.
//!
//! The id is kept on the leads the command named (its outcome on the first of them), at most
//! `remember_command_ids` per lead, oldest forgotten first.

use chrono::{DateTime, Utc};

use super::command::{Applied, Command};
use super::error::PoolError;
use super::policy::Policy;
use super::state::{Id, PoolState, Seen};

/// A digest of the command (64-bit FNV-1a of its JSON, as 16 hex digits).
pub(crate) fn digest(command: &Command) -> String {
    let text = crate::input::to_value(command).to_string();
    format!("{:016x}", crate::rng::fnv1a(text.as_bytes()))
}

/// The earlier outcome if a lead the command names already took `id`; `command_id_reused`
/// when it took it with another command.
pub(crate) fn earlier(
    state: &PoolState,
    id: &str,
    digest: &str,
    command: &Command,
) -> Result<Option<Applied>, PoolError> {
    let mut found: Option<(&Seen, &str)> = None;
    for lead in command.leads() {
        let Some(rec) = state.leads.get(lead) else {
            continue;
        };
        if let Some(s) = rec.seen.iter().find(|s| &*s.id == id) {
            if s.digest != digest {
                return Err(PoolError::CommandIdReused {
                    id: id.to_string(),
                    lead: lead.to_string(),
                });
            }
            if found.is_none() || !s.effects.is_empty() || !s.reasons.is_empty() {
                found = Some((s, lead));
            }
        }
    }
    Ok(found.map(|(s, _)| Applied {
        effects: s.effects.clone(),
        reasons: s.reasons.clone(),
        decisions: Vec::new(),
        next_check_at: state.next_check_at(),
        at: Some(s.at),
        duplicate: true,
    }))
}

/// Records `id` on the leads the command named that still exist, the outcome on the first.
pub(crate) fn remember(
    state: &mut PoolState,
    policy: &Policy,
    id: &str,
    digest: String,
    command: &Command,
    out: &Applied,
    at: DateTime<Utc>,
) {
    let keep = policy.remember;
    if keep == 0 {
        return;
    }
    let shared: Id = Id::from(id);
    let mut first = true;
    for lead in command.leads() {
        let Some(rec) = state.leads.get_mut(lead) else {
            continue;
        };
        let (effects, reasons) = if first {
            (out.effects.clone(), out.reasons.clone())
        } else {
            (Vec::new(), Vec::new())
        };
        first = false;
        rec.seen.push(Seen {
            id: shared.clone(),
            digest: digest.clone(),
            at,
            effects,
            reasons,
        });
        if rec.seen.len() > keep {
            let extra = rec.seen.len() - keep;
            rec.seen.drain(..extra);
        }
    }
}
