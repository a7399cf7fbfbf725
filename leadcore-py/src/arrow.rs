//! Tables through the Arrow PyCapsule interface: any object with `__arrow_c_stream__` (pyarrow
//! Tables and RecordBatchReaders, polars DataFrames, DuckDB relations, …) or
//! `__arrow_c_array__` (a pyarrow RecordBatch or struct array) is read batch by batch with
//! arrow-rs' C stream reader and handed to the core as `leadcore::table` views, in place where
//! the layout allows. pandas DataFrames and mappings of columns are host tables
//! ([`crate::host`]); [`read_tables`] takes either.

use std::ffi::CStr;

use arrow_array::ffi::{FFI_ArrowArray, FFI_ArrowSchema, from_ffi};
use arrow_array::ffi_stream::{FFI_ArrowArrayStream, RecordBatchStreamReader};
use arrow_array::{Array, ArrayRef, RecordBatch, StructArray, make_array};
use arrow_schema::DataType;
use leadcore::lead::leads_from_tables;
use leadcore::score::columns::event_rows_from_tables;
use leadcore::table::Table;
use leadcore::table::arrow::{normalize_batch, normalize_dictionaries, table};
use leadcore::{Event, FieldErrorKind, InputError, Lead};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyCapsuleMethods, PyTuple};

use crate::conv::from_py;
use crate::errors::to_py_err;
use crate::host::HostTable;
use crate::paths::BATCH_ROWS;

const STREAM: &CStr = c"arrow_array_stream";
const SCHEMA: &CStr = c"arrow_schema";
const ARRAY: &CStr = c"arrow_array";

fn bad_stream(arg: &str, e: impl std::fmt::Display) -> PyErr {
    to_py_err(InputError::new(
        FieldErrorKind::InvalidValue(format!("unreadable Arrow data: {e}")),
        arg,
    ))
}

/// Whether `obj` is a pandas DataFrame (read by the column readers, not as a stream).
fn is_pandas(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    let py = obj.py();
    let module = obj.get_type().getattr(intern!(py, "__module__"))?;
    Ok(module.extract::<String>()?.starts_with("pandas"))
}

/// The array of `obj` when it exports `__arrow_c_array__` (a pyarrow Array or RecordBatch),
/// imported without copying; `None` otherwise. Errors are located at `at`.
pub fn import_array(obj: &Bound<'_, PyAny>, at: &str) -> PyResult<Option<ArrayRef>> {
    let py = obj.py();
    if !obj.hasattr(intern!(py, "__arrow_c_array__"))? {
        return Ok(None);
    }
    let pair = obj.call_method0(intern!(py, "__arrow_c_array__"))?;
    let pair = pair.cast::<PyTuple>()?;
    let (schema, array) = (pair.get_item(0)?, pair.get_item(1)?);
    let (schema, array) = (schema.cast::<PyCapsule>()?, array.cast::<PyCapsule>()?);
    let schema_ptr = schema.pointer_checked(Some(SCHEMA))?;
    let array_ptr = array.pointer_checked(Some(ARRAY))?;
    // SAFETY: the capsules are named `arrow_schema` and `arrow_array`, so they point to an
    // `ArrowSchema` and an `ArrowArray`. The array is moved out (its capsule's copy marked
    // released); the schema is only borrowed for the import.
    let data = unsafe {
        let array = FFI_ArrowArray::from_raw(array_ptr.as_ptr().cast());
        let schema = &*schema_ptr.as_ptr().cast::<FFI_ArrowSchema>();
        from_ffi(array, schema)
    }
    .map_err(|e| bad_stream(at, e))?;
    Ok(Some(make_array(data)))
}

/// The record batches of an Arrow table-like object, normalized, one at a time.
pub struct Batches {
    source: Source,
    /// A batch larger than [`BATCH_ROWS`] and the next row of it to hand out.
    rest: Option<(RecordBatch, usize)>,
}

enum Source {
    /// A C stream.
    Stream(RecordBatchStreamReader),
    /// One batch from `__arrow_c_array__`.
    One(Option<RecordBatch>),
}

