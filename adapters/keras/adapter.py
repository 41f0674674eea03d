"""Keras 3 on its JAX backend, through the process protocol (spec/protocol.md).

Each request is mapped onto the `keras.losses` class a Keras user porting a PyTorch model would
pick, called as Keras is called: `(y_true, y_pred)`, PyTorch's `mean` as
`reduction="sum_over_batch_size"`, `sum` as `"sum"`, `none` as `None`. Gradients are those of
`output.sum()` by `jax.value_and_grad` through the Keras call. Nothing of PyTorch's formulas is
re-implemented: where Keras computes a loss differently the case fails and is listed in
known-differences.yaml; where Keras has no such loss or parameter the case is `Unsupported`.

The only conversions are those the Keras API asks of a ported model: predictions PyTorch takes
in log space (`kl_div`, `nll_loss`, `poisson_nll_loss` with `log_input`) are passed through
`keras.ops.exp`, since Keras takes probabilities and rates; the class axis (PyTorch's dim 1) is
moved last, where Keras's cross-entropies expect it; CTC's `(T, N, C)` log-probabilities are
transposed to Keras's `(N, T, C)` and its targets zero-padded past their lengths (Keras reads a
target's length as its count of non-zero labels).

    lossparity run --exec "$HOME/.cache/lossparity-keras-venv/bin/python adapters/keras/adapter.py" --dtype f32
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import sys
import warnings
from pathlib import Path
from typing import Any, Callable

os.environ["KERAS_BACKEND"] = "jax"
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "python"))

import numpy as np  # noqa: E402

import lossparity  # noqa: E402

Arrays = dict[str, Any]
Compute = Callable[[Arrays], Any]

KERAS_ISSUES = "https://github.com/keras-team/keras/issues"


class Backend:
    """Keras and JAX, imported on the first request: the process runs in one dtype, and float64
    needs `jax_enable_x64` before JAX starts and `keras.config.set_floatx("float64")`."""

    def __init__(self, dtype: str):
        if dtype == "float64":
            os.environ["JAX_ENABLE_X64"] = "1"
        import jax
        import jax.numpy as jnp
        import keras

        if dtype == "float64":
            jax.config.update("jax_enable_x64", True)
        keras.config.set_floatx(dtype)
        self.dtype = dtype
        self.jax, self.jnp, self.keras = jax, jnp, keras


def unsupported(reason: str, issue: str | None = None) -> lossparity.Unsupported:
    return lossparity.Unsupported(reason, issue)


# PyTorch's reduction strings each loss accepts (spec/reductions.md), translated into Keras's.
# A string outside them is passed to Keras unchanged, so that Keras's own validation decides.
_MEAN_ALIASES = {"mean", "elementwise_mean"}
_NO_ELEMENTWISE_MEAN = {"poisson_nll_loss", "multilabel_soft_margin_loss"}


def torch_reduction(request: lossparity.Request) -> str:
    """The reduction PyTorch applies: the string, or what the legacy arguments select."""
    size_average = request.params.get("size_average")
    reduce = request.params.get("reduce")
    if size_average is None and reduce is None:
        return request.params["reduction"]
    if request.loss == "kl_div" and request.params["reduction"] == "batchmean":
        raise unsupported("kl_div's batchmean with a legacy size_average/reduce (PyTorch reduces as the legacy arguments say, then divides by the batch size) has no Keras reduction")
    if reduce is False:
        return "none"
    return "sum" if size_average is False else "mean"


def keras_reduction(request: lossparity.Request) -> Any:
    reduction = torch_reduction(request)
    if reduction == "none":
        return None
    if reduction == "sum":
        return "sum"
    if reduction == "mean" or (reduction == "elementwise_mean" and request.loss not in _NO_ELEMENTWISE_MEAN):
        return "sum_over_batch_size"
    if reduction == "batchmean" and request.loss == "kl_div":
        return "sum_over_batch_size"  # KLDivergence sums over the last axis, then means the rest
    return reduction  # not a PyTorch reduction of this loss: Keras judges it


def no_weight(request: lossparity.Request, *names: str) -> None:
    for name in names or ("weight",):
        if name in request.inputs:
            raise unsupported(
                f"{request.loss}'s {name}: Keras losses take only a per-sample sample_weight, applied "
                "after the loss's mean over the last axis, not PyTorch's per-element or per-class weight"
            )


def class_last(keras: Any, x: Any) -> Any:
    """PyTorch's class axis (dim 1 of a batched input) moved last, where Keras expects it."""
    return keras.ops.moveaxis(x, 1, -1) if len(x.shape) >= 2 else x


