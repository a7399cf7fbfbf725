use chrono::{DateTime, Utc};
use proptest::prelude::*;

use super::*;
use crate::event::{Event, EventKind};
use crate::input::Config;
use crate::lead::{EdgeKind, Lead};
use crate::pipeline::Pipeline;
use crate::time::parse;

fn t(s: &str) -> DateTime<Utc> {
    parse(s).unwrap()
}

fn day(d: u32, h: u32) -> DateTime<Utc> {
    t(&format!("2026-11-{d:02}T{h:02}:00:00Z"))
}

fn to(stage: &str) -> TransitionRequest {
    TransitionRequest {
        to: Some(stage.into()),
        ..Default::default()
    }
}

fn because(mut r: TransitionRequest, actor: &str, reason: &str) -> TransitionRequest {
    r.actor = Some(actor.into());
    r.reason = Some(reason.into());
    r
}

fn event(id: &str, lead: &str, kind: EventKind, at: DateTime<Utc>) -> Event {
    Event {
        id: Some(id.into()),
        lead_id: lead.into(),
        kind,
        name: None,
        at,
        properties: Default::default(),
    }
}

fn seed(name: &str) -> Pipeline {
    Pipeline::preset(name).unwrap()
}

/// A lead of `p` walked from the entry to `stage` on day 1, one hour per step, each step the
/// first forward move out of the stage.
fn walked(p: &Pipeline, stage: &str) -> Lead {
    let mut lead = Lead::new("L1", day(1, 0));
    lead.owner = Some("rep_a".into());
    lead = transition(p, &lead, &TransitionRequest::default(), day(1, 0))
        .unwrap()
        .lead;
    let mut h = 0;
    while lead.stage.as_deref() != Some(stage) {
        let next = p
            .edges_from(lead.stage.as_deref().unwrap())
            .into_iter()
            .find(|e| e.kind == EdgeKind::Forward)
            .unwrap();
        h += 1;
        lead = transition(p, &lead, &to(&next.to), day(1, h)).unwrap().lead;
    }
    lead
}

/// A seed_004 lead that sales accepted (SAL) on day 1 and rejected back to MQL on day 2.
fn rejected() -> Lead {
    let p = seed("seed_004");
    let lead = walked(&p, "SAL");
    let r = because(
        TransitionRequest {
            edge: Some(EdgeKind::Reject),
            ..Default::default()
        },
        "rep_a",
        "no budget this year",
    );
    transition(&p, &lead, &r, day(2, 0)).unwrap().lead
}

#[test]
fn a_new_lead_enters_at_the_entry_stage_only() {
    let p = seed("seed_003");
    let lead = Lead::new("L1", day(1, 0));
    let out = transition(&p, &lead, &TransitionRequest::default(), day(1, 0)).unwrap();
    assert_eq!(out.lead.stage.as_deref(), Some("MAL"));
    assert_eq!(out.change.edge, EdgeKind::Enter);
    assert_eq!(out.change.from, None);
    assert_eq!(out.reasons[0].code, "entered");
    let e = transition(&p, &lead, &to("SQL"), day(1, 0)).unwrap_err();
    assert_eq!(e.code(), "illegal_transition");
    assert!(e.to_string().contains("`MAL` (enter)"), "{e}");
    let forward = TransitionRequest {
        edge: Some(EdgeKind::Forward),
        ..Default::default()
    };
    assert_eq!(
        transition(&p, &lead, &forward, day(1, 0))
            .unwrap_err()
            .code(),
        "illegal_transition"
    );
    assert_eq!(
        transition(&p, &lead, &to("Nope"), day(1, 0))
            .unwrap_err()
            .code(),
        "unknown_stage"
    );
}

#[test]
fn forward_moves_record_history() {
    let p = seed("seed_003");
    let lead = walked(&p, "Opportunity");
    let stages: Vec<&str> = lead.history.iter().map(|c| c.to.as_str()).collect();
    assert_eq!(stages, ["MAL", "MIL", "MQL", "SQL", "Opportunity"]);
    assert!(
        lead.history
            .iter()
            .skip(1)
            .all(|c| c.edge == EdgeKind::Forward)
    );
    let won = transition(&p, &lead, &to("Won"), day(3, 0)).unwrap();
    assert_eq!(won.change.from.as_deref(), Some("Opportunity"));
    assert_eq!(won.reasons[0].code, "edge_allowed");
    assert!(won.effects.is_empty());
}

