//! Pre-qualification temperature (seed 001): cold / warm / hot from a score and two thresholds.

use serde::{Deserialize, Serialize};

use crate::error::{ConfigError, FieldErrorKind, InputError};
use crate::input::Config;
use crate::lead::Temperature;

/// Score thresholds for temperature, on the scale of the score the caller supplies (points of
/// a 0–100 behavior score, say): below `warm` is cold, from `warm` is warm, from `hot` is hot.
///
/// `warm <= hot`, both finite; `warm == hot` leaves no warm band. The default (40 / 70 on a
/// 100-point scale) is an example, not a recommendation from the seeds, which give none.
///
/// ```
/// use leadcore::qualify::TemperatureThresholds;
/// use leadcore::input::Config;
/// let t = TemperatureThresholds::from_json(r#"{"warm": 30, "hot": 60}"#).unwrap();
/// let v = t.classify(45.0).unwrap();
/// assert_eq!(v.temperature, leadcore::lead::Temperature::Warm);
/// assert_eq!(v.reason, "score 45 is at least the warm threshold 30 and below the hot threshold 60");
/// ```
/// Both thresholds default to 40 / 70 on a 100-point scale (an empty document gives them).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct TemperatureThresholds {
    /// Lowest score that is warm.
    pub warm: f64,
    /// Lowest score that is hot.
    pub hot: f64,
}

/// 40 / 70 — assumed: seed 001 describes cold, warm and hot leads in words
/// (「冷線索(Cold Leads)」 …) and gives no score cut-offs.
impl Default for TemperatureThresholds {
    fn default() -> Self {
        Self {
            warm: 40.0,
            hot: 70.0,
        }
    }
}

impl Config for TemperatureThresholds {
    fn validate(&self) -> Result<(), ConfigError> {
        for (name, v) in [("warm", self.warm), ("hot", self.hot)] {
            if !v.is_finite() {
                return Err(ConfigError::new(FieldErrorKind::NotFinite, name));
            }
        }
        if self.warm > self.hot {
            return Err(ConfigError::new(
                FieldErrorKind::InvalidValue(format!(
                    "`hot` ({}) is below `warm` ({})",
                    self.hot, self.warm
                )),
                "hot",
            ));
        }
        Ok(())
    }
}

/// A lead's temperature with the score and the reason.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TemperatureVerdict {
    /// Cold, warm or hot.
    pub temperature: Temperature,
    /// The score it was derived from.
    pub score: f64,
    /// Which threshold decided it, in words.
    pub reason: String,
}

impl TemperatureThresholds {
    /// The temperature for `score`. A NaN or infinite score is `not_finite` at `score`.
    ///
    /// Thresholds are validated by [`Config::validate`]; called on invalid thresholds, the
    /// rule still applies literally (hot is checked first).
    pub fn classify(&self, score: f64) -> Result<TemperatureVerdict, InputError> {
        if !score.is_finite() {
            return Err(InputError::new(FieldErrorKind::NotFinite, "score"));
        }
        let (warm, hot) = (self.warm, self.hot);
        let (temperature, reason) = if score >= hot {
            (
                Temperature::Hot,
                format!("score {score} is at least the hot threshold {hot}"),
            )
        } else if score >= warm {
            (
                Temperature::Warm,
                format!(
                    "score {score} is at least the warm threshold {warm} and below the hot \
                     threshold {hot}"
                ),
            )
        } else {
            (
                Temperature::Cold,
                format!("score {score} is below the warm threshold {warm}"),
            )
        };
        Ok(TemperatureVerdict {
            temperature,
            score,
            reason,
        })
    }
}

/// The temperature for `score` under `thresholds`.
pub fn temperature(
    thresholds: &TemperatureThresholds,
    score: f64,
) -> Result<TemperatureVerdict, InputError> {
    thresholds.classify(score)
}
