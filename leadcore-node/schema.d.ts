/* Generated from ../schemas/leadcore.json by json-schema-to-typescript (`npm run types`): do not edit. */

/**
 * Where a lead's latest activity instant came from.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ActivitySource".
 */
export type ActivitySource = "event" | "attribute" | "created_at";
/**
 * A typed attribute: boolean, finite number, text (dates as `YYYY-MM-DD` or RFC 3339), list of strings, or null.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "AttrValue".
 */
export type AttrValue = boolean | number | string | string[] | null;
/**
 * What attribution credits: channels or campaigns.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Level".
 */
export type Level = "channel" | "campaign";
/**
 * One attribution model.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ModelSpec".
 */
export type ModelSpec =
  | {
      /**
       * Result name.
       */
      name?: string | null;
      type: "first_touch";
    }
  | {
      /**
       * Result name.
       */
      name?: string | null;
      type: "last_touch";
    }
  | {
      /**
       * Result name.
       */
      name?: string | null;
      type: "last_non_direct";
    }
  | {
      /**
       * Result name.
       */
      name?: string | null;
      type: "linear";
    }
  | {
      /**
       * Result name.
       */
      name?: string | null;
      type: "u_shaped";
    }
  | {
      /**
       * Result name.
       */
      name?: string | null;
      type: "w_shaped";
    }
  | {
      /**
       * Result name.
       */
      name?: string | null;
      type: "full_path";
    }
  | {
      /**
       * Result name.
       */
      name?: string | null;
      type: "j_shaped";
    }
  | {
      /**
       * Result name.
       */
      name?: string | null;
      type: "inverse_j_shaped";
    }
  | {
      /**
       * Half-life in days (default 7).
       */
      half_life_days?: number;
      /**
       * Result name.
       */
      name?: string | null;
      type: "time_decay";
    }
  | {
      /**
       * Result name.
       */
      name?: string | null;
      type: "custom";
      weights: PositionWeights;
    }
  | {
      /**
       * Include the transition probabilities in the result.
       */
      include_transitions?: boolean;
      /**
       * Result name.
       */
      name?: string | null;
      /**
       * Order k: states are the last k channels (1..=4, default 1).
       */
      order?: number;
      type: "markov";
    }
  | {
      game?: ShapleyGame;
      method?: ShapleyMethod;
      /**
       * Result name.
       */
      name?: string | null;
      /**
       * Permutations drawn when sampling (default 1000).
       */
      samples?: number;
      /**
       * Seed of the sampler.
       */
      seed?: number;
      type: "shapley";
    };
/**
 * Which cooperative game Shapley values are computed for.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ShapleyGame".
 */
export type ShapleyGame = "conversions" | "conversion_rate";
/**
 * How Shapley values are computed.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ShapleyMethod".
 */
export type ShapleyMethod = "auto" | "exact" | "sampled";
/**
 * One attribution model.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ModelSpecOutput".
 */
export type ModelSpecOutput =
  | {
      /**
       * Result name.
       */
      name?: string | null;
      type: "first_touch";
    }
  | {
      /**
       * Result name.
       */
      name?: string | null;
      type: "last_touch";
    }
  | {
      /**
       * Result name.
       */
      name?: string | null;
      type: "last_non_direct";
    }
  | {
      /**
       * Result name.
       */
      name?: string | null;
      type: "linear";
    }
  | {
      /**
       * Result name.
       */
      name?: string | null;
      type: "u_shaped";
    }
  | {
      /**
       * Result name.
       */
      name?: string | null;
      type: "w_shaped";
    }
  | {
      /**
       * Result name.
       */
      name?: string | null;
      type: "full_path";
    }
  | {
      /**
       * Result name.
       */
      name?: string | null;
      type: "j_shaped";
    }
  | {
      /**
       * Result name.
       */
      name?: string | null;
      type: "inverse_j_shaped";
    }
  | {
      /**
       * Half-life in days (default 7).
       */
      half_life_days: number;
      /**
       * Result name.
       */
      name?: string | null;
      type: "time_decay";
    }
  | {
      /**
       * Result name.
       */
      name?: string | null;
      type: "custom";
      weights: PositionWeightsOutput;
    }
  | {
      /**
       * Include the transition probabilities in the result.
       */
      include_transitions: boolean;
      /**
       * Result name.
       */
      name?: string | null;
      /**
       * Order k: states are the last k channels (1..=4, default 1).
       */
      order: number;
      type: "markov";
    }
  | {
      game: ShapleyGame;
      method: ShapleyMethod;
      /**
       * Result name.
       */
      name?: string | null;
      /**
       * Permutations drawn when sampling (default 1000).
       */
      samples: number;
      /**
       * Seed of the sampler.
       */
      seed: number;
      type: "shapley";
    };
/**
 * An exact sum: a decimal integer string of 2^-64 units.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Exact".
 */
export type Exact = string;
/**
 * A cap that reduced a breakdown line.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "CapKind".
 */
export type CapKind = "kind_daily" | "group";
/**
 * A bound of the behavior score.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Bound".
 */
export type Bound = "floor" | "ceiling";
/**
 * A tier: source tiers and the combined score's tiers.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SourceTier".
 */
export type SourceTier = "low" | "mid" | "high";
/**
 * How one fit rule came out.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "FitOutcome".
 */
export type FitOutcome = "match" | "mismatch" | "missing";
/**
 * A fit grade, `F` (poor) to `A+` (excellent), in thirds.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Grade".
 */
export type Grade = "F" | "D" | "D+" | "C-" | "C" | "C+" | "B-" | "B" | "B+" | "A-" | "A" | "A+";
/**
 * Where a new lead should go, by its source (seed 003).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Route".
 */
export type Route =
  | {
      to: "sdr_now";
      [k: string]: unknown;
    }
  | {
      to: "sdr_queue";
      [k: string]: unknown;
    }
  | {
      to: "pre_nurture";
      [k: string]: unknown;
    }
  | {
      /**
       * The referring rep.
       */
      rep: string;
      to: "referring_rep";
      [k: string]: unknown;
    };
/**
 * How a group's points fade with event age.
 *
 * ```
 * use leadcore::score::decay::Decay;
 * let d: Decay = serde_json::from_str(r#"{"type": "half_life", "half_life_days": 30}"#).unwrap();
 * assert_eq!(d.factor(30.0), 0.5);
 * let s: Decay = serde_json::from_str(r#"{"type": "steps", "steps": [
 *     {"after_days": 30, "reduce": 0.25}, {"after_days": 60, "reduce": 0.5}]}"#).unwrap();
 * assert_eq!((s.factor(29.0), s.factor(30.0), s.factor(90.0)), (1.0, 0.75, 0.5));
 * ```
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Decay".
 */
export type Decay =
  | {
      type: "none";
    }
  | {
      /**
       * Days after which an event is worth half its points (> 0).
       */
      half_life_days: number;
      type: "half_life";
    }
  | {
      /**
       * Steps sorted by strictly increasing `after_days`, with non-decreasing `reduce`.
       */
      steps: DecayStep[];
      type: "steps";
    }
  | {
      /**
       * Window length in days (> 0).
       */
      days: number;
      type: "window";
    };
/**
 * Event kinds: `any`, one kind name, or a list of names.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "EventKinds".
 */
export type EventKinds = string | string[];
/**
 * Which occurrences of a matching event a rule counts.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Repeat".
 */
export type Repeat =
  | "every"
  | "once"
  | {
      once_per: string;
    };
/**
 * A day of the week, written `mon` … `sun`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Weekday".
 */
export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
/**
 * Which calibration to fit.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "CalibrationMethod".
 */
export type CalibrationMethod = "none" | "isotonic" | "platt";
/**
 * A fitted calibration map from raw score to probability.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Calibrator".
 */
export type Calibrator =
  | {
      type: "identity";
    }
  | {
      type: "isotonic";
      /**
       * Raw scores, increasing.
       */
      x: number[];
      /**
       * Calibrated probabilities, non-decreasing.
       */
      y: number[];
    }
  | {
      /**
       * Slope.
       */
      a: number;
      /**
       * Intercept.
       */
      b: number;
      type: "platt";
    };
/**
 * Why a candidate rep was passed over.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Skip".
 */
export type Skip =
  | "inactive"
  | "away"
  | "off_hours"
  | "segment_mismatch"
  | "role_mismatch"
  | "opted_out"
  | "holding_cap"
  | "daily_cap"
  | "cooldown"
  | "excluded";
/**
 * A mainland-China carrier, as allocated the segment (see the module docs on number porting).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Carrier".
 */
export type Carrier = "china_mobile" | "china_unicom" | "china_telecom" | "china_broadnet";
/**
 * Class weights for imbalanced labels (conversions are typically 2–5 %).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ClassWeight".
 */
export type ClassWeight =
  | "none"
  | "balanced"
  | {
      positive: number;
    };
/**
 * What kind of value a cleaned value is.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ValueKind".
 */
export type ValueKind = "phone" | "email" | "company" | "contact_name";
/**
 * The kind of a dedup key, as reported in matches.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "KeyKind".
 */
export type KeyKind = "phone" | "email" | "company_contact";
/**
 * Why a cluster's survivor won, under the policy used.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SurvivorReason".
 */
export type SurvivorReason =
  | {
      /**
       * The survivor's `created_at`.
       */
      created_at: string;
      policy: "oldest";
      /**
       * Whether another member had the same value and the smaller id decided.
       */
      tie_broken_by_id: boolean;
      [k: string]: unknown;
    }
  | {
      /**
       * How many non-empty attributes the survivor has.
       */
      filled_attributes: number;
      policy: "most_complete";
      /**
       * Whether another member had the same count and the smaller id decided.
       */
      tie_broken_by_id: boolean;
      [k: string]: unknown;
    }
  | {
      /**
       * The survivor's latest activity.
       */
      activity_at: string;
      policy: "most_recent_activity";
      source: ActivitySource;
      /**
       * Whether another member had the same instant and the smaller id decided.
       */
      tie_broken_by_id: boolean;
      [k: string]: unknown;
    };
/**
 * How fit, behavior and source combine into one score.
 *
 * ```
 * use leadcore::score::combine::CombineModel;
 * let c: CombineModel = serde_json::from_str(r#"{"type": "weighted", "behavior": 0.6, "fit": 0.4}"#).unwrap();
 * assert_eq!(c, CombineModel::Weighted { behavior: 0.6, fit: 0.4, source: 0.0 });
 * ```
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "CombineModel".
 */
export type CombineModel =
  | {
      /**
       * Weight of the behavior score.
       */
      behavior?: number;
      /**
       * Weight of the fit score.
       */
      fit?: number;
      /**
       * Weight of the source score.
       */
      source?: number;
      type: "weighted";
    }
  | {
      /**
       * One cell per (fit band, engagement band) pair, keyed by the joined labels.
       */
      cells: {
        [k: string]: Cell;
      };
      /**
       * Engagement bands on the behavior score, best first; the last has no minimum.
       */
      engagement_bands: MatrixBand[];
      fit_axis?: FitAxis;
      /**
       * Fit bands, best first; the last has no minimum.
       */
      fit_bands: MatrixBand[];
      type: "matrix";
    };
/**
 * The fit axis of a matrix.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "FitAxis".
 */
export type FitAxis = "score" | "grade";
/**
 * Why a company name is unusable.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "CompanyInvalid".
 */
export type CompanyInvalid = "empty";
/**
 * What kind of text was stripped from a company name.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "StripKind".
 */
export type StripKind = "legal_suffix" | "region_qualifier" | "legal_form_qualifier";
/**
 * Where one target field's value came from.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ValueSource".
 */
export type ValueSource = "lead" | "default" | "value" | "missing";
/**
 * The Chinese country code found in front of the number, as it was written.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "CountryCode".
 */
export type CountryCode = "+86" | "0086" | "86";
/**
 * A lead's tier.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Tier".
 */
export type Tier = "high" | "mid" | "low";
/**
 * Why a customer has its owner.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "OwnershipReason".
 */
export type OwnershipReason = "within_window" | "beyond_window" | "no_opportunity" | "opportunity_before_first_touch";
/**
 * One way two leads can be the same person. Fields are `attributes.<name>` references.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "DedupKey".
 */
export type DedupKey =
  | {
      /**
       * Where phone numbers live (default `attributes.phone`, `attributes.mobile`).
       */
      fields?: string[];
      type: "phone";
    }
  | {
      /**
       * Where email addresses live (default `attributes.email`).
       */
      fields?: string[];
      type: "email";
    }
  | {
      /**
       * Where company names live (default `attributes.company`).
       */
      company_fields?: string[];
      /**
       * Where contact names live (default `attributes.contact_name`).
       */
      contact_fields?: string[];
      type: "company_contact";
    };
/**
 * Which `+tag` suffixes (`user+news@x.com`) the matching key drops.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PlusTags".
 */
export type PlusTags = "keep" | "known_providers" | "all";
/**
 * Which member of a duplicate cluster survives. Ties go to the smallest lead id.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SurvivorPolicy".
 */
export type SurvivorPolicy =
  | {
      type: "oldest";
    }
  | {
      type: "most_complete";
    }
  | {
      /**
       * Attributes holding a last-activity date-time or date (a date counts as 00:00 UTC);
       * values of other types are ignored. Default `attributes.last_activity_at`.
       */
      activity_fields?: string[];
      type: "most_recent_activity";
    };
/**
 * How a lead left the state.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Departure".
 */
export type Departure = "archived" | "removed" | "merged";
/**
 * Whether a team's routed leads go to a rep directly or to the team lead first (seed 000).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Dispatch".
 */
export type Dispatch = "direct" | "via_lead";
/**
 * What kind of policy fell due.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "DueKind".
 */
export type DueKind = "stale" | "evidence_arrived" | "cooldown_expired";
/**
 * The kind of a pipeline edge. Backward kinds require a reason.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "EdgeKind".
 */
export type EdgeKind = "enter" | "forward" | "downgrade" | "reject" | "recycle" | "disqualify" | "reopen";
/**
 * The kinds of engagement leadcore knows (seed 001's list plus email and sales touches).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "EventKind".
 */
export type EventKind =
  | "page_view"
  | "download"
  | "favorite"
  | "search"
  | "form_submit"
  | "inquiry"
  | "event_checkin"
  | "email_open"
  | "email_click"
  | "call"
  | "meeting"
  | "custom";
/**
 * What a stage means in the funnel.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "StageKind".
 */
export type StageKind = "pre_marketing" | "marketing" | "sales" | "closed_won" | "closed_lost" | "disqualified";
/**
 * What a person does with leads.
 *
 * Every role but `manager` owns and works leads and is a member its team's strategy picks
 * from; the roles differ in who may hand a lead to whom ([`HandoverConfig`]), which pools
 * they may claim from ([`Eligibility::roles`]) and which members a routing rule picks
 * ([`Target::Team`]'s `role`).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Role".
 */
export type Role = "rep" | "manager" | "sdr" | "bdr" | "ka";
/**
 * Why a string is not a valid email address.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "EmailInvalid".
 */
export type EmailInvalid =
  | "empty"
  | "contains_space"
  | "missing_at"
  | "multiple_at"
  | "empty_local"
  | "empty_domain"
  | "too_long"
  | "local_too_long"
  | "invalid_local_character"
  | "local_dots"
  | "invalid_domain_character"
  | "domain_without_dot"
  | "bad_label"
  | "bad_tld";
/**
 * A provider rule that changed the matching key.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "EmailRule".
 */
export type EmailRule = "plus_tag" | "gmail_dots" | "googlemail_domain";
/**
 * How a variable reads its value from a row.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Encoding".
 */
export type Encoding =
  | {
      /**
       * The group's columns; their levels name the values.
       */
      columns: number[];
      /**
       * The level of each column.
       */
      levels: string[];
      type: "one_hot";
    }
  | {
      /**
       * The column.
       */
      column: number;
      /**
       * Bin edges: bin `k` holds `edges[k-1] < v <= edges[k]`.
       */
      edges: number[];
      type: "binned";
    };
/**
 * How an ownership ended.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Ended".
 */
export type Ended = "returned" | "reclaimed" | "auto_reclaimed" | "transferred" | "handed_over" | "converted";
/**
 * The family of a leadcore error; each has its own exception class.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ErrorCategory".
 */
export type ErrorCategory =
  | "config"
  | "input"
  | "dedup"
  | "qualify"
  | "transition"
  | "conversion"
  | "predict"
  | "attribution"
  | "funnel"
  | "pool";
/**
 * The stable code of a leadcore error (`all_error_codes()`).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ErrorCode".
 */
export type ErrorCode =
  | "already_in_stage"
  | "already_owned"
  | "ambiguous_transition"
  | "clock_backwards"
  | "command_id_reused"
  | "cooldown_active"
  | "corrupted_model"
  | "daily_cap_reached"
  | "deal_size_required"
  | "duplicate_id"
  | "duplicate_lead"
  | "duplicate_lead_id"
  | "duplicate_milestone"
  | "effective_time_in_future"
  | "effective_time_out_of_order"
  | "empty_batch"
  | "empty_channel"
  | "empty_journey"
  | "empty_lead_id"
  | "empty_name"
  | "empty_training_set"
  | "excluded_owner"
  | "facts_mismatch"
  | "feature_mismatch"
  | "handover_not_allowed"
  | "history_mismatch"
  | "history_out_of_order"
  | "holding_cap_reached"
  | "illegal_transition"
  | "incompatible_accumulators"
  | "inconsistent_outcome"
  | "invalid_amount"
  | "invalid_datetime"
  | "invalid_period"
  | "invalid_state"
  | "invalid_type"
  | "invalid_value"
  | "json_syntax"
  | "lead_converted"
  | "limit_exceeded"
  | "milestone_order"
  | "missing_field"
  | "missing_reason"
  | "missing_required_field"
  | "naive_datetime"
  | "negative_value"
  | "no_receiver"
  | "no_routing"
  | "not_dispatcher"
  | "not_eligible"
  | "not_finite"
  | "not_in_team"
  | "not_owned"
  | "not_owner"
  | "out_of_range"
  | "plan_target"
  | "policy_mismatch"
  | "protection_expired"
  | "reason_required"
  | "record_not_loaded"
  | "rep_inactive"
  | "rep_opted_out"
  | "reserved_channel"
  | "resubmission_cooldown"
  | "same_lead"
  | "same_owner"
  | "single_class"
  | "stage_not_convertible"
  | "state_unusable"
  | "sum_overflow"
  | "target_required"
  | "time_out_of_range"
  | "times_required"
  | "too_deep"
  | "too_few_rows"
  | "too_many_channels"
  | "unknown_field"
  | "unknown_gate"
  | "unknown_lead"
  | "unknown_pool"
  | "unknown_preset"
  | "unknown_reference"
  | "unknown_rep"
  | "unknown_stage"
  | "unknown_step"
  | "unsupported_format_version"
  | "value_without_conversion";
/**
 * The kind of a pool (seed 000: regional active pool, regional general pool).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PoolKind".
 */
export type PoolKind = "active" | "general" | "nurture";
/**
 * What a [`LadderStep`]'s bounds count from.
 *
 * The default changed in 0.2 from `previous_fall_out` to `first_fall_out`: counted from the
 * previous fall-out, the clock restarted at every fall-out, so a lead falling out every 100
 * days stayed in the active pool for ever, against seed 000's "如果6个月之后,再次从客保中掉落,
 * 该线索就会从区域活跃公海池流转到区域普通公海池".
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "LadderSince".
 */
export type LadderSince = "first_fall_out" | "assignment" | "previous_fall_out";
/**
 * The estimator of a [`SubModel`].
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Estimator".
 */
export type Estimator = RandomForest | NaiveBayes;
/**
 * How the fit grade is computed.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "GradeModel".
 */
export type GradeModel =
  | {
      start?: Grade;
      type: "ladder";
    }
  | {
      /**
       * Thresholds by strictly decreasing `min` and grade.
       */
      grades: GradeThreshold[];
      otherwise?: Grade;
      type: "thresholds";
    };
/**
 * What a missing (absent, null, blank) attribute counts as.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Missing".
 */
export type Missing = "neutral" | "mismatch";
/**
 * One fit rule, tagged by `type`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "FitRule".
 */
export type FitRule =
  | {
      /**
       * The lead attribute (`industry`, `role`, `business_types`…).
       */
      attribute: string;
      /**
       * Ladder step in thirds of a letter, 0 to 3.
       */
      grade?: number;
      /**
       * Unique rule id.
       */
      id: string;
      /**
       * Policy for a missing attribute (default: the model's).
       */
      missing?: Missing | null;
      /**
       * Points when the value is present but not listed.
       */
      otherwise?: number;
      /**
       * Points for each matching value.
       */
      points: {
        [k: string]: number;
      };
      type: "values";
    }
  | {
      /**
       * The numeric attribute (`employees`, `annual_revenue`…).
       */
      attribute: string;
      /**
       * Bands, ascending and not overlapping; the first containing the value matches.
       */
      bands: Band[];
      /**
       * Ladder step in thirds of a letter, 0 to 3.
       */
      grade?: number;
      /**
       * Unique rule id.
       */
      id: string;
      /**
       * Policy for a missing attribute (default: the model's).
       */
      missing?: Missing | null;
      /**
       * Points when the value is in no band.
       */
      otherwise?: number;
      type: "bands";
    }
  | {
      /**
       * The city attribute (default `city`).
       */
      attribute?: string;
      /**
       * Ladder step in thirds of a letter, 0 to 3.
       */
      grade?: number;
      /**
       * Unique rule id.
       */
      id: string;
      /**
       * Policy for a missing attribute (default: the model's).
       */
      missing?: Missing | null;
      /**
       * Points for a city in no listed tier.
       */
      otherwise?: number;
      /**
       * Points per tier, keyed by the tier number as text (`"1"`, `"2"`…).
       */
      points: {
        [k: string]: number;
      };
      type: "city_tier";
    }
  | {
      /**
       * Ladder step in thirds of a letter, 0 to 3.
       */
      grade?: number;
      /**
       * Unique rule id.
       */
      id: string;
      /**
       * Policy for a missing attribute (default: the model's).
       */
      missing?: Missing | null;
      /**
       * Points when it does not.
       */
      otherwise?: number;
      /**
       * Points when it holds.
       */
      points: number;
      type: "condition";
      when: ConditionJson;
    };
/**
 * How finely to group by time.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Granularity".
 */
export type Granularity = "day" | "week" | "month" | "quarter" | "year" | "all";
/**
 * How forward moves are generated from the stage order.
 *
 * "Open" stages are those of kind `pre_marketing`, `marketing` or `sales`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ForwardRule".
 */
export type ForwardRule = "adjacent" | "skip" | "explicit";
/**
 * Which clock places a stage entry in a period.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "TimeBasis".
 */
export type TimeBasis = "effective" | "recorded";
/**
 * How a team picks the rep for an automatically routed lead.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Strategy".
 */
export type Strategy = "round_robin" | "weighted_round_robin" | "least_loaded" | "random_weighted";
/**
 * Which leads an SLA timer watches.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "HolderFilter".
 */
export type HolderFilter = "any" | "pooled" | "owned" | "dispatching";
/**
 * A milestone of the B2B journey that position models (U, W, full path) weight.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Milestone".
 */
export type Milestone = "first_touch" | "lead_created" | "opportunity_created" | "closed_won";
/**
 * Why a touch got its weight.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "TouchRole".
 */
export type TouchRole =
  | "first_touch"
  | "lead_created"
  | "opportunity_created"
  | "closed_won"
  | "last_touch"
  | "middle"
  | "outside"
  | "touch"
  | "direct"
  | "decay";
/**
 * Pre-qualification temperature (seed 001): cold → warm → hot as the lead learns the product.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Temperature".
 */
export type Temperature = "cold" | "warm" | "hot";
/**
 * Where a lead is.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PoolHolder".
 */
export type PoolHolder =
  | {
      /**
       * The pool.
       */
      pool: string;
      status: "pooled";
    }
  | {
      /**
       * The owner.
       */
      rep: string;
      status: "owned";
    }
  | {
      /**
       * The manager.
       */
      manager: string;
      status: "dispatching";
    }
  | {
      /**
       * The owner at conversion, if any.
       */
      rep?: string | null;
      status: "converted";
    };
/**
 * How an owner got a lead.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Via".
 */
export type Via = "claim" | "assign" | "bulk_assign" | "route" | "transfer" | "hand_over" | "merge";
/**
 * Something the host must do because of a command or a tick.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PoolEffect".
 */
export type PoolEffect =
  | {
      /**
       * Where it was (absent for a new lead).
       */
      from?: PoolHolder | null;
      /**
       * Lead id.
       */
      lead: string;
      to: PoolHolder;
      type: "moved";
      via: Move;
      [k: string]: unknown;
    }
  | {
      about: Notice;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * The rep or manager.
       */
      rep: string;
      type: "notify";
      [k: string]: unknown;
    }
  | {
      /**
       * Lead id.
       */
      lead: string;
      /**
       * When the lead will be reclaimed unless something changes.
       */
      reclaim_at: string | number | Date;
      /**
       * The owner.
       */
      rep: string;
      trigger: Trigger;
      type: "reclaim_warning";
      [k: string]: unknown;
    }
  | {
      /**
       * Lead id.
       */
      lead: string;
      /**
       * The pool it waits in.
       */
      pool: string;
      /**
       * The rule that matched.
       */
      rule: string;
      type: "routing_pending";
      [k: string]: unknown;
    }
  | {
      from: PoolHolder;
      how: Departure;
      /**
       * The survivor it was merged into.
       */
      into?: string | null;
      /**
       * Lead id.
       */
      lead: string;
      type: "left";
      [k: string]: unknown;
    };
/**
 * How a lead moved.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Move".
 */
export type Move =
  | "deposit"
  | "claim"
  | "assign"
  | "bulk_assign"
  | "route"
  | "dispatch"
  | "return"
  | "reclaim"
  | "auto_reclaim"
  | "transfer"
  | "hand_over"
  | "convert"
  | "merge";
/**
 * What a notification is about.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Notice".
 */
export type Notice = "lead_assigned" | "lead_to_dispatch" | "lead_reclaimed" | "lead_merged";
/**
 * The automatic reclaim triggers.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Trigger".
 */
export type Trigger = "protection" | "no_follow_up" | "not_converted";
/**
 * One reason behind an outcome, in the order the checks ran.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PoolReason".
 */
