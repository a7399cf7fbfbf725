//! Engagement events: what a lead did, and when.
//!
//! Events arrive out of order and duplicated; [`normalize`] gives the canonical stream (sorted by
//! time, then id; one event per id) that every computation in leadcore works on.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::lead::AttrValue;

/// One thing a lead did.
///
/// ```
/// let e: leadcore::Event = serde_json::from_str(r#"{
///     "id": "e1", "lead_id": "L1", "kind": "download", "at": "2026-11-20T10:00:00+08:00",
///     "properties": {"asset": "pricing.pdf"}
/// }"#).unwrap();
/// assert_eq!(e.kind, leadcore::EventKind::Download);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "LeadEvent")]
pub struct Event {
    /// The host's event id; two events with the same id are one event delivered twice.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::input::id::option::deserialize"
    )]
    #[schemars(with = "Option<crate::input::id::IdSchema>")]
    pub id: Option<String>,
    /// The lead that did it.
    #[serde(deserialize_with = "crate::input::id::deserialize")]
    #[schemars(with = "crate::input::id::IdSchema")]
    pub lead_id: String,
    /// What kind of engagement it was.
    pub kind: EventKind,
    /// For `custom` events, the host's name for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// When it happened.
    #[serde(with = "crate::time::rfc3339")]
    #[schemars(with = "crate::time::InstantSchema")]
    pub at: DateTime<Utc>,
    /// Details (page url, asset, campaign…), typed like lead attributes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, AttrValue>,
}

/// The kinds of engagement leadcore knows (seed 001's list plus email and sales touches).
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
pub enum EventKind {
    /// Viewed a page.
    PageView,
    /// Downloaded an asset (white paper, price list…).
    Download,
    /// Favourited / bookmarked an item.
    Favorite,
    /// Searched on the site.
    Search,
    /// Submitted a form.
    FormSubmit,
    /// Asked a question (chat, inquiry form, hotline).
    Inquiry,
    /// Checked in at an event.
    EventCheckin,
    /// Opened an email.
    EmailOpen,
    /// Clicked a link in an email.
    EmailClick,
    /// A phone call with the lead.
    Call,
    /// A meeting with the lead.
    Meeting,
    /// Anything else; see [`Event::name`].
    Custom,
}

impl EventKind {
    /// Every kind, in declaration order.
    pub const ALL: [EventKind; 12] = [
        Self::PageView,
        Self::Download,
        Self::Favorite,
        Self::Search,
        Self::FormSubmit,
        Self::Inquiry,
        Self::EventCheckin,
        Self::EmailOpen,
        Self::EmailClick,
        Self::Call,
        Self::Meeting,
        Self::Custom,
    ];

    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PageView => "page_view",
            Self::Download => "download",
            Self::Favorite => "favorite",
            Self::Search => "search",
            Self::FormSubmit => "form_submit",
            Self::Inquiry => "inquiry",
            Self::EventCheckin => "event_checkin",
            Self::EmailOpen => "email_open",
            Self::EmailClick => "email_click",
            Self::Call => "call",
            Self::Meeting => "meeting",
            Self::Custom => "custom",
        }
    }
}

/// The canonical event stream: sorted by time (then id), duplicates by id dropped.
///
/// Of several events with the same id the earliest-sorted one is kept, so the result does not
/// depend on arrival order. Events without an id are never duplicates of each other.
///
/// ```
/// use leadcore::event::normalize;
/// let events: Vec<leadcore::Event> = serde_json::from_str(r#"[
///   {"id": "b", "lead_id": "L", "kind": "call", "at": "2026-01-02T00:00:00Z"},
///   {"id": "a", "lead_id": "L", "kind": "call", "at": "2026-01-01T00:00:00Z"},
///   {"id": "b", "lead_id": "L", "kind": "call", "at": "2026-01-02T00:00:00Z"}
/// ]"#).unwrap();
/// let ids: Vec<_> = normalize(&events).iter().map(|e| e.id.as_deref().unwrap()).collect();
/// assert_eq!(ids, ["a", "b"]);
/// ```
pub fn normalize(events: &[Event]) -> Vec<&Event> {
    let mut sorted: Vec<&Event> = events.iter().collect();
    sorted
        .sort_by(|a, b| (a.at, &a.id, a.kind, &a.lead_id).cmp(&(b.at, &b.id, b.kind, &b.lead_id)));
    let mut seen: HashSet<&str> = HashSet::new();
    sorted.retain(|e| match &e.id {
        Some(id) => seen.insert(id.as_str()),
        None => true,
    });
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn event(id: u8, minute: u32) -> Event {
        Event {
            id: Some(format!("e{id}")),
            lead_id: "L".into(),
            kind: EventKind::PageView,
            name: None,
            at: crate::time::parse(&format!("2026-01-01T00:{minute:02}:00Z")).unwrap(),
            properties: BTreeMap::new(),
        }
    }

    proptest! {
        #[test]
        fn normalize_ignores_order_and_duplicates(ids in proptest::collection::vec(0u8..20, 0..40), seed in any::<u64>()) {
            let events: Vec<Event> = ids.iter().map(|&i| event(i, u32::from(i) % 60)).collect();
            let mut shuffled = events.clone();
            shuffled.extend(events.iter().take(5).cloned());
            let n = shuffled.len();
            if n > 1 {
                shuffled.rotate_left((seed as usize) % n);
            }
            let a: Vec<_> = normalize(&events).into_iter().cloned().collect();
            let b: Vec<_> = normalize(&shuffled).into_iter().cloned().collect();
            prop_assert_eq!(a, b);
        }
    }
}
