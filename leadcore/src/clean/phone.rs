//! Phone numbers: Chinese mobile numbers parsed by leadcore itself (the forms people type,
//! length and carrier segment 号段, normalized to the 11 national digits), other countries'
//! numbers checked against libphonenumber's metadata and normalized to E.164.
//!
//! [`parse_phone`] reads both; [`parse_cn_mobile`] reads Chinese mobile numbers only (the
//! `cn_mobile` validator and [`locate_cn_mobile`](super::locate_cn_mobile)) and never consults
//! libphonenumber. On every number that is not another country's, the two give the same
//! answer.
//!
//! # Accepted forms
//! - Separators anywhere: whitespace (including the ideographic space), `-`, `.`, `(`, `)` and
//!   the dashes `‐ ‑ – —`. Full-width digits, `＋`, `（`, `）`, `－`, `．` are folded first.
//! - Country code, where it cannot be mistaken for part of the number: `+86` (a `+` must be
//!   the first non-separator and be followed by `86`), `0086`, or a bare `86` when exactly 11
//!   digits starting with `1` follow it (no national mobile number starts with `86`).
//! - Another country's code after `+` or `00` (`+1 415 555 0100`, `0044 20 7946 0000`): read by
//!   [`parse_phone`]; [`parse_cn_mobile`] calls it `foreign_country_code`. A number without
//!   `+` or `00` is read as a Chinese one: `1 415 555 0100` is an 11-digit number of the IoT
//!   segment 141.
//! - Anything else — letters, `/`, `,`, extensions such as `转 123` or `ext. 12`, a second `+` —
//!   makes the number invalid with reason `invalid_character` or `misplaced_plus`: leadcore
//!   does not guess which of two numbers someone meant, nor spell out vanity numbers.
//!
//! # Other countries' numbers
//! Checked by libphonenumber (the `rlibphonenumber` crate, a Rust port with Google's metadata:
//! version 2.2.15 carries libphonenumber's metadata v9.0.42). A valid one gets its E.164 form as
//! `normalized` and `e164`, its `calling_code`, its `region` (ISO 3166-1, `null` for
//! non-geographic codes such as `+800`) and its `number_type`; landlines are valid too, since
//! many countries (the US and Canada among them) cannot tell them from mobile numbers. An
//! invalid one gets a reason: `unknown_country_code` (no country has the code), `too_short`
//! (shorter than every number of the country, or a local number without its area code),
//! `too_long` (longer than every number of the country), `unallocated_segment` (a possible
//! length, but in no number range libphonenumber knows).
//!
//! # Chinese landlines
//! Stay invalid (`not_mobile`, or `too_short` for `+86 10 …`, which starts with 1), although
//! libphonenumber validates them: a lead's phone is its de-duplication key, and in B2B a
//! mainland landline is most often a company switchboard (总机) shared by colleagues, which
//! would merge them; mainland input also often leaves out the area code or appends an extension
//! (`转 8001`). Every valid Chinese number is a mobile one (`number_type` `mobile`), with the
//! carrier and plan that leadcore's table gives.
//!
//! # Segments (号段), as allocated on 2025-06-01
//! The table below follows the Ministry of Industry and Information Technology's allocations
//! (the latest 11-digit additions were 162/165/167/190/191/192/193/195/196/197 in 2019 and 172 in
//! 2020; checked 2025-06-01). Carrier is the carrier the segment was **allocated** to: since
//! 2019-12-01 numbers can be ported between carriers (携号转网), so it may not be the current one.
//!
//! | carrier | mobile (basic) | virtual operators | data card (上网卡) | satellite |
//! | --- | --- | --- | --- | --- |
//! | China Mobile | 134 (1340–1348), 135–139, 150–152, 157–159, 172, 178, 182–184, 187, 188, 195, 197, 198 | 165, 1703, 1705, 1706 | 147 | |
//! | China Unicom | 130–132, 155, 156, 166, 175, 176, 185, 186, 196 | 167, 171, 1704, 1707–1709 | 145 | |
//! | China Telecom | 133, 153, 173, 177, 180, 181, 189, 190, 191, 193, 199 | 162, 1700–1702 | 149 | 1349, 17400–17405 |
//! | China Broadnet | 192 | | | |
//!
//! Invalid as 11-digit subscriber numbers: the IoT segments 141, 144, 146, 148 (13-digit data-only
//! numbers, reason `iot_segment`); 1749 (maritime satellite) and 17406–17412 (emergency
//! communications), reason `special_segment`; everything else (10x–12x, 140, 142, 143, 154, 160,
//! 161, 163, 164, 168, 169, 174xx outside the above, 179, 194) is `unallocated_segment`.
//!
//! # leadcore and libphonenumber on Chinese mobile numbers
//! A test runs every 5-digit prefix of an 11-digit number starting with 1 through this table and
//! through libphonenumber (metadata v9.0.42). They agree on all of them but two segments:
//! - **149** (China Telecom data card, 上网卡): valid here, invalid for libphonenumber, whose
//!   mobile ranges have 145 and 147 but not 149.
//! - **161**: `unallocated_segment` here, mobile for libphonenumber, which lists it among
//!   its mobile ranges; the allocation tables this module follows (checked 2025-06-01) do not.
//!
//! Elsewhere they agree: both call the satellite segments 1349 and 17400–17405 valid (mobile for
//! libphonenumber), and both refuse the IoT segments, 1749, 17406–17412 and the unallocated
//! ones. Chinese numbers keep leadcore's answer in both cases.

