//! Runner for `tests/vectors/attribution/*.json`.
//!
//! Ops (each a thin call of one public function; argument names prefix input error paths):
//! - `attribute`: config = attribution config, input = `{journeys?, paths?}` → report.
//! - `explain_journey`: config = attribution config, input = `{journey}` → per-touch split.
//! - `ownership`: config = ownership config, input = `{journeys}` → owners and totals.
//! - `accumulate`: config = attribution config, input = `{parts: [{journeys?, paths?}]}` → one
//!   accumulator per part, each shipped through its binary and JSON state, merged in order:
//!   `{report, state}`.
//! - `accumulate_columns`: config = attribution config, input = `{touches}`, a long touch table
//!   of columns (`journey_id`, `channel`, `campaign?`, `at` in Unix seconds, milestone flags,
//!   `converted?`, `value?`; see `JourneyColumns`) → the report of one accumulator.
//! - `attribute_table`: input = `{paths}`, a typed table (`{columns: [{name, type, values}],
//!   batches?}`, see tests/vectors/README.md) → the report of its path counts.
//! - `accumulate_table`: input = `{touches}`, a typed touch table → the report of one
//!   accumulator.

use leadcore::Error;
use leadcore::attribution::{
    self, AttributionAccumulator, AttributionConfig, JourneyColumns, OwnershipConfig, PathBatch,
    TouchTable, TouchTimes,
};
use leadcore::input::Config;
use leadcore::table::{Bits, Column, Table, TimeUnit};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Deserializes argument `name` of `input` (absent = `default`), prefixing error paths.
pub fn arg<T: DeserializeOwned>(
    input: &Value,
    name: &str,
    default: Option<Value>,
) -> Result<T, Error> {
    let v = match (input.get(name), default) {
        (Some(v), _) => v.clone(),
        (None, Some(d)) => d,
        (None, None) => Value::Null,
    };
    leadcore::input::from_value(v).map_err(|e| {
        let path = if e.path == "$" {
            name.to_string()
        } else if e.path.starts_with('[') {
            format!("{name}{}", e.path)
        } else {
            format!("{name}.{}", e.path)
        };
        Error::Input(leadcore::InputError::new(e.kind, path))
    })
}

fn list<T: DeserializeOwned>(input: &Value, name: &str) -> Result<Vec<T>, Error> {
    arg(input, name, Some(Value::Array(Vec::new())))
}

fn to_json<T: serde::Serialize>(v: &T) -> Value {
    leadcore::input::to_value(v)
}

