//! Holdout metrics of a probability model: ranking, calibration and what the tiers deliver.

use serde::{Deserialize, Serialize};

use super::tiers::{Tier, TierThresholds};
use crate::error::{Error, FieldErrorKind, InputError};

/// Probabilities are clipped to `[EPS, 1 - EPS]` in the log loss (scikit-learn's choice).
pub const LOG_LOSS_EPS: f64 = 1e-15;

/// Quality of predicted probabilities against outcomes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Metrics {
    /// Rows evaluated.
    pub rows: usize,
    /// Converted rows.
    pub positives: usize,
    /// Fraction of rows that converted.
    pub base_rate: f64,
    /// Area under the ROC curve, ties counted as half (`null` with a single class).
    pub roc_auc: Option<f64>,
    /// Area under the precision-recall curve as average precision (scikit-learn's
    /// `average_precision_score`; `null` without positives).
    pub pr_auc: Option<f64>,
    /// Mean negative log-likelihood (natural log), probabilities clipped to `[1e-15, 1-1e-15]`.
    pub log_loss: f64,
    /// Mean squared error of the probability.
    pub brier: f64,
    /// Conversion rate of the top 10 % of rows by score over the base rate (`null` without
    /// positives).
    pub top_decile_lift: Option<f64>,
    /// Rows sorted by score and cut into ten groups of (nearly) equal size, lowest first.
    pub calibration: Vec<CalibrationBin>,
    /// Precision and recall when the high tier, then the high and mid tiers, are worked.
    pub tiers: Vec<TierMetrics>,
}

/// One group of the calibration table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CalibrationBin {
    /// Rows in the group.
    pub rows: usize,
    /// Lowest score in the group.
    pub min_score: f64,
    /// Highest score in the group.
    pub max_score: f64,
    /// Mean predicted probability.
    pub mean_predicted: f64,
    /// Observed conversion rate.
    pub observed_rate: f64,
}

/// What working the leads at or above a tier threshold gives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TierMetrics {
    /// The lowest tier worked (`high`: high only; `mid`: high and mid).
    pub tier: Tier,
    /// Its probability threshold.
    pub threshold: f64,
    /// Rows at or above the threshold.
    pub rows: usize,
    /// Converted fraction of those rows (`null` when there are none).
    pub precision: Option<f64>,
    /// Fraction of all converted rows that are among them (`null` without positives).
    pub recall: Option<f64>,
}

fn ratio(a: f64, b: f64) -> Option<f64> {
    (b > 0.0).then(|| a / b)
}

