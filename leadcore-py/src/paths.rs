//! Path counts from Python, read in batches.
//!
//! Path counts are the large attribution input (millions of ChannelAttribution-style rows), so
//! they are not converted through JSON values like other arguments. Two forms are read:
//! - rows: a list or tuple of `{"path", "conversions", "nulls", "value"}` dicts;
//! - columns: anything with `keys()` and `[name]` holding those columns (a dict of lists or
//!   numpy arrays, a pandas DataFrame); a column that is not a list is read a batch at a time
//!   through `col.iloc[a:b].tolist()` (pandas) or `col[a:b].tolist()` (numpy), so a large
//!   DataFrame is never copied whole into Python objects.
//!
//! Rows are converted [`BATCH_ROWS`] at a time into a [`PathBatch`] (the GIL held), which the
//! core then attributes (the GIL released), so memory stays at a batch whatever the input
//! size. Columns that hold their data in memory are read without making a Python object per
//! row: an Arrow-backed string column (pandas' default `str` dtype with pyarrow) from its
//! offsets and data buffers, numeric numpy arrays / Series (64-bit ints or floats) from their
//! bytes. A column of Python `str` objects (a pandas `object` column, a numpy object array) is
//! read cell by cell from the strings' own UTF-8 (no Python call, no copy but into the batch).
//! Other rows are read one by one, each `str` in place too. A row that is not plain (`str` path,
//! `int` counts, `int` / `float` value, a `dict` with no other keys) goes through the general
//! conversion, so values and errors are the same as for the JSON form; errors name row `i` as
//! `paths[i]` in both forms.

use leadcore::attribution::{PathBatch, PathCount};
use leadcore::{FieldErrorKind, InputError};
use numpy::{Element, PyArrayDescr, PyArrayDescrMethods};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use crate::conv::{from_py, str_bytes, text, text_of};
use crate::errors::to_py_err;
use crate::score::columns::borrow;

/// Rows converted per batch.
pub const BATCH_ROWS: usize = 65_536;

/// The fields of a path count, in the order the general conversion names them.
const PATH_FIELDS: [&str; 4] = ["path", "conversions", "nulls", "value"];

/// A path count with every optional field at the core's default.
pub fn path_defaults(py: Python<'_>) -> PyResult<&'static PathCount> {
    static DEFAULTS: PyOnceLock<PathCount> = PyOnceLock::new();
    DEFAULTS.get_or_try_init(py, || {
        leadcore::input::from_value(serde_json::json!({"path": ""})).map_err(to_py_err)
    })
}

/// A non-negative `int` (not `bool`) that fits in 64 bits.
fn count(v: &Bound<'_, PyAny>) -> Option<u64> {
    v.cast_exact::<PyInt>().ok()?.extract::<u64>().ok()
}

/// A finite `float`, or an `int` that fits in 64 bits.
fn amount(v: &Bound<'_, PyAny>) -> Option<f64> {
    if let Ok(f) = v.cast_exact::<PyFloat>() {
        let x = f.value();
        return x.is_finite().then_some(x);
    }
    let i = v.cast_exact::<PyInt>().ok()?;
    match i.extract::<i64>() {
        Ok(n) => Some(n as f64),
        Err(_) => i.extract::<u64>().ok().map(|n| n as f64),
    }
}

/// A plain row: the path as an exact `str` and the counts.
type Plain<'py> = (Bound<'py, PyString>, u64, u64, f64);

