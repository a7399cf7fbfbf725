//! The pool at the granularity of database rows: which records a command needs, and the
//! command applied to just those records, returning the rows it changed with the versions a
//! host compares and sets.
//!
//! A host keeps one row per lead record, per rep's counters and per team's rotation, each
//! with its `version`. For a request it:
//! 1. asks [`needs`] for the records the commands can touch (lead ids come from the
//!    commands; the reps and teams need the leads, so ask again once they are loaded),
//! 2. loads them and calls [`apply_rows`] (or [`tick_rows`] for leads whose
//!    [`LeadRecord::due_at`] has come),
//! 3. writes every [`Row`] in one transaction with a compare-and-set on `expected`
//!    (insert when 0, verify only when `check`; a row written without `record` is a deleted
//!    lead, kept as a tombstone with its new version and given back in [`Records::gone`]),
//!    appending the [`LogEntry`]s; on a conflict it rolls back and starts again from 1.
//!
//! [`apply_rows`] runs the same code as [`super::apply`] on a [`PoolState`] made of the
//! records given: one implementation, whether the state is a whole pool in memory or the
//! few rows of one request.
//!
//! ```
//! use leadcore::pool::{Policy, Records, Request, apply_rows, needs};
//! let policy = Policy::from_json(r#"{"pools": [{"id": "east", "kind": "active"}],
//!   "reps": [{"id": "wang", "holding_cap": 1}], "protection": {}}"#).unwrap();
//! let now = leadcore::time::parse("2026-11-23T09:00:00+08:00").unwrap();
//! let req = |s| serde_json::from_str::<Request>(s).unwrap();
//! // A new lead: nothing to load.
//! let deposit = [req(r#"{"type": "deposit", "lead": "L1", "pool": "east"}"#)];
//! let out = apply_rows(Records::default(), &policy, &deposit, now).unwrap();
//! assert_eq!((out.rows.len(), out.rows[0].expected), (1, 0)); // insert L1
//! // A claim with an id needs the lead and the rep.
//! let claim = [req(r#"{"id": "r1", "type": "claim", "lead": "L1", "rep": "wang"}"#)];
//! let mut records = Records::default();
//! records.leads.insert("L1".into(), out.rows[0].lead().unwrap().clone());
//! assert_eq!(needs(&records, &policy, &claim, Some(now)).reps, vec!["wang".into()]);
//! let out = apply_rows(records.clone(), &policy, &claim, now).unwrap();
//! assert_eq!(out.rows.iter().map(|r| (r.id.as_ref(), r.expected)).collect::<Vec<_>>(),
//!            [("L1", 1), ("wang", 0)]);
//! // Retried after a timeout on the old rows: a second write would conflict on L1's
//! // version; on the new rows, the same id answers with the earlier outcome.
//! let mut newer = records.clone();
//! newer.leads.insert("L1".into(), out.rows[0].lead().unwrap().clone());
//! let again = apply_rows(newer, &policy, &claim, now).unwrap();
//! assert!(again.results[0].duplicate && again.rows.iter().all(|r| r.check));
//! ```

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::apply::run;
use super::command::{Applied, Command, Request};
use super::config::Dispatch;
use super::error::{ItemList, PoolError};
use super::log::LogEntry;
use super::policy::{Policy, RuleTarget};
use super::state::{Holder, Id, LeadRecord, PoolState, Records, RepCounters, TeamRotation};
use super::tick::{reschedule_some, tick_some};
use crate::condition::Facts;
use crate::lead::Lead;

/// The records a set of commands can touch, sorted, each id once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PoolNeeds")]
pub struct Needs {
    /// Lead ids.
    pub leads: Vec<Id>,
    /// Rep ids (their counters).
    pub reps: Vec<Id>,
    /// Team ids (their rotations).
    pub teams: Vec<Id>,
}

