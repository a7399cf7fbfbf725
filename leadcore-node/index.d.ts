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

/** The `Error` every leadcore function throws. */
export interface LeadcoreError extends Error {
  /** Stable code, e.g. `naive_datetime`. */
  code: string
  /** `config`, `input`, `transition`, … */
  category: string
  /** JSON path of the bad field, when there is one. */
  path: string | null
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
    solver: { method: 'dense' | 'iterative'; sweeps: number; converged: boolean }
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

/**
 * Which binding artifact the generated loader actually loaded: `'native'` for
 * a native addon, otherwise the `platformArchABI` of the WASI flavor. Every
 * flavor napi-rs can build is listed, because `NAPI_RS_NATIVE_LIBRARY_PATH`
 * can point the loader at a WASI artifact this package does not build itself.
 */
export declare const __napiBindingTarget: 'native' | 'wasm32-wasi' | 'wasm32-wasip1'

/**
 * Attribution state built in pieces: add journeys and path counts, merge accumulators built
 * elsewhere (a worker, another process), finish into a report. Adding in any split and
 * merging gives the same report as one pass, bit for bit. Ships as compact bytes
 * (`toBytes()` → `Buffer`) or JSON (`JSON.stringify(acc)`, `AttributionAccumulator.fromJSON`).
 */
export declare class AttributionAccumulator {
  /** An empty accumulator for `config`. */
  constructor(config: AttributionConfig | Json)
  /** The configuration. */
  get config(): AttributionConfig
  /** Adds one journey (errors name it `journey`). */
  addJourney(journey: Journey): void
  /**
   * Adds journeys (errors name them `journeys[i]`); stops at the first bad one, the ones
   * before it stay added.
   */
  addJourneys(journeys: Journey[]): void
  /** Adds one path count (errors name it `path`). */
  addPath(path: PathCount): void
  /**
   * Adds path counts, rows or columns (errors name rows `paths[i]`); stops at the first bad
   * one, the ones before it stay added.
   */
  addPaths(paths: PathCount[] | PathColumns): void
  /** Adds everything `other` accumulated (same configuration required). */
  merge(other: AttributionAccumulator): void
  /** The report so far (the accumulator is unchanged and can keep adding). */
  finish(): AttributionReport
  /** The state in the compact binary form. */
  toBytes(): Buffer
  /** An accumulator from `toBytes()` output (a `Buffer` or `Uint8Array`). */
  static fromBytes(data: Uint8Array): AttributionAccumulator
  /**
   * The state as a plain object (what `JSON.stringify` writes; exact sums as decimal
   * strings).
   */
  toJSON(): Json
  /** An accumulator from `toJSON()` output, as an object or JSON text. */
  static fromJSON(state: Json): AttributionAccumulator
}
export type JsAttributionAccumulator = AttributionAccumulator

/** r" Which attribution models to run, at which level (channel or campaign). */
export declare class AttributionConfig {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: Json)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): Json
  /** Whether two configs are equal. */
  equals(other: AttributionConfig): boolean
}
export type JsAttributionConfig = AttributionConfig

/** r" Stage conversion rates, role capacities, deal size and cost per lead. */
export declare class CapacityConfig {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: Json)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): Json
  /** Whether two configs are equal. */
  equals(other: CapacityConfig): boolean
}
export type JsCapacityConfig = CapacityConfig

/** r" Company-name normalization options (legal suffixes, region qualifiers). */
export declare class CompanyOptions {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: Json)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): Json
  /** Whether two configs are equal. */
  equals(other: CompanyOptions): boolean
}
export type JsCompanyOptions = CompanyOptions

/** r" One condition of the condition language. */
export declare class Condition {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: Json)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): Json
  /** Whether two configs are equal. */
  equals(other: Condition): boolean
}
export type JsCondition = Condition

/** r" Which keys make two leads duplicates, and which one survives. */
export declare class DedupPolicy {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: Json)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): Json
  /** Whether two configs are equal. */
  equals(other: DedupPolicy): boolean
}
export type JsDedupPolicy = DedupPolicy

/** r" Email normalization options (gmail dots, plus tags). */
export declare class EmailOptions {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: Json)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): Json
  /** Whether two configs are equal. */
  equals(other: EmailOptions): boolean
}
export type JsEmailOptions = EmailOptions

/** r" A lead → account + contact + opportunity field mapping. */
export declare class FieldMapping {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: Json)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): Json
  /** Whether two configs are equal. */
  equals(other: FieldMapping): boolean
  /** A preset leadcore ships, by name. */
  static preset(name: string): FieldMapping
  /** The names of the presets leadcore ships. */
  static presetNames(): Array<string>
}
export type JsFieldMapping = FieldMapping

