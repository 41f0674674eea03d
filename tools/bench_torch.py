"""PyTorch's side of the reference throughput benchmark (reference/benches/throughput.rs).

Builds bit-identical f64 inputs from the same closed-form index formula, runs every loss with
reduction='mean' on the CPU with one thread, forward (no autograd) and forward+backward, and
prints the same tab-separated lines as the Rust bench:

    loss  fwd_med  fwd_min  fb_med  fb_min  bytes  value        (milliseconds)

usage: python -W ignore tools/bench_torch.py [--reps N] [LOSS...]
Run through tools/bench, which interleaves it with the Rust bench. Never a test.
"""

import argparse
import time

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)

N, C = 4096, 256


def hashed(n, stream):
    i = np.arange(n, dtype=np.int64)
    return (i * 2654435761 + stream * 97531) & 0xFFFFFFFF


def unit(n, stream):
    return hashed(n, stream).astype(np.float64) / 4294967296.0


def floats(shape, stream, f):
    n = int(np.prod(shape))
    return torch.from_numpy(np.ascontiguousarray(f(unit(n, stream)).reshape(shape)))


def ints(shape, values):
    return torch.from_numpy(np.ascontiguousarray(np.asarray(values, dtype=np.int64).reshape(shape)))


def sym(u):
    return 4.0 * u - 2.0


def sign(u):
    return np.where(u < 0.5, 1.0, -1.0)


def benches():
    n = N * C
    big = (N, C)
    eight = 8 * n
    x, y = floats(big, 0, sym), floats(big, 1, sym)
    signs = floats(big, 1, sign)
    probs_in = floats(big, 0, lambda u: 0.98 * u + 0.01)
    probs_t = floats(big, 1, lambda u: u)
    logits = floats(big, 0, lambda u: 8.0 * u - 4.0)
    log_in = floats(big, 0, lambda u: -5.0 * u - 0.01)
    counts = floats(big, 1, lambda u: np.floor(8.0 * u))
    var = floats(big, 2, lambda u: u + 0.1)
    labels01 = floats(big, 1, lambda u: np.where(u < 0.5, 1.0, 0.0))
    x1d, y1d, s1d = floats((n,), 0, sym), floats((n,), 1, sym), floats((n,), 2, sign)
    row_signs = floats((N,), 2, sign)
    classes = ints((N,), hashed(N, 3) % C)
    idx = np.arange(n)
    row, k = idx // C, idx % C
    multilabel = ints(big, np.where(k < 4, (row * 37 + k * 61) % C, -1))
    z = floats(big, 2, sym)
    NL, H = 1024, 256
    lce_in = floats((NL, H), 0, lambda u: u - 0.5)
    lce_w = floats((C, H), 1, lambda u: (u - 0.5) / 16.0)
    lce_t = ints((NL,), hashed(NL, 3) % C)
    t, b, kk, s = 100, 32, 40, 30
    ctc_lp = floats((t, b, kk), 0, lambda u: -5.0 * u - 0.01)
    ctc_targets = ints((b, s), 1 + hashed(b * s, 1) % (kk - 1))
    ctc_in_len = ints((b,), np.full(b, t))
    ctc_t_len = ints((b,), s - np.arange(b) % 10)

    # (name, bytes, function, tensors, which tensors get gradients)
    return [
        ("l1_loss", 2 * eight, F.l1_loss, (x, y), (0,)),
        ("mse_loss", 2 * eight, F.mse_loss, (x, y), (0,)),
        ("huber_loss", 2 * eight, F.huber_loss, (x, y), (0,)),
        ("smooth_l1_loss", 2 * eight, F.smooth_l1_loss, (x, y), (0,)),
        ("soft_margin_loss", 2 * eight, F.soft_margin_loss, (x, signs), (0,)),
        ("binary_cross_entropy", 2 * eight, F.binary_cross_entropy, (probs_in, probs_t), (0,)),
        ("binary_cross_entropy_with_logits", 2 * eight, F.binary_cross_entropy_with_logits, (logits, probs_t), (0,)),
        ("kl_div", 2 * eight, F.kl_div, (log_in, probs_t), (0,)),
        ("poisson_nll_loss", 2 * eight, F.poisson_nll_loss, (x, counts), (0,)),
        ("gaussian_nll_loss", 3 * eight, F.gaussian_nll_loss, (x, y, var), (0, 2)),
        ("hinge_embedding_loss", 2 * eight, F.hinge_embedding_loss, (x, signs), (0,)),
        ("margin_ranking_loss", 3 * eight, F.margin_ranking_loss, (x1d, y1d, s1d), (0, 1)),
        ("multilabel_soft_margin_loss", 2 * eight, F.multilabel_soft_margin_loss, (x, labels01), (0,)),
        ("cosine_embedding_loss", 2 * eight, F.cosine_embedding_loss, (x, y, row_signs), (0, 1)),
        ("triplet_margin_loss", 3 * eight, F.triplet_margin_loss, (x, y, z), (0, 1, 2)),
        ("triplet_margin_with_distance_loss", 3 * eight, F.triplet_margin_with_distance_loss, (x, y, z), (0, 1, 2)),
        ("cross_entropy", eight, F.cross_entropy, (x, classes), (0,)),
        ("nll_loss", eight, F.nll_loss, (log_in, classes), (0,)),
        ("multi_margin_loss", eight, F.multi_margin_loss, (x, classes), (0,)),
        ("multilabel_margin_loss", 2 * eight, F.multilabel_margin_loss, (x, multilabel), (0,)),
        ("linear_cross_entropy", 8 * (NL * H + C * H), F.linear_cross_entropy, (lce_in, lce_w, lce_t), (0, 1)),
        ("ctc_loss", 8 * t * b * kk, F.ctc_loss, (ctc_lp, ctc_targets, ctc_in_len, ctc_t_len), (0,)),
    ]


