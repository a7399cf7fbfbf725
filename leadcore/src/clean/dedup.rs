//! Duplicate clusters over a batch of leads, with a survivor per cluster and the reason for
//! every merge, plus the cleaned values of every lead for the CRM to write back.
//!
//! # How leads are matched
//! Each [`DedupKey`] reads raw values from lead attributes (`attributes.phone`…), normalizes them
//! ([`parse_phone`], [`normalize_email`] with the policy's provider rules,
//! [`normalize_company`] plus a contact name) and links every two leads that share a normalized
//! value. Links are transitive (union-find): if A and B share a phone and B and C share an email,
//! A, B and C are one cluster. Invalid values never match.
//!
//! # Raw values
//! - absent or `null`: no value, nothing reported;
//! - a string: normalized; blank strings are reported with reason `empty`;
//! - a list of strings: each item is a value (a lead may have several phones), reported with
//!   its `index`;
//! - a non-negative whole number below 10^15 (`13800138000` stored as a JSON number): read as
//!   its decimal digits;
//! - any other number, a boolean, date or date-time: reported with reason `not_text`, no value.
//!
//! # Output order
//! Everything is independent of input order except `leads` (the cleaned values), which follows
//! the input so that the host can zip it with what it sent. Clusters are ordered by their
//! smallest member id, members by id, matches by key kind then value. Ids compare as strings.
//!
//! Complexity: O(n log n) in the number of leads (hashing to find shared values, sorting for
//! stable output).
//!
//! # One lead at a time
//! A host that stores leads can de-duplicate each new lead on arrival: index every lead under
//! its [`dedupe_keys`], look a new lead's keys up to find candidates, and ask [`dedupe_one`]
//! for the decision, which is this batch algorithm run over the candidates and the lead.

use std::borrow::Borrow;
use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use super::company::{CompanyOptions, normalize_company};
use super::email::{EmailOptions, normalize_email};
use super::phone::parse_phone;
use super::text::{fold_width, tidy_spaces};
use crate::error::{ConfigError, FieldErrorKind};
use crate::event::Event;
use crate::input::Config;
use crate::lead::{AttrValue, Lead};

mod one;

pub use one::{DedupDecision, LeadKey, dedupe_keys, dedupe_one, dedupe_one_with_events};

/// Prefix of a field reference to a lead attribute.
pub const ATTRIBUTES_PREFIX: &str = "attributes.";

/// How to find duplicates and which lead of a cluster survives. `{}` is the default policy.
///
/// ```json
/// {
///   "keys": [
///     {"type": "phone", "fields": ["attributes.phone", "attributes.mobile"]},
///     {"type": "email", "fields": ["attributes.email"]},
///     {"type": "company_contact", "company_fields": ["attributes.company"],
///      "contact_fields": ["attributes.contact_name"]}
///   ],
///   "survivor": {"type": "oldest"},
///   "email": {"gmail_dots": false, "plus_tags": "keep"},
///   "company": {"strip_legal_suffixes": true, "strip_region_qualifiers": true}
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DedupPolicy {
    /// What makes two leads duplicates; each key kind at most once.
    #[serde(default = "default_keys")]
    pub keys: Vec<DedupKey>,
    /// Which member of a cluster survives.
    #[serde(default)]
    pub survivor: SurvivorPolicy,
    /// Provider rules for email matching keys.
    #[serde(default)]
    pub email: EmailOptions,
    /// What company-name normalization strips.
    #[serde(default)]
    pub company: CompanyOptions,
}

impl Default for DedupPolicy {
    fn default() -> Self {
        Self {
            keys: default_keys(),
            survivor: SurvivorPolicy::default(),
            email: EmailOptions::default(),
            company: CompanyOptions::default(),
        }
    }
}

fn default_keys() -> Vec<DedupKey> {
    vec![
        DedupKey::Phone {
            fields: default_phone_fields(),
        },
        DedupKey::Email {
            fields: default_email_fields(),
        },
        DedupKey::CompanyContact {
            company_fields: default_company_fields(),
            contact_fields: default_contact_fields(),
        },
    ]
}

