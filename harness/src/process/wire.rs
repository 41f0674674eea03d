//! The protocol's messages (`spec/protocol.md`): requests written from a [`Call`], answers read
//! into tensors and errors, each checked as it is read.

use std::collections::BTreeMap;

use lossparity_reference::{ErrorKind, LossError, Tensor};
use serde_json::{json, Map, Value};

use super::base64;
use crate::adapter::{Call, Dtype, Gradients, Input, Scalar};
use crate::case::Param;

/// The protocol versions this harness speaks, newest last.
pub const VERSIONS: &[u64] = &[1];

/// The dtype's name on the wire.
pub fn dtype_name(dtype: Dtype) -> &'static str {
    match dtype {
        Dtype::F32 => "float32",
        Dtype::F64 => "float64",
        Dtype::F16 => "float16",
        Dtype::BF16 => "bfloat16",
    }
}

/// The handshake request.
pub fn start() -> String {
    json!({"cmd": "start", "versions": VERSIONS}).to_string()
}

/// The request that stops an implementation.
pub fn stop() -> String {
    json!({"cmd": "stop"}).to_string()
}

/// What an implementation says of itself in the handshake.
#[derive(Clone, Debug, PartialEq)]
pub struct Hello {
    /// The protocol version it chose.
    pub protocol: u64,
    /// Its name, for trial names.
    pub name: String,
    /// Its version.
    pub version: String,
    /// The language it is written in.
    pub language: String,
    /// The dtypes it computes in (`float64`, `float32`, `float16`, `bfloat16`).
    pub dtypes: Vec<String>,
    /// The losses it offers, if it says.
    pub losses: Option<Vec<String>>,
}

/// Reads the handshake's answer.
pub fn hello(line: &[u8]) -> Result<Hello, String> {
    let value = object(line)?;
    if let Some(error) = value.get("error") {
        return Err(format!("the implementation refused the handshake: {error}"));
    }
    let protocol = value
        .get("protocol")
        .and_then(Value::as_u64)
        .ok_or("the handshake's answer has no integer 'protocol'")?;
    if !VERSIONS.contains(&protocol) {
        return Err(format!(
            "the implementation chose protocol version {protocol}; this harness speaks {VERSIONS:?}"
        ));
    }
    let implementation = value
        .get("implementation")
        .and_then(Value::as_object)
        .ok_or("the handshake's answer has no 'implementation' object")?;
    let text = |key: &str| -> Result<String, String> {
        implementation
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or(format!("the implementation gives no string '{key}'"))
    };
    let strings = |key: &str| -> Result<Option<Vec<String>>, String> {
        match implementation.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| item.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .map(Some)
                .ok_or(format!("'{key}' must be a list of strings")),
            Some(_) => Err(format!("'{key}' must be a list of strings")),
        }
    };
    let name = text("name")?;
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(format!(
            "the implementation's name {name:?} must be lowercase letters, digits and '_'"
        ));
    }
    Ok(Hello {
        protocol,
        name,
        version: text("version")?,
        language: text("language")?,
        dtypes: strings("dtypes")?.ok_or("the implementation gives no 'dtypes'")?,
        losses: strings("losses")?,
    })
}

/// The request to run `call`, numbered `seq`, asking for the gradients of its prediction inputs
/// when `gradients`.
pub fn run<T: Scalar>(seq: u64, call: &Call<'_, T>, gradients: bool) -> String {
    let wanted: Vec<&str> = call
        .spec()
        .inputs
        .iter()
        .map(|spec| spec.name.as_str())
        .filter(|&name| gradients && call.has_input(name) && call.is_prediction(name))
        .collect();
    let inputs: Map<String, Value> = call
        .spec()
        .inputs
        .iter()
        .filter_map(|spec| {
            let value = match call.input(&spec.name)? {
                Input::Float(t) => float_tensor(t),
                Input::Int(t) => int_tensor(t),
            };
            Some((spec.name.clone(), value))
        })
        .collect();
    let params: Map<String, Value> = call
        .spec()
        .params
        .iter()
        .map(|spec| (spec.name.clone(), param(call.param(&spec.name))))
        .collect();
    json!({
        "cmd": "run",
        "seq": seq,
        "loss": call.loss(),
        "dtype": dtype_name(T::DTYPE),
        "inputs": inputs,
        "params": params,
        "gradients": wanted,
    })
    .to_string()
}

