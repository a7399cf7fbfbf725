//! The funnel over stage histories: counts, conversion, time in stage and amounts per stage,
//! grouped by period and by any dimension, on either time basis.
//!
//! **What is counted.** A lead *enters* a configured stage at its first recorded change into
//! that stage (a lead that is downgraded and re-qualifies counts once). `entry_stage`, when set,
//! counts the lead's creation as entry into that stage if its history has none. Stages not in
//! the configuration are ignored, so a funnel can be any subset of a pipeline.
//!
//! **Time basis.** `effective` places the entry in the period of `StageChange.at` (when the lead
//! actually qualified); `recorded` in the period of `recorded_at` (when someone recorded it).
//! Month-end pushes that record two weeks of qualifications on the last days of the month show
//! as the difference between the two (seed 000). `recording_lag_days_mean` says how late entries
//! were recorded.
//!
//! **Per stage and group:** `entered`; `advanced` (of those, how many ever entered a later
//! configured stage) and `conversion_to_next` = advanced ÷ entered (a cohort rate, ≤ 1);
//! `ratio_to_previous` = entered ÷ entered in the previous stage in the same group (a flow
//! ratio, which can exceed 1 when stages are skipped or periods differ); `days_to_advance_mean`
//! (from the entry to the first later stage, over the leads that advanced); `amount` (the stage's
//! amount attribute summed over the leads that entered, e.g. opportunity amount); time in stage
//! (`days_in_stage_mean` over completed stays: from the entry to the lead's next stage change,
//! always on `at`).

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

use super::error::FunnelError;
use super::growth::GrowthBands;
use super::period::{Granularity, parse_offset};
use crate::attribution::exact::Exact;
use crate::error::{ConfigError, Error, FieldErrorKind};
use crate::input::Config;
use crate::lead::{AttrValue, Lead, Source};

/// Value of a dimension a lead does not have.
pub const NONE: &str = "(none)";

/// The per-stage dimension: the owner recorded on the change that entered the stage (`(none)`
/// when not recorded, and for the creation entry of `entry_stage`).
const STAGE_OWNER: &str = "stage_owner";

/// The dimension of the lead's growth-motion band.
const GROWTH_MOTION: &str = "growth_motion";

/// One stage of the funnel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FunnelStage {
    /// Stage id as in the leads' histories (`MQL`, `Opportunity`…).
    pub id: String,
    /// Lead attribute holding this stage's amount (`opportunity_amount`…), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
}

/// Which clock places a stage entry in a period.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TimeBasis {
    /// When the change took effect (`StageChange.at`): when the lead qualified.
    #[default]
    Effective,
    /// When it was recorded (`StageChange.recorded_at`).
    Recorded,
}

fn default_offset() -> String {
    "+00:00".to_string()
}

/// Funnel configuration.
///
/// ```json
/// {"stages": [{"id": "Leads"}, {"id": "MQL"}, {"id": "SQL"},
///             {"id": "Opportunity", "amount": "opportunity_amount"},
///             {"id": "Order", "amount": "order_amount"}, {"id": "Payment", "amount": "payment_amount"}],
///  "entry_stage": "Leads", "time_basis": "effective", "granularity": "month",
///  "utc_offset": "+08:00", "dimensions": ["channel", "attributes.branch"]}
/// ```
/// Dimensions: `channel`, `campaign`, `utm_source`, `utm_medium`, `utm_campaign`, `utm_term`,
/// `utm_content`, `referrer` (from the lead's source), `owner` (the current owner),
/// `stage_owner` (per stage, the owner recorded on the change that entered it: a per-rep funnel,
/// seed 001 "以銷售為維度"), `growth_motion` (the lead's band in `growth_bands`: PLG / MLG / SLG
/// by deal size, seed 003), or `attributes.<name>`; a lead without one gets `(none)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FunnelConfig {
    /// The stages in funnel order.
    pub stages: Vec<FunnelStage>,
    /// A stage that the lead's creation enters when its history has no entry into it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_stage: Option<String>,
    /// Which clock places entries in periods (default `effective`).
    #[serde(default)]
    pub time_basis: TimeBasis,
    /// Period size (default `month`).
    #[serde(default)]
    pub granularity: Granularity,
    /// Fixed UTC offset of the calendar periods (default `+00:00`).
    #[serde(default = "default_offset")]
    pub utc_offset: String,
    /// Dimensions to group by, in this order.
    #[serde(default)]
    pub dimensions: Vec<String>,
    /// Growth-motion bands, for the `growth_motion` dimension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub growth_bands: Option<GrowthBands>,
}

