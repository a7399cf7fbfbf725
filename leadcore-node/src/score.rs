//! Scoring: the `ScoringModel` class (a validated model compiled once into a scorer), the
//! one-call functions, source quality, what-if, and the columnar path over typed arrays.
//!
//! Batch calls take `threads` (default: the machine's available parallelism); results never
//! depend on it.

mod columns;

use std::sync::Arc;

use leadcore::CompiledCondition;
use leadcore::input::Config;
use leadcore::score::columns::{ColumnBuffers, events_from_tables};
use leadcore::score::source::{self, SourceModel, SourceOutcome};
use leadcore::score::{Grade, Proposal, ScoreTable, Scorer, ScoringModel, Tier};
use leadcore::{Event, EventKind, Lead};
use napi::bindgen_prelude::{ClassInstance, Either, Float64Array, Int8Array, Uint8Array};
use napi::{Env, Unknown};
use napi_derive::napi;
use serde_json::Value;

use crate::config::{ConfigArg, config_arg, config_class};
use crate::conv::{
    Json, ThreadOptions, absent, config_from_js, from_js, instant, threads_arg, threads_of, to_js,
};
use crate::errors::throw_lead;
use crate::qualify::JsCondition;

/// A scoring model (behavior, fit, source, combination, tiers), validated and compiled once;
/// its methods score without recompiling.
#[napi(js_name = "ScoringModel")]
pub struct JsScoringModel {
    scorer: Arc<Scorer>,
}

/// A model argument: a `ScoringModel` instance, a plain object or JSON text.
pub type ModelArg<'a> = Either<ClassInstance<'a, JsScoringModel>, Unknown<'a>>;

fn compile(env: &Env, model: ScoringModel) -> napi::Result<Arc<Scorer>> {
    Scorer::new(model)
        .map(Arc::new)
        .map_err(|e| throw_lead(env, e))
}

fn scorer_from(env: &Env, v: Option<&Unknown<'_>>) -> napi::Result<Arc<Scorer>> {
    match v {
        Some(v) if !absent(v)? => compile(env, config_from_js(env, v)?),
        _ => compile(
            env,
            ScoringModel::from_value(serde_json::json!({})).map_err(|e| throw_lead(env, e))?,
        ),
    }
}

fn scorer_arg(env: &Env, arg: ModelArg<'_>) -> napi::Result<Arc<Scorer>> {
    match arg {
        Either::A(m) => Ok(Arc::clone(&m.scorer)),
        Either::B(v) => scorer_from(env, Some(&v)),
    }
}

fn events_arg(env: &Env, v: Option<&Unknown<'_>>) -> napi::Result<Vec<Event>> {
    match v {
        Some(v) if !absent(v)? => crate::arrow::events_arg(env, v),
        _ => Ok(Vec::new()),
    }
}

/// Lead objects, or a lead table (Arrow IPC bytes or an object of columns).
fn read_leads(env: &Env, v: &Unknown<'_>) -> napi::Result<Vec<Lead>> {
    crate::arrow::leads_arg(env, v)
}

/// Leads read and validated once (from lead objects or columns), for batch calls that score
/// the same leads again (new events, another `now`, another model): pass it wherever `leads`
/// is expected.
#[napi(js_name = "LeadTable")]
pub struct JsLeadTable {
    leads: Arc<Vec<Lead>>,
}

#[napi]
impl JsLeadTable {
    /// Reads and validates the leads.
    #[napi(
        catch_unwind,
        constructor,
        ts_args_type = "leads: Lead[] | LeadColumns | Uint8Array"
    )]
    pub fn new(env: Env, leads: Unknown<'_>) -> napi::Result<Self> {
        Ok(Self {
            leads: Arc::new(read_leads(&env, &leads)?),
        })
    }

    /// The number of leads.
    #[napi(getter)]
    pub fn length(&self) -> u32 {
        u32::try_from(self.leads.len()).unwrap_or(u32::MAX)
    }

    /// The leads as plain objects (what `JSON.stringify` writes).
    #[napi(catch_unwind, js_name = "toJSON", ts_return_type = "LeadOutput[]")]
    pub fn to_json_value(&self) -> Json {
        to_js(self.leads.as_ref())
    }
}

