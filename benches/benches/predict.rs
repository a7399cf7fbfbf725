//! Predictive scoring benches: feature building, forest fit and predict, scoring with
//! explanations, model files. The scikit-learn comparison is `benches/python/predict_vs_sklearn.py`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use leadcore::input::Config;
use leadcore::predict::{
    FeatureSpec, ForestParams, PredictiveModel, RandomForest, TrainConfig, build_training_set,
    train,
};
use leadcore_benches::predict_data;

fn now() -> chrono::DateTime<chrono::Utc> {
    leadcore::time::parse("2026-11-23T00:00:00Z").unwrap()
}

fn features(c: &mut Criterion) {
    let (leads, events, labels) = predict_data::history(20_000, 3, now());
    let spec = FeatureSpec::from_json(predict_data::history_spec_json()).unwrap();
    let mut g = c.benchmark_group("predict_features");
    g.sample_size(10);
    g.bench_function(
        format!(
            "build_training_set_20k_leads_{}k_events",
            events.len() / 1000
        ),
        |b| b.iter(|| build_training_set(&spec, &leads, &events, &labels, 2).unwrap()),
    );
    g.finish();
}

fn forest(c: &mut Criterion) {
    let (x, y) = predict_data::matrix(20_000, 1);
    let params = ForestParams {
        n_trees: 20,
        max_depth: Some(12),
        ..ForestParams::default()
    };
    let mut g = c.benchmark_group("predict_forest");
    g.sample_size(10);
    g.bench_function("fit_20k_rows_30_features_20_trees_depth12_2_threads", |b| {
        b.iter(|| RandomForest::fit(&x, &y, &params, 42, 2))
    });
    let forest = RandomForest::fit(
        &x,
        &y,
        &ForestParams {
            n_trees: 100,
            ..params.clone()
        },
        42,
        2,
    )
    .forest;
    let (x_score, _) = predict_data::matrix(100_000, 2);
    g.bench_function("predict_100k_rows_100_trees_2_threads", |b| {
        b.iter(|| forest.predict_proba(&x_score, 2))
    });
    g.finish();
}

fn scoring(c: &mut Criterion) {
    let (leads, events, labels) = predict_data::history(10_000, 4, now());
    let mut config: TrainConfig = TrainConfig::from_json(&format!(
        r#"{{"features": {}, "model": {{"type": "random_forest", "n_trees": 50, "max_depth": 10}},
            "calibration": "isotonic", "permutation_repeats": 0}}"#,
        predict_data::history_spec_json()
    ))
    .unwrap();
    config.seed = 1;
    let model = train(&config, &leads, &events, &labels, now(), 2).unwrap();
    let mut g = c.benchmark_group("predict_score");
    g.sample_size(10);
    g.bench_function("score_10k_leads_with_explanations_2_threads", |b| {
        b.iter(|| model.score(&leads, &events, now(), 2).unwrap())
    });
    let bytes = model.to_bytes().unwrap();
    let json = model.to_json();
    g.bench_function(format!("model_from_bytes_{}kb", bytes.len() / 1024), |b| {
        b.iter(|| PredictiveModel::from_bytes(&bytes).unwrap())
    });
    g.bench_function(format!("model_from_json_{}kb", json.len() / 1024), |b| {
        b.iter(|| PredictiveModel::from_json(&json).unwrap())
    });
    g.finish();
}

criterion_group!(benches, features, forest, scoring);
criterion_main!(benches);
