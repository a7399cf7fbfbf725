//! Weighted pipeline forecast (seed 004): Σ amount × win probability of the lead's current
//! stage, by close period and rep. 8 000 in a 25% stage forecasts 2 000.
//!
//! Stage probabilities are data (`{"Qualify": 0.25, …}`); the pipeline configuration's
//! per-stage probability can be passed straight in. Leads whose stage is not in the map are
//! not in the pipeline and are counted in `excluded` by reason; so are leads without an amount.
//! A lead without a close date (or owner) is grouped under `(none)`.

use std::collections::BTreeMap;

use chrono::FixedOffset;
use serde::{Deserialize, Serialize};

use super::period::{Granularity, parse_offset};
use super::stages::{NONE, amount_of};
use crate::attribution::exact::Exact;
use crate::error::{ConfigError, Error, FieldErrorKind};
use crate::input::Config;
use crate::lead::{AttrValue, Lead};

fn default_amount() -> String {
    "amount".to_string()
}

fn default_offset() -> String {
    "+00:00".to_string()
}

/// Forecast configuration.
///
/// ```json
/// {"probabilities": {"Qualify": 0.25, "Demonstration": 0.5, "Proposal": 0.6, "Close": 0.8},
///  "amount": "amount", "close_date": "expected_close", "granularity": "month", "utc_offset": "+08:00"}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ForecastConfig {
    /// Win probability (fraction 0–1) per stage id.
    pub probabilities: BTreeMap<String, f64>,
    /// Lead attribute holding the deal amount (default `amount`).
    #[serde(default = "default_amount")]
    pub amount: String,
    /// Lead attribute holding the expected close date (date or date-time); none = one period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub close_date: Option<String>,
    /// Period size (default `month`).
    #[serde(default)]
    pub granularity: Granularity,
    /// Fixed UTC offset of the periods (default `+00:00`).
    #[serde(default = "default_offset")]
    pub utc_offset: String,
}

impl Config for ForecastConfig {
    fn validate(&self) -> Result<(), ConfigError> {
        for (stage, p) in &self.probabilities {
            if !p.is_finite() || !(0.0..=1.0).contains(p) {
                return Err(ConfigError::new(
                    FieldErrorKind::InvalidValue(format!(
                        "probability `{p}` must be between 0 and 1"
                    )),
                    format!("probabilities.{stage}"),
                ));
            }
        }
        parse_offset(&self.utc_offset, "utc_offset")?;
        Ok(())
    }
}

/// One stage's share of a forecast row.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ForecastStage {
    /// Stage id.
    pub stage: String,
    /// Win probability used (fraction).
    pub probability: f64,
    /// Deals in the stage.
    pub deals: u64,
    /// Σ amount.
    pub pipeline: f64,
    /// Σ amount × probability.
    pub weighted: f64,
}

/// Forecast of one rep in one period.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ForecastRow {
    /// Close period key, `(none)` without a close date, or `all`.
    pub period: String,
    /// Rep (lead owner), `(none)` if unassigned.
    pub rep: String,
    /// Deals.
    pub deals: u64,
    /// Σ amount.
    pub pipeline: f64,
    /// Σ amount × stage probability.
    pub weighted: f64,
    /// Per stage, sorted by stage id.
    pub stages: Vec<ForecastStage>,
}

/// The weighted pipeline forecast.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ForecastReport {
    /// Rows by period and rep, sorted.
    pub rows: Vec<ForecastRow>,
    /// Totals per period (rep `all`), sorted.
    pub periods: Vec<ForecastRow>,
    /// Grand total (period and rep `all`).
    pub total: ForecastRow,
    /// Leads left out, by reason: `no_stage`, `stage_not_in_forecast`, `missing_amount`.
    pub excluded: BTreeMap<String, u64>,
}

type Cell = BTreeMap<String, (u64, Exact, Exact)>;

