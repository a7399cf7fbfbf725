//! Sparse LU of `I − Q` for the Markov chains, with faer, single-threaded.
//!
//! `Par::Seq` everywhere: no reduction depends on a thread count, so results are identical bit
//! for bit on every machine and run. A factorization also states an upper bound on its work
//! (George–Ng: the structure of the Cholesky factor of `AᵀA` under the same column order
//! contains the L and U of any row pivoting), so a caller can refuse a chain before solving it.

use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::lu::partial_pivoting::factor::PartialPivLuParams;
use faer::sparse::linalg::lu::{LuRef, NumericLu, SymbolicLu, factorize_symbolic_lu};
use faer::sparse::linalg::qr::{col_etree, col_etree_scratch, column_counts_ata, postorder};
use faer::sparse::linalg::qr::{column_counts_aat_scratch, postorder_scratch};
use faer::sparse::{SparseColMat, Triplet};
use faer::{Conj, MatMut, Par, Spec};

/// A square sparse matrix factored as `P A Q = L U`, ready to solve.
pub(crate) struct Factor {
    symbolic: SymbolicLu<usize>,
    numeric: NumericLu<usize, f64>,
}

/// The pattern of a matrix and its fill-reducing analysis, reusable for any values on it.
pub(crate) struct Pattern {
    n: usize,
    symbolic: SymbolicLu<usize>,
    /// Upper bound on the flops of one numeric factorization.
    pub(crate) factor_flops: f64,
    /// Upper bound on the nonzeros of L and U, i.e. the flops of one solve per column.
    pub(crate) factor_nnz: f64,
}

/// Builds the `n × n` matrix of `(row, col, value)` entries (duplicates are summed).
pub(crate) fn matrix(
    n: usize,
    entries: &[(usize, usize, f64)],
) -> Option<SparseColMat<usize, f64>> {
    let triplets: Vec<Triplet<usize, usize, f64>> = entries
        .iter()
        .map(|&(r, c, v)| Triplet::new(r, c, v))
        .collect();
    SparseColMat::try_new_from_triplets(n, n, &triplets).ok()
}

impl Pattern {
    /// Orders the columns of `a` and bounds the work of factoring it.
    pub(crate) fn analyse(a: &SparseColMat<usize, f64>) -> Option<Pattern> {
        let n = a.ncols();
        let symbolic = factorize_symbolic_lu(a.symbolic(), Default::default()).ok()?;
        let (factor_flops, factor_nnz) = bound(a, &symbolic)?;
        Some(Pattern {
            n,
            symbolic,
            factor_flops,
            factor_nnz,
        })
    }

    /// Factors `a`, which has this pattern (explicit zeros allowed).
    pub(crate) fn factor(&self, a: &SparseColMat<usize, f64>) -> Option<Factor> {
        let params: Spec<PartialPivLuParams, f64> = Default::default();
        let mut mem = MemBuffer::try_new(
            self.symbolic
                .factorize_numeric_lu_scratch::<f64>(Par::Seq, params),
        )
        .ok()?;
        let mut numeric = NumericLu::new();
        self.symbolic
            .factorize_numeric_lu(
                &mut numeric,
                a.as_ref(),
                Par::Seq,
                MemStack::new(&mut mem),
                params,
            )
            .ok()?;
        Some(Factor {
            symbolic: self.symbolic.clone(),
            numeric,
        })
    }

    /// The order of the matrix.
    pub(crate) fn n(&self) -> usize {
        self.n
    }
}

impl Factor {
    /// Solves `A X = B` (or `Aᵀ X = B` when `transpose`) in place; `b` holds the `cols`
    /// columns of B one after another. `None` when the sizes do not fit or memory is short.
    pub(crate) fn solve(&self, b: &mut [f64], cols: usize, transpose: bool) -> Option<()> {
        let n = self.symbolic.nrows();
        if cols == 0 || b.len() != n.checked_mul(cols)? {
            return None;
        }
        let mut b = MatMut::from_column_major_slice_mut(b, n, cols);
        let req = self.symbolic.solve_in_place_scratch::<f64>(cols, Par::Seq);
        let mut mem = MemBuffer::try_new(req).ok()?;
        let lu = LuRef::new_unchecked(&self.symbolic, &self.numeric);
        let stack = MemStack::new(&mut mem);
        if transpose {
            lu.solve_transpose_in_place_with_conj(Conj::No, b.as_mut(), Par::Seq, stack);
        } else {
            lu.solve_in_place_with_conj(Conj::No, b.as_mut(), Par::Seq, stack);
        }
        Some(())
    }
}

/// `(flops, nonzeros)` upper bounds of an LU of `a` under `symbolic`'s column order, computed
/// as faer computes them to choose its method: Householder and R column counts of `AᵀA`.
fn bound(a: &SparseColMat<usize, f64>, symbolic: &SymbolicLu<usize>) -> Option<(f64, f64)> {
    let n = a.ncols();
    let at = a.to_row_major().ok()?;
    // The transpose's CSC is the CSR of `a`.
    let at = at.as_ref().transpose();
    let perm = symbolic.col_perm();
    let req = faer::dyn_stack::StackReq::any_of(&[
        col_etree_scratch::<usize>(n, n),
        postorder_scratch::<usize>(n),
        column_counts_aat_scratch::<usize>(n, n),
    ]);
    let mut mem = MemBuffer::try_new(req).ok()?;
    let stack = MemStack::new(&mut mem);
    let mut etree = vec![0usize; n];
    let mut post = vec![0usize; n];
    let mut counts = vec![0usize; n];
    let mut min_row = vec![0usize; n];
    let tree = col_etree(a.symbolic(), Some(perm), &mut etree, stack);
    postorder(&mut post, tree, stack);
    column_counts_ata(
        &mut counts,
        &mut min_row,
        at.symbolic(),
        Some(perm),
        tree,
        &post,
        stack,
    );
    // Householder column counts: each row starts in its first column, then climbs the tree.
    let mut h = vec![0usize; n];
    for &c in &min_row {
        // `usize::MAX` (−1 as signed) marks an empty row.
        if let Some(x) = h.get_mut(c) {
            *x += 1;
        }
    }
    for j in 0..n {
        let parent = etree.get(j).copied().unwrap_or(usize::MAX);
        let hj = h.get(j).copied().unwrap_or(0).saturating_sub(1);
        if let Some(x) = h.get_mut(parent) {
            *x += hj;
        }
    }
    let (mut flops, mut nnz) = (0.0f64, 0.0f64);
    for (&hj, &rj) in h.iter().zip(&counts) {
        let (hj, rj) = (hj as f64, rj as f64);
        flops += hj + hj * rj;
        nnz += hj + rj;
    }
    Some((flops, nnz))
}
