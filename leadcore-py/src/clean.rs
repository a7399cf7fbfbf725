//! Phone, email and company normalization, and duplicate clusters (a batch or one lead).

use leadcore::clean::{CompanyOptions, DedupPolicy, EmailOptions, PhoneRegions};
use leadcore::{Event, Lead};
use pyo3::prelude::*;

use crate::config::{config_arg, config_class};
use crate::conv::{from_py, to_py};
use crate::errors::to_py_err;

config_class!(
    /// Which keys make two leads duplicates, and which one survives.
    PyDedupPolicy, "DedupPolicy", DedupPolicy
);

config_class!(
    /// A host-supplied table of 7-digit mobile prefixes → province / city.
    PyPhoneRegions, "PhoneRegions", PhoneRegions
);

config_class!(
    /// Email normalization options (gmail dots, plus tags).
    PyEmailOptions, "EmailOptions", EmailOptions
);

config_class!(
    /// Company-name normalization options (legal suffixes, region qualifiers).
    PyCompanyOptions, "CompanyOptions", CompanyOptions
);

/// Parses a phone number: a Chinese mobile's 11 digits and carrier, another's E.164, or why not.
#[pyfunction]
pub fn normalize_phone(py: Python<'_>, raw: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let raw: String = from_py(raw, "raw")?;
    to_py(py, &leadcore::clean::parse_phone(&raw))
}

/// Looks up the province / city of a mobile number's prefix.
#[pyfunction]
pub fn locate_phone(
    py: Python<'_>,
    regions: &Bound<'_, PyAny>,
    raw: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let regions = config_arg::<PyPhoneRegions>(Some(regions))?;
    let raw: String = from_py(raw, "raw")?;
    to_py(py, &leadcore::clean::locate_cn_mobile(&regions, &raw))
}

/// Normalizes an email address and tells whether it is a personal (free-mail) one.
#[pyfunction]
#[pyo3(signature = (raw, options = None))]
pub fn normalize_email(
    py: Python<'_>,
    raw: &Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let options = config_arg::<PyEmailOptions>(options)?;
    let raw: String = from_py(raw, "raw")?;
    to_py(py, &leadcore::clean::normalize_email(&raw, &options))
}

/// Whether an email domain belongs to a free-mail provider (qq.com, 163.com, gmail.com…).
#[pyfunction]
pub fn is_personal_email_domain(domain: &Bound<'_, PyAny>) -> PyResult<bool> {
    let domain: String = from_py(domain, "domain")?;
    Ok(leadcore::clean::is_personal_email_domain(&domain))
}

/// Normalizes a company name (width, spaces, legal suffixes, region qualifiers).
#[pyfunction]
#[pyo3(signature = (raw, options = None))]
pub fn normalize_company(
    py: Python<'_>,
    raw: &Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let options = config_arg::<PyCompanyOptions>(options)?;
    let raw: String = from_py(raw, "raw")?;
    to_py(py, &leadcore::clean::normalize_company(&raw, &options))
}

/// Duplicate clusters over a batch of leads, with survivors and the reason for each merge.
#[pyfunction]
#[pyo3(signature = (leads, events = None, policy = None))]
pub fn dedupe(
    py: Python<'_>,
    leads: &Bound<'_, PyAny>,
    events: Option<&Bound<'_, PyAny>>,
    policy: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let policy = config_arg::<PyDedupPolicy>(policy)?;
    let leads = crate::arrow::leads_arg(leads)?;
    let events: Vec<Event> = events
        .filter(|e| !e.is_none())
        .map(|e| from_py(e, "events"))
        .transpose()?
        .unwrap_or_default();
    let out = py
        .detach(|| leadcore::clean::dedupe_with_events(&leads, &events, &policy))
        .map_err(to_py_err)?;
    to_py(py, &out)
}

/// The normalized keys of one lead (what `dedupe` matches on) as text for a lookup table.
#[pyfunction]
#[pyo3(signature = (lead, policy = None))]
pub fn dedupe_keys(
    py: Python<'_>,
    lead: &Bound<'_, PyAny>,
    policy: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let policy = config_arg::<PyDedupPolicy>(policy)?;
    let lead: Lead = from_py(lead, "lead")?;
    to_py(py, &leadcore::clean::dedupe_keys(&lead, &policy))
}

/// Whether one lead duplicates any of its candidates: the cluster it joins and its survivor.
#[pyfunction]
#[pyo3(signature = (lead, candidates, events = None, policy = None))]
pub fn dedupe_one(
    py: Python<'_>,
    lead: &Bound<'_, PyAny>,
    candidates: &Bound<'_, PyAny>,
    events: Option<&Bound<'_, PyAny>>,
    policy: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let policy = config_arg::<PyDedupPolicy>(policy)?;
    let lead: Lead = from_py(lead, "lead")?;
    let candidates: Vec<Lead> = from_py(candidates, "candidates")?;
    let events: Vec<Event> = events
        .filter(|e| !e.is_none())
        .map(|e| from_py(e, "events"))
        .transpose()?
        .unwrap_or_default();
    let out = py
        .detach(|| leadcore::clean::dedupe_one_with_events(&lead, &candidates, &events, &policy))
        .map_err(to_py_err)?;
    to_py(py, &out)
}

/// Registers this module's classes and functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyDedupPolicy>()?;
    m.add_class::<PyPhoneRegions>()?;
    m.add_class::<PyEmailOptions>()?;
    m.add_class::<PyCompanyOptions>()?;
    m.add_function(wrap_pyfunction!(normalize_phone, m)?)?;
    m.add_function(wrap_pyfunction!(locate_phone, m)?)?;
    m.add_function(wrap_pyfunction!(normalize_email, m)?)?;
    m.add_function(wrap_pyfunction!(is_personal_email_domain, m)?)?;
    m.add_function(wrap_pyfunction!(normalize_company, m)?)?;
    m.add_function(wrap_pyfunction!(dedupe, m)?)?;
    m.add_function(wrap_pyfunction!(dedupe_keys, m)?)?;
    m.add_function(wrap_pyfunction!(dedupe_one, m)?)?;
    Ok(())
}
