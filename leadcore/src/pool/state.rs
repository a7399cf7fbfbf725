//! The pool state: where every lead is, its protection clock and history, and the reps' and
//! teams' counters. The host persists it (as JSON) between calls.
//!
//! Internally leads sit in a hash map with a deadline index (for `tick`) and a pending queue
//! (for routed leads waiting for a rep); neither index is serialized: both are rebuilt from the
//! leads when the state is loaded. The JSON form is canonical: maps with sorted keys, so the
//! same state always prints the same bytes.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use super::error::PoolError;
use crate::lead::Lead;

/// An id shared between the state, the policy and effects without copying.
pub type Id = Arc<str>;

/// A hash map with a fixed, fast hasher: the same behaviour in every process (no OS
/// randomness). Its iteration order never reaches an output.
pub(crate) type FixedMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// A hash set with the same fixed hasher.
pub(crate) type FixedSet<K> = HashSet<K, BuildHasherDefault<IdHasher>>;

/// A small multiply-rotate hasher (FxHash's step, 8 bytes at a time) with a final mix, for
/// short ids. Not DoS-resistant: lead and rep ids come from the host's CRM, not from strangers.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct IdHasher {
    hash: u64,
}

impl IdHasher {
    const K: u64 = 0xf135_7aea_2e62_a9c5;

    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(26) ^ word).wrapping_mul(Self::K);
    }
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        let mut word = [0u8; 8];
        for (w, b) in word.iter_mut().zip(rest) {
            *w = *b;
        }
        self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        let h = self.hash;
        (h ^ (h >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9) ^ (h >> 32)
    }
}

/// Where a lead is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case", deny_unknown_fields)]
#[schemars(rename = "PoolHolder")]
pub enum Holder {
    /// Waiting in a pool.
    Pooled {
        /// The pool.
        pool: Id,
    },
    /// Owned by a rep.
    Owned {
        /// The owner.
        rep: Id,
    },
    /// With a manager who will assign a rep (two-level assignment).
    Dispatching {
        /// The manager.
        manager: Id,
    },
    /// Converted: out of the pools for good.
    Converted {
        /// The owner at conversion, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rep: Option<Id>,
    },
}

impl Holder {
    /// The owner, for owned leads.
    pub fn owner(&self) -> Option<&Id> {
        match self {
            Self::Owned { rep } => Some(rep),
            _ => None,
        }
    }

    /// The pool, for pooled leads.
    pub fn pool(&self) -> Option<&Id> {
        match self {
            Self::Pooled { pool } => Some(pool),
            _ => None,
        }
    }

    /// Who or what holds the lead, for messages.
    pub(crate) fn name(&self) -> String {
        match self {
            Self::Pooled { pool } => pool.to_string(),
            Self::Owned { rep } => rep.to_string(),
            Self::Dispatching { manager } => manager.to_string(),
            Self::Converted { .. } => "converted".into(),
        }
    }
}

/// How an owner got a lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// The rep claimed it from a pool.
    Claim,
    /// A manager assigned it.
    Assign,
    /// A manager assigned it in a batch.
    BulkAssign,
    /// Automatic routing.
    Route,
    /// Another rep transferred it.
    Transfer,
    /// A person of another role handed it over (an SDR to a rep).
    HandOver,
    /// It inherited the owner of a duplicate merged into it.
    Merge,
}

/// How an ownership ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Ended {
    /// The owner returned it to a pool.
    Returned,
    /// A manager reclaimed it.
    Reclaimed,
    /// `tick` reclaimed it (protection ended or a trigger fired).
    AutoReclaimed,
    /// The owner transferred it to another rep.
    Transferred,
    /// The owner handed it over to another role.
    HandedOver,
    /// It was converted.
    Converted,
}

/// One ownership of a lead: who, how, from when, until when and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ownership {
    /// The owner.
    pub rep: Id,
    /// How the owner got it.
    pub via: Via,
    /// Start.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "crate::time::InstantSchema")]
    pub from: DateTime<Utc>,
    /// End, once ended.
    #[serde(
        default,
        with = "crate::time::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<crate::time::InstantSchema>")]
    pub until: Option<DateTime<Utc>>,
    /// How it ended, once ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<Ended>,
}

/// The automatic reclaim triggers.
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
pub enum Trigger {
    /// The protection period ended.
    Protection,
    /// No qualifying follow-up for `no_follow_up_days`.
    NoFollowUp,
    /// Not converted `not_converted_days` after the claim.
    NotConverted,
}

/// A warning already given for a trigger's deadline (so `tick` never repeats it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Warned {
    /// The trigger.
    pub trigger: Trigger,
    /// The deadline the warning was about.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "crate::time::InstantSchema")]
    pub deadline: DateTime<Utc>,
}

/// A rep who may not take the lead again before `until`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cooldown {
    /// The rep.
    pub rep: Id,
    /// End of the cooldown.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "crate::time::InstantSchema")]
    pub until: DateTime<Utc>,
}

/// A rep who must not be the lead's next owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    /// The rep.
    pub rep: Id,
    /// Why (`fallout`, or the reason given with `exclude_owner`).
    pub reason: Id,
}

