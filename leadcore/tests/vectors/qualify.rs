//! Qualification vectors: `load_rules`, `qualify`, `qualify_gate`, `evaluate_condition`,
//! `temperature`.
//!
//! Inputs: `lead` (a lead), `events` (optional list), `now` (RFC 3339 text), `scores` (optional
//! map of name → number), `gate` (a stage id, for `qualify_gate`), `score` (for `temperature`).
//! Input errors carry paths prefixed with the argument name (`now`, `lead.created_at`,
//! `events[2].at`, `scores.fit`).

use chrono::{DateTime, Utc};
use leadcore::condition::{self, Condition, Scores};
use leadcore::input::{self, Config};
use leadcore::qualify::{self, RuleSet, TemperatureThresholds};
use leadcore::{Error, Event, FieldErrorKind, InputError, Lead};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Maps a vector op to the public API; `None` for ops of other areas.
pub fn run(op: &str, config: &Value, input: &Value) -> Option<Result<Value, Error>> {
    let result = match op {
        "load_rules" => load_rules(config),
        "qualify" => qualify_all(config, input),
        "qualify_gate" => qualify_gate(config, input),
        "evaluate_condition" => evaluate_condition(config, input),
        "temperature" => temperature(config, input),
        _ => return None,
    };
    Some(result)
}

fn load_rules(config: &Value) -> Result<Value, Error> {
    Ok(input::to_value(&RuleSet::from_value(config.clone())?))
}

fn qualify_all(config: &Value, input: &Value) -> Result<Value, Error> {
    let rules = RuleSet::from_value(config.clone())?;
    let (lead, events, now, scores) = facts(input)?;
    Ok(input::to_value(&qualify::qualify(
        &rules, &lead, &events, now, &scores,
    )?))
}

fn qualify_gate(config: &Value, input: &Value) -> Result<Value, Error> {
    let rules = RuleSet::from_value(config.clone())?;
    let gate: String = arg(input, "gate")?;
    let (lead, events, now, scores) = facts(input)?;
    Ok(input::to_value(&qualify::qualify_gate(
        &rules, &gate, &lead, &events, now, &scores,
    )?))
}

fn evaluate_condition(config: &Value, input: &Value) -> Result<Value, Error> {
    let condition = Condition::from_value(config.clone())?;
    let (lead, events, now, scores) = facts(input)?;
    Ok(input::to_value(&condition::evaluate(
        &condition, &lead, &events, now, &scores,
    )?))
}

fn temperature(config: &Value, input: &Value) -> Result<Value, Error> {
    let thresholds = TemperatureThresholds::from_value(config.clone())?;
    let score: f64 = arg(input, "score")?;
    Ok(input::to_value(&qualify::temperature(&thresholds, score)?))
}

type FactsArgs = (Lead, Vec<Event>, DateTime<Utc>, Scores);

fn facts(input: &Value) -> Result<FactsArgs, Error> {
    let lead: Lead = arg(input, "lead")?;
    let events: Vec<Event> = opt_arg(input, "events")?.unwrap_or_default();
    let now = now(input)?;
    let scores: Scores = opt_arg(input, "scores")?.unwrap_or_default();
    Ok((lead, events, now, scores))
}

fn now(input: &Value) -> Result<DateTime<Utc>, Error> {
    match input.get("now") {
        Some(Value::String(text)) => {
            leadcore::time::parse(text).map_err(|e| prefixed(e, "now").into())
        }
        Some(other) => Err(InputError::new(
            FieldErrorKind::InvalidType(format!("invalid type: expected a date-time, got {other}")),
            "now",
        )
        .into()),
        None => Err(missing("now")),
    }
}

fn arg<T: DeserializeOwned>(input: &Value, name: &str) -> Result<T, Error> {
    opt_arg(input, name)?.ok_or_else(|| missing(name))
}

fn opt_arg<T: DeserializeOwned>(input: &Value, name: &str) -> Result<Option<T>, Error> {
    match input.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => input::from_value(v.clone())
            .map(Some)
            .map_err(|e| prefixed(e, name).into()),
    }
}

fn missing(name: &str) -> Error {
    InputError::new(
        FieldErrorKind::MissingField(format!("missing field `{name}`")),
        name,
    )
    .into()
}

fn prefixed(e: InputError, name: &str) -> InputError {
    let path = match e.path.as_str() {
        "$" => name.to_string(),
        p if p.starts_with('[') => format!("{name}{p}"),
        p => format!("{name}.{p}"),
    };
    InputError::new(e.kind, path)
}
