//! Building the feature matrix from leads and their event logs, as of a cut-off per lead.
//!
//! Events are grouped by lead once (a counting sort over the stream), then each lead's events
//! are sorted, de-duplicated by id (as [`crate::event::normalize`] does) and cut at the lead's
//! cut-off, so unordered and re-delivered streams give the same features. Rows are built on
//! `threads` std threads; the matrix does not depend on the thread count.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::spec::FeatureSpec;
use crate::error::{Error, FieldErrorKind, InputError};
use crate::event::Event;
use crate::lead::{AttrValue, Lead};
use crate::parallel::fan_out_ranges;
use crate::rng::fnv1a;
use crate::time::days_between;

/// The name of the one-hot column set by rare, unseen and missing categorical values.
pub const OTHER_LEVEL: &str = "(other)";

/// One column of a feature matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Column {
    /// Column name, e.g. `download_count_30d`, `industry=advertising`, `city_tier`.
    pub name: String,
    /// The variable the column belongs to: the attribute for one-hot columns, else the name.
    /// Explanations and naive Bayes work per group.
    pub group: String,
    /// For one-hot columns, the level the column stands for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
}

/// A feature spec with what was learned from the training leads (the categorical levels): all it
/// takes to build the same columns at scoring time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FeatureEncoding {
    /// The spec.
    pub spec: FeatureSpec,
    /// Per `spec.categorical` entry, its levels, most frequent first.
    pub levels: Vec<Vec<String>>,
    /// The columns, in matrix order.
    pub columns: Vec<Column>,
}

/// A columnar feature matrix: `data[column][row]`, `NaN` for missing values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FeatureMatrix {
    /// The columns.
    pub columns: Vec<Column>,
    /// The lead of each row.
    pub lead_ids: Vec<String>,
    /// Column-major values (JSON `null` for `NaN`).
    #[serde(with = "nan_as_null")]
    #[schemars(with = "Vec<Vec<Option<f32>>>")]
    pub data: Vec<Vec<f32>>,
}

impl FeatureMatrix {
    /// Rows (leads).
    pub fn n_rows(&self) -> usize {
        self.lead_ids.len()
    }

    /// Columns (features).
    pub fn n_cols(&self) -> usize {
        self.columns.len()
    }

    /// The value at `(row, col)`; `NaN` when out of range.
    pub fn value(&self, row: usize, col: usize) -> f32 {
        self.data
            .get(col)
            .and_then(|c| c.get(row))
            .copied()
            .unwrap_or(f32::NAN)
    }

    /// One row's values, in column order.
    pub fn row(&self, row: usize) -> Vec<f32> {
        (0..self.n_cols()).map(|c| self.value(row, c)).collect()
    }

    /// The rows `rows`, in that order, as a new matrix.
    pub fn select_rows(&self, rows: &[usize]) -> FeatureMatrix {
        FeatureMatrix {
            columns: self.columns.clone(),
            lead_ids: rows
                .iter()
                .map(|&r| self.lead_ids.get(r).cloned().unwrap_or_default())
                .collect(),
            data: self
                .data
                .iter()
                .map(|col| {
                    rows.iter()
                        .map(|&r| col.get(r).copied().unwrap_or(f32::NAN))
                        .collect()
                })
                .collect(),
        }
    }
}

/// `NaN` cannot be written in JSON: it is written and read as `null`.
mod nan_as_null {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(data: &[Vec<f32>], s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(data.len()))?;
        for col in data {
            let col: Vec<Option<f32>> = col.iter().map(|v| (!v.is_nan()).then_some(*v)).collect();
            seq.serialize_element(&col)?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<f32>>, D::Error> {
        let cols = Vec::<Vec<Option<f32>>>::deserialize(d)?;
        Ok(cols
            .into_iter()
            .map(|c| c.into_iter().map(|v| v.unwrap_or(f32::NAN)).collect())
            .collect())
    }
}

/// A labelled example: the lead, whether it converted, and the instant its features are taken at
/// (typically just before the conversion or the end of the observation window).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// The lead.
    pub lead_id: String,
    /// Whether it converted.
    pub converted: bool,
    /// Features are built from events at or before this instant; later events are ignored.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "crate::time::InstantSchema")]
    pub cutoff: DateTime<Utc>,
}