/// A lead's place in nurture: the cadences of its stage running side by side, and the
/// reactivation cadence of its segment.
///
/// Written `{"cadences": [{"sop": "trial_onboarding", "entered_at": …, "done": ["d1"]},
/// {"sop": "pre_nurture", "entered_at": …}], "reactivation": "reactivate_manufacturing"}`.
/// A record written before 0.2, `{"sop": "mil_pre", "entered_at": …, "paused_secs": 0,
/// "done": ["d1"], …}` (one cadence), is read as a list of that one cadence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, try_from = "NurtureData")]
#[schemars(!try_from)]
pub struct NurtureRecord {
    /// The cadences running, in config order.
    pub cadences: Vec<CadenceRecord>,
    /// Paused since, while held by a person: every cadence pauses together.
    #[serde(
        default,
        with = "crate::time::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<crate::time::InstantSchema>")]
    pub paused_since: Option<DateTime<Utc>>,
    /// The reactivation cadence chosen for the lead's segment when it entered its stage;
    /// absent: the first reactivation cadence without `when`, if any. An id the policy no
    /// longer has means no reactivation (as an SOP it no longer has lists no step).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reactivation: Option<Id>,
    /// Reactivation steps reported done for the silence that began at `silence_since`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reactivation_done: Vec<Id>,
    /// The start of the silence the reactivation steps in `reactivation_done` belong to.
    #[serde(
        default,
        with = "crate::time::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<crate::time::InstantSchema>")]
    pub silence_since: Option<DateTime<Utc>>,
}

/// One cadence (SOP) a lead runs: its steps count from `entered_at`, without the time paused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CadenceRecord {
    /// The cadence (SOP) id.
    pub sop: Id,
    /// When the lead entered it: step times count from here.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "crate::time::InstantSchema")]
    pub entered_at: DateTime<Utc>,
    /// Seconds spent paused (held by a person) since entering. Step times are counted from
    /// `entered_at` plus this; a value past the representable range (up to 9999-12-31) means
    /// "paused for ever" (no step comes due), a negative one counts as 0.
    #[serde(default, skip_serializing_if = "is_zero_i64")]
    pub paused_secs: i64,
    /// Steps the host reported done.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub done: Vec<Id>,
}

fn is_zero_i64(v: &i64) -> bool {
    *v == 0
}

/// A [`NurtureRecord`] as read: the fields of the current form and of the form before 0.2
/// (one cadence: `sop`, `entered_at`, `paused_secs`, `done` at the top).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NurtureData {
    #[serde(default)]
    cadences: Option<Vec<CadenceRecord>>,
    #[serde(default)]
    sop: Option<Id>,
    #[serde(default, with = "crate::time::rfc3339::option")]
    entered_at: Option<DateTime<Utc>>,
    #[serde(default)]
    paused_secs: Option<i64>,
    #[serde(default)]
    done: Option<Vec<Id>>,
    #[serde(default, with = "crate::time::rfc3339::option")]
    paused_since: Option<DateTime<Utc>>,
    #[serde(default)]
    reactivation: Option<Id>,
    #[serde(default)]
    reactivation_done: Vec<Id>,
    #[serde(default, with = "crate::time::rfc3339::option")]
    silence_since: Option<DateTime<Utc>>,
}

impl TryFrom<NurtureData> for NurtureRecord {
    type Error = String;

    fn try_from(d: NurtureData) -> Result<Self, String> {
        let old = [
            ("sop", d.sop.is_some()),
            ("entered_at", d.entered_at.is_some()),
            ("paused_secs", d.paused_secs.is_some()),
            ("done", d.done.is_some()),
        ];
        let cadences = match (d.cadences, d.sop, d.entered_at) {
            (Some(cadences), ..) => {
                if let Some((field, _)) = old.iter().find(|(_, given)| *given) {
                    return Err(format!(
                        "unknown field `{field}`: a record with `cadences` holds it per cadence"
                    ));
                }
                cadences
            }
            (None, Some(sop), Some(entered_at)) => {
                if d.reactivation.is_some() {
                    return Err(
                        "unknown field `reactivation`: a record with `sop` (before 0.2) has none"
                            .into(),
                    );
                }
                vec![CadenceRecord {
                    sop,
                    entered_at,
                    paused_secs: d.paused_secs.unwrap_or(0),
                    done: d.done.unwrap_or_default(),
                }]
            }
            (None, Some(_), None) => return Err("missing field `entered_at`".into()),
            (None, None, _) => return Err("missing field `cadences`".into()),
        };
        for (i, c) in cadences.iter().enumerate() {
            if cadences.iter().take(i).any(|e| e.sop == c.sop) {
                return Err(format!("cadence `{}` is listed twice", c.sop));
            }
        }
        Ok(Self {
            cadences,
            paused_since: d.paused_since,
            reactivation: d.reactivation,
            reactivation_done: d.reactivation_done,
            silence_since: d.silence_since,
        })
    }
}

/// A routed lead waiting for a rep of its target to become available.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pending {
    /// Waiting since.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "crate::time::InstantSchema")]
    pub since: DateTime<Utc>,
    /// The lead as given to `route`, re-evaluated by `tick`.
    pub lead: Box<Lead>,
}

