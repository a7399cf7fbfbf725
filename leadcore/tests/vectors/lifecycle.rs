//! Lifecycle vectors: pipelines, transitions, due policies, stage times, lead conversion.
//!
//! Ops (each a thin call of one public function):
//! - `load_pipeline`: config = pipeline (or `{"preset": …}`) → the normalized pipeline.
//! - `pipeline_edges`: config = pipeline, input `{"from"?: stage}` → allowed moves.
//! - `transition`: config = pipeline, input `{lead, request, now}` → `Transitioned`.
//! - `due`: config = pipeline, input `{lead, events, now}` → list of `Due`.
//! - `stage_times`: input `{lead, now}` → `StageTimes`.
//! - `convert_lead`: config = field mapping, input `{lead}` → `Converted`.

use chrono::{DateTime, Utc};
use leadcore::convert::{FieldMapping, convert_lead};
use leadcore::input::{Config, from_value, to_value};
use leadcore::lifecycle::{TransitionRequest, due, stage_times, transition};
use leadcore::pipeline::Pipeline;
use leadcore::{Error, Event, InputError, Lead};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A timestamp argument: RFC 3339 text with an offset.
#[derive(Deserialize)]
struct Instant(#[serde(with = "leadcore::time::rfc3339")] DateTime<Utc>);

/// Argument `name` of the input, with errors reported at `name` / `name.field`.
fn arg<T: DeserializeOwned>(input: &Value, name: &str) -> Result<T, Error> {
    let value = input.get(name).cloned().unwrap_or(Value::Null);
    from_value(value).map_err(|e| {
        let path = match e.path.as_str() {
            "$" => name.to_string(),
            p if p.starts_with('[') => format!("{name}{p}"),
            p => format!("{name}.{p}"),
        };
        Error::Input(InputError::new(e.kind, path))
    })
}

fn now(input: &Value) -> Result<DateTime<Utc>, Error> {
    arg::<Instant>(input, "now").map(|i| i.0)
}

pub fn run(op: &str, config: &Value, input: &Value) -> Option<Result<Value, Error>> {
    let pipeline = || Pipeline::from_value(config.clone()).map_err(Error::from);
    let result = match op {
        "load_pipeline" => pipeline().map(|p| to_value(&p)),
        "pipeline_edges" => (|| {
            let p = pipeline()?;
            let from: Option<String> = arg(input, "from")?;
            Ok(to_value(&match from {
                Some(stage) => p.edges_from(&stage),
                None => p.edges(),
            }))
        })(),
        "transition" => (|| {
            let p = pipeline()?;
            let lead: Lead = arg(input, "lead")?;
            let request: TransitionRequest = arg(input, "request")?;
            Ok(to_value(&transition(&lead, &request, &p, now(input)?)?))
        })(),
        "due" => (|| {
            let p = pipeline()?;
            let lead: Lead = arg(input, "lead")?;
            let events: Vec<Event> = arg(input, "events")?;
            Ok(to_value(&due(&lead, &events, &p, now(input)?)?))
        })(),
        "stage_times" => (|| {
            let lead: Lead = arg(input, "lead")?;
            Ok(to_value(&stage_times(&lead, now(input)?)?))
        })(),
        "convert_lead" => (|| {
            let mapping = FieldMapping::from_value(config.clone())?;
            let lead: Lead = arg(input, "lead")?;
            Ok(to_value(&convert_lead(&lead, &mapping)?))
        })(),
        _ => return None,
    };
    Some(result)
}
