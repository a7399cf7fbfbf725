//! Lead scoring: behavior points with decay and caps, silence deductions, fit score and grade,
//! source-channel quality, a combined score and its tier — for one lead or millions, evaluated
//! as of any `now`, with no nightly job.
//!
//! A [`ScoringModel`] is JSON a CRM team stores; [`Scorer::new`] validates and compiles it once;
//! the scorer then scores a lead ([`Scorer::score`]), a batch of row events
//! ([`Scorer::score_batch`]), columnar events ([`Scorer::score_columns`], and the compact
//! [`Scorer::score_table`] for hosts that want arrays back). Every result carries a breakdown
//! (rule, events counted, raw points, decay factor, caps, final points) in config order.
//!
//! Reported points are rounded to 4 decimals ([`DECIMALS`]); tiers and grades are computed
//! from the rounded scores, so what is shown is what was compared.
//!
//! ## Time, order and bad input
//! - Times are whole Unix seconds (sub-second parts are floored); days are 86 400 seconds.
//! - Events may come in any order and duplicated: each lead's events are put in canonical
//!   order (time, id, kind, detail) and an id seen before for the same lead is a duplicate (the
//!   earliest copy is kept). The result is that of the sorted, de-duplicated stream.
//! - Events after `now` are ignored and counted in `behavior.ignored.future`; columnar events
//!   without a time ([`columns::MISSING_TIME`], numpy's `NaT`) in `missing_time`; neither is an
//!   error. A row event without `at` is a `missing_field` input error.
//! - Scores are always finite: configs reject NaN and infinite numbers (`not_finite`), and
//!   every input number is an integer time or a count.
//! - Batches may use several std threads ([`batch::MAX_THREADS`] at most); the result does not
//!   depend on the thread count and equals per-lead scoring.
//!
//! ```
//! use leadcore::score::{Scorer, ScoringModel};
//! use leadcore::input::Config;
//! let model = ScoringModel::from_json(r#"{
//!   "behavior": {"groups": [{"id": "web", "decay": {"type": "half_life", "half_life_days": 7},
//!     "rules": [{"id": "download", "kind": "download", "points": 10}]}]},
//!   "fit": {"rules": [{"type": "values", "id": "industry", "attribute": "industry",
//!     "points": {"saas": 20}, "grade": 3}]}
//! }"#).unwrap();
//! let scorer = Scorer::new(model).unwrap();
//! let lead: leadcore::Lead = serde_json::from_str(
//!     r#"{"id": "L1", "created_at": "2026-11-01T00:00:00Z", "attributes": {"industry": "saas"}}"#).unwrap();
//! let events: Vec<leadcore::Event> = serde_json::from_str(r#"[
//!   {"id": "e1", "lead_id": "L1", "kind": "download", "at": "2026-11-16T00:00:00Z"}]"#).unwrap();
//! let now = leadcore::time::parse("2026-11-23T00:00:00Z").unwrap();
//! let s = scorer.score(&lead, &events, now).unwrap();
//! assert_eq!(s.behavior.score, 5.0); // 10 points, one half-life old
//! assert_eq!((s.fit.score, s.fit.grade.as_str()), (20.0, "C"));
//! assert_eq!(s.combined.score, 25.0);
//! ```

pub mod batch;
pub mod behavior;
pub mod caps;
mod check;
pub mod columns;
pub mod combine;
pub mod decay;
mod engine;
pub mod fit;
pub mod grade;
pub mod silence;
pub mod source;
pub mod whatif;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use behavior::{BehaviorModel, BehaviorScore};
pub use check::{MAX_DAYS, MAX_POINTS};
pub use columns::{EventColumns, EventDetail, EventTable};
pub use combine::{CombineModel, CombinedScore, Cutoffs, TierModel};
pub use fit::{FitModel, FitScore};
pub use grade::Grade;
pub use source::{SourceModel, SourceScore, Tier};
pub use whatif::{Proposal, WhatIf, compare, what_if};

