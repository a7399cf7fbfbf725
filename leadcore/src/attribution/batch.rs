//! Path counts in batches: many rows in one buffer, and attribution of batches that arrive one
//! after another while worker threads add the previous ones.
//!
//! This is the shape of input a binding or a file reader produces when it converts a large
//! table (millions of ChannelAttribution-style rows) piece by piece: a [`PathBatch`] owns the
//! paths of many rows in a single string, so converting a row costs no allocation, and
//! [`attribute_batches`] overlaps producing the next batch (on the calling thread, e.g. reading
//! Python or JavaScript arrays) with attributing the previous ones. Memory stays at a few
//! batches whatever the number of rows.
//!
//! Rows are numbered across batches; errors name them `paths[i]`. **The first bad row is the
//! one reported**, whether its problem was found while producing the batches (a producer error)
//! or while attributing them, for any number of threads. A producer that hits a bad row should
//! therefore first yield the good rows before it, then the error.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, mpsc};

use super::accumulate::AttributionAccumulator;
use super::config::AttributionConfig;
use super::error::AttributionError;
use super::journey::{Journey, PathCount};
use super::report::AttributionReport;
use crate::error::{Error, FieldErrorKind, InputError};
use crate::table::{Column, Field, KeySet, Kind, Schema, Spec, Table};

/// The columns of a path-count table (see [`PathBatch::from_table`]).
pub const PATHS: Schema = Schema {
    arg: "paths",
    columns: &[
        Spec::required("path", Kind::Text),
        Spec::optional("conversions", Kind::Count),
        Spec::optional("nulls", Kind::Count),
        Spec::optional("value", Kind::Amount),
    ],
    open: false,
};

/// A path count whose path is borrowed: what the accumulator reads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PathRef<'a> {
    /// Text holding the path (a batch's text: the paths around it let the split read whole
    /// words past its ends).
    pub text: &'a str,
    /// Where the path is in `text`.
    pub span: (usize, usize),
    pub conversions: u64,
    pub nulls: u64,
    pub value: f64,
}

impl PathRef<'_> {
    /// The path.
    pub fn path(&self) -> &str {
        self.text.get(self.span.0..self.span.1).unwrap_or("")
    }
}

impl PathCount {
    pub(crate) fn as_ref(&self) -> PathRef<'_> {
        PathRef {
            text: &self.path,
            span: (0, self.path.len()),
            conversions: self.conversions,
            nulls: self.nulls,
            value: self.value,
        }
    }
}

/// One row of a batch: where its path is, and its counts.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Row {
    /// Where the row's path ends in the text (it starts where the previous row's ends); in a
    /// batch of shared paths, the number of its path.
    at: usize,
    conversions: u64,
    nulls: u64,
    value: f64,
}

/// Path counts of many rows, their paths in one string buffer. Rows read from a dictionary
/// column share their paths: each distinct path is held, and split, once per batch.
///
/// ```
/// use leadcore::attribution::{AttributionAccumulator, AttributionConfig, PathBatch};
/// let mut batch = PathBatch::new();
/// batch.push("seo > sem", 2, 3, 500.0);
/// batch.push("sem", 1, 4, 80.0);
/// let mut acc = AttributionAccumulator::new(AttributionConfig::default()).unwrap();
/// acc.add_batch(&batch, 0).unwrap();
/// assert_eq!(acc.finish().unwrap().totals.conversions, 3);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PathBatch {
    text: String,
    rows: Vec<Row>,
    /// Where each shared path ends in `text` (path `i` starts where path `i − 1` ends); empty
    /// when every row has its own path.
    ends: Vec<usize>,
    /// Read from a table: errors name cells (`paths.value[3]`), not items (`paths[3].value`).
    table: bool,
}

/// The count columns of a path-count table, read row by row.
struct Counts<'t, 'a> {
    conversions: Option<Field<'t, 'a>>,
    nulls: Option<Field<'t, 'a>>,
    value: Option<Field<'t, 'a>>,
    /// Integer counts without missing rows, read straight from their slices.
    ints: (Option<&'t [i64]>, Option<&'t [i64]>),
}

impl Counts<'_, '_> {
    /// Row `i`'s counts, its path at `at` (a missing count or value is 0).
    #[inline(always)]
    fn row(&self, at: usize, i: usize) -> Result<Row, InputError> {
        // A negative count goes to `Field::count`, which names it.
        let count = |f: &Option<Field<'_, '_>>, fast: Option<&[i64]>| match fast
            .and_then(|v| v.get(i))
            .and_then(|&x| u64::try_from(x).ok())
        {
            Some(c) => Ok(c),
            None => Ok::<_, InputError>(f.map(|f| f.count(i)).transpose()?.flatten().unwrap_or(0)),
        };
        Ok(Row {
            at,
            conversions: count(&self.conversions, self.ints.0)?,
            nulls: count(&self.nulls, self.ints.1)?,
            value: self
                .value
                .map(|f| f.amount(i))
                .transpose()?
                .flatten()
                .unwrap_or(0.0),
        })
    }
}

