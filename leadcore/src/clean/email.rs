//! Email addresses: normalization, a hand-written shape check, optional provider rules for
//! matching, and free-mail (personal) provider detection.
//!
//! # Normalization (the `normalized` address, safe to write back)
//! Full-width characters are folded to half-width (`＠` → `@`), the ideographic full stops `。`
//! and `｡` become `.` (as IDNA does), surrounding whitespace is trimmed, one trailing dot of
//! the domain is dropped (`a@qq.com.` → `a@qq.com`) and everything is lowercased. Lowercasing
//! the local part is technically lossy (RFC 5321 leaves it case-sensitive) but no provider a
//! lead uses treats case as significant, and duplicates differ by case all the time.
//!
//! # Shape check (no regular expressions)
//! - exactly one `@`, no whitespace inside;
//! - local part: 1–64 bytes of ASCII letters, digits, ``!#$%&'*+/=?^_`{|}~-``, non-ASCII
//!   letters/digits (internationalized addresses), and dots that neither start, end nor repeat;
//!   quoted local parts (`"a b"@x.com`) are refused;
//! - domain: at least two dot-separated labels of 1–63 bytes made of letters,
//!   digits (ASCII or not) and inner hyphens; the last label (TLD) has a letter and ≥ 2 characters;
//!   IP literals (`[1.2.3.4]`) are refused;
//! - whole address at most 254 bytes.
//!
//! # Matching key (provider rules, off by default; see [`EmailOptions`])
//! The `key` is the address used to find duplicates. With `gmail_dots`, dots in Gmail local parts
//! are ignored and `googlemail.com` is read as `gmail.com` (Gmail delivers all of these to one
//! mailbox). With `plus_tags`, a `+tag` suffix of the local part is dropped, either only for the
//! providers known to deliver `user+tag@` to `user@` or for every domain.

use serde::{Deserialize, Serialize};

use super::text::fold_char;
use crate::error::ConfigError;
use crate::input::Config;

/// Longest local part, in UTF-8 bytes (RFC 5321 §4.5.3.1.1).
pub const MAX_LOCAL_BYTES: usize = 64;
/// Longest domain label, in UTF-8 bytes.
pub const MAX_LABEL_BYTES: usize = 63;
/// Longest address, in UTF-8 bytes (RFC 5321 path limit less the angle brackets).
pub const MAX_ADDRESS_BYTES: usize = 254;

/// Free-mail providers (Chinese and international), sorted; exact domain matches only.
const PERSONAL_DOMAINS: &[&str] = &[
    "126.com",
    "139.com",
    "163.com",
    "188.com",
    "189.cn",
    "21cn.com",
    "aliyun.com",
    "aol.com",
    "foxmail.com",
    "gmail.com",
    "gmx.com",
    "gmx.de",
    "gmx.net",
    "googlemail.com",
    "hotmail.co.uk",
    "hotmail.com",
    "hotmail.fr",
    "icloud.com",
    "live.cn",
    "live.com",
    "mac.com",
    "mail.com",
    "mail.ru",
    "me.com",
    "msn.com",
    "naver.com",
    "outlook.com",
    "proton.me",
    "protonmail.com",
    "qq.com",
    "sina.cn",
    "sina.com",
    "sohu.com",
    "tom.com",
    "tutanota.com",
    "vip.126.com",
    "vip.163.com",
    "vip.qq.com",
    "vip.sina.com",
    "vip.sohu.com",
    "wo.cn",
    "yahoo.co.jp",
    "yahoo.co.uk",
    "yahoo.com",
    "yahoo.com.cn",
    "yahoo.com.hk",
    "yahoo.com.tw",
    "yandex.com",
    "yandex.ru",
    "yeah.net",
    "ymail.com",
    "zoho.com",
];

/// Providers that deliver `user+tag@domain` to `user@domain`, sorted.
const PLUS_TAG_DOMAINS: &[&str] = &[
    "fastmail.com",
    "gmail.com",
    "googlemail.com",
    "hotmail.com",
    "icloud.com",
    "live.com",
    "mac.com",
    "me.com",
    "outlook.com",
    "proton.me",
    "protonmail.com",
];

