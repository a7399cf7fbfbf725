//! Conversions between JS values and leadcore's JSON documents.
//!
//! JS values become `serde_json::Value` and then leadcore types through
//! `leadcore::input::from_value`, so validation and error paths are the core's. `Date` objects
//! become RFC 3339 text; integral numbers become JSON integers; NaN and ±Infinity are
//! `not_finite` errors; `undefined` object members are skipped, as `JSON.stringify` does.
//!
//! Allocations are sized by what a value holds, never by what it claims: an array's `length`
//! is a number anyone can set (`a.length = 2 ** 32 - 1` makes a sparse array of one element),
//! so arrays are read element by element into a buffer pre-sized at most [`PRESIZE`], and a
//! hole (a missing index of a sparse array) is an `invalid_value` error at its index, found
//! after reading the elements before it: the work and memory are bounded by the elements that
//! exist. (`JSON.stringify` would write holes as `null`; a hole is refused instead, since a
//! sparse array as data is a bug in the caller, and reading its holes is what aborted the
//! process.)

use std::cell::RefCell;

use leadcore::{FieldErrorKind, InputError};
use napi::bindgen_prelude::{
    Array, FromNapiValue, Function, JsObjectValue, Object, Property, ToNapiValue, TypedArray,
    TypedArrayType, Uint8Array,
};
use napi::{Env, JsValue, Unknown, ValueType};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};

use crate::errors::{Failure, throw};

/// Most elements an array's buffer is pre-sized for before they are read.
pub const PRESIZE: usize = 1024;

/// Largest integer a JS number holds exactly (2^53 − 1).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

fn child(path: &str, key: &str) -> String {
    if path == "$" {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn index(path: &str, i: u32) -> String {
    if path == "$" {
        format!("[{i}]")
    } else {
        format!("{path}[{i}]")
    }
}

fn invalid(kind: FieldErrorKind, path: &str) -> Failure {
    Failure::Lead(InputError::new(kind, path).into())
}

fn number(n: f64, path: &str) -> Result<Value, Failure> {
    if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER {
        // Exact: the value is an integer within ±2^53.
        #[allow(clippy::cast_possible_truncation)]
        return Ok(Value::Number((n as i64).into()));
    }
    Number::from_f64(n)
        .map(Value::Number)
        .ok_or_else(|| invalid(FieldErrorKind::NotFinite, path))
}

/// The elements a typed array's memory holds (its byte length over its element size), not
/// its `length` property, which an own property can shadow with any number.
pub fn typed_len(t: &TypedArray<'_>) -> u32 {
    let size = match t.typed_array_type {
        TypedArrayType::Int16 | TypedArrayType::Uint16 => 2,
        TypedArrayType::Int32 | TypedArrayType::Uint32 | TypedArrayType::Float32 => 4,
        TypedArrayType::Float64 | TypedArrayType::BigInt64 | TypedArrayType::BigUint64 => 8,
        _ => 1,
    };
    let bytes: &[u8] = &t.arraybuffer;
    u32::try_from(bytes.len() / size).unwrap_or(u32::MAX)
}

/// A buffer size for an array claiming `len` elements: at most [`PRESIZE`].
pub fn presize(len: u32) -> usize {
    (len as usize).min(PRESIZE)
}

/// Element `i` of a JS array, or `invalid_value` at `path[i]` when it is a hole (a missing
/// index of a sparse array; an element set to `undefined` is not a hole). Only an `undefined`
/// read costs the extra presence check.
pub fn element<'a>(arr: &Object<'a>, i: u32, path: &str) -> Result<Unknown<'a>, Failure> {
    let item: Unknown<'a> = arr.get_element(i)?;
    if item.get_type()? == ValueType::Undefined && !arr.has_element(i)? {
        let msg = format!(
            "a hole at index {i} of a sparse array of length {}: fill it or use null",
            arr.get_array_length()?
        );
        return Err(invalid(FieldErrorKind::InvalidValue(msg), &index(path, i)));
    }
    Ok(item)
}

