//! Mutants of `multilabel_soft_margin_loss` (spec/multilabel_soft_margin_loss.md).

use super::Mutant;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![]
}
