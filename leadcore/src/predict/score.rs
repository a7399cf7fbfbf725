//! Scoring leads with a trained model: probability, tier, and the factors behind it.
//!
//! Scoring is a batch call over `threads` std threads. A lead's result depends only on that
//! lead, its events, `now` and the model, so scoring it alone equals scoring it in a batch, and
//! the thread count never changes a result.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::error::PredictError;
use super::features::{FeatureMatrix, category_values};
use super::model::{Estimator, PredictiveModel, SubModel};
use super::tiers::Tier;
use crate::error::{Error, FieldErrorKind, InputError};
use crate::event::Event;
use crate::lead::Lead;
use crate::parallel::fan_out_ranges;

/// A lead's predictive score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LeadScore {
    /// The lead.
    pub lead_id: String,
    /// Conversion probability (fraction 0–1), calibrated when the model is.
    pub probability: f64,
    /// The estimator's probability before calibration.
    pub raw_score: f64,
    /// High / mid / low by the model's thresholds.
    pub tier: Tier,
    /// `global`, or the segment whose own model scored the lead.
    pub model: String,
    /// Where the explanation starts: for a forest, the mean training fraction of converted
    /// leads at the trees' roots (`base + Σ effects = raw_score`); for naive Bayes, the prior
    /// probability.
    pub base: f64,
    /// Factors that raise the score, strongest first.
    pub positive: Vec<Factor>,
    /// Factors that lower the score, strongest first.
    pub negative: Vec<Factor>,
}

/// One factor of a score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Factor {
    /// Feature group: a column name, or the attribute of a one-hot encoded categorical.
    pub feature: String,
    /// The lead's value (`missing` when absent).
    pub value: String,
    /// Effect on the score: for a forest, probability points (path contributions summed over
    /// the group); for naive Bayes, `ln(ratio)` in log-odds.
    pub effect: f64,
    /// Naive Bayes only: `P(value | converted) / P(value | not converted)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio: Option<f64>,
}

impl SubModel {
    fn raw_scores(&self, x: &FeatureMatrix, threads: usize) -> Vec<f64> {
        match &self.estimator {
            Estimator::RandomForest(f) => f.predict_proba(x, threads),
            Estimator::NaiveBayes(nb) => nb.predict_proba(x, threads),
        }
    }

    fn explain(&self, x: &FeatureMatrix, r: usize) -> (f64, Vec<Factor>) {
        match &self.estimator {
            Estimator::RandomForest(f) => {
                let row = x.row(r);
                let (base, contrib) = f.contributions(&row);
                let mut factors: Vec<Factor> = Vec::new();
                for ((col, v), c) in x.columns.iter().zip(&row).zip(&contrib) {
                    match factors.iter_mut().find(|f| f.feature == col.group) {
                        Some(f) => {
                            f.effect += c;
                            if *v > 0.0 && f.value.is_empty() {
                                f.value = col.level.clone().unwrap_or_default();
                            }
                        }
                        None => factors.push(Factor {
                            feature: col.group.clone(),
                            value: match &col.level {
                                Some(level) if *v > 0.0 => level.clone(),
                                Some(_) => String::new(),
                                None if v.is_nan() => "missing".into(),
                                None => v.to_string(),
                            },
                            effect: *c,
                            ratio: None,
                        }),
                    }
                }
                (base, factors)
            }
            Estimator::NaiveBayes(nb) => {
                let a = nb.alpha;
                let prior = (nb.won_total + a) / (nb.won_total + nb.lost_total + 2.0 * a);
                let factors = nb
                    .explain_row(x, r)
                    .1
                    .into_iter()
                    .map(|f| Factor {
                        feature: nb
                            .variables
                            .get(f.variable)
                            .map(|v| v.name.clone())
                            .unwrap_or_default(),
                        value: f.value,
                        effect: f.ratio.ln(),
                        ratio: Some(f.ratio),
                    })
                    .collect();
                (prior, factors)
            }
        }
    }
}

/// `(raw, calibrated)` probability of each row, each scored by its segment's model or the
/// global one.
pub(crate) fn predict_routed(
    global: &SubModel,
    segments: &BTreeMap<String, SubModel>,
    x: &FeatureMatrix,
    keys: &[Option<String>],
    threads: usize,
) -> Vec<(f64, f64)> {
    let mut groups: BTreeMap<Option<&str>, Vec<usize>> = BTreeMap::new();
    for r in 0..x.n_rows() {
        let key = keys
            .get(r)
            .and_then(|k| k.as_deref())
            .filter(|k| segments.contains_key(*k));
        groups.entry(key).or_default().push(r);
    }
    let mut out = vec![(0.0, 0.0); x.n_rows()];
    for (key, rows) in groups {
        let sub = key.and_then(|k| segments.get(k)).unwrap_or(global);
        let raw = if rows.len() == x.n_rows() {
            sub.raw_scores(x, threads)
        } else {
            sub.raw_scores(&x.select_rows(&rows), threads)
        };
        for (&r, s) in rows.iter().zip(raw) {
            if let Some(slot) = out.get_mut(r) {
                *slot = (s, sub.calibrator.apply(s).clamp(0.0, 1.0));
            }
        }
    }
    out
}

fn top(mut factors: Vec<Factor>, k: usize) -> (Vec<Factor>, Vec<Factor>) {
    factors.sort_by(|a, b| {
        b.effect
            .abs()
            .total_cmp(&a.effect.abs())
            .then_with(|| a.feature.cmp(&b.feature))
    });
    let positive = factors
        .iter()
        .filter(|f| f.effect > 0.0)
        .take(k)
        .cloned()
        .collect();
    let negative = factors
        .iter()
        .filter(|f| f.effect < 0.0)
        .take(k)
        .cloned()
        .collect();
    (positive, negative)
}

