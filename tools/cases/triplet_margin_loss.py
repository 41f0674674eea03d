"""Cases for torch.nn.functional.triplet_margin_loss (torch.nn.TripletMarginLoss); see spec/triplet_margin_loss.md."""

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

ERROR_PATTERNS = [
    ("invalid_parameter", r"margin must be greater than 0"),
    ("invalid_shape", r"anchor, positive, and negative tensors are expected to have the same number of dimensions"),
    ("invalid_shape", r"linalg.vector_norm cannot compute the \S+ norm on the dimension"),
]

rng = random.Random(21)

# The worked example: two triplets of 3-d embeddings, one already satisfied (loss below margin).
A = [[0.1, 0.2, 0.3], [1.0, 0.0, -1.0]]
P = [[0.2, 0.1, 0.3], [0.5, 0.5, -0.5]]
N = [[0.3, 0.3, 0.9], [1.0, 0.1, -1.0]]
APN = {"anchor": A, "positive": P, "negative": N}
# Triplets where the swap matters: the positive is closer to the negative than the anchor is.
SWAP = {
    "anchor": [[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]],
    "positive": [[1.0, 0.0], [0.5, 0.0], [1.0, 0.0]],
    "negative": [[2.0, 0.0], [0.0, 2.0], [1.0, -0.5]],
}
# A tie d(a, n) == d(p, n) (eps = 0): the swap's minimum splits the gradient.
TIE = {"anchor": [[0.0, 0.0]], "positive": [[1.0, 0.0]], "negative": [[0.5, 1.0]]}
BATCH = {k: uniform(rng, (6, 4), -1.0, 1.0) for k in ("anchor", "positive", "negative")}
THREE_D = {k: uniform(rng, (2, 3, 4), -1.0, 1.0) for k in ("anchor", "positive", "negative")}
SMALL = {"anchor": [[0.0, 1.0]], "positive": [[0.5, 1.0]], "negative": [[1.0, 0.0]]}

# Dtypes below float64 in which PyTorch itself cannot compute a case, and why (not_applicable in
# spec/case-format.md).
NA_EPS_KINK = "the hinge is 2.5e-13 above its kink, a gap eps = 1e-6 creates; PyTorch computes x1 - x2 + eps in this dtype, whose rounding cannot resolve it, and lands on the flat side (a gradient of 0 where it is -1)"