use crate::error::{ConfigError, Error, FieldErrorKind, InputError};
use crate::event::Event;
use crate::input::Config;
use crate::lead::Lead;
use batch::{Groups, map_leads};
use columns::{ColumnBuffers, unix_seconds};
use engine::{Engine, Prepared, Scratch};
use fit::FitEngine;
use source::SourceEngine;

/// Decimals of every reported score and point value.
pub const DECIMALS: u32 = 4;
const SCALE: f64 = 10_000.0;

/// A complete scoring model, as a CRM stores it. Every section is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoringModel {
    /// Behavior (engagement) rules, decay, caps, silence.
    #[serde(default)]
    pub behavior: BehaviorModel,
    /// Fit (attribute) rules and grade.
    #[serde(default)]
    pub fit: FitModel,
    /// Source-channel quality; without it leads get no source score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceModel>,
    /// How scores combine (default: behavior + fit).
    #[serde(default)]
    pub combine: CombineModel,
    /// Tiers of the combined score (weighted combination only; a matrix tiers by cell).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tiers: Option<TierModel>,
}

/// Names of the presets [`ScoringModel::preset`] knows.
pub const PRESETS: &[&str] = &["b2b_default"];

/// The `b2b_default` preset. Quoted from the seeds: the 1 / 7 / 30-day windows (seed 001's
/// profile counts, 「近7日下載次數」), the 100-point behavior scale (seed 003:
/// 「线索价值评分满分是100分」), reactivation at 30 / 45 / 60 days (seed 003), industry before city
/// (seed 001: 「最重要的是用戶行業,其次是城市」), ad agencies first
/// (「廣告代理公司購買意愿和可能肯定是強于其他行業的公司的」) and 北上廣深 as tier 1. Assumed: every
/// point value, decay, cap, the silence tiers (seed 003 gives its table, 「如下表」, as an image
/// the text lacks), the size and role bands, the weights and the tier cut-offs.
const B2B_DEFAULT: &str = r#"{
  "behavior": {
    "groups": [
      {"id": "intent", "decay": {"type": "half_life", "half_life_days": 30}, "cap": 60, "rules": [
        {"id": "inquiry", "kind": "inquiry", "points": 20},
        {"id": "form_submit", "kind": "form_submit", "points": 15},
        {"id": "event_checkin", "kind": "event_checkin", "points": 15},
        {"id": "download_7d", "kind": "download", "points": 8, "within_days": 7},
        {"id": "favorite_30d", "kind": "favorite", "points": 5, "within_days": 30}
      ]},
      {"id": "engagement", "decay": {"type": "steps", "steps": [
          {"after_days": 30, "reduce": 0.25}, {"after_days": 60, "reduce": 0.5}]}, "cap": 40,
       "rules": [
        {"id": "search_1d", "kind": "search", "points": 3, "within_days": 1},
        {"id": "search_30d", "kind": "search", "points": 1, "within_days": 30},
        {"id": "page_view", "kind": "page_view", "points": 1},
        {"id": "email_open", "kind": "email_open", "points": 1, "repeat": {"once_per": "properties.email_id"}},
        {"id": "email_click", "kind": "email_click", "points": 3}
      ]}
    ],
    "daily_caps": {"page_view": 20},
    "utc_offset_minutes": 480,
    "floor": 0,
    "ceiling": 100,
    "silence": {
      "tiers": [
        {"after_days": 7, "points": -5}, {"after_days": 14, "points": -10},
        {"after_days": 30, "points": -20}, {"after_days": 60, "points": -40}
      ],
      "reactivation_days": [30, 45, 60]
    }
  },
  "fit": {
    "rules": [
      {"type": "values", "id": "industry", "attribute": "industry",
       "points": {"ad_agency": 30, "saas": 25, "retail": 15, "manufacturing": 15}, "grade": 3},
      {"type": "city_tier", "id": "city_tier", "points": {"1": 15, "2": 8}, "grade": 2},
      {"type": "bands", "id": "company_size", "attribute": "employees",
       "bands": [{"max": 20, "points": 0}, {"min": 20, "max": 200, "points": 10},
                 {"min": 200, "points": 20}], "grade": 2},
      {"type": "values", "id": "role", "attribute": "role",
       "points": {"ceo": 15, "sales_director": 15, "marketing_manager": 10, "it_manager": 5},
       "grade": 1}
    ]
  },
  "combine": {"type": "weighted", "behavior": 0.5, "fit": 0.5},
  "tiers": {"type": "thresholds", "high": 50, "mid": 25}
}"#;

