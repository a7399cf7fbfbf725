//! Lead pools: the policy, the pool state held natively, and the state machine's calls.
//!
//! `PoolState` owns a `leadcore::pool::PoolState`, so a host applying many commands never
//! round-trips the whole state through JS objects: only the command goes in and the effects
//! come out. `apply` and `tick` change the state in place, all or nothing (a refused call
//! throws a coded `Error` and leaves the state exactly as it was). JS runs one call at a time
//! per thread and a worker gets its own instances, so no lock is needed.
//!
//! `poolApply`, `poolTick`, … are the same calls on a state given as a plain object
//! (`null` / `undefined`: the empty state); `poolApply` and `poolTick` return the new state as
//! a plain object under `state`, next to the result.

use std::sync::Arc;

use leadcore::Lead;
use leadcore::input;
use leadcore::pool::{self, LogEntry, Policy, PolicyConfig, Records, Request};
use napi::bindgen_prelude::{ClassInstance, Either};
use napi::{Env, JsValue, Unknown, ValueType};
use napi_derive::napi;
use serde::Serialize;
use serde_json::Value;

use crate::conv::{Json, config_from_js, from_js, instant, json_value, to_js_large};
use crate::errors::{Failure, throw, throw_lead};

/// A validated lead-pool policy (pools, reps, teams, caps, protection, reclaim, escalation,
/// routing, SLA timers, nurture cadences), compiled once and shared by every call that takes
/// it. Wherever a policy is expected, a plain object or JSON text also works (compiled for
/// that call).
#[napi(js_name = "PoolPolicy")]
pub struct JsPoolPolicy {
    inner: Arc<Policy>,
}

#[napi]
impl JsPoolPolicy {
    /// Loads, validates and compiles the policy from an object or JSON text.
    #[napi(
        catch_unwind,
        constructor,
        ts_args_type = "config: PoolPolicyJson | string"
    )]
    pub fn new(env: Env, config: Unknown<'_>) -> napi::Result<Self> {
        Ok(Self {
            inner: policy_arg(&env, Either::B(config))?,
        })
    }

    /// The policy's config as a plain object, normalized (what `JSON.stringify` writes).
    #[napi(catch_unwind, js_name = "toJSON", ts_return_type = "PoolPolicyJson")]
    pub fn to_json_value(&self) -> Json {
        Json(input::to_value(self.inner.config()))
    }

    /// Whether two policies have equal configs.
    #[napi(catch_unwind)]
    pub fn equals(&self, other: &JsPoolPolicy) -> bool {
        self.inner.config() == other.inner.config()
    }

    /// Identifies the policy (16 hex digits of a hash of its canonical JSON); log entries carry
    /// it, and replay refuses entries written under a policy it was not given.
    #[napi(getter)]
    pub fn fingerprint(&self) -> String {
        self.inner.fingerprint().to_string()
    }
}

/// A policy argument: a `PoolPolicy`, or a plain object / JSON text.
pub type PolicyArg<'a> = Either<ClassInstance<'a, JsPoolPolicy>, Unknown<'a>>;

/// Reads a policy argument (a plain object or text is loaded and compiled for this call).
fn policy_arg(env: &Env, arg: PolicyArg<'_>) -> napi::Result<Arc<Policy>> {
    match arg {
        Either::A(p) => Ok(Arc::clone(&p.inner)),
        Either::B(v) => {
            let config: PolicyConfig = config_from_js(env, &v)?;
            config
                .compile()
                .map(Arc::new)
                .map_err(|e| throw_lead(env, e))
        }
    }
}

/// Reads one policy or an array of policies (a log written under several).
fn policies_arg(
    env: &Env,
    arg: Either<Vec<PolicyArg<'_>>, PolicyArg<'_>>,
) -> napi::Result<Vec<Arc<Policy>>> {
    match arg {
        Either::A(list) => list.into_iter().map(|p| policy_arg(env, p)).collect(),
        Either::B(p) => Ok(vec![policy_arg(env, p)?]),
    }
}

