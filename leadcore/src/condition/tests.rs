use super::*;
use proptest::prelude::*;
use serde_json::json;

fn lead(v: Value) -> Lead {
    serde_json::from_value(v).unwrap()
}

fn base_lead() -> Lead {
    lead(json!({
        "id": "L1",
        "created_at": "2026-11-01T00:00:00Z",
        "source": {"channel": "sem", "gclid": "g-1"},
        "owner": "rep_a",
        "stage": "MQL",
        "temperature": "warm",
        "attributes": {
            "industry": "SaaS",
            "employees": 120,
            "headcount_text": "many",
            "tags": ["sales", "marketing"],
            "phone": "138 0013 8000",
            "mobile_number": 13800138000u64,
            "email": "Li.Lei@Acme.cn",
            "free_email": "x@qq.com",
            "signed": "2026-10-15",
            "last_seen": "2026-11-19T12:00:00Z",
            "verified": true,
            "blank": "  ",
            "empty_list": [],
            "nothing": null,
            "company": "北京SaaS科技有限公司"
        },
        "crm_row": 42
    }))
}

fn now() -> DateTime<Utc> {
    crate::time::parse("2026-11-20T00:00:00Z").unwrap()
}

fn events(v: Value) -> Vec<Event> {
    serde_json::from_value(v).unwrap()
}

fn sample_events() -> Vec<Event> {
    events(json!([
        {"id": "e1", "lead_id": "L1", "kind": "download", "at": "2026-11-18T00:00:00Z", "properties": {"asset": "Pricing.pdf"}},
        {"id": "e2", "lead_id": "L1", "kind": "download", "at": "2026-10-01T00:00:00Z", "properties": {"asset": "whitepaper.pdf"}},
        {"id": "e3", "lead_id": "L1", "kind": "form_submit", "at": "2026-11-19T00:00:00Z", "properties": {"form": "demo"}},
        {"id": "e1", "lead_id": "L1", "kind": "download", "at": "2026-11-18T00:00:00Z", "properties": {"asset": "Pricing.pdf"}},
        {"id": "e9", "lead_id": "L1", "kind": "call", "at": "2026-11-25T00:00:00Z"}
    ]))
}

/// Evaluates both paths and checks they agree.
fn eval_with(cond: Value, lead: &Lead, events: &[Event], scores: &Scores) -> Evaluation {
    let c = Condition::from_value(cond).unwrap();
    let compiled = CompiledCondition::new(&c).unwrap();
    let facts = Facts::new(lead, events, now(), scores).unwrap();
    let e = compiled.evaluate(&facts);
    assert_eq!(
        compiled.matches(&facts),
        e.passed,
        "fast and explained paths differ"
    );
    e
}

fn check(cond: Value) -> Evaluation {
    eval_with(cond, &base_lead(), &sample_events(), &Scores::new())
}

fn passes(cond: Value) -> bool {
    check(cond).passed
}

fn config_err(cond: Value) -> (String, String) {
    let e = Condition::from_value(cond).unwrap_err();
    (e.code().to_string(), e.path)
}

