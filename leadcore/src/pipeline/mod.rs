//! Stage pipelines: the ordered stages a lead moves through and the moves allowed between them.
//!
//! A [`Pipeline`] is configuration a CRM stores as JSON. Stages are listed in funnel order; the
//! `forward` rule generates the ordinary forward moves from that order, and `edges` adds the
//! named backward moves (`downgrade`, `reject`, `recycle`, `disqualify`, `reopen`) and any extra
//! forward ones. Policies (stale-stage rules, the rejection cooldown) are data with defaults.
//!
//! ```
//! use leadcore::input::Config;
//! use leadcore::pipeline::Pipeline;
//!
//! let p = Pipeline::from_json(r#"{
//!   "stages": [
//!     {"id": "MQL", "kind": "marketing"},
//!     {"id": "SQL", "kind": "sales"},
//!     {"id": "Won", "kind": "closed_won", "probability": 1.0},
//!     {"id": "Lost", "kind": "closed_lost", "probability": 0.0}
//!   ],
//!   "edges": [{"from": "SQL", "to": "MQL", "kind": "reject"}],
//!   "policies": {"rejection": {"cooldown_days": 3}}
//! }"#).unwrap();
//! let moves: Vec<String> = p.edges_from("SQL").iter().map(|e| format!("{}:{}", e.kind_str(), e.to)).collect();
//! assert_eq!(moves, ["forward:Won", "forward:Lost", "reject:MQL"]);
//!
//! let seed = Pipeline::from_json(r#"{"preset": "seed_001"}"#).unwrap();
//! assert_eq!(seed.entry_stage(), Some("MQL"));
//! ```

mod presets;
mod validate;

use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::error::{ConfigError, FieldErrorKind, InputError};
use crate::event::EventKind;
use crate::input::{self, Config};
use crate::lead::EdgeKind;

/// A lead pipeline: ordered stages, the moves allowed between them, and lifecycle policies.
///
/// JSON shape (every key but `stages` optional):
/// `{"id", "stages": [Stage…], "entry": "<stage id>", "forward": "adjacent"|"skip"|"explicit",
///   "edges": [EdgeSpec…], "policies": {"stale": [StaleRule…], "rejection": {…}}}`,
/// or `{"preset": "<name>"}` for a built-in pipeline (see [`Pipeline::preset_names`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pipeline {
    /// A name for the pipeline (presets use their preset name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The stages in funnel order (earliest first).
    pub stages: Vec<Stage>,
    /// The stage a new lead enters at; absent means the first stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    /// How forward moves are generated from the stage order.
    #[serde(default)]
    pub forward: ForwardRule,
    /// Explicit moves: backward edges, and forward edges the rule does not generate.
    /// An explicit edge between the same two stages as a generated one replaces it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edges: Vec<EdgeSpec>,
    /// Lifecycle policies: stale-stage rules and the sales-rejection cooldown.
    #[serde(default)]
    pub policies: Policies,
}

/// One stage of a pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    /// The stage id leads carry in `stage` (`MQL`, `Proposal`…); unique, case-sensitive.
    pub id: String,
    /// A display name (`Marketing qualified lead`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What the stage means in the funnel.
    pub kind: StageKind,
    /// Win probability of a deal in this stage, as a fraction in `[0, 1]`, for weighted
    /// forecasts (amount × probability, seed 004).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// Whether deals in this stage carry an amount the funnel should sum (seed 000 tracks
    /// amounts for opportunity, order and payment).
    #[serde(default, skip_serializing_if = "is_false")]
    pub tracks_amount: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// What a stage means in the funnel.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    /// Before marketing qualification (MAL, MIL, raw leads).
    PreMarketing,
    /// Marketing-qualified, owned by marketing / SDRs (MQL).
    Marketing,
    /// Owned by sales (SAL, SQL, opportunity, proposal…).
    Sales,
    /// Closed as a win (won, payment received).
    ClosedWon,
    /// Closed as a loss.
    ClosedLost,
    /// Out of the funnel: not a real prospect.
    Disqualified,
}

impl StageKind {
    /// Whether a lead in a stage of this kind is still moving through the funnel.
    pub fn is_open(self) -> bool {
        matches!(self, Self::PreMarketing | Self::Marketing | Self::Sales)
    }