impl PredictiveModel {
    /// Scores leads as of `now`: builds their features from `events` (unordered, duplicated
    /// streams are fine; events after `now` and of unknown leads are ignored) and returns one
    /// [`LeadScore`] per lead, in input order.
    ///
    /// Categorical values unseen at training time count as `(other)`; missing values are routed
    /// as the trees learned. Errors: duplicate lead ids (`duplicate_id` at `leads[i].id`).
    pub fn score(
        &self,
        leads: &[Lead],
        events: &[Event],
        now: DateTime<Utc>,
        threads: usize,
    ) -> Result<Vec<LeadScore>, Error> {
        let x = self.build_features(leads, events, now, threads)?;
        let keys = self.segment_keys(leads);
        self.score_matrix(&x, Some(&keys), threads)
    }

    /// Builds the model's feature columns for `leads` as of `now`.
    pub fn build_features(
        &self,
        leads: &[Lead],
        events: &[Event],
        now: DateTime<Utc>,
        threads: usize,
    ) -> Result<FeatureMatrix, Error> {
        self.encoding.build(leads, events, now, threads)
    }

    /// Each lead's segment value, when the model has segments.
    pub fn segment_keys(&self, leads: &[Lead]) -> Vec<Option<String>> {
        match &self.config.segments {
            Some(s) => leads
                .iter()
                .map(|l| category_values(l, &s.attribute).into_iter().next())
                .collect(),
            None => vec![None; leads.len()],
        }
    }

    /// Scores a feature matrix the host built (e.g. columnar numpy / Arrow data) whose columns
    /// must be the model's, by name and order (`feature_mismatch` otherwise). `segments` gives
    /// each row's segment value (`None`: every row uses the global model).
    pub fn score_matrix(
        &self,
        x: &FeatureMatrix,
        segments: Option<&[Option<String>]>,
        threads: usize,
    ) -> Result<Vec<LeadScore>, Error> {
        let probs = self.predict_matrix(x, segments, threads)?;
        let keys = keys_or_none(segments, x.n_rows());
        let k = self.config.explain_top;
        Ok(fan_out_ranges(x.n_rows(), threads, |s, e| {
            (s..e)
                .map(|r| {
                    let key = keys
                        .get(r)
                        .and_then(|k| k.as_deref())
                        .filter(|k| self.segments.contains_key(*k));
                    let sub = key
                        .and_then(|k| self.segments.get(k))
                        .unwrap_or(&self.global);
                    let (raw, probability) = probs.get(r).copied().unwrap_or((0.0, 0.0));
                    let (base, factors) = if k > 0 {
                        sub.explain(x, r)
                    } else {
                        (0.0, Vec::new())
                    };
                    let (positive, negative) = top(factors, k);
                    LeadScore {
                        lead_id: x.lead_ids.get(r).cloned().unwrap_or_default(),
                        probability,
                        raw_score: raw,
                        tier: self.tiers.tier(probability),
                        model: key.unwrap_or("global").to_string(),
                        base,
                        positive,
                        negative,
                    }
                })
                .collect()
        }))
    }

    /// Probabilities only (no explanations): the fast path for very large batches.
    pub fn predict_proba(
        &self,
        x: &FeatureMatrix,
        segments: Option<&[Option<String>]>,
        threads: usize,
    ) -> Result<Vec<f64>, Error> {
        Ok(self
            .predict_matrix(x, segments, threads)?
            .into_iter()
            .map(|(_, p)| p)
            .collect())
    }

    fn predict_matrix(
        &self,
        x: &FeatureMatrix,
        segments: Option<&[Option<String>]>,
        threads: usize,
    ) -> Result<Vec<(f64, f64)>, Error> {
        self.check_columns(x)?;
        if let Some(s) = segments
            && s.len() != x.n_rows()
        {
            return Err(InputError::new(
                FieldErrorKind::InvalidValue(format!(
                    "{} segments for {} rows",
                    s.len(),
                    x.n_rows()
                )),
                "segments",
            )
            .into());
        }
        let keys = keys_or_none(segments, x.n_rows());
        Ok(predict_routed(
            &self.global,
            &self.segments,
            x,
            &keys,
            threads,
        ))
    }

    /// `feature_mismatch` unless `x` has exactly the model's columns, in order, and one value
    /// per row in each.
    pub fn check_columns(&self, x: &FeatureMatrix) -> Result<(), PredictError> {
        let expected = &self.encoding.columns;
        if x.columns.len() != expected.len() {
            return Err(PredictError::FeatureMismatch {
                expected: format!("{} columns", expected.len()),
                found: format!("{} columns", x.columns.len()),
            });
        }
        if let Some((e, f)) = expected
            .iter()
            .zip(&x.columns)
            .find(|(e, f)| e.name != f.name)
        {
            return Err(PredictError::FeatureMismatch {
                expected: e.name.clone(),
                found: f.name.clone(),
            });
        }
        if x.data.len() != expected.len() || x.data.iter().any(|c| c.len() != x.n_rows()) {
            return Err(PredictError::FeatureMismatch {
                expected: format!("{} values per column", x.n_rows()),
                found: "columns of other lengths".into(),
            });
        }
        Ok(())
    }
}

fn keys_or_none(segments: Option<&[Option<String>]>, n: usize) -> Vec<Option<String>> {
    segments.map_or_else(|| vec![None; n], <[Option<String>]>::to_vec)
}
