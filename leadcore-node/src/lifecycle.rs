//! Pipelines, transitions, due policies, stage times and lead conversion.

use leadcore::convert::FieldMapping;
use leadcore::lifecycle::TransitionRequest;
use leadcore::pipeline::Pipeline;
use leadcore::{Event, Lead};
use napi::{Env, Unknown, ValueType};
use napi_derive::napi;

use crate::config::{ConfigArg, config_arg, config_class};
use crate::conv::{Json, from_js, instant, to_js};
use crate::errors::throw_lead;

config_class!(
    /// A stage pipeline: ordered stages, allowed edges and lifecycle policies.
    JsPipeline, "Pipeline", Pipeline, "config?: PipelineJson | string", "PipelineJson", presets
);

config_class!(
    /// A lead → account + contact + opportunity field mapping.
    JsFieldMapping, "FieldMapping", FieldMapping, "config?: FieldMappingJson | string", "FieldMappingJson", presets
);

/// The pipeline's allowed edges, all or those leaving `fromStage`.
#[napi(
    catch_unwind,
    ts_args_type = "pipeline: Pipeline | PipelineJson, fromStage?: string | null",
    ts_return_type = "Edge[]"
)]
pub fn pipeline_edges(
    env: Env,
    pipeline: ConfigArg<'_, JsPipeline>,
    from_stage: Option<Unknown<'_>>,
) -> napi::Result<Json> {
    let p = config_arg::<JsPipeline>(&env, Some(pipeline))?;
    let from_stage: Option<String> = match from_stage {
        Some(s) if !matches!(s.get_type()?, ValueType::Undefined | ValueType::Null) => {
            Some(from_js(&env, &s, "fromStage")?)
        }
        _ => None,
    };
    Ok(to_js(
        &from_stage.map_or_else(|| p.edges(), |s| p.edges_from(&s)),
    ))
}

/// Moves a lead along an edge of the pipeline; returns the new lead, the change and reasons.
#[napi(
    catch_unwind,
    ts_args_type = "pipeline: Pipeline | PipelineJson, lead: Lead, request: TransitionRequest, now: Instant",
    ts_return_type = "Transitioned"
)]
pub fn transition(
    env: Env,
    pipeline: ConfigArg<'_, JsPipeline>,
    lead: Unknown<'_>,
    request: Unknown<'_>,
    now: Unknown<'_>,
) -> napi::Result<Json> {
    let pipeline = config_arg::<JsPipeline>(&env, Some(pipeline))?;
    let lead: Lead = from_js(&env, &lead, "lead")?;
    let request: TransitionRequest = from_js(&env, &request, "request")?;
    let now = instant(&env, &now, "now")?;
    let out =
        leadcore::transition(&pipeline, &lead, &request, now).map_err(|e| throw_lead(&env, e))?;
    Ok(to_js(&out))
}

/// The lifecycle actions due for a lead at `now` (stale downgrades, expired cooldowns…).
#[napi(
    catch_unwind,
    ts_args_type = "pipeline: Pipeline | PipelineJson, lead: Lead, events: LeadEvent[], now: Instant",
    ts_return_type = "Due[]"
)]
pub fn due(
    env: Env,
    pipeline: ConfigArg<'_, JsPipeline>,
    lead: Unknown<'_>,
    events: Unknown<'_>,
    now: Unknown<'_>,
) -> napi::Result<Json> {
    let pipeline = config_arg::<JsPipeline>(&env, Some(pipeline))?;
    let lead: Lead = from_js(&env, &lead, "lead")?;
    let events: Vec<Event> = from_js(&env, &events, "events")?;
    let now = instant(&env, &now, "now")?;
    let out = leadcore::due(&pipeline, &lead, &events, now).map_err(|e| throw_lead(&env, e))?;
    Ok(to_js(&out))
}

/// Time in each stage and stage velocity, from the lead's history.
#[napi(
    catch_unwind,
    ts_args_type = "lead: Lead, now: Instant",
    ts_return_type = "StageTimes"
)]
pub fn stage_times(env: Env, lead: Unknown<'_>, now: Unknown<'_>) -> napi::Result<Json> {
    let lead: Lead = from_js(&env, &lead, "lead")?;
    let now = instant(&env, &now, "now")?;
    Ok(to_js(
        &leadcore::stage_times(&lead, now).map_err(|e| throw_lead(&env, e))?,
    ))
}

/// Converts a qualified lead into account, contact and opportunity records.
#[napi(
    catch_unwind,
    ts_args_type = "mapping: FieldMapping | FieldMappingJson, lead: Lead",
    ts_return_type = "Converted"
)]
pub fn convert_lead(
    env: Env,
    mapping: ConfigArg<'_, JsFieldMapping>,
    lead: Unknown<'_>,
) -> napi::Result<Json> {
    let mapping = config_arg::<JsFieldMapping>(&env, Some(mapping))?;
    let lead: Lead = from_js(&env, &lead, "lead")?;
    Ok(to_js(
        &leadcore::convert_lead(&mapping, &lead).map_err(|e| throw_lead(&env, e))?,
    ))
}
