//! The condition language as data: what a CRM stores as JSON.

use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::lead::AttrValue;

/// A condition on a lead (or, inside an event count's `where`, on one event).
///
/// Every condition is a JSON object with exactly one *subject* and, for the leaf kinds, exactly
/// one *operator*, plus an optional `id` and `label` that verdicts use to name the criterion:
///
/// | kind | JSON |
/// | --- | --- |
/// | all of | `{"all": [c1, c2]}` |
/// | any of | `{"any": [c1, c2]}` |
/// | negation | `{"not": c}` |
/// | field test | `{"field": "attributes.industry", "in": ["saas", "retail"]}` |
/// | named score | `{"score": "behavior", "gte": 50}` |
/// | event count | `{"events": ["download", "form_submit"], "where": c, "within_days": 30, "at_least": 2}` |
///
/// Operators ([`Op`]): `eq`, `ne`, `in`, `not_in`, `gt`, `gte`, `lt`, `lte`, `between`,
/// `exists`, `missing`, `contains`, `starts_with`, `valid` (a built-in validator), and for dates
/// `within_days` / `older_than_days` (relative to `now`).
///
/// ```
/// use leadcore::condition::Condition;
/// use leadcore::input::Config;
/// let c = Condition::from_json(r#"{"id": "phone_valid", "field": "attributes.phone", "valid": "cn_mobile"}"#).unwrap();
/// assert_eq!(c.meta().id.as_deref(), Some("phone_valid"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "RawCondition", into = "RawCondition")]
pub enum Condition {
    /// Passes when every child passes.
    All {
        /// The children, in order (at least one).
        all: Vec<Condition>,
        /// Optional id and label.
        meta: Meta,
    },
    /// Passes when at least one child passes.
    Any {
        /// The children, in order (at least one).
        any: Vec<Condition>,
        /// Optional id and label.
        meta: Meta,
    },
    /// Passes when the child fails.
    Not {
        /// The negated condition.
        not: Box<Condition>,
        /// Optional id and label.
        meta: Meta,
    },
    /// A test on one field of the lead (or of the event, inside `where`).
    Field {
        /// Field path: `attributes.industry`, `source.channel`, `owner`, `stage`,
        /// `temperature`, `created_at`, `id`, `extra.<key>`; inside `where`: `kind`, `name`,
        /// `at`, `id`, `properties.<key>`.
        field: String,
        /// The test applied to the field's value.
        op: Op,
        /// Optional id and label.
        meta: Meta,
    },
    /// A test on a named score the caller supplies (`behavior`, `fit`…).
    Score {
        /// Name of the score in the caller's score map.
        score: String,
        /// A numeric test: `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `between`, `exists`, `missing`.
        op: Op,
        /// Optional id and label.
        meta: Meta,
    },
    /// A count of the lead's events in a window.
    Events(EventCount),
}

/// The optional id and label of a criterion, used by verdicts ("`phone_valid` failed").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// Stable identifier, unique within one condition tree.
    pub id: Option<String>,
    /// Human-readable name.
    pub label: Option<String>,
}

/// A count of events: which kinds, which ones of them (`where`), in which window, how many.
///
/// Only events at or before `now` are counted; with `within_days` only those at or after
/// `now - within_days`. Duplicated events (same id) count once.
#[derive(Debug, Clone, PartialEq)]
pub struct EventCount {
    /// The event kinds counted.
    pub events: EventKinds,
    /// A condition each counted event must meet (fields `kind`, `name`, `at`, `id`,
    /// `properties.<key>`).
    pub filter: Option<Box<Condition>>,
    /// Window length in days before `now` (fractional allowed); `None` counts all past events.
    pub within_days: Option<f64>,
    /// Minimum count (inclusive).
    pub at_least: Option<u32>,
    /// Maximum count (inclusive); `0` expresses "no such event".
    pub at_most: Option<u32>,
    /// Optional id and label.
    pub meta: Meta,
}

/// Which event kinds an [`EventCount`] counts: `"any"`, one kind name, or a list of names.
///
/// Names are checked when the condition is validated (`unknown_reference` for a kind leadcore
/// does not know).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKinds {
    /// Every kind (`"any"`).
    Any,
    /// One kind, written as a string.
    One(String),
    /// Several kinds, written as a list.
    Many(Vec<String>),
}