export type PoolReason =
  | {
      /**
       * Holding cap.
       */
      cap?: number | null;
      code: "holding";
      /**
       * Leads owned now.
       */
      count: number;
      /**
       * Rep.
       */
      rep: string;
      [k: string]: unknown;
    }
  | {
      /**
       * Daily cap.
       */
      cap?: number | null;
      code: "daily_intake";
      /**
       * Leads received that day, this one included.
       */
      count: number;
      /**
       * The rep's local day.
       */
      day: string;
      /**
       * Rep.
       */
      rep: string;
      [k: string]: unknown;
    }
  | {
      code: "protected";
      /**
       * Hard maximum (claim + max days).
       */
      hard_max: string | number | Date;
      /**
       * Protected until.
       */
      until: string | number | Date;
      [k: string]: unknown;
    }
  | {
      /**
       * Start of the clock.
       */
      claimed_at: string | number | Date;
      code: "protection_kept";
      /**
       * Protected until.
       */
      until?: string | number | Date | null;
      [k: string]: unknown;
    }
  | {
      /**
       * Whether the hard maximum cut the extension.
       */
      capped: boolean;
      code: "protection_extended";
      /**
       * Before.
       */
      from: string | number | Date;
      /**
       * After.
       */
      to: string | number | Date;
      [k: string]: unknown;
    }
  | {
      code: "not_qualifying";
      /**
       * The kind given.
       */
      kind: string;
      [k: string]: unknown;
    }
  | {
      code: "cooldown_set";
      /**
       * Rep.
       */
      rep: string;
      /**
       * End of the cooldown.
       */
      until: string | number | Date;
      [k: string]: unknown;
    }
  | {
      code: "next_owner_differs";
      /**
       * Rep.
       */
      rep: string;
      [k: string]: unknown;
    }
  | {
      code: "fallout";
      /**
       * Fall-outs so far, this one included.
       */
      count: number;
      /**
       * Destination pool.
       */
      pool: string;
      /**
       * Escalation ladder step taken (0-based), when a ladder is configured.
       */
      step?: number | null;
      [k: string]: unknown;
    }
  | {
      code: "trigger_fired";
      /**
       * Its deadline.
       */
      deadline: string | number | Date;
      /**
       * Lead id.
       */
      lead: string;
      trigger: Trigger;
      [k: string]: unknown;
    }
  | {
      code: "nurture_entered";
      /**
       * Cadence id.
       */
      sop: string;
      [k: string]: unknown;
    }
  | {
      code: "nurture_left";
      /**
       * Cadence id.
       */
      sop: string;
      [k: string]: unknown;
    }
  | {
      code: "nurture_reactivation";
      /**
       * Cadence id.
       */
      sop: string;
      [k: string]: unknown;
    }
  | {
      code: "nurture_paused";
      /**
       * Cadence id.
       */
      sop: string;
      [k: string]: unknown;
    }
  | {
      code: "handed_over";
      /**
       * The giver.
       */
      from: string;
      from_role: Role;
      /**
       * The path id.
       */
      handover: string;
      /**
       * The receiver.
       */
      to: string;
      to_role: Role;
      [k: string]: unknown;
    }
  | {
      code: "nurture_resumed";
      /**
       * Cadence id.
       */
      sop: string;
      [k: string]: unknown;
    }
  | {
      code: "clock_skew";
      /**
       * The `now` given.
       */
      given: string | number | Date;
      /**
       * The time used.
       */
      used: string | number | Date;
      [k: string]: unknown;
    };
/**
 * Something the host must do because of a command or a tick.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PoolEffectOutput".
 */
export type PoolEffectOutput =
  | {
      /**
       * Where it was (absent for a new lead).
       */
      from?: PoolHolder | null;
      /**
       * Lead id.
       */
      lead: string;
      to: PoolHolder;
      type: "moved";
      via: Move;
      [k: string]: unknown;
    }
  | {
      about: Notice;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * The rep or manager.
       */
      rep: string;
      type: "notify";
      [k: string]: unknown;
    }
  | {
      /**
       * Lead id.
       */
      lead: string;
      /**
       * When the lead will be reclaimed unless something changes.
       */
      reclaim_at: string;
      /**
       * The owner.
       */
      rep: string;
      trigger: Trigger;
      type: "reclaim_warning";
      [k: string]: unknown;
    }
  | {
      /**
       * Lead id.
       */
      lead: string;
      /**
       * The pool it waits in.
       */
      pool: string;
      /**
       * The rule that matched.
       */
      rule: string;
      type: "routing_pending";
      [k: string]: unknown;
    }
  | {
      from: PoolHolder;
      how: Departure;
      /**
       * The survivor it was merged into.
       */
      into?: string | null;
      /**
       * Lead id.
       */
      lead: string;
      type: "left";
      [k: string]: unknown;
    };
/**
 * One reason behind an outcome, in the order the checks ran.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PoolReasonOutput".
 */
export type PoolReasonOutput =
  | {
      /**
       * Holding cap.
       */
      cap?: number | null;
      code: "holding";
      /**
       * Leads owned now.
       */
      count: number;
      /**
       * Rep.
       */
      rep: string;
      [k: string]: unknown;
    }
  | {
      /**
       * Daily cap.
       */
      cap?: number | null;
      code: "daily_intake";
      /**
       * Leads received that day, this one included.
       */
      count: number;
      /**
       * The rep's local day.
       */
      day: string;
      /**
       * Rep.
       */
      rep: string;
      [k: string]: unknown;
    }
  | {
      code: "protected";
      /**
       * Hard maximum (claim + max days).
       */
      hard_max: string;
      /**
       * Protected until.
       */
      until: string;
      [k: string]: unknown;
    }
  | {
      /**
       * Start of the clock.
       */
      claimed_at: string;
      code: "protection_kept";
      /**
       * Protected until.
       */
      until?: string | null;
      [k: string]: unknown;
    }
  | {
      /**
       * Whether the hard maximum cut the extension.
       */
      capped: boolean;
      code: "protection_extended";
      /**
       * Before.
       */
      from: string;
      /**
       * After.
       */
      to: string;
      [k: string]: unknown;
    }
  | {
      code: "not_qualifying";
      /**
       * The kind given.
       */
      kind: string;
      [k: string]: unknown;
    }
  | {
      code: "cooldown_set";
      /**
       * Rep.
       */
      rep: string;
      /**
       * End of the cooldown.
       */
      until: string;
      [k: string]: unknown;
    }
  | {
      code: "next_owner_differs";
      /**
       * Rep.
       */
      rep: string;
      [k: string]: unknown;
    }
  | {
      code: "fallout";
      /**
       * Fall-outs so far, this one included.
       */
      count: number;
      /**
       * Destination pool.
       */
      pool: string;
      /**
       * Escalation ladder step taken (0-based), when a ladder is configured.
       */
      step?: number | null;
      [k: string]: unknown;
    }
  | {
      code: "trigger_fired";
      /**
       * Its deadline.
       */
      deadline: string;
      /**
       * Lead id.
       */
      lead: string;
      trigger: Trigger;
      [k: string]: unknown;
    }
  | {
      code: "nurture_entered";
      /**
       * Cadence id.
       */
      sop: string;
      [k: string]: unknown;
    }
  | {
      code: "nurture_left";
      /**
       * Cadence id.
       */
      sop: string;
      [k: string]: unknown;
    }
  | {
      code: "nurture_reactivation";
      /**
       * Cadence id.
       */
      sop: string;
      [k: string]: unknown;
    }
  | {
      code: "nurture_paused";
      /**
       * Cadence id.
       */
      sop: string;
      [k: string]: unknown;
    }
  | {
      code: "handed_over";
      /**
       * The giver.
       */
      from: string;
      from_role: Role;
      /**
       * The path id.
       */
      handover: string;
      /**
       * The receiver.
       */
      to: string;
      to_role: Role;
      [k: string]: unknown;
    }
  | {
      code: "nurture_resumed";
      /**
       * Cadence id.
       */
      sop: string;
      [k: string]: unknown;
    }
  | {
      code: "clock_skew";
      /**
       * The `now` given.
       */
      given: string;
      /**
       * The time used.
       */
      used: string;
      [k: string]: unknown;
    };
/**
 * How many features each split considers.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "MaxFeatures".
 */
export type MaxFeatures =
  | "sqrt"
  | "log2"
  | "all"
  | {
      fraction: number;
    }
  | {
      count: number;
    };
/**
 * The estimator: `{"type": "random_forest", ...}` or `{"type": "naive_bayes", ...}`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ModelConfig".
 */
export type ModelConfig =
  | {
      /**
       * Grow each tree on a bootstrap sample (else on every row).
       */
      bootstrap?: boolean;
      class_weight?: ClassWeight;
      /**
       * Most histogram bins per feature (2..=255).
       */
      max_bins?: number;
      /**
       * Deepest level a tree may reach (root = depth 0); `null` = until leaves are pure.
       */
      max_depth?: number | null;
      max_features?: MaxFeatures;
      /**
       * Fewest (distinct) training rows a leaf may hold.
       */
      min_samples_leaf?: number;
      /**
       * Fewest rows a node needs to be split.
       */
      min_samples_split?: number;
      /**
       * Number of trees.
       */
      n_trees?: number;
      type: "random_forest";
    }
  | {
      /**
       * Additive smoothing added to every value count (Laplace: 1).
       */
      alpha?: number;
      /**
       * Fewest training leads a value needs before it moves the score.
       */
      min_support?: number;
      /**
       * Quantile bins for numeric features (2..=255); missing values get their own bin.
       */
      numeric_bins?: number;
      type: "naive_bayes";
    };
/**
 * The estimator: `{"type": "random_forest", ...}` or `{"type": "naive_bayes", ...}`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ModelConfigOutput".
 */
export type ModelConfigOutput =
  | {
      /**
       * Grow each tree on a bootstrap sample (else on every row).
       */
      bootstrap: boolean;
      class_weight: ClassWeight;
      /**
       * Most histogram bins per feature (2..=255).
       */
      max_bins: number;
      /**
       * Deepest level a tree may reach (root = depth 0); `null` = until leaves are pure.
       */
      max_depth: number | null;
      max_features: MaxFeatures;
      /**
       * Fewest (distinct) training rows a leaf may hold.
       */
      min_samples_leaf: number;
      /**
       * Fewest rows a node needs to be split.
       */
      min_samples_split: number;
      /**
       * Number of trees.
       */
      n_trees: number;
      type: "random_forest";
    }
  | {
      /**
       * Additive smoothing added to every value count (Laplace: 1).
       */
      alpha: number;
      /**
       * Fewest training leads a value needs before it moves the score.
       */
      min_support: number;
      /**
       * Quantile bins for numeric features (2..=255); missing values get their own bin.
       */
      numeric_bins: number;
      type: "naive_bayes";
    };
/**
 * What kind of line a valid number is, in libphonenumber's terms.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "NumberType".
 */
export type NumberType =
  | "fixed_line"
  | "mobile"
  | "fixed_line_or_mobile"
  | "toll_free"
  | "premium_rate"
  | "shared_cost"
  | "personal_number"
  | "voip"
  | "pager"
  | "uan"
  | "voicemail";
/**
 * The unit of a cadence's steps.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Unit".
 */
export type Unit = "day" | "week";
/**
 * Which reading of seed 000's rule decides the owner (see the module docs).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "OwnershipRule".
 */
export type OwnershipRule = "first_in_window" | "first_touch_window";
/**
 * The ownership window, e.g. `{"months": 3}` or `{"days": 90}`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Window".
 */
export type Window =
  | {
      months: number;
    }
  | {
      days: number;
    };
/**
 * Why a string is not a valid phone number (for [`parse_cn_mobile`], not a valid Chinese
 * mobile number).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PhoneInvalid".
 */
export type PhoneInvalid =
  | "empty"
  | "invalid_character"
  | "misplaced_plus"
  | "foreign_country_code"
  | "not_mobile"
  | "too_short"
  | "too_long"
  | "unallocated_segment"
  | "iot_segment"
  | "special_segment"
  | "unknown_country_code";
/**
 * The kind of subscriber number a segment holds.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Plan".
 */
export type Plan = "mobile" | "virtual" | "data_card" | "satellite";
/**
 * What a [`StaleRule`]'s days count from.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "StaleSince".
 */
export type StaleSince = "last_activity" | "stage_entry";
/**
 * Where the router sent the lead.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "RouteOutcome".
 */
export type RouteOutcome =
  | {
      /**
       * The rep.
       */
      rep: string;
      result: "assigned";
      [k: string]: unknown;
    }
  | {
      /**
       * The manager.
       */
      manager: string;
      result: "dispatched";
      [k: string]: unknown;
    }
  | {
      /**
       * Waiting for a rep; `tick` retries.
       */
      pending: boolean;
      /**
       * The pool.
       */
      pool: string;
      result: "pooled";
      [k: string]: unknown;
    };
/**
 * A command to the pool state machine. Every command goes through [`super::apply`] and the
 * same checks, whichever path (manual, bulk, transfer, routing) it comes from.
 *
 * JSON: `{"type": "claim", "lead": "L1", "rep": "wang"}`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PoolCommand".
 */
export type PoolCommand =
  | {
      /**
       * When the lead was created (for the cleaning SLA); default `now`.
       */
      created_at?: string | number | Date | null;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * Pool id.
       */
      pool: string;
      /**
       * Its region; default: the pool's.
       */
      region?: string | null;
      /**
       * Its stage (enters the stage's nurture cadence).
       */
      stage?: string | null;
      type: "deposit";
    }
  | {
      lead: Lead;
      type: "route";
    }
  | {
      /**
       * Lead id.
       */
      lead: string;
      /**
       * The rep.
       */
      rep: string;
      type: "claim";
    }
  | {
      /**
       * Who assigns; required to dispatch a lead waiting with a manager (must be them).
       */
      by?: string | null;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * The rep (or manager).
       */
      rep: string;
      type: "assign";
    }
  | {
      /**
       * Who assigns.
       */
      by?: string | null;
      /**
       * Lead ids.
       */
      leads: string[];
      /**
       * The rep.
       */
      rep: string;
      type: "bulk_assign";
    }
  | {
      /**
       * Lead id.
       */
      lead: string;
      /**
       * Destination pool; default: the pool it came from.
       */
      pool?: string | null;
      /**
       * Why (required).
       */
      reason: string;
      /**
       * The owner.
       */
      rep: string;
      type: "return";
    }
  | {
      /**
       * Who reclaims.
       */
      by?: string | null;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * Destination pool; default: the escalation ladder's.
       */
      pool?: string | null;
      /**
       * Why (required).
       */
      reason: string;
      type: "reclaim";
    }
  | {
      /**
       * The current owner.
       */
      from: string;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * Why.
       */
      reason?: string | null;
      /**
       * The new owner.
       */
      to: string;
      type: "transfer";
    }
  | {
      /**
       * The current owner.
       */
      from: string;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * The receiver's role, to choose between paths when `to` is absent.
       */
      role?: Role | null;
      /**
       * The receiver; absent: picked from the path's team.
       */
      to?: string | null;
      type: "hand_over";
    }
  | {
      /**
       * Activity kind (`call`, `visit`…); absent counts as qualifying.
       */
      kind?: string | null;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * The owner.
       */
      rep: string;
      type: "follow_up";
    }
  | {
      /**
       * Lead id.
       */
      lead: string;
      type: "mark_converted";
    }
  | {
      /**
       * Lead id.
       */
      lead: string;
      /**
       * The rep to exclude.
       */
      owner: string;
      /**
       * Why.
       */
      reason: string;
      type: "exclude_owner";
    }
  | {
      /**
       * The lead as the CRM has it, read by the cadences' `when` (which SOPs it enters,
       * which reactivation cadence is its); its `id` is `lead`. Absent: no SOP with a
       * `when` is entered (one the lead runs is kept) and the lead keeps its reactivation
       * cadence.
       */
      facts?: Lead | null;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * The new stage.
       */
      stage: string;
      type: "stage_changed";
    }
  | {
      /**
       * Lead id.
       */
      lead: string;
      type: "lead_activity";
    }
  | {
      /**
       * Lead id.
       */
      lead: string;
      /**
       * Milestone name.
       */
      name: string;
      type: "milestone";
    }
  | {
      /**
       * Lead id.
       */
      lead: string;
      /**
       * Cadence id.
       */
      sop: string;
      /**
       * Step id.
       */
      step: string;
      type: "nurture_done";
    }
  | {
      /**
       * Lead id.
       */
      lead: string;
      type: "archive";
    }
  | {
      /**
       * Lead id.
       */
      lead: string;
      type: "remove";
    }
  | {
      /**
       * The lead merged into it.
       */
      duplicate: string;
      /**
       * The lead that stays.
       */
      survivor: string;
      type: "merge";
    };
/**
 * A command to the pool state machine. Every command goes through [`super::apply`] and the
 * same checks, whichever path (manual, bulk, transfer, routing) it comes from.
 *
 * JSON: `{"type": "claim", "lead": "L1", "rep": "wang"}`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PoolCommandOutput".
 */
export type PoolCommandOutput =
  | {
      /**
       * When the lead was created (for the cleaning SLA); default `now`.
       */
      created_at?: string | null;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * Pool id.
       */
      pool: string;
      /**
       * Its region; default: the pool's.
       */
      region?: string | null;
      /**
       * Its stage (enters the stage's nurture cadence).
       */
      stage?: string | null;
      type: "deposit";
    }
  | {
      lead: LeadOutput;
      type: "route";
    }
  | {
      /**
       * Lead id.
       */
      lead: string;
      /**
       * The rep.
       */
      rep: string;
      type: "claim";
    }
  | {
      /**
       * Who assigns; required to dispatch a lead waiting with a manager (must be them).
       */
      by?: string | null;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * The rep (or manager).
       */
      rep: string;
      type: "assign";
    }
  | {
      /**
       * Who assigns.
       */
      by?: string | null;
      /**
       * Lead ids.
       */
      leads: string[];
      /**
       * The rep.
       */
      rep: string;
      type: "bulk_assign";
    }
  | {
      /**
       * Lead id.
       */
      lead: string;
      /**
       * Destination pool; default: the pool it came from.
       */
      pool?: string | null;
      /**
       * Why (required).
       */
      reason: string;
      /**
       * The owner.
       */
      rep: string;
      type: "return";
    }
  | {
      /**
       * Who reclaims.
       */
      by?: string | null;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * Destination pool; default: the escalation ladder's.
       */
      pool?: string | null;
      /**
       * Why (required).
       */
      reason: string;
      type: "reclaim";
    }
  | {
      /**
       * The current owner.
       */
      from: string;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * Why.
       */
      reason?: string | null;
      /**
       * The new owner.
       */
      to: string;
      type: "transfer";
    }
  | {
      /**
       * The current owner.
       */
      from: string;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * The receiver's role, to choose between paths when `to` is absent.
       */
      role?: Role | null;
      /**
       * The receiver; absent: picked from the path's team.
       */
      to?: string | null;
      type: "hand_over";
    }
  | {
      /**
       * Activity kind (`call`, `visit`…); absent counts as qualifying.
       */
      kind?: string | null;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * The owner.
       */
      rep: string;
      type: "follow_up";
    }
  | {
      /**
       * Lead id.
       */
      lead: string;
      type: "mark_converted";
    }
  | {
      /**
       * Lead id.
       */
      lead: string;
      /**
       * The rep to exclude.
       */
      owner: string;
      /**
       * Why.
       */
      reason: string;
      type: "exclude_owner";
    }
  | {
      /**
       * The lead as the CRM has it, read by the cadences' `when` (which SOPs it enters,
       * which reactivation cadence is its); its `id` is `lead`. Absent: no SOP with a
       * `when` is entered (one the lead runs is kept) and the lead keeps its reactivation
       * cadence.
       */
      facts?: LeadOutput | null;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * The new stage.
       */
      stage: string;
      type: "stage_changed";
    }
  | {
      /**
       * Lead id.
       */
      lead: string;
      type: "lead_activity";
    }
  | {
      /**
       * Lead id.
       */
      lead: string;
      /**
       * Milestone name.
       */
      name: string;
      type: "milestone";
    }
  | {
      /**
       * Lead id.
       */
      lead: string;
      /**
       * Cadence id.
       */
      sop: string;
      /**
       * Step id.
       */
      step: string;
      type: "nurture_done";
    }
  | {
      /**
       * Lead id.
       */
      lead: string;
      type: "archive";
    }
  | {
      /**
       * Lead id.
       */
      lead: string;
      type: "remove";
    }
  | {
      /**
       * The lead merged into it.
       */
      duplicate: string;
      /**
       * The lead that stays.
       */
      survivor: string;
      type: "merge";
    };
/**
 * Whether a timer is in its warning window or past its deadline.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "TimerStatus".
 */
export type TimerStatus = "due" | "overdue";
/**
 * Who an SLA escalation step reaches.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Recipient".
 */
export type Recipient = "owner" | "manager" | "pool_manager" | "reclaim";
/**
 * One entry of a command log: a command applied at `at`, or a tick at `at`.
 *
 * JSON: `{"op": "apply", "at": "2026-11-23T09:00:00+08:00", "command": {"type": "claim", …},
 * "id": "req-7f3", "policy": "9c2e…"}` or `{"op": "tick", "at": "…", "leads": ["L1"]}`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PoolLogEntry".
 */
export type PoolLogEntry =
  | {
      /**
       * When it ran.
       */
      at: string | number | Date;
      command: PoolCommand;
      /**
       * Its id, if it had one.
       */
      id?: string | null;
      op: "apply";
      /**
       * The fingerprint of the policy it ran under.
       */
      policy?: string | null;
    }
  | {
      /**
       * The leads rescheduled, for a row-level reschedule.
       */
      leads?: string[] | null;
      op: "reschedule";
      /**
       * The fingerprint of the policy it ran under.
       */
      policy?: string | null;
    }
  | {
      /**
       * When it ran.
       */
      at: string | number | Date;
      /**
       * The leads ticked, for a row-level tick.
       */
      leads?: string[] | null;
      op: "tick";
      /**
       * The fingerprint of the policy it ran under.
       */
      policy?: string | null;
    };
/**
 * One entry of a command log: a command applied at `at`, or a tick at `at`.
 *
 * JSON: `{"op": "apply", "at": "2026-11-23T09:00:00+08:00", "command": {"type": "claim", …},
 * "id": "req-7f3", "policy": "9c2e…"}` or `{"op": "tick", "at": "…", "leads": ["L1"]}`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PoolLogEntryOutput".
 */
export type PoolLogEntryOutput =
  | {
      /**
       * When it ran.
       */
      at: string;
      command: PoolCommandOutput;
      /**
       * Its id, if it had one.
       */
      id?: string | null;
      op: "apply";
      /**
       * The fingerprint of the policy it ran under.
       */
      policy?: string | null;
    }
  | {
      /**
       * The leads rescheduled, for a row-level reschedule.
       */
      leads?: string[] | null;
      op: "reschedule";
      /**
       * The fingerprint of the policy it ran under.
       */
      policy?: string | null;
    }
  | {
      /**
       * When it ran.
       */
      at: string;
      /**
       * The leads ticked, for a row-level tick.
       */
      leads?: string[] | null;
      op: "tick";
      /**
       * The fingerprint of the policy it ran under.
       */
      policy?: string | null;
    };
/**
 * Where a routing rule sends a lead.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Target".
 */
export type Target =
  | {
      /**
       * The rep id.
       */
      rep: string;
      type: "rep";
    }
  | {
      /**
       * The attribute holding the owner's rep id.
       */
      attribute: string;
      type: "account_owner";
    }
  | {
      /**
       * Only members of this role (`sdr` for the SDR desk of a mixed team).
       */
      role?: Role | null;
      /**
       * Only members having all these segments.
       */
      segments?: string[];
      /**
       * Overrides the team's strategy for this rule.
       */
      strategy?: Strategy | null;
      /**
       * The team id.
       */
      team: string;
      type: "team";
    }
  | {
      /**
       * The pool id.
       */
      pool: string;
      type: "pool";
    };
/**
 * Where an SLA timer starts.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SlaStart".
 */
export type SlaStart = "created" | "entered" | "assigned" | "last_follow_up" | "last_activity";
/**
 * A pool command with an optional id.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PoolRequest".
 */
export type PoolRequest =
  | {
      /**
       * When the lead was created (for the cleaning SLA); default `now`.
       */
      created_at?: string | number | Date | null;
      /**
       * The command's id: a retry of an id already applied changes nothing.
       */
      id?: string | number;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * Pool id.
       */
      pool: string;
      /**
       * Its region; default: the pool's.
       */
      region?: string | null;
      /**
       * Its stage (enters the stage's nurture cadence).
       */
      stage?: string | null;
      type: "deposit";
    }
  | {
      /**
       * The command's id: a retry of an id already applied changes nothing.
       */
      id?: string | number;
      lead: Lead;
      type: "route";
    }
  | {
      /**
       * The command's id: a retry of an id already applied changes nothing.
       */
      id?: string | number;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * The rep.
       */
      rep: string;
      type: "claim";
    }
  | {
      /**
       * Who assigns; required to dispatch a lead waiting with a manager (must be them).
       */
      by?: string | null;
      /**
       * The command's id: a retry of an id already applied changes nothing.
       */
      id?: string | number;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * The rep (or manager).
       */
      rep: string;
      type: "assign";
    }
  | {
      /**
       * Who assigns.
       */
      by?: string | null;
      /**
       * The command's id: a retry of an id already applied changes nothing.
       */
      id?: string | number;
      /**
       * Lead ids.
       */
      leads: string[];
      /**
       * The rep.
       */
      rep: string;
      type: "bulk_assign";
    }
  | {
      /**
       * The command's id: a retry of an id already applied changes nothing.
       */
      id?: string | number;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * Destination pool; default: the pool it came from.
       */
      pool?: string | null;
      /**
       * Why (required).
       */
      reason: string;
      /**
       * The owner.
       */
      rep: string;
      type: "return";
    }
  | {
      /**
       * Who reclaims.
       */
      by?: string | null;
      /**
       * The command's id: a retry of an id already applied changes nothing.
       */
      id?: string | number;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * Destination pool; default: the escalation ladder's.
       */
      pool?: string | null;
      /**
       * Why (required).
       */
      reason: string;
      type: "reclaim";
    }
  | {
      /**
       * The current owner.
       */
      from: string;
      /**
       * The command's id: a retry of an id already applied changes nothing.
       */
      id?: string | number;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * Why.
       */
      reason?: string | null;
      /**
       * The new owner.
       */
      to: string;
      type: "transfer";
    }
  | {
      /**
       * The current owner.
       */
      from: string;
      /**
       * The command's id: a retry of an id already applied changes nothing.
       */
      id?: string | number;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * The receiver's role, to choose between paths when `to` is absent.
       */
      role?: Role | null;
      /**
       * The receiver; absent: picked from the path's team.
       */
      to?: string | null;
      type: "hand_over";
    }
  | {
      /**
       * The command's id: a retry of an id already applied changes nothing.
       */
      id?: string | number;
      /**
       * Activity kind (`call`, `visit`…); absent counts as qualifying.
       */
      kind?: string | null;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * The owner.
       */
      rep: string;
      type: "follow_up";
    }
  | {
      /**
       * The command's id: a retry of an id already applied changes nothing.
       */
      id?: string | number;
      /**
       * Lead id.
       */
      lead: string;
      type: "mark_converted";
    }
  | {
      /**
       * The command's id: a retry of an id already applied changes nothing.
       */
      id?: string | number;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * The rep to exclude.
       */
      owner: string;
      /**
       * Why.
       */
      reason: string;
      type: "exclude_owner";
    }
  | {
      /**
       * The lead as the CRM has it, read by the cadences' `when` (which SOPs it enters,
       * which reactivation cadence is its); its `id` is `lead`. Absent: no SOP with a
       * `when` is entered (one the lead runs is kept) and the lead keeps its reactivation
       * cadence.
       */
      facts?: Lead | null;
      /**
       * The command's id: a retry of an id already applied changes nothing.
       */
      id?: string | number;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * The new stage.
       */
      stage: string;
      type: "stage_changed";
    }
  | {
      /**
       * The command's id: a retry of an id already applied changes nothing.
       */
      id?: string | number;
      /**
       * Lead id.
       */
      lead: string;
      type: "lead_activity";
    }
  | {
      /**
       * The command's id: a retry of an id already applied changes nothing.
       */
      id?: string | number;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * Milestone name.
       */
      name: string;
      type: "milestone";
    }
  | {
      /**
       * The command's id: a retry of an id already applied changes nothing.
       */
      id?: string | number;
      /**
       * Lead id.
       */
      lead: string;
      /**
       * Cadence id.
       */
      sop: string;
      /**
       * Step id.
       */
      step: string;
      type: "nurture_done";
    }
  | {
      /**
       * The command's id: a retry of an id already applied changes nothing.
       */
      id?: string | number;
      /**
       * Lead id.
       */
      lead: string;
      type: "archive";
    }
  | {
      /**
       * The command's id: a retry of an id already applied changes nothing.
       */
      id?: string | number;
      /**
       * Lead id.
       */
      lead: string;
      type: "remove";
    }
  | {
      /**
       * The lead merged into it.
       */
      duplicate: string;
      /**
       * The command's id: a retry of an id already applied changes nothing.
       */
      id?: string | number;
      /**
       * The lead that stays.
       */
      survivor: string;
      type: "merge";
    };
