//! Phone-prefix → province / city fill-in (手机号归属地, seed 002).
//!
//! The mapping from 7-digit prefixes (号段, e.g. `1380013`) to where the numbers were issued is
//! data that changes every month and is licensed separately, so leadcore ships none: the host
//! loads its own table as a [`PhoneRegions`] config and leadcore looks numbers up in it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::phone::{PhoneParse, parse_cn_mobile};
use crate::error::{ConfigError, FieldErrorKind};
use crate::input::Config;

/// Digits in a region prefix (the first 7 digits of an 11-digit mobile number).
pub const REGION_PREFIX_DIGITS: usize = 7;

/// A host-supplied table from 7-digit mobile prefixes to the region the numbers belong to.
///
/// JSON shape:
/// ```json
/// {"source": "vendor x, 2025-06", "prefixes": {"1380013": {"province": "北京", "city": "北京"}}}
/// ```
/// Keys must be exactly 7 ASCII digits starting with `1`; `province` must not be blank; `city`
/// may be omitted for prefixes known only to the province.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PhoneRegions {
    /// Where the table comes from and as of when (free text, kept for the host's records).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// 7-digit prefix → region.
    pub prefixes: BTreeMap<String, Region>,
}

/// Where numbers with one prefix were issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// Province-level division (省 / 自治区 / 直辖市), e.g. `广东` or `北京`.
    pub province: String,
    /// City (地级市), e.g. `深圳`; absent when the table only knows the province.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
}

impl Config for PhoneRegions {
    fn validate(&self) -> Result<(), ConfigError> {
        for (prefix, region) in &self.prefixes {
            let path = format!("prefixes.{prefix}");
            if prefix.len() != REGION_PREFIX_DIGITS
                || !prefix.starts_with('1')
                || !prefix.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(ConfigError::new(
                    FieldErrorKind::InvalidValue(format!(
                        "prefix `{prefix}` is not 7 digits starting with 1"
                    )),
                    path,
                ));
            }
            if region.province.trim().is_empty() {
                return Err(ConfigError::new(
                    FieldErrorKind::InvalidValue("province is blank".to_string()),
                    format!("{path}.province"),
                ));
            }
            if region.city.as_deref().is_some_and(|c| c.trim().is_empty()) {
                return Err(ConfigError::new(
                    FieldErrorKind::InvalidValue("city is blank; omit it instead".to_string()),
                    format!("{path}.city"),
                ));
            }
        }
        Ok(())
    }
}

impl PhoneRegions {
    /// The region of a normalized 11-digit number, if the table has its prefix.
    pub fn lookup(&self, normalized: &str) -> Option<&Region> {
        self.prefixes.get(normalized.get(..REGION_PREFIX_DIGITS)?)
    }
}

/// A phone number checked and located: the parse, the prefix looked up and the region found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PhoneLocation {
    /// The detailed parse of the raw string.
    pub phone: PhoneParse,
    /// The 7-digit prefix looked up (only for valid numbers).
    pub prefix: Option<String>,
    /// The region, when the number is valid and the table has its prefix.
    pub region: Option<Region>,
    /// One human-readable sentence saying what was found.
    pub explanation: String,
}

/// Parses `raw` as a Chinese mobile number and looks its prefix up in `regions`.
///
/// ```
/// use leadcore::clean::{locate_cn_mobile, PhoneRegions};
/// use leadcore::input::Config;
/// let regions = PhoneRegions::from_json(
///     r#"{"prefixes": {"1380013": {"province": "广东", "city": "深圳"}}}"#).unwrap();
/// let found = locate_cn_mobile(&regions, "+86 138 0013 8000");
/// assert_eq!(found.region.unwrap().city.as_deref(), Some("深圳"));
/// assert!(locate_cn_mobile(&regions, "13900139000").region.is_none());
/// ```
pub fn locate_cn_mobile(regions: &PhoneRegions, raw: &str) -> PhoneLocation {
    let phone = parse_cn_mobile(raw);
    let Some(normalized) = phone.normalized.as_deref() else {
        let explanation = format!("not a valid mobile number: {}", phone.explanation);
        return PhoneLocation {
            phone,
            prefix: None,
            region: None,
            explanation,
        };
    };
    let prefix = normalized.get(..REGION_PREFIX_DIGITS).map(str::to_string);
    let region = regions.lookup(normalized).cloned();
    let explanation = match (&prefix, &region) {
        (Some(p), Some(r)) => match &r.city {
            Some(city) => format!("prefix {p} is {} {city}", r.province),
            None => format!("prefix {p} is {}", r.province),
        },
        (Some(p), None) => format!("prefix {p} is not in the table"),
        (None, _) => "no prefix".to_string(),
    };
    PhoneLocation {
        phone,
        prefix,
        region,
        explanation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Illustrative rows only: not an authoritative assignment.
    const SAMPLE: &str = r#"{
        "source": "test sample",
        "prefixes": {
            "1380013": {"province": "广东", "city": "深圳"},
            "1391234": {"province": "上海", "city": "上海"},
            "1860000": {"province": "西藏"}
        }
    }"#;

    #[test]
    fn looks_up_valid_numbers() {
        let r = PhoneRegions::from_json(SAMPLE).unwrap();
        let l = locate_cn_mobile(&r, "8613912345678");
        assert_eq!(l.prefix.as_deref(), Some("1391234"));
        assert_eq!(l.region.unwrap().province, "上海");
        let l = locate_cn_mobile(&r, "186 0000 1111");
        assert_eq!(l.region.unwrap().city, None);
        let l = locate_cn_mobile(&r, "1380013800");
        assert!(l.prefix.is_none() && l.region.is_none());
    }

    #[test]
    fn validation_names_the_bad_row() {
        let bad = |json: &str| PhoneRegions::from_json(json).unwrap_err();
        let e = bad(r#"{"prefixes": {"138001": {"province": "x"}}}"#);
        assert_eq!(
            (e.code(), e.path.as_str()),
            ("invalid_value", "prefixes.138001")
        );
        let e = bad(r#"{"prefixes": {"2380013": {"province": "x"}}}"#);
        assert_eq!(e.code(), "invalid_value");
        let e = bad(r#"{"prefixes": {"1380013": {"province": " "}}}"#);
        assert_eq!(e.path, "prefixes.1380013.province");
        let e = bad(r#"{"prefixes": {"1380013": {"province": "x", "city": ""}}}"#);
        assert_eq!(e.path, "prefixes.1380013.city");
        let e = bad(r#"{"prefixes": {"1380013": {"province": "x", "zip": "1"}}}"#);
        assert_eq!(
            (e.code(), e.path.as_str()),
            ("unknown_field", "prefixes.1380013.zip")
        );
    }

    #[test]
    fn round_trips() {
        let r = PhoneRegions::from_json(SAMPLE).unwrap();
        assert_eq!(PhoneRegions::from_json(&r.to_json()).unwrap(), r);
    }
}
