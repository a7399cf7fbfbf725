//! Seeded synthetic data for the predictive-scoring benches and the scikit-learn comparison.
//!
//! Two generators share one story: each lead has a hidden propensity; engaged leads do more
//! (counts with many ties), tier-1 cities and good channels convert more, and about 5 % convert.
//! [`matrix`] draws feature rows directly (fast, for model benches at any size); [`history`]
//! draws leads, events and labels (for feature building and end-to-end training).

#![allow(clippy::indexing_slicing)] // fixed-size tables indexed by in-range draws

use chrono::{DateTime, Duration, Utc};
use leadcore::predict::{Column, FeatureMatrix, Label};
use leadcore::rng::SplitMix64;
use leadcore::{AttrValue, Event, EventKind, Lead};

/// Number of columns [`matrix`] produces.
pub const MATRIX_COLUMNS: usize = 30;

fn normal(rng: &mut SplitMix64) -> f64 {
    let u1 = rng.next_f64().max(1e-300);
    let u2 = rng.next_f64();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

fn poisson(rng: &mut SplitMix64, lambda: f64) -> u32 {
    let l = (-lambda.min(30.0)).exp();
    let (mut k, mut p) = (0u32, 1.0);
    loop {
        p *= rng.next_f64();
        if p <= l {
            return k;
        }
        k += 1;
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Column names of [`matrix`].
pub fn matrix_column_names() -> Vec<String> {
    let kinds = ["page_view", "download", "favorite", "search", "inquiry"];
    let windows = [7, 30, 180, 365];
    let mut names = Vec::new();
    for k in kinds {
        for w in windows {
            names.push(format!("{k}_count_{w}d"));
        }
    }
    for k in ["download", "inquiry"] {
        names.push(format!("{k}_recency_days"));
    }
    for n in [
        "active_days_365d",
        "silence_days",
        "age_days",
        "city_tier",
        "source_quality",
    ] {
        names.push(n.to_string());
    }
    for n in ["chat:price", "chat:contract", "chat:trial"] {
        names.push(n.to_string());
    }
    names
}

/// `n` seeded rows of 30 count-like features with ~5 % positives and a learnable signal.
pub fn matrix(n: usize, seed: u64) -> (FeatureMatrix, Vec<bool>) {
    let names = matrix_column_names();
    let mut data: Vec<Vec<f32>> = vec![Vec::with_capacity(n); names.len()];
    let mut labels = Vec::with_capacity(n);
    let mut rng = SplitMix64::new(seed);
    let rates = [3.0, 0.6, 0.4, 1.5, 0.15];
    let share = [7.0 / 365.0, 30.0 / 365.0, 180.0 / 365.0, 1.0];
    for _ in 0..n {
        let z = normal(&mut rng);
        let engagement = (0.7 * z + 0.3 * normal(&mut rng)).exp();
        let mut row: Vec<f32> = Vec::with_capacity(MATRIX_COLUMNS);
        debug_assert_eq!(names.len(), MATRIX_COLUMNS);
        let mut totals = [0u32; 5];
        for (k, rate) in rates.iter().enumerate() {
            // Nested windows: draw the 365-day count, then thin it for shorter windows.
            let year = poisson(&mut rng, rate * engagement * 4.0);
            totals[k] = year;
            let mut counts = [0u32; 4];
            for _ in 0..year {
                let u = rng.next_f64() * 0.8 + 0.2 * (1.0 - 1.0 / (1.0 + engagement));
                for (w, s) in share.iter().enumerate() {
                    if u < *s {
                        counts[w] += 1;
                    }
                }
            }
            counts[3] = year;
            row.extend(counts.iter().map(|&c| c as f32));
        }
        for total in [totals[1], totals[4]] {
            let days = if total == 0 {
                365.0
            } else {
                (rng.next_f64() * 60.0 / engagement).floor().min(364.0)
            };
            row.push(days as f32);
        }
        let all: u32 = totals.iter().sum();
        row.push(all.min(90) as f32);
        row.push((rng.next_f64() * 90.0 / (1.0 + engagement)).floor() as f32);
        row.push((rng.next_f64() * 720.0).floor() as f32);
        let tier = 1 + rng.index(4);
        row.push(tier as f32);
        let quality = [0.1f32, 0.3, 0.5, 0.7, 0.9][rng.index(5)];
        row.push(quality);
        let kw: Vec<bool> = (0..3)
            .map(|i| rng.next_f64() < 0.05 + 0.05 * engagement.min(4.0) * (i as f64 + 1.0) / 3.0)
            .collect();
        row.extend(kw.iter().map(|&b| if b { 1.0 } else { 0.0 }));
        let logit = -4.1
            + 1.3 * z
            + if tier == 1 { 0.6 } else { 0.0 }
            + 1.2 * (f64::from(quality) - 0.5)
            + if kw[0] { 0.8 } else { 0.0 }
            + if kw[1] { 0.5 } else { 0.0 };
        labels.push(rng.next_f64() < sigmoid(logit));
        for (col, v) in data.iter_mut().zip(row) {
            col.push(v);
        }
    }
    let columns = names
        .into_iter()
        .map(|name| Column {
            group: name.clone(),
            name,
            level: None,
        })
        .collect();
    (
        FeatureMatrix {
            columns,
            lead_ids: (0..n).map(|i| format!("L{i}")).collect(),
            data,
        },
        labels,
    )
}

/// A seeded lead history: `n` leads created within two years before `now`, their events
/// (shuffled, with some re-delivered duplicates) and one label per lead with cut-off `now`.
pub fn history(n: usize, seed: u64, now: DateTime<Utc>) -> (Vec<Lead>, Vec<Event>, Vec<Label>) {
    let mut rng = SplitMix64::new(seed);
    let kinds = [
        (EventKind::PageView, 3.0),
        (EventKind::Download, 0.6),
        (EventKind::Favorite, 0.4),
        (EventKind::Search, 1.5),
        (EventKind::Inquiry, 0.15),
    ];
    let cities = [
        "北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "西安",
    ];
    let industries = [
        "advertising",
        "media",
        "retail",
        "manufacturing",
        "education",
        "saas",
    ];
    let channels = ["sem", "seo", "event", "referral", "content"];
    let (mut leads, mut events, mut labels) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..n {
        let id = format!("L{i}");
        let z = normal(&mut rng);
        let engagement = (0.7 * z + 0.3 * normal(&mut rng)).exp();
        let age_days = 1.0 + rng.next_f64() * 700.0;
        let mut lead = Lead::new(&id, now - Duration::seconds((age_days * 86_400.0) as i64));
        let city = cities[rng.index(cities.len())];
        let industry = industries[rng.index(industries.len())];
        let channel = channels[rng.index(channels.len())];
        lead.attributes
            .insert("city".into(), AttrValue::Text(city.into()));
        lead.attributes
            .insert("industry".into(), AttrValue::Text(industry.into()));
        lead.attributes.insert(
            "employees".into(),
            AttrValue::Number((10.0 * (1.0 + 3.0 * rng.next_f64()).exp()).round()),
        );
        lead.source.channel = Some(channel.into());
        let mut tokens = Vec::new();
        if rng.next_f64() < 0.1 * engagement.min(5.0) {
            tokens.push("报价".to_string());
        }
        if rng.next_f64() < 0.05 * engagement.min(5.0) {
            tokens.push("合同".to_string());
        }
        lead.attributes
            .insert("chat_tokens".into(), AttrValue::List(tokens.clone()));
        for (kind, rate) in kinds {
            let count = poisson(&mut rng, rate * engagement * age_days.min(365.0) / 91.0);
            for c in 0..count {
                let ago = rng.next_f64() * age_days.min(400.0) / (1.0 + 0.3 * engagement);
                let event = Event {
                    id: Some(format!("{id}-{}-{c}", kind.as_str())),
                    lead_id: id.clone(),
                    kind,
                    name: None,
                    at: now - Duration::seconds((ago * 86_400.0) as i64),
                    properties: Default::default(),
                };
                if rng.next_f64() < 0.02 {
                    events.push(event.clone());
                }
                events.push(event);
            }
        }
        let logit = -4.6
            + 0.9 * z
            + if matches!(city, "北京" | "上海" | "广州" | "深圳") {
                0.6
            } else {
                0.0
            }
            + if industry == "advertising" { 0.7 } else { 0.0 }
            + if channel == "event" || channel == "sem" {
                0.4
            } else {
                0.0
            }
            + if tokens.iter().any(|t| t == "报价") {
                0.8
            } else {
                0.0
            };
        labels.push(Label {
            lead_id: id,
            converted: rng.next_f64() < sigmoid(logit),
            cutoff: now,
        });
        leads.push(lead);
    }
    rng.shuffle(&mut events);
    (leads, events, labels)
}

/// The feature spec that [`history`] is meant for (seed 001's windows and attributes).
pub fn history_spec_json() -> &'static str {
    r#"{
        "windows_days": [7, 30, 180, 365],
        "event_kinds": ["page_view", "download", "favorite", "search", "inquiry"],
        "day_offset_minutes": 480,
        "categorical": [{"attribute": "industry", "max_levels": 10, "min_count": 20}],
        "numeric": [{"attribute": "employees"}],
        "city_tier": {"attribute": "city", "tiers": {"北京": 1, "上海": 1, "广州": 1, "深圳": 1, "杭州": 2, "成都": 2, "武汉": 2, "西安": 3}},
        "source_quality": {"scores": {"sem": 0.7, "event": 0.8, "referral": 0.6, "seo": 0.4, "content": 0.2}},
        "keywords": [{"attribute": "chat_tokens", "keywords": ["报价", "合同"]}]
    }"#
}