pub fn run(op: &str, config: &Value, input: &Value) -> Option<Result<Value, Error>> {
    let attribution_config = || AttributionConfig::from_value(config.clone()).map_err(Error::from);
    Some(match op {
        "attribute" => (|| {
            let config = attribution_config()?;
            let journeys = list(input, "journeys")?;
            let paths = list(input, "paths")?;
            Ok(to_json(&attribution::attribute(
                &config, &journeys, &paths,
            )?))
        })(),
        "explain_journey" => (|| {
            let config = attribution_config()?;
            let journey = arg(input, "journey", None)?;
            Ok(to_json(&attribution::explain_journey(&config, &journey)?))
        })(),
        "ownership" => (|| {
            let config = OwnershipConfig::from_value(config.clone())?;
            let journeys = list(input, "journeys")?;
            Ok(to_json(&attribution::ownership(&config, &journeys)?))
        })(),
        "accumulate" => (|| {
            let config = attribution_config()?;
            let parts: Vec<Value> = list(input, "parts")?;
            let mut total = AttributionAccumulator::new(config.clone())?;
            for part in &parts {
                let mut acc = AttributionAccumulator::new(config.clone())?;
                acc.add_journeys(&list(part, "journeys")?)?;
                acc.add_paths(&list(part, "paths")?)?;
                let shipped = AttributionAccumulator::from_bytes(&acc.to_bytes()?)?;
                let shipped = AttributionAccumulator::from_json(&shipped.to_json())?;
                total.merge(&shipped)?;
            }
            Ok(
                serde_json::json!({"report": to_json(&total.finish()?), "state": to_json(&total.to_state())}),
            )
        })(),
        "accumulate_columns" => (|| {
            let config = attribution_config()?;
            let t: Touches = arg(input, "touches", None)?;
            let ids: Vec<&str> = t.journey_id.iter().map(String::as_str).collect();
            let channel: Vec<&str> = t.channel.iter().map(String::as_str).collect();
            let campaign: Option<Vec<Option<&str>>> = t
                .campaign
                .as_ref()
                .map(|c| c.iter().map(Option::as_deref).collect());
            let cols = JourneyColumns {
                journey_id: &ids,
                channel: &channel,
                campaign: campaign.as_deref(),
                at: TouchTimes::Seconds(&t.at),
                milestones: [
                    t.first_touch.as_deref(),
                    t.lead_created.as_deref(),
                    t.opportunity_created.as_deref(),
                    t.closed_won.as_deref(),
                ],
                converted: t.converted.as_deref(),
                value: t.value.as_deref(),
            };
            let mut acc = AttributionAccumulator::new(config)?;
            acc.add_journey_columns(&cols)?;
            Ok(to_json(&acc.finish()?))
        })(),
        "attribute_table" => (|| {
            let config = attribution_config()?;
            let owned = OwnedTable::from_json(&input["paths"]);
            let tables = owned.batches();
            let batches = tables
                .iter()
                .map(|t| PathBatch::from_table(t).map_err(Error::from));
            attribution::attribute_batches(&config, &[], batches, 1).map(|r| to_json(&r))
        })(),
        "accumulate_table" => (|| {
            let config = attribution_config()?;
            let owned = OwnedTable::from_json(&input["touches"]);
            let tables = owned.batches();
            let touches = TouchTable::gather(&tables)?;
            let mut acc = AttributionAccumulator::new(config)?;
            touches.with_columns(|cols| acc.add_journey_columns(cols))?;
            Ok(to_json(&acc.finish()?))
        })(),
        _ => return None,
    })
}

/// The JSON form of a touch table: columns as arrays.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Touches {
    journey_id: Vec<String>,
    channel: Vec<String>,
    campaign: Option<Vec<Option<String>>>,
    at: Vec<f64>,
    first_touch: Option<Vec<bool>>,
    lead_created: Option<Vec<bool>>,
    opportunity_created: Option<Vec<bool>>,
    closed_won: Option<Vec<bool>>,
    converted: Option<Vec<bool>>,
    value: Option<Vec<f64>>,
}

/// A typed table of the vectors (`{columns: [{name, type, values}], batches?}`), its buffers
/// owned; [`OwnedTable::batches`] views them as the core's tables, batch by batch.
struct OwnedTable {
    columns: Vec<OwnedColumn>,
    batches: Vec<usize>,
}

struct OwnedColumn {
    name: String,
    kind: String,
    /// Present rows, one bit each.
    validity: Vec<u8>,
    nulls: bool,
    offsets: Vec<i64>,
    data: Vec<u8>,
    ints: Vec<i64>,
    floats: Vec<f64>,
    bits: Vec<u8>,
    keys: Vec<u32>,
}

impl OwnedTable {
    fn from_json(v: &Value) -> Self {
        let columns: Vec<OwnedColumn> = v["columns"]
            .as_array()
            .map(|cols| cols.iter().map(OwnedColumn::from_json).collect())
            .unwrap_or_default();
        let rows = columns.first().map_or(0, |c| c.validity_len());
        let batches = v["batches"]
            .as_array()
            .map(|b| {
                b.iter()
                    .filter_map(|n| n.as_u64())
                    .map(|n| n as usize)
                    .collect()
            })
            .unwrap_or_else(|| vec![rows]);
        Self { columns, batches }
    }

