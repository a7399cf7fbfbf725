//! Unit tests of the pool state machine: hand-computed scenarios from the seeds, and property
//! tests of its invariants over random command sequences.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::*;
use crate::lead::Lead;

pub(crate) fn policy_json() -> Value {
    json!({
      "seed": 7, "utc_offset": "+08:00",
      "calendars": [{"id": "cn", "utc_offset": "+08:00",
        "working_days": ["mon", "tue", "wed", "thu", "fri", "sat"],
        "hours": [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "18:00"}],
        "holidays": ["2026-10-01"]}],
      "pools": [
        {"id": "inbox", "kind": "active", "manager": "li"},
        {"id": "bj_active", "kind": "active", "region": "bj", "manager": "zhou"},
        {"id": "bj_general", "kind": "general", "region": "bj"},
        {"id": "nurture", "kind": "nurture"}
      ],
      "teams": [
        {"id": "ka", "lead": "zhou", "dispatch": "via_lead"},
        {"id": "bj", "lead": "zhou", "strategy": "round_robin", "pool": "bj_active"},
        {"id": "smb", "strategy": "weighted_round_robin"}
      ],
      "reps": [
        {"id": "zhou", "role": "manager", "team": "ka", "region": "bj"},
        {"id": "li", "role": "manager"},
        {"id": "wang", "team": "bj", "region": "bj", "holding_cap": 3, "daily_claim_cap": 5},
        {"id": "zhao", "team": "bj", "region": "bj", "holding_cap": 3},
        {"id": "sun", "team": "bj", "region": "bj", "holding_cap": 0},
        {"id": "qian", "team": "ka", "region": "bj", "segments": ["ka"]},
        {"id": "wu", "team": "smb", "weight": 3},
        {"id": "zheng", "team": "smb", "weight": 1}
      ],
      "protection": {"default_days": 10, "extension_days": 3, "max_days": 20, "warn_days": 2,
                     "qualifying": ["call", "visit", "meeting"]},
      "reclaim": {"no_follow_up_days": 7, "not_converted_days": 30, "warn_days": 1,
                  "cooldown_hours": 72},
      "escalation": {"ladder": [{"pool_kind": "active"},
                                {"pool_kind": "general", "min_months": 6}]},
      "routing": {"default_pool": "inbox", "rules": [
        {"id": "existing_account", "when": {"field": "attributes.account_owner", "exists": true},
         "to": {"type": "account_owner", "attribute": "account_owner"}},
        {"id": "ka", "when": {"field": "attributes.employees", "gte": 1000},
         "to": {"type": "team", "team": "ka"}},
        {"id": "beijing", "when": {"any": [{"field": "attributes.province", "eq": "北京"},
                                           {"field": "attributes.phone", "starts_with": "010"}]},
         "to": {"type": "team", "team": "bj"}},
        {"id": "smb", "when": {"field": "attributes.employees", "lt": 1000},
         "to": {"type": "team", "team": "smb"}},
        {"id": "catch_all", "to": {"type": "pool", "pool": "nurture"}}
      ]},
      "sla": [
        {"id": "cleaning", "start": "created", "stop": "cleaned", "hours": 48, "holder": "pooled",
         "escalation": [{"after_hours": 0, "to": "pool_manager"}]},
        {"id": "first_follow_up", "start": "assigned", "stop": "followed_up", "hours": 4,
         "calendar": "cn", "holder": "owned", "warn_before_hours": 1,
         "escalation": [{"after_hours": 0, "to": "owner"}, {"after_hours": 4, "to": "manager"},
                        {"after_hours": 8, "to": "reclaim"}]},
        {"id": "sal_idle", "start": "last_activity", "stages": ["SAL"], "holder": "owned", "hours": 48}
      ],
      "nurture": {"sops": [
        {"id": "mil_pre", "stage": "MIL", "unit": "day", "steps": [
          {"id": "d1", "at": 1, "channel": "wechat", "content": "intro"},
          {"id": "d2", "at": 2, "channel": "wechat", "content": "case_study"},
          {"id": "d3", "at": 3, "channel": "sms", "content": "webinar"}]},
        {"id": "mql_sdr", "stage": "MQL", "unit": "week", "steps": [
          {"id": "w1", "at": 1, "channel": "email", "content": "trial_tips"},
          {"id": "w2", "at": 2, "channel": "email", "content": "pricing"}]}],
        "reactivation": {"id": "reactivate", "steps": [
          {"id": "s30", "at": 30, "channel": "wechat", "content": "new_features"},
          {"id": "s45", "at": 45, "channel": "sms", "content": "event_invite"},
          {"id": "s60", "at": 60, "channel": "email", "content": "industry_report"}]}}
    })
}

fn policy() -> Policy {
    Policy::from_value(policy_json()).unwrap()
}

fn policy_with(patch: impl FnOnce(&mut Value)) -> Policy {
    let mut v = policy_json();
    patch(&mut v);
    Policy::from_value(v).unwrap()
}

fn t(s: &str) -> DateTime<Utc> {
    crate::time::parse(s).unwrap()
}

fn cmd(v: Value) -> Command {
    serde_json::from_value(v).unwrap()
}

fn lead(v: Value) -> Lead {
    serde_json::from_value(v).unwrap()
}

fn ok(state: &mut PoolState, p: &Policy, c: Value, at: &str) -> Applied {
    apply(state, p, &cmd(c.clone()), t(at)).unwrap_or_else(|e| panic!("{c}: {e}"))
}

fn err(state: &mut PoolState, p: &Policy, c: Value, at: &str) -> &'static str {
    let before = state.clone();
    let e = apply(state, p, &cmd(c), t(at)).unwrap_err();
    assert_eq!(*state, before, "a refused command changed the state");
    e.code()
}

fn holder(state: &PoolState, id: &str) -> Value {
    serde_json::to_value(&state.lead(id).unwrap().holder).unwrap()
}

fn effects(a: &Applied) -> Value {
    serde_json::to_value(&a.effects).unwrap()
}

fn deposit(state: &mut PoolState, p: &Policy, id: &str, pool: &str, at: &str) {
    ok(
        state,
        p,
        json!({"type": "deposit", "lead": id, "pool": pool}),
        at,
    );
}

#[test]
fn protection_is_default_extended_and_hard_capped() {
    let p = policy_with(|v| v["reclaim"] = json!({"cooldown_hours": 72}));
    let mut s = PoolState::default();
    deposit(&mut s, &p, "L1", "bj_active", "2026-01-05T00:00:00Z");
    let a = ok(
        &mut s,
        &p,
        json!({"type": "claim", "lead": "L1", "rep": "wang"}),
        "2026-01-05T00:00:00Z",
    );
    let r = serde_json::to_value(&a.reasons).unwrap();
    assert_eq!(
        r[0],
        json!({"code": "holding", "rep": "wang", "count": 1, "cap": 3})
    );
    assert_eq!(r[1]["code"], "daily_intake");
    assert_eq!(r[1]["day"], "2026-01-05");
    assert_eq!(
        r[2],
        json!({"code": "protected", "until": "2026-01-15T00:00:00Z", "hard_max": "2026-01-25T00:00:00Z"})
    );
    // A call on day 9 extends to day 12: max(15th, 14th + 3 days).
    let a = ok(
        &mut s,
        &p,
        json!({"type": "follow_up", "lead": "L1", "rep": "wang", "kind": "call"}),
        "2026-01-14T00:00:00Z",
    );
    assert_eq!(
        serde_json::to_value(&a.reasons).unwrap()[0],
        json!({"code": "protection_extended", "from": "2026-01-15T00:00:00Z", "to": "2026-01-17T00:00:00Z", "capped": false})
    );
    // An email is not qualifying: nothing moves.
    let a = ok(
        &mut s,
        &p,
        json!({"type": "follow_up", "lead": "L1", "rep": "wang", "kind": "email"}),
        "2026-01-16T00:00:00Z",
    );
    assert_eq!(
        serde_json::to_value(&a.reasons).unwrap()[0]["code"],
        "not_qualifying"
    );
    let mut at = t("2026-01-16T12:00:00Z");
    // Calls every 2 days keep it until the hard maximum, never past it.
    while at < t("2026-01-25T00:00:00Z") {
        apply(
            &mut s,
            &p,
            &cmd(json!({"type": "follow_up", "lead": "L1", "rep": "wang", "kind": "visit"})),
            at,
        )
        .unwrap();
        at += Duration::days(2);
    }
    // 2026-01-24T12:00 + 3 days would be the 27th: capped at claim + 20 days.
    assert_eq!(
        s.lead("L1").unwrap().protected_until,
        Some(t("2026-01-25T00:00:00Z"))
    );
    let r = tick(&mut s, &p, t("2026-01-25T00:00:00Z")).unwrap();
    assert_eq!(effects(&r)[0]["via"], "auto_reclaim");
    assert_eq!(
        serde_json::to_value(&r.reasons).unwrap()[0]["trigger"],
        "protection"
    );
}

#[test]
fn warnings_come_once_and_tick_is_idempotent() {
    let p = policy_with(|v| {
        v["reclaim"] = json!({"cooldown_hours": 72});
    });
    let mut s = PoolState::default();
    deposit(&mut s, &p, "L1", "bj_active", "2026-01-05T00:00:00Z");
    ok(
        &mut s,
        &p,
        json!({"type": "claim", "lead": "L1", "rep": "wang"}),
        "2026-01-05T00:00:00Z",
    );
    assert!(
        tick(&mut s, &p, t("2026-01-12T23:00:00Z"))
            .unwrap()
            .effects
            .is_empty()
    );
    let w = tick(&mut s, &p, t("2026-01-13T00:00:00Z")).unwrap();
    assert_eq!(
        effects(&w),
        json!([{"type": "reclaim_warning", "lead": "L1", "rep": "wang", "trigger": "protection", "reclaim_at": "2026-01-15T00:00:00Z"}])
    );
    let before = s.clone();
    let again = tick(&mut s, &p, t("2026-01-13T00:00:00Z")).unwrap();
    assert!(again.effects.is_empty() && again.reasons.is_empty());
    assert_eq!(s, before);
    assert!(
        tick(&mut s, &p, t("2026-01-14T00:00:00Z"))
            .unwrap()
            .effects
            .is_empty()
    );
    // A follow-up moves the deadline: a new warning for the new deadline.
    ok(
        &mut s,
        &p,
        json!({"type": "follow_up", "lead": "L1", "rep": "wang"}),
        "2026-01-14T00:00:00Z",
    );
    assert_eq!(
        s.lead("L1").unwrap().protected_until,
        Some(t("2026-01-17T00:00:00Z"))
    );
    let w = tick(&mut s, &p, t("2026-01-15T00:00:00Z")).unwrap();
    assert_eq!(effects(&w)[0]["reclaim_at"], "2026-01-17T00:00:00Z");
}

#[test]
fn reclaim_triggers_fire_with_warnings() {
    let p = policy_with(|v| {
        v["protection"]["default_days"] = json!(20);
        v["protection"]["max_days"] = json!(40);
        v["protection"].as_object_mut().unwrap().remove("warn_days");
    });
    let mut s = PoolState::default();
    deposit(&mut s, &p, "L1", "bj_active", "2026-03-02T00:00:00Z");
    ok(
        &mut s,
        &p,
        json!({"type": "claim", "lead": "L1", "rep": "zhao"}),
        "2026-03-02T00:00:00Z",
    );
    // No follow-up for 7 days: warning at day 6, reclaim at day 7.
    let w = tick(&mut s, &p, t("2026-03-08T00:00:00Z")).unwrap();
    assert_eq!(effects(&w)[0]["trigger"], "no_follow_up");
    assert_eq!(effects(&w)[0]["reclaim_at"], "2026-03-09T00:00:00Z");
    let r = tick(&mut s, &p, t("2026-03-09T00:00:00Z")).unwrap();
    let reasons = serde_json::to_value(&r.reasons).unwrap();
    assert_eq!(
        reasons[0],
        json!({"code": "trigger_fired", "lead": "L1", "trigger": "no_follow_up", "deadline": "2026-03-09T00:00:00Z"})
    );
    assert_eq!(
        effects(&r)[1],
        json!({"type": "notify", "rep": "zhao", "lead": "L1", "about": "lead_reclaimed"})
    );
    assert_eq!(
        holder(&s, "L1"),
        json!({"status": "pooled", "pool": "bj_active"})
    );
    // Not converted in 30 days despite follow-ups.
    ok(
        &mut s,
        &p,
        json!({"type": "claim", "lead": "L1", "rep": "wang"}),
        "2026-03-20T00:00:00Z",
    );
    for day in 0..14 {
        let at = t("2026-03-20T00:00:00Z") + Duration::days(2 * day + 2);
        tick(&mut s, &p, at).unwrap();
        apply(
            &mut s,
            &p,
            &cmd(json!({"type": "follow_up", "lead": "L1", "rep": "wang", "kind": "call"})),
            at,
        )
        .unwrap();
    }
    let r = tick(&mut s, &p, t("2026-04-19T00:00:00Z")).unwrap();
    assert_eq!(
        serde_json::to_value(&r.reasons).unwrap()[0]["trigger"],
        "not_converted"
    );
}

#[test]
fn fall_out_cooldown_next_owner_and_ladder() {
    let p = policy();
    let mut s = PoolState::default();
    deposit(&mut s, &p, "L1", "bj_active", "2026-01-05T00:00:00Z");
    ok(
        &mut s,
        &p,
        json!({"type": "claim", "lead": "L1", "rep": "wang"}),
        "2026-01-05T00:00:00Z",
    );
    let r = tick(&mut s, &p, t("2026-01-12T00:00:00Z")).unwrap();
    let reasons = serde_json::to_value(&r.reasons).unwrap();
    assert_eq!(
        reasons[1],
        json!({"code": "cooldown_set", "rep": "wang", "until": "2026-01-15T00:00:00Z"})
    );
    assert_eq!(
        reasons[2],
        json!({"code": "next_owner_differs", "rep": "wang"})
    );
    assert_eq!(
        reasons[3],
        json!({"code": "fallout", "count": 1, "step": 0, "pool": "bj_active"})
    );
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "claim", "lead": "L1", "rep": "wang"}),
            "2026-01-13T00:00:00Z"
        ),
        "cooldown_active"
    );
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "assign", "lead": "L1", "rep": "wang"}),
            "2026-02-13T00:00:00Z"
        ),
        "excluded_owner"
    );
    // Re-assignment after the fall-out goes to a different rep, by any path.
    ok(
        &mut s,
        &p,
        json!({"type": "assign", "lead": "L1", "rep": "zhao"}),
        "2026-02-13T00:00:00Z",
    );
    assert!(s.lead("L1").unwrap().excluded.is_empty());
    // Falls out again within 6 months of the first fall-out: stays in the active pool.
    tick(&mut s, &p, t("2026-02-21T00:00:00Z")).unwrap();
    assert_eq!(holder(&s, "L1")["pool"], "bj_active");
    assert_eq!(s.lead("L1").unwrap().ladder_step, Some(0));
    ok(
        &mut s,
        &p,
        json!({"type": "claim", "lead": "L1", "rep": "wang"}),
        "2026-08-20T00:00:00Z",
    );
    let r = tick(&mut s, &p, t("2026-09-01T00:00:00Z")).unwrap();
    assert_eq!(
        serde_json::to_value(&r.reasons)
            .unwrap()
            .as_array()
            .unwrap()
            .last()
            .unwrap(),
        &json!({"code": "fallout", "count": 3, "step": 1, "pool": "bj_general"})
    );
    assert_eq!(holder(&s, "L1")["pool"], "bj_general");
    let rec = s.lead("L1").unwrap();
    let history: Vec<_> = rec
        .owners
        .iter()
        .map(|o| (o.rep.to_string(), o.ended))
        .collect();
    assert_eq!(
        history,
        [
            ("wang".into(), Some(Ended::AutoReclaimed)),
            ("zhao".into(), Some(Ended::AutoReclaimed)),
            ("wang".into(), Some(Ended::AutoReclaimed)),
        ]
    );
}

