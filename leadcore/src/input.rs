//! Loading JSON documents into leadcore types, with the JSON path of the first bad field.
//!
//! Bindings convert host objects (Python dicts, JS objects) to [`serde_json::Value`] and call
//! [`from_value`]; Rust callers with JSON text call [`from_json`]. Configs add a validation step
//! on top (see [`Config`]).

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{ConfigError, FieldErrorKind, InputError, backticked};

/// Deepest nesting accepted in any document (rule trees, attribute values…).
pub const MAX_DEPTH: usize = 64;

/// Parses JSON text into `T`, reporting the path of the first bad field.
///
/// ```
/// use leadcore::{Lead, input};
/// let err = input::from_json::<Lead>(r#"{"id": "L1", "created_at": "2026-01-01 08:00"}"#).unwrap_err();
/// assert_eq!((err.code(), err.path.as_str()), ("naive_datetime", "created_at"));
/// ```
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, InputError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(classify)?;
    de.end()
        .map_err(|e| InputError::new(FieldErrorKind::Syntax(strip_position(&e)), "$"))?;
    Ok(value)
}

/// Converts an already-parsed JSON value into `T`, reporting the path of the first bad field.
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, InputError> {
    let depth = depth(&value);
    if depth > MAX_DEPTH {
        return Err(InputError::new(FieldErrorKind::TooDeep(MAX_DEPTH), "$"));
    }
    serde_path_to_error::deserialize(value).map_err(classify)
}

/// Serializes any leadcore type to a JSON value (maps come out with sorted keys).
pub fn to_value<T: Serialize>(value: &T) -> serde_json::Value {
    // Every leadcore type serializes infallibly: string keys, finite numbers.
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// Nesting depth of a JSON value (a scalar is depth 0).
pub fn depth(value: &serde_json::Value) -> usize {
    let mut max = 0;
    let mut stack = vec![(value, 0usize)];
    while let Some((v, d)) = stack.pop() {
        max = max.max(d);
        match v {
            serde_json::Value::Array(items) => stack.extend(items.iter().map(|i| (i, d + 1))),
            serde_json::Value::Object(map) => stack.extend(map.values().map(|i| (i, d + 1))),
            _ => {}
        }
    }
    max
}

/// A configuration document: deserialized, then validated as a whole.
pub trait Config: Sized + DeserializeOwned + Serialize {
    /// Checks everything serde cannot: references, ranges, uniqueness, depth.
    fn validate(&self) -> Result<(), ConfigError>;

    /// Parses and validates a JSON text.
    fn from_json(text: &str) -> Result<Self, ConfigError> {
        let config: Self = from_json(text).map_err(InputError::into_config)?;
        config.validate()?;
        Ok(config)
    }

    /// Converts and validates a JSON value.
    fn from_value(value: serde_json::Value) -> Result<Self, ConfigError> {
        let config: Self = from_value(value).map_err(InputError::into_config)?;
        config.validate()?;
        Ok(config)
    }

    /// The config as compact JSON text that [`Config::from_json`] reads back unchanged.
    fn to_json(&self) -> String {
        to_value(self).to_string()
    }
}

/// Serde adapter for ids: text, or a whole JSON number, kept as its decimal text (`7` reads
/// as `"7"`), since hosts key rows by integers as often as by strings.
///
/// ```
/// let e: leadcore::Event = serde_json::from_str(
///     r#"{"id": 7, "lead_id": 42, "kind": "call", "at": 1764000000}"#,
/// ).unwrap();
/// assert_eq!((e.id.as_deref(), e.lead_id.as_str()), (Some("7"), "42"));
/// ```
pub mod id {
    use serde::Deserializer;

    /// The JSON Schema of an id field: read as text or a whole number, written as text
    /// (`#[schemars(with = "crate::input::id::IdSchema")]`).
    pub struct IdSchema;

    impl schemars::JsonSchema for IdSchema {
        fn schema_name() -> std::borrow::Cow<'static, str> {
            "Id".into()
        }

        fn inline_schema() -> bool {
            true
        }

        fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
            if g.contract().is_serialize() {
                schemars::json_schema!({"type": "string"})
            } else {
                schemars::json_schema!({"type": ["string", "integer"]})
            }
        }
    }

    struct IdVisitor;

    impl serde::de::Visitor<'_> for IdVisitor {
        type Value = String;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string or a whole number")
        }

        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<String, E> {
            Ok(s.to_string())
        }

        fn visit_string<E: serde::de::Error>(self, s: String) -> Result<String, E> {
            Ok(s)
        }

        fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<String, E> {
            Ok(n.to_string())
        }

        fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<String, E> {
            Ok(n.to_string())
        }
    }

    /// Deserializes text or a whole number (self-describing formats; text otherwise).
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        if d.is_human_readable() {
            d.deserialize_any(IdVisitor)
        } else {
            d.deserialize_string(IdVisitor)
        }
    }

    /// The same for an optional id (use with `#[serde(default)]`).
    pub mod option {
        use serde::{Deserialize, Deserializer};

        /// Deserializes null, text or a whole number.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
            #[derive(Deserialize)]
            struct Wrap(#[serde(deserialize_with = "super::deserialize")] String);
            Ok(Option::<Wrap>::deserialize(d)?.map(|w| w.0))
        }
    }
}

