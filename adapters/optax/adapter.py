"""optax (JAX), through the process protocol (spec/protocol.md), in float64 and float32.

Each request is mapped to the optax loss a JAX user porting a PyTorch model would call
(`optax.losses.*`, which return unreduced values), reduced with `jnp.mean`/`jnp.sum` as PyTorch's
`reduction` asks. Nothing of PyTorch's formulas is re-implemented: a loss, parameter value or
reduction optax cannot express is `Unsupported`; where optax computes a loss differently, its
result is returned (and the case is listed in known-differences.yaml). Gradients are
`jax.grad` of `output.sum()`. An exception JAX or optax raises for the inputs is answered as
`Rejected` with the class PyTorch raises for such a fault (spec/errors.md).

    lossparity run --exec 'python adapters/optax/adapter.py' [--dtype f32]
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))

# One XLA thread per process, as the PyTorch adapter sets torch.set_num_threads(1).
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)  # float64 as asked; float32 inputs stay float32
jax.config.update("jax_platforms", "cpu")

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import optax  # noqa: E402

import lossparity  # noqa: E402

# Compiled once per shape: op by op, each call would trace and compile its lax.scan again.
CTC_LOSS = jax.jit(optax.losses.ctc_loss, static_argnames=("blank_id",))

Arrays = dict[str, jax.Array]
LossFn = Callable[[Arrays], jax.Array]

# The reductions PyTorch's `reduction` strings name, as jnp reduces optax's unreduced values.
REDUCTIONS = ("none", "mean", "sum", "elementwise_mean")
# Mapped losses whose PyTorch form validates `reduction` itself and rejects 'elementwise_mean'.
NO_ELEMENTWISE_MEAN = {"multilabel_soft_margin_loss", "triplet_margin_with_distance_loss"}
# Mapped losses for which PyTorch checks the shapes before `reduction` (spec/reductions.md).
REDUCTION_CHECKED_LATE = {"huber_loss", "mse_loss", "multilabel_soft_margin_loss", "smooth_l1_loss"}

# What JAX and optax raise for inputs whose shapes do not fit (broadcasts, ranks, axes).
SHAPE_ERRORS = re.compile(
    r"incompatible shapes|shape mismatch|broadcast|expected the input to have rank"
    r"|out of bounds for array of dimension|axis .* is out of bounds|must have the same"
    r"|cannot reshape|dimension|shapes? .* (do not|must) match|expected .* batch size"
    r"|index .*out of (bounds|range)|zero-size array",
    re.IGNORECASE,
)


class Optax(lossparity.Implementation):
    name = "optax"
    version = optax.__version__
    language = "python"
    dtypes = ["float64", "float32"]
    homepage = "https://github.com/google-deepmind/optax"
    issues = "https://github.com/google-deepmind/optax/issues"

    def __init__(self) -> None:
        self.builders: dict[str, Callable[[lossparity.Request], LossFn]] = {
            "binary_cross_entropy_with_logits": bce_with_logits,
            "cross_entropy": cross_entropy,
            "ctc_loss": ctc_loss,
            "huber_loss": huber_loss,
            "kl_div": kl_div,
            "mse_loss": mse_loss,
            "multi_margin_loss": multi_margin_loss,
            "multilabel_soft_margin_loss": multilabel_soft_margin_loss,
            "smooth_l1_loss": smooth_l1_loss,
            "triplet_margin_loss": triplet_margin_loss,
            "triplet_margin_with_distance_loss": triplet_margin_with_distance_loss,
        }
        self.losses = sorted(self.builders)

    def run(self, request: lossparity.Request) -> lossparity.Output:
        builder = self.builders.get(request.loss)
        if builder is None:
            raise lossparity.Unsupported(f"optax has no {request.loss}")
        arrays = {name: jnp.asarray(value) for name, value in request.inputs.items()}
        wanted = [name for name in request.gradients if name in arrays]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                loss_fn = builder(request)
                if not wanted:
                    return lossparity.Output(np.asarray(loss_fn(arrays)))

                def summed(diff: Arrays) -> tuple[jax.Array, jax.Array]:
                    output = loss_fn({**arrays, **diff})
                    return output.sum(), output

                grads, output = jax.grad(summed, has_aux=True)({n: arrays[n] for n in wanted})
            except ZeroDivisionError as exc:  # a parameter optax divides by (1 / norm_degree)
                raise lossparity.Rejected("invalid_parameter", f"ZeroDivisionError: {exc}") from None
            except (ValueError, TypeError, IndexError) as exc:
                if not SHAPE_ERRORS.search(str(exc)):
                    raise  # not a shape fault: an adapter bug, reported with its traceback
                raise lossparity.Rejected("invalid_shape", f"{type(exc).__name__}: {exc}") from None
        return lossparity.Output(
            np.asarray(output), {name: np.asarray(grad) for name, grad in grads.items()}
        )


# --------------------------------------------------------------------------------------------
# Reductions: PyTorch's `reduction` (or legacy `size_average`/`reduce`) as jnp.mean / jnp.sum


def reduction_of(request: lossparity.Request) -> str:
    """The reduction PyTorch applies: the legacy arguments' when either is given."""
    size_average, reduce = request.params.get("size_average"), request.params.get("reduce")
    if size_average is None and reduce is None:
        return str(request.params["reduction"])
    if reduce is False:
        return "none"
    return "sum" if size_average is False else "mean"


