//! Converting a qualified lead into account + contact + opportunity ("one becomes three",
//! seed 002), by a field mapping that is data.
//!
//! ```
//! use leadcore::convert::{FieldMapping, convert_lead};
//! use leadcore::input::Config;
//!
//! let mapping = FieldMapping::from_json(r#"{"fields": [
//!   {"from": "attributes.company", "to": "account.name", "required": true},
//!   {"from": ["attributes.contact_name", "attributes.name"], "to": "contact.name", "required": true},
//!   {"from": "attributes.phone", "to": "contact.phone"},
//!   {"from": "source.channel", "to": "opportunity.source", "default": "unknown"},
//!   {"value": "Qualify", "to": "opportunity.stage"},
//!   {"from": "id", "to": "opportunity.lead_id"}
//! ]}"#).unwrap();
//! let lead: leadcore::Lead = serde_json::from_str(r#"{"id": "L1", "created_at": "2026-11-01T00:00:00Z",
//!   "attributes": {"company": "杭州某某科技有限公司", "name": "王伟"}}"#).unwrap();
//! let three = convert_lead(&mapping, &lead).unwrap();
//! assert_eq!(three.contact["name"], "王伟");
//! assert_eq!(three.opportunity["source"], "unknown");
//! assert!(!three.contact.contains_key("phone"));
//!
//! let no_company: leadcore::Lead = serde_json::from_str(r#"{"id": "L2", "created_at": "2026-11-01T00:00:00Z"}"#).unwrap();
//! let err = convert_lead(&mapping, &no_company).unwrap_err();
//! assert_eq!((err.code(), err.field()), ("missing_required_field", Some("account.name")));
//! ```

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{ConfigError, FieldErrorKind, InputError};
use crate::input::preset_reference;
use crate::input::{self, Config, to_value};
use crate::lead::{AttrValue, Lead};
use crate::pipeline::one_or_many;

/// Which of the three records a mapped field goes to.
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
pub enum TargetObject {
    /// The company.
    Account,
    /// The person.
    Contact,
    /// The deal.
    Opportunity,
}

impl TargetObject {
    fn parse(name: &str) -> Option<Self> {
        match name {
            "account" => Some(Self::Account),
            "contact" => Some(Self::Contact),
            "opportunity" => Some(Self::Opportunity),
            _ => None,
        }
    }
}

/// How a lead's fields become account, contact and opportunity fields.
///
/// JSON: `{"from_stages": ["SQL", "SAL"], "fields": [FieldRule…]}` or `{"preset": "standard"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldMapping {
    /// Stages a lead must be in to be converted; empty means any stage (or none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from_stages: Vec<String>,
    /// The field rules, applied in order.
    pub fields: Vec<FieldRule>,
}

/// One target field: where its value comes from.
///
/// `from` takes a source path or a list of them (the first with a value wins); `value` is a
/// constant instead. Source paths: `id`, `created_at`, `owner`, `stage`, `temperature`,
/// `source.<key>` (channel, campaign, utm_…, or any other source key), `attributes.<name>`,
/// `extra.<key>` (top-level keys the lead model does not name). A source is missing when absent,
/// null, a blank string or an empty list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldRule {
    /// Source paths, tried in order.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub from: Vec<String>,
    /// A constant value instead of a source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// The value to use when every source is missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// Target `<object>.<field>`, object one of `account`, `contact`, `opportunity`.
    pub to: String,
    /// Whether conversion fails when no value (nor default) is found.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Where one target field's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ValueSource {
    /// A field of the lead (see `from`).
    Lead,
    /// The rule's `default`.
    Default,
    /// The rule's constant `value`.
    Value,
    /// Nothing: the optional field was left out.
    Missing,
}

/// The outcome of one field rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldOutcome {
    /// Target `<object>.<field>`.
    pub to: String,
    /// Where the value came from.
    pub source: ValueSource,
    /// The source path used, when it came from the lead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}

