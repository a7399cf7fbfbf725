//! Ops on lead pools; each is one call of the public API, with the policy as the config:
//! - `pool_load_policy`: `{}` → the normalized policy config (defaults filled in).
//! - `pool_apply`: `{state?, command, now}` → `{state, effects, reasons, decisions?, next_check_at}`.
//! - `pool_tick`: `{state?, now}` → the same shape as `pool_apply`.
//! - `pool_due`: `{state?, now}` → `{timers, nurture}`.
//! - `pool_replay`: `{state?, log}` → `{state, results}`.
//! - `pool_assign_preview`: `{state?, lead, now}` → the routing decision.
//! - `pool_simulate_day`: `{state?, arrivals}` → the day report.
//! - `pool_needs`: `{commands, records?, now?}` → `{leads, reps, teams}`.
//! - `pool_apply_rows`: `{records?, commands, now}` → `{results, rows, log}`.
//! - `pool_tick_rows`: `{records?, now}` → `{results, rows, log}`.
//!
//! Commands may carry an `id`; `commands` is one command or a list.
//! An absent or null `state` is the empty state.

use crate::support::instant;
use chrono::{DateTime, Utc};
use leadcore::input::{self, Config};
use leadcore::pool::{self, LogEntry, Policy, PolicyConfig, PoolState, Records, Request};
use leadcore::{Error, Lead};
use serde::de::DeserializeOwned;
use serde_json::Value;

const OPS: [&str; 10] = [
    "pool_load_policy",
    "pool_apply",
    "pool_tick",
    "pool_due",
    "pool_replay",
    "pool_assign_preview",
    "pool_simulate_day",
    "pool_needs",
    "pool_apply_rows",
    "pool_tick_rows",
];

fn arg<T: DeserializeOwned>(input: &Value, name: &str) -> Result<T, Error> {
    let value = input.get(name).cloned().unwrap_or(Value::Null);
    Ok(input::from_value(value).map_err(|e| e.at(name))?)
}

fn now(input: &Value) -> Result<DateTime<Utc>, Error> {
    instant(input, "now")
}

fn requests(input: &Value) -> Result<Vec<Request>, Error> {
    let value = input.get("commands").cloned().unwrap_or(Value::Null);
    Ok(Request::list_from_value(value).map_err(|e| e.at("commands"))?)
}

fn records(input: &Value) -> Result<Records, Error> {
    match input.get("records") {
        None | Some(Value::Null) => Ok(Records::default()),
        Some(_) => arg(input, "records"),
    }
}

fn state(input: &Value) -> Result<PoolState, Error> {
    match input.get("state") {
        None | Some(Value::Null) => Ok(PoolState::default()),
        Some(_) => arg(input, "state"),
    }
}

/// `{state, …applied}`: the new state next to the result of the call.
fn with_state(state: &PoolState, applied: &pool::Applied) -> Value {
    let mut v = input::to_value(applied);
    if let Value::Object(map) = &mut v {
        map.insert("state".into(), input::to_value(state));
    }
    v
}

pub fn run(op: &str, config: &Value, input: &Value) -> Option<Result<Value, Error>> {
    if !OPS.contains(&op) {
        return None;
    }
    let run = || -> Result<Value, Error> {
        if op == "pool_load_policy" {
            return Ok(input::to_value(&PolicyConfig::from_value(config.clone())?));
        }
        let policy = Policy::from_value(config.clone())?;
        match op {
            "pool_apply" => {
                let mut s = state(input)?;
                let value = input.get("command").cloned().unwrap_or(Value::Null);
                let request = Request::from_value(value).map_err(|e| e.at("command"))?;
                let applied = pool::apply_request(&mut s, &policy, &request, now(input)?)?;
                Ok(with_state(&s, &applied))
            }
            "pool_tick" => {
                let mut s = state(input)?;
                let applied = pool::tick(&mut s, &policy, now(input)?)?;
                Ok(with_state(&s, &applied))
            }
            "pool_due" => Ok(input::to_value(&pool::due(
                &state(input)?,
                &policy,
                now(input)?,
            )?)),
            "pool_replay" => {
                let log: Vec<LogEntry> = arg(input, "log")?;
                Ok(input::to_value(&pool::replay(
                    state(input)?,
                    &policy,
                    &log,
                )?))
            }
            "pool_needs" => {
                let at = match input.get("now") {
                    None | Some(Value::Null) => None,
                    Some(_) => Some(now(input)?),
                };
                let n = pool::needs(&records(input)?, &policy, &requests(input)?, at);
                Ok(input::to_value(&n))
            }
            "pool_apply_rows" => Ok(input::to_value(&pool::apply_rows(
                records(input)?,
                &policy,
                &requests(input)?,
                now(input)?,
            )?)),
            "pool_tick_rows" => Ok(input::to_value(&pool::tick_rows(
                records(input)?,
                &policy,
                now(input)?,
            )?)),
            "pool_assign_preview" => {
                let lead: Lead = arg(input, "lead")?;
                let d = pool::assign_preview(&state(input)?, &policy, &lead, now(input)?)?;
                Ok(input::to_value(&d))
            }
            _ => {
                let arrivals: Vec<Lead> = arg(input, "arrivals")?;
                Ok(input::to_value(&pool::simulate_day(
                    &state(input)?,
                    &policy,
                    &arrivals,
                )?))
            }
        }
    };
    Some(run())
}
