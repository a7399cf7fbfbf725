//! Path counts from Python, read in batches.
//!
//! Path counts are the large attribution input (millions of ChannelAttribution-style rows), so
//! they are not converted through JSON values like other arguments. Three forms are read, each
//! [`BATCH_ROWS`] rows at a time into a [`PathBatch`] that the core attributes while the next
//! one is read, so memory stays at a batch whatever the input size:
//! - an Arrow table ([`crate::arrow`]: pyarrow, polars, DuckDB, …);
//! - a pandas DataFrame or a mapping of columns ([`crate::host`]: numpy arrays, Series,
//!   lists), a `str` object column read from each string's own UTF-8;
//! - rows: a list or tuple of `{"path", "conversions", "nulls", "value"}` dicts.
//!
//! Tables go through the core's table layer (`PathBatch::from_table`): errors name the column
//! and row, `paths.conversions[17]`. A row that is not plain (`str` path, `int` counts, `int` /
//! `float` value, a `dict` with no other keys) goes through the general conversion, so values
//! and errors are the same as for the JSON form: `paths[17].conversions`.

use leadcore::attribution::{PathBatch, PathCount};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use crate::arrow::{Batches, view};
use crate::conv::{from_py, text};
use crate::errors::to_py_err;
use crate::host::HostTable;

/// Rows converted per batch.
pub const BATCH_ROWS: usize = 65_536;

/// A path count with every optional field at the core's default.
pub fn path_defaults(py: Python<'_>) -> PyResult<&'static PathCount> {
    static DEFAULTS: PyOnceLock<PathCount> = PyOnceLock::new();
    DEFAULTS.get_or_try_init(py, || {
        leadcore::input::from_value(serde_json::json!({"path": ""})).map_err(to_py_err)
    })
}

/// A non-negative `int` (not `bool`) that fits in 64 bits.
fn count(v: &Bound<'_, PyAny>) -> Option<u64> {
    v.cast_exact::<PyInt>().ok()?.extract::<u64>().ok()
}

/// A finite `float`, or an `int` that fits in 64 bits.
fn amount(v: &Bound<'_, PyAny>) -> Option<f64> {
    if let Ok(f) = v.cast_exact::<PyFloat>() {
        let x = f.value();
        return x.is_finite().then_some(x);
    }
    let i = v.cast_exact::<PyInt>().ok()?;
    match i.extract::<i64>() {
        Ok(n) => Some(n as f64),
        Err(_) => i.extract::<u64>().ok().map(|n| n as f64),
    }
}

/// A plain row: the path as an exact `str` and the counts.
type Plain<'py> = (Bound<'py, PyString>, u64, u64, f64);

/// Reads a plain row dict; `None` when anything is unusual.
fn plain_row<'py>(item: &Bound<'py, PyAny>, defaults: &PathCount) -> Option<Plain<'py>> {
    let py = item.py();
    let d = item.cast_exact::<PyDict>().ok()?;
    let path = d
        .get_item(intern!(py, "path"))
        .ok()??
        .cast_into_exact::<PyString>()
        .ok()?;
    let mut row = (path, defaults.conversions, defaults.nulls, defaults.value);
    let mut seen = 1;
    if let Some(v) = d.get_item(intern!(py, "conversions")).ok()? {
        row.1 = count(&v)?;
        seen += 1;
    }
    if let Some(v) = d.get_item(intern!(py, "nulls")).ok()? {
        row.2 = count(&v)?;
        seen += 1;
    }
    if let Some(v) = d.get_item(intern!(py, "value")).ok()? {
        row.3 = amount(&v)?;
        seen += 1;
    }
    (seen == d.len()).then_some(row)
}

/// One path count (e.g. `add_path`'s argument), errors located at `arg`.
pub fn path_count(obj: &Bound<'_, PyAny>, arg: &str) -> PyResult<PathCount> {
    match plain_row(obj, path_defaults(obj.py())?) {
        Some((p, c, u, v)) => Ok(PathCount {
            path: text(&p, &format!("{arg}.path"))?.into_owned(),
            conversions: c,
            nulls: u,
            value: v,
        }),
        None => from_py(obj, arg),
    }
}

/// Where path counts come from.
enum Source {
    /// An Arrow table's batches.
    Arrow(Batches),
    /// A pandas DataFrame or mapping of columns, read [`BATCH_ROWS`] rows at a time (at once
    /// when its columns' lengths differ, for the core to name the odd one).
    Host(HostTable, usize),
    /// A list or tuple of row dicts.
    Rows(Py<PyAny>, usize),
}

