//! Attribution and funnel analytics on the sample.
//!
//! The sample has sources and engagement events but no touchpoint journeys or stage histories,
//! so this section derives both, **synthetically and deterministically**, from what it has:
//! - a journey per lead: its source channel at creation (the lead-created touch), then one touch
//!   per event, mapped to a channel by kind (page view → seo, search → sem, email open / click
//!   → email, download → content_download, event check-in → event, favorite → direct, form
//!   submit and inquiry → the source channel); the opportunity is created at the first inquiry
//!   and the deal is won with a second one, worth 5 000 + 20 × employees RMB;
//! - a stage history per lead: MQL at its third event, SQL at the next form submit or inquiry,
//!   Opportunity at the next inquiry, Order at the one after (the win) and Payment three days
//!   later. One lead in three has its MQL and SQL entered by a rep in a batch on the last day of
//!   the month (seed 000's month-end push; this month's push has not happened yet, so those
//!   entries are recorded at `now`), the others two hours after they happen.
//!
//! It then prints credits per channel under six models side by side, the ownership rule, the
//! funnel by month on both time bases (and MQL by week, where the month-end push shows), and
//! channel ROI against a made-up monthly spend.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use leadcore::attribution::{
    AttributionConfig, Journey, Milestone, OwnershipConfig, Touchpoint, attribute, ownership,
};
use leadcore::event::EventKind;
use leadcore::funnel::{FunnelConfig, RoiConfig, Spend, channel_roi, funnel};
use leadcore::input::Config;
use leadcore::lead::{AttrValue, EdgeKind, StageChange};
use leadcore::{Error, Event, Lead};

use crate::Demo;
use crate::foundation::section;

/// China Standard Time, the offset the periods are cut in.
const CST: i32 = 8 * 3600;

fn channel_of(kind: EventKind, source: &str) -> &str {
    match kind {
        EventKind::PageView => "seo",
        EventKind::Search => "sem",
        EventKind::EmailOpen | EventKind::EmailClick => "email",
        EventKind::Download => "content_download",
        EventKind::EventCheckin => "event",
        EventKind::FormSubmit | EventKind::Inquiry => source,
        _ => "direct",
    }
}

/// Deal size of a lead (RMB): 5 000 + 20 × employees.
fn deal_size(lead: &Lead) -> f64 {
    let employees = match lead.attr("employees") {
        Some(AttrValue::Number(n)) => *n,
        _ => 0.0,
    };
    5_000.0 + 20.0 * employees
}

/// The lead's journey (see the module docs).
fn journey(lead: &Lead, events: &[Event]) -> Journey {
    let source = lead.source.channel.as_deref().unwrap_or("direct");
    let mut touchpoints = vec![Touchpoint {
        channel: source.to_string(),
        campaign: lead.source.campaign.clone(),
        at: lead.created_at,
        milestones: vec![Milestone::LeadCreated],
    }];
    let mut inquiries = 0;
    let mut opportunity_at = None;
    for e in events {
        let mut milestones = Vec::new();
        if e.kind == EventKind::Inquiry {
            inquiries += 1;
            match inquiries {
                1 => {
                    milestones.push(Milestone::OpportunityCreated);
                    opportunity_at = Some(e.at);
                }
                2 => milestones.push(Milestone::ClosedWon),
                _ => {}
            }
        }
        touchpoints.push(Touchpoint {
            channel: channel_of(e.kind, source).to_string(),
            campaign: None,
            at: e.at,
            milestones,
        });
        if inquiries >= 2 {
            break; // touches after the win do not count
        }
    }
    let converted = inquiries >= 2;
    Journey {
        id: lead.id.clone(),
        touchpoints,
        converted,
        value: if converted { deal_size(lead) } else { 0.0 },
        opportunity_at,
    }
}

