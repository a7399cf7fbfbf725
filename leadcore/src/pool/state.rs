//! The pool state: where every lead is, its protection clock and history, and the reps' and
//! teams' counters. The host persists it (as JSON) between calls.
//!
//! Internally leads sit in a hash map with a deadline index (for `tick`) and a pending queue
//! (for routed leads waiting for a rep); neither index is serialized: both are rebuilt from the
//! leads when the state is loaded. The JSON form is canonical: maps with sorted keys, so the
//! same state always prints the same bytes.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use super::error::PoolError;
use crate::lead::Lead;

/// An id shared between the state, the policy and effects without copying.
pub type Id = Arc<str>;

/// A hash map with a fixed, fast hasher: the same behaviour in every process (no OS
/// randomness). Its iteration order never reaches an output.
pub(crate) type FixedMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case", deny_unknown_fields)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
}

/// How an ownership ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    /// It was converted.
    Converted,
}

/// One ownership of a lead: who, how, from when, until when and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ownership {
    /// The owner.
    pub rep: Id,
    /// How the owner got it.
    pub via: Via,
    /// Start.
    #[serde(with = "crate::time::rfc3339")]
    pub from: DateTime<Utc>,
    /// End, once ended.
    #[serde(
        default,
        with = "crate::time::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub until: Option<DateTime<Utc>>,
    /// How it ended, once ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<Ended>,
}

/// The automatic reclaim triggers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Warned {
    /// The trigger.
    pub trigger: Trigger,
    /// The deadline the warning was about.
    #[serde(with = "crate::time::rfc3339")]
    pub deadline: DateTime<Utc>,
}

/// A rep who may not take the lead again before `until`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cooldown {
    /// The rep.
    pub rep: Id,
    /// End of the cooldown.
    #[serde(with = "crate::time::rfc3339")]
    pub until: DateTime<Utc>,
}

/// A rep who must not be the lead's next owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    /// The rep.
    pub rep: Id,
    /// Why (`fallout`, or the reason given with `exclude_owner`).
    pub reason: Id,
}

/// A lead's place in its nurture cadence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NurtureRecord {
    /// The cadence (SOP) id.
    pub sop: Id,
    /// When the lead entered it: step times count from here.
    #[serde(with = "crate::time::rfc3339")]
    pub entered_at: DateTime<Utc>,
    /// Seconds spent paused (held by a person) since entering.
    #[serde(default)]
    pub paused_secs: i64,
    /// Paused since, while held by a person.
    #[serde(
        default,
        with = "crate::time::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub paused_since: Option<DateTime<Utc>>,
    /// Steps the host reported done.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub done: Vec<Id>,
    /// Reactivation steps reported done for the silence that began at `silence_since`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reactivation_done: Vec<Id>,
    /// The start of the silence the reactivation steps in `reactivation_done` belong to.
    #[serde(
        default,
        with = "crate::time::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub silence_since: Option<DateTime<Utc>>,
}

/// A routed lead waiting for a rep of its target to become available.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pending {
    /// Waiting since.
    #[serde(with = "crate::time::rfc3339")]
    pub since: DateTime<Utc>,
    /// The lead as given to `route`, re-evaluated by `tick`.
    pub lead: Box<Lead>,
}

/// Everything the state knows about one lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    pub created_at: DateTime<Utc>,
    /// When it entered its current holder.
    #[serde(with = "crate::time::rfc3339")]
    pub entered_at: DateTime<Utc>,
    /// Start of the protection clock (the claim; kept across transfers unless the policy
    /// resets it).
    #[serde(
        default,
        with = "crate::time::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub claimed_at: Option<DateTime<Utc>>,
    /// End of protection.
    #[serde(
        default,
        with = "crate::time::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub protected_until: Option<DateTime<Utc>>,
    /// The owner's last qualifying follow-up.
    #[serde(
        default,
        with = "crate::time::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_follow_up: Option<DateTime<Utc>>,
    /// The lead's own last activity (site login, reply…).
    #[serde(
        default,
        with = "crate::time::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
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
    /// The last fall-out.
    #[serde(
        default,
        with = "crate::time::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
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
    pub next_check_at: Option<DateTime<Utc>>,
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
            last_fallout_at: None,
            ladder_step: None,
            milestones: BTreeMap::new(),
            nurture: None,
            pending: None,
            next_check_at: None,
        }
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepCounters {
    /// The local day `intake` counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<NaiveDate>,
    /// Leads received on `day` (claims, assignments, transfers, routing).
    #[serde(default)]
    pub intake: u32,
    /// Leads owned now (derived from the leads; not serialized).
    #[serde(skip)]
    pub holdings: u32,
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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
}

