//! Predictive lead scoring: training, the model class, batch scoring of leads and of row-major
//! feature arrays (`Float64Array` or arrays of rows), metrics.
//!
//! Training, feature building and scoring run on `threads` std threads (absent: the available
//! parallelism); results never depend on the thread count.

use std::sync::Arc;

use leadcore::predict::{
    Column, FeatureMatrix, FeatureSpec, Label, PredictiveModel, TierThresholds, TrainConfig,
    TrainingSet,
};
use leadcore::{Event, FieldErrorKind, InputError, Lead};
use napi::bindgen_prelude::{Buffer, Either, Float64Array, Float64ArraySlice, Uint8ArraySlice};
use napi::{Env, JsValue, Unknown, ValueType};
use napi_derive::napi;
use serde_json::Value;

use crate::config::{ConfigArg, config_arg, config_class};
use crate::conv::{Json, ThreadOptions, from_js, instant, threads_of, to_js};
use crate::errors::throw_lead;

config_class!(
    /// How a model is trained: features, estimator, seed, holdout, calibration, tiers, segments.
    JsTrainConfig, "TrainConfig", TrainConfig, "config?: TrainConfigJson | string", "TrainConfigJson"
);

config_class!(
    /// Which features are built from a lead and its events.
    JsFeatureSpec, "FeatureSpec", FeatureSpec, "config?: FeatureSpecJson | string", "FeatureSpecJson"
);

/// Options of `PredictiveModel.predictProba`.
#[napi(object)]
pub struct PredictOptions<'a> {
    /// Rows of a `Float64Array` input (required with one).
    #[napi(ts_type = "number")]
    pub rows: Option<Unknown<'a>>,
    /// Columns of a `Float64Array` input (required with one): the model's feature count.
    #[napi(ts_type = "number")]
    pub columns: Option<Unknown<'a>>,
    /// Each row's segment value for a segmented model (absent: every row uses the global model).
    #[napi(ts_type = "Array<string | null>")]
    pub segments: Option<Unknown<'a>>,
    /// Threads; the result does not depend on it.
    #[napi(ts_type = "number")]
    pub threads: Option<Unknown<'a>>,
}

/// Options of `trainSet`.
#[napi(object)]
pub struct TrainSetOptions<'a> {
    /// Each row's segment value (absent: none).
    #[napi(ts_type = "Array<string | null>")]
    pub segments: Option<Unknown<'a>>,
    /// Threads; the result does not depend on it.
    #[napi(ts_type = "number")]
    pub threads: Option<Unknown<'a>>,
}

/// A row-major feature matrix: `data[row * columns + column]`, `NaN` for missing values.
#[napi(object)]
pub struct FeatureArray {
    /// The values, row after row.
    pub data: Float64Array,
    /// Rows (leads).
    pub rows: u32,
    /// Columns (features), in `featureNames` order.
    pub columns: u32,
    /// The column names.
    pub feature_names: Vec<String>,
}

fn input_error(env: &Env, kind: FieldErrorKind, path: &str) -> napi::Error {
    throw_lead(env, InputError::new(kind, path))
}

fn segments_of(env: &Env, v: Option<&Unknown<'_>>) -> napi::Result<Option<Vec<Option<String>>>> {
    match v {
        Some(v) if !matches!(v.get_type()?, ValueType::Undefined | ValueType::Null) => {
            Ok(Some(from_js(env, v, "segments")?))
        }
        _ => Ok(None),
    }
}

/// A feature matrix from row-major values; positional columns are the model's when the count
/// matches (otherwise the model reports the mismatch).
fn matrix(columns: &[Column], width: usize, rows: usize, values: &[f64]) -> FeatureMatrix {
    let columns = if width == columns.len() {
        columns.to_vec()
    } else {
        (0..width)
            .map(|i| Column {
                name: format!("x[{i}]"),
                group: format!("x[{i}]"),
                level: None,
            })
            .collect()
    };
    let mut data: Vec<Vec<f32>> = (0..width).map(|_| Vec::with_capacity(rows)).collect();
    if width > 0 {
        for row in values.chunks_exact(width) {
            for (col, v) in data.iter_mut().zip(row) {
                col.push(*v as f32);
            }
        }
    }
    FeatureMatrix {
        columns,
        lead_ids: vec![String::new(); rows],
        data,
    }
}