/// One record a command can touch.
pub(crate) enum Key<'a> {
    Lead(&'a str),
    Rep(&'a str),
    Team(&'a str),
}

/// Calls `f` with every record `command` can touch, given where its leads are (`holder`): the
/// leads it names and their
/// owners, the reps it names, and for routing the reps and teams of every rule that can
/// decide (the same walk as the router's).
pub(crate) fn visit<'a>(
    holder: impl Fn(&str) -> Option<&'a Holder>,
    command: &'a Command,
    policy: &'a Policy,
    now: Option<DateTime<Utc>>,
    f: &mut impl FnMut(Key<'a>),
) {
    command.each_lead(|lead| {
        f(Key::Lead(lead));
        if let Some(Holder::Owned { rep }) = holder(lead) {
            f(Key::Rep(rep));
        }
    });
    match command {
        Command::Claim { rep, .. }
        | Command::Assign { rep, .. }
        | Command::BulkAssign { rep, .. }
        | Command::Return { rep, .. } => f(Key::Rep(rep)),
        Command::Transfer { from, to, .. } => {
            f(Key::Rep(from));
            f(Key::Rep(to));
        }
        Command::HandOver { from, to, role, .. } => {
            f(Key::Rep(from));
            match to {
                Some(to) => f(Key::Rep(to)),
                None => {
                    let team = policy
                        .rep_index(from)
                        .and_then(|i| policy.rep(i))
                        .and_then(|giver| policy.handover(giver.role, None, *role))
                        .and_then(|h| h.team)
                        .and_then(|t| policy.team(t));
                    if let Some(t) = team {
                        f(Key::Team(&t.id));
                        for rep in t.members.iter().filter_map(|&m| policy.rep(m)) {
                            f(Key::Rep(&rep.id));
                        }
                    }
                }
            }
        }
        Command::Route { lead } => visit_route(policy, lead, now, f),
        _ => {}
    }
}

/// The reps and teams routing `lead` at `now` can touch (without `now`, every rule whose
/// condition could match: a superset).
fn visit_route<'a>(
    policy: &'a Policy,
    lead: &'a Lead,
    now: Option<DateTime<Utc>>,
    f: &mut impl FnMut(Key<'a>),
) {
    let Some(routing) = policy.routing.as_ref() else {
        return;
    };
    let facts = now.map(|t| Facts::lead_only(lead, t));
    for rule in &routing.rules {
        let (matched, timed) = match (&rule.when, &facts) {
            (None, _) => (true, false),
            (Some(c), Some(facts)) => (c.matches(facts), false),
            (Some(_), None) => (true, true),
        };
        if !matched {
            continue;
        }
        match &rule.to {
            RuleTarget::Pool(_) => {
                if matched && !timed {
                    return;
                }
            }
            RuleTarget::Rep(r) => {
                if let Some(rep) = policy.rep(*r) {
                    f(Key::Rep(&rep.id));
                }
            }
            RuleTarget::AccountOwner(attr) => {
                if let Some(rep) = lead
                    .attr(attr)
                    .and_then(|v| v.as_str())
                    .and_then(|o| policy.rep_index(o))
                    .and_then(|i| policy.rep(i))
                {
                    f(Key::Rep(&rep.id));
                }
            }
            RuleTarget::Team { team, .. } => {
                let Some(t) = policy.team(*team) else {
                    continue;
                };
                if t.dispatch == Dispatch::ViaLead {
                    if let Some(m) = t.lead.and_then(|m| policy.rep(m)) {
                        f(Key::Rep(&m.id));
                    }
                } else {
                    f(Key::Team(&t.id));
                    for rep in t.members.iter().filter_map(|&m| policy.rep(m)) {
                        f(Key::Rep(&rep.id));
                    }
                }
                if matched && !timed {
                    return;
                }
            }
        }
    }
}

/// Collects keys into sorted, deduplicated lists.
#[derive(Default)]
struct Collect {
    leads: BTreeSet<Id>,
    reps: BTreeSet<Id>,
    teams: BTreeSet<Id>,
}

impl Collect {
    fn add(&mut self, key: Key<'_>) {
        match key {
            Key::Lead(k) => self.leads.insert(Id::from(k)),
            Key::Rep(k) => self.reps.insert(Id::from(k)),
            Key::Team(k) => self.teams.insert(Id::from(k)),
        };
    }

    fn finish(self) -> Needs {
        Needs {
            leads: self.leads.into_iter().collect(),
            reps: self.reps.into_iter().collect(),
            teams: self.teams.into_iter().collect(),
        }
    }
}

/// The records `requests` can touch at `now`, given the records loaded so far: the leads come
/// from the commands alone; the owners of loaded leads and the reps and teams routing can
/// reach are added. Call it with no records to learn the leads, then with the leads to learn
/// the rest. Without `now`, routing rules whose condition may read the time count as
/// matching (a superset).
pub fn needs(
    records: &Records,
    policy: &Policy,
    requests: &[Request],
    now: Option<DateTime<Utc>>,
) -> Needs {
    let mut c = Collect::default();
    for r in requests {
        let holder = |lead: &str| records.leads.get(lead).map(|x| &x.holder);
        visit(holder, &r.command, policy, now, &mut |k| c.add(k));
    }
    c.finish()
}

fn needs_in(
    state: &PoolState,
    requests: &[Request],
    policy: &Policy,
    now: Option<DateTime<Utc>>,
) -> Needs {
    let mut c = Collect::default();
    for r in requests {
        let holder = |lead: &str| state.leads.get(lead).map(|x| &x.holder);
        visit(holder, &r.command, policy, now, &mut |k| c.add(k));
    }
    c.finish()
}

/// The records a tick of `leads` can touch: the leads, their owners, and what routing a
/// waiting lead again can reach.
pub fn tick_needs(records: &Records, policy: &Policy, now: Option<DateTime<Utc>>) -> Needs {
    let ids: Vec<Id> = records.leads.keys().cloned().collect();
    tick_needs_of(|id| records.leads.get(id), &ids, policy, now)
}

pub(crate) fn tick_needs_in(
    state: &PoolState,
    leads: &[Id],
    policy: &Policy,
    now: Option<DateTime<Utc>>,
) -> Needs {
    tick_needs_of(|id| state.leads.get(id), leads, policy, now)
}

/// [`tick_needs`] with the lead records found by `record`.
fn tick_needs_of<'a>(
    record: impl Fn(&str) -> Option<&'a LeadRecord>,
    leads: &[Id],
    policy: &'a Policy,
    now: Option<DateTime<Utc>>,
) -> Needs {
    let mut c = Collect::default();
    for id in leads {
        c.add(Key::Lead(id));
        let Some(rec) = record(id) else {
            continue;
        };
        if let Holder::Owned { rep } = &rec.holder {
            c.add(Key::Rep(rep));
        }
        if let Some(p) = &rec.pending {
            visit_route(policy, &p.lead, now, &mut |k| c.add(k));
        }
    }
    c.finish()
}

/// What a row holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// A lead record.
    Lead,
    /// A rep's counters.
    Rep,
    /// A team's rotation.
    Team,
}

