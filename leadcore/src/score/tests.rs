//! Scoring tests: hand-computed cases and the invariants of the issue as properties.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::columns::{ColumnBuffers, MISSING_TIME, NO_DETAIL, NO_ID};
use super::*;
use crate::condition::{CompiledCondition, Condition};
use crate::input::Config;
use crate::lead::AttrValue;

const NOW: &str = "2026-11-23T00:00:00Z";

fn now() -> DateTime<Utc> {
    crate::time::parse(NOW).unwrap()
}

fn at(days_ago: f64) -> String {
    let t = now() - chrono::Duration::seconds((days_ago * 86_400.0) as i64);
    crate::time::format(&t)
}

fn scorer(model: Value) -> Scorer {
    Scorer::new(ScoringModel::from_value(model).unwrap()).unwrap()
}

fn lead(id: &str) -> Lead {
    serde_json::from_value(json!({"id": id, "created_at": "2026-08-01T00:00:00Z"})).unwrap()
}

fn events(v: Value) -> Vec<Event> {
    serde_json::from_value(v).unwrap()
}

fn ev(id: &str, kind: &str, days_ago: f64) -> Value {
    json!({"id": id, "lead_id": "L1", "kind": kind, "at": at(days_ago)})
}

#[test]
fn half_life_steps_and_window_decay() {
    let s = scorer(json!({"behavior": {"groups": [
        {"id": "hl", "decay": {"type": "half_life", "half_life_days": 10}, "rules": [
            {"id": "dl", "kind": "download", "points": 8}]},
        {"id": "st", "decay": {"type": "steps", "steps": [
            {"after_days": 30, "reduce": 0.25}, {"after_days": 60, "reduce": 0.5}]}, "rules": [
            {"id": "pv", "kind": "page_view", "points": 4}]},
        {"id": "win", "decay": {"type": "window", "days": 7}, "rules": [
            {"id": "form", "kind": "form_submit", "points": 10}]}
    ]}}));
    let e = events(json!([
        ev("a", "download", 10.0),
        ev("b", "download", 20.0),
        ev("c", "page_view", 1.0),
        ev("d", "page_view", 45.0),
        ev("e", "page_view", 90.0),
        ev("f", "form_submit", 3.0),
        ev("g", "form_submit", 8.0)
    ]));
    let r = scorer_score(&s, &e);
    // 8·0.5 + 8·0.25 = 6; 4 + 3 + 2 = 9; one form in the window = 10
    assert_eq!(r.behavior.score, 25.0);
    let lines = &r.behavior.breakdown;
    assert_eq!(
        (
            lines[0].events,
            lines[0].raw,
            lines[0].decay,
            lines[0].points
        ),
        (2, 16.0, 0.375, 6.0)
    );
    assert_eq!(
        (
            lines[1].events,
            lines[1].raw,
            lines[1].decay,
            lines[1].points
        ),
        (3, 12.0, 0.75, 9.0)
    );
    assert_eq!((lines[2].events, lines[2].points), (1, 10.0));
}

fn scorer_score(s: &Scorer, e: &[Event]) -> LeadScore {
    s.score(&lead("L1"), e, now()).unwrap()
}

#[test]
fn first_matching_rule_claims_and_repeat_semantics() {
    let s = scorer(json!({"behavior": {"groups": [{"id": "web", "rules": [
        {"id": "pricing", "kind": "page_view", "points": 5, "repeat": "once",
         "where": {"field": "properties.url", "eq": "/pricing"}},
        {"id": "view", "kind": "page_view", "points": 1},
        {"id": "open", "kind": "email_open", "points": 2, "repeat": {"once_per": "properties.email"}}
    ]}]}}));
    let mut e = vec![];
    for (i, url) in ["/pricing", "/pricing", "/blog", "/pricing"]
        .iter()
        .enumerate()
    {
        e.push(
            json!({"id": format!("p{i}"), "lead_id": "L1", "kind": "page_view",
                      "at": at(i as f64), "properties": {"url": url}}),
        );
    }
    for (i, mail) in ["m1", "m1", "m2"].iter().enumerate() {
        e.push(
            json!({"id": format!("o{i}"), "lead_id": "L1", "kind": "email_open",
                      "at": at(i as f64), "properties": {"email": mail}}),
        );
    }
    e.push(json!({"id": "o9", "lead_id": "L1", "kind": "email_open", "at": at(1.0)}));
    let r = scorer_score(&s, &events(Value::Array(e)));
    let lines: Vec<(&str, u32, f64)> = r
        .behavior
        .breakdown
        .iter()
        .map(|l| (l.rule.as_str(), l.events, l.points))
        .collect();
    // pricing counts once; the other pricing views are claimed (not passed on to `view`)
    assert_eq!(
        lines,
        [("pricing", 1, 5.0), ("view", 1, 1.0), ("open", 3, 6.0)]
    );
}