/**
 * What a row holds.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "RowKind".
 */
export type RowKind = "lead" | "rep" | "team";
/**
 * A record to write.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "RowRecord".
 */
export type RowRecord = LeadRecordOutput | RepCountersOutput | TeamRotationOutput;
/**
 * How tiers are cut.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "TierConfig".
 */
export type TierConfig =
  | {
      /**
       * Lowest probability of a high lead (fraction 0–1).
       */
      high: number;
      /**
       * Lowest probability of a mid lead (fraction 0–1, at most `high`).
       */
      mid: number;
      type: "thresholds";
    }
  | {
      /**
       * Fraction of leads that are high (e.g. 0.1).
       */
      high: number;
      /**
       * Fraction of leads that are high or mid (e.g. 0.3).
       */
      mid: number;
      type: "quantiles";
    };
/**
 * The source field that identifies a lead's source.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SourceField".
 */
export type SourceField = "channel" | "campaign" | "utm_source" | "utm_medium";
/**
 * How smoothed rates map to tiers.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SourceTiers".
 */
export type SourceTiers =
  | {
      /**
       * Multiple of `μ` from which a source is high (≥ 1).
       */
      high: number;
      /**
       * Multiple of `μ` below which a source is low (≤ 1).
       */
      low: number;
      type: "relative";
    }
  | {
      /**
       * Rate from which a source is high.
       */
      high: number;
      /**
       * Rate below which a source is low (≤ `high`).
       */
      low: number;
      type: "absolute";
    };
/**
 * How the combined score maps to tiers (for weighted combination).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "TierModel".
 */
export type TierModel =
  | {
      /**
       * Lowest high score.
       */
      high: number;
      /**
       * Lowest mid score (≤ `high`).
       */
      mid: number;
      type: "thresholds";
    }
  | {
      /**
       * Quantile of the high cutoff, in [0, 1].
       */
      high: number;
      /**
       * Quantile of the mid cutoff, in [0, `high`].
       */
      mid: number;
      type: "quantiles";
    };
/**
 * Something the host must do, or may schedule, because of a transition.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "TransitionEffect".
 */
export type TransitionEffect =
  | {
      /**
       * The rep to exclude.
       */
      owner: string;
      /**
       * Why.
       */
      reason: string;
      type: "exclude_owner";
    }
  | {
      /**
       * The earliest time the policy can fire.
       */
      at: string;
      /**
       * Which policy.
       */
      reason: string;
      type: "schedule_check";
    };

/**
 * Every leadcore document: configs (`<Class>Json`), inputs and results.
 */
export interface Leadcore {
  [k: string]: unknown;
}
/**
 * The attribution configuration.
 *
 * The default runs ChannelAttribution's set: first touch, last touch, linear and Markov
 * order 1.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "AttributionConfigJson".
 */
export interface AttributionConfigJson {
  /**
   * Channels that last non-direct skips (default `["direct"]`), compared after trimming.
   */
  direct_channels?: string[];
  level?: Level;
  /**
   * The models, reported in this order.
   */
  models?: ModelSpec[];
  /**
   * Separator of the channels in path strings (default `>`).
   */
  separator?: string;
}
/**
 * Weights of a custom position model: each named slot's share, and the share spread evenly
 * over the touches between the first and the last weighted slot (`middle`). Shares are
 * fractions that sum to 1.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PositionWeights".
 */
export interface PositionWeights {
  /**
   * Share of the closed-won milestone.
   */
  closed_won?: number;
  /**
   * Share of the first-touch milestone (the first touch unless another is flagged).
   */
  first_touch?: number;
  /**
   * Share of the last touch.
   */
  last_touch?: number;
  /**
   * Share of the lead-creation milestone.
   */
  lead_created?: number;
  /**
   * Share spread evenly over the touches strictly between the weighted slots.
   */
  middle?: number;
  /**
   * Share of the opportunity-creation milestone.
   */
  opportunity_created?: number;
}
/**
 * The attribution configuration.
 *
 * The default runs ChannelAttribution's set: first touch, last touch, linear and Markov
 * order 1.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "AttributionConfigOutput".
 */
export interface AttributionConfigOutput {
  /**
   * Channels that last non-direct skips (default `["direct"]`), compared after trimming.
   */
  direct_channels: string[];
  level: Level;
  /**
   * The models, reported in this order.
   */
  models: ModelSpecOutput[];
  /**
   * Separator of the channels in path strings (default `>`).
   */
  separator: string;
}
/**
 * Weights of a custom position model: each named slot's share, and the share spread evenly
 * over the touches between the first and the last weighted slot (`middle`). Shares are
 * fractions that sum to 1.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PositionWeightsOutput".
 */
export interface PositionWeightsOutput {
  /**
   * Share of the closed-won milestone.
   */
  closed_won: number;
  /**
   * Share of the first-touch milestone (the first touch unless another is flagged).
   */
  first_touch: number;
  /**
   * Share of the last touch.
   */
  last_touch: number;
  /**
   * Share of the lead-creation milestone.
   */
  lead_created: number;
  /**
   * Share spread evenly over the touches strictly between the weighted slots.
   */
  middle: number;
  /**
   * Share of the opportunity-creation milestone.
   */
  opportunity_created: number;
}
/**
 * Credits per key under every configured model, side by side.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "AttributionReport".
 */
export interface AttributionReport {
  /**
   * Every key seen, sorted.
   */
  keys: string[];
  level: Level;
  /**
   * One result per configured model, in configuration order.
   */
  models: ModelResult[];
  totals: Totals;
  [k: string]: unknown;
}
/**
 * One model's result.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ModelResult".
 */
export interface ModelResult {
  /**
   * Credits for every key, in key order (keys with no credit included, as 0).
   */
  credits: Credit[];
  /**
   * Markov chain details, for `markov`.
   */
  markov?: MarkovDetail | null;
  /**
   * The model's name (unique in the report).
   */
  name: string;
  /**
   * Shapley details, for `shapley`.
   */
  shapley?: ShapleyDetail | null;
  /**
   * The model type (`first_touch`, `markov`…).
   */
  type: string;
  [k: string]: unknown;
}
/**
 * Credit of one key (channel or campaign) under one model.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Credit".
 */
export interface Credit {
  /**
   * Conversions credited (fractional).
   */
  conversions: number;
  /**
   * The channel (or campaign).
   */
  key: string;
  /**
   * Value credited (same currency as the input values).
   */
  value: number;
  [k: string]: unknown;
}
/**
 * The Markov model's explanation: the chain and each channel's removal effect.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "MarkovDetail".
 */
export interface MarkovDetail {
  /**
   * P(conversion) of a journey (fraction).
   */
  conversion_probability: number;
  /**
   * The order k.
   */
  order: number;
  /**
   * Removal effect per key, in key order.
   */
  removal_effects: RemovalEffect[];
  solver: SolverReport;
  /**
   * Transient states besides `(start)`.
   */
  states: number;
  /**
   * Transition probabilities, when asked for.
   */
  transition_probabilities?: Transition[] | null;
  /**
   * Distinct transitions between transient states.
   */
  transitions: number;
  /**
   * Expected conversion value of a journey.
   */
  value_per_journey: number;
  [k: string]: unknown;
}
/**
 * One channel's removal effect.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "RemovalEffect".
 */
export interface RemovalEffect {
  /**
   * 1 − P(conversion without it) / P(conversion), a fraction.
   */
  conversions: number;
  /**
   * The channel (or campaign).
   */
  key: string;
  /**
   * The same for expected value.
   */
  value: number;
  [k: string]: unknown;
}
/**
 * How the absorbing chain was solved.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SolverReport".
 */
export interface SolverReport {
  /**
   * Numeric LU factorizations done: 1 for the chain, plus 1 per channel held by several
   * states (order 2 and up); a channel held by one state costs one solve. 0 for sweeps.
   */
  factorizations: number;
  /**
   * `sparse_lu`: a direct sparse LU (exact up to floating-point rounding); `gauss_seidel`:
   * sweeps that bound every solution's error to within 1e-13 of it (relative), taken when
   * the LU's work bound exceeds [`MAX_MARKOV_WORK`].
   */
  method: string;
  /**
   * Floating-point operations: the LU's bound, checked against [`MAX_MARKOV_WORK`] before
   * solving; or those the sweeps spent, stopped at [`sweep_limit`].
   */
  work: number;
  [k: string]: unknown;
}
/**
 * A transition probability of the fitted chain.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Transition".
 */
export interface Transition {
  /**
   * From state: `(start)` or the channels of the state joined by `,`.
   */
  from: string;
  /**
   * Probability (fraction).
   */
  probability: number;
  /**
   * To state, or `(conversion)` / `(null)`.
   */
  to: string;
  [k: string]: unknown;
}
/**
 * How the Shapley values were computed.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ShapleyDetail".
 */
export interface ShapleyDetail {
  /**
   * Distinct channel sets observed.
   */
  coalitions_observed: number;
  game: ShapleyGame;
  /**
   * v(all channels) for conversions and for value.
   *
   * @minItems 2
   * @maxItems 2
   */
  grand_coalition: [unknown, unknown];
  /**
   * `exact_closed_form`, `exact_enumeration` or `sampled`.
   */
  method: string;
  /**
   * Channels that appear in at least one journey (the players).
   */
  players: number;
  /**
   * Permutations drawn, when sampled.
   */
  samples?: number | null;
  /**
   * Standard errors of the credits, when sampled, in key order.
   */
  standard_errors?: StandardError[] | null;
  [k: string]: unknown;
}
/**
 * A standard error of a sampled Shapley credit.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "StandardError".
 */
export interface StandardError {
  /**
   * Standard error of the conversions credit.
   */
  conversions: number;
  /**
   * The channel (or campaign).
   */
  key: string;
  /**
   * Standard error of the value credit.
   */
  value: number;
  [k: string]: unknown;
}
/**
 * Totals of the data attributed.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Totals".
 */
export interface Totals {
  /**
   * Converted journeys.
   */
  conversions: number;
  /**
   * Journeys (conversions + nulls).
   */
  journeys: number;
  /**
   * Journeys that did not convert.
   */
  nulls: number;
  /**
   * Total conversion value.
   */
  value: number;
  [k: string]: unknown;
}
/**
 * The serializable, canonical state of an [`AttributionAccumulator`].
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "AttributionState".
 */
export interface AttributionState {
  config: AttributionConfigOutput;
  /**
   * Always [`STATE_FORMAT`].
   */
  format: string;
  /**
   * One entry per heuristic model, in configuration order.
   */
  heuristics: HeuristicState[];
  /**
   * Every key, sorted; ids elsewhere index this list.
   */
  keys: string[];
  /**
   * One entry per distinct Markov order, ascending.
   */
  markov: MarkovState[];
  /**
   * Shapley tallies, when a Shapley model is configured.
   */
  shapley: ShapleyState | null;
  totals: StateTotals;
}
/**
 * Credited sums of one heuristic model: `(key id, conversions, value)`, sorted by key.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "HeuristicState".
 */
export interface HeuristicState {
  /**
   * The model's name.
   */
  model: string;
  /**
   * Non-zero sums by key id.
   */
  sums: [unknown, unknown, unknown][];
}
/**
 * Serialized transition counts of one Markov order, in canonical form.
 *
 * States are numbered from 1 in the order listed (0 is `(start)`); keys are indices into the
 * accumulator state's sorted `keys`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "MarkovState".
 */
export interface MarkovState {
  /**
   * `(state, conversions, nulls, value)` of the walks that ended in the state.
   */
  ends: [unknown, unknown, unknown, unknown][];
  /**
   * The order k.
   */
  order: number;
  /**
   * Each state's keys (up to k).
   */
  states: number[][];
  /**
   * `(from, to, count)`.
   */
  transitions: [unknown, unknown, unknown][];
}
/**
 * Serialized Shapley tallies: `(sorted key ids, conversions, nulls, value)` per channel set.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ShapleyState".
 */
export interface ShapleyState {
  /**
   * The tallies, sorted by set.
   */
  sets: [unknown, unknown, unknown, unknown][];
}
/**
 * Totals in a state.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "StateTotals".
 */
export interface StateTotals {
  /**
   * Conversions.
   */
  conversions: number;
  /**
   * Journeys.
   */
  journeys: number;
  /**
   * Nulls.
   */
  nulls: number;
  value: Exact;
}
/**
 * An out-of-office period.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Away".
 */
export interface Away {
  /**
   * Start (inclusive).
   */
  from: string | number | Date;
  /**
   * End (exclusive).
   */
  to: string | number | Date;
}
/**
 * A numeric band of a [`FitRule::Bands`] rule.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Band".
 */
export interface Band {
  /**
   * Highest value (exclusive); none for no upper bound (last band only).
   */
  max?: number | null;
  /**
   * Lowest value (inclusive); none for no lower bound (first band only).
   */
  min?: number | null;
  /**
   * Points for a value in the band.
   */
  points: number;
}
/**
 * Scores of a batch, in the order of the leads given.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "BatchScores".
 */
export interface BatchScores {
  /**
   * The tier cutoffs used (thresholds, or the population's quantiles).
   */
  cutoffs: Cutoffs | null;
  /**
   * One result per lead.
   */
  leads: ScoredLead[];
  /**
   * Events whose `lead_id` matched no lead in the batch (ignored): row events', or an event
   * table's ([`EventColumns::unmatched`]).
   */
  unmatched_events: number;
  [k: string]: unknown;
}
/**
 * Score cutoffs of the tiers.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Cutoffs".
 */
export interface Cutoffs {
  /**
   * Lowest high score.
   */
  high: number;
  /**
   * Lowest mid score.
   */
  mid: number;
  [k: string]: unknown;
}
/**
 * A lead's scores as of `now`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ScoredLead".
 */
export interface ScoredLead {
  behavior: BehaviorScore;
  combined: CombinedScore;
  fit: FitScore;
  /**
   * The lead's id.
   */
  lead_id: string;
  /**
   * Source score and route, when the model has a source section.
   */
  source?: SourceScore | null;
  [k: string]: unknown;
}
/**
 * A lead's behavior score as of `now`, with where every point came from.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "BehaviorScore".
 */
export interface BehaviorScore {
  /**
   * One line per rule that matched at least one event, in config order.
   */
  breakdown: RuleLine[];
  /**
   * The floor or ceiling, when it changed the score.
   */
  clamp: Clamp | null;
  /**
   * Each group's total before and after its cap, in config order.
   */
  groups: GroupScore[];
  ignored: Ignored;
  /**
   * The behavior score (points, rounded to 4 decimals): groups + silence, clamped.
   */
  score: number;
  silence: SilenceState;
  [k: string]: unknown;
}
/**
 * Where one rule's points came from.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "RuleLine".
 */
export interface RuleLine {
  /**
   * Matching events dropped by the per-kind daily cap.
   */
  capped_events: number;
  /**
   * Caps that reduced this line, in the order they apply.
   */
  caps: CapKind[];
  /**
   * Effective decay factor (points after decay / raw; 1 when raw is 0).
   */
  decay: number;
  /**
   * Events counted (after windows, repeat semantics and caps).
   */
  events: number;
  /**
   * The rule's group.
   */
  group: string;
  /**
   * Points after decay and caps.
   */
  points: number;
  /**
   * Points before decay (`events × points`).
   */
  raw: number;
  /**
   * The rule id.
   */
  rule: string;
  [k: string]: unknown;
}
/**
 * The floor or ceiling applied to the total.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Clamp".
 */
export interface Clamp {
  /**
   * The total before clamping.
   */
  before: number;
  bound: Bound;
  [k: string]: unknown;
}
/**
 * A group's contribution.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "GroupScore".
 */
export interface GroupScore {
  /**
   * The cap, when it was binding.
   */
  cap: number | null;
  /**
   * The group id.
   */
  group: string;
  /**
   * Points the group contributes.
   */
  points: number;
  /**
   * Sum of the group's lines after decay, before the cap.
   */
  points_before_cap: number;
  [k: string]: unknown;
}
/**
 * Events left out of scoring, by reason (documented, never an error).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Ignored".
 */
export interface Ignored {
  /**
   * Second and later deliveries of the same event id.
   */
  duplicates: number;
  /**
   * Events after `now`.
   */
  future: number;
  /**
   * Events without a timestamp (columnar input only; row events always have one).
   */
  missing_time: number;
  [k: string]: unknown;
}
/**
 * Where a lead stands on silence as of `now`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SilenceState".
 */
export interface SilenceState {
  /**
   * Days since the last interaction (or creation), ≥ 0, rounded to 4 decimals.
   */
  days_silent: number;
  /**
   * The latest interaction at or before `now`; `null` when there was none (silence then
   * counts from the lead's `created_at`).
   */
  last_interaction: string | null;
  /**
   * The next reactivation step (days), if any is left.
   */
  next_reactivation: number | null;
  /**
   * The deduction applied (≤ 0; 0 when no tier is reached).
   */
  points: number;
  /**
   * The latest reactivation step reached (days), if any.
   */
  reactivation_due: number | null;
  /**
   * `after_days` of the deduction tier reached, if any.
   */
  tier_after_days: number | null;
  [k: string]: unknown;
}
/**
 * A lead's combined score.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "CombinedScore".
 */
export interface CombinedScore {
  /**
   * The matrix cell, for matrix combination.
   */
  cell?: string | null;
  /**
   * The combined score (rounded to 4 decimals).
   */
  score: number;
  /**
   * The tier; `null` when the model has no tiers, or has quantile tiers and the lead was
   * scored alone.
   */
  tier: SourceTier | null;
  [k: string]: unknown;
}
/**
 * A lead's fit score and grade with one line per rule.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "FitScore".
 */
export interface FitScore {
  /**
   * One line per rule, in config order.
   */
  breakdown: FitLine[];
  grade: Grade;
  /**
   * Net ladder movement in thirds of a letter (positive = up).
   */
  grade_thirds: number;
  /**
   * Sum of the rules' points (rounded to 4 decimals); may be negative.
   */
  score: number;
  [k: string]: unknown;
}
/**
 * One fit rule's result.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "FitLine".
 */
export interface FitLine {
  /**
   * Ladder movement in thirds (signed).
   */
  grade_thirds: number;
  outcome: FitOutcome;
  /**
   * Points earned.
   */
  points: number;
  /**
   * The rule id.
   */
  rule: string;
  /**
   * The city tier found, for `city_tier` rules.
   */
  tier?: number | null;
  /**
   * The attribute value seen (`null` when missing).
   */
  value: {
    [k: string]: unknown;
  };
  [k: string]: unknown;
}
/**
 * A lead's source score.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SourceScore".
 */
export interface SourceScore {
  /**
   * Whether the source has history; unknown sources get the prior mean.
   */
  known: boolean;
  route: Route;
  /**
   * Smoothed conversion rate × 100.
   */
  score: number;
  /**
   * The lead's source (`null` when the field is empty).
   */
  source: string | null;
  tier: SourceTier;
  [k: string]: unknown;
}
/**
 * The behavior part of a scoring model.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "BehaviorModel".
 */
export interface BehaviorModel {
  /**
   * Highest behavior score (the total cap, points); `null` (default) for none.
   */
  ceiling?: number | null;
  /**
   * Per-kind daily caps: at most this many events of the kind count per day (≥ 1).
   */
  daily_caps?: {
    [k: string]: number;
  };
  /**
   * Lowest behavior score (points); `null` for none. Default 0.
   */
  floor?: number | null;
  /**
   * Rule groups, in order. Each has its own decay mode and optional cap.
   */
  groups?: RuleGroup[];
  silence?: SilenceModel;
  /**
   * Offset from UTC of the day boundary used by daily caps, in minutes (`480` for Beijing
   * time); between -1440 and 1440.
   */
  utc_offset_minutes?: number;
}
/**
 * A group of rules sharing a decay mode and a cap.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "RuleGroup".
 */
export interface RuleGroup {
  /**
   * Most points the group can contribute (≥ 0); `null` for no cap.
   */
  cap?: number | null;
  decay?: Decay;
  /**
   * Unique group id.
   */
  id: string;
  /**
   * The rules, in priority order: the first rule whose kind, `where` and window match claims
   * an event.
   */
  rules: BehaviorRule[];
}
/**
 * One step of a [`Decay::Steps`] schedule.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "DecayStep".
 */
export interface DecayStep {
  /**
   * Age in days from which this step applies (inclusive).
   */
  after_days: number;
  /**
   * Reduction as a fraction of the original points, in [0, 1].
   */
  reduce: number;
}
/**
 * One behavior rule: points for events of some kinds, optionally refined.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "BehaviorRule".
 */
export interface BehaviorRule {
  /**
   * Unique rule id (across all groups); the breakdown names lines by it.
   */
  id: string;
  kind: EventKinds;
  /**
   * Points per counted event (negative for penalties such as an unsubscribe).
   */
  points: number;
  repeat?: Repeat;
  /**
   * A condition on the event's `properties.<key>`, `name` or `kind` (the condition
   * language on one event) refining the rule, e.g. downloads of the price list.
   */
  where?: ConditionJson | null;
  /**
   * Only events at most this many days before `now` match the rule (older ones fall
   * through to the group's next rule).
   */
  within_days?: number | null;
}
/**
 * A condition on a lead (or, inside an event count's `where`, on one event).
 *
 * Every condition is a JSON object with exactly one *subject* and, for the leaf kinds, exactly
 * one *operator*, plus an optional `id` and `label` that verdicts use to name the criterion:
 *
 * | kind | JSON |
 * | --- | --- |
 * | all of | `{"all": [c1, c2]}` |
 * | any of | `{"any": [c1, c2]}` |
 * | negation | `{"not": c}` |
 * | field test | `{"field": "attributes.industry", "in": ["saas", "retail"]}` |
 * | named score | `{"score": "behavior", "gte": 50}` |
 * | event count | `{"events": ["download", "form_submit"], "where": c, "within_days": 30, "at_least": 2}` |
 *
 * Operators ([`Op`]): `eq`, `ne`, `in`, `not_in`, `gt`, `gte`, `lt`, `lte`, `between`,
 * `exists`, `missing`, `contains`, `starts_with`, `valid` (a built-in validator), and for dates
 * `within_days` / `older_than_days` (relative to `now`).
 *
 * ```
 * use leadcore::condition::Condition;
 * use leadcore::input::Config;
 * let c = Condition::from_json(r#"{"id": "phone_valid", "field": "attributes.phone", "valid": "cn_mobile"}"#).unwrap();
 * assert_eq!(c.meta().id.as_deref(), Some("phone_valid"));
 * ```
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ConditionJson".
 */
export interface ConditionJson {
  all?: ConditionJson[] | null;
  any?: ConditionJson[] | null;
  at_least?: number | null;
  at_most?: number | null;
  /**
   * @minItems 2
   * @maxItems 2
   */
  between?: [unknown, unknown] | null;
  contains?: string | null;
  eq?: AttrValue | null;
  events?: EventKinds | null;
  exists?: boolean | null;
  field?: string | null;
  gt?: AttrValue | null;
  gte?: AttrValue | null;
  id?: string | null;
  in?: AttrValue[] | null;
  label?: string | null;
  lt?: AttrValue | null;
  lte?: AttrValue | null;
  missing?: boolean | null;
  ne?: AttrValue | null;
  not?: ConditionJson | null;
  not_in?: AttrValue[] | null;
  older_than_days?: number | null;
  score?: string | null;
  starts_with?: string | null;
  valid?: string | null;
  where?: ConditionJson | null;
  /**
   * The event window for `events`, the date operator for `field`.
   */
  within_days?: number | null;
}
/**
 * The silence model: what counts as an interaction, the deduction tiers and the reactivation
 * steps.
 *
 * ```
 * use leadcore::score::silence::SilenceModel;
 * let m: SilenceModel = serde_json::from_str(r#"{"tiers": [
 *     {"after_days": 7, "points": -5}, {"after_days": 30, "points": -20}]}"#).unwrap();
 * assert_eq!(m.reactivation_days, vec![30.0, 45.0, 60.0]);
 * ```
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SilenceModel".
 */
export interface SilenceModel {
  kinds?: EventKinds;
  /**
   * Days of silence at which reactivation campaigns are due, ascending.
   */
  reactivation_days?: number[];
  /**
   * Deduction tiers: after `after_days` days without interaction, `points` (≤ 0) are added
   * to the behavior score. Only the deepest tier reached applies (tiers do not add up).
   */
  tiers?: SilenceTier[];
}
/**
 * One silence deduction tier.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SilenceTier".
 */
export interface SilenceTier {
  /**
   * Days without interaction from which the tier applies (inclusive, > 0).
   */
  after_days: number;
  /**
   * Points added to the behavior score (a deduction: ≤ 0).
   */
  points: number;
}
/**
 * One cadence (SOP) a lead runs: its steps count from `entered_at`, without the time paused.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "CadenceRecord".
 */
export interface CadenceRecord {
  /**
   * Steps the host reported done.
   */
  done?: string[];
  /**
   * When the lead entered it: step times count from here.
   */
  entered_at: string | number | Date;
  /**
   * Seconds spent paused (held by a person) since entering. Step times are counted from
   * `entered_at` plus this; a value past the representable range (up to 9999-12-31) means
   * "paused for ever" (no step comes due), a negative one counts as 0.
   */
  paused_secs?: number;
  /**
   * The cadence (SOP) id.
   */
  sop: string;
}
/**
 * One cadence (SOP) a lead runs: its steps count from `entered_at`, without the time paused.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "CadenceRecordOutput".
 */
export interface CadenceRecordOutput {
  /**
   * Steps the host reported done.
   */
  done?: string[];
  /**
   * When the lead entered it: step times count from here.
   */
  entered_at: string;
  /**
   * Seconds spent paused (held by a person) since entering. Step times are counted from
   * `entered_at` plus this; a value past the representable range (up to 9999-12-31) means
   * "paused for ever" (no step comes due), a negative one counts as 0.
   */
  paused_secs?: number;
  /**
   * The cadence (SOP) id.
   */
  sop: string;
}
/**
 * A business calendar as configured.
 *
 * ```json
 * {"id": "cn_sat", "utc_offset": "+08:00",
 *  "working_days": ["mon", "tue", "wed", "thu", "fri", "sat"],
 *  "hours": [{"start": "09:00", "end": "12:00"}, {"start": "13:30", "end": "18:00"}],
 *  "holidays": ["2026-10-01", "2026-10-02"], "extra_working_days": ["2026-10-11"]}
 * ```
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "CalendarConfig".
 */
export interface CalendarConfig {
  /**
   * Dates that are working days even if their weekday is not (make-up days, 调休).
   */
  extra_working_days?: string[];
  /**
   * Dates that are not working days even if their weekday is.
   */
  holidays?: string[];
  /**
   * Working intervals of a working day, in order, not overlapping.
   */
  hours: WorkingHours[];
  /**
   * Calendar id, referenced by reps and SLA timers.
   */
  id: string;
  /**
   * The calendar's fixed UTC offset, `+08:00` style (`Z` for UTC).
   */
  utc_offset?: string;
  /**
   * Days of the week that are working days.
   */
  working_days: Weekday[];
}
/**
 * One working interval of a day, in local time (`"09:00"` to `"12:00"`; `"24:00"` ends at
 * midnight).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "WorkingHours".
 */
export interface WorkingHours {
  /**
   * End, `HH:MM` local time, after `start`.
   */
  end: string;
  /**
   * Start, `HH:MM` local time.
   */
  start: string;
}
/**
 * One group of the calibration table.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "CalibrationBin".
 */
export interface CalibrationBin {
  /**
   * Highest score in the group.
   */
  max_score: number;
  /**
   * Mean predicted probability.
   */
  mean_predicted: number;
  /**
   * Lowest score in the group.
   */
  min_score: number;
  /**
   * Observed conversion rate.
   */
  observed_rate: number;
  /**
   * Rows in the group.
   */
  rows: number;
  [k: string]: unknown;
}
/**
 * One rep the router considered.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Candidate".
 */