impl ScoringModel {
    /// A model the library ships (see [`PRESETS`]):
    ///
    /// - `b2b_default`: seed-inspired defaults. Intent events (inquiry 20, form 15, event
    ///   check-in 15, download 8 in 7 days, favourite 5 in 30 days) decay with a 30-day
    ///   half-life, capped at 60; engagement (search 3 in 1 day / 1 in 30 days, page view 1,
    ///   email open 1 per email, click 3) decays −25% after 30 days and −50% after 60, capped
    ///   at 40; page views count at most 20 a day (Beijing days); behavior is on a 0–100
    ///   scale (seed 003) with silence deductions of 5/10/20/40 points after 7/14/30/60 silent
    ///   days (assumed: seed 003 describes such tiers, but its table is not in the text) and
    ///   reactivation at 30/45/60 days (seed 003). Fit: industry (ad agencies first, seed 001),
    ///   city tier, company size, role. Combined = ½ behavior + ½ fit; high ≥ 50, mid ≥ 25.
    ///   The windows and the order of fit come from the seeds; the points, decays, caps, bands,
    ///   weights and cut-offs are assumed.
    pub fn preset(name: &str) -> Result<Self, ConfigError> {
        match name {
            "b2b_default" => Self::from_json(B2B_DEFAULT),
            _ => Err(ConfigError::new(
                crate::FieldErrorKind::UnknownPreset(name.into()),
                "preset",
            )),
        }
    }

    /// The names of the presets leadcore ships.
    pub fn preset_names() -> &'static [&'static str] {
        PRESETS
    }
}

impl Config for ScoringModel {
    fn validate(&self) -> Result<(), ConfigError> {
        self.behavior.validate_at("behavior")?;
        self.fit.validate_at("fit")?;
        if let Some(s) = &self.source {
            s.validate_at("source")?;
        }
        self.combine.validate_at("combine")?;
        if let Some(t) = &self.tiers {
            if matches!(self.combine, CombineModel::Matrix { .. }) {
                return Err(ConfigError::invalid(
                    "a matrix gives tiers by cell: remove `tiers`",
                    "tiers",
                ));
            }
            t.validate_at("tiers")?;
        }
        Ok(())
    }

    /// Converts and validates a JSON value; `{"preset": "name"}` loads a shipped model.
    fn from_value(value: serde_json::Value) -> Result<Self, ConfigError> {
        if let Some(name) = crate::input::preset_reference(&value)? {
            return Self::preset(&name);
        }
        let model: Self = crate::input::from_value(value).map_err(InputError::into_config)?;
        model.validate()?;
        Ok(model)
    }

    fn from_json(text: &str) -> Result<Self, ConfigError> {
        let value: serde_json::Value =
            crate::input::from_json(text).map_err(InputError::into_config)?;
        Self::from_value(value)
    }
}

/// A lead's scores as of `now`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "ScoredLead")]
pub struct LeadScore {
    /// The lead's id.
    pub lead_id: String,
    /// Behavior score with its breakdown and silence state.
    pub behavior: BehaviorScore,
    /// Fit score, grade and breakdown.
    pub fit: FitScore,
    /// Source score and route, when the model has a source section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceScore>,
    /// Combined score and tier.
    pub combined: CombinedScore,
}

impl LeadScore {
    /// The named scores the condition language references (`{"score": "behavior", "gte": 50}`):
    /// `behavior`, `fit`, `combined`, `source` (with a source model) and `behavior.<group>`
    /// for each group.
    pub fn scores(&self) -> BTreeMap<String, f64> {
        let mut m = BTreeMap::new();
        m.insert("behavior".to_string(), self.behavior.score);
        m.insert("fit".to_string(), self.fit.score);
        m.insert("combined".to_string(), self.combined.score);
        if let Some(s) = &self.source {
            m.insert("source".to_string(), s.score);
        }
        for g in &self.behavior.groups {
            m.insert(format!("behavior.{}", g.group), g.points);
        }
        m
    }
}