    /// Whether the stage is a closed outcome (won or lost).
    pub fn is_closed(self) -> bool {
        matches!(self, Self::ClosedWon | Self::ClosedLost)
    }

    /// Whether a lead in this stage is in sales' hands (sales or closed).
    pub fn is_sales_side(self) -> bool {
        matches!(self, Self::Sales | Self::ClosedWon | Self::ClosedLost)
    }

    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PreMarketing => "pre_marketing",
            Self::Marketing => "marketing",
            Self::Sales => "sales",
            Self::ClosedWon => "closed_won",
            Self::ClosedLost => "closed_lost",
            Self::Disqualified => "disqualified",
        }
    }
}

/// How forward moves are generated from the stage order.
///
/// "Open" stages are those of kind `pre_marketing`, `marketing` or `sales`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ForwardRule {
    /// Each open stage moves to the next open stage; the last open stage moves to every
    /// `closed_won` / `closed_lost` stage listed after it.
    #[default]
    Adjacent,
    /// Each open stage moves to every later open, `closed_won` or `closed_lost` stage
    /// (skipping stages is allowed).
    Skip,
    /// No generated forward moves: only `edges`.
    Explicit,
}

/// An explicit edge in the config: from one or more stages to one stage, of one kind.
///
/// `from` takes a stage id or a list of ids; `from_kinds` selects every stage of the given kinds
/// for which an edge of this `kind` into `to` is valid (other stages are skipped). At least one
/// of the two is required. `{"from_kinds": ["pre_marketing", "marketing", "sales"],
/// "to": "Disqualified", "kind": "disqualify"}` lets every open stage be disqualified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EdgeSpec {
    /// Source stage ids.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub from: Vec<String>,
    /// Source stage kinds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from_kinds: Vec<StageKind>,
    /// Target stage id.
    pub to: String,
    /// The kind of move; any kind but `enter`.
    pub kind: EdgeKind,
}

/// One allowed move of a pipeline, after generation and expansion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Edge {
    /// Source stage id.
    pub from: String,
    /// Target stage id.
    pub to: String,
    /// The kind of move.
    pub kind: EdgeKind,
}

impl Edge {
    /// The snake_case name of the edge kind.
    pub fn kind_str(&self) -> &'static str {
        edge_kind_str(self.kind)
    }
}

/// The snake_case JSON name of an edge kind.
pub fn edge_kind_str(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Enter => "enter",
        EdgeKind::Forward => "forward",
        EdgeKind::Downgrade => "downgrade",
        EdgeKind::Reject => "reject",
        EdgeKind::Recycle => "recycle",
        EdgeKind::Disqualify => "disqualify",
        EdgeKind::Reopen => "reopen",
    }
}

/// Lifecycle policies of a pipeline.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policies {
    /// Rules for leads that sit in a stage without activity (seed 001: a SAL with no deal after
    /// 2–3 days is downgraded to SQL). Evaluated by [`crate::lifecycle::due`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stale: Vec<StaleRule>,
    /// What a sales rejection (`reject` edge) opens: the resubmission cooldown.
    #[serde(default)]
    pub rejection: RejectionPolicy,
}

/// A lead in `stage` for `after_days` days is due for attention: a move to `to` when given
/// (over the pipeline's edge from `stage` to `to`), a reminder otherwise.
///
/// The days count from the lead's last activity (`since: "last_activity"`, the default: the
/// later of the stage entry and its latest event of `activity_kinds`, when given) or from the
/// stage entry whatever the lead did (`since: "stage_entry"`: seed 001's "SAL 長時間未成單…降級
/// 成SQL", a SAL that keeps browsing but never becomes a deal).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StaleRule {
    /// The stage the rule watches.
    pub stage: String,
    /// Days without activity (fractional, > 0, at most 36 500).
    pub after_days: f64,
    /// Where to move the lead; absent for a reminder only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// What the days count from (default `last_activity`).
    #[serde(default, skip_serializing_if = "StaleSince::is_default")]
    pub since: StaleSince,
    /// Event kinds that count as activity; absent means every kind (`last_activity` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity_kinds: Option<Vec<EventKind>>,
    /// The reason recorded on the suggested move; absent means a generated one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// What a [`StaleRule`]'s days count from.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum StaleSince {
    /// The later of the stage entry and the lead's latest event (of the rule's kinds).
    #[default]
    LastActivity,
    /// The stage entry, whatever the lead did since.
    StageEntry,
}

