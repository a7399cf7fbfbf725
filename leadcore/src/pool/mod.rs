//! Lead pools (公海), ownership, assignment, reclaim, SLA timers and nurture cadences: one pure
//! state machine that every path goes through.
//!
//! The host keeps a [`PoolState`] (it serializes to canonical JSON) and a [`Policy`] (compiled
//! from a [`PolicyConfig`]); it sends [`Command`]s through [`apply`] and calls [`tick`] on a
//! schedule (at the latest at [`PoolState::next_check_at`]); [`due`] lists SLA timers and nurture
//! steps to act on. Every call returns the effects for the host (move, notify, warn) and the
//! reasons, and never changes the state when it refuses ([`PoolError`], with a stable code).
//!
//! What the state machine guarantees (checked by property tests over random command
//! sequences): a lead has exactly one holder (a pool, an owner, a dispatching manager, or
//! converted); no rep ever exceeds a holding or daily cap, whatever the path (claim, assign,
//! bulk assign, transfer, routing); a refused command leaves the state unchanged; `tick` is
//! idempotent at the same `now`; replaying the same commands reproduces the same state; the
//! state round-trips through JSON.
//!
//! Choices worth knowing:
//! - [`apply`] updates the state **in place** (1 M commands per second would not survive a copy
//!   of a million-lead state per command); a refusal is detected before the first change, so
//!   the state is untouched. The bindings return `{state, effects, reasons}`.
//! - `bulk_assign` is **all or nothing**: caps count the earlier leads of the batch; the first
//!   refused lead refuses the batch, with its own code and its position
//!   ([`PoolError::item_index`]).
//! - The daily cap counts every lead a rep **receives** (claim, assignment, routing, transfer
//!   in), on the rep's local day (its calendar's offset, else the policy's `utc_offset`).
//! - A transfer keeps the protection clock of the claim (unless `transfer_resets`), so passing
//!   a lead between reps cannot keep it protected forever; a follow-up or transfer after a
//!   reclaim deadline passed is refused (`protection_expired`): `tick` reclaims the lead.
//! - Deadlines are enforced when `tick` runs; between ticks nothing moves by itself.
//! - Time: `now` must never go backwards (`clock_backwards`): the state keeps the time of its
//!   last accepted command or tick.
//!
//! ```
//! use leadcore::pool::{Command, Policy, PoolState, apply, tick};
//! let policy = Policy::from_json(r#"{
//!   "utc_offset": "+08:00",
//!   "pools": [{"id": "east_active", "kind": "active", "region": "east"},
//!             {"id": "east_general", "kind": "general", "region": "east"}],
//!   "reps": [{"id": "wang", "region": "east", "holding_cap": 50},
//!            {"id": "zhao", "region": "east", "holding_cap": 50}],
//!   "protection": {"default_days": 10, "extension_days": 3, "max_days": 20},
//!   "reclaim": {"cooldown_hours": 72},
//!   "escalation": {"ladder": [{"pool_kind": "active"},
//!                             {"pool_kind": "general", "min_months": 6}]}
//! }"#).unwrap();
//! let mut state = PoolState::default();
//! let t = |s| leadcore::time::parse(s).unwrap();
//! let cmd = |s| serde_json::from_str::<Command>(s).unwrap();
//! apply(&mut state, &policy, &cmd(r#"{"type": "deposit", "lead": "L1", "pool": "east_active"}"#), t("2026-01-05T09:00:00+08:00")).unwrap();
//! apply(&mut state, &policy, &cmd(r#"{"type": "claim", "lead": "L1", "rep": "wang"}"#), t("2026-01-05T09:00:00+08:00")).unwrap();
//! // No follow-up: protection ends after 10 days, the lead falls out to the active pool…
//! tick(&mut state, &policy, t("2026-01-16T00:00:00+08:00")).unwrap();
//! assert_eq!(state.lead("L1").unwrap().holder.pool().map(|p| &**p), Some("east_active"));
//! // …and the next owner must be someone else.
//! let err = apply(&mut state, &policy, &cmd(r#"{"type": "claim", "lead": "L1", "rep": "wang"}"#), t("2026-02-01T00:00:00+08:00")).unwrap_err();
//! assert_eq!(err.code(), "excluded_owner");
//! apply(&mut state, &policy, &cmd(r#"{"type": "claim", "lead": "L1", "rep": "zhao"}"#), t("2026-08-01T00:00:00+08:00")).unwrap();
//! // Falling out again 6 months or more after the first fall-out: the general pool (seed 000).
//! tick(&mut state, &policy, t("2026-08-20T00:00:00+08:00")).unwrap();
//! assert_eq!(state.lead("L1").unwrap().holder.pool().map(|p| &**p), Some("east_general"));
//! ```

mod apply;
mod calendar;
mod command;
mod config;
mod due;
mod error;
mod log;
mod nurture;
mod policy;
mod route;
mod rows;
mod seen;
mod state;
mod tick;
mod timers;
mod whatif;

pub use apply::{apply, apply_request};
pub use calendar::{Calendar, CalendarConfig, Weekday, WorkingHours, parse_offset};
pub use command::{Applied, Command, Departure, Effect, Move, Notice, Reason, Request};
pub use config::{
    Away, Dispatch, Eligibility, EscalationConfig, HolderFilter, LadderSince, LadderStep,
    NurtureConfig, PolicyConfig, PoolConfig, PoolKind, ProtectionConfig, ReactivationConfig,
    Recipient, ReclaimConfig, RepConfig, Role, RoutingConfig, RuleConfig, SlaEscalation, SlaStart,
    SlaTimerConfig, SopConfig, StepConfig, Strategy, Target, TeamConfig, Unit,
};
pub use due::{Due, TimerDue, TimerStatus, due};
pub use error::{ItemList, PoolError};
pub use log::{LogEntry, Replayed, replay, replay_jsonl, replay_with};
pub use nurture::StepDue;
pub use policy::{MAX_DAYS, Policy};
pub use route::{Candidate, Decision, RouteOutcome, RuleCheck, Skip, Tie, assign_preview};
pub use rows::{
    Needs, Row, RowKind, RowRecord, RowsApplied, apply_all, apply_rows, needs, reschedule_rows,
    tick_needs, tick_preview, tick_rows,
};
pub use state::{
    CadenceRecord, Cooldown, Ended, Exclusion, Holder, Id, LeadRecord, NurtureRecord, Ownership,
    Pending, PoolState, Records, RepCounters, Seen, TeamRotation, Trigger, Via, Warned,
};
pub use tick::{reschedule, tick};
pub use whatif::{DayReport, Refusal, RepDay, simulate_day};

#[cfg(test)]
mod tests;
