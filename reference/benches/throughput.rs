//! Reference throughput: every loss, forward and forward+backward, on large f64 inputs with
//! `reduction='mean'`, plus the machine's streaming-read bandwidth.
//!
//! Run with `cargo bench -p lossparity-reference --bench throughput [-- --reps N] [-- LOSS...]`
//! (or through `tools/bench`, which runs PyTorch on the same inputs, interleaved, and prints the
//! ratios); `-- --portable` measures the portable build, as a CPU without AVX2 runs it. The
//! method is in `spec/performance.md`; in short:
//!
//! * Inputs are a closed-form function of the element index ([`unit`]): an integer hash of the
//!   index scaled by 2^-32, so `tools/bench_torch.py` builds bit-identical tensors with NumPy and
//!   the two sides compute the same losses (each side prints its loss value; `tools/bench`
//!   compares them).
//! * Each measurement is one warm-up call, then `reps` timed calls (`std::time::Instant`); the
//!   median and the minimum are reported. The machine is shared, so the minimum is the better
//!   estimate of the cost and the median of what a user sees.
//! * `bytes` is what an elementwise loss must read at least (its input tensors, 8 bytes per f64
//!   element); `bytes / bandwidth` is the floor a memory-bound forward pass cannot beat.
//!
//! Output: one tab-separated line per measurement, `loss  fwd_med  fwd_min  fb_med  fb_min
//! bytes  value` (milliseconds), and a `bandwidth  GB/s` line. No assertions: this is a
//! benchmark, never a test.

use std::hint::black_box;
use std::time::Instant;

use lossparity_reference::__private::{
    elementary, portable_only, with_widest_vectors, VectorKernel,
};
use lossparity_reference::*;

/// Elementwise losses run on `N × C` elements; the class losses on a batch of `N` rows of `C`.
const N: usize = 4096;
const C: usize = 256;

/// The `i`-th value of stream `stream`: `((i·2654435761 + stream·97531) mod 2^32) / 2^32`,
/// exactly representable and the same in NumPy (int64 arithmetic, then an exact division).
fn unit(i: usize, stream: u64) -> f64 {
    let h = (i as u64 * 2_654_435_761 + stream * 97_531) & 0xFFFF_FFFF;
    h as f64 / 4_294_967_296.0
}

fn hash(i: usize, stream: u64) -> i64 {
    ((i as u64 * 2_654_435_761 + stream * 97_531) & 0xFFFF_FFFF) as i64
}

fn floats(shape: &[usize], stream: u64, f: impl Fn(f64) -> f64) -> Tensor {
    let n = shape.iter().product();
    Tensor::new(shape.to_vec(), (0..n).map(|i| f(unit(i, stream))).collect()).unwrap()
}

fn ints(shape: &[usize], f: impl Fn(usize) -> i64) -> Tensor<i64> {
    let n = shape.iter().product();
    Tensor::new(shape.to_vec(), (0..n).map(f).collect()).unwrap()
}

fn sym(u: f64) -> f64 {
    4.0 * u - 2.0
}

fn sign(u: f64) -> f64 {
    if u < 0.5 {
        1.0
    } else {
        -1.0
    }
}

type Run = Box<dyn Fn() -> f64>;

/// One benchmarked loss: its forward, its forward+backward (returning a checksum so nothing is
/// optimised away) and the bytes its inputs occupy.
struct Bench {
    name: &'static str,
    forward: Run,
    forward_backward: Run,
    bytes: usize,
}

fn checksum(grads: &InputGradients) -> f64 {
    grads.values().map(|g| g.data().iter().sum::<f64>()).sum()
}

fn value(t: Tensor) -> f64 {
    t.at(0)
}

/// `bench!(loss, bytes, |inputs…| forward, backward)`: `loss` is the reference function
/// measured, whose name names the measurement (and is `tools/bench_torch.py`'s key).
macro_rules! bench {
    ($name:ident, $bytes:expr, |$($arg:ident),*| $fwd:expr, $bwd:expr) => {{
        let go = Tensor::scalar(1.0);
        Bench {
            name: stringify!($name),
            bytes: $bytes,
            forward: {
                $(let $arg = $arg.clone();)*
                Box::new(move || value($fwd($(&$arg),*)))
            },
            forward_backward: {
                $(let $arg = $arg.clone();)*
                Box::new(move || {
                    let v = value($fwd($(&$arg),*));
                    v + checksum(&$bwd($(&$arg),*, &go))
                })
            },
        }
    }};
}

