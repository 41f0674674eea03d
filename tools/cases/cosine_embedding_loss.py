"""Cases for torch.nn.functional.cosine_embedding_loss (torch.nn.CosineEmbeddingLoss); see spec/cosine_embedding_loss.md."""

import math
import random
import struct

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

ERROR_PATTERNS = [
    ("invalid_shape", r"0D or 1D target tensor expected, multi-target not supported"),
    ("invalid_shape", r"[01]D target tensor expects [12]D input tensors"),
]

rng = random.Random(19)

# ATen's float EPSILON as the double it becomes, and the cosine PyTorch computes for [1, 0] vs [1, 1].
EPS = struct.unpack("f", struct.pack("f", 1e-12))[0]
COS_1_0__1_1 = 1.0 / math.sqrt((1.0 + EPS) * (2.0 + EPS))

# The worked example: three pairs of 3-d embeddings, similar, dissimilar, similar.
X1 = [[1.0, 2.0, 3.0], [0.0, -1.0, 0.5], [0.3, 0.3, -0.2]]
X2 = [[2.0, 1.0, 0.0], [0.0, 1.0, 1.0], [-0.5, 0.1, 0.4]]
PAIRS = {"input1": X1, "input2": X2, "target": [1.0, -1.0, 1.0]}
# Dissimilar pairs with cosines spread over (-1, 1), for the margin.
DISSIMILAR = {
    "input1": [[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [1.0, 0.0]],
    "input2": [[1.0, 1.0], [0.0, 1.0], [-1.0, 0.5], [1.0, -0.2]],
    "target": [-1.0, -1.0, -1.0, -1.0],
}
BATCH = {"input1": uniform(rng, (5, 4), -2.0, 2.0), "input2": uniform(rng, (5, 4), -2.0, 2.0), "target": choice(rng, (5,), [1.0, -1.0])}
SMALL = {"input1": [[1.0, 0.5]], "input2": [[0.5, 1.0]], "target": [1.0]}

# Dtypes below float64 in which PyTorch itself cannot compute a case, and why (not_applicable in
# spec/case-format.md); tools/certify's PyTorch run justifies each entry.
NA_F16_EPSILON = {
    "f16": "PyTorch adds EPSILON = 1e-12 to the squared norms in the input's dtype; it is 0 in float16, so a zero or tiny vector gives 0/0 = NaN",
}
NA_F32_TINY_DAMPED = "PyTorch's gradient is the difference of two terms near 9.9e4 whose difference is 980 (x = y = 1e-5 against EPSILON = 1e-12): float32's rounding of the terms leaves a relative error of 7e-6 in it"

CASES = [
    case("default_mean", PAIRS, tags=["tutorial", "reduction"]),
    *reduction_cases("reduction", PAIRS),
    *invalid_reduction_cases(SMALL, values=INVALID_REDUCTIONS + (("batchmean_is_kl_div_only", "batchmean"),)),
    error("invalid_reduction_checked_before_shape", {"input1": [1.0, 0.5], "input2": [0.5, 1.0], "target": [1.0]}, {"reduction": "bogus"}, ["reduction"]),
    case("random_batch_none", BATCH, {"reduction": "none"}, ["basic"]),
    # margin: default 0, positive, negative, and non-finite; only y = -1 pairs use it.
    *[
        case(f"margin_{label}", DISSIMILAR, {"margin": m, "reduction": "none"}, ["param"])
        for label, m in (("zero", 0.0), ("half", 0.5), ("negative", -0.5), ("one", 1.0), ("below_minus_one", -1.5))
    ],
    case("margin_half_mean", DISSIMILAR, {"margin": 0.5}, ["param"]),
    case("margin_does_not_affect_similar_pairs", PAIRS, {"margin": 0.7, "reduction": "none"}, ["param"]),
    case("margin_kink_cos_equals_margin", {"input1": [[1.0, 0.0]], "input2": [[1.0, 1.0]], "target": [-1.0]}, {"margin": COS_1_0__1_1, "reduction": "none"}, ["param", "kink"]),
    case("margin_neg_inf", DISSIMILAR, {"margin": -INF, "reduction": "none"}, ["param", "nonfinite"]),
    case("margin_nan", PAIRS, {"margin": NAN, "reduction": "none"}, ["param", "nonfinite"]),
    # Targets other than ±1 give 0 (and still count in the mean).
    case("target_other_values_give_zero", {"input1": X1, "input2": X2, "target": [0.0, 2.0, 0.5]}, {"reduction": "none"}, ["target_values", "quirk"]),
    case("target_zero_counts_in_mean", {"input1": X1, "input2": X2, "target": [1.0, 0.0, -1.0]}, {"reduction": "mean"}, ["target_values", "quirk"]),
    case("target_nan_gives_zero", {"input1": X1, "input2": X2, "target": [NAN, 1.0, -1.0]}, {"reduction": "none"}, ["target_values", "nonfinite"]),
    # The EPS added to each squared norm.
    case("identical_vectors_not_exactly_zero", {"input1": [[1.0, 0.0], [3.0, 4.0]], "input2": [[1.0, 0.0], [3.0, 4.0]], "target": [1.0, 1.0]}, {"reduction": "none"}, ["precision", "quirk"]),
    case("tiny_vectors_damped_by_eps", {"input1": [1e-5, 0.0], "input2": [1e-5, 0.0], "target": 1.0}, {"reduction": "none"}, ["precision", "quirk", "tutorial"], not_applicable={"f32": NA_F32_TINY_DAMPED, **NA_F16_EPSILON}),
    case("tiny_vectors_batch", {"input1": [[1e-6, 0.0], [1e-7, 1e-7]], "input2": [[1e-6, 0.0], [2e-7, 0.0]], "target": [1.0, -1.0]}, {"reduction": "none", "margin": -0.5}, ["precision", "quirk"], not_applicable=NA_F16_EPSILON),
    case("zero_vector_similar_and_dissimilar", {"input1": [[0.0, 0.0], [0.0, 0.0]], "input2": [[1.0, 2.0], [1.0, 2.0]], "target": [1.0, -1.0]}, {"margin": -0.5, "reduction": "none"}, ["quirk"], not_applicable=NA_F16_EPSILON),
    case("both_zero_vectors", {"input1": [[0.0, 0.0], [0.0, 0.0]], "input2": [[0.0, 0.0], [0.0, 0.0]], "target": [1.0, -1.0]}, {"reduction": "none"}, ["quirk"], not_applicable=NA_F16_EPSILON),
    case("opposite_vectors_similar", {"input1": [[1.0, 2.0]], "input2": [[-1.0, -2.0]], "target": [1.0]}, {"reduction": "sum"}, ["basic"]),
    # Non-finite values.
    case("input_nan_similar_and_other_target", {"input1": [[NAN, 1.0], [NAN, 1.0]], "input2": [[1.0, 1.0], [1.0, 1.0]], "target": [1.0, 0.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("input_nan_dissimilar", {"input1": [[1.0, 1.0]], "input2": [[NAN, 1.0]], "target": [-1.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("input_inf_is_nan", {"input1": [[INF, 1.0]], "input2": [[1.0, 1.0]], "target": [1.0]}, {"reduction": "none"}, ["nonfinite"]),
    case("overflow_is_nan", {"input1": [[1e200, 1.0]], "input2": [[1e200, 1.0]], "target": [1.0]}, {"reduction": "none"}, ["nonfinite", "precision"]),
    case("input_nan_propagates_to_mean", {"input1": [[NAN, 1.0], [1.0, 0.0]], "input2": [[1.0, 1.0], [1.0, 1.0]], "target": [-1.0, 1.0]}, {"reduction": "mean"}, ["nonfinite"]),
    # Shapes: a 0-d target takes 1-D inputs and gives a 0-d result.
    case("one_pair_zero_dim_target_none", {"input1": [1.0, 2.0, 3.0], "input2": [2.0, 1.0, 0.0], "target": 1.0}, {"reduction": "none"}, ["shape"]),
    case("one_pair_zero_dim_target_mean", {"input1": [1.0, 2.0, 3.0], "input2": [2.0, 1.0, 0.0], "target": -1.0}, {"reduction": "mean", "margin": 0.1}, ["shape"]),
    case("one_pair_in_batch_of_one", {"input1": [[1.0, 2.0, 3.0]], "input2": [[2.0, 1.0, 0.0]], "target": [1.0]}, {"reduction": "none"}, ["shape"]),
    case("single_feature", {"input1": [[2.0], [-1.0]], "input2": [[3.0], [4.0]], "target": [1.0, -1.0]}, {"reduction": "none"}, ["shape"]),
    error("zero_dim_target_with_two_dim_inputs", {"input1": X1, "input2": X2, "target": 1.0}, tags=["shape"]),
    error("one_dim_target_with_one_dim_inputs", {"input1": [1.0, 2.0], "input2": [2.0, 1.0], "target": [1.0]}, tags=["shape"]),
    error("two_dim_target", {"input1": X1, "input2": X2, "target": [[1.0, -1.0, 1.0]]}, tags=["shape"]),
    error("input2_rank_checked_too", {"input1": X1, "input2": [2.0, 1.0, 0.0], "target": [1.0, -1.0, 1.0]}, tags=["shape"]),
    error("three_dim_inputs", {"input1": [[[1.0, 2.0]]], "input2": [[[1.0, 2.0]]], "target": [1.0]}, tags=["shape"]),
    error("zero_dim_inputs", {"input1": 1.0, "input2": 2.0, "target": 1.0}, tags=["shape"]),
    # Broadcasting: inputs with each other, then the cosines with the target.
    case("broadcast_one_against_many", {"input1": [[1.0, 2.0, 3.0]], "input2": X2, "target": [1.0, -1.0, 1.0]}, {"reduction": "none"}, ["broadcast"]),
    case("broadcast_single_target", {"input1": X1, "input2": X2, "target": [-1.0]}, {"reduction": "none", "margin": -0.2}, ["broadcast"]),
    case("broadcast_one_pair_many_targets", {"input1": [[1.0, 2.0, 3.0]], "input2": [[2.0, 1.0, 0.0]], "target": [1.0, -1.0, 0.0]}, {"reduction": "none"}, ["broadcast"]),
    case("broadcast_feature_dim_cos_above_one", {"input1": [[1.0, 2.0, 3.0], [0.0, -1.0, 0.5]], "input2": [[2.0], [1.0]], "target": [1.0, -1.0]}, {"reduction": "none"}, ["broadcast", "quirk"]),
    case("broadcast_mean_divides_by_pairs", {"input1": [[1.0, 2.0, 3.0]], "input2": X2, "target": [1.0]}, {"reduction": "mean"}, ["broadcast"]),
    error("inputs_cannot_broadcast_features", {"input1": X1, "input2": [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], "target": [1.0, 1.0, 1.0]}, tags=["broadcast"]),
    error("inputs_cannot_broadcast_batch", {"input1": X1, "input2": X2[:2], "target": [1.0, 1.0, 1.0]}, tags=["broadcast"]),
    error("target_cannot_broadcast", {"input1": X1, "input2": X2, "target": [1.0, -1.0]}, tags=["broadcast"]),
    # Empty tensors.
    *empty_cases("empty_batch", {"input1": empty(0, 3), "input2": empty(0, 3), "target": empty(0)}, REDUCTIONS),
    case("zero_features_none", {"input1": empty(2, 0), "input2": empty(2, 0), "target": [1.0, -1.0]}, {"reduction": "none", "margin": -0.25}, ["empty", "quirk"], not_applicable=NA_F16_EPSILON),
    case("zero_features_one_pair", {"input1": empty(0), "input2": empty(0), "target": 1.0}, {"reduction": "mean"}, ["empty"], not_applicable=NA_F16_EPSILON),
    case("empty_target_broadcast_with_one_pair", {"input1": [[1.0, 2.0]], "input2": [[2.0, 1.0]], "target": empty(0)}, {"reduction": "sum"}, ["empty", "broadcast"]),
    *legacy_cases(PAIRS),
    case("legacy_reduce_false_with_margin", DISSIMILAR, {"reduce": False, "margin": 0.25}, ["legacy", "param"]),
]