#[test]
fn lifecycle_rejection_excludes_the_next_owner() {
    let p = policy();
    let mut s = PoolState::default();
    deposit(&mut s, &p, "L1", "bj_active", "2026-01-05T00:00:00Z");
    ok(
        &mut s,
        &p,
        json!({"type": "exclude_owner", "lead": "L1", "owner": "zhao", "reason": "rejected: no budget"}),
        "2026-01-05T00:00:00Z",
    );
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "claim", "lead": "L1", "rep": "zhao"}),
            "2026-01-05T00:00:00Z"
        ),
        "excluded_owner"
    );
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "bulk_assign", "leads": ["L1"], "rep": "zhao"}),
            "2026-01-05T00:00:00Z"
        ),
        "excluded_owner"
    );
    // Routing skips the excluded rep too.
    let d = assign_preview(&s, &p, &lead(json!({"id": "L1", "created_at": "2026-01-05T00:00:00Z", "attributes": {"province": "北京"}})), t("2026-01-05T10:00:00+08:00")).unwrap();
    let c = serde_json::to_value(&d.candidates).unwrap();
    assert!(
        c.as_array()
            .unwrap()
            .iter()
            .any(|c| c["rep"] == "zhao" && c["skipped"] == "excluded")
    );
    ok(
        &mut s,
        &p,
        json!({"type": "claim", "lead": "L1", "rep": "wang"}),
        "2026-01-05T00:00:00Z",
    );
}

#[test]
fn caps_and_opt_out_hold_on_every_path() {
    let p = policy();
    let mut s = PoolState::default();
    for i in 0..6 {
        deposit(
            &mut s,
            &p,
            &format!("L{i}"),
            "bj_active",
            "2026-01-05T00:00:00Z",
        );
    }
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "claim", "lead": "L0", "rep": "sun"}),
            "2026-01-05T00:00:00Z"
        ),
        "rep_opted_out"
    );
    // All or nothing: the 4th lead would exceed wang's cap of 3.
    let before = s.clone();
    let e = apply(
        &mut s,
        &p,
        &cmd(json!({"type": "bulk_assign", "leads": ["L0", "L1", "L2", "L3"], "rep": "wang"})),
        t("2026-01-05T00:00:00Z"),
    )
    .unwrap_err();
    assert_eq!((e.code(), e.item_index()), ("holding_cap_reached", Some(3)));
    assert_eq!(s, before);
    let e = apply(
        &mut s,
        &p,
        &cmd(json!({"type": "bulk_assign", "leads": ["L0", "L0"], "rep": "wang"})),
        t("2026-01-05T00:00:00Z"),
    )
    .unwrap_err();
    assert_eq!((e.code(), e.item_index()), ("duplicate_lead", Some(1)));
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "bulk_assign", "leads": [], "rep": "wang"}),
            "2026-01-05T00:00:00Z"
        ),
        "empty_batch"
    );
    let a = ok(
        &mut s,
        &p,
        json!({"type": "bulk_assign", "leads": ["L0", "L1", "L2"], "rep": "wang"}),
        "2026-01-05T00:00:00Z",
    );
    assert_eq!(a.effects.len(), 6);
    assert_eq!(s.holdings("wang"), 3);
    ok(
        &mut s,
        &p,
        json!({"type": "claim", "lead": "L3", "rep": "zhao"}),
        "2026-01-05T00:00:00Z",
    );
    // A transfer to a rep at cap is refused like a claim.
    ok(
        &mut s,
        &p,
        json!({"type": "claim", "lead": "L4", "rep": "zhao"}),
        "2026-01-05T00:00:00Z",
    );
    ok(
        &mut s,
        &p,
        json!({"type": "claim", "lead": "L5", "rep": "zhao"}),
        "2026-01-05T00:00:00Z",
    );
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "transfer", "lead": "L0", "from": "wang", "to": "zhao"}),
            "2026-01-06T00:00:00Z"
        ),
        "holding_cap_reached"
    );
    // Daily cap: wang received 3 today; returns free the holding, not the day's intake.
    for l in ["L0", "L1"] {
        ok(
            &mut s,
            &p,
            json!({"type": "return", "lead": l, "rep": "wang", "reason": "wrong region"}),
            "2026-01-05T01:00:00Z",
        );
    }
    ok(
        &mut s,
        &p,
        json!({"type": "return", "lead": "L3", "rep": "zhao", "reason": "duplicate"}),
        "2026-01-05T01:00:00Z",
    );
    ok(
        &mut s,
        &p,
        json!({"type": "claim", "lead": "L3", "rep": "wang"}),
        "2026-01-05T02:00:00Z",
    );
    ok(
        &mut s,
        &p,
        json!({"type": "transfer", "lead": "L4", "from": "zhao", "to": "wang"}),
        "2026-01-05T02:00:00Z",
    );
    assert_eq!(s.rep_counters("wang").unwrap().intake, 5);
    ok(
        &mut s,
        &p,
        json!({"type": "return", "lead": "L3", "rep": "wang", "reason": "x"}),
        "2026-01-05T03:00:00Z",
    );
    ok(
        &mut s,
        &p,
        json!({"type": "return", "lead": "L2", "rep": "wang", "reason": "x"}),
        "2026-01-05T03:00:00Z",
    );
    deposit(&mut s, &p, "L9", "bj_active", "2026-01-05T03:00:00Z");
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "claim", "lead": "L9", "rep": "wang"}),
            "2026-01-05T03:00:00Z"
        ),
        "daily_cap_reached"
    );
    // A new local day (+08:00) resets the intake: 2026-01-05T16:00Z is midnight in Beijing.
    ok(
        &mut s,
        &p,
        json!({"type": "claim", "lead": "L9", "rep": "wang"}),
        "2026-01-05T16:00:00Z",
    );
}

#[test]
fn transfer_keeps_the_protection_clock() {
    let p = policy();
    let mut s = PoolState::default();
    deposit(&mut s, &p, "L1", "bj_active", "2026-01-05T00:00:00Z");
    ok(
        &mut s,
        &p,
        json!({"type": "claim", "lead": "L1", "rep": "wang"}),
        "2026-01-05T00:00:00Z",
    );
    ok(
        &mut s,
        &p,
        json!({"type": "follow_up", "lead": "L1", "rep": "wang"}),
        "2026-01-10T00:00:00Z",
    );
    let a = ok(
        &mut s,
        &p,
        json!({"type": "transfer", "lead": "L1", "from": "wang", "to": "zhao"}),
        "2026-01-11T00:00:00Z",
    );
    assert_eq!(
        serde_json::to_value(&a.reasons)
            .unwrap()
            .as_array()
            .unwrap()
            .last()
            .unwrap(),
        &json!({"code": "daily_intake", "rep": "zhao", "day": "2026-01-11", "count": 1})
    );
    assert!(
        serde_json::to_value(&a.reasons).unwrap()[0]
            == json!({"code": "protection_kept", "claimed_at": "2026-01-05T00:00:00Z", "until": "2026-01-15T00:00:00Z"})
    );
    assert_eq!(s.holdings("wang"), 0);
    assert_eq!(s.holdings("zhao"), 1);
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "transfer", "lead": "L1", "from": "wang", "to": "zhao"}),
            "2026-01-11T00:00:00Z"
        ),
        "not_owner"
    );
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "transfer", "lead": "L1", "from": "zhao", "to": "zhao"}),
            "2026-01-11T00:00:00Z"
        ),
        "same_owner"
    );
    // After the deadline passed (tick not yet run): no follow-up can revive it, no transfer.
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "follow_up", "lead": "L1", "rep": "zhao"}),
            "2026-01-16T00:00:00Z"
        ),
        "protection_expired"
    );
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "transfer", "lead": "L1", "from": "zhao", "to": "wang"}),
            "2026-01-16T00:00:00Z"
        ),
        "protection_expired"
    );
}

#[test]
fn bad_input_is_typed_and_changes_nothing() {
    let p = policy();
    let mut s = PoolState::default();
    deposit(&mut s, &p, "L1", "bj_active", "2026-01-05T00:00:00Z");
    let at = "2026-01-05T00:00:00Z";
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "claim", "lead": "nope", "rep": "wang"}),
            at
        ),
        "unknown_lead"
    );
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "claim", "lead": "L1", "rep": "nope"}),
            at
        ),
        "unknown_rep"
    );
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "deposit", "lead": "L2", "pool": "nope"}),
            at
        ),
        "unknown_pool"
    );
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "deposit", "lead": " ", "pool": "inbox"}),
            at
        ),
        "empty_name"
    );
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "return", "lead": "L1", "rep": "wang", "reason": "x"}),
            at
        ),
        "not_owned"
    );
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "reclaim", "lead": "L1", "reason": "x"}),
            at
        ),
        "not_owned"
    );
    ok(
        &mut s,
        &p,
        json!({"type": "claim", "lead": "L1", "rep": "wang"}),
        at,
    );
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "claim", "lead": "L1", "rep": "zhao"}),
            at
        ),
        "already_owned"
    );
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "deposit", "lead": "L1", "pool": "inbox"}),
            at
        ),
        "already_owned"
    );
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "return", "lead": "L1", "rep": "wang", "reason": "  "}),
            at
        ),
        "missing_reason"
    );
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "follow_up", "lead": "L1", "rep": "zhao"}),
            at
        ),
        "not_owner"
    );
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "claim", "lead": "L1", "rep": "wang"}),
            "2026-01-04T00:00:00Z"
        ),
        "clock_backwards"
    );
    assert_eq!(
        tick(&mut s, &p, t("2026-01-04T00:00:00Z"))
            .unwrap_err()
            .code(),
        "clock_backwards"
    );
    assert_eq!(
        due(&s, &p, t("2026-01-04T00:00:00Z")).unwrap_err().code(),
        "clock_backwards"
    );
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "nurture_done", "lead": "L1", "sop": "x", "step": "y"}),
            at
        ),
        "unknown_step"
    );
    ok(
        &mut s,
        &p,
        json!({"type": "mark_converted", "lead": "L1"}),
        at,
    );
    assert_eq!(s.holdings("wang"), 0);
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "claim", "lead": "L1", "rep": "zhao"}),
            at
        ),
        "lead_converted"
    );
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "mark_converted", "lead": "L1"}),
            at
        ),
        "lead_converted"
    );
    let inactive = policy_with(|v| v["reps"][3]["active"] = json!(false));
    deposit(&mut s, &inactive, "L2", "bj_active", at);
    assert_eq!(
        err(
            &mut s,
            &inactive,
            json!({"type": "claim", "lead": "L2", "rep": "zhao"}),
            at
        ),
        "rep_inactive"
    );
    let no_routing = policy_with(|v| {
        v.as_object_mut().unwrap().remove("routing");
    });
    let l = json!({"id": "L3", "created_at": at});
    assert_eq!(
        err(&mut s, &no_routing, json!({"type": "route", "lead": l}), at),
        "no_routing"
    );
}

