//! Host tables: a pandas DataFrame or a mapping of columns (numpy arrays, pandas Series,
//! pyarrow arrays, lists) as the core's table views ([`leadcore::table`]), so they take the
//! same bind step, rules and error paths as Arrow tables ([`crate::arrow`]): `paths.value[3]`.
//!
//! Each column is looked at once ([`HostTable::of`]) and its rows read a batch at a time
//! ([`Readers::batch`], the GIL held):
//! - numpy `int64`, `float64` and `datetime64` in seconds to nanoseconds are borrowed (`NaT` is
//!   a missing time); other integer and float dtypes, booleans and coarser times are converted;
//! - Arrow-backed pandas Series (`str`, `string[pyarrow]`, `ArrowDtype`, the nullable `Int64`,
//!   `Float64` and `boolean` dtypes) and pyarrow arrays are imported through the Arrow C data
//!   interface; categoricals become dictionary codes; tz-aware times are read in UTC;
//! - object columns and lists are read cell by cell: all `str` (None, NaN, `pd.NA` and `NaT`
//!   missing) as text taken from each string's own UTF-8, anything else as cells (bool, int,
//!   float, str, aware datetimes; None, `pd.NA` and `NaT` missing, NaN a float for the core to
//!   judge as it judges a float column's).
//!
//! A nested mapping is flattened: `{"source": {"channel": col}}` is the column
//! `source.channel`. A column that is None is left out.

use std::borrow::Cow;
use std::sync::OnceLock;

use arrow_array::{Array, ArrayRef};
use leadcore::table::{
    Bits, Buffers, Cell, Column, Table, TimeUnit, Values, arrow::normalize, first_use,
};
use leadcore::{FieldErrorKind, InputError};
use numpy::datetime::{Datetime, units};
use numpy::{
    Element, PyArray1, PyArrayDescrMethods, PyArrayMethods, PyReadonlyArray1, PyUntypedArray,
    PyUntypedArrayMethods,
};
use pyo3::exceptions::PyValueError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use crate::conv::{instant, str_bytes, text, text_of};
use crate::errors::to_py_err;

fn input_error(kind: FieldErrorKind, path: String) -> PyErr {
    to_py_err(InputError::new(kind, path))
}

/// What a numpy column holds, as [`HostTable::of`] left it.
#[derive(Clone, Copy)]
enum Layout {
    Int,
    Float,
    Bool,
    /// `int64` ticks of this unit (`NaT` is `i64::MIN`).
    Time(TimeUnit),
    Object,
}

/// One column, unbound from the interpreter (so a table can cross `Python::detach`).
enum Source {
    /// A contiguous 1-d numpy array in one of the [`Layout`]s.
    Array(Py<PyUntypedArray>, Layout),
    /// The cells of a list or tuple.
    Items(Vec<Py<PyAny>>),
    /// An Arrow array (normalized for the core's views), maybe in chunks.
    Arrow(Chunks),
    /// Dictionary codes (`int64`, negative for missing) into a column of values; values that
    /// are Python objects are converted at the first batch, once for all: those the codes
    /// use, in the order they first use them, and the codes renumbered ([`first_use`]).
    Codes(
        Py<PyUntypedArray>,
        Box<Source>,
        OnceLock<Option<Renumbered>>,
    ),
}

impl Source {
    fn len(&self, py: Python<'_>) -> usize {
        match self {
            Self::Array(a, _) | Self::Codes(a, ..) => a.bind(py).len(),
            Self::Items(v) => v.len(),
            Self::Arrow(c) => c.len(),
        }
    }
}

/// A chunked Arrow array read in place, chunk by chunk: a batch of rows within one chunk is
/// its slice, and one across chunks reads the chunks combined (pyarrow's `combine_chunks`,
/// once), as a whole-table read does. Path tables end their batches where chunks end
/// ([`HostTable::batch_end`]), so they are never combined (pandas' `str` column of 1 M long
/// paths is 100 MB).
pub struct Chunks {
    /// Non-empty chunks, normalized for the core's views.
    chunks: Vec<ArrayRef>,
    /// `starts[k]` is chunk `k`'s first row; the last is the length.
    starts: Vec<usize>,
    /// The pyarrow `ChunkedArray` (`None` for one array) and its path in errors.
    whole: Option<(Py<PyAny>, String)>,
    combined: OnceLock<ArrayRef>,
}

impl Chunks {
    /// Chunks under this mean length are combined at once (each batch costs a bind).
    const MIN_MEAN_ROWS: usize = 4096;

