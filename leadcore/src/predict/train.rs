//! Training: the config, the seeded split, segment models with a global fallback, calibration,
//! tiers, holdout metrics, importances, and k-fold cross-validation.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::calibration::{CalibrationMethod, Calibrator};
use super::error::PredictError;
use super::features::{
    FeatureMatrix, Label, TrainingSet, build_training_set, category_values, layout_of,
};
use super::forest::{ForestParams, RandomForest};
use super::metrics::{Metrics, evaluate};
use super::model::{
    Estimator, FORMAT_VERSION, Importance, PredictiveModel, SegmentReport, SubModel,
    TrainingMetadata,
};
use super::naive_bayes::{NaiveBayes, NaiveBayesParams};
use super::spec::FeatureSpec;
use super::split::{stratified_folds, stratified_split};
use super::tiers::{TierConfig, TierThresholds};
use crate::error::{ConfigError, Error, FieldErrorKind, InputError};
use crate::event::Event;
use crate::input::Config;
use crate::lead::Lead;
use crate::rng::{SplitMix64, fnv1a};

/// Everything that decides how a model is trained; stored in the model file.
///
/// `{}` is valid: default features, a 100-tree forest, seed 42, a 10 % stratified holdout, no
/// calibration, tiers at the top 10 % / 30 % of scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainConfig {
    /// The features.
    #[serde(default)]
    pub features: FeatureSpec,
    /// The estimator and its parameters.
    #[serde(default)]
    pub model: ModelConfig,
    /// Master seed of every random choice (split, bootstrap, features per split, folds).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Fraction of the labelled rows held out for the metrics (stratified), in `0..1`.
    #[serde(default = "default_test_fraction")]
    pub test_fraction: f64,
    /// Probability calibration fitted on out-of-sample training scores.
    #[serde(default)]
    pub calibration: CalibrationMethod,
    /// How tiers are cut.
    #[serde(default)]
    pub tiers: TierConfig,
    /// One model per segment when it has enough data, else the global model.
    #[serde(default)]
    pub segments: Option<SegmentConfig>,
    /// Repeats of the permutation importance on the holdout (0 skips it).
    #[serde(default = "default_repeats")]
    pub permutation_repeats: usize,
    /// Factors listed per direction in each lead's explanation.
    #[serde(default = "default_top")]
    pub explain_top: usize,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            features: FeatureSpec::default(),
            model: ModelConfig::default(),
            seed: default_seed(),
            test_fraction: default_test_fraction(),
            calibration: CalibrationMethod::None,
            tiers: TierConfig::default(),
            segments: None,
            permutation_repeats: default_repeats(),
            explain_top: default_top(),
        }
    }
}

/// 42 — assumed (a conventional fixed seed).
fn default_seed() -> u64 {
    42
}
/// 10% — quoted (seed 001: 「抽取10%作為測試集保留」).
fn default_test_fraction() -> f64 {
    0.1
}
fn default_repeats() -> usize {
    3
}
fn default_top() -> usize {
    3
}

/// The estimator: `{"type": "random_forest", ...}` or `{"type": "naive_bayes", ...}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ModelConfig {
    /// A random forest (seed 001's choice).
    RandomForest(ForestParams),
    /// Odoo-style naive Bayes.
    NaiveBayes(NaiveBayesParams),
}

impl Default for ModelConfig {
    fn default() -> Self {
        Self::RandomForest(ForestParams::default())
    }
}

/// Segment models (e.g. per business line, or per sales team for naive Bayes as in Odoo).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentConfig {
    /// Attribute (or `source.<field>`) whose value names the lead's segment.
    pub attribute: String,
    /// Fewest training leads a segment needs for its own model.
    #[serde(default = "default_min_leads")]
    pub min_leads: usize,
    /// Fewest converted training leads a segment needs for its own model.
    #[serde(default = "default_min_conversions")]
    pub min_conversions: usize,
}

fn default_min_leads() -> usize {
    1000
}
fn default_min_conversions() -> usize {
    50
}

