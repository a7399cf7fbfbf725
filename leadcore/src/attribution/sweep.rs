//! Gauss–Seidel sweeps that bracket the absorption probabilities of a Markov chain, for chains
//! whose sparse LU would be too much work (order 3 over a dozen channels or more).
//!
//! The system is `x = Q x + b` with `Q ≥ 0` and every state able to reach absorption. Sweeping
//! `x_s ← (b_s + Σ_{j≠s} Q_sj x_j) / (1 − Q_ss)` from a sub-solution (`0`) only raises `x`, and
//! from a super-solution (`1` for probabilities; the largest value per conversion for values;
//! any earlier upper iterate when states are removed) only lowers it, and both converge to the
//! solution. So the two iterates are a certified bracket: the sweeps stop when they agree at
//! `(start)` to [`TOLERANCE`] (relative), and the answer is their midpoint. States are swept in
//! the post-order of a depth-first walk from `(start)` (successors before the states that lead
//! to them), so a chain without cycles is solved in one sweep and a chain of mostly forward
//! steps in a few. Sequential and in a fixed order: the result is the same bit for bit
//! everywhere.

/// Relative width of the bracket at `(start)` at which the sweeps stop.
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

impl Sweeps {
    /// Orders the states reachable from `(start)` (state 0) of `rows` (`(to, probability)` per
    /// state; transitions into `(start)` are ignored, it is never entered).
    pub(crate) fn new(rows: &[Vec<(usize, f64)>]) -> Sweeps {
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
        Sweeps {
            states,
            pos,
            starts,
            cols,
            probs,
            scale,
            start_row,
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
        let sweeps = Sweeps::new(&rows);
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
        let sweeps = Sweeps::new(&rows);
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
        let sweeps = Sweeps::new(&rows);
        let mut budget = u64::MAX;
        let (at, _) = solve(&sweeps, &b, &r, &[false; 2], &mut budget).unwrap();
        assert_eq!((at.conv, at.value), (0.0, 0.0));
        assert_eq!(u64::MAX - budget, sweeps.sweep_work());
    }
}
