/* leadcore's JSON data shapes (the same documents in Rust, Python and Node). */

/* The documents' shapes are generated from leadcore's JSON Schemas (schema.d.ts, `npm run types`);
 * configs are `<Class>Json` (`PipelineJson`, …), shapes written differently from how they are
 * read are `<Name>Output`. The hand-written shapes below are the binding's own (typed arrays,
 * `Date`s, errors). */
export * from './schema'
import type {
  AttrValue,
  AttributionConfigJson,
  AttributionReport,
  AttributionState,
  BatchScores,
  CapacityConfigJson,
  CapacityPlan,
  CapacitySimulation,
  Cell,
  Column,
  CompanyOptionsJson,
  CompanyParse,
  ConditionJson,
  Converted,
  CrossValidation,
  DedupDecision,
  DedupPolicyJson,
  DedupResult,
  Due,
  Edge,
  EmailOptionsJson,
  EmailParse,
  ErrorCategory,
  ErrorCode,
  Evaluation,
  EventKind,
  Exact,
  FeatureMatrix,
  FeatureSpecJson,
  FieldMappingJson,
  ForecastConfigJson,
  ForecastReport,
  FunnelConfigJson,
  FunnelReport,
  FunnelState,
  GateVerdict,
  Grade,
  Journey,
  JourneyExplanation,
  Label,
  Lead,
  LeadEvent,
  LeadEventOutput,
  LeadKey,
  LeadOutput,
  LeadRecordOutput,
  LeadScore,
  Metrics,
  Missing,
  MlgConfigJson,
  MlgReport,
  OwnershipConfigJson,
  OwnershipReport,
  PathCount,
  PhoneLocation,
  PhoneParse,
  PhoneRegionsJson,
  PipelineJson,
  PlanInput,
  PoolApplied,
  PoolDayReport,
  PoolDue,
  PoolLogEntry,
  PoolNeeds,
  PoolPolicyJson,
  PoolRequest,
  PoolRowsApplied,
  PoolStateJson,
  PoolStateJsonOutput,
  PredictiveModelJson,
  ProposalJson,
  Qualification,
  Records,
  RoiConfigJson,
  RoiReport,
  RouteDecision,
  Row,
  RuleSetJson,
  ScoredLead,
  ScoringModelJson,
  Simulation,
  Source,
  SourceCount,
  SourceModelJson,
  SourceOutcome,
  SourceTable,
  Spend,
  Stage,
  StageTimes,
  Target,
  TemperatureThresholdsJson,
  TemperatureVerdict,
  Tier,
  TierThresholds,
  TrainConfigJson,
  TrainingMetadata,
  TrainingSet,
  TransitionRequest,
  Transitioned,
  WhatIf,
} from './schema'

/** An instant: a `Date`, or RFC 3339 text with an offset. Results use RFC 3339 UTC text. */
export type Instant = Date | string

/** Any JSON document (configs, results). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** Base class of every error a leadcore function throws (`instanceof` works). */
export declare class LeadcoreError extends Error {
  /** Stable code, e.g. `naive_datetime`: branch on it, not on the message. */
  readonly code: ErrorCode
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

/** One feature column. */
export interface FeatureColumn {
  name: string
  group: string
  level?: string
}

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

/**
 * A dictionary-encoded column (the fast form for repeated text): entry `i` is
 * `values[codes[i]]`; code −1 is a missing cell.
 */
export interface DictionaryColumn<T> {
  codes: Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array
  values: (T | null)[]
}

/** An integer column: an integer typed array, or whole numbers (`null` missing). */
export type IntegerColumn =
  | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array
  | BigInt64Array | BigUint64Array | (number | null)[]

/**
 * Leads as columns, one entry per lead (the fast form for large batches), read through the
 * core's table layer like an Arrow lead table: errors name the column and row
 * (`leads.created_at[3]`). Missing cells (`null`, `undefined`, NaN, code −1) are left out of
 * the lead. Nested objects flatten (`source: {channel}` is the column `source.channel`); any
 * other column is an attribute.
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

/**
 * Path counts as columns of equal length, read through the core's table layer like an Arrow
 * table: errors name the column and row (`paths.conversions[3]`). Counts are whole numbers.
 */
export interface PathColumns {
  path: (string | null)[] | DictionaryColumn<string>
  conversions?: Float64Array | IntegerColumn
  nulls?: Float64Array | IntegerColumn
  value?: Float64Array | Float32Array | IntegerColumn
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
  at: Float64Array | BigInt64Array | Array<number | Date | string | null>
  first_touch?: boolean[] | Uint8Array
  lead_created?: boolean[] | Uint8Array
  opportunity_created?: boolean[] | Uint8Array
  closed_won?: boolean[] | Uint8Array
  converted?: boolean[] | Uint8Array
  value?: Float64Array | Float32Array | IntegerColumn
}

/* Funnel and money */


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
  constructor(config: AttributionConfig | AttributionConfigJson)
  /** The configuration. */
  get config(): AttributionConfig
  /** Adds one journey (errors name it `journey`). */
  addJourney(journey: Journey): void
  /**
   * Adds journeys (errors name them `journeys[i]`); stops at the first bad one, the ones
   * before it stay added.
   */
  addJourneys(journeys: Journey[]): void
  /**
   * Adds the journeys of a long touch table, one row per touch (`TouchColumns`: typed
   * arrays or arrays). Rows with the same `journey_id` are one journey, added in order of
   * first appearance; the same state as `addJourneys` with the equivalent journeys. Errors
   * name the column and row (`touches.at[17]`); stops at the first bad journey, the ones
   * before it stay added.
   */
  addJourneyColumns(touches: TouchColumns | Uint8Array): void
  /** Adds one path count (errors name it `path`). */
  addPath(path: PathCount): void
  /**
   * Adds path counts, rows or a table (errors name `paths[i]` / `paths.value[i]`); stops at
   * the first bad row or batch, the ones before it stay added.
   */
  addPaths(paths: PathCount[] | PathColumns | Uint8Array): void
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
  toJSON(): AttributionState
  /** An accumulator from `toJSON()` output, as an object or JSON text. */
  static fromJSON(state: AttributionState): AttributionAccumulator
}
export type JsAttributionAccumulator = AttributionAccumulator

