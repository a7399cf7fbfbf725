//! Runner for `tests/vectors/predict/*.json`: each op is one call of the public predict API.
//!
//! | op | config | input | output |
//! | --- | --- | --- | --- |
//! | `predict_build_training_set` | feature spec | `leads`, `events`, `labels` | training set |
//! | `predict_train` | train config | `leads`, `events`, `labels`, `trained_at` | model |
//! | `predict_cross_validate` | train config | `leads`, `events`, `labels`, `folds` | cross-validation |
//! | `predict_score` | model | `leads`, `events`, `now` | lead scores |
//! | `predict_load_model` | model | — | model |
//! | `predict_load_model_bytes` | — | `hex` (binary model file) | model |
//! | `predict_evaluate` | — | `scores`, `labels`, `tiers` | metrics |

use leadcore::input::{Config, to_value};
use leadcore::predict::{
    FeatureSpec, Label, PredictiveModel, TierThresholds, TrainConfig, build_training_set,
    cross_validate, evaluate, train,
};
use leadcore::{Error, Event, Lead};
use serde_json::Value;

use crate::support::{arg, instant};

/// Deserializes argument `name` of `input`, prefixing error paths with the argument name.
fn hex(text: &str) -> Vec<u8> {
    (0..text.len() / 2)
        .filter_map(|i| u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

pub fn run(op: &str, config: &Value, input: &Value) -> Option<Result<Value, Error>> {
    let result = match op {
        "predict_build_training_set" => (|| {
            let spec = FeatureSpec::from_value(config.clone())?;
            let leads: Vec<Lead> = arg(input, "leads")?;
            let events: Vec<Event> = arg(input, "events")?;
            let labels: Vec<Label> = arg(input, "labels")?;
            Ok(to_value(&build_training_set(
                &spec, &leads, &events, &labels, 1,
            )?))
        })(),
        "predict_train" => (|| {
            let config = TrainConfig::from_value(config.clone())?;
            let leads: Vec<Lead> = arg(input, "leads")?;
            let events: Vec<Event> = arg(input, "events")?;
            let labels: Vec<Label> = arg(input, "labels")?;
            let at = instant(input, "trained_at")?;
            Ok(train(&config, &leads, &events, &labels, at, 2)?.to_value())
        })(),
        "predict_cross_validate" => (|| {
            let config = TrainConfig::from_value(config.clone())?;
            let leads: Vec<Lead> = arg(input, "leads")?;
            let events: Vec<Event> = arg(input, "events")?;
            let labels: Vec<Label> = arg(input, "labels")?;
            let folds: usize = arg(input, "folds")?;
            Ok(to_value(&cross_validate(
                &config, &leads, &events, &labels, folds, 2,
            )?))
        })(),
        "predict_score" => (|| {
            let model = PredictiveModel::from_value(config.clone())?;
            let leads: Vec<Lead> = arg(input, "leads")?;
            let events: Vec<Event> = arg(input, "events")?;
            let at = instant(input, "now")?;
            Ok(to_value(&model.score(&leads, &events, at, 2)?))
        })(),
        "predict_load_model" => PredictiveModel::from_value(config.clone())
            .map(|m| m.to_value())
            .map_err(Error::from),
        "predict_load_model_bytes" => (|| {
            let text: String = arg(input, "hex")?;
            Ok(PredictiveModel::from_bytes(&hex(&text))?.to_value())
        })(),
        "predict_evaluate" => (|| {
            let scores: Vec<f64> = arg(input, "scores")?;
            let labels: Vec<bool> = arg(input, "labels")?;
            let tiers: TierThresholds = arg(input, "tiers")?;
            Ok(to_value(&evaluate(&tiers, &scores, &labels)?))
        })(),
        _ => return None,
    };
    Some(result)
}
