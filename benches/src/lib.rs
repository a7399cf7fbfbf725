//! Shared fixtures for the criterion benches: seeded sample populations.

pub mod attribution_data;
pub mod predict_data;
pub mod scoring_data;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use leadcore::sample::{SampleSpec, generate};
use leadcore::{Event, Lead};

/// A seeded population with its events grouped by lead.
pub struct Population {
    /// The leads.
    pub leads: Vec<Lead>,
    /// Events of each lead, in time order.
    pub events: BTreeMap<String, Vec<Event>>,
    /// The end of the sampled period (the `now` of the benches).
    pub end: DateTime<Utc>,
}

impl Population {
    /// The events of one lead (empty when it has none).
    pub fn events_of(&self, lead_id: &str) -> &[Event] {
        self.events.get(lead_id).map_or(&[], Vec::as_slice)
    }
}

/// `leads` seeded leads with about 8 events each over 90 days ending 2026-11-23.
pub fn sample(leads: usize) -> Population {
    let end = DateTime::<Utc>::from_timestamp(1_795_392_000, 0).unwrap_or_default();
    let spec = SampleSpec {
        seed: 7,
        leads,
        mean_events: 8.0,
        days: 90,
        end,
        duplicate_rate: 0.05,
    };
    let data = generate(&spec);
    let mut events: BTreeMap<String, Vec<Event>> = BTreeMap::new();
    for e in data.events {
        events.entry(e.lead_id.clone()).or_default().push(e);
    }
    Population {
        leads: data.leads,
        events,
        end,
    }
}