/// Reads `x`: a `Float64Array` with `rows` and `columns`, or an array of rows (`null`: missing).
fn matrix_from_js(
    env: &Env,
    x: Either<Float64ArraySlice<'_>, Unknown<'_>>,
    options: Option<&PredictOptions<'_>>,
    columns: &[Column],
) -> napi::Result<FeatureMatrix> {
    match x {
        Either::A(values) => {
            let dim = |v: Option<&Unknown<'_>>, name: &str| match v {
                Some(v) if !crate::conv::absent(v)? => {
                    from_js::<u32>(env, v, name).map(|n| n as usize)
                }
                _ => {
                    let msg = format!("missing field `{name}`: give the array's shape");
                    Err(input_error(env, FieldErrorKind::MissingField(msg), name))
                }
            };
            let rows = dim(options.and_then(|o| o.rows.as_ref()), "options.rows")?;
            let width = dim(options.and_then(|o| o.columns.as_ref()), "options.columns")?;
            if rows.checked_mul(width) != Some(values.len()) {
                let msg = format!("{} values for {rows} rows of {width} columns", values.len());
                return Err(input_error(env, FieldErrorKind::InvalidValue(msg), "x"));
            }
            if width == 0 && rows > 0 {
                // No values back the claimed rows: nothing is sized by them.
                let msg = format!("{rows} rows of no columns: a feature matrix needs a column");
                return Err(input_error(
                    env,
                    FieldErrorKind::InvalidValue(msg),
                    "options.columns",
                ));
            }
            Ok(matrix(columns, width, rows, &values))
        }
        Either::B(v) => {
            let rows: Vec<Vec<Option<f64>>> = from_js(env, &v, "x")?;
            let width = rows.first().map_or(columns.len(), Vec::len);
            if let Some(i) = rows.iter().position(|r| r.len() != width) {
                let len = rows.get(i).map_or(0, Vec::len);
                let msg = format!("row of {len} values, the first row has {width}");
                return Err(input_error(
                    env,
                    FieldErrorKind::InvalidValue(msg),
                    &format!("x[{i}]"),
                ));
            }
            let flat: Vec<f64> = rows
                .iter()
                .flatten()
                .map(|v| v.unwrap_or(f64::NAN))
                .collect();
            Ok(matrix(columns, width, rows.len(), &flat))
        }
    }
}

struct History {
    leads: Vec<Lead>,
    events: Vec<Event>,
    labels: Vec<Label>,
}

fn history(
    env: &Env,
    leads: &Unknown<'_>,
    events: &Unknown<'_>,
    labels: &Unknown<'_>,
) -> napi::Result<History> {
    Ok(History {
        leads: crate::arrow::leads_arg(env, leads)?,
        events: crate::arrow::events_arg(env, events)?,
        labels: from_js(env, labels, "labels")?,
    })
}

/// A trained predictive lead-scoring model: its feature spec and encoding, estimators,
/// calibration, tiers and training metadata. Immutable.
///
/// Loads from its JSON document (`new PredictiveModel(doc)`, object or text) or binary form
/// (`PredictiveModel.fromBytes(buffer)`); `JSON.stringify(model)` writes the document.
#[napi(js_name = "PredictiveModel")]
pub struct JsPredictiveModel {
    inner: Arc<PredictiveModel>,
}

impl JsPredictiveModel {
    fn wrap(model: PredictiveModel) -> Self {
        Self {
            inner: Arc::new(model),
        }
    }
}

