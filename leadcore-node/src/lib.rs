//! Node bindings for leadcore (napi-rs).
//!
//! Thin by design: each function converts its arguments ([`conv`]), calls one leadcore
//! function, and converts the result or throws a coded `Error` ([`errors`]). Function names
//! are camelCase; data keeps leadcore's JSON shape (the same documents in every language).

// napi-derive registers exports only outside `cfg(test)`, so the test build sees them unused.
#![cfg_attr(test, allow(dead_code))]

mod arrow;
mod attribution;
mod clean;
mod config;
mod conv;
mod errors;
mod funnel;
mod host;
mod lifecycle;
mod paths;
mod pool;
mod predict;
mod qualify;
mod score;

use leadcore::{Event, Lead};
use napi::{Env, Unknown};
use napi_derive::napi;

/// mimalloc for the addon's Rust allocations: large batch buffers freed and allocated again
/// are reused in place, where glibc's malloc may give them back to the OS and fault them in
/// again.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use conv::{from_js, to_js};

use crate::conv::Json;

/// Every error code leadcore can throw, sorted.
#[napi(catch_unwind)]
pub fn all_error_codes() -> Vec<&'static str> {
    leadcore::all_error_codes()
}

/// Validates a lead and returns it in canonical JSON form.
#[napi(
    catch_unwind,
    ts_args_type = "lead: Lead",
    ts_return_type = "LeadOutput"
)]
pub fn load_lead(env: Env, lead: Unknown<'_>) -> napi::Result<Json> {
    let lead: Lead = from_js(&env, &lead, "lead")?;
    Ok(to_js(&lead))
}

/// Sorts events by time and drops duplicates by id.
#[napi(
    catch_unwind,
    ts_args_type = "events: LeadEvent[]",
    ts_return_type = "LeadEventOutput[]"
)]
pub fn normalize_events(env: Env, events: Unknown<'_>) -> napi::Result<Json> {
    let events: Vec<Event> = from_js(&env, &events, "events")?;
    Ok(to_js(&leadcore::event::normalize(&events)))
}
