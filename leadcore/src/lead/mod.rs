//! The lead: who it is, where it came from, what we know about it and where it stands.

mod columns;

pub use columns::{LEADS, leads_from_tables};

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A lead: one prospective buyer as the CRM knows it.
///
/// Keys the model does not name are kept in `extra` and written back unchanged.
///
/// ```
/// let lead: leadcore::Lead = serde_json::from_str(r#"{
///     "id": "L1", "created_at": "2026-11-01T09:00:00+08:00",
///     "source": {"channel": "sem", "campaign": "double11"},
///     "attributes": {"industry": "saas", "employees": 120, "phone": "138 0013 8000"},
///     "crm_row": 42
/// }"#).unwrap();
/// assert_eq!(lead.attributes["employees"], leadcore::AttrValue::Number(120.0));
/// assert_eq!(lead.extra["crm_row"], 42);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Lead {
    /// The host's id for the lead (text, or a whole number read as its text).
    #[serde(deserialize_with = "crate::input::id::deserialize")]
    #[schemars(with = "crate::input::id::IdSchema")]
    pub id: String,
    /// When the lead was first recorded.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "crate::time::InstantSchema")]
    pub created_at: DateTime<Utc>,
    /// Where the lead came from.
    #[serde(default)]
    pub source: Source,
    /// Typed facts about the lead and its company (industry, city, employees, phone…).
    #[serde(default)]
    pub attributes: BTreeMap<String, AttrValue>,
    /// The rep who owns the lead, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Current pipeline stage id; `None` before the lead enters a pipeline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// Pre-qualification temperature, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<Temperature>,
    /// Every stage change, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<StageChange>,
    /// Open rejection by sales, if the lead was rejected and its resubmission cooldown applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejection: Option<Rejection>,
    /// Keys the model does not name, kept as they came.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl Lead {
    /// A new lead with no source, attributes, owner or stage.
    pub fn new(id: impl Into<String>, created_at: DateTime<Utc>) -> Self {
        Self {
            id: id.into(),
            created_at,
            source: Source::default(),
            attributes: BTreeMap::new(),
            owner: None,
            stage: None,
            temperature: None,
            history: Vec::new(),
            rejection: None,
            extra: BTreeMap::new(),
        }
    }

    /// The attribute `name`, if present and not null.
    pub fn attr(&self, name: &str) -> Option<&AttrValue> {
        self.attributes
            .get(name)
            .filter(|v| !matches!(v, AttrValue::Null))
    }
}

/// Where a lead came from: channel, campaign and UTM parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Source {
    /// Acquisition channel (`sem`, `seo`, `event`, `referral`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Campaign id or name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
    /// `utm_source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_source: Option<String>,
    /// `utm_medium`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_medium: Option<String>,
    /// `utm_campaign`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_campaign: Option<String>,
    /// `utm_term`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_term: Option<String>,
    /// `utm_content`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_content: Option<String>,
    /// The rep who referred the lead, for rep referrals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referrer: Option<String>,
    /// Keys the model does not name, kept as they came.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl Source {
    /// The named fields of a source, in declaration order (the keys [`Source::field`] reads).
    pub const FIELDS: [&'static str; 8] = [
        "channel",
        "campaign",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_term",
        "utm_content",
        "referrer",
    ];

    /// The value of a named field (`None` for a name that is not in [`Source::FIELDS`]).
    ///
    /// ```
    /// let s: leadcore::Source = serde_json::from_str(r#"{"utm_term": "crm 软件"}"#).unwrap();
    /// assert_eq!(s.field("utm_term"), Some(&Some("crm 软件".to_string())));
    /// assert_eq!(s.field("gclid"), None);
    /// ```
    pub fn field(&self, name: &str) -> Option<&Option<String>> {
        Some(match name {
            "channel" => &self.channel,
            "campaign" => &self.campaign,
            "utm_source" => &self.utm_source,
            "utm_medium" => &self.utm_medium,
            "utm_campaign" => &self.utm_campaign,
            "utm_term" => &self.utm_term,
            "utm_content" => &self.utm_content,
            "referrer" => &self.referrer,
            _ => return None,
        })
    }
}

/// Pre-qualification temperature (seed 001): cold → warm → hot as the lead learns the product.
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
pub enum Temperature {
    /// Little or no engagement yet.
    Cold,
    /// Learning about the product.
    Warm,
    /// Ready to become an opportunity.
    Hot,
}

/// One recorded stage change: the lead's history, time-in-stage and training data come from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StageChange {
    /// Stage left; `None` for the lead's entry into the pipeline.
    #[serde(default)]
    pub from: Option<String>,
    /// Stage entered.
    pub to: String,
    /// When the change took effect (when the lead actually qualified, say).
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "crate::time::InstantSchema")]
    pub at: DateTime<Utc>,
    /// When the change was recorded; differs from `at` for back-dated changes.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "crate::time::InstantSchema")]
    pub recorded_at: DateTime<Utc>,
    /// Who made the change (a user id, `system`, a rule id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Which kind of edge was taken.
    pub edge: EdgeKind,
    /// The lead's owner when the change was made (set by `transition`): the rep a per-rep
    /// funnel credits with the stage (dimension `stage_owner`, seed 001 "以銷售為維度").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// The kind of a pipeline edge. Backward kinds require a reason.
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
pub enum EdgeKind {
    /// Entry into the pipeline.
    Enter,
    /// A normal move towards closing.
    Forward,
    /// Back one or more stages because the lead went quiet (stale SAL → SQL, seed 001).
    Downgrade,
    /// Sales rejects the lead back to marketing (seed 004).
    Reject,
    /// Back to nurturing from a later stage.
    Recycle,
    /// Out of the funnel: not a real prospect.
    Disqualify,
    /// Back in from a closed or disqualified stage.
    Reopen,
}

