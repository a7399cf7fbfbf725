//! The typed refusals of the pool state machine.

use std::borrow::Cow;

use chrono::{DateTime, Utc};

use crate::error::join_path;
use crate::time::format;

/// Why a pool command, `tick`, `due` or a preview was refused.
///
/// A refused call never changes the state. Every variant has a stable [`PoolError::code`].
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    thiserror::Error,
    strum::IntoStaticStr,
    strum::VariantNames,
    serde::Serialize,
)]
#[strum(serialize_all = "snake_case")]
#[serde(untagged)]
pub enum PoolError {
    /// `now` is earlier than the last event the state has seen.
    #[error("clock went backwards: `{}` is before the last event at `{}`", format(.now), format(.last))]
    ClockBackwards {
        /// The `now` given.
        #[serde(serialize_with = "crate::time::rfc3339::serialize")]
        now: DateTime<Utc>,
        /// The state's last event time.
        #[serde(serialize_with = "crate::time::rfc3339::serialize")]
        last: DateTime<Utc>,
    },
    /// The lead is not in the state.
    #[error("unknown lead `{0}`")]
    #[serde(serialize_with = "crate::error::fact::lead")]
    UnknownLead(String),
    /// The rep is not in the policy.
    #[error("unknown rep `{0}`")]
    #[serde(serialize_with = "crate::error::fact::rep")]
    UnknownRep(String),
    /// The pool is not in the policy.
    #[error("unknown pool `{0}`")]
    #[serde(serialize_with = "crate::error::fact::pool")]
    UnknownPool(String),
    /// The lead already has an owner (or sits with a manager for dispatch).
    #[error("lead `{lead}` is already held by `{holder}`")]
    AlreadyOwned {
        /// The lead.
        lead: String,
        /// Who holds it.
        holder: String,
    },
    /// The lead is in a pool, so there is no owner to act on it.
    #[error("lead `{0}` has no owner")]
    #[serde(serialize_with = "crate::error::fact::lead")]
    NotOwned(String),
    /// The rep named is not the lead's owner (return, follow-up, transfer).
    #[error("rep `{rep}` does not own lead `{lead}`")]
    NotOwner {
        /// The lead.
        lead: String,
        /// The rep who claimed to own it.
        rep: String,
    },
    /// The lead was converted and left the pools.
    #[error("lead `{0}` was converted")]
    #[serde(serialize_with = "crate::error::fact::lead")]
    LeadConverted(String),
    /// The rep is marked inactive in the policy.
    #[error("rep `{0}` is inactive")]
    #[serde(serialize_with = "crate::error::fact::rep")]
    RepInactive(String),
    /// The rep has a holding or daily cap of 0: opted out of receiving leads.
    #[error("rep `{0}` opted out of receiving leads (cap 0)")]
    #[serde(serialize_with = "crate::error::fact::rep")]
    RepOptedOut(String),
    /// The rep already holds as many protected leads as the holding cap allows.
    #[error("rep `{rep}` holds {count} leads, the cap is {cap}")]
    HoldingCapReached {
        /// The rep.
        rep: String,
        /// Leads held.
        count: u32,
        /// The holding cap.
        cap: u32,
    },
    /// The rep already received as many leads today as the daily cap allows.
    #[error("rep `{rep}` received {count} leads today, the daily cap is {cap}")]
    DailyCapReached {
        /// The rep.
        rep: String,
        /// Leads received today.
        count: u32,
        /// The daily cap.
        cap: u32,
    },
    /// The rep returned or lost this lead recently and may not take it back yet.
    #[error("rep `{rep}` may not take lead `{lead}` again before `{}`", format(.until))]
    CooldownActive {
        /// The lead.
        lead: String,
        /// The rep.
        rep: String,
        /// End of the cooldown.
        #[serde(serialize_with = "crate::time::rfc3339::serialize")]
        until: DateTime<Utc>,
    },
    /// The next owner must differ from this rep (a fall-out or a sales rejection).
    #[error("the next owner of lead `{lead}` must not be `{rep}`")]
    ExcludedOwner {
        /// The lead.
        lead: String,
        /// The excluded rep.
        rep: String,
    },
    /// The pool only lets some teams or regions claim from it.
    #[error("rep `{rep}` may not claim from pool `{pool}`")]
    NotEligible {
        /// The rep.
        rep: String,
        /// The pool.
        pool: String,
    },
    /// A lead waiting for dispatch can only be assigned by the manager holding it.
    #[error("lead `{lead}` waits for dispatch by `{manager}`")]
    NotDispatcher {
        /// The lead.
        lead: String,
        /// The manager holding it.
        manager: String,
    },
    /// A manager dispatches only to reps of a team they lead.
    #[error("rep `{rep}` is not in a team led by `{manager}`")]
    NotInTeam {
        /// The rep.
        rep: String,
        /// The manager.
        manager: String,
    },
    /// No hand-over path of the policy leads from the owner's role to the receiver's.
    #[error("no hand-over path from `{from_role}` to `{}` for lead `{lead}`", .to_role.as_deref().unwrap_or("any role"))]
    HandoverNotAllowed {
        /// The lead.
        lead: String,
        /// The owner's role.
        from_role: String,
        /// The receiver's role, when one was named.
        #[serde(skip_serializing_if = "Option::is_none")]
        to_role: Option<String>,
    },
    /// A hand-over that names no receiver found nobody to take the lead: its path has no
    /// team, or no member of the team can take it now.
    #[error("nobody can receive lead `{lead}` along hand-over path `{handover}` now")]
    NoReceiver {
        /// The lead.
        lead: String,
        /// The path.
        handover: String,
        /// Each member considered and why it was passed over (`wang: holding_cap`).
        skipped: Vec<String>,
    },
    /// A transfer to the rep who already owns the lead.
    #[error("lead `{lead}` already belongs to `{rep}`")]
    SameOwner {
        /// The lead.
        lead: String,
        /// The rep.
        rep: String,
    },
    /// A follow-up, transfer or hand-over after the lead's reclaim deadline passed (`tick` will
    /// reclaim it).
    #[error("lead `{lead}` fell out of protection at `{}`", format(.at))]
    ProtectionExpired {
        /// The lead.
        lead: String,
        /// The deadline that passed.
        #[serde(serialize_with = "crate::time::rfc3339::serialize")]
        at: DateTime<Utc>,
    },
    /// A return or reclaim without a reason.
    #[error("a reason is required")]
    MissingReason,
    /// A bulk command listed no leads.
    #[error("the batch is empty")]
    EmptyBatch,
    /// A bulk command listed the same lead twice.
    #[error("lead `{0}` is listed twice")]
    #[serde(serialize_with = "crate::error::fact::lead")]
    DuplicateLead(String),
    /// A nurture step that the lead's current cadences do not have.
    #[error("lead `{lead}` has no nurture step `{step}` in cadence `{sop}`")]
    UnknownStep {
        /// The lead.
        lead: String,
        /// The cadence named.
        sop: String,
        /// The step named.
        step: String,
    },
    /// A stage change's `facts` are another lead's.
    #[error("the facts given are about lead `{facts}`, not `{lead}`")]
    FactsMismatch {
        /// The lead of the command.
        lead: String,
        /// The id of the facts.
        facts: String,
    },
    /// An empty id, stage or milestone name.
    #[error("`{0}` is empty")]
    #[serde(serialize_with = "crate::error::fact::field")]
    EmptyName(&'static str),
    /// The routing rules are not configured, so a lead cannot be routed.
    #[error("the policy has no routing rules")]
    NoRouting,
    /// A command id came back with another command.
    #[error("command id `{id}` was already used by another command on lead `{lead}`")]
    CommandIdReused {
        /// The id.
        id: String,
        /// The lead that took it.
        lead: String,
    },
    /// A merge names the same lead twice.
    #[error("lead `{0}` cannot be merged into itself")]
    #[serde(serialize_with = "crate::error::fact::lead")]
    SameLead(String),
    /// A log entry was written under another policy than the ones given to replay it.
    #[error("log entry written under policy `{found}`; replaying under `{expected}`")]
    PolicyMismatch {
        /// The entry's policy fingerprint.
        found: String,
        /// The fingerprints given.
        expected: String,
    },
    /// A command wrote a record the host did not load (and `needs` did not list).
    #[error("{kind} `{id}` was written but not loaded: load what `needs` lists")]
    RecordNotLoaded {
        /// `lead`, `rep` or `team`.
        kind: &'static str,
        /// Its id.
        id: String,
    },
    /// A binding's in-memory state was being written when the write panicked, so it may be
    /// half-changed: it refuses every call; reload the state from storage.
    #[error("the state is unusable: a write to it failed part-way; reload it from storage")]
    StateUnusable,
    /// One item of an all-or-nothing batch (a `bulk_assign` lead, a replayed log entry, a
    /// command of a list) was refused, so the whole batch was. Its code is the item's; it stays
    /// the last variant, so that [`PoolError::CODES`] can leave it out.
    #[error("item {index} refused: {source}")]
    #[serde(skip)]
    Item {
        /// The list the item belongs to.
        list: ItemList,
        /// Position of the refused item.
        index: usize,
        /// Why it was refused.
        source: Box<PoolError>,
    },
}

/// The list a refused [`PoolError::Item`] belongs to, which says how its path reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemList {
    /// A list of commands (`apply_all`, `apply_rows`): `[3].rep`.
    Commands,
    /// The leads of a bulk assignment: `leads[3]` for the lead, the rep's field for the rep.
    Leads,
    /// A command log being replayed: `[3].command.rep`, `[3].at`.
    Log,
}

