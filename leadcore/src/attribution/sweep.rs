//! Gauss–Seidel sweeps that solve the absorption probabilities of a Markov chain to a certified
//! 1e-13, for chains whose sparse LU would be too much work (order 3 over a dozen channels or
//! more).
//!
//! The system is `x = Q x + b` with `Q ≥ 0` and every state able to reach absorption. A sweep
//! sets `x_s ← (b_s + Σ_{j≠s} Q_sj x_j) / (1 − Q_ss)` in turn. States are swept in the
//! post-order of a depth-first walk from `(start)` (successors before the states that lead to
//! them), so a chain without cycles is solved in one sweep and a chain of mostly forward steps
//! in a few. Two ways to know when to stop:
//!
//! - **Settling** ([`Sweeps::settle`]), when the expected visits of every state are bounded
//!   (always, for counts of whole walks). A sweep updates state i from the new values of the
//!   states before it and the old values of those after it, so the residual it leaves at i is
//!   `Σ_{j > i} Q_ij Δ_j` (`Δ_j` the change at j), and the error at `(start)` is the residual
//!   weighted by the expected visits, at most `Σ_j |Δ_j| Σ_{i < j} visits_i Q_ij`. Any start
//!   works, so the chain without a channel starts from the chain's solution, and between sweeps
//!   a secant step (Anderson acceleration of memory one) mixes the last two outputs.
//! - **Bracketing** ([`Sweeps::solve`]), for any other chain. Sweeping from a sub-solution
//!   (`0`) only raises `x`, and from a super-solution (`1` for probabilities; the largest value
//!   per conversion for values; any earlier upper iterate when states are removed) only lowers
//!   it, and both converge to the solution: the two iterates bracket it, and their midpoint is
//!   the answer once they agree.
//!
//! Either stops at [`TOLERANCE`] of the solution at `(start)`. Sequential and in a fixed
//! order: the result is the same bit for bit everywhere.

/// Relative error bound at `(start)` at which the sweeps stop.
pub(crate) const TOLERANCE: f64 = 1e-13;

/// The transient part of a chain, reordered for sweeping.
pub(crate) struct Sweeps {
    /// Chain state at each position (successors before predecessors).
    states: Vec<usize>,
    /// Position of each chain state (`u32::MAX`: `(start)` or unreachable).
    pos: Vec<u32>,
    /// Where each position's row starts in `cols` / `probs` (`positions + 1` entries).
    starts: Vec<usize>,
    /// Positions of the successors.
    cols: Vec<u32>,
    /// Their transition probabilities.
    probs: Vec<f64>,
    /// `1 / (1 − Q_ss)` per position.
    scale: Vec<f64>,
    /// `(start)`'s row as `(position, probability)`.
    start_row: Vec<(usize, f64)>,
    /// What a change at each position during a sweep can weigh in the error at `(start)`
    /// after it (see [`Sweeps::settle`]); `None` without a bound on the expected visits.
    weights: Option<Vec<f64>>,
}

/// The solutions at `(start)` of the conversion and the value system.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct AtStart {
    pub(crate) conv: f64,
    pub(crate) value: f64,
}

/// Upper iterates per position of both systems, reusable as super-solutions of the chain with
/// states removed.
pub(crate) type Ceilings = [Vec<f64>; 2];

/// What the chain's systems with states removed start from: the chain's solution per position
/// (settling), or its upper iterates (bracketing).
pub(crate) enum Warm {
    /// The chain's solution per position (conversion, value).
    Solution(Vec<[f64; 2]>),
    /// The chain's final upper iterates.
    Ceilings(Ceilings),
}

