/* leadcore's JSON data shapes (the same documents in Rust, Python and Node). */

/** An instant: a `Date`, or RFC 3339 text with an offset. Results use RFC 3339 UTC text. */
export type Instant = Date | string
/** A typed attribute: boolean, finite number, text, list of strings, or null. */
export type AttrValue = boolean | number | string | string[] | null

/** Where a lead came from. */
export interface Source {
  channel?: string
  campaign?: string
  utm_source?: string
  utm_medium?: string
  utm_campaign?: string
  utm_term?: string
  utm_content?: string
  referrer?: string
  [extra: string]: unknown
}

/** Pre-qualification temperature. */
export type Temperature = 'cold' | 'warm' | 'hot'
/** The kind of a pipeline edge. */
export type EdgeKind = 'enter' | 'forward' | 'downgrade' | 'reject' | 'recycle' | 'disqualify' | 'reopen'

/** One recorded stage change. */
export interface StageChange {
  from?: string | null
  to: string
  at: Instant
  recorded_at: Instant
  actor?: string
  reason?: string
  edge: EdgeKind
}

/** An open sales rejection. */
export interface Rejection {
  at: Instant
  by?: string
  from_stage: string
  cooldown_until: Instant
  reason: string
}

/** A lead. Keys the model does not name are kept. */
export interface Lead {
  id: string
  created_at: Instant
  source?: Source
  attributes?: Record<string, AttrValue>
  owner?: string
  stage?: string
  temperature?: Temperature
  history?: StageChange[]
  rejection?: Rejection
  [extra: string]: unknown
}

/** The kinds of engagement event. */
export type EventKind =
  | 'page_view' | 'download' | 'favorite' | 'search' | 'form_submit' | 'inquiry'
  | 'event_checkin' | 'email_open' | 'email_click' | 'call' | 'meeting' | 'custom'

/** One thing a lead did. */
export interface LeadEvent {
  id?: string
  lead_id: string
  kind: EventKind
  name?: string
  at: Instant
  properties?: Record<string, AttrValue>
}

/** Any JSON document (configs, results). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** The family of a leadcore error; each has its own class. */
export type ErrorCategory =
  | 'config' | 'input' | 'dedup' | 'qualify' | 'transition' | 'conversion'
  | 'predict' | 'attribution' | 'funnel' | 'pool'

/** Base class of every error a leadcore function throws (`instanceof` works). */
export declare class LeadcoreError extends Error {
  /** Stable code, e.g. `naive_datetime`: branch on it, not on the message. */
  readonly code: string
  /** The family: `config`, `input`, `transition`, … (the subclass says the same). */
  readonly category: ErrorCategory
  /** JSON path of the field at fault within the call's arguments; `$` when no single field is. */
  readonly path: string
  /** The error's facts per code (README, "Error codes"): e.g. `{lead, holder}` for `already_owned`. */
  readonly details: Record<string, unknown>
}
/** A configuration (pipeline, rules, mapping, policy, model) failed to load or validate. */
export declare class ConfigError extends LeadcoreError {}
/** An argument (lead, event, timestamp, ...) is not valid data. */
export declare class InputError extends LeadcoreError {}
/** A lifecycle move the pipeline does not allow (unknown stage, illegal edge, cooldown...). */
export declare class TransitionError extends LeadcoreError {}
/** A lead cannot be converted into account, contact and opportunity. */
export declare class ConversionError extends LeadcoreError {}
/** A qualification call named a gate the rule set does not have. */
export declare class QualifyError extends LeadcoreError {}
/** A batch of leads cannot be de-duplicated (blank or repeated lead ids). */
export declare class DedupError extends LeadcoreError {}
/** Journeys or paths that cannot be attributed. */
export declare class AttributionError extends LeadcoreError {}
/** Funnel, ROI, forecast or capacity input that cannot be computed. */
export declare class FunnelError extends LeadcoreError {}
/** A pool command, tick or query was refused. */
export declare class PoolError extends LeadcoreError {}
/** Predictive scoring failed: training data, feature columns or a model file. */
export declare class PredictError extends LeadcoreError {}

/** A labelled lead for training: whether it converted, and the instant its features are taken at. */
export interface Label {
  lead_id: string
  converted: boolean
  cutoff: Instant
}

