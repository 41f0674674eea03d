//! Mutants of `poisson_nll_loss` (spec/poisson_nll_loss.md).

use super::Mutant;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![]
}