fn default_phone_fields() -> Vec<String> {
    vec!["attributes.phone".into(), "attributes.mobile".into()]
}

fn default_email_fields() -> Vec<String> {
    vec!["attributes.email".into()]
}

fn default_company_fields() -> Vec<String> {
    vec!["attributes.company".into()]
}

fn default_contact_fields() -> Vec<String> {
    vec!["attributes.contact_name".into()]
}

fn default_activity_fields() -> Vec<String> {
    vec!["attributes.last_activity_at".into()]
}

/// One way two leads can be the same person. Fields are `attributes.<name>` references.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum DedupKey {
    /// Same normalized Chinese mobile number.
    Phone {
        /// Where phone numbers live (default `attributes.phone`, `attributes.mobile`).
        #[serde(default = "default_phone_fields")]
        fields: Vec<String>,
    },
    /// Same normalized email (matching key, with the policy's provider rules).
    Email {
        /// Where email addresses live (default `attributes.email`).
        #[serde(default = "default_email_fields")]
        fields: Vec<String>,
    },
    /// Same normalized company name **and** same contact name.
    CompanyContact {
        /// Where company names live (default `attributes.company`).
        #[serde(default = "default_company_fields")]
        company_fields: Vec<String>,
        /// Where contact names live (default `attributes.contact_name`).
        #[serde(default = "default_contact_fields")]
        contact_fields: Vec<String>,
    },
}

impl DedupKey {
    /// Which kind of key this is.
    pub fn kind(&self) -> KeyKind {
        match self {
            Self::Phone { .. } => KeyKind::Phone,
            Self::Email { .. } => KeyKind::Email,
            Self::CompanyContact { .. } => KeyKind::CompanyContact,
        }
    }
}

/// The kind of a dedup key, as reported in matches.
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
pub enum KeyKind {
    /// Normalized phone.
    Phone,
    /// Normalized email.
    Email,
    /// Normalized company name plus contact name.
    CompanyContact,
}

impl KeyKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Email => "email",
            Self::CompanyContact => "company_contact",
        }
    }
}

/// Which member of a duplicate cluster survives. Ties go to the smallest lead id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum SurvivorPolicy {
    /// The lead created first (`created_at`). The default.
    Oldest {},
    /// The lead with the most non-empty attributes (not null, not blank text, not an empty
    /// list).
    MostComplete {},
    /// The lead with the latest activity: its latest event in the batch's `events`, or the
    /// latest date-time in `activity_fields`, whichever is later; a lead with neither counts
    /// its `created_at`.
    MostRecentActivity {
        /// Attributes holding a last-activity date-time or date (a date counts as 00:00 UTC);
        /// values of other types are ignored. Default `attributes.last_activity_at`.
        #[serde(default = "default_activity_fields")]
        activity_fields: Vec<String>,
    },
}

impl Default for SurvivorPolicy {
    fn default() -> Self {
        Self::Oldest {}
    }
}

impl Config for DedupPolicy {
    fn validate(&self) -> Result<(), ConfigError> {
        if self.keys.is_empty() {
            return Err(ConfigError::new(
                FieldErrorKind::InvalidValue("at least one key is needed".into()),
                "keys",
            ));
        }
        let mut kinds = BTreeSet::new();
        for (i, key) in self.keys.iter().enumerate() {
            if !kinds.insert(key.kind()) {
                return Err(ConfigError::new(
                    FieldErrorKind::Duplicate(key.kind().as_str().into()),
                    format!("keys[{i}].type"),
                ));
            }
            match key {
                DedupKey::Phone { fields } | DedupKey::Email { fields } => {
                    check_fields(fields, &format!("keys[{i}].fields"), false)?;
                }
                DedupKey::CompanyContact {
                    company_fields,
                    contact_fields,
                } => {
                    check_fields(company_fields, &format!("keys[{i}].company_fields"), false)?;
                    check_fields(contact_fields, &format!("keys[{i}].contact_fields"), false)?;
                }
            }
        }
        if let SurvivorPolicy::MostRecentActivity { activity_fields } = &self.survivor {
            check_fields(activity_fields, "survivor.activity_fields", true)?;
        }
        self.email.validate().map_err(|e| nest(e, "email"))?;
        self.company.validate().map_err(|e| nest(e, "company"))?;
        Ok(())
    }
}

