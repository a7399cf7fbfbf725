//! Columnar events from typed arrays (read in place where the type already fits) or
//! plain arrays (the JSON form of `leadcore::score::EventTable`).
//!
//! Events (`{lead, kind, at, id?, detail?, details?}`):
//! - `lead`: `Uint32Array` (in place), another integer typed array, or `number[]`.
//! - `kind`: `Uint8Array` of codes (`eventKinds()` order, in place), another integer typed
//!   array, or an array of names.
//! - `at`: `BigInt64Array` of Unix seconds (in place), `Float64Array` of seconds (floored; NaN
//!   is a missing time), another integer typed array, or an array of numbers and `null`.
//! - `id`: `BigUint64Array` (in place), another integer typed array (values ≥ 0), or an array
//!   of numbers and `null`. `detail`: like `lead`, with `null` / `0xFFFFFFFF` for none.

use std::ops::Deref;

use leadcore::score::columns::{MISSING_TIME, NO_DETAIL, NO_ID};
use leadcore::score::{EventColumns, EventDetail};
use leadcore::{EventKind, FieldErrorKind, InputError};
use napi::bindgen_prelude::{
    BigInt64ArraySlice, BigUint64ArraySlice, Either3, JsObjectValue, Object, TypedArray,
    TypedArrayType, Uint8ArraySlice, Uint32ArraySlice,
};
use napi::{Env, JsValue, Unknown, ValueType};
use serde::de::DeserializeOwned;

use crate::conv::{absent, from_js};
use crate::errors::throw_lead;

/// A column: a typed array of the right element type read in place (`S`), or converted values.
pub enum Col<S, T> {
    /// The JS typed array's own memory, for the duration of the call.
    Borrowed(S),
    /// Converted values.
    Owned(Vec<T>),
}

impl<S: Deref<Target = [T]>, T> Col<S, T> {
    fn slice(&self) -> &[T] {
        match self {
            Col::Borrowed(s) => s,
            Col::Owned(v) => v,
        }
    }
}

/// The event columns of one call.
pub struct Events<'a> {
    lead: Col<Uint32ArraySlice<'a>, u32>,
    kind: Col<Uint8ArraySlice<'a>, u8>,
    at: Col<BigInt64ArraySlice<'a>, i64>,
    id: Option<Col<BigUint64ArraySlice<'a>, u64>>,
    detail: Option<Col<Uint32ArraySlice<'a>, u32>>,
    details: Vec<EventDetail>,
}

