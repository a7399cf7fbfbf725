//! A random forest classifier built for lead scoring: histogram splits, real probabilities.
//!
//! Like scikit-learn's `RandomForestClassifier`: bootstrap samples, a random subset of features
//! per split, Gini impurity, optional class weights, and probabilities that are the mean over
//! trees of the positive-class (weighted) fraction in the leaf a lead falls in. Splits are
//! searched on at most 255 quantile bins per feature (see `binning.rs`); missing values get
//! their own bin and each split learns which side they go to. Trees are grown on `threads` std
//! threads, each from its own generator derived from the master seed, so the model is identical
//! whatever the thread count.

use serde::{Deserialize, Serialize};

use super::binning::{Bins, MAX_BINS, MISSING_BIN};
use super::features::FeatureMatrix;
use crate::error::{ConfigError, FieldErrorKind};
use crate::rng::SplitMix64;

/// Hyper-parameters of the forest (scikit-learn's names and defaults where they exist).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ForestParams {
    /// Number of trees.
    #[serde(default = "default_trees")]
    pub n_trees: usize,
    /// Deepest level a tree may reach (root = depth 0); `null` = until leaves are pure.
    #[serde(default)]
    pub max_depth: Option<usize>,
    /// Fewest (distinct) training rows a leaf may hold.
    #[serde(default = "one")]
    pub min_samples_leaf: usize,
    /// Fewest rows a node needs to be split.
    #[serde(default = "two")]
    pub min_samples_split: usize,
    /// Features tried at each split.
    #[serde(default)]
    pub max_features: MaxFeatures,
    /// Weights of the two classes in the impurity and leaf fractions.
    #[serde(default)]
    pub class_weight: ClassWeight,
    /// Grow each tree on a bootstrap sample (else on every row).
    #[serde(default = "yes")]
    pub bootstrap: bool,
    /// Most histogram bins per feature (2..=255).
    #[serde(default = "default_bins")]
    pub max_bins: usize,
}

impl Default for ForestParams {
    fn default() -> Self {
        Self {
            n_trees: default_trees(),
            max_depth: None,
            min_samples_leaf: 1,
            min_samples_split: 2,
            max_features: MaxFeatures::default(),
            class_weight: ClassWeight::default(),
            bootstrap: true,
            max_bins: MAX_BINS,
        }
    }
}

/// 100 trees — assumed (scikit-learn's default; seed 001 names `RandomForestClassifier` and
/// no tree count).
fn default_trees() -> usize {
    100
}
fn one() -> usize {
    1
}
fn two() -> usize {
    2
}
fn yes() -> bool {
    true
}
fn default_bins() -> usize {
    MAX_BINS
}

/// How many features each split considers.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MaxFeatures {
    /// `floor(sqrt(n_features))` (at least 1), scikit-learn's default for classifiers.
    #[default]
    Sqrt,
    /// `floor(log2(n_features))` (at least 1).
    Log2,
    /// Every feature.
    All,
    /// This fraction of the features (at least 1), `{"fraction": 0.3}`.
    Fraction(f64),
    /// This many features (at most all), `{"count": 5}`.
    Count(usize),
}

impl MaxFeatures {
    /// The number of features per split for `n` features.
    pub fn resolve(self, n: usize) -> usize {
        let k = match self {
            Self::Sqrt => (n as f64).sqrt().floor() as usize,
            Self::Log2 => (n as f64).log2().floor() as usize,
            Self::All => n,
            Self::Fraction(f) => (f * n as f64).floor() as usize,
            Self::Count(c) => c,
        };
        k.clamp(1, n.max(1))
    }
}

/// Class weights for imbalanced labels (conversions are typically 2–5 %).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClassWeight {
    /// Both classes weigh 1: leaf fractions are calibrated probabilities.
    #[default]
    None,
    /// `n / (2 · n_class)` per class, as scikit-learn's `balanced` (computed on the training
    /// rows before bootstrapping). Probabilities are then skewed upwards: calibrate them.
    Balanced,
    /// Converted rows weigh this much, the others 1: `{"positive": 10.0}`.
    Positive(f64),
}