/// The last moment (18:00 China time) of the month of `t`, when month-end batches are entered.
fn month_end(t: DateTime<Utc>) -> DateTime<Utc> {
    let local = t + Duration::seconds(i64::from(CST));
    let (y, m) = (local.year(), local.month());
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    let last = next
        .and_then(|d| d.pred_opt())
        .and_then(|d| d.and_hms_opt(18, 0, 0));
    last.map_or(t, |d| {
        Utc.from_utc_datetime(&d) - Duration::seconds(i64::from(CST))
    })
}

/// The lead with a stage history and amounts (see the module docs).
fn with_history(lead: &Lead, events: &[Event], index: usize, now: DateTime<Utc>) -> Lead {
    let mut lead = lead.clone();
    let batch_entered = index.is_multiple_of(3);
    let mut changes: Vec<(&str, DateTime<Utc>)> = Vec::new();
    if let Some(mql) = events.get(2) {
        changes.push(("MQL", mql.at));
        let after = |from: DateTime<Utc>, kinds: &[EventKind]| {
            events
                .iter()
                .find(|e| e.at > from && kinds.contains(&e.kind))
                .map(|e| e.at)
        };
        if let Some(sql) = after(mql.at, &[EventKind::FormSubmit, EventKind::Inquiry]) {
            changes.push(("SQL", sql));
            if let Some(opp) = after(sql, &[EventKind::Inquiry]) {
                changes.push(("Opportunity", opp));
                if let Some(order) = after(opp, &[EventKind::Inquiry]) {
                    changes.push(("Order", order));
                    let payment = order + Duration::days(3);
                    if payment <= now {
                        changes.push(("Payment", payment));
                    }
                }
            }
        }
    }
    let mut from: Option<String> = None;
    for (to, at) in changes {
        let recorded_at = if batch_entered && matches!(to, "MQL" | "SQL") {
            month_end(at).max(at).min(now)
        } else {
            (at + Duration::hours(2)).min(now)
        };
        lead.history.push(StageChange {
            from: from.replace(to.to_string()),
            to: to.to_string(),
            at,
            recorded_at,
            actor: Some(if batch_entered { "rep-batch" } else { "system" }.into()),
            reason: None,
            edge: EdgeKind::Forward,
            owner: None,
        });
    }
    let deal = deal_size(&lead);
    for (key, amount) in [
        ("opportunity_amount", deal),
        ("order_amount", deal * 0.9),
        ("payment_amount", deal * 0.9),
    ] {
        lead.attributes
            .insert(key.into(), AttrValue::Number(amount.round()));
    }
    lead
}

fn table_row(label: &str, cells: &[String], width: usize) {
    let cells: Vec<String> = cells.iter().map(|c| format!("{c:>width$}")).collect();
    println!("{label:<18}{}", cells.join(""));
}

/// Credits per channel under six models, side by side.
fn credits(journeys: &[Journey]) -> Result<(), Error> {
    let config = AttributionConfig::from_json(
        r#"{"models": [{"type": "first_touch"}, {"type": "last_touch"}, {"type": "linear"},
            {"type": "u_shaped"}, {"type": "markov"}, {"type": "shapley"}]}"#,
    )?;
    let report = attribute(&config, journeys, &[])?;
    println!(
        "{} journeys, {} won, {:.0} RMB won; credited conversions per channel:",
        report.totals.journeys, report.totals.conversions, report.totals.value
    );
    let names: Vec<String> = report.models.iter().map(|m| m.name.clone()).collect();
    table_row("channel", &names, 12);
    for (k, key) in report.keys.iter().enumerate() {
        let cells: Vec<String> = report
            .models
            .iter()
            .map(|m| {
                m.credits
                    .get(k)
                    .map_or(String::new(), |c| format!("{:.1}", c.conversions))
            })
            .collect();
        table_row(key, &cells, 12);
    }
    if let Some(detail) = report.models.iter().find_map(|m| m.markov.as_ref()) {
        println!(
            "markov: P(win) = {:.3} per journey; largest removal effect: {}",
            detail.conversion_probability,
            detail
                .removal_effects
                .iter()
                .max_by(|a, b| a.conversions.total_cmp(&b.conversions))
                .map_or(String::new(), |r| format!(
                    "{} ({:.2})",
                    r.key, r.conversions
                ))
        );
    }
    Ok(())
}

