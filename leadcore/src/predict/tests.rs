//! Properties and cases across the predictive pipeline.

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;

use super::*;
use crate::input::Config;
use crate::{AttrValue, Event, EventKind, Lead};

fn t0() -> DateTime<Utc> {
    crate::time::parse("2026-06-01T00:00:00Z").unwrap()
}

fn event(id: &str, lead: &str, kind: EventKind, days_before: f64) -> Event {
    Event {
        id: Some(id.into()),
        lead_id: lead.into(),
        kind,
        name: None,
        at: t0() - Duration::seconds((days_before * 86_400.0) as i64),
        properties: Default::default(),
    }
}

/// `n` leads; lead `i` has `i % 6` downloads and converts when it has at least 3 and is not
/// in every 7th lead (a little noise). Industry `ads` for even leads.
fn history(n: usize) -> (Vec<Lead>, Vec<Event>, Vec<Label>) {
    let (mut leads, mut events, mut labels) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..n {
        let id = format!("L{i}");
        let mut lead = Lead::new(&id, t0() - Duration::days(100));
        let industry = if i % 2 == 0 { "ads" } else { "retail" };
        lead.attributes
            .insert("industry".into(), AttrValue::Text(industry.into()));
        lead.attributes
            .insert("team".into(), AttrValue::Text(format!("T{}", i % 3)));
        if i % 4 != 0 {
            lead.attributes
                .insert("employees".into(), AttrValue::Number((i % 50) as f64));
        }
        lead.source.channel = Some(["sem", "seo", "event"][i % 3].into());
        let downloads = i % 6;
        for d in 0..downloads {
            events.push(event(
                &format!("{id}-d{d}"),
                &id,
                EventKind::Download,
                d as f64 * 3.0 + 0.5,
            ));
        }
        events.push(event(
            &format!("{id}-p"),
            &id,
            EventKind::PageView,
            (i % 40) as f64,
        ));
        labels.push(Label {
            lead_id: id,
            converted: downloads >= 3 && i % 7 != 0,
            cutoff: t0(),
        });
        leads.push(lead);
    }
    events.reverse();
    (leads, events, labels)
}

fn small_config(model: &str) -> TrainConfig {
    TrainConfig::from_json(&format!(
        r#"{{"features": {{"windows_days": [7, 30], "event_kinds": ["download", "page_view"],
             "categorical": [{{"attribute": "industry"}}], "numeric": [{{"attribute": "employees"}}],
             "source_quality": {{"scores": {{"sem": 0.9, "seo": 0.4}}}}}},
            "model": {model}, "test_fraction": 0.2, "permutation_repeats": 1}}"#
    ))
    .unwrap()
}

fn forest_config() -> TrainConfig {
    small_config(r#"{"type": "random_forest", "n_trees": 15, "max_depth": 6}"#)
}

#[test]
fn obvious_data_gives_the_obvious_model() {
    let (leads, events, mut labels) = history(300);
    for l in &mut labels {
        let i: usize = l.lead_id[1..].parse().unwrap();
        l.converted = i % 6 >= 3;
    }
    for model in [
        forest_config(),
        small_config(r#"{"type": "naive_bayes", "min_support": 1}"#),
    ] {
        let m = train(&model, &leads, &events, &labels, t0(), 2).unwrap();
        let metrics = m.metadata.metrics.clone().unwrap();
        assert_eq!(metrics.roc_auc, Some(1.0), "{:?}", model.model);
        let scores = m.score(&leads[..12], &events, t0(), 1).unwrap();
        for (i, s) in scores.iter().enumerate() {
            assert_eq!(s.probability > 0.5, i % 6 >= 3, "{s:?}");
        }
        // The explanation names downloads as the reason.
        let top = &scores[5].positive[0];
        assert!(top.feature.starts_with("download"), "{top:?}");
    }
    let m = train(&forest_config(), &leads, &events, &labels, t0(), 1).unwrap();
    assert!(
        m.metadata.impurity_importance[0]
            .feature
            .starts_with("download")
    );
    // With downloads counted once and nothing else informative, permuting them hurts most.
    let config = TrainConfig::from_json(
        r#"{"features": {"windows_days": [30], "event_kinds": ["download", "page_view"],
            "recency": false, "active_days_window": null, "silence": false},
            "model": {"type": "random_forest", "n_trees": 10}, "test_fraction": 0.3}"#,
    )
    .unwrap();
    let m = train(&config, &leads, &events, &labels, t0(), 2).unwrap();
    let perm = &m.metadata.permutation_importance;
    assert_eq!(perm[0].feature, "download_count_30d");
    assert!(perm[0].importance > 0.3 && perm[0].std >= 0.0);
}

