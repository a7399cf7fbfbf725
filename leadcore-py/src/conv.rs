//! Conversions between Python objects and leadcore's JSON documents.
//!
//! Python values become `serde_json::Value` and then leadcore types through
//! `leadcore::input::from_value`, so validation and error paths are the core's. Aware
//! `datetime` objects become RFC 3339 text; naive ones are a `naive_datetime` error.

use std::borrow::Cow;

use leadcore::{FieldErrorKind, InputError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};

use crate::errors::to_py_err;

static DATETIME: PyOnceLock<(Py<PyAny>, Py<PyAny>)> = PyOnceLock::new();

/// The `datetime.datetime` and `datetime.date` classes.
fn datetime_classes(py: Python<'_>) -> PyResult<&(Py<PyAny>, Py<PyAny>)> {
    DATETIME.get_or_try_init(py, || {
        let m = py.import("datetime")?;
        Ok((m.getattr("datetime")?.unbind(), m.getattr("date")?.unbind()))
    })
}

fn invalid(kind: FieldErrorKind, path: &str) -> InputError {
    InputError::new(kind, path)
}

unsafe extern "C" {
    /// CPython's UTF-8 form of a `str`: for ASCII text its own buffer, otherwise encoded once
    /// and cached in the object. Exported by every CPython 3 (in the limited API since 3.10;
    /// pyo3 declares it only for builds that require 3.10).
    fn PyUnicode_AsUTF8AndSize(
        unicode: *mut pyo3::ffi::PyObject,
        size: *mut pyo3::ffi::Py_ssize_t,
    ) -> *const std::ffi::c_char;
}

/// A Python `str`'s UTF-8 bytes in place (no copy, no allocation for ASCII text); `None` for
/// text holding a lone surrogate (UTF-8 cannot hold it; the exception is cleared).
pub fn str_bytes<'a>(s: &'a Bound<'_, PyString>) -> Option<&'a [u8]> {
    let mut size: pyo3::ffi::Py_ssize_t = 0;
    // SAFETY: `s` is a live `str` and the GIL is held (it is a `Bound`). The buffer returned
    // belongs to the object and lives as long as it does, so for `'a`; on failure the call
    // returns NULL with an exception set.
    let ptr = unsafe { PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut size) };
    if ptr.is_null() {
        drop(PyErr::take(s.py()));
        return None;
    }
    let len = usize::try_from(size).ok()?;
    // SAFETY: CPython returned `size` bytes at `ptr`, owned by `s` (see above).
    Some(unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) })
}

/// A Python `str`'s text in place ([`str_bytes`], checked as UTF-8).
fn str_ref<'a>(s: &'a Bound<'_, PyString>) -> Option<&'a str> {
    std::str::from_utf8(str_bytes(s)?).ok()
}

/// A Python `str` as UTF-8, or `invalid_value` at `path` for text holding a lone surrogate
/// (what `json.loads('"\\ud800"')` gives; UTF-8 cannot hold it), not a `UnicodeEncodeError`.
fn utf8<'a>(s: &'a Bound<'_, PyString>, path: &str) -> Result<Cow<'a, str>, InputError> {
    str_ref(s).map(Cow::Borrowed).ok_or_else(|| {
        let msg = "text with a lone surrogate is not valid Unicode".to_string();
        invalid(FieldErrorKind::InvalidValue(msg), path)
    })
}

/// [`utf8`] as a Python error: every binding reads user text through it.
pub fn text<'a>(s: &'a Bound<'_, PyString>, path: &str) -> PyResult<Cow<'a, str>> {
    utf8(s, path).map_err(to_py_err)
}

/// Any object's `str()` as UTF-8 ([`text`]), for names and cells given as other types.
pub fn text_of(obj: &Bound<'_, PyAny>, path: &str) -> PyResult<String> {
    Ok(text(&obj.str()?, path)?.into_owned())
}

