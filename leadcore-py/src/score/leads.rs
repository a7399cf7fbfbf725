//! Leads given as columns: a dict `{"id": [...], "created_at": [...], "owner": [...],
//! "stage": [...], "source": {"channel": [...], ...}, "attributes": {"industry": [...], ...}}`
//! of numpy arrays or lists, one row per lead. This avoids building a dict per lead for large
//! batches; the leads are the same as the dicts `{"id": id[i], "created_at": created_at[i], ...}`
//! with missing cells (`None`, NaN, `NaT`) left out.
//!
//! - `id`: text. `created_at`: `datetime64` (UTC), `int64` / float Unix seconds, aware
//!   datetimes or RFC 3339 text.
//! - `owner`, `stage` and each `source` field: text or missing.
//! - each attribute: floats (NaN missing), integers, booleans, `datetime64`, or objects (text,
//!   numbers, booleans, lists of text, datetimes; `None` / NaN missing), read as lead
//!   attributes are.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use leadcore::FieldErrorKind;
use leadcore::lead::{AttrValue, Lead, LeadColumns, Source, unknown_source_field};
use numpy::{PyArrayDescrMethods, PyArrayMethods, PyUntypedArray, PyUntypedArrayMethods};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyString};

use super::columns::{Scale, array1, astype, bad, datetime_scale, int_seconds, invalid};
use crate::conv::{instant, str_arg, text, to_value};
use crate::errors::to_py_err;

/// Strings kept in an attribute column's cache (enough for categories; unique values such as
/// phone numbers simply stop being cached).
const CACHE: usize = 4096;

fn row(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// Reads leads given as a dict of columns.
pub fn lead_columns(d: &Bound<'_, PyDict>) -> PyResult<Vec<Lead>> {
    let mut ids: Option<Vec<Option<String>>> = None;
    let mut created: Option<Vec<Option<DateTime<Utc>>>> = None;
    let mut owner = None;
    let mut stage = None;
    let mut source: Vec<(String, Vec<Option<String>>)> = Vec::new();
    let mut attrs: Vec<(String, Vec<Option<AttrValue>>)> = Vec::new();
    for (key, value) in d.iter() {
        let key = str_arg(&key, "leads")?;
        let path = format!("leads.{key}");
        if value.is_none() {
            continue;
        }
        match key.as_str() {
            "id" => ids = Some(text_column(&value, &path)?),
            "created_at" => created = Some(time_column(&value, &path)?),
            "owner" => owner = Some(text_column(&value, &path)?),
            "stage" => stage = Some(text_column(&value, &path)?),
            "source" => {
                for (field, col) in nested(&value, &path)?.iter() {
                    let field = str_arg(&field, &path)?;
                    let p = format!("{path}.{field}");
                    if !Source::FIELDS.contains(&field.as_str()) {
                        return Err(to_py_err(unknown_source_field(&field)));
                    }
                    source.push((field, text_column(&col, &p)?));
                }
            }
            "attributes" => {
                for (name, col) in nested(&value, &path)?.iter() {
                    let name = str_arg(&name, &path)?;
                    let p = format!("{path}.{name}");
                    attrs.push((name, attr_column(&col, &p)?));
                }
            }
            _ => {
                let msg = format!(
                    "unknown field `{key}`, lead columns are `id`, `created_at`, `owner`, `stage`, `source`, `attributes`"
                );
                return Err(bad(FieldErrorKind::UnknownField(msg), path));
            }
        }
    }
    let missing = |name: &str| {
        bad(
            FieldErrorKind::MissingField(format!("missing field `{name}`")),
            format!("leads.{name}"),
        )
    };
    let ids = ids.ok_or_else(|| missing("id"))?;
    let created = created.ok_or_else(|| missing("created_at"))?;
    LeadColumns {
        id: ids,
        created_at: created,
        owner,
        stage,
        source,
        attributes: attrs,
    }
    .into_leads()
    .map_err(to_py_err)
}

fn nested<'py>(value: &Bound<'py, PyAny>, path: &str) -> PyResult<Bound<'py, PyDict>> {
    value.cast::<PyDict>().cloned().map_err(|_| {
        bad(
            FieldErrorKind::InvalidType("expected a dict of columns".into()),
            path,
        )
    })
}

/// A missing cell: `None` or a float NaN (pandas' missing value in object columns).
fn is_missing(item: &Bound<'_, PyAny>) -> bool {
    item.is_none() || item.cast::<PyFloat>().is_ok_and(|f| f.value().is_nan())
}

fn text_column(obj: &Bound<'_, PyAny>, path: &str) -> PyResult<Vec<Option<String>>> {
    array1(obj, path)?;
    let mut out = Vec::with_capacity(obj.len().unwrap_or(0));
    for (i, item) in obj.try_iter()?.enumerate() {
        let item = item?;
        if is_missing(&item) {
            out.push(None);
            continue;
        }
        let s = item.cast::<PyString>().map_err(|_| {
            let msg = format!(
                "expected text, got `{}`",
                item.get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            );
            bad(FieldErrorKind::InvalidType(msg), row(path, i))
        })?;
        out.push(Some(text(s, &row(path, i))?.into_owned()));
    }
    Ok(out)
}

/// An instant from whole units of a `datetime64` array.
fn from_units(v: i64, scale: &Scale) -> Option<DateTime<Utc>> {
    match *scale {
        Scale::Times(k) => DateTime::from_timestamp(v.checked_mul(k)?, 0),
        Scale::Div(k) => {
            let nanos = u32::try_from(v.rem_euclid(k) * (1_000_000_000 / k)).ok()?;
            DateTime::from_timestamp(v.div_euclid(k), nanos)
        }
    }
}

