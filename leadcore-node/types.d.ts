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
