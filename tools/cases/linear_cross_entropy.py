"""Cases for torch.nn.functional.linear_cross_entropy (torch.nn.LinearCrossEntropyLoss); see
spec/linear_cross_entropy.md.

The target is class indices when every element is an integer literal, class probabilities when any
is a float literal (signature dtype `index_or_float`). torch's `options` argument (a chunking
strategy) is not part of the case format: every case is its default `options=None`.

Not included, because the case format cannot express it: an invalid `reduction` together with a
shape error, which torch reports as the shape error (`reduction` is checked late, by the
`cross_entropy` call); the loader accepts an invalid `reduction` only in a case expecting
`invalid_parameter`.

Not included, on purpose: a 1-D input with a (1,) class-index target and no label smoothing, which
torch 2.15 accepts in the forward but whose backward raises (the nll_loss bug underneath).
"""

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
    reduction_cases,
    uniform,
)

rng = random.Random(23)

ERROR_PATTERNS = [
    ("invalid_parameter", r"ignore_index cannot be specified when target contains probabilities"),
    ("invalid_parameter", r"label_smoothing must be between 0\.0 and 1\.0"),
    ("invalid_shape", r"expected input with dimensionality 1 or 2"),
    ("invalid_shape", r"expected linear_weight with dimensionality at least 2"),
    ("invalid_shape", r"expected equal input and linear_weight last dimensions"),
    ("invalid_shape", r"expected linear_bias shape"),
    ("invalid_shape", r"K-dimensional loss defined by linear_weight shape .* requires batched input"),
    # The cross_entropy / nll_loss checks underneath.
    ("invalid_shape", r"Expected floating point type for target with class probabilities"),
    ("invalid_shape", r"expected target dtype to be Long or Byte"),
    ("invalid_shape", r"Expected input batch_size \(\d+\) to match target batch_size"),
    ("invalid_shape", r"0D or 1D target tensor expected"),
    ("invalid_shape", r"For 1D input, 1D target must have size 1"),
    ("invalid_shape", r"Expected target size"),
    ("invalid_shape", r"weight tensor should be defined either for all"),
]


def empty_int(*shape):
    """An empty class-index tensor."""
    return {"shape": list(shape), "data": [], "dtype": "int"}


N, IN, C = 3, 4, 5
# The worked example: 3 samples of 4 features, a linear map to 5 classes.
X = [[0.5, -1.2, 0.8, 0.1], [1.5, 0.3, -0.7, 0.9], [-0.4, 0.6, 1.1, -1.3]]
LW = [
    [0.2, -0.5, 0.1, 0.7],
    [-0.3, 0.4, 0.9, -0.2],
    [0.6, 0.1, -0.4, 0.3],
    [-0.8, 0.2, 0.5, 0.6],
    [0.1, -0.6, -0.2, -0.9],
]
B = [0.1, -0.2, 0.3, 0.0, -0.5]
Y = [2, 0, 4]
BASE = {"input": X, "linear_weight": LW, "target": Y}
BIASED = {**BASE, "linear_bias": B}
W = [0.5, 2.0, 1.0, 3.0, 1.5]
P = [[0.1, 0.2, 0.3, 0.4, 0.0], [0.6, 0.1, 0.1, 0.1, 0.1], [0.0, 0.0, 0.25, 0.25, 0.5]]
PROBS = {"input": X, "linear_weight": LW, "target": P, "linear_bias": B}

# K-dimensional: linear_weight (C, d, in_features), linear_bias (C, d), logits (N, C, d).
KD = {
    "input": X,
    "linear_weight": uniform(rng, (3, 2, IN), -1.0, 1.0),
    "target": [[0, 2], [1, 1], [2, -100]],
    "linear_bias": uniform(rng, (3, 2), -0.5, 0.5),
}
KD_P = {**KD, "target": [[[0.2, 0.5], [0.3, 0.25], [0.5, 0.25]], [[1.0, 0.0], [0.0, 0.5], [0.0, 0.5]], [[0.1, 0.3], [0.8, 0.3], [0.1, 0.4]]]}

