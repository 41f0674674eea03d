//! Mutants of `soft_margin_loss` (spec/soft_margin_loss.md).

use super::Mutant;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![]
}