def checked_reduction(request: lossparity.Request) -> str:
    """`reduction_of`, rejected as PyTorch rejects a string it does not accept."""
    reduction = reduction_of(request)
    allowed = [r for r in REDUCTIONS if not (r == "elementwise_mean" and request.loss in NO_ELEMENTWISE_MEAN)]
    if request.loss == "kl_div":
        allowed.append("batchmean")
    if reduction not in allowed:
        raise lossparity.Rejected("invalid_parameter", f"{reduction!r} is none of {allowed}")
    return reduction


def reduced(request: lossparity.Request, unreduced: LossFn) -> LossFn:
    """`unreduced` followed by the request's reduction, validated where PyTorch validates it."""
    late = request.loss in REDUCTION_CHECKED_LATE
    reduction = None if late else checked_reduction(request)

    def loss_fn(x: Arrays) -> jax.Array:
        loss = unreduced(x)
        how = checked_reduction(request) if late else reduction
        if how == "none":
            return loss
        return jnp.sum(loss) if how == "sum" else jnp.mean(loss)

    return loss_fn


def no_weight(request: lossparity.Request, function: str, *names: str) -> None:
    for name in names or ("weight",):
        if name in request.inputs:
            raise lossparity.Unsupported(f"{function} takes no {name}")


# --------------------------------------------------------------------------------------------
# The losses


def bce_with_logits(request: lossparity.Request) -> LossFn:
    no_weight(request, "optax.losses.sigmoid_binary_cross_entropy", "weight", "pos_weight")
    return reduced(
        request, lambda x: optax.losses.sigmoid_binary_cross_entropy(x["input"], x["target"])
    )


def cross_entropy(request: lossparity.Request) -> LossFn:
    no_weight(request, "optax's softmax cross-entropy losses (class weight)")
    params = request.params
    target = request.inputs["target"]
    axis = 0 if request.inputs["input"].ndim == 1 else 1  # PyTorch's class dimension
    smoothing = float(params["label_smoothing"])
    if np.issubdtype(target.dtype, np.integer):
        if np.any(target == params["ignore_index"]):
            raise lossparity.Unsupported(
                "optax.losses.softmax_cross_entropy_with_integer_labels has no ignore_index "
                f"(a target equals {params['ignore_index']})"
            )
        if smoothing != 0.0:
            raise lossparity.Unsupported(
                "optax.losses.softmax_cross_entropy_with_integer_labels has no label smoothing "
                "(optax.smooth_labels takes one-hot or probability labels)",
                "https://github.com/google-deepmind/optax/issues/1486",
            )
        return reduced(
            request,
            lambda x: optax.losses.softmax_cross_entropy_with_integer_labels(
                x["input"], x["target"], axis=axis
            ),
        )
    if params["ignore_index"] >= 0:
        raise lossparity.Unsupported("optax.losses.softmax_cross_entropy has no ignore_index")

    def loss(x: Arrays) -> jax.Array:
        labels = x["target"]
        if smoothing != 0.0:
            labels = optax.smooth_labels(labels, smoothing, axis=axis)
        return optax.losses.softmax_cross_entropy(x["input"], labels, axis=axis)

    return reduced(request, loss)


def ctc_loss(request: lossparity.Request) -> LossFn:
    """optax.losses.ctc_loss takes (B, T, K) logits with 0/1 paddings; PyTorch takes (T, N, C)
    log-probabilities with lengths. The layout is converted, nothing else."""
    if request.params["zero_infinity"]:
        raise lossparity.Unsupported(
            "optax.losses.ctc_loss has no zero_infinity (an impossible alignment costs about "
            "-log_epsilon = 1e5, never inf)"
        )
    log_probs = request.inputs["log_probs"]
    targets = request.inputs["targets"]
    input_lengths = request.inputs["input_lengths"].reshape(-1)
    target_lengths = request.inputs["target_lengths"].reshape(-1)
    unbatched = log_probs.ndim == 2
    steps = log_probs.shape[0] if log_probs.ndim else 0
    if unbatched and targets.ndim == 1:
        labels = targets[None, :]
    elif targets.ndim == 1:  # concatenated: one padded row per sample
        width = max([0, *target_lengths.tolist()])
        labels = np.zeros((len(target_lengths), width), np.int64)
        offset = 0
        for row, length in enumerate(target_lengths.tolist()):
            piece = targets[offset : offset + max(length, 0)]
            labels[row, : len(piece)] = piece
            offset += max(length, 0)
    else:
        labels = targets
    logit_paddings = (np.arange(steps)[None, :] >= input_lengths[:, None]).astype(log_probs.dtype)
    label_paddings = (np.arange(labels.shape[-1])[None, :] >= target_lengths[:, None]).astype(
        log_probs.dtype
    )
    blank = int(request.params["blank"])
    reduction = checked_reduction(request)

    def loss(x: Arrays) -> jax.Array:
        logits = x["log_probs"][:, None, :] if unbatched else x["log_probs"]
        per_sequence = CTC_LOSS(
            jnp.swapaxes(logits, 0, 1), logit_paddings, labels, label_paddings, blank_id=blank
        )
        if reduction == "none":
            return per_sequence[0] if unbatched else per_sequence
        if reduction == "sum":
            return jnp.sum(per_sequence)
        # PyTorch's 'mean': each loss over its target length (at least 1), then the batch mean.
        return jnp.mean(per_sequence / jnp.maximum(target_lengths, 1))

    return loss


