use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use serde_json::json;

use super::super::tests::{arb_leads, arb_policy, lead};
use super::super::{DedupKey, SurvivorPolicy, ValueKind, dedupe, dedupe_with_events};
use super::*;
use crate::input::Config;

fn texts(keys: &[LeadKey]) -> Vec<&str> {
    keys.iter().map(|k| k.key.as_str()).collect()
}

#[test]
fn keys_are_what_the_batch_matches_on_in_the_documented_text() {
    let l = lead(
        "a",
        "01-01",
        json!({
            "phone": ["+86 139 0013 9000", "13800138000", "bad"],
            "mobile": 13800138000u64,
            "email": "Li@Acme.CN",
            "company": ["阿里巴巴（中国）网络技术有限公司", "Acme Ltd."],
            "contact_name": "张 三",
        }),
    );
    let keys = dedupe_keys(&l, &DedupPolicy::default());
    assert_eq!(
        texts(&keys),
        [
            "phone:13800138000",
            "phone:13900139000",
            "email:li@acme.cn",
            "company_contact:acme|张三",
            "company_contact:阿里巴巴网络技术|张三",
        ]
    );
    assert_eq!(
        keys[4],
        LeadKey {
            key: "company_contact:阿里巴巴网络技术|张三".into(),
            kind: KeyKind::CompanyContact,
            value: "阿里巴巴网络技术".into(),
            contact: Some("张三".into()),
        }
    );
    // Invalid, blank, non-text and missing values give no key; a company needs a contact.
    let none = lead(
        "b",
        "01-01",
        json!({"phone": ["", "123"], "mobile": 1.5, "email": true, "company": "甲公司", "fax": null}),
    );
    assert!(dedupe_keys(&none, &DedupPolicy::default()).is_empty());
    // Keys follow the policy's fields.
    let p =
        DedupPolicy::from_value(json!({"keys": [{"type": "phone", "fields": ["attributes.tel"]}]}))
            .unwrap();
    assert!(dedupe_keys(&l, &p).is_empty());
}

#[test]
fn key_text_escapes_the_separator_so_different_pairs_never_share_a_key() {
    // Joined naively both would read `甲|乙|丙`.
    let a = lead(
        "a",
        "01-01",
        json!({"company": "甲|乙", "contact_name": "丙"}),
    );
    let b = lead(
        "b",
        "01-01",
        json!({"company": "甲", "contact_name": "乙|丙"}),
    );
    let c = lead(
        "c",
        "01-01",
        json!({"company": "100%", "contact_name": "x%7Cy"}),
    );
    let ka = dedupe_keys(&a, &DedupPolicy::default());
    let kb = dedupe_keys(&b, &DedupPolicy::default());
    let kc = dedupe_keys(&c, &DedupPolicy::default());
    assert_eq!(texts(&ka), ["company_contact:甲%7C乙|丙"]);
    assert_eq!(texts(&kb), ["company_contact:甲|乙%7C丙"]);
    assert_eq!(texts(&kc), ["company_contact:100%25|x%257cy"]);
    let r = dedupe(&[a, b], &DedupPolicy::default()).unwrap();
    assert!(r.clusters.is_empty());
}

#[test]
fn no_candidates_means_unique() {
    let l = lead(
        "n",
        "01-05",
        json!({"phone": "13800138000", "email": "bad"}),
    );
    let d = dedupe_one(&l, &[], &DedupPolicy::default()).unwrap();
    assert_eq!(d.id, "n");
    assert!(!d.duplicate);
    assert_eq!(d.cluster, None);
    assert_eq!(d.values.len(), 2);
    assert_eq!(d.values[1].reason, Some("missing_at"));
}