/// Reads a plain row dict; `None` when anything is unusual.
fn plain_row<'py>(item: &Bound<'py, PyAny>, defaults: &PathCount) -> Option<Plain<'py>> {
    let py = item.py();
    let d = item.cast_exact::<PyDict>().ok()?;
    let path = d
        .get_item(intern!(py, "path"))
        .ok()??
        .cast_into_exact::<PyString>()
        .ok()?;
    let mut row = (path, defaults.conversions, defaults.nulls, defaults.value);
    let mut seen = 1;
    if let Some(v) = d.get_item(intern!(py, "conversions")).ok()? {
        row.1 = count(&v)?;
        seen += 1;
    }
    if let Some(v) = d.get_item(intern!(py, "nulls")).ok()? {
        row.2 = count(&v)?;
        seen += 1;
    }
    if let Some(v) = d.get_item(intern!(py, "value")).ok()? {
        row.3 = amount(&v)?;
        seen += 1;
    }
    (seen == d.len()).then_some(row)
}

/// One path count (e.g. `add_path`'s argument), errors located at `arg`.
pub fn path_count(obj: &Bound<'_, PyAny>, arg: &str) -> PyResult<PathCount> {
    match plain_row(obj, path_defaults(obj.py())?) {
        Some((p, c, u, v)) => Ok(PathCount {
            path: text(&p, &format!("{arg}.path"))?.into_owned(),
            conversions: c,
            nulls: u,
            value: v,
        }),
        None => from_py(obj, arg),
    }
}

/// Rows `a..b` of a column as a list: a slice of a list or tuple, else `col.iloc[a:b]` (pandas)
/// or `col[a:b]` (numpy, sequences) through `tolist()` when there is one.
fn column_slice<'py>(col: &Bound<'py, PyAny>, a: usize, b: usize) -> PyResult<Bound<'py, PyList>> {
    let py = col.py();
    if let Ok(l) = col.cast::<PyList>() {
        return Ok(l.get_slice(a, b));
    }
    let sliceable = match col.getattr(intern!(py, "iloc")) {
        Ok(iloc) => iloc,
        Err(_) => col.clone(),
    };
    let part = sliceable.get_item(pyo3::types::PySlice::new(py, a as isize, b as isize, 1))?;
    let listed = if part.hasattr(intern!(py, "tolist"))? {
        part.call_method0(intern!(py, "tolist"))?
    } else {
        PyList::new(py, part.try_iter()?.collect::<PyResult<Vec<_>>>()?)?.into_any()
    };
    Ok(listed.cast_into::<PyList>()?)
}

fn input_error(kind: FieldErrorKind, path: String) -> PyErr {
    to_py_err(InputError::new(kind, path))
}

enum Source {
    /// A list or tuple of row dicts.
    Rows(Py<PyAny>),
    /// Equal-length columns of paths, conversions, nulls, values (lists, arrays, Series).
    Columns([Option<Py<PyAny>>; 4]),
}

/// The path column as a numpy object array (a pandas Series of `object` dtype read in place,
/// or a numpy object array), when it is one.
fn object_column(col: &Bound<'_, PyAny>) -> PyResult<Option<Py<PyAny>>> {
    let py = col.py();
    let Ok(dtype) = col.getattr(intern!(py, "dtype")) else {
        return Ok(None);
    };
    if !dtype.cast::<PyArrayDescr>().is_ok_and(|d| d.kind() == b'O') {
        return Ok(None);
    }
    let arr = if col.hasattr(intern!(py, "to_numpy"))? {
        col.call_method0(intern!(py, "to_numpy"))?
    } else {
        col.clone()
    };
    Ok(borrow::<Py<PyAny>>(&arr)?.map(|_| arr.unbind()))
}

/// Rows `a..b` of an object column whose cells are all `str`, read in place (see
/// [`str_bytes`]; the batch's text checked as UTF-8 once): the text of the rows, and each
/// row's end in it. `None` when a cell is not a `str` or not valid Unicode (the rows are then
/// read one by one, which names the bad one).
fn object_strings(
    objects: &Bound<'_, PyAny>,
    a: usize,
    b: usize,
) -> PyResult<Option<(String, Vec<usize>)>> {
    let py = objects.py();
    let Some(cells) = borrow::<Py<PyAny>>(objects)? else {
        return Ok(None);
    };
    let Some(cells) = cells.as_slice()?.get(a..b) else {
        return Ok(None);
    };
    let mut text = Vec::with_capacity(cells.len() * 32);
    let mut ends = Vec::with_capacity(cells.len());
    for cell in cells {
        let Some(t) = cell
            .bind(py)
            .cast_exact::<PyString>()
            .ok()
            .and_then(str_bytes)
        else {
            return Ok(None);
        };
        text.extend_from_slice(t);
        ends.push(text.len());
    }
    Ok(String::from_utf8(text).ok().map(|text| (text, ends)))
}

