//! The foundation: cleaning and de-duplication, qualification against seed 001's MQL / SQL /
//! SAL rules, moves through seed 001's pipeline, policies due a few days later, time in stage,
//! temperature, and the conversion of a qualified lead into account + contact + opportunity.

use std::collections::BTreeMap;

use chrono::Duration;
use leadcore::clean::{DedupPolicy, dedupe_with_events};
use leadcore::condition::Scores;
use leadcore::convert::{FieldMapping, convert_lead};
use leadcore::input::Config;
use leadcore::lifecycle::{TransitionRequest, due, stage_times, transition};
use leadcore::pipeline::Pipeline;
use leadcore::qualify::{RuleSet, TemperatureThresholds, qualify};
use leadcore::{Error, Event, Lead};

use crate::Demo;

/// Prints a section heading.
pub fn section(title: &str) {
    println!(
        "\n== {title} {}",
        "=".repeat(70usize.saturating_sub(title.len()))
    );
}

/// Events grouped by lead id.
pub fn events_by_lead(events: &[Event]) -> BTreeMap<String, Vec<Event>> {
    let mut map: BTreeMap<String, Vec<Event>> = BTreeMap::new();
    for e in events {
        map.entry(e.lead_id.clone()).or_default().push(e.clone());
    }
    map
}

/// Cleaning and de-duplication: the surviving leads.
fn clean(leads: &[Lead], events: &[Event]) -> Result<Vec<Lead>, Error> {
    section("cleaning and de-duplication");
    let valid = leads
        .iter()
        .filter(|l| {
            l.attr("phone")
                .and_then(|p| p.as_str())
                .and_then(leadcore::clean::cn_mobile)
                .is_some()
        })
        .count();
    let personal = leads
        .iter()
        .filter_map(|l| {
            l.attr("email")
                .and_then(|e| e.as_str())
                .and_then(leadcore::clean::email)
        })
        .filter(|e| {
            e.rsplit('@')
                .next()
                .is_some_and(leadcore::clean::is_personal_email_domain)
        })
        .count();
    println!(
        "valid mobile numbers: {valid} of {} ({:.1}%)",
        leads.len(),
        100.0 * valid as f64 / leads.len() as f64
    );
    println!("personal (free-mail) addresses: {personal}");
    let policy =
        DedupPolicy::from_value(serde_json::json!({"survivor": {"type": "most_recent_activity"}}))?;
    let result = dedupe_with_events(leads, events, &policy)?;
    println!(
        "duplicate clusters: {} covering {} leads; {} duplicates merged",
        result.stats.clusters,
        result
            .clusters
            .iter()
            .map(|c| c.members.len())
            .sum::<usize>(),
        result.stats.duplicates
    );
    if let Some(c) = result.clusters.first() {
        println!(
            "  e.g. cluster survivor {} merges {:?}",
            c.survivor, c.merged
        );
        for m in &c.matches {
            println!(
                "    matched on {} = {} ({:?})",
                leadcore::input::to_value(&m.key),
                m.value,
                m.leads
            );
        }
    }
    let merged: std::collections::BTreeSet<&str> = result
        .clusters
        .iter()
        .flat_map(|c| c.merged.iter().map(String::as_str))
        .collect();
    Ok(leads
        .iter()
        .filter(|l| !merged.contains(l.id.as_str()))
        .cloned()
        .collect())
}