/// A leads argument: a `LeadTable`, lead objects or columns.
pub type LeadsArg<'a> = Either<ClassInstance<'a, JsLeadTable>, Unknown<'a>>;

/// The leads of a call: a `LeadTable` (shared, not copied) or leads read for this call.
enum Leads {
    Shared(Arc<Vec<Lead>>),
    Owned(Vec<Lead>),
}

impl std::ops::Deref for Leads {
    type Target = [Lead];
    fn deref(&self) -> &[Lead] {
        match self {
            Leads::Shared(l) => l,
            Leads::Owned(l) => l,
        }
    }
}

fn leads_arg(env: &Env, arg: &LeadsArg<'_>) -> napi::Result<Leads> {
    match arg {
        Either::A(t) => Ok(Leads::Shared(Arc::clone(&t.leads))),
        Either::B(v) => read_leads(env, v).map(Leads::Owned),
    }
}

/// Options of `ScoringModel.whatIf` (and of `whatIf`, which takes the gate in the proposal).
#[napi(object)]
pub struct WhatIfOptions<'a> {
    /// The MQL gate, a condition (method only).
    #[napi(ts_type = "Condition | ConditionJson")]
    pub mql: Option<Unknown<'a>>,
    /// Threads to use (default: all available); the result does not depend on it.
    #[napi(ts_type = "number")]
    pub threads: Option<Unknown<'a>>,
}

/// Compact scores of a batch: one entry per lead, in the order given.
#[napi(object)]
pub struct ScoreTableArrays {
    /// Behavior score per lead.
    pub behavior: Float64Array,
    /// Fit score per lead.
    pub fit: Float64Array,
    /// Fit grade per lead, as a code into `grades()` (`F` = 0 … `A+` = 11).
    pub grade: Uint8Array,
    /// Source score per lead (0 without a source model).
    pub source: Float64Array,
    /// Combined score per lead.
    pub combined: Float64Array,
    /// Tier per lead, as a code into `tiers()` (−1: no tier).
    pub tier: Int8Array,
    /// The tier cutoffs used (`null` without tiers).
    #[napi(ts_type = "{ high: number, mid: number } | null")]
    pub cutoffs: Value,
    /// Events left out, by reason.
    #[napi(ts_type = "{ future: number, missing_time: number, duplicates: number }")]
    pub ignored: Value,
    /// Events of an event table whose `lead_id` is no lead's (left out).
    #[napi(js_name = "unmatched_events")]
    pub unmatched_events: u32,
}

const TIERS: [Tier; 3] = [Tier::Low, Tier::Mid, Tier::High];

fn tier_code(t: Option<Tier>) -> i8 {
    t.and_then(|t| TIERS.iter().position(|x| *x == t))
        .and_then(|i| i8::try_from(i).ok())
        .unwrap_or(-1)
}

fn table_to_js(t: ScoreTable) -> ScoreTableArrays {
    let grade: Vec<u8> = t.grade.iter().map(|g| g.index()).collect();
    let tier: Vec<i8> = t.tier.iter().map(|t| tier_code(*t)).collect();
    ScoreTableArrays {
        behavior: Float64Array::new(t.behavior),
        fit: Float64Array::new(t.fit),
        grade: Uint8Array::new(grade),
        source: Float64Array::new(t.source),
        combined: Float64Array::new(t.combined),
        tier: Int8Array::new(tier),
        cutoffs: leadcore::input::to_value(&t.cutoffs),
        ignored: leadcore::input::to_value(&t.ignored),
        unmatched_events: u32::try_from(t.unmatched_events).unwrap_or(u32::MAX),
    }
}

fn score_lead_with(
    env: &Env,
    scorer: &Scorer,
    lead: &Unknown<'_>,
    events: Option<&Unknown<'_>>,
    now: &Unknown<'_>,
) -> napi::Result<Json> {
    let lead: Lead = from_js(env, lead, "lead")?;
    let events = events_arg(env, events)?;
    let now = instant(env, now, "now")?;
    let out = scorer
        .score(&lead, &events, now)
        .map_err(|e| throw_lead(env, e))?;
    Ok(to_js(&out))
}

