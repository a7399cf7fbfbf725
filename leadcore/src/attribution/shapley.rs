//! Shapley-value attribution over the channel sets of journeys.
//!
//! The players are the channels; what a coalition S of channels "earns" comes from the journeys
//! whose channel set (order and repeats ignored) is a subset of S. Two games:
//!
//! - **`conversions`** (default): v(S) = conversions (value) of those journeys. This is the
//!   "simplified Shapley value" of Zhao et al., *Shapley Value Methods for Attribution Modeling
//!   in Online Advertising* (2018). v is a sum of unanimity games, one per observed channel set T
//!   weighted by its conversions, so the Shapley value has the closed form
//!   φᵢ = Σ_{T ∋ i} conv(T) / |T|: exact for any number of channels in time linear in the data.
//!   We pick it as the default because it is exact, cheap, mergeable and easy to explain: each
//!   converting journey's credit is split equally over the distinct channels it touched.
//! - **`conversion_rate`**: v(S) = conversions ÷ journeys (value ÷ journeys) over those
//!   journeys, 0 when there are none; it rewards channels whose presence raises the rate, and
//!   can give a channel a negative value when it lowers it. Σφ = v(all channels) (efficiency), so
//!   credits are φ scaled to the total conversions (value). Exact by enumerating all 2ⁿ coalitions
//!   up to 20 channels; above, a seeded permutation-sampling estimate with standard errors.
//!
//! Both satisfy efficiency and symmetry exactly when exact; the sampled estimate keeps efficiency
//! in every permutation (the marginal contributions telescope).

use serde::{Deserialize, Serialize};

use super::config::{MAX_EXACT_SHAPLEY_CHANNELS, MAX_SHAPLEY_WORK, ShapleyGame, ShapleyMethod};
use super::error::AttributionError;
use super::exact::Exact;
use super::intern::FxMap;
use crate::rng::SplitMix64;

/// A (conversions, value) pair.
type Pair = (f64, f64);

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Tally {
    conversions: u64,
    nulls: u64,
    value: Exact,
}

impl Tally {
    fn add(&mut self, c: u64, u: u64, v: Exact) {
        self.conversions = self.conversions.saturating_add(c);
        self.nulls = self.nulls.saturating_add(u);
        // The caller checked that the total value fits; each tally holds part of it.
        self.value = self.value.checked_add(v).unwrap_or(self.value);
    }
}

/// Mergeable tallies of journeys by channel set.
#[derive(Debug, Clone, Default)]
pub(crate) struct ShapleyTallies {
    sets: FxMap<Box<[u32]>, Tally>,
    scratch: Vec<u32>,
}

impl ShapleyTallies {
    /// Adds `conversions + nulls` journeys with the keys in `keys`.
    pub(crate) fn add(&mut self, keys: &[u32], conversions: u64, nulls: u64, value: Exact) {
        if keys.is_empty() || conversions == 0 && nulls == 0 {
            return;
        }
        self.scratch.clear();
        self.scratch.extend_from_slice(keys);
        self.scratch.sort_unstable();
        self.scratch.dedup();
        if let Some(t) = self.sets.get_mut(self.scratch.as_slice()) {
            t.add(conversions, nulls, value);
        } else {
            let mut t = Tally::default();
            t.add(conversions, nulls, value);
            self.sets.insert(self.scratch.as_slice().into(), t);
        }
    }

    /// Adds everything in `other`, whose key `k` is our key `remap[k]`.
    pub(crate) fn merge(&mut self, other: &ShapleyTallies, remap: &[u32]) {
        let mut keys = Vec::new();
        for (set, t) in &other.sets {
            keys.clear();
            keys.extend(
                set.iter()
                    .map(|&k| remap.get(k as usize).copied().unwrap_or(k)),
            );
            let (c, u, v) = (t.conversions, t.nulls, t.value);
            self.add(&keys, c, u, v);
        }
    }

    /// The tallies with keys renumbered by `perm`, sorted.
    pub(crate) fn canonical(&self, perm: &[u32]) -> ShapleyState {
        let mut sets: Vec<(Vec<u32>, u64, u64, Exact)> = self
            .sets
            .iter()
            .map(|(set, t)| {
                let mut s: Vec<u32> = set
                    .iter()
                    .map(|&k| perm.get(k as usize).copied().unwrap_or(k))
                    .collect();
                s.sort_unstable();
                (s, t.conversions, t.nulls, t.value)
            })
            .collect();
        sets.sort_unstable();
        ShapleyState { sets }
    }

