//! The values conditions compare: what a field holds (`Seen`) and what a config names
//! (`Operand`), and how they compare.

use std::cmp::Ordering;
use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use crate::lead::{AttrValue, Temperature};

/// A field's value as one evaluation sees it, borrowed from the lead or event.
///
/// Null, blank text and empty lists are [`Seen::Missing`]: a CRM's blank phone is no phone.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Seen<'a> {
    Missing,
    Bool(bool),
    Number(f64),
    Text(&'a str),
    Date(NaiveDate),
    DateTime(DateTime<Utc>),
    List(List<'a>),
    Temperature(Temperature),
    /// A JSON object, or an array that is not all strings (only in `extra` fields).
    Json(&'a Value),
}

/// A list of strings, borrowed from an attribute or from raw JSON.
#[derive(Debug, Clone, Copy)]
pub(crate) enum List<'a> {
    Attr(&'a [String]),
    Json(&'a [Value]),
}

impl<'a> List<'a> {
    pub(crate) fn iter(self) -> impl Iterator<Item = &'a str> {
        let (a, j) = match self {
            Self::Attr(items) => (Some(items), None),
            Self::Json(items) => (None, Some(items)),
        };
        a.into_iter()
            .flatten()
            .map(String::as_str)
            .chain(j.into_iter().flatten().filter_map(Value::as_str))
    }
}

impl<'a> Seen<'a> {
    /// The value of a typed attribute.
    pub(crate) fn attr(value: Option<&'a AttrValue>) -> Self {
        match value {
            None | Some(AttrValue::Null) => Self::Missing,
            Some(AttrValue::Bool(b)) => Self::Bool(*b),
            Some(AttrValue::Number(n)) => Self::Number(*n),
            Some(AttrValue::Text(s)) => Self::text(s),
            Some(AttrValue::Date(d)) => Self::Date(*d),
            Some(AttrValue::DateTime(t)) => Self::DateTime(*t),
            Some(AttrValue::List(items)) if items.is_empty() => Self::Missing,
            Some(AttrValue::List(items)) => Self::List(List::Attr(items)),
        }
    }

    /// A text value (blank counts as missing).
    pub(crate) fn text(s: &'a str) -> Self {
        if s.trim().is_empty() {
            Self::Missing
        } else {
            Self::Text(s)
        }
    }

    /// An optional text value.
    pub(crate) fn opt_text(s: Option<&'a str>) -> Self {
        s.map_or(Self::Missing, Self::text)
    }

    /// A raw JSON value (keys leadcore does not model), typed like an attribute.
    pub(crate) fn json(value: Option<&'a Value>) -> Self {
        match value {
            None | Some(Value::Null) => Self::Missing,
            Some(Value::Bool(b)) => Self::Bool(*b),
            Some(Value::Number(n)) => n.as_f64().map_or(Self::Missing, Self::Number),
            Some(Value::String(s)) => match typed_text(s) {
                Some(AttrValue::Date(d)) => Self::Date(d),
                Some(AttrValue::DateTime(t)) => Self::DateTime(t),
                _ => Self::text(s),
            },
            Some(Value::Array(items)) if items.is_empty() => Self::Missing,
            Some(v @ Value::Array(items)) => {
                if items.iter().all(Value::is_string) {
                    Self::List(List::Json(items))
                } else {
                    Self::Json(v)
                }
            }
            Some(v @ Value::Object(_)) => Self::Json(v),
        }
    }

    /// The JSON type name used in reasons.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Self::Missing => "missing",
            Self::Bool(_) => "boolean",
            Self::Number(_) => "number",
            Self::Text(_) => "string",
            Self::Date(_) => "date",
            Self::DateTime(_) => "datetime",
            Self::List(_) => "list",
            Self::Temperature(_) => "temperature",
            Self::Json(Value::Array(_)) => "list",
            Self::Json(_) => "object",
        }
    }

    /// The value as JSON, for the `seen` of a criterion (`null` when missing).
    pub(crate) fn to_json(self) -> Value {
        match self {
            Self::Missing => Value::Null,
            Self::Bool(b) => Value::Bool(b),
            Self::Number(n) => number_json(n),
            Self::Text(s) => Value::String(s.to_string()),
            Self::Date(d) => Value::String(d.format("%Y-%m-%d").to_string()),
            Self::DateTime(t) => Value::String(crate::time::format(&t)),
            Self::List(items) => {
                Value::Array(items.iter().map(|s| Value::String(s.to_string())).collect())
            }
            Self::Temperature(t) => Value::String(temperature_name(t).to_string()),
            Self::Json(v) => v.clone(),
        }
    }
}