/// A record to write.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum RowRecord {
    /// A lead record.
    Lead(Box<LeadRecord>),
    /// A rep's counters.
    Rep(RepCounters),
    /// A team's rotation.
    Team(TeamRotation),
}

/// One row for the host to write (or verify) with a compare-and-set on `expected`.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Row {
    /// What it holds.
    pub kind: RowKind,
    /// The record's id.
    pub id: Id,
    /// The version the row must have now (0: the row must not exist yet; a deleted lead's row
    /// has its tombstone's version).
    pub expected: u64,
    /// The version it gets (the new record's; one call may write a record more than once);
    /// absent when the row is only checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<u64>,
    /// The new record (its `version` is the next one); absent when the lead is deleted (keep
    /// the row as a tombstone with `version`) or the row is only checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<RowRecord>,
    /// A lead's [`LeadRecord::due_at`], the column to index for `tick`.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "crate::time::rfc3339::option"
    )]
    #[schemars(with = "Option<crate::time::InstantSchema>")]
    pub due_at: Option<DateTime<Utc>>,
    /// Read, not written: verify the version in the same transaction (the decision depended
    /// on it).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub check: bool,
}

impl Row {
    /// The lead record, for a lead row that is written.
    pub fn lead(&self) -> Option<&LeadRecord> {
        match &self.record {
            Some(RowRecord::Lead(r)) => Some(r),
            _ => None,
        }
    }

