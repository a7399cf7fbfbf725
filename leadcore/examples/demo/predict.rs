//! Predictive scoring: a random forest trained on the sample's history, its holdout metrics, and
//! the leads it ranks highest with the factors behind their scores.
//!
//! The sample has no real outcomes, so the labels are synthetic and documented here: a lead
//! "converts" when a hidden propensity is in the top 12 % of the batch. The propensity grows
//! with inquiries, form submissions, downloads and event check-ins, with the finance and SaaS
//! industries, senior roles, large companies and event / referral channels, plus seeded noise —
//! something a model can learn from the features, but not perfectly.

use std::collections::BTreeMap;

use leadcore::input::Config;
use leadcore::predict::{Label, PredictiveModel, TrainConfig, train};
use leadcore::rng::SplitMix64;
use leadcore::{Error, Event, EventKind, Lead};

use crate::Demo;
use crate::foundation::section;

/// The training config: seed 001's kind of features, a small forest so the demo stays quick.
const CONFIG: &str = r#"{
    "features": {
        "windows_days": [7, 30],
        "event_kinds": ["page_view", "download", "form_submit", "inquiry", "email_click", "event_checkin"],
        "day_offset_minutes": 480,
        "categorical": [{"attribute": "industry", "min_count": 20}, {"attribute": "role", "min_count": 20}],
        "numeric": [{"attribute": "employees"}],
        "city_tier": {"attribute": "city", "tiers": {"北京": 1, "上海": 1, "广州": 1, "深圳": 1,
                      "杭州": 2, "成都": 2, "武汉": 2, "西安": 2, "苏州": 2, "长沙": 3}},
        "source_quality": {"scores": {"event": 0.8, "referral": 0.7, "sem": 0.5, "content_download": 0.4,
                                      "seo": 0.3, "social": 0.2, "direct": 0.3}}
    },
    "model": {"type": "random_forest", "n_trees": 40, "max_depth": 8, "min_samples_leaf": 3},
    "seed": 42,
    "test_fraction": 0.25,
    "calibration": "platt",
    "tiers": {"type": "quantiles", "high": 0.1, "mid": 0.3},
    "permutation_repeats": 2
}"#;

/// The synthetic propensity of a lead (see the module docs).
fn propensity(lead: &Lead, events: &[Event], noise: f64) -> f64 {
    let count = |kind: EventKind| events.iter().filter(|e| e.kind == kind).count() as f64;
    let text = |key: &str| lead.attr(key).and_then(|v| v.as_str()).unwrap_or("");
    let employees = lead
        .attr("employees")
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
    let channel = lead.source.channel.as_deref().unwrap_or("");
    1.2 * count(EventKind::Inquiry)
        + 0.8 * count(EventKind::FormSubmit)
        + 0.4 * count(EventKind::Download)
        + 0.6 * count(EventKind::EventCheckin)
        + if matches!(text("industry"), "finance" | "saas") {
            1.0
        } else {
            0.0
        }
        + if matches!(text("role"), "ceo" | "sales_director") {
            0.7
        } else {
            0.0
        }
        + if employees >= 500.0 { 0.5 } else { 0.0 }
        + if matches!(channel, "event" | "referral") {
            0.8
        } else {
            0.0
        }
        + 2.0 * noise
}

/// One label per lead: converted when its propensity is in the top 12 %, features as of `now`.
fn labels(demo: &Demo) -> Vec<Label> {
    let mut rng = SplitMix64::new(7);
    let scored: Vec<(String, f64)> = demo
        .sample
        .leads
        .iter()
        .map(|lead| {
            let events = demo.events.get(&lead.id).map_or(&[][..], Vec::as_slice);
            (lead.id.clone(), propensity(lead, events, rng.next_f64()))
        })
        .collect();
    let mut sorted: Vec<f64> = scored.iter().map(|(_, p)| *p).collect();
    sorted.sort_by(f64::total_cmp);
    let cut = sorted
        .get(sorted.len() * 88 / 100)
        .copied()
        .unwrap_or(f64::INFINITY);
    scored
        .into_iter()
        .map(|(lead_id, p)| Label {
            lead_id,
            converted: p > cut,
            cutoff: demo.now,
        })
        .collect()
}

fn opt(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), |v| format!("{v:.3}"))
}

/// Holdout metrics, briefly: ranking, probability quality, lift, calibration deciles, tiers.
fn print_metrics(model: &PredictiveModel) {
    let meta = &model.metadata;
    println!(
        "trained on {} of {} labelled leads ({} converted), {} held out; seed {}",
        meta.train_rows, meta.rows, meta.positives, meta.test_rows, meta.seed
    );
    let Some(m) = &meta.metrics else {
        return;
    };
    println!(
        "holdout: ROC AUC {}  PR AUC {}  log loss {:.3}  Brier {:.3}  top-decile lift {} (base rate {:.1}%)",
        opt(m.roc_auc),
        opt(m.pr_auc),
        m.log_loss,
        m.brier,
        opt(m.top_decile_lift),
        100.0 * m.base_rate
    );
    let deciles: Vec<String> = m
        .calibration
        .iter()
        .map(|b| format!("{:.2}/{:.2}", b.mean_predicted, b.observed_rate))
        .collect();
    println!(
        "calibration (predicted/observed, lowest decile first): {}",
        deciles.join(" ")
    );
    for t in &m.tiers {
        println!(
            "  working {:?} and up (p ≥ {:.3}): {} leads, precision {}, recall {}",
            t.tier,
            t.threshold,
            t.rows,
            opt(t.precision),
            opt(t.recall)
        );
    }
    let top: Vec<String> = meta
        .permutation_importance
        .iter()
        .take(4)
        .map(|i| format!("{} {:.3}", i.feature, i.importance))
        .collect();
    println!("permutation importance (AUC drop): {}", top.join(", "));
}

/// Trains on the sample's history, prints the holdout metrics and the five leads ranked
/// highest with their top factors.
pub fn run(demo: &Demo) -> Result<(), Error> {
    section("predictive scoring (random forest on a synthetic outcome)");
    let config = TrainConfig::from_json(CONFIG)?;
    let labels = labels(demo);
    let leads = &demo.sample.leads;
    let model = train(&config, leads, &demo.sample.events, &labels, demo.now, 2)?;
    print_metrics(&model);

    let bytes = model.to_bytes()?;
    let model = PredictiveModel::from_bytes(&bytes)?;
    println!(
        "model file: {} bytes binary, {} bytes JSON (format version {})",
        bytes.len(),
        model.to_json().len(),
        model.format_version
    );

    let scores = model.score(leads, &demo.sample.events, demo.now, 2)?;
    let mut tiers: BTreeMap<String, usize> = BTreeMap::new();
    for s in &scores {
        *tiers
            .entry(format!("{:?}", s.tier).to_lowercase())
            .or_default() += 1;
    }
    println!("tiers over all {} leads: {tiers:?}", scores.len());
    let mut ranked: Vec<_> = scores.iter().collect();
    ranked.sort_by(|a, b| {
        b.probability
            .total_cmp(&a.probability)
            .then_with(|| a.lead_id.cmp(&b.lead_id))
    });
    println!("top 5 leads:");
    for s in ranked.iter().take(5) {
        let factors: Vec<String> = s
            .positive
            .iter()
            .map(|f| format!("{}={} {:+.3}", f.feature, f.value, f.effect))
            .collect();
        println!(
            "  {} p={:.3} {:?}  because {}",
            s.lead_id,
            s.probability,
            s.tier,
            factors.join(", ")
        );
    }
    Ok(())
}
