"""MLX (`mlx.nn.losses`) through the process protocol (spec/protocol.md), in float32 and float64
on MLX's CPU device, written as an MLX user porting a PyTorch model would call it.

Each `torch.nn.functional` loss is mapped onto the `mlx.nn.losses` function MLX documents for it,
with the PyTorch arguments translated to MLX's (the class axis, the legacy `size_average` /
`reduce` arguments to a `reduction` string). Nothing of PyTorch's formula is re-implemented:
where MLX lacks the loss, a parameter value or a shape, the case is unsupported (with the
reason); where MLX computes the loss differently, MLX's result is returned and the case is a
known difference (known-differences.yaml). Gradients are `mx.grad` of `output.sum()`.

    lossparity run --exec "$VENV/bin/python adapters/mlx/adapter.py" --dtype f32   # or f64
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "python"))

import mlx.core as mx  # noqa: E402
import mlx.nn.losses as L  # noqa: E402
import numpy as np  # noqa: E402

import lossparity  # noqa: E402

Arrays = dict[str, mx.array]
Params = dict[str, object]
DTYPES = {"float32": mx.float32, "float64": mx.float64}
ISSUES = "https://github.com/ml-explore/mlx/issues"

# Losses MLX has no function for: the reason each is unsupported.
MISSING = {
    "cosine_embedding_loss": "MLX has no cosine embedding loss (cosine_similarity_loss returns "
    "the cosine similarity itself, with no target or margin)",
    "ctc_loss": "MLX has no CTC loss",
    "hinge_embedding_loss": "MLX has no hinge embedding loss (its hinge_loss is the SVM hinge "
    "max(0, 1 - x*y), a different loss)",
    "linear_cross_entropy": "MLX has no fused linear + cross-entropy loss",
    "multi_margin_loss": "MLX has no multi-class margin loss",
    "multilabel_margin_loss": "MLX has no multi-label margin loss",
    "multilabel_soft_margin_loss": "MLX has no multi-label soft margin loss",
    "poisson_nll_loss": "MLX has no Poisson NLL loss",
    "soft_margin_loss": "MLX has no soft margin loss",
}

# Losses whose PyTorch form rejects the deprecated alias 'elementwise_mean' (spec/reductions.md);
# everywhere else it is PyTorch's spelling of MLX's 'mean'.
NO_ELEMENTWISE_MEAN = {"gaussian_nll_loss", "triplet_margin_with_distance_loss"}


def reduction(loss: str, params: Params) -> str:
    """PyTorch's reduction arguments as MLX's `reduction` string ('none' | 'mean' | 'sum'; any
    other string is passed on for MLX to reject)."""
    value = str(params["reduction"])
    if value == "batchmean" and loss == "kl_div":  # also divides a legacy reduction (reductions.md)
        raise lossparity.Unsupported("MLX's reductions are 'none', 'mean' and 'sum': no 'batchmean'")
    size_average, reduce = params.get("size_average"), params.get("reduce")
    if size_average is not None or reduce is not None:  # legacy_get_string
        if reduce is False:
            return "none"
        return "sum" if size_average is False else "mean"
    if value == "elementwise_mean" and loss not in NO_ELEMENTWISE_MEAN:
        return "mean"
    return value


def same_shape(function: str, *named: tuple[str, tuple[int, ...]]) -> None:
    """MLX's `function` checks that these shapes are equal; where they differ but broadcast
    (PyTorch computes), that shape is unsupported. Where they do not broadcast, MLX rejects the
    call as PyTorch does."""
    shapes = [shape for _, shape in named]
    if len(set(shapes)) > 1:
        try:
            np.broadcast_shapes(*shapes)
        except ValueError:
            return
        listed = ", ".join(f"{name} {list(shape)}" for name, shape in named)
        raise lossparity.Unsupported(f"MLX's {function} requires equal shapes, PyTorch broadcasts: {listed}")


def no_weight(function: str, a: Arrays, name: str = "weight") -> None:
    if name in a:
        raise lossparity.Unsupported(f"MLX's {function} has no {name} argument")


def class_axis(x: mx.array) -> int:
    """PyTorch's class dimension: 1, or 0 for an unbatched input."""
    return 1 if x.ndim >= 2 else 0


def class_targets(function: str, a: Arrays, params: Params) -> None:
    """MLX's nll_loss/cross_entropy have no class weight and no ignore_index."""
    if "weight" in a:
        raise lossparity.Unsupported(
            "MLX's cross_entropy weights are per element of the loss, not per class (PyTorch's weight)"
            if function == "cross_entropy"
            else f"MLX's {function} has no weight argument (PyTorch's is a class weight)"
        )
    target, ignore = a["target"], params["ignore_index"]
    if mx.issubdtype(target.dtype, mx.integer):
        if bool(mx.any(target == ignore).item()):
            raise lossparity.Unsupported(f"MLX's {function} has no ignore_index (target holds {ignore})")
    elif ignore != -100:
        raise lossparity.Unsupported(f"MLX's {function} has no ignore_index (given {ignore})")


