//! Journeys as a long touch table from JavaScript (`leadcore::attribution::JourneyColumns`):
//! an object of equal-length columns, one row per touch, with the table's column names
//! (snake_case, like every JSON key leadcore takes):
//! - `journey_id`: `string[]` (integer numbers are read as their decimal text);
//! - `channel`: `string[]`; `campaign` (optional): `(string | null)[]`;
//! - `at`: `Float64Array` / `number[]` of Unix seconds, `BigInt64Array` of whole seconds, or
//!   an array of `Date`s / RFC 3339 strings;
//! - `first_touch`, `lead_created`, `opportunity_created`, `closed_won`, `converted`
//!   (optional): `boolean[]` or `Uint8Array` (0 / 1);
//! - `value` (optional): `Float64Array` or `number[]`.
//!
//! Typed arrays are read from their memory; arrays cell by cell, a bad cell named
//! `touches.<column>[row]`.

use leadcore::attribution::{JourneyColumns, TouchTimes};
use leadcore::{FieldErrorKind, InputError};
use napi::bindgen_prelude::{FromNapiValue, JsObjectValue, Object, TypedArray, TypedArrayType};
use napi::{Env, JsValue, Unknown, ValueType};

use crate::conv::{element, instant, presize};
use crate::errors::{Failure, throw};

const ARG: &str = "touches";

const COLUMNS: [&str; 10] = [
    "journey_id",
    "channel",
    "campaign",
    "at",
    "first_touch",
    "lead_created",
    "opportunity_created",
    "closed_won",
    "converted",
    "value",
];

fn bad(env: &Env, kind: FieldErrorKind, path: String) -> napi::Error {
    throw(env, Failure::Lead(InputError::new(kind, path).into()))
}

fn cell(column: &str, row: u32) -> String {
    format!("{ARG}.{column}[{row}]")
}

fn le<const N: usize>(b: &[u8], i: usize) -> Option<[u8; N]> {
    b.get(i * N..(i + 1) * N)
        .and_then(|s| <[u8; N]>::try_from(s).ok())
}

/// A column: an array (read cell by cell, its JSON path kept for a hole's error) or a typed
/// array (read from memory: its length is its memory).
enum Column<'a> {
    Array(Object<'a>, u32, String),
    Typed(TypedArray<'a>, usize),
}

impl<'a> Column<'a> {
    fn new(env: &Env, v: &Unknown<'a>, name: &str) -> napi::Result<Self> {
        if v.get_type()? == ValueType::Object {
            if v.is_array()? {
                let obj = v.coerce_to_object()?;
                let len = obj.get_array_length()?;
                return Ok(Column::Array(obj, len, format!("{ARG}.{name}")));
            }
            if v.is_typedarray()? {
                let typed = TypedArray::from_unknown(*v)?;
                let len = crate::conv::typed_len(&typed);
                return Ok(Column::Typed(typed, len as usize));
            }
        }
        let msg = format!("invalid type: column `{name}` must be an array");
        Err(bad(
            env,
            FieldErrorKind::InvalidType(msg),
            format!("{ARG}.{name}"),
        ))
    }

    fn len(&self) -> u32 {
        match self {
            Column::Array(_, n, _) => *n,
            Column::Typed(_, n) => u32::try_from(*n).unwrap_or(u32::MAX),
        }
    }

    /// Cell `i` of an array column; a hole of a sparse array is an error (see
    /// [`crate::conv::element`]), so a huge claimed `length` costs only the cells that exist.
    fn get(&self, env: &Env, i: u32) -> napi::Result<Unknown<'a>> {
        match self {
            Column::Array(o, _, path) => element(o, i, path).map_err(|f| throw(env, f)),
            Column::Typed(..) => Err(napi::Error::from_reason("typed array read as an array")),
        }
    }

    fn wrong(&self, env: &Env, name: &str, what: &str) -> napi::Error {
        let msg = format!("invalid type: column `{name}` must hold {what}");
        bad(
            env,
            FieldErrorKind::InvalidType(msg),
            format!("{ARG}.{name}"),
        )
    }
}