export interface Candidate {
  /**
   * Whether the rep could take the lead.
   */
  eligible: boolean;
  /**
   * Holding cap.
   */
  holding_cap?: number | null;
  /**
   * Leads owned now.
   */
  holdings: number;
  /**
   * Rep id.
   */
  rep: string;
  /**
   * The strategy's measure: turns after the pointer (round robin), current weight after
   * this round (weighted), load fraction (least loaded).
   */
  score?: number | null;
  /**
   * Why not.
   */
  skipped?: Skip | null;
  /**
   * Weight.
   */
  weight: number;
  [k: string]: unknown;
}
/**
 * Capacity-plan configuration.
 *
 * ```json
 * {"stages": [{"id": "Leads"}, {"id": "MQL", "rate": 0.1}, {"id": "Opportunity", "rate": 0.5},
 *             {"id": "Deal", "rate": 0.6}],
 *  "roles": [{"id": "SDR", "handles": "Leads", "capacity": 500},
 *            {"id": "Rep", "handles": "Opportunity", "capacity": 10}],
 *  "ratios": [{"role": "Rep", "per": "SDR", "min": 2, "max": 3}],
 *  "deal_size": 20000, "cost_per_lead": 150}
 * ```
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "CapacityConfigJson".
 */
export interface CapacityConfigJson {
  /**
   * Cost per lead (currency; seed 000: about 150 RMB), for the lead budget.
   */
  cost_per_lead?: number | null;
  /**
   * Average deal size (currency), needed for revenue targets and revenue.
   */
  deal_size?: number | null;
  /**
   * Head-count ratios to report.
   */
  ratios?: PlanRatio[];
  /**
   * Roles and capacities.
   */
  roles?: PlanRole[];
  /**
   * Stages from leads to deals.
   */
  stages: PlanStage[];
}
/**
 * A head-count ratio to report: heads of `role` per head of `per`, with an optional band.
 *
 * Seed 003: `{"role": "Rep", "per": "SDR", "min": 2, "max": 3}` (「一个SDR配2-3个销售」).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PlanRatio".
 */
export interface PlanRatio {
  /**
   * Highest acceptable ratio.
   */
  max?: number | null;
  /**
   * Lowest acceptable ratio.
   */
  min?: number | null;
  /**
   * The role it is counted per (a `roles` id).
   */
  per: string;
  /**
   * The role counted (a `roles` id).
   */
  role: string;
}
/**
 * A team role and its capacity.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PlanRole".
 */
export interface PlanRole {
  /**
   * Units of that volume one person handles per period.
   */
  capacity: number;
  /**
   * The stage whose volume the role works.
   */
  handles: string;
  /**
   * Role name (`SDR`, `Rep`).
   */
  id: string;
}
/**
 * One stage of the plan.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PlanStage".
 */
export interface PlanStage {
  /**
   * Stage id.
   */
  id: string;
  /**
   * Observed counts instead of a rate (their ratio is the rate; Monte Carlo draws around it).
   */
  observed?: Observed | null;
  /**
   * Conversion rate from the previous stage (fraction in (0, 1]); not on the first stage.
   */
  rate?: number | null;
}
/**
 * Observed conversions from which a rate is estimated.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Observed".
 */
export interface Observed {
  /**
   * How many converted.
   */
  converted: number;
  /**
   * Out of how many.
   */
  of: number;
}
/**
 * A deterministic capacity plan.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "CapacityPlan".
 */
export interface CapacityPlan {
  /**
   * Deals needed for the revenue target, when one was given.
   */
  deals_needed: number | null;
  /**
   * Heads per role.
   */
  headcount: Headcount[];
  /**
   * Leads × cost per lead, when the cost is known.
   */
  lead_cost: number | null;
  /**
   * Leads: as given, or needed for the target.
   */
  leads: number;
  /**
   * Product of the rates: leads → last stage (fraction).
   */
  overall_rate: number;
  /**
   * The configured ratios, in config order.
   */
  ratios: RoleRatio[];
  /**
   * Expected revenue (last stage volume × deal size), when the deal size is known.
   */
  revenue: number | null;
  /**
   * Expected volume of every stage.
   */
  stages: StageVolume[];
  [k: string]: unknown;
}
/**
 * One role's headcount.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Headcount".
 */
export interface Headcount {
  /**
   * Capacity per head.
   */
  capacity: number;
  /**
   * Stage it handles.
   */
  handles: string;
  /**
   * ⌈volume ÷ capacity⌉.
   */
  heads: number;
  /**
   * Role.
   */
  role: string;
  /**
   * volume ÷ (heads × capacity) (fraction).
   */
  utilization: number;
  /**
   * Volume of that stage.
   */
  volume: number;
  [k: string]: unknown;
}
/**
 * A head-count ratio of the plan.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "RoleRatio".
 */
export interface RoleRatio {
  /**
   * Heads of `role`.
   */
  heads: number;
  /**
   * The band's high end, when given.
   */
  max?: number | null;
  /**
   * The band's low end, when given.
   */
  min?: number | null;
  /**
   * The role it is counted per.
   */
  per: string;
  /**
   * Heads of `per`.
   */
  per_heads: number;
  /**
   * The role counted.
   */
  role: string;
  /**
   * heads ÷ per_heads; none when `per` needs no one.
   */
  value: number | null;
  /**
   * Whether the value is inside the band (none without a value or a band).
   */
  within: boolean | null;
  [k: string]: unknown;
}
/**
 * One stage's volume.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "StageVolume".
 */
export interface StageVolume {
  /**
   * Rate from the previous stage (fraction), none for the first.
   */
  rate: number | null;
  /**
   * Stage id.
   */
  stage: string;
  /**
   * Expected volume.
   */
  volume: number;
  [k: string]: unknown;
}
/**
 * The Monte Carlo plan.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "CapacitySimulation".
 */
export interface CapacitySimulation {
  /**
   * Distributions, in the order: leads, stages, revenue, lead cost, heads per role.
   */
  distributions: Distribution[];
  /**
   * The requested percentiles.
   */
  percentiles: number[];
  /**
   * Runs.
   */
  runs: number;
  /**
   * Seed.
   */
  seed: number;
  [k: string]: unknown;
}
/**
 * Percentiles of one simulated quantity.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Distribution".
 */
export interface Distribution {
  /**
   * Mean over the runs.
   */
  mean: number;
  /**
   * What it is: `leads`, `stage:<id>`, `revenue`, `lead_cost`, `heads:<role>`.
   */
  quantity: string;
  /**
   * One value per requested percentile, in the requested order.
   */
  values: number[];
  [k: string]: unknown;
}
/**
 * A categorical attribute, one-hot encoded.
 *
 * Levels are the attribute's values among the training leads seen at least `min_count` times,
 * the `max_levels` most frequent (ties by name). Every other value (rare, unseen at training
 * time, or missing) sets the `(other)` column. A list attribute sets one column per element.
 * Names starting with `source.` read the lead's source (`source.channel`, `source.campaign`,
 * `source.utm_source`…) instead of an attribute.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "CategoricalFeature".
 */
export interface CategoricalFeature {
  /**
   * Attribute name, or `source.<field>`.
   */
  attribute: string;
  /**
   * Most levels kept (at least 1).
   */
  max_levels?: number;
  /**
   * Fewest training leads a value needs to become a level (at least 1).
   */
  min_count?: number;
}
/**
 * A categorical attribute, one-hot encoded.
 *
 * Levels are the attribute's values among the training leads seen at least `min_count` times,
 * the `max_levels` most frequent (ties by name). Every other value (rare, unseen at training
 * time, or missing) sets the `(other)` column. A list attribute sets one column per element.
 * Names starting with `source.` read the lead's source (`source.channel`, `source.campaign`,
 * `source.utm_source`…) instead of an attribute.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "CategoricalFeatureOutput".
 */
export interface CategoricalFeatureOutput {
  /**
   * Attribute name, or `source.<field>`.
   */
  attribute: string;
  /**
   * Most levels kept (at least 1).
   */
  max_levels: number;
  /**
   * Fewest training leads a value needs to become a level (at least 1).
   */
  min_count: number;
}
/**
 * A matrix cell.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Cell".
 */
export interface Cell {
  /**
   * The combined score of leads in the cell.
   */
  score: number;
  tier: SourceTier;
}
/**
 * One stage of the ROI chain.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ChainStage".
 */
export interface ChainStage {
  /**
   * Sum of the stage amount.
   */
  amount: number;
  /**
   * Spend ÷ count, when any entered.
   */
  cost_per: number | null;
  /**
   * Leads that entered it.
   */
  count: number;
  /**
   * count ÷ previous stage's count (fraction).
   */
  rate_from_previous: number | null;
  /**
   * Stage id.
   */
  stage: string;
  [k: string]: unknown;
}
/**
 * A before → after pair.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Change_Nullable_SourceTier".
 */
export interface Change_Nullable_SourceTier {
  /**
   * Under the current model.
   */
  from: SourceTier | null;
  /**
   * Under the proposed model.
   */
  to: SourceTier | null;
  [k: string]: unknown;
}
/**
 * A before → after pair.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Change_boolean".
 */
export interface ChangeBoolean {
  /**
   * Under the current model.
   */
  from: boolean;
  /**
   * Under the proposed model.
   */
  to: boolean;
  [k: string]: unknown;
}
/**
 * A before → after pair.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Change_double".
 */
export interface ChangeDouble {
  /**
   * Under the current model.
   */
  from: number;
  /**
   * Under the proposed model.
   */
  to: number;
  [k: string]: unknown;
}
/**
 * How many customers a channel owns.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ChannelOwnership".
 */
export interface ChannelOwnership {
  /**
   * Of which by recording last beyond the window.
   */
  beyond_window: number;
  /**
   * The channel.
   */
  channel: string;
  /**
   * Customers owned.
   */
  customers: number;
  /**
   * Of which by recording first within the window.
   */
  within_window: number;
  [k: string]: unknown;
}
/**
 * City tier (seed 001: tier-1 cities convert better) looked up in a host-supplied table.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "CityTierFeature".
 */
export interface CityTierFeature {
  /**
   * Attribute holding the city name.
   */
  attribute: string;
  /**
   * City name → tier (1 = top tier).
   */
  tiers: {
    [k: string]: number;
  };
  /**
   * Tier of a city not in the table; `null` leaves it missing.
   */
  unknown_tier?: number | null;
}
/**
 * City tier (seed 001: tier-1 cities convert better) looked up in a host-supplied table.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "CityTierFeatureOutput".
 */
export interface CityTierFeatureOutput {
  /**
   * Attribute holding the city name.
   */
  attribute: string;
  /**
   * City name → tier (1 = top tier).
   */
  tiers: {
    [k: string]: number;
  };
  /**
   * Tier of a city not in the table; `null` leaves it missing.
   */
  unknown_tier: number | null;
}
/**
 * One lead's cleaned values, for write-back.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "CleanedLead".
 */
export interface CleanedLead {
  /**
   * Index into `clusters` of the lead's cluster, or `null` when it has no duplicate.
   */
  cluster: number | null;
  /**
   * The lead's id.
   */
  id: string;
  /**
   * Every raw value read, in key order then field order.
   */
  values: CleanedValue[];
  [k: string]: unknown;
}
/**
 * One raw value read from a lead and what cleaning made of it.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "CleanedValue".
 */
export interface CleanedValue {
  /**
   * The cleaned value to write back (11-digit Chinese mobile or E.164 phone, normalized email,
   * tidied company or contact name), when valid.
   */
  cleaned: string | null;
  /**
   * The field it was read from, e.g. `attributes.phone`.
   */
  field: string;
  /**
   * Position in a list value; `null` for a single value.
   */
  index: number | null;
  /**
   * The matching key, when valid (email with provider rules, company with suffixes stripped,
   * contact name lowercased without spaces).
   */
  key: string | null;
  kind: ValueKind;
  raw: AttrValue;
  /**
   * Why the value is unusable (a phone, email or company reason code, or `not_text`).
   */
  reason: string | null;
  [k: string]: unknown;
}
/**
 * A set of leads that are one person, with the lead that survives and why they matched.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Cluster".
 */
export interface Cluster {
  /**
   * Every shared normalized value that links members, ordered by key kind then value.
   */
  matches: Match[];
  /**
   * Every member's id (survivor included), sorted.
   */
  members: string[];
  /**
   * Members other than the survivor, sorted: the leads to merge into it.
   */
  merged: string[];
  /**
   * Id of the surviving lead.
   */
  survivor: string;
  survivor_reason: SurvivorReason;
  [k: string]: unknown;
}
/**
 * One normalized value shared by two or more members: the reason they were merged.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Match".
 */
export interface Match {
  /**
   * For `company_contact`, the shared normalized contact name; `null` otherwise.
   */
  contact: string | null;
  key: KeyKind;
  /**
   * Ids of the members sharing it, sorted.
   */
  leads: string[];
  /**
   * The shared normalized value (phone, email key, or company key).
   */
  value: string;
  [k: string]: unknown;
}
/**
 * One column of a feature matrix.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Column".
 */
export interface Column {
  /**
   * The variable the column belongs to: the attribute for one-hot columns, else the name.
   * Explanations and naive Bayes work per group.
   */
  group: string;
  /**
   * For one-hot columns, the level the column stands for.
   */
  level?: string | null;
  /**
   * Column name, e.g. `download_count_30d`, `industry=advertising`, `city_tier`.
   */
  name: string;
  [k: string]: unknown;
}
/**
 * A band of a matrix axis.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "MatrixBand".
 */
export interface MatrixBand {
  /**
   * The band's label (`A`, `1`…).
   */
  label: string;
  /**
   * Lowest score in the band (inclusive); absent on the last band.
   */
  min?: number | null;
  /**
   * Lowest grade in the band, for a grade fit axis; absent on the last band.
   */
  min_grade?: Grade | null;
}
/**
 * What company-name normalization strips. JSON (all keys optional):
 * `{"strip_legal_suffixes": true, "strip_region_qualifiers": true,
 *   "extra_legal_suffixes": ["工作室"], "extra_regions": ["浦东"]}`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "CompanyOptionsJson".
 */
export interface CompanyOptionsJson {
  /**
   * More suffixes to strip, matched after the same folding as the name (a Latin word is
   * compared with dots removed, like the built-in ones).
   */
  extra_legal_suffixes?: string[];
  /**
   * More region names recognised inside parentheses (with the same administrative suffixes).
   */
  extra_regions?: string[];
  /**
   * Strip legal suffixes (有限公司, Co., Ltd., Inc.…) and parenthesized legal forms.
   */
  strip_legal_suffixes?: boolean;
  /**
   * Strip parenthesized region qualifiers such as `(北京)`.
   */
  strip_region_qualifiers?: boolean;
}
/**
 * The detailed answer for one raw company name.
 *
 * Every field is always present in JSON (`null` or `[]` when it does not apply).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "CompanyParse".
 */
export interface CompanyParse {
  /**
   * The cleaned display form (folded, whitespace tidied, case kept), to write back.
   */
  cleaned: string | null;
  /**
   * One human-readable sentence saying what was done.
   */
  explanation: string;
  /**
   * The matching key.
   */
  normalized: string | null;
  /**
   * Why the name is unusable, when it is.
   */
  reason: CompanyInvalid | null;
  /**
   * What was stripped to get the key, in order.
   */
  stripped: Stripped[];
  /**
   * Whether the name has any letter or digit.
   */
  valid: boolean;
}
/**
 * One piece of text removed from the normalized key, in the order removed.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Stripped".
 */
export interface Stripped {
  kind: StripKind;
  /**
   * The text removed, as it stood in the lowercased name (parentheses included).
   */
  text: string;
}
/**
 * The three records a lead becomes, as JSON objects with sorted keys, and how each field was
 * filled (in mapping order).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Converted".
 */
export interface Converted {
  /**
   * The account (company) record.
   */
  account: {
    [k: string]: unknown;
  };
  /**
   * The contact (person) record.
   */
  contact: {
    [k: string]: unknown;
  };
  /**
   * How each target field was filled.
   */
  fields: FieldOutcome[];
  /**
   * The opportunity (deal) record.
   */
  opportunity: {
    [k: string]: unknown;
  };
}
/**
 * The outcome of one field rule.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "FieldOutcome".
 */
export interface FieldOutcome {
  /**
   * The source path used, when it came from the lead.
   */
  from?: string | null;
  source: ValueSource;
  /**
   * Target `<object>.<field>`.
   */
  to: string;
}
/**
 * A rep who may not take the lead again before `until`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Cooldown".
 */
export interface Cooldown {
  /**
   * The rep.
   */
  rep: string;
  /**
   * End of the cooldown.
   */
  until: string | number | Date;
}
/**
 * A rep who may not take the lead again before `until`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "CooldownOutput".
 */
export interface CooldownOutput {
  /**
   * The rep.
   */
  rep: string;
  /**
   * End of the cooldown.
   */
  until: string;
}
/**
 * Cross-validation results: metrics per fold and their mean and standard deviation.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "CrossValidation".
 */
export interface CrossValidation {
  /**
   * Holdout metrics of each fold.
   */
  folds: MetricsOutput[];
  mean: MetricSummary;
  std: MetricSummary;
  [k: string]: unknown;
}
/**
 * Quality of predicted probabilities against outcomes.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "MetricsOutput".
 */
export interface MetricsOutput {
  /**
   * Fraction of rows that converted.
   */
  base_rate: number;
  /**
   * Mean squared error of the probability.
   */
  brier: number;
  /**
   * Rows sorted by score and cut into ten groups of (nearly) equal size, lowest first.
   */
  calibration: CalibrationBin[];
  /**
   * Mean negative log-likelihood (natural log), probabilities clipped to `[1e-15, 1-1e-15]`.
   */
  log_loss: number;
  /**
   * Converted rows.
   */
  positives: number;
  /**
   * Area under the precision-recall curve as average precision (scikit-learn's
   * `average_precision_score`; `null` without positives).
   */
  pr_auc: number | null;
  /**
   * Area under the ROC curve, ties counted as half (`null` with a single class).
   */
  roc_auc: number | null;
  /**
   * Rows evaluated.
   */
  rows: number;
  /**
   * Precision and recall when the high tier, then the high and mid tiers, are worked.
   */
  tiers: TierMetricsOutput[];
  /**
   * Conversion rate of the top 10 % of rows by score over the base rate (`null` without
   * positives).
   */
  top_decile_lift: number | null;
  [k: string]: unknown;
}
/**
 * What working the leads at or above a tier threshold gives.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "TierMetricsOutput".
 */
export interface TierMetricsOutput {
  /**
   * Converted fraction of those rows (`null` when there are none).
   */
  precision: number | null;
  /**
   * Fraction of all converted rows that are among them (`null` without positives).
   */
  recall: number | null;
  /**
   * Rows at or above the threshold.
   */
  rows: number;
  /**
   * Its probability threshold.
   */
  threshold: number;
  tier: Tier;
  [k: string]: unknown;
}
/**
 * The headline metrics, for cross-validation summaries.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "MetricSummary".
 */
export interface MetricSummary {
  /**
   * Brier score.
   */
  brier: number;
  /**
   * Log loss.
   */
  log_loss: number;
  /**
   * Average precision.
   */
  pr_auc: number | null;
  /**
   * ROC AUC (`null` when a fold has a single class).
   */
  roc_auc: number | null;
  [k: string]: unknown;
}
/**
 * The stage the lead is in and for how long.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "CurrentStage".
 */
export interface CurrentStage {
  /**
   * Days since then (fractional).
   */
  age_days: number;
  /**
   * When the lead entered it (effective time).
   */
  since: string;
  /**
   * The stage id.
   */
  stage: string;
}
/**
 * The owner of one customer and why.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "CustomerOwner".
 */
export interface CustomerOwner {
  first: OwnershipRecord;
  /**
   * The journey (customer) id.
   */
  id: string;
  /**
   * The last recorded touch at or before the opportunity, if any.
   */
  last: OwnershipRecord | null;
  /**
   * When the opportunity was created, if it was.
   */
  opportunity_at: string | null;
  /**
   * The owning channel, if any.
   */
  owner: string | null;
  /**
   * The touch that made the owner (the first inside the window, or the last before the
   * opportunity), if any.
   */
  owner_record: OwnershipRecord | null;
  reason: OwnershipReason;
  /**
   * End of that window (inclusive): the opportunity, or the first touch plus the window.
   */
  window_end: string | null;
  /**
   * Start of the window the rule looked at (inclusive): the opportunity less the window
   * (`first_in_window`) or the first touch (`first_touch_window`).
   */
  window_start: string | null;
  [k: string]: unknown;
}
/**
 * A recorded touch named in an ownership decision.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "OwnershipRecord".
 */
export interface OwnershipRecord {
  /**
   * When.
   */
  at: string;
  /**
   * The channel that recorded the customer.
   */
  channel: string;
  [k: string]: unknown;
}
/**
 * Whether one lead duplicates any of its candidates, and the cluster it belongs to.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "DedupDecision".
 */
export interface DedupDecision {
  /**
   * The cluster containing the lead, exactly as the batch form reports it for
   * `[candidates…, lead]` (survivor, members, merged, survivor reason, matches; it may
   * include candidates linked to the lead only through other candidates); `null` when the
   * lead duplicates none.
   */
  cluster: Cluster | null;
  /**
   * Whether the lead duplicates at least one candidate (then `cluster` is not `null`).
   */
  duplicate: boolean;
  /**
   * The lead's id.
   */
  id: string;
  /**
   * The lead's cleaned values, as the batch form reports them in `leads`.
   */
  values: CleanedValue[];
  [k: string]: unknown;
}
/**
 * How to find duplicates and which lead of a cluster survives. `{}` is the default policy.
 *
 * ```json
 * {
 *   "keys": [
 *     {"type": "phone", "fields": ["attributes.phone", "attributes.mobile"]},
 *     {"type": "email", "fields": ["attributes.email"]},
 *     {"type": "company_contact", "company_fields": ["attributes.company"],
 *      "contact_fields": ["attributes.contact_name"]}
 *   ],
 *   "survivor": {"type": "oldest"},
 *   "email": {"gmail_dots": false, "plus_tags": "keep"},
 *   "company": {"strip_legal_suffixes": true, "strip_region_qualifiers": true}
 * }
 * ```
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "DedupPolicyJson".
 */
export interface DedupPolicyJson {
  company?: CompanyOptionsJson;
  email?: EmailOptionsJson;
  /**
   * What makes two leads duplicates; each key kind at most once.
   */
  keys?: DedupKey[];
  survivor?: SurvivorPolicy;
}
/**
 * Provider rules for the matching key. The default applies none.
 *
 * JSON: `{"gmail_dots": true, "plus_tags": "known_providers"}` (both keys optional).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "EmailOptionsJson".
 */
export interface EmailOptionsJson {
  /**
   * Ignore dots in Gmail local parts and read `googlemail.com` as `gmail.com`.
   */
  gmail_dots?: boolean;
  plus_tags?: PlusTags;
}
/**
 * Duplicate clusters, the leads without duplicates, and every lead's cleaned values.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "DedupResult".
 */
export interface DedupResult {
  /**
   * Clusters of two or more leads, ordered by their smallest member id.
   */
  clusters: Cluster[];
  /**
   * Cleaned values per lead, in input order.
   */
  leads: CleanedLead[];
  stats: DedupStats;
  /**
   * Ids of leads with no duplicate, sorted. With the clusters' members, a partition of the
   * batch.
   */
  unique: string[];
  [k: string]: unknown;
}
/**
 * Counts over one dedup run.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "DedupStats".
 */
export interface DedupStats {
  /**
   * Clusters of two or more.
   */
  clusters: number;
  /**
   * Leads merged into a survivor (cluster members minus survivors).
   */
  duplicates: number;
  /**
   * Raw values that were reported invalid.
   */
  invalid_values: number;
  /**
   * Leads in the batch.
   */
  leads: number;
  /**
   * Leads with no duplicate.
   */
  unique: number;
  [k: string]: unknown;
}
/**
 * One policy that is due for a lead, with the transition to apply (if any).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Due".
 */
export interface Due {
  kind: DueKind;
  /**
   * Why, with the numbers.
   */
  reason: string;
  /**
   * The transition to pass to [`crate::lifecycle::transition`], effective at `since`;
   * absent for reminders and notes.
   */
  request?: TransitionRequestOutput | null;
  /**
   * When it fell due.
   */
  since: string;
  /**
   * The lead's current stage.
   */
  stage: string;
}
/**
 * What the caller asks for: a target stage, an edge kind, or both (then they must agree).
 *
 * JSON: `{"to": "SAL", "edge": "forward", "actor": "rep_7", "reason": "…",
 *   "at": "2026-11-20T10:00:00+08:00", "evidence": [Event…]}`; every key optional, but one of
 * `to` / `edge` is needed once the lead has a stage. A lead with no stage can only enter at the
 * pipeline's entry stage (`{}` is enough).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "TransitionRequestOutput".
 */
export interface TransitionRequestOutput {
  /**
   * Who makes the change (user id, `system`, rule id).
   */
  actor?: string | null;
  /**
   * When the change took effect, if earlier than `now` (a back-dated qualification, say).
   * Must not be after `now` nor before the lead's last change.
   */
  at?: string | null;
  /**
   * Edge kind; alone it picks the only edge of that kind out of the current stage.
   */
  edge?: EdgeKind | null;
  /**
   * New evidence for handing a rejected lead back to sales inside its cooldown: events of
   * this lead after the rejection (of the pipeline's `evidence_kinds`). Events of other leads
   * are ignored; order and duplicates do not matter.
   */
  evidence?: LeadEventOutput[];
  /**
   * Why; required (non-blank) for every edge kind but `enter` and `forward`.
   */
  reason?: string | null;
  /**
   * Target stage id.
   */
  to?: string | null;
}
/**
 * One thing a lead did.
 *
 * ```
 * let e: leadcore::Event = serde_json::from_str(r#"{
 *     "id": "e1", "lead_id": "L1", "kind": "download", "at": "2026-11-20T10:00:00+08:00",
 *     "properties": {"asset": "pricing.pdf"}
 * }"#).unwrap();
 * assert_eq!(e.kind, leadcore::EventKind::Download);
 * ```
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "LeadEventOutput".
 */
export interface LeadEventOutput {
  /**
   * When it happened.
   */
  at: string;
  /**
   * The host's event id; two events with the same id are one event delivered twice.
   */
  id?: string | null;
  kind: EventKind;
  /**
   * The lead that did it.
   */
  lead_id: string;
  /**
   * For `custom` events, the host's name for it.
   */
  name?: string | null;
  /**
   * Details (page url, asset, campaign…), typed like lead attributes.
   */
  properties?: {
    [k: string]: AttrValue;
  };
  [k: string]: unknown;
}
/**
 * One allowed move of a pipeline, after generation and expansion.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Edge".
 */
export interface Edge {
  /**
   * Source stage id.
   */
  from: string;
  kind: EdgeKind;
  /**
   * Target stage id.
   */
  to: string;
}
/**
 * An explicit edge in the config: from one or more stages to one stage, of one kind.
 *
 * `from` takes a stage id or a list of ids; `from_kinds` selects every stage of the given kinds
 * for which an edge of this `kind` into `to` is valid (other stages are skipped). At least one
 * of the two is required. `{"from_kinds": ["pre_marketing", "marketing", "sales"],
 * "to": "Disqualified", "kind": "disqualify"}` lets every open stage be disqualified.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "EdgeSpec".
 */
