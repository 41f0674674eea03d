//! Mutants of `nll_loss` (spec/nll_loss.md).

use super::Mutant;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![]
}
