//! Attribution: credit per channel under every model, per-journey splits, the ownership rule,
//! and the mergeable, picklable `AttributionAccumulator`.
//!
//! Path counts are the large input (millions of rows), so they have a fast conversion
//! ([`paths`]): rows that are plain dicts of `str` / `int` / `float` are read directly, and a
//! table of columns (a dict of lists or arrays, a pandas DataFrame) is read column by column.
//! Anything unusual in a row goes through the general conversion, so values and errors are the
//! same as for the JSON form.

use std::sync::{Mutex, MutexGuard};

use leadcore::attribution::{
    self, AttributionAccumulator, AttributionConfig, Journey, OwnershipConfig, PathCount,
};
use leadcore::{FieldErrorKind, InputError};
use pyo3::exceptions::PyRuntimeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use crate::config::{config_arg, config_class};
use crate::conv::{from_py, to_py_as};
use crate::errors::to_py_err;

config_class!(
    /// Which attribution models to run, at which level (channel or campaign).
    PyAttributionConfig, "AttributionConfig", AttributionConfig
);

config_class!(
    /// The ownership rule's window (default 3 months).
    PyOwnershipConfig, "OwnershipConfig", OwnershipConfig
);

/// The fields of a path count, in the order the general conversion names them.
const PATH_FIELDS: [&str; 4] = ["path", "conversions", "nulls", "value"];

/// A path count with every optional field at the core's default.
fn path_defaults(py: Python<'_>) -> PyResult<&'static PathCount> {
    static DEFAULTS: PyOnceLock<PathCount> = PyOnceLock::new();
    DEFAULTS.get_or_try_init(py, || {
        leadcore::input::from_value(serde_json::json!({"path": ""})).map_err(to_py_err)
    })
}

/// A non-negative `int` (not `bool`) that fits in 64 bits.
fn count(v: &Bound<'_, PyAny>) -> Option<u64> {
    v.cast_exact::<PyInt>().ok()?.extract::<u64>().ok()
}

/// A finite `float`, or an `int` that is exactly a JSON integer.
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

fn text(v: &Bound<'_, PyAny>) -> Option<String> {
    Some(v.cast_exact::<PyString>().ok()?.to_cow().ok()?.into_owned())
}

/// Reads one row the fast way; `None` when anything is unusual (then the general conversion
/// decides, with its errors).
fn fast_row(item: &Bound<'_, PyAny>, defaults: &PathCount) -> Option<PathCount> {
    let py = item.py();
    let d = item.cast_exact::<PyDict>().ok()?;
    let mut p = defaults.clone();
    p.path = text(&d.get_item(intern!(py, "path")).ok()??)?;
    let mut seen = 1;
    if let Some(v) = d.get_item(intern!(py, "conversions")).ok()? {
        p.conversions = count(&v)?;
        seen += 1;
    }
    if let Some(v) = d.get_item(intern!(py, "nulls")).ok()? {
        p.nulls = count(&v)?;
        seen += 1;
    }
    if let Some(v) = d.get_item(intern!(py, "value")).ok()? {
        p.value = amount(&v)?;
        seen += 1;
    }
    (seen == d.len()).then_some(p)
}

/// The general conversion of one row (errors located at `arg[i]`).
fn slow_row(item: &Bound<'_, PyAny>, arg: &str, i: usize) -> PyResult<PathCount> {
    from_py(item, &format!("{arg}[{i}]"))
}

/// Reads path counts: a list (or any iterable) of `{"path", "conversions", "nulls", "value"}`
/// dicts, or a table of those columns (anything with `keys()` and `[column]`: a dict of lists
/// or arrays, a pandas DataFrame). Errors name row `i` as `arg[i]` in both forms.
pub fn paths(obj: &Bound<'_, PyAny>, arg: &str) -> PyResult<Vec<PathCount>> {
    let defaults = path_defaults(obj.py())?;
    if obj.cast::<PyString>().is_err()
        && obj.cast::<PyList>().is_err()
        && obj.cast::<PyTuple>().is_err()
        && obj.hasattr(intern!(obj.py(), "keys"))?
    {
        return columns(obj, arg, defaults);
    }
    if obj.cast::<PyList>().is_err() && obj.cast::<PyTuple>().is_err() {
        // Not a sequence: let the general conversion explain what is wrong.
        return from_py(obj, arg);
    }
    let mut out = Vec::with_capacity(obj.len().unwrap_or(0));
    for (i, item) in obj.try_iter()?.enumerate() {
        let item = item?;
        out.push(match fast_row(&item, defaults) {
            Some(p) => p,
            None => slow_row(&item, arg, i)?,
        });
    }
    Ok(out)
}

/// A column as a list: lists and tuples as they are, anything else through `tolist()` (numpy
/// arrays, pandas Series) or `list(...)`.
fn column_list<'py>(col: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
    if let Ok(l) = col.cast::<PyList>() {
        return Ok(l.clone());
    }
    let py = col.py();
    let listed = if col.hasattr(intern!(py, "tolist"))? {
        col.call_method0(intern!(py, "tolist"))?
    } else {
        PyList::new(py, col.try_iter()?.collect::<PyResult<Vec<_>>>()?)?.into_any()
    };
    Ok(listed.cast_into::<PyList>()?)
}