    /// Whether the row is a deleted lead (a tombstone with `version`).
    pub fn is_delete(&self) -> bool {
        self.record.is_none() && !self.check
    }
}

/// The outcome of [`apply_rows`] or [`tick_rows`].
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PoolRowsApplied")]
pub struct RowsApplied {
    /// One result per command (one for a tick).
    pub results: Vec<Applied>,
    /// The rows to write, leads then reps then teams, each by id.
    pub rows: Vec<Row>,
    /// The log entries to append (duplicates are not logged).
    pub log: Vec<LogEntry>,
}

impl RowsApplied {
    /// The JSON form, with each row's `record` as JSON text when `records_as_text` (what a host
    /// stores in a text column, serialized once here instead of again in the host language).
    pub fn to_value(&self, records_as_text: bool) -> serde_json::Value {
        let mut value = crate::input::to_value(self);
        if records_as_text && let Some(rows) = value.get_mut("rows").and_then(|r| r.as_array_mut())
        {
            for row in rows {
                if let Some(rec) = row.get_mut("record") {
                    *rec = serde_json::Value::String(rec.to_string());
                }
            }
        }
        value
    }
}

/// Applies `requests` to the records given, all or nothing (the first refusal is returned,
/// with its position when there are several commands, and nothing is written).
///
/// Records a command writes that were not given (nor listed by [`needs`] as absent) are
/// refused with `record_not_loaded`, so a host that forgot a row cannot count a cap from an
/// empty one.
pub fn apply_rows(
    records: Records,
    policy: &Policy,
    requests: &[Request],
    now: DateTime<Utc>,
) -> Result<RowsApplied, PoolError> {
    let before = Given::of(&records);
    let mut state = PoolState::from_records(records);
    let known = needs_in(&state, requests, policy, Some(now));
    let mut results = Vec::with_capacity(requests.len());
    let mut log = Vec::with_capacity(requests.len());
    for (index, r) in requests.iter().enumerate() {
        let applied = run(&mut state, r.id.as_deref(), &r.command, policy, now).map_err(|e| {
            if requests.len() > 1 {
                PoolError::Item {
                    list: ItemList::Commands,
                    index,
                    source: Box::new(e),
                }
            } else {
                e
            }
        })?;
        if !applied.duplicate {
            log.push(LogEntry::Apply {
                at: applied.at.unwrap_or(now),
                command: r.command.clone(),
                id: r.id.clone(),
                policy: Some(policy.fingerprint().to_string()),
            });
        }
        results.push(applied);
    }
    let rows = before.diff(&state, &known)?;
    Ok(RowsApplied { results, rows, log })
}

