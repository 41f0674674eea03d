"""Small helpers for the case definition modules in tools/cases/.

A case is a dict {name, params (optional), inputs, tags (optional), tolerance (optional)}; these
helpers only build such dicts and readable input values. tools/generate.py validates them against
the loss's signature and lets PyTorch compute every expected value.
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


def case(name, inputs, params=None, tags=(), tolerance=None):
    """One case dict; empty params, tags and tolerance are left out."""
    c = {"name": name}
    if params:
        c["params"] = dict(params)
    c["inputs"] = dict(inputs)
    if tags:
        c["tags"] = list(tags)
    if tolerance:
        c["tolerance"] = dict(tolerance)
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