/** r" Win probability per stage, amount and close-date attributes, periods. */
export declare class ForecastConfig {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: Json)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): Json
  /** Whether two configs are equal. */
  equals(other: ForecastConfig): boolean
}
export type JsForecastConfig = ForecastConfig

/**
 * Funnel tallies built in pieces: add leads, merge accumulators built elsewhere, finish into
 * a report. Any split gives the same report as one pass. Ships as compact bytes (`toBytes()`
 * → `Buffer`) or JSON (`JSON.stringify(acc)`, `FunnelAccumulator.fromJSON`).
 */
export declare class FunnelAccumulator {
  /** An empty accumulator for `config`. */
  constructor(config: FunnelConfig | Json)
  /** The configuration. */
  get config(): FunnelConfig
  /** Adds one lead (errors name it `lead`). */
  addLead(lead: Lead): void
  /**
   * Adds leads (errors name them `leads[i]`); stops at the first bad one, the ones before
   * it stay added.
   */
  addLeads(leads: Lead[]): void
  /** Adds everything `other` accumulated (same configuration required). */
  merge(other: FunnelAccumulator): void
  /** The funnel so far (the accumulator is unchanged and can keep adding). */
  finish(): FunnelReport
  /** The state in the compact binary form. */
  toBytes(): Buffer
  /** An accumulator from `toBytes()` output (a `Buffer` or `Uint8Array`). */
  static fromBytes(data: Uint8Array): FunnelAccumulator
  /** The state as a plain object (what `JSON.stringify` writes). */
  toJSON(): Json
  /** An accumulator from `toJSON()` output, as an object or JSON text. */
  static fromJSON(state: Json): FunnelAccumulator
}
export type JsFunnelAccumulator = FunnelAccumulator

/** r" Funnel stages, time basis, period size, UTC offset and dimensions. */
export declare class FunnelConfig {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: Json)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): Json
  /** Whether two configs are equal. */
  equals(other: FunnelConfig): boolean
}
export type JsFunnelConfig = FunnelConfig

/** r" The customer stage and the channels that count as marketing. */
export declare class MlgConfig {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: Json)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): Json
  /** Whether two configs are equal. */
  equals(other: MlgConfig): boolean
}
export type JsMlgConfig = MlgConfig

/** r" The ownership rule's window (default 3 months). */
export declare class OwnershipConfig {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: Json)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): Json
  /** Whether two configs are equal. */
  equals(other: OwnershipConfig): boolean
}
export type JsOwnershipConfig = OwnershipConfig

/** r" A host-supplied table of 7-digit mobile prefixes → province / city. */
export declare class PhoneRegions {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: Json)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): Json
  /** Whether two configs are equal. */
  equals(other: PhoneRegions): boolean
}
export type JsPhoneRegions = PhoneRegions

/** r" A stage pipeline: ordered stages, allowed edges and lifecycle policies. */
export declare class Pipeline {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: Json)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): Json
  /** Whether two configs are equal. */
  equals(other: Pipeline): boolean
  /** A preset leadcore ships, by name. */
  static preset(name: string): Pipeline
  /** The names of the presets leadcore ships. */
  static presetNames(): Array<string>
}
export type JsPipeline = Pipeline

/** r" The ROI chain: a funnel, the spend dimension and the revenue stage. */
export declare class RoiConfig {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: Json)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): Json
  /** Whether two configs are equal. */
  equals(other: RoiConfig): boolean
}
export type JsRoiConfig = RoiConfig

/** r" Qualification gates (MQL, SQL, SAL…), each a condition. */
export declare class RuleSet {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: Json)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): Json
  /** Whether two configs are equal. */
  equals(other: RuleSet): boolean
  /** A preset leadcore ships, by name. */
  static preset(name: string): RuleSet
  /** The names of the presets leadcore ships. */
  static presetNames(): Array<string>
}
export type JsRuleSet = RuleSet

/** r" Score thresholds for cold / warm / hot. */
export declare class TemperatureThresholds {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: Json)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): Json
  /** Whether two configs are equal. */
  equals(other: TemperatureThresholds): boolean
}
export type JsTemperatureThresholds = TemperatureThresholds

/** Every error code leadcore can throw, sorted. */
export declare function allErrorCodes(): Array<string>

/**
 * Credits per channel (or campaign) under every configured model, from journeys and/or path
 * counts.
 */
export declare function attribute(config: AttributionConfig | Json, input: AttributeInput): AttributionReport

/** Inputs of `attribute`. */
export interface AttributeInput {
  /** Journeys (touchpoints with times and milestones, outcome, value). */
  journeys?: Journey[]
  /** Path counts: an array of `{path, conversions, nulls, value}` or a table of columns. */
  paths?: PathCount[] | PathColumns
  /** Threads to split the work over (the same result, bit for bit); default 1. */
  threads?: number
}

