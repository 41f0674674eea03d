//! Comparison of an actual tensor with PyTorch's, under a tolerance (`spec/tolerances.md`).

use lossparity_reference::Tensor;

use crate::case::Tolerance;

/// Why a result does not match PyTorch's: a readable message and, when the shapes agreed, the
/// worst element.
#[derive(Clone, Debug, PartialEq)]
pub struct Mismatch {
    /// The worst element, its index, expected and actual values, errors and tolerance.
    pub message: String,
    /// The worst element, when the shapes agreed.
    pub worst: Option<WorstElement>,
}

/// The element of a result furthest outside its tolerance.
#[derive(Clone, Debug, PartialEq)]
pub struct WorstElement {
    /// Its multi-index.
    pub index: Vec<usize>,
    /// PyTorch's value.
    pub expected: f64,
    /// The implementation's value.
    pub actual: f64,
    /// `|actual - expected|` (infinite or NaN for a non-finite mismatch).
    pub abs_error: f64,
    /// `|actual - expected| / |expected|`.
    pub rel_error: f64,
}

/// How far an accepted result was from PyTorch's: the worst element's errors.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Agreement {
    /// The largest `|actual - expected|` over finite elements.
    pub worst_abs: f64,
    /// The largest `|actual - expected| / |expected|` over the finite elements where the
    /// relative part of the tolerance governs (`rtol·|expected| ≥ atol`): near zero, `atol`
    /// decides, and `0` against an expected `1e-20` (a relative error of 1) is agreement.
    pub worst_rel: f64,
}

/// Compares `actual` with `expected`, element by element:
/// NaN matches only NaN; an infinity matches only the same infinity; finite values match when
/// `|actual - expected| <= atol + rtol·|expected| + spread`, where `spread` is the element's
/// entry of `spread` (below f64: how far the expectation moves when the inputs move by their
/// rounding error, `spec/tolerances.md`) or 0. The sign of zero is not compared.
/// Shapes must be equal (a 0-d result is not a 1-element vector).
///
/// On a mismatch, the message names the worst element, its index, its absolute and relative
/// error and the tolerance, with the element's spread where it has one.
pub fn compare(
    expected: &Tensor,
    actual: &Tensor,
    tolerance: Tolerance,
    spread: Option<&Tensor>,
) -> Result<Agreement, Mismatch> {
    if expected.shape() != actual.shape() {
        return Err(Mismatch {
            message: format!(
                "shape mismatch: expected {:?}, actual {:?}\n  expected: {}\n  actual:   {}",
                expected.shape(),
                actual.shape(),
                preview(expected),
                preview(actual)
            ),
            worst: None,
        });
    }
    let mut agreement = Agreement::default();
    // The worst element: the one furthest outside (or least inside) its tolerance.
    let mut worst: Option<(usize, f64)> = None;
    for (i, (&e, &a)) in expected.data().iter().zip(actual.data()).enumerate() {
        let badness = if e.is_nan() || a.is_nan() || e.is_infinite() || a.is_infinite() {
            if e.is_nan() && a.is_nan() || e == a {
                0.0
            } else {
                f64::INFINITY
            }
        } else {
            let abs = (a - e).abs();
            agreement.worst_abs = agreement.worst_abs.max(abs);
            if e != 0.0 && tolerance.rtol * e.abs() >= tolerance.atol {
                agreement.worst_rel = agreement.worst_rel.max(abs / e.abs());
            }
            let allowed =
                tolerance.atol + tolerance.rtol * e.abs() + spread.map_or(0.0, |s| s.at(i));
            if abs <= allowed {
                0.0
            } else if allowed > 0.0 {
                abs / allowed
            } else {
                f64::INFINITY
            }
        };
        if badness > 0.0 && worst.is_none_or(|(_, b)| badness > b) {
            worst = Some((i, badness));
        }
    }
    let Some((i, _)) = worst else {
        return Ok(agreement);
    };
    let (e, a) = (expected.at(i), actual.at(i));
    let abs = (a - e).abs();
    let rel = if e != 0.0 {
        abs / e.abs()
    } else {
        f64::INFINITY
    };
    let index = multi_index(expected.shape(), i);
    let spread = match spread.map(|s| s.at(i)) {
        Some(spread) if spread > 0.0 => format!(" + spread {spread:.3e}"),
        _ => String::new(),
    };
    Err(Mismatch {
        message: format!(
            "value mismatch at index {index:?}: expected {e:?}, actual {a:?}\n  abs error \
             {abs:.3e}, rel error {rel:.3e}, tolerance {tolerance}{spread}\n  expected: {}\n  \
             actual:   {}",
            preview(expected),
            preview(actual)
        ),
        worst: Some(WorstElement {
            index,
            expected: e,
            actual: a,
            abs_error: abs,
            rel_error: rel,
        }),
    })
}

