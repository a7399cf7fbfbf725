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

/** Converts a qualified lead into account, contact and opportunity records. */
export declare function convertLead(lead: Lead, mapping: FieldMapping | Json): Json

/** Duplicate clusters over a batch of leads, with survivors and the reason for each merge. */
export declare function dedupe(leads: Lead[], policy?: DedupPolicy | Json, events?: LeadEvent[]): Json

/** The lifecycle actions due for a lead at `now` (stale downgrades, expired cooldowns…). */
export declare function due(lead: Lead, events: LeadEvent[], pipeline: Pipeline | Json, now: Instant): Json[]

/** Evaluates one condition for a lead and explains every criterion. */
export declare function evaluateCondition(condition: Condition | Json, lead: Lead, now: Instant, options?: FactOptions): Json

/** Optional arguments of the qualification calls. */
export interface FactOptions {
  /** The lead's events (any order, duplicates allowed). */
  events?: LeadEvent[]
  /** Named scores the conditions may reference (`{"score": "behavior", "gte": 50}`). */
  scores?: Record<string, number>
}

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

/** Time in each stage and stage velocity, from the lead's history. */
export declare function stageTimes(lead: Lead, now: Instant): Json

/** Cold, warm or hot for a score, with the reason. */
export declare function temperature(score: number, thresholds?: TemperatureThresholds | Json): Json

/** Moves a lead along an edge of the pipeline; returns the new lead, the change and reasons. */
export declare function transition(lead: Lead, request: Json, pipeline: Pipeline | Json, now: Instant): Json