/**
 * The capacity plan simulated with a seed: percentiles of leads, stage volumes, revenue, cost
 * and heads.
 */
export declare function capacityMonteCarlo(config: CapacityConfig | Json, plan: PlanInput, simulation?: Simulation): CapacitySimulation

/** Leads needed for a revenue target (or volumes for a lead count) and headcount per role. */
export declare function capacityPlan(config: CapacityConfig | Json, plan: PlanInput): CapacityPlan

/**
 * Channel ROI: spend → leads → MQL → … → payment per channel and period, with cost per stage,
 * revenue and ROI.
 */
export declare function channelRoi(config: RoiConfig | Json, leads: Lead[], spend?: Spend[]): RoiReport

/** Converts a qualified lead into account, contact and opportunity records. */
export declare function convertLead(lead: Lead, mapping: FieldMapping | Json): Json

/** Duplicate clusters over a batch of leads, with survivors and the reason for each merge. */
export declare function dedupe(leads: Lead[], policy?: DedupPolicy | Json, events?: LeadEvent[]): Json

/** The lifecycle actions due for a lead at `now` (stale downgrades, expired cooldowns…). */
export declare function due(lead: Lead, events: LeadEvent[], pipeline: Pipeline | Json, now: Instant): Json[]

/** Evaluates one condition for a lead and explains every criterion. */
export declare function evaluateCondition(condition: Condition | Json, lead: Lead, now: Instant, options?: FactOptions): Json

/**
 * How each heuristic model splits one journey's credit over its touches, with each touch's
 * role.
 */
export declare function explainJourney(config: AttributionConfig | Json, journey: Journey): JourneyExplanation

/** Optional arguments of the qualification calls. */
export interface FactOptions {
  /** The lead's events (any order, duplicates allowed). */
  events?: LeadEvent[]
  /** Named scores the conditions may reference (`{"score": "behavior", "gte": 50}`). */
  scores?: Record<string, number>
}

/** The weighted pipeline forecast: Σ amount × stage probability by period and rep. */
export declare function forecast(config: ForecastConfig | Json, leads: Lead[]): ForecastReport

/**
 * The funnel of `leads`: counts, conversion, time in stage and amounts per stage, by period
 * and dimension.
 */
export declare function funnel(config: FunnelConfig | Json, leads: Lead[]): FunnelReport

/** Whether an email domain belongs to a free-mail provider (qq.com, 163.com, gmail.com…). */
export declare function isPersonalEmailDomain(domain: string): boolean

/** Validates a lead and returns it in canonical JSON form. */
export declare function loadLead(lead: Lead): Lead

/** Looks up the province / city of a mobile number's prefix. */
export declare function locatePhone(raw: string, regions: PhoneRegions | Json): Json

/** The MLG index: marketing-sourced new customers ÷ all new customers, per period and overall. */
export declare function mlgIndex(config: MlgConfig | Json, leads: Lead[]): MlgReport

/** Normalizes a company name (width, spaces, legal suffixes, region qualifiers). */
export declare function normalizeCompany(raw: string, options?: CompanyOptions | Json): Json

/** Normalizes an email address and tells whether it is a personal (free-mail) one. */
export declare function normalizeEmail(raw: string, options?: EmailOptions | Json): Json

/** Sorts events by time and drops duplicates by id. */
export declare function normalizeEvents(events: LeadEvent[]): LeadEvent[]

/** Parses a Chinese mobile number: normalized digits, carrier, or why it is invalid. */
export declare function normalizePhone(raw: string): Json

/**
 * The channel that owns each customer under the ownership rule, with the reason, and totals
 * per channel.
 */
export declare function ownership(config: OwnershipConfig | Json, journeys: Journey[]): OwnershipReport

/** The pipeline's allowed edges, all or those leaving `fromStage`. */
export declare function pipelineEdges(pipeline: Pipeline | Json, fromStage?: string | null): Json[]

/** Every gate's verdict for a lead, with per-criterion results. */
export declare function qualify(rules: RuleSet | Json, lead: Lead, now: Instant, options?: FactOptions): Json

/** One gate's verdict for a lead. */
export declare function qualifyGate(rules: RuleSet | Json, gate: string, lead: Lead, now: Instant, options?: FactOptions): Json

/** Time in each stage and stage velocity, from the lead's history. */
export declare function stageTimes(lead: Lead, now: Instant): Json

/** Cold, warm or hot for a score, with the reason. */
export declare function temperature(score: number, thresholds?: TemperatureThresholds | Json): Json

/** Moves a lead along an edge of the pipeline; returns the new lead, the change and reasons. */
export declare function transition(lead: Lead, request: Json, pipeline: Pipeline | Json, now: Instant): Json
