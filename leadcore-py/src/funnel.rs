//! Funnel and money: the funnel (and its mergeable, picklable `FunnelAccumulator`), channel
//! ROI, the weighted pipeline forecast, the MLG index and capacity planning.

use std::sync::Mutex;

use leadcore::Lead;
use leadcore::funnel::{
    CapacityConfig, ForecastConfig, FunnelAccumulator, FunnelConfig, MlgConfig, PlanInput,
    RoiConfig, Simulation, Spend,
};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::{PyBytes, PyTuple, PyType};

use crate::attribution::{lock, reduce_bytes};
use crate::config::{config_arg, config_class};
use crate::conv::{from_py, to_py, to_py_as};
use crate::errors::to_py_err;

config_class!(
    /// Funnel stages, time basis, period size, UTC offset and dimensions.
    PyFunnelConfig, "FunnelConfig", FunnelConfig
);

config_class!(
    /// The ROI chain: a funnel, the spend dimension and the revenue stage.
    PyRoiConfig, "RoiConfig", RoiConfig
);

config_class!(
    /// Win probability per stage, amount and close-date attributes, periods.
    PyForecastConfig, "ForecastConfig", ForecastConfig
);

config_class!(
    /// The customer stage and the channels that count as marketing.
    PyMlgConfig, "MlgConfig", MlgConfig
);

config_class!(
    /// Stage conversion rates, role capacities, deal size and cost per lead.
    PyCapacityConfig, "CapacityConfig", CapacityConfig
);

fn leads(obj: &Bound<'_, PyAny>) -> PyResult<Vec<Lead>> {
    crate::arrow::leads_arg(obj)
}

/// The funnel of `leads`: counts, conversion, time in stage and amounts per stage, by period
/// and dimension.
#[pyfunction]
pub fn funnel(
    py: Python<'_>,
    config: &Bound<'_, PyAny>,
    leads: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let config = config_arg::<PyFunnelConfig>(Some(config))?;
    let leads = self::leads(leads)?;
    let out = py
        .detach(|| leadcore::funnel::funnel(&config, &leads))
        .map_err(to_py_err)?;
    to_py_as(py, &out, "FunnelReport")
}

/// Channel ROI: spend → leads → MQL → … → payment per channel and period, with cost per stage,
/// revenue and ROI.
#[pyfunction]
#[pyo3(signature = (config, leads, spend = None))]
pub fn channel_roi(
    py: Python<'_>,
    config: &Bound<'_, PyAny>,
    leads: &Bound<'_, PyAny>,
    spend: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let config = config_arg::<PyRoiConfig>(Some(config))?;
    let leads = self::leads(leads)?;
    let spend: Vec<Spend> = match spend {
        Some(s) if !s.is_none() => from_py(s, "spend")?,
        _ => Vec::new(),
    };
    let out = py
        .detach(|| leadcore::funnel::channel_roi(&config, &leads, &spend))
        .map_err(to_py_err)?;
    to_py_as(py, &out, "RoiReport")
}

/// The weighted pipeline forecast: Σ amount × stage probability by period and rep.
#[pyfunction]
pub fn forecast(
    py: Python<'_>,
    config: &Bound<'_, PyAny>,
    leads: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let config = config_arg::<PyForecastConfig>(Some(config))?;
    let leads = self::leads(leads)?;
    let out = py
        .detach(|| leadcore::funnel::forecast(&config, &leads))
        .map_err(to_py_err)?;
    to_py_as(py, &out, "ForecastReport")
}

/// The MLG index: marketing-sourced new customers ÷ all new customers, per period and overall.
#[pyfunction]
pub fn mlg_index(
    py: Python<'_>,
    config: &Bound<'_, PyAny>,
    leads: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let config = config_arg::<PyMlgConfig>(Some(config))?;
    let leads = self::leads(leads)?;
    let out = py
        .detach(|| leadcore::funnel::mlg_index(&config, &leads))
        .map_err(to_py_err)?;
    to_py_as(py, &out, "MlgReport")
}

/// Leads needed for a revenue target (or volumes for a lead count) and headcount per role.
#[pyfunction]
pub fn capacity_plan(
    py: Python<'_>,
    config: &Bound<'_, PyAny>,
    plan: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let config = config_arg::<PyCapacityConfig>(Some(config))?;
    let plan: PlanInput = from_py(plan, "plan")?;
    to_py(
        py,
        &leadcore::funnel::capacity_plan(&config, &plan).map_err(to_py_err)?,
    )
}

/// The capacity plan simulated (seeded): percentiles of leads, stage volumes, revenue, cost
/// and heads.
#[pyfunction]
#[pyo3(signature = (config, plan, simulation = None))]
pub fn capacity_monte_carlo(
    py: Python<'_>,
    config: &Bound<'_, PyAny>,
    plan: &Bound<'_, PyAny>,
    simulation: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let config = config_arg::<PyCapacityConfig>(Some(config))?;
    let plan: PlanInput = from_py(plan, "plan")?;
    let simulation: Simulation = match simulation {
        Some(s) if !s.is_none() => from_py(s, "simulation")?,
        _ => Simulation::default(),
    };
    let out = py
        .detach(|| leadcore::funnel::capacity_monte_carlo(&config, &plan, &simulation))
        .map_err(to_py_err)?;
    to_py(py, &out)
}