impl Config for TrainConfig {
    fn validate(&self) -> Result<(), ConfigError> {
        self.features
            .validate()
            .map_err(|e| ConfigError::new(e.kind, format!("features.{}", e.path)))?;
        match &self.model {
            ModelConfig::RandomForest(p) => p.validate("model")?,
            ModelConfig::NaiveBayes(p) => p.validate("model")?,
        }
        if !(self.test_fraction.is_finite() && (0.0..1.0).contains(&self.test_fraction)) {
            return Err(ConfigError::new(
                FieldErrorKind::InvalidValue(format!("`{}` is outside [0, 1)", self.test_fraction)),
                "test_fraction",
            ));
        }
        self.tiers.validate("tiers")?;
        if let Some(s) = &self.segments {
            if s.attribute.is_empty() {
                return Err(ConfigError::new(
                    FieldErrorKind::InvalidValue("attribute name is empty".into()),
                    "segments.attribute",
                ));
            }
            if s.min_leads < 2 {
                return Err(ConfigError::new(
                    FieldErrorKind::InvalidValue("a segment model needs at least 2 leads".into()),
                    "segments.min_leads",
                ));
            }
        }
        for (name, v) in [
            ("permutation_repeats", self.permutation_repeats),
            ("explain_top", self.explain_top),
        ] {
            if v > 100 {
                return Err(ConfigError::new(
                    FieldErrorKind::InvalidValue(format!("`{v}` is above 100")),
                    name,
                ));
            }
        }
        Ok(())
    }
}

/// Trains a model on labelled leads: builds the training set (features as of each label's
/// cut-off), holds out a stratified test split, fits the global model and any segment models on
/// the rest, calibrates, cuts tiers, and evaluates on the holdout.
///
/// `trained_at` is recorded in the metadata (leadcore reads no clock); `threads` (≥ 1; 0 counts
/// as 1) does not change the result. Errors: see [`build_training_set`], plus
/// `empty_training_set` and `single_class` (the training split has one class only).
///
/// ```
/// use leadcore::predict::{Label, TrainConfig, train};
/// use leadcore::input::Config;
/// let t = leadcore::time::parse("2026-06-01T00:00:00Z").unwrap();
/// let mut leads = Vec::new();
/// let mut events = Vec::new();
/// let mut labels = Vec::new();
/// for i in 0..200 {
///     let id = format!("L{i}");
///     leads.push(leadcore::Lead::new(&id, t - chrono::Duration::days(90)));
///     let downloads = i % 5; // leads with more downloads convert
///     for d in 0..downloads {
///         events.push(leadcore::Event { id: Some(format!("{id}-{d}")), lead_id: id.clone(),
///             kind: leadcore::EventKind::Download, name: None,
///             at: t - chrono::Duration::days(d as i64 + 1), properties: Default::default() });
///     }
///     labels.push(Label { lead_id: id, converted: downloads >= 3, cutoff: t });
/// }
/// let config = TrainConfig::from_json(r#"{"model": {"type": "random_forest", "n_trees": 20},
///     "features": {"windows_days": [30], "event_kinds": ["download"]}, "test_fraction": 0.25}"#).unwrap();
/// let model = train(&config, &leads, &events, &labels, t, 2).unwrap();
/// assert!(model.metadata.metrics.as_ref().unwrap().roc_auc.unwrap() > 0.9);
/// let scores = model.score(&leads[..3], &events, t, 1).unwrap();
/// assert_eq!(scores[0].lead_id, "L0");
/// ```
pub fn train(
    config: &TrainConfig,
    leads: &[Lead],
    events: &[Event],
    labels: &[Label],
    trained_at: DateTime<Utc>,
    threads: usize,
) -> Result<PredictiveModel, Error> {
    let set = build_training_set(&config.features, leads, events, labels, threads)?;
    let keys = segment_keys(config, leads, labels);
    train_set(config, &set, &keys, trained_at, threads)
}

/// The segment value of each label's lead (all `None` without segments).
fn segment_keys(config: &TrainConfig, leads: &[Lead], labels: &[Label]) -> Vec<Option<String>> {
    let Some(seg) = &config.segments else {
        return vec![None; labels.len()];
    };
    let by_id: BTreeMap<&str, &Lead> = leads.iter().map(|l| (l.id.as_str(), l)).collect();
    labels
        .iter()
        .map(|l| {
            by_id
                .get(l.lead_id.as_str())
                .and_then(|lead| category_values(lead, &seg.attribute).into_iter().next())
        })
        .collect()
}

