//! Automatic assignment: ordered rules (first match wins, catch-all last), then a rep of the
//! target team by its strategy, every decision explained.
//!
//! **Candidates.** A rep is skipped, with the first reason that applies, when: inactive; out
//! of office (`away`); outside its calendar's working time; lacking a segment the rule asks
//! for; opted out (a cap of 0); at its holding cap; at its daily cap; in cooldown for this lead;
//! excluded as the lead's next owner (after a fall-out, an `exclude_owner` constraint, or the
//! lead's open sales rejection `rejection.by`).
//!
//! **Strategies** (over the members of the team in config order, skipped reps left out):
//! - `round_robin`: the pointer is the last rep the rotation served; the next lead goes to the
//!   first available member after it. A skipped rep is simply passed over: when it returns it
//!   gets its next normal turn, never a catch-up burst (no "30-day echo"). Before the first
//!   lead the pointer starts at a member chosen from the seed.
//! - `weighted_round_robin`: nginx's smooth weighted round robin over the available members:
//!   each adds its weight to its current weight, the largest wins and loses the total weight
//!   of the available members. An unavailable rep's current weight is frozen, so it neither
//!   gains credit while away nor owes any when back.
//! - `least_loaded`: the smallest holdings ÷ holding cap (a rep without a cap counts with the
//!   largest cap among the candidates, or 1 if none has one, i.e. raw holdings).
//! - `random_weighted`: a weighted draw from the team's SplitMix64 generator, seeded from the
//!   policy seed and the team id, its state kept in the pool state.
//!
//! **Ties** (equal current weight, equal load) go to the rep with the lowest
//! `splitmix64(seed ⊕ fnv1a(lead id) ⊕ rotl32(fnv1a(rep id)))`: a pseudo-random order that
//! changes with every lead, so no rep wins ties systematically, and never creation order.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::apply::{Cx, check_take, dispatch, lookup, take};
use super::command::{Applied, Effect, Move};
use super::config::{Dispatch, Role, Strategy};
use super::error::PoolError;
use super::nurture;
use super::policy::{Policy, RepInfo, RuleTarget, TeamInfo};
use super::state::{Holder, Id, LeadRecord, Pending, PoolState, TeamRotation, Via};
use crate::condition::Facts;
use crate::lead::Lead;

/// Why a candidate rep was passed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Skip {
    /// Marked inactive.
    Inactive,
    /// Out of office.
    Away,
    /// Outside its calendar's working time.
    OffHours,
    /// Lacks a segment the rule asks for.
    SegmentMismatch,
    /// Not of the role the rule or hand-over asks for.
    RoleMismatch,
    /// A cap of 0.
    OptedOut,
    /// At its holding cap.
    HoldingCap,
    /// At its daily cap.
    DailyCap,
    /// In cooldown for this lead.
    Cooldown,
    /// Excluded as the lead's next owner.
    Excluded,
}

impl Skip {
    fn from_error(e: &PoolError) -> Self {
        match e {
            PoolError::RepInactive(_) => Self::Inactive,
            PoolError::RepOptedOut(_) => Self::OptedOut,
            PoolError::HoldingCapReached { .. } => Self::HoldingCap,
            PoolError::DailyCapReached { .. } => Self::DailyCap,
            PoolError::CooldownActive { .. } => Self::Cooldown,
            _ => Self::Excluded,
        }
    }

    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::Inactive => "inactive",
            Self::Away => "away",
            Self::OffHours => "off_hours",
            Self::SegmentMismatch => "segment_mismatch",
            Self::RoleMismatch => "role_mismatch",
            Self::OptedOut => "opted_out",
            Self::HoldingCap => "holding_cap",
            Self::DailyCap => "daily_cap",
            Self::Cooldown => "cooldown",
            Self::Excluded => "excluded",
        }
    }
}

/// One rule as the router saw it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RuleCheck {
    /// Rule id.
    pub rule: Id,
    /// Whether its condition matched.
    pub matched: bool,
    /// For a matched rule that was passed over (account owner missing, unknown or unable to
    /// take the lead): why (`no_account_owner`, `unknown_rep`, or a candidate skip code).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passed_over: Option<&'static str>,
}

