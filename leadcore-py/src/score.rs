//! Scoring: the `ScoringModel` class (a validated model compiled once into a scorer), the
//! one-call functions, source quality, what-if, and the columnar path over numpy arrays.
//!
//! Every scoring call releases the GIL while the core computes. Batch calls take `threads`
//! (`None`: the machine's available parallelism); results never depend on it.

mod columns;

use std::sync::Arc;

use leadcore::CompiledCondition;
use leadcore::input::Config;
use leadcore::score::columns::{ColumnBuffers, events_from_tables};
use leadcore::score::source::{self, SourceModel, SourceOutcome};
use leadcore::score::{Grade, Proposal, ScoreTable, Scorer, ScoringModel, Tier};
use leadcore::{Event, EventKind, Lead};
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};

use crate::config::{config_arg, config_class};
use crate::conv::{config_from_py, from_py, instant, threads_arg, to_py};
use crate::errors::to_py_err;
use crate::qualify::PyCondition;

/// A scoring model (behavior, fit, source, combination, tiers), validated and compiled once;
/// its methods score without recompiling. Compares by value and pickles as its JSON.
#[pyclass(module = "leadcore._native", name = "ScoringModel", frozen, eq)]
pub struct PyScoringModel {
    scorer: Arc<Scorer>,
}

impl PartialEq for PyScoringModel {
    fn eq(&self, other: &Self) -> bool {
        self.scorer.model() == other.scorer.model()
    }
}

fn compile(model: ScoringModel) -> PyResult<Arc<Scorer>> {
    Scorer::new(model).map(Arc::new).map_err(to_py_err)
}

/// A model argument: a `ScoringModel`, a dict or JSON text (`None`: the empty model).
fn scorer_arg(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Arc<Scorer>> {
    match obj {
        Some(o) if !o.is_none() => match o.cast::<PyScoringModel>() {
            Ok(m) => Ok(Arc::clone(&m.get().scorer)),
            Err(_) => compile(config_from_py(o)?),
        },
        _ => compile(ScoringModel::from_value(serde_json::json!({})).map_err(to_py_err)?),
    }
}

fn events_arg(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<Event>> {
    match obj {
        Some(o) if !o.is_none() => crate::arrow::events_arg(o),
        _ => Ok(Vec::new()),
    }
}

/// Leads converted once and shared by many calls.
#[pyclass(module = "leadcore._native", name = "LeadTable", frozen)]
pub struct PyLeadTable {
    leads: Arc<Vec<Lead>>,
}

#[pymethods]
impl PyLeadTable {
    /// Reads and validates leads (a list of lead dicts or a dict of columns) once, for batch
    /// calls that score the same leads again (new events, another `now`, another model).
    #[new]
    fn new(leads: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Self {
            leads: Arc::new(read_leads(leads)?),
        })
    }

    fn __len__(&self) -> usize {
        self.leads.len()
    }

    /// The leads as dicts, in order.
    fn to_list(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, self.leads.as_ref())
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let list = to_py(py, slf.get().leads.as_ref())?;
        let args = PyTuple::new(py, [list])?;
        PyTuple::new(py, [slf.get_type().into_any(), args.into_any()])
    }

    fn __repr__(&self) -> String {
        format!("LeadTable({} leads)", self.leads.len())
    }
}

/// A list of lead dicts or a table (a DataFrame, an Arrow table or a dict of columns).
fn read_leads(obj: &Bound<'_, PyAny>) -> PyResult<Vec<Lead>> {
    crate::arrow::leads_arg(obj)
}

/// The leads of a call: a `LeadTable` (shared, not copied) or leads read for this call.
enum Leads {
    Shared(Arc<Vec<Lead>>),
    Owned(Vec<Lead>),
}

impl std::ops::Deref for Leads {
    type Target = [Lead];
    fn deref(&self) -> &[Lead] {
        match self {
            Leads::Shared(l) => l,
            Leads::Owned(l) => l,
        }
    }
}

