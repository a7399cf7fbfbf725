//! Attribution: credit per channel under every model, per-journey splits, the ownership rule,
//! and the mergeable, picklable `AttributionAccumulator`.
//!
//! Path counts are read in batches ([`crate::paths`]) and attributed while the next batch is
//! converted; touch tables are read through the core's table layer ([`crate::arrow::read_tables`]).

use std::sync::{Mutex, MutexGuard};

use leadcore::attribution::{
    self, AttributionAccumulator, AttributionConfig, Journey, OwnershipConfig,
};
use pyo3::exceptions::PyRuntimeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::{PyBytes, PyTuple};

use crate::config::{config_arg, config_class};
use crate::conv::{from_py, to_py_as};
use crate::errors::to_py_err;
use crate::paths::{PathSource, path_count};

config_class!(
    /// Which attribution models to run, at which level (channel or campaign).
    PyAttributionConfig, "AttributionConfig", AttributionConfig
);

config_class!(
    /// The ownership rule's window (default 3 months).
    PyOwnershipConfig, "OwnershipConfig", OwnershipConfig
);

fn journeys(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<Journey>> {
    match obj {
        Some(o) if !o.is_none() => from_py(o, "journeys"),
        _ => Ok(Vec::new()),
    }
}

/// What can stop a batched run: a Python error converting a batch, or a leadcore error.
enum Failure {
    Py(PyErr),
    Lead(leadcore::Error),
}

impl From<leadcore::Error> for Failure {
    fn from(e: leadcore::Error) -> Self {
        Failure::Lead(e)
    }
}

impl From<Failure> for PyErr {
    fn from(f: Failure) -> Self {
        match f {
            Failure::Py(e) => e,
            Failure::Lead(e) => to_py_err(e),
        }
    }
}

/// Credits per channel (or campaign) under every configured model, from journeys and/or path
/// counts, split over `threads` threads (default: the available parallelism; the same result,
/// bit for bit, for any count).
#[pyfunction]
#[pyo3(signature = (config, journeys = None, paths = None, threads = None))]
pub fn attribute(
    py: Python<'_>,
    config: &Bound<'_, PyAny>,
    journeys: Option<&Bound<'_, PyAny>>,
    paths: Option<&Bound<'_, PyAny>>,
    threads: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let config = config_arg::<PyAttributionConfig>(Some(config))?;
    let journeys = self::journeys(journeys)?;
    let threads = crate::conv::threads_arg(threads)?;
    let report = match paths.filter(|p| !p.is_none()) {
        // Path counts are converted batch by batch on this thread (taking the GIL for each)
        // while `threads` workers attribute the batches already converted.
        Some(paths) => {
            let mut source = PathSource::new(paths, "paths")?;
            py.detach(|| {
                let batches =
                    std::iter::from_fn(|| source.next_batch().map(|b| b.map_err(Failure::Py)));
                attribution::attribute_batches(&config, &journeys, batches, threads)
            })?
        }
        None => py
            .detach(|| attribution::attribute_parallel(&config, &journeys, &[], threads))
            .map_err(to_py_err)?,
    };
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
pub fn reduce_bytes<'py>(slf: &Bound<'py, PyAny>, bytes: Vec<u8>) -> PyResult<Bound<'py, PyTuple>> {
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
        py.detach(|| {
            lock(&self.inner)?
                .add_journeys(&journeys)
                .map_err(to_py_err)
        })
    }

    /// Adds the journeys of a touch table, one row per touch: a pandas DataFrame, a pyarrow
    /// Table or a dict of columns `journey_id`, `channel`, `at`, optional `campaign`,
    /// milestone flags, `converted` and `value` (see `leadcore::attribution::TOUCHES`). Errors
    /// name the column and row (`touches.at[17]`); stops at the first bad journey, the ones
    /// before it stay added.
    fn add_journey_columns(&self, touches: &Bound<'_, PyAny>) -> PyResult<()> {
        let added = crate::arrow::read_tables(touches, "touches", |tables| {
            let touches = attribution::TouchTable::gather(tables).map_err(to_py_err)?;
            let mut acc = lock(&self.inner)?;
            touches
                .with_columns(|cols| acc.add_journey_columns(cols))
                .map_err(to_py_err)
        })?;
        added.ok_or_else(|| {
            let msg = format!(
                "invalid type: expected a table (a DataFrame, an Arrow table or a dict of columns), got `{}`",
                touches.get_type().name().map(|n| n.to_string()).unwrap_or_default()
            );
            to_py_err(leadcore::InputError::new(leadcore::FieldErrorKind::InvalidType(msg), "touches"))
        })
    }

    /// Adds one path count `{"path", "conversions", "nulls", "value"}` (errors name it `path`).
    fn add_path(&self, py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<()> {
        let path = path_count(path, "path")?;
        py.detach(|| lock(&self.inner)?.add_path(&path).map_err(to_py_err))
    }

    /// Adds path counts: a list of dicts or a table of columns (errors name rows `paths[i]`);
    /// stops at the first bad one, the ones before it stay added.
    fn add_paths(&self, py: Python<'_>, paths: &Bound<'_, PyAny>) -> PyResult<()> {
        let mut source = PathSource::new(paths, "paths")?;
        let mut first = 0;
        py.detach(|| {
            while let Some(batch) = source.next_batch() {
                let batch = batch?;
                lock(&self.inner)?
                    .add_batch(&batch, first)
                    .map_err(to_py_err)?;
                first += batch.len();
            }
            Ok(())
        })
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
        let bytes = py.detach(|| lock(&self.inner)?.to_bytes().map_err(to_py_err))?;
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
        text: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        let text = crate::conv::str_arg(text, "state")?;
        let acc = py
            .detach(|| AttributionAccumulator::from_json(&text))
            .map_err(to_py_err)?;
        Ok(Self::wrap(acc))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let bytes = lock(&slf.get().inner)?.to_bytes().map_err(to_py_err)?;
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
