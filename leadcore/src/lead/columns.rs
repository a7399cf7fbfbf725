//! Leads given as columns (the bindings' columnar input: numpy / pandas / Arrow in Python, arrays
//! and typed arrays in Node), decoded by the binding and assembled into [`Lead`]s here.

use chrono::{DateTime, Utc};

use super::{AttrValue, Lead, Source};
use crate::error::{FieldErrorKind, InputError};

/// Decoded lead columns, one row per lead; `None` cells are missing values. Errors name the
/// columns under `leads` (`leads.created_at[3]`).
///
/// ```
/// use leadcore::lead::{AttrValue, LeadColumns};
/// let at = leadcore::time::parse("2026-11-20T10:00:00+08:00").unwrap();
/// let columns = LeadColumns {
///     id: vec![Some("L1".into()), Some("L2".into())],
///     created_at: vec![Some(at), Some(at)],
///     source: vec![("channel".into(), vec![Some("sem".into()), None])],
///     attributes: vec![("employees".into(), vec![Some(AttrValue::Number(150.0)), None])],
///     ..Default::default()
/// };
/// let leads = columns.into_leads().unwrap();
/// assert_eq!(leads[0].source.channel.as_deref(), Some("sem"));
/// assert!(leads[1].attributes.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LeadColumns {
    /// Lead ids (required in every row).
    pub id: Vec<Option<String>>,
    /// Creation instants (required in every row).
    pub created_at: Vec<Option<DateTime<Utc>>>,
    /// Owners, if the table has the column.
    pub owner: Option<Vec<Option<String>>>,
    /// Stages, if the table has the column.
    pub stage: Option<Vec<Option<String>>>,
    /// `source` columns by field name (one of [`Source::FIELDS`]).
    pub source: Vec<(String, Vec<Option<String>>)>,
    /// Attribute columns by attribute name.
    pub attributes: Vec<(String, Vec<Option<AttrValue>>)>,
}

impl LeadColumns {
    /// The leads, row by row. Errors: a column whose length differs from `id`'s
    /// (`invalid_value` at `leads.<column>`), a row without an id or creation time
    /// (`missing_field` at `leads.id[i]` / `leads.created_at[i]`), a `source` column not in
    /// [`Source::FIELDS`] (`unknown_field` at `leads.source.<field>`).
    pub fn into_leads(self) -> Result<Vec<Lead>, InputError> {
        let n = self.id.len();
        let check = |name: &str, len: usize| {
            if len == n {
                Ok(())
            } else {
                let msg = format!("column has {len} rows, `id` has {n}");
                Err(InputError::new(
                    FieldErrorKind::InvalidValue(msg),
                    format!("leads.{name}"),
                ))
            }
        };
        check("created_at", self.created_at.len())?;
        if let Some(c) = &self.owner {
            check("owner", c.len())?;
        }
        if let Some(c) = &self.stage {
            check("stage", c.len())?;
        }
        for (f, c) in &self.source {
            if !Source::FIELDS.contains(&f.as_str()) {
                return Err(unknown_source_field(f));
            }
            check(&format!("source.{f}"), c.len())?;
        }
        for (a, c) in &self.attributes {
            check(&format!("attributes.{a}"), c.len())?;
        }
        let missing = |name: &str, i: usize| {
            InputError::new(
                FieldErrorKind::MissingField(format!("missing field `{name}`")),
                format!("leads.{name}[{i}]"),
            )
        };
        let mut owner = self.owner.map(Vec::into_iter);
        let mut stage = self.stage.map(Vec::into_iter);
        let mut source: Vec<_> = self
            .source
            .into_iter()
            .map(|(f, c)| (f, c.into_iter()))
            .collect();
        let mut attrs: Vec<_> = self
            .attributes
            .into_iter()
            .map(|(a, c)| (a, c.into_iter()))
            .collect();
        let mut leads = Vec::with_capacity(n);
        for (i, (id, at)) in self.id.into_iter().zip(self.created_at).enumerate() {
            let id = id.ok_or_else(|| missing("id", i))?;
            let at = at.ok_or_else(|| missing("created_at", i))?;
            let mut lead = Lead::new(id, at);
            lead.owner = owner.as_mut().and_then(Iterator::next).flatten();
            lead.stage = stage.as_mut().and_then(Iterator::next).flatten();
            for (field, col) in &mut source {
                set_source(&mut lead.source, field, col.next().flatten());
            }
            for (name, col) in &mut attrs {
                if let Some(v) = col.next().flatten() {
                    lead.attributes.insert(name.clone(), v);
                }
            }
            leads.push(lead);
        }
        Ok(leads)
    }
}

/// The error of a `source` column not in [`Source::FIELDS`] (`unknown_field` at
/// `leads.source.<field>`), for bindings that check the names before decoding the columns.
pub fn unknown_source_field(field: &str) -> InputError {
    let msg = format!(
        "unknown field `{field}`, expected one of {}",
        Source::FIELDS.map(|f| format!("`{f}`")).join(", ")
    );
    InputError::new(
        FieldErrorKind::UnknownField(msg),
        format!("leads.source.{field}"),
    )
}

fn set_source(s: &mut Source, field: &str, v: Option<String>) {
    let slot = match field {
        "channel" => &mut s.channel,
        "campaign" => &mut s.campaign,
        "utm_source" => &mut s.utm_source,
        "utm_medium" => &mut s.utm_medium,
        "utm_campaign" => &mut s.utm_campaign,
        "utm_term" => &mut s.utm_term,
        "utm_content" => &mut s.utm_content,
        _ => &mut s.referrer,
    };
    *slot = v;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_column_and_row() {
        let at = crate::time::parse("2026-11-20T10:00:00Z").unwrap();
        let base = LeadColumns {
            id: vec![Some("L1".into()), None],
            created_at: vec![Some(at), Some(at)],
            ..Default::default()
        };
        let e = base.clone().into_leads().unwrap_err();
        assert_eq!(
            (e.kind.code(), e.path.as_str()),
            ("missing_field", "leads.id[1]")
        );
        let short = LeadColumns {
            owner: Some(vec![None]),
            ..base.clone()
        };
        let e = short.into_leads().unwrap_err();
        assert_eq!(
            (e.kind.code(), e.path.as_str()),
            ("invalid_value", "leads.owner")
        );
        let odd = LeadColumns {
            source: vec![("gclid".into(), vec![None, None])],
            ..base
        };
        let e = odd.into_leads().unwrap_err();
        assert_eq!(
            (e.kind.code(), e.path.as_str()),
            ("unknown_field", "leads.source.gclid")
        );
    }
}