/// `leads`: a `LeadTable`, a list of lead dicts, or a dict of columns.
fn leads_arg(obj: &Bound<'_, PyAny>) -> PyResult<Leads> {
    match obj.cast::<PyLeadTable>() {
        Ok(t) => Ok(Leads::Shared(Arc::clone(&t.get().leads))),
        Err(_) => read_leads(obj).map(Leads::Owned),
    }
}

fn score_lead_with(
    py: Python<'_>,
    scorer: &Scorer,
    lead: &Bound<'_, PyAny>,
    events: Option<&Bound<'_, PyAny>>,
    now: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let lead: Lead = from_py(lead, "lead")?;
    let events = events_arg(events)?;
    let now = instant(now, "now")?;
    let out = py
        .detach(|| scorer.score(&lead, &events, now))
        .map_err(to_py_err)?;
    to_py(py, &out)
}

fn score_batch_with(
    py: Python<'_>,
    scorer: &Scorer,
    leads: &Bound<'_, PyAny>,
    events: Option<&Bound<'_, PyAny>>,
    now: &Bound<'_, PyAny>,
    threads: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let leads = leads_arg(leads)?;
    // An Arrow event table (its lead_id column matched like row events' lead_id) takes the
    // columnar path: the same scores and unmatched count.
    if let Some(obj) = events
        && let Some(buffers) = event_table(obj, &leads)?
    {
        let events = EventsArg::Table(buffers);
        return score_columns_read(py, scorer, leads, events, now, threads);
    }
    let events = events_arg(events)?;
    let now = instant(now, "now")?;
    let threads = threads_arg(threads)?;
    let out = py
        .detach(move || {
            // The leads and events are dropped here too, without the GIL.
            let out = scorer.score_batch(&leads, &events, now, threads);
            drop(leads);
            out
        })
        .map_err(to_py_err)?;
    to_py(py, &out)
}

/// Event columns: a dict of numpy arrays / lists (see `columns.rs`) or an event table.
enum EventsArg<'py> {
    Host(columns::Events<'py>),
    Table(ColumnBuffers),
}

/// The columns of an event table (an Arrow table or a DataFrame) for `leads`; `None` for
/// anything else (a dict is the compact form of `columns.rs`).
fn event_table(obj: &Bound<'_, PyAny>, leads: &[Lead]) -> PyResult<Option<ColumnBuffers>> {
    if obj.cast::<PyDict>().is_ok() {
        return Ok(None);
    }
    crate::arrow::read_tables(obj, "events", |t| {
        events_from_tables(t, leads).map_err(to_py_err)
    })
}

impl<'py> EventsArg<'py> {
    fn read(obj: &Bound<'py, PyAny>, leads: &[Lead]) -> PyResult<Self> {
        match event_table(obj, leads)? {
            Some(buffers) => Ok(Self::Table(buffers)),
            None => columns::events(obj).map(Self::Host),
        }
    }

    fn columns(&self) -> leadcore::score::EventColumns<'_> {
        match self {
            Self::Host(e) => e.columns(),
            Self::Table(b) => b.columns(),
        }
    }
}

fn score_columns_with(
    py: Python<'_>,
    scorer: &Scorer,
    leads: &Bound<'_, PyAny>,
    events: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
    threads: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let leads = leads_arg(leads)?;
    let events = EventsArg::read(events, &leads)?;
    score_columns_read(py, scorer, leads, events, now, threads)
}

/// [`score_columns_with`] once the leads and events are read.
fn score_columns_read(
    py: Python<'_>,
    scorer: &Scorer,
    leads: Leads,
    events: EventsArg<'_>,
    now: &Bound<'_, PyAny>,
    threads: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let now = instant(now, "now")?;
    let threads = threads_arg(threads)?;
    let cols = events.columns();
    let out = py
        .detach(move || {
            // The leads and events are dropped here too, without the GIL.
            let out = scorer.score_columns(&leads, cols, now, threads);
            drop(leads);
            out
        })
        .map_err(to_py_err)?;
    to_py(py, &out)
}