/// Path counts read batch by batch from a Python argument.
pub struct PathSource {
    source: Source,
    arg: String,
    /// The next row.
    next: usize,
    /// Whether every batch (or an error) was handed out.
    done: bool,
    /// The error of a bad row, returned after the batch of the good rows before it.
    pending: Option<PyErr>,
}

impl PathSource {
    /// Checks the form of `obj` (a table or rows).
    pub fn new(obj: &Bound<'_, PyAny>, arg: &str) -> PyResult<Self> {
        let py = obj.py();
        let source = if let Some(batches) = Batches::of(obj, arg)? {
            Source::Arrow(batches)
        } else if let Some(table) = HostTable::of(obj, arg)? {
            let step = if table.uniform(py) {
                BATCH_ROWS
            } else {
                usize::MAX
            };
            Source::Host(table, step)
        } else {
            if obj.cast::<PyList>().is_err() && obj.cast::<PyTuple>().is_err() {
                // Not rows nor a table: the general conversion explains what is wrong.
                from_py::<Vec<PathCount>>(obj, arg)?;
            }
            Source::Rows(obj.clone().unbind(), obj.len()?)
        };
        Ok(Self {
            source,
            arg: arg.to_string(),
            next: 0,
            done: false,
            pending: None,
        })
    }

    /// The next batch (the GIL taken to read it, released to convert a table's batch). On a
    /// bad row of a list: the good rows before it, then its error, then the end.
    pub fn next_batch(&mut self) -> Option<PyResult<PathBatch>> {
        if let Some(e) = self.pending.take() {
            return Some(Err(e));
        }
        if self.done {
            return None;
        }
        let (start, arg) = (self.next, self.arg.as_str());
        let (out, end) = match &mut self.source {
            Source::Arrow(batches) => match batches.next_batch(arg)? {
                Err(e) => (Err(e), start),
                Ok(batch) => {
                    let out = Python::attach(|py| {
                        py.detach(|| {
                            view(&batch, arg, start)
                                .and_then(|t| PathBatch::from_table(&t))
                                .map_err(to_py_err)
                        })
                    });
                    (out, start + batch.num_rows())
                }
            },
            // A table without rows is still bound once, to check its columns.
            Source::Host(table, step) => Python::attach(|py| {
                let rows = table.rows(py);
                let end = table.batch_end(py, start, *step);
                let out = table.bind(py).and_then(|readers| {
                    let batch = readers.batch(py, start, end)?;
                    let t = batch.table()?;
                    py.detach(|| PathBatch::from_table(&t).map_err(to_py_err))
                });
                self.done = end >= rows;
                (out, end)
            }),
            Source::Rows(seq, len) => {
                let end = (start + BATCH_ROWS).min(*len);
                self.done = end >= *len;
                let out = Python::attach(|py| match rows(py, seq.bind(py), arg, start, end) {
                    Ok((batch, bad)) => {
                        self.pending = bad;
                        batch
                    }
                    Err(e) => Err(e),
                });
                (out, end)
            }
        };
        self.next = end;
        self.done |= out.is_err() || self.pending.is_some();
        Some(out)
    }
}

/// Rows `start..end` of a list of row dicts, fast when plain, else through the general
/// conversion: the batch of the rows before the first bad one, and that one's error.
fn rows(
    py: Python<'_>,
    seq: &Bound<'_, PyAny>,
    arg: &str,
    start: usize,
    end: usize,
) -> PyResult<(PyResult<PathBatch>, Option<PyErr>)> {
    let defaults = path_defaults(py)?;
    let mut rows: Vec<Plain<'_>> = Vec::with_capacity(end - start);
    for i in start..end {
        let item = seq.get_item(i)?;
        let row = match plain_row(&item, defaults) {
            Some(r) => Ok(r),
            None => from_py::<PathCount>(&item, &format!("{arg}[{i}]"))
                .map(|p| (PyString::new(py, &p.path), p.conversions, p.nulls, p.value)),
        };
        match row {
            Ok(r) => rows.push(r),
            Err(e) if rows.is_empty() => return Ok((Err(e), None)),
            Err(e) => return Ok((batch(&rows), Some(e))),
        }
    }
    Ok((batch(&rows), None))
}

/// Copies converted rows into a batch (each path read in place, see [`text`]).
fn batch(rows: &[Plain<'_>]) -> PyResult<PathBatch> {
    let mut batch = PathBatch::new();
    for r in rows {
        batch.push(&text(&r.0, "paths")?, r.1, r.2, r.3);
    }
    Ok(batch)
}
