//! Mutants of `multi_margin_loss` (spec/multi_margin_loss.md).

use super::Mutant;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![]
}
