//! Markov-chain attribution: removal effects of order k, solved exactly.
//!
//! **The chain.** Each path becomes a walk `(start) → s₁ → … → s_m → (conversion) | (null)`.
//! For order k the states are the sliding windows of k consecutive touches (a path shorter than
//! k is one state holding the whole path, so an order larger than the longest path is allowed
//! and simply gives one state per distinct path). Consecutive identical states are merged, as
//! ChannelAttribution does: a self-loop never changes where a walk is absorbed, so absorption
//! probabilities are the same with or without it. Transition probabilities are the observed
//! counts normalised per state.
//!
//! **Conversion probability.** With Q the transient-to-transient probabilities and b the
//! probability of moving to `(conversion)`, the absorption probabilities solve
//! `x = Q x + b`; the conversion probability is `x[(start)]`. Expected value per journey solves
//! the same system with `r[s]` = value of the conversions that ended in s ÷ transitions out of s.
//!
//! **Removal effect** of channel c: make every state containing c lead to `(null)` and solve
//! again: `RE_c = 1 − P₋c / P`. (RE_c is also P(a converting walk visits c), which is what
//! ChannelAttribution estimates by simulating walks.) Credits are `RE_c / Σ RE × conversions`,
//! and the same with the value system for value.
//!
//! **Solver.** A sparse LU of `I − Q` (faer, single-threaded, so results are the same bit for
//! bit everywhere), factored once. The removal of a channel held by one state d (every channel
//! at order 1) is one more solve: `P₋d = P − w_d x_d / G_dd` with `G = (I − Q)⁻¹` and
//! `wᵀ = p₀ᵀ G` the expected visits from `(start)`. A channel held by several states is solved
//! again on the chain without them, reusing the column order. The work is bounded before
//! anything is solved ([`MAX_MARKOV_WORK`]).
//!
//! When that bound is exceeded (at order 3 over a dozen channels the LU of the chain fills in
//! almost completely, and each channel needs its own), Gauss–Seidel sweeps solve each system
//! instead, until its error is bounded to 1e-13 (relative): each channel's system starts from
//! the chain's solution and takes a few sweeps over its transitions, within a budget that grows
//! with the chain ([`sweep_limit`]). Only a chain that neither fits is refused.

use serde::{Deserialize, Serialize};

use super::error::AttributionError;
use super::exact::Exact;
use super::intern::FxMap;
use super::sparse::{self, Pattern};
use super::sweep::Sweeps;

const NONE: u32 = u32::MAX;
type Tuple = [u32; 4];

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct End {
    conversions: u64,
    nulls: u64,
    value: Exact,
}

impl End {
    fn add(&mut self, conversions: u64, nulls: u64, value: Exact) {
        self.conversions = self.conversions.saturating_add(conversions);
        self.nulls = self.nulls.saturating_add(nulls);
        // The caller checked that the total value fits, and every end holds part of it.
        self.value = self.value.checked_add(value).unwrap_or(self.value);
    }
}

/// Keys up to which order-1 walks are counted in a [`Dense`] matrix.
const DENSE_KEYS: usize = 256;

/// Order-1 counts of walks over keys below [`DENSE_KEYS`] (in practice: every channel), kept
/// as a matrix so that adding a walk is one increment per touch. State `0` is `(start)` and
/// state `k + 1` is key `k`. A state exists when a walk entered it, i.e. when its column is not
/// all zero. The counts are moved into the general form whenever they are read.
#[derive(Debug, Clone, Default)]
struct Dense {
    /// Keys covered (ids below it); the matrix has `keys + 1` rows and columns.
    keys: usize,
    /// `trans[from * (keys + 1) + to]`.
    trans: Vec<u64>,
    /// Walks that ended in each state.
    ends: Vec<End>,
}

impl Dense {
    /// Makes room for key `max`, keeping the counts.
    fn grow(&mut self, max: usize) {
        let keys = (max + 1).next_power_of_two().clamp(16, DENSE_KEYS);
        let (old, new) = (self.keys + 1, keys + 1);
        let mut trans = vec![0u64; new * new];
        for (from, row) in self.trans.chunks_exact(old.max(1)).enumerate() {
            let start = from * new;
            if let Some(dst) = trans.get_mut(start..start + old) {
                dst.copy_from_slice(row);
            }
        }
        self.trans = trans;
        self.ends.resize(new, End::default());
        self.keys = keys;
    }

    /// Adds `total` walks along `keys` (all below [`DENSE_KEYS`]; `max` is the largest).
    fn add(
        &mut self,
        keys: &[u32],
        max: usize,
        conversions: u64,
        nulls: u64,
        total: u64,
        value: Exact,
    ) {
        if max >= self.keys {
            self.grow(max);
        }
        let stride = self.keys + 1;
        let mut prev = 0usize;
        for &k in keys {
            let s = k as usize + 1;
            if s != prev
                && let Some(c) = self.trans.get_mut(prev * stride + s)
            {
                *c = c.saturating_add(total);
            }
            prev = s;
        }
        if let Some(end) = self.ends.get_mut(prev) {
            end.add(conversions, nulls, value);
        }
    }
}

/// Most successor slots (states × keys) that [`Windows`] keeps before handing its counts to the
/// general form: 12 MiB of slots.
const WINDOW_SLOTS: usize = 1 << 20;

/// Order-k counts (k ≥ 2) of walks over keys below [`DENSE_KEYS`], with each state's successor
/// by the next key kept in a row of slots, so that a window after the first costs an array read
/// instead of a hash lookup and an edge search. The successor of `(a, b, c)` by key `d` is
/// always `(b, c, d)`, so a slot's count is the transition's count. States are numbered from 1
/// (0 is `(start)`; slot 0 is "not looked up yet"). Moved into the general form when read, and
/// for good once the slots would pass [`WINDOW_SLOTS`].
#[derive(Debug, Clone, Default)]
struct Windows {
    /// Slots per state (a power of two ≥ every key seen + 1).
    stride: usize,
    /// Tuple of state `s` at `tuples[s - 1]`.
    tuples: Vec<Tuple>,
    index: FxMap<Tuple, u32>,
    /// `next[s * stride + key]`: the successor of state `s` by `key` (0: not looked up).
    next: Vec<u32>,
    /// `count[s * stride + key]`: walks that took that step.
    count: Vec<u64>,
    /// Walks that started in each state (index `s`).
    start: Vec<u64>,
    /// Walks that ended in each state (index `s`).
    ends: Vec<End>,
    /// The walks' first windows as a trie of their keys, so that finding a walk's first state
    /// is an array read per key, not a hash: `trie[node * stride + key]` is the child of
    /// `node` by `key` (0: none yet; node 0 is the root), `first[node]` the state of the
    /// window that ends at `node` (0: not looked up yet). Derived: emptied when widened.
    trie: Vec<u32>,
    first: Vec<u32>,
    /// The slots passed [`WINDOW_SLOTS`] once: every walk goes to the general form.
    full: bool,
}

impl Windows {
    /// The state of `tuple`, created when new.
    fn state_of(&mut self, tuple: Tuple) -> u32 {
        if let Some(&s) = self.index.get(&tuple) {
            return s;
        }
        self.tuples.push(tuple);
        let s = self.tuples.len() as u32;
        self.index.insert(tuple, s);
        let slots = (self.tuples.len() + 1) * self.stride;
        self.next.resize(slots, 0);
        self.count.resize(slots, 0);
        self.start.push(0);
        self.ends.push(End::default());
        s
    }