impl ForestParams {
    /// Checks ranges; `path` is where the params sit in the enclosing config.
    pub fn validate(&self, path: &str) -> Result<(), ConfigError> {
        let bad = |field: &str, msg: String| {
            ConfigError::new(FieldErrorKind::InvalidValue(msg), format!("{path}.{field}"))
        };
        if self.n_trees == 0 || self.n_trees > 10_000 {
            return Err(bad(
                "n_trees",
                format!("`{}` trees is outside 1..=10000", self.n_trees),
            ));
        }
        if self.max_depth.is_some_and(|d| d == 0 || d > 64) {
            return Err(bad("max_depth", "depth must be in 1..=64".into()));
        }
        if self.min_samples_leaf == 0 {
            return Err(bad("min_samples_leaf", "must be at least 1".into()));
        }
        if self.min_samples_split < 2 {
            return Err(bad("min_samples_split", "must be at least 2".into()));
        }
        if !(2..=MAX_BINS).contains(&self.max_bins) {
            return Err(bad(
                "max_bins",
                format!("`{}` is outside 2..=255", self.max_bins),
            ));
        }
        match self.max_features {
            MaxFeatures::Fraction(f) if !(f > 0.0 && f <= 1.0) => {
                return Err(bad(
                    "max_features.fraction",
                    format!("`{f}` is outside (0, 1]"),
                ));
            }
            MaxFeatures::Count(0) => {
                return Err(bad("max_features.count", "must be at least 1".into()));
            }
            _ => {}
        }
        if let ClassWeight::Positive(w) = self.class_weight
            && !(w.is_finite() && w > 0.0)
        {
            return Err(bad(
                "class_weight.positive",
                format!("`{w}` is not a positive number"),
            ));
        }
        Ok(())
    }
}

/// One tree node. In memory a leaf points to itself (`left == right == its index`), so a
/// traversal can take a fixed number of branch-free steps; in model files leaves have 0, 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Node {
    /// Feature tested (internal nodes).
    pub feature: u32,
    /// Rows with `value <= threshold` go left.
    pub threshold: f32,
    /// Left child index (its own index for a leaf).
    pub left: u32,
    /// Right child index (its own index for a leaf).
    pub right: u32,
    /// Where missing values go.
    pub missing_left: bool,
    /// Weighted positive fraction of the training rows in the node.
    pub value: f32,
}

/// A decision tree, stored column-wise in model files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "TreeData", into = "TreeData")]
pub struct Tree {
    /// Nodes; children always come after their parent.
    pub nodes: Vec<Node>,
    /// Longest root-to-leaf path, in splits.
    pub depth: usize,
}

/// The stored form of a [`Tree`]: one array per node field; leaves have children 0, 0.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct TreeData {
    feature: Vec<u32>,
    threshold: Vec<f32>,
    left: Vec<u32>,
    right: Vec<u32>,
    missing_left: Vec<bool>,
    value: Vec<f32>,
}

impl From<Tree> for TreeData {
    fn from(t: Tree) -> Self {
        let leaf = |i: usize, n: &Node| n.left as usize == i;
        Self {
            feature: t.nodes.iter().map(|n| n.feature).collect(),
            threshold: t.nodes.iter().map(|n| n.threshold).collect(),
            left: t
                .nodes
                .iter()
                .enumerate()
                .map(|(i, n)| if leaf(i, n) { 0 } else { n.left })
                .collect(),
            right: t
                .nodes
                .iter()
                .enumerate()
                .map(|(i, n)| if leaf(i, n) { 0 } else { n.right })
                .collect(),
            missing_left: t.nodes.iter().map(|n| n.missing_left).collect(),
            value: t.nodes.iter().map(|n| n.value).collect(),
        }
    }
}

