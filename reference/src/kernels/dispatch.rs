//! Runtime CPU dispatch: run a hot loop compiled for the widest vector registers this CPU has.
//!
//! Why: Rust compiles for the baseline x86-64 target, whose vectors are SSE2's two f64 lanes.
//! PyTorch picks AVX-512 (8 lanes) or AVX2 (4 lanes) kernels at run time. [`with_widest_vectors`]
//! does the same for the kernels of this module's siblings: it calls the loop through a
//! function compiled with `avx512f` or `avx2` enabled, chosen once per call by
//! `is_x86_feature_detected!` (a cached flag), so LLVM vectorises the inlined loop body 8 or 4
//! lanes wide instead of 2. (`#[target_feature(enable = "avx512f")]` is stable from Rust 1.89,
//! hence the workspace's `rust-version`.) On other architectures every loop runs as compiled.
//!
//! # Same bits on every path
//!
//! Enabling a target feature changes which instructions compute a value, never the value:
//! Rust does not contract `a * b + c` into a fused multiply-add, nor reassociate floating-point
//! operations, whatever the target, and every operation the loops use (`+ - * /`, `sqrt`,
//! comparisons, `min`/`max`, bit casts) is exactly rounded IEEE 754 on every path. A call to
//! an external function (glibc's `exp`, say) is the same call on every path. So the result is
//! bit-identical to the portable build; `reference/tests/fast_paths.rs` and
//! `harness/tests/vector_dispatch.rs` check this through [`portable_only`].

use std::cell::Cell;

thread_local! {
    /// Set by [`portable_only`]: run the portable (baseline) build of every dispatched loop.
    static PORTABLE_ONLY: Cell<bool> = const { Cell::new(false) };
}

/// A hot loop to run through [`with_widest_vectors`]: a struct holding its operands, whose
/// [`run`](VectorKernel::run) is the loop.
///
/// Why a trait and not a closure: target features apply to the code inlined into the wider
/// function, and LLVM inlines a closure (or the `FnOnce` shim of a function) only when it is
/// cheap or called from one place, which the three builds here are not. `run` is
/// `#[inline(always)]`, so the loop is always compiled into each build. What `run` calls per
/// element (a loss's formula, say) must be inlined too to vectorise: small closures are, and
/// `formula!` formulas always are (see `kernels::elementwise`).
pub trait VectorKernel {
    /// What the loop computes.
    type Output;
    /// The loop; implementations must be `#[inline(always)]`.
    fn run(self) -> Self::Output;
}

/// `kernel.run()`, compiled for AVX-512 if this CPU has AVX-512F, else for AVX2 if it has
/// AVX2, else for the baseline target.
#[inline(always)]
pub fn with_widest_vectors<K: VectorKernel>(kernel: K) -> K::Output {
    #[cfg(target_arch = "x86_64")]
    if !PORTABLE_ONLY.get() {
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: `avx512` requires AVX-512F, which the CPU has (checked just above).
            return unsafe { avx512(kernel) };
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: `avx2` requires AVX2, which the CPU has (checked just above).
            return unsafe { avx2(kernel) };
        }
    }
    kernel.run()
}

/// `kernel.run()` with AVX-512F enabled for everything inlined into it.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn avx512<K: VectorKernel>(kernel: K) -> K::Output {
    kernel.run()
}

/// `kernel.run()` with AVX2 enabled for everything inlined into it.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn avx2<K: VectorKernel>(kernel: K) -> K::Output {
    kernel.run()
}

/// `body()` with every [`with_widest_vectors`] on this thread running the portable build: the
/// reference as it computes on a CPU without AVX2. For tests that the dispatched loops give
/// the same bits.
pub fn portable_only<R>(body: impl FnOnce() -> R) -> R {
    /// Restores the previous setting, also when `body` panics.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            PORTABLE_ONLY.set(self.0);
        }
    }
    let _restore = Restore(PORTABLE_ONLY.replace(true));
    body()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `portable_only` holds for its body only, nests, and is undone when the body panics.
    #[test]
    fn portable_only_is_scoped_to_its_body() {
        assert!(!PORTABLE_ONLY.get());
        portable_only(|| {
            assert!(PORTABLE_ONLY.get());
            portable_only(|| assert!(PORTABLE_ONLY.get()));
            assert!(PORTABLE_ONLY.get());
        });
        assert!(!PORTABLE_ONLY.get());
        let panicked = std::panic::catch_unwind(|| portable_only(|| panic!("in the body")));
        assert!(panicked.is_err());
        assert!(!PORTABLE_ONLY.get());
    }

    /// Every build runs the kernel: a kernel's result is the same through the dispatch, in
    /// the portable build, and called directly.
    #[test]
    fn the_dispatch_runs_the_kernel() {
        struct Sum<'a>(&'a [f64]);
        impl VectorKernel for Sum<'_> {
            type Output = f64;
            #[inline(always)]
            fn run(self) -> f64 {
                self.0.iter().sum()
            }
        }
        let values: Vec<f64> = (0..1000).map(|i| (i as f64).sqrt()).collect();
        let direct = Sum(&values).run();
        assert_eq!(
            with_widest_vectors(Sum(&values)).to_bits(),
            direct.to_bits()
        );
        let portable = portable_only(|| with_widest_vectors(Sum(&values)));
        assert_eq!(portable.to_bits(), direct.to_bits());
    }
}