/// A training set: the encoding learned from the labelled leads, their features and labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TrainingSet {
    /// The spec and its learned levels.
    pub encoding: FeatureEncoding,
    /// One row per label, in label order.
    pub features: FeatureMatrix,
    /// Whether each row converted.
    pub labels: Vec<bool>,
}

/// Builds the training set: one row per label, features as of the label's cut-off.
///
/// Categorical levels are learned from the labelled leads. Leads without a label are not rows;
/// events of unknown leads and events after a row's cut-off are ignored (a cut-off before all of
/// a lead's events gives zero counts and missing recencies). Errors: duplicate lead ids
/// (`duplicate_id` at `leads[i].id`), a label for an unknown lead (`unknown_reference` at
/// `labels[i].lead_id`), two labels for one lead (`duplicate_id` at `labels[i].lead_id`).
///
/// ```
/// use leadcore::predict::{FeatureSpec, Label, build_training_set};
/// let leads: Vec<leadcore::Lead> = serde_json::from_str(r#"[
///   {"id": "A", "created_at": "2026-01-01T00:00:00Z", "attributes": {"industry": "ads"}},
///   {"id": "B", "created_at": "2026-01-01T00:00:00Z"}
/// ]"#).unwrap();
/// let events: Vec<leadcore::Event> = serde_json::from_str(r#"[
///   {"id": "e1", "lead_id": "A", "kind": "download", "at": "2026-01-05T00:00:00Z"},
///   {"id": "e1", "lead_id": "A", "kind": "download", "at": "2026-01-05T00:00:00Z"},
///   {"id": "e2", "lead_id": "A", "kind": "download", "at": "2026-03-01T00:00:00Z"}
/// ]"#).unwrap();
/// let labels: Vec<Label> = serde_json::from_str(r#"[
///   {"lead_id": "A", "converted": true, "cutoff": "2026-01-10T00:00:00Z"},
///   {"lead_id": "B", "converted": false, "cutoff": "2026-01-10T00:00:00Z"}
/// ]"#).unwrap();
/// let spec = FeatureSpec { windows_days: vec![30], event_kinds: vec![leadcore::EventKind::Download],
///     ..FeatureSpec::default() };
/// let set = build_training_set(&spec, &leads, &events, &labels, 1).unwrap();
/// assert_eq!(set.features.columns[0].name, "download_count_30d");
/// assert_eq!(set.features.data[0], [1.0, 0.0]); // duplicate and post-cut-off events ignored
/// ```
pub fn build_training_set(
    spec: &FeatureSpec,
    leads: &[Lead],
    events: &[Event],
    labels: &[Label],
    threads: usize,
) -> Result<TrainingSet, Error> {
    let index = lead_index(leads)?;
    let mut seen: HashSet<&str> = HashSet::new();
    let mut rows: Vec<(&Lead, DateTime<Utc>)> = Vec::with_capacity(labels.len());
    for (i, label) in labels.iter().enumerate() {
        let path = format!("labels[{i}].lead_id");
        let lead = index
            .get(label.lead_id.as_str())
            .and_then(|&j| leads.get(j))
            .ok_or_else(|| {
                InputError::new(
                    FieldErrorKind::UnknownReference(label.lead_id.clone()),
                    &path,
                )
            })?;
        if !seen.insert(label.lead_id.as_str()) {
            return Err(
                InputError::new(FieldErrorKind::Duplicate(label.lead_id.clone()), path).into(),
            );
        }
        rows.push((lead, label.cutoff));
    }
    let train_leads: Vec<&Lead> = rows.iter().map(|(l, _)| *l).collect();
    let encoding = FeatureEncoding::fit(spec, &train_leads);
    let features = encoding.build_rows(&rows, events, threads);
    Ok(TrainingSet {
        encoding,
        features,
        labels: labels.iter().map(|l| l.converted).collect(),
    })
}

