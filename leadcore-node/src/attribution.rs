//! Attribution: credit per channel under every model, per-journey splits, the ownership rule,
//! and the mergeable, serializable `AttributionAccumulator`.
//!
//! Path counts (rows or columns) are read in batches ([`crate::paths`]); with `threads`, worker
//! threads attribute the batches already read while the next one is converted.

use std::cell::RefCell;

use leadcore::attribution::{
    self, AttributionAccumulator, AttributionConfig, Journey, OwnershipConfig,
};
use leadcore::{FieldErrorKind, InputError};
use napi::bindgen_prelude::{Buffer, FromNapiValue};
use napi::{Env, JsValue, Unknown, ValueType};
use napi_derive::napi;

use crate::arrow::read_tables;
use crate::config::{ConfigArg, config_arg, config_class};
use crate::conv::{Json, absent, from_js, json_value, to_js};
use crate::errors::{throw, throw_lead};
use crate::paths::{PathSource, path_count};

config_class!(
    /// Which attribution models to run, at which level (channel or campaign).
    JsAttributionConfig, "AttributionConfig", AttributionConfig, "config?: AttributionConfigJson | string", "AttributionConfigJson"
);

config_class!(
    /// The ownership rule's window (default 3 months).
    JsOwnershipConfig, "OwnershipConfig", OwnershipConfig, "config?: OwnershipConfigJson | string", "OwnershipConfigJson"
);

fn input_error(env: &Env, kind: FieldErrorKind, path: String) -> napi::Error {
    throw_lead(env, InputError::new(kind, path))
}

/// Inputs of `attribute`.
#[napi(object)]
pub struct AttributeInput<'a> {
    /// Journeys (touchpoints with times and milestones, outcome, value).
    #[napi(ts_type = "Journey[]")]
    pub journeys: Option<Unknown<'a>>,
    /// Path counts: an array of `{path, conversions, nulls, value}` or a table of columns.
    #[napi(ts_type = "PathCount[] | PathColumns | Uint8Array")]
    pub paths: Option<Unknown<'a>>,
    /// Threads to split the work over (the same result, bit for bit); default: the available
    /// parallelism.
    #[napi(ts_type = "number")]
    pub threads: Option<Unknown<'a>>,
}

/// The `input` argument, which must be an object: napi's own conversion reads a number as an
/// empty input and throws an uncoded error for `null`.
fn attribute_input<'a>(env: &Env, v: &Unknown<'a>) -> napi::Result<AttributeInput<'a>> {
    let kind = v.get_type()?;
    if matches!(kind, ValueType::Undefined | ValueType::Null) {
        let msg = "missing field `input`".to_string();
        return Err(input_error(
            env,
            FieldErrorKind::MissingField(msg),
            "input".into(),
        ));
    }
    if kind != ValueType::Object || v.is_array()? {
        let msg = "invalid type: `input` must be an object with `journeys` and/or `paths`";
        return Err(input_error(
            env,
            FieldErrorKind::InvalidType(msg.into()),
            "input".into(),
        ));
    }
    // SAFETY: `v` is a live value of this call's scope, checked to be an object above.
    unsafe { AttributeInput::from_napi_value(env.raw(), v.raw()) }
}

/// Credits per channel (or campaign) under every configured model, from journeys and/or path
/// counts.
#[napi(
    catch_unwind,
    ts_args_type = "config: AttributionConfig | AttributionConfigJson, input: AttributeInput",
    ts_return_type = "AttributionReport"
)]
pub fn attribute(
    env: Env,
    config: ConfigArg<'_, JsAttributionConfig>,
    input: Unknown<'_>,
) -> napi::Result<Json> {
    let config = config_arg::<JsAttributionConfig>(&env, Some(config))?;
    let input = attribute_input(&env, &input)?;
    let journeys: Vec<Journey> = match &input.journeys {
        Some(j) if !absent(j)? => from_js(&env, j, "journeys")?,
        _ => Vec::new(),
    };
    let threads = crate::conv::threads_arg(&env, input.threads.as_ref())?;
    let report = match &input.paths {
        Some(p) if !absent(p)? => {
            let mut source = PathSource::new(p, "paths").map_err(|f| throw(&env, f))?;
            let batches = std::iter::from_fn(|| source.next_batch());
            attribution::attribute_batches(&config, &journeys, batches, threads)
                .map_err(|f| throw(&env, f))?
        }
        _ => attribution::attribute_parallel(&config, &journeys, &[], threads)
            .map_err(|e| throw_lead(&env, e))?,
    };
    Ok(to_js(&report))
}

