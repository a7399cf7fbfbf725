//! Host tables from JavaScript: an object of equal-length columns as the core's table views
//! ([`leadcore::table`]), so they take the same bind step, rules and error paths as Arrow IPC
//! tables ([`crate::arrow`]): `paths.value[3]`.
//!
//! Columns, their rows read a batch at a time ([`HostTable::batch`]):
//! - typed arrays, read from their memory: the integer arrays (`BigInt64Array` and
//!   `BigUint64Array` included; past 2^63 − 1 the largest integer, as an Arrow `uint64`
//!   column's) are integers, `Float64Array` / `Float32Array` integers too when every number of
//!   the batch is whole (JavaScript's one number type holds counts), else floats;
//! - arrays, cell by cell: all strings (`null` / `undefined` missing) as text, anything else
//!   as cells (booleans, numbers — integral ones within ±2^53 as integers —, strings, `Date`s,
//!   BigInts); a hole of a sparse array is an error;
//! - `{codes, values}`: a dictionary, `codes` (an integer typed array or an array of integers,
//!   a negative code or `null` missing; anything else an error at its row) indexing the
//!   column `values`.
//!
//! A nested object of columns is flattened: `{source: {channel: col}}` is the column
//! `source.channel`. A column that is `undefined` or `null` is left out.

use std::cell::OnceCell;

use leadcore::table::{Bits, Buffers, Cell, Table, TimeUnit, Values};
use leadcore::{FieldErrorKind, InputError};
use napi::bindgen_prelude::{
    BigInt, FromNapiValue, JsObjectValue, Object, TypedArray, TypedArrayType,
};
use napi::{JsValue, Unknown, ValueType};

use crate::conv::{absent, chunks, element, js_string, presize, push_utf8, scoped, typed_len};
use crate::errors::Failure;

/// Largest integer a JS number holds exactly (2^53 − 1).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

fn input_error(kind: FieldErrorKind, path: String) -> Failure {
    Failure::Lead(InputError::new(kind, path).into())
}

/// One column.
enum Source<'a> {
    /// A typed array and its length (its memory's, not its `length` property).
    Typed(TypedArray<'a>, u32),
    /// An array and its length.
    Array(Object<'a>, u32),
    /// Dictionary codes into a column of values (converted at the first batch, once for all).
    Codes(Box<Source<'a>>, Box<Source<'a>>, OnceCell<Buffers<'static>>),
}

impl Source<'_> {
    fn len(&self) -> u32 {
        match self {
            Self::Typed(_, n) | Self::Array(_, n) => *n,
            Self::Codes(codes, ..) => codes.len(),
        }
    }
}

/// A host table's columns, looked at once and read a batch at a time.
pub struct HostTable<'a> {
    arg: String,
    columns: Vec<(String, Source<'a>)>,
    /// The argument (its environment opens the reading's handle scopes).
    anchor: Unknown<'a>,
}

/// Whether `v` is a plain object (not an array, typed array, `Date` or IPC bytes).
fn plain_object(v: &Unknown<'_>) -> napi::Result<bool> {
    Ok(v.get_type()? == ValueType::Object
        && !v.is_array()?
        && !v.is_typedarray()?
        && !v.is_date()?
        && !v.is_arraybuffer()?)
}

impl<'a> HostTable<'a> {
    /// The columns of `v` when it is a plain object of columns, `None` otherwise (an array of
    /// rows, say). Errors are located at `arg`.
    pub fn of(v: &Unknown<'a>, arg: &str) -> Result<Option<Self>, Failure> {
        if !plain_object(v)? {
            return Ok(None);
        }
        let mut table = Self {
            arg: arg.to_string(),
            columns: Vec::new(),
            anchor: *v,
        };
        table.add_object(&v.coerce_to_object()?, "", 0)?;
        Ok(Some(table))
    }

    fn add_object(&mut self, obj: &Object<'a>, prefix: &str, depth: usize) -> Result<(), Failure> {
        if depth > leadcore::input::MAX_DEPTH {
            let at = format!("{}.{}", self.arg, prefix.trim_end_matches('.'));
            let kind = FieldErrorKind::TooDeep(leadcore::input::MAX_DEPTH);
            return Err(input_error(kind, at));
        }
        let names: Object<'_> = obj.get_property_names()?;
        for k in 0..names.get_array_length()? {
            let key: Unknown<'_> = names.get_element(k)?;
            let name = match js_string(&key)? {
                Some(s) => format!("{prefix}{s}"),
                None => format!("{prefix}{}", key.coerce_to_string()?.into_utf8()?.as_str()?),
            };
            let col: Unknown<'a> = obj.get_property(key)?;
            if absent(&col)? {
                continue;
            }
            let at = format!("{}.{name}", self.arg);
            if plain_object(&col)? {
                let inner = col.coerce_to_object()?;
                if inner.has_named_property("codes")? && inner.has_named_property("values")? {
                    let codes = source(&inner.get_named_property("codes")?, &at)?;
                    let values = source(&inner.get_named_property("values")?, &at)?;
                    let codes = Source::Codes(Box::new(codes), Box::new(values), OnceCell::new());
                    self.columns.push((name, codes));
                } else {
                    self.add_object(&inner, &format!("{name}."), depth + 1)?;
                }
                continue;
            }
            let s = source(&col, &at)?;
            self.columns.push((name, s));
        }
        Ok(())
    }

    /// The number of rows (the longest column's: the core names a column of another length).
    pub fn rows(&self) -> u32 {
        self.columns.iter().map(|(_, c)| c.len()).max().unwrap_or(0)
    }

    /// Whether every column has the same number of rows (only then can the table be read in
    /// batches: otherwise one batch lets the core name the odd column).
    pub fn uniform(&self) -> bool {
        let n = self.rows();
        self.columns.iter().all(|(_, c)| c.len() == n)
    }

    /// Rows `a..b` (each column's rows up to its end), numbered from `a` in errors.
    pub fn batch(&self, a: u32, b: u32) -> Result<Batch<'_>, Failure> {
        let mut columns = Vec::with_capacity(self.columns.len());
        for (name, s) in &self.columns {
            let at = format!("{}.{name}", self.arg);
            columns.push((name.clone(), part(&self.anchor, s, a, b, &at)?));
        }
        Ok(Batch {
            arg: self.arg.clone(),
            columns,
            first_row: a as usize,
        })
    }
}

