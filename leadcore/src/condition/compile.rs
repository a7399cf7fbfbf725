//! Validation and compilation of a [`Condition`] into an immutable evaluation tree.
//!
//! Every problem is a [`ConfigError`] with the JSON path of the bad key and a stable code:
//! `unknown_reference` (unknown field, validator or event kind), `invalid_type` (an operand of
//! the wrong type for the field or operator), `invalid_value` (empty list or string, `between`
//! with lo > hi, a non-positive window…), `not_finite`, `naive_datetime`, `duplicate_id`,
//! `missing_field`, `too_deep`.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};

use super::config::{Condition, EventCount, EventKinds, Meta, Op};
use super::value::{Operand, operand_order, temperature_from_name};
use crate::error::{ConfigError, FieldErrorKind};
use crate::event::EventKind;
use crate::lead::AttrValue;

/// Deepest nesting of conditions (`all` / `any` / `not` / `where`) a config may use.
pub const MAX_NESTING: usize = 20;

/// Longest window or age, in days, a condition may name (100 years).
pub const MAX_DAYS: f64 = 36_500.0;

/// What a condition's fields refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    Lead,
    Event,
}

/// A compiled condition node.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) info: Info,
    pub(crate) kind: Kind,
}

/// What a node reports about itself in an evaluation tree.
#[derive(Debug, Clone)]
pub(crate) struct Info {
    /// JSON path of the condition within the config (`$`, `all[2]`, `all[0].not`).
    pub(crate) path: String,
    pub(crate) id: Option<String>,
    pub(crate) label: Option<String>,
    /// One-line description of the test (`attributes.industry in ["saas","retail"]`).
    pub(crate) criterion: String,
}

#[derive(Debug, Clone)]
pub(crate) enum Kind {
    All(Vec<Node>),
    Any(Vec<Node>),
    Not(Box<Node>),
    /// The resolved field, the test, and the field path as written.
    Field(FieldRef, Test, Box<str>),
    Score(Box<str>, Test),
    Events(Box<EventsTest>),
}

/// A compiled event count.
#[derive(Debug, Clone)]
pub(crate) struct EventsTest {
    /// Bit `i` set when `EventKind::ALL[i]` is counted.
    pub(crate) mask: u16,
    pub(crate) filter: Option<Node>,
    pub(crate) window: Option<Duration>,
    pub(crate) at_least: Option<u32>,
    pub(crate) at_most: Option<u32>,
}

/// A resolved field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FieldRef {
    LeadId,
    CreatedAt,
    Owner,
    Stage,
    Temperature,
    Source(SourceField),
    SourceExtra(Box<str>),
    Attribute(Box<str>),
    Extra(Box<str>),
    EventId,
    EventKind,
    EventName,
    EventAt,
    Property(Box<str>),
}

/// The named fields of a lead's source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SourceField {
    Channel,
    Campaign,
    UtmSource,
    UtmMedium,
    UtmCampaign,
    UtmTerm,
    UtmContent,
    Referrer,
}

/// A compiled test on one value.
#[derive(Debug, Clone)]
pub(crate) enum Test {
    Eq(Operand),
    Ne(Operand),
    In(Box<[Operand]>),
    NotIn(Box<[Operand]>),
    Cmp(Cmp, Operand),
    Between(Operand, Operand),
    Exists,
    Missing,
    Contains(Box<str>),
    StartsWith(Box<str>),
    Valid(Validator),
    WithinDays(Duration),
    OlderThanDays(Duration),
}

/// An ordering comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cmp {
    Gt,
    Gte,
    Lt,
    Lte,
}

impl Cmp {
    pub(crate) fn holds(self, o: Ordering) -> bool {
        match self {
            Self::Gt => o == Ordering::Greater,
            Self::Gte => o != Ordering::Less,
            Self::Lt => o == Ordering::Less,
            Self::Lte => o != Ordering::Greater,
        }
    }

    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Self::Gt => ">",
            Self::Gte => ">=",
            Self::Lt => "<",
            Self::Lte => "<=",
        }
    }
}

