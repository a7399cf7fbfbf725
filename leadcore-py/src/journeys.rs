//! Journeys as a long touch table from Python (`leadcore::attribution::JourneyColumns`): a
//! pandas DataFrame, a pyarrow Table or a dict of columns (numpy arrays, pandas Series, pyarrow
//! arrays, lists), one row per touch.
//!
//! Columns (see the core's `JourneyColumns` for the rules): `journey_id` (text or integers),
//! `channel`, optional `campaign` (text, None / null for none), `at`, optional `first_touch`,
//! `lead_created`, `opportunity_created`, `closed_won` (bool), optional `converted` (bool) and
//! `value` (numbers). Other columns are an `unknown_field` error: select the columns first.
//!
//! Read in place where the memory already has the core's layout: `int64` / `float64` / `bool`
//! numpy arrays and Series are borrowed; `datetime64` in seconds to nanoseconds is borrowed as
//! ticks (coarser units are converted to seconds; `NaT` is a missing time; tz-aware pandas
//! columns are converted to UTC first); Arrow string columns (pandas' `str` dtype with pyarrow,
//! `string[pyarrow]`, pyarrow arrays) are read from their buffers chunk by chunk. Anything else
//! is read row by row (no list of the whole column is made), and a bad cell is an error naming
//! the column and row, `touches.channel[17]`. The core work runs with the GIL released.

use leadcore::attribution::{JourneyColumns, TouchTimes, columns::MISSING_TICKS};
use leadcore::{FieldErrorKind, InputError};
use numpy::{PyArray1, PyArrayDescrMethods, PyArrayMethods, PyUntypedArrayMethods};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyString};

use crate::conv::{instant, text, text_of};
use crate::errors::to_py_err;
use crate::score::columns::{Col, Scale, array1, astype, borrow, datetime_scale, int_seconds};

/// The argument name errors are reported under.
const ARG: &str = "touches";

/// The column names, in the order they are checked.
const COLUMNS: [&str; 10] = [
    "journey_id",
    "channel",
    "campaign",
    "at",
    "first_touch",
    "lead_created",
    "opportunity_created",
    "closed_won",
    "converted",
    "value",
];

fn bad(kind: FieldErrorKind, path: String) -> PyErr {
    to_py_err(InputError::new(kind, path))
}

fn cell(column: &str, row: usize) -> String {
    format!("{ARG}.{column}[{row}]")
}

/// Text cells in one buffer: `ends[i]` is where row `i` ends; `none` marks missing cells.
#[derive(Default)]
struct Texts {
    data: String,
    ends: Vec<usize>,
    none: Vec<bool>,
}

impl Texts {
    fn push(&mut self, s: Option<&str>) {
        self.data.push_str(s.unwrap_or(""));
        self.ends.push(self.data.len());
        self.none.push(s.is_none());
    }

    fn cells(&self) -> impl Iterator<Item = Option<&str>> {
        let mut start = 0;
        self.ends.iter().zip(&self.none).map(move |(&end, &none)| {
            let s = self.data.get(start..end).unwrap_or("");
            start = end;
            (!none).then_some(s)
        })
    }

    /// Every cell, or an error naming the first missing one.
    fn required(&self, column: &str) -> PyResult<Vec<&str>> {
        self.cells()
            .enumerate()
            .map(|(i, c)| {
                c.ok_or_else(|| {
                    bad(
                        FieldErrorKind::InvalidType("expected text, got `None`".into()),
                        cell(column, i),
                    )
                })
            })
            .collect()
    }
}

