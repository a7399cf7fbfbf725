//! Evaluation: the facts a condition is tested against, the fast boolean path and the
//! explained tree.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use super::compile::{EventsTest, FieldRef, Info, Kind, Node, SourceField, Test, Validator};
use super::compile::{before, bit_of};
use super::value::starts_with_ignore_ascii_case;
use super::value::{Operand, Seen, contains_ignore_ascii_case, equals, order};
use crate::error::{FieldErrorKind, InputError};
use crate::event::{Event, normalize};
use crate::lead::Lead;

/// Named scores the caller supplies (`behavior`, `fit`…), on whatever scale the caller uses.
pub type Scores = BTreeMap<String, f64>;

static NO_SCORES: Scores = BTreeMap::new();

/// Everything a condition may look at for one lead: the lead, its events (normalized: sorted by
/// time, one per id), the caller's scores and the evaluation instant `now`.
///
/// Build it once per lead and evaluate as many conditions against it as needed.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    lead: &'a Lead,
    events: Vec<&'a Event>,
    now: DateTime<Utc>,
    scores: &'a Scores,
}

impl<'a> Facts<'a> {
    /// The facts for `lead` as of `now`.
    ///
    /// Events may be in any order and duplicated (same id); they are normalized here. Errors:
    /// an event of another lead (`invalid_value` at `events[i].lead_id`), a NaN or infinite
    /// score (`not_finite` at `scores.<name>`).
    pub fn new(
        lead: &'a Lead,
        events: &'a [Event],
        now: DateTime<Utc>,
        scores: &'a Scores,
    ) -> Result<Self, InputError> {
        if let Some((i, e)) = events
            .iter()
            .enumerate()
            .find(|(_, e)| e.lead_id != lead.id)
        {
            return Err(InputError::new(
                FieldErrorKind::InvalidValue(format!(
                    "event of lead `{}` given for lead `{}`",
                    e.lead_id, lead.id
                )),
                format!("events[{i}].lead_id"),
            ));
        }
        if let Some((name, _)) = scores.iter().find(|(_, v)| !v.is_finite()) {
            return Err(InputError::new(
                FieldErrorKind::NotFinite,
                format!("scores.{name}"),
            ));
        }
        Ok(Self {
            lead,
            events: normalize(events),
            now,
            scores,
        })
    }

    /// The facts for a lead alone: no events, no scores (enough for routing on attributes).
    pub fn lead_only(lead: &'a Lead, now: DateTime<Utc>) -> Self {
        Self {
            lead,
            events: Vec::new(),
            now,
            scores: &NO_SCORES,
        }
    }

    /// The lead.
    pub fn lead(&self) -> &'a Lead {
        self.lead
    }

    /// The normalized events: sorted by time, one per id.
    pub fn events(&self) -> &[&'a Event] {
        &self.events
    }

    /// The evaluation instant.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// The caller's scores.
    pub fn scores(&self) -> &'a Scores {
        self.scores
    }
}

/// One criterion of an evaluation tree: what was tested, what was seen, whether it passed and
/// why. Children come in the config's order.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Outcome {
    /// JSON path of the condition within its config (`$` for the root, then `all[2]`…).
    pub path: String,
    /// The condition's `id`, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The condition's `label`, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The test in config terms (`attributes.industry in ["saas","retail"]`, `all of 3`).
    pub criterion: String,
    /// Whether the criterion passed.
    pub passed: bool,
    /// The value tested, for leaves: a field's value (`null` when missing), a score, an event
    /// count. Absent for `all` / `any` / `not`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seen: Option<Value>,
    /// Why it passed or failed, in words.
    pub reason: String,
    /// The criteria inside `all` / `any` / `not`, in config order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Outcome>,
}

impl Outcome {
    /// The name verdicts use for this criterion: its id, else its label, else its path.
    pub fn name(&self) -> &str {
        self.id
            .as_deref()
            .or(self.label.as_deref())
            .unwrap_or(&self.path)
    }

    fn is_named(&self) -> bool {
        self.id.is_some() || self.label.is_some()
    }
}

/// The result of evaluating a condition: pass/fail, the named criteria that passed and failed,
/// and the full tree.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Evaluation {
    /// Whether the whole condition passed.
    pub passed: bool,
    /// Names of the criteria that passed, in config order (see [`Evaluation::criteria`]).
    pub passed_criteria: Vec<String>,
    /// Names of the criteria that failed, in config order.
    pub failed_criteria: Vec<String>,
    /// The root criterion with its children.
    pub tree: Outcome,
}

