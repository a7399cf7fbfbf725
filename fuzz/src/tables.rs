//! Table views built from fuzzed buffers, as a foreign Arrow producer could hand them over:
//! offsets that go back or past the data, bytes that are not UTF-8, short bitmaps, dictionary
//! keys past the dictionary, columns of different lengths. Every table reader must answer
//! with an error or a result, never a panic.

use arbitrary::{Arbitrary, Unstructured};
use leadcore::attribution::{AttributionAccumulator, AttributionConfig, PathBatch, TouchTable};
use leadcore::lead::leads_from_tables;
use leadcore::score::columns::events_from_tables;
use leadcore::Lead;
use leadcore::table::{Bits, Cell, Column, Offsets, Table, TimeUnit};

/// Names the readers know (and one they do not).
const NAMES: [&str; 17] = [
    "path",
    "conversions",
    "nulls",
    "value",
    "journey_id",
    "channel",
    "at",
    "converted",
    "id",
    "created_at",
    "source.channel",
    "lead",
    "lead_id",
    "kind",
    "name",
    "properties.url",
    "other",
];

/// One fuzzed column: its layout, raw buffers and a validity bitmap.
#[derive(Debug, Arbitrary)]
struct RawColumn {
    name: u8,
    layout: u8,
    ints: Vec<i64>,
    floats: Vec<f64>,
    offsets32: Vec<i32>,
    bytes: Vec<u8>,
    keys: Vec<u32>,
    validity: Option<(Vec<u8>, u8, u16)>,
    bits: (Vec<u8>, u8, u16),
}

#[derive(Debug, Arbitrary)]
struct RawTable {
    columns: Vec<RawColumn>,
    first_row: u16,
    leads: u8,
}

fn bits((bytes, offset, len): &(Vec<u8>, u8, u16)) -> Option<Bits<'_>> {
    Bits::new(bytes, usize::from(*offset), usize::from(*len))
}

impl RawColumn {
    fn view(&self) -> Column<'_> {
        let validity = self.validity.as_ref().and_then(bits);
        let text = || Column::Text {
            offsets: Offsets::I32(&self.offsets32),
            data: &self.bytes,
            validity,
        };
        match self.layout % 8 {
            0 => text(),
            1 => Column::Text {
                offsets: Offsets::I64(&self.ints),
                data: &self.bytes,
                validity,
            },
            2 => Column::Codes {
                keys: self.keys.as_slice().into(),
                values: Box::new(text()),
                validity,
            },
            3 => Column::Int {
                values: self.ints.as_slice().into(),
                validity,
            },
            4 => Column::Float {
                values: self.floats.as_slice().into(),
                validity,
            },
            5 => match bits(&self.bits) {
                Some(b) => Column::Bool { bits: b, validity },
                None => Column::Cells(Vec::new().into()),
            },
            6 => Column::Time {
                values: self.ints.as_slice().into(),
                unit: [
                    TimeUnit::Seconds,
                    TimeUnit::Millis,
                    TimeUnit::Micros,
                    TimeUnit::Nanos,
                ][usize::from(self.name) % 4],
                validity,
            },
            _ => Column::Cells(
                self.ints
                    .iter()
                    .map(|&i| match i % 5 {
                        0 => Cell::Null,
                        1 => Cell::Int(i),
                        2 => Cell::Float(i as f64 / 7.0),
                        3 => Cell::Bool(i % 2 == 0),
                        _ => Cell::Text(format!("t{i}")),
                    })
                    .collect::<Vec<_>>()
                    .into(),
            ),
        }
    }
}

/// Fuzzed tables through every table reader: path counts, touch tables, leads, events.
pub fn table_views(data: &[u8]) {
    let Ok(raw) = RawTable::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let columns = raw.columns.iter().take(8);
    let table = Table {
        columns: columns
            .map(|c| {
                let name = NAMES[usize::from(c.name) % NAMES.len()];
                (name.to_string(), c.view())
            })
            .collect(),
        first_row: usize::from(raw.first_row),
    };
    let tables = std::slice::from_ref(&table);
    if let (Ok(batch), Ok(mut acc)) = (
        PathBatch::from_table(&table),
        AttributionAccumulator::new(AttributionConfig::default()),
    ) {
        let _ = acc.add_batch(&batch, 0);
        let _ = acc.finish();
    }
    if let (Ok(touches), Ok(mut acc)) = (
        TouchTable::gather(tables),
        AttributionAccumulator::new(AttributionConfig::default()),
    ) {
        let _ = touches.with_columns(|cols| acc.add_journey_columns(cols));
        let _ = acc.finish();
    }
    let _ = leads_from_tables(tables);
    // Leads with ids "0", "1", …: an integer `lead_id` column names them too.
    let leads: Vec<Lead> = (0..raw.leads)
        .map(|i| Lead::new(i.to_string(), chrono::DateTime::UNIX_EPOCH))
        .collect();
    let _ = events_from_tables(tables, &leads);
}