/// The table's columns by name: a DataFrame / dict (`keys()`), or a pyarrow Table
/// (`column_names`).
fn columns<'py>(obj: &Bound<'py, PyAny>) -> PyResult<[Option<Bound<'py, PyAny>>; 10]> {
    let py = obj.py();
    let names = if obj.hasattr(intern!(py, "column_names"))? {
        obj.getattr(intern!(py, "column_names"))?
    } else if obj.hasattr(intern!(py, "keys"))? && obj.cast::<PyString>().is_err() {
        obj.call_method0(intern!(py, "keys"))?
    } else {
        let msg = format!(
            "expected a DataFrame, a pyarrow Table or a dict of columns, got `{}`",
            obj.get_type().name()?
        );
        return Err(bad(FieldErrorKind::InvalidType(msg), ARG.into()));
    };
    let mut out: [Option<Bound<'py, PyAny>>; 10] = Default::default();
    for key in names.try_iter()? {
        let key = key?;
        let name = text_of(&key, ARG)?;
        let Some(slot) = COLUMNS
            .iter()
            .position(|c| *c == name)
            .and_then(|i| out.get_mut(i))
        else {
            let msg = format!(
                "unknown field `{name}`, expected one of {}",
                COLUMNS.map(|c| format!("`{c}`")).join(", ")
            );
            return Err(bad(
                FieldErrorKind::UnknownField(msg),
                format!("{ARG}.{name}"),
            ));
        };
        let col = obj.get_item(&key)?;
        *slot = (!col.is_none()).then_some(col);
    }
    for (name, col) in COLUMNS.iter().zip(&out).take(4) {
        if col.is_none() && *name != "campaign" {
            return Err(bad(
                FieldErrorKind::MissingField(format!("missing field `{name}`")),
                format!("{ARG}.{name}"),
            ));
        }
    }
    Ok(out)
}

/// A pandas Series or pyarrow array as a numpy array (tz-aware times converted to naive UTC;
/// missing cells become None or NaN); other objects unchanged.
fn numpy_of<'py>(col: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let py = col.py();
    if col.get_type().module()?.to_cow()?.starts_with("pyarrow")
        && col.hasattr(intern!(py, "to_numpy"))?
    {
        let kwargs = PyDict::new(py);
        kwargs.set_item("zero_copy_only", false)?;
        return col
            .call_method(intern!(py, "to_numpy"), (), Some(&kwargs))
            .or_else(|_| col.call_method0(intern!(py, "to_numpy")));
    }
    let is_series = col.hasattr(intern!(py, "iloc"))? && col.hasattr(intern!(py, "to_numpy"))?;
    if !is_series {
        return Ok(col.clone());
    }
    let tz = col
        .getattr(intern!(py, "dtype"))
        .and_then(|d| d.getattr(intern!(py, "tz")))
        .ok()
        .filter(|t| !t.is_none());
    let col = match tz {
        Some(_) => col
            .getattr(intern!(py, "dt"))?
            .call_method1(intern!(py, "tz_convert"), (py.None(),))?,
        None => col.clone(),
    };
    col.call_method0(intern!(py, "to_numpy"))
}

/// The Arrow array behind a column, if it has one: a pyarrow Array / ChunkedArray, or a pandas
/// Series backed by one.
fn arrow_of<'py>(col: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyAny>>> {
    let py = col.py();
    let module = col.get_type().module()?.to_cow()?.into_owned();
    if module.starts_with("pyarrow") {
        return Ok(Some(col.clone()));
    }
    if col.hasattr(intern!(py, "iloc"))?
        && let Ok(arr) = col.getattr(intern!(py, "array"))
        && arr.hasattr(intern!(py, "__arrow_array__"))?
        && let Ok(a) = arr.call_method0(intern!(py, "__arrow_array__"))
    {
        return Ok(Some(a));
    }
    Ok(None)
}

/// Copies a slice of an Arrow buffer.
fn buffer_bytes(buf: &Bound<'_, PyAny>, at: usize, len: usize) -> PyResult<Vec<u8>> {
    let py = buf.py();
    let sliced = buf.call_method1(intern!(py, "slice"), (at, len))?;
    let bytes = sliced.call_method0(intern!(py, "to_pybytes"))?;
    Ok(bytes.cast::<PyBytes>()?.as_bytes().to_vec())
}

