//! The built-in pipelines: the seeds' stage variants.
//!
//! Each preset's doc says which of its values are quoted from a seed and which are assumed
//! (the README's "Preset values: quoted or assumed" has the table). `Won` 100% and `Lost` 0%
//! are true by definition in every preset.

use super::{
    EdgeSpec, ForwardRule, Pipeline, Policies, RejectionPolicy, Stage, StageKind, StaleRule,
    StaleSince,
};
use crate::lead::EdgeKind;

/// Names of the built-in pipelines, documented at [`Pipeline::preset_names`].
pub(super) const NAMES: [&str; 5] = [
    "seed_000",
    "seed_001",
    "seed_003",
    "seed_004",
    "seed_004_sales",
];

pub(super) fn preset(name: &str) -> Option<Pipeline> {
    match name {
        "seed_000" => Some(seed_000()),
        "seed_001" => Some(seed_001()),
        "seed_003" => Some(seed_003()),
        "seed_004" => Some(seed_004()),
        "seed_004_sales" => Some(seed_004_sales()),
        _ => None,
    }
}

fn stage(id: &str, name: &str, kind: StageKind) -> Stage {
    Stage {
        id: id.into(),
        name: Some(name.into()),
        kind,
        probability: None,
        tracks_amount: false,
    }
}

fn deal(id: &str, name: &str, kind: StageKind, probability: Option<f64>) -> Stage {
    Stage {
        probability,
        tracks_amount: true,
        ..stage(id, name, kind)
    }
}

fn edge(from: &[&str], to: &str, kind: EdgeKind) -> EdgeSpec {
    EdgeSpec {
        from: from.iter().map(|s| s.to_string()).collect(),
        from_kinds: Vec::new(),
        to: to.into(),
        kind,
    }
}

fn from_kinds(kinds: &[StageKind], to: &str, kind: EdgeKind) -> EdgeSpec {
    EdgeSpec {
        from: Vec::new(),
        from_kinds: kinds.to_vec(),
        to: to.into(),
        kind,
    }
}

const OPEN: [StageKind; 3] = [
    StageKind::PreMarketing,
    StageKind::Marketing,
    StageKind::Sales,
];

fn won() -> Stage {
    deal("Won", "Closed won", StageKind::ClosedWon, Some(1.0))
}

fn lost() -> Stage {
    deal("Lost", "Closed lost", StageKind::ClosedLost, Some(0.0))
}

fn disqualified() -> Stage {
    stage(
        "Disqualified",
        "Disqualified: not a real prospect",
        StageKind::Disqualified,
    )
}

/// Seed 003's funnel, MAL → MIL → MQL → SQL — quoted (「MAL-MIL-MQL-SQL」). It has no SAL and
/// no sales rejection back to MQL: those are seed 004's (`seed_004`).
///
/// The gates are in the stage names (the pipeline moves a lead on request). MIL → MQL, the
/// SDR's qualification — quoted:
/// 「促使客户确认需求,确承认以开通Demo测试账号并供给更为全面的用户信息,又或者确承认以摆设销售上门造访」.
/// MQL → SQL, the hand-over to sales — quoted (「设想一套契合MQL-SQL阶段的SOP」; in its free-trial
/// example, 「将已经体验免费功用和成立产物功用认知的线索,给到销售做最初的转化」). MAL → MIL: the
/// seed names no gate.
///
/// Opportunity wins with 60% — quoted (「再到最初有60%的成交转化」, a historical opportunity →
/// deal rate read as a win probability); its place after SQL is assumed (the seed's rates go
/// 「从MQL到商机」). The moves back (an opportunity downgraded to SQL, an opportunity or a lost
/// deal recycled to MIL) are assumed.
fn seed_003() -> Pipeline {
    use StageKind::*;
    Pipeline {
        id: Some("seed_003".into()),
        stages: vec![
            stage("MAL", "Marketing accepted lead", PreMarketing),
            stage("MIL", "Marketing interested lead", PreMarketing),
            stage(
                "MQL",
                "Marketing qualified lead: need confirmed, a trial account or a sales visit agreed",
                Marketing,
            ),
            stage(
                "SQL",
                "Sales qualified lead: handed to sales for the final conversion",
                Sales,
            ),
            deal("Opportunity", "Opportunity", Sales, Some(0.6)),
            won(),
            lost(),
            disqualified(),
        ],
        entry: Some("MAL".into()),
        forward: ForwardRule::Adjacent,
        edges: vec![
            edge(&["Opportunity"], "SQL", EdgeKind::Downgrade),
            edge(&["Opportunity", "Lost"], "MIL", EdgeKind::Recycle),
            from_kinds(&OPEN, "Disqualified", EdgeKind::Disqualify),
            edge(&["Lost"], "Opportunity", EdgeKind::Reopen),
            edge(&["Disqualified"], "MAL", EdgeKind::Reopen),
        ],
        policies: Policies::default(),
    }
}