/// Looks at one column once; `at` is its path in errors.
fn source<'a>(v: &Unknown<'a>, at: &str) -> Result<Source<'a>, Failure> {
    if v.get_type()? == ValueType::Object {
        if v.is_array()? {
            let obj = v.coerce_to_object()?;
            let len = obj.get_array_length()?;
            return Ok(Source::Array(obj, len));
        }
        if v.is_typedarray()? {
            let typed = TypedArray::from_unknown(*v)?;
            let len = typed_len(&typed);
            return Ok(Source::Typed(typed, len));
        }
    }
    let msg = "invalid type: expected a column (an array or a typed array)".to_string();
    Err(input_error(FieldErrorKind::InvalidType(msg), at.into()))
}

/// Elements `a..b` of a typed array's memory, `N` bytes each, decoded by `f`.
fn decode<const N: usize, T>(bytes: &[u8], a: u32, b: u32, f: impl Fn([u8; N]) -> T) -> Vec<T> {
    let (a, b) = (a as usize * N, b as usize * N);
    bytes
        .get(a..b)
        .unwrap_or_default()
        .chunks_exact(N)
        .filter_map(|c| <[u8; N]>::try_from(c).ok())
        .map(f)
        .collect()
}

/// Numbers: integers when every one is whole and within ±2^53 (JavaScript has one number
/// type: a `Float64Array` of counts holds integers), floats otherwise.
fn numbers(values: Vec<f64>) -> Values<'static> {
    if values
        .iter()
        .all(|x| x.fract() == 0.0 && x.abs() <= MAX_SAFE_INTEGER)
    {
        // Exact: whole numbers within ±2^53.
        #[allow(clippy::cast_possible_truncation)]
        return Values::Int(values.iter().map(|&x| x as i64).collect());
    }
    Values::Float(values.into())
}

