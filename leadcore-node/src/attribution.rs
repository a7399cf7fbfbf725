//! Attribution: credit per channel under every model, per-journey splits, the ownership rule,
//! and the mergeable, serializable `AttributionAccumulator`.
//!
//! Path counts are the large input, so besides an array of `{path, conversions, nulls, value}`
//! objects they may come as columns (`{path: string[], conversions?: number[] | TypedArray,
//! …}`), read cell by cell without building intermediate JSON. A cell that is not a plain
//! string / number goes through the general conversion, so values and errors are the same as
//! for the JSON form; errors name row `i` as `paths[i]` in both forms.

use std::cell::RefCell;

use leadcore::attribution::{
    self, AttributionAccumulator, AttributionConfig, Journey, OwnershipConfig, PathCount,
};
use leadcore::{FieldErrorKind, InputError};
use napi::bindgen_prelude::{Buffer, JsObjectValue, Object, Uint8Array};
use napi::{Env, JsValue, Unknown, ValueType};
use napi_derive::napi;
use serde_json::{Map, Value};

use crate::config::{ConfigArg, config_arg, config_class};
use crate::conv::{from_js, json_at, to_js};
use crate::errors::{Failure, throw, throw_lead};

config_class!(
    /// Which attribution models to run, at which level (channel or campaign).
    JsAttributionConfig, "AttributionConfig", AttributionConfig
);

config_class!(
    /// The ownership rule's window (default 3 months).
    JsOwnershipConfig, "OwnershipConfig", OwnershipConfig
);

/// The columns of a path-count table.
const PATH_FIELDS: [&str; 4] = ["path", "conversions", "nulls", "value"];

/// Largest integer a JS number holds exactly (2^53 − 1).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

fn is_nullish(v: &Unknown<'_>) -> napi::Result<bool> {
    Ok(matches!(
        v.get_type()?,
        ValueType::Undefined | ValueType::Null
    ))
}

/// A path count with every optional field at the core's default.
fn path_defaults(env: &Env) -> napi::Result<PathCount> {
    leadcore::input::from_value(serde_json::json!({"path": ""}))
        .map_err(|e| throw_lead(env, e))
}

/// An array, or an array-like object (typed array) with a `length`.
struct Column<'a> {
    obj: Object<'a>,
    len: u32,
}

impl<'a> Column<'a> {
    fn new(v: &Unknown<'a>) -> napi::Result<Option<Self>> {
        if v.get_type()? != ValueType::Object {
            return Ok(None);
        }
        let obj: Object<'a> = v.coerce_to_object()?;
        let len = if v.is_array()? {
            obj.get_array_length()?
        } else if v.is_typedarray()? {
            obj.get_named_property::<u32>("length")?
        } else {
            return Ok(None);
        };
        Ok(Some(Self { obj, len }))
    }

    fn get(&self, i: u32) -> napi::Result<Unknown<'a>> {
        self.obj.get_element::<Unknown<'a>>(i)
    }
}

fn text(v: &Unknown<'_>) -> napi::Result<Option<String>> {
    if v.get_type()? != ValueType::String {
        return Ok(None);
    }
    Ok(Some(v.coerce_to_string()?.into_utf8()?.into_owned()?))
}

fn number(v: &Unknown<'_>) -> napi::Result<Option<f64>> {
    if v.get_type()? != ValueType::Number {
        return Ok(None);
    }
    Ok(Some(v.coerce_to_number()?.get_double()?))
}

/// A non-negative integral number within ±2^53.
fn count(v: &Unknown<'_>) -> napi::Result<Option<u64>> {
    Ok(number(v)?
        .filter(|n| n.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER).contains(n))
        .map(|n| n as u64))
}

fn amount(v: &Unknown<'_>) -> napi::Result<Option<f64>> {
    Ok(number(v)?.filter(|n| n.is_finite()))
}

