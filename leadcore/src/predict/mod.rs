//! Predictive lead scoring (seed 001's recipe): features from the event log as of a cut-off,
//! a random forest with real probabilities (or a transparent naive-Bayes model), holdout
//! metrics, calibration, tiers, per-lead explanations and persisted models.
//!
//! The flow: a [`FeatureSpec`] (JSON) says which features to build; [`train()`] takes leads,
//! events and [`Label`]s (each with its cut-off) and returns a [`PredictiveModel`] that holds the
//! spec, the learned encoding, the models, and its holdout [`Metrics`]; the model
//! [`scores`](PredictiveModel::score) current leads as of `now`, and saves to JSON or a compact
//! binary form. The source-quality score of the scoring engine enters as data: a channel → score
//! map in the spec ([`SourceQualityFeature`]).
//!
//! Everything is seeded and deterministic: the same data, config and seed give the same model,
//! byte for byte, whatever the thread count; a lead scored alone gets exactly what it gets in a
//! batch.
//!
//! ```
//! use leadcore::input::Config;
//! use leadcore::predict::{Label, PredictiveModel, TrainConfig, train};
//! let now = leadcore::time::parse("2026-06-01T00:00:00Z").unwrap();
//! let (mut leads, mut events, mut labels) = (Vec::new(), Vec::new(), Vec::new());
//! for i in 0..60 {
//!     let id = format!("L{i}");
//!     let mut lead = leadcore::Lead::new(&id, now - chrono::Duration::days(30));
//!     lead.source.channel = Some(if i % 2 == 0 { "event" } else { "content" }.into());
//!     leads.push(lead);
//!     for d in 0..i % 4 {
//!         events.push(serde_json::from_value(serde_json::json!({"id": format!("{id}/{d}"),
//!             "lead_id": id, "kind": "download", "at": "2026-05-20T00:00:00Z"})).unwrap());
//!     }
//!     labels.push(Label { lead_id: id, converted: i % 4 == 3, cutoff: now });
//! }
//! let config = TrainConfig::from_json(r#"{
//!     "features": {"windows_days": [30], "event_kinds": ["download"],
//!                  "source_quality": {"scores": {"event": 0.8, "content": 0.2}}},
//!     "model": {"type": "random_forest", "n_trees": 10},
//!     "tiers": {"type": "thresholds", "high": 0.5, "mid": 0.2}
//! }"#).unwrap();
//! let model = train(&config, &leads, &events, &labels, now, 2).unwrap();
//! let scores = model.score(&leads[..4], &events, now, 2).unwrap();
//! assert_eq!(scores[3].tier, leadcore::predict::Tier::High);
//! assert_eq!(scores[3].positive[0].feature, "download_count_30d");
//! // Save and load: the binary form is smaller, both give identical scores.
//! let loaded = PredictiveModel::from_bytes(&model.to_bytes().unwrap()).unwrap();
//! assert_eq!(loaded.score(&leads[..4], &events, now, 1).unwrap(), scores);
//! let mut newer = model.to_value();
//! newer["format_version"] = 99.into();
//! assert_eq!(PredictiveModel::from_value(newer).unwrap_err().code(), "unsupported_format_version");
//! ```
//!
//! Choices: the forest is our own ([`forest`]: histogram splits, std threads, leaf fractions as
//! probabilities) because smartcore 0.7's forest has no `predict_proba`, mishandles tied values
//! and is far slower; metrics, splits and calibration are small enough to write here, so
//! smartcore is not a dependency. `benches/python/README.md` compares the forest with
//! scikit-learn.

mod binning;
pub mod calibration;
pub mod error;
pub mod features;
pub mod forest;
pub mod metrics;
pub mod model;
pub mod naive_bayes;
pub mod score;
pub mod spec;
pub mod split;
pub mod tiers;
pub mod train;

pub use binning::MAX_BINS;
pub use calibration::{CalibrationMethod, Calibrator};
pub use error::PredictError;
pub use features::{
    Column, FeatureEncoding, FeatureMatrix, Label, TrainingSet, build_training_set,
};
pub use forest::{ClassWeight, ForestParams, MaxFeatures, RandomForest};
pub use metrics::{Metrics, evaluate};
pub use model::{FORMAT_VERSION, PredictiveModel};
pub use naive_bayes::{NaiveBayes, NaiveBayesParams};
pub use score::{Factor, LeadScore};
pub use spec::{
    CategoricalFeature, CityTierFeature, FeatureSpec, KeywordFeature, NumericFeature,
    SourceQualityFeature,
};
pub use split::{stratified_folds, stratified_split};
pub use tiers::{Tier, TierConfig, TierThresholds};
pub use train::{
    CrossValidation, MAX_SEGMENT_MODELS, MAX_TRAINED_TREES, ModelConfig, SegmentConfig,
    TrainConfig, cross_validate, train, train_set,
};

#[cfg(test)]
mod tests;