/// The built-in validators (no regular expressions: each is code in [`crate::clean`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Validator {
    /// A Chinese mobile number: 11 digits, leading 1, a real carrier segment.
    CnMobile,
    /// A syntactically valid email address.
    Email,
    /// A valid email whose domain is not a free-mail provider.
    NonPersonalEmail,
}

impl Validator {
    fn from_name(name: &str) -> Option<Self> {
        match name {
            "cn_mobile" => Some(Self::CnMobile),
            "email" => Some(Self::Email),
            "non_personal_email" => Some(Self::NonPersonalEmail),
            _ => None,
        }
    }
}

/// The static type of a field, known before any lead is seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldType {
    /// Plain text (`owner`, `stage`, `source.channel`…).
    Text,
    /// An event kind name.
    Kind,
    /// A UTC instant (`created_at`, an event's `at`).
    Instant,
    /// `cold` / `warm` / `hot`, ordered.
    Temperature,
    /// Whatever the lead holds (`attributes.*`, `properties.*`, `extra.*`).
    Dynamic,
    /// A caller-supplied score.
    Score,
}

impl FieldRef {
    fn parse(path: &str, scope: Scope) -> Option<Self> {
        let key = |prefix: &str| {
            path.strip_prefix(prefix)
                .filter(|k| !k.is_empty())
                .map(Box::<str>::from)
        };
        match scope {
            Scope::Lead => Some(match path {
                "id" => Self::LeadId,
                "created_at" => Self::CreatedAt,
                "owner" => Self::Owner,
                "stage" => Self::Stage,
                "temperature" => Self::Temperature,
                "source.channel" => Self::Source(SourceField::Channel),
                "source.campaign" => Self::Source(SourceField::Campaign),
                "source.utm_source" => Self::Source(SourceField::UtmSource),
                "source.utm_medium" => Self::Source(SourceField::UtmMedium),
                "source.utm_campaign" => Self::Source(SourceField::UtmCampaign),
                "source.utm_term" => Self::Source(SourceField::UtmTerm),
                "source.utm_content" => Self::Source(SourceField::UtmContent),
                "source.referrer" => Self::Source(SourceField::Referrer),
                _ => {
                    return key("attributes.")
                        .map(Self::Attribute)
                        .or_else(|| key("source.").map(Self::SourceExtra))
                        .or_else(|| key("extra.").map(Self::Extra));
                }
            }),
            Scope::Event => Some(match path {
                "id" => Self::EventId,
                "kind" => Self::EventKind,
                "name" => Self::EventName,
                "at" => Self::EventAt,
                _ => return key("properties.").map(Self::Property),
            }),
        }
    }

    fn field_type(&self) -> FieldType {
        match self {
            Self::LeadId | Self::Owner | Self::Stage | Self::Source(_) => FieldType::Text,
            Self::EventId | Self::EventName => FieldType::Text,
            Self::EventKind => FieldType::Kind,
            Self::CreatedAt | Self::EventAt => FieldType::Instant,
            Self::Temperature => FieldType::Temperature,
            Self::SourceExtra(_) | Self::Attribute(_) | Self::Extra(_) | Self::Property(_) => {
                FieldType::Dynamic
            }
        }
    }
}

/// `base.key`, with `$` as the root.
pub(crate) fn join(base: &str, key: &str) -> String {
    if base == "$" {
        key.to_string()
    } else {
        format!("{base}.{key}")
    }
}

/// `base[i]`, with `$` as the root.
fn index(base: &str, i: usize) -> String {
    if base == "$" {
        format!("[{i}]")
    } else {
        format!("{base}[{i}]")
    }
}

fn err(kind: FieldErrorKind, path: impl Into<String>) -> ConfigError {
    ConfigError::new(kind, path)
}