impl Evaluation {
    /// Builds an evaluation from its tree.
    ///
    /// The criteria listed are the nodes with an `id` or `label`, and the unnamed leaves that
    /// are not inside a named node (so a named `not` is listed once, not with its inner test).
    pub fn from_tree(tree: Outcome) -> Self {
        let mut passed = Vec::new();
        let mut failed = Vec::new();
        let mut stack = vec![(&tree, false)];
        while let Some((node, inside_named)) = stack.pop() {
            let listed = node.is_named() || (!inside_named && node.children.is_empty());
            if listed {
                let list = if node.passed {
                    &mut passed
                } else {
                    &mut failed
                };
                list.push(node.name().to_string());
            }
            let inside = inside_named || node.is_named();
            stack.extend(node.children.iter().rev().map(|c| (c, inside)));
        }
        Self {
            passed: tree.passed,
            passed_criteria: passed,
            failed_criteria: failed,
            tree,
        }
    }
}

/// What a node's fields refer to while it is evaluated.
#[derive(Clone, Copy)]
pub(crate) enum Target<'f, 'a> {
    Lead(&'f Facts<'a>),
    Event(&'a Event, DateTime<Utc>),
}

impl<'a> Target<'_, 'a> {
    fn now(&self) -> DateTime<Utc> {
        match self {
            Self::Lead(f) => f.now,
            Self::Event(_, now) => *now,
        }
    }

    fn field(&self, f: &FieldRef) -> Seen<'a> {
        match self {
            Self::Lead(facts) => lead_field(facts.lead, f),
            Self::Event(e, _) => event_field(e, f),
        }
    }
}

fn lead_field<'a>(lead: &'a Lead, f: &FieldRef) -> Seen<'a> {
    let s = &lead.source;
    match f {
        FieldRef::LeadId => Seen::text(&lead.id),
        FieldRef::CreatedAt => Seen::DateTime(lead.created_at),
        FieldRef::Owner => Seen::opt_text(lead.owner.as_deref()),
        FieldRef::Stage => Seen::opt_text(lead.stage.as_deref()),
        FieldRef::Temperature => lead.temperature.map_or(Seen::Missing, Seen::Temperature),
        FieldRef::Source(sf) => Seen::opt_text(
            match sf {
                SourceField::Channel => &s.channel,
                SourceField::Campaign => &s.campaign,
                SourceField::UtmSource => &s.utm_source,
                SourceField::UtmMedium => &s.utm_medium,
                SourceField::UtmCampaign => &s.utm_campaign,
                SourceField::UtmTerm => &s.utm_term,
                SourceField::UtmContent => &s.utm_content,
                SourceField::Referrer => &s.referrer,
            }
            .as_deref(),
        ),
        FieldRef::SourceExtra(k) => Seen::json(s.extra.get(&**k)),
        FieldRef::Attribute(k) => Seen::attr(lead.attributes.get(&**k)),
        FieldRef::Extra(k) => Seen::json(lead.extra.get(&**k)),
        _ => Seen::Missing,
    }
}

fn event_field<'a>(e: &'a Event, f: &FieldRef) -> Seen<'a> {
    match f {
        FieldRef::EventId => Seen::opt_text(e.id.as_deref()),
        FieldRef::EventKind => Seen::Text(e.kind.as_str()),
        FieldRef::EventName => Seen::opt_text(e.name.as_deref()),
        FieldRef::EventAt => Seen::DateTime(e.at),
        FieldRef::Property(k) => Seen::attr(e.properties.get(&**k)),
        _ => Seen::Missing,
    }
}

/// How one test came out on one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    Pass,
    Fail,
    /// The value is missing, so the test cannot pass.
    Missing,
    /// The value's type cannot be compared with the operand.
    Mismatch,
}

impl Check {
    fn of(b: bool) -> Self {
        if b { Self::Pass } else { Self::Fail }
    }
}

/// The outcome of `Some(b)` / `None` comparisons.
fn check_of(v: Option<bool>) -> Check {
    v.map_or(Check::Mismatch, Check::of)
}

/// For `in`: `Some(true)` if any operand equals the value, `Some(false)` if some operand was
/// comparable but none equal, `None` if none was comparable.
fn any_equal(seen: &Seen<'_>, ops: &[Operand]) -> Option<bool> {
    if let Seen::List(items) = seen {
        let comparable = ops.iter().any(|o| matches!(o, Operand::Text(_)));
        if !comparable {
            return None;
        }
        return Some(items.iter().any(|s| {
            ops.iter()
                .any(|o| matches!(o, Operand::Text(t) if t.eq_ignore_ascii_case(s)))
        }));
    }
    let mut comparable = false;
    for o in ops {
        match equals(seen, o) {
            Some(true) => return Some(true),
            Some(false) => comparable = true,
            None => {}
        }
    }
    comparable.then_some(false)
}

