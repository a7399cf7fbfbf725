//! The feature spec: which features are built from a lead and its events, as JSON data.
//!
//! The same spec builds the training set and the rows to score; it is stored in the model file.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::error::{ConfigError, FieldErrorKind};
use crate::event::EventKind;
use crate::input::Config;

/// Which features to build, all computed as of a cut-off instant (events after it are ignored).
///
/// Every field has a default, so `{}` is a valid spec: counts of every non-custom event kind in
/// windows of 1, 7, 30, 180 and 365 days, recency per kind, active days in the last 365 days,
/// silence and lead age.
///
/// ```
/// use leadcore::input::Config;
/// use leadcore::predict::FeatureSpec;
/// let spec = FeatureSpec::from_json(r#"{
///     "windows_days": [7, 30],
///     "event_kinds": ["download", "search"],
///     "categorical": [{"attribute": "industry", "max_levels": 10, "min_count": 5}],
///     "numeric": [{"attribute": "employees"}],
///     "city_tier": {"attribute": "city", "tiers": {"北京": 1, "上海": 1, "杭州": 2}},
///     "source_quality": {"scores": {"sem": 0.8, "content": 0.2}},
///     "keywords": [{"attribute": "chat_tokens", "keywords": ["报价", "合同"]}]
/// }"#).unwrap();
/// assert_eq!(spec.windows_days, [7, 30]);
/// let bad = FeatureSpec::from_json(r#"{"windows_days": [7, 0]}"#).unwrap_err();
/// assert_eq!((bad.code(), bad.path.as_str()), ("invalid_value", "windows_days[1]"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FeatureSpec {
    /// Count windows in days: an event counts in window `w` when `cutoff - w days < at <= cutoff`.
    #[serde(default = "default_windows")]
    pub windows_days: Vec<u32>,
    /// Event kinds to count (default: every kind but `custom`).
    #[serde(default = "default_kinds")]
    pub event_kinds: Vec<EventKind>,
    /// Add, per kind, the days since its last event (missing when the lead never did it).
    #[serde(default = "yes")]
    pub recency: bool,
    /// Add the number of distinct calendar days with any event in this many days before the
    /// cut-off; `null` leaves the feature out.
    #[serde(default = "default_active_window")]
    pub active_days_window: Option<u32>,
    /// Offset from UTC, in minutes, of the calendar used to count active days (480 for China).
    #[serde(default)]
    pub day_offset_minutes: i32,
    /// Add the days since the lead's last event of any kind (since creation when it has none).
    #[serde(default = "yes")]
    pub silence: bool,
    /// Add the lead's age in days at the cut-off (0 when it was created after the cut-off).
    #[serde(default = "yes")]
    pub age: bool,
    /// Categorical attributes, one-hot encoded with levels learned from the training leads.
    #[serde(default)]
    pub categorical: Vec<CategoricalFeature>,
    /// Numeric attributes.
    #[serde(default)]
    pub numeric: Vec<NumericFeature>,
    /// City tier from a table the host supplies.
    #[serde(default)]
    pub city_tier: Option<CityTierFeature>,
    /// Quality score of the lead's source channel, from a channel → score map.
    #[serde(default)]
    pub source_quality: Option<SourceQualityFeature>,
    /// Keyword flags from host-tokenized text attributes.
    #[serde(default)]
    pub keywords: Vec<KeywordFeature>,
}

impl Default for FeatureSpec {
    fn default() -> Self {
        Self {
            windows_days: default_windows(),
            event_kinds: default_kinds(),
            recency: true,
            active_days_window: default_active_window(),
            day_offset_minutes: 0,
            silence: true,
            age: true,
            categorical: Vec::new(),
            numeric: Vec::new(),
            city_tier: None,
            source_quality: None,
            keywords: Vec::new(),
        }
    }
}

/// A categorical attribute, one-hot encoded.
///
/// Levels are the attribute's values among the training leads seen at least `min_count` times,
/// the `max_levels` most frequent (ties by name). Every other value (rare, unseen at training
/// time, or missing) sets the `(other)` column. A list attribute sets one column per element.
/// Names starting with `source.` read the lead's source (`source.channel`, `source.campaign`,
/// `source.utm_source`…) instead of an attribute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoricalFeature {
    /// Attribute name, or `source.<field>`.
    pub attribute: String,
    /// Most levels kept (at least 1).
    #[serde(default = "default_max_levels")]
    pub max_levels: usize,
    /// Fewest training leads a value needs to become a level (at least 1).
    #[serde(default = "one")]
    pub min_count: usize,
}

/// A numeric attribute.
///
/// Numbers are used as they are, booleans as 1 / 0, dates and date-times as days before the
/// cut-off. Anything else (text, lists, null, absent) is missing: `NaN`, which the forest routes
/// natively (each split learns where missing values go), unless `impute` gives a value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NumericFeature {
    /// Attribute name.
    pub attribute: String,
    /// Value used when the attribute is missing; `null` keeps it missing (`NaN`).
    #[serde(default)]
    pub impute: Option<f64>,
}

/// City tier (seed 001: tier-1 cities convert better) looked up in a host-supplied table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CityTierFeature {
    /// Attribute holding the city name.
    pub attribute: String,
    /// City name → tier (1 = top tier).
    pub tiers: BTreeMap<String, u32>,
    /// Tier of a city not in the table; `null` leaves it missing.
    #[serde(default)]
    pub unknown_tier: Option<u32>,
}

/// Quality score of the lead's source channel (seed 003), e.g. from the scoring engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceQualityFeature {
    /// Channel → quality score (any finite scale, e.g. 0–100 or historical conversion rate).
    pub scores: BTreeMap<String, f64>,
    /// Score of a channel not in the map, or of a lead without channel; `null` = missing.
    #[serde(default)]
    pub default: Option<f64>,
}