RANDOM = {
    "input": uniform(rng, (6, 7), -2.0, 2.0),
    "linear_weight": uniform(rng, (9, 7), -1.0, 1.0),
    "target": [rng.randrange(9) for _ in range(6)],
    "linear_bias": uniform(rng, (9,), -1.0, 1.0),
}

CASES = [
    case("default_mean_with_bias", BIASED, tags=["tutorial", "reduction"]),
    case("default_mean_without_bias", BASE, tags=["tutorial"]),
    *reduction_cases("reduction", BIASED),
    *reduction_cases("no_bias", BASE, reductions=("none", "sum")),
    *invalid_reduction_cases(BIASED, values=INVALID_REDUCTIONS + (("batchmean_is_kl_div_only", "batchmean"),)),
    error("invalid_reduction_checked_after_probability_ignore_index", PROBS, {"reduction": "bogus", "ignore_index": -100}, ["reduction", "quirk"]),
    error("invalid_reduction_checked_before_label_smoothing", BIASED, {"reduction": "bogus", "label_smoothing": 1.5}, ["reduction"]),
    error("invalid_reduction_checked_before_target_range", {**BIASED, "target": [2, 0, 5]}, {"reduction": "bogus"}, ["reduction"]),
    case("random_sum", RANDOM, {"reduction": "sum"}, ["basic"]),
    case("random_none", RANDOM, {"reduction": "none"}, ["basic"]),
    # weight.
    case("weight_mean_divides_by_target_weights", {**BIASED, "weight": W}, tags=["weight", "reduction"]),
    *reduction_cases("weight", {**BIASED, "weight": W}, reductions=("none", "sum"), tags=("weight", "reduction")),
    error("weight_wrong_size", {**BIASED, "weight": [1.0, 2.0]}, tags=["weight"]),
    # ignore_index: None (the default) ignores -100; an explicit value replaces it.
    case("ignore_index_none_ignores_minus_100", {**BIASED, "target": [2, -100, 4]}, tags=["param"]),
    case("ignore_index_none_ignores_minus_100_none", {**BIASED, "target": [2, -100, 4]}, {"reduction": "none"}, ["param"]),
    case("ignore_index_explicit_null", {**BIASED, "target": [2, -100, 4]}, {"ignore_index": None}, ["param"]),
    case("ignore_index_minus_100_explicit", {**BIASED, "target": [2, -100, 4]}, {"ignore_index": -100}, ["param"]),
    case("ignore_index_minus_one", {**BIASED, "target": [2, -1, 4]}, {"ignore_index": -1}, ["param"]),
    case("ignore_index_real_class_weight_mean", {**BIASED, "weight": W}, {"ignore_index": 0}, ["param", "weight"]),
    case("all_ignored_mean_is_nan", {**BIASED, "target": [-100, -100, -100]}, tags=["param", "quirk"]),
    case("all_ignored_sum_is_zero", {**BIASED, "target": [-100, -100, -100]}, {"reduction": "sum"}, ["param"]),
    error("target_minus_one_not_ignored_by_default", {**BIASED, "target": [2, -1, 4]}, tags=["param"]),
    error("target_minus_100_not_ignored_with_other_ignore_index", {**BIASED, "target": [2, -100, 4]}, {"ignore_index": -1}, ["param"]),
    error("target_equal_to_num_classes", {**BIASED, "target": [2, 5, 4]}),
    error("target_out_of_range_reduction_none", {**BIASED, "target": [2, 0, 9]}, {"reduction": "none"}),
    # label_smoothing.
    *reduction_cases("label_smoothing", BIASED, {"label_smoothing": 0.1}, ("none", "mean", "sum"), tags=("param", "reduction")),
    case("label_smoothing_weight_ignore_index_mean", {**BIASED, "target": [2, -100, 4], "weight": W}, {"label_smoothing": 0.2}, ["param", "weight", "quirk"]),
    case("label_smoothing_one", BIASED, {"label_smoothing": 1.0}, ["param"]),
    case("label_smoothing_zero_explicit", BIASED, {"label_smoothing": 0.0}, ["param"]),
    case("label_smoothing_negative_is_ignored", BIASED, {"label_smoothing": -0.25}, ["param", "quirk"]),
    case("label_smoothing_nan_is_ignored", BIASED, {"label_smoothing": NAN}, ["param", "quirk"]),
    error("label_smoothing_above_one", BIASED, {"label_smoothing": 1.5}, ["param"]),
    error("label_smoothing_inf", BIASED, {"label_smoothing": INF}, ["param"]),
    # Probability targets: a target with the logits' shape (N, C).
    *reduction_cases("probabilities", PROBS, reductions=("none", "mean", "sum")),
    case("probabilities_weight_mean_divides_by_batch", {**PROBS, "weight": W}, tags=["weight", "quirk"]),
    case("probabilities_label_smoothing_mean", PROBS, {"label_smoothing": 0.3}, ["param"]),
    case("probabilities_without_bias_none", {"input": X, "linear_weight": LW, "target": P}, {"reduction": "none"}, ["basic"]),
    error("probabilities_ignore_index_minus_100_rejected", PROBS, {"ignore_index": -100}, ["param", "quirk"]),
    error("probabilities_ignore_index_checked_before_reduction", PROBS, {"ignore_index": -1, "reduction": "bogus"}, ["param"]),
    error("integer_target_with_logits_shape", {**BIASED, "target": [[0, 0, 1, 0, 0], [1, 0, 0, 0, 0], [0, 0, 0, 0, 1]]}, tags=["shape", "quirk"]),
    error("integer_target_with_logits_shape_and_ignore_index", {**BIASED, "target": [[0, 0, 1, 0, 0], [1, 0, 0, 0, 0], [0, 0, 0, 0, 1]]}, {"ignore_index": -100}, ["param", "quirk"]),
    error("float_target_without_logits_shape", {**BIASED, "target": [2.0, 0.0, 4.0]}, tags=["shape"]),
    # 1-D input: one sample, a 0-d class index or a (C,) probability target.
    case("one_dim_input_zero_dim_target_none_is_scalar", {"input": X[0], "linear_weight": LW, "target": 2, "linear_bias": B}, {"reduction": "none"}, ["shape"]),
    case("one_dim_input_zero_dim_target_mean", {"input": X[0], "linear_weight": LW, "target": 2}, tags=["shape"]),
    case("one_dim_input_label_smoothing_weight", {"input": X[0], "linear_weight": LW, "target": 3, "linear_bias": B, "weight": W}, {"label_smoothing": 0.2}, ["shape", "param", "weight"]),
    case("one_dim_input_probabilities_none", {"input": X[0], "linear_weight": LW, "target": P[0], "linear_bias": B}, {"reduction": "none"}, ["shape"]),
    error("one_dim_input_target_of_two", {"input": X[0], "linear_weight": LW, "target": [2, 1]}, tags=["shape"]),
    # K-dimensional loss from a (C, d, in_features) linear_weight.
    *reduction_cases("k_dim", KD, reductions=("none", "mean", "sum"), tags=("shape",)),
    case("k_dim_weight_label_smoothing_mean", {**KD, "weight": [0.5, 1.5, 2.0]}, {"label_smoothing": 0.1}, ["shape", "weight", "param"]),
    case("k_dim_without_bias_mean", {k: v for k, v in KD.items() if k != "linear_bias"}, tags=["shape"]),
    *reduction_cases("k_dim_probabilities", KD_P, reductions=("none", "mean"), tags=("shape",)),
    error("k_dim_unbatched_input", {**KD, "input": X[0], "target": [0, 2]}, tags=["shape"]),
    error("k_dim_bias_of_classes_only", {**KD, "linear_bias": [0.1, 0.2, 0.3]}, tags=["shape"]),
    error("k_dim_target_wrong_spatial_size", {**KD, "target": [[0, 2, 1], [1, 1, 0], [2, 0, 0]]}, tags=["shape"]),
    # Shape errors of the linear map.
    error("input_three_dim", {**BIASED, "input": [X]}, tags=["shape"]),
    error("input_zero_dim", {**BIASED, "input": 0.5, "target": 2}, tags=["shape"]),
    error("linear_weight_one_dim", {**BIASED, "linear_weight": LW[0]}, tags=["shape"]),
    error("in_features_mismatch", {**BIASED, "linear_weight": [row[:3] for row in LW]}, tags=["shape"]),
    error("bias_wrong_size", {**BIASED, "linear_bias": B[:4]}, tags=["shape"]),
    error("bias_two_dim", {**BIASED, "linear_bias": [B]}, tags=["shape"]),
    error("batch_size_mismatch", {**BIASED, "target": [2, 0]}, tags=["shape"]),
    error("two_dim_index_target", {**BIASED, "target": [[2], [0], [4]]}, tags=["shape"]),
    # Zero input features: the logits are the bias (or zeros).
    case("zero_in_features_logits_are_bias", {"input": empty(3, 0), "linear_weight": empty(5, 0), "target": Y, "linear_bias": B}, {"reduction": "none"}, ["empty", "quirk"]),
    case("zero_in_features_without_bias_is_log_c", {"input": empty(3, 0), "linear_weight": empty(5, 0), "target": Y}, tags=["empty"]),
    # Empty batch.
    *empty_cases("empty_batch", {"input": empty(0, IN), "linear_weight": LW, "target": empty_int(0), "linear_bias": B}, ("none", "mean", "sum")),
    case("empty_batch_probabilities_mean", {"input": empty(0, IN), "linear_weight": LW, "target": empty(0, C), "linear_bias": B}, tags=["empty"]),
    # Non-finite values.
    case("input_nan_propagates", {**BIASED, "input": [[NAN, -1.2, 0.8, 0.1], X[1], X[2]]}, {"reduction": "none"}, ["nonfinite"]),
    case("linear_weight_inf_gives_nan", {**BIASED, "linear_weight": [[INF, -0.5, 0.1, 0.7], *LW[1:]]}, {"reduction": "none"}, ["nonfinite"]),
    case("large_logits_stable", {**BIASED, "input": [[50.0, -120.0, 80.0, 10.0], X[1], X[2]]}, {"reduction": "none"}, ["precision"]),
]

