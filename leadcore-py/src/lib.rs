//! Python bindings for leadcore, built by maturin into `leadcore._native`.
//!
//! Thin by design: each function converts its arguments ([`conv`]), calls one leadcore
//! function, and converts the result or maps the error ([`errors`]). No defaults, ranges or
//! business rules live here.

mod arrow;
mod attribution;
mod clean;
mod config;
mod conv;
mod errors;
mod funnel;
mod host;
mod lifecycle;
mod paths;
mod pool;
mod predict;
mod qualify;
mod score;

use leadcore::{Event, Lead};
use pyo3::prelude::*;

use conv::{from_py, to_py};

/// mimalloc for the extension's Rust allocations: large batch buffers freed and allocated
/// again are reused in place, where glibc's malloc may give them back to the OS and fault them
/// in again (a quarter of an attribution call's time in some processes).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Every error code leadcore can raise, sorted.
#[pyfunction]
fn all_error_codes() -> Vec<&'static str> {
    leadcore::all_error_codes()
}

/// Validates a lead and returns it in canonical JSON form.
#[pyfunction]
fn load_lead(py: Python<'_>, lead: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let lead: Lead = from_py(lead, "lead")?;
    to_py(py, &lead)
}

/// Sorts events by time and drops duplicates by id.
#[pyfunction]
fn normalize_events(py: Python<'_>, events: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let events: Vec<Event> = from_py(events, "events")?;
    to_py(py, &leadcore::event::normalize(&events))
}

/// The `leadcore._native` module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(all_error_codes, m)?)?;
    m.add_function(wrap_pyfunction!(load_lead, m)?)?;
    m.add_function(wrap_pyfunction!(normalize_events, m)?)?;
    attribution::register(m)?;
    clean::register(m)?;
    funnel::register(m)?;
    lifecycle::register(m)?;
    predict::register(m)?;
    pool::register(m)?;
    qualify::register(m)?;
    score::register(m)?;
    Ok(())
}
