//! A transparent naive-Bayes lead score in the style of Odoo's predictive lead scoring.
//!
//! Each variable (a categorical attribute, or a numeric feature cut into a few quantile bins with
//! a bin for missing values) keeps how many converted and non-converted training leads had each
//! value. A lead's probability is Bayes' rule with the naive independence assumption:
//! `odds = prior_odds · Π P(value | converted) / P(value | not converted)`, with additive
//! (Laplace) smoothing `alpha`. A value seen in fewer than `min_support` training leads is
//! skipped (factor 1). The per-value ratios are the explanation. Per-team tables with a global
//! fallback are segment models ([`super::train::SegmentConfig`]) of this estimator.

use serde::{Deserialize, Serialize};

use super::binning::Bins;
use super::features::{Column, FeatureMatrix};
use crate::error::{ConfigError, FieldErrorKind};

/// Parameters of the naive-Bayes model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NaiveBayesParams {
    /// Additive smoothing added to every value count (Laplace: 1).
    #[serde(default = "default_alpha")]
    pub alpha: f64,
    /// Fewest training leads a value needs before it moves the score.
    #[serde(default = "default_support")]
    pub min_support: usize,
    /// Quantile bins for numeric features (2..=255); missing values get their own bin.
    #[serde(default = "default_bins")]
    pub numeric_bins: usize,
}

impl Default for NaiveBayesParams {
    fn default() -> Self {
        Self {
            alpha: default_alpha(),
            min_support: default_support(),
            numeric_bins: default_bins(),
        }
    }
}

fn default_alpha() -> f64 {
    1.0
}
fn default_support() -> usize {
    5
}
fn default_bins() -> usize {
    5
}

impl NaiveBayesParams {
    /// Checks ranges; `path` is where the params sit in the enclosing config.
    pub fn validate(&self, path: &str) -> Result<(), ConfigError> {
        if !(self.alpha.is_finite() && self.alpha > 0.0) {
            return Err(ConfigError::new(
                FieldErrorKind::InvalidValue(format!("`{}` is not a positive number", self.alpha)),
                format!("{path}.alpha"),
            ));
        }
        if !(2..=255).contains(&self.numeric_bins) {
            return Err(ConfigError::new(
                FieldErrorKind::InvalidValue(format!("`{}` is outside 2..=255", self.numeric_bins)),
                format!("{path}.numeric_bins"),
            ));
        }
        Ok(())
    }
}

/// How a variable reads its value from a row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Encoding {
    /// A one-hot group: the value is the first set column among `columns` (the last one, the
    /// `(other)` level, when none is set).
    OneHot {
        /// The group's columns; their levels name the values.
        columns: Vec<usize>,
        /// The level of each column.
        levels: Vec<String>,
    },
    /// A numeric column cut at `edges`; value `k` is bin `k`, value `edges.len() + 1` missing.
    Binned {
        /// The column.
        column: usize,
        /// Bin edges: bin `k` holds `edges[k-1] < v <= edges[k]`.
        edges: Vec<f32>,
    },
}

/// One variable: its encoding and per-value counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Variable {
    /// The variable's name (column group).
    pub name: String,
    /// How its value is read.
    pub encoding: Encoding,
    /// Converted training leads per value.
    pub won: Vec<f64>,
    /// Non-converted training leads per value.
    pub lost: Vec<f64>,
}

/// A trained naive-Bayes model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NaiveBayes {
    /// Number of input features.
    pub n_features: usize,
    /// Smoothing.
    pub alpha: f64,
    /// Support a value needs to count.
    pub min_support: usize,
    /// Converted training leads.
    pub won_total: f64,
    /// Non-converted training leads.
    pub lost_total: f64,
    /// The variables.
    pub variables: Vec<Variable>,
}

/// One variable's effect on one lead.
#[derive(Debug, Clone, PartialEq)]
pub struct NbFactor {
    /// Variable index.
    pub variable: usize,
    /// The lead's value, as text.
    pub value: String,
    /// `P(value | converted) / P(value | not converted)`.
    pub ratio: f64,
}