/** r" Which attribution models to run, at which level (channel or campaign). */
export declare class AttributionConfig {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: AttributionConfigJson | string)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): AttributionConfigJson
  /** Whether two configs are equal. */
  equals(other: AttributionConfig): boolean
}
export type JsAttributionConfig = AttributionConfig

/** r" Stage conversion rates, role capacities, deal size and cost per lead. */
export declare class CapacityConfig {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: CapacityConfigJson | string)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): CapacityConfigJson
  /** Whether two configs are equal. */
  equals(other: CapacityConfig): boolean
}
export type JsCapacityConfig = CapacityConfig

/** r" Company-name normalization options (legal suffixes, region qualifiers). */
export declare class CompanyOptions {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: CompanyOptionsJson | string)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): CompanyOptionsJson
  /** Whether two configs are equal. */
  equals(other: CompanyOptions): boolean
}
export type JsCompanyOptions = CompanyOptions

/** r" One condition of the condition language. */
export declare class Condition {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: ConditionJson | string)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): ConditionJson
  /** Whether two configs are equal. */
  equals(other: Condition): boolean
}
export type JsCondition = Condition

/** r" Which keys make two leads duplicates, and which one survives. */
export declare class DedupPolicy {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: DedupPolicyJson | string)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): DedupPolicyJson
  /** Whether two configs are equal. */
  equals(other: DedupPolicy): boolean
}
export type JsDedupPolicy = DedupPolicy

/** r" Email normalization options (gmail dots, plus tags). */
export declare class EmailOptions {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: EmailOptionsJson | string)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): EmailOptionsJson
  /** Whether two configs are equal. */
  equals(other: EmailOptions): boolean
}
export type JsEmailOptions = EmailOptions

/** r" Which features are built from a lead and its events. */
export declare class FeatureSpec {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: FeatureSpecJson | string)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): FeatureSpecJson
  /** Whether two configs are equal. */
  equals(other: FeatureSpec): boolean
}
export type JsFeatureSpec = FeatureSpec

/** r" A lead → account + contact + opportunity field mapping. */
export declare class FieldMapping {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: FieldMappingJson | string)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): FieldMappingJson
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
  constructor(config?: ForecastConfigJson | string)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): ForecastConfigJson
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
  constructor(config: FunnelConfig | FunnelConfigJson)
  /** The configuration. */
  get config(): FunnelConfig
  /** Adds one lead (errors name it `lead`). */
  addLead(lead: Lead): void
  /**
   * Adds leads (errors name them `leads[i]`); stops at the first bad one, the ones before
   * it stay added.
   */
  addLeads(leads: Lead[] | Uint8Array): void
  /** Adds everything `other` accumulated (same configuration required). */
  merge(other: FunnelAccumulator): void
  /** The funnel so far (the accumulator is unchanged and can keep adding). */
  finish(): FunnelReport
  /** The state in the compact binary form. */
  toBytes(): Buffer
  /** An accumulator from `toBytes()` output (a `Buffer` or `Uint8Array`). */
  static fromBytes(data: Uint8Array): FunnelAccumulator
  /** The state as a plain object (what `JSON.stringify` writes). */
  toJSON(): FunnelState
  /** An accumulator from `toJSON()` output, as an object or JSON text. */
  static fromJSON(state: FunnelState): FunnelAccumulator
}
export type JsFunnelAccumulator = FunnelAccumulator

/** r" Funnel stages, time basis, period size, UTC offset and dimensions. */
export declare class FunnelConfig {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: FunnelConfigJson | string)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): FunnelConfigJson
  /** Whether two configs are equal. */
  equals(other: FunnelConfig): boolean
}
export type JsFunnelConfig = FunnelConfig

