//! Shared-vector ops of the cleaning area (`tests/vectors/clean/`).
//!
//! | op | config | input | output |
//! | --- | --- | --- | --- |
//! | `normalize_phone` | — | `{raw}` | `parse_phone(raw)` |
//! | `locate_phone` | `PhoneRegions` | `{raw}` | `locate_cn_mobile(regions, raw)` |
//! | `normalize_email` | `EmailOptions` | `{raw}` | `normalize_email(raw, options)` |
//! | `is_personal_email_domain` | — | `{domain}` | `is_personal_email_domain(domain)` |
//! | `normalize_company` | `CompanyOptions` | `{raw}` | `normalize_company(raw, options)` |
//! | `dedupe` | `DedupPolicy` | `{leads, events?}` | `dedupe_with_events(leads, events, policy)` |
//! | `dedupe_keys` | `DedupPolicy` | `{lead}` | `dedupe_keys(lead, policy)` |
//! | `dedupe_one` | `DedupPolicy` | `{lead, candidates, events?}` | `dedupe_one_with_events(lead, candidates, events, policy)` |

use leadcore::clean::{
    CompanyOptions, DedupPolicy, EmailOptions, PhoneRegions, dedupe_keys, dedupe_one_with_events,
    dedupe_with_events, is_personal_email_domain, locate_cn_mobile, normalize_company,
    normalize_email, parse_phone,
};
use leadcore::input::{self, Config};
use leadcore::{Error, Event, Lead};
use serde::Deserialize;
use serde_json::Value;

use crate::support::{arg, opt_arg};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    raw: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Domain {
    domain: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Batch {
    leads: Vec<Lead>,
    #[serde(default)]
    events: Vec<Event>,
}

/// A null `raw` counts as missing, as `None` / `undefined` do in the bindings.
fn raw(input: &Value) -> Result<String, Error> {
    if input.get("raw").is_some_and(Value::is_null) {
        let kind = leadcore::FieldErrorKind::MissingField("missing field `raw`".into());
        return Err(leadcore::InputError::new(kind, "raw").into());
    }
    Ok(input::from_value::<Raw>(input.clone())?.raw)
}

/// Maps a clean op to the public API; `None` for ops of other areas.
pub fn run(op: &str, config: &Value, input: &Value) -> Option<Result<Value, Error>> {
    let result = match op {
        "normalize_phone" => raw(input).map(|r| input::to_value(&parse_phone(&r))),
        "locate_phone" => PhoneRegions::from_value(config.clone())
            .map_err(Error::from)
            .and_then(|regions| {
                raw(input).map(|r| input::to_value(&locate_cn_mobile(&regions, &r)))
            }),
        "normalize_email" => EmailOptions::from_value(config.clone())
            .map_err(Error::from)
            .and_then(|options| {
                raw(input).map(|r| input::to_value(&normalize_email(&r, &options)))
            }),
        "is_personal_email_domain" => input::from_value::<Domain>(input.clone())
            .map_err(Error::from)
            .map(|d| Value::Bool(is_personal_email_domain(&d.domain))),
        "normalize_company" => CompanyOptions::from_value(config.clone())
            .map_err(Error::from)
            .and_then(|options| {
                raw(input).map(|r| input::to_value(&normalize_company(&r, &options)))
            }),
        "dedupe" => DedupPolicy::from_value(config.clone())
            .map_err(Error::from)
            .and_then(|policy| {
                let batch: Batch = input::from_value(input.clone())?;
                let result = dedupe_with_events(&batch.leads, &batch.events, &policy)?;
                Ok(input::to_value(&result))
            }),
        "dedupe_keys" => DedupPolicy::from_value(config.clone())
            .map_err(Error::from)
            .and_then(|policy| {
                let lead: Lead = arg(input, "lead")?;
                Ok(input::to_value(&dedupe_keys(&lead, &policy)))
            }),
        "dedupe_one" => DedupPolicy::from_value(config.clone())
            .map_err(Error::from)
            .and_then(|policy| {
                let lead: Lead = arg(input, "lead")?;
                let candidates: Vec<Lead> = arg(input, "candidates")?;
                let events: Vec<Event> = opt_arg(input, "events")?.unwrap_or_default();
                let decision = dedupe_one_with_events(&lead, &candidates, &events, &policy)?;
                Ok(input::to_value(&decision))
            }),
        _ => return None,
    };
    Some(result)
}