/// A field or score test.
///
/// Operands are typed like lead attributes: numbers, booleans, strings, and strings in the
/// forms `YYYY-MM-DD` (dates) or RFC 3339 with an offset (date-times).
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// Equal to the operand (text ignores ASCII case).
    Eq(AttrValue),
    /// Present and not equal to the operand.
    Ne(AttrValue),
    /// Equal to one of the operands; for a list value, any element is.
    In(Vec<AttrValue>),
    /// Present and equal to none of the operands; for a list value, no element is.
    NotIn(Vec<AttrValue>),
    /// Greater than (numbers, dates, date-times, temperature).
    Gt(AttrValue),
    /// Greater than or equal.
    Gte(AttrValue),
    /// Less than.
    Lt(AttrValue),
    /// Less than or equal.
    Lte(AttrValue),
    /// Between two bounds, both inclusive.
    Between(AttrValue, AttrValue),
    /// Present (not null, not a blank string, not an empty list). Written `"exists": true`.
    Exists,
    /// Absent, null, blank or empty. Written `"missing": true`.
    Missing,
    /// Text containing the substring, or a list containing the element (ASCII case ignored).
    Contains(String),
    /// Text starting with the prefix (ASCII case ignored).
    StartsWith(String),
    /// Passes a built-in validator: `cn_mobile`, `email`, `non_personal_email`.
    Valid(String),
    /// A date or date-time no more than this many days before `now` (and not after it).
    WithinDays(f64),
    /// A date or date-time more than this many days before `now`.
    OlderThanDays(f64),
}

impl Op {
    /// The operator's JSON key (`eq`, `not_in`…).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Eq(_) => "eq",
            Self::Ne(_) => "ne",
            Self::In(_) => "in",
            Self::NotIn(_) => "not_in",
            Self::Gt(_) => "gt",
            Self::Gte(_) => "gte",
            Self::Lt(_) => "lt",
            Self::Lte(_) => "lte",
            Self::Between(..) => "between",
            Self::Exists => "exists",
            Self::Missing => "missing",
            Self::Contains(_) => "contains",
            Self::StartsWith(_) => "starts_with",
            Self::Valid(_) => "valid",
            Self::WithinDays(_) => "within_days",
            Self::OlderThanDays(_) => "older_than_days",
        }
    }

    /// The operand as JSON (`true` for `exists` / `missing`).
    pub fn operand_json(&self) -> serde_json::Value {
        use serde_json::Value;
        let v = |a: &AttrValue| match a {
            AttrValue::Number(n) => super::value::number_json(*n),
            other => crate::input::to_value(other),
        };
        match self {
            Self::Eq(a) | Self::Ne(a) | Self::Gt(a) | Self::Gte(a) | Self::Lt(a) | Self::Lte(a) => {
                v(a)
            }
            Self::In(items) | Self::NotIn(items) => Value::Array(items.iter().map(v).collect()),
            Self::Between(lo, hi) => Value::Array(vec![v(lo), v(hi)]),
            Self::Exists | Self::Missing => Value::Bool(true),
            Self::Contains(s) | Self::StartsWith(s) | Self::Valid(s) => Value::String(s.clone()),
            Self::WithinDays(d) | Self::OlderThanDays(d) => super::value::number_json(*d),
        }
    }
}

impl Condition {
    /// The condition's id and label.
    pub fn meta(&self) -> &Meta {
        match self {
            Self::All { meta, .. }
            | Self::Any { meta, .. }
            | Self::Not { meta, .. }
            | Self::Field { meta, .. }
            | Self::Score { meta, .. } => meta,
            Self::Events(e) => &e.meta,
        }
    }

    /// The conditions directly inside this one (`all`, `any`, `not`, an event count's `where`),
    /// with the JSON key that leads to each (`all[2]`, `not`, `where`).
    pub fn children(&self) -> Vec<(String, &Condition)> {
        match self {
            Self::All { all: items, .. } => items
                .iter()
                .enumerate()
                .map(|(i, c)| (format!("all[{i}]"), c))
                .collect(),
            Self::Any { any: items, .. } => items
                .iter()
                .enumerate()
                .map(|(i, c)| (format!("any[{i}]"), c))
                .collect(),
            Self::Not { not, .. } => vec![("not".to_string(), not.as_ref())],
            Self::Events(e) => e
                .filter
                .iter()
                .map(|c| ("where".to_string(), c.as_ref()))
                .collect(),
            Self::Field { .. } | Self::Score { .. } => Vec::new(),
        }
    }
}

/// The flat JSON shape every condition is read from and written to.
#[derive(Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCondition {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    all: Option<Vec<Condition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    any: Option<Vec<Condition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    not: Option<Box<Condition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    score: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    events: Option<EventKinds>,
    #[serde(default, rename = "where", skip_serializing_if = "Option::is_none")]
    filter: Option<Box<Condition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    at_least: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    at_most: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    eq: Option<AttrValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ne: Option<AttrValue>,
    #[serde(default, rename = "in", skip_serializing_if = "Option::is_none")]
    in_: Option<Vec<AttrValue>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    not_in: Option<Vec<AttrValue>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gt: Option<AttrValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gte: Option<AttrValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lt: Option<AttrValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lte: Option<AttrValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    between: Option<(AttrValue, AttrValue)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    exists: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    missing: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    contains: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    starts_with: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    valid: Option<String>,
    /// The event window for `events`, the date operator for `field`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    within_days: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    older_than_days: Option<f64>,
}

