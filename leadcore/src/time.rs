//! Timestamps: RFC 3339 text with a UTC offset in, UTC out.
//!
//! leadcore never reads the clock and never guesses a time zone: every instant is a
//! `DateTime<Utc>` given by the caller, and text without an offset is a `naive_datetime` error.
//!
//! # The range of instants: [`MIN`] to [`MAX`]
//!
//! RFC 3339 writes years with exactly four digits, so leadcore holds only instants from
//! `0000-01-01T00:00:00Z` ([`MIN`]) to `9999-12-31T23:59:59.999999999Z` ([`MAX`]), and every
//! instant it writes is read back by [`parse`] to the same value. The rule is kept at both ends:
//!
//! - **Read: refused.** [`parse`] (and so every `now` argument, every date in data, the
//!   [`rfc3339`] serde adapters and the bindings, which all go through it) refuses text whose
//!   UTC instant falls outside the range with `invalid_datetime` at the field's path
//!   (`9999-12-31T23:00:00-05:00` is `+10000-01-01T04:00:00Z`). [`from_millis`] does the same
//!   for numeric times.
//! - **Computed: saturated.** Every instant leadcore computes from another (deadlines, due
//!   times, protection ends, windows) goes through [`add`] / [`sub`] ([`add_months`] for
//!   calendar months), which saturate at the bounds instead of overflowing: a claim at
//!   `9999-12-25` with 30 days of protection is protected until [`MAX`], which reads as
//!   "never" and round-trips. Spans built from stored numbers go through [`seconds`] /
//!   [`minutes`] / [`days`], which saturate too (chrono's constructors panic out of range).
//! - [`format`] writes an instant outside the range (which only a caller building one by hand
//!   can hold) as the nearest bound, so its output always parses.
//!
//! `DateTime + TimeDelta` (which panics on overflow) and chrono's panicking span constructors
//! are not used on values that come from data.

use chrono::{DateTime, Months, NaiveDate, NaiveDateTime, SecondsFormat, TimeDelta, Utc};

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
///
/// Instants outside [`MIN`]..=[`MAX`] are `invalid_datetime` (see the module docs).
pub fn parse(text: &str) -> Result<DateTime<Utc>, InputError> {
    parse_kind(text).map_err(|kind| InputError::new(kind, "$"))
}

