//! Columnar events from numpy arrays (borrowed without copying where the dtype already matches)
//! or plain lists (the JSON form of `leadcore::score::EventTable`).
//!
//! Accepted per column (`events` is a dict of columns):
//! - `lead`: lead index per event; `uint32` is borrowed, other integer dtypes are range-checked.
//! - `kind`: `uint8` kind codes (`EVENT_KINDS` order) are borrowed; other integers are
//!   range-checked; strings (numpy `str` / object arrays, lists) are read by name.
//! - `at`: `int64` Unix seconds (borrowed), `datetime64` in any unit from weeks to nanoseconds
//!   (seconds are borrowed, finer units floored to seconds; numpy has no time zones, so values
//!   are UTC; `NaT` is a missing time), floats (seconds, floored; NaN missing), or a list of
//!   integers and `None`.
//! - `id` (optional): `uint64` (borrowed) or other integers ≥ 0, floats with NaN for none, or a
//!   list of integers and `None`.
//! - `detail` (optional): index into `details`, like `id` (`uint32` borrowed).
//! - `details` (optional): a list of `{"name": ..., "properties": {...}}`.
//!
//! Errors name the column and row (`events.at[3]`), as the core does for its own checks.

use leadcore::score::EventDetail;
use leadcore::score::columns::{MISSING_TIME, NO_DETAIL, NO_ID, kind_code};
use leadcore::{EventKind, FieldErrorKind, InputError};
use numpy::datetime::{Datetime, units};
use numpy::{
    Element, PyArray1, PyArrayDescrMethods, PyArrayMethods, PyReadonlyArray1, PyUntypedArray,
    PyUntypedArrayMethods,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyString};
use serde_json::Value;

use crate::conv::{from_py, str_arg, text, to_value};
use crate::errors::to_py_err;

/// A column: a borrowed numpy array or a converted copy.
pub enum Col<'py, T: Element> {
    /// A contiguous numpy array of the right dtype, read in place.
    Borrowed(PyReadonlyArray1<'py, T>),
    /// Converted values.
    Owned(Vec<T>),
}

impl<T: Element> Col<'_, T> {
    /// The values.
    pub fn slice(&self) -> &[T] {
        match self {
            Col::Borrowed(a) => a.as_slice().unwrap_or_default(),
            Col::Owned(v) => v,
        }
    }
}

/// The event columns of one call, ready to be viewed as `EventColumns`.
pub struct Events<'py> {
    pub lead: Col<'py, u32>,
    pub kind: Col<'py, u8>,
    pub at: Col<'py, i64>,
    pub id: Option<Col<'py, u64>>,
    pub detail: Option<Col<'py, u32>>,
    pub details: Vec<EventDetail>,
}

impl Events<'_> {
    /// The borrowed view the core scores.
    pub fn columns(&self) -> leadcore::score::EventColumns<'_> {
        leadcore::score::EventColumns {
            lead: self.lead.slice(),
            kind: self.kind.slice(),
            at: self.at.slice(),
            id: self.id.as_ref().map(Col::slice),
            detail: self.detail.as_ref().map(Col::slice),
            details: &self.details,
            unmatched: 0,
        }
    }
}

fn bad(kind: FieldErrorKind, path: impl Into<String>) -> PyErr {
    to_py_err(InputError::new(kind, path))
}

fn invalid(msg: impl Into<String>, path: impl Into<String>) -> PyErr {
    bad(FieldErrorKind::InvalidValue(msg.into()), path)
}