    fn one(array: ArrayRef) -> Self {
        Self {
            starts: vec![0, array.len()],
            chunks: vec![array],
            whole: None,
            combined: OnceLock::new(),
        }
    }

    /// The chunks of pyarrow `ChunkedArray` `col`, or `None` when they are one array, short,
    /// or not all importable (then `col` is combined).
    fn of(col: &Bound<'_, PyAny>, at: &str) -> PyResult<Option<Self>> {
        let py = col.py();
        let len = col.len()?;
        let n = col.getattr(intern!(py, "num_chunks"))?.extract::<usize>()?;
        if n < 2 || len / n < Self::MIN_MEAN_ROWS {
            return Ok(None);
        }
        let mut out = Self {
            chunks: Vec::with_capacity(n),
            starts: vec![0],
            whole: Some((col.clone().unbind(), at.to_string())),
            combined: OnceLock::new(),
        };
        for chunk in col.getattr(intern!(py, "chunks"))?.try_iter()? {
            let Some(a) = crate::arrow::import_array(&chunk?, at)? else {
                return Ok(None);
            };
            if !a.is_empty() {
                out.starts.push(out.len() + a.len());
                out.chunks.push(normalize(&a));
            }
        }
        Ok(Some(out))
    }

    fn len(&self) -> usize {
        self.starts.last().copied().unwrap_or(0)
    }

    /// The first chunk end after row `a` (the length past the last chunk).
    fn end_after(&self, a: usize) -> usize {
        let k = self.starts.partition_point(|&s| s <= a);
        self.starts.get(k).copied().unwrap_or_else(|| self.len())
    }

    /// Rows `a..b`, cut at the end.
    fn slice(&self, py: Python<'_>, a: usize, b: usize) -> PyResult<ArrayRef> {
        let b = b.min(self.len());
        let a = a.min(b);
        let k = self.starts.partition_point(|&s| s <= a).saturating_sub(1);
        if let (Some(chunk), Some(&start), Some(&end)) = (
            self.chunks.get(k),
            self.starts.get(k),
            self.starts.get(k + 1),
        ) && b <= end
        {
            return Ok(chunk.slice(a - start, b - a));
        }
        Ok(self.whole(py)?.slice(a, b - a))
    }

    /// The whole array: the one chunk, or the chunks combined.
    fn whole(&self, py: Python<'_>) -> PyResult<&ArrayRef> {
        if let (None, [one]) = (&self.whole, self.chunks.as_slice()) {
            return Ok(one);
        }
        if let Some(a) = self.combined.get() {
            return Ok(a);
        }
        let combined = match &self.whole {
            Some((w, at)) => {
                let c = w.bind(py).call_method0(intern!(py, "combine_chunks"))?;
                crate::arrow::import_array(&c, at)?
            }
            None => None,
        };
        let combined = combined.ok_or_else(|| PyValueError::new_err("chunks without an array"))?;
        // Only this thread, holding the GIL, sets it.
        Ok(self.combined.get_or_init(|| normalize(&combined)))
    }
}

/// A host table's columns, looked at once and read a batch at a time.
pub struct HostTable {
    arg: String,
    columns: Vec<(String, Source)>,
}

impl HostTable {
    /// The columns of `obj` when it is a pandas DataFrame or a mapping (`keys()`), `None`
    /// otherwise (a list of rows, say). Errors are located at `arg`.
    pub fn of(obj: &Bound<'_, PyAny>, arg: &str) -> PyResult<Option<Self>> {
        let py = obj.py();
        let is_frame = module(obj)?.starts_with("pandas") && obj.hasattr(intern!(py, "items"))?;
        if !is_frame && (obj.cast::<PyString>().is_ok() || !obj.hasattr(intern!(py, "keys"))?) {
            return Ok(None);
        }
        let mut table = Self {
            arg: arg.to_string(),
            columns: Vec::new(),
        };
        if is_frame {
            for item in obj.call_method0(intern!(py, "items"))?.try_iter()? {
                let (name, col): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item?.extract()?;
                table.add(text_of(&name, arg)?, &col)?;
            }
        } else {
            table.add_mapping(obj, "", 0)?;
        }
        Ok(Some(table))
    }