impl Events<'_> {
    /// The borrowed view the core scores.
    pub fn columns(&self) -> EventColumns<'_> {
        EventColumns {
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

fn bad(env: &Env, kind: FieldErrorKind, path: impl Into<String>) -> napi::Error {
    throw_lead(env, InputError::new(kind, path))
}

fn invalid(env: &Env, msg: impl Into<String>, path: impl Into<String>) -> napi::Error {
    bad(env, FieldErrorKind::InvalidValue(msg.into()), path)
}

fn row(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// A typed array's elements as integers, or `None` for a float typed array.
fn ints(t: &TypedArray<'_>) -> Option<Vec<i128>> {
    let b: &[u8] = &t.arraybuffer;
    macro_rules! read {
        ($ty:ty) => {
            b.chunks_exact(std::mem::size_of::<$ty>())
                .map(|c| <$ty>::from_ne_bytes(c.try_into().unwrap_or_default()) as i128)
                .collect()
        };
    }
    Some(match t.typed_array_type {
        TypedArrayType::Int8 => read!(i8),
        TypedArrayType::Uint8 | TypedArrayType::Uint8Clamped => read!(u8),
        TypedArrayType::Int16 => read!(i16),
        TypedArrayType::Uint16 => read!(u16),
        TypedArrayType::Int32 => read!(i32),
        TypedArrayType::Uint32 => read!(u32),
        TypedArrayType::BigInt64 => read!(i64),
        TypedArrayType::BigUint64 => read!(u64),
        _ => return None,
    })
}

/// A float typed array's elements.
fn floats(t: &TypedArray<'_>) -> Option<Vec<f64>> {
    let b: &[u8] = &t.arraybuffer;
    match t.typed_array_type {
        TypedArrayType::Float64 => Some(
            b.chunks_exact(8)
                .map(|c| f64::from_ne_bytes(c.try_into().unwrap_or_default()))
                .collect(),
        ),
        TypedArrayType::Float32 => Some(
            b.chunks_exact(4)
                .map(|c| f64::from(f32::from_ne_bytes(c.try_into().unwrap_or_default())))
                .collect(),
        ),
        _ => None,
    }
}

fn type_name(t: &TypedArray<'_>) -> String {
    format!("{}Array", t.typed_array_type.as_ref())
}

/// Integers of a typed array converted to `T`, range-checked row by row.
fn checked<T: TryFrom<i128>>(env: &Env, vals: Vec<i128>, path: &str) -> napi::Result<Vec<T>> {
    vals.into_iter()
        .enumerate()
        .map(|(i, v)| {
            T::try_from(v).map_err(|_| invalid(env, format!("`{v}` is out of range"), row(path, i)))
        })
        .collect()
}

/// An unsigned integer column; `none` stands for a missing entry (NaN, `null`).
fn uint_column<'a, S, T>(
    env: &Env,
    v: Either3<S, TypedArray<'a>, Unknown<'a>>,
    path: &str,
    none: Option<T>,
) -> napi::Result<Col<S, T>>
where
    S: Deref<Target = [T]>,
    T: Copy + TryFrom<i128> + TryFrom<u64> + DeserializeOwned,
{
    match v {
        Either3::A(s) => Ok(Col::Borrowed(s)),
        Either3::B(t) => {
            if let Some(vals) = ints(&t) {
                return checked(env, vals, path).map(Col::Owned);
            }
            match (floats(&t), none) {
                (Some(vals), Some(n)) => vals
                    .into_iter()
                    .enumerate()
                    .map(|(i, f)| {
                        if f.is_nan() {
                            return Ok(n);
                        }
                        let ok = f.fract() == 0.0 && (0.0..1.8e19).contains(&f);
                        // Exact: an integral value in u64's range.
                        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                        let u = f as u64;
                        ok.then_some(u)
                            .and_then(|u| T::try_from(u).ok())
                            .ok_or_else(|| {
                                invalid(env, format!("`{f}` is out of range"), row(path, i))
                            })
                    })
                    .collect::<napi::Result<Vec<T>>>()
                    .map(Col::Owned),
                _ => Err(bad(
                    env,
                    FieldErrorKind::InvalidType(format!("unsupported {}", type_name(&t))),
                    path,
                )),
            }
        }
        Either3::C(u) => match none {
            Some(n) => {
                let vals: Vec<Option<T>> = from_js(env, &u, path)?;
                Ok(Col::Owned(
                    vals.into_iter().map(|v| v.unwrap_or(n)).collect(),
                ))
            }
            None => Ok(Col::Owned(from_js(env, &u, path)?)),
        },
    }
}

fn kind_column<'a>(
    env: &Env,
    v: Either3<Uint8ArraySlice<'a>, TypedArray<'a>, Unknown<'a>>,
    path: &str,
) -> napi::Result<Col<Uint8ArraySlice<'a>, u8>> {
    match v {
        Either3::A(s) => Ok(Col::Borrowed(s)),
        Either3::B(t) => match ints(&t) {
            Some(vals) => checked(env, vals, path).map(Col::Owned),
            None => Err(bad(
                env,
                FieldErrorKind::InvalidType(format!("unsupported {}", type_name(&t))),
                path,
            )),
        },
        Either3::C(u) => {
            let kinds: Vec<EventKind> = from_js(env, &u, path)?;
            Ok(Col::Owned(
                kinds
                    .into_iter()
                    .map(leadcore::score::columns::kind_code)
                    .collect(),
            ))
        }
    }
}

fn float_seconds(env: &Env, f: f64, path: String) -> napi::Result<i64> {
    if f.is_nan() {
        return Ok(MISSING_TIME);
    }
    if !f.is_finite() {
        return Err(bad(env, FieldErrorKind::NotFinite, path));
    }
    let s = f.floor();
    if !(-9.2e18..9.2e18).contains(&s) {
        return Err(invalid(env, format!("time `{f}` is out of range"), path));
    }
    // Exact: `s` is integral and within i64's range.
    #[allow(clippy::cast_possible_truncation)]
    Ok(s as i64)
}

