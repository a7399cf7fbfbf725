use proptest::prelude::*;

use super::*;

fn load(json: &str) -> Result<Pipeline, ConfigError> {
    Pipeline::from_json(json)
}

fn moves(p: &Pipeline) -> Vec<String> {
    p.edges()
        .iter()
        .map(|e| format!("{}>{}:{}", e.from, e.to, e.kind_str()))
        .collect()
}

const BASE: &str = r#"{"stages": [
    {"id": "A", "kind": "pre_marketing"},
    {"id": "B", "kind": "marketing"},
    {"id": "C", "kind": "sales"},
    {"id": "W", "kind": "closed_won"},
    {"id": "L", "kind": "closed_lost"}
]"#;

fn with(extra: &str) -> String {
    format!("{BASE}{extra}}}")
}

#[test]
fn presets_validate_and_round_trip() {
    assert_eq!(Pipeline::preset_names().len(), 5);
    for name in Pipeline::preset_names() {
        let p = Pipeline::preset(name).unwrap();
        p.validate().unwrap_or_else(|e| panic!("{name}: {e}"));
        let text = p.to_json();
        assert_eq!(load(&text).unwrap(), p, "{name}");
        let by_ref = load(&format!(r#"{{"preset": "{name}"}}"#)).unwrap();
        assert_eq!(by_ref, p);
        assert_eq!(p.id.as_deref(), Some(*name));
    }
    assert_eq!(
        Pipeline::preset("nope").unwrap_err().code(),
        "unknown_preset"
    );
}

#[test]
fn preset_shapes_follow_the_seeds() {
    let p = Pipeline::preset("seed_003").unwrap();
    let ids: Vec<&str> = p.stages.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "MAL",
            "MIL",
            "MQL",
            "SQL",
            "Opportunity",
            "Won",
            "Lost",
            "Disqualified"
        ]
    );
    // Seed 003's own order: MQL goes straight to SQL, and sales have no rejection back.
    assert_eq!(p.edge("MQL", "SQL").unwrap().kind, EdgeKind::Forward);
    assert!(p.edges().iter().all(|e| e.kind != EdgeKind::Reject));
    assert_eq!(
        p.edge("MIL", "Disqualified").unwrap().kind,
        EdgeKind::Disqualify
    );
    assert!(p.edge("Won", "Disqualified").is_none());

    let p = Pipeline::preset("seed_004").unwrap();
    let forward: Vec<String> = p
        .edges()
        .into_iter()
        .filter(|e| e.kind == EdgeKind::Forward && e.to != "Lost")
        .map(|e| e.to)
        .collect();
    assert_eq!(forward, ["MQL", "Submitted", "SAL", "SQL", "Won"]);
    for s in ["Submitted", "SAL", "SQL"] {
        assert_eq!(p.edge(s, "MQL").unwrap().kind, EdgeKind::Reject, "{s}");
    }

    let p = Pipeline::preset("seed_001").unwrap();
    assert_eq!(p.edge("SQL", "SAL").unwrap().kind, EdgeKind::Forward);
    assert_eq!(p.edge("SAL", "SQL").unwrap().kind, EdgeKind::Downgrade);
    assert_eq!(p.policies.stale.len(), 2);

    let p = Pipeline::preset("seed_000").unwrap();
    let tracked: Vec<&str> = p
        .stages
        .iter()
        .filter(|s| s.tracks_amount)
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(tracked, ["Opportunity", "Order", "Payment", "Lost"]);

    let p = Pipeline::preset("seed_004_sales").unwrap();
    let probs: Vec<f64> = p.stages.iter().filter_map(|s| s.probability).collect();
    assert_eq!(probs, [0.25, 0.5, 0.6, 0.8, 1.0, 0.0]);
    for s in ["Qualify", "Demonstration", "Proposal", "Close"] {
        assert_eq!(p.edge(s, "Lost").unwrap().kind, EdgeKind::Forward, "{s}");
    }
    // The explicit `Close → Lost` replaces the generated one rather than doubling it.
    assert_eq!(p.edges_from("Close").len(), 3);
}