    /// Rebuilds tallies from a canonical state, checking it.
    pub(crate) fn from_state(
        state: &ShapleyState,
        n_keys: usize,
        path: &str,
    ) -> Result<Self, AttributionError> {
        let mut t = ShapleyTallies::default();
        for (i, (set, c, u, v)) in state.sets.iter().enumerate() {
            let sorted = set.windows(2).all(|w| matches!(w, [a, b] if a < b));
            if set.is_empty()
                || !sorted
                || set.iter().any(|&k| k as usize >= n_keys)
                || v.units() < 0
            {
                return Err(AttributionError::InvalidState {
                    reason: "invalid channel set".into(),
                    path: format!("{path}.sets[{i}]"),
                });
            }
            t.add(set, *c, *u, *v);
        }
        Ok(t)
    }
}

/// Serialized Shapley tallies: `(sorted key ids, conversions, nulls, value)` per channel set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShapleyState {
    /// The tallies, sorted by set.
    pub sets: Vec<(Vec<u32>, u64, u64, Exact)>,
}

/// A standard error of a sampled Shapley credit.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct StandardError {
    /// The channel (or campaign).
    pub key: String,
    /// Standard error of the conversions credit.
    pub conversions: f64,
    /// Standard error of the value credit.
    pub value: f64,
}

/// How the Shapley values were computed.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ShapleyDetail {
    /// `conversions` or `conversion_rate`.
    pub game: ShapleyGame,
    /// `exact_closed_form`, `exact_enumeration` or `sampled`.
    pub method: &'static str,
    /// Channels that appear in at least one journey (the players).
    pub players: usize,
    /// Distinct channel sets observed.
    pub coalitions_observed: usize,
    /// v(all channels) for conversions and for value.
    pub grand_coalition: (f64, f64),
    /// Permutations drawn, when sampled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub samples: Option<u32>,
    /// Standard errors of the credits, when sampled, in key order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standard_errors: Option<Vec<StandardError>>,
}

/// The parameters of one Shapley run.
pub(crate) struct ShapleyParams {
    pub game: ShapleyGame,
    pub method: ShapleyMethod,
    pub samples: u32,
    pub seed: u64,
    /// Where `samples` is configured, for [`AttributionError::LimitExceeded`].
    pub path: String,
}

/// Computes Shapley credits `(conversions, value)` per key (`keys` sorted; state ids index it).
pub(crate) fn solve(
    state: &ShapleyState,
    keys: &[String],
    p: &ShapleyParams,
) -> Result<(ShapleyDetail, Vec<(f64, f64)>), AttributionError> {
    // Players: keys that appear in some set, numbered 0..n in key order.
    let mut player_of = vec![usize::MAX; keys.len()];
    for (set, ..) in &state.sets {
        for &k in set {
            if let Some(x) = player_of.get_mut(k as usize) {
                *x = 0;
            }
        }
    }
    let mut n = 0usize;
    for x in player_of.iter_mut() {
        if *x == 0 {
            *x = n;
            n += 1;
        }
    }
    let sets: Vec<(Vec<usize>, u64, u64, f64)> = state
        .sets
        .iter()
        .map(|(s, c, u, v)| {
            let players = s
                .iter()
                .map(|&k| player_of.get(k as usize).copied().unwrap_or(0))
                .collect();
            (players, *c, *u, v.to_f64())
        })
        .collect();
    let total_conv: u64 = sets.iter().map(|s| s.1).fold(0, u64::saturating_add);
    let total_journeys: u64 = sets
        .iter()
        .map(|s| s.1.saturating_add(s.2))
        .fold(0, u64::saturating_add);
    let total_value = state
        .sets
        .iter()
        .fold(Exact::ZERO, |a, s| a.checked_add(s.3).unwrap_or(a))
        .to_f64();
    let grand = match p.game {
        ShapleyGame::Conversions => (total_conv as f64, total_value),
        ShapleyGame::ConversionRate if total_journeys > 0 => (
            total_conv as f64 / total_journeys as f64,
            total_value / total_journeys as f64,
        ),
        ShapleyGame::ConversionRate => (0.0, 0.0),
    };
    let exact_possible = p.game == ShapleyGame::Conversions || n <= MAX_EXACT_SHAPLEY_CHANNELS;
    let sampled = match p.method {
        ShapleyMethod::Sampled => true,
        ShapleyMethod::Auto => !exact_possible,
        ShapleyMethod::Exact if exact_possible => false,
        ShapleyMethod::Exact => {
            return Err(AttributionError::TooManyChannels {
                channels: n,
                limit: MAX_EXACT_SHAPLEY_CHANNELS,
                what: "exact shapley over conversion rates".into(),
            });
        }
    };
    if sampled {
        let requested = work(&sets, n, p.samples);
        if requested > MAX_SHAPLEY_WORK {
            return Err(AttributionError::LimitExceeded(crate::error::Limit {
                what: "shapley_work",
                limit: MAX_SHAPLEY_WORK,
                requested,
                path: p.path.clone(),
            }));
        }
    }
    let (phi, se, method) = if sampled {
        let (phi, se) = sample(&sets, n, p);
        (phi, Some(se), "sampled")
    } else if p.game == ShapleyGame::Conversions {
        (closed_form(state, &player_of, n), None, "exact_closed_form")
    } else {
        (enumerate(&sets, n), None, "exact_enumeration")
    };
    // Scale values to credits: the rate game's values sum to the rate, credits to the totals.
    let scale = match p.game {
        ShapleyGame::Conversions => (1.0, 1.0),
        ShapleyGame::ConversionRate => (
            if grand.0 > 0.0 {
                total_conv as f64 / grand.0
            } else {
                0.0
            },
            if grand.1 > 0.0 {
                total_value / grand.1
            } else {
                0.0
            },
        ),
    };
    let per_key = |v: &[(f64, f64)]| -> Vec<(f64, f64)> {
        player_of
            .iter()
            .map(|&i| {
                v.get(i)
                    .map_or((0.0, 0.0), |&(c, val)| (c * scale.0, val * scale.1))
            })
            .collect()
    };
    let credits = per_key(&phi);
    let standard_errors = se.map(|se| {
        keys.iter()
            .zip(per_key(&se))
            .map(|(k, (c, v))| StandardError {
                key: k.clone(),
                conversions: c,
                value: v,
            })
            .collect()
    });
    let detail = ShapleyDetail {
        game: p.game,
        method,
        players: n,
        coalitions_observed: sets.len(),
        grand_coalition: grand,
        samples: sampled.then_some(p.samples),
        standard_errors,
    };
    Ok((detail, credits))
}

