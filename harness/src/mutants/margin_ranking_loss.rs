//! Mutants of `margin_ranking_loss` (spec/margin_ranking_loss.md).

use super::Mutant;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![]
}
