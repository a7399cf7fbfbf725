//! Journeys as columns: one row per touch in a long table, as a data engineer has them in a
//! pandas / Arrow frame or a Spark partition, added without building one object per journey.
//!
//! # Shape
//!
//! One row per touch; every column has one entry per row:
//!
//! | column | type | meaning |
//! |---|---|---|
//! | `journey_id` | text | the journey (lead or account) the touch belongs to |
//! | `channel` | text | the touch's channel |
//! | `campaign` (optional) | text or none | the touch's campaign |
//! | `at` | [`TouchTimes`] | when the touch happened |
//! | `first_touch`, `lead_created`, `opportunity_created`, `closed_won` (each optional) | bool | milestones reached at the touch |
//! | `converted` (optional, default false) | bool | the journey's outcome, repeated on each of its rows |
//! | `value` (optional, default 0) | float | the journey's value, repeated on each of its rows |
//!
//! This is the frame a job gets from joining a touch table with an outcome table on the journey
//! id. Rules:
//! - **Grouping.** Rows with the same `journey_id` are one journey, wherever they are: the rows
//!   need not be contiguous nor sorted. Journeys are added in the order of their first row, and
//!   a journey's touches are in row order before being sorted by time (stable, like a
//!   [`Journey`](super::Journey)'s touchpoints). All touches of a journey must be in the same
//!   call: in Spark or Dask, partition by the journey id.
//! - **Outcome.** Every row of a journey carries the same `converted` and `value`; a row that
//!   disagrees with its journey's first row is an `inconsistent_outcome` error naming that row.
//! - **Times.** `at` is Unix time as integer ticks (seconds, or milli/micro/nanoseconds: numpy
//!   `datetime64`, Arrow timestamps, `BigInt64Array`) or float seconds. Touches are ordered by
//!   the full value; time decay uses whole seconds (floored), as for RFC 3339 times. A missing
//!   time (NaN, `NaT`) or one outside the years −262 143 … 262 142 that RFC 3339 journeys can
//!   hold is an input error naming the row.
//! - **Errors** name the column and row, e.g. `touches.at[17]`, `touches.channel[3]`,
//!   `touches.lead_created[9]`, `touches.value[4]`. Column lengths and times are checked before
//!   anything is added; then journeys are added in order and adding stops at the first bad one
//!   (the journeys before it stay added), as [`AttributionAccumulator::add_journeys`] does.
//!
//! The result is bit for bit the one of adding the equivalent [`Journey`](super::Journey)s in
//! the order of their first rows.
//!
//! ```
//! use leadcore::attribution::{AttributionAccumulator, AttributionConfig, JourneyColumns, TouchTimes};
//! let mut acc = AttributionAccumulator::new(AttributionConfig::default()).unwrap();
//! // Two journeys; J2's rows are not contiguous.
//! let at = [1_767_312_000, 1_767_312_000, 1_767_225_600, 1_767_398_400];
//! let cols = JourneyColumns {
//!     journey_id: &["J1", "J2", "J1", "J2"],
//!     channel: &["seo", "event", "sem", "direct"],
//!     at: TouchTimes::Ticks { values: &at, per_second: 1 },
//!     converted: Some(&[true, false, true, false]),
//!     value: Some(&[900.0, 0.0, 900.0, 0.0]),
//!     ..JourneyColumns::default()
//! };
//! acc.add_journey_columns(&cols).unwrap();
//! let report = acc.finish().unwrap();
//! assert_eq!((report.totals.journeys, report.totals.conversions), (2, 1));
//! // First touch (keys sorted: direct, event, sem, seo): J1 starts at `sem`, sorted by time.
//! let first: Vec<f64> = report.models[0].credits.iter().map(|c| c.value).collect();
//! assert_eq!(first, [0.0, 0.0, 900.0, 0.0]);
//! ```

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::DateTime;

use super::accumulate::AttributionAccumulator;
use super::error::AttributionError;
use super::journey::{Milestone, TouchField, TouchRows, check_value};
use crate::error::{Error, FieldErrorKind, InputError};
use crate::table::{Bound, Column, Field, Kind, Schema, Spec, Table, Value};

/// `at` / tick value of a missing time (numpy's `NaT`).
pub const MISSING_TICKS: i64 = i64::MIN;