#[test]
fn model_is_the_same_whatever_the_thread_count() {
    let (leads, events, labels) = history(200);
    let a = train(&forest_config(), &leads, &events, &labels, t0(), 1).unwrap();
    let b = train(&forest_config(), &leads, &events, &labels, t0(), 3).unwrap();
    assert_eq!(a.to_json(), b.to_json());
    let sa = a.score(&leads, &events, t0(), 1).unwrap();
    let sb = a.score(&leads, &events, t0(), 4).unwrap();
    assert_eq!(sa, sb);
    let mut other = forest_config();
    other.seed = 7;
    let c = train(&other, &leads, &events, &labels, t0(), 2).unwrap();
    assert_ne!(a.global, c.global);
}

#[test]
fn save_load_score_is_identical() {
    fn diff(a: &serde_json::Value, b: &serde_json::Value, path: &str) {
        match (a, b) {
            (serde_json::Value::Object(x), serde_json::Value::Object(y)) => {
                for (k, v) in x {
                    diff(v, &y[k], &format!("{path}.{k}"));
                }
            }
            (serde_json::Value::Array(x), serde_json::Value::Array(y)) => {
                for (i, (v, w)) in x.iter().zip(y).enumerate() {
                    diff(v, w, &format!("{path}[{i}]"));
                }
            }
            _ => assert_eq!(a, b, "at {path}"),
        }
    }
    let (leads, events, labels) = history(150);
    let mut config = forest_config();
    config.calibration = CalibrationMethod::Isotonic;
    config.segments = Some(SegmentConfig {
        attribute: "team".into(),
        min_leads: 30,
        min_conversions: 3,
    });
    let m = train(&config, &leads, &events, &labels, t0(), 2).unwrap();
    assert!(!m.segments.is_empty());
    let before = m.score(&leads, &events, t0(), 2).unwrap();
    let from_json = PredictiveModel::from_json(&m.to_json()).unwrap();
    let from_bytes = PredictiveModel::from_bytes(&m.to_bytes().unwrap()).unwrap();
    diff(&m.to_value(), &from_json.to_value(), "$");
    assert!(from_json == m, "json round trip differs");
    assert!(from_bytes == m, "binary round trip differs");
    assert_eq!(from_json.score(&leads, &events, t0(), 1).unwrap(), before);
    assert_eq!(from_bytes.score(&leads, &events, t0(), 1).unwrap(), before);
    assert!(m.to_bytes().unwrap().len() < m.to_json().len());
}

