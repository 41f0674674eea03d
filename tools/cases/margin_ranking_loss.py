"""Cases for torch.nn.functional.margin_ranking_loss (torch.nn.MarginRankingLoss); see spec/margin_ranking_loss.md."""

import random

from casegen import (
    INF,
    INVALID_REDUCTIONS,
    NAN,
    REDUCTIONS,
    case,
    choice,
    empty,
    empty_cases,
    error,
    invalid_reduction_cases,
    legacy_cases,
    reduction_cases,
    uniform,
)

rng = random.Random(13)

# The worked example: four pairs, target 1 means input1 should rank higher.
X = {"input1": [0.5, -0.2, 1.3, 0.8], "input2": [0.1, 0.4, 1.0, 1.1], "target": [1.0, -1.0, 1.0, -1.0]}
X2D = {"input1": uniform(rng, (2, 3), -2.0, 2.0), "input2": uniform(rng, (2, 3), -2.0, 2.0), "target": choice(rng, (2, 3), [1.0, -1.0])}
X3D = {"input1": uniform(rng, (2, 2, 2), -2.0, 2.0), "input2": uniform(rng, (2, 2, 2), -2.0, 2.0), "target": choice(rng, (2, 2, 2), [1.0, -1.0])}
SMALL = {"input1": [0.5], "input2": [0.1], "target": [1.0]}

