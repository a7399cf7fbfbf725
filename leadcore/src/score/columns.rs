//! Columnar events: parallel slices that hosts (numpy, pyarrow, typed arrays) pass without
//! building one object per event.
//!
//! Event `i` is `(lead[i], kind[i], at[i], id[i], detail[i])`. Properties and custom-event names
//! are dictionary-encoded: `detail[i]` indexes `details`, so rule conditions on properties are
//! evaluated once per distinct detail, not once per event.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{FieldErrorKind, InputError};
use crate::event::{Event, EventKind};
use crate::lead::{AttrValue, Lead};
use crate::table::{Bits, Column, Field, Kind, Schema, Spec, Table, Value};

/// `at` value of an event whose timestamp is missing (numpy's `NaT` is this value).
pub const MISSING_TIME: i64 = i64::MIN;

/// `id` value of an event without an id (never a duplicate of another event).
pub const NO_ID: u64 = u64::MAX;

/// `detail` value of an event without properties or name.
pub const NO_DETAIL: u32 = u32::MAX;

/// The code of an event kind in [`EventColumns::kind`]: its index in [`EventKind::ALL`]
/// (`page_view` = 0 … `custom` = 11).
pub fn kind_code(kind: EventKind) -> u8 {
    EventKind::ALL
        .iter()
        .position(|k| *k == kind)
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(u8::MAX)
}

/// Unix time in whole seconds (floored), the unit of [`EventColumns::at`].
pub fn unix_seconds(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

/// The dictionary entry of an event: a custom event's name and its properties.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventDetail {
    /// For `custom` events, the host's name for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Details (page url, asset, campaign…), typed like lead attributes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, AttrValue>,
}

/// Borrowed columnar events for one batch. All columns have the same length.
///
/// - `lead[i]`: index of the event's lead in the batch's lead slice.
/// - `kind[i]`: [`kind_code`] of the event kind.
/// - `at[i]`: Unix time in seconds; [`MISSING_TIME`] when unknown (the event is ignored and
///   counted in the result as `missing_time`).
/// - `id[i]` (optional column): the host's event id as a number (e.g. from `pandas.factorize`);
///   [`NO_ID`] for none. Events of one lead with the same id are one event delivered twice.
/// - `detail[i]` (optional column): index into `details`, or [`NO_DETAIL`].
#[derive(Debug, Clone, Copy)]
pub struct EventColumns<'a> {
    /// Lead index per event.
    pub lead: &'a [u32],
    /// Kind code per event.
    pub kind: &'a [u8],
    /// Unix seconds per event.
    pub at: &'a [i64],
    /// Event id per event, if the host has ids.
    pub id: Option<&'a [u64]>,
    /// Detail index per event, if any event has properties or a name.
    pub detail: Option<&'a [u32]>,
    /// The detail dictionary.
    pub details: &'a [EventDetail],
    /// Events the host left out before these columns for naming no lead in the call (an event
    /// table's `lead_id`s, [`ColumnBuffers::unmatched`]); reported as `unmatched_events`.
    pub unmatched: usize,
}

