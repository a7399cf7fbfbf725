//! Scoring throughput on a seeded synthetic population: 1 M leads × 50 events on the columnar
//! path (compact table, 1 and 2 threads), the full-breakdown columnar path and the row path on
//! smaller batches.
//!
//! `cargo bench -p leadcore-benches --bench scoring` (set `SCORING_BENCH_LEADS` to change the
//! population size). Throughput is reported in events per second.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use leadcore::Event;
use leadcore::score::{Scorer, ScoringModel};
use leadcore_benches::scoring_data::population;

const PER_LEAD: usize = 50;

/// The `b2b_default` preset plus a property condition, so that `where` lookups are measured.
fn model() -> ScoringModel {
    let mut m = ScoringModel::preset("b2b_default").unwrap_or_default();
    let rule = serde_json::json!({"id": "pricing_view", "kind": "page_view", "points": 5,
        "where": {"field": "properties.url", "eq": "/pricing"}});
    if let (Some(g), Ok(r)) = (m.behavior.groups.first_mut(), serde_json::from_value(rule)) {
        g.rules.insert(0, r);
    }
    m
}

fn bench(c: &mut Criterion) {
    let leads: usize = std::env::var("SCORING_BENCH_LEADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let now = leadcore::time::parse("2026-11-23T00:00:00Z").unwrap_or_default();
    let Ok(scorer) = Scorer::new(model()) else {
        return;
    };
    let pop = population(42, leads, PER_LEAD, now);
    let cols = pop.events.columns();

    let mut g = c.benchmark_group("scoring_columnar");
    g.sample_size(10);
    g.throughput(Throughput::Elements(cols.len() as u64));
    for threads in [1, 2] {
        g.bench_with_input(
            BenchmarkId::new(format!("table_{leads}x{PER_LEAD}"), threads),
            &threads,
            |b, &t| b.iter(|| scorer.score_table(&pop.leads, cols, now, t)),
        );
    }
    g.finish();

    // Full breakdowns and the row path on 10 k leads.
    let small = population(7, 10_000, PER_LEAD, now);
    let small_cols = small.events.columns();
    let rows: Vec<Event> = (0..small_cols.len())
        .filter_map(|i| {
            let lead = small.leads.get(*small_cols.lead.get(i)? as usize)?;
            let detail = small_cols
                .detail
                .and_then(|d| d.get(i))
                .and_then(|d| small_cols.details.get(*d as usize));
            Some(Event {
                id: Some(format!("e{i}")),
                lead_id: lead.id.clone(),
                kind: *leadcore::EventKind::ALL.get(usize::from(*small_cols.kind.get(i)?))?,
                name: None,
                at: chrono::DateTime::from_timestamp(*small_cols.at.get(i)?, 0)?,
                properties: detail.map(|d| d.properties.clone()).unwrap_or_default(),
            })
        })
        .collect();
    let mut g = c.benchmark_group("scoring_breakdown");
    g.sample_size(10);
    g.throughput(Throughput::Elements(small_cols.len() as u64));
    g.bench_function("columns_10000x50", |b| {
        b.iter(|| scorer.score_columns(&small.leads, small_cols, now, 1))
    });
    g.bench_function("rows_10000x50", |b| {
        b.iter(|| scorer.score_batch(&small.leads, &rows, now, 1))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
