"""Cases for torch.nn.functional.gaussian_nll_loss (torch.nn.GaussianNLLLoss); see spec/gaussian_nll_loss.md.

`var` is always a tensor here: the case format has no way to pass a Python float, which
F.gaussian_nll_loss also accepts (spec, "Inputs and parameters").
"""

import random

from casegen import (
    INF,
    INVALID_REDUCTIONS,
    NAN,
    case,
    empty,
    error,
    invalid_reduction_cases,
    reduction_cases,
    uniform,
)

ERROR_PATTERNS = [
    ("invalid_parameter", r"^\S* is not valid$"),
    ("invalid_value", r"^var has negative entry/entries$"),
    ("invalid_shape", r"^var is of incorrect size$"),
]

rng = random.Random(31)

# The worked example: 2 samples of 3 means, targets and one variance per element.
X = [[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]]
Y = [[1.0, -0.5, 0.5], [1.0, 1.0, 0.0]]
V = [[0.5, 1.0, 2.0], [0.25, 4.0, 1.0]]
XYV = {"input": X, "target": Y, "var": V}
X3 = uniform(rng, (2, 3, 4), -2.0, 2.0)
Y3 = uniform(rng, (2, 3, 4), -2.0, 2.0)
V3 = uniform(rng, (2, 3, 4), 0.1, 3.0)
SMALL = {"input": [0.5], "target": [1.0], "var": [1.0]}
SQUARE = {"input": [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], "target": [[0.0, 0.0, 0.0]] * 3}

# Dtypes below float64 in which PyTorch itself cannot compute a case, and why (not_applicable in
# spec/case-format.md); tools/certify's PyTorch run justifies each entry.
NA_F16_VAR_EPS = {
    "f16": "with var clamped at eps = 1e-6, a float16 subnormal, the terms of PyTorch's gradient overflow float16 and combine into NaN",
}