/**
 * Leads read and validated once (from lead objects or columns), for batch calls that score
 * the same leads again (new events, another `now`, another model): pass it wherever `leads`
 * is expected.
 */
export declare class LeadTable {
  /** Reads and validates the leads. */
  constructor(leads: Lead[] | LeadColumns | Uint8Array)
  /** The number of leads. */
  get length(): number
  /** The leads as plain objects (what `JSON.stringify` writes). */
  toJSON(): LeadOutput[]
}
export type JsLeadTable = LeadTable

/** r" The customer stage and the channels that count as marketing. */
export declare class MlgConfig {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: MlgConfigJson | string)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): MlgConfigJson
  /** Whether two configs are equal. */
  equals(other: MlgConfig): boolean
}
export type JsMlgConfig = MlgConfig

/** r" The ownership rule's window (default 3 months). */
export declare class OwnershipConfig {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: OwnershipConfigJson | string)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): OwnershipConfigJson
  /** Whether two configs are equal. */
  equals(other: OwnershipConfig): boolean
}
export type JsOwnershipConfig = OwnershipConfig

/** r" A host-supplied table of 7-digit mobile prefixes → province / city. */
export declare class PhoneRegions {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: PhoneRegionsJson | string)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): PhoneRegionsJson
  /** Whether two configs are equal. */
  equals(other: PhoneRegions): boolean
}
export type JsPhoneRegions = PhoneRegions

/** r" A stage pipeline: ordered stages, allowed edges and lifecycle policies. */
export declare class Pipeline {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: PipelineJson | string)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): PipelineJson
  /** Whether two configs are equal. */
  equals(other: Pipeline): boolean
  /** A preset leadcore ships, by name. */
  static preset(name: string): Pipeline
  /** The names of the presets leadcore ships. */
  static presetNames(): Array<string>
}
export type JsPipeline = Pipeline

/**
 * A validated lead-pool policy (pools, reps, teams, caps, protection, reclaim, escalation,
 * routing, SLA timers, nurture cadences), compiled once and shared by every call that takes
 * it. Wherever a policy is expected, a plain object or JSON text also works (compiled for
 * that call).
 */
export declare class PoolPolicy {
  /** Loads, validates and compiles the policy from an object or JSON text. */
  constructor(config: PoolPolicyJson | string)
  /** The policy's config as a plain object, normalized (what `JSON.stringify` writes). */
  toJSON(): PoolPolicyJson
  /** Whether two policies have equal configs. */
  equals(other: PoolPolicy): boolean
  /**
   * Identifies the policy (16 hex digits of a hash of its canonical JSON); log entries carry
   * it, and replay refuses entries written under a policy it was not given.
   */
  get fingerprint(): string
}
export type JsPoolPolicy = PoolPolicy

/**
 * Where lead pools live for a JS host: every lead's holder, protection clock and history, the
 * reps' counters and the teams' rotations. Changed only by `apply` and `tick`;
 * `JSON.stringify(state)` gives its canonical JSON (via `toJSON`).
 */
