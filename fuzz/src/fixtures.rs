//! Fixed inputs the targets exercise a parsed config or state with.

use leadcore::{Event, Lead, input};

/// When fixtures happen: 2026-01-05 09:00 in Beijing.
pub const NOW: &str = "2026-01-05T01:00:00Z";

/// A lead with the attributes the presets look at.
pub fn lead() -> Lead {
    input::from_json(
        r#"{"id": "L1", "created_at": "2026-01-01T00:00:00Z", "source": {"channel": "seo"},
            "attributes": {"industry": "saas", "employees": 250, "province": "北京",
              "phone": "13800138000", "email": "li@example.com",
              "company": "北京星云科技有限公司", "title": "CTO"}}"#,
    )
    .expect("fixture lead")
}

/// A few events of [`lead`].
pub fn events() -> Vec<Event> {
    input::from_json(
        r#"[{"id": "e1", "lead_id": "L1", "kind": "page_view", "at": "2026-01-02T00:00:00Z",
             "properties": {"url": "/pricing"}},
            {"id": "e2", "lead_id": "L1", "kind": "form_submit", "at": "2026-01-03T00:00:00Z"}]"#,
    )
    .expect("fixture events")
}

/// [`NOW`] as a time.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    leadcore::time::parse(NOW).expect("fixture time")
}
