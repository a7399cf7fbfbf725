//! Properties of attribution across modules: credits sum to the totals, merging is exact,
//! states round-trip, Markov and Shapley match hand-solved worlds.

use proptest::prelude::*;

use super::*;
use crate::input::Config;

fn cfg(json: &str) -> AttributionConfig {
    AttributionConfig::from_json(json).unwrap()
}

fn all_models() -> AttributionConfig {
    cfg(r#"{"models": [
        {"type": "first_touch"}, {"type": "last_touch"}, {"type": "last_non_direct"},
        {"type": "linear"}, {"type": "u_shaped"}, {"type": "w_shaped"}, {"type": "full_path"},
        {"type": "j_shaped"}, {"type": "inverse_j_shaped"}, {"type": "time_decay", "half_life_days": 3},
        {"type": "custom", "weights": {"first_touch": 0.1, "closed_won": 0.5, "last_touch": 0.2, "middle": 0.2}},
        {"type": "markov"}, {"type": "markov", "order": 2}, {"type": "markov", "order": 3},
        {"type": "shapley"}, {"type": "shapley", "name": "shapley_rate", "game": "conversion_rate"}
    ]}"#)
}

fn path(p: &str, c: u64, n: u64, v: f64) -> PathCount {
    PathCount {
        path: p.into(),
        conversions: c,
        nulls: n,
        value: v,
    }
}

const CHANNELS: [&str; 6] = ["direct", "sem", "seo", "email", "event", "social"];

prop_compose! {
    fn journey()(
        touches in proptest::collection::vec((0usize..6, 0i64..40, 0u8..16), 1..8),
        converted in any::<bool>(),
        cents in 0u32..1_000_000,
        id in 0u32..1000,
    ) -> Journey {
        let touchpoints = touches
            .iter()
            .enumerate()
            .map(|(i, &(ch, day, flags))| Touchpoint {
                channel: CHANNELS[ch].to_string(),
                campaign: None,
                at: chrono::DateTime::from_timestamp(1_767_225_600 + day * 86_400 + i as i64, 0).unwrap(),
                milestones: if i == touches.len() / 2 && flags % 3 == 0 {
                    vec![Milestone::LeadCreated]
                } else {
                    Vec::new()
                },
            })
            .collect();
        Journey {
            id: format!("J{id}"),
            touchpoints,
            converted,
            value: if converted { f64::from(cents) / 100.0 } else { 0.0 },
            opportunity_at: None,
        }
    }
}