fn parse_kind(text: &str) -> Result<DateTime<Utc>, FieldErrorKind> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        let t = t.with_timezone(&Utc);
        if !in_range(t) {
            return Err(FieldErrorKind::InvalidDatetime(format!(
                "invalid datetime `{text}`: outside 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z"
            )));
        }
        return Ok(t);
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
///
/// An instant outside [`MIN`]..=[`MAX`] is written as the nearest bound, so [`parse`] always
/// reads the text back.
pub fn format(t: &DateTime<Utc>) -> String {
    clamp(*t).to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// The earliest instant leadcore holds: `0000-01-01T00:00:00Z`.
pub const MIN: DateTime<Utc> = match DateTime::from_timestamp(-62_167_219_200, 0) {
    Some(t) => t,
    None => DateTime::<Utc>::MIN_UTC,
};

/// The latest instant leadcore holds: `9999-12-31T23:59:59.999999999Z` (the last instant RFC
/// 3339 can write; also what a saturated deadline or "never" reads as).
pub const MAX: DateTime<Utc> = match DateTime::from_timestamp(253_402_300_799, 999_999_999) {
    Some(t) => t,
    None => DateTime::<Utc>::MAX_UTC,
};

/// Whether `t` is inside [`MIN`]..=[`MAX`].
pub fn in_range(t: DateTime<Utc>) -> bool {
    (MIN..=MAX).contains(&t)
}

/// `t` moved into [`MIN`]..=[`MAX`].
pub fn clamp(t: DateTime<Utc>) -> DateTime<Utc> {
    t.clamp(MIN, MAX)
}

/// `t + d`, saturating at [`MIN`] / [`MAX`] instead of overflowing: the one way leadcore adds
/// a span to an instant.
///
/// ```
/// use leadcore::time::{add, format, parse, MAX};
/// let never = add(parse("9999-12-25T00:00:00Z").unwrap(), chrono::TimeDelta::days(30));
/// assert_eq!(never, MAX);
/// assert_eq!(parse(&format(&never)).unwrap(), MAX);
/// ```
pub fn add(t: DateTime<Utc>, d: TimeDelta) -> DateTime<Utc> {
    match t.checked_add_signed(d) {
        Some(r) => clamp(r),
        None if d < TimeDelta::zero() => MIN,
        None => MAX,
    }
}

/// `t - d`, saturating at [`MIN`] / [`MAX`] (see [`add`]).
pub fn sub(t: DateTime<Utc>, d: TimeDelta) -> DateTime<Utc> {
    match t.checked_sub_signed(d) {
        Some(r) => clamp(r),
        None if d < TimeDelta::zero() => MAX,
        None => MIN,
    }
}

/// `t` plus `months` calendar months on the UTC calendar, the day clamped to the end of a
/// shorter month, saturating at [`MAX`] (see [`add`]).
///
/// ```
/// use leadcore::time::{add_months, format, parse, MAX};
/// let t = parse("2026-08-31T10:00:00Z").unwrap();
/// assert_eq!(format(&add_months(t, 6)), "2027-02-28T10:00:00Z");
/// assert_eq!(add_months(parse("9999-10-01T00:00:00Z").unwrap(), 6), MAX);
/// ```
pub fn add_months(t: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    t.checked_add_months(Months::new(months)).map_or(MAX, clamp)
}

/// A span of `secs` seconds, saturating at chrono's longest span (which is longer than
/// [`MIN`] to [`MAX`], so [`add`] of it saturates at the bound) instead of panicking.
pub fn seconds(secs: i64) -> TimeDelta {
    TimeDelta::try_seconds(secs).unwrap_or(if secs < 0 {
        TimeDelta::MIN
    } else {
        TimeDelta::MAX
    })
}

/// A span of `m` minutes, saturating (see [`seconds`]).
pub fn minutes(m: i64) -> TimeDelta {
    seconds(m.saturating_mul(60))
}

/// A span of `d` days, saturating (see [`seconds`]).
pub fn days(d: i64) -> TimeDelta {
    seconds(d.saturating_mul(86_400))
}

/// The instant `ms` milliseconds after the Unix epoch, or `None` when `ms` is not finite or
/// the instant falls outside [`MIN`]..=[`MAX`] (a JS `Date`, for instance).
pub fn from_millis(ms: f64) -> Option<DateTime<Utc>> {
    if !ms.is_finite() {
        return None;
    }
    // Bounded before the cast: every value in range fits an i64 exactly enough.
    let lo = MIN.timestamp_millis() as f64;
    let hi = MAX.timestamp_millis() as f64;
    if !(lo..=hi).contains(&ms) {
        return None;
    }
    DateTime::from_timestamp_millis(ms as i64).filter(|t| in_range(*t))
}

/// The instant `secs` seconds after the Unix epoch (fractions kept to the nanosecond), or
/// `None` when `secs` is not finite or the instant falls outside [`MIN`]..=[`MAX`].
///
/// ```
/// let t = leadcore::time::from_seconds(1_764_000_000.5).unwrap();
/// assert_eq!(leadcore::time::format(&t), "2025-11-24T16:00:00.500Z");
/// assert_eq!(leadcore::time::from_seconds(f64::NAN), None);
/// ```
pub fn from_seconds(secs: f64) -> Option<DateTime<Utc>> {
    if !secs.is_finite() {
        return None;
    }
    // Bounded before the cast, so the whole seconds fit an i64.
    if !(MIN.timestamp() as f64..MAX.timestamp() as f64 + 1.0).contains(&secs) {
        return None;
    }
    let whole = secs.floor();
    let nanos = ((secs - whole) * 1e9).round().min(999_999_999.0) as u32;
    DateTime::from_timestamp(whole as i64, nanos).filter(|t| in_range(*t))
}

/// What an instant may be written as in JSON: RFC 3339 text with an offset, or Unix seconds.
const INSTANT_FORMS: &str = "rfc 3339 text or unix seconds";

fn seconds_kind(n: &dyn std::fmt::Display) -> FieldErrorKind {
    FieldErrorKind::InvalidDatetime(format!(
        "invalid datetime `{n}`: unix seconds outside 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z"
    ))
}

/// Reads an instant from a JSON value the way every instant in a document is read: RFC 3339
/// text with an offset, or Unix seconds (an integer or a number with a fraction).
///
/// ```
/// use leadcore::time::{format, from_json};
/// let t = from_json(&serde_json::json!(1_764_000_000)).unwrap();
/// assert_eq!(format(&t), "2025-11-24T16:00:00Z");
/// assert_eq!(from_json(&serde_json::json!("2025-11-25T00:00:00+08:00")).unwrap(), t);
/// assert_eq!(from_json(&serde_json::json!(true)).unwrap_err().code(), "invalid_type");
/// ```
pub fn from_json(value: &serde_json::Value) -> Result<DateTime<Utc>, InputError> {
    #[derive(serde::Deserialize)]
    struct Instant(#[serde(with = "rfc3339")] DateTime<Utc>);
    crate::input::from_value::<Instant>(value.clone()).map(|i| i.0)
}

fn from_whole_seconds(secs: i64) -> Result<DateTime<Utc>, FieldErrorKind> {
    DateTime::from_timestamp(secs, 0)
        .filter(|t| in_range(*t))
        .ok_or_else(|| seconds_kind(&secs))
}

/// Fractional days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    let d = to.signed_duration_since(from);
    let secs = d.num_seconds() as f64 + f64::from(d.subsec_nanos()) / 1e9;
    secs / SECONDS_PER_DAY
}

/// The JSON Schema of an instant field: read as RFC 3339 text or Unix seconds, written as RFC
/// 3339 UTC text (`#[schemars(with = "crate::time::InstantSchema")]`).
pub struct InstantSchema;

impl schemars::JsonSchema for InstantSchema {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Instant".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        if g.contract().is_serialize() {
            schemars::json_schema!({"type": "string", "format": "date-time"})
        } else {
            // `tsType` / `x-python-type` (the type generators' keywords, ignored by validators):
            // the bindings also read a `Date` / aware `datetime` wherever a document holds an
            // instant.
            schemars::json_schema!({
                "anyOf": [
                    {"type": "string", "format": "date-time"},
                    {"type": "number", "description": "Unix seconds"}
                ],
                "tsType": "string | number | Date",
                "x-python-type": "Union[str, float, datetime.datetime]"
            })
        }
    }
}