/// Everything the state knows about one lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadRecord {
    /// Where it is.
    pub holder: Holder,
    /// The pool it belongs to: its current pool, or the one it came from.
    pub pool: Id,
    /// Its region, used to pick regional pools at fall-out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Id>,
    /// Its lifecycle stage as the host reported it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// When the lead was created.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "crate::time::InstantSchema")]
    pub created_at: DateTime<Utc>,
    /// When it entered its current holder.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "crate::time::InstantSchema")]
    pub entered_at: DateTime<Utc>,
    /// Start of the protection clock (the claim; kept across transfers unless the policy
    /// resets it).
    #[serde(
        default,
        with = "crate::time::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<crate::time::InstantSchema>")]
    pub claimed_at: Option<DateTime<Utc>>,
    /// End of protection.
    #[serde(
        default,
        with = "crate::time::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<crate::time::InstantSchema>")]
    pub protected_until: Option<DateTime<Utc>>,
    /// The owner's last qualifying follow-up.
    #[serde(
        default,
        with = "crate::time::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<crate::time::InstantSchema>")]
    pub last_follow_up: Option<DateTime<Utc>>,
    /// The lead's own last activity (site login, reply…).
    #[serde(
        default,
        with = "crate::time::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<crate::time::InstantSchema>")]
    pub last_activity: Option<DateTime<Utc>>,
    /// Warnings given for the current deadlines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warned: Vec<Warned>,
    /// Every ownership, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<Ownership>,
    /// Reps in cooldown for this lead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cooldowns: Vec<Cooldown>,
    /// Reps who must not be the next owner.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded: Vec<Exclusion>,
    /// Times the lead fell out of protection (reclaims).
    #[serde(default)]
    pub fallouts: u32,
    /// The first fall-out (ladder steps count from it by default). Absent on records written
    /// before 0.2 that already fell out: their last fall-out stands in, and becomes this at
    /// their next fall-out.
    #[serde(
        default,
        with = "crate::time::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<crate::time::InstantSchema>")]
    pub first_fallout_at: Option<DateTime<Utc>>,
    /// The last fall-out.
    #[serde(
        default,
        with = "crate::time::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<crate::time::InstantSchema>")]
    pub last_fallout_at: Option<DateTime<Utc>>,
    /// The escalation ladder step the lead is on (0-based), once it fell out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ladder_step: Option<u32>,
    /// Milestones the host recorded (`cleaned`…), latest time each.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub milestones: BTreeMap<String, DateTime<Utc>>,
    /// Its nurture cadence, if its stage has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nurture: Option<Box<NurtureRecord>>,
    /// Waiting for a rep after routing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<Box<Pending>>,
    /// When `tick` next has something to do for this lead (a warning or a reclaim).
    #[serde(
        default,
        with = "crate::time::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<crate::time::InstantSchema>")]
    pub next_check_at: Option<DateTime<Utc>>,
    /// Command ids this lead already took, newest last (see [`Seen`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seen: Vec<Seen>,
    /// Writes so far: the host's compare-and-set version (0: never written).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub version: u64,
    /// The time of its last write; a later command's `now` may not be earlier (beyond the
    /// policy's `clock_skew_seconds`).
    #[serde(
        default,
        with = "crate::time::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<crate::time::InstantSchema>")]
    pub clock: Option<DateTime<Utc>>,
}

fn is_zero(v: &u64) -> bool {
    *v == 0
}

/// A command id a lead already took, with the outcome to answer a retry with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Seen {
    /// The command id.
    pub id: Id,
    /// A digest of the command (16 hex digits): the same id with another command is refused.
    pub digest: String,
    /// When it was applied.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "crate::time::InstantSchema")]
    pub at: DateTime<Utc>,
    /// Its effects (kept on the first lead it named; empty on the others).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub effects: Vec<super::command::Effect>,
    /// Its reasons (as for `effects`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<super::command::Reason>,
}

impl LeadRecord {
    /// A new lead in `pool`.
    pub(crate) fn new(
        pool: Id,
        region: Option<Id>,
        created_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            holder: Holder::Pooled { pool: pool.clone() },
            pool,
            region,
            stage: None,
            created_at,
            entered_at: now,
            claimed_at: None,
            protected_until: None,
            last_follow_up: None,
            last_activity: None,
            warned: Vec::new(),
            owners: Vec::new(),
            cooldowns: Vec::new(),
            excluded: Vec::new(),
            fallouts: 0,
            first_fallout_at: None,
            last_fallout_at: None,
            ladder_step: None,
            milestones: BTreeMap::new(),
            nurture: None,
            pending: None,
            next_check_at: None,
            seen: Vec::new(),
            version: 0,
            clock: None,
        }
    }

    /// The instant a host indexes this lead on for `tick`: its next check, or the time it has
    /// waited for a rep since (a routed lead waiting is retried at every tick).
    pub fn due_at(&self) -> Option<DateTime<Utc>> {
        match (self.next_check_at, self.pending.as_ref().map(|p| p.since)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The first fall-out as far as the record knows: `first_fallout_at`, else (a record
    /// written before it existed) the last fall-out.
    pub(crate) fn first_fallout(&self) -> Option<DateTime<Utc>> {
        self.first_fallout_at.or(self.last_fallout_at)
    }

    /// The current ownership, if the lead is owned.
    pub fn current_ownership(&self) -> Option<&Ownership> {
        match &self.holder {
            Holder::Owned { .. } => self.owners.last(),
            _ => None,
        }
    }

    /// The active cooldown of `rep`, if any.
    pub(crate) fn cooldown_of(&self, rep: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.cooldowns
            .iter()
            .find(|c| &*c.rep == rep && c.until > now)
            .map(|c| c.until)
    }

    /// Whether `rep` must not be the next owner.
    pub(crate) fn is_excluded(&self, rep: &str) -> bool {
        self.excluded.iter().any(|e| &*e.rep == rep)
    }
}

/// A rep's counters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RepCounters {
    /// The local day `intake` counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<NaiveDate>,
    /// Leads received on `day` (claims, assignments, transfers, routing).
    #[serde(default)]
    pub intake: u32,
    /// Leads owned now (kept with every change; a whole state loaded at once recounts it from
    /// its leads).
    #[serde(default)]
    pub holdings: u32,
    /// Writes so far (the compare-and-set version; 0: never written).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub version: u64,
    /// The time of its last write.
    #[serde(
        default,
        with = "crate::time::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<crate::time::InstantSchema>")]
    pub clock: Option<DateTime<Utc>>,
}

impl RepCounters {
    /// Leads received on `day`.
    pub fn intake_on(&self, day: NaiveDate) -> u32 {
        if self.day == Some(day) {
            self.intake
        } else {
            0
        }
    }
}