/// A parameter as JSON: floats as numbers, the non-finite ones as `{"float": "nan"}` etc.
pub fn param(param: &Param) -> Value {
    match param {
        Param::Null => Value::Null,
        Param::Bool(b) => Value::Bool(*b),
        Param::Int(i) => Value::from(*i),
        Param::String(s) => Value::from(s.as_str()),
        Param::Float(x) if x.is_nan() => json!({"float": "nan"}),
        Param::Float(x) if x.is_infinite() => {
            json!({"float": if *x > 0.0 { "inf" } else { "-inf" }})
        }
        Param::Float(x) => Value::from(*x),
    }
}

/// A float tensor in `T`'s dtype, as the wire carries it: each value's own bits.
pub fn float_tensor<T: Scalar>(tensor: &Tensor<T>) -> Value {
    let mut bytes = Vec::with_capacity(tensor.numel() * T::WIRE_WIDTH);
    for &value in tensor.data() {
        value.write_wire(&mut bytes);
    }
    json!({"dtype": dtype_name(T::DTYPE), "shape": tensor.shape(), "data": base64::encode(&bytes)})
}

/// An integer tensor, as the wire carries it.
pub fn int_tensor(tensor: &Tensor<i64>) -> Value {
    let bytes: Vec<u8> = tensor.data().iter().flat_map(|v| v.to_le_bytes()).collect();
    json!({"dtype": "int64", "shape": tensor.shape(), "data": base64::encode(&bytes)})
}

/// What an implementation answered to a `run`.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer<T> {
    /// The loss, and its gradients if they were asked for and it computes them.
    Output {
        /// The loss value.
        output: Tensor<T>,
        /// Per prediction input, or `None` when the implementation computes no gradients.
        gradients: Option<Gradients<T>>,
    },
    /// It rejected the call, with this class and native message.
    Error(LossError),
    /// It lacks what the case needs.
    Unsupported {
        /// Why.
        reason: String,
        /// The upstream issue, if any.
        issue: Option<String>,
    },
}

/// Reads the answer to request `seq`.
pub fn answer<T: Scalar>(line: &[u8], seq: u64) -> Result<Answer<T>, String> {
    let value = object(line)?;
    match value.get("seq").and_then(Value::as_u64) {
        Some(answered) if answered == seq => {}
        Some(answered) => return Err(format!("answered seq {answered} to request seq {seq}")),
        None => return Err("the answer has no integer 'seq'".into()),
    }
    if let Some(error) = value.get("error") {
        let kind = error
            .get("kind")
            .and_then(Value::as_str)
            .ok_or("'error' has no string 'kind'")?;
        let kind = ErrorKind::from_name(kind).ok_or(format!(
            "error kind {kind:?} is none of invalid_shape, invalid_value, invalid_parameter"
        ))?;
        let message = error.get("message").and_then(Value::as_str).unwrap_or("");
        return Ok(Answer::Error(LossError {
            kind,
            message: message.to_owned(),
        }));
    }
    if let Some(unsupported) = value.get("unsupported") {
        let reason = unsupported
            .get("reason")
            .and_then(Value::as_str)
            .ok_or("'unsupported' has no string 'reason'")?;
        let issue = unsupported
            .get("issue")
            .and_then(Value::as_str)
            .map(str::to_owned);
        return Ok(Answer::Unsupported {
            reason: reason.to_owned(),
            issue,
        });
    }
    let output = value
        .get("output")
        .ok_or("the answer has none of 'output', 'error', 'unsupported'")?;
    let output = tensor::<T>(output).map_err(|e| format!("output: {e}"))?;
    let gradients = match value.get("gradients") {
        None | Some(Value::Null) => None,
        Some(Value::Object(map)) => Some(
            map.iter()
                .map(|(name, t)| {
                    Ok((
                        name.clone(),
                        tensor::<T>(t).map_err(|e| format!("gradient '{name}': {e}"))?,
                    ))
                })
                .collect::<Result<BTreeMap<_, _>, String>>()?,
        ),
        Some(_) => return Err("'gradients' must be an object".into()),
    };
    Ok(Answer::Output { output, gradients })
}

