//! Ops on the lead model: `load_lead`, `normalize_events`.

use leadcore::{Error, Event, Lead, input};
use serde_json::Value;

use crate::support::arg;

pub fn run(op: &str, _config: &Value, input: &Value) -> Option<Result<Value, Error>> {
    let run = || -> Result<Value, Error> {
        match op {
            "load_lead" => Ok(input::to_value(&arg::<Lead>(input, "lead")?)),
            _ => {
                let events: Vec<Event> = arg(input, "events")?;
                Ok(input::to_value(&leadcore::event::normalize(&events)))
            }
        }
    };
    matches!(op, "load_lead" | "normalize_events").then(run)
}