/// Evaluates probabilities `scores` against `labels` (true = converted), with `tiers` for the
/// per-tier table.
///
/// Errors: lengths differ (`invalid_value` at `labels`), no rows (`invalid_value` at
/// `scores`), a score that is not a probability (`invalid_value`/`not_finite` at `scores[i]`).
///
/// ```
/// use leadcore::predict::{evaluate, TierThresholds};
/// let m = evaluate(&TierThresholds { high: 0.5, mid: 0.3 }, &[0.9, 0.4, 0.4, 0.1],
///                  &[true, true, false, false]).unwrap();
/// assert_eq!(m.roc_auc, Some(0.875)); // the tie at 0.4 counts half
/// ```
pub fn evaluate(tiers: &TierThresholds, scores: &[f64], labels: &[bool]) -> Result<Metrics, Error> {
    if scores.len() != labels.len() {
        return Err(InputError::new(
            FieldErrorKind::InvalidValue(format!(
                "{} labels for {} scores",
                labels.len(),
                scores.len()
            )),
            "labels",
        )
        .into());
    }
    if scores.is_empty() {
        return Err(
            InputError::new(FieldErrorKind::InvalidValue("no rows".into()), "scores").into(),
        );
    }
    for (i, s) in scores.iter().enumerate() {
        if !s.is_finite() {
            return Err(InputError::new(FieldErrorKind::NotFinite, format!("scores[{i}]")).into());
        }
        if !(0.0..=1.0).contains(s) {
            return Err(InputError::new(
                FieldErrorKind::InvalidValue(format!("`{s}` is not a probability")),
                format!("scores[{i}]"),
            )
            .into());
        }
    }
    let n = scores.len();
    let pos = labels.iter().filter(|&&l| l).count();
    let neg = n - pos;
    let nf = n as f64;
    let y = |b: bool| if b { 1.0 } else { 0.0 };
    let log_loss = scores
        .iter()
        .zip(labels)
        .map(|(&p, &l)| {
            let p = p.clamp(LOG_LOSS_EPS, 1.0 - LOG_LOSS_EPS);
            if l { -p.ln() } else { -(1.0 - p).ln() }
        })
        .sum::<f64>()
        / nf;
    let brier = scores
        .iter()
        .zip(labels)
        .map(|(&p, &l)| (p - y(l)).powi(2))
        .sum::<f64>()
        / nf;
    // Ascending by score, ties by row index: deterministic groups.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let (sa, sb) = (
            scores.get(a).copied().unwrap_or(0.0),
            scores.get(b).copied().unwrap_or(0.0),
        );
        sa.total_cmp(&sb).then(a.cmp(&b))
    });
    let s_of = |i: usize| scores.get(i).copied().unwrap_or(0.0);
    let l_of = |i: usize| labels.get(i).copied().unwrap_or(false);
    let roc_auc = (pos > 0 && neg > 0).then(|| {
        let mut rank_sum = 0.0;
        let mut i = 0;
        while i < n {
            let s = s_of(order.get(i).copied().unwrap_or(0));
            let mut j = i;
            while j < n && s_of(order.get(j).copied().unwrap_or(0)) == s {
                j += 1;
            }
            let avg_rank = (i + 1 + j) as f64 / 2.0;
            let p_in = order
                .get(i..j)
                .unwrap_or(&[])
                .iter()
                .filter(|&&r| l_of(r))
                .count();
            rank_sum += avg_rank * p_in as f64;
            i = j;
        }
        let p = pos as f64;
        (rank_sum - p * (p + 1.0) / 2.0) / (p * neg as f64)
    });
    let pr_auc = (pos > 0).then(|| {
        let (mut tp, mut fp, mut prev_recall, mut ap) = (0usize, 0usize, 0.0, 0.0);
        let mut i = n;
        while i > 0 {
            let s = s_of(order.get(i - 1).copied().unwrap_or(0));
            while i > 0 && s_of(order.get(i - 1).copied().unwrap_or(0)) == s {
                if l_of(order.get(i - 1).copied().unwrap_or(0)) {
                    tp += 1;
                } else {
                    fp += 1;
                }
                i -= 1;
            }
            let recall = tp as f64 / pos as f64;
            let precision = tp as f64 / (tp + fp) as f64;
            ap += (recall - prev_recall) * precision;
            prev_recall = recall;
        }
        ap
    });
    let mut calibration = Vec::new();
    let (base, extra) = (n / 10, n % 10);
    let mut start = 0;
    for g in 0..10 {
        let size = base + usize::from(g < extra);
        if size == 0 {
            continue;
        }
        let rows = order.get(start..start + size).unwrap_or(&[]);
        start += size;
        calibration.push(CalibrationBin {
            rows: size,
            min_score: rows.first().map_or(0.0, |&r| s_of(r)),
            max_score: rows.last().map_or(0.0, |&r| s_of(r)),
            mean_predicted: rows.iter().map(|&r| s_of(r)).sum::<f64>() / size as f64,
            observed_rate: rows.iter().filter(|&&r| l_of(r)).count() as f64 / size as f64,
        });
    }
    let base_rate = pos as f64 / nf;
    let top = n.div_ceil(10);
    let top_pos = order.iter().rev().take(top).filter(|&&r| l_of(r)).count();
    let top_decile_lift = ratio(top_pos as f64 / top as f64, base_rate);
    let tiers = [(Tier::High, tiers.high), (Tier::Mid, tiers.mid)]
        .into_iter()
        .map(|(tier, threshold)| {
            let selected: Vec<usize> = (0..n).filter(|&i| s_of(i) >= threshold).collect();
            let tp = selected.iter().filter(|&&i| l_of(i)).count() as f64;
            TierMetrics {
                tier,
                threshold,
                rows: selected.len(),
                precision: ratio(tp, selected.len() as f64),
                recall: ratio(tp, pos as f64),
            }
        })
        .collect();
    Ok(Metrics {
        rows: n,
        positives: pos,
        base_rate,
        roc_auc,
        pr_auc,
        log_loss,
        brier,
        top_decile_lift,
        calibration,
        tiers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const T: TierThresholds = TierThresholds {
        high: 0.5,
        mid: 0.2,
    };

    #[test]
    fn hand_computed_case() {
        let m = evaluate(
            &T,
            &[0.8, 0.6, 0.6, 0.3, 0.1],
            &[true, false, true, false, false],
        )
        .unwrap();
        // Positive pairs: (0.8 > all 3 negatives) = 3, (0.6 vs 0.6 tie = .5, > 0.3, > 0.1) = 2.5.
        assert_eq!(m.roc_auc, Some(5.5 / 6.0));
        // Thresholds 0.8: P=1, R=.5; 0.6: P=2/3, R=1 → AP = .5·1 + .5·2/3.
        assert!((m.pr_auc.unwrap() - (0.5 + 1.0 / 3.0)).abs() < 1e-12);
        assert_eq!(m.tiers[0].rows, 3);
        assert_eq!(m.tiers[0].precision, Some(2.0 / 3.0));
        assert_eq!(m.tiers[1].recall, Some(1.0));
        assert_eq!(m.calibration.len(), 5);
        assert_eq!(m.top_decile_lift, Some(1.0 / 0.4));
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert_eq!(
            evaluate(&T, &[0.1], &[]).unwrap_err().code(),
            "invalid_value"
        );
        assert_eq!(evaluate(&T, &[], &[]).unwrap_err().code(), "invalid_value");
        assert_eq!(
            evaluate(&T, &[f64::NAN], &[true]).unwrap_err().code(),
            "not_finite"
        );
        assert_eq!(
            evaluate(&T, &[1.5], &[true]).unwrap_err().path(),
            "scores[0]"
        );
        let single = evaluate(&T, &[0.2, 0.3], &[false, false]).unwrap();
        assert_eq!(
            (single.roc_auc, single.pr_auc, single.top_decile_lift),
            (None, None, None)
        );
    }

    proptest! {
        #[test]
        fn auc_matches_pair_counting(data in proptest::collection::vec((0u8..5, any::<bool>()), 1..60)) {
            let scores: Vec<f64> = data.iter().map(|(s, _)| f64::from(*s) / 4.0).collect();
            let labels: Vec<bool> = data.iter().map(|(_, l)| *l).collect();
            let m = evaluate(&T, &scores, &labels).unwrap();
            let (mut num, mut den) = (0.0, 0.0);
            for (i, &li) in labels.iter().enumerate() {
                for (j, &lj) in labels.iter().enumerate() {
                    if li && !lj {
                        den += 1.0;
                        num += if scores[i] > scores[j] { 1.0 } else if scores[i] == scores[j] { 0.5 } else { 0.0 };
                    }
                }
            }
            match m.roc_auc {
                Some(a) => prop_assert!((a - num / den).abs() < 1e-12),
                None => prop_assert_eq!(den, 0.0),
            }
        }
    }
}
