//! The pool policy as data: what a sales-ops team stores as JSON.
//!
//! Every period is a number of **days** (fractional allowed) unless its name says `hours`.
//! [`PolicyConfig::compile`] validates everything and returns the immutable [`super::Policy`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::calendar::CalendarConfig;
use crate::condition::Condition;

/// The whole pool policy: calendars, pools, teams, reps, protection, reclaim, escalation,
/// routing, SLA timers and nurture cadences.
///
/// Only `pools` and `reps` are required; every other section is off when absent, except
/// `protection` whose fields default to 10 / 3 / 20 days when the section is present.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyConfig {
    /// Seed of the policy's pseudo-random choices (random-weighted strategy, tie-breaks,
    /// round-robin start). JSON numbers above 2^53 lose precision in JavaScript: keep it small.
    #[serde(default)]
    pub seed: u64,
    /// UTC offset whose midnight starts a new day for daily caps, for reps without a calendar
    /// (`+08:00` for China). Default `+00:00`.
    #[serde(default = "default_offset")]
    pub utc_offset: String,
    /// Business calendars, referenced by reps and SLA timers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calendars: Vec<CalendarConfig>,
    /// The pools (公海) leads wait in.
    pub pools: Vec<PoolConfig>,
    /// Teams of reps.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<TeamConfig>,
    /// The reps and managers.
    pub reps: Vec<RepConfig>,
    /// The protection period (客保) of an owned lead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protection: Option<ProtectionConfig>,
    /// Automatic reclaim triggers, cooldown and the different-rep rule.
    #[serde(default)]
    pub reclaim: ReclaimConfig,
    /// Where leads go when they fall out of protection, again and again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation: Option<EscalationConfig>,
    /// Automatic assignment rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing: Option<RoutingConfig>,
    /// SLA timers, reported by `due`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sla: Vec<SlaTimerConfig>,
    /// Nurture cadences, reported by `due`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nurture: Option<NurtureConfig>,
    /// Who may hand a lead to whom (SDR → rep, seed 003), and how the receiver is picked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub handovers: Vec<HandoverConfig>,
    /// How many seconds a `now` may lag behind the clock of a record a command writes and still
    /// be accepted (the command then runs at that clock): the clocks of several service
    /// instances are never exactly in step. Default 0; at most 3,600.
    #[serde(default, skip_serializing_if = "is_zero_f64")]
    pub clock_skew_seconds: f64,
    /// How many command ids each lead remembers for retries (the oldest is forgotten first).
    /// Default 16; at most 1,000.
    #[serde(
        default = "default_remembered",
        skip_serializing_if = "is_default_remembered"
    )]
    pub remember_command_ids: u32,
}

fn is_zero_f64(v: &f64) -> bool {
    *v == 0.0
}

fn default_remembered() -> u32 {
    16
}

fn is_default_remembered(v: &u32) -> bool {
    *v == default_remembered()
}

fn default_offset() -> String {
    "+00:00".into()
}

/// The kind of a pool (seed 000: regional active pool, regional general pool).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PoolKind {
    /// Leads with recent intent, worked by the region (活跃公海).
    Active,
    /// Leads that fell out repeatedly, nurtured by marketing (普通公海).
    General,
    /// Leads not yet ready for sales, in nurture cadences (培育池).
    Nurture,
}

/// A pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PoolConfig {
    /// Pool id.
    pub id: String,
    /// Pool kind.
    pub kind: PoolKind,
    /// Region the pool serves; fall-outs go to the pool of the lead's region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Industry the pool serves (informative).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    /// The manager told about the pool's leads (SLA escalations of pooled leads).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    /// Who may claim from the pool; absent: every rep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimable_by: Option<Eligibility>,
}

/// Who may claim from a pool: reps of these teams or of these regions, and, when `roles` is
/// given, only people of these roles (`{"roles": ["sdr"]}`: a pool only SDRs work).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Eligibility {
    /// Team ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<String>,
    /// Regions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// Roles; empty: every role.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
}

/// How a team picks the rep for an automatically routed lead.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// Members in config order, one after the other; the pointer is the last rep served.
    #[default]
    RoundRobin,
    /// Smooth weighted round robin (nginx): each rep gets `weight` turns per cycle, spread out.
    WeightedRoundRobin,
    /// The rep with the smallest holdings ÷ holding cap.
    LeastLoaded,
    /// A weighted random draw from the policy's seeded generator.
    RandomWeighted,
}

impl Strategy {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RoundRobin => "round_robin",
            Self::WeightedRoundRobin => "weighted_round_robin",
            Self::LeastLoaded => "least_loaded",
            Self::RandomWeighted => "random_weighted",
        }
    }
}

