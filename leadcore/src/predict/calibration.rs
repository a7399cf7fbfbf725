//! Probability calibration: isotonic regression or Platt's sigmoid, fitted on out-of-sample
//! scores of the training rows (out-of-bag for the forest, cross-fitted for naive Bayes).

use serde::{Deserialize, Serialize};

/// Which calibration to fit.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CalibrationMethod {
    /// Use the model's probabilities as they are.
    #[default]
    None,
    /// Isotonic regression (pool-adjacent-violators), interpolated linearly and clipped, as
    /// scikit-learn's `IsotonicRegression(out_of_bounds="clip")`.
    Isotonic,
    /// Platt scaling: `1 / (1 + exp(-(a·s + b)))` fitted by Newton's method on smoothed targets.
    Platt,
}

/// A fitted calibration map from raw score to probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Calibrator {
    /// No calibration.
    Identity,
    /// Piecewise-linear non-decreasing map through `(x[i], y[i])`.
    Isotonic {
        /// Raw scores, increasing.
        x: Vec<f64>,
        /// Calibrated probabilities, non-decreasing.
        y: Vec<f64>,
    },
    /// Sigmoid of `a·s + b`.
    Platt {
        /// Slope.
        a: f64,
        /// Intercept.
        b: f64,
    },
}

impl Calibrator {
    /// Fits `method` on raw `scores` and `labels` (rows with a `None` score are skipped).
    pub fn fit(method: CalibrationMethod, scores: &[Option<f64>], labels: &[bool]) -> Self {
        let pairs: Vec<(f64, bool)> = scores
            .iter()
            .zip(labels)
            .filter_map(|(s, &l)| s.filter(|v| v.is_finite()).map(|s| (s, l)))
            .collect();
        if pairs.is_empty() {
            return Self::Identity;
        }
        match method {
            CalibrationMethod::None => Self::Identity,
            CalibrationMethod::Isotonic => isotonic(pairs),
            CalibrationMethod::Platt => platt(&pairs),
        }
    }

    /// Whether the map is one [`fit`](Self::fit) can produce: finite parameters; for isotonic,
    /// as many finite, non-decreasing scores as probabilities, which are non-decreasing and in
    /// `[0, 1]`. Checked when a model file is loaded.
    pub fn is_sound(&self) -> bool {
        match self {
            Self::Identity => true,
            Self::Platt { a, b } => a.is_finite() && b.is_finite(),
            Self::Isotonic { x, y } => {
                x.len() == y.len()
                    && !x.is_empty()
                    && x.iter().all(|v| v.is_finite())
                    && y.iter().all(|v| (0.0..=1.0).contains(v))
                    && x.is_sorted()
                    && y.is_sorted()
            }
        }
    }

