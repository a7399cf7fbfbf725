//! Lead pools: the policy, the pool state held natively, and the state machine's calls.
//!
//! `PoolState` owns a `leadcore::pool::PoolState` behind a `RwLock`, so a host applying many
//! commands never round-trips the whole state through dicts: only the command goes in and the
//! effects come out. `apply` and `tick` change the state in place, all or nothing (a refused
//! call raises `PoolError` and leaves the state exactly as it was).
//!
//! Threads: an instance may be shared between Python threads. Writers (`apply`, `tick`,
//! `reschedule`) take the write lock, readers the read lock, so calls on one state are
//! serialized. The lock is only ever waited for with the GIL released (a call first tries it
//! with the GIL held, and otherwise releases the GIL, then blocks), and no Python object is
//! touched while the lock is held without the GIL, so threads cannot deadlock. Heavy calls
//! (`tick`, `due`, `replay`, `simulate_day`, serializing and copying) always release the GIL.
//!
//! The functions `pool_apply`, `pool_tick`, … are the same calls on a state given as a dict
//! (`None`: the empty state); `pool_apply` and `pool_tick` return the new state as a dict under
//! `state`, next to the result.

use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use chrono::{DateTime, Utc};
use leadcore::Lead;
use leadcore::input::{self, Config};
use leadcore::pool::{self, LogEntry, Policy, PolicyConfig, PoolError, Records, Request};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};
use serde::Serialize;
use serde_json::Value;

use crate::config::reduce;
use crate::conv::{
    config_from_py, flag_arg, from_py, instant, str_arg, text, to_py, to_value, value_to_py,
};
use crate::errors::to_py_err;

/// A validated pool policy (pools, reps, teams, caps, protection, reclaim, escalation, routing,
/// SLA timers, nurture cadences), compiled once and shared by every call that takes it.
#[pyclass(module = "leadcore._native", name = "PoolPolicy", frozen, eq)]
pub struct PyPoolPolicy {
    inner: Arc<Policy>,
}

impl PartialEq for PyPoolPolicy {
    fn eq(&self, other: &Self) -> bool {
        self.inner.config() == other.inner.config()
    }
}

#[pymethods]
impl PyPoolPolicy {
    /// Loads, validates and compiles the policy from a dict or JSON text.
    #[new]
    fn new(config: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Self {
            inner: policy_arg(config)?,
        })
    }

    /// The policy as a dict (its config, normalized: defaults filled in).
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, self.inner.config())
    }

    /// The policy as compact JSON text.
    fn to_json(&self) -> String {
        self.inner.config().to_json()
    }

    /// Identifies the policy (16 hex digits of a hash of its canonical JSON); log entries
    /// carry it, and replay refuses entries written under a policy it was not given.
    #[getter]
    fn fingerprint(&self) -> &str {
        self.inner.fingerprint()
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        reduce(slf.as_any(), slf.get().inner.config().to_json())
    }

    fn __repr__(&self) -> String {
        format!("PoolPolicy({})", self.inner.config().to_json())
    }
}

/// Reads a policy argument: a `PoolPolicy`, or a dict / JSON text compiled for this call.
fn policy_arg(obj: &Bound<'_, PyAny>) -> PyResult<Arc<Policy>> {
    if let Ok(p) = obj.cast::<PyPoolPolicy>() {
        return Ok(Arc::clone(&p.get().inner));
    }
    let config: PolicyConfig = config_from_py(obj)?;
    Ok(Arc::new(config.compile().map_err(to_py_err)?))
}

/// Reads one policy or a list of policies (a log written under several).
fn policies_arg(obj: &Bound<'_, PyAny>) -> PyResult<Vec<Arc<Policy>>> {
    if let Ok(list) = obj.cast::<pyo3::types::PyList>() {
        return list.iter().map(|p| policy_arg(&p)).collect();
    }
    if let Ok(tuple) = obj.cast::<PyTuple>() {
        return tuple.iter().map(|p| policy_arg(&p)).collect();
    }
    Ok(vec![policy_arg(obj)?])
}

