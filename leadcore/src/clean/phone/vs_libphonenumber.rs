//! leadcore's segment table against libphonenumber's metadata on Chinese mobile numbers: every
//! 5-digit prefix of an 11-digit number starting with 1, through both. The differences found
//! are listed in the module docs of [`super`]; this test fails when either side changes.
//!
//! One number per prefix is enough: the segment table decides on at most 5 leading digits, and
//! so does libphonenumber's pattern for 11-digit Chinese mobile numbers.

use std::collections::BTreeSet;

use rlibphonenumber::{PhoneNumber, PhoneNumberType};

use super::segments::lookup_segment;
use super::{PhoneInvalid, Plan, parse_cn_mobile};

/// What one side says of a number: valid, or invalid.
type Verdict = &'static str;

/// Where the two disagree: the segment (the table entry, or the first 3 digits when the table
/// has none), leadcore's verdict and libphonenumber's.
const DIFFERENCES: &[(&str, Verdict, Verdict)] = &[
    ("149", "data_card", "invalid"),
    ("161", "unallocated_segment", "mobile"),
];

/// leadcore's verdict: the plan of a valid number, or the reason.
fn leadcore(national: &str) -> Verdict {
    let p = parse_cn_mobile(national);
    match (p.plan, p.reason) {
        (Some(Plan::Mobile), _) => "mobile",
        (Some(Plan::Virtual), _) => "virtual",
        (Some(Plan::DataCard), _) => "data_card",
        (Some(Plan::Satellite), _) => "satellite",
        (None, reason) => reason.map_or("invalid", PhoneInvalid::code),
    }
}

/// libphonenumber's verdict: `mobile`, another type, or `invalid`.
fn libphonenumber(national: &str) -> Verdict {
    let Ok(number) = PhoneNumber::parse(format!("+86{national}"), None) else {
        return "unparsed";
    };
    match number.get_type() {
        _ if !number.is_valid() => "invalid",
        PhoneNumberType::Mobile => "mobile",
        PhoneNumberType::FixedLine => "fixed_line",
        _ => "other",
    }
}

#[test]
fn segments_differ_only_where_documented() {
    let mut found = BTreeSet::new();
    for prefix in 10_000..20_000 {
        let national = format!("{prefix}013800");
        let (ours, theirs) = (leadcore(&national), libphonenumber(&national));
        let agree = if matches!(ours, "mobile" | "virtual" | "data_card" | "satellite") {
            theirs == "mobile"
        } else {
            matches!(theirs, "invalid" | "unparsed")
        };
        if !agree {
            let segment = lookup_segment(&national)
                .map(|(s, _)| s.to_string())
                .unwrap_or_else(|| national[..3].to_string());
            found.insert((segment, ours, theirs));
        }
    }
    let want: BTreeSet<_> = DIFFERENCES
        .iter()
        .map(|&(s, o, t)| (s.to_string(), o, t))
        .collect();
    assert_eq!(found, want);
}
