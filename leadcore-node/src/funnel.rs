//! Funnel and money: the funnel (and its mergeable, serializable `FunnelAccumulator`), channel
//! ROI, the weighted pipeline forecast, the MLG index and capacity planning.

use std::cell::RefCell;

use leadcore::Lead;
use leadcore::funnel::{
    CapacityConfig, ForecastConfig, FunnelAccumulator, FunnelConfig, MlgConfig, PlanInput,
    RoiConfig, Simulation, Spend,
};
use napi::bindgen_prelude::Buffer;
use napi::{Env, Unknown, ValueType};
use napi_derive::napi;

use crate::attribution::state_text;
use crate::config::{ConfigArg, config_arg, config_class};
use crate::conv::{Json, from_js, to_js};
use crate::errors::throw_lead;

config_class!(
    /// Funnel stages, time basis, period size, UTC offset and dimensions.
    JsFunnelConfig, "FunnelConfig", FunnelConfig, "config?: FunnelConfigJson | string", "FunnelConfigJson"
);

config_class!(
    /// The ROI chain: a funnel, the spend dimension and the revenue stage.
    JsRoiConfig, "RoiConfig", RoiConfig, "config?: RoiConfigJson | string", "RoiConfigJson"
);

config_class!(
    /// Win probability per stage, amount and close-date attributes, periods.
    JsForecastConfig, "ForecastConfig", ForecastConfig, "config?: ForecastConfigJson | string", "ForecastConfigJson"
);

config_class!(
    /// The customer stage and the channels that count as marketing.
    JsMlgConfig, "MlgConfig", MlgConfig, "config?: MlgConfigJson | string", "MlgConfigJson"
);

config_class!(
    /// Stage conversion rates, role capacities, deal size and cost per lead.
    JsCapacityConfig, "CapacityConfig", CapacityConfig, "config?: CapacityConfigJson | string", "CapacityConfigJson"
);

fn optional<T: serde::de::DeserializeOwned + Default>(
    env: &Env,
    v: Option<&Unknown<'_>>,
    arg: &str,
) -> napi::Result<T> {
    match v {
        Some(v) if !matches!(v.get_type()?, ValueType::Undefined | ValueType::Null) => {
            from_js(env, v, arg)
        }
        _ => Ok(T::default()),
    }
}

/// The funnel of `leads`: counts, conversion, time in stage and amounts per stage, by period
/// and dimension.
#[napi(
    catch_unwind,
    ts_args_type = "config: FunnelConfig | FunnelConfigJson, leads: Lead[] | Uint8Array",
    ts_return_type = "FunnelReport"
)]
pub fn funnel(
    env: Env,
    config: ConfigArg<'_, JsFunnelConfig>,
    leads: Unknown<'_>,
) -> napi::Result<Json> {
    let config = config_arg::<JsFunnelConfig>(&env, Some(config))?;
    let leads = crate::arrow::leads_arg(&env, &leads)?;
    let out = leadcore::funnel::funnel(&config, &leads).map_err(|e| throw_lead(&env, e))?;
    Ok(to_js(&out))
}

/// Channel ROI: spend → leads → MQL → … → payment per channel and period, with cost per stage,
/// revenue and ROI.
#[napi(
    catch_unwind,
    ts_args_type = "config: RoiConfig | RoiConfigJson, leads: Lead[] | Uint8Array, spend?: Spend[]",
    ts_return_type = "RoiReport"
)]
pub fn channel_roi(
    env: Env,
    config: ConfigArg<'_, JsRoiConfig>,
    leads: Unknown<'_>,
    spend: Option<Unknown<'_>>,
) -> napi::Result<Json> {
    let config = config_arg::<JsRoiConfig>(&env, Some(config))?;
    let leads = crate::arrow::leads_arg(&env, &leads)?;
    let spend: Vec<Spend> = optional(&env, spend.as_ref(), "spend")?;
    let out =
        leadcore::funnel::channel_roi(&config, &leads, &spend).map_err(|e| throw_lead(&env, e))?;
    Ok(to_js(&out))
}