/// Reads one command (a dict, optionally with an `id`) or a list of them.
fn requests_arg(obj: &Bound<'_, PyAny>, arg: &str) -> PyResult<Vec<Request>> {
    Request::list_from_value(to_value(obj, arg)?).map_err(|e| to_py_err(e.at(arg)))
}

/// Reads one command (a dict, optionally with an `id`).
fn request_arg(obj: &Bound<'_, PyAny>, arg: &str) -> PyResult<Request> {
    Request::from_value(to_value(obj, arg)?).map_err(|e| to_py_err(e.at(arg)))
}

/// Reads records (`{"leads", "reps", "teams"}`, each record a dict or its JSON text, or the
/// whole as JSON text); `None` is no record.
fn records_arg(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Records> {
    match obj {
        Some(o) if !o.is_none() => {
            Records::from_value(to_value(o, "records")?).map_err(|e| to_py_err(e.at("records")))
        }
        _ => Ok(Records::default()),
    }
}

/// Reads an optional instant.
fn opt_instant(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<DateTime<Utc>>> {
    match obj {
        Some(o) if !o.is_none() => Ok(Some(instant(o, "now")?)),
        _ => Ok(None),
    }
}

/// Reads a state argument given as a dict; `None` is the empty state.
fn state_arg(obj: Option<&Bound<'_, PyAny>>) -> PyResult<pool::PoolState> {
    match obj {
        Some(o) if !o.is_none() => from_py(o, "state"),
        _ => Ok(pool::PoolState::default()),
    }
}

/// `{state, …result}`: the new state next to the result of the call (the vectors' shape).
fn with_state<T: Serialize>(result: &T, state: &pool::PoolState) -> Value {
    let mut v = input::to_value(result);
    if let Value::Object(map) = &mut v {
        map.insert("state".into(), input::to_value(state));
    }
    v
}

/// Where lead pools live for a Python host: every lead's holder, protection clock and history,
/// the reps' counters and the teams' rotations. Changed only by `apply` and `tick`.
#[pyclass(module = "leadcore._native", name = "PoolState", frozen)]
pub struct PyPoolState {
    inner: RwLock<pool::PoolState>,
}

impl PyPoolState {
    /// A state from its JSON text; errors located under `state`.
    fn from_text(py: Python<'_>, text: &str) -> PyResult<Self> {
        let state = py
            .detach(|| input::from_json::<pool::PoolState>(text))
            .map_err(|e| to_py_err(e.at("state")))?;
        Ok(Self::wrap(state))
    }

    fn wrap(state: pool::PoolState) -> Self {
        Self {
            inner: RwLock::new(state),
        }
    }

    /// The state for reading; `state_unusable` once a write panicked while holding the lock
    /// (the lock is poisoned: the state may be half-written, so all-or-nothing no longer
    /// holds, and it is never used again).
    fn read_guard(&self) -> Result<RwLockReadGuard<'_, pool::PoolState>, PoolError> {
        self.inner.read().map_err(|_| PoolError::StateUnusable)
    }

    /// The state for writing; `state_unusable` as [`Self::read_guard`].
    fn write_guard(&self) -> Result<RwLockWriteGuard<'_, pool::PoolState>, PoolError> {
        self.inner.write().map_err(|_| PoolError::StateUnusable)
    }

    /// Runs `f` on the state for reading. With `heavy`, the GIL is released for the call;
    /// otherwise the lock is tried with the GIL held and only waited for without it.
    fn read<R: Send>(
        &self,
        py: Python<'_>,
        heavy: bool,
        f: impl FnOnce(&pool::PoolState) -> R + Send,
    ) -> PyResult<R> {
        if !heavy && let Ok(guard) = self.inner.try_read() {
            return Ok(f(&guard));
        }
        py.detach(|| self.read_guard().map(|g| f(&g)))
            .map_err(to_py_err)
    }

    /// Runs `f` on the state for writing (see [`Self::read`]).
    fn write<R: Send>(
        &self,
        py: Python<'_>,
        heavy: bool,
        f: impl FnOnce(&mut pool::PoolState) -> R + Send,
    ) -> PyResult<R> {
        if !heavy && let Ok(mut guard) = self.inner.try_write() {
            return Ok(f(&mut guard));
        }
        py.detach(|| self.write_guard().map(|mut g| f(&mut g)))
            .map_err(to_py_err)
    }
}