#[test]
fn a_rule_window_is_part_of_matching() {
    // In one group, `recent` claims only searches of the last day; older ones fall through to
    // `month`, and those older than 30 days match no rule.
    let s = scorer(json!({"behavior": {"groups": [{"id": "search", "rules": [
        {"id": "recent", "kind": "search", "points": 3, "within_days": 1},
        {"id": "month", "kind": "search", "points": 1, "within_days": 30}
    ]}]}}));
    let e = events(json!([
        ev("s1", "search", 0.5),
        ev("s2", "search", 10.0),
        ev("s3", "search", 20.0),
        ev("s4", "search", 40.0)
    ]));
    let lines: Vec<(String, u32, f64)> = scorer_score(&s, &e)
        .behavior
        .breakdown
        .into_iter()
        .map(|l| (l.rule, l.events, l.points))
        .collect();
    assert_eq!(
        lines,
        [
            ("recent".to_string(), 1, 3.0),
            ("month".to_string(), 2, 2.0)
        ]
    );
    // The shipped preset has the same pair: its `search_30d` rule scores.
    let preset = Scorer::new(ScoringModel::preset("b2b_default").unwrap()).unwrap();
    let r = scorer_score(&preset, &events(json!([ev("s2", "search", 10.0)])));
    assert_eq!(r.behavior.breakdown[0].rule, "search_30d");
}

#[test]
fn caps_daily_group_and_total() {
    let s = scorer(json!({"behavior": {
        "groups": [{"id": "web", "cap": 12, "rules": [
            {"id": "view", "kind": "page_view", "points": 1},
            {"id": "dl", "kind": "download", "points": 10}]}],
        "daily_caps": {"page_view": 3},
        "utc_offset_minutes": 480,
        "ceiling": 10
    }}));
    // five views on one Beijing day (15:00–19:00 UTC of 2026-11-20 is 23:00–03:00 Beijing: two
    // days), one download
    let mut e = vec![];
    for h in 15..20 {
        e.push(
            json!({"id": format!("v{h}"), "lead_id": "L1", "kind": "page_view",
                      "at": format!("2026-11-20T{h}:00:00Z")}),
        );
    }
    e.push(ev("d", "download", 1.0));
    let r = scorer_score(&s, &events(Value::Array(e)));
    let view = &r.behavior.breakdown[0];
    // Beijing 23:00 (1 view) on the 20th, then 00:00–03:00 (4 views, 3 count) on the 21st
    assert_eq!((view.events, view.capped_events), (4, 1));
    assert_eq!(view.caps, [caps::CapKind::KindDaily, caps::CapKind::Group]);
    let g = &r.behavior.groups[0];
    assert_eq!(
        (g.points_before_cap, g.cap, g.points),
        (14.0, Some(12.0), 12.0)
    );
    // lines scaled by 12/14 add up to the cap
    let sum: f64 = r.behavior.breakdown.iter().map(|l| l.points).sum();
    assert!((sum - 12.0).abs() < 1e-3);
    assert_eq!(r.behavior.score, 10.0);
    let clamp = r.behavior.clamp.unwrap();
    assert_eq!(
        (clamp.bound, clamp.before),
        (behavior::Bound::Ceiling, 12.0)
    );
}

#[test]
fn negative_points_floor_and_silence() {
    let s = scorer(json!({"behavior": {
        "groups": [{"id": "g", "rules": [
            {"id": "view", "kind": "page_view", "points": 3},
            {"id": "unsub", "kind": "custom", "points": -10,
             "where": {"field": "name", "eq": "unsubscribe"}}]}],
        "silence": {"tiers": [{"after_days": 7, "points": -2}, {"after_days": 30, "points": -5}]}
    }}));
    let e = events(json!([ev("a", "page_view", 8.0)]));
    let r = scorer_score(&s, &e);
    assert_eq!(r.behavior.score, 1.0);
    assert_eq!(r.behavior.silence.days_silent, 8.0);
    assert_eq!(r.behavior.silence.tier_after_days, Some(7.0));
    assert_eq!(r.behavior.silence.next_reactivation, Some(30.0));
    let e = events(json!([ev("a", "page_view", 8.0),
        {"id": "u", "lead_id": "L1", "kind": "custom", "name": "unsubscribe", "at": at(9.0)}]));
    let r = scorer_score(&s, &e);
    assert_eq!(r.behavior.score, 0.0);
    assert_eq!(r.behavior.clamp.as_ref().unwrap().before, -9.0);
    // no events: silent since creation (2026-08-01 → 114 days)
    let r = scorer_score(&s, &[]);
    assert_eq!(
        (r.behavior.silence.days_silent, r.behavior.silence.points),
        (114.0, -5.0)
    );
    assert_eq!(r.behavior.silence.reactivation_due, Some(60.0));
}

