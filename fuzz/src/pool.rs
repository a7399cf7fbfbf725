//! Pool targets: a whole policy + state + commands document, a stored state against a fixed
//! policy, and business calendars with SLA timers.

use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use chrono::{DateTime, Duration, Utc};
use leadcore::input;
use leadcore::pool::{Policy, PoolState, Records, Request, apply_request, due, tick};
use serde_json::{Value, json};

use crate::fixtures;

/// `{"config": policy, "state": state or its JSON text, "commands": [...], "at": [times]}`:
/// command `i` runs at `at[i]` (the last time for the rest); then `tick` and `due` at each time.
pub fn pool_json(data: &[u8]) {
    let Ok(doc) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let Ok(policy) = Policy::from_value(doc["config"].clone()) else {
        return;
    };
    let Some(mut state) = load_state(&doc["state"]) else {
        return;
    };
    let Ok(requests) = Request::list_from_value(doc["commands"].clone()) else {
        return;
    };
    let times: Vec<DateTime<Utc>> = match doc["at"].as_array() {
        Some(ts) => ts
            .iter()
            .filter_map(|t| leadcore::time::parse(t.as_str()?).ok())
            .collect(),
        None => vec![fixtures::now()],
    };
    let at = |i: usize| {
        times
            .get(i)
            .or(times.last())
            .copied()
            .unwrap_or_else(fixtures::now)
    };
    for (i, request) in requests.iter().enumerate() {
        let before = state.clone();
        if apply_request(&mut state, &policy, request, at(i)).is_err() {
            assert_eq!(state, before, "a refused command changed the state");
        }
    }
    for &now in &times {
        let _ = tick(&mut state, &policy, now);
        let _ = due(&state, &policy, now);
    }
    check_round_trip(&state);
}

/// A stored state (JSON text) against a policy with calendars, SLA timers and nurture
/// cadences: it must round-trip, and `due` / `tick` must not panic at and after its clock.
pub fn pool_state(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(value) = serde_json::from_str::<Value>(text) {
        let _ = Records::from_value(value);
    }
    let Ok(mut state) = input::from_json::<PoolState>(text) else {
        return;
    };
    check_round_trip(&state);
    let policy = due_policy();
    let start = state.clock().unwrap_or_else(fixtures::now);
    for days in [0, 1, 30, 400] {
        let Some(now) = start.checked_add_signed(Duration::days(days)) else {
            continue;
        };
        let _ = due(&state, policy, now);
        let _ = tick(&mut state, policy, now);
    }
}

/// A calendar, an SLA timer on it and a lead deposited at `created`; `due` and `tick` at `now`.
#[derive(Debug, Arbitrary)]
struct CalendarCase {
    utc_offset_minutes: i16,
    working_days: u8,
    hours: Vec<(u16, u16)>,
    holidays: Vec<i32>,
    extra_working_days: Vec<i32>,
    quarter_hours: u32,
    warn_quarter_hours: Option<u32>,
    escalate_after_hours: Vec<u16>,
    created_secs: i64,
    now_secs: Vec<i64>,
}

/// Business calendars and SLA deadlines from structured numbers (see [`CalendarCase`]).
pub fn calendar_due(data: &[u8]) {
    let Ok(case) = CalendarCase::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let Ok(policy) = Policy::from_value(case.policy()) else {
        return;
    };
    let base = fixtures::now();
    let after = |secs: i64| Duration::try_seconds(secs).and_then(|d| base.checked_add_signed(d));
    let Some(created) = after(case.created_secs) else {
        return;
    };
    let mut state = PoolState::default();
    let deposit = json!({"type": "deposit", "lead": "L1", "pool": "inbox"});
    let Ok(request) = Request::from_value(deposit) else {
        return;
    };
    if apply_request(&mut state, &policy, &request, created).is_err() {
        return;
    }
    for now in case.now_secs.iter().take(4).filter_map(|s| after(*s)) {
        let _ = due(&state, &policy, now);
        let _ = tick(&mut state, &policy, now);
    }
}

impl CalendarCase {
    fn policy(&self) -> Value {
        const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let minutes = i32::from(self.utc_offset_minutes);
        let sign = if minutes < 0 { '-' } else { '+' };
        let offset = format!("{sign}{:02}:{:02}", minutes.abs() / 60, minutes.abs() % 60);
        let clock = |m: u16| format!("{:02}:{:02}", m / 60 % 100, m % 60);
        let day = |d: &i32| {
            let base = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)?;
            let shift = chrono::Days::new(u64::from(d.unsigned_abs()));
            if *d < 0 {
                base.checked_sub_days(shift)
            } else {
                base.checked_add_days(shift)
            }
        };
        let escalation: Vec<Value> = (self.escalate_after_hours.iter().take(3))
            .map(|h| json!({"after_hours": h, "to": "pool_manager"}))
            .collect();
        json!({
            "utc_offset": offset,
            "calendars": [{
                "id": "cal",
                "utc_offset": offset,
                "working_days": (0..7).filter(|i| self.working_days >> i & 1 == 1)
                    .filter_map(|i| DAYS.get(i)).collect::<Vec<_>>(),
                "hours": self.hours.iter().take(3)
                    .map(|(s, e)| json!({"start": clock(*s), "end": clock(*e)}))
                    .collect::<Vec<_>>(),
                "holidays": self.holidays.iter().take(8).filter_map(day).collect::<Vec<_>>(),
                "extra_working_days": self.extra_working_days.iter().take(8)
                    .filter_map(day).collect::<Vec<_>>(),
            }],
            "pools": [{"id": "inbox", "kind": "active", "manager": "li"}],
            "reps": [{"id": "li", "role": "manager"}],
            "sla": [{
                "id": "cleaning",
                "start": "created",
                "hours": f64::from(self.quarter_hours) / 4.0,
                "calendar": "cal",
                "holder": "pooled",
                "warn_before_hours": self.warn_quarter_hours.map(|q| f64::from(q) / 4.0),
                "escalation": escalation,
            }],
        })
    }
}

/// A state given as an object, as its JSON text, or absent (empty).
fn load_state(value: &Value) -> Option<PoolState> {
    match value {
        Value::Null => Some(PoolState::default()),
        Value::String(text) => input::from_json(text).ok(),
        other => input::from_value(other.clone()).ok(),
    }
}

/// A state must read back equal from its JSON text and from its JSON value.
fn check_round_trip(state: &PoolState) {
    let text = serde_json::to_string(state).expect("a state serializes");
    match input::from_json::<PoolState>(&text) {
        Ok(again) => assert_eq!(&again, state, "{text}"),
        Err(e) => panic!("a state does not read its own JSON back: {e}: {text}"),
    }
}

/// The policy of the shared `pool_due` vectors: calendars, SLA timers, nurture cadences.
fn due_policy() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(|| {
        let vectors: Value =
            serde_json::from_str(include_str!("../../tests/vectors/pools/due.json"))
                .expect("the due vectors are JSON");
        Policy::from_value(vectors["cases"][0]["config"].clone()).expect("their policy compiles")
    })
}
