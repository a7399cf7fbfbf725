//! Company names: a cleaned display form to write back, and a normalized matching key with
//! legal suffixes and region qualifiers stripped.
//!
//! # Cleaned form
//! Full-width characters folded to half-width (`（北京）` → `(北京)`, `ＡＢＣ` → `ABC`), whitespace
//! runs collapsed to one space, spaces next to non-ASCII characters removed (Chinese names have
//! no word spaces), ends trimmed. Case is kept.
//!
//! # Normalized key
//! The cleaned form lowercased, then, repeated until nothing changes:
//! 1. parenthesized region qualifiers removed wherever they are: `(北京)`, `(上海市)`,
//!    `(广东省)`, `(中国)`, `(china)`, `(hong kong)`… — the provinces, municipalities, autonomous
//!    regions and SARs (simplified and traditional), China itself, and the major cities listed in
//!    `REGIONS`, optionally followed by 省 / 市 / 自治区 / 特别行政区 / 地区; plus the
//!    configured `extra_regions`;
//! 2. parenthesized legal-form qualifiers removed: `(有限合伙)`, `(普通合伙)`,
//!    `(特殊普通合伙)`, `(集团)`;
//! 3. trailing punctuation (`, . ; : 、 -`) trimmed;
//! 4. one trailing legal suffix removed: 股份有限公司, 有限责任公司, 有限公司, 股份公司, 分公司,
//!    总公司, 公司, 集团 (and traditional forms), or a trailing Latin word — compared with dots
//!    removed — among ltd, limited, co, coltd, company, inc, incorporated, corp, corporation,
//!    llc, llp, plc, gmbh, pte, pty, group; plus the configured `extra_legal_suffixes`.
//!
//! so `阿里巴巴(中国)网络技术有限公司` → `阿里巴巴网络技术`, `海尔集团股份有限公司` → `海尔`,
//! `Acme (Beijing) Co., Ltd.` → `acme`. A step never removes the last letter or digit: `有限公司`
//! alone stays `有限公司`. Branches stay distinct from their head office on purpose (a branch is
//! its own registered entity): `某某有限公司北京分公司` → `某某有限公司北京`, `某某有限公司` →
//! `某某`. The key is deterministic and idempotent: normalizing a key gives
//! the same key.

use serde::{Deserialize, Serialize};

use super::text::{fold_width, tidy_spaces};
use crate::error::{ConfigError, FieldErrorKind};
use crate::input::Config;

/// Chinese legal suffixes, longest first so that the longest one matches.
const CJK_SUFFIXES: &[&str] = &[
    "股份有限公司",
    "有限责任公司",
    "有限責任公司",
    "有限公司",
    "股份公司",
    "分公司",
    "总公司",
    "總公司",
    "公司",
    "集团",
    "集團",
];

/// Latin legal-form words, compared with their dots removed (`l.l.c.` is `llc`).
const LATIN_SUFFIXES: &[&str] = &[
    "co",
    "coltd",
    "company",
    "corp",
    "corporation",
    "gmbh",
    "group",
    "inc",
    "incorporated",
    "limited",
    "llc",
    "llp",
    "ltd",
    "plc",
    "pte",
    "pty",
];

/// Legal-form qualifiers written in parentheses.
const LEGAL_FORM_QUALIFIERS: &[&str] = &["普通合伙", "有限合伙", "特殊普通合伙", "集团", "集團"];

