//! The condition language: rules on leads, their events and their scores, as JSON data.
//!
//! A [`Condition`] is what a CRM stores; [`CompiledCondition`] is the immutable evaluator it is
//! compiled into once and then run many times, either on the fast boolean path
//! ([`CompiledCondition::matches`], short-circuiting, for routing and batch work) or on the
//! explained path ([`CompiledCondition::evaluate`], every criterion with pass/fail, the value seen
//! and a reason, in config order). [`EventFilter`] is the same language applied to one event
//! (`properties.<key>`, `kind`, `name`, `at`), for scoring rules.
//!
//! Semantics, in short:
//! - **Missing values** (absent, null, blank text, empty list) fail every test except `missing`;
//!   `ne` and `not_in` also need a value.
//! - **Types**: a value whose type cannot be compared with the operand (text against a number,
//!   a list against `gt`…) fails the criterion with a "type mismatch" reason; it is not an error.
//!   Text is never coerced to a number.
//! - **Text** comparisons (`eq`, `ne`, `in`, `not_in`, `contains`, `starts_with`) ignore ASCII
//!   case; other characters compare exactly. `in` / `not_in` / `contains` on a list value look at
//!   its elements. Text has no order (`gt` on text is a config error where the field is known
//!   to be text).
//! - **Dates**: `YYYY-MM-DD` and RFC 3339 strings with an offset are dates and date-times; a date
//!   against a date-time compares UTC calendar days. `within_days` / `older_than_days` are
//!   relative to `now`. `temperature` orders `cold < warm < hot`.
//! - **Events**: only events at or before `now` count (an evaluation "as of" a past `now` is
//!   exact); `within_days: d` keeps those at or after `now - d`. Events are normalized first, so
//!   order and duplicates (same id) never change a result.
//! - **Scores**: `{"score": "behavior", "gte": 50}` reads the caller's [`Scores`]; an absent
//!   score fails (except `missing`).
//! - No regular expressions: validators (`cn_mobile`, `email`, `non_personal_email`) are code in
//!   [`crate::clean`].
//!
//! ```
//! use leadcore::condition::{Condition, CompiledCondition, Facts};
//! use leadcore::input::Config;
//!
//! let rule = Condition::from_json(r#"{"all": [
//!     {"id": "industry", "field": "attributes.industry", "in": ["saas", "retail"]},
//!     {"id": "phone_valid", "field": "attributes.phone", "valid": "cn_mobile"},
//!     {"id": "engaged", "events": ["download", "form_submit"], "within_days": 30, "at_least": 2}
//! ]}"#).unwrap();
//! let compiled = CompiledCondition::new(&rule).unwrap();
//!
//! let lead: leadcore::Lead = serde_json::from_str(r#"{"id": "L1",
//!     "created_at": "2026-11-01T00:00:00Z",
//!     "attributes": {"industry": "SaaS", "phone": "138 0013 8000"}}"#).unwrap();
//! let events: Vec<leadcore::Event> = serde_json::from_str(r#"[
//!     {"id": "e1", "lead_id": "L1", "kind": "download", "at": "2026-11-10T00:00:00Z"}
//! ]"#).unwrap();
//! let now = leadcore::time::parse("2026-11-20T00:00:00Z").unwrap();
//! let scores = Default::default();
//! let facts = Facts::new(&lead, &events, now, &scores).unwrap();
//!
//! let result = compiled.evaluate(&facts);
//! assert!(!result.passed && !compiled.matches(&facts));
//! assert_eq!(result.passed_criteria, ["industry", "phone_valid"]);
//! assert_eq!(result.failed_criteria, ["engaged"]);
//! assert_eq!(result.tree.children[2].reason, "1 matching event in the 30 days up to now; at least 2 needed");
//! ```

mod compile;
mod config;
mod eval;
mod value;

use chrono::{DateTime, Utc};
use serde_json::Value;

pub use compile::{MAX_DAYS, MAX_NESTING};
pub use config::{Condition, EventCount, EventKinds, Meta, Op};
pub use eval::{Evaluation, Facts, Outcome, Scores};

use crate::error::{ConfigError, Error, FieldErrorKind, InputError};
use crate::event::Event;
use crate::input::{self, Config};
use crate::lead::Lead;
use compile::{Compiler, Node, Scope};
use eval::Target;

/// The names of the built-in validators usable with `valid`.
pub const VALIDATORS: [&str; 3] = ["cn_mobile", "email", "non_personal_email"];

/// A condition on leads, compiled: immutable, cheap to share, fast to run.
#[derive(Debug, Clone)]
pub struct CompiledCondition {
    root: Node,
}

impl CompiledCondition {
    /// Validates and compiles a condition; error paths are relative to the condition (`$`).
    pub fn new(condition: &Condition) -> Result<Self, ConfigError> {
        Self::compile_at(condition, "$")
    }

    /// Validates and compiles a condition found at JSON path `path` of a larger config, so
    /// errors and evaluation trees name paths such as `gates[1].condition.all[2].field`.
    pub fn compile_at(condition: &Condition, path: &str) -> Result<Self, ConfigError> {
        let root = Compiler::new().compile(condition, Scope::Lead, path, 1)?;
        Ok(Self { root })
    }

