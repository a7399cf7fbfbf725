//! The combined score and its tier: a weighted sum of behavior, fit and source scores, or a
//! fit × engagement matrix (A1..C3); tiers high / mid / low by absolute thresholds or by
//! quantiles of a population (HubSpot-style quartiles).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::check;
use super::grade::Grade;
use super::source::Tier;
use crate::error::ConfigError;

/// How fit, behavior and source combine into one score.
///
/// ```
/// use leadcore::score::combine::CombineModel;
/// let c: CombineModel = serde_json::from_str(r#"{"type": "weighted", "behavior": 0.6, "fit": 0.4}"#).unwrap();
/// assert_eq!(c, CombineModel::Weighted { behavior: 0.6, fit: 0.4, source: 0.0 });
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum CombineModel {
    /// `behavior × w_b + fit × w_f + source × w_s`; weights ≥ 0 (defaults 1, 1, 0: the plain
    /// sum of behavior and fit).
    Weighted {
        /// Weight of the behavior score.
        #[serde(default = "one")]
        behavior: f64,
        /// Weight of the fit score.
        #[serde(default = "one")]
        fit: f64,
        /// Weight of the source score.
        #[serde(default)]
        source: f64,
    },
    /// A fit × engagement matrix: the lead's fit band label and engagement band label name a
    /// cell (`"A" + "1"` → `"A1"`) that gives the combined score and the tier.
    Matrix {
        /// Whether fit bands use the fit score (`min`) or the grade (`min_grade`).
        #[serde(default)]
        fit_axis: FitAxis,
        /// Fit bands, best first; the last has no minimum.
        fit_bands: Vec<MatrixBand>,
        /// Engagement bands on the behavior score, best first; the last has no minimum.
        engagement_bands: Vec<MatrixBand>,
        /// One cell per (fit band, engagement band) pair, keyed by the joined labels.
        cells: BTreeMap<String, Cell>,
    },
}

fn one() -> f64 {
    1.0
}

impl Default for CombineModel {
    fn default() -> Self {
        Self::Weighted {
            behavior: 1.0,
            fit: 1.0,
            source: 0.0,
        }
    }
}

/// The fit axis of a matrix.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FitAxis {
    /// Bands on the fit score (`min`).
    #[default]
    Score,
    /// Bands on the fit grade (`min_grade`).
    Grade,
}

/// A band of a matrix axis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MatrixBand {
    /// The band's label (`A`, `1`…).
    pub label: String,
    /// Lowest score in the band (inclusive); absent on the last band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Lowest grade in the band, for a grade fit axis; absent on the last band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_grade: Option<Grade>,
}

/// A matrix cell.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cell {
    /// The combined score of leads in the cell.
    pub score: f64,
    /// Their tier.
    pub tier: Tier,
}

/// How the combined score maps to tiers (for weighted combination).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum TierModel {
    /// High at or above `high`, mid at or above `mid`, else low (points).
    Thresholds {
        /// Lowest high score.
        high: f64,
        /// Lowest mid score (≤ `high`).
        mid: f64,
    },
    /// By quantiles of the scored population: with the scores sorted ascending
    /// `s[0..n]`, the high cutoff is `s[⌊high·n⌋]` and the mid cutoff `s[⌊mid·n⌋]` (index
    /// capped at `n-1`); a lead at or above a cutoff is in that tier. `high: 0.75, mid: 0.25`
    /// are quartiles: the top quarter high, the bottom quarter low (ties share a tier).
    /// Only batch scoring has a population; a single lead gets no tier.
    Quantiles {
        /// Quantile of the high cutoff, in [0, 1].
        high: f64,
        /// Quantile of the mid cutoff, in [0, `high`].
        mid: f64,
    },
}

/// Score cutoffs of the tiers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Cutoffs {
    /// Lowest high score.
    pub high: f64,
    /// Lowest mid score.
    pub mid: f64,
}

impl Cutoffs {
    /// The tier of a score.
    pub fn tier(&self, score: f64) -> Tier {
        if score >= self.high {
            Tier::High
        } else if score >= self.mid {
            Tier::Mid
        } else {
            Tier::Low
        }
    }
}

