//! Validation of a [`PolicyConfig`] into the immutable, indexed [`Policy`] the state machine
//! runs on.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use serde_json::Value;

use super::calendar::{Calendar, parse_offset};
use super::config::*;
use super::state::FixedMap;
use crate::condition::{CompiledCondition, Condition};
use crate::error::{ConfigError, FieldErrorKind, InputError};
use crate::input::{self, Config};

/// Longest period a policy may name: 100 years, in days.
pub const MAX_DAYS: f64 = 36_500.0;

/// A validated pool policy: reps, teams and pools indexed, periods as durations, routing
/// conditions compiled. Immutable; build it once and share it.
///
/// ```
/// use leadcore::pool::Policy;
/// let policy = Policy::from_json(r#"{
///   "pools": [{"id": "east", "kind": "active", "region": "east"}],
///   "reps": [{"id": "wang", "holding_cap": 2}],
///   "protection": {}
/// }"#).unwrap();
/// assert_eq!(policy.config().protection.as_ref().unwrap().max_days, 20.0);
/// let err = Policy::from_json(r#"{"pools": [], "reps": [{"id": "wang"}],
///   "protection": {"default_days": 0}}"#).unwrap_err();
/// assert_eq!((err.code(), err.path.as_str()), ("invalid_value", "protection.default_days"));
/// ```
#[derive(Debug, Clone)]
pub struct Policy {
    config: PolicyConfig,
    pub(crate) seed: u64,
    pub(crate) day_offset: FixedOffset,
    pub(crate) calendars: Vec<Calendar>,
    pub(crate) reps: Vec<RepInfo>,
    rep_ix: FixedMap<String, usize>,
    pub(crate) teams: Vec<TeamInfo>,
    pub(crate) pools: Vec<PoolInfo>,
    pool_ix: FixedMap<String, usize>,
    pub(crate) protection: Option<Protection>,
    pub(crate) reclaim: Reclaim,
    pub(crate) ladder: Vec<Ladder>,
    pub(crate) routing: Option<Routing>,
    pub(crate) sla: Vec<Sla>,
    pub(crate) nurture: Option<Nurture>,
    pub(crate) handovers: Vec<Handover>,
    /// The exclusion reason recorded at a fall-out, shared.
    pub(crate) fallout_reason: Arc<str>,
    /// How far `now` may lag behind a record's clock.
    pub(crate) skew: Duration,
    /// Command ids kept per lead.
    pub(crate) remember: usize,
    /// The config's fingerprint.
    fingerprint: String,
}

