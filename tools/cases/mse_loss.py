"""Cases for torch.nn.functional.mse_loss (torch.nn.MSELoss); see spec/mse_loss.md."""

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
    legacy_cases,
    reduction_cases,
    uniform,
)

ERROR_PATTERNS = [
    ("invalid_shape", r"Weights and input must have the same size"),
    ("invalid_parameter", r"Invalid reduction mode: .*\. Expected one of 'none', 'mean', 'sum'"),
]

rng = random.Random(102)

# The worked example: 2 samples of 3 predictions against their targets.
X = [[0.5, -1.25, 2.0], [3.0, 0.0, -0.75]]
Y = [[1.0, -1.0, 0.5], [2.5, 0.0, 1.0]]
XY = {"input": X, "target": Y}
W = [[1.0, 2.0, 0.5], [0.0, 3.0, 1.5]]
XYW = {**XY, "weight": W}
X3 = {"input": uniform(rng, (2, 3, 4), -3.0, 3.0), "target": uniform(rng, (2, 3, 4), -3.0, 3.0)}
SMALL = {"input": [0.5], "target": [1.0]}
# A (3, 1) input against a (3,) target broadcasts to (3, 3); the weight has the input's shape.
COLUMN = {"input": [[1.0], [2.0], [3.0]], "target": [0.5, 2.5, 5.0]}