#[test]
fn decision_is_the_leads_cluster_with_transitive_candidates() {
    let candidates = [
        lead("c1", "01-02", json!({"phone": "13800138000"})),
        lead(
            "c2",
            "01-01",
            json!({"phone": "13800138000", "email": "li@acme.cn"}),
        ),
        // Linked to the lead only through c2.
        lead("c3", "01-03", json!({"email": "LI@acme.cn"})),
        // Duplicates of each other, not of the lead: not in the decision.
        lead("x1", "01-01", json!({"phone": "13900139000"})),
        lead("x2", "01-01", json!({"phone": "13900139000"})),
    ];
    let l = lead("n", "01-05", json!({"mobile": "+86 138-0013-8000"}));
    let d = dedupe_one(&l, &candidates, &DedupPolicy::default()).unwrap();
    assert!(d.duplicate);
    let c = d.cluster.unwrap();
    assert_eq!(c.survivor, "c2");
    assert_eq!(c.members, ["c1", "c2", "c3", "n"]);
    assert_eq!(c.merged, ["c1", "c3", "n"]);
    let links: Vec<_> = c
        .matches
        .iter()
        .map(|m| (m.key, m.value.as_str(), m.leads.clone()))
        .collect();
    assert_eq!(
        links,
        [
            (
                KeyKind::Phone,
                "13800138000",
                vec!["c1".into(), "c2".into(), "n".into()]
            ),
            (KeyKind::Email, "li@acme.cn", vec!["c2".into(), "c3".into()]),
        ]
    );

    // The new lead can be the survivor.
    let old = lead("n", "01-01", json!({"phone": "13800138000"}));
    let c = dedupe_one(&old, &candidates[..1], &DedupPolicy::default())
        .unwrap()
        .cluster
        .unwrap();
    assert_eq!((c.survivor.as_str(), c.merged), ("n", vec!["c1".into()]));
}

#[test]
fn ids_are_checked_with_paths_in_the_call() {
    let p = DedupPolicy::default();
    let l = lead("n", "01-01", json!({}));
    let c = |id: &str| lead(id, "01-01", json!({}));
    let cases = [
        (
            lead(" ", "01-01", json!({})),
            vec![c("a")],
            "empty_lead_id",
            "lead.id",
        ),
        (
            l.clone(),
            vec![c("a"), c("")],
            "empty_lead_id",
            "candidates[1].id",
        ),
        (
            l.clone(),
            vec![c("a"), c("b"), c("a")],
            "duplicate_lead_id",
            "candidates[2].id",
        ),
        (
            l.clone(),
            vec![c("a"), c("n")],
            "duplicate_lead_id",
            "lead.id",
        ),
    ];
    for (lead, candidates, code, path) in cases {
        let e = dedupe_one(&lead, &candidates, &p).unwrap_err();
        assert_eq!((e.code(), e.path()), (code, path), "{e}");
    }
    let e = dedupe_one(&l, &[c("n")], &p).unwrap_err();
    assert_eq!(
        e.to_string(),
        "duplicate lead id `n` at `lead.id` (first at `candidates[0].id`)"
    );
}

#[test]
fn events_decide_the_most_recent_activity_survivor() {
    let p = DedupPolicy::from_value(json!({"survivor": {"type": "most_recent_activity"}})).unwrap();
    let candidates = [lead("a", "01-01", json!({"phone": "13800138000"}))];
    let l = lead("n", "01-02", json!({"phone": "13800138000"}));
    let events: Vec<Event> = serde_json::from_value(json!([
        {"id": "e1", "lead_id": "a", "kind": "call", "at": "2026-03-01T00:00:00Z"},
        {"id": "e2", "lead_id": "other", "kind": "call", "at": "2026-09-01T00:00:00Z"},
    ]))
    .unwrap();
    let with = dedupe_one_with_events(&l, &candidates, &events, &p).unwrap();
    assert_eq!(with.cluster.unwrap().survivor, "a");
    let without = dedupe_one(&l, &candidates, &p).unwrap();
    assert_eq!(without.cluster.unwrap().survivor, "n");
}

/// Events on the leads `L00`… (some on ids that are not there).
fn arb_events() -> impl Strategy<Value = Vec<Event>> {
    proptest::collection::vec((0usize..10, 1u32..28), 0..8).prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (who, day))| {
                serde_json::from_value(json!({
                    "id": format!("e{i}"),
                    "lead_id": format!("L{who:02}"),
                    "kind": "call",
                    "at": format!("2026-02-{day:02}T00:00:00Z"),
                }))
                .unwrap()
            })
            .collect()
    })
}

/// Policies that read the attributes `arb_leads` writes, with any survivor and options.
fn arb_matching_policy() -> impl Strategy<Value = DedupPolicy> {
    (
        arb_policy(),
        proptest::sample::subsequence(vec![0usize, 1, 2], 1..=3),
    )
        .prop_map(|(p, pick)| {
            let keys = pick
                .into_iter()
                .filter_map(|i| DedupPolicy::default().keys.into_iter().nth(i))
                .collect();
            let survivor = match p.survivor {
                SurvivorPolicy::MostRecentActivity { .. } => SurvivorPolicy::MostRecentActivity {
                    activity_fields: vec!["attributes.last_activity_at".into()],
                },
                other => other,
            };
            DedupPolicy {
                keys,
                survivor,
                ..p
            }
        })
}

