//! Lead pools (公海): a simulated week. The sample leads arrive and are routed by ordered rules
//! to regional teams (round robin, smooth weighted round robin) or the key-account team (least
//! loaded); reps claim from their regional pools and follow up on some leads; `tick` runs every
//! morning and reclaims what was left without follow-up, escalating quick repeat fall-outs from
//! the active to the general pool. Two quiet weeks of history come first, so the week starts
//! with leads held, lost and waiting.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, Utc};
use leadcore::pool::{
    Applied, Command, Decision, Effect, Holder, Move, Policy, PoolState, RouteOutcome, Skip, apply,
    tick,
};
use leadcore::{Error, Lead};

use crate::Demo;
use crate::foundation::section;

/// Three teams, ten reps with caps, protection 10 / 3 / 20 days, reclaim after 4 days without
/// follow-up, a 72-hour cooldown, and a ladder: a lead that falls out again within 30 days of
/// its previous fall-out goes to the general pool.
fn policy() -> Result<Policy, Error> {
    let north = ["北京", "西安", "武汉", "成都"];
    Ok(Policy::from_value(serde_json::json!({
        "seed": 7,
        "utc_offset": "+08:00",
        "pools": [
            {"id": "north_active", "kind": "active", "region": "north"},
            {"id": "north_general", "kind": "general", "region": "north"},
            {"id": "south_active", "kind": "active", "region": "south"},
            {"id": "south_general", "kind": "general", "region": "south"},
            {"id": "ka_active", "kind": "active", "region": "ka"},
            {"id": "ka_general", "kind": "general", "region": "ka"},
            {"id": "nurture", "kind": "nurture"}
        ],
        "teams": [
            {"id": "ka", "strategy": "least_loaded", "pool": "ka_active"},
            {"id": "north", "strategy": "round_robin", "pool": "north_active"},
            {"id": "south", "strategy": "weighted_round_robin", "pool": "south_active"}
        ],
        "reps": [
            {"id": "qian", "team": "ka", "region": "ka", "holding_cap": 60},
            {"id": "zhou", "team": "ka", "region": "ka", "holding_cap": 40},
            {"id": "wang", "team": "north", "region": "north", "holding_cap": 50, "daily_claim_cap": 6},
            {"id": "zhao", "team": "north", "region": "north", "holding_cap": 50, "daily_claim_cap": 6},
            {"id": "sun", "team": "north", "region": "north", "holding_cap": 15, "daily_claim_cap": 4},
            {"id": "li", "team": "north", "region": "north", "holding_cap": 0},
            {"id": "chen", "team": "south", "region": "south", "weight": 3, "holding_cap": 70, "daily_claim_cap": 8},
            {"id": "lin", "team": "south", "region": "south", "weight": 2, "holding_cap": 50, "daily_claim_cap": 6},
            {"id": "huang", "team": "south", "region": "south", "weight": 1, "holding_cap": 30, "daily_claim_cap": 4,
             "away": [{"from": "2026-11-18T00:00:00+08:00", "to": "2026-11-20T00:00:00+08:00"}]},
            {"id": "wu", "team": "south", "region": "south", "weight": 1, "holding_cap": 30, "daily_claim_cap": 4}
        ],
        "protection": {"default_days": 10, "extension_days": 3, "max_days": 20, "warn_days": 2,
                       "qualifying": ["call", "visit"]},
        "reclaim": {"no_follow_up_days": 4, "warn_days": 1, "cooldown_hours": 72},
        "escalation": {"ladder": [{"pool_kind": "active"},
                                  {"pool_kind": "general", "since": "previous_fall_out",
                                   "max_days": 30}]},
        "routing": {"default_pool": "nurture", "rules": [
            {"id": "key_account", "when": {"field": "attributes.employees", "gte": 1000},
             "to": {"type": "team", "team": "ka"}},
            {"id": "north", "when": {"field": "attributes.city", "in": north},
             "to": {"type": "team", "team": "north"}},
            {"id": "south", "when": {"field": "attributes.employees", "gte": 20},
             "to": {"type": "team", "team": "south"}},
            {"id": "small", "to": {"type": "pool", "pool": "nurture"}}
        ]}
    }))?)
}

