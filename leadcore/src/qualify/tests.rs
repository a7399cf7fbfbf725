use super::*;
use crate::lead::Temperature;
use serde_json::json;

fn now() -> DateTime<Utc> {
    crate::time::parse("2026-11-20T00:00:00Z").unwrap()
}

fn lead(attributes: Value) -> Lead {
    serde_json::from_value(
        json!({"id": "L1", "created_at": "2026-11-01T00:00:00Z", "attributes": attributes}),
    )
    .unwrap()
}

fn verdict(preset: &str, stage: &str, attributes: Value, events: Value) -> GateVerdict {
    let rules = RuleSet::preset(preset).unwrap();
    let events: Vec<Event> = serde_json::from_value(events).unwrap();
    let v = qualify_gate(
        &rules,
        stage,
        &lead(attributes),
        &events,
        now(),
        &Scores::new(),
    )
    .unwrap();
    let q = rules.compile().unwrap();
    let l = lead(json!({}));
    // The fast path agrees with the explained one.
    let _ = q.passes(stage, &Facts::lead_only(&l, now())).unwrap();
    v
}

#[test]
fn every_preset_loads_validates_and_round_trips() {
    assert_eq!(
        RuleSet::preset_names(),
        ["seed_000", "seed_001", "seed_004"]
    );
    for name in RuleSet::preset_names() {
        let rules = RuleSet::from_value(json!({"preset": name})).unwrap();
        assert_eq!(rules, RuleSet::preset(name).unwrap());
        let text = rules.to_json();
        let back = RuleSet::from_json(&text).unwrap();
        assert_eq!(back, rules);
        assert_eq!(back.to_json(), text);
    }
}

#[test]
fn seed_001_gates_are_cumulative() {
    let mql = json!({"phone": "138 0013 8000", "wanted_item_id": "img-1"});
    assert!(verdict("seed_001", "MQL", mql.clone(), json!([])).passed);
    let v = verdict("seed_001", "SQL", mql, json!([]));
    assert_eq!(
        v.failed_criteria,
        ["company_name", "company_verified", "industry"]
    );

    let sal = json!({
        "phone": "13800138000", "wanted_item_id": "img-1", "company": "北京某某科技有限公司",
        "company_verified": true, "industry": "advertising", "quote_reaction": "neutral"
    });
    let call = json!([{"lead_id": "L1", "kind": "call", "at": "2026-11-15T00:00:00Z"}]);
    let v = verdict("seed_001", "SAL", sal.clone(), call);
    assert!(v.passed, "{:?}", v.failed_criteria);
    let v = verdict("seed_001", "SAL", sal, json!([]));
    assert_eq!(v.failed_criteria, ["responsive"]);
    let bad_phone = verdict(
        "seed_001",
        "MQL",
        json!({"phone": "12345", "wanted_item_id": "x"}),
        json!([]),
    );
    assert_eq!(bad_phone.failed_criteria, ["phone_valid"]);
    assert_eq!(bad_phone.tree.children[0].seen, Some(json!("12345")));
}

#[test]
fn seed_000_and_004_presets() {
    let fit = json!({
        "industry": "manufacturing", "business_types": ["sales", "production"],
        "need": "sales_management", "open_to_sales_contact": true
    });
    let v = verdict("seed_000", "MQL", fit, json!([]));
    assert!(v.passed, "{:?}", v.failed_criteria);
    assert_eq!(
        v.passed_criteria,
        [
            "target_profile",
            "business_need",
            "not_personal_use",
            "open_to_sales_contact"
        ]
    );
    let v = verdict(
        "seed_000",
        "MQL",
        json!({"industry": "x", "business_types": ["sales"], "need": "sales_management", "personal_use": true, "open_to_sales_contact": true}),
        json!([]),
    );
    assert_eq!(v.failed_criteria, ["not_personal_use"]);

    let bant = json!({"need_match": true, "process_match": true, "purchase_timeline": "2027-03-01",
        "budget_match": true, "contact_role": "decision_maker"});
    assert!(verdict("seed_004", "SQL", bant, json!([])).passed);
    let v = verdict(
        "seed_004",
        "SQL",
        json!({"need_match": true, "budget_match": false}),
        json!([]),
    );
    assert_eq!(v.passed_criteria, ["need_match"]);
    assert_eq!(
        v.failed_criteria,
        [
            "process_match",
            "purchase_timeline",
            "budget_match",
            "decision_maker"
        ]
    );
    let demo = json!([{"lead_id": "L1", "kind": "form_submit", "at": "2026-11-10T00:00:00Z", "properties": {"form": "demo"}}]);
    assert!(verdict("seed_004", "MQL", json!({}), demo).passed);
}

#[test]
fn qualify_lists_every_gate_in_config_order() {
    let rules = RuleSet::preset("seed_001").unwrap();
    let l = lead(json!({"phone": "13800138000", "wanted_item_id": "img-1"}));
    let q = qualify(&rules, &l, &[], now(), &Scores::new()).unwrap();
    assert_eq!(q.qualified, ["MQL"]);
    let stages: Vec<&str> = q.gates.iter().map(|g| g.stage.as_str()).collect();
    assert_eq!(stages, ["MQL", "SQL", "SAL"]);
    assert_eq!(q.gates[1].tree.path, "gates[1].condition");
}