impl Sweeps {
    /// Orders the states reachable from `(start)` (state 0) of `rows` (`(to, probability)` per
    /// state; transitions into `(start)` are ignored, it is never entered).
    ///
    /// `visits`, when given, bounds each state's expected visits per journey from above; it
    /// makes [`Sweeps::settle`] available.
    pub(crate) fn new(rows: &[Vec<(usize, f64)>], visits: Option<&[f64]>) -> Sweeps {
        let n = rows.len();
        let mut pos = vec![u32::MAX; n];
        let mut states = Vec::new();
        // Iterative depth-first walk: (state, next edge to look at).
        let mut seen = vec![false; n];
        let mut stack: Vec<(usize, usize)> = Vec::new();
        if let Some(s) = seen.first_mut() {
            *s = true;
            stack.push((0, 0));
        }
        while let Some(top) = stack.last_mut() {
            let (s, e) = *top;
            let row = rows.get(s).map(Vec::as_slice).unwrap_or(&[]);
            if let Some(&(t, _)) = row.get(e) {
                top.1 += 1;
                if let Some(v) = seen.get_mut(t)
                    && !*v
                {
                    *v = true;
                    stack.push((t, 0));
                }
                continue;
            }
            stack.pop();
            if s != 0
                && let Some(p) = pos.get_mut(s)
            {
                *p = states.len() as u32;
                states.push(s);
            }
        }
        let mut starts = Vec::with_capacity(states.len() + 1);
        let (mut cols, mut probs, mut scale) = (Vec::new(), Vec::new(), Vec::new());
        starts.push(0);
        for &s in &states {
            let mut stay = 0.0;
            for &(t, p) in rows.get(s).map(Vec::as_slice).unwrap_or(&[]) {
                match pos.get(t).copied() {
                    _ if t == s => stay += p,
                    Some(q) if q != u32::MAX => {
                        cols.push(q);
                        probs.push(p);
                    }
                    _ => {}
                }
            }
            scale.push(if stay < 1.0 { 1.0 / (1.0 - stay) } else { 0.0 });
            starts.push(cols.len());
        }
        let start_row = rows
            .first()
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .filter_map(|&(t, p)| {
                let q = pos.get(t).copied()?;
                (q != u32::MAX).then_some((q as usize, p))
            })
            .collect();
        // A sweep updates position i from the new values of the positions before it and the
        // old values of those after it, so the residual it leaves at i is
        // `scale_i Σ_{j > i} Q_ij Δ_j`, and the error at `(start)` is at most the residual
        // weighted by the expected visits: `Σ_j Δ_j Σ_{i < j} visits_i scale_i Q_ij`.
        let weights = visits.map(|visits| {
            let mut weights = vec![0.0; states.len()];
            for (i, (&s, row)) in states.iter().zip(starts.windows(2)).enumerate() {
                let v =
                    visits.get(s).copied().unwrap_or(0.0) * scale.get(i).copied().unwrap_or(0.0);
                let (from, to) = (
                    row.first().copied().unwrap_or(0),
                    row.last().copied().unwrap_or(0),
                );
                let edges = cols
                    .get(from..to)
                    .unwrap_or(&[])
                    .iter()
                    .zip(probs.get(from..to).unwrap_or(&[]));
                for (&q, &p) in edges {
                    if q as usize > i
                        && let Some(w) = weights.get_mut(q as usize)
                    {
                        *w += v * p;
                    }
                }
            }
            weights
        });
        Sweeps {
            states,
            pos,
            starts,
            cols,
            probs,
            scale,
            start_row,
            weights,
        }
    }

    /// Positions (transient states reachable from `(start)`).
    pub(crate) fn len(&self) -> usize {
        self.states.len()
    }

    /// The positions of chain states `dead`, as a mask.
    pub(crate) fn mask(&self, dead: &[usize]) -> Vec<bool> {
        let mut mask = vec![false; self.len()];
        for &s in dead {
            if let Some(m) = self.pos.get(s).and_then(|&q| mask.get_mut(q as usize)) {
                *m = true;
            }
        }
        mask
    }

    /// Whether [`Sweeps::settle`] can certify its result (the visits are bounded).
    pub(crate) fn certifies(&self) -> bool {
        self.weights.is_some()
    }

    /// Floating-point operations of one step of whichever of [`Sweeps::settle`] and
    /// [`Sweeps::solve`] this chain takes.
    pub(crate) fn step_work(&self) -> u64 {
        if self.certifies() {
            self.settle_work()
        } else {
            self.sweep_work()
        }
    }

    /// Solves the chain (settled when it [certifies](Sweeps::certifies), else bracketed
    /// from its [ceilings](Sweeps::ceilings)); returns the solution at `(start)` and what
    /// [`Sweeps::without`] starts from. `None` when `budget` runs out.
    pub(crate) fn chain(&self, b: &[f64], r: &[f64], budget: &mut u64) -> Option<(AtStart, Warm)> {
        let no_dead = vec![false; self.len()];
        if self.certifies() {
            let (at, x) = self.settle(b, r, &no_dead, Vec::new(), [0.0; 2], budget)?;
            Some((at, Warm::Solution(x)))
        } else {
            let ceilings = self.ceilings(b, r);
            let (at, top) = self.solve(b, r, &no_dead, ceilings, [0.0; 2], budget)?;
            Some((at, Warm::Ceilings(top)))
        }
    }

