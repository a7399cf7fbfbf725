//! Growth motion by deal size (seed 003, "0-2万客单价最合适PLG, 2-30万客单价合适MLG, 30万以上客单价
//! 则属于SLG"): bands of a deal amount, each naming a motion (`PLG`, `MLG`, `SLG`…). The bands
//! are data; the seed's cut-offs are an example, not a default.
//!
//! A lead's motion is the first band whose `below` exceeds its amount (the last band has no
//! bound); a lead without the amount attribute has none. Used as the funnel dimension
//! `growth_motion` and to split the MLG index's new customers by motion.

use serde::{Deserialize, Serialize};

use crate::error::{ConfigError, FieldErrorKind};
use crate::lead::{AttrValue, Lead};

/// Growth-motion bands over a deal amount.
///
/// ```
/// use leadcore::funnel::GrowthBands;
/// let bands: GrowthBands = serde_json::from_str(r#"{"amount": "deal_amount", "bands": [
///   {"id": "PLG", "below": 20000}, {"id": "MLG", "below": 300000}, {"id": "SLG"}]}"#).unwrap();
/// bands.validate_at("growth_bands").unwrap();
/// let lead: leadcore::Lead = serde_json::from_str(
///     r#"{"id": "L1", "created_at": "2026-01-01T00:00:00Z", "attributes": {"deal_amount": 150000}}"#).unwrap();
/// assert_eq!(bands.motion(&lead), Some("MLG"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GrowthBands {
    /// Lead attribute holding the deal amount (`deal_amount`…).
    pub amount: String,
    /// The bands, smallest amounts first; every band but the last has `below`.
    pub bands: Vec<GrowthBand>,
}

/// One band: amounts below `below` (and at or above the previous band's bound).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GrowthBand {
    /// The motion's name (`PLG`, `MLG`, `SLG`).
    pub id: String,
    /// Exclusive upper bound of the amount; absent on the last band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<f64>,
}

// `below` is checked finite on load, so equality is an equivalence.
impl Eq for GrowthBands {}
impl Eq for GrowthBand {}

impl GrowthBands {
    /// Checks the bands, naming errors under `at`.
    pub fn validate_at(&self, at: &str) -> Result<(), ConfigError> {
        if self.amount.trim().is_empty() {
            return Err(ConfigError::invalid(
                "the amount attribute must not be empty",
                format!("{at}.amount"),
            ));
        }
        if self.bands.is_empty() {
            return Err(ConfigError::invalid(
                "at least one band is needed",
                format!("{at}.bands"),
            ));
        }
        let last = self.bands.len() - 1;
        let mut prev: Option<f64> = None;
        for (i, b) in self.bands.iter().enumerate() {
            let path = format!("{at}.bands[{i}]");
            if b.id.trim().is_empty() {
                return Err(ConfigError::invalid(
                    "band id must not be empty",
                    format!("{path}.id"),
                ));
            }
            if self.bands.iter().take(i).any(|p| p.id == b.id) {
                return Err(ConfigError::new(
                    FieldErrorKind::Duplicate(b.id.clone()),
                    format!("{path}.id"),
                ));
            }
            match (b.below, i == last) {
                (Some(_), true) => {
                    return Err(ConfigError::invalid(
                        "the last band has no `below`: it takes every larger amount",
                        format!("{path}.below"),
                    ));
                }
                (None, false) => {
                    return Err(ConfigError::invalid(
                        "every band but the last needs `below`",
                        format!("{path}.below"),
                    ));
                }
                (Some(x), false) => {
                    if !x.is_finite() {
                        return Err(ConfigError::new(
                            FieldErrorKind::NotFinite,
                            format!("{path}.below"),
                        ));
                    }
                    if prev.is_some_and(|p| x <= p) {
                        return Err(ConfigError::invalid(
                            format!("bounds must increase: {x} after {}", prev.unwrap_or(x)),
                            format!("{path}.below"),
                        ));
                    }
                    prev = Some(x);
                }
                (None, true) => {}
            }
        }
        Ok(())
    }

    /// The motion of `lead`'s amount, if it has a numeric one.
    pub fn motion(&self, lead: &Lead) -> Option<&str> {
        let Some(AttrValue::Number(x)) = lead.attr(&self.amount) else {
            return None;
        };
        self.bands
            .iter()
            .find(|b| b.below.is_none_or(|below| *x < below))
            .map(|b| b.id.as_str())
    }
}