use serde::{Deserialize, Serialize};

use super::text::fold_char;
use segments::{Class, lookup_segment};

mod intl;
mod segments;
#[cfg(test)]
mod vs_libphonenumber;

/// Length of a Chinese mobile number without country code, in digits.
pub const CN_MOBILE_DIGITS: usize = 11;

/// A mainland-China carrier, as allocated the segment (see the module docs on number porting).
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
pub enum Carrier {
    /// 中国移动.
    ChinaMobile,
    /// 中国联通.
    ChinaUnicom,
    /// 中国电信.
    ChinaTelecom,
    /// 中国广电.
    ChinaBroadnet,
}

impl Carrier {
    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ChinaMobile => "china_mobile",
            Self::ChinaUnicom => "china_unicom",
            Self::ChinaTelecom => "china_telecom",
            Self::ChinaBroadnet => "china_broadnet",
        }
    }
}

/// The kind of subscriber number a segment holds.
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
pub enum Plan {
    /// An ordinary handset number of a basic carrier (voice, SMS, data).
    Mobile,
    /// A number resold by a virtual operator (虚拟运营商) on the carrier's network.
    Virtual,
    /// A data-card number (上网卡: 145 / 147 / 149); SMS, and voice at the carrier's choice.
    DataCard,
    /// A China Telecom Tiantong satellite phone (1349, 17400–17405).
    Satellite,
}

impl Plan {
    fn label(self) -> &'static str {
        match self {
            Self::Mobile => "mobile",
            Self::Virtual => "virtual operator",
            Self::DataCard => "data card",
            Self::Satellite => "satellite",
        }
    }
}

/// The Chinese country code found in front of the number, as it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum CountryCode {
    /// `+86`.
    #[serde(rename = "+86")]
    Plus86,
    /// `0086`.
    #[serde(rename = "0086")]
    Zero086,
    /// A bare `86` followed by exactly 11 digits.
    #[serde(rename = "86")]
    Bare86,
}

/// What kind of line a valid number is, in libphonenumber's terms.
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
pub enum NumberType {
    /// A landline.
    FixedLine,
    /// A mobile number (every valid Chinese mobile number, whatever its [`Plan`]).
    Mobile,
    /// Either: the country's numbering does not tell them apart (the US and Canada, say).
    FixedLineOrMobile,
    /// Free to the caller.
    TollFree,
    /// Premium rate.
    PremiumRate,
    /// Cost shared between caller and called.
    SharedCost,
    /// A personal number, routed to a mobile or a landline.
    PersonalNumber,
    /// Voice over IP.
    Voip,
    /// A pager.
    Pager,
    /// A universal access (company) number.
    Uan,
    /// Voicemail access.
    Voicemail,
}

impl NumberType {
    fn label(self) -> &'static str {
        match self {
            Self::FixedLine => "fixed line",
            Self::Mobile => "mobile",
            Self::FixedLineOrMobile => "fixed line or mobile",
            Self::TollFree => "toll free",
            Self::PremiumRate => "premium rate",
            Self::SharedCost => "shared cost",
            Self::PersonalNumber => "personal",
            Self::Voip => "voip",
            Self::Pager => "pager",
            Self::Uan => "universal access",
            Self::Voicemail => "voicemail",
        }
    }
}