/// A team's rotation state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamRotation {
    /// Round robin: the last rep served by rotation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<Id>,
    /// Smooth weighted round robin: each rep's current weight.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub current: BTreeMap<Id, i64>,
    /// Random weighted: the generator's state (SplitMix64).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rng: Option<u64>,
    /// Writes so far (the compare-and-set version; 0: never written).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub version: u64,
    /// The time of its last write.
    #[serde(
        default,
        with = "crate::time::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<crate::time::InstantSchema>")]
    pub clock: Option<DateTime<Utc>>,
}

/// A record with a compare-and-set version and a clock.
pub(crate) trait Versioned {
    /// Marks a write at `at` (`None`: a write with no time, such as a reschedule).
    fn written(&mut self, at: Option<DateTime<Utc>>);
}

macro_rules! versioned {
    ($($t:ty),*) => {$(
        impl Versioned for $t {
            fn written(&mut self, at: Option<DateTime<Utc>>) {
                self.version += 1;
                if let Some(at) = at {
                    self.clock = Some(self.clock.map_or(at, |c| c.max(at)));
                }
            }
        }
    )*};
}
versioned!(LeadRecord, RepCounters, TeamRotation);

/// A deleted lead's row kept as a tombstone: the version it was deleted at. A lead created
/// again under the same id goes on from it, so a write prepared against the earlier record
/// can never match the new one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Gone(pub(crate) u64);

impl Versioned for Gone {
    fn written(&mut self, _: Option<DateTime<Utc>>) {
        self.0 += 1;
    }
}

/// Before-images of the records a batch wrote (`None`: the record did not exist), kept only
/// while a batch runs so a refused batch can be rolled back.
type Undo<V> = Option<Vec<(Id, Option<V>)>>;

/// Saves a record's before-image once per batch.
fn save<V: Clone>(undo: &mut Undo<V>, id: &Id, before: Option<&V>) {
    if let Some(list) = undo
        && !list.iter().any(|(k, _)| k == id)
    {
        list.push((id.clone(), before.cloned()));
    }
}

/// The leads: records in a slab (a vector) and an id → slot map; the deadline index refers to
/// slots, so `tick` reaches a record without hashing. A removed lead's slot is taken by the last
/// record. Every mutable access marks the lead written (its version and clock move when the
/// command ends). Equality is map equality (slots do not matter).
#[derive(Debug, Clone, Default)]
pub(crate) struct Leads {
    slots: FixedMap<Id, u32>,
    records: Vec<(Id, LeadRecord)>,
    /// Per slot: written by the current command.
    dirty: Vec<bool>,
    /// The slots the current command wrote (each once; a slot a removal emptied may linger).
    written: Vec<u32>,
    undo: Undo<LeadRecord>,
}

impl PartialEq for Leads {
    fn eq(&self, other: &Self) -> bool {
        self.records.len() == other.records.len()
            && self
                .records
                .iter()
                .all(|(id, rec)| other.get(id) == Some(rec))
    }
}

impl Leads {
    pub(crate) fn slot(&self, id: &str) -> Option<u32> {
        self.slots.get(id).copied()
    }

    pub(crate) fn get(&self, id: &str) -> Option<&LeadRecord> {
        self.get_key_value(id).map(|(_, r)| r)
    }

    pub(crate) fn get_key_value(&self, id: &str) -> Option<(&Id, &LeadRecord)> {
        let slot = self.slot(id)?;
        self.records.get(slot as usize).map(|(k, r)| (k, r))
    }

    /// Marks the lead in `slot` written.
    fn mark(&mut self, slot: u32) {
        if let Some(flag) = self.dirty.get_mut(slot as usize)
            && !*flag
        {
            *flag = true;
            self.written.push(slot);
            if let Some((id, rec)) = self.records.get(slot as usize) {
                save(&mut self.undo, id, Some(rec));
            }
        }
    }

    /// Forgets the marks of the current command.
    fn clear_written(&mut self) {
        for slot in self.written.drain(..) {
            if let Some(flag) = self.dirty.get_mut(slot as usize) {
                *flag = false;
            }
        }
    }

    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut LeadRecord> {
        self.get_slot_mut(id).map(|(_, r)| r)
    }

    /// The slot and record of a lead.
    pub(crate) fn get_slot_mut(&mut self, id: &str) -> Option<(u32, &mut LeadRecord)> {
        let slot = self.slot(id)?;
        self.at_mut(slot).map(|r| (slot, r))
    }

    /// The record in a slot.
    pub(crate) fn at_mut(&mut self, slot: u32) -> Option<&mut LeadRecord> {
        self.mark(slot);
        self.records.get_mut(slot as usize).map(|(_, r)| r)
    }

    /// Adds a lead (or replaces its record); returns its slot.
    pub(crate) fn insert(&mut self, id: Id, rec: LeadRecord) -> u32 {
        if let Some(slot) = self.slot(&id) {
            self.mark(slot);
            if let Some(entry) = self.records.get_mut(slot as usize) {
                entry.1 = rec;
            }
            return slot;
        }
        save(&mut self.undo, &id, None);
        let slot = self.put(id, rec);
        self.mark(slot);
        slot
    }

    /// Adds a record without marking it written.
    fn put(&mut self, id: Id, rec: LeadRecord) -> u32 {
        if let Some(slot) = self.slot(&id) {
            if let Some(entry) = self.records.get_mut(slot as usize) {
                entry.1 = rec;
            }
            return slot;
        }
        let slot = u32::try_from(self.records.len()).unwrap_or(u32::MAX);
        self.slots.insert(id.clone(), slot);
        self.records.push((id, rec));
        self.dirty.push(false);
        slot
    }