    /// The calibrated probability of raw score `s`.
    pub fn apply(&self, s: f64) -> f64 {
        match self {
            Self::Identity => s,
            Self::Platt { a, b } => sigmoid(a * s + b),
            Self::Isotonic { x, y } => {
                let k = x.partition_point(|v| *v <= s);
                match (
                    k.checked_sub(1).and_then(|i| x.get(i).zip(y.get(i))),
                    x.get(k).zip(y.get(k)),
                ) {
                    (None, Some((_, y0))) => *y0,
                    (Some((_, y0)), None) => *y0,
                    (Some((x0, y0)), Some((x1, y1))) => {
                        // Halved so that scores far apart cannot overflow (exact for normal
                        // values: halving only changes the exponent).
                        let v = y0 + (y1 - y0) * (s * 0.5 - x0 * 0.5) / (x1 * 0.5 - x0 * 0.5);
                        if x1 > x0 && v.is_finite() { v } else { *y0 }
                    }
                    (None, None) => s,
                }
            }
        }
    }
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

fn isotonic(mut pairs: Vec<(f64, bool)>) -> Calibrator {
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Blocks: (x_lo, x_hi, sum_y, weight).
    let mut blocks: Vec<(f64, f64, f64, f64)> = Vec::new();
    for (s, l) in pairs {
        let yv = if l { 1.0 } else { 0.0 };
        match blocks.last_mut() {
            Some(b) if b.1 == s => {
                b.2 += yv;
                b.3 += 1.0;
            }
            _ => blocks.push((s, s, yv, 1.0)),
        }
        while blocks.len() >= 2 {
            let n = blocks.len();
            let (Some(prev), Some(last)) = (blocks.get(n - 2).copied(), blocks.get(n - 1).copied())
            else {
                break;
            };
            if prev.2 / prev.3 < last.2 / last.3 {
                break;
            }
            blocks.truncate(n - 2);
            blocks.push((prev.0, last.1, prev.2 + last.2, prev.3 + last.3));
        }
    }
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for (lo, hi, sum, w) in blocks {
        let v = sum / w;
        x.push(lo);
        y.push(v);
        if hi > lo {
            x.push(hi);
            y.push(v);
        }
    }
    Calibrator::Isotonic { x, y }
}

fn platt(pairs: &[(f64, bool)]) -> Calibrator {
    let pos = pairs.iter().filter(|p| p.1).count() as f64;
    let neg = pairs.len() as f64 - pos;
    let hi = (pos + 1.0) / (pos + 2.0);
    let lo = 1.0 / (neg + 2.0);
    let target = |l: bool| if l { hi } else { lo };
    let loss = |a: f64, b: f64| -> f64 {
        pairs
            .iter()
            .map(|&(s, l)| {
                let p = sigmoid(a * s + b).clamp(1e-300, 1.0 - 1e-16);
                let t = target(l);
                -(t * p.ln() + (1.0 - t) * (1.0 - p).ln())
            })
            .sum()
    };
    let (mut a, mut b) = (0.0, ((pos + 1.0) / (neg + 1.0)).ln());
    let mut f = loss(a, b);
    for _ in 0..100 {
        let (mut g1, mut g2, mut h11, mut h22, mut h21) = (0.0, 0.0, 1e-12, 1e-12, 0.0);
        for &(s, l) in pairs {
            let p = sigmoid(a * s + b);
            let d = p - target(l);
            let w = p * (1.0 - p);
            g1 += d * s;
            g2 += d;
            h11 += w * s * s;
            h22 += w;
            h21 += w * s;
        }
        if g1.abs() < 1e-10 && g2.abs() < 1e-10 {
            break;
        }
        let det = h11 * h22 - h21 * h21;
        if det <= 0.0 {
            break;
        }
        let da = -(h22 * g1 - h21 * g2) / det;
        let db = -(-h21 * g1 + h11 * g2) / det;
        let mut step = 1.0;
        let mut improved = false;
        while step > 1e-10 {
            let (na, nb) = (a + step * da, b + step * db);
            let nf = loss(na, nb);
            if nf < f + 1e-4 * step * (g1 * da + g2 * db) {
                (a, b, f) = (na, nb, nf);
                improved = true;
                break;
            }
            step /= 2.0;
        }
        if !improved {
            break;
        }
    }
    Calibrator::Platt { a, b }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isotonic_pools_violators_and_interpolates() {
        let scores = [0.1, 0.2, 0.3, 0.4].map(Some);
        let labels = [false, true, false, true];
        let c = Calibrator::fit(CalibrationMethod::Isotonic, &scores, &labels);
        // 0.2 (1) and 0.3 (0) violate the order and pool to 0.5.
        assert_eq!(c.apply(0.1), 0.0);
        assert_eq!(c.apply(0.25), 0.5);
        assert!((c.apply(0.35) - 0.75).abs() < 1e-12);
        assert_eq!(c.apply(0.9), 1.0);
        assert_eq!(c.apply(0.0), 0.0);
    }

    #[test]
    fn platt_is_increasing_for_informative_scores() {
        let scores: Vec<Option<f64>> = (0..100).map(|i| Some(f64::from(i) / 100.0)).collect();
        let labels: Vec<bool> = (0..100).map(|i| i % 10 < i / 10).collect();
        let c = Calibrator::fit(CalibrationMethod::Platt, &scores, &labels);
        let Calibrator::Platt { a, .. } = c else {
            panic!()
        };
        assert!(a > 0.0);
        assert!(c.apply(0.9) > c.apply(0.1));
    }
}