/// The weighted pipeline forecast: Σ amount × stage probability by period and rep.
#[napi(
    catch_unwind,
    ts_args_type = "config: ForecastConfig | ForecastConfigJson, leads: Lead[] | Uint8Array",
    ts_return_type = "ForecastReport"
)]
pub fn forecast(
    env: Env,
    config: ConfigArg<'_, JsForecastConfig>,
    leads: Unknown<'_>,
) -> napi::Result<Json> {
    let config = config_arg::<JsForecastConfig>(&env, Some(config))?;
    let leads = crate::arrow::leads_arg(&env, &leads)?;
    let out = leadcore::funnel::forecast(&config, &leads).map_err(|e| throw_lead(&env, e))?;
    Ok(to_js(&out))
}

/// The MLG index: marketing-sourced new customers ÷ all new customers, per period and overall.
#[napi(
    catch_unwind,
    ts_args_type = "config: MlgConfig | MlgConfigJson, leads: Lead[] | Uint8Array",
    ts_return_type = "MlgReport"
)]
pub fn mlg_index(
    env: Env,
    config: ConfigArg<'_, JsMlgConfig>,
    leads: Unknown<'_>,
) -> napi::Result<Json> {
    let config = config_arg::<JsMlgConfig>(&env, Some(config))?;
    let leads = crate::arrow::leads_arg(&env, &leads)?;
    let out = leadcore::funnel::mlg_index(&config, &leads).map_err(|e| throw_lead(&env, e))?;
    Ok(to_js(&out))
}

/// Leads needed for a revenue target (or volumes for a lead count) and headcount per role.
#[napi(
    catch_unwind,
    ts_args_type = "config: CapacityConfig | CapacityConfigJson, plan: PlanInput",
    ts_return_type = "CapacityPlan"
)]
pub fn capacity_plan(
    env: Env,
    config: ConfigArg<'_, JsCapacityConfig>,
    plan: Unknown<'_>,
) -> napi::Result<Json> {
    let config = config_arg::<JsCapacityConfig>(&env, Some(config))?;
    let plan: PlanInput = from_js(&env, &plan, "plan")?;
    let out = leadcore::funnel::capacity_plan(&config, &plan).map_err(|e| throw_lead(&env, e))?;
    Ok(to_js(&out))
}

/// The capacity plan simulated with a seed: percentiles of leads, stage volumes, revenue, cost
/// and heads.
#[napi(
    catch_unwind,
    ts_args_type = "config: CapacityConfig | CapacityConfigJson, plan: PlanInput, simulation?: Simulation",
    ts_return_type = "CapacitySimulation"
)]
pub fn capacity_monte_carlo(
    env: Env,
    config: ConfigArg<'_, JsCapacityConfig>,
    plan: Unknown<'_>,
    simulation: Option<Unknown<'_>>,
) -> napi::Result<Json> {
    let config = config_arg::<JsCapacityConfig>(&env, Some(config))?;
    let plan: PlanInput = from_js(&env, &plan, "plan")?;
    let simulation: Simulation = optional(&env, simulation.as_ref(), "simulation")?;
    let out = leadcore::funnel::capacity_monte_carlo(&config, &plan, &simulation)
        .map_err(|e| throw_lead(&env, e))?;
    Ok(to_js(&out))
}

/// Funnel tallies built in pieces: add leads, merge accumulators built elsewhere, finish into
/// a report. Any split gives the same report as one pass. Ships as compact bytes (`toBytes()`
/// → `Buffer`) or JSON (`JSON.stringify(acc)`, `FunnelAccumulator.fromJSON`).
#[napi(js_name = "FunnelAccumulator")]
pub struct JsFunnelAccumulator {
    inner: RefCell<FunnelAccumulator>,
}

impl JsFunnelAccumulator {
    fn wrap(inner: FunnelAccumulator) -> Self {
        Self {
            inner: RefCell::new(inner),
        }
    }
}