/// Trains on an already built training set; `segments` gives each row's segment value (all
/// `None` without segments). Errors: those of [`train`] after the training set is built,
/// `invalid_value` at `features` or `segments` when their row counts differ from the labels',
/// and `feature_mismatch` when the set was not built with `config.features` or its columns are
/// not the encoding's layout (such a model could not be loaded back).
pub fn train_set(
    config: &TrainConfig,
    set: &TrainingSet,
    segments: &[Option<String>],
    trained_at: DateTime<Utc>,
    threads: usize,
) -> Result<PredictiveModel, Error> {
    let y = &set.labels;
    let n = y.len();
    for (name, len) in [
        ("features", set.features.n_rows()),
        ("segments", segments.len()),
    ] {
        if len != n {
            return Err(InputError::new(
                FieldErrorKind::InvalidValue(format!("{len} rows of {name} for {n} labels")),
                name,
            )
            .into());
        }
    }
    check_layout(config, set)?;
    if n == 0 {
        return Err(PredictError::EmptyTrainingSet.into());
    }
    check_classes(y)?;
    let (train_rows, test_rows) = stratified_split(y, config.test_fraction, config.seed);
    let fitted = fit_models(config, &set.features, y, segments, &train_rows, threads)?;
    let mut metrics = None;
    let mut permutation_importance = Vec::new();
    if !test_rows.is_empty() {
        let x_test = set.features.select_rows(&test_rows);
        let y_test: Vec<bool> = pick(y, &test_rows);
        let k_test: Vec<Option<String>> = pick(segments, &test_rows);
        let probs = fitted.predict(&x_test, &k_test, threads);
        metrics = Some(evaluate(&fitted.tiers, &probs, &y_test)?);
        permutation_importance =
            fitted.permutation_importance(&x_test, &y_test, &k_test, config, threads)?;
    }
    let impurity_importance = match &fitted.global.estimator {
        Estimator::RandomForest(f) => ranked(group_sums(&set.features, &f.impurity_importance)),
        Estimator::NaiveBayes(_) => Vec::new(),
    };
    Ok(PredictiveModel {
        format_version: FORMAT_VERSION,
        config: config.clone(),
        encoding: set.encoding.clone(),
        tiers: fitted.tiers,
        global: fitted.global,
        segments: fitted.segments,
        metadata: TrainingMetadata {
            trained_at,
            seed: config.seed,
            rows: n,
            positives: y.iter().filter(|&&v| v).count(),
            train_rows: train_rows.len(),
            test_rows: test_rows.len(),
            metrics,
            segments: fitted.reports,
            impurity_importance,
            permutation_importance,
        },
    })
}

/// `feature_mismatch` unless `set` was built with the config's spec, its encoding's columns are
/// the spec's layout, and its matrix has exactly those columns with one value per row.
fn check_layout(config: &TrainConfig, set: &TrainingSet) -> Result<(), PredictError> {
    let mismatch = |expected: &str, found: &str| {
        Err(PredictError::FeatureMismatch {
            expected: expected.to_string(),
            found: found.to_string(),
        })
    };
    if set.encoding.spec != config.features {
        return mismatch(
            "the config's feature spec",
            "a training set built with another spec",
        );
    }
    let layout = layout_of(&set.encoding);
    if layout != set.encoding.columns {
        return mismatch("the encoding's column layout", "other encoding columns");
    }
    let x = &set.features;
    if x.columns.len() != layout.len() {
        return mismatch(
            &format!("{} columns", layout.len()),
            &format!("{} columns", x.columns.len()),
        );
    }
    if let Some((e, f)) = layout.iter().zip(&x.columns).find(|(e, f)| e != f) {
        return mismatch(&e.name, &f.name);
    }
    if x.data.len() != layout.len() || x.data.iter().any(|c| c.len() != x.n_rows()) {
        return mismatch(
            &format!("{} values per column", x.n_rows()),
            "columns of other lengths",
        );
    }
    Ok(())
}

/// Cross-validation results: metrics per fold and their mean and standard deviation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CrossValidation {
    /// Holdout metrics of each fold.
    pub folds: Vec<Metrics>,
    /// Mean over folds.
    pub mean: MetricSummary,
    /// Standard deviation over folds (population).
    pub std: MetricSummary,
}

/// The headline metrics, for cross-validation summaries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MetricSummary {
    /// ROC AUC (`null` when a fold has a single class).
    pub roc_auc: Option<f64>,
    /// Average precision.
    pub pr_auc: Option<f64>,
    /// Log loss.
    pub log_loss: f64,
    /// Brier score.
    pub brier: f64,
}