fn score_batch_with(
    env: &Env,
    scorer: &Scorer,
    leads: &LeadsArg<'_>,
    events: Option<&Unknown<'_>>,
    now: &Unknown<'_>,
    options: Option<&ThreadOptions<'_>>,
) -> napi::Result<Json> {
    let leads = leads_arg(env, leads)?;
    // Arrow IPC bytes of an event table (its lead_id column matched like row events'
    // lead_id) take the columnar path: the same scores and unmatched count.
    if let Some(v) = events
        && let Some(buffers) = event_table(env, v, &leads)?
    {
        return score_columns_read(
            env,
            scorer,
            &leads,
            &EventsArg::Table(buffers),
            now,
            options,
        );
    }
    let events = events_arg(env, events)?;
    let now = instant(env, now, "now")?;
    let threads = threads_of(env, options)?;
    let out = scorer
        .score_batch(&leads, &events, now, threads)
        .map_err(|e| throw_lead(env, e))?;
    Ok(to_js(&out))
}

/// The columns of an event table given as Arrow IPC bytes, for `leads`; `None` when `v` is
/// not bytes.
fn event_table(env: &Env, v: &Unknown<'_>, leads: &[Lead]) -> napi::Result<Option<ColumnBuffers>> {
    crate::arrow::read_ipc(env, v, "events", |t| events_from_tables(t, leads))
}

/// Event columns: typed arrays (see `columns.rs`) or Arrow IPC bytes of an event table.
enum EventsArg<'a> {
    Host(columns::Events<'a>),
    Table(ColumnBuffers),
}

impl<'a> EventsArg<'a> {
    fn read(env: &Env, v: &Unknown<'a>, leads: &[Lead]) -> napi::Result<Self> {
        match event_table(env, v, leads)? {
            Some(buffers) => Ok(Self::Table(buffers)),
            None => columns::events(env, v).map(Self::Host),
        }
    }

    fn columns(&self) -> leadcore::score::EventColumns<'_> {
        match self {
            Self::Host(e) => e.columns(),
            Self::Table(b) => b.columns(),
        }
    }
}

fn score_columns_with(
    env: &Env,
    scorer: &Scorer,
    leads: &LeadsArg<'_>,
    events: &Unknown<'_>,
    now: &Unknown<'_>,
    options: Option<&ThreadOptions<'_>>,
) -> napi::Result<Json> {
    let leads = leads_arg(env, leads)?;
    let events = EventsArg::read(env, events, &leads)?;
    score_columns_read(env, scorer, &leads, &events, now, options)
}

/// [`score_columns_with`] once the leads and events are read.
fn score_columns_read(
    env: &Env,
    scorer: &Scorer,
    leads: &[Lead],
    events: &EventsArg<'_>,
    now: &Unknown<'_>,
    options: Option<&ThreadOptions<'_>>,
) -> napi::Result<Json> {
    let now = instant(env, now, "now")?;
    let threads = threads_of(env, options)?;
    let out = scorer
        .score_columns(leads, events.columns(), now, threads)
        .map_err(|e| throw_lead(env, e))?;
    Ok(to_js(&out))
}

fn score_table_with(
    env: &Env,
    scorer: &Scorer,
    leads: &LeadsArg<'_>,
    events: &Unknown<'_>,
    now: &Unknown<'_>,
    options: Option<&ThreadOptions<'_>>,
) -> napi::Result<ScoreTableArrays> {
    let leads = leads_arg(env, leads)?;
    let events = EventsArg::read(env, events, &leads)?;
    let now = instant(env, now, "now")?;
    let threads = threads_of(env, options)?;
    let out = scorer
        .score_table(&leads, events.columns(), now, threads)
        .map_err(|e| throw_lead(env, e))?;
    Ok(table_to_js(out))
}