const OPERATORS: &str = "`eq`, `ne`, `in`, `not_in`, `gt`, `gte`, `lt`, `lte`, `between`, \
`exists`, `missing`, `contains`, `starts_with`, `valid`, `within_days`, `older_than_days`";

impl RawCondition {
    /// Takes the one operator out of a leaf condition; `within_days` counts as one only when
    /// `window_is_op`.
    fn take_op(&mut self, window_is_op: bool) -> Result<Option<Op>, String> {
        let mut ops: Vec<Op> = Vec::new();
        let mut push = |o: Option<Op>| ops.extend(o);
        push(self.eq.take().map(Op::Eq));
        push(self.ne.take().map(Op::Ne));
        push(self.in_.take().map(Op::In));
        push(self.not_in.take().map(Op::NotIn));
        push(self.gt.take().map(Op::Gt));
        push(self.gte.take().map(Op::Gte));
        push(self.lt.take().map(Op::Lt));
        push(self.lte.take().map(Op::Lte));
        push(self.between.take().map(|(lo, hi)| Op::Between(lo, hi)));
        for (flag, op, name) in [
            (self.exists.take(), Op::Exists, "exists"),
            (self.missing.take(), Op::Missing, "missing"),
        ] {
            match flag {
                Some(true) => ops.push(op),
                Some(false) => {
                    return Err(format!(
                        "`{name}` must be `true`: write `{}: true` for the opposite test",
                        if name == "exists" {
                            "missing"
                        } else {
                            "exists"
                        }
                    ));
                }
                None => {}
            }
        }
        let mut push = |o: Option<Op>| ops.extend(o);
        push(self.contains.take().map(Op::Contains));
        push(self.starts_with.take().map(Op::StartsWith));
        push(self.valid.take().map(Op::Valid));
        if window_is_op {
            push(self.within_days.take().map(Op::WithinDays));
        }
        push(self.older_than_days.take().map(Op::OlderThanDays));
        if ops.len() > 1 {
            let names: Vec<String> = ops.iter().map(|o| format!("`{}`", o.name())).collect();
            return Err(format!(
                "one operator per condition, found {}: combine tests with `all`",
                names.join(", ")
            ));
        }
        Ok(ops.pop())
    }

    fn meta(&mut self) -> Meta {
        Meta {
            id: self.id.take(),
            label: self.label.take(),
        }
    }

    fn leftover(&self, subject: &str) -> Result<(), String> {
        let extra = [
            ("where", self.filter.is_some()),
            ("at_least", self.at_least.is_some()),
            ("at_most", self.at_most.is_some()),
            ("within_days", self.within_days.is_some()),
        ];
        match extra.iter().find(|(_, present)| *present) {
            Some((key, _)) => Err(format!("`{key}` does not apply to a `{subject}` condition")),
            None => Ok(()),
        }
    }
}

impl TryFrom<RawCondition> for Condition {
    type Error = String;

    fn try_from(mut raw: RawCondition) -> Result<Self, String> {
        let subjects: Vec<&str> = [
            ("all", raw.all.is_some()),
            ("any", raw.any.is_some()),
            ("not", raw.not.is_some()),
            ("field", raw.field.is_some()),
            ("score", raw.score.is_some()),
            ("events", raw.events.is_some()),
        ]
        .iter()
        .filter(|(_, present)| *present)
        .map(|(name, _)| *name)
        .collect();
        let subject = match subjects.as_slice() {
            [one] => *one,
            [] => {
                return Err(
                    "missing field: a condition needs one of `all`, `any`, `not`, `field`, \
                     `score` or `events`"
                        .to_string(),
                );
            }
            many => {
                return Err(format!(
                    "a condition has exactly one of `all`, `any`, `not`, `field`, `score`, \
                     `events`; found `{}`",
                    many.join("`, `")
                ));
            }
        };
        let meta = raw.meta();
        let events_op = subject == "events";
        let op = raw.take_op(!events_op)?;
        let condition = match (subject, raw.all.take(), raw.any.take(), raw.not.take()) {
            ("all", Some(all), _, _) => Self::All { all, meta },
            ("any", _, Some(any), _) => Self::Any { any, meta },
            ("not", _, _, Some(not)) => Self::Not { not, meta },
            ("events", ..) => {
                if let Some(op) = op {
                    return Err(format!(
                        "`{}` does not apply to an `events` condition: count with `at_least` / \
                         `at_most`, filter with `where`",
                        op.name()
                    ));
                }
                let events = raw.events.take().unwrap_or(EventKinds::Any);
                return Ok(Self::Events(EventCount {
                    events,
                    filter: raw.filter.take(),
                    within_days: raw.within_days.take(),
                    at_least: raw.at_least.take(),
                    at_most: raw.at_most.take(),
                    meta,
                }));
            }
            _ => {
                raw.leftover(subject)?;
                let Some(op) = op else {
                    return Err(format!("missing field: an operator, one of {OPERATORS}"));
                };
                return Ok(match (raw.field.take(), raw.score.take()) {
                    (Some(field), _) => Self::Field { field, op, meta },
                    (_, score) => Self::Score {
                        score: score.unwrap_or_default(),
                        op,
                        meta,
                    },
                });
            }
        };
        raw.leftover(subject)?;
        if let Some(op) = op {
            return Err(format!(
                "`{}` does not apply to `{subject}`: put it in a child condition",
                op.name()
            ));
        }
        Ok(condition)
    }
}