impl EventColumns<'_> {
    /// Number of events.
    pub fn len(&self) -> usize {
        self.lead.len()
    }

    /// Whether there are no events.
    pub fn is_empty(&self) -> bool {
        self.lead.is_empty()
    }

    /// Checks column lengths and every code against `leads` leads; errors name the column and
    /// row (`events.kind[7]`).
    pub fn validate(&self, leads: usize) -> Result<(), InputError> {
        let n = self.lead.len();
        let bad = |msg: String, path: String| {
            Err(InputError::new(FieldErrorKind::InvalidValue(msg), path))
        };
        if u32::try_from(n).is_err() {
            return bad(
                format!("{n} events is more than one batch holds ({})", u32::MAX),
                "events.lead".to_string(),
            );
        }
        let lens = [
            ("kind", Some(self.kind.len())),
            ("at", Some(self.at.len())),
            ("id", self.id.map(<[u64]>::len)),
            ("detail", self.detail.map(<[u32]>::len)),
        ];
        for (name, len) in lens {
            if let Some(len) = len.filter(|l| *l != n) {
                return bad(
                    format!("column has {len} rows, `lead` has {n}"),
                    format!("events.{name}"),
                );
            }
        }
        // The maxima first (vectorized); the bad row is looked for only when there is one.
        let max_lead = self.lead.iter().copied().max().unwrap_or(0);
        if max_lead as usize >= leads
            && let Some((i, l)) = self
                .lead
                .iter()
                .enumerate()
                .find(|(_, l)| **l as usize >= leads)
        {
            return bad(
                format!("lead index `{l}` is out of range for {leads} leads"),
                format!("events.lead[{i}]"),
            );
        }
        let kinds = EventKind::ALL.len();
        let max_kind = self.kind.iter().copied().max().unwrap_or(0);
        if usize::from(max_kind) >= kinds
            && let Some((i, k)) = self
                .kind
                .iter()
                .enumerate()
                .find(|(_, k)| usize::from(**k) >= kinds)
        {
            return bad(
                format!("kind code `{k}` is not one of 0..{kinds}"),
                format!("events.kind[{i}]"),
            );
        }
        if let Some(detail) = self.detail {
            let m = self.details.len();
            if let Some((i, d)) = detail
                .iter()
                .enumerate()
                .find(|(_, d)| **d != NO_DETAIL && **d as usize >= m)
            {
                return bad(
                    format!("detail index `{d}` is out of range for {m} details"),
                    format!("events.detail[{i}]"),
                );
            }
        }
        Ok(())
    }
}

/// Owned columnar events, the JSON form of [`EventColumns`] (used by the shared vectors and by
/// hosts that send columns as JSON). `at` holds Unix seconds, `null` for a missing time; `id`
/// holds numbers, `null` for none; `detail` holds indexes into `details`, `null` for none.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventTable {
    /// Lead index per event.
    pub lead: Vec<u32>,
    /// Kind per event, by name.
    pub kind: Vec<EventKind>,
    /// Unix seconds per event, `null` when missing.
    pub at: Vec<Option<i64>>,
    /// Event id per event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Vec<Option<u64>>>,
    /// Detail index per event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Vec<Option<u32>>>,
    /// The detail dictionary.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<EventDetail>,
}

/// The plain arrays behind an [`EventTable`], borrowed by [`EventColumns`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColumnBuffers {
    /// Lead index per event.
    pub lead: Vec<u32>,
    /// Kind code per event.
    pub kind: Vec<u8>,
    /// Unix seconds per event.
    pub at: Vec<i64>,
    /// Event id per event.
    pub id: Option<Vec<u64>>,
    /// Detail index per event.
    pub detail: Option<Vec<u32>>,
    /// The detail dictionary.
    pub details: Vec<EventDetail>,
    /// Events left out for naming no lead in the call (an event table's or row events' `lead_id`).
    pub unmatched: usize,
}