# One mapping per loss: checks what Keras can express, returns the call of Keras on the
# prediction inputs (a dict of arrays) with the other inputs held constant.


def binary_cross_entropy(r: lossparity.Request, b: Backend) -> Compute:
    no_weight(r)
    loss = b.keras.losses.BinaryCrossentropy(from_logits=False, reduction=keras_reduction(r))
    return lambda x: loss(r.inputs["target"], x["input"])


def binary_cross_entropy_with_logits(r: lossparity.Request, b: Backend) -> Compute:
    no_weight(r)
    if "pos_weight" in r.inputs:
        raise unsupported("keras.losses.BinaryCrossentropy has no pos_weight")
    loss = b.keras.losses.BinaryCrossentropy(from_logits=True, reduction=keras_reduction(r))
    return lambda x: loss(r.inputs["target"], x["input"])


def multilabel_soft_margin_loss(r: lossparity.Request, b: Backend) -> Compute:
    # PyTorch's loss is the mean over the last axis of the binary cross-entropy with logits:
    # Keras's BinaryCrossentropy(from_logits=True) before its reduction.
    no_weight(r)
    loss = b.keras.losses.BinaryCrossentropy(from_logits=True, reduction=keras_reduction(r))
    return lambda x: loss(r.inputs["target"], x["input"])


def cross_entropy(r: lossparity.Request, b: Backend) -> Compute:
    if "weight" in r.inputs:
        raise unsupported("Keras's cross-entropy losses have no class weight (only a per-sample sample_weight)")
    keras, target = b.keras, r.inputs["target"]
    smoothing = r.params["label_smoothing"]
    if target.dtype.kind == "i":
        if smoothing != 0.0:
            raise unsupported("keras.losses.SparseCategoricalCrossentropy (class-index targets) has no label_smoothing")
        loss = keras.losses.SparseCategoricalCrossentropy(
            from_logits=True, ignore_class=r.params["ignore_index"], reduction=keras_reduction(r)
        )
        return lambda x: loss(target, class_last(keras, x["input"]))
    if r.params["ignore_index"] != -100:
        raise unsupported("keras.losses.CategoricalCrossentropy (probability targets) has no ignore_class")
    loss = keras.losses.CategoricalCrossentropy(
        from_logits=True, label_smoothing=smoothing, reduction=keras_reduction(r)
    )
    return lambda x: loss(class_last(keras, keras.ops.convert_to_tensor(target)), class_last(keras, x["input"]))


def nll_loss(r: lossparity.Request, b: Backend) -> Compute:
    if "weight" in r.inputs:
        raise unsupported("keras.losses.SparseCategoricalCrossentropy has no class weight (only a per-sample sample_weight)")
    keras = b.keras
    loss = keras.losses.SparseCategoricalCrossentropy(
        from_logits=False, ignore_class=r.params["ignore_index"], reduction=keras_reduction(r)
    )
    # Keras has no loss on log-probabilities: it takes the probabilities exp(input).
    return lambda x: loss(r.inputs["target"], class_last(keras, keras.ops.exp(x["input"])))


def kl_div(r: lossparity.Request, b: Backend) -> Compute:
    if r.params["log_target"]:
        raise unsupported("keras.losses.KLDivergence takes the target as probabilities; it has no log_target")
    keras = b.keras
    loss = keras.losses.KLDivergence(reduction=keras_reduction(r))
    # PyTorch's input is log-probabilities; KLDivergence takes probabilities.
    return lambda x: loss(r.inputs["target"], keras.ops.exp(x["input"]))