fn input_error(kind: FieldErrorKind, path: String) -> PyErr {
    to_py_err(InputError::new(kind, path))
}

fn columns(
    obj: &Bound<'_, PyAny>,
    arg: &str,
    defaults: &PathCount,
) -> PyResult<Vec<PathCount>> {
    let py = obj.py();
    let mut cols: [Option<Bound<'_, PyList>>; 4] = [None, None, None, None];
    for key in obj.call_method0(intern!(py, "keys"))?.try_iter()? {
        let key = key?;
        let name = key.str()?.to_cow()?.into_owned();
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
        *slot = Some(column_list(&obj.get_item(&key)?)?);
    }
    let [path, conversions, nulls, value] = cols;
    let Some(path) = path else {
        return Err(input_error(
            FieldErrorKind::MissingField("missing field `path`".into()),
            format!("{arg}.path"),
        ));
    };
    let n = path.len();
    for (name, col) in PATH_FIELDS.iter().zip([&conversions, &nulls, &value]).skip(1) {
        if let Some(c) = col
            && c.len() != n
        {
            let msg = format!("column `{name}` has {} rows, `path` has {n}", c.len());
            return Err(input_error(
                FieldErrorKind::InvalidValue(msg),
                format!("{arg}.{name}"),
            ));
        }
    }
    fn cell<'py>(col: &Option<Bound<'py, PyList>>, i: usize) -> PyResult<Option<Bound<'py, PyAny>>> {
        col.as_ref().map(|c| c.get_item(i)).transpose()
    }
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let p = path.get_item(i)?;
        let (c, u, v) = (cell(&conversions, i)?, cell(&nulls, i)?, cell(&value, i)?);
        let fast = (|| {
            let mut row = defaults.clone();
            row.path = text(&p)?;
            if let Some(c) = &c {
                row.conversions = count(c)?;
            }
            if let Some(u) = &u {
                row.nulls = count(u)?;
            }
            if let Some(v) = &v {
                row.value = amount(v)?;
            }
            Some(row)
        })();
        out.push(match fast {
            Some(row) => row,
            None => {
                let d = PyDict::new(py);
                for (name, cell) in PATH_FIELDS.iter().zip([Some(p), c, u, v]) {
                    if let Some(cell) = cell {
                        d.set_item(name, cell)?;
                    }
                }
                slow_row(d.as_any(), arg, i)?
            }
        });
    }
    Ok(out)
}