#[test]
fn comparisons_on_each_type() {
    assert!(passes(
        json!({"field": "attributes.industry", "eq": "saas"})
    ));
    assert!(!passes(
        json!({"field": "attributes.industry", "ne": "SAAS"})
    ));
    assert!(passes(
        json!({"field": "attributes.industry", "in": ["retail", "saas"]})
    ));
    assert!(passes(
        json!({"field": "attributes.industry", "not_in": ["retail"]})
    ));
    assert!(passes(json!({"field": "attributes.employees", "gt": 100})));
    assert!(passes(json!({"field": "attributes.employees", "gte": 120})));
    assert!(!passes(json!({"field": "attributes.employees", "lt": 120})));
    assert!(passes(json!({"field": "attributes.employees", "lte": 120})));
    assert!(passes(
        json!({"field": "attributes.employees", "between": [100, 120]})
    ));
    assert!(!passes(
        json!({"field": "attributes.employees", "between": [121, 500]})
    ));
    assert!(passes(json!({"field": "attributes.verified", "eq": true})));
    assert!(passes(
        json!({"field": "attributes.signed", "lt": "2026-11-01"})
    ));
    assert!(passes(
        json!({"field": "attributes.signed", "between": ["2026-10-01", "2026-10-31T23:00:00+08:00"]})
    ));
    assert!(passes(
        json!({"field": "attributes.last_seen", "eq": "2026-11-19"})
    ));
    assert!(passes(
        json!({"field": "created_at", "gte": "2026-11-01T08:00:00+08:00"})
    ));
    assert!(passes(
        json!({"field": "attributes.last_seen", "within_days": 1})
    ));
    assert!(!passes(
        json!({"field": "attributes.signed", "within_days": 30})
    ));
    assert!(passes(
        json!({"field": "attributes.signed", "older_than_days": 30})
    ));
    assert!(passes(
        json!({"field": "attributes.company", "contains": "saas科技"})
    ));
    assert!(passes(
        json!({"field": "attributes.company", "starts_with": "北京"})
    ));
    assert!(passes(
        json!({"field": "attributes.tags", "contains": "Sales"})
    ));
    assert!(passes(
        json!({"field": "attributes.tags", "in": ["service", "marketing"]})
    ));
    assert!(!passes(
        json!({"field": "attributes.tags", "not_in": ["marketing"]})
    ));
    assert!(passes(json!({"field": "source.channel", "eq": "sem"})));
    assert!(passes(
        json!({"field": "source.gclid", "starts_with": "g-"})
    ));
    assert!(passes(json!({"field": "extra.crm_row", "eq": 42})));
    assert!(passes(json!({"field": "owner", "in": ["rep_a", "rep_b"]})));
    assert!(passes(json!({"field": "stage", "eq": "mql"})));
    assert!(passes(json!({"field": "id", "eq": "L1"})));
}

#[test]
fn temperature_is_ordered() {
    assert!(passes(json!({"field": "temperature", "gte": "warm"})));
    assert!(!passes(json!({"field": "temperature", "gt": "warm"})));
    assert!(passes(
        json!({"field": "temperature", "between": ["cold", "warm"]})
    ));
    assert_eq!(
        config_err(json!({"field": "temperature", "eq": "tepid"})),
        ("invalid_value".into(), "eq".into())
    );
}

#[test]
fn missing_values_fail_everything_but_missing() {
    for field in [
        "attributes.blank",
        "attributes.empty_list",
        "attributes.nothing",
        "attributes.absent",
    ] {
        assert!(passes(json!({"field": field, "missing": true})), "{field}");
        assert!(!passes(json!({"field": field, "exists": true})), "{field}");
        let e = check(json!({"field": field, "ne": "x"}));
        assert!(!e.passed);
        assert_eq!(e.tree.seen, Some(Value::Null));
        assert!(e.tree.reason.contains("is missing"), "{}", e.tree.reason);
    }
}

#[test]
fn type_mismatch_is_a_failed_criterion_with_a_reason() {
    let e = check(json!({"field": "attributes.headcount_text", "gt": 100}));
    assert!(!e.passed);
    assert_eq!(e.tree.seen, Some(json!("many")));
    assert_eq!(
        e.tree.reason,
        "`attributes.headcount_text` is a string (`many`), which cannot be compared with a number: type mismatch"
    );
    assert!(!passes(json!({"field": "attributes.employees", "ne": "x"})));
    assert!(!passes(json!({"field": "attributes.tags", "gt": 3})));
    assert!(!passes(
        json!({"field": "attributes.employees", "contains": "1"})
    ));
}

