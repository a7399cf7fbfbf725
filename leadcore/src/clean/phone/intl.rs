//! Other countries' numbers, checked by libphonenumber (the `rlibphonenumber` crate, a Rust port
//! of Google's libphonenumber that ships its metadata).
//!
//! Only digits reach it (the caller has refused letters, extensions and stray `+`), always in
//! international form, so libphonenumber's leniencies (vanity letters, `ext.`, a default region)
//! never apply.

use rlibphonenumber::{
    NotANumberError, NumberLengthType, ParseError, PhoneNumber, PhoneNumberFormat, PhoneNumberType,
    Region, ValidationError,
};

use super::{NumberType, PhoneInvalid, PhoneParse};

/// Parses `international` (the digits after `+` or `00`, country code first); `digits` is
/// everything read, reported when no country code is recognised.
pub(super) fn parse(international: &str, digits: &str) -> PhoneParse {
    let number = match PhoneNumber::parse(format!("+{international}"), None) {
        Ok(number) => number,
        Err(e) => {
            let (reason, explanation) = parse_error(&e, international);
            return PhoneParse::invalid(reason, Some(digits), explanation);
        }
    };
    let code = u16::try_from(number.country_code).ok();
    let national = code
        .and_then(|c| international.strip_prefix(&c.to_string()))
        .unwrap_or(international);
    if !number.is_valid() {
        let (reason, explanation) = invalid_reason(&number);
        return PhoneParse {
            calling_code: code,
            ..PhoneParse::invalid(reason, Some(national), explanation)
        };
    }
    let e164 = number.format_as(PhoneNumberFormat::E164).into_owned();
    let region = match number.get_region_code() {
        Some(Region::World) | None => None,
        Some(region) => Some(region.to_string()),
    };
    let number_type = number_type(number.get_type());
    let explanation = format!(
        "{} number{} ({})",
        number_type.map_or("phone", NumberType::label),
        region
            .as_deref()
            .map_or(String::new(), |r| format!(" of {r}")),
        code.map_or(String::new(), |c| format!("+{c}")),
    );
    PhoneParse {
        valid: true,
        normalized: Some(e164.clone()),
        e164: Some(e164),
        digits: Some(national.to_string()),
        country_code: None,
        calling_code: code,
        region,
        number_type,
        segment: None,
        carrier: None,
        plan: None,
        reason: None,
        explanation,
    }
}

/// The reason for digits libphonenumber could not read as a number.
fn parse_error(e: &ParseError, international: &str) -> (PhoneInvalid, String) {
    match e {
        ParseError::InvalidCountryCode => (
            PhoneInvalid::UnknownCountryCode,
            format!("`+{international}` does not start with a country calling code"),
        ),
        ParseError::TooLongNsn
        | ParseError::NotANumber(NotANumberError::FailedToParseNumberAsInt(_)) => (
            PhoneInvalid::TooLong,
            "more digits than any phone number has".to_string(),
        ),
        ParseError::NotANumber(_) | ParseError::TooShortAfterIdd | ParseError::TooShortNsn => (
            PhoneInvalid::TooShort,
            "too few digits for a phone number".to_string(),
        ),
    }
}

/// Why libphonenumber refuses a number it could read: its length for the country, else no
/// number range holding it.
fn invalid_reason(number: &PhoneNumber) -> (PhoneInvalid, String) {
    let code = number.country_code;
    match number.is_possible_with_reason() {
        Err(ValidationError::InvalidCountryCode) => (
            PhoneInvalid::UnknownCountryCode,
            format!("no country has calling code {code}"),
        ),
        Err(ValidationError::TooShort) => (
            PhoneInvalid::TooShort,
            format!("shorter than every number of +{code}"),
        ),
        Ok(NumberLengthType::IsPossibleLocalOnly) => (
            PhoneInvalid::TooShort,
            format!("a local number of +{code}: the area code is missing"),
        ),
        Err(ValidationError::TooLong) => (
            PhoneInvalid::TooLong,
            format!("longer than every number of +{code}"),
        ),
        Err(ValidationError::InvalidLength) | Ok(NumberLengthType::IsPossible) => (
            PhoneInvalid::UnallocatedSegment,
            format!("no number range of +{code} holds it"),
        ),
    }
}