export declare class PoolState {
  /** A state from its plain-object form or JSON text (none / `null`: the empty state). */
  constructor(state?: PoolStateJson | string | null)
  /** A state from its plain-object form (`toJSON`) or its JSON text (`toJSONString`). */
  static fromJSON(state: PoolStateJson | string): PoolState
  /** The state as a plain object: canonical JSON shape (sorted keys), what the host persists. */
  toJSON(): PoolStateJsonOutput
  /**
   * The state as compact JSON text, serialized directly: much faster than
   * `JSON.stringify(state)` for a large state (the same state always gives the same bytes:
   * leads and reps sorted by id, record fields in a fixed order).
   */
  toJSONString(): string
  /** An independent copy. */
  clone(): PoolState
  /** Whether two states are equal (leads, counters, rotations, clock). */
  equals(other: PoolState): boolean
  /** Number of leads in the state. */
  get size(): number
  /** The time of the last accepted command or tick (RFC 3339 UTC), or `null`. */
  get clock(): string | null
  /** The earliest time `tick` has something to do (RFC 3339 UTC), or `null`. */
  get nextCheckAt(): string | null
  /** A lead's record (holder, ownership history, deadlines…), or `null`. */
  lead(lead: string): LeadRecordOutput | null
  /** Every lead id, sorted. */
  leadIds(): Array<string>
  /** How many leads a rep owns now. */
  holdings(rep: string): number
  /**
   * Applies one command (`{type: 'claim', lead, rep}`…, optionally with an `id`) at `now`,
   * in place: `{effects, reasons, decisions?, next_check_at, at}`. A retried `id` answers with
   * the earlier outcome (`duplicate: true`). A refused command throws (with `code`) and
   * changes nothing.
   */
  apply(policy: PoolPolicy | PoolPolicyJson | string, command: PoolRequest, now: Instant): PoolApplied
  /**
   * Applies an array of commands at `now`, all or nothing: one result per command, or a
   * thrown error and the state exactly as before.
   */
  applyAll(policy: PoolPolicy | PoolPolicyJson | string, commands: PoolRequest[], now: Instant): PoolApplied[]
  /** What `tick` would do at `at` (a simulated future), without changing the state. */
  tickPreview(policy: PoolPolicy | PoolPolicyJson | string, at: Instant): PoolApplied
  /**
   * Performs every automatic action due at `now` (reclaims, warnings, waiting leads routed),
   * in place; the same result shape as `apply`. Idempotent at the same `now`.
   */
  tick(policy: PoolPolicy | PoolPolicyJson | string, now: Instant): PoolApplied
  /** The SLA timers due or overdue and the nurture steps due at `now`: `{timers, nurture}`. */
  due(policy: PoolPolicy | PoolPolicyJson | string, now: Instant): PoolDue
  /** Where a lead would be routed now, and why (rules, candidates, skips); changes nothing. */
  assignPreview(policy: PoolPolicy | PoolPolicyJson | string, lead: Lead, now: Instant): RouteDecision
  /**
   * Routes a day of arrivals on a copy of the state under `policy` (a candidate policy for
   * a what-if) and reports the distribution per rep and per rule; changes nothing.
   */
  simulateDay(policy: PoolPolicy | PoolPolicyJson | string, arrivals: Lead[]): PoolDayReport
  /** Recomputes every lead's next check under `policy`; call it after changing the policy. */
  reschedule(policy: PoolPolicy | PoolPolicyJson | string): void
  /**
   * Replays a command log (`{op: 'apply', at, command, id?, policy?}` / `{op: 'tick', at,
   * leads?}`) from `state` (a `PoolState`, which is not changed, or its plain object;
   * default: empty), all or nothing: the new state and one result per entry. `policy` may
   * be an array: each entry runs under the policy whose fingerprint it carries.
   */
  static replay(policy: PoolPolicy | PoolPolicyJson | string | Array<PoolPolicy | PoolPolicyJson | string>, log: PoolLogEntry[], state?: PoolState | PoolStateJson | null): PoolReplay
  /**
   * Replays a log kept as JSON lines (one entry per line), parsed and applied in the core
   * line by line: the new state.
   */
  static replayJsonl(policy: PoolPolicy | PoolPolicyJson | string | Array<PoolPolicy | PoolPolicyJson | string>, text: string, state?: PoolState | PoolStateJson | null): PoolState
}
export type JsPoolState = PoolState

/**
 * A trained predictive lead-scoring model: its feature spec and encoding, estimators,
 * calibration, tiers and training metadata. Immutable.
 *
 * Loads from its JSON document (`new PredictiveModel(doc)`, object or text) or binary form
 * (`PredictiveModel.fromBytes(buffer)`); `JSON.stringify(model)` writes the document.
 */
export declare class PredictiveModel {
  /** Loads a model from its JSON document (an object or JSON text). */
  constructor(model: PredictiveModelJson | string)
  /** Loads a model from its binary form (a `Buffer` or `Uint8Array`). */
  static fromBytes(bytes: Uint8Array): PredictiveModel
  /** The model in its compact, checksummed binary form. */
  toBytes(): Buffer
  /** The model's JSON document (what `JSON.stringify` writes). */
  toJSON(): PredictiveModelJson
  /** Whether two models are equal. */
  equals(other: PredictiveModel): boolean
  /**
   * Scores leads as of `now`: one score per lead, in input order, with the probability, tier,
   * the model used and the top positive and negative factors.
   */
  score(leads: Lead[] | Uint8Array, events: LeadEvent[] | Uint8Array, now: Instant, options?: ThreadOptions): LeadScore[]
  /** The model's feature matrix for `leads` as of `now`, row-major. */
  buildFeatures(leads: Lead[] | Uint8Array, events: LeadEvent[] | Uint8Array, now: Instant, options?: ThreadOptions): FeatureArray
  /**
   * Probabilities for a feature matrix in `featureNames` order (the fast path: no
   * explanations): a row-major `Float64Array` with `options.rows` and `options.columns`
   * (`NaN`: missing), or an array of rows (`null`: missing).
   */
  predictProba(x: Float64Array | Array<Array<number | null>>, options?: PredictOptions): Float64Array
  /** The feature column names, in matrix order. */
  get featureNames(): Array<string>
  /** What the model was trained on and how well it did. */
  get metadata(): TrainingMetadata
  /** The holdout metrics, or `null` without a holdout. */
  get metrics(): Metrics | null
  /** The probability thresholds of the `high` and `mid` tiers. */
  get tiers(): TierThresholds
  /** The training config (with the feature spec) stored in the model. */
  get config(): TrainConfig
  /** The model file format version. */
  get formatVersion(): number
}
export type JsPredictiveModel = PredictiveModel

/** r" The ROI chain: a funnel, the spend dimension and the revenue stage. */
export declare class RoiConfig {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: RoiConfigJson | string)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): RoiConfigJson
  /** Whether two configs are equal. */
  equals(other: RoiConfig): boolean
}
export type JsRoiConfig = RoiConfig

