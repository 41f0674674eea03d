//! `torch.nn.functional.cross_entropy` — spec/cross_entropy.md.

use crate::error::LossError;
use crate::gradient::InputGradients;
use crate::kernels::{exp, log_softmax_along};
use crate::losses::nll_loss::Nll;
use crate::reduction::{LegacyReduction, Reduction};
use crate::tensor::Tensor;

/// The target of `F.cross_entropy`: class indices or class probabilities.
///
/// PyTorch tells them apart by shape, not by dtype: a target with exactly the input's shape is
/// a tensor of probabilities (and must then be floating), anything else holds class indices.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CrossEntropyTarget<'a> {
    /// int64 class indices, shape `()`, `(N)` or `(N, d1, ..., dk)`.
    Indices(&'a Tensor<i64>),
    /// Class probabilities (soft labels) with the input's shape; not range-checked.
    Probabilities(&'a Tensor),
}

impl CrossEntropyTarget<'_> {
    /// The target's shape.
    pub fn shape(&self) -> &[usize] {
        match self {
            CrossEntropyTarget::Indices(t) => t.shape(),
            CrossEntropyTarget::Probabilities(t) => t.shape(),
        }
    }
}

/// The keyword arguments of `F.cross_entropy`, with PyTorch's defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CrossEntropyOptions<'a> {
    /// One weight per class, shape `(C)`; default none.
    pub weight: Option<&'a Tensor>,
    /// The legacy `size_average` / `reduce` arguments.
    pub legacy: LegacyReduction,
    /// A class index that contributes nothing; default -100. With probability targets it
    /// must be negative (and then has no effect).
    pub ignore_index: i64,
    /// `none`, `mean`, `sum` or `elementwise_mean`; default `mean`.
    pub reduction: &'a str,
    /// `ε`: the targets become `(1 - ε)·target + ε/C`; default 0. At most 1; a value that is
    /// not `> 0` (negative, NaN) means no smoothing.
    pub label_smoothing: f64,
}

impl Default for CrossEntropyOptions<'_> {
    fn default() -> Self {
        CrossEntropyOptions {
            weight: None,
            legacy: LegacyReduction::default(),
            ignore_index: -100,
            reduction: "mean",
            label_smoothing: 0.0,
        }
    }
}

/// Cross entropy between logits `input` and a target of class indices or probabilities.
///
/// With `lp = log_softmax(input)` over the class dimension (0 for a `(C)` input, else 1):
/// ```text
/// indices:        l = (1 - ε)·nll_loss(lp, y, w) + (ε/C)·s,   s = -Σ_c w[c]·lp[c]   (0 if ignored)
///                 mean = (1 - ε)·Σ nll / Σ w[y]  +  (ε/C)·Σ s / Σ w[y]   (over non-ignored)
/// probabilities:  l = -Σ_c w[c]·q[c]·lp[c],   q = (1 - ε)·y + ε/C   (q = y if ε ≤ 0)
///                 mean = Σ l / (numel(input) / C)
/// ```
/// Without smoothing the index form is exactly `nll_loss(log_softmax(input), ...)`.
pub fn cross_entropy(
    input: &Tensor,
    target: CrossEntropyTarget,
    options: &CrossEntropyOptions,
) -> Result<Tensor, LossError> {
    let reduction = options.legacy.resolve(options.reduction)?;
    match target_kind(input, target, options)? {
        CrossEntropyTarget::Indices(target) => {
            let log_probs = log_softmax_over_classes(input)?;
            let nll = Nll::new(
                &log_probs.values,
                target,
                options.weight,
                options.ignore_index,
            )?;
            let loss = nll.forward(reduction)?;
            if !smoothed(options) {
                return Ok(loss);
            }
            let smoothing = Smoothing::new(&log_probs, target, nll.output_shape(), options)?;
            let smooth = smoothing.forward(reduction)?;
            let (epsilon, classes) = (options.label_smoothing, log_probs.classes as f64);
            let loss = loss.data().iter().zip(smooth.data());
            let loss = loss.map(|(&nll, &s)| (1.0 - epsilon) * nll + s * (epsilon / classes));
            Tensor::new(smooth.shape().to_vec(), loss.collect())
        }
        CrossEntropyTarget::Probabilities(target) => {
            let call = ProbabilityCall::new(input, target, options)?;
            call.forward(reduction)
        }
    }
}