impl Batches {
    /// The batches of `obj` when it exports the Arrow PyCapsule interface (and is not a pandas
    /// DataFrame); `None` otherwise. Errors are located at `arg`.
    pub fn of(obj: &Bound<'_, PyAny>, arg: &str) -> PyResult<Option<Self>> {
        let py = obj.py();
        if is_pandas(obj)? {
            return Ok(None);
        }
        if obj.hasattr(intern!(py, "__arrow_c_stream__"))? {
            let capsule = obj.call_method0(intern!(py, "__arrow_c_stream__"))?;
            let capsule = capsule.cast::<PyCapsule>()?;
            let ptr = capsule.pointer_checked(Some(STREAM))?;
            // SAFETY: the capsule is named `arrow_array_stream`, so by the PyCapsule
            // interface it points to an `ArrowArrayStream`; `from_raw` moves the stream out
            // and marks the capsule's copy released, so the capsule's destructor does not
            // release it again.
            let stream = unsafe { FFI_ArrowArrayStream::from_raw(ptr.as_ptr().cast()) };
            let reader =
                RecordBatchStreamReader::try_new(stream).map_err(|e| bad_stream(arg, e))?;
            return Ok(Some(Self::new(Source::Stream(reader))));
        }
        if let Some(data) = import_array(obj, arg)? {
            // Only a struct array without missing rows (a record batch) is a table;
            // `StructArray::from` and `RecordBatch::from` would panic on anything else.
            if !matches!(data.data_type(), DataType::Struct(_)) || data.null_count() > 0 {
                return Err(to_py_err(InputError::new(
                    FieldErrorKind::InvalidType(format!(
                        "invalid type: an Arrow `{}` array, expected a table (a struct without nulls)",
                        data.data_type()
                    )),
                    arg,
                )));
            }
            let batch = RecordBatch::from(StructArray::from(data.to_data()));
            return Ok(Some(Self::new(Source::One(Some(batch)))));
        }
        Ok(None)
    }

    /// The next batch, normalized for [`table`] (the GIL taken to read it: a stream's
    /// producer may be Python code).
    /// Large batches (polars and DuckDB hand out whole frames) are cut into slices of
    /// [`BATCH_ROWS`] rows without copying, so the conversions work a slice at a time.
    pub fn next_batch(&mut self, arg: &str) -> Option<PyResult<RecordBatch>> {
        let (batch, at) = match self.rest.take() {
            Some(rest) => rest,
            None => {
                let next = match &mut self.source {
                    Source::Stream(reader) => Python::attach(|_| reader.next())?,
                    Source::One(batch) => Ok(batch.take()?),
                };
                match next {
                    // Its slices share its dictionaries: converted once, here.
                    Ok(b) if b.num_rows() > BATCH_ROWS => (normalize_dictionaries(&b), 0),
                    Ok(b) => (b, 0),
                    Err(e) => return Some(Err(bad_stream(arg, e))),
                }
            }
        };
        let len = (batch.num_rows() - at).min(BATCH_ROWS);
        let part = batch.slice(at, len);
        if at + len < batch.num_rows() {
            self.rest = Some((batch, at + len));
        }
        Some(Ok(normalize_batch(&part)))
    }

    fn new(source: Source) -> Self {
        Self { source, rest: None }
    }
}

/// The core's view of a batch, rows numbered from `first_row`.
pub fn view<'a>(
    batch: &'a RecordBatch,
    arg: &str,
    first_row: usize,
) -> Result<Table<'a>, InputError> {
    table(batch, arg, first_row)
}

/// Every batch of a stream (for inputs whose rows must all be seen together, like touches).
pub fn collect(mut batches: Batches, arg: &str) -> PyResult<Vec<RecordBatch>> {
    let mut out = Vec::new();
    while let Some(b) = batches.next_batch(arg) {
        out.push(b?);
    }
    Ok(out)
}

/// Every batch of `obj` when it is a table — an Arrow table, or a pandas DataFrame or mapping
/// of columns ([`crate::host`]) — as the core's views (rows numbered across batches), handed
/// to `read` without the GIL; `None` when `obj` is neither.
pub fn read_tables<T: Send>(
    obj: &Bound<'_, PyAny>,
    arg: &str,
    read: impl for<'t> FnOnce(&[Table<'t>]) -> PyResult<T> + Send,
) -> PyResult<Option<T>> {
    let py = obj.py();
    let Some(batches) = Batches::of(obj, arg)? else {
        let Some(host) = HostTable::of(obj, arg)? else {
            return Ok(None);
        };
        let readers = host.bind(py)?;
        let batch = readers.batch(py, 0, usize::MAX)?;
        let table = batch.table()?;
        return py.detach(|| read(std::slice::from_ref(&table))).map(Some);
    };
    let batches = collect(batches, arg)?;
    let mut tables = Vec::with_capacity(batches.len());
    let mut first = 0;
    for b in &batches {
        tables.push(view(b, arg, first).map_err(to_py_err)?);
        first += b.num_rows();
    }
    py.detach(|| read(&tables)).map(Some)
}

/// A `leads` argument: the leads of a table (see `leadcore::lead::LEADS`), else the list of
/// lead dicts.
pub fn leads_arg(obj: &Bound<'_, PyAny>) -> PyResult<Vec<Lead>> {
    match read_tables(obj, "leads", |t| leads_from_tables(t).map_err(to_py_err))? {
        Some(leads) => Ok(leads),
        None => from_py(obj, "leads"),
    }
}

/// An `events` argument of row events: the events of an event table (`lead_id`, `kind`, `at`,
/// …; see `leadcore::score::columns::EVENTS`), else the list of event dicts.
pub fn events_arg(obj: &Bound<'_, PyAny>) -> PyResult<Vec<Event>> {
    match read_tables(obj, "events", |t| {
        event_rows_from_tables(t).map_err(to_py_err)
    })? {
        Some(events) => Ok(events),
        None => from_py(obj, "events"),
    }
}
