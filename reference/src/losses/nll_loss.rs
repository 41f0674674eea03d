//! `torch.nn.functional.nll_loss` — spec/nll_loss.md.

use crate::error::LossError;
use crate::gradient::InputGradients;
use crate::reduction::{LegacyReduction, Reduction};
use crate::tensor::Tensor;

/// The keyword arguments of `F.nll_loss`, with PyTorch's defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NllLossOptions<'a> {
    /// One weight per class, shape `(C)`; default none (every class weighs 1).
    pub weight: Option<&'a Tensor>,
    /// The legacy `size_average` / `reduce` arguments.
    pub legacy: LegacyReduction,
    /// A target value that contributes nothing, not even to the `mean` denominator; default
    /// -100. Never range-checked.
    pub ignore_index: i64,
    /// `none`, `mean`, `sum` or `elementwise_mean`; default `mean`.
    pub reduction: &'a str,
}

impl Default for NllLossOptions<'_> {
    fn default() -> Self {
        NllLossOptions {
            weight: None,
            legacy: LegacyReduction::default(),
            ignore_index: -100,
            reduction: "mean",
        }
    }
}

/// Negative log likelihood of class indices `target` under log-probabilities `input`.
///
/// `input` is `(C)`, `(N, C)` or `(N, C, d1, ..., dk)`; `target` is `()`, `(N)` or
/// `(N, d1, ..., dk)`. At each target position, with `y` its class:
/// ```text
/// l = -w[y]·x[n, y, d]        (w[y] = 1 without weight; l = 0 where y == ignore_index)
/// ```
/// `none` returns `l` with the target's shape (a scalar for a `(C)` input); `sum` is `Σ l`;
/// `mean` is `Σ l / Σ w[y]` over the positions not ignored (NaN when that is 0/0). Targets
/// other than `ignore_index` must lie in `[0, C)`.
pub fn nll_loss(
    input: &Tensor,
    target: &Tensor<i64>,
    options: &NllLossOptions,
) -> Result<Tensor, LossError> {
    let reduction = options.legacy.resolve(options.reduction)?;
    Nll::new(input, target, options.weight, options.ignore_index)?.forward(reduction)
}

/// The gradient of [`nll_loss`] with respect to `input`, given the gradient `grad_output` of
/// its result: at each target element `x[n, y, d]` (not ignored), `-w[y]·g` for `none` and
/// `sum`, `w[y]·(-(g / Σ w[y]))` for `mean`; 0 everywhere else.
pub fn nll_loss_backward(
    input: &Tensor,
    target: &Tensor<i64>,
    options: &NllLossOptions,
    grad_output: &Tensor,
) -> Result<InputGradients, LossError> {
    let reduction = options.legacy.resolve(options.reduction)?;
    let nll = Nll::new(input, target, options.weight, options.ignore_index)?;
    let grad = nll.backward(reduction, grad_output)?;
    Ok(InputGradients::from([("input", grad)]))
}

/// A call of `nll_loss_nd` whose shapes have been checked. Shared with `cross_entropy`, which
/// passes `log_softmax(input)` as the input.
pub(crate) struct Nll<'a> {
    input: &'a Tensor,
    target: &'a Tensor<i64>,
    weight: Option<&'a Tensor>,
    ignore_index: i64,
    layout: Layout,
}

impl<'a> Nll<'a> {
    /// PyTorch's shape checks (no values are looked at yet).
    pub(crate) fn new(
        input: &'a Tensor,
        target: &'a Tensor<i64>,
        weight: Option<&'a Tensor>,
        ignore_index: i64,
    ) -> Result<Self, LossError> {
        let layout = check_shapes(input, target, weight)?;
        Ok(Nll {
            input,
            target,
            weight,
            ignore_index,
            layout,
        })
    }

    /// The loss: per position for `none` (with the `none` output shape), else the cascade sum
    /// of `-x·w`, divided by the total weight for `mean`.
    pub(crate) fn forward(&self, reduction: Reduction) -> Result<Tensor, LossError> {
        if reduction == Reduction::None {
            let mut loss = Vec::with_capacity(self.positions());
            for p in 0..self.positions() {
                loss.push(match self.class_of(p)? {
                    // -x·w, negated first, as the kernel writes it.
                    Some(c) => -self.input.at(self.index(p, c)) * self.weight_of(c),
                    None => 0.0,
                });
            }
            return Tensor::new(self.layout.output_shape.clone(), loss);
        }
        if self.positions() == 0 {
            // The kernel's explicit result for an empty target: NaN for mean, 0 for sum.
            let value = if reduction == Reduction::Mean {
                f64::NAN
            } else {
                0.0
            };
            return Ok(Tensor::scalar(value));
        }
        let (total, total_weight) = self.sums()?;
        Ok(Tensor::scalar(match reduction {
            Reduction::Mean => total / total_weight,
            _ => total,
        }))
    }