def poisson_nll_loss(r: lossparity.Request, b: Backend) -> Compute:
    if r.params["full"]:
        raise unsupported("keras.losses.Poisson has no Stirling term (PyTorch's full=True)")
    keras = b.keras
    loss = keras.losses.Poisson(reduction=keras_reduction(r))
    # Poisson takes the rate; with log_input PyTorch's input is its log.
    if r.params["log_input"]:
        return lambda x: loss(r.inputs["target"], keras.ops.exp(x["input"]))
    return lambda x: loss(r.inputs["target"], x["input"])


def elementwise(cls_name: str, **kwargs: Any) -> Callable[[lossparity.Request, Backend], Compute]:
    def mapping(r: lossparity.Request, b: Backend) -> Compute:
        no_weight(r)
        loss = getattr(b.keras.losses, cls_name)(reduction=keras_reduction(r), **kwargs)
        return lambda x: loss(r.inputs["target"], x["input"])

    return mapping


def huber_loss(r: lossparity.Request, b: Backend) -> Compute:
    no_weight(r)
    loss = b.keras.losses.Huber(delta=r.params["delta"], reduction=keras_reduction(r))
    return lambda x: loss(r.inputs["target"], x["input"])


def smooth_l1_loss(r: lossparity.Request, b: Backend) -> Compute:
    if r.params["beta"] != 1.0:
        raise unsupported("Keras has no smooth L1 loss; keras.losses.Huber(delta) equals it only for beta = 1 (it is beta times smooth_l1 for other beta)")
    loss = b.keras.losses.Huber(delta=1.0, reduction=keras_reduction(r))
    return lambda x: loss(r.inputs["target"], x["input"])


def ctc_loss(r: lossparity.Request, b: Backend) -> Compute:
    log_probs, targets = r.inputs["log_probs"], r.inputs["targets"]
    input_lengths, target_lengths = r.inputs["input_lengths"], r.inputs["target_lengths"]
    if r.params["blank"] != 0:
        raise unsupported("keras.losses.CTC fixes the blank (mask) index at 0")
    if r.params["zero_infinity"]:
        raise unsupported("keras.losses.CTC has no zero_infinity")
    if log_probs.ndim != 3:
        raise unsupported("keras.losses.CTC takes only batched (batch, time, classes) predictions")
    time, batch = log_probs.shape[0], log_probs.shape[1]
    if targets.ndim != 2:
        raise unsupported("keras.losses.CTC takes (batch, max_length) zero-padded targets, not concatenated ones")
    if input_lengths.size != batch or np.any(input_lengths != time):
        raise unsupported("keras.losses.CTC has no input lengths: every sequence spans the whole time axis")
    lengths = target_lengths.reshape(-1)
    if lengths.size != batch or np.any(lengths < 0) or np.any(lengths > targets.shape[1]):
        raise unsupported("keras.losses.CTC has no target lengths, and these cannot be written as zero padding")
    # Keras reads each target's length as its count of non-zero labels: pad with 0 past it.
    padded = np.where(np.arange(targets.shape[1])[None, :] < lengths[:, None], targets, 0)
    keras = b.keras
    loss = keras.losses.CTC(reduction=keras_reduction(r))
    return lambda x: loss(padded, keras.ops.transpose(x["log_probs"], (1, 0, 2)))


def absent(reason: str) -> Callable[[lossparity.Request, Backend], Compute]:
    def mapping(r: lossparity.Request, b: Backend) -> Compute:
        raise unsupported(reason)

    return mapping