/// Gmail's domains: dots in the local part are not significant there.
const GMAIL_DOMAINS: &[&str] = &["gmail.com", "googlemail.com"];

/// Whether an email domain belongs to a personal (free-mail) provider such as `qq.com`,
/// `163.com` or `gmail.com`.
///
/// Accepts a bare domain or a whole address (the part after the last `@` is used), folds
/// full-width characters, trims, lowercases and ignores one trailing dot. Only exact domains
/// match: `mail.qq.com` and `qq.com.cn` are not personal.
///
/// ```
/// use leadcore::clean::is_personal_email_domain;
/// assert!(is_personal_email_domain("QQ.com"));
/// assert!(is_personal_email_domain("zhang.san@163.com"));
/// assert!(!is_personal_email_domain("alibaba-inc.com"));
/// ```
pub fn is_personal_email_domain(domain: &str) -> bool {
    let folded: String = domain.chars().map(fold_email_char).collect();
    let lower = folded.trim().to_lowercase();
    let domain = lower.rsplit('@').next().unwrap_or(&lower);
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    PERSONAL_DOMAINS.binary_search(&domain).is_ok()
}

/// Normalizes an email address, or `None` when it is not a valid one (no provider rules).
///
/// ```
/// assert_eq!(leadcore::clean::email(" Zhang.San＠QQ。com ").as_deref(), Some("zhang.san@qq.com"));
/// assert_eq!(leadcore::clean::email("zhang san@qq.com"), None);
/// ```
pub fn email(raw: &str) -> Option<String> {
    normalize_email(raw, &EmailOptions::default()).normalized
}

/// Provider rules for the matching key. The default applies none.
///
/// JSON: `{"gmail_dots": true, "plus_tags": "known_providers"}` (both keys optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailOptions {
    /// Ignore dots in Gmail local parts and read `googlemail.com` as `gmail.com`.
    #[serde(default)]
    pub gmail_dots: bool,
    /// Which `+tag` suffixes to drop from the local part.
    #[serde(default)]
    pub plus_tags: PlusTags,
}

impl Config for EmailOptions {
    fn validate(&self) -> Result<(), ConfigError> {
        Ok(())
    }
}

/// Which `+tag` suffixes (`user+news@x.com`) the matching key drops.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PlusTags {
    /// Keep them: `user+news@` and `user@` are different keys.
    #[default]
    Keep,
    /// Drop them for Gmail, Outlook/Hotmail/Live, iCloud, Fastmail and Proton, which deliver
    /// tagged addresses to the untagged mailbox.
    KnownProviders,
    /// Drop them for every domain.
    All,
}

/// A provider rule that changed the matching key.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EmailRule {
    /// A `+tag` suffix was dropped from the local part.
    PlusTag,
    /// Dots were removed from a Gmail local part.
    GmailDots,
    /// `googlemail.com` was read as `gmail.com`.
    GooglemailDomain,
}

/// Why a string is not a valid email address.
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
pub enum EmailInvalid {
    /// Empty or blank.
    Empty,
    /// Whitespace inside the address.
    ContainsSpace,
    /// No `@`.
    MissingAt,
    /// More than one `@`.
    MultipleAt,
    /// Nothing before the `@`.
    EmptyLocal,
    /// Nothing after the `@`.
    EmptyDomain,
    /// Longer than 254 bytes.
    TooLong,
    /// Local part longer than 64 bytes.
    LocalTooLong,
    /// A character not allowed in the local part (quotes, brackets, commas…).
    InvalidLocalCharacter,
    /// A dot at the start or end of the local part, or two dots in a row.
    LocalDots,
    /// A character not allowed in a domain (`_`, `[`, `:`…).
    InvalidDomainCharacter,
    /// A domain without a dot (`user@localhost`).
    DomainWithoutDot,
    /// An empty domain label (`a@x..com`), one longer than 63 bytes, or one starting or ending
    /// with `-`.
    BadLabel,
    /// A top-level domain that is numeric or a single character.
    BadTld,
}