fn benches() -> Vec<Bench> {
    let n = N * C;
    let big = [N, C];
    let eight = 8 * n;
    let (x, y) = (floats(&big, 0, sym), floats(&big, 1, sym));
    let signs = floats(&big, 1, sign);
    let probs_in = floats(&big, 0, |u| 0.98 * u + 0.01);
    let probs_t = floats(&big, 1, |u| u);
    let logits = floats(&big, 0, |u| 8.0 * u - 4.0);
    let log_in = floats(&big, 0, |u| -5.0 * u - 0.01);
    let counts = floats(&big, 1, |u| (8.0 * u).floor());
    let var = floats(&big, 2, |u| u + 0.1);
    let labels01 = floats(&big, 1, |u| if u < 0.5 { 1.0 } else { 0.0 });
    let x1d = floats(&[n], 0, sym);
    let y1d = floats(&[n], 1, sym);
    let s1d = floats(&[n], 2, sign);
    let row_signs = floats(&[N], 2, sign);
    let classes = ints(&[N], |i| hash(i, 3) % C as i64);
    let multilabel = ints(&big, |i| {
        let (row, k) = (i / C, i % C);
        if k < 4 {
            ((row * 37 + k * 61) % C) as i64
        } else {
            -1
        }
    });
    let z = floats(&big, 2, sym);
    // linear_cross_entropy: N_L rows of H features, C classes.
    const NL: usize = 1024;
    const H: usize = 256;
    let lce_in = floats(&[NL, H], 0, |u| u - 0.5);
    let lce_w = floats(&[C, H], 1, |u| (u - 0.5) / 16.0);
    let lce_t = ints(&[NL], |i| hash(i, 3) % C as i64);
    // ctc_loss: T=100, N=32, C=40, S=30.
    let (t, b, k, s) = (100usize, 32usize, 40usize, 30usize);
    let ctc_lp = floats(&[t, b, k], 0, |u| -5.0 * u - 0.01);
    let ctc_targets = ints(&[b, s], |i| 1 + hash(i, 1) % (k as i64 - 1));
    let ctc_in_len = ints(&[b], |_| t as i64);
    let ctc_t_len = ints(&[b], |i| (s - i % 10) as i64);

    vec![
        bench!(
            l1_loss,
            2 * eight,
            |x, y| |a, b| l1_loss(a, b, &Default::default()).unwrap(),
            |a, b, g| l1_loss_backward(a, b, &Default::default(), g).unwrap()
        ),
        bench!(
            mse_loss,
            2 * eight,
            |x, y| |a, b| mse_loss(a, b, &Default::default()).unwrap(),
            |a, b, g| mse_loss_backward(a, b, &Default::default(), g).unwrap()
        ),
        bench!(
            huber_loss,
            2 * eight,
            |x, y| |a, b| huber_loss(a, b, &Default::default()).unwrap(),
            |a, b, g| huber_loss_backward(a, b, &Default::default(), g).unwrap()
        ),
        bench!(
            smooth_l1_loss,
            2 * eight,
            |x, y| |a, b| smooth_l1_loss(a, b, &Default::default()).unwrap(),
            |a, b, g| smooth_l1_loss_backward(a, b, &Default::default(), g).unwrap()
        ),
        bench!(
            soft_margin_loss,
            2 * eight,
            |x, signs| |a, b| soft_margin_loss(a, b, &Default::default()).unwrap(),
            |a, b, g| soft_margin_loss_backward(a, b, &Default::default(), g).unwrap()
        ),
        bench!(
            binary_cross_entropy,
            2 * eight,
            |probs_in, probs_t| |a, b| binary_cross_entropy(a, b, &Default::default()).unwrap(),
            |a, b, g| binary_cross_entropy_backward(a, b, &Default::default(), g).unwrap()
        ),
        bench!(
            binary_cross_entropy_with_logits,
            2 * eight,
            |logits, probs_t| |a, b| binary_cross_entropy_with_logits(a, b, &Default::default())
                .unwrap(),
            |a, b, g| binary_cross_entropy_with_logits_backward(a, b, &Default::default(), g)
                .unwrap()
        ),
        bench!(
            kl_div,
            2 * eight,
            |log_in, probs_t| |a, b| kl_div(a, b, &Default::default()).unwrap(),
            |a, b, g| kl_div_backward(a, b, &Default::default(), g).unwrap()
        ),
        bench!(
            poisson_nll_loss,
            2 * eight,
            |x, counts| |a, b| poisson_nll_loss(a, b, &Default::default()).unwrap(),
            |a, b, g| poisson_nll_loss_backward(a, b, &Default::default(), g).unwrap()
        ),
        bench!(
            gaussian_nll_loss,
            3 * eight,
            |x, y, var| |a, b, v| gaussian_nll_loss(a, b, v, &Default::default()).unwrap(),
            |a, b, v, g| gaussian_nll_loss_backward(a, b, v, &Default::default(), g).unwrap()
        ),
        bench!(
            hinge_embedding_loss,
            2 * eight,
            |x, signs| |a, b| hinge_embedding_loss(a, b, &Default::default()).unwrap(),
            |a, b, g| hinge_embedding_loss_backward(a, b, &Default::default(), g).unwrap()
        ),
        bench!(
            margin_ranking_loss,
            3 * eight,
            |x1d, y1d, s1d| |a, b, c| margin_ranking_loss(a, b, c, &Default::default()).unwrap(),
            |a, b, c, g| margin_ranking_loss_backward(a, b, c, &Default::default(), g).unwrap()
        ),
        bench!(
            multilabel_soft_margin_loss,
            2 * eight,
            |x, labels01| |a, b| multilabel_soft_margin_loss(a, b, &Default::default()).unwrap(),
            |a, b, g| multilabel_soft_margin_loss_backward(a, b, &Default::default(), g).unwrap()
        ),
        bench!(
            cosine_embedding_loss,
            2 * eight,
            |x, y, row_signs| |a, b, c| cosine_embedding_loss(a, b, c, &Default::default())
                .unwrap(),
            |a, b, c, g| cosine_embedding_loss_backward(a, b, c, &Default::default(), g).unwrap()
        ),
        bench!(
            triplet_margin_loss,
            3 * eight,
            |x, y, z| |a, b, c| triplet_margin_loss(a, b, c, &Default::default()).unwrap(),
            |a, b, c, g| triplet_margin_loss_backward(a, b, c, &Default::default(), g).unwrap()
        ),
        bench!(
            triplet_margin_with_distance_loss,
            3 * eight,
            |x, y, z| |a, b, c| triplet_margin_with_distance_loss(a, b, c, &Default::default())
                .unwrap(),
            |a, b, c, g| triplet_margin_with_distance_loss_backward(
                a,
                b,
                c,
                &Default::default(),
                g
            )
            .unwrap()
        ),
        bench!(
            cross_entropy,
            eight,
            |x, classes| |a, t| cross_entropy(
                a,
                CrossEntropyTarget::Indices(t),
                &Default::default()
            )
            .unwrap(),
            |a, t, g| cross_entropy_backward(
                a,
                CrossEntropyTarget::Indices(t),
                &Default::default(),
                g
            )
            .unwrap()
        ),
        bench!(
            nll_loss,
            eight,
            |log_in, classes| |a, t| nll_loss(a, t, &Default::default()).unwrap(),
            |a, t, g| nll_loss_backward(a, t, &Default::default(), g).unwrap()
        ),
        bench!(
            multi_margin_loss,
            eight,
            |x, classes| |a, t| multi_margin_loss(a, t, &Default::default()).unwrap(),
            |a, t, g| multi_margin_loss_backward(a, t, &Default::default(), g).unwrap()
        ),
        bench!(
            multilabel_margin_loss,
            2 * eight,
            |x, multilabel| |a, t| multilabel_margin_loss(a, t, &Default::default()).unwrap(),
            |a, t, g| multilabel_margin_loss_backward(a, t, &Default::default(), g).unwrap()
        ),
        bench!(
            linear_cross_entropy,
            8 * (NL * H + C * H),
            |lce_in, lce_w, lce_t| |a, w, t| linear_cross_entropy(
                a,
                w,
                CrossEntropyTarget::Indices(t),
                &Default::default()
            )
            .unwrap(),
            |a, w, t, g| linear_cross_entropy_backward(
                a,
                w,
                CrossEntropyTarget::Indices(t),
                &Default::default(),
                g
            )
            .unwrap()
        ),
        bench!(
            ctc_loss,
            8 * t * b * k,
            |ctc_lp, ctc_targets, ctc_in_len, ctc_t_len| |lp, tg, il, tl| ctc_loss(
                lp,
                tg,
                il,
                tl,
                &Default::default()
            )
            .unwrap(),
            |lp, tg, il, tl, g| ctc_loss_backward(lp, tg, il, tl, &Default::default(), g).unwrap()
        ),
    ]
}

