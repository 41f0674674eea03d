"""Cases for torch.nn.functional.hinge_embedding_loss (torch.nn.HingeEmbeddingLoss); see spec/hinge_embedding_loss.md."""

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

rng = random.Random(14)

# The worked example: distances, target 1 for similar pairs and -1 for dissimilar ones.
X = {"input": [0.3, 1.5, -0.4, 0.9, 2.0], "target": [1.0, -1.0, -1.0, 1.0, -1.0]}
X2D = {"input": uniform(rng, (2, 3), -0.5, 2.5), "target": choice(rng, (2, 3), [1.0, -1.0])}
X3D = {"input": uniform(rng, (2, 2, 3), -0.5, 2.5), "target": choice(rng, (2, 2, 3), [1.0, -1.0])}
SMALL = {"input": [0.5], "target": [1.0]}

CASES = [
    case("default_margin_one_mean", X, tags=["tutorial", "reduction"]),
    *reduction_cases("reduction", X),
    *invalid_reduction_cases(SMALL, values=INVALID_REDUCTIONS + (("batchmean_is_kl_div_only", "batchmean"),)),
    error("invalid_reduction_checked_before_shape", {"input": [0.5, 0.1, 0.2], "target": [1.0, -1.0]}, {"reduction": "bogus"}, ["reduction"]),
    # margin.
    case("margin_zero", X, {"margin": 0.0, "reduction": "none"}, ["param"]),
    case("margin_negative", X, {"margin": -0.5, "reduction": "none"}, ["param"]),
    case("margin_two_sum", X, {"margin": 2.0, "reduction": "sum"}, ["param"]),
    case("margin_half_mean", X, {"margin": 0.5}, ["param"]),
    # Targets other than +-1 (0, 2, 0.5, NaN) take both terms: x + max(0, margin - x).
    case("target_values_other_than_pm_one", {"input": [0.5, 0.5, 0.5, 0.5, 0.5, 0.5], "target": [1.0, -1.0, 0.0, 2.0, 0.5, NAN]}, {"reduction": "none"}, ["target_values", "quirk"]),
    case("target_zero_above_margin", {"input": [1.5, 3.0], "target": [0.0, 0.0]}, {"reduction": "none"}, ["target_values"]),
    case("target_two_mean", {"input": [0.5, 1.5, -1.0], "target": [2.0, 2.0, 2.0]}, {"margin": 1.0}, ["target_values"]),
    case("target_nan_sum", {"input": [0.25, 2.0], "target": [NAN, NAN]}, {"reduction": "sum"}, ["target_values", "nonfinite"]),
    case("target_negative_two", {"input": [0.25, 2.0], "target": [-2.0, -2.0]}, {"reduction": "none"}, ["target_values"]),
    # y = 1 gives x itself, even when negative.
    case("target_one_negative_input", {"input": [-0.5, -3.0], "target": [1.0, 1.0]}, {"reduction": "none"}, ["basic"]),
    # Exactly at the margin (y = -1) the loss and the gradient are 0.
    case("kink_input_at_margin", {"input": [1.0, 1.0], "target": [-1.0, 1.0]}, {"reduction": "none"}, ["kink"]),
    case("kink_input_at_margin_half", {"input": [0.5, 0.25], "target": [-1.0, -1.0]}, {"margin": 0.5, "reduction": "none"}, ["kink"]),
    case("kink_margin_zero_input_zero", {"input": [0.0, 0.0], "target": [-1.0, 0.0]}, {"margin": 0.0, "reduction": "none"}, ["kink"]),
    case("kink_negative_margin", {"input": [-0.5, -0.75], "target": [-1.0, -1.0]}, {"margin": -0.5, "reduction": "sum"}, ["kink"]),
    # Non-finite inputs: NaN with y = -1 has gradient 0, with y = 1 gradient 1.
    case("input_nan", {"input": [NAN, NAN, NAN], "target": [1.0, -1.0, 0.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("input_inf", {"input": [INF, INF, -INF, -INF], "target": [1.0, -1.0, 1.0, -1.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("input_inf_other_target", {"input": [INF, -INF], "target": [0.0, 0.0]}, {"reduction": "none"}, ["nonfinite", "target_values"]),
    case("input_nan_mean", {"input": [NAN, 0.5], "target": [-1.0, 1.0]}, {"reduction": "mean"}, ["nonfinite"]),
    # Broadcasting is silent; the output has the broadcast shape.
    case("broadcast_column_and_row", {"input": [[0.5], [1.5]], "target": [[1.0, -1.0, 0.0]]}, {"reduction": "none"}, ["broadcast"]),
    case("broadcast_column_and_row_mean", {"input": [[0.5], [1.5]], "target": [[1.0, -1.0, 0.0]]}, {"reduction": "mean"}, ["broadcast"]),
    case("broadcast_single_target", {"input": [0.3, 1.5, -0.4], "target": [-1.0]}, {"reduction": "none"}, ["broadcast"]),
    case("broadcast_lower_rank_input", {"input": [0.3, 1.5, -0.4], "target": [[1.0, -1.0, -1.0], [-1.0, 1.0, -1.0]]}, {"reduction": "none"}, ["broadcast"]),
    case("broadcast_lower_rank_target_sum", {"input": [[0.3, 1.5, -0.4], [0.8, 0.2, 2.0]], "target": [-1.0, -1.0, 1.0]}, {"reduction": "sum"}, ["broadcast"]),
    error("broadcast_mismatch", {"input": [1.0, 2.0, 3.0, 4.0], "target": [1.0, -1.0, 1.0]}, tags=["broadcast"]),
    error("broadcast_mismatch_2d", {"input": [[1.0, 2.0], [3.0, 4.0]], "target": [[1.0, -1.0, 1.0]]}, {"reduction": "none"}, ["broadcast"]),
    # Shapes.
    case("zero_dim", {"input": 0.4, "target": -1.0}, {"reduction": "none"}, ["shape"]),
    case("zero_dim_mean", {"input": 0.4, "target": -1.0}, tags=["shape"]),
    case("zero_dim_input_one_dim_target", {"input": 0.4, "target": [-1.0, 1.0]}, {"reduction": "none"}, ["shape", "broadcast"]),
    case("two_dim_none", X2D, {"reduction": "none"}, ["shape"]),
    case("two_dim_mean", X2D, tags=["shape"]),
    case("three_dim_none", X3D, {"margin": 1.5, "reduction": "none"}, ["shape"]),
    case("three_dim_sum", X3D, {"margin": 1.5, "reduction": "sum"}, ["shape"]),
    # Empty tensors.
    *empty_cases("empty_1d", {"input": empty(0), "target": empty(0)}, REDUCTIONS),
    *empty_cases("empty_0x3", {"input": empty(0, 3), "target": empty(0, 3)}, REDUCTIONS),
    case("empty_broadcast_with_single_target", {"input": empty(0, 3), "target": [-1.0]}, {"reduction": "none"}, ["empty", "broadcast"]),
    *legacy_cases(X),
    case("legacy_size_average_false_with_margin", X, {"margin": 2.0, "size_average": False}, ["legacy", "param"]),
]
