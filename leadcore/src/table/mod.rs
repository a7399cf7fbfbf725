//! Tables: the one columnar input of every API that takes many rows (path counts, touches,
//! events, leads), whatever the host holds them in.
//!
//! A host turns its arrays into [`Column`] views in Arrow's memory layout (text as offsets and
//! bytes, integers, floats, bit-packed booleans, timestamps with a unit, dictionary codes, and a
//! slow per-cell form), borrowed where its memory already has that layout: pyarrow, polars and
//! DuckDB through the Arrow C stream interface and numpy arrays, pandas Series and lists in
//! Python, Arrow IPC in Node, plain slices in Rust (Node's typed-array readers are not built on
//! it yet). A [`Table`]
//! is one batch of such columns; a stream of batches is read one batch at a time, rows numbered
//! across batches.
//!
//! Each input has a [`Schema`]: its argument name, its columns, which are required, and what
//! they hold ([`Kind`]). [`Schema::bind`] checks a table against it once — column names,
//! duplicate and missing columns, lengths, layouts against kinds, offsets and UTF-8 — and the
//! [`Field`] readers it returns check each cell (missing values in required columns, negative
//! counts, cells of the wrong type). Every error names the argument, the column and, for a
//! cell, the row: `paths.conversions` for a column, `paths.conversions[17]` for a cell.
//!
//! ```
//! use leadcore::table::{Column, Kind, Schema, Spec, Table};
//! const SCHEMA: Schema = Schema {
//!     arg: "visits",
//!     columns: &[Spec::required("page", Kind::Text), Spec::optional("seconds", Kind::Count)],
//!     open: false,
//! };
//! let (offsets, data) = Column::text_buffers(&[Some("/pricing"), Some("/docs")]);
//! let table = Table::new(vec![
//!     ("page".into(), Column::text(&offsets, &data, None)),
//!     ("seconds".into(), Column::Int { values: vec![30, -4].into(), validity: None }),
//! ]);
//! let bound = SCHEMA.bind(&table).unwrap();
//! let page = bound.field("page").unwrap();
//! assert_eq!(page.text(1).unwrap(), Some("/docs"));
//! let err = bound.field("seconds").unwrap().count(1).unwrap_err();
//! assert_eq!((err.code(), err.path.as_str()), ("invalid_value", "visits.seconds[1]"));
//! ```

#[cfg(feature = "arrow")]
pub mod arrow;
mod column;

use std::borrow::Cow;

use chrono::{DateTime, Utc};

use crate::error::{FieldErrorKind, InputError};
use crate::lead::AttrValue;

pub(crate) use column::KeySet;
pub use column::{Bits, Buffers, Cell, Column, Offsets, TimeUnit, Value, Values, first_use};

/// What a column holds, and so which layouts it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text (text or dictionary layouts, text cells).
    Text,
    /// An identifier: text, or integers read as their decimal text.
    Id,
    /// A non-negative integer count (integer layout).
    Count,
    /// An amount of money or a score (integer or float layouts).
    Amount,
    /// A yes / no flag (boolean layout, or integers 0 and 1: JavaScript's `Uint8Array`).
    Flag,
    /// An instant (timestamps with their unit, or integer / float Unix seconds).
    Time,
    /// An instant as [`Time`](Self::Time) holds it, or RFC 3339 text.
    Instant,
    /// Anything (an open schema's extra columns; cells read as [`Value`]s).
    Any,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Id => "text or integer ids",
            Self::Count => "non-negative integers",
            Self::Amount => "numbers",
            Self::Flag => "booleans (or 0 / 1)",
            Self::Time => "timestamps or Unix seconds",
            Self::Instant => "timestamps, Unix seconds or RFC 3339 text",
            Self::Any => "any values",
        }
    }

    /// Whether a column of this layout can hold this kind (cells are checked one by one).
    fn accepts(self, col: &Column<'_>) -> bool {
        match (self, col) {
            (Self::Any, _) | (_, Column::Cells(_)) => true,
            // No value of any type: every row is missing (a pandas categorical of only missing
            // rows has float categories).
            (_, Column::Codes { values, .. }) if values.is_empty() => true,
            (Self::Text, Column::Text { .. }) => true,
            (Self::Text, Column::Codes { values, .. }) => Self::Text.accepts(values),
            (Self::Id, Column::Int { .. }) => true,
            (Self::Instant, _) => Self::Time.accepts(col) || Self::Text.accepts(col),
            (Self::Id, _) => Self::Text.accepts(col),
            (Self::Count, Column::Int { .. }) => true,
            (Self::Amount, Column::Int { .. } | Column::Float { .. }) => true,
            (Self::Flag, Column::Bool { .. } | Column::Int { .. }) => true,
            (Self::Time, Column::Time { .. } | Column::Int { .. } | Column::Float { .. }) => true,
            _ => false,
        }
    }
}