/// A number written as the digits of a phone number (integral, non-negative, < 10^15).
fn integral_digits(n: f64) -> Option<String> {
    (n.fract() == 0.0 && (0.0..1e15).contains(&n)).then(|| format!("{}", n as u64))
}

/// A validator's verdict on a value, with the normalized form when valid.
fn validate(v: Validator, seen: &Seen<'_>) -> (Check, Option<String>) {
    let raw = match seen {
        Seen::Missing => return (Check::Missing, None),
        Seen::Text(s) => (*s).to_string(),
        Seen::Number(n) if v == Validator::CnMobile => match integral_digits(*n) {
            Some(d) => d,
            None => return (Check::Fail, None),
        },
        _ => return (Check::Mismatch, None),
    };
    let normalized = match v {
        Validator::CnMobile => crate::clean::cn_mobile(&raw),
        Validator::Email => crate::clean::email(&raw),
        Validator::NonPersonalEmail => crate::clean::email(&raw).filter(|e| {
            e.rsplit_once('@')
                .is_some_and(|(_, domain)| !crate::clean::is_personal_email_domain(domain))
        }),
    };
    (Check::of(normalized.is_some()), normalized)
}

fn check(test: &Test, seen: &Seen<'_>, now: DateTime<Utc>) -> Check {
    match (test, seen) {
        (Test::Exists, s) => Check::of(!matches!(s, Seen::Missing)),
        (Test::Missing, s) => Check::of(matches!(s, Seen::Missing)),
        (_, Seen::Missing) => Check::Missing,
        (Test::Eq(o), s) => check_of(equals(s, o)),
        (Test::Ne(o), s) => check_of(equals(s, o).map(|b| !b)),
        (Test::In(ops), s) => check_of(any_equal(s, ops)),
        (Test::NotIn(ops), s) => check_of(any_equal(s, ops).map(|b| !b)),
        (Test::Cmp(c, o), s) => check_of(order(s, o).map(|ord| c.holds(ord))),
        (Test::Between(lo, hi), s) => match (order(s, lo), order(s, hi)) {
            (Some(a), Some(b)) => Check::of(a.is_ge() && b.is_le()),
            _ => Check::Mismatch,
        },
        (Test::Contains(needle), Seen::Text(t)) => Check::of(contains_ignore_ascii_case(t, needle)),
        (Test::Contains(needle), Seen::List(items)) => {
            Check::of(items.iter().any(|s| s.eq_ignore_ascii_case(needle)))
        }
        (Test::StartsWith(prefix), Seen::Text(t)) => {
            Check::of(starts_with_ignore_ascii_case(t, prefix))
        }
        (Test::Valid(v), s) => validate(*v, s).0,
        (Test::WithinDays(span), s) => {
            let lo = before(now, *span);
            match s {
                Seen::DateTime(t) => Check::of(lo.is_none_or(|lo| *t >= lo) && *t <= now),
                Seen::Date(d) => {
                    Check::of(lo.is_none_or(|lo| *d >= lo.date_naive()) && *d <= now.date_naive())
                }
                _ => Check::Mismatch,
            }
        }
        (Test::OlderThanDays(span), s) => {
            let lo = before(now, *span);
            match s {
                Seen::DateTime(t) => Check::of(lo.is_some_and(|lo| *t < lo)),
                Seen::Date(d) => Check::of(lo.is_some_and(|lo| *d < lo.date_naive())),
                _ => Check::Mismatch,
            }
        }
        (Test::Contains(_) | Test::StartsWith(_), _) => Check::Mismatch,
    }
}

/// Counts the facts' events that an event test selects; with `early`, stops as soon as the
/// verdict is settled.
fn count_events(t: &EventsTest, facts: &Facts<'_>, early: bool) -> u32 {
    let events = &facts.events;
    let now = facts.now;
    let start = match t.window.and_then(|w| before(now, w)) {
        Some(lo) => events.partition_point(|e| e.at < lo),
        None => 0,
    };
    let end = events.partition_point(|e| e.at <= now);
    let mut count = 0u32;
    for e in events.get(start..end).unwrap_or_default() {
        if t.mask & bit_of(e.kind) == 0 {
            continue;
        }
        if let Some(f) = &t.filter
            && !matches(f, Target::Event(e, now))
        {
            continue;
        }
        count = count.saturating_add(1);
        if early {
            match (t.at_least, t.at_most) {
                (Some(lo), None) if count >= lo => break,
                (_, Some(hi)) if count > hi => break,
                _ => {}
            }
        }
    }
    count
}