#[test]
fn model_files_from_the_future_or_damaged_are_typed_errors() {
    let (leads, events, labels) = history(80);
    let m = train(&forest_config(), &leads, &events, &labels, t0(), 1).unwrap();
    let mut v = m.to_value();
    v["format_version"] = serde_json::json!(FORMAT_VERSION + 1);
    let e = PredictiveModel::from_value(v).unwrap_err();
    assert_eq!(e.code(), "unsupported_format_version");
    let mut bytes = m.to_bytes().unwrap();
    bytes[8] = 99;
    assert_eq!(
        PredictiveModel::from_bytes(&bytes).unwrap_err().code(),
        "unsupported_format_version"
    );
    let mut bytes = m.to_bytes().unwrap();
    let last = bytes.len() - 3;
    bytes[last] ^= 0x55;
    assert_eq!(
        PredictiveModel::from_bytes(&bytes).unwrap_err().code(),
        "corrupted_model"
    );
    let bytes = m.to_bytes().unwrap();
    assert_eq!(
        PredictiveModel::from_bytes(&bytes[..bytes.len() / 2])
            .unwrap_err()
            .code(),
        "corrupted_model"
    );
    assert_eq!(
        PredictiveModel::from_bytes(b"hello").unwrap_err().code(),
        "corrupted_model"
    );
    assert_eq!(
        PredictiveModel::from_json("{\"format_version\": 1}")
            .unwrap_err()
            .code(),
        "corrupted_model"
    );
    assert_eq!(
        PredictiveModel::from_json("[1, 2").unwrap_err().code(),
        "corrupted_model"
    );
    // A tree pointing outside itself.
    let mut v = m.to_value();
    v["global"]["estimator"]["trees"][0]["left"][0] = serde_json::json!(100_000);
    assert_eq!(
        PredictiveModel::from_value(v).unwrap_err().code(),
        "corrupted_model"
    );
    // Numbers no training produces: a calibration that overflows, a leaf outside [0, 1].
    for (path, value) in [
        (
            "calibrator",
            serde_json::json!({"type": "isotonic", "x": [0.0, 1.0], "y": [-1e308, 1e308]}),
        ),
        (
            "calibrator",
            serde_json::json!({"type": "isotonic", "x": [1.0, 0.0], "y": [0.0, 1.0]}),
        ),
    ] {
        let mut v = m.to_value();
        v["global"][path] = value;
        assert_eq!(
            PredictiveModel::from_value(v).unwrap_err().code(),
            "corrupted_model"
        );
    }
    let platt = Calibrator::Platt {
        a: f64::INFINITY,
        b: 0.0,
    };
    assert!(!platt.is_sound());
    let mut v = m.to_value();
    v["global"]["estimator"]["trees"][0]["value"][0] = serde_json::json!(2.5);
    assert_eq!(
        PredictiveModel::from_value(v).unwrap_err().code(),
        "corrupted_model"
    );
    // A wide but sound calibration interpolates without overflowing.
    let wide = Calibrator::Isotonic {
        x: vec![-1e308, 1e308],
        y: vec![0.0, 1.0],
    };
    assert!(wide.is_sound());
    assert_eq!(wide.apply(0.0), 0.5);
    // A spec edited so that it no longer matches the columns.
    let mut v = m.to_value();
    v["encoding"]["spec"]["windows_days"] = serde_json::json!([7]);
    v["config"]["features"]["windows_days"] = serde_json::json!([7]);
    assert_eq!(
        PredictiveModel::from_value(v).unwrap_err().code(),
        "corrupted_model"
    );
}

#[test]
fn bad_training_input_is_typed() {
    let (leads, events, mut labels) = history(40);
    let config = forest_config();
    let code = |labels: &[Label]| train(&config, &leads, &events, labels, t0(), 1).unwrap_err();
    let mut all_no = labels.clone();
    all_no.iter_mut().for_each(|l| l.converted = false);
    assert_eq!(code(&all_no).code(), "single_class");
    assert_eq!(code(&[]).code(), "empty_training_set");
    labels[3].lead_id = "nobody".into();
    let e = code(&labels);
    assert_eq!(
        (e.code(), &*e.path()),
        ("unknown_reference", "labels[3].lead_id")
    );
    labels[3].lead_id = "L0".into();
    let e = code(&labels);
    assert_eq!(
        (e.code(), &*e.path()),
        ("duplicate_id", "labels[3].lead_id")
    );
    let mut dup = leads.clone();
    dup[5].id = "L4".into();
    let e = train(&config, &dup, &events, &labels, t0(), 1).unwrap_err();
    assert_eq!((e.code(), &*e.path()), ("duplicate_id", "leads[5].id"));
}

