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
    weighted_mean_cases,
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
    *weighted_mean_cases(XY, XYW, SMALL, COLUMN),
    case("weight_mean_precision", {"input": [0.1, 0.7, -0.3], "target": [0.35, 0.2, 0.9], "weight": [0.3, 1.7, 2.1]}, {"reduction": "mean"}, ["weight", "precision"]),
    *legacy_cases(XY),
    case("random_2d_mean", {"input": uniform(rng, (4, 5), -10.0, 10.0), "target": uniform(rng, (4, 5), -10.0, 10.0)}, {"reduction": "mean"}, ["basic"]),
    # More elements than one block of the reference's pairwise sum (128): every block counts.
    case("sum_over_three_hundred_elements", {"input": uniform(rng, (3, 100), -2.0, 2.0), "target": uniform(rng, (3, 100), -2.0, 2.0)}, {"reduction": "sum"}, ["shape"]),
]

# 256 elements: the pairwise sum adds exactly two full blocks of 128. A separate generator,
# so the cases above keep their values.
wide_rng = random.Random(256)
CASES += [
    case("sum_over_two_hundred_fifty_six_elements", {"input": uniform(wide_rng, (2, 128), -2.0, 2.0), "target": uniform(wide_rng, (2, 128), -2.0, 2.0)}, {"reduction": "sum"}, ["shape"]),
]