fn convert(v: &Unknown<'_>, path: &str, depth: usize) -> Result<Value, Failure> {
    if depth > leadcore::input::MAX_DEPTH {
        return Err(invalid(
            FieldErrorKind::TooDeep(leadcore::input::MAX_DEPTH),
            path,
        ));
    }
    match v.get_type()? {
        ValueType::Undefined | ValueType::Null => Ok(Value::Null),
        ValueType::Boolean => Ok(Value::Bool(v.coerce_to_bool()?)),
        ValueType::Number => number(v.coerce_to_number()?.get_double()?, path),
        ValueType::String => Ok(Value::String(js_string(v)?.unwrap_or_default())),
        ValueType::Object if v.is_date()? => {
            let ms = v.coerce_to_number()?.get_double()?;
            match leadcore::time::from_millis(ms) {
                Some(t) => Ok(Value::String(leadcore::time::format(&t))),
                None => Err(invalid(
                    FieldErrorKind::InvalidDatetime(
                        "invalid date: not a valid `Date` from year 0000 to 9999 (utc)".into(),
                    ),
                    path,
                )),
            }
        }
        ValueType::Object if v.is_array()? => {
            let arr: Object<'_> = v.coerce_to_object()?;
            let len = arr.get_array_length()?;
            let mut items = Vec::with_capacity(presize(len));
            for (a, b) in chunks(0, len) {
                scoped(v, || {
                    for i in a..b {
                        let item = element(&arr, i, path)?;
                        items.push(convert(&item, &index(path, i), depth + 1)?);
                    }
                    Ok::<_, Failure>(())
                })?;
            }
            Ok(Value::Array(items))
        }
        ValueType::Object => {
            let obj: Object<'_> = v.coerce_to_object()?;
            let names: Object<'_> = obj.get_property_names()?;
            let mut map = Map::new();
            for i in 0..names.get_array_length()? {
                let name: Unknown<'_> = names.get_element(i)?;
                let key = match js_string(&name)? {
                    Some(key) => key,
                    None => name.coerce_to_string()?.into_utf8()?.into_owned()?,
                };
                // By the name's own value: no C string to make and decode again.
                let item: Unknown<'_> = obj.get_property(name)?;
                if item.get_type()? == ValueType::Undefined {
                    continue;
                }
                let value = convert(&item, &child(path, &key), depth + 1)?;
                map.insert(key, value);
            }
            Ok(Value::Object(map))
        }
        other => {
            let msg = format!("unsupported javascript type `{other}`");
            Err(invalid(FieldErrorKind::InvalidType(msg), path))
        }
    }
}

/// Converts a JS value into a JSON value; bad values are reported under `arg`.
fn to_value(v: &Unknown<'_>, arg: &str) -> Result<Value, Failure> {
    convert(v, "$", 0).map_err(|f| f.at(arg))
}

/// Whether a JS value is `undefined` or `null` (an absent option).
pub fn absent(v: &Unknown<'_>) -> napi::Result<bool> {
    Ok(matches!(
        v.get_type()?,
        ValueType::Undefined | ValueType::Null
    ))
}

/// A `threads` option validated and clamped by the core ([`leadcore::parallel`]); absent: the
/// available parallelism. A wrong type is a coded `invalid_type` at `threads`.
pub fn threads_arg(env: &Env, v: Option<&Unknown<'_>>) -> napi::Result<usize> {
    match v {
        Some(v) if !absent(v)? => {
            let value = json_value(v, "threads").map_err(|f| throw(env, f))?;
            leadcore::parallel::threads_from_value(&value)
                .map_err(|e| crate::errors::throw_lead(env, e))
        }
        _ => Ok(leadcore::parallel::available()),
    }
}

/// How many threads a call may use (absent: the available parallelism).
#[napi_derive::napi(object)]
pub struct ThreadOptions<'a> {
    /// Threads; the result does not depend on it.
    #[napi(ts_type = "number")]
    pub threads: Option<Unknown<'a>>,
}

/// The thread count of optional `ThreadOptions`.
pub fn threads_of(env: &Env, options: Option<&ThreadOptions<'_>>) -> napi::Result<usize> {
    threads_arg(env, options.and_then(|o| o.threads.as_ref()))
}

/// A `Buffer` or `Uint8Array` argument; another type is a coded `invalid_type` at `arg`.
pub fn bytes_arg(env: &Env, v: &Unknown<'_>, arg: &str) -> napi::Result<Uint8Array> {
    if v.is_buffer()? || v.is_typedarray()? {
        // SAFETY: `v` is a live value of this call, checked to be a buffer or typed array.
        if let Ok(a) = unsafe { Uint8Array::from_napi_value(env.raw(), v.raw()) } {
            return Ok(a);
        }
    }
    let msg = "invalid type: expected a Buffer or Uint8Array".to_string();
    Err(throw(env, invalid(FieldErrorKind::InvalidType(msg), arg)))
}

