//! Path counts from JavaScript, read in batches.
//!
//! Path counts are the large attribution input, so they are read [`BATCH_ROWS`] rows at a time
//! into a [`PathBatch`] (one string buffer per batch) rather than converted whole. Two forms:
//! - rows: an array of `{path, conversions, nulls, value}` objects (each converted like any
//!   argument);
//! - columns: `{path: string[], conversions?, nulls?, value?}` of equal length, the number
//!   columns arrays or typed arrays, read cell by cell without intermediate JSON. A cell that
//!   is not a plain string / number goes through the general conversion, so values and errors
//!   are the same as for the JSON form.
//!
//! Errors name row `i` as `paths[i]` in both forms. They are returned as [`Failure`]s, not
//! thrown, so that the caller throws only the error it reports (the first bad row's).

use leadcore::attribution::{PathBatch, PathCount};
use leadcore::{FieldErrorKind, InputError};
use napi::bindgen_prelude::{JsObjectValue, Object};
use napi::{JsValue, Unknown, ValueType};
use serde_json::{Map, Value};

use crate::conv::json_value;
use crate::errors::Failure;

/// Rows converted per batch.
pub const BATCH_ROWS: u32 = 65_536;

/// The columns of a path-count table.
const PATH_FIELDS: [&str; 4] = ["path", "conversions", "nulls", "value"];

/// Largest integer a JS number holds exactly (2^53 − 1).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

fn input_error(kind: FieldErrorKind, path: String) -> Failure {
    Failure::Lead(InputError::new(kind, path).into())
}

/// Reads `v` into the input type `T`, errors located at `path`.
fn from_value<T: serde::de::DeserializeOwned>(v: &Unknown<'_>, path: &str) -> Result<T, Failure> {
    if matches!(v.get_type()?, ValueType::Undefined | ValueType::Null) {
        let msg = format!("missing field `{path}`");
        return Err(input_error(FieldErrorKind::MissingField(msg), path.into()));
    }
    let value = json_value(v, path)?;
    leadcore::input::from_value(value).map_err(|e| Failure::Lead(e.at(path).into()))
}

/// One path count (e.g. `addPath`'s argument), errors located at `arg`.
pub fn path_count(v: &Unknown<'_>, arg: &str) -> Result<PathCount, Failure> {
    from_value(v, arg)
}

/// An array, or an array-like object (typed array) with a `length`.
struct Column<'a> {
    obj: Object<'a>,
    len: u32,
}

impl<'a> Column<'a> {
    fn new(v: &Unknown<'a>) -> napi::Result<Option<Self>> {
        if v.get_type()? != ValueType::Object {
            return Ok(None);
        }
        let obj: Object<'a> = v.coerce_to_object()?;
        let len = if v.is_array()? {
            obj.get_array_length()?
        } else if v.is_typedarray()? {
            obj.get_named_property::<u32>("length")?
        } else {
            return Ok(None);
        };
        Ok(Some(Self { obj, len }))
    }
}

fn number(v: &Unknown<'_>) -> napi::Result<Option<f64>> {
    if v.get_type()? != ValueType::Number {
        return Ok(None);
    }
    Ok(Some(v.coerce_to_number()?.get_double()?))
}

/// A non-negative integral number within 2^53.
fn count(v: &Unknown<'_>) -> napi::Result<Option<u64>> {
    Ok(number(v)?
        .filter(|n| n.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER).contains(n))
        .map(|n| n as u64))
}

fn amount(v: &Unknown<'_>) -> napi::Result<Option<f64>> {
    Ok(number(v)?.filter(|n| n.is_finite()))
}

