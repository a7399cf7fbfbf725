//! Behavior (engagement) points: rules per event kind in groups, with windows, repeat
//! semantics, decay per group, caps, silence deductions, a floor and a ceiling.
//!
//! How an event earns points, step by step:
//! 1. Events after `now` or without a time are ignored (counted in [`Ignored`]); events with
//!    an id already seen for the lead are duplicates and ignored (the earliest in the order
//!    time, id, kind, detail is kept).
//! 2. Per-kind daily caps: of the events of one kind on one day, only the first N count.
//! 3. In each group, the **first** rule (in config order) whose kind, `where` and window
//!    (the rule's `within_days`, and the group's window for window decay) match the event
//!    claims it; so a specific rule ("download of the price list") placed before a general one
//!    ("any download") refines it, and `search_1d` (3 points) before `search_30d` (1 point)
//!    gives recent searches more: a 10-day-old search falls through to `search_30d`. An event
//!    can earn points in several groups (three groups with 1 / 7 / 30-day windows count a
//!    search in every window it lies in). Order a group's rules from the shortest window to
//!    the longest with falling points, as the preset does, and a score only falls with time.
//! 4. The claiming rule counts the event subject to its repeat semantics: every occurrence,
//!    once per lead, or once per distinct value of a property. "Once" counts the **latest**
//!    qualifying occurrence, so re-engagement refreshes decay.
//! 5. Each counted event earns `points × decay(age)`; the group is capped; groups and the
//!    silence deduction are added; the total is clamped to `[floor, ceiling]`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::caps::CapKind;
use super::check;
use super::decay::Decay;
use super::silence::{SilenceModel, SilenceState};
pub use crate::condition::EventKinds;
use crate::condition::{Condition, EventFilter};
use crate::error::ConfigError;
use crate::event::EventKind;

/// The behavior part of a scoring model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BehaviorModel {
    /// Rule groups, in order. Each has its own decay mode and optional cap.
    #[serde(default)]
    pub groups: Vec<RuleGroup>,
    /// Per-kind daily caps: at most this many events of the kind count per day (≥ 1).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub daily_caps: BTreeMap<String, u32>,
    /// Offset from UTC of the day boundary used by daily caps, in minutes (`480` for Beijing
    /// time); between -1440 and 1440.
    #[serde(default)]
    pub utc_offset_minutes: i32,
    /// Lowest behavior score (points); `null` for none. Default 0.
    #[serde(default = "default_floor")]
    pub floor: Option<f64>,
    /// Highest behavior score (the total cap, points); `null` (default) for none.
    #[serde(default)]
    pub ceiling: Option<f64>,
    /// Silence deductions and reactivation steps.
    #[serde(default)]
    pub silence: SilenceModel,
}

fn default_floor() -> Option<f64> {
    Some(0.0)
}

impl Default for BehaviorModel {
    fn default() -> Self {
        Self {
            groups: Vec::new(),
            daily_caps: BTreeMap::new(),
            utc_offset_minutes: 0,
            floor: default_floor(),
            ceiling: None,
            silence: SilenceModel::default(),
        }
    }
}

/// A group of rules sharing a decay mode and a cap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleGroup {
    /// Unique group id.
    pub id: String,
    /// How the group's points fade with event age (none by default).
    #[serde(default)]
    pub decay: Decay,
    /// Most points the group can contribute (≥ 0); `null` for no cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<f64>,
    /// The rules, in priority order: the first rule whose kind, `where` and window match claims
    /// an event.
    pub rules: Vec<BehaviorRule>,
}

/// One behavior rule: points for events of some kinds, optionally refined.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BehaviorRule {
    /// Unique rule id (across all groups); the breakdown names lines by it.
    pub id: String,
    /// The event kinds the rule applies to: a name, a list of names or `"any"`.
    pub kind: EventKinds,
    /// A condition on the event's `properties.<key>`, `name` or `kind` (the condition
    /// language on one event) refining the rule, e.g. downloads of the price list.
    #[serde(default, rename = "where", skip_serializing_if = "Option::is_none")]
    pub filter: Option<Condition>,
    /// Points per counted event (negative for penalties such as an unsubscribe).
    pub points: f64,
    /// Only events at most this many days before `now` match the rule (older ones fall
    /// through to the group's next rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within_days: Option<f64>,
    /// Which occurrences count.
    #[serde(default, skip_serializing_if = "Repeat::is_every")]
    pub repeat: Repeat,
}