    /// Takes a record out; the last record moves into its slot (returned with its id).
    fn take_out(&mut self, id: &str) -> Option<(LeadRecord, Option<(Id, u32)>)> {
        let slot = self.slots.remove(id)?;
        let i = slot as usize;
        if i >= self.records.len() {
            return None;
        }
        let (_, rec) = self.records.swap_remove(i);
        if i < self.dirty.len() {
            self.dirty.swap_remove(i);
        }
        let moved = self.records.get(i).map(|(k, _)| (k.clone(), slot));
        if let Some((k, s)) = &moved {
            self.slots.insert(k.clone(), *s);
            if self.dirty.get(i).copied().unwrap_or(false) {
                self.written.push(slot);
            }
        }
        Some((rec, moved))
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&Id, &LeadRecord)> {
        self.records.iter().map(|(k, r)| (k, r))
    }

    pub(crate) fn len(&self) -> usize {
        self.records.len()
    }
}

/// Records by id (rep counters, team rotations) in a hash map (a lookup per command, not a walk
/// of string comparisons), listed sorted by id wherever order shows; every mutable access marks
/// the record written. Equality is map equality.
#[derive(Debug, Clone)]
pub(crate) struct Table<V> {
    map: FixedMap<Id, V>,
    /// The records the current command wrote.
    written: FixedSet<Id>,
    undo: Undo<V>,
}

impl<V> Default for Table<V> {
    fn default() -> Self {
        Self {
            map: FixedMap::default(),
            written: FixedSet::default(),
            undo: None,
        }
    }
}

impl<V: PartialEq> PartialEq for Table<V> {
    fn eq(&self, other: &Self) -> bool {
        self.map == other.map
    }
}

impl<V: Clone + Default> Table<V> {
    pub(crate) fn get(&self, id: &str) -> Option<&V> {
        self.map.get(id)
    }

    /// The record, created empty if missing; marked written.
    pub(crate) fn entry(&mut self, id: &Id) -> &mut V {
        if !self.written.contains(id) {
            save(&mut self.undo, id, self.map.get(id));
            self.written.insert(id.clone());
        }
        self.map.entry(id.clone()).or_default()
    }

    /// The record, if present; marked written.
    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut V> {
        if !self.written.contains(id) {
            let (k, v) = self.map.get_key_value(id)?;
            let k = k.clone();
            save(&mut self.undo, &k, Some(v));
            self.written.insert(k);
        }
        self.map.get_mut(id)
    }

    /// Replaces a record; marked written.
    pub(crate) fn insert(&mut self, id: Id, value: V) {
        *self.entry(&id) = value;
    }

    /// Takes a record out.
    pub(crate) fn remove(&mut self, id: &str) -> Option<V> {
        let (k, v) = self.map.remove_entry(id)?;
        save(&mut self.undo, &k, Some(&v));
        self.written.remove(id);
        Some(v)
    }