#[test]
fn bad_policies_name_the_path() {
    type Patch = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(Patch, &str, &str)> = vec![
        (
            Box::new(|v| v["protection"]["default_days"] = json!(-1)),
            "invalid_value",
            "protection.default_days",
        ),
        (
            Box::new(|v| v["protection"]["extension_days"] = json!(0)),
            "invalid_value",
            "protection.extension_days",
        ),
        (
            Box::new(|v| v["protection"]["max_days"] = json!(5)),
            "invalid_value",
            "protection.max_days",
        ),
        (
            Box::new(|v| v["reclaim"]["cooldown_hours"] = json!(0)),
            "invalid_value",
            "reclaim.cooldown_hours",
        ),
        (
            Box::new(|v| v["reclaim"]["warn_days"] = json!(8)),
            "invalid_value",
            "reclaim.warn_days",
        ),
        (
            Box::new(|v| v["calendars"][0]["working_days"] = json!([])),
            "invalid_value",
            "calendars[0].working_days",
        ),
        (
            Box::new(|v| v["calendars"][0]["hours"] = json!([])),
            "invalid_value",
            "calendars[0].hours",
        ),
        (
            Box::new(|v| v["reps"][2]["team"] = json!("nope")),
            "unknown_reference",
            "reps[2].team",
        ),
        (
            Box::new(|v| v["reps"][2]["weight"] = json!(0)),
            "invalid_value",
            "reps[2].weight",
        ),
        (
            Box::new(|v| v["reps"][3]["id"] = json!("wang")),
            "duplicate_id",
            "reps[3].id",
        ),
        (
            Box::new(|v| v["reps"][2]["holding_cap"] = json!(-1)),
            "invalid_value",
            "reps[2].holding_cap",
        ),
        (
            Box::new(|v| {
                v["teams"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("lead")
                    .map(|_| ())
                    .unwrap()
            }),
            "invalid_value",
            "teams[0].dispatch",
        ),
        (
            Box::new(|v| {
                v["routing"]["rules"].as_array_mut().unwrap().pop();
            }),
            "invalid_value",
            "routing.rules[3].when",
        ),
        (
            Box::new(|v| v["routing"]["rules"][1]["when"]["field"] = json!("bogus.field")),
            "unknown_reference",
            "routing.rules[1].when.field",
        ),
        (
            Box::new(|v| v["routing"]["rules"][2]["to"]["team"] = json!("nope")),
            "unknown_reference",
            "routing.rules[2].to.team",
        ),
        (
            Box::new(|v| v["escalation"]["ladder"][1]["pool_kind"] = json!("bogus")),
            "invalid_type",
            "escalation.ladder[1].pool_kind",
        ),
        (
            Box::new(|v| v["escalation"]["ladder"][1]["min_days"] = json!(180)),
            "invalid_value",
            "escalation.ladder[1].min_months",
        ),
        (
            Box::new(|v| v["escalation"]["ladder"][1]["min_months"] = json!(0)),
            "invalid_value",
            "escalation.ladder[1].min_months",
        ),
        (
            Box::new(|v| v["escalation"]["ladder"][1]["min_months"] = json!(-6)),
            "invalid_value",
            "escalation.ladder[1].min_months",
        ),
        (
            Box::new(|v| v["escalation"]["ladder"][1]["min_months"] = json!(1201)),
            "invalid_value",
            "escalation.ladder[1].min_months",
        ),
        (
            Box::new(|v| v["escalation"]["ladder"][1]["max_months"] = json!(3)),
            "invalid_value",
            "escalation.ladder[1].min_months",
        ),
        (
            Box::new(|v| v["escalation"]["ladder"][1]["max_days"] = json!(365)),
            "invalid_value",
            "escalation.ladder[1].max_days",
        ),
        (
            Box::new(|v| {
                v["escalation"]["ladder"][1] = json!({"pool_kind": "general", "min_days": -1});
            }),
            "invalid_value",
            "escalation.ladder[1].min_days",
        ),
        (
            Box::new(|v| v["escalation"]["ladder"][1]["since"] = json!("last_fall_out")),
            "invalid_type",
            "escalation.ladder[1].since",
        ),
        (
            Box::new(|v| v["sla"][1]["escalation"][2]["after_hours"] = json!(2)),
            "invalid_value",
            "sla[1].escalation[2].after_hours",
        ),
        (
            Box::new(|v| v["nurture"]["sops"][0]["steps"][1]["at"] = json!(0)),
            "invalid_value",
            "nurture.sops[0].steps[1].at",
        ),
        (
            Box::new(|v| v["nurture"]["reactivation"]["steps"][0]["at"] = json!(0)),
            "invalid_value",
            "nurture.reactivation.steps[0].at",
        ),
        (
            Box::new(|v| v["nurture"]["reactivation"]["colour"] = json!("red")),
            "unknown_field",
            "nurture.reactivation.colour",
        ),
        (
            Box::new(|v| v["nurture"]["reactivation"]["id"] = json!("mil_pre")),
            "duplicate_id",
            "nurture.reactivation.id",
        ),
        (
            Box::new(|v| {
                let one = v["nurture"]["reactivation"].clone();
                v["nurture"]["reactivation"] = json!([one, {"id": "r2", "steps": []}]);
            }),
            "invalid_value",
            "nurture.reactivation[0].when",
        ),
        (
            Box::new(|v| {
                let one = v["nurture"]["reactivation"].clone();
                v["nurture"]["reactivation"] = json!([
                    {"id": "r0", "when": {"field": "attributes.industry", "eq": "x"},
                     "steps": [{"id": "s", "at": 0, "channel": "sms", "content": "c"}]},
                    one]);
            }),
            "invalid_value",
            "nurture.reactivation[0].steps[0].at",
        ),
        (
            Box::new(|v| {
                v["nurture"]["sops"][1]["stage"] = json!("MIL");
                v["nurture"]["sops"][1]["when"] = json!({"field": "attributes.x", "gte": "ten"});
            }),
            "invalid_type",
            "nurture.sops[1].when.gte",
        ),
        (
            Box::new(|v| v["nurture"]["sops"][1]["id"] = json!("mil_pre")),
            "duplicate_id",
            "nurture.sops[1].id",
        ),
        (
            Box::new(|v| v["pools"][0]["colour"] = json!("red")),
            "unknown_field",
            "pools[0].colour",
        ),
        (
            Box::new(|v| v["utc_offset"] = json!("Asia/Shanghai")),
            "invalid_value",
            "utc_offset",
        ),
    ];
    for (i, (patch, code, path)) in cases.iter().enumerate() {
        let mut v = policy_json();
        patch(&mut v);
        let e = Policy::from_value(v).expect_err(&format!("case {i} accepted"));
        assert_eq!((e.code(), e.path.as_str()), (*code, *path), "case {i}: {e}");
    }
}

#[test]
fn routing_rules_first_match_wins_and_explain() {
    let p = policy();
    let mut s = PoolState::default();
    let at = "2026-11-23T10:00:00+08:00";
    let route = |s: &mut PoolState, l: Value| ok(s, &p, json!({"type": "route", "lead": l}), at);
    // Existing account → its owner, whatever else matches.
    let a = route(
        &mut s,
        json!({"id": "A1", "created_at": at, "attributes": {"account_owner": "zhao", "employees": 5000}}),
    );
    let d = serde_json::to_value(&a.decisions[0]).unwrap();
    assert_eq!(d["rule"], "existing_account");
    assert_eq!(d["outcome"], json!({"result": "assigned", "rep": "zhao"}));
    assert_eq!(
        effects(&a)[0],
        json!({"type": "moved", "lead": "A1", "to": {"status": "owned", "rep": "zhao"}, "via": "route"})
    );
    // An unknown account owner passes to the next rule: large enterprise → KA, via its lead.
    let a = route(
        &mut s,
        json!({"id": "A2", "created_at": at, "attributes": {"account_owner": "nobody", "employees": 5000}}),
    );
    let d = serde_json::to_value(&a.decisions[0]).unwrap();
    assert_eq!(
        d["rules"],
        json!([{"rule": "existing_account", "matched": true, "passed_over": "unknown_rep"}, {"rule": "ka", "matched": true}])
    );
    assert_eq!(
        d["outcome"],
        json!({"result": "dispatched", "manager": "zhou"})
    );
    assert_eq!(
        holder(&s, "A2"),
        json!({"status": "dispatching", "manager": "zhou"})
    );
    // Two-level: the director assigns to a rep of a team he leads.
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "assign", "lead": "A2", "rep": "qian", "by": "li"}),
            at
        ),
        "not_dispatcher"
    );
    assert_eq!(
        err(
            &mut s,
            &p,
            json!({"type": "assign", "lead": "A2", "rep": "wu", "by": "zhou"}),
            at
        ),
        "not_in_team"
    );
    ok(
        &mut s,
        &p,
        json!({"type": "assign", "lead": "A2", "rep": "qian", "by": "zhou"}),
        at,
    );
    assert_eq!(holder(&s, "A2"), json!({"status": "owned", "rep": "qian"}));
    // Beijing by phone prefix → the bj team's round robin (sun opted out: skipped).
    let a = route(
        &mut s,
        json!({"id": "B1", "created_at": at, "attributes": {"phone": "010-6552-0000", "employees": 20}}),
    );
    let d = serde_json::to_value(&a.decisions[0]).unwrap();
    assert_eq!(d["rule"], "beijing");
    assert_eq!(d["strategy"], "round_robin");
    let cands = d["candidates"].as_array().unwrap();
    assert_eq!(cands.len(), 3);
    assert_eq!(cands[2]["skipped"], "opted_out");
    // SMB elsewhere → smb; no employees at all → catch-all nurture pool.
    let a = route(
        &mut s,
        json!({"id": "S1", "created_at": at, "attributes": {"province": "广东", "employees": 20}}),
    );
    assert_eq!(
        serde_json::to_value(&a.decisions[0]).unwrap()["rule"],
        "smb"
    );
    let a = route(
        &mut s,
        json!({"id": "N1", "created_at": at, "attributes": {"province": "广东"}}),
    );
    assert_eq!(
        serde_json::to_value(&a.decisions[0]).unwrap()["outcome"],
        json!({"result": "pooled", "pool": "nurture", "pending": false})
    );
    assert_eq!(
        holder(&s, "N1"),
        json!({"status": "pooled", "pool": "nurture"})
    );
}

fn route_many(
    s: &mut PoolState,
    p: &Policy,
    prefix: &str,
    n: usize,
    attrs: Value,
    at: DateTime<Utc>,
) -> Vec<String> {
    (0..n)
        .map(|i| {
            let l = json!({"id": format!("{prefix}{i}"), "created_at": crate::time::format(&at), "attributes": attrs});
            let a = apply(s, p, &cmd(json!({"type": "route", "lead": l})), at).unwrap();
            match &a.decisions[0].outcome {
                RouteOutcome::Assigned { rep } => rep.to_string(),
                RouteOutcome::Dispatched { manager } => format!("dispatch:{manager}"),
                RouteOutcome::Pooled { pool, pending } => format!("pool:{pool}:{pending}"),
            }
        })
        .collect()
}

#[test]
fn round_robin_skips_the_unavailable_and_resumes_without_echo() {
    let p = policy_with(|v| {
        v["reps"][2]["holding_cap"] = json!(100);
        v["reps"][2]
            .as_object_mut()
            .unwrap()
            .remove("daily_claim_cap");
        v["reps"][3]["holding_cap"] = json!(100);
        v["reps"][4]["holding_cap"] = json!(100);
        v["reps"][4]["away"] =
            json!([{"from": "2026-11-02T00:00:00Z", "to": "2026-11-05T00:00:00Z"}]);
    });
    let mut s = PoolState::default();
    let bj = json!({"province": "北京", "employees": 10});
    let day1 = route_many(&mut s, &p, "a", 6, bj.clone(), t("2026-11-01T02:00:00Z"));
    // Three members in config order wang, zhao, sun; the seeded start is some member, then in turn.
    let order = ["wang", "zhao", "sun"];
    let start = order.iter().position(|r| *r == day1[0]).unwrap();
    for (i, r) in day1.iter().enumerate() {
        assert_eq!(r, order[(start + i) % 3]);
    }
    // sun away: wang and zhao alternate.
    let away = route_many(&mut s, &p, "b", 4, bj.clone(), t("2026-11-03T02:00:00Z"));
    assert!(away.iter().all(|r| r != "sun"));
    assert_ne!(away[0], away[1]);
    // sun back: one turn per cycle, no catch-up burst.
    let back = route_many(&mut s, &p, "c", 6, bj, t("2026-11-06T02:00:00Z"));
    for r in order {
        assert_eq!(back.iter().filter(|x| *x == r).count(), 2, "{back:?}");
    }
}

#[test]
fn smooth_weighted_round_robin_spreads_by_weight() {
    let p = policy();
    let mut s = PoolState::default();
    let got = route_many(
        &mut s,
        &p,
        "s",
        8,
        json!({"employees": 10}),
        t("2026-11-01T02:00:00Z"),
    );
    // Weights wu 3, zheng 1: per cycle of 4, wu three times, never zheng twice in a row.
    assert_eq!(got.iter().filter(|r| *r == "wu").count(), 6);
    assert_eq!(got.iter().filter(|r| *r == "zheng").count(), 2);
    assert!(
        got.windows(2)
            .all(|w| !(w[0] == "zheng" && w[1] == "zheng"))
    );
    assert_eq!(got[0], "wu", "current weights 3 and 1: wu first");
}

#[test]
fn least_loaded_and_random_weighted_are_seeded_and_fair() {
    let p = policy_with(|v| {
        v["teams"][1]["strategy"] = json!("least_loaded");
        v["reps"][2]["holding_cap"] = json!(10);
        v["reps"][2]
            .as_object_mut()
            .unwrap()
            .remove("daily_claim_cap");
        v["reps"][3]["holding_cap"] = json!(5);
    });
    let mut s = PoolState::default();
    let got = route_many(
        &mut s,
        &p,
        "l",
        9,
        json!({"province": "北京"}),
        t("2026-11-01T02:00:00Z"),
    );
    // Loads stay proportional to caps 10:5 → 6 and 3.
    assert_eq!(got.iter().filter(|r| *r == "wang").count(), 6);
    assert_eq!(got.iter().filter(|r| *r == "zhao").count(), 3);
    let p = policy_with(|v| v["teams"][2]["strategy"] = json!("random_weighted"));
    let mut a = PoolState::default();
    let mut b = PoolState::default();
    let x = route_many(
        &mut a,
        &p,
        "r",
        400,
        json!({"employees": 10}),
        t("2026-11-01T02:00:00Z"),
    );
    let y = route_many(
        &mut b,
        &p,
        "r",
        400,
        json!({"employees": 10}),
        t("2026-11-01T02:00:00Z"),
    );
    assert_eq!(x, y, "same seed, same draws");
    let wu = x.iter().filter(|r| *r == "wu").count();
    assert!((260..340).contains(&wu), "wu got {wu} of 400 at weight 3:1");
}

#[test]
fn ties_are_broken_by_a_seeded_rule_not_by_order() {
    // Two reps with equal load: who wins a tie changes with the lead, about half each.
    let p = policy_with(|v| {
        v["teams"][1]["strategy"] = json!("least_loaded");
        for i in [2, 3] {
            v["reps"][i]["holding_cap"] = json!(1000);
            v["reps"][i]
                .as_object_mut()
                .unwrap()
                .remove("daily_claim_cap");
        }
    });
    let mut wang_first = 0;
    for i in 0..200 {
        let s = PoolState::default();
        let l = lead(
            json!({"id": format!("T{i}"), "created_at": "2026-11-01T02:00:00Z", "attributes": {"province": "北京"}}),
        );
        let d = assign_preview(&s, &p, &l, t("2026-11-01T02:00:00Z")).unwrap();
        assert_eq!(d.tie.as_ref().unwrap().reps.len(), 2);
        if d.outcome
            == (RouteOutcome::Assigned {
                rep: Id::from("wang"),
            })
        {
            wang_first += 1;
        }
    }
    assert!((70..130).contains(&wang_first), "{wang_first}");
}

#[test]
fn pending_leads_wait_and_tick_places_them() {
    let p = policy_with(|v| {
        v["reps"][2]["holding_cap"] = json!(1);
        v["reps"][3]["holding_cap"] = json!(1);
    });
    let mut s = PoolState::default();
    let got = route_many(
        &mut s,
        &p,
        "p",
        3,
        json!({"province": "北京"}),
        t("2026-11-01T02:00:00Z"),
    );
    assert_eq!(got[2], "pool:bj_active:true");
    assert_eq!(
        holder(&s, "p2"),
        json!({"status": "pooled", "pool": "bj_active"})
    );
    assert!(
        tick(&mut s, &p, t("2026-11-01T03:00:00Z"))
            .unwrap()
            .effects
            .is_empty()
    );
    let first = got[0].clone();
    ok(
        &mut s,
        &p,
        json!({"type": "return", "lead": "p0", "rep": first, "reason": "not mine"}),
        "2026-11-01T04:00:00Z",
    );
    let r = tick(&mut s, &p, t("2026-11-01T05:00:00Z")).unwrap();
    assert_eq!(r.decisions.len(), 1);
    assert_eq!(holder(&s, "p2")["status"], "owned");
    assert!(s.lead("p2").unwrap().pending.is_none());
    // p0 went back to the pool (not pending); the returning rep is in cooldown.
    assert_eq!(holder(&s, "p0")["status"], "pooled");
}

#[test]
fn sla_timers_due_and_escalated() {
    let p = policy();
    let mut s = PoolState::default();
    ok(
        &mut s,
        &p,
        json!({"type": "deposit", "lead": "C1", "pool": "inbox", "created_at": "2026-11-20T09:00:00+08:00"}),
        "2026-11-20T09:00:00+08:00",
    );
    ok(
        &mut s,
        &p,
        json!({"type": "deposit", "lead": "C2", "pool": "inbox", "created_at": "2026-11-20T09:00:00+08:00"}),
        "2026-11-20T09:00:00+08:00",
    );
    ok(
        &mut s,
        &p,
        json!({"type": "milestone", "lead": "C2", "name": "cleaned"}),
        "2026-11-21T09:00:00+08:00",
    );
    let d = due(&s, &p, t("2026-11-22T09:00:00+08:00")).unwrap();
    let v = serde_json::to_value(&d.timers).unwrap();
    assert_eq!(
        v,
        json!([{"timer": "cleaning", "lead": "C1", "started_at": "2026-11-20T01:00:00Z",
        "deadline": "2026-11-22T01:00:00Z", "status": "overdue", "level": 0, "to": "pool_manager", "rep": "li"}])
    );
    // First follow-up within 4 business hours of assignment (calendar cn: 09–12, 13–18).
    deposit(&mut s, &p, "F1", "bj_active", "2026-11-22T09:00:00+08:00");
    ok(
        &mut s,
        &p,
        json!({"type": "claim", "lead": "F1", "rep": "wang"}),
        "2026-11-23T16:00:00+08:00",
    );
    // Deadline: 16:00 + 2h today, + 2h next morning = 11:00 next day.
    let d = due(&s, &p, t("2026-11-24T10:00:00+08:00")).unwrap();
    let f: Vec<_> = d
        .timers
        .iter()
        .filter(|x| &*x.timer == "first_follow_up")
        .collect();
    assert_eq!(f[0].status, TimerStatus::Due);
    assert_eq!(crate::time::format(&f[0].deadline), "2026-11-24T03:00:00Z");
    let d = due(&s, &p, t("2026-11-24T16:30:00+08:00")).unwrap();
    let f: Vec<_> = d
        .timers
        .iter()
        .filter(|x| &*x.timer == "first_follow_up")
        .collect();
    assert_eq!(
        (f[0].status, f[0].level, f[0].to, f[0].rep.as_deref()),
        (
            TimerStatus::Overdue,
            Some(1),
            Recipient::Manager,
            Some("zhou")
        )
    );
    assert_eq!(
        crate::time::format(&f[0].next_escalation_at.unwrap()),
        "2026-11-25T03:00:00Z"
    );
    ok(
        &mut s,
        &p,
        json!({"type": "follow_up", "lead": "F1", "rep": "wang", "kind": "call"}),
        "2026-11-24T16:40:00+08:00",
    );
    let d = due(&s, &p, t("2026-11-24T16:40:00+08:00")).unwrap();
    assert!(d.timers.iter().all(|x| &*x.timer != "first_follow_up"));
    // A SAL without activity for 2 days: remind the owner.
    ok(
        &mut s,
        &p,
        json!({"type": "stage_changed", "lead": "F1", "stage": "SAL"}),
        "2026-11-24T17:00:00+08:00",
    );
    ok(
        &mut s,
        &p,
        json!({"type": "lead_activity", "lead": "F1"}),
        "2026-11-24T17:00:00+08:00",
    );
    let d = due(&s, &p, t("2026-11-26T17:00:00+08:00")).unwrap();
    let f: Vec<_> = d
        .timers
        .iter()
        .filter(|x| &*x.timer == "sal_idle")
        .collect();
    assert_eq!(
        (f[0].status, f[0].rep.as_deref()),
        (TimerStatus::Overdue, Some("wang"))
    );
}

