use std::collections::BTreeSet;

use proptest::prelude::*;
use serde_json::json;

use super::*;

pub(super) fn lead(id: &str, created: &str, attributes: serde_json::Value) -> Lead {
    serde_json::from_value(json!({
        "id": id,
        "created_at": format!("2026-{created}T00:00:00Z"),
        "attributes": attributes,
    }))
    .unwrap()
}

fn policy(json: serde_json::Value) -> DedupPolicy {
    DedupPolicy::from_value(json).unwrap()
}

fn ids(list: &[String]) -> Vec<&str> {
    list.iter().map(String::as_str).collect()
}

#[test]
fn links_transitively_and_explains_each_link() {
    let leads = [
        lead("c", "01-03", json!({"email": "LI@acme.cn"})),
        lead("a", "01-01", json!({"phone": "+86 138 0013 8000"})),
        lead(
            "b",
            "01-02",
            json!({"mobile": "13800138000", "email": "li@acme.cn"}),
        ),
        lead("d", "01-04", json!({"phone": "13900139000"})),
    ];
    let r = dedupe(&leads, &DedupPolicy::default()).unwrap();
    assert_eq!(r.clusters.len(), 1);
    let c = &r.clusters[0];
    assert_eq!(ids(&c.members), ["a", "b", "c"]);
    assert_eq!(c.survivor, "a");
    assert_eq!(ids(&c.merged), ["b", "c"]);
    let links: Vec<_> = c
        .matches
        .iter()
        .map(|m| (m.key, m.value.as_str(), ids(&m.leads)))
        .collect();
    assert_eq!(
        links,
        [
            (KeyKind::Phone, "13800138000", vec!["a", "b"]),
            (KeyKind::Email, "li@acme.cn", vec!["b", "c"]),
        ]
    );
    assert_eq!(ids(&r.unique), ["d"]);
    // Cleaned values follow input order and point at their cluster.
    assert_eq!(r.leads[0].id, "c");
    assert_eq!(r.leads[0].cluster, Some(0));
    assert_eq!(r.leads[3].cluster, None);
    assert_eq!(r.leads[0].values[0].cleaned.as_deref(), Some("li@acme.cn"));
    assert_eq!(
        r.stats,
        DedupStats {
            leads: 4,
            clusters: 1,
            duplicates: 2,
            unique: 1,
            invalid_values: 0
        }
    );
}

#[test]
fn other_countries_phones_match_on_their_e164_form() {
    let leads = [
        lead("a", "01-01", json!({"phone": "+1 415-555-0100"})),
        lead("b", "01-02", json!({"mobile": "+14155550100"})),
        lead("c", "01-03", json!({"phone": "001 (415) 555 0100"})),
        lead("d", "01-04", json!({"phone": "+44 20 7946 0000"})),
        lead("e", "01-05", json!({"phone": "+999 123 456"})),
    ];
    let r = dedupe(&leads, &DedupPolicy::default()).unwrap();
    assert_eq!(r.clusters.len(), 1);
    assert_eq!(ids(&r.clusters[0].members), ["a", "b", "c"]);
    assert_eq!(r.clusters[0].matches[0].value, "+14155550100");
    assert_eq!(ids(&r.unique), ["d", "e"]);
    let d = &r.leads[3].values[0];
    assert_eq!(d.cleaned.as_deref(), Some("+442079460000"));
    assert_eq!(r.leads[4].values[0].reason, Some("unknown_country_code"));
    let keys = dedupe_keys(&leads[1], &DedupPolicy::default());
    assert_eq!(keys[0].key, "phone:+14155550100");
}

#[test]
fn company_contact_needs_both_and_normalizes_both() {
    let leads = [
        lead(
            "a",
            "01-01",
            json!({"company": "阿里巴巴（中国）网络技术有限公司", "contact_name": "张 三"}),
        ),
        lead(
            "b",
            "01-02",
            json!({"company": "阿里巴巴网络技术有限公司", "contact_name": "张三"}),
        ),
        lead("c", "01-03", json!({"company": "阿里巴巴网络技术有限公司"})),
        lead(
            "d",
            "01-04",
            json!({"company": "阿里巴巴网络技术有限公司", "contact_name": "李四"}),
        ),
    ];
    let r = dedupe(&leads, &DedupPolicy::default()).unwrap();
    assert_eq!(r.clusters.len(), 1);
    let m = &r.clusters[0].matches[0];
    assert_eq!(
        (m.key, m.value.as_str(), m.contact.as_deref()),
        (KeyKind::CompanyContact, "阿里巴巴网络技术", Some("张三"))
    );
    assert_eq!(ids(&r.unique), ["c", "d"]);
    let company = &r.leads[0].values[0];
    assert_eq!(company.kind, ValueKind::Company);
    assert_eq!(
        company.cleaned.as_deref(),
        Some("阿里巴巴(中国)网络技术有限公司")
    );
}

