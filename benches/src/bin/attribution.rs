//! Command-line side of `benches/python/compare_attribution.py`.
//!
//! ```text
//! attribution data   --n N --seed S --out paths.csv        write synthetic paths as CSV
//! attribution run    --csv paths.csv --models heuristics|markov|both [--order K] [--threads T] [--batches]
//! attribution stream --n N --seed S --models heuristics|markov|both [--order K]
//! ```
//! `run` loads the CSV into memory (timed apart), attributes it and prints JSON with the
//! timings, peak RSS and the report (`--batches`: from `PathBatch`es of 65,536 rows, as the
//! bindings give the core a table's rows); `stream` generates paths on the fly into an accumulator,
//! so memory is the accumulator's alone.

use std::error::Error;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::time::Instant;

use leadcore::attribution::{
    AttributionAccumulator, AttributionConfig, PathBatch, PathCount, attribute_batches,
    attribute_parallel,
};
use leadcore::input::Config;
use leadcore_benches::attribution_data::PathGenerator;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn config(args: &[String]) -> Result<AttributionConfig> {
    let order = flag(args, "--order").unwrap_or_else(|| "1".into());
    let markov = format!(r#"{{"type": "markov", "order": {order}}}"#);
    let heuristics = r#"{"type": "first_touch"}, {"type": "last_touch"}, {"type": "linear"}"#;
    let models = match flag(args, "--models").as_deref().unwrap_or("both") {
        "heuristics" => heuristics.to_string(),
        "markov" => markov,
        _ => format!("{heuristics}, {markov}"),
    };
    Ok(AttributionConfig::from_json(&format!(
        r#"{{"models": [{models}]}}"#
    ))?)
}

/// Peak resident set size in MiB, from /proc (Linux).
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// CPU seconds (user + system) this process has used, from /proc (Linux; 10 ms ticks).
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // Fields after the command name, which is in parentheses and may hold spaces.
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let utime: f64 = f.get(11)?.parse().ok()?;
            let stime: f64 = f.get(12)?.parse().ok()?;
            Some((utime + stime) / 100.0)
        })
        .unwrap_or(0.0)
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = flag(&args, "--n")
        .unwrap_or_else(|| "100000".into())
        .parse()?;
    let seed: u64 = flag(&args, "--seed")
        .unwrap_or_else(|| "42".into())
        .parse()?;
    match args.get(1).map(String::as_str) {
        Some("data") => {
            let out = flag(&args, "--out").ok_or("--out is required")?;
            let mut w = BufWriter::new(std::fs::File::create(out)?);
            writeln!(w, "path,total_conversions,total_null,total_conversion_value")?;
            let mut g = PathGenerator::new(seed, 12);
            let mut scratch = Vec::new();
            for _ in 0..n {
                let p = g.next_path(&mut scratch);
                writeln!(w, "{},{},{},{}", p.path, p.conversions, p.nulls, p.value)?;
            }
            w.flush()?;
        }
        Some("run") => {
            let config = config(&args)?;
            let csv = flag(&args, "--csv").ok_or("--csv is required")?;
            let t0 = Instant::now();
            let mut paths = Vec::new();
            for line in BufReader::new(std::fs::File::open(csv)?).lines().skip(1) {
                let line = line?;
                let mut f = line.split(',');
                let mut next = || f.next().ok_or("short csv line");
                let path = next()?.to_string();
                let conversions = next()?.parse()?;
                let nulls = next()?.parse()?;
                let value = next()?.parse()?;
                paths.push(PathCount { path, conversions, nulls, value });
            }
            let batches: Option<Vec<PathBatch>> = args.iter().any(|a| a == "--batches").then(|| {
                paths
                    .chunks(65_536)
                    .map(|rows| {
                        let mut b = PathBatch::new();
                        rows.iter().for_each(|p| b.push_count(p));
                        b
                    })
                    .collect()
            });
            let load = t0.elapsed().as_secs_f64();
            let (t1, c1) = (Instant::now(), cpu_seconds());
            let threads: usize = flag(&args, "--threads").unwrap_or_else(|| "1".into()).parse()?;
            let report = match batches {
                Some(b) => {
                    let batches = b.into_iter().map(Ok::<_, leadcore::Error>);
                    attribute_batches(&config, &[], batches, threads)?
                }
                None => attribute_parallel(&config, &[], &paths, threads)?,
            };
            let secs = t1.elapsed().as_secs_f64();
            let cpu = cpu_seconds() - c1;
            let out = serde_json::json!({
                "paths": paths.len(), "seconds_load": load, "seconds": secs, "cpu_seconds": cpu,
                "peak_rss_mib": peak_rss_mib(), "report": report,
            });
            println!("{out}");
        }
        Some("stream") => {
            let config = config(&args)?;
            let (t0, c0) = (Instant::now(), cpu_seconds());
            let mut acc = AttributionAccumulator::new(config)?;
            let mut g = PathGenerator::new(seed, 12);
            let mut scratch = Vec::new();
            for _ in 0..n {
                acc.add_path(&g.next_path(&mut scratch))?;
            }
            let report = acc.finish()?;
            let out = serde_json::json!({
                "paths": n, "seconds_including_generation": t0.elapsed().as_secs_f64(),
                "cpu_seconds_including_generation": cpu_seconds() - c0,
                "peak_rss_mib": peak_rss_mib(), "state_bytes": acc.to_bytes()?.len(), "report": report,
            });
            println!("{out}");
        }
        _ => return Err("usage: attribution data|run|stream [--n N] [--seed S] [--csv F] [--out F] [--models M] [--order K]".into()),
    }
    Ok(())
}