/// A float tensor of the answer, which must be in `T`'s dtype.
fn tensor<T: Scalar>(value: &Value) -> Result<Tensor<T>, String> {
    let dtype = value
        .get("dtype")
        .and_then(Value::as_str)
        .ok_or("a tensor has no string 'dtype'")?;
    if dtype != dtype_name(T::DTYPE) {
        return Err(format!(
            "a {dtype} tensor where {} was asked for",
            dtype_name(T::DTYPE)
        ));
    }
    let shape: Vec<usize> = value
        .get("shape")
        .and_then(Value::as_array)
        .ok_or("a tensor has no 'shape' list")?
        .iter()
        .map(|d| d.as_u64().and_then(|d| usize::try_from(d).ok()))
        .collect::<Option<_>>()
        .ok_or("a tensor's shape must be non-negative integers")?;
    let data = value
        .get("data")
        .and_then(Value::as_str)
        .ok_or("a tensor has no string 'data'")?;
    let bytes = base64::decode(data)?;
    let width = T::WIRE_WIDTH;
    let numel = shape
        .iter()
        .try_fold(1usize, |n, &d| n.checked_mul(d))
        .ok_or("a tensor's shape overflows")?;
    if bytes.len() != numel.saturating_mul(width) {
        return Err(format!(
            "shape {shape:?} of {dtype} needs {} bytes of data, not {}",
            numel.saturating_mul(width),
            bytes.len()
        ));
    }
    let values: Vec<T> = bytes.chunks_exact(width).map(T::read_wire).collect();
    Tensor::new(shape, values).map_err(|e| e.to_string())
}

/// `line` as a JSON object.
fn object(line: &[u8]) -> Result<Map<String, Value>, String> {
    let text = std::str::from_utf8(line).map_err(|_| "a line that is not UTF-8".to_owned())?;
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(format!(
            "a line that is not a JSON object: {}",
            preview(text)
        )),
        Err(e) => Err(format!("a line that is not JSON ({e}): {}", preview(text))),
    }
}