/// Seed 001's order, SAL after SQL — quoted (「使其成為SQL」, then 「使其成為SAL」). The 2-day
/// reminder — quoted (「已經2天沒有登錄網站了」; the seed's trigger is a site login, the rule counts
/// any activity). The 3-day downgrade to SQL — quoted (「可能2天、3天」); taking 3 rather than 2,
/// so the reminder comes first, is assumed, and so is counting from the last activity rather
/// than from the stage entry (「長時間未成單」).
fn seed_001() -> Pipeline {
    use StageKind::*;
    Pipeline {
        id: Some("seed_001".into()),
        stages: vec![
            stage(
                "MQL",
                "Marketing qualified lead: left a phone number and the wanted item",
                Marketing,
            ),
            stage(
                "SQL",
                "Sales qualified lead: plus an accurate company name and industry",
                Sales,
            ),
            stage(
                "SAL",
                "Sales accepted lead: responsive and not hostile to the first quote",
                Sales,
            ),
            won(),
            lost(),
            disqualified(),
        ],
        entry: Some("MQL".into()),
        forward: ForwardRule::Adjacent,
        edges: vec![
            edge(&["SAL"], "SQL", EdgeKind::Downgrade),
            edge(&["SQL", "SAL"], "MQL", EdgeKind::Reject),
            edge(&["Lost"], "MQL", EdgeKind::Recycle),
            from_kinds(&OPEN, "Disqualified", EdgeKind::Disqualify),
            edge(&["Lost"], "SAL", EdgeKind::Reopen),
            edge(&["Disqualified"], "MQL", EdgeKind::Reopen),
        ],
        policies: Policies {
            stale: vec![
                StaleRule {
                    stage: "SAL".into(),
                    after_days: 2.0,
                    to: None,
                    since: StaleSince::LastActivity,
                    activity_kinds: None,
                    reason: Some("SAL without activity for 2 days: remind the rep to call".into()),
                },
                StaleRule {
                    stage: "SAL".into(),
                    after_days: 3.0,
                    to: Some("SQL".into()),
                    since: StaleSince::LastActivity,
                    activity_kinds: None,
                    reason: Some(
                        "SAL without activity for 3 days: downgrade to SQL and re-nurture".into(),
                    ),
                },
            ],
            rejection: RejectionPolicy::default(),
        },
    }
}

/// Seed 000's chain — quoted (「leads-MQL-SQL-商机-订单-回款」); amounts on opportunity, order and
/// payment — quoted (「商机、订单、回款这三个阶段要统计金额」). No win probabilities on Opportunity
/// and Order: the seed gives none.
fn seed_000() -> Pipeline {
    use StageKind::*;
    Pipeline {
        id: Some("seed_000".into()),
        stages: vec![
            stage("Leads", "Leads", PreMarketing),
            stage("MQL", "Marketing qualified lead", Marketing),
            stage("SQL", "Sales qualified lead", Sales),
            deal("Opportunity", "Opportunity", Sales, None),
            deal("Order", "Order", Sales, None),
            deal("Payment", "Payment received", ClosedWon, Some(1.0)),
            lost(),
            disqualified(),
        ],
        entry: Some("Leads".into()),
        forward: ForwardRule::Adjacent,
        edges: vec![
            edge(&["Opportunity"], "Lost", EdgeKind::Forward),
            edge(&["SQL"], "MQL", EdgeKind::Reject),
            edge(&["Opportunity"], "SQL", EdgeKind::Downgrade),
            edge(&["Lost"], "MQL", EdgeKind::Recycle),
            from_kinds(&OPEN, "Disqualified", EdgeKind::Disqualify),
            edge(&["Lost"], "Opportunity", EdgeKind::Reopen),
            edge(&["Disqualified"], "Leads", EdgeKind::Reopen),
        ],
        policies: Policies::default(),
    }
}