/// Whether a team's routed leads go to a rep directly or to the team lead first (seed 000).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Dispatch {
    /// To a member, by the team's strategy.
    #[default]
    Direct,
    /// To the team lead (a regional director), who then assigns a rep.
    ViaLead,
}

/// A team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamConfig {
    /// Team id.
    pub id: String,
    /// The team lead (a rep id, usually a manager); required for `via_lead` dispatch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<String>,
    /// How routed leads are spread over members.
    #[serde(default)]
    pub strategy: Strategy,
    /// Direct or two-level assignment.
    #[serde(default)]
    pub dispatch: Dispatch,
    /// Where routed leads wait when no member can take them (default: routing's default pool).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<String>,
}

/// What a person does with leads.
///
/// Every role but `manager` owns and works leads and is a member its team's strategy picks
/// from; the roles differ in who may hand a lead to whom ([`HandoverConfig`]), which pools
/// they may claim from ([`Eligibility::roles`]) and which members a routing rule picks
/// ([`Target::Team`]'s `role`).
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A sales rep (account executive): works leads to a deal.
    #[default]
    Rep,
    /// Receives leads for dispatch (assigning one to a manager parks it for dispatch); may also
    /// claim leads as an owner. Never picked by team strategies.
    Manager,
    /// A sales development rep (seed 003): qualifies inbound leads by phone until they are
    /// ready for a rep, then hands them over.
    Sdr,
    /// A business development rep: works outbound (self-sourced) leads, then hands them over.
    Bdr,
    /// A key-account rep: works the largest accounts.
    Ka,
}

impl Role {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rep => "rep",
            Self::Manager => "manager",
            Self::Sdr => "sdr",
            Self::Bdr => "bdr",
            Self::Ka => "ka",
        }
    }
}

/// An out-of-office period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Away {
    /// Start (inclusive).
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "crate::time::InstantSchema")]
    pub from: DateTime<Utc>,
    /// End (exclusive).
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "crate::time::InstantSchema")]
    pub to: DateTime<Utc>,
}

/// A rep or manager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RepConfig {
    /// Rep id.
    pub id: String,
    /// Team id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// Region (fall-outs of the rep's leads go to this region's pools when the lead has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Skills or segments (`ka`, `retail`…), matched by routing targets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<String>,
    /// Weight for the weighted strategies (≥ 1).
    #[serde(default = "one")]
    pub weight: u32,
    /// Working calendar: automatic routing skips the rep outside its working time; its offset
    /// also sets the rep's day for the daily cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
    /// Out-of-office periods: automatic routing skips the rep during them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub away: Vec<Away>,
    /// Most leads the rep may own at once (客保数量); absent: no cap; 0: opted out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holding_cap: Option<u32>,
    /// Most leads the rep may receive per day by any path (claim, assign, transfer, routing);
    /// absent: no cap; 0: opted out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_claim_cap: Option<u32>,
    /// Rep or manager.
    #[serde(default)]
    pub role: Role,
    /// An inactive rep (left the company) receives nothing.
    #[serde(default = "yes")]
    pub active: bool,
}

fn one() -> u32 {
    1
}

fn yes() -> bool {
    true
}

/// The protection period (客保) of an owned lead, in days.
///
/// At a claim the lead is protected until `claim + default_days`; qualifying activity extends
/// it to `max(current, now + extension_days)`, never past `claim + max_days`. When protection
/// ends the lead falls out (auto-reclaim at `tick`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProtectionConfig {
    /// Days of protection from the claim. Default 10.
    #[serde(default = "ten")]
    pub default_days: f64,
    /// Days of protection a qualifying activity grants from its time. Default 3.
    #[serde(default = "three")]
    pub extension_days: f64,
    /// Hard maximum of protection from the claim, whatever the activity. Default 20.
    #[serde(default = "twenty")]
    pub max_days: f64,
    /// Warn the owner this many days before protection ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warn_days: Option<f64>,
    /// Follow-up kinds that extend protection (`call`, `visit`…); empty: every kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub qualifying: Vec<String>,
    /// Whether a transfer restarts protection for the new owner. Default false: the clock of
    /// the claim carries over, so transfers cannot keep a lead protected forever.
    #[serde(default)]
    pub transfer_resets: bool,
}

/// 10 days of protection — assumed: seed 000 names the protection (客保) and caps how many
/// leads a rep holds, 「销售的客保数量是有限的」, but gives no period.
fn ten() -> f64 {
    10.0
}
/// 3 days of extension per qualifying activity — assumed (as `ten`).
fn three() -> f64 {
    3.0
}
/// 20 days of protection at most — assumed (as `ten`).
fn twenty() -> f64 {
    20.0
}