#[derive(Debug, Clone)]
pub(crate) struct RepInfo {
    pub(crate) id: Arc<str>,
    pub(crate) team: Option<usize>,
    pub(crate) region: Option<Arc<str>>,
    pub(crate) segments: Vec<String>,
    pub(crate) weight: u32,
    pub(crate) calendar: Option<usize>,
    pub(crate) away: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    pub(crate) holding_cap: Option<u32>,
    pub(crate) daily_cap: Option<u32>,
    pub(crate) role: Role,
    pub(crate) active: bool,
    /// Teams this rep leads.
    pub(crate) leads_teams: Vec<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct TeamInfo {
    pub(crate) id: Arc<str>,
    pub(crate) lead: Option<usize>,
    pub(crate) strategy: Strategy,
    pub(crate) dispatch: Dispatch,
    pub(crate) pool: Option<usize>,
    /// Members of every role but `manager`, in config order.
    pub(crate) members: Vec<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct PoolInfo {
    pub(crate) id: Arc<str>,
    pub(crate) kind: PoolKind,
    pub(crate) region: Option<Arc<str>>,
    pub(crate) manager: Option<usize>,
    pub(crate) eligible: Option<Eligible>,
}

/// Who may claim from a pool, indexed.
#[derive(Debug, Clone)]
pub(crate) struct Eligible {
    pub(crate) teams: Vec<usize>,
    pub(crate) regions: Vec<String>,
    pub(crate) roles: Vec<Role>,
}

impl Eligible {
    /// Whether the rep may claim: of a listed team or region (when any is listed) and of a
    /// listed role (when any is listed).
    pub(crate) fn admits(&self, rep: &RepInfo) -> bool {
        let place = (self.teams.is_empty() && self.regions.is_empty())
            || rep.team.is_some_and(|t| self.teams.contains(&t))
            || rep
                .region
                .as_deref()
                .is_some_and(|r| self.regions.iter().any(|x| x == r));
        place && (self.roles.is_empty() || self.roles.contains(&rep.role))
    }
}

/// A hand-over path, indexed.
#[derive(Debug, Clone)]
pub(crate) struct Handover {
    pub(crate) id: Arc<str>,
    pub(crate) from: Role,
    pub(crate) to: Role,
    pub(crate) team: Option<usize>,
    pub(crate) strategy: Option<Strategy>,
    pub(crate) keep_protection: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Protection {
    pub(crate) default: Duration,
    pub(crate) extension: Duration,
    pub(crate) max: Duration,
    pub(crate) warn: Option<Duration>,
    pub(crate) qualifying: Vec<String>,
    pub(crate) transfer_resets: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Reclaim {
    pub(crate) no_follow_up: Option<Duration>,
    pub(crate) not_converted: Option<Duration>,
    pub(crate) warn: Option<Duration>,
    pub(crate) cooldown: Option<Duration>,
    pub(crate) next_owner_differs: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Ladder {
    pub(crate) kind: PoolKind,
    pub(crate) since: LadderSince,
    pub(crate) min: Option<Interval>,
    pub(crate) max: Option<Interval>,
}

/// A ladder bound: a fixed span or calendar months.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Interval {
    Fixed(Duration),
    Months(u32),
}

impl Interval {
    /// The instant this interval after `t` (saturating).
    pub(crate) fn after(self, t: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            Self::Fixed(d) => crate::time::add(t, d),
            Self::Months(m) => crate::time::add_months(t, m),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Routing {
    pub(crate) default_pool: usize,
    pub(crate) rules: Vec<Rule>,
}

#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub(crate) id: Arc<str>,
    pub(crate) when: Option<CompiledCondition>,
    pub(crate) to: RuleTarget,
}

#[derive(Debug, Clone)]
pub(crate) enum RuleTarget {
    Rep(usize),
    AccountOwner(String),
    Team {
        team: usize,
        segments: Vec<String>,
        strategy: Option<Strategy>,
        role: Option<Role>,
    },
    Pool(usize),
}

#[derive(Debug, Clone)]
pub(crate) struct Sla {
    pub(crate) id: Arc<str>,
    pub(crate) start: SlaStart,
    pub(crate) stop: Option<String>,
    pub(crate) span: Duration,
    pub(crate) calendar: Option<usize>,
    pub(crate) holder: HolderFilter,
    pub(crate) stages: Vec<String>,
    pub(crate) warn: Option<Duration>,
    pub(crate) escalation: Vec<(Duration, Recipient)>,
}

#[derive(Debug, Clone)]
pub(crate) struct Nurture {
    /// The SOPs, in config order.
    pub(crate) sops: Vec<Sop>,
    /// The reactivation cadences, in config order; only the last may have no `when`.
    pub(crate) reactivation: Vec<Sop>,
}

impl Nurture {
    /// The SOP with this id.
    pub(crate) fn sop(&self, id: &str) -> Option<&Sop> {
        self.sops.iter().find(|s| &*s.id == id)
    }

    /// The reactivation cadence with this id, or (`None`) the first one without `when`.
    pub(crate) fn reactivation(&self, id: Option<&str>) -> Option<&Sop> {
        match id {
            Some(id) => self.reactivation.iter().find(|r| &*r.id == id),
            None => self.reactivation.iter().find(|r| r.when.is_none()),
        }
    }

    /// Where a cadence comes in the config: SOPs first, then reactivation cadences.
    pub(crate) fn position(&self, id: &str) -> usize {
        self.sops
            .iter()
            .chain(&self.reactivation)
            .position(|s| &*s.id == id)
            .unwrap_or(usize::MAX)
    }
}

/// A compiled cadence: an SOP of a stage, or a reactivation cadence (no stage).
#[derive(Debug, Clone)]
pub(crate) struct Sop {
    pub(crate) id: Arc<str>,
    pub(crate) stage: String,
    /// The leads it serves; `None`: every lead.
    pub(crate) when: Option<CompiledCondition>,
    pub(crate) steps: Vec<Step>,
}

#[derive(Debug, Clone)]
pub(crate) struct Step {
    pub(crate) id: Arc<str>,
    pub(crate) at: u32,
    pub(crate) offset: Duration,
    pub(crate) channel: Arc<str>,
    pub(crate) content: Arc<str>,
}

impl Policy {
    /// Validates and compiles a policy config.
    pub fn new(config: PolicyConfig) -> Result<Self, ConfigError> {
        compile(config)
    }

    /// Parses, validates and compiles a policy from JSON text.
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        Self::new(PolicyConfig::from_json(text)?)
    }

    /// Converts, validates and compiles a policy from a JSON value.
    pub fn from_value(value: Value) -> Result<Self, ConfigError> {
        Self::new(PolicyConfig::from_value(value)?)
    }

    /// The config this policy was compiled from.
    pub fn config(&self) -> &PolicyConfig {
        &self.config
    }

    /// Identifies the policy: 16 hex digits of a 64-bit FNV-1a hash of its canonical JSON
    /// (defaults filled in, keys sorted). Log entries carry it, so a log is never replayed
    /// under another policy by mistake.
    ///
    /// ```
    /// use leadcore::pool::Policy;
    /// let a = Policy::from_json(r#"{"pools": [{"id": "p", "kind": "active"}], "reps": [{"id": "wang"}]}"#).unwrap();
    /// let b = Policy::from_json(r#"{"reps": [{"id": "wang"}], "pools": [{"kind": "active", "id": "p"}]}"#).unwrap();
    /// assert_eq!(a.fingerprint(), b.fingerprint());
    /// assert_eq!(a.fingerprint().len(), 16);
    /// ```
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    pub(crate) fn rep_index(&self, id: &str) -> Option<usize> {
        self.rep_ix.get(id).copied()
    }

    pub(crate) fn pool_index(&self, id: &str) -> Option<usize> {
        self.pool_ix.get(id).copied()
    }

    pub(crate) fn rep(&self, i: usize) -> Option<&RepInfo> {
        self.reps.get(i)
    }

    pub(crate) fn team(&self, i: usize) -> Option<&TeamInfo> {
        self.teams.get(i)
    }

    pub(crate) fn pool(&self, i: usize) -> Option<&PoolInfo> {
        self.pools.get(i)
    }

    /// The calendar of a rep, if any.
    pub(crate) fn rep_calendar(&self, rep: &RepInfo) -> Option<&Calendar> {
        rep.calendar.and_then(|c| self.calendars.get(c))
    }

    /// The hand-over path from `from`: to `to` when the receiver's role is known, else to
    /// `role` when given, else the first path from `from`.
    pub(crate) fn handover(
        &self,
        from: Role,
        to: Option<Role>,
        role: Option<Role>,
    ) -> Option<&Handover> {
        let want = to.or(role);
        self.handovers
            .iter()
            .find(|h| h.from == from && want.is_none_or(|w| h.to == w))
    }

    /// The UTC offset of a rep's day (its calendar's, else the policy's).
    pub(crate) fn rep_offset(&self, rep: &RepInfo) -> FixedOffset {
        self.rep_calendar(rep)
            .map_or(self.day_offset, Calendar::offset)
    }
}

impl Config for PolicyConfig {
    fn validate(&self) -> Result<(), ConfigError> {
        compile(self.clone()).map(|_| ())
    }

    fn from_json(text: &str) -> Result<Self, ConfigError> {
        let value: Value = input::from_json(text).map_err(InputError::into_config)?;
        Self::from_value(value)
    }

    fn from_value(value: Value) -> Result<Self, ConfigError> {
        crate::condition::check_depth(&value, "$")?;
        let single = value
            .pointer("/nurture/reactivation")
            .is_some_and(Value::is_object);
        let config: Self = input::from_value(value).map_err(InputError::into_config)?;
        config.validate().map_err(|mut e| {
            // One reactivation object (before 0.2) is read as a list of one: name its own path.
            if let Some(rest) = e
                .path
                .strip_prefix("nurture.reactivation[0]")
                .filter(|_| single)
            {
                e.path = format!("nurture.reactivation{rest}");
            }
            e
        })?;
        Ok(config)
    }
}

impl PolicyConfig {
    /// Validates and compiles the config into a [`Policy`].
    pub fn compile(self) -> Result<Policy, ConfigError> {
        compile(self)
    }
}

fn unknown(name: &str, path: impl Into<String>) -> ConfigError {
    ConfigError::new(FieldErrorKind::UnknownReference(name.to_string()), path)
}

/// A positive, finite number of days (at most [`MAX_DAYS`]) as a duration.
fn days(v: f64, path: &str) -> Result<Duration, ConfigError> {
    span(v, 86_400_000.0, false, path)
}

/// Longest ladder bound in calendar months: 100 years, as [`MAX_DAYS`].
const MAX_MONTHS: u32 = 1_200;

/// A ladder bound from `<end>_days` or `<end>_months` (not both) of the step at `at`, if
/// either is given.
fn bound(
    days_v: Option<f64>,
    months: Option<u32>,
    at: &str,
    end: &str,
) -> Result<Option<Interval>, ConfigError> {
    let path = |unit: &str| format!("{at}.{end}_{unit}");
    match (days_v, months) {
        (None, None) => Ok(None),
        (Some(d), None) => Ok(Some(Interval::Fixed(days(d, &path("days"))?))),
        (None, Some(0)) => Err(ConfigError::invalid("`0` must be positive", path("months"))),
        (None, Some(m)) if m > MAX_MONTHS => Err(ConfigError::invalid(
            format!("`{m}` is longer than {MAX_MONTHS} months"),
            path("months"),
        )),
        (None, Some(m)) => Ok(Some(Interval::Months(m))),
        (Some(_), Some(_)) => Err(ConfigError::invalid(
            format!("give `{end}_days` or `{end}_months`, not both"),
            path("months"),
        )),
    }
}

/// A positive number of hours as a duration.
fn hours(v: f64, path: &str) -> Result<Duration, ConfigError> {
    span(v, 3_600_000.0, false, path)
}

fn span(v: f64, ms_per_unit: f64, zero_ok: bool, path: &str) -> Result<Duration, ConfigError> {
    if !v.is_finite() {
        return Err(ConfigError::new(FieldErrorKind::NotFinite, path));
    }
    if v < 0.0 || (v == 0.0 && !zero_ok) {
        return Err(ConfigError::invalid(
            if zero_ok {
                format!("`{v}` must not be negative")
            } else {
                format!("`{v}` must be positive")
            },
            path,
        ));
    }
    let ms = v * ms_per_unit;
    if ms > MAX_DAYS * 86_400_000.0 {
        return Err(ConfigError::invalid(
            format!("`{v}` is longer than {MAX_DAYS} days"),
            path,
        ));
    }
    Ok(Duration::milliseconds(ms.round() as i64))
}

fn non_empty(s: &str, path: &str) -> Result<(), ConfigError> {
    if s.trim().is_empty() {
        Err(ConfigError::invalid("must not be empty", path))
    } else {
        Ok(())
    }
}

/// Checks ids are non-empty and unique; returns id → index.
fn index_ids<'a>(
    ids: impl Iterator<Item = &'a str>,
    section: &str,
) -> Result<FixedMap<String, usize>, ConfigError> {
    let mut map = FixedMap::default();
    for (i, id) in ids.enumerate() {
        let path = format!("{section}[{i}].id");
        non_empty(id, &path)?;
        if map.insert(id.to_string(), i).is_some() {
            return Err(ConfigError::new(FieldErrorKind::Duplicate(id.into()), path));
        }
    }
    Ok(map)
}

fn compile(config: PolicyConfig) -> Result<Policy, ConfigError> {
    let skew = span(
        config.clock_skew_seconds,
        1000.0,
        true,
        "clock_skew_seconds",
    )?;
    if skew > Duration::hours(1) {
        return Err(ConfigError::invalid(
            format!("`{}` is more than 3600 seconds", config.clock_skew_seconds),
            "clock_skew_seconds",
        ));
    }
    if config.remember_command_ids > 1000 {
        return Err(ConfigError::invalid(
            format!("`{}` is more than 1000", config.remember_command_ids),
            "remember_command_ids",
        ));
    }
    let day_offset = parse_offset(&config.utc_offset).ok_or_else(|| {
        ConfigError::invalid(
            format!(
                "`{}` is not a utc offset such as `+08:00`",
                config.utc_offset
            ),
            "utc_offset",
        )
    })?;
    let cal_ix = index_ids(config.calendars.iter().map(|c| c.id.as_str()), "calendars")?;
    let calendars = config
        .calendars
        .iter()
        .enumerate()
        .map(|(i, c)| c.compile_at(&format!("calendars[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    let rep_ix = index_ids(config.reps.iter().map(|r| r.id.as_str()), "reps")?;
    let team_ix = index_ids(config.teams.iter().map(|t| t.id.as_str()), "teams")?;
    let pool_ix = index_ids(config.pools.iter().map(|p| p.id.as_str()), "pools")?;
    let rep_ref = |id: &str, path: String| rep_ix.get(id).copied().ok_or_else(|| unknown(id, path));
    let pool_ref =
        |id: &str, path: String| pool_ix.get(id).copied().ok_or_else(|| unknown(id, path));
    let team_ref =
        |id: &str, path: String| team_ix.get(id).copied().ok_or_else(|| unknown(id, path));

    let mut reps = Vec::with_capacity(config.reps.len());
    for (i, r) in config.reps.iter().enumerate() {
        let at = format!("reps[{i}]");
        let team = r
            .team
            .as_deref()
            .map(|t| team_ref(t, format!("{at}.team")))
            .transpose()?;
        let calendar = r
            .calendar
            .as_deref()
            .map(|c| {
                cal_ix
                    .get(c)
                    .copied()
                    .ok_or_else(|| unknown(c, format!("{at}.calendar")))
            })
            .transpose()?;
        if r.weight == 0 {
            return Err(ConfigError::invalid(
                "a weight must be at least 1",
                format!("{at}.weight"),
            ));
        }
        for (j, a) in r.away.iter().enumerate() {
            if a.from >= a.to {
                return Err(ConfigError::invalid(
                    "an away period must end after it starts",
                    format!("{at}.away[{j}]"),
                ));
            }
        }
        if let Some(region) = &r.region {
            non_empty(region, &format!("{at}.region"))?;
        }
        reps.push(RepInfo {
            id: Arc::from(r.id.as_str()),
            team,
            region: r.region.as_deref().map(Arc::from),
            segments: r.segments.clone(),
            weight: r.weight,
            calendar,
            away: r.away.iter().map(|a| (a.from, a.to)).collect(),
            holding_cap: r.holding_cap,
            daily_cap: r.daily_claim_cap,
            role: r.role,
            active: r.active,
            leads_teams: Vec::new(),
        });
    }

    let mut teams = Vec::with_capacity(config.teams.len());
    for (i, t) in config.teams.iter().enumerate() {
        let at = format!("teams[{i}]");
        let lead = t
            .lead
            .as_deref()
            .map(|l| rep_ref(l, format!("{at}.lead")))
            .transpose()?;
        if t.dispatch == Dispatch::ViaLead && lead.is_none() {
            return Err(ConfigError::invalid(
                "two-level dispatch needs a team `lead`",
                format!("{at}.dispatch"),
            ));
        }
        let pool = t
            .pool
            .as_deref()
            .map(|p| pool_ref(p, format!("{at}.pool")))
            .transpose()?;
        let members = reps
            .iter()
            .enumerate()
            .filter(|(_, r)| r.team == Some(i) && r.role != Role::Manager)
            .map(|(j, _)| j)
            .collect();
        if let Some(l) = lead
            && let Some(r) = reps.get_mut(l)
        {
            r.leads_teams.push(i);
        }
        teams.push(TeamInfo {
            id: Arc::from(t.id.as_str()),
            lead,
            strategy: t.strategy,
            dispatch: t.dispatch,
            pool,
            members,
        });
    }

    let mut pools = Vec::with_capacity(config.pools.len());
    for (i, p) in config.pools.iter().enumerate() {
        let at = format!("pools[{i}]");
        let manager = p
            .manager
            .as_deref()
            .map(|m| rep_ref(m, format!("{at}.manager")))
            .transpose()?;
        let eligible = match &p.claimable_by {
            None => None,
            Some(e) => {
                let teams = e
                    .teams
                    .iter()
                    .enumerate()
                    .map(|(j, t)| team_ref(t, format!("{at}.claimable_by.teams[{j}]")))
                    .collect::<Result<Vec<_>, _>>()?;
                if teams.is_empty() && e.regions.is_empty() && e.roles.is_empty() {
                    return Err(ConfigError::invalid(
                        "name at least one team, region or role",
                        format!("{at}.claimable_by"),
                    ));
                }
                Some(Eligible {
                    teams,
                    regions: e.regions.clone(),
                    roles: e.roles.clone(),
                })
            }
        };
        pools.push(PoolInfo {
            id: Arc::from(p.id.as_str()),
            kind: p.kind,
            region: p.region.as_deref().map(Arc::from),
            manager,
            eligible,
        });
    }

    let protection = match &config.protection {
        None => None,
        Some(p) => {
            let default = days(p.default_days, "protection.default_days")?;
            let extension = days(p.extension_days, "protection.extension_days")?;
            let max = days(p.max_days, "protection.max_days")?;
            if max < default {
                return Err(ConfigError::invalid(
                    "the hard maximum is shorter than the default period",
                    "protection.max_days",
                ));
            }
            let warn = p
                .warn_days
                .map(|w| days(w, "protection.warn_days"))
                .transpose()?;
            if warn.is_some_and(|w| w >= default) {
                return Err(ConfigError::invalid(
                    "the warning must come before the default period ends",
                    "protection.warn_days",
                ));
            }
            Some(Protection {
                default,
                extension,
                max,
                warn,
                qualifying: p.qualifying.clone(),
                transfer_resets: p.transfer_resets,
            })
        }
    };

    let rc = &config.reclaim;
    let no_follow_up = rc
        .no_follow_up_days
        .map(|d| days(d, "reclaim.no_follow_up_days"))
        .transpose()?;
    let not_converted = rc
        .not_converted_days
        .map(|d| days(d, "reclaim.not_converted_days"))
        .transpose()?;
    let warn = rc
        .warn_days
        .map(|d| days(d, "reclaim.warn_days"))
        .transpose()?;
    if let Some(w) = warn {
        let shortest = [no_follow_up, not_converted].into_iter().flatten().min();
        match shortest {
            None => {
                return Err(ConfigError::invalid(
                    "a warning needs a reclaim trigger",
                    "reclaim.warn_days",
                ));
            }
            Some(s) if w >= s => {
                return Err(ConfigError::invalid(
                    "the warning must come before the trigger",
                    "reclaim.warn_days",
                ));
            }
            Some(_) => {}
        }
    }
    let cooldown = rc
        .cooldown_hours
        .map(|h| hours(h, "reclaim.cooldown_hours"))
        .transpose()?;
    let reclaim = Reclaim {
        no_follow_up,
        not_converted,
        warn,
        cooldown,
        next_owner_differs: rc.next_owner_differs,
    };

    let mut ladder = Vec::new();
    if let Some(e) = &config.escalation {
        if e.ladder.is_empty() {
            return Err(ConfigError::invalid(
                "the ladder has no step",
                "escalation.ladder",
            ));
        }
        for (i, s) in e.ladder.iter().enumerate() {
            let at = format!("escalation.ladder[{i}]");
            if !pools.iter().any(|p| p.kind == s.pool_kind) {
                return Err(ConfigError::invalid(
                    "no pool of this kind",
                    format!("{at}.pool_kind"),
                ));
            }
            let min = bound(s.min_days, s.min_months, &at, "min")?;
            let max = bound(s.max_days, s.max_months, &at, "max")?;
            let refused = match (min, max) {
                (Some(Interval::Fixed(lo)), Some(Interval::Fixed(hi))) if lo > hi => {
                    Some(("the minimum is above the maximum", "min_days"))
                }
                (Some(Interval::Months(lo)), Some(Interval::Months(hi))) if lo > hi => {
                    Some(("the minimum is above the maximum", "min_months"))
                }
                (Some(Interval::Fixed(_)), Some(Interval::Months(_))) => {
                    Some(("give both bounds in days or both in months", "max_months"))
                }
                (Some(Interval::Months(_)), Some(Interval::Fixed(_))) => {
                    Some(("give both bounds in days or both in months", "max_days"))
                }
                _ => None,
            };
            if let Some((message, key)) = refused {
                return Err(ConfigError::invalid(message, format!("{at}.{key}")));
            }
            ladder.push(Ladder {
                kind: s.pool_kind,
                since: s.since,
                min,
                max,
            });
        }
    }

    let routing = match &config.routing {
        None => None,
        Some(r) => Some(compile_routing(r, &rep_ref, &pool_ref, &team_ref)?),
    };

    let mut sla = Vec::with_capacity(config.sla.len());
    index_ids(config.sla.iter().map(|s| s.id.as_str()), "sla")?;
    for (i, s) in config.sla.iter().enumerate() {
        let at = format!("sla[{i}]");
        let span = hours(s.hours, &format!("{at}.hours"))?;
        let calendar = s
            .calendar
            .as_deref()
            .map(|c| {
                cal_ix
                    .get(c)
                    .copied()
                    .ok_or_else(|| unknown(c, format!("{at}.calendar")))
            })
            .transpose()?;
        if let Some(stop) = &s.stop {
            non_empty(stop, &format!("{at}.stop"))?;
        }
        let warn = s
            .warn_before_hours
            .map(|h| hours(h, &format!("{at}.warn_before_hours")))
            .transpose()?;
        let mut escalation = Vec::with_capacity(s.escalation.len().max(1));
        let mut last = None;
        for (j, e) in s.escalation.iter().enumerate() {
            let p = format!("{at}.escalation[{j}].after_hours");
            let d = span_zero_ok(e.after_hours, &p)?;
            if last.is_some_and(|l| d <= l) {
                return Err(ConfigError::invalid("escalation steps must increase", p));
            }
            last = Some(d);
            escalation.push((d, e.to));
        }
        if escalation.is_empty() {
            escalation.push((Duration::zero(), Recipient::Owner));
        }
        sla.push(Sla {
            id: Arc::from(s.id.as_str()),
            start: s.start,
            stop: s.stop.clone(),
            span,
            calendar,
            holder: s.holder,
            stages: s.stages.clone(),
            warn,
            escalation,
        });
    }

    let nurture = config.nurture.as_ref().map(compile_nurture).transpose()?;
    let handovers = compile_handovers(&config.handovers, &team_ref)?;

    Ok(Policy {
        seed: config.seed,
        day_offset,
        calendars,
        reps,
        rep_ix,
        teams,
        pools,
        pool_ix,
        protection,
        reclaim,
        ladder,
        routing,
        sla,
        nurture,
        handovers,
        fallout_reason: Arc::from("fallout"),
        skew,
        remember: config.remember_command_ids as usize,
        fingerprint: fingerprint(&config),
        config,
    })
}

/// 64-bit FNV-1a of the config's canonical JSON, as 16 hex digits.
fn fingerprint(config: &PolicyConfig) -> String {
    let text = crate::input::to_value(config).to_string();
    format!("{:016x}", crate::rng::fnv1a(text.as_bytes()))
}

fn span_zero_ok(v: f64, path: &str) -> Result<Duration, ConfigError> {
    span(v, 3_600_000.0, true, path)
}

type Resolve<'a> = dyn Fn(&str, String) -> Result<usize, ConfigError> + 'a;

fn compile_handovers(
    list: &[HandoverConfig],
    team_ref: &Resolve<'_>,
) -> Result<Vec<Handover>, ConfigError> {
    let mut out: Vec<Handover> = Vec::with_capacity(list.len());
    for (i, h) in list.iter().enumerate() {
        let at = format!("handovers[{i}]");
        non_empty(&h.id, &format!("{at}.id"))?;
        if out.iter().any(|o| *o.id == *h.id) {
            return Err(ConfigError::new(
                FieldErrorKind::Duplicate(h.id.clone()),
                format!("{at}.id"),
            ));
        }
        for (role, field) in [(h.from, "from"), (h.to, "to")] {
            if role == Role::Manager {
                return Err(ConfigError::invalid(
                    "a manager dispatches leads instead of working them: hand over between working roles",
                    format!("{at}.{field}"),
                ));
            }
        }
        if h.from == h.to {
            return Err(ConfigError::invalid(
                "a hand-over goes to another role (a transfer moves a lead within a role)",
                format!("{at}.to"),
            ));
        }
        if out.iter().any(|o| o.from == h.from && o.to == h.to) {
            return Err(ConfigError::invalid(
                format!(
                    "a second path from `{}` to `{}`",
                    h.from.as_str(),
                    h.to.as_str()
                ),
                format!("{at}.to"),
            ));
        }
        out.push(Handover {
            id: Arc::from(h.id.as_str()),
            from: h.from,
            to: h.to,
            team: h
                .team
                .as_deref()
                .map(|t| team_ref(t, format!("{at}.team")))
                .transpose()?,
            strategy: h.strategy,
            keep_protection: h.keep_protection,
        });
    }
    Ok(out)
}

fn compile_routing(
    r: &RoutingConfig,
    rep_ref: &Resolve<'_>,
    pool_ref: &Resolve<'_>,
    team_ref: &Resolve<'_>,
) -> Result<Routing, ConfigError> {
    let default_pool = pool_ref(&r.default_pool, "routing.default_pool".into())?;
    if r.rules.is_empty() {
        return Err(ConfigError::invalid(
            "routing needs at least a catch-all rule",
            "routing.rules",
        ));
    }
    let mut ids = BTreeSet::new();
    let mut rules = Vec::with_capacity(r.rules.len());
    let last = r.rules.len() - 1;
    for (i, rule) in r.rules.iter().enumerate() {
        let at = format!("routing.rules[{i}]");
        non_empty(&rule.id, &format!("{at}.id"))?;
        if !ids.insert(rule.id.as_str()) {
            return Err(ConfigError::new(
                FieldErrorKind::Duplicate(rule.id.clone()),
                format!("{at}.id"),
            ));
        }
        let when = match &rule.when {
            Some(c) => Some(CompiledCondition::compile_at(c, &format!("{at}.when"))?),
            None if i == last => None,
            None => {
                return Err(ConfigError::invalid(
                    "only the last rule may be a catch-all (no `when`): the rules after it could never match",
                    format!("{at}.when"),
                ));
            }
        };
        if i == last && when.is_some() {
            return Err(ConfigError::invalid(
                "the last rule must be a catch-all without `when`",
                format!("{at}.when"),
            ));
        }
        let to = match &rule.to {
            Target::Rep { rep } => RuleTarget::Rep(rep_ref(rep, format!("{at}.to.rep"))?),
            Target::AccountOwner { attribute } => {
                non_empty(attribute, &format!("{at}.to.attribute"))?;
                RuleTarget::AccountOwner(attribute.clone())
            }
            Target::Team {
                team,
                segments,
                strategy,
                role,
            } => RuleTarget::Team {
                team: team_ref(team, format!("{at}.to.team"))?,
                segments: segments.clone(),
                strategy: *strategy,
                role: *role,
            },
            Target::Pool { pool } => RuleTarget::Pool(pool_ref(pool, format!("{at}.to.pool"))?),
        };
        rules.push(Rule {
            id: Arc::from(rule.id.as_str()),
            when,
            to,
        });
    }
    Ok(Routing {
        default_pool,
        rules,
    })
}

fn compile_steps(
    steps: &[StepConfig],
    unit: Duration,
    min_at: u32,
    at: &str,
) -> Result<Vec<Step>, ConfigError> {
    if steps.is_empty() {
        return Err(ConfigError::invalid(
            "a cadence needs at least one step",
            format!("{at}.steps"),
        ));
    }
    let mut ids = BTreeSet::new();
    let mut last = 0;
    let mut out = Vec::with_capacity(steps.len());
    for (i, s) in steps.iter().enumerate() {
        let p = format!("{at}.steps[{i}]");
        non_empty(&s.id, &format!("{p}.id"))?;
        if !ids.insert(s.id.as_str()) {
            return Err(ConfigError::new(
                FieldErrorKind::Duplicate(s.id.clone()),
                format!("{p}.id"),
            ));
        }
        if s.at < min_at || s.at < last {
            return Err(ConfigError::invalid(
                format!("steps must be in non-decreasing `at`, from {min_at}"),
                format!("{p}.at"),
            ));
        }
        if f64::from(s.at) * unit.num_seconds() as f64 > MAX_DAYS * 86_400.0 {
            return Err(ConfigError::invalid(
                "too far in the future",
                format!("{p}.at"),
            ));
        }
        non_empty(&s.channel, &format!("{p}.channel"))?;
        non_empty(&s.content, &format!("{p}.content"))?;
        last = s.at;
        out.push(Step {
            id: Arc::from(s.id.as_str()),
            at: s.at,
            offset: unit * i32::try_from(s.at).unwrap_or(i32::MAX),
            channel: Arc::from(s.channel.as_str()),
            content: Arc::from(s.content.as_str()),
        });
    }
    Ok(out)
}

fn compile_nurture(n: &NurtureConfig) -> Result<Nurture, ConfigError> {
    let mut ids = BTreeSet::new();
    let mut unique = |id: &str, at: &str| {
        non_empty(id, &format!("{at}.id"))?;
        if ids.insert(id.to_string()) {
            Ok(())
        } else {
            Err(ConfigError::new(
                FieldErrorKind::Duplicate(id.to_string()),
                format!("{at}.id"),
            ))
        }
    };
    let when = |c: &Option<Condition>, at: &str| {
        c.as_ref()
            .map(|c| CompiledCondition::compile_at(c, &format!("{at}.when")))
            .transpose()
    };
    let mut sops = Vec::with_capacity(n.sops.len());
    for (i, s) in n.sops.iter().enumerate() {
        let at = format!("nurture.sops[{i}]");
        unique(&s.id, &at)?;
        non_empty(&s.stage, &format!("{at}.stage"))?;
        let unit = match s.unit {
            Unit::Day => Duration::days(1),
            Unit::Week => Duration::weeks(1),
        };
        sops.push(Sop {
            id: Arc::from(s.id.as_str()),
            stage: s.stage.clone(),
            when: when(&s.when, &at)?,
            steps: compile_steps(&s.steps, unit, 0, &at)?,
        });
    }
    let mut reactivation = Vec::with_capacity(n.reactivation.len());
    let last = n.reactivation.len().saturating_sub(1);
    for (i, r) in n.reactivation.iter().enumerate() {
        let at = format!("nurture.reactivation[{i}]");
        unique(&r.id, &at)?;
        if r.when.is_none() && i != last {
            return Err(ConfigError::invalid(
                "only the last reactivation cadence may go without `when`: the ones after it could never be chosen",
                format!("{at}.when"),
            ));
        }
        reactivation.push(Sop {
            id: Arc::from(r.id.as_str()),
            stage: String::new(),
            when: when(&r.when, &at)?,
            steps: compile_steps(&r.steps, Duration::days(1), 1, &at)?,
        });
    }
    Ok(Nurture { sops, reactivation })
}
