//! Column views in Arrow's memory layout, without depending on Arrow.

use std::borrow::Cow;

use crate::error::{FieldErrorKind, InputError};

/// A bitmap in Arrow's layout: bit `offset + i` (least significant bit first) is row `i`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bits<'a> {
    bytes: &'a [u8],
    offset: usize,
    len: usize,
}

impl<'a> Bits<'a> {
    /// `len` bits from bit `offset` of `bytes`; `None` when `bytes` is too short.
    ///
    /// ```
    /// let bits = leadcore::table::Bits::new(&[0b0000_0101], 0, 3).unwrap();
    /// assert_eq!((bits.get(0), bits.get(1), bits.get(2)), (true, false, true));
    /// assert!(leadcore::table::Bits::new(&[0], 4, 5).is_none());
    /// ```
    pub fn new(bytes: &'a [u8], offset: usize, len: usize) -> Option<Self> {
        let bits = offset.checked_add(len)?;
        (bits.div_ceil(8) <= bytes.len()).then_some(Self { bytes, offset, len })
    }

    /// The bytes of a bitmap holding `flags` from bit 0 (what a host gives [`new`](Self::new)
    /// for the validity of a column it converted).
    ///
    /// ```
    /// use leadcore::table::Bits;
    /// let bytes = Bits::pack([true, false, true]);
    /// assert_eq!(bytes, [0b101]);
    /// assert!(Bits::new(&bytes, 0, 3).unwrap().get(2));
    /// ```
    pub fn pack(flags: impl IntoIterator<Item = bool>) -> Vec<u8> {
        let mut out = Vec::new();
        for (i, f) in flags.into_iter().enumerate() {
            if i % 8 == 0 {
                out.push(0);
            }
            if f && let Some(byte) = out.last_mut() {
                *byte |= 1 << (i % 8);
            }
        }
        out
    }

    /// Number of bits.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no bits.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bit `i` (false beyond the end).
    pub fn get(&self, i: usize) -> bool {
        if i >= self.len {
            return false;
        }
        let b = self.offset + i;
        self.bytes
            .get(b / 8)
            .is_some_and(|byte| byte >> (b % 8) & 1 == 1)
    }
}

/// The offsets of a text column: `utf8` (32-bit) or `large_utf8` (64-bit) in Arrow.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Offsets<'a> {
    /// 32-bit offsets.
    I32(&'a [i32]),
    /// 64-bit offsets.
    I64(&'a [i64]),
}

impl Offsets<'_> {
    /// Number of offsets (rows + 1).
    pub fn len(&self) -> usize {
        match self {
            Self::I32(o) => o.len(),
            Self::I64(o) => o.len(),
        }
    }

    /// Whether there are no offsets.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Offset `i` as a byte index (`usize::MAX` when negative or absent).
    pub fn at(&self, i: usize) -> usize {
        let v = match self {
            Self::I32(o) => o.get(i).map(|&v| i64::from(v)),
            Self::I64(o) => o.get(i).copied(),
        };
        v.and_then(|v| usize::try_from(v).ok())
            .unwrap_or(usize::MAX)
    }
}

/// The unit of a time column's integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// Seconds since the Unix epoch.
    Seconds,
    /// Milliseconds.
    Millis,
    /// Microseconds.
    Micros,
    /// Nanoseconds.
    Nanos,
}

impl TimeUnit {
    /// Ticks per second.
    pub fn per_second(self) -> i64 {
        match self {
            Self::Seconds => 1,
            Self::Millis => 1_000,
            Self::Micros => 1_000_000,
            Self::Nanos => 1_000_000_000,
        }
    }
}

/// One cell of the slow per-cell form ([`Column::Cells`]): what a host has when its column is
/// not in one of the typed layouts (a list of mixed Python or JavaScript values).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A missing value.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// A text.
    Text(String),
    /// An instant: ticks since the Unix epoch, UTC, in a unit (a host's date-time object).
    Time(i64, TimeUnit),
}