/** r" Qualification gates (MQL, SQL, SAL…), each a condition. */
export declare class RuleSet {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: RuleSetJson | string)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): RuleSetJson
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
  constructor(config?: ScoringModelJson | string)
  /** A preset leadcore ships, by name. */
  static preset(name: string): ScoringModel
  /** The names of the presets leadcore ships. */
  static presetNames(): Array<string>
  /** The model as a plain object (what `JSON.stringify` writes). */
  toJSON(): ScoringModelJson
  /** Whether two models are equal. */
  equals(other: ScoringModel): boolean
  /** Scores one lead from its events as of `now`. */
  scoreLead(lead: Lead, events: LeadEvent[] | Uint8Array | null | undefined, now: Instant): ScoredLead
  /**
   * Scores many leads from row events matched by `lead_id`, or from an event table as Arrow
   * IPC bytes (`lead_id`, `kind`, `at`, …; see `scoreColumns`): the same scores.
   */
  scoreBatch(leads: Lead[] | LeadTable | Uint8Array, events: LeadEvent[] | Uint8Array | null | undefined, now: Instant, options?: ThreadOptions): BatchScores
  /** Scores many leads from columnar events, with full breakdowns. */
  scoreColumns(leads: Lead[] | LeadColumns | LeadTable | Uint8Array, events: EventColumns | Uint8Array, now: Instant, options?: ThreadOptions): BatchScores
  /** Scores many leads from columnar events into typed arrays (the fast path). */
  scoreTable(leads: Lead[] | LeadColumns | LeadTable | Uint8Array, events: EventColumns | Uint8Array, now: Instant, options?: ThreadOptions): ScoreTableArrays
  /** The leads whose tier or MQL verdict would change if `proposed` replaced this model. */
  whatIf(proposed: ScoringModel | ScoringModelJson, leads: Lead[] | LeadTable | Uint8Array, events: LeadEvent[] | Uint8Array | null | undefined, now: Instant, options?: WhatIfOptions): WhatIf
}
export type JsScoringModel = ScoringModel

/** r" Source-channel quality: historical counts per source, prior, tiers, referral channels. */
export declare class SourceModel {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: SourceModelJson | string)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): SourceModelJson
  /** Whether two configs are equal. */
  equals(other: SourceModel): boolean
}
export type JsSourceModel = SourceModel

/** r" Score thresholds for cold / warm / hot. */
export declare class TemperatureThresholds {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: TemperatureThresholdsJson | string)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): TemperatureThresholdsJson
  /** Whether two configs are equal. */
  equals(other: TemperatureThresholds): boolean
}
export type JsTemperatureThresholds = TemperatureThresholds

/** r" How a model is trained: features, estimator, seed, holdout, calibration, tiers, segments. */
export declare class TrainConfig {
  /** Loads and validates the config from an object or JSON text (none: the defaults). */
  constructor(config?: TrainConfigJson | string)
  /** The config as a plain object (what `JSON.stringify` writes). */
  toJSON(): TrainConfigJson
  /** Whether two configs are equal. */
  equals(other: TrainConfig): boolean
}
export type JsTrainConfig = TrainConfig

/** Every error code leadcore can throw, sorted. */
export declare function allErrorCodes(): Array<string>

/**
 * Credits per channel (or campaign) under every configured model, from journeys and/or path
 * counts.
 */
export declare function attribute(config: AttributionConfig | AttributionConfigJson, input: AttributeInput): AttributionReport

/** Inputs of `attribute`. */
export interface AttributeInput {
  /** Journeys (touchpoints with times and milestones, outcome, value). */
  journeys?: Journey[]
  /** Path counts: an array of `{path, conversions, nulls, value}` or a table of columns. */
  paths?: PathCount[] | PathColumns | Uint8Array
  /**
   * Threads to split the work over (the same result, bit for bit); default: the available
   * parallelism.
   */
  threads?: number
}

/**
 * Builds the training set: the learned encoding, one feature row per label (as of its
 * cut-off, column-major) and the labels.
 */
export declare function buildTrainingSet(spec: FeatureSpec | FeatureSpecJson, leads: Lead[] | Uint8Array, events: LeadEvent[] | Uint8Array, labels: Label[], options?: ThreadOptions): TrainingSet

/**
 * The capacity plan simulated with a seed: percentiles of leads, stage volumes, revenue, cost
 * and heads.
 */
export declare function capacityMonteCarlo(config: CapacityConfig | CapacityConfigJson, plan: PlanInput, simulation?: Simulation): CapacitySimulation

/** Leads needed for a revenue target (or volumes for a lead count) and headcount per role. */
export declare function capacityPlan(config: CapacityConfig | CapacityConfigJson, plan: PlanInput): CapacityPlan

/**
 * Channel ROI: spend → leads → MQL → … → payment per channel and period, with cost per stage,
 * revenue and ROI.
 */
