//! leadcore: the lead-management logic every B2B CRM team writes by hand, as one pure library.
//!
//! A lead's life from first touch to paying customer: configurable pipelines and the
//! transitions between their stages ([`pipeline`], [`lifecycle`]), conversion of a qualified lead
//! into account + contact + opportunity ([`convert`]), the rules that qualify a lead
//! ([`condition`], [`qualify`]), cleaning and de-duplication of raw leads ([`clean`]),
//! behavior, fit, source-quality and combined scores with tiers ([`score`]), predictive scoring
//! from the event log ([`predict`]), multi-touch attribution and the
//! ownership rule ([`attribution`]), the funnel, channel ROI, pipeline forecast, MLG index and
//! capacity planning ([`funnel`]), and who owns which lead: pools, assignment, reclaim, SLA
//! timers and nurture cadences ([`pool`]).
//!
//! Principles that hold for every module:
//! - **Pure logic**: no I/O, no clock reads (`now` is an argument), no global RNG (seeds are
//!   arguments). The same input gives the same output, bit for bit.
//! - **Configuration is data**: serde types loaded from JSON and validated on load; errors name
//!   the JSON path of the bad field ([`ConfigError`]).
//! - **Every decision explains itself**: results carry their reasons in a stable order.
//! - **Bad input is an answer**: typed errors with a stable [`Error::code`]; no panics.
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

pub mod attribution;
pub mod clean;
pub mod condition;
pub mod convert;
pub mod error;
pub mod event;
pub mod funnel;
pub mod input;
pub mod lead;
pub mod lifecycle;
pub mod parallel;
pub mod pipeline;
pub mod pool;
pub mod predict;
pub mod qualify;
pub mod rng;
pub mod sample;
pub mod score;
pub mod table;
pub mod time;

pub use condition::{CompiledCondition, Condition, Facts};
pub use convert::{ConversionError, Converted, FieldMapping, convert_lead};
pub use error::{Category, ConfigError, Error, FieldErrorKind, InputError, Limit, all_error_codes};
pub use event::{Event, EventKind};
pub use lead::{AttrValue, Lead, Source};
pub use lifecycle::{
    Due, TransitionError, TransitionRequest, Transitioned, due, stage_times, transition,
};
pub use pipeline::Pipeline;
pub use pool::{PoolError, PoolState};
pub use qualify::{QualifyError, RuleSet};

/// The README's Rust example, compiled and run as a doctest so it cannot rot.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
