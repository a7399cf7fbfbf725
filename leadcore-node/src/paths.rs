//! Path counts from JavaScript, read in batches.
//!
//! Path counts are the large attribution input, so they are read [`BATCH_ROWS`] rows at a time
//! into a [`PathBatch`] (one string buffer per batch) rather than converted whole. Three forms:
//! - Arrow IPC bytes ([`crate::arrow`]);
//! - columns: `{path: string[], conversions?, nulls?, value?}` of equal length, the number
//!   columns arrays or typed arrays ([`crate::host`]);
//! - rows: an array of `{path, conversions, nulls, value}` objects (plain ones read field by
//!   field, others converted like any argument).
//!
//! Tables go through the core's table layer (`PathBatch::from_table`): errors name the column
//! and row, `paths.conversions[17]`; rows name the item, `paths[17].conversions`. Errors are
//! returned as [`Failure`]s, not thrown, so that the caller throws only the error it reports
//! (the first bad row's).

use leadcore::attribution::{PathBatch, PathCount};
use leadcore::table::arrow::table;
use leadcore::{FieldErrorKind, InputError};
use napi::bindgen_prelude::{FromNapiValue, JsObjectValue, Object};
use napi::{Env, JsValue, Unknown, ValueType};

use crate::arrow::{RecordBatch, ipc_batches};
use crate::conv::{chunks, json_value, push_utf8, scoped};
use crate::errors::Failure;
use crate::host::HostTable;

/// Rows converted per batch.
pub const BATCH_ROWS: u32 = 65_536;

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

/// A non-negative integral number within 2^53.
fn as_count(n: Option<f64>) -> Option<u64> {
    n.filter(|n| n.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER).contains(n))
        .map(|n| n as u64)
}

enum Source<'a> {
    /// The record batches of Arrow IPC bytes, and the next one.
    Ipc(Vec<RecordBatch>, usize),
    /// An object of columns, read [`BATCH_ROWS`] rows at a time (at once when its columns'
    /// lengths differ, for the core to name the odd one).
    Host(HostTable<'a>, u32),
    /// An array of row objects, its length, and the row fields' names as JS strings (made
    /// once, so that a row's fields are fetched without making a key per row).
    Rows(Object<'a>, u32, [Unknown<'a>; 4]),
}

/// Path counts read batch by batch from a JS argument.
pub struct PathSource<'a> {
    source: Source<'a>,
    arg: String,
    /// The next row.
    next: usize,
    /// Whether every batch (or an error) was handed out.
    done: bool,
    defaults: PathCount,
    /// The error of a bad row, returned after the batch of the good rows before it.
    pending: Option<Failure>,
    /// The argument (its environment opens the reading's handle scopes).
    anchor: Unknown<'a>,
}

impl<'a> PathSource<'a> {
    /// Checks the form of `v` (Arrow IPC bytes, an object of columns, or an array of rows).
    pub fn new(v: &Unknown<'a>, arg: &str) -> Result<Self, Failure> {
        let defaults: PathCount = leadcore::input::from_value(serde_json::json!({"path": ""}))
            .map_err(|e| Failure::Lead(e.into()))?;
        let source = if let Some(batches) = ipc_batches(v, arg)? {
            Source::Ipc(batches, 0)
        } else if let Some(table) = HostTable::of(v, arg)? {
            let step = if table.uniform() {
                BATCH_ROWS
            } else {
                u32::MAX
            };
            Source::Host(table, step)
        } else if v.get_type()? == ValueType::Object && v.is_array()? {
            let obj = v.coerce_to_object()?;
            let len = obj.get_array_length()?;
            let env = Env::from_raw(v.value().env);
            let key = |name: &str| -> napi::Result<Unknown<'a>> {
                let key = env.create_string(name)?;
                // SAFETY: `key` is a string just made in this call's handle scope, which
                // outlives the source (it lives as long as the argument `v`).
                unsafe { Unknown::from_napi_value(env.raw(), key.raw()) }
            };
            let keys = [
                key("path")?,
                key("conversions")?,
                key("nulls")?,
                key("value")?,
            ];
            Source::Rows(obj, len, keys)
        } else {
            // Neither rows nor a table: the general conversion explains what is wrong.
            from_value::<Vec<PathCount>>(v, arg)?;
            return Err(input_error(
                FieldErrorKind::InvalidType("expected an array or columns".into()),
                arg.into(),
            ));
        };
        Ok(Self {
            source,
            arg: arg.to_string(),
            next: 0,
            done: false,
            defaults,
            pending: None,
            anchor: *v,
        })
    }

    /// The next batch. On a bad row of an array: the good rows before it, then its error, then
    /// the end.
    pub fn next_batch(&mut self) -> Option<Result<PathBatch, Failure>> {
        if let Some(e) = self.pending.take() {
            return Some(Err(e));
        }
        if self.done {
            return None;
        }
        let start = self.next;
        let (out, end) = match &mut self.source {
            Source::Ipc(batches, k) => {
                let batch = batches.get(*k)?;
                *k += 1;
                self.done = *k >= batches.len();
                let out = table(batch, &self.arg, start)
                    .and_then(|t| PathBatch::from_table(&t))
                    .map_err(|e| Failure::Lead(e.into()));
                (out, start + batch.num_rows())
            }
            // A table without rows is still read once, to check its columns.
            Source::Host(t, step) => {
                let rows = t.rows();
                let a = u32::try_from(start).unwrap_or(u32::MAX);
                let end = a.saturating_add(*step).min(rows);
                self.done = end >= rows;
                let out = t.batch(a, end).and_then(|b| {
                    let view = b.table()?;
                    PathBatch::from_table(&view).map_err(|e| Failure::Lead(e.into()))
                });
                (out, end as usize)
            }
            Source::Rows(arr, len, keys) => {
                let a = u32::try_from(start).unwrap_or(u32::MAX);
                let end = a.saturating_add(BATCH_ROWS).min(*len);
                self.done = end >= *len;
                let (arr, keys) = (*arr, *keys);
                (self.rows(&arr, &keys, a, end), end as usize)
            }
        };
        self.next = end;
        self.done |= out.is_err() || self.pending.is_some();
        Some(out)
    }

    /// Rows `start..end` of an array of row objects: the batch of the rows before the first bad
    /// one (whose error is kept for the next call).
    fn rows(
        &mut self,
        arr: &Object<'_>,
        keys: &[Unknown<'_>; 4],
        start: u32,
        end: u32,
    ) -> Result<PathBatch, Failure> {
        let mut rows = Rows::default();
        let mut failed = None;
        // A handle scope per few hundred rows keeps the live JS handles bounded.
        for (a, b) in chunks(start, end) {
            let scope = scoped(&self.anchor, || {
                for i in a..b {
                    if let Err(e) = self.row(arr, keys, i, &mut rows) {
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
            if rows.ends.is_empty() {
                return Err(e);
            }
            self.pending = Some(e);
        }
        rows.into_batch(&self.arg)
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
    fn row(
        &self,
        arr: &Object<'_>,
        keys: &[Unknown<'_>; 4],
        i: u32,
        rows: &mut Rows,
    ) -> Result<(), Failure> {
        let item = crate::conv::element(arr, i, &self.arg)?;
        if !self.plain_row(&item, keys, rows)? {
            rows.push(&from_value::<PathCount>(
                &item,
                &format!("{}[{i}]", self.arg),
            )?);
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