/// One rep the router considered.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Candidate {
    /// Rep id.
    pub rep: Id,
    /// Whether the rep could take the lead.
    pub eligible: bool,
    /// Why not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<Skip>,
    /// Leads owned now.
    pub holdings: u32,
    /// Holding cap.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holding_cap: Option<u32>,
    /// Weight.
    pub weight: u32,
    /// The strategy's measure: turns after the pointer (round robin), current weight after
    /// this round (weighted), load fraction (least loaded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

/// Reps tied on the strategy's measure and how the tie was broken.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Tie {
    /// The tied reps, in member order.
    pub reps: Vec<Id>,
    /// The rule used.
    pub rule: &'static str,
}

/// Where the router sent the lead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum RouteOutcome {
    /// To a rep.
    Assigned {
        /// The rep.
        rep: Id,
    },
    /// To a team lead for dispatch.
    Dispatched {
        /// The manager.
        manager: Id,
    },
    /// Into a pool: by the rule, or (`pending`) because no rep of the target could take it.
    Pooled {
        /// The pool.
        pool: Id,
        /// Waiting for a rep; `tick` retries.
        pending: bool,
    },
}

/// A routing decision and why.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[schemars(rename = "RouteDecision")]
pub struct Decision {
    /// Lead id.
    pub lead: Id,
    /// The rules tried, in order, up to the one that decided.
    pub rules: Vec<RuleCheck>,
    /// The rule that decided (for a hand-over, the path id).
    pub rule: Id,
    /// The target team.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<Id>,
    /// The strategy used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strategy: Option<Strategy>,
    /// The reps considered.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<Candidate>,
    /// A tie and how it was broken.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tie: Option<Tie>,
    /// The result.
    pub outcome: RouteOutcome,
    /// The team's rotation after this decision.
    #[serde(skip)]
    pub(crate) rotation: Option<(Id, TeamRotation)>,
}

impl Decision {
    /// A hand-over's pick of a receiver from `team`, recorded under the path id as its rule.
    pub(crate) fn for_handover(lead: Id, handover: Id, team: Id) -> Self {
        Self {
            lead,
            rules: Vec::new(),
            rule: handover,
            team: Some(team),
            strategy: None,
            candidates: Vec::new(),
            tie: None,
            outcome: RouteOutcome::Pooled {
                pool: Id::from(""),
                pending: false,
            },
            rotation: None,
        }
    }
}

const TIE_RULE: &str = "lowest splitmix64(seed ^ fnv1a(lead) ^ rotl32(fnv1a(rep)))";

fn fnv1a(s: &str) -> u64 {
    crate::rng::fnv1a(s.as_bytes())
}

/// SplitMix64's output function of `x + γ`.
fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn tie_key(seed: u64, lead: &str, rep: &str) -> u64 {
    splitmix(seed ^ fnv1a(lead) ^ fnv1a(rep).rotate_left(32))
}

/// Whether the rep is available for automatic assignment at `now` (active, not away, inside
/// working time).
fn availability(policy: &Policy, rep: &RepInfo, now: DateTime<Utc>) -> Option<Skip> {
    if !rep.active {
        return Some(Skip::Inactive);
    }
    if rep.away.iter().any(|(from, to)| *from <= now && now < *to) {
        return Some(Skip::Away);
    }
    if policy.rep_calendar(rep).is_some_and(|c| !c.is_open(now)) {
        return Some(Skip::OffHours);
    }
    None
}

/// The lead a candidate is checked for: its id, and the rep whose open sales rejection
/// excludes them (routing reads it from the lead).
#[derive(Clone, Copy)]
pub(crate) struct ForLead<'a> {
    pub(crate) id: &'a str,
    pub(crate) rejected_by: Option<&'a str>,
}

impl<'a> ForLead<'a> {
    fn of(lead: &'a Lead) -> Self {
        Self {
            id: &lead.id,
            rejected_by: lead.rejection.as_ref().and_then(|r| r.by.as_deref()),
        }
    }
}