#[test]
fn nurture_cadence_steps_pause_switch_and_reactivate() {
    let p = policy();
    let mut s = PoolState::default();
    let a = ok(
        &mut s,
        &p,
        json!({"type": "deposit", "lead": "N1", "pool": "nurture", "stage": "MIL"}),
        "2026-11-01T00:00:00Z",
    );
    assert_eq!(
        serde_json::to_value(&a.reasons).unwrap()[0],
        json!({"code": "nurture_entered", "sop": "mil_pre"})
    );
    deposit(&mut s, &p, "N2", "nurture", "2026-11-02T00:00:00Z");
    ok(
        &mut s,
        &p,
        json!({"type": "stage_changed", "lead": "N2", "stage": "MIL"}),
        "2026-11-02T00:00:00Z",
    );
    let steps = |s: &PoolState, at: &str| -> Vec<(String, String)> {
        due(s, &p, t(at))
            .unwrap()
            .nurture
            .iter()
            .map(|x| (x.lead.to_string(), x.step.to_string()))
            .collect()
    };
    // Relative time: each lead's own day 1, 2, 3.
    assert_eq!(
        steps(&s, "2026-11-03T00:00:00Z"),
        [
            ("N1".into(), "d1".into()),
            ("N1".into(), "d2".into()),
            ("N2".into(), "d1".into())
        ]
    );
    ok(
        &mut s,
        &p,
        json!({"type": "nurture_done", "lead": "N1", "sop": "mil_pre", "step": "d1"}),
        "2026-11-03T00:00:00Z",
    );
    ok(
        &mut s,
        &p,
        json!({"type": "nurture_done", "lead": "N1", "sop": "mil_pre", "step": "d2"}),
        "2026-11-03T00:00:00Z",
    );
    assert_eq!(
        steps(&s, "2026-11-03T00:00:00Z"),
        [("N2".into(), "d1".into())]
    );
    // A claim pauses N2 for 5 days; back in the pool it resumes where it was.
    ok(
        &mut s,
        &p,
        json!({"type": "nurture_done", "lead": "N2", "sop": "mil_pre", "step": "d1"}),
        "2026-11-03T00:00:00Z",
    );
    ok(
        &mut s,
        &p,
        json!({"type": "claim", "lead": "N2", "rep": "zhao"}),
        "2026-11-03T12:00:00Z",
    );
    assert!(
        steps(&s, "2026-11-05T00:00:00Z")
            .iter()
            .all(|x| x.0 != "N2")
    );
    ok(
        &mut s,
        &p,
        json!({"type": "return", "lead": "N2", "rep": "zhao", "reason": "not ready"}),
        "2026-11-08T12:00:00Z",
    );
    // Day 2 came 1.5 days into the cadence + 5 paused days: 2026-11-09T00:00.
    assert!(
        steps(&s, "2026-11-08T23:00:00Z")
            .iter()
            .all(|x| x.0 != "N2")
    );
    assert!(steps(&s, "2026-11-09T00:00:00Z").contains(&("N2".into(), "d2".into())));
    // MIL → MQL: the MQL cadence from its first step (week 1).
    let a = ok(
        &mut s,
        &p,
        json!({"type": "stage_changed", "lead": "N1", "stage": "MQL"}),
        "2026-11-10T00:00:00Z",
    );
    assert_eq!(
        serde_json::to_value(&a.reasons).unwrap(),
        json!([{"code": "nurture_left", "sop": "mil_pre"}, {"code": "nurture_entered", "sop": "mql_sdr"}])
    );
    assert!(
        steps(&s, "2026-11-16T23:00:00Z")
            .iter()
            .all(|x| x.0 != "N1")
    );
    assert!(steps(&s, "2026-11-17T00:00:00Z").contains(&("N1".into(), "w1".into())));
    // Silent for 30 days from its entry into MQL: reactivation instead of the cadence.
    let d = due(&s, &p, t("2026-12-10T00:00:00Z")).unwrap();
    let n1: Vec<_> = d
        .nurture
        .iter()
        .filter(|x| &*x.lead == "N1")
        .map(|x| (&*x.sop, &*x.step, x.reactivation))
        .collect();
    assert_eq!(n1, [("reactivate", "s30", true)]);
    ok(
        &mut s,
        &p,
        json!({"type": "nurture_done", "lead": "N1", "sop": "reactivate", "step": "s30"}),
        "2026-12-10T00:00:00Z",
    );
    let d = due(&s, &p, t("2026-12-25T00:00:00Z")).unwrap();
    let n1: Vec<_> = d
        .nurture
        .iter()
        .filter(|x| &*x.lead == "N1")
        .map(|x| &*x.step)
        .collect();
    assert_eq!(n1, ["s45"]);
    // Activity ends the silence: back to the cadence; its steps not done are due.
    ok(
        &mut s,
        &p,
        json!({"type": "lead_activity", "lead": "N1"}),
        "2026-12-25T00:00:00Z",
    );
    let d = due(&s, &p, t("2026-12-25T00:00:00Z")).unwrap();
    let n1: Vec<_> = d
        .nurture
        .iter()
        .filter(|x| &*x.lead == "N1")
        .map(|x| &*x.step)
        .collect();
    assert_eq!(n1, ["w1", "w2"]);
}

mod segmented_nurture {
    //! Seed 003's segmented nurture: several SOPs of one stage side by side (trial onboarding
    //! next to pre-nurture), and reactivation cadences that differ by segment.
    use super::*;
    use crate::input::Config;

    /// The test policy with MQL served by two SOPs (trial onboarding for trial users) and
    /// reactivation at 30 / 45 / 60 days for manufacturing, 30 / 60 days for everyone else.
    pub(crate) fn segmented_json() -> Value {
        let mut v = policy_json();
        v["nurture"] = json!({
          "sops": [
            {"id": "mil_pre", "stage": "MIL", "steps": [
              {"id": "d1", "at": 1, "channel": "wechat", "content": "intro"}]},
            {"id": "trial_onboarding", "stage": "MQL",
             "when": {"field": "attributes.trial", "eq": true}, "steps": [
              {"id": "t1", "at": 1, "channel": "email", "content": "getting_started"},
              {"id": "t2", "at": 2, "channel": "email", "content": "core_feature"}]},
            {"id": "pre_nurture", "stage": "MQL", "unit": "week", "steps": [
              {"id": "w1", "at": 1, "channel": "wechat", "content": "case_study"}]}],
          "reactivation": [
            {"id": "reactivate_manufacturing",
             "when": {"field": "attributes.industry", "eq": "manufacturing"}, "steps": [
              {"id": "s30", "at": 30, "channel": "wechat", "content": "factory_case"},
              {"id": "s45", "at": 45, "channel": "sms", "content": "plant_tour"},
              {"id": "s60", "at": 60, "channel": "email", "content": "industry_report"}]},
            {"id": "reactivate", "steps": [
              {"id": "s30", "at": 30, "channel": "wechat", "content": "new_features"},
              {"id": "s60", "at": 60, "channel": "email", "content": "industry_report"}]}]
        });
        v
    }

    fn segmented() -> Policy {
        Policy::from_value(segmented_json()).unwrap()
    }

    fn facts(id: &str, attrs: Value) -> Value {
        json!({"id": id, "created_at": "2026-11-01T00:00:00Z", "attributes": attrs})
    }

    fn reasons(a: &Applied) -> Value {
        serde_json::to_value(&a.reasons).unwrap()
    }

    /// (cadence, step) due for one lead.
    fn due_of(s: &PoolState, p: &Policy, lead: &str, at: &str) -> Vec<(String, String)> {
        due(s, p, t(at))
            .unwrap()
            .nurture
            .iter()
            .filter(|x| &*x.lead == lead)
            .map(|x| (x.sop.to_string(), x.step.to_string()))
            .collect()
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn a_stage_runs_every_matching_sop_side_by_side() {
        let p = segmented();
        let mut s = PoolState::default();
        deposit(&mut s, &p, "N1", "nurture", "2026-11-01T00:00:00Z");
        deposit(&mut s, &p, "N2", "nurture", "2026-11-01T00:00:00Z");
        let change = |lead: &str, trial: bool| {
            json!({"type": "stage_changed", "lead": lead, "stage": "MQL",
                   "facts": facts(lead, json!({"trial": trial}))})
        };
        let a = ok(&mut s, &p, change("N1", true), "2026-11-01T00:00:00Z");
        assert_eq!(
            reasons(&a),
            json!([{"code": "nurture_entered", "sop": "trial_onboarding"},
                   {"code": "nurture_entered", "sop": "pre_nurture"},
                   {"code": "nurture_reactivation", "sop": "reactivate"}])
        );
        let a = ok(&mut s, &p, change("N2", false), "2026-11-01T00:00:00Z");
        assert_eq!(
            reasons(&a),
            json!([{"code": "nurture_entered", "sop": "pre_nurture"},
                   {"code": "nurture_reactivation", "sop": "reactivate"}])
        );
        // Day 8: both of N1's cadences have steps due, N2 only its pre-nurture.
        let at = "2026-11-08T00:00:00Z";
        assert_eq!(
            due_of(&s, &p, "N1", at),
            pairs(&[
                ("trial_onboarding", "t1"),
                ("trial_onboarding", "t2"),
                ("pre_nurture", "w1")
            ])
        );
        assert_eq!(due_of(&s, &p, "N2", at), pairs(&[("pre_nurture", "w1")]));
        // Done is marked per cadence; a step of another cadence is not one of this one's.
        let done = |sop: &str, step: &str| json!({"type": "nurture_done", "lead": "N1", "sop": sop, "step": step});
        ok(&mut s, &p, done("trial_onboarding", "t1"), at);
        assert_eq!(
            err(&mut s, &p, done("pre_nurture", "t2"), at),
            "unknown_step"
        );
        assert_eq!(
            err(&mut s, &p, done("trial_onboarding", "s30"), at),
            "unknown_step"
        );
        assert_eq!(
            due_of(&s, &p, "N1", at),
            pairs(&[("trial_onboarding", "t2"), ("pre_nurture", "w1")])
        );
        assert_eq!(
            serde_json::to_value(&s.lead("N1").unwrap().nurture).unwrap(),
            json!({"cadences": [
                {"sop": "trial_onboarding", "entered_at": "2026-11-01T00:00:00Z", "done": ["t1"]},
                {"sop": "pre_nurture", "entered_at": "2026-11-01T00:00:00Z"}]})
        );
        // A new stage leaves both.
        let a = ok(
            &mut s,
            &p,
            json!({"type": "stage_changed", "lead": "N1", "stage": "SQL"}),
            at,
        );
        assert_eq!(
            reasons(&a),
            json!([{"code": "nurture_left", "sop": "trial_onboarding"},
                   {"code": "nurture_left", "sop": "pre_nurture"}])
        );
        assert!(s.lead("N1").unwrap().nurture.is_none());
    }

    #[test]
    fn without_facts_a_conditional_sop_is_not_entered_but_kept() {
        let p = segmented();
        let mut s = PoolState::default();
        deposit(&mut s, &p, "N1", "nurture", "2026-11-01T00:00:00Z");
        let bare = json!({"type": "stage_changed", "lead": "N1", "stage": "MQL"});
        let a = ok(&mut s, &p, bare.clone(), "2026-11-01T00:00:00Z");
        assert_eq!(
            reasons(&a),
            json!([{"code": "nurture_entered", "sop": "pre_nurture"},
                   {"code": "nurture_reactivation", "sop": "reactivate"}])
        );
        // The same stage with the facts: trial onboarding joins; pre-nurture goes on from its
        // own entry.
        let with = json!({"type": "stage_changed", "lead": "N1", "stage": "MQL",
                          "facts": facts("N1", json!({"trial": true}))});
        let a = ok(&mut s, &p, with, "2026-11-03T00:00:00Z");
        assert_eq!(
            reasons(&a),
            json!([{"code": "nurture_entered", "sop": "trial_onboarding"}])
        );
        assert_eq!(
            due_of(&s, &p, "N1", "2026-11-08T00:00:00Z"),
            pairs(&[
                ("trial_onboarding", "t1"),
                ("trial_onboarding", "t2"),
                ("pre_nurture", "w1")
            ])
        );
        // Given again without facts: nothing changes (trial onboarding is kept).
        let before = s.lead("N1").unwrap().nurture.clone();
        let a = ok(&mut s, &p, bare, "2026-11-08T00:00:00Z");
        assert_eq!(reasons(&a), json!([]));
        assert_eq!(s.lead("N1").unwrap().nurture, before);
        // `deposit` with a stage reads no facts either.
        let a = ok(
            &mut s,
            &p,
            json!({"type": "deposit", "lead": "N2", "pool": "nurture", "stage": "MQL"}),
            "2026-11-08T00:00:00Z",
        );
        assert_eq!(
            reasons(&a)[0],
            json!({"code": "nurture_entered", "sop": "pre_nurture"})
        );
    }

    #[test]
    fn facts_of_another_lead_are_refused_at_their_path() {
        let p = segmented();
        let mut s = PoolState::default();
        deposit(&mut s, &p, "N1", "nurture", "2026-11-01T00:00:00Z");
        let c = json!({"type": "stage_changed", "lead": "N1", "stage": "MQL",
                       "facts": facts("N2", json!({"trial": true}))});
        let before = s.clone();
        let e = apply(&mut s, &p, &cmd(c), t("2026-11-01T00:00:00Z")).unwrap_err();
        assert_eq!(
            (e.code(), &*e.path(), e.details()),
            (
                "facts_mismatch",
                "facts.id",
                json!({"lead": "N1", "facts": "N2"})
            )
        );
        assert_eq!(s, before);
    }

    #[test]
    fn reactivation_differs_by_segment() {
        let p = segmented();
        let mut s = PoolState::default();
        let at = t("2026-11-01T00:00:00Z");
        for (id, industry) in [("M1", "manufacturing"), ("R1", "retail")] {
            let l = json!({"id": id, "created_at": "2026-11-01T00:00:00Z", "stage": "MQL",
                           "attributes": {"industry": industry}});
            let a = apply(&mut s, &p, &cmd(json!({"type": "route", "lead": l})), at).unwrap();
            let sop = if industry == "manufacturing" {
                "reactivate_manufacturing"
            } else {
                "reactivate"
            };
            assert_eq!(
                reasons(&a),
                json!([{"code": "nurture_entered", "sop": "pre_nurture"},
                       {"code": "nurture_reactivation", "sop": sop}])
            );
        }
        // Only the segment's choice is stored (absent: the catch-all).
        let stored = |s: &PoolState, id: &str| {
            s.lead(id)
                .unwrap()
                .nurture
                .as_ref()
                .unwrap()
                .reactivation
                .clone()
        };
        assert_eq!(
            stored(&s, "M1").as_deref(),
            Some("reactivate_manufacturing")
        );
        assert_eq!(stored(&s, "R1"), None);
        // Silent for 46 days, both of them: 30 and 45 days for manufacturing, 30 for retail.
        let at46 = "2026-12-17T00:00:00Z";
        assert_eq!(
            due_of(&s, &p, "M1", at46),
            pairs(&[
                ("reactivate_manufacturing", "s30"),
                ("reactivate_manufacturing", "s45")
            ])
        );
        assert_eq!(due_of(&s, &p, "R1", at46), pairs(&[("reactivate", "s30")]));
        // `nurture_done` names the lead's own reactivation cadence.
        let done = |lead: &str, sop: &str| json!({"type": "nurture_done", "lead": lead, "sop": sop, "step": "s30"});
        assert_eq!(
            err(&mut s, &p, done("M1", "reactivate"), at46),
            "unknown_step"
        );
        ok(&mut s, &p, done("M1", "reactivate_manufacturing"), at46);
        ok(&mut s, &p, done("R1", "reactivate"), at46);
        assert_eq!(
            due_of(&s, &p, "M1", at46),
            pairs(&[("reactivate_manufacturing", "s45")])
        );
        assert_eq!(due_of(&s, &p, "R1", at46), pairs(&[]));
        // A stage change without facts keeps the choice; with facts of another segment it is
        // chosen again, and its steps start undone.
        ok(
            &mut s,
            &p,
            json!({"type": "stage_changed", "lead": "M1", "stage": "MIL"}),
            at46,
        );
        assert_eq!(
            stored(&s, "M1").as_deref(),
            Some("reactivate_manufacturing")
        );
        let a = ok(
            &mut s,
            &p,
            json!({"type": "stage_changed", "lead": "M1", "stage": "MIL",
                   "facts": facts("M1", json!({"industry": "chemicals"}))}),
            at46,
        );
        assert_eq!(
            reasons(&a),
            json!([{"code": "nurture_reactivation", "sop": "reactivate"}])
        );
        assert_eq!(stored(&s, "M1"), None);
        // Entered MIL at day 46: silent 30 days later, the catch-all's first step.
        assert_eq!(
            due_of(&s, &p, "M1", "2027-01-16T00:00:00Z"),
            pairs(&[("reactivate", "s30")])
        );
    }

    #[test]
    fn a_sop_entered_while_held_counts_its_pause_from_its_entry() {
        let p = segmented();
        let mut s = PoolState::default();
        deposit(&mut s, &p, "N1", "nurture", "2026-11-01T00:00:00Z");
        ok(
            &mut s,
            &p,
            json!({"type": "stage_changed", "lead": "N1", "stage": "MQL"}),
            "2026-11-01T00:00:00Z",
        );
        let a = ok(
            &mut s,
            &p,
            json!({"type": "claim", "lead": "N1", "rep": "wang"}),
            "2026-11-02T00:00:00Z",
        );
        assert!(
            reasons(&a)
                .as_array()
                .unwrap()
                .contains(&json!({"code": "nurture_paused", "sop": "pre_nurture"}))
        );
        ok(
            &mut s,
            &p,
            json!({"type": "stage_changed", "lead": "N1", "stage": "MQL",
                   "facts": facts("N1", json!({"trial": true}))}),
            "2026-11-04T00:00:00Z",
        );
        let a = ok(
            &mut s,
            &p,
            json!({"type": "return", "lead": "N1", "rep": "wang", "reason": "not ready"}),
            "2026-11-06T00:00:00Z",
        );
        let resumed: Vec<Value> = reasons(&a)
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["code"] == "nurture_resumed")
            .cloned()
            .collect();
        assert_eq!(
            resumed,
            [
                json!({"code": "nurture_resumed", "sop": "trial_onboarding"}),
                json!({"code": "nurture_resumed", "sop": "pre_nurture"})
            ]
        );
        // Trial onboarding: entered on the 4th, held 2 days of it: day 1 on the 7th.
        // Pre-nurture: entered on the 1st, held 4 days: week 1 on the 12th.
        assert_eq!(due_of(&s, &p, "N1", "2026-11-06T23:59:59Z"), pairs(&[]));
        assert_eq!(
            due_of(&s, &p, "N1", "2026-11-07T00:00:00Z"),
            pairs(&[("trial_onboarding", "t1")])
        );
        assert_eq!(
            due_of(&s, &p, "N1", "2026-11-12T00:00:00Z"),
            pairs(&[
                ("trial_onboarding", "t1"),
                ("trial_onboarding", "t2"),
                ("pre_nurture", "w1")
            ])
        );
    }