/// One column of a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    /// The column's name.
    pub name: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// Whether a table must have it.
    pub required: bool,
}

impl Spec {
    /// A column every table must have.
    pub const fn required(name: &'static str, kind: Kind) -> Self {
        Self {
            name,
            kind,
            required: true,
        }
    }

    /// A column a table may leave out.
    pub const fn optional(name: &'static str, kind: Kind) -> Self {
        Self {
            name,
            kind,
            required: false,
        }
    }
}

/// The columns of one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schema {
    /// The argument's name, the first part of every error path (`paths`, `touches`).
    pub arg: &'static str,
    /// The columns, required ones first.
    pub columns: &'static [Spec],
    /// Whether columns the schema does not name are accepted (as [`Bound::extras`]) rather
    /// than refused as unknown.
    pub open: bool,
}

/// One batch of named columns, the rows numbered from `first_row` in errors.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table<'a> {
    /// The columns with their names, in the host's order.
    pub columns: Vec<(String, Column<'a>)>,
    /// The number of the batch's first row in the whole input (0 for the first batch).
    pub first_row: usize,
}

impl<'a> Table<'a> {
    /// A table of `columns` whose rows are numbered from 0.
    pub fn new(columns: Vec<(String, Column<'a>)>) -> Self {
        Self {
            columns,
            first_row: 0,
        }
    }

    /// Number of rows (that of the first column; 0 without columns).
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |(_, c)| c.len())
    }
}