fn report_json(acc: &AttributionAccumulator) -> String {
    serde_json::to_string(&acc.finish().unwrap()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn credits_sum_to_conversions_and_value(journeys in proptest::collection::vec(journey(), 1..30)) {
        let report = attribute(&all_models(), &journeys, &[]).unwrap();
        let conv = report.totals.conversions as f64;
        let value = report.totals.value;
        for m in &report.models {
            let c: f64 = m.credits.iter().map(|c| c.conversions).sum();
            let v: f64 = m.credits.iter().map(|c| c.value).sum();
            prop_assert!((c - conv).abs() <= 1e-9 * conv.max(1.0), "{} conversions {c} vs {conv}", m.name);
            prop_assert!((v - value).abs() <= 1e-9 * value.max(1.0), "{} value {v} vs {value}", m.name);
        }
    }

    #[test]
    fn every_journey_splits_to_one(j in journey()) {
        let split = explain_journey(&all_models(), &j).unwrap();
        for m in &split.models {
            let w: f64 = m.touches.iter().map(|t| t.weight).sum();
            prop_assert!((w - 1.0).abs() < 1e-12, "{} sums to {w}", m.name);
            prop_assert!(m.touches.iter().all(|t| t.weight >= 0.0));
        }
    }

    #[test]
    fn merge_is_exact_for_any_split_and_order(
        journeys in proptest::collection::vec(journey(), 1..40),
        cuts in proptest::collection::vec(0usize..40, 0..4),
        rotate in 0usize..5,
    ) {
        let config = all_models();
        let mut one = AttributionAccumulator::new(config.clone()).unwrap();
        one.add_journeys(&journeys).unwrap();
        let mut bounds: Vec<usize> = cuts.iter().map(|c| c % (journeys.len() + 1)).collect();
        bounds.push(0);
        bounds.push(journeys.len());
        bounds.sort_unstable();
        let mut parts: Vec<AttributionAccumulator> = bounds
            .windows(2)
            .map(|w| {
                let mut a = AttributionAccumulator::new(config.clone()).unwrap();
                a.add_journeys(&journeys[w[0]..w[1]]).unwrap();
                a
            })
            .collect();
        let n = parts.len();
        parts.rotate_left(rotate % n);
        // Left fold in rotated order, and a right-nested merge: both equal one pass.
        let mut left = AttributionAccumulator::new(config.clone()).unwrap();
        for p in &parts {
            left.merge(p).unwrap();
        }
        let mut right = AttributionAccumulator::new(config).unwrap();
        for p in parts.iter().rev() {
            let mut q = p.clone();
            q.merge(&right).unwrap();
            right = q;
        }
        prop_assert_eq!(one.to_json(), left.to_json());
        prop_assert_eq!(one.to_json(), right.to_json());
        prop_assert_eq!(report_json(&one), report_json(&left));
        prop_assert_eq!(report_json(&one), report_json(&right));
    }

    #[test]
    fn parallel_is_bit_identical(journeys in proptest::collection::vec(journey(), 0..30), threads in 1usize..5) {
        let config = all_models();
        let paths: Vec<PathCount> = journeys.iter().map(|j| {
            let p = j.touchpoints.iter().map(|t| t.channel.as_str()).collect::<Vec<_>>().join(" > ");
            path(&p, u64::from(j.converted), u64::from(!j.converted), j.value)
        }).collect();
        let cfg_paths = cfg(r#"{"models": [{"type": "linear"}, {"type": "markov", "order": 2}, {"type": "shapley"}]}"#);
        let one = serde_json::to_string(&attribute(&config, &journeys, &[]).unwrap()).unwrap();
        let par = serde_json::to_string(&attribute_parallel(&config, &journeys, &[], threads).unwrap()).unwrap();
        prop_assert_eq!(one, par);
        let one = serde_json::to_string(&attribute(&cfg_paths, &journeys, &paths).unwrap()).unwrap();
        let par = serde_json::to_string(&attribute_parallel(&cfg_paths, &journeys, &paths, threads).unwrap()).unwrap();
        prop_assert_eq!(one, par);
    }

    #[test]
    fn batches_are_bit_identical(
        journeys in proptest::collection::vec(journey(), 0..30),
        threads in 1usize..5,
        size in 1usize..8,
    ) {
        let config = cfg(r#"{"models": [{"type": "linear"}, {"type": "markov", "order": 2}, {"type": "shapley"}]}"#);
        let paths: Vec<PathCount> = journeys.iter().map(|j| {
            let p = j.touchpoints.iter().map(|t| t.channel.as_str()).collect::<Vec<_>>().join(" > ");
            path(&p, u64::from(j.converted), u64::from(!j.converted), j.value)
        }).collect();
        let batches = paths.chunks(size).map(|c| {
            let mut b = PathBatch::new();
            c.iter().for_each(|p| b.push_count(p));
            Ok::<_, Error>(b)
        });
        let one = serde_json::to_string(&attribute(&config, &journeys, &paths).unwrap()).unwrap();
        let batched = serde_json::to_string(&attribute_batches(&config, &journeys, batches, threads).unwrap()).unwrap();
        prop_assert_eq!(one, batched);
    }

    #[test]
    fn states_round_trip(journeys in proptest::collection::vec(journey(), 0..20)) {
        let mut a = AttributionAccumulator::new(all_models()).unwrap();
        a.add_journeys(&journeys).unwrap();
        let from_json = AttributionAccumulator::from_json(&a.to_json()).unwrap();
        let from_bytes = AttributionAccumulator::from_bytes(&a.to_bytes().unwrap()).unwrap();
        prop_assert_eq!(a.to_json(), from_json.to_json());
        prop_assert_eq!(a.to_json(), from_bytes.to_json());
        prop_assert_eq!(report_json(&a), report_json(&from_bytes));
    }

    #[test]
    fn single_channel_markov_gets_everything(reps in proptest::collection::vec((1usize..6, 0u64..5, 0u64..5), 1..10), order in 1u8..5) {
        let paths: Vec<PathCount> = reps
            .iter()
            .map(|&(len, c, n)| path(&vec!["sem"; len].join(" > "), c, n, c as f64 * 10.0))
            .collect();
        let config = cfg(&format!(r#"{{"models": [{{"type": "markov", "order": {order}}}]}}"#));
        let report = attribute(&config, &[], &paths).unwrap();
        let c = &report.models[0].credits[0];
        prop_assert_eq!(c.conversions, report.totals.conversions as f64);
        prop_assert_eq!(c.value, report.totals.value);
    }

    #[test]
    fn exact_shapley_is_efficient_and_symmetric(sets in proptest::collection::vec((1u8..32, 0u64..6, 0u64..6), 1..20)) {
        // Channels "a" and "b" always appear together: symmetric players.
        let paths: Vec<PathCount> = sets
            .iter()
            .map(|&(mask, c, n)| {
                let mut chans: Vec<&str> = Vec::new();
                if mask & 1 != 0 { chans.extend(["a", "b"]); }
                for (bit, ch) in [(2, "c"), (4, "d"), (8, "e"), (16, "f")] {
                    if mask & bit != 0 { chans.push(ch); }
                }
                if chans.is_empty() { chans.push("c"); }
                path(&chans.join(" > "), c, n, c as f64 * 3.0)
            })
            .collect();
        let config = cfg(r#"{"models": [{"type": "shapley"}, {"type": "shapley", "name": "rate", "game": "conversion_rate"}]}"#);
        let report = attribute(&config, &[], &paths).unwrap();
        for m in &report.models {
            let sum: f64 = m.credits.iter().map(|c| c.conversions).sum();
            let conv = report.totals.conversions as f64;
            prop_assert!((sum - conv).abs() <= 1e-9 * conv.max(1.0), "{} {sum} vs {conv}", m.name);
            let a = m.credits.iter().find(|c| c.key == "a");
            let b = m.credits.iter().find(|c| c.key == "b");
            if let (Some(a), Some(b)) = (a, b) {
                prop_assert!((a.conversions - b.conversions).abs() <= 1e-12 * conv.max(1.0));
            }
        }
    }
}

/// Brute-force Shapley values by the 2ⁿ formula, for checking the closed form and enumeration.
fn brute_shapley(players: usize, v: &dyn Fn(usize) -> f64) -> Vec<f64> {
    let n = players;
    let fact = |k: usize| (1..=k).map(|x| x as f64).product::<f64>();
    let mut phi = vec![0.0; n];
    for mask in 0..(1usize << n) {
        let s = mask.count_ones() as usize;
        for (i, p) in phi.iter_mut().enumerate() {
            if mask & (1 << i) == 0 {
                let w = fact(s) * fact(n - s - 1) / fact(n);
                *p += w * (v(mask | (1 << i)) - v(mask));
            }
        }
    }
    phi
}

#[test]
fn shapley_matches_the_textbook_formula() {
    let data = [
        ("a", 3u64, 5u64),
        ("a > b", 4, 2),
        ("b > c", 1, 9),
        ("c > a > c", 2, 0),
        ("d", 0, 7),
        ("b > d", 5, 5),
    ];
    let paths: Vec<PathCount> = data.iter().map(|&(p, c, n)| path(p, c, n, 0.0)).collect();
    let sets: Vec<(usize, u64, u64)> = data
        .iter()
        .map(|&(p, c, n)| {
            let mask = p
                .split('>')
                .fold(0usize, |m, ch| m | 1 << (ch.trim().as_bytes()[0] - b'a'));
            (mask, c, n)
        })
        .collect();
    let conv = |mask: usize| {
        sets.iter()
            .filter(|s| s.0 & !mask == 0)
            .map(|s| s.1 as f64)
            .sum::<f64>()
    };
    let rate = |mask: usize| {
        let (c, t) = sets
            .iter()
            .filter(|s| s.0 & !mask == 0)
            .fold((0.0, 0.0), |(c, t), s| {
                (c + s.1 as f64, t + (s.1 + s.2) as f64)
            });
        if t > 0.0 { c / t } else { 0.0 }
    };
    let config = cfg(
        r#"{"models": [{"type": "shapley"}, {"type": "shapley", "name": "rate", "game": "conversion_rate"},
        {"type": "shapley", "name": "sampled", "game": "conversion_rate", "method": "sampled", "samples": 20000, "seed": 3}]}"#,
    );
    let report = attribute(&config, &[], &paths).unwrap();
    let total = report.totals.conversions as f64;
    let want_conv = brute_shapley(4, &conv);
    let want_rate = brute_shapley(4, &rate);
    let grand = rate(15);
    for i in 0..4 {
        let got = report.models[0].credits[i].conversions;
        assert!((got - want_conv[i]).abs() < 1e-12, "{got} {}", want_conv[i]);
        let got = report.models[1].credits[i].conversions;
        let want = want_rate[i] / grand * total;
        assert!((got - want).abs() < 1e-9, "{got} {want}");
        let est = report.models[2].credits[i].conversions;
        let se = report.models[2]
            .shapley
            .as_ref()
            .unwrap()
            .standard_errors
            .as_ref()
            .unwrap()[i]
            .conversions;
        assert!(
            se > 0.0 && (est - want).abs() < 5.0 * se,
            "{est} {want} ± {se}"
        );
    }
}

#[test]
fn markov_matches_hand_solved_worlds() {
    // (start) → a; a → b or (null) with ½ each; b → (conversion). P = ½.
    // Without a or without b nothing converts: both removal effects are 1, credits ½ each.
    let config = cfg(r#"{"models": [{"type": "markov"}]}"#);
    let r = attribute(
        &config,
        &[],
        &[path("a > b", 1, 0, 10.0), path("a", 0, 1, 0.0)],
    )
    .unwrap();
    let m = r.models[0].markov.as_ref().unwrap();
    assert_eq!(m.conversion_probability, 0.5);
    assert_eq!(m.removal_effects[0].conversions, 1.0);
    assert_eq!(m.removal_effects[1].conversions, 1.0);
    assert_eq!(r.models[0].credits[0].conversions, 0.5);
    assert_eq!(r.models[0].credits[1].value, 5.0);

    // A loop: a → b (4/5), a → conv (1/5); b → a (½), b → null (½).
    // x_a = ⅕ + ⅘ x_b, x_b = ½ x_a  ⇒  x_a = ⅕ / (1 − ⅖) = ⅓. Removing b: x_a = ⅕ ⇒ RE_b = 0.4.
    // Removing a: 0 ⇒ RE_a = 1. Credits: 1/1.4 and 0.4/1.4 of 1 conversion.
    let paths = [
        path("a > b > a", 1, 0, 0.0),
        path("a > b", 0, 1, 0.0),
        path("a > b > a > b", 0, 1, 0.0),
    ];
    let r = attribute(&config, &[], &paths).unwrap();
    let m = r.models[0].markov.as_ref().unwrap();
    assert!((m.conversion_probability - 1.0 / 3.0).abs() < 1e-15);
    assert!((m.removal_effects[1].conversions - 0.4).abs() < 1e-15);
    assert!((r.models[0].credits[0].conversions - 1.0 / 1.4).abs() < 1e-15);
}

#[test]
fn markov_order_beyond_longest_path_uses_whole_paths() {
    let config = cfg(r#"{"models": [{"type": "markov", "order": 4}]}"#);
    let r = attribute(
        &config,
        &[],
        &[path("a > b", 2, 2, 0.0), path("b", 1, 3, 0.0)],
    )
    .unwrap();
    let m = r.models[0].markov.as_ref().unwrap();
    assert_eq!(m.states, 2);
    assert_eq!(m.solver.method, "sparse_lu");
    // P = ½·½ + ½·¼ = ⅜; without a: ⅛ (RE ⅔); without b: 0 (RE 1).
    assert!((m.conversion_probability - 0.375).abs() < 1e-15);
    assert!((m.removal_effects[0].conversions - 2.0 / 3.0).abs() < 1e-15);
}

#[test]
fn bad_inputs_have_codes_and_paths() {
    let config = AttributionConfig::default();
    let err = |j: &str| {
        let j: Journey = serde_json::from_str(j).unwrap();
        let e = attribute(&config, &[j], &[]).unwrap_err();
        (e.code(), e.path().to_string())
    };
    assert_eq!(
        err(r#"{"id": "x", "touchpoints": []}"#),
        ("empty_journey", "journeys[0].touchpoints".into())
    );
    assert_eq!(
        err(
            r#"{"id": "x", "touchpoints": [{"channel": "(start)", "at": "2026-01-01T00:00:00Z"}]}"#
        ),
        (
            "reserved_channel",
            "journeys[0].touchpoints[0].channel".into()
        )
    );
    assert_eq!(
        err(
            r#"{"id": "x", "value": -1, "converted": true, "touchpoints": [{"channel": "a", "at": "2026-01-01T00:00:00Z"}]}"#
        ),
        ("negative_value", "journeys[0].value".into())
    );
    let nan = Journey {
        value: f64::NAN,
        ..serde_json::from_str(
            r#"{"id": "x", "touchpoints": [{"channel": "a", "at": "2026-01-01T00:00:00Z"}]}"#,
        )
        .unwrap()
    };
    assert_eq!(
        attribute(&config, &[nan], &[]).unwrap_err().code(),
        "not_finite"
    );
    let td = cfg(r#"{"models": [{"type": "time_decay"}]}"#);
    assert_eq!(
        attribute(&td, &[], &[path("a", 1, 0, 0.0)])
            .unwrap_err()
            .code(),
        "times_required"
    );
    let many: Vec<PathCount> = (0..21).map(|i| path(&format!("c{i}"), 1, 1, 0.0)).collect();
    let exact =
        cfg(r#"{"models": [{"type": "shapley", "game": "conversion_rate", "method": "exact"}]}"#);
    assert_eq!(
        attribute(&exact, &[], &many).unwrap_err().code(),
        "too_many_channels"
    );
    let auto = cfg(r#"{"models": [{"type": "shapley", "game": "conversion_rate"}]}"#);
    let r = attribute(&auto, &[], &many).unwrap();
    assert_eq!(r.models[0].shapley.as_ref().unwrap().method, "sampled");
}

#[test]
fn parallel_reports_the_same_error() {
    let good = path("a > b", 1, 0, 1.0);
    let mut paths = vec![good.clone(); 10];
    paths[7] = path("a > (null)", 1, 0, 0.0);
    paths[3] = path("a", 0, 1, 5.0);
    let config = AttributionConfig::default();
    let e1 = attribute(&config, &[], &paths).unwrap_err();
    for threads in 1..5 {
        let e2 = attribute_parallel(&config, &[], &paths, threads).unwrap_err();
        assert_eq!((e1.code(), e1.path()), (e2.code(), e2.path()));
    }
}

#[test]
fn batches_report_the_first_bad_row() {
    let good = path("a > b", 1, 0, 1.0);
    let mut paths = vec![good.clone(); 10];
    paths[7] = path("a > (null)", 1, 0, 0.0);
    paths[3] = path("a", 0, 1, 5.0);
    let config = AttributionConfig::default();
    let batches = |size: usize, fail_at: Option<usize>| {
        let mut out: Vec<Result<PathBatch, Error>> = Vec::new();
        let upto = fail_at.unwrap_or(paths.len());
        for chunk in paths[..upto].chunks(size) {
            let mut b = PathBatch::new();
            chunk.iter().for_each(|p| b.push_count(p));
            out.push(Ok(b));
        }
        if let Some(i) = fail_at {
            let e = crate::InputError::new(
                crate::FieldErrorKind::NotFinite,
                format!("paths[{i}].value"),
            );
            out.push(Err(e.into()));
        }
        out.into_iter()
    };
    for threads in 1..5 {
        for size in 1..5 {
            // An attribution error before the producer's error wins; after it, the producer's.
            for (fail_at, path) in [
                (None, "paths[3].value"),
                (Some(5), "paths[3].value"),
                (Some(2), "paths[2].value"),
            ] {
                let e =
                    attribute_batches(&config, &[], batches(size, fail_at), threads).unwrap_err();
                assert_eq!(
                    e.path(),
                    path,
                    "threads {threads} size {size} fail_at {fail_at:?}"
                );
            }
        }
    }
    let mut acc = AttributionAccumulator::new(config).unwrap();
    let mut b = PathBatch::new();
    paths.iter().for_each(|p| b.push_count(p));
    let e = acc.add_batch(&b, 100).unwrap_err();
    assert_eq!(e.path(), "paths[103].value");
    assert_eq!(acc.finish().unwrap().totals.journeys, 3);
}

#[test]
fn out_of_order_touches_are_sorted() {
    let sorted: Journey = serde_json::from_str(r#"{"id": "x", "converted": true, "touchpoints": [
        {"channel": "a", "at": "2026-01-01T00:00:00Z"}, {"channel": "b", "at": "2026-01-02T00:00:00Z"}]}"#).unwrap();
    let mut shuffled = sorted.clone();
    shuffled.touchpoints.reverse();
    let config = all_models();
    let a = serde_json::to_string(&attribute(&config, &[sorted], &[]).unwrap()).unwrap();
    let b = serde_json::to_string(&attribute(&config, &[shuffled], &[]).unwrap()).unwrap();
    assert_eq!(a, b);
}

#[test]
fn config_errors_name_the_field() {
    let e =
        AttributionConfig::from_json(r#"{"models": [{"type": "markov", "ordr": 2}]}"#).unwrap_err();
    assert_eq!(e.code(), "unknown_field");
    let e = AttributionConfig::from_json(r#"{"models": [{"type": "linear", "weights": {}}]}"#)
        .unwrap_err();
    assert_eq!(e.code(), "unknown_field");
    let e = AttributionConfig::from_json(r#"{"models": []}"#).unwrap_err();
    assert_eq!((e.code(), e.path.as_str()), ("invalid_value", "models"));
    let e = OwnershipConfig::from_json(r#"{"window": {"weeks": 3}}"#).unwrap_err();
    assert_eq!(e.code(), "invalid_type");
}

#[test]
fn sampled_shapley_beyond_the_work_bound_is_refused() {
    use super::config::MAX_SHAPLEY_WORK;
    let config = AttributionConfig::from_json(
        r#"{"models": [{"type": "shapley", "method": "sampled", "samples": 10000000}]}"#,
    )
    .unwrap();
    let names: Vec<String> = (0..40).map(|i| format!("c{i:02}")).collect();
    let paths = vec![PathCount {
        path: names.join(" > "),
        conversions: 1,
        nulls: 0,
        value: 0.0,
    }];
    let err = attribute(&config, &[], &paths).unwrap_err();
    assert_eq!(err.code(), "limit_exceeded");
    assert_eq!(err.path(), "models[0].samples");
    match err {
        crate::error::Error::Attribution(AttributionError::LimitExceeded(
            crate::error::Limit {
                what,
                limit,
                requested,
                ..
            },
        )) => {
            assert_eq!((what, limit), ("shapley_work", MAX_SHAPLEY_WORK));
            assert_eq!(requested, 10_000_000 * (40 + 40));
        }
        e => panic!("{e:?}"),
    }
}

/// A path-count table of `keys` into `dict` (as a dictionary column when `codes`, else as text)
/// with its counts, rows `first..` of a longer one.
fn path_table<'a>(
    codes: bool,
    dict: &'a (Vec<i64>, Vec<u8>),
    text: &'a (Vec<i64>, Vec<u8>),
    keys: &[u32],
    counts: &[(i64, i64, f64)],
    first: usize,
) -> crate::table::Table<'a> {
    use crate::table::{Column, Table};
    let path = if codes {
        Column::Codes {
            keys: keys.to_vec().into(),
            values: Box::new(Column::text(&dict.0, &dict.1, None)),
            validity: None,
        }
    } else {
        Column::text(&text.0, &text.1, None)
    };
    let int = |f: fn(&(i64, i64, f64)) -> i64| Column::Int {
        values: counts.iter().map(f).collect::<Vec<_>>().into(),
        validity: None,
    };
    let mut table = Table::new(vec![
        ("path".into(), path),
        ("conversions".into(), int(|c| c.0)),
        ("nulls".into(), int(|c| c.1)),
        (
            "value".into(),
            Column::Float {
                values: counts.iter().map(|c| c.2).collect::<Vec<_>>().into(),
                validity: None,
            },
        ),
    ]);
    table.first_row = first;
    table
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Rows read from a dictionary column share its paths (each split once per batch); they
    /// attribute exactly as the same rows read as text, and a bad row is reported alike.
    #[test]
    fn dictionary_paths_attribute_as_text(
        dict in proptest::collection::vec(proptest::sample::select(vec![
            "sem > seo", "seo", "email > sem > sem", " direct>sem ", "sem", "direct",
            "sem > > seo", "(start) > sem",
        ]), 1..6),
        rows in proptest::collection::vec((0usize..6, 0i64..3, 0i64..3, 0u8..4), 1..40),
        size in 1usize..9,
        threads in 1usize..3,
    ) {
        let config = cfg(r#"{"direct_channels": ["direct"], "models": [
            {"type": "first_touch"}, {"type": "last_non_direct"}, {"type": "linear"},
            {"type": "markov"}, {"type": "markov", "order": 3}, {"type": "shapley"}]}"#);
        let cells: Vec<Option<&str>> = dict.iter().map(|&d| Some(d)).collect();
        let dict_buffers = crate::table::Column::text_buffers(&cells);
        let keys: Vec<u32> = rows.iter().map(|r| (r.0 % dict.len()) as u32).collect();
        // Values of 0 with conversions, or (bad) of 10 without.
        let counts: Vec<(i64, i64, f64)> =
            rows.iter().map(|r| (r.1, r.2, if r.3 == 0 { 10.0 } else { 0.0 })).collect();
        let run = |codes: bool| {
            let batches = keys.chunks(size).zip(counts.chunks(size)).enumerate().map(|(b, (k, c))| {
                let cells: Vec<Option<&str>> = k.iter().map(|&k| Some(dict[k as usize])).collect();
                let text = crate::table::Column::text_buffers(&cells);
                let table = path_table(codes, &dict_buffers, &text, k, c, b * size);
                PathBatch::from_table(&table).map_err(Error::from)
            });
            match attribute_batches(&config, &[], batches, threads) {
                Ok(r) => Ok(serde_json::to_string(&r).unwrap()),
                Err(e) => Err((e.code(), e.path().to_string())),
            }
        };
        prop_assert_eq!(run(true), run(false));
    }
}

/// The rows `from_table` reads, or its error's code and path.
type Read = Result<Vec<(String, u64, u64)>, (&'static str, String)>;

/// What `from_table` makes of the column `path` (given a validity bitmap or none) beside
/// `counts` (conversions, nulls), rows numbered from `first`: without a bitmap, and with one of
/// all rows (which takes the general branch, reading cell by cell after `bind`'s whole check).
fn read_both_ways<'a>(
    path: impl Fn(Option<crate::table::Bits<'a>>) -> crate::table::Column<'a>,
    counts: &[(i64, i64)],
    first: usize,
    all: &'a [u8],
) -> [Read; 2] {
    use crate::table::{Bits, Column, Table};
    let run = |validity| {
        let int = |f: fn(&(i64, i64)) -> i64| Column::Int {
            values: counts.iter().map(f).collect::<Vec<_>>().into(),
            validity: None,
        };
        let mut table = Table::new(vec![
            ("path".into(), path(validity)),
            ("conversions".into(), int(|r| r.0)),
            ("nulls".into(), int(|r| r.1)),
        ]);
        table.first_row = first;
        match PathBatch::from_table(&table) {
            Ok(b) => Ok(b
                .iter()
                .map(|(r, _)| (r.path().to_string(), r.conversions, r.nulls))
                .collect()),
            Err(e) => Err((e.code(), e.path)),
        }
    };
    [run(None), run(Bits::new(all, 0, counts.len()))]
}

/// Text buffers of `cells`, back to back.
fn buffers(cells: &[Vec<u8>]) -> (Vec<i64>, Vec<u8>) {
    let mut offsets = vec![0i64];
    let mut data = Vec::new();
    for c in cells {
        data.extend_from_slice(c);
        offsets.push(data.len() as i64);
    }
    (offsets, data)
}

/// [`read_both_ways`] of a dictionary column of `values` (then `unused` empty ones) and
/// `rows` (key, conversions, nulls).
fn dictionary_read_both_ways(
    values: &[Vec<u8>],
    unused: usize,
    rows: &[(u32, i64, i64)],
    first: usize,
) -> [Read; 2] {
    let mut values = values.to_vec();
    values.resize(values.len() + unused, vec![]);
    let (offsets, data) = buffers(&values);
    let all = crate::table::Bits::pack(rows.iter().map(|_| true));
    let counts: Vec<_> = rows.iter().map(|r| (r.1, r.2)).collect();
    let path = |validity| crate::table::Column::Codes {
        keys: rows.iter().map(|r| r.0).collect::<Vec<_>>().into(),
        values: Box::new(crate::table::Column::text(&offsets, &data, None)),
        validity,
    };
    read_both_ways(path, &counts, first, &all)
}

/// [`read_both_ways`] of a text column of `cells` whose offsets are then moved by `shift` (an
/// offset and how far back), and `rows` (conversions, nulls).
fn text_read_both_ways(
    cells: &[Vec<u8>],
    shift: Option<(usize, i64)>,
    rows: &[(i64, i64)],
    first: usize,
) -> [Read; 2] {
    let (mut offsets, data) = buffers(cells);
    if let Some((at, by)) = shift {
        let k = at % offsets.len();
        offsets[k] = (offsets[k] - by).max(0);
    }
    let all = crate::table::Bits::pack(cells.iter().map(|_| true));
    let path = |validity| crate::table::Column::text(&offsets, &data, validity);
    read_both_ways(path, rows, first, &all)
}

#[test]
fn text_split_inside_a_character_is_refused_before_counts() {
    // `中` is e4 b8 ad, cut between rows 1 and 2, after a bad count in row 0.
    let cells = [b"a".to_vec(), b"\xe4".to_vec(), b"\xb8\xad".to_vec()];
    let rows = [(-1, 0), (1, 0), (1, 0)];
    let [copied, bound] = text_read_both_ways(&cells, None, &rows, 7);
    assert_eq!(copied, Err(("invalid_value", "paths.path[8]".into())));
    assert_eq!(copied, bound);
    // Offsets that go back (row 1 ends before it starts) after a bad count.
    let cells = [b"ab".to_vec(), b"c".to_vec(), b"d".to_vec()];
    let [copied, bound] = text_read_both_ways(&cells, Some((2, 2)), &rows, 0);
    assert_eq!(copied, Err(("invalid_value", "paths.path".into())));
    assert_eq!(copied, bound);
}

#[test]
fn dictionary_values_split_inside_a_character_are_refused_before_counts() {
    // `中` is e4 b8 ad: two values that are each not UTF-8 make it together.
    let split = [b"\xe4".to_vec(), b"\xb8\xad".to_vec(), b"a".to_vec()];
    // Read row by row (the dictionary far larger than the batch), after a bad count.
    let rows = [(2, -1, 0), (0, 1, 0), (1, 1, 0)];
    let [copied, bound] = dictionary_read_both_ways(&split, 700, &rows, 5);
    assert_eq!(copied, Err(("invalid_value", "paths.path[6]".into())));
    assert_eq!(copied, bound);
    // Read as shared values.
    let rows = [(0, 1, 0), (1, 1, 0), (0, 1, 0), (1, 1, 0), (0, 1, 0)];
    let [copied, bound] = dictionary_read_both_ways(&split, 0, &rows, 0);
    assert_eq!(copied, Err(("invalid_value", "paths.path[0]".into())));
    assert_eq!(copied, bound);
}

#[test]
fn a_long_value_repeated_over_many_rows_is_shared_not_copied_per_row() {
    // 300 short values used once and one of 64 KiB used by 300 rows: a batch of over half
    // distinct values, which is copied in row order, except that here the copies would be
    // 300 times the long value.
    let long = "x".repeat(1 << 16);
    let mut cells: Vec<String> = (0..300).map(|i| format!("c{i}")).collect();
    cells.push(long.clone());
    let cells: Vec<Option<&str>> = cells.iter().map(|c| Some(c.as_str())).collect();
    let dict = crate::table::Column::text_buffers(&cells);
    let keys: Vec<u32> = (0..600)
        .map(|i| if i % 2 == 0 { i / 2 } else { 300 })
        .collect();
    let counts = vec![(1, 0, 0.0); 600];
    let batch = PathBatch::from_table(&path_table(true, &dict, &dict, &keys, &counts, 0)).unwrap();
    assert_eq!((batch.len(), batch.paths()), (600, 301));
    let paths: Vec<String> = batch.iter().map(|(r, _)| r.path().to_string()).collect();
    assert_eq!([&paths[0], &paths[1], &paths[598]], ["c0", &long, "c299"]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// `from_table` checks a text dictionary as it copies it (`Schema::bind_except`): for any
    /// bytes, keys and counts, the same error at the same row, or the same rows, as when the
    /// column goes through `bind`'s whole check first.
    #[test]
    fn dictionaries_checked_while_copied_fail_as_bind_does(
        // Values of whole and split characters: `中` is e4 b8 ad.
        values in proptest::collection::vec(proptest::collection::vec(proptest::sample::select(
            vec![&b"a"[..], b">", b" ", b"\xe4", b"\xb8\xad", b"\xe4\xb8\xad", b"\xff", b"\xad"]),
            0..4), 1..8),
        // Unused values after them: a dictionary far larger than the batch is read row by row.
        unused in proptest::sample::select(vec![0usize, 700]),
        // A count of 0 draws -1, a bad count (one row in 20).
        rows in proptest::collection::vec((0u32..9, 0i64..20, 0i64..20), 1..40),
        first in 0usize..100,
    ) {
        let values: Vec<Vec<u8>> = values.iter().map(|v| v.concat()).collect();
        let count = |c: i64| if c == 0 { -1 } else { c % 3 };
        let rows: Vec<_> = rows.iter().map(|&(k, c, n)| (k, count(c), count(n))).collect();
        let [copied, bound] = dictionary_read_both_ways(&values, unused, &rows, first);
        prop_assert_eq!(copied, bound);
    }

    /// A text column, whether cut from one copy or read cell by cell: the same error at the
    /// same row (split characters, offsets that go back, bad counts), or the same rows. A row
    /// split inside a character read as a missing cell when read cell by cell.
    #[test]
    fn text_checked_while_copied_fails_as_bind_does(
        cells in proptest::collection::vec(proptest::collection::vec(proptest::sample::select(
            vec![&b"a"[..], b">", b" ", b"\xe4", b"\xb8\xad", b"\xe4\xb8\xad", b"\xff", b"\xad"]),
            0..4), 1..30),
        shift in proptest::option::of((0usize..40, 1i64..4)),
        rows in proptest::collection::vec((0i64..20, 0i64..20), 30),
        first in 0usize..100,
    ) {
        let cells: Vec<Vec<u8>> = cells.iter().map(|v| v.concat()).collect();
        let count = |c: i64| if c == 0 { -1 } else { c % 3 };
        let rows: Vec<_> = rows.iter().take(cells.len()).map(|&(c, n)| (count(c), count(n))).collect();
        let [copied, bound] = text_read_both_ways(&cells, shift, &rows, first);
        prop_assert_eq!(copied, bound);
    }
}
