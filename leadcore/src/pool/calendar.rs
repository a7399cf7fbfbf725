//! Business-hours calendars: working days (Saturday included where configured), working hours,
//! holidays and make-up working days (调休) as data, and deadlines counted in business time.
//!
//! A calendar lives in one fixed UTC offset (China has no daylight saving: `+08:00`). Deadlines
//! are counted only inside working intervals: 8 business hours from Friday 17:00 on a
//! Monday–Friday 09:00–18:00 calendar end on Monday 16:00.

use std::collections::BTreeSet;

use chrono::{
    DateTime, Datelike, Days, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc,
};
use serde::{Deserialize, Serialize};

use crate::error::ConfigError;

/// A day of the week, written `mon` … `sun`.
#[derive(
    Debug,
    Clone,
    Copy,
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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
    /// Working seconds in seven consecutive days without holidays or make-up days.
    weekly_secs: i64,
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

impl CalendarConfig {
    /// Validates the calendar found at JSON path `at` and compiles it.
    pub fn compile_at(&self, at: &str) -> Result<Calendar, ConfigError> {
        if self.id.trim().is_empty() {
            return Err(ConfigError::invalid("`id` is empty", format!("{at}.id")));
        }
        let offset = parse_offset(&self.utc_offset).ok_or_else(|| {
            ConfigError::invalid(
                format!("`{}` is not a utc offset such as `+08:00`", self.utc_offset),
                format!("{at}.utc_offset"),
            )
        })?;
        if self.working_days.is_empty() && self.extra_working_days.is_empty() {
            return Err(ConfigError::invalid(
                "a calendar with no working day has no working time",
                format!("{at}.working_days"),
            ));
        }
        if self.hours.is_empty() {
            return Err(ConfigError::invalid(
                "a calendar with no working hours has no working time",
                format!("{at}.hours"),
            ));
        }
        let mut intervals = Vec::with_capacity(self.hours.len());
        let mut last_end = 0;
        for (i, h) in self.hours.iter().enumerate() {
            let path = format!("{at}.hours[{i}]");
            let start = parse_hhmm(&h.start).ok_or_else(|| {
                ConfigError::invalid(
                    format!("`{}` is not a time such as `09:00`", h.start),
                    format!("{path}.start"),
                )
            })?;
            let end = parse_hhmm(&h.end).ok_or_else(|| {
                ConfigError::invalid(
                    format!("`{}` is not a time such as `18:00`", h.end),
                    format!("{path}.end"),
                )
            })?;
            if start >= end {
                return Err(ConfigError::invalid(
                    format!("the interval `{}`–`{}` is empty", h.start, h.end),
                    path,
                ));
            }
            if start < last_end {
                return Err(ConfigError::invalid(
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
            return Err(ConfigError::invalid(
                "a date cannot be both a holiday and an extra working day",
                format!("{at}.extra_working_days[{i}]"),
            ));
        }
        let daily: i64 = intervals.iter().map(|&(s, e)| i64::from(e - s)).sum();
        let weekdays = days.iter().filter(|d| **d).count() as i64;
        Ok(Calendar {
            offset,
            days,
            intervals,
            holidays,
            extra,
            weekly_secs: daily * weekdays * 60,
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
    /// working time in reach (no working weekday and no make-up day left).
    ///
    /// A zero span gives `start` itself. Business time is counted to the second. A deadline
    /// past [`crate::time::MAX`] is that instant ("never"), not an error.
    ///
    /// Cost: stretches of whole weeks without a holiday or make-up day are skipped
    /// arithmetically (the working time of a week is computed once, at compile), so the walk
    /// visits at most `7 × (holidays + make-up days + 3) + 8` days, whatever the span:
    /// 100 years of business time on a calendar open one minute a week is a few steps.
    pub fn add(&self, start: DateTime<Utc>, span: Duration) -> Option<DateTime<Utc>> {
        if span <= Duration::zero() {
            return Some(start);
        }
        let mut remaining = span;
        let local = start.with_timezone(&self.offset).naive_local();
        let mut date = local.date();
        let mut cursor = Some(local);
        let specials = self.holidays.len() + self.extra.len();
        let limit = 7 * (specials + 3) + 8;
        let mut walked = 0usize;
        while walked <= limit {
            if cursor.is_none() {
                if self.weekly_secs == 0 && self.extra.range(date..).next().is_none() {
                    // Only make-up days are working days, and none is left.
                    return None;
                }
                if let Some(weeks) = self.clean_weeks_to_skip(date, remaining) {
                    remaining -= Duration::try_seconds(self.weekly_secs.saturating_mul(weeks))?;
                    match u64::try_from(weeks)
                        .ok()
                        .and_then(|w| date.checked_add_days(Days::new(w.saturating_mul(7))))
                    {
                        Some(d) => date = d,
                        None => return Some(crate::time::MAX),
                    }
                    continue;
                }
            }
            walked += 1;
            if self.is_working_day(date) {
                let midnight = date.and_time(NaiveTime::MIN);
                for &(s, e) in &self.intervals {
                    let (Some(open), Some(close)) = (
                        midnight.checked_add_signed(Duration::minutes(i64::from(s))),
                        midnight.checked_add_signed(Duration::minutes(i64::from(e))),
                    ) else {
                        return Some(crate::time::MAX);
                    };
                    let from = match cursor {
                        Some(c) if c > open => c,
                        _ => open,
                    };
                    if from >= close {
                        continue;
                    }
                    let available = close - from;
                    if remaining <= available {
                        return Some(
                            from.checked_add_signed(remaining)
                                .and_then(|end| self.to_utc(end))
                                .map_or(crate::time::MAX, crate::time::clamp),
                        );
                    }
                    remaining -= available;
                }
            }
            cursor = None;
            match date.succ_opt() {
                Some(d) => date = d,
                None => return Some(crate::time::MAX),
            }
        }
        // Not reached: every day walked one by one is within a week of a holiday or make-up
        // day, or within the last week of the span.
        None
    }

    /// How many whole weeks from local midnight of `date` can be skipped: weeks with no
    /// holiday or make-up day, all of whose working time is used (strictly less than
    /// `remaining`, so the deadline itself is found by the day walk). `None` for none.
    fn clean_weeks_to_skip(&self, date: NaiveDate, remaining: Duration) -> Option<i64> {
        if self.weekly_secs <= 0 {
            return None;
        }
        let next_special = [
            self.holidays.range(date..).next(),
            self.extra.range(date..).next(),
        ]
        .into_iter()
        .flatten()
        .min();
        let clean = next_special.map_or(i64::MAX, |s| s.signed_duration_since(date).num_days() / 7);
        let remaining_ns = i128::from(remaining.num_seconds()) * 1_000_000_000
            + i128::from(remaining.subsec_nanos());
        let needed = (remaining_ns - 1) / (i128::from(self.weekly_secs) * 1_000_000_000);
        let weeks = i64::try_from(needed).unwrap_or(i64::MAX).min(clean);
        (weeks > 0).then_some(weeks)
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

    /// The day-by-day walk the week jumps must agree with (no bound: test spans only).
    fn reference_add(c: &Calendar, start: DateTime<Utc>, span: Duration) -> Option<DateTime<Utc>> {
        if span <= Duration::zero() {
            return Some(start);
        }
        let mut remaining = span;
        let local = start.with_timezone(&c.offset).naive_local();
        let mut date = local.date();
        let mut cursor = Some(local);
        for _ in 0..200_000 {
            if c.is_working_day(date) {
                let midnight = date.and_time(NaiveTime::MIN);
                for &(s, e) in &c.intervals {
                    let open = midnight + Duration::minutes(i64::from(s));
                    let close = midnight + Duration::minutes(i64::from(e));
                    let from = match cursor {
                        Some(x) if x > open => x,
                        _ => open,
                    };
                    if from >= close {
                        continue;
                    }
                    if remaining <= close - from {
                        return c.to_utc(from + remaining);
                    }
                    remaining -= close - from;
                }
            }
            cursor = None;
            date = date.succ_opt()?;
        }
        None
    }

    fn one_minute_a_week(day: &str) -> Calendar {
        cal(&format!(
            r#"{{"id": "x", "utc_offset": "+08:00", "working_days": ["{day}"],
            "hours": [{{"start": "09:00", "end": "09:01"}}]}}"#
        ))
        .unwrap()
    }

    /// Issue 15, class 3: the documented maximum SLA (36,500 days of business hours) on a
    /// calendar open one minute a week overflowed chrono's last date (Monday: a panic) or
    /// walked ~95 M days (other weekdays). Week jumps make it a few steps; past 9999 the
    /// deadline is `time::MAX`.
    #[test]
    fn longest_span_on_the_thinnest_calendar_saturates_quickly() {
        let start = parse("2026-11-23T08:00:00+08:00").unwrap();
        let max = Duration::hours(36_500 * 24);
        for day in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
            let c = one_minute_a_week(day);
            let begun = std::time::Instant::now();
            assert_eq!(c.add(start, max), Some(crate::time::MAX), "{day}");
            assert!(
                begun.elapsed() < std::time::Duration::from_millis(50),
                "{day}"
            );
            // 52 weeks of one minute: the 52nd Monday (or other day) after the start.
            let end = c.add(start, Duration::minutes(52)).unwrap();
            assert_eq!(
                end,
                reference_add(&c, start, Duration::minutes(52)).unwrap()
            );
        }
        // A calendar of make-up days only runs out of working time: `None`, not a hang.
        let only_extra = cal(
            r#"{"id": "x", "working_days": [], "extra_working_days": ["2026-12-05"],
            "hours": [{"start": "09:00", "end": "18:00"}]}"#,
        )
        .unwrap();
        assert_eq!(
            only_extra.add(start, Duration::hours(9)),
            Some(parse("2026-12-05T18:00:00Z").unwrap())
        );
        assert_eq!(only_extra.add(start, Duration::hours(10)), None);
    }

    proptest::proptest! {
        /// Jumping whole weeks gives exactly the day-by-day walk's deadline, with holidays and
        /// make-up days anywhere.
        #[test]
        fn week_jumps_agree_with_the_day_walk(
            days in proptest::collection::vec(proptest::bool::ANY, 7),
            holidays in proptest::collection::vec(0u64..400, 0..12),
            extra in proptest::collection::vec(0u64..400, 0..6),
            start_min in 0i64..(400 * 1440),
            span_min in 0i64..(200 * 60 * 24),
            span_sec in 0i64..60,
        ) {
            let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
            let working: Vec<&str> = names.iter().zip(&days).filter(|(_, d)| **d).map(|(n, _)| *n).collect();
            let base = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
            let date = |d: &u64| (base + chrono::Days::new(*d)).to_string();
            let hol: std::collections::BTreeSet<String> = holidays.iter().map(date).collect();
            let ext: Vec<String> = extra.iter().map(date).filter(|d| !hol.contains(d)).collect();
            let c = CalendarConfig {
                id: "p".into(),
                utc_offset: "+08:00".into(),
                working_days: working.iter().map(|n| serde_json::from_value(serde_json::json!(n)).unwrap()).collect(),
                hours: vec![
                    WorkingHours { start: "09:00".into(), end: "12:00".into() },
                    WorkingHours { start: "13:30".into(), end: "18:00".into() },
                ],
                holidays: hol.iter().map(|d| d.parse().unwrap()).collect(),
                extra_working_days: ext.iter().map(|d| d.parse().unwrap()).collect(),
            };
            let Ok(c) = c.compile_at("c") else { return Ok(()) };
            let start = parse("2026-01-01T00:00:00Z").unwrap() + Duration::minutes(start_min);
            let span = Duration::minutes(span_min) + Duration::seconds(span_sec);
            proptest::prop_assert_eq!(c.add(start, span), reference_add(&c, start, span));
        }
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