impl StaleSince {
    fn is_default(&self) -> bool {
        *self == Self::LastActivity
    }
}

/// The resubmission cooldown a sales rejection opens (seed 004: a rejected lead resubmitted the
/// next day is the classic marketing–sales friction).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectionPolicy {
    /// Days after a rejection during which handing the lead back to sales is refused unless new
    /// evidence arrived (fractional, > 0, at most 36 500). Default 7 (a weekly sync).
    #[serde(default = "default_cooldown_days")]
    pub cooldown_days: f64,
    /// Event kinds that count as new qualifying evidence after a rejection. Default: form
    /// submissions, inquiries, event check-ins, calls and meetings (not page views or opens).
    #[serde(default = "default_evidence_kinds")]
    pub evidence_kinds: Vec<EventKind>,
    /// Whether the rejecting rep must not own the resubmitted lead (returned as an
    /// `exclude_owner` effect). Default true.
    #[serde(default = "default_true")]
    pub exclude_rejecting_owner: bool,
}

/// `exclude_rejecting_owner: true` — quoted (seed 004: a resubmitted lead goes
/// 「分配给新的销售二次跟进」).
impl Default for RejectionPolicy {
    fn default() -> Self {
        Self {
            cooldown_days: default_cooldown_days(),
            evidence_kinds: default_evidence_kinds(),
            exclude_rejecting_owner: true,
        }
    }
}

/// 7 days — assumed: seed 004 says a rejected lead must not come back 「第二天」 but names no
/// period; a week matches the sync it describes, 「每周甚至每天」.
fn default_cooldown_days() -> f64 {
    7.0
}

/// Assumed: seed 004 asks for a new contact before resubmitting (not
/// 「SDR没有重新回访客户后重新提交」) but names no event kinds.
fn default_evidence_kinds() -> Vec<EventKind> {
    vec![
        EventKind::FormSubmit,
        EventKind::Inquiry,
        EventKind::EventCheckin,
        EventKind::Call,
        EventKind::Meeting,
    ]
}

fn default_true() -> bool {
    true
}

/// Longest period (days) a policy may name: 100 years.
pub const MAX_PERIOD_DAYS: f64 = 36_500.0;

