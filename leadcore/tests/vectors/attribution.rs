//! Runner for `tests/vectors/attribution/*.json`.
//!
//! Ops (each a thin call of one public function; argument names prefix input error paths):
//! - `attribute`: config = attribution config, input = `{journeys?, paths?}` → report.
//! - `explain_journey`: config = attribution config, input = `{journey}` → per-touch split.
//! - `ownership`: config = ownership config, input = `{journeys}` → owners and totals.
//! - `accumulate`: config = attribution config, input = `{parts: [{journeys?, paths?}]}` → one
//!   accumulator per part, each shipped through its binary and JSON state, merged in order:
//!   `{report, state}`.
//! - `accumulate_columns`: config = attribution config, input = `{touches}`, a long touch table
//!   of columns (`journey_id`, `channel`, `campaign?`, `at` in Unix seconds, milestone flags,
//!   `converted?`, `value?`; see `JourneyColumns`) → the report of one accumulator.
//! - `attribute_table`: input = `{paths}`, a typed table (`{columns: [{name, type, values}],
//!   batches?}`, see tests/vectors/README.md) → the report of its path counts.
//! - `accumulate_table`: input = `{touches}`, a typed touch table → the report of one
//!   accumulator.

use leadcore::Error;
use leadcore::attribution::{
    self, AttributionAccumulator, AttributionConfig, JourneyColumns, OwnershipConfig, PathBatch,
    TouchTable, TouchTimes,
};
use leadcore::input::Config;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::support::OwnedTable;

/// Deserializes argument `name` of `input` (absent = `default`), prefixing error paths.
pub fn arg<T: DeserializeOwned>(
    input: &Value,
    name: &str,
    default: Option<Value>,
) -> Result<T, Error> {
    let v = match (input.get(name), default) {
        (Some(v), _) => v.clone(),
        (None, Some(d)) => d,
        (None, None) => Value::Null,
    };
    leadcore::input::from_value(v).map_err(|e| {
        let path = if e.path == "$" {
            name.to_string()
        } else if e.path.starts_with('[') {
            format!("{name}{}", e.path)
        } else {
            format!("{name}.{}", e.path)
        };
        Error::Input(leadcore::InputError::new(e.kind, path))
    })
}

fn list<T: DeserializeOwned>(input: &Value, name: &str) -> Result<Vec<T>, Error> {
    arg(input, name, Some(Value::Array(Vec::new())))
}

fn to_json<T: serde::Serialize>(v: &T) -> Value {
    leadcore::input::to_value(v)
}

pub fn run(op: &str, config: &Value, input: &Value) -> Option<Result<Value, Error>> {
    let attribution_config = || AttributionConfig::from_value(config.clone()).map_err(Error::from);
    Some(match op {
        "attribute" => (|| {
            let config = attribution_config()?;
            let journeys = list(input, "journeys")?;
            let paths = list(input, "paths")?;
            Ok(to_json(&attribution::attribute(
                &config, &journeys, &paths,
            )?))
        })(),
        "explain_journey" => (|| {
            let config = attribution_config()?;
            let journey = arg(input, "journey", None)?;
            Ok(to_json(&attribution::explain_journey(&config, &journey)?))
        })(),
        "ownership" => (|| {
            let config = OwnershipConfig::from_value(config.clone())?;
            let journeys = list(input, "journeys")?;
            Ok(to_json(&attribution::ownership(&config, &journeys)?))
        })(),
        "accumulate" => (|| {
            let config = attribution_config()?;
            let parts: Vec<Value> = list(input, "parts")?;
            let mut total = AttributionAccumulator::new(config.clone())?;
            for part in &parts {
                let mut acc = AttributionAccumulator::new(config.clone())?;
                acc.add_journeys(&list(part, "journeys")?)?;
                acc.add_paths(&list(part, "paths")?)?;
                let shipped = AttributionAccumulator::from_bytes(&acc.to_bytes()?)?;
                let shipped = AttributionAccumulator::from_json(&shipped.to_json())?;
                total.merge(&shipped)?;
            }
            Ok(
                serde_json::json!({"report": to_json(&total.finish()?), "state": to_json(&total.to_state())}),
            )
        })(),
        "accumulate_columns" => (|| {
            let config = attribution_config()?;
            let t: Touches = arg(input, "touches", None)?;
            let ids: Vec<&str> = t.journey_id.iter().map(String::as_str).collect();
            let channel: Vec<&str> = t.channel.iter().map(String::as_str).collect();
            let campaign: Option<Vec<Option<&str>>> = t
                .campaign
                .as_ref()
                .map(|c| c.iter().map(Option::as_deref).collect());
            let cols = JourneyColumns {
                journey_id: &ids,
                channel: &channel,
                campaign: campaign.as_deref(),
                at: TouchTimes::Seconds(&t.at),
                milestones: [
                    t.first_touch.as_deref(),
                    t.lead_created.as_deref(),
                    t.opportunity_created.as_deref(),
                    t.closed_won.as_deref(),
                ],
                converted: t.converted.as_deref(),
                value: t.value.as_deref(),
            };
            let mut acc = AttributionAccumulator::new(config)?;
            acc.add_journey_columns(&cols)?;
            Ok(to_json(&acc.finish()?))
        })(),
        "attribute_table" => (|| {
            let config = attribution_config()?;
            let owned = OwnedTable::from_json(&input["paths"]);
            let tables = owned.batches();
            let batches = tables
                .iter()
                .map(|t| PathBatch::from_table(t).map_err(Error::from));
            attribution::attribute_batches(&config, &[], batches, 1).map(|r| to_json(&r))
        })(),
        "accumulate_table" => (|| {
            let config = attribution_config()?;
            let owned = OwnedTable::from_json(&input["touches"]);
            let tables = owned.batches();
            let touches = TouchTable::gather(&tables)?;
            let mut acc = AttributionAccumulator::new(config)?;
            touches.with_columns(|cols| acc.add_journey_columns(cols))?;
            Ok(to_json(&acc.finish()?))
        })(),
        _ => return None,
    })
}

/// The JSON form of a touch table: columns as arrays.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Touches {
    journey_id: Vec<String>,
    channel: Vec<String>,
    campaign: Option<Vec<Option<String>>>,
    at: Vec<f64>,
    first_touch: Option<Vec<bool>>,
    lead_created: Option<Vec<bool>>,
    opportunity_created: Option<Vec<bool>>,
    closed_won: Option<Vec<bool>>,
    converted: Option<Vec<bool>>,
    value: Option<Vec<f64>>,
}