/// Stratified k-fold cross-validation of `config` on labelled leads (the test split of the
/// config is not used: every row is scored once by the models fitted on the other folds).
///
/// Categorical levels are learned once from all labelled leads. Errors: those of [`train`],
/// `invalid_value` at `folds` for fewer than 2 folds, `too_few_rows` when the rarer class has
/// fewer rows than folds.
pub fn cross_validate(
    config: &TrainConfig,
    leads: &[Lead],
    events: &[Event],
    labels: &[Label],
    folds: usize,
    threads: usize,
) -> Result<CrossValidation, Error> {
    if folds < 2 {
        return Err(InputError::new(
            FieldErrorKind::InvalidValue(format!("`{folds}` folds: at least 2 are needed")),
            "folds",
        )
        .into());
    }
    let set = build_training_set(&config.features, leads, events, labels, threads)?;
    let keys = segment_keys(config, leads, labels);
    let y = &set.labels;
    if y.is_empty() {
        return Err(PredictError::EmptyTrainingSet.into());
    }
    check_classes(y)?;
    let pos = y.iter().filter(|&&v| v).count();
    let rarer = pos.min(y.len() - pos);
    if rarer < folds {
        return Err(PredictError::TooFewRows { folds, rows: rarer }.into());
    }
    let assignment = stratified_folds(y, folds, config.seed);
    let mut results = Vec::new();
    for test_rows in &assignment {
        let train_rows: Vec<usize> = (0..y.len())
            .filter(|i| test_rows.binary_search(i).is_err())
            .collect();
        let fitted = fit_models(config, &set.features, y, &keys, &train_rows, threads)?;
        let x_test = set.features.select_rows(test_rows);
        let probs = fitted.predict(&x_test, &pick(&keys, test_rows), threads);
        results.push(evaluate(&fitted.tiers, &probs, &pick(y, test_rows))?);
    }
    let k = results.len() as f64;
    let opt_mean = |f: &dyn Fn(&Metrics) -> Option<f64>| -> Option<f64> {
        let v: Option<Vec<f64>> = results.iter().map(f).collect();
        v.map(|v| v.iter().sum::<f64>() / k)
    };
    let opt_std = |f: &dyn Fn(&Metrics) -> Option<f64>| -> Option<f64> {
        let v: Option<Vec<f64>> = results.iter().map(f).collect();
        v.map(|v| {
            let m = v.iter().sum::<f64>() / k;
            (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / k).sqrt()
        })
    };
    let mean_of = |f: &dyn Fn(&Metrics) -> f64| results.iter().map(f).sum::<f64>() / k;
    let std_of = |f: &dyn Fn(&Metrics) -> f64| {
        let m = mean_of(f);
        (results.iter().map(|r| (f(r) - m).powi(2)).sum::<f64>() / k).sqrt()
    };
    Ok(CrossValidation {
        mean: MetricSummary {
            roc_auc: opt_mean(&|m| m.roc_auc),
            pr_auc: opt_mean(&|m| m.pr_auc),
            log_loss: mean_of(&|m| m.log_loss),
            brier: mean_of(&|m| m.brier),
        },
        std: MetricSummary {
            roc_auc: opt_std(&|m| m.roc_auc),
            pr_auc: opt_std(&|m| m.pr_auc),
            log_loss: std_of(&|m| m.log_loss),
            brier: std_of(&|m| m.brier),
        },
        folds: results,
    })
}

fn check_classes(y: &[bool]) -> Result<(), PredictError> {
    let positives = y.iter().filter(|&&v| v).count();
    let negatives = y.len() - positives;
    if positives == 0 || negatives == 0 {
        return Err(PredictError::SingleClass {
            positives,
            negatives,
        });
    }
    Ok(())
}

fn pick<T: Clone>(items: &[T], rows: &[usize]) -> Vec<T> {
    rows.iter().filter_map(|&r| items.get(r).cloned()).collect()
}

/// Sums per-column values per column group, in first-appearance order.
pub(crate) fn group_sums(x: &FeatureMatrix, per_column: &[f64]) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = Vec::new();
    for (col, v) in x.columns.iter().zip(per_column) {
        match out.iter_mut().find(|(g, _)| *g == col.group) {
            Some((_, s)) => *s += v,
            None => out.push((col.group.clone(), *v)),
        }
    }
    out
}