/** A lead's predictive tier. */
export type Tier = 'high' | 'mid' | 'low'

/** Probability thresholds of the tiers. */
export interface TierThresholds {
  high: number
  mid: number
}

/** One factor of a predictive score (`ratio` for naive Bayes only). */
export interface Factor {
  feature: string
  value: string
  effect: number
  ratio?: number
}

/** A lead's predictive score with its top factors. */
export interface LeadScore {
  lead_id: string
  /** Conversion probability, 0–1. */
  probability: number
  raw_score: number
  tier: Tier
  /** `global`, or the segment whose own model scored the lead. */
  model: string
  base: number
  positive: Factor[]
  negative: Factor[]
}

/** One decile of the calibration table. */
export interface CalibrationBin {
  rows: number
  min_score: number
  max_score: number
  mean_predicted: number
  observed_rate: number
}

/** Precision and recall when the leads at or above a tier are worked. */
export interface TierMetrics {
  tier: Tier
  threshold: number
  rows: number
  precision: number | null
  recall: number | null
}

/** Quality of predicted probabilities against outcomes. */
export interface Metrics {
  rows: number
  positives: number
  base_rate: number
  roc_auc: number | null
  pr_auc: number | null
  log_loss: number
  brier: number
  top_decile_lift: number | null
  calibration: CalibrationBin[]
  tiers: TierMetrics[]
}

/** Cross-validation: metrics per fold, their mean and standard deviation. */
export interface CrossValidation {
  folds: Metrics[]
  mean: { roc_auc: number | null; pr_auc: number | null; log_loss: number; brier: number }
  std: { roc_auc: number | null; pr_auc: number | null; log_loss: number; brier: number }
}

/** The importance of one feature group. */
export interface Importance {
  feature: string
  importance: number
  std: number
}

/** What a model was trained on and how well it did. */
export interface TrainingMetadata {
  trained_at: string
  seed: number
  rows: number
  positives: number
  train_rows: number
  test_rows: number
  metrics: Metrics | null
  segments: { segment: string; rows: number; positives: number; model: 'own' | 'global'; reason?: string }[]
  impurity_importance: Importance[]
  permutation_importance: Importance[]
}

/** One feature column. */
export interface FeatureColumn {
  name: string
  group: string
  level?: string
}

/** A training set: the learned encoding, the column-major feature matrix (`null`: missing) and labels. */
export interface TrainingSet {
  encoding: { spec: Json; levels: string[][]; columns: FeatureColumn[] }
  features: { columns: FeatureColumn[]; lead_ids: string[]; data: (number | null)[][] }
  labels: boolean[]
}

/** A command to the pool state machine (`PoolState.apply`). */
export type PoolCommand =
  | { type: 'deposit'; lead: string; pool: string; created_at?: Instant; stage?: string; region?: string }
  | { type: 'route'; lead: Lead }
  | { type: 'claim'; lead: string; rep: string }
  | { type: 'assign'; lead: string; rep: string; by?: string }
  | { type: 'bulk_assign'; leads: string[]; rep: string; by?: string }
  | { type: 'return'; lead: string; rep: string; reason: string; pool?: string }
  | { type: 'reclaim'; lead: string; reason: string; by?: string; pool?: string }
  | { type: 'transfer'; lead: string; from: string; to: string; reason?: string }
  | { type: 'follow_up'; lead: string; rep: string; kind?: string }
  | { type: 'mark_converted'; lead: string }
  | { type: 'exclude_owner'; lead: string; owner: string; reason: string }
  | { type: 'stage_changed'; lead: string; stage: string }
  | { type: 'lead_activity'; lead: string }
  | { type: 'milestone'; lead: string; name: string }
  | { type: 'nurture_done'; lead: string; sop: string; step: string }
  | { type: 'archive'; lead: string }
  | { type: 'remove'; lead: string }
  | { type: 'merge'; survivor: string; duplicate: string }

/** A pool command with an optional id: a retry of an id already applied answers with the
 * earlier outcome (`duplicate: true`) and changes nothing. */
export type PoolRequest = PoolCommand & { id?: string | number }

/** One entry of a pool command log: a command applied at `at` (with its id and the policy
 * fingerprint), or a tick at `at` (of the leads listed, for a row-level tick). */
