//! De-duplication one lead at a time, for hosts that ingest leads one by one and keep them in a
//! database.
//!
//! The host keeps a lookup table from key text to lead id. For each new lead it asks for the
//! lead's keys ([`dedupe_keys`]), looks them up to find candidate leads, and asks for the
//! decision ([`dedupe_one`]). Both are the batch form ([`dedupe`](super::dedupe)) seen from one
//! lead, not a second implementation: the keys are the values the batch form matches on, and the
//! decision is the batch result for `[candidates…, lead]` restricted to the lead's cluster.
//!
//! # Key text
//! `<kind>:<value>` for `phone` and `email` (`phone:13800138000`, `email:li@acme.cn`), and
//! `company_contact:<company>|<contact>` for the company-and-contact key
//! (`company_contact:阿里巴巴网络技术|张三`). The value is the normalized matching value
//! (11-digit Chinese mobile or E.164 phone, email matching key, company key, contact key: see
//! [`CleanedValue::key`]); in each value `%` is written `%25` and `|` is written `%7C`, so the
//! text can be split back. Two leads get the same key text if and only if the batch form would
//! match them on that key.
//!
//! Keys depend on the policy (fields, email provider rules, company options): re-index the table
//! when the policy changes. They are case-sensitive Unicode text: index them with a binary
//! (byte-wise) collation, or a case-insensitive database could equate keys leadcore keeps
//! apart. A key is as long as the value it came from; a host with index size limits can store a
//! hash of the text instead.

use serde::Serialize;

use super::{
    CleanedValue, Cluster, DedupError, DedupPolicy, KeyKind, MatchKey, clean_lead, cluster_batch,
};
use crate::event::Event;
use crate::lead::Lead;

/// One normalized key of a lead: a value the batch form matches on, as text a host can index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct LeadKey {
    /// The key text (module docs): `phone:13800138000`, `email:li@acme.cn`,
    /// `company_contact:阿里巴巴网络技术|张三`.
    pub key: String,
    /// Which key of the policy it comes from.
    pub kind: KeyKind,
    /// The normalized value: 11-digit Chinese mobile or E.164 phone (`+14155550100`), email
    /// matching key, or company key.
    pub value: String,
    /// For `company_contact`, the normalized contact name; `null` otherwise.
    pub contact: Option<String>,
}

impl LeadKey {
    fn new((kind, value, contact): MatchKey) -> Self {
        let mut key = String::from(kind.as_str());
        key.push(':');
        push_escaped(&mut key, &value);
        if let Some(contact) = &contact {
            key.push('|');
            push_escaped(&mut key, contact);
        }
        Self {
            key,
            kind,
            value,
            contact,
        }
    }
}

/// Appends a key component with `%` and `|` percent-encoded.
fn push_escaped(out: &mut String, part: &str) {
    for ch in part.chars() {
        match ch {
            '%' => out.push_str("%25"),
            '|' => out.push_str("%7C"),
            other => out.push(other),
        }
    }
}

/// Whether one lead duplicates any of its candidates, and the cluster it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DedupDecision {
    /// The lead's id.
    pub id: String,
    /// Whether the lead duplicates at least one candidate (then `cluster` is not `null`).
    pub duplicate: bool,
    /// The cluster containing the lead, exactly as the batch form reports it for
    /// `[candidates…, lead]` (survivor, members, merged, survivor reason, matches; it may
    /// include candidates linked to the lead only through other candidates); `null` when the
    /// lead duplicates none.
    pub cluster: Option<Cluster>,
    /// The lead's cleaned values, as the batch form reports them in `leads`.
    pub values: Vec<CleanedValue>,
}

/// The distinct normalized keys of one lead under `policy`, ordered by key kind (in
/// [`KeyKind`] order) then value then contact. Invalid values give no key; a lead with none
/// can only be unique.
///
/// ```
/// use leadcore::clean::{dedupe_keys, DedupPolicy};
/// let lead: leadcore::Lead = serde_json::from_str(r#"{
///   "id": "L9", "created_at": "2026-03-01T00:00:00Z",
///   "attributes": {"phone": ["+86 138 0013 8000", "13800138000", "123"], "email": "Li@Acme.cn",
///                  "company": "阿里巴巴网络技术有限公司", "contact_name": "张 三"}
/// }"#).unwrap();
/// let keys: Vec<String> = dedupe_keys(&lead, &DedupPolicy::default())
///     .into_iter()
///     .map(|k| k.key)
///     .collect();
/// assert_eq!(keys, [
///     "phone:13800138000",
///     "email:li@acme.cn",
///     "company_contact:阿里巴巴网络技术|张三",
/// ]);
/// ```
pub fn dedupe_keys(lead: &Lead, policy: &DedupPolicy) -> Vec<LeadKey> {
    let (_, keys) = clean_lead(lead, policy);
    keys.into_iter().map(LeadKey::new).collect()
}