fn ranked(items: Vec<(String, f64)>) -> Vec<Importance> {
    let mut out: Vec<Importance> = items
        .into_iter()
        .map(|(feature, importance)| Importance {
            feature,
            importance,
            std: 0.0,
        })
        .collect();
    out.sort_by(|a, b| {
        b.importance
            .total_cmp(&a.importance)
            .then_with(|| a.feature.cmp(&b.feature))
    });
    out
}

/// The fitted models of one training run.
pub(crate) struct Fitted {
    pub global: SubModel,
    pub segments: BTreeMap<String, SubModel>,
    pub reports: Vec<SegmentReport>,
    pub tiers: TierThresholds,
}

fn fit_models(
    config: &TrainConfig,
    x: &FeatureMatrix,
    y: &[bool],
    keys: &[Option<String>],
    rows: &[usize],
    threads: usize,
) -> Result<Fitted, Error> {
    if rows.is_empty() {
        return Err(PredictError::EmptyTrainingSet.into());
    }
    let y_train: Vec<bool> = pick(y, rows);
    check_classes(&y_train)?;
    let x_train = x.select_rows(rows);
    // The segments and whether each gets its own model, known before anything is fitted.
    let mut groups: Vec<(&str, Vec<usize>, usize, Option<&'static str>)> = Vec::new();
    if let Some(seg) = &config.segments {
        let mut by_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, &r) in rows.iter().enumerate() {
            if let Some(Some(k)) = keys.get(r) {
                by_key.entry(k.as_str()).or_default().push(i);
            }
        }
        for (key, local) in by_key {
            let positives = local
                .iter()
                .filter(|&&i| y_train.get(i).copied().unwrap_or(false))
                .count();
            let reason = if local.len() < seg.min_leads {
                Some("too_few_leads")
            } else if positives < seg.min_conversions {
                Some("too_few_conversions")
            } else if positives == 0 || positives == local.len() {
                Some("single_class")
            } else {
                None
            };
            groups.push((key, local, positives, reason));
        }
    }
    check_budget(config, groups.iter().filter(|g| g.3.is_none()).count())?;
    let (global, mut honest) = fit_sub(config, &x_train, &y_train, config.seed, threads);
    let mut segments = BTreeMap::new();
    let mut reports = Vec::new();
    for (key, local, positives, reason) in groups {
        if reason.is_none() {
            let ys: Vec<bool> = pick(&y_train, &local);
            let xs = x_train.select_rows(&local);
            let seed = SplitMix64::derive(config.seed, fnv1a(key.as_bytes())).next_u64();
            let (sub, h) = fit_sub(config, &xs, &ys, seed, threads);
            for (&i, v) in local.iter().zip(h) {
                if let Some(slot) = honest.get_mut(i) {
                    *slot = v;
                }
            }
            segments.insert(key.to_string(), sub);
        }
        reports.push(SegmentReport {
            segment: key.to_string(),
            rows: local.len(),
            positives,
            model: if reason.is_none() { "own" } else { "global" }.to_string(),
            reason: reason.map(str::to_string),
        });
    }
    let reference: Vec<f64> = honest.into_iter().flatten().collect();
    let tiers = config.tiers.resolve(&reference);
    Ok(Fitted {
        global,
        segments,
        reports,
        tiers,
    })
}

/// Most segment models one training fits.
pub const MAX_SEGMENT_MODELS: usize = 1_000;

/// Most trees one training fits: the global forest's and every segment forest's.
pub const MAX_TRAINED_TREES: usize = 50_000;

/// Refuses a training that would fit more than [`MAX_SEGMENT_MODELS`] segment models or more
/// than [`MAX_TRAINED_TREES`] trees, before any of them is fitted.
fn check_budget(config: &TrainConfig, own: usize) -> Result<(), PredictError> {
    let over = |what, limit: usize, requested: usize, path: &str| {
        PredictError::LimitExceeded(crate::error::Limit {
            what,
            limit: limit as u64,
            requested: requested as u64,
            path: path.to_string(),
        })
    };
    if own > MAX_SEGMENT_MODELS {
        return Err(over(
            "segment_models",
            MAX_SEGMENT_MODELS,
            own,
            "segments.min_leads",
        ));
    }
    if let ModelConfig::RandomForest(p) = &config.model {
        let trees = (own + 1).saturating_mul(p.n_trees);
        if trees > MAX_TRAINED_TREES {
            return Err(over("trees", MAX_TRAINED_TREES, trees, "model.n_trees"));
        }
    }
    Ok(())
}

