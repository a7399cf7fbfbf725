//! Funnel properties and the seeds' numbers.

use proptest::prelude::*;

use super::*;
use crate::input::Config;
use crate::lead::{EdgeKind, StageChange};

fn at(day: i64, hour: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(1_767_225_600 + day * 86_400 + hour * 3600, 0).unwrap()
}

fn lead(id: usize, channel: &str, changes: &[(&str, i64, i64)], amounts: &[(&str, f64)]) -> Lead {
    let mut l = Lead::new(format!("L{id}"), at(0, 0));
    l.source.channel = Some(channel.into());
    l.history = changes
        .iter()
        .map(|&(to, day, late)| StageChange {
            from: None,
            to: to.into(),
            at: at(day, 0),
            recorded_at: at(day + late, 0),
            actor: None,
            reason: None,
            edge: EdgeKind::Forward,
            owner: None,
        })
        .collect();
    for &(k, v) in amounts {
        l.attributes
            .insert(k.into(), crate::lead::AttrValue::Number(v));
    }
    l
}

fn seed000() -> FunnelConfig {
    FunnelConfig::from_json(
        r#"{"stages": [{"id": "Leads"}, {"id": "MQL"}, {"id": "SQL"},
            {"id": "Opportunity", "amount": "opportunity_amount"}, {"id": "Order", "amount": "order_amount"},
            {"id": "Payment", "amount": "payment_amount"}],
            "entry_stage": "Leads", "granularity": "day", "utc_offset": "+08:00", "dimensions": ["channel"]}"#,
    )
    .unwrap()
}

const STAGES: [&str; 5] = ["MQL", "SQL", "Opportunity", "Order", "Payment"];