impl EmailInvalid {
    /// Every reason, in declaration order.
    pub const ALL: [EmailInvalid; 14] = [
        Self::Empty,
        Self::ContainsSpace,
        Self::MissingAt,
        Self::MultipleAt,
        Self::EmptyLocal,
        Self::EmptyDomain,
        Self::TooLong,
        Self::LocalTooLong,
        Self::InvalidLocalCharacter,
        Self::LocalDots,
        Self::InvalidDomainCharacter,
        Self::DomainWithoutDot,
        Self::BadLabel,
        Self::BadTld,
    ];

    /// The stable snake_case code used in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::ContainsSpace => "contains_space",
            Self::MissingAt => "missing_at",
            Self::MultipleAt => "multiple_at",
            Self::EmptyLocal => "empty_local",
            Self::EmptyDomain => "empty_domain",
            Self::TooLong => "too_long",
            Self::LocalTooLong => "local_too_long",
            Self::InvalidLocalCharacter => "invalid_local_character",
            Self::LocalDots => "local_dots",
            Self::InvalidDomainCharacter => "invalid_domain_character",
            Self::DomainWithoutDot => "domain_without_dot",
            Self::BadLabel => "bad_label",
            Self::BadTld => "bad_tld",
        }
    }
}

/// The detailed answer for one raw email string.
///
/// Every field is always present in JSON (`null` or `[]` when it does not apply).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailParse {
    /// Whether the string is a valid address.
    pub valid: bool,
    /// The normalized address (to write back), when valid.
    pub normalized: Option<String>,
    /// The matching key: `normalized` with the configured provider rules applied.
    pub key: Option<String>,
    /// The normalized local part.
    pub local: Option<String>,
    /// The normalized domain.
    pub domain: Option<String>,
    /// Whether the domain is a free-mail provider (see [`is_personal_email_domain`]).
    pub personal: Option<bool>,
    /// Provider rules that changed the key, in the order applied.
    pub rules: Vec<EmailRule>,
    /// Why the address is invalid, when it is.
    pub reason: Option<EmailInvalid>,
    /// One human-readable sentence saying what was found.
    pub explanation: String,
}

/// Normalizes and checks an email address, computing its matching key under `options`.
///
/// ```
/// use leadcore::clean::{normalize_email, EmailOptions, EmailInvalid, PlusTags};
/// let gmail = EmailOptions { gmail_dots: true, plus_tags: PlusTags::KnownProviders };
/// let e = normalize_email("Zhang.San+crm@GoogleMail.com", &gmail);
/// assert_eq!(e.normalized.as_deref(), Some("zhang.san+crm@googlemail.com"));
/// assert_eq!(e.key.as_deref(), Some("zhangsan@gmail.com"));
/// assert_eq!(e.personal, Some(true));
/// let bad = normalize_email("zhangsan@localhost", &EmailOptions::default());
/// assert_eq!(bad.reason, Some(EmailInvalid::DomainWithoutDot));
/// ```
pub fn normalize_email(raw: &str, options: &EmailOptions) -> EmailParse {
    let folded: String = raw.chars().map(fold_email_char).collect();
    let trimmed = folded.trim();
    let trimmed = trimmed.strip_suffix('.').unwrap_or(trimmed);
    let address = trimmed.to_lowercase();
    let (local, domain) = match check_shape(&address) {
        Ok(parts) => parts,
        Err((reason, explanation)) => {
            return EmailParse {
                valid: false,
                normalized: None,
                key: None,
                local: None,
                domain: None,
                personal: None,
                rules: Vec::new(),
                reason: Some(reason),
                explanation,
            };
        }
    };
    let (key, rules) = matching_key(local, domain, options);
    let personal = is_personal_email_domain(domain);
    let explanation = match (personal, rules.is_empty()) {
        (true, true) => format!("valid address at free-mail provider {domain}"),
        (false, true) => format!("valid address at {domain}"),
        (true, false) => format!("valid address at free-mail provider {domain}, key `{key}`"),
        (false, false) => format!("valid address at {domain}, key `{key}`"),
    };
    EmailParse {
        valid: true,
        normalized: Some(address.clone()),
        key: Some(key),
        local: Some(local.to_string()),
        domain: Some(domain.to_string()),
        personal: Some(personal),
        rules,
        reason: None,
        explanation,
    }
}