/// Which members of a team may be picked.
#[derive(Clone, Copy)]
pub(crate) struct MemberFilter<'a> {
    pub(crate) segments: &'a [String],
    pub(crate) role: Option<Role>,
}

fn candidate(
    state: &PoolState,
    policy: &Policy,
    lead: ForLead<'_>,
    rec: Option<&LeadRecord>,
    rep: &RepInfo,
    filter: MemberFilter<'_>,
    now: DateTime<Utc>,
) -> Candidate {
    let skipped = availability(policy, rep, now)
        .or_else(|| {
            filter
                .role
                .is_some_and(|r| r != rep.role)
                .then_some(Skip::RoleMismatch)
        })
        .or_else(|| {
            (!filter.segments.iter().all(|s| rep.segments.contains(s)))
                .then_some(Skip::SegmentMismatch)
        })
        .or_else(|| {
            check_take(state, policy, lead.id, rec, rep, now, 0)
                .err()
                .map(|e| Skip::from_error(&e))
        })
        .or_else(|| (lead.rejected_by == Some(&*rep.id)).then_some(Skip::Excluded));
    Candidate {
        rep: rep.id.clone(),
        eligible: skipped.is_none(),
        skipped,
        holdings: state.holdings(&rep.id),
        holding_cap: rep.holding_cap,
        weight: rep.weight,
        score: None,
    }
}

/// The rep chosen by a team's strategy, with the candidates' scores filled in.
struct Pick {
    chosen: Option<usize>,
    tie: Option<Tie>,
    rotation: TeamRotation,
}

fn break_tie(
    policy: &Policy,
    lead: &str,
    tied: &[usize],
    members: &[usize],
) -> (Option<usize>, Option<Tie>) {
    let chosen = tied.iter().copied().min_by_key(|&i| {
        let rep = members
            .get(i)
            .and_then(|&r| policy.rep(r))
            .map_or("", |r| &*r.id);
        (tie_key(policy.seed, lead, rep), i)
    });
    let tie = (tied.len() > 1).then(|| Tie {
        reps: tied
            .iter()
            .filter_map(|&i| {
                members
                    .get(i)
                    .and_then(|&r| policy.rep(r))
                    .map(|r| r.id.clone())
            })
            .collect(),
        rule: TIE_RULE,
    });
    (chosen, tie)
}