fn nest(e: ConfigError, parent: &str) -> ConfigError {
    ConfigError::new(e.kind, format!("{parent}.{}", e.path))
}

/// Checks a list of `attributes.<name>` references: non-empty (unless allowed), no duplicates.
fn check_fields(fields: &[String], path: &str, may_be_empty: bool) -> Result<(), ConfigError> {
    if fields.is_empty() && !may_be_empty {
        return Err(ConfigError::new(
            FieldErrorKind::InvalidValue("at least one field is needed".into()),
            path,
        ));
    }
    let mut seen = BTreeSet::new();
    for (j, field) in fields.iter().enumerate() {
        let name = field.strip_prefix(ATTRIBUTES_PREFIX).unwrap_or("");
        if name.is_empty() {
            return Err(ConfigError::new(
                FieldErrorKind::InvalidValue(format!(
                    "`{field}` is not an attribute reference such as `attributes.phone`"
                )),
                format!("{path}[{j}]"),
            ));
        }
        if !seen.insert(field) {
            return Err(ConfigError::new(
                FieldErrorKind::Duplicate(field.clone()),
                format!("{path}[{j}]"),
            ));
        }
    }
    Ok(())
}

/// Leads that cannot be de-duplicated: a batch, or one lead and its candidates.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    thiserror::Error,
    strum::IntoStaticStr,
    strum::VariantNames,
    serde::Serialize,
)]
#[strum(serialize_all = "snake_case")]
#[serde(untagged)]
pub enum DedupError {
    /// A lead id that is empty or blank.
    #[error("lead id is blank at `{path}`")]
    EmptyLeadId {
        /// JSON path of the id, e.g. `leads[3].id`, `lead.id`, `candidates[0].id`.
        path: String,
    },
    /// Two leads with the same id: leadcore will not guess which one the host meant.
    #[error("duplicate lead id `{id}` at `{path}` (first at `{first}`)")]
    DuplicateLeadId {
        /// The repeated id.
        id: String,
        /// JSON path of the second occurrence.
        path: String,
        /// JSON path of the first occurrence.
        first: String,
    },
}

impl DedupError {
    /// Every code a [`DedupError`] can have.
    pub const CODES: &'static [&'static str] = <Self as strum::VariantNames>::VARIANTS;

    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        self.into()
    }

    /// JSON path of the offending id in the call's input, e.g. `leads[3].id` (batch),
    /// `lead.id` or `candidates[0].id` (one lead).
    pub fn path(&self) -> &str {
        match self {
            Self::EmptyLeadId { path } | Self::DuplicateLeadId { path, .. } => path,
        }
    }
}

/// Duplicate clusters, the leads without duplicates, and every lead's cleaned values.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DedupResult {
    /// Clusters of two or more leads, ordered by their smallest member id.
    pub clusters: Vec<Cluster>,
    /// Ids of leads with no duplicate, sorted. With the clusters' members, a partition of the
    /// batch.
    pub unique: Vec<String>,
    /// Cleaned values per lead, in input order.
    pub leads: Vec<CleanedLead>,
    /// Counts.
    pub stats: DedupStats,
}

/// Counts over one dedup run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DedupStats {
    /// Leads in the batch.
    pub leads: usize,
    /// Clusters of two or more.
    pub clusters: usize,
    /// Leads merged into a survivor (cluster members minus survivors).
    pub duplicates: usize,
    /// Leads with no duplicate.
    pub unique: usize,
    /// Raw values that were reported invalid.
    pub invalid_values: usize,
}

/// A set of leads that are one person, with the lead that survives and why they matched.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Cluster {
    /// Id of the surviving lead.
    pub survivor: String,
    /// Every member's id (survivor included), sorted.
    pub members: Vec<String>,
    /// Members other than the survivor, sorted: the leads to merge into it.
    pub merged: Vec<String>,
    /// Why the survivor won.
    pub survivor_reason: SurvivorReason,
    /// Every shared normalized value that links members, ordered by key kind then value.
    pub matches: Vec<Match>,
}

