//! The trained model and its file: JSON, or a compact binary form.
//!
//! A model file carries a format version, the training config (with the feature spec), the
//! learned feature encoding, the training metadata (rows, positives, seed, holdout metrics,
//! importances, trained-at) and the estimators. Both forms load back to an identical model, so
//! scores are identical after save → load. A file from a newer format version gives
//! `unsupported_format_version`; anything that does not parse, fails its checksum (binary) or
//! is not internally consistent gives `corrupted_model`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::calibration::Calibrator;
use super::error::PredictError;
use super::features::FeatureEncoding;
use super::forest::RandomForest;
use super::metrics::Metrics;
use super::naive_bayes::{Encoding, NaiveBayes};
use super::tiers::TierThresholds;
use super::train::TrainConfig;
use crate::rng::fnv1a;

/// The model file format this build writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;

/// First bytes of the binary form.
pub const BINARY_MAGIC: &[u8; 8] = b"LCPMODEL";

/// A trained predictive lead-scoring model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "PredictiveModelJson")]
pub struct PredictiveModel {
    /// File format version ([`FORMAT_VERSION`]).
    pub format_version: u32,
    /// The training config, including the feature spec.
    pub config: TrainConfig,
    /// The feature spec with its learned categorical levels and the column layout.
    pub encoding: FeatureEncoding,
    /// Probability thresholds of the tiers.
    pub tiers: TierThresholds,
    /// The model every lead without its own segment model gets.
    pub global: SubModel,
    /// Segment value → its own model (segments with enough leads and conversions).
    pub segments: BTreeMap<String, SubModel>,
    /// What the model was trained on and how well it did.
    pub metadata: TrainingMetadata,
}

/// One estimator with its calibration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubModel {
    /// The estimator.
    pub estimator: Estimator,
    /// Raw score → probability.
    pub calibrator: Calibrator,
    /// Training rows.
    pub rows: usize,
    /// Converted training rows.
    pub positives: usize,
}

/// The estimator of a [`SubModel`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Estimator {
    /// A random forest.
    RandomForest(RandomForest),
    /// A naive-Bayes table model.
    NaiveBayes(NaiveBayes),
}

/// The training record stored with a model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingMetadata {
    /// When the caller says the model was trained.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "crate::time::InstantSchema")]
    pub trained_at: DateTime<Utc>,
    /// Master seed.
    pub seed: u64,
    /// Labelled rows.
    pub rows: usize,
    /// Converted labelled rows.
    pub positives: usize,
    /// Rows the models were fitted on.
    pub train_rows: usize,
    /// Held-out rows.
    pub test_rows: usize,
    /// Metrics on the held-out rows (`null` without a test split).
    pub metrics: Option<Metrics>,
    /// Per segment value seen in training: whether it got its own model, and why not.
    pub segments: Vec<SegmentReport>,
    /// Impurity importance of each feature group (global forest; empty for naive Bayes),
    /// largest first.
    pub impurity_importance: Vec<Importance>,
    /// Permutation importance of each feature group on the held-out rows (drop in ROC AUC when
    /// the group's values are shuffled), largest first; empty without a test split.
    pub permutation_importance: Vec<Importance>,
}

/// Whether a segment got its own model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentReport {
    /// The segment value.
    pub segment: String,
    /// Its training rows.
    pub rows: usize,
    /// Its converted training rows.
    pub positives: usize,
    /// `own` or `global`.
    pub model: String,
    /// Why it falls back to the global model (`too_few_leads`, `too_few_conversions`,
    /// `single_class`), if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The importance of one feature group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Importance {
    /// Feature group (a column name, or a categorical attribute for its one-hot columns).
    pub feature: String,
    /// Mean importance.
    pub importance: f64,
    /// Standard deviation over permutation repeats (0 for impurity importance).
    pub std: f64,
}

impl PredictiveModel {
    /// The model as JSON text.
    pub fn to_json(&self) -> String {
        crate::input::to_value(self).to_string()
    }

    /// The model as a JSON value (what the bindings hand to the host).
    pub fn to_value(&self) -> serde_json::Value {
        crate::input::to_value(self)
    }