impl Pipeline {
    /// Names of the built-in pipelines, for [`Pipeline::preset`] and `{"preset": "<name>"}`:
    ///
    /// - `seed_003`: `MAL → MIL → MQL → SQL → Opportunity → Won | Lost`, plus `Disqualified`
    ///   (seed 003's own order): the SDR qualifies an MIL as MQL, the MQL is handed to sales as
    ///   SQL; Opportunity wins with 60% (seed 003: opportunity → deal 60%). It has no SAL and no
    ///   sales rejection: for those, use `seed_004`.
    /// - `seed_001`: `MQL → SQL → SAL → Won | Lost`, plus `Disqualified` (seed 001, whose SAL comes
    ///   after SQL). A SAL without activity gets a reminder after 2 days and is downgraded to SQL
    ///   after 3 (the seed's "2天、3天").
    /// - `seed_000`: `Leads → MQL → SQL → Opportunity → Order → Payment`, plus `Lost` and
    ///   `Disqualified` (seed 000); opportunity, order and payment track amounts.
    /// - `seed_004`: `MAL → MQL → Submitted → SAL → SQL → Won | Lost`, plus `Disqualified` (seed
    ///   004's hand-over). `Submitted` is the MQL handed to sales and awaiting acceptance: sales
    ///   accept it (`forward` to SAL) or reject it (`reject` back to MQL, opening the
    ///   resubmission cooldown and excluding the rejecting rep); the funnel's `Submitted` row
    ///   gives the acceptance rate (`conversion_to_next`) and the time to accept
    ///   (`days_to_advance_mean`), and a rejected lead never counts as SAL.
    /// - `seed_004_sales`: the sales pipeline after SQL, `Qualify → Demonstration → Proposal →
    ///   Close → Won | Lost` with win probabilities 25% / 50% / 60% / 80% / 100% — the numbers of
    ///   seed 004's five-stage education funnel (booked, demonstrated, intent, committed, paid),
    ///   mapped onto these sales stages by assumption; a deal can be lost at any stage.
    pub fn preset_names() -> &'static [&'static str] {
        &presets::NAMES
    }

    /// A built-in pipeline by name (see [`Pipeline::preset_names`]), or an `unknown_preset`
    /// error at `preset`.
    pub fn preset(name: &str) -> Result<Pipeline, ConfigError> {
        presets::preset(name)
            .ok_or_else(|| ConfigError::new(FieldErrorKind::UnknownPreset(name.into()), "preset"))
    }

    /// The stage with this id.
    pub fn stage(&self, id: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }

    /// Position of the stage in funnel order.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.stages.iter().position(|s| s.id == id)
    }

    /// Where a new lead enters: `entry`, or the first stage.
    pub fn entry_stage(&self) -> Option<&str> {
        self.entry
            .as_deref()
            .or_else(|| self.stages.first().map(|s| s.id.as_str()))
    }

    /// Every allowed move, generated forward edges first (in stage order), then explicit edges
    /// in config order; an explicit edge replaces a generated one between the same stages.
    ///
    /// References the config does not resolve are skipped; [`Config::validate`] reports them.
    pub fn edges(&self) -> Vec<Edge> {
        let mut out = self.generated_edges();
        for (_, edge) in self.explicit_edges() {
            match out
                .iter_mut()
                .find(|e| e.from == edge.from && e.to == edge.to)
            {
                Some(existing) => existing.kind = edge.kind,
                None => out.push(edge),
            }
        }
        out
    }

    /// The moves allowed out of `stage`, in [`Pipeline::edges`] order.
    pub fn edges_from(&self, stage: &str) -> Vec<Edge> {
        self.edges()
            .into_iter()
            .filter(|e| e.from == stage)
            .collect()
    }

    /// The move from `from` to `to`, if the pipeline allows it.
    pub fn edge(&self, from: &str, to: &str) -> Option<Edge> {
        if let Some((_, e)) = self
            .explicit_edges()
            .into_iter()
            .rev()
            .find(|(_, e)| e.from == from && e.to == to)
        {
            return Some(e);
        }
        let (i, j) = (self.index_of(from)?, self.index_of(to)?);
        self.generates(i, j, self.next_open(i)).then(|| Edge {
            from: from.into(),
            to: to.into(),
            kind: EdgeKind::Forward,
        })
    }

    fn generated_edges(&self) -> Vec<Edge> {
        let mut out = Vec::new();
        for (i, a) in self.stages.iter().enumerate() {
            let next_open = self.next_open(i);
            for (j, b) in self.stages.iter().enumerate().skip(i + 1) {
                if self.generates(i, j, next_open) {
                    out.push(Edge {
                        from: a.id.clone(),
                        to: b.id.clone(),
                        kind: EdgeKind::Forward,
                    });
                }
            }
        }
        out
    }

    /// The first open stage after stage `from`.
    fn next_open(&self, from: usize) -> Option<usize> {
        self.stages
            .iter()
            .enumerate()
            .skip(from + 1)
            .find(|(_, s)| s.kind.is_open())
            .map(|(i, _)| i)
    }

    /// Whether the `forward` rule generates a move from stage `from` to stage `to` (indexes);
    /// `next_open` is [`Pipeline::next_open`] of `from`.
    fn generates(&self, from: usize, to: usize, next_open: Option<usize>) -> bool {
        let (Some(a), Some(b)) = (self.stages.get(from), self.stages.get(to)) else {
            return false;
        };
        if !a.kind.is_open() || to <= from {
            return false;
        }
        match self.forward {
            ForwardRule::Explicit => false,
            ForwardRule::Adjacent => match next_open {
                Some(next) => to == next,
                None => b.kind.is_closed(),
            },
            ForwardRule::Skip => b.kind.is_open() || b.kind.is_closed(),
        }
    }

    /// Explicit edges expanded to single moves, each with the index of its spec in `edges`.
    /// Unknown ids are kept (validation reports them); kind selectors keep only valid moves.
    fn explicit_edges(&self) -> Vec<(usize, Edge)> {
        let mut out = Vec::new();
        for (i, spec) in self.edges.iter().enumerate() {
            for from in &spec.from {
                out.push((
                    i,
                    Edge {
                        from: from.clone(),
                        to: spec.to.clone(),
                        kind: spec.kind,
                    },
                ));
            }
            if spec.from_kinds.is_empty() {
                continue;
            }
            let Some(to_idx) = self.index_of(&spec.to) else {
                continue;
            };
            for (idx, s) in self.stages.iter().enumerate() {
                if spec.from_kinds.contains(&s.kind)
                    && !spec.from.contains(&s.id)
                    && idx != to_idx
                    && self.edge_rule(idx, to_idx, spec.kind).is_ok()
                {
                    out.push((
                        i,
                        Edge {
                            from: s.id.clone(),
                            to: spec.to.clone(),
                            kind: spec.kind,
                        },
                    ));
                }
            }
        }
        out
    }

    /// Whether an edge of `kind` from stage `from` to stage `to` (indexes) makes sense; the error
    /// says why not.
    fn edge_rule(&self, from: usize, to: usize, kind: EdgeKind) -> Result<(), String> {
        let (Some(a), Some(b)) = (self.stages.get(from), self.stages.get(to)) else {
            return Err("unknown stage".into());
        };
        let (fk, tk) = (a.kind, b.kind);
        let ok = match kind {
            EdgeKind::Enter => false,
            EdgeKind::Forward => fk.is_open() && tk != StageKind::Disqualified && to > from,
            EdgeKind::Downgrade | EdgeKind::Reject => fk.is_open() && tk.is_open() && to < from,
            EdgeKind::Recycle => {
                (fk.is_open() || fk == StageKind::ClosedLost) && tk.is_open() && to < from
            }
            EdgeKind::Disqualify => fk.is_open() && tk == StageKind::Disqualified,
            EdgeKind::Reopen => !fk.is_open() && tk.is_open(),
        };
        if ok {
            return Ok(());
        }
        let rule = match kind {
            EdgeKind::Enter => "`enter` is not an edge kind in a pipeline; use `entry`",
            EdgeKind::Forward => {
                "a `forward` edge goes from an open stage to a later stage that is not disqualified"
            }
            EdgeKind::Downgrade | EdgeKind::Reject => {
                "this kind of edge goes from an open stage back to an earlier open stage"
            }
            EdgeKind::Recycle => {
                "a `recycle` edge goes from an open or `closed_lost` stage back to an earlier open stage"
            }
            EdgeKind::Disqualify => {
                "a `disqualify` edge goes from an open stage to a `disqualified` stage"
            }
            EdgeKind::Reopen => {
                "a `reopen` edge goes from a closed or disqualified stage to an open stage"
            }
        };
        Err(format!(
            "`{}` edge from `{}` ({}) to `{}` ({}) is not allowed: {rule}",
            edge_kind_str(kind),
            a.id,
            fk.as_str(),
            b.id,
            tk.as_str()
        ))
    }
}

impl Config for Pipeline {
    fn validate(&self) -> Result<(), ConfigError> {
        validate::pipeline(self)
    }

    /// Accepts `{"preset": "<name>"}` as well as a full pipeline.
    fn from_json(text: &str) -> Result<Self, ConfigError> {
        let value: serde_json::Value = input::from_json(text).map_err(InputError::into_config)?;
        <Self as Config>::from_value(value)
    }

    /// Accepts `{"preset": "<name>"}` as well as a full pipeline.
    fn from_value(value: serde_json::Value) -> Result<Self, ConfigError> {
        if let Some(name) = crate::input::preset_reference(&value)? {
            return Pipeline::preset(&name);
        }
        let config: Self = input::from_value(value).map_err(InputError::into_config)?;
        config.validate()?;
        Ok(config)
    }
}

/// Deserializes a string or a list of strings into a list.
pub(crate) fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a stage id or a list of stage ids")
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<Vec<String>, E> {
            Ok(vec![s.to_string()])
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
            let mut out = Vec::new();
            while let Some(item) = seq.next_element::<String>()? {
                out.push(item);
            }
            Ok(out)
        }
    }
    d.deserialize_any(V)
}

#[cfg(test)]
pub(crate) mod tests;