/// The gradient of [`cross_entropy`] with respect to `input`, given the gradient
/// `grad_output` of its result: the gradient `G` reaching `lp = log_softmax(input)` (from
/// `nll_loss`, the smoothing term or the probability sum) through `log_softmax`'s backward,
/// `G[c] - exp(lp[c])·Σ_c G[c]` along the class dimension.
pub fn cross_entropy_backward(
    input: &Tensor,
    target: CrossEntropyTarget,
    options: &CrossEntropyOptions,
    grad_output: &Tensor,
) -> Result<InputGradients, LossError> {
    let grad = cross_entropy_grad(input, target, options, grad_output)?;
    Ok(InputGradients::from([("input", grad)]))
}

/// The gradient of [`cross_entropy`] with respect to `input` (shared with
/// `linear_cross_entropy`, whose logits are this input).
pub(crate) fn cross_entropy_grad(
    input: &Tensor,
    target: CrossEntropyTarget,
    options: &CrossEntropyOptions,
    grad_output: &Tensor,
) -> Result<Tensor, LossError> {
    let reduction = options.legacy.resolve(options.reduction)?;
    let (log_probs, grad) = match target_kind(input, target, options)? {
        CrossEntropyTarget::Indices(target) => {
            let log_probs = log_softmax_over_classes(input)?;
            let nll = Nll::new(
                &log_probs.values,
                target,
                options.weight,
                options.ignore_index,
            )?;
            if !smoothed(options) {
                let grad = nll.backward(reduction, grad_output)?;
                (log_probs, grad)
            } else {
                let smoothing = Smoothing::new(&log_probs, target, nll.output_shape(), options)?;
                let (epsilon, classes) = (options.label_smoothing, log_probs.classes as f64);
                // (1 - ε)·nll + s·(ε/C): each term receives the incoming gradient scaled.
                let from_nll =
                    nll.backward(reduction, &grad_output.map(|g| g * (1.0 - epsilon)))?;
                let scale = epsilon / classes;
                let from_smoothing =
                    smoothing.backward(reduction, &grad_output.map(|g| g * scale))?;
                let sum = from_nll
                    .data()
                    .iter()
                    .zip(from_smoothing.data())
                    .map(|(a, b)| a + b);
                let grad = Tensor::new(input.shape().to_vec(), sum.collect())?;
                (log_probs, grad)
            }
        }
        CrossEntropyTarget::Probabilities(target) => {
            let call = ProbabilityCall::new(input, target, options)?;
            let grad = call.backward(reduction, grad_output)?;
            (call.log_probs, grad)
        }
    };
    log_softmax_backward(&log_probs, &grad)
}

/// Whether label smoothing applies: `ε > 0`, false for NaN and for negative values.
fn smoothed(options: &CrossEntropyOptions) -> bool {
    options.label_smoothing > 0.0
}

/// `label_smoothing` above 1 (or `+inf`) is rejected; PyTorch checks only once it is `> 0`.
fn check_label_smoothing(options: &CrossEntropyOptions) -> Result<(), LossError> {
    let smoothing = options.label_smoothing;
    if !smoothed(options) || smoothing <= 1.0 {
        Ok(())
    } else {
        Err(LossError::invalid_parameter(format!(
            "label_smoothing must be between 0.0 and 1.0. Got: {smoothing}"
        )))
    }
}

