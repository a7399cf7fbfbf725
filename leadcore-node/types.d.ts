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