impl fmt::Display for Seen<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing => f.write_str("missing"),
            Self::Number(n) => write!(f, "`{n}`"),
            Self::Text(s) => write!(f, "`{s}`"),
            Self::List(items) => {
                let parts: Vec<String> = items.iter().map(|s| format!("`{s}`")).collect();
                write!(f, "[{}]", parts.join(", "))
            }
            other => write!(f, "`{}`", display_json(&other.to_json())),
        }
    }
}

/// A number as JSON, integral values without a fraction (`50`, not `50.0`), as configs write them.
pub(crate) fn number_json(n: f64) -> Value {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: every integer below is exact in f64
    if n.fract() == 0.0 && n.abs() < EXACT {
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

/// A JSON value as text without the quotes around strings.
fn display_json(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A compiled operand: a config value with its type settled.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand {
    Bool(bool),
    Number(f64),
    Text(Box<str>),
    Date(NaiveDate),
    DateTime(DateTime<Utc>),
    Temperature(Temperature),
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bool(b) => write!(f, "`{b}`"),
            Self::Number(n) => write!(f, "`{n}`"),
            Self::Text(s) => write!(f, "`{s}`"),
            Self::Date(d) => write!(f, "`{}`", d.format("%Y-%m-%d")),
            Self::DateTime(t) => write!(f, "`{}`", crate::time::format(t)),
            Self::Temperature(t) => write!(f, "`{}`", temperature_name(*t)),
        }
    }
}

impl Operand {
    /// The JSON type name used in reasons.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Self::Bool(_) => "boolean",
            Self::Number(_) => "number",
            Self::Text(_) => "string",
            Self::Date(_) => "date",
            Self::DateTime(_) => "datetime",
            Self::Temperature(_) => "temperature",
        }
    }

    /// Whether values of this operand's type have an order.
    pub(crate) fn is_ordered(&self) -> bool {
        matches!(
            self,
            Self::Number(_) | Self::Date(_) | Self::DateTime(_) | Self::Temperature(_)
        )
    }
}

/// The JSON name of a temperature.
pub(crate) fn temperature_name(t: Temperature) -> &'static str {
    match t {
        Temperature::Cold => "cold",
        Temperature::Warm => "warm",
        Temperature::Hot => "hot",
    }
}

/// A temperature from its JSON name.
pub(crate) fn temperature_from_name(s: &str) -> Option<Temperature> {
    match s {
        "cold" => Some(Temperature::Cold),
        "warm" => Some(Temperature::Warm),
        "hot" => Some(Temperature::Hot),
        _ => None,
    }
}

/// Text typed the way lead attributes are: `YYYY-MM-DD` dates and RFC 3339 date-times.
fn typed_text(s: &str) -> Option<AttrValue> {
    let looks_dated = s.len() >= 10 && s.as_bytes().get(4) == Some(&b'-');
    if !looks_dated {
        return None;
    }
    serde_json::from_value(Value::String(s.to_string())).ok()
}

/// Whether a date and a date-time fall on the same UTC calendar day, or how they order by it.
fn date_of(t: &DateTime<Utc>) -> NaiveDate {
    t.date_naive()
}

/// Equality of a present value and an operand; `None` when the types cannot be compared.
pub(crate) fn equals(seen: &Seen<'_>, op: &Operand) -> Option<bool> {
    order_or_eq(seen, op, true).map(|o| o == Ordering::Equal)
}