/// Fits one estimator; returns it with calibrated out-of-sample scores of its training rows.
fn fit_sub(
    config: &TrainConfig,
    x: &FeatureMatrix,
    y: &[bool],
    seed: u64,
    threads: usize,
) -> (SubModel, Vec<Option<f64>>) {
    let (estimator, honest) = match &config.model {
        ModelConfig::RandomForest(p) => {
            let fitted = RandomForest::fit(x, y, p, seed, threads);
            (Estimator::RandomForest(fitted.forest), fitted.oob)
        }
        ModelConfig::NaiveBayes(p) => {
            let mut honest = vec![None; y.len()];
            let k = 5.min(y.len()).max(2);
            for fold in stratified_folds(y, k, seed) {
                let rest: Vec<usize> = (0..y.len())
                    .filter(|i| fold.binary_search(i).is_err())
                    .collect();
                if rest.is_empty() || fold.is_empty() {
                    continue;
                }
                let nb = NaiveBayes::fit(&x.select_rows(&rest), &pick(y, &rest), p);
                let probs = nb.predict_proba(&x.select_rows(&fold), threads);
                for (&r, v) in fold.iter().zip(probs) {
                    if let Some(slot) = honest.get_mut(r) {
                        *slot = Some(v);
                    }
                }
            }
            (Estimator::NaiveBayes(NaiveBayes::fit(x, y, p)), honest)
        }
    };
    let calibrator = Calibrator::fit(config.calibration, &honest, y);
    let honest = honest
        .into_iter()
        .map(|s| s.map(|v| calibrator.apply(v)))
        .collect();
    let sub = SubModel {
        estimator,
        calibrator,
        rows: y.len(),
        positives: y.iter().filter(|&&v| v).count(),
    };
    (sub, honest)
}

impl Fitted {
    fn predict(&self, x: &FeatureMatrix, keys: &[Option<String>], threads: usize) -> Vec<f64> {
        super::score::predict_routed(&self.global, &self.segments, x, keys, threads)
            .into_iter()
            .map(|(_, p)| p)
            .collect()
    }

    fn permutation_importance(
        &self,
        x: &FeatureMatrix,
        y: &[bool],
        keys: &[Option<String>],
        config: &TrainConfig,
        threads: usize,
    ) -> Result<Vec<Importance>, Error> {
        let auc = |probs: &[f64]| -> Result<Option<f64>, Error> {
            Ok(evaluate(&self.tiers, probs, y)?.roc_auc)
        };
        let Some(base) = auc(&self.predict(x, keys, threads))? else {
            return Ok(Vec::new());
        };
        if config.permutation_repeats == 0 {
            return Ok(Vec::new());
        }
        let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
        for (c, col) in x.columns.iter().enumerate() {
            match groups.iter_mut().find(|(g, _)| *g == col.group) {
                Some((_, cols)) => cols.push(c),
                None => groups.push((col.group.clone(), vec![c])),
            }
        }
        let mut out = Vec::new();
        for (gi, (group, cols)) in groups.iter().enumerate() {
            let mut drops = Vec::new();
            for rep in 0..config.permutation_repeats {
                let mut order: Vec<usize> = (0..x.n_rows()).collect();
                SplitMix64::derive(config.seed, (gi * 1000 + rep) as u64).shuffle(&mut order);
                let mut shuffled = x.clone();
                for &c in cols {
                    if let (Some(dst), Some(src)) = (shuffled.data.get_mut(c), x.data.get(c)) {
                        *dst = order.iter().filter_map(|&r| src.get(r).copied()).collect();
                    }
                }
                let a = auc(&self.predict(&shuffled, keys, threads))?.unwrap_or(base);
                drops.push(base - a);
            }
            let k = drops.len() as f64;
            let mean = drops.iter().sum::<f64>() / k;
            let std = (drops.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / k).sqrt();
            out.push(Importance {
                feature: group.clone(),
                importance: mean,
                std,
            });
        }
        out.sort_by(|a, b| {
            b.importance
                .total_cmp(&a.importance)
                .then_with(|| a.feature.cmp(&b.feature))
        });
        Ok(out)
    }
}