impl ColumnBuffers {
    /// The borrowed view.
    pub fn columns(&self) -> EventColumns<'_> {
        EventColumns {
            lead: &self.lead,
            kind: &self.kind,
            at: &self.at,
            id: self.id.as_deref(),
            detail: self.detail.as_deref(),
            details: &self.details,
            unmatched: self.unmatched,
        }
    }

    /// Columns for row events of the given leads (`lead_index` maps an event to its lead, or
    /// `None` for an event of no listed lead, which is left out).
    ///
    /// Ids are numbered in string order and details are deduplicated and numbered in the order
    /// of their JSON text, so the same events in any order give the same columns up to row order.
    pub fn from_events<'e>(events: impl IntoIterator<Item = (&'e Event, u32)>) -> Self {
        let events: Vec<(&Event, u32)> = events.into_iter().collect();
        // Ids numbered in string order.
        let mut ids: HashMap<&str, u64> = HashMap::with_capacity(events.len());
        for (e, _) in &events {
            if let Some(id) = e.id.as_deref() {
                ids.insert(id, 0);
            }
        }
        let mut sorted: Vec<&str> = ids.keys().copied().collect();
        sorted.sort_unstable();
        for (i, id) in sorted.into_iter().enumerate() {
            ids.insert(id, i as u64);
        }
        // Details numbered in the order of their JSON text.
        let keys: Vec<Option<String>> = events
            .iter()
            .map(|(e, _)| {
                (e.name.is_some() || !e.properties.is_empty()).then(|| {
                    let d = EventDetailRef {
                        name: e.name.as_deref(),
                        properties: &e.properties,
                    };
                    // Infallible: string keys and finite numbers.
                    serde_json::to_string(&d).unwrap_or_default()
                })
            })
            .collect();
        let mut numbers: HashMap<&str, u32> = HashMap::with_capacity(64);
        let mut first: Vec<(&str, usize)> = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            if let Some(k) = k.as_deref() {
                numbers.entry(k).or_insert_with(|| {
                    first.push((k, i));
                    0
                });
            }
        }
        first.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut out = Self::default();
        for (n, (k, i)) in first.iter().enumerate() {
            numbers.insert(k, u32::try_from(n).unwrap_or(NO_DETAIL));
            if let Some((e, _)) = events.get(*i) {
                out.details.push(EventDetail {
                    name: e.name.clone(),
                    properties: e.properties.clone(),
                });
            }
        }
        let (mut any_id, mut any_detail) = (false, false);
        let (mut id_col, mut detail_col) = (Vec::new(), Vec::new());
        for ((e, lead), key) in events.iter().zip(&keys) {
            out.lead.push(*lead);
            out.kind.push(kind_code(e.kind));
            out.at.push(unix_seconds(e.at));
            let id =
                e.id.as_deref()
                    .and_then(|id| ids.get(id).copied())
                    .unwrap_or(NO_ID);
            any_id |= id != NO_ID;
            id_col.push(id);
            let detail = key
                .as_deref()
                .and_then(|k| numbers.get(k).copied())
                .unwrap_or(NO_DETAIL);
            any_detail |= detail != NO_DETAIL;
            detail_col.push(detail);
        }
        out.id = any_id.then_some(id_col);
        out.detail = any_detail.then_some(detail_col);
        out
    }
}

/// [`EventDetail`] by reference, for serializing an event's detail without cloning it.
#[derive(Serialize, schemars::JsonSchema)]
struct EventDetailRef<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    properties: &'a BTreeMap<String, AttrValue>,
}

impl EventTable {
    /// The table as plain arrays (`null` becomes [`MISSING_TIME`], [`NO_ID`], [`NO_DETAIL`]).
    pub fn buffers(&self) -> ColumnBuffers {
        ColumnBuffers {
            lead: self.lead.clone(),
            kind: self.kind.iter().map(|k| kind_code(*k)).collect(),
            at: self.at.iter().map(|t| t.unwrap_or(MISSING_TIME)).collect(),
            id: self
                .id
                .as_ref()
                .map(|c| c.iter().map(|i| i.unwrap_or(NO_ID)).collect()),
            detail: self
                .detail
                .as_ref()
                .map(|c| c.iter().map(|d| d.unwrap_or(NO_DETAIL)).collect()),
            details: self.details.clone(),
            unmatched: 0,
        }
    }
}

/// The columns of an event table: the event's lead as `lead_id` (its id) or `lead` (its index
/// in the call's leads), one of the two; `kind` (names, or codes of [`EventKind::ALL`]) and
/// `at` required; `id` (text or integers) and `name` (a custom event's name) optional; the
/// table is open: a column `properties.<key>` is that property of the events.
pub const EVENTS: Schema = Schema {
    arg: "events",
    columns: &[
        Spec::optional("lead", Kind::Count),
        Spec::optional("lead_id", Kind::Id),
        Spec::required("kind", Kind::Id),
        Spec::required("at", Kind::Time),
        Spec::optional("id", Kind::Id),
        Spec::optional("name", Kind::Text),
    ],
    open: true,
};

/// Each lead's index by id, the leads' `ids` in order; two leads with one id are a
/// `duplicate_id` error at `leads[i].id`.
pub(crate) fn lead_index<'a>(
    ids: impl ExactSizeIterator<Item = &'a str>,
) -> Result<HashMap<&'a str, u32>, InputError> {
    let mut index: HashMap<&str, u32> = HashMap::with_capacity(ids.len());
    for (i, id) in ids.enumerate() {
        let n = u32::try_from(i).map_err(|_| {
            InputError::new(
                FieldErrorKind::InvalidValue("too many leads".into()),
                "leads",
            )
        })?;
        if index.insert(id, n).is_some() {
            return Err(InputError::new(
                FieldErrorKind::Duplicate(id.to_string()),
                format!("leads[{i}].id"),
            ));
        }
    }
    Ok(index)
}

