//! Foundation benches: qualification, transitions, cleaning and de-duplication on seeded
//! sample data. `cargo bench -p leadcore-benches --bench foundation`.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use leadcore::clean::{DedupPolicy, dedupe_with_events, parse_cn_mobile};
use leadcore::condition::Scores;
use leadcore::input::Config;
use leadcore::lifecycle::{TransitionRequest, transition};
use leadcore::pipeline::Pipeline;
use leadcore::qualify::RuleSet;
use leadcore::{Facts, time};
use leadcore_benches::sample;

fn qualification(c: &mut Criterion) {
    let data = sample(10_000);
    let now = data.end;
    let rules = RuleSet::preset("seed_001").and_then(|r| r.compile());
    let Ok(qualifier) = rules else { return };
    let scores = Scores::new();
    let facts: Vec<Facts<'_>> = data
        .leads
        .iter()
        .filter_map(|l| Facts::new(l, data.events_of(&l.id), now, &scores).ok())
        .collect();
    let mut g = c.benchmark_group("qualify");
    g.throughput(Throughput::Elements(facts.len() as u64));
    g.bench_function("seed_001 all gates, explained, 10k leads", |b| {
        b.iter(|| {
            facts
                .iter()
                .map(|f| qualifier.qualify(black_box(f)).qualified.len())
                .sum::<usize>()
        })
    });
    g.bench_function("seed_001 SAL gate, boolean, 10k leads", |b| {
        b.iter(|| {
            facts
                .iter()
                .filter(|f| qualifier.passes("SAL", black_box(f)).unwrap_or(false))
                .count()
        })
    });
    g.finish();
}

fn lifecycle(c: &mut Criterion) {
    let data = sample(1_000);
    let Ok(pipeline) = Pipeline::preset("seed_003") else {
        return;
    };
    let now = data.end;
    let enter = TransitionRequest::default();
    let mut g = c.benchmark_group("transition");
    g.throughput(Throughput::Elements(data.leads.len() as u64));
    g.bench_function("enter pipeline, 1k leads", |b| {
        b.iter(|| {
            data.leads
                .iter()
                .filter(|l| transition(&pipeline, black_box(l), &enter, now).is_ok())
                .count()
        })
    });
    g.finish();
}

fn cleaning(c: &mut Criterion) {
    let data = sample(100_000);
    let phones: Vec<String> = data
        .leads
        .iter()
        .filter_map(|l| l.attr("phone").and_then(|p| p.as_str()).map(str::to_string))
        .collect();
    let mut g = c.benchmark_group("clean");
    g.sample_size(10);
    g.throughput(Throughput::Elements(phones.len() as u64));
    g.bench_function("parse_cn_mobile, 100k", |b| {
        b.iter(|| {
            phones
                .iter()
                .filter(|p| parse_cn_mobile(black_box(p)).valid)
                .count()
        })
    });
    let Ok(policy) = DedupPolicy::from_json("{}") else {
        return;
    };
    g.throughput(Throughput::Elements(data.leads.len() as u64));
    g.bench_function("dedupe, 100k leads", |b| {
        b.iter_batched(
            || (),
            |()| dedupe_with_events(black_box(&data.leads), &[], &policy).map(|r| r.stats.clusters),
            BatchSize::LargeInput,
        )
    });
    g.finish();
    let _ = time::format(&data.end);
}

criterion_group!(benches, qualification, lifecycle, cleaning);
criterion_main!(benches);