impl NaiveBayes {
    /// Counts the values of every variable over the rows of `x`.
    pub fn fit(x: &FeatureMatrix, y: &[bool], params: &NaiveBayesParams) -> Self {
        let bins = Bins::fit(x, params.numeric_bins);
        let mut variables = Vec::new();
        let mut c = 0;
        while let Some(col) = x.columns.get(c) {
            if col.level.is_some() {
                let group: Vec<usize> = (c..x.n_cols())
                    .take_while(|&k| {
                        x.columns
                            .get(k)
                            .is_some_and(|o| o.group == col.group && o.level.is_some())
                    })
                    .collect();
                let levels = group
                    .iter()
                    .filter_map(|&k| x.columns.get(k).and_then(|o: &Column| o.level.clone()))
                    .collect();
                c += group.len().max(1);
                variables.push(new_var(
                    &col.group,
                    Encoding::OneHot {
                        columns: group,
                        levels,
                    },
                ));
            } else {
                let edges = bins.edges.get(c).cloned().unwrap_or_default();
                variables.push(new_var(&col.group, Encoding::Binned { column: c, edges }));
                c += 1;
            }
        }
        let (mut won_total, mut lost_total) = (0.0, 0.0);
        for (r, &label) in y.iter().enumerate().take(x.n_rows()) {
            if label {
                won_total += 1.0;
            } else {
                lost_total += 1.0;
            }
            for v in &mut variables {
                let k = value_index(&v.encoding, x, r);
                let table = if label { &mut v.won } else { &mut v.lost };
                if let Some(slot) = table.get_mut(k) {
                    *slot += 1.0;
                }
            }
        }
        Self {
            n_features: x.n_cols(),
            alpha: params.alpha,
            min_support: params.min_support,
            won_total,
            lost_total,
            variables,
        }
    }

    /// Probability and per-variable factors of row `r` of `x`.
    pub fn explain_row(&self, x: &FeatureMatrix, r: usize) -> (f64, Vec<NbFactor>) {
        let a = self.alpha;
        let mut log_odds = ((self.won_total + a) / (self.lost_total + a)).ln();
        let mut factors = Vec::new();
        for (i, v) in self.variables.iter().enumerate() {
            let k = value_index(&v.encoding, x, r);
            let (won, lost) = (
                v.won.get(k).copied().unwrap_or(0.0),
                v.lost.get(k).copied().unwrap_or(0.0),
            );
            if won + lost < self.min_support as f64 {
                continue;
            }
            // Smooth over the values seen in training, so a constant variable is neutral.
            let slots = v
                .won
                .iter()
                .zip(&v.lost)
                .filter(|(w, l)| **w + **l > 0.0)
                .count()
                .max(1) as f64;
            let p_won = (won + a) / (self.won_total + a * slots);
            let p_lost = (lost + a) / (self.lost_total + a * slots);
            let ratio = p_won / p_lost;
            log_odds += ratio.ln();
            factors.push(NbFactor {
                variable: i,
                value: value_label(&v.encoding, k),
                ratio,
            });
        }
        (1.0 / (1.0 + (-log_odds).exp()), factors)
    }

    /// Probability of every row of `x`.
    pub fn predict_proba(&self, x: &FeatureMatrix, threads: usize) -> Vec<f64> {
        crate::parallel::fan_out_ranges(x.n_rows(), threads, |s, e| {
            (s..e).map(|r| self.explain_row(x, r).0).collect()
        })
    }
}

fn new_var(name: &str, encoding: Encoding) -> Variable {
    let slots = match &encoding {
        Encoding::OneHot { columns, .. } => columns.len(),
        Encoding::Binned { edges, .. } => edges.len() + 2,
    };
    Variable {
        name: name.to_string(),
        encoding,
        won: vec![0.0; slots],
        lost: vec![0.0; slots],
    }
}

fn value_index(enc: &Encoding, x: &FeatureMatrix, r: usize) -> usize {
    match enc {
        Encoding::OneHot { columns, .. } => columns
            .iter()
            .position(|&c| x.value(r, c) > 0.0)
            .unwrap_or(columns.len().saturating_sub(1)),
        Encoding::Binned { column, edges } => {
            let v = x.value(r, *column);
            if v.is_nan() {
                edges.len() + 1
            } else {
                let v = v.clamp(f32::MIN, f32::MAX);
                edges.partition_point(|e| *e < v)
            }
        }
    }
}

fn value_label(enc: &Encoding, k: usize) -> String {
    match enc {
        Encoding::OneHot { levels, .. } => levels.get(k).cloned().unwrap_or_default(),
        Encoding::Binned { edges, .. } => {
            if k == edges.len() + 1 {
                return "missing".into();
            }
            match (k.checked_sub(1).and_then(|i| edges.get(i)), edges.get(k)) {
                (None, None) => "present".into(),
                (None, Some(hi)) => format!("<= {hi}"),
                (Some(lo), None) => format!("> {lo}"),
                (Some(lo), Some(hi)) => format!("({lo}, {hi}]"),
            }
        }
    }
}