def gather_out_of_bounds(loss: str, a: Arrays) -> bool:
    """Whether a class index lies outside [0, C): MLX checks none, and the gradient of its gather
    (a scatter-add) then writes outside its buffer (a crash, or heap corruption that would spoil
    the cases after it), so the adapter returns MLX's output for such a case and no gradient."""
    if loss not in ("nll_loss", "cross_entropy") or not mx.issubdtype(a["target"].dtype, mx.integer):
        return False
    x, target = a["input"], a["target"]
    classes = x.shape[class_axis(x)] if x.ndim >= 1 else 0
    return bool(mx.any((target < 0) | (target >= classes)).item())


def bce(logits: bool) -> Callable[[Arrays, Params, str], mx.array]:
    def run(a: Arrays, params: Params, r: str) -> mx.array:
        no_weight("binary_cross_entropy", a, "pos_weight")
        x, y, w = a["input"], a["target"], a.get("weight")
        if w is not None and x.shape == y.shape:
            same_shape("binary_cross_entropy", ("weight", w.shape), ("input", x.shape))
        return L.binary_cross_entropy(x, y, weights=w, with_logits=logits, reduction=r)

    return run


def cross_entropy(a: Arrays, params: Params, r: str) -> mx.array:
    class_targets("cross_entropy", a, params)
    x = a["input"]
    smoothing = float(params["label_smoothing"])  # type: ignore[arg-type]
    return L.cross_entropy(x, a["target"], axis=class_axis(x), label_smoothing=smoothing, reduction=r)


def nll_loss(a: Arrays, params: Params, r: str) -> mx.array:
    class_targets("nll_loss", a, params)
    x = a["input"]
    return L.nll_loss(x, a["target"], axis=class_axis(x), reduction=r)


def gaussian_nll_loss(a: Arrays, params: Params, r: str) -> mx.array:
    x, y, var = a["input"], a["target"], a["var"]
    # PyTorch's one-dimension-short var (one variance per row) is var[..., None] in MLX.
    var_shape = var.shape + (1,) if x.ndim >= 1 and var.shape == x.shape[:-1] else var.shape
    same_shape("gaussian_nll_loss", ("input", x.shape), ("target", y.shape), ("var", var_shape))
    return L.gaussian_nll_loss(
        x, y, var, full=bool(params["full"]), eps=float(params["eps"]), reduction=r  # type: ignore[arg-type]
    )


def kl_div(a: Arrays, params: Params, r: str) -> mx.array:
    # MLX's kl_div_loss takes the target as log-probabilities too: a user with probabilities
    # (PyTorch's log_target=False) passes mx.log(target).
    target = a["target"] if params["log_target"] else mx.log(a["target"])
    return L.kl_div_loss(a["input"], target, axis=-1, reduction=r)


def pointwise(function: str) -> Callable[[Arrays, Params, str], mx.array]:
    """l1_loss, mse_loss: (predictions, targets, reduction)."""

    def run(a: Arrays, params: Params, r: str) -> mx.array:
        no_weight(function, a)
        x, y = a["input"], a["target"]
        same_shape(function, ("input", x.shape), ("target", y.shape))
        return getattr(L, function)(x, y, reduction=r)

    return run


def smooth_l1_loss(a: Arrays, params: Params, r: str) -> mx.array:
    x, y = a["input"], a["target"]
    same_shape("smooth_l1_loss", ("input", x.shape), ("target", y.shape))
    return L.smooth_l1_loss(x, y, beta=float(params["beta"]), reduction=r)  # type: ignore[arg-type]


def huber_loss(a: Arrays, params: Params, r: str) -> mx.array:
    no_weight("huber_loss", a)
    return L.huber_loss(a["input"], a["target"], delta=float(params["delta"]), reduction=r)  # type: ignore[arg-type]


def margin_ranking_loss(a: Arrays, params: Params, r: str) -> mx.array:
    x1, x2, y = a["input1"], a["input2"], a["target"]
    same_shape("margin_ranking_loss", ("input1", x1.shape), ("input2", x2.shape), ("target", y.shape))
    return L.margin_ranking_loss(x1, x2, y, margin=float(params["margin"]), reduction=r)  # type: ignore[arg-type]


