//! Arrow arrays (arrow-rs) as [`Column`] views: what the bindings read Arrow C streams (Python)
//! and Arrow IPC (Node) with. Behind the `arrow` feature; the views themselves need no Arrow.
//!
//! Borrowed in place: `utf8`, `large_utf8`, `int64`, `float64`, `bool`, timestamps of any unit
//! (time-zone-aware ones are UTC instants; naive ones are read as UTC, as numpy's are).
//! Converted: `utf8_view` (polars' strings) to `large_utf8` by [`normalize`], smaller integers
//! and floats widened, `date32` / `date64` to timestamps, dictionary keys to `u32`, the `null`
//! type to missing cells. Other types are refused with the column's path.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float16Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type,
    Int64Type, TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, LargeStringArray, RecordBatch};
use arrow_buffer::{Buffer, NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow_schema::{DataType, TimeUnit as ArrowUnit};

use super::{Bits, Cell, Column, Offsets, Table, TimeUnit};
use crate::error::{FieldErrorKind, InputError};

/// `array` with the layouts [`column`] cannot borrow rewritten: string views become
/// `large_utf8`, and a dictionary of string views a dictionary of `large_utf8`. Other arrays
/// are returned as they are (a reference count).
pub fn normalize(array: &ArrayRef) -> ArrayRef {
    if let Some(views) = array.as_string_view_opt() {
        // One pass for the size, one to copy: no per-row growth or option handling.
        let n = views.len();
        let bytes: usize = (0..n).map(|i| views.value(i).len()).sum();
        let mut data = Vec::with_capacity(bytes);
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0i64);
        for i in 0..n {
            data.extend_from_slice(views.value(i).as_bytes());
            offsets.push(i64::try_from(data.len()).unwrap_or(i64::MAX));
        }
        // Offsets start at 0 and never go back (`new` checks it), and the bytes are the views'
        // text, so `try_new` only re-checks what holds.
        let offsets = OffsetBuffer::new(ScalarBuffer::from(offsets));
        return match LargeStringArray::try_new(
            offsets,
            Buffer::from_vec(data),
            views.nulls().cloned(),
        ) {
            Ok(text) => Arc::new(text),
            Err(_) => Arc::new(views.iter().collect::<LargeStringArray>()),
        };
    }
    if let Some(dict) = array.as_any_dictionary_opt()
        && matches!(dict.values().data_type(), DataType::Utf8View)
    {
        let values = normalize(dict.values());
        return dict.with_values(values);
    }
    array.clone()
}

fn bits(nulls: Option<&NullBuffer>) -> Option<Bits<'_>> {
    let b = nulls?.inner();
    Bits::new(b.values(), b.offset(), b.len())
}

/// The view of a (normalized) array; `Err` names its Arrow type when it has no view.
pub fn column(array: &dyn Array) -> Result<Column<'_>, String> {
    let validity = bits(array.nulls());
    macro_rules! widen {
        ($t:ty, $variant:ident, $out:ty) => {
            if let Some(a) = array.as_primitive_opt::<$t>() {
                let values: Vec<$out> = a.values().iter().map(|&v| <$out>::from(v)).collect();
                return Ok(Column::$variant {
                    values: values.into(),
                    validity,
                });
            }
        };
    }
    let time = |values: &[i64], unit: TimeUnit| Column::Time {
        values: values.to_vec().into(),
        unit,
        validity,
    };
    match array.data_type() {
        DataType::Utf8 => {
            if let Some(a) = array.as_string_opt::<i32>() {
                return Ok(Column::Text {
                    offsets: Offsets::I32(a.value_offsets()),
                    data: a.value_data(),
                    validity,
                });
            }
        }
        DataType::LargeUtf8 => {
            if let Some(a) = array.as_string_opt::<i64>() {
                return Ok(Column::Text {
                    offsets: Offsets::I64(a.value_offsets()),
                    data: a.value_data(),
                    validity,
                });
            }
        }
        DataType::Boolean => {
            if let Some(a) = array.as_boolean_opt() {
                let v = a.values();
                if let Some(values) = Bits::new(v.values(), v.offset(), v.len()) {
                    return Ok(Column::Bool {
                        bits: values,
                        validity,
                    });
                }
            }
        }
        DataType::Int64 => {
            if let Some(a) = array.as_primitive_opt::<Int64Type>() {
                return Ok(Column::Int {
                    values: a.values().as_ref().into(),
                    validity,
                });
            }
        }
        DataType::Float64 => {
            if let Some(a) = array.as_primitive_opt::<Float64Type>() {
                return Ok(Column::Float {
                    values: a.values().as_ref().into(),
                    validity,
                });
            }
        }
        DataType::Timestamp(unit, _) => {
            // `_opt` downcasts: a mismatched array is refused below rather than a panic.
            let found: Option<(&[i64], TimeUnit)> = match unit {
                ArrowUnit::Second => array
                    .as_primitive_opt::<TimestampSecondType>()
                    .map(|a| (a.values().as_ref(), TimeUnit::Seconds)),
                ArrowUnit::Millisecond => array
                    .as_primitive_opt::<TimestampMillisecondType>()
                    .map(|a| (a.values().as_ref(), TimeUnit::Millis)),
                ArrowUnit::Microsecond => array
                    .as_primitive_opt::<TimestampMicrosecondType>()
                    .map(|a| (a.values().as_ref(), TimeUnit::Micros)),
                ArrowUnit::Nanosecond => array
                    .as_primitive_opt::<TimestampNanosecondType>()
                    .map(|a| (a.values().as_ref(), TimeUnit::Nanos)),
            };
            if let Some((values, unit)) = found {
                return Ok(Column::Time {
                    values: values.into(),
                    unit,
                    validity,
                });
            }
        }
        DataType::Date32 => {
            if let Some(a) = array.as_primitive_opt::<Date32Type>() {
                let s: Vec<i64> = a.values().iter().map(|&d| i64::from(d) * 86_400).collect();
                return Ok(time(&s, TimeUnit::Seconds));
            }
        }
        DataType::Date64 => {
            if let Some(a) = array.as_primitive_opt::<Date64Type>() {
                return Ok(time(a.values(), TimeUnit::Millis));
            }
        }
        DataType::Null => return Ok(Column::Cells(vec![Cell::Null; array.len()].into())),
        DataType::Dictionary(..) => {
            if let Some(d) = array.as_any_dictionary_opt()
                && let Some(keys) = keys(d.keys())
            {
                return Ok(Column::Codes {
                    keys: keys.into(),
                    values: Box::new(column(d.values().as_ref())?),
                    validity,
                });
            }
        }
        _ => {}
    }
    widen!(Int8Type, Int, i64);
    widen!(Int16Type, Int, i64);
    widen!(Int32Type, Int, i64);
    widen!(UInt8Type, Int, i64);
    widen!(UInt16Type, Int, i64);
    widen!(UInt32Type, Int, i64);
    widen!(Float32Type, Float, f64);
    if let Some(a) = array.as_primitive_opt::<Float16Type>() {
        let values: Vec<f64> = a.values().iter().map(|v| v.to_f64()).collect();
        return Ok(Column::Float {
            values: values.into(),
            validity,
        });
    }
    if let Some(a) = array.as_primitive_opt::<UInt64Type>() {
        // Counts past 2^63 − 1 read as the largest integer (a count the core then refuses
        // as too large for any total).
        let values: Vec<i64> = a
            .values()
            .iter()
            .map(|&v| i64::try_from(v).unwrap_or(i64::MAX))
            .collect();
        return Ok(Column::Int {
            values: values.into(),
            validity,
        });
    }
    Err(array.data_type().to_string())
}