#[test]
fn raw_value_types_are_read_as_documented() {
    let leads = [
        lead(
            "a",
            "01-01",
            json!({"phone": 13800138000u64, "mobile": ["139 0013 9000", "bad"]}),
        ),
        lead("b", "01-02", json!({"phone": "13900139000", "email": ""})),
        lead(
            "c",
            "01-03",
            json!({"phone": true, "mobile": 1.5, "email": null, "company": "  "}),
        ),
        lead(
            "d",
            "01-04",
            json!({"phone": "2026-01-01", "mobile": -13800138000i64, "contact_name": 7}),
        ),
    ];
    let r = dedupe(&leads, &DedupPolicy::default()).unwrap();
    assert_eq!(ids(&r.clusters[0].members), ["a", "b"]);
    let reasons = |i: usize| -> Vec<(&str, Option<usize>, Option<&str>)> {
        r.leads[i]
            .values
            .iter()
            .map(|v| (v.field.as_str(), v.index, v.reason))
            .collect()
    };
    assert_eq!(
        reasons(0),
        [
            ("attributes.phone", None, None),
            ("attributes.mobile", Some(0), None),
            ("attributes.mobile", Some(1), Some("invalid_character")),
        ]
    );
    assert_eq!(r.leads[0].values[0].cleaned.as_deref(), Some("13800138000"));
    assert_eq!(
        reasons(1),
        [
            ("attributes.phone", None, None),
            ("attributes.email", None, Some("empty")),
        ]
    );
    assert_eq!(
        reasons(2),
        [
            ("attributes.phone", None, Some("not_text")),
            ("attributes.mobile", None, Some("not_text")),
            ("attributes.company", None, Some("empty")),
        ]
    );
    assert_eq!(
        reasons(3),
        [
            ("attributes.phone", None, Some("not_text")),
            ("attributes.mobile", None, Some("not_text")),
            ("attributes.contact_name", None, None),
        ]
    );
    assert_eq!(r.stats.invalid_values, 7);
}

#[test]
fn blank_and_repeated_ids_are_errors() {
    let a = lead("a", "01-01", json!({}));
    let blank = lead(" ", "01-01", json!({}));
    let e = dedupe(&[a.clone(), blank], &DedupPolicy::default()).unwrap_err();
    assert_eq!((e.code(), e.path()), ("empty_lead_id", "leads[1].id"));
    let e = dedupe(
        &[a.clone(), lead("b", "01-01", json!({})), a],
        &DedupPolicy::default(),
    )
    .unwrap_err();
    assert_eq!((e.code(), e.path()), ("duplicate_lead_id", "leads[2].id"));
    let e = crate::Error::from(e);
    assert_eq!(e.category(), crate::Category::Dedup);
    assert_eq!(e.path(), "leads[2].id");
}

#[test]
fn empty_batch_is_empty() {
    let r = dedupe(&[], &DedupPolicy::default()).unwrap();
    assert!(r.clusters.is_empty() && r.unique.is_empty() && r.leads.is_empty());
}