/// The ownership rule: the first recorder owns a customer whose opportunity comes within the
/// window of the first touch, the last recorder one whose opportunity comes later. The window is
/// 30 days here instead of seed 000's 3 months, since the sample spans only 60 days.
fn owners(journeys: &[Journey]) -> Result<(), Error> {
    let report = ownership(
        &OwnershipConfig::from_json(r#"{"window": {"days": 30}}"#)?,
        journeys,
    )?;
    println!(
        "ownership (30-day window): {} customers owned, {} without an opportunity yet",
        report.customers.len() as u64 - report.unowned,
        report.unowned
    );
    table_row(
        "channel",
        &["customers", "within", "beyond"].map(String::from),
        11,
    );
    for c in &report.channels {
        let cells = [c.customers, c.within_window, c.beyond_window].map(|n| n.to_string());
        table_row(&c.channel, &cells, 11);
    }
    Ok(())
}

const STAGES: &str = r#"[{"id": "Leads"}, {"id": "MQL"}, {"id": "SQL"},
    {"id": "Opportunity", "amount": "opportunity_amount"},
    {"id": "Order", "amount": "order_amount"}, {"id": "Payment", "amount": "payment_amount"}]"#;

/// Entries per stage and month, on both time bases.
fn funnel_by_month(leads: &[Lead]) -> Result<(), Error> {
    let mut tables = Vec::new();
    for basis in ["effective", "recorded"] {
        let config = FunnelConfig::from_json(&format!(
            r#"{{"stages": {STAGES}, "entry_stage": "Leads", "time_basis": "{basis}",
                "granularity": "month", "utc_offset": "+08:00"}}"#
        ))?;
        let report = funnel(&config, leads)?;
        let by_month: BTreeMap<String, Vec<u64>> = report
            .groups
            .iter()
            .map(|g| {
                (
                    g.period.clone(),
                    g.stages.iter().map(|s| s.entered).collect(),
                )
            })
            .collect();
        tables.push((basis, by_month, report.totals));
    }
    let months: Vec<String> = tables
        .iter()
        .flat_map(|(_, m, _)| m.keys().cloned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    println!("entries per stage and month: when they happened | when they were recorded");
    let mut header: Vec<String> = months.clone();
    header.push("|".into());
    header.extend(months.iter().cloned());
    table_row("stage", &header, 9);
    if let Some((_, _, totals)) = tables.first() {
        for (i, row) in totals.iter().enumerate() {
            let mut cells = Vec::new();
            for (t, (_, by_month, _)) in tables.iter().enumerate() {
                if t > 0 {
                    cells.push("|".into());
                }
                for m in &months {
                    let n = by_month.get(m).and_then(|v| v.get(i)).copied().unwrap_or(0);
                    cells.push(n.to_string());
                }
            }
            table_row(&row.stage, &cells, 9);
        }
        let rates: Vec<String> = totals
            .iter()
            .take(totals.len().saturating_sub(1))
            .map(|s| {
                s.conversion_to_next
                    .map_or("-".into(), |r| format!("{}→{:.0}%", s.stage, 100.0 * r))
            })
            .collect();
        println!("conversion to the next stage: {}", rates.join("  "));
    }
    Ok(())
}