#[napi]
impl JsScoringModel {
    /// Loads, validates and compiles a model from an object or JSON text (none: the empty
    /// model); `{"preset": name}` loads a preset.
    #[napi(
        catch_unwind,
        constructor,
        ts_args_type = "config?: ScoringModelJson | string"
    )]
    pub fn new(env: Env, config: Option<Unknown<'_>>) -> napi::Result<Self> {
        Ok(Self {
            scorer: scorer_from(&env, config.as_ref())?,
        })
    }

    /// A preset leadcore ships, by name.
    #[napi(catch_unwind, factory)]
    pub fn preset(env: Env, name: String) -> napi::Result<Self> {
        let model = ScoringModel::from_value(serde_json::json!({ "preset": name }))
            .map_err(|e| throw_lead(&env, e))?;
        Ok(Self {
            scorer: compile(&env, model)?,
        })
    }

    /// The names of the presets leadcore ships.
    #[napi(catch_unwind)]
    pub fn preset_names() -> Vec<&'static str> {
        leadcore::score::PRESETS.to_vec()
    }

    /// The model as a plain object (what `JSON.stringify` writes).
    #[napi(catch_unwind, js_name = "toJSON", ts_return_type = "ScoringModelJson")]
    pub fn to_json_value(&self) -> Json {
        Json(leadcore::input::to_value(self.scorer.model()))
    }

    /// Whether two models are equal.
    #[napi(catch_unwind)]
    pub fn equals(&self, other: &JsScoringModel) -> bool {
        self.scorer.model() == other.scorer.model()
    }

    /// Scores one lead from its events as of `now`.
    #[napi(
        catch_unwind,
        ts_args_type = "lead: Lead, events: LeadEvent[] | Uint8Array | null | undefined, now: Instant",
        ts_return_type = "ScoredLead"
    )]
    pub fn score_lead(
        &self,
        env: Env,
        lead: Unknown<'_>,
        events: Option<Unknown<'_>>,
        now: Unknown<'_>,
    ) -> napi::Result<Json> {
        score_lead_with(&env, &self.scorer, &lead, events.as_ref(), &now)
    }

    /// Scores many leads from row events matched by `lead_id`, or from an event table as Arrow
    /// IPC bytes (`lead_id`, `kind`, `at`, …; see `scoreColumns`): the same scores.
    #[napi(
        catch_unwind,
        ts_args_type = "leads: Lead[] | LeadTable | Uint8Array, events: LeadEvent[] | Uint8Array | null | undefined, now: Instant, options?: ThreadOptions",
        ts_return_type = "BatchScores"
    )]
    pub fn score_batch(
        &self,
        env: Env,
        leads: LeadsArg<'_>,
        events: Option<Unknown<'_>>,
        now: Unknown<'_>,
        options: Option<ThreadOptions<'_>>,
    ) -> napi::Result<Json> {
        score_batch_with(
            &env,
            &self.scorer,
            &leads,
            events.as_ref(),
            &now,
            options.as_ref(),
        )
    }

    /// Scores many leads from columnar events, with full breakdowns.
    #[napi(
        catch_unwind,
        ts_args_type = "leads: Lead[] | LeadColumns | LeadTable | Uint8Array, events: EventColumns | Uint8Array, now: Instant, options?: ThreadOptions",
        ts_return_type = "BatchScores"
    )]
    pub fn score_columns(
        &self,
        env: Env,
        leads: LeadsArg<'_>,
        events: Unknown<'_>,
        now: Unknown<'_>,
        options: Option<ThreadOptions<'_>>,
    ) -> napi::Result<Json> {
        score_columns_with(&env, &self.scorer, &leads, &events, &now, options.as_ref())
    }

    /// Scores many leads from columnar events into typed arrays (the fast path).
    #[napi(
        catch_unwind,
        ts_args_type = "leads: Lead[] | LeadColumns | LeadTable | Uint8Array, events: EventColumns | Uint8Array, now: Instant, options?: ThreadOptions"
    )]
    pub fn score_table(
        &self,
        env: Env,
        leads: LeadsArg<'_>,
        events: Unknown<'_>,
        now: Unknown<'_>,
        options: Option<ThreadOptions<'_>>,
    ) -> napi::Result<ScoreTableArrays> {
        score_table_with(&env, &self.scorer, &leads, &events, &now, options.as_ref())
    }

    /// The leads whose tier or MQL verdict would change if `proposed` replaced this model.
    #[napi(
        catch_unwind,
        ts_args_type = "proposed: ScoringModel | ScoringModelJson, leads: Lead[] | LeadTable | Uint8Array, events: LeadEvent[] | Uint8Array | null | undefined, now: Instant, options?: WhatIfOptions",
        ts_return_type = "WhatIf"
    )]
    pub fn what_if(
        &self,
        env: Env,
        proposed: ModelArg<'_>,
        leads: LeadsArg<'_>,
        events: Option<Unknown<'_>>,
        now: Unknown<'_>,
        options: Option<WhatIfOptions<'_>>,
    ) -> napi::Result<Json> {
        let proposed = scorer_arg(&env, proposed)?;
        let mql = match options.as_ref().and_then(|o| o.mql.as_ref()) {
            Some(m) if !absent(m)? => {
                let c = config_arg::<JsCondition>(&env, Some(Either::B(*m)))?;
                Some(CompiledCondition::compile_at(&c, "mql").map_err(|e| throw_lead(&env, e))?)
            }
            _ => None,
        };
        let leads = leads_arg(&env, &leads)?;
        let events = events_arg(&env, events.as_ref())?;
        let now = instant(&env, &now, "now")?;
        let threads = threads_arg(&env, options.as_ref().and_then(|o| o.threads.as_ref()))?;
        let out = leadcore::score::what_if(
            &self.scorer,
            &proposed,
            mql.as_ref(),
            &leads,
            &events,
            now,
            threads,
        )
        .map_err(|e| throw_lead(&env, e))?;
        Ok(to_js(&out))
    }
}