#[test]
fn unknown_gate_and_bad_rule_sets() {
    let rules = RuleSet::preset("seed_004").unwrap();
    let e = qualify_gate(&rules, "SAL", &lead(json!({})), &[], now(), &Scores::new()).unwrap_err();
    assert_eq!(
        (e.code(), e.category()),
        ("unknown_gate", crate::Category::Qualify)
    );
    assert_eq!(
        e.to_string(),
        "qualification failed: no gate for stage `SAL`; gates: `MQL`, `SQL`"
    );

    let cases = [
        (json!({"preset": "seed_999"}), "unknown_preset", "preset"),
        (json!({"preset": 1}), "invalid_type", "preset"),
        (json!({"gates": []}), "invalid_value", "gates"),
        (
            json!({"gates": [{"stage": "", "condition": {"field": "owner", "exists": true}}]}),
            "invalid_value",
            "gates[0].stage",
        ),
        (
            json!({"gates": [
            {"stage": "MQL", "condition": {"field": "owner", "exists": true}},
            {"stage": "MQL", "condition": {"field": "owner", "exists": true}}]}),
            "duplicate_id",
            "gates[1].stage",
        ),
        (
            json!({"gates": [{"stage": "MQL", "condition": {"all": [{"field": "owner", "exists": true}, {"field": "x", "exists": true}]}}]}),
            "unknown_reference",
            "gates[0].condition.all[1].field",
        ),
        (
            json!({"gates": [{"stage": "MQL", "condition": {"all": [{"field": "owner", "equals": 1}]}}]}),
            "unknown_field",
            "gates[0].condition.all[0].equals",
        ),
        (
            json!({"gates": [{"stage": "MQL", "when": {}}]}),
            "unknown_field",
            "gates[0].when",
        ),
        (
            json!({"preset": "seed_001", "gates": []}),
            "unknown_field",
            "gates",
        ),
    ];
    for (config, code, path) in cases {
        let e = RuleSet::from_value(config.clone()).unwrap_err();
        assert_eq!((e.code(), e.path.as_str()), (code, path), "{config}");
    }
}

#[test]
fn temperature_from_thresholds() {
    let t = TemperatureThresholds {
        warm: 40.0,
        hot: 70.0,
    };
    assert_eq!(t, TemperatureThresholds::default());
    let cases = [
        (-5.0, Temperature::Cold),
        (39.9, Temperature::Cold),
        (40.0, Temperature::Warm),
        (70.0, Temperature::Hot),
        (1e9, Temperature::Hot),
    ];
    for (score, want) in cases {
        assert_eq!(temperature(&t, score).unwrap().temperature, want, "{score}");
    }
    assert_eq!(
        temperature(&t, 75.0).unwrap().reason,
        "score 75 is at least the hot threshold 70"
    );
    assert_eq!(
        temperature(&t, 10.0).unwrap().reason,
        "score 10 is below the warm threshold 40"
    );
    let e = temperature(&t, f64::NAN).unwrap_err();
    assert_eq!((e.code(), e.path.as_str()), ("not_finite", "score"));
    let no_warm = TemperatureThresholds {
        warm: 50.0,
        hot: 50.0,
    };
    assert!(no_warm.validate().is_ok());
    assert_eq!(
        no_warm.classify(50.0).unwrap().temperature,
        Temperature::Hot
    );

    let e = TemperatureThresholds::from_value(json!({"warm": 80, "hot": 60})).unwrap_err();
    assert_eq!((e.code(), e.path.as_str()), ("invalid_value", "hot"));
    let e = TemperatureThresholds {
        warm: f64::NAN,
        hot: 1.0,
    }
    .validate()
    .unwrap_err();
    assert_eq!((e.code(), e.path.as_str()), ("not_finite", "warm"));
    let e = TemperatureThresholds::from_value(json!({"warm": 1, "hot": 2, "cold": 0})).unwrap_err();
    assert_eq!(e.code(), "unknown_field");
    let e = TemperatureThresholds::from_value(json!({"warm": "40", "hot": 70})).unwrap_err();
    assert_eq!((e.code(), e.path.as_str()), ("invalid_type", "warm"));
    let back = TemperatureThresholds::from_json(&t.to_json()).unwrap();
    assert_eq!(back, t);
}

proptest::proptest! {
    #[test]
    fn temperature_is_monotonic_and_thresholds_round_trip(
        a in -1e6f64..1e6, b in -1e6f64..1e6, s in -2e6f64..2e6, d in 0f64..1e3
    ) {
        let t = TemperatureThresholds { warm: a.min(b), hot: a.max(b) };
        proptest::prop_assert!(t.validate().is_ok());
        let back = TemperatureThresholds::from_json(&t.to_json()).unwrap();
        proptest::prop_assert_eq!(back, t);
        let lo = t.classify(s).unwrap().temperature;
        let hi = t.classify(s + d).unwrap().temperature;
        proptest::prop_assert!(lo <= hi);
    }
}

#[test]
fn rules_compile_once_and_follow_changes() {
    let mut rules = RuleSet::preset("seed_001").unwrap();
    let first = rules.qualifier().unwrap();
    assert!(std::sync::Arc::ptr_eq(&first, &rules.qualifier().unwrap()));
    // Gates changed after the first use: compiled from what they are now, not from the cache.
    rules.gates.truncate(1);
    let changed = rules.qualifier().unwrap();
    assert_eq!(changed.0, rules.gates);
    assert!(!std::sync::Arc::ptr_eq(&first, &changed));
    assert_eq!(RuleSet::new(rules.gates.clone()), rules);
}