CASES = [
    case("default_mean", APN, tags=["tutorial", "reduction"]),
    *reduction_cases("reduction", APN),
    *invalid_reduction_cases(SMALL, values=INVALID_REDUCTIONS + (("batchmean_is_kl_div_only", "batchmean"),)),
    error("invalid_reduction_checked_before_margin", SMALL, {"reduction": "bogus", "margin": -1.0}, ["reduction"]),
    case("random_batch_none", BATCH, {"reduction": "none"}, ["basic"]),
    case("random_batch_mean", BATCH, {"reduction": "mean"}, ["basic"]),
    # margin: must be > 0; NaN passes the check.
    *[
        case(f"margin_{label}", BATCH, {"margin": m, "reduction": "none"}, ["param"])
        for label, m in (("small", 0.01), ("half", 0.5), ("two", 2.0))
    ],
    case("margin_inf", APN, {"margin": INF, "reduction": "none"}, ["param", "nonfinite"]),
    case("margin_nan_passes_check", APN, {"margin": NAN, "reduction": "none"}, ["param", "nonfinite", "quirk"]),
    error("margin_zero_rejected", APN, {"margin": 0.0}, ["param"]),
    error("margin_negative_rejected", APN, {"margin": -1.0}, ["param"]),
    error("margin_checked_despite_legacy", APN, {"margin": 0.0, "reduce": False}, ["param", "legacy"]),
    error("margin_checked_before_shape", {"anchor": A, "positive": P, "negative": N[0]}, {"margin": 0.0}, ["param"]),
    # p: any float.
    *[
        case(f"p_{label}", BATCH, {"p": p, "reduction": "none"}, ["param"])
        for label, p in (("one", 1.0), ("two_explicit", 2.0), ("three", 3.0), ("half", 0.5), ("one_and_half", 1.5), ("minus_one", -1.0))
    ],
    case("p_zero_counts_nonzero_components", APN, {"p": 0.0, "reduction": "none"}, ["param", "quirk"]),
    case("p_inf_max_component", BATCH, {"p": INF, "reduction": "none"}, ["param"]),
    case("p_neg_inf_min_component", BATCH, {"p": -INF, "reduction": "none"}, ["param"]),
    case("p_inf_tie_shares_gradient", {"anchor": [[1.0, 2.0]], "positive": [[2.0, 3.0]], "negative": [[3.0, 2.0]]}, {"p": INF, "eps": 0.0, "margin": 5.0, "reduction": "none"}, ["param", "kink"]),
    case("p_half_zero_component", {"anchor": [[1.0, 2.0]], "positive": [[1.0, 3.0]], "negative": [[3.0, 2.0]]}, {"p": 0.5, "eps": 0.0, "margin": 5.0, "reduction": "none"}, ["param", "kink"]),
    case("p_one_and_half_zero_component", {"anchor": [[1.0, 2.0]], "positive": [[1.0, 3.0]], "negative": [[3.0, 2.0]]}, {"p": 1.5, "eps": 0.0, "margin": 5.0, "reduction": "none"}, ["param", "kink"]),
    case("p_zero_counts_exact_zero_components", {"anchor": [[1.0, 2.0, 0.0]], "positive": [[3.0, 4.0, 1.0]], "negative": [[1.0, 3.0, 0.0]]}, {"p": 0.0, "eps": 0.0, "reduction": "none"}, ["param", "quirk"]),
    case("p_one_sum", APN, {"p": 1.0, "reduction": "sum"}, ["param"]),
    # eps is added to each component of the difference.
    case("eps_zero", APN, {"eps": 0.0, "reduction": "none"}, ["param"]),
    case("eps_large", APN, {"eps": 0.1, "reduction": "none"}, ["param"]),
    case("eps_negative", APN, {"eps": -0.05, "reduction": "none"}, ["param"]),
    case("eps_identical_anchor_positive_gradient", {"anchor": [[1.0, 2.0]], "positive": [[1.0, 2.0]], "negative": [[1.5, 2.0]]}, {"reduction": "none"}, ["param", "quirk"]),
    case("eps_zero_identical_anchor_positive", {"anchor": [[1.0, 2.0]], "positive": [[1.0, 2.0]], "negative": [[1.5, 2.0]]}, {"eps": 0.0, "reduction": "none"}, ["param", "kink"]),
    case("eps_makes_distance_asymmetric", {"anchor": [[0.0], [1e-6]], "positive": [[1e-6], [0.0]], "negative": [[0.5], [0.5]]}, {"reduction": "none"}, ["param", "precision", "quirk"]),
    # swap.
    case("swap_false_explicit", SWAP, {"swap": False, "reduction": "none"}, ["param"], not_applicable={"f32": NA_EPS_KINK, "f16": NA_EPS_KINK, "bf16": NA_EPS_KINK}),
    case("swap_uses_positive_negative_distance", SWAP, {"swap": True, "reduction": "none"}, ["param", "tutorial"]),
    case("swap_mean", BATCH, {"swap": True}, ["param"]),
    case("swap_tie_splits_gradient", TIE, {"swap": True, "eps": 0.0, "margin": 2.0, "reduction": "none"}, ["param", "kink"]),
    case("swap_with_p_one", SWAP, {"swap": True, "p": 1.0, "reduction": "sum"}, ["param"]),
    case("swap_nan_swap_distance_propagates", {"anchor": [[0.0, 0.0]], "positive": [[INF, 1.0]], "negative": [[INF, 3.0]]}, {"swap": True, "p": -INF, "eps": 0.0, "reduction": "none"}, ["param", "nonfinite"]),
    case("swap_nan_distance_propagates", {"anchor": [[1.0, 0.0]], "positive": [[NAN, 0.0]], "negative": [[3.0, 0.0]]}, {"swap": True, "reduction": "none"}, ["param", "nonfinite"]),
    # Kink: loss exactly 0 at the hinge.
    case("hinge_kink_zero_gradient", {"anchor": [[1.0, 2.0]], "positive": [[1.0, 3.0]], "negative": [[3.0, 2.0]]}, {"eps": 0.0, "reduction": "none"}, ["kink"]),
    # Non-finite values.
    case("nan_component_propagates", {"anchor": [[1.0, NAN]], "positive": [[2.0, 3.0]], "negative": [[3.0, 0.0]]}, {"reduction": "none"}, ["nonfinite"]),
    case("nan_component_p_zero_counts", {"anchor": [[1.0, NAN]], "positive": [[2.0, 3.0]], "negative": [[3.0, 0.0]]}, {"p": 0.0, "reduction": "none"}, ["nonfinite", "quirk"]),
    case("nan_component_p_inf_propagates", {"anchor": [[1.0, NAN]], "positive": [[2.0, 3.0]], "negative": [[3.0, 0.0]]}, {"p": INF, "reduction": "none"}, ["nonfinite"]),
    case("nan_component_p_neg_inf_propagates", {"anchor": [[1.0, 2.0]], "positive": [[2.0, NAN]], "negative": [[3.0, 0.0]]}, {"p": -INF, "reduction": "none"}, ["nonfinite"]),
    case("inf_in_negative_distance_gives_zero", {"anchor": [[1.0, 0.0]], "positive": [[2.0, 0.0]], "negative": [[INF, 0.0]]}, {"reduction": "none"}, ["nonfinite"]),
    case("inf_in_positive_distance_gives_inf", {"anchor": [[1.0, 0.0]], "positive": [[-INF, 0.0]], "negative": [[3.0, 0.0]]}, {"reduction": "none"}, ["nonfinite"]),
    case("inf_in_both_distances_is_nan", {"anchor": [[1.0, INF]], "positive": [[2.0, 3.0]], "negative": [[3.0, 0.0]]}, {"reduction": "none"}, ["nonfinite"]),
    case("overflow_to_inf", {"anchor": [[1e200, 0.0]], "positive": [[0.0, 0.0]], "negative": [[1.0, 0.0]]}, {"reduction": "none"}, ["nonfinite", "precision"]),
    # Shapes: same rank, any rank; the last dimension is reduced.
    case("one_dim_none_is_zero_dim", {"anchor": A[0], "positive": P[0], "negative": N[0]}, {"reduction": "none"}, ["shape"]),
    case("one_dim_mean", {"anchor": A[1], "positive": P[1], "negative": N[1]}, {"reduction": "mean"}, ["shape"]),
    case("zero_dim_inputs", {"anchor": 1.0, "positive": 2.0, "negative": 3.0}, {"reduction": "none", "margin": 2.0}, ["shape"]),
    case("three_dim_none", THREE_D, {"reduction": "none"}, ["shape"]),
    case("three_dim_mean_swap", THREE_D, {"reduction": "mean", "swap": True}, ["shape"]),
    error("ranks_differ", {"anchor": A, "positive": P, "negative": N[0]}, tags=["shape"]),
    error("ranks_differ_zero_dim", {"anchor": 1.0, "positive": [2.0], "negative": [3.0]}, tags=["shape"]),
    # Broadcasting within each distance and between distances.
    case("broadcast_one_anchor_many_pairs", {"anchor": [[0.1, 0.2, 0.3]], "positive": P, "negative": N}, {"reduction": "none"}, ["broadcast"]),
    case("broadcast_single_negative_swap", {"anchor": A, "positive": P, "negative": [[0.3, 0.3, 0.9]]}, {"reduction": "none", "swap": True}, ["broadcast"]),
    case("broadcast_distances_with_each_other", {"anchor": [[0.1, 0.2, 0.3]], "positive": P, "negative": [[0.3, 0.3, 0.9]]}, {"reduction": "mean"}, ["broadcast"]),
    case("broadcast_feature_dim", {"anchor": [[0.5], [1.0]], "positive": P, "negative": N}, {"reduction": "none"}, ["broadcast", "quirk"]),
    error("feature_dims_do_not_broadcast", {"anchor": A, "positive": [[0.2, 0.1], [0.5, 0.5]], "negative": N}, tags=["broadcast"]),
    error("distances_do_not_broadcast", {"anchor": [[0.1, 0.2, 0.3]], "positive": P, "negative": [N[0], N[1], N[0]]}, tags=["broadcast"]),
    # Empty tensors.
    *empty_cases("empty_batch", {"anchor": empty(0, 3), "positive": empty(0, 3), "negative": empty(0, 3)}, REDUCTIONS),
    case("no_features_loss_is_margin", {"anchor": empty(2, 0), "positive": empty(2, 0), "negative": empty(2, 0)}, {"reduction": "none", "margin": 0.5}, ["empty", "quirk"]),
    case("no_features_p_one", {"anchor": empty(0), "positive": empty(0), "negative": empty(0)}, {"reduction": "sum", "p": 1.0}, ["empty"]),
    case("empty_batch_p_inf", {"anchor": empty(0, 3), "positive": empty(0, 3), "negative": empty(0, 3)}, {"reduction": "sum", "p": INF}, ["empty"]),
    case("no_features_p_zero_is_allowed", {"anchor": empty(2, 0), "positive": empty(2, 0), "negative": empty(2, 0)}, {"p": 0.0, "reduction": "none"}, ["empty"]),
    error("no_features_p_inf", {"anchor": empty(2, 0), "positive": empty(2, 0), "negative": empty(2, 0)}, {"p": INF}, ["empty"]),
    error("no_features_p_negative", {"anchor": empty(2, 0), "positive": empty(2, 0), "negative": empty(2, 0)}, {"p": -0.5}, ["empty"]),
    *legacy_cases(APN),
    case("legacy_reduce_false_swap", SWAP, {"reduce": False, "swap": True}, ["legacy", "param"]),
]