/// Scores of a batch, in the order of the leads given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BatchScores {
    /// One result per lead.
    pub leads: Vec<LeadScore>,
    /// The tier cutoffs used (thresholds, or the population's quantiles).
    pub cutoffs: Option<Cutoffs>,
    /// Events whose `lead_id` matched no lead in the batch (ignored): row events', or an event
    /// table's ([`EventColumns::unmatched`]).
    pub unmatched_events: usize,
}

/// Compact batch scores as parallel columns (one row per lead, in the order given), for hosts
/// that want arrays back (numpy, typed arrays). Same numbers as [`BatchScores`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScoreTable {
    /// Behavior score per lead.
    pub behavior: Vec<f64>,
    /// Fit score per lead.
    pub fit: Vec<f64>,
    /// Fit grade per lead.
    pub grade: Vec<Grade>,
    /// Source score per lead (0 without a source model).
    pub source: Vec<f64>,
    /// Combined score per lead.
    pub combined: Vec<f64>,
    /// Tier per lead (`null` without tiers).
    pub tier: Vec<Option<Tier>>,
    /// The tier cutoffs used.
    pub cutoffs: Option<Cutoffs>,
    /// Events ignored in the whole batch, by reason.
    pub ignored: behavior::Ignored,
    /// Events whose lead matched no lead in the batch (ignored): an event table's `lead_id`s
    /// ([`EventColumns::unmatched`]).
    #[serde(default)]
    pub unmatched_events: usize,
}

/// A compiled scoring model: immutable, cheap to share between threads and calls.
#[derive(Debug, Clone)]
pub struct Scorer {
    model: ScoringModel,
    behavior: Engine,
    fit: FitEngine,
    source: Option<SourceEngine>,
}

/// Compact per-lead numbers (the fast path).
#[derive(Debug, Clone, Copy)]
struct Numbers {
    behavior: f64,
    fit: f64,
    grade: Grade,
    source: f64,
    combined: f64,
    tier: Option<Tier>,
    ignored: behavior::Ignored,
}

impl Scorer {
    /// Validates and compiles a model.
    pub fn new(model: ScoringModel) -> Result<Self, ConfigError> {
        model.validate()?;
        let behavior = Engine::new(&model.behavior)?;
        let fit = FitEngine::new(&model.fit, "fit")?;
        let source = model.source.as_ref().map(SourceEngine::new);
        Ok(Self {
            model,
            behavior,
            fit,
            source,
        })
    }

    /// The model this scorer was compiled from.
    pub fn model(&self) -> &ScoringModel {
        &self.model
    }

    /// Scores one lead from its events as of `now`.
    ///
    /// Events may come in any order and duplicated (same id); events after `now` are ignored
    /// and counted in `behavior.ignored.future`. An event of another lead is an
    /// `invalid_value` error at `events[i].lead_id`. With quantile tiers a lead alone gets no
    /// tier (there is no population).
    pub fn score(
        &self,
        lead: &Lead,
        events: &[Event],
        now: DateTime<Utc>,
    ) -> Result<LeadScore, InputError> {
        if let Some((i, e)) = events
            .iter()
            .enumerate()
            .find(|(_, e)| e.lead_id != lead.id)
        {
            return Err(InputError::new(
                FieldErrorKind::InvalidValue(format!(
                    "event of lead `{}` given for lead `{}`",
                    e.lead_id, lead.id
                )),
                format!("events[{i}].lead_id"),
            ));
        }
        let buffers = ColumnBuffers::from_events(events.iter().map(|e| (e, 0u32)));
        let mut batch =
            self.columns_full(std::slice::from_ref(lead), buffers.columns(), now, 1, false)?;
        batch.leads.pop().ok_or_else(|| {
            InputError::new(FieldErrorKind::InvalidValue("no result".into()), "lead")
        })
    }