export interface EdgeSpec {
  /**
   * Source stage ids.
   */
  from?: string[];
  /**
   * Source stage kinds.
   */
  from_kinds?: StageKind[];
  kind: EdgeKind;
  /**
   * Target stage id.
   */
  to: string;
}
/**
 * Who may claim from a pool: reps of these teams or of these regions, and, when `roles` is
 * given, only people of these roles (`{"roles": ["sdr"]}`: a pool only SDRs work).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Eligibility".
 */
export interface Eligibility {
  /**
   * Regions.
   */
  regions?: string[];
  /**
   * Roles; empty: every role.
   */
  roles?: Role[];
  /**
   * Team ids.
   */
  teams?: string[];
}
/**
 * The detailed answer for one raw email string.
 *
 * Every field is always present in JSON (`null` or `[]` when it does not apply).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "EmailParse".
 */
export interface EmailParse {
  /**
   * The normalized domain.
   */
  domain: string | null;
  /**
   * One human-readable sentence saying what was found.
   */
  explanation: string;
  /**
   * The matching key: `normalized` with the configured provider rules applied.
   */
  key: string | null;
  /**
   * The normalized local part.
   */
  local: string | null;
  /**
   * The normalized address (to write back), when valid.
   */
  normalized: string | null;
  /**
   * Whether the domain is a free-mail provider (see [`is_personal_email_domain`]).
   */
  personal: boolean | null;
  /**
   * Why the address is invalid, when it is.
   */
  reason: EmailInvalid | null;
  /**
   * Provider rules that changed the key, in the order applied.
   */
  rules: EmailRule[];
  /**
   * Whether the string is a valid address.
   */
  valid: boolean;
}
/**
 * The fall-out ladder: which kind of pool a lead goes to at its first, second… fall-out.
 *
 * Seed 000: `[{"pool_kind": "active"}, {"pool_kind": "general", "min_months": 6}]` — a lead
 * that falls out of its rep's protection (客保) goes to the regional active pool; "如果6个月之后,
 * 再次从客保中掉落" (if it falls out again after 6 months) it goes to the regional general pool.
 * The 6 months count from the first fall-out, so a lead that falls out every 100 days reaches
 * the general pool at its third fall-out (200 days after the first) instead of bouncing
 * between reps and the active pool for ever.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "EscalationConfig".
 */
export interface EscalationConfig {
  /**
   * The steps, first fall-out first.
   */
  ladder: LadderStep[];
}
/**
 * One step of the fall-out ladder.
 *
 * The first fall-out takes step 0; each later fall-out takes the next step if the time since
 * `since` is within the step's bounds (at least `min_*`, at most `max_*`; a bound in days or
 * in calendar months, not both; both bounds in the same unit), else the lead stays on its
 * step. The bounds of step 0 are not used.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "LadderStep".
 */
export interface LadderStep {
  /**
   * Take this step only at most this many days after `since`. Also read from
   * `max_days_since_previous`, its name before 0.2, which now counts from `since` too.
   */
  max_days?: number | null;
  /**
   * Take this step only at most this many calendar months after `since`.
   */
  max_months?: number | null;
  /**
   * Take this step only at least this many days after `since`. Also read from
   * `min_days_since_previous`, its name before 0.2, which now counts from `since` too.
   */
  min_days?: number | null;
  /**
   * Take this step only at least this many calendar months after `since` (UTC calendar;
   * 2026-08-31 + 6 months is 2027-02-28).
   */
  min_months?: number | null;
  pool_kind: PoolKind;
  since?: LadderSince;
}
/**
 * A trained random forest.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "RandomForest".
 */
export interface RandomForest {
  /**
   * Mean decrease in impurity per feature (normalized to sum to 1), scikit-learn's
   * `feature_importances_`.
   */
  impurity_importance: number[];
  /**
   * Number of input features.
   */
  n_features: number;
  /**
   * The trees.
   */
  trees: Tree[];
  [k: string]: unknown;
}
/**
 * A decision tree, stored column-wise in model files.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Tree".
 */
export interface Tree {
  feature: number[];
  left: number[];
  missing_left: boolean[];
  right: number[];
  threshold: number[];
  value: number[];
}
/**
 * A trained naive-Bayes model.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "NaiveBayes".
 */
export interface NaiveBayes {
  /**
   * Smoothing.
   */
  alpha: number;
  /**
   * Non-converted training leads.
   */
  lost_total: number;
  /**
   * Support a value needs to count.
   */
  min_support: number;
  /**
   * Number of input features.
   */
  n_features: number;
  /**
   * The variables.
   */
  variables: Variable[];
  /**
   * Converted training leads.
   */
  won_total: number;
  [k: string]: unknown;
}
/**
 * One variable: its encoding and per-value counts.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Variable".
 */
export interface Variable {
  encoding: Encoding;
  /**
   * Non-converted training leads per value.
   */
  lost: number[];
  /**
   * The variable's name (column group).
   */
  name: string;
  /**
   * Converted training leads per value.
   */
  won: number[];
  [k: string]: unknown;
}
/**
 * The result of evaluating a condition: pass/fail, the named criteria that passed and failed,
 * and the full tree.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Evaluation".
 */
export interface Evaluation {
  /**
   * Names of the criteria that failed, in config order.
   */
  failed_criteria: string[];
  /**
   * Whether the whole condition passed.
   */
  passed: boolean;
  /**
   * Names of the criteria that passed, in config order (see [`Evaluation::criteria`]).
   */
  passed_criteria: string[];
  tree: Outcome;
  [k: string]: unknown;
}
/**
 * One criterion of an evaluation tree: what was tested, what was seen, whether it passed and
 * why. Children come in the config's order.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Outcome".
 */
export interface Outcome {
  /**
   * The criteria inside `all` / `any` / `not`, in config order.
   */
  children?: Outcome[];
  /**
   * The test in config terms (`attributes.industry in ["saas","retail"]`, `all of 3`).
   */
  criterion: string;
  /**
   * The condition's `id`, if it has one.
   */
  id?: string | null;
  /**
   * The condition's `label`, if it has one.
   */
  label?: string | null;
  /**
   * Whether the criterion passed.
   */
  passed: boolean;
  /**
   * JSON path of the condition within its config (`$` for the root, then `all[2]`…).
   */
  path: string;
  /**
   * Why it passed or failed, in words.
   */
  reason: string;
  /**
   * The value tested, for leaves: a field's value (`null` when missing), a score, an event
   * count. Absent for `all` / `any` / `not`.
   */
  seen?: {
    [k: string]: unknown;
  };
  [k: string]: unknown;
}
/**
 * A rep who must not be the lead's next owner.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Exclusion".
 */
export interface Exclusion {
  /**
   * Why (`fallout`, or the reason given with `exclude_owner`).
   */
  reason: string;
  /**
   * The rep.
   */
  rep: string;
}
/**
 * One factor of a score.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Factor".
 */
export interface Factor {
  /**
   * Effect on the score: for a forest, probability points (path contributions summed over
   * the group); for naive Bayes, `ln(ratio)` in log-odds.
   */
  effect: number;
  /**
   * Feature group: a column name, or the attribute of a one-hot encoded categorical.
   */
  feature: string;
  /**
   * Naive Bayes only: `P(value | converted) / P(value | not converted)`.
   */
  ratio?: number | null;
  /**
   * The lead's value (`missing` when absent).
   */
  value: string;
  [k: string]: unknown;
}
/**
 * A feature spec with what was learned from the training leads (the categorical levels): all it
 * takes to build the same columns at scoring time.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "FeatureEncoding".
 */
export interface FeatureEncoding {
  /**
   * The columns, in matrix order.
   */
  columns: Column[];
  /**
   * Per `spec.categorical` entry, its levels, most frequent first.
   */
  levels: string[][];
  spec: FeatureSpecJson;
  [k: string]: unknown;
}
/**
 * Which features to build, all computed as of a cut-off instant (events after it are ignored).
 *
 * Every field has a default, so `{}` is a valid spec: counts of every non-custom event kind in
 * windows of 1, 7, 30, 180 and 365 days, recency per kind, active days in the last 365 days,
 * silence and lead age.
 *
 * ```
 * use leadcore::input::Config;
 * use leadcore::predict::FeatureSpec;
 * let spec = FeatureSpec::from_json(r#"{
 *     "windows_days": [7, 30],
 *     "event_kinds": ["download", "search"],
 *     "categorical": [{"attribute": "industry", "max_levels": 10, "min_count": 5}],
 *     "numeric": [{"attribute": "employees"}],
 *     "city_tier": {"attribute": "city", "tiers": {"北京": 1, "上海": 1, "杭州": 2}},
 *     "source_quality": {"scores": {"sem": 0.8, "content": 0.2}},
 *     "keywords": [{"attribute": "chat_tokens", "keywords": ["报价", "合同"]}]
 * }"#).unwrap();
 * assert_eq!(spec.windows_days, [7, 30]);
 * let bad = FeatureSpec::from_json(r#"{"windows_days": [7, 0]}"#).unwrap_err();
 * assert_eq!((bad.code(), bad.path.as_str()), ("invalid_value", "windows_days[1]"));
 * ```
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "FeatureSpecJson".
 */
export interface FeatureSpecJson {
  /**
   * Add the number of distinct calendar days with any event in this many days before the
   * cut-off; `null` leaves the feature out.
   */
  active_days_window?: number | null;
  /**
   * Add the lead's age in days at the cut-off (0 when it was created after the cut-off).
   */
  age?: boolean;
  /**
   * Categorical attributes, one-hot encoded with levels learned from the training leads.
   */
  categorical?: CategoricalFeature[];
  /**
   * City tier from a table the host supplies.
   */
  city_tier?: CityTierFeature | null;
  /**
   * Offset from UTC, in minutes, of the calendar used to count active days (480 for China).
   */
  day_offset_minutes?: number;
  /**
   * Event kinds to count (default: every kind but `custom`).
   */
  event_kinds?: EventKind[];
  /**
   * Keyword flags from host-tokenized text attributes.
   */
  keywords?: KeywordFeature[];
  /**
   * Numeric attributes.
   */
  numeric?: NumericFeature[];
  /**
   * Add, per kind, the days since its last event (missing when the lead never did it).
   */
  recency?: boolean;
  /**
   * Add the days since the lead's last event of any kind (since creation when it has none).
   */
  silence?: boolean;
  /**
   * Quality score of the lead's source channel, from a channel → score map.
   */
  source_quality?: SourceQualityFeature | null;
  /**
   * Count windows in days: an event counts in window `w` when `cutoff - w days < at <= cutoff`.
   */
  windows_days?: number[];
}
/**
 * Keyword flags: one 0 / 1 column per keyword, set when the attribute's tokens contain it.
 *
 * The attribute holds the host's tokens as a list of strings (a text value is split on
 * whitespace); matching is exact.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "KeywordFeature".
 */
export interface KeywordFeature {
  /**
   * Attribute holding the tokens (support-chat words, form answers…).
   */
  attribute: string;
  /**
   * Keywords to flag.
   */
  keywords: string[];
}
/**
 * A numeric attribute.
 *
 * Numbers are used as they are, booleans as 1 / 0, dates and date-times as days before the
 * cut-off. Anything else (text, lists, null, absent) is missing: `NaN`, which the forest routes
 * natively (each split learns where missing values go), unless `impute` gives a value.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "NumericFeature".
 */
export interface NumericFeature {
  /**
   * Attribute name.
   */
  attribute: string;
  /**
   * Value used when the attribute is missing; `null` keeps it missing (`NaN`).
   */
  impute?: number | null;
}
/**
 * Quality score of the lead's source channel (seed 003), e.g. from the scoring engine.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SourceQualityFeature".
 */
export interface SourceQualityFeature {
  /**
   * Score of a channel not in the map, or of a lead without channel; `null` = missing.
   */
  default?: number | null;
  /**
   * Channel → quality score (any finite scale, e.g. 0–100 or historical conversion rate).
   */
  scores: {
    [k: string]: number;
  };
}
/**
 * A columnar feature matrix: `data[column][row]`, `NaN` for missing values.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "FeatureMatrix".
 */
export interface FeatureMatrix {
  /**
   * The columns.
   */
  columns: Column[];
  /**
   * Column-major values (JSON `null` for `NaN`).
   */
  data: (number | null)[][];
  /**
   * The lead of each row.
   */
  lead_ids: string[];
  [k: string]: unknown;
}
/**
 * Which features to build, all computed as of a cut-off instant (events after it are ignored).
 *
 * Every field has a default, so `{}` is a valid spec: counts of every non-custom event kind in
 * windows of 1, 7, 30, 180 and 365 days, recency per kind, active days in the last 365 days,
 * silence and lead age.
 *
 * ```
 * use leadcore::input::Config;
 * use leadcore::predict::FeatureSpec;
 * let spec = FeatureSpec::from_json(r#"{
 *     "windows_days": [7, 30],
 *     "event_kinds": ["download", "search"],
 *     "categorical": [{"attribute": "industry", "max_levels": 10, "min_count": 5}],
 *     "numeric": [{"attribute": "employees"}],
 *     "city_tier": {"attribute": "city", "tiers": {"北京": 1, "上海": 1, "杭州": 2}},
 *     "source_quality": {"scores": {"sem": 0.8, "content": 0.2}},
 *     "keywords": [{"attribute": "chat_tokens", "keywords": ["报价", "合同"]}]
 * }"#).unwrap();
 * assert_eq!(spec.windows_days, [7, 30]);
 * let bad = FeatureSpec::from_json(r#"{"windows_days": [7, 0]}"#).unwrap_err();
 * assert_eq!((bad.code(), bad.path.as_str()), ("invalid_value", "windows_days[1]"));
 * ```
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "FeatureSpecOutput".
 */
export interface FeatureSpecOutput {
  /**
   * Add the number of distinct calendar days with any event in this many days before the
   * cut-off; `null` leaves the feature out.
   */
  active_days_window: number | null;
  /**
   * Add the lead's age in days at the cut-off (0 when it was created after the cut-off).
   */
  age: boolean;
  /**
   * Categorical attributes, one-hot encoded with levels learned from the training leads.
   */
  categorical: CategoricalFeatureOutput[];
  /**
   * City tier from a table the host supplies.
   */
  city_tier: CityTierFeatureOutput | null;
  /**
   * Offset from UTC, in minutes, of the calendar used to count active days (480 for China).
   */
  day_offset_minutes: number;
  /**
   * Event kinds to count (default: every kind but `custom`).
   */
  event_kinds: EventKind[];
  /**
   * Keyword flags from host-tokenized text attributes.
   */
  keywords: KeywordFeature[];
  /**
   * Numeric attributes.
   */
  numeric: NumericFeatureOutput[];
  /**
   * Add, per kind, the days since its last event (missing when the lead never did it).
   */
  recency: boolean;
  /**
   * Add the days since the lead's last event of any kind (since creation when it has none).
   */
  silence: boolean;
  /**
   * Quality score of the lead's source channel, from a channel → score map.
   */
  source_quality: SourceQualityFeatureOutput | null;
  /**
   * Count windows in days: an event counts in window `w` when `cutoff - w days < at <= cutoff`.
   */
  windows_days: number[];
}
/**
 * A numeric attribute.
 *
 * Numbers are used as they are, booleans as 1 / 0, dates and date-times as days before the
 * cut-off. Anything else (text, lists, null, absent) is missing: `NaN`, which the forest routes
 * natively (each split learns where missing values go), unless `impute` gives a value.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "NumericFeatureOutput".
 */
export interface NumericFeatureOutput {
  /**
   * Attribute name.
   */
  attribute: string;
  /**
   * Value used when the attribute is missing; `null` keeps it missing (`NaN`).
   */
  impute: number | null;
}
/**
 * Quality score of the lead's source channel (seed 003), e.g. from the scoring engine.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SourceQualityFeatureOutput".
 */
export interface SourceQualityFeatureOutput {
  /**
   * Score of a channel not in the map, or of a lead without channel; `null` = missing.
   */
  default: number | null;
  /**
   * Channel → quality score (any finite scale, e.g. 0–100 or historical conversion rate).
   */
  scores: {
    [k: string]: number;
  };
}
/**
 * How a lead's fields become account, contact and opportunity fields.
 *
 * JSON: `{"from_stages": ["SQL", "SAL"], "fields": [FieldRule…]}` or `{"preset": "standard"}`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "FieldMappingJson".
 */
export interface FieldMappingJson {
  /**
   * The field rules, applied in order.
   */
  fields: FieldRule[];
  /**
   * Stages a lead must be in to be converted; empty means any stage (or none).
   */
  from_stages?: string[];
}
/**
 * One target field: where its value comes from.
 *
 * `from` takes a source path or a list of them (the first with a value wins); `value` is a
 * constant instead. Source paths: `id`, `created_at`, `owner`, `stage`, `temperature`,
 * `source.<key>` (channel, campaign, utm_…, or any other source key), `attributes.<name>`,
 * `extra.<key>` (top-level keys the lead model does not name). A source is missing when absent,
 * null, a blank string or an empty list.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "FieldRule".
 */
export interface FieldRule {
  /**
   * The value to use when every source is missing.
   */
  default?: {
    [k: string]: unknown;
  };
  /**
   * Source paths, tried in order.
   */
  from?: string[];
  /**
   * Whether conversion fails when no value (nor default) is found.
   */
  required?: boolean;
  /**
   * Target `<object>.<field>`, object one of `account`, `contact`, `opportunity`.
   */
  to: string;
  /**
   * A constant value instead of a source.
   */
  value?: {
    [k: string]: unknown;
  };
}
/**
 * The fit part of a scoring model.
 *
 * ```
 * use leadcore::score::fit::FitModel;
 * let m: FitModel = serde_json::from_str(r#"{"rules": [
 *   {"type": "values", "id": "industry", "attribute": "industry",
 *    "points": {"ad_agency": 30, "saas": 20}, "grade": 2},
 *   {"type": "city_tier", "id": "city", "points": {"1": 15}, "grade": 1}
 * ]}"#).unwrap();
 * assert_eq!(m.city_tiers["上海"], 1);
 * ```
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "FitModel".
 */
export interface FitModel {
  /**
   * City → tier (1 = tier-1) for `city_tier` rules, supplied by the host. Names match after
   * trimming and dropping a trailing `市`. Default: 北京, 上海, 广州, 深圳 as tier 1.
   */
  city_tiers?: {
    [k: string]: number;
  };
  grade?: GradeModel;
  missing?: Missing;
  /**
   * The rules, in order (the breakdown follows it).
   */
  rules?: FitRule[];
}
/**
 * A fit-score threshold for a grade.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "GradeThreshold".
 */
export interface GradeThreshold {
  grade: Grade;
  /**
   * Lowest fit score (inclusive) for this grade.
   */
  min: number;
}
/**
 * Forecast configuration.
 *
 * ```json
 * {"probabilities": {"Qualify": 0.25, "Demonstration": 0.5, "Proposal": 0.6, "Close": 0.8},
 *  "amount": "amount", "close_date": "expected_close", "granularity": "month", "utc_offset": "+08:00"}
 * ```
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ForecastConfigJson".
 */
export interface ForecastConfigJson {
  /**
   * Lead attribute holding the deal amount (default `amount`).
   */
  amount?: string;
  /**
   * Lead attribute holding the expected close date (date or date-time); none = one period.
   */
  close_date?: string | null;
  granularity?: Granularity;
  /**
   * Win probability (fraction 0–1) per stage id.
   */
  probabilities: {
    [k: string]: number;
  };
  /**
   * Fixed UTC offset of the periods (default `+00:00`).
   */
  utc_offset?: string;
}
/**
 * The weighted pipeline forecast.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ForecastReport".
 */
export interface ForecastReport {
  /**
   * Leads left out, by reason: `no_stage`, `stage_not_in_forecast`, `missing_amount`.
   */
  excluded: {
    [k: string]: number;
  };
  /**
   * Totals per period (rep `all`), sorted.
   */
  periods: ForecastRow[];
  /**
   * Rows by period and rep, sorted.
   */
  rows: ForecastRow[];
  total: ForecastRow;
  [k: string]: unknown;
}
/**
 * Forecast of one rep in one period.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ForecastRow".
 */
export interface ForecastRow {
  /**
   * Deals.
   */
  deals: number;
  /**
   * Close period key, `(none)` without a close date, or `all`.
   */
  period: string;
  /**
   * Σ amount.
   */
  pipeline: number;
  /**
   * Rep (lead owner), `(none)` if unassigned.
   */
  rep: string;
  /**
   * Per stage, sorted by stage id.
   */
  stages: ForecastStage[];
  /**
   * Σ amount × stage probability.
   */
  weighted: number;
  [k: string]: unknown;
}
/**
 * One stage's share of a forecast row.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ForecastStage".
 */
export interface ForecastStage {
  /**
   * Deals in the stage.
   */
  deals: number;
  /**
   * Σ amount.
   */
  pipeline: number;
  /**
   * Win probability used (fraction).
   */
  probability: number;
  /**
   * Stage id.
   */
  stage: string;
  /**
   * Σ amount × probability.
   */
  weighted: number;
  [k: string]: unknown;
}
/**
 * Funnel configuration.
 *
 * ```json
 * {"stages": [{"id": "Leads"}, {"id": "MQL"}, {"id": "SQL"},
 *             {"id": "Opportunity", "amount": "opportunity_amount"},
 *             {"id": "Order", "amount": "order_amount"}, {"id": "Payment", "amount": "payment_amount"}],
 *  "entry_stage": "Leads", "time_basis": "effective", "granularity": "month",
 *  "utc_offset": "+08:00", "dimensions": ["channel", "attributes.branch"]}
 * ```
 * Dimensions: `channel`, `campaign`, `utm_source`, `utm_medium`, `utm_campaign`, `utm_term`,
 * `utm_content`, `referrer` (from the lead's source), `owner` (the current owner),
 * `stage_owner` (per stage, the owner recorded on the change that entered it: a per-rep funnel,
 * seed 001 "以銷售為維度"), `growth_motion` (the lead's band in `growth_bands`: PLG / MLG / SLG
 * by deal size, seed 003), or `attributes.<name>`; a lead without one gets `(none)`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "FunnelConfigJson".
 */
export interface FunnelConfigJson {
  /**
   * Dimensions to group by, in this order.
   */
  dimensions?: string[];
  /**
   * A stage that the lead's creation enters when its history has no entry into it.
   */
  entry_stage?: string | null;
  granularity?: Granularity;
  /**
   * Growth-motion bands, for the `growth_motion` dimension.
   */
  growth_bands?: GrowthBands | null;
  /**
   * The stages in funnel order.
   */
  stages: FunnelStage[];
  time_basis?: TimeBasis;
  /**
   * Fixed UTC offset of the calendar periods (default `+00:00`).
   */
  utc_offset?: string;
}
/**
 * Growth-motion bands over a deal amount.
 *
 * ```
 * use leadcore::funnel::GrowthBands;
 * let bands: GrowthBands = serde_json::from_str(r#"{"amount": "deal_amount", "bands": [
 *   {"id": "PLG", "below": 20000}, {"id": "MLG", "below": 300000}, {"id": "SLG"}]}"#).unwrap();
 * bands.validate_at("growth_bands").unwrap();
 * let lead: leadcore::Lead = serde_json::from_str(
 *     r#"{"id": "L1", "created_at": "2026-01-01T00:00:00Z", "attributes": {"deal_amount": 150000}}"#).unwrap();
 * assert_eq!(bands.motion(&lead), Some("MLG"));
 * ```
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "GrowthBands".
 */
export interface GrowthBands {
  /**
   * Lead attribute holding the deal amount (`deal_amount`…).
   */
  amount: string;
  /**
   * The bands, smallest amounts first; every band but the last has `below`.
   */
  bands: GrowthBand[];
}
/**
 * One band: amounts below `below` (and at or above the previous band's bound).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "GrowthBand".
 */
export interface GrowthBand {
  /**
   * Exclusive upper bound of the amount; absent on the last band.
   */
  below?: number | null;
  /**
   * The motion's name (`PLG`, `MLG`, `SLG`).
   */
  id: string;
}
/**
 * One stage of the funnel.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "FunnelStage".
 */
export interface FunnelStage {
  /**
   * Lead attribute holding this stage's amount (`opportunity_amount`…), if any.
   */
  amount?: string | null;
  /**
   * Stage id as in the leads' histories (`MQL`, `Opportunity`…).
   */
  id: string;
}
/**
 * Funnel configuration.
 *
 * ```json
 * {"stages": [{"id": "Leads"}, {"id": "MQL"}, {"id": "SQL"},
 *             {"id": "Opportunity", "amount": "opportunity_amount"},
 *             {"id": "Order", "amount": "order_amount"}, {"id": "Payment", "amount": "payment_amount"}],
 *  "entry_stage": "Leads", "time_basis": "effective", "granularity": "month",
 *  "utc_offset": "+08:00", "dimensions": ["channel", "attributes.branch"]}
 * ```
 * Dimensions: `channel`, `campaign`, `utm_source`, `utm_medium`, `utm_campaign`, `utm_term`,
 * `utm_content`, `referrer` (from the lead's source), `owner` (the current owner),
 * `stage_owner` (per stage, the owner recorded on the change that entered it: a per-rep funnel,
 * seed 001 "以銷售為維度"), `growth_motion` (the lead's band in `growth_bands`: PLG / MLG / SLG
 * by deal size, seed 003), or `attributes.<name>`; a lead without one gets `(none)`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "FunnelConfigOutput".
 */
export interface FunnelConfigOutput {
  /**
   * Dimensions to group by, in this order.
   */
  dimensions: string[];
  /**
   * A stage that the lead's creation enters when its history has no entry into it.
   */
  entry_stage?: string | null;
  granularity: Granularity;
  /**
   * Growth-motion bands, for the `growth_motion` dimension.
   */
  growth_bands?: GrowthBands | null;
  /**
   * The stages in funnel order.
   */
  stages: FunnelStage[];
  time_basis: TimeBasis;
  /**
   * Fixed UTC offset of the calendar periods (default `+00:00`).
   */
  utc_offset: string;
}
/**
 * One period × dimension-values group.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "FunnelGroup".
 */
export interface FunnelGroup {
  /**
   * Dimension name → value.
   */
  dimensions: {
    [k: string]: string;
  };
  /**
   * Period key (`2026-01`…).
   */
  period: string;
  /**
   * One row per configured stage, in funnel order.
   */
  stages: StageRow[];
  [k: string]: unknown;
}
/**
 * One stage's figures in one group.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "StageRow".
 */
export interface StageRow {
  /**
   * Of those, leads that ever entered a later stage.
   */
  advanced: number;
  /**
   * Sum of the stage amount (currency of the attribute).
   */
  amount: number;
  /**
   * Stays that ended with a later stage change.
   */
  completed_stays: number;
  /**
   * advanced ÷ entered (fraction), when any entered.
   */
  conversion_to_next: number | null;
  /**
   * Mean days in the stage over completed stays.
   */
  days_in_stage_mean: number | null;
  /**
   * Mean days from the entry to the first entry into a later stage, over the leads that
   * advanced: for a hand-over stage (`Submitted` in `seed_004`), the time sales took to
   * accept.
   */
  days_to_advance_mean: number | null;
  /**
   * Leads that entered the stage (first entry) in the group.
   */
  entered: number;
  /**
   * entered ÷ entered in the previous stage of the same group (fraction), when defined.
   */
  ratio_to_previous: number | null;
  /**
   * Mean days between an entry taking effect and being recorded.
   */
  recording_lag_days_mean: number | null;
  /**
   * Stage id.
   */
  stage: string;
  /**
   * Entries that had an amount.
   */
  with_amount: number;
  [k: string]: unknown;
}
/**
 * The funnel: one group per period and dimension values, sorted, plus totals.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "FunnelReport".
 */
export interface FunnelReport {
  /**
   * The dimensions grouped by.
   */
  dimensions: string[];
  granularity: Granularity;
  /**
   * Groups sorted by period, then dimension values.
   */
  groups: FunnelGroup[];
  time_basis: TimeBasis;
  /**
   * All groups together.
   */
  totals: StageRow[];
  [k: string]: unknown;
}
/**
 * Serialized funnel aggregates: `(period, dimension values, tallies per stage)`, sorted.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "FunnelState".
 */
