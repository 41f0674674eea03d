//! The loss registry: the one list of the losses the suite knows.
//!
//! Each entry names a loss, with the name shared by its `torch.nn.functional` function, its
//! signature (`spec/<name>.md`), its cases (`cases/<name>.yaml`) and its modules, and ties it to
//! - its reference forward and backward: `reference_adapter/<name>.rs` passes a case's
//!   arguments to `lossparity_reference`'s `<name>` and `<name>_backward`;
//! - its fuzz generator: `fuzz/generators/<name>.rs`;
//! - its mutants: in the unpublished `lossparity-cli`, which this crate cannot name, so
//!   `cli/src/mutants/mod.rs` chooses them by an exhaustive `match` on [`Loss`], and a new entry
//!   does not compile there until they exist.
//!
//! The reference adapter, the fuzzer, the mutant catalogue and the coverage gate go through
//! [`Loss::ALL`]; `harness/tests/spec.rs` checks that it names exactly the spec pages with a
//! signature and the case files (one per loss), and `harness/tests/readme.rs` that the README's
//! table of losses has one row per entry, in its order. CONTRIBUTING.md says how to add a loss.

use std::fmt;

use crate::fuzz::generators::{self, GenerateFn};
use crate::reference_adapter::{self, RunFn};

/// What the registry holds for one loss.
struct Entry {
    /// The loss's name.
    name: &'static str,
    /// Its reference forward and backward.
    reference: RunFn,
    /// Its fuzz generator.
    generator: GenerateFn,
}

/// Declares [`Loss`], one variant per entry, with [`Loss::ALL`] in the entries' order and
/// `Loss::entry`.
macro_rules! registry {
    ($($variant:ident {
        name: $name:literal,
        reference: $reference:path,
        generator: $generator:path $(,)?
    })*) => {
        /// A loss the suite knows: an entry of the registry.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Loss {
            $(
                #[doc = concat!("`torch.nn.functional.", $name, "`")]
                $variant,
            )*
        }

        impl Loss {
            /// Every loss the suite knows, in alphabetical order of name.
            pub const ALL: &'static [Loss] = &[$(Loss::$variant),*];

            fn entry(self) -> Entry {
                match self {
                    $(Loss::$variant => Entry {
                        name: $name,
                        reference: $reference,
                        generator: $generator,
                    },)*
                }
            }
        }
    };
}