/// How each heuristic model splits one journey's credit over its touches, with each touch's
/// role.
#[napi(
    catch_unwind,
    ts_args_type = "config: AttributionConfig | AttributionConfigJson, journey: Journey",
    ts_return_type = "JourneyExplanation"
)]
pub fn explain_journey(
    env: Env,
    config: ConfigArg<'_, JsAttributionConfig>,
    journey: Unknown<'_>,
) -> napi::Result<Json> {
    let config = config_arg::<JsAttributionConfig>(&env, Some(config))?;
    let journey: Journey = from_js(&env, &journey, "journey")?;
    let out = attribution::explain_journey(&config, &journey).map_err(|e| throw_lead(&env, e))?;
    Ok(to_js(&out))
}

/// The channel that owns each customer under the ownership rule, with the reason, and totals
/// per channel.
#[napi(
    catch_unwind,
    ts_args_type = "config: OwnershipConfig | OwnershipConfigJson, journeys: Journey[]",
    ts_return_type = "OwnershipReport"
)]
pub fn ownership(
    env: Env,
    config: ConfigArg<'_, JsOwnershipConfig>,
    journeys: Unknown<'_>,
) -> napi::Result<Json> {
    let config = config_arg::<JsOwnershipConfig>(&env, Some(config))?;
    let journeys: Vec<Journey> = from_js(&env, &journeys, "journeys")?;
    let out = attribution::ownership(&config, &journeys).map_err(|e| throw_lead(&env, e))?;
    Ok(to_js(&out))
}

/// Reads accumulator state given as JSON text or as the object `toJSON()` returned.
pub fn state_text(env: &Env, state: &Unknown<'_>) -> napi::Result<String> {
    if state.get_type()? == ValueType::String {
        return state.coerce_to_string()?.into_utf8()?.into_owned();
    }
    if absent(state)? {
        let msg = "missing field `state`".to_string();
        return Err(input_error(
            env,
            FieldErrorKind::MissingField(msg),
            "state".into(),
        ));
    }
    Ok(json_value(state, "state")
        .map_err(|f| throw(env, f))?
        .to_string())
}

/// Attribution state built in pieces: add journeys and path counts, merge accumulators built
/// elsewhere (a worker, another process), finish into a report. Adding in any split and
/// merging gives the same report as one pass, bit for bit. Ships as compact bytes
/// (`toBytes()` → `Buffer`) or JSON (`JSON.stringify(acc)`, `AttributionAccumulator.fromJSON`).
#[napi(js_name = "AttributionAccumulator")]
pub struct JsAttributionAccumulator {
    inner: RefCell<AttributionAccumulator>,
}

impl JsAttributionAccumulator {
    fn wrap(inner: AttributionAccumulator) -> Self {
        Self {
            inner: RefCell::new(inner),
        }
    }
}