/// MQL entries per week on both time bases: the month-end push shows in the recorded count.
fn mql_by_week(leads: &[Lead]) -> Result<(), Error> {
    let mut weeks: BTreeMap<String, [u64; 2]> = BTreeMap::new();
    for (b, basis) in ["effective", "recorded"].iter().enumerate() {
        let config = FunnelConfig::from_json(&format!(
            r#"{{"stages": [{{"id": "MQL"}}], "time_basis": "{basis}", "granularity": "week",
                "utc_offset": "+08:00"}}"#
        ))?;
        for g in funnel(&config, leads)?.groups {
            if let (Some(s), Some(slot)) = (
                g.stages.first(),
                weeks.entry(g.period).or_default().get_mut(b),
            ) {
                *slot = s.entered;
            }
        }
    }
    println!(
        "MQL entries per ISO week, happened / recorded (month-end pushes; this month's at now):"
    );
    let cells: Vec<String> = weeks
        .iter()
        .map(|(w, [e, r])| format!("{}: {e}/{r}", w.get(5..).unwrap_or(w)))
        .collect();
    for line in cells.chunks(5) {
        println!("  {}", line.join("   "));
    }
    Ok(())
}

/// ROI per channel over the sample period, against a made-up monthly spend.
fn roi(leads: &[Lead], months: &[String]) -> Result<(), Error> {
    let config = RoiConfig::from_json(&format!(
        r#"{{"funnel": {{"stages": {STAGES}, "entry_stage": "Leads", "granularity": "month",
            "utc_offset": "+08:00"}}, "dimension": "channel"}}"#
    ))?;
    let monthly = [
        ("sem", 60_000.0),
        ("seo", 15_000.0),
        ("event", 40_000.0),
        ("content_download", 10_000.0),
        ("referral", 5_000.0),
        ("social", 20_000.0),
    ];
    let spend: Vec<Spend> = months
        .iter()
        .flat_map(|m| {
            monthly.iter().map(|(c, a)| Spend {
                channel: (*c).into(),
                period: m.clone(),
                amount: *a,
            })
        })
        .collect();
    let report = channel_roi(&config, leads, &spend)?;
    println!(
        "channel ROI over {} months (spend is made up):",
        months.len()
    );
    let header = [
        "spend",
        "leads",
        "SQL",
        "orders",
        "cost/lead",
        "cost/SQL",
        "revenue",
        "ROI",
    ];
    table_row("channel", &header.map(String::from), 11);
    for r in &report.totals {
        let stage = |id: &str| r.stages.iter().find(|s| s.stage == id);
        let count = |id: &str| stage(id).map_or(0, |s| s.count);
        let cost = |id: &str| {
            stage(id)
                .and_then(|s| s.cost_per)
                .map_or("-".into(), |c| format!("{c:.0}"))
        };
        let cells = [
            format!("{:.0}", r.spend),
            count("Leads").to_string(),
            count("SQL").to_string(),
            count("Order").to_string(),
            cost("Leads"),
            cost("SQL"),
            format!("{:.0}", r.revenue),
            r.roi.map_or("-".into(), |x| format!("{:+.0}%", 100.0 * x)),
        ];
        table_row(&r.channel, &cells, 11);
    }
    Ok(())
}

/// Runs the section.
pub fn run(demo: &Demo) -> Result<(), Error> {
    section("attribution (journeys derived from the sample, see demo/attribution.rs)");
    let none = Vec::new();
    let events = |id: &str| demo.events.get(id).unwrap_or(&none);
    let journeys: Vec<Journey> = demo
        .sample
        .leads
        .iter()
        .map(|l| journey(l, events(&l.id)))
        .collect();
    credits(&journeys)?;
    owners(&journeys)?;

    section("funnel and ROI (stage histories derived from the sample)");
    let leads: Vec<Lead> = demo
        .sample
        .leads
        .iter()
        .enumerate()
        .map(|(i, l)| with_history(l, events(&l.id), i, demo.now))
        .collect();
    funnel_by_month(&leads)?;
    mql_by_week(&leads)?;
    let months: Vec<String> = leads
        .iter()
        .map(|l| {
            let local = l.created_at + Duration::seconds(i64::from(CST));
            format!("{:04}-{:02}", local.year(), local.month())
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    roi(&leads, &months)
}