/// A deterministic coin with probability `percent` / 100 for (lead, day, what).
fn chance(lead: &str, day: i64, what: &str, percent: u64) -> bool {
    let h = format!("{lead}/{day}/{what}")
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    h % 100 < percent
}

/// What happened on one day.
#[derive(Default)]
struct Day {
    arrivals: usize,
    to_rep: usize,
    waiting: usize,
    claims: usize,
    follow_ups: usize,
    returns: usize,
    reclaims: usize,
    escalated: usize,
    warnings: usize,
    refused: BTreeMap<&'static str, usize>,
}

impl Day {
    fn count(&mut self, applied: &Applied) {
        for e in &applied.effects {
            match e {
                Effect::Moved { via, to, .. } => match via {
                    Move::Route if to.owner().is_some() => self.to_rep += 1,
                    Move::Claim => self.claims += 1,
                    Move::Return => self.returns += 1,
                    Move::AutoReclaim => {
                        self.reclaims += 1;
                        if to.pool().is_some_and(|p| p.ends_with("_general")) {
                            self.escalated += 1;
                        }
                    }
                    _ => {}
                },
                Effect::ReclaimWarning { .. } => self.warnings += 1,
                Effect::RoutingPending { .. } => self.waiting += 1,
                Effect::Notify { .. } | Effect::Left { .. } => {}
            }
        }
    }
}

/// The simulation: the state, the leads it knows, and what each day did.
struct Week {
    policy: Policy,
    state: PoolState,
    ids: Vec<String>,
    received: BTreeMap<String, usize>,
    example: Option<Decision>,
}

impl Week {
    /// One local day from `start` (midnight): a tick at 09:00, arrivals routed as they come
    /// (the night's at 09:00), the reps' work at 17:00.
    fn day(&mut self, arrivals: &[&Lead], start: DateTime<Utc>, day: i64) -> Result<Day, Error> {
        let mut d = Day::default();
        let morning = start + Duration::hours(9);
        let evening = start + Duration::hours(17);
        d.count(&tick(&mut self.state, &self.policy, morning)?);
        let (daytime, night): (Vec<&Lead>, Vec<&Lead>) =
            arrivals.iter().partition(|l| l.created_at < evening);
        for lead in daytime {
            self.route(&mut d, lead, lead.created_at.max(morning), day)?;
        }
        self.work(&mut d, day, evening)?;
        for lead in night {
            self.route(&mut d, lead, lead.created_at, day)?;
        }
        Ok(d)
    }

    /// Routes an arriving lead; keeps the first decision of the week that skipped someone.
    fn route(
        &mut self,
        d: &mut Day,
        lead: &Lead,
        at: DateTime<Utc>,
        day: i64,
    ) -> Result<(), Error> {
        let command = Command::Route {
            lead: Box::new(lead.clone()),
        };
        let routed = apply(&mut self.state, &self.policy, &command, at)?;
        d.arrivals += 1;
        d.count(&routed);
        for decision in &routed.decisions {
            if let RouteOutcome::Assigned { rep } = &decision.outcome {
                *self.received.entry(rep.to_string()).or_default() += 1;
                // The first decision of the week that skipped a rep for a cap or absence.
                let skipped = decision.candidates.iter().any(|c| {
                    c.skipped
                        .is_some_and(|s| !matches!(s, Skip::OptedOut | Skip::Inactive))
                });
                if self.example.is_none() && skipped && day >= 0 {
                    self.example = Some(decision.clone());
                }
            }
        }
        self.ids.push(lead.id.clone());
        Ok(())
    }

