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
use napi::bindgen_prelude::{FromNapiValue, JsObjectValue, Object, TypedArray, TypedArrayType};
use napi::{Env, JsValue, Unknown, ValueType};
use serde_json::{Map, Value};

use crate::conv::{chunks, json_value, push_utf8, scoped};
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

/// An array, or a typed array (whose numbers are read from its memory).
struct Column<'a> {
    obj: Object<'a>,
    len: u32,
    typed: Option<TypedArray<'a>>,
}

impl<'a> Column<'a> {
    fn new(v: &Unknown<'a>) -> napi::Result<Option<Self>> {
        if v.get_type()? != ValueType::Object {
            return Ok(None);
        }
        let obj: Object<'a> = v.coerce_to_object()?;
        let (len, typed) = if v.is_array()? {
            (obj.get_array_length()?, None)
        } else if v.is_typedarray()? {
            let typed = TypedArray::from_unknown(*v)?;
            (crate::conv::typed_len(&typed), Some(typed))
        } else {
            return Ok(None);
        };
        Ok(Some(Self { obj, len, typed }))
    }

    /// Element `i` when it is a number: read from memory for typed arrays of numbers, else
    /// through N-API. `None` for anything else (BigInt typed arrays included).
    fn number(&self, i: u32) -> napi::Result<Option<f64>> {
        let Some(t) = &self.typed else {
            return number(&self.obj.get_element::<Unknown<'_>>(i)?);
        };
        let i = i as usize;
        let bytes: &[u8] = &t.arraybuffer;
        fn at<const N: usize>(b: &[u8], i: usize) -> Option<[u8; N]> {
            b.get(i * N..(i + 1) * N)
                .and_then(|s| <[u8; N]>::try_from(s).ok())
        }
        Ok(match t.typed_array_type {
            TypedArrayType::Float64 => at(bytes, i).map(f64::from_ne_bytes),
            TypedArrayType::Float32 => at(bytes, i).map(|b| f64::from(f32::from_ne_bytes(b))),
            TypedArrayType::Uint32 => at(bytes, i).map(|b| f64::from(u32::from_ne_bytes(b))),
            TypedArrayType::Int32 => at(bytes, i).map(|b| f64::from(i32::from_ne_bytes(b))),
            TypedArrayType::Uint16 => at(bytes, i).map(|b| f64::from(u16::from_ne_bytes(b))),
            TypedArrayType::Int16 => at(bytes, i).map(|b| f64::from(i16::from_ne_bytes(b))),
            TypedArrayType::Uint8 | TypedArrayType::Uint8Clamped => {
                bytes.get(i).map(|&b| f64::from(b))
            }
            TypedArrayType::Int8 => at(bytes, i).map(|b| f64::from(i8::from_ne_bytes(b))),
            _ => None,
        })
    }
}

/// A non-negative integral number within 2^53.
fn as_count(n: Option<f64>) -> Option<u64> {
    n.filter(|n| n.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER).contains(n))
        .map(|n| n as u64)
}

fn number(v: &Unknown<'_>) -> napi::Result<Option<f64>> {
    if v.get_type()? != ValueType::Number {
        return Ok(None);
    }
    Ok(Some(v.coerce_to_number()?.get_double()?))
}