prop_compose! {
    fn any_lead()(id in 0usize..1000, ch in 0usize..3, depth in 0usize..6, start in 0i64..60, gaps in proptest::collection::vec((0i64..20, 0i64..15), 5), amount in 0u32..100_000) -> Lead {
        let mut day = start;
        let changes: Vec<(&str, i64, i64)> = STAGES.iter().take(depth).zip(&gaps).map(|(s, &(g, late))| { day += g; (*s, day, late) }).collect();
        lead(id, ["sem", "seo", "event"][ch], &changes, &[("opportunity_amount", f64::from(amount) / 7.0), ("order_amount", f64::from(amount) / 3.0)])
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn funnel_merge_is_exact(leads in proptest::collection::vec(any_lead(), 0..40), cut in 0usize..40, recorded in any::<bool>()) {
        let mut config = seed000();
        config.granularity = Granularity::Week;
        if recorded { config.time_basis = TimeBasis::Recorded; }
        let mut one = FunnelAccumulator::new(config.clone()).unwrap();
        one.add_leads(&leads).unwrap();
        let cut = cut.min(leads.len());
        let mut a = FunnelAccumulator::new(config.clone()).unwrap();
        a.add_leads(&leads[cut..]).unwrap();
        let mut b = FunnelAccumulator::new(config).unwrap();
        b.add_leads(&leads[..cut]).unwrap();
        let b = FunnelAccumulator::from_bytes(&b.to_bytes().unwrap()).unwrap();
        a.merge(&FunnelAccumulator::from_json(&b.to_json()).unwrap()).unwrap();
        prop_assert_eq!(one.to_json(), a.to_json());
        prop_assert_eq!(serde_json::to_string(&one.finish()).unwrap(), serde_json::to_string(&a.finish()).unwrap());
        // Totals do not depend on the time basis or granularity.
        let entered: u64 = one.finish().totals.iter().map(|r| r.entered).sum();
        let expected: usize = leads.iter().map(|l| 1 + l.history.len()).sum();
        prop_assert_eq!(entered as usize, expected);
    }
}

#[test]
fn month_end_push_shows_on_the_recorded_basis() {
    // Seed 000: SQLs that qualified through January are recorded on Jan 30–31 (China time).
    let leads: Vec<Lead> = (0..10)
        .map(|i| {
            let day = 2 + 2 * i as i64; // qualified Jan 3, 5, …, 21
            lead(
                i,
                "sem",
                &[("MQL", day - 1, 0), ("SQL", day, 29 - day)],
                &[],
            )
        })
        .collect();
    let mut config = seed000();
    config.dimensions.clear();
    let effective = funnel(&config, &leads).unwrap();
    config.time_basis = TimeBasis::Recorded;
    let recorded = funnel(&config, &leads).unwrap();
    let sql_days = |r: &FunnelReport| -> Vec<(String, u64)> {
        r.groups
            .iter()
            .filter(|g| g.stages[2].entered > 0)
            .map(|g| (g.period.clone(), g.stages[2].entered))
            .collect()
    };
    assert_eq!(sql_days(&effective).len(), 10);
    assert_eq!(sql_days(&recorded), [("2026-01-30".to_string(), 10)]);
    let lag = recorded.totals[2].recording_lag_days_mean.unwrap();
    assert_eq!(
        lag,
        (0..10).map(|i| 27.0 - 2.0 * i as f64).sum::<f64>() / 10.0
    );
}

#[test]
fn roi_chain_seed000() {
    let leads = vec![
        lead(
            1,
            "paid",
            &[
                ("MQL", 1, 0),
                ("SQL", 3, 0),
                ("Opportunity", 5, 0),
                ("Order", 20, 0),
                ("Payment", 25, 0),
            ],
            &[
                ("opportunity_amount", 30000.0),
                ("order_amount", 24000.0),
                ("payment_amount", 24000.0),
            ],
        ),
        lead(2, "paid", &[("MQL", 2, 0)], &[]),
        lead(3, "seo", &[("MQL", 2, 0), ("SQL", 4, 0)], &[]),
    ];
    let config = RoiConfig::from_json(&format!(
        r#"{{"funnel": {}, "revenue_stage": "Payment"}}"#,
        serde_json::json!({"stages": seed000().stages, "entry_stage": "Leads", "granularity": "month", "utc_offset": "+08:00"})
    ))
    .unwrap();
    let spend = vec![
        Spend {
            channel: "paid".into(),
            period: "2026-01".into(),
            amount: 300.0,
        },
        Spend {
            channel: "seo".into(),
            period: "2026-01".into(),
            amount: 150.0,
        },
        Spend {
            channel: "event".into(),
            period: "2026-01".into(),
            amount: 1000.0,
        },
    ];
    let r = channel_roi(&config, &leads, &spend).unwrap();
    let paid = r.rows.iter().find(|x| x.channel == "paid").unwrap();
    assert_eq!(paid.stages[0].count, 2);
    assert_eq!(paid.stages[0].cost_per, Some(150.0));
    assert_eq!(paid.stages[3].cost_per, Some(300.0));
    assert_eq!(paid.revenue, 24000.0);
    assert_eq!(paid.roi, Some(79.0));
    let event = r.rows.iter().find(|x| x.channel == "event").unwrap();
    assert_eq!((event.stages[0].count, event.roi), (0, Some(-1.0)));
    assert_eq!(r.totals.len(), 3);
    let bad = vec![Spend {
        channel: "paid".into(),
        period: "2026-1".into(),
        amount: 1.0,
    }];
    assert_eq!(
        channel_roi(&config, &leads, &bad).unwrap_err().code(),
        "invalid_period"
    );
}

#[test]
fn capacity_seed003_and_seed000() {
    let mlg = CapacityConfig::from_json(r#"{"stages": [{"id": "Leads"}, {"id": "MQL", "rate": 0.1},
        {"id": "Opportunity", "rate": 0.5}, {"id": "Deal", "rate": 0.6}],
        "roles": [{"id": "SDR", "handles": "Leads", "capacity": 500}, {"id": "Rep", "handles": "Opportunity", "capacity": 10}]}"#).unwrap();
    let plan = capacity_plan(
        &mlg,
        &PlanInput {
            leads: Some(1000),
            revenue_target: None,
        },
    )
    .unwrap();
    let heads: Vec<u64> = plan.headcount.iter().map(|h| h.heads).collect();
    assert_eq!(heads, [2, 5]);
    let slg = CapacityConfig::from_json(r#"{"stages": [{"id": "Leads"}], "roles": [{"id": "Rep", "handles": "Leads", "capacity": 125}]}"#).unwrap();
    assert_eq!(
        capacity_plan(
            &slg,
            &PlanInput {
                leads: Some(1000),
                revenue_target: None
            }
        )
        .unwrap()
        .headcount[0]
            .heads,
        8
    );
    let sim = capacity_monte_carlo(
        &mlg,
        &PlanInput {
            leads: Some(1000),
            revenue_target: None,
        },
        &Simulation {
            runs: 2000,
            seed: 1,
            percentiles: vec![50.0],
        },
    )
    .unwrap();
    let deals = sim
        .distributions
        .iter()
        .find(|d| d.quantity == "stage:Deal")
        .unwrap();
    assert!((deals.mean - 30.0).abs() < 1.0, "{}", deals.mean);
}