impl TryFrom<TreeData> for Tree {
    type Error = String;
    fn try_from(d: TreeData) -> Result<Self, String> {
        let n = d.value.len();
        if n == 0
            || [
                d.feature.len(),
                d.threshold.len(),
                d.left.len(),
                d.right.len(),
                d.missing_left.len(),
            ]
            .iter()
            .any(|&len| len != n)
        {
            return Err("tree arrays are empty or of different lengths".into());
        }
        let mut nodes = Vec::with_capacity(n);
        for i in 0..n {
            let get = |v: &Vec<u32>| v.get(i).copied().unwrap_or(0);
            let (l, r) = (get(&d.left), get(&d.right));
            let leaf = l == 0 && r == 0;
            if !leaf && (l as usize <= i || r as usize <= i || l as usize >= n || r as usize >= n) {
                return Err(format!("node {i} has children out of order"));
            }
            let node = Node {
                feature: get(&d.feature),
                threshold: d.threshold.get(i).copied().unwrap_or(f32::NAN),
                left: if leaf { i as u32 } else { l },
                right: if leaf { i as u32 } else { r },
                missing_left: d.missing_left.get(i).copied().unwrap_or(false),
                value: d.value.get(i).copied().unwrap_or(f32::NAN),
            };
            let sane = (0.0..=1.0).contains(&node.value) && node.threshold.is_finite();
            if !sane {
                return Err(format!("node {i} has an invalid value or threshold"));
            }
            nodes.push(node);
        }
        Ok(Tree::new(nodes))
    }
}

impl Tree {
    /// A tree from nodes whose children come after their parent (leaves point to themselves).
    pub fn new(nodes: Vec<Node>) -> Self {
        let mut depth_of = vec![0usize; nodes.len()];
        let mut depth = 0;
        for (i, node) in nodes.iter().enumerate() {
            if node.left as usize != i {
                let d = depth_of.get(i).copied().unwrap_or(0) + 1;
                for c in [node.left, node.right] {
                    if let Some(slot) = depth_of.get_mut(c as usize) {
                        *slot = d;
                    }
                }
                depth = depth.max(d);
            }
        }
        Self { nodes, depth }
    }

    /// The leaf value for one row of raw feature values.
    #[inline]
    pub fn predict_row(&self, row: &[f32]) -> f32 {
        let mut i = 0u32;
        for _ in 0..self.depth {
            match self.nodes.get(i as usize) {
                Some(node) => i = child(node, row),
                None => break,
            }
        }
        self.nodes.get(i as usize).map_or(0.0, |n| n.value)
    }

    /// Adds each row's leaf value to `sums`; `block` holds `sums.len()` rows of `p` values.
    /// Rows advance together one level per pass, without data-dependent branches.
    fn predict_block(&self, block: &[f32], p: usize, idx: &mut [u32], sums: &mut [f64]) {
        idx.iter_mut().for_each(|i| *i = 0);
        for _ in 0..self.depth {
            for (k, i) in idx.iter_mut().enumerate() {
                if let Some(node) = self.nodes.get(*i as usize) {
                    let row = block.get(k * p..(k + 1) * p).unwrap_or(&[]);
                    *i = child(node, row);
                }
            }
        }
        for (s, i) in sums.iter_mut().zip(idx.iter()) {
            *s += f64::from(self.nodes.get(*i as usize).map_or(0.0, |n| n.value));
        }
    }

    /// Adds the path contributions of one row to `contrib` (per feature) and returns the root
    /// value: `root + Σ contrib = leaf value` (Saabas' decomposition).
    pub fn contributions(&self, row: &[f32], contrib: &mut [f64]) -> f64 {
        let mut i = 0usize;
        let root = self.nodes.first().map_or(0.0, |n| f64::from(n.value));
        while let Some(node) = self.nodes.get(i) {
            let next = child(node, row) as usize;
            if next == i {
                break;
            }
            let Some(c) = self.nodes.get(next) else {
                break;
            };
            if let Some(x) = contrib.get_mut(node.feature as usize) {
                *x += f64::from(c.value) - f64::from(node.value);
            }
            i = next;
        }
        root
    }

    /// The largest feature index used, if any split exists.
    pub(crate) fn max_feature(&self) -> Option<u32> {
        self.nodes
            .iter()
            .enumerate()
            .filter(|(i, n)| n.left as usize != *i)
            .map(|(_, n)| n.feature)
            .max()
    }
}