MAPPINGS: dict[str, Callable[[lossparity.Request, Backend], Compute]] = {
    "binary_cross_entropy": binary_cross_entropy,
    "binary_cross_entropy_with_logits": binary_cross_entropy_with_logits,
    "cosine_embedding_loss": absent("Keras has no cosine embedding loss (keras.losses.CosineSimilarity is -cos(y_true, y_pred), with no ±1 target or margin)"),
    "cross_entropy": cross_entropy,
    "ctc_loss": ctc_loss,
    "gaussian_nll_loss": absent("Keras has no Gaussian negative log-likelihood loss"),
    "hinge_embedding_loss": absent("Keras has no hinge embedding loss (keras.losses.Hinge is mean(max(1 - y·x, 0)), another function)"),
    "huber_loss": huber_loss,
    "kl_div": kl_div,
    "l1_loss": elementwise("MeanAbsoluteError"),
    "linear_cross_entropy": absent("Keras has no fused linear + cross-entropy loss"),
    "margin_ranking_loss": absent("Keras has no margin ranking loss"),
    "mse_loss": elementwise("MeanSquaredError"),
    "multi_margin_loss": absent("Keras has no multi-class margin loss (keras.losses.CategoricalHinge takes the max over wrong classes, not PyTorch's sum / C, and has no p, margin or weight)"),
    "multilabel_margin_loss": absent("Keras has no multi-label margin loss"),
    "multilabel_soft_margin_loss": multilabel_soft_margin_loss,
    "nll_loss": nll_loss,
    "poisson_nll_loss": poisson_nll_loss,
    "smooth_l1_loss": smooth_l1_loss,
    "soft_margin_loss": absent("Keras has no soft margin loss"),
    "triplet_margin_loss": absent("Keras has no triplet margin loss"),
    "triplet_margin_with_distance_loss": absent("Keras has no triplet margin loss"),
}

# Keras's and JAX's messages, by the class PyTorch raises for the same fault (spec/errors.md).
ERROR_PATTERNS: list[tuple[str, str]] = [
    ("invalid_parameter", r"Invalid value for argument `reduction`"),
    ("invalid_shape", r"must have the same shape|must be at least rank|[Ii]ncompatible shapes|"
     r"expected to be a tensor of shape|axis -?\d+ is out of bounds for array of dimension|"
     r"cannot reshape array|Shapes must be|shape mismatch|"
     # an index JAX cannot take: a 0-d input's last axis, an empty time axis
     r"tuple index out of range|index is out of bounds for axis \d+ with size 0"),
]


def classify(exc: Exception) -> str | None:
    message = f"{type(exc).__name__}: {exc}"
    for kind, pattern in ERROR_PATTERNS:
        if re.search(pattern, message):
            return kind
    return None


class Keras(lossparity.Implementation):
    name = "keras"
    version = importlib.metadata.version("keras")
    language = "python"
    # float64 is not offered: with jax_enable_x64 and floatx "float64", Keras 3.15.1's
    # result_type still maps float64 to float32 on JAX (BIT64_TO_BIT32_DTYPE), so keras.ops.mean,
    # and every loss's mean over the last axis, computes in float32 (keras-team/keras#23225).
    dtypes = ["float32"]
    homepage = "https://keras.io"
    issues = KERAS_ISSUES

    def __init__(self) -> None:
        self.backend: Backend | None = None

    def run(self, request: lossparity.Request) -> lossparity.Output:
        if self.backend is None:
            self.backend = Backend(request.dtype)
        b = self.backend
        if request.dtype != b.dtype:
            raise unsupported(f"this process computes in {b.dtype} (Keras's floatx is set once)")
        mapping = MAPPINGS.get(request.loss)
        if mapping is None:
            raise unsupported(f"no Keras mapping for {request.loss}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                compute = mapping(request, b)
                return self.evaluate(request, compute)
            except (lossparity.Unsupported, lossparity.Rejected):
                raise
            except Exception as exc:  # noqa: BLE001 - classified, or the adapter stops
                kind = classify(exc)
                if kind is None:
                    raise
                raise lossparity.Rejected(kind, f"{type(exc).__name__}: {exc}") from None

    def evaluate(self, request: lossparity.Request, compute: Compute) -> lossparity.Output:
        jax, jnp = self.backend.jax, self.backend.jnp
        floats = {
            name: jnp.asarray(array, dtype=request.dtype)
            for name, array in request.inputs.items()
            if array.dtype.kind == "f"
        }
        names = [name for name in request.gradients if name in floats]
        if not names:
            return lossparity.Output(np.asarray(compute(floats)))

        def summed(*values: Any) -> tuple[Any, Any]:
            output = compute({**floats, **dict(zip(names, values))})
            return jnp.sum(output), output

        grad = jax.value_and_grad(summed, argnums=tuple(range(len(names))), has_aux=True)
        (_, output), grads = grad(*(floats[name] for name in names))
        return lossparity.Output(
            np.asarray(output), {name: np.asarray(g) for name, g in zip(names, grads)}
        )


if __name__ == "__main__":
    lossparity.serve(Keras())
