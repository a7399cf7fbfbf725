//! leadcore: the lead-management logic every B2B CRM team writes by hand, as one pure library.
//!
//! A lead's life from first touch to paying customer: configurable pipelines and the
//! transitions between their stages ([`pipeline`], [`lifecycle`]), the rules that qualify a lead
//! ([`condition`], [`qualify`]), cleaning and de-duplication of raw leads ([`clean`]), and who
//! owns which lead: pools, assignment, reclaim, SLA timers and nurture cadences ([`pool`]).
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

pub mod clean;
pub mod condition;
pub mod error;
pub mod event;
pub mod input;
pub mod lead;
pub mod pool;
pub mod qualify;
pub mod sample;
pub mod time;

pub use condition::{CompiledCondition, Condition, Facts};
pub use error::{Category, ConfigError, Error, FieldErrorKind, InputError, all_error_codes};
pub use event::{Event, EventKind};
pub use lead::{AttrValue, Lead, Source};
pub use pool::{PoolError, PoolState};
pub use qualify::{QualifyError, RuleSet};