# Larger than one tile of the reference's product (4 rows x 16 logits): full tiles, edge rows
# and edge columns (9 rows, 37 classes). A separate generator, so the cases above keep their
# values.
tiled_rng = random.Random(37)
TILED = {
    "input": uniform(tiled_rng, (9, 5), -2.0, 2.0),
    "linear_weight": uniform(tiled_rng, (37, 5), -1.0, 1.0),
    "target": [tiled_rng.randrange(37) for _ in range(9)],
    "linear_bias": uniform(tiled_rng, (37,), -1.0, 1.0),
}
CASES += [
    case("tiled_nine_rows_thirty_seven_classes_mean", TILED, tags=["shape"]),
    case("tiled_nine_rows_thirty_seven_classes_none_without_bias", {k: v for k, v in TILED.items() if k != "linear_bias"}, {"reduction": "none"}, ["shape"]),
]
# Fewer rows than a tile but more columns: only edge tiles (a full-tile test that ignored the
# row count would read past the input).
CASES += [
    case("tiled_two_rows_twenty_classes_none", {
        "input": uniform(tiled_rng, (2, 3), -2.0, 2.0),
        "linear_weight": uniform(tiled_rng, (20, 3), -1.0, 1.0),
        "target": [3, 19],
    }, {"reduction": "none"}, ["shape"]),
]
