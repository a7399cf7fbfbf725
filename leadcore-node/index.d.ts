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

/** A tier of the combined score or of a source. */
export type Tier = 'low' | 'mid' | 'high'

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

/**
 * Which binding artifact the generated loader actually loaded: `'native'` for
 * a native addon, otherwise the `platformArchABI` of the WASI flavor. Every
 * flavor napi-rs can build is listed, because `NAPI_RS_NATIVE_LIBRARY_PATH`
 * can point the loader at a WASI artifact this package does not build itself.
 */
export declare const __napiBindingTarget: 'native' | 'wasm32-wasi' | 'wasm32-wasip1'

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

/**
 * Leads read and validated once (from lead objects or columns), for batch calls that score
 * the same leads again (new events, another `now`, another model): pass it wherever `leads`
 * is expected.
 */
export declare class LeadTable {
  /** Reads and validates the leads. */
  constructor(leads: Lead[] | LeadColumns)
  /** The number of leads. */
  get length(): number
  /** The leads as plain objects (what `JSON.stringify` writes). */
  toJSON(): Lead[]
}
export type JsLeadTable = LeadTable

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

/**
 * A scoring model (behavior, fit, source, combination, tiers), validated and compiled once;
 * its methods score without recompiling.
 */
export declare class ScoringModel {
  /**
   * Loads, validates and compiles a model from an object or JSON text (none: the empty
   * model); `{"preset": name}` loads a preset.
   */
  constructor(config?: Json)
  /** A preset leadcore ships, by name. */
  static preset(name: string): ScoringModel
  /** The names of the presets leadcore ships. */
  static presetNames(): Array<string>
  /** The model as a plain object (what `JSON.stringify` writes). */
  toJSON(): Json
  /** Whether two models are equal. */
  equals(other: ScoringModel): boolean
  /** Scores one lead from its events as of `now`. */
  scoreLead(lead: Lead, now: Instant, events?: LeadEvent[]): Json
  /** Scores many leads from row events matched by `lead_id`. */
  scoreBatch(leads: Lead[] | LeadTable, now: Instant, options?: BatchOptions): Json
  /** Scores many leads from columnar events, with full breakdowns. */
  scoreColumns(leads: Lead[] | LeadColumns | LeadTable, events: EventColumns, now: Instant, options?: ColumnOptions): Json
  /** Scores many leads from columnar events into typed arrays (the fast path). */
  scoreTable(leads: Lead[] | LeadColumns | LeadTable, events: EventColumns, now: Instant, options?: ColumnOptions): ScoreTableArrays
  /** The leads whose tier or MQL verdict would change if `proposed` replaced this model. */
  whatIf(proposed: ScoringModel | Json, leads: Lead[] | LeadTable, now: Instant, options?: WhatIfOptions): Json
}
export type JsScoringModel = ScoringModel

/** r" Source-channel quality: historical counts per source, prior, tiers, referral channels. */
export declare class SourceModel {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: Json)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): Json
  /** Whether two configs are equal. */
  equals(other: SourceModel): boolean
}
export type JsSourceModel = SourceModel

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

/** Options of `scoreBatch`. */
export interface BatchOptions {
  /** Row events of the leads (matched by `lead_id`; any order, duplicates allowed). */
  events?: LeadEvent[]
  /** Threads to use (default: all available); the result does not depend on it. */
  threads?: number
}

/** Options of the columnar calls. */
export interface ColumnOptions {
  /** Threads to use (default: all available); the result does not depend on it. */
  threads?: number
}

/** Converts a qualified lead into account, contact and opportunity records. */
export declare function convertLead(lead: Lead, mapping: FieldMapping | Json): Json

/** Duplicate clusters over a batch of leads, with survivors and the reason for each merge. */
export declare function dedupe(leads: Lead[], policy?: DedupPolicy | Json, events?: LeadEvent[]): Json

/** The lifecycle actions due for a lead at `now` (stale downgrades, expired cooldowns…). */
export declare function due(lead: Lead, events: LeadEvent[], pipeline: Pipeline | Json, now: Instant): Json[]

/** Evaluates one condition for a lead and explains every criterion. */
export declare function evaluateCondition(condition: Condition | Json, lead: Lead, now: Instant, options?: FactOptions): Json

/** Event kind names by code: the `kind` codes of the columnar path (`page_view` = 0 …). */
export declare function eventKinds(): EventKind[]

/** Optional arguments of the qualification calls. */
export interface FactOptions {
  /** The lead's events (any order, duplicates allowed). */
  events?: LeadEvent[]
  /** Named scores the conditions may reference (`{"score": "behavior", "gte": 50}`). */
  scores?: Record<string, number>
}

/** Fit grades by code, worst first (`F` = 0 … `A+` = 11): the `grade` codes of `scoreTable`. */
export declare function grades(): Array<string>