/// Renames lead `at` to the id of lead `to` (or blanks it when `to` is out of range).
fn rename(leads: &mut [Lead], at: usize, to: usize) {
    let id = leads.get(to).map_or_else(String::new, |l| l.id.clone());
    if let Some(l) = leads.get_mut(at) {
        l.id = id;
    }
}

proptest! {
    #[test]
    fn one_lead_equals_the_batch_restricted_to_its_cluster(
        mut leads in arb_leads(1..9),
        events in arb_events(),
        policy in arb_matching_policy(),
        bad_id in proptest::option::weighted(0.15, (0usize..9, 0usize..10)),
    ) {
        if let Some((at, to)) = bad_id {
            rename(&mut leads, at, to);
        }
        let batch = dedupe_with_events(&leads, &events, &policy);
        let (lead, candidates) = leads.split_last().unwrap();
        let one = dedupe_one_with_events(lead, candidates, &events, &policy);
        match (batch, one) {
            (Ok(batch), Ok(one)) => {
                let mine = batch.leads.last().unwrap();
                let cluster = mine.cluster.map(|c| batch.clusters[c].clone());
                prop_assert_eq!(&one.id, &lead.id);
                prop_assert_eq!(one.duplicate, cluster.is_some());
                prop_assert_eq!(one.cluster, cluster);
                prop_assert_eq!(&one.values, &mine.values);
            }
            (Err(batch), Err(one)) => {
                prop_assert_eq!(batch.code(), one.code());
                let n = candidates.len();
                let expected = |path: &str| {
                    path.replace(&format!("leads[{n}]"), "lead").replace("leads[", "candidates[")
                };
                prop_assert_eq!(expected(batch.path()), one.path());
            }
            (batch, one) => prop_assert!(false, "batch {:?} but one lead {:?}", batch, one),
        }
    }

    #[test]
    fn two_leads_share_a_key_text_iff_the_batch_matches_them_on_it(
        leads in arb_leads(0..12),
        policy in arb_matching_policy(),
    ) {
        let r = dedupe(&leads, &policy).unwrap();
        let mut holders: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (l, cleaned) in leads.iter().zip(&r.leads) {
            let keys = dedupe_keys(l, &policy);
            // Sorted by kind, value, contact; distinct; exactly the valid values' keys.
            let order: Vec<_> = keys.iter().map(|k| (k.kind, &k.value, &k.contact)).collect();
            prop_assert!(order.windows(2).all(|w| w[0] < w[1]));
            let text: BTreeSet<&str> = keys.iter().map(|k| k.key.as_str()).collect();
            prop_assert_eq!(text.len(), keys.len());
            for v in &cleaned.values {
                let single = match v.kind {
                    ValueKind::Phone => Some(KeyKind::Phone),
                    ValueKind::Email => Some(KeyKind::Email),
                    // Company and contact values make pairs, checked through the matches below.
                    ValueKind::Company | ValueKind::ContactName => None,
                };
                if let (Some(key), Some(kind)) = (&v.key, single) {
                    let expected = format!("{}:{key}", kind.as_str());
                    prop_assert!(text.contains(expected.as_str()));
                }
            }
            for k in keys {
                holders.entry(k.key).or_default().push(l.id.clone());
            }
        }
        let shared: BTreeSet<(String, Vec<String>)> = holders
            .into_iter()
            .filter(|(_, ids)| ids.len() > 1)
            .map(|(k, mut ids)| {
                ids.sort();
                (k, ids)
            })
            .collect();
        let matched: BTreeSet<(String, Vec<String>)> = r
            .clusters
            .iter()
            .flat_map(|c| &c.matches)
            .map(|m| {
                let key = LeadKey::new((m.key, m.value.clone(), m.contact.clone())).key;
                (key, m.leads.clone())
            })
            .collect();
        prop_assert_eq!(shared, matched);
    }
}

#[test]
fn default_keys_are_the_three_kinds() {
    // The property tests pick among these by position.
    let kinds: Vec<KeyKind> = DedupPolicy::default()
        .keys
        .iter()
        .map(DedupKey::kind)
        .collect();
    assert_eq!(
        kinds,
        [KeyKind::Phone, KeyKind::Email, KeyKind::CompanyContact]
    );
}