#[test]
fn survivor_policies() {
    let leads = [
        lead(
            "b",
            "01-01",
            json!({"phone": "13800138000", "city": "北京"}),
        ),
        lead(
            "a",
            "01-01",
            json!({"phone": "13800138000", "city": "", "tags": []}),
        ),
        lead(
            "c",
            "03-01",
            json!({"phone": "13800138000", "city": "上海", "industry": "saas"}),
        ),
    ];
    let oldest = dedupe(&leads, &DedupPolicy::default()).unwrap();
    let c = &oldest.clusters[0];
    assert_eq!(c.survivor, "a");
    assert!(matches!(
        c.survivor_reason,
        SurvivorReason::Oldest {
            tie_broken_by_id: true,
            ..
        }
    ));

    let complete = dedupe(
        &leads,
        &policy(json!({"survivor": {"type": "most_complete"}})),
    )
    .unwrap();
    assert_eq!(complete.clusters[0].survivor, "c");
    assert_eq!(
        complete.clusters[0].survivor_reason,
        SurvivorReason::MostComplete {
            filled_attributes: 3,
            tie_broken_by_id: false
        }
    );

    let recent = policy(json!({"survivor": {"type": "most_recent_activity"}}));
    let events: Vec<Event> = serde_json::from_value(json!([
        {"id": "e1", "lead_id": "b", "kind": "call", "at": "2026-04-01T00:00:00Z"},
        {"id": "e1", "lead_id": "b", "kind": "call", "at": "2026-04-01T00:00:00Z"},
        {"id": "e2", "lead_id": "a", "kind": "page_view", "at": "2026-02-01T00:00:00Z"},
        {"id": "e3", "lead_id": "zz", "kind": "page_view", "at": "2027-01-01T00:00:00Z"}
    ]))
    .unwrap();
    let r = dedupe_with_events(&leads, &events, &recent).unwrap();
    assert_eq!(r.clusters[0].survivor, "b");
    assert_eq!(
        r.clusters[0].survivor_reason,
        SurvivorReason::MostRecentActivity {
            activity_at: crate::time::parse("2026-04-01T00:00:00Z").unwrap(),
            source: ActivitySource::Event,
            tie_broken_by_id: false
        }
    );
    // Without events, c's creation (03-01) is the latest activity.
    let r = dedupe(&leads, &recent).unwrap();
    assert_eq!(r.clusters[0].survivor, "c");
    assert!(matches!(
        r.clusters[0].survivor_reason,
        SurvivorReason::MostRecentActivity {
            source: ActivitySource::CreatedAt,
            ..
        }
    ));
    // An activity attribute (a date counts as midnight UTC) beats an older event.
    let mut leads = leads.to_vec();
    leads[1]
        .attributes
        .insert("last_activity_at".into(), AttrValue::Text("x".into()));
    leads[1].attributes.insert(
        "last_activity_at".into(),
        serde_json::from_value(json!("2026-05-01")).unwrap(),
    );
    let r = dedupe_with_events(&leads, &events, &recent).unwrap();
    assert_eq!(r.clusters[0].survivor, "a");
    let json = serde_json::to_value(&r.clusters[0].survivor_reason).unwrap();
    assert_eq!(
        json,
        json!({"policy": "most_recent_activity", "activity_at": "2026-05-01T00:00:00Z",
               "source": "attribute", "tie_broken_by_id": false})
    );
}

#[test]
fn email_provider_rules_apply_to_matching() {
    let leads = [
        lead("a", "01-01", json!({"email": "zhang.san@gmail.com"})),
        lead(
            "b",
            "01-02",
            json!({"email": "ZhangSan+crm@googlemail.com"}),
        ),
    ];
    assert!(
        dedupe(&leads, &DedupPolicy::default())
            .unwrap()
            .clusters
            .is_empty()
    );
    let gmail = policy(json!({"email": {"gmail_dots": true, "plus_tags": "known_providers"}}));
    let r = dedupe(&leads, &gmail).unwrap();
    assert_eq!(r.clusters[0].matches[0].value, "zhangsan@gmail.com");
    assert_eq!(
        r.leads[1].values[0].cleaned.as_deref(),
        Some("zhangsan+crm@googlemail.com")
    );
}

#[test]
fn keys_and_fields_are_configurable() {
    let leads = [
        lead(
            "a",
            "01-01",
            json!({"tel": "13800138000", "email": "x@y.cn"}),
        ),
        lead(
            "b",
            "01-02",
            json!({"tel": "13800138000", "email": "x@y.cn"}),
        ),
    ];
    let p = policy(json!({"keys": [{"type": "email"}]}));
    let r = dedupe(&leads, &p).unwrap();
    assert_eq!(r.clusters[0].matches.len(), 1);
    let p = policy(json!({"keys": [{"type": "phone", "fields": ["attributes.tel"]}]}));
    let r = dedupe(&leads, &p).unwrap();
    assert_eq!(r.clusters[0].matches[0].key, KeyKind::Phone);
}