export type PoolLogEntry =
  | { op: 'apply'; at: Instant; command: PoolCommand; id?: string; policy?: string }
  | { op: 'tick'; at: Instant; leads?: string[]; policy?: string }
  | { op: 'reschedule'; leads?: string[]; policy?: string }

/** Pool records as a host stores them, one row each, by id: each record an object or its JSON
 * text (as a text column returns it). Every record has a `version` (0 / absent: never written)
 * and a `clock` (the time of its last write). */
export interface PoolRecords {
  leads?: Record<string, Json | string>
  reps?: Record<string, Json | string>
  teams?: Record<string, Json | string>
  /** Deleted leads' rows (tombstones): their version. */
  gone?: Record<string, number>
}

/** The records commands can touch (`poolNeeds`, `poolTickNeeds`). */
export interface PoolNeeds {
  leads: string[]
  reps: string[]
  teams: string[]
}

/** One row to write with a compare-and-set on `expected` (0: insert); no `record`: a deleted
 * lead, kept as a tombstone at `version` (pass it back in `gone`), or only verify the version
 * when `check`. */
export interface PoolRow {
  kind: 'lead' | 'rep' | 'team'
  id: string
  expected: number
  /** The version the row gets (the new record's). */
  version?: number
  /** The new record (JSON text with the `text` option). */
  record?: Json | string
  due_at?: string
  check?: boolean
}

/** The outcome of `poolApplyRows` / `poolTickRows`. */
export interface PoolRowsApplied {
  results: PoolApplied[]
  rows: PoolRow[]
  log: PoolLogEntry[]
}

/** Where a lead is: a pool, an owner, a manager to dispatch it, or converted. */
export type PoolHolder =
  | { status: 'pooled'; pool: string }
  | { status: 'owned'; rep: string }
  | { status: 'dispatching'; manager: string }
  | { status: 'converted'; rep?: string }

/** Something the host must do because of a command or a tick. */
export type PoolEffect =
  | { type: 'moved'; lead: string; from?: PoolHolder; to: PoolHolder; via: string }
  | { type: 'notify'; rep: string; lead: string; about: 'lead_assigned' | 'lead_to_dispatch' | 'lead_reclaimed' | 'lead_merged' }
  | { type: 'reclaim_warning'; lead: string; rep: string; trigger: string; reclaim_at: string }
  | { type: 'routing_pending'; lead: string; pool: string; rule: string }
  | { type: 'left'; lead: string; from: PoolHolder; how: 'archived' | 'removed' | 'merged'; into?: string }

/** The result of an accepted command or tick: effects for the host, reasons, routing decisions
 * (only when routing decided something), and when to tick next. */
export interface PoolApplied {
  effects: PoolEffect[]
  /** Each reason has a `code` (`holding`, `protected`, `trigger_fired`, …) and its details. */
  reasons: Array<{ code: string; [detail: string]: Json }>
  decisions?: Json[]
  next_check_at: string | null
  /** The time the call ran at (`now`, or a record's clock when `now` lagged within the skew tolerance). */
  at?: string
  /** A retry of a command id already applied: the earlier effects and reasons. */
  duplicate?: boolean
}

/** SLA timers due or overdue, and nurture steps due (`PoolState.due`). */
export interface PoolDue {
  timers: Array<{ timer: string; lead: string; started_at: string; deadline: string; status: string; [detail: string]: Json }>
  nurture: Array<{
    lead: string; sop: string; step: string; at: number; reactivation: boolean; due_at: string; channel: string; content: string
  }>
}

/**
 * A dictionary-encoded column (the fast form for repeated text): entry `i` is
 * `values[codes[i]]`; code −1 is a missing cell.
 */
export interface DictionaryColumn<T> {
  codes: Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array
  values: (T | null)[]
}

/**
 * Leads as columns, one entry per lead (the fast form for large batches). Missing cells
 * (`null`, `undefined`, NaN, code −1) are left out of the lead.
 */
