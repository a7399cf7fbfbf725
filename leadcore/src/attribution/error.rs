//! Errors of attribution and ownership: bad journeys, paths and accumulator states.

/// Why a set of journeys, path counts or an accumulator state cannot be attributed.
///
/// `path` fields name the bad item as a JSON path prefixed by the argument name
/// (`journeys[3].touchpoints[0].channel`, `paths[12].value`, `state.keys[2]`).
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    thiserror::Error,
    strum::IntoStaticStr,
    strum::VariantNames,
    serde::Serialize,
)]
#[strum(serialize_all = "snake_case")]
#[non_exhaustive]
#[serde(untagged)]
pub enum AttributionError {
    /// A journey or path without any touchpoint: there is no channel to credit.
    #[error("journey has no touchpoints at `{path}`")]
    EmptyJourney {
        /// Where.
        path: String,
    },
    /// A channel (or campaign) name that is empty after trimming.
    #[error("channel name is empty at `{path}`")]
    EmptyChannel {
        /// Where.
        path: String,
    },
    /// A channel named like a state of the Markov chain: `(start)`, `(conversion)`, `(null)`.
    #[error("channel name `{name}` is reserved at `{path}`")]
    ReservedChannel {
        /// The name.
        name: String,
        /// Where.
        path: String,
    },
    /// A value that is NaN or infinite.
    #[error("value is not a finite number at `{path}`")]
    NotFinite {
        /// Where.
        path: String,
    },
    /// A negative value (refunds belong in a separate analysis).
    #[error("value is negative at `{path}`")]
    NegativeValue {
        /// Where.
        path: String,
    },
    /// A positive value on a journey or path without conversions.
    #[error("value without a conversion at `{path}`")]
    ValueWithoutConversion {
        /// Where.
        path: String,
    },
    /// Milestones out of their order (first touch ≤ lead created ≤ opportunity created ≤ closed won).
    #[error("milestone `{milestone}` comes before an earlier milestone at `{path}`")]
    MilestoneOrder {
        /// The milestone found out of order.
        milestone: String,
        /// Where.
        path: String,
    },
    /// The same milestone on two touches of one journey.
    #[error("milestone `{milestone}` appears twice at `{path}`")]
    DuplicateMilestone {
        /// The milestone.
        milestone: String,
        /// Where.
        path: String,
    },
    /// A model that needs touch times (time decay) given path counts, which have none.
    #[error("model `{model}` needs touch times, which path counts do not have, at `{path}`")]
    TimesRequired {
        /// The model name.
        model: String,
        /// Where.
        path: String,
    },
    /// More channels than a computation supports (exact Shapley over conversion rates, or
    /// more than 2³² − 2 distinct names).
    #[error("{channels} channels exceed the limit of {limit} for `{what}`")]
    TooManyChannels {
        /// How many channels the data has.
        channels: usize,
        /// The limit.
        limit: usize,
        /// What has the limit.
        what: String,
    },
    /// A sum of values beyond what exact accumulation holds (about 9.2 × 10¹⁸).
    #[error("sum of values overflows at `{path}`")]
    #[strum(serialize = "sum_overflow")]
    Overflow {
        /// Where.
        path: String,
    },
    /// Rows of one journey in a touch table that disagree on its outcome (`converted`,
    /// `value`), which every row of the journey carries.
    #[error("rows of one journey disagree on its outcome at `{path}`")]
    InconsistentOutcome {
        /// Where: the first row that disagrees with the journey's first row.
        path: String,
    },
    /// Two accumulators built with different configurations cannot be merged.
    #[error("accumulators have different configurations and cannot be merged")]
    IncompatibleAccumulators,
    /// Work beyond a documented bound (`what`: `markov_work`, [`MAX_MARKOV_WORK`]; or
    /// `shapley_work`, [`MAX_SHAPLEY_WORK`]), refused before doing it. `path` names the model
    /// in the configuration (`models[2]`, `models[3].samples`).
    ///
    /// [`MAX_MARKOV_WORK`]: super::markov::MAX_MARKOV_WORK
    /// [`MAX_SHAPLEY_WORK`]: super::config::MAX_SHAPLEY_WORK
    #[error("{0}")]
    LimitExceeded(crate::error::Limit),
    /// A serialized accumulator state that is not valid.
    #[error("invalid accumulator state at `{path}`: {reason}")]
    InvalidState {
        /// What is wrong.
        reason: String,
        /// Where.
        path: String,
    },
}

impl AttributionError {
    /// Every code an [`AttributionError`] can have.
    pub const CODES: &'static [&'static str] = <Self as strum::VariantNames>::VARIANTS;

    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        self.into()
    }

    /// The JSON path of the bad item; `$` for too many channels (the whole input), `other`
    /// for an accumulator that cannot be merged.
    pub fn path(&self) -> &str {
        match self {
            Self::EmptyJourney { path }
            | Self::EmptyChannel { path }
            | Self::ReservedChannel { path, .. }
            | Self::NotFinite { path }
            | Self::NegativeValue { path }
            | Self::ValueWithoutConversion { path }
            | Self::MilestoneOrder { path, .. }
            | Self::DuplicateMilestone { path, .. }
            | Self::TimesRequired { path, .. }
            | Self::Overflow { path }
            | Self::InconsistentOutcome { path }
            | Self::InvalidState { path, .. }
            | Self::LimitExceeded(crate::error::Limit { path, .. }) => path,
            Self::TooManyChannels { .. } => "$",
            Self::IncompatibleAccumulators => "other",
        }
    }
}