/// When each touch happened, as Unix time.
#[derive(Debug, Clone, Copy)]
pub enum TouchTimes<'a> {
    /// Whole ticks since the epoch, `per_second` ticks per second (1 for seconds, 1 000 for
    /// milliseconds, 10⁹ for nanoseconds); [`MISSING_TICKS`] is a missing time.
    Ticks {
        /// Ticks per touch.
        values: &'a [i64],
        /// Ticks per second (at least 1).
        per_second: i64,
    },
    /// Seconds since the epoch (fractions allowed); NaN is a missing time.
    Seconds(&'a [f64]),
}

impl Default for TouchTimes<'_> {
    fn default() -> Self {
        Self::Ticks {
            values: &[],
            per_second: 1,
        }
    }
}

impl TouchTimes<'_> {
    fn len(&self) -> usize {
        match self {
            Self::Ticks { values, .. } => values.len(),
            Self::Seconds(v) => v.len(),
        }
    }
}

/// A long table of touches, one row per touch, with each journey's outcome on its rows (see
/// the [module docs](self) for the rules and an example). Columns are borrowed slices of equal
/// length; optional columns are `None` when absent.
#[derive(Debug, Clone, Copy, Default)]
pub struct JourneyColumns<'a> {
    /// Journey (lead or account) id of each touch.
    pub journey_id: &'a [&'a str],
    /// Channel of each touch.
    pub channel: &'a [&'a str],
    /// Campaign of each touch, if known (used when attributing by campaign).
    pub campaign: Option<&'a [Option<&'a str>]>,
    /// When each touch happened.
    pub at: TouchTimes<'a>,
    /// Per milestone (in [`Milestone::ALL`] order: first touch, lead created, opportunity
    /// created, closed won), whether each touch reached it.
    pub milestones: [Option<&'a [bool]>; 4],
    /// Whether the touch's journey converted (the same on all its rows; default false).
    pub converted: Option<&'a [bool]>,
    /// The touch's journey's value (RMB or any currency; the same on all its rows; default 0).
    pub value: Option<&'a [f64]>,
}

/// The argument name errors are reported under.
const ARG: &str = "touches";

fn at_row(column: &str, row: usize) -> String {
    format!("{ARG}.{column}[{row}]")
}