export interface FunnelState {
  config: FunnelConfigOutput;
  /**
   * Always [`FUNNEL_STATE_FORMAT`].
   */
  format: string;
  /**
   * The groups.
   */
  groups: [unknown, unknown, unknown][];
}
/**
 * The criteria for entering one stage.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Gate".
 */
export interface Gate {
  condition: ConditionJson;
  /**
   * Human-readable description of the gate.
   */
  label?: string | null;
  /**
   * The pipeline stage id this gate guards (`MQL`, `SQL`, `SAL`…).
   */
  stage: string;
}
/**
 * The verdict of one gate for one lead.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "GateVerdict".
 */
export interface GateVerdict {
  /**
   * Criteria that failed, in config order.
   */
  failed_criteria: string[];
  /**
   * The gate's label, if any.
   */
  label?: string | null;
  /**
   * Whether the lead meets every criterion of the gate.
   */
  passed: boolean;
  /**
   * Criteria (ids, else labels, else paths) that passed, in config order.
   */
  passed_criteria: string[];
  /**
   * The stage the gate guards.
   */
  stage: string;
  tree: Outcome;
  [k: string]: unknown;
}
/**
 * A hand-over path: the owner of role `from` gives the lead to a person of role `to` (seed
 * 003: the SDR qualifies a lead, 「再分配给SDR电话跟进」, then the rep closes it).
 *
 * `{"id": "sdr_to_rep", "from": "sdr", "to": "rep", "team": "sales"}`: an SDR hands a lead to
 * a rep they name, or, naming none, to the member of `sales` with role `rep` the team's
 * strategy picks (the same candidate checks as routing: caps, cooldowns, calendars).
 * The receiver's protection starts afresh unless `keep_protection`; the giver gets no
 * cooldown (a hand-over is not a fall-out) and the ownership history keeps both.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "HandoverConfig".
 */
export interface HandoverConfig {
  from: Role;
  /**
   * Path id (explains the decision).
   */
  id: string;
  /**
   * Keep the protection clock of the giver's claim instead of restarting it.
   */
  keep_protection?: boolean;
  /**
   * Overrides the team's strategy.
   */
  strategy?: Strategy | null;
  /**
   * The team the receiver is picked from when the command names none.
   */
  team?: string | null;
  to: Role;
}
/**
 * The importance of one feature group.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Importance".
 */
export interface Importance {
  /**
   * Feature group (a column name, or a categorical attribute for its one-hot columns).
   */
  feature: string;
  /**
   * Mean importance.
   */
  importance: number;
  /**
   * Standard deviation over permutation repeats (0 for impurity importance).
   */
  std: number;
}
/**
 * One lead's or account's journey: its touches and its outcome.
 *
 * ```
 * let j: leadcore::attribution::Journey = serde_json::from_str(r#"{
 *   "id": "L1",
 *   "touchpoints": [
 *     {"channel": "seo", "at": "2026-01-01T00:00:00Z"},
 *     {"channel": "sem", "campaign": "double11", "at": "2026-01-05T00:00:00Z",
 *      "milestones": ["lead_created"]}
 *   ],
 *   "converted": true, "value": 8000
 * }"#).unwrap();
 * assert_eq!(j.touchpoints.len(), 2);
 * ```
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Journey".
 */
export interface Journey {
  /**
   * Whether the journey converted (1 conversion) or not (1 null).
   */
  converted?: boolean;
  /**
   * The lead or account id.
   */
  id: string;
  /**
   * When the opportunity was created, for the ownership rule (else the touch flagged
   * `opportunity_created` gives it).
   */
  opportunity_at?: string | number | Date | null;
  /**
   * Touches, oldest first (sorted by `at` if not).
   */
  touchpoints: Touchpoint[];
  /**
   * Value of the conversion (RMB or any currency; 0 when unknown).
   */
  value?: number;
}
/**
 * One marketing or sales touch on a journey.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Touchpoint".
 */
export interface Touchpoint {
  /**
   * When the touch happened (or was recorded, for the ownership rule).
   */
  at: string | number | Date;
  /**
   * Campaign id or name, if known.
   */
  campaign?: string | null;
  /**
   * Channel (`sem`, `seo`, `event`, `direct`…).
   */
  channel: string;
  /**
   * Milestones reached at this touch.
   */
  milestones?: Milestone[];
}
/**
 * How each heuristic model splits one journey's credit over its touches.
 *
 * Data-driven models (Markov, Shapley) are fitted on all journeys and have no per-journey
 * split, so they are not listed.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "JourneyExplanation".
 */
export interface JourneyExplanation {
  /**
   * Whether it converted.
   */
  converted: boolean;
  /**
   * The journey id.
   */
  id: string;
  /**
   * One split per heuristic model, in configuration order.
   */
  models: ModelSplit[];
  /**
   * Its value.
   */
  value: number;
  [k: string]: unknown;
}
/**
 * One heuristic model's split of one journey.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ModelSplit".
 */
export interface ModelSplit {
  /**
   * The model's name.
   */
  name: string;
  /**
   * Every touch in time order.
   */
  touches: TouchCredit[];
  /**
   * The model type.
   */
  type: string;
  [k: string]: unknown;
}
/**
 * One touch's share of a journey under one model.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "TouchCredit".
 */
export interface TouchCredit {
  /**
   * Conversions credited (weight × 1 if converted, else 0).
   */
  conversions: number;
  /**
   * Index of the touch in the journey as given.
   */
  index: number;
  /**
   * The touch's key (channel or campaign).
   */
  key: string;
  /**
   * Position of the touch in time order (0 = first).
   */
  position: number;
  /**
   * Why it got its weight (several when milestones share a touch).
   */
  roles: TouchRole[];
  /**
   * Value credited.
   */
  value: number;
  /**
   * Its share of the journey's credit (fraction; the shares sum to 1).
   */
  weight: number;
  [k: string]: unknown;
}
/**
 * A labelled example: the lead, whether it converted, and the instant its features are taken at
 * (typically just before the conversion or the end of the observation window).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Label".
 */
export interface Label {
  /**
   * Whether it converted.
   */
  converted: boolean;
  /**
   * Features are built from events at or before this instant; later events are ignored.
   */
  cutoff: string | number | Date;
  /**
   * The lead.
   */
  lead_id: string;
}
/**
 * A lead: one prospective buyer as the CRM knows it.
 *
 * Keys the model does not name are kept in `extra` and written back unchanged.
 *
 * ```
 * let lead: leadcore::Lead = serde_json::from_str(r#"{
 *     "id": "L1", "created_at": "2026-11-01T09:00:00+08:00",
 *     "source": {"channel": "sem", "campaign": "double11"},
 *     "attributes": {"industry": "saas", "employees": 120, "phone": "138 0013 8000"},
 *     "crm_row": 42
 * }"#).unwrap();
 * assert_eq!(lead.attributes["employees"], leadcore::AttrValue::Number(120.0));
 * assert_eq!(lead.extra["crm_row"], 42);
 * ```
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Lead".
 */
export interface Lead {
  /**
   * Typed facts about the lead and its company (industry, city, employees, phone…).
   */
  attributes?: {
    [k: string]: AttrValue;
  };
  /**
   * When the lead was first recorded.
   */
  created_at: string | number | Date;
  /**
   * Every stage change, oldest first.
   */
  history?: StageChange[];
  /**
   * The host's id for the lead (text, or a whole number read as its text).
   */
  id: string | number;
  /**
   * The rep who owns the lead, if any.
   */
  owner?: string | null;
  /**
   * Open rejection by sales, if the lead was rejected and its resubmission cooldown applies.
   */
  rejection?: Rejection | null;
  source?: Source;
  /**
   * Current pipeline stage id; `None` before the lead enters a pipeline.
   */
  stage?: string | null;
  /**
   * Pre-qualification temperature, if known.
   */
  temperature?: Temperature | null;
  [k: string]: unknown;
}
/**
 * One recorded stage change: the lead's history, time-in-stage and training data come from it.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "StageChange".
 */
export interface StageChange {
  /**
   * Who made the change (a user id, `system`, a rule id).
   */
  actor?: string | null;
  /**
   * When the change took effect (when the lead actually qualified, say).
   */
  at: string | number | Date;
  edge: EdgeKind;
  /**
   * Stage left; `None` for the lead's entry into the pipeline.
   */
  from?: string | null;
  /**
   * The lead's owner when the change was made (set by `transition`): the rep a per-rep
   * funnel credits with the stage (dimension `stage_owner`, seed 001 "以銷售為維度").
   */
  owner?: string | null;
  /**
   * Why.
   */
  reason?: string | null;
  /**
   * When the change was recorded; differs from `at` for back-dated changes.
   */
  recorded_at: string | number | Date;
  /**
   * Stage entered.
   */
  to: string;
}
/**
 * An open sales rejection: when it happened, by whom, and until when resubmission waits.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Rejection".
 */
export interface Rejection {
  /**
   * When sales rejected the lead.
   */
  at: string | number | Date;
  /**
   * The rejecting rep, who must not be the next owner.
   */
  by?: string | null;
  /**
   * Resubmission is refused before this instant unless new evidence arrived.
   */
  cooldown_until: string | number | Date;
  /**
   * Stage the lead was rejected from.
   */
  from_stage: string;
  /**
   * The reason sales gave.
   */
  reason: string;
}
/**
 * Where a lead came from: channel, campaign and UTM parameters.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Source".
 */
export interface Source {
  /**
   * Campaign id or name.
   */
  campaign?: string | null;
  /**
   * Acquisition channel (`sem`, `seo`, `event`, `referral`…).
   */
  channel?: string | null;
  /**
   * The rep who referred the lead, for rep referrals.
   */
  referrer?: string | null;
  /**
   * `utm_campaign`.
   */
  utm_campaign?: string | null;
  /**
   * `utm_content`.
   */
  utm_content?: string | null;
  /**
   * `utm_medium`.
   */
  utm_medium?: string | null;
  /**
   * `utm_source`.
   */
  utm_source?: string | null;
  /**
   * `utm_term`.
   */
  utm_term?: string | null;
  [k: string]: unknown;
}
/**
 * One lead whose tier or MQL verdict changes.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "LeadChange".
 */
export interface LeadChange {
  combined: ChangeDouble;
  /**
   * The lead.
   */
  lead_id: string;
  /**
   * MQL verdict before and after, when an MQL gate was given.
   */
  mql?: ChangeBoolean | null;
  tier: Change_Nullable_SourceTier;
  [k: string]: unknown;
}
/**
 * One thing a lead did.
 *
 * ```
 * let e: leadcore::Event = serde_json::from_str(r#"{
 *     "id": "e1", "lead_id": "L1", "kind": "download", "at": "2026-11-20T10:00:00+08:00",
 *     "properties": {"asset": "pricing.pdf"}
 * }"#).unwrap();
 * assert_eq!(e.kind, leadcore::EventKind::Download);
 * ```
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "LeadEvent".
 */
export interface LeadEvent {
  /**
   * When it happened.
   */
  at: string | number | Date;
  /**
   * The host's event id; two events with the same id are one event delivered twice.
   */
  id?: string | number | null;
  kind: EventKind;
  /**
   * The lead that did it.
   */
  lead_id: string | number;
  /**
   * For `custom` events, the host's name for it.
   */
  name?: string | null;
  /**
   * Details (page url, asset, campaign…), typed like lead attributes.
   */
  properties?: {
    [k: string]: AttrValue;
  };
  [k: string]: unknown;
}
/**
 * One normalized key of a lead: a value the batch form matches on, as text a host can index.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "LeadKey".
 */
export interface LeadKey {
  /**
   * For `company_contact`, the normalized contact name; `null` otherwise.
   */
  contact: string | null;
  /**
   * The key text (module docs): `phone:13800138000`, `email:li@acme.cn`,
   * `company_contact:阿里巴巴网络技术|张三`.
   */
  key: string;
  kind: KeyKind;
  /**
   * The normalized value: 11-digit Chinese mobile or E.164 phone (`+14155550100`), email
   * matching key, or company key.
   */
  value: string;
  [k: string]: unknown;
}
/**
 * A lead: one prospective buyer as the CRM knows it.
 *
 * Keys the model does not name are kept in `extra` and written back unchanged.
 *
 * ```
 * let lead: leadcore::Lead = serde_json::from_str(r#"{
 *     "id": "L1", "created_at": "2026-11-01T09:00:00+08:00",
 *     "source": {"channel": "sem", "campaign": "double11"},
 *     "attributes": {"industry": "saas", "employees": 120, "phone": "138 0013 8000"},
 *     "crm_row": 42
 * }"#).unwrap();
 * assert_eq!(lead.attributes["employees"], leadcore::AttrValue::Number(120.0));
 * assert_eq!(lead.extra["crm_row"], 42);
 * ```
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "LeadOutput".
 */
export interface LeadOutput {
  /**
   * Typed facts about the lead and its company (industry, city, employees, phone…).
   */
  attributes: {
    [k: string]: AttrValue;
  };
  /**
   * When the lead was first recorded.
   */
  created_at: string;
  /**
   * Every stage change, oldest first.
   */
  history?: StageChangeOutput[];
  /**
   * The host's id for the lead (text, or a whole number read as its text).
   */
  id: string;
  /**
   * The rep who owns the lead, if any.
   */
  owner?: string | null;
  /**
   * Open rejection by sales, if the lead was rejected and its resubmission cooldown applies.
   */
  rejection?: RejectionOutput | null;
  source: Source;
  /**
   * Current pipeline stage id; `None` before the lead enters a pipeline.
   */
  stage?: string | null;
  /**
   * Pre-qualification temperature, if known.
   */
  temperature?: Temperature | null;
  [k: string]: unknown;
}
/**
 * One recorded stage change: the lead's history, time-in-stage and training data come from it.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "StageChangeOutput".
 */
export interface StageChangeOutput {
  /**
   * Who made the change (a user id, `system`, a rule id).
   */
  actor?: string | null;
  /**
   * When the change took effect (when the lead actually qualified, say).
   */
  at: string;
  edge: EdgeKind;
  /**
   * Stage left; `None` for the lead's entry into the pipeline.
   */
  from: string | null;
  /**
   * The lead's owner when the change was made (set by `transition`): the rep a per-rep
   * funnel credits with the stage (dimension `stage_owner`, seed 001 "以銷售為維度").
   */
  owner?: string | null;
  /**
   * Why.
   */
  reason?: string | null;
  /**
   * When the change was recorded; differs from `at` for back-dated changes.
   */
  recorded_at: string;
  /**
   * Stage entered.
   */
  to: string;
}
/**
 * An open sales rejection: when it happened, by whom, and until when resubmission waits.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "RejectionOutput".
 */
export interface RejectionOutput {
  /**
   * When sales rejected the lead.
   */
  at: string;
  /**
   * The rejecting rep, who must not be the next owner.
   */
  by?: string | null;
  /**
   * Resubmission is refused before this instant unless new evidence arrived.
   */
  cooldown_until: string;
  /**
   * Stage the lead was rejected from.
   */
  from_stage: string;
  /**
   * The reason sales gave.
   */
  reason: string;
}
/**
 * Everything the state knows about one lead.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "LeadRecord".
 */
export interface LeadRecord {
  /**
   * Start of the protection clock (the claim; kept across transfers unless the policy
   * resets it).
   */
  claimed_at?: string | number | Date | null;
  /**
   * The time of its last write; a later command's `now` may not be earlier (beyond the
   * policy's `clock_skew_seconds`).
   */
  clock?: string | number | Date | null;
  /**
   * Reps in cooldown for this lead.
   */
  cooldowns?: Cooldown[];
  /**
   * When the lead was created.
   */
  created_at: string | number | Date;
  /**
   * When it entered its current holder.
   */
  entered_at: string | number | Date;
  /**
   * Reps who must not be the next owner.
   */
  excluded?: Exclusion[];
  /**
   * Times the lead fell out of protection (reclaims).
   */
  fallouts?: number;
  /**
   * The first fall-out (ladder steps count from it by default). Absent on records written
   * before 0.2 that already fell out: their last fall-out stands in, and becomes this at
   * their next fall-out.
   */
  first_fallout_at?: string | number | Date | null;
  holder: PoolHolder;
  /**
   * The escalation ladder step the lead is on (0-based), once it fell out.
   */
  ladder_step?: number | null;
  /**
   * The lead's own last activity (site login, reply…).
   */
  last_activity?: string | number | Date | null;
  /**
   * The last fall-out.
   */
  last_fallout_at?: string | number | Date | null;
  /**
   * The owner's last qualifying follow-up.
   */
  last_follow_up?: string | number | Date | null;
  /**
   * Milestones the host recorded (`cleaned`…), latest time each.
   */
  milestones?: {
    [k: string]: string;
  };
  /**
   * When `tick` next has something to do for this lead (a warning or a reclaim).
   */
  next_check_at?: string | number | Date | null;
  /**
   * Its nurture cadence, if its stage has one.
   */
  nurture?: NurtureRecord | null;
  /**
   * Every ownership, oldest first.
   */
  owners?: Ownership[];
  /**
   * Waiting for a rep after routing.
   */
  pending?: Pending | null;
  /**
   * The pool it belongs to: its current pool, or the one it came from.
   */
  pool: string;
  /**
   * End of protection.
   */
  protected_until?: string | number | Date | null;
  /**
   * Its region, used to pick regional pools at fall-out.
   */
  region?: string | null;
  /**
   * Command ids this lead already took, newest last (see [`Seen`]).
   */
  seen?: Seen[];
  /**
   * Its lifecycle stage as the host reported it.
   */
  stage?: string | null;
  /**
   * Writes so far: the host's compare-and-set version (0: never written).
   */
  version?: number;
  /**
   * Warnings given for the current deadlines.
   */
  warned?: Warned[];
}
/**
 * A lead's place in nurture: the cadences of its stage running side by side, and the
 * reactivation cadence of its segment.
 *
 * Written `{"cadences": [{"sop": "trial_onboarding", "entered_at": …, "done": ["d1"]},
 * {"sop": "pre_nurture", "entered_at": …}], "reactivation": "reactivate_manufacturing"}`.
 * A record written before 0.2, `{"sop": "mil_pre", "entered_at": …, "paused_secs": 0,
 * "done": ["d1"], …}` (one cadence), is read as a list of that one cadence.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "NurtureRecord".
 */
export interface NurtureRecord {
  /**
   * The cadences running, in config order.
   */
  cadences: CadenceRecord[];
  /**
   * Paused since, while held by a person: every cadence pauses together.
   */
  paused_since?: string | number | Date | null;
  /**
   * The reactivation cadence chosen for the lead's segment when it entered its stage;
   * absent: the first reactivation cadence without `when`, if any. An id the policy no
   * longer has means no reactivation (as an SOP it no longer has lists no step).
   */
  reactivation?: string | null;
  /**
   * Reactivation steps reported done for the silence that began at `silence_since`.
   */
  reactivation_done?: string[];
  /**
   * The start of the silence the reactivation steps in `reactivation_done` belong to.
   */
  silence_since?: string | number | Date | null;
}
/**
 * One ownership of a lead: who, how, from when, until when and how it ended.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Ownership".
 */
export interface Ownership {
  /**
   * How it ended, once ended.
   */
  ended?: Ended | null;
  /**
   * Start.
   */
  from: string | number | Date;
  /**
   * The owner.
   */
  rep: string;
  /**
   * End, once ended.
   */
  until?: string | number | Date | null;
  via: Via;
}
/**
 * A routed lead waiting for a rep of its target to become available.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Pending".
 */
export interface Pending {
  lead: Lead;
  /**
   * Waiting since.
   */
  since: string | number | Date;
}
/**
 * A command id a lead already took, with the outcome to answer a retry with.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Seen".
 */
export interface Seen {
  /**
   * When it was applied.
   */
  at: string | number | Date;
  /**
   * A digest of the command (16 hex digits): the same id with another command is refused.
   */
  digest: string;
  /**
   * Its effects (kept on the first lead it named; empty on the others).
   */
  effects?: PoolEffect[];
  /**
   * The command id.
   */
  id: string;
  /**
   * Its reasons (as for `effects`).
   */
  reasons?: PoolReason[];
}
/**
 * A warning already given for a trigger's deadline (so `tick` never repeats it).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Warned".
 */
export interface Warned {
  /**
   * The deadline the warning was about.
   */
  deadline: string | number | Date;
  trigger: Trigger;
}
/**
 * Everything the state knows about one lead.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "LeadRecordOutput".
 */
export interface LeadRecordOutput {
  /**
   * Start of the protection clock (the claim; kept across transfers unless the policy
   * resets it).
   */
  claimed_at?: string | null;
  /**
   * The time of its last write; a later command's `now` may not be earlier (beyond the
   * policy's `clock_skew_seconds`).
   */
  clock?: string | null;
  /**
   * Reps in cooldown for this lead.
   */
  cooldowns?: CooldownOutput[];
  /**
   * When the lead was created.
   */
  created_at: string;
  /**
   * When it entered its current holder.
   */
  entered_at: string;
  /**
   * Reps who must not be the next owner.
   */
  excluded?: Exclusion[];
  /**
   * Times the lead fell out of protection (reclaims).
   */
  fallouts: number;
  /**
   * The first fall-out (ladder steps count from it by default). Absent on records written
   * before 0.2 that already fell out: their last fall-out stands in, and becomes this at
   * their next fall-out.
   */
  first_fallout_at?: string | null;
  holder: PoolHolder;
  /**
   * The escalation ladder step the lead is on (0-based), once it fell out.
   */
  ladder_step?: number | null;
  /**
   * The lead's own last activity (site login, reply…).
   */
  last_activity?: string | null;
  /**
   * The last fall-out.
   */
  last_fallout_at?: string | null;
  /**
   * The owner's last qualifying follow-up.
   */
  last_follow_up?: string | null;
  /**
   * Milestones the host recorded (`cleaned`…), latest time each.
   */
  milestones?: {
    [k: string]: string;
  };
  /**
   * When `tick` next has something to do for this lead (a warning or a reclaim).
   */
  next_check_at?: string | null;
  /**
   * Its nurture cadence, if its stage has one.
   */
  nurture?: NurtureRecordOutput | null;
  /**
   * Every ownership, oldest first.
   */
  owners?: OwnershipOutput[];
  /**
   * Waiting for a rep after routing.
   */
  pending?: PendingOutput | null;
  /**
   * The pool it belongs to: its current pool, or the one it came from.
   */
  pool: string;
  /**
   * End of protection.
   */
  protected_until?: string | null;
  /**
   * Its region, used to pick regional pools at fall-out.
   */
  region?: string | null;
  /**
   * Command ids this lead already took, newest last (see [`Seen`]).
   */
  seen?: SeenOutput[];
  /**
   * Its lifecycle stage as the host reported it.
   */
  stage?: string | null;
  /**
   * Writes so far: the host's compare-and-set version (0: never written).
   */
  version?: number;
  /**
   * Warnings given for the current deadlines.
   */
  warned?: WarnedOutput[];
}
/**
 * A lead's place in nurture: the cadences of its stage running side by side, and the
 * reactivation cadence of its segment.
 *
 * Written `{"cadences": [{"sop": "trial_onboarding", "entered_at": …, "done": ["d1"]},
 * {"sop": "pre_nurture", "entered_at": …}], "reactivation": "reactivate_manufacturing"}`.
 * A record written before 0.2, `{"sop": "mil_pre", "entered_at": …, "paused_secs": 0,
 * "done": ["d1"], …}` (one cadence), is read as a list of that one cadence.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "NurtureRecordOutput".
 */
export interface NurtureRecordOutput {
  /**
   * The cadences running, in config order.
   */
  cadences: CadenceRecordOutput[];
  /**
   * Paused since, while held by a person: every cadence pauses together.
   */
  paused_since?: string | null;
  /**
   * The reactivation cadence chosen for the lead's segment when it entered its stage;
   * absent: the first reactivation cadence without `when`, if any. An id the policy no
   * longer has means no reactivation (as an SOP it no longer has lists no step).
   */
  reactivation?: string | null;
  /**
   * Reactivation steps reported done for the silence that began at `silence_since`.
   */
  reactivation_done?: string[];
  /**
   * The start of the silence the reactivation steps in `reactivation_done` belong to.
   */
  silence_since?: string | null;
}
/**
 * One ownership of a lead: who, how, from when, until when and how it ended.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "OwnershipOutput".
 */
export interface OwnershipOutput {
  /**
   * How it ended, once ended.
   */
  ended?: Ended | null;
  /**
   * Start.
   */
  from: string;
  /**
   * The owner.
   */
  rep: string;
  /**
   * End, once ended.
   */
  until?: string | null;
  via: Via;
}
/**
 * A routed lead waiting for a rep of its target to become available.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PendingOutput".
 */
export interface PendingOutput {
  lead: LeadOutput;
  /**
   * Waiting since.
   */
  since: string;
}
/**
 * A command id a lead already took, with the outcome to answer a retry with.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SeenOutput".
 */
export interface SeenOutput {
  /**
   * When it was applied.
   */
  at: string;
  /**
   * A digest of the command (16 hex digits): the same id with another command is refused.
   */
  digest: string;
  /**
   * Its effects (kept on the first lead it named; empty on the others).
   */
  effects?: PoolEffectOutput[];
  /**
   * The command id.
   */
  id: string;
  /**
   * Its reasons (as for `effects`).
   */
  reasons?: PoolReasonOutput[];
}
/**
 * A warning already given for a trigger's deadline (so `tick` never repeats it).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "WarnedOutput".
 */
export interface WarnedOutput {
  /**
   * The deadline the warning was about.
   */
  deadline: string;
  trigger: Trigger;
}
/**
 * A lead's predictive score.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "LeadScore".
 */
export interface LeadScore {
  /**
   * Where the explanation starts: for a forest, the mean training fraction of converted
   * leads at the trees' roots (`base + Σ effects = raw_score`); for naive Bayes, the prior
   * probability.
   */
  base: number;
  /**
   * The lead.
   */
  lead_id: string;
  /**
   * `global`, or the segment whose own model scored the lead.
   */
  model: string;
  /**
   * Factors that lower the score, strongest first.
   */
  negative: Factor[];
  /**
   * Factors that raise the score, strongest first.
   */
  positive: Factor[];
  /**
   * Conversion probability (fraction 0–1), calibrated when the model is.
   */
  probability: number;
  /**
   * The estimator's probability before calibration.
   */
  raw_score: number;
  tier: Tier;
  [k: string]: unknown;
}
/**
 * Quality of predicted probabilities against outcomes.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Metrics".
 */
export interface Metrics {
  /**
   * Fraction of rows that converted.
   */
  base_rate: number;
  /**
   * Mean squared error of the probability.
   */
  brier: number;
  /**
   * Rows sorted by score and cut into ten groups of (nearly) equal size, lowest first.
   */
  calibration: CalibrationBin[];
  /**
   * Mean negative log-likelihood (natural log), probabilities clipped to `[1e-15, 1-1e-15]`.
   */
  log_loss: number;
  /**
   * Converted rows.
   */
  positives: number;
  /**
   * Area under the precision-recall curve as average precision (scikit-learn's
   * `average_precision_score`; `null` without positives).
   */
  pr_auc?: number | null;
  /**
   * Area under the ROC curve, ties counted as half (`null` with a single class).
   */
  roc_auc?: number | null;
  /**
   * Rows evaluated.
   */
  rows: number;
  /**
   * Precision and recall when the high tier, then the high and mid tiers, are worked.
   */
  tiers: TierMetrics[];
  /**
   * Conversion rate of the top 10 % of rows by score over the base rate (`null` without
   * positives).
   */
  top_decile_lift?: number | null;
  [k: string]: unknown;
}
/**
 * What working the leads at or above a tier threshold gives.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "TierMetrics".
 */