/// Automatic reclaim triggers (besides protection), cooldown and the different-rep rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReclaimConfig {
    /// Reclaim when the owner has not followed up for this many days (from the claim or the
    /// last qualifying follow-up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_follow_up_days: Option<f64>,
    /// Reclaim when the lead is not converted this many days after the claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_converted_days: Option<f64>,
    /// Warn the owner this many days before either trigger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warn_days: Option<f64>,
    /// Hours during which a rep who returned or lost a lead may not take it again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cooldown_hours: Option<f64>,
    /// After a fall-out (reclaim), the next owner must be a different rep (seed 000). Default
    /// true.
    #[serde(default = "yes")]
    pub next_owner_differs: bool,
}

/// `next_owner_differs: true` — quoted (seed 000: a lead given out again goes to another rep,
/// 「且更换跟进销售」).
impl Default for ReclaimConfig {
    fn default() -> Self {
        Self {
            no_follow_up_days: None,
            not_converted_days: None,
            warn_days: None,
            cooldown_hours: None,
            next_owner_differs: true,
        }
    }
}

/// The fall-out ladder: which kind of pool a lead goes to at its first, second… fall-out.
///
/// Seed 000: `[{"pool_kind": "active"}, {"pool_kind": "general", "min_months": 6}]` — a lead
/// that falls out of its rep's protection (客保) goes to the regional active pool; "如果6个月之后,
/// 再次从客保中掉落" (if it falls out again after 6 months) it goes to the regional general pool.
/// The 6 months count from the first fall-out, so a lead that falls out every 100 days reaches
/// the general pool at its third fall-out (200 days after the first) instead of bouncing
/// between reps and the active pool for ever.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EscalationConfig {
    /// The steps, first fall-out first.
    pub ladder: Vec<LadderStep>,
}

/// One step of the fall-out ladder.
///
/// The first fall-out takes step 0; each later fall-out takes the next step if the time since
/// `since` is within the step's bounds (at least `min_*`, at most `max_*`; a bound in days or
/// in calendar months, not both; both bounds in the same unit), else the lead stays on its
/// step. The bounds of step 0 are not used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LadderStep {
    /// The kind of pool of this step; the pool of the lead's region is used, else a pool of
    /// this kind without region.
    pub pool_kind: PoolKind,
    /// What the bounds count from. Default `first_fall_out` (before 0.2 the bounds always
    /// counted from the previous fall-out; see [`LadderSince`]).
    #[serde(default, skip_serializing_if = "LadderSince::is_default")]
    pub since: LadderSince,
    /// Take this step only at least this many days after `since`. Also read from
    /// `min_days_since_previous`, its name before 0.2, which now counts from `since` too.
    #[serde(
        default,
        alias = "min_days_since_previous",
        skip_serializing_if = "Option::is_none"
    )]
    pub min_days: Option<f64>,
    /// Take this step only at most this many days after `since`. Also read from
    /// `max_days_since_previous`, its name before 0.2, which now counts from `since` too.
    #[serde(
        default,
        alias = "max_days_since_previous",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_days: Option<f64>,
    /// Take this step only at least this many calendar months after `since` (UTC calendar;
    /// 2026-08-31 + 6 months is 2027-02-28).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_months: Option<u32>,
    /// Take this step only at most this many calendar months after `since`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_months: Option<u32>,
}

/// What a [`LadderStep`]'s bounds count from.
///
/// The default changed in 0.2 from `previous_fall_out` to `first_fall_out`: counted from the
/// previous fall-out, the clock restarted at every fall-out, so a lead falling out every 100
/// days stayed in the active pool for ever, against seed 000's "如果6个月之后,再次从客保中掉落,
/// 该线索就会从区域活跃公海池流转到区域普通公海池".
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LadderSince {
    /// The lead's first fall-out (the default). Records written before 0.2 without
    /// `first_fallout_at` count from their last fall-out, the earliest they know.
    #[default]
    FirstFallOut,
    /// The (re-)assignment the lead is falling out of: the start of its protection clock (the
    /// claim, assignment or routing that took it from the pool; kept across transfers unless
    /// `protection.transfer_resets`).
    Assignment,
    /// The previous fall-out (the only reading before 0.2): a lead that keeps falling out
    /// sooner than `min_*` never takes the step.
    PreviousFallOut,
}

impl LadderSince {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// Automatic assignment: ordered rules, first match wins, a catch-all last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoutingConfig {
    /// Where routed leads wait when their target cannot take them now.
    pub default_pool: String,
    /// The rules, in order; the last one has no `when`.
    pub rules: Vec<RuleConfig>,
}

