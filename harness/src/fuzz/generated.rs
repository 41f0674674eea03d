//! A generated case in a form the shrinker can work on: every input records, per axis, which
//! named dimension (`N`, `C`, `T`, …) it is, so shrinking a dimension removes the same slice
//! from every input along it.

use std::collections::BTreeMap;

use lossparity_reference::Tensor;

use crate::case::{Case, Expected, Location, Param, Value};

/// One tensor argument and the named dimension of each of its axes.
///
/// An axis named by a number (`"1"`) has that fixed size and is never shrunk (a broadcast axis,
/// say); every other name is a dimension shared by all inputs that use it.
#[derive(Clone, Debug, PartialEq)]
pub struct GeneratedInput {
    /// The tensor.
    pub value: Value,
    /// The dimension name of each axis, outermost first.
    pub axes: Vec<&'static str>,
}

/// A random case of one loss: its parameters and its inputs with named axes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Generated {
    /// The parameters the case gives (the rest take PyTorch's defaults).
    pub params: BTreeMap<String, Param>,
    /// The tensor arguments, by name.
    pub inputs: BTreeMap<String, GeneratedInput>,
}

/// Whether an axis name is a fixed size rather than a shrinkable dimension.
pub fn is_fixed(axis: &str) -> bool {
    axis.parse::<usize>().is_ok()
}

impl Generated {
    /// An empty case.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the float input `name`, whose axes are the dimensions `axes`.
    ///
    /// # Panics
    /// If `axes` does not have one name per axis of `tensor`.
    pub fn float(&mut self, name: &str, tensor: Tensor<f64>, axes: &[&'static str]) {
        self.insert(name, Value::Float(tensor), axes);
    }

    /// Adds the integer input `name`, whose axes are the dimensions `axes`.
    ///
    /// # Panics
    /// If `axes` does not have one name per axis of `tensor`.
    pub fn int(&mut self, name: &str, tensor: Tensor<i64>, axes: &[&'static str]) {
        self.insert(name, Value::Int(tensor), axes);
    }

    fn insert(&mut self, name: &str, value: Value, axes: &[&'static str]) {
        assert_eq!(
            value.shape().len(),
            axes.len(),
            "input '{name}' has shape {:?} but axes {axes:?}",
            value.shape()
        );
        let input = GeneratedInput {
            value,
            axes: axes.to_vec(),
        };
        self.inputs.insert(name.to_owned(), input);
    }

    /// Sets the parameter `name`.
    pub fn param(&mut self, name: &str, value: Param) {
        self.params.insert(name.to_owned(), value);
    }

    /// The float input `name`, if the case has it.
    #[cfg(test)]
    fn float_input(&self, name: &str) -> Option<&Tensor<f64>> {
        match self.inputs.get(name).map(|input| &input.value) {
            Some(Value::Float(t)) => Some(t),
            _ => None,
        }
    }

    /// The named dimensions and their sizes, as the inputs hold them (the first input using a
    /// dimension decides its size).
    pub fn dims(&self) -> BTreeMap<&'static str, usize> {
        let mut dims = BTreeMap::new();
        for input in self.inputs.values() {
            for (&axis, &size) in input.axes.iter().zip(input.value.shape()) {
                if !is_fixed(axis) {
                    dims.entry(axis).or_insert(size);
                }
            }
        }
        dims
    }

    /// This case with index `index` of dimension `dim` removed from every input along it;
    /// `None` when no input has that index.
    pub fn without_index(&self, dim: &str, index: usize) -> Option<Generated> {
        let mut changed = false;
        let mut result = self.clone();
        for input in result.inputs.values_mut() {
            for axis in 0..input.axes.len() {
                if input.axes[axis] == dim && index < input.value.shape()[axis] {
                    input.value = match &input.value {
                        Value::Float(t) => Value::Float(remove_slice(t, axis, index)),
                        Value::Int(t) => Value::Int(remove_slice(t, axis, index)),
                    };
                    changed = true;
                }
            }
        }
        changed.then_some(result)
    }

    /// This case with every axis of dimension `dim` (of size 1 everywhere) dropped: one
    /// dimension fewer, the same elements. `None` unless the dimension has size 1.
    pub fn without_axis(&self, dim: &str) -> Option<Generated> {
        let mut changed = false;
        let mut result = self.clone();
        for input in result.inputs.values_mut() {
            while let Some(axis) = input.axes.iter().position(|&a| a == dim) {
                let mut shape = input.value.shape().to_vec();
                if shape[axis] != 1 {
                    return None;
                }
                shape.remove(axis);
                input.axes.remove(axis);
                input.value = match &input.value {
                    Value::Float(t) => Value::Float(Tensor::new(shape, t.data().to_vec()).ok()?),
                    Value::Int(t) => Value::Int(Tensor::new(shape, t.data().to_vec()).ok()?),
                };
                changed = true;
            }
        }
        changed.then_some(result)
    }

    /// The case as the runner and adapters see it, named `name`. Its `expected` is a
    /// placeholder (a 0-d zero): a generated case has no PyTorch result yet.
    pub fn to_case(&self, loss: &str, name: &str) -> Case {
        Case {
            loss: loss.to_owned(),
            name: name.to_owned(),
            params: self.params.clone(),
            inputs: self
                .inputs
                .iter()
                .map(|(name, input)| (name.clone(), input.value.clone()))
                .collect(),
            expected: Expected::Output {
                output: Tensor::scalar(0.0),
                grad: BTreeMap::new(),
            },
            tolerance: None,
            not_applicable: BTreeMap::new(),
            rounded_defaults: BTreeMap::new(),
            tags: Vec::new(),
            location: Location {
                file: format!("fuzz:{loss}"),
                line: 0,
            },
        }
    }
}

/// `tensor` without the slice at `index` along `axis`.
fn remove_slice<T: Copy>(tensor: &Tensor<T>, axis: usize, index: usize) -> Tensor<T> {
    let shape = tensor.shape();
    let outer: usize = shape[..axis].iter().product();
    let inner: usize = shape[axis + 1..].iter().product();
    let len = shape[axis];
    let mut data = Vec::with_capacity(outer * (len - 1) * inner);
    for o in 0..outer {
        for i in (0..len).filter(|&i| i != index) {
            let start = (o * len + i) * inner;
            data.extend_from_slice(&tensor.data()[start..start + inner]);
        }
    }
    let mut new_shape = shape.to_vec();
    new_shape[axis] -= 1;
    Tensor::new(new_shape, data).expect("a slice removed keeps the data rectangular")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removing_an_index_removes_it_from_every_input_along_that_dimension() {
        let mut case = Generated::new();
        let input = Tensor::new(vec![2, 3], vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).unwrap();
        case.float("input", input, &["N", "C"]);
        case.float("weight", Tensor::vector(vec![7.0, 8.0, 9.0]), &["C"]);
        let smaller = case.without_index("C", 1).unwrap();
        assert_eq!(
            smaller.float_input("input").unwrap().data(),
            &[1.0, 3.0, 4.0, 6.0]
        );
        assert_eq!(smaller.float_input("weight").unwrap().data(), &[7.0, 9.0]);
        assert_eq!(smaller.dims()["C"], 2);
        let row = smaller.without_index("N", 0).unwrap();
        let flat = row.without_axis("N").unwrap();
        assert_eq!(flat.float_input("input").unwrap().shape(), &[2]);
        assert!(case.without_axis("C").is_none());
    }
}