/// The start of `text`, for a message.
fn preview(text: &str) -> String {
    const MAX: usize = 200;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{:?}… ({} bytes)", &text[..cut], text.len()),
        None => format!("{text:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float64_tensors_cross_bit_for_bit() {
        let nan_with_payload = f64::from_bits(0x7ff8_dead_beef_0001);
        let values = vec![
            -0.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            nan_with_payload,
            5e-324,
            0.1,
        ];
        let tensor = Tensor::new(vec![2, 3], values.clone()).unwrap();
        let wire = float_tensor(&tensor);
        let back: Tensor<f64> = super::tensor(&wire).unwrap();
        assert_eq!(back.shape(), &[2, 3]);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(back.data()), bits(&values));
    }

    #[test]
    fn float32_tensors_cross_bit_for_bit() {
        let values = vec![-0.0f32, f32::from_bits(0x7fc0_1234), 1e-45, f32::MAX];
        let tensor = Tensor::new(vec![4], values.clone()).unwrap();
        let back: Tensor<f32> = super::tensor(&float_tensor(&tensor)).unwrap();
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(back.data()), bits(&values));
    }

    #[test]
    fn float16_tensors_cross_bit_for_bit() {
        use half::f16;
        // -0, a NaN with a payload, a signalling NaN, ±inf, the smallest subnormal, the
        // largest subnormal, the smallest normal, 1, 1 + ulp, the largest finite.
        let bits: Vec<u16> = vec![
            0x8000, 0x7e01, 0x7c01, 0x7c00, 0xfc00, 0x0001, 0x03ff, 0x0400, 0x3c00, 0x3c01, 0x7bff,
        ];
        let values: Vec<f16> = bits.iter().map(|&b| f16::from_bits(b)).collect();
        let tensor = Tensor::new(vec![bits.len()], values).unwrap();
        let wire = float_tensor(&tensor);
        assert_eq!(wire["dtype"], "float16");
        // Two bytes each, little-endian: 1.0 is 0x3c00, bytes 00 3c.
        let raw = base64::decode(wire["data"].as_str().unwrap()).unwrap();
        assert_eq!(raw.len(), 2 * bits.len());
        assert_eq!(&raw[16..18], &[0x00, 0x3c]);
        let back: Tensor<f16> = super::tensor(&wire).unwrap();
        let back_bits: Vec<u16> = back.data().iter().map(|x| x.to_bits()).collect();
        assert_eq!(back_bits, bits);
    }

    #[test]
    fn bfloat16_tensors_cross_bit_for_bit() {
        use half::bf16;
        // -0, a NaN with a payload, a signalling NaN, ±inf, the smallest subnormal, the
        // smallest normal, 1, 1 + ulp, the largest finite, and 1e-44 (a subnormal in f32 too).
        let bits: Vec<u16> = vec![
            0x8000, 0x7fc1, 0x7f81, 0x7f80, 0xff80, 0x0001, 0x0080, 0x3f80, 0x3f81, 0x7f7f, 0x0007,
        ];
        let values: Vec<bf16> = bits.iter().map(|&b| bf16::from_bits(b)).collect();
        let tensor = Tensor::new(vec![bits.len()], values).unwrap();
        let wire = float_tensor(&tensor);
        assert_eq!(wire["dtype"], "bfloat16");
        // The upper half of the f32: 1.0f32 is 0x3f80_0000, on the wire 80 3f.
        let raw = base64::decode(wire["data"].as_str().unwrap()).unwrap();
        assert_eq!(&raw[14..16], &[0x80, 0x3f]);
        // (NaNs aside: `bf16::to_f32` sets the quiet bit.)
        let numbers = tensor.data().iter().zip(raw.chunks_exact(2));
        for (value, pair) in numbers.filter(|(value, _)| !value.is_nan()) {
            let upper = u32::from(u16::from_le_bytes([pair[0], pair[1]])) << 16;
            assert_eq!(upper, value.to_f32().to_bits());
        }
        let back: Tensor<bf16> = super::tensor(&wire).unwrap();
        let back_bits: Vec<u16> = back.data().iter().map(|x| x.to_bits()).collect();
        assert_eq!(back_bits, bits);
    }

    #[test]
    fn a_half_tensor_is_not_read_as_the_other_half() {
        let wire = float_tensor(&Tensor::new(vec![1], vec![half::f16::ONE]).unwrap());
        assert!(super::tensor::<half::bf16>(&wire)
            .unwrap_err()
            .contains("a float16 tensor where bfloat16 was asked for"));
        let mut short = wire.clone();
        short["shape"] = json!([2]);
        assert!(super::tensor::<half::f16>(&short)
            .unwrap_err()
            .contains("needs 4 bytes"));
    }

    #[test]
    fn a_tensor_of_the_wrong_dtype_or_size_is_refused() {
        let wire = float_tensor(&Tensor::new(vec![2], vec![1.0f64, 2.0]).unwrap());
        assert!(super::tensor::<f32>(&wire).unwrap_err().contains("float64"));
        let mut short = wire.clone();
        short["shape"] = json!([3]);
        assert!(super::tensor::<f64>(&short)
            .unwrap_err()
            .contains("needs 24 bytes"));
    }

    #[test]
    fn non_finite_float_parameters_are_tagged() {
        assert_eq!(param(&Param::Float(f64::NAN)), json!({"float": "nan"}));
        assert_eq!(
            param(&Param::Float(-f64::INFINITY)),
            json!({"float": "-inf"})
        );
        assert_eq!(param(&Param::Float(0.1)).to_string(), "0.1");
        assert_eq!(param(&Param::Float(-0.0)).to_string(), "-0.0");
    }

    #[test]
    fn answers_are_checked() {
        assert!(answer::<f64>(br#"{"seq": 2, "output": 1}"#, 3)
            .unwrap_err()
            .contains("seq 2"));
        assert!(answer::<f64>(b"not json", 1)
            .unwrap_err()
            .contains("not JSON"));
        let error = answer::<f64>(
            br#"{"seq": 1, "error": {"kind": "invalid_value", "message": "no"}}"#,
            1,
        );
        assert_eq!(
            error.unwrap(),
            Answer::Error(LossError::invalid_value("no"))
        );
        let unsupported = answer::<f64>(br#"{"seq": 1, "unsupported": {"reason": "r"}}"#, 1);
        assert_eq!(
            unsupported.unwrap(),
            Answer::Unsupported {
                reason: "r".into(),
                issue: None
            }
        );
    }
}