/// Order of a present value relative to an operand; `None` when the types have no common order.
pub(crate) fn order(seen: &Seen<'_>, op: &Operand) -> Option<Ordering> {
    order_or_eq(seen, op, false)
}

fn order_or_eq(seen: &Seen<'_>, op: &Operand, equality: bool) -> Option<Ordering> {
    match (seen, op) {
        (Seen::Number(a), Operand::Number(b)) => a.partial_cmp(b),
        (Seen::Date(a), Operand::Date(b)) => Some(a.cmp(b)),
        (Seen::DateTime(a), Operand::DateTime(b)) => Some(a.cmp(b)),
        // A date against a date-time compares UTC calendar days.
        (Seen::Date(a), Operand::DateTime(b)) => Some(a.cmp(&date_of(b))),
        (Seen::DateTime(a), Operand::Date(b)) => Some(date_of(a).cmp(b)),
        (Seen::Temperature(a), Operand::Temperature(b)) => Some(a.cmp(b)),
        (Seen::Bool(a), Operand::Bool(b)) if equality => Some(a.cmp(b)),
        (Seen::Text(a), Operand::Text(b)) if equality => Some(if a.eq_ignore_ascii_case(b) {
            Ordering::Equal
        } else {
            Ordering::Less
        }),
        _ => None,
    }
}

/// Order of two operands of one config (for `between` bounds); `None` when not comparable.
pub(crate) fn operand_order(a: &Operand, b: &Operand) -> Option<Ordering> {
    match (a, b) {
        (Operand::Number(x), Operand::Number(y)) => x.partial_cmp(y),
        (Operand::Date(x), Operand::Date(y)) => Some(x.cmp(y)),
        (Operand::DateTime(x), Operand::DateTime(y)) => Some(x.cmp(y)),
        (Operand::Date(x), Operand::DateTime(y)) => Some(x.cmp(&date_of(y))),
        (Operand::DateTime(x), Operand::Date(y)) => Some(date_of(x).cmp(y)),
        (Operand::Temperature(x), Operand::Temperature(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// `needle` occurs in `haystack`, ignoring ASCII case (byte-wise; UTF-8 matches align on
/// characters because a valid needle cannot start inside a multi-byte sequence).
pub(crate) fn contains_ignore_ascii_case(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// `text` starts with `prefix`, ignoring ASCII case.
pub(crate) fn starts_with_ignore_ascii_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_datetimes_compare_by_utc_day() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        let t = crate::time::parse("2026-01-31T10:00:00Z").unwrap();
        assert_eq!(equals(&Seen::DateTime(t), &Operand::Date(d)), Some(true));
        assert_eq!(
            order(&Seen::Date(d), &Operand::DateTime(t)),
            Some(Ordering::Equal)
        );
    }

    #[test]
    fn text_equality_ignores_ascii_case_only() {
        assert_eq!(
            equals(&Seen::Text("SaaS"), &Operand::Text("saas".into())),
            Some(true)
        );
        assert_eq!(order(&Seen::Text("b"), &Operand::Text("a".into())), None);
        assert_eq!(equals(&Seen::Number(1.0), &Operand::Text("1".into())), None);
        assert!(contains_ignore_ascii_case("北京SaaS公司", "saas"));
        assert!(!contains_ignore_ascii_case("北京", "京北"));
        assert!(starts_with_ignore_ascii_case("Beijing", "bei"));
        assert!(!starts_with_ignore_ascii_case("Be", "bei"));
    }

    #[test]
    fn json_values_are_typed_like_attributes() {
        let v = serde_json::json!("2026-01-02");
        assert!(matches!(Seen::json(Some(&v)), Seen::Date(_)));
        let v = serde_json::json!("  ");
        assert!(matches!(Seen::json(Some(&v)), Seen::Missing));
        let v = serde_json::json!(["a", 1]);
        assert_eq!(Seen::json(Some(&v)).type_name(), "list");
    }
}