impl Config for FunnelConfig {
    fn validate(&self) -> Result<(), ConfigError> {
        if self.stages.is_empty() {
            return Err(ConfigError::new(
                FieldErrorKind::InvalidValue("at least one stage is needed".into()),
                "stages",
            ));
        }
        for (i, s) in self.stages.iter().enumerate() {
            if s.id.is_empty() {
                return Err(ConfigError::new(
                    FieldErrorKind::InvalidValue("stage id must not be empty".into()),
                    format!("stages[{i}].id"),
                ));
            }
            if self.stages.iter().take(i).any(|p| p.id == s.id) {
                return Err(ConfigError::new(
                    FieldErrorKind::Duplicate(s.id.clone()),
                    format!("stages[{i}].id"),
                ));
            }
        }
        if let Some(e) = &self.entry_stage
            && !self.stages.iter().any(|s| &s.id == e)
        {
            return Err(ConfigError::new(
                FieldErrorKind::UnknownReference(e.clone()),
                "entry_stage",
            ));
        }
        parse_offset(&self.utc_offset, "utc_offset")?;
        if let Some(b) = &self.growth_bands {
            b.validate_at("growth_bands")?;
        }
        for (i, d) in self.dimensions.iter().enumerate() {
            let ok = Source::FIELDS.contains(&d.as_str())
                || d == "owner"
                || d == STAGE_OWNER
                || d == GROWTH_MOTION
                || d.strip_prefix("attributes.").is_some_and(|a| !a.is_empty());
            if !ok {
                return Err(ConfigError::new(
                    FieldErrorKind::InvalidValue(format!(
                        "unknown dimension `{d}`: use channel, campaign, utm_source, utm_medium, utm_campaign, utm_term, utm_content, referrer, owner, stage_owner, growth_motion or attributes.<name>"
                    )),
                    format!("dimensions[{i}]"),
                ));
            }
            if d == GROWTH_MOTION && self.growth_bands.is_none() {
                return Err(ConfigError::new(
                    FieldErrorKind::InvalidValue(
                        "`growth_motion` needs `growth_bands` (the deal-size bands)".into(),
                    ),
                    format!("dimensions[{i}]"),
                ));
            }
            if self.dimensions.iter().take(i).any(|p| p == d) {
                return Err(ConfigError::new(
                    FieldErrorKind::Duplicate(d.clone()),
                    format!("dimensions[{i}]"),
                ));
            }
        }
        Ok(())
    }
}

/// The value of dimension `dim` for `lead`.
pub(crate) fn dimension_value(lead: &Lead, dim: &str) -> String {
    let v = match (dim, lead.source.field(dim)) {
        (_, Some(v)) => v.clone(),
        ("owner", None) => lead.owner.clone(),
        (_, None) => dim
            .strip_prefix("attributes.")
            .and_then(|a| lead.attr(a))
            .map(AttrValue::to_string),
    };
    v.filter(|x| !x.is_empty())
        .unwrap_or_else(|| NONE.to_string())
}

/// A non-negative amount from attribute `name` of `lead`, if present.
pub(crate) fn amount_of(
    lead: &Lead,
    name: &str,
    path: &dyn Fn() -> String,
) -> Result<Option<f64>, FunnelError> {
    match lead.attr(name) {
        None => Ok(None),
        Some(AttrValue::Number(x)) if *x >= 0.0 && x.is_finite() => Ok(Some(*x)),
        Some(_) => Err(FunnelError::InvalidAmount {
            path: format!("{}.attributes.{name}", path()),
        }),
    }
}

