"""Cases for torch.nn.functional.multi_margin_loss (torch.nn.MultiMarginLoss); see spec/multi_margin_loss.md.

Not included, on purpose: a batch of size 0 with reduction mean or sum, where torch 2.15 returns
uninitialized memory (a torch bug); `none` with batch 0 is included.
"""

import random

from casegen import (
    INF,
    INVALID_REDUCTIONS,
    NAN,
    REDUCTIONS,
    case,
    empty,
    error,
    invalid_reduction_cases,
    legacy_cases,
    reduction_cases,
    uniform,
)

ERROR_PATTERNS = [
    ("invalid_parameter", r"only p == 1 and p == 2 supported"),
    ("invalid_shape", r"weight must be one-dimensional"),
    ("invalid_shape", r"multi_margin_loss: target tensor should be 1-D"),
    ("invalid_shape", r"inconsistent weight size"),
]

rng = random.Random(20)

# The worked example (the PyTorch docs' example): one sample of 4 classes, target class 3.
X = [[0.1, 0.2, 0.4, 0.8]]
EXAMPLE = {"input": X, "target": [3]}
# Two samples, with terms on both sides of the hinge.
XY = {"input": [[0.1, 0.2, 0.4, 0.8], [0.9, -0.5, 0.3, 0.0]], "target": [3, 0]}
W = [1.0, 2.0, 3.0, 4.0]
BATCH = {"input": uniform(rng, (5, 4), -1.5, 1.5), "target": [rng.randrange(4) for _ in range(5)]}
SMALL = {"input": [[0.5, 0.1]], "target": [0]}