/// Why a string is not a valid phone number (for [`parse_cn_mobile`], not a valid Chinese
/// mobile number).
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
pub enum PhoneInvalid {
    /// No digits at all (empty, blank or only separators).
    Empty,
    /// A character that is neither a digit, a separator nor a leading `+`.
    InvalidCharacter,
    /// A `+` after digits, or a second `+`.
    MisplacedPlus,
    /// An international number of another country (`+1…`, `0044…`): from [`parse_cn_mobile`]
    /// only, [`parse_phone`] reads those numbers.
    ForeignCountryCode,
    /// A Chinese number whose national number does not start with `1` (a landline such as
    /// `010-…`, say).
    NotMobile,
    /// Fewer digits than a number has: 11 national digits for a Chinese mobile number, the
    /// shortest number of its country (or a local number without area code) for another's.
    TooShort,
    /// More digits than a number has: 11 national digits for a Chinese mobile number, the
    /// longest number of its country for another's.
    TooLong,
    /// The segment is not allocated to any carrier; for another country's number, no number
    /// range libphonenumber knows holds it (its length is possible).
    UnallocatedSegment,
    /// An IoT segment: those numbers have 13 digits and carry data only.
    IotSegment,
    /// A maritime-satellite or emergency-communications segment, not a subscriber's phone.
    SpecialSegment,
    /// The digits after `+` or `00` do not start with a country calling code (`+999…`).
    UnknownCountryCode,
}

impl PhoneInvalid {
    /// Every reason, in declaration order.
    pub const ALL: [PhoneInvalid; 11] = [
        Self::Empty,
        Self::InvalidCharacter,
        Self::MisplacedPlus,
        Self::ForeignCountryCode,
        Self::NotMobile,
        Self::TooShort,
        Self::TooLong,
        Self::UnallocatedSegment,
        Self::IotSegment,
        Self::SpecialSegment,
        Self::UnknownCountryCode,
    ];

    /// The stable snake_case code used in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::InvalidCharacter => "invalid_character",
            Self::MisplacedPlus => "misplaced_plus",
            Self::ForeignCountryCode => "foreign_country_code",
            Self::NotMobile => "not_mobile",
            Self::TooShort => "too_short",
            Self::TooLong => "too_long",
            Self::UnallocatedSegment => "unallocated_segment",
            Self::IotSegment => "iot_segment",
            Self::SpecialSegment => "special_segment",
            Self::UnknownCountryCode => "unknown_country_code",
        }
    }
}

/// The detailed answer for one raw phone string: the normalized number with its carrier or
/// country, or why it is invalid.
///
/// Every field is always present in JSON (`null` when it does not apply).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PhoneParse {
    /// Whether the string is a valid number: a Chinese mobile number, or (from [`parse_phone`])
    /// another country's number that libphonenumber validates.
    pub valid: bool,
    /// The normalized number, when valid: the 11 national digits of a Chinese mobile number, the
    /// E.164 form (`+14155550100`) of another country's. De-duplication matches on it.
    pub normalized: Option<String>,
    /// The E.164 form (`+8613800138000`, `+14155550100`), when valid.
    pub e164: Option<String>,
    /// The digits read after removing a recognised country code (for diagnostics; may be empty,
    /// and is `null` when reading stopped at a bad character).
    pub digits: Option<String>,
    /// The Chinese country code that was removed, if any (other countries' codes are in
    /// `calling_code`).
    pub country_code: Option<CountryCode>,
    /// The country calling code the number was read under: 86 for a number written without one,
    /// `null` when reading stopped before it or no country has the code.
    pub calling_code: Option<u16>,
    /// The ISO 3166-1 region of a valid number (`CN`, `US`, `HK`); `null` for non-geographic
    /// numbers such as `+800` toll-free ones.
    pub region: Option<String>,
    /// What kind of line a valid number is.
    pub number_type: Option<NumberType>,
    /// The segment table entry that matched (3 to 5 leading digits: `138`, `1703`, `17400`).
    pub segment: Option<String>,
    /// Carrier the segment was allocated to, when valid.
    pub carrier: Option<Carrier>,
    /// Kind of number, when valid.
    pub plan: Option<Plan>,
    /// Why the number is invalid, when it is.
    pub reason: Option<PhoneInvalid>,
    /// One human-readable sentence saying what was found.
    pub explanation: String,
}

impl PhoneParse {
    fn invalid(reason: PhoneInvalid, digits: Option<&str>, explanation: String) -> Self {
        Self {
            valid: false,
            normalized: None,
            e164: None,
            digits: digits.map(str::to_string),
            country_code: None,
            calling_code: None,
            region: None,
            number_type: None,
            segment: None,
            carrier: None,
            plan: None,
            reason: Some(reason),
            explanation,
        }
    }
}

