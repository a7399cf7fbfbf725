//! Seeded synthetic attribution paths for the benches and the comparison scripts.
//!
//! [`synthetic_paths`] draws seeded customer paths the way attribution data tends to look:
//! power-law channel popularity (Zipf, exponent 1.2) over 8–15 channels, path lengths uniform in
//! 1–20, and about 3% conversion, with each channel nudging the conversion probability up or
//! down so that data-driven models have something to find.

use leadcore::attribution::PathCount;
use leadcore::rng::SplitMix64;

/// Channel names, most popular first.
pub const CHANNELS: [&str; 15] = [
    "sem",
    "seo",
    "direct",
    "email",
    "social",
    "display",
    "event",
    "referral",
    "content",
    "video",
    "affiliate",
    "partner",
    "webinar",
    "sms",
    "app",
];

/// A seeded generator of synthetic paths (one journey per path: 1 conversion or 1 null).
#[derive(Debug, Clone)]
pub struct PathGenerator {
    rng: SplitMix64,
    cumulative: Vec<f64>,
    effect: Vec<f64>,
    channels: usize,
}

impl PathGenerator {
    /// A generator over `channels` channels (clamped to 8–15) fixed by `seed`.
    pub fn new(seed: u64, channels: usize) -> Self {
        let channels = channels.clamp(8, CHANNELS.len());
        let mut rng = SplitMix64::new(seed);
        let weights: Vec<f64> = (0..channels)
            .map(|i| 1.0 / ((i + 1) as f64).powf(1.2))
            .collect();
        let total: f64 = weights.iter().sum();
        let mut acc = 0.0;
        let cumulative = weights
            .iter()
            .map(|w| {
                acc += w / total;
                acc
            })
            .collect();
        let effect = (0..channels).map(|_| 0.5 + rng.next_f64()).collect();
        Self {
            rng,
            cumulative,
            effect,
            channels,
        }
    }

    /// Number of channels.
    pub fn channels(&self) -> usize {
        self.channels
    }

    /// The next path: channel indices, whether it converted, and its value.
    pub fn next_raw(&mut self, out: &mut Vec<usize>) -> (bool, f64) {
        out.clear();
        let len = 1 + self.rng.below(20) as usize;
        let mut log_effect = 0.0;
        for _ in 0..len {
            let u = self.rng.next_f64();
            let c = self
                .cumulative
                .iter()
                .position(|&x| u < x)
                .unwrap_or(self.channels - 1);
            log_effect += self.effect.get(c).copied().unwrap_or(1.0).ln();
            out.push(c);
        }
        let p = 0.03 * (log_effect / len as f64).exp();
        let converted = self.rng.next_f64() < p;
        let value = if converted {
            (5000.0 * (0.5 * self.rng.normal()).exp()).round()
        } else {
            0.0
        };
        (converted, value)
    }

    /// The next path as ChannelAttribution's row: `a > b > c`, conversions, nulls, value.
    pub fn next_path(&mut self, scratch: &mut Vec<usize>) -> PathCount {
        let (converted, value) = self.next_raw(scratch);
        let path = scratch
            .iter()
            .map(|&c| CHANNELS.get(c).copied().unwrap_or("other"))
            .collect::<Vec<_>>()
            .join(" > ");
        PathCount {
            path,
            conversions: u64::from(converted),
            nulls: u64::from(!converted),
            value,
        }
    }
}

/// `n` synthetic paths over 12 channels, fixed by `seed`.
pub fn synthetic_paths(n: usize, seed: u64) -> Vec<PathCount> {
    let mut g = PathGenerator::new(seed, 12);
    let mut scratch = Vec::new();
    (0..n).map(|_| g.next_path(&mut scratch)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn about_three_percent_convert() {
        let paths = synthetic_paths(20_000, 1);
        let conv: u64 = paths.iter().map(|p| p.conversions).sum();
        let rate = conv as f64 / paths.len() as f64;
        assert!((0.02..0.04).contains(&rate), "{rate}");
        assert_eq!(synthetic_paths(10, 1), synthetic_paths(10, 1));
    }
}