fn score_table_with(
    py: Python<'_>,
    scorer: &Scorer,
    leads: &Bound<'_, PyAny>,
    events: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
    threads: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let leads = leads_arg(leads)?;
    let events = EventsArg::read(events, &leads)?;
    let now = instant(now, "now")?;
    let threads = threads_arg(threads)?;
    let cols = events.columns();
    let table = py
        .detach(move || {
            // The leads and events are dropped here too, without the GIL.
            let out = scorer.score_table(&leads, cols, now, threads);
            drop(leads);
            out
        })
        .map_err(to_py_err)?;
    table_to_py(py, table)
}

/// The compact table as numpy arrays (the score vectors are moved, not copied); grades and
/// tiers as codes into `GRADES` and `TIERS` (tier −1: none).
fn table_to_py(py: Python<'_>, t: ScoreTable) -> PyResult<Py<PyAny>> {
    let d = PyDict::new(py);
    let grade: Vec<u8> = t.grade.iter().map(|g| g.index()).collect();
    let tier: Vec<i8> = t.tier.iter().map(|t| tier_code(*t)).collect();
    d.set_item("behavior", PyArray1::from_vec(py, t.behavior))?;
    d.set_item("fit", PyArray1::from_vec(py, t.fit))?;
    d.set_item("grade", PyArray1::from_vec(py, grade))?;
    d.set_item("source", PyArray1::from_vec(py, t.source))?;
    d.set_item("combined", PyArray1::from_vec(py, t.combined))?;
    d.set_item("tier", PyArray1::from_vec(py, tier))?;
    d.set_item("cutoffs", to_py(py, &t.cutoffs)?)?;
    d.set_item("ignored", to_py(py, &t.ignored)?)?;
    d.set_item("unmatched_events", t.unmatched_events)?;
    Ok(d.into_any().unbind())
}

const TIERS: [Tier; 3] = [Tier::Low, Tier::Mid, Tier::High];

fn tier_code(t: Option<Tier>) -> i8 {
    t.and_then(|t| TIERS.iter().position(|x| *x == t))
        .and_then(|i| i8::try_from(i).ok())
        .unwrap_or(-1)
}

#[pymethods]
impl PyScoringModel {
    /// Loads, validates and compiles a model from a dict or JSON text (`None`: the empty
    /// model); `{"preset": name}` loads a preset.
    #[new]
    #[pyo3(signature = (config = None))]
    fn new(config: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        Ok(Self {
            scorer: scorer_arg(config)?,
        })
    }

    /// A preset leadcore ships, by name.
    #[staticmethod]
    fn preset(name: &str) -> PyResult<Self> {
        let model =
            ScoringModel::from_value(serde_json::json!({ "preset": name })).map_err(to_py_err)?;
        Ok(Self {
            scorer: compile(model)?,
        })
    }