/// Parses a raw phone string: a Chinese mobile number (with its carrier) or, after `+` or `00`
/// and another country's code, any number libphonenumber validates (module docs).
///
/// ```
/// use leadcore::clean::{parse_phone, Carrier, NumberType, PhoneInvalid};
/// let p = parse_phone("+1 415-555-0100");
/// assert_eq!(p.normalized.as_deref(), Some("+14155550100"));
/// assert_eq!((p.region.as_deref(), p.number_type), (Some("US"), Some(NumberType::FixedLineOrMobile)));
/// let p = parse_phone("138 0013 8000");
/// assert_eq!(p.normalized.as_deref(), Some("13800138000"));
/// assert_eq!(p.e164.as_deref(), Some("+8613800138000"));
/// assert_eq!(p.carrier, Some(Carrier::ChinaMobile));
/// assert_eq!(parse_phone("+44 20 7946").reason, Some(PhoneInvalid::TooShort));
/// assert_eq!(parse_phone("010-6552 8888").reason, Some(PhoneInvalid::NotMobile));
/// ```
pub fn parse_phone(raw: &str) -> PhoneParse {
    parse(raw, intl::parse)
}

/// Parses a raw phone string as a Chinese mobile number, saying which carrier or why not.
///
/// Other countries' numbers are invalid with reason `foreign_country_code`, without consulting
/// libphonenumber: this is the check behind the `cn_mobile` validator.
///
/// ```
/// use leadcore::clean::{parse_cn_mobile, Carrier, PhoneInvalid};
/// let p = parse_cn_mobile("＋８６ 138-0013-8000");
/// assert_eq!(p.normalized.as_deref(), Some("13800138000"));
/// assert_eq!(p.carrier, Some(Carrier::ChinaMobile));
/// assert_eq!(parse_cn_mobile("1380013800").reason, Some(PhoneInvalid::TooShort));
/// assert_eq!(parse_cn_mobile("15400138000").reason, Some(PhoneInvalid::UnallocatedSegment));
/// assert_eq!(parse_cn_mobile("+1 415 555 0100").reason, Some(PhoneInvalid::ForeignCountryCode));
/// ```
pub fn parse_cn_mobile(raw: &str) -> PhoneParse {
    parse(raw, |_, digits| {
        PhoneParse::invalid(
            PhoneInvalid::ForeignCountryCode,
            Some(digits),
            "the country code is not 86".to_string(),
        )
    })
}

/// Reads `raw` and parses a Chinese number; `foreign` gets another country's number as the
/// digits after `+` or `00`, and all the digits read.
fn parse(raw: &str, foreign: impl FnOnce(&str, &str) -> PhoneParse) -> PhoneParse {
    let mut digits = String::new();
    let mut plus = false;
    for c in raw.chars().map(fold_char) {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if c == '+' {
            if plus || !digits.is_empty() {
                return PhoneParse::invalid(
                    PhoneInvalid::MisplacedPlus,
                    None,
                    "`+` may only start the number".to_string(),
                );
            }
            plus = true;
        } else if !is_separator(c) {
            return PhoneParse::invalid(
                PhoneInvalid::InvalidCharacter,
                None,
                format!("character `{c}` is not part of a phone number"),
            );
        }
    }
    if digits.is_empty() {
        return PhoneParse::invalid(PhoneInvalid::Empty, Some(""), "no digits".to_string());
    }
    match split_country_code(&digits, plus) {
        Split::China(country_code, national) => parse_cn(national, country_code),
        Split::Foreign(international) => foreign(international, &digits),
    }
}

/// Country calling code of China.
const CN_CALLING_CODE: u16 = 86;