impl EdgeKind {
    /// Whether taking this edge needs a reason.
    pub fn requires_reason(self) -> bool {
        !matches!(self, Self::Enter | Self::Forward)
    }
}

/// An open sales rejection: when it happened, by whom, and until when resubmission waits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rejection {
    /// When sales rejected the lead.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "crate::time::InstantSchema")]
    pub at: DateTime<Utc>,
    /// The rejecting rep, who must not be the next owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// Stage the lead was rejected from.
    pub from_stage: String,
    /// Resubmission is refused before this instant unless new evidence arrived.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "crate::time::InstantSchema")]
    pub cooldown_until: DateTime<Utc>,
    /// The reason sales gave.
    pub reason: String,
}

/// A typed attribute value.
///
/// JSON booleans, numbers, strings, string arrays and null map to the obvious variants.
/// Strings in the exact forms `YYYY-MM-DD` and RFC 3339 with an offset become [`AttrValue::Date`]
/// and [`AttrValue::DateTime`], and are written back in canonical form.
#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    /// JSON null: present but unknown; conditions treat it as missing.
    Null,
    /// A boolean.
    Bool(bool),
    /// A finite number.
    Number(f64),
    /// A calendar date.
    Date(NaiveDate),
    /// An instant.
    DateTime(DateTime<Utc>),
    /// Text.
    Text(String),
    /// A list of strings (tags, business types…).
    List(Vec<String>),
}

impl AttrValue {
    /// The value as text, for strings only.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The value as a number, for numbers only.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Self::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The JSON type name used in messages (`string`, `number`…).
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool(_) => "boolean",
            Self::Number(_) => "number",
            Self::Date(_) => "date",
            Self::DateTime(_) => "datetime",
            Self::Text(_) => "string",
            Self::List(_) => "list",
        }
    }

    pub(crate) fn from_text(s: String) -> Self {
        if s.len() == 10
            && let Ok(d) = NaiveDate::parse_from_str(&s, "%Y-%m-%d")
        {
            return Self::Date(d);
        }
        if s.len() >= 20
            && s.as_bytes()
                .get(10)
                .is_some_and(|b| *b == b'T' || *b == b't')
            && let Ok(t) = DateTime::parse_from_rfc3339(&s)
        {
            return Self::DateTime(t.with_timezone(&Utc));
        }
        Self::Text(s)
    }
}

impl fmt::Display for AttrValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null => f.write_str("null"),
            Self::Bool(b) => write!(f, "{b}"),
            Self::Number(n) => write!(f, "{n}"),
            Self::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Self::DateTime(t) => f.write_str(&crate::time::format(t)),
            Self::Text(s) => f.write_str(s),
            Self::List(items) => write!(f, "[{}]", items.join(", ")),
        }
    }
}

impl Serialize for AttrValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Null => s.serialize_none(),
            Self::Bool(b) => s.serialize_bool(*b),
            Self::Number(n) => s.serialize_f64(*n),
            Self::Date(d) => s.collect_str(&d.format("%Y-%m-%d")),
            Self::DateTime(t) => s.serialize_str(&crate::time::format(t)),
            Self::Text(t) => s.serialize_str(t),
            Self::List(items) => items.serialize(s),
        }
    }
}

impl schemars::JsonSchema for AttrValue {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "AttrValue".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A typed attribute: boolean, finite number, text (dates as `YYYY-MM-DD` or RFC 3339), list of strings, or null.",
            "type": ["boolean", "number", "string", "array", "null"],
            "items": {"type": "string"},
        })
    }
}

impl<'de> Deserialize<'de> for AttrValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AttrValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean, number, string, list of strings or null")
            }
            fn visit_unit<E: de::Error>(self) -> Result<AttrValue, E> {
                Ok(AttrValue::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<AttrValue, E> {
                Ok(AttrValue::Null)
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<AttrValue, E> {
                Ok(AttrValue::Bool(b))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<AttrValue, E> {
                Ok(AttrValue::Number(n as f64))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<AttrValue, E> {
                Ok(AttrValue::Number(n as f64))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<AttrValue, E> {
                if n.is_finite() {
                    Ok(AttrValue::Number(n))
                } else {
                    Err(E::custom("number is not finite"))
                }
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<AttrValue, E> {
                Ok(AttrValue::from_text(s.to_string()))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<AttrValue, E> {
                Ok(AttrValue::from_text(s))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AttrValue, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<String>()? {
                    items.push(item);
                }
                Ok(AttrValue::List(items))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attr_values_round_trip() {
        let json = r#"{"a":true,"b":1.5,"c":"2026-01-02","d":"2026-01-02T03:04:05Z","e":"x","f":["p","q"],"g":null}"#;
        let map: BTreeMap<String, AttrValue> = serde_json::from_str(json).unwrap();
        assert!(matches!(map["c"], AttrValue::Date(_)));
        assert!(matches!(map["d"], AttrValue::DateTime(_)));
        assert_eq!(serde_json::to_string(&map).unwrap(), json);
    }

    #[test]
    fn lead_keeps_unknown_keys() {
        let json = r#"{"id":"L1","created_at":"2026-01-01T00:00:00Z","source":{"channel":"sem","gclid":"x"},"attributes":{},"crm":{"row":1}}"#;
        let lead: Lead = serde_json::from_str(json).unwrap();
        assert_eq!(lead.source.extra["gclid"], "x");
        assert_eq!(serde_json::to_string(&lead).unwrap(), json);
    }
}
