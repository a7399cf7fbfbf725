//! Business-hours calendars: working days (Saturday included where configured), working hours,
//! holidays and make-up working days (调休) as data, and deadlines counted in business time.
//!
//! A calendar lives in one fixed UTC offset (China has no daylight saving: `+08:00`). Deadlines
//! are counted only inside working intervals: 8 business hours from Friday 17:00 on a
//! Monday–Friday 09:00–18:00 calendar end on Monday 16:00.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{ConfigError, FieldErrorKind};

/// A day of the week, written `mon` … `sun`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Weekday {
    fn index(self) -> usize {
        self as usize
    }
}

/// One working interval of a day, in local time (`"09:00"` to `"12:00"`; `"24:00"` ends at
/// midnight).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkingHours {
    /// Start, `HH:MM` local time.
    pub start: String,
    /// End, `HH:MM` local time, after `start`.
    pub end: String,
}

/// A business calendar as configured.
///
/// ```json
/// {"id": "cn_sat", "utc_offset": "+08:00",
///  "working_days": ["mon", "tue", "wed", "thu", "fri", "sat"],
///  "hours": [{"start": "09:00", "end": "12:00"}, {"start": "13:30", "end": "18:00"}],
///  "holidays": ["2026-10-01", "2026-10-02"], "extra_working_days": ["2026-10-11"]}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarConfig {
    /// Calendar id, referenced by reps and SLA timers.
    pub id: String,
    /// The calendar's fixed UTC offset, `+08:00` style (`Z` for UTC).
    #[serde(default = "utc_offset_default")]
    pub utc_offset: String,
    /// Days of the week that are working days.
    pub working_days: Vec<Weekday>,
    /// Working intervals of a working day, in order, not overlapping.
    pub hours: Vec<WorkingHours>,
    /// Dates that are not working days even if their weekday is.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<NaiveDate>,
    /// Dates that are working days even if their weekday is not (make-up days, 调休).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_working_days: Vec<NaiveDate>,
}

fn utc_offset_default() -> String {
    "+00:00".into()
}

/// A validated calendar: answers "is this instant working time?" and "when is N business hours
/// after this instant?".
#[derive(Debug, Clone)]
pub struct Calendar {
    offset: FixedOffset,
    days: [bool; 7],
    /// Working intervals in minutes after local midnight.
    intervals: Vec<(u32, u32)>,
    holidays: BTreeSet<NaiveDate>,
    extra: BTreeSet<NaiveDate>,
}

/// Parses `+08:00`, `-05:30`, `+0800` or `Z` into a fixed offset.
pub fn parse_offset(text: &str) -> Option<FixedOffset> {
    if text == "Z" || text == "z" {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, text.get(1..)?),
        b'-' => (-1, text.get(1..)?),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) || rest.len() > 5 {
        return None;
    }
    let h: i32 = digits.get(..2)?.parse().ok()?;
    let m: i32 = digits.get(2..)?.parse().ok()?;
    if h > 23 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

fn parse_hhmm(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    if m > 59 || h > 24 || (h == 24 && m != 0) {
        return None;
    }
    Some(h * 60 + m)
}

fn invalid(message: impl Into<String>, path: String) -> ConfigError {
    ConfigError::new(FieldErrorKind::InvalidValue(message.into()), path)
}