    /// The state of the first window of `keys` (its first `k` keys, or all of them padded),
    /// created when new.
    fn first_state(&mut self, k: usize, keys: &[u32]) -> u32 {
        if self.first.is_empty() {
            self.first.push(0);
            self.trie.resize(self.stride, 0);
        }
        let mut node = 0usize;
        for &key in keys.iter().take(k) {
            let slot = node * self.stride + key as usize;
            node = match self.trie.get(slot).copied() {
                Some(child) if child != 0 => child as usize,
                _ => {
                    let child = self.first.len();
                    self.first.push(0);
                    self.trie.resize((child + 1) * self.stride, 0);
                    if let (Some(x), Ok(c)) = (self.trie.get_mut(slot), u32::try_from(child)) {
                        *x = c;
                    }
                    child
                }
            };
        }
        if let Some(&s) = self.first.get(node)
            && s != 0
        {
            return s;
        }
        let mut tuple = [NONE; 4];
        for (slot, &key) in tuple.iter_mut().zip(keys.iter().take(k)) {
            *slot = key;
        }
        let s = self.state_of(tuple);
        if let Some(x) = self.first.get_mut(node) {
            *x = s;
        }
        s
    }

    /// Makes room for key `max`, keeping the counts.
    fn widen(&mut self, max: usize) {
        let stride = (max + 1).next_power_of_two().clamp(16, DENSE_KEYS);
        let rows = self.tuples.len() + 1;
        let relay = |old: &[u64], stride_old: usize| -> Vec<u64> {
            let mut v = vec![0u64; rows * stride];
            for (r, row) in old.chunks_exact(stride_old.max(1)).enumerate() {
                if let Some(dst) = v.get_mut(r * stride..r * stride + stride_old) {
                    dst.copy_from_slice(row);
                }
            }
            v
        };
        let next: Vec<u64> = self.next.iter().map(|&x| u64::from(x)).collect();
        self.next = relay(&next, self.stride)
            .into_iter()
            .map(|x| x as u32)
            .collect();
        self.count = relay(&self.count, self.stride);
        self.stride = stride;
        self.trie.clear();
        self.first.clear();
        if self.start.is_empty() {
            self.start.push(0);
            self.ends.push(End::default());
        }
    }

    /// Adds `total` walks along `keys` (more than `k` of them, all below [`DENSE_KEYS`]; `max`
    /// is the largest). `false` (nothing added) when the slots would pass [`WINDOW_SLOTS`].
    fn add(&mut self, k: usize, keys: &[u32], max: usize, total: u64, end: End) -> bool {
        if max >= self.stride {
            self.widen(max);
        }
        // A walk adds at most one state per window, and a trie node per key of its first.
        if (self.tuples.len() + self.first.len() + 2 + keys.len() + k) * self.stride > WINDOW_SLOTS
        {
            self.full = true;
            return false;
        }
        let mut s = self.first_state(k, keys);
        if let Some(c) = self.start.get_mut(s as usize) {
            *c = c.saturating_add(total);
        }
        for (i, &key) in keys.iter().enumerate().skip(k) {
            let slot = s as usize * self.stride + key as usize;
            let t = match self.next.get(slot).copied() {
                Some(t) if t != 0 => t,
                _ => {
                    let mut tuple = [NONE; 4];
                    for (x, &key) in tuple.iter_mut().zip(keys.iter().skip(i + 1 - k).take(k)) {
                        *x = key;
                    }
                    let t = self.state_of(tuple);
                    if let Some(x) = self.next.get_mut(slot) {
                        *x = t;
                    }
                    t
                }
            };
            if t != s
                && let Some(c) = self.count.get_mut(slot)
            {
                *c = c.saturating_add(total);
            }
            s = t;
        }
        if let Some(e) = self.ends.get_mut(s as usize) {
            e.add(end.conversions, end.nulls, end.value);
        }
        true
    }
}

/// Edges of a state from which its transitions are found through [`MarkovCounts::wide`].
const WIDE: usize = 32;

/// Mergeable transition counts of an order-k chain over interned keys.
#[derive(Debug, Clone)]
pub(crate) struct MarkovCounts {
    order: usize,
    /// Tuple of state `s` at `tuples[s - 1]` (state 0 is `(start)`).
    tuples: Vec<Tuple>,
    index: FxMap<Tuple, u32>,
    /// Order 1: state of key `k` at `by_key[k]` (0 = none yet).
    by_key: Vec<u32>,
    /// Outgoing transitions by state.
    out: Vec<Vec<(u32, u64)>>,
    /// `(from << 32 | to)` → position in `out[from]`, for states with [`WIDE`] edges or more
    /// (`(start)` at order 3 has one per distinct first window: searching them would make
    /// counting quadratic).
    wide: FxMap<u64, u32>,
    ends: Vec<End>,
    /// Order 1: walks not yet moved into the general form above (see [`Dense`]).
    dense: Dense,
    /// Order 2 and up: the same (see [`Windows`]).
    windows: Windows,
}

impl MarkovCounts {
    pub(crate) fn new(order: u8) -> Self {
        Self {
            order: usize::from(order.clamp(1, 4)),
            tuples: Vec::new(),
            index: FxMap::default(),
            by_key: Vec::new(),
            out: vec![Vec::new()],
            wide: FxMap::default(),
            ends: vec![End::default()],
            dense: Dense::default(),
            windows: Windows::default(),
        }
    }

    /// Moves the [`Dense`] and [`Windows`] counts into the general form.
    fn flush(&mut self) {
        self.flush_dense();
        self.flush_windows();
    }

    /// Moves the [`Windows`] counts into the general form.
    fn flush_windows(&mut self) {
        let w = std::mem::take(&mut self.windows);
        self.windows.full = w.full;
        let mut states = vec![0u32; w.tuples.len() + 1];
        for (state, &tuple) in states.iter_mut().skip(1).zip(&w.tuples) {
            *state = self.state_of(tuple);
        }
        let map = |s: u32| states.get(s as usize).copied().unwrap_or(0);
        for (s, &c) in w.start.iter().enumerate() {
            if c > 0 {
                self.bump(0, map(s as u32), c);
            }
        }
        let rows = w.next.chunks_exact(w.stride.max(1));
        for (s, (next, count)) in rows.zip(w.count.chunks_exact(w.stride.max(1))).enumerate() {
            for (&t, &c) in next.iter().zip(count) {
                if c > 0 {
                    self.bump(map(s as u32), map(t), c);
                }
            }
        }
        for (s, e) in w.ends.iter().enumerate() {
            if (e.conversions > 0 || e.nulls > 0 || !e.value.is_zero())
                && let Some(end) = self.ends.get_mut(map(s as u32) as usize)
            {
                end.add(e.conversions, e.nulls, e.value);
            }
        }
    }

    /// Moves the [`Dense`] counts into the general form.
    fn flush_dense(&mut self) {
        let dense = std::mem::take(&mut self.dense);
        let stride = dense.keys + 1;
        if dense.trans.is_empty() {
            return;
        }
        // The general state of each dense state (0 = not entered).
        let mut states = vec![0u32; stride];
        for (col, state) in states.iter_mut().enumerate().skip(1) {
            let entered = dense.trans.iter().skip(col).step_by(stride).any(|&c| c > 0);
            if entered {
                let mut tuple = [NONE; 4];
                tuple[0] = col as u32 - 1;
                *state = self.state_of(tuple);
            }
        }
        let map = |s: usize| states.get(s).copied().unwrap_or(0);
        for (from, row) in dense.trans.chunks_exact(stride).enumerate() {
            for (to, &c) in row.iter().enumerate() {
                if c > 0 {
                    self.bump(map(from), map(to), c);
                }
            }
        }
        for (s, e) in dense.ends.iter().enumerate() {
            if (e.conversions > 0 || e.nulls > 0 || !e.value.is_zero())
                && let Some(end) = self.ends.get_mut(map(s) as usize)
            {
                end.add(e.conversions, e.nulls, e.value);
            }
        }
    }