/// A dictionary's keys as `u32`, as the producer wrote them: a negative key, or one past
/// `u32::MAX`, becomes `u32::MAX`, out of range for any dictionary (the layout check names its
/// row). Not arrow-rs' `normalized_keys`, which clamps a key out of range to the last value
/// and panics on an empty dictionary (all rows missing).
fn keys(keys: &dyn Array) -> Option<Vec<u32>> {
    macro_rules! keys {
        ($($t:ty),*) => {$(
            if let Some(k) = keys.as_primitive_opt::<$t>() {
                let wide = |&k| u32::try_from(k).unwrap_or(u32::MAX);
                return Some(k.values().iter().map(wide).collect());
            }
        )*};
    }
    keys!(
        Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type, UInt16Type, UInt32Type, UInt64Type
    );
    None
}

/// The views of a record batch's (normalized) columns, rows numbered from `first_row`; an
/// array without a view is an `invalid_type` error at `<arg>.<column>`.
pub fn table<'a>(
    batch: &'a RecordBatch,
    arg: &str,
    first_row: usize,
) -> Result<Table<'a>, InputError> {
    let schema = batch.schema_ref();
    let mut columns = Vec::with_capacity(batch.num_columns());
    for (field, array) in schema.fields().iter().zip(batch.columns()) {
        let col = column(array.as_ref()).map_err(|t| {
            InputError::new(
                FieldErrorKind::InvalidType(format!("invalid type: arrow `{t}` column")),
                format!("{arg}.{}", field.name()),
            )
        })?;
        columns.push((field.name().clone(), col));
    }
    Ok(Table { columns, first_row })
}

/// A batch with every column [normalized](normalize).
pub fn normalize_batch(batch: &RecordBatch) -> RecordBatch {
    map_columns(batch, normalize)
}

/// A batch with its dictionaries of string views [normalized](normalize) and its other
/// columns as they are: what a batch gets before it is cut into slices, which share its
/// dictionaries (converted once, not once per slice).
pub fn normalize_dictionaries(batch: &RecordBatch) -> RecordBatch {
    let is_dictionary = |a: &ArrayRef| matches!(a.data_type(), DataType::Dictionary(..));
    if !batch.columns().iter().any(is_dictionary) {
        return batch.clone();
    }
    map_columns(batch, |a| {
        if is_dictionary(a) {
            normalize(a)
        } else {
            a.clone()
        }
    })
}

/// `batch` with `f` applied to each column.
fn map_columns(batch: &RecordBatch, f: impl Fn(&ArrayRef) -> ArrayRef) -> RecordBatch {
    let columns: Vec<ArrayRef> = batch.columns().iter().map(f).collect();
    RecordBatch::try_new(batch.schema(), columns.clone())
        .or_else(|_| {
            // The schema changed with the types: rebuild it from the new arrays.
            let fields: Vec<arrow_schema::Field> = batch
                .schema_ref()
                .fields()
                .iter()
                .zip(&columns)
                .map(|(f, c)| f.as_ref().clone().with_data_type(c.data_type().clone()))
                .collect();
            RecordBatch::try_new(Arc::new(arrow_schema::Schema::new(fields)), columns)
        })
        .unwrap_or_else(|_| batch.clone())
}