    #[test]
    fn a_record_written_before_0_2_reads_as_one_cadence_and_is_written_anew() {
        let p = policy();
        let old = json!({"sop": "mil_pre", "entered_at": "2026-11-01T00:00:00Z", "paused_secs": 3600,
                         "done": ["d1"], "reactivation_done": ["s30"],
                         "silence_since": "2026-11-01T00:00:00Z"});
        let new = json!({"cadences": [{"sop": "mil_pre", "entered_at": "2026-11-01T00:00:00Z",
                                       "paused_secs": 3600, "done": ["d1"]}],
                         "reactivation_done": ["s30"], "silence_since": "2026-11-01T00:00:00Z"});
        let read = |v: &Value| -> NurtureRecord { crate::input::from_value(v.clone()).unwrap() };
        assert_eq!(read(&old), read(&new));
        assert_eq!(serde_json::to_value(read(&old)).unwrap(), new);
        // Due on a state holding the old row: mil_pre's day 2 and 3 (an hour late), as in 0.1.
        let record = json!({"holder": {"status": "pooled", "pool": "nurture"}, "pool": "nurture",
                            "stage": "MIL", "created_at": "2026-11-01T00:00:00Z",
                            "entered_at": "2026-11-01T00:00:00Z", "nurture": old});
        let mut s: PoolState = serde_json::from_value(json!({"leads": {"N1": record}})).unwrap();
        let d = due(&s, &p, t("2026-11-04T01:00:00Z")).unwrap();
        let listed: Vec<_> = d
            .nurture
            .iter()
            .map(|x| (&*x.step, crate::time::format(&x.due_at)))
            .collect();
        assert_eq!(
            listed,
            [
                ("d2", "2026-11-03T01:00:00Z".to_string()),
                ("d3", "2026-11-04T01:00:00Z".to_string())
            ]
        );
        ok(
            &mut s,
            &p,
            json!({"type": "nurture_done", "lead": "N1", "sop": "mil_pre", "step": "d2"}),
            "2026-11-04T01:00:00Z",
        );
        assert_eq!(
            serde_json::to_value(&s.lead("N1").unwrap().nurture).unwrap()["cadences"][0]["done"],
            json!(["d1", "d2"])
        );
        // Neither form mixed with the other, nor half of the old one.
        let refused = |v: Value| {
            let e = Records::from_value(json!({"leads": {"N1": {
                "holder": {"status": "pooled", "pool": "nurture"}, "pool": "nurture",
                "created_at": "2026-11-01T00:00:00Z", "entered_at": "2026-11-01T00:00:00Z",
                "nurture": v}}}))
            .unwrap_err();
            (e.code(), e.path)
        };
        let mut mixed = new.clone();
        mixed["sop"] = json!("mil_pre");
        assert_eq!(
            refused(mixed),
            ("unknown_field", "leads.N1.nurture.sop".to_string())
        );
        assert_eq!(
            refused(json!({"sop": "mil_pre"})),
            ("missing_field", "leads.N1.nurture.entered_at".to_string())
        );
        assert_eq!(
            refused(
                json!({"sop": "mil_pre", "entered_at": "2026-11-01T00:00:00Z", "reactivation": "r"})
            ),
            ("unknown_field", "leads.N1.nurture.reactivation".to_string())
        );
        assert_eq!(
            refused(json!({})),
            ("missing_field", "leads.N1.nurture.cadences".to_string())
        );
        assert_eq!(
            refused(
                json!({"cadences": [{"sop": "a", "entered_at": "2026-11-01T00:00:00Z"},
                                        {"sop": "a", "entered_at": "2026-11-01T00:00:00Z"}]})
            ),
            ("invalid_value", "leads.N1.nurture".to_string())
        );
        assert_eq!(
            refused(
                json!({"cadences": [{"sop": "a", "entered_at": "2026-11-01T00:00:00Z", "x": 1}]})
            ),
            (
                "unknown_field",
                "leads.N1.nurture.cadences[0].x".to_string()
            )
        );
    }

    #[test]
    fn the_documented_example_compiles() {
        let schema = schemars::schema_for!(NurtureConfig);
        let doc = schema.get("description").and_then(Value::as_str).unwrap();
        let example = doc
            .split("```json")
            .nth(1)
            .unwrap()
            .split("```")
            .next()
            .unwrap();
        let mut v = policy_json();
        v["nurture"] = serde_json::from_str(example).unwrap();
        let p = Policy::from_value(v).unwrap();
        let n = p.config().nurture.as_ref().unwrap();
        assert_eq!((n.sops.len(), n.reactivation.len()), (2, 2));
    }

    #[test]
    fn reactivation_is_read_from_one_object_or_a_list() {
        let config = |v: &Value| PolicyConfig::from_value(v.clone()).unwrap();
        let mut list = policy_json();
        let one = list["nurture"]["reactivation"].clone();
        list["nurture"]["reactivation"] = json!([one]);
        assert_eq!(config(&policy_json()), config(&list));
        assert_eq!(
            crate::input::to_value(&config(&policy_json()))["nurture"]["reactivation"],
            json!([one])
        );
        let p = segmented();
        assert_eq!(p.config().nurture.as_ref().unwrap().reactivation.len(), 2);
    }
}

#[test]
fn simulate_day_reports_the_distribution() {
    let p = policy();
    let s = PoolState::default();
    let arrivals: Vec<Lead> = (0..12)
        .map(|i| {
            let attrs = match i % 3 {
                0 => json!({"province": "北京"}),
                1 => json!({"employees": 50}),
                _ => json!({"employees": 8000}),
            };
            lead(json!({"id": format!("D{i:02}"), "created_at": format!("2026-11-23T{:02}:00:00+08:00", 9 + i / 2), "attributes": attrs}))
        })
        .collect();
    let r = simulate_day(&s, &p, &arrivals).unwrap();
    assert_eq!(r.arrivals, 12);
    assert_eq!(r.dispatched, 4);
    assert_eq!(r.per_rep[&Id::from("zhou")].dispatched, 4);
    assert_eq!(r.per_rule[&Id::from("beijing")], 4);
    assert_eq!(
        r.per_rep[&Id::from("wu")].assigned + r.per_rep[&Id::from("zheng")].assigned,
        4
    );
    assert_eq!(r.per_rep[&Id::from("wu")].assigned, 3);
    assert_eq!(
        r.per_rep[&Id::from("wang")].assigned + r.per_rep[&Id::from("zhao")].assigned,
        4
    );
    assert_eq!(r.assigned, 8);
    assert!(s.is_empty(), "the state given is not changed");
}