/// Region names recognised inside parentheses (lowercase, without spaces).
const REGIONS: &[&str] = &[
    // Country, provinces, municipalities, autonomous regions and SARs.
    "中国",
    "中國",
    "北京",
    "天津",
    "上海",
    "重庆",
    "重慶",
    "河北",
    "山西",
    "辽宁",
    "遼寧",
    "吉林",
    "黑龙江",
    "黑龍江",
    "江苏",
    "江蘇",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "山東",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "廣東",
    "海南",
    "四川",
    "贵州",
    "貴州",
    "云南",
    "雲南",
    "陕西",
    "陝西",
    "甘肃",
    "甘肅",
    "青海",
    "台湾",
    "台灣",
    "臺灣",
    "内蒙古",
    "內蒙古",
    "广西",
    "廣西",
    "西藏",
    "宁夏",
    "寧夏",
    "新疆",
    "香港",
    "澳门",
    "澳門",
    // Major cities (provincial capitals, sub-provincial and large prefecture-level cities).
    "深圳",
    "广州",
    "廣州",
    "杭州",
    "南京",
    "苏州",
    "蘇州",
    "成都",
    "武汉",
    "武漢",
    "西安",
    "长沙",
    "長沙",
    "郑州",
    "鄭州",
    "青岛",
    "青島",
    "厦门",
    "廈門",
    "宁波",
    "寧波",
    "大连",
    "大連",
    "沈阳",
    "瀋陽",
    "济南",
    "濟南",
    "合肥",
    "福州",
    "昆明",
    "南宁",
    "南寧",
    "哈尔滨",
    "長春",
    "长春",
    "石家庄",
    "太原",
    "南昌",
    "贵阳",
    "兰州",
    "西宁",
    "银川",
    "乌鲁木齐",
    "拉萨",
    "呼和浩特",
    "海口",
    "无锡",
    "無錫",
    "东莞",
    "東莞",
    "佛山",
    "珠海",
    "常州",
    "温州",
    "绍兴",
    "嘉兴",
    "金华",
    "台州",
    "泉州",
    "烟台",
    "潍坊",
    "唐山",
    "徐州",
    "南通",
    "扬州",
    "惠州",
    "中山",
    "汕头",
    "三亚",
    // Latin spellings.
    "china",
    "prc",
    "beijing",
    "shanghai",
    "tianjin",
    "chongqing",
    "shenzhen",
    "guangzhou",
    "hangzhou",
    "nanjing",
    "suzhou",
    "chengdu",
    "wuhan",
    "xian",
    "xiamen",
    "qingdao",
    "dalian",
    "ningbo",
    "hongkong",
    "hk",
    "macau",
    "macao",
    "taiwan",
];

/// Administrative suffixes allowed after a region name inside parentheses.
const REGION_SUFFIXES: &[&str] = &[
    "",
    "省",
    "市",
    "自治区",
    "自治區",
    "特别行政区",
    "特別行政區",
    "地区",
    "地區",
    "壮族自治区",
    "回族自治区",
    "维吾尔自治区",
];

/// Normalizes a company name to its matching key with the default options, or `None` when it
/// has no letter or digit.
///
/// ```
/// assert_eq!(leadcore::clean::company("阿里巴巴（中国）网络技术有限公司").as_deref(), Some("阿里巴巴网络技术"));
/// assert_eq!(leadcore::clean::company("ACME (Beijing) Co., Ltd.").as_deref(), Some("acme"));
/// assert_eq!(leadcore::clean::company("  "), None);
/// ```
pub fn company(raw: &str) -> Option<String> {
    normalize_company(raw, &CompanyOptions::default()).normalized
}

/// What company-name normalization strips. JSON (all keys optional):
/// `{"strip_legal_suffixes": true, "strip_region_qualifiers": true,
///   "extra_legal_suffixes": ["工作室"], "extra_regions": ["浦东"]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompanyOptions {
    /// Strip legal suffixes (有限公司, Co., Ltd., Inc.…) and parenthesized legal forms.
    #[serde(default = "yes")]
    pub strip_legal_suffixes: bool,
    /// Strip parenthesized region qualifiers such as `(北京)`.
    #[serde(default = "yes")]
    pub strip_region_qualifiers: bool,
    /// More suffixes to strip, matched after the same folding as the name (a Latin word is
    /// compared with dots removed, like the built-in ones).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_legal_suffixes: Vec<String>,
    /// More region names recognised inside parentheses (with the same administrative suffixes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_regions: Vec<String>,
}