/// Reads one command (optionally with an `id`) or an array of them.
fn requests_arg(env: &Env, v: &Unknown<'_>, arg: &str) -> napi::Result<Vec<Request>> {
    let value = json_value(v, arg).map_err(|f| throw(env, f))?;
    Request::list_from_value(value).map_err(|e| throw(env, Failure::Lead(e.at(arg).into())))
}

/// Reads one command (optionally with an `id`).
fn request_arg(env: &Env, v: &Unknown<'_>, arg: &str) -> napi::Result<Request> {
    let value = json_value(v, arg).map_err(|f| throw(env, f))?;
    Request::from_value(value).map_err(|e| throw(env, Failure::Lead(e.at(arg).into())))
}

/// Reads records (each record an object or its JSON text, or the whole as JSON text);
/// `null` / `undefined` is no record.
fn records_arg(env: &Env, v: Option<&Unknown<'_>>) -> napi::Result<Records> {
    match v {
        Some(v) if !matches!(v.get_type()?, ValueType::Undefined | ValueType::Null) => {
            let value = json_value(v, "records").map_err(|f| throw(env, f))?;
            Records::from_value(value)
                .map_err(|e| throw(env, Failure::Lead(e.at("records").into())))
        }
        _ => Ok(Records::default()),
    }
}

/// Options of the row-level calls.
#[napi(object)]
pub struct RowsOptions<'a> {
    /// Each row's `record` as JSON text (what a text column stores).
    #[napi(ts_type = "boolean")]
    pub text: Option<Unknown<'a>>,
}

/// Reads an optional instant.
fn opt_instant(
    env: &Env,
    v: Option<&Unknown<'_>>,
) -> napi::Result<Option<chrono::DateTime<chrono::Utc>>> {
    match v {
        Some(v) if !matches!(v.get_type()?, ValueType::Undefined | ValueType::Null) => {
            Ok(Some(instant(env, v, "now")?))
        }
        _ => Ok(None),
    }
}

/// Reads a state given as a plain object; `null` / `undefined` is the empty state.
fn state_arg(env: &Env, v: Option<&Unknown<'_>>) -> napi::Result<pool::PoolState> {
    match v {
        Some(v) if !matches!(v.get_type()?, ValueType::Undefined | ValueType::Null) => {
            from_js(env, v, "state")
        }
        _ => Ok(pool::PoolState::default()),
    }
}

/// `{state, …result}`: the new state next to the result of the call (the vectors' shape).
fn with_state<T: Serialize>(result: &T, state: &pool::PoolState) -> Value {
    let mut v = input::to_value(result);
    if let Value::Object(map) = &mut v {
        map.insert("state".into(), input::to_value(state));
    }
    v
}

/// Where lead pools live for a JS host: every lead's holder, protection clock and history, the
/// reps' counters and the teams' rotations. Changed only by `apply` and `tick`;
/// `JSON.stringify(state)` gives its canonical JSON (via `toJSON`).
#[napi(js_name = "PoolState")]
pub struct JsPoolState {
    inner: pool::PoolState,
}

/// A replayed log: the new state and one result per entry.
#[napi(object, object_from_js = false)]
pub struct PoolReplay<'env> {
    /// The state the log rebuilt.
    pub state: JsPoolState,
    /// One result per entry, in order.
    #[napi(ts_type = "PoolApplied[]")]
    pub results: Unknown<'env>,
}