export interface LeadColumns {
  /** Text ids, or an integer typed array of numeric ids (written in decimal). */
  id: (string | null)[] | DictionaryColumn<string> | Int32Array | Uint32Array | Float64Array | BigInt64Array
  /** Unix seconds (`Float64Array`, `BigInt64Array`, numbers), `Date`s or RFC 3339 text. */
  created_at: Float64Array | BigInt64Array | (Instant | number | null)[]
  owner?: (string | null)[] | DictionaryColumn<string>
  stage?: (string | null)[] | DictionaryColumn<string>
  /** Source fields (`channel`, `campaign`, `utm_*`, `referrer`) as columns. */
  source?: Record<string, (string | null)[] | DictionaryColumn<string>>
  /** Attributes as columns: number typed arrays (NaN missing), dictionaries or arrays of values. */
  attributes?: Record<string, Float64Array | Int32Array | Uint32Array | DictionaryColumn<AttrValue> | (AttrValue | undefined)[]>
}

/**
 * Events as columns, one entry per event. Typed arrays of the listed element type are read in
 * place; other integer typed arrays and plain arrays are converted.
 */
export interface EventColumns {
  /** Index of the event's lead in `leads`. */
  lead: Uint32Array | number[]
  /** Kind codes (`eventKinds()` order) or names. */
  kind: Uint8Array | EventKind[]
  /** Unix seconds; NaN / `null` is a missing time (the event is ignored and counted). */
  at: BigInt64Array | Float64Array | (number | null)[]
  /** Event ids (≥ 0): repeated ids of one lead are one event delivered twice. */
  id?: BigUint64Array | Float64Array | (number | null)[]
  /** Index into `details` (`null` / 0xFFFFFFFF: none). */
  detail?: Uint32Array | (number | null)[]
  /** The detail dictionary: a custom event's name and the event's properties. */
  details?: { name?: string; properties?: Record<string, AttrValue> }[]
}

/* Attribution */

/** A milestone of the B2B journey that position models weight. */
export type Milestone = 'first_touch' | 'lead_created' | 'opportunity_created' | 'closed_won'

/** One marketing or sales touch. */
export interface Touchpoint {
  channel: string
  campaign?: string
  at: Instant
  milestones?: Milestone[]
}

/** One lead's or account's touches and outcome (1 conversion or 1 null). */
export interface Journey {
  id: string
  touchpoints: Touchpoint[]
  converted?: boolean
  /** Conversion value (0 when unknown; must be 0 when not converted). */
  value?: number
  /** When the opportunity was created, for the ownership rule. */
  opportunity_at?: Instant
}

/** Journeys aggregated along one path, as ChannelAttribution takes them. */
export interface PathCount {
  /** Channels joined by the configured separator (default `>`): `'seo > sem > direct'`. */
  path: string
  conversions?: number
  nulls?: number
  value?: number
}

/** Path counts as columns of equal length (arrays or typed arrays); errors name row `i` `paths[i]`. */
export interface PathColumns {
  path: string[]
  conversions?: ArrayLike<number>
  nulls?: ArrayLike<number>
  value?: ArrayLike<number>
}

/**
 * Journeys as a long touch table, one row per touch (`addJourneyColumns`). Rows with the same
 * `journey_id` are one journey (any order; added in order of first appearance); `converted`
 * and `value` are the journey's, repeated on each of its rows. `at`: Unix seconds
 * (`Float64Array` / numbers, `BigInt64Array` of whole seconds) or `Date`s / RFC 3339 text.
 */
export interface TouchColumns {
  journey_id: Array<string | number>
  channel: string[]
  campaign?: Array<string | null>
  at: Float64Array | BigInt64Array | Array<number | Date | string>
  first_touch?: boolean[] | Uint8Array
  lead_created?: boolean[] | Uint8Array
  opportunity_created?: boolean[] | Uint8Array
  closed_won?: boolean[] | Uint8Array
  converted?: boolean[] | Uint8Array
  value?: Float64Array | number[]
}

/** Credit of one key under one model. */
export interface Credit {
  key: string
  conversions: number
  value: number
}

/** One model's result; `markov` / `shapley` carry the data-driven models' details. */
export interface ModelResult {
  name: string
  type: string
  credits: Credit[]
  markov?: {
    order: number
    states: number
    transitions: number
    conversion_probability: number
    value_per_journey: number
    removal_effects: Credit[]
    solver: { method: 'sparse_lu'; factorizations: number; work: number }
    transition_probabilities?: { from: string; to: string; probability: number }[]
  }
  shapley?: {
    game: 'conversions' | 'conversion_rate'
    method: string
    players: number
    coalitions_observed: number
    grand_coalition: [number, number]
    samples?: number
    standard_errors?: Credit[]
  }
}