/// One normalized value shared by two or more members: the reason they were merged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Match {
    /// Which key matched.
    pub key: KeyKind,
    /// The shared normalized value (phone, email key, or company key).
    pub value: String,
    /// For `company_contact`, the shared normalized contact name; `null` otherwise.
    pub contact: Option<String>,
    /// Ids of the members sharing it, sorted.
    pub leads: Vec<String>,
}

/// Why a cluster's survivor won, under the policy used.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "policy", rename_all = "snake_case")]
pub enum SurvivorReason {
    /// Created first.
    Oldest {
        /// The survivor's `created_at`.
        #[serde(with = "crate::time::rfc3339")]
        #[schemars(with = "crate::time::InstantSchema")]
        created_at: DateTime<Utc>,
        /// Whether another member had the same value and the smaller id decided.
        tie_broken_by_id: bool,
    },
    /// Most non-empty attributes.
    MostComplete {
        /// How many non-empty attributes the survivor has.
        filled_attributes: usize,
        /// Whether another member had the same count and the smaller id decided.
        tie_broken_by_id: bool,
    },
    /// Latest activity.
    MostRecentActivity {
        /// The survivor's latest activity.
        #[serde(with = "crate::time::rfc3339")]
        #[schemars(with = "crate::time::InstantSchema")]
        activity_at: DateTime<Utc>,
        /// Where that instant came from.
        source: ActivitySource,
        /// Whether another member had the same instant and the smaller id decided.
        tie_broken_by_id: bool,
    },
}

/// Where a lead's latest activity instant came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActivitySource {
    /// An event in the batch (wins ties with an attribute).
    Event,
    /// An activity attribute.
    Attribute,
    /// No activity recorded: the lead's creation.
    CreatedAt,
}

/// One lead's cleaned values, for write-back.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CleanedLead {
    /// The lead's id.
    pub id: String,
    /// Index into `clusters` of the lead's cluster, or `null` when it has no duplicate.
    pub cluster: Option<usize>,
    /// Every raw value read, in key order then field order.
    pub values: Vec<CleanedValue>,
}

/// What kind of value a cleaned value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// A phone number.
    Phone,
    /// An email address.
    Email,
    /// A company name.
    Company,
    /// A contact name.
    ContactName,
}

/// One raw value read from a lead and what cleaning made of it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CleanedValue {
    /// The field it was read from, e.g. `attributes.phone`.
    pub field: String,
    /// What it is.
    pub kind: ValueKind,
    /// Position in a list value; `null` for a single value.
    pub index: Option<usize>,
    /// The raw value as it came.
    pub raw: AttrValue,
    /// The cleaned value to write back (11-digit Chinese mobile or E.164 phone, normalized email,
    /// tidied company or contact name), when valid.
    pub cleaned: Option<String>,
    /// The matching key, when valid (email with provider rules, company with suffixes stripped,
    /// contact name lowercased without spaces).
    pub key: Option<String>,
    /// Why the value is unusable (a phone, email or company reason code, or `not_text`).
    pub reason: Option<&'static str>,
}

/// Finds duplicate clusters in a batch of leads (no events; see [`dedupe_with_events`]).
///
/// ```
/// use leadcore::clean::{dedupe, DedupPolicy};
/// let leads: Vec<leadcore::Lead> = serde_json::from_str(r#"[
///   {"id": "L1", "created_at": "2026-01-01T00:00:00Z", "attributes": {"phone": "138 0013 8000"}},
///   {"id": "L2", "created_at": "2026-02-01T00:00:00Z",
///    "attributes": {"mobile": "+86 13800138000", "email": "Li@Acme.cn"}},
///   {"id": "L3", "created_at": "2026-03-01T00:00:00Z", "attributes": {"email": "li@acme.cn"}},
///   {"id": "L4", "created_at": "2026-03-01T00:00:00Z", "attributes": {"phone": "123"}}
/// ]"#).unwrap();
/// let result = dedupe(&leads, &DedupPolicy::default()).unwrap();
/// assert_eq!(result.clusters.len(), 1);
/// assert_eq!(result.clusters[0].members, ["L1", "L2", "L3"]);
/// assert_eq!(result.clusters[0].survivor, "L1");
/// assert_eq!(result.unique, ["L4"]);
/// assert_eq!(result.leads[3].values[0].reason, Some("too_short"));
/// ```
pub fn dedupe(leads: &[Lead], policy: &DedupPolicy) -> Result<DedupResult, DedupError> {
    dedupe_with_events(leads, &[], policy)
}

