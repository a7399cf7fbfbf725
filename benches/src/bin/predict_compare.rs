//! The forest timed in Rust alone, without a binding (the comparison with scikit-learn through
//! the Python binding is `benches/python/predict_vs_sklearn.py`).
//!
//! Generates the seeded synthetic lead set, writes it as CSV (for any other tool to read),
//! trains our forest, and prints holdout AUC, fit time and the time to score the scoring set,
//! as one JSON line.
//!
//! Usage: `predict_compare OUT_DIR [TRAIN_ROWS] [TEST_ROWS] [PREDICT_ROWS] [THREADS] [TREES] [DEPTH]`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::io::Write;
use std::time::Instant;

use leadcore::predict::{ForestParams, RandomForest, TierThresholds, evaluate};
use leadcore_benches::predict_data;

fn write_csv(path: &std::path::Path, x: &leadcore::predict::FeatureMatrix, y: Option<&[bool]>) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut header: Vec<String> = x
        .columns
        .iter()
        .map(|c| format!("\"{}\"", c.name))
        .collect();
    if y.is_some() {
        header.push("converted".into());
    }
    writeln!(out, "{}", header.join(",")).unwrap();
    let mut line = String::new();
    for r in 0..x.n_rows() {
        line.clear();
        for c in 0..x.n_cols() {
            if c > 0 {
                line.push(',');
            }
            line.push_str(&x.data[c][r].to_string());
        }
        if let Some(y) = y {
            line.push_str(if y[r] { ",1" } else { ",0" });
        }
        writeln!(out, "{line}").unwrap();
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let out_dir = std::path::PathBuf::from(args.get(1).expect("OUT_DIR"));
    let arg = |i: usize, d: usize| args.get(i).map_or(d, |s| s.parse().expect("number"));
    let (train_rows, test_rows, predict_rows) = (arg(2, 90_000), arg(3, 10_000), arg(4, 1_000_000));
    let (threads, trees, depth) = (arg(5, 2), arg(6, 100), arg(7, 12));
    std::fs::create_dir_all(&out_dir).unwrap();

    let (x, y) = predict_data::matrix(train_rows + test_rows, 1);
    let (train, test) = leadcore::predict::stratified_split(
        &y,
        test_rows as f64 / (train_rows + test_rows) as f64,
        7,
    );
    let (x_train, x_test) = (x.select_rows(&train), x.select_rows(&test));
    let y_train: Vec<bool> = train.iter().map(|&i| y[i]).collect();
    let y_test: Vec<bool> = test.iter().map(|&i| y[i]).collect();
    let (x_score, _) = predict_data::matrix(predict_rows, 2);
    write_csv(&out_dir.join("train.csv"), &x_train, Some(&y_train));
    write_csv(&out_dir.join("test.csv"), &x_test, Some(&y_test));
    write_csv(&out_dir.join("score.csv"), &x_score, None);

    let params = ForestParams {
        n_trees: trees,
        max_depth: Some(depth),
        ..ForestParams::default()
    };
    let t = Instant::now();
    let fitted = RandomForest::fit(&x_train, &y_train, &params, 42, threads);
    let fit_s = t.elapsed().as_secs_f64();
    let probs = fitted.forest.predict_proba(&x_test, threads);
    let tiers = TierThresholds {
        high: 0.5,
        mid: 0.2,
    };
    let auc = evaluate(&tiers, &probs, &y_test).unwrap().roc_auc.unwrap();
    let t = Instant::now();
    let scored = fitted.forest.predict_proba(&x_score, threads);
    let predict_s = t.elapsed().as_secs_f64();
    let positives = y_train.iter().filter(|&&v| v).count();
    println!(
        "{}",
        serde_json::json!({
            "impl": "leadcore",
            "threads": threads,
            "train_rows": x_train.n_rows(),
            "test_rows": x_test.n_rows(),
            "features": x_train.n_cols(),
            "train_positive_rate": positives as f64 / y_train.len() as f64,
            "fit_s": fit_s,
            "auc": auc,
            "predict_rows": scored.len(),
            "predict_s": predict_s,
            "nodes": fitted.forest.trees.iter().map(|t| t.nodes.len()).sum::<usize>(),
        })
    );
}