/// Keyword flags: one 0 / 1 column per keyword, set when the attribute's tokens contain it.
///
/// The attribute holds the host's tokens as a list of strings (a text value is split on
/// whitespace); matching is exact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeywordFeature {
    /// Attribute holding the tokens (support-chat words, form answers…).
    pub attribute: String,
    /// Keywords to flag.
    pub keywords: Vec<String>,
}

/// 1, 7, 30, 180 and 365 days — quoted (seed 001's profile counts, 「近1日…近7日…近30日」, and
/// its model features, 「近1月、6月、1年」).
fn default_windows() -> Vec<u32> {
    vec![1, 7, 30, 180, 365]
}

fn default_kinds() -> Vec<EventKind> {
    EventKind::ALL
        .into_iter()
        .filter(|k| *k != EventKind::Custom)
        .collect()
}

fn default_active_window() -> Option<u32> {
    Some(365)
}

fn default_max_levels() -> usize {
    20
}

fn yes() -> bool {
    true
}

fn one() -> usize {
    1
}

/// Longest window accepted, in days (100 years).
pub const MAX_WINDOW_DAYS: u32 = 36_500;

fn check_window(days: u32, path: String) -> Result<(), ConfigError> {
    if days == 0 || days > MAX_WINDOW_DAYS {
        return Err(ConfigError::invalid(
            format!("window of `{days}` days is outside 1..={MAX_WINDOW_DAYS}"),
            path,
        ));
    }
    Ok(())
}

fn check_name(name: &str, path: String) -> Result<(), ConfigError> {
    if name.is_empty() {
        return Err(ConfigError::invalid("attribute name is empty", path));
    }
    Ok(())
}

impl Config for FeatureSpec {
    fn validate(&self) -> Result<(), ConfigError> {
        let mut seen = BTreeSet::new();
        for (i, &w) in self.windows_days.iter().enumerate() {
            check_window(w, format!("windows_days[{i}]"))?;
            if !seen.insert(w) {
                return Err(ConfigError::new(
                    FieldErrorKind::Duplicate(w.to_string()),
                    format!("windows_days[{i}]"),
                ));
            }
        }
        let mut kinds = BTreeSet::new();
        for (i, k) in self.event_kinds.iter().enumerate() {
            if !kinds.insert(*k) {
                return Err(ConfigError::new(
                    FieldErrorKind::Duplicate(k.as_str().into()),
                    format!("event_kinds[{i}]"),
                ));
            }
        }
        if let Some(w) = self.active_days_window {
            check_window(w, "active_days_window".into())?;
        }
        if self.day_offset_minutes.abs() > 24 * 60 {
            return Err(ConfigError::invalid(
                format!(
                    "offset of `{}` minutes is outside ±1440",
                    self.day_offset_minutes
                ),
                "day_offset_minutes",
            ));
        }
        let mut names = BTreeSet::new();
        for (i, c) in self.categorical.iter().enumerate() {
            let path = format!("categorical[{i}]");
            check_name(&c.attribute, format!("{path}.attribute"))?;
            if !names.insert(("categorical", c.attribute.as_str())) {
                return Err(ConfigError::new(
                    FieldErrorKind::Duplicate(c.attribute.clone()),
                    format!("{path}.attribute"),
                ));
            }
            if c.max_levels == 0 {
                return Err(ConfigError::invalid(
                    "`0` levels",
                    format!("{path}.max_levels"),
                ));
            }
            if c.min_count == 0 {
                return Err(ConfigError::invalid(
                    "`0` minimum count",
                    format!("{path}.min_count"),
                ));
            }
        }
        for (i, n) in self.numeric.iter().enumerate() {
            let path = format!("numeric[{i}]");
            check_name(&n.attribute, format!("{path}.attribute"))?;
            if !names.insert(("numeric", n.attribute.as_str())) {
                return Err(ConfigError::new(
                    FieldErrorKind::Duplicate(n.attribute.clone()),
                    format!("{path}.attribute"),
                ));
            }
            if n.impute.is_some_and(|v| !v.is_finite()) {
                return Err(ConfigError::new(
                    FieldErrorKind::NotFinite,
                    format!("{path}.impute"),
                ));
            }
        }
        if let Some(c) = &self.city_tier {
            check_name(&c.attribute, "city_tier.attribute".into())?;
        }
        if let Some(q) = &self.source_quality {
            for (channel, score) in &q.scores {
                if !score.is_finite() {
                    return Err(ConfigError::new(
                        FieldErrorKind::NotFinite,
                        format!("source_quality.scores.{channel}"),
                    ));
                }
            }
            if q.default.is_some_and(|v| !v.is_finite()) {
                return Err(ConfigError::new(
                    FieldErrorKind::NotFinite,
                    "source_quality.default",
                ));
            }
        }
        for (i, k) in self.keywords.iter().enumerate() {
            let path = format!("keywords[{i}]");
            check_name(&k.attribute, format!("{path}.attribute"))?;
            if !names.insert(("keywords", k.attribute.as_str())) {
                return Err(ConfigError::new(
                    FieldErrorKind::Duplicate(k.attribute.clone()),
                    format!("{path}.attribute"),
                ));
            }
            let mut words = BTreeSet::new();
            for (j, w) in k.keywords.iter().enumerate() {
                if w.is_empty() {
                    return Err(ConfigError::invalid(
                        "empty keyword",
                        format!("{path}.keywords[{j}]"),
                    ));
                }
                if !words.insert(w) {
                    return Err(ConfigError::new(
                        FieldErrorKind::Duplicate(w.clone()),
                        format!("{path}.keywords[{j}]"),
                    ));
                }
            }
        }
        Ok(())
    }
}