export interface TierMetrics {
  /**
   * Converted fraction of those rows (`null` when there are none).
   */
  precision?: number | null;
  /**
   * Fraction of all converted rows that are among them (`null` without positives).
   */
  recall?: number | null;
  /**
   * Rows at or above the threshold.
   */
  rows: number;
  /**
   * Its probability threshold.
   */
  threshold: number;
  tier: Tier;
  [k: string]: unknown;
}
/**
 * MLG index configuration.
 *
 * ```json
 * {"customer_stage": "Won", "marketing_channels": ["sem", "seo", "event", "content", "social"],
 *  "exclude_channels": ["channel_agent"], "granularity": "quarter", "utc_offset": "+08:00"}
 * ```
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "MlgConfigJson".
 */
export interface MlgConfigJson {
  /**
   * Stage whose first entry makes a lead a new customer.
   */
  customer_stage: string;
  /**
   * Source channels left out of the index (channel agents, seed 003), counted as `excluded`.
   */
  exclude_channels?: string[];
  granularity?: Granularity;
  /**
   * Growth-motion bands: split each period's new customers by motion.
   */
  growth_bands?: GrowthBands | null;
  /**
   * Source channels that count as marketing.
   */
  marketing_channels: string[];
  time_basis?: TimeBasis;
  /**
   * Fixed UTC offset of the periods (default `+00:00`).
   */
  utc_offset?: string;
}
/**
 * The index for one period (or `all`).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "MlgPeriod".
 */
export interface MlgPeriod {
  /**
   * New customers (excluded ones not included) by growth motion, `(none)` without an
   * amount; empty without `growth_bands`.
   */
  by_motion?: {
    [k: string]: number;
  };
  /**
   * New customers left out by `exclude_channels`.
   */
  excluded: number;
  /**
   * marketing_sourced ÷ new_customers (fraction), when any.
   */
  index: number | null;
  /**
   * Of which sourced by marketing.
   */
  marketing_sourced: number;
  /**
   * New customers.
   */
  new_customers: number;
  /**
   * Period key, or `all`.
   */
  period: string;
  [k: string]: unknown;
}
/**
 * The MLG index per period and overall.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "MlgReport".
 */
export interface MlgReport {
  /**
   * Periods with new customers, sorted.
   */
  periods: MlgPeriod[];
  total: MlgPeriod;
  [k: string]: unknown;
}
/**
 * Nurture cadences: the SOPs of each stage, and the reactivation cadences by segment.
 *
 * MQLs on a trial get onboarding mails next to the weekly pre-nurture every MQL gets; silent
 * manufacturing leads are reactivated at 30, 45 and 60 days, every other lead at 30 and 60:
 *
 * ```json
 * {"sops": [
 *    {"id": "trial_onboarding", "stage": "MQL", "when": {"field": "attributes.trial", "eq": true},
 *     "steps": [{"id": "welcome", "at": 0, "channel": "email", "content": "welcome"},
 *               {"id": "d1", "at": 1, "channel": "email", "content": "core_feature"}]},
 *    {"id": "pre_nurture", "stage": "MQL", "unit": "week",
 *     "steps": [{"id": "w1", "at": 1, "channel": "wechat", "content": "case_study"}]}],
 *  "reactivation": [
 *    {"id": "reactivate_manufacturing",
 *     "when": {"field": "attributes.industry", "eq": "manufacturing"},
 *     "steps": [{"id": "s30", "at": 30, "channel": "wechat", "content": "factory_case"},
 *               {"id": "s45", "at": 45, "channel": "sms", "content": "plant_tour"},
 *               {"id": "s60", "at": 60, "channel": "email", "content": "industry_report"}]},
 *    {"id": "reactivate",
 *     "steps": [{"id": "s30", "at": 30, "channel": "wechat", "content": "new_features"},
 *               {"id": "s60", "at": 60, "channel": "email", "content": "industry_report"}]}]}
 * ```
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "NurtureConfig".
 */
export interface NurtureConfig {
  /**
   * The cadences for silent leads, by segment: a lead's is the first whose `when` matches
   * it. Also read from one object, the only form before 0.2 (a list of one).
   */
  reactivation?: ReactivationConfig[];
  /**
   * The SOPs, each serving one stage; several may serve the same stage.
   */
  sops: SopConfig[];
}
/**
 * A reactivation cadence for silent leads: steps at N days of silence (seed 003: 30, 45, 60).
 *
 * Seed 003 differs them by segment, 「根据客户title分类…按行业分类…根据地区做分类」: a lead gets the
 * first cadence whose `when` matches it when it enters its stage.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ReactivationConfig".
 */
export interface ReactivationConfig {
  /**
   * Cadence id, unique among the SOPs and reactivation cadences.
   */
  id: string;
  /**
   * Steps; `at` counts days of silence, in non-decreasing order and at least 1.
   */
  steps: StepConfig[];
  /**
   * The leads it serves (condition language); absent: every lead (only the last cadence may
   * go without).
   */
  when?: ConditionJson | null;
}
/**
 * One step of a cadence: at `at` units after the anchor, send `content` on `channel`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "StepConfig".
 */
export interface StepConfig {
  /**
   * Units after the anchor (entry into the cadence, or the start of silence); 0 = at once.
   */
  at: number;
  /**
   * Channel (`wechat`, `sms`, `email`, `moments`…).
   */
  channel: string;
  /**
   * Content id.
   */
  content: string;
  /**
   * Step id, unique within its cadence.
   */
  id: string;
}
/**
 * A relative-time SOP (seed 003): the same steps for every lead it serves, counted from each
 * lead's own entry.
 *
 * Several SOPs may serve one stage: a lead entering the stage enters every one whose `when`
 * matches it, side by side (seed 003's trial onboarding next to the pre-nurture of MQLs).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SopConfig".
 */
export interface SopConfig {
  /**
   * Cadence id, unique among the SOPs and reactivation cadences.
   */
  id: string;
  /**
   * The lead stage this cadence serves (`MIL`, `MQL`…); a lead entering the stage enters
   * the cadence at its first step.
   */
  stage: string;
  /**
   * The steps, in non-decreasing `at`.
   */
  steps: StepConfig[];
  unit?: Unit;
  /**
   * The leads it serves (condition language, on the lead as the CRM gives it with the stage
   * change); absent: every lead of the stage. A stage change given without the lead enters
   * no SOP that has a `when` (and keeps the ones it runs).
   */
  when?: ConditionJson | null;
}
/**
 * Configuration of the ownership rule: `{"window": {"months": 3}, "rule": "first_in_window"}`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "OwnershipConfigJson".
 */
export interface OwnershipConfigJson {
  rule?: OwnershipRule;
  window?: Window;
}
/**
 * Owners per customer and totals per channel.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "OwnershipReport".
 */
export interface OwnershipReport {
  /**
   * Channels that own at least one customer, sorted by name.
   */
  channels: ChannelOwnership[];
  /**
   * One entry per journey, in input order.
   */
  customers: CustomerOwner[];
  /**
   * Customers without an owner.
   */
  unowned: number;
  [k: string]: unknown;
}
/**
 * Aggregated journeys along one path, as ChannelAttribution takes them.
 *
 * ```
 * let p: leadcore::attribution::PathCount = serde_json::from_str(
 *     r#"{"path": "seo > sem > direct", "conversions": 3, "nulls": 40, "value": 2400}"#).unwrap();
 * assert_eq!(p.nulls, 40);
 * ```
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PathCount".
 */
export interface PathCount {
  /**
   * Journeys along this path that converted.
   */
  conversions?: number;
  /**
   * Journeys along this path that did not convert.
   */
  nulls?: number;
  /**
   * Channels separated by the configured separator (default `>`), spaces trimmed.
   */
  path: string;
  /**
   * Total value of the conversions.
   */
  value?: number;
}
/**
 * A phone number checked and located: the parse, the prefix looked up and the region found.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PhoneLocation".
 */
export interface PhoneLocation {
  /**
   * One human-readable sentence saying what was found.
   */
  explanation: string;
  phone: PhoneParse;
  /**
   * The 7-digit prefix looked up (only for valid numbers).
   */
  prefix: string | null;
  /**
   * The region, when the number is valid and the table has its prefix.
   */
  region: Region | null;
}
/**
 * The detailed answer for one raw phone string: the normalized number with its carrier or
 * country, or why it is invalid.
 *
 * Every field is always present in JSON (`null` when it does not apply).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PhoneParse".
 */
export interface PhoneParse {
  /**
   * The country calling code the number was read under: 86 for a number written without one,
   * `null` when reading stopped before it or no country has the code.
   */
  calling_code: number | null;
  /**
   * Carrier the segment was allocated to, when valid.
   */
  carrier: Carrier | null;
  /**
   * The Chinese country code that was removed, if any (other countries' codes are in
   * `calling_code`).
   */
  country_code: CountryCode | null;
  /**
   * The digits read after removing a recognised country code (for diagnostics; may be empty,
   * and is `null` when reading stopped at a bad character).
   */
  digits: string | null;
  /**
   * The E.164 form (`+8613800138000`, `+14155550100`), when valid.
   */
  e164: string | null;
  /**
   * One human-readable sentence saying what was found.
   */
  explanation: string;
  /**
   * The normalized number, when valid: the 11 national digits of a Chinese mobile number, the
   * E.164 form (`+14155550100`) of another country's. De-duplication matches on it.
   */
  normalized: string | null;
  /**
   * What kind of line a valid number is.
   */
  number_type: NumberType | null;
  /**
   * Kind of number, when valid.
   */
  plan: Plan | null;
  /**
   * Why the number is invalid, when it is.
   */
  reason: PhoneInvalid | null;
  /**
   * The ISO 3166-1 region of a valid number (`CN`, `US`, `HK`); `null` for non-geographic
   * numbers such as `+800` toll-free ones.
   */
  region: string | null;
  /**
   * The segment table entry that matched (3 to 5 leading digits: `138`, `1703`, `17400`).
   */
  segment: string | null;
  /**
   * Whether the string is a valid number: a Chinese mobile number, or (from [`parse_phone`])
   * another country's number that libphonenumber validates.
   */
  valid: boolean;
}
/**
 * Where numbers with one prefix were issued.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Region".
 */
export interface Region {
  /**
   * City (地级市), e.g. `深圳`; absent when the table only knows the province.
   */
  city?: string | null;
  /**
   * Province-level division (省 / 自治区 / 直辖市), e.g. `广东` or `北京`.
   */
  province: string;
}
/**
 * A host-supplied table from 7-digit mobile prefixes to the region the numbers belong to.
 *
 * JSON shape:
 * ```json
 * {"source": "vendor x, 2025-06", "prefixes": {"1380013": {"province": "北京", "city": "北京"}}}
 * ```
 * Keys must be exactly 7 ASCII digits starting with `1`; `province` must not be blank; `city`
 * may be omitted for prefixes known only to the province.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PhoneRegionsJson".
 */
export interface PhoneRegionsJson {
  /**
   * 7-digit prefix → region.
   */
  prefixes: {
    [k: string]: Region;
  };
  /**
   * Where the table comes from and as of when (free text, kept for the host's records).
   */
  source?: string | null;
}
/**
 * A lead pipeline: ordered stages, the moves allowed between them, and lifecycle policies.
 *
 * JSON shape (every key but `stages` optional):
 * `{"id", "stages": [Stage…], "entry": "<stage id>", "forward": "adjacent"|"skip"|"explicit",
 *   "edges": [EdgeSpec…], "policies": {"stale": [StaleRule…], "rejection": {…}}}`,
 * or `{"preset": "<name>"}` for a built-in pipeline (see [`Pipeline::preset_names`]).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PipelineJson".
 */
export interface PipelineJson {
  /**
   * Explicit moves: backward edges, and forward edges the rule does not generate.
   * An explicit edge between the same two stages as a generated one replaces it.
   */
  edges?: EdgeSpec[];
  /**
   * The stage a new lead enters at; absent means the first stage.
   */
  entry?: string | null;
  forward?: ForwardRule;
  /**
   * A name for the pipeline (presets use their preset name).
   */
  id?: string | null;
  policies?: Policies;
  /**
   * The stages in funnel order (earliest first).
   */
  stages: Stage[];
}
/**
 * Lifecycle policies of a pipeline.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Policies".
 */
export interface Policies {
  rejection?: RejectionPolicy;
  /**
   * Rules for leads that sit in a stage without activity (seed 001: a SAL with no deal after
   * 2–3 days is downgraded to SQL). Evaluated by [`crate::lifecycle::due`].
   */
  stale?: StaleRule[];
}
/**
 * The resubmission cooldown a sales rejection opens (seed 004: a rejected lead resubmitted the
 * next day is the classic marketing–sales friction).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "RejectionPolicy".
 */
export interface RejectionPolicy {
  /**
   * Days after a rejection during which handing the lead back to sales is refused unless new
   * evidence arrived (fractional, > 0, at most 36 500). Default 7 (a weekly sync).
   */
  cooldown_days?: number;
  /**
   * Event kinds that count as new qualifying evidence after a rejection. Default: form
   * submissions, inquiries, event check-ins, calls and meetings (not page views or opens).
   */
  evidence_kinds?: EventKind[];
  /**
   * Whether the rejecting rep must not own the resubmitted lead (returned as an
   * `exclude_owner` effect). Default true.
   */
  exclude_rejecting_owner?: boolean;
}
/**
 * A lead in `stage` for `after_days` days is due for attention: a move to `to` when given
 * (over the pipeline's edge from `stage` to `to`), a reminder otherwise.
 *
 * The days count from the lead's last activity (`since: "last_activity"`, the default: the
 * later of the stage entry and its latest event of `activity_kinds`, when given) or from the
 * stage entry whatever the lead did (`since: "stage_entry"`: seed 001's "SAL 長時間未成單…降級
 * 成SQL", a SAL that keeps browsing but never becomes a deal).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "StaleRule".
 */
export interface StaleRule {
  /**
   * Event kinds that count as activity; absent means every kind (`last_activity` only).
   */
  activity_kinds?: EventKind[] | null;
  /**
   * Days without activity (fractional, > 0, at most 36 500).
   */
  after_days: number;
  /**
   * The reason recorded on the suggested move; absent means a generated one.
   */
  reason?: string | null;
  since?: StaleSince;
  /**
   * The stage the rule watches.
   */
  stage: string;
  /**
   * Where to move the lead; absent for a reminder only.
   */
  to?: string | null;
}
/**
 * One stage of a pipeline.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Stage".
 */
export interface Stage {
  /**
   * The stage id leads carry in `stage` (`MQL`, `Proposal`…); unique, case-sensitive.
   */
  id: string;
  kind: StageKind;
  /**
   * A display name (`Marketing qualified lead`).
   */
  name?: string | null;
  /**
   * Win probability of a deal in this stage, as a fraction in `[0, 1]`, for weighted
   * forecasts (amount × probability, seed 004).
   */
  probability?: number | null;
  /**
   * Whether deals in this stage carry an amount the funnel should sum (seed 000 tracks
   * amounts for opportunity, order and payment).
   */
  tracks_amount?: boolean;
}
/**
 * What to plan for: exactly one of `leads` and `revenue_target`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PlanInput".
 */
export interface PlanInput {
  /**
   * Leads per period.
   */
  leads?: number | null;
  /**
   * Revenue target per period (currency).
   */
  revenue_target?: number | null;
}
/**
 * The outcome of an accepted command or tick: effects for the host, reasons, routing
 * decisions, and when to tick next. The state itself was updated in place.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PoolApplied".
 */
export interface PoolApplied {
  /**
   * The time the call ran at: `now`, or a record's clock when `now` lagged behind it within
   * the skew tolerance. Records written carry it as their clock; logs record it.
   */
  at?: string | null;
  /**
   * Routing decisions made (route, and pending leads retried by tick).
   */
  decisions?: RouteDecision[];
  /**
   * A retry of a command id already applied: the earlier effects and reasons, nothing
   * changed.
   */
  duplicate?: boolean;
  /**
   * What the host must do, in order.
   */
  effects: PoolEffectOutput[];
  /**
   * The earliest time `tick` has something to do.
   */
  next_check_at: string | null;
  /**
   * Why, in the order the checks ran.
   */
  reasons: PoolReasonOutput[];
  [k: string]: unknown;
}
/**
 * A routing decision and why.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "RouteDecision".
 */
export interface RouteDecision {
  /**
   * The reps considered.
   */
  candidates?: Candidate[];
  /**
   * Lead id.
   */
  lead: string;
  outcome: RouteOutcome;
  /**
   * The rule that decided (for a hand-over, the path id).
   */
  rule: string;
  /**
   * The rules tried, in order, up to the one that decided.
   */
  rules: RuleCheck[];
  /**
   * The strategy used.
   */
  strategy?: Strategy | null;
  /**
   * The target team.
   */
  team?: string | null;
  /**
   * A tie and how it was broken.
   */
  tie?: Tie | null;
  [k: string]: unknown;
}
/**
 * One rule as the router saw it.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "RuleCheck".
 */
export interface RuleCheck {
  /**
   * Whether its condition matched.
   */
  matched: boolean;
  /**
   * For a matched rule that was passed over (account owner missing, unknown or unable to
   * take the lead): why (`no_account_owner`, `unknown_rep`, or a candidate skip code).
   */
  passed_over?: string | null;
  /**
   * Rule id.
   */
  rule: string;
  [k: string]: unknown;
}
/**
 * Reps tied on the strategy's measure and how the tie was broken.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Tie".
 */
export interface Tie {
  /**
   * The tied reps, in member order.
   */
  reps: string[];
  /**
   * The rule used.
   */
  rule: string;
  [k: string]: unknown;
}
/**
 * A pool.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PoolConfig".
 */
export interface PoolConfig {
  /**
   * Who may claim from the pool; absent: every rep.
   */
  claimable_by?: Eligibility | null;
  /**
   * Pool id.
   */
  id: string;
  /**
   * Industry the pool serves (informative).
   */
  industry?: string | null;
  kind: PoolKind;
  /**
   * The manager told about the pool's leads (SLA escalations of pooled leads).
   */
  manager?: string | null;
  /**
   * Region the pool serves; fall-outs go to the pool of the lead's region.
   */
  region?: string | null;
}
/**
 * The distribution of a simulated day.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PoolDayReport".
 */
export interface PoolDayReport {
  /**
   * Arrivals simulated.
   */
  arrivals: number;
  /**
   * Assigned to a rep.
   */
  assigned: number;
  /**
   * Parked with a manager for dispatch.
   */
  dispatched: number;
  /**
   * Still waiting for a rep at the end.
   */
  pending: number;
  /**
   * Every rep of the candidate policy, by id.
   */
  per_rep: {
    [k: string]: RepDay;
  };
  /**
   * Decisions per deciding rule.
   */
  per_rule: {
    [k: string]: number;
  };
  /**
   * Left in a pool by a rule.
   */
  pooled: number;
  /**
   * Leads reclaimed by the ticks run before each arrival.
   */
  reclaimed: number;
  /**
   * Arrivals refused (an owned or converted lead, an empty id).
   */
  refused: Refusal[];
  [k: string]: unknown;
}
/**
 * One rep's day in a simulation.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "RepDay".
 */
export interface RepDay {
  /**
   * Leads routed to the rep (directly, or after waiting).
   */
  assigned: number;
  /**
   * Leads parked with the rep (a manager) for dispatch.
   */
  dispatched: number;
  /**
   * Holding cap.
   */
  holding_cap?: number | null;
  /**
   * Holdings after the last arrival.
   */
  holdings_after: number;
  /**
   * Holdings before the first arrival.
   */
  holdings_before: number;
  /**
   * Leads the rep lost to auto-reclaim during the day.
   */
  reclaimed: number;
  [k: string]: unknown;
}
/**
 * A lead the simulation could not route, and why.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Refusal".
 */
export interface Refusal {
  /**
   * The error code.
   */
  code: string;
  /**
   * Lead id.
   */
  lead: string;
  [k: string]: unknown;
}
/**
 * Everything due at `now`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PoolDue".
 */
export interface PoolDue {
  /**
   * Nurture steps, by due time, then lead, then SOP steps before reactivation steps, then
   * cadence (in config order), then step `at` and id.
   */
  nurture: StepDue[];
  /**
   * SLA timers, by deadline, then lead, then timer id.
   */
  timers: TimerDue[];
  [k: string]: unknown;
}
/**
 * A nurture step due for a lead.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "StepDue".
 */
export interface StepDue {
  /**
   * The step's `at` (units after entry, or days of silence).
   */
  at: number;
  /**
   * Channel to send on.
   */
  channel: string;
  /**
   * Content to send.
   */
  content: string;
  /**
   * When it became due.
   */
  due_at: string;
  /**
   * Lead id.
   */
  lead: string;
  /**
   * Whether it is a reactivation step.
   */
  reactivation: boolean;
  /**
   * Cadence id.
   */
  sop: string;
  /**
   * Step id.
   */
  step: string;
  [k: string]: unknown;
}
/**
 * An SLA timer due or overdue for one lead.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "TimerDue".
 */
export interface TimerDue {
  /**
   * The deadline (business hours counted on the timer's calendar).
   */
  deadline: string;
  /**
   * Lead id.
   */
  lead: string;
  /**
   * The escalation step reached (0-based), for overdue timers past a step.
   */
  level?: number | null;
  /**
   * When the next escalation step is reached.
   */
  next_escalation_at?: string | null;
  /**
   * That person, when the policy names one (owner, team lead, pool manager).
   */
  rep?: string | null;
  /**
   * Where the timer started.
   */
  started_at: string;
  status: TimerStatus;
  /**
   * Timer id.
   */
  timer: string;
  to: Recipient;
  [k: string]: unknown;
}
/**
 * The records a set of commands can touch, sorted, each id once.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PoolNeeds".
 */
export interface PoolNeeds {
  /**
   * Lead ids.
   */
  leads: string[];
  /**
   * Rep ids (their counters).
   */
  reps: string[];
  /**
   * Team ids (their rotations).
   */
  teams: string[];
  [k: string]: unknown;
}
/**
 * The whole pool policy: calendars, pools, teams, reps, protection, reclaim, escalation,
 * routing, SLA timers and nurture cadences.
 *
 * Only `pools` and `reps` are required; every other section is off when absent, except
 * `protection` whose fields default to 10 / 3 / 20 days when the section is present.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PoolPolicyJson".
 */
export interface PoolPolicyJson {
  /**
   * Business calendars, referenced by reps and SLA timers.
   */
  calendars?: CalendarConfig[];
  /**
   * How many seconds a `now` may lag behind the clock of a record a command writes and still
   * be accepted (the command then runs at that clock): the clocks of several service
   * instances are never exactly in step. Default 0; at most 3,600.
   */
  clock_skew_seconds?: number;
  /**
   * Where leads go when they fall out of protection, again and again.
   */
  escalation?: EscalationConfig | null;
  /**
   * Who may hand a lead to whom (SDR → rep, seed 003), and how the receiver is picked.
   */
  handovers?: HandoverConfig[];
  /**
   * Nurture cadences, reported by `due`.
   */
  nurture?: NurtureConfig | null;
  /**
   * The pools (公海) leads wait in.
   */
  pools: PoolConfig[];
  /**
   * The protection period (客保) of an owned lead.
   */
  protection?: ProtectionConfig | null;
  reclaim?: ReclaimConfig;
  /**
   * How many command ids each lead remembers for retries (the oldest is forgotten first).
   * Default 16; at most 1,000.
   */
  remember_command_ids?: number;
  /**
   * The reps and managers.
   */
  reps: RepConfig[];
  /**
   * Automatic assignment rules.
   */
  routing?: RoutingConfig | null;
  /**
   * Seed of the policy's pseudo-random choices (random-weighted strategy, tie-breaks,
   * round-robin start). JSON numbers above 2^53 lose precision in JavaScript: keep it small.
   */
  seed?: number;
  /**
   * SLA timers, reported by `due`.
   */
  sla?: SlaTimerConfig[];
  /**
   * Teams of reps.
   */
  teams?: TeamConfig[];
  /**
   * UTC offset whose midnight starts a new day for daily caps, for reps without a calendar
   * (`+08:00` for China). Default `+00:00`.
   */
  utc_offset?: string;
}
/**
 * The protection period (客保) of an owned lead, in days.
 *
 * At a claim the lead is protected until `claim + default_days`; qualifying activity extends
 * it to `max(current, now + extension_days)`, never past `claim + max_days`. When protection
 * ends the lead falls out (auto-reclaim at `tick`).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ProtectionConfig".
 */
export interface ProtectionConfig {
  /**
   * Days of protection from the claim. Default 10.
   */
  default_days?: number;
  /**
   * Days of protection a qualifying activity grants from its time. Default 3.
   */
  extension_days?: number;
  /**
   * Hard maximum of protection from the claim, whatever the activity. Default 20.
   */
  max_days?: number;
  /**
   * Follow-up kinds that extend protection (`call`, `visit`…); empty: every kind.
   */
  qualifying?: string[];
  /**
   * Whether a transfer restarts protection for the new owner. Default false: the clock of
   * the claim carries over, so transfers cannot keep a lead protected forever.
   */
  transfer_resets?: boolean;
  /**
   * Warn the owner this many days before protection ends.
   */
  warn_days?: number | null;
}
/**
 * Automatic reclaim triggers (besides protection), cooldown and the different-rep rule.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ReclaimConfig".
 */
export interface ReclaimConfig {
  /**
   * Hours during which a rep who returned or lost a lead may not take it again.
   */
  cooldown_hours?: number | null;
  /**
   * After a fall-out (reclaim), the next owner must be a different rep (seed 000). Default
   * true.
   */
  next_owner_differs?: boolean;
  /**
   * Reclaim when the owner has not followed up for this many days (from the claim or the
   * last qualifying follow-up).
   */
  no_follow_up_days?: number | null;
  /**
   * Reclaim when the lead is not converted this many days after the claim.
   */
  not_converted_days?: number | null;
  /**
   * Warn the owner this many days before either trigger.
   */
  warn_days?: number | null;
}
/**
 * A rep or manager.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "RepConfig".
 */
export interface RepConfig {
  /**
   * An inactive rep (left the company) receives nothing.
   */
  active?: boolean;
  /**
   * Out-of-office periods: automatic routing skips the rep during them.
   */
  away?: Away[];
  /**
   * Working calendar: automatic routing skips the rep outside its working time; its offset
   * also sets the rep's day for the daily cap.
   */
  calendar?: string | null;
  /**
   * Most leads the rep may receive per day by any path (claim, assign, transfer, routing);
   * absent: no cap; 0: opted out.
   */
  daily_claim_cap?: number | null;
  /**
   * Most leads the rep may own at once (客保数量); absent: no cap; 0: opted out.
   */
  holding_cap?: number | null;
  /**
   * Rep id.
   */
  id: string;
  /**
   * Region (fall-outs of the rep's leads go to this region's pools when the lead has none).
   */
  region?: string | null;
  role?: Role;
  /**
   * Skills or segments (`ka`, `retail`…), matched by routing targets.
   */
  segments?: string[];
  /**
   * Team id.
   */
  team?: string | null;
  /**
   * Weight for the weighted strategies (≥ 1).
   */
  weight?: number;
}
/**
 * Automatic assignment: ordered rules, first match wins, a catch-all last.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "RoutingConfig".
 */
export interface RoutingConfig {
  /**
   * Where routed leads wait when their target cannot take them now.
   */
  default_pool: string;
  /**
   * The rules, in order; the last one has no `when`.
   */
  rules: RuleConfig[];
}
/**
 * A routing rule.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "RuleConfig".
 */
