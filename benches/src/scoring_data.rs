//! A seeded synthetic population for the scoring bench: leads as [`Lead`]s, events as columns
//! (grouped by lead, each lead's events in time order, as a host would pass them after a
//! `sort_values(["lead", "at"])`).
//!
//! A bench-local generator (a SplitMix64 PRNG) rather than `leadcore::sample`, which builds one
//! `Event` object with string ids per event: 50 M of those would not fit in memory.

use leadcore::lead::{AttrValue, Lead, Source};
use leadcore::score::EventDetail;
use leadcore::score::columns::{ColumnBuffers, NO_DETAIL, unix_seconds};

/// SplitMix64: a tiny, well-mixed, seedable generator (Steele, Lea & Flood 2014).
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`; slightly biased, fine for test data).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

/// A generated population.
#[derive(Debug, Clone)]
pub struct Population {
    /// The leads.
    pub leads: Vec<Lead>,
    /// Their events as columns.
    pub events: ColumnBuffers,
}

const INDUSTRIES: [&str; 6] = [
    "saas",
    "retail",
    "manufacturing",
    "education",
    "ad_agency",
    "finance",
];
const CITIES: [&str; 6] = ["北京", "上海", "杭州", "成都", "深圳", "武汉"];
const ROLES: [&str; 4] = ["ceo", "sales_director", "marketing_manager", "staff"];
const CHANNELS: [&str; 5] = ["sem", "seo", "event", "content_download", "referral"];
/// Kind codes (index in `EventKind::ALL`) with weights: page views, email opens and clicks,
/// downloads, searches, favourites, forms, inquiries, check-ins.
const KINDS: [(u8, u64); 9] = [
    (0, 45),
    (7, 15),
    (8, 8),
    (1, 8),
    (3, 8),
    (2, 4),
    (4, 5),
    (5, 4),
    (6, 3),
];
const PAGES: [&str; 5] = [
    "/pricing",
    "/product",
    "/case-studies",
    "/blog",
    "/whitepaper.pdf",
];
const EMAILS: usize = 20;

fn pick<'a>(rng: &mut SplitMix64, items: &[&'a str]) -> &'a str {
    items
        .get(rng.below(items.len() as u64) as usize)
        .copied()
        .unwrap_or_default()
}

/// `leads` leads with `per_lead` events each over the 90 days before `now`.
pub fn population(
    seed: u64,
    leads: usize,
    per_lead: usize,
    now: chrono::DateTime<chrono::Utc>,
) -> Population {
    let mut rng = SplitMix64::new(seed);
    let end = unix_seconds(now);
    let span = 90 * 86_400;
    let mut details: Vec<EventDetail> = PAGES
        .iter()
        .map(|p| EventDetail {
            name: None,
            properties: [("url".to_string(), AttrValue::Text((*p).to_string()))].into(),
        })
        .collect();
    for m in 0..EMAILS {
        details.push(EventDetail {
            name: None,
            properties: [("email_id".to_string(), AttrValue::Text(format!("m{m}")))].into(),
        });
    }
    let total_weight: u64 = KINDS.iter().map(|(_, w)| w).sum();
    let n = leads * per_lead;
    let mut ev = ColumnBuffers {
        lead: Vec::with_capacity(n),
        kind: Vec::with_capacity(n),
        at: Vec::with_capacity(n),
        id: Some(Vec::with_capacity(n)),
        detail: Some(Vec::with_capacity(n)),
        details,
        unmatched: 0,
    };
    let mut out = Vec::with_capacity(leads);
    let mut times = Vec::with_capacity(per_lead);
    for l in 0..leads {
        let created = end - span - rng.below(30 * 86_400) as i64;
        let mut lead = Lead::new(
            format!("L{l:07}"),
            chrono::DateTime::from_timestamp(created, 0).unwrap_or(now),
        );
        let a = &mut lead.attributes;
        a.insert(
            "industry".into(),
            AttrValue::Text(pick(&mut rng, &INDUSTRIES).into()),
        );
        a.insert(
            "city".into(),
            AttrValue::Text(pick(&mut rng, &CITIES).into()),
        );
        a.insert(
            "role".into(),
            AttrValue::Text(pick(&mut rng, &ROLES).into()),
        );
        a.insert(
            "employees".into(),
            AttrValue::Number((10 + rng.below(2000)) as f64),
        );
        lead.source = Source {
            channel: Some(pick(&mut rng, &CHANNELS).to_string()),
            ..Source::default()
        };
        out.push(lead);
        times.clear();
        times.extend((0..per_lead).map(|_| end - rng.below(span as u64) as i64));
        times.sort_unstable();
        for &t in &times {
            let mut r = rng.below(total_weight);
            let mut kind = 0u8;
            for (k, w) in KINDS {
                if r < w {
                    kind = k;
                    break;
                }
                r -= w;
            }
            let detail = match kind {
                0 | 1 => rng.below(PAGES.len() as u64) as u32,
                7 => (PAGES.len() as u64 + rng.below(EMAILS as u64)) as u32,
                _ => NO_DETAIL,
            };
            let id = ev.lead.len() as u64;
            ev.lead.push(l as u32);
            ev.kind.push(kind);
            ev.at.push(t);
            if let Some(c) = ev.id.as_mut() {
                c.push(id);
            }
            if let Some(c) = ev.detail.as_mut() {
                c.push(detail);
            }
        }
    }
    Population {
        leads: out,
        events: ev,
    }
}