/// Ticks the leads given whose [`LeadRecord::due_at`] has come (load them with their
/// [`tick_needs`]): reclaims, warnings, and routing retries, as [`super::tick`] does for the
/// whole state.
pub fn tick_rows(
    records: Records,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<RowsApplied, PoolError> {
    let before = Given::of(&records);
    let due: Vec<Id> = records
        .leads
        .iter()
        .filter(|(_, r)| r.due_at().is_some_and(|t| t <= now))
        .map(|(k, _)| k.clone())
        .collect();
    let mut state = PoolState::from_records(records);
    let known = tick_needs_in(&state, &due, policy, Some(now));
    if due.is_empty() {
        return Ok(RowsApplied {
            results: vec![Applied {
                at: Some(now),
                ..Applied::default()
            }],
            rows: Vec::new(),
            log: Vec::new(),
        });
    }
    let applied = tick_some(&mut state, policy, now, Some(&due))?;
    let log = vec![LogEntry::Tick {
        at: applied.at.unwrap_or(now),
        leads: Some(due.iter().map(|k| k.to_string()).collect()),
        policy: Some(policy.fingerprint().to_string()),
    }];
    let rows = before.diff(&state, &known)?;
    Ok(RowsApplied {
        results: vec![applied],
        rows,
        log,
    })
}

/// Recomputes the next check of the leads given under `policy` (after a policy change that
/// moves deadlines, such as a shorter no-follow-up period): the rows of the leads whose
/// `due_at` moved, with their next versions (clocks do not move), and a `reschedule` log
/// entry. Page through the lead rows in batches.
pub fn reschedule_rows(records: Records, policy: &Policy) -> Result<RowsApplied, PoolError> {
    let before = Given::of(&records);
    let ids: Vec<Id> = records.leads.keys().cloned().collect();
    let mut state = PoolState::from_records(records);
    reschedule_some(&mut state, policy, Some(&ids));
    let known = Needs {
        leads: ids,
        reps: Vec::new(),
        teams: Vec::new(),
    };
    // Nothing else was read: the leads whose next check did not move need no check.
    let rows: Vec<Row> = before
        .diff(&state, &known)?
        .into_iter()
        .filter(|r| !r.check)
        .collect();
    let log = if rows.is_empty() {
        Vec::new()
    } else {
        vec![LogEntry::Reschedule {
            leads: Some(rows.iter().map(|r| r.id.to_string()).collect()),
            policy: Some(policy.fingerprint().to_string()),
        }]
    };
    Ok(RowsApplied {
        results: Vec::new(),
        rows,
        log,
    })
}

/// Runs `requests` on an in-memory state all or nothing: on a refusal every record is put
/// back as it was.
pub fn apply_all(
    state: &mut PoolState,
    policy: &Policy,
    requests: &[Request],
    now: DateTime<Utc>,
) -> Result<Vec<Applied>, PoolError> {
    let clock = state.clock;
    state.begin_batch();
    let mut results = Vec::with_capacity(requests.len());
    for (index, r) in requests.iter().enumerate() {
        match run(state, r.id.as_deref(), &r.command, policy, now) {
            Ok(a) => results.push(a),
            Err(e) => {
                state.rollback(clock);
                return Err(if requests.len() > 1 {
                    PoolError::Item {
                        list: ItemList::Commands,
                        index,
                        source: Box::new(e),
                    }
                } else {
                    e
                });
            }
        }
    }
    state.end_batch();
    Ok(results)
}

/// What `tick` would do at `at` (a simulated future), without changing the state: the due
/// leads and what they need are copied and ticked on their own.
pub fn tick_preview(
    state: &PoolState,
    policy: &Policy,
    at: DateTime<Utc>,
) -> Result<Applied, PoolError> {
    state.check_clock(at)?;
    let mut due: Vec<Id> = state
        .index
        .range(..=(at, Id::from("\u{10ffff}")))
        .map(|((_, k), _)| k.clone())
        .collect();
    due.extend(state.pending.iter().map(|(_, k)| k.clone()));
    let needs = tick_needs_in(state, &due, policy, Some(at));
    let mut copy = PoolState::from_records(state.extract(&needs));
    copy.clock = state.clock;
    let mut out = tick_some(&mut copy, policy, at, Some(&due))?;
    out.next_check_at = state
        .next_check_at()
        .min(copy.next_check_at())
        .or(copy.next_check_at());
    Ok(out)
}

/// The records a call was given, to tell what changed.
struct Given(Records);

impl Given {
    fn of(records: &Records) -> Self {
        Self(records.clone())
    }

    /// The rows that changed from these records (a lead removed and created again in the same
    /// call is one update), and the known rows to verify: leads, then reps, then teams.
    fn diff(&self, state: &PoolState, known: &Needs) -> Result<Vec<Row>, PoolError> {
        let given = &self.0;
        let mut rows = Vec::new();
        let lead = Kind {
            kind: RowKind::Lead,
            known: &known.leads,
            version: |r: &LeadRecord| r.version,
            wrap: |r: &LeadRecord| RowRecord::Lead(Box::new(r.clone())),
            due: LeadRecord::due_at,
        };
        let mut ids: BTreeSet<&Id> = state.leads.iter().map(|(k, _)| k).collect();
        ids.extend(given.leads.keys().chain(given.gone.keys()));
        ids.extend(state.gone.iter().map(|(k, _)| k));
        lead.diff(
            &mut rows,
            ids,
            |id| {
                (given.leads.get(id).map(Slot::Record))
                    .or_else(|| given.gone.get(id).map(|v| Slot::Gone(*v)))
            },
            |id| {
                (state.leads.get(id).map(Slot::Record))
                    .or_else(|| state.gone.get(id).map(|g| Slot::Gone(g.0)))
            },
        )?;
        let rep = Kind {
            kind: RowKind::Rep,
            known: &known.reps,
            version: |r: &RepCounters| r.version,
            wrap: |r: &RepCounters| RowRecord::Rep(r.clone()),
            due: |_: &RepCounters| None,
        };
        rep.diff(
            &mut rows,
            state
                .reps
                .iter()
                .map(|(k, _)| k)
                .chain(given.reps.keys())
                .collect(),
            |id| given.reps.get(id).map(Slot::Record),
            |id| state.reps.get(id).map(Slot::Record),
        )?;
        let team = Kind {
            kind: RowKind::Team,
            known: &known.teams,
            version: |r: &TeamRotation| r.version,
            wrap: |r: &TeamRotation| RowRecord::Team(r.clone()),
            due: |_: &TeamRotation| None,
        };
        team.diff(
            &mut rows,
            state
                .teams
                .iter()
                .map(|(k, _)| k)
                .chain(given.teams.keys())
                .collect(),
            |id| given.teams.get(id).map(Slot::Record),
            |id| state.teams.get(id).map(Slot::Record),
        )?;
        Ok(rows)
    }
}

/// A record before or after a call: present, or a deleted lead's tombstone version.
#[derive(PartialEq)]
enum Slot<'a, V> {
    Record(&'a V),
    Gone(u64),
}

/// One kind of record, for [`Given::diff`].
struct Kind<'a, F, W, D> {
    kind: RowKind,
    known: &'a [Id],
    version: F,
    wrap: W,
    due: D,
}