/// Median and minimum, in milliseconds, of `reps` timed calls after one warm-up call.
fn time(reps: usize, f: &dyn Fn() -> f64) -> (f64, f64, f64) {
    let value = black_box(f());
    let mut samples: Vec<f64> = (0..reps)
        .map(|_| {
            let started = Instant::now();
            black_box(f());
            started.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    (samples[samples.len() / 2], samples[0], value)
}

/// Streaming-read bandwidth in GB/s: the best of several passes summing a 256 MiB buffer with
/// eight independent accumulators (so the adds are not the bottleneck).
fn bandwidth(reps: usize) -> f64 {
    let data: Vec<f64> = (0..32 << 20).map(|i| i as f64).collect();
    let mut best = f64::INFINITY;
    for _ in 0..reps.max(3) {
        let started = Instant::now();
        let mut acc = [0.0f64; 8];
        for chunk in data.chunks_exact(8) {
            for (a, v) in acc.iter_mut().zip(chunk) {
                *a += v;
            }
        }
        black_box(acc);
        best = best.min(started.elapsed().as_secs_f64());
    }
    (data.len() * 8) as f64 / best / 1e9
}

/// `libm` (only when asked for by name): milliseconds for `out[i] = f(x[i])` over 2^20 values
/// in `(0.01, 3.01)`, best of `reps`: glibc's scalar `ln`, `exp` and `ln_1p`, then
/// `elementary`'s in a plain loop (the portable SSE2 build) and through
/// `with_widest_vectors` (AVX-512 or AVX2 where the CPU has it, as the reference's loops run).
/// `tools/bench_torch.py --libm` times `torch.log`/`exp`/`log1p` on the same values.
fn libm(reps: usize) {
    let n = 1usize << 20;
    let x: Vec<f64> = (0..n).map(|i| 0.01 + i as f64 / n as f64 * 3.0).collect();
    let mut out = vec![0.0; n];
    let mut time = |name: &str, f: &mut dyn FnMut(&mut [f64], &[f64])| {
        let mut best = f64::INFINITY;
        for _ in 0..reps.max(3) {
            let started = Instant::now();
            f(&mut out, black_box(&x));
            black_box(&out);
            best = best.min(started.elapsed().as_secs_f64());
        }
        println!("libm_{name}\t{:.3}", best * 1e3);
    };
    type Function = fn(f64) -> f64;
    let functions: [(&str, Function); 3] =
        [("ln", f64::ln), ("exp", f64::exp), ("ln_1p", f64::ln_1p)];
    for (name, f) in functions {
        time(name, &mut |out, x| {
            for (o, &v) in out.iter_mut().zip(x) {
                *o = f(v);
            }
        });
    }
    time("elementary_ln", &mut |out, x| Map { out, x, f: Ln }.run());
    time("elementary_exp", &mut |out, x| Map { out, x, f: Exp }.run());
    time("elementary_ln_1p", &mut |out, x| {
        Map { out, x, f: Ln1p }.run()
    });
    time("dispatched_ln", &mut |out, x| {
        with_widest_vectors(Map { out, x, f: Ln })
    });
    time("dispatched_exp", &mut |out, x| {
        with_widest_vectors(Map { out, x, f: Exp })
    });
    time("dispatched_ln_1p", &mut |out, x| {
        with_widest_vectors(Map { out, x, f: Ln1p })
    });
}

/// A one-argument function, as a unit struct whose `#[inline(always)]` method is always
/// inlined into the loop (see `VectorKernel`).
trait Unary {
    fn of(&self, v: f64) -> f64;
}
struct Ln;
struct Exp;
struct Ln1p;
impl Unary for Ln {
    #[inline(always)]
    fn of(&self, v: f64) -> f64 {
        elementary::ln(v)
    }
}
impl Unary for Exp {
    #[inline(always)]
    fn of(&self, v: f64) -> f64 {
        elementary::exp(v)
    }
}
impl Unary for Ln1p {
    #[inline(always)]
    fn of(&self, v: f64) -> f64 {
        elementary::ln_1p(v)
    }
}

/// `out[i] = f(x[i])`.
struct Map<'a, F> {
    out: &'a mut [f64],
    x: &'a [f64],
    f: F,
}

impl<F: Unary> VectorKernel for Map<'_, F> {
    type Output = ();
    #[inline(always)]
    fn run(self) {
        for (o, &v) in self.out.iter_mut().zip(self.x) {
            *o = self.f.of(v);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut reps = 7;
    let mut only = Vec::new();
    let mut portable = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--reps" => reps = rest.next().and_then(|r| r.parse().ok()).expect("--reps N"),
            // The reference as it runs on a CPU without AVX2 (`portable_only`).
            "--portable" => portable = true,
            "--bench" => {} // passed by `cargo bench`
            name => only.push(name.to_owned()),
        }
    }
    if only.iter().any(|o| o == "libm") {
        libm(reps);
    }
    if only.is_empty() || only.iter().any(|o| o == "bandwidth") {
        println!("bandwidth\t{:.2}", bandwidth(reps));
    }
    for bench in benches() {
        if !only.is_empty() && !only.iter().any(|o| o == bench.name) {
            continue;
        }
        let measure = || {
            let (fwd_med, fwd_min, value) = time(reps, &bench.forward);
            let (fb_med, fb_min, _) = time(reps, &bench.forward_backward);
            (fwd_med, fwd_min, value, fb_med, fb_min)
        };
        let (fwd_med, fwd_min, value, fb_med, fb_min) = if portable {
            portable_only(measure)
        } else {
            measure()
        };
        println!(
            "{}\t{fwd_med:.3}\t{fwd_min:.3}\t{fb_med:.3}\t{fb_min:.3}\t{}\t{value:.17e}",
            bench.name, bench.bytes
        );
    }
}