#[test]
fn state_round_trips_through_json_with_indexes_rebuilt() {
    let p = policy();
    let mut s = PoolState::default();
    let at = t("2026-11-23T10:00:00+08:00");
    route_many(&mut s, &p, "x", 5, json!({"province": "北京"}), at);
    route_many(&mut s, &p, "y", 3, json!({"employees": 10}), at);
    ok(
        &mut s,
        &p,
        json!({"type": "deposit", "lead": "n", "pool": "nurture", "stage": "MIL"}),
        "2026-11-23T10:00:00+08:00",
    );
    let text = serde_json::to_string(&s).unwrap();
    let back: PoolState = serde_json::from_str(&text).unwrap();
    assert_eq!(back, s);
    assert_eq!(serde_json::to_string(&back).unwrap(), text);
    let v: Value = serde_json::from_str(&text).unwrap();
    let keys: Vec<_> = v["leads"].as_object().unwrap().keys().cloned().collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

mod ladder {
    //! The fall-out ladder's origin (`since`) and units. Seed 000: a lead that falls out of
    //! protection goes to the regional active pool; "如果6个月之后,再次从客保中掉落" it goes to
    //! the regional general pool.
    use super::*;
    use crate::time::{add_months, format};
    use proptest::prelude::*;

    /// The test policy with `step` as the ladder's second step, protection (10 days) as the
    /// only reclaim trigger and no cooldown.
    fn with_step(step: Value) -> Policy {
        policy_with(|v| {
            v["reclaim"] = json!({});
            v["escalation"]["ladder"][1] = step;
        })
    }

    /// A lead claimed 10 days before each of `days` (days after 2026-01-01, by wang and zhao in
    /// turn) and left alone: protection ends and `tick` drops it on each of those days. Returns
    /// the state and the pool after each fall-out.
    fn bounce(p: &Policy, days: &[i64]) -> (PoolState, Vec<String>) {
        let day = |d: i64| t("2026-01-01T00:00:00Z") + Duration::days(d);
        let mut s = PoolState::default();
        deposit(&mut s, p, "L1", "bj_active", &format(&day(0)));
        let mut pools = Vec::new();
        for (i, &d) in days.iter().enumerate() {
            let rep = ["wang", "zhao"][i % 2];
            let claim = json!({"type": "claim", "lead": "L1", "rep": rep});
            ok(&mut s, p, claim, &format(&day(d - 10)));
            tick(&mut s, p, day(d)).unwrap();
            pools.push(holder(&s, "L1")["pool"].as_str().unwrap().to_string());
        }
        (s, pools)
    }

    #[test]
    fn a_lead_falling_out_every_100_days_reaches_the_general_pool_6_months_after_its_first_fall_out()
     {
        let days = [100, 200, 300, 400];
        // Default `since`: 2026-04-11 (day 100) + 6 months = 2026-10-11, before day 300.
        let (s, pools) = bounce(
            &with_step(json!({"pool_kind": "general", "min_months": 6})),
            &days,
        );
        assert_eq!(
            pools,
            ["bj_active", "bj_active", "bj_general", "bj_general"]
        );
        let rec = s.lead("L1").unwrap();
        assert_eq!(
            (
                rec.fallouts,
                rec.ladder_step,
                rec.first_fallout_at,
                rec.last_fallout_at
            ),
            (
                4,
                Some(1),
                Some(t("2026-04-11T00:00:00Z")),
                Some(t("2027-02-05T00:00:00Z"))
            )
        );
        // Counted from the previous fall-out (the reading before 0.2) the clock restarts every
        // 100 days: still in the active pool at day 410.
        let before = json!({"pool_kind": "general", "since": "previous_fall_out", "min_months": 6});
        let p = with_step(before);
        let (mut s, pools) = bounce(&p, &days);
        assert_eq!(pools, ["bj_active"; 4]);
        tick(&mut s, &p, t("2027-02-15T00:00:00Z")).unwrap();
        assert_eq!(
            holder(&s, "L1"),
            json!({"status": "pooled", "pool": "bj_active"})
        );
        // Days work the same way; the name before 0.2 is read as `min_days`, from `since`.
        for step in [
            json!({"pool_kind": "general", "min_days": 180}),
            json!({"pool_kind": "general", "min_days_since_previous": 180}),
        ] {
            let p = with_step(step);
            assert_eq!(bounce(&p, &days).1[2], "bj_general");
            let written = serde_json::to_value(&p.config().escalation).unwrap();
            assert_eq!(
                written["ladder"][1],
                json!({"pool_kind": "general", "min_days": 180.0})
            );
        }
    }

    /// Falls out at `first` (assigned to wang a day before), is assigned to zhao at `again`
    /// and falls out at `second`: the pool it lands in.
    fn twice(p: &Policy, first: &str, again: &str, second: &str) -> String {
        let mut s = PoolState::default();
        let before = format(&(t(first) - Duration::days(1)));
        deposit(&mut s, p, "L1", "bj_active", &before);
        ok(
            &mut s,
            p,
            json!({"type": "assign", "lead": "L1", "rep": "wang"}),
            &before,
        );
        ok(
            &mut s,
            p,
            json!({"type": "reclaim", "lead": "L1", "reason": "x"}),
            first,
        );
        ok(
            &mut s,
            p,
            json!({"type": "assign", "lead": "L1", "rep": "zhao"}),
            again,
        );
        ok(
            &mut s,
            p,
            json!({"type": "reclaim", "lead": "L1", "reason": "x"}),
            second,
        );
        holder(&s, "L1")["pool"].as_str().unwrap().to_string()
    }

    #[test]
    fn months_are_calendar_months_on_the_utc_calendar() {
        let p = with_step(json!({"pool_kind": "general", "min_months": 6}));
        let first = "2026-08-31T10:00:00Z";
        assert_eq!(format(&add_months(t(first), 6)), "2027-02-28T10:00:00Z");
        let again = "2026-09-01T00:00:00Z";
        assert_eq!(twice(&p, first, again, "2027-02-28T09:59:59Z"), "bj_active");
        assert_eq!(
            twice(&p, first, again, "2027-02-28T10:00:00Z"),
            "bj_general"
        );
        // An upper bound in months: a quick repeat escalates, a slow one does not.
        let quick = with_step(json!({"pool_kind": "general", "max_months": 1}));
        assert_eq!(
            twice(&quick, first, again, "2026-09-30T10:00:00Z"),
            "bj_general"
        );
        assert_eq!(
            twice(&quick, first, again, "2026-09-30T10:00:01Z"),
            "bj_active"
        );
        // 180 days are not 6 months: they end a day earlier here.
        let p = with_step(json!({"pool_kind": "general", "min_days": 180}));
        assert_eq!(
            twice(&p, first, again, "2027-02-27T10:00:00Z"),
            "bj_general"
        );
    }

    #[test]
    fn counting_from_the_assignment_restarts_at_each_reassignment_not_at_a_transfer() {
        let since =
            |s: &str| with_step(json!({"pool_kind": "general", "since": s, "min_months": 6}));
        // First fall-out 2026-01-10; re-assigned 2026-06-01; falls out again 2026-08-01.
        let (first, again, second) = (
            "2026-01-10T00:00:00Z",
            "2026-06-01T00:00:00Z",
            "2026-08-01T00:00:00Z",
        );
        assert_eq!(
            twice(&since("first_fall_out"), first, again, second),
            "bj_general"
        );
        assert_eq!(
            twice(&since("previous_fall_out"), first, again, second),
            "bj_general"
        );
        assert_eq!(
            twice(&since("assignment"), first, again, second),
            "bj_active"
        );
        assert_eq!(
            twice(&since("assignment"), first, again, "2026-12-01T00:00:00Z"),
            "bj_general"
        );
        // A transfer keeps the protection clock, and so the assignment the interval counts
        // from; with `transfer_resets` the transfer is a new assignment.
        let run = |p: &Policy| {
            let mut s = PoolState::default();
            deposit(&mut s, p, "L1", "bj_active", "2026-01-01T00:00:00Z");
            ok(
                &mut s,
                p,
                json!({"type": "assign", "lead": "L1", "rep": "wang"}),
                "2026-01-01T00:00:00Z",
            );
            ok(
                &mut s,
                p,
                json!({"type": "reclaim", "lead": "L1", "reason": "x"}),
                "2026-01-05T00:00:00Z",
            );
            ok(
                &mut s,
                p,
                json!({"type": "assign", "lead": "L1", "rep": "zhao"}),
                "2026-02-01T00:00:00Z",
            );
            ok(
                &mut s,
                p,
                json!({"type": "transfer", "lead": "L1", "from": "zhao", "to": "qian"}),
                "2026-02-05T00:00:00Z",
            );
            ok(
                &mut s,
                p,
                json!({"type": "reclaim", "lead": "L1", "reason": "x"}),
                "2026-08-02T00:00:00Z",
            );
            holder(&s, "L1")["pool"].as_str().unwrap().to_string()
        };
        assert_eq!(run(&since("assignment")), "bj_general");
        let resets = policy_with(|v| {
            v["reclaim"] = json!({});
            v["protection"]["transfer_resets"] = json!(true);
            v["escalation"]["ladder"][1] =
                json!({"pool_kind": "general", "since": "assignment", "min_months": 6});
        });
        assert_eq!(run(&resets), "bj_active");
    }

    #[test]
    fn a_record_written_before_first_fallout_at_counts_from_its_last_fall_out() {
        let p = with_step(json!({"pool_kind": "general", "min_months": 6}));
        let mut s = PoolState::default();
        deposit(&mut s, &p, "L1", "bj_active", "2026-01-01T00:00:00Z");
        ok(
            &mut s,
            &p,
            json!({"type": "assign", "lead": "L1", "rep": "wang"}),
            "2026-01-01T00:00:00Z",
        );
        ok(
            &mut s,
            &p,
            json!({"type": "reclaim", "lead": "L1", "reason": "x"}),
            "2026-01-10T00:00:00Z",
        );
        ok(
            &mut s,
            &p,
            json!({"type": "assign", "lead": "L1", "rep": "zhao"}),
            "2026-03-01T00:00:00Z",
        );
        ok(
            &mut s,
            &p,
            json!({"type": "reclaim", "lead": "L1", "reason": "x"}),
            "2026-03-10T00:00:00Z",
        );
        // The row as stored before 0.2: no first_fallout_at.
        let mut v = serde_json::to_value(&s).unwrap();
        let rec = v["leads"]["L1"].as_object_mut().unwrap();
        assert_eq!(
            rec.remove("first_fallout_at"),
            Some(json!("2026-01-10T00:00:00Z"))
        );
        let mut old: PoolState = serde_json::from_value(v).unwrap();
        for s in [&mut s, &mut old] {
            ok(
                s,
                &p,
                json!({"type": "assign", "lead": "L1", "rep": "wang"}),
                "2026-07-20T00:00:00Z",
            );
            ok(
                s,
                &p,
                json!({"type": "reclaim", "lead": "L1", "reason": "x"}),
                "2026-08-01T00:00:00Z",
            );
        }
        // 2026-01-10 + 6 months has passed; the old row only knows 2026-03-10, 6 months after
        // which is still to come; it keeps that as its first fall-out from now on.
        assert_eq!(holder(&s, "L1")["pool"], "bj_general");
        assert_eq!(holder(&old, "L1")["pool"], "bj_active");
        let rec = old.lead("L1").unwrap();
        assert_eq!(
            (rec.first_fallout_at, rec.last_fallout_at),
            (
                Some(t("2026-03-10T00:00:00Z")),
                Some(t("2026-08-01T00:00:00Z"))
            )
        );
    }

    #[test]
    fn a_bound_that_is_not_a_number_is_refused_at_its_path() {
        let mut config = policy().config().clone();
        if let Some(e) = config.escalation.as_mut() {
            e.ladder[1] = LadderStep {
                pool_kind: PoolKind::General,
                since: LadderSince::default(),
                min_days: None,
                max_days: Some(f64::NAN),
                min_months: None,
                max_months: None,
            };
        }
        let e = config.compile().unwrap_err();
        assert_eq!(
            (e.code(), e.path.as_str()),
            ("not_finite", "escalation.ladder[1].max_days")
        );
    }

    /// Fall-outs `hours` apart (the first a day after 2026-01-01), each by a reclaim of the
    /// lead assigned right after the previous one: the fall-out times and the pool after each.
    fn reclaims(since: &str, hours: &[i64]) -> (Vec<DateTime<Utc>>, Vec<String>) {
        let p = with_step(json!({"pool_kind": "general", "since": since, "min_months": 6}));
        let mut at = t("2026-01-01T00:00:00Z");
        let mut s = PoolState::default();
        deposit(&mut s, &p, "L1", "bj_active", &format(&at));
        let (mut times, mut pools) = (Vec::new(), Vec::new());
        for (i, h) in std::iter::once(&24).chain(hours).enumerate() {
            let rep = ["wang", "zhao"][i % 2];
            let assign = json!({"type": "assign", "lead": "L1", "rep": rep});
            ok(&mut s, &p, assign, &format(&at));
            at += Duration::hours(*h);
            ok(
                &mut s,
                &p,
                json!({"type": "reclaim", "lead": "L1", "reason": "x"}),
                &format(&at),
            );
            times.push(at);
            pools.push(holder(&s, "L1")["pool"].as_str().unwrap().to_string());
        }
        (times, pools)
    }

    proptest! {
        /// Whatever the gaps between fall-outs, the lead moves to the general pool at the first
        /// fall-out 6 months after its first one (counted from the previous one: at the first
        /// 6 months after the previous one), and stays there; counting from the first fall-out
        /// never moves it later than counting from the previous one.
        #[test]
        fn the_step_is_taken_at_the_first_fall_out_past_the_bound(
            hours in proptest::collection::vec(1i64..300 * 24, 0..8),
        ) {
            let (times, first) = reclaims("first_fall_out", &hours);
            let (_, previous) = reclaims("previous_fall_out", &hours);
            let general = |pools: &[String]| pools.iter().position(|p| p == "bj_general");
            let expect = |origin: &dyn Fn(usize) -> DateTime<Utc>| {
                (1..times.len()).find(|&k| times[k] >= add_months(origin(k), 6))
            };
            prop_assert_eq!(general(&first), expect(&|_| times[0]));
            prop_assert_eq!(general(&previous), expect(&|k| times[k - 1]));
            for pools in [&first, &previous] {
                let from = general(pools).unwrap_or(pools.len());
                prop_assert!(pools[from..].iter().all(|p| p == "bj_general"));
                prop_assert!(pools[..from].iter().all(|p| p == "bj_active"));
            }
            prop_assert!(general(&first).unwrap_or(usize::MAX) <= general(&previous).unwrap_or(usize::MAX));
        }
    }
}

mod rows_unit {
    //! Command ids, skew tolerance, atomic lists, archive / remove / merge, policy
    //! fingerprints in the log, previews.
    use super::*;
    use crate::pool::{
        Records, Request, apply_all, apply_request, replay_jsonl, replay_with, tick_preview,
    };

    fn req(v: Value) -> Request {
        Request::from_value(v).unwrap()
    }

    fn skewed() -> Policy {
        policy_with(|v| v["clock_skew_seconds"] = json!(5))
    }

    #[test]
    fn a_lagging_now_runs_at_the_record_clock_within_the_tolerance() {
        let p = skewed();
        let mut s = PoolState::default();
        deposit(&mut s, &p, "L1", "bj_active", "2026-01-05T00:00:10Z");
        let a = ok(
            &mut s,
            &p,
            json!({"type": "claim", "lead": "L1", "rep": "wang"}),
            "2026-01-05T00:00:06Z",
        );
        assert_eq!(a.at, Some(t("2026-01-05T00:00:10Z")));
        assert_eq!(
            serde_json::to_value(&a.reasons[0]).unwrap()["code"],
            "clock_skew"
        );
        assert_eq!(s.lead("L1").unwrap().clock, Some(t("2026-01-05T00:00:10Z")));
        // Beyond the tolerance: refused, with both times as facts.
        let e = apply(
            &mut s,
            &p,
            &cmd(json!({"type": "follow_up", "lead": "L1", "rep": "wang"})),
            t("2026-01-05T00:00:04Z"),
        )
        .unwrap_err();
        assert_eq!(
            e,
            PoolError::ClockBackwards {
                now: t("2026-01-05T00:00:04Z"),
                last: t("2026-01-05T00:00:10Z")
            }
        );
        // Another lead has its own clock.
        deposit(&mut s, &p, "L2", "bj_active", "2026-01-05T00:00:01Z");
        assert_eq!(s.lead("L2").unwrap().clock, Some(t("2026-01-05T00:00:01Z")));
        assert!(
            Policy::from_value(json!({"pools": [], "reps": [], "clock_skew_seconds": 3601}))
                .is_err()
        );
    }

    #[test]
    fn command_ids_answer_retries_and_refuse_reuse() {
        let p = policy();
        let mut s = PoolState::default();
        deposit(&mut s, &p, "L1", "bj_active", "2026-01-05T00:00:00Z");
        let claim = req(json!({"id": "r1", "type": "claim", "lead": "L1", "rep": "wang"}));
        let first = apply_request(&mut s, &p, &claim, t("2026-01-05T01:00:00Z")).unwrap();
        let before = s.clone();
        let again = apply_request(&mut s, &p, &claim, t("2026-01-05T02:00:00Z")).unwrap();
        assert!(again.duplicate);
        assert_eq!(
            (again.effects, again.reasons, again.at),
            (first.effects, first.reasons, first.at)
        );
        assert_eq!(s, before);
        let other = req(json!({"id": "r1", "type": "follow_up", "lead": "L1", "rep": "wang"}));
        assert_eq!(
            apply_request(&mut s, &p, &other, t("2026-01-05T02:00:00Z"))
                .unwrap_err()
                .code(),
            "command_id_reused"
        );
        // Numbers are ids too; a bad id is located.
        assert_eq!(
            req(json!({"id": 7, "type": "lead_activity", "lead": "L1"}))
                .id
                .as_deref(),
            Some("7")
        );
        let e = Request::from_value(json!({"id": true, "type": "lead_activity", "lead": "L1"}))
            .unwrap_err();
        assert_eq!((e.code(), e.path.as_str()), ("invalid_value", "id"));
        // Only the newest ids are kept.
        let p2 = policy_with(|v| v["remember_command_ids"] = json!(2));
        for i in 0..3 {
            apply_request(
                &mut s,
                &p2,
                &req(
                    json!({"id": format!("m{i}"), "type": "milestone", "lead": "L1", "name": "x"}),
                ),
                t("2026-01-05T03:00:00Z"),
            )
            .unwrap();
        }
        let ids: Vec<&str> = s.lead("L1").unwrap().seen.iter().map(|x| &*x.id).collect();
        assert_eq!(ids, ["m1", "m2"]);
    }

    #[test]
    fn a_list_is_all_or_nothing() {
        let p = policy();
        let mut s = PoolState::default();
        deposit(&mut s, &p, "L1", "bj_active", "2026-01-05T00:00:00Z");
        deposit(&mut s, &p, "L2", "bj_active", "2026-01-05T00:00:00Z");
        let before = s.clone();
        let list = [
            req(json!({"type": "claim", "lead": "L1", "rep": "wang"})),
            req(json!({"type": "follow_up", "lead": "L1", "rep": "wang", "kind": "call"})),
            req(json!({"type": "milestone", "lead": "L1", "name": "followed_up"})),
            req(json!({"type": "claim", "lead": "L9", "rep": "wang"})),
        ];
        let e = apply_all(&mut s, &p, &list, t("2026-01-05T01:00:00Z")).unwrap_err();
        assert_eq!((e.code(), e.item_index()), ("unknown_lead", Some(3)));
        assert_eq!(s, before);
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            serde_json::to_string(&before).unwrap()
        );
        let done = apply_all(&mut s, &p, &list[..3], t("2026-01-05T01:00:00Z")).unwrap();
        assert_eq!(done.len(), 3);
        assert_eq!(s.holdings("wang"), 1);
        assert_eq!(s.lead("L1").unwrap().version, 4);
    }

    #[test]
    fn archive_remove_and_merge_take_records_out() {
        let p = policy();
        let mut s = PoolState::default();
        for l in ["L1", "L2", "L3", "L4"] {
            deposit(&mut s, &p, l, "bj_active", "2026-01-05T00:00:00Z");
        }
        ok(
            &mut s,
            &p,
            json!({"type": "claim", "lead": "L1", "rep": "wang"}),
            "2026-01-05T01:00:00Z",
        );
        ok(
            &mut s,
            &p,
            json!({"type": "claim", "lead": "L3", "rep": "zhao"}),
            "2026-01-05T01:00:00Z",
        );
        // The duplicate L1 is owned, the survivor L2 pooled: L2 goes to wang with L1's clock.
        let m = ok(
            &mut s,
            &p,
            json!({"type": "merge", "survivor": "L2", "duplicate": "L1"}),
            "2026-01-06T00:00:00Z",
        );
        assert_eq!(holder(&s, "L2"), json!({"status": "owned", "rep": "wang"}));
        assert!(s.lead("L1").is_none());
        assert_eq!(s.holdings("wang"), 1);
        assert_eq!(
            s.lead("L2").unwrap().claimed_at,
            Some(t("2026-01-05T01:00:00Z"))
        );
        assert_eq!(
            effects(&m)[1],
            json!({"type": "left", "lead": "L1", "from": {"status": "owned", "rep": "wang"}, "how": "merged", "into": "L2"})
        );
        // Both owned: the survivor's owner keeps it; the duplicate's owner is told.
        let m = ok(
            &mut s,
            &p,
            json!({"type": "merge", "survivor": "L3", "duplicate": "L2"}),
            "2026-01-06T00:00:00Z",
        );
        assert_eq!((s.holdings("wang"), s.holdings("zhao")), (0, 1));
        assert_eq!(effects(&m)[0]["about"], "lead_merged");
        assert_eq!(
            err(
                &mut s,
                &p,
                json!({"type": "merge", "survivor": "L3", "duplicate": "L3"}),
                "2026-01-06T00:00:00Z"
            ),
            "same_lead"
        );
        ok(
            &mut s,
            &p,
            json!({"type": "archive", "lead": "L3"}),
            "2026-01-07T00:00:00Z",
        );
        assert_eq!((s.len(), s.holdings("zhao")), (1, 0));
        assert_eq!(s.next_check_at(), None);
        ok(
            &mut s,
            &p,
            json!({"type": "remove", "lead": "L4"}),
            "2026-01-07T00:00:00Z",
        );
        assert!(s.is_empty());
        assert_eq!(
            err(
                &mut s,
                &p,
                json!({"type": "remove", "lead": "L4"}),
                "2026-01-07T00:00:00Z"
            ),
            "unknown_lead"
        );
    }

    #[test]
    fn a_deleted_lead_leaves_a_tombstone_its_new_record_goes_on_from() {
        let p = policy();
        let at = t("2026-01-05T00:00:00Z");
        let create = [req(
            json!({"type": "deposit", "lead": "L1", "pool": "bj_active"}),
        )];
        let out = crate::pool::apply_rows(Records::default(), &p, &create, at).unwrap();
        let mut old = Records::default();
        old.leads
            .insert("L1".into(), out.rows[0].lead().unwrap().clone());
        // Archived: the row stays as a tombstone with the next version.
        let archive = [req(json!({"type": "archive", "lead": "L1"}))];
        let out = crate::pool::apply_rows(old.clone(), &p, &archive, at).unwrap();
        let row = &out.rows[0];
        assert!(row.is_delete());
        assert_eq!((row.expected, row.version), (1, Some(2)));
        // Created again: the insert expects the tombstone and goes on from it.
        let mut gone = Records::default();
        gone.gone.insert("L1".into(), 2);
        let out = crate::pool::apply_rows(gone.clone(), &p, &create, at).unwrap();
        assert_eq!((out.rows[0].expected, out.rows[0].version), (2, Some(3)));
        // Created and archived again in one list: the tombstone's version moves on (2 -> 4).
        let both = [
            req(json!({"type": "deposit", "lead": "L1", "pool": "bj_active"})),
            req(json!({"type": "archive", "lead": "L1"})),
        ];
        let out = crate::pool::apply_rows(gone.clone(), &p, &both, at).unwrap();
        assert!(out.rows[0].is_delete());
        assert_eq!((out.rows[0].expected, out.rows[0].version), (2, Some(4)));
        // A claim prepared against the first record expects version 1: it cannot match.
        let claim = [req(json!({"type": "claim", "lead": "L1", "rep": "wang"}))];
        let stale = crate::pool::apply_rows(old, &p, &claim, at).unwrap();
        assert_eq!(stale.rows[0].expected, 1);
        // The in-memory state keeps the same tombstones and round-trips them.
        let mut s = PoolState::default();
        deposit(&mut s, &p, "L1", "bj_active", "2026-01-05T00:00:00Z");
        crate::pool::apply_all(&mut s, &p, &archive, at).unwrap();
        assert_eq!(s.records().gone, gone.gone);
        let back: PoolState = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
        // A refused list puts a tombstone back too.
        let list = [
            req(json!({"type": "deposit", "lead": "L1", "pool": "bj_active"})),
            req(json!({"type": "claim", "lead": "L1", "rep": "nobody"})),
        ];
        assert!(crate::pool::apply_all(&mut s, &p, &list, at).is_err());
        assert_eq!(back, s);
    }

    #[test]
    fn logs_replay_under_the_policies_they_were_written_under() {
        let p1 = policy();
        let p2 = policy_with(|v| v["reps"][2]["holding_cap"] = json!(1));
        assert_ne!(p1.fingerprint(), p2.fingerprint());
        let mut rows = Records::default();
        let mut log = Vec::new();
        for (p, c, at) in [
            (
                &p1,
                json!({"type": "deposit", "lead": "L1", "pool": "bj_active"}),
                "2026-01-05T00:00:00Z",
            ),
            (
                &p2,
                json!({"type": "claim", "lead": "L1", "rep": "wang"}),
                "2026-01-05T01:00:00Z",
            ),
        ] {
            let out = crate::pool::apply_rows(rows.clone(), p, &[req(c)], t(at)).unwrap();
            for r in &out.rows {
                match &r.record {
                    Some(crate::pool::RowRecord::Lead(x)) => {
                        rows.leads.insert(r.id.clone(), (**x).clone());
                    }
                    Some(crate::pool::RowRecord::Rep(x)) => {
                        rows.reps.insert(r.id.clone(), x.clone());
                    }
                    _ => {}
                }
            }
            log.extend(out.log);
        }
        let e = replay(PoolState::default(), &p1, &log).unwrap_err();
        assert_eq!((e.code(), e.item_index()), ("policy_mismatch", Some(1)));
        let r = replay_with(PoolState::default(), &[&p1, &p2], &log).unwrap();
        assert_eq!(r.state.records(), rows);
        let text: String = log
            .iter()
            .map(|e| serde_json::to_string(e).unwrap() + "\n")
            .collect();
        let (state, n) = replay_jsonl(PoolState::default(), &[&p2, &p1], &text).unwrap();
        assert_eq!((n, state.records()), (2, rows));
        let e = replay_jsonl(PoolState::default(), &[&p1], "{\"op\": \"nap\"}\n").unwrap_err();
        assert_eq!(e.path(), "log[0].op");
    }

    #[test]
    fn a_policy_change_reschedules_rows_and_replays() {
        let p1 = policy();
        let p2 = policy_with(|v| v["reclaim"]["no_follow_up_days"] = json!(3));
        let mut rows = Records::default();
        let mut log = Vec::new();
        for c in [
            json!({"type": "deposit", "lead": "L1", "pool": "bj_active"}),
            json!({"type": "claim", "lead": "L1", "rep": "wang"}),
        ] {
            let out =
                crate::pool::apply_rows(rows.clone(), &p1, &[req(c)], t("2026-01-05T00:00:00Z"))
                    .unwrap();
            for r in out.rows {
                match r.record {
                    Some(crate::pool::RowRecord::Lead(x)) => {
                        rows.leads.insert(r.id, *x);
                    }
                    Some(crate::pool::RowRecord::Rep(x)) => {
                        rows.reps.insert(r.id, x);
                    }
                    _ => {}
                }
            }
            log.extend(out.log);
        }
        let before = rows.leads["L1"].next_check_at;
        let out = crate::pool::reschedule_rows(
            Records {
                leads: rows.leads.clone(),
                ..Records::default()
            },
            &p2,
        )
        .unwrap();
        assert_eq!(out.rows.len(), 1);
        let moved = out.rows[0].lead().unwrap();
        assert!(moved.next_check_at < before && moved.clock == rows.leads["L1"].clock);
        assert_eq!((out.rows[0].expected, moved.version), (2, 3));
        rows.leads.insert("L1".into(), moved.clone());
        log.extend(out.log);
        // Nothing moves twice.
        assert!(
            crate::pool::reschedule_rows(
                Records {
                    leads: rows.leads.clone(),
                    ..Records::default()
                },
                &p2
            )
            .unwrap()
            .rows
            .is_empty()
        );
        let replayed = replay_with(PoolState::default(), &[&p1, &p2], &log).unwrap();
        assert_eq!(replayed.state.records(), rows);
    }

    #[test]
    fn a_preview_ticks_a_copy() {
        let p = policy();
        let mut s = PoolState::default();
        deposit(&mut s, &p, "L1", "bj_active", "2026-01-05T00:00:00Z");
        ok(
            &mut s,
            &p,
            json!({"type": "claim", "lead": "L1", "rep": "wang"}),
            "2026-01-05T00:00:00Z",
        );
        let before = s.clone();
        let preview = tick_preview(&s, &p, t("2026-02-01T00:00:00Z")).unwrap();
        assert_eq!(s, before);
        let real = tick(&mut s, &p, t("2026-02-01T00:00:00Z")).unwrap();
        assert_eq!(
            (preview.effects, preview.reasons),
            (real.effects, real.reasons)
        );
    }
}

