//! leadcore end to end on built-in sample data: `cargo run -p leadcore --example demo`.
//!
//! A seeded synthetic batch of leads and events goes through what a CRM does with it, one
//! section per area of the library (each in its own file here).

mod attribution;
mod foundation;
mod predict;
mod scoring;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use leadcore::sample::{Sample, SampleSpec, generate};
use leadcore::{Error, Event};

/// The sample every section works on.
pub struct Demo {
    /// `now` for every call.
    pub now: DateTime<Utc>,
    /// The seeded leads and events.
    pub sample: Sample,
    /// Events grouped by lead id.
    pub events: BTreeMap<String, Vec<Event>>,
}

fn main() -> Result<(), Error> {
    let now = leadcore::time::parse("2026-11-23T09:00:00+08:00")?;
    let spec = SampleSpec {
        seed: 2026,
        leads: 2_000,
        mean_events: 8.0,
        days: 60,
        end: now,
        duplicate_rate: 0.05,
    };
    let sample = generate(&spec);
    println!(
        "leadcore demo — {} leads, {} events (seed {}), now = {}",
        sample.leads.len(),
        sample.events.len(),
        spec.seed,
        leadcore::time::format(&now)
    );
    let events = foundation::events_by_lead(&sample.events);
    let demo = Demo {
        now,
        sample,
        events,
    };
    foundation::run(&demo)?;
    predict::run(&demo)?;
    scoring::run(&demo)?;
    attribution::run(&demo)?;
    Ok(())
}