#[test]
fn validators_use_the_cleaning_rules() {
    let e = check(json!({"id": "phone_valid", "field": "attributes.phone", "valid": "cn_mobile"}));
    assert!(e.passed, "{}", e.tree.reason);
    assert!(e.tree.reason.contains("normalized `13800138000`"));
    assert!(passes(
        json!({"field": "attributes.mobile_number", "valid": "cn_mobile"})
    ));
    assert!(!passes(
        json!({"field": "attributes.industry", "valid": "cn_mobile"})
    ));
    assert!(passes(
        json!({"field": "attributes.email", "valid": "email"})
    ));
    assert!(passes(
        json!({"field": "attributes.email", "valid": "non_personal_email"})
    ));
    assert!(!passes(
        json!({"field": "attributes.free_email", "valid": "non_personal_email"})
    ));
    assert!(!passes(
        json!({"field": "attributes.tags", "valid": "email"})
    ));
    for name in VALIDATORS {
        assert!(Condition::from_value(json!({"field": "attributes.x", "valid": name})).is_ok());
    }
}

#[test]
fn event_counts_respect_window_duplicates_and_now() {
    // e1 is delivered twice and e9 is after `now`: neither changes the count.
    let e = check(json!({"events": "download", "within_days": 7, "at_least": 1}));
    assert_eq!(e.tree.seen, Some(json!(1)));
    assert_eq!(
        e.tree.reason,
        "1 matching event in the 7 days up to now; at least 1 needed"
    );
    assert_eq!(
        check(json!({"events": "download", "at_least": 1}))
            .tree
            .seen,
        Some(json!(2))
    );
    assert_eq!(
        check(json!({"events": "any", "at_least": 1})).tree.seen,
        Some(json!(3))
    );
    assert!(passes(json!({"events": ["call", "meeting"], "at_most": 0})));
    assert!(passes(
        json!({"events": ["download", "form_submit"], "within_days": 2, "at_least": 2, "at_most": 2})
    ));
    assert!(passes(
        json!({"events": "download", "where": {"field": "properties.asset", "starts_with": "pricing"}, "at_least": 1})
    ));
    assert!(passes(
        json!({"events": "any", "where": {"field": "kind", "in": ["form_submit"]}, "at_least": 1, "at_most": 1})
    ));
    assert!(passes(
        json!({"events": "any", "where": {"field": "at", "within_days": 1}, "at_least": 1})
    ));
    // Inclusive window start: an event exactly `within_days` before now counts.
    let evs = events(json!([{"lead_id": "L1", "kind": "call", "at": "2026-11-13T00:00:00Z"}]));
    let e = eval_with(
        json!({"events": "call", "within_days": 7, "at_least": 1}),
        &base_lead(),
        &evs,
        &Scores::new(),
    );
    assert!(e.passed);
}

#[test]
fn score_references() {
    let scores: Scores = [("behavior".to_string(), 62.0)].into_iter().collect();
    let l = base_lead();
    let e = eval_with(json!({"score": "behavior", "gte": 50}), &l, &[], &scores);
    assert!(e.passed);
    assert_eq!(e.tree.seen, Some(json!(62)));
    assert_eq!(e.tree.reason, "score `behavior` is `62`, >= `50`");
    let e = eval_with(json!({"score": "fit", "gte": 50}), &l, &[], &scores);
    assert!(!e.passed);
    assert_eq!(
        e.tree.reason,
        "score `fit` was not supplied, so it cannot be compared"
    );
    assert!(eval_with(json!({"score": "fit", "missing": true}), &l, &[], &scores).passed);
    assert!(
        eval_with(
            json!({"score": "behavior", "between": [60, 70]}),
            &l,
            &[],
            &scores
        )
        .passed
    );
}