/// The quantile cutoffs of a population of scores (`None` for an empty population); see
/// [`TierModel::Quantiles`].
///
/// ```
/// use leadcore::score::combine::quantile_cutoffs;
/// let c = quantile_cutoffs(&[10.0, 40.0, 20.0, 30.0], 0.75, 0.25).unwrap();
/// assert_eq!((c.high, c.mid), (40.0, 20.0));
/// ```
pub fn quantile_cutoffs(scores: &[f64], high: f64, mid: f64) -> Option<Cutoffs> {
    let mut sorted: Vec<f64> = scores.iter().copied().filter(|s| s.is_finite()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let at = |q: f64| {
        let i = ((q * n as f64).floor() as usize).min(n - 1);
        sorted.get(i).copied().unwrap_or(0.0)
    };
    Some(Cutoffs {
        high: at(high),
        mid: at(mid),
    })
}

impl TierModel {
    /// Checks the numbers; `path` is the JSON path of the tiers object.
    pub fn validate_at(&self, path: &str) -> Result<(), ConfigError> {
        let (high, mid, quantiles) = match *self {
            Self::Thresholds { high, mid } => (high, mid, false),
            Self::Quantiles { high, mid } => (high, mid, true),
        };
        let (hp, mp) = (check::at(path, "high"), check::at(path, "mid"));
        if quantiles {
            check::fraction(high, &hp)?;
            check::fraction(mid, &mp)?;
        } else {
            check::points(high, &hp)?;
            check::points(mid, &mp)?;
        }
        if mid > high {
            return Err(ConfigError::invalid(
                format!("`mid` {mid} is above `high` {high}"),
                mp,
            ));
        }
        Ok(())
    }
}

/// A lead's combined score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CombinedScore {
    /// The combined score (rounded to 4 decimals).
    pub score: f64,
    /// The matrix cell, for matrix combination.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    /// The tier; `null` when the model has no tiers, or has quantile tiers and the lead was
    /// scored alone.
    pub tier: Option<Tier>,
}

fn validate_bands(bands: &[MatrixBand], path: &str, grade_axis: bool) -> Result<(), ConfigError> {
    if bands.is_empty() {
        return Err(ConfigError::invalid("at least one band is needed", path));
    }
    let mut labels = BTreeSet::new();
    let mut prev: Option<(Option<f64>, Option<Grade>)> = None;
    for (i, b) in bands.iter().enumerate() {
        let p = check::nth(path, i);
        if b.label.trim().is_empty() {
            return Err(ConfigError::invalid(
                "a band label is empty",
                check::at(&p, "label"),
            ));
        }
        if !labels.insert(b.label.as_str()) {
            return Err(check::duplicate(&b.label, check::at(&p, "label")));
        }
        let last = i + 1 == bands.len();
        let (wrong, right) = if grade_axis {
            ("min", b.min_grade.is_some())
        } else {
            ("min_grade", b.min.is_some())
        };
        if (grade_axis && b.min.is_some()) || (!grade_axis && b.min_grade.is_some()) {
            return Err(ConfigError::invalid(
                format!("`{wrong}` does not apply to this axis"),
                check::at(&p, wrong),
            ));
        }
        if right == last {
            return Err(ConfigError::invalid(
                "every band but the last needs a minimum, and the last has none",
                p,
            ));
        }
        if let Some(m) = b.min {
            check::points(m, &check::at(&p, "min"))?;
        }
        if let Some((pm, pg)) = prev {
            let descending = match (pm, b.min, pg, b.min_grade) {
                (Some(a), Some(x), _, _) => x < a,
                (_, _, Some(a), Some(x)) => x < a,
                _ => true,
            };
            if !descending {
                return Err(ConfigError::invalid(
                    "bands must go from the highest minimum down",
                    p,
                ));
            }
        }
        prev = Some((b.min, b.min_grade));
    }
    Ok(())
}