#[napi]
impl JsPoolState {
    /// A state from its plain-object form or JSON text (none / `null`: the empty state).
    #[napi(
        catch_unwind,
        constructor,
        ts_args_type = "state?: PoolStateJson | string | null"
    )]
    pub fn new(env: Env, state: Option<Unknown<'_>>) -> napi::Result<Self> {
        match &state {
            Some(s) if s.get_type()? == ValueType::String => Self::from_json(env, *s),
            other => Ok(Self {
                inner: state_arg(&env, other.as_ref())?,
            }),
        }
    }

    /// A state from its plain-object form (`toJSON`) or its JSON text (`toJSONString`).
    #[napi(
        catch_unwind,
        factory,
        js_name = "fromJSON",
        ts_args_type = "state: PoolStateJson | string"
    )]
    pub fn from_json(env: Env, state: Unknown<'_>) -> napi::Result<Self> {
        if state.get_type()? == ValueType::String {
            let text = state.coerce_to_string()?.into_utf8()?.into_owned()?;
            let inner = input::from_json::<pool::PoolState>(&text)
                .map_err(|e| throw_lead(&env, e.at("state")))?;
            return Ok(Self { inner });
        }
        Ok(Self {
            inner: from_js(&env, &state, "state")?,
        })
    }

    /// The state as a plain object: canonical JSON shape (sorted keys), what the host persists.
    #[napi(
        catch_unwind,
        js_name = "toJSON",
        ts_return_type = "PoolStateJsonOutput"
    )]
    pub fn to_json_value<'env>(&self, env: &'env Env) -> napi::Result<Unknown<'env>> {
        to_js_large(env, &self.inner)
    }

    /// The state as compact JSON text, serialized directly: much faster than
    /// `JSON.stringify(state)` for a large state (the same state always gives the same bytes:
    /// leads and reps sorted by id, record fields in a fixed order).
    #[napi(catch_unwind, js_name = "toJSONString")]
    pub fn to_json_string(&self) -> napi::Result<String> {
        serde_json::to_string(&self.inner).map_err(|e| napi::Error::from_reason(e.to_string()))
    }

    /// An independent copy.
    #[napi(catch_unwind)]
    pub fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }

    /// Whether two states are equal (leads, counters, rotations, clock).
    #[napi(catch_unwind)]
    pub fn equals(&self, other: &JsPoolState) -> bool {
        self.inner == other.inner
    }

    /// Number of leads in the state.
    #[napi(getter)]
    pub fn size(&self) -> u32 {
        u32::try_from(self.inner.len()).unwrap_or(u32::MAX)
    }

    /// The time of the last accepted command or tick (RFC 3339 UTC), or `null`.
    #[napi(getter, ts_return_type = "string | null")]
    pub fn clock(&self) -> Option<String> {
        self.inner.clock().map(|t| leadcore::time::format(&t))
    }

    /// The earliest time `tick` has something to do (RFC 3339 UTC), or `null`.
    #[napi(getter, ts_return_type = "string | null")]
    pub fn next_check_at(&self) -> Option<String> {
        self.inner
            .next_check_at()
            .map(|t| leadcore::time::format(&t))
    }

    /// A lead's record (holder, ownership history, deadlines…), or `null`.
    #[napi(
        catch_unwind,
        ts_args_type = "lead: string",
        ts_return_type = "LeadRecordOutput | null"
    )]
    pub fn lead(&self, env: Env, lead: Unknown<'_>) -> napi::Result<Json> {
        let lead: String = from_js(&env, &lead, "lead")?;
        Ok(Json(
            self.inner.lead(&lead).map_or(Value::Null, input::to_value),
        ))
    }

    /// Every lead id, sorted.
    #[napi(catch_unwind)]
    pub fn lead_ids(&self) -> Vec<String> {
        self.inner
            .lead_ids()
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    /// How many leads a rep owns now.
    #[napi(catch_unwind, ts_args_type = "rep: string")]
    pub fn holdings(&self, env: Env, rep: Unknown<'_>) -> napi::Result<u32> {
        let rep: String = from_js(&env, &rep, "rep")?;
        Ok(self.inner.holdings(&rep))
    }

    /// Applies one command (`{type: 'claim', lead, rep}`…, optionally with an `id`) at `now`,
    /// in place: `{effects, reasons, decisions?, next_check_at, at}`. A retried `id` answers with
    /// the earlier outcome (`duplicate: true`). A refused command throws (with `code`) and
    /// changes nothing.
    #[napi(
        catch_unwind,
        ts_args_type = "policy: PoolPolicy | PoolPolicyJson | string, command: PoolRequest, now: Instant",
        ts_return_type = "PoolApplied"
    )]
    pub fn apply<'env>(
        &mut self,
        env: &'env Env,
        policy: PolicyArg<'_>,
        command: Unknown<'_>,
        now: Unknown<'_>,
    ) -> napi::Result<Unknown<'env>> {
        let policy = policy_arg(env, policy)?;
        let request = request_arg(env, &command, "command")?;
        let now = instant(env, &now, "now")?;
        let applied = pool::apply_request(&mut self.inner, &policy, &request, now)
            .map_err(|e| throw_lead(env, e))?;
        to_js_large(env, &applied)
    }

    /// Applies an array of commands at `now`, all or nothing: one result per command, or a
    /// thrown error and the state exactly as before.
    #[napi(
        catch_unwind,
        ts_args_type = "policy: PoolPolicy | PoolPolicyJson | string, commands: PoolRequest[], now: Instant",
        ts_return_type = "PoolApplied[]"
    )]
    pub fn apply_all<'env>(
        &mut self,
        env: &'env Env,
        policy: PolicyArg<'_>,
        commands: Unknown<'_>,
        now: Unknown<'_>,
    ) -> napi::Result<Unknown<'env>> {
        let policy = policy_arg(env, policy)?;
        let requests = requests_arg(env, &commands, "commands")?;
        let now = instant(env, &now, "now")?;
        let applied = pool::apply_all(&mut self.inner, &policy, &requests, now)
            .map_err(|e| throw_lead(env, e))?;
        to_js_large(env, &applied)
    }

    /// What `tick` would do at `at` (a simulated future), without changing the state.
    #[napi(
        catch_unwind,
        ts_args_type = "policy: PoolPolicy | PoolPolicyJson | string, at: Instant",
        ts_return_type = "PoolApplied"
    )]
    pub fn tick_preview<'env>(
        &self,
        env: &'env Env,
        policy: PolicyArg<'_>,
        at: Unknown<'_>,
    ) -> napi::Result<Unknown<'env>> {
        let policy = policy_arg(env, policy)?;
        let at = instant(env, &at, "at")?;
        let applied =
            pool::tick_preview(&self.inner, &policy, at).map_err(|e| throw_lead(env, e))?;
        to_js_large(env, &applied)
    }

    /// Performs every automatic action due at `now` (reclaims, warnings, waiting leads routed),
    /// in place; the same result shape as `apply`. Idempotent at the same `now`.
    #[napi(
        catch_unwind,
        ts_args_type = "policy: PoolPolicy | PoolPolicyJson | string, now: Instant",
        ts_return_type = "PoolApplied"
    )]
    pub fn tick<'env>(
        &mut self,
        env: &'env Env,
        policy: PolicyArg<'_>,
        now: Unknown<'_>,
    ) -> napi::Result<Unknown<'env>> {
        let policy = policy_arg(env, policy)?;
        let now = instant(env, &now, "now")?;
        let applied = pool::tick(&mut self.inner, &policy, now).map_err(|e| throw_lead(env, e))?;
        to_js_large(env, &applied)
    }

    /// The SLA timers due or overdue and the nurture steps due at `now`: `{timers, nurture}`.
    #[napi(
        catch_unwind,
        ts_args_type = "policy: PoolPolicy | PoolPolicyJson | string, now: Instant",
        ts_return_type = "PoolDue"
    )]
    pub fn due<'env>(
        &self,
        env: &'env Env,
        policy: PolicyArg<'_>,
        now: Unknown<'_>,
    ) -> napi::Result<Unknown<'env>> {
        let policy = policy_arg(env, policy)?;
        let now = instant(env, &now, "now")?;
        let due = pool::due(&self.inner, &policy, now).map_err(|e| throw_lead(env, e))?;
        to_js_large(env, &due)
    }

    /// Where a lead would be routed now, and why (rules, candidates, skips); changes nothing.
    #[napi(
        catch_unwind,
        ts_args_type = "policy: PoolPolicy | PoolPolicyJson | string, lead: Lead, now: Instant",
        ts_return_type = "RouteDecision"
    )]
    pub fn assign_preview<'env>(
        &self,
        env: &'env Env,
        policy: PolicyArg<'_>,
        lead: Unknown<'_>,
        now: Unknown<'_>,
    ) -> napi::Result<Unknown<'env>> {
        let policy = policy_arg(env, policy)?;
        let lead: Lead = from_js(env, &lead, "lead")?;
        let now = instant(env, &now, "now")?;
        let decision = pool::assign_preview(&self.inner, &policy, &lead, now)
            .map_err(|e| throw_lead(env, e))?;
        to_js_large(env, &decision)
    }

    /// Routes a day of arrivals on a copy of the state under `policy` (a candidate policy for
    /// a what-if) and reports the distribution per rep and per rule; changes nothing.
    #[napi(
        catch_unwind,
        ts_args_type = "policy: PoolPolicy | PoolPolicyJson | string, arrivals: Lead[]",
        ts_return_type = "PoolDayReport"
    )]
    pub fn simulate_day<'env>(
        &self,
        env: &'env Env,
        policy: PolicyArg<'_>,
        arrivals: Unknown<'_>,
    ) -> napi::Result<Unknown<'env>> {
        let policy = policy_arg(env, policy)?;
        let arrivals: Vec<Lead> = from_js(env, &arrivals, "arrivals")?;
        let report =
            pool::simulate_day(&self.inner, &policy, &arrivals).map_err(|e| throw_lead(env, e))?;
        to_js_large(env, &report)
    }

    /// Recomputes every lead's next check under `policy`; call it after changing the policy.
    #[napi(
        catch_unwind,
        ts_args_type = "policy: PoolPolicy | PoolPolicyJson | string"
    )]
    pub fn reschedule(&mut self, env: Env, policy: PolicyArg<'_>) -> napi::Result<()> {
        let policy = policy_arg(&env, policy)?;
        pool::reschedule(&mut self.inner, &policy);
        Ok(())
    }

    /// Replays a command log (`{op: 'apply', at, command, id?, policy?}` / `{op: 'tick', at,
    /// leads?}`) from `state` (a `PoolState`, which is not changed, or its plain object;
    /// default: empty), all or nothing: the new state and one result per entry. `policy` may
    /// be an array: each entry runs under the policy whose fingerprint it carries.
    #[napi(
        catch_unwind,
        ts_args_type = "policy: PoolPolicy | PoolPolicyJson | string | Array<PoolPolicy | PoolPolicyJson | string>, log: PoolLogEntry[], state?: PoolState | PoolStateJson | null"
    )]
    pub fn replay<'env>(
        env: &'env Env,
        policy: Either<Vec<PolicyArg<'_>>, PolicyArg<'_>>,
        log: Unknown<'_>,
        state: Option<Either<ClassInstance<'_, JsPoolState>, Unknown<'_>>>,
    ) -> napi::Result<PoolReplay<'env>> {
        let policies = policies_arg(env, policy)?;
        let log: Vec<LogEntry> = from_js(env, &log, "log")?;
        let start = Self::start(env, state.as_ref())?;
        let refs: Vec<&Policy> = policies.iter().map(|p| &**p).collect();
        let out = pool::replay_with(start, &refs, &log).map_err(|e| throw_lead(env, e))?;
        Ok(PoolReplay {
            results: to_js_large(env, &out.results)?,
            state: Self { inner: out.state },
        })
    }

    /// Replays a log kept as JSON lines (one entry per line), parsed and applied in the core
    /// line by line: the new state.
    #[napi(
        catch_unwind,
        factory,
        ts_args_type = "policy: PoolPolicy | PoolPolicyJson | string | Array<PoolPolicy | PoolPolicyJson | string>, text: string, state?: PoolState | PoolStateJson | null"
    )]
    pub fn replay_jsonl(
        env: Env,
        policy: Either<Vec<PolicyArg<'_>>, PolicyArg<'_>>,
        text: Unknown<'_>,
        state: Option<Either<ClassInstance<'_, JsPoolState>, Unknown<'_>>>,
    ) -> napi::Result<Self> {
        let text: String = from_js(&env, &text, "text")?;
        let policies = policies_arg(&env, policy)?;
        let start = Self::start(&env, state.as_ref())?;
        let refs: Vec<&Policy> = policies.iter().map(|p| &**p).collect();
        let (state, _) =
            pool::replay_jsonl(start, &refs, &text).map_err(|e| throw_lead(&env, e))?;
        Ok(Self { inner: state })
    }
}

