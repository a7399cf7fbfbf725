//! Columnar events and leads from typed arrays (read in place where the type already fits) or
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
//!
//! Leads: an array of lead objects, or columns `{id, created_at, owner?, stage?, source?:
//! {field: column}, attributes?: {name: column}}` — `created_at` as seconds (`Float64Array`,
//! `BigInt64Array`) or an array of `Date` / RFC 3339 text; text columns as arrays of strings,
//! dictionaries `{codes, values}` (an integer typed array of indexes into `values`, −1
//! missing) or, for numeric ids, integer typed arrays; attributes as number typed arrays (NaN
//! missing), dictionaries or arrays of values (`null` / `undefined` missing). Dictionaries
//! avoid reading one JS string per lead, the slow part of large batches.

use std::ops::Deref;

use chrono::{DateTime, Utc};
use leadcore::lead::{AttrValue, Lead, LeadColumns, Source, unknown_source_field};
use leadcore::score::columns::{MISSING_TIME, NO_DETAIL, NO_ID};
use leadcore::score::{EventColumns, EventDetail};
use leadcore::{EventKind, FieldErrorKind, InputError};
use napi::bindgen_prelude::{
    BigInt64ArraySlice, BigUint64ArraySlice, Either, Either3, JsObjectValue, Object, TypedArray,
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

/// A lead column: a typed array, or an array of values.
type LeadCol<'a> = Either<TypedArray<'a>, Unknown<'a>>;

fn typed_numbers(env: &Env, t: &TypedArray<'_>, path: &str) -> napi::Result<Vec<f64>> {
    if let Some(f) = floats(t) {
        return Ok(f);
    }
    match ints(t) {
        // Exact for |v| < 2^53, which covers seconds and counts.
        #[allow(clippy::cast_precision_loss)]
        Some(v) => Ok(v.into_iter().map(|x| x as f64).collect()),
        None => Err(bad(
            env,
            FieldErrorKind::InvalidType(format!("unsupported {}", type_name(t))),
            path,
        )),
    }
}

/// `created_at`: Unix seconds (typed array or numbers), `Date`s or RFC 3339 text.
fn instant_column(
    env: &Env,
    v: LeadCol<'_>,
    path: &str,
) -> napi::Result<Vec<Option<DateTime<Utc>>>> {
    let secs = |f: f64, i: usize| -> napi::Result<Option<DateTime<Utc>>> {
        if f.is_nan() {
            return Ok(None);
        }
        let s = float_seconds(env, f, row(path, i))?;
        let nanos = ((f - f.floor()) * 1e9).round().min(999_999_999.0);
        // Exact enough: a fraction of a second in nanoseconds.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        DateTime::from_timestamp(s, nanos as u32)
            .map(Some)
            .ok_or_else(|| invalid(env, format!("time `{f}` is out of range"), row(path, i)))
    };
    let vals: Vec<Option<serde_json::Value>> = match v {
        Either::A(t) => {
            return typed_numbers(env, &t, path)?
                .into_iter()
                .enumerate()
                .map(|(i, f)| secs(f, i))
                .collect();
        }
        Either::B(u) => from_js(env, &u, path)?,
    };
    vals.into_iter()
        .enumerate()
        .map(|(i, v)| match v {
            None => Ok(None),
            Some(serde_json::Value::Number(n)) => secs(n.as_f64().unwrap_or(f64::NAN), i),
            Some(serde_json::Value::String(s)) => leadcore::time::parse(&s)
                .map(Some)
                .map_err(|e| throw_lead(env, e.at(&row(path, i)))),
            Some(_) => Err(bad(
                env,
                FieldErrorKind::InvalidType("expected a date, rfc 3339 text or seconds".into()),
                row(path, i),
            )),
        })
        .collect()
}

/// A dictionary-encoded column `{codes, values}`: `codes` an integer typed array of indexes
/// into `values` (−1: missing), if `v` is one.
fn dictionary<'a>(
    env: &Env,
    v: &Unknown<'a>,
    path: &str,
) -> napi::Result<Option<(Vec<i128>, Unknown<'a>)>> {
    if absent(v)? || v.get_type()? != ValueType::Object || v.is_array()? {
        return Ok(None);
    }
    let obj = v.coerce_to_object()?;
    let codes = obj.get::<Either<TypedArray<'a>, Unknown<'a>>>("codes")?;
    let values = obj.get::<Unknown<'a>>("values")?;
    match (codes, values) {
        (Some(Either::A(t)), Some(values)) => match ints(&t) {
            Some(codes) => Ok(Some((codes, values))),
            None => Err(bad(
                env,
                FieldErrorKind::InvalidType(format!("unsupported {}", type_name(&t))),
                format!("{path}.codes"),
            )),
        },
        _ => Err(bad(
            env,
            FieldErrorKind::InvalidType(
                "expected an array, or `{codes, values}` with an integer typed array of codes"
                    .into(),
            ),
            path,
        )),
    }
}

/// Decodes a dictionary column: −1 is missing, other codes index `values`.
fn decode<T: Clone>(
    env: &Env,
    codes: Vec<i128>,
    values: &[Option<T>],
    path: &str,
) -> napi::Result<Vec<Option<T>>> {
    codes
        .into_iter()
        .enumerate()
        .map(|(i, c)| match c {
            -1 => Ok(None),
            c => usize::try_from(c)
                .ok()
                .and_then(|c| values.get(c))
                .cloned()
                .ok_or_else(|| {
                    invalid(
                        env,
                        format!("code `{c}` is out of range for {} values", values.len()),
                        format!("{path}.codes[{i}]"),
                    )
                }),
        })
        .collect()
}

