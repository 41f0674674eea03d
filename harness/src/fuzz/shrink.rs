//! Shrinking a mismatch to a small case: fewer inputs and parameters, fewer elements, fewer
//! dimensions, simpler values, keeping whatever the caller's predicate demands (the reference
//! still accepting the case, and the mismatch still there).

use lossparity_reference::Tensor;

use super::generated::Generated;
use crate::case::{Param, Value};
use crate::spec::LossSpec;

/// The simplest float values, simplest first.
const SIMPLE_FLOATS: [f64; 7] = [0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0];

/// One way to make a case smaller or simpler.
#[derive(Clone, Debug)]
enum Edit {
    /// Leave out an optional input.
    DropInput(String),
    /// Leave a parameter at its default.
    DropParam(String),
    /// Cut a named dimension down to one of its indices, in every input.
    KeepIndex(&'static str, usize),
    /// Remove one index of a named dimension from every input.
    RemoveIndex(&'static str, usize),
    /// Drop the axes of a named dimension of size 1.
    DropAxis(&'static str),
    /// Give a parameter a simpler value.
    SetParam(String, Param),
    /// Give one float element a simpler value.
    SetFloat(String, usize, f64),
    /// Give one integer element a value nearer 0.
    SetInt(String, usize, i64),
}

/// Shrinks `case` while `still_fails` holds for the smaller candidate, trying at most `budget`
/// candidates. Returns the smallest case found and the number of steps taken.
pub fn shrink(
    case: &Generated,
    spec: &LossSpec,
    budget: usize,
    mut still_fails: impl FnMut(&Generated) -> bool,
) -> (Generated, usize) {
    let mut current = case.clone();
    let (mut tried, mut steps) = (0, 0);
    'passes: loop {
        let mut improved = false;
        for edit in edits(&current, spec) {
            if tried >= budget {
                break 'passes;
            }
            let Some(candidate) = apply(&current, &edit) else {
                continue;
            };
            tried += 1;
            if still_fails(&candidate) {
                let structural = !matches!(edit, Edit::SetFloat(..) | Edit::SetInt(..));
                current = candidate;
                steps += 1;
                improved = true;
                if structural {
                    // The element positions of the remaining edits may have moved.
                    continue 'passes;
                }
            }
        }
        if !improved {
            break;
        }
    }
    (current, steps)
}

/// Every edit of `case`, the most reducing first.
fn edits(case: &Generated, spec: &LossSpec) -> Vec<Edit> {
    let mut edits = Vec::new();
    for input in &spec.inputs {
        if input.optional && case.inputs.contains_key(&input.name) {
            edits.push(Edit::DropInput(input.name.clone()));
        }
    }
    edits.extend(case.params.keys().map(|name| Edit::DropParam(name.clone())));
    let dims = case.dims();
    for (&dim, &size) in &dims {
        if size > 2 {
            edits.extend((0..size).map(|index| Edit::KeepIndex(dim, index)));
        }
    }
    for (&dim, &size) in &dims {
        edits.extend((0..size).rev().map(|index| Edit::RemoveIndex(dim, index)));
    }
    for (&dim, &size) in &dims {
        if size == 1 {
            edits.push(Edit::DropAxis(dim));
        }
    }
    for (name, value) in &case.params {
        let simpler: Vec<Param> = match value {
            Param::Float(v) => simpler_floats(*v).into_iter().map(Param::Float).collect(),
            Param::Int(v) => simpler_ints(*v).into_iter().map(Param::Int).collect(),
            _ => Vec::new(),
        };
        edits.extend(simpler.into_iter().map(|p| Edit::SetParam(name.clone(), p)));
    }
    for (name, input) in &case.inputs {
        match &input.value {
            Value::Float(t) => {
                for (i, &v) in t.data().iter().enumerate() {
                    let simpler = simpler_floats(v).into_iter();
                    edits.extend(simpler.map(|s| Edit::SetFloat(name.clone(), i, s)));
                }
            }
            Value::Int(t) => {
                for (i, &v) in t.data().iter().enumerate() {
                    let simpler = simpler_ints(v).into_iter();
                    edits.extend(simpler.map(|s| Edit::SetInt(name.clone(), i, s)));
                }
            }
        }
    }
    edits
}

/// `case` with `edit` applied; `None` when it does not apply.
fn apply(case: &Generated, edit: &Edit) -> Option<Generated> {
    match edit {
        Edit::DropInput(name) => {
            let mut smaller = case.clone();
            smaller.inputs.remove(name)?;
            Some(smaller)
        }
        Edit::DropParam(name) => {
            let mut smaller = case.clone();
            smaller.params.remove(name)?;
            Some(smaller)
        }
        Edit::KeepIndex(dim, index) => {
            let size = *case.dims().get(dim)?;
            let mut smaller = case.clone();
            for removed in (0..size).rev().filter(|i| i != index) {
                smaller = smaller.without_index(dim, removed)?;
            }
            Some(smaller)
        }
        Edit::RemoveIndex(dim, index) => case.without_index(dim, *index),
        Edit::DropAxis(dim) => case.without_axis(dim),
        Edit::SetParam(name, value) => {
            let mut simpler = case.clone();
            simpler.params.insert(name.clone(), value.clone());
            Some(simpler)
        }
        Edit::SetFloat(name, index, value) => {
            let mut simpler = case.clone();
            let input = simpler.inputs.get_mut(name)?;
            let Value::Float(t) = &input.value else {
                return None;
            };
            input.value = Value::Float(with_element(t, *index, *value)?);
            Some(simpler)
        }
        Edit::SetInt(name, index, value) => {
            let mut simpler = case.clone();
            let input = simpler.inputs.get_mut(name)?;
            let Value::Int(t) = &input.value else {
                return None;
            };
            input.value = Value::Int(with_element(t, *index, *value)?);
            Some(simpler)
        }
    }
}

fn with_element<T: Copy>(tensor: &Tensor<T>, index: usize, value: T) -> Option<Tensor<T>> {
    let mut data = tensor.data().to_vec();
    *data.get_mut(index)? = value;
    Tensor::new(tensor.shape().to_vec(), data).ok()
}

/// How complicated a float is to read: the simple values first, then by significant digits,
/// non-finite values last.
fn float_rank(v: f64) -> u32 {
    if let Some(i) = SIMPLE_FLOATS
        .iter()
        .position(|s| s.to_bits() == v.to_bits())
    {
        return i as u32;
    }
    if !v.is_finite() {
        return 1000;
    }
    let text = format!("{v:e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let digits = mantissa.chars().filter(char::is_ascii_digit).count() as u32;
    let exponent = exponent.parse::<i32>().unwrap_or(0).unsigned_abs();
    10 + 4 * digits + exponent.min(400) / 2
}

/// Simpler replacements for the float `v`: the simple values, and `v` rounded to 1–3
/// significant digits, each strictly simpler than `v`.
fn simpler_floats(v: f64) -> Vec<f64> {
    let rank = float_rank(v);
    let mut candidates: Vec<f64> = SIMPLE_FLOATS.to_vec();
    if v.is_finite() && v != 0.0 {
        let magnitude = v.abs().log10().floor() as i32;
        for digits in 1..=3 {
            let scale = 10f64.powi(digits - 1 - magnitude);
            candidates.push((v * scale).round() / scale);
        }
        candidates.push(v.trunc());
    }
    let mut simpler: Vec<f64> = Vec::new();
    for c in candidates {
        if float_rank(c) < rank && !simpler.iter().any(|s| s.to_bits() == c.to_bits()) {
            simpler.push(c);
        }
    }
    simpler
}

/// Replacements for the integer `v` nearer 0: 0, 1, half of it, one step toward 0.
fn simpler_ints(v: i64) -> Vec<i64> {
    let rank = |x: i64| x.unsigned_abs() * 2 + u64::from(x < 0);
    let mut simpler = Vec::new();
    for c in [0, 1, v / 2, v - v.signum()] {
        if rank(c) < rank(v) && !simpler.contains(&c) {
            simpler.push(c);
        }
    }
    simpler
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simpler_floats_are_strictly_simpler() {
        assert_eq!(simpler_floats(0.0), Vec::<f64>::new());
        assert_eq!(simpler_floats(1.0), vec![0.0]);
        let simpler = simpler_floats(2.71234);
        assert!(
            simpler.contains(&3.0) && simpler.contains(&2.71),
            "{simpler:?}"
        );
        assert!(simpler_floats(f64::NAN).contains(&0.0));
        assert_eq!(simpler_ints(-100), vec![0, 1, -50, -99]);
    }
}
