//! Small validation helpers shared by the scoring configs: each returns a [`ConfigError`] naming
//! the JSON path of the bad number.

use crate::error::{ConfigError, FieldErrorKind};

/// Longest span, in days, a scoring config may name (100 years).
pub const MAX_DAYS: f64 = 36_500.0;

/// Largest absolute number of points a rule, cap or weight may carry.
pub const MAX_POINTS: f64 = 1e9;

pub(crate) fn unknown(name: impl Into<String>, path: impl Into<String>) -> ConfigError {
    ConfigError::new(FieldErrorKind::UnknownReference(name.into()), path)
}

pub(crate) fn duplicate(id: impl Into<String>, path: impl Into<String>) -> ConfigError {
    ConfigError::new(FieldErrorKind::Duplicate(id.into()), path)
}

/// A finite number of points (may be negative), at most [`MAX_POINTS`] in size.
pub(crate) fn points(x: f64, path: &str) -> Result<(), ConfigError> {
    if !x.is_finite() {
        return Err(ConfigError::new(FieldErrorKind::NotFinite, path));
    }
    if x.abs() > MAX_POINTS {
        return Err(ConfigError::invalid(
            format!("`{x}` is larger than {MAX_POINTS} in size"),
            path,
        ));
    }
    Ok(())
}

/// A finite number ≥ 0.
pub(crate) fn non_negative(x: f64, path: &str) -> Result<(), ConfigError> {
    points(x, path)?;
    if x < 0.0 {
        return Err(ConfigError::invalid(
            format!("`{x}` must not be negative"),
            path,
        ));
    }
    Ok(())
}

/// A number of days in (0, [`MAX_DAYS`]].
pub(crate) fn days(x: f64, path: &str) -> Result<(), ConfigError> {
    if !x.is_finite() {
        return Err(ConfigError::new(FieldErrorKind::NotFinite, path));
    }
    if x <= 0.0 || x > MAX_DAYS {
        return Err(ConfigError::invalid(
            format!("`{x}` days must be greater than 0 and at most {MAX_DAYS}"),
            path,
        ));
    }
    Ok(())
}

/// A fraction in [0, 1].
pub(crate) fn fraction(x: f64, path: &str) -> Result<(), ConfigError> {
    if !x.is_finite() {
        return Err(ConfigError::new(FieldErrorKind::NotFinite, path));
    }
    if !(0.0..=1.0).contains(&x) {
        return Err(ConfigError::invalid(
            format!("`{x}` must be between 0 and 1"),
            path,
        ));
    }
    Ok(())
}

/// A non-empty id without surrounding whitespace.
pub(crate) fn id(id: &str, path: &str) -> Result<(), ConfigError> {
    if id.trim().is_empty() || id.trim() != id {
        return Err(ConfigError::invalid(
            format!("id `{id}` must be non-empty without surrounding spaces"),
            path,
        ));
    }
    Ok(())
}

/// Joins a JSON path and a key.
pub(crate) fn at(path: &str, key: &str) -> String {
    if path.is_empty() || path == "$" {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Joins a JSON path and an index.
pub(crate) fn nth(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// Rounds reported points to [`super::DECIMALS`] decimals (half away from zero); `-0` becomes `0`.
pub(crate) fn round(x: f64) -> f64 {
    let r = (x * super::SCALE).round() / super::SCALE;
    if r == 0.0 { 0.0 } else { r }
}