/// The three records a lead becomes, as JSON objects with sorted keys, and how each field was
/// filled (in mapping order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Converted {
    /// The account (company) record.
    pub account: BTreeMap<String, Value>,
    /// The contact (person) record.
    pub contact: BTreeMap<String, Value>,
    /// The opportunity (deal) record.
    pub opportunity: BTreeMap<String, Value>,
    /// How each target field was filled.
    pub fields: Vec<FieldOutcome>,
}

/// Why a lead could not be converted.
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
pub enum ConversionError {
    /// A required target field found no value and has no default.
    #[error("required field `{field}` has no value (looked at {})", crate::error::quoted(.from))]
    MissingRequiredField {
        /// Target `<object>.<field>`.
        field: String,
        /// The source paths tried.
        from: Vec<String>,
    },
    /// The lead is not in a stage the mapping converts from.
    #[error("a lead in `{}` cannot be converted; convertible stages: {}", .stage.as_deref().unwrap_or("no stage"), crate::error::quoted(.allowed))]
    StageNotConvertible {
        /// The lead's stage.
        stage: Option<String>,
        /// The mapping's `from_stages`.
        allowed: Vec<String>,
    },
}

impl ConversionError {
    /// Every code a [`ConversionError`] can have.
    pub const CODES: &'static [&'static str] = <Self as strum::VariantNames>::VARIANTS;

    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        self.into()
    }

    /// The lead field at fault: the first source a required field looked at
    /// (`lead.attributes.company`; `lead` when it has none), or `lead.stage`.
    pub fn path(&self) -> Cow<'_, str> {
        match self {
            Self::MissingRequiredField { from, .. } => match from.first() {
                Some(source) => Cow::Owned(crate::error::join_path("lead", source)),
                None => Cow::Borrowed("lead"),
            },
            Self::StageNotConvertible { .. } => Cow::Borrowed("lead.stage"),
        }
    }

    /// The target field a `missing_required_field` error names.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::MissingRequiredField { field, .. } => Some(field),
            Self::StageNotConvertible { .. } => None,
        }
    }
}

/// Converts `lead` into account, contact and opportunity records by `mapping`.
///
/// Rules apply in order; a field whose sources are all missing takes its `default`, or is left
/// out, or (when `required`) fails the conversion naming the field. Values keep their JSON form
/// (attribute dates as `YYYY-MM-DD`, instants as RFC 3339 UTC).
pub fn convert_lead(mapping: &FieldMapping, lead: &Lead) -> Result<Converted, ConversionError> {
    if !mapping.from_stages.is_empty()
        && !lead
            .stage
            .as_ref()
            .is_some_and(|s| mapping.from_stages.contains(s))
    {
        return Err(ConversionError::StageNotConvertible {
            stage: lead.stage.clone(),
            allowed: mapping.from_stages.clone(),
        });
    }
    let mut out = Converted {
        account: BTreeMap::new(),
        contact: BTreeMap::new(),
        opportunity: BTreeMap::new(),
        fields: Vec::new(),
    };
    for rule in &mapping.fields {
        let Some((object, field)) = split_target(&rule.to) else {
            continue;
        };
        let found = rule
            .from
            .iter()
            .find_map(|path| lookup(lead, path).map(|v| (path, v)));
        let (value, source, from) = match (found, &rule.value, &rule.default) {
            (_, Some(constant), _) => (Some(constant.clone()), ValueSource::Value, None),
            (Some((path, v)), None, _) => (Some(v), ValueSource::Lead, Some(path.clone())),
            (None, None, Some(default)) => (Some(default.clone()), ValueSource::Default, None),
            (None, None, None) if rule.required => {
                return Err(ConversionError::MissingRequiredField {
                    field: rule.to.clone(),
                    from: rule.from.clone(),
                });
            }
            (None, None, None) => (None, ValueSource::Missing, None),
        };
        if let Some(value) = value {
            let record = match object {
                TargetObject::Account => &mut out.account,
                TargetObject::Contact => &mut out.contact,
                TargetObject::Opportunity => &mut out.opportunity,
            };
            record.insert(field.to_string(), value);
        }
        out.fields.push(FieldOutcome {
            to: rule.to.clone(),
            source,
            from,
        });
    }
    Ok(out)
}

