//! Predictive lead scoring (seed 001's recipe): features from the event log as of a cut-off,
//! a random forest with real probabilities (or a transparent naive-Bayes model), holdout
//! metrics, calibration, tiers, per-lead explanations and persisted models.
//!
//! The flow: a [`FeatureSpec`] (JSON) says which features to build; [`train`] takes leads,
//! events and [`Label`]s (each with its cut-off) and returns a [`PredictiveModel`] that holds the
//! spec, the learned encoding, the models, and its holdout [`Metrics`]; the model
//! [`scores`](PredictiveModel::score) current leads as of `now`, and saves to JSON or a compact
//! binary form. The source-quality score of the scoring engine enters as data: a channel → score
//! map in the spec ([`SourceQualityFeature`]).
//!
//! Everything is seeded and deterministic: the same data, config and seed give the same model,
//! byte for byte, whatever the thread count.

mod binning;
pub mod calibration;
pub mod error;
pub mod features;
pub mod forest;
pub mod metrics;
pub mod model;
pub mod naive_bayes;
pub mod rng;
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
    CrossValidation, ModelConfig, SegmentConfig, TrainConfig, cross_validate, train, train_set,
};

#[cfg(test)]
mod tests;