enum Source<'a> {
    /// An array of row objects, and the row fields' names as JS strings (made once, so that a
    /// row's fields are fetched without making a key per row).
    Rows(Object<'a>, [Unknown<'a>; 4]),
    /// Equal-length columns of paths, conversions, nulls, values.
    Columns(Box<[Option<Column<'a>>; 4]>),
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
    /// The argument (its environment opens the reading's handle scopes).
    anchor: Unknown<'a>,
}

impl<'a> PathSource<'a> {
    /// Checks the form of `v` (an array of rows, or columns with known names and equal lengths).
    pub fn new(v: &Unknown<'a>, arg: &str) -> Result<Self, Failure> {
        let defaults: PathCount = leadcore::input::from_value(serde_json::json!({"path": ""}))
            .map_err(|e| Failure::Lead(e.into()))?;
        let (source, len) = if v.get_type()? == ValueType::Object && v.is_array()? {
            let obj = v.coerce_to_object()?;
            let len = obj.get_array_length()?;
            let env = Env::from_raw(v.value().env);
            let key = |name: &str| -> napi::Result<Unknown<'a>> {
                let key = env.create_string(name)?;
                // SAFETY: `key` is a string just made in this call's handle scope, which
                // outlives the source (it lives as long as the argument `v`).
                unsafe { Unknown::from_napi_value(env.raw(), key.raw()) }
            };
            let [p, c, u, val] = PATH_FIELDS;
            let keys = [key(p)?, key(c)?, key(u)?, key(val)?];
            (Source::Rows(obj, keys), len)
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
            anchor: *v,
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
        Ok((Source::Columns(Box::new(cols)), len))
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
        let mut rows = Rows::default();
        let mut failed = None;
        // A handle scope per few hundred rows keeps the live JS handles bounded.
        for (a, b) in chunks(start, end) {
            let scope = scoped(&self.anchor, || {
                for i in a..b {
                    if let Err(e) = self.row(i, &mut rows) {
                        return Ok(Some(e));
                    }
                }
                Ok::<_, napi::Error>(None)
            });
            failed = match scope {
                Ok(e) => e,
                Err(e) => Some(e.into()),
            };
            if failed.is_some() {
                break;
            }
        }
        if let Some(e) = failed {
            self.next = self.len;
            if rows.ends.is_empty() {
                return Some(Err(e));
            }
            self.pending = Some(e);
        }
        Some(rows.into_batch(&self.arg))
    }

    /// Appends row object `item` when it is plain: an object (not an array) whose own and
    /// inherited enumerable keys are `path` (a string) and any of `conversions` / `nulls`
    /// (integers from 0 to 2^53) and `value` (a finite number). False, with nothing appended,
    /// for anything else: the general conversion then decides, with the same result for a
    /// plain row (fields are fetched by the same keys; a value of -0 is 0 there too).
    fn plain_row(
        &self,
        item: &Unknown<'_>,
        keys: &[Unknown<'_>; 4],
        rows: &mut Rows,
    ) -> napi::Result<bool> {
        if item.get_type()? != ValueType::Object || item.is_array()? || item.is_date()? {
            return Ok(false);
        }
        let obj: Object<'_> = item.coerce_to_object()?;
        let [kp, kc, ku, kv] = keys;
        let mark = rows.text.len();
        if !push_utf8(&obj.get_property::<_, Unknown<'_>>(*kp)?, &mut rows.text)? {
            return Ok(false);
        }
        let mut seen = 1;
        // `Some(None)`: absent; `Some(Some(x))`: a number; `None`: anything else.
        let mut field = |key: &Unknown<'_>| -> napi::Result<Option<Option<f64>>> {
            let v: Unknown<'_> = obj.get_property(*key)?;
            match v.get_type()? {
                ValueType::Undefined => Ok(Some(None)),
                ValueType::Number => {
                    seen += 1;
                    Ok(Some(Some(v.coerce_to_number()?.get_double()?)))
                }
                _ => Ok(None),
            }
        };
        let d = &self.defaults;
        let (c, u, v) = (field(kc)?, field(ku)?, field(kv)?);
        let plain = (|| {
            let c = c?.map_or(Some(d.conversions), |x| as_count(Some(x)))?;
            let u = u?.map_or(Some(d.nulls), |x| as_count(Some(x)))?;
            let v = v?.map_or(Some(d.value), |x| x.is_finite().then_some(x + 0.0))?;
            Some((c, u, v))
        })();
        match plain {
            Some((c, u, v)) if obj.get_property_names()?.get_array_length()? == seen => {
                rows.ends.push((rows.text.len(), c, u, v));
                Ok(true)
            }
            _ => {
                rows.text.truncate(mark);
                Ok(false)
            }
        }
    }

    /// Appends row `i`, fast when plain, else through the general conversion.
    fn row(&self, i: u32, rows: &mut Rows) -> Result<(), Failure> {
        let at = || format!("{}[{i}]", self.arg);
        match &self.source {
            Source::Rows(arr, keys) => {
                let item = crate::conv::element(arr, i, &self.arg)?;
                if !self.plain_row(&item, keys, rows)? {
                    rows.push(&from_value::<PathCount>(&item, &at())?);
                }
            }
            Source::Columns(cols) => {
                let [p, c, u, v] = cols.as_ref();
                let d = &self.defaults;
                let path = match p {
                    Some(p) => Some(p.obj.get_element::<Unknown<'_>>(i)?),
                    None => None,
                };
                // The path is appended when it is a string (`push_utf8` says whether it was),
                // and taken back when a count is not plain.
                let mark = rows.text.len();
                let plain = match &path {
                    Some(p) if push_utf8(p, &mut rows.text)? => {
                        let count = |col: &Option<Column<'_>>, default: u64| match col {
                            Some(col) => col.number(i).map(as_count),
                            None => Ok(Some(default)),
                        };
                        let c = count(c, d.conversions)?;
                        let u = count(u, d.nulls)?;
                        let v = match v {
                            Some(col) => col.number(i)?.filter(|x| x.is_finite()),
                            None => Some(d.value),
                        };
                        c.zip(u).zip(v)
                    }
                    _ => None,
                };
                match plain {
                    Some(((c, u), v)) => rows.ends.push((rows.text.len(), c, u, v)),
                    None => {
                        // The general conversion of this row decides (and names the error).
                        rows.text.truncate(mark);
                        let at = at();
                        let mut map = Map::new();
                        for (name, col) in PATH_FIELDS.iter().zip(cols.iter()) {
                            if let Some(col) = col {
                                let cell = col.obj.get_element::<Unknown<'_>>(i)?;
                                map.insert(
                                    name.to_string(),
                                    json_value(&cell, &format!("{at}.{name}"))?,
                                );
                            }
                        }
                        let row: PathCount = leadcore::input::from_value(Value::Object(map))
                            .map_err(|e| Failure::Lead(e.at(&at).into()))?;
                        rows.push(&row);
                    }
                }
            }
        }
        Ok(())
    }
}

/// The rows of a batch as they are read: their paths' text back to back and, per row, where
/// its path ends and its counts.
#[derive(Default)]
struct Rows {
    text: Vec<u8>,
    ends: Vec<(usize, u64, u64, f64)>,
}

impl Rows {
    fn push(&mut self, p: &PathCount) {
        self.text.extend_from_slice(p.path.as_bytes());
        self.ends
            .push((self.text.len(), p.conversions, p.nulls, p.value));
    }

    /// The batch (N-API writes UTF-8 whole characters, so the checks cannot fail in practice;
    /// they would name the argument).
    fn into_batch(self, arg: &str) -> Result<PathBatch, Failure> {
        let text = String::from_utf8(self.text).map_err(|_| {
            input_error(
                FieldErrorKind::InvalidValue("text is not UTF-8".into()),
                arg.into(),
            )
        })?;
        let mut batch = PathBatch::from_text(text);
        for (end, c, u, v) in self.ends {
            if !batch.push_end(end, c, u, v) {
                let msg = "a path ends inside a character".into();
                return Err(input_error(FieldErrorKind::InvalidValue(msg), arg.into()));
            }
        }
        Ok(batch)
    }
}
