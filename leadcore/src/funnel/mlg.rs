//! The MLG index (seed 003): new customers sourced by marketing ÷ all new customers, per period.
//! 20–70% is the common range among Chinese SaaS companies; 65% is a marketing-led business.
//!
//! A lead is a new customer in the period of its first entry into `customer_stage` (on the
//! configured time basis); it is marketing-sourced when its source channel is one of
//! `marketing_channels` (compared after trimming). Customers whose channel is one of
//! `exclude_channels` are left out of both counts and counted apart — the seed's 65% is measured
//! "排除渠道代办署理形式", without channel-agent deals. With `growth_bands`, each period also splits its
//! new customers by growth motion (PLG / MLG / SLG by deal size).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::growth::GrowthBands;
use super::period::{Granularity, parse_offset};
use super::stages::NONE;
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
///  "exclude_channels": ["channel_agent"], "granularity": "quarter", "utc_offset": "+08:00"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MlgConfig {
    /// Stage whose first entry makes a lead a new customer.
    pub customer_stage: String,
    /// Source channels that count as marketing.
    pub marketing_channels: Vec<String>,
    /// Source channels left out of the index (channel agents, seed 003), counted as `excluded`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_channels: Vec<String>,
    /// Growth-motion bands: split each period's new customers by motion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub growth_bands: Option<GrowthBands>,
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
        for (i, c) in self.exclude_channels.iter().enumerate() {
            if self.marketing_channels.iter().any(|m| m.trim() == c.trim()) {
                return Err(ConfigError::new(
                    FieldErrorKind::InvalidValue(format!(
                        "`{c}` is both a marketing channel and excluded"
                    )),
                    format!("exclude_channels[{i}]"),
                ));
            }
        }
        if let Some(b) = &self.growth_bands {
            b.validate_at("growth_bands")?;
        }
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
    /// New customers left out by `exclude_channels`.
    pub excluded: u64,
    /// New customers (excluded ones not included) by growth motion, `(none)` without an
    /// amount; empty without `growth_bands`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub by_motion: BTreeMap<String, u64>,
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
    let listed = |list: &[String], ch: Option<&str>| {
        ch.is_some_and(|ch| list.iter().any(|m| m.trim() == ch.trim()))
    };
    let mut counts: BTreeMap<String, Tally> = BTreeMap::new();
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
        let channel = lead.source.channel.as_deref();
        let e = counts.entry(config.granularity.key(t, offset)).or_default();
        if listed(&config.exclude_channels, channel) {
            e.excluded += 1;
            continue;
        }
        e.new += 1;
        e.marketing += u64::from(listed(&config.marketing_channels, channel));
        if let Some(b) = &config.growth_bands {
            *e.by_motion
                .entry(b.motion(lead).unwrap_or(NONE).to_string())
                .or_default() += 1;
        }
    }
    let make = |period: &str, c: &Tally| MlgPeriod {
        period: period.to_string(),
        new_customers: c.new,
        marketing_sourced: c.marketing,
        index: (c.new > 0).then(|| c.marketing as f64 / c.new as f64),
        excluded: c.excluded,
        by_motion: c.by_motion.clone(),
    };
    let mut total = Tally::default();
    for c in counts.values() {
        total.add(c);
    }
    Ok(MlgReport {
        periods: counts.iter().map(|(p, c)| make(p, c)).collect(),
        total: make("all", &total),
    })
}

/// Counts of one period.
#[derive(Default)]
struct Tally {
    new: u64,
    marketing: u64,
    excluded: u64,
    by_motion: BTreeMap<String, u64>,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.new += o.new;
        self.marketing += o.marketing;
        self.excluded += o.excluded;
        for (k, v) in &o.by_motion {
            *self.by_motion.entry(k.clone()).or_default() += v;
        }
    }
}