/// The leads: records in a slab (a vector, in order of arrival) and an id → slot map. Leads are
/// never removed, so slots are stable; the deadline index refers to slots, so `tick` reaches a
/// record without hashing. Equality is map equality (slots do not matter).
#[derive(Debug, Clone, Default)]
pub(crate) struct Leads {
    slots: FixedMap<Id, u32>,
    records: Vec<(Id, LeadRecord)>,
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

    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut LeadRecord> {
        self.get_slot_mut(id).map(|(_, r)| r)
    }

    /// The slot and record of a lead.
    pub(crate) fn get_slot_mut(&mut self, id: &str) -> Option<(u32, &mut LeadRecord)> {
        let slot = self.slot(id)?;
        self.records.get_mut(slot as usize).map(|(_, r)| (slot, r))
    }

    /// The record in a slot.
    pub(crate) fn at_mut(&mut self, slot: u32) -> Option<&mut LeadRecord> {
        self.records.get_mut(slot as usize).map(|(_, r)| r)
    }

    /// Adds a lead (or replaces its record); returns its slot.
    pub(crate) fn insert(&mut self, id: Id, rec: LeadRecord) -> u32 {
        if let Some(slot) = self.slot(&id) {
            if let Some(entry) = self.records.get_mut(slot as usize) {
                entry.1 = rec;
            }
            return slot;
        }
        let slot = u32::try_from(self.records.len()).unwrap_or(u32::MAX);
        self.slots.insert(id.clone(), slot);
        self.records.push((id, rec));
        slot
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&Id, &LeadRecord)> {
        self.records.iter().map(|(k, r)| (k, r))
    }

    pub(crate) fn len(&self) -> usize {
        self.records.len()
    }
}

/// The whole pool state. Create an empty one with [`PoolState::default`]; change it only through
/// [`super::apply`] and [`super::tick`].
#[derive(Debug, Clone, Default)]
pub struct PoolState {
    pub(crate) clock: Option<DateTime<Utc>>,
    pub(crate) leads: Leads,
    pub(crate) reps: BTreeMap<Id, RepCounters>,
    pub(crate) teams: BTreeMap<Id, TeamRotation>,
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
            && self.index.keys().eq(other.index.keys())
            && self.pending == other.pending
    }
}

impl PoolState {
    /// The time of the last accepted command or tick.
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

    /// Refuses a `now` earlier than the last event.
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

    fn rebuild(&mut self) {
        self.index.clear();
        self.pending.clear();
        for c in self.reps.values_mut() {
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
                self.reps.entry(rep.clone()).or_default().holdings += 1;
            }
        }
    }
}

/// The parts of the state kept in step with the leads: rep counters, the deadline index and
/// the pending queue.
pub(crate) struct Books<'a> {
    pub(crate) reps: &'a mut BTreeMap<Id, RepCounters>,
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

/// Adds a duration, saturating at the largest instant instead of overflowing.
pub(crate) fn add(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    t.checked_add_signed(d).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// Subtracts a duration, saturating at the smallest instant.
pub(crate) fn sub(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    t.checked_sub_signed(d).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

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
        let reps: Vec<(&Id, &RepCounters)> = self
            .reps
            .iter()
            .filter(|(_, c)| c.day.is_some() || c.intake > 0)
            .collect();
        let mut st = s.serialize_struct("PoolState", 4)?;
        st.serialize_field("clock", &self.clock.map(|t| crate::time::format(&t)))?;
        st.serialize_field("leads", &Sorted(leads))?;
        st.serialize_field("reps", &Sorted(reps))?;
        st.serialize_field("teams", &self.teams)?;
        st.end()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StateData {
    #[serde(default, with = "crate::time::rfc3339::option")]
    clock: Option<DateTime<Utc>>,
    #[serde(default)]
    leads: BTreeMap<String, LeadRecord>,
    #[serde(default)]
    reps: BTreeMap<String, RepCounters>,
    #[serde(default)]
    teams: BTreeMap<String, TeamRotation>,
}

impl<'de> Deserialize<'de> for PoolState {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let data = StateData::deserialize(d)?;
        let mut state = PoolState {
            clock: data.clock,
            leads: Leads::default(),
            reps: data
                .reps
                .into_iter()
                .map(|(k, v)| (Id::from(k), v))
                .collect(),
            teams: data
                .teams
                .into_iter()
                .map(|(k, v)| (Id::from(k), v))
                .collect(),
            index: BTreeMap::new(),
            pending: BTreeSet::new(),
        };
        for (k, v) in data.leads {
            state.leads.insert(Id::from(k), v);
        }
        state.rebuild();
        state
            .reps
            .retain(|_, c| c.day.is_some() || c.intake > 0 || c.holdings > 0);
        Ok(state)
    }
}