fn split_target(to: &str) -> Option<(TargetObject, &str)> {
    let (object, field) = to.split_once('.')?;
    let object = TargetObject::parse(object)?;
    (!field.is_empty() && !field.contains('.') && field.trim() == field).then_some((object, field))
}

/// The value at a source path, `None` when missing (absent, null, blank, empty list).
fn lookup(lead: &Lead, path: &str) -> Option<Value> {
    let value = match path.split_once('.') {
        None => match path {
            "id" => Value::String(lead.id.clone()),
            "created_at" => Value::String(crate::time::format(&lead.created_at)),
            "owner" => Value::String(lead.owner.clone()?),
            "stage" => Value::String(lead.stage.clone()?),
            "temperature" => to_value(&lead.temperature?),
            _ => return None,
        },
        Some(("attributes", name)) => match lead.attributes.get(name)? {
            AttrValue::Null => return None,
            v => to_value(v),
        },
        Some(("source", key)) => to_value(&lead.source).get(key)?.clone(),
        Some(("extra", key)) => lead.extra.get(key)?.clone(),
        Some(_) => return None,
    };
    let missing = match &value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    };
    (!missing).then_some(value)
}

fn valid_source(path: &str) -> bool {
    match path.split_once('.') {
        None => matches!(
            path,
            "id" | "created_at" | "owner" | "stage" | "temperature"
        ),
        Some((root, rest)) => {
            matches!(root, "attributes" | "source" | "extra")
                && !rest.is_empty()
                && !rest.contains('.')
                && rest.trim() == rest
        }
    }
}