/// One column of a table batch, borrowed where the host's memory already has the layout
/// (`Cow::Borrowed`) and converted otherwise. Validity bitmaps mark present rows; `None`
/// means every row is present.
#[derive(Debug, Clone, PartialEq)]
pub enum Column<'a> {
    /// UTF-8 text: row `i` is `data[offsets[i]..offsets[i + 1]]`.
    Text {
        /// `rows + 1` offsets into `data`.
        offsets: Offsets<'a>,
        /// The text of all rows, back to back.
        data: &'a [u8],
        /// Present rows.
        validity: Option<Bits<'a>>,
    },
    /// Dictionary-encoded values (pandas and polars categoricals, Arrow dictionaries): row `i`
    /// is row `keys[i]` of `values`.
    Codes {
        /// Dictionary row per row.
        keys: Cow<'a, [u32]>,
        /// The dictionary.
        values: Box<Column<'a>>,
        /// Present rows.
        validity: Option<Bits<'a>>,
    },
    /// Integers.
    Int {
        /// Value per row.
        values: Cow<'a, [i64]>,
        /// Present rows.
        validity: Option<Bits<'a>>,
    },
    /// Floating-point numbers (NaN is a value here, not a missing row).
    Float {
        /// Value per row.
        values: Cow<'a, [f64]>,
        /// Present rows.
        validity: Option<Bits<'a>>,
    },
    /// Booleans, one bit per row.
    Bool {
        /// Value per row.
        bits: Bits<'a>,
        /// Present rows.
        validity: Option<Bits<'a>>,
    },
    /// Instants as integer ticks since the Unix epoch, UTC.
    Time {
        /// Ticks per row.
        values: Cow<'a, [i64]>,
        /// The ticks' unit.
        unit: TimeUnit,
        /// Present rows.
        validity: Option<Bits<'a>>,
    },
    /// Any values, one [`Cell`] per row: the slow fallback.
    Cells(Cow<'a, [Cell]>),
}

/// A column's rows as a host converted them: buffers it owns (or slices of its own memory), and
/// the present rows; [`view`](Self::view) is the [`Column`] over them. What a binding builds
/// where its host's memory does not already have a column's layout (a list of Python strings,
/// a JavaScript array, a numpy `bool` array).
///
/// ```
/// use leadcore::table::{Bits, Buffers, Column, Value, Values};
/// let (offsets, data) = Column::text_buffers(&[Some("seo"), None]);
/// let mut text = Buffers::new(Values::Text(offsets, data));
/// text.validity = Some(Bits::pack([true, false]));
/// let col = text.view().unwrap();
/// assert_eq!((col.value(0), col.value(1)), (Value::Text("seo"), Value::Null));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Buffers<'a> {
    /// The values.
    pub values: Values<'a>,
    /// Present rows from bit 0 ([`Bits::pack`]); `None`: every row (for [`Values::Column`],
    /// the column's own).
    pub validity: Option<Vec<u8>>,
}

