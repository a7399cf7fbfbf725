//! Seeded synthetic leads and events, for demos, benches and tests in every language.
//!
//! The data looks like a Chinese B2B SaaS vendor's: industries, cities, phones (some invalid,
//! some shared by duplicate leads), work and free-mail addresses, company names written several
//! ways, channels and an engagement stream. The same seed gives the same data everywhere.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::event::{Event, EventKind};
use crate::lead::{AttrValue, Lead, Source};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleSpec {
    /// Seed of the generator; the same seed gives the same sample.
    pub seed: u64,
    /// Number of leads.
    pub leads: usize,
    /// Mean number of events per lead (a geometric-like spread around it).
    #[serde(default = "default_events")]
    pub mean_events: f64,
    /// Leads are created over the `days` days before `end`.
    #[serde(default = "default_days")]
    pub days: u32,
    /// The end of the sampled period (no lead or event is later).
    #[serde(with = "crate::time::rfc3339")]
    pub end: DateTime<Utc>,
    /// Fraction of leads that are re-entries of an earlier lead (same phone or email), 0..=1.
    #[serde(default = "default_duplicates")]
    pub duplicate_rate: f64,
}

fn default_events() -> f64 {
    8.0
}
fn default_days() -> u32 {
    90
}
fn default_duplicates() -> f64 {
    0.05
}

/// A generated population.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// The leads, in creation order.
    pub leads: Vec<Lead>,
    /// Their events, in time order.
    pub events: Vec<Event>,
}

const INDUSTRIES: [&str; 8] = [
    "saas",
    "retail",
    "manufacturing",
    "education",
    "finance",
    "ad_agency",
    "healthcare",
    "logistics",
];
const CITIES: [&str; 10] = [
    "北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "西安", "苏州", "长沙",
];
const CHANNELS: [(&str, u32); 7] = [
    ("sem", 30),
    ("seo", 25),
    ("event", 10),
    ("content_download", 15),
    ("referral", 5),
    ("social", 10),
    ("direct", 5),
];
const ROLES: [&str; 5] = [
    "ceo",
    "sales_director",
    "marketing_manager",
    "it_manager",
    "staff",
];
const SEGMENTS: [&str; 12] = [
    "138", "139", "135", "186", "159", "177", "188", "133", "199", "150", "187", "189",
];
const FREE_MAIL: [&str; 4] = ["qq.com", "163.com", "126.com", "gmail.com"];
const COMPANY_STEMS: [&str; 12] = [
    "云帆", "星河", "数智", "远航", "联创", "易通", "华信", "博远", "智联", "启明", "天成", "新象",
];
const SUFFIXES: [&str; 4] = [
    "有限公司",
    "科技有限公司",
    "股份有限公司",
    "(北京)科技有限公司",
];
const EVENT_KINDS: [(EventKind, u32); 9] = [
    (EventKind::PageView, 45),
    (EventKind::EmailOpen, 15),
    (EventKind::EmailClick, 8),
    (EventKind::Download, 8),
    (EventKind::Search, 8),
    (EventKind::Favorite, 4),
    (EventKind::FormSubmit, 5),
    (EventKind::Inquiry, 4),
    (EventKind::EventCheckin, 3),
];

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> Option<&'a T> {
    if items.is_empty() {
        return None;
    }
    items.get(rng.random_range(0..items.len()))
}

fn weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, u32)]) -> Option<T> {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    if total == 0 {
        return None;
    }
    let mut r = rng.random_range(0..total);
    for (item, w) in items {
        if r < *w {
            return Some(*item);
        }
        r -= w;
    }
    None
}

fn text(s: impl Into<String>) -> AttrValue {
    AttrValue::Text(s.into())
}