/// A routing rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    /// Rule id.
    pub id: String,
    /// The condition on the lead (condition language); absent: matches every lead (catch-all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// Where matching leads go.
    pub to: Target,
}

/// Where a routing rule sends a lead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Target {
    /// One rep.
    Rep {
        /// The rep id.
        rep: String,
    },
    /// The rep named by a lead attribute (existing account → its owner, seed 001). When the
    /// attribute is missing, names no rep, or that rep cannot take the lead, the next rule is
    /// tried.
    AccountOwner {
        /// The attribute holding the owner's rep id.
        attribute: String,
    },
    /// A team, by its strategy (or this one).
    Team {
        /// The team id.
        team: String,
        /// Only members having all these segments.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        segments: Vec<String>,
        /// Overrides the team's strategy for this rule.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        strategy: Option<Strategy>,
        /// Only members of this role (`sdr` for the SDR desk of a mixed team).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<Role>,
    },
    /// No rep: leave the lead in a pool.
    Pool {
        /// The pool id.
        pool: String,
    },
}

/// A hand-over path: the owner of role `from` gives the lead to a person of role `to` (seed
/// 003: the SDR qualifies a lead, 「再分配给SDR电话跟进」, then the rep closes it).
///
/// `{"id": "sdr_to_rep", "from": "sdr", "to": "rep", "team": "sales"}`: an SDR hands a lead to
/// a rep they name, or, naming none, to the member of `sales` with role `rep` the team's
/// strategy picks (the same candidate checks as routing: caps, cooldowns, calendars).
/// The receiver's protection starts afresh unless `keep_protection`; the giver gets no
/// cooldown (a hand-over is not a fall-out) and the ownership history keeps both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoverConfig {
    /// Path id (explains the decision).
    pub id: String,
    /// The giver's role.
    pub from: Role,
    /// The receiver's role.
    pub to: Role,
    /// The team the receiver is picked from when the command names none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// Overrides the team's strategy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<Strategy>,
    /// Keep the protection clock of the giver's claim instead of restarting it.
    #[serde(default)]
    pub keep_protection: bool,
}

/// Where an SLA timer starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SlaStart {
    /// The lead's creation time.
    Created,
    /// When the lead entered its current pool, owner or dispatcher.
    Entered,
    /// When the current owner got the lead (not running for unowned leads).
    Assigned,
    /// The owner's last qualifying follow-up, else the assignment (owned leads only).
    LastFollowUp,
    /// The lead's own last activity (site login, reply…), else its creation.
    LastActivity,
}

/// Which leads an SLA timer watches.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum HolderFilter {
    /// Every lead not converted.
    #[default]
    Any,
    /// Leads in a pool.
    Pooled,
    /// Leads with an owner.
    Owned,
    /// Leads waiting for a manager's dispatch.
    Dispatching,
}

/// Who an SLA escalation step reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    /// The owner (or the dispatching manager).
    Owner,
    /// The owner's team lead; for pooled leads the pool's manager.
    Manager,
    /// The manager of the lead's pool (its current pool, or the one it came from).
    PoolManager,
    /// Not a person: the lead should go back to its pool (the host issues `reclaim`).
    Reclaim,
}

/// One rung of an SLA escalation ladder: `after_hours` past the deadline, reach `to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaEscalation {
    /// Hours after the deadline (business hours when the timer has a calendar); 0 = at it.
    pub after_hours: f64,
    /// Who is reached.
    pub to: Recipient,
}

/// An SLA timer: a deadline counted from a start, met by a milestone.
///
/// Seed 000's cleaning SLA: `{"id": "cleaning", "start": "created", "stop": "cleaned",
/// "hours": 48}`; first follow-up: `{"id": "first_follow_up", "start": "assigned", "stop":
/// "followed_up", "hours": 4, "calendar": "cn"}`; seed 001's idle SAL reminder: `{"id":
/// "sal_idle", "start": "last_activity", "stages": ["SAL"], "holder": "owned", "hours": 48}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaTimerConfig {
    /// Timer id.
    pub id: String,
    /// Where the clock starts.
    pub start: SlaStart,
    /// The milestone that meets the timer when it happens at or after the start: `followed_up`,
    /// `assigned`, `activity`, or any name the host records with the `milestone` command
    /// (`cleaned`…). Absent: the timer is only reset by its start moving.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop: Option<String>,
    /// Hours from the start to the deadline (business hours with a calendar).
    pub hours: f64,
    /// Business calendar; absent: clock hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
    /// Which leads the timer watches.
    #[serde(default)]
    pub holder: HolderFilter,
    /// Only leads in these stages; empty: every stage.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<String>,
    /// The timer is listed as `due` this many hours before its deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warn_before_hours: Option<f64>,
    /// The escalation ladder past the deadline, in increasing `after_hours`; default: the owner
    /// at the deadline.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub escalation: Vec<SlaEscalation>,
}

