//! The one seeded pseudo-random generator and the one stable hash behind every random choice
//! and digest in leadcore.
//!
//! leadcore never uses a global or OS-seeded generator: every sampler takes a `seed`, and the
//! generator is defined here so the sequence for a seed never changes with a dependency upgrade.
//! SplitMix64 (Steele, Lea & Flood 2014) is tiny, fast and passes BigCrush: ample for bootstrap
//! samples, feature subsets, sampled Shapley orders, Monte Carlo plans and seeded tie-breaks.

/// SplitMix64: a 64-bit state advanced by a Weyl increment and a mixing function.
///
/// ```
/// use leadcore::rng::SplitMix64;
/// let mut a = SplitMix64::derive(42, 7);
/// let mut b = SplitMix64::derive(42, 7);
/// assert_eq!(a.below(10), b.below(10)); // same seed and stream, same draws
/// assert!(a.next_f64() < 1.0);
/// ```
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator whose sequence is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// An independent stream for `(seed, stream)`: every tree, fold, repeat or segment gets its
    /// own generator derived from the master seed, so results do not depend on thread count.
    pub fn derive(seed: u64, stream: u64) -> Self {
        let mut g = Self::new(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        g.next_u64();
        Self::new(g.next_u64() ^ stream)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in [0, 1) with 53 random bits.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A uniform integer in `0..n` without modulo bias (Lemire's multiply-and-reject); 0 when
    /// `n` is 0 or 1.
    pub fn below(&mut self, n: u64) -> u64 {
        if n <= 1 {
            return 0;
        }
        let threshold = n.wrapping_neg() % n;
        loop {
            let m = u128::from(self.next_u64()) * u128::from(n);
            if (m as u64) >= threshold {
                return (m >> 64) as u64;
            }
        }
    }

    /// [`below`](Self::below) for an index into a slice of `n` items.
    pub fn index(&mut self, n: usize) -> usize {
        // `below(n)` is less than `n`, which is a usize.
        self.below(n as u64) as usize
    }

    /// A standard normal draw (Box–Muller; one of the pair is discarded for simplicity).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.next_f64(); // (0, 1]
        let u2 = self.next_f64();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// A Gamma(shape, 1) draw for `shape ≥ 1` (Marsaglia & Tsang 2000); smaller shapes are
    /// boosted with the usual `U^(1/shape)` factor.
    pub fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            let u = 1.0 - self.next_f64();
            return self.gamma(shape + 1.0) * u.powf(1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = (1.0 + c * x).powi(3);
            if v <= 0.0 {
                continue;
            }
            let u = 1.0 - self.next_f64();
            if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                return d * v;
            }
        }
    }

    /// A Beta(a, b) draw (`a, b > 0`).
    pub fn beta(&mut self, a: f64, b: f64) -> f64 {
        let x = self.gamma(a);
        let y = self.gamma(b);
        if x + y > 0.0 { x / (x + y) } else { 0.5 }
    }

    /// Shuffles `items` in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.index(i + 1);
            items.swap(i, j);
        }
    }
}

/// FNV-1a, 64 bits: the one stable hash of bytes (model checksums, per-segment seeds, policy
/// fingerprints, command digests). It detects altered or truncated payloads; it is not an
/// integrity signature.
///
/// ```
/// assert_eq!(leadcore::rng::fnv1a(b""), 0xcbf2_9ce4_8422_2325);
/// ```
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_is_fixed_by_seed() {
        let mut r = SplitMix64::new(1_234_567);
        assert_eq!(r.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(r.next_u64(), 3_203_168_211_198_807_973);
        let mut g = SplitMix64::new(0);
        assert_eq!(g.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(g.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn below_stays_in_range_and_streams_differ() {
        let mut g = SplitMix64::derive(7, 1);
        assert!((0..1000).all(|_| g.below(10) < 10));
        assert_eq!((g.below(0), g.below(1)), (0, 0));
        assert_ne!(
            SplitMix64::derive(7, 1).next_u64(),
            SplitMix64::derive(7, 2).next_u64()
        );
    }

    #[test]
    fn moments_are_plausible() {
        let mut r = SplitMix64::new(7);
        let n = 20_000;
        let mean = (0..n).map(|_| r.beta(3.0, 7.0)).sum::<f64>() / n as f64;
        assert!((mean - 0.3).abs() < 0.01, "{mean}");
        let mean = (0..n).map(|_| r.gamma(0.5)).sum::<f64>() / n as f64;
        assert!((mean - 0.5).abs() < 0.03, "{mean}");
        let mut v: Vec<u32> = (0..10).collect();
        r.shuffle(&mut v);
        v.sort_unstable();
        assert_eq!(v, (0..10).collect::<Vec<_>>());
    }
}