    /// These counts with nothing left in the [`Dense`] or [`Windows`] form (borrowed when there
    /// is none).
    fn flushed(&self) -> std::borrow::Cow<'_, MarkovCounts> {
        if self.dense.trans.is_empty() && self.windows.tuples.is_empty() {
            std::borrow::Cow::Borrowed(self)
        } else {
            let mut m = self.clone();
            m.flush();
            std::borrow::Cow::Owned(m)
        }
    }

    pub(crate) fn order(&self) -> u8 {
        self.order as u8
    }

    fn create(&mut self, tuple: Tuple) -> u32 {
        self.tuples.push(tuple);
        self.out.push(Vec::new());
        self.ends.push(End::default());
        let id = self.tuples.len() as u32;
        if self.order == 1 {
            let k = tuple[0] as usize;
            if self.by_key.len() <= k {
                self.by_key.resize(k + 1, 0);
            }
            if let Some(slot) = self.by_key.get_mut(k) {
                *slot = id;
            }
        } else {
            self.index.insert(tuple, id);
        }
        id
    }

    fn state_of(&mut self, tuple: Tuple) -> u32 {
        if self.order == 1 {
            match self.by_key.get(tuple[0] as usize) {
                Some(&s) if s != 0 => s,
                _ => self.create(tuple),
            }
        } else {
            match self.index.get(&tuple) {
                Some(&s) => s,
                None => self.create(tuple),
            }
        }
    }

    fn bump(&mut self, from: u32, to: u32, count: u64) {
        let Some(edges) = self.out.get_mut(from as usize) else {
            return;
        };
        let edge = |t: u32| (u64::from(from) << 32) | u64::from(t);
        if edges.len() < WIDE {
            match edges.iter_mut().find(|(t, _)| *t == to) {
                Some((_, c)) => *c = c.saturating_add(count),
                None => {
                    edges.push((to, count));
                    if edges.len() == WIDE {
                        for (i, &(t, _)) in edges.iter().enumerate() {
                            self.wide.insert(edge(t), i as u32);
                        }
                    }
                }
            }
            return;
        }
        match self.wide.get(&edge(to)).copied() {
            Some(i) => {
                if let Some((_, c)) = edges.get_mut(i as usize) {
                    *c = c.saturating_add(count);
                }
            }
            None => {
                self.wide.insert(edge(to), edges.len() as u32);
                edges.push((to, count));
            }
        }
    }

    /// Adds `conversions + nulls` walks along `keys`, with the conversions' total `value`.
    pub(crate) fn add(&mut self, keys: &[u32], conversions: u64, nulls: u64, value: Exact) {
        let n = keys.len();
        let total = conversions.saturating_add(nulls);
        if n == 0 || total == 0 {
            return;
        }
        let k = self.order;
        let max = keys.iter().copied().max().unwrap_or(0) as usize;
        if k == 1 && max < DENSE_KEYS {
            self.dense.add(keys, max, conversions, nulls, total, value);
            return;
        }
        if k > 1 && max < DENSE_KEYS && !self.windows.full {
            let end = End {
                conversions,
                nulls,
                value,
            };
            if self.windows.add(k, keys, max, total, end) {
                return;
            }
            self.flush_windows();
        }
        let windows = if n <= k { 1 } else { n - k + 1 };
        let mut prev = 0u32;
        for i in 0..windows {
            let mut tuple = [NONE; 4];
            for (slot, &key) in tuple.iter_mut().zip(keys.iter().skip(i).take(k)) {
                *slot = key;
            }
            let s = self.state_of(tuple);
            if s != prev {
                self.bump(prev, s, total);
            }
            prev = s;
        }
        if let Some(end) = self.ends.get_mut(prev as usize) {
            end.add(conversions, nulls, value);
        }
    }

    /// Adds everything in `other`, whose key `k` is our key `remap[k]`.
    pub(crate) fn merge(&mut self, other: &MarkovCounts, remap: &[u32]) {
        let other = other.flushed();
        let mut states = Vec::with_capacity(other.tuples.len() + 1);
        states.push(0u32);
        for t in &other.tuples {
            let mut mapped = [NONE; 4];
            for (m, &k) in mapped.iter_mut().zip(t) {
                if k != NONE {
                    *m = remap.get(k as usize).copied().unwrap_or(NONE);
                }
            }
            states.push(self.state_of(mapped));
        }
        let map = |s: u32| states.get(s as usize).copied().unwrap_or(0);
        for (from, edges) in other.out.iter().enumerate() {
            for &(to, c) in edges {
                self.bump(map(from as u32), map(to), c);
            }
        }
        for (s, e) in other.ends.iter().enumerate() {
            if let Some(end) = self.ends.get_mut(map(s as u32) as usize) {
                end.conversions = end.conversions.saturating_add(e.conversions);
                end.nulls = end.nulls.saturating_add(e.nulls);
                end.value = end.value.checked_add(e.value).unwrap_or(end.value);
            }
        }
    }

    /// The counts with keys renumbered by `perm` and states sorted: the same for any split.
    pub(crate) fn canonical(&self, perm: &[u32]) -> MarkovState {
        let flushed = self.flushed();
        let this = flushed.as_ref();
        let canon = |t: &Tuple| -> Vec<u32> {
            t.iter()
                .take_while(|&&k| k != NONE)
                .map(|&k| perm.get(k as usize).copied().unwrap_or(NONE))
                .collect()
        };
        let mut order: Vec<(Vec<u32>, u32)> = this
            .tuples
            .iter()
            .enumerate()
            .map(|(i, t)| (canon(t), i as u32 + 1))
            .collect();
        order.sort_unstable();
        let mut rank = vec![0u32; this.tuples.len() + 1];
        for (r, (_, s)) in order.iter().enumerate() {
            if let Some(x) = rank.get_mut(*s as usize) {
                *x = r as u32 + 1;
            }
        }
        let rk = |s: u32| rank.get(s as usize).copied().unwrap_or(0);
        let mut transitions: Vec<(u32, u32, u64)> = this
            .out
            .iter()
            .enumerate()
            .flat_map(|(from, edges)| edges.iter().map(move |&(to, c)| (from as u32, to, c)))
            .map(|(f, t, c)| (rk(f), rk(t), c))
            .collect();
        transitions.sort_unstable();
        let mut ends: Vec<(u32, u64, u64, Exact)> = this
            .ends
            .iter()
            .enumerate()
            .filter(|(_, e)| e.conversions > 0 || e.nulls > 0 || !e.value.is_zero())
            .map(|(s, e)| (rk(s as u32), e.conversions, e.nulls, e.value))
            .collect();
        ends.sort_unstable();
        MarkovState {
            order: this.order as u8,
            states: order.into_iter().map(|(t, _)| t).collect(),
            transitions,
            ends,
        }
    }

    /// Rebuilds counts from a canonical state (keys numbered as in the state), checking it.
    pub(crate) fn from_state(
        state: &MarkovState,
        n_keys: usize,
        path: &str,
    ) -> Result<Self, AttributionError> {
        let bad = |reason: String, at: String| AttributionError::InvalidState { reason, path: at };
        if !(1..=4).contains(&state.order) {
            return Err(bad(
                format!("order `{}` is not 1 to 4", state.order),
                format!("{path}.order"),
            ));
        }
        let mut m = MarkovCounts::new(state.order);
        for (i, s) in state.states.iter().enumerate() {
            let at = || format!("{path}.states[{i}]");
            if s.is_empty() || s.len() > m.order {
                return Err(bad("state length does not fit the order".into(), at()));
            }
            if s.iter().any(|&k| k as usize >= n_keys) {
                return Err(bad("unknown key id".into(), at()));
            }
            if m.order == 1 && s.len() != 1 {
                return Err(bad("state length does not fit the order".into(), at()));
            }
            let mut tuple = [NONE; 4];
            for (t, &k) in tuple.iter_mut().zip(s) {
                *t = k;
            }
            let before = m.tuples.len();
            if m.state_of(tuple) as usize != before + 1 {
                return Err(bad("duplicate state".into(), at()));
            }
        }
        let n_states = m.tuples.len() as u32;
        for (i, &(f, t, c)) in state.transitions.iter().enumerate() {
            if f > n_states || t == 0 || t > n_states || f == t || c == 0 {
                return Err(bad(
                    "invalid transition".into(),
                    format!("{path}.transitions[{i}]"),
                ));
            }
            m.bump(f, t, c);
        }
        for (i, &(s, c, u, v)) in state.ends.iter().enumerate() {
            if s == 0 || s > n_states || v.units() < 0 {
                return Err(bad("invalid end".into(), format!("{path}.ends[{i}]")));
            }
            if let Some(e) = m.ends.get_mut(s as usize) {
                e.conversions = e.conversions.saturating_add(c);
                e.nulls = e.nulls.saturating_add(u);
                e.value = e
                    .value
                    .checked_add(v)
                    .ok_or_else(|| AttributionError::Overflow {
                        path: format!("{path}.ends[{i}]"),
                    })?;
            }
        }
        Ok(m)
    }
}