fn wrong_type(msg: impl Into<String>, path: impl Into<String>) -> ConfigError {
    err(FieldErrorKind::InvalidType(msg.into()), path)
}

/// Compiles state: the ids seen so far (unique per tree).
pub(crate) struct Compiler {
    ids: BTreeSet<String>,
}

impl Compiler {
    pub(crate) fn new() -> Self {
        Self {
            ids: BTreeSet::new(),
        }
    }

    /// Compiles `c`, found at JSON path `path`, at nesting `depth` (the root is 1).
    pub(crate) fn compile(
        &mut self,
        c: &Condition,
        scope: Scope,
        path: &str,
        depth: usize,
    ) -> Result<Node, ConfigError> {
        if depth > MAX_NESTING {
            return Err(err(FieldErrorKind::TooDeep(MAX_NESTING), path));
        }
        let (id, label) = self.meta(c.meta(), path)?;
        let (kind, criterion) = match c {
            Condition::All { all, .. } | Condition::Any { any: all, .. } => {
                let key = if matches!(c, Condition::All { .. }) {
                    "all"
                } else {
                    "any"
                };
                let list_path = join(path, key);
                if all.is_empty() {
                    return Err(ConfigError::invalid(
                        format!("`{key}` needs at least one condition"),
                        list_path,
                    ));
                }
                let children = all
                    .iter()
                    .enumerate()
                    .map(|(i, child)| self.compile(child, scope, &index(&list_path, i), depth + 1))
                    .collect::<Result<Vec<_>, _>>()?;
                let criterion = format!("{key} of {}", children.len());
                let kind = if key == "all" {
                    Kind::All(children)
                } else {
                    Kind::Any(children)
                };
                (kind, criterion)
            }
            Condition::Not { not, .. } => {
                let child = self.compile(not, scope, &join(path, "not"), depth + 1)?;
                (Kind::Not(Box::new(child)), "not".to_string())
            }
            Condition::Field { field, op, .. } => {
                let field_path = join(path, "field");
                if field.trim().is_empty() {
                    return Err(ConfigError::invalid("`field` is empty", field_path));
                }
                let Some(fref) = FieldRef::parse(field, scope) else {
                    return Err(err(
                        FieldErrorKind::UnknownReference(field.clone()),
                        field_path,
                    ));
                };
                let test = compile_op(op, fref.field_type(), path)?;
                let criterion = format!("{field} {}", describe(op));
                (Kind::Field(fref, test, field.as_str().into()), criterion)
            }
            Condition::Score { score, op, .. } => {
                if scope == Scope::Event {
                    return Err(ConfigError::invalid(
                        "a `score` condition cannot test one event",
                        join(path, "score"),
                    ));
                }
                if score.trim().is_empty() {
                    return Err(ConfigError::invalid(
                        "`score` is empty",
                        join(path, "score"),
                    ));
                }
                let test = compile_op(op, FieldType::Score, path)?;
                let criterion = format!("score {score} {}", describe(op));
                (Kind::Score(score.as_str().into(), test), criterion)
            }
            Condition::Events(e) => {
                if scope == Scope::Event {
                    return Err(ConfigError::invalid(
                        "event counts cannot be nested inside `where`",
                        join(path, "events"),
                    ));
                }
                self.events(e, path, depth)?
            }
        };
        Ok(Node {
            info: Info {
                path: path.to_string(),
                id,
                label,
                criterion,
            },
            kind,
        })
    }

    fn meta(
        &mut self,
        meta: &Meta,
        path: &str,
    ) -> Result<(Option<String>, Option<String>), ConfigError> {
        if let Some(id) = &meta.id {
            if id.trim().is_empty() {
                return Err(ConfigError::invalid("`id` is empty", join(path, "id")));
            }
            if !self.ids.insert(id.clone()) {
                return Err(err(FieldErrorKind::Duplicate(id.clone()), join(path, "id")));
            }
        }
        if meta.label.as_deref().is_some_and(|l| l.trim().is_empty()) {
            return Err(ConfigError::invalid(
                "`label` is empty",
                join(path, "label"),
            ));
        }
        Ok((meta.id.clone(), meta.label.clone()))
    }