/// PyTorch's first decision, and the checks that come with it: a target with the input's
/// shape holds probabilities (it must be floating, and `ignore_index` negative); any other
/// holds class indices (and then `label_smoothing` is checked first).
fn target_kind<'a>(
    input: &Tensor,
    target: CrossEntropyTarget<'a>,
    options: &CrossEntropyOptions,
) -> Result<CrossEntropyTarget<'a>, LossError> {
    if input.shape() == target.shape() {
        return match target {
            CrossEntropyTarget::Indices(_) => Err(LossError::invalid_shape(
                "Expected floating point type for target with class probabilities, got Long",
            )),
            CrossEntropyTarget::Probabilities(_) if options.ignore_index >= 0 => {
                Err(LossError::invalid_parameter(
                    "ignore_index is not supported for floating point target",
                ))
            }
            CrossEntropyTarget::Probabilities(_) => Ok(target),
        };
    }
    check_label_smoothing(options)?;
    match target {
        CrossEntropyTarget::Indices(_) => Ok(target),
        // Probabilities need the input's shape; PyTorch takes any other float target for
        // class indices, and its checks reject it.
        CrossEntropyTarget::Probabilities(_) => Err(LossError::invalid_shape(format!(
            "a probability target must have the input's shape {:?}, got {:?}",
            input.shape(),
            target.shape()
        ))),
    }
}

/// The smoothing term of class-index targets: per position `s = -Σ_c lp[c]·w[c]`, 0 where the
/// target is `ignore_index`; `mean` divides `Σ s` by the weight of the non-ignored targets
/// (their count without weight), like `nll_loss`.
struct Smoothing<'a> {
    log_probs: &'a ClassView,
    target: &'a Tensor<i64>,
    weight: Option<&'a Tensor>,
    ignore_index: i64,
}

impl<'a> Smoothing<'a> {
    /// The checks PyTorch makes after `nll_loss` has passed.
    fn new(
        log_probs: &'a ClassView,
        target: &'a Tensor<i64>,
        nll_shape: &[usize],
        options: &CrossEntropyOptions<'a>,
    ) -> Result<Self, LossError> {
        // PyTorch views the weight as (1, C, 1, …) from its first dimension: a K-d input passes
        // `nll_loss` with any weight of C elements, but only a (C, 1, …) one survives the view.
        if let Some(w) = options.weight {
            if w.shape().first() != Some(&w.numel()) {
                return Err(LossError::invalid_shape(format!(
                    "cannot view a weight of shape {:?} as one weight per class",
                    w.shape()
                )));
            }
        }
        // The ignored positions are zeroed in place in the loss, which a (1,) target beside a
        // (C) input (the one mismatch `nll_loss` lets through) would have to enlarge.
        if target.shape() != log_probs.output_shape {
            return Err(LossError::invalid_shape(format!(
                "output with shape {nll_shape:?} doesn't match the broadcast shape {:?}",
                target.shape()
            )));
        }
        Ok(Smoothing {
            log_probs,
            target,
            weight: options.weight,
            ignore_index: options.ignore_index,
        })
    }

    fn ignored(&self, p: usize) -> bool {
        self.target.at(p) == self.ignore_index
    }

    /// The smoothing term, reduced.
    fn forward(&self, reduction: Reduction) -> Result<Tensor, LossError> {
        let lp = self.log_probs;
        let mut smooth = Vec::with_capacity(lp.positions());
        for p in 0..lp.positions() {
            let mut sum = 0.0;
            for c in 0..lp.classes {
                let v = lp.values.at(lp.index(p, c));
                sum += match self.weight {
                    Some(w) => v * w.at(c),
                    None => v,
                };
            }
            smooth.push(if self.ignored(p) { 0.0 } else { -sum });
        }
        let total = || smooth.iter().sum::<f64>();
        Ok(match reduction {
            Reduction::None => Tensor::new(lp.output_shape.clone(), smooth)?,
            Reduction::Sum => Tensor::scalar(total()),
            Reduction::Mean => Tensor::scalar(total() / self.denominator()?),
        })
    }

    /// The gradient of the reduced smoothing term with respect to `lp`: `-g·w[c]` at every
    /// class of a position that is not ignored (`g / Σ w[y]` for `mean`).
    fn backward(&self, reduction: Reduction, grad: &Tensor) -> Result<Tensor, LossError> {
        let lp = self.log_probs;
        let per_position = match reduction {
            Reduction::None => Reduction::None.backward(grad, &lp.output_shape)?,
            Reduction::Sum => Reduction::Sum.backward(grad, &lp.output_shape)?,
            Reduction::Mean => {
                let g = Reduction::Sum.backward(grad, &[])?.at(0) / self.denominator()?;
                Reduction::Sum.backward(&Tensor::scalar(g), &lp.output_shape)?
            }
        };
        let mut out = vec![0.0; lp.values.numel()];
        for p in 0..lp.positions() {
            let g = if self.ignored(p) {
                0.0
            } else {
                per_position.at(p)
            };
            for c in 0..lp.classes {
                out[lp.index(p, c)] = match self.weight {
                    Some(w) => -g * w.at(c),
                    None => -g,
                };
            }
        }
        Tensor::new(lp.values.shape().to_vec(), out)
    }