    /// ATen's backward kernel: the gradient with respect to the input, 0 except at the target
    /// element of each position that is not ignored.
    pub(crate) fn backward(
        &self,
        reduction: Reduction,
        grad_output: &Tensor,
    ) -> Result<Tensor, LossError> {
        let mut grad = vec![0.0; self.input.numel()];
        // `none` with a 2-D or larger input: each position has its own incoming gradient.
        if reduction == Reduction::None && self.input.ndim() >= 2 {
            let g = Reduction::None.backward(grad_output, &self.layout.output_shape)?;
            for p in 0..self.positions() {
                if let Some(c) = self.class_of(p)? {
                    grad[self.index(p, c)] = -self.weight_of(c) * g.at(p);
                }
            }
            return Tensor::new(self.input.shape().to_vec(), grad);
        }
        // One scalar result (a `(C)` input gives one even for `none`).
        let g = Reduction::Sum.backward(grad_output, &[])?.at(0);
        let g = match reduction {
            Reduction::Mean if self.positions() > 0 => -(g / self.sums()?.1),
            _ => -g,
        };
        for p in 0..self.positions() {
            if let Some(c) = self.class_of(p)? {
                grad[self.index(p, c)] = match self.weight {
                    Some(w) => w.at(c) * g,
                    None => g,
                };
            }
        }
        Tensor::new(self.input.shape().to_vec(), grad)
    }

    /// The shape of the `none` result: the target's (a scalar for a `(C)` input).
    pub(crate) fn output_shape(&self) -> &[usize] {
        &self.layout.output_shape
    }

    /// The number of target positions (`N·d1·…·dk`; 1 for a `(C)` input).
    fn positions(&self) -> usize {
        self.layout.batch * self.layout.map_size
    }

    /// The class at position `p`, `None` if it is `ignore_index`; out of range is an error.
    fn class_of(&self, p: usize) -> Result<Option<usize>, LossError> {
        let t = self.target.at(p);
        if t == self.ignore_index {
            return Ok(None);
        }
        if t < 0 || t >= self.layout.classes as i64 {
            return Err(LossError::invalid_value(format!(
                "Target {t} is out of bounds."
            )));
        }
        Ok(Some(t as usize))
    }

    /// The flat index of class `c` at position `p = (n, d)` in the input.
    fn index(&self, p: usize, c: usize) -> usize {
        let map_size = self.layout.map_size;
        let (n, d) = (p / map_size, p % map_size);
        (n * self.layout.classes + c) * map_size + d
    }

    /// `w[c]`, or 1 without weight.
    fn weight_of(&self, c: usize) -> f64 {
        self.weight.map_or(1.0, |w| w.at(c))
    }

    /// `(Σ -x·w, Σ w)` over the positions not ignored, accumulated as the kernel does in a
    /// cascade of partial sums (below), which decides the last bits. Without weight the total
    /// weight is the count of positions not ignored.
    fn sums(&self) -> Result<(f64, f64), LossError> {
        let positions = self.positions();
        let mut loss_sum = CascadeSum::new(positions);
        let mut weight_sum = CascadeSum::new(positions);
        let mut ignored = 0usize;
        for p in 0..positions {
            let Some(c) = self.class_of(p)? else {
                ignored += 1;
                continue;
            };
            let w = self.weight_of(c);
            loss_sum.add(p, -(self.input.at(self.index(p, c)) * w));
            weight_sum.add(p, w);
        }
        let total_weight = match self.weight {
            Some(_) => weight_sum.total(),
            None => (positions - ignored) as f64,
        };
        Ok((loss_sum.total(), total_weight))
    }
}

/// The layout of a validated call: `input` seen as `(batch, classes, map_size)`.
struct Layout {
    batch: usize,
    classes: usize,
    /// The number of positions per sample (1 for a 1-D or 2-D input, `d1·…·dk` otherwise).
    map_size: usize,
    /// The shape of the `none` output.
    output_shape: Vec<usize>,
}

