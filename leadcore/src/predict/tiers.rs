//! High / mid / low tiers from a conversion probability (seed 001's potential labels).

use serde::{Deserialize, Serialize};

use crate::error::{ConfigError, FieldErrorKind};

/// How tiers are cut.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum TierConfig {
    /// Fixed probabilities: `high` and above is high, `mid` and above is mid.
    Thresholds {
        /// Lowest probability of a high lead (fraction 0–1).
        high: f64,
        /// Lowest probability of a mid lead (fraction 0–1, at most `high`).
        mid: f64,
    },
    /// Population quantiles learned at training time: the top `high` fraction of the training
    /// leads' (out-of-sample) scores is high, the top `mid` fraction is high or mid. The
    /// thresholds are stored in the model, so a lead scored alone gets the same tier as in a
    /// batch.
    Quantiles {
        /// Fraction of leads that are high (e.g. 0.1).
        high: f64,
        /// Fraction of leads that are high or mid (e.g. 0.3).
        mid: f64,
    },
}

/// Top 10% high, top 30% high or mid — assumed: seed 001 labels leads high, mid and low
/// (「高中低潛力值」) with no cut-offs.
impl Default for TierConfig {
    fn default() -> Self {
        Self::Quantiles {
            high: 0.1,
            mid: 0.3,
        }
    }
}

impl TierConfig {
    /// Checks ranges; `path` is where the tiers sit in the enclosing config.
    pub fn validate(&self, path: &str) -> Result<(), ConfigError> {
        let (high, mid) = match self {
            Self::Thresholds { high, mid } | Self::Quantiles { high, mid } => (*high, *mid),
        };
        for (name, v) in [("high", high), ("mid", mid)] {
            if !v.is_finite() {
                return Err(ConfigError::new(
                    FieldErrorKind::NotFinite,
                    format!("{path}.{name}"),
                ));
            }
            if !(0.0..=1.0).contains(&v) {
                return Err(ConfigError::new(
                    FieldErrorKind::InvalidValue(format!("`{v}` is outside 0..=1")),
                    format!("{path}.{name}"),
                ));
            }
        }
        let ordered = match self {
            Self::Thresholds { .. } => mid <= high,
            Self::Quantiles { .. } => high <= mid,
        };
        if !ordered {
            return Err(ConfigError::new(
                FieldErrorKind::InvalidValue("mid and high are out of order".into()),
                format!("{path}.mid"),
            ));
        }
        Ok(())
    }

    /// Resolves the config to probability thresholds; quantiles use `reference` scores.
    pub fn resolve(&self, reference: &[f64]) -> TierThresholds {
        match self {
            Self::Thresholds { high, mid } => TierThresholds {
                high: *high,
                mid: *mid,
            },
            Self::Quantiles { high, mid } => {
                let mut sorted: Vec<f64> = reference
                    .iter()
                    .copied()
                    .filter(|v| v.is_finite())
                    .collect();
                sorted.sort_unstable_by(|a, b| b.total_cmp(a));
                let at = |frac: f64| {
                    let k = ((sorted.len() as f64) * frac).ceil() as usize;
                    match k.checked_sub(1).and_then(|i| sorted.get(i)) {
                        Some(v) => *v,
                        None => 1.0 + f64::EPSILON,
                    }
                };
                TierThresholds {
                    high: at(*high),
                    mid: at(*mid),
                }
            }
        }
    }
}

/// Probability thresholds of the tiers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TierThresholds {
    /// Lowest probability of a high lead.
    pub high: f64,
    /// Lowest probability of a mid lead.
    pub mid: f64,
}

/// A lead's tier.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Work now.
    High,
    /// Nurture.
    Mid,
    /// Leave to automation.
    Low,
}

impl TierThresholds {
    /// The tier of probability `p`.
    pub fn tier(&self, p: f64) -> Tier {
        if p >= self.high {
            Tier::High
        } else if p >= self.mid {
            Tier::Mid
        } else {
            Tier::Low
        }
    }
}
