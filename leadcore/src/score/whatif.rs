//! What-if: the leads whose tier or MQL verdict would change under a proposed model.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{LeadScore, Scorer, ScoringModel, Tier};
use crate::condition::{CompiledCondition, Condition, Facts};
use crate::error::{ConfigError, Error, join_path};
use crate::event::Event;
use crate::input::Config;
use crate::lead::Lead;

/// A proposed model change to evaluate: the current model, the proposed one and the MQL gate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Proposal {
    /// The model in use.
    pub current: ScoringModel,
    /// The model proposed.
    pub proposed: ScoringModel,
    /// The MQL gate (a condition on the lead, its events and its scores), if verdicts matter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mql: Option<Condition>,
}

impl Config for Proposal {
    fn validate(&self) -> Result<(), ConfigError> {
        let under = |prefix: &'static str| {
            move |mut e: ConfigError| {
                e.path = join_path(prefix, &e.path);
                e
            }
        };
        self.current.validate().map_err(under("current"))?;
        self.proposed.validate().map_err(under("proposed"))?;
        if let Some(m) = &self.mql {
            CompiledCondition::compile_at(m, "mql")?;
        }
        Ok(())
    }
}

/// Evaluates a [`Proposal`] on a population: the one-call form of [`what_if`].
pub fn compare(
    proposal: &Proposal,
    leads: &[Lead],
    events: &[Event],
    now: DateTime<Utc>,
    threads: usize,
) -> Result<WhatIf, Error> {
    proposal.validate()?;
    let current = Scorer::new(proposal.current.clone())?;
    let proposed = Scorer::new(proposal.proposed.clone())?;
    let mql = match &proposal.mql {
        Some(m) => Some(CompiledCondition::compile_at(m, "mql")?),
        None => None,
    };
    what_if(
        &current,
        &proposed,
        mql.as_ref(),
        leads,
        events,
        now,
        threads,
    )
}

/// A before → after pair.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[schemars(rename = "Change_{T}")]
pub struct Change<T> {
    /// Under the current model.
    pub from: T,
    /// Under the proposed model.
    pub to: T,
}

/// One lead whose tier or MQL verdict changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LeadChange {
    /// The lead.
    pub lead_id: String,
    /// Combined score before and after.
    pub combined: Change<f64>,
    /// Tier before and after (`null` without tiers).
    pub tier: Change<Option<Tier>>,
    /// MQL verdict before and after, when an MQL gate was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mql: Option<Change<bool>>,
}

/// The effect of switching models on a population.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WhatIf {
    /// Leads scored.
    pub leads: usize,
    /// Leads whose tier or MQL verdict changes, in the order given.
    pub changed: Vec<LeadChange>,
    /// Tier moves counted by `"from->to"` (`none` for no tier), sorted by key.
    pub tier_moves: BTreeMap<String, usize>,
    /// Leads that become MQL.
    pub mql_gained: usize,
    /// Leads that stop being MQL.
    pub mql_lost: usize,
}

fn tier_name(t: Option<Tier>) -> &'static str {
    match t {
        Some(Tier::High) => "high",
        Some(Tier::Mid) => "mid",
        Some(Tier::Low) => "low",
        None => "none",
    }
}

/// Scores `leads` under `current` and `proposed` as of `now` and lists the leads whose tier
/// or MQL verdict changes. `mql` is the MQL gate (the condition language, typically referencing
/// scores such as `{"score": "behavior", "gte": 50}`), evaluated with each model's
/// [`LeadScore::scores`]. Quantile tiers are taken over this population under each model.
///
/// Errors are those of [`Scorer::score_batch`] and of [`Facts::new`] (a NaN score cannot
/// occur: scores are always finite).
pub fn what_if(
    current: &Scorer,
    proposed: &Scorer,
    mql: Option<&CompiledCondition>,
    leads: &[Lead],
    events: &[Event],
    now: DateTime<Utc>,
    threads: usize,
) -> Result<WhatIf, Error> {
    let before = current.score_batch(leads, events, now, threads)?;
    let after = proposed.score_batch(leads, events, now, threads)?;
    let mut by_lead: BTreeMap<&str, Vec<Event>> = BTreeMap::new();
    if mql.is_some() {
        for e in events {
            by_lead
                .entry(e.lead_id.as_str())
                .or_default()
                .push(e.clone());
        }
    }
    let verdict = |lead: &Lead, s: &LeadScore| -> Result<Option<bool>, Error> {
        let Some(gate) = mql else {
            return Ok(None);
        };
        let evs = by_lead.get(lead.id.as_str()).map_or(&[][..], Vec::as_slice);
        let scores = s.scores();
        let facts = Facts::new(lead, evs, now, &scores)?;
        Ok(Some(gate.matches(&facts)))
    };
    let mut out = WhatIf {
        leads: leads.len(),
        changed: Vec::new(),
        tier_moves: BTreeMap::new(),
        mql_gained: 0,
        mql_lost: 0,
    };
    for ((lead, b), a) in leads.iter().zip(&before.leads).zip(&after.leads) {
        let (mb, ma) = (verdict(lead, b)?, verdict(lead, a)?);
        let (tb, ta) = (b.combined.tier, a.combined.tier);
        let mql = match (mb, ma) {
            (Some(from), Some(to)) => Some(Change { from, to }),
            _ => None,
        };
        let mql_changed = mql.is_some_and(|m| m.from != m.to);
        if tb != ta {
            *out.tier_moves
                .entry(format!("{}->{}", tier_name(tb), tier_name(ta)))
                .or_default() += 1;
        }
        if let Some(m) = mql.filter(|_| mql_changed) {
            if m.to {
                out.mql_gained += 1;
            } else {
                out.mql_lost += 1;
            }
        }
        if tb != ta || mql_changed {
            out.changed.push(LeadChange {
                lead_id: lead.id.clone(),
                combined: Change {
                    from: b.combined.score,
                    to: a.combined.score,
                },
                tier: Change { from: tb, to: ta },
                mql,
            });
        }
    }
    Ok(out)
}
