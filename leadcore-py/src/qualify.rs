//! Conditions, qualification gates and temperature.

use leadcore::condition::{Condition, Scores};
use leadcore::qualify::{RuleSet, TemperatureThresholds};
use leadcore::{Event, Lead};
use pyo3::prelude::*;

use crate::config::{config_arg, config_class};
use crate::conv::{from_py, instant, to_py};
use crate::errors::to_py_err;

config_class!(
    /// Qualification gates (MQL, SQL, SAL…), each a condition.
    PyRuleSet, "RuleSet", RuleSet, presets
);

config_class!(
    /// One condition of the condition language.
    PyCondition, "Condition", Condition
);

config_class!(
    /// Score thresholds for cold / warm / hot.
    PyTemperatureThresholds, "TemperatureThresholds", TemperatureThresholds
);

struct FactArgs {
    lead: Lead,
    events: Vec<Event>,
    now: chrono::DateTime<chrono::Utc>,
    scores: Scores,
}

fn facts(
    lead: &Bound<'_, PyAny>,
    events: Option<&Bound<'_, PyAny>>,
    now: &Bound<'_, PyAny>,
    scores: Option<&Bound<'_, PyAny>>,
) -> PyResult<FactArgs> {
    Ok(FactArgs {
        lead: from_py(lead, "lead")?,
        events: events
            .filter(|e| !e.is_none())
            .map(|e| from_py(e, "events"))
            .transpose()?
            .unwrap_or_default(),
        now: instant(now, "now")?,
        scores: scores
            .filter(|s| !s.is_none())
            .map(|s| from_py(s, "scores"))
            .transpose()?
            .unwrap_or_default(),
    })
}

/// Every gate's verdict for a lead, with per-criterion results.
#[pyfunction]
#[pyo3(signature = (rules, lead, events, now, scores = None))]
pub fn qualify(
    py: Python<'_>,
    rules: &Bound<'_, PyAny>,
    lead: &Bound<'_, PyAny>,
    events: Option<&Bound<'_, PyAny>>,
    now: &Bound<'_, PyAny>,
    scores: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let rules = config_arg::<PyRuleSet>(Some(rules))?;
    let f = facts(lead, events, now, scores)?;
    let out = leadcore::qualify::qualify(&rules, &f.lead, &f.events, f.now, &f.scores)
        .map_err(to_py_err)?;
    to_py(py, &out)
}

/// One gate's verdict for a lead.
#[pyfunction]
#[pyo3(signature = (rules, gate, lead, events, now, scores = None))]
pub fn qualify_gate(
    py: Python<'_>,
    rules: &Bound<'_, PyAny>,
    gate: &Bound<'_, PyAny>,
    lead: &Bound<'_, PyAny>,
    events: Option<&Bound<'_, PyAny>>,
    now: &Bound<'_, PyAny>,
    scores: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let rules = config_arg::<PyRuleSet>(Some(rules))?;
    let f = facts(lead, events, now, scores)?;
    let gate = crate::conv::str_arg(gate, "gate")?;
    let out = leadcore::qualify::qualify_gate(&rules, &gate, &f.lead, &f.events, f.now, &f.scores)
        .map_err(to_py_err)?;
    to_py(py, &out)
}

/// Evaluates one condition for a lead and explains every criterion.
#[pyfunction]
#[pyo3(signature = (condition, lead, events, now, scores = None))]
pub fn evaluate_condition(
    py: Python<'_>,
    condition: &Bound<'_, PyAny>,
    lead: &Bound<'_, PyAny>,
    events: Option<&Bound<'_, PyAny>>,
    now: &Bound<'_, PyAny>,
    scores: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let condition = config_arg::<PyCondition>(Some(condition))?;
    let f = facts(lead, events, now, scores)?;
    let out = leadcore::condition::evaluate(&condition, &f.lead, &f.events, f.now, &f.scores)
        .map_err(to_py_err)?;
    to_py(py, &out)
}

/// Cold, warm or hot for a score, with the reason.
#[pyfunction]
#[pyo3(signature = (score, thresholds = None))]
pub fn temperature(
    py: Python<'_>,
    score: &Bound<'_, PyAny>,
    thresholds: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let thresholds = config_arg::<PyTemperatureThresholds>(thresholds)?;
    let score: f64 = from_py(score, "score")?;
    to_py(
        py,
        &leadcore::qualify::temperature(&thresholds, score).map_err(to_py_err)?,
    )
}

/// Registers this module's classes and functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyRuleSet>()?;
    m.add_class::<PyCondition>()?;
    m.add_class::<PyTemperatureThresholds>()?;
    m.add_function(wrap_pyfunction!(qualify, m)?)?;
    m.add_function(wrap_pyfunction!(qualify_gate, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate_condition, m)?)?;
    m.add_function(wrap_pyfunction!(temperature, m)?)?;
    Ok(())
}
