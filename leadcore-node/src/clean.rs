//! Phone, email and company normalization, and duplicate clusters (a batch or one lead).

use leadcore::clean::{CompanyOptions, DedupPolicy, EmailOptions, PhoneRegions};
use leadcore::{Event, Lead};
use napi::{Env, Unknown, ValueType};
use napi_derive::napi;

use crate::config::{ConfigArg, config_arg, config_class};
use crate::conv::{Json, from_js, to_js};
use crate::errors::throw_lead;

config_class!(
    /// Which keys make two leads duplicates, and which one survives.
    JsDedupPolicy, "DedupPolicy", DedupPolicy, "config?: DedupPolicyJson | string", "DedupPolicyJson"
);

config_class!(
    /// A host-supplied table of 7-digit mobile prefixes → province / city.
    JsPhoneRegions, "PhoneRegions", PhoneRegions, "config?: PhoneRegionsJson | string", "PhoneRegionsJson"
);

config_class!(
    /// Email normalization options (gmail dots, plus tags).
    JsEmailOptions, "EmailOptions", EmailOptions, "config?: EmailOptionsJson | string", "EmailOptionsJson"
);

config_class!(
    /// Company-name normalization options (legal suffixes, region qualifiers).
    JsCompanyOptions, "CompanyOptions", CompanyOptions, "config?: CompanyOptionsJson | string", "CompanyOptionsJson"
);

/// Parses a phone number: a Chinese mobile's 11 digits and carrier, another's E.164, or why not.
#[napi(
    catch_unwind,
    ts_args_type = "raw: string",
    ts_return_type = "PhoneParse"
)]
pub fn normalize_phone(env: Env, raw: Unknown<'_>) -> napi::Result<Json> {
    let raw: String = from_js(&env, &raw, "raw")?;
    Ok(to_js(&leadcore::clean::parse_phone(&raw)))
}

/// Looks up the province / city of a mobile number's prefix.
#[napi(
    catch_unwind,
    ts_args_type = "regions: PhoneRegions | PhoneRegionsJson, raw: string",
    ts_return_type = "PhoneLocation"
)]
pub fn locate_phone(
    env: Env,
    regions: ConfigArg<'_, JsPhoneRegions>,
    raw: Unknown<'_>,
) -> napi::Result<Json> {
    let regions = config_arg::<JsPhoneRegions>(&env, Some(regions))?;
    let raw: String = from_js(&env, &raw, "raw")?;
    Ok(to_js(&leadcore::clean::locate_cn_mobile(&regions, &raw)))
}

/// Normalizes an email address and tells whether it is a personal (free-mail) one.
#[napi(
    catch_unwind,
    ts_args_type = "raw: string, options?: EmailOptions | EmailOptionsJson",
    ts_return_type = "EmailParse"
)]
pub fn normalize_email(
    env: Env,
    raw: Unknown<'_>,
    options: Option<ConfigArg<'_, JsEmailOptions>>,
) -> napi::Result<Json> {
    let options = config_arg::<JsEmailOptions>(&env, options)?;
    let raw: String = from_js(&env, &raw, "raw")?;
    Ok(to_js(&leadcore::clean::normalize_email(&raw, &options)))
}

/// Whether an email domain belongs to a free-mail provider (qq.com, 163.com, gmail.com…).
#[napi(catch_unwind, ts_args_type = "domain: string")]
pub fn is_personal_email_domain(env: Env, domain: Unknown<'_>) -> napi::Result<bool> {
    let domain: String = from_js(&env, &domain, "domain")?;
    Ok(leadcore::clean::is_personal_email_domain(&domain))
}

/// Normalizes a company name (width, spaces, legal suffixes, region qualifiers).
#[napi(
    catch_unwind,
    ts_args_type = "raw: string, options?: CompanyOptions | CompanyOptionsJson",
    ts_return_type = "CompanyParse"
)]
pub fn normalize_company(
    env: Env,
    raw: Unknown<'_>,
    options: Option<ConfigArg<'_, JsCompanyOptions>>,
) -> napi::Result<Json> {
    let options = config_arg::<JsCompanyOptions>(&env, options)?;
    let raw: String = from_js(&env, &raw, "raw")?;
    Ok(to_js(&leadcore::clean::normalize_company(&raw, &options)))
}

/// Duplicate clusters over a batch of leads, with survivors and the reason for each merge.
#[napi(
    catch_unwind,
    ts_args_type = "leads: Lead[] | Uint8Array, events?: LeadEvent[] | null, policy?: DedupPolicy | DedupPolicyJson",
    ts_return_type = "DedupResult"
)]
pub fn dedupe(
    env: Env,
    leads: Unknown<'_>,
    events: Option<Unknown<'_>>,
    policy: Option<ConfigArg<'_, JsDedupPolicy>>,
) -> napi::Result<Json> {
    let policy = config_arg::<JsDedupPolicy>(&env, policy)?;
    let leads = crate::arrow::leads_arg(&env, &leads)?;
    let events: Vec<Event> = match events {
        Some(e) if !matches!(e.get_type()?, ValueType::Undefined | ValueType::Null) => {
            from_js(&env, &e, "events")?
        }
        _ => Vec::new(),
    };
    let out = leadcore::clean::dedupe_with_events(&leads, &events, &policy)
        .map_err(|e| throw_lead(&env, e))?;
    Ok(to_js(&out))
}

/// The normalized keys of one lead (what `dedupe` matches on) as text for a lookup table:
/// `[{key, kind, value, contact}]`, e.g. `phone:13800138000`.
#[napi(
    catch_unwind,
    ts_args_type = "lead: Lead, policy?: DedupPolicy | DedupPolicyJson",
    ts_return_type = "LeadKey[]"
)]
pub fn dedupe_keys(
    env: Env,
    lead: Unknown<'_>,
    policy: Option<ConfigArg<'_, JsDedupPolicy>>,
) -> napi::Result<Json> {
    let policy = config_arg::<JsDedupPolicy>(&env, policy)?;
    let lead: Lead = from_js(&env, &lead, "lead")?;
    Ok(to_js(&leadcore::clean::dedupe_keys(&lead, &policy)))
}

/// Whether one lead duplicates any of its candidates: `{id, duplicate, cluster, values}`, the
/// cluster as `dedupe([...candidates, lead])` reports it.
#[napi(
    catch_unwind,
    ts_args_type = "lead: Lead, candidates: Lead[], events?: LeadEvent[] | null, policy?: DedupPolicy | DedupPolicyJson",
    ts_return_type = "DedupDecision"
)]
pub fn dedupe_one(
    env: Env,
    lead: Unknown<'_>,
    candidates: Unknown<'_>,
    events: Option<Unknown<'_>>,
    policy: Option<ConfigArg<'_, JsDedupPolicy>>,
) -> napi::Result<Json> {
    let policy = config_arg::<JsDedupPolicy>(&env, policy)?;
    let lead: Lead = from_js(&env, &lead, "lead")?;
    let candidates: Vec<Lead> = from_js(&env, &candidates, "candidates")?;
    let events: Vec<Event> = match events {
        Some(e) if !matches!(e.get_type()?, ValueType::Undefined | ValueType::Null) => {
            from_js(&env, &e, "events")?
        }
        _ => Vec::new(),
    };
    let out = leadcore::clean::dedupe_one_with_events(&lead, &candidates, &events, &policy)
        .map_err(|e| throw_lead(&env, e))?;
    Ok(to_js(&out))
}
