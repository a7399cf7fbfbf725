//! Cleaning raw leads: phone, email and company-name normalization, and duplicate clusters.

/// Normalizes a Chinese mobile number to its 11 digits, or `None` when it is not a valid one.
///
/// Placeholder signature; the cleaning module fills in the rules.
pub fn cn_mobile(raw: &str) -> Option<String> {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    (digits.len() == 11 && digits.starts_with('1')).then_some(digits)
}

/// Normalizes an email address (trimmed, lowercased), or `None` when it is not one.
///
/// Placeholder signature; the cleaning module fills in the rules.
pub fn email(raw: &str) -> Option<String> {
    let e = raw.trim().to_lowercase();
    e.contains('@').then_some(e)
}

/// Whether an email's domain is a personal (free-mail) provider such as qq.com or 163.com.
///
/// Placeholder signature; the cleaning module fills in the rules.
pub fn is_personal_email_domain(domain: &str) -> bool {
    matches!(domain, "qq.com" | "163.com" | "126.com" | "gmail.com")
}