CASES = [
    case("default_margin_zero_mean", X, tags=["tutorial", "reduction"]),
    *reduction_cases("reduction", X),
    *invalid_reduction_cases(SMALL, values=INVALID_REDUCTIONS + (("batchmean_is_kl_div_only", "batchmean"),)),
    error("invalid_reduction_checked_before_shape", {"input1": [0.5, 0.1], "input2": [[0.1]], "target": [1.0]}, {"reduction": "bogus"}, ["reduction"]),
    # margin.
    case("margin_half", X, {"margin": 0.5, "reduction": "none"}, ["param", "tutorial"]),
    case("margin_half_mean", X, {"margin": 0.5}, ["param"]),
    case("margin_negative", X, {"margin": -0.5, "reduction": "none"}, ["param"]),
    case("margin_large_sum", X, {"margin": 2.0, "reduction": "sum"}, ["param"]),
    # Targets other than +-1 are used as multipliers.
    case("target_zero_gives_max_margin_zero", {**X, "target": [0.0, 0.0, 0.0, 0.0]}, {"margin": 0.5, "reduction": "none"}, ["target_values"]),
    case("target_zero_negative_margin", {**X, "target": [0.0, 0.0, 0.0, 0.0]}, {"margin": -0.5, "reduction": "none"}, ["target_values"]),
    case("target_half", {**X, "target": [0.5, -0.5, 0.5, -0.5]}, {"margin": 0.1, "reduction": "none"}, ["target_values"]),
    case("target_two", {**X, "target": [2.0, -2.0, 2.0, -2.0]}, {"reduction": "none"}, ["target_values"]),
    case("target_nan", {**X, "target": [NAN, 1.0, 1.0, 1.0]}, {"reduction": "none"}, ["target_values", "nonfinite"]),
    # Exactly at the kink -y*(x1-x2) + margin == 0 the loss is 0 and so is the gradient.
    case("kink_equal_inputs_margin_zero", {"input1": [0.75, -1.5], "input2": [0.75, -1.5], "target": [1.0, -1.0]}, {"reduction": "none"}, ["kink"]),
    case("kink_difference_equals_margin", {"input1": [1.5, 1.0], "input2": [1.0, 1.5], "target": [1.0, -1.0]}, {"margin": 0.5, "reduction": "none"}, ["kink"]),
    case("just_inside_kink", {"input1": [1.25, 1.0], "input2": [1.0, 1.5], "target": [1.0, -1.0]}, {"margin": 0.5, "reduction": "sum"}, ["kink"]),
    # Non-finite values.
    case("input_nan_propagates", {"input1": [NAN, 0.5], "input2": [0.0, 0.0], "target": [1.0, -1.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("input_inf", {"input1": [INF, -INF, INF], "input2": [0.0, 0.0, INF], "target": [1.0, 1.0, 1.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("input_inf_target_zero_is_nan", {"input1": [INF], "input2": [0.0], "target": [0.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("input_nan_mean", {"input1": [NAN, 0.5], "input2": [0.0, 0.0], "target": [1.0, -1.0]}, {"reduction": "mean"}, ["nonfinite"]),
    # All three must have the same number of dimensions, then they broadcast.
    error("different_ndim_inputs", {"input1": [1.0, 2.0, 3.0, 4.0], "input2": [[1.0, 2.0], [3.0, 4.0]], "target": [1.0, 1.0, 1.0, 1.0]}, tags=["shape"]),
    error("different_ndim_target", {"input1": [1.0, 2.0], "input2": [0.5, 2.5], "target": 1.0}, tags=["shape"]),
    error("zero_dim_with_one_dim", {"input1": 1.0, "input2": [0.5], "target": [1.0]}, tags=["shape"]),
    case("broadcast_input2_single", {"input1": [0.5, -0.2, 1.3, 0.8], "input2": [0.4], "target": [1.0, -1.0, 1.0, -1.0]}, {"reduction": "none"}, ["broadcast"]),
    case("broadcast_input2_single_mean", {"input1": [0.5, -0.2, 1.3, 0.8], "input2": [0.4], "target": [1.0, -1.0, 1.0, -1.0]}, {"margin": 0.25}, ["broadcast"]),
    case("broadcast_target_single", {"input1": [0.5, -0.2, 1.3, 0.8], "input2": [0.1, 0.4, 1.0, 1.1], "target": [-1.0]}, {"reduction": "sum"}, ["broadcast"]),
    case("broadcast_input1_single_to_target", {"input1": [0.3], "input2": [0.4], "target": [1.0, -1.0, 0.5]}, {"reduction": "none"}, ["broadcast"]),
    case("broadcast_2d_row_and_column", {"input1": [[0.5], [-0.5]], "input2": [[0.0, 0.25, 1.0]], "target": [[1.0, -1.0, 1.0]]}, {"margin": 0.1, "reduction": "none"}, ["broadcast"]),
    error("broadcast_mismatch", {"input1": [1.0, 2.0, 3.0, 4.0], "input2": [1.0, 2.0, 3.0], "target": [1.0, 1.0, 1.0, 1.0]}, tags=["broadcast"]),
    # Shapes.
    case("zero_dim", {"input1": 0.2, "input2": 0.7, "target": 1.0}, {"margin": 0.1, "reduction": "none"}, ["shape"]),
    case("zero_dim_mean", {"input1": 0.2, "input2": 0.7, "target": 1.0}, {"margin": 0.1}, ["shape"]),
    case("two_dim_none", X2D, {"margin": 0.5, "reduction": "none"}, ["shape"]),
    case("two_dim_mean", X2D, {"margin": 0.5}, ["shape"]),
    case("three_dim_none", X3D, {"margin": 0.3, "reduction": "none"}, ["shape"]),
    case("three_dim_sum", X3D, {"margin": 0.3, "reduction": "sum"}, ["shape"]),
    # Empty tensors.
    *empty_cases("empty_1d", {"input1": empty(0), "input2": empty(0), "target": empty(0)}, REDUCTIONS),
    *empty_cases("empty_0x3", {"input1": empty(0, 3), "input2": empty(0, 3), "target": empty(0, 3)}, REDUCTIONS),
    case("empty_broadcast_with_single", {"input1": empty(0), "input2": [0.5], "target": [1.0]}, {"reduction": "sum"}, ["empty", "broadcast"]),
    *legacy_cases(X),
    case("legacy_reduce_false_with_margin", X, {"margin": 0.5, "reduce": False}, ["legacy", "param"]),
]