enum Source<'a> {
    /// An array of row objects.
    Rows(Object<'a>),
    /// Equal-length columns of paths, conversions, nulls, values.
    Columns([Option<Column<'a>>; 4]),
}

/// Path counts read batch by batch from a JS argument.
pub struct PathSource<'a> {
    source: Source<'a>,
    arg: String,
    len: u32,
    next: u32,
    defaults: PathCount,
    /// The error of a bad row, returned after the batch of the good rows before it.
    pending: Option<Failure>,
}

impl<'a> PathSource<'a> {
    /// Checks the form of `v` (an array of rows, or columns with known names and equal lengths).
    pub fn new(v: &Unknown<'a>, arg: &str) -> Result<Self, Failure> {
        let defaults: PathCount = leadcore::input::from_value(serde_json::json!({"path": ""}))
            .map_err(|e| Failure::Lead(e.into()))?;
        let (source, len) = if v.get_type()? == ValueType::Object && v.is_array()? {
            let obj = v.coerce_to_object()?;
            let len = obj.get_array_length()?;
            (Source::Rows(obj), len)
        } else if v.get_type()? == ValueType::Object {
            Self::columns(&v.coerce_to_object()?, arg)?
        } else {
            // Neither rows nor columns: the general conversion explains what is wrong.
            from_value::<Vec<PathCount>>(v, arg)?;
            return Err(input_error(
                FieldErrorKind::InvalidType("expected an array or columns".into()),
                arg.into(),
            ));
        };
        Ok(Self {
            source,
            arg: arg.to_string(),
            len,
            next: 0,
            defaults,
            pending: None,
        })
    }

    fn columns(table: &Object<'a>, arg: &str) -> Result<(Source<'a>, u32), Failure> {
        let mut cols: [Option<Column<'a>>; 4] = [None, None, None, None];
        let names: Object<'_> = table.get_property_names()?;
        for k in 0..names.get_array_length()? {
            let key: Unknown<'_> = names.get_element(k)?;
            let name = key.coerce_to_string()?.into_utf8()?.into_owned()?;
            let item: Unknown<'a> = table.get_named_property(&name)?;
            if item.get_type()? == ValueType::Undefined {
                continue;
            }
            let Some(slot) = PATH_FIELDS
                .iter()
                .position(|f| *f == name)
                .and_then(|i| cols.get_mut(i))
            else {
                let msg = format!(
                    "unknown field `{name}`, expected one of `path`, `conversions`, `nulls`, `value`"
                );
                return Err(input_error(
                    FieldErrorKind::UnknownField(msg),
                    format!("{arg}.{name}"),
                ));
            };
            match Column::new(&item)? {
                Some(c) => *slot = Some(c),
                None => {
                    let msg = format!("invalid type: column `{name}` must be an array");
                    return Err(input_error(
                        FieldErrorKind::InvalidType(msg),
                        format!("{arg}.{name}"),
                    ));
                }
            }
        }
        let Some(Some(path)) = cols.first() else {
            return Err(input_error(
                FieldErrorKind::MissingField("missing field `path`".into()),
                format!("{arg}.path"),
            ));
        };
        let len = path.len;
        for (name, col) in PATH_FIELDS.iter().zip(&cols).skip(1) {
            if let Some(c) = col
                && c.len != len
            {
                let msg = format!("column `{name}` has {} rows, `path` has {len}", c.len);
                return Err(input_error(
                    FieldErrorKind::InvalidValue(msg),
                    format!("{arg}.{name}"),
                ));
            }
        }
        Ok((Source::Columns(cols), len))
    }

    /// The next batch. On a bad row: the good rows before it, then its error, then the end.
    pub fn next_batch(&mut self) -> Option<Result<PathBatch, Failure>> {
        if let Some(e) = self.pending.take() {
            return Some(Err(e));
        }
        if self.next >= self.len {
            return None;
        }
        let (start, end) = (
            self.next,
            self.next.saturating_add(BATCH_ROWS).min(self.len),
        );
        self.next = end;
        let mut batch = PathBatch::new();
        for i in start..end {
            if let Err(e) = self.row(i, &mut batch) {
                self.next = self.len;
                if batch.is_empty() {
                    return Some(Err(e));
                }
                self.pending = Some(e);
                break;
            }
        }
        Some(Ok(batch))
    }

    /// Appends row `i`, fast when plain, else through the general conversion.
    fn row(&self, i: u32, batch: &mut PathBatch) -> Result<(), Failure> {
        let at = || format!("{}[{i}]", self.arg);
        match &self.source {
            Source::Rows(arr) => {
                let item: Unknown<'_> = arr.get_element(i)?;
                batch.push_count(&from_value::<PathCount>(&item, &at())?);
            }
            Source::Columns(cols) => {
                let mut cells: [Option<Unknown<'_>>; 4] = [None, None, None, None];
                for (cell, col) in cells.iter_mut().zip(cols) {
                    if let Some(c) = col {
                        *cell = Some(c.obj.get_element::<Unknown<'_>>(i)?);
                    }
                }
                let [p, c, u, v] = &cells;
                let d = &self.defaults;
                let plain = match p {
                    Some(p) if p.get_type()? == ValueType::String => {
                        let c = c.as_ref().map_or(Ok(Some(d.conversions)), count)?;
                        let u = u.as_ref().map_or(Ok(Some(d.nulls)), count)?;
                        let v = v.as_ref().map_or(Ok(Some(d.value)), amount)?;
                        c.zip(u).zip(v).map(|((c, u), v)| (p, c, u, v))
                    }
                    _ => None,
                };
                match plain {
                    Some((p, c, u, v)) => {
                        let text = p.coerce_to_string()?.into_utf8()?;
                        batch.push(text.as_str()?, c, u, v);
                    }
                    None => {
                        let at = at();
                        let mut map = Map::new();
                        for (name, cell) in PATH_FIELDS.iter().zip(&cells) {
                            if let Some(x) = cell {
                                map.insert(
                                    name.to_string(),
                                    json_value(x, &format!("{at}.{name}"))?,
                                );
                            }
                        }
                        let row: PathCount = leadcore::input::from_value(Value::Object(map))
                            .map_err(|e| Failure::Lead(e.at(&at).into()))?;
                        batch.push_count(&row);
                    }
                }
            }
        }
        Ok(())
    }
}