    fn events(
        &mut self,
        e: &EventCount,
        path: &str,
        depth: usize,
    ) -> Result<(Kind, String), ConfigError> {
        let kinds_path = join(path, "events");
        let mask = match &e.events {
            EventKinds::Any => u16::MAX,
            EventKinds::One(name) => kind_bit(name, &kinds_path)?,
            EventKinds::Many(names) => {
                if names.is_empty() {
                    return Err(ConfigError::invalid(
                        "`events` needs at least one kind (or `any`)",
                        kinds_path,
                    ));
                }
                let mut mask = 0u16;
                for (i, name) in names.iter().enumerate() {
                    let bit = kind_bit(name, &index(&kinds_path, i))?;
                    if mask & bit != 0 {
                        return Err(err(
                            FieldErrorKind::Duplicate(name.clone()),
                            index(&kinds_path, i),
                        ));
                    }
                    mask |= bit;
                }
                mask
            }
        };
        let window = e
            .within_days
            .map(|d| days(d, &join(path, "within_days")))
            .transpose()?;
        match (e.at_least, e.at_most) {
            (None, None) => {
                return Err(err(
                    FieldErrorKind::MissingField(
                        "missing field `at_least` or `at_most`: say how many events are needed"
                            .to_string(),
                    ),
                    path,
                ));
            }
            (Some(0), None) => {
                return Err(ConfigError::invalid(
                    "`at_least: 0` always passes: use `at_least: 1` or `at_most`",
                    join(path, "at_least"),
                ));
            }
            (Some(lo), Some(hi)) if lo > hi => {
                return Err(ConfigError::invalid(
                    format!("`at_least` ({lo}) is greater than `at_most` ({hi})"),
                    join(path, "at_least"),
                ));
            }
            _ => {}
        }
        let filter = e
            .filter
            .as_deref()
            .map(|f| self.compile(f, Scope::Event, &join(path, "where"), depth + 1))
            .transpose()?;
        let mut criterion = format!("events {}", e.events.names().join(","));
        if let Some(f) = &filter {
            criterion.push_str(&format!(" where ({})", f.info.criterion));
        }
        if let Some(d) = e.within_days {
            criterion.push_str(&format!(" within {d} days"));
        }
        match (e.at_least, e.at_most) {
            (Some(lo), Some(hi)) => criterion.push_str(&format!(": {lo} to {hi}")),
            (Some(lo), None) => criterion.push_str(&format!(": at least {lo}")),
            (None, Some(hi)) => criterion.push_str(&format!(": at most {hi}")),
            (None, None) => {}
        }
        let test = EventsTest {
            mask,
            filter,
            window,
            at_least: e.at_least,
            at_most: e.at_most,
        };
        Ok((Kind::Events(Box::new(test)), criterion))
    }
}

/// The bit of an event kind in an [`EventsTest`] mask.
pub(crate) fn bit_of(kind: EventKind) -> u16 {
    EventKind::ALL
        .iter()
        .position(|k| *k == kind)
        .map_or(0, |i| 1u16 << i)
}

fn kind_bit(name: &str, path: &str) -> Result<u16, ConfigError> {
    EventKind::ALL
        .iter()
        .find(|k| k.as_str() == name)
        .map(|k| bit_of(*k))
        .ok_or_else(|| err(FieldErrorKind::UnknownReference(name.to_string()), path))
}

/// A day count as a duration: finite, positive, at most [`MAX_DAYS`].
fn days(d: f64, path: &str) -> Result<Duration, ConfigError> {
    if !d.is_finite() {
        return Err(err(FieldErrorKind::NotFinite, path));
    }
    if d <= 0.0 || d > MAX_DAYS {
        return Err(ConfigError::invalid(
            format!("`{d}` days: expected more than 0 and at most {MAX_DAYS}"),
            path,
        ));
    }
    // Bounded above, so the cast cannot saturate.
    Ok(Duration::milliseconds((d * 86_400_000.0).round() as i64))
}