fn count_passes(t: &EventsTest, count: u32) -> bool {
    t.at_least.is_none_or(|lo| count >= lo) && t.at_most.is_none_or(|hi| count <= hi)
}

/// The fast path: pass/fail only, short-circuiting, no allocation outside `valid`.
pub(crate) fn matches(node: &Node, target: Target<'_, '_>) -> bool {
    match &node.kind {
        Kind::All(children) => children.iter().all(|c| matches(c, target)),
        Kind::Any(children) => children.iter().any(|c| matches(c, target)),
        Kind::Not(child) => !matches(child, target),
        Kind::Field(f, test, _) => check(test, &target.field(f), target.now()) == Check::Pass,
        Kind::Score(name, test) => match target {
            Target::Lead(facts) => {
                let seen = facts
                    .scores
                    .get(&**name)
                    .map_or(Seen::Missing, |v| Seen::Number(*v));
                check(test, &seen, facts.now) == Check::Pass
            }
            Target::Event(..) => false,
        },
        Kind::Events(t) => match target {
            Target::Lead(facts) => count_passes(t, count_events(t, facts, true)),
            Target::Event(..) => false,
        },
    }
}

/// The explained path: every criterion evaluated (no short-circuit), with reasons.
pub(crate) fn explain(node: &Node, target: Target<'_, '_>) -> Outcome {
    let info = &node.info;
    let (passed, seen, reason, children) = match &node.kind {
        Kind::All(children) | Kind::Any(children) => {
            let outs: Vec<Outcome> = children.iter().map(|c| explain(c, target)).collect();
            let total = outs.len();
            let names = |want: bool| -> Vec<String> {
                outs.iter()
                    .filter(|o| o.passed == want)
                    .map(|o| format!("`{}`", o.name()))
                    .collect()
            };
            let is_all = matches!(node.kind, Kind::All(_));
            let (passed, reason) = if is_all {
                let failed = names(false);
                if failed.is_empty() {
                    (true, format!("all {total} criteria passed"))
                } else {
                    (
                        false,
                        format!(
                            "{} of {total} criteria failed: {}",
                            failed.len(),
                            failed.join(", ")
                        ),
                    )
                }
            } else {
                let ok = names(true);
                if ok.is_empty() {
                    (false, format!("none of {total} criteria passed"))
                } else {
                    (
                        true,
                        format!("{} of {total} criteria passed: {}", ok.len(), ok.join(", ")),
                    )
                }
            };
            (passed, None, reason, outs)
        }
        Kind::Not(child) => {
            let out = explain(child, target);
            let reason = if out.passed {
                format!("`{}` passed, so its negation fails", out.name())
            } else {
                format!("`{}` failed, so its negation passes", out.name())
            };
            (!out.passed, None, reason, vec![out])
        }
        Kind::Field(f, test, name) => {
            let seen = target.field(f);
            let subject = format!("`{name}`");
            let (passed, reason) = leaf_reason(&subject, test, &seen, target.now());
            (passed, Some(seen.to_json()), reason, Vec::new())
        }
        Kind::Score(name, test) => {
            let Target::Lead(facts) = target else {
                return leaf(info, false, None, "scores apply to leads only".to_string());
            };
            let subject = format!("score `{name}`");
            match facts.scores.get(&**name) {
                None if !matches!(test, Test::Missing) => {
                    let reason = if matches!(test, Test::Exists) {
                        format!("{subject} was not supplied")
                    } else {
                        format!("{subject} was not supplied, so it cannot be compared")
                    };
                    (false, Some(Value::Null), reason, Vec::new())
                }
                value => {
                    let seen = value.map_or(Seen::Missing, |v| Seen::Number(*v));
                    let (passed, reason) = leaf_reason(&subject, test, &seen, facts.now);
                    (passed, Some(seen.to_json()), reason, Vec::new())
                }
            }
        }
        Kind::Events(t) => {
            let Target::Lead(facts) = target else {
                return leaf(
                    info,
                    false,
                    None,
                    "event counts apply to leads only".to_string(),
                );
            };
            let count = count_events(t, facts, false);
            let passed = count_passes(t, count);
            let window = match t.window {
                Some(w) => format!("in the {} days up to now", days_text(w)),
                None => "up to now".to_string(),
            };
            let need = match (t.at_least, t.at_most) {
                (Some(lo), Some(hi)) => format!("{lo} to {hi} needed"),
                (Some(lo), None) => format!("at least {lo} needed"),
                (None, Some(hi)) => format!("at most {hi} allowed"),
                (None, None) => "any number allowed".to_string(),
            };
            let noun = if count == 1 { "event" } else { "events" };
            let reason = format!("{count} matching {noun} {window}; {need}");
            (passed, Some(Value::from(count)), reason, Vec::new())
        }
    };
    Outcome {
        path: info.path.clone(),
        id: info.id.clone(),
        label: info.label.clone(),
        criterion: info.criterion.clone(),
        passed,
        seen,
        reason,
        children,
    }
}

