//! What attribution returns: credits per key for every model, with each model's explanation.

use serde::Serialize;

use super::config::Level;
use super::markov::MarkovDetail;
use super::position::Role;
use super::shapley::ShapleyDetail;

/// Credit of one key (channel or campaign) under one model.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Credit {
    /// The channel (or campaign).
    pub key: String,
    /// Conversions credited (fractional).
    pub conversions: f64,
    /// Value credited (same currency as the input values).
    pub value: f64,
}

/// One model's result.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ModelResult {
    /// The model's name (unique in the report).
    pub name: String,
    /// The model type (`first_touch`, `markov`…).
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Credits for every key, in key order (keys with no credit included, as 0).
    pub credits: Vec<Credit>,
    /// Markov chain details, for `markov`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markov: Option<MarkovDetail>,
    /// Shapley details, for `shapley`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shapley: Option<ShapleyDetail>,
}

/// Totals of the data attributed.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Totals {
    /// Journeys (conversions + nulls).
    pub journeys: u64,
    /// Converted journeys.
    pub conversions: u64,
    /// Journeys that did not convert.
    pub nulls: u64,
    /// Total conversion value.
    pub value: f64,
}

/// Credits per key under every configured model, side by side.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct AttributionReport {
    /// What the keys are: channels or campaigns.
    pub level: Level,
    /// Every key seen, sorted.
    pub keys: Vec<String>,
    /// Totals of the data.
    pub totals: Totals,
    /// One result per configured model, in configuration order.
    pub models: Vec<ModelResult>,
}

/// One touch's share of a journey under one model.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TouchCredit {
    /// Position of the touch in time order (0 = first).
    pub position: usize,
    /// Index of the touch in the journey as given.
    pub index: usize,
    /// The touch's key (channel or campaign).
    pub key: String,
    /// Why it got its weight (several when milestones share a touch).
    pub roles: Vec<Role>,
    /// Its share of the journey's credit (fraction; the shares sum to 1).
    pub weight: f64,
    /// Conversions credited (weight × 1 if converted, else 0).
    pub conversions: f64,
    /// Value credited.
    pub value: f64,
}

/// One heuristic model's split of one journey.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ModelSplit {
    /// The model's name.
    pub name: String,
    /// The model type.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Every touch in time order.
    pub touches: Vec<TouchCredit>,
}

/// How each heuristic model splits one journey's credit over its touches.
///
/// Data-driven models (Markov, Shapley) are fitted on all journeys and have no per-journey
/// split, so they are not listed.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct JourneyExplanation {
    /// The journey id.
    pub id: String,
    /// Whether it converted.
    pub converted: bool,
    /// Its value.
    pub value: f64,
    /// One split per heuristic model, in configuration order.
    pub models: Vec<ModelSplit>,
}
