//! Predictive lead scoring: training, the model class, batch scoring of leads and of numpy
//! feature matrices, metrics.
//!
//! Python objects are converted while the GIL is held; training, feature building and scoring
//! then run with the GIL released (`py.detach`) on `threads` std threads (`None`: the available
//! parallelism). Results never depend on the thread count.

use std::sync::Arc;

use leadcore::input::to_value as json_of;
use leadcore::predict::{
    Column, FeatureEncoding, FeatureMatrix, FeatureSpec, Label, PredictiveModel, TierThresholds,
    TrainConfig, TrainingSet,
};
use leadcore::{Event, FieldErrorKind, InputError, Lead};
use numpy::ndarray::Array2;
use numpy::{PyArray1, PyArray2, PyArrayMethods, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString, PyTuple};

use crate::config::{config_arg, config_class};
use crate::conv::{from_py, instant, text, text_of, threads_arg, to_py, to_value, value_to_py};
use crate::errors::to_py_err;

config_class!(
    /// How a model is trained: features, estimator, seed, holdout, calibration, tiers, segments.
    PyTrainConfig, "TrainConfig", TrainConfig
);

config_class!(
    /// Which features are built from a lead and its events.
    PyFeatureSpec, "FeatureSpec", FeatureSpec
);

fn input_error(kind: FieldErrorKind, path: &str) -> PyErr {
    to_py_err(InputError::new(kind, path))
}

/// A 2-D float array with the column names of the frame it came from, if any.
type Named<'py> = (Bound<'py, PyArray2<f64>>, Option<Vec<String>>);

/// A 2-D float array from `obj`: a numpy array, or anything `numpy.asarray(obj, dtype=float64)`
/// reads (pandas / polars DataFrame, pyarrow Table, list of rows). Frames also give their
/// column names, which the model then checks against its own.
fn array2<'py>(obj: &Bound<'py, PyAny>, arg: &str) -> PyResult<Named<'py>> {
    let py = obj.py();
    if let Ok(a) = obj.cast::<PyArray2<f64>>() {
        return Ok((a.clone(), None));
    }
    if obj.is_none() {
        let msg = format!("missing field `{arg}`");
        return Err(input_error(FieldErrorKind::MissingField(msg), arg));
    }
    // pyarrow's `columns` are the column arrays; its names are `column_names`.
    let names = ["column_names", "columns"]
        .into_iter()
        .find(|a| obj.hasattr(*a).unwrap_or(false))
        .map(|a| -> PyResult<Vec<String>> {
            obj.getattr(a)?
                .try_iter()?
                .map(|c| text_of(&c?, arg))
                .collect()
        })
        .transpose()?;
    let np = py.import("numpy")?;
    let converted = np
        .call_method1("asarray", (obj, np.getattr("float64")?))
        .map_err(|e| {
            let msg = format!("not a numeric 2-d array: {e}");
            input_error(FieldErrorKind::InvalidType(msg), arg)
        })?;
    let ndim: usize = converted.getattr("ndim")?.extract()?;
    if ndim != 2 {
        let msg = format!("expected a 2-d array (rows × columns), got {ndim} dimensions");
        return Err(input_error(FieldErrorKind::InvalidType(msg), arg));
    }
    Ok((converted.cast_into::<PyArray2<f64>>()?, names))
}