#[test]
fn config_errors_name_the_path() {
    let cases = [
        (json!({"keys": []}), "invalid_value", "keys"),
        (
            json!({"keys": [{"type": "phone"}, {"type": "phone"}]}),
            "duplicate_id",
            "keys[1].type",
        ),
        (
            json!({"keys": [{"type": "email", "fields": ["email"]}]}),
            "invalid_value",
            "keys[0].fields[0]",
        ),
        (
            json!({"keys": [{"type": "email", "fields": ["attributes."]}]}),
            "invalid_value",
            "keys[0].fields[0]",
        ),
        (
            json!({"keys": [{"type": "email", "fields": []}]}),
            "invalid_value",
            "keys[0].fields",
        ),
        (
            json!({"keys": [{"type": "company_contact", "contact_fields": ["attributes.n", "attributes.n"]}]}),
            "duplicate_id",
            "keys[0].contact_fields[1]",
        ),
        (
            json!({"keys": [{"type": "fax"}]}),
            "invalid_type",
            "keys[0].type",
        ),
        (
            json!({"keys": [{"type": "phone", "field": "attributes.phone"}]}),
            "unknown_field",
            "keys[0].field",
        ),
        (
            json!({"survivor": {"type": "oldest", "by": "x"}}),
            "unknown_field",
            "survivor.by",
        ),
        (
            json!({"survivor": {"type": "most_recent_activity", "activity_fields": ["x"]}}),
            "invalid_value",
            "survivor.activity_fields[0]",
        ),
        (
            json!({"company": {"extra_regions": [""]}}),
            "invalid_value",
            "company.extra_regions[0]",
        ),
        (
            json!({"email": {"plus_tags": "sometimes"}}),
            "invalid_type",
            "email.plus_tags",
        ),
        (json!({"surviver": {}}), "unknown_field", "surviver"),
    ];
    for (config, code, path) in cases {
        let e = DedupPolicy::from_value(config.clone()).unwrap_err();
        assert_eq!((e.code(), e.path.as_str()), (code, path), "{config}");
    }
}

fn arb_fields() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::btree_set("[a-z_]{1,8}", 1..3)
        .prop_map(|s| s.into_iter().map(|f| format!("attributes.{f}")).collect())
}

pub(super) fn arb_policy() -> impl Strategy<Value = DedupPolicy> {
    let key = prop_oneof![
        arb_fields().prop_map(|fields| DedupKey::Phone { fields }),
        arb_fields().prop_map(|fields| DedupKey::Email { fields }),
        (arb_fields(), arb_fields()).prop_map(|(company_fields, contact_fields)| {
            DedupKey::CompanyContact {
                company_fields,
                contact_fields,
            }
        }),
    ];
    let survivor = prop_oneof![
        Just(SurvivorPolicy::Oldest {}),
        Just(SurvivorPolicy::MostComplete {}),
        arb_fields()
            .prop_map(|activity_fields| SurvivorPolicy::MostRecentActivity { activity_fields }),
    ];
    (
        proptest::collection::vec(key, 1..4),
        survivor,
        any::<bool>(),
        any::<bool>(),
        proptest::collection::btree_set("[a-z]{1,4}", 0..3),
    )
        .prop_map(|(keys, survivor, gmail_dots, strip, regions)| {
            let mut seen = BTreeSet::new();
            let keys = keys.into_iter().filter(|k| seen.insert(k.kind())).collect();
            DedupPolicy {
                keys,
                survivor,
                email: EmailOptions {
                    gmail_dots,
                    plus_tags: crate::clean::PlusTags::All,
                },
                company: CompanyOptions {
                    strip_legal_suffixes: strip,
                    extra_regions: regions.into_iter().collect(),
                    ..CompanyOptions::default()
                },
            }
        })
}

/// A small batch where collisions are likely: few distinct phones, emails, companies.
fn arb_batch() -> impl Strategy<Value = Vec<Lead>> {
    arb_leads(0..25)
}