/// Appends an Arrow string array (one chunk) to `out` from its buffers; `false` when it is not
/// a plain string array (then nothing was appended).
fn arrow_chunk(arr: &Bound<'_, PyAny>, out: &mut Texts) -> PyResult<bool> {
    let py = arr.py();
    let width = match arr.getattr(intern!(py, "type"))?.str()?.to_cow()?.as_ref() {
        "large_string" | "large_utf8" => 8,
        "string" | "utf8" => 4,
        _ => return Ok(false),
    };
    let n: usize = arr.len()?;
    let offset: usize = arr.getattr(intern!(py, "offset"))?.extract()?;
    let nulls: usize = arr.getattr(intern!(py, "null_count"))?.extract()?;
    let buffers = arr.call_method0(intern!(py, "buffers"))?;
    let valid = match buffers.get_item(0)? {
        b if nulls > 0 && !b.is_none() => Some(buffer_bytes(
            &b,
            offset / 8,
            (offset + n).div_ceil(8) - offset / 8,
        )?),
        _ => None,
    };
    let raw = buffer_bytes(&buffers.get_item(1)?, offset * width, (n + 1) * width)?;
    let offsets: Vec<i64> = if width == 8 {
        raw.chunks_exact(8)
            .filter_map(|c| <[u8; 8]>::try_from(c).ok())
            .map(i64::from_le_bytes)
            .collect()
    } else {
        raw.chunks_exact(4)
            .filter_map(|c| <[u8; 4]>::try_from(c).ok())
            .map(|c| i64::from(i32::from_le_bytes(c)))
            .collect()
    };
    let (Some(&first), Some(&last)) = (offsets.first(), offsets.last()) else {
        return Ok(false);
    };
    let (Ok(first), Ok(last)) = (usize::try_from(first), usize::try_from(last)) else {
        return Ok(false);
    };
    if offsets.len() != n + 1 || last < first {
        return Ok(false);
    }
    let data = buffer_bytes(&buffers.get_item(2)?, first, last - first)?;
    let Ok(text) = std::str::from_utf8(&data) else {
        return Ok(false);
    };
    let shift = offset % 8;
    let mut cells = Vec::with_capacity(n);
    for (i, w) in offsets.windows(2).enumerate() {
        let [a, b] = w else { return Ok(false) };
        let (Ok(a), Ok(b)) = (usize::try_from(*a), usize::try_from(*b)) else {
            return Ok(false);
        };
        let Some(s) = text.get(a.wrapping_sub(first)..b.wrapping_sub(first)) else {
            return Ok(false);
        };
        let present = valid.as_ref().is_none_or(|v| {
            let bit = i + shift;
            v.get(bit / 8)
                .is_some_and(|byte| byte & (1 << (bit % 8)) != 0)
        });
        cells.push(present.then_some(s));
    }
    for c in cells {
        out.push(c);
    }
    Ok(true)
}

/// A text column read from Arrow buffers, chunk by chunk; `None` when it is not Arrow text.
fn arrow_texts(col: &Bound<'_, PyAny>) -> PyResult<Option<Texts>> {
    let py = col.py();
    let Some(arr) = arrow_of(col)? else {
        return Ok(None);
    };
    let chunks: Vec<Bound<'_, PyAny>> = if arr.hasattr(intern!(py, "chunks"))? {
        arr.getattr(intern!(py, "chunks"))?
            .try_iter()?
            .collect::<PyResult<_>>()?
    } else {
        vec![arr]
    };
    let mut out = Texts::default();
    for chunk in &chunks {
        if !arrow_chunk(chunk, &mut out)? {
            return Ok(None);
        }
    }
    Ok(Some(out))
}

