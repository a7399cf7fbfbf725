//! Argument helpers shared by the area runners: read one named argument of a case's `input`,
//! locating errors under the argument's name, as the bindings do.

use chrono::{DateTime, Utc};
use leadcore::{Error, FieldErrorKind, InputError, input};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A required argument; absent or null is `missing_field` at its name.
pub fn arg<T: DeserializeOwned>(inputs: &Value, name: &str) -> Result<T, Error> {
    opt_arg(inputs, name)?.ok_or_else(|| {
        let kind = FieldErrorKind::MissingField(format!("missing field `{name}`"));
        InputError::new(kind, name).into()
    })
}

/// An optional argument; absent or null is `None`.
pub fn opt_arg<T: DeserializeOwned>(inputs: &Value, name: &str) -> Result<Option<T>, Error> {
    match inputs.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => input::from_value(v.clone())
            .map(Some)
            .map_err(|e| e.at(name).into()),
    }
}

/// A required instant (RFC 3339 text with an offset).
pub fn instant(inputs: &Value, name: &str) -> Result<DateTime<Utc>, Error> {
    let value = inputs.get(name).unwrap_or(&Value::Null);
    leadcore::time::from_json(value).map_err(|e| e.at(name).into())
}