export declare function channelRoi(config: RoiConfig | RoiConfigJson, leads: Lead[] | Uint8Array, spend?: Spend[]): RoiReport

/** Converts a qualified lead into account, contact and opportunity records. */
export declare function convertLead(mapping: FieldMapping | FieldMappingJson, lead: Lead): Converted

/** Stratified k-fold cross-validation of a training config: metrics per fold, mean and std. */
export declare function crossValidate(config: TrainConfig | TrainConfigJson, leads: Lead[] | Uint8Array, events: LeadEvent[] | Uint8Array, labels: Label[], folds: number, options?: ThreadOptions): CrossValidation

/** Duplicate clusters over a batch of leads, with survivors and the reason for each merge. */
export declare function dedupe(leads: Lead[] | Uint8Array, events?: LeadEvent[] | null, policy?: DedupPolicy | DedupPolicyJson): DedupResult

/**
 * The normalized keys of one lead (what `dedupe` matches on) as text for a lookup table:
 * `[{key, kind, value, contact}]`, e.g. `phone:13800138000`.
 */
export declare function dedupeKeys(lead: Lead, policy?: DedupPolicy | DedupPolicyJson): LeadKey[]

/**
 * Whether one lead duplicates any of its candidates: `{id, duplicate, cluster, values}`, the
 * cluster as `dedupe([...candidates, lead])` reports it.
 */
export declare function dedupeOne(lead: Lead, candidates: Lead[], events?: LeadEvent[] | null, policy?: DedupPolicy | DedupPolicyJson): DedupDecision

/** The lifecycle actions due for a lead at `now` (stale downgrades, expired cooldowns…). */
export declare function due(pipeline: Pipeline | PipelineJson, lead: Lead, events: LeadEvent[], now: Instant): Due[]

/**
 * Holdout metrics of probabilities against outcomes: ROC AUC, PR AUC, log loss, Brier,
 * calibration deciles, top-decile lift, precision / recall at the tier thresholds.
 */
export declare function evaluate(tiers: TierThresholds, scores: number[] | Float64Array, labels: boolean[]): Metrics

/** Evaluates one condition for a lead and explains every criterion. */
export declare function evaluateCondition(condition: Condition | ConditionJson, lead: Lead, events: LeadEvent[] | null | undefined, now: Instant, options?: FactOptions): Evaluation

/** Event kind names by code: the `kind` codes of the columnar path (`page_view` = 0 …). */
export declare function eventKinds(): EventKind[]

/**
 * How each heuristic model splits one journey's credit over its touches, with each touch's
 * role.
 */
export declare function explainJourney(config: AttributionConfig | AttributionConfigJson, journey: Journey): JourneyExplanation

/** Optional arguments of the qualification calls. */
export interface FactOptions {
  /** Named scores the conditions may reference (`{"score": "behavior", "gte": 50}`). */
  scores?: Record<string, number>
}

/** A row-major feature matrix: `data[row * columns + column]`, `NaN` for missing values. */
export interface FeatureArray {
  /** The values, row after row. */
  data: Float64Array
  /** Rows (leads). */
  rows: number
  /** Columns (features), in `featureNames` order. */
  columns: number
  /** The column names. */
  featureNames: Array<string>
}

/** The weighted pipeline forecast: Σ amount × stage probability by period and rep. */
export declare function forecast(config: ForecastConfig | ForecastConfigJson, leads: Lead[] | Uint8Array): ForecastReport

/**
 * The funnel of `leads`: counts, conversion, time in stage and amounts per stage, by period
 * and dimension.
 */
export declare function funnel(config: FunnelConfig | FunnelConfigJson, leads: Lead[] | Uint8Array): FunnelReport

/** Fit grades by code, worst first (`F` = 0 … `A+` = 11): the `grade` codes of `scoreTable`. */
export declare function grades(): Array<string>

/** Whether an email domain belongs to a free-mail provider (qq.com, 163.com, gmail.com…). */
export declare function isPersonalEmailDomain(domain: string): boolean

/** Validates a lead and returns it in canonical JSON form. */
export declare function loadLead(lead: Lead): LeadOutput

/** Looks up the province / city of a mobile number's prefix. */
export declare function locatePhone(regions: PhoneRegions | PhoneRegionsJson, raw: string): PhoneLocation

/** The MLG index: marketing-sourced new customers ÷ all new customers, per period and overall. */
export declare function mlgIndex(config: MlgConfig | MlgConfigJson, leads: Lead[] | Uint8Array): MlgReport

/** Normalizes a company name (width, spaces, legal suffixes, region qualifiers). */
export declare function normalizeCompany(raw: string, options?: CompanyOptions | CompanyOptionsJson): CompanyParse

/** Normalizes an email address and tells whether it is a personal (free-mail) one. */
export declare function normalizeEmail(raw: string, options?: EmailOptions | EmailOptionsJson): EmailParse