fn journeys(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<Journey>> {
    match obj {
        Some(o) if !o.is_none() => from_py(o, "journeys"),
        _ => Ok(Vec::new()),
    }
}

fn optional_paths(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<PathCount>> {
    match obj {
        Some(o) if !o.is_none() => paths(o, "paths"),
        _ => Ok(Vec::new()),
    }
}

/// Credits per channel (or campaign) under every configured model, from journeys and/or path
/// counts; with `threads`, split over that many threads (the same result, bit for bit).
#[pyfunction]
#[pyo3(signature = (config, journeys = None, paths = None, threads = None))]
pub fn attribute(
    py: Python<'_>,
    config: &Bound<'_, PyAny>,
    journeys: Option<&Bound<'_, PyAny>>,
    paths: Option<&Bound<'_, PyAny>>,
    threads: Option<usize>,
) -> PyResult<Py<PyAny>> {
    let config = config_arg::<PyAttributionConfig>(Some(config))?;
    let journeys = self::journeys(journeys)?;
    let paths = optional_paths(paths)?;
    let report = py
        .detach(|| match threads {
            Some(t) => attribution::attribute_parallel(&config, &journeys, &paths, t),
            None => attribution::attribute(&config, &journeys, &paths),
        })
        .map_err(to_py_err)?;
    to_py_as(py, &report, "AttributionReport")
}

/// How each heuristic model splits one journey's credit over its touches, with each touch's
/// role.
#[pyfunction]
pub fn explain_journey(
    py: Python<'_>,
    config: &Bound<'_, PyAny>,
    journey: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let config = config_arg::<PyAttributionConfig>(Some(config))?;
    let journey: Journey = from_py(journey, "journey")?;
    let out = attribution::explain_journey(&config, &journey).map_err(to_py_err)?;
    to_py_as(py, &out, "JourneyExplanation")
}

/// The channel that owns each customer under the ownership rule, with the reason, and totals
/// per channel.
#[pyfunction]
pub fn ownership(
    py: Python<'_>,
    config: &Bound<'_, PyAny>,
    journeys: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let config = config_arg::<PyOwnershipConfig>(Some(config))?;
    let journeys: Vec<Journey> = from_py(journeys, "journeys")?;
    let out = py
        .detach(|| attribution::ownership(&config, &journeys))
        .map_err(to_py_err)?;
    to_py_as(py, &out, "OwnershipReport")
}

/// Locks an accumulator (a poisoned lock cannot happen without a panic, which the core never
/// does; it is reported rather than trusted).
pub fn lock<T>(m: &Mutex<T>) -> PyResult<MutexGuard<'_, T>> {
    m.lock()
        .map_err(|_| PyRuntimeError::new_err("accumulator lock poisoned"))
}

/// `(cls.from_bytes, (bytes,))` for pickling.
pub fn reduce_bytes<'py>(
    slf: &Bound<'py, PyAny>,
    bytes: Vec<u8>,
) -> PyResult<Bound<'py, PyTuple>> {
    let py = slf.py();
    let ctor = slf.get_type().getattr(intern!(py, "from_bytes"))?;
    let args = PyTuple::new(py, [PyBytes::new(py, &bytes)])?;
    PyTuple::new(py, [ctor, args.into_any()])
}

/// Attribution state built in pieces: add journeys and path counts, merge accumulators built
/// elsewhere (another process, a Spark or Dask partition), finish into a report. Adding in any
/// split and merging gives the same report as one pass, bit for bit. Ships as compact bytes
/// (`to_bytes`, and pickle) or JSON (`to_json`). Thread-safe: calls on one accumulator take
/// turns.
#[pyclass(module = "leadcore._native", name = "AttributionAccumulator", frozen)]
pub struct PyAttributionAccumulator {
    inner: Mutex<AttributionAccumulator>,
}

impl PyAttributionAccumulator {
    fn wrap(inner: AttributionAccumulator) -> Self {
        Self {
            inner: Mutex::new(inner),
        }
    }
}

#[pymethods]
impl PyAttributionAccumulator {
    /// An empty accumulator for `config` (an `AttributionConfig`, dict or JSON text).
    #[new]
    fn new(config: &Bound<'_, PyAny>) -> PyResult<Self> {
        let config = config_arg::<PyAttributionConfig>(Some(config))?;
        Ok(Self::wrap(
            AttributionAccumulator::new(config.as_ref().clone()).map_err(to_py_err)?,
        ))
    }

