"""Cases for torch.nn.functional.triplet_margin_with_distance_loss (torch.nn.TripletMarginWithDistanceLoss);
see spec/triplet_margin_with_distance_loss.md.

A case names its distance_function (a Python callable in PyTorch); torch_kwargs below turns the
name into the callable, as the spec defines the names.
"""

import random

import torch.nn.functional as F

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

ERROR_PATTERNS = [
    ("invalid_parameter", r"margin must be greater than 0"),
    ("invalid_parameter", r"'str' object is not callable"),
    ("invalid_shape", r"anchor, positive, and negative tensors are expected to have the same number of dimensions"),
    ("invalid_shape", r"Dimension out of range \(expected to be in range of \[-?\d+, -?\d+\], but got 1\)"),
]


def cosine_distance(u, v):
    """The spec's `cosine_distance`: 1 - F.cosine_similarity(u, v) with its defaults (dim=1, eps=1e-8)."""
    return 1 - F.cosine_similarity(u, v)


DISTANCES = {"pairwise_distance": F.pairwise_distance, "cosine_distance": cosine_distance}


def torch_kwargs(params):
    """distance_function: null stays None (PyTorch's default); a known name becomes its callable; an unknown
    name is passed through unchanged, so PyTorch itself raises when it first calls it (after its own checks)."""
    name = params.get("distance_function")
    if name is not None:
        params["distance_function"] = DISTANCES.get(name, name)
    return params


rng = random.Random(22)

# The worked example (as in triplet_margin_loss): two triplets of 3-d embeddings.
A = [[0.1, 0.2, 0.3], [1.0, 0.0, -1.0]]
P = [[0.2, 0.1, 0.3], [0.5, 0.5, -0.5]]
N = [[0.3, 0.3, 0.9], [1.0, 0.1, -1.0]]
APN = {"anchor": A, "positive": P, "negative": N}
SWAP = {
    "anchor": [[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]],
    "positive": [[1.0, 0.0], [0.5, 0.0], [1.0, 0.0]],
    "negative": [[2.0, 0.0], [0.0, 2.0], [1.0, -0.5]],
}
# Directions: cosine distances differ strongly from Euclidean ones here.
ANGLES = {
    "anchor": [[1.0, 0.0], [1.0, 1.0], [0.0, 2.0]],
    "positive": [[3.0, 0.5], [-1.0, -1.0], [0.1, 1.0]],
    "negative": [[0.0, 1.0], [2.0, 2.1], [1.0, 0.0]],
}
BATCH = {k: uniform(rng, (6, 4), -1.0, 1.0) for k in ("anchor", "positive", "negative")}
THREE_D = {k: uniform(rng, (2, 3, 4), -1.0, 1.0) for k in ("anchor", "positive", "negative")}
SMALL = {"anchor": [[0.0, 1.0]], "positive": [[0.5, 1.0]], "negative": [[1.0, 0.0]]}
PAIRWISE = {"distance_function": "pairwise_distance"}
COSINE = {"distance_function": "cosine_distance"}

# Dtypes below float64 in which PyTorch itself cannot compute a case, and why (not_applicable in
# spec/case-format.md); tools/certify's PyTorch run justifies each entry.
NA_EPS_KINK = "the hinge is 2.5e-13 above its kink, a gap eps = 1e-6 creates; PyTorch computes x1 - x2 + eps in this dtype, whose rounding cannot resolve it, and lands on the flat side (a gradient of 0 where it is -1)"
NA_EPS_TIE = "eps = 1e-6 makes d(anchor, negative) and d(positive, negative) differ by about 1e-6, below this dtype's resolution: PyTorch's two distances tie, and min splits the gradient between them"
NA_F16_COSINE_EPS = {
    "f16": "cosine_similarity clamps the norms at eps = 1e-8 in the input's dtype; it is 0 in float16, so a zero or tiny vector gives 0/0 = NaN",
}
NA_F32_SWAP_TIE = {
    "f32": "the anchor is a permutation of the first positive, so with swap=True the distances to the negative tie in exact arithmetic and rounding decides which is the minimum: PyTorch's float64 gradient takes one branch and its float32 gradient the other",
}