    /// Whether the facts meet the condition: the fast path, short-circuiting.
    pub fn matches(&self, facts: &Facts<'_>) -> bool {
        eval::matches(&self.root, Target::Lead(facts))
    }

    /// Evaluates every criterion and explains each (no short-circuit).
    pub fn evaluate(&self, facts: &Facts<'_>) -> Evaluation {
        Evaluation::from_tree(eval::explain(&self.root, Target::Lead(facts)))
    }
}

/// A condition on one event (fields `kind`, `name`, `at`, `id`, `properties.<key>`), compiled.
///
/// ```
/// use leadcore::condition::EventFilter;
/// let pricing = EventFilter::from_json(
///     r#"{"field": "properties.asset", "starts_with": "pricing"}"#).unwrap();
/// let e: leadcore::Event = serde_json::from_str(r#"{"lead_id": "L1", "kind": "download",
///     "at": "2026-11-20T00:00:00Z", "properties": {"asset": "Pricing-2026.pdf"}}"#).unwrap();
/// assert!(pricing.matches(&e, e.at));
/// ```
#[derive(Debug, Clone)]
pub struct EventFilter {
    root: Node,
}

impl EventFilter {
    /// Validates and compiles an event condition (no `score` or `events` inside).
    pub fn new(condition: &Condition) -> Result<Self, ConfigError> {
        Self::compile_at(condition, "$")
    }

    /// Validates and compiles an event condition found at JSON path `path` of a larger config.
    pub fn compile_at(condition: &Condition, path: &str) -> Result<Self, ConfigError> {
        let root = Compiler::new().compile(condition, Scope::Event, path, 1)?;
        Ok(Self { root })
    }

    /// Parses, validates and compiles an event condition from JSON text.
    ///
    /// ([`Condition`]'s own [`Config`] loaders validate it as a condition on leads.)
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        let value: Value = input::from_json(text).map_err(InputError::into_config)?;
        Self::from_value(value)
    }

    /// Parses, validates and compiles an event condition from a JSON value.
    pub fn from_value(value: Value) -> Result<Self, ConfigError> {
        Self::new(&parse(value)?)
    }

    /// Whether the event meets the condition; `now` anchors `within_days` / `older_than_days`.
    pub fn matches(&self, event: &Event, now: DateTime<Utc>) -> bool {
        eval::matches(&self.root, Target::Event(event, now))
    }

    /// Evaluates every criterion on the event and explains each.
    pub fn evaluate(&self, event: &Event, now: DateTime<Utc>) -> Evaluation {
        Evaluation::from_tree(eval::explain(&self.root, Target::Event(event, now)))
    }
}

impl Config for Condition {
    fn validate(&self) -> Result<(), ConfigError> {
        CompiledCondition::new(self).map(|_| ())
    }

    fn from_json(text: &str) -> Result<Self, ConfigError> {
        let value: Value = input::from_json(text).map_err(InputError::into_config)?;
        Self::from_value(value)
    }

    fn from_value(value: Value) -> Result<Self, ConfigError> {
        let condition = parse(value)?;
        condition.validate()?;
        Ok(condition)
    }
}

/// Reads a condition's shape (depth first, then serde) without checking it against a scope.
fn parse(value: Value) -> Result<Condition, ConfigError> {
    check_depth(&value, "$")?;
    input::from_value(value).map_err(InputError::into_config)
}

/// Refuses a raw JSON document nested deeper than [`input::MAX_DEPTH`], naming the path of the
/// first value past the limit (`too_deep`). Run it before deserializing: serde's derived code
/// recurses once per level.
pub fn check_depth(value: &Value, path: &str) -> Result<(), ConfigError> {
    let mut stack: Vec<(&Value, usize, String)> = vec![(value, 0, path.to_string())];
    while let Some((v, depth, at)) = stack.pop() {
        if depth > input::MAX_DEPTH {
            return Err(ConfigError::new(
                FieldErrorKind::TooDeep(input::MAX_DEPTH),
                at,
            ));
        }
        match v {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate().rev() {
                    let p = if at == "$" {
                        format!("[{i}]")
                    } else {
                        format!("{at}[{i}]")
                    };
                    stack.push((item, depth + 1, p));
                }
            }
            Value::Object(map) => {
                for (k, item) in map.iter().rev() {
                    stack.push((item, depth + 1, compile::join(&at, k)));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Evaluates `condition` for `lead` as of `now`: the one-call form of [`Facts::new`],
/// [`CompiledCondition::new`] and [`CompiledCondition::evaluate`].
pub fn evaluate(
    condition: &Condition,
    lead: &Lead,
    events: &[Event],
    now: DateTime<Utc>,
    scores: &Scores,
) -> Result<Evaluation, Error> {
    let compiled = CompiledCondition::new(condition)?;
    let facts = Facts::new(lead, events, now, scores)?;
    Ok(compiled.evaluate(&facts))
}

#[cfg(test)]
mod tests;