CASES = [
    case("default_mean", XY, tags=["tutorial", "reduction"]),
    *reduction_cases("reduction", XY),
    *invalid_reduction_cases(SMALL, values=INVALID_REDUCTIONS + (("batchmean_is_kl_div_only", "batchmean"),)),
    case("zero_difference_zero_gradient", {"input": [1.0, -2.0, 0.0, -0.0], "target": [1.0, -1.0, 0.0, 0.0]}, {"reduction": "none"}, ["basic"]),
    case("mean_precision_thirds", {"input": [0.1, 0.7, -0.3], "target": [0.35, 0.2, 0.9]}, {"reduction": "mean"}, ["precision"]),
    # Squaring overflows and underflows; the gradient 2d does not overflow where the loss does.
    case("square_overflows_to_inf", {"input": [1e200, -1e200, 1e154], "target": [0.0, 0.0, 0.0]}, {"reduction": "none"}, ["nonfinite", "precision"]),
    case("square_overflow_sum_gradient_finite", {"input": [1e200, 1.0], "target": [0.0, 0.0]}, {"reduction": "sum"}, ["nonfinite", "precision"]),
    case("square_underflows_to_zero", {"input": [1e-200, 1e-160, 1e-162], "target": [0.0, 0.0, 0.0]}, {"reduction": "none"}, ["precision"]),
    # Infinities and NaN.
    case("infinite_input", {"input": [INF, -INF, 1.0], "target": [0.0, 5.0, 1.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("infinite_target", {"input": [0.0, 2.0], "target": [INF, -INF]}, {"reduction": "none"}, ["nonfinite"]),
    case("inf_minus_inf_is_nan", {"input": [INF, -INF, 1.0], "target": [INF, -INF, 0.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("nan_input_propagates", {"input": [NAN, 1.0], "target": [0.0, 0.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("nan_target_mean", {"input": [0.0, 1.0], "target": [NAN, 0.0]}, {"reduction": "mean"}, ["nonfinite"]),
    case("nan_input_sum", {"input": [NAN, 1.0, 2.0], "target": [0.0, 0.0, 0.0]}, {"reduction": "sum"}, ["nonfinite"]),
    # Shapes.
    case("zero_dim_none", {"input": 1.5, "target": -0.5}, {"reduction": "none"}, ["shape"]),
    case("zero_dim_mean", {"input": 1.5, "target": -0.5}, {"reduction": "mean"}, ["shape"]),
    case("one_dim_sum", {"input": [0.1, 0.2, 0.3, 0.4], "target": [0.4, 0.3, 0.2, 0.1]}, {"reduction": "sum"}, ["shape"]),
    case("three_dim_none", X3, {"reduction": "none"}, ["shape"]),
    case("three_dim_mean", X3, {"reduction": "mean"}, ["shape"]),
    case("four_dim_sum", {"input": uniform(rng, (2, 1, 2, 3), -1.0, 1.0), "target": uniform(rng, (2, 1, 2, 3), -1.0, 1.0)}, {"reduction": "sum"}, ["shape"]),
    # Broadcasting: the target broadcasts against the input (torch warns); mean divides by the broadcast numel.
    case("broadcast_column_against_row_mean", {"input": [[0.0], [0.0], [0.0]], "target": [1.0, 2.0, 3.0]}, {"reduction": "mean"}, ["broadcast", "tutorial", "quirk"]),
    case("broadcast_column_against_row_none", COLUMN, {"reduction": "none"}, ["broadcast"]),
    case("broadcast_target_row", {"input": X, "target": [[1.0, -1.0, 0.5]]}, {"reduction": "none"}, ["broadcast"]),
    case("broadcast_lower_rank_target_mean", {"input": X, "target": [1.0, -1.0, 0.5]}, {"reduction": "mean"}, ["broadcast"]),
    case("broadcast_zero_dim_target", {"input": X, "target": 0.25}, {"reduction": "sum"}, ["broadcast"]),
    case("broadcast_zero_dim_input_none", {"input": 0.5, "target": Y}, {"reduction": "none"}, ["broadcast"]),
    case("broadcast_zero_dim_input_mean", {"input": 0.5, "target": Y}, {"reduction": "mean"}, ["broadcast"]),
    case("broadcast_input_row_larger_target", {"input": [[0.5, -1.25, 2.0]], "target": Y}, {"reduction": "sum"}, ["broadcast"]),
    case("broadcast_same_numel_different_rank", {"input": [[1.0, 2.0, 3.0]], "target": [3.0, 2.0, 1.0]}, {"reduction": "none"}, ["broadcast"]),
    error("broadcast_mismatch", {"input": [1.0, 2.0, 3.0], "target": [1.0, 2.0]}, tags=["broadcast"]),
    error("broadcast_mismatch_2d", {"input": X, "target": [[1.0, 2.0], [3.0, 4.0]]}, {"reduction": "sum"}, ["broadcast"]),
    # Empty tensors.
    *empty_cases("empty_1d", {"input": empty(0), "target": empty(0)}, REDUCTIONS),
    *empty_cases("empty_0x3", {"input": empty(0, 3), "target": empty(0, 3)}, REDUCTIONS),
    case("empty_input_broadcast_target_none", {"input": empty(0, 3), "target": [1.0, 2.0, 3.0]}, {"reduction": "none"}, ["empty", "broadcast"]),
    case("empty_target_broadcast_input_mean", {"input": [1.0], "target": empty(0)}, {"reduction": "mean"}, ["empty", "broadcast"]),
    # weight: exactly the input's size; mean divides by the sum of the weights.
    case("weight_none", XYW, {"reduction": "none"}, ["weight"]),
    case("weight_mean_divides_by_weight_sum", XYW, {"reduction": "mean"}, ["weight", "tutorial", "quirk"]),
    case("weight_default_reduction_mean", XYW, tags=["weight"]),
    case("weight_sum", XYW, {"reduction": "sum"}, ["weight"]),
    case("weight_mean_precision", {"input": [0.1, 0.7, -0.3], "target": [0.35, 0.2, 0.9], "weight": [0.3, 1.7, 2.1]}, {"reduction": "mean"}, ["weight", "precision"]),
    error("weight_elementwise_mean_rejected", XYW, {"reduction": "elementwise_mean"}, ["weight", "reduction", "quirk"]),
    *[
        error(f"weight_invalid_reduction_{label}", {**SMALL, "weight": [2.0]}, {"reduction": r}, ["weight", "reduction"])
        for label, r in INVALID_REDUCTIONS + (("batchmean", "batchmean"),)
    ],
    error("weight_wrong_size", {**XY, "weight": [1.0, 2.0, 3.0]}, {"reduction": "none"}, ["weight", "shape"]),
    error("weight_zero_dim_not_broadcast", {**XY, "weight": 2.0}, {"reduction": "sum"}, ["weight", "shape", "quirk"]),
    error("weight_broadcastable_but_not_input_size", {"input": [1.0, 2.0, 3.0], "target": [0.0, 0.0, 0.0], "weight": [[1.0, 2.0, 3.0]]}, tags=["weight", "shape"]),
    error("weight_of_broadcast_shape_rejected", {**COLUMN, "weight": [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]}, tags=["weight", "broadcast"]),
    # Shapes are checked before the reduction: a shape error wins over elementwise_mean on the
    # weighted path and over an invalid string.
    error("weight_size_checked_before_reduction", {**XY, "weight": [1.0, 2.0]}, {"reduction": "elementwise_mean"}, ["weight", "reduction"]),
    error("weight_size_checked_before_invalid_reduction", {**XY, "weight": [1.0, 2.0]}, {"reduction": "bogus"}, ["weight", "reduction"]),
    error("broadcast_checked_before_invalid_reduction", {"input": [1.0, 2.0, 3.0], "target": [1.0, 2.0]}, {"reduction": "bogus"}, ["broadcast", "reduction"]),
    error("broadcast_checked_before_weight_and_reduction", {"input": [1.0, 2.0, 3.0], "target": [1.0, 2.0], "weight": [1.0, 2.0]}, {"reduction": "elementwise_mean"}, ["weight", "broadcast"]),
    case("weight_broadcast_with_input_none", {**COLUMN, "weight": [[1.0], [2.0], [0.5]]}, {"reduction": "none"}, ["weight", "broadcast"]),
    case("weight_broadcast_with_input_mean_counts_weights_once", {**COLUMN, "weight": [[1.0], [2.0], [0.5]]}, {"reduction": "mean"}, ["weight", "broadcast", "quirk"]),
    case("weight_broadcast_with_input_sum", {**COLUMN, "weight": [[1.0], [2.0], [0.5]]}, {"reduction": "sum"}, ["weight", "broadcast"]),
    case("weight_larger_target_mean", {"input": [1.0, 2.0, 3.0], "target": [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]], "weight": [1.0, 2.0, 0.5]}, {"reduction": "mean"}, ["weight", "broadcast"]),
    case("weight_zero_dim", {"input": 2.0, "target": -1.0, "weight": 0.5}, {"reduction": "mean"}, ["weight", "shape"]),
    case("weight_all_zero_mean_is_nan", {"input": [1.0, 2.0], "target": [0.0, 0.0], "weight": [0.0, 0.0]}, {"reduction": "mean"}, ["weight", "nonfinite"]),
    case("weight_sum_zero_mean_is_inf", {"input": [1.0, 2.0], "target": [1.0, 0.0], "weight": [-1.0, 1.0]}, {"reduction": "mean"}, ["weight", "nonfinite", "quirk"]),
    case("weight_negative", {"input": [1.0, 2.0, 3.0], "target": [0.0, 0.0, 0.0], "weight": [-1.0, 2.0, 0.5]}, {"reduction": "none"}, ["weight"]),
    case("weight_nan_propagates", {"input": [1.0, 2.0], "target": [0.0, 0.0], "weight": [NAN, 1.0]}, {"reduction": "none"}, ["weight", "nonfinite"]),
    case("weight_inf_times_zero_difference", {"input": [1.0, 2.0], "target": [1.0, 0.0], "weight": [INF, 1.0]}, {"reduction": "none"}, ["weight", "nonfinite"]),
    case("weight_empty_mean_is_nan", {"input": empty(0, 2), "target": empty(0, 2), "weight": empty(0, 2)}, {"reduction": "mean"}, ["weight", "empty"]),
    case("weight_empty_sum", {"input": empty(0, 2), "target": empty(0, 2), "weight": empty(0, 2)}, {"reduction": "sum"}, ["weight", "empty"]),
    # Legacy arguments, also with a weight (the legacy string replaces reduction).
    *legacy_cases(XY),
    case("legacy_reduce_false_with_weight", XYW, {"reduce": False}, ["legacy", "weight"]),
    case("legacy_size_average_false_with_weight", XYW, {"size_average": False}, ["legacy", "weight"]),
    case("legacy_size_average_true_with_weight_divides_by_weight_sum", XYW, {"size_average": True}, ["legacy", "weight"]),
    case("legacy_with_weight_ignores_elementwise_mean", XYW, {"reduce": True, "reduction": "elementwise_mean"}, ["legacy", "weight"]),
    case("legacy_with_weight_ignores_invalid_reduction", XYW, {"size_average": False, "reduction": "bogus"}, ["legacy", "weight"]),
    case("random_2d_mean", {"input": uniform(rng, (4, 5), -10.0, 10.0), "target": uniform(rng, (4, 5), -10.0, 10.0)}, {"reduction": "mean"}, ["basic"]),
]