#[inline]
fn child(node: &Node, row: &[f32]) -> u32 {
    let v = row.get(node.feature as usize).copied().unwrap_or(f32::NAN);
    let left = (v <= node.threshold) | (v.is_nan() & node.missing_left);
    if left { node.left } else { node.right }
}

/// A trained random forest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RandomForest {
    /// Number of input features.
    pub n_features: usize,
    /// The trees.
    pub trees: Vec<Tree>,
    /// Mean decrease in impurity per feature (normalized to sum to 1), scikit-learn's
    /// `feature_importances_`.
    pub impurity_importance: Vec<f64>,
}

/// A fitted forest with its out-of-bag predictions on the training rows.
#[derive(Debug, Clone)]
pub struct FittedForest {
    /// The forest.
    pub forest: RandomForest,
    /// Per training row, the mean prediction of the trees that did not see it (`None` when
    /// every tree saw it).
    pub oob: Vec<Option<f64>>,
}

/// Rows scored per block: a block is transposed to row-major and run through every tree.
const BLOCK: usize = 128;

impl RandomForest {
    /// Grows a forest on `x` with labels `y` (true = converted) on `threads` threads.
    ///
    /// `y` must have one label per row of `x` and both classes (the caller checks).
    pub fn fit(
        x: &FeatureMatrix,
        y: &[bool],
        params: &ForestParams,
        seed: u64,
        threads: usize,
    ) -> FittedForest {
        let bins = Bins::fit(x, params.max_bins);
        let binned = bins.transform(x);
        let n = x.n_rows().min(y.len());
        let positives = y.iter().take(n).filter(|&&v| v).count();
        let class_w = match params.class_weight {
            ClassWeight::None => [1.0, 1.0],
            ClassWeight::Balanced => {
                let half = n as f64 / 2.0;
                [
                    half / (n - positives).max(1) as f64,
                    half / positives.max(1) as f64,
                ]
            }
            ClassWeight::Positive(w) => [1.0, w],
        };
        let grower = Grower {
            binned: &binned,
            bins: &bins,
            y,
            n,
            params,
            mtry: params.max_features.resolve(x.n_cols()),
            class_w,
        };
        let results: Vec<(Tree, Vec<f64>, Vec<u64>)> =
            crate::parallel::fan_out(params.n_trees, threads, |t| {
                grower.grow(&mut SplitMix64::derive(seed, t as u64))
            });
        let p = x.n_cols();
        let mut importance = vec![0.0; p];
        for (_, imp, _) in &results {
            let total: f64 = imp.iter().sum();
            if total > 0.0 {
                for (a, b) in importance.iter_mut().zip(imp) {
                    *a += b / total;
                }
            }
        }
        let total: f64 = importance.iter().sum();
        if total > 0.0 {
            importance.iter_mut().for_each(|v| *v /= total);
        }
        let inbag: Vec<Vec<u64>> = results.iter().map(|r| r.2.clone()).collect();
        let forest = RandomForest {
            n_features: p,
            trees: results.into_iter().map(|r| r.0).collect(),
            impurity_importance: importance,
        };
        let oob = forest.oob(x, &inbag, threads);
        FittedForest { forest, oob }
    }

    fn oob(&self, x: &FeatureMatrix, inbag: &[Vec<u64>], threads: usize) -> Vec<Option<f64>> {
        let p = self.n_features;
        crate::parallel::fan_out_ranges(x.n_rows(), threads, |start, end| {
            let mut row = vec![0.0f32; p];
            (start..end)
                .map(|r| {
                    fill_row(x, r, &mut row);
                    let (mut sum, mut k) = (0.0f64, 0usize);
                    for (tree, bag) in self.trees.iter().zip(inbag) {
                        let bit = bag.get(r / 64).is_some_and(|w| w >> (r % 64) & 1 == 1);
                        if !bit {
                            sum += f64::from(tree.predict_row(&row));
                            k += 1;
                        }
                    }
                    (k > 0).then(|| sum / k as f64)
                })
                .collect()
        })
    }