/// Decides whether `lead` duplicates any of `candidates` (no events; see
/// [`dedupe_one_with_events`]).
///
/// The decision is the batch result for `[candidates…, lead]` restricted to the lead's
/// cluster: same matches, same survivor policy and reasons. Candidates are typically the leads
/// the host found under the lead's [`dedupe_keys`]; passing none is allowed (the lead is then
/// unique). Errors name `lead.id` or `candidates[i].id`: a blank id, two candidates with one id,
/// or a candidate with the lead's own id (`duplicate_lead_id` at `lead.id`: leave the lead out
/// of its own candidates when re-checking a stored lead).
///
/// ```
/// use leadcore::clean::{dedupe_one, DedupPolicy};
/// let leads: Vec<leadcore::Lead> = serde_json::from_str(r#"[
///   {"id": "L1", "created_at": "2026-01-01T00:00:00Z", "attributes": {"phone": "138 0013 8000"}},
///   {"id": "L2", "created_at": "2026-02-01T00:00:00Z", "attributes": {"email": "li@acme.cn"}},
///   {"id": "L9", "created_at": "2026-03-01T00:00:00Z",
///    "attributes": {"mobile": "+86 13800138000", "email": "Li@Acme.cn"}}
/// ]"#).unwrap();
/// let (lead, candidates) = leads.split_last().unwrap();
/// let decision = dedupe_one(lead, candidates, &DedupPolicy::default()).unwrap();
/// assert!(decision.duplicate);
/// let cluster = decision.cluster.unwrap();
/// assert_eq!(cluster.survivor, "L1");
/// assert_eq!(cluster.merged, ["L2", "L9"]);
///
/// // The lead among its own candidates is refused.
/// let e = dedupe_one(lead, &leads, &DedupPolicy::default()).unwrap_err();
/// assert_eq!((e.code(), e.path()), ("duplicate_lead_id", "lead.id"));
/// ```
pub fn dedupe_one(
    lead: &Lead,
    candidates: &[Lead],
    policy: &DedupPolicy,
) -> Result<DedupDecision, DedupError> {
    dedupe_one_with_events(lead, candidates, &[], policy)
}

/// Decides whether `lead` duplicates any of `candidates`, using `events` (of the lead and the
/// candidates) for the `most_recent_activity` survivor policy, as [`dedupe_with_events`]
/// does.
///
/// Complexity: that of the batch form over the candidates and the lead.
///
/// [`dedupe_with_events`]: super::dedupe_with_events
///
/// ```
/// use leadcore::clean::{dedupe_one_with_events, DedupPolicy};
/// use leadcore::input::Config;
/// let leads: Vec<leadcore::Lead> = serde_json::from_str(r#"[
///   {"id": "L1", "created_at": "2026-01-01T00:00:00Z", "attributes": {"phone": "13800138000"}},
///   {"id": "L9", "created_at": "2026-03-01T00:00:00Z", "attributes": {"phone": "13800138000"}}
/// ]"#).unwrap();
/// let events: Vec<leadcore::Event> = serde_json::from_str(r#"[
///   {"id": "e1", "lead_id": "L1", "kind": "page_view", "at": "2026-04-01T00:00:00Z"}
/// ]"#).unwrap();
/// let policy = DedupPolicy::from_json(r#"{"survivor": {"type": "most_recent_activity"}}"#)?;
/// let d = dedupe_one_with_events(&leads[1], &leads[..1], &events, &policy)?;
/// assert_eq!(d.cluster.unwrap().survivor, "L1");
/// # Ok::<(), leadcore::Error>(())
/// ```
pub fn dedupe_one_with_events(
    lead: &Lead,
    candidates: &[Lead],
    events: &[Event],
    policy: &DedupPolicy,
) -> Result<DedupDecision, DedupError> {
    let n = candidates.len();
    let batch: Vec<&Lead> = candidates.iter().chain(std::iter::once(lead)).collect();
    let path = |i: usize| {
        if i < n {
            format!("candidates[{i}]")
        } else {
            "lead".to_string()
        }
    };
    let result = cluster_batch(&batch, events, policy, &path)?;
    let (cluster, values) = match result.leads.into_iter().next_back() {
        Some(cleaned) => (
            cleaned
                .cluster
                .and_then(|c| result.clusters.into_iter().nth(c)),
            cleaned.values,
        ),
        None => (None, Vec::new()),
    };
    Ok(DedupDecision {
        id: lead.id.clone(),
        duplicate: cluster.is_some(),
        cluster,
        values,
    })
}

#[cfg(test)]
mod tests;