    /// Owners follow up on some of their leads (or give one back); reps claim from pools.
    fn work(&mut self, d: &mut Day, day: i64, at: DateTime<Utc>) -> Result<(), Error> {
        let mut claims: Vec<(String, String)> = Vec::new();
        for id in &self.ids {
            let Some(rec) = self.state.lead(id) else {
                continue;
            };
            let command = match &rec.holder {
                Holder::Owned { rep } if chance(id, day, "return", 2) => Command::Return {
                    lead: id.clone(),
                    rep: rep.to_string(),
                    reason: "not our segment".into(),
                    pool: None,
                },
                Holder::Owned { rep } if chance(id, day, "follow", 35) => Command::FollowUp {
                    lead: id.clone(),
                    rep: rep.to_string(),
                    kind: Some(
                        if chance(id, day, "visit", 20) {
                            "visit"
                        } else {
                            "call"
                        }
                        .into(),
                    ),
                },
                Holder::Pooled { pool } if chance(id, day, "claim", 25) => {
                    // A rep of the pool's region, picked by the same coin.
                    let region = pool.split('_').next().unwrap_or_default();
                    let reps = claimers(&self.policy, region);
                    let pick = reps.iter().enumerate().find(|(i, _)| {
                        chance(id, day, "who", 100 * (*i as u64 + 1) / reps.len() as u64)
                    });
                    // Reps at their holding cap do not try (the CRM shows them their count).
                    let room = |rep: &str| {
                        let cap = self.policy.config().reps.iter().find(|r| r.id == rep);
                        cap.and_then(|r| r.holding_cap)
                            .is_none_or(|c| self.state.holdings(rep) < c)
                    };
                    if let Some((_, rep)) = pick.filter(|(_, r)| room(r)) {
                        claims.push((id.clone(), rep.clone()));
                    }
                    continue;
                }
                _ => continue,
            };
            let follow_up = matches!(command, Command::FollowUp { .. });
            match apply(&mut self.state, &self.policy, &command, at) {
                Ok(applied) => {
                    d.count(&applied);
                    d.follow_ups += usize::from(follow_up);
                }
                Err(e) => *d.refused.entry(e.code()).or_default() += 1,
            }
        }
        for (lead, rep) in claims {
            let command = Command::Claim {
                lead,
                rep: rep.clone(),
            };
            match apply(&mut self.state, &self.policy, &command, at) {
                Ok(applied) => {
                    d.count(&applied);
                    *self.received.entry(rep).or_default() += 1;
                }
                Err(e) => *d.refused.entry(e.code()).or_default() += 1,
            }
        }
        Ok(())
    }
}

/// The reps who claim from a region's pools.
fn claimers(policy: &Policy, region: &str) -> Vec<String> {
    policy
        .config()
        .reps
        .iter()
        .filter(|r| r.region.as_deref() == Some(region))
        .map(|r| r.id.clone())
        .collect()
}