/// Full-width folding plus the ideographic full stops that IDNA reads as dots.
fn fold_email_char(c: char) -> char {
    match c {
        '。' | '｡' => '.',
        c => fold_char(c),
    }
}

type ShapeError = (EmailInvalid, String);

/// Checks a trimmed, lowercased address; returns `(local, domain)`.
fn check_shape(address: &str) -> Result<(&str, &str), ShapeError> {
    use EmailInvalid::*;
    if address.is_empty() {
        return Err((Empty, "empty".to_string()));
    }
    if address.chars().any(char::is_whitespace) {
        return Err((ContainsSpace, "whitespace inside the address".to_string()));
    }
    let (local, domain) = match address.split_once('@') {
        None => return Err((MissingAt, "no `@`".to_string())),
        Some((_, d)) if d.contains('@') => {
            return Err((MultipleAt, "more than one `@`".to_string()));
        }
        Some(parts) => parts,
    };
    if local.is_empty() {
        return Err((EmptyLocal, "nothing before the `@`".to_string()));
    }
    if domain.is_empty() {
        return Err((EmptyDomain, "nothing after the `@`".to_string()));
    }
    if local.len() > MAX_LOCAL_BYTES {
        return Err((
            LocalTooLong,
            format!(
                "local part of {} bytes, at most {MAX_LOCAL_BYTES}",
                local.len()
            ),
        ));
    }
    // This also bounds the domain: at most 252 bytes, within the DNS limit of 253.
    if address.len() > MAX_ADDRESS_BYTES {
        return Err((
            TooLong,
            format!("{} bytes, at most {MAX_ADDRESS_BYTES}", address.len()),
        ));
    }
    if let Some(c) = local.chars().find(|&c| !local_char(c)) {
        return Err((
            InvalidLocalCharacter,
            format!("`{c}` is not allowed before the `@`"),
        ));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err((
            LocalDots,
            "dots may not start, end or repeat in the local part".to_string(),
        ));
    }
    if let Some(c) = domain.chars().find(|&c| !domain_char(c)) {
        return Err((
            InvalidDomainCharacter,
            format!("`{c}` is not allowed in a domain"),
        ));
    }
    if !domain.contains('.') {
        return Err((DomainWithoutDot, format!("domain `{domain}` has no dot")));
    }
    for label in domain.split('.') {
        if label.is_empty()
            || label.len() > MAX_LABEL_BYTES
            || label.starts_with('-')
            || label.ends_with('-')
        {
            return Err((
                BadLabel,
                format!("domain label `{label}` is empty, too long or hyphen-edged"),
            ));
        }
    }
    let tld = domain.rsplit('.').next().unwrap_or(domain);
    if tld.chars().count() < 2 || !tld.chars().any(char::is_alphabetic) {
        return Err((BadTld, format!("`{tld}` is not a top-level domain")));
    }
    Ok((local, domain))
}

fn local_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || "!#$%&'*+/=?^_`{|}~-.".contains(c)
        || (!c.is_ascii() && c.is_alphanumeric())
}

fn domain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '.' || (!c.is_ascii() && c.is_alphanumeric())
}