impl<F, W, D> Kind<'_, F, W, D> {
    /// Appends the rows of this kind, by id: changed, new and deleted records, then the known
    /// records that were only read. `before` and `after` give a record as given and as left.
    fn diff<'s, V: PartialEq + 's>(
        &self,
        rows: &mut Vec<Row>,
        ids: BTreeSet<&Id>,
        before: impl Fn(&Id) -> Option<Slot<'s, V>>,
        after: impl Fn(&Id) -> Option<Slot<'s, V>>,
    ) -> Result<(), PoolError>
    where
        F: Fn(&V) -> u64,
        W: Fn(&V) -> RowRecord,
        D: Fn(&V) -> Option<DateTime<Utc>>,
    {
        let expected = |s: &Option<Slot<'s, V>>| match s {
            Some(Slot::Record(r)) => (self.version)(r),
            Some(Slot::Gone(v)) => *v,
            None => 0,
        };
        let mut written = BTreeSet::new();
        for id in ids {
            let (was, now) = (before(id), after(id));
            if was == now {
                continue;
            }
            let row = Row {
                kind: self.kind,
                id: id.clone(),
                expected: expected(&was),
                version: None,
                record: None,
                due_at: None,
                check: false,
            };
            rows.push(match now {
                Some(Slot::Record(r)) => {
                    require(
                        self.known.binary_search(id).is_ok() || was.is_some(),
                        self.kind,
                        id,
                    )?;
                    Row {
                        version: Some((self.version)(r)),
                        record: Some((self.wrap)(r)),
                        due_at: (self.due)(r),
                        ..row
                    }
                }
                Some(Slot::Gone(v)) => Row {
                    version: Some(v),
                    ..row
                },
                None => row,
            });
            written.insert(id);
        }
        for id in self.known.iter().filter(|k| !written.contains(k)) {
            rows.push(Row {
                kind: self.kind,
                id: id.clone(),
                expected: expected(&before(id)),
                version: None,
                record: None,
                due_at: None,
                check: true,
            });
        }
        Ok(())
    }
}

fn require(known: bool, kind: RowKind, id: &Id) -> Result<(), PoolError> {
    if known {
        return Ok(());
    }
    Err(PoolError::RecordNotLoaded {
        kind: match kind {
            RowKind::Lead => "lead",
            RowKind::Rep => "rep",
            RowKind::Team => "team",
        },
        id: id.to_string(),
    })
}