/// A feature matrix from a 2-D array whose columns are `columns` in order (a frame's own column
/// names replace them, so the model can check them). Values are narrowed to `f32` as the core
/// stores them; `NaN` is a missing value.
fn matrix_from_py(
    obj: &Bound<'_, PyAny>,
    arg: &str,
    columns: &[Column],
) -> PyResult<FeatureMatrix> {
    let (array, names) = array2(obj, arg)?;
    let view = array.readonly();
    let view = view.as_array();
    let (rows, width) = view.dim();
    if width == 0 && rows > 0 {
        // A shape numpy allows without memory (`np.empty((10**12, 0))`): the rows are claimed,
        // not held, so nothing is sized by them.
        let msg = format!("{rows} rows of no columns: a feature matrix needs a column");
        return Err(input_error(FieldErrorKind::InvalidValue(msg), arg));
    }
    let columns = match names {
        Some(names) => names
            .into_iter()
            .map(|name| Column {
                group: name.clone(),
                name,
                level: None,
            })
            .collect(),
        // Positional: the array's columns are the model's; only their count can be checked.
        None if width == columns.len() => columns.to_vec(),
        None => (0..width)
            .map(|i| Column {
                name: format!("{arg}[:, {i}]"),
                group: format!("{arg}[:, {i}]"),
                level: None,
            })
            .collect(),
    };
    let mut data: Vec<Vec<f32>> = (0..width).map(|_| Vec::with_capacity(rows)).collect();
    for row in view.rows() {
        for (col, v) in data.iter_mut().zip(row.iter()) {
            col.push(*v as f32);
        }
    }
    Ok(FeatureMatrix {
        columns,
        lead_ids: vec![String::new(); rows],
        data,
    })
}

/// The matrix as a `rows × columns` float64 numpy array (`NaN` for missing values).
fn matrix_to_py<'py>(py: Python<'py>, x: &FeatureMatrix) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let (rows, cols) = (x.n_rows(), x.n_cols());
    let mut flat = Vec::with_capacity(rows * cols);
    for r in 0..rows {
        flat.extend(
            x.data
                .iter()
                .map(|c| c.get(r).map_or(f64::NAN, |v| f64::from(*v))),
        );
    }
    let array = Array2::from_shape_vec((rows, cols), flat)
        .map_err(|e| input_error(FieldErrorKind::InvalidValue(e.to_string()), "features"))?;
    Ok(PyArray2::from_owned_array(py, array))
}

/// A 1-D sequence: a numpy array of `T`, another numpy array (read through `tolist()`), or
/// any sequence the JSON conversion reads.
fn vector<T>(obj: &Bound<'_, PyAny>, arg: &str) -> PyResult<Vec<T>>
where
    T: numpy::Element + Copy + serde::de::DeserializeOwned,
{
    if let Ok(a) = obj.extract::<PyReadonlyArray1<'_, T>>() {
        return Ok(a.as_array().iter().copied().collect());
    }
    if obj.hasattr("__array__")? && obj.hasattr("tolist")? {
        return from_py(&obj.call_method0("tolist")?, arg);
    }
    from_py(obj, arg)
}

