"""Small helpers for the case definition modules in tools/cases/.

A case is a dict {name, params (optional), inputs, tags (optional), tolerance (optional),
not_applicable (optional)}; these helpers only build such dicts and readable input values.
tools/generate.py validates them against the loss's signature and lets PyTorch compute every
expected value.
"""

from __future__ import annotations

import random

NAN = float("nan")
INF = float("inf")

# The four reduction strings every loss accepts ('elementwise_mean' is the deprecated 'mean').
REDUCTIONS = ("none", "mean", "sum", "elementwise_mean")

# (name, legacy arguments) — the legacy size_average/reduce combinations, and legacy arguments given
# together with a `reduction` that PyTorch then ignores (even an invalid one).
LEGACY = (
    ("legacy_reduce_false", {"reduce": False}),
    ("legacy_reduce_true", {"reduce": True}),
    ("legacy_size_average_true", {"size_average": True}),
    ("legacy_size_average_false", {"size_average": False}),
    ("legacy_size_average_true_reduce_true", {"size_average": True, "reduce": True}),
    ("legacy_size_average_false_reduce_true", {"size_average": False, "reduce": True}),
    ("legacy_size_average_true_reduce_false", {"size_average": True, "reduce": False}),
    ("legacy_size_average_false_reduce_false", {"size_average": False, "reduce": False}),
    ("legacy_reduce_true_overrides_reduction_none", {"reduce": True, "reduction": "none"}),
    ("legacy_size_average_false_overrides_reduction_mean", {"size_average": False, "reduction": "mean"}),
    ("legacy_reduce_false_overrides_reduction_sum", {"reduce": False, "reduction": "sum"}),
    ("legacy_reduce_false_ignores_invalid_reduction", {"reduce": False, "reduction": "bogus"}),
    ("legacy_size_average_true_ignores_invalid_reduction", {"size_average": True, "reduction": "bogus"}),
)


def case(name, inputs, params=None, tags=(), tolerance=None, not_applicable=None):
    """One case dict; empty params, tags, tolerance and not_applicable are left out. not_applicable
    maps dtypes below f64 ("f32", "f16", "bf16") to why PyTorch itself cannot compute the case there."""
    c = {"name": name}
    if params:
        c["params"] = dict(params)
    c["inputs"] = dict(inputs)
    if tags:
        c["tags"] = list(tags)
    if tolerance:
        c["tolerance"] = dict(tolerance)
    if not_applicable:
        c["not_applicable"] = dict(not_applicable)
    return c


def error(name, inputs, params=None, tags=()):
    """A case expected to raise; the generator records which error class."""
    return case(name, inputs, params, ["error", *tags])


def empty(*shape):
    """An empty tensor, e.g. empty(0, 3)."""
    return {"shape": list(shape), "data": []}


def uniform(rng: random.Random, shape, lo, hi, ndigits=2):
    """A nested list of the given shape with values uniform in [lo, hi], rounded to ndigits."""
    if not shape:
        return round(rng.uniform(lo, hi), ndigits)
    return [uniform(rng, shape[1:], lo, hi, ndigits) for _ in range(shape[0])]


def choice(rng: random.Random, shape, values):
    """A nested list of the given shape with values drawn from `values`."""
    if not shape:
        return rng.choice(values)
    return [choice(rng, shape[1:], values) for _ in range(shape[0])]


def reduction_cases(prefix, inputs, params=None, reductions=REDUCTIONS, tags=("reduction",)):
    """One case per reduction on the same inputs, named <prefix>_<reduction>."""
    return [
        case(f"{prefix}_{r}", inputs, {**(params or {}), "reduction": r}, tags)
        for r in reductions
    ]


INVALID_REDUCTIONS = (("misspelled", "means"), ("capitalized", "Mean"), ("empty_string", ""))


def invalid_reduction_cases(inputs, params=None, values=INVALID_REDUCTIONS):
    """Reduction strings that are not valid, as (label, string) pairs; each case is invalid_reduction_<label>."""
    return [
        error(f"invalid_reduction_{label}", inputs, {**(params or {}), "reduction": r}, ["reduction"])
        for label, r in values
    ]


def legacy_cases(inputs, params=None):
    """The LEGACY combinations on the same inputs."""
    return [case(name, inputs, {**(params or {}), **legacy}, ["legacy"]) for name, legacy in LEGACY]


def empty_cases(prefix, inputs, reductions, params=None):
    """Empty-tensor cases, one per reduction, named <prefix>_<reduction>."""
    return [
        case(f"{prefix}_{r}", inputs, {**(params or {}), "reduction": r}, ["empty", "reduction"])
        for r in reductions
    ]