fn time_column<'a>(
    env: &Env,
    v: Either3<BigInt64ArraySlice<'a>, TypedArray<'a>, Unknown<'a>>,
    path: &str,
) -> napi::Result<Col<BigInt64ArraySlice<'a>, i64>> {
    match v {
        Either3::A(s) => Ok(Col::Borrowed(s)),
        Either3::B(t) => {
            if let Some(vals) = floats(&t) {
                return vals
                    .into_iter()
                    .enumerate()
                    .map(|(i, f)| float_seconds(env, f, row(path, i)))
                    .collect::<napi::Result<Vec<i64>>>()
                    .map(Col::Owned);
            }
            match ints(&t) {
                Some(vals) => checked(env, vals, path).map(Col::Owned),
                None => Err(bad(
                    env,
                    FieldErrorKind::InvalidType(format!("unsupported {}", type_name(&t))),
                    path,
                )),
            }
        }
        Either3::C(u) => {
            let vals: Vec<Option<i64>> = from_js(env, &u, path)?;
            Ok(Col::Owned(
                vals.into_iter()
                    .map(|v| v.unwrap_or(MISSING_TIME))
                    .collect(),
            ))
        }
    }
}

const EVENT_FIELDS: [&str; 6] = ["lead", "kind", "at", "id", "detail", "details"];

fn keys(obj: &Object<'_>) -> napi::Result<Vec<String>> {
    let names: Object<'_> = obj.get_property_names()?;
    let mut out = Vec::new();
    for i in 0..names.get_array_length()? {
        let k: Unknown<'_> = names.get_element(i)?;
        out.push(k.coerce_to_string()?.into_utf8()?.into_owned()?);
    }
    Ok(out)
}

fn object<'a>(env: &Env, v: &Unknown<'a>, path: &str, what: &str) -> napi::Result<Object<'a>> {
    if absent(v)? {
        return Err(bad(
            env,
            FieldErrorKind::MissingField(format!("missing field `{path}`")),
            path,
        ));
    }
    if v.get_type()? != ValueType::Object || v.is_array()? {
        return Err(bad(
            env,
            FieldErrorKind::InvalidType(format!("expected {what}")),
            path,
        ));
    }
    v.coerce_to_object()
}

/// Reads the `events` argument.
pub fn events<'a>(env: &Env, v: &Unknown<'a>) -> napi::Result<Events<'a>> {
    let obj = object(env, v, "events", "an object of columns")?;
    for k in keys(&obj)? {
        if !EVENT_FIELDS.contains(&k.as_str()) {
            let msg = format!(
                "unknown field `{k}`, expected one of `lead`, `kind`, `at`, `id`, `detail`, `details`"
            );
            return Err(bad(
                env,
                FieldErrorKind::UnknownField(msg),
                format!("events.{k}"),
            ));
        }
    }
    let present = |name: &str| -> napi::Result<Option<Unknown<'a>>> {
        let u: Option<Unknown<'a>> = obj.get(name)?;
        match u {
            Some(u) if !absent(&u)? => Ok(Some(u)),
            _ => Ok(None),
        }
    };
    let missing = |name: &str| {
        bad(
            env,
            FieldErrorKind::MissingField(format!("missing field `{name}`")),
            format!("events.{name}"),
        )
    };
    if present("lead")?.is_none() {
        return Err(missing("lead"));
    }
    if present("kind")?.is_none() {
        return Err(missing("kind"));
    }
    if present("at")?.is_none() {
        return Err(missing("at"));
    }
    let lead = obj
        .get::<Either3<Uint32ArraySlice<'a>, TypedArray<'a>, Unknown<'a>>>("lead")?
        .ok_or_else(|| missing("lead"))?;
    let kind = obj
        .get::<Either3<Uint8ArraySlice<'a>, TypedArray<'a>, Unknown<'a>>>("kind")?
        .ok_or_else(|| missing("kind"))?;
    let at = obj
        .get::<Either3<BigInt64ArraySlice<'a>, TypedArray<'a>, Unknown<'a>>>("at")?
        .ok_or_else(|| missing("at"))?;
    let id = match present("id")? {
        Some(_) => {
            obj.get::<Either3<BigUint64ArraySlice<'a>, TypedArray<'a>, Unknown<'a>>>("id")?
        }
        None => None,
    };
    let detail = match present("detail")? {
        Some(_) => {
            obj.get::<Either3<Uint32ArraySlice<'a>, TypedArray<'a>, Unknown<'a>>>("detail")?
        }
        None => None,
    };
    Ok(Events {
        lead: uint_column(env, lead, "events.lead", None)?,
        kind: kind_column(env, kind, "events.kind")?,
        at: time_column(env, at, "events.at")?,
        id: id
            .map(|c| uint_column(env, c, "events.id", Some(NO_ID)))
            .transpose()?,
        detail: detail
            .map(|c| uint_column(env, c, "events.detail", Some(NO_DETAIL)))
            .transpose()?,
        details: match present("details")? {
            Some(d) => from_js(env, &d, "events.details")?,
            None => Vec::new(),
        },
    })
}