/// Serde adapter for `DateTime<Utc>` fields: RFC 3339 text, `naive_datetime` on missing offsets.
pub mod rfc3339 {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    /// Serializes as RFC 3339 UTC text.
    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format(t))
    }

    /// Deserializes RFC 3339 text with an offset, or (from JSON and other self-describing
    /// formats) Unix seconds.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        if !d.is_human_readable() {
            let text = std::borrow::Cow::<str>::deserialize(d)?;
            return super::parse_kind(&text).map_err(|k| D::Error::custom(k.to_string()));
        }
        d.deserialize_any(InstantVisitor)
    }

    struct InstantVisitor;

    impl serde::de::Visitor<'_> for InstantVisitor {
        type Value = DateTime<Utc>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(super::INSTANT_FORMS)
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
            super::parse_kind(text).map_err(|k| E::custom(k.to_string()))
        }

        fn visit_i64<E: serde::de::Error>(self, secs: i64) -> Result<Self::Value, E> {
            super::from_whole_seconds(secs).map_err(|k| E::custom(k.to_string()))
        }

        fn visit_u64<E: serde::de::Error>(self, secs: u64) -> Result<Self::Value, E> {
            let secs = i64::try_from(secs).unwrap_or(i64::MAX);
            super::from_whole_seconds(secs).map_err(|k| E::custom(k.to_string()))
        }

        fn visit_f64<E: serde::de::Error>(self, secs: f64) -> Result<Self::Value, E> {
            super::from_seconds(secs).ok_or_else(|| E::custom(super::seconds_kind(&secs)))
        }
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
    fn the_range_is_what_rfc_3339_writes() {
        assert_eq!(format(&MIN), "0000-01-01T00:00:00Z");
        assert_eq!(format(&MAX), "9999-12-31T23:59:59.999999999Z");
        assert_eq!(parse(&format(&MAX)).unwrap(), MAX);
        // In range as written, out of range in UTC: refused, not silently moved.
        let e = parse("9999-12-31T23:00:00-05:00").unwrap_err();
        assert_eq!((e.code(), e.path.as_str()), ("invalid_datetime", "$"));
        assert_eq!(
            parse("0000-01-01T00:00:00+01:00").unwrap_err().code(),
            "invalid_datetime"
        );
        // Outside instants a caller built by hand are written as the bound.
        assert_eq!(format(&DateTime::<Utc>::MAX_UTC), format(&MAX));
        assert_eq!(format(&DateTime::<Utc>::MIN_UTC), format(&MIN));
    }

    #[test]
    fn arithmetic_saturates_instead_of_panicking() {
        let t = parse("9999-12-25T00:00:00Z").unwrap();
        assert_eq!(add(t, TimeDelta::days(30)), MAX);
        assert_eq!(add(t, TimeDelta::MAX), MAX);
        assert_eq!(add(t, TimeDelta::MIN), MIN);
        assert_eq!(sub(t, TimeDelta::MAX), MIN);
        assert_eq!(sub(t, TimeDelta::MIN), MAX);
        assert_eq!(add(t, seconds(100_000_000_000_000_000)), MAX);
        assert_eq!(add(t, seconds(i64::MIN)), MIN);
        assert_eq!(add(t, minutes(i64::MAX)), MAX);
        assert_eq!(sub(t, days(i64::MAX)), MIN);
        assert_eq!(format(&add(t, days(1))), "9999-12-26T00:00:00Z");
        assert_eq!(add_months(t, u32::MAX), MAX);
        assert_eq!(from_millis(f64::NAN), None);
        assert_eq!(from_millis(8.64e15), None);
        assert_eq!(
            from_millis(0.0).map(|t| format(&t)).as_deref(),
            Some("1970-01-01T00:00:00Z")
        );
    }

    proptest::proptest! {
        /// Any instant leadcore writes parses back: as itself inside the range, as the bound
        /// outside it; and computed instants stay inside.
        #[test]
        fn every_written_instant_parses_back(
            secs in DateTime::<Utc>::MIN_UTC.timestamp()..=DateTime::<Utc>::MAX_UTC.timestamp(),
            nanos in 0u32..1_000_000_000,
            span in proptest::num::i64::ANY,
            months in proptest::num::u32::ANY,
        ) {
            let Some(t) = DateTime::from_timestamp(secs, nanos) else { return Ok(()) };
            let back = parse(&format(&t)).unwrap();
            proptest::prop_assert_eq!(back, clamp(t));
            let computed = [
                add(t, seconds(span)),
                sub(t, seconds(span)),
                add(clamp(t), minutes(span)),
                add_months(clamp(t), months),
            ];
            for c in computed {
                proptest::prop_assert!(in_range(c));
                proptest::prop_assert_eq!(parse(&format(&c)).unwrap(), c);
            }
        }
    }

    #[test]
    fn days_between_is_fractional_and_signed() {
        let a = parse("2026-01-01T00:00:00Z").unwrap();
        let b = parse("2026-01-02T12:00:00Z").unwrap();
        assert_eq!(days_between(a, b), 1.5);
        assert_eq!(days_between(b, a), -1.5);
    }
}