impl JourneyColumns<'_> {
    /// Number of rows (touches).
    pub fn len(&self) -> usize {
        self.journey_id.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.journey_id.is_empty()
    }

    /// Checks that every column has one entry per row.
    fn check_lengths(&self) -> Result<(), InputError> {
        let n = self.len();
        let m = |i: usize| self.milestones.get(i).copied().flatten().map(<[bool]>::len);
        let lens = [
            ("channel", Some(self.channel.len())),
            ("campaign", self.campaign.map(<[Option<&str>]>::len)),
            ("at", Some(self.at.len())),
            ("first_touch", m(0)),
            ("lead_created", m(1)),
            ("opportunity_created", m(2)),
            ("closed_won", m(3)),
            ("converted", self.converted.map(<[bool]>::len)),
            ("value", self.value.map(<[f64]>::len)),
        ];
        for (name, len) in lens {
            if let Some(len) = len.filter(|l| *l != n) {
                return Err(InputError::new(
                    FieldErrorKind::InvalidValue(format!(
                        "column has {len} rows, `journey_id` has {n}"
                    )),
                    format!("{ARG}.{name}"),
                ));
            }
        }
        Ok(())
    }

    /// Each row's time as Unix seconds (floored), checked.
    fn seconds(&self) -> Result<Vec<i64>, InputError> {
        let out_of_range = |v: String, row: usize| {
            InputError::new(
                FieldErrorKind::InvalidValue(format!("time `{v}` is out of range")),
                at_row("at", row),
            )
        };
        let missing = |row: usize| {
            InputError::new(
                FieldErrorKind::InvalidValue("missing time".into()),
                at_row("at", row),
            )
        };
        let representable = |s: i64| DateTime::from_timestamp(s, 0).is_some();
        match self.at {
            TouchTimes::Ticks { values, per_second } => {
                if per_second < 1 {
                    return Err(InputError::new(
                        FieldErrorKind::InvalidValue(format!(
                            "`{per_second}` ticks per second: must be at least 1"
                        )),
                        format!("{ARG}.at"),
                    ));
                }
                values
                    .iter()
                    .enumerate()
                    .map(|(row, &v)| {
                        if v == MISSING_TICKS {
                            return Err(missing(row));
                        }
                        let s = v.div_euclid(per_second);
                        if representable(s) {
                            Ok(s)
                        } else {
                            Err(out_of_range(v.to_string(), row))
                        }
                    })
                    .collect()
            }
            TouchTimes::Seconds(values) => values
                .iter()
                .enumerate()
                .map(|(row, &v)| {
                    if v.is_nan() {
                        return Err(missing(row));
                    }
                    if !v.is_finite() {
                        return Err(InputError::new(
                            FieldErrorKind::NotFinite,
                            at_row("at", row),
                        ));
                    }
                    let f = v.floor();
                    if !(-1e17..1e17).contains(&f) {
                        return Err(out_of_range(v.to_string(), row));
                    }
                    // Exact: `f` is integral and well within i64's range.
                    #[allow(clippy::cast_possible_truncation)]
                    let s = f as i64;
                    if representable(s) {
                        Ok(s)
                    } else {
                        Err(out_of_range(v.to_string(), row))
                    }
                })
                .collect(),
        }
    }

    /// The journeys: rows grouped by id in order of first appearance, each journey's rows in
    /// row order. Returns all rows reordered and where each journey's rows end.
    fn group(&self) -> (Vec<usize>, Vec<usize>) {
        let n = self.len();
        let mut ids: HashMap<&str, usize> = HashMap::new();
        let mut group_of = Vec::with_capacity(n);
        let mut sizes: Vec<usize> = Vec::new();
        let mut prev: Option<(&str, usize)> = None;
        for &id in self.journey_id {
            let g = match prev {
                Some((p, g)) if p == id => g,
                _ => *ids.entry(id).or_insert_with(|| {
                    sizes.push(0);
                    sizes.len() - 1
                }),
            };
            if let Some(s) = sizes.get_mut(g) {
                *s += 1;
            }
            group_of.push(g);
            prev = Some((id, g));
        }
        let mut ends = Vec::with_capacity(sizes.len());
        let mut next = Vec::with_capacity(sizes.len());
        let mut total = 0;
        for s in &sizes {
            next.push(total);
            total += s;
            ends.push(total);
        }
        let mut rows = vec![0; n];
        for (row, g) in group_of.into_iter().enumerate() {
            if let Some(slot) = next.get_mut(g) {
                if let Some(r) = rows.get_mut(*slot) {
                    *r = row;
                }
                *slot += 1;
            }
        }
        (rows, ends)
    }

    /// The outcome of the journey of `rows`, checked to be the same on every row.
    fn outcome(&self, rows: &[usize]) -> Result<(bool, f64, usize), AttributionError> {
        let first = rows.first().copied().unwrap_or(0);
        let conv = |r: usize| {
            self.converted
                .and_then(|c| c.get(r))
                .copied()
                .unwrap_or(false)
        };
        let value = |r: usize| self.value.and_then(|v| v.get(r)).copied().unwrap_or(0.0);
        let (c, v) = (conv(first), value(first));
        check_value(v, u64::from(c), || at_row("value", first))?;
        for &r in rows.iter().skip(1) {
            if conv(r) != c {
                return Err(AttributionError::InconsistentOutcome {
                    path: at_row("converted", r),
                });
            }
            let vr = value(r);
            if vr != v {
                let path = at_row("value", r);
                return Err(if vr.is_finite() {
                    AttributionError::InconsistentOutcome { path }
                } else {
                    AttributionError::NotFinite { path }
                });
            }
        }
        Ok((c, v, first))
    }
}

/// One journey's rows of a [`JourneyColumns`].
struct ColumnRows<'c, 'a> {
    cols: &'c JourneyColumns<'a>,
    seconds: &'c [i64],
    rows: &'c [usize],
}

impl ColumnRows<'_, '_> {
    fn row(&self, i: usize) -> usize {
        self.rows.get(i).copied().unwrap_or(0)
    }
}

impl TouchRows for ColumnRows<'_, '_> {
    fn count(&self) -> usize {
        self.rows.len()
    }

    fn channel(&self, i: usize) -> &str {
        self.cols.channel.get(self.row(i)).copied().unwrap_or("")
    }

    fn campaign(&self, i: usize) -> Option<&str> {
        self.cols.campaign?.get(self.row(i)).copied().flatten()
    }

