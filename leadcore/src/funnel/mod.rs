//! Funnel and money: the funnel over stage histories, channel ROI, the weighted pipeline
//! forecast, the MLG index and capacity planning.
//!
//! - [`FunnelAccumulator`] / [`funnel`]: counts, conversion, time in stage and amounts per stage,
//!   by day / week / month / quarter / year and any dimension, on the effective or the recorded
//!   time basis (seed 000's month-end spike is the difference). Mergeable and serializable.
//! - [`channel_roi`]: spend → leads → MQL → SQL → opportunity → order → payment per channel
//!   and period, with cost per stage, revenue and ROI (seed 000).
//! - [`forecast`]: Σ amount × stage probability by period and rep (seed 004).
//! - [`mlg_index`]: marketing-sourced new customers ÷ all new customers (seed 003), channel-agent
//!   deals excluded on request, split by growth motion ([`GrowthBands`]: PLG / MLG / SLG by deal
//!   size, also a funnel dimension).
//! - [`capacity_plan`] and [`capacity_monte_carlo`]: leads needed for a target and headcount
//!   (seeds 000 and 003), exact or as percentiles.

pub mod capacity;
pub mod error;
pub mod forecast;
pub mod growth;
pub mod mlg;
pub mod period;
pub mod roi;
pub mod stages;

pub use capacity::{
    CapacityConfig, CapacityPlan, CapacitySimulation, PlanInput, Simulation, capacity_monte_carlo,
    capacity_plan,
};
pub use error::FunnelError;
pub use forecast::{ForecastConfig, ForecastReport, forecast};
pub use growth::{GrowthBand, GrowthBands};
pub use mlg::{MlgConfig, MlgReport, mlg_index};
pub use period::Granularity;
pub use roi::{RoiConfig, RoiReport, Spend, channel_roi};
pub use stages::{FunnelAccumulator, FunnelConfig, FunnelReport, FunnelState, TimeBasis};

use crate::error::Error;
use crate::lead::Lead;

/// The funnel of `leads` in one pass (errors name `leads[i]`).
pub fn funnel(config: &FunnelConfig, leads: &[Lead]) -> Result<FunnelReport, Error> {
    let mut acc = FunnelAccumulator::new(config.clone())?;
    acc.add_leads(leads)?;
    Ok(acc.finish())
}

#[cfg(test)]
mod tests;
