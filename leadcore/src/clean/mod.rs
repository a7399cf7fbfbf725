//! Cleaning raw leads: phone, email and company-name normalization, phone-prefix regions, and
//! duplicate clusters, over a batch or one lead at a time (DOMAIN.md §2, seeds 001 and 002).
//!
//! Cleaning a bad string is not an error: every cleaner returns a detailed result that says
//! why a value is invalid ([`parse_cn_mobile`], [`normalize_email`], [`normalize_company`]),
//! with a simple `Option` form beside it ([`cn_mobile`], [`email()`], [`company()`]). Errors are
//! reserved for configurations ([`DedupPolicy`], [`PhoneRegions`], [`EmailOptions`],
//! [`CompanyOptions`]) and for leads that cannot be de-duplicated ([`DedupError`]).

pub mod company;
pub mod dedup;
pub mod email;
pub mod phone;
pub mod region;
mod text;

pub use company::{
    CompanyInvalid, CompanyOptions, CompanyParse, StripKind, Stripped, company, normalize_company,
};
pub use dedup::{
    ActivitySource, CleanedLead, CleanedValue, Cluster, DedupDecision, DedupError, DedupKey,
    DedupPolicy, DedupResult, DedupStats, KeyKind, LeadKey, Match, SurvivorPolicy, SurvivorReason,
    ValueKind, dedupe, dedupe_keys, dedupe_one, dedupe_one_with_events, dedupe_with_events,
};
pub use email::{
    EmailInvalid, EmailOptions, EmailParse, EmailRule, PlusTags, email, is_personal_email_domain,
    normalize_email,
};
pub use phone::{
    Carrier, CountryCode, NumberType, PhoneInvalid, PhoneParse, Plan, parse_cn_mobile, parse_phone,
};
pub use region::{PhoneLocation, PhoneRegions, Region, locate_cn_mobile};

/// Normalizes a Chinese mobile number to its 11 digits, or `None` when it is not a valid one.
///
/// The simple form of [`parse_cn_mobile`], which also says which carrier or why not.
///
/// ```
/// assert_eq!(leadcore::clean::cn_mobile("+86 138-0013-8000").as_deref(), Some("13800138000"));
/// assert_eq!(leadcore::clean::cn_mobile("12345678901"), None);
/// ```
pub fn cn_mobile(raw: &str) -> Option<String> {
    parse_cn_mobile(raw).normalized
}