#[test]
fn illegal_moves_are_typed_errors_naming_stage_and_edge() {
    let p = seed("seed_003");
    let lead = walked(&p, "MQL");
    let e = transition(&p, &lead, &to("Won"), day(2, 0)).unwrap_err();
    assert_eq!(e.code(), "illegal_transition");
    let msg = e.to_string();
    assert!(msg.contains("`MQL`") && msg.contains("`Won`"), "{msg}");
    assert!(msg.contains("`SQL` (forward)"), "{msg}");
    // Right stages, wrong kind.
    let mut r = to("SQL");
    r.edge = Some(EdgeKind::Recycle);
    r.reason = Some("x".into());
    assert_eq!(
        transition(&p, &lead, &r, day(2, 0)).unwrap_err(),
        TransitionError::IllegalTransition {
            from: Some("MQL".into()),
            to: Some("SQL".into()),
            edge: Some(EdgeKind::Recycle),
            allowed: p.edges_from("MQL"),
        }
    );
    assert_eq!(
        transition(&p, &lead, &to("MQL"), day(2, 0))
            .unwrap_err()
            .code(),
        "already_in_stage"
    );
    assert_eq!(
        transition(&p, &lead, &TransitionRequest::default(), day(2, 0))
            .unwrap_err()
            .code(),
        "target_required"
    );
    let enter = TransitionRequest {
        edge: Some(EdgeKind::Enter),
        ..Default::default()
    };
    assert_eq!(
        transition(&p, &lead, &enter, day(2, 0)).unwrap_err().code(),
        "illegal_transition"
    );
    let mut stray = lead.clone();
    stray.stage = Some("Limbo".into());
    stray.history.clear();
    assert_eq!(
        transition(&p, &stray, &to("MQL"), day(2, 0)).unwrap_err(),
        TransitionError::UnknownStage {
            stage: "Limbo".into(),
            path: "lead.stage",
        }
    );
}

#[test]
fn edge_kind_alone_picks_the_only_edge_or_is_ambiguous() {
    let p = seed("seed_004");
    let lead = walked(&p, "SQL");
    let reject = |reason: &str| TransitionRequest {
        edge: Some(EdgeKind::Reject),
        reason: Some(reason.into()),
        ..Default::default()
    };
    let out = transition(&p, &lead, &reject("not a fit"), day(2, 0)).unwrap();
    assert_eq!(out.lead.stage.as_deref(), Some("MQL"));
    let p2 = Pipeline::from_json(
        r#"{"stages": [{"id": "A", "kind": "marketing"}, {"id": "B", "kind": "sales"}, {"id": "C", "kind": "sales"}],
            "edges": [{"from": "C", "to": ["A"], "kind": "downgrade"}, {"from": "C", "to": "B", "kind": "downgrade"}]}"#,
    );
    // `to` is a single stage id: a list there is a type error.
    assert_eq!(p2.unwrap_err().code(), "invalid_type");
    let p2 = Pipeline::from_json(
        r#"{"stages": [{"id": "A", "kind": "marketing"}, {"id": "B", "kind": "sales"}, {"id": "C", "kind": "sales"}],
            "edges": [{"from": "C", "to": "A", "kind": "downgrade"}, {"from": "C", "to": "B", "kind": "downgrade"}]}"#,
    )
    .unwrap();
    let mut lead = Lead::new("L", day(1, 0));
    lead = transition(&p2, &lead, &TransitionRequest::default(), day(1, 0))
        .unwrap()
        .lead;
    lead = transition(&p2, &lead, &to("B"), day(1, 0)).unwrap().lead;
    lead = transition(&p2, &lead, &to("C"), day(1, 0)).unwrap().lead;
    let down = TransitionRequest {
        edge: Some(EdgeKind::Downgrade),
        reason: Some("quiet".into()),
        ..Default::default()
    };
    let e = transition(&p2, &lead, &down, day(1, 0)).unwrap_err();
    assert_eq!(e.code(), "ambiguous_transition");
    assert!(e.to_string().contains("`A`, `B`"), "{e}");
    let none = TransitionRequest {
        edge: Some(EdgeKind::Reopen),
        reason: Some("x".into()),
        ..Default::default()
    };
    assert_eq!(
        transition(&p2, &lead, &none, day(1, 0)).unwrap_err().code(),
        "illegal_transition"
    );
}