/// Runs a strategy over `cands` (one per member, in member order). Returns the index into
/// `members` / `cands` of the chosen rep.
fn pick(
    policy: &Policy,
    team: &TeamInfo,
    strategy: Strategy,
    rotation: &TeamRotation,
    lead: &str,
    cands: &mut [Candidate],
) -> Pick {
    let members = &team.members;
    let eligible: Vec<usize> = cands
        .iter()
        .enumerate()
        .filter(|(_, c)| c.eligible)
        .map(|(i, _)| i)
        .collect();
    let mut rotation = rotation.clone();
    let n = members.len();
    if eligible.is_empty() || n == 0 {
        return Pick {
            chosen: None,
            tie: None,
            rotation,
        };
    }
    match strategy {
        Strategy::RoundRobin => {
            let pointer = rotation
                .last
                .as_ref()
                .and_then(|last| cands.iter().position(|c| c.rep == *last));
            // Turns after the pointer: 1 = next in line.
            let start = match pointer {
                Some(p) => p + 1,
                None => (splitmix(policy.seed ^ fnv1a(&team.id)) % n as u64) as usize,
            };
            for &i in &eligible {
                let turn = (i + n - start % n) % n + 1;
                if let Some(c) = cands.get_mut(i) {
                    c.score = Some(turn as f64);
                }
            }
            let chosen = eligible
                .iter()
                .copied()
                .min_by_key(|&i| (i + n - start % n) % n);
            rotation.last = chosen.and_then(|i| cands.get(i)).map(|c| c.rep.clone());
            Pick {
                chosen,
                tie: None,
                rotation,
            }
        }
        Strategy::WeightedRoundRobin => {
            let total: i64 = eligible
                .iter()
                .filter_map(|&i| cands.get(i))
                .map(|c| i64::from(c.weight))
                .sum();
            let mut current = std::collections::BTreeMap::new();
            for c in cands.iter_mut() {
                let mut w = rotation.current.get(&c.rep).copied().unwrap_or(0);
                if c.eligible {
                    w += i64::from(c.weight);
                    c.score = Some(w as f64);
                }
                current.insert(c.rep.clone(), w);
            }
            let best = eligible
                .iter()
                .filter_map(|&i| cands.get(i).and_then(|c| c.score))
                .fold(f64::MIN, f64::max);
            let tied: Vec<usize> = eligible
                .iter()
                .copied()
                .filter(|&i| cands.get(i).and_then(|c| c.score) == Some(best))
                .collect();
            let (chosen, tie) = break_tie(policy, lead, &tied, members);
            if let Some(c) = chosen.and_then(|i| cands.get(i))
                && let Some(w) = current.get_mut(&c.rep)
            {
                *w -= total;
            }
            rotation.current = current;
            Pick {
                chosen,
                tie,
                rotation,
            }
        }
        Strategy::LeastLoaded => {
            let ref_cap = eligible
                .iter()
                .filter_map(|&i| cands.get(i).and_then(|c| c.holding_cap))
                .max()
                .unwrap_or(1)
                .max(1);
            let load = |c: &Candidate| {
                (
                    u64::from(c.holdings),
                    u64::from(c.holding_cap.unwrap_or(ref_cap).max(1)),
                )
            };
            for &i in &eligible {
                if let Some(c) = cands.get_mut(i) {
                    let (h, cap) = load(c);
                    c.score = Some(h as f64 / cap as f64);
                }
            }
            let mut tied: Vec<usize> = Vec::new();
            let mut best: Option<(u64, u64)> = None;
            for &i in &eligible {
                let Some(c) = cands.get(i) else { continue };
                let (h, cap) = load(c);
                match best {
                    Some((bh, bc)) if h * bc > bh * cap => {}
                    Some((bh, bc)) if h * bc == bh * cap => tied.push(i),
                    _ => {
                        best = Some((h, cap));
                        tied = vec![i];
                    }
                }
            }
            let (chosen, tie) = break_tie(policy, lead, &tied, members);
            Pick {
                chosen,
                tie,
                rotation,
            }
        }
        Strategy::RandomWeighted => {
            let rng = rotation
                .rng
                .unwrap_or_else(|| policy.seed ^ fnv1a(&team.id));
            let draw = splitmix(rng);
            let total: u64 = eligible
                .iter()
                .filter_map(|&i| cands.get(i))
                .map(|c| u64::from(c.weight))
                .sum();
            let mut target = ((u128::from(draw) * u128::from(total)) >> 64) as u64;
            let mut chosen = None;
            for &i in &eligible {
                let Some(c) = cands.get_mut(i) else { continue };
                c.score = Some(f64::from(c.weight) / total.max(1) as f64);
                if chosen.is_none() {
                    if target < u64::from(c.weight) {
                        chosen = Some(i);
                    } else {
                        target -= u64::from(c.weight);
                    }
                }
            }
            rotation.rng = Some(rng.wrapping_add(0x9e37_79b9_7f4a_7c15));
            Pick {
                chosen,
                tie: None,
                rotation,
            }
        }
    }
}

/// Every member.
const ANY: MemberFilter<'static> = MemberFilter {
    segments: &[],
    role: None,
};

/// A member picked by a team's strategy, with every candidate and the rotation after it.
pub(crate) struct MemberPick {
    strategy: Strategy,
    candidates: Vec<Candidate>,
    tie: Option<Tie>,
    chosen: Option<Id>,
    rotation: (Id, TeamRotation),
}

impl MemberPick {
    /// The chosen rep.
    pub(crate) fn chosen(&self) -> Option<&Id> {
        self.chosen.as_ref()
    }

    /// Every member considered, in member order.
    pub(crate) fn candidates(&self) -> &[Candidate] {
        &self.candidates
    }

    /// Writes the pick into a decision (the outcome only when a rep was chosen).
    pub(crate) fn fill(self, decision: &mut Decision) {
        decision.strategy = Some(self.strategy);
        if let Some(rep) = self.chosen {
            decision.outcome = RouteOutcome::Assigned { rep };
            decision.rotation = Some(self.rotation);
        }
        decision.tie = self.tie;
        decision.candidates = self.candidates;
    }
}