/// The unit of a cadence's steps.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Days.
    #[default]
    Day,
    /// Weeks.
    Week,
}

/// One step of a cadence: at `at` units after the anchor, send `content` on `channel`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepConfig {
    /// Step id, unique within its cadence.
    pub id: String,
    /// Units after the anchor (entry into the cadence, or the start of silence); 0 = at once.
    pub at: u32,
    /// Channel (`wechat`, `sms`, `email`, `moments`…).
    pub channel: String,
    /// Content id.
    pub content: String,
}

/// A relative-time SOP (seed 003): the same steps for every lead it serves, counted from each
/// lead's own entry.
///
/// Several SOPs may serve one stage: a lead entering the stage enters every one whose `when`
/// matches it, side by side (seed 003's trial onboarding next to the pre-nurture of MQLs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SopConfig {
    /// Cadence id, unique among the SOPs and reactivation cadences.
    pub id: String,
    /// The lead stage this cadence serves (`MIL`, `MQL`…); a lead entering the stage enters
    /// the cadence at its first step.
    pub stage: String,
    /// The leads it serves (condition language, on the lead as the CRM gives it with the stage
    /// change); absent: every lead of the stage. A stage change given without the lead enters
    /// no SOP that has a `when` (and keeps the ones it runs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// Unit of `at`.
    #[serde(default)]
    pub unit: Unit,
    /// The steps, in non-decreasing `at`.
    pub steps: Vec<StepConfig>,
}

/// A reactivation cadence for silent leads: steps at N days of silence (seed 003: 30, 45, 60).
///
/// Seed 003 differs them by segment, 「根据客户title分类…按行业分类…根据地区做分类」: a lead gets the
/// first cadence whose `when` matches it when it enters its stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReactivationConfig {
    /// Cadence id, unique among the SOPs and reactivation cadences.
    pub id: String,
    /// The leads it serves (condition language); absent: every lead (only the last cadence may
    /// go without).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// Steps; `at` counts days of silence, in non-decreasing order and at least 1.
    pub steps: Vec<StepConfig>,
}

/// Nurture cadences: the SOPs of each stage, and the reactivation cadences by segment.
///
/// MQLs on a trial get onboarding mails next to the weekly pre-nurture every MQL gets; silent
/// manufacturing leads are reactivated at 30, 45 and 60 days, every other lead at 30 and 60:
///
/// ```json
/// {"sops": [
///    {"id": "trial_onboarding", "stage": "MQL", "when": {"field": "attributes.trial", "eq": true},
///     "steps": [{"id": "welcome", "at": 0, "channel": "email", "content": "welcome"},
///               {"id": "d1", "at": 1, "channel": "email", "content": "core_feature"}]},
///    {"id": "pre_nurture", "stage": "MQL", "unit": "week",
///     "steps": [{"id": "w1", "at": 1, "channel": "wechat", "content": "case_study"}]}],
///  "reactivation": [
///    {"id": "reactivate_manufacturing",
///     "when": {"field": "attributes.industry", "eq": "manufacturing"},
///     "steps": [{"id": "s30", "at": 30, "channel": "wechat", "content": "factory_case"},
///               {"id": "s45", "at": 45, "channel": "sms", "content": "plant_tour"},
///               {"id": "s60", "at": 60, "channel": "email", "content": "industry_report"}]},
///    {"id": "reactivate",
///     "steps": [{"id": "s30", "at": 30, "channel": "wechat", "content": "new_features"},
///               {"id": "s60", "at": 60, "channel": "email", "content": "industry_report"}]}]}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NurtureConfig {
    /// The SOPs, each serving one stage; several may serve the same stage.
    pub sops: Vec<SopConfig>,
    /// The cadences for silent leads, by segment: a lead's is the first whose `when` matches
    /// it. Also read from one object, the only form before 0.2 (a list of one).
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub reactivation: Vec<ReactivationConfig>,
}

/// A list, or one item (read as a list of one).
fn one_or_many<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a list of cadences or one cadence")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Vec<T>, A::Error> {
            Vec::deserialize(SeqAccessDeserializer::new(seq))
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
            T::deserialize(MapAccessDeserializer::new(map)).map(|one| vec![one])
        }
    }
    d.deserialize_any(V(std::marker::PhantomData))
}