/// Lead id → position; `duplicate_id` at `leads[i].id` when an id repeats.
pub(crate) fn lead_index(leads: &[Lead]) -> Result<HashMap<&str, usize>, InputError> {
    let mut index = HashMap::with_capacity(leads.len());
    for (i, lead) in leads.iter().enumerate() {
        if index.insert(lead.id.as_str(), i).is_some() {
            return Err(InputError::new(
                FieldErrorKind::Duplicate(lead.id.clone()),
                format!("leads[{i}].id"),
            ));
        }
    }
    Ok(index)
}

/// The values of a lead's attribute as category strings (`source.<field>` reads the source).
pub(crate) fn category_values(lead: &Lead, name: &str) -> Vec<String> {
    match lead_value(lead, name) {
        None | Some(AttrValue::Null) => Vec::new(),
        Some(AttrValue::List(items)) => items,
        Some(v) => vec![v.to_string()],
    }
}

fn lead_value(lead: &Lead, name: &str) -> Option<AttrValue> {
    if let Some(field) = name.strip_prefix("source.") {
        let s = &lead.source;
        let v = match s.field(field) {
            Some(v) => v.clone(),
            None => s
                .extra
                .get(field)
                .and_then(|v| v.as_str())
                .map(str::to_string),
        };
        return v.map(AttrValue::Text);
    }
    lead.attr(name).cloned()
}

impl FeatureEncoding {
    /// Learns the categorical levels of `spec` from `leads` and lays out the columns.
    pub fn fit(spec: &FeatureSpec, leads: &[&Lead]) -> Self {
        let levels: Vec<Vec<String>> = spec
            .categorical
            .iter()
            .map(|c| {
                let mut counts: BTreeMap<String, usize> = BTreeMap::new();
                for lead in leads {
                    let mut values = category_values(lead, &c.attribute);
                    values.sort();
                    values.dedup();
                    for v in values {
                        *counts.entry(v).or_default() += 1;
                    }
                }
                let mut kept: Vec<(String, usize)> = counts
                    .into_iter()
                    .filter(|(v, n)| *n >= c.min_count && v != OTHER_LEVEL)
                    .collect();
                kept.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                kept.truncate(c.max_levels);
                kept.into_iter().map(|(v, _)| v).collect()
            })
            .collect();
        let columns = layout(spec, &levels);
        Self {
            spec: spec.clone(),
            levels,
            columns,
        }
    }

    /// Builds one row per lead as of `now` (for scoring). Errors on duplicate lead ids.
    pub fn build(
        &self,
        leads: &[Lead],
        events: &[Event],
        now: DateTime<Utc>,
        threads: usize,
    ) -> Result<FeatureMatrix, Error> {
        lead_index(leads)?;
        let rows: Vec<(&Lead, DateTime<Utc>)> = leads.iter().map(|l| (l, now)).collect();
        Ok(self.build_rows(&rows, events, threads))
    }

    /// Builds one row per `(lead, cutoff)`; the leads' ids must be distinct.
    pub(crate) fn build_rows(
        &self,
        rows: &[(&Lead, DateTime<Utc>)],
        events: &[Event],
        threads: usize,
    ) -> FeatureMatrix {
        let n = rows.len();
        let grouped = group_events(rows, events, threads);
        let ncols = self.columns.len();
        // Row-major values, one range of leads per worker.
        let row_major: Vec<f32> = fan_out_ranges(n, threads, |start, end| {
            let rs = rows.get(start..end).unwrap_or_default();
            let gs = grouped.get(start..end).unwrap_or_default();
            let mut out = Vec::with_capacity(rs.len() * ncols);
            let mut scratch = Scratch::default();
            for ((lead, cutoff), evs) in rs.iter().zip(gs) {
                self.lead_row(lead, *cutoff, evs, &mut scratch, &mut out);
            }
            out
        });
        let mut data: Vec<Vec<f32>> = (0..ncols).map(|_| Vec::with_capacity(n)).collect();
        for row in row_major.chunks(ncols.max(1)) {
            for (col, v) in data.iter_mut().zip(row) {
                col.push(*v);
            }
        }
        FeatureMatrix {
            columns: self.columns.clone(),
            lead_ids: rows.iter().map(|(l, _)| l.id.clone()).collect(),
            data,
        }
    }

