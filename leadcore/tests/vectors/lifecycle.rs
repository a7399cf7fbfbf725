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
use leadcore::input::{Config, to_value};
use leadcore::lifecycle::{TransitionRequest, due, stage_times, transition};
use leadcore::pipeline::Pipeline;
use leadcore::{Error, Event, Lead};
use serde_json::Value;

use crate::support::{arg, instant, opt_arg};

/// A timestamp argument: RFC 3339 text with an offset.
fn now(input: &Value) -> Result<DateTime<Utc>, Error> {
    instant(input, "now")
}

pub fn run(op: &str, config: &Value, input: &Value) -> Option<Result<Value, Error>> {
    let pipeline = || Pipeline::from_value(config.clone()).map_err(Error::from);
    let result = match op {
        "load_pipeline" => pipeline().map(|p| to_value(&p)),
        "pipeline_edges" => (|| {
            let p = pipeline()?;
            let from: Option<String> = opt_arg(input, "from")?;
            Ok(to_value(&match from {
                Some(stage) => p.edges_from(&stage),
                None => p.edges(),
            }))
        })(),
        "transition" => (|| {
            let p = pipeline()?;
            let lead: Lead = arg(input, "lead")?;
            let request: TransitionRequest = arg(input, "request")?;
            Ok(to_value(&transition(&p, &lead, &request, now(input)?)?))
        })(),
        "due" => (|| {
            let p = pipeline()?;
            let lead: Lead = arg(input, "lead")?;
            let events: Vec<Event> = arg(input, "events")?;
            Ok(to_value(&due(&p, &lead, &events, now(input)?)?))
        })(),
        "stage_times" => (|| {
            let lead: Lead = arg(input, "lead")?;
            Ok(to_value(&stage_times(&lead, now(input)?)?))
        })(),
        "convert_lead" => (|| {
            let mapping = FieldMapping::from_value(config.clone())?;
            let lead: Lead = arg(input, "lead")?;
            Ok(to_value(&convert_lead(&mapping, &lead)?))
        })(),
        _ => return None,
    };
    Some(result)
}