#[test]
fn forward_rules_generate_moves() {
    let p = load(&with("")).unwrap();
    assert_eq!(
        moves(&p),
        ["A>B:forward", "B>C:forward", "C>W:forward", "C>L:forward"]
    );
    let p = load(&with(r#", "forward": "skip""#)).unwrap();
    assert_eq!(moves(&p).len(), 4 + 3 + 2);
    assert!(moves(&p).contains(&"A>W:forward".to_string()));
    let e = load(&with(r#", "forward": "explicit""#)).unwrap_err();
    assert_eq!((e.code(), e.path.as_str()), ("invalid_value", "stages[1]"));
}

#[test]
fn explicit_edges_expand_and_override() {
    let p = load(&with(
        r#", "edges": [
            {"from": "C", "to": "A", "kind": "reject"},
            {"from_kinds": ["sales", "marketing"], "to": "L", "kind": "forward"},
            {"from": ["L"], "to": "B", "kind": "recycle"},
            {"from": "C", "to": "W", "kind": "forward"}
        ]"#,
    ))
    .unwrap();
    assert_eq!(
        moves(&p),
        [
            "A>B:forward",
            "B>C:forward",
            "C>W:forward",
            "C>L:forward",
            "C>A:reject",
            "B>L:forward",
            "L>B:recycle"
        ]
    );
    assert_eq!(p.edges_from("W"), vec![]);
}

#[test]
fn bad_configs_name_the_path() {
    let cases: Vec<(String, &str, &str)> = vec![
        (r#"{"stages": []}"#.into(), "invalid_value", "stages"),
        (
            r#"{"stages": [{"id": "A", "kind": "marketing"}, {"id": "A", "kind": "sales"}]}"#
                .into(),
            "duplicate_id",
            "stages[1].id",
        ),
        (
            r#"{"stages": [{"id": " A", "kind": "marketing"}]}"#.into(),
            "invalid_value",
            "stages[0].id",
        ),
        (
            r#"{"stages": [{"id": "A", "kind": "marketing", "probability": 1.5}]}"#.into(),
            "invalid_value",
            "stages[0].probability",
        ),
        (
            r#"{"stages": [{"id": "A", "kind": "marketing", "probability": -0.1}]}"#.into(),
            "invalid_value",
            "stages[0].probability",
        ),
        (
            r#"{"stages": [{"id": "A", "kind": "marketing", "probability": "0.5"}]}"#.into(),
            "invalid_type",
            "stages[0].probability",
        ),
        (
            r#"{"stages": [{"id": "A", "kind": "lead"}]}"#.into(),
            "invalid_type",
            "stages[0].kind",
        ),
        (
            r#"{"stages": [{"id": "A", "kind": "marketing", "prob": 1}]}"#.into(),
            "unknown_field",
            "stages[0].prob",
        ),
        (
            r#"{"stages": [{"id": "W", "kind": "closed_won"}]}"#.into(),
            "invalid_value",
            "stages[0].kind",
        ),
        (with(r#", "entry": "Z""#), "unknown_reference", "entry"),
        (with(r#", "entry": "W""#), "invalid_value", "entry"),
        (
            with(r#", "forward": "sideways""#),
            "invalid_type",
            "forward",
        ),
        (
            with(r#", "edges": [{"from": "C", "to": "Z", "kind": "reject"}]"#),
            "unknown_reference",
            "edges[0].to",
        ),
        (
            with(r#", "edges": [{"from": ["C", "Z"], "to": "A", "kind": "reject"}]"#),
            "unknown_reference",
            "edges[0].from[1]",
        ),
        (
            with(r#", "edges": [{"from": "A", "to": "C", "kind": "reject"}]"#),
            "invalid_value",
            "edges[0].kind",
        ),
        (
            with(r#", "edges": [{"from": "C", "to": "A", "kind": "enter"}]"#),
            "invalid_value",
            "edges[0].kind",
        ),
        (
            with(r#", "edges": [{"from": "C", "to": "A", "kind": "disqualify"}]"#),
            "invalid_value",
            "edges[0].kind",
        ),
        (
            with(r#", "edges": [{"from": "C", "to": "A", "kind": "reopen"}]"#),
            "invalid_value",
            "edges[0].kind",
        ),
        (
            with(r#", "edges": [{"from": "C", "to": "C", "kind": "reject"}]"#),
            "invalid_value",
            "edges[0].from[0]",
        ),
        (
            with(r#", "edges": [{"to": "A", "kind": "reject"}]"#),
            "missing_field",
            "edges[0].from",
        ),
        (
            with(r#", "edges": [{"from": 7, "to": "A", "kind": "reject"}]"#),
            "invalid_type",
            "edges[0].from",
        ),
        (
            with(r#", "edges": [{"from_kinds": ["closed_won"], "to": "A", "kind": "reject"}]"#),
            "invalid_value",
            "edges[0].from_kinds",
        ),
        (
            with(
                r#", "edges": [{"from": "C", "to": "A", "kind": "reject"}, {"from_kinds": ["sales"], "to": "A", "kind": "downgrade"}]"#,
            ),
            "duplicate_id",
            "edges[1]",
        ),
        (
            with(r#", "policies": {"stale": [{"stage": "C", "after_days": 0}]}"#),
            "invalid_value",
            "policies.stale[0].after_days",
        ),
        (
            with(r#", "policies": {"stale": [{"stage": "C", "after_days": -2}]}"#),
            "invalid_value",
            "policies.stale[0].after_days",
        ),
        (
            with(r#", "policies": {"stale": [{"stage": "C", "after_days": 1e9}]}"#),
            "invalid_value",
            "policies.stale[0].after_days",
        ),
        (
            with(r#", "policies": {"stale": [{"stage": "Q", "after_days": 2}]}"#),
            "unknown_reference",
            "policies.stale[0].stage",
        ),
        (
            with(r#", "policies": {"stale": [{"stage": "W", "after_days": 2}]}"#),
            "invalid_value",
            "policies.stale[0].stage",
        ),
        (
            with(r#", "policies": {"stale": [{"stage": "C", "after_days": 2, "to": "A"}]}"#),
            "invalid_value",
            "policies.stale[0].to",
        ),
        (
            with(
                r#", "policies": {"stale": [{"stage": "C", "after_days": 2, "activity_kinds": []}]}"#,
            ),
            "invalid_value",
            "policies.stale[0].activity_kinds",
        ),
        (
            with(r#", "policies": {"rejection": {"cooldown_days": 0}}"#),
            "invalid_value",
            "policies.rejection.cooldown_days",
        ),
        (
            with(r#", "policies": {"rejection": {"evidence_kinds": []}}"#),
            "invalid_value",
            "policies.rejection.evidence_kinds",
        ),
        (
            with(r#", "policies": {"rejection": {"evidence_kinds": ["tweet"]}}"#),
            "invalid_type",
            "policies.rejection.evidence_kinds[0]",
        ),
        (
            r#"{"preset": "seed_999"}"#.into(),
            "unknown_preset",
            "preset",
        ),
        (r#"{"preset": 3}"#.into(), "invalid_type", "preset"),
        (
            r#"{"preset": "seed_001", "entry": "SQL"}"#.into(),
            "unknown_field",
            "entry",
        ),
        (
            r#"{"stages": [{"id": "A", "kind": "marketing"}"#.into(),
            "json_syntax",
            "stages",
        ),
    ];
    for (json, code, path) in cases {
        let e = load(&json).unwrap_err();
        assert_eq!((e.code(), e.path.as_str()), (code, path), "{json}: {e}");
    }
}

#[test]
fn non_finite_numbers_from_rust_are_refused() {
    let mut p = Pipeline::preset("seed_004_sales").unwrap();
    p.stages[1].probability = Some(f64::NAN);
    let e = p.validate().unwrap_err();
    assert_eq!(
        (e.code(), e.path.as_str()),
        ("not_finite", "stages[1].probability")
    );
    let mut p = Pipeline::preset("seed_001").unwrap();
    p.policies.rejection.cooldown_days = f64::INFINITY;
    let e = p.validate().unwrap_err();
    assert_eq!(
        (e.code(), e.path.as_str()),
        ("not_finite", "policies.rejection.cooldown_days")
    );
}

#[test]
fn defaults_are_filled_in_the_normalized_form() {
    let p = load(&with("")).unwrap();
    let v = input::to_value(&p);
    assert_eq!(v["forward"], "adjacent");
    assert_eq!(v["policies"]["rejection"]["cooldown_days"], 7.0);
    assert_eq!(v["policies"]["rejection"]["exclude_rejecting_owner"], true);
    assert!(v.get("entry").is_none());
    assert_eq!(p.entry_stage(), Some("A"));
}

fn kind_strategy() -> impl Strategy<Value = StageKind> {
    prop_oneof![
        Just(StageKind::PreMarketing),
        Just(StageKind::Marketing),
        Just(StageKind::Sales),
        Just(StageKind::ClosedWon),
        Just(StageKind::ClosedLost),
        Just(StageKind::Disqualified),
    ]
}

fn pipeline_strategy() -> impl Strategy<Value = Pipeline> {
    (
        proptest::collection::vec(
            (
                kind_strategy(),
                proptest::option::of(0.0f64..=1.0),
                any::<bool>(),
            ),
            1..9,
        ),
        0usize..3,
        proptest::collection::vec((0usize..9, 0usize..9, 0usize..6, any::<bool>()), 0..6),
        proptest::option::of(0.01f64..100.0),
    )
        .prop_map(|(stages, forward, edges, stale)| {
            let n = stages.len();
            let stages: Vec<Stage> = stages
                .into_iter()
                .enumerate()
                .map(|(i, (kind, probability, tracks_amount))| Stage {
                    id: format!("S{i}"),
                    name: (i % 2 == 0).then(|| format!("Stage {i}")),
                    kind,
                    probability,
                    tracks_amount,
                })
                .collect();
            let kinds = [
                EdgeKind::Forward,
                EdgeKind::Downgrade,
                EdgeKind::Reject,
                EdgeKind::Recycle,
                EdgeKind::Disqualify,
                EdgeKind::Reopen,
            ];
            let edges: Vec<EdgeSpec> = edges
                .into_iter()
                .map(|(a, b, k, by_kind)| EdgeSpec {
                    from: if by_kind {
                        Vec::new()
                    } else {
                        vec![format!("S{}", a % n)]
                    },
                    from_kinds: if by_kind {
                        vec![stages[a % n].kind]
                    } else {
                        Vec::new()
                    },
                    to: format!("S{}", b % n),
                    kind: kinds[k],
                })
                .collect();
            Pipeline {
                id: None,
                stages,
                entry: None,
                forward: [
                    ForwardRule::Adjacent,
                    ForwardRule::Skip,
                    ForwardRule::Explicit,
                ][forward],
                edges,
                policies: Policies {
                    stale: stale
                        .map(|d| StaleRule {
                            stage: "S0".into(),
                            after_days: d,
                            to: None,
                            since: StaleSince::LastActivity,
                            activity_kinds: None,
                            reason: None,
                        })
                        .into_iter()
                        .collect(),
                    rejection: RejectionPolicy::default(),
                },
            }
        })
}

proptest! {
    #[test]
    fn every_config_round_trips(p in pipeline_strategy()) {
        // Serde round trip holds for any config; the validated round trip for valid ones.
        let back: Pipeline = input::from_json(&p.to_json()).unwrap();
        prop_assert_eq!(&back, &p);
        if p.validate().is_ok() {
            prop_assert_eq!(Pipeline::from_json(&p.to_json()).unwrap(), p.clone());
            // Every generated or explicit edge joins two stages of the pipeline.
            for e in p.edges() {
                prop_assert!(p.stage(&e.from).is_some() && p.stage(&e.to).is_some());
            }
        }
    }

    #[test]
    fn single_edge_lookup_agrees_with_the_edge_list(p in pipeline_strategy()) {
        let all = p.edges();
        for a in &p.stages {
            for b in &p.stages {
                let listed = all.iter().find(|e| e.from == a.id && e.to == b.id).cloned();
                prop_assert_eq!(p.edge(&a.id, &b.id), listed);
            }
            let from: Vec<Edge> = all.iter().filter(|e| e.from == a.id).cloned().collect();
            prop_assert_eq!(p.edges_from(&a.id), from);
        }
    }
}

/// Pipelines that are valid by construction: open stages in kind order, then optional
/// Won / Lost / Disqualified stages, random backward edges between open stages, and the edges
/// that make every stage reachable.
pub(crate) fn valid_pipeline_strategy() -> impl Strategy<Value = Pipeline> {
    (
        proptest::collection::vec((0usize..3, proptest::option::of(0.0f64..=1.0)), 1..7),
        (any::<bool>(), any::<bool>(), any::<bool>()),
        any::<bool>(),
        proptest::collection::vec((0usize..7, 0usize..7, 0usize..3), 0..5),
        proptest::option::of((0usize..7, 0.01f64..30.0, any::<bool>())),
        0.01f64..60.0,
    )
        .prop_map(|(open, (won, lost, dq), skip, back, stale, cooldown)| {
            let mut kinds: Vec<(usize, Option<f64>)> = open;
            kinds.sort_by_key(|k| k.0);
            let open_kinds = [
                StageKind::PreMarketing,
                StageKind::Marketing,
                StageKind::Sales,
            ];
            let mut stages: Vec<Stage> = kinds
                .iter()
                .enumerate()
                .map(|(i, (k, probability))| Stage {
                    id: format!("O{i}"),
                    name: None,
                    kind: open_kinds[*k],
                    probability: *probability,
                    tracks_amount: *k == 2,
                })
                .collect();
            let n = stages.len();
            let closed = |id: &str, kind| Stage {
                id: id.into(),
                name: Some(id.to_lowercase()),
                kind,
                probability: None,
                tracks_amount: false,
            };
            if won {
                stages.push(closed("Won", StageKind::ClosedWon));
            }
            if lost {
                stages.push(closed("Lost", StageKind::ClosedLost));
            }
            let mut edges = Vec::new();
            if dq {
                stages.push(closed("DQ", StageKind::Disqualified));
                edges.push(EdgeSpec {
                    from: Vec::new(),
                    from_kinds: open_kinds.to_vec(),
                    to: "DQ".into(),
                    kind: EdgeKind::Disqualify,
                });
                edges.push(EdgeSpec {
                    from: vec!["DQ".into()],
                    from_kinds: Vec::new(),
                    to: "O0".into(),
                    kind: EdgeKind::Reopen,
                });
            }
            let mut seen = std::collections::BTreeSet::new();
            for (a, b, k) in back {
                let (hi, lo) = (a % n, b % n);
                if hi > lo && seen.insert((hi, lo)) {
                    edges.push(EdgeSpec {
                        from: vec![format!("O{hi}")],
                        from_kinds: Vec::new(),
                        to: format!("O{lo}"),
                        kind: [EdgeKind::Downgrade, EdgeKind::Reject, EdgeKind::Recycle][k],
                    });
                }
            }
            if lost {
                edges.push(EdgeSpec {
                    from: vec!["Lost".into()],
                    from_kinds: Vec::new(),
                    to: "O0".into(),
                    kind: EdgeKind::Reopen,
                });
            }
            let stale_rules = stale
                .map(|(i, days, with_to)| {
                    let i = i % n;
                    StaleRule {
                        stage: format!("O{i}"),
                        after_days: days,
                        to: (with_to && i > 0 && seen.contains(&(i, i - 1)))
                            .then(|| format!("O{}", i - 1)),
                        since: StaleSince::LastActivity,
                        activity_kinds: None,
                        reason: None,
                    }
                })
                .into_iter()
                .collect();
            Pipeline {
                id: Some("random".into()),
                stages,
                entry: None,
                forward: if skip {
                    ForwardRule::Skip
                } else {
                    ForwardRule::Adjacent
                },
                edges,
                policies: Policies {
                    stale: stale_rules,
                    rejection: RejectionPolicy {
                        cooldown_days: cooldown,
                        ..RejectionPolicy::default()
                    },
                },
            }
        })
}

proptest! {
    #[test]
    fn valid_configs_round_trip_through_validation(p in valid_pipeline_strategy()) {
        p.validate().unwrap();
        let back = Pipeline::from_json(&p.to_json()).unwrap();
        prop_assert_eq!(back, p);
    }
}