/// A text column: Arrow buffers, integers as decimal text when `ints` (journey ids), else cell
/// by cell (`str`, or None / NaN for a missing cell).
fn texts(col: &Bound<'_, PyAny>, column: &str, ints: bool) -> PyResult<Texts> {
    if let Some(t) = arrow_texts(col)? {
        return Ok(t);
    }
    let arr = numpy_of(col)?;
    let mut out = Texts::default();
    if let Some(a) = array1(&arr, &format!("{ARG}.{column}"))?
        && ints
        && matches!(a.dtype().kind(), b'i' | b'u')
    {
        if let Some(v) = borrow::<i64>(&arr)? {
            for x in v.as_slice().unwrap_or_default() {
                out.push(Some(&x.to_string()));
            }
            return Ok(out);
        }
        let v = astype::<i64>(&a)?;
        let r = v
            .try_readonly()
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        for x in r.as_array() {
            out.push(Some(&x.to_string()));
        }
        return Ok(out);
    }
    for (i, item) in arr.try_iter()?.enumerate() {
        let item = item?;
        if let Ok(s) = item.cast::<PyString>() {
            out.push(Some(&text(s, &cell(column, i))?));
        } else if item.is_none() || item.cast::<PyFloat>().is_ok_and(|f| f.value().is_nan()) {
            out.push(None);
        } else if ints && item.cast::<PyInt>().is_ok() && item.cast::<PyBool>().is_err() {
            out.push(Some(&text_of(&item, &cell(column, i))?));
        } else {
            let msg = format!("expected text, got `{}`", item.get_type().name()?);
            return Err(bad(FieldErrorKind::InvalidType(msg), cell(column, i)));
        }
    }
    Ok(out)
}

/// A boolean column: a `bool` array borrowed, else cell by cell (`bool`, numpy bools).
fn bools<'py>(col: &Bound<'py, PyAny>, column: &str) -> PyResult<Col<'py, bool>> {
    let arr = numpy_of(col)?;
    if let Some(b) = borrow::<bool>(&arr)? {
        return Ok(Col::Borrowed(b));
    }
    let mut out = Vec::new();
    for (i, item) in arr.try_iter()?.enumerate() {
        let item = item?;
        match item.extract::<bool>() {
            Ok(b) if item.cast::<PyInt>().is_err() || item.cast::<PyBool>().is_ok() => out.push(b),
            _ => {
                let msg = format!("expected a bool, got `{}`", item.get_type().name()?);
                return Err(bad(FieldErrorKind::InvalidType(msg), cell(column, i)));
            }
        }
    }
    Ok(Col::Owned(out))
}

/// The `value` column: `float64` borrowed, other numbers converted, else cell by cell (None is
/// NaN, which the core refuses with its row).
fn floats<'py>(col: &Bound<'py, PyAny>) -> PyResult<Col<'py, f64>> {
    let arr = numpy_of(col)?;
    if let Some(b) = borrow::<f64>(&arr)? {
        return Ok(Col::Borrowed(b));
    }
    if let Some(a) = array1(&arr, &format!("{ARG}.value"))?
        && matches!(a.dtype().kind(), b'i' | b'u' | b'f')
    {
        let v = astype::<f64>(&a)?;
        let r = v
            .try_readonly()
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        return Ok(Col::Owned(r.as_array().iter().copied().collect()));
    }
    let mut out = Vec::new();
    for (i, item) in arr.try_iter()?.enumerate() {
        let item = item?;
        if item.is_none() {
            out.push(f64::NAN);
        } else if item.cast::<PyBool>().is_err()
            && let Ok(v) = item.extract::<f64>()
        {
            out.push(v);
        } else {
            let msg = format!("expected a number, got `{}`", item.get_type().name()?);
            return Err(bad(FieldErrorKind::InvalidType(msg), cell("value", i)));
        }
    }
    Ok(Col::Owned(out))
}