def weighted_mean_cases(xy, xyw, small, column):
    """The `weight=` cases that `F.l1_loss` and `F.mse_loss` share: the weight has exactly the
    input's size and `mean` divides by its sum; shapes are checked before the strict reduction
    check of the weighted path; legacy arguments replace `reduction` there too.
    (`F.huber_loss`'s weighted mean divides by the element count instead.)

    xy: {input, target} of one shape; xyw: the same with a weight; small: a 1-element
    {input, target}; column: a (3, 1) input against a (3,) target."""
    return [
        # weight: exactly the input's size; mean divides by the sum of the weights.
        case("weight_none", xyw, {"reduction": "none"}, ["weight"]),
        case("weight_mean_divides_by_weight_sum", xyw, {"reduction": "mean"}, ["weight", "tutorial", "quirk"]),
        case("weight_default_reduction_mean", xyw, tags=["weight"]),
        case("weight_sum", xyw, {"reduction": "sum"}, ["weight"]),
        error("weight_elementwise_mean_rejected", xyw, {"reduction": "elementwise_mean"}, ["weight", "reduction", "quirk"]),
        *[
            error(f"weight_invalid_reduction_{label}", {**small, "weight": [2.0]}, {"reduction": r}, ["weight", "reduction"])
            for label, r in INVALID_REDUCTIONS + (("batchmean", "batchmean"),)
        ],
        error("weight_wrong_size", {**xy, "weight": [1.0, 2.0, 3.0]}, {"reduction": "none"}, ["weight", "shape"]),
        error("weight_zero_dim_not_broadcast", {**xy, "weight": 2.0}, {"reduction": "sum"}, ["weight", "shape", "quirk"]),
        error("weight_broadcastable_but_not_input_size", {"input": [1.0, 2.0, 3.0], "target": [0.0, 0.0, 0.0], "weight": [[1.0, 2.0, 3.0]]}, tags=["weight", "shape"]),
        error("weight_of_broadcast_shape_rejected", {**column, "weight": [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]}, tags=["weight", "broadcast"]),
        # Shapes are checked before the reduction: a shape error wins over elementwise_mean on the
        # weighted path and over an invalid string.
        error("weight_size_checked_before_reduction", {**xy, "weight": [1.0, 2.0]}, {"reduction": "elementwise_mean"}, ["weight", "reduction"]),
        error("weight_size_checked_before_invalid_reduction", {**xy, "weight": [1.0, 2.0]}, {"reduction": "bogus"}, ["weight", "reduction"]),
        error("broadcast_checked_before_invalid_reduction", {"input": [1.0, 2.0, 3.0], "target": [1.0, 2.0]}, {"reduction": "bogus"}, ["broadcast", "reduction"]),
        error("broadcast_checked_before_weight_and_reduction", {"input": [1.0, 2.0, 3.0], "target": [1.0, 2.0], "weight": [1.0, 2.0]}, {"reduction": "elementwise_mean"}, ["weight", "broadcast"]),
        case("weight_broadcast_with_input_none", {**column, "weight": [[1.0], [2.0], [0.5]]}, {"reduction": "none"}, ["weight", "broadcast"]),
        case("weight_broadcast_with_input_mean_counts_weights_once", {**column, "weight": [[1.0], [2.0], [0.5]]}, {"reduction": "mean"}, ["weight", "broadcast", "quirk"]),
        case("weight_broadcast_with_input_sum", {**column, "weight": [[1.0], [2.0], [0.5]]}, {"reduction": "sum"}, ["weight", "broadcast"]),
        case("weight_larger_target_mean", {"input": [1.0, 2.0, 3.0], "target": [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]], "weight": [1.0, 2.0, 0.5]}, {"reduction": "mean"}, ["weight", "broadcast"]),
        case("weight_zero_dim", {"input": 2.0, "target": -1.0, "weight": 0.5}, {"reduction": "mean"}, ["weight", "shape"]),
        case("weight_all_zero_mean_is_nan", {"input": [1.0, 2.0], "target": [0.0, 0.0], "weight": [0.0, 0.0]}, {"reduction": "mean"}, ["weight", "nonfinite"]),
        case("weight_sum_zero_mean_is_inf", {"input": [1.0, 2.0], "target": [1.0, 0.0], "weight": [-1.0, 1.0]}, {"reduction": "mean"}, ["weight", "nonfinite", "quirk"]),
        case("weight_negative", {"input": [1.0, 2.0, 3.0], "target": [0.0, 0.0, 0.0], "weight": [-1.0, 2.0, 0.5]}, {"reduction": "none"}, ["weight"]),
        case("weight_nan_propagates", {"input": [1.0, 2.0], "target": [0.0, 0.0], "weight": [NAN, 1.0]}, {"reduction": "none"}, ["weight", "nonfinite"]),
        case("weight_inf_times_zero_difference", {"input": [1.0, 2.0], "target": [1.0, 0.0], "weight": [INF, 1.0]}, {"reduction": "none"}, ["weight", "nonfinite"]),
        case("weight_empty_mean_is_nan", {"input": empty(0, 2), "target": empty(0, 2), "weight": empty(0, 2)}, {"reduction": "mean"}, ["weight", "empty"]),
        case("weight_empty_sum", {"input": empty(0, 2), "target": empty(0, 2), "weight": empty(0, 2)}, {"reduction": "sum"}, ["weight", "empty"]),
        case("legacy_reduce_false_with_weight", xyw, {"reduce": False}, ["legacy", "weight"]),
        case("legacy_size_average_false_with_weight", xyw, {"size_average": False}, ["legacy", "weight"]),
        case("legacy_size_average_true_with_weight_divides_by_weight_sum", xyw, {"size_average": True}, ["legacy", "weight"]),
        case("legacy_with_weight_ignores_elementwise_mean", xyw, {"reduce": True, "reduction": "elementwise_mean"}, ["legacy", "weight"]),
        case("legacy_with_weight_ignores_invalid_reduction", xyw, {"size_average": False, "reduction": "bogus"}, ["legacy", "weight"]),
    ]
