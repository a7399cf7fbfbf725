//! Fit (attribute) score: how well a lead matches the ideal customer profile — industry first,
//! then city tier, company size, role (seed 001) — and its letter grade.
//!
//! Each rule looks at one attribute and comes out as **match**, **mismatch** or **missing**.
//! A match earns the rule's points and moves a ladder grade up by `grade` thirds; a mismatch
//! earns `otherwise` (default 0) and moves it down; a missing attribute is neutral (0 points,
//! no grade change) unless the rule's (or the model's) `missing` policy says `mismatch`.
//! Fit never decays.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::check;
use super::grade::{Grade, GradeModel};
use crate::condition::{CompiledCondition, Condition, Facts, Op};
use crate::error::ConfigError;
use crate::lead::{AttrValue, Lead};

/// The fit part of a scoring model.
///
/// ```
/// use leadcore::score::fit::FitModel;
/// let m: FitModel = serde_json::from_str(r#"{"rules": [
///   {"type": "values", "id": "industry", "attribute": "industry",
///    "points": {"ad_agency": 30, "saas": 20}, "grade": 2},
///   {"type": "city_tier", "id": "city", "points": {"1": 15}, "grade": 1}
/// ]}"#).unwrap();
/// assert_eq!(m.city_tiers["上海"], 1);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FitModel {
    /// The rules, in order (the breakdown follows it).
    #[serde(default)]
    pub rules: Vec<FitRule>,
    /// What a missing attribute means for rules without their own `missing` (default neutral).
    #[serde(default)]
    pub missing: Missing,
    /// City → tier (1 = tier-1) for `city_tier` rules, supplied by the host. Names match after
    /// trimming and dropping a trailing `市`. Default: 北京, 上海, 广州, 深圳 as tier 1.
    #[serde(default = "default_city_tiers")]
    pub city_tiers: BTreeMap<String, u8>,
    /// How the letter grade is computed (default: ladder from `D`).
    #[serde(default)]
    pub grade: GradeModel,
}

/// The default city-tier table: the four tier-1 cities — quoted (seed 001: 「北上廣深」 buy more
/// than 二線、三線 cities).
pub fn default_city_tiers() -> BTreeMap<String, u8> {
    ["北京", "上海", "广州", "深圳"]
        .into_iter()
        .map(|c| (c.to_string(), 1))
        .collect()
}

impl Default for FitModel {
    fn default() -> Self {
        Self {
            rules: Vec::new(),
            missing: Missing::Neutral,
            city_tiers: default_city_tiers(),
            grade: GradeModel::default(),
        }
    }
}

/// What a missing (absent, null, blank) attribute counts as.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// No points, no grade change.
    #[default]
    Neutral,
    /// Like a value that does not match: `otherwise` points and a grade step down.
    Mismatch,
}

/// One fit rule, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum FitRule {
    /// Points per attribute value (text compared trimmed and ignoring ASCII case; numbers and
    /// booleans by their text; for a list attribute, the best-scoring listed element).
    Values {
        /// Unique rule id.
        id: String,
        /// The lead attribute (`industry`, `role`, `business_types`…).
        attribute: String,
        /// Points for each matching value.
        points: BTreeMap<String, f64>,
        /// Points when the value is present but not listed.
        #[serde(default)]
        otherwise: f64,
        /// Ladder step in thirds of a letter, 0 to 3.
        #[serde(default)]
        grade: u8,
        /// Policy for a missing attribute (default: the model's).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        missing: Option<Missing>,
    },
    /// Points by numeric band (`min` inclusive, `max` exclusive). Text that reads as a number
    /// counts as that number; other values count as missing.
    Bands {
        /// Unique rule id.
        id: String,
        /// The numeric attribute (`employees`, `annual_revenue`…).
        attribute: String,
        /// Bands, ascending and not overlapping; the first containing the value matches.
        bands: Vec<Band>,
        /// Points when the value is in no band.
        #[serde(default)]
        otherwise: f64,
        /// Ladder step in thirds of a letter, 0 to 3.
        #[serde(default)]
        grade: u8,
        /// Policy for a missing attribute (default: the model's).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        missing: Option<Missing>,
    },
    /// Points by city tier, looked up in the model's `city_tiers`.
    CityTier {
        /// Unique rule id.
        id: String,
        /// The city attribute (default `city`).
        #[serde(default = "default_city_attribute")]
        attribute: String,
        /// Points per tier, keyed by the tier number as text (`"1"`, `"2"`…).
        points: BTreeMap<String, f64>,
        /// Points for a city in no listed tier.
        #[serde(default)]
        otherwise: f64,
        /// Ladder step in thirds of a letter, 0 to 3.
        #[serde(default)]
        grade: u8,
        /// Policy for a missing attribute (default: the model's).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        missing: Option<Missing>,
    },
    /// Points when a condition on the lead holds (the condition language on lead fields; no
    /// `events` or `score` tests — fit looks at the lead alone). The rule is missing when an
    /// `attributes.<key>` it tests (other than with `exists` / `missing`) is missing.
    Condition {
        /// Unique rule id.
        id: String,
        /// The condition.
        when: Condition,
        /// Points when it holds.
        points: f64,
        /// Points when it does not.
        #[serde(default)]
        otherwise: f64,
        /// Ladder step in thirds of a letter, 0 to 3.
        #[serde(default)]
        grade: u8,
        /// Policy for a missing attribute (default: the model's).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        missing: Option<Missing>,
    },
}