/** Whether an email domain belongs to a free-mail provider (qq.com, 163.com, gmail.com…). */
export declare function isPersonalEmailDomain(domain: string): boolean

/** Validates a lead and returns it in canonical JSON form. */
export declare function loadLead(lead: Lead): Lead

/** Looks up the province / city of a mobile number's prefix. */
export declare function locatePhone(raw: string, regions: PhoneRegions | Json): Json

/** Normalizes a company name (width, spaces, legal suffixes, region qualifiers). */
export declare function normalizeCompany(raw: string, options?: CompanyOptions | Json): Json

/** Normalizes an email address and tells whether it is a personal (free-mail) one. */
export declare function normalizeEmail(raw: string, options?: EmailOptions | Json): Json

/** Sorts events by time and drops duplicates by id. */
export declare function normalizeEvents(events: LeadEvent[]): LeadEvent[]

/** Parses a Chinese mobile number: normalized digits, carrier, or why it is invalid. */
export declare function normalizePhone(raw: string): Json

/** The pipeline's allowed edges, all or those leaving `fromStage`. */
export declare function pipelineEdges(pipeline: Pipeline | Json, fromStage?: string | null): Json[]

/** Every gate's verdict for a lead, with per-criterion results. */
export declare function qualify(rules: RuleSet | Json, lead: Lead, now: Instant, options?: FactOptions): Json

/** One gate's verdict for a lead. */
export declare function qualifyGate(rules: RuleSet | Json, gate: string, lead: Lead, now: Instant, options?: FactOptions): Json

/** Scores many leads from row events matched by `lead_id`. */
export declare function scoreBatch(model: ScoringModel | Json, leads: Lead[] | LeadTable, now: Instant, options?: BatchOptions): Json

/** Scores many leads from columnar events, with full breakdowns. */
export declare function scoreColumns(model: ScoringModel | Json, leads: Lead[] | LeadColumns | LeadTable, events: EventColumns, now: Instant, options?: ColumnOptions): Json

/** Scores one lead under `model` as of `now`. */
export declare function scoreLead(model: ScoringModel | Json, lead: Lead, now: Instant, events?: LeadEvent[]): Json

/** Scores many leads from columnar events into typed arrays (the fast path). */
export declare function scoreTable(model: ScoringModel | Json, leads: Lead[] | LeadColumns | LeadTable, events: EventColumns, now: Instant, options?: ColumnOptions): ScoreTableArrays

/** Compact scores of a batch: one entry per lead, in the order given. */
export interface ScoreTableArrays {
  /** Behavior score per lead. */
  behavior: Float64Array
  /** Fit score per lead. */
  fit: Float64Array
  /** Fit grade per lead, as a code into `grades()` (`F` = 0 … `A+` = 11). */
  grade: Uint8Array
  /** Source score per lead (0 without a source model). */
  source: Float64Array
  /** Combined score per lead. */
  combined: Float64Array
  /** Tier per lead, as a code into `tiers()` (−1: no tier). */
  tier: Int8Array
  /** The tier cutoffs used (`null` without tiers). */
  cutoffs: { high: number, mid: number } | null
  /** Events left out, by reason. */
  ignored: { future: number, missing_time: number, duplicates: number }
}

/** Counts leads and conversions per source from historical outcomes. */
export declare function sourceCounts(outcomes: { source: string, stage?: string | null }[], convertedStages: string[]): Json

/** Each source's smoothed conversion rate, score, rank, tier and route. */
export declare function sourceQuality(model: SourceModel | Json): Json

/** Time in each stage and stage velocity, from the lead's history. */
export declare function stageTimes(lead: Lead, now: Instant): Json

/** Cold, warm or hot for a score, with the reason. */
export declare function temperature(score: number, thresholds?: TemperatureThresholds | Json): Json

/**
 * Tiers by code (`low` = 0, `mid` = 1, `high` = 2; −1 is no tier): the `tier` codes of
 * `scoreTable`.
 */
export declare function tiers(): Tier[]

/** Moves a lead along an edge of the pipeline; returns the new lead, the change and reasons. */
export declare function transition(lead: Lead, request: Json, pipeline: Pipeline | Json, now: Instant): Json

/**
 * Evaluates a proposal `{current, proposed, mql}` on a population: the leads whose tier or
 * MQL verdict would change.
 */
export declare function whatIf(proposal: Json, leads: Lead[] | LeadTable, now: Instant, options?: BatchOptions): Json

/** Options of `ScoringModel.whatIf` (and of `whatIf`, which takes the gate in the proposal). */
export interface WhatIfOptions {
  /** Row events of the leads. */
  events?: LeadEvent[]
  /** The MQL gate, a condition (method only). */
  mql?: Condition | Json
  /** Threads to use (default: all available); the result does not depend on it. */
  threads?: number
}