/// The values of [`Buffers`], in one of the [`Column`] layouts.
#[derive(Debug, Clone, PartialEq)]
pub enum Values<'a> {
    /// Integers.
    Int(Cow<'a, [i64]>),
    /// Floating-point numbers.
    Float(Cow<'a, [f64]>),
    /// Ticks of a unit since the Unix epoch.
    Time(Cow<'a, [i64]>, TimeUnit),
    /// Booleans packed from bit 0 ([`Bits::pack`]), and the number of rows.
    Bool(Vec<u8>, usize),
    /// Text: `rows + 1` offsets into the data.
    Text(Vec<i64>, Vec<u8>),
    /// Any values, one cell per row.
    Cells(Vec<Cell>),
    /// Dictionary keys into the values.
    Codes(Vec<u32>, Box<Buffers<'a>>),
    /// A column the host already had in a layout (a dictionary's values read in place).
    Column(Column<'a>),
}

impl<'a> Buffers<'a> {
    /// Buffers of `values` with every row present.
    pub fn new(values: Values<'a>) -> Self {
        Self {
            values,
            validity: None,
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        match &self.values {
            Values::Int(v) | Values::Time(v, _) => v.len(),
            Values::Float(v) => v.len(),
            Values::Bool(_, n) => *n,
            Values::Text(offsets, _) => offsets.len().saturating_sub(1),
            Values::Cells(c) => c.len(),
            Values::Codes(k, _) => k.len(),
            Values::Column(c) => c.len(),
        }
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The column over the buffers; `None` when a bitmap is shorter than the rows.
    pub fn view(&self) -> Option<Column<'_>> {
        let validity = match &self.validity {
            Some(v) => Some(Bits::new(v, 0, self.len())?),
            None => None,
        };
        Some(match &self.values {
            Values::Int(v) => Column::Int {
                values: Cow::Borrowed(v),
                validity,
            },
            Values::Float(v) => Column::Float {
                values: Cow::Borrowed(v),
                validity,
            },
            Values::Time(v, unit) => Column::Time {
                values: Cow::Borrowed(v),
                unit: *unit,
                validity,
            },
            Values::Bool(bits, n) => Column::Bool {
                bits: Bits::new(bits, 0, *n)?,
                validity,
            },
            Values::Text(offsets, data) => Column::text(offsets, data, validity),
            Values::Cells(c) => Column::Cells(Cow::Borrowed(c)),
            Values::Codes(keys, values) => Column::Codes {
                keys: Cow::Borrowed(keys),
                values: Box::new(values.view()?),
                validity,
            },
            Values::Column(c) => c.clone(),
        })
    }
}

/// A value read from a column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'t> {
    /// A missing value.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// A text.
    Text(&'t str),
    /// An instant: ticks since the epoch and ticks per second.
    Time(i64, i64),
}

impl<'a> Column<'a> {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            Self::Text { offsets, .. } => offsets.len().saturating_sub(1),
            Self::Codes { keys, .. } => keys.len(),
            Self::Int { values, .. } | Self::Time { values, .. } => values.len(),
            Self::Float { values, .. } => values.len(),
            Self::Bool { bits, .. } => bits.len(),
            Self::Cells(c) => c.len(),
        }
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A text column over strings (for tests, JSON hosts and small tables).
    ///
    /// ```
    /// use leadcore::table::{Column, Value};
    /// let (offsets, data) = Column::text_buffers(&[Some("seo"), None, Some("sem")]);
    /// let col = Column::text(&offsets, &data, None);
    /// assert_eq!(col.value(2), Value::Text("sem"));
    /// ```
    pub fn text(offsets: &'a [i64], data: &'a [u8], validity: Option<Bits<'a>>) -> Self {
        Self::Text {
            offsets: Offsets::I64(offsets),
            data,
            validity,
        }
    }

    /// The offsets and data of a text column holding `cells` (a missing cell is empty text:
    /// give it a validity bitmap).
    pub fn text_buffers(cells: &[Option<&str>]) -> (Vec<i64>, Vec<u8>) {
        let mut offsets = Vec::with_capacity(cells.len() + 1);
        let mut data = Vec::new();
        offsets.push(0);
        for c in cells {
            data.extend_from_slice(c.unwrap_or("").as_bytes());
            offsets.push(i64::try_from(data.len()).unwrap_or(i64::MAX));
        }
        (offsets, data)
    }

    /// The keys, offsets and data of a text dictionary in which no row and no value is
    /// missing: the layout whose check a reader that copies its values can do as it copies
    /// ([`Schema::bind_except`](super::Schema::bind_except)).
    pub(crate) fn text_dictionary(&self) -> Option<(&[u32], &Offsets<'a>, &'a [u8])> {
        match self {
            Self::Codes {
                keys,
                values,
                validity: None,
            } => match values.as_ref() {
                Self::Text {
                    offsets,
                    data,
                    validity: None,
                } => Some((keys, offsets, data)),
                _ => None,
            },
            _ => None,
        }
    }

    /// The layout's name in errors (`text`, `integer`, `float`, `boolean`, `timestamp`,
    /// `dictionary`, `mixed`).
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Text { .. } => "text",
            Self::Codes { .. } => "dictionary",
            Self::Int { .. } => "integer",
            Self::Float { .. } => "float",
            Self::Bool { .. } => "boolean",
            Self::Time { .. } => "timestamp",
            Self::Cells(_) => "mixed",
        }
    }

    fn validity(&self) -> Option<&Bits<'a>> {
        match self {
            Self::Text { validity, .. }
            | Self::Codes { validity, .. }
            | Self::Int { validity, .. }
            | Self::Float { validity, .. }
            | Self::Bool { validity, .. }
            | Self::Time { validity, .. } => validity.as_ref(),
            Self::Cells(_) => None,
        }
    }

    /// Row `i` (`Null` when missing or beyond the end). Call on a [checked](Self::check)
    /// column: text that is not UTF-8 reads as `Null` here.
    pub fn value(&self, i: usize) -> Value<'_> {
        if i >= self.len() || self.validity().is_some_and(|v| !v.get(i)) {
            return Value::Null;
        }
        match self {
            Self::Text { offsets, data, .. } => data
                .get(offsets.at(i)..offsets.at(i + 1))
                .and_then(|b| std::str::from_utf8(b).ok())
                .map_or(Value::Null, Value::Text),
            Self::Codes { keys, values, .. } => keys
                .get(i)
                .map_or(Value::Null, |&k| values.value(k as usize)),
            Self::Int { values, .. } => values.get(i).map_or(Value::Null, |&v| Value::Int(v)),
            Self::Float { values, .. } => values.get(i).map_or(Value::Null, |&v| Value::Float(v)),
            Self::Bool { bits, .. } => Value::Bool(bits.get(i)),
            Self::Time { values, unit, .. } => values
                .get(i)
                .map_or(Value::Null, |&v| Value::Time(v, unit.per_second())),
            Self::Cells(c) => match c.get(i) {
                Some(Cell::Bool(b)) => Value::Bool(*b),
                Some(Cell::Int(v)) => Value::Int(*v),
                Some(Cell::Float(v)) => Value::Float(*v),
                Some(Cell::Text(s)) => Value::Text(s),
                Some(Cell::Time(t, unit)) => Value::Time(*t, unit.per_second()),
                Some(Cell::Null) | None => Value::Null,
            },
        }
    }

    /// Checks the layout: bitmaps as long as the column, text offsets that never go back and
    /// stay inside the data, UTF-8 text, dictionary keys inside the dictionary. A text
    /// dictionary is checked where its rows use it: each value the keys name once, in the
    /// dictionary's order, so a batch of a large dictionary costs its rows, not the
    /// dictionary. `at` is the column's path in errors, which name the first bad row counted
    /// from `first_row` (the batch's first row in the whole input).
    ///
    /// ```
    /// use leadcore::table::Column;
    /// let (offsets, data) = (vec![0, 3, 4], b"seo\xff".to_vec());
    /// let err = Column::text(&offsets, &data, None).check("paths.path", 10).unwrap_err();
    /// assert_eq!(err.path, "paths.path[11]");
    /// ```
    pub fn check(&self, at: &str, first_row: usize) -> Result<(), InputError> {
        let bad = |msg: String| Err(InputError::new(FieldErrorKind::InvalidValue(msg), at));
        let n = self.len();
        if let Some(v) = self.validity()
            && v.len() != n
        {
            return bad(format!("validity has {} bits for {n} rows", v.len()));
        }
        match self {
            Self::Text { offsets, data, .. } => {
                if offsets.is_empty() {
                    return bad("text column without offsets".into());
                }
                let (first, last) = (offsets.at(0), offsets.at(n));
                if last > data.len() || first > last {
                    return bad(format!("text offsets {first}..{last} are outside the data"));
                }
                if let Some(i) = (0..n).find(|&i| offsets.at(i) > offsets.at(i + 1)) {
                    return bad(format!("text offsets go back at row {i}"));
                }
                let text = data.get(first..last).unwrap_or_default();
                let row = match std::str::from_utf8(text) {
                    // Each present row is UTF-8 too: it starts and ends on a character.
                    Ok(text) => {
                        let on_char = |i: usize| text.is_char_boundary(offsets.at(i) - first);
                        let present = |i: usize| self.validity().is_none_or(|v| v.get(i));
                        match (0..n).find(|&i| present(i) && !(on_char(i) && on_char(i + 1))) {
                            Some(row) => row,
                            None => return Ok(()),
                        }
                    }
                    Err(e) => {
                        let byte = first + e.valid_up_to();
                        (0..n).find(|&i| offsets.at(i + 1) > byte).unwrap_or(0)
                    }
                };
                Err(InputError::new(
                    FieldErrorKind::InvalidValue("text is not UTF-8".into()),
                    format!("{at}[{}]", first_row + row),
                ))
            }
            Self::Codes {
                keys,
                values,
                validity,
            } => {
                let m = values.len();
                let text = match values.as_ref() {
                    Self::Text {
                        offsets,
                        data,
                        validity: v,
                    } => {
                        if let Some(v) = v
                            && v.len() != m
                        {
                            return bad(format!("validity has {} bits for {m} values", v.len()));
                        }
                        Some((offsets, *data))
                    }
                    other => {
                        other.check(at, first_row)?;
                        None
                    }
                };
                // A dictionary not far larger than the rows has each value its rows use
                // checked once, front to back; ASCII (the usual dictionary) inline, without a
                // call. When that fails, the rows are walked to name the first bad one.
                if m <= n.saturating_mul(64) {
                    let (used, outside) = KeySet::new(keys, validity.as_ref(), m);
                    let good = |k: usize| match text {
                        Some((offsets, data)) => data
                            .get(offsets.at(k)..offsets.at(k + 1))
                            .is_some_and(|v| v.is_ascii() || std::str::from_utf8(v).is_ok()),
                        None => true,
                    };
                    if !outside && used.iter().all(good) {
                        return Ok(());
                    }
                }
                for (i, &k) in keys.iter().enumerate() {
                    if validity.as_ref().is_some_and(|v| !v.get(i)) {
                        continue;
                    }
                    let row = |msg: String| {
                        let kind = FieldErrorKind::InvalidValue(msg);
                        Err(InputError::new(kind, format!("{at}[{}]", first_row + i)))
                    };
                    let k = k as usize;
                    if k >= m {
                        // u32::MAX: a key that was negative or wider than 32 bits.
                        let key = match k {
                            k if k == u32::MAX as usize => String::new(),
                            k => format!(" `{k}`"),
                        };
                        return row(format!(
                            "dictionary key{key} is out of range for {m} values"
                        ));
                    }
                    let Some((offsets, data)) = text else {
                        continue;
                    };
                    let (a, b) = (offsets.at(k), offsets.at(k + 1));
                    match data.get(a..b) {
                        Some(v) if v.is_ascii() || std::str::from_utf8(v).is_ok() => {}
                        Some(_) => return row("text is not UTF-8".into()),
                        None => {
                            return row(format!(
                                "dictionary value {k}: text offsets {a}..{b} are outside the data"
                            ));
                        }
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

/// Renumbers a dictionary of `m` values in the order `keys` first use them: the values used,
/// first use first, and the keys renumbered to match. A key outside `0..m` stays outside
/// (a negative one, such as a pandas categorical's −1 for a missing row, becomes `u32::MAX`).
/// A host lays a large dictionary out this way before converting its values, so that batches
/// of rows read it front to back: a sorted one, as pandas makes, is otherwise read at random,
/// a cache miss per value.
///
/// ```
/// let (order, keys) = leadcore::table::first_use(&[3, 1, 3, -1, 0, 7], 5);
/// assert_eq!(order, [3, 1, 0]);
/// assert_eq!(keys, [0, 1, 0, u32::MAX, 2, 7]);
/// ```
pub fn first_use(keys: &[i64], m: usize) -> (Vec<usize>, Vec<u32>) {
    let mut new = vec![u32::MAX; m];
    let mut order = Vec::new();
    let renumbered = keys
        .iter()
        .map(|&k| {
            let old = u32::try_from(k).unwrap_or(u32::MAX);
            let Some((k, slot)) = usize::try_from(k)
                .ok()
                .and_then(|k| Some((k, new.get_mut(k)?)))
            else {
                return old;
            };
            if *slot == u32::MAX {
                // Past 2³² − 1 values, the rest are not renumbered (and so not found).
                match u32::try_from(order.len()) {
                    Ok(n) if n != u32::MAX => *slot = n,
                    _ => return old,
                }
                order.push(k);
            }
            *slot
        })
        .collect();
    (order, renumbered)
}

/// The dictionary keys a batch's rows use, one bit per dictionary value. Walking them in
/// ascending order reads a large dictionary front to back (a sorted dictionary, as pandas
/// makes, would otherwise be read at random, a cache miss per value), and a key's rank numbers
/// the values used from 0.
pub(crate) struct KeySet {
    words: Vec<u64>,
    /// Keys used before each word.
    ranks: Vec<u32>,
}

impl KeySet {
    /// The keys below `m` of the present rows, and whether a present row's key is not.
    pub(crate) fn new(keys: &[u32], validity: Option<&Bits<'_>>, m: usize) -> (Self, bool) {
        let mut words = vec![0u64; m.div_ceil(64)];
        let mut outside = false;
        for (i, &k) in keys.iter().enumerate() {
            if validity.is_some_and(|v| !v.get(i)) {
                continue;
            }
            let k = k as usize;
            match words.get_mut(k / 64) {
                Some(w) if k < m => *w |= 1 << (k % 64),
                _ => outside = true,
            }
        }
        let mut used = 0u32;
        let ranks = words
            .iter()
            .map(|w| {
                let r = used;
                used += w.count_ones();
                r
            })
            .collect();
        (Self { words, ranks }, outside)
    }

    /// The keys used, in ascending order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                (w != 0).then(|| {
                    let b = w.trailing_zeros() as usize;
                    w &= w - 1;
                    i * 64 + b
                })
            })
        })
    }

    /// How many keys are used.
    pub(crate) fn len(&self) -> usize {
        let last = self.words.last().map_or(0, |w| w.count_ones());
        self.ranks.last().map_or(0, |&r| r as usize + last as usize)
    }

    /// How many used keys are below `k` (for a used `k`, its number among them).
    pub(crate) fn rank(&self, k: usize) -> usize {
        let (Some(&w), Some(&r)) = (self.words.get(k / 64), self.ranks.get(k / 64)) else {
            return 0;
        };
        r as usize + (w & ((1u64 << (k % 64)) - 1)).count_ones() as usize
    }
}
