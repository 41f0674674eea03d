//! Mutants of `multilabel_margin_loss` (spec/multilabel_margin_loss.md).

use lossparity_reference::{LossError, Reduction, Tensor};

use super::{reference_with, set_reduction, Mutant};
use lossparity::__private::Loss;
use lossparity::__private::Value;
use lossparity::Reference;
use lossparity::{Adapter, Call, Gradients};

const LOSS: Loss = Loss::MultilabelMarginLoss;

pub(super) fn mutants() -> Vec<Mutant> {
    vec![
        Mutant::forward(
            LOSS,
            "labels_after_first_minus_one",
            "every non-negative target entry is a label, instead of only those before the \
             first -1",
            labels_after_first_minus_one,
        ),
        Mutant::forward(
            LOSS,
            "divides_by_label_count",
            "each sample's hinge sum is divided by its number of labels instead of by C",
            divides_by_label_count,
        ),
        Mutant::gradient(
            LOSS,
            "gradient_active_at_kink",
            "the gradient counts a pair at 1 - (x[y] - x[i]) = 0 (z >= 0) instead of only z > 0",
            gradient_active_at_kink,
        ),
    ]
}

/// The labels of each sample as PyTorch reads them: the entries before the first negative one.
fn labels(row: &[i64]) -> Vec<usize> {
    row.iter()
        .take_while(|&&t| t >= 0)
        .map(|&t| t as usize)
        .collect()
}

/// (batch, classes) of the input: a 0-d input is one sample of one class.
fn batch_and_classes(input: &Tensor) -> (usize, usize) {
    let classes = input.shape().last().copied().unwrap_or(1);
    (input.numel() / classes, classes)
}

fn labels_after_first_minus_one(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    // Moving every -1 to the end of its row makes PyTorch read all other entries as labels.
    let classes = batch_and_classes(call.required_float("input")).1;
    reference_with(call, |case| {
        if let Some(Value::Int(target)) = case.inputs.get("target") {
            if target.numel() % classes != 0 {
                return;
            }
            let mut data = Vec::with_capacity(target.numel());
            for row in target.data().chunks(classes) {
                let kept: Vec<i64> = row.iter().copied().filter(|&t| t >= 0).collect();
                data.extend(kept.iter().copied());
                data.extend(std::iter::repeat_n(-1, classes - kept.len()));
            }
            if let Ok(target) = Tensor::new(target.shape().to_vec(), data) {
                case.inputs.insert("target".into(), Value::Int(target));
            }
        }
    })
}

fn divides_by_label_count(call: &Call<'_, f64>) -> Result<Tensor, LossError> {
    let output = reference_with(call, |_| {})?;
    // Each sample's loss S / C, rescaled to S / k.
    let per_sample = reference_with(call, |case| set_reduction(case, "none"))?;
    let input = call.required_float("input");
    let target = call.required_int("target");
    let (_, classes) = batch_and_classes(input);
    let per_sample: Vec<f64> = per_sample
        .data()
        .iter()
        .zip(target.data().chunks(classes))
        .map(|(&l, row)| l * classes as f64 / labels(row).len() as f64)
        .collect();
    let total: f64 = per_sample.iter().sum();
    Ok(match Reduction::parse(call.reduction())? {
        Reduction::None => Tensor::new(output.shape().to_vec(), per_sample)?,
        Reduction::Sum => Tensor::scalar(total),
        Reduction::Mean => Tensor::scalar(total / per_sample.len() as f64),
    })
}

fn gradient_active_at_kink(call: &Call<'_, f64>) -> Result<Gradients<f64>, LossError> {
    Reference.gradient(call)?;
    let input = call.required_float("input");
    let target = call.required_int("target");
    let (batch, classes) = batch_and_classes(input);
    let reduction = Reduction::parse(call.reduction())?;
    let scale = match reduction {
        Reduction::Mean => 1.0 / (batch * classes) as f64,
        Reduction::None | Reduction::Sum => 1.0 / classes as f64,
    };
    let mut grad = vec![0.0; input.numel()];
    for n in 0..batch {
        let x = &input.data()[n * classes..(n + 1) * classes];
        let labels = labels(&target.data()[n * classes..(n + 1) * classes]);
        let row = &mut grad[n * classes..(n + 1) * classes];
        for &label in &labels {
            for i in (0..classes).filter(|i| !labels.contains(i)) {
                if 1.0 - x[label] + x[i] >= 0.0 {
                    row[label] -= scale;
                    row[i] += scale;
                }
            }
        }
    }
    let grad = Tensor::new(input.shape().to_vec(), grad)?;
    Ok(Gradients::from([("input".to_owned(), grad)]))
}