// One entry per loss, in alphabetical order of name.
registry! {
    BinaryCrossEntropy {
        name: "binary_cross_entropy",
        reference: reference_adapter::binary_cross_entropy::run,
        generator: generators::binary_cross_entropy::generate,
    }
    BinaryCrossEntropyWithLogits {
        name: "binary_cross_entropy_with_logits",
        reference: reference_adapter::binary_cross_entropy_with_logits::run,
        generator: generators::binary_cross_entropy_with_logits::generate,
    }
    CosineEmbeddingLoss {
        name: "cosine_embedding_loss",
        reference: reference_adapter::cosine_embedding_loss::run,
        generator: generators::cosine_embedding_loss::generate,
    }
    CrossEntropy {
        name: "cross_entropy",
        reference: reference_adapter::cross_entropy::run,
        generator: generators::cross_entropy::generate,
    }
    CtcLoss {
        name: "ctc_loss",
        reference: reference_adapter::ctc_loss::run,
        generator: generators::ctc_loss::generate,
    }
    GaussianNllLoss {
        name: "gaussian_nll_loss",
        reference: reference_adapter::gaussian_nll_loss::run,
        generator: generators::gaussian_nll_loss::generate,
    }
    HingeEmbeddingLoss {
        name: "hinge_embedding_loss",
        reference: reference_adapter::hinge_embedding_loss::run,
        generator: generators::hinge_embedding_loss::generate,
    }
    HuberLoss {
        name: "huber_loss",
        reference: reference_adapter::huber_loss::run,
        generator: generators::huber_loss::generate,
    }
    KlDiv {
        name: "kl_div",
        reference: reference_adapter::kl_div::run,
        generator: generators::kl_div::generate,
    }
    L1Loss {
        name: "l1_loss",
        reference: reference_adapter::l1_loss::run,
        generator: generators::l1_loss::generate,
    }
    LinearCrossEntropy {
        name: "linear_cross_entropy",
        reference: reference_adapter::linear_cross_entropy::run,
        generator: generators::linear_cross_entropy::generate,
    }
    MarginRankingLoss {
        name: "margin_ranking_loss",
        reference: reference_adapter::margin_ranking_loss::run,
        generator: generators::margin_ranking_loss::generate,
    }
    MseLoss {
        name: "mse_loss",
        reference: reference_adapter::mse_loss::run,
        generator: generators::mse_loss::generate,
    }
    MultiMarginLoss {
        name: "multi_margin_loss",
        reference: reference_adapter::multi_margin_loss::run,
        generator: generators::multi_margin_loss::generate,
    }
    MultilabelMarginLoss {
        name: "multilabel_margin_loss",
        reference: reference_adapter::multilabel_margin_loss::run,
        generator: generators::multilabel_margin_loss::generate,
    }
    MultilabelSoftMarginLoss {
        name: "multilabel_soft_margin_loss",
        reference: reference_adapter::multilabel_soft_margin_loss::run,
        generator: generators::multilabel_soft_margin_loss::generate,
    }
    NllLoss {
        name: "nll_loss",
        reference: reference_adapter::nll_loss::run,
        generator: generators::nll_loss::generate,
    }
    PoissonNllLoss {
        name: "poisson_nll_loss",
        reference: reference_adapter::poisson_nll_loss::run,
        generator: generators::poisson_nll_loss::generate,
    }
    SmoothL1Loss {
        name: "smooth_l1_loss",
        reference: reference_adapter::smooth_l1_loss::run,
        generator: generators::smooth_l1_loss::generate,
    }
    SoftMarginLoss {
        name: "soft_margin_loss",
        reference: reference_adapter::soft_margin_loss::run,
        generator: generators::soft_margin_loss::generate,
    }
    TripletMarginLoss {
        name: "triplet_margin_loss",
        reference: reference_adapter::triplet_margin_loss::run,
        generator: generators::triplet_margin_loss::generate,
    }
    TripletMarginWithDistanceLoss {
        name: "triplet_margin_with_distance_loss",
        reference: reference_adapter::triplet_margin_with_distance_loss::run,
        generator: generators::triplet_margin_with_distance_loss::generate,
    }
}

impl Loss {
    /// The loss's name: its `torch.nn.functional` function, as cases and calls spell it.
    pub fn name(self) -> &'static str {
        self.entry().name
    }

    /// The loss named `name`, if the suite knows it.
    pub fn from_name(name: &str) -> Option<Loss> {
        Loss::ALL.iter().copied().find(|loss| loss.name() == name)
    }

    /// Its reference forward and backward.
    pub(crate) fn reference(self) -> RunFn {
        self.entry().reference
    }

    /// Its fuzz generator.
    pub(crate) fn generator(self) -> GenerateFn {
        self.entry().generator
    }
}

impl fmt::Display for Loss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::Loss;

    #[test]
    fn the_registry_lists_each_loss_once_in_alphabetical_order() {
        let names: Vec<&str> = Loss::ALL.iter().map(|loss| loss.name()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted);
    }

    #[test]
    fn a_loss_is_found_by_its_name_and_only_by_it() {
        for &loss in Loss::ALL {
            assert_eq!(Loss::from_name(loss.name()), Some(loss));
            assert_eq!(loss.to_string(), loss.name());
        }
        assert_eq!(Loss::from_name("mse"), None);
        assert_eq!(Loss::from_name(""), None);
    }
}