impl JsPoolState {
    /// A replay's starting state: a `PoolState` (copied), a plain object, or empty.
    fn start(
        env: &Env,
        state: Option<&Either<ClassInstance<'_, JsPoolState>, Unknown<'_>>>,
    ) -> napi::Result<pool::PoolState> {
        match state {
            Some(Either::A(s)) => Ok(s.inner.clone()),
            Some(Either::B(v)) => state_arg(env, Some(v)),
            None => Ok(pool::PoolState::default()),
        }
    }
}

/// Applies one command to a state given as a plain object (`null`: empty):
/// `{state, effects, reasons, decisions?, next_check_at}` with the new state as a plain object.
#[napi(
    catch_unwind,
    ts_args_type = "state: PoolStateJson | null | undefined, policy: PoolPolicy | PoolPolicyJson | string, command: PoolRequest, now: Instant",
    ts_return_type = "PoolApplied & { state: PoolStateJsonOutput }"
)]
pub fn pool_apply<'env>(
    env: &'env Env,
    state: Unknown<'_>,
    policy: PolicyArg<'_>,
    command: Unknown<'_>,
    now: Unknown<'_>,
) -> napi::Result<Unknown<'env>> {
    let policy = policy_arg(env, policy)?;
    let mut state = state_arg(env, Some(&state))?;
    let request = request_arg(env, &command, "command")?;
    let now = instant(env, &now, "now")?;
    let applied =
        pool::apply_request(&mut state, &policy, &request, now).map_err(|e| throw_lead(env, e))?;
    to_js_large(env, &with_state(&applied, &state))
}