/// Aggregates of one stage in one group: integers and exact sums only, so merging is exact.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct StageTally {
    /// Leads that entered.
    pub entered: u64,
    /// Of those, leads that later entered a later stage.
    pub advanced: u64,
    /// Sum of the stage amount.
    pub amount: Exact,
    /// Entries with an amount.
    pub with_amount: u64,
    /// Completed stays.
    pub stays: u64,
    /// Seconds spent in completed stays.
    pub stay_seconds: i64,
    /// Seconds between taking effect and being recorded, summed over entries.
    pub lag_seconds: i64,
    /// Seconds from the entry to the first entry into a later stage, summed over the leads
    /// that advanced.
    pub advance_seconds: i64,
}

impl StageTally {
    fn merge(&mut self, o: &StageTally) -> Option<()> {
        self.entered = self.entered.checked_add(o.entered)?;
        self.advanced = self.advanced.checked_add(o.advanced)?;
        self.amount = self.amount.checked_add(o.amount)?;
        self.with_amount = self.with_amount.checked_add(o.with_amount)?;
        self.stays = self.stays.checked_add(o.stays)?;
        self.stay_seconds = self.stay_seconds.checked_add(o.stay_seconds)?;
        self.lag_seconds = self.lag_seconds.checked_add(o.lag_seconds)?;
        self.advance_seconds = self.advance_seconds.checked_add(o.advance_seconds)?;
        Some(())
    }
}

/// A first entry: index of the change (none for creation), effective and recorded times.
type Entry = (Option<usize>, DateTime<Utc>, DateTime<Utc>);

/// Group key: period and dimension values.
type GroupKey = (String, Vec<String>);

/// Mergeable funnel aggregates.
///
/// ```
/// use leadcore::funnel::{FunnelAccumulator, FunnelConfig};
/// use leadcore::input::Config;
/// let config = FunnelConfig::from_json(r#"{"stages": [{"id": "MQL"}, {"id": "SQL"}]}"#).unwrap();
/// let lead: leadcore::Lead = serde_json::from_str(r#"{"id": "L1", "created_at": "2026-01-01T00:00:00Z",
///   "history": [
///     {"to": "MQL", "at": "2026-01-05T00:00:00Z", "recorded_at": "2026-01-05T00:00:00Z", "edge": "enter"},
///     {"from": "MQL", "to": "SQL", "at": "2026-01-15T00:00:00Z", "recorded_at": "2026-01-31T00:00:00Z", "edge": "forward"}
///   ]}"#).unwrap();
/// let mut acc = FunnelAccumulator::new(config).unwrap();
/// acc.add_lead(&lead).unwrap();
/// let report = acc.finish();
/// let mql = &report.groups[0].stages[0];
/// assert_eq!((mql.entered, mql.conversion_to_next, mql.days_in_stage_mean), (1, Some(1.0), Some(10.0)));
/// ```
#[derive(Debug, Clone)]
pub struct FunnelAccumulator {
    config: FunnelConfig,
    offset: FixedOffset,
    groups: BTreeMap<GroupKey, Vec<StageTally>>,
}

/// The format tag of serialized funnel states.
pub const FUNNEL_STATE_FORMAT: &str = "leadcore.funnel/2";

