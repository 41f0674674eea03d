//! Tensors in the case format's three forms (a number, a rectangular nested list,
//! `{shape, data}`), their dtype, and the limits on their size.

use lossparity_reference::Tensor;
use serde_yaml::Value as Yaml;

use super::describe::{describe, key_name};
use crate::case::Value;
use crate::spec::DType;

/// Nested lists deeper than this are rejected (no loss takes more than a handful of dims).
pub(super) const MAX_NDIM: usize = 16;

/// The product of a tensor's non-zero dimensions may not exceed this. A non-empty tensor's
/// elements are all in the file, so this bounds the empty ones: `{shape: [0, 100000000000000],
/// data: []}` would make an implementation allocate for its other dimensions.
const MAX_ELEMENTS: usize = 1 << 28;

/// A tensor in any of the case format's three forms: a number (0-d), a rectangular nested
/// list, or `{shape: [...], data: [...]}` with flat row-major data.
pub fn parse_tensor(yaml: &Yaml, dtype: DType) -> Result<Value, String> {
    let (shape, elements, written) = match yaml {
        Yaml::Mapping(map) => {
            for key in map.keys() {
                let key = key_name(key);
                if !["shape", "data", "dtype"].contains(&key.as_str()) {
                    return Err(format!(
                        "unknown key '{key}' (a tensor mapping has shape, data and dtype)"
                    ));
                }
            }
            let written = match yaml.get("dtype").map(Yaml::as_str) {
                None => None,
                Some(Some("int")) => Some(DType::Int),
                Some(Some("float")) => Some(DType::Float),
                Some(_) => return Err("'dtype' must be int or float".into()),
            };
            let shape: Vec<usize> = yaml
                .get("shape")
                .and_then(Yaml::as_sequence)
                .ok_or("'shape' must be a list of sizes")?
                .iter()
                .map(|d| d.as_u64().and_then(|d| usize::try_from(d).ok()))
                .collect::<Option<_>>()
                .ok_or("'shape' must be a list of non-negative integers")?;
            if shape.len() > MAX_NDIM {
                return Err(format!("more than {MAX_NDIM} dimensions"));
            }
            let data = yaml
                .get("data")
                .and_then(Yaml::as_sequence)
                .ok_or("'data' must be a flat list of numbers")?;
            if let Some(at) = data.iter().position(|d| d.is_sequence() || d.is_mapping()) {
                return Err(format!(
                    "'data' must be a flat list of numbers, but element {at} is {}",
                    describe(&data[at])
                ));
            }
            check_extent(&shape)?;
            let numel = lossparity_reference::tensor::numel_of(&shape);
            if numel != Some(data.len()) {
                return Err(format!(
                    "shape {shape:?} needs {} elements but data has {}",
                    numel.map_or("too many".to_owned(), |n| n.to_string()),
                    data.len()
                ));
            }
            (shape, data.iter().collect::<Vec<_>>(), written)
        }
        _ => {
            let mut shape = Vec::new();
            let mut probe = yaml;
            while let Yaml::Sequence(items) = probe {
                shape.push(items.len());
                if shape.len() > MAX_NDIM {
                    return Err(format!("more than {MAX_NDIM} dimensions"));
                }
                match items.first() {
                    Some(first) => probe = first,
                    None => break,
                }
            }
            let mut elements = Vec::new();
            flatten(yaml, &shape, &mut Vec::new(), &mut elements)?;
            (shape, elements, None)
        }
    };
    let dtype = match (dtype, written) {
        (DType::IndexOrFloat, Some(written)) => written,
        // Integer literals throughout make class indices; an empty tensor without `dtype: int`
        // is a float tensor.
        (DType::IndexOrFloat, None) if !elements.is_empty() => {
            let is_int = |e: &&Yaml| matches!(e, Yaml::Number(n) if !n.is_f64());
            if elements.iter().all(is_int) {
                DType::Int
            } else {
                DType::Float
            }
        }
        (DType::IndexOrFloat, None) => DType::Float,
        (dtype, Some(written)) if written != dtype => {
            return Err(format!(
                "'dtype' says {} but the input is {}",
                dtype_name(written),
                dtype_name(dtype)
            ))
        }
        (dtype, _) => dtype,
    };
    match dtype {
        DType::Int => {
            let data = elements
                .iter()
                .map(|e| int_element(e))
                .collect::<Result<Vec<_>, _>>()?;
            Tensor::new(shape, data)
                .map(Value::Int)
                .map_err(|e| e.message)
        }
        _ => {
            let data = elements
                .iter()
                .map(|e| float_element(e))
                .collect::<Result<Vec<_>, _>>()?;
            Tensor::new(shape, data)
                .map(Value::Float)
                .map_err(|e| e.message)
        }
    }
}

/// A float tensor: an expected output or gradient.
pub(super) fn parse_float_tensor(yaml: &Yaml) -> Result<Tensor<f64>, String> {
    match parse_tensor(yaml, DType::Float)? {
        Value::Float(t) => Ok(t),
        Value::Int(_) => Err("expected a float tensor".into()),
    }
}

/// Rejects a shape whose non-zero dimensions multiply to more than [`MAX_ELEMENTS`], before
/// anything is allocated for it.
fn check_extent(shape: &[usize]) -> Result<(), String> {
    let extent = shape
        .iter()
        .filter(|&&d| d != 0)
        .try_fold(1usize, |n, &d| n.checked_mul(d))
        .filter(|&n| n <= MAX_ELEMENTS);
    match extent {
        Some(_) => Ok(()),
        None => Err(format!(
            "shape {shape:?} is too large: its non-zero dimensions multiply to more than \
             {MAX_ELEMENTS}"
        )),
    }
}

fn dtype_name(dtype: DType) -> &'static str {
    match dtype {
        DType::Float => "float",
        DType::Int => "int",
        DType::IndexOrFloat => "index_or_float",
    }
}

/// Checks that `yaml` has exactly `shape` and collects its elements in row-major order.
fn flatten<'a>(
    yaml: &'a Yaml,
    shape: &[usize],
    index: &mut Vec<usize>,
    out: &mut Vec<&'a Yaml>,
) -> Result<(), String> {
    match (yaml, shape.split_first()) {
        (Yaml::Sequence(items), Some((&size, rest))) => {
            if items.len() != size {
                return Err(format!(
                    "ragged nested list: the list at index {index:?} has {} elements where \
                     {size} were expected",
                    items.len()
                ));
            }
            for (i, item) in items.iter().enumerate() {
                index.push(i);
                flatten(item, rest, index, out)?;
                index.pop();
            }
            Ok(())
        }
        (Yaml::Sequence(_), None) => Err(format!(
            "ragged nested list: a list at index {index:?} where a number was expected"
        )),
        (_, Some(_)) => Err(format!(
            "ragged nested list: a number at index {index:?} where a list was expected"
        )),
        (element, None) => {
            out.push(element);
            Ok(())
        }
    }
}

fn float_element(yaml: &Yaml) -> Result<f64, String> {
    match yaml {
        Yaml::Number(n) => n.as_f64().ok_or_else(|| format!("{n} is not a number")),
        other => Err(format!("expected a number, found {}", describe(other))),
    }
}

fn int_element(yaml: &Yaml) -> Result<i64, String> {
    match yaml {
        Yaml::Number(n) if !n.is_f64() => n
            .as_i64()
            .ok_or_else(|| format!("{n} does not fit in a 64-bit integer")),
        Yaml::Number(n) => Err(format!("expected an integer, found {n}")),
        other => Err(format!("expected an integer, found {}", describe(other))),
    }
}
