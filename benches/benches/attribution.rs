//! Attribution throughput on synthetic paths: heuristics (ChannelAttribution's first / last /
//! linear) and Markov orders 1 and 3 (order 3 over the 12 channels is solved by sweeps), at 10⁵
//! and 10⁶ paths, from path strings to credits.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use leadcore::attribution::{AttributionConfig, attribute};
use leadcore::input::Config;
use leadcore_benches::attribution_data::synthetic_paths;

fn config(models: &str) -> AttributionConfig {
    AttributionConfig::from_json(&format!(r#"{{"models": {models}}}"#)).unwrap_or_default()
}

fn bench(c: &mut Criterion) {
    let heuristics =
        config(r#"[{"type": "first_touch"}, {"type": "last_touch"}, {"type": "linear"}]"#);
    let markov = config(r#"[{"type": "markov", "order": 1}]"#);
    let markov3 = config(r#"[{"type": "markov", "order": 3}]"#);
    let mut group = c.benchmark_group("attribution");
    group.sample_size(10);
    for n in [100_000usize, 1_000_000] {
        let paths = synthetic_paths(n, 42);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("heuristics", n), &paths, |b, p| {
            b.iter(|| attribute(black_box(&heuristics), &[], black_box(p)))
        });
        group.bench_with_input(BenchmarkId::new("markov_order1", n), &paths, |b, p| {
            b.iter(|| attribute(black_box(&markov), &[], black_box(p)))
        });
        group.bench_with_input(BenchmarkId::new("markov_order3", n), &paths, |b, p| {
            b.iter(|| attribute(black_box(&markov3), &[], black_box(p)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