/** Sorts events by time and drops duplicates by id. */
export declare function normalizeEvents(events: LeadEvent[]): LeadEventOutput[]

/** Parses a phone number: a Chinese mobile's 11 digits and carrier, another's E.164, or why not. */
export declare function normalizePhone(raw: string): PhoneParse

/**
 * The channel that owns each customer under the ownership rule, with the reason, and totals
 * per channel.
 */
export declare function ownership(config: OwnershipConfig | OwnershipConfigJson, journeys: Journey[]): OwnershipReport

/** The pipeline's allowed edges, all or those leaving `fromStage`. */
export declare function pipelineEdges(pipeline: Pipeline | PipelineJson, fromStage?: string | null): Edge[]

/**
 * Applies one command to a state given as a plain object (`null`: empty):
 * `{state, effects, reasons, decisions?, next_check_at}` with the new state as a plain object.
 */
export declare function poolApply(state: PoolStateJson | null | undefined, policy: PoolPolicy | PoolPolicyJson | string, command: PoolRequest, now: Instant): PoolApplied & { state: PoolStateJsonOutput }

/**
 * Applies `commands` (one or an array; each may carry an `id`) at `now` to the records given,
 * all or nothing: `{results, rows, log}`. Write every row in one transaction with a
 * compare-and-set on `expected` (0: insert; no `record`: delete, or only verify when
 * `check`), append `log`, and on a conflict start again from loading.
 */
export declare function poolApplyRows(records: PoolRecords | string | null | undefined, policy: PoolPolicy | PoolPolicyJson | string, commands: PoolRequest | PoolRequest[], now: Instant, options?: RowsOptions): PoolRowsApplied

/** `PoolState.assignPreview` on a state given as a plain object: the routing decision. */
export declare function poolAssignPreview(state: PoolStateJson | null | undefined, policy: PoolPolicy | PoolPolicyJson | string, lead: Lead, now: Instant): RouteDecision

/** `PoolState.due` on a state given as a plain object: `{timers, nurture}`. */
export declare function poolDue(state: PoolStateJson | null | undefined, policy: PoolPolicy | PoolPolicyJson | string, now: Instant): PoolDue

/**
 * The records `commands` (one command or an array) can touch, given the records loaded so
 * far: `{leads, reps, teams}` id lists. Call it without records to learn the lead ids, then
 * with the lead rows to learn the reps and teams. With `now`, routing rules are evaluated at
 * that time (otherwise every rule that could match counts).
 */
export declare function poolNeeds(records: PoolRecords | string | null | undefined, policy: PoolPolicy | PoolPolicyJson | string, commands: PoolRequest | PoolRequest[], now?: Instant | null): PoolNeeds

/**
 * Replays a command log from a state given as a plain object (`null`: empty):
 * `{state, results}` with the state as a plain object.
 */
export declare function poolReplay(state: PoolStateJson | null | undefined, policy: PoolPolicy | PoolPolicyJson | string | Array<PoolPolicy | PoolPolicyJson | string>, log: PoolLogEntry[]): { state: PoolStateJsonOutput; results: PoolApplied[] }

/** A replayed log: the new state and one result per entry. */
export interface PoolReplay {
  /** The state the log rebuilt. */
  state: PoolState
  /** One result per entry, in order. */
  results: PoolApplied[]
}

/**
 * Recomputes the next check of the lead rows given under `policy` (after a policy change that
 * moves deadlines): `{results: [], rows, log}` with the leads whose `due_at` moved.
 */
export declare function poolRescheduleRows(records: PoolRecords | string, policy: PoolPolicy | PoolPolicyJson | string, options?: RowsOptions): PoolRowsApplied

/** `PoolState.simulateDay` on a state given as a plain object: the day report. */
export declare function poolSimulateDay(state: PoolStateJson | null | undefined, policy: PoolPolicy | PoolPolicyJson | string, arrivals: Lead[]): PoolDayReport

/** `PoolState.tick` on a state given as a plain object: `{state, effects, reasons, …}`. */
export declare function poolTick(state: PoolStateJson | null | undefined, policy: PoolPolicy | PoolPolicyJson | string, now: Instant): PoolApplied & { state: PoolStateJsonOutput }

/** The records a tick of the leads given can touch: `{leads, reps, teams}`. */
export declare function poolTickNeeds(records: PoolRecords | string, policy: PoolPolicy | PoolPolicyJson | string, now?: Instant | null): PoolNeeds

/**
 * Ticks the leads given whose `due_at` has come, with the records they need: `{results,
 * rows, log}` as `poolApplyRows`.
 */
export declare function poolTickRows(records: PoolRecords | string, policy: PoolPolicy | PoolPolicyJson | string, now: Instant, options?: RowsOptions): PoolRowsApplied

/** Options of `PredictiveModel.predictProba`. */
export interface PredictOptions {
  /** Rows of a `Float64Array` input (required with one). */
  rows?: number
  /** Columns of a `Float64Array` input (required with one): the model's feature count. */
  columns?: number
  /** Each row's segment value for a segmented model (absent: every row uses the global model). */
  segments?: Array<string | null>
  /** Threads; the result does not depend on it. */
  threads?: number
}