/// Finds duplicate clusters, using `events` for the `most_recent_activity` survivor policy.
///
/// Events whose `lead_id` is not in the batch are ignored; duplicated events are harmless (only
/// the latest instant per lead counts).
pub fn dedupe_with_events(
    leads: &[Lead],
    events: &[Event],
    policy: &DedupPolicy,
) -> Result<DedupResult, DedupError> {
    cluster_batch(leads, events, policy, &|i| format!("leads[{i}]"))
}

/// The batch algorithm over leads held or borrowed (the one-lead form passes its candidates and
/// the lead without copying them); `path` names the lead at a position in errors.
fn cluster_batch<L: Borrow<Lead>>(
    leads: &[L],
    events: &[Event],
    policy: &DedupPolicy,
    path: &dyn Fn(usize) -> String,
) -> Result<DedupResult, DedupError> {
    let by_id = index_ids(leads, path)?;
    let n = leads.len();

    // Clean every lead and collect its distinct matching keys.
    let mut cleaned = Vec::with_capacity(n);
    let mut groups: HashMap<MatchKey, Vec<usize>> = HashMap::new();
    for (i, lead) in leads.iter().map(Borrow::borrow).enumerate() {
        let (values, keys) = clean_lead(lead, policy);
        for key in keys {
            groups.entry(key).or_default().push(i);
        }
        cleaned.push(CleanedLead {
            id: lead.id.clone(),
            cluster: None,
            values,
        });
    }

    // Link leads that share a key.
    let mut sets = DisjointSets::new(n);
    let mut shared: Vec<(MatchKey, Vec<usize>)> =
        groups.into_iter().filter(|(_, v)| v.len() > 1).collect();
    for (_, members) in &shared {
        if let Some((&first, rest)) = members.split_first() {
            for &other in rest {
                sets.union(first, other);
            }
        }
    }

    // Gather clusters, ordered by smallest member id.
    let mut by_root: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..n {
        by_root.entry(sets.find(i)).or_default().push(i);
    }
    let id_of = |i: usize| leads.get(i).map_or("", |l| l.borrow().id.as_str());
    let mut member_lists: Vec<Vec<usize>> = by_root.into_values().collect();
    for m in &mut member_lists {
        m.sort_by(|&a, &b| id_of(a).cmp(id_of(b)));
    }
    member_lists.sort_by(|a, b| {
        let first = |m: &Vec<usize>| m.first().map_or("", |&i| id_of(i));
        first(a).cmp(first(b))
    });
    let mut unique = Vec::new();
    let mut cluster_of_root: HashMap<usize, usize> = HashMap::new();
    let mut cluster_members = Vec::new();
    for members in member_lists {
        match members.as_slice() {
            [only] => unique.push(id_of(*only).to_string()),
            [first, ..] => {
                cluster_of_root.insert(sets.find(*first), cluster_members.len());
                cluster_members.push(members);
            }
            [] => {}
        }
    }

    // Attach each shared value to its cluster, ordered by key kind then value.
    shared.sort_by(|a, b| a.0.cmp(&b.0));
    let mut matches: Vec<Vec<Match>> = vec![Vec::new(); cluster_members.len()];
    for ((key, value, contact), mut members) in shared {
        let Some(first) = members.first().copied() else {
            continue;
        };
        let Some(&c) = cluster_of_root.get(&sets.find(first)) else {
            continue;
        };
        members.sort_by(|&a, &b| id_of(a).cmp(id_of(b)));
        if let Some(list) = matches.get_mut(c) {
            list.push(Match {
                key,
                value,
                contact,
                leads: members.iter().map(|&i| id_of(i).to_string()).collect(),
            });
        }
    }

    let activity = match &policy.survivor {
        SurvivorPolicy::MostRecentActivity { activity_fields } => {
            Some(activity_times(leads, events, &by_id, activity_fields))
        }
        _ => None,
    };
    let mut clusters = Vec::with_capacity(cluster_members.len());
    for ((c, members), matches) in cluster_members.iter().enumerate().zip(matches) {
        let (survivor, survivor_reason) =
            choose_survivor(members, leads, &policy.survivor, activity.as_deref());
        for &i in members {
            if let Some(l) = cleaned.get_mut(i) {
                l.cluster = Some(c);
            }
        }
        let members_ids: Vec<String> = members.iter().map(|&i| id_of(i).to_string()).collect();
        let survivor_id = id_of(survivor).to_string();
        clusters.push(Cluster {
            merged: members_ids
                .iter()
                .filter(|id| **id != survivor_id)
                .cloned()
                .collect(),
            survivor: survivor_id,
            members: members_ids,
            survivor_reason,
            matches,
        });
    }

    let duplicates = clusters.iter().map(|c| c.merged.len()).sum();
    let invalid_values = cleaned
        .iter()
        .flat_map(|l| &l.values)
        .filter(|v| v.reason.is_some())
        .count();
    Ok(DedupResult {
        stats: DedupStats {
            leads: n,
            clusters: clusters.len(),
            duplicates,
            unique: unique.len(),
            invalid_values,
        },
        clusters,
        unique,
        leads: cleaned,
    })
}