/// A boolean option at `path`; absent: `false`. A wrong type is a coded `invalid_type`.
pub fn flag_arg(env: &Env, v: Option<&Unknown<'_>>, path: &str) -> napi::Result<bool> {
    match v {
        Some(v) if !absent(v)? => from_js(env, v, path),
        _ => Ok(false),
    }
}

/// Converts a JS value into a JSON value; bad values are reported at `path`, not yet thrown.
pub fn json_value(v: &Unknown<'_>, path: &str) -> Result<Value, Failure> {
    to_value(v, path)
}

/// Converts a JS value into the leadcore input type `T`; errors are located under `arg`.
///
/// `undefined` or `null` for a required argument is a `missing_field` error at `arg`.
pub fn from_js<T: DeserializeOwned>(env: &Env, v: &Unknown<'_>, arg: &str) -> napi::Result<T> {
    if matches!(v.get_type()?, ValueType::Undefined | ValueType::Null) {
        let msg = format!("missing field `{arg}`");
        return Err(throw(env, invalid(FieldErrorKind::MissingField(msg), arg)));
    }
    let value = to_value(v, arg).map_err(|f| throw(env, f))?;
    leadcore::input::from_value(value).map_err(|e| throw(env, Failure::Lead(e.at(arg).into())))
}

/// Converts a JS value (object or JSON text) into the config type `T`, loaded and validated.
pub fn config_from_js<T: leadcore::input::Config>(env: &Env, v: &Unknown<'_>) -> napi::Result<T> {
    let loaded = if v.get_type()? == ValueType::String {
        T::from_json(&v.coerce_to_string()?.into_utf8()?.into_owned()?)
    } else {
        let value = convert(v, "$", 0).map_err(|f| throw(env, f.into_config()))?;
        T::from_value(value)
    };
    loaded.map_err(|e| throw(env, Failure::Lead(e.into())))
}

/// Reads `now` (or any instant argument) as every instant in a document is read: a `Date`,
/// RFC 3339 text or Unix seconds.
pub fn instant(
    env: &Env,
    v: &Unknown<'_>,
    arg: &str,
) -> napi::Result<chrono::DateTime<chrono::Utc>> {
    let value = to_value(v, arg).map_err(|f| throw(env, f))?;
    leadcore::time::from_json(&value).map_err(|e| throw(env, Failure::Lead(e.at(arg).into())))
}

/// Converts any serializable leadcore result into a JSON result for JS.
pub fn to_js<T: Serialize>(value: &T) -> Json {
    Json(leadcore::input::to_value(value))
}

/// A JSON result as a binding returns it, converted as [`to_js_large`] converts (small results
/// value by value, large ones through `JSON.parse`), with one more rule: a key `__proto__` is
/// an own property, as `JSON.parse` makes it and as Python keeps it. napi's own conversion
/// assigns it, which sets the new object's prototype instead (a prototype chosen by the input
/// on the result) and loses the key.
pub struct Json(pub Value);

impl ToNapiValue for Json {
    unsafe fn to_napi_value(
        env: napi::sys::napi_env,
        val: Self,
    ) -> napi::Result<napi::sys::napi_value> {
        let env = Env::from_raw(env);
        Ok(js_value(&env, &val.0)?.raw())
    }
}

/// Whether any object in `value` has the key `__proto__`.
fn has_proto_key(value: &Value) -> bool {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                if map.contains_key("__proto__") {
                    return true;
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    false
}

/// Most JSON text handed to one `JSON.parse` call: far below the longest string V8 holds
/// (about 512 M characters), so larger results are parsed in pieces.
const PARSE_LIMIT: usize = 16 << 20;

/// Results with at most this many JSON values are built directly, one N-API call per value;
/// larger ones through `JSON.parse`.
const DIRECT_LIMIT: usize = 1_000;

/// Converts a serializable result of any size into a JS value (keys sorted, as [`to_js`]).
///
/// Small results are built value by value; larger ones by `JSON.parse` of their JSON text,
/// several times faster than building the objects one N-API call at a time, and without the
/// size limit of that path (napi refuses a `serde_json::Value` of more than 1 M values).
/// Results over 16 MiB of JSON are parsed in pieces (an array in chunks of elements, an object
/// field by field).
pub fn to_js_large<'env, T: Serialize>(env: &'env Env, value: &T) -> napi::Result<Unknown<'env>> {
    js_value(env, &leadcore::input::to_value(value))
}