/// Serialized transition counts of one Markov order, in canonical form.
///
/// States are numbered from 1 in the order listed (0 is `(start)`); keys are indices into the
/// accumulator state's sorted `keys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkovState {
    /// The order k.
    pub order: u8,
    /// Each state's keys (up to k).
    pub states: Vec<Vec<u32>>,
    /// `(from, to, count)`.
    pub transitions: Vec<(u32, u32, u64)>,
    /// `(state, conversions, nulls, value)` of the walks that ended in the state.
    pub ends: Vec<(u32, u64, u64, Exact)>,
}

/// One channel's removal effect.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RemovalEffect {
    /// The channel (or campaign).
    pub key: String,
    /// 1 − P(conversion without it) / P(conversion), a fraction.
    pub conversions: f64,
    /// The same for expected value.
    pub value: f64,
}

/// A transition probability of the fitted chain.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Transition {
    /// From state: `(start)` or the channels of the state joined by `,`.
    pub from: String,
    /// To state, or `(conversion)` / `(null)`.
    pub to: String,
    /// Probability (fraction).
    pub probability: f64,
}

/// How the absorbing chain was solved.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SolverReport {
    /// `sparse_lu`: a direct sparse LU (exact up to floating-point rounding); `gauss_seidel`:
    /// sweeps that bound every solution's error to within 1e-13 of it (relative), taken when
    /// the LU's work bound exceeds [`MAX_MARKOV_WORK`].
    pub method: &'static str,
    /// Numeric LU factorizations done: 1 for the chain, plus 1 per channel held by several
    /// states (order 2 and up); a channel held by one state costs one solve. 0 for sweeps.
    pub factorizations: usize,
    /// Floating-point operations: the LU's bound, checked against [`MAX_MARKOV_WORK`] before
    /// solving; or those the sweeps spent, stopped at [`sweep_limit`].
    pub work: u64,
}

/// The Markov model's explanation: the chain and each channel's removal effect.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MarkovDetail {
    /// The order k.
    pub order: u8,
    /// Transient states besides `(start)`.
    pub states: usize,
    /// Distinct transitions between transient states.
    pub transitions: usize,
    /// P(conversion) of a journey (fraction).
    pub conversion_probability: f64,
    /// Expected conversion value of a journey.
    pub value_per_journey: f64,
    /// Removal effect per key, in key order.
    pub removal_effects: Vec<RemovalEffect>,
    /// How it was solved.
    pub solver: SolverReport,
    /// Transition probabilities, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transition_probabilities: Option<Vec<Transition>>,
}

/// The fitted chain: rows of `(to, probability)`, and per-state conversion and value rewards.
struct Chain {
    rows: Vec<Vec<(usize, f64)>>,
    /// Expected visits to each state per journey, bounded from above, when no state is entered
    /// more often than it is left (always, for counts of whole walks): each state's outflow ÷
    /// the walks. Then `visits = p₀ + Qᵀ visits` holds with `≥`, so it bounds the solution.
    visits: Option<Vec<f64>>,
    b: Vec<f64>,
    r: Vec<f64>,
    null: Vec<f64>,
}

/// Conversion probability and value per journey of one solve.
#[derive(Clone, Copy)]
struct Solution {
    conv: f64,
    value: f64,
}

impl Chain {
    fn new(state: &MarkovState) -> Chain {
        let n = state.states.len() + 1;
        let mut rows: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
        let mut counts: Vec<Vec<(usize, u64)>> = vec![Vec::new(); n];
        let mut totals = vec![0u64; n];
        let mut inflow = vec![0u64; n];
        for &(f, t, c) in &state.transitions {
            if let Some(i) = inflow.get_mut(t as usize) {
                *i = i.saturating_add(c);
            }
            if let (Some(row), Some(tot)) = (counts.get_mut(f as usize), totals.get_mut(f as usize))
            {
                row.push((t as usize, c));
                *tot = tot.saturating_add(c);
            }
        }
        let mut conv = vec![0u64; n];
        let mut nulls = vec![0u64; n];
        let mut value = vec![0.0; n];
        for &(s, c, u, v) in &state.ends {
            let i = s as usize;
            if let (Some(tot), Some(cv), Some(nv), Some(val)) = (
                totals.get_mut(i),
                conv.get_mut(i),
                nulls.get_mut(i),
                value.get_mut(i),
            ) {
                *tot = tot.saturating_add(c).saturating_add(u);
                *cv = c;
                *nv = u;
                *val = v.to_f64();
            }
        }
        let mut b = vec![0.0; n];
        let mut r = vec![0.0; n];
        let mut null = vec![0.0; n];
        for i in 0..n {
            let tot = totals.get(i).copied().unwrap_or(0);
            if tot == 0 {
                continue;
            }
            let tot = tot as f64;
            if let (Some(row), Some(cs)) = (rows.get_mut(i), counts.get(i)) {
                *row = cs.iter().map(|&(t, c)| (t, c as f64 / tot)).collect();
            }
            if let (Some(bi), Some(ri), Some(ni)) = (b.get_mut(i), r.get_mut(i), null.get_mut(i)) {
                *bi = conv.get(i).copied().unwrap_or(0) as f64 / tot;
                *ri = value.get(i).copied().unwrap_or(0.0) / tot;
                *ni = nulls.get(i).copied().unwrap_or(0) as f64 / tot;
            }
        }
        // A saturated count is no longer exact: no bound then.
        let walks = totals.first().copied().unwrap_or(0);
        let balanced = walks > 0
            && totals.iter().chain(&inflow).all(|&c| c != u64::MAX)
            && inflow.iter().zip(&totals).skip(1).all(|(i, o)| i <= o);
        let visits = balanced.then(|| totals.iter().map(|&t| t as f64 / walks as f64).collect());
        Chain {
            rows,
            visits,
            b,
            r,
            null,
        }
    }