/// The matching key of a valid address and the rules that changed it.
fn matching_key(local: &str, domain: &str, options: &EmailOptions) -> (String, Vec<EmailRule>) {
    let mut rules = Vec::new();
    let mut local = local.to_string();
    let mut domain = domain.to_string();
    let strip_plus = match options.plus_tags {
        PlusTags::Keep => false,
        PlusTags::KnownProviders => PLUS_TAG_DOMAINS.binary_search(&domain.as_str()).is_ok(),
        PlusTags::All => true,
    };
    // The base must stay a valid local part (`a.+x` keeps its tag: `a.` is not an address),
    // so that the key is itself an address whose key it is.
    if strip_plus
        && let Some((base, _)) = local.split_once('+')
        && !base.is_empty()
        && !base.ends_with('.')
    {
        local = base.to_string();
        rules.push(EmailRule::PlusTag);
    }
    if options.gmail_dots && GMAIL_DOMAINS.contains(&domain.as_str()) {
        // A valid local part never starts or ends with a dot, and removing the inner ones
        // cannot empty it.
        if local.contains('.') {
            local.retain(|c| c != '.');
            rules.push(EmailRule::GmailDots);
        }
        if domain != "gmail.com" {
            domain = "gmail.com".to_string();
            rules.push(EmailRule::GooglemailDomain);
        }
    }
    (format!("{local}@{domain}"), rules)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reason(raw: &str) -> Option<EmailInvalid> {
        normalize_email(raw, &EmailOptions::default()).reason
    }

    #[test]
    fn lists_are_sorted() {
        assert!(PERSONAL_DOMAINS.windows(2).all(|w| w[0] < w[1]));
        assert!(PLUS_TAG_DOMAINS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn normalizes() {
        for (raw, want) in [
            ("  Zhang.San@QQ.COM ", "zhang.san@qq.com"),
            ("ｚｈａｎｇ＠１６３．ｃｏｍ", "zhang@163.com"),
            ("li@163。com", "li@163.com"),
            ("li@sina.com.", "li@sina.com"),
            ("\u{3000}wang@company.com.cn\u{3000}", "wang@company.com.cn"),
            ("o'brien+x@acme.io", "o'brien+x@acme.io"),
            ("张三@公司.中国", "张三@公司.中国"),
        ] {
            assert_eq!(email(raw).as_deref(), Some(want), "{raw}");
        }
    }

    #[test]
    fn explains_invalid_addresses() {
        use EmailInvalid::*;
        let long_local = format!("{}@x.com", "a".repeat(65));
        let long_label = format!("a@{}.com", "b".repeat(64));
        let long_address = format!("{}@{}com", "a".repeat(64), "abcdefghi.".repeat(19));
        let cases: Vec<(&str, EmailInvalid)> = vec![
            ("", Empty),
            ("   ", Empty),
            ("zhang san@qq.com", ContainsSpace),
            ("zhangsan.qq.com", MissingAt),
            ("a@b@qq.com", MultipleAt),
            ("@qq.com", EmptyLocal),
            ("zhangsan@", EmptyDomain),
            (&long_address, TooLong),
            (&long_local, LocalTooLong),
            ("\"a b\"@x.com", ContainsSpace),
            ("\"ab\"@x.com", InvalidLocalCharacter),
            ("a,b@x.com", InvalidLocalCharacter),
            (".a@x.com", LocalDots),
            ("a.@x.com", LocalDots),
            ("a..b@x.com", LocalDots),
            ("a@x_y.com", InvalidDomainCharacter),
            ("a@[1.2.3.4]", InvalidDomainCharacter),
            ("a@localhost", DomainWithoutDot),
            ("a@x..com", BadLabel),
            ("a@-x.com", BadLabel),
            ("a@x-.com", BadLabel),
            ("a@.x.com", BadLabel),
            (&long_label, BadLabel),
            ("a@1.2.3.4", BadTld),
            ("a@x.c", BadTld),
        ];
        for (raw, want) in cases {
            let e = normalize_email(raw, &EmailOptions::default());
            assert_eq!(e.reason, Some(want), "{raw}: {}", e.explanation);
            assert!(!e.valid && e.normalized.is_none() && e.key.is_none());
        }
        assert_eq!(reason("a@x.co"), None);
    }

    #[test]
    fn provider_rules_change_only_the_key() {
        let all = EmailOptions {
            gmail_dots: true,
            plus_tags: PlusTags::All,
        };
        let known = EmailOptions {
            gmail_dots: false,
            plus_tags: PlusTags::KnownProviders,
        };
        let e = normalize_email("a.b+x@gmail.com", &all);
        assert_eq!(e.key.as_deref(), Some("ab@gmail.com"));
        assert_eq!(e.rules, [EmailRule::PlusTag, EmailRule::GmailDots]);
        assert_eq!(e.normalized.as_deref(), Some("a.b+x@gmail.com"));
        let e = normalize_email("a.b+x@qq.com", &known);
        assert_eq!(e.key.as_deref(), Some("a.b+x@qq.com"));
        let e = normalize_email("a.b+x@outlook.com", &known);
        assert_eq!(e.key.as_deref(), Some("a.b@outlook.com"));
        let e = normalize_email("a.b+x@qq.com", &all);
        assert_eq!(e.key.as_deref(), Some("a.b@qq.com"));
        let e = normalize_email("+x@gmail.com", &all);
        assert_eq!(e.key.as_deref(), Some("+x@gmail.com"));
        let e = normalize_email("ab@googlemail.com", &all);
        assert_eq!(e.key.as_deref(), Some("ab@gmail.com"));
        assert_eq!(e.rules, [EmailRule::GooglemailDomain]);
    }

    #[test]
    fn personal_domains() {
        for d in [
            "qq.com",
            "163.com",
            "126.com",
            "sina.com",
            "sohu.com",
            "foxmail.com",
            "aliyun.com",
            "yeah.net",
            "139.com",
            "gmail.com",
            "outlook.com",
            "hotmail.com",
            "yahoo.com",
            "icloud.com",
            " QQ.COM. ",
            "ＱＱ．ｃｏｍ",
            "x@vip.qq.com",
        ] {
            assert!(is_personal_email_domain(d), "{d}");
        }
        for d in ["alibaba-inc.com", "mail.qq.com", "qq.com.cn", "", "@"] {
            assert!(!is_personal_email_domain(d), "{d}");
        }
    }

    #[test]
    fn options_round_trip_and_reject_unknown_keys() {
        let o = EmailOptions::from_json(r#"{"plus_tags": "all"}"#).unwrap();
        assert_eq!(EmailOptions::from_json(&o.to_json()).unwrap(), o);
        let e = EmailOptions::from_json(r#"{"plus_tag": "all"}"#).unwrap_err();
        assert_eq!((e.code(), e.path.as_str()), ("unknown_field", "plus_tag"));
        let e = EmailOptions::from_json(r#"{"plus_tags": "some"}"#).unwrap_err();
        assert_eq!((e.code(), e.path.as_str()), ("invalid_type", "plus_tags"));
    }

    proptest! {
        #[test]
        fn normalization_and_key_are_idempotent(
            raw in "[ a-zA-Zａ-ｚ0-9._+@＠。-]{0,30}",
            gmail_dots in any::<bool>(),
            plus in 0u8..3,
        ) {
            let options = EmailOptions {
                gmail_dots,
                plus_tags: [PlusTags::Keep, PlusTags::KnownProviders, PlusTags::All][plus as usize],
            };
            let e = normalize_email(&raw, &options);
            prop_assert_eq!(e.valid, e.reason.is_none());
            if let (Some(n), Some(k)) = (e.normalized, e.key) {
                prop_assert_eq!(email(&n), Some(n.clone()));
                prop_assert_eq!(normalize_email(&k, &options).key, Some(k));
            }
        }

        #[test]
        fn gmail_variants_share_a_key(user in "[a-z]{1,5}(\\.[a-z]{1,5}){0,2}", tag in "[a-z0-9]{0,4}") {
            let options = EmailOptions { gmail_dots: true, plus_tags: PlusTags::KnownProviders };
            let plain = normalize_email(&format!("{}@gmail.com", user.replace('.', "")), &options).key;
            let tagged = if tag.is_empty() { user.clone() } else { format!("{user}+{tag}") };
            let variant = normalize_email(&format!("{}@GoogleMail.com", tagged.to_uppercase()), &options).key;
            prop_assert_eq!(plain, variant);
        }
    }
}