/// Forecasts the pipeline (errors name `leads[i]`).
///
/// ```
/// use leadcore::funnel::{forecast, ForecastConfig};
/// use leadcore::input::Config;
/// let config = ForecastConfig::from_json(r#"{"probabilities": {"Qualify": 0.25}}"#).unwrap();
/// let lead: leadcore::Lead = serde_json::from_str(r#"{"id": "D1", "created_at": "2026-01-01T00:00:00Z",
///   "stage": "Qualify", "owner": "rep1", "attributes": {"amount": 8000}}"#).unwrap();
/// let f = forecast(&config, &[lead]).unwrap();
/// assert_eq!(f.total.weighted, 2000.0);
/// ```
pub fn forecast(config: &ForecastConfig, leads: &[Lead]) -> Result<ForecastReport, Error> {
    config.validate()?;
    let offset: FixedOffset = parse_offset(&config.utc_offset, "utc_offset")?;
    let mut cells: BTreeMap<(String, String), Cell> = BTreeMap::new();
    let mut excluded: BTreeMap<String, u64> = BTreeMap::new();
    for (i, lead) in leads.iter().enumerate() {
        let path = || format!("leads[{i}]");
        let Some(stage) = &lead.stage else {
            *excluded.entry("no_stage".into()).or_default() += 1;
            continue;
        };
        let Some(&p) = config.probabilities.get(stage) else {
            *excluded.entry("stage_not_in_forecast".into()).or_default() += 1;
            continue;
        };
        let Some(amount) = amount_of(lead, &config.amount, &path)? else {
            *excluded.entry("missing_amount".into()).or_default() += 1;
            continue;
        };
        let period = match config.close_date.as_deref().and_then(|a| lead.attr(a)) {
            _ if config.close_date.is_none() => "all".to_string(),
            Some(AttrValue::Date(d)) => config.granularity.key_of_date(*d),
            Some(AttrValue::DateTime(t)) => config.granularity.key(*t, offset),
            _ => NONE.to_string(),
        };
        let rep = lead
            .owner
            .clone()
            .filter(|o| !o.is_empty())
            .unwrap_or_else(|| NONE.to_string());
        let cell = cells.entry((period, rep)).or_default();
        let e = cell
            .entry(stage.clone())
            .or_insert((0, Exact::ZERO, Exact::ZERO));
        let overflow = || crate::funnel::FunnelError::Overflow { path: path() };
        e.0 += 1;
        e.1 =
            e.1.checked_add(Exact::from_f64(amount).ok_or_else(overflow)?)
                .ok_or_else(overflow)?;
        e.2 =
            e.2.checked_add(Exact::from_f64(amount * p).ok_or_else(overflow)?)
                .ok_or_else(overflow)?;
    }
    let mut periods: BTreeMap<String, Cell> = BTreeMap::new();
    let mut grand: Cell = BTreeMap::new();
    let mut rows = Vec::with_capacity(cells.len());
    for ((period, rep), cell) in &cells {
        for target in [periods.entry(period.clone()).or_default(), &mut grand] {
            for (stage, (d, a, w)) in cell {
                let e = target
                    .entry(stage.clone())
                    .or_insert((0, Exact::ZERO, Exact::ZERO));
                e.0 += d;
                e.1 = e.1.checked_add(*a).unwrap_or(e.1);
                e.2 = e.2.checked_add(*w).unwrap_or(e.2);
            }
        }
        rows.push(make_row(config, period, rep, cell));
    }
    Ok(ForecastReport {
        rows,
        periods: periods
            .iter()
            .map(|(p, c)| make_row(config, p, "all", c))
            .collect(),
        total: make_row(config, "all", "all", &grand),
        excluded,
    })
}

fn make_row(config: &ForecastConfig, period: &str, rep: &str, cell: &Cell) -> ForecastRow {
    let stages: Vec<ForecastStage> = cell
        .iter()
        .map(|(s, (d, a, w))| ForecastStage {
            stage: s.clone(),
            probability: config.probabilities.get(s).copied().unwrap_or(0.0),
            deals: *d,
            pipeline: a.to_f64(),
            weighted: w.to_f64(),
        })
        .collect();
    let sum = |f: fn(&(u64, Exact, Exact)) -> Exact| {
        cell.values()
            .fold(Exact::ZERO, |s, x| s.checked_add(f(x)).unwrap_or(s))
            .to_f64()
    };
    ForecastRow {
        period: period.to_string(),
        rep: rep.to_string(),
        deals: cell.values().map(|x| x.0).sum(),
        pipeline: sum(|x| x.1),
        weighted: sum(|x| x.2),
        stages,
    }
}