fn at_row(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// Reads the `events` argument: a dict of columns.
pub fn events<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Events<'py>> {
    if obj.is_none() {
        return Err(bad(
            FieldErrorKind::MissingField("missing field `events`".into()),
            "events",
        ));
    }
    let Ok(d) = obj.cast::<PyDict>() else {
        let msg = format!(
            "expected a dict of columns, got `{}`",
            obj.get_type().name()?
        );
        return Err(bad(FieldErrorKind::InvalidType(msg), "events"));
    };
    for key in d.keys() {
        let name = str_arg(&key, "events")?;
        if !["lead", "kind", "at", "id", "detail", "details"].contains(&name.as_str()) {
            let msg = format!(
                "unknown field `{name}`, expected one of `lead`, `kind`, `at`, `id`, `detail`, `details`"
            );
            return Err(bad(
                FieldErrorKind::UnknownField(msg),
                format!("events.{name}"),
            ));
        }
    }
    let get = |name: &str| -> PyResult<Option<Bound<'py, PyAny>>> {
        Ok(d.get_item(name)?.filter(|v| !v.is_none()))
    };
    let required = |name: &str| -> PyResult<Bound<'py, PyAny>> {
        get(name)?.ok_or_else(|| {
            bad(
                FieldErrorKind::MissingField(format!("missing field `{name}`")),
                format!("events.{name}"),
            )
        })
    };
    Ok(Events {
        lead: uint_column(&required("lead")?, "events.lead", None)?,
        kind: kind_column(&required("kind")?, "events.kind")?,
        at: time_column(&required("at")?, "events.at")?,
        id: get("id")?
            .map(|c| uint_column(&c, "events.id", Some(NO_ID)))
            .transpose()?,
        detail: get("detail")?
            .map(|c| uint_column(&c, "events.detail", Some(NO_DETAIL)))
            .transpose()?,
        details: get("details")?
            .map(|c| from_py::<Vec<EventDetail>>(&c, "events.details"))
            .transpose()?
            .unwrap_or_default(),
    })
}

/// A 1-d numpy array, if `obj` is one; other dimensions are an error.
fn array1<'py>(
    obj: &Bound<'py, PyAny>,
    path: &str,
) -> PyResult<Option<Bound<'py, PyUntypedArray>>> {
    let Ok(a) = obj.cast::<PyUntypedArray>() else {
        return Ok(None);
    };
    if a.ndim() != 1 {
        return Err(invalid(
            format!("expected a 1-d array, got {} dimensions", a.ndim()),
            path,
        ));
    }
    Ok(Some(a.clone()))
}

/// The array converted to dtype `T` (a copy made by numpy's `astype`).
fn astype<'py, T: Element>(a: &Bound<'py, PyUntypedArray>) -> PyResult<Bound<'py, PyArray1<T>>> {
    let dtype = numpy::dtype::<T>(a.py());
    Ok(a.call_method1("astype", (dtype,))?
        .cast_into::<PyArray1<T>>()?)
}

/// Borrows `obj` in place if it is a contiguous array of dtype `T`.
fn borrow<'py, T: Element>(obj: &Bound<'py, PyAny>) -> PyResult<Option<PyReadonlyArray1<'py, T>>> {
    match obj.cast::<PyArray1<T>>() {
        Ok(a) if a.is_contiguous() => Ok(Some(
            a.try_readonly()
                .map_err(|e| PyValueError::new_err(e.to_string()))?,
        )),
        _ => Ok(None),
    }
}

/// An integer array as `i64` Unix seconds; an unsigned value beyond `i64` (a cast would wrap
/// it to an instant before 1970) is out of range at `row(i)`.
fn int_seconds(a: &Bound<'_, PyUntypedArray>, row: impl Fn(usize) -> String) -> PyResult<Vec<i64>> {
    if a.dtype().kind() != b'u' {
        return read(&astype::<i64>(a)?);
    }
    read(&astype::<u64>(a)?)?
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            i64::try_from(v).map_err(|_| invalid(format!("time `{v}` is out of range"), row(i)))
        })
        .collect()
}

fn read<'py, T: Element + Copy>(a: &Bound<'py, PyArray1<T>>) -> PyResult<Vec<T>> {
    let r = a
        .try_readonly()
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(r.as_array().iter().copied().collect())
}

