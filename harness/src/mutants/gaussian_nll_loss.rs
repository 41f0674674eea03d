//! Mutants of `gaussian_nll_loss` (spec/gaussian_nll_loss.md).

use super::Mutant;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![]
}