/// The multi-index of row-major position `flat` in `shape`.
fn multi_index(shape: &[usize], mut flat: usize) -> Vec<usize> {
    let mut index = vec![0; shape.len()];
    for d in (0..shape.len()).rev() {
        if shape[d] > 0 {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
    }
    index
}

/// A short rendering of a tensor: its shape and at most its first 8 elements.
fn preview(tensor: &Tensor) -> String {
    const SHOWN: usize = 8;
    let mut text: Vec<String> = tensor
        .data()
        .iter()
        .take(SHOWN)
        .map(|v| format!("{v:?}"))
        .collect();
    if tensor.numel() > SHOWN {
        text.push(format!("… ({} more)", tensor.numel() - SHOWN));
    }
    format!("shape {:?} [{}]", tensor.shape(), text.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIGHT: Tolerance = Tolerance {
        rtol: 1e-12,
        atol: 0.0,
    };

    #[test]
    fn nan_matches_nan_and_infinities_must_match_exactly() {
        let expected = Tensor::vector(vec![f64::NAN, f64::INFINITY, -0.0]);
        assert!(compare(
            &expected,
            &Tensor::vector(vec![f64::NAN, f64::INFINITY, 0.0]),
            TIGHT,
            None
        )
        .is_ok());
        assert!(compare(
            &expected,
            &Tensor::vector(vec![0.0, f64::INFINITY, 0.0]),
            TIGHT,
            None
        )
        .is_err());
        assert!(compare(
            &expected,
            &Tensor::vector(vec![f64::NAN, f64::MAX, 0.0]),
            TIGHT,
            None
        )
        .is_err());
        assert!(compare(
            &expected,
            &Tensor::vector(vec![f64::NAN, f64::NEG_INFINITY, 0.0]),
            TIGHT,
            None
        )
        .is_err());
    }

    #[test]
    fn reports_the_worst_element_with_its_errors() {
        let expected = Tensor::new(vec![2, 2], vec![1.0, 2.0, 3.0, 4.0]).unwrap();
        let actual = Tensor::new(vec![2, 2], vec![1.0, 2.0, 3.5, 4.0]).unwrap();
        let message = compare(&expected, &actual, TIGHT, None)
            .unwrap_err()
            .message;
        assert!(message.contains("index [1, 0]"), "{message}");
        assert!(message.contains("expected 3.0, actual 3.5"), "{message}");
        assert!(message.contains("abs error 5.000e-1"), "{message}");
        assert!(message.contains("rtol=1e-12"), "{message}");
    }

    #[test]
    fn scalar_and_one_element_vector_differ() {
        let message = compare(
            &Tensor::scalar(1.0),
            &Tensor::vector(vec![1.0]),
            TIGHT,
            None,
        )
        .unwrap_err()
        .message;
        assert!(message.contains("shape mismatch"), "{message}");
    }

    #[test]
    fn relative_tolerance_scales_with_the_expected_value() {
        let tolerance = Tolerance {
            rtol: 1e-6,
            atol: 0.0,
        };
        let agreement = compare(
            &Tensor::scalar(1e6),
            &Tensor::scalar(1e6 + 0.5),
            tolerance,
            None,
        )
        .unwrap();
        assert_eq!(agreement.worst_abs, 0.5);
        assert!(compare(&Tensor::scalar(1.0), &Tensor::scalar(1.5), tolerance, None).is_err());
    }

    #[test]
    fn each_element_is_allowed_its_own_spread() {
        let expected = Tensor::vector(vec![1.0, 1.0]);
        let spread = Tensor::vector(vec![0.5, 0.0]);
        let actual = Tensor::vector(vec![1.4, 1.0]);
        assert!(compare(&expected, &actual, TIGHT, Some(&spread)).is_ok());
        assert!(compare(&expected, &actual, TIGHT, None).is_err());
        // The spread is per element: the second one has none.
        let actual = Tensor::vector(vec![1.0, 1.4]);
        let message = compare(&expected, &actual, TIGHT, Some(&spread))
            .unwrap_err()
            .message;
        assert!(message.contains("index [1]"), "{message}");
        let actual = Tensor::vector(vec![1.6, 1.0]);
        let message = compare(&expected, &actual, TIGHT, Some(&spread))
            .unwrap_err()
            .message;
        assert!(message.contains("+ spread 5.000e-1"), "{message}");
    }

    #[test]
    fn worst_rel_counts_only_elements_where_rtol_governs() {
        let tolerance = Tolerance {
            rtol: 1e-5,
            atol: 1e-6,
        };
        // 1e-20 vs 0: atol governs there, and a relative error of 1 says nothing.
        let expected = Tensor::vector(vec![1e-20, 2.0]);
        let agreement =
            compare(&expected, &Tensor::vector(vec![0.0, 2.0]), tolerance, None).unwrap();
        assert_eq!(agreement.worst_rel, 0.0);
        assert_eq!(agreement.worst_abs, 1e-20);
        // 2.0 off by 1e-5: rtol governs at 2.0 (1e-5·2 ≥ 1e-6), so its relative error counts.
        let actual = Tensor::vector(vec![0.0, 2.0 + 1e-5]);
        let agreement = compare(&expected, &actual, tolerance, None).unwrap();
        assert!((agreement.worst_rel - 5e-6).abs() < 1e-12, "{agreement:?}");
    }
}
