//! Leads given as columns (the bindings' columnar input: numpy / pandas / Arrow in Python, arrays
//! and typed arrays in Node), decoded by the binding and assembled into [`Lead`]s here.

use chrono::{DateTime, Utc};

use super::{AttrValue, Lead, Source};
use crate::error::{FieldErrorKind, InputError};
use crate::table::{Kind, Schema, Spec, Table};

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

/// The columns of a lead table: `id` (text or integers) and `created_at` required, `owner` and
/// `stage` optional; the table is open: a column `source.<field>` is that [`Source`] field,
/// and any other column an attribute (`attributes.<name>` or just `<name>`).
pub const LEADS: Schema = Schema {
    arg: "leads",
    columns: &[
        Spec::required("id", Kind::Id),
        Spec::required("created_at", Kind::Instant),
        Spec::optional("owner", Kind::Text),
        Spec::optional("stage", Kind::Text),
    ],
    open: true,
};

/// The leads of a lead table's batches ([`LEADS`]), row by row. Missing cells are left out of
/// the lead (NaN too, in float attribute columns); text attributes are read as lead attributes
/// are (dates and RFC 3339 instants become dates and instants); timestamps become instants.
/// Errors name the column and row (`leads.created_at[3]`, `leads.source.medium`).
///
/// ```
/// use leadcore::lead::leads_from_tables;
/// use leadcore::table::{Column, Table, TimeUnit};
/// let (off, ids) = Column::text_buffers(&[Some("L1"), Some("L2")]);
/// let (ch_off, ch) = Column::text_buffers(&[Some("sem"), None]);
/// let valid = leadcore::table::Bits::new(&[0b01], 0, 2);
/// let table = Table::new(vec![
///     ("id".into(), Column::text(&off, &ids, None)),
///     ("created_at".into(), Column::Time { values: vec![1_767_225_600_000; 2].into(), unit: TimeUnit::Millis, validity: None }),
///     ("source.channel".into(), Column::text(&ch_off, &ch, valid)),
///     ("employees".into(), Column::Int { values: vec![150, 20].into(), validity: None }),
/// ]);
/// let leads = leads_from_tables(&[table]).unwrap();
/// assert_eq!(leads[0].source.channel.as_deref(), Some("sem"));
/// assert_eq!(leads[1].attributes["employees"].as_f64(), Some(20.0));
/// ```
pub fn leads_from_tables(batches: &[Table<'_>]) -> Result<Vec<Lead>, InputError> {
    let mut leads = Vec::new();
    for table in batches {
        let b = LEADS.bind(table)?;
        let (id, created) = (b.required("id")?, b.required("created_at")?);
        let (owner, stage) = (b.field("owner"), b.field("stage"));
        let mut sources = Vec::new();
        let mut attrs = Vec::new();
        for f in b.extras() {
            match f.name().strip_prefix("source.") {
                Some(field) if Source::FIELDS.contains(&field) => sources.push((field, f)),
                Some(field) => return Err(unknown_source_field(field)),
                None => {
                    let name = f.name().strip_prefix("attributes.").unwrap_or(f.name());
                    attrs.push((name, f));
                }
            }
        }
        leads.reserve(b.rows());
        for i in 0..b.rows() {
            let lead_id = id.id(i)?.ok_or_else(|| id.missing(i))?;
            let at = created.instant(i)?.ok_or_else(|| created.missing(i))?;
            let mut lead = Lead::new(lead_id.into_owned(), at);
            lead.owner = owner
                .map(|f| f.text(i))
                .transpose()?
                .flatten()
                .map(str::to_string);
            lead.stage = stage
                .map(|f| f.text(i))
                .transpose()?
                .flatten()
                .map(str::to_string);
            for (field, f) in &sources {
                let v = f.text(i)?.map(str::to_string);
                set_source(&mut lead.source, field, v);
            }
            for (name, f) in &attrs {
                if let Some(v) = f.attr(i)? {
                    lead.attributes.insert((*name).to_string(), v);
                }
            }
            leads.push(lead);
        }
    }
    Ok(leads)
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