impl PathBatch {
    /// An empty batch.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a row: the path (channels joined by the configured separator), the journeys
    /// along it that converted and that did not, and the conversions' total value.
    pub fn push(&mut self, path: &str, conversions: u64, nulls: u64, value: f64) {
        let at = if self.ends.is_empty() {
            self.text.push_str(path);
            self.text.len()
        } else {
            self.add_path(path)
        };
        self.rows.push(Row {
            at,
            conversions,
            nulls,
            value,
        });
    }

    /// A batch with no rows yet over `text`, the paths of the rows to come back to back (as
    /// an Arrow string column holds them); [`push_end`](Self::push_end) adds the rows.
    ///
    /// ```
    /// let mut batch = leadcore::attribution::PathBatch::from_text("seo > semsem".into());
    /// assert!(batch.push_end(9, 2, 3, 500.0) && batch.push_end(12, 1, 4, 80.0));
    /// assert!(!batch.push_end(11, 1, 1, 0.0)); // ends must not go back
    /// assert_eq!(batch.len(), 2);
    /// ```
    pub fn from_text(text: String) -> Self {
        Self {
            text,
            ..Self::default()
        }
    }

    /// The rows of one batch of a path-count table ([`PATHS`]: `path` text, optional
    /// `conversions` and `nulls` counts and `value` numbers; a missing count or value is 0).
    /// Errors name the column and the row counted from the table's `first_row`
    /// (`paths.conversions[17]`), and so do the errors of adding the batch.
    ///
    /// ```
    /// use leadcore::attribution::PathBatch;
    /// use leadcore::table::{Column, Table};
    /// let (offsets, data) = Column::text_buffers(&[Some("seo > sem"), Some("sem")]);
    /// let table = Table::new(vec![
    ///     ("path".into(), Column::text(&offsets, &data, None)),
    ///     ("conversions".into(), Column::Int { values: vec![2, -1].into(), validity: None }),
    /// ]);
    /// let err = PathBatch::from_table(&table).unwrap_err();
    /// assert_eq!(err.path, "paths.conversions[1]");
    /// ```
    pub fn from_table(table: &Table<'_>) -> Result<Self, InputError> {
        let bound = PATHS.bind_except(table, "path")?;
        let n = bound.rows();
        fn ints<'t>(f: Option<Field<'t, '_>>) -> Option<&'t [i64]> {
            match f?.column() {
                Column::Int {
                    values,
                    validity: None,
                } => Some(values),
                _ => None,
            }
        }
        let (conversions, nulls) = (bound.field("conversions"), bound.field("nulls"));
        let counts = Counts {
            conversions,
            nulls,
            value: bound.field("value"),
            ints: (ints(conversions), ints(nulls)),
        };
        let path = bound.required("path")?;
        let not_utf8 = |i| {
            let msg = FieldErrorKind::InvalidValue("text is not UTF-8".into());
            InputError::new(msg, path.at(i))
        };
        let mut batch = Self::new();
        match path.column() {
            // One copy of the bytes, rows cut at the offsets.
            Column::Text {
                offsets,
                data,
                validity: None,
            } => {
                let start = offsets.at(0);
                let text = data.get(start..offsets.at(n)).unwrap_or_default();
                // Checked by `bind`: UTF-8, each row starting and ending on a character.
                let text = String::from_utf8(text.to_vec()).unwrap_or_default();
                let ends = (0..n).map(|i| offsets.at(i + 1).wrapping_sub(start));
                batch.cut(text, ends, &counts, not_utf8)?;
            }
            // A text dictionary, its layout checked here as its values are copied (see
            // `bind_except`). When rows share its paths, each value a batch uses is copied
            // once, in the dictionary's order (front to back, not at random). When few rows
            // share a value (or the dictionary is far larger than the batch), each row's value
            // is copied in row order instead.
            col if let Some((keys, offsets, data)) = col.text_dictionary() => {
                // Any flaw is reported as the column's own check reports it (the first bad row).
                let layout = || path.check().err().unwrap_or_else(|| not_utf8(0));
                let m = offsets.len().saturating_sub(1);
                // A value's bytes; `None` when the key or its offsets are out of range, or it
                // starts inside a character. Values that start on a character and whose copies
                // are UTF-8 together are each UTF-8.
                let span = |k: usize| (offsets.at(k), offsets.at(k + 1));
                let bytes = |k: usize, (a, b): (usize, usize)| {
                    let v = data.get(a..b)?;
                    let starts_char = v.first().is_none_or(|&b| (b as i8) >= -0x40);
                    (k < m && starts_char).then_some(v)
                };
                let value = |k: usize| bytes(k, span(k));
                let mut used = (m <= n.saturating_mul(16))
                    .then(|| KeySet::new(keys, None, m))
                    .filter(|(used, _)| used.len() <= n / 2);
                if used.is_none() {
                    // The rows' spans first: in a dictionary read at random (a sorted one)
                    // their offsets are loads the CPU overlaps; then one copy, its size known.
                    let spans: Vec<_> = keys.iter().map(|&k| span(k as usize)).collect();
                    let size = spans
                        .iter()
                        .try_fold(0usize, |t, &(a, b)| t.checked_add(b.checked_sub(a)?));
                    // Unless the copies would outgrow the data (a few long values repeated over
                    // many rows, which a hostile table may hold): those rows share instead.
                    match size.filter(|&size| size <= data.len().saturating_mul(2)) {
                        Some(size) => {
                            let mut text = Vec::with_capacity(size);
                            let mut ends = Vec::with_capacity(n);
                            for (&k, &s) in keys.iter().zip(&spans) {
                                let v = bytes(k as usize, s).ok_or_else(layout)?;
                                text.extend_from_slice(v);
                                ends.push(text.len());
                            }
                            let text = String::from_utf8(text).map_err(|_| layout())?;
                            batch.cut(text, ends.into_iter(), &counts, not_utf8)?;
                        }
                        None => used = Some(KeySet::new(keys, None, m)),
                    }
                }
                match used {
                    None => {} // copied in row order
                    Some((_, true)) => return Err(layout()),
                    Some((used, false)) => {
                        let mut text = Vec::new();
                        for k in used.iter() {
                            text.extend_from_slice(value(k).ok_or_else(layout)?);
                            batch.ends.push(text.len());
                        }
                        batch.text = String::from_utf8(text).map_err(|_| layout())?;
                        batch.rows.reserve(n);
                        for (i, &k) in keys.iter().enumerate() {
                            batch.rows.push(counts.row(used.rank(k as usize), i)?);
                        }
                    }
                }
            }
            _ => batch.push_rows(&path, &counts, n)?,
        }
        batch.table = true;
        Ok(batch)
    }