/// Runs `strategy` over the members of `team` that pass `filter` and the candidate checks.
#[allow(clippy::too_many_arguments)]
pub(crate) fn member_pick(
    state: &PoolState,
    policy: &Policy,
    lead: ForLead<'_>,
    rec: Option<&LeadRecord>,
    team: &TeamInfo,
    filter: MemberFilter<'_>,
    strategy: Strategy,
    now: DateTime<Utc>,
) -> MemberPick {
    let mut candidates: Vec<Candidate> = team
        .members
        .iter()
        .filter_map(|&m| policy.rep(m))
        .map(|rep| candidate(state, policy, lead, rec, rep, filter, now))
        .collect();
    let rotation = state.teams.get(&team.id).cloned().unwrap_or_default();
    let p = pick(policy, team, strategy, &rotation, lead.id, &mut candidates);
    MemberPick {
        strategy,
        chosen: p
            .chosen
            .and_then(|i| candidates.get(i))
            .map(|c| c.rep.clone()),
        candidates,
        tie: p.tie,
        rotation: (team.id.clone(), p.rotation),
    }
}

/// Decides where a lead goes, without changing anything.
pub(crate) fn decide(
    state: &PoolState,
    policy: &Policy,
    lead: &Lead,
    rec: Option<&LeadRecord>,
    now: DateTime<Utc>,
) -> Result<Decision, PoolError> {
    let routing = policy.routing.as_ref().ok_or(PoolError::NoRouting)?;
    let facts = Facts::lead_only(lead, now);
    let id: Id = rec
        .and_then(|_| {
            state
                .leads
                .get_key_value(lead.id.as_str())
                .map(|(k, _)| k.clone())
        })
        .unwrap_or_else(|| Id::from(lead.id.as_str()));
    let default_pool = policy
        .pool(routing.default_pool)
        .map(|p| p.id.clone())
        .unwrap_or_else(|| Id::from(""));
    let mut rules = Vec::new();
    for rule in &routing.rules {
        let matched = rule.when.as_ref().is_none_or(|c| c.matches(&facts));
        rules.push(RuleCheck {
            rule: rule.id.clone(),
            matched,
            passed_over: None,
        });
        if !matched {
            continue;
        }
        let mut decision = Decision {
            lead: id.clone(),
            rules: Vec::new(),
            rule: rule.id.clone(),
            team: None,
            strategy: None,
            candidates: Vec::new(),
            tie: None,
            outcome: RouteOutcome::Pooled {
                pool: default_pool.clone(),
                pending: true,
            },
            rotation: None,
        };
        match &rule.to {
            RuleTarget::Pool(p) => {
                decision.outcome = RouteOutcome::Pooled {
                    pool: policy
                        .pool(*p)
                        .map_or_else(|| default_pool.clone(), |p| p.id.clone()),
                    pending: false,
                };
            }
            RuleTarget::Rep(r) => {
                let Some(rep) = policy.rep(*r) else { continue };
                let c = candidate(state, policy, ForLead::of(lead), rec, rep, ANY, now);
                if c.eligible {
                    decision.outcome = RouteOutcome::Assigned { rep: c.rep.clone() };
                }
                decision.candidates.push(c);
            }
            RuleTarget::AccountOwner(attr) => {
                let owner = lead.attr(attr).and_then(|v| v.as_str());
                let found = owner
                    .and_then(|o| policy.rep_index(o))
                    .and_then(|i| policy.rep(i));
                let passed_over = match (owner, found) {
                    (None, _) => Some("no_account_owner"),
                    (Some(_), None) => Some("unknown_rep"),
                    (Some(_), Some(rep)) => {
                        let c = candidate(state, policy, ForLead::of(lead), rec, rep, ANY, now);
                        let skip = c.skipped.map(Skip::code);
                        if c.eligible {
                            decision.outcome = RouteOutcome::Assigned { rep: c.rep.clone() };
                        }
                        decision.candidates.push(c);
                        skip
                    }
                };
                if let Some(why) = passed_over {
                    if let Some(last) = rules.last_mut() {
                        last.passed_over = Some(why);
                    }
                    continue;
                }
            }
            RuleTarget::Team {
                team,
                segments,
                strategy,
                role,
            } => {
                let Some(t) = policy.team(*team) else {
                    continue;
                };
                decision.team = Some(t.id.clone());
                if let Some(p) = t.pool.and_then(|p| policy.pool(p)) {
                    decision.outcome = RouteOutcome::Pooled {
                        pool: p.id.clone(),
                        pending: true,
                    };
                }
                if t.dispatch == Dispatch::ViaLead {
                    if let Some(m) = t.lead.and_then(|m| policy.rep(m)) {
                        let skipped = availability(policy, m, now).filter(|s| *s == Skip::Inactive);
                        decision.candidates.push(Candidate {
                            rep: m.id.clone(),
                            eligible: skipped.is_none(),
                            skipped,
                            holdings: state.holdings(&m.id),
                            holding_cap: m.holding_cap,
                            weight: m.weight,
                            score: None,
                        });
                        if skipped.is_none() {
                            decision.outcome = RouteOutcome::Dispatched {
                                manager: m.id.clone(),
                            };
                        }
                    }
                } else {
                    let filter = MemberFilter {
                        segments,
                        role: *role,
                    };
                    let strategy = strategy.unwrap_or(t.strategy);
                    member_pick(
                        state,
                        policy,
                        ForLead::of(lead),
                        rec,
                        t,
                        filter,
                        strategy,
                        now,
                    )
                    .fill(&mut decision);
                }
            }
        }
        decision.rules = rules;
        return Ok(decision);
    }
    // Unreachable with a validated policy (the last rule is a catch-all).
    Ok(Decision {
        lead: id,
        rules,
        rule: Id::from(""),
        team: None,
        strategy: None,
        candidates: Vec::new(),
        tie: None,
        outcome: RouteOutcome::Pooled {
            pool: default_pool,
            pending: false,
        },
        rotation: None,
    })
}