/// If `value` is `{"preset": …}`, the preset name; an error if the reference is malformed.
pub(crate) fn preset_reference(value: &serde_json::Value) -> Result<Option<String>, ConfigError> {
    let Some(map) = value.as_object() else {
        return Ok(None);
    };
    let Some(name) = map.get("preset") else {
        return Ok(None);
    };
    if let Some(other) = map.keys().find(|k| k.as_str() != "preset") {
        return Err(ConfigError::new(
            FieldErrorKind::UnknownField(format!(
                "unknown field `{other}`: a preset reference takes only `preset`"
            )),
            other.clone(),
        ));
    }
    match name.as_str() {
        Some(s) => Ok(Some(s.to_string())),
        None => Err(ConfigError::new(
            FieldErrorKind::InvalidType(format!("invalid type: {name}, expected a preset name")),
            "preset",
        )),
    }
}

fn classify<E>(err: serde_path_to_error::Error<E>) -> InputError
where
    E: Into<serde_json::Error>,
{
    let path = format_path(err.path());
    let inner: serde_json::Error = err.into_inner().into();
    let message = plain_types(&strip_position(&inner));
    let kind = if inner.is_syntax() || inner.is_eof() {
        if message.starts_with("recursion limit") {
            FieldErrorKind::TooDeep(MAX_DEPTH)
        } else {
            FieldErrorKind::Syntax(message)
        }
    } else if message.starts_with("unknown field") || message.starts_with("missing field") {
        // serde reports a missing field, and an unknown one inside a tagged or flattened
        // object, at the enclosing object: point at the field itself.
        let named =
            message.starts_with("unknown field `") || message.starts_with("missing field `");
        let path = match backticked(&message).filter(|_| named) {
            Some(field) if !path.ends_with(field) => crate::error::join_path(&path, field),
            _ => path,
        };
        let kind = if message.starts_with("unknown") {
            FieldErrorKind::UnknownField(message)
        } else {
            FieldErrorKind::MissingField(message)
        };
        return InputError::new(kind, path);
    } else if message.starts_with("naive datetime") {
        FieldErrorKind::NaiveDatetime(message)
    } else if message.starts_with("invalid datetime") {
        FieldErrorKind::InvalidDatetime(message)
    } else if message.starts_with("number is not finite") {
        FieldErrorKind::NotFinite
    } else if message.starts_with("invalid type") || message.starts_with("unknown variant") {
        FieldErrorKind::InvalidType(message)
    } else {
        FieldErrorKind::InvalidValue(message)
    };
    InputError::new(kind, path)
}

/// serde names Rust types in its messages ("expected u32"); say what a JSON author means.
fn plain_types(message: &str) -> String {
    let Some(i) = message.find("expected ") else {
        return message.to_string();
    };
    let (head, tail) = message.split_at(i + "expected ".len());
    let word_end = tail
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(tail.len());
    let plain = match tail.get(..word_end).unwrap_or("") {
        "f32" | "f64" => "a number",
        "u8" | "u16" | "u32" | "u64" | "usize" => "a non-negative whole number",
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number",
        _ => return message.to_string(),
    };
    format!("{head}{plain}{}", tail.get(word_end..).unwrap_or(""))
}

/// serde_json appends ` at line L column C`; the path says where, so drop it.
fn strip_position(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(i) => text.get(..i).unwrap_or(&text).to_string(),
        None => text,
    }
}

fn format_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Unknown => {}
        }
    }
    if out.is_empty() { "$".to_string() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, schemars::JsonSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        items: Vec<Item>,
    }

    #[derive(Debug, Deserialize, schemars::JsonSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        n: u32,
    }

    #[test]
    fn paths_name_the_bad_field() {
        let e = from_json::<Doc>(r#"{"items": [{"n": 1}, {"n": "x"}]}"#).unwrap_err();
        assert_eq!((e.code(), e.path.as_str()), ("invalid_type", "items[1].n"));
        let e = from_json::<Doc>(r#"{"items": [{"m": 1}]}"#).unwrap_err();
        assert_eq!((e.code(), e.path.as_str()), ("unknown_field", "items[0].m"));
        let e = from_json::<Doc>(r#"{"items": [{}]}"#).unwrap_err();
        assert_eq!((e.code(), e.path.as_str()), ("missing_field", "items[0].n"));
        let e = from_json::<Doc>(r#"{"items": ["#).unwrap_err();
        assert_eq!(e.code(), "json_syntax");
    }

    #[test]
    fn messages_name_json_types_not_rust_types() {
        let e = from_json::<Doc>(r#"{"items": [{"n": -1}]}"#).unwrap_err();
        assert!(
            e.to_string()
                .contains("expected a non-negative whole number"),
            "{e}"
        );
    }

    #[test]
    fn deep_documents_are_refused() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(
            from_json::<serde_json::Value>(&deep).unwrap_err().code(),
            "too_deep"
        );
        let v: serde_json::Value =
            serde_json::from_str(&format!("{}{}", "[".repeat(100), "]".repeat(100))).unwrap();
        assert_eq!(
            from_value::<serde_json::Value>(v).unwrap_err().code(),
            "too_deep"
        );
    }
}
