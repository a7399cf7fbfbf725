//! Attribution: credit per channel (or campaign) under every position, time and data-driven
//! model, side by side; and the ownership rule.
//!
//! - Input: [`Journey`]s (touches with times and milestones, an outcome and a value), the same
//!   as a long touch table of columns ([`JourneyColumns`], one row per touch), and/or
//!   [`PathCount`]s (ChannelAttribution's `path`, conversions, nulls, value).
//! - Models ([`ModelSpec`]): first touch, last touch, last non-direct, linear, U-shaped,
//!   W-shaped, full path, J, inverse J, custom positions ([`position`] states the milestone
//!   collapse rule), time decay, Markov removal effects of order 1–4 solved exactly
//!   ([`markov`]), and Shapley values ([`shapley`]).
//! - Output: an [`AttributionReport`]; per-journey splits with [`explain_journey`].
//! - Scale: [`AttributionAccumulator`] adds, merges and serializes, so a distributed job can
//!   attribute tens of millions of journeys in pieces with bit-identical results;
//!   [`attribute_parallel`] splits a slice over threads, and [`attribute_batches`] attributes
//!   [`PathBatch`]es as a producer (a binding converting its arrays) hands them over.
//! - Ownership (seed 000): [`ownership`].
//!
//! For every model, the credits of one converted journey sum to 1 conversion and to its value
//! (up to floating-point rounding); across journeys credits sum to the totals.
//!
//! ```
//! use leadcore::attribution::{attribute, AttributionConfig, PathCount};
//! use leadcore::input::Config;
//! let config = AttributionConfig::from_json(r#"{"models": [
//!     {"type": "linear"}, {"type": "u_shaped"}, {"type": "markov"}]}"#).unwrap();
//! let paths: Vec<PathCount> = serde_json::from_str(r#"[
//!     {"path": "seo > sem > direct", "conversions": 1, "value": 100},
//!     {"path": "sem", "conversions": 1, "nulls": 1, "value": 50}
//! ]"#).unwrap();
//! let report = attribute(&config, &[], &paths).unwrap();
//! let u = &report.models[1];
//! assert_eq!(report.keys, ["direct", "sem", "seo"]);
//! assert_eq!(u.credits.iter().map(|c| c.conversions).collect::<Vec<_>>(), [0.4, 1.2, 0.4]);
//! ```

pub mod accumulate;
pub mod batch;
pub mod columns;
pub mod config;
pub mod error;
pub mod exact;
mod intern;
pub mod journey;
pub mod markov;
pub mod ownership;
pub mod position;
pub mod report;
pub mod shapley;
mod sparse;
mod sweep;

pub use accumulate::{AttributionAccumulator, AttributionState};
pub use batch::{PATHS, PathBatch, attribute_batches};
pub use columns::{JourneyColumns, TOUCHES, TouchTable, TouchTimes};
pub use config::{
    AttributionConfig, Level, ModelSpec, PositionWeights, ShapleyGame, ShapleyMethod,
};
pub use error::AttributionError;
pub use journey::{Journey, Milestone, PathCount, Touchpoint};
pub use ownership::{OwnershipConfig, OwnershipReport, OwnershipRule, Window, ownership};
pub use report::{AttributionReport, Credit, JourneyExplanation, ModelResult};

use crate::error::Error;

/// Attributes journeys and path counts under every configured model in one pass.
///
/// The same as adding everything to an [`AttributionAccumulator`] and finishing it. Errors
/// name the bad item `journeys[i]…` or `paths[i]…`.
pub fn attribute(
    config: &AttributionConfig,
    journeys: &[Journey],
    paths: &[PathCount],
) -> Result<AttributionReport, Error> {
    let mut acc = AttributionAccumulator::new(config.clone())?;
    acc.add_journeys(journeys)?;
    acc.add_paths(paths)?;
    Ok(acc.finish()?)
}

/// [`attribute`] on up to `threads` threads: the input is cut into contiguous chunks, each
/// chunk goes into its own accumulator, and the accumulators are merged in chunk order. Because
/// merging is exact, the report is bit-identical to [`attribute`]'s for any thread count.
///
/// On an error, the reported item is the first bad one of the earliest chunk that has one, which
/// is the same item [`attribute`] reports.
pub fn attribute_parallel(
    config: &AttributionConfig,
    journeys: &[Journey],
    paths: &[PathCount],
    threads: usize,
) -> Result<AttributionReport, Error> {
    let threads = crate::parallel::workers(threads, 64);
    let mut total = AttributionAccumulator::new(config.clone())?;
    if threads == 1 || journeys.len() + paths.len() < 2 * threads {
        total.add_journeys(journeys)?;
        total.add_paths(paths)?;
        return Ok(total.finish()?);
    }
    let jchunk = journeys.len().div_ceil(threads).max(1);
    let pchunk = paths.len().div_ceil(threads).max(1);
    let parts = crate::parallel::fan_out(threads, threads, |t| {
        let js = journeys.chunks(jchunk).nth(t).unwrap_or(&[]);
        let ps = paths.chunks(pchunk).nth(t).unwrap_or(&[]);
        let mut acc = total.clone();
        for (i, j) in js.iter().enumerate() {
            acc.add_journey_indexed(j, t * jchunk + i)?;
        }
        for (i, p) in ps.iter().enumerate() {
            acc.add_path_indexed(p, t * pchunk + i)?;
        }
        Ok::<_, AttributionError>(acc)
    });
    // Journeys come before paths in `attribute`, so a bad journey in any chunk wins.
    let mut first_err: Option<(bool, AttributionError)> = None;
    let mut accs = Vec::with_capacity(parts.len());
    for part in parts {
        match part {
            Ok(a) => accs.push(a),
            Err(e) => {
                let is_path = e.path().starts_with("paths");
                if first_err.as_ref().is_none_or(|(fp, _)| *fp && !is_path) {
                    first_err = Some((is_path, e));
                }
            }
        }
    }
    if let Some((_, e)) = first_err {
        return Err(e.into());
    }
    for a in &accs {
        total.merge(a)?;
    }
    Ok(total.finish()?)
}

/// How each heuristic model of `config` splits one journey's credit over its touches, with
/// each touch's role (first touch, lead created, middle…). Errors name it `journey`.
///
/// ```
/// use leadcore::attribution::{explain_journey, AttributionConfig, Journey};
/// use leadcore::input::Config;
/// let config = AttributionConfig::from_json(r#"{"models": [{"type": "w_shaped"}]}"#).unwrap();
/// let j: Journey = serde_json::from_str(r#"{"id": "L1", "converted": true, "value": 900,
///   "touchpoints": [
///     {"channel": "seo", "at": "2026-01-01T00:00:00Z"},
///     {"channel": "sem", "at": "2026-01-02T00:00:00Z", "milestones": ["lead_created"]},
///     {"channel": "event", "at": "2026-01-03T00:00:00Z", "milestones": ["opportunity_created"]}
///   ]}"#).unwrap();
/// let split = explain_journey(&config, &j).unwrap();
/// let shares: Vec<f64> = split.models[0].touches.iter().map(|t| t.value).collect();
/// assert_eq!(shares, [300.0, 300.0, 300.0]); // no middle touch: 30/30/30 renormalised
/// ```
pub fn explain_journey(
    config: &AttributionConfig,
    journey: &Journey,
) -> Result<JourneyExplanation, Error> {
    let mut acc = AttributionAccumulator::new(config.clone())?;
    Ok(acc.explain(journey)?)
}

#[cfg(test)]
mod tests;
