//! Pipelines, transitions, due policies, stage times and lead conversion.

use leadcore::convert::FieldMapping;
use leadcore::lifecycle::TransitionRequest;
use leadcore::pipeline::Pipeline;
use leadcore::{Event, Lead};
use pyo3::prelude::*;

use crate::config::{config_arg, config_class};
use crate::conv::{from_py, instant, to_py};
use crate::errors::to_py_err;

config_class!(
    /// A stage pipeline: ordered stages, allowed edges and lifecycle policies.
    PyPipeline, "Pipeline", Pipeline, presets
);

config_class!(
    /// A lead → account + contact + opportunity field mapping.
    PyFieldMapping, "FieldMapping", FieldMapping, presets
);

/// The pipeline's allowed edges, all or those leaving `from_stage`.
#[pyfunction]
#[pyo3(signature = (pipeline, from_stage = None))]
pub fn pipeline_edges(
    py: Python<'_>,
    pipeline: &Bound<'_, PyAny>,
    from_stage: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let p = config_arg::<PyPipeline>(Some(pipeline))?;
    let from = from_stage
        .filter(|s| !s.is_none())
        .map(|s| crate::conv::str_arg(s, "from_stage"))
        .transpose()?;
    to_py(py, &from.map_or_else(|| p.edges(), |s| p.edges_from(&s)))
}

/// Moves a lead along an edge of the pipeline; returns the new lead, the change and reasons.
#[pyfunction]
pub fn transition(
    py: Python<'_>,
    pipeline: &Bound<'_, PyAny>,
    lead: &Bound<'_, PyAny>,
    request: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let pipeline = config_arg::<PyPipeline>(Some(pipeline))?;
    let lead: Lead = from_py(lead, "lead")?;
    let request: TransitionRequest = from_py(request, "request")?;
    let now = instant(now, "now")?;
    let out = leadcore::transition(&pipeline, &lead, &request, now).map_err(to_py_err)?;
    to_py(py, &out)
}

/// The lifecycle actions due for a lead at `now` (stale downgrades, expired cooldowns…).
#[pyfunction]
pub fn due(
    py: Python<'_>,
    pipeline: &Bound<'_, PyAny>,
    lead: &Bound<'_, PyAny>,
    events: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let pipeline = config_arg::<PyPipeline>(Some(pipeline))?;
    let lead: Lead = from_py(lead, "lead")?;
    let events: Vec<Event> = from_py(events, "events")?;
    let now = instant(now, "now")?;
    let out = leadcore::due(&pipeline, &lead, &events, now).map_err(to_py_err)?;
    to_py(py, &out)
}

/// Time in each stage and stage velocity, from the lead's history.
#[pyfunction]
pub fn stage_times(
    py: Python<'_>,
    lead: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let lead: Lead = from_py(lead, "lead")?;
    let now = instant(now, "now")?;
    to_py(py, &leadcore::stage_times(&lead, now).map_err(to_py_err)?)
}

/// Converts a qualified lead into account, contact and opportunity records.
#[pyfunction]
pub fn convert_lead(
    py: Python<'_>,
    mapping: &Bound<'_, PyAny>,
    lead: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let mapping = config_arg::<PyFieldMapping>(Some(mapping))?;
    let lead: Lead = from_py(lead, "lead")?;
    to_py(
        py,
        &leadcore::convert_lead(&mapping, &lead).map_err(to_py_err)?,
    )
}

/// Registers this module's classes and functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyPipeline>()?;
    m.add_class::<PyFieldMapping>()?;
    m.add_function(wrap_pyfunction!(pipeline_edges, m)?)?;
    m.add_function(wrap_pyfunction!(transition, m)?)?;
    m.add_function(wrap_pyfunction!(due, m)?)?;
    m.add_function(wrap_pyfunction!(stage_times, m)?)?;
    m.add_function(wrap_pyfunction!(convert_lead, m)?)?;
    Ok(())
}
