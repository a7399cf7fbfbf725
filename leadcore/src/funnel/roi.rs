//! Channel ROI over the whole chain (seed 000): spend per channel and period → leads → MQL →
//! SQL → opportunity → order → payment, with cost per stage, revenue and ROI.
//!
//! The funnel is computed with one dimension (default `channel`) and joined with the spend rows
//! on (period, channel). Cost per stage = spend ÷ entered (none when nothing entered); revenue
//! = the amount of `revenue_stage` (default: the last stage with an amount); ROI =
//! (revenue − spend) ÷ spend (none without spend). Channels with spend but no leads, and leads
//! without spend, both get rows. Totals per channel over all periods come last, as period `all`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::error::FunnelError;
use super::stages::{FunnelAccumulator, FunnelConfig, StageTally};
use crate::attribution::exact::Exact;
use crate::error::{ConfigError, Error, FieldErrorKind};
use crate::input::Config;
use crate::lead::Lead;

fn default_dimension() -> String {
    "channel".to_string()
}

/// ROI configuration: the funnel (without dimensions), the dimension spend is booked against,
/// and which stage's amount is revenue.
///
/// ```json
/// {"funnel": {"stages": [{"id": "Leads"}, {"id": "MQL"}, {"id": "SQL"},
///   {"id": "Opportunity", "amount": "opportunity_amount"}, {"id": "Order", "amount": "order_amount"},
///   {"id": "Payment", "amount": "payment_amount"}], "entry_stage": "Leads", "granularity": "month",
///   "utc_offset": "+08:00"},
///  "dimension": "channel", "revenue_stage": "Payment"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoiConfig {
    /// The funnel; its `dimensions` must be empty (the ROI dimension is added).
    pub funnel: FunnelConfig,
    /// Dimension the spend is booked against (default `channel`).
    #[serde(default = "default_dimension")]
    pub dimension: String,
    /// Stage whose amount is revenue (default: the last stage with an amount).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revenue_stage: Option<String>,
}

impl RoiConfig {
    fn funnel_config(&self) -> FunnelConfig {
        FunnelConfig {
            dimensions: vec![self.dimension.clone()],
            ..self.funnel.clone()
        }
    }

    fn revenue_index(&self) -> Option<usize> {
        let stages = &self.funnel.stages;
        match &self.revenue_stage {
            Some(id) => stages.iter().position(|s| &s.id == id),
            None => stages.iter().rposition(|s| s.amount.is_some()),
        }
    }
}

impl Config for RoiConfig {
    fn validate(&self) -> Result<(), ConfigError> {
        if !self.funnel.dimensions.is_empty() {
            return Err(ConfigError::new(
                FieldErrorKind::InvalidValue(
                    "roi adds its own dimension; leave `dimensions` empty".into(),
                ),
                "funnel.dimensions",
            ));
        }
        self.funnel_config().validate().map_err(|e| {
            let path = if e.path == "dimensions[0]" {
                "dimension".to_string()
            } else {
                format!("funnel.{}", e.path)
            };
            ConfigError::new(e.kind, path)
        })?;
        if let Some(id) = &self.revenue_stage
            && !self
                .funnel
                .stages
                .iter()
                .any(|s| &s.id == id && s.amount.is_some())
        {
            return Err(ConfigError::new(
                FieldErrorKind::UnknownReference(id.clone()),
                "revenue_stage",
            ));
        }
        Ok(())
    }
}

/// Marketing spend of one channel in one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Spend {
    /// The dimension value (channel).
    pub channel: String,
    /// Period key in the funnel's granularity (`2026-01` for months).
    pub period: String,
    /// Amount spent (currency).
    pub amount: f64,
}

/// One stage of the ROI chain.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ChainStage {
    /// Stage id.
    pub stage: String,
    /// Leads that entered it.
    pub count: u64,
    /// Spend ÷ count, when any entered.
    pub cost_per: Option<f64>,
    /// Sum of the stage amount.
    pub amount: f64,
    /// count ÷ previous stage's count (fraction).
    pub rate_from_previous: Option<f64>,
}

/// ROI of one channel in one period (or over all periods: period `all`).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RoiRow {
    /// Period key, or `all`.
    pub period: String,
    /// The channel (dimension value).
    pub channel: String,
    /// Spend.
    pub spend: f64,
    /// The chain, in funnel order.
    pub stages: Vec<ChainStage>,
    /// Revenue (amount of the revenue stage).
    pub revenue: f64,
    /// (revenue − spend) ÷ spend, when there was spend.
    pub roi: Option<f64>,
}

