//! Qualification: the criteria a lead must meet to pass each stage gate (MQL, SQL, SAL…), and
//! verdicts that say which criteria passed and which failed.
//!
//! A [`RuleSet`] holds one gate per pipeline stage id, each a [`Condition`]; it is data that
//! marketing and sales agree on and change. Compiled into a [`Qualifier`], it answers "does this
//! lead qualify for SQL now?" with a [`GateVerdict`]: pass/fail, the named criteria that passed
//! and failed, and the full evaluation tree.
//!
//! ```json
//! {"gates": [
//!   {"stage": "MQL", "label": "…", "condition": {"all": [
//!     {"id": "phone_valid", "field": "attributes.phone", "valid": "cn_mobile"},
//!     {"id": "wanted_item", "field": "attributes.wanted_item_id", "exists": true}]}},
//!   {"stage": "SQL", "condition": {…}}
//! ]}
//! ```
//!
//! Presets ([`RuleSet::preset`], or `{"preset": "seed_001"}` as a config) carry the seeds'
//! criteria over these lead attributes, which the host fills in:
//! - `seed_000` (MQL, SQL): `industry`, `business_types` (list: `sales`, `marketing`,
//!   `after_sales_service`), `need` (`customer_management`, `sales_management`,
//!   `marketing_management`, `service_management`), `personal_use` (bool),
//!   `open_to_sales_contact`, `crm_purchase_intent`, `willing_to_talk` (bools).
//! - `seed_001` (MQL, SQL, SAL — SAL after SQL): `phone` (checked with `cn_mobile`),
//!   `wanted_item_id`, `company`, `company_verified` (bool: the host's business-registry
//!   lookup), `industry`, `responded` (bool) or a `call` / `meeting` event in the last 30 days,
//!   `quote_reaction` (`positive`, `neutral`, `hostile`).
//! - `seed_004` (MQL, BANT-style SQL): any event in the last 90 days and `demo_requested` /
//!   `visit_accepted` (bools) or a `form_submit` event with property `form` = `demo` / `visit`;
//!   `need_match`, `process_match`, `budget_match` (bools), `purchase_timeline` (any value, e.g.
//!   a date), `contact_role` (`decision_maker`, `economic_buyer`).
//!
//! The criteria are quoted from the seeds (seed 000's 「明确需求非个人使用」, seed 001's
//! 「手機號會進行號段、長度驗證」, seed 004's
//! 「需求匹配、流程匹配、采购周期明确、预算匹配、联系人是关键角色」);
//! the two windows are assumed. 30 days for a call or meeting to count as responsive: seed 001
//! asks only that the lead talks, 「而非點擊咨詢后一言不發」. 90 days of engagement for seed 004's
//! MQL: the seed asks for interaction (「与公司产生互动」) and a demo or visit request, with no
//! period.
//!
//! ```
//! use leadcore::qualify::{RuleSet, qualify_gate};
//! let rules = RuleSet::preset("seed_001").unwrap();
//! let lead: leadcore::Lead = serde_json::from_str(r#"{"id": "L1",
//!     "created_at": "2026-11-01T00:00:00Z",
//!     "attributes": {"phone": "138 0013 8000", "wanted_item_id": "img-88231"}}"#).unwrap();
//! let now = leadcore::time::parse("2026-11-02T00:00:00Z").unwrap();
//! let verdict = qualify_gate(&rules, "SQL", &lead, &[], now, &Default::default()).unwrap();
//! assert!(!verdict.passed);
//! assert_eq!(verdict.passed_criteria, ["phone_valid", "wanted_item"]);
//! assert_eq!(verdict.failed_criteria, ["company_name", "company_verified", "industry"]);
//! ```

mod temperature;

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use temperature::{TemperatureThresholds, TemperatureVerdict, temperature};

use crate::condition::{CompiledCondition, Condition, Evaluation, Facts, Outcome, Scores};
use crate::error::{ConfigError, Error, FieldErrorKind, InputError};
use crate::event::Event;
use crate::input::{self, Config};
use crate::lead::Lead;

/// Qualification rules: one gate per pipeline stage, in the order given.
///
/// The rules are compiled once, the first time they qualify a lead, and the compiled form is
/// reused while `gates` stay as they were (a host holds one rule set for many requests).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// The gates, each keyed by the pipeline stage id it guards. Stage ids are unique.
    pub gates: Vec<Gate>,
    /// The gates as first compiled, with their compiled form.
    #[serde(skip)]
    compiled: OnceLock<Arc<(Vec<Gate>, Qualifier)>>,
}