CASES = [
    case("docs_example_mean", EXAMPLE, tags=["tutorial", "reduction"]),
    case("docs_example_none", EXAMPLE, {"reduction": "none"}, ["tutorial", "reduction"]),
    *reduction_cases("reduction", XY),
    *invalid_reduction_cases(SMALL, values=INVALID_REDUCTIONS + (("batchmean_is_kl_div_only", "batchmean"),)),
    error("invalid_reduction_checked_before_target_range", {"input": [[0.5, 0.1]], "target": [5]}, {"reduction": "bogus"}, ["reduction"]),
    case("random_batch_none", BATCH, {"reduction": "none"}, ["basic"]),
    case("random_batch_mean", BATCH, {"reduction": "mean"}, ["basic"]),
    # p: 1 (default) and 2; anything else is rejected.
    case("p_one_explicit", XY, {"p": 1, "reduction": "none"}, ["param"]),
    case("p_two_squares_terms", XY, {"p": 2, "reduction": "none"}, ["param"]),
    case("p_two_mean", BATCH, {"p": 2}, ["param"]),
    *[
        error(f"p_{label}_rejected", XY, {"p": p}, ["param"])
        for label, p in (("zero", 0), ("three", 3), ("minus_one", -1))
    ],
    error("p_checked_before_target_range", {"input": [[0.5, 0.1]], "target": [7]}, {"p": 3}, ["param"]),
    error("p_checked_before_shape", {"input": [[[0.5, 0.1]]], "target": [0]}, {"p": 3}, ["param"]),
    # margin: zero, larger, negative, non-finite.
    *[
        case(f"margin_{label}", XY, {"margin": m, "reduction": "none"}, ["param"])
        for label, m in (("zero", 0.0), ("two", 2.0), ("negative", -0.5))
    ],
    case("margin_two_p_two_sum", XY, {"margin": 2.0, "p": 2, "reduction": "sum"}, ["param"]),
    case("margin_pos_inf", XY, {"margin": INF, "reduction": "none"}, ["param", "nonfinite"]),
    case("margin_nan_contributes_zero", XY, {"margin": NAN, "reduction": "none"}, ["param", "nonfinite", "quirk"]),
    case("kink_z_zero_contributes_zero", {"input": [[0.5, 1.0, -0.5]], "target": [1]}, {"margin": 0.5, "reduction": "none"}, ["kink"]),
    # weight: the target class's weight multiplies each term, after the power.
    case("weight_by_target_class", {**XY, "weight": W}, {"reduction": "none"}, ["weight", "tutorial"]),
    case("weight_mean_not_normalized", {**XY, "weight": W}, {"reduction": "mean"}, ["weight"]),
    case("weight_after_power", {**XY, "weight": W}, {"p": 2, "reduction": "none"}, ["weight", "param"]),
    case("weight_zero_and_negative", {**XY, "weight": [0.0, 2.0, 3.0, -1.0]}, {"reduction": "none"}, ["weight"]),
    case("weight_nan_used_only_for_active_terms", {"input": [[0.1, 0.2, 0.4, 0.8], [0.9, -5.0, -5.0, -5.0]], "target": [3, 0], "weight": [NAN, 1.0, 1.0, 1.0]}, {"reduction": "none"}, ["weight", "nonfinite"]),
    case("kink_z_zero_does_not_use_weight", {"input": [[0.5, 1.0, -0.5]], "target": [1], "weight": [1.0, NAN, 1.0]}, {"margin": 0.5, "reduction": "none"}, ["kink", "weight", "nonfinite"]),
    case("weight_zero_times_inf_is_nan", {"input": [[0.1, INF, 0.4]], "target": [0], "weight": [0.0, 1.0, 1.0]}, {"reduction": "none"}, ["weight", "nonfinite"]),
    case("weight_random_batch_sum", {**BATCH, "weight": [0.5, 1.5, 1.0, 2.0]}, {"reduction": "sum", "p": 2}, ["weight"]),
    error("weight_two_dim", {**XY, "weight": [W]}, tags=["weight", "shape"]),
    error("weight_zero_dim", {**XY, "weight": 2.0}, tags=["weight", "shape"]),
    error("weight_wrong_size", {**XY, "weight": [1.0, 2.0]}, tags=["weight", "shape"]),
    error("weight_size_checked_before_target_range", {"input": XY["input"], "target": [3, 9], "weight": [1.0, 2.0]}, tags=["weight", "shape"]),
    # NaN scores contribute nothing; infinities give inf.
    case("nan_non_target_score_ignored", {"input": [[0.1, NAN, 0.4]], "target": [0]}, {"reduction": "none"}, ["nonfinite", "quirk"]),
    case("nan_target_score_gives_zero", {"input": [[NAN, 0.2, 0.4]], "target": [0]}, {"reduction": "none"}, ["nonfinite", "quirk"]),
    case("nan_scores_mean", {"input": [[NAN, 0.2, 0.4], [0.1, 0.2, 0.3]], "target": [0, 2]}, {"reduction": "mean"}, ["nonfinite", "quirk"]),
    case("pos_inf_non_target_score", {"input": [[0.1, INF, 0.4]], "target": [0]}, {"reduction": "none"}, ["nonfinite"]),
    case("pos_inf_non_target_score_p_two", {"input": [[0.1, INF, 0.4]], "target": [0]}, {"reduction": "none", "p": 2}, ["nonfinite"]),
    case("neg_inf_target_score", {"input": [[0.1, -INF, 0.4]], "target": [1]}, {"reduction": "none"}, ["nonfinite"]),
    case("pos_inf_target_score", {"input": [[0.1, INF, 0.4]], "target": [1]}, {"reduction": "none"}, ["nonfinite"]),
    # Target range.
    error("target_too_large", {**XY, "target": [3, 4]}, tags=["target_values"]),
    error("target_negative", {**XY, "target": [3, -1]}, tags=["target_values"]),
    error("target_out_of_range_with_reduction_none", {"input": [0.5, 0.1], "target": 2}, {"reduction": "none"}, ["target_values"]),
    # Shapes.
    case("one_dim_zero_dim_target_none", {"input": [0.1, 0.2, 0.4, 0.8], "target": 3}, {"reduction": "none"}, ["shape"]),
    case("one_dim_vector_target_none", {"input": [0.1, 0.2, 0.4, 0.8], "target": [3]}, {"reduction": "none"}, ["shape", "quirk"]),
    case("one_dim_mean", {"input": [0.1, 0.2, 0.4, 0.8], "target": 1}, {"reduction": "mean"}, ["shape"]),
    case("one_dim_with_weight_sum", {"input": [0.1, 0.2, 0.4, 0.8], "target": 1, "weight": W}, {"reduction": "sum", "p": 2}, ["shape", "weight"]),
    case("zero_dim_input_is_zero", {"input": 0.5, "target": 0}, {"reduction": "none"}, ["shape"]),
    case("zero_dim_input_vector_target", {"input": 0.5, "target": [0]}, {"reduction": "none", "margin": 3.0}, ["shape"]),
    case("zero_dim_input_with_weight", {"input": 0.5, "target": 0, "weight": [2.0]}, {"reduction": "mean"}, ["shape", "weight"]),
    case("single_class_rows", {"input": [[0.5], [-2.0]], "target": [0, 0]}, {"reduction": "none"}, ["shape"]),
    error("zero_dim_input_target_out_of_range", {"input": 0.5, "target": 1}, tags=["shape", "target_values"]),
    error("three_dim_input", {"input": [[[0.1, 0.2]]], "target": [0]}, tags=["shape"]),
    error("no_classes", {"input": empty(2, 0), "target": [0, 0]}, {"reduction": "none"}, ["shape", "empty"]),
    error("target_too_short", {**XY, "target": [3]}, tags=["shape"]),
    error("target_too_long", {**XY, "target": [3, 0, 1]}, tags=["shape"]),
    error("target_two_dim", {**XY, "target": [[3, 0]]}, tags=["shape"]),
    error("one_dim_input_two_targets", {"input": [0.1, 0.2, 0.4], "target": [0, 1]}, tags=["shape"]),
    # Empty batch: only `none` is defined (mean and sum read uninitialized memory).
    case("empty_batch_none", {"input": empty(0, 3), "target": empty(0)}, {"reduction": "none"}, ["empty"]),
    case("empty_batch_none_with_weight", {"input": empty(0, 3), "target": empty(0), "weight": [1.0, 2.0, 3.0]}, {"reduction": "none"}, ["empty", "weight"]),
    *legacy_cases(XY),
    case("legacy_reduce_false_p_two_weight", {**XY, "weight": W}, {"reduce": False, "p": 2}, ["legacy", "weight"]),
]
