//! Periods: the day, ISO week, month, quarter or year an instant falls in, in a fixed UTC offset.
//!
//! Keys sort chronologically as text: `2026-01-31`, `2026-W05` (ISO week-year), `2026-01`,
//! `2026-Q1`, `2026`, and `all` for no grouping. leadcore has no time-zone database: the offset
//! is fixed (`+08:00` for China), which is exact for zones without daylight saving.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{ConfigError, FieldErrorKind};

/// How finely to group by time.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    /// Calendar day, `2026-01-31`.
    Day,
    /// ISO week, `2026-W05`.
    Week,
    /// Calendar month, `2026-01`.
    #[default]
    Month,
    /// Calendar quarter, `2026-Q1`.
    Quarter,
    /// Calendar year, `2026`.
    Year,
    /// No time grouping: one period, `all`.
    All,
}

impl Granularity {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
            Self::Quarter => "quarter",
            Self::Year => "year",
            Self::All => "all",
        }
    }

    /// The period key of `t` seen at UTC offset `offset`.
    pub fn key(self, t: DateTime<Utc>, offset: FixedOffset) -> String {
        self.key_of_date(t.with_timezone(&offset).date_naive())
    }

    /// The period key of a calendar date.
    pub fn key_of_date(self, d: NaiveDate) -> String {
        match self {
            Self::Day => d.format("%Y-%m-%d").to_string(),
            Self::Week => {
                let w = d.iso_week();
                format!("{:04}-W{:02}", w.year(), w.week())
            }
            Self::Month => format!("{:04}-{:02}", d.year(), d.month()),
            Self::Quarter => format!("{:04}-Q{}", d.year(), d.month0() / 3 + 1),
            Self::Year => format!("{:04}", d.year()),
            Self::All => "all".to_string(),
        }
    }

    /// Whether `key` is a well-formed period key of this granularity.
    pub fn is_key(self, key: &str) -> bool {
        let num = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
        match self {
            Self::Day => NaiveDate::parse_from_str(key, "%Y-%m-%d").is_ok() && key.len() == 10,
            Self::Week => match key.split_once("-W") {
                Some((y, w)) => {
                    num(y, 4)
                        && num(w, 2)
                        && w.parse::<u32>().is_ok_and(|w| {
                            y.parse::<i32>()
                                .ok()
                                .and_then(|y| {
                                    NaiveDate::from_isoywd_opt(y, w, chrono::Weekday::Mon)
                                })
                                .is_some()
                        })
                }
                None => false,
            },
            Self::Month => match key.split_once('-') {
                Some((y, m)) => {
                    num(y, 4) && num(m, 2) && m.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
                }
                None => false,
            },
            Self::Quarter => match key.split_once("-Q") {
                Some((y, q)) => num(y, 4) && matches!(q, "1" | "2" | "3" | "4"),
                None => false,
            },
            Self::Year => num(key, 4),
            Self::All => key == "all",
        }
    }
}

/// Parses a fixed UTC offset: `Z`, `+08:00`, `-05:30`.
pub fn parse_offset(text: &str, path: &str) -> Result<FixedOffset, ConfigError> {
    let bad = || {
        ConfigError::new(
            FieldErrorKind::InvalidValue(format!("`{text}` is not a utc offset such as `+08:00`")),
            path.to_string(),
        )
    };
    if text == "Z" {
        return FixedOffset::east_opt(0).ok_or_else(bad);
    }
    let (sign, rest) = match text.as_bytes().first() {
        Some(b'+') => (1, text.get(1..).unwrap_or("")),
        Some(b'-') => (-1, text.get(1..).unwrap_or("")),
        _ => return Err(bad()),
    };
    let (h, m) = rest.split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: i32 = h.parse().map_err(|_| bad())?;
    let m: i32 = m.parse().map_err(|_| bad())?;
    if h > 23 || m > 59 {
        return Err(bad());
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60)).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_in_china_time() {
        let t = crate::time::parse("2026-01-31T20:00:00Z").unwrap();
        let cn = parse_offset("+08:00", "p").unwrap();
        assert_eq!(Granularity::Day.key(t, cn), "2026-02-01");
        assert_eq!(Granularity::Month.key(t, cn), "2026-02");
        assert_eq!(
            Granularity::Month.key(t, parse_offset("Z", "p").unwrap()),
            "2026-01"
        );
        assert_eq!(Granularity::Quarter.key(t, cn), "2026-Q1");
        assert_eq!(Granularity::Week.key(t, cn), "2026-W05");
        assert_eq!(Granularity::Year.key(t, cn), "2026");
        assert!(!Granularity::Week.is_key("2025-W53") && Granularity::Week.is_key("2026-W53"));
        assert!(Granularity::Month.is_key("2026-12") && !Granularity::Month.is_key("2026-13"));
        assert!(Granularity::Quarter.is_key("2026-Q4") && !Granularity::Quarter.is_key("2026-Q5"));
        assert!(parse_offset("+8:00", "p").is_err());
    }
}
