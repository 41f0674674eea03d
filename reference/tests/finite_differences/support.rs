//! The finite-difference check shared by every loss's test.

use lossparity_reference::{InputGradients, LossError, Tensor};
use rand::rngs::StdRng;
use rand::RngExt;

/// Points per loss and parameter setting.
pub const TRIALS: usize = 20;

/// A loss as a function of its differentiable inputs.
pub type Forward<'a> = Box<dyn Fn(&[Tensor]) -> Result<Tensor, LossError> + 'a>;
/// Its backward: the differentiable inputs and `grad_output` to the gradients.
pub type Backward<'a> = Box<dyn Fn(&[Tensor], &Tensor) -> Result<InputGradients, LossError> + 'a>;

/// The differentiable inputs of one call, by name, and the forward and backward to check.
pub struct Check<'a> {
    /// What is checked, for failure messages.
    pub label: String,
    /// The differentiable inputs by name, in the order the closures take them.
    pub inputs: Vec<(&'static str, Tensor)>,
    /// The loss.
    pub forward: Forward<'a>,
    /// Its analytic backward.
    pub backward: Backward<'a>,
}

/// Compares the analytic gradient with central differences for a random `grad_output`.
pub fn check(rng: &mut StdRng, check: Check) {
    let tensors: Vec<Tensor> = check.inputs.iter().map(|(_, t)| t.clone()).collect();
    let output = (check.forward)(&tensors).unwrap_or_else(|e| panic!("{}: {e}", check.label));
    let weights: Vec<f64> = (0..output.numel())
        .map(|_| rng.random_range(0.5..1.5))
        .collect();
    let grad_output = Tensor::new(output.shape().to_vec(), weights.clone()).unwrap();
    let objective = |tensors: &[Tensor]| -> f64 {
        let output = (check.forward)(tensors).unwrap();
        output.data().iter().zip(&weights).map(|(l, w)| l * w).sum()
    };
    let analytic = (check.backward)(&tensors, &grad_output)
        .unwrap_or_else(|e| panic!("{}: backward: {e}", check.label));
    for (k, (name, tensor)) in check.inputs.iter().enumerate() {
        let grad = analytic
            .get(name)
            .unwrap_or_else(|| panic!("{}: no gradient for {name}", check.label));
        assert_eq!(grad.shape(), tensor.shape(), "{}: {name}", check.label);
        for i in 0..tensor.numel() {
            let x = tensor.at(i);
            let h = 1e-6 * x.abs().max(1.0);
            let nudged = |delta: f64| {
                let mut data = tensor.data().to_vec();
                data[i] = x + delta;
                let mut moved = tensors.clone();
                moved[k] = Tensor::new(tensor.shape().to_vec(), data).unwrap();
                objective(&moved)
            };
            let numeric = (nudged(h) - nudged(-h)) / (2.0 * h);
            let exact = grad.at(i);
            assert!(
                (numeric - exact).abs() <= 1e-6 * exact.abs().max(1.0),
                "{}: d/d{name}[{i}]: analytic {exact}, finite differences {numeric}",
                check.label
            );
        }
    }
}

/// `shape`-shaped values drawn uniformly from `[low, high)`.
pub fn uniform(rng: &mut StdRng, shape: &[usize], low: f64, high: f64) -> Tensor {
    let n = shape.iter().product();
    Tensor::new(
        shape.to_vec(),
        (0..n).map(|_| rng.random_range(low..high)).collect(),
    )
    .unwrap()
}

/// `shape`-shaped values of ±1.
pub fn signs(rng: &mut StdRng, shape: &[usize]) -> Tensor {
    uniform(rng, shape, -1.0, 1.0).map(|v| if *v < 0.0 { -1.0 } else { 1.0 })
}

/// The generic reductions.
pub const REDUCTIONS: [&str; 3] = ["none", "mean", "sum"];
