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