#[test]
fn constant_and_missing_features_still_train() {
    let (mut leads, events, labels) = history(120);
    for l in &mut leads {
        l.attributes.remove("employees"); // numeric feature is all NaN
    }
    let m = train(&forest_config(), &leads, &events, &labels, t0(), 1).unwrap();
    assert!(m.metadata.metrics.unwrap().roc_auc.unwrap() > 0.8);
    // Only constant features: every tree is a single leaf giving the base rate.
    let config = TrainConfig::from_json(
        r#"{"features": {"windows_days": [1], "event_kinds": ["meeting"], "recency": false,
            "silence": false, "active_days_window": null}, "test_fraction": 0, "permutation_repeats": 0,
            "model": {"type": "random_forest", "n_trees": 5}}"#,
    )
    .unwrap();
    let m = train(&config, &leads, &events, &labels, t0(), 1).unwrap();
    let s = m.score(&leads[..2], &events, t0(), 1).unwrap();
    assert!(s[0].positive.is_empty() && s[0].negative.is_empty());
    assert_eq!(s[0].raw_score, s[1].raw_score);
    assert!(m.metadata.metrics.is_none());
}

#[test]
fn unseen_categories_and_spec_mismatch() {
    let (leads, events, labels) = history(100);
    let m = train(&forest_config(), &leads, &events, &labels, t0(), 1).unwrap();
    let mut stranger = leads[0].clone();
    stranger.id = "new".into();
    stranger
        .attributes
        .insert("industry".into(), AttrValue::Text("space".into()));
    stranger.source.channel = Some("tiktok".into());
    let x = m
        .build_features(std::slice::from_ref(&stranger), &events, t0(), 1)
        .unwrap();
    let other = x
        .columns
        .iter()
        .position(|c| c.name == "industry=(other)")
        .unwrap();
    assert_eq!(x.data[other], [1.0]);
    let q = x
        .columns
        .iter()
        .position(|c| c.name == "source_quality")
        .unwrap();
    assert!(x.data[q][0].is_nan());
    assert!(m.score(&[stranger], &events, t0(), 1).is_ok());
    let mut wrong = x.clone();
    wrong.columns[0].name = "something_else".into();
    assert_eq!(
        m.score_matrix(&wrong, None, 1).unwrap_err().code(),
        "feature_mismatch"
    );
    let mut fewer = x.clone();
    fewer.columns.pop();
    fewer.data.pop();
    assert_eq!(
        m.predict_proba(&fewer, None, 1).unwrap_err().code(),
        "feature_mismatch"
    );
    assert_eq!(
        m.predict_proba(&x, Some(&[]), 1).unwrap_err().code(),
        "invalid_value"
    );
}