    fn seconds(&self, i: usize) -> i64 {
        self.seconds.get(self.row(i)).copied().unwrap_or(0)
    }

    fn sort_by_time(&self, order: &mut [usize]) {
        match self.cols.at {
            TouchTimes::Ticks { values, .. } => {
                let key = |i: usize| values.get(self.row(i)).copied().unwrap_or(0);
                if !order
                    .windows(2)
                    .all(|w| matches!(w, [a, b] if key(*a) <= key(*b)))
                {
                    order.sort_by_key(|&i| key(i));
                }
            }
            TouchTimes::Seconds(values) => {
                let key = |i: usize| values.get(self.row(i)).copied().unwrap_or(0.0);
                if !order
                    .windows(2)
                    .all(|w| matches!(w, [a, b] if key(*a) <= key(*b)))
                {
                    order.sort_by(|&a, &b| key(a).total_cmp(&key(b)));
                }
            }
        }
    }

    fn milestones(&self, i: usize) -> impl Iterator<Item = Milestone> + '_ {
        let row = self.row(i);
        Milestone::ALL
            .into_iter()
            .zip(self.cols.milestones)
            .filter(move |(_, col)| col.and_then(|c| c.get(row)).copied().unwrap_or(false))
            .map(|(m, _)| m)
    }

    fn path(&self, i: usize, field: TouchField) -> String {
        let name = match field {
            TouchField::Channel => "channel",
            TouchField::Campaign => "campaign",
            TouchField::Milestone(m) => m.as_str(),
        };
        at_row(name, self.row(i))
    }
}

impl AttributionAccumulator {
    /// Adds the journeys of a touch table (see [`JourneyColumns`] for the shape and rules;
    /// errors name the column and row under `touches`, e.g. `touches.at[17]`). The same
    /// result, bit for bit, as [`add_journeys`](Self::add_journeys) with the equivalent
    /// journeys in the order of their first rows.
    pub fn add_journey_columns(&mut self, cols: &JourneyColumns<'_>) -> Result<(), Error> {
        cols.check_lengths()?;
        let seconds = cols.seconds()?;
        let (rows, ends) = cols.group();
        let mut start = 0;
        for end in ends {
            let journey = rows.get(start..end).unwrap_or_default();
            start = end;
            let (converted, value, first) = cols.outcome(journey)?;
            let touches = ColumnRows {
                cols,
                seconds: &seconds,
                rows: journey,
            };
            let value_path = || at_row("value", first);
            let (c, u, v) = self.prepare(&touches, converted, value, &value_path, &|| {
                at_row("journey_id", first)
            })?;
            self.commit(c, u, v, &value_path)?;
        }
        Ok(())
    }
}

/// The columns of a touch table (see [`JourneyColumns`] for what they mean); `at` also takes
/// RFC 3339 text and a host's date-time cells, read to the microsecond.
pub const TOUCHES: Schema = Schema {
    arg: ARG,
    columns: &[
        Spec::required("journey_id", Kind::Id),
        Spec::required("channel", Kind::Text),
        Spec::required("at", Kind::Instant),
        Spec::optional("campaign", Kind::Text),
        Spec::optional("first_touch", Kind::Flag),
        Spec::optional("lead_created", Kind::Flag),
        Spec::optional("opportunity_created", Kind::Flag),
        Spec::optional("closed_won", Kind::Flag),
        Spec::optional("converted", Kind::Flag),
        Spec::optional("value", Kind::Amount),
    ],
    open: false,
};

/// Times gathered from table batches.
#[derive(Debug, Clone, PartialEq)]
enum Times {
    Ticks(Vec<i64>, i64),
    Seconds(Vec<f64>),
}