    /// The entries of `I − Q` over the transient states other than `(start)` (state `s` is row
    /// `s − 1`; `(start)` is never entered, so it is eliminated), with the rows of `dead`
    /// states reduced to the identity: same pattern, zero values.
    fn system(&self, dead: &[usize]) -> Vec<(usize, usize, f64)> {
        let mut entries = Vec::new();
        for (i, row) in self.rows.iter().enumerate().skip(1) {
            let alive = !dead.contains(&i);
            entries.push((i - 1, i - 1, 1.0));
            for &(j, p) in row {
                if j > 0 && j != i {
                    entries.push((i - 1, j - 1, if alive { -p } else { 0.0 }));
                }
            }
        }
        entries
    }

    /// `[b r]` over the transient states other than `(start)`, zero on `dead` states.
    /// Column-major, two columns of `m` = transient states other than `(start)`.
    fn rhs(&self, dead: &[usize]) -> Vec<f64> {
        let column = |v: &[f64]| {
            v.iter()
                .enumerate()
                .skip(1)
                .map(|(i, &x)| if dead.contains(&i) { 0.0 } else { x })
                .collect::<Vec<f64>>()
        };
        let mut out = column(&self.b);
        out.extend(column(&self.r));
        out
    }

    /// `(start)`'s probability of moving to each other transient state.
    fn start_row(&self) -> Vec<f64> {
        let m = self.rows.len().saturating_sub(1);
        let mut p0 = vec![0.0; m];
        for &(j, p) in self.rows.first().map(Vec::as_slice).unwrap_or(&[]) {
            if let Some(x) = p0.get_mut(j.wrapping_sub(1)) {
                *x = p;
            }
        }
        p0
    }

    /// Conversion probability and value from `(start)`, given the solutions `xy` elsewhere.
    fn at_start(&self, xy: &[f64]) -> Solution {
        let m = self.rows.len().saturating_sub(1);
        let mut conv = self.b.first().copied().unwrap_or(0.0);
        let mut value = self.r.first().copied().unwrap_or(0.0);
        for &(j, p) in self.rows.first().map(Vec::as_slice).unwrap_or(&[]) {
            conv += p * xy.get(j.wrapping_sub(1)).copied().unwrap_or(0.0);
            value += p * xy.get((j + m).wrapping_sub(1)).copied().unwrap_or(0.0);
        }
        Solution { conv, value }
    }
}

/// Most work a Markov model's sparse LU may take: an upper bound on the floating-point
/// operations of its factorizations and solves (about 1 to 3 ns each), counted before solving.
/// The base chain is factored once; a channel held by one state costs one more solve, a
/// channel held by several states (order 2 and up) one more factorization. A chain beyond it is
/// swept instead (see the module docs), within [`sweep_limit`].
pub const MAX_MARKOV_WORK: u64 = 1_500_000_000;

/// Work the sweeps may spend per state and transition of the chain, beyond
/// [`MAX_MARKOV_WORK`]: their memory is linear in the chain, so their bound may grow with it
/// (the LU's may not: its fill-in is what it counts). Enough for order 3 over 200 channels.
pub const MARKOV_SWEEP_WORK_PER_ENTRY: u64 = 40_000;

/// The sweeps' work bound for a chain of `entries` states and transitions:
/// [`MAX_MARKOV_WORK`] + [`MARKOV_SWEEP_WORK_PER_ENTRY`] × `entries`.
pub fn sweep_limit(entries: usize) -> u64 {
    MARKOV_SWEEP_WORK_PER_ENTRY
        .saturating_mul(entries as u64)
        .saturating_add(MAX_MARKOV_WORK)
}

/// The work bound of solving `chain` with removal effects for channels held by `containing`.
fn work(pattern: &Pattern, containing: &[Vec<usize>]) -> u64 {
    let (f, s) = (pattern.factor_flops, pattern.factor_nnz);
    let mut w = f + 3.0 * s;
    for states in containing {
        w += match states.len() {
            0 => 0.0,
            1 => s,
            _ => f + 2.0 * s,
        };
    }
    // `as` saturates: an unbounded estimate becomes u64::MAX.
    w.ceil() as u64
}

/// Fits the chain in `state` and computes removal effects and credits for `keys` (sorted names;
/// state key ids index into it). Returns the detail and `(conversions, value)` credits per key.
///
/// Solved by a sparse LU when its work bound is within [`MAX_MARKOV_WORK`], else by
/// Gauss–Seidel sweeps bracketing each solution (`sweep`) within the same budget. Refuses with
/// [`AttributionError::LimitExceeded`] at `path` when neither fits.
pub(crate) fn solve(
    state: &MarkovState,
    keys: &[String],
    include_transitions: bool,
    path: &str,
) -> Result<(MarkovDetail, Vec<(f64, f64)>), AttributionError> {
    let chain = Chain::new(state);
    let n = chain.rows.len();
    let total_conv: u64 = state.ends.iter().map(|e| e.1).fold(0, u64::saturating_add);
    let total_value = state
        .ends
        .iter()
        .fold(Exact::ZERO, |s, e| s.checked_add(e.3).unwrap_or(s))
        .to_f64();
    let containing = containing(state, keys.len());
    let (base, effects, solver) = match by_lu(&chain, &containing) {
        Ok(solved) => solved,
        Err(_) => by_sweeps(&chain, &containing).map_err(|(limit, requested)| {
            AttributionError::LimitExceeded(crate::error::Limit {
                what: "markov_work",
                limit,
                requested,
                path: path.to_string(),
            })
        })?,
    };
    let sum_c: f64 = effects.iter().map(|e| e.0).sum();
    let sum_v: f64 = effects.iter().map(|e| e.1).sum();
    let credits = effects
        .iter()
        .map(|&(c, v)| {
            (
                if sum_c > 0.0 {
                    c / sum_c * total_conv as f64
                } else {
                    0.0
                },
                if sum_v > 0.0 {
                    v / sum_v * total_value
                } else {
                    0.0
                },
            )
        })
        .collect();
    let transition_probabilities = include_transitions.then(|| transitions(state, keys, &chain));
    let detail = MarkovDetail {
        order: state.order,
        states: n - 1,
        transitions: state.transitions.len(),
        conversion_probability: base.conv,
        value_per_journey: base.value,
        removal_effects: keys
            .iter()
            .zip(&effects)
            .map(|(k, &(c, v))| RemovalEffect {
                key: k.clone(),
                conversions: c,
                value: v,
            })
            .collect(),
        solver,
        transition_probabilities,
    };
    Ok((detail, credits))
}

/// The states (numbered from 1) that hold each of the `keys` keys, in state order.
fn containing(state: &MarkovState, keys: usize) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); keys];
    for (i, s) in state.states.iter().enumerate() {
        let mut seen: Vec<u32> = s.clone();
        seen.sort_unstable();
        seen.dedup();
        for k in seen {
            if let Some(c) = out.get_mut(k as usize) {
                c.push(i + 1);
            }
        }
    }
    out
}