/// Text cells; `None` for null / undefined when `nullable`.
fn texts(
    env: &Env,
    c: &Column<'_>,
    name: &str,
    nullable: bool,
    ints: bool,
) -> napi::Result<Vec<Option<String>>> {
    if matches!(c, Column::Typed(..)) {
        return Err(c.wrong(env, name, "strings"));
    }
    let mut out = Vec::with_capacity(presize(c.len()));
    for i in 0..c.len() {
        let v = c.get(env, i)?;
        match v.get_type()? {
            ValueType::String => out.push(Some(v.coerce_to_string()?.into_utf8()?.into_owned()?)),
            ValueType::Null | ValueType::Undefined if nullable => out.push(None),
            ValueType::Number if ints => {
                let n = v.coerce_to_number()?.get_double()?;
                if n.fract() != 0.0 || !n.is_finite() {
                    let msg = format!("expected text or an integer, got `{n}`");
                    return Err(bad(env, FieldErrorKind::InvalidType(msg), cell(name, i)));
                }
                out.push(Some(format!("{n:.0}")));
            }
            t => {
                let msg = format!("expected text, got `{}`", format!("{t:?}").to_lowercase());
                return Err(bad(env, FieldErrorKind::InvalidType(msg), cell(name, i)));
            }
        }
    }
    Ok(out)
}

fn bools(env: &Env, c: &Column<'_>, name: &str) -> napi::Result<Vec<bool>> {
    match c {
        Column::Typed(t, n) if matches!(t.typed_array_type, TypedArrayType::Uint8) => {
            let bytes: &[u8] = &t.arraybuffer;
            Ok(bytes.iter().take(*n).map(|&b| b != 0).collect())
        }
        Column::Typed(..) => Err(c.wrong(env, name, "booleans (or a Uint8Array)")),
        Column::Array(..) => (0..c.len())
            .map(|i| {
                let v = c.get(env, i)?;
                if v.get_type()? != ValueType::Boolean {
                    let msg = "expected a boolean".to_string();
                    return Err(bad(env, FieldErrorKind::InvalidType(msg), cell(name, i)));
                }
                v.coerce_to_bool()
            })
            .collect(),
    }
}

fn numbers(env: &Env, c: &Column<'_>, name: &str) -> napi::Result<Vec<f64>> {
    match c {
        Column::Typed(t, n) if matches!(t.typed_array_type, TypedArrayType::Float64) => {
            let bytes: &[u8] = &t.arraybuffer;
            Ok((0..*n)
                .filter_map(|i| le(bytes, i).map(f64::from_ne_bytes))
                .collect())
        }
        Column::Typed(..) => Err(c.wrong(env, name, "numbers (or a Float64Array)")),
        Column::Array(..) => (0..c.len())
            .map(|i| {
                let v = c.get(env, i)?;
                match v.get_type()? {
                    ValueType::Number => v.coerce_to_number()?.get_double(),
                    ValueType::Null | ValueType::Undefined => Ok(f64::NAN),
                    _ => {
                        let msg = "expected a number".to_string();
                        Err(bad(env, FieldErrorKind::InvalidType(msg), cell(name, i)))
                    }
                }
            })
            .collect(),
    }
}

enum Times {
    Ticks(Vec<i64>),
    Seconds(Vec<f64>),
}

fn times(env: &Env, c: &Column<'_>) -> napi::Result<Times> {
    match c {
        Column::Typed(t, n) if matches!(t.typed_array_type, TypedArrayType::BigInt64) => {
            let bytes: &[u8] = &t.arraybuffer;
            Ok(Times::Ticks(
                (0..*n)
                    .filter_map(|i| le(bytes, i).map(i64::from_ne_bytes))
                    .collect(),
            ))
        }
        Column::Typed(t, n) if matches!(t.typed_array_type, TypedArrayType::Float64) => {
            Ok(Times::Seconds(numbers(env, c, "at")?))
        }
        Column::Typed(..) => Err(c.wrong(env, "at", "seconds (a Float64Array or BigInt64Array)")),
        Column::Array(..) => (0..c.len())
            .map(|i| {
                let v = c.get(env, i)?;
                match v.get_type()? {
                    ValueType::Number => v.coerce_to_number()?.get_double(),
                    ValueType::Null | ValueType::Undefined => Ok(f64::NAN),
                    _ => {
                        let t = instant(env, &v, &cell("at", i))?;
                        Ok(t.timestamp_millis() as f64 / 1000.0)
                    }
                }
            })
            .collect::<napi::Result<Vec<f64>>>()
            .map(Times::Seconds),
    }
}