/// φᵢ = Σ_{T ∋ i} v(T) / |T|, summed exactly.
fn closed_form(state: &ShapleyState, player_of: &[usize], n: usize) -> Vec<(f64, f64)> {
    let mut acc = vec![(Exact::ZERO, Exact::ZERO); n];
    for (set, c, _, v) in &state.sets {
        let len = set.len() as f64;
        let share_c = Exact::from_f64(*c as f64 / len).unwrap_or(Exact::ZERO);
        let share_v = Exact::from_f64(v.to_f64() / len).unwrap_or(Exact::ZERO);
        for &k in set {
            let i = player_of.get(k as usize).copied().unwrap_or(usize::MAX);
            if let Some((a, b)) = acc.get_mut(i) {
                *a = a.checked_add(share_c).unwrap_or(*a);
                *b = b.checked_add(share_v).unwrap_or(*b);
            }
        }
    }
    acc.into_iter()
        .map(|(a, b)| (a.to_f64(), b.to_f64()))
        .collect()
}

fn rate(num: f64, journeys: u64) -> f64 {
    if journeys > 0 {
        num / journeys as f64
    } else {
        0.0
    }
}

/// Exact Shapley values of the rate game by enumerating all 2ⁿ coalitions (n ≤ 20).
fn enumerate(sets: &[(Vec<usize>, u64, u64, f64)], n: usize) -> Vec<(f64, f64)> {
    let size = 1usize << n;
    let mut conv = vec![0u64; size];
    let mut journeys = vec![0u64; size];
    let mut value = vec![Exact::ZERO; size];
    for (set, c, u, v) in sets {
        let mask = set.iter().fold(0usize, |m, &i| m | (1 << i));
        if let (Some(a), Some(b), Some(x)) = (
            conv.get_mut(mask),
            journeys.get_mut(mask),
            value.get_mut(mask),
        ) {
            *a = a.saturating_add(*c);
            *b = b.saturating_add(c.saturating_add(*u));
            *x = x
                .checked_add(Exact::from_f64(*v).unwrap_or(Exact::ZERO))
                .unwrap_or(*x);
        }
    }
    // Sum over subsets (zeta transform).
    for bit in 0..n {
        let b = 1usize << bit;
        for mask in 0..size {
            if mask & b != 0 {
                let lo = mask ^ b;
                let (c, j, v) = (
                    conv.get(lo).copied().unwrap_or(0),
                    journeys.get(lo).copied().unwrap_or(0),
                    value.get(lo).copied().unwrap_or(Exact::ZERO),
                );
                if let (Some(a), Some(bb), Some(x)) = (
                    conv.get_mut(mask),
                    journeys.get_mut(mask),
                    value.get_mut(mask),
                ) {
                    *a = a.saturating_add(c);
                    *bb = bb.saturating_add(j);
                    *x = x.checked_add(v).unwrap_or(*x);
                }
            }
        }
    }
    let vc: Vec<f64> = conv
        .iter()
        .zip(&journeys)
        .map(|(&c, &j)| rate(c as f64, j))
        .collect();
    let vv: Vec<f64> = value
        .iter()
        .zip(&journeys)
        .map(|(v, &j)| rate(v.to_f64(), j))
        .collect();
    drop((conv, journeys, value));
    // w(s) = s! (n - s - 1)! / n! = 1 / (n · C(n-1, s)).
    let mut weights = Vec::with_capacity(n);
    let mut binom = 1.0f64;
    for s in 0..n {
        weights.push(1.0 / (n as f64 * binom));
        binom = binom * (n - 1 - s) as f64 / (s + 1) as f64;
    }
    let mut phi = vec![(0.0, 0.0); n];
    for mask in 0..size {
        let w = weights
            .get(mask.count_ones() as usize)
            .copied()
            .unwrap_or(0.0);
        let (c0, v0) = (
            vc.get(mask).copied().unwrap_or(0.0),
            vv.get(mask).copied().unwrap_or(0.0),
        );
        for (i, p) in phi.iter_mut().enumerate() {
            let b = 1usize << i;
            if mask & b == 0 {
                p.0 += w * (vc.get(mask | b).copied().unwrap_or(0.0) - c0);
                p.1 += w * (vv.get(mask | b).copied().unwrap_or(0.0) - v0);
            }
        }
    }
    phi
}