#[napi]
impl JsPredictiveModel {
    /// Loads a model from its JSON document (an object or JSON text).
    #[napi(
        catch_unwind,
        constructor,
        ts_args_type = "model: PredictiveModelJson | string"
    )]
    pub fn new(env: Env, model: Unknown<'_>) -> napi::Result<Self> {
        let loaded = if model.get_type()? == ValueType::String {
            let text = model.coerce_to_string()?.into_utf8()?.into_owned()?;
            PredictiveModel::from_json(&text)
        } else {
            let value: Value = from_js(&env, &model, "model")?;
            PredictiveModel::from_value(value)
        };
        loaded.map(Self::wrap).map_err(|e| throw_lead(&env, e))
    }

    /// Loads a model from its binary form (a `Buffer` or `Uint8Array`).
    #[napi(catch_unwind, factory, ts_args_type = "bytes: Uint8Array")]
    pub fn from_bytes(
        env: Env,
        bytes: Either<Uint8ArraySlice<'_>, Unknown<'_>>,
    ) -> napi::Result<Self> {
        let Either::A(bytes) = bytes else {
            let msg = "expected a Buffer or Uint8Array".to_string();
            return Err(input_error(&env, FieldErrorKind::InvalidType(msg), "bytes"));
        };
        PredictiveModel::from_bytes(&bytes)
            .map(Self::wrap)
            .map_err(|e| throw_lead(&env, e))
    }

    /// The model in its compact, checksummed binary form.
    #[napi(catch_unwind)]
    pub fn to_bytes(&self, env: Env) -> napi::Result<Buffer> {
        let bytes = self.inner.to_bytes().map_err(|e| throw_lead(&env, e))?;
        Ok(Buffer::from(bytes))
    }

    /// The model's JSON document (what `JSON.stringify` writes).
    #[napi(
        catch_unwind,
        js_name = "toJSON",
        ts_return_type = "PredictiveModelJson"
    )]
    pub fn to_json_value(&self) -> Json {
        Json(self.inner.to_value())
    }

    /// Whether two models are equal.
    #[napi(catch_unwind)]
    pub fn equals(&self, other: &JsPredictiveModel) -> bool {
        self.inner == other.inner
    }

    /// Scores leads as of `now`: one score per lead, in input order, with the probability, tier,
    /// the model used and the top positive and negative factors.
    #[napi(
        catch_unwind,
        ts_args_type = "leads: Lead[] | Uint8Array, events: LeadEvent[] | Uint8Array, now: Instant, options?: ThreadOptions",
        ts_return_type = "LeadScore[]"
    )]
    pub fn score(
        &self,
        env: Env,
        leads: Unknown<'_>,
        events: Unknown<'_>,
        now: Unknown<'_>,
        options: Option<ThreadOptions<'_>>,
    ) -> napi::Result<Json> {
        let leads = crate::arrow::leads_arg(&env, &leads)?;
        let events: Vec<Event> = crate::arrow::events_arg(&env, &events)?;
        let now = instant(&env, &now, "now")?;
        let scores = self
            .inner
            .score(&leads, &events, now, threads_of(&env, options.as_ref())?)
            .map_err(|e| throw_lead(&env, e))?;
        Ok(to_js(&scores))
    }

    /// The model's feature matrix for `leads` as of `now`, row-major.
    #[napi(
        catch_unwind,
        ts_args_type = "leads: Lead[] | Uint8Array, events: LeadEvent[] | Uint8Array, now: Instant, options?: ThreadOptions"
    )]
    pub fn build_features(
        &self,
        env: Env,
        leads: Unknown<'_>,
        events: Unknown<'_>,
        now: Unknown<'_>,
        options: Option<ThreadOptions<'_>>,
    ) -> napi::Result<FeatureArray> {
        let leads = crate::arrow::leads_arg(&env, &leads)?;
        let events: Vec<Event> = crate::arrow::events_arg(&env, &events)?;
        let now = instant(&env, &now, "now")?;
        let x = self
            .inner
            .build_features(&leads, &events, now, threads_of(&env, options.as_ref())?)
            .map_err(|e| throw_lead(&env, e))?;
        let (rows, cols) = (x.n_rows(), x.n_cols());
        let mut data = Vec::with_capacity(rows * cols);
        for r in 0..rows {
            data.extend(
                x.data
                    .iter()
                    .map(|c| c.get(r).map_or(f64::NAN, |v| f64::from(*v))),
            );
        }
        Ok(FeatureArray {
            data: Float64Array::new(data),
            rows: rows as u32,
            columns: cols as u32,
            feature_names: x.columns.into_iter().map(|c| c.name).collect(),
        })
    }

    /// Probabilities for a feature matrix in `featureNames` order (the fast path: no
    /// explanations): a row-major `Float64Array` with `options.rows` and `options.columns`
    /// (`NaN`: missing), or an array of rows (`null`: missing).
    #[napi(
        catch_unwind,
        ts_args_type = "x: Float64Array | Array<Array<number | null>>, options?: PredictOptions"
    )]
    pub fn predict_proba(
        &self,
        env: Env,
        x: Either<Float64ArraySlice<'_>, Unknown<'_>>,
        options: Option<PredictOptions<'_>>,
    ) -> napi::Result<Float64Array> {
        let x = matrix_from_js(&env, x, options.as_ref(), &self.inner.encoding.columns)?;
        let segments = segments_of(&env, options.as_ref().and_then(|o| o.segments.as_ref()))?;
        let n = crate::conv::threads_arg(&env, options.as_ref().and_then(|o| o.threads.as_ref()))?;
        let probs = self
            .inner
            .predict_proba(&x, segments.as_deref(), n)
            .map_err(|e| throw_lead(&env, e))?;
        Ok(Float64Array::new(probs))
    }

    /// The feature column names, in matrix order.
    #[napi(getter)]
    pub fn feature_names(&self) -> Vec<String> {
        self.inner
            .encoding
            .columns
            .iter()
            .map(|c| c.name.clone())
            .collect()
    }

    /// What the model was trained on and how well it did.
    #[napi(getter, ts_return_type = "TrainingMetadata")]
    pub fn metadata(&self) -> Json {
        to_js(&self.inner.metadata)
    }

    /// The holdout metrics, or `null` without a holdout.
    #[napi(getter, ts_return_type = "Metrics | null")]
    pub fn metrics(&self) -> Json {
        to_js(&self.inner.metadata.metrics)
    }

    /// The probability thresholds of the `high` and `mid` tiers.
    #[napi(getter, ts_return_type = "TierThresholds")]
    pub fn tiers(&self) -> Json {
        to_js(&self.inner.tiers)
    }

    /// The training config (with the feature spec) stored in the model.
    #[napi(getter)]
    pub fn config(&self) -> JsTrainConfig {
        JsTrainConfig {
            inner: Arc::new(self.inner.config.clone()),
        }
    }

    /// The model file format version.
    #[napi(getter)]
    pub fn format_version(&self) -> u32 {
        self.inner.format_version
    }
}