#[test]
fn segments_fall_back_to_the_global_model() {
    let (mut leads, events, labels) = history(300);
    // Team T9 exists but none of its leads converted.
    for (i, l) in leads.iter_mut().enumerate() {
        if i % 6 < 3 && i % 4 == 1 {
            l.attributes
                .insert("team".into(), AttrValue::Text("T9".into()));
        }
    }
    let mut config = forest_config();
    config.segments = Some(SegmentConfig {
        attribute: "team".into(),
        min_leads: 10,
        min_conversions: 5,
    });
    let m = train(&config, &leads, &events, &labels, t0(), 2).unwrap();
    let t9 = m
        .metadata
        .segments
        .iter()
        .find(|s| s.segment == "T9")
        .unwrap();
    assert_eq!(
        (t9.model.as_str(), t9.reason.as_deref()),
        ("global", Some("too_few_conversions"))
    );
    assert!(m.segments.contains_key("T0"));
    let scores = m.score(&leads, &events, t0(), 2).unwrap();
    let t9_lead = leads
        .iter()
        .position(|l| l.attributes["team"] == AttrValue::Text("T9".into()))
        .unwrap();
    assert_eq!(scores[t9_lead].model, "global");
    assert_eq!(scores[0].model, "T0");
    // Naive Bayes per team (Odoo's per-team tables) is the same mechanism.
    let mut nb = small_config(r#"{"type": "naive_bayes"}"#);
    nb.segments = config.segments.clone();
    let m = train(&nb, &leads, &events, &labels, t0(), 2).unwrap();
    let s = m.score(&leads[..1], &events, t0(), 1).unwrap();
    assert!(
        s[0].positive
            .iter()
            .chain(&s[0].negative)
            .all(|f| f.ratio.is_some())
    );
    // Segment models x trees beyond the budget: refused before any tree is grown.
    for (i, l) in leads.iter_mut().enumerate() {
        l.attributes
            .insert("team".into(), AttrValue::Text(format!("S{}", i % 12)));
    }
    let mut big = config.clone();
    big.segments = Some(SegmentConfig {
        attribute: "team".into(),
        min_leads: 5,
        min_conversions: 1,
    });
    big.model = ModelConfig::RandomForest(ForestParams {
        n_trees: 10_000,
        ..ForestParams::default()
    });
    let e = train(&big, &leads, &events, &labels, t0(), 1).unwrap_err();
    assert_eq!((e.code(), &*e.path()), ("limit_exceeded", "model.n_trees"));
}

#[test]
fn calibration_and_tiers() {
    let (leads, events, labels) = history(300);
    for method in [CalibrationMethod::Isotonic, CalibrationMethod::Platt] {
        let mut config = forest_config();
        config.calibration = method;
        config.model = ModelConfig::RandomForest(ForestParams {
            n_trees: 15,
            class_weight: ClassWeight::Balanced,
            ..ForestParams::default()
        });
        let m = train(&config, &leads, &events, &labels, t0(), 2).unwrap();
        assert!(!matches!(m.global.calibrator, Calibrator::Identity));
        let scores = m.score(&leads, &events, t0(), 2).unwrap();
        let mean: f64 = scores.iter().map(|s| s.probability).sum::<f64>() / scores.len() as f64;
        let rate = labels.iter().filter(|l| l.converted).count() as f64 / labels.len() as f64;
        assert!((mean - rate).abs() < 0.1, "{method:?}: {mean} vs {rate}");
        let high = scores.iter().filter(|s| s.tier == Tier::High).count();
        assert!(high > 0 && high < scores.len() / 2);
    }
}

#[test]
fn cross_validation_reports_every_fold() {
    let (leads, events, labels) = history(120);
    let cv = cross_validate(&forest_config(), &leads, &events, &labels, 4, 2).unwrap();
    assert_eq!(cv.folds.len(), 4);
    assert_eq!(cv.folds.iter().map(|f| f.rows).sum::<usize>(), 120);
    assert!(cv.mean.roc_auc.unwrap() > 0.8);
    let e = cross_validate(&forest_config(), &leads, &events, &labels, 1, 1).unwrap_err();
    assert_eq!((e.code(), &*e.path()), ("invalid_value", "folds"));
    let e = cross_validate(&forest_config(), &leads, &events, &labels, 100, 1).unwrap_err();
    assert_eq!(e.code(), "too_few_rows");
}

#[test]
fn features_follow_the_cutoff_and_ignore_order_and_duplicates() {
    let lead = Lead::new("A", t0() - Duration::days(10));
    let mut events = vec![
        event("1", "A", EventKind::Download, 0.0), // at the cut-off: counts
        event("2", "A", EventKind::Download, 6.9), // inside 7 days
        event("3", "A", EventKind::Download, 7.0), // exactly 7 days ago: outside the 7-day window
        event("4", "A", EventKind::Search, 40.0),
        event("5", "A", EventKind::Download, -1.0), // after the cut-off: ignored
        event("2", "A", EventKind::Download, 6.9),  // duplicate
        event("x", "B", EventKind::Download, 1.0),  // unknown lead: ignored
    ];
    events.reverse();
    let spec = FeatureSpec::from_json(
        r#"{"windows_days": [7, 30], "event_kinds": ["download", "search"], "day_offset_minutes": 480}"#,
    )
    .unwrap();
    let labels = vec![Label {
        lead_id: "A".into(),
        converted: true,
        cutoff: t0(),
    }];
    let set = build_training_set(&spec, std::slice::from_ref(&lead), &events, &labels, 1).unwrap();
    let get = |name: &str| {
        let c = set
            .features
            .columns
            .iter()
            .position(|c| c.name == name)
            .unwrap();
        set.features.data[c][0]
    };
    assert_eq!(get("download_count_7d"), 2.0);
    assert_eq!(get("download_count_30d"), 3.0);
    assert_eq!(get("search_count_30d"), 0.0);
    assert_eq!(get("download_recency_days"), 0.0);
    assert_eq!(get("search_recency_days"), 40.0);
    assert_eq!(get("silence_days"), 0.0);
    assert_eq!(get("age_days"), 10.0);
    assert_eq!(get("active_days_365d"), 3.0); // 6.9 and 7 days ago are one local day
    // A cut-off before every event: nothing counts, recency missing, silence = age.
    let early = vec![Label {
        lead_id: "A".into(),
        converted: true,
        cutoff: t0() - Duration::days(50),
    }];
    let set = build_training_set(&spec, &[lead], &events, &early, 1).unwrap();
    let row = set.features.row(0);
    assert_eq!(&row[..4], &[0.0; 4]);
    assert!(row[4].is_nan() && row[5].is_nan());
    assert_eq!(row[7], 0.0); // silence: created after the cut-off → age clamped to 0
}

#[test]
fn attribute_features() {
    let mut a = Lead::new("A", t0());
    a.attributes
        .insert("industry".into(), AttrValue::Text("ads".into()));
    a.attributes
        .insert("tags".into(), AttrValue::List(vec!["x".into(), "y".into()]));
    a.attributes.insert(
        "founded".into(),
        AttrValue::Date(chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap()),
    );
    a.attributes
        .insert("city".into(), AttrValue::Text("北京".into()));
    a.attributes
        .insert("chat".into(), AttrValue::Text("想要 报价 谢谢".into()));
    a.source.channel = Some("sem".into());
    let mut b = Lead::new("B", t0());
    b.attributes
        .insert("industry".into(), AttrValue::Text("ads".into()));
    b.attributes
        .insert("city".into(), AttrValue::Text("拉萨".into()));
    b.attributes
        .insert("verified".into(), AttrValue::Bool(true));
    let mut c = Lead::new("C", t0());
    c.attributes
        .insert("industry".into(), AttrValue::Text("rare".into()));
    let spec = FeatureSpec::from_json(
        r#"{"windows_days": [], "event_kinds": [], "recency": false, "active_days_window": null,
            "silence": false, "age": false,
            "categorical": [{"attribute": "industry", "min_count": 2}, {"attribute": "tags"},
                            {"attribute": "source.channel"}],
            "numeric": [{"attribute": "founded"}, {"attribute": "verified", "impute": 0}],
            "city_tier": {"attribute": "city", "tiers": {"北京": 1}, "unknown_tier": 3},
            "source_quality": {"scores": {"sem": 0.8}, "default": 0.1},
            "keywords": [{"attribute": "chat", "keywords": ["报价", "合同"]}]}"#,
    )
    .unwrap();
    let labels: Vec<Label> = ["A", "B", "C"]
        .iter()
        .map(|id| Label {
            lead_id: (*id).into(),
            converted: *id == "A",
            cutoff: t0(),
        })
        .collect();
    let set = build_training_set(&spec, &[a, b, c], &[], &labels, 2).unwrap();
    let names: Vec<&str> = set
        .features
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "industry=ads",
            "industry=(other)",
            "tags=x",
            "tags=y",
            "tags=(other)",
            "source.channel=sem",
            "source.channel=(other)",
            "founded",
            "verified",
            "city_tier",
            "source_quality",
            "chat:报价",
            "chat:合同"
        ]
    );
    assert_eq!(set.encoding.levels[0], ["ads"]);
    let rows: Vec<Vec<f32>> = (0..3).map(|r| set.features.row(r)).collect();
    assert_eq!(rows[0][..7], [1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0]);
    assert_eq!(rows[0][7..], [31.0, 0.0, 1.0, 0.8, 1.0, 0.0]);
    assert_eq!(rows[1][8..11], [1.0, 3.0, 0.1]);
    assert_eq!(rows[2][..2], [0.0, 1.0]); // rare level → (other)
    assert!(rows[2][7].is_nan()); // missing date stays missing
}