#[test]
fn backward_edges_need_a_reason() {
    let p = seed("seed_004");
    let lead = walked(&p, "SQL");
    for reason in [None, Some(""), Some("   ")] {
        let r = TransitionRequest {
            to: Some("SAL".into()),
            reason: reason.map(String::from),
            ..Default::default()
        };
        assert_eq!(
            transition(&p, &lead, &r, day(2, 0)).unwrap_err(),
            TransitionError::ReasonRequired {
                from: "SQL".into(),
                to: "SAL".into(),
                edge: EdgeKind::Downgrade
            }
        );
    }
    let ok = transition(
        &p,
        &lead,
        &because(to("SAL"), "rep_a", "  went quiet "),
        day(2, 0),
    )
    .unwrap();
    assert_eq!(ok.change.reason.as_deref(), Some("went quiet"));
    assert_eq!(ok.change.edge, EdgeKind::Downgrade);
}

#[test]
fn recycle_disqualify_reopen() {
    let p = seed("seed_003");
    let lead = walked(&p, "Opportunity");
    let lost = transition(&p, &lead, &to("Lost"), day(2, 0)).unwrap().lead;
    let recycled = transition(
        &p,
        &lost,
        &because(to("MIL"), "sdr", "budget next year"),
        day(3, 0),
    )
    .unwrap();
    assert_eq!(recycled.change.edge, EdgeKind::Recycle);
    let dq = transition(
        &p,
        &recycled.lead,
        &because(to("Disqualified"), "sdr", "student"),
        day(4, 0),
    )
    .unwrap();
    assert_eq!(dq.change.edge, EdgeKind::Disqualify);
    let reopened = transition(
        &p,
        &dq.lead,
        &because(to("MAL"), "sdr", "new role, real need"),
        day(5, 0),
    )
    .unwrap();
    assert_eq!(reopened.change.edge, EdgeKind::Reopen);
    assert_eq!(
        transition(&p, &dq.lead, &because(to("MQL"), "sdr", "x"), day(5, 0))
            .unwrap_err()
            .code(),
        "illegal_transition"
    );
}

#[test]
fn rejection_opens_a_cooldown() {
    let p = seed("seed_004");
    let lead = walked(&p, "SAL");
    let r = because(to("MQL"), "rep_a", "no budget");
    let out = transition(&p, &lead, &r, day(2, 0)).unwrap();
    let rej = out.lead.rejection.clone().unwrap();
    assert_eq!(rej.from_stage, "SAL");
    assert_eq!(rej.by.as_deref(), Some("rep_a"));
    assert_eq!(rej.cooldown_until, day(9, 0));
    assert_eq!(rej.reason, "no budget");
    assert_eq!(out.reasons.last().unwrap().code, "cooldown_started");
    assert_eq!(
        out.effects,
        vec![Effect::ScheduleCheck {
            at: day(9, 0),
            reason: "the resubmission cooldown of the rejection from `SAL` ends".into()
        }]
    );
    // Without an actor, the lead's owner is the rejecting rep.
    let anon = TransitionRequest {
        to: Some("MQL".into()),
        reason: Some("no budget".into()),
        ..Default::default()
    };
    let out = transition(&p, &lead, &anon, day(2, 0)).unwrap();
    assert_eq!(out.lead.rejection.unwrap().by.as_deref(), Some("rep_a"));
}

#[test]
fn resubmission_inside_the_cooldown_needs_new_evidence() {
    let p = seed("seed_004");
    let lead = rejected();
    let e = transition(&p, &lead, &to("Submitted"), day(3, 0)).unwrap_err();
    assert_eq!(e.code(), "resubmission_cooldown");
    assert!(e.to_string().contains("2026-11-09T00:00:00Z"), "{e}");
    // Nurturing inside marketing is not a resubmission.
    let lost_interest = because(to("Disqualified"), "sdr", "gone");
    assert!(transition(&p, &lead, &lost_interest, day(3, 0)).is_ok());

    let weak = vec![
        event("e1", "L1", EventKind::PageView, day(2, 5)),
        event("e2", "L1", EventKind::Inquiry, day(1, 23)), // before the rejection
        event("e3", "OTHER", EventKind::Inquiry, day(2, 6)), // another lead
        event("e4", "L1", EventKind::Meeting, day(3, 5)),  // after the effective time
    ];
    let mut r = to("Submitted");
    r.evidence = weak.clone();
    assert_eq!(
        transition(&p, &lead, &r, day(3, 0)).unwrap_err().code(),
        "resubmission_cooldown"
    );
    r.evidence
        .push(event("e5", "L1", EventKind::Inquiry, day(2, 7)));
    r.evidence
        .push(event("e5", "L1", EventKind::Inquiry, day(2, 7)));
    r.actor = Some("sdr_1".into());
    let ok = transition(&p, &lead, &r, day(3, 0)).unwrap();
    assert_eq!(ok.lead.stage.as_deref(), Some("Submitted"));
    assert_eq!(ok.lead.rejection, None);
    let codes: Vec<&str> = ok.reasons.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "edge_allowed",
            "resubmitted_with_evidence",
            "owner_excluded"
        ]
    );
    assert!(ok.reasons[1].message.contains("`e5`"));
    assert_eq!(
        ok.effects,
        vec![Effect::ExcludeOwner {
            owner: "rep_a".into(),
            reason: "`rep_a` rejected the lead from `SAL`".into()
        }]
    );
}