/// Seed 004's hand-over: MQL is submitted to sales and waits in `Submitted` until sales accept
/// (SAL) or reject it (back to MQL, "那些没有被销售接受成为SAL的线索,又会回到MQL的阶段,被SDR继续
/// 培育", with the resubmission cooldown and a different rep); a rejected lead never counts as
/// accepted, so `Submitted`'s conversion is the acceptance rate. The order MAL → MQL → SAL → SQL
/// is quoted (seed 004's four numbered stages); `Submitted` is assumed (a stage to model the
/// hand-over, 「直到能够重新提交成为SAL」).
fn seed_004() -> Pipeline {
    use StageKind::*;
    Pipeline {
        id: Some("seed_004".into()),
        stages: vec![
            stage("MAL", "Marketing accepted lead", PreMarketing),
            stage("MQL", "Marketing qualified lead", Marketing),
            // On the sales side: handing the lead over is what the rejection cooldown gates.
            stage(
                "Submitted",
                "Submitted to sales, awaiting acceptance",
                Sales,
            ),
            stage("SAL", "Sales accepted lead", Sales),
            stage("SQL", "Sales qualified lead", Sales),
            won(),
            lost(),
            disqualified(),
        ],
        entry: Some("MAL".into()),
        forward: ForwardRule::Adjacent,
        edges: vec![
            edge(&["Submitted", "SAL", "SQL"], "MQL", EdgeKind::Reject),
            edge(&["SQL"], "SAL", EdgeKind::Downgrade),
            edge(&["SQL"], "Lost", EdgeKind::Forward),
            edge(&["Lost"], "MQL", EdgeKind::Recycle),
            from_kinds(&OPEN, "Disqualified", EdgeKind::Disqualify),
            edge(&["Lost"], "SQL", EdgeKind::Reopen),
            edge(&["Disqualified"], "MAL", EdgeKind::Reopen),
        ],
        policies: Policies::default(),
    }
}

/// Seed 004's sales stages — quoted (「客户鉴别(Qualify)」 … 「成交 (Close or Lost)」). The
/// probabilities 25% / 50% / 60% / 80% / 100% are quoted numbers from another funnel in seed 004,
/// an online-education company's five stages (「25% 与家长成功地预约了一次线上的试听课程」, then
/// 展示产品, 达成意向, 承诺付款, 付款); mapping them onto Qualify / Demonstration / Proposal / Close /
/// Won is assumed (the seed allows such a mapping, 「将销售漏斗的百分比映射到销售管道上」, but makes
/// none).
fn seed_004_sales() -> Pipeline {
    use StageKind::*;
    Pipeline {
        id: Some("seed_004_sales".into()),
        stages: vec![
            deal(
                "Qualify",
                "Qualify: gather account intelligence",
                Sales,
                Some(0.25),
            ),
            deal(
                "Demonstration",
                "Demonstration: show the solution",
                Sales,
                Some(0.5),
            ),
            deal("Proposal", "Proposal: solution and quote", Sales, Some(0.6)),
            deal(
                "Close",
                "Close: negotiation and commitment",
                Sales,
                Some(0.8),
            ),
            won(),
            lost(),
        ],
        entry: Some("Qualify".into()),
        forward: ForwardRule::Adjacent,
        edges: vec![
            from_kinds(&[Sales], "Lost", EdgeKind::Forward),
            edge(&["Demonstration"], "Qualify", EdgeKind::Downgrade),
            edge(&["Proposal"], "Demonstration", EdgeKind::Downgrade),
            edge(&["Close"], "Proposal", EdgeKind::Downgrade),
            edge(&["Lost"], "Qualify", EdgeKind::Reopen),
        ],
        policies: Policies::default(),
    }
}