/// The `route` command.
pub(crate) fn route(
    state: &mut PoolState,
    policy: &Policy,
    lead: &Lead,
    now: DateTime<Utc>,
    out: &mut Applied,
) -> Result<(), PoolError> {
    if lead.id.trim().is_empty() {
        return Err(PoolError::EmptyName("lead.id"));
    }
    let existing = match lookup(state, &lead.id) {
        Ok((id, rec)) => {
            if !matches!(rec.holder, Holder::Pooled { .. }) {
                return Err(match &rec.holder {
                    Holder::Converted { .. } => PoolError::LeadConverted(id.to_string()),
                    h => PoolError::AlreadyOwned {
                        lead: id.to_string(),
                        holder: h.name(),
                    },
                });
            }
            Some(rec)
        }
        Err(_) => None,
    };
    let decision = decide(state, policy, lead, existing, now)?;
    let is_new = existing.is_none();
    commit(state, policy, lead, decision, is_new, now, out);
    Ok(())
}

/// Carries out a decision (all checks passed when it was made).
pub(crate) fn commit(
    state: &mut PoolState,
    policy: &Policy,
    lead: &Lead,
    mut decision: Decision,
    is_new: bool,
    now: DateTime<Utc>,
    out: &mut Applied,
) {
    let id = decision.lead.clone();
    let cx = Cx { policy, now };
    if is_new {
        let pool = match &decision.outcome {
            RouteOutcome::Pooled { pool, .. } => pool.clone(),
            _ => decision
                .team
                .as_deref()
                .and_then(|t| policy.teams.iter().find(|x| &*x.id == t))
                .and_then(|t| t.pool)
                .or(policy.routing.as_ref().map(|r| r.default_pool))
                .and_then(|p| policy.pool(p))
                .map_or_else(|| Id::from(""), |p| p.id.clone()),
        };
        let region = policy
            .pool_index(&pool)
            .and_then(|p| policy.pool(p))
            .and_then(|p| p.region.clone());
        let mut rec = super::state::LeadRecord::new(pool, region, lead.created_at, now);
        rec.stage = lead.stage.clone();
        if rec.stage.is_some() {
            let facts = Facts::lead_only(lead, now);
            nurture::enter_stage(&mut rec, policy, Some(&facts), now, &mut out.reasons);
        }
        state.add_lead(id.clone(), rec);
    }
    if let Some((team, rotation)) = decision.rotation.take() {
        state.teams.insert(team, rotation);
    }
    match &decision.outcome {
        RouteOutcome::Assigned { rep } => {
            if let Some(r) = policy.rep_index(rep) {
                take(state, &cx, &id, r, Via::Route, is_new, false, out);
            }
        }
        RouteOutcome::Dispatched { manager } => {
            if let Some(m) = policy.rep_index(manager) {
                dispatch(state, &cx, &id, m, is_new, out);
            }
        }
        RouteOutcome::Pooled { pool, pending } => {
            if let Some(rec) = state.leads.get_mut(&id) {
                let to = Holder::Pooled { pool: pool.clone() };
                if is_new {
                    out.effects.push(Effect::Moved {
                        lead: id.clone(),
                        from: None,
                        to,
                        via: Move::Route,
                    });
                } else if rec.pool != *pool {
                    let from = std::mem::replace(&mut rec.holder, to.clone());
                    rec.pool = pool.clone();
                    rec.entered_at = now;
                    out.effects.push(Effect::Moved {
                        lead: id.clone(),
                        from: Some(from),
                        to,
                        via: Move::Route,
                    });
                }
            }
            if *pending {
                let since = state
                    .leads
                    .get(&id)
                    .and_then(|r| r.pending.as_ref())
                    .map_or(now, |p| p.since);
                state.set_pending(
                    &id,
                    Some(Box::new(Pending {
                        since,
                        lead: Box::new(lead.clone()),
                    })),
                );
                out.effects.push(Effect::RoutingPending {
                    lead: id.clone(),
                    pool: pool.clone(),
                    rule: decision.rule.clone(),
                });
            } else {
                state.set_pending(&id, None);
            }
        }
    }
    out.decisions.push(decision);
}

