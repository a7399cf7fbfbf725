//! Conversions between JS values and leadcore's JSON documents.
//!
//! JS values become `serde_json::Value` and then leadcore types through
//! `leadcore::input::from_value`, so validation and error paths are the core's. `Date` objects
//! become RFC 3339 text; integral numbers become JSON integers; NaN and ±Infinity are
//! `not_finite` errors; `undefined` object members are skipped, as `JSON.stringify` does.

use leadcore::{FieldErrorKind, InputError};
use napi::bindgen_prelude::{JsObjectValue, Object};
use napi::{Env, JsValue, Unknown, ValueType};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};

use crate::errors::{Failure, throw};

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
        ValueType::String => Ok(Value::String(
            v.coerce_to_string()?.into_utf8()?.into_owned()?,
        )),
        ValueType::Object if v.is_date()? => {
            let ms = v.coerce_to_number()?.get_double()?;
            match chrono::DateTime::from_timestamp_millis(ms as i64).filter(|_| ms.is_finite()) {
                Some(t) => Ok(Value::String(leadcore::time::format(&t))),
                None => Err(invalid(
                    FieldErrorKind::InvalidDatetime("invalid date".into()),
                    path,
                )),
            }
        }
        ValueType::Object if v.is_array()? => {
            let arr: Object<'_> = v.coerce_to_object()?;
            let len = arr.get_array_length()?;
            let mut items = Vec::with_capacity(len as usize);
            for i in 0..len {
                let item: Unknown<'_> = arr.get_element(i)?;
                items.push(convert(&item, &index(path, i), depth + 1)?);
            }
            Ok(Value::Array(items))
        }
        ValueType::Object => {
            let obj: Object<'_> = v.coerce_to_object()?;
            let names: Object<'_> = obj.get_property_names()?;
            let mut map = Map::new();
            for i in 0..names.get_array_length()? {
                let key: Unknown<'_> = names.get_element(i)?;
                let key = key.coerce_to_string()?.into_utf8()?.into_owned()?;
                let item: Unknown<'_> = obj.get_named_property(&key)?;
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

/// Reads `now` (or any instant argument): a `Date` or RFC 3339 text.
pub fn instant(
    env: &Env,
    v: &Unknown<'_>,
    arg: &str,
) -> napi::Result<chrono::DateTime<chrono::Utc>> {
    match to_value(v, arg).map_err(|f| throw(env, f))? {
        Value::String(s) => {
            leadcore::time::parse(&s).map_err(|e| throw(env, Failure::Lead(e.at(arg).into())))
        }
        _ => {
            let msg = "expected a date or rfc 3339 text".to_string();
            Err(throw(env, invalid(FieldErrorKind::InvalidType(msg), arg)))
        }
    }
}

/// Converts any serializable leadcore result into a plain JSON value for JS.
pub fn to_js<T: Serialize>(value: &T) -> Value {
    leadcore::input::to_value(value)
}