    /// Takes `text` as the paths of rows ending at `ends`, one per row of `counts` (a row whose
    /// end is not a character boundary of the text is `not_utf8`).
    fn cut(
        &mut self,
        text: String,
        ends: impl ExactSizeIterator<Item = usize>,
        counts: &Counts<'_, '_>,
        not_utf8: impl Fn(usize) -> InputError,
    ) -> Result<(), InputError> {
        self.text = text;
        self.rows.reserve(ends.len());
        for (i, end) in ends.enumerate() {
            if !self.text.is_char_boundary(end) {
                return Err(not_utf8(i));
            }
            self.rows.push(counts.row(end, i)?);
        }
        Ok(())
    }

    /// Appends the `n` rows of a bound path table one by one, each path copied from its cell.
    fn push_rows(
        &mut self,
        path: &Field<'_, '_>,
        counts: &Counts<'_, '_>,
        n: usize,
    ) -> Result<(), InputError> {
        for i in 0..n {
            let p = path.text(i)?.ok_or_else(|| path.missing(i))?;
            let r = counts.row(0, i)?;
            self.push(p, r.conversions, r.nulls, r.value);
        }
        Ok(())
    }

    /// Whether the rows were read from a table (errors then name cells).
    pub(crate) fn is_table(&self) -> bool {
        self.table
    }

    /// Appends a row whose path runs from the previous row's end (or the start) to byte `end`
    /// of the text given to [`from_text`](Self::from_text); false, and nothing added, when
    /// `end` is before that, beyond the text or inside a character.
    pub fn push_end(&mut self, end: usize, conversions: u64, nulls: u64, value: f64) -> bool {
        let start = self.rows.last().map_or(0, |r| r.at);
        if !self.ends.is_empty() || end < start || !self.text.is_char_boundary(end) {
            return false;
        }
        self.rows.push(Row {
            at: end,
            conversions,
            nulls,
            value,
        });
        true
    }

    /// Appends a path count.
    pub fn push_count(&mut self, p: &PathCount) {
        self.push(&p.path, p.conversions, p.nulls, p.value);
    }