/// Where a lead would go if routed now: the decision and its reasons, nothing changed.
///
/// Refuses what `route` would refuse (`already_owned`, `lead_converted`, `no_routing`,
/// `clock_backwards`).
pub fn assign_preview(
    state: &PoolState,
    policy: &Policy,
    lead: &Lead,
    now: DateTime<Utc>,
) -> Result<Decision, PoolError> {
    state.check_clock(now)?;
    let existing = match state.leads.get(lead.id.as_str()) {
        Some(rec) if matches!(rec.holder, Holder::Pooled { .. }) => Some(rec),
        Some(rec) => {
            return Err(match &rec.holder {
                Holder::Converted { .. } => PoolError::LeadConverted(lead.id.clone()),
                h => PoolError::AlreadyOwned {
                    lead: lead.id.clone(),
                    holder: h.name(),
                },
            });
        }
        None => None,
    };
    decide(state, policy, lead, existing, now)
}

/// Retries routed leads waiting for a rep (`only` these, if given), oldest first; returns how
/// many found one.
pub(crate) fn retry_pending(
    state: &mut PoolState,
    policy: &Policy,
    now: DateTime<Utc>,
    only: Option<&[Id]>,
    out: &mut Applied,
) -> usize {
    let queue: Vec<Id> = state
        .pending
        .iter()
        .map(|(_, id)| id)
        .filter(|id| only.is_none_or(|ids| ids.contains(id)))
        .cloned()
        .collect();
    let mut placed = 0;
    for id in queue {
        let Some(rec) = state.leads.get(&id) else {
            continue;
        };
        let Some(p) = &rec.pending else { continue };
        let lead = p.lead.clone();
        let Ok(decision) = decide(state, policy, &lead, Some(rec), now) else {
            continue;
        };
        let unchanged = matches!(&decision.outcome,
            RouteOutcome::Pooled { pool, pending: true } if *pool == rec.pool);
        if unchanged {
            continue;
        }
        placed += 1;
        commit(state, policy, &lead, decision, false, now, out);
    }
    placed
}