    /// The records sorted by id.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&Id, &V)> {
        let mut all: Vec<(&Id, &V)> = self.map.iter().collect();
        all.sort_unstable_by(|a, b| a.0.cmp(b.0));
        all.into_iter()
    }

    /// The records as a sorted map.
    pub(crate) fn to_map(&self) -> BTreeMap<Id, V> {
        self.map
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

/// The whole pool state: a map of lead records, rep counters and team rotations (the rows a
/// host stores). Create an empty one with [`PoolState::default`]; change it only through
/// [`super::apply`] and [`super::tick`].
#[derive(Debug, Clone, Default)]
pub struct PoolState {
    /// The latest clock of any record.
    pub(crate) clock: Option<DateTime<Utc>>,
    pub(crate) leads: Leads,
    pub(crate) reps: Table<RepCounters>,
    pub(crate) teams: Table<TeamRotation>,
    /// Tombstones of deleted leads.
    pub(crate) gone: Table<Gone>,
    /// (next check, lead) → slot, for every lead with a `next_check_at`.
    pub(crate) index: BTreeMap<(DateTime<Utc>, Id), u32>,
    /// (waiting since, lead) for every lead with `pending`.
    pub(crate) pending: BTreeSet<(DateTime<Utc>, Id)>,
}

impl PartialEq for PoolState {
    /// Equal leads, counters, rotations and clock (internal slots may differ).
    fn eq(&self, other: &Self) -> bool {
        self.clock == other.clock
            && self.leads == other.leads
            && self.reps == other.reps
            && self.teams == other.teams
            && self.gone == other.gone
            && self.index.keys().eq(other.index.keys())
            && self.pending == other.pending
    }
}

impl PoolState {
    /// The latest time any record was written at.
    pub fn clock(&self) -> Option<DateTime<Utc>> {
        self.clock
    }

    /// A lead's record.
    pub fn lead(&self, id: &str) -> Option<&LeadRecord> {
        self.leads.get(id)
    }

    /// Number of leads.
    pub fn len(&self) -> usize {
        self.leads.len()
    }

    /// Whether the state has no lead.
    pub fn is_empty(&self) -> bool {
        self.leads.len() == 0
    }

    /// Leads a rep owns now.
    pub fn holdings(&self, rep: &str) -> u32 {
        self.reps.get(rep).map_or(0, |c| c.holdings)
    }

    /// A rep's counters.
    pub fn rep_counters(&self, rep: &str) -> Option<&RepCounters> {
        self.reps.get(rep)
    }

    /// A team's rotation.
    pub fn team_rotation(&self, team: &str) -> Option<&TeamRotation> {
        self.teams.get(team)
    }

    /// The earliest time `tick` has something to do, if any (routed leads waiting for a rep
    /// are retried at every tick and are not included).
    pub fn next_check_at(&self) -> Option<DateTime<Utc>> {
        self.index.first_key_value().map(|((t, _), _)| *t)
    }

    /// Lead ids in sorted order.
    pub fn lead_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.leads.iter().map(|(k, _)| &**k).collect();
        ids.sort_unstable();
        ids
    }

    /// Refuses a `now` earlier than the state's latest clock (read-only calls: `due`,
    /// previews).
    pub(crate) fn check_clock(&self, now: DateTime<Utc>) -> Result<(), PoolError> {
        match self.clock {
            Some(last) if now < last => Err(PoolError::ClockBackwards { now, last }),
            _ => Ok(()),
        }
    }

    /// The leads and, separately, the books kept in step with them: a lead's record can be
    /// changed with one hash lookup while counters and indexes follow.
    pub(crate) fn split(&mut self) -> (&mut Leads, Books<'_>) {
        (
            &mut self.leads,
            Books {
                reps: &mut self.reps,
                index: &mut self.index,
                pending: &mut self.pending,
            },
        )
    }

    /// Sets or clears a lead's pending routing, keeping the queue in step.
    pub(crate) fn set_pending(&mut self, id: &Id, pending: Option<Box<Pending>>) {
        let (leads, mut books) = self.split();
        if let Some(rec) = leads.get_mut(id) {
            books.set_pending(id, rec, pending);
        }
    }

    /// Adds a new lead; one created again after a deletion goes on from its tombstone's
    /// version.
    pub(crate) fn add_lead(&mut self, id: Id, mut rec: LeadRecord) {
        if let Some(Gone(v)) = self.gone.remove(&id) {
            rec.version = v;
        }
        self.leads.insert(id, rec);
    }

    /// Removes a lead with its index and queue entries (its owner's holding is the caller's).
    pub(crate) fn remove_lead(&mut self, id: &Id) -> Option<LeadRecord> {
        let before = self.leads.get(id).cloned();
        save(&mut self.leads.undo, id, before.as_ref());
        let (rec, moved) = self.leads.take_out(id)?;
        self.gone.insert(id.clone(), Gone(rec.version));
        self.unindex(id, &rec);
        if let Some((k, slot)) = moved
            && let Some(t) = self.leads.get(&k).and_then(|r| r.next_check_at)
        {
            self.index.insert((t, k), slot);
        }
        Some(rec)
    }

    fn unindex(&mut self, id: &Id, rec: &LeadRecord) {
        if let Some(t) = rec.next_check_at {
            self.index.remove(&(t, id.clone()));
        }
        if let Some(p) = &rec.pending {
            self.pending.remove(&(p.since, id.clone()));
        }
    }

    fn reindex(&mut self, id: &Id, slot: u32) {
        if let Some(rec) = self.leads.get(id) {
            if let Some(t) = rec.next_check_at {
                self.index.insert((t, id.clone()), slot);
            }
            if let Some(p) = &rec.pending {
                self.pending.insert((p.since, id.clone()));
            }
        }
    }

    /// Ends a command written at `at`: every record it wrote gets the next version and `at` as
    /// its clock.
    pub(crate) fn finish(&mut self, at: DateTime<Utc>) {
        self.stamp(Some(at));
        self.clock = Some(self.clock.map_or(at, |c| c.max(at)));
    }

    /// Gives every record written since the last stamp its next version (and `at` as clock).
    pub(crate) fn stamp(&mut self, at: Option<DateTime<Utc>>) {
        let leads = &mut self.leads;
        for slot in leads.written.drain(..) {
            if let Some(flag) = leads.dirty.get_mut(slot as usize)
                && *flag
            {
                *flag = false;
                if let Some((_, rec)) = leads.records.get_mut(slot as usize) {
                    rec.written(at);
                }
            }
        }
        finish_table(&mut self.reps, at);
        finish_table(&mut self.teams, at);
        finish_table(&mut self.gone, at);
    }

    /// Forgets the marks of a refused command (it changed nothing).
    pub(crate) fn discard_writes(&mut self) {
        self.leads.clear_written();
        self.reps.written.clear();
        self.teams.written.clear();
        self.gone.written.clear();
    }

    /// Starts a batch: from here on, the first write of each record keeps its before-image.
    pub(crate) fn begin_batch(&mut self) {
        self.leads.undo = Some(Vec::new());
        self.reps.undo = Some(Vec::new());
        self.teams.undo = Some(Vec::new());
        self.gone.undo = Some(Vec::new());
    }

    /// Ends a batch that was accepted.
    pub(crate) fn end_batch(&mut self) {
        self.leads.undo = None;
        self.reps.undo = None;
        self.teams.undo = None;
        self.gone.undo = None;
    }

    /// Ends a refused batch: every record is put back as it was when the batch began.
    pub(crate) fn rollback(&mut self, clock: Option<DateTime<Utc>>) {
        self.leads.clear_written();
        self.reps.written.clear();
        self.teams.written.clear();
        self.gone.written.clear();
        for (id, before) in self.leads.undo.take().unwrap_or_default() {
            if let Some(now) = self.leads.get(&id).cloned() {
                self.unindex(&id, &now);
            }
            match before {
                Some(rec) => {
                    let slot = self.leads.put(id.clone(), rec);
                    self.reindex(&id, slot);
                }
                None => {
                    if let Some((_, Some((k, slot)))) = self.leads.take_out(&id)
                        && let Some(t) = self.leads.get(&k).and_then(|r| r.next_check_at)
                    {
                        self.index.insert((t, k), slot);
                    }
                }
            }
        }
        restore(&mut self.reps);
        restore(&mut self.teams);
        restore(&mut self.gone);
        self.clock = clock;
    }

    /// A state made of records (rows): their versions, clocks and counters kept as given.
    pub(crate) fn from_records(records: Records) -> Self {
        let mut state = PoolState {
            clock: None,
            leads: Leads::default(),
            reps: Table {
                map: records.reps.into_iter().collect(),
                ..Table::default()
            },
            teams: Table {
                map: records.teams.into_iter().collect(),
                ..Table::default()
            },
            gone: Table {
                map: records
                    .gone
                    .into_iter()
                    .map(|(k, v)| (k, Gone(v)))
                    .collect(),
                ..Table::default()
            },
            index: BTreeMap::new(),
            pending: BTreeSet::new(),
        };
        for (k, v) in records.leads {
            let slot = state.leads.put(k.clone(), v);
            state.reindex(&k, slot);
        }
        let clocks = state
            .leads
            .iter()
            .map(|(_, r)| r.clock)
            .chain(state.reps.map.values().map(|r| r.clock))
            .chain(state.teams.map.values().map(|r| r.clock));
        state.clock = clocks.flatten().max();
        state
    }

    /// The records (rows) of this state, by id.
    pub fn records(&self) -> Records {
        Records {
            leads: self
                .leads
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            reps: self.reps.to_map(),
            teams: self.teams.to_map(),
            gone: self.gone.iter().map(|(k, g)| (k.clone(), g.0)).collect(),
        }
    }

    /// Copies of the named records that exist (for a batch run on its own records).
    pub(crate) fn extract(&self, needs: &super::rows::Needs) -> Records {
        Records {
            leads: needs
                .leads
                .iter()
                .filter_map(|k| self.leads.get_key_value(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            reps: needs
                .reps
                .iter()
                .filter_map(|k| self.reps.map.get_key_value(&**k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            teams: needs
                .teams
                .iter()
                .filter_map(|k| self.teams.map.get_key_value(&**k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            gone: needs
                .leads
                .iter()
                .filter_map(|k| self.gone.map.get_key_value(&**k))
                .map(|(k, g)| (k.clone(), g.0))
                .collect(),
        }
    }

    fn rebuild(&mut self) {
        self.index.clear();
        self.pending.clear();
        for c in self.reps.map.values_mut() {
            c.holdings = 0;
        }
        for (slot, (id, rec)) in self.leads.records.iter().enumerate() {
            if let Some(t) = rec.next_check_at {
                self.index
                    .insert((t, id.clone()), u32::try_from(slot).unwrap_or(u32::MAX));
            }
            if let Some(p) = &rec.pending {
                self.pending.insert((p.since, id.clone()));
            }
            if let Holder::Owned { rep } = &rec.holder {
                self.reps.map.entry(rep.clone()).or_default().holdings += 1;
            }
        }
    }
}

fn finish_table<V: Versioned>(table: &mut Table<V>, at: Option<DateTime<Utc>>) {
    for id in table.written.drain() {
        if let Some(v) = table.map.get_mut(&id) {
            v.written(at);
        }
    }
}

fn restore<V>(table: &mut Table<V>) {
    for (id, before) in table.undo.take().unwrap_or_default() {
        match before {
            Some(v) => {
                table.map.insert(id, v);
            }
            None => {
                table.map.remove(&id);
            }
        }
    }
}

/// Records as a host stores them, one row each, by id: lead records, rep counters, team
/// rotations. The JSON form is the `leads` / `reps` / `teams` part of a [`PoolState`]'s.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Records {
    /// Lead records.
    #[serde(default)]
    pub leads: BTreeMap<Id, LeadRecord>,
    /// Rep counters.
    #[serde(default)]
    pub reps: BTreeMap<Id, RepCounters>,
    /// Team rotations.
    #[serde(default)]
    pub teams: BTreeMap<Id, TeamRotation>,
    /// Deleted leads' rows (tombstones): their version. A deleted lead's row stays, with its
    /// version and no record, until no request that loaded the earlier record can still
    /// commit; load it back here so a lead created again under the same id goes on from that
    /// version (otherwise a stale write could match the new record: the ABA problem).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub gone: BTreeMap<Id, u64>,
}

impl Records {
    /// Reads records from a JSON value: `{"leads": {id: record}, "reps": …, "teams": …}` where
    /// each record is an object or its JSON text, as a database column returns it (text is
    /// parsed directly, without building host objects). Paths name the record:
    /// `leads.L1.holder`.
    ///
    /// ```
    /// use leadcore::pool::Records;
    /// let r = Records::from_value(serde_json::json!({"reps": {"wang": "{\"holdings\": 2, \"version\": 7}"}})).unwrap();
    /// assert_eq!((r.reps["wang"].holdings, r.reps["wang"].version), (2, 7));
    /// let e = Records::from_value(serde_json::json!({"leads": {"L1": "{\"holder\": 1}"}})).unwrap_err();
    /// assert_eq!(e.path, "leads.L1.holder");
    /// ```
    pub fn from_value(value: serde_json::Value) -> Result<Self, crate::error::InputError> {
        use crate::error::{FieldErrorKind, InputError};
        use serde_json::Value;
        let map = match value {
            Value::Null => return Ok(Self::default()),
            Value::String(text) => return crate::input::from_json(&text),
            Value::Object(map) => map,
            other => return crate::input::from_value(other),
        };
        let mut out = Self::default();
        for (table, rows) in map {
            match table.as_str() {
                "leads" => read_table(rows, &table, &mut out.leads)?,
                "reps" => read_table(rows, &table, &mut out.reps)?,
                "teams" => read_table(rows, &table, &mut out.teams)?,
                "gone" => read_table(rows, &table, &mut out.gone)?,
                _ => {
                    return Err(InputError::new(
                        FieldErrorKind::UnknownField(format!(
                            "unknown field `{table}`, expected `leads`, `reps`, `teams` or `gone`"
                        )),
                        table,
                    ));
                }
            }
        }
        Ok(out)
    }
}

/// One table of [`Records::from_value`]: id → record object or JSON text.
fn read_table<T: serde::de::DeserializeOwned>(
    rows: serde_json::Value,
    table: &str,
    out: &mut BTreeMap<Id, T>,
) -> Result<(), crate::error::InputError> {
    let serde_json::Value::Object(rows) = rows else {
        if rows.is_null() {
            return Ok(());
        }
        return crate::input::from_value::<BTreeMap<Id, T>>(rows)
            .map(|m| out.extend(m))
            .map_err(|e| e.at(table));
    };
    for (id, rec) in rows {
        let at = format!("{table}.{id}");
        let rec = match rec {
            serde_json::Value::String(text) => crate::input::from_json(&text),
            other => crate::input::from_value(other),
        }
        .map_err(|e| e.at(&at))?;
        out.insert(Id::from(id), rec);
    }
    Ok(())
}

/// The parts of the state kept in step with the leads: rep counters, the deadline index and
/// the pending queue.
pub(crate) struct Books<'a> {
    pub(crate) reps: &'a mut Table<RepCounters>,
    pub(crate) index: &'a mut BTreeMap<(DateTime<Utc>, Id), u32>,
    pub(crate) pending: &'a mut BTreeSet<(DateTime<Utc>, Id)>,
}

impl Books<'_> {
    /// Sets the next check of the lead in `slot`, keeping the index in step.
    pub(crate) fn set_next_check(
        &mut self,
        id: &Id,
        slot: u32,
        rec: &mut LeadRecord,
        at: Option<DateTime<Utc>>,
    ) {
        if rec.next_check_at == at {
            return;
        }
        if let Some(old) = rec.next_check_at {
            self.index.remove(&(old, id.clone()));
        }
        if let Some(new) = at {
            self.index.insert((new, id.clone()), slot);
        }
        rec.next_check_at = at;
    }

    /// Sets or clears a lead's pending routing, keeping the queue in step.
    pub(crate) fn set_pending(
        &mut self,
        id: &Id,
        rec: &mut LeadRecord,
        pending: Option<Box<Pending>>,
    ) {
        if rec.pending.is_none() && pending.is_none() {
            return;
        }
        if let Some(old) = &rec.pending {
            self.pending.remove(&(old.since, id.clone()));
        }
        if let Some(new) = &pending {
            self.pending.insert((new.since, id.clone()));
        }
        rec.pending = pending;
    }

    /// Removes one lead from a rep's holdings.
    pub(crate) fn release_holding(&mut self, rep: &str) {
        if let Some(c) = self.reps.get_mut(rep) {
            c.holdings = c.holdings.saturating_sub(1);
        }
    }
}

/// Adds a duration, saturating at the latest instant leadcore writes ([`crate::time::add`]).
pub(crate) use crate::time::add;

/// Subtracts a duration, saturating at the earliest instant ([`crate::time::sub`]).
pub(crate) use crate::time::sub;

struct Sorted<'a, K, V>(Vec<(&'a K, &'a V)>);

impl<K: Serialize, V: Serialize> Serialize for Sorted<'_, K, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().copied())
    }
}

impl Serialize for PoolState {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut leads: Vec<(&Id, &LeadRecord)> = self.leads.iter().collect();
        leads.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let reps: Vec<(&Id, &RepCounters)> = self.reps.iter().filter(|(_, c)| kept(c)).collect();
        let gone: Vec<(&Id, u64)> = self.gone.iter().map(|(k, g)| (k, g.0)).collect();
        let mut st = s.serialize_struct("PoolState", 5)?;
        st.serialize_field("clock", &self.clock.map(|t| crate::time::format(&t)))?;
        st.serialize_field("leads", &Sorted(leads))?;
        st.serialize_field("reps", &Sorted(reps))?;
        st.serialize_field("teams", &Sorted(self.teams.iter().collect()))?;
        if gone.is_empty() {
            st.skip_field("gone")?;
        } else {
            st.serialize_field("gone", &Sorted(gone.iter().map(|(k, v)| (*k, v)).collect()))?;
        }
        st.end()
    }
}

