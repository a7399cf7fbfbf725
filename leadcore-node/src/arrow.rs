//! Tables as Arrow IPC: a `Uint8Array` / `Buffer` holding apache-arrow's `tableToIPC` output
//! (stream or file format), read with arrow-rs' IPC reader and handed to the core as
//! `leadcore::table` views. Objects of columns are host tables ([`crate::host`]);
//! [`read_tables`] takes either.

use std::io::Cursor;

use arrow_ipc::reader::{FileReader, StreamReader};
use leadcore::lead::leads_from_tables;
use leadcore::score::columns::event_rows_from_tables;
use leadcore::table::Table;
use leadcore::table::arrow::{normalize_batch, normalize_dictionaries, table};
use leadcore::{Event, FieldErrorKind, InputError, Lead};
use napi::bindgen_prelude::{FromNapiValue, TypedArray, TypedArrayType};
use napi::{Env, JsValue, Unknown, ValueType};

pub use arrow_array::RecordBatch;

use crate::conv::from_js;
use crate::errors::{Failure, throw, throw_lead};
use crate::host::HostTable;
use crate::paths::BATCH_ROWS;

/// The file format's leading magic bytes (the stream format has none).
const FILE_MAGIC: &[u8] = b"ARROW1";

/// The record batches of `v` when it is a `Uint8Array` (a Node `Buffer` is one), read as Arrow
/// IPC and normalized; `None` for any other value. Unreadable bytes are an `invalid_value`
/// error at `arg`.
pub fn ipc_batches(v: &Unknown<'_>, arg: &str) -> Result<Option<Vec<RecordBatch>>, Failure> {
    if v.get_type()? != ValueType::Object || !v.is_typedarray()? {
        return Ok(None);
    }
    let typed = TypedArray::from_unknown(*v)?;
    if typed.typed_array_type != TypedArrayType::Uint8 {
        return Ok(None);
    }
    // The view's own bytes (napi hands the typed array's range, not its whole buffer).
    let bytes: &[u8] = &typed.arraybuffer;
    let bad = |e: arrow_schema::ArrowError| {
        Failure::Lead(
            InputError::new(
                FieldErrorKind::InvalidValue(format!("unreadable Arrow IPC: {e}")),
                arg,
            )
            .into(),
        )
    };
    let batches: Vec<RecordBatch> = if bytes.starts_with(FILE_MAGIC) {
        FileReader::try_new(Cursor::new(bytes), None)
            .map_err(bad)?
            .collect::<Result<_, _>>()
            .map_err(bad)?
    } else {
        StreamReader::try_new(Cursor::new(bytes), None)
            .map_err(bad)?
            .collect::<Result<_, _>>()
            .map_err(bad)?
    };
    // Large batches (a `tableFromArrays` table is one) are cut into slices of `BATCH_ROWS`
    // rows without copying, so the conversions work a slice at a time.
    let rows = BATCH_ROWS as usize;
    // The slices of a batch share its dictionaries: converted once, before it is cut.
    let batches = batches.iter().map(|b| {
        if b.num_rows() > rows {
            normalize_dictionaries(b)
        } else {
            b.clone()
        }
    });
    let slices = batches.flat_map(|b| {
        (0..b.num_rows().div_ceil(rows).max(1))
            .map(move |k| b.slice(k * rows, rows.min(b.num_rows() - k * rows)))
    });
    Ok(Some(slices.map(|b| normalize_batch(&b)).collect()))
}

/// The core's views of `batches`, rows numbered across them.
pub fn views<'a>(batches: &'a [RecordBatch], arg: &str) -> Result<Vec<Table<'a>>, Failure> {
    let mut first = 0;
    let mut out = Vec::with_capacity(batches.len());
    for b in batches {
        out.push(table(b, arg, first).map_err(|e| Failure::Lead(e.into()))?);
        first += b.num_rows();
    }
    Ok(out)
}

/// What `read` makes of the core's views of `v` when it is Arrow IPC bytes (rows numbered
/// across batches); `None` for any other value.
pub fn read_ipc<T, E: Into<leadcore::Error>>(
    env: &Env,
    v: &Unknown<'_>,
    arg: &str,
    read: impl for<'t> FnOnce(&[Table<'t>]) -> Result<T, E>,
) -> napi::Result<Option<T>> {
    let Some(batches) = ipc_batches(v, arg).map_err(|f| throw(env, f))? else {
        return Ok(None);
    };
    let tables = views(&batches, arg).map_err(|f| throw(env, f))?;
    read(&tables).map(Some).map_err(|e| throw_lead(env, e))
}

/// What `read` makes of the core's views of `v` when it is a table — Arrow IPC bytes (rows
/// numbered across batches) or an object of columns ([`crate::host`]) —; `None` for any other
/// value.
pub fn read_tables<T, E: Into<leadcore::Error>>(
    env: &Env,
    v: &Unknown<'_>,
    arg: &str,
    read: impl for<'t> FnOnce(&[Table<'t>]) -> Result<T, E>,
) -> napi::Result<Option<T>> {
    if let Some(host) = HostTable::of(v, arg).map_err(|f| throw(env, f))? {
        let batch = host.batch(0, u32::MAX).map_err(|f| throw(env, f))?;
        let table = batch.table().map_err(|f| throw(env, f))?;
        return read(std::slice::from_ref(&table))
            .map(Some)
            .map_err(|e| throw_lead(env, e));
    }
    read_ipc(env, v, arg, read)
}

/// An `events` argument of row events: an event table (`lead_id`, `kind`, `at`, …; see
/// `leadcore::score::columns::EVENTS`) as Arrow IPC bytes or columns, or event objects.
pub fn events_arg(env: &Env, v: &Unknown<'_>) -> napi::Result<Vec<Event>> {
    match read_tables(env, v, "events", event_rows_from_tables)? {
        Some(events) => Ok(events),
        None => from_js(env, v, "events"),
    }
}

/// A `leads` argument: a lead table (see `leadcore::lead::LEADS`) as Arrow IPC bytes or
/// columns, or lead objects.
pub fn leads_arg(env: &Env, v: &Unknown<'_>) -> napi::Result<Vec<Lead>> {
    match read_tables(env, v, "leads", leads_from_tables)? {
        Some(leads) => Ok(leads),
        None => from_js(env, v, "leads"),
    }
}