/// Reads path counts: an array of path-count objects, or a table of columns.
fn paths(env: &Env, v: &Unknown<'_>, arg: &str) -> napi::Result<Vec<PathCount>> {
    if v.get_type()? == ValueType::Object && !v.is_array()? {
        return columns(env, &v.coerce_to_object()?, arg);
    }
    from_js(env, v, arg)
}

fn columns(env: &Env, table: &Object<'_>, arg: &str) -> napi::Result<Vec<PathCount>> {
    let defaults = path_defaults(env)?;
    let mut cols: [Option<Column<'_>>; 4] = [None, None, None, None];
    let names: Object<'_> = table.get_property_names()?;
    for k in 0..names.get_array_length()? {
        let key: Unknown<'_> = names.get_element(k)?;
        let name = key.coerce_to_string()?.into_utf8()?.into_owned()?;
        let item: Unknown<'_> = table.get_named_property(&name)?;
        if item.get_type()? == ValueType::Undefined {
            continue;
        }
        let Some(slot) = PATH_FIELDS
            .iter()
            .position(|f| *f == name)
            .and_then(|i| cols.get_mut(i))
        else {
            let msg = format!(
                "unknown field `{name}`, expected one of `path`, `conversions`, `nulls`, `value`"
            );
            return Err(input_error(
                env,
                FieldErrorKind::UnknownField(msg),
                format!("{arg}.{name}"),
            ));
        };
        match Column::new(&item)? {
            Some(c) => *slot = Some(c),
            None => {
                let msg = format!("invalid type: column `{name}` must be an array");
                return Err(input_error(
                    env,
                    FieldErrorKind::InvalidType(msg),
                    format!("{arg}.{name}"),
                ));
            }
        }
    }
    let [path, conversions, nulls, value] = cols;
    let Some(path) = path else {
        return Err(input_error(
            env,
            FieldErrorKind::MissingField("missing field `path`".into()),
            format!("{arg}.path"),
        ));
    };
    let n = path.len;
    for (name, col) in PATH_FIELDS
        .iter()
        .zip([&conversions, &nulls, &value])
        .skip(1)
    {
        if let Some(c) = col
            && c.len != n
        {
            let msg = format!("column `{name}` has {} rows, `path` has {n}", c.len);
            return Err(input_error(
                env,
                FieldErrorKind::InvalidValue(msg),
                format!("{arg}.{name}"),
            ));
        }
    }
    fn cell<'a>(col: &Option<Column<'a>>, i: u32) -> napi::Result<Option<Unknown<'a>>> {
        col.as_ref().map(|c| c.get(i)).transpose()
    }
    let mut out = Vec::with_capacity(n as usize);
    for i in 0..n {
        let cells = [
            Some(path.get(i)?),
            cell(&conversions, i)?,
            cell(&nulls, i)?,
            cell(&value, i)?,
        ];
        let [p, c, u, v] = &cells;
        let mut row = defaults.clone();
        let mut fast = true;
        match p.as_ref().map(text).transpose()?.flatten() {
            Some(t) => row.path = t,
            None => fast = false,
        }
        for (cell, slot) in [(c, &mut row.conversions), (u, &mut row.nulls)] {
            if let Some(x) = cell {
                match count(x)? {
                    Some(n) => *slot = n,
                    None => fast = false,
                }
            }
        }
        if let Some(x) = v {
            match amount(x)? {
                Some(a) => row.value = a,
                None => fast = false,
            }
        }
        if !fast {
            // The general conversion of this row decides (and names the error).
            let at = format!("{arg}[{i}]");
            let mut map = Map::new();
            for (name, cell) in PATH_FIELDS.iter().zip(&cells) {
                if let Some(x) = cell {
                    map.insert(name.to_string(), json_at(env, x, &format!("{at}.{name}"))?);
                }
            }
            row = leadcore::input::from_value(Value::Object(map))
                .map_err(|e| throw(env, Failure::Lead(e.at(&at).into())))?;
        }
        out.push(row);
    }
    Ok(out)
}

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
    #[napi(ts_type = "PathCount[] | PathColumns")]
    pub paths: Option<Unknown<'a>>,
    /// Threads to split the work over (the same result, bit for bit); default 1.
    pub threads: Option<u32>,
}