    fn lead_row(
        &self,
        lead: &Lead,
        cutoff: DateTime<Utc>,
        events: &[&Event],
        scratch: &mut Scratch,
        out: &mut Vec<f32>,
    ) {
        let spec = &self.spec;
        let nk = spec.event_kinds.len();
        let nw = spec.windows_days.len();
        scratch.counts.clear();
        scratch.counts.resize(nk * nw, 0.0);
        scratch.recency.clear();
        scratch.recency.resize(nk, f32::NAN);
        let evs = canonical(events);
        let mut silence: Option<f64> = None;
        let (mut active_days, mut last_day) = (0u32, None);
        for e in evs {
            if e.at > cutoff {
                continue;
            }
            let age = days_between(e.at, cutoff);
            silence = Some(silence.map_or(age, |s| s.min(age)));
            if let Some(w) = spec.active_days_window
                && age < f64::from(w)
            {
                // Events come sorted by time, so local days arrive in order: count changes.
                let local = crate::time::add(
                    e.at,
                    crate::time::minutes(i64::from(spec.day_offset_minutes)),
                );
                let day = local.date_naive();
                if last_day != Some(day) {
                    active_days += 1;
                    last_day = Some(day);
                }
            }
            let Some(k) = spec.event_kinds.iter().position(|k| *k == e.kind) else {
                continue;
            };
            for (wi, w) in spec.windows_days.iter().enumerate() {
                if age < f64::from(*w)
                    && let Some(c) = scratch.counts.get_mut(k * nw + wi)
                {
                    *c += 1.0;
                }
            }
            if let Some(r) = scratch.recency.get_mut(k)
                && (r.is_nan() || f64::from(*r) > age)
            {
                *r = age as f32;
            }
        }
        let lead_age = days_between(lead.created_at, cutoff).max(0.0);
        out.extend_from_slice(&scratch.counts);
        if spec.recency {
            out.extend_from_slice(&scratch.recency);
        }
        if spec.active_days_window.is_some() {
            out.push(active_days as f32);
        }
        if spec.silence {
            out.push(silence.unwrap_or(lead_age) as f32);
        }
        if spec.age {
            out.push(lead_age as f32);
        }
        for (c, levels) in spec.categorical.iter().zip(&self.levels) {
            let start = out.len();
            out.resize(start + levels.len() + 1, 0.0);
            let values = category_values(lead, &c.attribute);
            let mut other = values.is_empty();
            for v in &values {
                match levels.iter().position(|l| l == v) {
                    Some(i) => {
                        if let Some(x) = out.get_mut(start + i) {
                            *x = 1.0;
                        }
                    }
                    None => other = true,
                }
            }
            if other && let Some(x) = out.last_mut() {
                *x = 1.0;
            }
        }
        for n in &spec.numeric {
            let v = match lead_value(lead, &n.attribute) {
                Some(AttrValue::Number(x)) => Some(x),
                Some(AttrValue::Bool(b)) => Some(if b { 1.0 } else { 0.0 }),
                Some(AttrValue::Date(d)) => Some(days_between(
                    d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
                    cutoff,
                )),
                Some(AttrValue::DateTime(t)) => Some(days_between(t, cutoff)),
                _ => None,
            };
            out.push(v.or(n.impute).map_or(f32::NAN, |x| x as f32));
        }
        if let Some(c) = &spec.city_tier {
            let tier = lead_value(lead, &c.attribute)
                .and_then(|v| v.as_str().and_then(|s| c.tiers.get(s).copied()))
                .or(c.unknown_tier);
            out.push(tier.map_or(f32::NAN, |t| t as f32));
        }
        if let Some(q) = &spec.source_quality {
            let score = lead
                .source
                .channel
                .as_ref()
                .and_then(|ch| q.scores.get(ch).copied())
                .or(q.default);
            out.push(score.map_or(f32::NAN, |s| s as f32));
        }
        for k in &spec.keywords {
            let tokens: Vec<String> = match lead_value(lead, &k.attribute) {
                Some(AttrValue::List(items)) => items,
                Some(AttrValue::Text(t)) => t.split_whitespace().map(str::to_string).collect(),
                _ => Vec::new(),
            };
            for word in &k.keywords {
                out.push(if tokens.contains(word) { 1.0 } else { 0.0 });
            }
        }
    }
}

