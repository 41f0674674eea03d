//! Mutants of `multilabel_margin_loss` (spec/multilabel_margin_loss.md).

use super::Mutant;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![]
}