    fn add_mapping(&mut self, obj: &Bound<'_, PyAny>, prefix: &str, depth: usize) -> PyResult<()> {
        let py = obj.py();
        if depth > leadcore::input::MAX_DEPTH {
            let at = format!("{}.{}", self.arg, prefix.trim_end_matches('.'));
            let kind = FieldErrorKind::TooDeep(leadcore::input::MAX_DEPTH);
            return Err(input_error(kind, at));
        }
        for key in obj.call_method0(intern!(py, "keys"))?.try_iter()? {
            let key = key?;
            let name = format!("{prefix}{}", text_of(&key, &self.arg)?);
            let col = obj.get_item(&key)?;
            if col.cast::<PyDict>().is_ok() {
                self.add_mapping(&col, &format!("{name}."), depth + 1)?;
            } else {
                self.add(name, &col)?;
            }
        }
        Ok(())
    }

    fn add(&mut self, name: String, col: &Bound<'_, PyAny>) -> PyResult<()> {
        if !col.is_none() {
            let at = format!("{}.{name}", self.arg);
            let source = source(col, &at)?;
            self.columns.push((name, source));
        }
        Ok(())
    }

    /// The number of rows (the longest column's: the core names a column of another length).
    pub fn rows(&self, py: Python<'_>) -> usize {
        self.columns
            .iter()
            .map(|(_, c)| c.len(py))
            .max()
            .unwrap_or(0)
    }

    /// Where a batch from row `start` of at most `step` rows ends: before the first chunk end
    /// of a chunked Arrow column past `start`, so that no batch combines chunks.
    /// (Columns of different lengths are read at once: see [`uniform`](Self::uniform).)
    pub fn batch_end(&self, py: Python<'_>, start: usize, step: usize) -> usize {
        let end = start.saturating_add(step).min(self.rows(py));
        if !self.uniform(py) {
            return end;
        }
        self.columns
            .iter()
            .filter_map(|(_, c)| match c {
                Source::Arrow(chunks) => Some(chunks.end_after(start)),
                _ => None,
            })
            .filter(|&e| e > start)
            .fold(end, usize::min)
    }

    /// Whether every column has the same number of rows (only then can the table be read in
    /// batches: otherwise one batch lets the core name the odd column).
    pub fn uniform(&self, py: Python<'_>) -> bool {
        let n = self.rows(py);
        self.columns.iter().all(|(_, c)| c.len(py) == n)
    }

    /// The columns bound to the interpreter for reading.
    pub fn bind<'py>(&self, py: Python<'py>) -> PyResult<Readers<'py, '_>> {
        let columns = self
            .columns
            .iter()
            .map(|(name, s)| {
                let col = format!("{}.{name}", self.arg);
                Ok((name.as_str(), reader(py, s, &col)?))
            })
            .collect::<PyResult<_>>()?;
        Ok(Readers {
            arg: &self.arg,
            columns,
        })
    }
}

/// The module of `obj`'s type (`pandas.core.frame`, `pyarrow.lib`, …).
fn module(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    let py = obj.py();
    Ok(obj
        .get_type()
        .getattr(intern!(py, "__module__"))?
        .extract::<String>()
        .unwrap_or_default())
}

/// Looks at one column once (see the module docs); `at` is its path in errors.
fn source(col: &Bound<'_, PyAny>, at: &str) -> PyResult<Source> {
    let py = col.py();
    if let Ok(a) = col.cast::<PyUntypedArray>() {
        return numpy_source(a, at);
    }
    if let Ok(list) = col.cast::<PyList>() {
        return Ok(Source::Items(list.iter().map(Bound::unbind).collect()));
    }
    if let Ok(t) = col.cast::<PyTuple>() {
        return Ok(Source::Items(t.iter().map(Bound::unbind).collect()));
    }
    let module = module(col)?;
    if module.starts_with("pyarrow") {
        let chunked = col.hasattr(intern!(py, "combine_chunks"))?;
        if chunked && let Some(chunks) = Chunks::of(col, at)? {
            return Ok(Source::Arrow(chunks));
        }
        let array = match chunked {
            true => col.call_method0(intern!(py, "combine_chunks"))?,
            false => col.clone(),
        };
        if let Some(a) = crate::arrow::import_array(&array, at)? {
            return Ok(Source::Arrow(Chunks::one(normalize(&a))));
        }
    }
    if module.starts_with("pandas") && col.hasattr(intern!(py, "dtype"))? {
        return series_source(col, at);
    }
    if col.cast::<PyString>().is_err() && col.cast::<PyDict>().is_err() {
        if col.hasattr(intern!(py, "to_numpy"))?
            && let Ok(arr) = col
                .call_method0(intern!(py, "to_numpy"))?
                .cast_into::<PyUntypedArray>()
        {
            return numpy_source(&arr, at);
        }
        if let Ok(cells) = col.try_iter() {
            let cells = cells
                .map(|c| c.map(Bound::unbind))
                .collect::<PyResult<_>>()?;
            return Ok(Source::Items(cells));
        }
    }
    let msg = format!(
        "invalid type: expected a column (an array, a Series or a list), got `{}`",
        col.get_type().name()?
    );
    Err(input_error(FieldErrorKind::InvalidType(msg), at.into()))
}