#[derive(Default)]
struct Scratch {
    counts: Vec<f32>,
    recency: Vec<f32>,
}

/// One lead's events sorted by time (then id), one per id: what `event::normalize` gives.
fn canonical<'a>(events: &[&'a Event]) -> Vec<&'a Event> {
    let mut evs: Vec<&Event> = events.to_vec();
    evs.sort_by(|a, b| (a.at, &a.id, a.kind).cmp(&(b.at, &b.id, b.kind)));
    // Cheap check first: equal ids have equal hashes; only then pay for exact de-duplication.
    let mut hashes: Vec<u64> = evs
        .iter()
        .filter_map(|e| e.id.as_deref())
        .map(|id| fnv1a(id.as_bytes()))
        .collect();
    hashes.sort_unstable();
    if hashes.windows(2).any(|w| w.first() == w.get(1)) {
        let mut seen: HashSet<&str> = HashSet::new();
        evs.retain(|e| e.id.as_deref().is_none_or(|id| seen.insert(id)));
    }
    evs
}

/// Each row's events, grouped in one pass. Looking up each event's lead (memory-bound on large
/// unordered streams) runs on `threads` threads; the grouping keeps the stream's order.
fn group_events<'a>(
    rows: &[(&Lead, DateTime<Utc>)],
    events: &'a [Event],
    threads: usize,
) -> Vec<Vec<&'a Event>> {
    let index: HashMap<&str, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, (l, _))| (l.id.as_str(), i))
        .collect();
    let owner: Vec<Option<usize>> = fan_out_ranges(events.len(), threads, |s, e| {
        events
            .get(s..e)
            .unwrap_or(&[])
            .iter()
            .map(|ev| index.get(ev.lead_id.as_str()).copied())
            .collect()
    });
    let mut grouped: Vec<Vec<&Event>> = vec![Vec::new(); rows.len()];
    for (e, row) in events.iter().zip(owner) {
        if let Some(g) = row.and_then(|i| grouped.get_mut(i)) {
            g.push(e);
        }
    }
    grouped
}

fn column(name: String) -> Column {
    Column {
        group: name.clone(),
        name,
        level: None,
    }
}

/// The columns an encoding's spec and levels lay out (used to check loaded models).
pub(crate) fn layout_of(encoding: &FeatureEncoding) -> Vec<Column> {
    layout(&encoding.spec, &encoding.levels)
}

fn layout(spec: &FeatureSpec, levels: &[Vec<String>]) -> Vec<Column> {
    let mut cols = Vec::new();
    for k in &spec.event_kinds {
        for w in &spec.windows_days {
            cols.push(column(format!("{}_count_{w}d", k.as_str())));
        }
    }
    if spec.recency {
        for k in &spec.event_kinds {
            cols.push(column(format!("{}_recency_days", k.as_str())));
        }
    }
    if let Some(w) = spec.active_days_window {
        cols.push(column(format!("active_days_{w}d")));
    }
    if spec.silence {
        cols.push(column("silence_days".into()));
    }
    if spec.age {
        cols.push(column("age_days".into()));
    }
    for (c, lv) in spec.categorical.iter().zip(levels) {
        for level in lv.iter().map(String::as_str).chain([OTHER_LEVEL]) {
            cols.push(Column {
                name: format!("{}={level}", c.attribute),
                group: c.attribute.clone(),
                level: Some(level.to_string()),
            });
        }
    }
    for n in &spec.numeric {
        cols.push(column(n.attribute.clone()));
    }
    if spec.city_tier.is_some() {
        cols.push(column("city_tier".into()));
    }
    if spec.source_quality.is_some() {
        cols.push(column("source_quality".into()));
    }
    for k in &spec.keywords {
        for w in &k.keywords {
            cols.push(column(format!("{}:{w}", k.attribute)));
        }
    }
    cols
}