/// Where a row's errors are reported: a single argument (`path.value`), an item of a list
/// (`paths[3].value`) or a row of a table (`paths.value[3]`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Loc {
    /// A single argument.
    Item(&'static str),
    /// Item `i` of a list argument.
    Row(&'static str, usize),
    /// Row `i` of a table argument.
    Cell(&'static str, usize),
}

impl Loc {
    /// The path of the whole row.
    pub(crate) fn row(&self) -> String {
        match *self {
            Self::Item(arg) => arg.to_string(),
            Self::Row(arg, i) | Self::Cell(arg, i) => format!("{arg}[{i}]"),
        }
    }

    /// The path of field `name` of the row.
    pub(crate) fn field(&self, name: &str) -> String {
        match *self {
            Self::Item(arg) => format!("{arg}.{name}"),
            Self::Row(arg, i) => format!("{arg}[{i}].{name}"),
            Self::Cell(arg, i) => format!("{arg}.{name}[{i}]"),
        }
    }
}

fn invalid(kind: FieldErrorKind, path: String) -> InputError {
    InputError::new(kind, path)
}

impl Schema {
    /// The spec of column `name`.
    pub fn spec(&self, name: &str) -> Option<&Spec> {
        self.columns.iter().find(|s| s.name == name)
    }

    fn expected(&self) -> String {
        let names: Vec<String> = self
            .columns
            .iter()
            .map(|s| format!("`{}`", s.name))
            .collect();
        names.join(", ")
    }

    /// Checks `table` against the schema: every column known and given once, required ones
    /// present, one length, layouts that hold their kind, offsets and text well-formed.
    pub fn bind<'t, 'a>(&'static self, table: &'t Table<'a>) -> Result<Bound<'t, 'a>, InputError> {
        self.bind_skipping(table, None, &mut None)
    }

    /// [`bind`](Self::bind), except the layout check of column `name` when it is a text
    /// dictionary without missing rows or values ([`Column::text_dictionary`]): the caller
    /// checks it as it copies the values it uses, once instead of twice, and reports a failure
    /// as [`Column::check`] does. Errors stay in `bind`'s order: one found after that column
    /// is reported only when the column passes its check.
    pub(crate) fn bind_except<'t, 'a>(
        &'static self,
        table: &'t Table<'a>,
        name: &str,
    ) -> Result<Bound<'t, 'a>, InputError> {
        let mut skipped = None;
        self.bind_skipping(table, Some(name), &mut skipped)
            .map_err(|e| match skipped {
                Some((at, col)) => col.check(&at, table.first_row).err().unwrap_or(e),
                None => e,
            })
    }

    /// The body of [`bind_except`](Self::bind_except): the column whose check it skipped, with
    /// its path, is left in `skipped`.
    fn bind_skipping<'t, 'a>(
        &'static self,
        table: &'t Table<'a>,
        name: Option<&str>,
        skipped: &mut Option<(String, &'t Column<'a>)>,
    ) -> Result<Bound<'t, 'a>, InputError> {
        let arg = self.arg;
        let mut slots: Vec<Option<&'t Column<'a>>> = vec![None; self.columns.len()];
        let mut extras: Vec<(&'t str, &'t Column<'a>)> = Vec::new();
        for (name, col) in &table.columns {
            let at = format!("{arg}.{name}");
            let Some(i) = self.columns.iter().position(|s| s.name == name) else {
                if self.open {
                    if extras.iter().any(|(n, _)| n == name) {
                        let msg = format!("column `{name}` is given twice");
                        return Err(invalid(FieldErrorKind::InvalidValue(msg), at));
                    }
                    extras.push((name, col));
                    continue;
                }
                let msg = format!(
                    "unknown column `{name}`, expected one of {}",
                    self.expected()
                );
                return Err(invalid(FieldErrorKind::UnknownField(msg), at));
            };
            match slots.get_mut(i) {
                Some(slot @ None) => *slot = Some(col),
                _ => {
                    let msg = format!("column `{name}` is given twice");
                    return Err(invalid(FieldErrorKind::InvalidValue(msg), at));
                }
            }
        }
        let mut rows: Option<(&str, usize)> = None;
        for (spec, col) in self.columns.iter().zip(&slots) {
            let at = format!("{arg}.{}", spec.name);
            let Some(col) = col else {
                if spec.required {
                    let msg = format!("missing column `{}`", spec.name);
                    return Err(invalid(FieldErrorKind::MissingField(msg), at));
                }
                continue;
            };
            match rows {
                None => rows = Some((spec.name, col.len())),
                Some((first, n)) if col.len() != n => {
                    let msg = format!("column has {} rows, `{first}` has {n}", col.len());
                    return Err(invalid(FieldErrorKind::InvalidValue(msg), at));
                }
                Some(_) => {}
            }
            if !spec.kind.accepts(col) {
                let msg = format!(
                    "invalid type: {} column, expected {}",
                    col.type_name(),
                    spec.kind.name()
                );
                return Err(invalid(FieldErrorKind::InvalidType(msg), at));
            }
            if name == Some(spec.name) && col.text_dictionary().is_some() {
                *skipped = Some((at, col));
            } else {
                col.check(&at, table.first_row)?;
            }
        }
        let n = rows.map_or(0, |(_, n)| n);
        for (name, col) in &extras {
            let at = format!("{arg}.{name}");
            if col.len() != n {
                let first = rows.map_or("", |(f, _)| f);
                let msg = format!("column has {} rows, `{first}` has {n}", col.len());
                return Err(invalid(FieldErrorKind::InvalidValue(msg), at));
            }
            col.check(&at, table.first_row)?;
        }
        Ok(Bound {
            schema: self,
            slots,
            extras,
            rows: rows.map_or(0, |(_, n)| n),
            first_row: table.first_row,
        })
    }
}

/// A table checked against its schema (see [`Schema::bind`]).
#[derive(Debug, Clone)]
pub struct Bound<'t, 'a> {
    schema: &'static Schema,
    slots: Vec<Option<&'t Column<'a>>>,
    extras: Vec<(&'t str, &'t Column<'a>)>,
    rows: usize,
    first_row: usize,
}

impl<'t, 'a> Bound<'t, 'a> {
    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The number of the first row in the whole input.
    pub fn first_row(&self) -> usize {
        self.first_row
    }

    /// The reader of column `name`, `None` when the table does not have it (or the schema
    /// does not know it).
    pub fn field(&self, name: &str) -> Option<Field<'t, 'a>> {
        let i = self.schema.columns.iter().position(|s| s.name == name)?;
        let spec = self.schema.columns.get(i)?;
        let col = (*self.slots.get(i)?)?;
        Some(Field {
            arg: self.schema.arg,
            name: spec.name,
            kind: spec.kind,
            col,
            first_row: self.first_row,
        })
    }

    /// The reader of a required column (bind has checked it is there; the error is what
    /// bind reports when it is not).
    pub fn required(&self, name: &str) -> Result<Field<'t, 'a>, InputError> {
        self.field(name).ok_or_else(|| {
            let msg = format!("missing column `{name}`");
            invalid(
                FieldErrorKind::MissingField(msg),
                format!("{}.{name}", self.schema.arg),
            )
        })
    }

    /// The readers of the columns the schema does not name (an [open](Schema::open) schema's
    /// extra columns), with their names, in the table's order.
    pub fn extras(&self) -> impl Iterator<Item = Field<'t, 'a>> + '_ {
        self.extras.iter().map(|&(name, col)| Field {
            arg: self.schema.arg,
            name,
            kind: Kind::Any,
            col,
            first_row: self.first_row,
        })
    }
}

/// Reads the cells of one bound column; errors name the cell (`paths.conversions[17]`, the
/// row counted in the whole input).
#[derive(Debug, Clone, Copy)]
pub struct Field<'t, 'a> {
    arg: &'static str,
    name: &'t str,
    kind: Kind,
    col: &'t Column<'a>,
    first_row: usize,
}

impl<'t, 'a> Field<'t, 'a> {
    /// The column view.
    pub fn column(&self) -> &'t Column<'a> {
        self.col
    }

    /// The column's name.
    pub fn name(&self) -> &'t str {
        self.name
    }

    /// The path of row `i` of the batch, e.g. `paths.conversions[17]`.
    pub fn at(&self, i: usize) -> String {
        format!("{}.{}[{}]", self.arg, self.name, self.first_row + i)
    }

    /// The error of a cell in row `i` whose value `got` is not of the column's kind.
    pub fn wrong_type_at(&self, i: usize, got: Value<'_>) -> InputError {
        let got = match got {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Float(_) => "float",
            Value::Text(_) => "text",
            Value::Time(..) => "timestamp",
        };
        let msg = format!("invalid type: {got}, expected {}", self.kind.name());
        invalid(FieldErrorKind::InvalidType(msg), self.at(i))
    }

    /// The column's layout check ([`Column::check`]), errors at its path: for a column whose
    /// check [`Schema::bind_except`] left to its reader.
    pub(crate) fn check(&self) -> Result<(), InputError> {
        let at = format!("{}.{}", self.arg, self.name);
        self.col.check(&at, self.first_row)
    }

    /// The error of a missing value in row `i` where one is needed.
    pub fn missing(&self, i: usize) -> InputError {
        let msg = format!("missing value in column `{}`", self.name);
        invalid(FieldErrorKind::MissingField(msg), self.at(i))
    }

    /// Row `i` as text (`None` when missing).
    pub fn text(&self, i: usize) -> Result<Option<&'t str>, InputError> {
        match self.col.value(i) {
            Value::Null => Ok(None),
            Value::Text(s) => Ok(Some(s)),
            v => Err(self.wrong_type_at(i, v)),
        }
    }

    /// Row `i` as an identifier: its text, or an integer's decimal text (`None` when
    /// missing).
    pub fn id(&self, i: usize) -> Result<Option<Cow<'t, str>>, InputError> {
        match self.col.value(i) {
            Value::Null => Ok(None),
            Value::Text(s) => Ok(Some(Cow::Borrowed(s))),
            Value::Int(v) => Ok(Some(Cow::Owned(v.to_string()))),
            v => Err(self.wrong_type_at(i, v)),
        }
    }

    /// Row `i` as a count (`None` when missing); negative numbers are refused.
    #[inline]
    pub fn count(&self, i: usize) -> Result<Option<u64>, InputError> {
        // An integer column without missing rows (the common case) is read straight.
        if let Column::Int {
            values,
            validity: None,
        } = self.col
            && let Some(&v) = values.get(i)
            && v >= 0
        {
            return Ok(Some(v.unsigned_abs()));
        }
        match self.col.value(i) {
            Value::Null => Ok(None),
            Value::Int(v) => u64::try_from(v).map(Some).map_err(|_| {
                let msg = format!("`{v}` is negative, expected a count");
                invalid(FieldErrorKind::InvalidValue(msg), self.at(i))
            }),
            v => Err(self.wrong_type_at(i, v)),
        }
    }

    /// Row `i` as a number (`None` when missing; NaN and infinities are returned, for the
    /// caller to judge).
    #[inline]
    pub fn amount(&self, i: usize) -> Result<Option<f64>, InputError> {
        match self.col {
            Column::Float {
                values,
                validity: None,
            } => {
                if let Some(&v) = values.get(i) {
                    return Ok(Some(v));
                }
            }
            Column::Int {
                values,
                validity: None,
            } => {
                if let Some(&v) = values.get(i) {
                    return Ok(Some(v as f64));
                }
            }
            _ => {}
        }
        match self.col.value(i) {
            Value::Null => Ok(None),
            Value::Int(v) => Ok(Some(v as f64)),
            Value::Float(v) => Ok(Some(v)),
            v => Err(self.wrong_type_at(i, v)),
        }
    }

    /// Row `i` as a flag (`None` when missing); of integers, 0 is false and 1 true, others
    /// are refused.
    pub fn flag(&self, i: usize) -> Result<Option<bool>, InputError> {
        match self.col.value(i) {
            Value::Null => Ok(None),
            Value::Bool(b) => Ok(Some(b)),
            Value::Int(v @ (0 | 1)) => Ok(Some(v == 1)),
            Value::Int(v) => {
                let msg = format!("`{v}` is not a flag, expected 0 or 1");
                Err(invalid(FieldErrorKind::InvalidValue(msg), self.at(i)))
            }
            v => Err(self.wrong_type_at(i, v)),
        }
    }

    /// Row `i` as an instant: timestamps keep their fraction of a second, integers are Unix
    /// seconds, floats Unix seconds with a fraction (NaN missing), text RFC 3339.
    pub fn instant(&self, i: usize) -> Result<Option<DateTime<Utc>>, InputError> {
        let out_of_range = || {
            InputError::new(
                FieldErrorKind::InvalidValue("time is out of range".into()),
                self.at(i),
            )
        };
        match self.column().value(i) {
            Value::Null => Ok(None),
            Value::Time(t, per) => {
                let nanos = t.rem_euclid(per) * (1_000_000_000 / per);
                DateTime::from_timestamp(t.div_euclid(per), u32::try_from(nanos).unwrap_or(0))
                    .map(Some)
                    .ok_or_else(out_of_range)
            }
            Value::Int(s) => DateTime::from_timestamp(s, 0)
                .map(Some)
                .ok_or_else(out_of_range),
            Value::Float(s) if s.is_nan() => Ok(None),
            Value::Float(s) if s.is_finite() && s.abs() < 1e17 => {
                let whole = s.floor();
                // Exact: integral and well inside i64's range.
                #[allow(clippy::cast_possible_truncation)]
                let (secs, nanos) = (whole as i64, ((s - whole) * 1e9).round() as u32);
                DateTime::from_timestamp(secs, nanos.min(999_999_999))
                    .map(Some)
                    .ok_or_else(out_of_range)
            }
            Value::Float(_) => Err(out_of_range()),
            Value::Text(s) => crate::time::parse(s)
                .map(Some)
                .map_err(|e| InputError::new(e.kind, self.at(i))),
            v => Err(self.wrong_type_at(i, v)),
        }
    }

    /// Row `i` as a lead attribute or event property (`None` when missing, NaN too): text is
    /// read as attribute text is (dates and RFC 3339 instants become dates and instants).
    pub fn attr(&self, i: usize) -> Result<Option<AttrValue>, InputError> {
        Ok(match self.column().value(i) {
            Value::Null => None,
            Value::Bool(b) => Some(AttrValue::Bool(b)),
            Value::Int(v) => Some(AttrValue::Number(v as f64)),
            Value::Float(v) if v.is_nan() => None,
            Value::Float(v) if v.is_finite() => Some(AttrValue::Number(v)),
            Value::Float(_) => return Err(InputError::new(FieldErrorKind::NotFinite, self.at(i))),
            Value::Text(s) => Some(AttrValue::from_text(s.to_string())),
            Value::Time(..) => self.instant(i)?.map(AttrValue::DateTime),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: Schema = Schema {
        arg: "t",
        columns: &[
            Spec::required("name", Kind::Text),
            Spec::optional("n", Kind::Count),
        ],
        open: false,
    };

    fn ints(v: &[i64]) -> Column<'_> {
        Column::Int {
            values: v.into(),
            validity: None,
        }
    }

    fn bind_err(cols: Vec<(&str, Column<'_>)>) -> (String, String) {
        let t = Table::new(cols.into_iter().map(|(n, c)| (n.to_string(), c)).collect());
        let e = SCHEMA.bind(&t).map(|_| ()).unwrap_err();
        (e.code().to_string(), e.path)
    }

    #[test]
    fn bind_refuses_shapes_arrow_cannot_hold() {
        let (off, data) = Column::text_buffers(&[Some("a"), Some("b")]);
        let text = || Column::text(&off, &data, None);
        let lengths = bind_err(vec![("name", text()), ("n", ints(&[1]))]);
        assert_eq!(lengths, ("invalid_value".into(), "t.n".into()));
        let twice = bind_err(vec![("name", text()), ("name", text())]);
        assert_eq!(twice, ("invalid_value".into(), "t.name".into()));
    }

    #[test]
    fn bind_checks_text_layout() {
        let bad_utf8 = [b'a', 0xff];
        let offsets = [0, 1, 2];
        let e = bind_err(vec![("name", Column::text(&offsets, &bad_utf8, None))]);
        assert_eq!(e, ("invalid_value".into(), "t.name[1]".into()));
        let back = [0, 2, 1];
        let e = bind_err(vec![("name", Column::text(&back, b"ab", None))]);
        assert_eq!(e, ("invalid_value".into(), "t.name".into()));
        let beyond = [0, 5];
        let e = bind_err(vec![("name", Column::text(&beyond, b"ab", None))]);
        assert_eq!(e, ("invalid_value".into(), "t.name".into()));
        let (off, data) = Column::text_buffers(&[Some("x")]);
        let codes = Column::Codes {
            keys: vec![0, 3].into(),
            values: Box::new(Column::text(&off, &data, None)),
            validity: None,
        };
        let e = bind_err(vec![("name", codes)]);
        assert_eq!(e, ("invalid_value".into(), "t.name[1]".into()));
    }

    #[test]
    fn dictionary_values_are_checked_by_the_rows_that_use_them() {
        // Value 1 is not UTF-8 and value 3 ends beyond the data; value 2 is fine.
        let data = [b'a', 0xff, b'b', b'c'];
        let offsets = [0, 1, 2, 3, 9];
        // A small dictionary is checked value by value, a large one (over 64 values per row)
        // row by row: both name the first row that uses a bad value, and neither minds a bad
        // value no row uses.
        for pad in [0usize, 300] {
            let mut offsets = offsets.to_vec();
            offsets.extend(std::iter::repeat_n(9, pad));
            let codes = |keys: Vec<u32>| Column::Codes {
                keys: keys.into(),
                values: Box::new(Column::text(&offsets, &data, None)),
                validity: None,
            };
            let t = Table::new(vec![("name".into(), codes(vec![0, 2, 2, 0]))]);
            let f = SCHEMA.bind(&t).unwrap().field("name").unwrap();
            assert_eq!(f.text(1).unwrap(), Some("b"));
            let e = bind_err(vec![("name", codes(vec![0, 2, 1, 1]))]);
            assert_eq!(e, ("invalid_value".into(), "t.name[2]".into()));
            let e = bind_err(vec![("name", codes(vec![2, 3]))]);
            assert_eq!(e, ("invalid_value".into(), "t.name[1]".into()));
            // Values are checked in the dictionary's order, rows still named in theirs.
            let e = bind_err(vec![("name", codes(vec![0, 3, 1]))]);
            assert_eq!(e, ("invalid_value".into(), "t.name[1]".into()));
        }
    }

    #[test]
    fn a_check_left_to_the_caller_still_comes_first() {
        let (off, data) = (vec![0, 1, 2], vec![b'a', 0xff]);
        let codes = |keys: Vec<u32>| Column::Codes {
            keys: keys.into(),
            values: Box::new(Column::text(&off, &data, None)),
            validity: None,
        };
        let floats = Column::Float {
            values: vec![1.0; 2].into(),
            validity: None,
        };
        // Left unchecked when the table is otherwise sound; reported before a later column's
        // error when it is bad, as `bind` reports it.
        let t = Table::new(vec![("name".into(), codes(vec![0, 1]))]);
        assert!(SCHEMA.bind_except(&t, "name").is_ok());
        assert_eq!(SCHEMA.bind(&t).unwrap_err().path, "t.name[1]");
        for (keys, at) in [(vec![0, 1], "t.name[1]"), (vec![0, 0], "t.n")] {
            let t = Table::new(vec![
                ("name".into(), codes(keys)),
                ("n".into(), floats.clone()),
            ]);
            let e = SCHEMA.bind_except(&t, "name").unwrap_err();
            assert_eq!(e.path, at);
            assert_eq!(e, SCHEMA.bind(&t).unwrap_err());
        }
    }

    #[test]
    fn an_empty_dictionary_holds_any_kind() {
        let codes = |keys: Vec<u32>, validity| Column::Codes {
            keys: keys.into(),
            values: Box::new(ints(&[])),
            validity,
        };
        let none = Bits::pack([false, false]);
        let t = Table::new(vec![(
            "name".into(),
            codes(vec![0, 0], Bits::new(&none, 0, 2)),
        )]);
        let b = SCHEMA.bind(&t).unwrap();
        assert_eq!(b.field("name").unwrap().text(1).unwrap(), None);
        let e = bind_err(vec![("name", codes(vec![0, 0], None))]);
        assert_eq!(e, ("invalid_value".into(), "t.name[0]".into()));
    }

    #[test]
    fn key_sets_walk_the_keys_used_in_order() {
        let validity = Bits::pack([true, true, false, true, true]);
        let validity = Bits::new(&validity, 0, 5).unwrap();
        let (used, outside) = KeySet::new(&[130, 2, 7, 2, 64], Some(&validity), 131);
        assert!(!outside);
        assert_eq!(used.iter().collect::<Vec<_>>(), [2, 64, 130]);
        assert_eq!([2, 64, 130].map(|k| used.rank(k)), [0, 1, 2]);
        assert_eq!(used.len(), 3);
        assert!(KeySet::new(&[3, 131], None, 131).1);
    }

    #[test]
    fn cells_are_checked_one_by_one() {
        let cells = Column::Cells(vec![Cell::Text("a".into()), Cell::Int(3), Cell::Null].into());
        let t = Table::new(vec![("name".into(), cells)]);
        let b = SCHEMA.bind(&t).unwrap();
        let f = b.field("name").unwrap();
        assert_eq!(f.text(0).unwrap(), Some("a"));
        assert_eq!(f.text(1).unwrap_err().path, "t.name[1]");
        assert_eq!(f.text(2).unwrap(), None);
        assert_eq!(f.missing(2).code(), "missing_field");
    }

    #[test]
    fn time_cells_read_as_instants_and_not_as_text() {
        const TIMES: Schema = Schema {
            arg: "t",
            columns: &[Spec::required("at", Kind::Instant)],
            open: false,
        };
        let cells = Column::Cells(
            vec![
                Cell::Time(1_767_225_600_500_000, TimeUnit::Micros),
                Cell::Text("2026-01-01T08:00:00+08:00".into()),
                Cell::Int(-1),
            ]
            .into(),
        );
        let t = Table::new(vec![("at".into(), cells)]);
        let b = TIMES.bind(&t).unwrap();
        let f = b.field("at").unwrap();
        let at = |i| f.instant(i).unwrap().unwrap().to_rfc3339();
        assert_eq!(at(0), "2026-01-01T00:00:00.500+00:00");
        assert_eq!(at(1), "2026-01-01T00:00:00+00:00");
        assert_eq!(at(2), "1969-12-31T23:59:59+00:00");
        assert_eq!(f.text(0).unwrap_err().path, "t.at[0]");
    }

    #[test]
    fn flags_are_booleans_or_zero_and_one() {
        const FLAGS: Schema = Schema {
            arg: "t",
            columns: &[Spec::required("won", Kind::Flag)],
            open: false,
        };
        let t = Table::new(vec![("won".into(), ints(&[0, 1, 2]))]);
        let b = FLAGS.bind(&t).unwrap();
        let f = b.field("won").unwrap();
        assert_eq!(
            (f.flag(0).unwrap(), f.flag(1).unwrap()),
            (Some(false), Some(true))
        );
        let e = f.flag(2).unwrap_err();
        assert_eq!((e.code(), e.path.as_str()), ("invalid_value", "t.won[2]"));
        let floats = Column::Float {
            values: vec![1.0].into(),
            validity: None,
        };
        let t = Table::new(vec![("won".into(), floats)]);
        assert_eq!(FLAGS.bind(&t).unwrap_err().path, "t.won");
    }

    #[test]
    fn validity_and_first_row() {
        let (off, data) = Column::text_buffers(&[Some("a"), None]);
        let valid = Bits::new(&[0b01], 0, 2);
        let mut t = Table::new(vec![("name".into(), Column::text(&off, &data, valid))]);
        t.first_row = 10;
        let b = SCHEMA.bind(&t).unwrap();
        let f = b.field("name").unwrap();
        assert_eq!(f.text(1).unwrap(), None);
        assert_eq!(f.at(1), "t.name[11]");
        assert!(b.field("n").is_none());
        let short = Bits::new(&[0], 0, 1);
        let t = Table::new(vec![("name".into(), Column::text(&off, &data, short))]);
        assert_eq!(SCHEMA.bind(&t).unwrap_err().path, "t.name");
        // The layout check names bad rows from `first_row` too.
        let (off, data) = (vec![0, 1, 2], vec![b'a', 0xff]);
        let codes = Column::Codes {
            keys: vec![0, u32::MAX].into(),
            values: Box::new(Column::text(&off, &data, None)),
            validity: None,
        };
        for (col, msg) in [
            (Column::text(&off, &data, None), "text is not UTF-8"),
            (codes, "dictionary key is out of range for 2 values"),
        ] {
            let mut t = Table::new(vec![("name".into(), col)]);
            t.first_row = 10;
            let e = SCHEMA.bind(&t).unwrap_err();
            let kind = FieldErrorKind::InvalidValue(msg.into());
            assert_eq!((e.path.as_str(), e.kind), ("t.name[11]", kind));
        }
    }
}