fn default_city_attribute() -> String {
    "city".to_string()
}

/// A numeric band of a [`FitRule::Bands`] rule.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Lowest value (inclusive); none for no lower bound (first band only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Highest value (exclusive); none for no upper bound (last band only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Points for a value in the band.
    pub points: f64,
}

impl FitRule {
    /// The rule id.
    pub fn id(&self) -> &str {
        match self {
            Self::Values { id, .. }
            | Self::Bands { id, .. }
            | Self::CityTier { id, .. }
            | Self::Condition { id, .. } => id,
        }
    }

    /// (attribute, otherwise, grade, missing); the attribute is empty for condition rules.
    fn common(&self) -> (&str, f64, u8, Option<Missing>) {
        match self {
            Self::Condition {
                otherwise,
                grade,
                missing,
                ..
            } => ("", *otherwise, *grade, *missing),
            Self::Values {
                attribute,
                otherwise,
                grade,
                missing,
                ..
            }
            | Self::Bands {
                attribute,
                otherwise,
                grade,
                missing,
                ..
            }
            | Self::CityTier {
                attribute,
                otherwise,
                grade,
                missing,
                ..
            } => (attribute, *otherwise, *grade, *missing),
        }
    }
}

/// How one fit rule came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "FitOutcome")]
pub enum Outcome {
    /// The attribute matches.
    Match,
    /// The attribute is present and does not match.
    Mismatch,
    /// The attribute is missing.
    Missing,
}

/// A lead's fit score and grade with one line per rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FitScore {
    /// Sum of the rules' points (rounded to 4 decimals); may be negative.
    pub score: f64,
    /// The letter grade.
    pub grade: Grade,
    /// Net ladder movement in thirds of a letter (positive = up).
    pub grade_thirds: i32,
    /// One line per rule, in config order.
    pub breakdown: Vec<FitLine>,
}

/// One fit rule's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FitLine {
    /// The rule id.
    pub rule: String,
    /// Match, mismatch or missing.
    pub outcome: Outcome,
    /// The attribute value seen (`null` when missing).
    pub value: serde_json::Value,
    /// The city tier found, for `city_tier` rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<u8>,
    /// Points earned.
    pub points: f64,
    /// Ladder movement in thirds (signed).
    pub grade_thirds: i32,
}

/// Trimmed, ASCII-lowercased text used to compare attribute values with rule keys.
fn norm(text: &str) -> String {
    text.trim().to_ascii_lowercase()
}

/// A city name as looked up in the tier table: trimmed, without a trailing `市`.
fn city_key(text: &str) -> &str {
    let t = text.trim();
    t.strip_suffix('市').unwrap_or(t).trim()
}

/// Whether an attribute is missing: absent, null, blank text, or a list of blank items.
fn is_missing(value: Option<&AttrValue>) -> bool {
    match value {
        None | Some(AttrValue::Null) => true,
        Some(AttrValue::Text(s)) => s.trim().is_empty(),
        Some(AttrValue::List(items)) => items.iter().all(|s| s.trim().is_empty()),
        Some(_) => false,
    }
}

/// The best points among the value's texts (a list's elements) listed in `map`, whose keys
/// are trimmed and lowercased.
fn lookup(map: &[(String, f64)], value: &AttrValue) -> Option<f64> {
    let find = |t: &str| {
        let t = t.trim();
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(t))
            .map(|(_, p)| *p)
    };
    match value {
        AttrValue::Text(s) => find(s),
        AttrValue::List(items) => items.iter().filter_map(|s| find(s)).reduce(f64::max),
        AttrValue::Null => None,
        other => find(&other.to_string()),
    }
}