def huber_loss(request: lossparity.Request) -> LossFn:
    no_weight(request, "optax.losses.huber_loss")
    delta = float(request.params["delta"])
    return reduced(
        request, lambda x: optax.losses.huber_loss(x["input"], x["target"], delta=delta)
    )


def kl_div(request: lossparity.Request) -> LossFn:
    """optax's KL sums over `axis`; axis=() keeps PyTorch's per-element terms."""
    params = request.params
    legacy = params.get("size_average") is not None or params.get("reduce") is not None
    if legacy and params["reduction"] == "batchmean":
        raise lossparity.Unsupported(
            "F.kl_div's legacy size_average/reduce with reduction='batchmean' (the legacy "
            "reduction, then a division by input.size(0)) is no reduction of optax's KL"
        )
    kl = (
        optax.losses.kl_divergence_with_log_targets
        if params["log_target"]
        else optax.losses.kl_divergence
    )
    reduction = checked_reduction(request)
    if reduction != "batchmean":
        return reduced(request, lambda x: kl(x["input"], x["target"], axis=()))
    batch = request.inputs["input"].shape[0] if request.inputs["input"].ndim else 1
    return lambda x: jnp.sum(kl(x["input"], x["target"], axis=())) / batch


def mse_loss(request: lossparity.Request) -> LossFn:
    no_weight(request, "optax.losses.squared_error")
    return reduced(request, lambda x: optax.losses.squared_error(x["input"], x["target"]))


def multi_margin_loss(request: lossparity.Request) -> LossFn:
    no_weight(request, "optax.losses.multiclass_hinge_loss")
    p, margin = request.params["p"], float(request.params["margin"])
    if p != 1 or margin != 1.0:
        raise lossparity.Unsupported(
            f"optax.losses.multiclass_hinge_loss has a fixed margin of 1 and p = 1 (asked p={p}, "
            f"margin={margin})"
        )
    return reduced(
        request, lambda x: optax.losses.multiclass_hinge_loss(x["input"], x["target"])
    )


def multilabel_soft_margin_loss(request: lossparity.Request) -> LossFn:
    """PyTorch's per-sample loss is the mean over the last dimension of the logistic loss."""
    no_weight(request, "optax.losses.sigmoid_binary_cross_entropy")
    return reduced(
        request,
        lambda x: jnp.mean(
            optax.losses.sigmoid_binary_cross_entropy(x["input"], x["target"]), axis=-1
        ),
    )


def smooth_l1_loss(request: lossparity.Request) -> LossFn:
    """Smooth L1 with beta = 1 is Huber with delta = 1; optax has no other smooth L1."""
    beta = float(request.params["beta"])
    if beta != 1.0:
        raise lossparity.Unsupported(
            f"optax has no smooth L1 loss: only beta = 1 is optax.losses.huber_loss (beta={beta})"
        )
    return reduced(
        request, lambda x: optax.losses.huber_loss(x["input"], x["target"], delta=1.0)
    )


def triplet_margin_loss(request: lossparity.Request) -> LossFn:
    params = request.params
    if params["swap"]:
        raise lossparity.Unsupported("optax.losses.triplet_margin_loss has no swap")
    p, margin, eps = float(params["p"]), float(params["margin"]), float(params["eps"])
    return reduced(request, lambda x: triplet(x, p, margin, eps))


def triplet_margin_with_distance_loss(request: lossparity.Request) -> LossFn:
    params = request.params
    distance = params["distance_function"]
    if distance == "cosine_distance":
        raise lossparity.Unsupported(
            "optax.losses.triplet_margin_loss takes no distance function (only a p-norm)"
        )
    if distance not in (None, "pairwise_distance"):
        raise lossparity.Rejected("invalid_parameter", f"no distance function named {distance!r}")
    if params["swap"]:
        raise lossparity.Unsupported("optax.losses.triplet_margin_loss has no swap")
    # PyTorch's default distance is pairwise_distance(p=2, eps=1e-6).
    margin = float(params["margin"])
    return reduced(request, lambda x: triplet(x, 2.0, margin, 1e-6))


def triplet(x: Arrays, p: float, margin: float, eps: float) -> jax.Array:
    return optax.losses.triplet_margin_loss(
        x["anchor"], x["positive"], x["negative"], norm_degree=p, margin=margin, eps=eps
    )


if __name__ == "__main__":
    lossparity.serve(Optax())