impl Config for FieldMapping {
    fn validate(&self) -> Result<(), ConfigError> {
        for (i, stage) in self.from_stages.iter().enumerate() {
            if stage.trim().is_empty() {
                return Err(ConfigError::invalid(
                    "stage id is empty",
                    format!("from_stages[{i}]"),
                ));
            }
        }
        if self.fields.is_empty() {
            return Err(ConfigError::invalid(
                "a mapping needs at least one field",
                "fields",
            ));
        }
        let mut targets = BTreeSet::new();
        for (i, rule) in self.fields.iter().enumerate() {
            if split_target(&rule.to).is_none() {
                return Err(ConfigError::invalid(
                    format!(
                        "target `{}` is not `<object>.<field>` with object `account`, `contact` or `opportunity`",
                        rule.to
                    ),
                    format!("fields[{i}].to"),
                ));
            }
            if !targets.insert(rule.to.as_str()) {
                return Err(ConfigError::new(
                    FieldErrorKind::Duplicate(rule.to.clone()),
                    format!("fields[{i}].to"),
                ));
            }
            match (rule.from.is_empty(), &rule.value) {
                (true, None) => {
                    return Err(ConfigError::new(
                        FieldErrorKind::MissingField(
                            "missing field `from`: give `from` (a source path) or `value` (a constant)".into(),
                        ),
                        format!("fields[{i}].from"),
                    ));
                }
                (false, Some(_)) => {
                    return Err(ConfigError::invalid(
                        "give either `from` or `value`, not both",
                        format!("fields[{i}].value"),
                    ));
                }
                _ => {}
            }
            if rule.value.is_some() && rule.default.is_some() {
                return Err(ConfigError::invalid(
                    "a constant `value` takes no `default`",
                    format!("fields[{i}].default"),
                ));
            }
            for (j, path) in rule.from.iter().enumerate() {
                if !valid_source(path) {
                    return Err(ConfigError::invalid(
                        format!(
                            "source `{path}` is not one of `id`, `created_at`, `owner`, `stage`, `temperature`, `source.<key>`, `attributes.<name>`, `extra.<key>`"
                        ),
                        format!("fields[{i}].from[{j}]"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Accepts `{"preset": "<name>"}` as well as a full mapping.
    fn from_json(text: &str) -> Result<Self, ConfigError> {
        let value: Value = input::from_json(text).map_err(InputError::into_config)?;
        <Self as Config>::from_value(value)
    }

    /// Accepts `{"preset": "<name>"}` as well as a full mapping.
    fn from_value(value: Value) -> Result<Self, ConfigError> {
        if let Some(name) = preset_reference(&value)? {
            return FieldMapping::preset(&name);
        }
        let config: Self = input::from_value(value).map_err(InputError::into_config)?;
        config.validate()?;
        Ok(config)
    }
}

impl FieldMapping {
    /// Names of the built-in mappings: `standard` (company → account, contact person →
    /// contact, lead id / source / owner → opportunity, opportunity stage `Qualify`).
    pub fn preset_names() -> &'static [&'static str] {
        &["standard"]
    }

    /// A built-in mapping by name, or an `unknown_preset` error at `preset`.
    ///
    /// `standard` reads the attributes `company` (required), `industry`, `city`, `province`,
    /// `employees`, `website`, `contact_name` or `name` (required), `title`, `phone`, `email`,
    /// `amount`, the lead's `id`, `owner` and `source`.
    pub fn preset(name: &str) -> Result<FieldMapping, ConfigError> {
        (name == "standard")
            .then(standard)
            .ok_or_else(|| ConfigError::new(FieldErrorKind::UnknownPreset(name.into()), "preset"))
    }
}

fn rule(from: &[&str], to: &str, required: bool) -> FieldRule {
    FieldRule {
        from: from.iter().map(|s| s.to_string()).collect(),
        value: None,
        default: None,
        to: to.into(),
        required,
    }
}

/// The `standard` mapping. One lead into account, contact and opportunity — quoted (seed 002:
/// 「一转三(客户、联系人、商机)」). The field list is assumed. The opportunity stage `Qualify` is
/// the first stage of seed 004's sales pipeline (「客户鉴别(Qualify)」, the `seed_004_sales`
/// entry); starting a new opportunity there is assumed.
fn standard() -> FieldMapping {
    FieldMapping {
        from_stages: Vec::new(),
        fields: vec![
            rule(&["attributes.company"], "account.name", true),
            rule(&["attributes.industry"], "account.industry", false),
            rule(&["attributes.province"], "account.province", false),
            rule(&["attributes.city"], "account.city", false),
            rule(&["attributes.employees"], "account.employees", false),
            rule(&["attributes.website"], "account.website", false),
            rule(&["owner"], "account.owner", false),
            rule(
                &["attributes.contact_name", "attributes.name"],
                "contact.name",
                true,
            ),
            rule(&["attributes.title"], "contact.title", false),
            rule(&["attributes.phone"], "contact.phone", false),
            rule(&["attributes.email"], "contact.email", false),
            rule(&["owner"], "contact.owner", false),
            rule(
                &["attributes.opportunity_name", "attributes.company"],
                "opportunity.name",
                true,
            ),
            rule(&["attributes.amount"], "opportunity.amount", false),
            FieldRule {
                value: Some(Value::String("Qualify".into())),
                ..rule(&[], "opportunity.stage", false)
            },
            rule(&["id"], "opportunity.lead_id", true),
            rule(&["source.channel"], "opportunity.source", false),
            rule(&["source.campaign"], "opportunity.campaign", false),
            rule(&["owner"], "opportunity.owner", false),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lead(json: &str) -> Lead {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn standard_preset_converts_a_full_lead() {
        let mapping = FieldMapping::from_json(r#"{"preset": "standard"}"#).unwrap();
        let l = lead(
            r#"{"id": "L9", "created_at": "2026-11-01T00:00:00Z", "owner": "rep_1", "stage": "SQL",
            "source": {"channel": "sem", "campaign": "double11"},
            "attributes": {"company": "某某科技", "contact_name": "李雷", "phone": "13800138000",
                           "employees": 120, "amount": 8000, "signed": "2026-11-20"}}"#,
        );
        let c = convert_lead(&mapping, &l).unwrap();
        assert_eq!(c.account["name"], "某某科技");
        assert_eq!(c.account["employees"], 120.0);
        assert_eq!(c.account["owner"], "rep_1");
        assert_eq!(c.contact["name"], "李雷");
        assert_eq!(c.opportunity["name"], "某某科技");
        assert_eq!(c.opportunity["stage"], "Qualify");
        assert_eq!(c.opportunity["lead_id"], "L9");
        assert_eq!(c.opportunity["campaign"], "double11");
        assert_eq!(c.fields.len(), mapping.fields.len());
        assert_eq!(c.fields[1].source, ValueSource::Missing);
        let keys: Vec<&String> = c.opportunity.keys().collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
    }

    #[test]
    fn blank_and_null_sources_are_missing() {
        let mapping = FieldMapping::from_json(
            r#"{"fields": [{"from": ["attributes.a", "attributes.b", "attributes.c"], "to": "account.name", "required": true}]}"#,
        )
        .unwrap();
        let l = lead(
            r#"{"id": "L", "created_at": "2026-11-01T00:00:00Z", "attributes": {"a": null, "b": "  ", "c": []}}"#,
        );
        let e = convert_lead(&mapping, &l).unwrap_err();
        assert_eq!(e.code(), "missing_required_field");
        assert!(e.to_string().contains("`attributes.b`"));
    }

    #[test]
    fn stage_gate() {
        let mapping = FieldMapping::from_json(
            r#"{"from_stages": ["SQL"], "fields": [{"from": "id", "to": "opportunity.lead_id"}]}"#,
        )
        .unwrap();
        let l = lead(r#"{"id": "L", "created_at": "2026-11-01T00:00:00Z", "stage": "MQL"}"#);
        assert_eq!(
            convert_lead(&mapping, &l).unwrap_err().code(),
            "stage_not_convertible"
        );
    }

    #[test]
    fn bad_configs_name_the_path() {
        let cases = [
            (r#"{"fields": []}"#, "invalid_value", "fields"),
            (
                r#"{"fields": [{"from": "id", "to": "lead.id"}]}"#,
                "invalid_value",
                "fields[0].to",
            ),
            (
                r#"{"fields": [{"from": "id", "to": "account.x"}, {"from": "id", "to": "account.x"}]}"#,
                "duplicate_id",
                "fields[1].to",
            ),
            (
                r#"{"fields": [{"to": "account.x"}]}"#,
                "missing_field",
                "fields[0].from",
            ),
            (
                r#"{"fields": [{"from": ["id", "atributes.x"], "to": "account.x"}]}"#,
                "invalid_value",
                "fields[0].from[1]",
            ),
            (
                r#"{"fields": [{"from": "id", "value": 1, "to": "account.x"}]}"#,
                "invalid_value",
                "fields[0].value",
            ),
            (
                r#"{"fields": [{"from": 3, "to": "account.x"}]}"#,
                "invalid_type",
                "fields[0].from",
            ),
            (
                r#"{"fields": [{"from": "id", "to": "account.x", "requird": true}]}"#,
                "unknown_field",
                "fields[0].requird",
            ),
            (r#"{"preset": "nope"}"#, "unknown_preset", "preset"),
        ];
        for (json, code, path) in cases {
            let e = FieldMapping::from_json(json).unwrap_err();
            assert_eq!((e.code(), e.path.as_str()), (code, path), "{json}");
        }
    }

    proptest! {
        #[test]
        fn mapping_round_trips(rules in proptest::collection::vec((0usize..3, "[a-z]{1,6}", any::<bool>(), proptest::option::of(-5i32..5)), 1..8)) {
            let fields: Vec<FieldRule> = rules
                .iter()
                .enumerate()
                .map(|(i, (obj, name, required, default))| FieldRule {
                    from: vec![format!("attributes.{name}"), "id".into()],
                    value: None,
                    default: default.map(Value::from),
                    to: format!("{}.{name}{i}", ["account", "contact", "opportunity"][*obj]),
                    required: *required,
                })
                .collect();
            let mapping = FieldMapping { from_stages: vec!["SQL".into()], fields };
            mapping.validate().unwrap();
            let back = FieldMapping::from_json(&mapping.to_json()).unwrap();
            prop_assert_eq!(back, mapping);
        }
    }

    #[test]
    fn preset_round_trips() {
        for name in FieldMapping::preset_names() {
            let m = FieldMapping::preset(name).unwrap();
            m.validate().unwrap();
            assert_eq!(FieldMapping::from_json(&m.to_json()).unwrap(), m);
        }
    }
}