#[pymethods]
impl PyPoolState {
    /// A state from a dict or JSON text (as `to_dict` / `to_json` give); `None`: empty.
    #[new]
    #[pyo3(signature = (state = None))]
    fn new(py: Python<'_>, state: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        match state {
            Some(s) if s.is_instance_of::<PyString>() => {
                Self::from_text(py, &text(s.cast::<PyString>()?, "state")?)
            }
            other => Ok(Self::wrap(state_arg(other)?)),
        }
    }

    /// A state from its dict form (`to_dict`).
    #[staticmethod]
    fn from_dict(state: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Self::wrap(from_py(state, "state")?))
    }

    /// A state from its JSON text (`to_json`).
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Self> {
        Self::from_text(py, &str_arg(text, "state")?)
    }

    /// The state as a dict: canonical JSON shape (sorted keys), what the host persists.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let value = self.read(py, true, input::to_value)?;
        value_to_py(py, &value)
    }

    /// The state as compact JSON text, serialized directly (the same state always gives the
    /// same bytes: leads and reps sorted by id, record fields in a fixed order).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        self.read(py, true, serde_json::to_string)?
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))
    }

    /// An independent copy.
    fn copy(&self, py: Python<'_>) -> PyResult<Self> {
        Ok(Self::wrap(self.read(py, true, Clone::clone)?))
    }

    fn __copy__(&self, py: Python<'_>) -> PyResult<Self> {
        self.copy(py)
    }

    fn __deepcopy__(&self, py: Python<'_>, _memo: &Bound<'_, PyAny>) -> PyResult<Self> {
        self.copy(py)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let json = slf.get().to_json(slf.py())?;
        reduce(slf.as_any(), json)
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        let Ok(other) = other.cast::<PyPoolState>() else {
            return Ok(false);
        };
        let other = other.get();
        if std::ptr::eq(self, other) {
            return Ok(true);
        }
        // Lock in address order, so two threads comparing a == b and b == a cannot deadlock.
        py.detach(|| {
            if (self as *const Self) < (other as *const Self) {
                let a = self.read_guard()?;
                Ok::<bool, PoolError>(*a == *other.read_guard()?)
            } else {
                let b = other.read_guard()?;
                Ok(*self.read_guard()? == *b)
            }
        })
        .map_err(to_py_err)
    }

    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        self.read(py, false, pool::PoolState::len)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let (len, clock) = self.read(py, false, |s| (s.len(), s.clock()))?;
        Ok(match clock {
            Some(t) => format!(
                "PoolState(leads={len}, clock='{}')",
                leadcore::time::format(&t)
            ),
            None => format!("PoolState(leads={len})"),
        })
    }

    /// The time of the last accepted command or tick (RFC 3339 UTC), or `None`.
    #[getter]
    fn clock(&self, py: Python<'_>) -> PyResult<Option<String>> {
        self.read(py, false, |s| s.clock().map(|t| leadcore::time::format(&t)))
    }

    /// The earliest time `tick` has something to do (RFC 3339 UTC), or `None`.
    #[getter]
    fn next_check_at(&self, py: Python<'_>) -> PyResult<Option<String>> {
        self.read(py, false, |s| {
            s.next_check_at().map(|t| leadcore::time::format(&t))
        })
    }

    /// A lead's record as a dict, or `None` if the state does not have the lead.
    fn lead(&self, py: Python<'_>, lead: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let lead = str_arg(lead, "lead")?;
        let record = self.read(py, false, |s| s.lead(&lead).map(input::to_value))?;
        value_to_py(py, &record.unwrap_or(Value::Null))
    }

    /// Every lead id, sorted.
    fn lead_ids(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        self.read(py, true, |s| {
            s.lead_ids().into_iter().map(str::to_string).collect()
        })
    }

    /// How many leads a rep owns now.
    fn holdings(&self, py: Python<'_>, rep: &Bound<'_, PyAny>) -> PyResult<u32> {
        let rep = str_arg(rep, "rep")?;
        self.read(py, false, |s| s.holdings(&rep))
    }

    /// Applies one command at `now`, in place: `{effects, reasons, decisions?, next_check_at,
    /// at}`. A command may carry an `id`: a retry answers with the earlier outcome
    /// (`duplicate: True`). A refused command raises `PoolError` (with `.code`) and changes
    /// nothing.
    fn apply(
        &self,
        py: Python<'_>,
        policy: &Bound<'_, PyAny>,
        command: &Bound<'_, PyAny>,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let policy = policy_arg(policy)?;
        let request = request_arg(command, "command")?;
        let now = instant(now, "now")?;
        let applied = self
            .write(py, false, |s| {
                pool::apply_request(s, &policy, &request, now)
            })?
            .map_err(to_py_err)?;
        to_py(py, &applied)
    }

    /// Applies a list of commands at `now`, all or nothing: one result per command, or
    /// `PoolError` (with `.index`) and the state exactly as before.
    fn apply_all(
        &self,
        py: Python<'_>,
        policy: &Bound<'_, PyAny>,
        commands: &Bound<'_, PyAny>,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let policy = policy_arg(policy)?;
        let requests = requests_arg(commands, "commands")?;
        let now = instant(now, "now")?;
        let applied = self
            .write(py, true, |s| {
                pool::apply_all(s, &policy, &requests, now).map(|a| input::to_value(&a))
            })?
            .map_err(to_py_err)?;
        value_to_py(py, &applied)
    }

    /// What `tick` would do at `at` (a simulated future), without changing the state.
    fn tick_preview(
        &self,
        py: Python<'_>,
        policy: &Bound<'_, PyAny>,
        at: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let policy = policy_arg(policy)?;
        let at = instant(at, "at")?;
        let applied = self
            .read(py, true, |s| {
                pool::tick_preview(s, &policy, at).map(|a| input::to_value(&a))
            })?
            .map_err(to_py_err)?;
        value_to_py(py, &applied)
    }

    /// Performs every automatic action due at `now` (reclaims, warnings, waiting leads routed),
    /// in place; the same result shape as `apply`. Idempotent at the same `now`.
    fn tick(
        &self,
        py: Python<'_>,
        policy: &Bound<'_, PyAny>,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let policy = policy_arg(policy)?;
        let now = instant(now, "now")?;
        let applied = self
            .write(py, true, |s| {
                pool::tick(s, &policy, now).map(|a| input::to_value(&a))
            })?
            .map_err(to_py_err)?;
        value_to_py(py, &applied)
    }

    /// The SLA timers due or overdue and the nurture steps due at `now`: `{timers, nurture}`.
    /// Changes nothing.
    fn due(
        &self,
        py: Python<'_>,
        policy: &Bound<'_, PyAny>,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let policy = policy_arg(policy)?;
        let now = instant(now, "now")?;
        let due = self
            .read(py, true, |s| {
                pool::due(s, &policy, now).map(|d| input::to_value(&d))
            })?
            .map_err(to_py_err)?;
        value_to_py(py, &due)
    }

    /// Where a lead would be routed now, and why (rules, candidates, skips); changes nothing.
    fn assign_preview(
        &self,
        py: Python<'_>,
        policy: &Bound<'_, PyAny>,
        lead: &Bound<'_, PyAny>,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let policy = policy_arg(policy)?;
        let lead: Lead = from_py(lead, "lead")?;
        let now = instant(now, "now")?;
        let decision = self
            .read(py, false, |s| pool::assign_preview(s, &policy, &lead, now))?
            .map_err(to_py_err)?;
        to_py(py, &decision)
    }

    /// Routes a day of arrivals on a copy of the state under `policy` (a candidate policy for a
    /// what-if) and reports the distribution per rep and per rule; changes nothing.
    fn simulate_day(
        &self,
        py: Python<'_>,
        policy: &Bound<'_, PyAny>,
        arrivals: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let policy = policy_arg(policy)?;
        let arrivals: Vec<Lead> = from_py(arrivals, "arrivals")?;
        let report = self
            .read(py, true, |s| {
                pool::simulate_day(s, &policy, &arrivals).map(|r| input::to_value(&r))
            })?
            .map_err(to_py_err)?;
        value_to_py(py, &report)
    }

    /// Recomputes every lead's next check under `policy`; call it after changing the policy.
    fn reschedule(&self, py: Python<'_>, policy: &Bound<'_, PyAny>) -> PyResult<()> {
        let policy = policy_arg(policy)?;
        self.write(py, true, |s| pool::reschedule(s, &policy))?;
        Ok(())
    }

    /// Replays a command log (`[{"op": "apply", "at", "command", "id"?, "policy"?} |
    /// {"op": "tick", "at", "leads"?}]`) from `state` (a `PoolState`, which is not changed, or
    /// its dict; default: empty), all or nothing. `policy` may be a list: each entry runs under
    /// the policy whose fingerprint it carries. Returns the new state and one result per entry.
    #[staticmethod]
    #[pyo3(signature = (policy, log, state = None))]
    fn replay(
        py: Python<'_>,
        policy: &Bound<'_, PyAny>,
        log: &Bound<'_, PyAny>,
        state: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<(PyPoolState, Py<PyAny>)> {
        let policies = policies_arg(policy)?;
        let log: Vec<LogEntry> = from_py(log, "log")?;
        let start = Self::start(py, state)?;
        let (state, results) = py
            .detach(|| {
                let refs: Vec<&Policy> = policies.iter().map(|p| &**p).collect();
                pool::replay_with(start, &refs, &log)
                    .map(|r| (r.state, input::to_value(&r.results)))
            })
            .map_err(to_py_err)?;
        Ok((Self::wrap(state), value_to_py(py, &results)?))
    }

    /// Replays a log kept as JSON lines (one entry per line), parsed and applied in the core
    /// line by line. Returns the new state and the number of entries.
    #[staticmethod]
    #[pyo3(signature = (policy, text, state = None))]
    fn replay_jsonl(
        py: Python<'_>,
        policy: &Bound<'_, PyAny>,
        text: &Bound<'_, PyAny>,
        state: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<(PyPoolState, usize)> {
        let text = str_arg(text, "text")?;
        let policies = policies_arg(policy)?;
        let start = Self::start(py, state)?;
        let (state, count) = py
            .detach(|| {
                let refs: Vec<&Policy> = policies.iter().map(|p| &**p).collect();
                pool::replay_jsonl(start, &refs, &text)
            })
            .map_err(to_py_err)?;
        Ok((Self::wrap(state), count))
    }
}

impl PyPoolState {
    /// A replay's starting state: a `PoolState` (copied), a dict, or empty.
    fn start(py: Python<'_>, state: Option<&Bound<'_, PyAny>>) -> PyResult<pool::PoolState> {
        match state.map(|s| s.cast::<PyPoolState>()) {
            Some(Ok(s)) => s.get().read(py, true, Clone::clone),
            _ => state_arg(state),
        }
    }
}

fn now_arg(now: &Bound<'_, PyAny>) -> PyResult<DateTime<Utc>> {
    instant(now, "now")
}

/// Applies one command to a state given as a dict (`None`: empty):
/// `{state, effects, reasons, decisions?, next_check_at}` with the new state as a dict.
#[pyfunction]
pub fn pool_apply(
    py: Python<'_>,
    state: &Bound<'_, PyAny>,
    policy: &Bound<'_, PyAny>,
    command: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let policy = policy_arg(policy)?;
    let mut state = state_arg(Some(state))?;
    let request = request_arg(command, "command")?;
    let now = now_arg(now)?;
    let out = py
        .detach(|| {
            pool::apply_request(&mut state, &policy, &request, now).map(|a| with_state(&a, &state))
        })
        .map_err(to_py_err)?;
    value_to_py(py, &out)
}

/// `tick` on a state given as a dict: `{state, effects, reasons, decisions?, next_check_at}`.
#[pyfunction]
pub fn pool_tick(
    py: Python<'_>,
    state: &Bound<'_, PyAny>,
    policy: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let policy = policy_arg(policy)?;
    let mut state = state_arg(Some(state))?;
    let now = now_arg(now)?;
    let out = py
        .detach(|| pool::tick(&mut state, &policy, now).map(|a| with_state(&a, &state)))
        .map_err(to_py_err)?;
    value_to_py(py, &out)
}

/// `due` on a state given as a dict: `{timers, nurture}`.
#[pyfunction]
pub fn pool_due(
    py: Python<'_>,
    state: &Bound<'_, PyAny>,
    policy: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let policy = policy_arg(policy)?;
    let state = state_arg(Some(state))?;
    let now = now_arg(now)?;
    let out = py
        .detach(|| pool::due(&state, &policy, now).map(|d| input::to_value(&d)))
        .map_err(to_py_err)?;
    value_to_py(py, &out)
}

/// Replays a command log from a state given as a dict (`None`: empty): `{state, results}`.
#[pyfunction]
pub fn pool_replay(
    py: Python<'_>,
    state: &Bound<'_, PyAny>,
    policy: &Bound<'_, PyAny>,
    log: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let policies = policies_arg(policy)?;
    let state = state_arg(Some(state))?;
    let log: Vec<LogEntry> = from_py(log, "log")?;
    let out = py
        .detach(|| {
            let refs: Vec<&Policy> = policies.iter().map(|p| &**p).collect();
            pool::replay_with(state, &refs, &log).map(|r| input::to_value(&r))
        })
        .map_err(to_py_err)?;
    value_to_py(py, &out)
}

/// The records `commands` (one dict or a list) can touch, given the records loaded so far:
/// `{"leads": [...], "reps": [...], "teams": [...]}`. Call it without records to learn the lead
/// ids, then with the lead rows to learn the reps and teams. With `now`, routing rules are
/// evaluated at that time (otherwise every rule that could match counts).
#[pyfunction]
#[pyo3(signature = (records, policy, commands, now = None))]
pub fn pool_needs(
    py: Python<'_>,
    records: Option<&Bound<'_, PyAny>>,
    policy: &Bound<'_, PyAny>,
    commands: &Bound<'_, PyAny>,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let policy = policy_arg(policy)?;
    let requests = requests_arg(commands, "commands")?;
    let records = records_arg(records)?;
    let now = opt_instant(now)?;
    to_py(py, &pool::needs(&records, &policy, &requests, now))
}

/// Applies `commands` (one dict or a list; each may carry an `id`) at `now` to the records
/// given, all or nothing: `{"results": [...], "rows": [...], "log": [...]}`. Each row has
/// `kind`, `id`, `expected` (the version the stored row must have; 0: insert), `record` (the
/// new record; absent: a deleted lead, kept as a tombstone at `version`, or only verify when
/// `check`), `version` (the new record's)
/// and, for leads, `due_at`. Records may be given as JSON text (as read from a text column);
/// with `text=True` each row's `record` comes back as JSON text too.
#[pyfunction]
#[pyo3(signature = (records, policy, commands, now, *, text = None))]
pub fn pool_apply_rows(
    py: Python<'_>,
    records: &Bound<'_, PyAny>,
    policy: &Bound<'_, PyAny>,
    commands: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
    text: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let text = flag_arg(text, "text")?;
    let policy = policy_arg(policy)?;
    let records = records_arg(Some(records))?;
    let requests = requests_arg(commands, "commands")?;
    let now = now_arg(now)?;
    let out = py
        .detach(|| pool::apply_rows(records, &policy, &requests, now).map(|r| r.to_value(text)))
        .map_err(to_py_err)?;
    value_to_py(py, &out)
}

/// The records a tick of the leads given can touch (their owners, and what routing a waiting
/// lead can reach): `{"leads", "reps", "teams"}`.
#[pyfunction]
#[pyo3(signature = (records, policy, now = None))]
pub fn pool_tick_needs(
    py: Python<'_>,
    records: &Bound<'_, PyAny>,
    policy: &Bound<'_, PyAny>,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let policy = policy_arg(policy)?;
    let records = records_arg(Some(records))?;
    let now = opt_instant(now)?;
    to_py(py, &pool::tick_needs(&records, &policy, now))
}

/// Ticks the leads given whose `due_at` has come, with the records they need: the same
/// `{"results", "rows", "log"}` as `pool_apply_rows` (and the same `text` option).
#[pyfunction]
#[pyo3(signature = (records, policy, now, *, text = None))]
pub fn pool_tick_rows(
    py: Python<'_>,
    records: &Bound<'_, PyAny>,
    policy: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
    text: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let text = flag_arg(text, "text")?;
    let policy = policy_arg(policy)?;
    let records = records_arg(Some(records))?;
    let now = now_arg(now)?;
    let out = py
        .detach(|| pool::tick_rows(records, &policy, now).map(|r| r.to_value(text)))
        .map_err(to_py_err)?;
    value_to_py(py, &out)
}

/// `assign_preview` on a state given as a dict: the routing decision.
#[pyfunction]
pub fn pool_assign_preview(
    py: Python<'_>,
    state: &Bound<'_, PyAny>,
    policy: &Bound<'_, PyAny>,
    lead: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let policy = policy_arg(policy)?;
    let state = state_arg(Some(state))?;
    let lead: Lead = from_py(lead, "lead")?;
    let now = now_arg(now)?;
    let out = pool::assign_preview(&state, &policy, &lead, now).map_err(to_py_err)?;
    to_py(py, &out)
}

/// `simulate_day` on a state given as a dict: the day report.
#[pyfunction]
pub fn pool_simulate_day(
    py: Python<'_>,
    state: &Bound<'_, PyAny>,
    policy: &Bound<'_, PyAny>,
    arrivals: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let policy = policy_arg(policy)?;
    let state = state_arg(Some(state))?;
    let arrivals: Vec<Lead> = from_py(arrivals, "arrivals")?;
    let out = py
        .detach(|| pool::simulate_day(&state, &policy, &arrivals).map(|r| input::to_value(&r)))
        .map_err(to_py_err)?;
    value_to_py(py, &out)
}

/// Recomputes the next check of the lead rows given under `policy` (after a policy change that
/// moves deadlines): `{"results": [], "rows", "log"}` with the leads whose `due_at` moved.
#[pyfunction]
#[pyo3(signature = (records, policy, *, text = None))]
pub fn pool_reschedule_rows(
    py: Python<'_>,
    records: &Bound<'_, PyAny>,
    policy: &Bound<'_, PyAny>,
    text: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let text = flag_arg(text, "text")?;
    let policy = policy_arg(policy)?;
    let records = records_arg(Some(records))?;
    let out = py
        .detach(|| pool::reschedule_rows(records, &policy).map(|r| r.to_value(text)))
        .map_err(to_py_err)?;
    value_to_py(py, &out)
}

/// Registers this module's classes and functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyPoolPolicy>()?;
    m.add_class::<PyPoolState>()?;
    m.add_function(wrap_pyfunction!(pool_apply, m)?)?;
    m.add_function(wrap_pyfunction!(pool_tick, m)?)?;
    m.add_function(wrap_pyfunction!(pool_due, m)?)?;
    m.add_function(wrap_pyfunction!(pool_replay, m)?)?;
    m.add_function(wrap_pyfunction!(pool_assign_preview, m)?)?;
    m.add_function(wrap_pyfunction!(pool_simulate_day, m)?)?;
    m.add_function(wrap_pyfunction!(pool_needs, m)?)?;
    m.add_function(wrap_pyfunction!(pool_apply_rows, m)?)?;
    m.add_function(wrap_pyfunction!(pool_tick_needs, m)?)?;
    m.add_function(wrap_pyfunction!(pool_tick_rows, m)?)?;
    m.add_function(wrap_pyfunction!(pool_reschedule_rows, m)?)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 15, class 15: a write that panicked while holding the lock left the state
    /// possibly half-written; every later call reports `state_unusable` instead of using it.
    #[test]
    fn a_poisoned_state_is_unusable_not_silently_used() {
        let state = PyPoolState::wrap(pool::PoolState::default());
        assert!(state.read_guard().is_ok());
        let _ = std::thread::scope(|s| {
            s.spawn(|| {
                let _guard = state.write_guard();
                panic!("a write failed part-way");
            })
            .join()
        });
        assert_eq!(
            state.read_guard().map(|_| ()).unwrap_err().code(),
            "state_unusable"
        );
        assert_eq!(
            state.write_guard().map(|_| ()).unwrap_err().code(),
            "state_unusable"
        );
    }
}