fn leaf(info: &Info, passed: bool, seen: Option<Value>, reason: String) -> Outcome {
    Outcome {
        path: info.path.clone(),
        id: info.id.clone(),
        label: info.label.clone(),
        criterion: info.criterion.clone(),
        passed,
        seen,
        reason,
        children: Vec::new(),
    }
}

fn days_text(d: chrono::Duration) -> String {
    let days = d.num_milliseconds() as f64 / 86_400_000.0;
    format!("{days}")
}

fn list_text(ops: &[Operand]) -> String {
    let parts: Vec<String> = ops.iter().map(ToString::to_string).collect();
    format!("[{}]", parts.join(", "))
}

fn test_text(test: &Test) -> String {
    match test {
        Test::Eq(o) => format!("equal to {o}"),
        Test::Ne(o) => format!("different from {o}"),
        Test::In(ops) => format!("one of {}", list_text(ops)),
        Test::NotIn(ops) => format!("none of {}", list_text(ops)),
        Test::Cmp(c, o) => format!("{} {o}", c.symbol()),
        Test::Between(lo, hi) => format!("between {lo} and {hi}"),
        Test::Exists => "present".to_string(),
        Test::Missing => "missing".to_string(),
        Test::Contains(s) => format!("containing `{s}`"),
        Test::StartsWith(s) => format!("starting with `{s}`"),
        Test::Valid(v) => format!("a valid {}", validator_text(*v)),
        Test::WithinDays(d) => format!("within the last {} days", days_text(*d)),
        Test::OlderThanDays(d) => format!("more than {} days old", days_text(*d)),
    }
}

fn validator_text(v: Validator) -> &'static str {
    match v {
        Validator::CnMobile => "chinese mobile number",
        Validator::Email => "email address",
        Validator::NonPersonalEmail => "non-personal email address",
    }
}

fn operand_types(test: &Test) -> String {
    let mut names: Vec<&str> = match test {
        Test::Eq(o) | Test::Ne(o) | Test::Cmp(_, o) => vec![o.type_name()],
        Test::Between(lo, hi) => vec![lo.type_name(), hi.type_name()],
        Test::In(ops) | Test::NotIn(ops) => ops.iter().map(Operand::type_name).collect(),
        Test::Contains(_) | Test::StartsWith(_) | Test::Valid(_) => vec!["string"],
        Test::WithinDays(_) | Test::OlderThanDays(_) => vec!["date"],
        Test::Exists | Test::Missing => Vec::new(),
    };
    names.sort_unstable();
    names.dedup();
    names.join(" or ")
}

fn leaf_reason(subject: &str, test: &Test, seen: &Seen<'_>, now: DateTime<Utc>) -> (bool, String) {
    let (c, normalized) = match test {
        Test::Valid(v) => validate(*v, seen),
        _ => (check(test, seen, now), None),
    };
    let want = test_text(test);
    let reason = match (c, test) {
        (Check::Pass, Test::Exists) => format!("{subject} is present: {seen}"),
        (Check::Fail, Test::Exists) => format!("{subject} is missing"),
        (Check::Pass, Test::Missing) => format!("{subject} is missing"),
        (Check::Fail, Test::Missing) => format!("{subject} is present: {seen}"),
        (Check::Pass, Test::Valid(_)) => match normalized {
            Some(n) => format!("{subject} is {seen}, {want} (normalized `{n}`)"),
            None => format!("{subject} is {seen}, {want}"),
        },
        (Check::Pass, _) => format!("{subject} is {seen}, {want}"),
        (Check::Fail, _) => format!("{subject} is {seen}, not {want}"),
        (Check::Missing, _) => format!("{subject} is missing, so it cannot be {want}"),
        (Check::Mismatch, _) => format!(
            "{subject} is a {} ({seen}), which cannot be compared with a {}: type mismatch",
            seen.type_name(),
            operand_types(test)
        ),
    };
    (c == Check::Pass, reason)
}