/// Parses the national digits of a Chinese number as a mobile number.
fn parse_cn(national: &str, country_code: Option<CountryCode>) -> PhoneParse {
    let fail = |reason, explanation: String| PhoneParse {
        country_code,
        calling_code: Some(CN_CALLING_CODE),
        ..PhoneParse::invalid(reason, Some(national), explanation)
    };
    if national.is_empty() {
        return fail(PhoneInvalid::TooShort, "only a country code".to_string());
    }
    if !national.starts_with('1') {
        return fail(
            PhoneInvalid::NotMobile,
            format!("`{national}` does not start with 1"),
        );
    }
    let len = national.len();
    if len < CN_MOBILE_DIGITS {
        return fail(
            PhoneInvalid::TooShort,
            format!("{len} digits, a mobile number has {CN_MOBILE_DIGITS}"),
        );
    }
    if len > CN_MOBILE_DIGITS {
        return fail(
            PhoneInvalid::TooLong,
            format!("{len} digits, a mobile number has {CN_MOBILE_DIGITS}"),
        );
    }
    match lookup_segment(national) {
        Some((prefix, Class::Assigned(carrier, plan))) => PhoneParse {
            valid: true,
            normalized: Some(national.to_string()),
            e164: Some(format!("+{CN_CALLING_CODE}{national}")),
            digits: Some(national.to_string()),
            country_code,
            calling_code: Some(CN_CALLING_CODE),
            region: Some("CN".to_string()),
            number_type: Some(NumberType::Mobile),
            segment: Some(prefix.to_string()),
            carrier: Some(carrier),
            plan: Some(plan),
            reason: None,
            explanation: format!(
                "{} {} segment {prefix}",
                carrier.as_str().replace('_', " "),
                plan.label()
            ),
        },
        Some((prefix, Class::Iot)) => PhoneParse {
            segment: Some(prefix.to_string()),
            ..fail(
                PhoneInvalid::IotSegment,
                format!("segment {prefix} holds 13-digit iot numbers"),
            )
        },
        Some((prefix, Class::Special)) => PhoneParse {
            segment: Some(prefix.to_string()),
            ..fail(
                PhoneInvalid::SpecialSegment,
                format!("segment {prefix} is for maritime satellite or emergency use"),
            )
        },
        None => fail(
            PhoneInvalid::UnallocatedSegment,
            format!(
                "segment {} is not allocated to a carrier",
                national.get(..3).unwrap_or(national)
            ),
        ),
    }
}

/// Separators people put inside phone numbers (after full-width folding).
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '.' | '(' | ')' | '‐' | '‑' | '–' | '—')
}

/// The digits of a number split by country.
#[derive(Debug, PartialEq, Eq)]
enum Split<'a> {
    /// A Chinese number: the country code written, if any, and the national digits.
    China(Option<CountryCode>, &'a str),
    /// Another country's number: the digits after `+` or `00`, its country code first.
    Foreign(&'a str),
}

/// Splits a recognised `86` country code off `digits`, or tells another country's number.
fn split_country_code(digits: &str, plus: bool) -> Split<'_> {
    if plus {
        return match digits.strip_prefix("86") {
            Some(rest) => Split::China(Some(CountryCode::Plus86), rest),
            None => Split::Foreign(digits),
        };
    }
    if let Some(rest) = digits.strip_prefix("0086") {
        return Split::China(Some(CountryCode::Zero086), rest);
    }
    if let Some(rest) = digits.strip_prefix("00") {
        return Split::Foreign(rest);
    }
    match digits.strip_prefix("86") {
        Some(rest) if rest.len() == CN_MOBILE_DIGITS && rest.starts_with('1') => {
            Split::China(Some(CountryCode::Bare86), rest)
        }
        _ => Split::China(None, digits),
    }
}

#[cfg(test)]
mod tests {
    use super::segments::SEGMENTS;
    use super::*;
    use Carrier::{ChinaBroadnet as B, ChinaMobile as M, ChinaTelecom as T, ChinaUnicom as U};
    use Plan::{DataCard as D, Mobile as P, Satellite as S, Virtual as V};
    use proptest::prelude::*;

    fn norm(raw: &str) -> Option<String> {
        parse_cn_mobile(raw).normalized
    }

    fn reason(raw: &str) -> Option<PhoneInvalid> {
        parse_cn_mobile(raw).reason
    }

    #[test]
    fn accepts_the_usual_forms() {
        for raw in [
            "13800138000",
            "138 0013 8000",
            "138-0013-8000",
            "138.0013.8000",
            "(138)0013-8000",
            "+86 138 0013 8000",
            "+86-13800138000",
            "(+86) 13800138000",
            "0086 138 0013 8000",
            "8613800138000",
            "86-138-0013-8000",
            "１３８００１３８０００",
            "＋８６　１３８－００１３－８０００",
            "（＋８６）１３８ ００１３ ８０００",
            "\t13800138000\n",
        ] {
            assert_eq!(norm(raw).as_deref(), Some("13800138000"), "{raw}");
        }
    }