export interface RuleConfig {
  /**
   * Rule id.
   */
  id: string;
  to: Target;
  /**
   * The condition on the lead (condition language); absent: matches every lead (catch-all).
   */
  when?: ConditionJson | null;
}
/**
 * An SLA timer: a deadline counted from a start, met by a milestone.
 *
 * Seed 000's cleaning SLA: `{"id": "cleaning", "start": "created", "stop": "cleaned",
 * "hours": 48}`; first follow-up: `{"id": "first_follow_up", "start": "assigned", "stop":
 * "followed_up", "hours": 4, "calendar": "cn"}`; seed 001's idle SAL reminder: `{"id":
 * "sal_idle", "start": "last_activity", "stages": ["SAL"], "holder": "owned", "hours": 48}`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SlaTimerConfig".
 */
export interface SlaTimerConfig {
  /**
   * Business calendar; absent: clock hours.
   */
  calendar?: string | null;
  /**
   * The escalation ladder past the deadline, in increasing `after_hours`; default: the owner
   * at the deadline.
   */
  escalation?: SlaEscalation[];
  holder?: HolderFilter;
  /**
   * Hours from the start to the deadline (business hours with a calendar).
   */
  hours: number;
  /**
   * Timer id.
   */
  id: string;
  /**
   * Only leads in these stages; empty: every stage.
   */
  stages?: string[];
  start: SlaStart;
  /**
   * The milestone that meets the timer when it happens at or after the start: `followed_up`,
   * `assigned`, `activity`, or any name the host records with the `milestone` command
   * (`cleaned`…). Absent: the timer is only reset by its start moving.
   */
  stop?: string | null;
  /**
   * The timer is listed as `due` this many hours before its deadline.
   */
  warn_before_hours?: number | null;
}
/**
 * One rung of an SLA escalation ladder: `after_hours` past the deadline, reach `to`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SlaEscalation".
 */
export interface SlaEscalation {
  /**
   * Hours after the deadline (business hours when the timer has a calendar); 0 = at it.
   */
  after_hours: number;
  to: Recipient;
}
/**
 * A team.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "TeamConfig".
 */
export interface TeamConfig {
  dispatch?: Dispatch;
  /**
   * Team id.
   */
  id: string;
  /**
   * The team lead (a rep id, usually a manager); required for `via_lead` dispatch.
   */
  lead?: string | null;
  /**
   * Where routed leads wait when no member can take them (default: routing's default pool).
   */
  pool?: string | null;
  strategy?: Strategy;
}
/**
 * The state a log rebuilds and the result of each entry.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PoolReplayed".
 */
export interface PoolReplayed {
  /**
   * One result per entry, in order.
   */
  results: PoolApplied[];
  state: PoolStateJsonOutput;
  [k: string]: unknown;
}
/**
 * A pool state as JSON: the clock, and lead, rep and team records and deleted leads' versions
 * by id.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PoolStateJsonOutput".
 */
export interface PoolStateJsonOutput {
  clock: string | null;
  gone: {
    [k: string]: number;
  };
  leads: {
    [k: string]: LeadRecordOutput;
  };
  reps: {
    [k: string]: RepCountersOutput;
  };
  teams: {
    [k: string]: TeamRotationOutput;
  };
}
/**
 * A rep's counters.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "RepCountersOutput".
 */
export interface RepCountersOutput {
  /**
   * The time of its last write.
   */
  clock?: string | null;
  /**
   * The local day `intake` counts.
   */
  day?: string | null;
  /**
   * Leads owned now (kept with every change; a whole state loaded at once recounts it from
   * its leads).
   */
  holdings: number;
  /**
   * Leads received on `day` (claims, assignments, transfers, routing).
   */
  intake: number;
  /**
   * Writes so far (the compare-and-set version; 0: never written).
   */
  version?: number;
}
/**
 * A team's rotation state.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "TeamRotationOutput".
 */
export interface TeamRotationOutput {
  /**
   * The time of its last write.
   */
  clock?: string | null;
  /**
   * Smooth weighted round robin: each rep's current weight.
   */
  current?: {
    [k: string]: number;
  };
  /**
   * Round robin: the last rep served by rotation.
   */
  last?: string | null;
  /**
   * Random weighted: the generator's state (SplitMix64).
   */
  rng?: number | null;
  /**
   * Writes so far (the compare-and-set version; 0: never written).
   */
  version?: number;
}
/**
 * The outcome of [`apply_rows`] or [`tick_rows`].
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PoolRowsApplied".
 */
export interface PoolRowsApplied {
  /**
   * The log entries to append (duplicates are not logged).
   */
  log: PoolLogEntryOutput[];
  /**
   * One result per command (one for a tick).
   */
  results: PoolApplied[];
  /**
   * The rows to write, leads then reps then teams, each by id.
   */
  rows: Row[];
  [k: string]: unknown;
}
/**
 * One row for the host to write (or verify) with a compare-and-set on `expected`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Row".
 */
export interface Row {
  /**
   * Read, not written: verify the version in the same transaction (the decision depended
   * on it).
   */
  check?: boolean;
  /**
   * A lead's [`LeadRecord::due_at`], the column to index for `tick`.
   */
  due_at?: string | null;
  /**
   * The version the row must have now (0: the row must not exist yet; a deleted lead's row
   * has its tombstone's version).
   */
  expected: number;
  /**
   * The record's id.
   */
  id: string;
  kind: RowKind;
  /**
   * The new record (its `version` is the next one); absent when the lead is deleted (keep
   * the row as a tombstone with `version`) or the row is only checked.
   */
  record?: RowRecord | null;
  /**
   * The version it gets (the new record's; one call may write a record more than once);
   * absent when the row is only checked.
   */
  version?: number | null;
  [k: string]: unknown;
}
/**
 * A pool state as JSON: the clock, and lead, rep and team records and deleted leads' versions
 * by id.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PoolStateJson".
 */
export interface PoolStateJson {
  clock?: string | number | Date | null;
  gone?: {
    [k: string]: number;
  };
  leads?: {
    [k: string]: LeadRecord;
  };
  reps?: {
    [k: string]: RepCounters;
  };
  teams?: {
    [k: string]: TeamRotation;
  };
}
/**
 * A rep's counters.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "RepCounters".
 */
export interface RepCounters {
  /**
   * The time of its last write.
   */
  clock?: string | number | Date | null;
  /**
   * The local day `intake` counts.
   */
  day?: string | null;
  /**
   * Leads owned now (kept with every change; a whole state loaded at once recounts it from
   * its leads).
   */
  holdings?: number;
  /**
   * Leads received on `day` (claims, assignments, transfers, routing).
   */
  intake?: number;
  /**
   * Writes so far (the compare-and-set version; 0: never written).
   */
  version?: number;
}
/**
 * A team's rotation state.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "TeamRotation".
 */
export interface TeamRotation {
  /**
   * The time of its last write.
   */
  clock?: string | number | Date | null;
  /**
   * Smooth weighted round robin: each rep's current weight.
   */
  current?: {
    [k: string]: number;
  };
  /**
   * Round robin: the last rep served by rotation.
   */
  last?: string | null;
  /**
   * Random weighted: the generator's state (SplitMix64).
   */
  rng?: number | null;
  /**
   * Writes so far (the compare-and-set version; 0: never written).
   */
  version?: number;
}
/**
 * A trained predictive lead-scoring model.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "PredictiveModelJson".
 */
export interface PredictiveModelJson {
  config: TrainConfigJson;
  encoding: FeatureEncoding;
  /**
   * File format version ([`FORMAT_VERSION`]).
   */
  format_version: number;
  global: SubModel;
  metadata: TrainingMetadata;
  /**
   * Segment value → its own model (segments with enough leads and conversions).
   */
  segments: {
    [k: string]: SubModel;
  };
  tiers: TierThresholds;
}
/**
 * Everything that decides how a model is trained; stored in the model file.
 *
 * `{}` is valid: default features, a 100-tree forest, seed 42, a 10 % stratified holdout, no
 * calibration, tiers at the top 10 % / 30 % of scores.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "TrainConfigJson".
 */
export interface TrainConfigJson {
  calibration?: CalibrationMethod;
  /**
   * Factors listed per direction in each lead's explanation.
   */
  explain_top?: number;
  features?: FeatureSpecJson;
  model?: ModelConfig;
  /**
   * Repeats of the permutation importance on the holdout (0 skips it).
   */
  permutation_repeats?: number;
  /**
   * Master seed of every random choice (split, bootstrap, features per split, folds).
   */
  seed?: number;
  /**
   * One model per segment when it has enough data, else the global model.
   */
  segments?: SegmentConfig | null;
  /**
   * Fraction of the labelled rows held out for the metrics (stratified), in `0..1`.
   */
  test_fraction?: number;
  tiers?: TierConfig;
}
/**
 * Segment models (e.g. per business line, or per sales team for naive Bayes as in Odoo).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SegmentConfig".
 */
export interface SegmentConfig {
  /**
   * Attribute (or `source.<field>`) whose value names the lead's segment.
   */
  attribute: string;
  /**
   * Fewest converted training leads a segment needs for its own model.
   */
  min_conversions?: number;
  /**
   * Fewest training leads a segment needs for its own model.
   */
  min_leads?: number;
}
/**
 * One estimator with its calibration.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SubModel".
 */
export interface SubModel {
  calibrator: Calibrator;
  estimator: Estimator;
  /**
   * Converted training rows.
   */
  positives: number;
  /**
   * Training rows.
   */
  rows: number;
}
/**
 * The training record stored with a model.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "TrainingMetadata".
 */
export interface TrainingMetadata {
  /**
   * Impurity importance of each feature group (global forest; empty for naive Bayes),
   * largest first.
   */
  impurity_importance: Importance[];
  /**
   * Metrics on the held-out rows (`null` without a test split).
   */
  metrics?: Metrics | null;
  /**
   * Permutation importance of each feature group on the held-out rows (drop in ROC AUC when
   * the group's values are shuffled), largest first; empty without a test split.
   */
  permutation_importance: Importance[];
  /**
   * Converted labelled rows.
   */
  positives: number;
  /**
   * Labelled rows.
   */
  rows: number;
  /**
   * Master seed.
   */
  seed: number;
  /**
   * Per segment value seen in training: whether it got its own model, and why not.
   */
  segments: SegmentReport[];
  /**
   * Held-out rows.
   */
  test_rows: number;
  /**
   * Rows the models were fitted on.
   */
  train_rows: number;
  /**
   * When the caller says the model was trained.
   */
  trained_at: string | number | Date;
}
/**
 * Whether a segment got its own model.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SegmentReport".
 */
export interface SegmentReport {
  /**
   * `own` or `global`.
   */
  model: string;
  /**
   * Its converted training rows.
   */
  positives: number;
  /**
   * Why it falls back to the global model (`too_few_leads`, `too_few_conversions`,
   * `single_class`), if it does.
   */
  reason?: string | null;
  /**
   * Its training rows.
   */
  rows: number;
  /**
   * The segment value.
   */
  segment: string;
}
/**
 * Probability thresholds of the tiers.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "TierThresholds".
 */
export interface TierThresholds {
  /**
   * Lowest probability of a high lead.
   */
  high: number;
  /**
   * Lowest probability of a mid lead.
   */
  mid: number;
}
/**
 * The Beta prior of the smoothing: mean `mean` (default: the pooled rate) and strength
 * `strength` pseudo-leads (> 0, default 20).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Prior".
 */
export interface Prior {
  /**
   * Prior conversion rate in [0, 1]; `null` for the pooled rate of all sources.
   */
  mean?: number | null;
  /**
   * Pseudo-leads of prior evidence.
   */
  strength?: number;
}
/**
 * A proposed model change to evaluate: the current model, the proposed one and the MQL gate.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ProposalJson".
 */
export interface ProposalJson {
  current: ScoringModelJson;
  /**
   * The MQL gate (a condition on the lead, its events and its scores), if verdicts matter.
   */
  mql?: ConditionJson | null;
  proposed: ScoringModelJson;
}
/**
 * A complete scoring model, as a CRM stores it. Every section is optional.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "ScoringModelJson".
 */
export interface ScoringModelJson {
  behavior?: BehaviorModel;
  combine?: CombineModel;
  fit?: FitModel;
  /**
   * Source-channel quality; without it leads get no source score.
   */
  source?: SourceModelJson | null;
  /**
   * Tiers of the combined score (weighted combination only; a matrix tiers by cell).
   */
  tiers?: TierModel | null;
}
/**
 * The source-quality part of a scoring model: historical counts, prior, tiers and routing.
 *
 * ```
 * use leadcore::score::source::{SourceModel, quality};
 * let m: SourceModel = serde_json::from_str(r#"{"counts": {
 *     "sem": {"leads": 200, "converted": 30}, "content_download": {"leads": 300, "converted": 6}}}"#).unwrap();
 * let t = quality(&m).unwrap();
 * assert_eq!(t.sources[0].source, "sem");
 * ```
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SourceModelJson".
 */
export interface SourceModelJson {
  /**
   * Historical leads and conversions per source (see [`count_outcomes`]).
   */
  counts: {
    [k: string]: SourceCount;
  };
  field?: SourceField;
  prior?: Prior;
  /**
   * Channels that are rep referrals: a lead from one with a `referrer` goes to that rep.
   */
  referral_channels?: string[];
  tiers?: SourceTiers;
}
/**
 * Historical counts of one source.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SourceCount".
 */
export interface SourceCount {
  /**
   * Of those, leads that converted (≤ `leads`).
   */
  converted: number;
  /**
   * Leads from the source.
   */
  leads: number;
}
/**
 * The verdicts of every gate for one lead.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Qualification".
 */
export interface Qualification {
  /**
   * One verdict per gate, in config order.
   */
  gates: GateVerdict[];
  /**
   * The stages whose gates the lead passes, in config order.
   */
  qualified: string[];
  [k: string]: unknown;
}
/**
 * One step of an explanation: a stable snake_case `code` and a human-readable `message`.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Reason".
 */
export interface Reason {
  /**
   * Stable code, e.g. `edge_allowed`.
   */
  code: string;
  /**
   * What happened, with the stages, times and numbers involved.
   */
  message: string;
}
/**
 * Records as a host stores them, one row each, by id: lead records, rep counters, team
 * rotations. The JSON form is the `leads` / `reps` / `teams` part of a [`PoolState`]'s.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Records".
 */
export interface Records {
  /**
   * Deleted leads' rows (tombstones): their version. A deleted lead's row stays, with its
   * version and no record, until no request that loaded the earlier record can still
   * commit; load it back here so a lead created again under the same id goes on from that
   * version (otherwise a stale write could match the new record: the ABA problem).
   */
  gone?: {
    [k: string]: number;
  };
  /**
   * Lead records.
   */
  leads?: {
    [k: string]: LeadRecord;
  };
  /**
   * Rep counters.
   */
  reps?: {
    [k: string]: RepCounters;
  };
  /**
   * Team rotations.
   */
  teams?: {
    [k: string]: TeamRotation;
  };
}
/**
 * ROI configuration: the funnel (without dimensions), the dimension spend is booked against,
 * and which stage's amount is revenue.
 *
 * ```json
 * {"funnel": {"stages": [{"id": "Leads"}, {"id": "MQL"}, {"id": "SQL"},
 *   {"id": "Opportunity", "amount": "opportunity_amount"}, {"id": "Order", "amount": "order_amount"},
 *   {"id": "Payment", "amount": "payment_amount"}], "entry_stage": "Leads", "granularity": "month",
 *   "utc_offset": "+08:00"},
 *  "dimension": "channel", "revenue_stage": "Payment"}
 * ```
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "RoiConfigJson".
 */
export interface RoiConfigJson {
  /**
   * Dimension the spend is booked against (default `channel`).
   */
  dimension?: string;
  funnel: FunnelConfigJson;
  /**
   * Stage whose amount is revenue (default: the last stage with an amount).
   */
  revenue_stage?: string | null;
}
/**
 * ROI per channel and period, then per channel over all periods.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "RoiReport".
 */
export interface RoiReport {
  /**
   * Rows sorted by period then channel.
   */
  rows: RoiRow[];
  /**
   * One row per channel over all periods (period `all`), sorted by channel.
   */
  totals: RoiRow[];
  [k: string]: unknown;
}
/**
 * ROI of one channel in one period (or over all periods: period `all`).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "RoiRow".
 */
export interface RoiRow {
  /**
   * The channel (dimension value).
   */
  channel: string;
  /**
   * Period key, or `all`.
   */
  period: string;
  /**
   * Revenue (amount of the revenue stage).
   */
  revenue: number;
  /**
   * (revenue − spend) ÷ spend, when there was spend.
   */
  roi: number | null;
  /**
   * Spend.
   */
  spend: number;
  /**
   * The chain, in funnel order.
   */
  stages: ChainStage[];
  [k: string]: unknown;
}
/**
 * Qualification rules: one gate per pipeline stage, in the order given.
 *
 * The rules are compiled once, the first time they qualify a lead, and the compiled form is
 * reused while `gates` stay as they were (a host holds one rule set for many requests).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "RuleSetJson".
 */
export interface RuleSetJson {
  /**
   * The gates, each keyed by the pipeline stage id it guards. Stage ids are unique.
   */
  gates: Gate[];
}
/**
 * Segment models (e.g. per business line, or per sales team for naive Bayes as in Odoo).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SegmentConfigOutput".
 */
export interface SegmentConfigOutput {
  /**
   * Attribute (or `source.<field>`) whose value names the lead's segment.
   */
  attribute: string;
  /**
   * Fewest converted training leads a segment needs for its own model.
   */
  min_conversions: number;
  /**
   * Fewest training leads a segment needs for its own model.
   */
  min_leads: number;
}
/**
 * Monte Carlo settings.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Simulation".
 */
export interface Simulation {
  /**
   * Percentiles to report, 0–100 (default 5, 50, 95).
   */
  percentiles?: number[];
  /**
   * Runs (1 to 1 000 000, default 10 000; runs × simulated quantities at most
   * [`MAX_SIMULATION_VALUES`]).
   */
  runs?: number;
  /**
   * Seed of the generator.
   */
  seed?: number;
}
/**
 * A historical lead: its source and the stage it ended in.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SourceOutcome".
 */
export interface SourceOutcome {
  /**
   * The lead's source.
   */
  source: string;
  /**
   * The stage the lead ended in (`null` if it never entered the pipeline).
   */
  stage?: string | null;
}
/**
 * One source's quality.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SourceQuality".
 */
export interface SourceQuality {
  /**
   * Historical conversions.
   */
  converted: number;
  /**
   * Historical leads.
   */
  leads: number;
  /**
   * Rank by smoothed rate, 1 = best (ties broken by name).
   */
  rank: number;
  /**
   * The smoothed rate, rounded to 6 decimals.
   */
  rate: number;
  /**
   * `converted / leads` (0 with no leads), rounded to 6 decimals.
   */
  raw_rate: number;
  route: Route;
  /**
   * `rate × 100`, rounded to 4 decimals.
   */
  score: number;
  /**
   * The source name.
   */
  source: string;
  tier: SourceTier;
  [k: string]: unknown;
}
/**
 * Every source's quality, best first.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "SourceTable".
 */
export interface SourceTable {
  /**
   * The prior mean `μ` used (the pooled rate unless configured), rounded to 6 decimals.
   */
  prior_mean: number;
  /**
   * The prior strength `m`.
   */
  prior_strength: number;
  /**
   * The sources, by rank.
   */
  sources: SourceQuality[];
  [k: string]: unknown;
}
/**
 * Marketing spend of one channel in one period.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Spend".
 */
export interface Spend {
  /**
   * Amount spent (currency).
   */
  amount: number;
  /**
   * The dimension value (channel).
   */
  channel: string;
  /**
   * Period key in the funnel's granularity (`2026-01` for months).
   */
  period: string;
}
/**
 * Aggregates of one stage in one group: integers and exact sums only, so merging is exact.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "StageTally".
 */
export interface StageTally {
  /**
   * Seconds from the entry to the first entry into a later stage, summed over the leads
   * that advanced.
   */
  advance_seconds: number;
  /**
   * Of those, leads that later entered a later stage.
   */
  advanced: number;
  amount: Exact;
  /**
   * Leads that entered.
   */
  entered: number;
  /**
   * Seconds between taking effect and being recorded, summed over entries.
   */
  lag_seconds: number;
  /**
   * Seconds spent in completed stays.
   */
  stay_seconds: number;
  /**
   * Completed stays.
   */
  stays: number;
  /**
   * Entries with an amount.
   */
  with_amount: number;
}
/**
 * Time spent in one stage, over all visits.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "StageTime".
 */
export interface StageTime {
  /**
   * `total_days / visits`.
   */
  average_days: number;
  /**
   * The stage id.
   */
  stage: string;
  /**
   * Days spent in the stage over all visits (fractional; the current visit counts up to
   * `now`).
   */
  total_days: number;
  /**
   * How many times the lead entered the stage.
   */
  visits: number;
}
/**
 * Time in each stage, current stage age and stage velocity of one lead.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "StageTimes".
 */
export interface StageTimes {
  /**
   * The current stage; absent when the history is empty.
   */
  current?: CurrentStage | null;
  /**
   * Per stage, in the order the lead first entered them.
   */
  stages: StageTime[];
  /**
   * Days from the first history record to `now` (fractional; 0 without history).
   */
  total_days: number;
  /**
   * Per (from, to) forward move, in the order of first occurrence.
   */
  velocity: StageVelocity[];
}
/**
 * How fast the lead moved forward from one stage to the next.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "StageVelocity".
 */
export interface StageVelocity {
  /**
   * Average days in `from` before each move (fractional).
   */
  average_days: number;
  /**
   * The stage left.
   */
  from: string;
  /**
   * How many such moves.
   */
  moves: number;
  /**
   * The stage entered by a `forward` move.
   */
  to: string;
}
/**
 * Score thresholds for temperature, on the scale of the score the caller supplies (points of
 * a 0–100 behavior score, say): below `warm` is cold, from `warm` is warm, from `hot` is hot.
 *
 * `warm <= hot`, both finite; `warm == hot` leaves no warm band. The default (40 / 70 on a
 * 100-point scale) is an example, not a recommendation from the seeds, which give none.
 *
 * ```
 * use leadcore::qualify::TemperatureThresholds;
 * use leadcore::input::Config;
 * let t = TemperatureThresholds::from_json(r#"{"warm": 30, "hot": 60}"#).unwrap();
 * let v = t.classify(45.0).unwrap();
 * assert_eq!(v.temperature, leadcore::lead::Temperature::Warm);
 * assert_eq!(v.reason, "score 45 is at least the warm threshold 30 and below the hot threshold 60");
 * ```
 * Both thresholds default to 40 / 70 on a 100-point scale (an empty document gives them).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "TemperatureThresholdsJson".
 */
export interface TemperatureThresholdsJson {
  /**
   * Lowest score that is hot.
   */
  hot?: number;
  /**
   * Lowest score that is warm.
   */
  warm?: number;
}
/**
 * A lead's temperature with the score and the reason.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "TemperatureVerdict".
 */
export interface TemperatureVerdict {
  /**
   * Which threshold decided it, in words.
   */
  reason: string;
  /**
   * The score it was derived from.
   */
  score: number;
  temperature: Temperature;
  [k: string]: unknown;
}
/**
 * Everything that decides how a model is trained; stored in the model file.
 *
 * `{}` is valid: default features, a 100-tree forest, seed 42, a 10 % stratified holdout, no
 * calibration, tiers at the top 10 % / 30 % of scores.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "TrainConfigOutput".
 */
export interface TrainConfigOutput {
  calibration: CalibrationMethod;
  /**
   * Factors listed per direction in each lead's explanation.
   */
  explain_top: number;
  features: FeatureSpecOutput;
  model: ModelConfigOutput;
  /**
   * Repeats of the permutation importance on the holdout (0 skips it).
   */
  permutation_repeats: number;
  /**
   * Master seed of every random choice (split, bootstrap, features per split, folds).
   */
  seed: number;
  /**
   * One model per segment when it has enough data, else the global model.
   */
  segments: SegmentConfigOutput | null;
  /**
   * Fraction of the labelled rows held out for the metrics (stratified), in `0..1`.
   */
  test_fraction: number;
  tiers: TierConfig;
}
/**
 * The training record stored with a model.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "TrainingMetadataOutput".
 */
export interface TrainingMetadataOutput {
  /**
   * Impurity importance of each feature group (global forest; empty for naive Bayes),
   * largest first.
   */
  impurity_importance: Importance[];
  /**
   * Metrics on the held-out rows (`null` without a test split).
   */
  metrics: MetricsOutput | null;
  /**
   * Permutation importance of each feature group on the held-out rows (drop in ROC AUC when
   * the group's values are shuffled), largest first; empty without a test split.
   */
  permutation_importance: Importance[];
  /**
   * Converted labelled rows.
   */
  positives: number;
  /**
   * Labelled rows.
   */
  rows: number;
  /**
   * Master seed.
   */
  seed: number;
  /**
   * Per segment value seen in training: whether it got its own model, and why not.
   */
  segments: SegmentReport[];
  /**
   * Held-out rows.
   */
  test_rows: number;
  /**
   * Rows the models were fitted on.
   */
  train_rows: number;
  /**
   * When the caller says the model was trained.
   */
  trained_at: string;
}
/**
 * A training set: the encoding learned from the labelled leads, their features and labels.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "TrainingSet".
 */
export interface TrainingSet {
  encoding: FeatureEncoding;
  features: FeatureMatrix;
  /**
   * Whether each row converted.
   */
  labels: boolean[];
  [k: string]: unknown;
}
/**
 * What the caller asks for: a target stage, an edge kind, or both (then they must agree).
 *
 * JSON: `{"to": "SAL", "edge": "forward", "actor": "rep_7", "reason": "…",
 *   "at": "2026-11-20T10:00:00+08:00", "evidence": [Event…]}`; every key optional, but one of
 * `to` / `edge` is needed once the lead has a stage. A lead with no stage can only enter at the
 * pipeline's entry stage (`{}` is enough).
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "TransitionRequest".
 */
export interface TransitionRequest {
  /**
   * Who makes the change (user id, `system`, rule id).
   */
  actor?: string | null;
  /**
   * When the change took effect, if earlier than `now` (a back-dated qualification, say).
   * Must not be after `now` nor before the lead's last change.
   */
  at?: string | number | Date | null;
  /**
   * Edge kind; alone it picks the only edge of that kind out of the current stage.
   */
  edge?: EdgeKind | null;
  /**
   * New evidence for handing a rejected lead back to sales inside its cooldown: events of
   * this lead after the rejection (of the pipeline's `evidence_kinds`). Events of other leads
   * are ignored; order and duplicates do not matter.
   */
  evidence?: LeadEvent[];
  /**
   * Why; required (non-blank) for every edge kind but `enter` and `forward`.
   */
  reason?: string | null;
  /**
   * Target stage id.
   */
  to?: string | null;
}
/**
 * The outcome of an accepted transition.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "Transitioned".
 */
export interface Transitioned {
  change: StageChangeOutput;
  /**
   * What the host must honour or may schedule.
   */
  effects: TransitionEffect[];
  lead: LeadOutput;
  /**
   * Why the change was accepted, in the order the checks ran.
   */
  reasons: Reason[];
}
/**
 * The effect of switching models on a population.
 *
 * This interface was referenced by `Leadcore`'s JSON-Schema
 * via the `definition` "WhatIf".
 */
export interface WhatIf {
  /**
   * Leads whose tier or MQL verdict changes, in the order given.
   */
  changed: LeadChange[];
  /**
   * Leads scored.
   */
  leads: number;
  /**
   * Leads that become MQL.
   */
  mql_gained: number;
  /**
   * Leads that stop being MQL.
   */
  mql_lost: number;
  /**
   * Tier moves counted by `"from->to"` (`none` for no tier), sorted by key.
   */
  tier_moves: {
    [k: string]: number;
  };
  [k: string]: unknown;
}
