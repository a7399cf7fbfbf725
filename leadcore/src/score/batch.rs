//! Batch plumbing: grouping columnar events by lead and spreading leads over threads.
//!
//! Leads are split into contiguous chunks, each scored by one std thread with its own scratch
//! buffers; results are concatenated in lead order, so the output does not depend on the
//! thread count.

use super::columns::EventColumns;
use super::engine::Scratch;

/// Events grouped by lead: either contiguous ranges (input already sorted by lead) or an
/// index permutation (a stable counting sort).
#[derive(Debug)]
pub(crate) struct Groups {
    /// `offsets[l]..offsets[l + 1]` are lead `l`'s positions.
    offsets: Vec<usize>,
    /// Event index per position; `None` when positions are event indexes.
    order: Option<Vec<u32>>,
}

impl Groups {
    /// Groups the events of `leads` leads (the lead column must already be validated).
    pub(crate) fn new(cols: &EventColumns<'_>, leads: usize) -> Self {
        let lead = cols.lead;
        if is_sorted(lead) {
            // Sorted by lead (the usual export order): each lead's end found by galloping from
            // the previous end, O(leads × log(events per lead)) instead of a pass over events.
            let mut offsets = Vec::with_capacity(leads + 1);
            offsets.push(0);
            let mut end = 0;
            for l in 0..leads {
                end = gallop_past(lead, end, l as u64);
                offsets.push(end);
            }
            return Self {
                offsets,
                order: None,
            };
        }
        let mut offsets = vec![0usize; leads + 1];
        for &l in lead {
            if let Some(c) = offsets.get_mut(l as usize + 1) {
                *c += 1;
            }
        }
        for i in 1..offsets.len() {
            let prev = offsets.get(i - 1).copied().unwrap_or(0);
            if let Some(c) = offsets.get_mut(i) {
                *c += prev;
            }
        }
        let mut next = offsets.clone();
        let mut order = vec![0u32; lead.len()];
        for (i, &l) in lead.iter().enumerate() {
            if let Some(pos) = next.get_mut(l as usize) {
                if let Some(slot) = order.get_mut(*pos) {
                    *slot = u32::try_from(i).unwrap_or(u32::MAX);
                }
                *pos += 1;
            }
        }
        Self {
            offsets,
            order: Some(order),
        }
    }

    fn range(&self, lead: usize) -> std::ops::Range<usize> {
        let start = self.offsets.get(lead).copied().unwrap_or(0);
        let end = self.offsets.get(lead + 1).copied().unwrap_or(start);
        start..end
    }

    /// Lead `lead`'s event indexes, in input order.
    pub(crate) fn events(&self, lead: usize) -> LeadEvents<'_> {
        let range = self.range(lead);
        match &self.order {
            Some(order) => LeadEvents::Listed(order.get(range).unwrap_or_default().iter()),
            None => LeadEvents::Range(range),
        }
    }

    /// Events of the leads before `lead` (for balancing threads).
    fn events_before(&self, lead: usize) -> usize {
        self.offsets.get(lead).copied().unwrap_or(0)
    }
}

/// Whether `v` never decreases: compared a block at a time without early exit inside a block,
/// which the compiler vectorizes.
fn is_sorted(v: &[u32]) -> bool {
    let (Some(a), Some(b)) = (v.get(..v.len().saturating_sub(1)), v.get(1..)) else {
        return true;
    };
    a.chunks(4096)
        .zip(b.chunks(4096))
        .all(|(a, b)| a.iter().zip(b).fold(true, |ok, (x, y)| ok & (x <= y)))
}

/// The first position at or after `from` whose value is above `l` in the sorted `v` (its
/// length when none is): an exponential probe, then a binary search in the last step.
fn gallop_past(v: &[u32], from: usize, l: u64) -> usize {
    let above = |i: usize| v.get(i).is_none_or(|&x| u64::from(x) > l);
    if above(from) {
        return from.min(v.len());
    }
    let mut step = 1;
    let mut lo = from;
    while !above(lo + step) {
        lo += step;
        step *= 2;
    }
    let hi = (lo + step).min(v.len());
    lo + 1
        + v.get(lo + 1..hi)
            .map_or(0, |w| w.partition_point(|&x| u64::from(x) <= l))
}

/// The event indexes of one lead.
#[derive(Debug, Clone)]
pub(crate) enum LeadEvents<'a> {
    /// Positions of a counting sort.
    Listed(std::slice::Iter<'a, u32>),
    /// A contiguous range of event indexes.
    Range(std::ops::Range<usize>),
}

impl Iterator for LeadEvents<'_> {
    type Item = u32;

    #[inline]
    fn next(&mut self) -> Option<u32> {
        match self {
            Self::Listed(it) => it.next().copied(),
            Self::Range(r) => r.next().map(|i| i as u32),
        }
    }
}

/// Most threads a batch uses, whatever the caller asks for.
pub const MAX_THREADS: usize = 256;

/// Runs `f(index, lead, scratch)` for every lead on up to `threads` threads (0 counts as 1;
/// at most [`MAX_THREADS`], the available parallelism and one per lead: [`crate::parallel::workers`]) and returns the results in lead order.
pub(crate) fn map_leads<L, T, F>(groups: &Groups, items: &[L], threads: usize, f: F) -> Vec<T>
where
    L: Sync,
    T: Send,
    F: Fn(usize, &L, &mut Scratch) -> T + Sync,
{
    let leads = items.len();
    let threads = crate::parallel::workers(threads, leads.min(MAX_THREADS));
    if threads == 1 {
        let mut scratch = Scratch::default();
        return items
            .iter()
            .enumerate()
            .map(|(l, lead)| f(l, lead, &mut scratch))
            .collect();
    }
    // Split at lead boundaries so that each chunk holds about the same number of events plus
    // leads (a lead costs something even without events).
    let total = groups.events_before(leads) + leads;
    let mut bounds = vec![0usize];
    let mut lead = 0usize;
    for t in 1..threads {
        let target = total * t / threads;
        while lead < leads && groups.events_before(lead) + lead < target {
            lead += 1;
        }
        bounds.push(lead);
    }
    bounds.push(leads);
    let pieces = bounds.len() - 1;
    crate::parallel::fan_out(pieces, pieces, |k| {
        let (start, end) = (
            bounds.get(k).copied().unwrap_or(0),
            bounds.get(k + 1).copied().unwrap_or(0),
        );
        let mut scratch = Scratch::default();
        let chunk = items.get(start..end).unwrap_or_default();
        chunk
            .iter()
            .enumerate()
            .map(|(i, lead)| f(start + i, lead, &mut scratch))
            .collect::<Vec<T>>()
    })
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
mod group_tests {
    use super::*;

    #[test]
    fn galloping_finds_each_leads_end() {
        let mut seed = 7u64;
        for _ in 0..200 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let leads = (seed >> 33) as usize % 20 + 1;
            let mut v: Vec<u32> = (0..(seed >> 40) as usize % 300)
                .map(|i| ((seed >> (i % 30)) as usize % leads) as u32)
                .collect();
            v.sort_unstable();
            assert!(is_sorted(&v));
            let mut end = 0;
            for l in 0..leads {
                end = gallop_past(&v, end, l as u64);
                assert_eq!(end, v.iter().filter(|&&x| x as usize <= l).count());
            }
        }
        assert!(!is_sorted(&[0, 2, 1]));
        assert!(is_sorted(&[]) && is_sorted(&[5]));
    }
}