/// The work of [`sample`]: each permutation visits every player and every membership of a
/// player in an observed channel set, so `samples × (players + Σ set sizes)`.
fn work(sets: &[(Vec<usize>, u64, u64, f64)], n: usize, samples: u32) -> u64 {
    let memberships = sets
        .iter()
        .map(|s| s.0.len() as u64)
        .fold(0, u64::saturating_add);
    u64::from(samples).saturating_mul(memberships.saturating_add(n as u64))
}

/// Seeded permutation sampling: the mean marginal contribution of each player over `samples`
/// random orders, and its standard error.
fn sample(
    sets: &[(Vec<usize>, u64, u64, f64)],
    n: usize,
    p: &ShapleyParams,
) -> (Vec<Pair>, Vec<Pair>) {
    let mut incidence: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (s, (set, ..)) in sets.iter().enumerate() {
        for &i in set {
            if let Some(v) = incidence.get_mut(i) {
                v.push(s);
            }
        }
    }
    let lens: Vec<usize> = sets.iter().map(|s| s.0.len()).collect();
    let mut remaining = lens.clone();
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = SplitMix64::new(p.seed);
    let mut sum = vec![(0.0f64, 0.0f64); n];
    let mut sumsq = vec![(0.0f64, 0.0f64); n];
    let value_of = |c: u64, j: u64, v: f64| -> (f64, f64) {
        match p.game {
            ShapleyGame::Conversions => (c as f64, v),
            ShapleyGame::ConversionRate => (rate(c as f64, j), rate(v, j)),
        }
    };
    for _ in 0..p.samples {
        rng.shuffle(&mut order);
        remaining.copy_from_slice(&lens);
        let (mut c, mut j, mut v) = (0u64, 0u64, 0.0f64);
        let mut before = (0.0, 0.0);
        for &player in &order {
            for &s in incidence.get(player).map(Vec::as_slice).unwrap_or(&[]) {
                if let Some(r) = remaining.get_mut(s) {
                    *r -= 1;
                    if *r == 0
                        && let Some((_, sc, su, sv)) = sets.get(s)
                    {
                        c = c.saturating_add(*sc);
                        j = j.saturating_add(sc.saturating_add(*su));
                        v += sv;
                    }
                }
            }
            let after = value_of(c, j, v);
            let m = (after.0 - before.0, after.1 - before.1);
            if let (Some(s), Some(q)) = (sum.get_mut(player), sumsq.get_mut(player)) {
                s.0 += m.0;
                s.1 += m.1;
                q.0 += m.0 * m.0;
                q.1 += m.1 * m.1;
            }
            before = after;
        }
    }
    let m = f64::from(p.samples);
    let se = |s: f64, q: f64| {
        if p.samples > 1 {
            ((q - s * s / m).max(0.0) / (m - 1.0) / m).sqrt()
        } else {
            0.0
        }
    };
    let phi = sum.iter().map(|&(a, b)| (a / m, b / m)).collect();
    let errors = sum
        .iter()
        .zip(&sumsq)
        .map(|(&(a, b), &(qa, qb))| (se(a, qa), se(b, qb)))
        .collect();
    (phi, errors)
}