/// PyTorch's shape checks, in its order (`nll_loss_nd`, then the 1-D/2-D or the 4-D kernel's
/// own checks; 3-D and 5-D+ inputs are first flattened to 4-D).
fn check_shapes(
    input: &Tensor,
    target: &Tensor<i64>,
    weight: Option<&Tensor>,
) -> Result<Layout, LossError> {
    let shape = input.shape();
    if shape.is_empty() {
        return Err(LossError::invalid_shape(
            "Expected 1 or more dimensions (got 0)",
        ));
    }
    if shape.len() != 1 && target.shape().first() != Some(&shape[0]) {
        // A 0-d target has no batch size: PyTorch reads past its sizes here and fails either
        // this check or a later one, always with a shape error.
        return Err(LossError::invalid_shape(format!(
            "Expected input batch_size ({}) to match target batch_size ({:?}).",
            shape[0],
            target.shape().first()
        )));
    }
    let weight_numel_fits = |classes: usize| weight.is_none_or(|w| w.numel() == classes);
    let weight_error = |classes: usize| {
        LossError::invalid_shape(format!(
            "weight tensor should be defined either for all {classes} classes or no classes but \
             got weight tensor of shape: {:?}",
            weight.map(Tensor::shape)
        ))
    };
    match shape.len() {
        1 | 2 => {
            let classes = shape[shape.len() - 1];
            if target.ndim() > 1 {
                return Err(LossError::invalid_shape(
                    "0D or 1D target tensor expected, multi-target not supported",
                ));
            }
            if shape.len() == 1 && target.ndim() == 1 && target.shape()[0] != 1 {
                return Err(LossError::invalid_shape(format!(
                    "For 1D input, 1D target must have size 1, but got target size: {}",
                    target.shape()[0]
                )));
            }
            // The 1-D/2-D kernel wants a 1-D weight; the 4-D one below only counts elements.
            if !weight_numel_fits(classes) || weight.is_some_and(|w| w.ndim() != 1) {
                return Err(weight_error(classes));
            }
            let batch = if shape.len() == 1 { 1 } else { shape[0] };
            let output_shape = if shape.len() == 1 {
                vec![]
            } else {
                vec![batch]
            };
            Ok(Layout {
                batch,
                classes,
                map_size: 1,
                output_shape,
            })
        }
        _ => {
            let (batch, classes) = (shape[0], shape[1]);
            let spatial = &shape[2..];
            if shape.len() == 4 {
                if target.ndim() != 3 {
                    return Err(LossError::invalid_shape(format!(
                        "only batches of spatial targets supported (3D tensors) but got targets \
                         of dimension: {}",
                        target.ndim()
                    )));
                }
            } else {
                if target.shape()[1..] != *spatial {
                    return Err(LossError::invalid_shape(format!(
                        "Expected target size {:?}, got {:?}",
                        [&[batch], spatial].concat(),
                        target.shape()
                    )));
                }
            }
            if !weight_numel_fits(classes) {
                return Err(weight_error(classes));
            }
            // A 3-D or 5-D+ input is flattened to (N, C, 1, L) and its target to (N, 1, L), or
            // to (N, C, 0, 0) and (N, 0, 0) when empty: with C = 0 and a non-empty target the
            // two no longer match.
            let flattened_mismatch = shape.len() != 4 && input.numel() == 0 && target.numel() != 0;
            if flattened_mismatch || target.shape()[1..] != *spatial {
                return Err(LossError::invalid_shape(format!(
                    "size mismatch (got input: {shape:?} , target: {:?}",
                    target.shape()
                )));
            }
            Ok(Layout {
                batch,
                classes,
                map_size: spatial.iter().product(),
                output_shape: target.shape().to_vec(),
            })
        }
    }
}

/// The cascade sum of ATen's NLL kernels: eight levels of partial sums; after adding the term
/// of position `p`, level `j` is folded into level `j + 1` while the `j`-th group of
/// `level_power` bits of `p` is zero. Ignored positions add nothing and fold nothing.
struct CascadeSum {
    levels: [f64; 8],
    level_power: u32,
}

impl CascadeSum {
    fn new(positions: usize) -> Self {
        let ceil_log2 = usize::BITS - positions.saturating_sub(1).leading_zeros();
        CascadeSum {
            levels: [0.0; 8],
            level_power: (ceil_log2 / 8).max(4),
        }
    }

    fn add(&mut self, position: usize, value: f64) {
        self.levels[0] += value;
        let level_mask = (1usize << self.level_power) - 1;
        for j in 0..7 {
            if position & (level_mask << (j as u32 * self.level_power)) != 0 {
                break;
            }
            self.levels[j + 1] += self.levels[j];
            self.levels[j] = 0.0;
        }
    }

    /// `0 + level 0 + level 1 + … + level 7`, in that order.
    fn total(&self) -> f64 {
        self.levels.iter().fold(0.0, |sum, &level| sum + level)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `(C)` input with a `(1,)` target: torch's forward returns the loss (its backward
    /// raises, so no case can record it; spec/nll_loss.md, Excluded).
    #[test]
    fn one_dim_input_with_a_one_element_target_gives_the_forward_value() {
        let input = Tensor::vector(vec![-1.0, -2.0, -3.0]);
        let target = Tensor::vector(vec![1]);
        for reduction in ["none", "mean", "sum"] {
            let options = NllLossOptions {
                reduction,
                ..Default::default()
            };
            let loss = nll_loss(&input, &target, &options).unwrap();
            assert_eq!(loss.shape(), &[] as &[usize]);
            assert_eq!(loss.at(0), 2.0);
        }
    }
}