/// Path counts read batch by batch from a Python argument.
pub struct PathSource {
    source: Source,
    /// The path column when it is an array of objects.
    objects: Option<Py<PyAny>>,
    arg: String,
    len: usize,
    next: usize,
    /// The error of a bad row, returned after the batch of the good rows before it.
    pending: Option<PyErr>,
}

impl PathSource {
    /// Checks the form of `obj` (rows or columns; columns' names and lengths).
    pub fn new(obj: &Bound<'_, PyAny>, arg: &str) -> PyResult<Self> {
        let py = obj.py();
        let sequence = obj.cast::<PyList>().is_ok() || obj.cast::<PyTuple>().is_ok();
        if !sequence && obj.cast::<PyString>().is_err() && obj.hasattr(intern!(py, "keys"))? {
            return Self::columns(obj, arg);
        }
        if !sequence {
            // Not rows nor columns: the general conversion explains what is wrong.
            from_py::<Vec<PathCount>>(obj, arg)?;
        }
        Ok(Self {
            source: Source::Rows(obj.clone().unbind()),
            objects: None,
            arg: arg.to_string(),
            len: obj.len()?,
            next: 0,
            pending: None,
        })
    }

    fn columns(obj: &Bound<'_, PyAny>, arg: &str) -> PyResult<Self> {
        let py = obj.py();
        let mut cols: [Option<Py<PyAny>>; 4] = [None, None, None, None];
        for key in obj.call_method0(intern!(py, "keys"))?.try_iter()? {
            let key = key?;
            let name = text_of(&key, arg)?;
            let Some(slot) = PATH_FIELDS
                .iter()
                .position(|f| *f == name)
                .and_then(|i| cols.get_mut(i))
            else {
                let msg = format!(
                    "unknown field `{name}`, expected one of `path`, `conversions`, `nulls`, `value`"
                );
                return Err(input_error(
                    FieldErrorKind::UnknownField(msg),
                    format!("{arg}.{name}"),
                ));
            };
            *slot = Some(obj.get_item(&key)?.unbind());
        }
        let Some(Some(path)) = cols.first() else {
            return Err(input_error(
                FieldErrorKind::MissingField("missing field `path`".into()),
                format!("{arg}.path"),
            ));
        };
        let len = path.bind(py).len()?;
        for (name, col) in PATH_FIELDS.iter().zip(&cols).skip(1) {
            if let Some(c) = col
                && c.bind(py).len()? != len
            {
                let msg = format!(
                    "column `{name}` has {} rows, `path` has {len}",
                    c.bind(py).len()?
                );
                return Err(input_error(
                    FieldErrorKind::InvalidValue(msg),
                    format!("{arg}.{name}"),
                ));
            }
        }
        let objects = object_column(path.bind(py))?;
        Ok(Self {
            source: Source::Columns(cols),
            objects,
            arg: arg.to_string(),
            len,
            next: 0,
            pending: None,
        })
    }