def triplet(a: Arrays, params: Params, r: str, p: float, eps: float) -> mx.array:
    if params["swap"]:
        raise lossparity.Unsupported("MLX's triplet_loss has no swap")
    margin = float(params["margin"])  # type: ignore[arg-type]
    return L.triplet_loss(a["anchor"], a["positive"], a["negative"], axis=-1, p=p, margin=margin, eps=eps, reduction=r)


def triplet_margin_loss(a: Arrays, params: Params, r: str) -> mx.array:
    if params["p"] == 0:
        raise lossparity.Unsupported("MLX's triplet_loss cannot take p = 0: it raises ZeroDivisionError at 1.0 / p")
    return triplet(a, params, r, float(params["p"]), float(params["eps"]))  # type: ignore[arg-type]


def triplet_margin_with_distance_loss(a: Arrays, params: Params, r: str) -> mx.array:
    distance = params["distance_function"]
    if distance not in (None, "pairwise_distance"):
        raise lossparity.Unsupported(f"MLX's triplet_loss takes only a p-norm distance, not {distance}")
    # PyTorch's default distance is pairwise_distance (p = 2, eps = 1e-6).
    return triplet(a, params, r, 2.0, 1e-6)


LOSSES: dict[str, Callable[[Arrays, Params, str], mx.array]] = {
    "binary_cross_entropy": bce(logits=False),
    "binary_cross_entropy_with_logits": bce(logits=True),
    "cross_entropy": cross_entropy,
    "gaussian_nll_loss": gaussian_nll_loss,
    "huber_loss": huber_loss,
    "kl_div": kl_div,
    "l1_loss": pointwise("l1_loss"),
    "margin_ranking_loss": margin_ranking_loss,
    "mse_loss": pointwise("mse_loss"),
    "nll_loss": nll_loss,
    "smooth_l1_loss": smooth_l1_loss,
    "triplet_margin_loss": triplet_margin_loss,
    "triplet_margin_with_distance_loss": triplet_margin_with_distance_loss,
}

# MLX's own messages, by the error class PyTorch raises for the same fault (spec/errors.md).
ERROR_CLASSES = (
    ("invalid_parameter", ("Invalid reduction", "Label smoothing must be in")),
    (
        "invalid_shape",
        (
            "does not match",  # the losses' own shape checks
            "do not match",
            "is not the same as",  # weights
            "cannot be broadcast",
            "Invalid axis",  # a 0-d input where MLX reduces over an axis
            "[expand_dims] Axis",  # nll_loss with a target of too few dimensions
            "[take_along_axis] Axis",  # nll_loss with a 0-d input
            "pop from empty list",  # cross_entropy's _drop_dim on a 0-d input
            "gather with indices type",  # a float target of the class-index shape
            "Received empty array",  # logsumexp refuses empty arrays
            "with size 0",  # max refuses to reduce an empty axis
        ),
    ),
)


def classify(exc: Exception) -> str:
    message = str(exc)
    for kind, needles in ERROR_CLASSES:
        if any(needle in message for needle in needles):
            return kind
    raise exc  # an MLX error no class covers: an adapter bug, reported with its traceback


class Mlx(lossparity.Implementation):
    name = "mlx"
    version = mx.__version__
    language = "python"
    dtypes = list(DTYPES)
    homepage = "https://github.com/ml-explore/mlx"
    issues = ISSUES

    def run(self, request: lossparity.Request) -> lossparity.Output:
        if request.loss in MISSING:
            raise lossparity.Unsupported(MISSING[request.loss])
        loss = LOSSES.get(request.loss)
        if loss is None:
            raise lossparity.Unsupported(f"mlx.nn.losses has nothing for {request.loss}")
        dtype = DTYPES[request.dtype]
        arrays = {
            name: mx.array(value, dtype=dtype if value.dtype.kind == "f" else mx.int64)
            for name, value in request.inputs.items()
        }
        r = reduction(request.loss, request.params)
        names = list(request.gradients)

        def total(wrt: Arrays) -> mx.array:
            return loss({**arrays, **wrt}, request.params, r).sum()

        try:
            output = loss(arrays, request.params, r)
            mx.eval(output)
        except (ValueError, IndexError, RuntimeError) as exc:
            raise lossparity.Rejected(classify(exc), f"{type(exc).__name__}: {exc}") from None
        gradients = None
        if names and not gather_out_of_bounds(request.loss, arrays):
            grads = mx.grad(total)({n: arrays[n] for n in names})
            mx.eval(grads)
            gradients = {n: np.array(g) for n, g in grads.items()}
        return lossparity.Output(np.array(output), gradients)


if __name__ == "__main__":
    mx.set_default_device(mx.cpu)
    lossparity.serve(Mlx())