#[test]
fn resubmission_after_the_cooldown_is_allowed_and_still_reroutes() {
    let p = seed("seed_004");
    let lead = rejected();
    let ok = transition(&p, &lead, &to("Submitted"), day(9, 0)).unwrap();
    let codes: Vec<&str> = ok.reasons.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "edge_allowed",
            "resubmitted_after_cooldown",
            "owner_excluded"
        ]
    );
    let mut quiet = p.clone();
    quiet.policies.rejection.exclude_rejecting_owner = false;
    let ok = transition(&quiet, &lead, &to("Submitted"), day(9, 0)).unwrap();
    assert!(ok.effects.is_empty());
}

#[test]
fn effective_time_and_clock_checks() {
    let p = seed("seed_003");
    let lead = walked(&p, "MQL"); // last change at day 1, 02:00
    let mut r = to("SQL");
    r.at = Some(day(1, 12));
    let ok = transition(&p, &lead, &r, day(3, 12)).unwrap();
    assert_eq!(
        (ok.change.at, ok.change.recorded_at),
        (day(1, 12), day(3, 12))
    );
    assert_eq!(ok.reasons[1].code, "back_dated");
    assert!(ok.reasons[1].message.contains("2.00 days"));
    r.at = Some(day(4, 0));
    assert_eq!(
        transition(&p, &lead, &r, day(3, 12)).unwrap_err().code(),
        "effective_time_in_future"
    );
    r.at = Some(day(1, 1));
    assert_eq!(
        transition(&p, &lead, &r, day(3, 12)).unwrap_err().code(),
        "effective_time_out_of_order"
    );
    assert_eq!(
        transition(&p, &lead, &to("SQL"), day(1, 1)).unwrap_err(),
        TransitionError::ClockBackwards {
            now: day(1, 1),
            last: day(1, 2)
        }
    );
    let fresh = Lead::new("L", day(5, 0));
    assert_eq!(
        transition(&p, &fresh, &TransitionRequest::default(), day(4, 0))
            .unwrap_err()
            .code(),
        "clock_backwards"
    );
}

#[test]
fn inconsistent_history_is_refused() {
    let p = seed("seed_003");
    let mut lead = walked(&p, "MQL");
    lead.history.swap(0, 1);
    assert_eq!(
        transition(&p, &lead, &to("SQL"), day(2, 0)).unwrap_err(),
        TransitionError::HistoryOutOfOrder { index: 1 }
    );
    let mut lead = walked(&p, "MQL");
    lead.stage = Some("SQL".into());
    assert_eq!(
        transition(&p, &lead, &to("Opportunity"), day(2, 0))
            .unwrap_err()
            .code(),
        "history_mismatch"
    );
    assert_eq!(
        stage_times(&lead, day(2, 0)).unwrap_err().code(),
        "history_mismatch"
    );
    assert_eq!(
        due(&p, &lead, &[], day(2, 0)).unwrap_err().code(),
        "history_mismatch"
    );
}

#[test]
fn entering_a_watched_stage_schedules_a_check() {
    let p = seed("seed_001");
    let mut lead = Lead::new("L", day(1, 0));
    for s in ["MQL", "SQL"] {
        lead = transition(&p, &lead, &to(s), day(1, 0)).unwrap().lead;
    }
    let out = transition(&p, &lead, &to("SAL"), day(1, 0)).unwrap();
    let at: Vec<DateTime<Utc>> = out
        .effects
        .iter()
        .map(|e| match e {
            Effect::ScheduleCheck { at, .. } => *at,
            Effect::ExcludeOwner { .. } => panic!("unexpected {e:?}"),
        })
        .collect();
    assert_eq!(at, [day(3, 0), day(4, 0)]);
}