/// Credits per channel (or campaign) under every configured model, from journeys and/or path
/// counts.
#[napi(
    ts_args_type = "config: AttributionConfig | Json, input: AttributeInput",
    ts_return_type = "AttributionReport"
)]
pub fn attribute(
    env: Env,
    config: ConfigArg<'_, JsAttributionConfig>,
    input: AttributeInput<'_>,
) -> napi::Result<Value> {
    let config = config_arg::<JsAttributionConfig>(&env, Some(config))?;
    let journeys: Vec<Journey> = match &input.journeys {
        Some(j) if !is_nullish(j)? => from_js(&env, j, "journeys")?,
        _ => Vec::new(),
    };
    let paths = match &input.paths {
        Some(p) if !is_nullish(p)? => self::paths(&env, p, "paths")?,
        _ => Vec::new(),
    };
    let report = match input.threads {
        Some(t) => attribution::attribute_parallel(&config, &journeys, &paths, t as usize),
        None => attribution::attribute(&config, &journeys, &paths),
    }
    .map_err(|e| throw_lead(&env, e))?;
    Ok(to_js(&report))
}

/// How each heuristic model splits one journey's credit over its touches, with each touch's
/// role.
#[napi(
    ts_args_type = "config: AttributionConfig | Json, journey: Journey",
    ts_return_type = "JourneyExplanation"
)]
pub fn explain_journey(
    env: Env,
    config: ConfigArg<'_, JsAttributionConfig>,
    journey: Unknown<'_>,
) -> napi::Result<Value> {
    let config = config_arg::<JsAttributionConfig>(&env, Some(config))?;
    let journey: Journey = from_js(&env, &journey, "journey")?;
    let out = attribution::explain_journey(&config, &journey).map_err(|e| throw_lead(&env, e))?;
    Ok(to_js(&out))
}

/// The channel that owns each customer under the ownership rule, with the reason, and totals
/// per channel.
#[napi(
    ts_args_type = "config: OwnershipConfig | Json, journeys: Journey[]",
    ts_return_type = "OwnershipReport"
)]
pub fn ownership(
    env: Env,
    config: ConfigArg<'_, JsOwnershipConfig>,
    journeys: Unknown<'_>,
) -> napi::Result<Value> {
    let config = config_arg::<JsOwnershipConfig>(&env, Some(config))?;
    let journeys: Vec<Journey> = from_js(&env, &journeys, "journeys")?;
    let out = attribution::ownership(&config, &journeys).map_err(|e| throw_lead(&env, e))?;
    Ok(to_js(&out))
}