    /// The names of the presets leadcore ships.
    #[staticmethod]
    fn preset_names() -> Vec<&'static str> {
        leadcore::score::PRESETS.to_vec()
    }

    /// The model as a dict (normalized, defaults filled in).
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, self.scorer.model())
    }

    /// The model as compact JSON text.
    fn to_json(&self) -> String {
        Config::to_json(self.scorer.model())
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let json = Config::to_json(slf.get().scorer.model());
        crate::config::reduce(slf.as_any(), json)
    }

    fn __repr__(&self) -> String {
        format!("ScoringModel({})", Config::to_json(self.scorer.model()))
    }

    /// Scores one lead from its events as of `now`.
    #[pyo3(signature = (lead, events, now))]
    fn score_lead(
        &self,
        py: Python<'_>,
        lead: &Bound<'_, PyAny>,
        events: Option<&Bound<'_, PyAny>>,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        score_lead_with(py, &self.scorer, lead, events, now)
    }

    /// Scores many leads from row events matched by `lead_id`, or from an Arrow event table
    /// (`lead_id`, `kind`, `at`, …; see `score_columns`): the same scores.
    #[pyo3(signature = (leads, events, now, threads = None))]
    fn score_batch(
        &self,
        py: Python<'_>,
        leads: &Bound<'_, PyAny>,
        events: Option<&Bound<'_, PyAny>>,
        now: &Bound<'_, PyAny>,
        threads: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        score_batch_with(py, &self.scorer, leads, events, now, threads)
    }

    /// Scores many leads from columnar events, with full breakdowns.
    #[pyo3(signature = (leads, events, now, threads = None))]
    fn score_columns(
        &self,
        py: Python<'_>,
        leads: &Bound<'_, PyAny>,
        events: &Bound<'_, PyAny>,
        now: &Bound<'_, PyAny>,
        threads: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        score_columns_with(py, &self.scorer, leads, events, now, threads)
    }

    /// Scores many leads from columnar events into numpy arrays (the fast path).
    #[pyo3(signature = (leads, events, now, threads = None))]
    fn score_table(
        &self,
        py: Python<'_>,
        leads: &Bound<'_, PyAny>,
        events: &Bound<'_, PyAny>,
        now: &Bound<'_, PyAny>,
        threads: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        score_table_with(py, &self.scorer, leads, events, now, threads)
    }

    /// The leads whose tier or MQL verdict would change under `proposed`.
    #[pyo3(signature = (proposed, leads, events, now, mql = None, threads = None))]
    #[allow(clippy::too_many_arguments)]
    fn what_if(
        &self,
        py: Python<'_>,
        proposed: &Bound<'_, PyAny>,
        leads: &Bound<'_, PyAny>,
        events: Option<&Bound<'_, PyAny>>,
        now: &Bound<'_, PyAny>,
        mql: Option<&Bound<'_, PyAny>>,
        threads: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let proposed = scorer_arg(Some(proposed))?;
        let mql = match mql.filter(|m| !m.is_none()) {
            Some(m) => {
                let c = config_arg::<PyCondition>(Some(m))?;
                Some(CompiledCondition::compile_at(&c, "mql").map_err(to_py_err)?)
            }
            None => None,
        };
        let leads = leads_arg(leads)?;
        let events = events_arg(events)?;
        let now = instant(now, "now")?;
        let threads = threads_arg(threads)?;
        let current = &self.scorer;
        let out = py
            .detach(|| {
                leadcore::score::what_if(
                    current,
                    &proposed,
                    mql.as_ref(),
                    &leads,
                    &events,
                    now,
                    threads,
                )
            })
            .map_err(to_py_err)?;
        to_py(py, &out)
    }
}

config_class!(
    /// Source-channel quality: historical counts per source, prior, tiers, referral channels.
    PySourceModel, "SourceModel", SourceModel
);

/// Scores one lead under `model` as of `now`.
#[pyfunction]
#[pyo3(signature = (model, lead, events, now))]
pub fn score_lead(
    py: Python<'_>,
    model: &Bound<'_, PyAny>,
    lead: &Bound<'_, PyAny>,
    events: Option<&Bound<'_, PyAny>>,
    now: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    score_lead_with(py, scorer_arg(Some(model))?.as_ref(), lead, events, now)
}

/// Scores many leads from row events matched by `lead_id`, or from an Arrow event table
/// (`lead_id`, `kind`, `at`, …; see `score_columns`): the same scores.
#[pyfunction]
#[pyo3(signature = (model, leads, events, now, threads = None))]
pub fn score_batch(
    py: Python<'_>,
    model: &Bound<'_, PyAny>,
    leads: &Bound<'_, PyAny>,
    events: Option<&Bound<'_, PyAny>>,
    now: &Bound<'_, PyAny>,
    threads: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    score_batch_with(
        py,
        scorer_arg(Some(model))?.as_ref(),
        leads,
        events,
        now,
        threads,
    )
}

/// Scores many leads from columnar events, with full breakdowns.
#[pyfunction]
#[pyo3(signature = (model, leads, events, now, threads = None))]
pub fn score_columns(
    py: Python<'_>,
    model: &Bound<'_, PyAny>,
    leads: &Bound<'_, PyAny>,
    events: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
    threads: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    score_columns_with(
        py,
        scorer_arg(Some(model))?.as_ref(),
        leads,
        events,
        now,
        threads,
    )
}