/// leadcore's name for libphonenumber's type; `None` for unknown.
fn number_type(t: PhoneNumberType) -> Option<NumberType> {
    Some(match t {
        PhoneNumberType::FixedLine => NumberType::FixedLine,
        PhoneNumberType::Mobile => NumberType::Mobile,
        PhoneNumberType::FixedLineOrMobile => NumberType::FixedLineOrMobile,
        PhoneNumberType::TollFree => NumberType::TollFree,
        PhoneNumberType::PremiumRate => NumberType::PremiumRate,
        PhoneNumberType::SharedCost => NumberType::SharedCost,
        PhoneNumberType::PersonalNumber => NumberType::PersonalNumber,
        PhoneNumberType::VoIP => NumberType::Voip,
        PhoneNumberType::Pager => NumberType::Pager,
        PhoneNumberType::UAN => NumberType::Uan,
        PhoneNumberType::VoiceMail => NumberType::Voicemail,
        PhoneNumberType::Unknown => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{CountryCode, parse_cn_mobile, parse_phone};
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_valid_numbers_of_other_countries() {
        use NumberType::*;
        let cases = [
            (
                "+1 415 555 0100",
                "+14155550100",
                Some("US"),
                FixedLineOrMobile,
            ),
            (
                "+1 (415) 555-0100",
                "+14155550100",
                Some("US"),
                FixedLineOrMobile,
            ),
            (
                "001 415 555 0100",
                "+14155550100",
                Some("US"),
                FixedLineOrMobile,
            ),
            (
                "+1 604 555 0100",
                "+16045550100",
                Some("CA"),
                FixedLineOrMobile,
            ),
            ("+1 800 555 0100", "+18005550100", Some("US"), TollFree),
            ("+44 20 7946 0000", "+442079460000", Some("GB"), FixedLine),
            (
                "+44 (0)20 7946 0000",
                "+442079460000",
                Some("GB"),
                FixedLine,
            ),
            ("0044 7400 123456", "+447400123456", Some("GB"), Mobile),
            ("+852 5123 4567", "+85251234567", Some("HK"), Mobile),
            ("+852 2123 4567", "+85221234567", Some("HK"), FixedLine),
            (
                "＋８８６ ９１２ ３４５ ６７８",
                "+886912345678",
                Some("TW"),
                Mobile,
            ),
            ("+853 6612 3456", "+85366123456", Some("MO"), Mobile),
            ("+81 90-1234-5678", "+819012345678", Some("JP"), Mobile),
            ("+39 06 1234 5678", "+390612345678", Some("IT"), FixedLine),
            ("+800 1234 5678", "+80012345678", None, TollFree),
        ];
        for (raw, e164, region, kind) in cases {
            let p = parse_phone(raw);
            assert!(p.valid, "{raw}: {}", p.explanation);
            assert_eq!(p.normalized.as_deref(), Some(e164), "{raw}");
            assert_eq!(p.e164.as_deref(), Some(e164), "{raw}");
            assert_eq!(p.region.as_deref(), region, "{raw}");
            assert_eq!(p.number_type, Some(kind), "{raw}");
            assert_eq!(p.reason, None);
            assert_eq!(
                (p.country_code, p.segment, p.carrier, p.plan),
                (None, None, None, None)
            );
        }
        let p = parse_phone("+44 (0)20 7946 0000");
        assert_eq!(p.calling_code, Some(44));
        assert_eq!(p.digits.as_deref(), Some("02079460000"));
        assert_eq!(p.explanation, "fixed line number of GB (+44)");
    }

    #[test]
    fn explains_invalid_numbers_of_other_countries() {
        use PhoneInvalid::*;
        let cases = [
            ("+999 123 456", UnknownCountryCode, None),
            ("0099 9123 456", UnknownCountryCode, None),
            ("+0 123 4567", UnknownCountryCode, None),
            ("+1", TooShort, None),
            ("00", TooShort, None),
            ("+44 20", TooShort, Some(44)),
            ("+44 20 7946", TooShort, Some(44)),
            ("+44 20 7946 0000 0000", TooLong, Some(44)),
            ("+1 415 555 0100 1234 5678 9012", TooLong, None),
            ("+1 123 456 7890", UnallocatedSegment, Some(1)),
            ("+852 0123 4567", UnallocatedSegment, Some(852)),
            // A valid Israeli number's pattern matches its first 9 digits (the older port,
            // `phonenumber`, calls it valid).
            ("+972 3 3142764978", UnallocatedSegment, Some(972)),
            ("+1 555 0100", TooShort, Some(1)),
            ("+1 415 555 0100 ext. 12", InvalidCharacter, None),
            ("+1 800 FLOWERS", InvalidCharacter, None),
        ];
        for (raw, reason, code) in cases {
            let p = parse_phone(raw);
            assert_eq!(p.reason, Some(reason), "{raw}: {}", p.explanation);
            assert_eq!(p.calling_code, code, "{raw}");
            assert!(!p.valid && p.normalized.is_none() && p.e164.is_none() && p.region.is_none());
        }
        let p = parse_phone("0099 9123 456");
        assert_eq!(p.digits.as_deref(), Some("00999123456"));
    }

    #[test]
    fn chinese_numbers_keep_their_parse() {
        for raw in [
            "+86 138 0013 8000",
            "0086 13800138000",
            "8613800138000",
            "13800138000",
        ] {
            let p = parse_phone(raw);
            assert_eq!(p, parse_cn_mobile(raw), "{raw}");
            assert_eq!(p.e164.as_deref(), Some("+8613800138000"));
            assert_eq!(p.calling_code, Some(86));
        }
        let p = parse_phone("+86 21 6552 8888");
        assert_eq!(p.reason, Some(PhoneInvalid::NotMobile));
        assert_eq!(p.country_code, Some(CountryCode::Plus86));
    }

    proptest! {
        #[test]
        fn same_as_cn_mobile_except_for_other_countries(raw in "[0-9０-９+＋ ()（）.\\-]{0,20}") {
            let cn = parse_cn_mobile(&raw);
            if cn.reason != Some(PhoneInvalid::ForeignCountryCode) {
                prop_assert_eq!(parse_phone(&raw), cn);
            }
        }

        #[test]
        fn valid_numbers_read_back_to_themselves(raw in "(\\+|00)?[0-9]{1,16}") {
            let p = parse_phone(&raw);
            prop_assert_eq!(p.valid, p.reason.is_none());
            if let Some(n) = p.normalized {
                let again = parse_phone(&n);
                prop_assert_eq!(again.normalized.as_ref(), Some(&n));
                prop_assert_eq!(again.e164, p.e164);
            }
        }
    }
}
