//! Quantile binning of feature columns: the histogram grid the forest searches splits on.
//!
//! Each column gets at most `max_bins` (≤ 255) bins learned from the training values. With few
//! distinct values every value has its own bin, so tied counts are never split apart and every
//! split point between two observed values is available. Edges are midpoints between adjacent
//! distinct values; a value `v` falls in bin `k` when `edges[k-1] < v <= edges[k]`, so the forest
//! can store a split as the raw threshold `edges[k]` and score raw values without binning.

use super::features::FeatureMatrix;

/// The bin of a missing (`NaN`) value.
pub(crate) const MISSING_BIN: u8 = 255;

/// Most bins a column may have (bin 255 is reserved for missing values).
pub const MAX_BINS: usize = 255;

/// Per-column bin edges.
#[derive(Debug, Clone)]
pub(crate) struct Bins {
    pub edges: Vec<Vec<f32>>,
}

fn clamp(v: f32) -> f32 {
    // +0.0 turns -0.0 into 0.0; infinities behave as the extreme finite values.
    v.clamp(f32::MIN, f32::MAX) + 0.0
}

impl Bins {
    /// Learns edges for every column of `x` with at most `max_bins` bins each.
    pub fn fit(x: &FeatureMatrix, max_bins: usize) -> Self {
        let max_bins = max_bins.clamp(2, MAX_BINS);
        let edges = x
            .data
            .iter()
            .map(|col| column_edges(col, max_bins))
            .collect();
        Self { edges }
    }

    /// The bin of `v` in column `col`.
    pub fn bin(&self, col: usize, v: f32) -> u8 {
        if v.is_nan() {
            return MISSING_BIN;
        }
        let v = clamp(v);
        let edges = self.edges.get(col).map_or(&[][..], Vec::as_slice);
        edges.partition_point(|e| *e < v) as u8
    }

    /// Bins every value of `x`, column-major.
    pub fn transform(&self, x: &FeatureMatrix) -> Vec<Vec<u8>> {
        x.data
            .iter()
            .enumerate()
            .map(|(c, col)| col.iter().map(|&v| self.bin(c, v)).collect())
            .collect()
    }

    /// The raw threshold of a split after bin `b` of column `col`.
    pub fn threshold(&self, col: usize, b: u8) -> f32 {
        self.edges
            .get(col)
            .and_then(|e| e.get(usize::from(b)))
            .copied()
            .unwrap_or(f32::MAX)
    }
}

fn column_edges(col: &[f32], max_bins: usize) -> Vec<f32> {
    let mut values: Vec<f32> = col
        .iter()
        .filter(|v| !v.is_nan())
        .map(|&v| clamp(v))
        .collect();
    values.sort_unstable_by(f32::total_cmp);
    let mut distinct: Vec<(f32, usize)> = Vec::new();
    for v in values.iter().copied() {
        match distinct.last_mut() {
            Some((last, n)) if *last == v => *n += 1,
            _ => distinct.push((v, 1)),
        }
    }
    let cut_after: Vec<usize> = if distinct.len() <= max_bins {
        (0..distinct.len().saturating_sub(1)).collect()
    } else {
        let total = values.len() as f64;
        let mut cuts = Vec::new();
        let mut cum = 0usize;
        for (i, (_, n)) in distinct.iter().enumerate() {
            cum += n;
            let next_quantile = (cuts.len() + 1) as f64 * total / max_bins as f64;
            if cum as f64 >= next_quantile && cuts.len() + 1 < max_bins && i + 1 < distinct.len() {
                cuts.push(i);
            }
        }
        cuts
    };
    cut_after
        .into_iter()
        .filter_map(|i| {
            let a = distinct.get(i)?.0;
            let b = distinct.get(i + 1)?.0;
            let mid = ((f64::from(a) + f64::from(b)) / 2.0) as f32;
            Some(if mid >= b || mid < a { a } else { mid })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::predict::features::Column;

    fn matrix(col: Vec<f32>) -> FeatureMatrix {
        FeatureMatrix {
            columns: vec![Column {
                name: "x".into(),
                group: "x".into(),
                level: None,
            }],
            lead_ids: (0..col.len()).map(|i| i.to_string()).collect(),
            data: vec![col],
        }
    }

    #[test]
    fn few_distinct_values_get_one_bin_each() {
        let bins = Bins::fit(&matrix(vec![0.0, 0.0, 1.0, 1.0, 1.0, 3.0, f32::NAN]), 255);
        assert_eq!(bins.edges[0], [0.5, 2.0]);
        assert_eq!(bins.bin(0, 0.0), 0);
        assert_eq!(bins.bin(0, 0.5), 0);
        assert_eq!(bins.bin(0, 1.0), 1);
        assert_eq!(bins.bin(0, 7.0), 2);
        assert_eq!(bins.bin(0, f32::NAN), MISSING_BIN);
    }

    #[test]
    fn many_values_are_cut_at_quantiles_without_splitting_ties() {
        let mut col: Vec<f32> = (0..1000).map(|i| i as f32).collect();
        col.extend(std::iter::repeat_n(5.0, 500));
        let bins = Bins::fit(&matrix(col.clone()), 10);
        assert!(bins.edges[0].len() <= 9);
        // Every tie lands in one bin, and bins are ordered like the values.
        for w in col.windows(2) {
            let (a, b) = (bins.bin(0, w[0]), bins.bin(0, w[1]));
            assert_eq!(w[0] <= w[1], a <= b);
        }
    }

    #[test]
    fn adjacent_floats_keep_their_order() {
        let a = 1.0f32;
        let b = f32::from_bits(a.to_bits() + 1);
        let bins = Bins::fit(&matrix(vec![a, b, f32::INFINITY, f32::NEG_INFINITY]), 255);
        assert!(bins.edges[0].iter().all(|e| e.is_finite()));
        assert!(bins.bin(0, a) < bins.bin(0, b));
        assert!(bins.bin(0, f32::NEG_INFINITY) < bins.bin(0, a));
    }
}