/// An unsigned integer column (`u32` or `u64`); `none` is the value that stands for a missing
/// entry (NaN in a float array, `None` in a list), if the column allows one.
fn uint_column<'py, T>(
    obj: &Bound<'py, PyAny>,
    path: &str,
    none: Option<T>,
) -> PyResult<Col<'py, T>>
where
    T: Element + Copy + TryFrom<u64> + serde::de::DeserializeOwned,
{
    if let Some(a) = borrow::<T>(obj)? {
        return Ok(Col::Borrowed(a));
    }
    let out_of_range =
        |v: String, i: usize| invalid(format!("`{v}` is not a valid index or id"), at_row(path, i));
    let convert = |v: u64, i: usize| T::try_from(v).map_err(|_| out_of_range(v.to_string(), i));
    if let Some(a) = array1(obj, path)? {
        match a.dtype().kind() {
            b'u' => {
                let vals = read(&astype::<u64>(&a)?)?;
                return vals
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| convert(v, i))
                    .collect::<PyResult<Vec<T>>>()
                    .map(Col::Owned);
            }
            b'i' => {
                let vals = read(&astype::<i64>(&a)?)?;
                return vals
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| {
                        u64::try_from(v)
                            .map_err(|_| out_of_range(v.to_string(), i))
                            .and_then(|v| convert(v, i))
                    })
                    .collect::<PyResult<Vec<T>>>()
                    .map(Col::Owned);
            }
            b'f' if none.is_some() => {
                let vals = read(&astype::<f64>(&a)?)?;
                return vals
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| match none {
                        Some(n) if v.is_nan() => Ok(n),
                        _ if v.fract() == 0.0 && (0.0..1.8e19).contains(&v) => {
                            // Exact: an integral value in u64's range.
                            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                            convert(v as u64, i)
                        }
                        _ => Err(out_of_range(v.to_string(), i)),
                    })
                    .collect::<PyResult<Vec<T>>>()
                    .map(Col::Owned);
            }
            _ => {
                let list = obj.call_method0("tolist")?;
                return uint_list(&list, path, none);
            }
        }
    }
    uint_list(obj, path, none)
}

fn uint_list<'py, T>(obj: &Bound<'py, PyAny>, path: &str, none: Option<T>) -> PyResult<Col<'py, T>>
where
    T: Element + Copy + serde::de::DeserializeOwned,
{
    match none {
        Some(n) => {
            let vals: Vec<Option<T>> = from_py(obj, path)?;
            Ok(Col::Owned(
                vals.into_iter().map(|v| v.unwrap_or(n)).collect(),
            ))
        }
        None => Ok(Col::Owned(from_py::<Vec<T>>(obj, path)?)),
    }
}

/// The kind column: codes or names.
fn kind_column<'py>(obj: &Bound<'py, PyAny>, path: &str) -> PyResult<Col<'py, u8>> {
    if let Some(a) = borrow::<u8>(obj)? {
        return Ok(Col::Borrowed(a));
    }
    if let Some(a) = array1(obj, path)?
        && matches!(a.dtype().kind(), b'i' | b'u')
    {
        let vals = read(&astype::<i64>(&a)?)?;
        // Codes ≥ 12 are refused by the core with their row; larger ones here.
        return vals
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                u8::try_from(v).map_err(|_| {
                    invalid(
                        format!("kind code `{v}` is not one of 0..{}", EventKind::ALL.len()),
                        at_row(path, i),
                    )
                })
            })
            .collect::<PyResult<Vec<u8>>>()
            .map(Col::Owned);
    }
    // Names, read one by one with a small cache (there are only a dozen kinds).
    let mut seen: Vec<(String, u8)> = Vec::with_capacity(EventKind::ALL.len());
    let mut out = Vec::with_capacity(obj.len().unwrap_or(0));
    for (i, item) in obj.try_iter()?.enumerate() {
        let item = item?;
        let code = match item.cast::<PyString>() {
            Ok(s) => {
                let s = text(s, &at_row(path, i))?;
                match seen.iter().find(|(n, _)| *n == s) {
                    Some((_, c)) => *c,
                    None => {
                        let kind: EventKind =
                            leadcore::input::from_value(Value::String(s.to_string()))
                                .map_err(|e| to_py_err(e.at(&at_row(path, i))))?;
                        seen.push((s.into_owned(), kind_code(kind)));
                        kind_code(kind)
                    }
                }
            }
            Err(_) => {
                let p = at_row(path, i);
                let kind: EventKind = from_py(&item, &p)?;
                kind_code(kind)
            }
        };
        out.push(code);
    }
    Ok(Col::Owned(out))
}

/// How a `datetime64` unit converts to seconds.
enum Scale {
    /// Seconds per unit (weeks to seconds).
    Times(i64),
    /// Units per second (milli-, micro-, nanoseconds).
    Div(i64),
}