#[test]
fn future_duplicate_and_missing_time_events_are_counted_not_scored() {
    let s = scorer(json!({"behavior": {"groups": [{"id": "g", "rules": [
        {"id": "view", "kind": "page_view", "points": 1}]}]}}));
    let e = events(json!([ev("a", "page_view", 1.0), ev("a", "page_view", 1.0),
        ev("b", "page_view", -2.0), ev("c", "page_view", 2.0),
        {"id": "c", "lead_id": "L1", "kind": "page_view", "at": at(5.0)}]));
    let r = scorer_score(&s, &e);
    assert_eq!(r.behavior.score, 2.0);
    assert_eq!(
        r.behavior.ignored,
        behavior::Ignored {
            future: 1,
            missing_time: 0,
            duplicates: 2
        }
    );
    let leads = [lead("L1")];
    let cols = EventColumns {
        lead: &[0, 0],
        kind: &[0, 0],
        at: &[MISSING_TIME, unix_seconds(now())],
        id: None,
        detail: None,
        details: &[],
        unmatched: 0,
    };
    let b = s.score_columns(&leads, cols, now(), 1).unwrap();
    assert_eq!(b.leads[0].behavior.ignored.missing_time, 1);
    assert_eq!(b.leads[0].behavior.score, 1.0);
}

#[test]
fn columnar_errors_name_column_and_row() {
    let s = scorer(json!({}));
    let leads = [lead("L1")];
    let base = EventColumns {
        lead: &[0, 1],
        kind: &[0, 0],
        at: &[0, 0],
        id: None,
        detail: None,
        details: &[],
        unmatched: 0,
    };
    let e = s.score_columns(&leads, base, now(), 1).unwrap_err();
    assert_eq!(
        (e.code(), e.path.as_str()),
        ("invalid_value", "events.lead[1]")
    );
    let e = s
        .score_table(
            &leads,
            EventColumns {
                lead: &[0, 0],
                kind: &[0, 12],
                ..base
            },
            now(),
            1,
        )
        .unwrap_err();
    assert_eq!(e.path, "events.kind[1]");
    let e = s
        .score_table(
            &leads,
            EventColumns {
                lead: &[0, 0],
                at: &[0],
                ..base
            },
            now(),
            1,
        )
        .unwrap_err();
    assert_eq!(e.path, "events.at");
    let e = s
        .score_table(
            &leads,
            EventColumns {
                lead: &[0, 0],
                detail: Some(&[NO_DETAIL, 3]),
                ..base
            },
            now(),
            1,
        )
        .unwrap_err();
    assert_eq!(e.path, "events.detail[1]");
    let other = events(json!([{"lead_id": "L2", "kind": "call", "at": NOW}]));
    let e = s.score(&lead("L1"), &other, now()).unwrap_err();
    assert_eq!(e.path, "events[0].lead_id");
    let e = s
        .score_batch(&[lead("L1"), lead("L1")], &[], now(), 1)
        .unwrap_err();
    assert_eq!((e.code(), e.path.as_str()), ("duplicate_id", "leads[1].id"));
}

#[test]
fn config_errors_have_paths_and_codes() {
    let cases = [
        (
            json!({"behavior": {"groups": [{"id": "g", "decay": {"type": "half_life", "half_life_days": 0}, "rules": []}]}}),
            "invalid_value",
            "behavior.groups[0].decay.half_life_days",
        ),
        (
            json!({"behavior": {"groups": [{"id": "g", "rules": [{"id": "r", "kind": "tweet", "points": 1}]}]}}),
            "unknown_reference",
            "behavior.groups[0].rules[0].kind",
        ),
        (
            json!({"behavior": {"groups": [{"id": "g", "rules": [{"id": "r", "kind": "call", "points": 1},
            {"id": "r", "kind": "call", "points": 2}]}]}}),
            "duplicate_id",
            "behavior.groups[0].rules[1].id",
        ),
        (
            json!({"behavior": {"groups": [{"id": "g", "cap": -1, "rules": []}]}}),
            "invalid_value",
            "behavior.groups[0].cap",
        ),
        (
            json!({"behavior": {"groups": [{"id": "g", "rules": [{"id": "r", "kind": "call", "points": 1,
            "where": {"field": "at", "within_days": 3}}]}]}}),
            "invalid_value",
            "behavior.groups[0].rules[0].where.field",
        ),
        (
            json!({"behavior": {"daily_caps": {"page_view": 0}}}),
            "invalid_value",
            "behavior.daily_caps.page_view",
        ),
        (
            json!({"fit": {"rules": [{"type": "condition", "id": "c", "points": 1,
            "when": {"score": "behavior", "gte": 1}}]}}),
            "invalid_value",
            "fit.rules[0].when.score",
        ),
        (
            json!({"combine": {"type": "weighted", "fit": -0.5}}),
            "invalid_value",
            "combine.fit",
        ),
        (
            json!({"tiers": {"type": "quantiles", "high": 0.2, "mid": 0.5}}),
            "invalid_value",
            "tiers.mid",
        ),
        (
            json!({"source": {"counts": {"sem": {"leads": 1, "converted": 2}}}}),
            "invalid_value",
            "source.counts.sem.converted",
        ),
        (json!({"bogus": 1}), "unknown_field", "bogus"),
        (json!({"preset": "nope"}), "unknown_preset", "preset"),
    ];
    for (model, code, path) in cases {
        let e = ScoringModel::from_value(model.clone()).unwrap_err();
        assert_eq!((e.code(), e.path.as_str()), (code, path), "{model}");
    }
    // NaN cannot come through JSON, but a Rust caller can build it
    let mut m = ScoringModel::default();
    m.behavior.ceiling = Some(f64::NAN);
    assert_eq!(m.validate().unwrap_err().code(), "not_finite");
}