impl FunnelAccumulator {
    /// An empty accumulator (the config is validated here).
    pub fn new(config: FunnelConfig) -> Result<Self, Error> {
        config.validate()?;
        let offset = parse_offset(&config.utc_offset, "utc_offset")?;
        Ok(Self {
            config,
            offset,
            groups: BTreeMap::new(),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &FunnelConfig {
        &self.config
    }

    /// Adds one lead (errors name it `lead`).
    pub fn add_lead(&mut self, lead: &Lead) -> Result<(), FunnelError> {
        self.add_at(lead, &|| "lead".to_string())
    }

    /// Adds leads (errors name them `leads[i]`); stops at the first bad lead.
    pub fn add_leads(&mut self, leads: &[Lead]) -> Result<(), FunnelError> {
        for (i, l) in leads.iter().enumerate() {
            self.add_at(l, &|| format!("leads[{i}]"))?;
        }
        Ok(())
    }

    fn add_at(&mut self, lead: &Lead, path: &dyn Fn() -> String) -> Result<(), FunnelError> {
        let stages = &self.config.stages;
        // First entry into each configured stage: (index of the change, at, recorded_at).
        let mut entries: Vec<Option<Entry>> = vec![None; stages.len()];
        for (ci, change) in lead.history.iter().enumerate() {
            if let Some(si) = stages.iter().position(|s| s.id == change.to)
                && let Some(e) = entries.get_mut(si)
                && e.is_none_or(|(_, at, _)| change.at < at)
            {
                *e = Some((Some(ci), change.at, change.recorded_at));
            }
        }
        if let Some(entry) = &self.config.entry_stage
            && let Some(si) = stages.iter().position(|s| &s.id == entry)
            && let Some(e @ None) = entries.get_mut(si)
        {
            *e = Some((None, lead.created_at, lead.created_at));
        }
        let mut amounts = vec![None; stages.len()];
        for (si, s) in stages.iter().enumerate() {
            if let (Some(name), Some(Some(_))) = (&s.amount, entries.get(si))
                && let Some(a) = amounts.get_mut(si)
            {
                *a = amount_of(lead, name, path)?;
            }
        }
        let bands = self.config.growth_bands.as_ref();
        let dims: Vec<String> = self
            .config
            .dimensions
            .iter()
            .map(|d| match (d.as_str(), bands) {
                (GROWTH_MOTION, Some(b)) => b.motion(lead).unwrap_or(NONE).to_string(),
                _ => dimension_value(lead, d),
            })
            .collect();
        let stage_owner = self.config.dimensions.iter().position(|d| d == STAGE_OWNER);
        let n = stages.len();
        for si in 0..n {
            let Some(Some((ci, at, recorded))) = entries.get(si).copied() else {
                continue;
            };
            let t = match self.config.time_basis {
                TimeBasis::Effective => at,
                TimeBasis::Recorded => recorded,
            };
            let mut dims = dims.clone();
            if let Some(d) = stage_owner.and_then(|i| dims.get_mut(i)) {
                *d = ci
                    .and_then(|i| lead.history.get(i))
                    .and_then(|c| c.owner.clone())
                    .filter(|o| !o.is_empty())
                    .unwrap_or_else(|| NONE.to_string());
            }
            let key = (self.config.granularity.key(t, self.offset), dims);
            // The first entry into a later stage (at the entry at the earliest: a skipped or
            // back-dated order is not negative time).
            let next = entries
                .iter()
                .skip(si + 1)
                .flatten()
                .map(|&(_, t, _)| t.max(at))
                .min();
            // The stay ends at the next change after the entry (by effective time).
            let exit = lead
                .history
                .iter()
                .enumerate()
                .filter(|&(i, c)| match ci {
                    Some(e) => i != e && (c.at > at || c.at == at && i > e),
                    None => c.at >= at,
                })
                .map(|(_, c)| c.at)
                .min();
            let tallies = self
                .groups
                .entry(key)
                .or_insert_with(|| vec![StageTally::default(); n]);
            let Some(tally) = tallies.get_mut(si) else {
                continue;
            };
            let mut add = StageTally {
                entered: 1,
                advanced: u64::from(next.is_some()),
                lag_seconds: (recorded - at).num_seconds(),
                advance_seconds: next.map_or(0, |t| (t - at).num_seconds()),
                ..StageTally::default()
            };
            if let Some(x) = exit {
                add.stays = 1;
                add.stay_seconds = (x - at).num_seconds();
            }
            if let Some(Some(a)) = amounts.get(si) {
                add.amount =
                    Exact::from_f64(*a).ok_or_else(|| FunnelError::Overflow { path: path() })?;
                add.with_amount = 1;
            }
            tally
                .merge(&add)
                .ok_or_else(|| FunnelError::Overflow { path: path() })?;
        }
        Ok(())
    }

    /// The aggregates by (period, dimension values), sorted.
    pub(crate) fn groups(&self) -> &BTreeMap<GroupKey, Vec<StageTally>> {
        &self.groups
    }

    /// Adds everything `other` accumulated; both must have the same configuration.
    pub fn merge(&mut self, other: &FunnelAccumulator) -> Result<(), FunnelError> {
        if self.config != other.config {
            return Err(FunnelError::IncompatibleAccumulators);
        }
        let n = self.config.stages.len();
        for (k, theirs) in &other.groups {
            let mine = self
                .groups
                .entry(k.clone())
                .or_insert_with(|| vec![StageTally::default(); n]);
            for (m, t) in mine.iter_mut().zip(theirs) {
                m.merge(t).ok_or_else(|| FunnelError::Overflow {
                    path: "other".into(),
                })?;
            }
        }
        Ok(())
    }

    /// The funnel report; the accumulator is unchanged.
    pub fn finish(&self) -> FunnelReport {
        let n = self.config.stages.len();
        let mut total = vec![StageTally::default(); n];
        let groups = self
            .groups
            .iter()
            .map(|((period, dims), tallies)| {
                for (t, g) in total.iter_mut().zip(tallies) {
                    // Sums of parts that each fit; saturating keeps this infallible.
                    if t.merge(g).is_none() {
                        t.entered = t.entered.saturating_add(g.entered);
                    }
                }
                FunnelGroup {
                    period: period.clone(),
                    dimensions: self
                        .config
                        .dimensions
                        .iter()
                        .cloned()
                        .zip(dims.iter().cloned())
                        .collect(),
                    stages: self.rows(tallies),
                }
            })
            .collect();
        FunnelReport {
            time_basis: self.config.time_basis,
            granularity: self.config.granularity,
            dimensions: self.config.dimensions.clone(),
            groups,
            totals: self.rows(&total),
        }
    }

    fn rows(&self, tallies: &[StageTally]) -> Vec<StageRow> {
        let mut prev: Option<u64> = None;
        self.config
            .stages
            .iter()
            .zip(tallies)
            .map(|(s, t)| {
                let ratio = |a: u64, b: u64| (b > 0).then(|| a as f64 / b as f64);
                let row = StageRow {
                    stage: s.id.clone(),
                    entered: t.entered,
                    advanced: t.advanced,
                    conversion_to_next: ratio(t.advanced, t.entered),
                    ratio_to_previous: prev.and_then(|p| ratio(t.entered, p)),
                    amount: t.amount.to_f64(),
                    with_amount: t.with_amount,
                    completed_stays: t.stays,
                    days_in_stage_mean: (t.stays > 0).then(|| {
                        t.stay_seconds as f64 / t.stays as f64 / crate::time::SECONDS_PER_DAY
                    }),
                    recording_lag_days_mean: (t.entered > 0).then(|| {
                        t.lag_seconds as f64 / t.entered as f64 / crate::time::SECONDS_PER_DAY
                    }),
                    days_to_advance_mean: (t.advanced > 0).then(|| {
                        t.advance_seconds as f64 / t.advanced as f64 / crate::time::SECONDS_PER_DAY
                    }),
                };
                prev = Some(t.entered);
                row
            })
            .collect()
    }

    /// The canonical serializable state (groups sorted).
    pub fn to_state(&self) -> FunnelState {
        FunnelState {
            format: FUNNEL_STATE_FORMAT.to_string(),
            config: self.config.clone(),
            groups: self
                .groups
                .iter()
                .map(|((p, d), t)| (p.clone(), d.clone(), t.clone()))
                .collect(),
        }
    }

    /// Rebuilds an accumulator from a state, checking it (errors name it `state`).
    pub fn from_state(state: &FunnelState) -> Result<Self, Error> {
        let bad = |reason: &str, path: String| FunnelError::InvalidState {
            reason: reason.into(),
            path,
        };
        if state.format != FUNNEL_STATE_FORMAT {
            return Err(bad("unknown format", "state.format".into()).into());
        }
        let mut acc = Self::new(state.config.clone())?;
        let (n, d) = (acc.config.stages.len(), acc.config.dimensions.len());
        for (i, (p, dims, t)) in state.groups.iter().enumerate() {
            let path = format!("state.groups[{i}]");
            if !acc.config.granularity.is_key(p) || dims.len() != d || t.len() != n {
                return Err(bad("group does not fit the config", path).into());
            }
            if acc
                .groups
                .insert((p.clone(), dims.clone()), t.clone())
                .is_some()
            {
                return Err(bad("duplicate group", path).into());
            }
        }
        Ok(acc)
    }

    /// The state as JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.to_state()).unwrap_or_default()
    }

    /// An accumulator from [`to_json`](Self::to_json) text.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        let state: FunnelState = crate::input::from_json(text)?;
        Self::from_state(&state)
    }

    /// The state in postcard's compact binary form.
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        postcard::to_allocvec(&self.to_state()).map_err(|e| {
            FunnelError::InvalidState {
                reason: format!("cannot be written: {e}"),
                path: "state".into(),
            }
            .into()
        })
    }