/// The small policy the property tests run: two pools, a weighted team of three capped reps
/// and an SDR, a dispatching manager, protection, reclaim, a ladder, two routing rules and a
/// hand-over from the SDR to the reps.
fn small_policy_json() -> Value {
    json!({
        "seed": 3, "utc_offset": "+08:00",
        "pools": [{"id": "a", "kind": "active", "region": "r"}, {"id": "g", "kind": "general", "region": "r"}],
        "teams": [{"id": "t", "lead": "m", "strategy": "weighted_round_robin"},
                  {"id": "u", "lead": "m", "dispatch": "via_lead"}],
        "reps": [{"id": "m", "role": "manager", "team": "u"},
                 {"id": "r1", "team": "t", "holding_cap": 2, "daily_claim_cap": 3, "weight": 2},
                 {"id": "r2", "team": "t", "holding_cap": 3},
                 {"id": "r3", "team": "t", "holding_cap": 1, "daily_claim_cap": 2},
                 {"id": "s1", "team": "t", "role": "sdr", "holding_cap": 2}],
        "handovers": [{"id": "qualified", "from": "sdr", "to": "rep", "team": "t"}],
        "protection": {"default_days": 2, "extension_days": 1, "max_days": 4, "warn_days": 0.5},
        "reclaim": {"no_follow_up_days": 1.5, "warn_days": 0.25, "cooldown_hours": 12},
        "escalation": {"ladder": [{"pool_kind": "active"}, {"pool_kind": "general", "min_days_since_previous": 3}]},
        "routing": {"default_pool": "a", "rules": [
            {"id": "big", "when": {"field": "attributes.big", "eq": true}, "to": {"type": "team", "team": "u"}},
            {"id": "all", "to": {"type": "team", "team": "t"}}]}
    })
}

mod props {
    use super::*;
    use proptest::prelude::*;
    use proptest::strategy::Strategy;

    fn small_policy() -> Policy {
        Policy::from_value(small_policy_json()).unwrap()
    }

    const POOLS: [&str; 2] = ["a", "g"];
    const LEADS: [&str; 6] = ["L0", "L1", "L2", "L3", "L4", "L5"];
    const REPS: [&str; 6] = ["r1", "r2", "r3", "m", "ghost", "s1"];

    #[derive(Debug, Clone)]
    enum Step {
        Cmd(u32, Value),
        Tick(u32),
    }

    fn step() -> impl Strategy<Value = Step> {
        let l = 0..LEADS.len();
        let r = 0..REPS.len();
        let dt = 0u32..40_000;
        prop_oneof![
            1 => (dt.clone(), l.clone(), 0..2usize).prop_map(|(d, l, p)| Step::Cmd(d, json!({"type": "deposit", "lead": LEADS[l], "pool": POOLS[p]}))),
            2 => (dt.clone(), l.clone(), any::<bool>()).prop_map(|(d, l, big)| Step::Cmd(d, json!({"type": "route", "lead": {"id": LEADS[l], "created_at": "2026-01-01T00:00:00Z", "attributes": {"big": big}}}))),
            4 => (dt.clone(), l.clone(), r.clone()).prop_map(|(d, l, r)| Step::Cmd(d, json!({"type": "claim", "lead": LEADS[l], "rep": REPS[r]}))),
            3 => (dt.clone(), l.clone(), r.clone()).prop_map(|(d, l, r)| Step::Cmd(d, json!({"type": "assign", "lead": LEADS[l], "rep": REPS[r], "by": "m"}))),
            2 => (dt.clone(), proptest::collection::vec(l.clone(), 0..4), r.clone()).prop_map(|(d, ls, r)| Step::Cmd(d, json!({"type": "bulk_assign", "leads": ls.iter().map(|&i| LEADS[i]).collect::<Vec<_>>(), "rep": REPS[r]}))),
            2 => (dt.clone(), l.clone(), r.clone()).prop_map(|(d, l, r)| Step::Cmd(d, json!({"type": "return", "lead": LEADS[l], "rep": REPS[r], "reason": "x"}))),
            1 => (dt.clone(), l.clone()).prop_map(|(d, l)| Step::Cmd(d, json!({"type": "reclaim", "lead": LEADS[l], "reason": "x"}))),
            3 => (dt.clone(), l.clone(), r.clone(), r.clone()).prop_map(|(d, l, a, b)| Step::Cmd(d, json!({"type": "transfer", "lead": LEADS[l], "from": REPS[a], "to": REPS[b]}))),
            2 => (dt.clone(), l.clone(), r.clone()).prop_map(|(d, l, a)| Step::Cmd(d, json!({"type": "hand_over", "lead": LEADS[l], "from": REPS[a]}))),
            1 => (dt.clone(), l.clone(), r.clone(), r.clone()).prop_map(|(d, l, a, b)| Step::Cmd(d, json!({"type": "hand_over", "lead": LEADS[l], "from": REPS[a], "to": REPS[b]}))),
            4 => (dt.clone(), l.clone(), r.clone()).prop_map(|(d, l, r)| Step::Cmd(d, json!({"type": "follow_up", "lead": LEADS[l], "rep": REPS[r]}))),
            1 => (dt.clone(), l.clone()).prop_map(|(d, l)| Step::Cmd(d, json!({"type": "mark_converted", "lead": LEADS[l]}))),
            1 => (dt.clone(), l.clone(), r.clone()).prop_map(|(d, l, r)| Step::Cmd(d, json!({"type": "exclude_owner", "lead": LEADS[l], "owner": REPS[r], "reason": "rejected"}))),
            3 => (dt.clone()).prop_map(Step::Tick),
            1 => (0u32..1).prop_map(Step::Tick),
        ]
    }