/// The JSON form is [`StateData`]'s (written sorted by id, untouched reps left out).
impl schemars::JsonSchema for PoolState {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PoolStateJson".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        StateData::json_schema(generator)
    }
}

/// Whether a rep's counters say anything (an untouched rep is left out of the JSON form).
fn kept(c: &RepCounters) -> bool {
    c.day.is_some() || c.intake > 0 || c.holdings > 0 || c.version > 0
}

/// A pool state as JSON: the clock, and lead, rep and team records and deleted leads' versions
/// by id.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct StateData {
    #[serde(default, with = "crate::time::rfc3339::option")]
    #[schemars(with = "Option<crate::time::InstantSchema>")]
    clock: Option<DateTime<Utc>>,
    #[serde(default)]
    leads: BTreeMap<Id, LeadRecord>,
    #[serde(default)]
    reps: BTreeMap<Id, RepCounters>,
    #[serde(default)]
    teams: BTreeMap<Id, TeamRotation>,
    #[serde(default)]
    gone: BTreeMap<Id, u64>,
}

impl<'de> Deserialize<'de> for PoolState {
    /// A whole state: holdings are recounted from its leads.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let data = StateData::deserialize(d)?;
        let mut state = PoolState::from_records(Records {
            leads: data.leads,
            reps: data.reps,
            teams: data.teams,
            gone: data.gone,
        });
        state.clock = match (data.clock, state.clock) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        state.rebuild();
        state.reps.map.retain(|_, c| kept(c));
        Ok(state)
    }
}