    /// An accumulator from [`to_bytes`](Self::to_bytes) output.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let state: FunnelState =
            postcard::from_bytes(bytes).map_err(|e| FunnelError::InvalidState {
                reason: e.to_string().to_lowercase(),
                path: "state".into(),
            })?;
        Self::from_state(&state)
    }
}

/// Serialized funnel aggregates: `(period, dimension values, tallies per stage)`, sorted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FunnelState {
    /// Always [`FUNNEL_STATE_FORMAT`].
    pub format: String,
    /// The configuration (in binary form, as JSON text).
    #[serde(with = "config_field")]
    #[schemars(with = "FunnelConfig")]
    pub config: FunnelConfig,
    /// The groups.
    pub groups: Vec<(String, Vec<String>, Vec<StageTally>)>,
}

mod config_field {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::FunnelConfig;

    pub fn serialize<S: Serializer>(c: &FunnelConfig, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            c.serialize(s)
        } else {
            s.serialize_str(&serde_json::to_string(c).map_err(serde::ser::Error::custom)?)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<FunnelConfig, D::Error> {
        if d.is_human_readable() {
            FunnelConfig::deserialize(d)
        } else {
            serde_json::from_str(&String::deserialize(d)?).map_err(D::Error::custom)
        }
    }
}

/// One stage's figures in one group.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct StageRow {
    /// Stage id.
    pub stage: String,
    /// Leads that entered the stage (first entry) in the group.
    pub entered: u64,
    /// Of those, leads that ever entered a later stage.
    pub advanced: u64,
    /// advanced ÷ entered (fraction), when any entered.
    pub conversion_to_next: Option<f64>,
    /// entered ÷ entered in the previous stage of the same group (fraction), when defined.
    pub ratio_to_previous: Option<f64>,
    /// Sum of the stage amount (currency of the attribute).
    pub amount: f64,
    /// Entries that had an amount.
    pub with_amount: u64,
    /// Stays that ended with a later stage change.
    pub completed_stays: u64,
    /// Mean days in the stage over completed stays.
    pub days_in_stage_mean: Option<f64>,
    /// Mean days between an entry taking effect and being recorded.
    pub recording_lag_days_mean: Option<f64>,
    /// Mean days from the entry to the first entry into a later stage, over the leads that
    /// advanced: for a hand-over stage (`Submitted` in `seed_004`), the time sales took to
    /// accept.
    pub days_to_advance_mean: Option<f64>,
}

/// One period × dimension-values group.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FunnelGroup {
    /// Period key (`2026-01`…).
    pub period: String,
    /// Dimension name → value.
    pub dimensions: BTreeMap<String, String>,
    /// One row per configured stage, in funnel order.
    pub stages: Vec<StageRow>,
}

/// The funnel: one group per period and dimension values, sorted, plus totals.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FunnelReport {
    /// The time basis used.
    pub time_basis: TimeBasis,
    /// The period size used.
    pub granularity: Granularity,
    /// The dimensions grouped by.
    pub dimensions: Vec<String>,
    /// Groups sorted by period, then dimension values.
    pub groups: Vec<FunnelGroup>,
    /// All groups together.
    pub totals: Vec<StageRow>,
}