impl CombineModel {
    /// Checks weights, bands and cells; `path` is the JSON path of the combine object.
    pub fn validate_at(&self, path: &str) -> Result<(), ConfigError> {
        match self {
            Self::Weighted {
                behavior,
                fit,
                source,
            } => {
                check::non_negative(*behavior, &check::at(path, "behavior"))?;
                check::non_negative(*fit, &check::at(path, "fit"))?;
                check::non_negative(*source, &check::at(path, "source"))
            }
            Self::Matrix {
                fit_axis,
                fit_bands,
                engagement_bands,
                cells,
            } => {
                validate_bands(
                    fit_bands,
                    &check::at(path, "fit_bands"),
                    *fit_axis == FitAxis::Grade,
                )?;
                validate_bands(
                    engagement_bands,
                    &check::at(path, "engagement_bands"),
                    false,
                )?;
                let cp = check::at(path, "cells");
                let mut keys = BTreeSet::new();
                for f in fit_bands {
                    for e in engagement_bands {
                        let key = format!("{}{}", f.label, e.label);
                        if !keys.insert(key.clone()) {
                            return Err(check::duplicate(&key, &cp));
                        }
                        if !cells.contains_key(&key) {
                            return Err(ConfigError::invalid(
                                format!("cell `{key}` is missing"),
                                &cp,
                            ));
                        }
                    }
                }
                for (key, cell) in cells {
                    if !keys.contains(key) {
                        return Err(check::unknown(format!("cell {key}"), check::at(&cp, key)));
                    }
                    check::points(cell.score, &check::at(&check::at(&cp, key), "score"))?;
                }
                Ok(())
            }
        }
    }

    /// The combined score, and for a matrix the cell and its tier.
    pub(crate) fn combine(
        &self,
        behavior: f64,
        fit: f64,
        grade: Grade,
        source: f64,
    ) -> (f64, Option<(String, Tier)>) {
        match self {
            Self::Weighted {
                behavior: wb,
                fit: wf,
                source: ws,
            } => (check::round(behavior * wb + fit * wf + source * ws), None),
            Self::Matrix {
                fit_axis,
                fit_bands,
                engagement_bands,
                cells,
            } => {
                let fit_band = fit_bands.iter().find(|b| match fit_axis {
                    FitAxis::Score => b.min.is_none_or(|m| fit >= m),
                    FitAxis::Grade => b.min_grade.is_none_or(|m| grade >= m),
                });
                let eng_band = engagement_bands
                    .iter()
                    .find(|b| b.min.is_none_or(|m| behavior >= m));
                match (fit_band, eng_band) {
                    (Some(f), Some(e)) => {
                        let key = format!("{}{}", f.label, e.label);
                        match cells.get(&key) {
                            Some(c) => (c.score, Some((key, c.tier))),
                            None => (0.0, None),
                        }
                    }
                    _ => (0.0, None),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_split_quartiles() {
        let scores: Vec<f64> = (1..=8).map(f64::from).collect();
        let c = quantile_cutoffs(&scores, 0.75, 0.25).unwrap();
        let tiers: Vec<Tier> = scores.iter().map(|s| c.tier(*s)).collect();
        assert_eq!(tiers.iter().filter(|t| **t == Tier::High).count(), 2);
        assert_eq!(tiers.iter().filter(|t| **t == Tier::Low).count(), 2);
        assert_eq!(quantile_cutoffs(&[], 0.75, 0.25), None);
    }

    #[test]
    fn matrix_needs_every_cell() {
        let m: CombineModel = serde_json::from_value(serde_json::json!({
            "type": "matrix",
            "fit_bands": [{"label": "A", "min": 50}, {"label": "B"}],
            "engagement_bands": [{"label": "1", "min": 30}, {"label": "2"}],
            "cells": {"A1": {"score": 100, "tier": "high"}, "A2": {"score": 60, "tier": "mid"},
                      "B1": {"score": 50, "tier": "mid"}}
        }))
        .unwrap();
        let e = m.validate_at("combine").unwrap_err();
        assert_eq!(
            (e.code(), e.path.as_str()),
            ("invalid_value", "combine.cells")
        );
    }
}
