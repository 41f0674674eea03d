"""Cases for torch.nn.functional.kl_div (torch.nn.KLDivLoss); see spec/kl_div.md."""

import random

from casegen import (
    INF,
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

rng = random.Random(20240801)

# The worked example: log-probabilities against probabilities, 2 samples of 3 classes.
X = [[-1.2, -0.8, -1.6], [-0.3, -2.0, -1.1]]
Y = [[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]]
XY = {"input": X, "target": Y}
# The same kind of input against log-probability targets.
X_LOGY = {"input": X, "target": [[-1.6, -0.7, -1.2], [-0.5, -2.3, -1.2]]}
X3 = {"input": uniform(rng, (2, 3, 4), -3.0, -0.1), "target": uniform(rng, (2, 3, 4), 0.0, 1.0)}

CASES = [
    case("batchmean_divides_by_batch", XY, {"reduction": "batchmean", "log_target": False}, ["tutorial", "reduction"]),
    case("mean_divides_by_numel", XY, {"reduction": "mean", "log_target": False}, ["tutorial", "reduction"]),
    case("default_reduction_is_mean", XY),
    *reduction_cases("reduction", XY, reductions=("none", "sum", "elementwise_mean")),
    *invalid_reduction_cases(
        {"input": [0.0], "target": [0.0]},
        values=(("misspelled_batchmean", "batchmeans"), ("misspelled", "means"), ("capitalized", "Mean"), ("empty_string", "")),
    ),
    error("invalid_reduction_checked_before_shape", {"input": [-1.0, -2.0, -3.0], "target": [0.5, 0.5]}, {"reduction": "bogus"}, ["reduction"]),
    # log_target=True: the target holds log-probabilities.
    *[
        case(f"log_target_{r}", X_LOGY, {"reduction": r, "log_target": True}, ["param"])
        for r in ("none", "mean", "sum", "batchmean")
    ],
    case("log_target_false_explicit_none", XY, {"reduction": "none", "log_target": False}, ["param"]),
    # Target 0 contributes 0 through xlogy(0, 0) = 0 ...
    case("target_zero_contributes_zero", {"input": [-1.0, -2.0, -0.5], "target": [0.0, 0.75, 0.25]}, {"reduction": "none"}, ["basic"]),
    case("target_zero_sum", {"input": [-1.0, -2.0, -0.5], "target": [0.0, 0.75, 0.25]}, {"reduction": "sum"}, ["basic"]),
    # ... but 0 * x is NaN when x is infinite or NaN.
    case("target_zero_input_neg_inf_is_nan", {"input": [-INF, -0.5], "target": [0.0, 1.0]}, {"reduction": "none"}, ["nonfinite", "quirk"]),
    case("target_zero_input_neg_inf_sum_is_nan", {"input": [-INF, -0.5], "target": [0.0, 1.0]}, {"reduction": "sum"}, ["nonfinite", "quirk"]),
    case("target_zero_input_nan_is_nan", {"input": [NAN, -0.5], "target": [0.0, 1.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("input_neg_inf_positive_target_is_inf", {"input": [-INF, -0.5], "target": [0.5, 0.5]}, {"reduction": "none"}, ["nonfinite"]),
    case("input_pos_inf_is_neg_inf", {"input": [INF, -0.5], "target": [0.5, 0.5]}, {"reduction": "sum"}, ["nonfinite"]),
    case("input_nan_propagates_to_mean", {"input": [NAN, -0.5, -1.0], "target": [0.2, 0.3, 0.5]}, {"reduction": "mean"}, ["nonfinite"]),
    case("target_nan_propagates", {"input": [-1.0, -0.5], "target": [NAN, 0.5]}, {"reduction": "none"}, ["nonfinite"]),
    case("target_pos_inf", {"input": [-1.0, -0.5], "target": [INF, 0.5]}, {"reduction": "none"}, ["nonfinite"]),
    case("target_negative_is_nan", {"input": [-1.0, -0.5], "target": [-0.25, 0.5]}, {"reduction": "none"}, ["target_values"]),
    case("target_above_one_accepted", {"input": [-1.0, -0.5], "target": [2.0, 0.5]}, {"reduction": "none"}, ["target_values"]),
    case("input_positive_accepted", {"input": [0.5, 1.5], "target": [0.25, 0.75]}, {"reduction": "sum"}, ["target_values"]),
    # log_target=True with a target of -inf (probability 0): exp(-inf) * (-inf - x) = 0 * -inf.
    case("log_target_neg_inf_is_nan", {"input": [-1.0, -1.0], "target": [-INF, -0.5]}, {"reduction": "none", "log_target": True}, ["nonfinite", "quirk"]),
    case("log_target_neg_inf_input_neg_inf", {"input": [-INF, -1.0], "target": [-INF, -0.5]}, {"reduction": "none", "log_target": True}, ["nonfinite"]),
    case("log_target_pos_inf", {"input": [-1.0, -1.0], "target": [INF, -0.5]}, {"reduction": "none", "log_target": True}, ["nonfinite"]),
    case("log_target_input_nan", {"input": [NAN, -1.0], "target": [-0.7, -0.5]}, {"reduction": "sum", "log_target": True}, ["nonfinite"]),
    # Shapes.
    case("zero_dim_batchmean_does_not_divide", {"input": -1.0, "target": 0.5}, {"reduction": "batchmean"}, ["shape", "reduction"]),
    case("zero_dim_none", {"input": -1.0, "target": 0.5}, {"reduction": "none"}, ["shape"]),
    case("zero_dim_mean", {"input": -1.0, "target": 0.5}, {"reduction": "mean"}, ["shape"]),
    case("one_dim_batchmean_divides_by_numel", {"input": [-1.0, -2.0, -0.5, -1.5], "target": [0.1, 0.2, 0.3, 0.4]}, {"reduction": "batchmean"}, ["shape", "reduction"]),
    case("one_dim_mean", {"input": [-1.0, -2.0, -0.5, -1.5], "target": [0.1, 0.2, 0.3, 0.4]}, {"reduction": "mean"}, ["shape"]),
    case("three_dim_batchmean_divides_by_dim0", X3, {"reduction": "batchmean"}, ["shape", "reduction"]),
    case("three_dim_none", X3, {"reduction": "none"}, ["shape"]),
    case("three_dim_mean", X3, {"reduction": "mean"}, ["shape"]),
    # Broadcasting: target and input broadcast silently; batchmean divides by input.size(0).
    case("broadcast_target_row_batchmean", {"input": X, "target": [[0.2, 0.5, 0.3]]}, {"reduction": "batchmean"}, ["broadcast"]),
    case("broadcast_target_row_none", {"input": X, "target": [[0.2, 0.5, 0.3]]}, {"reduction": "none"}, ["broadcast"]),
    case("broadcast_input_row_batchmean_divides_by_input_dim0", {"input": [[-1.2, -0.8, -1.6]], "target": Y}, {"reduction": "batchmean"}, ["broadcast", "quirk"]),
    case("broadcast_column_and_row", {"input": [[-1.0], [-2.0]], "target": [[0.2, 0.5, 0.3]]}, {"reduction": "none"}, ["broadcast"]),
    case("broadcast_lower_rank_input_batchmean", {"input": [-1.2, -0.8, -1.6], "target": Y}, {"reduction": "batchmean"}, ["broadcast", "quirk"]),
    case("broadcast_lower_rank_target_mean", {"input": X, "target": [0.2, 0.5, 0.3]}, {"reduction": "mean"}, ["broadcast"]),
    error("broadcast_mismatch", {"input": [-1.0, -2.0, -3.0], "target": [0.5, 0.5]}, tags=["broadcast"]),
    error("broadcast_mismatch_2d", {"input": X, "target": [[0.5, 0.5], [0.5, 0.5]]}, {"reduction": "sum"}, ["broadcast"]),
    # Empty tensors: none is empty, mean and batchmean 0/0 = nan, sum 0.
    *empty_cases("empty_1d", {"input": empty(0), "target": empty(0)}, REDUCTIONS + ("batchmean",)),
    *empty_cases("empty_0x3", {"input": empty(0, 3), "target": empty(0, 3)}, REDUCTIONS + ("batchmean",)),
    # Legacy arguments, and the functional quirk: the batchmean division still applies.
    *legacy_cases(XY),
    case("legacy_reduce_false_batchmean_divides_unreduced", XY, {"reduce": False, "reduction": "batchmean"}, ["legacy", "quirk"]),
    case("legacy_size_average_false_batchmean_is_sum_over_batch", XY, {"size_average": False, "reduction": "batchmean"}, ["legacy", "quirk"]),
    case("legacy_size_average_true_batchmean", XY, {"size_average": True, "reduction": "batchmean"}, ["legacy", "quirk"]),
    case("legacy_reduce_false_log_target", X_LOGY, {"reduce": False, "log_target": True}, ["legacy", "param"]),
    case("random_3d_log_target_sum", {"input": uniform(rng, (3, 2, 2), -2.0, 0.0), "target": uniform(rng, (3, 2, 2), -3.0, 0.0)}, {"reduction": "sum", "log_target": True}, ["param", "shape"]),
]
