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