/// The readers of one event table batch's columns ([`EVENTS`]).
struct EventFields<'t, 'a> {
    lead: LeadRef<'t, 'a>,
    kind: Field<'t, 'a>,
    at: Field<'t, 'a>,
    id: Option<Field<'t, 'a>>,
    name: Option<Field<'t, 'a>>,
    /// `properties.<key>` columns by key.
    props: Vec<(&'t str, Field<'t, 'a>)>,
}

impl<'t, 'a> EventFields<'t, 'a> {
    /// Checks the batch's columns: `lead_id` or `lead` (not both), and no column besides the
    /// event fields and `properties.<key>`.
    fn of(b: &'t crate::table::Bound<'t, 'a>) -> Result<Self, InputError> {
        let lead = match (b.field("lead"), b.field("lead_id")) {
            (Some(f), None) => LeadRef::Index(f),
            (None, Some(f)) => LeadRef::Id(f),
            (None, None) => {
                let msg = "missing column `lead_id` (or `lead`, the lead's index)".to_string();
                return Err(InputError::new(
                    FieldErrorKind::MissingField(msg),
                    "events.lead_id",
                ));
            }
            (Some(_), Some(_)) => {
                let msg = "an event table names its leads by `lead_id` or by `lead`, not both";
                return Err(InputError::new(
                    FieldErrorKind::InvalidValue(msg.into()),
                    "events.lead",
                ));
            }
        };
        let mut props = Vec::new();
        for f in b.extras() {
            match f.name().strip_prefix("properties.") {
                Some(key) => props.push((key, f)),
                None => {
                    let msg = format!(
                        "unknown column `{}`, expected `lead_id` (or `lead`), `kind`, `at`, `id`, `name` or `properties.<key>`",
                        f.name()
                    );
                    return Err(InputError::new(
                        FieldErrorKind::UnknownField(msg),
                        format!("events.{}", f.name()),
                    ));
                }
            }
        }
        Ok(Self {
            lead,
            kind: b.required("kind")?,
            at: b.required("at")?,
            id: b.field("id"),
            name: b.field("name"),
            props,
        })
    }
}

/// Row `i`'s custom-event name and properties (missing cells left out).
fn event_detail(
    name: Option<&Field<'_, '_>>,
    props: &[(&str, Field<'_, '_>)],
    i: usize,
) -> Result<EventDetail, InputError> {
    let mut detail = EventDetail {
        name: name
            .map(|f| f.text(i))
            .transpose()?
            .flatten()
            .map(str::to_string),
        properties: BTreeMap::new(),
    };
    for (key, f) in props {
        if let Some(v) = f.attr(i)? {
            detail.properties.insert((*key).to_string(), v);
        }
    }
    Ok(detail)
}

/// Row events from an event table's batches ([`EVENTS`], leads named by `lead_id`), for the
/// calls that take row events (`score_lead`, `what_if`, the predictive model): each row the
/// [`Event`] its cells spell, with its time to the nanosecond. A table naming leads by index
/// (`lead`) is refused at `events.lead_id`, as is a missing time (rows need one).
///
/// ```
/// use leadcore::score::columns::event_rows_from_tables;
/// use leadcore::table::{Column, Table};
/// let (off, kinds) = Column::text_buffers(&[Some("page_view")]);
/// let (id_off, ids) = Column::text_buffers(&[Some("L1")]);
/// let table = Table::new(vec![
///     ("lead_id".into(), Column::text(&id_off, &ids, None)),
///     ("kind".into(), Column::text(&off, &kinds, None)),
///     ("at".into(), Column::Int { values: vec![1_767_225_600].into(), validity: None }),
/// ]);
/// let events = event_rows_from_tables(&[table]).unwrap();
/// assert_eq!((events[0].lead_id.as_str(), events[0].at.to_rfc3339()), ("L1", "2026-01-01T00:00:00+00:00".into()));
/// ```
pub fn event_rows_from_tables(batches: &[Table<'_>]) -> Result<Vec<Event>, InputError> {
    let mut out = Vec::new();
    for table in batches {
        let b = EVENTS.bind(table)?;
        let f = EventFields::of(&b)?;
        let LeadRef::Id(lead) = &f.lead else {
            let msg = "row events name their lead by `lead_id`".to_string();
            return Err(InputError::new(
                FieldErrorKind::MissingField(msg),
                "events.lead_id",
            ));
        };
        out.reserve(b.rows());
        for i in 0..b.rows() {
            let lead_id = lead.id(i)?.ok_or_else(|| lead.missing(i))?.into_owned();
            let code = event_kind(&f.kind, i)?;
            let kind = EventKind::ALL
                .get(usize::from(code))
                .copied()
                .ok_or_else(|| f.kind.missing(i))?;
            let at = f.at.instant(i)?.ok_or_else(|| f.at.missing(i))?;
            let id =
                f.id.as_ref()
                    .map(|c| c.id(i))
                    .transpose()?
                    .flatten()
                    .map(Cow::into_owned);
            let detail = event_detail(f.name.as_ref(), &f.props, i)?;
            out.push(Event {
                id,
                lead_id,
                kind,
                name: detail.name,
                at,
                properties: detail.properties,
            });
        }
    }
    Ok(out)
}

/// How an event table's batch names each event's lead.
enum LeadRef<'t, 'a> {
    /// `lead`: the index in the leads.
    Index(Field<'t, 'a>),
    /// `lead_id`: the lead's id.
    Id(Field<'t, 'a>),
}

/// The columns of an event table's batches ([`EVENTS`]) for `leads`, the same buffers as
/// [`ColumnBuffers::from_events`] gives for the equivalent row events (text ids numbered in
/// text order, details in the order of their JSON text; integer ids are their own numbers),
/// so scores are bit for bit those of the rows. Each batch names an event's lead by `lead_id` (the lead's id, text or a whole number)
/// or by `lead` (its index in `leads`), not both. Events whose `lead_id` is no lead's are left
/// out and counted in [`ColumnBuffers::unmatched`], as [`Scorer::score_batch`] does with row
/// events (their cells are still checked); with `lead_id`, two leads with one id are a
/// `duplicate_id` error at `leads[i].id`, and an index out of range is refused at its cell. A
/// missing time is [`MISSING_TIME`] (ignored and counted when scoring); missing ids, names and
/// properties are absent. Errors name the column and row (`events.kind[3]`).
///
/// [`Scorer::score_batch`]: super::Scorer::score_batch
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use leadcore::score::columns::events_from_tables;
/// use leadcore::table::{Column, Table, TimeUnit};
/// use leadcore::Lead;
/// let leads = [Lead::new("L1", Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap())];
/// let (off, kinds) = Column::text_buffers(&[Some("page_view"), Some("inquiry")]);
/// let (id_off, ids) = Column::text_buffers(&[Some("L1"), Some("L1")]);
/// let table = Table::new(vec![
///     ("lead_id".into(), Column::text(&id_off, &ids, None)),
///     ("kind".into(), Column::text(&off, &kinds, None)),
///     ("at".into(), Column::Time { values: vec![1_767_225_600_000; 2].into(), unit: TimeUnit::Millis, validity: None }),
/// ]);
/// let buffers = events_from_tables(&[table], &leads).unwrap();
/// assert_eq!((buffers.lead.as_slice(), buffers.unmatched), ([0, 0].as_slice(), 0));
/// assert_eq!(buffers.kind, [0, leadcore::score::columns::kind_code(leadcore::EventKind::Inquiry)]);
/// assert!(events_from_tables(&[], &leads).unwrap().lead.is_empty());
/// ```
pub fn events_from_tables(
    batches: &[Table<'_>],
    leads: &[Lead],
) -> Result<ColumnBuffers, InputError> {
    let mut out = ColumnBuffers::default();
    // Ids and details are gathered per event only when some batch has such columns (without
    // them, a row's `None` would still cost its slot: hundreds of megabytes for 10⁷ events).
    let named =
        |f: &dyn Fn(&str) -> bool| batches.iter().any(|t| t.columns.iter().any(|(n, _)| f(n)));
    let has_ids = named(&|n| n == "id");
    let has_details = named(&|n| n == "name" || n.starts_with("properties."));
    let mut ids: Vec<Option<String>> = Vec::new();
    // Integer ids (every `id` column an integer one, none −1, which is `NO_ID`'s bits) are
    // their own numbers: no text per event. Scoring orders events by id only among events
    // that score alike, so numbers need not follow the text order row events get.
    let int_ids = has_ids
        && batches.iter().all(|t| {
            t.columns.iter().all(|(n, c)| match c {
                _ if n != "id" => true,
                Column::Int { values, .. } => !values.contains(&-1),
                _ => false,
            })
        });
    let mut id_numbers: Vec<u64> = Vec::new();
    // Each event's detail as an index into `memo`'s distinct details.
    let mut details: Vec<Option<u32>> = Vec::new();
    let mut memo = DetailMemo::default();
    let rows: usize = batches.iter().map(Table::rows).sum();
    out.lead.reserve(rows);
    out.kind.reserve(rows);
    out.at.reserve(rows);
    // Lead id → index, built when a batch names leads by id, its keys in one buffer: events
    // name leads in any order, and the key compared after each hash hit is then near the
    // others rather than in the lead's own allocation (a cache miss per event).
    let arena: String = if named(&|n| n == "lead_id") {
        leads.iter().map(|l| l.id.as_str()).collect()
    } else {
        String::new()
    };
    let mut by_id: Option<HashMap<&str, u32>> = None;
    for table in batches {
        let b = EVENTS.bind(table)?;
        let EventFields {
            lead,
            kind,
            at,
            id,
            name,
            props,
        } = EventFields::of(&b)?;
        if matches!(lead, LeadRef::Id(_)) && by_id.is_none() {
            let mut end = 0;
            let ids = leads.iter().map(|l| {
                let start = end;
                end += l.id.len();
                arena.get(start..end).unwrap_or_default()
            });
            by_id = Some(lead_index(ids)?);
        }
        // A dictionary column's values are resolved once, not once per row (pandas and polars
        // categoricals, Arrow dictionaries); `None` sends a row to the per-row reading, which
        // names its error.
        let kinds = Dictionary::of(&kind, |v| kind_of(v).ok());
        let lead_ids = match (&lead, &by_id) {
            (LeadRef::Id(f), Some(m)) => Dictionary::of(f, |v| match v {
                Value::Text(id) => Some(m.get(id).copied()),
                _ => None,
            }),
            _ => None,
        };
        for i in 0..b.rows() {
            let l = match &lead {
                LeadRef::Id(_) if let Some(l) = lead_ids.as_ref().and_then(|d| d.get(i)) => l,
                LeadRef::Index(f) => {
                    let l = f.count(i)?.ok_or_else(|| f.missing(i))?;
                    let n = leads.len();
                    u32::try_from(l)
                        .ok()
                        .filter(|&l| (l as usize) < n)
                        .ok_or_else(|| {
                            let msg = format!("lead index `{l}` is out of range for {n} leads");
                            InputError::new(FieldErrorKind::InvalidValue(msg), f.at(i))
                        })
                        .map(Some)?
                }
                LeadRef::Id(f) => {
                    let id = f.id(i)?.ok_or_else(|| f.missing(i))?;
                    by_id.as_ref().and_then(|m| m.get(id.as_ref())).copied()
                }
            };
            let code = match kinds.as_ref().and_then(|d| d.get(i)) {
                Some(code) => code,
                None => event_kind(&kind, i)?,
            };
            let secs = match at.column().value(i) {
                Value::Null => MISSING_TIME,
                Value::Int(s) => s,
                Value::Time(t, per) => t.div_euclid(per),
                Value::Float(s) if s.is_nan() => MISSING_TIME,
                Value::Float(s) if s.is_finite() && s.abs() < 1e17 => {
                    // Exact: integral and well inside i64's range.
                    #[allow(clippy::cast_possible_truncation)]
                    {
                        s.floor() as i64
                    }
                }
                Value::Float(_) => {
                    return Err(InputError::new(FieldErrorKind::NotFinite, at.at(i)));
                }
                v => return Err(at.wrong_type_at(i, v)),
            };
            // `Err`: an integer id's number (`NO_ID` for none); `Ok`: a text id to number.
            let event_id = match id {
                Some(f) if int_ids => match f.column().value(i) {
                    Value::Int(v) => Err(v.cast_unsigned()),
                    _ => Err(NO_ID),
                },
                _ if int_ids => Err(NO_ID),
                Some(f) => Ok(f.id(i)?.map(Cow::into_owned)),
                None => Ok(None),
            };
            let detail = if has_details {
                memo.detail(name.as_ref(), &props, i)?
            } else {
                None
            };
            let Some(l) = l else {
                out.unmatched += 1;
                continue;
            };
            out.lead.push(l);
            out.kind.push(code);
            out.at.push(secs);
            match event_id {
                Ok(id) if has_ids => ids.push(id),
                Err(number) => id_numbers.push(number),
                Ok(_) => {}
            }
            if has_details {
                details.push(detail);
            }
        }
    }
    // Ids numbered in text order, details in the order of their JSON text, as for row events.
    let mut distinct: Vec<&str> = ids.iter().flatten().map(String::as_str).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let number: HashMap<&str, u64> = distinct
        .iter()
        .enumerate()
        .map(|(n, id)| (*id, n as u64))
        .collect();
    if int_ids && id_numbers.iter().any(|&n| n != NO_ID) {
        out.id = Some(id_numbers);
    } else if ids.iter().any(Option::is_some) {
        out.id = Some(
            ids.iter()
                .map(|id| {
                    id.as_deref()
                        .and_then(|id| number.get(id).copied())
                        .unwrap_or(NO_ID)
                })
                .collect(),
        );
    }
    // Distinct details numbered in the order of their JSON text (two spelled by different cells
    // may read the same: they share a number).
    let texts: Vec<String> = memo
        .distinct
        .iter()
        .map(|d| {
            let r = EventDetailRef {
                name: d.name.as_deref(),
                properties: &d.properties,
            };
            // Infallible: string keys and finite numbers.
            serde_json::to_string(&r).unwrap_or_default()
        })
        .collect();
    let mut first: BTreeMap<&str, usize> = BTreeMap::new();
    for (j, t) in texts.iter().enumerate() {
        first.entry(t).or_insert(j);
    }
    let mut numbers: HashMap<&str, u32> = HashMap::with_capacity(first.len());
    for (n, (t, j)) in first.iter().enumerate() {
        numbers.insert(t, u32::try_from(n).unwrap_or(NO_DETAIL));
        if let Some(d) = memo.distinct.get(*j) {
            out.details.push(d.clone());
        }
    }
    let number: Vec<u32> = texts
        .iter()
        .map(|t| numbers.get(t.as_str()).copied().unwrap_or(NO_DETAIL))
        .collect();
    if !numbers.is_empty() {
        out.detail = Some(
            details
                .iter()
                .map(|d| {
                    d.and_then(|j| number.get(j as usize).copied())
                        .unwrap_or(NO_DETAIL)
                })
                .collect(),
        );
    }
    Ok(out)
}

/// Event details read once per distinct combination of cells: a row's `name` and
/// `properties.<key>` cells are reduced to a key (column, type, value or interned text), and
/// only the first row with a key builds its [`EventDetail`] (checking its cells: a later row
/// with the same key has the same cells, so the same outcome).
#[derive(Default)]
struct DetailMemo {
    /// Column names and texts, interned.
    names: HashMap<String, u32>,
    /// Each key's index in `distinct` (`u32::MAX`: no name and no properties, as a dictionary
    /// key of a missing value reads).
    keys: HashMap<Vec<(u32, u8, u64)>, u32>,
    key: Vec<(u32, u8, u64)>,
    /// The distinct details, in order of first appearance.
    distinct: Vec<EventDetail>,
}

impl DetailMemo {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&n) = self.names.get(s) {
            return n;
        }
        let n = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.insert(s.to_string(), n);
        n
    }

    /// Row `i`'s detail: an index into `distinct`, `None` when it has none.
    fn detail(
        &mut self,
        name: Option<&Field<'_, '_>>,
        props: &[(&str, Field<'_, '_>)],
        i: usize,
    ) -> Result<Option<u32>, InputError> {
        let mut key = std::mem::take(&mut self.key);
        key.clear();
        let columns = name
            .map(|f| ("", f))
            .into_iter()
            .chain(props.iter().map(|(k, f)| (*k, f)));
        for (column, f) in columns {
            // A dictionary's cells are told apart by their keys (two keys of one text are two
            // entries that read the same detail).
            if let Column::Codes { keys, validity, .. } = f.column() {
                if validity.is_some_and(|v| !v.get(i)) {
                    continue;
                }
                if let Some(&k) = keys.get(i) {
                    let column = if column.is_empty() {
                        u32::MAX
                    } else {
                        self.intern(column)
                    };
                    key.push((column, 15, u64::from(k)));
                    continue;
                }
            }
            let cell = match f.column().value(i) {
                Value::Null => continue,
                // A property's NaN is missing; a name's is refused (by `event_detail`).
                Value::Float(x) if x.is_nan() && !column.is_empty() => continue,
                Value::Bool(b) => (1, u64::from(b)),
                Value::Int(v) => (2, v.cast_unsigned()),
                Value::Float(x) => (3, x.to_bits()),
                Value::Text(s) => (4, u64::from(self.intern(s))),
                // The unit's ticks per second tell the tags apart (1 to 10⁹: 10 tags at most).
                Value::Time(t, per) => (5 + per.ilog10() as u8, t.cast_unsigned()),
            };
            let column = if column.is_empty() {
                u32::MAX
            } else {
                self.intern(column)
            };
            key.push((column, cell.0, cell.1));
        }
        let found = if key.is_empty() {
            None
        } else if let Some(&j) = self.keys.get(&key) {
            Some(j)
        } else {
            let detail = event_detail(name, props, i)?;
            let j = if detail.name.is_none() && detail.properties.is_empty() {
                u32::MAX
            } else {
                self.distinct.push(detail);
                u32::try_from(self.distinct.len() - 1).unwrap_or(u32::MAX)
            };
            self.keys.insert(key.clone(), j);
            Some(j)
        };
        self.key = key;
        Ok(found.filter(|&j| j != u32::MAX))
    }
}

/// A dictionary column's values resolved once: row `i`'s resolution is its key's.
struct Dictionary<'t, T> {
    keys: &'t [u32],
    validity: Option<&'t Bits<'t>>,
    values: Vec<Option<T>>,
}