/// Which occurrences of a matching event a rule counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Repeat {
    /// Every occurrence (`"every"`, the default).
    #[default]
    Every,
    /// At most once per lead (`"once"`): the latest qualifying occurrence counts.
    Once,
    /// Once per distinct value of a property (`{"once_per": "properties.email_id"}`): the
    /// same email re-opened counts once. Events without the property share one value.
    OncePer(String),
}

impl Repeat {
    fn is_every(&self) -> bool {
        *self == Self::Every
    }

    /// The property key of [`Repeat::OncePer`].
    pub(crate) fn property(&self) -> Option<&str> {
        match self {
            Self::OncePer(p) => p.strip_prefix("properties."),
            _ => None,
        }
    }
}

/// The event kinds a rule applies to: bit `i` set for `EventKind::ALL[i]`. Unknown names are
/// `unknown_reference` and repeated names `duplicate_id`, at `path` (`path[i]` in a list).
pub fn kind_mask(kinds: &EventKinds, path: &str) -> Result<u16, ConfigError> {
    let bit = |name: &str, path: String| {
        EventKind::ALL
            .iter()
            .position(|k| k.as_str() == name)
            .map(|i| 1u16 << i)
            .ok_or_else(|| check::unknown(format!("event kind {name}"), path))
    };
    match kinds {
        EventKinds::Any => Ok((1u16 << EventKind::ALL.len()) - 1),
        EventKinds::One(name) => bit(name, path.to_string()),
        EventKinds::Many(names) => {
            if names.is_empty() {
                return Err(ConfigError::invalid("the list of kinds is empty", path));
            }
            names.iter().enumerate().try_fold(0u16, |m, (i, n)| {
                let b = bit(n, check::nth(path, i))?;
                if m & b != 0 {
                    return Err(check::duplicate(n, check::nth(path, i)));
                }
                Ok(m | b)
            })
        }
    }
}

/// Compiles a rule's `where` for per-detail evaluation: `at` and `id` differ from event to
/// event, so they cannot be tested there (use `within_days` for time).
pub(crate) fn compile_filter(c: &Condition, path: &str) -> Result<EventFilter, ConfigError> {
    let filter = EventFilter::compile_at(c, path)?;
    let mut stack = vec![(c, path.to_string())];
    while let Some((c, p)) = stack.pop() {
        if let Condition::Field { field, .. } = c
            && matches!(field.as_str(), "at" | "id")
        {
            return Err(ConfigError::invalid(
                format!(
                    "`{field}` cannot be tested in a scoring rule's `where` (it is evaluated once \
                     per distinct event detail); use the rule's `within_days` for time"
                ),
                check::at(&p, "field"),
            ));
        }
        stack.extend(
            c.children()
                .into_iter()
                .map(|(k, ch)| (ch, check::at(&p, &k))),
        );
    }
    Ok(filter)
}

