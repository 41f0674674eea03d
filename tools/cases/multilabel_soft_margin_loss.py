"""Cases for torch.nn.functional.multilabel_soft_margin_loss (torch.nn.MultiLabelSoftMarginLoss); see spec/multilabel_soft_margin_loss.md."""

import random

from casegen import (
    INF,
    INVALID_REDUCTIONS,
    NAN,
    case,
    empty,
    empty_cases,
    error,
    invalid_reduction_cases,
    legacy_cases,
    reduction_cases,
    uniform,
)

# The loss validates `reduction` itself (after computing), with its own message.
ERROR_PATTERNS = [
    ("invalid_parameter", r"^\S* is not valid$"),
    ("invalid_shape", r"Dimension specified as -1 but tensor has no dimensions"),
]

rng = random.Random(18)

# The worked example: logits for 2 samples of 3 labels, hard 0/1 targets.
X = [[0.5, -1.0, 2.0], [0.1, 0.2, -0.3]]
Y = [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
XY = {"input": X, "target": Y}
X3 = {"input": uniform(rng, (2, 3, 4), -3.0, 3.0), "target": uniform(rng, (2, 3, 4), 0.0, 1.0, 0)}
SMALL = {"input": [0.5, -0.5], "target": [1.0, 0.0]}
STRICT_REDUCTIONS = ("none", "mean", "sum")

CASES = [
    # PyTorch checks the reduction string last, after computing the loss: shape errors win.
    error("shape_error_wins_over_elementwise_mean", {"input": [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], "target": [1.0, 0.0]}, {"reduction": "elementwise_mean"}, ["shape", "reduction"]),
    error("zero_dim_error_wins_over_elementwise_mean", {"input": 0.5, "target": 0.5}, {"reduction": "elementwise_mean"}, ["shape", "reduction"]),
    case("default_mean", XY, tags=["tutorial", "reduction"]),
    *reduction_cases("reduction", XY, reductions=STRICT_REDUCTIONS),
    # Its own reduction check: elementwise_mean is rejected, and the check comes after the shapes.
    error("elementwise_mean_rejected", XY, {"reduction": "elementwise_mean"}, ["reduction", "quirk"]),
    *invalid_reduction_cases(SMALL, values=INVALID_REDUCTIONS + (("batchmean_is_kl_div_only", "batchmean"),)),
    # Not expressible as cases: that a shape error wins over an invalid reduction (the case format
    # admits a reduction outside `allowed` only in a case that expects invalid_parameter).
    # weight: plain broadcasting against the elementwise loss, before the class mean.
    case("weight_per_class", {**XY, "weight": [1.0, 2.0, 0.5]}, {"reduction": "none"}, ["weight", "broadcast", "tutorial"]),
    case("weight_per_class_mean", {**XY, "weight": [1.0, 2.0, 0.5]}, {"reduction": "mean"}, ["weight", "broadcast"]),
    case("weight_per_sample_column", {**XY, "weight": [[2.0], [0.5]]}, {"reduction": "none"}, ["weight", "broadcast"]),
    case("weight_same_shape_sum", {**XY, "weight": [[1.0, 0.0, 2.0], [0.5, 3.0, 1.5]]}, {"reduction": "sum"}, ["weight"]),
    case("weight_zero_dim", {**XY, "weight": 2.5}, {"reduction": "sum"}, ["weight", "broadcast"]),
    case("weight_negative_and_zero", {**XY, "weight": [-1.0, 0.0, 1.0]}, {"reduction": "none"}, ["weight"]),
    case("weight_nan_propagates", {**XY, "weight": [1.0, NAN, 1.0]}, {"reduction": "none"}, ["weight", "nonfinite"]),
    case("weight_enlarges_output_and_moves_summed_dim", {**XY, "weight": uniform(rng, (4, 2, 3), 0.0, 2.0)}, {"reduction": "none"}, ["weight", "broadcast", "quirk"]),
    case("weight_enlarges_output_mean", {**XY, "weight": uniform(rng, (4, 2, 3), 0.0, 2.0)}, {"reduction": "mean"}, ["weight", "broadcast", "quirk"]),
    error("weight_cannot_broadcast", {**XY, "weight": [1.0, 2.0]}, tags=["weight", "broadcast"]),
    # Labels are not checked: soft, out-of-range and NaN labels are used in the formula.
    case("soft_labels", {"input": [[0.5, -1.0, 2.0]], "target": [[0.5, 0.25, 0.9]]}, {"reduction": "none"}, ["target_values"]),
    case("labels_outside_unit_interval", {"input": [[0.5, -1.0, 2.0]], "target": [[2.0, -1.0, 3.0]]}, {"reduction": "none"}, ["target_values"]),
    case("target_nan_propagates", {"input": [[0.5, -1.0], [1.0, 2.0]], "target": [[NAN, 1.0], [0.0, 1.0]]}, {"reduction": "none"}, ["target_values", "nonfinite"]),
    # Large logits are stable; infinite ones give inf or NaN (0·inf).
    case("large_logits_stable", {"input": [1000.0, -1000.0, 1000.0, -1000.0], "target": [0.0, 1.0, 1.0, 0.0]}, {"reduction": "none"}, ["precision"]),
    case("large_logits_mean", {"input": [[1000.0, -1000.0], [-1000.0, 1000.0]], "target": [[0.0, 1.0], [0.0, 1.0]]}, {"reduction": "mean"}, ["precision"]),
    *[
        case(f"input_{sign}_inf_target_{label}", {"input": [[x, 0.5]], "target": [[t, 1.0]]}, {"reduction": "none"}, ["nonfinite"])
        for sign, x in (("pos", INF), ("neg", -INF))
        for label, t in (("zero", 0.0), ("one", 1.0), ("half", 0.5), ("two", 2.0), ("minus_one", -1.0))
    ],
    case("input_nan_propagates_to_mean", {"input": [[NAN, 0.5], [1.0, 2.0]], "target": [[1.0, 0.0], [0.0, 1.0]]}, {"reduction": "mean"}, ["nonfinite"]),
    # Shapes: the last dimension is the class dimension.
    case("one_dim_none_is_zero_dim", {"input": [0.5, -1.0, 2.0], "target": [1.0, 0.0, 1.0]}, {"reduction": "none"}, ["shape"]),
    case("one_dim_mean", {"input": [0.5, -1.0, 2.0], "target": [1.0, 0.0, 1.0]}, {"reduction": "mean"}, ["shape"]),
    case("three_dim_averages_last_dim_none", X3, {"reduction": "none"}, ["shape", "quirk"]),
    case("three_dim_mean", X3, {"reduction": "mean"}, ["shape"]),
    case("three_dim_sum_weight_last_dim", {**X3, "weight": [1.0, 0.5, 2.0, 0.0]}, {"reduction": "sum"}, ["shape", "weight"]),
    case("random_batch", {"input": uniform(rng, (4, 5), -4.0, 4.0), "target": uniform(rng, (4, 5), 0.0, 1.0, 0)}, {"reduction": "none"}, ["basic"]),
    error("zero_dim_input", {"input": 0.5, "target": 1.0}, {"reduction": "none"}, ["shape"]),
    error("zero_dim_input_with_vector_target", {"input": 0.5, "target": [1.0, 0.0]}, tags=["shape"]),
    # Broadcasting of the target.
    case("broadcast_target_row", {"input": X, "target": [1.0, 0.0, 1.0]}, {"reduction": "none"}, ["broadcast"]),
    case("broadcast_target_zero_dim", {"input": X, "target": 1.0}, {"reduction": "mean"}, ["broadcast"]),
    case("broadcast_one_dim_input_sums_over_batch", {"input": [0.5, -1.0, 2.0], "target": Y}, {"reduction": "none"}, ["broadcast", "quirk"]),
    case("broadcast_single_class_input_divides_by_one", {"input": [[0.5], [-1.0]], "target": Y}, {"reduction": "none"}, ["broadcast", "quirk"]),
    error("target_cannot_broadcast", {"input": X, "target": [[1.0, 0.0], [0.0, 1.0]]}, tags=["broadcast"]),
    # Empty tensors: N = 0 is an empty batch; C = 0 gives 0/0 per sample.
    *empty_cases("empty_batch_0x3", {"input": empty(0, 3), "target": empty(0, 3)}, STRICT_REDUCTIONS),
    *empty_cases("no_classes_2x0", {"input": empty(2, 0), "target": empty(2, 0)}, STRICT_REDUCTIONS),
    case("no_classes_one_dim", {"input": empty(0), "target": empty(0)}, {"reduction": "none"}, ["empty"]),
    case("empty_batch_weight_per_class", {"input": empty(0, 3), "target": empty(0, 3), "weight": [1.0, 2.0, 3.0]}, {"reduction": "sum"}, ["empty", "weight"]),
    # Legacy arguments (they also bypass the loss's own reduction check).
    *legacy_cases(XY),
    case("legacy_reduce_true_ignores_elementwise_mean", XY, {"reduce": True, "reduction": "elementwise_mean"}, ["legacy"]),
    case("legacy_with_weight", {**XY, "weight": [1.0, 2.0, 0.5]}, {"size_average": False}, ["legacy", "weight"]),
]