    /// The configuration.
    #[getter]
    fn config(&self, py: Python<'_>) -> PyResult<Py<PyAttributionConfig>> {
        let config = lock(&self.inner)?.config().clone();
        Py::new(py, PyAttributionConfig::from(config))
    }

    /// Adds one journey (errors name it `journey`).
    fn add_journey(&self, py: Python<'_>, journey: &Bound<'_, PyAny>) -> PyResult<()> {
        let journey: Journey = from_py(journey, "journey")?;
        py.detach(|| lock(&self.inner)?.add_journey(&journey).map_err(to_py_err))
    }

    /// Adds journeys (errors name them `journeys[i]`); stops at the first bad one, the ones
    /// before it stay added.
    fn add_journeys(&self, py: Python<'_>, journeys: &Bound<'_, PyAny>) -> PyResult<()> {
        let journeys: Vec<Journey> = from_py(journeys, "journeys")?;
        py.detach(|| lock(&self.inner)?.add_journeys(&journeys).map_err(to_py_err))
    }

    /// Adds one path count `{"path", "conversions", "nulls", "value"}` (errors name it `path`).
    fn add_path(&self, py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<()> {
        let path = match fast_row(path, path_defaults(py)?) {
            Some(p) => p,
            None => from_py(path, "path")?,
        };
        py.detach(|| lock(&self.inner)?.add_path(&path).map_err(to_py_err))
    }

    /// Adds path counts: a list of dicts or a table of columns (errors name rows `paths[i]`);
    /// stops at the first bad one, the ones before it stay added.
    fn add_paths(&self, py: Python<'_>, paths: &Bound<'_, PyAny>) -> PyResult<()> {
        let paths = self::paths(paths, "paths")?;
        py.detach(|| lock(&self.inner)?.add_paths(&paths).map_err(to_py_err))
    }

    /// Adds everything `other` accumulated (same configuration required).
    fn merge(&self, py: Python<'_>, other: &Bound<'_, PyAttributionAccumulator>) -> PyResult<()> {
        let other = other.get();
        py.detach(|| {
            // Copy first: `other` may be this very accumulator.
            let theirs = lock(&other.inner)?.clone();
            lock(&self.inner)?.merge(&theirs).map_err(to_py_err)
        })
    }

    /// The report so far (the accumulator is unchanged and can keep adding).
    fn finish(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let report = py.detach(|| lock(&self.inner)?.finish().map_err(to_py_err))?;
        to_py_as(py, &report, "AttributionReport")
    }

    /// The state in the compact binary form.
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = py.detach(|| Ok::<_, PyErr>(lock(&self.inner)?.to_bytes()))?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// An accumulator from `to_bytes` output (bytes, bytearray).
    #[classmethod]
    fn from_bytes(
        _cls: &Bound<'_, pyo3::types::PyType>,
        py: Python<'_>,
        data: PyBackedBytes,
    ) -> PyResult<Self> {
        let acc = py
            .detach(|| AttributionAccumulator::from_bytes(&data))
            .map_err(to_py_err)?;
        Ok(Self::wrap(acc))
    }

    /// The state as JSON text (exact sums as decimal strings).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        py.detach(|| Ok(lock(&self.inner)?.to_json()))
    }

    /// An accumulator from `to_json` text.
    #[classmethod]
    fn from_json(
        _cls: &Bound<'_, pyo3::types::PyType>,
        py: Python<'_>,
        text: &str,
    ) -> PyResult<Self> {
        let acc = py
            .detach(|| AttributionAccumulator::from_json(text))
            .map_err(to_py_err)?;
        Ok(Self::wrap(acc))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let bytes = lock(&slf.get().inner)?.to_bytes();
        reduce_bytes(slf.as_any(), bytes)
    }
}

/// Registers this module's classes and functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyAttributionConfig>()?;
    m.add_class::<PyOwnershipConfig>()?;
    m.add_class::<PyAttributionAccumulator>()?;
    m.add_function(wrap_pyfunction!(attribute, m)?)?;
    m.add_function(wrap_pyfunction!(explain_journey, m)?)?;
    m.add_function(wrap_pyfunction!(ownership, m)?)?;
    Ok(())
}