/// A matching key: kind, normalized value, and the contact name for `company_contact`.
type MatchKey = (KeyKind, String, Option<String>);

/// Maps ids to positions, refusing blank and repeated ids (`path` names a position).
fn index_ids<'a, L: Borrow<Lead>>(
    leads: &'a [L],
    path: &dyn Fn(usize) -> String,
) -> Result<HashMap<&'a str, usize>, DedupError> {
    let mut by_id: HashMap<&str, usize> = HashMap::with_capacity(leads.len());
    for (i, lead) in leads.iter().map(Borrow::borrow).enumerate() {
        if lead.id.trim().is_empty() {
            return Err(DedupError::EmptyLeadId {
                path: format!("{}.id", path(i)),
            });
        }
        if let Some(first) = by_id.insert(lead.id.as_str(), i) {
            return Err(DedupError::DuplicateLeadId {
                id: lead.id.clone(),
                path: format!("{}.id", path(i)),
                first: format!("{}.id", path(first)),
            });
        }
    }
    Ok(by_id)
}

/// Cleans one lead's values for every key; returns the values and the distinct matching keys.
fn clean_lead(lead: &Lead, policy: &DedupPolicy) -> (Vec<CleanedValue>, BTreeSet<MatchKey>) {
    let mut values = Vec::new();
    let mut keys = BTreeSet::new();
    for key in &policy.keys {
        match key {
            DedupKey::Phone { fields } => {
                for v in read_values(lead, fields, ValueKind::Phone, |raw| {
                    let p = parse_phone(raw);
                    match p.normalized {
                        Some(n) => Ok((n.clone(), n)),
                        None => Err(p.reason.map_or("invalid", |r| r.code())),
                    }
                }) {
                    if let Some(k) = &v.key {
                        keys.insert((KeyKind::Phone, k.clone(), None));
                    }
                    values.push(v);
                }
            }
            DedupKey::Email { fields } => {
                for v in read_values(lead, fields, ValueKind::Email, |raw| {
                    let e = normalize_email(raw, &policy.email);
                    match (e.normalized, e.key) {
                        (Some(n), Some(k)) => Ok((n, k)),
                        _ => Err(e.reason.map_or("invalid", |r| r.code())),
                    }
                }) {
                    if let Some(k) = &v.key {
                        keys.insert((KeyKind::Email, k.clone(), None));
                    }
                    values.push(v);
                }
            }
            DedupKey::CompanyContact {
                company_fields,
                contact_fields,
            } => {
                let companies = read_values(lead, company_fields, ValueKind::Company, |raw| {
                    let c = normalize_company(raw, &policy.company);
                    match (c.cleaned, c.normalized) {
                        (Some(cl), Some(n)) => Ok((cl, n)),
                        _ => Err("empty"),
                    }
                });
                let contacts = read_values(lead, contact_fields, ValueKind::ContactName, |raw| {
                    contact_name(raw).ok_or("empty")
                });
                for company in companies.iter().filter_map(|v| v.key.as_ref()) {
                    for contact in contacts.iter().filter_map(|v| v.key.as_ref()) {
                        keys.insert((
                            KeyKind::CompanyContact,
                            company.clone(),
                            Some(contact.clone()),
                        ));
                    }
                }
                values.extend(companies);
                values.extend(contacts);
            }
        }
    }
    (values, keys)
}