fn typed_part(t: &TypedArray<'_>, a: u32, b: u32) -> Values<'static> {
    let bytes: &[u8] = &t.arraybuffer;
    match t.typed_array_type {
        TypedArrayType::Float64 => numbers(decode(bytes, a, b, f64::from_ne_bytes)),
        TypedArrayType::Float32 => {
            numbers(decode(bytes, a, b, |x| f64::from(f32::from_ne_bytes(x))))
        }
        TypedArrayType::BigInt64 => Values::Int(decode(bytes, a, b, i64::from_ne_bytes).into()),
        TypedArrayType::BigUint64 => Values::Int(
            decode(bytes, a, b, |x| {
                i64::try_from(u64::from_ne_bytes(x)).unwrap_or(i64::MAX)
            })
            .into(),
        ),
        TypedArrayType::Int32 => {
            Values::Int(decode(bytes, a, b, |x| i64::from(i32::from_ne_bytes(x))).into())
        }
        TypedArrayType::Uint32 => {
            Values::Int(decode(bytes, a, b, |x| i64::from(u32::from_ne_bytes(x))).into())
        }
        TypedArrayType::Int16 => {
            Values::Int(decode(bytes, a, b, |x| i64::from(i16::from_ne_bytes(x))).into())
        }
        TypedArrayType::Uint16 => {
            Values::Int(decode(bytes, a, b, |x| i64::from(u16::from_ne_bytes(x))).into())
        }
        TypedArrayType::Int8 => {
            Values::Int(decode(bytes, a, b, |x| i64::from(i8::from_ne_bytes(x))).into())
        }
        _ => Values::Int(decode(bytes, a, b, |x: [u8; 1]| i64::from(x[0])).into()),
    }
}

/// Rows `a..b` of a column whose path is `at` (its cells' errors name their row, `at[i]`).
fn part<'s>(
    anchor: &Unknown<'_>,
    s: &'s Source<'_>,
    a: u32,
    b: u32,
    at: &str,
) -> Result<Buffers<'s>, Failure> {
    Ok(match s {
        Source::Codes(codes, values, converted) => {
            let codes = plain(anchor, codes, a, b, at)?;
            if converted.get().is_none() {
                // Only this thread (the JavaScript one) sets it.
                let _ = converted.set(plain(anchor, values, 0, u32::MAX, at)?);
            }
            let values = match converted.get().and_then(Buffers::view) {
                Some(column) => Buffers::new(Values::Column(column)),
                None => {
                    let msg = "a validity bitmap shorter than its rows".to_string();
                    return Err(input_error(FieldErrorKind::InvalidValue(msg), at.into()));
                }
            };
            let not_integers = |at: String| {
                let msg = "invalid type: dictionary codes must be integers".to_string();
                input_error(FieldErrorKind::InvalidType(msg), at)
            };
            let keys: Vec<Option<i64>> = match &codes.values {
                Values::Int(v) => v.iter().map(|&k| Some(k)).collect(),
                Values::Cells(c) => (a..)
                    .zip(c)
                    .map(|(i, c)| match c {
                        Cell::Int(k) => Ok(Some(*k)),
                        Cell::Null => Ok(None),
                        _ => Err(not_integers(format!("{at}[{i}]"))),
                    })
                    .collect::<Result<_, _>>()?,
                _ => return Err(not_integers(at.into())),
            };
            let present: Vec<bool> = keys.iter().map(|k| k.is_some_and(|k| k >= 0)).collect();
            // A code past u32 is out of range for any dictionary (the layout check names it).
            let key = |k: Option<i64>| match k {
                Some(k) if k >= 0 => u32::try_from(k).unwrap_or(u32::MAX),
                _ => 0,
            };
            Buffers {
                values: Values::Codes(keys.iter().map(|&k| key(k)).collect(), Box::new(values)),
                validity: present
                    .contains(&false)
                    .then(|| Bits::pack(present.iter().copied())),
            }
        }
        s => plain(anchor, s, a, b, at)?,
    })
}

/// Rows `a..b` of a typed array or an array, converted.
fn plain(
    anchor: &Unknown<'_>,
    s: &Source<'_>,
    a: u32,
    b: u32,
    at: &str,
) -> Result<Buffers<'static>, Failure> {
    let b = b.min(s.len());
    let a = a.min(b);
    match s {
        Source::Typed(t, _) => Ok(Buffers::new(typed_part(t, a, b))),
        Source::Array(arr, _) => cells(anchor, arr, a, b, at),
        Source::Codes(..) => {
            let msg = "invalid type: a dictionary's codes and values are arrays".to_string();
            Err(input_error(FieldErrorKind::InvalidType(msg), at.into()))
        }
    }
}

