//! A toy implementation of `mse_loss` and `l1_loss` (forward only, no broadcasting, no weight)
//! certified the way a third-party crate certifies its own: through the public API alone.

use lossparity::{Adapter, Call, LossError, Support, Tensor};

struct Toy;

impl Adapter for Toy {
    type Scalar = f64;

    fn name(&self) -> &str {
        "toy"
    }

    fn supports(&self, call: &Call<'_, f64>) -> Support {
        if !matches!(call.loss(), "mse_loss" | "l1_loss") {
            return Support::Unsupported(format!("the toy has no {}", call.loss()));
        }
        if call.has_input("weight") {
            return Support::Unsupported("the toy takes no weight".into());
        }
        let (input, target) = (call.required_float("input"), call.required_float("target"));
        if input.shape() != target.shape() {
            return Support::Unsupported("the toy does not broadcast".into());
        }
        Support::Supported
    }

    fn forward(&self, call: &Call<'_, f64>) -> Result<Tensor<f64>, LossError> {
        let (input, target) = (call.required_float("input"), call.required_float("target"));
        let pointwise = |x: f64, y: f64| match call.loss() {
            "mse_loss" => (x - y) * (x - y),
            _ => (x - y).abs(),
        };
        let losses: Vec<f64> = input
            .data()
            .iter()
            .zip(target.data())
            .map(|(&x, &y)| pointwise(x, y))
            .collect();
        let sum = losses.iter().sum::<f64>();
        match call.reduction() {
            "none" => Tensor::new(input.shape().to_vec(), losses),
            // `elementwise_mean` is PyTorch's deprecated alias of `mean`; an empty mean is NaN.
            "mean" | "elementwise_mean" => Ok(Tensor::scalar(sum / losses.len() as f64)),
            "sum" => Ok(Tensor::scalar(sum)),
            other => Err(LossError::invalid_parameter(format!(
                "{other} is not a valid value for reduction"
            ))),
        }
    }
}

fn main() {
    lossparity::Harness::new().adapter(Toy).run()
}
