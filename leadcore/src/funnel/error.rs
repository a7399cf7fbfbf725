//! Errors of funnel analytics, ROI, forecast, MLG and capacity planning.

/// Why leads, spend or a funnel state cannot be analysed.
///
/// `path` fields name the bad item as a JSON path prefixed by the argument name
/// (`leads[3].attributes.order_amount`, `spend[0].period`).
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
pub enum FunnelError {
    /// An amount (opportunity, order, payment, deal, spend) that is not a non-negative number.
    #[error("amount is not a non-negative number at `{path}`")]
    InvalidAmount {
        /// Where.
        path: String,
    },
    /// A period key that does not match the configured granularity (`2026-01` for months…).
    #[error("period `{period}` does not match granularity `{granularity}` at `{path}`")]
    InvalidPeriod {
        /// The key.
        period: String,
        /// The granularity.
        granularity: String,
        /// Where.
        path: String,
    },
    /// A revenue target without a deal size to turn it into deals.
    #[error("a revenue target needs `deal_size` in the config, at `{path}`")]
    DealSizeRequired {
        /// Where.
        path: String,
    },
    /// Neither or both of `leads` and `revenue_target` were given.
    #[error("give exactly one of `leads` and `revenue_target`, at `{path}`")]
    PlanTarget {
        /// Where.
        path: String,
    },
    /// A number out of its range (percentile, runs, target).
    #[error("{reason} at `{path}`")]
    OutOfRange {
        /// What is wrong.
        reason: String,
        /// Where.
        path: String,
    },
    /// A call whose work (a product of input and config sizes) is beyond its documented bound.
    /// (`simulation_values`: runs × quantities.)
    #[error("{0}")]
    LimitExceeded(crate::error::Limit),
    /// A sum beyond what exact accumulation holds.
    #[error("sum overflows at `{path}`")]
    #[strum(serialize = "sum_overflow")]
    Overflow {
        /// Where.
        path: String,
    },
    /// Two funnel accumulators built with different configurations.
    #[error("accumulators have different configurations and cannot be merged")]
    IncompatibleAccumulators,
    /// A serialized funnel state that is not valid.
    #[error("invalid accumulator state at `{path}`: {reason}")]
    InvalidState {
        /// What is wrong.
        reason: String,
        /// Where.
        path: String,
    },
}

impl FunnelError {
    /// Every code a [`FunnelError`] can have.
    pub const CODES: &'static [&'static str] = <Self as strum::VariantNames>::VARIANTS;

    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        self.into()
    }

    /// The JSON path of the bad item; `other` for an accumulator that cannot be merged.
    pub fn path(&self) -> &str {
        match self {
            Self::InvalidAmount { path }
            | Self::InvalidPeriod { path, .. }
            | Self::DealSizeRequired { path }
            | Self::PlanTarget { path }
            | Self::OutOfRange { path, .. }
            | Self::LimitExceeded(crate::error::Limit { path, .. })
            | Self::Overflow { path }
            | Self::InvalidState { path, .. } => path,
            Self::IncompatibleAccumulators => "other",
        }
    }
}