/// `PoolState.tick` on a state given as a plain object: `{state, effects, reasons, …}`.
#[napi(
    catch_unwind,
    ts_args_type = "state: PoolStateJson | null | undefined, policy: PoolPolicy | PoolPolicyJson | string, now: Instant",
    ts_return_type = "PoolApplied & { state: PoolStateJsonOutput }"
)]
pub fn pool_tick<'env>(
    env: &'env Env,
    state: Unknown<'_>,
    policy: PolicyArg<'_>,
    now: Unknown<'_>,
) -> napi::Result<Unknown<'env>> {
    let policy = policy_arg(env, policy)?;
    let mut state = state_arg(env, Some(&state))?;
    let now = instant(env, &now, "now")?;
    let applied = pool::tick(&mut state, &policy, now).map_err(|e| throw_lead(env, e))?;
    to_js_large(env, &with_state(&applied, &state))
}

/// `PoolState.due` on a state given as a plain object: `{timers, nurture}`.
#[napi(
    catch_unwind,
    ts_args_type = "state: PoolStateJson | null | undefined, policy: PoolPolicy | PoolPolicyJson | string, now: Instant",
    ts_return_type = "PoolDue"
)]
pub fn pool_due<'env>(
    env: &'env Env,
    state: Unknown<'_>,
    policy: PolicyArg<'_>,
    now: Unknown<'_>,
) -> napi::Result<Unknown<'env>> {
    let policy = policy_arg(env, policy)?;
    let state = state_arg(env, Some(&state))?;
    let now = instant(env, &now, "now")?;
    let due = pool::due(&state, &policy, now).map_err(|e| throw_lead(env, e))?;
    to_js_large(env, &due)
}