/// Removal effect from the solutions with and without a channel.
fn removal_effect(with: f64, without: f64) -> f64 {
    if with > 0.0 {
        (1.0 - without / with).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// The base solution and `(conversions, value)` removal effects per key.
type Solved = (Solution, Vec<(f64, f64)>, SolverReport);

/// Solves by sparse LU, or returns its work bound when that exceeds [`MAX_MARKOV_WORK`] (or
/// the chain is too large to analyse: `u64::MAX`).
fn by_lu(chain: &Chain, containing: &[Vec<usize>]) -> Result<Solved, u64> {
    let n = chain.rows.len();
    // Without analysing (which takes seconds on a million states): every factor holds at
    // least the diagonal, so each solve costs at least `n − 1` and each factorization more.
    let least = containing.iter().fold(3u64, |w, c| {
        w.saturating_add(match c.len() {
            0 => 0,
            1 => 1,
            _ => 2,
        })
    });
    let least = least.saturating_mul(n.saturating_sub(1) as u64);
    if least > MAX_MARKOV_WORK {
        return Err(least);
    }
    let base_matrix = sparse::matrix(n.saturating_sub(1), &chain.system(&[]));
    let pattern = base_matrix.as_ref().and_then(Pattern::analyse);
    let (Some(a), Some(pattern)) = (base_matrix, pattern) else {
        // Only an allocation failure gets here: the matrix is too large to analyse.
        return Err(u64::MAX);
    };
    let (mut factorizations, requested) = (1usize, work(&pattern, containing));
    if requested > MAX_MARKOV_WORK {
        return Err(requested);
    }
    let lu = pattern.factor(&a).ok_or(requested)?;
    let mut xy = chain.rhs(&[]);
    lu.solve(&mut xy, 2, false).ok_or(requested)?;
    let base = chain.at_start(&xy);
    let m = pattern.n();
    // Expected visits to each state from `(start)`: wᵀ = p₀ᵀ (I − Q)⁻¹.
    let mut w = chain.start_row();
    lu.solve(&mut w, 1, true).ok_or(requested)?;
    let mut effects = Vec::with_capacity(containing.len());
    for states in containing {
        if states.is_empty() || base.conv <= 0.0 && base.value <= 0.0 {
            effects.push((0.0, 0.0));
            continue;
        }
        let without = match states.as_slice() {
            // One state d: P₋d = P − w_d x_d / G_dd (G = (I − Q)⁻¹; w_d / G_dd is the
            // probability that a walk ever reaches d, x_d that it converts from there).
            &[d] => {
                let mut g = vec![0.0; m];
                if let Some(e) = g.get_mut(d - 1) {
                    *e = 1.0;
                }
                lu.solve(&mut g, 1, false).ok_or(requested)?;
                let gdd = g.get(d - 1).copied().unwrap_or(1.0);
                let reach = w.get(d - 1).copied().unwrap_or(0.0) / gdd;
                let at = |c: usize| xy.get(c * m + d - 1).copied().unwrap_or(0.0);
                Solution {
                    conv: base.conv - reach * at(0),
                    value: base.value - reach * at(1),
                }
            }
            dead => {
                let a = sparse::matrix(m, &chain.system(dead)).ok_or(requested)?;
                let lu = pattern.factor(&a).ok_or(requested)?;
                factorizations += 1;
                let mut xy = chain.rhs(dead);
                lu.solve(&mut xy, 2, false).ok_or(requested)?;
                chain.at_start(&xy)
            }
        };
        effects.push((
            removal_effect(base.conv, without.conv),
            removal_effect(base.value, without.value),
        ));
    }
    let solver = SolverReport {
        method: "sparse_lu",
        factorizations,
        work: requested,
    };
    Ok((base, effects, solver))
}

/// Solves by Gauss–Seidel sweeps within [`sweep_limit`]; refused up front when two steps per
/// solve would exceed it, or when it runs out: `Err((limit, requested))`, `requested` a lower
/// bound on the work. A chain with a bound on its expected visits is settled (warm starts,
/// secant steps, an error bound from the residual); any other is bracketed.
fn by_sweeps(chain: &Chain, containing: &[Vec<usize>]) -> Result<Solved, (u64, u64)> {
    let entries = chain.rows.len() + chain.rows.iter().map(Vec::len).sum::<usize>();
    let limit = sweep_limit(entries);
    let sweeps = Sweeps::new(&chain.rows, chain.visits.as_deref());
    let step = sweeps.step_work();
    let solves = 1 + containing.iter().filter(|c| !c.is_empty()).count() as u64;
    let least = |solves: u64| solves.saturating_mul(2).saturating_mul(step);
    if least(solves) > limit {
        return Err((limit, least(solves)));
    }
    let mut budget = limit;
    // Out of budget with `left` solves to go (the current one included).
    let ran_out = |left: u64| (limit, limit.saturating_add(least(left)));
    let (b, r) = (&chain.b, &chain.r);
    let (base, warm) = sweeps.chain(b, r, &mut budget).ok_or(ran_out(solves))?;
    let floors = [base.conv, base.value];
    let mut effects = Vec::with_capacity(containing.len());
    let mut left = solves;
    for states in containing {
        if states.is_empty() || base.conv <= 0.0 && base.value <= 0.0 {
            effects.push((0.0, 0.0));
            continue;
        }
        left -= 1;
        let without = sweeps
            .without(b, r, &sweeps.mask(states), &warm, floors, &mut budget)
            .ok_or(ran_out(left))?;
        effects.push((
            removal_effect(base.conv, without.conv),
            removal_effect(base.value, without.value),
        ));
    }
    let base = Solution {
        conv: base.conv,
        value: base.value,
    };
    let solver = SolverReport {
        method: "gauss_seidel",
        factorizations: 0,
        work: limit - budget,
    };
    Ok((base, effects, solver))
}

fn transitions(state: &MarkovState, keys: &[String], chain: &Chain) -> Vec<Transition> {
    let name = |s: usize| -> String {
        if s == 0 {
            return "(start)".into();
        }
        state
            .states
            .get(s - 1)
            .map(|t| {
                t.iter()
                    .map(|&k| keys.get(k as usize).map_or("", String::as_str))
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for (i, row) in chain.rows.iter().enumerate() {
        for &(j, p) in row {
            out.push(Transition {
                from: name(i),
                to: name(j),
                probability: p,
            });
        }
        let b = chain.b.get(i).copied().unwrap_or(0.0);
        if b > 0.0 {
            out.push(Transition {
                from: name(i),
                to: "(conversion)".into(),
                probability: b,
            });
        }
        let u = chain.null.get(i).copied().unwrap_or(0.0);
        if u > 0.0 {
            out.push(Transition {
                from: name(i),
                to: "(null)".into(),
                probability: u,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SplitMix64;

    #[test]
    fn dense_counts_read_like_general_ones() {
        // Walks over 300 keys: those below DENSE_KEYS go to the matrix (order 1) or the
        // window slots (order 2 and up), the others to the general form. The same walks on
        // keys shifted past DENSE_KEYS use the general form only; their canonical states must
        // be equal, also after splitting and merging. With 200 common keys at order 2 the
        // window slots fill up and hand over to the general form half-way.
        for (order, common, walks) in [(1, 12, 2000), (3, 12, 2000), (2, 200, 6000)] {
            let mut rng = SplitMix64::new(5);
            let n = 300u32;
            let shift = DENSE_KEYS as u32;
            let (mut mixed, mut general) = (MarkovCounts::new(order), MarkovCounts::new(order));
            let mut halves = [MarkovCounts::new(order), MarkovCounts::new(order)];
            for i in 0..walks {
                let len = 1 + rng.below(8) as usize;
                let top = if i % 10 == 0 { n } else { common };
                let keys: Vec<u32> = (0..len).map(|_| rng.below(u64::from(top)) as u32).collect();
                let shifted: Vec<u32> = keys.iter().map(|k| k + shift).collect();
                let conv = u64::from(rng.below(10) == 0);
                let value = Exact::from_count(conv * 3);
                mixed.add(&keys, conv, 1 - conv, value);
                halves[i % 2].add(&keys, conv, 1 - conv, value);
                general.add(&shifted, conv, 1 - conv, value);
            }
            let ident: Vec<u32> = (0..n).collect();
            let unshift: Vec<u32> = (0..n + shift).map(|k| k.saturating_sub(shift)).collect();
            let expected = general.canonical(&unshift);
            assert!(general.dense.trans.is_empty() && general.windows.tuples.is_empty());
            assert_eq!(mixed.dense.trans.is_empty(), order > 1);
            assert_eq!(mixed.windows.tuples.is_empty(), order == 1 || common == 200);
            assert_eq!(mixed.windows.full, common == 200);
            assert_eq!(mixed.canonical(&ident), expected, "order {order}");
            let [mut a, b] = halves;
            a.merge(&b, &ident);
            assert_eq!(a.canonical(&ident), expected, "order {order}");
        }
    }

    /// The previous solver (dense Gaussian elimination), as the reference.
    fn solve_dense(chain: &Chain, alive: &[bool]) -> Solution {
        let n = chain.rows.len();
        let width = n + 2;
        let mut m: Vec<Vec<f64>> = vec![vec![0.0; width]; n];
        for (i, row) in m.iter_mut().enumerate() {
            if let Some(d) = row.get_mut(i) {
                *d = 1.0;
            }
            if !alive.get(i).copied().unwrap_or(false) {
                continue;
            }
            for &(j, p) in chain.rows.get(i).map(Vec::as_slice).unwrap_or(&[]) {
                if alive.get(j).copied().unwrap_or(false)
                    && let Some(x) = row.get_mut(j)
                {
                    *x -= p;
                }
            }
            if let Some(x) = row.get_mut(n) {
                *x = chain.b.get(i).copied().unwrap_or(0.0);
            }
            if let Some(x) = row.get_mut(n + 1) {
                *x = chain.r.get(i).copied().unwrap_or(0.0);
            }
        }
        // Forward elimination with partial pivoting.
        for k in 0..n {
            let pivot = (k..n)
                .max_by(|&a, &b| {
                    let va = m.get(a).and_then(|r| r.get(k)).map_or(0.0, |v| v.abs());
                    let vb = m.get(b).and_then(|r| r.get(k)).map_or(0.0, |v| v.abs());
                    va.total_cmp(&vb).then(b.cmp(&a))
                })
                .unwrap_or(k);
            if pivot != k && pivot < n {
                m.swap(k, pivot);
            }
            let (upper, lower) = m.split_at_mut(k + 1);
            let Some(prow) = upper.last() else { continue };
            let pk = prow.get(k).copied().unwrap_or(0.0);
            if pk == 0.0 {
                continue;
            }
            for row in lower.iter_mut() {
                let f = row.get(k).copied().unwrap_or(0.0) / pk;
                if f == 0.0 {
                    continue;
                }
                for (x, p) in row.iter_mut().zip(prow.iter()).skip(k) {
                    *x -= f * p;
                }
            }
        }
        // Back substitution for both right-hand sides.
        let mut x = vec![0.0; n];
        let mut y = vec![0.0; n];
        for i in (0..n).rev() {
            let Some(row) = m.get(i) else { continue };
            let d = row.get(i).copied().unwrap_or(0.0);
            let mut sx = row.get(n).copied().unwrap_or(0.0);
            let mut sy = row.get(n + 1).copied().unwrap_or(0.0);
            for ((a, xj), yj) in row.iter().zip(&x).zip(&y).skip(i + 1).take(n - i - 1) {
                sx -= a * xj;
                sy -= a * yj;
            }
            if d != 0.0 {
                if let Some(v) = x.get_mut(i) {
                    *v = sx / d;
                }
                if let Some(v) = y.get_mut(i) {
                    *v = sy / d;
                }
            }
        }
        Solution {
            conv: x.first().copied().unwrap_or(0.0),
            value: y.first().copied().unwrap_or(0.0),
        }
    }

    /// Random walks over `n` keys at `order`, as a canonical state.
    fn random_state(seed: u64, n: u32, order: u8, walks: usize) -> MarkovState {
        let mut rng = SplitMix64::new(seed);
        let mut counts = MarkovCounts::new(order);
        for _ in 0..walks {
            let len = 1 + rng.below(12) as usize;
            let keys: Vec<u32> = (0..len).map(|_| rng.below(u64::from(n)) as u32).collect();
            let conv = u64::from(rng.below(10) == 0);
            counts.add(&keys, conv, 1 - conv, Exact::from_count(conv * 7));
        }
        let perm: Vec<u32> = (0..n).collect();
        counts.canonical(&perm)
    }

    #[test]
    fn sparse_solver_matches_dense_elimination() {
        // Orders 1 (one-state removals: the rank-one update) and 2-3 (refactorizations).
        for (seed, n, order) in [(11, 60, 1), (12, 25, 2), (13, 8, 3)] {
            let state = random_state(seed, n, order, 400);
            let keys: Vec<String> = (0..n).map(|k| format!("c{k:03}")).collect();
            let (detail, _) = solve(&state, &keys, false, "models[0]").unwrap();
            let chain = Chain::new(&state);
            let mut alive = vec![true; chain.rows.len()];
            let base = solve_dense(&chain, &alive);
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(1e-300);
            assert!(close(base.conv, detail.conversion_probability));
            assert!(close(base.value, detail.value_per_journey));
            for (k, effect) in detail.removal_effects.iter().enumerate() {
                alive.iter_mut().for_each(|a| *a = true);
                for (i, s) in state.states.iter().enumerate() {
                    if s.contains(&(k as u32)) {
                        alive[i + 1] = false;
                    }
                }
                let without = solve_dense(&chain, &alive);
                let re = 1.0 - without.conv / base.conv;
                assert!((re - effect.conversions).abs() <= 1e-12, "{re} {effect:?}");
                let re = 1.0 - without.value / base.value;
                assert!((re - effect.value).abs() <= 1e-12, "{re} {effect:?}");
            }
            assert_eq!(detail.solver.method, "sparse_lu");
            let again = solve(&state, &keys, false, "models[0]").unwrap();
            assert_eq!(
                format!("{again:?}"),
                format!("{:?}", (detail, again.1.clone()))
            );
        }
    }

    #[test]
    fn sweeps_match_dense_elimination() {
        // The same chains solved by sweeps instead of the LU: removal effects within 1e-12.
        for (seed, n, order) in [(21, 40, 1), (22, 9, 2), (23, 6, 3)] {
            let state = random_state(seed, n, order, 600);
            let chain = Chain::new(&state);
            let containing = containing(&state, n as usize);
            let (base, effects, report) = by_sweeps(&chain, &containing).unwrap();
            assert_eq!((report.method, report.factorizations), ("gauss_seidel", 0));
            assert_dense(&chain, &containing, base, &effects);
        }
    }

    /// The chain's solution and every removal effect equal dense elimination's to 1e-12.
    fn assert_dense(
        chain: &Chain,
        containing: &[Vec<usize>],
        base: Solution,
        effects: &[(f64, f64)],
    ) {
        let mut alive = vec![true; chain.rows.len()];
        let exact = solve_dense(chain, &alive);
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(1e-300);
        assert!(close(exact.conv, base.conv), "{} {}", exact.conv, base.conv);
        assert!(close(exact.value, base.value));
        for (k, &(c, v)) in effects.iter().enumerate() {
            alive.iter_mut().for_each(|a| *a = true);
            for &d in &containing[k] {
                alive[d] = false;
            }
            let without = solve_dense(chain, &alive);
            assert!((1.0 - without.conv / exact.conv - c).abs() <= 1e-12);
            assert!((1.0 - without.value / exact.value - v).abs() <= 1e-12);
        }
    }

    #[test]
    fn unbalanced_counts_are_bracketed() {
        // A host's state whose counts do not balance (a state entered more often than left)
        // gives no bound on the visits: the sweeps bracket it instead, and still agree with
        // dense elimination.
        let mut state = random_state(24, 6, 3, 600);
        let chain = Chain::new(&state);
        assert!(chain.visits.is_some());
        for end in state.ends.iter_mut().step_by(3) {
            end.2 /= 2;
        }
        let chain = Chain::new(&state);
        assert!(chain.visits.is_none());
        let containing = containing(&state, 6);
        let (base, effects, report) = by_sweeps(&chain, &containing).unwrap();
        assert_eq!(report.method, "gauss_seidel");
        assert_dense(&chain, &containing, base, &effects);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// On any chain both solvers can take, the sweeps agree with the LU: conversion
        /// probability, value per journey and every removal effect within 1e-11.
        #[test]
        fn sweeps_agree_with_the_lu(
            seed in 0u64..1_000_000,
            n in 2u32..9,
            order in 1u8..4,
            walks in 5usize..300,
        ) {
            let state = random_state(seed, n, order, walks);
            let chain = Chain::new(&state);
            let containing = containing(&state, n as usize);
            let lu = by_lu(&chain, &containing).unwrap();
            let sweeps = by_sweeps(&chain, &containing).unwrap();
            proptest::prop_assert_eq!(sweeps.2.method, "gauss_seidel");
            let near = |a: f64, b: f64| (a - b).abs() <= 1e-11 * a.abs().max(1.0);
            proptest::prop_assert!(agree(&lu, &sweeps, near, near));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]

        /// Settling (error bound from the visits) and bracketing agree on any balanced chain:
        /// conversion probability and value per journey within 1e-12 (relative), every removal
        /// effect within 1e-12.
        #[test]
        fn settling_agrees_with_bracketing(
            seed in 0u64..1_000_000,
            n in 2u32..13,
            order in 1u8..5,
            walks in 50usize..3000,
        ) {
            let state = random_state(seed, n, order, walks);
            let mut chain = Chain::new(&state);
            proptest::prop_assert!(chain.visits.is_some());
            let containing = containing(&state, n as usize);
            let settled = by_sweeps(&chain, &containing).unwrap();
            chain.visits = None;
            let bracketed = by_sweeps(&chain, &containing).unwrap();
            let near = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(1e-300);
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-12;
            proptest::prop_assert!(agree(&bracketed, &settled, near, close));
        }
    }

    /// Whether two solvers' results agree: the solutions by `base`, every removal effect by
    /// `effect` (each given the first result's figure, then the second's).
    fn agree(
        a: &Solved,
        b: &Solved,
        base: impl Fn(f64, f64) -> bool,
        effect: impl Fn(f64, f64) -> bool,
    ) -> bool {
        base(a.0.conv, b.0.conv)
            && base(a.0.value, b.0.value)
            && a.1
                .iter()
                .zip(&b.1)
                .all(|(x, y)| effect(x.0, y.0) && effect(x.1, y.1))
    }

    #[test]
    fn order_three_over_twelve_channels_is_swept() {
        // Beyond the LU's bound (it fills in almost completely); solved by sweeps, the
        // credits summing to the conversions.
        let state = random_state(31, 12, 3, 30_000);
        let keys: Vec<String> = (0..12).map(|k| format!("c{k:02}")).collect();
        let (detail, credits) = solve(&state, &keys, false, "m").unwrap();
        assert_eq!(detail.solver.method, "gauss_seidel");
        assert!(detail.solver.work <= sweep_limit(detail.states + 1 + detail.transitions));
        let total: f64 = credits.iter().map(|c| c.0).sum();
        let conversions: u64 = state.ends.iter().map(|e| e.1).sum();
        assert!((total - conversions as f64).abs() < 1e-6 * conversions as f64);
        let again = solve(&state, &keys, false, "m").unwrap();
        assert_eq!(format!("{again:?}"), format!("{:?}", (detail, credits)));
    }

    #[test]
    fn hostile_shapes_finish() {
        // Many channels on one long path (one strongly connected chain), scaled down from
        // 401 channels on 4,000 touches; and many single-channel paths.
        let n = 150u32;
        let mut rng = SplitMix64::new(3);
        let mut counts = MarkovCounts::new(1);
        let keys: Vec<u32> = (0..1500).map(|_| rng.below(u64::from(n)) as u32).collect();
        counts.add(&keys, 1, 0, Exact::from_count(10));
        counts.add(&keys[..700], 0, 1, Exact::ZERO);
        let names: Vec<String> = (0..n).map(|k| format!("c{k:03}")).collect();
        let perm: Vec<u32> = (0..n).collect();
        let (detail, credits) = solve(&counts.canonical(&perm), &names, false, "m").unwrap();
        assert_eq!(detail.states, n as usize);
        let total: f64 = credits.iter().map(|c| c.0).sum();
        assert!((total - 1.0).abs() < 1e-9);
        assert!(detail.conversion_probability > 0.0 && detail.conversion_probability < 1.0);

        let n = 3000u32;
        let mut counts = MarkovCounts::new(1);
        for k in 0..n {
            counts.add(&[k], u64::from(k % 2), 1, Exact::ZERO);
        }
        let names: Vec<String> = (0..n).map(|k| format!("c{k:05}")).collect();
        let perm: Vec<u32> = (0..n).collect();
        let (detail, credits) = solve(&counts.canonical(&perm), &names, false, "m").unwrap();
        assert_eq!(detail.solver.factorizations, 1);
        // Each odd channel is the only way to its conversion: removal effect 1 / 1500.
        let re = &detail.removal_effects[1];
        assert!((re.conversions - 1.0 / 1500.0).abs() < 1e-15);
        assert!((credits[1].0 - 1.0).abs() < 1e-9 && credits[0].0 == 0.0);
    }

    #[test]
    fn work_beyond_the_bound_is_refused() {
        // 60,000 single-channel paths: 60,000 solves of a 60,000-state system.
        let n = 60_000u32;
        let mut counts = MarkovCounts::new(1);
        for k in 0..n {
            counts.add(&[k], 1, 0, Exact::ZERO);
        }
        let names: Vec<String> = (0..n).map(|k| format!("c{k:05}")).collect();
        let perm: Vec<u32> = (0..n).collect();
        let err = solve(&counts.canonical(&perm), &names, false, "models[1]").unwrap_err();
        assert_eq!(err.code(), "limit_exceeded");
        assert_eq!(err.path(), "models[1]");
        match err {
            AttributionError::LimitExceeded(crate::error::Limit {
                what,
                limit,
                requested,
                ..
            }) => {
                // The sweeps' bound for 60,001 states and 60,000 transitions.
                assert_eq!((what, limit), ("markov_work", sweep_limit(120_001)));
                assert!(requested > limit);
            }
            e => panic!("{e:?}"),
        }
    }
}
