//! Seeded, stratified train/test splits and k-fold assignment.

use crate::rng::SplitMix64;

/// Splits row indices into `(train, test)` keeping the class balance: in each class,
/// `round(n_class · test_fraction)` rows, drawn with the seeded generator, go to the test set.
/// Both lists are sorted.
///
/// ```
/// let labels = [true, false, false, false, true, false, false, false, false, false];
/// let (train, test) = leadcore::predict::stratified_split(&labels, 0.5, 7);
/// assert_eq!((train.len(), test.len()), (5, 5));
/// assert_eq!(test.iter().filter(|&&i| labels[i]).count(), 1);
/// ```
pub fn stratified_split(
    labels: &[bool],
    test_fraction: f64,
    seed: u64,
) -> (Vec<usize>, Vec<usize>) {
    let frac = if test_fraction.is_finite() {
        test_fraction.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for (stream, class) in [(0u64, false), (1, true)] {
        let mut rows: Vec<usize> = (0..labels.len())
            .filter(|&i| labels.get(i) == Some(&class))
            .collect();
        SplitMix64::derive(seed, stream).shuffle(&mut rows);
        let n_test = ((rows.len() as f64) * frac).round() as usize;
        test.extend(rows.iter().take(n_test));
        train.extend(rows.iter().skip(n_test));
    }
    train.sort_unstable();
    test.sort_unstable();
    (train, test)
}

/// Assigns rows to `k` stratified folds (each class shuffled, then dealt round-robin); returns
/// each fold's sorted row indices.
pub fn stratified_folds(labels: &[bool], k: usize, seed: u64) -> Vec<Vec<usize>> {
    let k = k.max(1);
    let mut folds = vec![Vec::new(); k];
    let mut offset = 0;
    for (stream, class) in [(0u64, false), (1, true)] {
        let mut rows: Vec<usize> = (0..labels.len())
            .filter(|&i| labels.get(i) == Some(&class))
            .collect();
        SplitMix64::derive(seed, stream).shuffle(&mut rows);
        for (j, r) in rows.into_iter().enumerate() {
            if let Some(f) = folds.get_mut((j + offset) % k) {
                f.push(r);
            }
        }
        offset += labels.iter().filter(|&&l| l == class).count();
    }
    folds.iter_mut().for_each(|f| f.sort_unstable());
    folds
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn split_is_a_stratified_partition(labels in proptest::collection::vec(any::<bool>(), 0..200), seed in any::<u64>()) {
            let (train, test) = stratified_split(&labels, 0.1, seed);
            let mut all: Vec<usize> = train.iter().chain(&test).copied().collect();
            all.sort_unstable();
            prop_assert_eq!(all, (0..labels.len()).collect::<Vec<_>>());
            let pos = labels.iter().filter(|&&l| l).count();
            let test_pos = test.iter().filter(|&&i| labels[i]).count();
            prop_assert_eq!(test_pos, ((pos as f64) * 0.1).round() as usize);
            prop_assert_eq!((train.clone(), test.clone()), stratified_split(&labels, 0.1, seed));
        }

        #[test]
        fn folds_partition_rows(labels in proptest::collection::vec(any::<bool>(), 0..100), k in 1usize..8) {
            let folds = stratified_folds(&labels, k, 3);
            let mut all: Vec<usize> = folds.concat();
            all.sort_unstable();
            prop_assert_eq!(all, (0..labels.len()).collect::<Vec<_>>());
            let pos = labels.iter().filter(|&&l| l).count();
            for f in &folds {
                let p = f.iter().filter(|&&i| labels[i]).count();
                prop_assert!(p == pos / k || p == pos / k + 1);
            }
        }
    }
}