fn sal_001() -> (Pipeline, Lead) {
    let p = seed("seed_001");
    let mut lead = Lead::new("L", day(1, 0));
    for s in ["MQL", "SQL", "SAL"] {
        lead = transition(&p, &lead, &to(s), day(1, 0)).unwrap().lead;
    }
    (p, lead)
}

#[test]
fn stale_sal_is_downgraded_after_three_quiet_days() {
    let (p, lead) = sal_001();
    assert!(due(&p, &lead, &[], day(2, 23)).unwrap().is_empty());
    let dues = due(&p, &lead, &[], day(3, 0)).unwrap();
    assert_eq!(dues.len(), 1);
    assert_eq!((dues[0].kind, dues[0].since), (DueKind::Stale, day(3, 0)));
    assert!(dues[0].request.is_none());
    let dues = due(&p, &lead, &[], day(4, 6)).unwrap();
    assert_eq!(dues.len(), 2);
    let req = dues[1].request.clone().unwrap();
    assert_eq!(req.to.as_deref(), Some("SQL"));
    assert_eq!(req.edge, Some(EdgeKind::Downgrade));
    assert_eq!(req.at, Some(day(4, 0)));
    assert_eq!(req.actor.as_deref(), Some(SYSTEM_ACTOR));
    let moved = transition(&p, &lead, &req, day(4, 6)).unwrap();
    assert_eq!(moved.change.at, day(4, 0));
    assert_eq!(moved.change.recorded_at, day(4, 6));
}

#[test]
fn activity_postpones_staleness_whatever_the_event_order() {
    let (p, lead) = sal_001();
    let events = vec![
        event("e2", "L", EventKind::PageView, day(3, 0)),
        event("e1", "L", EventKind::Download, day(2, 0)),
        event("e2", "L", EventKind::PageView, day(3, 0)),
        event("x", "OTHER", EventKind::Call, day(5, 0)),
        event("future", "L", EventKind::Call, day(9, 0)),
    ];
    // Latest activity of this lead at or before now: day 3 → downgrade due on day 6.
    let dues = due(&p, &lead, &events, day(5, 12)).unwrap();
    assert_eq!(dues.len(), 1);
    assert_eq!(dues[0].since, day(5, 0));
    assert!(
        dues[0].reason.contains("latest event"),
        "{}",
        dues[0].reason
    );
    let mut reversed = events.clone();
    reversed.reverse();
    assert_eq!(due(&p, &lead, &reversed, day(5, 12)).unwrap(), dues);
    let dues = due(&p, &lead, &events, day(6, 0)).unwrap();
    assert_eq!(dues.len(), 2);
    assert_eq!(dues[1].since, day(6, 0));
}

