//! Scoring vectors: `load_scoring_model`, `score_lead`, `score_batch`, `score_batch_table`
//! (leads as a typed table), `score_columns`, `score_columns_table` (events as a typed table),
//! `score_table`, `source_quality`, `source_counts`, `what_if`.
//!
//! Configs: a scoring model (or `{"preset": "b2b_default"}`); a source model for
//! `source_quality`; `{"current", "proposed", "mql"}` for `what_if`. Inputs: `lead`, `leads`,
//! `events` (row events, or an event table for `score_columns` / `score_table`), `now` (RFC 3339
//! text), `threads` (optional, default 1), `outcomes` and `converted_stages` for
//! `source_counts`. Input errors carry paths prefixed with the argument name.

use chrono::{DateTime, Utc};
use leadcore::input::{self, Config};
use leadcore::score::source::{self, SourceModel, SourceOutcome};
use leadcore::score::{self, EventTable, Proposal, ScoringModel};
use leadcore::{Error, Event, InputError, Lead};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::support::{OwnedTable, instant};

/// Maps a vector op to the public API; `None` for ops of other areas.
pub fn run(op: &str, config: &Value, input: &Value) -> Option<Result<Value, Error>> {
    let result = match op {
        "load_scoring_model" => ScoringModel::from_value(config.clone())
            .map(|m| input::to_value(&m))
            .map_err(Error::from),
        "score_lead" => score_lead(config, input),
        "score_batch" => score_batch(config, input),
        "score_batch_table" => (|| {
            let owned = OwnedTable::from_json(&input["leads"]);
            let leads = leadcore::lead::leads_from_tables(&owned.batches())?;
            let mut input = input.clone();
            input["leads"] = input::to_value(&leads);
            score_batch(config, &input)
        })(),
        "score_columns" => score_columns(config, input, false),
        "score_columns_table" => (|| {
            let model = ScoringModel::from_value(config.clone())?;
            let leads: Vec<Lead> = arg(input, "leads")?;
            let owned = OwnedTable::from_json(&input["events"]);
            let events = score::columns::events_from_tables(&owned.batches(), &leads)?;
            let now = now(input)?;
            let out = score::Scorer::new(model)?.score_columns(&leads, events.columns(), now, 1)?;
            Ok(input::to_value(&out))
        })(),
        "score_table" => score_columns(config, input, true),
        "source_quality" => SourceModel::from_value(config.clone())
            .map_err(Error::from)
            .and_then(|m| Ok(input::to_value(&source::quality(&m)?))),
        "source_counts" => source_counts(input),
        "what_if" => what_if(config, input),
        _ => return None,
    };
    Some(result)
}

fn score_lead(config: &Value, input: &Value) -> Result<Value, Error> {
    let model = ScoringModel::from_value(config.clone())?;
    let lead: Lead = arg(input, "lead")?;
    let events: Vec<Event> = opt_arg(input, "events")?.unwrap_or_default();
    let now = now(input)?;
    Ok(input::to_value(&score::score_lead(
        &model, &lead, &events, now,
    )?))
}

fn score_batch(config: &Value, input: &Value) -> Result<Value, Error> {
    let model = ScoringModel::from_value(config.clone())?;
    let leads: Vec<Lead> = arg(input, "leads")?;
    let events: Vec<Event> = opt_arg(input, "events")?.unwrap_or_default();
    let now = now(input)?;
    let threads: usize = opt_arg(input, "threads")?.unwrap_or(1);
    Ok(input::to_value(&score::score_batch(
        &model, &leads, &events, now, threads,
    )?))
}

fn score_columns(config: &Value, input: &Value, compact: bool) -> Result<Value, Error> {
    let model = ScoringModel::from_value(config.clone())?;
    let leads: Vec<Lead> = arg(input, "leads")?;
    let events: EventTable = arg(input, "events")?;
    let now = now(input)?;
    let threads: usize = opt_arg(input, "threads")?.unwrap_or(1);
    Ok(if compact {
        input::to_value(&score::score_table(&model, &leads, &events, now, threads)?)
    } else {
        input::to_value(&score::score_columns(
            &model, &leads, &events, now, threads,
        )?)
    })
}

fn source_counts(input: &Value) -> Result<Value, Error> {
    let outcomes: Vec<SourceOutcome> = arg(input, "outcomes")?;
    let stages: Vec<String> = arg(input, "converted_stages")?;
    Ok(input::to_value(&source::count_outcomes(&stages, &outcomes)))
}

fn what_if(config: &Value, input: &Value) -> Result<Value, Error> {
    let proposal = Proposal::from_value(config.clone())?;
    let leads: Vec<Lead> = arg(input, "leads")?;
    let events: Vec<Event> = opt_arg(input, "events")?.unwrap_or_default();
    let now = now(input)?;
    let threads: usize = opt_arg(input, "threads")?.unwrap_or(1);
    Ok(input::to_value(&score::compare(
        &proposal, &leads, &events, now, threads,
    )?))
}

fn now(input: &Value) -> Result<DateTime<Utc>, Error> {
    instant(input, "now")
}

fn arg<T: DeserializeOwned>(input: &Value, name: &str) -> Result<T, Error> {
    opt_arg(input, name)?.ok_or_else(|| {
        InputError::new(
            leadcore::FieldErrorKind::MissingField(format!("missing field `{name}`")),
            name,
        )
        .into()
    })
}

fn opt_arg<T: DeserializeOwned>(input: &Value, name: &str) -> Result<Option<T>, Error> {
    match input.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => input::from_value(v.clone())
            .map(Some)
            .map_err(|e| e.at(name).into()),
    }
}