/// Replays a command log from a state given as a plain object (`null`: empty):
/// `{state, results}` with the state as a plain object.
#[napi(
    catch_unwind,
    ts_args_type = "state: PoolStateJson | null | undefined, policy: PoolPolicy | PoolPolicyJson | string | Array<PoolPolicy | PoolPolicyJson | string>, log: PoolLogEntry[]",
    ts_return_type = "{ state: PoolStateJsonOutput; results: PoolApplied[] }"
)]
pub fn pool_replay<'env>(
    env: &'env Env,
    state: Unknown<'_>,
    policy: Either<Vec<PolicyArg<'_>>, PolicyArg<'_>>,
    log: Unknown<'_>,
) -> napi::Result<Unknown<'env>> {
    let policies = policies_arg(env, policy)?;
    let state = state_arg(env, Some(&state))?;
    let log: Vec<LogEntry> = from_js(env, &log, "log")?;
    let refs: Vec<&Policy> = policies.iter().map(|p| &**p).collect();
    let out = pool::replay_with(state, &refs, &log).map_err(|e| throw_lead(env, e))?;
    to_js_large(env, &out)
}

/// The records `commands` (one command or an array) can touch, given the records loaded so
/// far: `{leads, reps, teams}` id lists. Call it without records to learn the lead ids, then
/// with the lead rows to learn the reps and teams. With `now`, routing rules are evaluated at
/// that time (otherwise every rule that could match counts).
#[napi(
    catch_unwind,
    ts_args_type = "records: PoolRecords | string | null | undefined, policy: PoolPolicy | PoolPolicyJson | string, commands: PoolRequest | PoolRequest[], now?: Instant | null",
    ts_return_type = "PoolNeeds"
)]
pub fn pool_needs<'env>(
    env: &'env Env,
    records: Option<Unknown<'_>>,
    policy: PolicyArg<'_>,
    commands: Unknown<'_>,
    now: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'env>> {
    let policy = policy_arg(env, policy)?;
    let requests = requests_arg(env, &commands, "commands")?;
    let records = records_arg(env, records.as_ref())?;
    let now = opt_instant(env, now.as_ref())?;
    to_js_large(env, &pool::needs(&records, &policy, &requests, now))
}