/// A string argument: `invalid_type` at `arg` for another type, [`text`] otherwise.
pub fn str_arg(obj: &Bound<'_, PyAny>, arg: &str) -> PyResult<String> {
    let s = obj.cast::<PyString>().map_err(|_| {
        let got = obj
            .get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_default();
        let msg = format!("invalid type: expected a string, got `{got}`");
        to_py_err(invalid(FieldErrorKind::InvalidType(msg), arg))
    })?;
    Ok(text(s, arg)?.into_owned())
}

/// An optional boolean argument (absent or `None`: `False`): `invalid_type` at `arg` for
/// anything but `True` / `False`.
pub fn flag_arg(obj: Option<&Bound<'_, PyAny>>, arg: &str) -> PyResult<bool> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(false);
    };
    obj.cast::<PyBool>().map(|b| b.is_true()).map_err(|_| {
        let got = obj
            .get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_default();
        let msg = format!("invalid type: expected a boolean, got `{got}`");
        to_py_err(invalid(FieldErrorKind::InvalidType(msg), arg))
    })
}

fn child(path: &str, key: &str) -> String {
    if path == "$" {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Converts a Python object (dict, list, tuple, str, int, float, bool, None, datetime, date)
/// into a JSON value, reporting bad values with their path under `arg`.
pub fn to_value(obj: &Bound<'_, PyAny>, arg: &str) -> PyResult<Value> {
    convert(obj, "$", 0).map_err(|e| match e {
        Failure::Input(e) => to_py_err(e.at(arg)),
        Failure::Py(e) => e,
    })
}

enum Failure {
    Input(InputError),
    Py(PyErr),
}

impl From<PyErr> for Failure {
    fn from(e: PyErr) -> Self {
        Failure::Py(e)
    }
}

impl From<InputError> for Failure {
    fn from(e: InputError) -> Self {
        Failure::Input(e)
    }
}

fn convert(obj: &Bound<'_, PyAny>, path: &str, depth: usize) -> Result<Value, Failure> {
    if depth > leadcore::input::MAX_DEPTH {
        return Err(invalid(FieldErrorKind::TooDeep(leadcore::input::MAX_DEPTH), path).into());
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(utf8(s, path)?.into_owned()));
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        if let Ok(v) = i.extract::<i64>() {
            return Ok(Value::Number(v.into()));
        }
        if let Ok(v) = i.extract::<u64>() {
            return Ok(Value::Number(v.into()));
        }
        return Err(invalid(
            FieldErrorKind::InvalidValue("integer out of range".into()),
            path,
        )
        .into());
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return match Number::from_f64(f.value()) {
            Some(n) => Ok(Value::Number(n)),
            None => Err(invalid(FieldErrorKind::NotFinite, path).into()),
        };
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in d.iter() {
            let Ok(key) = k.cast::<PyString>() else {
                let msg = format!("keys must be strings, got `{}`", k.get_type().name()?);
                return Err(invalid(FieldErrorKind::InvalidType(msg), path).into());
            };
            let key = utf8(key, path)?.into_owned();
            let value = convert(&v, &child(path, &key), depth + 1)?;
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    if obj.cast::<PyList>().is_ok() || obj.cast::<PyTuple>().is_ok() {
        let mut items = Vec::new();
        for (i, item) in obj.try_iter()?.enumerate() {
            let p = if path == "$" {
                format!("[{i}]")
            } else {
                format!("{path}[{i}]")
            };
            items.push(convert(&item?, &p, depth + 1)?);
        }
        return Ok(Value::Array(items));
    }
    let py = obj.py();
    let (datetime, date) = datetime_classes(py)?;
    if obj.is_instance(datetime.bind(py))? {
        if obj.call_method0("utcoffset")?.is_none() {
            let msg = format!("naive datetime `{}`: give it a tzinfo", obj.str()?);
            return Err(invalid(FieldErrorKind::NaiveDatetime(msg), path).into());
        }
        return Ok(Value::String(obj.call_method0("isoformat")?.extract()?));
    }
    if obj.is_instance(date.bind(py))? {
        return Ok(Value::String(obj.call_method0("isoformat")?.extract()?));
    }
    let msg = format!("unsupported python type `{}`", obj.get_type().name()?);
    Err(invalid(FieldErrorKind::InvalidType(msg), path).into())
}

/// Converts a Python object into the leadcore input type `T`; errors are located under `arg`.
///
/// `None` for a required argument is a `missing_field` error at `arg`.
pub fn from_py<T: DeserializeOwned>(obj: &Bound<'_, PyAny>, arg: &str) -> PyResult<T> {
    if obj.is_none() {
        let msg = format!("missing field `{arg}`");
        return Err(to_py_err(InputError::new(
            FieldErrorKind::MissingField(msg),
            arg,
        )));
    }
    let value = to_value(obj, arg)?;
    leadcore::input::from_value(value).map_err(|e| to_py_err(e.at(arg)))
}

/// `threads`: absent or `None` for the available parallelism, else validated and clamped by
/// the core ([`leadcore::parallel`]: huge counts clamp, negative / fractional ones are
/// `invalid_value` at `threads`).
pub fn threads_arg(obj: Option<&Bound<'_, PyAny>>) -> PyResult<usize> {
    match obj {
        Some(o) if !o.is_none() => {
            let value = to_value(o, "threads")?;
            leadcore::parallel::threads_from_value(&value).map_err(to_py_err)
        }
        _ => Ok(leadcore::parallel::available()),
    }
}

/// Converts a Python object into the leadcore config type `T` (loaded and validated).
pub fn config_from_py<T: leadcore::input::Config>(obj: &Bound<'_, PyAny>) -> PyResult<T> {
    let loaded = if let Ok(s) = obj.cast::<PyString>() {
        T::from_json(&text(s, "$")?)
    } else {
        let value = convert(obj, "$", 0).map_err(|e| match e {
            Failure::Input(e) => to_py_err(e.into_config()),
            Failure::Py(e) => e,
        })?;
        T::from_value(value)
    };
    loaded.map_err(to_py_err)
}

/// Reads `now` (or any instant argument) as every instant in a document is read: an aware
/// `datetime`, RFC 3339 text or Unix seconds.
pub fn instant(obj: &Bound<'_, PyAny>, arg: &str) -> PyResult<chrono::DateTime<chrono::Utc>> {
    leadcore::time::from_json(&to_value(obj, arg)?).map_err(|e| to_py_err(e.at(arg)))
}

/// Converts any serializable leadcore result into plain Python objects.
pub fn to_py<T: Serialize>(py: Python<'_>, value: &T) -> PyResult<Py<PyAny>> {
    value_to_py(py, &leadcore::input::to_value(value))
}

/// Converts a leadcore result into an instance of the result class `class` of
/// `leadcore.results` (a `dict` subclass adding `to_pandas()`).
pub fn to_py_as<T: Serialize>(py: Python<'_>, value: &T, class: &str) -> PyResult<Py<PyAny>> {
    static RESULTS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    let module = RESULTS.get_or_try_init(py, || {
        Ok::<_, PyErr>(py.import("leadcore.results")?.unbind())
    })?;
    let plain = to_py(py, value)?;
    Ok(module.bind(py).getattr(class)?.call1((plain,))?.unbind())
}

/// Converts a JSON value into plain Python objects (dict, list, str, int, float, bool, None).
pub fn value_to_py(py: Python<'_>, value: &Value) -> PyResult<Py<PyAny>> {
    Ok(match value {
        Value::Null => py.None(),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any().unbind(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any().unbind()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any().unbind()
            } else {
                n.as_f64()
                    .unwrap_or(f64::NAN)
                    .into_pyobject(py)?
                    .into_any()
                    .unbind()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any().unbind(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(value_to_py(py, item)?)?;
            }
            list.into_any().unbind()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, value_to_py(py, v)?)?;
            }
            dict.into_any().unbind()
        }
    })
}