#[test]
fn trees_list_criteria_in_config_order() {
    let e = check(json!({"all": [
        {"id": "industry", "field": "attributes.industry", "eq": "saas"},
        {"label": "Not personal", "not": {"field": "attributes.personal_use", "eq": true}},
        {"any": [
            {"field": "attributes.employees", "gt": 1000},
            {"id": "engaged", "events": "form_submit", "at_least": 1}
        ]},
        {"field": "owner", "eq": "rep_b"}
    ]}));
    assert!(!e.passed);
    assert_eq!(e.passed_criteria, ["industry", "Not personal", "engaged"]);
    assert_eq!(e.failed_criteria, ["all[2].any[0]", "all[3]"]);
    assert_eq!(e.tree.reason, "1 of 4 criteria failed: `all[3]`");
    assert_eq!(e.tree.children[1].children[0].path, "all[1].not");
    assert_eq!(
        e.tree.children[0].criterion,
        "attributes.industry eq \"saas\""
    );
    assert_eq!(
        e.tree.children[2].reason,
        "1 of 2 criteria passed: `engaged`"
    );
    let json = input::to_value(&e);
    assert_eq!(json["tree"]["children"][0]["seen"], json!("SaaS"));
    assert!(json["tree"].get("seen").is_none());
}

#[test]
fn config_errors_name_path_and_code() {
    let cases = [
        (
            json!({"all": [{"field": "attributes.x", "equals": 1}]}),
            "unknown_field",
            "all[0].equals",
        ),
        (
            json!({"all": [{"field": "attributes.x", "eq": 1, "gt": 0}]}),
            "invalid_value",
            "all[0]",
        ),
        (json!({"all": [{"eq": 1}]}), "missing_field", "all[0]"),
        (
            json!({"all": [{"field": "attributes.x"}]}),
            "missing_field",
            "all[0]",
        ),
        (
            json!({"any": [{"field": "attributes.x", "between": [5, 1]}]}),
            "invalid_value",
            "any[0].between",
        ),
        (
            json!({"field": "attributes.x", "between": [1, "2026-01-01"]}),
            "invalid_type",
            "between",
        ),
        (
            json!({"field": "attributes.x", "in": []}),
            "invalid_value",
            "in",
        ),
        (
            json!({"field": "attributes.x", "in": ["a", ["b"]]}),
            "invalid_type",
            "in[1]",
        ),
        (
            json!({"field": "attributes.x", "eq": ""}),
            "invalid_value",
            "eq",
        ),
        (
            json!({"field": "attributes.x", "eq": null}),
            "missing_field",
            "$",
        ),
        (
            json!({"field": "attributes.x", "valid": "phone"}),
            "unknown_reference",
            "valid",
        ),
        (
            json!({"field": "attributes.x", "exists": false}),
            "invalid_value",
            "$",
        ),
        (
            json!({"field": "attributes.x", "gt": "big"}),
            "invalid_type",
            "gt",
        ),
        (
            json!({"field": "attributes.x", "gt": "2026-01-01 08:00"}),
            "naive_datetime",
            "gt",
        ),
        (
            json!({"field": "created_at", "gt": "2026-01-01T08:00"}),
            "naive_datetime",
            "gt",
        ),
        (
            json!({"field": "created_at", "gt": 5}),
            "invalid_type",
            "gt",
        ),
        (json!({"field": "owner", "gt": "a"}), "invalid_type", "gt"),
        (
            json!({"field": "owner", "within_days": 3}),
            "invalid_value",
            "within_days",
        ),
        (
            json!({"field": "attributes.x", "within_days": 0}),
            "invalid_value",
            "within_days",
        ),
        (
            json!({"field": "colour", "eq": "red"}),
            "unknown_reference",
            "field",
        ),
        (
            json!({"field": "attributes.", "eq": "red"}),
            "unknown_reference",
            "field",
        ),
        (json!({"field": "", "eq": "red"}), "invalid_value", "field"),
        (json!({"score": "", "gte": 1}), "invalid_value", "score"),
        (
            json!({"score": "behavior", "gte": "high"}),
            "invalid_type",
            "gte",
        ),
        (
            json!({"score": "behavior", "contains": "1"}),
            "invalid_value",
            "contains",
        ),
        (
            json!({"events": "downlaod", "at_least": 1}),
            "unknown_reference",
            "events",
        ),
        (
            json!({"events": ["call", "visit"], "at_least": 1}),
            "unknown_reference",
            "events[1]",
        ),
        (
            json!({"events": ["call", "call"], "at_least": 1}),
            "duplicate_id",
            "events[1]",
        ),
        (
            json!({"events": [], "at_least": 1}),
            "invalid_value",
            "events",
        ),
        (json!({"events": "call"}), "missing_field", "$"),
        (
            json!({"events": "call", "at_least": 0}),
            "invalid_value",
            "at_least",
        ),
        (
            json!({"events": "call", "at_least": 3, "at_most": 1}),
            "invalid_value",
            "at_least",
        ),
        (
            json!({"events": "call", "at_least": -1}),
            "invalid_value",
            "at_least",
        ),
        (
            json!({"events": "call", "at_least": 1, "within_days": -2}),
            "invalid_value",
            "within_days",
        ),
        (
            json!({"events": "call", "at_least": 1, "eq": 2}),
            "invalid_value",
            "$",
        ),
        (
            json!({"events": "call", "at_least": 1, "where": {"score": "b", "gt": 1}}),
            "invalid_value",
            "where.score",
        ),
        (
            json!({"events": "call", "at_least": 1, "where": {"events": "call", "at_least": 1}}),
            "invalid_value",
            "where.events",
        ),
        (
            json!({"events": "call", "at_least": 1, "where": {"field": "kind", "eq": "visit"}}),
            "unknown_reference",
            "where.eq",
        ),
        (
            json!({"events": "call", "at_least": 1, "where": {"field": "attributes.x", "exists": true}}),
            "unknown_reference",
            "where.field",
        ),
        (json!({"all": []}), "invalid_value", "all"),
        (
            json!({"all": [{"field": "owner", "exists": true}], "field": "x"}),
            "invalid_value",
            "$",
        ),
        (
            json!({"all": [{"field": "owner", "exists": true}], "at_least": 1}),
            "invalid_value",
            "$",
        ),
        (
            json!({"all": [{"id": "a", "field": "owner", "exists": true}, {"id": "a", "field": "stage", "exists": true}]}),
            "duplicate_id",
            "all[1].id",
        ),
        (
            json!({"id": " ", "field": "owner", "exists": true}),
            "invalid_value",
            "id",
        ),
        (
            json!({"not": {"field": "owner", "exists": true}, "label": ""}),
            "invalid_value",
            "label",
        ),
        (json!("owner"), "invalid_type", "$"),
    ];
    for (cond, code, path) in cases {
        let (got_code, got_path) = config_err(cond.clone());
        assert_eq!(
            (got_code.as_str(), got_path.as_str()),
            (code, path),
            "{cond}"
        );
    }
}