impl ItemList {
    fn locate(self, index: usize, inner: &str) -> String {
        let item = format!("[{index}]");
        match (self, inner) {
            (Self::Leads, "lead") => format!("leads{item}"),
            (Self::Leads, _) => inner.to_string(),
            (Self::Commands, "now") => inner.to_string(),
            (Self::Log, "now") => format!("{item}.at"),
            (Self::Log, "policy" | "$") => join_path(&item, inner),
            (Self::Log, _) => join_path(&format!("{item}.command"), inner),
            (Self::Commands, _) => join_path(&item, inner),
        }
    }
}

impl PoolError {
    /// Every code a [`PoolError`] can have.
    pub const CODES: &'static [&'static str] =
        match <Self as strum::VariantNames>::VARIANTS.split_last() {
            Some((_item, codes)) => codes,
            None => &[],
        };

    /// The stable code of this error. A refused batch item reports the item's own code
    /// ([`PoolError::item_index`] says which item).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Item { source, .. } => source.code(),
            other => other.into(),
        }
    }

    /// The path of the field at fault, relative to the command (`lead`, `rep`, `pool`,
    /// `reason`, `leads[2]` of a bulk assignment, `id`); `now` for the call's clock; `$` when no
    /// field is. An item of a list is prefixed by its index: `[3].rep` (a command list),
    /// `[3].command.rep` (a log).
    pub fn path(&self) -> Cow<'_, str> {
        Cow::Borrowed(match self {
            Self::Item {
                list,
                index,
                source,
            } => return Cow::Owned(list.locate(*index, &source.path())),
            Self::ClockBackwards { .. } => "now",
            Self::UnknownLead(_)
            | Self::AlreadyOwned { .. }
            | Self::NotOwned(_)
            | Self::LeadConverted(_)
            | Self::NotDispatcher { .. }
            | Self::ProtectionExpired { .. }
            | Self::DuplicateLead(_)
            | Self::SameLead(_) => "lead",
            Self::UnknownRep(_)
            | Self::NotOwner { .. }
            | Self::RepInactive(_)
            | Self::RepOptedOut(_)
            | Self::HoldingCapReached { .. }
            | Self::DailyCapReached { .. }
            | Self::CooldownActive { .. }
            | Self::ExcludedOwner { .. }
            | Self::NotEligible { .. }
            | Self::NotInTeam { .. }
            | Self::SameOwner { .. } => "rep",
            Self::HandoverNotAllowed { to_role: None, .. } => "role",
            Self::HandoverNotAllowed { .. } => "to",
            Self::NoReceiver { .. } => "to",
            Self::UnknownPool(_) => "pool",
            Self::MissingReason => "reason",
            Self::EmptyBatch => "leads",
            Self::UnknownStep { .. } => "step",
            Self::FactsMismatch { .. } => "facts.id",
            Self::EmptyName(field) => field,
            Self::CommandIdReused { .. } => "id",
            Self::PolicyMismatch { .. } => "policy",
            Self::NoRouting | Self::RecordNotLoaded { .. } | Self::StateUnusable => "$",
        })
    }

    /// The facts of the error as a JSON object (a refused item's are its own).
    pub fn details(&self) -> serde_json::Value {
        match self {
            Self::Item { source, .. } => source.details(),
            other => crate::error::facts(other),
        }
    }

    /// For a refused batch item, its position in the batch.
    pub fn item_index(&self) -> Option<usize> {
        match self {
            Self::Item { index, .. } => Some(*index),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_leave_out_the_item_wrapper() {
        use strum::VariantNames;
        assert_eq!(PoolError::VARIANTS.last(), Some(&"item"));
        assert!(!PoolError::CODES.contains(&"item"));
        assert_eq!(PoolError::CODES.len(), PoolError::VARIANTS.len() - 1);
    }

    #[test]
    fn paths_name_the_command_field_and_details_carry_the_facts() {
        let held = PoolError::AlreadyOwned {
            lead: "L1".into(),
            holder: "wang".into(),
        };
        let item = |list, source: PoolError| PoolError::Item {
            list,
            index: 3,
            source: Box::new(source),
        };
        assert_eq!(held.path(), "lead");
        assert_eq!(item(ItemList::Leads, held.clone()).path(), "leads[3]");
        assert_eq!(item(ItemList::Commands, held.clone()).path(), "[3].lead");
        assert_eq!(item(ItemList::Log, held.clone()).path(), "[3].command.lead");
        let cap = PoolError::HoldingCapReached {
            rep: "li".into(),
            count: 5,
            cap: 5,
        };
        assert_eq!(item(ItemList::Leads, cap.clone()).path(), "rep");
        let clock = PoolError::ClockBackwards {
            now: crate::time::MIN,
            last: crate::time::MAX,
        };
        assert_eq!(item(ItemList::Commands, clock.clone()).path(), "now");
        assert_eq!(item(ItemList::Log, clock).path(), "[3].at");
        assert_eq!(
            item(ItemList::Log, held).details(),
            serde_json::json!({"lead": "L1", "holder": "wang"})
        );
        assert_eq!(
            cap.details(),
            serde_json::json!({"rep": "li", "count": 5, "cap": 5})
        );
        let until = crate::time::parse("2026-12-01T08:00:00+08:00").unwrap();
        let cooldown = PoolError::CooldownActive {
            lead: "L1".into(),
            rep: "li".into(),
            until,
        };
        assert_eq!(
            cooldown.details(),
            serde_json::json!({"lead": "L1", "rep": "li", "until": "2026-12-01T00:00:00Z"})
        );
        assert_eq!(
            PoolError::UnknownRep("ghost".into()).details(),
            serde_json::json!({"rep": "ghost"})
        );
        assert_eq!(PoolError::MissingReason.details(), serde_json::json!({}));
        assert_eq!(PoolError::EmptyName("stage").path(), "stage");
    }

    #[test]
    fn codes_are_listed_once() {
        let mut codes = PoolError::CODES.to_vec();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), PoolError::CODES.len());
        let e = PoolError::Item {
            list: ItemList::Commands,
            index: 2,
            source: Box::new(PoolError::MissingReason),
        };
        assert_eq!((e.code(), e.item_index()), ("missing_reason", Some(2)));
        assert!(PoolError::CODES.contains(&PoolError::UnknownLead("x".into()).code()));
    }
}