impl CalendarConfig {
    /// Validates the calendar found at JSON path `at` and compiles it.
    pub fn compile_at(&self, at: &str) -> Result<Calendar, ConfigError> {
        if self.id.trim().is_empty() {
            return Err(invalid("`id` is empty", format!("{at}.id")));
        }
        let offset = parse_offset(&self.utc_offset).ok_or_else(|| {
            invalid(
                format!("`{}` is not a utc offset such as `+08:00`", self.utc_offset),
                format!("{at}.utc_offset"),
            )
        })?;
        if self.working_days.is_empty() && self.extra_working_days.is_empty() {
            return Err(invalid(
                "a calendar with no working day has no working time",
                format!("{at}.working_days"),
            ));
        }
        if self.hours.is_empty() {
            return Err(invalid(
                "a calendar with no working hours has no working time",
                format!("{at}.hours"),
            ));
        }
        let mut intervals = Vec::with_capacity(self.hours.len());
        let mut last_end = 0;
        for (i, h) in self.hours.iter().enumerate() {
            let path = format!("{at}.hours[{i}]");
            let start = parse_hhmm(&h.start).ok_or_else(|| {
                invalid(
                    format!("`{}` is not a time such as `09:00`", h.start),
                    format!("{path}.start"),
                )
            })?;
            let end = parse_hhmm(&h.end).ok_or_else(|| {
                invalid(
                    format!("`{}` is not a time such as `18:00`", h.end),
                    format!("{path}.end"),
                )
            })?;
            if start >= end {
                return Err(invalid(
                    format!("the interval `{}`–`{}` is empty", h.start, h.end),
                    path,
                ));
            }
            if start < last_end {
                return Err(invalid(
                    "working intervals must be in order and not overlap",
                    path,
                ));
            }
            last_end = end;
            intervals.push((start, end));
        }
        let mut days = [false; 7];
        for d in &self.working_days {
            if let Some(slot) = days.get_mut(d.index()) {
                *slot = true;
            }
        }
        let holidays: BTreeSet<NaiveDate> = self.holidays.iter().copied().collect();
        let extra: BTreeSet<NaiveDate> = self.extra_working_days.iter().copied().collect();
        if let Some((i, _)) = self
            .extra_working_days
            .iter()
            .enumerate()
            .find(|(_, d)| holidays.contains(d))
        {
            return Err(invalid(
                "a date cannot be both a holiday and an extra working day",
                format!("{at}.extra_working_days[{i}]"),
            ));
        }
        Ok(Calendar {
            offset,
            days,
            intervals,
            holidays,
            extra,
        })
    }
}

impl Calendar {
    /// The calendar's UTC offset.
    pub fn offset(&self) -> FixedOffset {
        self.offset
    }