/// Applies `commands` (one or an array; each may carry an `id`) at `now` to the records given,
/// all or nothing: `{results, rows, log}`. Write every row in one transaction with a
/// compare-and-set on `expected` (0: insert; no `record`: delete, or only verify when
/// `check`), append `log`, and on a conflict start again from loading.
#[napi(
    catch_unwind,
    ts_args_type = "records: PoolRecords | string | null | undefined, policy: PoolPolicy | PoolPolicyJson | string, commands: PoolRequest | PoolRequest[], now: Instant, options?: RowsOptions",
    ts_return_type = "PoolRowsApplied"
)]
pub fn pool_apply_rows<'env>(
    env: &'env Env,
    records: Unknown<'_>,
    policy: PolicyArg<'_>,
    commands: Unknown<'_>,
    now: Unknown<'_>,
    options: Option<RowsOptions<'_>>,
) -> napi::Result<Unknown<'env>> {
    let policy = policy_arg(env, policy)?;
    let records = records_arg(env, Some(&records))?;
    let requests = requests_arg(env, &commands, "commands")?;
    let now = instant(env, &now, "now")?;
    let out = pool::apply_rows(records, &policy, &requests, now).map_err(|e| throw_lead(env, e))?;
    to_js_large(env, &out.to_value(as_text(env, options.as_ref())?))
}

fn as_text(env: &Env, options: Option<&RowsOptions<'_>>) -> napi::Result<bool> {
    crate::conv::flag_arg(env, options.and_then(|o| o.text.as_ref()), "options.text")
}

/// The records a tick of the leads given can touch: `{leads, reps, teams}`.
#[napi(
    catch_unwind,
    ts_args_type = "records: PoolRecords | string, policy: PoolPolicy | PoolPolicyJson | string, now?: Instant | null",
    ts_return_type = "PoolNeeds"
)]
pub fn pool_tick_needs<'env>(
    env: &'env Env,
    records: Unknown<'_>,
    policy: PolicyArg<'_>,
    now: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'env>> {
    let policy = policy_arg(env, policy)?;
    let records = records_arg(env, Some(&records))?;
    let now = opt_instant(env, now.as_ref())?;
    to_js_large(env, &pool::tick_needs(&records, &policy, now))
}