    /// Scores many leads from row events (matched to leads by `lead_id`) on up to `threads`
    /// threads (0 counts as 1). The result does not depend on `threads` and equals
    /// [`Scorer::score`] per lead, except that quantile tiers come from this population.
    /// Two leads with the same id are a `duplicate_id` error at `leads[i].id`.
    pub fn score_batch(
        &self,
        leads: &[Lead],
        events: &[Event],
        now: DateTime<Utc>,
        threads: usize,
    ) -> Result<BatchScores, InputError> {
        let index = columns::lead_index(leads.iter().map(|l| l.id.as_str()))?;
        let matched = events
            .iter()
            .filter_map(|e| index.get(e.lead_id.as_str()).map(|l| (e, *l)));
        let mut buffers = ColumnBuffers::from_events(matched);
        buffers.unmatched = events.len() - buffers.lead.len();
        self.columns_full(leads, buffers.columns(), now, threads, true)
    }

    /// Scores many leads from columnar events (see [`EventColumns`]) with full breakdowns.
    /// Column errors name the column and row (`events.kind[7]`).
    pub fn score_columns(
        &self,
        leads: &[Lead],
        events: EventColumns<'_>,
        now: DateTime<Utc>,
        threads: usize,
    ) -> Result<BatchScores, InputError> {
        self.columns_full(leads, events, now, threads, true)
    }

    /// Scores many leads from columnar events into compact columns (no breakdowns): the fast
    /// path. The numbers equal those of [`Scorer::score_columns`].
    pub fn score_table(
        &self,
        leads: &[Lead],
        events: EventColumns<'_>,
        now: DateTime<Utc>,
        threads: usize,
    ) -> Result<ScoreTable, InputError> {
        events.validate(leads.len())?;
        let prepared = self.behavior.prepare(events, now);
        let groups = Groups::new(&events, leads.len());
        let rows: Vec<Numbers> = map_leads(&groups, leads, threads, |l, lead, scratch| {
            self.numbers(lead, &prepared, &groups, l, now, scratch)
        });
        let (cutoffs, tiered) = self.cutoffs(rows.iter().map(|r| r.combined), true);
        let mut t = ScoreTable {
            behavior: Vec::with_capacity(rows.len()),
            fit: Vec::with_capacity(rows.len()),
            grade: Vec::with_capacity(rows.len()),
            source: Vec::with_capacity(rows.len()),
            combined: Vec::with_capacity(rows.len()),
            tier: Vec::with_capacity(rows.len()),
            cutoffs,
            ignored: behavior::Ignored::default(),
            unmatched_events: events.unmatched,
        };
        for r in rows {
            t.behavior.push(r.behavior);
            t.fit.push(r.fit);
            t.grade.push(r.grade);
            t.source.push(r.source);
            t.combined.push(r.combined);
            t.tier.push(match (tiered, cutoffs) {
                (true, Some(c)) => Some(c.tier(r.combined)),
                _ => r.tier,
            });
            t.ignored.future += r.ignored.future;
            t.ignored.missing_time += r.ignored.missing_time;
            t.ignored.duplicates += r.ignored.duplicates;
        }
        Ok(t)
    }

    fn numbers(
        &self,
        lead: &Lead,
        prepared: &Prepared<'_>,
        groups: &Groups,
        l: usize,
        now_dt: DateTime<Utc>,
        scratch: &mut Scratch,
    ) -> Numbers {
        let now = unix_seconds(now_dt);
        let tally = self.behavior.run(prepared, groups.events(l), now, scratch);
        let behavior = self
            .behavior
            .score(scratch, &tally, unix_seconds(lead.created_at), now);
        let f = self.fit.score(lead, now_dt, false);
        let (fit, grade) = (f.score, f.grade);
        let source = self.source.as_ref().map_or(0.0, |s| s.points(lead));
        let (combined, cell) = self.model.combine.combine(behavior, fit, grade, source);
        Numbers {
            behavior,
            fit,
            grade,
            source,
            combined,
            tier: cell.map(|(_, t)| t),
            ignored: tally.ignored,
        }
    }

