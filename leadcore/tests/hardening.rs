//! Regression tests of issue 15's crash classes through the public API, from stored JSON text
//! (what a host loads from its database), beyond what the shared vectors can express.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use leadcore::input;
use leadcore::pool::{self, Policy, PoolState};
use serde_json::Value;

fn case0() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/pools/hardening.json"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    file["cases"][0].clone()
}

/// Class 2: `paused_secs: 1e17` (accepted by `from_json`) panicked in `TimeDelta::seconds`
/// when `due` counted the cadence. It reads as paused for ever.
#[test]
fn due_on_a_stored_pause_of_1e17_seconds_does_not_panic() {
    let case = case0();
    let policy = Policy::from_value(case["config"].clone()).unwrap();
    let state = serde_json::to_string(&case["input"]["state"])
        .unwrap()
        .replace("9007199254740991", "100000000000000000");
    assert!(state.contains("\"paused_secs\":100000000000000000"));
    let state: PoolState = input::from_json(&state).unwrap();
    let now = leadcore::time::parse("2026-11-03T00:00:00Z").unwrap();
    let due = pool::due(&state, &policy, now).unwrap();
    let leads: Vec<&str> = due.nurture.iter().map(|s| &*s.lead).collect();
    assert_eq!(leads, ["N2"]);
    // And the state writes back in a form it reads again.
    let again: PoolState = input::from_json(&serde_json::to_string(&state).unwrap()).unwrap();
    assert_eq!(again, state);
}