/// Reads accumulator state given as JSON text or as the object `toJSON()` returned.
pub fn state_text(env: &Env, state: &Unknown<'_>) -> napi::Result<String> {
    if state.get_type()? == ValueType::String {
        return Ok(state.coerce_to_string()?.into_utf8()?.into_owned()?);
    }
    if is_nullish(state)? {
        let msg = "missing field `state`".to_string();
        return Err(input_error(
            env,
            FieldErrorKind::MissingField(msg),
            "state".into(),
        ));
    }
    Ok(json_at(env, state, "state")?.to_string())
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
    #[napi(constructor, ts_args_type = "config: AttributionConfig | Json")]
    pub fn new(env: Env, config: ConfigArg<'_, JsAttributionConfig>) -> napi::Result<Self> {
        let config = config_arg::<JsAttributionConfig>(&env, Some(config))?;
        let acc =
            AttributionAccumulator::new(config.as_ref().clone()).map_err(|e| throw_lead(&env, e))?;
        Ok(Self::wrap(acc))
    }

    /// The configuration.
    #[napi(getter)]
    pub fn config(&self) -> JsAttributionConfig {
        JsAttributionConfig::from(self.inner.borrow().config().clone())
    }

    /// Adds one journey (errors name it `journey`).
    #[napi(ts_args_type = "journey: Journey")]
    pub fn add_journey(&self, env: Env, journey: Unknown<'_>) -> napi::Result<()> {
        let journey: Journey = from_js(&env, &journey, "journey")?;
        self.inner
            .borrow_mut()
            .add_journey(&journey)
            .map_err(|e| throw_lead(&env, e))
    }

    /// Adds journeys (errors name them `journeys[i]`); stops at the first bad one, the ones
    /// before it stay added.
    #[napi(ts_args_type = "journeys: Journey[]")]
    pub fn add_journeys(&self, env: Env, journeys: Unknown<'_>) -> napi::Result<()> {
        let journeys: Vec<Journey> = from_js(&env, &journeys, "journeys")?;
        self.inner
            .borrow_mut()
            .add_journeys(&journeys)
            .map_err(|e| throw_lead(&env, e))
    }

    /// Adds one path count (errors name it `path`).
    #[napi(ts_args_type = "path: PathCount")]
    pub fn add_path(&self, env: Env, path: Unknown<'_>) -> napi::Result<()> {
        let path: PathCount = from_js(&env, &path, "path")?;
        self.inner
            .borrow_mut()
            .add_path(&path)
            .map_err(|e| throw_lead(&env, e))
    }

    /// Adds path counts, rows or columns (errors name rows `paths[i]`); stops at the first bad
    /// one, the ones before it stay added.
    #[napi(ts_args_type = "paths: PathCount[] | PathColumns")]
    pub fn add_paths(&self, env: Env, paths: Unknown<'_>) -> napi::Result<()> {
        let paths = self::paths(&env, &paths, "paths")?;
        self.inner
            .borrow_mut()
            .add_paths(&paths)
            .map_err(|e| throw_lead(&env, e))
    }

    /// Adds everything `other` accumulated (same configuration required).
    #[napi]
    pub fn merge(&self, env: Env, other: &JsAttributionAccumulator) -> napi::Result<()> {
        // Copy first: `other` may be this very accumulator.
        let theirs = other.inner.borrow().clone();
        self.inner
            .borrow_mut()
            .merge(&theirs)
            .map_err(|e| throw_lead(&env, e))
    }

    /// The report so far (the accumulator is unchanged and can keep adding).
    #[napi(ts_return_type = "AttributionReport")]
    pub fn finish(&self, env: Env) -> napi::Result<Value> {
        let report = self
            .inner
            .borrow()
            .finish()
            .map_err(|e| throw_lead(&env, e))?;
        Ok(to_js(&report))
    }

    /// The state in the compact binary form.
    #[napi]
    pub fn to_bytes(&self) -> Buffer {
        Buffer::from(self.inner.borrow().to_bytes())
    }

    /// An accumulator from `toBytes()` output (a `Buffer` or `Uint8Array`).
    #[napi(factory)]
    pub fn from_bytes(env: Env, data: Uint8Array) -> napi::Result<Self> {
        let acc = AttributionAccumulator::from_bytes(&data).map_err(|e| throw_lead(&env, e))?;
        Ok(Self::wrap(acc))
    }

    /// The state as a plain object (what `JSON.stringify` writes; exact sums as decimal
    /// strings).
    #[napi(js_name = "toJSON", ts_return_type = "Json")]
    pub fn to_json_value(&self) -> Value {
        to_js(&self.inner.borrow().to_state())
    }

    /// An accumulator from `toJSON()` output, as an object or JSON text.
    #[napi(factory, js_name = "fromJSON", ts_args_type = "state: Json")]
    pub fn from_json(env: Env, state: Unknown<'_>) -> napi::Result<Self> {
        let text = state_text(&env, &state)?;
        let acc = AttributionAccumulator::from_json(&text).map_err(|e| throw_lead(&env, e))?;
        Ok(Self::wrap(acc))
    }
}