    /// Rows in the batch.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the batch has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Removes every row, keeping the buffers for reuse.
    pub fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
        self.rows.clear();
    }

    /// Adds shared path `s` (no row yet) to a batch of shared paths, or to one without rows;
    /// its number.
    fn add_path(&mut self, s: &str) -> usize {
        self.text.push_str(s);
        self.ends.push(self.text.len());
        self.ends.len() - 1
    }

    /// The number of distinct paths the rows count (fewer than the rows when they share).
    pub(crate) fn paths(&self) -> usize {
        if self.ends.is_empty() {
            self.rows.len()
        } else {
            self.ends.len()
        }
    }

    /// The rows in order, each with the number of its path.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (PathRef<'_>, usize)> {
        let mut start = 0;
        self.rows.iter().enumerate().map(move |(i, r)| {
            let (a, b, p) = if self.ends.is_empty() {
                let a = start;
                start = r.at;
                (a, r.at, i)
            } else {
                let a = match r.at.checked_sub(1) {
                    Some(q) => self.ends.get(q).copied().unwrap_or(0),
                    None => 0,
                };
                (a, self.ends.get(r.at).copied().unwrap_or(0), r.at)
            };
            // The rows' ends were checked to be character boundaries.
            let row = PathRef {
                text: &self.text,
                span: (a, b),
                conversions: r.conversions,
                nulls: r.nulls,
                value: r.value,
            };
            (row, p)
        })
    }
}

/// Attributes `journeys`, then the path counts of `batches`, on up to `threads` threads.
///
/// Batches are pulled on the calling thread; with `threads` > 1, that many workers add them
/// to their own accumulators while the next batch is produced, and the accumulators are
/// merged at the end. Merging is exact, so the report is bit-identical to [`attribute`]'s on
/// the same rows for any thread count and batch sizes.
///
/// Errors: an `Err` from `batches` stops the run; it is returned unless a row before it was
/// bad, in which case that row's error is (see the module docs). Attribution errors name rows
/// `journeys[i]` and `paths[i]`, numbered across batches.
///
/// [`attribute`]: super::attribute
///
/// ```
/// use leadcore::attribution::{attribute_batches, AttributionConfig, PathBatch};
/// let batches = (0..4).map(|i| {
///     let mut b = PathBatch::new();
///     b.push("seo > sem", 1, 2, 100.0 * f64::from(i));
///     Ok::<_, leadcore::Error>(b)
/// });
/// let report = attribute_batches(&AttributionConfig::default(), &[], batches, 2).unwrap();
/// assert_eq!(report.totals.conversions, 4);
/// assert_eq!(report.totals.value, 600.0);
/// ```
pub fn attribute_batches<E: From<Error>>(
    config: &AttributionConfig,
    journeys: &[Journey],
    batches: impl Iterator<Item = Result<PathBatch, E>>,
    threads: usize,
) -> Result<AttributionReport, E> {
    let threads = crate::parallel::workers(threads, 64);
    let mut total = AttributionAccumulator::new(config.clone())?;
    let empty = total.clone();
    total.add_journeys(journeys).map_err(Error::from)?;
    if threads == 1 {
        let mut first = 0;
        for batch in batches {
            let batch = batch?;
            total.add_batch(&batch, first).map_err(Error::from)?;
            first += batch.len();
        }
        return Ok(total.finish().map_err(Error::from)?);
    }
    let failed = AtomicBool::new(false);
    let (tx, rx) = mpsc::sync_channel::<(usize, PathBatch)>(threads);
    let rx = Mutex::new(rx);
    let (produced, parts) = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let mut acc = empty.clone();
                let (rx, failed) = (&rx, &failed);
                s.spawn(move || {
                    let mut err: Option<(usize, AttributionError)> = None;
                    loop {
                        let next = match rx.lock() {
                            Ok(r) => r.recv(),
                            Err(_) => break,
                        };
                        let Ok((first, batch)) = next else { break };
                        // After an error, later batches of this worker cannot hold an earlier
                        // bad row; batches of the other workers still run.
                        if err.is_none()
                            && let Err(e) = acc.add_batch(&batch, first)
                        {
                            failed.store(true, Ordering::Relaxed);
                            err = Some((first, e));
                        }
                    }
                    (acc, err)
                })
            })
            .collect();
        let mut produced: Result<(), E> = Ok(());
        let mut first = 0;
        for batch in batches {
            match batch {
                Ok(b) => {
                    let n = b.len();
                    if tx.send((first, b)).is_err() {
                        break;
                    }
                    first += n;
                }
                Err(e) => {
                    produced = Err(e);
                    break;
                }
            }
            if failed.load(Ordering::Relaxed) {
                break;
            }
        }
        drop(tx);
        // The panic policy of crate::parallel: a worker's panic is re-raised here.
        let parts: Vec<_> = workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect();
        (produced, parts)
    });
    // Every batch sent precedes the producer's error, so any attribution error wins over it.
    let first_err = parts
        .iter()
        .filter_map(|(_, e)| e.as_ref())
        .min_by_key(|(first, _)| *first);
    if let Some((_, e)) = first_err {
        return Err(Error::from(e.clone()).into());
    }
    produced?;
    for (acc, _) in &parts {
        total.merge(acc).map_err(Error::from)?;
    }
    Ok(total.finish().map_err(Error::from)?)
}