#[napi]
impl JsAttributionAccumulator {
    /// An empty accumulator for `config`.
    #[napi(
        catch_unwind,
        constructor,
        ts_args_type = "config: AttributionConfig | AttributionConfigJson"
    )]
    pub fn new(env: Env, config: ConfigArg<'_, JsAttributionConfig>) -> napi::Result<Self> {
        let config = config_arg::<JsAttributionConfig>(&env, Some(config))?;
        let acc = AttributionAccumulator::new(config.as_ref().clone())
            .map_err(|e| throw_lead(&env, e))?;
        Ok(Self::wrap(acc))
    }

    /// The configuration.
    #[napi(getter)]
    pub fn config(&self) -> JsAttributionConfig {
        JsAttributionConfig::from(self.inner.borrow().config().clone())
    }

    /// Adds one journey (errors name it `journey`).
    #[napi(catch_unwind, ts_args_type = "journey: Journey")]
    pub fn add_journey(&self, env: Env, journey: Unknown<'_>) -> napi::Result<()> {
        let journey: Journey = from_js(&env, &journey, "journey")?;
        self.inner
            .borrow_mut()
            .add_journey(&journey)
            .map_err(|e| throw_lead(&env, e))
    }

    /// Adds journeys (errors name them `journeys[i]`); stops at the first bad one, the ones
    /// before it stay added.
    #[napi(catch_unwind, ts_args_type = "journeys: Journey[]")]
    pub fn add_journeys(&self, env: Env, journeys: Unknown<'_>) -> napi::Result<()> {
        let journeys: Vec<Journey> = from_js(&env, &journeys, "journeys")?;
        self.inner
            .borrow_mut()
            .add_journeys(&journeys)
            .map_err(|e| throw_lead(&env, e))
    }

    /// Adds the journeys of a long touch table, one row per touch (`TouchColumns`: typed
    /// arrays or arrays). Rows with the same `journey_id` are one journey, added in order of
    /// first appearance; the same state as `addJourneys` with the equivalent journeys. Errors
    /// name the column and row (`touches.at[17]`); stops at the first bad journey, the ones
    /// before it stay added.
    #[napi(catch_unwind, ts_args_type = "touches: TouchColumns | Uint8Array")]
    pub fn add_journey_columns(&self, env: Env, touches: Unknown<'_>) -> napi::Result<()> {
        let added = read_tables(&env, &touches, "touches", |tables| {
            let touches = attribution::TouchTable::gather(tables)?;
            let mut acc = self.inner.borrow_mut();
            touches.with_columns(|cols| acc.add_journey_columns(cols))
        })?;
        added.ok_or_else(|| {
            let msg = "invalid type: expected columns or Arrow IPC bytes".to_string();
            throw_lead(
                &env,
                InputError::new(FieldErrorKind::InvalidType(msg), "touches"),
            )
        })
    }

    /// Adds one path count (errors name it `path`).
    #[napi(catch_unwind, ts_args_type = "path: PathCount")]
    pub fn add_path(&self, env: Env, path: Unknown<'_>) -> napi::Result<()> {
        let path = path_count(&path, "path").map_err(|f| throw(&env, f))?;
        self.inner
            .borrow_mut()
            .add_path(&path)
            .map_err(|e| throw_lead(&env, e))
    }

    /// Adds path counts, rows or a table (errors name `paths[i]` / `paths.value[i]`); stops at
    /// the first bad row or batch, the ones before it stay added.
    #[napi(
        catch_unwind,
        ts_args_type = "paths: PathCount[] | PathColumns | Uint8Array"
    )]
    pub fn add_paths(&self, env: Env, paths: Unknown<'_>) -> napi::Result<()> {
        let mut source = PathSource::new(&paths, "paths").map_err(|f| throw(&env, f))?;
        let mut first = 0;
        while let Some(batch) = source.next_batch() {
            let batch = batch.map_err(|f| throw(&env, f))?;
            self.inner
                .borrow_mut()
                .add_batch(&batch, first)
                .map_err(|e| throw_lead(&env, e))?;
            first += batch.len();
        }
        Ok(())
    }

    /// Adds everything `other` accumulated (same configuration required).
    #[napi(catch_unwind)]
    pub fn merge(&self, env: Env, other: &JsAttributionAccumulator) -> napi::Result<()> {
        // Copy first: `other` may be this very accumulator.
        let theirs = other.inner.borrow().clone();
        self.inner
            .borrow_mut()
            .merge(&theirs)
            .map_err(|e| throw_lead(&env, e))
    }

    /// The report so far (the accumulator is unchanged and can keep adding).
    #[napi(catch_unwind, ts_return_type = "AttributionReport")]
    pub fn finish(&self, env: Env) -> napi::Result<Json> {
        let report = self
            .inner
            .borrow()
            .finish()
            .map_err(|e| throw_lead(&env, e))?;
        Ok(to_js(&report))
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
        let acc = AttributionAccumulator::from_bytes(&data).map_err(|e| throw_lead(&env, e))?;
        Ok(Self::wrap(acc))
    }

    /// The state as a plain object (what `JSON.stringify` writes; exact sums as decimal
    /// strings).
    #[napi(catch_unwind, js_name = "toJSON", ts_return_type = "AttributionState")]
    pub fn to_json_value(&self) -> Json {
        to_js(&self.inner.borrow().to_state())
    }

    /// An accumulator from `toJSON()` output, as an object or JSON text.
    #[napi(
        catch_unwind,
        factory,
        js_name = "fromJSON",
        ts_args_type = "state: AttributionState"
    )]
    pub fn from_json(env: Env, state: Unknown<'_>) -> napi::Result<Self> {
        let text = state_text(&env, &state)?;
        let acc = AttributionAccumulator::from_json(&text).map_err(|e| throw_lead(&env, e))?;
        Ok(Self::wrap(acc))
    }
}