/// Rows `a..b` of an array: text when every cell is a string or missing (and one is a
/// string), else [`Cell`]s.
fn cells(
    anchor: &Unknown<'_>,
    arr: &Object<'_>,
    a: u32,
    b: u32,
    at: &str,
) -> Result<Buffers<'static>, Failure> {
    // An array's claimed length is not its memory (a sparse array may claim 2^32 − 1 cells,
    // the first of them a hole): buffers grow as cells are read.
    let n = presize(b - a);
    let mut offsets = Vec::with_capacity(n + 1);
    let mut data = Vec::with_capacity(n * 16);
    let mut valid = Vec::with_capacity(n);
    offsets.push(0i64);
    let mut all_text = true;
    for (x, y) in chunks(a, b) {
        all_text = scoped(anchor, || {
            for i in x..y {
                // A string is read first: its element needs no type query nor hole check.
                let item: Unknown<'_> = arr.get_element(i)?;
                if push_utf8(&item, &mut data)? {
                    valid.push(true);
                } else if absent(&element(arr, i, at)?)? {
                    valid.push(false);
                } else {
                    return Ok::<_, Failure>(false);
                }
                offsets.push(i64::try_from(data.len()).unwrap_or(i64::MAX));
            }
            Ok(true)
        })?;
        if !all_text {
            break;
        }
    }
    if all_text && valid.contains(&true) {
        return Ok(Buffers {
            values: Values::Text(offsets, data),
            validity: valid
                .contains(&false)
                .then(|| Bits::pack(valid.iter().copied())),
        });
    }
    let mut out = Vec::with_capacity(n);
    for (x, y) in chunks(a, b) {
        scoped(anchor, || {
            for i in x..y {
                let item = element(arr, i, at)?;
                out.push(cell(&item, &|| format!("{at}[{i}]"))?);
            }
            Ok::<_, Failure>(())
        })?;
    }
    Ok(Buffers::new(Values::Cells(out)))
}

/// One array cell (see the module docs).
fn cell(v: &Unknown<'_>, at: &dyn Fn() -> String) -> Result<Cell, Failure> {
    Ok(match v.get_type()? {
        ValueType::Undefined | ValueType::Null => Cell::Null,
        ValueType::Boolean => Cell::Bool(v.coerce_to_bool()?),
        ValueType::Number => {
            let x = v.coerce_to_number()?.get_double()?;
            if x.fract() == 0.0 && x.abs() <= MAX_SAFE_INTEGER {
                // Exact: an integer within ±2^53.
                #[allow(clippy::cast_possible_truncation)]
                Cell::Int(x as i64)
            } else {
                Cell::Float(x)
            }
        }
        ValueType::String => Cell::Text(js_string(v)?.unwrap_or_default()),
        ValueType::BigInt => {
            // SAFETY: `v` is a live BigInt value of its environment.
            let big = unsafe { BigInt::from_napi_value(v.value().env, v.value().value)? };
            match big.get_i64() {
                (x, true) => Cell::Int(x),
                _ => {
                    let msg = "a BigInt beyond 64 bits".to_string();
                    return Err(input_error(FieldErrorKind::InvalidValue(msg), at()));
                }
            }
        }
        ValueType::Object if v.is_date()? => {
            let ms = v.coerce_to_number()?.get_double()?;
            if !ms.is_finite() {
                let msg = "invalid date: an invalid `Date`".to_string();
                return Err(input_error(FieldErrorKind::InvalidDatetime(msg), at()));
            }
            // Exact: a valid `Date` is an integral number of milliseconds within ±8.64e15.
            #[allow(clippy::cast_possible_truncation)]
            Cell::Time(ms as i64, TimeUnit::Millis)
        }
        t => {
            let msg = format!("invalid type: a `{}` cell", format!("{t:?}").to_lowercase());
            return Err(input_error(FieldErrorKind::InvalidType(msg), at()));
        }
    })
}

/// A batch of a host table's rows, converted ([`HostTable::batch`]).
pub struct Batch<'s> {
    arg: String,
    columns: Vec<(String, Buffers<'s>)>,
    first_row: usize,
}

impl Batch<'_> {
    /// The core's view of the batch.
    pub fn table(&self) -> Result<Table<'_>, Failure> {
        let columns = self
            .columns
            .iter()
            .map(|(name, b)| {
                let view = b.view().ok_or_else(|| {
                    let msg = "a validity bitmap shorter than its rows".to_string();
                    input_error(
                        FieldErrorKind::InvalidValue(msg),
                        format!("{}.{name}", self.arg),
                    )
                })?;
                Ok((name.clone(), view))
            })
            .collect::<Result<_, Failure>>()?;
        Ok(Table {
            columns,
            first_row: self.first_row,
        })
    }
}