/// Text: an array of strings (`null` missing), `{codes, values}`, or an integer typed array
/// (numeric ids, written in decimal).
fn text_column(env: &Env, v: LeadCol<'_>, path: &str) -> napi::Result<Vec<Option<String>>> {
    match v {
        Either::A(t) => match ints(&t) {
            Some(vals) => Ok(vals.into_iter().map(|v| Some(v.to_string())).collect()),
            None => Err(bad(
                env,
                FieldErrorKind::InvalidType(format!(
                    "expected text or an integer typed array, got {}",
                    type_name(&t)
                )),
                path,
            )),
        },
        Either::B(u) => match dictionary(env, &u, path)? {
            Some((codes, values)) => {
                let values: Vec<Option<String>> = from_js(env, &values, &format!("{path}.values"))?;
                decode(env, codes, &values, path)
            }
            None => from_js(env, &u, path),
        },
    }
}

/// Attributes: a number typed array (NaN missing), `{codes, values}`, or an array of values.
fn attr_column(env: &Env, v: LeadCol<'_>, path: &str) -> napi::Result<Vec<Option<AttrValue>>> {
    let present = |v: Option<AttrValue>| v.filter(|a| !matches!(a, AttrValue::Null));
    match v {
        Either::A(t) => Ok(typed_numbers(env, &t, path)?
            .into_iter()
            .map(|f| (!f.is_nan()).then_some(AttrValue::Number(f)))
            .collect()),
        Either::B(u) => match dictionary(env, &u, path)? {
            Some((codes, values)) => {
                let values: Vec<Option<AttrValue>> =
                    from_js(env, &values, &format!("{path}.values"))?;
                let values: Vec<Option<AttrValue>> = values.into_iter().map(present).collect();
                decode(env, codes, &values, path)
            }
            None => {
                let vals: Vec<Option<AttrValue>> = from_js(env, &u, path)?;
                Ok(vals.into_iter().map(present).collect())
            }
        },
    }
}

fn nested_columns<'a>(
    env: &Env,
    obj: &Object<'a>,
    name: &str,
    path: &str,
) -> napi::Result<Vec<(String, LeadCol<'a>)>> {
    let Some(v) = obj
        .get::<Unknown<'a>>(name)?
        .filter(|v| !absent(v).unwrap_or(true))
    else {
        return Ok(Vec::new());
    };
    let inner = object(env, &v, path, "an object of columns")?;
    let mut out = Vec::new();
    for k in keys(&inner)? {
        if let Some(c) = inner.get::<LeadCol<'a>>(&k)? {
            out.push((k, c));
        }
    }
    Ok(out)
}

/// Reads leads given as columns.
pub fn lead_columns(env: &Env, v: &Unknown<'_>) -> napi::Result<Vec<Lead>> {
    let obj = object(env, v, "leads", "an array of leads or an object of columns")?;
    for k in keys(&obj)? {
        if !["id", "created_at", "owner", "stage", "source", "attributes"].contains(&k.as_str()) {
            let msg = format!(
                "unknown field `{k}`, lead columns are `id`, `created_at`, `owner`, `stage`, `source`, `attributes`"
            );
            return Err(bad(
                env,
                FieldErrorKind::UnknownField(msg),
                format!("leads.{k}"),
            ));
        }
    }
    let missing = |name: &str| {
        bad(
            env,
            FieldErrorKind::MissingField(format!("missing field `{name}`")),
            format!("leads.{name}"),
        )
    };
    let column = |name: &str| -> napi::Result<Option<LeadCol<'_>>> {
        match obj.get::<Unknown<'_>>(name)? {
            Some(u) if !absent(&u)? => obj.get::<LeadCol<'_>>(name),
            _ => Ok(None),
        }
    };
    let ids = text_column(env, column("id")?.ok_or_else(|| missing("id"))?, "leads.id")?;
    let created = instant_column(
        env,
        column("created_at")?.ok_or_else(|| missing("created_at"))?,
        "leads.created_at",
    )?;
    let owner = column("owner")?
        .map(|c| text_column(env, c, "leads.owner"))
        .transpose()?;
    let stage = column("stage")?
        .map(|c| text_column(env, c, "leads.stage"))
        .transpose()?;
    let mut source = Vec::new();
    for (field, c) in nested_columns(env, &obj, "source", "leads.source")? {
        let p = format!("leads.source.{field}");
        if !Source::FIELDS.contains(&field.as_str()) {
            return Err(throw_lead(env, unknown_source_field(&field)));
        }
        source.push((field, text_column(env, c, &p)?));
    }
    let mut attrs = Vec::new();
    for (name, c) in nested_columns(env, &obj, "attributes", "leads.attributes")? {
        let p = format!("leads.attributes.{name}");
        attrs.push((name, attr_column(env, c, &p)?));
    }
    LeadColumns {
        id: ids,
        created_at: created,
        owner,
        stage,
        source,
        attributes: attrs,
    }
    .into_leads()
    .map_err(|e| throw_lead(env, e))
}