/// Funnel tallies built in pieces: add leads, merge accumulators built elsewhere (another
/// process, a Spark or Dask partition), finish into a report. Any split gives the same report
/// as one pass. Ships as compact bytes (`to_bytes`, and pickle) or JSON (`to_json`).
/// Thread-safe: calls on one accumulator take turns.
#[pyclass(module = "leadcore._native", name = "FunnelAccumulator", frozen)]
pub struct PyFunnelAccumulator {
    inner: Mutex<FunnelAccumulator>,
}

impl PyFunnelAccumulator {
    fn wrap(inner: FunnelAccumulator) -> Self {
        Self {
            inner: Mutex::new(inner),
        }
    }
}

#[pymethods]
impl PyFunnelAccumulator {
    /// An empty accumulator for `config` (a `FunnelConfig`, dict or JSON text).
    #[new]
    fn new(config: &Bound<'_, PyAny>) -> PyResult<Self> {
        let config = config_arg::<PyFunnelConfig>(Some(config))?;
        Ok(Self::wrap(
            FunnelAccumulator::new(config.as_ref().clone()).map_err(to_py_err)?,
        ))
    }

    /// The configuration.
    #[getter]
    fn config(&self, py: Python<'_>) -> PyResult<Py<PyFunnelConfig>> {
        let config = lock(&self.inner)?.config().clone();
        Py::new(py, PyFunnelConfig::from(config))
    }

    /// Adds one lead (errors name it `lead`).
    fn add_lead(&self, py: Python<'_>, lead: &Bound<'_, PyAny>) -> PyResult<()> {
        let lead: Lead = from_py(lead, "lead")?;
        py.detach(|| lock(&self.inner)?.add_lead(&lead).map_err(to_py_err))
    }

    /// Adds leads (errors name them `leads[i]`); stops at the first bad one, the ones before
    /// it stay added.
    fn add_leads(&self, py: Python<'_>, leads: &Bound<'_, PyAny>) -> PyResult<()> {
        let leads = self::leads(leads)?;
        py.detach(|| lock(&self.inner)?.add_leads(&leads).map_err(to_py_err))
    }

    /// Adds everything `other` accumulated (same configuration required).
    fn merge(&self, py: Python<'_>, other: &Bound<'_, PyFunnelAccumulator>) -> PyResult<()> {
        let other = other.get();
        py.detach(|| {
            // Copy first: `other` may be this very accumulator.
            let theirs = lock(&other.inner)?.clone();
            lock(&self.inner)?.merge(&theirs).map_err(to_py_err)
        })
    }

    /// The funnel so far (the accumulator is unchanged and can keep adding).
    fn finish(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let report = py.detach(|| Ok::<_, PyErr>(lock(&self.inner)?.finish()))?;
        to_py_as(py, &report, "FunnelReport")
    }

    /// The state in the compact binary form.
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = py.detach(|| lock(&self.inner)?.to_bytes().map_err(to_py_err))?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// An accumulator from `to_bytes` output (bytes, bytearray).
    #[classmethod]
    fn from_bytes(_cls: &Bound<'_, PyType>, py: Python<'_>, data: PyBackedBytes) -> PyResult<Self> {
        let acc = py
            .detach(|| FunnelAccumulator::from_bytes(&data))
            .map_err(to_py_err)?;
        Ok(Self::wrap(acc))
    }

    /// The state as JSON text.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        py.detach(|| Ok(lock(&self.inner)?.to_json()))
    }

    /// An accumulator from `to_json` text.
    #[classmethod]
    fn from_json(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        let text = crate::conv::str_arg(text, "state")?;
        let acc = py
            .detach(|| FunnelAccumulator::from_json(&text))
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
    m.add_class::<PyFunnelConfig>()?;
    m.add_class::<PyRoiConfig>()?;
    m.add_class::<PyForecastConfig>()?;
    m.add_class::<PyMlgConfig>()?;
    m.add_class::<PyCapacityConfig>()?;
    m.add_class::<PyFunnelAccumulator>()?;
    m.add_function(wrap_pyfunction!(funnel, m)?)?;
    m.add_function(wrap_pyfunction!(channel_roi, m)?)?;
    m.add_function(wrap_pyfunction!(forecast, m)?)?;
    m.add_function(wrap_pyfunction!(mlg_index, m)?)?;
    m.add_function(wrap_pyfunction!(capacity_plan, m)?)?;
    m.add_function(wrap_pyfunction!(capacity_monte_carlo, m)?)?;
    Ok(())
}