fn datetime_column(
    a: &Bound<'_, PyUntypedArray>,
    path: &str,
) -> PyResult<Vec<Option<DateTime<Utc>>>> {
    let Some(scale) = datetime_scale(a) else {
        let msg = format!(
            "unsupported datetime64 unit in `{}`: use weeks to nanoseconds",
            a.dtype().str()?
        );
        return Err(bad(FieldErrorKind::InvalidType(msg), path));
    };
    let raw = a
        .call_method1("view", ("int64",))?
        .cast_into::<numpy::PyArray1<i64>>()?;
    let r = raw
        .try_readonly()
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    r.as_array()
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            if v == i64::MIN {
                return Ok(None);
            }
            from_units(v, &scale)
                .map(Some)
                .ok_or_else(|| invalid(format!("time `{v}` is out of range"), row(path, i)))
        })
        .collect()
}

fn float_instant(v: f64, path: &str) -> PyResult<Option<DateTime<Utc>>> {
    if v.is_nan() {
        return Ok(None);
    }
    if !v.is_finite() {
        return Err(bad(FieldErrorKind::NotFinite, path));
    }
    let secs = v.floor();
    let nanos = ((v - secs) * 1e9).round().min(999_999_999.0);
    // Exact enough: `secs` is integral; out-of-range values fail in `from_timestamp`.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    DateTime::from_timestamp(secs as i64, nanos as u32)
        .map(Some)
        .ok_or_else(|| invalid(format!("time `{v}` is out of range"), path))
}

fn time_column(obj: &Bound<'_, PyAny>, path: &str) -> PyResult<Vec<Option<DateTime<Utc>>>> {
    if let Some(a) = array1(obj, path)? {
        match a.dtype().kind() {
            b'M' => return datetime_column(&a, path),
            b'i' | b'u' => {
                return int_seconds(&a, |i| row(path, i))?
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| {
                        DateTime::from_timestamp(v, 0).map(Some).ok_or_else(|| {
                            invalid(format!("time `{v}` is out of range"), row(path, i))
                        })
                    })
                    .collect();
            }
            b'f' => {
                let c = astype::<f64>(&a)?;
                let r = c
                    .try_readonly()
                    .map_err(|e| PyValueError::new_err(e.to_string()))?;
                return r
                    .as_array()
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| float_instant(v, &row(path, i)))
                    .collect();
            }
            _ => {}
        }
    }
    let mut out = Vec::with_capacity(obj.len().unwrap_or(0));
    for (i, item) in obj.try_iter()?.enumerate() {
        let item = item?;
        out.push(if is_missing(&item) {
            None
        } else {
            Some(instant(&item, &row(path, i))?)
        });
    }
    Ok(out)
}

fn attr_column(obj: &Bound<'_, PyAny>, path: &str) -> PyResult<Vec<Option<AttrValue>>> {
    if let Some(a) = array1(obj, path)? {
        match a.dtype().kind() {
            b'f' => {
                let c = astype::<f64>(&a)?;
                let r = c
                    .try_readonly()
                    .map_err(|e| PyValueError::new_err(e.to_string()))?;
                return r
                    .as_array()
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| {
                        if v.is_nan() {
                            Ok(None)
                        } else if v.is_finite() {
                            Ok(Some(AttrValue::Number(v)))
                        } else {
                            Err(bad(FieldErrorKind::NotFinite, row(path, i)))
                        }
                    })
                    .collect();
            }
            b'i' | b'u' => {
                let c = astype::<f64>(&a)?;
                let r = c
                    .try_readonly()
                    .map_err(|e| PyValueError::new_err(e.to_string()))?;
                return Ok(r
                    .as_array()
                    .iter()
                    .map(|&v| Some(AttrValue::Number(v)))
                    .collect());
            }
            b'b' => {
                let c = astype::<bool>(&a)?;
                let r = c
                    .try_readonly()
                    .map_err(|e| PyValueError::new_err(e.to_string()))?;
                return Ok(r
                    .as_array()
                    .iter()
                    .map(|&v| Some(AttrValue::Bool(v)))
                    .collect());
            }
            b'M' => {
                return Ok(datetime_column(&a, path)?
                    .into_iter()
                    .map(|t| t.map(AttrValue::DateTime))
                    .collect());
            }
            _ => {}
        }
    }
    let mut cache: HashMap<String, AttrValue> = HashMap::new();
    let mut out = Vec::with_capacity(obj.len().unwrap_or(0));
    for (i, item) in obj.try_iter()?.enumerate() {
        let item = item?;
        if is_missing(&item) {
            out.push(None);
            continue;
        }
        let p = row(path, i);
        let value = if let Ok(s) = item.cast::<PyString>() {
            let s = text(s, &p)?;
            match cache.get(s.as_ref()) {
                Some(v) => v.clone(),
                None => {
                    let v: AttrValue =
                        leadcore::input::from_value(serde_json::Value::String(s.to_string()))
                            .map_err(|e| to_py_err(e.at(&p)))?;
                    if cache.len() < CACHE {
                        cache.insert(s.into_owned(), v.clone());
                    }
                    v
                }
            }
        } else {
            leadcore::input::from_value(to_value(&item, &p)?).map_err(|e| to_py_err(e.at(&p)))?
        };
        out.push(Some(value));
    }
    Ok(out)
}
