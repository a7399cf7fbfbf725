//! Conditions, qualification gates and temperature.

use leadcore::condition::{Condition, Scores};
use leadcore::qualify::{RuleSet, TemperatureThresholds};
use leadcore::{Event, Lead};
use napi::{Env, Unknown, ValueType};
use napi_derive::napi;
use serde::de::DeserializeOwned;

use crate::config::{ConfigArg, config_arg, config_class};
use crate::conv::{Json, from_js, instant, to_js};
use crate::errors::throw_lead;

config_class!(
    /// Qualification gates (MQL, SQL, SAL…), each a condition.
    JsRuleSet, "RuleSet", RuleSet, "config?: RuleSetJson | string", "RuleSetJson", presets
);

config_class!(
    /// One condition of the condition language.
    JsCondition, "Condition", Condition, "config?: ConditionJson | string", "ConditionJson"
);

config_class!(
    /// Score thresholds for cold / warm / hot.
    JsTemperatureThresholds, "TemperatureThresholds", TemperatureThresholds, "config?: TemperatureThresholdsJson | string", "TemperatureThresholdsJson"
);

/// Optional arguments of the qualification calls.
#[napi(object)]
pub struct FactOptions<'a> {
    /// Named scores the conditions may reference (`{"score": "behavior", "gte": 50}`).
    #[napi(ts_type = "Record<string, number>")]
    pub scores: Option<Unknown<'a>>,
}

fn optional<T: DeserializeOwned + Default>(
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

struct Facts {
    lead: Lead,
    events: Vec<Event>,
    now: chrono::DateTime<chrono::Utc>,
    scores: Scores,
}

fn facts(
    env: &Env,
    lead: &Unknown<'_>,
    events: Option<&Unknown<'_>>,
    now: &Unknown<'_>,
    options: Option<&FactOptions<'_>>,
) -> napi::Result<Facts> {
    Ok(Facts {
        lead: from_js(env, lead, "lead")?,
        events: optional(env, events, "events")?,
        now: instant(env, now, "now")?,
        scores: optional(env, options.and_then(|o| o.scores.as_ref()), "scores")?,
    })
}

/// Every gate's verdict for a lead, with per-criterion results.
#[napi(
    catch_unwind,
    ts_args_type = "rules: RuleSet | RuleSetJson, lead: Lead, events: LeadEvent[] | null | undefined, now: Instant, options?: FactOptions",
    ts_return_type = "Qualification"
)]
pub fn qualify(
    env: Env,
    rules: ConfigArg<'_, JsRuleSet>,
    lead: Unknown<'_>,
    events: Option<Unknown<'_>>,
    now: Unknown<'_>,
    options: Option<FactOptions<'_>>,
) -> napi::Result<Json> {
    let rules = config_arg::<JsRuleSet>(&env, Some(rules))?;
    let f = facts(&env, &lead, events.as_ref(), &now, options.as_ref())?;
    let out = leadcore::qualify::qualify(&rules, &f.lead, &f.events, f.now, &f.scores)
        .map_err(|e| throw_lead(&env, e))?;
    Ok(to_js(&out))
}

/// One gate's verdict for a lead.
#[napi(
    catch_unwind,
    ts_args_type = "rules: RuleSet | RuleSetJson, gate: string, lead: Lead, events: LeadEvent[] | null | undefined, now: Instant, options?: FactOptions",
    ts_return_type = "GateVerdict"
)]
pub fn qualify_gate(
    env: Env,
    rules: ConfigArg<'_, JsRuleSet>,
    gate: Unknown<'_>,
    lead: Unknown<'_>,
    events: Option<Unknown<'_>>,
    now: Unknown<'_>,
    options: Option<FactOptions<'_>>,
) -> napi::Result<Json> {
    let rules = config_arg::<JsRuleSet>(&env, Some(rules))?;
    let gate: String = crate::conv::from_js(&env, &gate, "gate")?;
    let f = facts(&env, &lead, events.as_ref(), &now, options.as_ref())?;
    let out = leadcore::qualify::qualify_gate(&rules, &gate, &f.lead, &f.events, f.now, &f.scores)
        .map_err(|e| throw_lead(&env, e))?;
    Ok(to_js(&out))
}

/// Evaluates one condition for a lead and explains every criterion.
#[napi(
    catch_unwind,
    ts_args_type = "condition: Condition | ConditionJson, lead: Lead, events: LeadEvent[] | null | undefined, now: Instant, options?: FactOptions",
    ts_return_type = "Evaluation"
)]
pub fn evaluate_condition(
    env: Env,
    condition: ConfigArg<'_, JsCondition>,
    lead: Unknown<'_>,
    events: Option<Unknown<'_>>,
    now: Unknown<'_>,
    options: Option<FactOptions<'_>>,
) -> napi::Result<Json> {
    let condition = config_arg::<JsCondition>(&env, Some(condition))?;
    let f = facts(&env, &lead, events.as_ref(), &now, options.as_ref())?;
    let out = leadcore::condition::evaluate(&condition, &f.lead, &f.events, f.now, &f.scores)
        .map_err(|e| throw_lead(&env, e))?;
    Ok(to_js(&out))
}

/// Cold, warm or hot for a score, with the reason.
#[napi(
    catch_unwind,
    ts_args_type = "score: number, thresholds?: TemperatureThresholds | TemperatureThresholdsJson",
    ts_return_type = "TemperatureVerdict"
)]
pub fn temperature(
    env: Env,
    score: Unknown<'_>,
    thresholds: Option<ConfigArg<'_, JsTemperatureThresholds>>,
) -> napi::Result<Json> {
    let thresholds = config_arg::<JsTemperatureThresholds>(&env, thresholds)?;
    let score: f64 = from_js(&env, &score, "score")?;
    Ok(to_js(
        &leadcore::qualify::temperature(&thresholds, score).map_err(|e| throw_lead(&env, e))?,
    ))
}