impl<'t, T: Copy> Dictionary<'t, T> {
    /// `f`'s dictionary with each value resolved by `resolve` (`None`: read that value's rows
    /// one by one); `None` when `f` is not a dictionary column.
    fn of(f: &Field<'t, '_>, resolve: impl Fn(Value<'_>) -> Option<T>) -> Option<Self> {
        let Column::Codes {
            keys,
            values,
            validity,
        } = f.column()
        else {
            return None;
        };
        let values = (0..values.len())
            .map(|j| resolve(values.value(j)))
            .collect();
        Some(Self {
            keys,
            validity: validity.as_ref(),
            values,
        })
    }

    /// Row `i`'s resolution (`None` for a missing row or an unresolved value).
    #[inline]
    fn get(&self, i: usize) -> Option<T> {
        if self.validity.is_some_and(|v| !v.get(i)) {
            return None;
        }
        let k = *self.keys.get(i)?;
        *self.values.get(k as usize)?
    }
}

/// A `kind` cell as a kind code, or what is wrong with it.
fn kind_of(v: Value<'_>) -> Result<u8, String> {
    match v {
        Value::Text(name) => EventKind::ALL
            .iter()
            .find(|k| k.as_str() == name)
            .map(|k| kind_code(*k))
            .ok_or_else(|| format!("unknown event kind `{name}`")),
        Value::Int(c) => u8::try_from(c)
            .ok()
            .filter(|&c| usize::from(c) < EventKind::ALL.len())
            .ok_or_else(|| format!("kind code `{c}` is not one of 0..{}", EventKind::ALL.len())),
        _ => Err(String::new()),
    }
}

/// Row `i` of an event table's `kind` column as a kind code.
fn event_kind(f: &Field<'_, '_>, i: usize) -> Result<u8, InputError> {
    match f.column().value(i) {
        Value::Null => Err(f.missing(i)),
        v @ (Value::Text(_) | Value::Int(_)) => {
            kind_of(v).map_err(|msg| InputError::new(FieldErrorKind::InvalidValue(msg), f.at(i)))
        }
        v => Err(f.wrong_type_at(i, v)),
    }
}
