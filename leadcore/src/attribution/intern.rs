//! Channel interning: each distinct channel (or campaign) name gets a dense `u32` id, so paths
//! are stored and compared as small integers instead of strings.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A fast, deterministic, non-cryptographic hasher (the multiply-rotate scheme of rustc's
/// `FxHasher`). Hash-map iteration order never reaches any output: results are sorted.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            for (d, s) in b.iter_mut().zip(rest) {
                *d = *s;
            }
            self.add(u64::from_le_bytes(b));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_u128(&mut self, i: u128) {
        self.add(i as u64);
        self.add((i >> 64) as u64);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A `HashMap` with [`FxHasher`].
pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Slots of the direct-mapped cache in front of the name map.
const CACHE_SLOTS: usize = 1024;

/// Names ↔ dense ids, in order of first appearance.
///
/// Names of up to 15 bytes (almost every channel name) are first looked up in a small
/// direct-mapped cache keyed by the name's bytes packed into an integer, which avoids hashing
/// and comparing strings for the millions of touches that repeat a handful of channels.
#[derive(Debug, Clone)]
pub(crate) struct Interner {
    names: Vec<Box<str>>,
    ids: FxMap<Box<str>, u32>,
    /// (packed name, id + 1); id + 1 = 0 marks an empty slot.
    cache: Vec<(u128, u32)>,
}

impl Default for Interner {
    fn default() -> Self {
        Self {
            names: Vec::new(),
            ids: FxMap::default(),
            cache: vec![(0, 0); CACHE_SLOTS],
        }
    }
}

/// Packs a name of 1 to 15 bytes and its length into a `u128`: byte `i` in bits `8i..8i+8`,
/// the length in the top byte.
#[inline]
pub(crate) fn pack(name: &str) -> Option<u128> {
    let b = name.as_bytes();
    if b.is_empty() || b.len() > 15 {
        return None;
    }
    // Shifting bytes into a register avoids a store-to-load stall on a stack buffer.
    let key = b.iter().rev().fold(0u128, |k, &c| (k << 8) | u128::from(c));
    Some(key | (b.len() as u128) << 120)
}

#[inline]
fn slot(key: u128) -> usize {
    let h = ((key as u64) ^ ((key >> 64) as u64).rotate_left(29)).wrapping_mul(SEED);
    (h >> 54) as usize % CACHE_SLOTS
}

impl Interner {
    /// The id of `name`, adding it if new; `None` when the id space (2³² − 2 names) is full.
    #[inline]
    pub(crate) fn intern(&mut self, name: &str) -> Option<u32> {
        match pack(name) {
            Some(key) => self.intern_packed(key, || name),
            None => self.intern_slow(name, None),
        }
    }

    /// The id of the name packed as `key`, when the cache holds it (the name is interned).
    #[inline]
    pub(crate) fn cached(&self, key: u128) -> Option<u32> {
        match self.cache.get(slot(key)) {
            Some(&(k, id1)) if k == key && id1 != 0 => Some(id1 - 1),
            _ => None,
        }
    }

    /// The id of `name` when it is interned (the map is read when the cache misses: two
    /// frequent names that share a cache slot must not send every path to the slow split).
    pub(crate) fn get(&self, name: &[u8]) -> Option<u32> {
        std::str::from_utf8(name)
            .ok()
            .and_then(|n| self.ids.get(n))
            .copied()
    }

    /// [`intern`](Self::intern) for a name whose packed form the caller already has (`key`
    /// must be what packing `name()` gives); `name` is only called when the cache misses.
    #[inline]
    pub(crate) fn intern_packed<'a>(
        &mut self,
        key: u128,
        name: impl FnOnce() -> &'a str,
    ) -> Option<u32> {
        if let Some(&(k, id1)) = self.cache.get(slot(key))
            && k == key
            && id1 != 0
        {
            return Some(id1 - 1);
        }
        self.intern_slow(name(), Some(key))
    }

    /// Looks `name` up in the map (adding it if new) and caches it under its packed form.
    fn intern_slow(&mut self, name: &str, packed: Option<u128>) -> Option<u32> {
        let id = match self.ids.get(name) {
            Some(&id) => id,
            None => {
                let id = u32::try_from(self.names.len())
                    .ok()
                    .filter(|&i| i < u32::MAX - 1)?;
                self.names.push(name.into());
                self.ids.insert(name.into(), id);
                id
            }
        };
        if let Some(key) = packed
            && let Some(e) = self.cache.get_mut(slot(key))
        {
            *e = (key, id + 1);
        }
        Some(id)
    }

    /// The name of `id`.
    pub(crate) fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", |n| n)
    }

    /// How many names are interned.
    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    /// `perm[id]` = rank of the name of `id` in sorted order, and the sorted names.
    pub(crate) fn canonical(&self) -> (Vec<u32>, Vec<&str>) {
        let mut order: Vec<u32> = (0..self.names.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| self.name(a).cmp(self.name(b)));
        let mut perm = vec![0u32; self.names.len()];
        for (rank, &id) in order.iter().enumerate() {
            if let Some(p) = perm.get_mut(id as usize) {
                *p = rank as u32;
            }
        }
        let names = order.iter().map(|&id| self.name(id)).collect();
        (perm, names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_and_sorts() {
        let mut i = Interner::default();
        assert_eq!(i.intern("seo"), Some(0));
        assert_eq!(i.intern("direct"), Some(1));
        assert_eq!(i.intern("seo"), Some(0));
        assert_eq!(i.intern("a-very-long-channel-name"), Some(2));
        assert_eq!(i.intern("a-very-long-channel-name"), Some(2));
        assert_eq!(i.intern("direct"), Some(1));
        let (perm, names) = i.canonical();
        assert_eq!(names, ["a-very-long-channel-name", "direct", "seo"]);
        assert_eq!(perm, [2, 1, 0]);
        assert_eq!(i.len(), 3);
        let key = pack("paid search").unwrap();
        assert_eq!(i.intern_packed(key, || "paid search"), Some(3));
        assert_eq!(i.intern("paid search"), Some(3));
        assert_eq!(i.intern_packed(key, || "paid search"), Some(3));
    }
}