impl From<Condition> for RawCondition {
    fn from(c: Condition) -> Self {
        let mut raw = RawCondition::default();
        let put_meta = |raw: &mut RawCondition, meta: Meta| {
            raw.id = meta.id;
            raw.label = meta.label;
        };
        match c {
            Condition::All { all, meta } => {
                raw.all = Some(all);
                put_meta(&mut raw, meta);
            }
            Condition::Any { any, meta } => {
                raw.any = Some(any);
                put_meta(&mut raw, meta);
            }
            Condition::Not { not, meta } => {
                raw.not = Some(not);
                put_meta(&mut raw, meta);
            }
            Condition::Field { field, op, meta } => {
                raw.field = Some(field);
                raw.put_op(op);
                put_meta(&mut raw, meta);
            }
            Condition::Score { score, op, meta } => {
                raw.score = Some(score);
                raw.put_op(op);
                put_meta(&mut raw, meta);
            }
            Condition::Events(e) => {
                raw.events = Some(e.events);
                raw.filter = e.filter;
                raw.within_days = e.within_days;
                raw.at_least = e.at_least;
                raw.at_most = e.at_most;
                put_meta(&mut raw, e.meta);
            }
        }
        raw
    }
}

impl RawCondition {
    fn put_op(&mut self, op: Op) {
        match op {
            Op::Eq(a) => self.eq = Some(a),
            Op::Ne(a) => self.ne = Some(a),
            Op::In(a) => self.in_ = Some(a),
            Op::NotIn(a) => self.not_in = Some(a),
            Op::Gt(a) => self.gt = Some(a),
            Op::Gte(a) => self.gte = Some(a),
            Op::Lt(a) => self.lt = Some(a),
            Op::Lte(a) => self.lte = Some(a),
            Op::Between(lo, hi) => self.between = Some((lo, hi)),
            Op::Exists => self.exists = Some(true),
            Op::Missing => self.missing = Some(true),
            Op::Contains(a) => self.contains = Some(a),
            Op::StartsWith(s) => self.starts_with = Some(s),
            Op::Valid(s) => self.valid = Some(s),
            Op::WithinDays(d) => self.within_days = Some(d),
            Op::OlderThanDays(d) => self.older_than_days = Some(d),
        }
    }
}

impl EventKinds {
    /// The kind names as written (`["any"]` for [`EventKinds::Any`]).
    pub fn names(&self) -> Vec<&str> {
        match self {
            Self::Any => vec!["any"],
            Self::One(k) => vec![k.as_str()],
            Self::Many(ks) => ks.iter().map(String::as_str).collect(),
        }
    }
}

impl Serialize for EventKinds {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Any => s.serialize_str("any"),
            Self::One(k) => s.serialize_str(k),
            Self::Many(ks) => ks.serialize(s),
        }
    }
}

impl schemars::JsonSchema for EventKinds {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "EventKinds".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Event kinds: `any`, one kind name, or a list of names.",
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
        })
    }
}

impl<'de> Deserialize<'de> for EventKinds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = EventKinds;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an event kind, a list of event kinds or `any`")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<EventKinds, E> {
                Ok(if s == "any" {
                    EventKinds::Any
                } else {
                    EventKinds::One(s.to_string())
                })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<EventKinds, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<String>()? {
                    items.push(item);
                }
                Ok(EventKinds::Many(items))
            }
        }
        d.deserialize_any(V)
    }
}