/// Leads `L00`, `L01`… with colliding phones, emails, companies and contacts.
pub(super) fn arb_leads(size: std::ops::Range<usize>) -> impl Strategy<Value = Vec<Lead>> {
    let attrs = (
        proptest::option::of(prop_oneof![
            Just("13800138000"),
            Just("+86 138 0013 8000"),
            Just("13900139000"),
            Just("139-0013-9000"),
            Just("123"),
            Just(""),
        ]),
        proptest::option::of(prop_oneof![
            Just("a@x.cn"),
            Just("A@X.CN"),
            Just("b@x.cn"),
            Just("bad"),
        ]),
        proptest::option::of(prop_oneof![Just("甲有限公司"), Just("甲"), Just("乙公司")]),
        proptest::option::of(prop_oneof![Just("张三"), Just("李四")]),
        0u32..5,
    );
    proptest::collection::vec(attrs, size).prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (phone, email, company, contact, day))| {
                let mut attributes = serde_json::Map::new();
                for (k, v) in [
                    ("phone", phone),
                    ("email", email),
                    ("company", company),
                    ("contact_name", contact),
                ] {
                    if let Some(v) = v {
                        attributes.insert(k.into(), json!(v));
                    }
                }
                lead(
                    &format!("L{i:02}"),
                    &format!("01-{:02}", day + 1),
                    serde_json::Value::Object(attributes),
                )
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn policies_round_trip_through_json(p in arb_policy()) {
        prop_assert!(p.validate().is_ok());
        let back = DedupPolicy::from_json(&p.to_json()).unwrap();
        prop_assert_eq!(back, p);
    }

    #[test]
    fn clusters_partition_the_batch_whatever_the_order(
        leads in arb_batch(),
        rotate in 0usize..25,
        reverse in any::<bool>(),
        p in arb_policy(),
    ) {
        let plain = DedupPolicy { keys: DedupPolicy::default().keys, ..p };
        let r = dedupe(&leads, &plain).unwrap();
        // Partition: every lead exactly once across clusters and unique.
        let mut all: Vec<&str> = r.unique.iter().map(String::as_str).collect();
        for c in &r.clusters {
            prop_assert!(c.members.len() >= 2);
            prop_assert!(c.members.contains(&c.survivor));
            prop_assert_eq!(c.merged.len() + 1, c.members.len());
            prop_assert!(!c.matches.is_empty());
            all.extend(c.members.iter().map(String::as_str));
        }
        all.sort_unstable();
        let mut expected: Vec<&str> = leads.iter().map(|l| l.id.as_str()).collect();
        expected.sort_unstable();
        prop_assert_eq!(all, expected);

        // Same result for any input order, except `leads`, which follows the input.
        let mut shuffled = leads.clone();
        if !shuffled.is_empty() {
            let k = rotate % shuffled.len();
            shuffled.rotate_left(k);
        }
        if reverse {
            shuffled.reverse();
        }
        let s = dedupe(&shuffled, &plain).unwrap();
        prop_assert_eq!(&s.clusters, &r.clusters);
        prop_assert_eq!(&s.unique, &r.unique);
        prop_assert_eq!(s.stats, r.stats);
        let mut a = r.leads.clone();
        let mut b = s.leads.clone();
        a.sort_by(|x, y| x.id.cmp(&y.id));
        b.sort_by(|x, y| x.id.cmp(&y.id));
        prop_assert_eq!(a, b);
    }
}

#[test]
fn large_batch_stays_quick() {
    // A sanity check, not a benchmark: 20,000 leads, every tenth a duplicate of an earlier one.
    let n = 20_000;
    let leads: Vec<Lead> = (0..n)
        .map(|i| {
            let who = if i % 10 == 9 { i - 5 } else { i };
            let mut l = Lead::new(
                format!("L{i:06}"),
                crate::time::parse("2026-01-01T00:00:00Z").unwrap(),
            );
            l.attributes
                .insert("phone".into(), AttrValue::Text(format!("138{:08}", who)));
            l.attributes.insert(
                "email".into(),
                AttrValue::Text(format!("user{who}@example.cn")),
            );
            l.attributes.insert(
                "company".into(),
                AttrValue::Text(format!("公司{}有限公司", who % 997)),
            );
            l
        })
        .collect();
    let r = dedupe(&leads, &DedupPolicy::default()).unwrap();
    assert_eq!(r.stats.clusters, n / 10);
    assert_eq!(r.stats.duplicates, n / 10);
    assert_eq!(r.stats.unique, n - 2 * (n / 10));
}
