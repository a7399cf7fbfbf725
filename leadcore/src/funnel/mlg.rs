//! The MLG index (seed 003): new customers sourced by marketing ÷ all new customers, per period.
//! 20–70% is the common range among Chinese SaaS companies; 65% is a marketing-led business.
//!
//! A lead is a new customer in the period of its first entry into `customer_stage` (on the
//! configured time basis); it is marketing-sourced when its source channel is one of
//! `marketing_channels` (compared after trimming).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::period::{Granularity, parse_offset};
use super::stages::TimeBasis;
use crate::error::{ConfigError, Error, FieldErrorKind};
use crate::input::Config;
use crate::lead::Lead;

fn default_offset() -> String {
    "+00:00".to_string()
}

/// MLG index configuration.
///
/// ```json
/// {"customer_stage": "Won", "marketing_channels": ["sem", "seo", "event", "content", "social"],
///  "granularity": "quarter", "utc_offset": "+08:00"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MlgConfig {
    /// Stage whose first entry makes a lead a new customer.
    pub customer_stage: String,
    /// Source channels that count as marketing.
    pub marketing_channels: Vec<String>,
    /// Period size (default `month`).
    #[serde(default)]
    pub granularity: Granularity,
    /// Which clock places the customer in a period (default `effective`).
    #[serde(default)]
    pub time_basis: TimeBasis,
    /// Fixed UTC offset of the periods (default `+00:00`).
    #[serde(default = "default_offset")]
    pub utc_offset: String,
}

impl Config for MlgConfig {
    fn validate(&self) -> Result<(), ConfigError> {
        if self.customer_stage.is_empty() {
            return Err(ConfigError::new(
                FieldErrorKind::InvalidValue("customer stage must not be empty".into()),
                "customer_stage",
            ));
        }
        parse_offset(&self.utc_offset, "utc_offset")?;
        Ok(())
    }
}

/// The index for one period (or `all`).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MlgPeriod {
    /// Period key, or `all`.
    pub period: String,
    /// New customers.
    pub new_customers: u64,
    /// Of which sourced by marketing.
    pub marketing_sourced: u64,
    /// marketing_sourced ÷ new_customers (fraction), when any.
    pub index: Option<f64>,
}

/// The MLG index per period and overall.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MlgReport {
    /// Periods with new customers, sorted.
    pub periods: Vec<MlgPeriod>,
    /// All periods together.
    pub total: MlgPeriod,
}

/// Computes the MLG index.
pub fn mlg_index(config: &MlgConfig, leads: &[Lead]) -> Result<MlgReport, Error> {
    config.validate()?;
    let offset = parse_offset(&config.utc_offset, "utc_offset")?;
    let mut counts: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for lead in leads {
        let Some(first) = lead
            .history
            .iter()
            .filter(|c| c.to == config.customer_stage)
            .min_by_key(|c| c.at)
        else {
            continue;
        };
        let t = match config.time_basis {
            TimeBasis::Effective => first.at,
            TimeBasis::Recorded => first.recorded_at,
        };
        let marketing = lead.source.channel.as_deref().is_some_and(|ch| {
            config
                .marketing_channels
                .iter()
                .any(|m| m.trim() == ch.trim())
        });
        let e = counts.entry(config.granularity.key(t, offset)).or_default();
        e.0 += 1;
        e.1 += u64::from(marketing);
    }
    let make = |period: &str, (n, m): (u64, u64)| MlgPeriod {
        period: period.to_string(),
        new_customers: n,
        marketing_sourced: m,
        index: (n > 0).then(|| m as f64 / n as f64),
    };
    let total = counts.values().fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    Ok(MlgReport {
        periods: counts.iter().map(|(p, c)| make(p, *c)).collect(),
        total: make("all", total),
    })
}