/// A pandas Series or Index (see the module docs).
fn series_source(col: &Bound<'_, PyAny>, at: &str) -> PyResult<Source> {
    let py = col.py();
    let dtype = col.getattr(intern!(py, "dtype"))?;
    if dtype.cast::<numpy::PyArrayDescr>().is_ok() {
        return source(&col.call_method0(intern!(py, "to_numpy"))?, at);
    }
    if dtype
        .getattr(intern!(py, "tz"))
        .is_ok_and(|tz| !tz.is_none())
    {
        let utc = col
            .call_method1(intern!(py, "tz_convert"), ("UTC",))
            .or_else(|_| {
                col.getattr(intern!(py, "dt"))?
                    .call_method1(intern!(py, "tz_convert"), ("UTC",))
            })?;
        let naive = utc
            .call_method1(intern!(py, "tz_localize"), (py.None(),))
            .or_else(|_| {
                utc.getattr(intern!(py, "dt"))?
                    .call_method1(intern!(py, "tz_localize"), (py.None(),))
            })?;
        return source(&naive.call_method0(intern!(py, "to_numpy"))?, at);
    }
    if dtype.getattr(intern!(py, "name"))?.extract::<String>()? == "category" {
        let cat = col
            .getattr(intern!(py, "cat"))
            .unwrap_or_else(|_| col.clone());
        let codes = cat.getattr(intern!(py, "codes"))?;
        let codes = match codes.cast::<PyUntypedArray>() {
            Ok(a) => a.clone(),
            Err(_) => codes
                .call_method0(intern!(py, "to_numpy"))?
                .cast_into::<PyUntypedArray>()?,
        };
        let codes = codes.call_method1(intern!(py, "astype"), ("int64",))?;
        let codes = contiguous(&codes.cast_into::<PyUntypedArray>()?)?;
        let values = source(&cat.getattr(intern!(py, "categories"))?, at)?;
        return Ok(Source::Codes(
            codes.unbind(),
            Box::new(values),
            OnceLock::new(),
        ));
    }
    // Arrow-backed and nullable extension arrays export themselves to Arrow (with pyarrow).
    if let Ok(array) = col.getattr(intern!(py, "array"))
        && let Ok(arrow) = array.call_method0(intern!(py, "__arrow_array__"))
    {
        return source(&arrow, at);
    }
    let kwargs = PyDict::new(py);
    kwargs.set_item("dtype", "object")?;
    kwargs.set_item("na_value", py.None())?;
    let objects = col.call_method(intern!(py, "to_numpy"), (), Some(&kwargs))?;
    source(&objects, at)
}

/// `a` itself when C-contiguous, else a contiguous copy.
fn contiguous<'py>(a: &Bound<'py, PyUntypedArray>) -> PyResult<Bound<'py, PyUntypedArray>> {
    if a.is_contiguous() {
        return Ok(a.clone());
    }
    let py = a.py();
    Ok(py
        .import(intern!(py, "numpy"))?
        .call_method1(intern!(py, "ascontiguousarray"), (a,))?
        .cast_into::<PyUntypedArray>()?)
}

fn astype<'py>(
    a: &Bound<'py, PyUntypedArray>,
    dtype: &str,
) -> PyResult<Bound<'py, PyUntypedArray>> {
    Ok(a.call_method1(intern!(a.py(), "astype"), (dtype,))?
        .cast_into::<PyUntypedArray>()?)
}

