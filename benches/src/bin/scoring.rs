//! Scoring throughput in Rust as the Python and Node bench scripts report it: best wall time
//! of a few runs of `Scorer::score_table` on the criterion bench's population and model, with
//! the process CPU time of that run (steadier than wall time on a shared machine).
//!
//! ```text
//! cargo run --release -p leadcore-benches --bin scoring -- --leads 1000000 --per-lead 50 --threads 1,2 --repeat 3
//! ```

use std::error::Error;
use std::time::Instant;

use leadcore::score::{Scorer, ScoringModel};
use leadcore_benches::scoring_data::population;

fn flag(args: &[String], name: &str, default: &str) -> String {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| default.to_string())
}

/// The criterion bench's model: the `b2b_default` preset plus a `/pricing` page-view rule.
fn model() -> Result<ScoringModel, Box<dyn Error>> {
    let mut m = ScoringModel::preset("b2b_default")?;
    let rule = serde_json::json!({"id": "pricing_view", "kind": "page_view", "points": 5,
        "where": {"field": "properties.url", "eq": "/pricing"}});
    if let Some(g) = m.behavior.groups.first_mut() {
        g.rules.insert(0, serde_json::from_value(rule)?);
    }
    Ok(m)
}

/// User + system CPU seconds of this process so far (Linux `/proc/self/stat`, 100 ticks/s).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the stat line, 12 and 13 after the `)`.
    (ticks(11) + ticks(12)) / 100.0
}

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().collect();
    let leads: usize = flag(&args, "--leads", "1000000").parse()?;
    let per: usize = flag(&args, "--per-lead", "50").parse()?;
    let repeat: usize = flag(&args, "--repeat", "3").parse()?;
    let threads: Vec<usize> = flag(&args, "--threads", "1,2")
        .split(',')
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let now = leadcore::time::parse("2026-11-23T00:00:00Z")?;
    let scorer = Scorer::new(model()?)?;
    let pop = population(42, leads, per, now);
    let cols = pop.events.columns();
    let total = cols.len() as f64;
    println!(
        "population: {leads} leads x {per} events = {} events (seed 42)",
        cols.len()
    );
    for t in threads {
        let mut best = (f64::INFINITY, 0.0);
        for _ in 0..repeat {
            let (cpu, start) = (cpu_seconds(), Instant::now());
            let table = scorer.score_table(&pop.leads, cols, now, t)?;
            let wall = start.elapsed().as_secs_f64();
            drop(table);
            if wall < best.0 {
                best = (wall, cpu_seconds() - cpu);
            }
        }
        println!(
            "score_table threads={t}: {:7.3} s  {:6.2} M events/s  (CPU {:.2} s)",
            best.0,
            total / best.0 / 1e6,
            best.1
        );
    }
    Ok(())
}
