//! Timestamps: RFC 3339 text with a UTC offset in, UTC out.
//!
//! leadcore never reads the clock and never guesses a time zone: every instant is a
//! `DateTime<Utc>` given by the caller, and text without an offset is a `naive_datetime` error.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};

use crate::error::{FieldErrorKind, InputError};

/// Seconds in a day, for converting durations to fractional days.
pub const SECONDS_PER_DAY: f64 = 86_400.0;

/// Parses an RFC 3339 timestamp (`2026-11-23T08:00:00+08:00`) into UTC.
///
/// ```
/// let t = leadcore::time::parse("2026-11-23T08:00:00+08:00").unwrap();
/// assert_eq!(leadcore::time::format(&t), "2026-11-23T00:00:00Z");
/// assert_eq!(leadcore::time::parse("2026-11-23T08:00:00").unwrap_err().code(), "naive_datetime");
/// ```
pub fn parse(text: &str) -> Result<DateTime<Utc>, InputError> {
    parse_kind(text).map_err(|kind| InputError::new(kind, "$"))
}

fn parse_kind(text: &str) -> Result<DateTime<Utc>, FieldErrorKind> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    let naive = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .any(|f| NaiveDateTime::parse_from_str(text, f).is_ok())
        || NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok();
    if naive {
        Err(FieldErrorKind::NaiveDatetime(format!(
            "naive datetime `{text}`: add a utc offset such as `Z` or `+08:00`"
        )))
    } else {
        Err(FieldErrorKind::InvalidDatetime(format!(
            "invalid datetime `{text}`: expected rfc 3339 such as `2026-11-23T08:00:00+08:00`"
        )))
    }
}

/// Formats an instant as RFC 3339 in UTC (`Z`), with as many fraction digits as it needs.
pub fn format(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Fractional days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    let d = to.signed_duration_since(from);
    let secs = d.num_seconds() as f64 + f64::from(d.subsec_nanos()) / 1e9;
    secs / SECONDS_PER_DAY
}

/// Serde adapter for `DateTime<Utc>` fields: RFC 3339 text, `naive_datetime` on missing offsets.
pub mod rfc3339 {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    /// Serializes as RFC 3339 UTC text.
    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format(t))
    }

    /// Deserializes RFC 3339 text with an offset.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        super::parse_kind(&text).map_err(|k| D::Error::custom(k.to_string()))
    }

    /// The same adapter for `Option<DateTime<Utc>>` (use with `#[serde(default)]`).
    pub mod option {
        use chrono::{DateTime, Utc};
        use serde::{Deserialize, Deserializer, Serializer};

        /// Serializes `Some` as RFC 3339 UTC text and `None` as null.
        pub fn serialize<S: Serializer>(
            t: &Option<DateTime<Utc>>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match t {
                Some(t) => super::serialize(t, s),
                None => s.serialize_none(),
            }
        }

        /// Deserializes null or RFC 3339 text with an offset.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<DateTime<Utc>>, D::Error> {
            #[derive(Deserialize)]
            struct Wrap(#[serde(with = "super")] DateTime<Utc>);
            Ok(Option::<Wrap>::deserialize(d)?.map(|w| w.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_convert_to_utc() {
        let t = parse("2026-01-01T08:00:00+08:00").unwrap();
        assert_eq!(format(&t), "2026-01-01T00:00:00Z");
        assert_eq!(
            format(&parse("2026-01-01T00:00:00.250Z").unwrap()),
            "2026-01-01T00:00:00.250Z"
        );
    }

    #[test]
    fn naive_and_garbage_are_distinct_errors() {
        assert_eq!(
            parse("2026-01-01 00:00:00").unwrap_err().code(),
            "naive_datetime"
        );
        assert_eq!(parse("yesterday").unwrap_err().code(), "invalid_datetime");
        assert_eq!(parse("").unwrap_err().code(), "invalid_datetime");
    }

    #[test]
    fn days_between_is_fractional_and_signed() {
        let a = parse("2026-01-01T00:00:00Z").unwrap();
        let b = parse("2026-01-02T12:00:00Z").unwrap();
        assert_eq!(days_between(a, b), 1.5);
        assert_eq!(days_between(b, a), -1.5);
    }
}
