//! Runner for `tests/vectors/funnel/*.json`.
//!
//! Ops (each a thin call of one public function; argument names prefix input error paths):
//! - `funnel`: config = funnel config, input = `{leads}` → funnel report.
//! - `funnel_accumulate`: config = funnel config, input = `{parts: [{leads}]}` → one accumulator
//!   per part, shipped through its binary and JSON state, merged in order: `{report, state}`.
//! - `channel_roi`: config = roi config, input = `{leads, spend}` → roi report.
//! - `forecast`: config = forecast config, input = `{leads}` → forecast report.
//! - `mlg_index`: config = mlg config, input = `{leads}` → mlg report.
//! - `capacity_plan`: config = capacity config, input = `{plan}` → plan.
//! - `capacity_monte_carlo`: config = capacity config, input = `{plan, simulation}` → percentiles.

use leadcore::Error;
use leadcore::funnel::{
    self, CapacityConfig, ForecastConfig, FunnelAccumulator, FunnelConfig, MlgConfig, RoiConfig,
};
use leadcore::input::Config;
use serde_json::Value;

use super::attribution::arg;

fn leads(input: &Value) -> Result<Vec<leadcore::Lead>, Error> {
    arg(input, "leads", Some(Value::Array(Vec::new())))
}

fn to_json<T: serde::Serialize>(v: &T) -> Value {
    leadcore::input::to_value(v)
}

pub fn run(op: &str, config: &Value, input: &Value) -> Option<Result<Value, Error>> {
    let c = || config.clone();
    Some(match op {
        "funnel" => (|| {
            let config = FunnelConfig::from_value(c())?;
            Ok(to_json(&funnel::funnel(&config, &leads(input)?)?))
        })(),
        "funnel_accumulate" => (|| {
            let config = FunnelConfig::from_value(c())?;
            let parts: Vec<Value> = arg(input, "parts", Some(Value::Array(Vec::new())))?;
            let mut total = FunnelAccumulator::new(config.clone())?;
            for part in &parts {
                let mut acc = FunnelAccumulator::new(config.clone())?;
                acc.add_leads(&leads(part)?)?;
                let shipped = FunnelAccumulator::from_bytes(&acc.to_bytes()?)?;
                total.merge(&FunnelAccumulator::from_json(&shipped.to_json())?)?;
            }
            Ok(
                serde_json::json!({"report": to_json(&total.finish()), "state": to_json(&total.to_state())}),
            )
        })(),
        "channel_roi" => (|| {
            let config = RoiConfig::from_value(c())?;
            let spend: Vec<funnel::Spend> = arg(input, "spend", Some(Value::Array(Vec::new())))?;
            Ok(to_json(&funnel::channel_roi(
                &config,
                &leads(input)?,
                &spend,
            )?))
        })(),
        "forecast" => (|| {
            let config = ForecastConfig::from_value(c())?;
            Ok(to_json(&funnel::forecast(&config, &leads(input)?)?))
        })(),
        "mlg_index" => (|| {
            let config = MlgConfig::from_value(c())?;
            Ok(to_json(&funnel::mlg_index(&config, &leads(input)?)?))
        })(),
        "capacity_plan" => (|| {
            let config = CapacityConfig::from_value(c())?;
            let plan = arg(input, "plan", None)?;
            Ok(to_json(&funnel::capacity_plan(&config, &plan)?))
        })(),
        "capacity_monte_carlo" => (|| {
            let config = CapacityConfig::from_value(c())?;
            let plan = arg(input, "plan", None)?;
            let simulation = arg(input, "simulation", Some(serde_json::json!({})))?;
            Ok(to_json(&funnel::capacity_monte_carlo(
                &config,
                &plan,
                &simulation,
            )?))
        })(),
        _ => return None,
    })
}
