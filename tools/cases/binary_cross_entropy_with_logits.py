"""Cases for torch.nn.functional.binary_cross_entropy_with_logits (torch.nn.BCEWithLogitsLoss);
see spec/binary_cross_entropy_with_logits.md."""

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

rng = random.Random(6)

# The worked example: logits for 2 samples of 3 labels, hard targets.
X = [[0.8, -1.5, 2.0], [-0.3, 0.0, 1.2]]
Y = [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
XY = {"input": X, "target": Y}
X3 = {"input": uniform(rng, (2, 3, 2), -4.0, 4.0), "target": uniform(rng, (2, 3, 2), 0.0, 1.0, 1)}
SMALL = {"input": [0.5], "target": [1.0]}
# Four samples of one label: two positives, two negatives.
POS = {"input": [0.5, -0.5, 1.0, -1.0], "target": [1.0, 1.0, 0.0, 0.0]}

CASES = [
    case("default_mean", XY, tags=["tutorial", "reduction"]),
    *reduction_cases("reduction", XY),
    *invalid_reduction_cases(SMALL, values=INVALID_REDUCTIONS + (("batchmean_is_kl_div_only", "batchmean"),)),
    error("invalid_reduction_checked_before_shape", {"input": [0.5, 0.5], "target": [1.0]}, {"reduction": "bogus"}, ["reduction"]),
    # Large and infinite logits.
    case("logits_pm_1000", {"input": [1000.0, 1000.0, -1000.0, -1000.0], "target": [0.0, 1.0, 0.0, 1.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("logits_pm_1000_mean", {"input": [1000.0, 1000.0, -1000.0, -1000.0], "target": [0.0, 1.0, 0.0, 1.0]}, {"reduction": "mean"}, ["nonfinite"]),
    case("logits_pos_inf", {"input": [INF, INF, INF], "target": [0.0, 1.0, 0.5]}, {"reduction": "none"}, ["nonfinite", "quirk"]),
    case("logits_neg_inf", {"input": [-INF, -INF, -INF], "target": [0.0, 1.0, 0.5]}, {"reduction": "none"}, ["nonfinite", "quirk"]),
    case("logits_inf_sum_is_nan", {"input": [INF, -INF, 0.5], "target": [0.0, 0.0, 1.0]}, {"reduction": "sum"}, ["nonfinite"]),
    case("input_nan_propagates", {"input": [NAN, 0.5], "target": [1.0, 0.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("target_nan_propagates", {"input": [0.5, 0.5], "target": [NAN, 0.0]}, {"reduction": "none"}, ["nonfinite"]),
    # torch computes x - log_sigmoid(x) for y = 0, which cancels for negative x: it returns its own rounding.
    case("negative_logit_target_zero_cancellation", {"input": [-30.0], "target": [0.0]}, {"reduction": "none"}, ["precision"]),
    case("negative_logit_target_zero_underflows_to_zero", {"input": [-36.0, -40.0], "target": [0.0, 0.0]}, {"reduction": "none"}, ["precision"]),
    # The y = 1, x > 0 value is accurate, but its gradient sigmoid(x) - 1 cancels.
    case("positive_logit_target_one_gradient_cancels", {"input": [30.0, 40.0], "target": [1.0, 1.0]}, {"reduction": "none"}, ["precision"]),
    case("zero_logit", {"input": [0.0, 0.0, 0.0], "target": [0.0, 0.5, 1.0]}, {"reduction": "none"}, ["basic"]),
    # Targets outside [0, 1] are used as given.
    case("target_outside_unit_interval", {"input": [0.5, -0.5, 2.0], "target": [2.0, -1.0, 1.5]}, {"reduction": "none"}, ["target_values"]),
    case("soft_targets", {"input": [0.5, -0.5, 2.0], "target": [0.25, 0.5, 0.9]}, {"reduction": "sum"}, ["target_values"]),
    # pos_weight multiplies the positive term: 3.0 counts each positive like three.
    case("pos_weight_3_shape_1", {**POS, "pos_weight": [3.0]}, {"reduction": "none"}, ["tutorial", "weight", "param"]),
    case("pos_weight_3_shape_1_mean", {**POS, "pos_weight": [3.0]}, {"reduction": "mean"}, ["tutorial", "weight", "param"]),
    case("pos_weight_zero_dim", {**POS, "pos_weight": 3.0}, {"reduction": "none"}, ["weight", "param"]),
    case("pos_weight_per_class", {**XY, "pos_weight": [3.0, 0.5, 1.0]}, {"reduction": "none"}, ["weight", "broadcast"]),
    case("pos_weight_per_class_sum", {**XY, "pos_weight": [3.0, 0.5, 1.0]}, {"reduction": "sum"}, ["weight", "broadcast"]),
    case("pos_weight_per_sample_column", {**XY, "pos_weight": [[2.0], [0.25]]}, {"reduction": "none"}, ["weight", "broadcast"]),
    case("pos_weight_channel_over_3d", {**X3, "pos_weight": [[2.0], [0.5], [1.5]]}, {"reduction": "none"}, ["weight", "broadcast", "shape"]),
    case("pos_weight_zero", {**POS, "pos_weight": [0.0]}, {"reduction": "none"}, ["weight"]),
    case("pos_weight_negative_accepted", {**POS, "pos_weight": [-2.0]}, {"reduction": "none"}, ["weight"]),
    case("pos_weight_one_is_no_op", {**POS, "pos_weight": [1.0]}, {"reduction": "none"}, ["weight"]),
    case("pos_weight_with_inf_logit", {"input": [-INF, INF], "target": [1.0, 1.0], "pos_weight": [3.0]}, {"reduction": "none"}, ["weight", "nonfinite"]),
    error("pos_weight_trailing_dim_mismatch", {**XY, "pos_weight": [1.0, 2.0]}, tags=["weight", "broadcast"]),
    error("pos_weight_enlarges_output", {**XY, "pos_weight": [[[1.0, 1.0, 1.0]], [[2.0, 2.0, 2.0]]]}, tags=["weight", "broadcast"]),
    error("pos_weight_shape_1_on_zero_dim_input", {"input": 0.5, "target": 1.0, "pos_weight": [3.0]}, tags=["weight", "broadcast", "shape"]),
    # weight multiplies the whole loss, after pos_weight.
    case("weight_per_class", {**XY, "weight": [1.0, 2.0, 0.5]}, {"reduction": "none"}, ["weight", "broadcast"]),
    case("weight_per_sample_column_mean_not_normalized", {**XY, "weight": [[2.0], [0.5]]}, {"reduction": "mean"}, ["weight", "broadcast"]),
    case("weight_same_shape", {**XY, "weight": [[1.0, 0.0, 2.0], [0.5, 3.0, 1.5]]}, {"reduction": "none"}, ["weight"]),
    case("weight_negative_accepted", {**POS, "weight": [-1.0, 2.0, -0.5, 1.0]}, {"reduction": "none"}, ["weight"]),
    case("pos_weight_and_weight", {**XY, "weight": [[2.0], [0.5]], "pos_weight": [3.0, 0.5, 1.0]}, {"reduction": "none"}, ["weight", "broadcast"]),
    case("pos_weight_and_weight_mean", {**XY, "weight": [[2.0], [0.5]], "pos_weight": [3.0, 0.5, 1.0]}, {"reduction": "mean"}, ["weight", "broadcast"]),
    case("pos_weight_and_negative_weight_sum", {**POS, "weight": [-1.0, 1.0, -1.0, 1.0], "pos_weight": [-3.0]}, {"reduction": "sum"}, ["weight"]),
    error("weight_enlarges_output", {**XY, "weight": [[[1.0, 1.0, 1.0]], [[2.0, 2.0, 2.0]]]}, tags=["weight", "broadcast"]),
    error("weight_cannot_broadcast", {**XY, "weight": [1.0, 2.0]}, tags=["weight", "broadcast"]),
    # The target must have exactly the input's shape.
    error("target_size_mismatch", {"input": [0.5, 0.5], "target": [1.0]}, tags=["shape"]),
    error("target_rank_mismatch", {"input": [0.5, 0.5], "target": [[1.0], [0.0]]}, tags=["shape"]),
    error("target_zero_dim_input_one_dim", {"input": [0.5], "target": 1.0}, tags=["shape"]),
    # Shapes.
    case("zero_dim_none", {"input": -0.7, "target": 1.0}, {"reduction": "none"}, ["shape"]),
    case("zero_dim_pos_weight_zero_dim", {"input": -0.7, "target": 1.0, "pos_weight": 3.0, "weight": 0.5}, {"reduction": "mean"}, ["shape", "weight"]),
    case("one_dim_mean", {"input": [2.5, -0.4, 0.1, -3.0], "target": [1.0, 0.0, 1.0, 1.0]}, {"reduction": "mean"}, ["shape"]),
    case("three_dim_none", X3, {"reduction": "none"}, ["shape"]),
    case("three_dim_mean", X3, {"reduction": "mean"}, ["shape"]),
    # Empty tensors.
    *empty_cases("empty_1d", {"input": empty(0), "target": empty(0)}, REDUCTIONS),
    *empty_cases("empty_0x3", {"input": empty(0, 3), "target": empty(0, 3)}, REDUCTIONS),
    case("empty_0x3_pos_weight_per_class", {"input": empty(0, 3), "target": empty(0, 3), "pos_weight": [1.0, 2.0, 3.0]}, {"reduction": "mean"}, ["empty", "weight"]),
    *legacy_cases(XY),
    case("legacy_reduce_false_with_pos_weight", {**XY, "pos_weight": [3.0, 0.5, 1.0]}, {"reduce": False}, ["legacy", "weight"]),
]
