//! Leads given as a table (Arrow, pandas or numpy columns in Python, Arrow IPC or columns in
//! Node, [`Table`]s in Rust), read row by row into [`Lead`]s.

use super::{Lead, Source};
use crate::error::{FieldErrorKind, InputError};
use crate::table::{Kind, Schema, Spec, Table};

/// The error of a `source` column not in [`Source::FIELDS`] (`unknown_field` at
/// `leads.source.<field>`).
fn unknown_source_field(field: &str) -> InputError {
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
    use crate::table::Column;

    fn table<'a>(columns: Vec<(&str, Column<'a>)>) -> Table<'a> {
        Table::new(
            columns
                .into_iter()
                .map(|(n, c)| (n.to_string(), c))
                .collect(),
        )
    }

    #[test]
    fn errors_name_the_column_and_row() {
        let (off, ids) = Column::text_buffers(&[Some("L1"), None]);
        let valid = crate::table::Bits::new(&[0b01], 0, 2);
        let at = || Column::Int {
            values: vec![1_767_225_600; 2].into(),
            validity: None,
        };
        let t = table(vec![
            ("id", Column::text(&off, &ids, valid)),
            ("created_at", at()),
        ]);
        let e = leads_from_tables(&[t]).unwrap_err();
        assert_eq!(
            (e.kind.code(), e.path.as_str()),
            ("missing_field", "leads.id[1]")
        );
        let (off, ids) = Column::text_buffers(&[Some("L1"), Some("L2")]);
        let short = Column::Int {
            values: vec![1].into(),
            validity: None,
        };
        let t = table(vec![
            ("id", Column::text(&off, &ids, None)),
            ("created_at", at()),
            ("owner", short),
        ]);
        let e = leads_from_tables(&[t]).unwrap_err();
        assert_eq!(
            (e.kind.code(), e.path.as_str()),
            ("invalid_value", "leads.owner")
        );
        let (g_off, g) = Column::text_buffers(&[None, None]);
        let t = table(vec![
            ("id", Column::text(&off, &ids, None)),
            ("created_at", at()),
            ("source.gclid", Column::text(&g_off, &g, None)),
        ]);
        let e = leads_from_tables(&[t]).unwrap_err();
        assert_eq!(
            (e.kind.code(), e.path.as_str()),
            ("unknown_field", "leads.source.gclid")
        );
    }
}