    /// The next batch. On a bad row: the good rows before it, then its error, then the end.
    pub fn next_batch(&mut self, py: Python<'_>) -> Option<PyResult<PathBatch>> {
        if let Some(e) = self.pending.take() {
            return Some(Err(e));
        }
        if self.next >= self.len {
            return None;
        }
        let (start, end) = (self.next, (self.next + BATCH_ROWS).min(self.len));
        self.next = end;
        if let Source::Columns(cols) = &self.source {
            match from_memory(py, cols, self.objects.as_ref(), start, end) {
                Ok(Some(batch)) => return Some(Ok(batch)),
                Ok(None) => {}
                Err(e) => {
                    self.next = self.len;
                    return Some(Err(e));
                }
            }
        }
        let slices = match self.slices(py, start, end) {
            Ok(s) => s,
            Err(e) => {
                self.next = self.len;
                return Some(Err(e));
            }
        };
        let mut rows: Vec<Plain<'_>> = Vec::with_capacity(end - start);
        for i in start..end {
            match self.row(py, &slices, i, start) {
                Ok(r) => rows.push(r),
                Err(e) => {
                    self.next = self.len;
                    if rows.is_empty() {
                        return Some(Err(e));
                    }
                    self.pending = Some(e);
                    break;
                }
            }
        }
        Some(batch(&rows))
    }

    /// The columns' rows `start..end` as lists (nothing for rows input).
    fn slices<'py>(
        &self,
        py: Python<'py>,
        start: usize,
        end: usize,
    ) -> PyResult<[Option<Bound<'py, PyList>>; 4]> {
        let mut out = [None, None, None, None];
        if let Source::Columns(cols) = &self.source {
            for (slot, col) in out.iter_mut().zip(cols) {
                if let Some(c) = col {
                    let part = column_slice(c.bind(py), start, end)?;
                    if part.len() != end - start {
                        let msg = format!(
                            "a column slice gave {} rows, not {}",
                            part.len(),
                            end - start
                        );
                        return Err(input_error(
                            FieldErrorKind::InvalidValue(msg),
                            self.arg.clone(),
                        ));
                    }
                    *slot = Some(part);
                }
            }
        }
        Ok(out)
    }

    /// Row `i` (the batch starts at row `start`), fast when plain, else through the general
    /// conversion.
    fn row<'py>(
        &self,
        py: Python<'py>,
        slices: &[Option<Bound<'py, PyList>>; 4],
        i: usize,
        start: usize,
    ) -> PyResult<Plain<'py>> {
        let defaults = path_defaults(py)?;
        let at = || format!("{}[{i}]", self.arg);
        let general = |obj: &Bound<'py, PyAny>| -> PyResult<Plain<'py>> {
            let p: PathCount = from_py(obj, &at())?;
            Ok((PyString::new(py, &p.path), p.conversions, p.nulls, p.value))
        };
        match &self.source {
            Source::Rows(seq) => {
                let item = seq.bind(py).get_item(i)?;
                match plain_row(&item, defaults) {
                    Some(r) => Ok(r),
                    None => general(&item),
                }
            }
            Source::Columns(_) => {
                let mut cells: [Option<Bound<'py, PyAny>>; 4] = [None, None, None, None];
                for (cell, col) in cells.iter_mut().zip(slices) {
                    if let Some(c) = col {
                        *cell = Some(c.get_item(i - start)?);
                    }
                }
                let plain = (|| {
                    let [p, c, u, v] = &cells;
                    let path = p.as_ref()?.cast_exact::<PyString>().ok()?.clone();
                    let c = c.as_ref().map_or(Some(defaults.conversions), count)?;
                    let u = u.as_ref().map_or(Some(defaults.nulls), count)?;
                    let v = v.as_ref().map_or(Some(defaults.value), amount)?;
                    Some((path, c, u, v))
                })();
                match plain {
                    Some(r) => Ok(r),
                    None => {
                        let d = PyDict::new(py);
                        for (name, cell) in PATH_FIELDS.iter().zip(cells) {
                            if let Some(cell) = cell {
                                d.set_item(name, cell)?;
                            }
                        }
                        general(d.as_any())
                    }
                }
            }
        }
    }
}

/// Numbers of a column read from memory.
enum Numbers {
    I(Vec<i64>),
    U(Vec<u64>),
    F(Vec<f64>),
}