#[test]
fn non_finite_numbers_from_rust_are_refused() {
    let c = Condition::Field {
        field: "attributes.x".into(),
        op: Op::Gt(crate::AttrValue::Number(f64::NAN)),
        meta: Meta::default(),
    };
    assert_eq!(CompiledCondition::new(&c).unwrap_err().code(), "not_finite");
    let c = Condition::Field {
        field: "attributes.x".into(),
        op: Op::WithinDays(f64::INFINITY),
        meta: Meta::default(),
    };
    assert_eq!(CompiledCondition::new(&c).unwrap_err().code(), "not_finite");
}

fn nested_json(levels: usize) -> Value {
    let mut v = json!({"field": "owner", "exists": true});
    for _ in 0..levels {
        v = json!({"not": v});
    }
    v
}

#[test]
fn deep_configs_are_errors_with_paths() {
    assert!(Condition::from_value(nested_json(MAX_NESTING - 1)).is_ok());
    let e = Condition::from_value(nested_json(MAX_NESTING)).unwrap_err();
    assert_eq!(e.code(), "too_deep");
    assert_eq!(e.path, vec!["not"; MAX_NESTING].join("."));
    // Just under the raw JSON limit serde recurses through every level: it must fit in a
    // small thread stack (bindings may run on threads with little stack).
    let small = std::thread::Builder::new().stack_size(256 * 1024);
    let code = small
        .spawn(|| {
            Condition::from_value(nested_json(input::MAX_DEPTH))
                .unwrap_err()
                .code()
        })
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(code, "too_deep");
    // Past the raw JSON limit the error comes before serde recurses.
    let e = Condition::from_value(nested_json(1_000)).unwrap_err();
    assert_eq!(e.code(), "too_deep");
    assert_eq!(e.path, vec!["not"; input::MAX_DEPTH + 1].join("."));
    let text = format!("{}{}", r#"{"not":"#.repeat(5000), "}".repeat(5000));
    assert_eq!(Condition::from_json(&text).unwrap_err().code(), "too_deep");
    // A deep tree built in Rust is refused by the compiler without recursing through it.
    let mut c = Condition::from_value(nested_json(0)).unwrap();
    for _ in 0..2_000 {
        c = Condition::Not {
            not: Box::new(c),
            meta: Meta::default(),
        };
    }
    assert_eq!(CompiledCondition::new(&c).unwrap_err().code(), "too_deep");
}

#[test]
fn facts_refuse_foreign_events_and_nan_scores() {
    let l = base_lead();
    let evs = events(json!([
        {"lead_id": "L1", "kind": "call", "at": "2026-11-01T00:00:00Z"},
        {"lead_id": "L2", "kind": "call", "at": "2026-11-01T00:00:00Z"}
    ]));
    let e = Facts::new(&l, &evs, now(), &Scores::new()).unwrap_err();
    assert_eq!(
        (e.code(), e.path.as_str()),
        ("invalid_value", "events[1].lead_id")
    );
    let scores: Scores = [("fit".to_string(), f64::NAN)].into_iter().collect();
    let e = Facts::new(&l, &[], now(), &scores).unwrap_err();
    assert_eq!((e.code(), e.path.as_str()), ("not_finite", "scores.fit"));
}

#[test]
fn event_filters_compile_in_event_scope() {
    let f = EventFilter::from_json(r#"{"all": [{"field": "kind", "eq": "download"}, {"field": "properties.asset", "contains": "PRICING"}]}"#).unwrap();
    let evs = sample_events();
    assert!(f.matches(&evs[0], now()));
    assert!(!f.matches(&evs[1], now()));
    assert_eq!(
        f.evaluate(&evs[0], now()).passed_criteria,
        ["all[0]", "all[1]"]
    );
    assert_eq!(
        EventFilter::from_json(r#"{"field": "owner", "exists": true}"#)
            .unwrap_err()
            .code(),
        "unknown_reference"
    );
}

#[test]
fn configs_round_trip() {
    let c = Condition::from_value(json!({"id": "x", "label": "X", "any": [
        {"field": "attributes.signed", "between": ["2026-01-01", "2026-02-01T00:00:00+08:00"]},
        {"events": ["download"], "where": {"not": {"field": "name", "missing": true}}, "within_days": 1.5, "at_least": 1, "at_most": 9},
        {"events": "any", "at_most": 0},
        {"score": "fit", "in": [1, 2.5]},
        {"field": "attributes.x", "older_than_days": 3}
    ]})).unwrap();
    let text = c.to_json();
    let back = Condition::from_json(&text).unwrap();
    assert_eq!(back, c);
    assert_eq!(back.to_json(), text);
}

#[test]
fn compile_at_prefixes_paths() {
    let c = Condition::from_value(json!({"all": [{"field": "owner", "exists": true}]})).unwrap();
    let compiled = CompiledCondition::compile_at(&c, "rules[3].when").unwrap();
    let l = base_lead();
    let e = compiled.evaluate(&Facts::lead_only(&l, now()));
    assert_eq!(e.tree.path, "rules[3].when");
    assert_eq!(e.tree.children[0].path, "rules[3].when.all[0]");
    let bad = Condition::from_json(r#"{"all": [{"field": "nope", "exists": true}]}"#);
    assert!(bad.is_err());
}

// ---- properties ----

fn leaf() -> impl Strategy<Value = Value> {
    let industry = prop::sample::select(vec!["saas", "retail", "SaaS", "edu"]);
    let num_op = prop::sample::select(vec!["eq", "ne", "gt", "gte", "lt", "lte"]);
    let text_op = prop::sample::select(vec!["eq", "ne", "contains", "starts_with"]);
    let any_field = prop::sample::select(vec![
        "attributes.industry",
        "attributes.employees",
        "attributes.tags",
        "attributes.phone",
        "owner",
        "temperature",
        "attributes.absent",
    ]);
    let kinds =
        prop::sample::subsequence(vec!["download", "form_submit", "call", "page_view"], 1..=4);
    prop_oneof![
        (text_op, industry.clone()).prop_map(|(op, v)| json!({"field": "attributes.industry", op: v})),
        prop::collection::vec(industry, 1..3)
            .prop_flat_map(|vs| (Just(vs), any::<bool>()))
            .prop_map(|(vs, neg)| json!({"field": "attributes.industry", if neg {"not_in"} else {"in"}: vs})),
        (num_op, -5i32..300).prop_map(|(op, n)| json!({"field": "attributes.employees", op: n})),
        (0i32..200, 0i32..200).prop_map(|(a, b)| json!({"field": "attributes.employees", "between": [a.min(b), a.max(b)]})),
        (any_field.clone(), any::<bool>()).prop_map(|(f, e)| json!({"field": f, if e {"exists"} else {"missing"}: true})),
        prop::sample::select(vec!["cn_mobile", "email", "non_personal_email"])
            .prop_map(|v| json!({"field": "attributes.phone", "valid": v})),
        (prop::sample::select(vec!["tags", "industry"]), prop::sample::select(vec!["sales", "saas"]))
            .prop_map(|(f, v)| json!({"field": format!("attributes.{f}"), "contains": v})),
        (num_op_strategy(), 0i32..100).prop_map(|(op, n)| json!({"score": "behavior", op: n})),
        prop::sample::select(vec!["cold", "warm", "hot"]).prop_map(|t| json!({"field": "temperature", "gte": t})),
        (kinds, 1u32..40, 0u32..4, prop::option::of(0u32..4)).prop_map(|(k, d, lo, extra)| {
            let mut v = json!({"events": k, "within_days": d, "at_least": lo.max(1)});
            if let Some(x) = extra {
                v["at_most"] = json!(lo.max(1) + x);
            }
            v
        }),
        (1u32..60).prop_map(|d| json!({"field": "created_at", "within_days": d})),
    ]
}

fn num_op_strategy() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["eq", "ne", "gt", "gte", "lt", "lte"])
}

fn condition_json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| json!({"all": v})),
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| json!({"any": v})),
            inner.prop_map(|c| json!({"not": c})),
        ]
    })
}