CASES = [
    case("default_mean", XYV, tags=["tutorial", "reduction"]),
    *reduction_cases("reduction", XYV, reductions=("none", "mean", "sum")),
    # Its own reduction check (after the var checks) rejects the deprecated alias.
    error("elementwise_mean_rejected", SMALL, {"reduction": "elementwise_mean"}, ["reduction", "quirk"]),
    *invalid_reduction_cases(SMALL, values=INVALID_REDUCTIONS + (("batchmean_is_kl_div_only", "batchmean"),)),
    error("invalid_reduction_checked_before_broadcast", {"input": [0.5, 1.0, 1.5], "target": [1.0, 2.0], "var": [1.0, 1.0, 1.0]}, {"reduction": "bogus"}, ["reduction"]),
    # full adds 0.5·log(2π) to every element.
    case("full_none", XYV, {"full": True, "reduction": "none"}, ["param"]),
    case("full_mean", XYV, {"full": True, "reduction": "mean"}, ["param"]),
    case("full_sum", XYV, {"full": True, "reduction": "sum"}, ["param"]),
    case("full_false_explicit", XYV, {"full": False, "reduction": "none"}, ["param"]),
    case("input_equals_target", {"input": [1.0, -2.0], "target": [1.0, -2.0], "var": [1.0, 0.5]}, {"reduction": "none"}, ["basic"]),
    # var is clamped to eps (default 1e-6) without autograd: the gradient passes straight through.
    case("var_zero_clamped_to_eps", {"input": [1.0, 2.0, 3.0], "target": [1.0, 0.0, 0.0], "var": [0.0, 0.0, 3.0]}, {"reduction": "none"}, ["clamp", "tutorial"], not_applicable=NA_F16_VAR_EPS),
    case("var_below_eps_straight_through_gradient", {"input": [2.0, 1.0], "target": [0.0, 0.0], "var": [1e-9, 1.0]}, {"reduction": "none"}, ["clamp", "quirk"], not_applicable=NA_F16_VAR_EPS),
    case("var_exactly_eps", {"input": [2.0, 1.0], "target": [0.0, 0.0], "var": [1e-6, 1.0]}, {"reduction": "none"}, ["clamp", "kink"], not_applicable=NA_F16_VAR_EPS),
    case("var_just_above_eps", {"input": [2.0, 1.0], "target": [0.0, 0.0], "var": [1.5e-6, 1.0]}, {"reduction": "sum"}, ["clamp"], not_applicable=NA_F16_VAR_EPS),
    case("var_negative_zero_passes_and_is_clamped", {"input": [1.0, 2.0], "target": [0.0, 0.0], "var": [-0.0, 2.0]}, {"reduction": "none"}, ["clamp"], not_applicable=NA_F16_VAR_EPS),
    case("eps_large_clamps_everything", XYV, {"eps": 3.0, "reduction": "none"}, ["param", "clamp"]),
    case("eps_small", {"input": [2.0, 1.0], "target": [0.0, 0.0], "var": [1e-9, 1.0]}, {"eps": 1e-12, "reduction": "none"}, ["param", "clamp"]),
    case("eps_zero_var_zero", {"input": [1.0, 2.0, 3.0], "target": [1.0, 0.0, 0.0], "var": [0.0, 0.0, 3.0]}, {"eps": 0.0, "reduction": "none"}, ["param", "nonfinite"]),
    case("eps_negative_is_like_zero", {"input": [1.0, 2.0, 3.0], "target": [1.0, 0.0, 0.0], "var": [0.0, 0.0, 3.0]}, {"eps": -1.0, "reduction": "none"}, ["param", "nonfinite"]),
    case("eps_inf", {"input": [1.0, 2.0], "target": [1.0, 0.0], "var": [0.5, 3.0]}, {"eps": INF, "reduction": "none"}, ["param", "nonfinite"]),
    case("eps_nan_makes_everything_nan", {"input": [1.0, 2.0], "target": [1.0, 0.0], "var": [0.5, 3.0]}, {"eps": NAN, "reduction": "none"}, ["param", "nonfinite", "quirk"]),
    case("eps_and_full", XYV, {"eps": 0.75, "full": True, "reduction": "mean"}, ["param"]),
    # var shapes: the same as input ...
    case("var_same_shape_3d", {"input": X3, "target": Y3, "var": V3}, {"reduction": "mean"}, ["shape"]),
    # ... one dimension short (unsqueezed at the end: one variance per row) ...
    case("var_one_fewer_dim", {"input": X, "target": Y, "var": [0.5, 2.0]}, {"reduction": "none"}, ["shape", "broadcast"]),
    case("var_one_fewer_dim_mean", {"input": X, "target": Y, "var": [0.5, 2.0]}, {"reduction": "mean"}, ["shape", "broadcast"]),
    case("var_one_fewer_dim_3d", {"input": X3, "target": Y3, "var": uniform(rng, (2, 3), 0.1, 3.0)}, {"reduction": "sum"}, ["shape", "broadcast"]),
    case("var_one_fewer_dim_square_input_is_per_row", {**SQUARE, "var": [1.0, 2.0, 3.0]}, {"reduction": "none"}, ["shape", "broadcast", "quirk"]),
    case("var_zero_dim_with_one_dim_input", {"input": [1.0, 2.0, 3.0], "target": [0.0, 0.0, 0.0], "var": 2.0}, {"reduction": "none"}, ["shape", "broadcast"]),
    # ... or the same rank with the last (or another) dimension 1.
    case("var_last_dim_one", {"input": X, "target": Y, "var": [[0.5], [2.0]]}, {"reduction": "none"}, ["shape", "broadcast"]),
    case("var_first_dim_one", {"input": X, "target": Y, "var": [[0.5, 1.0, 2.0]]}, {"reduction": "none"}, ["shape", "broadcast"]),
    case("var_last_dim_one_3d", {"input": X3, "target": Y3, "var": uniform(rng, (2, 3, 1), 0.1, 3.0)}, {"reduction": "mean"}, ["shape", "broadcast"]),
    case("var_middle_dim_one_3d", {"input": X3, "target": Y3, "var": uniform(rng, (2, 1, 4), 0.1, 3.0)}, {"reduction": "sum"}, ["shape", "broadcast"]),
    case("var_size_one_with_one_dim_input", {"input": [1.0, 2.0, 3.0], "target": [0.0, 0.0, 0.0], "var": [2.0]}, {"reduction": "none"}, ["shape", "broadcast"]),
    # The size rule sums var's sizes over the mismatched dimensions: a size-0 mismatch adds 0.
    case("var_zero_size_mismatch_passes_and_empties_output", {"input": [[1.0, 2.0, 3.0]], "target": [[0.0, 0.0, 0.0]], "var": empty(0, 1)}, {"reduction": "none"}, ["shape", "empty", "quirk"]),
    case("var_zero_size_mismatch_mean_is_nan", {"input": [[1.0, 2.0, 3.0]], "target": [[0.0, 0.0, 0.0]], "var": empty(0, 1)}, {"reduction": "mean"}, ["shape", "empty", "quirk"]),
    error("var_zero_size_mismatch_then_broadcast_fails", {"input": X, "target": Y, "var": empty(0, 1)}, tags=["shape", "empty", "quirk"]),
    # Every other var shape is rejected.
    error("var_wrong_length_one_fewer_dim", {"input": X, "target": Y, "var": [1.0, 2.0, 3.0]}, tags=["shape"]),
    error("var_all_dims_one", {"input": X, "target": Y, "var": [[1.0]]}, tags=["shape"]),
    error("var_zero_dim_with_two_dim_input", {"input": X, "target": Y, "var": 1.0}, tags=["shape"]),
    error("var_extra_trailing_dim", {"input": X, "target": Y, "var": [[[0.5], [1.0], [2.0]], [[0.25], [4.0], [1.0]]]}, tags=["shape"]),
    error("var_one_dim_with_zero_dim_input", {"input": 1.0, "target": 0.0, "var": [2.0]}, tags=["shape"]),
    error("var_larger_than_input", {"input": [[1.0], [2.0]], "target": [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], "var": [[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]]}, tags=["shape", "quirk"]),
    # Negative variances are rejected first (NaN passes the check).
    error("var_negative", {"input": [1.0, 2.0], "target": [0.0, 0.0], "var": [-1.0, 2.0]}),
    error("var_negative_inf", {"input": [1.0, 2.0], "target": [0.0, 0.0], "var": [-INF, 2.0]}, tags=["nonfinite"]),
    error("var_negative_tiny", {"input": [1.0, 2.0], "target": [0.0, 0.0], "var": [-1e-300, 2.0]}),
    error("var_negative_checked_before_size", {"input": X, "target": Y, "var": [[-1.0]]}, tags=["shape"]),
    case("var_nan_propagates", {"input": [1.0, 2.0, 3.0], "target": [0.0, 0.0, 0.0], "var": [NAN, 2.0, 3.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("var_inf", {"input": [1.0, 2.0, 3.0], "target": [0.0, 0.0, 0.0], "var": [INF, 2.0, 3.0]}, {"reduction": "none"}, ["nonfinite"]),
    # The target broadcasts freely with input (and var), and may enlarge the output.
    case("target_broadcast_row", {"input": X, "target": [[1.0, -0.5, 0.5]], "var": V}, {"reduction": "none"}, ["broadcast"]),
    case("target_enlarges_output", {"input": [[1.0], [2.0]], "target": [[0.0, 0.5, 1.0], [0.0, 0.5, 1.0]], "var": [[1.0], [2.0]]}, {"reduction": "none"}, ["broadcast", "quirk"]),
    case("target_zero_dim", {"input": X, "target": 0.5, "var": V}, {"reduction": "sum"}, ["broadcast"]),
    error("target_not_broadcastable", {"input": [0.5, 1.0, 1.5], "target": [1.0, 2.0], "var": [1.0, 1.0, 1.0]}, tags=["broadcast"]),
    # Non-finite means and targets.
    case("input_nan_propagates", {"input": [NAN, 1.0], "target": [0.0, 0.0], "var": [1.0, 1.0]}, {"reduction": "mean"}, ["nonfinite"]),
    case("input_inf", {"input": [INF, 1.0], "target": [0.0, 0.0], "var": [1.0, 1.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("input_and_target_inf_is_nan", {"input": [INF, 1.0], "target": [INF, 0.0], "var": [1.0, 1.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("target_nan_propagates", {"input": [1.0, 1.0], "target": [NAN, 0.0], "var": [1.0, 1.0]}, {"reduction": "none"}, ["nonfinite"]),
    # Shapes.
    case("zero_dim_all", {"input": 1.0, "target": 0.0, "var": 2.0}, {"reduction": "none"}, ["shape"]),
    case("zero_dim_all_mean_full", {"input": 1.0, "target": 0.0, "var": 2.0}, {"reduction": "mean", "full": True}, ["shape"]),
    case("one_dim_none", {"input": [0.1, 0.2, -0.3, 1.1], "target": [0.0, 0.5, 0.0, 1.0], "var": [1.0, 0.5, 2.0, 0.1]}, {"reduction": "none"}, ["shape"]),
    case("three_dim_none", {"input": X3, "target": Y3, "var": V3}, {"reduction": "none"}, ["shape"]),
    # Empty tensors.
    *[
        case(f"empty_1d_{r}", {"input": empty(0), "target": empty(0), "var": empty(0)}, {"reduction": r}, ["empty", "reduction"])
        for r in ("none", "mean", "sum")
    ],
    *[
        case(f"empty_0x3_var_one_fewer_dim_{r}", {"input": empty(0, 3), "target": empty(0, 3), "var": empty(0)}, {"reduction": r}, ["empty", "reduction"])
        for r in ("none", "mean", "sum")
    ],
    case("empty_2x0_var_last_dim_one", {"input": empty(2, 0), "target": empty(2, 0), "var": [[1.0], [2.0]]}, {"reduction": "sum"}, ["empty", "broadcast"]),
]
