//! Fuzz target bodies for leadcore, one function per `cargo fuzz` target.
//!
//! The binaries in `fuzz_targets/` only call these functions, so every input saved under
//! `regressions/<target>/` replays on stable through `cargo test --lib` (see [`TARGETS`]).
//! The invariant everywhere: no panic, no hang, no runaway allocation; errors are fine. Where
//! the library promises more (a config round-trips through its JSON, a refused pool command
//! leaves the state unchanged), the harness asserts it.

mod columns;
mod config;
mod fixtures;
mod pool;
mod states;
mod tables;

pub use columns::{event_columns, journey_columns};
pub use config::config_json;
pub use pool::{calendar_due, pool_json, pool_state};
pub use states::binary_states;
pub use tables::table_views;

/// A target body: one fuzz input in, a panic on a violated invariant.
pub type Target = fn(&[u8]);

/// Every target by name, as `cargo fuzz` and the `regressions/` folders name them.
pub const TARGETS: &[(&str, Target)] = &[
    ("config_json", config_json),
    ("pool_json", pool_json),
    ("pool_state", pool_state),
    ("calendar_due", calendar_due),
    ("binary_states", binary_states),
    ("event_columns", event_columns),
    ("journey_columns", journey_columns),
    ("table_views", table_views),
];

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::TARGETS;

    /// Replays every saved input through its target.
    #[test]
    fn regressions() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("regressions");
        let mut replayed = 0;
        for dir in std::fs::read_dir(&root).expect("fuzz/regressions exists") {
            let dir = dir.expect("readable folder").path();
            let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let Some((_, run)) = TARGETS.iter().find(|(t, _)| *t == name) else {
                panic!("regressions/{name} names no fuzz target");
            };
            for input in std::fs::read_dir(&dir).expect("readable folder") {
                let input = input.expect("readable file").path();
                eprintln!("{}", input.display());
                run(&std::fs::read(&input).expect("readable input"));
                replayed += 1;
            }
        }
        assert!(replayed > 0, "no saved inputs under {}", root.display());
    }

    /// Every target has a binary and a regressions folder.
    #[test]
    fn targets_are_wired() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for (name, _) in TARGETS {
            assert!(
                root.join(format!("fuzz_targets/{name}.rs")).is_file(),
                "{name}: no binary"
            );
            assert!(
                root.join(format!("regressions/{name}")).is_dir(),
                "{name}: no regressions"
            );
        }
    }
}