#[napi]
impl JsFunnelAccumulator {
    /// An empty accumulator for `config`.
    #[napi(
        catch_unwind,
        constructor,
        ts_args_type = "config: FunnelConfig | FunnelConfigJson"
    )]
    pub fn new(env: Env, config: ConfigArg<'_, JsFunnelConfig>) -> napi::Result<Self> {
        let config = config_arg::<JsFunnelConfig>(&env, Some(config))?;
        let acc =
            FunnelAccumulator::new(config.as_ref().clone()).map_err(|e| throw_lead(&env, e))?;
        Ok(Self::wrap(acc))
    }

    /// The configuration.
    #[napi(getter)]
    pub fn config(&self) -> JsFunnelConfig {
        JsFunnelConfig::from(self.inner.borrow().config().clone())
    }

    /// Adds one lead (errors name it `lead`).
    #[napi(catch_unwind, ts_args_type = "lead: Lead")]
    pub fn add_lead(&self, env: Env, lead: Unknown<'_>) -> napi::Result<()> {
        let lead: Lead = from_js(&env, &lead, "lead")?;
        self.inner
            .borrow_mut()
            .add_lead(&lead)
            .map_err(|e| throw_lead(&env, e))
    }

    /// Adds leads (errors name them `leads[i]`); stops at the first bad one, the ones before
    /// it stay added.
    #[napi(catch_unwind, ts_args_type = "leads: Lead[] | Uint8Array")]
    pub fn add_leads(&self, env: Env, leads: Unknown<'_>) -> napi::Result<()> {
        let leads = crate::arrow::leads_arg(&env, &leads)?;
        self.inner
            .borrow_mut()
            .add_leads(&leads)
            .map_err(|e| throw_lead(&env, e))
    }

    /// Adds everything `other` accumulated (same configuration required).
    #[napi(catch_unwind)]
    pub fn merge(&self, env: Env, other: &JsFunnelAccumulator) -> napi::Result<()> {
        // Copy first: `other` may be this very accumulator.
        let theirs = other.inner.borrow().clone();
        self.inner
            .borrow_mut()
            .merge(&theirs)
            .map_err(|e| throw_lead(&env, e))
    }

    /// The funnel so far (the accumulator is unchanged and can keep adding).
    #[napi(catch_unwind, ts_return_type = "FunnelReport")]
    pub fn finish(&self) -> Json {
        to_js(&self.inner.borrow().finish())
    }

    /// The state in the compact binary form.
    #[napi(catch_unwind)]
    pub fn to_bytes(&self, env: Env) -> napi::Result<Buffer> {
        let bytes = self.inner.borrow().to_bytes();
        Ok(Buffer::from(bytes.map_err(|e| throw_lead(&env, e))?))
    }

    /// An accumulator from `toBytes()` output (a `Buffer` or `Uint8Array`).
    #[napi(catch_unwind, factory, ts_args_type = "data: Uint8Array")]
    pub fn from_bytes(env: Env, data: Unknown<'_>) -> napi::Result<Self> {
        let data = crate::conv::bytes_arg(&env, &data, "bytes")?;
        let acc = FunnelAccumulator::from_bytes(&data).map_err(|e| throw_lead(&env, e))?;
        Ok(Self::wrap(acc))
    }

    /// The state as a plain object (what `JSON.stringify` writes).
    #[napi(catch_unwind, js_name = "toJSON", ts_return_type = "FunnelState")]
    pub fn to_json_value(&self) -> Json {
        to_js(&self.inner.borrow().to_state())
    }

    /// An accumulator from `toJSON()` output, as an object or JSON text.
    #[napi(
        catch_unwind,
        factory,
        js_name = "fromJSON",
        ts_args_type = "state: FunnelState"
    )]
    pub fn from_json(env: Env, state: Unknown<'_>) -> napi::Result<Self> {
        let text = state_text(&env, &state)?;
        let acc = FunnelAccumulator::from_json(&text).map_err(|e| throw_lead(&env, e))?;
        Ok(Self::wrap(acc))
    }
}