/// A numpy array in one of the [`Layout`]s (converted when its dtype is not one).
fn numpy_source(a: &Bound<'_, PyUntypedArray>, at: &str) -> PyResult<Source> {
    let py = a.py();
    if a.ndim() != 1 {
        let msg = format!("expected a 1-d array, got {} dimensions", a.ndim());
        return Err(input_error(FieldErrorKind::InvalidValue(msg), at.into()));
    }
    let a = contiguous(a)?;
    let dtype = a.dtype();
    let native = dtype.is_native_byteorder() != Some(false);
    let (array, layout) = match dtype.kind() {
        // Past 2^63 − 1 an unsigned value reads as the largest integer, as an Arrow `uint64`
        // column's does (a count the core then refuses as too large for any total).
        b'u' if dtype.itemsize() == 8 => {
            let values = read::<u64>(&convert::<u64>(&a, native, "uint64")?)?;
            let values = values.as_slice()?;
            let wide = values.iter().map(|&v| i64::try_from(v).unwrap_or(i64::MAX));
            let wide = PyArray1::from_iter(py, wide);
            (wide.into_any().cast_into::<PyUntypedArray>()?, Layout::Int)
        }
        b'i' | b'u' => (convert::<i64>(&a, native, "int64")?, Layout::Int),
        b'f' => (convert::<f64>(&a, native, "float64")?, Layout::Float),
        b'b' => (a.clone(), Layout::Bool),
        b'M' => datetime_source(&a, at)?,
        b'O' => (a.clone(), Layout::Object),
        b'U' | b'S' => (astype(&a, "object")?, Layout::Object),
        _ => {
            let msg = format!("invalid type: unsupported dtype `{}`", dtype.str()?);
            return Err(input_error(FieldErrorKind::InvalidType(msg), at.into()));
        }
    };
    Ok(Source::Array(array.unbind(), layout))
}

/// `a` as dtype `T` (`name`): itself when it already is one, else a copy.
fn convert<'py, T: Element>(
    a: &Bound<'py, PyUntypedArray>,
    native: bool,
    name: &str,
) -> PyResult<Bound<'py, PyUntypedArray>> {
    if native && a.cast::<PyArray1<T>>().is_ok() {
        return Ok(a.clone());
    }
    astype(a, name)
}

/// A `datetime64` array as `int64` ticks: seconds to nanoseconds as they are, coarser units
/// (minutes to weeks) multiplied out to seconds.
fn datetime_source<'py>(
    a: &Bound<'py, PyUntypedArray>,
    at: &str,
) -> PyResult<(Bound<'py, PyUntypedArray>, Layout)> {
    let py = a.py();
    let d = a.dtype();
    let is = |other: Bound<'_, numpy::PyArrayDescr>| d.is_equiv_to(&other);
    let (unit, scale) = if is(Datetime::<units::Seconds>::get_dtype(py)) {
        (TimeUnit::Seconds, 1)
    } else if is(Datetime::<units::Milliseconds>::get_dtype(py)) {
        (TimeUnit::Millis, 1)
    } else if is(Datetime::<units::Microseconds>::get_dtype(py)) {
        (TimeUnit::Micros, 1)
    } else if is(Datetime::<units::Nanoseconds>::get_dtype(py)) {
        (TimeUnit::Nanos, 1)
    } else if is(Datetime::<units::Minutes>::get_dtype(py)) {
        (TimeUnit::Seconds, 60)
    } else if is(Datetime::<units::Hours>::get_dtype(py)) {
        (TimeUnit::Seconds, 3_600)
    } else if is(Datetime::<units::Days>::get_dtype(py)) {
        (TimeUnit::Seconds, 86_400)
    } else if is(Datetime::<units::Weeks>::get_dtype(py)) {
        (TimeUnit::Seconds, 604_800)
    } else {
        let msg = format!(
            "invalid type: unsupported datetime64 unit in `{}`, use weeks to nanoseconds",
            d.str()?
        );
        return Err(input_error(FieldErrorKind::InvalidType(msg), at.into()));
    };
    let ticks = a.call_method1(intern!(py, "view"), ("int64",))?;
    let ticks = contiguous(&ticks.cast_into::<PyUntypedArray>()?)?;
    if scale == 1 {
        return Ok((ticks, Layout::Time(unit)));
    }
    let values = read::<i64>(&ticks)?;
    let mut out = Vec::with_capacity(values.as_slice()?.len());
    for (i, &v) in values.as_slice()?.iter().enumerate() {
        out.push(match v {
            i64::MIN => i64::MIN,
            v => v.checked_mul(scale).ok_or_else(|| {
                let msg = format!("time `{v}` is out of range");
                input_error(FieldErrorKind::InvalidValue(msg), format!("{at}[{i}]"))
            })?,
        });
    }
    let out = PyArray1::from_vec(py, out)
        .into_any()
        .cast_into::<PyUntypedArray>()?;
    Ok((out, Layout::Time(unit)))
}