impl BehaviorModel {
    /// Checks ids, kinds, numbers and schedules; `path` is the JSON path of the behavior object.
    pub fn validate_at(&self, path: &str) -> Result<(), ConfigError> {
        let mut group_ids = BTreeSet::new();
        let mut rule_ids = BTreeSet::new();
        let groups = check::at(path, "groups");
        for (gi, g) in self.groups.iter().enumerate() {
            let gp = check::nth(&groups, gi);
            check::id(&g.id, &check::at(&gp, "id"))?;
            if !group_ids.insert(g.id.as_str()) {
                return Err(check::duplicate(&g.id, check::at(&gp, "id")));
            }
            g.decay.validate_at(&check::at(&gp, "decay"))?;
            if let Some(cap) = g.cap {
                check::non_negative(cap, &check::at(&gp, "cap"))?;
            }
            let rules = check::at(&gp, "rules");
            for (ri, r) in g.rules.iter().enumerate() {
                let rp = check::nth(&rules, ri);
                check::id(&r.id, &check::at(&rp, "id"))?;
                if !rule_ids.insert(r.id.as_str()) {
                    return Err(check::duplicate(&r.id, check::at(&rp, "id")));
                }
                kind_mask(&r.kind, &check::at(&rp, "kind"))?;
                if let Some(c) = &r.filter {
                    compile_filter(c, &check::at(&rp, "where"))?;
                }
                check::points(r.points, &check::at(&rp, "points"))?;
                if let Some(w) = r.within_days {
                    check::days(w, &check::at(&rp, "within_days"))?;
                }
                if let Repeat::OncePer(p) = &r.repeat
                    && r.repeat.property().is_none_or(str::is_empty)
                {
                    return Err(ConfigError::invalid(
                        format!("`{p}` is not a property path such as `properties.email_id`"),
                        check::at(&rp, "repeat.once_per"),
                    ));
                }
            }
        }
        let caps = check::at(path, "daily_caps");
        for (kind, cap) in &self.daily_caps {
            let p = check::at(&caps, kind);
            kind_mask(&EventKinds::One(kind.clone()), &p)?;
            if *cap == 0 {
                return Err(ConfigError::invalid(
                    "a daily cap counts at least one event",
                    p,
                ));
            }
        }
        if self.utc_offset_minutes.abs() > 1440 {
            return Err(ConfigError::invalid(
                format!("`{}` minutes is more than a day", self.utc_offset_minutes),
                check::at(path, "utc_offset_minutes"),
            ));
        }
        if let Some(f) = self.floor {
            check::points(f, &check::at(path, "floor"))?;
        }
        if let Some(c) = self.ceiling {
            check::points(c, &check::at(path, "ceiling"))?;
            if self.floor.is_some_and(|f| c < f) {
                return Err(ConfigError::invalid(
                    format!("the ceiling `{c}` is below the floor"),
                    check::at(path, "ceiling"),
                ));
            }
        }
        self.silence.validate_at(&check::at(path, "silence"))
    }
}

/// A lead's behavior score as of `now`, with where every point came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BehaviorScore {
    /// The behavior score (points, rounded to 4 decimals): groups + silence, clamped.
    pub score: f64,
    /// Each group's total before and after its cap, in config order.
    pub groups: Vec<GroupScore>,
    /// One line per rule that matched at least one event, in config order.
    pub breakdown: Vec<RuleLine>,
    /// Silence state and deduction.
    pub silence: SilenceState,
    /// The floor or ceiling, when it changed the score.
    pub clamp: Option<Clamp>,
    /// Events that were not scored, by reason.
    pub ignored: Ignored,
}

/// A group's contribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GroupScore {
    /// The group id.
    pub group: String,
    /// Sum of the group's lines after decay, before the cap.
    pub points_before_cap: f64,
    /// The cap, when it was binding.
    pub cap: Option<f64>,
    /// Points the group contributes.
    pub points: f64,
}

/// Where one rule's points came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RuleLine {
    /// The rule id.
    pub rule: String,
    /// The rule's group.
    pub group: String,
    /// Events counted (after windows, repeat semantics and caps).
    pub events: u32,
    /// Matching events dropped by the per-kind daily cap.
    pub capped_events: u32,
    /// Points before decay (`events × points`).
    pub raw: f64,
    /// Effective decay factor (points after decay / raw; 1 when raw is 0).
    pub decay: f64,
    /// Caps that reduced this line, in the order they apply.
    pub caps: Vec<CapKind>,
    /// Points after decay and caps.
    pub points: f64,
}

/// The floor or ceiling applied to the total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Clamp {
    /// Which bound.
    pub bound: Bound,
    /// The total before clamping.
    pub before: f64,
}

/// A bound of the behavior score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// The floor raised the score.
    Floor,
    /// The ceiling (total cap) lowered the score.
    Ceiling,
}

/// Events left out of scoring, by reason (documented, never an error).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Ignored {
    /// Events after `now`.
    pub future: u32,
    /// Events without a timestamp (columnar input only; row events always have one).
    pub missing_time: u32,
    /// Second and later deliveries of the same event id.
    pub duplicates: u32,
}
