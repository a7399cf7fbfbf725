//! Maps every leadcore error to its Python exception class.
//!
//! The classes live in `leadcore/errors.py` (so `ConfigError` can also be a `ValueError`); each
//! instance carries `.code` (stable), `.path` (JSON path of the field at fault, `$` for none)
//! and `.details` (the error's facts as a dict).

use leadcore::{Category, Error};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

/// The Python class name for an error category.
fn class_name(category: Category) -> &'static str {
    match category {
        Category::Config => "ConfigError",
        Category::Input => "InputError",
        Category::Dedup => "DedupError",
        Category::Qualify => "QualifyError",
        Category::Transition => "TransitionError",
        Category::Conversion => "ConversionError",
        Category::Predict => "PredictError",
        Category::Attribution => "AttributionError",
        Category::Funnel => "FunnelError",
        Category::Pool => "PoolError",
    }
}

/// Converts a leadcore error into the matching `leadcore.errors` exception.
pub fn to_py_err(err: impl Into<Error>) -> PyErr {
    let err: Error = err.into();
    Python::attach(|py| {
        let build = || -> PyResult<PyErr> {
            let class = py
                .import("leadcore.errors")?
                .getattr(class_name(err.category()))?;
            let details = crate::conv::value_to_py(py, &err.details())?;
            let exc = class.call1((err.to_string(), err.code(), err.path(), details))?;
            Ok(PyErr::from_value(exc))
        };
        build().unwrap_or_else(|e| PyRuntimeError::new_err(format!("{err} (and {e})")))
    })
}