fn lead_json() -> impl Strategy<Value = Value> {
    (
        prop::option::of(prop::sample::select(vec![json!("saas"), json!("Retail"), json!(""), json!(7)])),
        prop::option::of(prop::sample::select(vec![json!(5), json!(150), json!("many")])),
        prop::option::of(prop::sample::select(vec![json!(["sales"]), json!([]), json!(["x", "saas"])])),
        prop::option::of(prop::sample::select(vec![json!("13800138000"), json!("12345"), json!("a@b.cn"), json!("x@qq.com")])),
        prop::option::of(prop::sample::select(vec!["cold", "warm", "hot"])),
        0u32..90,
    )
        .prop_map(|(industry, employees, tags, phone, temp, age)| {
            let mut attrs = serde_json::Map::new();
            for (k, v) in [("industry", industry), ("employees", employees), ("tags", tags), ("phone", phone)] {
                if let Some(v) = v {
                    attrs.insert(k.to_string(), v);
                }
            }
            let created = now() - chrono::Duration::days(i64::from(age));
            let mut l = json!({"id": "L1", "created_at": crate::time::format(&created), "attributes": attrs, "owner": "rep"});
            if let Some(t) = temp {
                l["temperature"] = json!(t);
            }
            l
        })
}

fn events_strategy() -> impl Strategy<Value = Vec<Event>> {
    prop::collection::vec(
        (0u8..12, prop::sample::select(vec!["download", "form_submit", "call", "page_view"]), -50i64..3),
        0..12,
    )
    .prop_map(|items| {
        items
            .into_iter()
            .map(|(id, kind, day)| {
                // One id, one event: duplicates share everything.
                let at = now() + chrono::Duration::days(day) + chrono::Duration::hours(i64::from(id));
                serde_json::from_value(json!({
                    "id": format!("e{id}"), "lead_id": "L1", "kind": kind, "at": crate::time::format(&at)
                }))
                .unwrap()
            })
            .collect()
    })
}