/// Generates a seeded population of leads and events.
///
/// ```
/// use leadcore::sample::{generate, SampleSpec};
/// let spec = SampleSpec { seed: 7, leads: 100, mean_events: 5.0, days: 30,
///     end: leadcore::time::parse("2026-11-23T00:00:00Z").unwrap(), duplicate_rate: 0.05 };
/// let a = generate(&spec);
/// assert_eq!(a.leads.len(), 100);
/// assert_eq!(a, generate(&spec));
/// ```
pub fn generate(spec: &SampleSpec) -> Sample {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let days = i64::from(spec.days.max(1));
    let start = crate::time::sub(spec.end, crate::time::days(days));
    let span_secs = days * 86_400;
    let mean_events = if spec.mean_events.is_finite() {
        spec.mean_events.clamp(0.0, 10_000.0)
    } else {
        0.0
    };
    let dup_rate = if spec.duplicate_rate.is_finite() {
        spec.duplicate_rate.clamp(0.0, 1.0)
    } else {
        0.0
    };

    let mut created: Vec<i64> = (0..spec.leads)
        .map(|_| rng.random_range(0..span_secs))
        .collect();
    created.sort_unstable();

    let mut leads: Vec<Lead> = Vec::with_capacity(spec.leads);
    let mut events = Vec::new();
    for (i, offset) in created.iter().enumerate() {
        let created_at = crate::time::add(start, crate::time::seconds(*offset));
        let mut lead = Lead::new(format!("L{:06}", i + 1), created_at);
        let original = if i > 0 && rng.random_bool(dup_rate) {
            leads.get(rng.random_range(0..i)).cloned()
        } else {
            None
        };
        let channel = weighted(&mut rng, &CHANNELS).unwrap_or("direct");
        lead.source = Source {
            channel: Some(channel.to_string()),
            campaign: Some(format!("{channel}-{}", rng.random_range(1..=4))),
            referrer: (channel == "referral").then(|| format!("rep{}", rng.random_range(1..=8))),
            ..Source::default()
        };
        let a = &mut lead.attributes;
        match original {
            Some(orig) => {
                // A re-entry: same person, typed differently.
                for key in [
                    "industry",
                    "city",
                    "employees",
                    "role",
                    "company",
                    "contact_name",
                ] {
                    if let Some(v) = orig.attributes.get(key) {
                        a.insert(key.to_string(), v.clone());
                    }
                }
                if let Some(AttrValue::Text(p)) = orig.attributes.get("phone") {
                    a.insert("phone".into(), text(format!("+86 {p}")));
                }
                if let Some(AttrValue::Text(e)) = orig.attributes.get("email") {
                    a.insert("email".into(), text(format!(" {} ", e.to_uppercase())));
                }
            }
            None => {
                let industry = pick(&mut rng, &INDUSTRIES).copied().unwrap_or("saas");
                a.insert("industry".into(), text(industry));
                a.insert(
                    "city".into(),
                    text(pick(&mut rng, &CITIES).copied().unwrap_or("北京")),
                );
                let employees = (10.0 * (rng.random::<f64>() * 8.0).exp())
                    .round()
                    .min(100_000.0);
                a.insert("employees".into(), AttrValue::Number(employees));
                a.insert(
                    "role".into(),
                    text(pick(&mut rng, &ROLES).copied().unwrap_or("staff")),
                );
                let stem = pick(&mut rng, &COMPANY_STEMS).copied().unwrap_or("云帆");
                let suffix = pick(&mut rng, &SUFFIXES).copied().unwrap_or("有限公司");
                a.insert("company".into(), text(format!("{stem}{}{suffix}", i % 97)));
                a.insert("contact_name".into(), text(format!("联系人{}", i + 1)));
                let segment = pick(&mut rng, &SEGMENTS).copied().unwrap_or("138");
                let phone = if rng.random_bool(0.08) {
                    format!("{segment}{:07}", rng.random_range(0..100_000)) // too short
                } else {
                    format!("{segment}{:08}", rng.random_range(0..100_000_000))
                };
                a.insert("phone".into(), text(phone));
                let email = if rng.random_bool(0.35) {
                    format!(
                        "user{}@{}",
                        i + 1,
                        pick(&mut rng, &FREE_MAIL).copied().unwrap_or("qq.com")
                    )
                } else {
                    format!("contact{}@{}{}.com.cn", i + 1, industry, i % 97)
                };
                a.insert("email".into(), text(email));
            }
        }
        // What the seeds' qualification rules ask about (see `qualify` presets).
        a.insert(
            "open_to_sales_contact".into(),
            AttrValue::Bool(rng.random_bool(0.6)),
        );
        let item = rng
            .random_bool(0.7)
            .then(|| text(format!("SKU{}", rng.random_range(100..999))));
        a.insert("wanted_item_id".into(), item.unwrap_or(AttrValue::Null));
        a.insert(
            "company_verified".into(),
            AttrValue::Bool(rng.random_bool(0.8)),
        );
        a.insert("responded".into(), AttrValue::Bool(rng.random_bool(0.4)));
        let reaction = pick(&mut rng, &["positive", "neutral", "neutral", "hostile"])
            .copied()
            .unwrap_or("neutral");
        a.insert("quote_reaction".into(), text(reaction));
        let teams = ["sales", "marketing", "after_sales_service"];
        let business: Vec<String> = teams
            .iter()
            .filter(|_| rng.random_bool(0.5))
            .map(|t| t.to_string())
            .collect();
        a.insert("business_types".into(), AttrValue::List(business));
        a.insert("personal_use".into(), AttrValue::Bool(rng.random_bool(0.1)));

        // Engagement: more for some leads than others; nothing after `end`.
        let engaged = rng.random::<f64>() * 2.0 * mean_events;
        let count = engaged.round() as usize;
        let remaining = (spec.end - created_at).num_seconds().max(1);
        for j in 0..count {
            let kind = weighted(&mut rng, &EVENT_KINDS).unwrap_or(EventKind::PageView);
            let at = crate::time::add(
                created_at,
                crate::time::seconds(rng.random_range(0..remaining)),
            );
            let mut properties = BTreeMap::new();
            if kind == EventKind::PageView || kind == EventKind::Download {
                let page = pick(
                    &mut rng,
                    &[
                        "/pricing",
                        "/product",
                        "/case-studies",
                        "/blog",
                        "/whitepaper.pdf",
                    ],
                );
                properties.insert("url".into(), text(page.copied().unwrap_or("/")));
            }
            events.push(Event {
                id: Some(format!("{}-e{j}", lead.id)),
                lead_id: lead.id.clone(),
                kind,
                name: None,
                at,
                properties,
            });
        }
        leads.push(lead);
    }
    events.sort_by(|x, y| (x.at, &x.id).cmp(&(y.at, &y.id)));
    Sample { leads, events }
}