/// Reads every raw value of `fields` and cleans it with `clean` (→ `(cleaned, key)` or a
/// reason code).
fn read_values(
    lead: &Lead,
    fields: &[String],
    kind: ValueKind,
    clean: impl Fn(&str) -> Result<(String, String), &'static str>,
) -> Vec<CleanedValue> {
    let mut out = Vec::new();
    for field in fields {
        let Some(value) = field
            .strip_prefix(ATTRIBUTES_PREFIX)
            .and_then(|name| lead.attr(name))
        else {
            continue;
        };
        let mut push =
            |index: Option<usize>, raw: AttrValue, text: Result<String, &'static str>| {
                let result = text.and_then(|t| clean(&t));
                let (cleaned, key, reason) = match result {
                    Ok((c, k)) => (Some(c), Some(k), None),
                    Err(r) => (None, None, Some(r)),
                };
                out.push(CleanedValue {
                    field: field.clone(),
                    kind,
                    index,
                    raw,
                    cleaned,
                    key,
                    reason,
                });
            };
        match value {
            AttrValue::List(items) => {
                for (j, item) in items.iter().enumerate() {
                    push(Some(j), AttrValue::Text(item.clone()), Ok(item.clone()));
                }
            }
            other => push(None, other.clone(), as_text(other)),
        }
    }
    out
}

/// The text of a single attribute value: strings as they are, whole numbers as digits.
fn as_text(value: &AttrValue) -> Result<String, &'static str> {
    match value {
        AttrValue::Text(t) => Ok(t.clone()),
        // Non-negative whole numbers below 10^15 print exactly; other numbers are not
        // identifiers (and a minus sign must not pass for a separator).
        AttrValue::Number(x) if x.fract() == 0.0 && (0.0..1e15).contains(x) => {
            Ok(format!("{x:.0}"))
        }
        _ => Err("not_text"),
    }
}

/// A contact name: cleaned (folded, tidied) and keyed (lowercased, no whitespace).
fn contact_name(raw: &str) -> Option<(String, String)> {
    let cleaned = tidy_spaces(&fold_width(raw));
    if !cleaned.chars().any(char::is_alphanumeric) {
        return None;
    }
    let key: String = cleaned
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    Some((cleaned, key))
}

/// Latest activity per lead (by position) and where it came from.
fn activity_times<L: Borrow<Lead>>(
    leads: &[L],
    events: &[Event],
    by_id: &HashMap<&str, usize>,
    fields: &[String],
) -> Vec<(DateTime<Utc>, ActivitySource)> {
    let mut latest_event: Vec<Option<DateTime<Utc>>> = vec![None; leads.len()];
    for e in events {
        if let Some(slot) = by_id
            .get(e.lead_id.as_str())
            .and_then(|&i| latest_event.get_mut(i))
        {
            *slot = Some(slot.map_or(e.at, |t| t.max(e.at)));
        }
    }
    leads
        .iter()
        .map(Borrow::borrow)
        .zip(latest_event)
        .map(|(lead, event)| {
            let attribute = fields
                .iter()
                .filter_map(|f| lead.attr(f.strip_prefix(ATTRIBUTES_PREFIX)?))
                .filter_map(|v| match v {
                    AttrValue::DateTime(t) => Some(*t),
                    AttrValue::Date(d) => Some(d.and_time(NaiveTime::MIN).and_utc()),
                    _ => None,
                })
                .max();
            match (event, attribute) {
                (Some(e), Some(a)) if a > e => (a, ActivitySource::Attribute),
                (Some(e), _) => (e, ActivitySource::Event),
                (None, Some(a)) => (a, ActivitySource::Attribute),
                (None, None) => (lead.created_at, ActivitySource::CreatedAt),
            }
        })
        .collect()
}