#[test]
fn feature_spec_errors_name_the_path() {
    let cases = [
        (
            r#"{"windows_days": [7, 7]}"#,
            "duplicate_id",
            "windows_days[1]",
        ),
        (
            r#"{"categorical": [{"attribute": "a", "max_levels": 0}]}"#,
            "invalid_value",
            "categorical[0].max_levels",
        ),
        (
            r#"{"keywords": [{"attribute": "a", "keywords": ["x", ""]}]}"#,
            "invalid_value",
            "keywords[0].keywords[1]",
        ),
        (
            r#"{"numeric": [{"attribute": "a"}, {"attribute": "a"}]}"#,
            "duplicate_id",
            "numeric[1].attribute",
        ),
        (
            r#"{"event_kinds": ["download", "nope"]}"#,
            "invalid_type",
            "event_kinds[1]",
        ),
        (r#"{"typo": 1}"#, "unknown_field", "typo"),
    ];
    for (json, code, path) in cases {
        let e = FeatureSpec::from_json(json).unwrap_err();
        assert_eq!((e.code(), e.path.as_str()), (code, path), "{json}");
    }
    let e = TrainConfig::from_json(r#"{"features": {"windows_days": [0]}}"#).unwrap_err();
    assert_eq!(e.path, "features.windows_days[0]");
    let e = TrainConfig::from_json(r#"{"model": {"type": "random_forest", "n_trees": 0}}"#)
        .unwrap_err();
    assert_eq!(e.path, "model.n_trees");
    let e = TrainConfig::from_json(r#"{"tiers": {"type": "thresholds", "high": 0.2, "mid": 0.5}}"#)
        .unwrap_err();
    assert_eq!(e.path, "tiers.mid");
    let e = TrainConfig::from_json(r#"{"test_fraction": 1}"#).unwrap_err();
    assert_eq!(e.path, "test_fraction");
}

fn matrix_strategy() -> impl Strategy<Value = (Vec<Vec<f32>>, Vec<bool>)> {
    (10usize..60, 1usize..5).prop_flat_map(|(n, p)| {
        (
            proptest::collection::vec(
                proptest::collection::vec(
                    prop_oneof![4 => (0u8..6).prop_map(f32::from), 1 => Just(f32::NAN)],
                    n,
                ),
                p,
            ),
            proptest::collection::vec(any::<bool>(), n),
        )
    })
}

fn to_matrix(data: Vec<Vec<f32>>) -> FeatureMatrix {
    let n = data.first().map_or(0, Vec::len);
    FeatureMatrix {
        columns: (0..data.len())
            .map(|i| Column {
                name: format!("f{i}"),
                group: format!("f{i}"),
                level: None,
            })
            .collect(),
        lead_ids: (0..n).map(|i| i.to_string()).collect(),
        data,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn forest_is_deterministic_bounded_and_row_independent((data, y) in matrix_strategy(), seed in any::<u64>(), threads in 1usize..4) {
        let x = to_matrix(data);
        let params = ForestParams { n_trees: 7, max_depth: Some(5), ..ForestParams::default() };
        let a = RandomForest::fit(&x, &y, &params, seed, 1);
        let b = RandomForest::fit(&x, &y, &params, seed, threads);
        prop_assert_eq!(&a.forest, &b.forest);
        prop_assert_eq!(&a.oob, &b.oob);
        let batch = a.forest.predict_proba(&x, threads);
        for (r, p) in batch.iter().enumerate() {
            prop_assert!((0.0..=1.0).contains(p));
            let alone = a.forest.predict_proba(&x.select_rows(&[r]), 1);
            prop_assert_eq!(alone[0], *p);
            // Saabas contributions add up to the prediction.
            let (bias, contrib) = a.forest.contributions(&x.row(r));
            prop_assert!((bias + contrib.iter().sum::<f64>() - p).abs() < 1e-5);
            let single: f64 = a.forest.trees.iter().map(|t| f64::from(t.predict_row(&x.row(r)))).sum::<f64>()
                / a.forest.trees.len() as f64;
            prop_assert!((single - p).abs() < 1e-12);
        }
        let text = serde_json::to_string(&a.forest).unwrap();
        let back: RandomForest = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(back.predict_proba(&x, 1), batch);
    }

    #[test]
    fn scoring_alone_equals_scoring_in_a_batch(n in 30usize..80, seed in 0u64..1000, pick in 0usize..30) {
        let (leads, events, labels) = history(n);
        let mut config = forest_config();
        config.seed = seed;
        config.calibration = CalibrationMethod::Isotonic;
        let Ok(m) = train(&config, &leads, &events, &labels, t0(), 2) else {
            return Ok(()); // a split without positives is a typed error, tested elsewhere
        };
        let batch = m.score(&leads, &events, t0(), 3).unwrap();
        let alone = m.score(std::slice::from_ref(&leads[pick]), &events, t0(), 1).unwrap();
        prop_assert_eq!(&alone[0], &batch[pick]);
        prop_assert!(batch.iter().all(|s| (0.0..=1.0).contains(&s.probability)));
        let loaded = PredictiveModel::from_bytes(&m.to_bytes().unwrap()).unwrap();
        prop_assert_eq!(loaded.score(&leads, &events, t0(), 2).unwrap(), batch);
    }
}

#[test]
fn train_set_checks_row_counts() {
    let (leads, events, labels) = history(60);
    let config = forest_config();
    let set = build_training_set(&config.features, &leads, &events, &labels, 1).unwrap();
    let e = train_set(&config, &set, &[None], t0(), 1).unwrap_err();
    assert_eq!((e.code(), &*e.path()), ("invalid_value", "segments"));
    let mut short = set.clone();
    short.labels.pop();
    let e = train_set(&config, &short, &vec![None; 59], t0(), 1).unwrap_err();
    assert_eq!((e.code(), &*e.path()), ("invalid_value", "features"));
    assert!(train_set(&config, &set, &vec![None; 60], t0(), 1).is_ok());
}

#[test]
fn train_set_checks_the_layout_against_the_config() {
    let (leads, events, labels) = history(60);
    let config = forest_config();
    let set = build_training_set(&config.features, &leads, &events, &labels, 1).unwrap();
    let keys = vec![None; 60];
    let mut other = config.clone();
    other.features.windows_days = vec![7];
    let e = train_set(&other, &set, &keys, t0(), 1).unwrap_err();
    assert_eq!(e.code(), "feature_mismatch");
    let mut renamed = set.clone();
    renamed.features.columns[1].name = "x".into();
    let e = train_set(&config, &renamed, &keys, t0(), 1).unwrap_err();
    assert_eq!(e.code(), "feature_mismatch");
    let mut narrow = set.clone();
    narrow.features.columns.pop();
    narrow.features.data.pop();
    let e = train_set(&config, &narrow, &keys, t0(), 1).unwrap_err();
    assert_eq!(e.code(), "feature_mismatch");
    let mut short = set.clone();
    short.features.data[0].pop();
    let e = train_set(&config, &short, &keys, t0(), 1).unwrap_err();
    assert_eq!(e.code(), "feature_mismatch");
    let mut levels = set.clone();
    levels.encoding.levels[0].push("unheard-of".into());
    let e = train_set(&config, &levels, &keys, t0(), 1).unwrap_err();
    assert_eq!(e.code(), "feature_mismatch");
}