#[test]
fn cooldown_notes() {
    let p = seed("seed_004");
    let lead = rejected();
    assert!(due(&p, &lead, &[], day(8, 23)).unwrap().is_empty());
    let ev = [event("e9", "L1", EventKind::FormSubmit, day(4, 0))];
    let dues = due(&p, &lead, &ev, day(5, 0)).unwrap();
    assert_eq!(
        (dues[0].kind, dues[0].since),
        (DueKind::EvidenceArrived, day(4, 0))
    );
    let dues = due(&p, &lead, &ev, day(9, 0)).unwrap();
    assert_eq!(dues.len(), 1);
    assert_eq!(
        (dues[0].kind, dues[0].since),
        (DueKind::CooldownExpired, day(9, 0))
    );
    assert!(
        due(&p, &Lead::new("N", day(1, 0)), &[], day(2, 0))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn stage_times_from_history() {
    let p = seed("seed_003");
    let mut lead = Lead::new("L", day(1, 0));
    let steps: [(&str, u32, Option<&str>); 5] = [
        ("MAL", 1, None),
        ("MIL", 2, None),
        ("MQL", 3, None),
        ("MIL", 5, None),
        ("MQL", 6, None),
    ];
    for (s, d, _) in steps {
        let mut r = if lead.stage.is_none() {
            TransitionRequest::default()
        } else {
            to(s)
        };
        if s == "MIL" && d == 5 {
            // MQL → MIL has no edge in seed_003: go through a recycle-capable path instead.
            r = because(to("Disqualified"), "sdr", "paused");
            lead = transition(&p, &lead, &r, day(d, 0)).unwrap().lead;
            r = because(to("MAL"), "sdr", "back");
            lead = transition(&p, &lead, &r, day(d, 0)).unwrap().lead;
            r = to("MIL");
        }
        lead = transition(&p, &lead, &r, day(d, 0)).unwrap().lead;
    }
    let st = stage_times(&lead, day(8, 0)).unwrap();
    let summary: Vec<(&str, usize, f64)> = st
        .stages
        .iter()
        .map(|s| (s.stage.as_str(), s.visits, s.total_days))
        .collect();
    assert_eq!(
        summary,
        [
            ("MAL", 2, 1.0),
            ("MIL", 2, 2.0),
            ("MQL", 2, 4.0),
            ("Disqualified", 1, 0.0)
        ]
    );
    let cur = st.current.unwrap();
    assert_eq!(
        (cur.stage.as_str(), cur.since, cur.age_days),
        ("MQL", day(6, 0), 2.0)
    );
    let vel: Vec<(&str, &str, usize, f64)> = st
        .velocity
        .iter()
        .map(|v| (v.from.as_str(), v.to.as_str(), v.moves, v.average_days))
        .collect();
    assert_eq!(vel, [("MAL", "MIL", 2, 0.5), ("MIL", "MQL", 2, 1.0)]);
    assert_eq!(st.total_days, 7.0);
    let empty = stage_times(&Lead::new("N", day(1, 0)), day(2, 0)).unwrap();
    assert!(empty.stages.is_empty() && empty.current.is_none() && empty.total_days == 0.0);
}

/// One random request against a pipeline: a stage (maybe bogus), maybe an edge kind, maybe a
/// reason, a time step and maybe a back-dating.
fn request_strategy() -> impl Strategy<Value = (usize, Option<usize>, bool, u32, Option<u32>)> {
    (
        0usize..12,
        proptest::option::of(0usize..7),
        any::<bool>(),
        0u32..72,
        proptest::option::of(0u32..48),
    )
}

const KINDS: [EdgeKind; 7] = [
    EdgeKind::Enter,
    EdgeKind::Forward,
    EdgeKind::Downgrade,
    EdgeKind::Reject,
    EdgeKind::Recycle,
    EdgeKind::Disqualify,
    EdgeKind::Reopen,
];

proptest! {
    #[test]
    fn transitions_stay_in_the_pipeline_and_history_only_grows(
        preset in 0usize..7,
        random in crate::pipeline::tests::valid_pipeline_strategy(),
        steps in proptest::collection::vec(request_strategy(), 1..40),
    ) {
        // The five presets, and (two times in seven) a random valid pipeline.
        let p = Pipeline::preset_names().get(preset).map_or(random, |name| seed(name));
        let mut lead = Lead::new("L", day(1, 0));
        let mut now = day(1, 0);
        for (stage, edge, reason, step_hours, back) in steps {
            now += chrono::TimeDelta::hours(i64::from(step_hours));
            let request = TransitionRequest {
                to: p.stages.get(stage).map(|s| s.id.clone()).or_else(|| (stage % 2 == 0).then(|| "Bogus".into())),
                edge: edge.map(|k| KINDS[k]),
                actor: Some("a".into()),
                reason: reason.then(|| "r".into()),
                at: back.map(|h| now - chrono::TimeDelta::hours(i64::from(h))),
                evidence: Vec::new(),
            };
            match transition(&p, &lead, &request, now) {
                Ok(out) => {
                    let stage = out.lead.stage.clone().unwrap();
                    prop_assert!(p.stage(&stage).is_some());
                    prop_assert_eq!(&out.lead.history[..lead.history.len()], &lead.history[..]);
                    prop_assert_eq!(out.lead.history.len(), lead.history.len() + 1);
                    prop_assert_eq!(out.lead.history.last(), Some(&out.change));
                    for w in out.lead.history.windows(2) {
                        prop_assert!(w[0].at <= w[1].at && w[0].recorded_at <= w[1].recorded_at);
                    }
                    prop_assert!(out.change.at <= out.change.recorded_at);
                    let times = stage_times(&out.lead, now).unwrap();
                    let visits: usize = times.stages.iter().map(|s| s.visits).sum();
                    prop_assert_eq!(visits, out.lead.history.len());
                    prop_assert!(times.stages.iter().all(|s| s.total_days >= 0.0));
                    lead = out.lead;
                }
                Err(e) => {
                    prop_assert!(TransitionError::CODES.contains(&e.code()));
                }
            }
            for d in due(&p, &lead, &[], now).unwrap() {
                if let Some(r) = d.request {
                    prop_assert!(transition(&p, &lead, &r, now).is_ok());
                }
            }
        }
    }
}
