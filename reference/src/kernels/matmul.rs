//! The matrix product of `F.linear` and its gradients, in register tiles.

use super::dispatch::{with_widest_vectors, VectorKernel};

/// The matrix product `c = a @ b` of a row-major `(rows, inner)` matrix `a` and a row-major
/// `(inner, columns)` matrix `b`, each element summed over the inner index in order from 0:
///
/// ```text
/// c[r, j] = ((0 + a[r, 0]·b[0, j]) + a[r, 1]·b[1, j]) + …
/// ```
///
/// the same bits as one left-to-right dot product per element (`reference/tests/fast_paths.rs`).
/// Computed in tiles of `TILE_ROWS × TILE_COLUMNS` elements, whose sums stay in registers for
/// the whole inner loop while each loaded row of `b` serves `TILE_ROWS` rows of `a`; no FMA, no
/// BLAS.
pub fn matmul(a: &[f64], b: &[f64], rows: usize, inner: usize, columns: usize) -> Vec<f64> {
    debug_assert_eq!(a.len(), rows * inner, "matmul: a is not (rows, inner)");
    debug_assert_eq!(
        b.len(),
        inner * columns,
        "matmul: b is not (inner, columns)"
    );
    with_widest_vectors(MatrixProduct {
        a,
        b,
        rows,
        inner,
        columns,
    })
}

/// The `(columns, rows)` transpose of a row-major `(rows, columns)` matrix.
pub fn transpose(matrix: &[f64], rows: usize, columns: usize) -> Vec<f64> {
    let mut transposed = vec![0.0; matrix.len()];
    for r in 0..rows {
        for c in 0..columns {
            transposed[c * rows + r] = matrix[r * columns + c];
        }
    }
    transposed
}

/// The rows of a full tile.
const TILE_ROWS: usize = 4;
/// The columns of a full tile: 4 × 16 sums fill 8 AVX-512 or 16 AVX2 registers.
const TILE_COLUMNS: usize = 16;

/// The operands of [`matmul`].
struct MatrixProduct<'a> {
    a: &'a [f64],
    b: &'a [f64],
    rows: usize,
    inner: usize,
    columns: usize,
}

impl VectorKernel for MatrixProduct<'_> {
    type Output = Vec<f64>;
    #[inline(always)]
    fn run(self) -> Vec<f64> {
        let (rows, columns) = (self.rows, self.columns);
        let mut c = vec![0.0; rows * columns];
        for r0 in (0..rows).step_by(TILE_ROWS) {
            for j0 in (0..columns).step_by(TILE_COLUMNS) {
                if r0 + TILE_ROWS <= rows && j0 + TILE_COLUMNS <= columns {
                    let tile = self.tile(r0, j0);
                    for (r, sums) in tile.iter().enumerate() {
                        c[(r0 + r) * columns + j0..][..TILE_COLUMNS].copy_from_slice(sums);
                    }
                } else {
                    // An edge tile: the same sums, a row at a time.
                    let width = TILE_COLUMNS.min(columns - j0);
                    for r in r0..rows.min(r0 + TILE_ROWS) {
                        let sums = &mut c[r * columns + j0..][..width];
                        for k in 0..self.inner {
                            let a = self.a[r * self.inner + k];
                            let b = &self.b[k * columns + j0..][..width];
                            for (sum, &b) in sums.iter_mut().zip(b) {
                                *sum += a * b;
                            }
                        }
                    }
                }
            }
        }
        c
    }
}

impl MatrixProduct<'_> {
    /// The full tile at rows `r0..r0 + TILE_ROWS`, columns `j0..j0 + TILE_COLUMNS`.
    #[inline(always)]
    fn tile(&self, r0: usize, j0: usize) -> [[f64; TILE_COLUMNS]; TILE_ROWS] {
        let mut sums = [[0.0; TILE_COLUMNS]; TILE_ROWS];
        for k in 0..self.inner {
            let b: &[f64; TILE_COLUMNS] = self.b[k * self.columns + j0..][..TILE_COLUMNS]
                .try_into()
                .expect("a full tile");
            for (r, sums) in sums.iter_mut().enumerate() {
                let a = self.a[(r0 + r) * self.inner + k];
                for (sum, &b) in sums.iter_mut().zip(b) {
                    *sum += a * b;
                }
            }
        }
        sums
    }
}
