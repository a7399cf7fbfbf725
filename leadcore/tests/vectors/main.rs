//! Runs every shared vector under `tests/vectors/` through the Rust API.
//!
//! Each area module exposes `run(op, config, input) -> Option<Result<Value, Error>>`, returning
//! `None` for ops it does not know. The format is described in `tests/vectors/README.md`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod lead;
mod pools;
mod support;

use std::path::{Path, PathBuf};

mod lifecycle;

use serde_json::Value;

mod attribution;
mod clean;
mod funnel;
mod predict;
mod qualify;
mod scoring;

type Outcome = Option<Result<Value, leadcore::Error>>;

/// Tries each area's runner in turn.
fn dispatch(op: &str, config: &Value, input: &Value) -> Outcome {
    let runners: &[fn(&str, &Value, &Value) -> Outcome] = &[
        lead::run,
        clean::run,
        qualify::run,
        lifecycle::run,
        predict::run,
        attribution::run,
        funnel::run,
        scoring::run,
        pools::run,
    ];
    runners.iter().find_map(|run| run(op, config, input))
}

fn vector_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            vector_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

/// `expected` ⊆ `actual`: objects by key, arrays element-wise with equal length.
fn subset(expected: &Value, actual: &Value, path: &str, diffs: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                match a.get(k) {
                    Some(av) => subset(ev, av, &format!("{path}.{k}"), diffs),
                    None => diffs.push(format!("{path}.{k}: missing in result")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                diffs.push(format!(
                    "{path}: expected {} items, got {}: {actual}",
                    e.len(),
                    a.len()
                ));
                return;
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                subset(ev, av, &format!("{path}[{i}]"), diffs);
            }
        }
        (Value::Number(e), Value::Number(a)) if e.as_f64() == a.as_f64() => {}
        (e, a) if e == a => {}
        (e, a) => diffs.push(format!("{path}: expected {e}, got {a}")),
    }
}

#[test]
fn all_vectors_pass() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut files = Vec::new();
    vector_files(&root, &mut files);
    let mut failures = Vec::new();
    let mut count = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let doc: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let name = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .display()
            .to_string();
        for (i, case) in doc["cases"].as_array().expect("cases").iter().enumerate() {
            let label = format!(
                "{name}#{i} ({})",
                case["description"].as_str().unwrap_or("")
            );
            // A JSON path-count case runs again as a typed table (see support::paths_as_table).
            let mut cases = vec![(label.clone(), case.clone())];
            if let Some(table) = support::paths_as_table(case) {
                cases.push((format!("{label} as a table"), table));
            }
            for (label, case) in cases {
                count += 1;
                let case = &case;
                let op = case["op"].as_str().expect("op");
                let null = Value::Null;
                let config = case.get("config").unwrap_or(&null);
                let input = case.get("input").unwrap_or(&null);
                let Some(result) = dispatch(op, config, input) else {
                    failures.push(format!("{label}: unknown op `{op}`"));
                    continue;
                };
                match (result, case.get("expected"), case.get("error")) {
                    (Ok(actual), Some(expected), _) => {
                        let mut diffs = Vec::new();
                        subset(expected, &actual, "$", &mut diffs);
                        if !diffs.is_empty() {
                            failures.push(format!("{label}:\n    {}", diffs.join("\n    ")));
                        }
                    }
                    (Err(err), _, Some(want)) => {
                        if want["code"] != err.code() {
                            failures.push(format!(
                                "{label}: expected code {}, got {} ({err})",
                                want["code"],
                                err.code()
                            ));
                        }
                        if let Some(path) = want.get("path")
                            && path.as_str() != Some(&*err.path())
                        {
                            failures.push(format!(
                                "{label}: expected path {path}, got {:?}",
                                err.path()
                            ));
                        }
                        if let Some(details) = want.get("details") {
                            let mut diffs = Vec::new();
                            subset(details, &err.details(), "details", &mut diffs);
                            if !diffs.is_empty() {
                                failures.push(format!("{label}:\n    {}", diffs.join("\n    ")));
                            }
                        }
                    }
                    (Ok(actual), None, _) => {
                        failures.push(format!("{label}: expected an error, got {actual}"))
                    }
                    (Err(err), _, None) => {
                        failures.push(format!("{label}: unexpected error {} ({err})", err.code()))
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{count} vectors passed");
}