    /// Loads a model from JSON text.
    pub fn from_json(text: &str) -> Result<Self, PredictError> {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| PredictError::CorruptedModel(format!("not json: {e}")))?;
        Self::from_value(value)
    }

    /// Loads a model from a JSON value.
    pub fn from_value(value: serde_json::Value) -> Result<Self, PredictError> {
        let version = value
            .get("format_version")
            .and_then(serde_json::Value::as_u64)
            .ok_or_else(|| PredictError::CorruptedModel("no `format_version`".into()))?;
        check_version(u32::try_from(version).unwrap_or(u32::MAX))?;
        let model: Self = serde_json::from_value(value)
            .map_err(|e| PredictError::CorruptedModel(e.to_string()))?;
        model.check()?;
        Ok(model)
    }

    /// The model in its compact binary form: `LCPMODEL`, the format version (u32 LE), an
    /// FNV-1a 64 checksum of the payload (u64 LE), then the payload in MessagePack.
    pub fn to_bytes(&self) -> Result<Vec<u8>, PredictError> {
        let payload = rmp_serde::to_vec_named(self)
            .map_err(|e| PredictError::CorruptedModel(format!("cannot be written: {e}")))?;
        let mut out = Vec::with_capacity(payload.len() + 20);
        out.extend_from_slice(BINARY_MAGIC);
        out.extend_from_slice(&self.format_version.to_le_bytes());
        out.extend_from_slice(&fnv1a(&payload).to_le_bytes());
        out.extend_from_slice(&payload);
        Ok(out)
    }

    /// Loads a model from its binary form.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PredictError> {
        let corrupted = |m: &str| PredictError::CorruptedModel(m.to_string());
        if bytes.get(..8) != Some(&BINARY_MAGIC[..]) {
            return Err(corrupted("not a leadcore model file"));
        }
        let version = bytes
            .get(8..12)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map(u32::from_le_bytes)
            .ok_or_else(|| corrupted("truncated header"))?;
        check_version(version)?;
        let checksum = bytes
            .get(12..20)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map(u64::from_le_bytes)
            .ok_or_else(|| corrupted("truncated header"))?;
        let payload = bytes.get(20..).unwrap_or(&[]);
        if fnv1a(payload) != checksum {
            return Err(corrupted("checksum mismatch"));
        }
        let model: Self = rmp_serde::from_slice(payload)
            .map_err(|e| PredictError::CorruptedModel(e.to_string()))?;
        if model.format_version != version {
            return Err(corrupted("header and payload versions differ"));
        }
        model.check()?;
        Ok(model)
    }

    /// Internal consistency: what the file claims matches what it holds.
    fn check(&self) -> Result<(), PredictError> {
        let bad = |m: String| Err(PredictError::CorruptedModel(m));
        check_version(self.format_version)?;
        if self.config.features != self.encoding.spec {
            return bad("the feature spec differs from the encoding's spec".into());
        }
        let refit = FeatureEncoding {
            spec: self.encoding.spec.clone(),
            levels: self.encoding.levels.clone(),
            columns: Vec::new(),
        };
        if super::features::layout_of(&refit) != self.encoding.columns {
            return bad("the columns do not match the feature spec".into());
        }
        let p = self.encoding.columns.len();
        for (name, sub) in std::iter::once(("global", &self.global))
            .chain(self.segments.iter().map(|(k, v)| (k.as_str(), v)))
        {
            match &sub.estimator {
                Estimator::RandomForest(f) => {
                    if f.n_features != p
                        || f.trees.is_empty()
                        || f.trees
                            .iter()
                            .any(|t| t.max_feature().is_some_and(|m| m as usize >= p))
                        || !f
                            .trees
                            .iter()
                            .all(|t| t.nodes.iter().all(|n| (0.0..=1.0).contains(&n.value)))
                    {
                        return bad(format!(
                            "model `{name}` does not fit the {p} feature columns"
                        ));
                    }
                }
                Estimator::NaiveBayes(nb) => {
                    let count = |v: &f64| v.is_finite() && *v >= 0.0;
                    let fits = nb.n_features == p
                        && nb.alpha.is_finite()
                        && nb.alpha > 0.0
                        && count(&nb.won_total)
                        && count(&nb.lost_total)
                        && nb.variables.iter().all(|v| {
                            let cols_ok = match &v.encoding {
                                Encoding::OneHot { columns, levels } => {
                                    columns.iter().all(|&c| c < p) && columns.len() == levels.len()
                                }
                                Encoding::Binned { column, .. } => *column < p,
                            };
                            cols_ok
                                && v.won.len() == v.lost.len()
                                && v.won.iter().chain(&v.lost).all(count)
                        });
                    if !fits {
                        return bad(format!(
                            "model `{name}` does not fit the {p} feature columns"
                        ));
                    }
                }
            }
            if !sub.calibrator.is_sound() {
                return bad(format!("model `{name}` has a broken calibration"));
            }
        }
        Ok(())
    }
}

fn check_version(found: u32) -> Result<(), PredictError> {
    if found > FORMAT_VERSION {
        return Err(PredictError::UnsupportedFormatVersion {
            found,
            supported: FORMAT_VERSION,
        });
    }
    if found == 0 {
        return Err(PredictError::CorruptedModel("format version 0".into()));
    }
    Ok(())
}