    /// Solves the chain without the positions in `dead`, from `warm` (see [`Sweeps::chain`]),
    /// to [`TOLERANCE`] of the larger of its solution and `floors` (the chain's). `None` when
    /// `budget` runs out.
    pub(crate) fn without(
        &self,
        b: &[f64],
        r: &[f64],
        dead: &[bool],
        warm: &Warm,
        floors: [f64; 2],
        budget: &mut u64,
    ) -> Option<AtStart> {
        match warm {
            Warm::Solution(x) => Some(self.settle(b, r, dead, x.clone(), floors, budget)?.0),
            Warm::Ceilings(top) => Some(self.solve(b, r, dead, top.clone(), floors, budget)?.0),
        }
    }

    /// Floating-point operations of one step of [`Sweeps::settle`]: a sweep of both systems
    /// with its error bound, and the mix.
    pub(crate) fn settle_work(&self) -> u64 {
        4 * self.cols.len() as u64 + 20 * self.states.len() as u64
    }

    /// Solves both systems (`b`, `r`: rewards per chain state, `(start)` included) with the
    /// positions in `dead` held at zero, starting from `x` (per position, conversion and value;
    /// dead positions are zeroed here, missing ones start at zero). Each step is a sweep that
    /// bounds the error its output leaves at `(start)` (see the module docs), then a secant
    /// mix of its output with the previous one's. Stops when the bound is within
    /// [`TOLERANCE`] of the larger of the solution and `floors`. Spends at most `budget`
    /// operations (decremented); `None` when it runs out first, or without a bound on the
    /// visits. Returns the solution at `(start)` and per position.
    pub(crate) fn settle(
        &self,
        b: &[f64],
        r: &[f64],
        dead: &[bool],
        mut x: Vec<[f64; 2]>,
        floors: [f64; 2],
        budget: &mut u64,
    ) -> Option<(AtStart, Vec<[f64; 2]>)> {
        let weights = self.weights.as_deref()?;
        let n = self.len();
        x.resize(n, [0.0; 2]);
        let alive = |i: usize| !dead.get(i).copied().unwrap_or(false);
        let reward: Vec<[f64; 2]> = self
            .states
            .iter()
            .enumerate()
            .map(|(i, &s)| {
                let at = |v: &[f64]| {
                    if alive(i) {
                        v.get(s).copied().unwrap_or(0.0)
                    } else {
                        0.0
                    }
                };
                [at(b), at(r)]
            })
            .collect();
        for (i, v) in x.iter_mut().enumerate() {
            if !alive(i) {
                *v = [0.0; 2];
            }
        }
        let base = [
            b.first().copied().unwrap_or(0.0),
            r.first().copied().unwrap_or(0.0),
        ];
        // The previous sweep's change and output per position.
        let (mut change, mut output) = (vec![[0.0; 2]; n], vec![[0.0; 2]; n]);
        let mut first = true;
        loop {
            *budget = budget.checked_sub(self.settle_work())?;
            // The error bound; and, over the change f and its difference Δf from the previous
            // sweep's, Δf·f and Δf·Δf.
            let (mut bound, mut df_f, mut df_df) = ([0.0f64; 2], [0.0f64; 2], [0.0f64; 2]);
            for (i, row) in self.starts.windows(2).enumerate() {
                if !alive(i) {
                    continue;
                }
                let (from, to) = (row.first().copied()?, row.last().copied()?);
                let (cols, probs) = (self.cols.get(from..to)?, self.probs.get(from..to)?);
                let k = self.scale.get(i).copied().unwrap_or(0.0);
                let mut acc = reward.get(i).copied().unwrap_or([0.0; 2]);
                for (&q, &p) in cols.iter().zip(probs) {
                    let v = x.get(q as usize).copied().unwrap_or([0.0; 2]);
                    acc[0] += p * v[0];
                    acc[1] += p * v[1];
                }
                let w = weights.get(i).copied().unwrap_or(0.0);
                if let (Some(xi), Some(last)) = (x.get_mut(i), change.get_mut(i)) {
                    let new = [acc[0] * k, acc[1] * k];
                    let f = [new[0] - xi[0], new[1] - xi[1]];
                    let df = [f[0] - last[0], f[1] - last[1]];
                    bound = [bound[0] + w * f[0].abs(), bound[1] + w * f[1].abs()];
                    df_f = [df_f[0] + df[0] * f[0], df_f[1] + df[1] * f[1]];
                    df_df = [df_df[0] + df[0] * df[0], df_df[1] + df[1] * df[1]];
                    *last = f;
                    *xi = new;
                }
            }
            let at_start = |j: usize, base: f64| {
                self.start_row.iter().fold(base, |s, &(q, p)| {
                    s + p * x.get(q).and_then(|v| v.get(j)).copied().unwrap_or(0.0)
                })
            };
            let at = AtStart {
                conv: at_start(0, base[0]),
                value: at_start(1, base[1]),
            };
            let closed = |bound: f64, v: f64, floor: f64| bound <= TOLERANCE * v.abs().max(floor);
            if closed(bound[0], at.conv, floors[0]) && closed(bound[1], at.value, floors[1]) {
                return Some((at, x));
            }
            // A secant step (Anderson acceleration of memory one): the next input is
            // g − γ (g − g_prev), with γ minimising ‖f − γ Δf‖.
            let gamma = [0, 1].map(|j| {
                let g = df_f.get(j).copied().unwrap_or(0.0) / df_df.get(j).copied().unwrap_or(0.0);
                if first || !g.is_finite() { 0.0 } else { g }
            });
            for (xi, prev) in x.iter_mut().zip(output.iter_mut()) {
                let g = *xi;
                *xi = [
                    g[0] - gamma[0] * (g[0] - prev[0]),
                    g[1] - gamma[1] * (g[1] - prev[1]),
                ];
                *prev = g;
            }
            first = false;
        }
    }