#[test]
fn fit_condition_rules_and_matrix() {
    let s = scorer(json!({
        "fit": {"rules": [
            {"type": "condition", "id": "team", "points": 20, "grade": 3,
             "when": {"field": "attributes.business_types", "in": ["sales", "marketing"]}},
            {"type": "condition", "id": "non_personal", "points": 10, "grade": 2,
             "when": {"field": "attributes.personal_use", "eq": false}}]},
        "combine": {"type": "matrix",
            "fit_axis": "grade",
            "fit_bands": [{"label": "A", "min_grade": "B-"}, {"label": "B", "min_grade": "D"}, {"label": "C"}],
            "engagement_bands": [{"label": "1", "min": 10}, {"label": "2"}],
            "cells": {"A1": {"score": 100, "tier": "high"}, "A2": {"score": 70, "tier": "mid"},
                      "B1": {"score": 60, "tier": "mid"}, "B2": {"score": 30, "tier": "low"},
                      "C1": {"score": 20, "tier": "low"}, "C2": {"score": 0, "tier": "low"}}}
    }));
    let mut l = lead("L1");
    l.attributes.insert(
        "business_types".into(),
        AttrValue::List(vec!["sales".into()]),
    );
    l.attributes
        .insert("personal_use".into(), AttrValue::Bool(false));
    let r = s.score(&l, &[], now()).unwrap();
    // D + 3 + 1 thirds = B-
    assert_eq!((r.fit.score, r.fit.grade), (30.0, Grade::BMinus));
    assert_eq!(
        (r.combined.cell.as_deref(), r.combined.tier),
        (Some("A2"), Some(Tier::Mid))
    );
    let r = s.score(&lead("L1"), &[], now()).unwrap();
    assert_eq!(r.fit.breakdown[0].outcome, fit::Outcome::Missing);
    assert_eq!(
        (r.fit.grade, r.combined.cell.as_deref()),
        (Grade::D, Some("B2"))
    );
}

#[test]
fn quantile_tiers_come_from_the_batch() {
    let s = scorer(json!({
        "behavior": {"groups": [{"id": "g", "rules": [{"id": "v", "kind": "page_view", "points": 1}]}]},
        "tiers": {"type": "quantiles", "high": 0.75, "mid": 0.25}
    }));
    let leads: Vec<Lead> = (0..8).map(|i| lead(&format!("L{i}"))).collect();
    let mut e = vec![];
    for i in 0..8 {
        for j in 0..i {
            e.push(
                json!({"lead_id": format!("L{i}"), "kind": "page_view", "at": at(f64::from(j))}),
            );
        }
    }
    let b = s
        .score_batch(&leads, &events(Value::Array(e)), now(), 2)
        .unwrap();
    let tiers: Vec<Option<Tier>> = b.leads.iter().map(|l| l.combined.tier).collect();
    assert_eq!(
        b.cutoffs,
        Some(Cutoffs {
            high: 6.0,
            mid: 2.0
        })
    );
    assert_eq!(tiers[7], Some(Tier::High));
    assert_eq!(tiers[1], Some(Tier::Low));
    assert_eq!(s.score(&leads[7], &[], now()).unwrap().combined.tier, None);
}

#[test]
fn what_if_lists_tier_and_mql_changes() {
    let model = |points: f64| {
        scorer(json!({
            "behavior": {"groups": [{"id": "g", "rules": [{"id": "v", "kind": "download", "points": points}]}]},
            "tiers": {"type": "thresholds", "high": 20, "mid": 10}
        }))
    };
    let (current, proposed) = (model(5.0), model(10.0));
    let mql = CompiledCondition::new(
        &Condition::from_value(json!({"score": "behavior", "gte": 15})).unwrap(),
    )
    .unwrap();
    let leads = [lead("L1"), lead("L2")];
    let e = events(json!([
        {"lead_id": "L1", "kind": "download", "at": at(1.0)},
        {"lead_id": "L1", "kind": "download", "at": at(2.0)},
        {"lead_id": "L2", "kind": "download", "at": at(2.0)}
    ]));
    let w = what_if(&current, &proposed, Some(&mql), &leads, &e, now(), 1).unwrap();
    assert_eq!(w.changed.len(), 2);
    assert_eq!(w.tier_moves.get("mid->high"), Some(&1));
    assert_eq!(w.tier_moves.get("low->mid"), Some(&1));
    assert_eq!((w.mql_gained, w.mql_lost), (1, 0));
    assert_eq!(
        w.changed[0].mql,
        Some(whatif::Change {
            from: false,
            to: true
        })
    );
}