/// Trains a model on labelled leads (features as of each label's cut-off); `trainedAt` is
/// recorded in the model.
#[napi(
    catch_unwind,
    ts_args_type = "config: TrainConfig | TrainConfigJson, leads: Lead[] | Uint8Array, events: LeadEvent[] | Uint8Array, labels: Label[], trainedAt: Instant, options?: ThreadOptions"
)]
pub fn train(
    env: Env,
    config: ConfigArg<'_, JsTrainConfig>,
    leads: Unknown<'_>,
    events: Unknown<'_>,
    labels: Unknown<'_>,
    trained_at: Unknown<'_>,
    options: Option<ThreadOptions<'_>>,
) -> napi::Result<JsPredictiveModel> {
    let config = config_arg::<JsTrainConfig>(&env, Some(config))?;
    let h = history(&env, &leads, &events, &labels)?;
    let at = instant(&env, &trained_at, "trained_at")?;
    leadcore::predict::train(
        &config,
        &h.leads,
        &h.events,
        &h.labels,
        at,
        threads_of(&env, options.as_ref())?,
    )
    .map(JsPredictiveModel::wrap)
    .map_err(|e| throw_lead(&env, e))
}

/// Trains on a training set as `buildTrainingSet` returns it (`encoding`, `features`,
/// `labels`).
#[napi(
    catch_unwind,
    ts_args_type = "config: TrainConfig | TrainConfigJson, trainingSet: TrainingSet, trainedAt: Instant, options?: TrainSetOptions"
)]
pub fn train_set(
    env: Env,
    config: ConfigArg<'_, JsTrainConfig>,
    training_set: Unknown<'_>,
    trained_at: Unknown<'_>,
    options: Option<TrainSetOptions<'_>>,
) -> napi::Result<JsPredictiveModel> {
    let config = config_arg::<JsTrainConfig>(&env, Some(config))?;
    let set: TrainingSet = from_js(&env, &training_set, "training_set")?;
    let segments = segments_of(&env, options.as_ref().and_then(|o| o.segments.as_ref()))?
        .unwrap_or_else(|| vec![None; set.labels.len()]);
    let at = instant(&env, &trained_at, "trained_at")?;
    let n = crate::conv::threads_arg(&env, options.as_ref().and_then(|o| o.threads.as_ref()))?;
    leadcore::predict::train_set(&config, &set, &segments, at, n)
        .map(JsPredictiveModel::wrap)
        .map_err(|e| throw_lead(&env, e))
}

