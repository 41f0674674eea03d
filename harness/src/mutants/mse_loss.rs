//! Mutants of `mse_loss` (spec/mse_loss.md).

use super::Mutant;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![]
}