#[test]
fn preset_loads_and_round_trips() {
    let m = ScoringModel::from_value(json!({"preset": "b2b_default"})).unwrap();
    assert_eq!(ScoringModel::from_json(&m.to_json()).unwrap(), m);
    for name in PRESETS {
        assert!(ScoringModel::preset(name).unwrap().validate().is_ok());
    }
}

#[test]
fn source_route_and_score_in_lead_result() {
    let s = scorer(json!({"source": {
        "counts": {"sem": {"leads": 100, "converted": 30}, "content_download": {"leads": 100, "converted": 2}},
        "prior": {"strength": 10, "mean": 0.1}
    }, "combine": {"type": "weighted", "behavior": 0, "fit": 0, "source": 1}}));
    let mut l = lead("L1");
    l.source.channel = Some("sem".into());
    let r = s.score(&l, &[], now()).unwrap();
    let src = r.source.unwrap();
    // (30 + 1) / 110
    assert_eq!(
        (src.score, src.tier, src.route),
        (28.1818, Tier::High, source::Route::SdrNow)
    );
    assert_eq!(r.combined.score, 28.1818);
    l.source.channel = Some("referral".into());
    l.source.referrer = Some("rep7".into());
    let src = s.score(&l, &[], now()).unwrap().source.unwrap();
    assert!(!src.known);
    assert_eq!(
        src.route,
        source::Route::ReferringRep { rep: "rep7".into() }
    );
}

// ---------- properties ----------

/// Random scoring models. `monotone`: positive points only, and every rule with a window in a
/// group of its own — an event that ages out of a rule's window falls through to the group's
/// next rule (recency tiers, by design), which may give more.
fn model_json(monotone: bool) -> impl Strategy<Value = Value> {
    let decay = prop_oneof![
        Just(json!({"type": "none"})),
        (1u32..60).prop_map(|d| json!({"type": "half_life", "half_life_days": d})),
        Just(
            json!({"type": "steps", "steps": [{"after_days": 10, "reduce": 0.25}, {"after_days": 40, "reduce": 0.6}]})
        ),
        (1u32..60).prop_map(|d| json!({"type": "window", "days": d})),
    ];
    let kinds = prop_oneof![
        Just(json!("page_view")),
        Just(json!("download")),
        Just(json!(["page_view", "email_open"])),
        Just(json!("any")),
    ];
    let repeat = prop_oneof![
        Just(json!("every")),
        Just(json!("once")),
        Just(json!({"once_per": "properties.k"})),
    ];
    let points = if monotone { 1i32..20 } else { -10i32..20 };
    let rule = (
        kinds,
        points,
        proptest::option::of(1u32..40),
        repeat,
        any::<bool>(),
    );
    let group = (
        decay,
        proptest::option::of(5u32..60),
        proptest::collection::vec(rule, 1..4),
    );
    (
        proptest::collection::vec(group, 1..3),
        proptest::option::of(1u32..4),
        proptest::option::of(20u32..80),
        any::<bool>(),
    )
        .prop_map(move |(groups, daily, ceiling, silence)| {
            let mut n = 0;
            let groups: Vec<_> = if monotone {
                groups
                    .into_iter()
                    .flat_map(|(decay, cap, rules)| {
                        let (windowed, open): (Vec<_>, Vec<_>) =
                            rules.into_iter().partition(|r| r.2.is_some());
                        let mut split: Vec<_> = windowed
                            .into_iter()
                            .map(|r| (decay.clone(), cap, vec![r]))
                            .collect();
                        if !open.is_empty() {
                            split.push((decay, cap, open));
                        }
                        split
                    })
                    .collect()
            } else {
                groups
            };
            let groups: Vec<Value> = groups
                .into_iter()
                .enumerate()
                .map(|(gi, (decay, cap, rules))| {
                    let rules: Vec<Value> = rules
                        .into_iter()
                        .map(|(kind, points, within, repeat, filtered)| {
                            n += 1;
                            let mut r = json!({"id": format!("r{n}"), "kind": kind,
                                               "points": points, "repeat": repeat});
                            if let Some(w) = within {
                                r["within_days"] = json!(w);
                            }
                            if filtered {
                                r["where"] = json!({"field": "properties.k", "in": ["a", "b"]});
                            }
                            r
                        })
                        .collect();
                    let mut g = json!({"id": format!("g{gi}"), "decay": decay, "rules": rules});
                    if let Some(c) = cap {
                        g["cap"] = json!(c);
                    }
                    g
                })
                .collect();
            let mut b = json!({"groups": groups, "utc_offset_minutes": 480});
            if let Some(d) = daily {
                b["daily_caps"] = json!({"page_view": d, "download": d});
            }
            if let Some(c) = ceiling {
                b["ceiling"] = json!(c);
            }
            if silence {
                b["silence"] = json!({"tiers": [{"after_days": 5, "points": -3}, {"after_days": 20, "points": -8}]});
            }
            json!({"behavior": b, "fit": {"rules": [
                {"type": "values", "id": "ind", "attribute": "industry", "points": {"saas": 10}, "grade": 2}]},
                "tiers": {"type": "thresholds", "high": 30, "mid": 10}})
        })
}

