"""Cases for torch.nn.functional.huber_loss (torch.nn.HuberLoss); see spec/huber_loss.md.

huber_loss has no size_average / reduce arguments, so there are no legacy cases.
"""

import random

from casegen import (
    INF,
    INVALID_REDUCTIONS,
    NAN,
    REDUCTIONS,
    case,
    empty,
    empty_cases,
    error,
    invalid_reduction_cases,
    reduction_cases,
    uniform,
)

ERROR_PATTERNS = [
    ("invalid_shape", r"Weights and input must have the same size"),
    ("invalid_parameter", r"Invalid reduction mode: .*\. Expected one of 'none', 'mean', 'sum'"),
    ("invalid_parameter", r"huber_loss does not support non-positive values for delta"),
]

rng = random.Random(103)

# The worked example: differences on both sides of delta = 1.
X = [[0.5, -1.25, 2.0], [3.0, 0.0, -0.75]]
Y = [[1.0, -1.0, 0.5], [2.5, 0.0, 1.0]]
XY = {"input": X, "target": Y}
W = [[1.0, 2.0, 0.5], [0.0, 3.0, 1.5]]
XYW = {**XY, "weight": W}
# Differences -3 .. 3 against a zero target: both branches and both kinks for delta = 1.
SPREAD = {"input": [-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0], "target": [0.0] * 7}
X3 = {"input": uniform(rng, (2, 3, 4), -3.0, 3.0), "target": uniform(rng, (2, 3, 4), -3.0, 3.0)}
SMALL = {"input": [0.5], "target": [1.0]}
COLUMN = {"input": [[1.0], [2.0], [3.0]], "target": [0.5, 2.5, 5.0]}