impl PartialEq for RuleSet {
    /// Equal gates (the compiled form is a cache).
    fn eq(&self, other: &Self) -> bool {
        self.gates == other.gates
    }
}

/// The criteria for entering one stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    /// The pipeline stage id this gate guards (`MQL`, `SQL`, `SAL`…).
    pub stage: String,
    /// Human-readable description of the gate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The criteria.
    pub condition: Condition,
}

const PRESETS: [(&str, &str); 3] = [
    ("seed_000", include_str!("presets/seed_000.json")),
    ("seed_001", include_str!("presets/seed_001.json")),
    ("seed_004", include_str!("presets/seed_004.json")),
];

impl RuleSet {
    /// A rule set leadcore ships: `seed_000`, `seed_001`, `seed_004` (see the module docs).
    pub fn preset(name: &str) -> Result<Self, ConfigError> {
        let (_, text) = PRESETS.iter().find(|(n, _)| *n == name).ok_or_else(|| {
            ConfigError::new(FieldErrorKind::UnknownPreset(name.into()), "preset")
        })?;
        Self::load(input::from_json(text).map_err(InputError::into_config)?)
    }

    /// The names of the shipped presets, sorted.
    pub fn preset_names() -> &'static [&'static str] {
        &["seed_000", "seed_001", "seed_004"]
    }

    /// Rules made of `gates` (not yet validated: [`Config::validate`] or the first use does).
    pub fn new(gates: Vec<Gate>) -> Self {
        Self {
            gates,
            compiled: OnceLock::new(),
        }
    }

    /// The compiled rules: compiled on first use and kept while `gates` are unchanged.
    fn qualifier(&self) -> Result<Arc<(Vec<Gate>, Qualifier)>, ConfigError> {
        if let Some(c) = self.compiled.get()
            && c.0 == self.gates
        {
            return Ok(Arc::clone(c));
        }
        let fresh = Arc::new((self.gates.clone(), self.compile()?));
        // The first compiled form is kept; rules changed after it compile on every use.
        let _ = self.compiled.set(Arc::clone(&fresh));
        Ok(fresh)
    }

    /// Validates and compiles the rule set into a [`Qualifier`].
    pub fn compile(&self) -> Result<Qualifier, ConfigError> {
        if self.gates.is_empty() {
            return Err(ConfigError::new(
                FieldErrorKind::InvalidValue("a rule set needs at least one gate".into()),
                "gates",
            ));
        }
        let mut seen = BTreeSet::new();
        let mut gates = Vec::with_capacity(self.gates.len());
        for (i, gate) in self.gates.iter().enumerate() {
            let at = format!("gates[{i}]");
            if gate.stage.trim().is_empty() {
                return Err(ConfigError::new(
                    FieldErrorKind::InvalidValue("`stage` is empty".into()),
                    format!("{at}.stage"),
                ));
            }
            if !seen.insert(gate.stage.as_str()) {
                return Err(ConfigError::new(
                    FieldErrorKind::Duplicate(gate.stage.clone()),
                    format!("{at}.stage"),
                ));
            }
            if gate.label.as_deref().is_some_and(|l| l.trim().is_empty()) {
                return Err(ConfigError::new(
                    FieldErrorKind::InvalidValue("`label` is empty".into()),
                    format!("{at}.label"),
                ));
            }
            let condition =
                CompiledCondition::compile_at(&gate.condition, &format!("{at}.condition"))?;
            gates.push(CompiledGate {
                stage: gate.stage.clone(),
                label: gate.label.clone(),
                condition,
            });
        }
        Ok(Qualifier { gates })
    }

    fn load(value: Value) -> Result<Self, ConfigError> {
        crate::condition::check_depth(&value, "$")?;
        let rules: Self = input::from_value(value).map_err(InputError::into_config)?;
        rules.validate()?;
        Ok(rules)
    }
}

impl Config for RuleSet {
    fn validate(&self) -> Result<(), ConfigError> {
        self.compile().map(|_| ())
    }

    fn from_json(text: &str) -> Result<Self, ConfigError> {
        let value: Value = input::from_json(text).map_err(InputError::into_config)?;
        Self::from_value(value)
    }

    /// Loads `{"gates": [...]}` or `{"preset": "name"}`.
    fn from_value(value: Value) -> Result<Self, ConfigError> {
        if let Some(name) = input::preset_reference(&value)? {
            return Self::preset(&name);
        }
        Self::load(value)
    }
}

/// A compiled [`RuleSet`]: immutable, evaluates gates for any number of leads.
#[derive(Debug, Clone)]
pub struct Qualifier {
    gates: Vec<CompiledGate>,
}