/// The unit of a `datetime64` array.
fn datetime_scale(a: &Bound<'_, PyUntypedArray>) -> Option<Scale> {
    let py = a.py();
    let d = a.dtype();
    let is = |other: Bound<'_, numpy::PyArrayDescr>| d.is_equiv_to(&other);
    if is(Datetime::<units::Seconds>::get_dtype(py)) {
        Some(Scale::Times(1))
    } else if is(Datetime::<units::Nanoseconds>::get_dtype(py)) {
        Some(Scale::Div(1_000_000_000))
    } else if is(Datetime::<units::Microseconds>::get_dtype(py)) {
        Some(Scale::Div(1_000_000))
    } else if is(Datetime::<units::Milliseconds>::get_dtype(py)) {
        Some(Scale::Div(1_000))
    } else if is(Datetime::<units::Minutes>::get_dtype(py)) {
        Some(Scale::Times(60))
    } else if is(Datetime::<units::Hours>::get_dtype(py)) {
        Some(Scale::Times(3_600))
    } else if is(Datetime::<units::Days>::get_dtype(py)) {
        Some(Scale::Times(86_400))
    } else if is(Datetime::<units::Weeks>::get_dtype(py)) {
        Some(Scale::Times(604_800))
    } else {
        None
    }
}

/// A `datetime64` array as whole Unix seconds (floored), `NaT` as `MISSING_TIME`.
fn datetime_seconds<'py>(a: &Bound<'py, PyUntypedArray>, path: &str) -> PyResult<Col<'py, i64>> {
    let Some(scale) = datetime_scale(a) else {
        let msg = format!(
            "unsupported datetime64 unit in `{}`: use weeks to nanoseconds",
            a.dtype().str()?
        );
        return Err(bad(FieldErrorKind::InvalidType(msg), path));
    };
    let raw = a.call_method1("view", ("int64",))?;
    if matches!(scale, Scale::Times(1))
        && let Some(b) = borrow::<i64>(&raw)?
    {
        return Ok(Col::Borrowed(b));
    }
    let raw = raw.cast_into::<PyArray1<i64>>()?;
    let r = raw
        .try_readonly()
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    r.as_array()
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            if v == MISSING_TIME {
                return Ok(MISSING_TIME);
            }
            match scale {
                Scale::Times(k) => v
                    .checked_mul(k)
                    .ok_or_else(|| invalid(format!("time `{v}` is out of range"), at_row(path, i))),
                Scale::Div(k) => Ok(v.div_euclid(k)),
            }
        })
        .collect::<PyResult<Vec<i64>>>()
        .map(Col::Owned)
}

/// The `at` column as Unix seconds.
fn time_column<'py>(obj: &Bound<'py, PyAny>, path: &str) -> PyResult<Col<'py, i64>> {
    if let Some(a) = borrow::<i64>(obj)? {
        return Ok(Col::Borrowed(a));
    }
    if let Some(a) = array1(obj, path)? {
        match a.dtype().kind() {
            b'M' => return datetime_seconds(&a, path),
            b'i' | b'u' => return Ok(Col::Owned(int_seconds(&a, |i| at_row(path, i))?)),
            b'f' => {
                let vals = read(&astype::<f64>(&a)?)?;
                return vals
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| float_seconds(v, &at_row(path, i)))
                    .collect::<PyResult<Vec<i64>>>()
                    .map(Col::Owned);
            }
            _ => {
                let list = obj.call_method0("tolist")?;
                return time_list(&list, path);
            }
        }
    }
    time_list(obj, path)
}

/// Float seconds floored; NaN is a missing time.
fn float_seconds(v: f64, path: &str) -> PyResult<i64> {
    if v.is_nan() {
        return Ok(MISSING_TIME);
    }
    if !v.is_finite() {
        return Err(bad(FieldErrorKind::NotFinite, path));
    }
    let f = v.floor();
    if !(-9.2e18..9.2e18).contains(&f) {
        return Err(invalid(format!("time `{v}` is out of range"), path));
    }
    // Exact: `f` is integral and within i64's range.
    #[allow(clippy::cast_possible_truncation)]
    Ok(f as i64)
}

fn time_list<'py>(obj: &Bound<'py, PyAny>, path: &str) -> PyResult<Col<'py, i64>> {
    let mut out = Vec::with_capacity(obj.len().unwrap_or(0));
    for (i, item) in obj.try_iter()?.enumerate() {
        let item = item?;
        let p = at_row(path, i);
        if item.is_none() {
            out.push(MISSING_TIME);
        } else if let Ok(f) = item.cast::<PyFloat>() {
            out.push(float_seconds(f.value(), &p)?);
        } else {
            let v = to_value(&item, &p)?;
            out.push(leadcore::input::from_value::<i64>(v).map_err(|e| to_py_err(e.at(&p)))?);
        }
    }
    Ok(Col::Owned(out))
}