/// [`JourneyColumns`] gathered from the batches of a touch table ([`TOUCHES`]), the text
/// borrowed from the batches (integer journey ids are read as their decimal text). A journey's rows may sit in several batches: all batches of the
/// input are gathered before journeys are grouped. Missing flags are false, a missing value 0,
/// a missing campaign none; a missing journey id or channel is refused, a missing time is the
/// `missing time` error of [`JourneyColumns`].
///
/// ```
/// use leadcore::attribution::{AttributionAccumulator, AttributionConfig, TouchTable};
/// use leadcore::table::{Bits, Column, Table, TimeUnit};
/// let (id_off, ids) = Column::text_buffers(&[Some("J1"), Some("J1")]);
/// let (ch_off, chs) = Column::text_buffers(&[Some("seo"), Some("sem")]);
/// let batch = Table::new(vec![
///     ("journey_id".into(), Column::text(&id_off, &ids, None)),
///     ("channel".into(), Column::text(&ch_off, &chs, None)),
///     ("at".into(), Column::Time { values: vec![2_000, 1_000].into(), unit: TimeUnit::Millis, validity: None }),
///     ("converted".into(), Column::Bool { bits: Bits::new(&[0b11], 0, 2).unwrap(), validity: None }),
/// ]);
/// let touches = TouchTable::gather(std::slice::from_ref(&batch)).unwrap();
/// let mut acc = AttributionAccumulator::new(AttributionConfig::default()).unwrap();
/// touches.with_columns(|cols| acc.add_journey_columns(cols)).unwrap();
/// assert_eq!(acc.finish().unwrap().totals.conversions, 1);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TouchTable<'t> {
    journey_id: Vec<Cow<'t, str>>,
    channel: Vec<&'t str>,
    campaign: Option<Vec<Option<&'t str>>>,
    at: Times,
    milestones: [Option<Vec<bool>>; 4],
    converted: Option<Vec<bool>>,
    value: Option<Vec<f64>>,
}