CASES = [
    case("default_delta_one_mean", XY, tags=["tutorial", "reduction"]),
    *reduction_cases("reduction", XY),
    *invalid_reduction_cases(SMALL, values=INVALID_REDUCTIONS + (("batchmean_is_kl_div_only", "batchmean"),)),
    # delta: the quadratic part ends at |x - y| = delta; the linear part has slope delta.
    case("spread_default_delta", SPREAD, {"reduction": "none"}, ["kink", "tutorial"]),
    case("delta_half_kinks", SPREAD, {"delta": 0.5, "reduction": "none"}, ["param", "kink"]),
    case("delta_two", SPREAD, {"delta": 2.0, "reduction": "none"}, ["param"]),
    case("delta_two_mean", SPREAD, {"delta": 2.0, "reduction": "mean"}, ["param"]),
    case("delta_two_sum", XY, {"delta": 2.0, "reduction": "sum"}, ["param"]),
    case("delta_point_three_mean", X3, {"delta": 0.3, "reduction": "mean"}, ["param", "shape"]),
    case("delta_tiny_is_scaled_l1", SPREAD, {"delta": 1e-300, "reduction": "none"}, ["param", "precision"]),
    case("delta_subnormal", {"input": [0.5, 1e-321], "target": [0.0, 0.0]}, {"delta": 1e-320, "reduction": "none"}, ["param", "precision"]),
    case("delta_huge", SPREAD, {"delta": 1e300, "reduction": "none"}, ["param"]),
    case("delta_inf_is_half_squared_error", SPREAD, {"delta": INF, "reduction": "none"}, ["param", "nonfinite"]),
    case("delta_inf_infinite_difference_is_nan", {"input": [INF, -INF, 2.0], "target": [0.0, 0.0, 0.0]}, {"delta": INF, "reduction": "none"}, ["param", "nonfinite", "quirk"]),
    case("delta_two_none_2d", XY, {"delta": 2.0, "reduction": "none"}, ["param"]),
    error("delta_zero", XY, {"delta": 0.0}, ["param"]),
    error("delta_negative_zero", XY, {"delta": -0.0}, ["param"]),
    error("delta_negative", XY, {"delta": -1.0}, ["param"]),
    error("delta_negative_inf", XY, {"delta": -INF}, ["param"]),
    error("delta_nan", XY, {"delta": NAN}, ["param", "nonfinite"]),
    error("delta_negative_with_reduction_none", SMALL, {"delta": -0.5, "reduction": "none"}, ["param"]),
    error("delta_negative_with_weight", {**SMALL, "weight": [1.0]}, {"delta": -1.0, "reduction": "sum"}, ["param", "weight"]),
    # Shapes are checked before delta.
    error("broadcast_checked_before_delta", {"input": [1.0, 2.0, 3.0], "target": [1.0, 2.0]}, {"delta": -1.0}, ["broadcast", "param"]),
    error("weight_size_checked_before_delta", {**XY, "weight": [1.0, 2.0]}, {"delta": -1.0}, ["weight", "param"]),
    # Infinities and NaN.
    case("infinite_difference_linear", {"input": [INF, -INF, 1.0], "target": [0.0, 0.0, 1.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("infinite_target", {"input": [0.0, 2.0], "target": [INF, -INF]}, {"delta": 0.5, "reduction": "none"}, ["nonfinite"]),
    case("inf_minus_inf_is_nan", {"input": [INF, -INF, 1.0], "target": [INF, -INF, 0.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("nan_input_propagates", {"input": [NAN, 1.0], "target": [0.0, 0.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("nan_target_mean", {"input": [0.0, 1.0], "target": [NAN, 0.0]}, {"reduction": "mean"}, ["nonfinite"]),
    case("infinite_input_mean_is_inf", {"input": [INF, 1.0], "target": [0.0, 0.0]}, {"delta": 2.0, "reduction": "mean"}, ["nonfinite"]),
    # Shapes.
    case("zero_dim_none", {"input": 1.5, "target": -0.5}, {"reduction": "none"}, ["shape"]),
    case("zero_dim_mean", {"input": 0.25, "target": -0.5}, {"reduction": "mean"}, ["shape"]),
    case("one_dim_sum", {"input": [0.1, 2.2, -0.3, 0.4], "target": [0.4, 0.3, 0.2, -1.1]}, {"reduction": "sum"}, ["shape"]),
    case("three_dim_none", X3, {"reduction": "none"}, ["shape"]),
    case("three_dim_mean", X3, {"reduction": "mean"}, ["shape"]),
    # Broadcasting: the target broadcasts against the input (torch warns).
    case("broadcast_column_against_row_mean", {"input": [[0.0], [0.0], [0.0]], "target": [1.0, 2.0, 3.0]}, {"reduction": "mean"}, ["broadcast", "quirk"]),
    case("broadcast_column_against_row_none", COLUMN, {"reduction": "none"}, ["broadcast"]),
    case("broadcast_lower_rank_target_mean", {"input": X, "target": [1.0, -1.0, 0.5]}, {"reduction": "mean"}, ["broadcast"]),
    case("broadcast_zero_dim_input_mean", {"input": 0.5, "target": Y}, {"reduction": "mean"}, ["broadcast"]),
    case("broadcast_input_row_larger_target", {"input": [[0.5, -1.25, 2.0]], "target": Y}, {"delta": 0.75, "reduction": "sum"}, ["broadcast"]),
    error("broadcast_mismatch", {"input": [1.0, 2.0, 3.0], "target": [1.0, 2.0]}, tags=["broadcast"]),
    error("broadcast_mismatch_2d", {"input": X, "target": [[1.0, 2.0], [3.0, 4.0]]}, {"reduction": "sum"}, ["broadcast"]),
    # Empty tensors.
    *empty_cases("empty_1d", {"input": empty(0), "target": empty(0)}, REDUCTIONS),
    *empty_cases("empty_0x3", {"input": empty(0, 3), "target": empty(0, 3)}, REDUCTIONS),
    case("empty_input_broadcast_target_none", {"input": empty(0, 3), "target": [1.0, 2.0, 3.0]}, {"reduction": "none"}, ["empty", "broadcast"]),
    # weight: exactly the input's size; mean divides by the element count, NOT by the weight sum.
    case("weight_none", XYW, {"reduction": "none"}, ["weight"]),
    case("weight_mean_divides_by_numel", XYW, {"reduction": "mean"}, ["weight", "tutorial", "quirk"]),
    case("weight_default_reduction_mean", XYW, tags=["weight"]),
    case("weight_sum", XYW, {"reduction": "sum"}, ["weight"]),
    case("weight_with_delta_half", {**SPREAD, "weight": [1.0, 2.0, 0.5, 3.0, 1.5, 0.25, 2.0]}, {"delta": 0.5, "reduction": "mean"}, ["weight", "param", "kink"]),
    error("weight_elementwise_mean_rejected", XYW, {"reduction": "elementwise_mean"}, ["weight", "reduction", "quirk"]),
    *[
        error(f"weight_invalid_reduction_{label}", {**SMALL, "weight": [2.0]}, {"reduction": r}, ["weight", "reduction"])
        for label, r in INVALID_REDUCTIONS + (("batchmean", "batchmean"),)
    ],
    error("weight_wrong_size", {**XY, "weight": [1.0, 2.0, 3.0]}, {"reduction": "none"}, ["weight", "shape"]),
    error("weight_zero_dim_not_broadcast", {**XY, "weight": 2.0}, {"reduction": "sum"}, ["weight", "shape", "quirk"]),
    error("weight_of_broadcast_shape_rejected", {**COLUMN, "weight": [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]}, tags=["weight", "broadcast"]),
    error("weight_size_checked_before_reduction", {**XY, "weight": [1.0, 2.0]}, {"reduction": "elementwise_mean"}, ["weight", "reduction"]),
    case("weight_broadcast_with_input_none", {**COLUMN, "weight": [[1.0], [2.0], [0.5]]}, {"reduction": "none"}, ["weight", "broadcast"]),
    case("weight_broadcast_with_input_mean_divides_by_broadcast_numel", {**COLUMN, "weight": [[1.0], [2.0], [0.5]]}, {"reduction": "mean"}, ["weight", "broadcast", "quirk"]),
    case("weight_zero_dim", {"input": 2.0, "target": -1.0, "weight": 0.5}, {"reduction": "mean"}, ["weight", "shape"]),
    case("weight_all_zero_mean_is_zero", {"input": [1.0, 2.0], "target": [0.0, 0.0], "weight": [0.0, 0.0]}, {"reduction": "mean"}, ["weight"]),
    case("weight_negative", {"input": [1.0, 2.0, 3.0], "target": [0.0, 0.0, 0.0], "weight": [-1.0, 2.0, 0.5]}, {"reduction": "none"}, ["weight"]),
    case("weight_nan_propagates", {"input": [1.0, 2.0], "target": [0.0, 0.0], "weight": [NAN, 1.0]}, {"reduction": "mean"}, ["weight", "nonfinite"]),
    case("weight_inf_times_zero_difference", {"input": [1.0, 2.0], "target": [1.0, 0.0], "weight": [INF, 1.0]}, {"reduction": "none"}, ["weight", "nonfinite"]),
    case("weight_empty_mean_is_nan", {"input": empty(0, 2), "target": empty(0, 2), "weight": empty(0, 2)}, {"reduction": "mean"}, ["weight", "empty"]),
    case("weight_empty_sum", {"input": empty(0, 2), "target": empty(0, 2), "weight": empty(0, 2)}, {"reduction": "sum"}, ["weight", "empty"]),
    case("random_2d_mean", {"input": uniform(rng, (4, 5), -10.0, 10.0), "target": uniform(rng, (4, 5), -10.0, 10.0)}, {"delta": 3.0, "reduction": "mean"}, ["basic"]),    # More elements than one 128-element block of the reference's pairwise sum: every block counts.
    case("sum_over_three_hundred_elements", {"input": uniform(rng, (3, 100), -2.0, 2.0), "target": uniform(rng, (3, 100), -2.0, 2.0)}, {"reduction": "sum"}, ["shape"]),
]