/// Qualification against seed 001's gates, and moves through its pipeline as each gate passes.
fn lifecycle(
    leads: &[Lead],
    by_lead: &BTreeMap<String, Vec<Event>>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(Pipeline, Vec<Lead>), Error> {
    section("qualification (seed 001: MQL → SQL → SAL)");
    let rules = RuleSet::preset("seed_001")?;
    let pipeline = Pipeline::preset("seed_001")?;
    let no_scores = Scores::new();
    let mut passed: BTreeMap<String, usize> = BTreeMap::new();
    let mut failed_on: BTreeMap<String, usize> = BTreeMap::new();
    let mut moved = Vec::new();
    let mut shown = false;
    for lead in leads {
        let events = by_lead.get(lead.id.as_str()).map_or(&[][..], Vec::as_slice);
        let verdict = qualify(&rules, lead, events, now, &no_scores)?;
        for gate in &verdict.gates {
            if gate.passed {
                *passed.entry(gate.stage.clone()).or_default() += 1;
            } else {
                for c in &gate.failed_criteria {
                    *failed_on
                        .entry(format!("{} / {c}", gate.stage))
                        .or_default() += 1;
                }
            }
        }
        if !shown && verdict.qualified.len() == 2 {
            shown = true;
            println!(
                "lead {} qualifies for {:?}; its SAL gate:",
                lead.id, verdict.qualified
            );
            if let Some(sal) = verdict.gates.iter().find(|g| g.stage == "SAL") {
                println!(
                    "  passed {:?}\n  failed {:?}",
                    sal.passed_criteria, sal.failed_criteria
                );
            }
        }
        // Enter at MQL once qualified, then move forward gate by gate, a day apart.
        if verdict.qualified.is_empty() {
            continue;
        }
        let mut current = lead.clone();
        let start = lead.created_at;
        for (i, stage) in verdict.qualified.iter().enumerate() {
            let request = TransitionRequest {
                to: Some(stage.clone()),
                actor: Some("sdr_1".into()),
                at: Some((start + Duration::days(i as i64)).min(now)),
                ..TransitionRequest::default()
            };
            current = transition(&pipeline, &current, &request, now)?.lead;
        }
        moved.push(current);
    }
    println!("leads passing each gate: {passed:?}");
    let mut worst: Vec<_> = failed_on.into_iter().collect();
    worst.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    println!("most common failed criteria:");
    for (criterion, n) in worst.iter().take(4) {
        println!("  {criterion}: {n}");
    }
    let mut at_stage: BTreeMap<&str, usize> = BTreeMap::new();
    for l in &moved {
        *at_stage
            .entry(l.stage.as_deref().unwrap_or("-"))
            .or_default() += 1;
    }
    println!("pipeline stage after the moves: {at_stage:?}");
    Ok((pipeline, moved))
}

/// Policies due three days later (stale SALs are downgraded), and time in stage.
fn policies(
    moved: &[Lead],
    by_lead: &BTreeMap<String, Vec<Event>>,
    pipeline: &Pipeline,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), Error> {
    section("policies due in 3 days (seed 001: stale SAL → SQL)");
    let later = now + Duration::days(3);
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut example = None;
    for lead in moved {
        let events = by_lead.get(lead.id.as_str()).map_or(&[][..], Vec::as_slice);
        for d in due(pipeline, lead, events, later)? {
            *kinds
                .entry(format!("{:?} at {}", d.kind, d.stage))
                .or_default() += 1;
            example.get_or_insert((lead.id.clone(), d.reason));
        }
    }
    println!("due: {kinds:?}");
    if let Some((id, reason)) = example {
        println!("  e.g. {id}: {reason}");
    }
    if let Some(lead) = moved.iter().find(|l| l.history.len() >= 3) {
        let times = stage_times(lead, now)?;
        println!("time in stage for {}:", lead.id);
        for s in &times.stages {
            println!(
                "  {:<4} {:>6.2} days over {} visit(s)",
                s.stage, s.total_days, s.visits
            );
        }
    }
    Ok(())
}

/// Temperature from a simple engagement score (events in the last 30 days × 5, capped at 100).
fn temperature(
    moved: &[Lead],
    by_lead: &BTreeMap<String, Vec<Event>>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), Error> {
    section("temperature (warm ≥ 40, hot ≥ 70 on an engagement score)");
    let thresholds = TemperatureThresholds::default();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for lead in moved {
        let recent = by_lead.get(lead.id.as_str()).map_or(0, |es| {
            es.iter()
                .filter(|e| e.at <= now && now - e.at <= Duration::days(30))
                .count()
        });
        let score = (recent as f64 * 5.0).min(100.0);
        let verdict = thresholds.classify(score)?;
        *counts
            .entry(format!("{:?}", verdict.temperature).to_lowercase())
            .or_default() += 1;
    }
    println!("{counts:?}");
    Ok(())
}

/// One qualified lead becomes account + contact + opportunity.
fn conversion(moved: &[Lead]) -> Result<(), Error> {
    section("conversion (one lead becomes three)");
    let mapping = FieldMapping::preset("standard")?;
    let Some(lead) = moved.iter().find(|l| l.stage.as_deref() == Some("SAL")) else {
        println!("no SAL lead to convert");
        return Ok(());
    };
    let converted = convert_lead(&mapping, lead)?;
    println!("lead {} →", lead.id);
    println!(
        "  account     {}",
        leadcore::input::to_value(&converted.account)
    );
    println!(
        "  contact     {}",
        leadcore::input::to_value(&converted.contact)
    );
    println!(
        "  opportunity {}",
        leadcore::input::to_value(&converted.opportunity)
    );
    Ok(())
}

/// Runs the foundation sections; returns the leads that entered the pipeline.
pub fn run(demo: &Demo) -> Result<Vec<Lead>, Error> {
    let leads = clean(&demo.sample.leads, &demo.sample.events)?;
    let (pipeline, moved) = lifecycle(&leads, &demo.events, demo.now)?;
    policies(&moved, &demo.events, &pipeline, demo.now)?;
    temperature(&moved, &demo.events, demo.now)?;
    conversion(&moved)?;
    Ok(moved)
}