/// Optional per-row segment values (`None`: every row is scored by the global model).
fn segments_arg(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Vec<Option<String>>>> {
    obj.filter(|o| !o.is_none())
        .map(|o| from_py(o, "segments"))
        .transpose()
}

struct History {
    leads: Vec<Lead>,
    events: Vec<Event>,
    labels: Vec<Label>,
}

fn history(
    leads: &Bound<'_, PyAny>,
    events: &Bound<'_, PyAny>,
    labels: &Bound<'_, PyAny>,
) -> PyResult<History> {
    Ok(History {
        leads: crate::arrow::leads_arg(leads)?,
        events: crate::arrow::events_arg(events)?,
        labels: from_py(labels, "labels")?,
    })
}

/// A trained predictive lead-scoring model: its feature spec and encoding, estimators,
/// calibration, tiers and training metadata.
///
/// Loads from a dict or JSON text (`PredictiveModel(doc)`) or its compact binary form
/// (`from_bytes`); saves to all three. Pickles through the binary form. Immutable and safe to
/// share between threads.
#[pyclass(module = "leadcore._native", name = "PredictiveModel", frozen, eq)]
pub struct PyPredictiveModel {
    inner: Arc<PredictiveModel>,
}

impl PartialEq for PyPredictiveModel {
    fn eq(&self, other: &Self) -> bool {
        self.inner == other.inner
    }
}

impl PyPredictiveModel {
    fn wrap(model: PredictiveModel) -> Self {
        Self {
            inner: Arc::new(model),
        }
    }
}

#[pymethods]
impl PyPredictiveModel {
    /// Loads a model from its JSON document: a dict or JSON text.
    #[new]
    fn new(model: &Bound<'_, PyAny>) -> PyResult<Self> {
        let loaded = if let Ok(s) = model.cast::<PyString>() {
            PredictiveModel::from_json(&text(s, "model")?)
        } else {
            if model.is_none() {
                let msg = "missing field `model`".to_string();
                return Err(input_error(FieldErrorKind::MissingField(msg), "model"));
            }
            PredictiveModel::from_value(to_value(model, "model")?)
        };
        loaded.map(Self::wrap).map_err(to_py_err)
    }

    /// Loads a model from its binary form (`bytes`, `bytearray` or `memoryview`).
    #[staticmethod]
    fn from_bytes(data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let owned;
        let bytes = match data.cast::<PyBytes>() {
            Ok(b) => b.as_bytes(),
            Err(_) => {
                owned = data
                    .py()
                    .get_type::<PyBytes>()
                    .call1((data,))
                    .map_err(|_| {
                        let msg = format!("expected bytes, got `{}`", type_name(data));
                        input_error(FieldErrorKind::InvalidType(msg), "data")
                    })?
                    .cast_into::<PyBytes>()?;
                owned.as_bytes()
            }
        };
        PredictiveModel::from_bytes(bytes)
            .map(Self::wrap)
            .map_err(to_py_err)
    }

    /// The model as a dict (its JSON document).
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        value_to_py(py, &self.inner.to_value())
    }

    /// The model as compact JSON text.
    fn to_json(&self, py: Python<'_>) -> String {
        let model = Arc::clone(&self.inner);
        py.detach(move || model.to_json())
    }

    /// The model in its compact binary form (checksummed).
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let model = Arc::clone(&self.inner);
        let bytes = py.detach(move || model.to_bytes()).map_err(to_py_err)?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// Scores leads as of `now`: one dict per lead, in input order, with the probability, tier,
    /// the model used and the top positive and negative factors.
    #[pyo3(signature = (leads, events, now, threads = None))]
    fn score(
        &self,
        py: Python<'_>,
        leads: &Bound<'_, PyAny>,
        events: &Bound<'_, PyAny>,
        now: &Bound<'_, PyAny>,
        threads: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let leads = crate::arrow::leads_arg(leads)?;
        let events: Vec<Event> = crate::arrow::events_arg(events)?;
        let now = instant(now, "now")?;
        let n = threads_arg(threads)?;
        let model = Arc::clone(&self.inner);
        let scores = py
            .detach(move || model.score(&leads, &events, now, n))
            .map_err(to_py_err)?;
        to_py(py, &scores)
    }

    /// The model's feature matrix for `leads` as of `now`: a `rows × columns` float64 array in
    /// `feature_names` order, `NaN` for missing values.
    #[pyo3(signature = (leads, events, now, threads = None))]
    fn build_features<'py>(
        &self,
        py: Python<'py>,
        leads: &Bound<'py, PyAny>,
        events: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        threads: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Bound<'py, PyArray2<f64>>> {
        let leads = crate::arrow::leads_arg(leads)?;
        let events: Vec<Event> = crate::arrow::events_arg(events)?;
        let now = instant(now, "now")?;
        let n = threads_arg(threads)?;
        let model = Arc::clone(&self.inner);
        let x = py
            .detach(move || model.build_features(&leads, &events, now, n))
            .map_err(to_py_err)?;
        matrix_to_py(py, &x)
    }

    /// Probabilities for a feature matrix (the fast path: no explanations), as a float64 array.
    ///
    /// `x` is a `rows × columns` array in `feature_names` order (`NaN`: missing), or a DataFrame
    /// / pyarrow Table whose column names must be `feature_names` in order (select them with
    /// `df[model.feature_names]`). `segments` gives each row's segment value for a segmented
    /// model; without it every row is scored by the global model.
    #[pyo3(signature = (x, segments = None, threads = None))]
    fn predict_proba<'py>(
        &self,
        py: Python<'py>,
        x: &Bound<'py, PyAny>,
        segments: Option<&Bound<'py, PyAny>>,
        threads: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let x = matrix_from_py(x, "x", &self.inner.encoding.columns)?;
        let segments = segments_arg(segments)?;
        let n = threads_arg(threads)?;
        let model = Arc::clone(&self.inner);
        let probs = py
            .detach(move || model.predict_proba(&x, segments.as_deref(), n))
            .map_err(to_py_err)?;
        Ok(PyArray1::from_vec(py, probs))
    }

    /// The feature column names, in matrix order.
    #[getter]
    fn feature_names(&self) -> Vec<String> {
        self.inner
            .encoding
            .columns
            .iter()
            .map(|c| c.name.clone())
            .collect()
    }

    /// What the model was trained on and how well it did (rows, positives, seed, metrics,
    /// segments, importances, trained-at).
    #[getter]
    fn metadata(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.inner.metadata)
    }

    /// The holdout metrics (ROC AUC, PR AUC, log loss, Brier, calibration deciles, lift,
    /// precision / recall per tier), or `None` without a holdout.
    #[getter]
    fn metrics(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.inner.metadata.metrics)
    }

    /// The probability thresholds of the `high` and `mid` tiers.
    #[getter]
    fn tiers(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.inner.tiers)
    }

    /// The training config (with the feature spec) stored in the model.
    #[getter]
    fn config(&self) -> PyTrainConfig {
        PyTrainConfig {
            inner: Arc::new(self.inner.config.clone()),
        }
    }

    /// The model file format version.
    #[getter]
    fn format_version(&self) -> u32 {
        self.inner.format_version
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let load = slf.get_type().getattr("from_bytes")?;
        let bytes = slf.get().to_bytes(py)?;
        let args = PyTuple::new(py, [bytes.into_any()])?;
        PyTuple::new(py, [load, args.into_any()])
    }

    fn __repr__(&self) -> String {
        let m = &self.inner;
        let kind = json_of(&m.config.model)
            .get("type")
            .and_then(|t| t.as_str().map(str::to_string))
            .unwrap_or_default();
        format!(
            "PredictiveModel({kind}, {} features, {} rows, {} positives, trained_at={})",
            m.encoding.columns.len(),
            m.metadata.rows,
            m.metadata.positives,
            leadcore::time::format(&m.metadata.trained_at)
        )
    }
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_default()
}