    /// Positive-class probability of every row of `x` (columns in training order), on
    /// `threads` threads; the result does not depend on the thread count.
    pub fn predict_proba(&self, x: &FeatureMatrix, threads: usize) -> Vec<f64> {
        let p = self.n_features;
        let n_trees = self.trees.len().max(1) as f64;
        crate::parallel::fan_out_ranges(x.n_rows(), threads, |start, end| {
            let mut out = Vec::with_capacity(end - start);
            let mut block = vec![0.0f32; BLOCK * p];
            let mut sums = [0.0f64; BLOCK];
            let mut idx = [0u32; BLOCK];
            let mut s = start;
            while s < end {
                let e = (s + BLOCK).min(end);
                let m = e - s;
                for (c, col) in x.data.iter().enumerate().take(p) {
                    for (i, v) in col.get(s..e).unwrap_or(&[]).iter().enumerate() {
                        if let Some(slot) = block.get_mut(i * p + c) {
                            *slot = *v;
                        }
                    }
                }
                let sums = sums.get_mut(..m).unwrap_or(&mut []);
                sums.iter_mut().for_each(|v| *v = 0.0);
                let idx = idx.get_mut(..m).unwrap_or(&mut []);
                for tree in &self.trees {
                    tree.predict_block(&block, p, idx, sums);
                }
                out.extend(sums.iter().map(|v| v / n_trees));
                s = e;
            }
            out
        })
    }

    /// Saabas contributions of one row: `(bias, per-feature contribution)` with
    /// `bias + Σ contributions = predicted probability` (up to rounding).
    pub fn contributions(&self, row: &[f32]) -> (f64, Vec<f64>) {
        let mut contrib = vec![0.0; self.n_features];
        let mut bias = 0.0;
        for tree in &self.trees {
            bias += tree.contributions(row, &mut contrib);
        }
        let n = self.trees.len().max(1) as f64;
        contrib.iter_mut().for_each(|v| *v /= n);
        (bias / n, contrib)
    }
}

fn fill_row(x: &FeatureMatrix, r: usize, row: &mut [f32]) {
    for (slot, col) in row.iter_mut().zip(&x.data) {
        *slot = col.get(r).copied().unwrap_or(f32::NAN);
    }
}

struct Grower<'a> {
    binned: &'a [Vec<u8>],
    bins: &'a Bins,
    y: &'a [bool],
    n: usize,
    params: &'a ForestParams,
    mtry: usize,
    class_w: [f64; 2],
}

#[derive(Clone, Copy, Default)]
struct Stats {
    pos: f64,
    neg: f64,
    cnt: u32,
}

impl Stats {
    fn add(&mut self, o: &Stats) {
        self.pos += o.pos;
        self.neg += o.neg;
        self.cnt += o.cnt;
    }
    fn sub(&self, o: &Stats) -> Stats {
        Stats {
            pos: self.pos - o.pos,
            neg: self.neg - o.neg,
            cnt: self.cnt - o.cnt,
        }
    }
    fn weight(&self) -> f64 {
        self.pos + self.neg
    }
    /// `Σ w_c² / w`: larger is purer; the Gini split criterion maximizes its sum over children.
    fn proxy(&self) -> f64 {
        let w = self.weight();
        if w > 0.0 {
            (self.pos * self.pos + self.neg * self.neg) / w
        } else {
            0.0
        }
    }
    /// `w · gini`.
    fn weighted_impurity(&self) -> f64 {
        self.weight() - self.proxy()
    }
}

#[derive(Clone, Copy)]
struct Split {
    feature: usize,
    bin: u8,
    missing_left: bool,
    proxy: f64,
    left: Stats,
    right: Stats,
}

struct Hist {
    bins: Vec<Stats>,
    touched: Vec<u8>,
}