CASES = [
    # PyTorch checks the ranks before it calls the distance function.
    error("ranks_checked_before_the_distance_name", {"anchor": [[0.0, 1.0]], "positive": [[0.0, 1.0]], "negative": [0.0, 1.0]}, {"distance_function": "euclidean"}, ["shape", "param"]),
    case("default_mean", APN, tags=["tutorial", "reduction"]),
    *reduction_cases("reduction", APN, reductions=("none", "mean", "sum")),
    # Its own reduction check: elementwise_mean is rejected.
    error("elementwise_mean_rejected", APN, {"reduction": "elementwise_mean"}, ["reduction", "quirk"]),
    *invalid_reduction_cases(SMALL, values=INVALID_REDUCTIONS + (("batchmean_is_kl_div_only", "batchmean"),)),
    error("invalid_reduction_checked_before_margin", SMALL, {"reduction": "bogus", "margin": 0.0}, ["reduction"]),
    # distance_function by name: null (default), pairwise_distance (the same), cosine_distance.
    case("distance_null_explicit", BATCH, {"distance_function": None, "reduction": "none"}, ["param"]),
    case("distance_pairwise_none", BATCH, {**PAIRWISE, "reduction": "none"}, ["param"]),
    case("distance_pairwise_mean", APN, PAIRWISE, ["param"]),
    case("distance_cosine_none", ANGLES, {**COSINE, "reduction": "none"}, ["param", "tutorial"]),
    case("distance_cosine_mean", BATCH, COSINE, ["param"]),
    case("distance_cosine_sum", APN, {**COSINE, "reduction": "sum"}, ["param"]),
    case("distance_pairwise_on_angles", ANGLES, {**PAIRWISE, "reduction": "none"}, ["param"]),
    error("distance_unknown_name", APN, {"distance_function": "euclidean"}, ["param"]),
    error("distance_unknown_name_with_swap", APN, {"distance_function": "cosine", "swap": True}, ["param"]),
    # margin: must be > 0; NaN passes.
    *[
        case(f"margin_{label}", BATCH, {"margin": m, "reduction": "none"}, ["param"])
        for label, m in (("small", 0.01), ("half", 0.5), ("three", 3.0))
    ],
    case("margin_half_cosine", ANGLES, {**COSINE, "margin": 0.5, "reduction": "none"}, ["param"]),
    case("margin_inf", APN, {"margin": INF, "reduction": "none"}, ["param", "nonfinite"]),
    case("margin_nan_passes_check", APN, {"margin": NAN, "reduction": "none"}, ["param", "nonfinite", "quirk"]),
    error("margin_zero_rejected", APN, {"margin": 0.0}, ["param", "quirk"]),
    error("margin_negative_rejected", APN, {"margin": -0.5, **COSINE}, ["param"]),
    error("margin_checked_before_shape", {"anchor": A, "positive": P, "negative": N[0]}, {"margin": 0.0}, ["param"]),
    # swap.
    case("swap_false_explicit", SWAP, {"swap": False, "reduction": "none"}, ["param"], not_applicable={"f32": NA_EPS_KINK, "f16": NA_EPS_KINK, "bf16": NA_EPS_KINK}),
    case("swap_pairwise", SWAP, {"swap": True, "reduction": "none"}, ["param"]),
    case("swap_cosine", ANGLES, {**COSINE, "swap": True, "reduction": "none"}, ["param"]),
    case("swap_mean_cosine", BATCH, {**COSINE, "swap": True}, ["param"]),
    case("swap_tie_splits_gradient", {"anchor": [[0.0, 0.0]], "positive": [[1.0, 0.0]], "negative": [[0.5, 1.0]]}, {"swap": True, "margin": 2.0, "reduction": "none"}, ["param", "kink"], not_applicable={"f16": NA_EPS_TIE, "bf16": NA_EPS_TIE}),
    case("swap_tie_cosine", {"anchor": [[1.0, 0.0]], "positive": [[0.0, 1.0]], "negative": [[1.0, 1.0]]}, {**COSINE, "swap": True, "reduction": "none"}, ["param", "kink"]),
    # Kinks and the eps inside the distances.
    case("hinge_kink_zero_gradient", {"anchor": [[1.0, 0.0]], "positive": [[1.0, 0.0]], "negative": [[0.0, 1.0]]}, {**COSINE, "reduction": "none"}, ["kink"]),
    case("identical_anchor_positive_pairwise_eps", {"anchor": [[1.0, 2.0]], "positive": [[1.0, 2.0]], "negative": [[1.5, 2.0]]}, {"reduction": "none"}, ["quirk", "precision"]),
    case("zero_anchor_cosine_huge_gradient", {"anchor": [[0.0, 0.0]], "positive": [[1.0, 0.0]], "negative": [[0.5, 1.0]]}, {**COSINE, "reduction": "sum"}, ["quirk"], not_applicable=NA_F16_COSINE_EPS),
    case("cosine_scale_invariant", {"anchor": [[1.0, 2.0], [100.0, 200.0]], "positive": [[2.0, 4.5], [2.0, 4.5]], "negative": [[-3.0, 1.0], [-0.03, 0.01]]}, {**COSINE, "reduction": "none"}, ["basic"]),
    case("cosine_tiny_vectors_clamped_norm", {"anchor": [[1e-9, 0.0]], "positive": [[1.0, 0.0]], "negative": [[0.0, 1.0]]}, {**COSINE, "reduction": "none"}, ["precision", "clamp"], not_applicable=NA_F16_COSINE_EPS),
    # Non-finite values.
    case("nan_propagates_pairwise", {"anchor": [[1.0, NAN]], "positive": [[2.0, 3.0]], "negative": [[3.0, 0.0]]}, {"reduction": "none"}, ["nonfinite"]),
    case("nan_propagates_cosine", {"anchor": [[1.0, 0.0]], "positive": [[NAN, 3.0]], "negative": [[3.0, 0.0]]}, {**COSINE, "reduction": "none"}, ["nonfinite"]),
    case("inf_component_cosine_is_nan", {"anchor": [[INF, 0.0]], "positive": [[2.0, 3.0]], "negative": [[3.0, 0.0]]}, {**COSINE, "reduction": "none"}, ["nonfinite"]),
    case("inf_in_negative_pairwise", {"anchor": [[1.0, 0.0]], "positive": [[2.0, 0.0]], "negative": [[INF, 0.0]]}, {"reduction": "none"}, ["nonfinite"]),
    case("swap_nan_propagates", {"anchor": [[1.0, 0.0]], "positive": [[NAN, 0.0]], "negative": [[3.0, 0.0]]}, {"swap": True, "reduction": "none"}, ["nonfinite"]),
    # Shapes.
    case("one_dim_pairwise_zero_dim_result", {"anchor": A[0], "positive": P[0], "negative": N[0]}, {"reduction": "none"}, ["shape"]),
    case("zero_dim_pairwise", {"anchor": 1.0, "positive": 2.0, "negative": 3.0}, {"reduction": "none", "margin": 2.0}, ["shape"]),
    case("three_dim_pairwise_reduces_last_dim", THREE_D, {"reduction": "none"}, ["shape"]),
    case("three_dim_cosine_reduces_dim_one", THREE_D, {**COSINE, "reduction": "none"}, ["shape", "quirk"]),
    case("three_dim_cosine_mean_swap", THREE_D, {**COSINE, "reduction": "mean", "swap": True}, ["shape"]),
    error("one_dim_cosine_has_no_dim_one", {"anchor": A[0], "positive": P[0], "negative": N[0]}, COSINE, ["shape"]),
    error("zero_dim_cosine", {"anchor": 1.0, "positive": 2.0, "negative": 3.0}, COSINE, ["shape"]),
    error("ranks_differ", {"anchor": A, "positive": P, "negative": N[0]}, tags=["shape"]),
    error("ranks_differ_cosine", {"anchor": [A], "positive": P, "negative": N}, COSINE, ["shape"]),
    # Broadcasting.
    case("broadcast_one_anchor_pairwise", {"anchor": [[0.1, 0.2, 0.3]], "positive": P, "negative": N}, {"reduction": "none"}, ["broadcast"]),
    case("broadcast_one_anchor_cosine", {"anchor": [[0.1, 0.2, 0.3]], "positive": P, "negative": N}, {**COSINE, "reduction": "none"}, ["broadcast"]),
    case("broadcast_distances_with_each_other", {"anchor": [[0.1, 0.2, 0.3]], "positive": P, "negative": [[0.3, 0.3, 0.9]]}, {**COSINE, "reduction": "mean", "swap": True}, ["broadcast"], not_applicable=NA_F32_SWAP_TIE),
    case("broadcast_feature_dim_cosine", {"anchor": [[0.5], [1.0]], "positive": P, "negative": N}, {**COSINE, "reduction": "none"}, ["broadcast", "quirk"]),
    error("features_do_not_broadcast_pairwise", {"anchor": A, "positive": [[0.2, 0.1], [0.5, 0.5]], "negative": N}, tags=["broadcast"]),
    error("features_do_not_broadcast_cosine", {"anchor": A, "positive": P, "negative": [[0.2, 0.1], [0.5, 0.5]]}, COSINE, ["broadcast"]),
    error("distances_do_not_broadcast", {"anchor": [[0.1, 0.2, 0.3]], "positive": P, "negative": [N[0], N[1], N[0]]}, COSINE, ["broadcast"]),
    # Empty tensors.
    *empty_cases("empty_batch", {"anchor": empty(0, 3), "positive": empty(0, 3), "negative": empty(0, 3)}, ("none", "mean", "sum")),
    case("empty_batch_cosine_mean", {"anchor": empty(0, 3), "positive": empty(0, 3), "negative": empty(0, 3)}, {**COSINE, "reduction": "mean"}, ["empty"]),
    case("no_features_pairwise_loss_is_margin", {"anchor": empty(2, 0), "positive": empty(2, 0), "negative": empty(2, 0)}, {"reduction": "none", "margin": 0.5}, ["empty", "quirk"]),
    case("no_features_cosine_loss_is_margin", {"anchor": empty(2, 0), "positive": empty(2, 0), "negative": empty(2, 0)}, {**COSINE, "reduction": "none", "margin": 0.5}, ["empty", "quirk"]),
]