/// Recomputes the next check of the lead rows given under `policy` (after a policy change that
/// moves deadlines): `{results: [], rows, log}` with the leads whose `due_at` moved.
#[napi(
    catch_unwind,
    ts_args_type = "records: PoolRecords | string, policy: PoolPolicy | PoolPolicyJson | string, options?: RowsOptions",
    ts_return_type = "PoolRowsApplied"
)]
pub fn pool_reschedule_rows<'env>(
    env: &'env Env,
    records: Unknown<'_>,
    policy: PolicyArg<'_>,
    options: Option<RowsOptions<'_>>,
) -> napi::Result<Unknown<'env>> {
    let policy = policy_arg(env, policy)?;
    let records = records_arg(env, Some(&records))?;
    let out = pool::reschedule_rows(records, &policy).map_err(|e| throw_lead(env, e))?;
    to_js_large(env, &out.to_value(as_text(env, options.as_ref())?))
}

/// Ticks the leads given whose `due_at` has come, with the records they need: `{results,
/// rows, log}` as `poolApplyRows`.
#[napi(
    catch_unwind,
    ts_args_type = "records: PoolRecords | string, policy: PoolPolicy | PoolPolicyJson | string, now: Instant, options?: RowsOptions",
    ts_return_type = "PoolRowsApplied"
)]
pub fn pool_tick_rows<'env>(
    env: &'env Env,
    records: Unknown<'_>,
    policy: PolicyArg<'_>,
    now: Unknown<'_>,
    options: Option<RowsOptions<'_>>,
) -> napi::Result<Unknown<'env>> {
    let policy = policy_arg(env, policy)?;
    let records = records_arg(env, Some(&records))?;
    let now = instant(env, &now, "now")?;
    let out = pool::tick_rows(records, &policy, now).map_err(|e| throw_lead(env, e))?;
    to_js_large(env, &out.to_value(as_text(env, options.as_ref())?))
}

/// `PoolState.assignPreview` on a state given as a plain object: the routing decision.
#[napi(
    catch_unwind,
    ts_args_type = "state: PoolStateJson | null | undefined, policy: PoolPolicy | PoolPolicyJson | string, lead: Lead, now: Instant",
    ts_return_type = "RouteDecision"
)]
pub fn pool_assign_preview<'env>(
    env: &'env Env,
    state: Unknown<'_>,
    policy: PolicyArg<'_>,
    lead: Unknown<'_>,
    now: Unknown<'_>,
) -> napi::Result<Unknown<'env>> {
    let policy = policy_arg(env, policy)?;
    let state = state_arg(env, Some(&state))?;
    let lead: Lead = from_js(env, &lead, "lead")?;
    let now = instant(env, &now, "now")?;
    let decision =
        pool::assign_preview(&state, &policy, &lead, now).map_err(|e| throw_lead(env, e))?;
    to_js_large(env, &decision)
}

/// `PoolState.simulateDay` on a state given as a plain object: the day report.
#[napi(
    catch_unwind,
    ts_args_type = "state: PoolStateJson | null | undefined, policy: PoolPolicy | PoolPolicyJson | string, arrivals: Lead[]",
    ts_return_type = "PoolDayReport"
)]
pub fn pool_simulate_day<'env>(
    env: &'env Env,
    state: Unknown<'_>,
    policy: PolicyArg<'_>,
    arrivals: Unknown<'_>,
) -> napi::Result<Unknown<'env>> {
    let policy = policy_arg(env, policy)?;
    let state = state_arg(env, Some(&state))?;
    let arrivals: Vec<Lead> = from_js(env, &arrivals, "arrivals")?;
    let report = pool::simulate_day(&state, &policy, &arrivals).map_err(|e| throw_lead(env, e))?;
    to_js_large(env, &report)
}