/// A touch table read from JS, ready to be viewed as `JourneyColumns`.
pub struct TouchTable {
    journey_id: Vec<String>,
    channel: Vec<String>,
    campaign: Option<Vec<Option<String>>>,
    at: Times,
    milestones: [Option<Vec<bool>>; 4],
    converted: Option<Vec<bool>>,
    value: Option<Vec<f64>>,
}

impl TouchTable {
    /// Reads the columns of `v` (see the module docs).
    pub fn read(env: &Env, v: &Unknown<'_>) -> napi::Result<Self> {
        if v.get_type()? != ValueType::Object || v.is_array()? {
            let msg = "expected an object of columns".to_string();
            return Err(bad(env, FieldErrorKind::InvalidType(msg), ARG.into()));
        }
        let table = v.coerce_to_object()?;
        let mut cols: [Option<Column<'_>>; 10] = Default::default();
        let names: Object<'_> = table.get_property_names()?;
        for k in 0..names.get_array_length()? {
            let key: Unknown<'_> = names.get_element(k)?;
            let name = key.coerce_to_string()?.into_utf8()?.into_owned()?;
            let item: Unknown<'_> = table.get_named_property(&name)?;
            if matches!(item.get_type()?, ValueType::Undefined | ValueType::Null) {
                continue;
            }
            let Some(slot) = COLUMNS
                .iter()
                .position(|c| *c == name)
                .and_then(|i| cols.get_mut(i))
            else {
                let msg = format!(
                    "unknown field `{name}`, expected one of {}",
                    COLUMNS.map(|c| format!("`{c}`")).join(", ")
                );
                return Err(bad(
                    env,
                    FieldErrorKind::UnknownField(msg),
                    format!("{ARG}.{name}"),
                ));
            };
            *slot = Some(Column::new(env, &item, &name)?);
        }
        let [id, channel, campaign, at, m0, m1, m2, m3, converted, value] = cols;
        fn required<'c>(env: &Env, c: Option<Column<'c>>, name: &str) -> napi::Result<Column<'c>> {
            c.ok_or_else(|| {
                let msg = format!("missing field `{name}`");
                bad(
                    env,
                    FieldErrorKind::MissingField(msg),
                    format!("{ARG}.{name}"),
                )
            })
        }
        let strings =
            |v: Vec<Option<String>>| v.into_iter().map(Option::unwrap_or_default).collect();
        let mut milestones: [Option<Vec<bool>>; 4] = Default::default();
        for ((slot, col), name) in milestones
            .iter_mut()
            .zip([m0, m1, m2, m3])
            .zip(COLUMNS.iter().skip(4))
        {
            *slot = col.map(|c| bools(env, &c, name)).transpose()?;
        }
        Ok(Self {
            journey_id: strings(texts(
                env,
                &required(env, id, "journey_id")?,
                "journey_id",
                false,
                true,
            )?),
            channel: strings(texts(
                env,
                &required(env, channel, "channel")?,
                "channel",
                false,
                false,
            )?),
            campaign: campaign
                .map(|c| texts(env, &c, "campaign", true, false))
                .transpose()?,
            at: times(env, &required(env, at, "at")?)?,
            milestones,
            converted: converted.map(|c| bools(env, &c, "converted")).transpose()?,
            value: value.map(|c| numbers(env, &c, "value")).transpose()?,
        })
    }

    /// Calls `f` with the core's view of the table.
    pub fn with_columns<R>(&self, f: impl FnOnce(&JourneyColumns<'_>) -> R) -> R {
        let ids: Vec<&str> = self.journey_id.iter().map(String::as_str).collect();
        let channel: Vec<&str> = self.channel.iter().map(String::as_str).collect();
        let campaign: Option<Vec<Option<&str>>> = self
            .campaign
            .as_ref()
            .map(|c| c.iter().map(Option::as_deref).collect());
        let cols = JourneyColumns {
            journey_id: &ids,
            channel: &channel,
            campaign: campaign.as_deref(),
            at: match &self.at {
                Times::Ticks(v) => TouchTimes::Ticks {
                    values: v,
                    per_second: 1,
                },
                Times::Seconds(v) => TouchTimes::Seconds(v),
            },
            milestones: [0, 1, 2, 3].map(|i| self.milestones.get(i).and_then(Option::as_deref)),
            converted: self.converted.as_deref(),
            value: self.value.as_deref(),
        };
        f(&cols)
    }
}
