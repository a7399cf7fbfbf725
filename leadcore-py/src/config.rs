//! Configuration classes: a validated leadcore config held by a Python object.
//!
//! Each class is loaded once (from a dict, JSON text or a preset) and reused across calls;
//! functions that take a config also accept the dict or text directly. Instances compare by
//! value, pickle through their JSON form and print it in `repr`.

use std::sync::Arc;

use leadcore::input::Config;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};

use crate::conv::{config_from_py, to_py};
use crate::errors::to_py_err;

/// A Python class that wraps a leadcore config type.
pub trait ConfigClass: pyo3::PyClass<Frozen = pyo3::pyclass::boolean_struct::True> + Sync {
    /// The wrapped config type.
    type Inner: Config + Send + Sync + 'static;
    /// The shared config.
    fn inner(&self) -> &Arc<Self::Inner>;
}

/// Reads a config argument: an instance of the class, a dict, JSON text, or `None` for the
/// config's defaults (an empty document).
pub fn config_arg<C: ConfigClass>(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Arc<C::Inner>> {
    match obj {
        None => Ok(Arc::new(
            C::Inner::from_value(serde_json::json!({})).map_err(to_py_err)?,
        )),
        Some(o) if o.is_none() => config_arg::<C>(None),
        Some(o) => match o.cast::<C>() {
            Ok(c) => Ok(Arc::clone(c.get().inner())),
            Err(_) => Ok(Arc::new(config_from_py(o)?)),
        },
    }
}

/// Methods shared by every config class.
pub fn to_dict<T: Config>(py: Python<'_>, inner: &T) -> PyResult<Py<PyAny>> {
    to_py(py, inner)
}

/// `(cls, (json,))` for pickling.
pub fn reduce<'py>(slf: &Bound<'py, PyAny>, json: String) -> PyResult<Bound<'py, PyTuple>> {
    let py = slf.py();
    let args = PyTuple::new(py, [PyString::new(py, &json)])?;
    PyTuple::new(py, [slf.get_type().into_any(), args.into_any()])
}

/// Declares a frozen Python class around a leadcore config type; with `presets`, the class
/// also gets `preset(name)` and `preset_names()`.
macro_rules! config_class {
    ($(#[$doc:meta])* $name:ident, $py_name:literal, $inner:ty $(, $presets:ident)?) => {
        $(#[$doc])*
        #[pyclass(module = "leadcore._native", name = $py_name, frozen, eq)]
        pub struct $name {
            inner: std::sync::Arc<$inner>,
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.inner == other.inner
            }
        }

        impl From<$inner> for $name {
            fn from(inner: $inner) -> Self {
                Self { inner: std::sync::Arc::new(inner) }
            }
        }

        impl $crate::config::ConfigClass for $name {
            type Inner = $inner;
            fn inner(&self) -> &std::sync::Arc<$inner> {
                &self.inner
            }
        }

        #[pymethods]
        impl $name {
            /// Loads and validates the config from a dict or JSON text (`None`: the defaults).
            #[new]
            #[pyo3(signature = (config = None))]
            fn new(config: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
                Ok(Self { inner: $crate::config::config_arg::<Self>(config)? })
            }

            /// The config as a dict (the same JSON shape it was loaded from, normalized).
            fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                $crate::config::to_dict(py, self.inner.as_ref())
            }

            /// The config as compact JSON text.
            fn to_json(&self) -> String {
                leadcore::input::Config::to_json(self.inner.as_ref())
            }

            fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, pyo3::types::PyTuple>> {
                let json = leadcore::input::Config::to_json(slf.get().inner.as_ref());
                $crate::config::reduce(slf.as_any(), json)
            }

            fn __repr__(&self) -> String {
                format!("{}({})", $py_name, leadcore::input::Config::to_json(self.inner.as_ref()))
            }

            $(
            /// A preset leadcore ships, by name.
            #[staticmethod]
            fn preset(name: &str) -> PyResult<Self> {
                let _ = stringify!($presets);
                let inner = <$inner>::preset(name).map_err(|e| $crate::errors::to_py_err(e))?;
                Ok(Self { inner: std::sync::Arc::new(inner) })
            }

            /// The names of the presets leadcore ships.
            #[staticmethod]
            fn preset_names() -> Vec<&'static str> {
                <$inner>::preset_names().to_vec()
            }
            )?
        }
    };
}

pub(crate) use config_class;