    /// The local calendar date of an instant.
    pub fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.offset).date_naive()
    }

    /// Whether `date` (local) is a working day.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.extra.contains(&date) {
            return true;
        }
        let wd = date.weekday().num_days_from_monday() as usize;
        self.days.get(wd).copied().unwrap_or(false) && !self.holidays.contains(&date)
    }

    /// Whether `t` falls inside a working interval of a working day.
    pub fn is_open(&self, t: DateTime<Utc>) -> bool {
        let local = t.with_timezone(&self.offset).naive_local();
        if !self.is_working_day(local.date()) {
            return false;
        }
        let minute = local
            .time()
            .signed_duration_since(NaiveTime::MIN)
            .num_minutes();
        let minute = u32::try_from(minute).unwrap_or(0);
        self.intervals
            .iter()
            .any(|&(s, e)| s <= minute && minute < e)
    }

    /// The instant `span` of business time after `start`; `None` only if the calendar has no
    /// working time in reach (holidays covering every working day for years).
    ///
    /// A zero span gives `start` itself. Business time is counted to the second.
    pub fn add(&self, start: DateTime<Utc>, span: Duration) -> Option<DateTime<Utc>> {
        if span <= Duration::zero() {
            return Some(start);
        }
        let mut remaining = span;
        let local = start.with_timezone(&self.offset).naive_local();
        let mut date = local.date();
        let mut cursor = Some(local);
        let daily: i64 = self.intervals.iter().map(|&(s, e)| i64::from(e - s)).sum();
        let needed_days = remaining.num_minutes() / daily.max(1) + 2;
        let limit = needed_days * 7 + self.holidays.len() as i64 + 14;
        for _ in 0..limit {
            if self.is_working_day(date) {
                let midnight = date.and_time(NaiveTime::MIN);
                for &(s, e) in &self.intervals {
                    let open = midnight + Duration::minutes(i64::from(s));
                    let close = midnight + Duration::minutes(i64::from(e));
                    let from = match cursor {
                        Some(c) if c > open => c,
                        _ => open,
                    };
                    if from >= close {
                        continue;
                    }
                    let available = close - from;
                    if remaining <= available {
                        return self.to_utc(from + remaining);
                    }
                    remaining -= available;
                }
            }
            cursor = None;
            date = date.succ_opt()?;
        }
        None
    }

    fn to_utc(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        local
            .and_local_timezone(self.offset)
            .single()
            .map(|t| t.with_timezone(&Utc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{format, parse};

    fn cal(json: &str) -> Result<Calendar, ConfigError> {
        let c: CalendarConfig = serde_json::from_str(json).unwrap();
        c.compile_at("calendars[0]")
    }

    fn weekdays() -> Calendar {
        cal(
            r#"{"id": "cn", "utc_offset": "+08:00", "working_days": ["mon","tue","wed","thu","fri"],
            "hours": [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "18:00"}],
            "holidays": ["2026-10-01"], "extra_working_days": ["2026-10-10"]}"#,
        )
        .unwrap()
    }

    #[test]
    fn business_hours_skip_nights_weekends_lunch_and_holidays() {
        let c = weekdays();
        // Friday 2026-11-20 17:00 +08:00 + 8 business hours = Monday 17:00 (+08:00): lunch excluded.
        let start = parse("2026-11-20T17:00:00+08:00").unwrap();
        let end = c.add(start, Duration::hours(8)).unwrap();
        assert_eq!(format(&end), "2026-11-23T09:00:00Z");
        // Lunch break: 11:00 + 2h = 14:00.
        let end = c
            .add(
                parse("2026-11-23T11:00:00+08:00").unwrap(),
                Duration::hours(2),
            )
            .unwrap();
        assert_eq!(format(&end), "2026-11-23T06:00:00Z");
        // Before opening: starts counting at 09:00.
        let end = c
            .add(
                parse("2026-11-23T02:00:00+08:00").unwrap(),
                Duration::hours(1),
            )
            .unwrap();
        assert_eq!(format(&end), "2026-11-23T02:00:00Z");
        // Holiday Thursday 2026-10-01 is skipped; Saturday 2026-10-10 is a make-up day.
        let end = c
            .add(
                parse("2026-09-30T18:00:00+08:00").unwrap(),
                Duration::hours(8),
            )
            .unwrap();
        assert_eq!(format(&end), "2026-10-02T10:00:00Z");
        let end = c
            .add(
                parse("2026-10-09T18:00:00+08:00").unwrap(),
                Duration::hours(1),
            )
            .unwrap();
        assert_eq!(format(&end), "2026-10-10T02:00:00Z");
        // 48 business hours = 6 working days of 8 hours.
        let end = c
            .add(
                parse("2026-11-23T09:00:00+08:00").unwrap(),
                Duration::hours(48),
            )
            .unwrap();
        assert_eq!(format(&end), "2026-11-30T10:00:00Z");
    }

    #[test]
    fn open_hours() {
        let c = weekdays();
        assert!(c.is_open(parse("2026-11-23T09:00:00+08:00").unwrap()));
        assert!(!c.is_open(parse("2026-11-23T12:30:00+08:00").unwrap()));
        assert!(!c.is_open(parse("2026-11-22T10:00:00+08:00").unwrap()));
        assert!(!c.is_open(parse("2026-10-01T10:00:00+08:00").unwrap()));
        assert!(c.is_open(parse("2026-10-10T10:00:00+08:00").unwrap()));
    }

    #[test]
    fn bad_calendars_name_the_field() {
        let e = cal(
            r#"{"id": "x", "working_days": [], "hours": [{"start": "09:00", "end": "18:00"}]}"#,
        )
        .unwrap_err();
        assert_eq!(
            (e.code(), e.path.as_str()),
            ("invalid_value", "calendars[0].working_days")
        );
        let e = cal(r#"{"id": "x", "working_days": ["mon"], "hours": []}"#).unwrap_err();
        assert_eq!(e.path, "calendars[0].hours");
        let e = cal(r#"{"id": "x", "working_days": ["mon"], "hours": [{"start": "18:00", "end": "09:00"}]}"#)
            .unwrap_err();
        assert_eq!(e.path, "calendars[0].hours[0]");
        let e = cal(
            r#"{"id": "x", "working_days": ["mon"], "hours": [{"start": "9:00", "end": "18:00"}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.path, "calendars[0].hours[0].start");
        let e = cal(r#"{"id": "x", "utc_offset": "+8", "working_days": ["mon"], "hours": [{"start": "09:00", "end": "18:00"}]}"#)
            .unwrap_err();
        assert_eq!(e.path, "calendars[0].utc_offset");
    }

    #[test]
    fn offsets_parse() {
        assert_eq!(parse_offset("+08:00").unwrap().local_minus_utc(), 8 * 3600);
        assert_eq!(
            parse_offset("-0530").unwrap().local_minus_utc(),
            -(5 * 3600 + 1800)
        );
        assert_eq!(parse_offset("Z").unwrap().local_minus_utc(), 0);
        assert!(parse_offset("+8").is_none());
        assert!(parse_offset("08:00").is_none());
        assert!(parse_offset("+24:00").is_none());
    }
}