/// Stratified k-fold cross-validation of a training config: metrics per fold, mean and std.
#[napi(
    catch_unwind,
    ts_args_type = "config: TrainConfig | TrainConfigJson, leads: Lead[] | Uint8Array, events: LeadEvent[] | Uint8Array, labels: Label[], folds: number, options?: ThreadOptions",
    ts_return_type = "CrossValidation"
)]
pub fn cross_validate(
    env: Env,
    config: ConfigArg<'_, JsTrainConfig>,
    leads: Unknown<'_>,
    events: Unknown<'_>,
    labels: Unknown<'_>,
    folds: Unknown<'_>,
    options: Option<ThreadOptions<'_>>,
) -> napi::Result<Json> {
    let config = config_arg::<JsTrainConfig>(&env, Some(config))?;
    let h = history(&env, &leads, &events, &labels)?;
    let folds: usize = from_js(&env, &folds, "folds")?;
    let cv = leadcore::predict::cross_validate(
        &config,
        &h.leads,
        &h.events,
        &h.labels,
        folds,
        threads_of(&env, options.as_ref())?,
    )
    .map_err(|e| throw_lead(&env, e))?;
    Ok(to_js(&cv))
}

/// Builds the training set: the learned encoding, one feature row per label (as of its
/// cut-off, column-major) and the labels.
#[napi(
    catch_unwind,
    ts_args_type = "spec: FeatureSpec | FeatureSpecJson, leads: Lead[] | Uint8Array, events: LeadEvent[] | Uint8Array, labels: Label[], options?: ThreadOptions",
    ts_return_type = "TrainingSet"
)]
pub fn build_training_set(
    env: Env,
    spec: ConfigArg<'_, JsFeatureSpec>,
    leads: Unknown<'_>,
    events: Unknown<'_>,
    labels: Unknown<'_>,
    options: Option<ThreadOptions<'_>>,
) -> napi::Result<Json> {
    let spec = config_arg::<JsFeatureSpec>(&env, Some(spec))?;
    let h = history(&env, &leads, &events, &labels)?;
    let set = leadcore::predict::build_training_set(
        &spec,
        &h.leads,
        &h.events,
        &h.labels,
        threads_of(&env, options.as_ref())?,
    )
    .map_err(|e| throw_lead(&env, e))?;
    Ok(to_js(&set))
}

/// Holdout metrics of probabilities against outcomes: ROC AUC, PR AUC, log loss, Brier,
/// calibration deciles, top-decile lift, precision / recall at the tier thresholds.
#[napi(
    catch_unwind,
    ts_args_type = "tiers: TierThresholds, scores: number[] | Float64Array, labels: boolean[]",
    ts_return_type = "Metrics"
)]
pub fn evaluate(
    env: Env,
    tiers: Unknown<'_>,
    scores: Either<Float64ArraySlice<'_>, Unknown<'_>>,
    labels: Unknown<'_>,
) -> napi::Result<Json> {
    let scores: Vec<f64> = match scores {
        Either::A(s) => s.to_vec(),
        Either::B(v) => from_js(&env, &v, "scores")?,
    };
    let labels: Vec<bool> = from_js(&env, &labels, "labels")?;
    let tiers: TierThresholds = from_js(&env, &tiers, "tiers")?;
    let metrics =
        leadcore::predict::evaluate(&tiers, &scores, &labels).map_err(|e| throw_lead(&env, e))?;
    Ok(to_js(&metrics))
}