def timed(reps, f):
    value = f()
    samples = []
    for _ in range(reps):
        started = time.perf_counter()
        f()
        samples.append((time.perf_counter() - started) * 1e3)
    samples.sort()
    return samples[len(samples) // 2], samples[0], value


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--libm", action="store_true",
                        help="time torch.log/exp/log1p on 2^20 values (vs the bench's `libm`)")
    parser.add_argument("losses", nargs="*")
    args = parser.parse_args()
    if args.libm:
        n = 1 << 20
        x = 0.01 + torch.arange(n, dtype=torch.float64) / n * 3.0
        out = torch.empty_like(x)
        for name, f in [("ln", torch.log), ("exp", torch.exp), ("ln_1p", torch.log1p)]:
            best = float("inf")
            for _ in range(max(args.reps, 3)):
                started = time.perf_counter()
                f(x, out=out)
                best = min(best, time.perf_counter() - started)
            print(f"libm_{name}\t{best * 1e3:.3f}")
        if not args.losses:
            return
    for name, nbytes, fn, tensors, grads in benches():
        if args.losses and name not in args.losses:
            continue

        def forward():
            with torch.no_grad():
                return fn(*tensors).item()

        leaves = [t.detach().requires_grad_(i in grads) for i, t in enumerate(tensors)]

        def forward_backward():
            for leaf in leaves:
                leaf.grad = None
            loss = fn(*leaves)
            loss.backward()
            return loss.item() + sum(leaves[i].grad.sum().item() for i in grads)

        fwd_med, fwd_min, value = timed(args.reps, forward)
        fb_med, fb_min, _ = timed(args.reps, forward_backward)
        print(f"{name}\t{fwd_med:.3f}\t{fwd_min:.3f}\t{fb_med:.3f}\t{fb_min:.3f}\t{nbytes}\t{value:.17e}", flush=True)


if __name__ == "__main__":
    main()