/// Runs the pools section.
pub fn run(demo: &Demo) -> Result<(), Error> {
    section("lead pools: a simulated week");
    let policy = policy()?;
    let local = |t: DateTime<Utc>| t + Duration::hours(8);
    // Days are local (UTC+8) days from midnight; day 0 is the first day of the printed week.
    let week_start = demo.now - Duration::days(7) - Duration::hours(9);
    let history = 14;
    let mut by_day: BTreeMap<i64, Vec<&Lead>> = BTreeMap::new();
    for lead in &demo.sample.leads {
        let day = (lead.created_at - week_start)
            .num_seconds()
            .div_euclid(86_400);
        if (-history..7).contains(&day) {
            by_day.entry(day).or_default().push(lead);
        }
    }
    let mut week = Week {
        policy,
        state: PoolState::default(),
        ids: Vec::new(),
        received: BTreeMap::new(),
        example: None,
    };
    let mut quiet = Day::default();
    for day in -history..0 {
        let arrivals = by_day.get(&day).map_or(&[][..], Vec::as_slice);
        let d = week.day(arrivals, week_start + Duration::days(day), day)?;
        quiet.arrivals += d.arrivals;
        quiet.claims += d.claims;
        quiet.reclaims += d.reclaims;
    }
    println!(
        "policy: 3 teams, 10 reps with holding / daily caps (li opted out: cap 0; huang away Wed–Thu), \
         protection 10 / 3 / 20 days, reclaim after 4 days without follow-up, 72 h cooldown, \
         a fall-out again within 30 days → general pool"
    );
    println!(
        "history ({history} days before): {} arrivals routed, {} claims, {} reclaims; {} leads held at the start",
        quiet.arrivals,
        quiet.claims,
        quiet.reclaims,
        week.policy
            .config()
            .reps
            .iter()
            .map(|r| week.state.holdings(&r.id))
            .sum::<u32>()
    );
    week.received.clear();
    println!(
        "\nday          arrivals  to rep  waiting  claims  follow-ups  returns  reclaims  escalated  warnings  refused"
    );
    for day in 0..7 {
        let arrivals = by_day.get(&day).map_or(&[][..], Vec::as_slice);
        let start = week_start + Duration::days(day);
        let d = week.day(arrivals, start, day)?;
        let refused: Vec<String> = d.refused.iter().map(|(k, v)| format!("{k} {v}")).collect();
        let date = local(start);
        println!(
            "{} {:<4} {:>8} {:>7} {:>8} {:>7} {:>11} {:>8} {:>9} {:>10} {:>9}  {}",
            date.format("%m-%d"),
            date.weekday(),
            d.arrivals,
            d.to_rep,
            d.waiting,
            d.claims,
            d.follow_ups,
            d.returns,
            d.reclaims,
            d.escalated,
            d.warnings,
            refused.join(", ")
        );
    }
    println!(
        "(to rep: routed to a rep on arrival or when one had room again; waiting: parked in the \
         team's pool, no rep could take it; refused: claims and follow-ups the rules turned down)"
    );
    println!("\nper-rep load at the end of the week (received = routed or claimed this week):");
    println!("rep     team   holdings / cap  received");
    for rep in &week.policy.config().reps {
        println!(
            "{:<7} {:<6} {:>8} / {:<4} {:>8}",
            rep.id,
            rep.team.as_deref().unwrap_or("-"),
            week.state.holdings(&rep.id),
            rep.holding_cap.map_or("-".into(), |c| c.to_string()),
            week.received.get(&rep.id).copied().unwrap_or(0)
        );
    }
    if let Some(decision) = &week.example {
        explain(decision);
    }
    Ok(())
}

/// Prints why a routing decision chose its rep.
fn explain(d: &Decision) {
    let rep = match &d.outcome {
        RouteOutcome::Assigned { rep } => rep.to_string(),
        other => format!("{other:?}"),
    };
    println!(
        "\nwhy this rep: lead {} → {rep} (rule `{}`, team {}, {})",
        d.lead,
        d.rule,
        d.team.as_deref().unwrap_or("-"),
        d.strategy.map_or("-", |s| s.as_str())
    );
    let rules: Vec<String> = d
        .rules
        .iter()
        .map(|r| format!("{} {}", r.rule, if r.matched { "matched" } else { "no" }))
        .collect();
    println!("  rules tried: {}", rules.join(", "));
    for c in &d.candidates {
        let why = match &c.skipped {
            Some(skip) => format!(
                "skipped: {}",
                leadcore::input::to_value(skip).as_str().unwrap_or("?")
            ),
            None => "eligible".into(),
        };
        println!(
            "  {:<6} holds {:>2}/{:<3} weight {}  score {:<6}  {why}",
            c.rep,
            c.holdings,
            c.holding_cap.map_or("-".into(), |x| x.to_string()),
            c.weight,
            c.score.map_or("-".into(), |s| format!("{s:.2}"))
        );
    }
    if let Some(tie) = &d.tie {
        println!("  tie: {}", leadcore::input::to_value(tie));
    }
}