    #[test]
    fn reports_country_code() {
        assert_eq!(
            parse_cn_mobile("+8613800138000").country_code,
            Some(CountryCode::Plus86)
        );
        assert_eq!(
            parse_cn_mobile("008613800138000").country_code,
            Some(CountryCode::Zero086)
        );
        assert_eq!(
            parse_cn_mobile("8613800138000").country_code,
            Some(CountryCode::Bare86)
        );
        assert_eq!(parse_cn_mobile("13800138000").country_code, None);
    }

    #[test]
    fn classifies_carriers_and_plans() {
        let cases = [
            ("13400138000", M, P),
            ("13490138000", T, S),
            ("17400138000", T, S),
            ("19200138000", B, P),
            ("17030138000", M, V),
            ("17040138000", U, V),
            ("17000138000", T, V),
            ("16200138000", T, V),
            ("16500138000", M, V),
            ("16700138000", U, V),
            ("17100138000", U, V),
            ("14700138000", M, D),
            ("14500138000", U, D),
            ("14900138000", T, D),
            ("19600138000", U, P),
            ("19700138000", M, P),
            ("19000138000", T, P),
            ("17200138000", M, P),
        ];
        for (raw, carrier, plan) in cases {
            let p = parse_cn_mobile(raw);
            assert_eq!((p.carrier, p.plan), (Some(carrier), Some(plan)), "{raw}");
        }
    }

    #[test]
    fn explains_invalid_numbers() {
        use PhoneInvalid::*;
        let cases = [
            ("", Empty),
            ("  - ", Empty),
            ("138001380", TooShort),
            ("+86", TooShort),
            ("138001380001", TooLong),
            ("0086138001380001", TooLong),
            ("010-12345678", NotMobile),
            ("+86 010 1234 5678", NotMobile),
            ("+1 415 555 0100", ForeignCountryCode),
            ("0044 20 7946 0000", ForeignCountryCode),
            ("138 0013 8000 转 8", InvalidCharacter),
            ("13800138000/13900139000", InvalidCharacter),
            ("tel:13800138000", InvalidCharacter),
            ("138+00138000", MisplacedPlus),
            ("++8613800138000", MisplacedPlus),
            ("12000138000", UnallocatedSegment),
            ("15400138000", UnallocatedSegment),
            ("19400138000", UnallocatedSegment),
            ("17413138000", UnallocatedSegment),
            ("14000138000", UnallocatedSegment),
            ("14600138000", IotSegment),
            ("14800138000", IotSegment),
            ("17490138000", SpecialSegment),
            ("17406138000", SpecialSegment),
        ];
        for (raw, want) in cases {
            let p = parse_cn_mobile(raw);
            assert_eq!(p.reason, Some(want), "{raw}: {}", p.explanation);
            assert!(!p.valid && p.normalized.is_none() && p.carrier.is_none());
        }
        assert_eq!(reason("８６１３８００１３８０００"), None);
    }

    #[test]
    fn bare_86_needs_exactly_eleven_digits_after_it() {
        // 86 + 10 digits: read as a national number starting with 8.
        assert_eq!(reason("861380013800"), Some(PhoneInvalid::NotMobile));
        assert_eq!(reason("86138001380001"), Some(PhoneInvalid::NotMobile));
    }

    #[test]
    fn reasons_serialize_as_their_codes() {
        for r in PhoneInvalid::ALL {
            assert_eq!(serde_json::to_value(r).unwrap(), r.code());
        }
    }

    proptest! {
        #[test]
        fn normalization_is_idempotent(raw in "[0-9０-９+＋ ()（）.\\-]{0,20}") {
            if let Some(n) = norm(&raw) {
                prop_assert_eq!(norm(&n), Some(n.clone()));
                prop_assert_eq!(n.len(), 11);
            }
        }

        #[test]
        fn every_valid_number_survives_formatting(rest in "[0-9]{8}", seg in 0usize..SEGMENTS.len(), sep in "[ \\-.]?") {
            let (prefix, class) = SEGMENTS[seg];
            let number = format!("{prefix}{}", &rest[..11 - prefix.len()]);
            let formatted = format!("+86{sep}{}{sep}{}", &number[..3], &number[3..]);
            let p = parse_cn_mobile(&formatted);
            prop_assert_eq!(p.valid, matches!(class, Class::Assigned(..)));
            if p.valid {
                prop_assert_eq!(p.normalized, Some(number));
            }
        }

        #[test]
        fn never_panics(raw in "\\PC{0,40}") {
            let p = parse_cn_mobile(&raw);
            prop_assert_eq!(p.valid, p.reason.is_none());
        }
    }
}