/// Scores many leads from columnar events into numpy arrays (the fast path).
#[pyfunction]
#[pyo3(signature = (model, leads, events, now, threads = None))]
pub fn score_table(
    py: Python<'_>,
    model: &Bound<'_, PyAny>,
    leads: &Bound<'_, PyAny>,
    events: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
    threads: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    score_table_with(
        py,
        scorer_arg(Some(model))?.as_ref(),
        leads,
        events,
        now,
        threads,
    )
}

/// Evaluates a proposal `{"current", "proposed", "mql"}` on a population: the leads whose tier
/// or MQL verdict would change.
#[pyfunction]
#[pyo3(signature = (proposal, leads, events, now, threads = None))]
pub fn what_if(
    py: Python<'_>,
    proposal: &Bound<'_, PyAny>,
    leads: &Bound<'_, PyAny>,
    events: Option<&Bound<'_, PyAny>>,
    now: &Bound<'_, PyAny>,
    threads: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let proposal: Proposal = config_from_py(proposal)?;
    let leads = leads_arg(leads)?;
    let events = events_arg(events)?;
    let now = instant(now, "now")?;
    let threads = threads_arg(threads)?;
    let out = py
        .detach(|| leadcore::score::compare(&proposal, &leads, &events, now, threads))
        .map_err(to_py_err)?;
    to_py(py, &out)
}

/// Each source's smoothed conversion rate, score, rank, tier and route.
#[pyfunction]
pub fn source_quality(py: Python<'_>, model: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let model = config_arg::<PySourceModel>(Some(model))?;
    to_py(py, &source::quality(&model).map_err(to_py_err)?)
}

/// Counts leads and conversions per source from historical outcomes.
#[pyfunction]
pub fn source_counts(
    py: Python<'_>,
    converted_stages: &Bound<'_, PyAny>,
    outcomes: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let outcomes: Vec<SourceOutcome> = from_py(outcomes, "outcomes")?;
    let stages: Vec<String> = from_py(converted_stages, "converted_stages")?;
    to_py(py, &source::count_outcomes(&stages, &outcomes))
}

fn names<'py>(
    py: Python<'py>,
    names: impl Iterator<Item = String>,
) -> PyResult<Bound<'py, PyTuple>> {
    let names: Vec<Bound<'py, PyString>> = names.map(|n| PyString::new(py, &n)).collect();
    PyTuple::new(py, names)
}

/// Registers this module's classes, functions and constants.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<PyScoringModel>()?;
    m.add_class::<PySourceModel>()?;
    m.add_class::<PyLeadTable>()?;
    m.add_function(wrap_pyfunction!(score_lead, m)?)?;
    m.add_function(wrap_pyfunction!(score_batch, m)?)?;
    m.add_function(wrap_pyfunction!(score_columns, m)?)?;
    m.add_function(wrap_pyfunction!(score_table, m)?)?;
    m.add_function(wrap_pyfunction!(what_if, m)?)?;
    m.add_function(wrap_pyfunction!(source_quality, m)?)?;
    m.add_function(wrap_pyfunction!(source_counts, m)?)?;
    let kind_name = |k: &EventKind| {
        leadcore::input::to_value(k)
            .as_str()
            .map(str::to_string)
            .unwrap_or_default()
    };
    m.add(
        "EVENT_KINDS",
        names(py, EventKind::ALL.iter().map(kind_name))?,
    )?;
    m.add(
        "GRADES",
        names(py, Grade::ALL.iter().map(|g| g.as_str().to_string()))?,
    )?;
    let tier_name = |t: &Tier| {
        leadcore::input::to_value(t)
            .as_str()
            .map(str::to_string)
            .unwrap_or_default()
    };
    m.add("TIERS", names(py, TIERS.iter().map(tier_name))?)?;
    Ok(())
}