/** Credits per key (channel or campaign) under every configured model, side by side. */
export interface AttributionReport {
  level: 'channel' | 'campaign'
  keys: string[]
  totals: { journeys: number; conversions: number; nulls: number; value: number }
  models: ModelResult[]
}

/** How each heuristic model splits one journey over its touches. */
export interface JourneyExplanation {
  id: string
  converted: boolean
  value: number
  models: {
    name: string
    type: string
    touches: { position: number; index: number; key: string; roles: string[]; weight: number; conversions: number; value: number }[]
  }[]
}

/** The owner of each customer under the ownership rule, and totals per channel. */
export interface OwnershipReport {
  customers: {
    id: string
    owner: string | null
    reason: string
    first: { channel: string; at: string }
    last: { channel: string; at: string } | null
    opportunity_at: string | null
    window_end: string | null
  }[]
  channels: { channel: string; customers: number; within_window: number; beyond_window: number }[]
  unowned: number
}

/* Funnel and money */

/** One stage's figures in one group (rates are fractions, null when undefined). */
export interface StageRow {
  stage: string
  entered: number
  advanced: number
  conversion_to_next: number | null
  ratio_to_previous: number | null
  amount: number
  with_amount: number
  completed_stays: number
  days_in_stage_mean: number | null
  recording_lag_days_mean: number | null
}

/** The funnel by period and dimension values, plus totals. */
export interface FunnelReport {
  time_basis: 'effective' | 'recorded'
  granularity: 'day' | 'week' | 'month' | 'quarter' | 'year'
  dimensions: string[]
  groups: { period: string; dimensions: Record<string, string>; stages: StageRow[] }[]
  totals: StageRow[]
}

/** Marketing spend of one channel in one period (period key in the funnel's granularity). */
export interface Spend {
  channel: string
  period: string
  amount: number
}

/** ROI of one channel in one period (`all` in totals). */
export interface RoiRow {
  period: string
  channel: string
  spend: number
  stages: { stage: string; count: number; cost_per: number | null; amount: number; rate_from_previous: number | null }[]
  revenue: number
  roi: number | null
}

/** Channel ROI per period, and per channel over all periods. */
export interface RoiReport {
  rows: RoiRow[]
  totals: RoiRow[]
}

/** Forecast of one rep in one period. */
export interface ForecastRow {
  period: string
  rep: string
  deals: number
  pipeline: number
  weighted: number
  stages: { stage: string; probability: number; deals: number; pipeline: number; weighted: number }[]
}

/** The weighted pipeline forecast. */
export interface ForecastReport {
  rows: ForecastRow[]
  periods: ForecastRow[]
  total: ForecastRow
  excluded: Record<string, number>
}

/** The MLG index of one period (`all` overall). */
export interface MlgPeriod {
  period: string
  new_customers: number
  marketing_sourced: number
  index: number | null
}

/** The MLG index per period and overall. */
export interface MlgReport {
  periods: MlgPeriod[]
  total: MlgPeriod
}

/** What to plan for: exactly one of `leads` and `revenue_target`. */
export interface PlanInput {
  leads?: number
  revenue_target?: number
}

/** Monte Carlo settings (defaults: 10 000 runs, seed 0, percentiles 5 / 50 / 95). */
export interface Simulation {
  runs?: number
  seed?: number
  percentiles?: number[]
}

/** A deterministic capacity plan. */
export interface CapacityPlan {
  leads: number
  deals_needed: number | null
  overall_rate: number
  stages: { stage: string; rate: number | null; volume: number }[]
  revenue: number | null
  lead_cost: number | null
  headcount: { role: string; handles: string; volume: number; capacity: number; heads: number; utilization: number }[]
}

/** Percentiles of the simulated plan. */
export interface CapacitySimulation {
  runs: number
  seed: number
  percentiles: number[]
  distributions: { quantity: string; mean: number; values: number[] }[]
}