fn yes() -> bool {
    true
}

impl Default for CompanyOptions {
    fn default() -> Self {
        Self {
            strip_legal_suffixes: true,
            strip_region_qualifiers: true,
            extra_legal_suffixes: Vec::new(),
            extra_regions: Vec::new(),
        }
    }
}

impl Config for CompanyOptions {
    fn validate(&self) -> Result<(), ConfigError> {
        for (name, list) in [
            ("extra_legal_suffixes", &self.extra_legal_suffixes),
            ("extra_regions", &self.extra_regions),
        ] {
            let mut seen = std::collections::BTreeSet::new();
            for (i, item) in list.iter().enumerate() {
                let folded = fold_key(item, name == "extra_regions");
                if !folded.chars().any(char::is_alphanumeric) {
                    return Err(ConfigError::new(
                        FieldErrorKind::InvalidValue(format!("`{item}` has no letter or digit")),
                        format!("{name}[{i}]"),
                    ));
                }
                if !seen.insert(folded) {
                    return Err(ConfigError::new(
                        FieldErrorKind::Duplicate(item.clone()),
                        format!("{name}[{i}]"),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// What kind of text was stripped from a company name.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum StripKind {
    /// A legal suffix at the end (有限公司, ltd…).
    LegalSuffix,
    /// A parenthesized region (`(北京)`).
    RegionQualifier,
    /// A parenthesized legal form (`(有限合伙)`).
    LegalFormQualifier,
}

/// One piece of text removed from the normalized key, in the order removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Stripped {
    /// What it was.
    pub kind: StripKind,
    /// The text removed, as it stood in the lowercased name (parentheses included).
    pub text: String,
}

/// Why a company name is unusable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CompanyInvalid {
    /// No letter or digit at all (empty, blank, punctuation only).
    Empty,
}

/// The detailed answer for one raw company name.
///
/// Every field is always present in JSON (`null` or `[]` when it does not apply).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompanyParse {
    /// Whether the name has any letter or digit.
    pub valid: bool,
    /// The cleaned display form (folded, whitespace tidied, case kept), to write back.
    pub cleaned: Option<String>,
    /// The matching key.
    pub normalized: Option<String>,
    /// What was stripped to get the key, in order.
    pub stripped: Vec<Stripped>,
    /// Why the name is unusable, when it is.
    pub reason: Option<CompanyInvalid>,
    /// One human-readable sentence saying what was done.
    pub explanation: String,
}

/// Cleans a company name and computes its matching key, listing what was stripped.
///
/// ```
/// use leadcore::clean::{normalize_company, CompanyOptions, StripKind};
/// let c = normalize_company("海尔（青岛）集团 股份有限公司", &CompanyOptions::default());
/// assert_eq!(c.cleaned.as_deref(), Some("海尔(青岛)集团股份有限公司"));
/// assert_eq!(c.normalized.as_deref(), Some("海尔"));
/// let kinds: Vec<_> = c.stripped.iter().map(|s| (s.kind, s.text.as_str())).collect();
/// assert_eq!(kinds, [
///     (StripKind::RegionQualifier, "(青岛)"),
///     (StripKind::LegalSuffix, "股份有限公司"),
///     (StripKind::LegalSuffix, "集团"),
/// ]);
/// ```
pub fn normalize_company(raw: &str, options: &CompanyOptions) -> CompanyParse {
    let cleaned = tidy_spaces(&fold_width(raw));
    if !has_alnum(&cleaned) {
        return CompanyParse {
            valid: false,
            cleaned: None,
            normalized: None,
            stripped: Vec::new(),
            reason: Some(CompanyInvalid::Empty),
            explanation: "no letter or digit".to_string(),
        };
    }
    let extra_suffixes: Vec<String> = options
        .extra_legal_suffixes
        .iter()
        .map(|s| fold_key(s, false))
        .collect();
    let extra_regions: Vec<String> = options
        .extra_regions
        .iter()
        .map(|s| fold_key(s, true))
        .collect();
    let mut key = tidy_spaces(&cleaned.to_lowercase());
    let mut stripped = Vec::new();
    loop {
        let step = strip_group(&key, options, &extra_regions)
            .or_else(|| trim_punctuation(&key).map(|rest| (rest, None)))
            .or_else(|| {
                if options.strip_legal_suffixes {
                    strip_suffix(&key, &extra_suffixes)
                } else {
                    None
                }
            });
        match step {
            Some((rest, what)) => {
                key = rest;
                stripped.extend(what);
            }
            None => break,
        }
    }
    let explanation = if stripped.is_empty() {
        "nothing to strip".to_string()
    } else {
        let parts: Vec<String> = stripped
            .iter()
            .map(|s| match s.kind {
                StripKind::LegalSuffix => format!("legal suffix `{}`", s.text),
                StripKind::RegionQualifier => format!("region `{}`", s.text),
                StripKind::LegalFormQualifier => format!("legal form `{}`", s.text),
            })
            .collect();
        format!("stripped {}", parts.join(", "))
    };
    CompanyParse {
        valid: true,
        cleaned: Some(cleaned),
        normalized: Some(key),
        stripped,
        reason: None,
        explanation,
    }
}

type Step = (String, Option<Stripped>);

fn has_alnum(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

/// Folds a configured suffix or region like a name; regions also lose their spaces.
fn fold_key(s: &str, remove_spaces: bool) -> String {
    let t = tidy_spaces(&fold_width(s).to_lowercase());
    if remove_spaces { t.replace(' ', "") } else { t }
}

/// Removes the first parenthesized region or legal-form qualifier, if any.
fn strip_group(key: &str, options: &CompanyOptions, extra_regions: &[String]) -> Option<Step> {
    let mut search_from = 0;
    while let Some(open_rel) = key.get(search_from..)?.find('(') {
        let open = search_from + open_rel;
        let after_open = open + 1;
        let close_rel = key.get(after_open..)?.find(')')?;
        let close = after_open + close_rel;
        let inner = key.get(after_open..close)?;
        if inner.contains('(') {
            // Not innermost: look again from the inner parenthesis.
            search_from = after_open;
            continue;
        }
        let content = inner.replace(' ', "");
        let kind = if options.strip_region_qualifiers && is_region(&content, extra_regions) {
            Some(StripKind::RegionQualifier)
        } else if options.strip_legal_suffixes && LEGAL_FORM_QUALIFIERS.contains(&content.as_str())
        {
            Some(StripKind::LegalFormQualifier)
        } else {
            None
        };
        if let Some(kind) = kind {
            let rest = format!(
                "{} {}",
                key.get(..open).unwrap_or(""),
                key.get(close + 1..).unwrap_or("")
            );
            let rest = tidy_spaces(&rest);
            if has_alnum(&rest) {
                let text = key.get(open..=close).unwrap_or("").to_string();
                return Some((rest, Some(Stripped { kind, text })));
            }
        }
        search_from = close + 1;
    }
    None
}

fn is_region(content: &str, extra_regions: &[String]) -> bool {
    let builtin = REGIONS.iter().copied();
    let extra = extra_regions.iter().map(String::as_str);
    builtin.chain(extra).any(|region| {
        content
            .strip_prefix(region)
            .is_some_and(|rest| REGION_SUFFIXES.contains(&rest))
    })
}

/// Trims trailing punctuation and spaces, unless nothing would be left.
fn trim_punctuation(key: &str) -> Option<String> {
    let rest = key.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | '.' | ';' | ':' | '、' | '-')
    });
    (rest.len() < key.len() && has_alnum(rest)).then(|| rest.to_string())
}

/// Removes one trailing legal suffix, unless nothing would be left.
fn strip_suffix(key: &str, extra_suffixes: &[String]) -> Option<Step> {
    let finish = |rest: &str, text: &str| {
        let rest = tidy_spaces(rest);
        has_alnum(&rest).then(|| {
            let stripped = Stripped {
                kind: StripKind::LegalSuffix,
                text: text.to_string(),
            };
            (rest, Some(stripped))
        })
    };
    // The trailing Latin word: a maximal run of ASCII letters, digits and dots.
    let word_start = key
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '.')
        .last()
        .map(|(i, _)| i);
    if let Some(start) = word_start {
        let word = key.get(start..).unwrap_or("");
        let bare: String = word.chars().filter(|&c| c != '.').collect();
        let known = LATIN_SUFFIXES.binary_search(&bare.as_str()).is_ok()
            || extra_suffixes.iter().any(|s| s.replace('.', "") == bare);
        if known && !bare.is_empty() {
            return finish(key.get(..start).unwrap_or(""), &bare);
        }
    }
    let cjk = CJK_SUFFIXES.iter().copied();
    let mut extras: Vec<&str> = extra_suffixes
        .iter()
        .map(String::as_str)
        .filter(|s| !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '.'))
        .collect();
    // Longest first, so `股份有限公司` wins over `有限公司`; ties in a fixed order.
    extras.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    let mut candidates: Vec<&str> = cjk.chain(extras).collect();
    candidates.sort_by_key(|s| std::cmp::Reverse(s.len()));
    // Only the longest matching suffix is considered: `有限公司` alone must not lose `公司`.
    let suffix = candidates.into_iter().find(|s| key.ends_with(s))?;
    finish(key.strip_suffix(suffix).unwrap_or(key), suffix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(raw: &str) -> String {
        company(raw).unwrap_or_default()
    }

    #[test]
    fn latin_suffix_list_is_sorted() {
        assert!(LATIN_SUFFIXES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn strips_chinese_suffixes_and_regions() {
        for (raw, want) in [
            ("阿里巴巴（中国）网络技术有限公司", "阿里巴巴网络技术"),
            ("阿里巴巴(中国)网络技术有限公司", "阿里巴巴网络技术"),
            ("阿里巴巴 (中国) 网络技术 有限公司", "阿里巴巴网络技术"),
            ("北京字节跳动科技有限公司", "北京字节跳动科技"),
            ("华为技术有限公司", "华为技术"),
            ("海尔集团有限公司", "海尔"),
            ("海尔集团", "海尔"),
            ("海尔(集团)股份有限公司", "海尔"),
            ("腾讯科技(深圳)有限公司", "腾讯科技"),
            ("上海某某投资中心（有限合伙）", "上海某某投资中心"),
            ("某某贸易（上海市）有限责任公司", "某某贸易"),
            ("某某（广西壮族自治区）有限公司", "某某"),
            ("台積電（台灣）股份有限公司", "台積電"),
            ("某某科技有限責任公司", "某某科技"),
            ("某某有限公司北京分公司", "某某有限公司北京"),
            ("有限公司", "有限公司"),
            ("（北京）有限公司", "有限公司"),
            ("(北京)", "(北京)"),
            ("某某(研发)有限公司", "某某(研发)"),
        ] {
            assert_eq!(key(raw), want, "{raw}");
        }
    }

    #[test]
    fn strips_latin_suffixes() {
        for (raw, want) in [
            ("ACME Co., Ltd.", "acme"),
            ("Acme (Beijing) Co., Ltd.", "acme"),
            ("Acme(Beijing)Co.,Ltd", "acme"),
            ("ＡＣＭＥ　Ｃｏ．，Ｌｔｄ．", "acme"),
            ("Acme Co.Ltd", "acme"),
            ("Acme, Inc.", "acme"),
            ("Acme L.L.C.", "acme"),
            ("Acme Corporation", "acme"),
            ("Acme Group Holding Limited", "acme group holding"),
            ("Zinc", "zinc"),
            ("腾讯Inc.", "腾讯"),
            ("Company", "company"),
            ("Acme (Hong Kong) Limited", "acme"),
            ("Acme (Asia) Ltd", "acme (asia)"),
        ] {
            assert_eq!(key(raw), want, "{raw}");
        }
    }

    #[test]
    fn reports_what_was_stripped() {
        let c = normalize_company("Acme (Beijing) Co., Ltd.", &CompanyOptions::default());
        assert_eq!(c.cleaned.as_deref(), Some("Acme (Beijing) Co., Ltd."));
        let texts: Vec<_> = c.stripped.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["(beijing)", "ltd", "co"]);
        assert_eq!(
            c.explanation,
            "stripped region `(beijing)`, legal suffix `ltd`, legal suffix `co`"
        );
    }

    #[test]
    fn options_switch_steps_and_add_words() {
        let keep = CompanyOptions {
            strip_legal_suffixes: false,
            strip_region_qualifiers: false,
            ..CompanyOptions::default()
        };
        let c = normalize_company("某某（北京）有限公司", &keep);
        assert_eq!(c.normalized.as_deref(), Some("某某(北京)有限公司"));
        let extra = CompanyOptions::from_json(
            r#"{"extra_legal_suffixes": ["工作室", "S.A."], "extra_regions": ["浦东"]}"#,
        )
        .unwrap();
        let n = |raw| normalize_company(raw, &extra).normalized.unwrap();
        assert_eq!(n("某某设计工作室"), "某某设计");
        assert_eq!(n("某某（浦东新区）有限公司"), "某某(浦东新区)");
        assert_eq!(n("某某（浦东）有限公司"), "某某");
        assert_eq!(n("Acme S.A."), "acme");
    }

    #[test]
    fn invalid_and_bad_options() {
        for raw in ["", "   ", "（）", "..."] {
            let c = normalize_company(raw, &CompanyOptions::default());
            assert_eq!(c.reason, Some(CompanyInvalid::Empty), "{raw}");
        }
        let e = CompanyOptions::from_json(r#"{"extra_regions": ["浦东", " "]}"#).unwrap_err();
        assert_eq!(
            (e.code(), e.path.as_str()),
            ("invalid_value", "extra_regions[1]")
        );
        let e =
            CompanyOptions::from_json(r#"{"extra_legal_suffixes": ["Ltd", "LTD"]}"#).unwrap_err();
        assert_eq!(
            (e.code(), e.path.as_str()),
            ("duplicate_id", "extra_legal_suffixes[1]")
        );
        let o = CompanyOptions::from_json(r#"{"strip_region_qualifiers": false}"#).unwrap();
        assert_eq!(CompanyOptions::from_json(&o.to_json()).unwrap(), o);
    }

    proptest! {
        #[test]
        fn normalization_is_idempotent(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("有限公司"), Just("股份"), Just("集团"), Just("（北京）"), Just("(中国)"),
                    Just("公司"), Just(" "), Just("　"), Just("co."), Just(", ltd"), Just("Inc"),
                    Just("("), Just(")"), Just("阿里"), Just("acme"), Just("Ａ"), Just("."),
                    Just("l.l.c."), Just("-"), Just("（有限合伙）"), Just("x"),
                ],
                0..8,
            )
        ) {
            let raw: String = parts.concat();
            let c = normalize_company(&raw, &CompanyOptions::default());
            prop_assert_eq!(c.valid, c.reason.is_none());
            if let (Some(cleaned), Some(key)) = (c.cleaned, c.normalized) {
                let again = normalize_company(&key, &CompanyOptions::default());
                prop_assert_eq!(again.normalized, Some(key));
                prop_assert!(again.stripped.is_empty());
                let again = normalize_company(&cleaned, &CompanyOptions::default());
                prop_assert_eq!(again.cleaned, Some(cleaned));
            }
        }

        #[test]
        fn never_panics(raw in "\\PC{0,30}") {
            let _ = normalize_company(&raw, &CompanyOptions::default());
        }
    }
}