impl<'t> TouchTable<'t> {
    /// Binds each batch to [`TOUCHES`] and gathers their rows, in order.
    pub fn gather(batches: &'t [Table<'_>]) -> Result<Self, InputError> {
        let mut out = Self {
            journey_id: Vec::new(),
            channel: Vec::new(),
            campaign: None,
            at: Times::Ticks(Vec::new(), 1),
            milestones: [None, None, None, None],
            converted: None,
            value: None,
        };
        let mut seen = 0;
        for table in batches {
            let b = TOUCHES.bind(table)?;
            out.add(&b, seen)?;
            seen += b.rows();
        }
        Ok(out)
    }

    fn add(&mut self, b: &Bound<'t, '_>, before: usize) -> Result<(), InputError> {
        let n = b.rows();
        let field = |name: &str| b.field(name);
        if let Some(f) = field("journey_id") {
            for i in 0..n {
                self.journey_id.push(f.id(i)?.ok_or_else(|| f.missing(i))?);
            }
        }
        if let Some(f) = field("channel") {
            for i in 0..n {
                self.channel.push(f.text(i)?.ok_or_else(|| f.missing(i))?);
            }
        }
        // Optional columns: absent in this batch but present in another is all missing here.
        fn optional<'t, 'a, T: Clone>(
            slot: &mut Option<Vec<T>>,
            before: usize,
            n: usize,
            missing: T,
            f: Option<Field<'t, 'a>>,
            read: impl Fn(&Field<'t, 'a>, usize) -> Result<Option<T>, InputError>,
        ) -> Result<(), InputError> {
            match f {
                Some(f) => {
                    let v = slot.get_or_insert_with(|| vec![missing.clone(); before]);
                    for i in 0..n {
                        v.push(read(&f, i)?.unwrap_or_else(|| missing.clone()));
                    }
                }
                None => {
                    if let Some(v) = slot {
                        v.resize(before + n, missing);
                    }
                }
            }
            Ok(())
        }
        optional(
            &mut self.campaign,
            before,
            n,
            None,
            field("campaign"),
            |f, i| f.text(i).map(|t| t.map(Some)),
        )?;
        for (slot, m) in self.milestones.iter_mut().zip(Milestone::ALL) {
            optional(slot, before, n, false, field(m.as_str()), |f, i| f.flag(i))?;
        }
        optional(
            &mut self.converted,
            before,
            n,
            false,
            field("converted"),
            |f, i| f.flag(i),
        )?;
        optional(&mut self.value, before, n, 0.0, field("value"), |f, i| {
            f.amount(i)
        })?;
        if let Some(f) = field("at") {
            self.add_times(&f, n, before)?;
        }
        Ok(())
    }

    fn add_times(&mut self, f: &Field<'_, '_>, n: usize, before: usize) -> Result<(), InputError> {
        // Timestamps and integer seconds are kept as ticks, floats as seconds; anything else
        // (RFC 3339 text, a host's mixed cells) is read instant by instant, in microseconds.
        let (unit, exact) = match f.column() {
            Column::Time { unit, .. } => (Some(unit.per_second()), true),
            Column::Int { .. } => (Some(1), true),
            Column::Float { .. } => (None, false),
            _ => (Some(1_000_000), false),
        };
        let mixed = || {
            InputError::new(
                FieldErrorKind::InvalidType(
                    "invalid type: the batches hold times in different units".into(),
                ),
                format!("{ARG}.at"),
            )
        };
        match (&mut self.at, unit) {
            (Times::Ticks(v, per), Some(unit)) if *per == unit || v.is_empty() => {
                *per = unit;
                for i in 0..n {
                    v.push(match f.column().value(i) {
                        Value::Null => MISSING_TICKS,
                        Value::Int(t) | Value::Time(t, _) if exact => t,
                        _ => f
                            .instant(i)?
                            .map_or(MISSING_TICKS, |t| t.timestamp_micros()),
                    });
                }
            }
            (Times::Ticks(v, _), None) if v.is_empty() && before == 0 => {
                self.at = Times::Seconds(Vec::with_capacity(n));
                return self.add_times(f, n, before);
            }
            (Times::Seconds(v), None) => {
                for i in 0..n {
                    v.push(match f.column().value(i) {
                        Value::Null => f64::NAN,
                        Value::Float(x) => x,
                        Value::Int(t) => t as f64,
                        other => return Err(f.wrong_type_at(i, other)),
                    });
                }
            }
            _ => return Err(mixed()),
        }
        Ok(())
    }

    /// Calls `f` with the gathered columns as [`JourneyColumns`].
    pub fn with_columns<R>(&self, f: impl FnOnce(&JourneyColumns<'_>) -> R) -> R {
        let ids: Vec<&str> = self.journey_id.iter().map(|id| id.as_ref()).collect();
        let [a, b, c, d] = &self.milestones;
        f(&JourneyColumns {
            journey_id: &ids,
            channel: &self.channel,
            campaign: self.campaign.as_deref(),
            at: match &self.at {
                Times::Ticks(v, per) => TouchTimes::Ticks {
                    values: v,
                    per_second: *per,
                },
                Times::Seconds(v) => TouchTimes::Seconds(v),
            },
            milestones: [a.as_deref(), b.as_deref(), c.as_deref(), d.as_deref()],
            converted: self.converted.as_deref(),
            value: self.value.as_deref(),
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::attribution::{AttributionConfig, Journey, Touchpoint};
    use crate::input::Config;

    const CHANNELS: [&str; 6] = ["direct", " sem", "seo ", "email", "event", "social"];
    const CAMPAIGNS: [&str; 3] = ["double11", "spring", " q4 "];

    fn config(level: &str) -> AttributionConfig {
        AttributionConfig::from_json(&format!(
            r#"{{"level": "{level}", "models": [
            {{"type": "first_touch"}}, {{"type": "last_touch"}}, {{"type": "last_non_direct"}},
            {{"type": "linear"}}, {{"type": "u_shaped"}}, {{"type": "w_shaped"}},
            {{"type": "full_path"}}, {{"type": "time_decay", "half_life_days": 3}},
            {{"type": "custom", "weights": {{"first_touch": 0.1, "closed_won": 0.5, "last_touch": 0.2, "middle": 0.2}}}},
            {{"type": "markov"}}, {{"type": "markov", "order": 2}}, {{"type": "shapley"}}
        ]}}"#
        ))
        .unwrap()
    }

    prop_compose! {
        /// A valid journey: touches at whole or fractional seconds (ties included), campaigns,
        /// and milestones in order on distinct touches.
        fn journey()(
            touches in proptest::collection::vec((0usize..6, 0i64..30, 0u8..4, 0u32..4), 1..7),
            marks in proptest::collection::vec(any::<bool>(), 4),
            converted in any::<bool>(),
            cents in 0u32..1_000_000,
        ) -> Journey {
            // Milestones on increasing positions of the time order, so they are valid.
            let mut order: Vec<usize> = (0..touches.len()).collect();
            order.sort_by_key(|&i| (touches[i].1, touches[i].3));
            let mut touchpoints: Vec<Touchpoint> = touches
                .iter()
                .map(|&(ch, hour, camp, millis)| Touchpoint {
                    channel: CHANNELS[ch].to_string(),
                    campaign: (camp < 3).then(|| CAMPAIGNS[camp as usize].to_string()),
                    at: chrono::DateTime::from_timestamp_millis(
                        1_767_225_600_000 + hour * 3_600_000 + i64::from(millis) * 250,
                    )
                    .unwrap(),
                    milestones: Vec::new(),
                })
                .collect();
            for (k, m) in Milestone::ALL.into_iter().enumerate() {
                if marks[k] && let Some(&i) = order.get(k) {
                    touchpoints[i].milestones.push(m);
                }
            }
            Journey {
                id: String::new(),
                touchpoints,
                converted,
                value: if converted { f64::from(cents) / 100.0 } else { 0.0 },
                opportunity_at: None,
            }
        }
    }

    /// Owned columns of journeys: journey-major, or interleaved (every journey's first touch,
    /// then every second touch…), which keeps first appearances and each journey's row order.
    struct Owned {
        ids: Vec<String>,
        channel: Vec<String>,
        campaign: Vec<Option<String>>,
        millis: Vec<i64>,
        milestones: [Vec<bool>; 4],
        converted: Vec<bool>,
        value: Vec<f64>,
    }

    fn owned(journeys: &[Journey], interleave: bool) -> Owned {
        let mut cells: Vec<(usize, usize)> = journeys
            .iter()
            .enumerate()
            .flat_map(|(j, jr)| (0..jr.touchpoints.len()).map(move |t| (j, t)))
            .collect();
        if interleave {
            cells.sort_by_key(|&(j, t)| (t, j));
        }
        let mut o = Owned {
            ids: vec![],
            channel: vec![],
            campaign: vec![],
            millis: vec![],
            milestones: Default::default(),
            converted: vec![],
            value: vec![],
        };
        for (j, t) in cells {
            let jr = &journeys[j];
            let tp = &jr.touchpoints[t];
            o.ids.push(format!("J{j}"));
            o.channel.push(tp.channel.clone());
            o.campaign.push(tp.campaign.clone());
            o.millis.push(tp.at.timestamp_millis());
            for m in Milestone::ALL {
                o.milestones[m.index()].push(tp.milestones.contains(&m));
            }
            o.converted.push(jr.converted);
            o.value.push(jr.value);
        }
        o
    }

    fn add(acc: &mut AttributionAccumulator, o: &Owned, floats: bool) -> Result<(), Error> {
        let ids: Vec<&str> = o.ids.iter().map(String::as_str).collect();
        let channel: Vec<&str> = o.channel.iter().map(String::as_str).collect();
        let campaign: Vec<Option<&str>> = o.campaign.iter().map(Option::as_deref).collect();
        let secs: Vec<f64> = o.millis.iter().map(|&m| m as f64 / 1000.0).collect();
        let [a, b, c, d] = &o.milestones;
        let cols = JourneyColumns {
            journey_id: &ids,
            channel: &channel,
            campaign: Some(&campaign),
            at: if floats {
                TouchTimes::Seconds(&secs)
            } else {
                TouchTimes::Ticks {
                    values: &o.millis,
                    per_second: 1000,
                }
            },
            milestones: [Some(a), Some(b), Some(c), Some(d)],
            converted: Some(&o.converted),
            value: Some(&o.value),
        };
        acc.add_journey_columns(&cols)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn columns_equal_journeys_bit_for_bit(
            journeys in proptest::collection::vec(journey(), 0..25),
            interleave in any::<bool>(),
            floats in any::<bool>(),
            campaign in any::<bool>(),
        ) {
            let config = config(if campaign { "campaign" } else { "channel" });
            let mut dicts = AttributionAccumulator::new(config.clone()).unwrap();
            dicts.add_journeys(&journeys).unwrap();
            let mut cols = AttributionAccumulator::new(config).unwrap();
            add(&mut cols, &owned(&journeys, interleave), floats).unwrap();
            prop_assert_eq!(dicts.to_bytes(), cols.to_bytes());
            prop_assert_eq!(
                serde_json::to_string(&dicts.finish().unwrap()).unwrap(),
                serde_json::to_string(&cols.finish().unwrap()).unwrap()
            );
        }
    }

    fn one_journey() -> Vec<Journey> {
        let j: Journey = serde_json::from_str(
            r#"{"id": "x", "converted": true, "value": 10, "touchpoints": [
            {"channel": "seo", "at": "2026-01-01T00:00:00Z"},
            {"channel": "sem", "at": "2026-01-02T00:00:00Z", "milestones": ["lead_created"]}]}"#,
        )
        .unwrap();
        vec![j.clone(), j]
    }

    fn error(o: &Owned) -> (String, String) {
        let mut acc = AttributionAccumulator::new(config("channel")).unwrap();
        let e = add(&mut acc, o, false).unwrap_err();
        (e.code().to_string(), e.path().to_string())
    }

    #[test]
    fn bad_rows_are_named_by_column_and_row() {
        let base = owned(&one_journey(), false);
        let err = |f: &dyn Fn(&mut Owned)| {
            let mut o = owned(&one_journey(), false);
            f(&mut o);
            error(&o)
        };
        let e = |code: &str, path: &str| (code.to_string(), path.to_string());
        assert_eq!(
            err(&|o| o.channel[3] = " ".into()),
            e("empty_channel", "touches.channel[3]")
        );
        assert_eq!(
            err(&|o| o.channel[2] = "(null)".into()),
            e("reserved_channel", "touches.channel[2]")
        );
        assert_eq!(
            err(&|o| o.value[3] = 11.0),
            e("inconsistent_outcome", "touches.value[3]")
        );
        assert_eq!(
            err(&|o| o.value[3] = f64::NAN),
            e("not_finite", "touches.value[3]")
        );
        assert_eq!(
            err(&|o| {
                o.value[2] = -1.0;
                o.value[3] = -1.0;
            }),
            e("negative_value", "touches.value[2]")
        );
        assert_eq!(
            err(&|o| o.converted[1] = false),
            e("inconsistent_outcome", "touches.converted[1]")
        );
        assert_eq!(
            err(&|o| o.milestones[1][0] = true),
            e("duplicate_milestone", "touches.lead_created[1]")
        );
        assert_eq!(
            err(&|o| {
                o.milestones[0][3] = true;
                o.milestones[1][3] = false;
                o.milestones[1][2] = true;
            }),
            e("milestone_order", "touches.lead_created[2]")
        );
        assert_eq!(
            err(&|o| o.millis[1] = MISSING_TICKS),
            e("invalid_value", "touches.at[1]")
        );
        assert_eq!(
            err(&|o| o.millis[2] = i64::MAX),
            e("invalid_value", "touches.at[2]")
        );
        assert_eq!(
            err(&|o| o.value.pop().map(drop).unwrap()),
            e("invalid_value", "touches.value")
        );
        // Nothing was wrong with the base columns.
        let mut acc = AttributionAccumulator::new(config("channel")).unwrap();
        add(&mut acc, &base, false).unwrap();
    }

    #[test]
    fn float_times_refuse_nan_infinite_and_huge() {
        let ids = ["a", "a", "a"];
        let ch = ["seo", "sem", "x"];
        let run = |secs: [f64; 3]| {
            let mut acc = AttributionAccumulator::new(config("channel")).unwrap();
            let cols = JourneyColumns {
                journey_id: &ids,
                channel: &ch,
                at: TouchTimes::Seconds(&secs),
                ..JourneyColumns::default()
            };
            acc.add_journey_columns(&cols)
                .map(|()| acc.finish().unwrap().totals.nulls)
                .map_err(|e| (e.code(), e.path().to_string()))
        };
        assert_eq!(run([1.5, -3e9, 0.0]), Ok(1));
        assert_eq!(
            run([1.0, f64::NAN, 0.0]),
            Err(("invalid_value", "touches.at[1]".into()))
        );
        assert_eq!(
            run([1.0, 0.0, f64::INFINITY]),
            Err(("not_finite", "touches.at[2]".into()))
        );
        assert_eq!(
            run([1e16, 0.0, 0.0]),
            Err(("invalid_value", "touches.at[0]".into()))
        );
    }

    #[test]
    fn a_bad_journey_keeps_the_ones_before_it() {
        let mut o = owned(&one_journey(), false);
        o.channel[3] = String::new();
        let mut acc = AttributionAccumulator::new(config("channel")).unwrap();
        add(&mut acc, &o, false).unwrap_err();
        assert_eq!(acc.finish().unwrap().totals.journeys, 1);
    }
}