/// The `at` column.
enum Times<'py> {
    Ticks(Col<'py, i64>, i64),
    Seconds(Col<'py, f64>),
}

impl Times<'_> {
    fn view(&self) -> TouchTimes<'_> {
        match self {
            Times::Ticks(c, per_second) => TouchTimes::Ticks {
                values: c.slice(),
                per_second: *per_second,
            },
            Times::Seconds(c) => TouchTimes::Seconds(c.slice()),
        }
    }
}

/// `at`: `int64` seconds or `datetime64` (seconds to nanoseconds) borrowed, coarser
/// `datetime64` units and other integers converted, floats as seconds; else cell by cell
/// (int / float seconds, aware datetimes, RFC 3339 text, None for missing) as microseconds.
fn times<'py>(col: &Bound<'py, PyAny>) -> PyResult<Times<'py>> {
    let path = format!("{ARG}.at");
    let arr = numpy_of(col)?;
    if let Some(b) = borrow::<i64>(&arr)? {
        return Ok(Times::Ticks(Col::Borrowed(b), 1));
    }
    if let Some(b) = borrow::<f64>(&arr)? {
        return Ok(Times::Seconds(Col::Borrowed(b)));
    }
    if let Some(a) = array1(&arr, &path)? {
        match a.dtype().kind() {
            b'M' => {
                let Some(scale) = datetime_scale(&a) else {
                    let msg = format!(
                        "unsupported datetime64 unit in `{}`: use weeks to nanoseconds",
                        a.dtype().str()?
                    );
                    return Err(bad(FieldErrorKind::InvalidType(msg), path));
                };
                let raw = a.call_method1(intern!(a.py(), "view"), ("int64",))?;
                return match scale {
                    Scale::Div(k) => match borrow::<i64>(&raw)? {
                        Some(b) => Ok(Times::Ticks(Col::Borrowed(b), k)),
                        None => Ok(Times::Ticks(Col::Owned(read_i64(&raw)?), k)),
                    },
                    Scale::Times(1) => match borrow::<i64>(&raw)? {
                        Some(b) => Ok(Times::Ticks(Col::Borrowed(b), 1)),
                        None => Ok(Times::Ticks(Col::Owned(read_i64(&raw)?), 1)),
                    },
                    Scale::Times(k) => read_i64(&raw)?
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| {
                            if v == MISSING_TICKS {
                                return Ok(MISSING_TICKS);
                            }
                            v.checked_mul(k).ok_or_else(|| {
                                let msg = format!("time `{v}` is out of range");
                                bad(FieldErrorKind::InvalidValue(msg), cell("at", i))
                            })
                        })
                        .collect::<PyResult<Vec<i64>>>()
                        .map(|v| Times::Ticks(Col::Owned(v), 1)),
                };
            }
            b'i' | b'u' => {
                return Ok(Times::Ticks(
                    Col::Owned(int_seconds(&a, |i| cell("at", i))?),
                    1,
                ));
            }
            b'f' => {
                let v = astype::<f64>(&a)?;
                let r = v
                    .try_readonly()
                    .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
                return Ok(Times::Seconds(Col::Owned(
                    r.as_array().iter().copied().collect(),
                )));
            }
            _ => {}
        }
    }
    const MICROS: i64 = 1_000_000;
    let mut out = Vec::new();
    for (i, item) in arr.try_iter()?.enumerate() {
        let item = item?;
        let p = cell("at", i);
        let range = |v: String| {
            bad(
                FieldErrorKind::InvalidValue(format!("time `{v}` is out of range")),
                p.clone(),
            )
        };
        let ticks = if item.is_none() {
            MISSING_TICKS
        } else if item.cast::<PyBool>().is_ok() {
            let msg = "expected a time, got `bool`".to_string();
            return Err(bad(FieldErrorKind::InvalidType(msg), p));
        } else if let Ok(n) = item.cast::<PyInt>() {
            let s: i64 = n.extract().map_err(|_| range(n.to_string()))?;
            s.checked_mul(MICROS).ok_or_else(|| range(s.to_string()))?
        } else if let Ok(f) = item.cast::<PyFloat>() {
            let v = f.value();
            if v.is_nan() {
                MISSING_TICKS
            } else if !v.is_finite() {
                return Err(bad(FieldErrorKind::NotFinite, p));
            } else {
                let us = (v * 1e6).floor();
                if !(-9.2e18..9.2e18).contains(&us) {
                    return Err(range(v.to_string()));
                }
                // Exact: `us` is integral and within i64's range.
                #[allow(clippy::cast_possible_truncation)]
                let us = us as i64;
                us
            }
        } else {
            instant(&item, &p)?.timestamp_micros()
        };
        out.push(ticks);
    }
    Ok(Times::Ticks(Col::Owned(out), MICROS))
}