/// The config text of an operator and its operand (`in ["saas","retail"]`, `exists`).
fn describe(op: &Op) -> String {
    match op {
        Op::Exists | Op::Missing => op.name().to_string(),
        _ => format!("{} {}", op.name(), op.operand_json()),
    }
}

fn compile_op(op: &Op, ty: FieldType, path: &str) -> Result<Test, ConfigError> {
    let at = join(path, op.name());
    let scalar = |v: &AttrValue| operand(v, ty, &at);
    let text_only = |s: &str| -> Result<Box<str>, ConfigError> {
        match ty {
            FieldType::Text | FieldType::Kind | FieldType::Dynamic => {}
            _ => {
                return Err(ConfigError::invalid(
                    format!(
                        "`{}` applies to text and lists, not to {}",
                        op.name(),
                        ty.name()
                    ),
                    at.clone(),
                ));
            }
        }
        if s.trim().is_empty() {
            return Err(ConfigError::invalid(
                format!("`{}` needs a non-empty string", op.name()),
                at.clone(),
            ));
        }
        Ok(s.into())
    };
    Ok(match op {
        Op::Eq(v) => Test::Eq(scalar(v)?),
        Op::Ne(v) => Test::Ne(scalar(v)?),
        Op::In(items) | Op::NotIn(items) => {
            if items.is_empty() {
                return Err(ConfigError::invalid(
                    format!("`{}` needs at least one value", op.name()),
                    at,
                ));
            }
            let list = items
                .iter()
                .enumerate()
                .map(|(i, v)| operand(v, ty, &index(&at, i)))
                .collect::<Result<Box<[_]>, _>>()?;
            if matches!(op, Op::In(_)) {
                Test::In(list)
            } else {
                Test::NotIn(list)
            }
        }
        Op::Gt(v) | Op::Gte(v) | Op::Lt(v) | Op::Lte(v) => {
            let cmp = match op {
                Op::Gt(_) => Cmp::Gt,
                Op::Gte(_) => Cmp::Gte,
                Op::Lt(_) => Cmp::Lt,
                _ => Cmp::Lte,
            };
            Test::Cmp(cmp, ordered(scalar(v)?, op.name(), &at)?)
        }
        Op::Between(lo, hi) => {
            let lo = ordered(operand(lo, ty, &index(&at, 0))?, op.name(), &index(&at, 0))?;
            let hi = ordered(operand(hi, ty, &index(&at, 1))?, op.name(), &index(&at, 1))?;
            match operand_order(&lo, &hi) {
                None => {
                    return Err(wrong_type(
                        format!(
                            "`between` bounds must have one type, got {} and {}",
                            lo.type_name(),
                            hi.type_name()
                        ),
                        at,
                    ));
                }
                Some(Ordering::Greater) => {
                    return Err(ConfigError::invalid(
                        format!("`between` lower bound {lo} is greater than upper bound {hi}"),
                        at,
                    ));
                }
                Some(_) => Test::Between(lo, hi),
            }
        }
        Op::Exists => Test::Exists,
        Op::Missing => Test::Missing,
        Op::Contains(s) => Test::Contains(text_only(s)?),
        Op::StartsWith(s) => Test::StartsWith(text_only(s)?),
        Op::Valid(name) => {
            text_only(name)?;
            let v = Validator::from_name(name)
                .ok_or_else(|| err(FieldErrorKind::UnknownReference(name.clone()), at.clone()))?;
            Test::Valid(v)
        }
        Op::WithinDays(d) | Op::OlderThanDays(d) => {
            if !matches!(ty, FieldType::Instant | FieldType::Dynamic) {
                return Err(ConfigError::invalid(
                    format!(
                        "`{}` applies to dates and date-times, not to {}",
                        op.name(),
                        ty.name()
                    ),
                    at,
                ));
            }
            let span = days(*d, &at)?;
            if matches!(op, Op::WithinDays(_)) {
                Test::WithinDays(span)
            } else {
                Test::OlderThanDays(span)
            }
        }
    })
}