fn scores_strategy() -> impl Strategy<Value = Scores> {
    prop::option::of(0f64..100.0)
        .prop_map(|s| s.into_iter().map(|v| ("behavior".to_string(), v)).collect())
}

fn run(c: &Condition, l: &Lead, evs: &[Event], scores: &Scores) -> (bool, Evaluation) {
    let compiled = CompiledCondition::new(c).unwrap();
    let facts = Facts::new(l, evs, now(), scores).unwrap();
    (compiled.matches(&facts), compiled.evaluate(&facts))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn fast_path_agrees_and_identities_hold(
        cj in condition_json(), lj in lead_json(), evs in events_strategy(), scores in scores_strategy()
    ) {
        let c = Condition::from_value(cj.clone()).unwrap();
        let l = lead(lj);
        let (fast, full) = run(&c, &l, &evs, &scores);
        prop_assert_eq!(fast, full.passed);

        let not_not = Condition::from_value(json!({"not": {"not": cj.clone()}})).unwrap();
        prop_assert_eq!(run(&not_not, &l, &evs, &scores).0, fast);
        prop_assert_eq!(run(&not_not, &l, &evs, &scores).1.passed, fast);
        let all_one = Condition::from_value(json!({"all": [cj.clone()]})).unwrap();
        prop_assert_eq!(run(&all_one, &l, &evs, &scores).1.passed, fast);
        let any_one = Condition::from_value(json!({"any": [cj.clone()]})).unwrap();
        prop_assert_eq!(run(&any_one, &l, &evs, &scores).0, fast);
    }

    #[test]
    fn independent_of_event_order_and_duplicates(
        cj in condition_json(), lj in lead_json(), evs in events_strategy(), scores in scores_strategy(), rot in 0usize..12
    ) {
        let c = Condition::from_value(cj).unwrap();
        let l = lead(lj);
        let mut shuffled: Vec<Event> = evs.iter().rev().cloned().collect();
        shuffled.extend(evs.iter().take(3).cloned());
        if !shuffled.is_empty() {
            let n = shuffled.len();
            shuffled.rotate_left(rot % n);
        }
        let a = run(&c, &l, &evs, &scores);
        let b = run(&c, &l, &shuffled, &scores);
        prop_assert_eq!(&a, &b);
        // Deterministic: the same call gives the same bytes.
        let again = run(&c, &l, &evs, &scores);
        prop_assert_eq!(input::to_value(&a.1).to_string(), input::to_value(&again.1).to_string());
    }

    #[test]
    fn json_round_trip_is_lossless(cj in condition_json()) {
        let c = Condition::from_value(cj).unwrap();
        let text = c.to_json();
        let back = Condition::from_json(&text).unwrap();
        prop_assert_eq!(&back, &c);
        prop_assert_eq!(back.to_json(), text);
    }
}