    /// Floating-point operations of one sweep over both systems' two iterates.
    pub(crate) fn sweep_work(&self) -> u64 {
        8 * self.cols.len() as u64 + 8 * self.states.len() as u64
    }

    /// Super-solutions to start from: `1` for conversion probabilities (`0` when no state
    /// converts: the solution is then exactly zero), the largest value per conversion of any
    /// state for values (rewards per chain state).
    pub(crate) fn ceilings(&self, b: &[f64], r: &[f64]) -> Ceilings {
        let top = b
            .iter()
            .zip(r)
            .filter(|(b, _)| **b > 0.0)
            .map(|(b, r)| r / b)
            .fold(0.0, f64::max);
        let converts = if b.iter().any(|&b| b > 0.0) { 1.0 } else { 0.0 };
        [vec![converts; self.len()], vec![top; self.len()]]
    }

    /// Solves both systems (`b`, `r`: rewards per chain state, `(start)` included) with the
    /// positions in `dead` held at zero, from zero and from `ceilings` (which must be
    /// super-solutions; dead positions are zeroed here). The bracket closes at [`TOLERANCE`]
    /// of the larger of its top and `floors` (conversion, value): a removal's solution is
    /// wanted relative to the chain's, and may be zero. Spends at most `budget` operations
    /// (decremented); `None` when it runs out before the bracket closes. Returns the midpoint at
    /// `(start)` and the final upper iterates.
    pub(crate) fn solve(
        &self,
        b: &[f64],
        r: &[f64],
        dead: &[bool],
        mut ceilings: Ceilings,
        floors: [f64; 2],
        budget: &mut u64,
    ) -> Option<(AtStart, Ceilings)> {
        let n = self.len();
        let reward = |v: &[f64]| -> Vec<f64> {
            self.states
                .iter()
                .zip(dead.iter().chain(std::iter::repeat(&false)))
                .map(|(&s, &d)| {
                    if d {
                        0.0
                    } else {
                        v.get(s).copied().unwrap_or(0.0)
                    }
                })
                .collect()
        };
        let (rb, rr) = (reward(b), reward(r));
        let [hi_c, hi_v] = std::mem::take(&mut ceilings);
        // Both systems' two iterates side by side, `[lo_c, hi_c, lo_v, hi_v]` per position: a
        // successor is one load. Dead positions stay at zero.
        let mut x: Vec<[f64; 4]> = (0..n)
            .map(|i| {
                if dead.get(i).copied().unwrap_or(false) {
                    return [0.0; 4];
                }
                let hi = |v: &[f64]| v.get(i).copied().unwrap_or(0.0);
                [0.0, hi(&hi_c), 0.0, hi(&hi_v)]
            })
            .collect();
        let (b0, r0) = (
            b.first().copied().unwrap_or(0.0),
            r.first().copied().unwrap_or(0.0),
        );
        let at_start = |x: &[[f64; 4]], j: usize, base: f64| {
            self.start_row.iter().fold(base, |s, &(q, p)| {
                s + p * x.get(q).and_then(|v| v.get(j)).copied().unwrap_or(0.0)
            })
        };
        loop {
            *budget = budget.checked_sub(self.sweep_work())?;
            let mut moved = false;
            for (i, row) in self.starts.windows(2).enumerate() {
                if dead.get(i).copied().unwrap_or(false) {
                    continue;
                }
                let (from, to) = (row.first().copied()?, row.last().copied()?);
                let (cols, probs) = (self.cols.get(from..to)?, self.probs.get(from..to)?);
                let k = self.scale.get(i).copied().unwrap_or(0.0);
                let (fb, fr) = (
                    rb.get(i).copied().unwrap_or(0.0),
                    rr.get(i).copied().unwrap_or(0.0),
                );
                let mut acc = [fb, fb, fr, fr];
                for (&q, &p) in cols.iter().zip(probs) {
                    let v = x.get(q as usize).copied().unwrap_or([0.0; 4]);
                    for (a, v) in acc.iter_mut().zip(v) {
                        *a += p * v;
                    }
                }
                let new = acc.map(|a| a * k);
                if let Some(xi) = x.get_mut(i) {
                    moved |= new != *xi;
                    *xi = new;
                }
            }
            let (lc, hc) = (at_start(&x, 0, b0), at_start(&x, 1, b0));
            let (lv, hv) = (at_start(&x, 2, r0), at_start(&x, 3, r0));
            let closed = |lo: f64, hi: f64, floor: f64| hi - lo <= TOLERANCE * hi.abs().max(floor);
            if !moved || closed(lc, hc, floors[0]) && closed(lv, hv, floors[1]) {
                let mid = |lo: f64, hi: f64| lo + (hi - lo) / 2.0;
                let at = AtStart {
                    conv: mid(lc, hc),
                    value: mid(lv, hv),
                };
                let tops = [
                    x.iter().map(|v| v[1]).collect(),
                    x.iter().map(|v| v[3]).collect(),
                ];
                return Some((at, tops));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cold solve (ceilings from `b` and `r`, floors at zero) with `dead` states removed.
    fn solve(
        sweeps: &Sweeps,
        b: &[f64],
        r: &[f64],
        dead: &[bool],
        budget: &mut u64,
    ) -> Option<(AtStart, Ceilings)> {
        sweeps.solve(b, r, dead, sweeps.ceilings(b, r), [0.0; 2], budget)
    }

    #[test]
    fn a_chain_without_cycles_is_solved_in_one_sweep() {
        // start → 1 → 2 → conversion (½), start → 2.
        let rows = vec![vec![(1, 0.5), (2, 0.5)], vec![(2, 1.0)], vec![]];
        let b = [0.0, 0.0, 0.5];
        let r = [0.0, 0.0, 5.0];
        let sweeps = Sweeps::new(&rows, None);
        assert_eq!(sweeps.states, [2, 1]);
        let mut budget = sweeps.sweep_work() * 2;
        let (at, _) = solve(&sweeps, &b, &r, &[false; 2], &mut budget).unwrap();
        assert_eq!(
            at,
            AtStart {
                conv: 0.5,
                value: 5.0
            }
        );
        // One sweep closed the bracket.
        assert_eq!(budget, sweeps.sweep_work());
    }

    #[test]
    fn a_cycle_is_bracketed_to_the_tolerance() {
        // 1 ⇄ 2 with probability 0.9 each way; each ends in conversion with 0.05.
        let rows = vec![vec![(1, 1.0)], vec![(2, 0.9)], vec![(1, 0.9)]];
        let b = [0.0, 0.05, 0.05];
        let r = [0.0, 0.1, 0.1];
        let sweeps = Sweeps::new(&rows, None);
        let mut budget = u64::MAX;
        let (at, _) = solve(&sweeps, &b, &r, &[false; 2], &mut budget).unwrap();
        // x = 0.05 / (1 − 0.9) = 0.5 on both states.
        assert!((at.conv - 0.5).abs() <= 1e-13, "{at:?}");
        assert!((at.value - 1.0).abs() <= 1e-13, "{at:?}");
        // A dead state cuts the cycle: x₁ = 0.05.
        let dead = sweeps.mask(&[2]);
        let (at, _) = solve(&sweeps, &b, &r, &dead, &mut budget).unwrap();
        assert!((at.conv - 0.05).abs() <= 1e-15, "{at:?}");
        // Too small a budget is an answer, not a loop.
        let mut budget = sweeps.sweep_work() * 3;
        assert!(solve(&sweeps, &b, &r, &[false; 2], &mut budget).is_none());
    }

    #[test]
    fn a_chain_that_never_converts_is_zero_at_once() {
        // No state converts: the upper iterate starts at zero too, so the bracket is closed
        // after one sweep (from one, it would only reach zero by underflow, thousands of
        // sweeps later, and a denormal midpoint would read as a conversion probability).
        let rows = vec![vec![(1, 1.0)], vec![(2, 0.9)], vec![(1, 0.9)]];
        let (b, r) = ([0.0; 3], [0.0; 3]);
        let sweeps = Sweeps::new(&rows, None);
        let mut budget = u64::MAX;
        let (at, _) = solve(&sweeps, &b, &r, &[false; 2], &mut budget).unwrap();
        assert_eq!((at.conv, at.value), (0.0, 0.0));
        assert_eq!(u64::MAX - budget, sweeps.sweep_work());
    }

    #[test]
    fn settling_bounds_the_error_from_any_start() {
        // 1 ⇄ 2 with probability 0.9 each way; each ends in conversion with 0.05. Expected
        // visits per journey: 1 / (1 − 0.81) to state 1, 0.9 of that to state 2.
        let rows = vec![vec![(1, 1.0)], vec![(2, 0.9)], vec![(1, 0.9)]];
        let (b, r) = ([0.0, 0.05, 0.05], [0.0, 0.1, 0.1]);
        let w1 = 1.0 / (1.0 - 0.81);
        let sweeps = Sweeps::new(&rows, Some(&[1.0, w1, 0.9 * w1]));
        assert!(sweeps.certifies());
        let no_dead = [false; 2];
        // From zero, and from a start far off on both sides: x = 0.5 and value 1.0.
        for start in [vec![], vec![[7.0, -3.0], [-1.0, 40.0]]] {
            let mut budget = u64::MAX;
            let (at, x) = sweeps
                .settle(&b, &r, &no_dead, start, [0.0; 2], &mut budget)
                .unwrap();
            assert!((at.conv - 0.5).abs() <= TOLERANCE * 0.5, "{at:?}");
            assert!((at.value - 1.0).abs() <= TOLERANCE, "{at:?}");
            assert_eq!(x.len(), 2);
        }
        // A dead state cuts the cycle: 0.05, from the chain's solution as the start.
        let mut budget = u64::MAX;
        let (_, x) = sweeps
            .settle(&b, &r, &no_dead, vec![], [0.0; 2], &mut budget)
            .unwrap();
        let dead = sweeps.mask(&[2]);
        let (at, _) = sweeps
            .settle(&b, &r, &dead, x, [0.5, 1.0], &mut budget)
            .unwrap();
        assert!((at.conv - 0.05).abs() <= TOLERANCE * 0.5, "{at:?}");
        // Too small a budget is an answer, not a loop; no visits, no settling.
        let mut budget = sweeps.settle_work() * 2;
        assert!(
            sweeps
                .settle(&b, &r, &no_dead, vec![], [0.0; 2], &mut budget)
                .is_none()
        );
        let unbounded = Sweeps::new(&rows, None);
        assert!(!unbounded.certifies());
        let mut budget = u64::MAX;
        assert!(
            unbounded
                .settle(&b, &r, &no_dead, vec![], [0.0; 2], &mut budget)
                .is_none()
        );
    }
}
