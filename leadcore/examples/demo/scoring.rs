//! Scoring: the whole sample under the `b2b_default` preset (behavior with decay, caps and
//! silence; fit and grade; combined score and tier), the score distribution, the top leads
//! with their breakdowns, and a what-if of a stricter model.

use std::collections::BTreeMap;

use leadcore::CompiledCondition;
use leadcore::Error;
use leadcore::condition::Condition;
use leadcore::input::Config;
use leadcore::score::{LeadScore, Scorer, ScoringModel, Tier, what_if};

use crate::Demo;
use crate::foundation::section;

fn tier_name(t: Option<Tier>) -> &'static str {
    match t {
        Some(Tier::High) => "high",
        Some(Tier::Mid) => "mid",
        Some(Tier::Low) => "low",
        None => "none",
    }
}

/// Counts by key, printed as `key n (p%)`, in the order of `rank` (then by key).
fn counts<'a>(
    keys: impl Iterator<Item = &'a str>,
    total: usize,
    rank: impl Fn(&str) -> usize,
) -> String {
    let mut map: BTreeMap<(usize, &str), usize> = BTreeMap::new();
    for k in keys {
        *map.entry((rank(k), k)).or_default() += 1;
    }
    map.iter()
        .map(|((_, k), n)| (k, n))
        .map(|(k, n)| format!("{k} {n} ({:.0}%)", 100.0 * *n as f64 / total.max(1) as f64))
        .collect::<Vec<_>>()
        .join(", ")
}

fn print_lead(rank: usize, s: &LeadScore) {
    println!(
        "{rank}. {}  combined {:.2} ({})  behavior {:.2}  fit {:.0} ({})  silent {:.1} days",
        s.lead_id,
        s.combined.score,
        tier_name(s.combined.tier),
        s.behavior.score,
        s.fit.score,
        s.fit.grade,
        s.behavior.silence.days_silent,
    );
    println!(
        "     {:<14} {:>6} {:>8} {:>7} {:>12} {:>8}",
        "rule", "events", "raw", "decay", "cap", "final"
    );
    for line in &s.behavior.breakdown {
        let caps: Vec<String> = line
            .caps
            .iter()
            .map(|c| {
                leadcore::input::to_value(c)
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        println!(
            "     {:<14} {:>6} {:>8.2} {:>7.3} {:>12} {:>8.2}",
            line.rule,
            line.events,
            line.raw,
            line.decay,
            if caps.is_empty() {
                "-".to_string()
            } else {
                caps.join("+")
            },
            line.points
        );
    }
    for g in s.behavior.groups.iter().filter(|g| g.cap.is_some()) {
        println!(
            "     group `{}` capped: {:.2} → {:.2}",
            g.group, g.points_before_cap, g.points
        );
    }
    if s.behavior.silence.points < 0.0 {
        println!("     silence deduction {:.0}", s.behavior.silence.points);
    }
    let fit: Vec<String> = s
        .fit
        .breakdown
        .iter()
        .filter(|l| l.points != 0.0)
        .map(|l| format!("{} +{:.0}", l.rule, l.points))
        .collect();
    println!("     fit: {}", fit.join(", "));
}

/// Scores the sample, prints the distribution, the top 5 and a what-if.
pub fn run(demo: &Demo) -> Result<(), Error> {
    section("scoring (preset b2b_default)");
    let model = ScoringModel::preset("b2b_default").unwrap_or_default();
    let scorer = Scorer::new(model.clone())?;
    let leads = &demo.sample.leads;
    let events = &demo.sample.events;
    let batch = scorer.score_batch(leads, events, demo.now, 2)?;
    let n = batch.leads.len();
    println!("{n} leads scored from {} events (2 threads)", events.len());
    println!(
        "tiers:  {}",
        counts(
            batch.leads.iter().map(|s| tier_name(s.combined.tier)),
            n,
            |t| ["high", "mid", "low"]
                .iter()
                .position(|x| *x == t)
                .unwrap_or(3)
        )
    );
    println!(
        "grades: {}",
        counts(batch.leads.iter().map(|s| s.fit.grade.as_str()), n, |_| 0)
    );
    let mut behavior: Vec<f64> = batch.leads.iter().map(|s| s.behavior.score).collect();
    behavior.sort_by(f64::total_cmp);
    let q = |p: f64| {
        behavior
            .get(((behavior.len().saturating_sub(1)) as f64 * p).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    println!(
        "behavior score quartiles: {:.2} / {:.2} / {:.2} / {:.2} / {:.2} (min / 25% / median / 75% / max)",
        q(0.0),
        q(0.25),
        q(0.5),
        q(0.75),
        q(1.0)
    );
    let silent = batch
        .leads
        .iter()
        .filter(|s| s.behavior.silence.reactivation_due.is_some())
        .count();
    println!("leads due a reactivation campaign (≥ 30 silent days): {silent}");

    println!("\ntop 5 by combined score, with their behavior breakdown:");
    let mut ranked: Vec<&LeadScore> = batch.leads.iter().collect();
    ranked.sort_by(|a, b| {
        b.combined
            .score
            .total_cmp(&a.combined.score)
            .then_with(|| a.lead_id.cmp(&b.lead_id))
    });
    for (i, s) in ranked.iter().take(5).enumerate() {
        print_lead(i + 1, s);
    }

    // A stricter model: intent decays twice as fast and the tiers ask for more.
    let mut stricter = model;
    if let Some(g) = stricter.behavior.groups.first_mut()
        && let Ok(d) =
            serde_json::from_value(serde_json::json!({"type": "half_life", "half_life_days": 15}))
    {
        g.decay = d;
    }
    stricter.tiers =
        serde_json::from_value(serde_json::json!({"type": "thresholds", "high": 60, "mid": 30}))
            .ok();
    let proposed = Scorer::new(stricter)?;
    let gate = Condition::from_value(serde_json::json!({"score": "combined", "gte": 50}))?;
    let mql = CompiledCondition::compile_at(&gate, "mql")?;
    let change = what_if(&scorer, &proposed, Some(&mql), leads, events, demo.now, 2)?;
    println!(
        "\nwhat-if: intent half-life 30 → 15 days, tiers high ≥ 60 / mid ≥ 30 (MQL: combined ≥ 50)"
    );
    println!(
        "  {} of {} leads change; MQL lost {}, gained {}; tier moves: {}",
        change.changed.len(),
        change.leads,
        change.mql_lost,
        change.mql_gained,
        change
            .tier_moves
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for c in change.changed.iter().take(3) {
        println!(
            "  {}: combined {:.2} → {:.2}, tier {} → {}",
            c.lead_id,
            c.combined.from,
            c.combined.to,
            tier_name(c.tier.from),
            tier_name(c.tier.to)
        );
    }
    Ok(())
}