/// Reads a contiguous array of dtype `T` in place.
fn read<'py, T: Element>(a: &Bound<'py, PyUntypedArray>) -> PyResult<PyReadonlyArray1<'py, T>> {
    a.cast::<PyArray1<T>>()?
        .try_readonly()
        .map_err(|e| PyValueError::new_err(e.to_string()))
}

/// One column bound for reading.
enum Reader<'py, 's> {
    Int(PyReadonlyArray1<'py, i64>),
    Float(PyReadonlyArray1<'py, f64>),
    Bool(PyReadonlyArray1<'py, bool>),
    Time(PyReadonlyArray1<'py, i64>, TimeUnit),
    Objects(PyReadonlyArray1<'py, Py<PyAny>>),
    Items(&'s [Py<PyAny>]),
    Arrow(&'s Chunks),
    /// Codes and the dictionary's values (converted, when they are Python objects).
    Codes(
        PyReadonlyArray1<'py, i64>,
        Box<Reader<'py, 's>>,
        Option<&'s Renumbered>,
    ),
}

/// A dictionary's Python values converted in the order of their first use, and the codes
/// renumbered to match (see [`Source::Codes`]).
struct Renumbered {
    values: Buffers<'static>,
    keys: Vec<u32>,
}

/// Binds column `s` (its path `col`) for reading.
fn reader<'py, 's>(py: Python<'py>, s: &'s Source, col: &str) -> PyResult<Reader<'py, 's>> {
    Ok(match s {
        Source::Array(a, layout) => {
            let a = a.bind(py);
            match layout {
                Layout::Int => Reader::Int(read(a)?),
                Layout::Float => Reader::Float(read(a)?),
                Layout::Bool => Reader::Bool(read(a)?),
                Layout::Time(unit) => Reader::Time(read(a)?, *unit),
                Layout::Object => Reader::Objects(read(a)?),
            }
        }
        Source::Items(v) => Reader::Items(v),
        Source::Arrow(a) => Reader::Arrow(a),
        Source::Codes(codes, values, once) => {
            let values = reader(py, values, col)?;
            let codes = read(codes.bind(py))?;
            if once.get().is_none() {
                let items = match &values {
                    Reader::Objects(v) => Some(v.as_slice()?),
                    Reader::Items(v) => Some(*v),
                    _ => None,
                };
                let converted = match items {
                    Some(items) => {
                        let codes = codes.as_slice()?;
                        let (order, keys) = first_use(codes, items.len());
                        // A bad value is named at the first row that uses it.
                        let row = |k: usize| codes.iter().position(|&c| c == k as i64);
                        let at = |i: usize| {
                            let first = order.get(i).and_then(|&k| row(k));
                            format!("{col}[{}]", first.unwrap_or(i))
                        };
                        let used: Vec<_> = order.iter().filter_map(|&k| items.get(k)).collect();
                        let values = cells(py, used.into_iter(), &at)?;
                        Some(Renumbered { values, keys })
                    }
                    None => None,
                };
                // Only this thread, holding the GIL, sets it.
                let _ = once.set(converted);
            }
            let converted = once.get().and_then(Option::as_ref);
            Reader::Codes(codes, Box::new(values), converted)
        }
    })
}

/// A host table's columns bound for reading ([`HostTable::bind`]).
pub struct Readers<'py, 's> {
    arg: &'s str,
    columns: Vec<(&'s str, Reader<'py, 's>)>,
}

impl Readers<'_, '_> {
    /// Rows `a..b` (each column's rows up to its end), numbered from `a` in errors.
    pub fn batch(&self, py: Python<'_>, a: usize, b: usize) -> PyResult<Batch<'_>> {
        let mut columns = Vec::with_capacity(self.columns.len());
        for (name, r) in &self.columns {
            let col = format!("{}.{name}", self.arg);
            let at = |i: usize| format!("{col}[{}]", a + i);
            columns.push((*name, part(py, r, (a, b), &col, &at)?));
        }
        Ok(Batch {
            arg: self.arg,
            columns,
            first_row: a,
        })
    }
}

/// Rows `a..b` of `slice`, cut at its end.
fn rows<T>(slice: &[T], a: usize, b: usize) -> &[T] {
    let b = b.min(slice.len());
    slice.get(a.min(b)..b).unwrap_or_default()
}

/// A batch's rows of one column: an Arrow array's slice, or buffers converted where the
/// core's layout differs from the host's.
enum Part<'s> {
    Arrow(ArrayRef),
    Buffers(Buffers<'s>),
}

fn part<'s>(
    py: Python<'_>,
    r: &'s Reader<'_, '_>,
    (a, b): (usize, usize),
    col: &str,
    at: &dyn Fn(usize) -> String,
) -> PyResult<Part<'s>> {
    if let Reader::Arrow(chunks) = r {
        return Ok(Part::Arrow(chunks.slice(py, a, b)?));
    }
    buffers(py, r, (a, b), col, at).map(Part::Buffers)
}

/// Rows `a..b` of a column not read through Arrow (`col` its path, `at(i)` its row `i`'s).
fn buffers<'s>(
    py: Python<'_>,
    r: &'s Reader<'_, '_>,
    (a, b): (usize, usize),
    col: &str,
    at: &dyn Fn(usize) -> String,
) -> PyResult<Buffers<'s>> {
    Ok(match r {
        Reader::Int(v) => Buffers::new(Values::Int(Cow::Borrowed(rows(v.as_slice()?, a, b)))),
        Reader::Float(v) => Buffers::new(Values::Float(Cow::Borrowed(rows(v.as_slice()?, a, b)))),
        Reader::Bool(v) => {
            let v = rows(v.as_slice()?, a, b);
            Buffers::new(Values::Bool(Bits::pack(v.iter().copied()), v.len()))
        }
        Reader::Time(v, unit) => {
            let v = rows(v.as_slice()?, a, b);
            Buffers {
                values: Values::Time(Cow::Borrowed(v), *unit),
                validity: v
                    .contains(&i64::MIN)
                    .then(|| Bits::pack(v.iter().map(|&t| t != i64::MIN))),
            }
        }
        Reader::Objects(v) => cells(py, rows(v.as_slice()?, a, b).iter(), at)?,
        Reader::Items(v) => cells(py, rows(v, a, b).iter(), at)?,
        // A dictionary's values whole, an Arrow array's read in place.
        Reader::Arrow(chunks) => {
            Buffers::new(Values::Column(arrow_column(chunks.whole(py)?, col)?))
        }
        Reader::Codes(codes, values, converted) => {
            let codes = rows(codes.as_slice()?, a, b);
            let values = match converted.and_then(|r| r.values.view()) {
                Some(column) => Buffers::new(Values::Column(column)),
                None => buffers(py, values, (0, usize::MAX), col, at)?,
            };
            let keys = match converted {
                Some(r) => rows(&r.keys, a, b).to_vec(),
                None => codes
                    .iter()
                    .map(|&k| u32::try_from(k).unwrap_or(0))
                    .collect(),
            };
            Buffers {
                values: Values::Codes(keys, Box::new(values)),
                validity: codes
                    .iter()
                    .any(|&k| k < 0)
                    .then(|| Bits::pack(codes.iter().map(|&k| k >= 0))),
            }
        }
    })
}

/// The view of an Arrow array; one without a view is `invalid_type` at `at`.
fn arrow_column<'s>(array: &'s ArrayRef, at: &str) -> PyResult<Column<'s>> {
    leadcore::table::arrow::column(array.as_ref()).map_err(|t| {
        let msg = format!("invalid type: arrow `{t}` column");
        input_error(FieldErrorKind::InvalidType(msg), at.into())
    })
}

/// Whether `item` is a missing value: None, `pd.NA` or `NaT`.
fn is_missing(item: &Bound<'_, PyAny>) -> PyResult<bool> {
    if item.is_none() {
        return Ok(true);
    }
    let name = item.get_type().name()?;
    Ok(name == "NAType" || name == "NaTType")
}

/// Whether `item` is a missing text: [`is_missing`], or NaN (pandas' hole in a text column).
fn is_missing_text(item: &Bound<'_, PyAny>) -> bool {
    item.cast::<PyFloat>().map_or_else(
        |_| is_missing(item).unwrap_or(false),
        |f| f.value().is_nan(),
    )
}

/// Rows ahead of the one read whose object [`cells`] asks the CPU to fetch: a column's objects
/// lie anywhere in the heap, and each row waited for its object's cache lines.
const AHEAD: usize = 32;

/// Asks the CPU to bring the cache lines at `p` and `p + 64` in (a hint: it never faults).
#[inline]
fn prefetch(p: *const i8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads nothing the program sees and never faults, whatever the address.
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch(p, _MM_HINT_T0);
        _mm_prefetch(p.wrapping_add(64), _MM_HINT_T0);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Object cells: text when every cell is a `str` or missing, else [`Cell`]s.
fn cells<'s, 'i>(
    py: Python<'_>,
    items: impl ExactSizeIterator<Item = &'i Py<PyAny>> + Clone,
    at: &dyn Fn(usize) -> String,
) -> PyResult<Buffers<'s>> {
    let mut offsets = Vec::with_capacity(items.len() + 1);
    let mut data = Vec::with_capacity(items.len() * 16);
    let mut missing = 0usize;
    let mut valid = Vec::with_capacity(items.len());
    offsets.push(0i64);
    let mut ahead = items.clone().skip(AHEAD);
    let all_text = items.clone().all(|item| {
        if let Some(next) = ahead.next() {
            prefetch(next.as_ptr().cast());
        }
        let item = item.bind(py);
        let bytes = match item.cast_exact::<PyString>() {
            Ok(s) => str_bytes(s),
            Err(_) if is_missing_text(item) => {
                missing += 1;
                Some(&[][..])
            }
            Err(_) => None,
        };
        let Some(bytes) = bytes else { return false };
        data.extend_from_slice(bytes);
        offsets.push(i64::try_from(data.len()).unwrap_or(i64::MAX));
        valid.push(!bytes.is_empty() || item.cast_exact::<PyString>().is_ok());
        true
    });
    // Without a single text the column is cells, which every kind of column accepts.
    if all_text && missing < items.len() {
        return Ok(Buffers {
            values: Values::Text(offsets, data),
            validity: (missing > 0).then(|| Bits::pack(valid)),
        });
    }
    let cells = items
        .enumerate()
        .map(|(i, item)| cell(item.bind(py), &|| at(i)))
        .collect::<PyResult<_>>()?;
    Ok(Buffers::new(Values::Cells(cells)))
}

/// One object cell (see the module docs).
fn cell(item: &Bound<'_, PyAny>, at: &dyn Fn() -> String) -> PyResult<Cell> {
    if is_missing(item)? {
        return Ok(Cell::Null);
    }
    if let Ok(b) = item.cast::<PyBool>() {
        return Ok(Cell::Bool(b.is_true()));
    }
    if let Ok(n) = item.cast::<PyInt>() {
        return n.extract::<i64>().map(Cell::Int).map_err(|_| {
            let msg = format!("`{n}` is out of range for a 64-bit integer");
            input_error(FieldErrorKind::InvalidValue(msg), at())
        });
    }
    if let Ok(f) = item.cast::<PyFloat>() {
        return Ok(Cell::Float(f.value()));
    }
    if let Ok(s) = item.cast::<PyString>() {
        return Ok(Cell::Text(text(s, &at())?.into_owned()));
    }
    let py = item.py();
    if item.hasattr(intern!(py, "tzinfo"))? {
        let t = instant(item, &at())?;
        return Ok(Cell::Time(t.timestamp_micros(), TimeUnit::Micros));
    }
    if let Ok(b) = item.extract::<bool>() {
        return Ok(Cell::Bool(b));
    }
    if let Ok(v) = item.extract::<i64>() {
        return Ok(Cell::Int(v));
    }
    if let Ok(v) = item.extract::<f64>() {
        return Ok(Cell::Float(v));
    }
    if item.hasattr(intern!(py, "isoformat"))? {
        let iso = item.call_method0(intern!(py, "isoformat"))?;
        return Ok(Cell::Text(text_of(&iso, &at())?));
    }
    let msg = format!("invalid type: a `{}` cell", item.get_type().name()?);
    Err(input_error(FieldErrorKind::InvalidType(msg), at()))
}

/// A batch of a host table's rows, converted ([`Readers::batch`]).
pub struct Batch<'s> {
    arg: &'s str,
    columns: Vec<(&'s str, Part<'s>)>,
    first_row: usize,
}

impl Batch<'_> {
    /// The core's view of the batch.
    pub fn table(&self) -> PyResult<Table<'_>> {
        let mut columns = Vec::with_capacity(self.columns.len());
        for (name, p) in &self.columns {
            let at = format!("{}.{name}", self.arg);
            columns.push((name.to_string(), view(p, &at)?));
        }
        Ok(Table {
            columns,
            first_row: self.first_row,
        })
    }
}

fn view<'s>(p: &'s Part<'_>, at: &str) -> PyResult<Column<'s>> {
    match p {
        Part::Arrow(a) => arrow_column(a, at),
        Part::Buffers(b) => b.view().ok_or_else(|| {
            let msg = "a bitmap shorter than its rows".to_string();
            input_error(FieldErrorKind::InvalidValue(msg), at.into())
        }),
    }
}