fn number(value: Option<&AttrValue>) -> Option<f64> {
    match value? {
        AttrValue::Number(n) => Some(*n),
        AttrValue::Text(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
        _ => None,
    }
}

#[derive(Debug, Clone)]
enum Test {
    /// (trimmed lowercase value, points), in key order.
    Values(Vec<(String, f64)>),
    Bands(Vec<Band>),
    CityTier(BTreeMap<u8, f64>),
    /// The condition, its points, and the attributes whose absence makes the rule missing.
    Condition(Box<CompiledCondition>, f64, Vec<String>),
}

/// Compiles a fit condition: lead fields only; returns it with the attributes it needs.
fn compile_condition(
    c: &Condition,
    path: &str,
) -> Result<(CompiledCondition, Vec<String>), ConfigError> {
    let compiled = CompiledCondition::compile_at(c, path)?;
    let mut needs = Vec::new();
    let mut stack = vec![(c, path.to_string())];
    while let Some((c, p)) = stack.pop() {
        match c {
            Condition::Score { .. } | Condition::Events(_) => {
                let key = if matches!(c, Condition::Score { .. }) {
                    "score"
                } else {
                    "events"
                };
                return Err(ConfigError::invalid(
                    "a fit rule looks at the lead alone: no `score` or `events` tests",
                    check::at(&p, key),
                ));
            }
            Condition::Field { field, op, .. } => {
                if let Some(key) = field.strip_prefix("attributes.")
                    && !matches!(op, Op::Exists | Op::Missing)
                    && !needs.iter().any(|n| n == key)
                {
                    needs.push(key.to_string());
                }
            }
            _ => {}
        }
        stack.extend(
            c.children()
                .into_iter()
                .map(|(k, ch)| (ch, check::at(&p, &k))),
        );
    }
    needs.sort();
    Ok((compiled, needs))
}

#[derive(Debug, Clone)]
struct RuleC {
    id: String,
    attribute: String,
    test: Test,
    otherwise: f64,
    grade: i32,
    missing: Missing,
}

/// A compiled fit model.
#[derive(Debug, Clone)]
pub(crate) struct FitEngine {
    rules: Vec<RuleC>,
    cities: BTreeMap<String, u8>,
    grade: GradeModel,
}

impl FitModel {
    /// Checks ids, points, bands, tiers and the grade model; `path` is the JSON path of the
    /// fit object.
    pub fn validate_at(&self, path: &str) -> Result<(), ConfigError> {
        FitEngine::new(self, path).map(|_| ())
    }
}

impl FitEngine {
    pub(crate) fn new(m: &FitModel, path: &str) -> Result<Self, ConfigError> {
        let mut cities = BTreeMap::new();
        let tiers_path = check::at(path, "city_tiers");
        for (city, tier) in &m.city_tiers {
            let p = check::at(&tiers_path, city);
            if *tier == 0 {
                return Err(ConfigError::invalid("tiers start at 1", p));
            }
            let key = city_key(city);
            if key.is_empty() {
                return Err(ConfigError::invalid("a city name is empty", p));
            }
            if cities.insert(key.to_string(), *tier).is_some() {
                return Err(check::duplicate(city, p));
            }
        }
        let mut ids = std::collections::BTreeSet::new();
        let list = check::at(path, "rules");
        let mut rules = Vec::with_capacity(m.rules.len());
        for (i, r) in m.rules.iter().enumerate() {
            let rp = check::nth(&list, i);
            check::id(r.id(), &check::at(&rp, "id"))?;
            if !ids.insert(r.id()) {
                return Err(check::duplicate(r.id(), check::at(&rp, "id")));
            }
            let (attribute, otherwise, grade, missing) = r.common();
            if attribute.trim().is_empty() && !matches!(r, FitRule::Condition { .. }) {
                return Err(ConfigError::invalid(
                    "the attribute name is empty",
                    check::at(&rp, "attribute"),
                ));
            }
            check::points(otherwise, &check::at(&rp, "otherwise"))?;
            if grade > 3 {
                return Err(ConfigError::invalid(
                    format!("`{grade}` thirds: a rule moves the grade by 0 to 3 thirds"),
                    check::at(&rp, "grade"),
                ));
            }
            let test = match r {
                FitRule::Values { points, .. } => {
                    let pp = check::at(&rp, "points");
                    if points.is_empty() {
                        return Err(ConfigError::invalid("no values listed", pp));
                    }
                    let mut map = BTreeMap::new();
                    for (value, pts) in points {
                        let vp = check::at(&pp, value);
                        check::points(*pts, &vp)?;
                        if map.insert(norm(value), *pts).is_some() {
                            return Err(check::duplicate(value, vp));
                        }
                    }
                    Test::Values(map.into_iter().collect())
                }
                FitRule::Bands { bands, .. } => {
                    let bp = check::at(&rp, "bands");
                    if bands.is_empty() {
                        return Err(ConfigError::invalid("no bands listed", bp));
                    }
                    for (j, b) in bands.iter().enumerate() {
                        let p = check::nth(&bp, j);
                        check::points(b.points, &check::at(&p, "points"))?;
                        for (key, bound) in [("min", b.min), ("max", b.max)] {
                            if let Some(x) = bound {
                                check::points(x, &check::at(&p, key))?;
                            }
                        }
                        if let (Some(lo), Some(hi)) = (b.min, b.max)
                            && lo >= hi
                        {
                            return Err(ConfigError::invalid(
                                format!("`min` {lo} is not below `max` {hi}"),
                                p,
                            ));
                        }
                        let first = j == 0;
                        let last = j + 1 == bands.len();
                        if (b.min.is_none() && !first) || (b.max.is_none() && !last) {
                            return Err(ConfigError::invalid(
                                "only the first band may omit `min` and only the last `max`",
                                p,
                            ));
                        }
                        if let Some(prev) = j.checked_sub(1).and_then(|k| bands.get(k))
                            && let (Some(pmax), Some(lo)) = (prev.max, b.min)
                            && lo < pmax
                        {
                            return Err(ConfigError::invalid(
                                format!("band overlaps the previous one (`{lo}` < `{pmax}`)"),
                                check::at(&p, "min"),
                            ));
                        }
                    }
                    Test::Bands(bands.clone())
                }
                FitRule::CityTier { points, .. } => {
                    let pp = check::at(&rp, "points");
                    if points.is_empty() {
                        return Err(ConfigError::invalid("no tiers listed", pp));
                    }
                    let mut map = BTreeMap::new();
                    for (tier, pts) in points {
                        let tp = check::at(&pp, tier);
                        let t = tier
                            .trim()
                            .parse::<u8>()
                            .ok()
                            .filter(|t| *t >= 1)
                            .ok_or_else(|| {
                                ConfigError::invalid(
                                    format!("`{tier}` is not a tier number ≥ 1"),
                                    &tp,
                                )
                            })?;
                        check::points(*pts, &tp)?;
                        if map.insert(t, *pts).is_some() {
                            return Err(check::duplicate(tier, tp));
                        }
                    }
                    Test::CityTier(map)
                }
                FitRule::Condition { when, points, .. } => {
                    check::points(*points, &check::at(&rp, "points"))?;
                    let (c, needs) = compile_condition(when, &check::at(&rp, "when"))?;
                    Test::Condition(Box::new(c), *points, needs)
                }
            };
            rules.push(RuleC {
                id: r.id().to_string(),
                attribute: attribute.to_string(),
                test,
                otherwise,
                grade: i32::from(grade),
                missing: missing.unwrap_or(m.missing),
            });
        }
        m.grade.validate_at(&check::at(path, "grade"))?;
        Ok(Self {
            rules,
            cities,
            grade: m.grade.clone(),
        })
    }

    /// (outcome, points on match, tier) for one rule.
    fn test(
        &self,
        r: &RuleC,
        lead: &Lead,
        value: Option<&AttrValue>,
        now: DateTime<Utc>,
    ) -> (Outcome, f64, Option<u8>) {
        match &r.test {
            Test::Condition(c, points, needs) => {
                if needs.iter().any(|k| is_missing(lead.attr(k))) {
                    (Outcome::Missing, 0.0, None)
                } else if c.matches(&Facts::lead_only(lead, now)) {
                    (Outcome::Match, *points, None)
                } else {
                    (Outcome::Mismatch, 0.0, None)
                }
            }
            Test::Values(map) => match value.filter(|v| !is_missing(Some(v))) {
                None => (Outcome::Missing, 0.0, None),
                Some(v) => lookup(map, v).map_or((Outcome::Mismatch, 0.0, None), |p| {
                    (Outcome::Match, p, None)
                }),
            },
            Test::Bands(bands) => match number(value) {
                None => (Outcome::Missing, 0.0, None),
                Some(x) => bands
                    .iter()
                    .find(|b| b.min.is_none_or(|lo| x >= lo) && b.max.is_none_or(|hi| x < hi))
                    .map_or((Outcome::Mismatch, 0.0, None), |b| {
                        (Outcome::Match, b.points, None)
                    }),
            },
            Test::CityTier(points) => match value.and_then(AttrValue::as_str) {
                Some(city) if !city.trim().is_empty() => {
                    let tier = self.cities.get(city_key(city)).copied();
                    match tier.and_then(|t| points.get(&t)) {
                        Some(p) => (Outcome::Match, *p, tier),
                        None => (Outcome::Mismatch, 0.0, tier),
                    }
                }
                _ => (Outcome::Missing, 0.0, None),
            },
        }
    }

    /// Scores and grades one lead as of `now` (for date tests in conditions); `explain` adds
    /// the breakdown lines.
    pub(crate) fn score(&self, lead: &Lead, now: DateTime<Utc>, explain: bool) -> FitScore {
        let mut total = 0.0;
        let mut thirds = 0;
        let mut breakdown = Vec::with_capacity(if explain { self.rules.len() } else { 0 });
        for r in &self.rules {
            let value = if r.attribute.is_empty() {
                None
            } else {
                lead.attr(&r.attribute)
            };
            let (mut outcome, mut points, tier) = self.test(r, lead, value, now);
            if outcome == Outcome::Missing && r.missing == Missing::Mismatch {
                outcome = Outcome::Mismatch;
            }
            let step = match outcome {
                Outcome::Match => r.grade,
                Outcome::Mismatch => {
                    points = r.otherwise;
                    -r.grade
                }
                Outcome::Missing => 0,
            };
            total += points;
            thirds += step;
            if explain {
                breakdown.push(FitLine {
                    rule: r.id.clone(),
                    outcome,
                    value: value.map_or(serde_json::Value::Null, crate::input::to_value),
                    tier,
                    points: check::round(points),
                    grade_thirds: step,
                });
            }
        }
        let score = check::round(total);
        FitScore {
            score,
            grade: self.grade.grade(score, thirds),
            grade_thirds: thirds,
            breakdown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lead(attrs: serde_json::Value) -> Lead {
        serde_json::from_value(serde_json::json!({
            "id": "L1", "created_at": "2026-01-01T00:00:00Z", "attributes": attrs
        }))
        .unwrap()
    }

    fn now() -> DateTime<Utc> {
        crate::time::parse("2026-02-01T00:00:00Z").unwrap()
    }

    fn model() -> FitModel {
        serde_json::from_value(serde_json::json!({"rules": [
            {"type": "values", "id": "industry", "attribute": "industry",
             "points": {"ad_agency": 30, "SaaS": 20}, "otherwise": -5, "grade": 2},
            {"type": "city_tier", "id": "city", "points": {"1": 15}, "grade": 1},
            {"type": "bands", "id": "size", "attribute": "employees",
             "bands": [{"max": 50, "points": 5}, {"min": 50, "max": 500, "points": 15}, {"min": 500, "points": 10}],
             "grade": 1, "missing": "mismatch"}
        ]}))
        .unwrap()
    }

    #[test]
    fn ladder_moves_by_thirds() {
        let e = FitEngine::new(&model(), "fit").unwrap();
        let s = e.score(
            &lead(serde_json::json!({"industry": " saas ", "city": "上海市", "employees": 120})),
            now(),
            true,
        );
        assert_eq!(s.score, 50.0);
        assert_eq!((s.grade_thirds, s.grade), (4, Grade::CPlus));
        assert_eq!(s.breakdown[1].tier, Some(1));
        // retail mismatches (-5, two thirds down), city missing is neutral, size missing is a
        // mismatch by the rule's policy
        let s = e.score(
            &lead(serde_json::json!({"industry": "retail"})),
            now(),
            true,
        );
        assert_eq!((s.score, s.grade_thirds, s.grade), (-5.0, -3, Grade::F));
        assert_eq!(s.breakdown[1].outcome, Outcome::Missing);
    }

    #[test]
    fn overlapping_bands_are_refused() {
        let mut m = model();
        if let FitRule::Bands { bands, .. } = &mut m.rules[2] {
            bands[1].min = Some(40.0);
        }
        let e = m.validate_at("fit").unwrap_err();
        assert_eq!(e.path, "fit.rules[2].bands[1].min");
    }
}