impl Numbers {
    fn len(&self) -> usize {
        match self {
            Self::I(v) => v.len(),
            Self::U(v) => v.len(),
            Self::F(v) => v.len(),
        }
    }
}

/// Rows `a..b` of a numpy array or pandas Series of 64-bit little-endian ints or floats, read
/// in place; `None` for anything else.
fn numpy_numbers(col: &Bound<'_, PyAny>, a: usize, b: usize) -> PyResult<Option<Numbers>> {
    let py = col.py();
    if col.cast::<PyList>().is_ok() || col.cast::<PyTuple>().is_ok() {
        return Ok(None);
    }
    let arr = if col.hasattr(intern!(py, "to_numpy"))? {
        col.call_method0(intern!(py, "to_numpy"))?
    } else {
        col.clone()
    };
    let part = arr.get_item(pyo3::types::PySlice::new(py, a as isize, b as isize, 1))?;
    Ok(if let Some(v) = borrow::<i64>(&part)? {
        Some(Numbers::I(v.as_slice()?.to_vec()))
    } else if let Some(v) = borrow::<u64>(&part)? {
        Some(Numbers::U(v.as_slice()?.to_vec()))
    } else {
        borrow::<f64>(&part)?
            .map(|v| v.as_slice().map(|s| Numbers::F(s.to_vec())))
            .transpose()?
    }
    .filter(|n| n.len() == b - a))
}

/// `count` items of dtype `T` from byte `offset` of a pyarrow buffer, read in place.
fn buffer_items<T: Element + Copy>(
    buf: &Bound<'_, PyAny>,
    offset: usize,
    count: usize,
) -> PyResult<Vec<T>> {
    let py = buf.py();
    let kwargs = PyDict::new(py);
    kwargs.set_item(intern!(py, "dtype"), numpy::dtype::<T>(py))?;
    kwargs.set_item(intern!(py, "count"), count)?;
    kwargs.set_item(intern!(py, "offset"), offset)?;
    let arr = py.import(intern!(py, "numpy"))?.call_method(
        intern!(py, "frombuffer"),
        (buf,),
        Some(&kwargs),
    )?;
    Ok(match borrow::<T>(&arr)? {
        Some(v) => v.as_slice()?.to_vec(),
        None => Vec::new(),
    })
}

/// Rows `a..b` of an Arrow-backed string column without nulls (a pandas Series of dtype
/// `str` / `string[pyarrow]`), read from its buffers: the text of the rows, and each row's end
/// in it.
fn arrow_strings(
    col: &Bound<'_, PyAny>,
    a: usize,
    b: usize,
) -> PyResult<Option<(String, Vec<usize>)>> {
    let py = col.py();
    let Ok(arr) = col
        .getattr(intern!(py, "array"))
        .and_then(|x| x.call_method0(intern!(py, "__arrow_array__")))
    else {
        return Ok(None);
    };
    let n = b - a;
    let mut part = arr.call_method1(intern!(py, "slice"), (a, n))?;
    if part.hasattr(intern!(py, "combine_chunks"))? {
        part = part.call_method0(intern!(py, "combine_chunks"))?;
    }
    arrow_array_strings(&part, n)
}