impl Grower<'_> {
    fn grow(&self, rng: &mut SplitMix64) -> (Tree, Vec<f64>, Vec<u64>) {
        let n = self.n;
        let mut counts = vec![0u32; n];
        if self.params.bootstrap {
            for _ in 0..n {
                if let Some(c) = counts.get_mut(rng.index(n)) {
                    *c += 1;
                }
            }
        } else {
            counts.iter_mut().for_each(|c| *c = 1);
        }
        let mut inbag = vec![0u64; n.div_ceil(64)];
        let mut rows: Vec<u32> = Vec::with_capacity(n);
        let mut weight = vec![0.0f64; n];
        for (r, &c) in counts.iter().enumerate() {
            if c > 0 {
                rows.push(r as u32);
                if let Some(w) = inbag.get_mut(r / 64) {
                    *w |= 1 << (r % 64);
                }
                let cls = usize::from(self.y.get(r).copied().unwrap_or(false));
                if let (Some(w), Some(cw)) = (weight.get_mut(r), self.class_w.get(cls)) {
                    *w = f64::from(c) * cw;
                }
            }
        }
        let p = self.binned.len();
        let mut importance = vec![0.0; p];
        let mut features: Vec<usize> = (0..p).collect();
        let mut hist = Hist {
            bins: vec![Stats::default(); 256],
            touched: Vec::with_capacity(256),
        };
        let root = self.stats(&rows, &weight);
        let mut nodes = vec![leaf(&root, 0)];
        // (node, start, end, depth, stats)
        let mut stack = vec![(0usize, 0usize, rows.len(), 0usize, root)];
        while let Some((id, start, end, depth, stats)) = stack.pop() {
            let count = end - start;
            let can_split = self.params.max_depth.is_none_or(|d| depth < d)
                && count >= self.params.min_samples_split
                && count >= 2 * self.params.min_samples_leaf
                && stats.pos > 0.0
                && stats.neg > 0.0;
            if !can_split {
                continue;
            }
            let Some(node_rows) = rows.get(start..end) else {
                continue;
            };
            let Some(split) =
                self.best_split(node_rows, &weight, &stats, &mut features, &mut hist, rng)
            else {
                continue;
            };
            // Partition rows: left ones first.
            let col = self
                .binned
                .get(split.feature)
                .map_or(&[][..], Vec::as_slice);
            let goes_left = |r: u32| {
                let b = col.get(r as usize).copied().unwrap_or(MISSING_BIN);
                if b == MISSING_BIN {
                    split.missing_left
                } else {
                    b <= split.bin
                }
            };
            let Some(slice) = rows.get_mut(start..end) else {
                continue;
            };
            let mut i = 0;
            for j in 0..slice.len() {
                if slice.get(j).is_some_and(|&r| goes_left(r)) {
                    slice.swap(i, j);
                    i += 1;
                }
            }
            let mid = start + i;
            if let Some(imp) = importance.get_mut(split.feature) {
                *imp += stats.weighted_impurity()
                    - split.left.weighted_impurity()
                    - split.right.weighted_impurity();
            }
            let l = nodes.len();
            nodes.push(leaf(&split.left, l));
            nodes.push(leaf(&split.right, l + 1));
            if let Some(node) = nodes.get_mut(id) {
                node.feature = split.feature as u32;
                node.threshold = if split.bin == MISSING_BIN - 1 {
                    f32::MAX
                } else {
                    self.bins.threshold(split.feature, split.bin)
                };
                node.left = l as u32;
                node.right = (l + 1) as u32;
                node.missing_left = split.missing_left;
            }
            stack.push((l + 1, mid, end, depth + 1, split.right));
            stack.push((l, start, mid, depth + 1, split.left));
        }
        (Tree::new(nodes), importance, inbag)
    }

    fn stats(&self, rows: &[u32], weight: &[f64]) -> Stats {
        let mut s = Stats::default();
        for &r in rows {
            let w = weight.get(r as usize).copied().unwrap_or(0.0);
            if self.y.get(r as usize).copied().unwrap_or(false) {
                s.pos += w;
            } else {
                s.neg += w;
            }
            s.cnt += 1;
        }
        s
    }

    fn best_split(
        &self,
        rows: &[u32],
        weight: &[f64],
        total: &Stats,
        features: &mut [usize],
        hist: &mut Hist,
        rng: &mut SplitMix64,
    ) -> Option<Split> {
        let p = features.len();
        let mut best: Option<Split> = None;
        let (mut visited, mut constant) = (0usize, 0usize);
        let mut i = 0;
        while i < p && (visited < self.mtry || visited <= constant) {
            let j = i + rng.index(p - i);
            features.swap(i, j);
            let f = features.get(i).copied().unwrap_or(0);
            i += 1;
            visited += 1;
            if !self.scan_feature(f, rows, weight, total, hist, &mut best) {
                constant += 1;
            }
        }
        best
    }

    /// Evaluates every split of feature `f`; returns false when `f` is constant in the node.
    fn scan_feature(
        &self,
        f: usize,
        rows: &[u32],
        weight: &[f64],
        total: &Stats,
        hist: &mut Hist,
        best: &mut Option<Split>,
    ) -> bool {
        let Some(col) = self.binned.get(f) else {
            return false;
        };
        hist.touched.clear();
        for &r in rows {
            let r = r as usize;
            let b = col.get(r).copied().unwrap_or(MISSING_BIN);
            let Some(s) = hist.bins.get_mut(usize::from(b)) else {
                continue;
            };
            if s.cnt == 0 {
                hist.touched.push(b);
            }
            let w = weight.get(r).copied().unwrap_or(0.0);
            if self.y.get(r).copied().unwrap_or(false) {
                s.pos += w;
            } else {
                s.neg += w;
            }
            s.cnt += 1;
        }
        hist.touched.sort_unstable();
        let missing = if hist.touched.last() == Some(&MISSING_BIN) {
            hist.touched.pop();
            hist.bins
                .get(usize::from(MISSING_BIN))
                .copied()
                .unwrap_or_default()
        } else {
            Stats::default()
        };
        let present = total.sub(&missing);
        let varies = hist.touched.len() > 1 || (missing.cnt > 0 && present.cnt > 0);
        let min_leaf = self.params.min_samples_leaf as u32;
        let mut consider = |left: Stats, right: Stats, bin: u8, missing_left: bool| {
            if left.cnt < min_leaf
                || right.cnt < min_leaf
                || left.weight() <= 0.0
                || right.weight() <= 0.0
            {
                return;
            }
            let proxy = left.proxy() + right.proxy();
            if best.is_none_or(|b| proxy > b.proxy) {
                *best = Some(Split {
                    feature: f,
                    bin,
                    missing_left,
                    proxy,
                    left,
                    right,
                });
            }
        };
        let mut cum = Stats::default();
        let m = hist.touched.len();
        for (k, &b) in hist.touched.iter().enumerate() {
            cum.add(&hist.bins.get(usize::from(b)).copied().unwrap_or_default());
            if k + 1 < m {
                let rest = present.sub(&cum);
                if missing.cnt == 0 {
                    // No missing value here: at scoring time they follow the larger side.
                    consider(cum, rest, b, cum.cnt >= rest.cnt);
                } else {
                    let mut r = rest;
                    r.add(&missing);
                    consider(cum, r, b, false);
                    let mut l = cum;
                    l.add(&missing);
                    consider(l, rest, b, true);
                }
            }
        }
        if missing.cnt > 0 && present.cnt > 0 {
            consider(present, missing, MISSING_BIN - 1, false);
        }
        for &b in &hist.touched {
            if let Some(s) = hist.bins.get_mut(usize::from(b)) {
                *s = Stats::default();
            }
        }
        if let Some(s) = hist.bins.get_mut(usize::from(MISSING_BIN)) {
            *s = Stats::default();
        }
        varies
    }
}

fn leaf(s: &Stats, index: usize) -> Node {
    let w = s.weight();
    Node {
        feature: 0,
        threshold: 0.0,
        left: index as u32,
        right: index as u32,
        missing_left: false,
        value: if w > 0.0 { (s.pos / w) as f32 } else { 0.0 },
    }
}