/// Trains a model on labelled leads (features as of each label's cut-off); `trained_at` is
/// recorded in the model.
#[pyfunction]
#[pyo3(signature = (config, leads, events, labels, trained_at, threads = None))]
pub fn train(
    py: Python<'_>,
    config: &Bound<'_, PyAny>,
    leads: &Bound<'_, PyAny>,
    events: &Bound<'_, PyAny>,
    labels: &Bound<'_, PyAny>,
    trained_at: &Bound<'_, PyAny>,
    threads: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyPredictiveModel> {
    let config = config_arg::<PyTrainConfig>(Some(config))?;
    let h = history(leads, events, labels)?;
    let at = instant(trained_at, "trained_at")?;
    let n = threads_arg(threads)?;
    py.detach(move || leadcore::predict::train(&config, &h.leads, &h.events, &h.labels, at, n))
        .map(PyPredictiveModel::wrap)
        .map_err(to_py_err)
}

/// `d[key]`, or `None` when absent.
fn item<'py>(d: &Bound<'py, PyDict>, key: &str) -> PyResult<Bound<'py, PyAny>> {
    Ok(d.get_item(key)?
        .unwrap_or_else(|| d.py().None().into_bound(d.py())))
}

/// Trains on an already built training set: a dict with `encoding` (as `build_training_set`
/// returns it), `features` (its matrix dict, or a `rows × columns` array in the encoding's
/// column order) and `labels` (a list or numpy array of bools).
#[pyfunction]
#[pyo3(signature = (config, training_set, trained_at, segments = None, threads = None))]
pub fn train_set(
    py: Python<'_>,
    config: &Bound<'_, PyAny>,
    training_set: &Bound<'_, PyAny>,
    trained_at: &Bound<'_, PyAny>,
    segments: Option<&Bound<'_, PyAny>>,
    threads: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyPredictiveModel> {
    let config = config_arg::<PyTrainConfig>(Some(config))?;
    let Ok(parts) = training_set.cast::<PyDict>() else {
        let msg = format!("expected a dict, got `{}`", type_name(training_set));
        return Err(input_error(
            FieldErrorKind::InvalidType(msg),
            "training_set",
        ));
    };
    let encoding: FeatureEncoding = from_py(&item(parts, "encoding")?, "training_set.encoding")?;
    let features = item(parts, "features")?;
    let features = if features.cast::<PyDict>().is_ok() {
        from_py(&features, "training_set.features")?
    } else {
        matrix_from_py(&features, "training_set.features", &encoding.columns)?
    };
    let labels = vector::<bool>(&item(parts, "labels")?, "training_set.labels")?;
    let segments = segments_arg(segments)?.unwrap_or_else(|| vec![None; labels.len()]);
    let at = instant(trained_at, "trained_at")?;
    let n = threads_arg(threads)?;
    let set = TrainingSet {
        encoding,
        features,
        labels,
    };
    py.detach(move || leadcore::predict::train_set(&config, &set, &segments, at, n))
        .map(PyPredictiveModel::wrap)
        .map_err(to_py_err)
}

/// Stratified k-fold cross-validation of a training config: metrics per fold, mean and std.
#[pyfunction]
#[pyo3(signature = (config, leads, events, labels, folds, threads = None))]
pub fn cross_validate(
    py: Python<'_>,
    config: &Bound<'_, PyAny>,
    leads: &Bound<'_, PyAny>,
    events: &Bound<'_, PyAny>,
    labels: &Bound<'_, PyAny>,
    folds: &Bound<'_, PyAny>,
    threads: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let config = config_arg::<PyTrainConfig>(Some(config))?;
    let h = history(leads, events, labels)?;
    let folds: usize = from_py(folds, "folds")?;
    let n = threads_arg(threads)?;
    let cv = py
        .detach(move || {
            leadcore::predict::cross_validate(&config, &h.leads, &h.events, &h.labels, folds, n)
        })
        .map_err(to_py_err)?;
    to_py(py, &cv)
}

/// Builds the training set: the learned encoding, one feature row per label (as of its
/// cut-off) and the labels, as a dict. `numpy.array(ts["features"]["data"], dtype=float).T` is
/// its `rows × columns` matrix.
#[pyfunction]
#[pyo3(signature = (spec, leads, events, labels, threads = None))]
pub fn build_training_set(
    py: Python<'_>,
    spec: &Bound<'_, PyAny>,
    leads: &Bound<'_, PyAny>,
    events: &Bound<'_, PyAny>,
    labels: &Bound<'_, PyAny>,
    threads: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let spec = config_arg::<PyFeatureSpec>(Some(spec))?;
    let h = history(leads, events, labels)?;
    let n = threads_arg(threads)?;
    let set = py
        .detach(move || {
            leadcore::predict::build_training_set(&spec, &h.leads, &h.events, &h.labels, n)
        })
        .map_err(to_py_err)?;
    to_py(py, &set)
}

/// Holdout metrics of probabilities against outcomes: ROC AUC, PR AUC, log loss, Brier,
/// calibration deciles, top-decile lift, precision / recall at the tier thresholds. `scores`
/// and `labels` may be lists or numpy arrays.
#[pyfunction]
pub fn evaluate(
    py: Python<'_>,
    tiers: &Bound<'_, PyAny>,
    scores: &Bound<'_, PyAny>,
    labels: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let scores = vector::<f64>(scores, "scores")?;
    let labels = vector::<bool>(labels, "labels")?;
    let tiers: TierThresholds = from_py(tiers, "tiers")?;
    let metrics = leadcore::predict::evaluate(&tiers, &scores, &labels).map_err(to_py_err)?;
    to_py(py, &metrics)
}

/// Registers this module's classes and functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyTrainConfig>()?;
    m.add_class::<PyFeatureSpec>()?;
    m.add_class::<PyPredictiveModel>()?;
    m.add_function(wrap_pyfunction!(train, m)?)?;
    m.add_function(wrap_pyfunction!(train_set, m)?)?;
    m.add_function(wrap_pyfunction!(cross_validate, m)?)?;
    m.add_function(wrap_pyfunction!(build_training_set, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate, m)?)?;
    Ok(())
}