/** Every gate's verdict for a lead, with per-criterion results. */
export declare function qualify(rules: RuleSet | RuleSetJson, lead: Lead, events: LeadEvent[] | null | undefined, now: Instant, options?: FactOptions): Qualification

/** One gate's verdict for a lead. */
export declare function qualifyGate(rules: RuleSet | RuleSetJson, gate: string, lead: Lead, events: LeadEvent[] | null | undefined, now: Instant, options?: FactOptions): GateVerdict

/** Options of the row-level calls. */
export interface RowsOptions {
  /** Each row's `record` as JSON text (what a text column stores). */
  text?: boolean
}

/**
 * Scores many leads from row events matched by `lead_id`, or from an event table as Arrow IPC
 * bytes (`lead_id`, `kind`, `at`, …; see `scoreColumns`): the same scores.
 */
export declare function scoreBatch(model: ScoringModel | ScoringModelJson, leads: Lead[] | LeadTable | Uint8Array, events: LeadEvent[] | Uint8Array | null | undefined, now: Instant, options?: ThreadOptions): BatchScores

/** Scores many leads from columnar events, with full breakdowns. */
export declare function scoreColumns(model: ScoringModel | ScoringModelJson, leads: Lead[] | LeadColumns | LeadTable | Uint8Array, events: EventColumns | Uint8Array, now: Instant, options?: ThreadOptions): BatchScores

/** Scores one lead under `model` as of `now`. */
export declare function scoreLead(model: ScoringModel | ScoringModelJson, lead: Lead, events: LeadEvent[] | Uint8Array | null | undefined, now: Instant): ScoredLead

/** Scores many leads from columnar events into typed arrays (the fast path). */
export declare function scoreTable(model: ScoringModel | ScoringModelJson, leads: Lead[] | LeadColumns | LeadTable | Uint8Array, events: EventColumns | Uint8Array, now: Instant, options?: ThreadOptions): ScoreTableArrays

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
  /** Events of an event table whose `lead_id` is no lead's (left out). */
  unmatched_events: number
}

/** Counts leads and conversions per source from historical outcomes. */
export declare function sourceCounts(convertedStages: string[], outcomes: { source: string, stage?: string | null }[]): Record<string, SourceCount>

/** Each source's smoothed conversion rate, score, rank, tier and route. */
export declare function sourceQuality(model: SourceModel | SourceModelJson): SourceTable

/** Time in each stage and stage velocity, from the lead's history. */
export declare function stageTimes(lead: Lead, now: Instant): StageTimes

/** Cold, warm or hot for a score, with the reason. */
export declare function temperature(score: number, thresholds?: TemperatureThresholds | TemperatureThresholdsJson): TemperatureVerdict

/** How many threads a call may use (absent: the available parallelism). */
export interface ThreadOptions {
  /** Threads; the result does not depend on it. */
  threads?: number
}

/**
 * Tiers by code (`low` = 0, `mid` = 1, `high` = 2; −1 is no tier): the `tier` codes of
 * `scoreTable`.
 */
export declare function tiers(): Tier[]

/**
 * Trains a model on labelled leads (features as of each label's cut-off); `trainedAt` is
 * recorded in the model.
 */
export declare function train(config: TrainConfig | TrainConfigJson, leads: Lead[] | Uint8Array, events: LeadEvent[] | Uint8Array, labels: Label[], trainedAt: Instant, options?: ThreadOptions): PredictiveModel

/**
 * Trains on a training set as `buildTrainingSet` returns it (`encoding`, `features`,
 * `labels`).
 */
export declare function trainSet(config: TrainConfig | TrainConfigJson, trainingSet: TrainingSet, trainedAt: Instant, options?: TrainSetOptions): PredictiveModel

/** Options of `trainSet`. */
export interface TrainSetOptions {
  /** Each row's segment value (absent: none). */
  segments?: Array<string | null>
  /** Threads; the result does not depend on it. */
  threads?: number
}

/** Moves a lead along an edge of the pipeline; returns the new lead, the change and reasons. */
export declare function transition(pipeline: Pipeline | PipelineJson, lead: Lead, request: TransitionRequest, now: Instant): Transitioned

/**
 * Evaluates a proposal `{current, proposed, mql}` on a population: the leads whose tier or
 * MQL verdict would change.
 */
export declare function whatIf(proposal: ProposalJson, leads: Lead[] | LeadTable | Uint8Array, events: LeadEvent[] | Uint8Array | null | undefined, now: Instant, options?: ThreadOptions): WhatIf

/** Options of `ScoringModel.whatIf` (and of `whatIf`, which takes the gate in the proposal). */
export interface WhatIfOptions {
  /** The MQL gate, a condition (method only). */
  mql?: Condition | ConditionJson
  /** Threads to use (default: all available); the result does not depend on it. */
  threads?: number
}