    /// What `mean` divides by: `Σ w[y]` (a gather from the weight, which must then be 1-D) or
    /// the count of positions not ignored.
    fn denominator(&self) -> Result<f64, LossError> {
        let kept = (0..self.log_probs.positions()).filter(|&p| !self.ignored(p));
        Ok(match self.weight {
            Some(w) if w.ndim() != 1 => {
                return Err(LossError::invalid_shape(
                    "Index tensor must have the same number of dimensions as input tensor",
                ))
            }
            Some(w) => kept.map(|p| w.at(self.target.at(p) as usize)).sum(),
            None => kept.count() as f64,
        })
    }
}

/// A validated call with class-probability targets (`target` has the input's shape).
struct ProbabilityCall<'a> {
    target: &'a Tensor,
    weight: Option<&'a Tensor>,
    smoothing: f64,
    log_probs: ClassView,
}

impl<'a> ProbabilityCall<'a> {
    /// The checks in PyTorch's order: a class dimension, the weight's shape, then (after
    /// `log_softmax`) `label_smoothing`.
    fn new(
        input: &Tensor,
        target: &'a Tensor,
        options: &CrossEntropyOptions<'a>,
    ) -> Result<Self, LossError> {
        if input.ndim() == 0 {
            return Err(LossError::invalid_shape(
                "Dimension specified as 1 but tensor has no dimensions",
            ));
        }
        let classes = input.shape()[class_dim(input)];
        if let Some(w) = options.weight {
            if w.ndim() != 1 || w.numel() != classes {
                return Err(LossError::invalid_shape(format!(
                    "cross_entropy: weight tensor should be defined either for all {classes} \
                     classes or no classes but got weight tensor of shape: {:?}",
                    w.shape()
                )));
            }
        }
        let log_probs = log_softmax_over_classes(input)?;
        check_label_smoothing(options)?;
        Ok(ProbabilityCall {
            target,
            weight: options.weight,
            smoothing: if smoothed(options) {
                options.label_smoothing
            } else {
                0.0
            },
            log_probs,
        })
    }

    /// `q = y·(1 - ε) + ε/C` at flat index `i` (`y` without smoothing).
    fn smoothed_target(&self, i: usize) -> f64 {
        let y = self.target.at(i);
        if self.smoothing > 0.0 {
            y * (1.0 - self.smoothing) + self.smoothing / self.log_probs.classes as f64
        } else {
            y
        }
    }

    /// `w[c]` of flat index `i`, or 1 without weight.
    fn weight_at(&self, i: usize) -> Option<f64> {
        self.weight.map(|w| w.at(self.log_probs.class_of(i)))
    }

    /// `-Σ lp·q·w`, per position for `none`; `mean` divides by `numel / C`.
    fn forward(&self, reduction: Reduction) -> Result<Tensor, LossError> {
        let lp = &self.log_probs;
        // lp·q·w, element by element in the input's layout, multiplied in that order.
        let products: Vec<f64> = (0..lp.values.numel())
            .map(|i| {
                let product = lp.values.at(i) * self.smoothed_target(i);
                self.weight_at(i).map_or(product, |w| product * w)
            })
            .collect();
        let total = || -products.iter().sum::<f64>();
        let numel = lp.values.numel();
        Ok(match reduction {
            Reduction::None => {
                let mut loss = Vec::with_capacity(lp.positions());
                for p in 0..lp.positions() {
                    let sum: f64 = (0..lp.classes).map(|c| products[lp.index(p, c)]).sum();
                    loss.push(-sum);
                }
                Tensor::new(lp.output_shape.clone(), loss)?
            }
            Reduction::Sum => Tensor::scalar(total()),
            // PyTorch fills NaN explicitly for an empty input; otherwise it divides by the
            // number of positions, numel / C (an integer division), never by a weight sum.
            Reduction::Mean if numel == 0 => Tensor::scalar(f64::NAN),
            Reduction::Mean => Tensor::scalar(total() / (numel / lp.classes) as f64),
        })
    }