/// The rows of `part`, a pyarrow string array of `n` rows without nulls, from its buffers: the
/// text of the rows, and each row's end in it.
fn arrow_array_strings(
    part: &Bound<'_, PyAny>,
    n: usize,
) -> PyResult<Option<(String, Vec<usize>)>> {
    let py = part.py();
    let large = match part.getattr(intern!(py, "type"))?.str()?.to_cow()?.as_ref() {
        "large_string" | "large_utf8" => true,
        "string" | "utf8" => false,
        _ => return Ok(None),
    };
    let nulls: usize = part.getattr(intern!(py, "null_count"))?.extract()?;
    let length: usize = part.len()?;
    if nulls != 0 || length != n {
        return Ok(None);
    }
    let offset: usize = part.getattr(intern!(py, "offset"))?.extract()?;
    let buffers = part.call_method0(intern!(py, "buffers"))?;
    let offsets = buffers.get_item(1)?;
    let offsets: Vec<usize> = if large {
        buffer_items::<i64>(&offsets, offset * 8, n + 1)?
            .into_iter()
            .map(|o| usize::try_from(o).unwrap_or(usize::MAX))
            .collect()
    } else {
        buffer_items::<i32>(&offsets, offset * 4, n + 1)?
            .into_iter()
            .map(|o| usize::try_from(o).unwrap_or(usize::MAX))
            .collect()
    };
    let (Some(&first), Some(&last)) = (offsets.first(), offsets.last()) else {
        return Ok(None);
    };
    if offsets.len() != n + 1 || last < first {
        return Ok(None);
    }
    let data = buffer_items::<u8>(&buffers.get_item(2)?, first, last - first)?;
    let (true, Ok(text)) = (data.len() == last - first, String::from_utf8(data)) else {
        return Ok(None);
    };
    let ends = offsets
        .iter()
        .skip(1)
        .map(|o| o.wrapping_sub(first))
        .collect();
    Ok(Some((text, ends)))
}

/// Rows `a..b` of columns read from memory (see the module docs), or `None` when a column is
/// not in memory or a value is not plain (then the rows are read one by one, which names the
/// bad row).
fn from_memory(
    py: Python<'_>,
    cols: &[Option<Py<PyAny>>; 4],
    objects: Option<&Py<PyAny>>,
    a: usize,
    b: usize,
) -> PyResult<Option<PathBatch>> {
    let [Some(path), conversions, nulls, value] = cols else {
        return Ok(None);
    };
    let texts = match objects {
        Some(o) => object_strings(o.bind(py), a, b)?,
        None => arrow_strings(path.bind(py), a, b)?,
    };
    let Some((text, ends)) = texts else {
        return Ok(None);
    };
    let mut numbers = Vec::with_capacity(3);
    for col in [conversions, nulls, value] {
        numbers.push(match col {
            Some(c) => match numpy_numbers(c.bind(py), a, b)? {
                Some(n) => Some(n),
                None => return Ok(None),
            },
            None => None,
        });
    }
    let defaults = path_defaults(py)?;
    let count_at = |n: &Option<Numbers>, i: usize, default: u64| -> Option<u64> {
        match n {
            None => Some(default),
            Some(Numbers::I(v)) => v.get(i).and_then(|&x| u64::try_from(x).ok()),
            Some(Numbers::U(v)) => v.get(i).copied(),
            Some(Numbers::F(_)) => None,
        }
    };
    let amount_at = |n: &Option<Numbers>, i: usize| -> Option<f64> {
        match n {
            None => Some(defaults.value),
            Some(Numbers::I(v)) => v.get(i).map(|&x| x as f64),
            Some(Numbers::U(v)) => v.get(i).map(|&x| x as f64),
            Some(Numbers::F(v)) => v.get(i).copied().filter(|x| x.is_finite()),
        }
    };
    let [c, u, v] = numbers.as_slice() else {
        return Ok(None);
    };
    let mut batch = PathBatch::from_text(text);
    for (i, &end) in ends.iter().enumerate() {
        let (Some(c), Some(u), Some(v)) = (
            count_at(c, i, defaults.conversions),
            count_at(u, i, defaults.nulls),
            amount_at(v, i),
        ) else {
            return Ok(None);
        };
        if !batch.push_end(end, c, u, v) {
            return Ok(None);
        }
    }
    Ok(Some(batch))
}

/// Copies converted rows into a batch (each path read in place, see [`text`]).
fn batch(rows: &[Plain<'_>]) -> PyResult<PathBatch> {
    let mut batch = PathBatch::new();
    for r in rows {
        batch.push(&text(&r.0, "paths")?, r.1, r.2, r.3);
    }
    Ok(batch)
}