fn read_i64(a: &Bound<'_, PyAny>) -> PyResult<Vec<i64>> {
    let a = a.cast::<PyArray1<i64>>()?;
    let r = a
        .try_readonly()
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    Ok(r.as_array().iter().copied().collect())
}

/// A touch table read from Python, ready to be viewed as `JourneyColumns`.
pub struct TouchTable<'py> {
    journey_id: Texts,
    channel: Texts,
    campaign: Option<Texts>,
    at: Times<'py>,
    milestones: [Option<Col<'py, bool>>; 4],
    converted: Option<Col<'py, bool>>,
    value: Option<Col<'py, f64>>,
}

impl<'py> TouchTable<'py> {
    /// Reads the columns of `obj` (see the module docs).
    pub fn read(obj: &Bound<'py, PyAny>) -> PyResult<Self> {
        if let Ok(d) = obj.cast::<PyDict>()
            && d.is_empty()
        {
            return Err(bad(
                FieldErrorKind::MissingField("missing field `journey_id`".into()),
                format!("{ARG}.journey_id"),
            ));
        }
        let [id, channel, campaign, at, m0, m1, m2, m3, converted, value] = columns(obj)?;
        let required = |c: Option<Bound<'py, PyAny>>, name: &str| {
            c.ok_or_else(|| {
                bad(
                    FieldErrorKind::MissingField(format!("missing field `{name}`")),
                    format!("{ARG}.{name}"),
                )
            })
        };
        let mut milestones: [Option<Col<'py, bool>>; 4] = Default::default();
        for ((slot, col), name) in milestones
            .iter_mut()
            .zip([m0, m1, m2, m3])
            .zip(COLUMNS.iter().skip(4))
        {
            *slot = col.map(|c| bools(&c, name)).transpose()?;
        }
        Ok(Self {
            journey_id: texts(&required(id, "journey_id")?, "journey_id", true)?,
            channel: texts(&required(channel, "channel")?, "channel", false)?,
            campaign: campaign.map(|c| texts(&c, "campaign", false)).transpose()?,
            at: times(&required(at, "at")?)?,
            milestones,
            converted: converted.map(|c| bools(&c, "converted")).transpose()?,
            value: value.map(|c| floats(&c)).transpose()?,
        })
    }

    /// Calls `f` with the core's view of the table (missing text cells in required columns
    /// are an error here).
    pub fn with_columns<R>(&self, f: impl FnOnce(&JourneyColumns<'_>) -> R) -> PyResult<R> {
        let ids = self.journey_id.required("journey_id")?;
        let channel = self.channel.required("channel")?;
        let campaign: Option<Vec<Option<&str>>> =
            self.campaign.as_ref().map(|c| c.cells().collect());
        let [a, b, c, d] = &self.milestones;
        let cols = JourneyColumns {
            journey_id: &ids,
            channel: &channel,
            campaign: campaign.as_deref(),
            at: self.at.view(),
            milestones: [a, b, c, d].map(|m| m.as_ref().map(Col::slice)),
            converted: self.converted.as_ref().map(Col::slice),
            value: self.value.as_ref().map(Col::slice),
        };
        Ok(f(&cols))
    }
}