    /// Cutoffs from the tier model: thresholds, or quantiles of `scores` when `population`.
    /// The flag says whether tiers come from cutoffs (not from matrix cells).
    fn cutoffs(
        &self,
        scores: impl Iterator<Item = f64>,
        population: bool,
    ) -> (Option<Cutoffs>, bool) {
        match self.model.tiers {
            Some(TierModel::Thresholds { high, mid }) => (Some(Cutoffs { high, mid }), true),
            Some(TierModel::Quantiles { high, mid }) if population => {
                let scores: Vec<f64> = scores.collect();
                (combine::quantile_cutoffs(&scores, high, mid), true)
            }
            Some(TierModel::Quantiles { .. }) => (None, true),
            None => (None, false),
        }
    }

    fn columns_full(
        &self,
        leads: &[Lead],
        events: EventColumns<'_>,
        now: DateTime<Utc>,
        threads: usize,
        population: bool,
    ) -> Result<BatchScores, InputError> {
        events.validate(leads.len())?;
        let prepared = self.behavior.prepare(events, now);
        let groups = Groups::new(&events, leads.len());
        let now_s = unix_seconds(now);
        let mut scores: Vec<LeadScore> = map_leads(&groups, leads, threads, |l, lead, scratch| {
            let tally = self
                .behavior
                .run(&prepared, groups.events(l), now_s, scratch);
            let created = unix_seconds(lead.created_at);
            let behavior = self.behavior.explain(scratch, &tally, created, now_s);
            self.assemble(lead, behavior, now)
        });
        let (cutoffs, tiered) = self.cutoffs(scores.iter().map(|s| s.combined.score), population);
        if tiered {
            for s in &mut scores {
                s.combined.tier = cutoffs.map(|c| c.tier(s.combined.score));
            }
        }
        Ok(BatchScores {
            leads: scores,
            cutoffs,
            unmatched_events: events.unmatched,
        })
    }

    fn assemble(&self, lead: &Lead, behavior: BehaviorScore, now: DateTime<Utc>) -> LeadScore {
        let fit = self.fit.score(lead, now, true);
        let source = self.source.as_ref().map(|s| s.score(lead));
        let (score, cell) = self.model.combine.combine(
            behavior.score,
            fit.score,
            fit.grade,
            source.as_ref().map_or(0.0, |s| s.score),
        );
        let (cell, tier) = match cell {
            Some((c, t)) => (Some(c), Some(t)),
            None => (None, None),
        };
        LeadScore {
            lead_id: lead.id.clone(),
            behavior,
            fit,
            source,
            combined: CombinedScore { score, cell, tier },
        }
    }
}

/// Scores one lead under `model` as of `now`: the one-call form of [`Scorer::new`] and
/// [`Scorer::score`].
pub fn score_lead(
    model: &ScoringModel,
    lead: &Lead,
    events: &[Event],
    now: DateTime<Utc>,
) -> Result<LeadScore, Error> {
    Ok(Scorer::new(model.clone())?.score(lead, events, now)?)
}

/// Scores a batch of leads from row events: the one-call form of [`Scorer::score_batch`].
pub fn score_batch(
    model: &ScoringModel,
    leads: &[Lead],
    events: &[Event],
    now: DateTime<Utc>,
    threads: usize,
) -> Result<BatchScores, Error> {
    Ok(Scorer::new(model.clone())?.score_batch(leads, events, now, threads)?)
}

/// Scores a batch of leads from an owned event table: the one-call form of
/// [`Scorer::score_columns`].
pub fn score_columns(
    model: &ScoringModel,
    leads: &[Lead],
    events: &EventTable,
    now: DateTime<Utc>,
    threads: usize,
) -> Result<BatchScores, Error> {
    let buffers = events.buffers();
    Ok(Scorer::new(model.clone())?.score_columns(leads, buffers.columns(), now, threads)?)
}

/// Compact scores of a batch from an owned event table: the one-call form of
/// [`Scorer::score_table`].
pub fn score_table(
    model: &ScoringModel,
    leads: &[Lead],
    events: &EventTable,
    now: DateTime<Utc>,
    threads: usize,
) -> Result<ScoreTable, Error> {
    let buffers = events.buffers();
    Ok(Scorer::new(model.clone())?.score_table(leads, buffers.columns(), now, threads)?)
}