/// A JSON value as a JS value (see [`to_js_large`] and [`Json`]).
fn js_value<'env>(env: &'env Env, value: &Value) -> napi::Result<Unknown<'env>> {
    if !more_values_than(value, DIRECT_LIMIT) && !has_proto_key(value) {
        return value.clone().into_unknown(env);
    }
    let json: Object<'_> = env.get_global()?.get_named_property("JSON")?;
    let parse: Function<'_, String, Unknown<'env>> = json.get_named_property("parse")?;
    build(env, &parse, value)
}

/// Whether `value` holds more than `limit` JSON values (stops counting past it).
fn more_values_than(value: &Value, limit: usize) -> bool {
    let mut stack = vec![value];
    let mut seen = 0usize;
    while let Some(v) = stack.pop() {
        seen += 1;
        if seen > limit {
            return true;
        }
        match v {
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    false
}

/// A writer that refuses to grow past `cap` bytes, so an oversized value is found after at
/// most `cap` bytes of work.
struct Capped {
    buf: Vec<u8>,
    cap: usize,
}

impl std::io::Write for Capped {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.buf.len() + data.len() > self.cap {
            return Err(std::io::Error::other("over the parse limit"));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The JSON text of `value` if it is at most `cap` bytes long.
fn json_within(value: &Value, cap: usize) -> Option<String> {
    let mut w = Capped {
        buf: Vec::new(),
        cap,
    };
    serde_json::to_writer(&mut w, value).ok()?;
    String::from_utf8(w.buf).ok()
}

fn build<'env>(
    env: &'env Env,
    parse: &Function<'_, String, Unknown<'env>>,
    value: &Value,
) -> napi::Result<Unknown<'env>> {
    if let Some(text) = json_within(value, PARSE_LIMIT) {
        return parse.call(text);
    }
    match value {
        Value::Object(map) => {
            let mut obj = Object::new(env)?;
            for (k, v) in map {
                let v = build(env, parse, v)?;
                if k == "__proto__" {
                    // An own data property, not the prototype setter.
                    obj.define_properties(&[Property::new().with_utf8_name(k)?.with_value(&v)])?;
                } else {
                    obj.set_named_property(k, v)?;
                }
            }
            Ok(obj.to_unknown())
        }
        Value::Array(items) => {
            let mut arr = env.create_array(len_u32(items.len()))?;
            let mut chunk = String::from("[");
            let mut first = 0u32;
            let mut count = 0u32;
            for (i, item) in items.iter().enumerate() {
                let i = len_u32(i);
                let Some(t) = json_within(item, PARSE_LIMIT - 2) else {
                    // One element alone is too large: convert it in pieces.
                    flush(parse, &mut arr, &mut chunk, first, count)?;
                    arr.set(i, build(env, parse, item)?)?;
                    (first, count) = (i + 1, 0);
                    continue;
                };
                if chunk.len() + t.len() + 1 > PARSE_LIMIT {
                    flush(parse, &mut arr, &mut chunk, first, count)?;
                    (first, count) = (i, 0);
                }
                if count > 0 {
                    chunk.push(',');
                }
                chunk.push_str(&t);
                count += 1;
            }
            flush(parse, &mut arr, &mut chunk, first, count)?;
            Ok(arr.to_unknown())
        }
        // One string longer than V8 allows: let JS refuse it.
        _ => parse.call(value.to_string()),
    }
}

/// Parses the elements gathered in `chunk` (`[a,b,…` without its `]`) into `arr[first..]`,
/// and starts a new chunk.
fn flush(
    parse: &Function<'_, String, Unknown<'_>>,
    arr: &mut Array<'_>,
    chunk: &mut String,
    first: u32,
    count: u32,
) -> napi::Result<()> {
    if count > 0 {
        chunk.push(']');
        let parsed = parse.call(std::mem::replace(chunk, String::from("[")))?;
        let parsed: Object<'_> = parsed.coerce_to_object()?;
        for j in 0..count {
            arr.set(first + j, parsed.get_element::<Unknown<'_>>(j)?)?;
        }
    }
    chunk.clear();
    chunk.push('[');
    Ok(())
}

fn len_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `napi_get_value_string_utf16` of `s` into `cap` units at `out`: the units written (at most
/// `cap - 1`, then a NUL), or `None` when `s` is not a string.
///
/// # Safety
/// `out` must be valid for writes of `cap` units (or NULL with `cap` 0, which asks for the
/// length).
unsafe fn write_utf16(s: &Unknown<'_>, out: *mut u16, cap: usize) -> napi::Result<Option<usize>> {
    let mut written = 0usize;
    // SAFETY: `s` is a live value of this call; the caller vouches for `out` and `cap`.
    let status = unsafe {
        napi::sys::napi_get_value_string_utf16(
            s.value().env,
            s.value().value,
            out,
            cap,
            &mut written,
        )
    };
    if status == napi::sys::Status::napi_string_expected {
        return Ok(None);
    }
    napi::check_status!(status)?;
    Ok(Some(written))
}

thread_local! {
    /// The UTF-16 units of the string [`push_utf8`] is reading, kept between calls.
    static UNITS: RefCell<Vec<u16>> = const { RefCell::new(Vec::new()) };
}

/// Appends the UTF-8 text of `s` to `buf` when it is a JS string (false, and nothing appended,
/// otherwise); a lone surrogate becomes U+FFFD, as `napi_get_value_string_utf8` writes it.
///
/// The text is read as UTF-16, in one N-API call when it fits the units kept from the last
/// string, and encoded here: ASCII by narrowing each unit, in a loop the compiler vectorizes.
/// V8's UTF-8 writer (Node 20) encodes character by character, and a write it cut short could
/// not be told from a whole one: it stops before a character that does not fit, so text of
/// three- and four-byte characters lost its end when it nearly filled the buffer. A UTF-16
/// write is cut only when it fills the buffer.
pub fn push_utf8(s: &Unknown<'_>, buf: &mut Vec<u8>) -> napi::Result<bool> {
    UNITS.with_borrow_mut(|units| {
        units.clear();
        units.reserve(256);
        loop {
            let cap = units.capacity();
            // SAFETY: `units` has room for `cap` units.
            let Some(written) = (unsafe { write_utf16(s, units.as_mut_ptr(), cap)? }) else {
                return Ok(false);
            };
            if written + 1 < cap {
                // SAFETY: N-API initialized `written` units.
                unsafe { units.set_len(written) };
                break;
            }
            // SAFETY: a NULL buffer of 0 units asks only for the length.
            let need = unsafe { write_utf16(s, std::ptr::null_mut(), 0)? }.unwrap_or(0);
            units.reserve(need + 2);
        }
        if units.iter().fold(0, |m, &u| m | u) < 0x80 {
            buf.extend(units.iter().map(|&u| u as u8));
        } else {
            buf.reserve(units.len());
            let mut b = [0u8; 4];
            for c in char::decode_utf16(units.iter().copied()) {
                let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
                buf.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
            }
        }
        Ok(true)
    })
}

/// The text of `s` when it is a JS string (`None` otherwise), read by [`push_utf8`].
pub fn js_string(s: &Unknown<'_>) -> napi::Result<Option<String>> {
    let mut buf = Vec::new();
    if !push_utf8(s, &mut buf)? {
        return Ok(None);
    }
    String::from_utf8(buf)
        .map(Some)
        .map_err(|e| napi::Error::from_reason(e.to_string()))
}

/// Elements handled per [`scoped`] handle scope by loops over JS arrays.
const SCOPE_ROWS: u32 = 256;

/// `start..end` in ranges of [`SCOPE_ROWS`].
pub fn chunks(start: u32, end: u32) -> impl Iterator<Item = (u32, u32)> {
    (start..end)
        .step_by(SCOPE_ROWS as usize)
        .map(move |a| (a, a.saturating_add(SCOPE_ROWS).min(end)))
}

/// Runs `f` in a fresh handle scope of `v`'s environment: the JS handles it creates are
/// released when it returns, so a loop over a large array keeps a bounded number alive (V8
/// visits every live handle at each garbage collection: a million left alive made the
/// collections during the loop its largest cost). `f` returns no JS value (`'static`).
pub fn scoped<T: 'static, E: From<napi::Error>>(
    v: &Unknown<'_>,
    f: impl FnOnce() -> Result<T, E>,
) -> Result<T, E> {
    Env::from_raw(v.value().env).run_in_scope(|| Ok(f()))?
}
