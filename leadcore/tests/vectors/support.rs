//! Argument helpers shared by the area runners: read one named argument of a case's `input`,
//! locating errors under the argument's name, as the bindings do.

use chrono::{DateTime, Utc};
use leadcore::table::{Bits, Column, Table, TimeUnit};
use leadcore::{Error, FieldErrorKind, InputError, input};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A required argument; absent or null is `missing_field` at its name.
pub fn arg<T: DeserializeOwned>(inputs: &Value, name: &str) -> Result<T, Error> {
    opt_arg(inputs, name)?.ok_or_else(|| {
        let kind = FieldErrorKind::MissingField(format!("missing field `{name}`"));
        InputError::new(kind, name).into()
    })
}

/// An optional argument; absent or null is `None`.
pub fn opt_arg<T: DeserializeOwned>(inputs: &Value, name: &str) -> Result<Option<T>, Error> {
    match inputs.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => input::from_value(v.clone())
            .map(Some)
            .map_err(|e| e.at(name).into()),
    }
}

/// A required instant (RFC 3339 text with an offset).
pub fn instant(inputs: &Value, name: &str) -> Result<DateTime<Utc>, Error> {
    let value = inputs.get(name).unwrap_or(&Value::Null);
    leadcore::time::from_json(value).map_err(|e| e.at(name).into())
}

/// A typed table of the vectors (`{columns: [{name, type, values}], batches?}`), its buffers
/// owned; [`OwnedTable::batches`] views them as the core's tables, batch by batch.
pub struct OwnedTable {
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
    pub fn from_json(v: &Value) -> Self {
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

    pub fn batches(&self) -> Vec<Table<'_>> {
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

/// An `attribute` case whose input is a JSON list of path counts, as an `attribute_table` case
/// over the typed table of the same rows (columns of the keys the rows use, absent cells
/// null; the error path in a table's words, `paths[3].value` → `paths.value[3]`); `None` when
/// a row has a value a typed column cannot hold as it is.
pub fn paths_as_table(case: &Value) -> Option<Value> {
    let input = case.get("input")?;
    if case["op"] != "attribute" || input.get("journeys").is_some_and(|j| !j.is_null()) {
        return None;
    }
    let paths = input.get("paths")?.as_array().filter(|p| !p.is_empty())?;
    let names = ["path", "conversions", "nulls", "value"];
    for p in paths {
        let row = p.as_object()?;
        if row.keys().any(|k| !names.contains(&k.as_str())) || !row.get("path")?.is_string() {
            return None;
        }
        for k in ["conversions", "nulls"] {
            if row.get(k).is_some_and(|v| v.as_i64().is_none()) {
                return None;
            }
        }
        if row
            .get("value")
            .is_some_and(|v| v.as_f64().is_none_or(|x| x.abs() >= 2f64.powi(53)))
        {
            return None;
        }
    }
    let types = [
        ("path", "utf8"),
        ("conversions", "int64"),
        ("nulls", "int64"),
        ("value", "float64"),
    ];
    let columns: Vec<Value> = types
        .iter()
        .filter(|(name, _)| paths.iter().any(|p| p.get(name).is_some()))
        .map(|(name, ty)| {
            let values: Vec<Value> = paths
                .iter()
                .map(|p| match (p.get(name), *name) {
                    (Some(v), "value") => v.as_f64().map_or(Value::Null, Value::from),
                    (Some(v), _) => v.clone(),
                    (None, _) => Value::Null,
                })
                .collect();
            serde_json::json!({"name": name, "type": ty, "values": values})
        })
        .collect();
    let mut out = case.clone();
    out["op"] = "attribute_table".into();
    out["input"] = serde_json::json!({"paths": {"columns": columns}});
    if let Some(path) = out.pointer("/error/path").and_then(Value::as_str) {
        let table = match path.strip_prefix("paths[").and_then(|r| r.split_once("].")) {
            Some((row, field)) if !field.contains(['.', '[']) => format!("paths.{field}[{row}]"),
            _ => path.to_string(),
        };
        out["error"]["path"] = table.into();
    }
    Some(out)
}
