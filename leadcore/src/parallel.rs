//! Worker threads: the one place a caller's `threads` is validated and clamped, and the one
//! fan-out every parallel call runs on.
//!
//! Every leadcore call that takes `threads` (scoring batches, feature building, training,
//! prediction, attribution) reads it through [`threads`] / [`threads_from_value`] at the
//! binding boundary and sizes each fan-out with [`workers`]:
//!
//! - absent: the machine's available parallelism ([`available`]);
//! - a whole number: clamped to `1..=available()` (`0` counts as 1). Asking for more threads
//!   than the machine runs at once never makes a call faster, and one OS thread per chunk
//!   for `threads = 1e9` failed to spawn and aborted the process (issue 15);
//! - negative or fractional: `invalid_value` at `threads`; NaN or infinite: `not_finite` at
//!   `threads` (as everywhere else a number is read); a non-number: `invalid_type`.
//!
//! Results never depend on the thread count. A panic in a worker is re-raised in the caller
//! with its payload ([`fan_out`]): no fan-out drops or hides a piece of work, and the bindings
//! turn the panic into their own error as for any other.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::{FieldErrorKind, InputError};

/// Threads the machine runs at once (`std::thread::available_parallelism`, 1 if unknown),
/// read once per process.
pub fn available() -> usize {
    static AVAILABLE: OnceLock<usize> = OnceLock::new();
    *AVAILABLE.get_or_init(|| std::thread::available_parallelism().map_or(1, usize::from))
}

/// A caller's thread count, as a binding reads it (a JS number, a Python int as a float):
/// `None` is [`available`]; see the module docs for the rules.
///
/// ```
/// use leadcore::parallel::{available, threads};
/// assert_eq!(threads(None).unwrap(), available());
/// assert_eq!(threads(Some(1e9)).unwrap(), available());
/// assert_eq!(threads(Some(0.0)).unwrap(), 1);
/// assert_eq!(threads(Some(-1.0)).unwrap_err().path, "threads");
/// assert_eq!(threads(Some(f64::NAN)).unwrap_err().code(), "not_finite");
/// ```
pub fn threads(requested: Option<f64>) -> Result<usize, InputError> {
    let Some(n) = requested else {
        return Ok(available());
    };
    if !n.is_finite() {
        return Err(InputError::new(FieldErrorKind::NotFinite, "threads"));
    }
    if n < 0.0 || n.fract() != 0.0 {
        return Err(InputError::new(
            FieldErrorKind::InvalidValue(format!(
                "`{n}` threads: expected a whole number, at least 0"
            )),
            "threads",
        ));
    }
    // Finite, whole and non-negative: the cast saturates at usize::MAX, then clamps.
    Ok((n as usize).clamp(1, available()))
}

/// The same from a JSON value (`null`: absent).
pub fn threads_from_value(v: &serde_json::Value) -> Result<usize, InputError> {
    match v {
        serde_json::Value::Null => threads(None),
        serde_json::Value::Number(n) => match (n.as_u64(), n.as_f64()) {
            (Some(u), _) => threads(Some(u.min(1 << 53) as f64)),
            (None, Some(f)) => threads(Some(f)),
            (None, None) => threads(Some(f64::NAN)),
        },
        other => Err(InputError::new(
            FieldErrorKind::InvalidType(format!(
                "invalid type: `threads` must be a whole number, got `{other}`"
            )),
            "threads",
        )),
    }
}

/// How many workers a fan-out over `items` pieces of work starts for a caller's `threads`:
/// `threads` clamped to `1..=min(available(), items)`.
pub fn workers(threads: usize, items: usize) -> usize {
    threads.clamp(1, available().min(items).max(1))
}

/// Runs `work(i)` for every piece `i` in `0..pieces` on up to [`workers`]`(threads, pieces)`
/// scoped threads (inline when one), each taking the next piece not yet taken, and returns
/// the results in piece order. A worker's panic is re-raised here with its payload.
///
/// ```
/// let squares = leadcore::parallel::fan_out(5, 4, |i| i * i);
/// assert_eq!(squares, [0, 1, 4, 9, 16]);
/// ```
pub fn fan_out<T: Send>(pieces: usize, threads: usize, work: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = workers(threads, pieces);
    if threads == 1 {
        return (0..pieces).map(work).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, T)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= pieces {
                            break mine;
                        }
                        mine.push((i, work(i)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, t)| t).collect()
}

/// Splits `0..n` into at most `threads` contiguous ranges of about equal length, runs
/// `work(start, end)` on each through [`fan_out`] and concatenates the results in order.
pub fn fan_out_ranges<T: Send>(
    n: usize,
    threads: usize,
    work: impl Fn(usize, usize) -> Vec<T> + Sync,
) -> Vec<T> {
    let chunk = n.div_ceil(workers(threads, n)).max(1);
    let pieces = n.div_ceil(chunk);
    if pieces <= 1 {
        return work(0, n);
    }
    fan_out(pieces, pieces, |k| {
        let start = k * chunk;
        work(start, (start + chunk).min(n))
    })
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_worker_is_re_raised_not_dropped() {
        let caught = std::panic::catch_unwind(|| {
            fan_out(64, 4, |i| {
                assert!(i != 17, "piece 17");
                i
            })
        });
        let payload = caught.unwrap_err();
        let text = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()));
        assert_eq!(text.as_deref(), Some("piece 17"));
        assert_eq!(
            fan_out_ranges(10, 3, |s, e| (s..e).collect()),
            (0..10).collect::<Vec<_>>()
        );
        assert_eq!(
            fan_out_ranges(0, 3, |s, e| (s..e).collect::<Vec<usize>>()),
            Vec::<usize>::new()
        );
    }

    #[test]
    fn bad_counts_are_coded_errors_and_huge_ones_are_clamped() {
        for bad in [-1.0, 1.5, -0.5] {
            let e = threads(Some(bad)).unwrap_err();
            let got = (e.code(), e.path.as_str());
            assert_eq!(got, ("invalid_value", "threads"), "{bad}");
        }
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let e = threads(Some(bad)).unwrap_err();
            let got = (e.code(), e.path.as_str());
            assert_eq!(got, ("not_finite", "threads"), "{bad}");
        }
        for huge in [1e9, 4_294_967_295.0, 1e300, f64::MAX] {
            assert_eq!(threads(Some(huge)).unwrap(), available());
        }
        assert_eq!(threads(Some(0.0)).unwrap(), 1);
        assert_eq!(threads(Some(1.0)).unwrap(), 1);
        let v = |j: &str| threads_from_value(&serde_json::from_str(j).unwrap());
        assert_eq!(v("null").unwrap(), available());
        assert_eq!(v("18446744073709551615").unwrap(), available());
        assert_eq!(v("-1").unwrap_err().code(), "invalid_value");
        assert_eq!(v("2.5").unwrap_err().code(), "invalid_value");
        assert_eq!(v("\"4\"").unwrap_err().code(), "invalid_type");
        assert_eq!(workers(1_000_000, 3), available().min(3));
        assert_eq!(workers(0, 0), 1);
    }
}