    /// The gradient with respect to `lp`: `((-g)·w[c])·q[c]`, with `g` the incoming gradient
    /// of the position (`g / (numel / C)` for `mean`).
    fn backward(&self, reduction: Reduction, grad: &Tensor) -> Result<Tensor, LossError> {
        let lp = &self.log_probs;
        let numel = lp.values.numel();
        let per_position = match reduction {
            Reduction::None => Reduction::None.backward(grad, &lp.output_shape)?,
            Reduction::Sum => Reduction::Sum.backward(grad, &lp.output_shape)?,
            Reduction::Mean => {
                let g = Reduction::Sum.backward(grad, &[])?.at(0);
                let g = if numel == 0 {
                    0.0
                } else {
                    g / (numel / lp.classes) as f64
                };
                Reduction::Sum.backward(&Tensor::scalar(g), &lp.output_shape)?
            }
        };
        let mut out = vec![0.0; numel];
        for p in 0..lp.positions() {
            for c in 0..lp.classes {
                let i = lp.index(p, c);
                let g = -per_position.at(p);
                let g = self.weight_at(i).map_or(g, |w| g * w);
                out[i] = g * self.smoothed_target(i);
            }
        }
        Tensor::new(lp.values.shape().to_vec(), out)
    }
}

/// The class dimension: 0 for a 1-D input, else 1.
fn class_dim(input: &Tensor) -> usize {
    usize::from(input.ndim() != 1)
}

/// `log_softmax(input)` over the class dimension, with the input's layout as
/// `(outer, classes, inner)`: position `p = (o, i)` and class `c` sit at `(o·C + c)·inner + i`.
struct ClassView {
    values: Tensor,
    classes: usize,
    inner: usize,
    /// The input's shape without the class dimension: the shape of `none` results.
    output_shape: Vec<usize>,
}

impl ClassView {
    /// The number of positions (`outer · inner`).
    fn positions(&self) -> usize {
        self.output_shape.iter().product()
    }

    /// The flat index of class `c` at position `p`.
    fn index(&self, p: usize, c: usize) -> usize {
        let (o, i) = (p / self.inner, p % self.inner);
        (o * self.classes + c) * self.inner + i
    }

    /// The class of flat index `i`.
    fn class_of(&self, i: usize) -> usize {
        (i / self.inner) % self.classes
    }
}

/// `log_softmax` along the class dimension; a 0-d input has none (`invalid_shape`).
fn log_softmax_over_classes(input: &Tensor) -> Result<ClassView, LossError> {
    if input.ndim() == 0 {
        return Err(LossError::invalid_shape(
            "Dimension out of range (expected to be in range of [-1, 0], but got 1)",
        ));
    }
    let dim = class_dim(input);
    let shape = input.shape();
    let mut output_shape = shape.to_vec();
    output_shape.remove(dim);
    let classes = shape[dim];
    let inner = shape[dim + 1..].iter().product::<usize>().max(1);
    let values = log_softmax_along(input.data(), classes, inner);
    Ok(ClassView {
        values: Tensor::new(shape.to_vec(), values)?,
        classes,
        inner,
        output_shape,
    })
}

/// The backward of `log_softmax` along the class dimension, as ATen computes it:
/// `grad[c] - exp(lp[c])·Σ_c grad[c]` per position.
fn log_softmax_backward(log_probs: &ClassView, grad: &Tensor) -> Result<Tensor, LossError> {
    let mut out = vec![0.0; grad.numel()];
    for p in 0..log_probs.positions() {
        let sum: f64 = (0..log_probs.classes)
            .map(|c| grad.at(log_probs.index(p, c)))
            .sum();
        for c in 0..log_probs.classes {
            let i = log_probs.index(p, c);
            out[i] = grad.at(i) - exp(log_probs.values.at(i)) * sum;
        }
    }
    Tensor::new(grad.shape().to_vec(), out)
}