config_class!(
    /// Source-channel quality: historical counts per source, prior, tiers, referral channels.
    JsSourceModel, "SourceModel", SourceModel, "config?: SourceModelJson | string", "SourceModelJson"
);

/// Scores one lead under `model` as of `now`.
#[napi(
    catch_unwind,
    ts_args_type = "model: ScoringModel | ScoringModelJson, lead: Lead, events: LeadEvent[] | Uint8Array | null | undefined, now: Instant",
    ts_return_type = "ScoredLead"
)]
pub fn score_lead(
    env: Env,
    model: ModelArg<'_>,
    lead: Unknown<'_>,
    events: Option<Unknown<'_>>,
    now: Unknown<'_>,
) -> napi::Result<Json> {
    let scorer = scorer_arg(&env, model)?;
    score_lead_with(&env, &scorer, &lead, events.as_ref(), &now)
}

/// Scores many leads from row events matched by `lead_id`, or from an event table as Arrow IPC
/// bytes (`lead_id`, `kind`, `at`, …; see `scoreColumns`): the same scores.
#[napi(
    catch_unwind,
    ts_args_type = "model: ScoringModel | ScoringModelJson, leads: Lead[] | LeadTable | Uint8Array, events: LeadEvent[] | Uint8Array | null | undefined, now: Instant, options?: ThreadOptions",
    ts_return_type = "BatchScores"
)]
pub fn score_batch(
    env: Env,
    model: ModelArg<'_>,
    leads: LeadsArg<'_>,
    events: Option<Unknown<'_>>,
    now: Unknown<'_>,
    options: Option<ThreadOptions<'_>>,
) -> napi::Result<Json> {
    let scorer = scorer_arg(&env, model)?;
    score_batch_with(
        &env,
        &scorer,
        &leads,
        events.as_ref(),
        &now,
        options.as_ref(),
    )
}

/// Scores many leads from columnar events, with full breakdowns.
#[napi(
    catch_unwind,
    ts_args_type = "model: ScoringModel | ScoringModelJson, leads: Lead[] | LeadColumns | LeadTable | Uint8Array, events: EventColumns | Uint8Array, now: Instant, options?: ThreadOptions",
    ts_return_type = "BatchScores"
)]
pub fn score_columns(
    env: Env,
    model: ModelArg<'_>,
    leads: LeadsArg<'_>,
    events: Unknown<'_>,
    now: Unknown<'_>,
    options: Option<ThreadOptions<'_>>,
) -> napi::Result<Json> {
    let scorer = scorer_arg(&env, model)?;
    score_columns_with(&env, &scorer, &leads, &events, &now, options.as_ref())
}