    fn batches(&self) -> Vec<Table<'_>> {
        let mut start = 0;
        self.batches
            .iter()
            .map(|&n| {
                let t = Table {
                    columns: self
                        .columns
                        .iter()
                        .map(|c| (c.name.clone(), c.view(start, n)))
                        .collect(),
                    first_row: start,
                };
                start += n;
                t
            })
            .collect()
    }
}

impl OwnedColumn {
    fn from_json(v: &Value) -> Self {
        let values = v["values"].as_array().cloned().unwrap_or_default();
        let mut c = Self {
            name: v["name"].as_str().unwrap_or_default().to_string(),
            kind: v["type"].as_str().unwrap_or_default().to_string(),
            validity: vec![0; values.len().div_ceil(8)],
            nulls: values.iter().any(Value::is_null),
            offsets: vec![0],
            data: Vec::new(),
            ints: Vec::new(),
            floats: Vec::new(),
            bits: vec![0; values.len().div_ceil(8)],
            keys: Vec::new(),
        };
        let mut dictionary: Vec<String> = Vec::new();
        for (i, x) in values.iter().enumerate() {
            if !x.is_null() {
                c.validity[i / 8] |= 1 << (i % 8);
            }
            if x.as_bool() == Some(true) {
                c.bits[i / 8] |= 1 << (i % 8);
            }
            match c.kind.as_str() {
                "utf8" | "large_utf8" => {
                    c.data
                        .extend_from_slice(x.as_str().unwrap_or("").as_bytes());
                    c.offsets.push(c.data.len() as i64);
                }
                "dictionary" => {
                    let s = x.as_str().unwrap_or("").to_string();
                    let k = dictionary.iter().position(|d| *d == s).unwrap_or_else(|| {
                        dictionary.push(s);
                        dictionary.len() - 1
                    });
                    c.keys.push(k as u32);
                }
                "float64" => c.floats.push(x.as_f64().unwrap_or(0.0)),
                _ => c.ints.push(x.as_i64().unwrap_or(0)),
            }
        }
        for d in &dictionary {
            c.data.extend_from_slice(d.as_bytes());
            c.offsets.push(c.data.len() as i64);
        }
        c
    }

    fn validity_len(&self) -> usize {
        match self.kind.as_str() {
            "utf8" | "large_utf8" => self.offsets.len() - 1,
            "dictionary" => self.keys.len(),
            "float64" => self.floats.len(),
            "bool" => self.ints.len(),
            _ => self.ints.len(),
        }
    }

    fn view(&self, start: usize, n: usize) -> Column<'_> {
        let validity = self
            .nulls
            .then(|| Bits::new(&self.validity, start, n))
            .flatten();
        let unit = match self.kind.as_str() {
            "timestamp_s" => Some(TimeUnit::Seconds),
            "timestamp_ms" => Some(TimeUnit::Millis),
            "timestamp_us" => Some(TimeUnit::Micros),
            "timestamp_ns" => Some(TimeUnit::Nanos),
            _ => None,
        };
        match self.kind.as_str() {
            "utf8" | "large_utf8" => {
                Column::text(&self.offsets[start..=start + n], &self.data, validity)
            }
            "dictionary" => Column::Codes {
                keys: self.keys[start..start + n].into(),
                values: Box::new(Column::text(&self.offsets, &self.data, None)),
                validity,
            },
            "float64" => Column::Float {
                values: self.floats[start..start + n].into(),
                validity,
            },
            "bool" => Column::Bool {
                bits: Bits::new(&self.bits, start, n).expect("bits"),
                validity,
            },
            _ => match unit {
                Some(unit) => Column::Time {
                    values: self.ints[start..start + n].into(),
                    unit,
                    validity,
                },
                None => Column::Int {
                    values: self.ints[start..start + n].into(),
                    validity,
                },
            },
        }
    }
}