#[derive(Debug, Clone)]
struct CompiledGate {
    stage: String,
    label: Option<String>,
    condition: CompiledCondition,
}

/// The verdict of one gate for one lead.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct GateVerdict {
    /// The stage the gate guards.
    pub stage: String,
    /// The gate's label, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Whether the lead meets every criterion of the gate.
    pub passed: bool,
    /// Criteria (ids, else labels, else paths) that passed, in config order.
    pub passed_criteria: Vec<String>,
    /// Criteria that failed, in config order.
    pub failed_criteria: Vec<String>,
    /// The full evaluation tree.
    pub tree: Outcome,
}

/// The verdicts of every gate for one lead.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Qualification {
    /// The stages whose gates the lead passes, in config order.
    pub qualified: Vec<String>,
    /// One verdict per gate, in config order.
    pub gates: Vec<GateVerdict>,
}

/// Why a qualification call failed.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    thiserror::Error,
    strum::IntoStaticStr,
    strum::VariantNames,
    serde::Serialize,
)]
#[strum(serialize_all = "snake_case")]
#[serde(untagged)]
pub enum QualifyError {
    /// The rule set has no gate for this stage.
    #[error("no gate for stage `{stage}`; gates: {}", crate::error::quoted(.known))]
    UnknownGate {
        /// The stage asked for.
        stage: String,
        /// The stages that have gates, in config order.
        known: Vec<String>,
    },
}

impl QualifyError {
    /// Every code a [`QualifyError`] can have.
    pub const CODES: &'static [&'static str] = <Self as strum::VariantNames>::VARIANTS;

    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        self.into()
    }

    /// The argument at fault: `gate`.
    pub fn path(&self) -> &str {
        match self {
            Self::UnknownGate { .. } => "gate",
        }
    }
}

impl Qualifier {
    /// The stage ids that have gates, in config order.
    pub fn stages(&self) -> Vec<&str> {
        self.gates.iter().map(|g| g.stage.as_str()).collect()
    }

    /// Every gate's verdict for the lead.
    pub fn qualify(&self, facts: &Facts<'_>) -> Qualification {
        let gates: Vec<GateVerdict> = self.gates.iter().map(|g| verdict(g, facts)).collect();
        let qualified = gates
            .iter()
            .filter(|v| v.passed)
            .map(|v| v.stage.clone())
            .collect();
        Qualification { qualified, gates }
    }

    /// One gate's verdict for the lead.
    pub fn qualify_gate(
        &self,
        stage: &str,
        facts: &Facts<'_>,
    ) -> Result<GateVerdict, QualifyError> {
        Ok(verdict(self.gate(stage)?, facts))
    }

    /// Whether the lead passes one gate: the fast path, no explanation.
    pub fn passes(&self, stage: &str, facts: &Facts<'_>) -> Result<bool, QualifyError> {
        Ok(self.gate(stage)?.condition.matches(facts))
    }

    fn gate(&self, stage: &str) -> Result<&CompiledGate, QualifyError> {
        self.gates
            .iter()
            .find(|g| g.stage == stage)
            .ok_or_else(|| QualifyError::UnknownGate {
                stage: stage.to_string(),
                known: self.gates.iter().map(|g| g.stage.clone()).collect(),
            })
    }
}

fn verdict(gate: &CompiledGate, facts: &Facts<'_>) -> GateVerdict {
    let Evaluation {
        passed,
        passed_criteria,
        failed_criteria,
        tree,
    } = gate.condition.evaluate(facts);
    GateVerdict {
        stage: gate.stage.clone(),
        label: gate.label.clone(),
        passed,
        passed_criteria,
        failed_criteria,
        tree,
    }
}

/// Every gate's verdict for `lead` as of `now`, in one call.
pub fn qualify(
    rules: &RuleSet,
    lead: &Lead,
    events: &[Event],
    now: DateTime<Utc>,
    scores: &Scores,
) -> Result<Qualification, Error> {
    let compiled = rules.qualifier()?;
    let facts = Facts::new(lead, events, now, scores)?;
    Ok(compiled.1.qualify(&facts))
}

/// One gate's verdict for `lead` as of `now`, in one call.
pub fn qualify_gate(
    rules: &RuleSet,
    stage: &str,
    lead: &Lead,
    events: &[Event],
    now: DateTime<Utc>,
    scores: &Scores,
) -> Result<GateVerdict, Error> {
    let compiled = rules.qualifier()?;
    let facts = Facts::new(lead, events, now, scores)?;
    Ok(compiled.1.qualify_gate(stage, &facts)?)
}

#[cfg(test)]
mod tests;