/// ROI per channel and period, then per channel over all periods.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RoiReport {
    /// Rows sorted by period then channel.
    pub rows: Vec<RoiRow>,
    /// One row per channel over all periods (period `all`), sorted by channel.
    pub totals: Vec<RoiRow>,
}

/// Channel ROI from spend to payment (errors name `leads[i]` and `spend[i]`).
pub fn channel_roi(
    config: &RoiConfig,
    leads: &[Lead],
    spend: &[Spend],
) -> Result<RoiReport, Error> {
    config.validate()?;
    let fc = config.funnel_config();
    let granularity = fc.granularity;
    let mut acc = FunnelAccumulator::new(fc)?;
    acc.add_leads(leads)?;
    let n = config.funnel.stages.len();
    // (period, channel) → (spend, tallies)
    let mut cells: BTreeMap<(String, String), (Exact, Vec<StageTally>)> = BTreeMap::new();
    for ((period, dims), tallies) in acc.groups() {
        let channel = dims.first().cloned().unwrap_or_default();
        cells.insert((period.clone(), channel), (Exact::ZERO, tallies.clone()));
    }
    for (i, s) in spend.iter().enumerate() {
        if !(s.amount >= 0.0 && s.amount.is_finite()) {
            return Err(FunnelError::InvalidAmount {
                path: format!("spend[{i}].amount"),
            }
            .into());
        }
        if !granularity.is_key(&s.period) {
            return Err(FunnelError::InvalidPeriod {
                period: s.period.clone(),
                granularity: granularity.as_str().into(),
                path: format!("spend[{i}].period"),
            }
            .into());
        }
        let cell = cells
            .entry((s.period.clone(), s.channel.clone()))
            .or_insert_with(|| (Exact::ZERO, vec![StageTally::default(); n]));
        let add = Exact::from_f64(s.amount).ok_or_else(|| FunnelError::Overflow {
            path: format!("spend[{i}].amount"),
        })?;
        cell.0 = cell
            .0
            .checked_add(add)
            .ok_or_else(|| FunnelError::Overflow {
                path: format!("spend[{i}].amount"),
            })?;
    }
    let mut per_channel: BTreeMap<String, (Exact, Vec<StageTally>)> = BTreeMap::new();
    let revenue_index = config.revenue_index();
    let mut rows = Vec::with_capacity(cells.len());
    for ((period, channel), (spent, tallies)) in &cells {
        let total = per_channel
            .entry(channel.clone())
            .or_insert_with(|| (Exact::ZERO, vec![StageTally::default(); n]));
        total.0 = total.0.checked_add(*spent).unwrap_or(total.0);
        for (t, x) in total.1.iter_mut().zip(tallies) {
            t.entered = t.entered.saturating_add(x.entered);
            t.amount = t.amount.checked_add(x.amount).unwrap_or(t.amount);
        }
        rows.push(row(config, revenue_index, period, channel, *spent, tallies));
    }
    let totals = per_channel
        .iter()
        .map(|(channel, (spent, tallies))| {
            row(config, revenue_index, "all", channel, *spent, tallies)
        })
        .collect();
    Ok(RoiReport { rows, totals })
}

fn row(
    config: &RoiConfig,
    revenue_index: Option<usize>,
    period: &str,
    channel: &str,
    spend: Exact,
    tallies: &[StageTally],
) -> RoiRow {
    let spend = spend.to_f64();
    let mut prev: Option<u64> = None;
    let stages = config
        .funnel
        .stages
        .iter()
        .zip(tallies)
        .map(|(s, t)| {
            let st = ChainStage {
                stage: s.id.clone(),
                count: t.entered,
                cost_per: (t.entered > 0).then(|| spend / t.entered as f64),
                amount: t.amount.to_f64(),
                rate_from_previous: prev.filter(|&p| p > 0).map(|p| t.entered as f64 / p as f64),
            };
            prev = Some(t.entered);
            st
        })
        .collect();
    let revenue = revenue_index
        .and_then(|i| tallies.get(i))
        .map_or(0.0, |t| t.amount.to_f64());
    RoiRow {
        period: period.to_string(),
        channel: channel.to_string(),
        spend,
        stages,
        revenue,
        roi: (spend > 0.0).then(|| (revenue - spend) / spend),
    }
}