/// Non-empty attributes: not null, not blank text, not an empty list.
fn filled_attributes(lead: &Lead) -> usize {
    lead.attributes
        .values()
        .filter(|v| match v {
            AttrValue::Null => false,
            AttrValue::Text(t) => !t.trim().is_empty(),
            AttrValue::List(items) => !items.is_empty(),
            _ => true,
        })
        .count()
}

/// Picks a cluster's survivor (members are sorted by id, so the first best one has the
/// smallest id) and says why.
fn choose_survivor<L: Borrow<Lead>>(
    members: &[usize],
    leads: &[L],
    policy: &SurvivorPolicy,
    activity: Option<&[(DateTime<Utc>, ActivitySource)]>,
) -> (usize, SurvivorReason) {
    // Higher score wins; equal scores fall to the smaller id (earlier in `members`).
    let lead = |i: usize| leads.get(i).map(Borrow::borrow);
    let created = |i: usize| lead(i).map(|l| l.created_at);
    let best = |score: &dyn Fn(usize) -> i128| -> (usize, bool) {
        let mut winner = members.first().copied().unwrap_or(0);
        for &i in members.iter().skip(1) {
            if score(i) > score(winner) {
                winner = i;
            }
        }
        let tied = members
            .iter()
            .filter(|&&i| score(i) == score(winner))
            .count()
            > 1;
        (winner, tied)
    };
    let ts = |t: Option<DateTime<Utc>>| -> i128 {
        t.map_or(i128::MIN, |t| {
            i128::from(t.timestamp()) * 1_000_000_000 + i128::from(t.timestamp_subsec_nanos())
        })
    };
    match policy {
        SurvivorPolicy::Oldest {} => {
            let (w, tied) = best(&|i| ts(created(i)).saturating_neg());
            (
                w,
                SurvivorReason::Oldest {
                    created_at: created(w).unwrap_or_default(),
                    tie_broken_by_id: tied,
                },
            )
        }
        SurvivorPolicy::MostComplete {} => {
            let filled = |i: usize| lead(i).map_or(0, filled_attributes);
            let (w, tied) = best(&|i| filled(i) as i128);
            (
                w,
                SurvivorReason::MostComplete {
                    filled_attributes: filled(w),
                    tie_broken_by_id: tied,
                },
            )
        }
        SurvivorPolicy::MostRecentActivity { .. } => {
            let at = |i: usize| activity.and_then(|a| a.get(i)).copied();
            let (w, tied) = best(&|i| ts(at(i).map(|(t, _)| t)));
            let (activity_at, source) =
                at(w).unwrap_or((created(w).unwrap_or_default(), ActivitySource::CreatedAt));
            (
                w,
                SurvivorReason::MostRecentActivity {
                    activity_at,
                    source,
                    tie_broken_by_id: tied,
                },
            )
        }
    }
}

/// Union-find with path halving and union by size.
struct DisjointSets {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl DisjointSets {
    fn new(n: usize) -> Self {
        Self {
            parent: (0..n).collect(),
            size: vec![1; n],
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while let Some(&p) = self.parent.get(x) {
            if p == x {
                break;
            }
            let grand = self.parent.get(p).copied().unwrap_or(p);
            if let Some(slot) = self.parent.get_mut(x) {
                *slot = grand;
            }
            x = grand;
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        let size = |s: &Self, r: usize| s.size.get(r).copied().unwrap_or(1);
        let (big, small) = if size(self, ra) >= size(self, rb) {
            (ra, rb)
        } else {
            (rb, ra)
        };
        let total = size(self, big) + size(self, small);
        if let Some(p) = self.parent.get_mut(small) {
            *p = big;
        }
        if let Some(s) = self.size.get_mut(big) {
            *s = total;
        }
    }
}

#[cfg(test)]
mod tests;