/// Events of lead `L{lead}`: (id, kind, hours ago, property k).
fn events_json(lead: usize) -> impl Strategy<Value = Vec<Value>> {
    let kinds = ["page_view", "download", "email_open", "call"];
    proptest::collection::vec(
        (
            0u8..30,
            0usize..4,
            0u32..2000,
            proptest::option::of(0usize..3),
        ),
        0..40,
    )
    .prop_map(move |items| {
        items
            .into_iter()
            .map(|(id, k, hours, prop)| {
                let t = now() - chrono::Duration::hours(i64::from(hours));
                let mut e = json!({"id": format!("L{lead}-e{id}"), "lead_id": format!("L{lead}"),
                                   "kind": kinds[k], "at": crate::time::format(&t)});
                if let Some(p) = prop {
                    let value = ["a", "b", "c"][p];
                    e["properties"] = json!({"k": value});
                }
                e
            })
            .collect()
    })
}

/// The result as JSON, without the duplicate counter (which reports the extra deliveries).
fn score_json(s: &Scorer, l: &Lead, e: &[Event], now: DateTime<Utc>) -> Value {
    let mut r = s.score(l, e, now).unwrap();
    r.behavior.ignored.duplicates = 0;
    crate::input::to_value(&r)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn order_and_duplicates_do_not_matter(model in model_json(false), evs in events_json(1), seed in any::<u64>()) {
        let s = scorer(model);
        let e: Vec<Event> = evs.into_iter().map(|v| serde_json::from_value(v).unwrap()).collect();
        let mut shuffled = e.clone();
        shuffled.extend(e.iter().take(7).cloned());
        let n = shuffled.len();
        if n > 1 {
            // a seeded Fisher–Yates shuffle
            let mut x = seed | 1;
            for i in (1..n).rev() {
                x ^= x << 13; x ^= x >> 7; x ^= x << 17;
                shuffled.swap(i, (x % (i as u64 + 1)) as usize);
            }
        }
        let mut sorted: Vec<Event> = crate::event::normalize(&e).into_iter().cloned().collect();
        sorted.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
        let l = lead("L1");
        let a = score_json(&s, &l, &e, now());
        prop_assert_eq!(&a, &score_json(&s, &l, &shuffled, now()));
        prop_assert_eq!(&a, &score_json(&s, &l, &sorted, now()));
    }

    #[test]
    fn decayed_score_never_grows_without_new_events(model in model_json(true), evs in events_json(1), d1 in 0u32..2000, d2 in 0u32..2000) {
        let s = scorer(model);
        let e: Vec<Event> = evs.into_iter().map(|v| serde_json::from_value(v).unwrap()).collect();
        let l = lead("L1");
        let t1 = now() + chrono::Duration::hours(i64::from(d1.min(d2)));
        let t2 = now() + chrono::Duration::hours(i64::from(d1.max(d2)));
        let a = s.score(&l, &e, t1).unwrap().behavior.score;
        let b = s.score(&l, &e, t2).unwrap().behavior.score;
        prop_assert!(b <= a, "score grew from {a} to {b}");
    }

    #[test]
    fn caps_are_never_exceeded(model in model_json(false), evs in events_json(1)) {
        let m = ScoringModel::from_value(model).unwrap();
        let s = Scorer::new(m.clone()).unwrap();
        let e: Vec<Event> = evs.into_iter().map(|v| serde_json::from_value(v).unwrap()).collect();
        let r = s.score(&lead("L1"), &e, now()).unwrap();
        for (g, cfg) in r.behavior.groups.iter().zip(&m.behavior.groups) {
            if let Some(cap) = cfg.cap {
                prop_assert!(g.points <= cap + 1e-9);
            }
        }
        if let Some(c) = m.behavior.ceiling {
            prop_assert!(r.behavior.score <= c);
        }
        prop_assert!(r.behavior.score >= 0.0);
        // per kind per day: never more counted events of a capped kind (per group) than the
        // daily cap allows
        for (kind, cap) in &m.behavior.daily_caps {
            let mut per_day: std::collections::BTreeMap<i64, u32> = Default::default();
            for ev in crate::event::normalize(&e) {
                if ev.kind.as_str() == kind && ev.at <= now() {
                    *per_day.entry((ev.at.timestamp() + 8 * 3600).div_euclid(86_400)).or_default() += 1;
                }
            }
            let allowed: u32 = per_day.values().map(|n| (*n).min(*cap)).sum();
            for g in &m.behavior.groups {
                let counted: u32 = r.behavior.breakdown.iter()
                    .filter(|l| l.group == g.id)
                    .filter(|l| g.rules.iter().any(|x| x.id == l.rule
                        && matches!(&x.kind, behavior::EventKinds::One(k) if k == kind)))
                    .map(|l| l.events)
                    .sum();
                prop_assert!(counted <= allowed, "{counted} > {allowed} {kind} events counted");
            }
        }
    }

    #[test]
    fn batch_equals_per_lead(model in model_json(false), e0 in events_json(0), e1 in events_json(1), e2 in events_json(2), threads in 1usize..4) {
        let s = scorer(model);
        let leads = [lead("L0"), lead("L1"), lead("L2")];
        let per: Vec<Vec<Event>> = [e0, e1, e2].into_iter()
            .map(|v| v.into_iter().map(|x| serde_json::from_value(x).unwrap()).collect())
            .collect();
        let mut all: Vec<Event> = per.iter().flatten().cloned().collect();
        all.reverse();
        let batch = s.score_batch(&leads, &all, now(), threads).unwrap();
        let table = {
            let buffers = ColumnBuffers::from_events(all.iter().map(|e| {
                (e, e.lead_id.trim_start_matches('L').parse::<u32>().unwrap())
            }));
            s.score_table(&leads, buffers.columns(), now(), threads).unwrap()
        };
        for (i, (l, e)) in leads.iter().zip(&per).enumerate() {
            let single = s.score(l, e, now()).unwrap();
            prop_assert_eq!(&batch.leads[i], &single);
            prop_assert_eq!(table.behavior[i], single.behavior.score);
            prop_assert_eq!(table.combined[i], single.combined.score);
            prop_assert_eq!(table.tier[i], single.combined.tier);
        }
    }

    #[test]
    fn event_tables_equal_row_events(
        e0 in events_json(0),
        e1 in events_json(1),
        names in proptest::collection::vec(proptest::option::of(0usize..3), 80),
        dictionaries in any::<bool>(),
    ) {
        use crate::table::{Bits, Column, Table};
        let leads = [lead("L0"), lead("L1")];
        let mut all: Vec<Event> = e0.into_iter().chain(e1)
            .map(|x| serde_json::from_value(x).unwrap())
            .collect();
        for (e, n) in all.iter_mut().zip(&names) {
            e.name = n.map(|n| ["x", "y", "x"][n].to_string());
        }
        all.reverse();
        let expected = ColumnBuffers::from_events(all.iter().map(|e| {
            (e, e.lead_id.trim_start_matches('L').parse::<u32>().unwrap())
        }));
        let texts = |f: &dyn Fn(&Event) -> Option<String>| -> Vec<Option<String>> { all.iter().map(f).collect() };
        let columns: Vec<(&str, Vec<Option<String>>)> = vec![
            ("lead_id", texts(&|e| Some(e.lead_id.clone()))),
            ("kind", texts(&|e| Some(e.kind.as_str().to_string()))),
            ("id", texts(&|e| e.id.clone())),
            ("name", texts(&|e| e.name.clone())),
            ("properties.k", texts(&|e| e.properties.get("k").and_then(|v| v.as_str()).map(str::to_string))),
        ];
        let buffers: Vec<(Vec<i64>, Vec<u8>, Vec<u8>)> = columns.iter().map(|(_, cells)| {
            let refs: Vec<Option<&str>> = cells.iter().map(Option::as_deref).collect();
            let (off, data) = Column::text_buffers(&refs);
            (off, data, Bits::pack(cells.iter().map(Option::is_some)))
        }).collect();
        // Dictionaries: each text column again as codes into its distinct values.
        let codes: Vec<(Vec<u32>, Vec<i64>, Vec<u8>)> = columns.iter().map(|(_, cells)| {
            let mut values: Vec<&str> = cells.iter().flatten().map(String::as_str).collect();
            values.sort_unstable();
            values.dedup();
            let keys = cells.iter().map(|c| c.as_deref().map_or(0, |c| values.binary_search(&c).unwrap_or(0) as u32)).collect();
            let refs: Vec<Option<&str>> = values.iter().map(|v| Some(*v)).collect();
            let (off, data) = Column::text_buffers(&refs);
            (keys, off, data)
        }).collect();
        let n = all.len();
        let mut table = Table::new(vec![(
            "at".to_string(),
            Column::Int { values: all.iter().map(|e| e.at.timestamp()).collect::<Vec<_>>().into(), validity: None },
        )]);
        for (((name, _), (off, data, valid)), (keys, k_off, k_data)) in columns.iter().zip(&buffers).zip(&codes) {
            let validity = Bits::new(valid, 0, n);
            let col = if dictionaries {
                Column::Codes { keys: keys.into(), values: Box::new(Column::text(k_off, k_data, None)), validity }
            } else {
                Column::text(off, data, validity)
            };
            table.columns.push((name.to_string(), col));
        }
        let got = columns::events_from_tables(&[table], &leads).unwrap();
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn integer_event_ids_score_like_their_text(
        model in model_json(false),
        e0 in events_json(0),
        e1 in events_json(1),
    ) {
        use crate::table::{Column, Table};
        let s = scorer(model);
        let leads = [lead("L0"), lead("L1")];
        // Ids 0..60 whose text order is not their numeric order ("10" < "9").
        let mut all: Vec<Event> = e0.into_iter().chain(e1)
            .map(|x| serde_json::from_value(x).unwrap())
            .collect();
        let number = |e: &Event| -> i64 {
            let (l, n) = e.id.as_deref().unwrap().split_once("-e").unwrap();
            l.trim_start_matches('L').parse::<i64>().unwrap() * 30 + n.parse::<i64>().unwrap()
        };
        let numbers: Vec<i64> = all.iter().map(number).collect();
        for (e, n) in all.iter_mut().zip(&numbers) {
            e.id = Some(n.to_string());
        }
        let rows = s.score_batch(&leads, &all, now(), 1).unwrap();
        let (off, lead_ids) = Column::text_buffers(&all.iter().map(|e| Some(e.lead_id.as_str())).collect::<Vec<_>>());
        let (k_off, kinds) = Column::text_buffers(&all.iter().map(|e| Some(e.kind.as_str())).collect::<Vec<_>>());
        let props: Vec<Option<&str>> = all.iter().map(|e| e.properties.get("k").and_then(|v| v.as_str())).collect();
        let (p_off, p_text) = Column::text_buffers(&props);
        let p_valid = crate::table::Bits::pack(props.iter().map(Option::is_some));
        let table = Table::new(vec![
            ("properties.k".into(), Column::text(&p_off, &p_text, crate::table::Bits::new(&p_valid, 0, props.len()))),
            ("lead_id".into(), Column::text(&off, &lead_ids, None)),
            ("kind".into(), Column::text(&k_off, &kinds, None)),
            ("at".into(), Column::Int { values: all.iter().map(|e| e.at.timestamp()).collect::<Vec<_>>().into(), validity: None }),
            ("id".into(), Column::Int { values: numbers.into(), validity: None }),
        ]);
        let buffers = columns::events_from_tables(&[table], &leads).unwrap();
        let table = s.score_table(&leads, buffers.columns(), now(), 1).unwrap();
        for (i, l) in rows.leads.iter().enumerate() {
            prop_assert_eq!(table.behavior[i], l.behavior.score);
            prop_assert_eq!(table.combined[i], l.combined.score);
        }
    }

    #[test]
    fn model_json_round_trips(model in model_json(false)) {
        let m = ScoringModel::from_value(model).unwrap();
        let back = ScoringModel::from_json(&m.to_json()).unwrap();
        prop_assert_eq!(back, m);
    }
}

#[test]
fn ids_and_details_in_columns() {
    let s = scorer(json!({"behavior": {"groups": [{"id": "g", "rules": [
        {"id": "open", "kind": "email_open", "points": 1, "repeat": {"once_per": "properties.m"}}]}]}}));
    let details = [
        EventDetail {
            name: None,
            properties: [("m".to_string(), AttrValue::Text("x".into()))].into(),
        },
        EventDetail {
            name: None,
            properties: [("m".to_string(), AttrValue::Text("y".into()))].into(),
        },
        EventDetail {
            name: Some("n".into()),
            properties: [("m".to_string(), AttrValue::Text("x".into()))].into(),
        },
    ];
    let t = unix_seconds(now()) - 3600;
    let cols = EventColumns {
        lead: &[0, 0, 0, 0, 0],
        kind: &[7, 7, 7, 7, 7],
        at: &[t, t - 5, t - 9, t - 9, t],
        id: Some(&[1, 2, 3, 3, NO_ID]),
        detail: Some(&[0, 1, 2, 2, NO_DETAIL]),
        details: &details,
        unmatched: 0,
    };
    let b = s.score_columns(&[lead("L1")], cols, now(), 1).unwrap();
    // values x, y, x (same value, another detail) and none: three distinct values
    assert_eq!(b.leads[0].behavior.score, 3.0);
    assert_eq!(b.leads[0].behavior.ignored.duplicates, 1);
}