impl FieldType {
    fn name(self) -> &'static str {
        match self {
            Self::Text => "a text field",
            Self::Kind => "an event kind",
            Self::Instant => "a date-time field",
            Self::Temperature => "the temperature",
            Self::Dynamic => "a field",
            Self::Score => "a score",
        }
    }
}

fn ordered(o: Operand, op: &str, at: &str) -> Result<Operand, ConfigError> {
    if o.is_ordered() {
        Ok(o)
    } else {
        // A date-time written without an offset is its own, clearer error.
        if let Operand::Text(s) = &o
            && let Err(e) = crate::time::parse(s)
            && matches!(e.kind, FieldErrorKind::NaiveDatetime(_))
        {
            return Err(err(e.kind, at));
        }
        Err(wrong_type(
            format!(
                "`{op}` compares numbers, dates, date-times or temperatures, not a {}",
                o.type_name()
            ),
            at,
        ))
    }
}

/// A config value as an operand for a field of type `ty`.
fn operand(v: &AttrValue, ty: FieldType, at: &str) -> Result<Operand, ConfigError> {
    let o = match v {
        AttrValue::Null => {
            return Err(ConfigError::invalid(
                "a null operand never matches: use `missing`",
                at,
            ));
        }
        AttrValue::List(_) => {
            return Err(wrong_type(
                "a list is not a single value: use `in`, `not_in` or `contains`",
                at,
            ));
        }
        AttrValue::Number(n) if !n.is_finite() => {
            return Err(err(FieldErrorKind::NotFinite, at));
        }
        AttrValue::Text(s) if s.trim().is_empty() => {
            return Err(ConfigError::invalid(
                "an empty string never matches (blank values count as missing): use `missing`",
                at,
            ));
        }
        AttrValue::Number(n) => Operand::Number(*n),
        AttrValue::Bool(b) => Operand::Bool(*b),
        AttrValue::Text(s) => Operand::Text(s.as_str().into()),
        AttrValue::Date(d) => Operand::Date(*d),
        AttrValue::DateTime(t) => Operand::DateTime(*t),
    };
    let fits = match (ty, &o) {
        (FieldType::Dynamic, _) => true,
        (FieldType::Score, Operand::Number(_)) => true,
        (FieldType::Text, Operand::Text(_)) => true,
        (FieldType::Instant, Operand::Date(_) | Operand::DateTime(_)) => true,
        (FieldType::Kind, Operand::Text(name)) => {
            if EventKind::ALL.iter().any(|k| k.as_str() == &**name) {
                true
            } else {
                return Err(err(FieldErrorKind::UnknownReference(name.to_string()), at));
            }
        }
        (FieldType::Temperature, Operand::Text(name)) => {
            return temperature_from_name(name)
                .map(Operand::Temperature)
                .ok_or_else(|| {
                    ConfigError::invalid(
                        format!("unknown temperature `{name}`: expected `cold`, `warm` or `hot`"),
                        at,
                    )
                });
        }
        _ => false,
    };
    if fits {
        return Ok(o);
    }
    // A date-time written without an offset is its own, clearer error.
    if let (FieldType::Instant, Operand::Text(s)) = (ty, &o)
        && let Err(e) = crate::time::parse(s)
    {
        return Err(err(e.kind, at));
    }
    Err(wrong_type(
        format!("{} cannot be compared with a {}", ty.name(), o.type_name()),
        at,
    ))
}

/// `now - span`, or `None` when it falls before the earliest representable instant.
pub(crate) fn before(now: DateTime<Utc>, span: Duration) -> Option<DateTime<Utc>> {
    now.checked_sub_signed(span)
}
