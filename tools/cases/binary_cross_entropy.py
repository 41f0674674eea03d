"""Cases for torch.nn.functional.binary_cross_entropy (torch.nn.BCELoss); see spec/binary_cross_entropy.md."""

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

rng = random.Random(5)

# The worked example: probabilities for 2 samples of 3 labels, hard targets.
X = [[0.9, 0.2, 0.6], [0.35, 0.7, 0.05]]
Y = [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
XY = {"input": X, "target": Y}
X3 = {"input": uniform(rng, (2, 2, 3), 0.01, 0.99), "target": uniform(rng, (2, 2, 3), 0.0, 1.0, 1)}
SMALL = {"input": [0.5], "target": [1.0]}

# Dtypes below float64 in which PyTorch itself cannot compute a case, and why (not_applicable in
# spec/case-format.md); tools/certify's PyTorch run justifies each entry.
NA_F16_BACKWARD_CLAMP = {
    "f16": "PyTorch's backward divides by max((1 - x)·x, 1e-12) in the input's dtype; 1e-12 is 0 in float16, so at x = 0 or x = 1 the gradient is 0/0 = NaN",
}

CASES = [
    case("default_mean", XY, tags=["tutorial", "reduction"]),
    *reduction_cases("reduction", XY),
    *invalid_reduction_cases(SMALL, values=INVALID_REDUCTIONS + (("batchmean_is_kl_div_only", "batchmean"),)),
    error("invalid_reduction_checked_before_values", {"input": [1.5], "target": [1.0]}, {"reduction": "bogus"}, ["reduction"]),
    error("invalid_reduction_checked_before_shape", {"input": [0.5, 0.5], "target": [1.0]}, {"reduction": "bogus"}, ["reduction"]),
    # The logs are clamped at -100, so input exactly 0 or 1 gives a finite loss (and a huge gradient).
    case("clamp_input_zero_and_one", {"input": [0.0, 0.0, 1.0, 1.0], "target": [0.0, 1.0, 0.0, 1.0]}, {"reduction": "none"}, ["clamp", "tutorial"], not_applicable=NA_F16_BACKWARD_CLAMP),
    case("clamp_input_zero_and_one_sum", {"input": [0.0, 0.0, 1.0, 1.0], "target": [0.0, 1.0, 0.0, 1.0]}, {"reduction": "sum"}, ["clamp"], not_applicable=NA_F16_BACKWARD_CLAMP),
    case("clamp_input_zero_and_one_mean", {"input": [0.0, 0.0, 1.0, 1.0], "target": [0.0, 1.0, 0.0, 1.0]}, {"reduction": "mean"}, ["clamp"], not_applicable=NA_F16_BACKWARD_CLAMP),
    case("clamp_input_zero_soft_target", {"input": [0.0, 1.0], "target": [0.5, 0.5]}, {"reduction": "none"}, ["clamp"]),
    case("clamp_input_1e_50", {"input": [1e-50, 1e-50], "target": [1.0, 0.0]}, {"reduction": "none"}, ["clamp"], not_applicable=NA_F16_BACKWARD_CLAMP),
    case("clamp_boundary_1e_44_clamped_1e_43_not", {"input": [1e-44, 1e-43], "target": [1.0, 1.0]}, {"reduction": "none"}, ["clamp"]),
    case("input_just_below_one", {"input": [0.9999999999999999, 0.9999999999999999], "target": [0.0, 1.0]}, {"reduction": "none"}, ["clamp"], not_applicable=NA_F16_BACKWARD_CLAMP),
    case("input_equals_target_zero_gradient", {"input": [0.25, 0.5, 0.75], "target": [0.25, 0.5, 0.75]}, {"reduction": "none"}, ["basic"]),
    case("soft_targets_half", {"input": [0.1, 0.5, 0.9], "target": [0.5, 0.5, 0.5]}, {"reduction": "none"}, ["target_values"]),
    # weight broadcasts against the trailing dims: (C,) weights columns, (N, 1) weights samples.
    # With N == C nothing fails: a (C,) weight still weights columns, never samples.
    case("weight_per_column_square_input", {"input": [[0.9, 0.2, 0.6], [0.35, 0.7, 0.05], [0.5, 0.1, 0.8]], "target": [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 1.0, 0.0]], "weight": [1.0, 2.0, 0.5]}, {"reduction": "none"}, ["weight", "broadcast", "quirk"]),
    case("weight_per_column", {**XY, "weight": [1.0, 2.0, 0.5]}, {"reduction": "none"}, ["weight", "broadcast"]),
    case("weight_per_column_mean_not_normalized", {**XY, "weight": [1.0, 2.0, 0.5]}, {"reduction": "mean"}, ["weight", "broadcast"]),
    case("weight_per_sample_column_vector", {**XY, "weight": [[2.0], [0.5]]}, {"reduction": "none"}, ["weight", "broadcast"]),
    case("weight_per_sample_sum", {**XY, "weight": [[2.0], [0.5]]}, {"reduction": "sum"}, ["weight", "broadcast"]),
    case("weight_same_shape", {**XY, "weight": [[1.0, 0.0, 2.0], [0.5, 3.0, 1.5]]}, {"reduction": "none"}, ["weight"]),
    case("weight_zero_dim", {**XY, "weight": 2.5}, {"reduction": "sum"}, ["weight", "broadcast"]),
    case("weight_zero_masks", {"input": [0.3, 0.6], "target": [1.0, 0.0], "weight": [0.0, 1.0]}, {"reduction": "mean"}, ["weight"]),
    case("weight_negative_accepted", {"input": [0.3, 0.6], "target": [1.0, 0.0], "weight": [-1.0, 2.0]}, {"reduction": "none"}, ["weight"]),
    case("weight_nan_propagates", {"input": [0.3, 0.6], "target": [1.0, 0.0], "weight": [NAN, 1.0]}, {"reduction": "none"}, ["weight", "nonfinite"]),
    case("weight_inf_times_zero_loss", {"input": [0.0, 0.6], "target": [0.0, 0.0], "weight": [INF, 1.0]}, {"reduction": "none"}, ["weight", "nonfinite"]),
    error("weight_cannot_broadcast", {**XY, "weight": [1.0, 2.0]}, tags=["weight", "broadcast"]),
    error("weight_larger_than_input", {**XY, "weight": [[[1.0, 1.0, 1.0]], [[2.0, 2.0, 2.0]]]}, tags=["weight", "broadcast"]),
    # Input and target must lie in [0, 1]; NaN fails the check too.
    error("input_above_one", {"input": [0.5, 1.5], "target": [1.0, 1.0]}),
    error("input_below_zero", {"input": [-0.1, 0.5], "target": [0.0, 1.0]}),
    error("input_nan", {"input": [NAN, 0.5], "target": [0.0, 1.0]}, tags=["nonfinite"]),
    error("input_inf", {"input": [INF, 0.5], "target": [1.0, 1.0]}, tags=["nonfinite"]),
    error("target_above_one", {"input": [0.5, 0.5], "target": [2.0, 1.0]}, tags=["target_values"]),
    error("target_below_zero", {"input": [0.5, 0.5], "target": [-0.5, 1.0]}, tags=["target_values"]),
    error("target_nan", {"input": [0.5, 0.5], "target": [NAN, 1.0]}, tags=["target_values", "nonfinite"]),
    error("input_out_of_range_with_reduction_none", {"input": [1.5], "target": [1.0]}, {"reduction": "none"}),
    # The target must have exactly the input's shape (no broadcasting).
    error("target_shape_differs_rank", {"input": [0.5, 0.5], "target": [[0.0, 1.0]]}, tags=["shape"]),
    error("target_shape_differs_length", {"input": [0.5, 0.5], "target": [0.0, 1.0, 1.0]}, tags=["shape"]),
    error("target_zero_dim_input_one_dim", {"input": [0.5], "target": 1.0}, tags=["shape"]),
    error("shape_checked_before_values", {"input": [1.5, 0.5], "target": [1.0]}, tags=["shape"]),
    # Shapes.
    case("zero_dim_none", {"input": 0.3, "target": 1.0}, {"reduction": "none"}, ["shape"]),
    case("zero_dim_mean", {"input": 0.3, "target": 1.0}, {"reduction": "mean"}, ["shape"]),
    case("zero_dim_with_weight", {"input": 0.3, "target": 1.0, "weight": 2.0}, {"reduction": "sum"}, ["shape", "weight"]),
    case("one_dim_mean", {"input": [0.2, 0.8, 0.5, 0.99], "target": [0.0, 1.0, 1.0, 0.0]}, {"reduction": "mean"}, ["shape"]),
    case("three_dim_none", X3, {"reduction": "none"}, ["shape"]),
    case("three_dim_mean", X3, {"reduction": "mean"}, ["shape"]),
    case("three_dim_weight_per_last_dim", {**X3, "weight": [1.0, 0.5, 2.0]}, {"reduction": "sum"}, ["shape", "weight", "broadcast"]),
    # Empty tensors.
    *empty_cases("empty_1d", {"input": empty(0), "target": empty(0)}, REDUCTIONS),
    *empty_cases("empty_0x3", {"input": empty(0, 3), "target": empty(0, 3)}, REDUCTIONS),
    case("empty_0x3_weight_per_column", {"input": empty(0, 3), "target": empty(0, 3), "weight": [1.0, 2.0, 3.0]}, {"reduction": "sum"}, ["empty", "weight"]),
    *legacy_cases(XY),
]
