//! Errors of predictive scoring: training, scoring and model files.

/// What went wrong while training, scoring or loading a predictive model.
///
/// Input problems that have a JSON path (a label for an unknown lead, a duplicate lead id, a bad
/// timestamp) are [`crate::InputError`]s instead, so that every language reports the same path.
#[derive(
    Debug,
    Clone,
    PartialEq,
    thiserror::Error,
    strum::IntoStaticStr,
    strum::VariantNames,
    serde::Serialize,
)]
#[strum(serialize_all = "snake_case")]
#[non_exhaustive]
#[serde(untagged)]
pub enum PredictError {
    /// No labelled row to train on (no labels, or every row fell in the test split).
    #[error("no training rows")]
    EmptyTrainingSet,
    /// Every training label is the same class, so nothing can be learned.
    #[error("training labels are a single class: {positives} converted, {negatives} not converted")]
    SingleClass {
        /// Converted rows.
        positives: usize,
        /// Rows that did not convert.
        negatives: usize,
    },
    /// Cross-validation asks for more folds than the rarer class has rows.
    #[error("{folds} folds need at least {folds} rows of each class, the rarer class has {rows}")]
    TooFewRows {
        /// Requested folds.
        folds: usize,
        /// Rows of the rarer class.
        rows: usize,
    },
    /// A feature matrix whose columns are not the ones the model was trained on.
    #[error("feature columns do not match the model: expected `{expected}`, found `{found}`")]
    FeatureMismatch {
        /// First expected column that differs (or the expected count).
        expected: String,
        /// What was found instead.
        found: String,
    },
    /// A model file written by a newer leadcore.
    #[error("model format version {found} is newer than the supported version {supported}")]
    UnsupportedFormatVersion {
        /// Version in the file.
        found: u32,
        /// Newest version this build reads.
        supported: u32,
    },
    /// A model file that is not a valid model (truncated, altered, or not a model at all).
    #[error("corrupted model file: {0}")]
    #[serde(serialize_with = "crate::error::fact::reason")]
    CorruptedModel(String),
    /// Training whose work is beyond its documented bound (segment models, trees).
    #[error("{0}")]
    LimitExceeded(crate::error::Limit),
}

impl PredictError {
    /// Every code a [`PredictError`] can have.
    pub const CODES: &'static [&'static str] = <Self as strum::VariantNames>::VARIANTS;

    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        self.into()
    }

    /// The JSON path of the field at fault: `labels` for training labels that cannot train,
    /// the config field of a work bound; `$` (the model file or the feature table as a whole)
    /// otherwise.
    pub fn path(&self) -> &str {
        match self {
            Self::LimitExceeded(crate::error::Limit { path, .. }) => path,
            Self::EmptyTrainingSet | Self::SingleClass { .. } | Self::TooFewRows { .. } => "labels",
            Self::FeatureMismatch { .. }
            | Self::UnsupportedFormatVersion { .. }
            | Self::CorruptedModel(_) => "$",
        }
    }
}