/// Scores many leads from columnar events into typed arrays (the fast path).
#[napi(
    catch_unwind,
    ts_args_type = "model: ScoringModel | ScoringModelJson, leads: Lead[] | LeadColumns | LeadTable | Uint8Array, events: EventColumns | Uint8Array, now: Instant, options?: ThreadOptions"
)]
pub fn score_table(
    env: Env,
    model: ModelArg<'_>,
    leads: LeadsArg<'_>,
    events: Unknown<'_>,
    now: Unknown<'_>,
    options: Option<ThreadOptions<'_>>,
) -> napi::Result<ScoreTableArrays> {
    let scorer = scorer_arg(&env, model)?;
    score_table_with(&env, &scorer, &leads, &events, &now, options.as_ref())
}

/// Evaluates a proposal `{current, proposed, mql}` on a population: the leads whose tier or
/// MQL verdict would change.
#[napi(
    catch_unwind,
    ts_args_type = "proposal: ProposalJson, leads: Lead[] | LeadTable | Uint8Array, events: LeadEvent[] | Uint8Array | null | undefined, now: Instant, options?: ThreadOptions",
    ts_return_type = "WhatIf"
)]
pub fn what_if(
    env: Env,
    proposal: Unknown<'_>,
    leads: LeadsArg<'_>,
    events: Option<Unknown<'_>>,
    now: Unknown<'_>,
    options: Option<ThreadOptions<'_>>,
) -> napi::Result<Json> {
    let proposal: Proposal = config_from_js(&env, &proposal)?;
    let leads = leads_arg(&env, &leads)?;
    let events = events_arg(&env, events.as_ref())?;
    let now = instant(&env, &now, "now")?;
    let threads = threads_of(&env, options.as_ref())?;
    let out = leadcore::score::compare(&proposal, &leads, &events, now, threads)
        .map_err(|e| throw_lead(&env, e))?;
    Ok(to_js(&out))
}

/// Each source's smoothed conversion rate, score, rank, tier and route.
#[napi(
    catch_unwind,
    ts_args_type = "model: SourceModel | SourceModelJson",
    ts_return_type = "SourceTable"
)]
pub fn source_quality(env: Env, model: ConfigArg<'_, JsSourceModel>) -> napi::Result<Json> {
    let model = config_arg::<JsSourceModel>(&env, Some(model))?;
    Ok(to_js(
        &source::quality(&model).map_err(|e| throw_lead(&env, e))?,
    ))
}

/// Counts leads and conversions per source from historical outcomes.
#[napi(
    catch_unwind,
    ts_args_type = "convertedStages: string[], outcomes: { source: string, stage?: string | null }[]",
    ts_return_type = "Record<string, SourceCount>"
)]
pub fn source_counts(
    env: Env,
    converted_stages: Unknown<'_>,
    outcomes: Unknown<'_>,
) -> napi::Result<Json> {
    let outcomes: Vec<SourceOutcome> = from_js(&env, &outcomes, "outcomes")?;
    let stages: Vec<String> = from_js(&env, &converted_stages, "converted_stages")?;
    Ok(to_js(&source::count_outcomes(&stages, &outcomes)))
}

/// Event kind names by code: the `kind` codes of the columnar path (`page_view` = 0 …).
#[napi(catch_unwind, ts_return_type = "EventKind[]")]
pub fn event_kinds() -> Vec<String> {
    EventKind::ALL
        .iter()
        .filter_map(|k| leadcore::input::to_value(k).as_str().map(str::to_string))
        .collect()
}

/// Fit grades by code, worst first (`F` = 0 … `A+` = 11): the `grade` codes of `scoreTable`.
#[napi(catch_unwind)]
pub fn grades() -> Vec<&'static str> {
    Grade::ALL.iter().map(|g| g.as_str()).collect()
}

/// Tiers by code (`low` = 0, `mid` = 1, `high` = 2; −1 is no tier): the `tier` codes of
/// `scoreTable`.
#[napi(catch_unwind, ts_return_type = "Tier[]")]
pub fn tiers() -> Vec<String> {
    TIERS
        .iter()
        .filter_map(|t| leadcore::input::to_value(t).as_str().map(str::to_string))
        .collect()
}