    fn check_invariants(s: &PoolState, p: &Policy, now: DateTime<Utc>) {
        let mut owned: std::collections::BTreeMap<&str, u32> = Default::default();
        for rec in s.leads.iter().map(|(_, r)| r) {
            if let Holder::Owned { rep } = &rec.holder {
                *owned.entry(&**rep).or_default() += 1;
                assert!(
                    rec.current_ownership()
                        .is_some_and(|o| o.rep == *rep && o.until.is_none())
                );
            }
            let open = rec.owners.iter().filter(|o| o.until.is_none()).count();
            assert!(open <= 1, "one open ownership at most");
            assert_eq!(open == 1, matches!(rec.holder, Holder::Owned { .. }));
            if rec.next_check_at.is_some() {
                assert!(matches!(rec.holder, Holder::Owned { .. }));
            }
            assert_eq!(rec.fallouts > 0, rec.first_fallout_at.is_some());
            assert!(rec.first_fallout_at <= rec.last_fallout_at);
        }
        assert_eq!(
            s.index.len(),
            s.leads
                .iter()
                .map(|(_, r)| r)
                .filter(|r| r.next_check_at.is_some())
                .count()
        );
        for ((t, id), slot) in &s.index {
            assert_eq!(s.leads.get(id).unwrap().next_check_at, Some(*t));
            assert_eq!(s.leads.slot(id), Some(*slot));
        }
        assert_eq!(
            s.pending.len(),
            s.leads
                .iter()
                .map(|(_, r)| r)
                .filter(|r| r.pending.is_some())
                .count()
        );
        for rep in &p.reps {
            let held = owned.get(&*rep.id).copied().unwrap_or(0);
            assert_eq!(s.holdings(&rep.id), held, "holdings counter of {}", rep.id);
            if let Some(cap) = rep.holding_cap {
                assert!(held <= cap, "{} holds {held} > cap {cap}", rep.id);
            }
            if let (Some(cap), Some(c)) = (rep.daily_cap, s.rep_counters(&rep.id)) {
                let day = now.with_timezone(&p.rep_offset(rep)).date_naive();
                assert!(c.intake_on(day) <= cap);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn invariants_hold_over_random_sequences(steps in proptest::collection::vec(step(), 1..60)) {
            let p = small_policy();
            let mut s = PoolState::default();
            let mut now = t("2026-01-05T00:00:00Z");
            let mut log = Vec::new();
            for l in LEADS {
                let c = cmd(json!({"type": "deposit", "lead": l, "pool": "a"}));
                apply(&mut s, &p, &c, now).unwrap();
                log.push(LogEntry::Apply { at: now, command: c, id: None, policy: None });
            }
            for st in &steps {
                match st {
                    Step::Cmd(d, c) => {
                        now += Duration::seconds(i64::from(*d));
                        let c: Command = serde_json::from_value(c.clone()).unwrap();
                        let before = s.clone();
                        match apply(&mut s, &p, &c, now) {
                            Ok(_) => log.push(LogEntry::Apply { at: now, command: c, id: None, policy: None }),
                            Err(_) => prop_assert_eq!(&s, &before),
                        }
                    }
                    Step::Tick(d) => {
                        now += Duration::seconds(i64::from(*d));
                        tick(&mut s, &p, now).unwrap();
                        log.push(LogEntry::Tick { at: now, leads: None, policy: None });
                        let once = s.clone();
                        let again = tick(&mut s, &p, now).unwrap();
                        prop_assert!(again.effects.is_empty());
                        prop_assert_eq!(&s, &once);
                    }
                }
                check_invariants(&s, &p, now);
                let back: PoolState = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
                prop_assert_eq!(&back, &s);
            }
            let replayed = replay(PoolState::default(), &p, &log).unwrap();
            prop_assert_eq!(&replayed.state, &s);
            prop_assert_eq!(serde_json::to_string(&replayed.state).unwrap(), serde_json::to_string(&s).unwrap());
        }
    }
}

mod rows_props {
    //! The row-level path under several writers: each loads the rows a request needs, computes
    //! the rows to write, and commits them with a compare-and-set on every row; a conflict
    //! sends it back to loading with the same command id. Whatever the interleaving, the rows
    //! keep every pool invariant and equal a replay of the commit log.
    use std::collections::BTreeMap;

    use super::*;
    use crate::pool::{
        Records, Request, RowRecord, RowsApplied, apply_rows, needs, tick_needs, tick_rows,
    };
    use proptest::prelude::*;
    use proptest::strategy::Strategy;

    fn policy() -> Policy {
        let mut p = small_policy_json();
        p["clock_skew_seconds"] = json!(5);
        Policy::from_value(p).unwrap()
    }

    const LEADS: [&str; 6] = ["L0", "L1", "L2", "L3", "L4", "L5"];
    const REPS: [&str; 6] = ["r1", "r2", "r3", "m", "ghost", "s1"];
    const POOLS: [&str; 2] = ["a", "g"];

    fn command() -> impl Strategy<Value = Value> {
        let l = 0..LEADS.len();
        let r = 0..REPS.len();
        prop_oneof![
            1 => (l.clone(), 0..2usize).prop_map(|(l, p)| json!({"type": "deposit", "lead": LEADS[l], "pool": POOLS[p]})),
            2 => (l.clone(), any::<bool>()).prop_map(|(l, big)| json!({"type": "route", "lead": {"id": LEADS[l], "created_at": "2026-01-01T00:00:00Z", "attributes": {"big": big}}})),
            5 => (l.clone(), r.clone()).prop_map(|(l, r)| json!({"type": "claim", "lead": LEADS[l], "rep": REPS[r]})),
            2 => (l.clone(), r.clone()).prop_map(|(l, r)| json!({"type": "assign", "lead": LEADS[l], "rep": REPS[r], "by": "m"})),
            1 => (proptest::collection::vec(l.clone(), 1..3), r.clone()).prop_map(|(ls, r)| json!({"type": "bulk_assign", "leads": ls.iter().map(|&i| LEADS[i]).collect::<Vec<_>>(), "rep": REPS[r]})),
            2 => (l.clone(), r.clone()).prop_map(|(l, r)| json!({"type": "return", "lead": LEADS[l], "rep": REPS[r], "reason": "x"})),
            1 => l.clone().prop_map(|l| json!({"type": "reclaim", "lead": LEADS[l], "reason": "x"})),
            2 => (l.clone(), r.clone(), r.clone()).prop_map(|(l, a, b)| json!({"type": "transfer", "lead": LEADS[l], "from": REPS[a], "to": REPS[b]})),
            2 => (l.clone(), r.clone()).prop_map(|(l, a)| json!({"type": "hand_over", "lead": LEADS[l], "from": REPS[a]})),
            3 => (l.clone(), r.clone()).prop_map(|(l, r)| json!({"type": "follow_up", "lead": LEADS[l], "rep": REPS[r]})),
            1 => l.clone().prop_map(|l| json!({"type": "mark_converted", "lead": LEADS[l]})),
            1 => (l.clone(), l.clone()).prop_map(|(a, b)| json!({"type": "merge", "survivor": LEADS[a], "duplicate": LEADS[b]})),
            1 => l.clone().prop_map(|l| json!({"type": "archive", "lead": LEADS[l]})),
        ]
    }

    #[derive(Debug, Clone)]
    enum Op {
        /// Writer `w` prepares one or two commands (all or nothing) after `dt` seconds.
        Prepare(usize, u32, Vec<Value>),
        /// Writer `w` commits; with `lost`, the response is lost and it retries the same ids.
        Commit(usize, bool),
        /// The ticker ticks the due rows after `dt` seconds.
        Tick(u32),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (0..3usize, 0u32..30_000, proptest::collection::vec(command(), 1..3)).prop_map(|(w, d, c)| Op::Prepare(w, d, c)),
            4 => (0..3usize, any::<bool>()).prop_map(|(w, lost)| Op::Commit(w, lost)),
            1 => (0u32..60_000).prop_map(Op::Tick),
        ]
    }

    /// A writer's request in flight: its commands, its `now` and what it computed.
    type InFlight = (Vec<Request>, DateTime<Utc>, RowsApplied);

    /// The database: rows with versions, and the commit log.
    #[derive(Default)]
    struct Db {
        rows: Records,
        log: Vec<LogEntry>,
    }

    impl Db {
        /// The rows `needs` lists, loaded in two steps (leads, then what they lead to).
        fn load(&self, reqs: &[Request], p: &Policy, now: DateTime<Utc>) -> Records {
            let mut r = Records::default();
            for id in needs(&r, p, reqs, Some(now)).leads {
                if let Some(v) = self.rows.leads.get(&id) {
                    r.leads.insert(id, v.clone());
                } else if let Some(v) = self.rows.gone.get(&id) {
                    r.gone.insert(id, *v);
                }
            }
            self.load_rest(needs(&r, p, reqs, Some(now)), r)
        }

        fn load_rest(&self, n: crate::pool::Needs, mut r: Records) -> Records {
            for id in n.reps {
                if let Some(v) = self.rows.reps.get(&id) {
                    r.reps.insert(id, v.clone());
                }
            }
            for id in n.teams {
                if let Some(v) = self.rows.teams.get(&id) {
                    r.teams.insert(id, v.clone());
                }
            }
            r
        }

        fn version(&self, kind: crate::pool::RowKind, id: &str) -> u64 {
            use crate::pool::RowKind::*;
            match kind {
                Lead => self.rows.leads.get(id).map_or_else(
                    || self.rows.gone.get(id).copied().unwrap_or(0),
                    |r| r.version,
                ),
                Rep => self.rows.reps.get(id).map_or(0, |r| r.version),
                Team => self.rows.teams.get(id).map_or(0, |r| r.version),
            }
        }

        /// Compare-and-set on every row, then write them all and append the log; or nothing.
        fn commit(&mut self, out: &RowsApplied) -> bool {
            if out
                .rows
                .iter()
                .any(|r| self.version(r.kind, &r.id) != r.expected)
            {
                return false;
            }
            for r in out.rows.iter().filter(|r| !r.check) {
                match &r.record {
                    Some(RowRecord::Lead(x)) => {
                        self.rows.gone.remove(&r.id);
                        self.rows.leads.insert(r.id.clone(), (**x).clone());
                    }
                    Some(RowRecord::Rep(x)) => {
                        self.rows.reps.insert(r.id.clone(), x.clone());
                    }
                    Some(RowRecord::Team(x)) => {
                        self.rows.teams.insert(r.id.clone(), x.clone());
                    }
                    None => {
                        // A deleted lead: its row stays as a tombstone with its version.
                        self.rows.leads.remove(&r.id);
                        self.rows.gone.insert(r.id.clone(), r.version.unwrap_or(0));
                    }
                }
            }
            self.log.extend(out.log.iter().cloned());
            true
        }

        /// Loads, applies and commits, retrying on conflicts; the outcome, or the refusal.
        fn run(
            &mut self,
            reqs: &[Request],
            p: &Policy,
            now: DateTime<Utc>,
        ) -> Result<RowsApplied, PoolError> {
            loop {
                let out = apply_rows(self.load(reqs, p, now), p, reqs, now)?;
                if self.commit(&out) {
                    return Ok(out);
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(150))]
        #[test]
        fn writers_that_retry_keep_the_invariants_and_the_log(ops in proptest::collection::vec(op(), 1..70)) {
            let p = policy();
            let mut db = Db::default();
            let mut now = t("2026-01-05T00:00:00Z");
            let mut next_id = 0u32;
            // Each writer's request in flight: the commands and what it computed from its load.
            let mut pending: Vec<Option<InFlight>> = vec![None, None, None];
            let deposits: Vec<Request> = LEADS.iter().map(|l| serde_json::from_value(json!({"type": "deposit", "lead": l, "pool": "a"})).unwrap()).collect();
            db.run(&deposits, &p, now).unwrap();
            for op in &ops {
                match op {
                    Op::Prepare(w, d, cmds) => {
                        now += Duration::seconds(i64::from(*d));
                        // Writers' clocks lag by up to 2 s (within the 5 s tolerance).
                        let at = now - Duration::seconds(*w as i64);
                        let reqs: Vec<Request> = cmds.iter().map(|c| {
                            next_id += 1;
                            let mut c = c.clone();
                            c["id"] = json!(format!("c{next_id}"));
                            Request::from_value(c).unwrap()
                        }).collect();
                        if let Ok(out) = apply_rows(db.load(&reqs, &p, at), &p, &reqs, at) {
                            pending[*w] = Some((reqs, at, out));
                        }
                    }
                    Op::Commit(w, lost) => {
                        let Some((reqs, at, out)) = pending[*w].take() else { continue };
                        let committed = if db.commit(&out) { Some(out) } else {
                            // Conflict: load again and retry with the same ids (a refusal now is fine).
                            db.run(&reqs, &p, at).ok()
                        };
                        // A retried command on a lead the list removed answers `unknown_lead` (the
                        // lead is gone, as asked): the ids are kept on lead records.
                        let removes = reqs.iter().any(|r| matches!(r.command, Command::Archive { .. } | Command::Remove { .. } | Command::Merge { .. }));
                        if let (Some(first), true, false) = (committed, *lost, removes) {
                            // The response was lost: the same ids again answer with the earlier
                            // outcome and write nothing (every row only checked).
                            let before = db.rows.clone();
                            let again = db.run(&reqs, &p, at).unwrap();
                            prop_assert!(again.results.iter().all(|r| r.duplicate));
                            prop_assert!(again.rows.iter().all(|r| r.check));
                            prop_assert_eq!(&db.rows, &before);
                            for (a, b) in first.results.iter().zip(&again.results) {
                                prop_assert_eq!(&a.effects, &b.effects);
                            }
                        }
                    }
                    Op::Tick(d) => {
                        now += Duration::seconds(i64::from(*d));
                        let mut due = Records::default();
                        for (k, v) in &db.rows.leads {
                            if v.due_at().is_some_and(|x| x <= now) {
                                due.leads.insert(k.clone(), v.clone());
                            }
                        }
                        let n = tick_needs(&due, &p, Some(now));
                        let loaded = db.load_rest(n, due);
                        let out = tick_rows(loaded, &p, now).unwrap();
                        // The ticker holds no lock: a writer may have committed in between, but
                        // here nothing ran since the load.
                        prop_assert!(db.commit(&out));
                    }
                }
                check_rows(&db.rows, &p, now);
            }
            // The rows equal a replay of the commit log, bit for bit.
            let replayed = replay(PoolState::default(), &p, &db.log).unwrap();
            prop_assert_eq!(&replayed.state.records(), &db.rows);
        }
    }

    /// Every pool invariant, read from the rows alone.
    fn check_rows(rows: &Records, p: &Policy, now: DateTime<Utc>) {
        let mut owned: BTreeMap<&str, u32> = BTreeMap::new();
        for rec in rows.leads.values() {
            if let Holder::Owned { rep } = &rec.holder {
                *owned.entry(&**rep).or_default() += 1;
            }
            let open = rec.owners.iter().filter(|o| o.until.is_none()).count();
            assert_eq!(
                open == 1,
                matches!(rec.holder, Holder::Owned { .. }),
                "one open ownership exactly when owned"
            );
        }
        for rep in &p.reps {
            let held = owned.get(&*rep.id).copied().unwrap_or(0);
            let counters = rows.reps.get(&*rep.id);
            assert_eq!(
                counters.map_or(0, |c| c.holdings),
                held,
                "stored holdings of {}",
                rep.id
            );
            if let Some(cap) = rep.holding_cap {
                assert!(held <= cap, "{} holds {held} > cap {cap}", rep.id);
            }
            if let (Some(cap), Some(c)) = (rep.daily_cap, counters) {
                let day = now.with_timezone(&p.rep_offset(rep)).date_naive();
                assert!(c.intake_on(day) <= cap);
            }
        }
    }
}
