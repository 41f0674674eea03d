//! The contract between the suite and an implementation under test (`spec/adapter-contract.md`).

use std::collections::BTreeMap;

use lossparity_reference::{LossError, Tensor};
use num_traits::Float;

use crate::case::{Case, Param, Value};
use crate::spec::LossSpec;

/// A floating-point type an implementation computes in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Dtype {
    /// IEEE 754 binary32, Rust's `f32`, PyTorch's `torch.float32`.
    F32,
    /// IEEE 754 binary64, Rust's `f64`, PyTorch's `torch.float64`.
    F64,
    /// IEEE 754 binary16 (11-bit significand), [`half::f16`], PyTorch's `torch.float16`.
    F16,
    /// bfloat16, the upper 16 bits of a binary32 (8-bit significand, f32's exponent range),
    /// [`half::bf16`], PyTorch's `torch.bfloat16`.
    BF16,
}

impl Dtype {
    /// The dtype's short name, as in trial kinds and reports: `f32`, `f64`, `f16`, `bf16`.
    pub fn name(self) -> &'static str {
        match self {
            Dtype::F32 => "f32",
            Dtype::F64 => "f64",
            Dtype::F16 => "f16",
            Dtype::BF16 => "bf16",
        }
    }

    /// The value an implementation computing in this dtype receives for `value`: rounded to
    /// the nearest value of the dtype ([`Scalar::round_from_f64`]) and widened back to f64
    /// exactly. Beyond the dtype's range, an infinity.
    pub fn round(self, value: f64) -> f64 {
        match self {
            Dtype::F64 => value,
            Dtype::F32 => f64::from(f32::round_from_f64(value)),
            Dtype::F16 => half::f16::round_from_f64(value).to_f64(),
            Dtype::BF16 => half::bf16::round_from_f64(value).to_f64(),
        }
    }

    /// The dtype's largest finite value: 3.4028235e38 for f32 and bf16 (3.3895314e38),
    /// 65504 for f16.
    pub(crate) fn max_finite(self) -> f64 {
        match self {
            Dtype::F64 => f64::MAX,
            Dtype::F32 => f64::from(f32::MAX),
            Dtype::F16 => half::f16::MAX.to_f64(),
            Dtype::BF16 => half::bf16::MAX.to_f64(),
        }
    }

    /// The unit roundoff `u`, half the distance from 1 to the next value: the largest
    /// relative error of one correctly rounded operation on normal numbers.
    /// 2^-53 for f64, 2^-24 for f32, 2^-11 for f16, 2^-8 for bf16.
    pub fn unit_roundoff(self) -> f64 {
        0.5f64.powi(self.significand_bits() as i32)
    }

    /// The bits of the significand, the implicit one included: 53, 24, 11, 8.
    pub(crate) fn significand_bits(self) -> u32 {
        match self {
            Dtype::F64 => 53,
            Dtype::F32 => 24,
            Dtype::F16 => 11,
            Dtype::BF16 => 8,
        }
    }

    /// The smallest positive (subnormal) value, the spacing of the dtype's values near zero:
    /// 2^-1074, 2^-149, 2^-24 for f16, 2^-133 for bf16.
    pub(crate) fn smallest_step(self) -> f64 {
        match self {
            Dtype::F64 => f64::from_bits(1),
            Dtype::F32 => f64::from(f32::from_bits(1)),
            Dtype::F16 => half::f16::from_bits(1).to_f64(),
            Dtype::BF16 => half::bf16::from_bits(1).to_f64(),
        }
    }

    /// `value`, or the infinity of its sign where it lies beyond the dtype's range: what a
    /// result tensor of this dtype holds for a result that large (values up to the rounding
    /// threshold above the largest finite value stay finite, as rounding keeps them).
    pub(crate) fn overflowed(self, value: f64) -> f64 {
        if value.is_finite() && self.round(value).is_infinite() {
            value.signum() * f64::INFINITY
        } else {
            value
        }
    }
}

impl std::fmt::Display for Dtype {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

pub(crate) mod sealed {
    /// What the harness needs of a scalar type beyond [`num_traits::Float`], kept out of the
    /// public API: its bytes on the process protocol's wire, bit for bit.
    pub trait Sealed: Sized {
        /// The bytes of one value on the wire.
        const WIRE_WIDTH: usize;
        /// Appends the value's IEEE little-endian bytes.
        fn write_wire(self, out: &mut Vec<u8>);
        /// The value of `WIRE_WIDTH` little-endian bytes.
        fn read_wire(bytes: &[u8]) -> Self;
    }

    macro_rules! sealed {
        ($($t:ty: $width:literal),*) => {$(
            impl Sealed for $t {
                const WIRE_WIDTH: usize = $width;
                fn write_wire(self, out: &mut Vec<u8>) {
                    out.extend(self.to_le_bytes());
                }
                fn read_wire(bytes: &[u8]) -> Self {
                    <$t>::from_le_bytes(bytes.try_into().expect(concat!($width, " bytes")))
                }
            }
        )*};
    }
    sealed!(f32: 4, f64: 8, half::f16: 2, half::bf16: 2);
}

/// The scalar type an implementation computes in: `f64`, `f32`, [`half::f16`] or
/// [`half::bf16`] (re-exported as [`crate::half`], so an adapter uses the same version).
///
/// Sealed: the suite judges each dtype under its own tolerances (`spec/tolerances.md`), so
/// only the dtypes it knows can be used.
pub trait Scalar: Float + Send + Sync + std::fmt::Debug + 'static + sealed::Sealed {
    /// Which dtype this is.
    const DTYPE: Dtype;

    /// The value of this type nearest `value`, as a case's f64 inputs are converted: an `as`
    /// cast for `f32`, [`half::f16::from_f64`] and [`half::bf16::from_f64`] for the half types
    /// (not [`num_traits::NumCast`], whose half implementations convert through `f32` first).
    /// Round to nearest, ties to even; beyond the type's range, an infinity. One fine point:
    /// `half` decides a tie on the upper 32 bits of the f64 (or, for f16 on x86 with F16C,
    /// through `f32`), so an f64 within about 2^-32 relative of a halfway point rounds as the
    /// halfway point does. PyTorch's `.to(torch.float16)` and `.to(torch.bfloat16)` of a
    /// float64 tensor round through float32 and agree (`1 + 2^-11 + 2^-40` becomes `1.0` in
    /// both), where NumPy's correctly rounded `astype(np.float16)` gives `1 + 2^-10`.
    fn round_from_f64(value: f64) -> Self;
}

impl Scalar for f64 {
    const DTYPE: Dtype = Dtype::F64;
    fn round_from_f64(value: f64) -> Self {
        value
    }
}

impl Scalar for f32 {
    const DTYPE: Dtype = Dtype::F32;
    fn round_from_f64(value: f64) -> Self {
        value as f32
    }
}

impl Scalar for half::f16 {
    const DTYPE: Dtype = Dtype::F16;
    fn round_from_f64(value: f64) -> Self {
        half::f16::from_f64(value)
    }
}

impl Scalar for half::bf16 {
    const DTYPE: Dtype = Dtype::BF16;
    fn round_from_f64(value: f64) -> Self {
        half::bf16::from_f64(value)
    }
}

/// Gradients an adapter computes: one tensor per prediction input, keyed by its name.
pub type Gradients<T> = BTreeMap<String, Tensor<T>>;

/// Whether an adapter can run a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Support {
    /// The adapter runs the case; its result is checked.
    Supported,
    /// The adapter lacks this loss, parameter, reduction or shape; the case is reported as
    /// ignored with this reason (never as passed).
    Unsupported(String),
}

/// An implementation under test.
///
/// An adapter maps a [`Call`] (a loss name, its tensors in the adapter's scalar type, and its
/// parameters with PyTorch's defaults filled in) onto the implementation. It must map
/// honestly: a parameter or shape the implementation lacks is [`Support::Unsupported`]; one
/// it offers and computes differently is a failure to be seen.
pub trait Adapter: Send + Sync + 'static {
    /// The scalar type the implementation computes in.
    type Scalar: Scalar;

    /// A short name for trial names and reports, e.g. `reference` or `candle`.
    fn name(&self) -> &str;

    /// Whether this adapter can run `call`; asked before [`Adapter::forward`].
    fn supports(&self, call: &Call<'_, Self::Scalar>) -> Support;

    /// Computes the loss: the reduced 0-d value, or the per-element tensor for `none`.
    /// An argument the loss rejects is an `Err` of the class PyTorch raises.
    fn forward(&self, call: &Call<'_, Self::Scalar>) -> Result<Tensor<Self::Scalar>, LossError>;

    /// Whether this adapter computes gradients for `call`; asked before [`Adapter::gradient`].
    /// By default it computes none, and every gradient trial is reported as ignored, so a
    /// forward-only implementation is never failed for lacking autograd.
    fn supports_gradient(&self, call: &Call<'_, Self::Scalar>) -> Support {
        let _ = call;
        Support::Unsupported("the adapter computes no gradients".into())
    }

    /// The gradient of `output.sum()` with respect to the prediction inputs (`input`,
    /// `input1`, `var`, …), each with its input's shape, keyed by the input's name.
    ///
    /// # Panics
    /// The default panics: an adapter that says it supports gradients must compute them.
    fn gradient(
        &self,
        call: &Call<'_, Self::Scalar>,
    ) -> Result<Gradients<Self::Scalar>, LossError> {
        let _ = call;
        panic!("supports_gradient() admitted the case but gradient() is not implemented")
    }
}

/// A tensor argument converted to the adapter's scalar type.
#[derive(Clone, Debug, PartialEq)]
pub enum Input<T> {
    /// A floating-point tensor.
    Float(Tensor<T>),
    /// An integer tensor (class indices).
    Int(Tensor<i64>),
}

impl From<Value> for Input<f64> {
    fn from(value: Value) -> Self {
        match value {
            Value::Float(t) => Input::Float(t),
            Value::Int(t) => Input::Int(t),
        }
    }
}

/// One loss invocation, as an adapter sees it.
#[derive(Clone, Debug)]
pub struct Call<'a, T> {
    case: &'a Case,
    spec: &'a LossSpec,
    inputs: BTreeMap<&'a str, Input<T>>,
}

impl<'a, T: Scalar> Call<'a, T> {
    /// The call for `case`, with its float inputs converted to `T`.
    pub(crate) fn new(case: &'a Case, spec: &'a LossSpec) -> Self {
        let inputs = case
            .inputs
            .iter()
            .map(|(name, value)| {
                let input = match value {
                    Value::Float(t) => Input::Float(t.map(|&v| T::round_from_f64(v))),
                    Value::Int(t) => Input::Int(t.clone()),
                };
                (name.as_str(), input)
            })
            .collect();
        Call { case, spec, inputs }
    }
}

/// The call for `case` with the signature `spec`, for lossparity's own tooling (mutants that
/// call the reference with changed arguments, tests).
pub fn new_call<'a, T: Scalar>(case: &'a Case, spec: &'a LossSpec) -> Call<'a, T> {
    Call::new(case, spec)
}

impl<'a, T> Call<'a, T> {
    /// The `torch.nn.functional` name of the loss.
    pub fn loss(&self) -> &str {
        &self.case.loss
    }

    /// The name of the case this call comes from, unique within its loss (for an adapter's
    /// own diagnostics; an adapter must not compute differently by case name).
    pub fn case_name(&self) -> &str {
        &self.case.name
    }

    /// The case this call comes from (for lossparity's own tooling).
    #[doc(hidden)]
    pub fn case(&self) -> &'a Case {
        self.case
    }

    /// The loss's signature, which supplies the defaults of parameters the case leaves out
    /// (for lossparity's own tooling).
    #[doc(hidden)]
    pub fn spec(&self) -> &'a LossSpec {
        self.spec
    }

    /// Whether `name` is one of the loss's prediction inputs: the inputs PyTorch's autograd
    /// differentiates, which [`Adapter::gradient`] returns gradients for (`input`, `input1`,
    /// `var`, …, as opposed to targets, labels and weights).
    pub fn is_prediction(&self, name: &str) -> bool {
        self.spec
            .input(name)
            .is_some_and(|input| input.role == crate::spec::Role::Prediction)
    }

    /// The input `name` as given, float or integer (for inputs whose dtype is
    /// `index_or_float`, such as `cross_entropy`'s target); `None` if absent.
    pub fn input(&self, name: &str) -> Option<&Input<T>> {
        self.inputs.get(name)
    }

    /// Whether the optional input `name` is present.
    pub fn has_input(&self, name: &str) -> bool {
        self.inputs.contains_key(name)
    }

    /// The float input `name`, or `None` if it is an absent optional input.
    ///
    /// # Panics
    /// If the loss has no float input `name` (an adapter bug; the runner reports it as the
    /// case's failure).
    pub fn float(&self, name: &str) -> Option<&Tensor<T>> {
        match self.inputs.get(name) {
            Some(Input::Float(t)) => Some(t),
            Some(Input::Int(_)) => panic!("{}: input '{name}' is an integer tensor", self.loss()),
            None => {
                self.expect_input(name);
                None
            }
        }
    }

    /// The integer input `name`, or `None` if it is an absent optional input.
    ///
    /// # Panics
    /// If the loss has no integer input `name`.
    pub fn int(&self, name: &str) -> Option<&Tensor<i64>> {
        match self.inputs.get(name) {
            Some(Input::Int(t)) => Some(t),
            Some(Input::Float(_)) => panic!("{}: input '{name}' is a float tensor", self.loss()),
            None => {
                self.expect_input(name);
                None
            }
        }
    }

    /// The float input `name`, which the loss requires.
    ///
    /// # Panics
    /// If the loss has no required float input `name`.
    pub fn required_float(&self, name: &str) -> &Tensor<T> {
        self.float(name)
            .unwrap_or_else(|| panic!("{}: input '{name}' is optional", self.loss()))
    }

    /// The integer input `name`, which the loss requires.
    ///
    /// # Panics
    /// If the loss has no required integer input `name`.
    pub fn required_int(&self, name: &str) -> &Tensor<i64> {
        self.int(name)
            .unwrap_or_else(|| panic!("{}: input '{name}' is optional", self.loss()))
    }

    fn expect_input(&self, name: &str) {
        if self.spec.input(name).is_none() {
            let inputs = self.spec.inputs.iter().map(|i| i.name.as_str());
            let hint = crate::suggest::did_you_mean(name, inputs);
            panic!("{} has no input '{name}'{hint}", self.loss());
        }
    }

    /// Whether the case gives parameter `name` explicitly (as opposed to its default).
    pub fn is_given(&self, name: &str) -> bool {
        self.case.params.contains_key(name)
    }

    /// The parameter `name`: the case's value, or PyTorch's default.
    ///
    /// # Panics
    /// If the loss has no parameter `name`.
    pub fn param(&self, name: &str) -> &Param {
        if let Some(value) = self.case.params.get(name) {
            return value;
        }
        self.default_param(name)
    }

    /// PyTorch's default for parameter `name`, which [`Call::param`] returns when the case
    /// leaves it out; below f64, a float default as the dtype holds it (`eps = 1e-8` is 0 in
    /// f16), as PyTorch's own kernels in that dtype see it.
    ///
    /// # Panics
    /// If the loss has no parameter `name`.
    pub fn default_param(&self, name: &str) -> &'a Param {
        if let Some(rounded) = self.case.rounded_defaults.get(name) {
            return rounded;
        }
        match self.spec.param(name) {
            Some(spec) => &spec.default,
            None => self.no_param(name),
        }
    }

    /// The values PyTorch accepts for parameter `name`, where it accepts only some (such as
    /// `reduction`'s strings); `None` where any value of the parameter's type goes.
    ///
    /// # Panics
    /// If the loss has no parameter `name`.
    pub fn allowed_values(&self, name: &str) -> Option<&'a [Param]> {
        match self.spec.param(name) {
            Some(spec) => spec.allowed.as_deref(),
            None => self.no_param(name),
        }
    }

    fn no_param(&self, name: &str) -> ! {
        let params = self.spec.params.iter().map(|p| p.name.as_str());
        let hint = crate::suggest::did_you_mean(name, params);
        panic!("{} has no parameter '{name}'{hint}", self.loss())
    }

    /// The reduction PyTorch applies to this call: the `reduction` string itself or, when either
    /// legacy argument (`size_average`, `reduce`) is given and not null, `none`, `sum` or
    /// `mean` as `torch.nn._reduction.legacy_get_string` derives them (PyTorch then does not
    /// validate `reduction`; `spec/reductions.md`). Other strings (`elementwise_mean`,
    /// `batchmean`, invalid ones) are returned as given.
    ///
    /// One exception to "legacy arguments win": `kl_div` with `reduction='batchmean'` and a
    /// legacy argument reduces as the legacy arguments say and *then* divides by
    /// `input.size(0)` (`spec/kl_div.md`). This method returns the legacy reduction there;
    /// read `call.str("reduction")` to see the `batchmean`.
    ///
    /// # Panics
    /// If the loss has no `reduction` parameter.
    pub fn reduction(&self) -> &str {
        let legacy = |name: &str| self.case.params.get(name).and_then(Param::as_bool);
        let (size_average, reduce) = (legacy("size_average"), legacy("reduce"));
        if size_average.is_none() && reduce.is_none() {
            return self.str("reduction");
        }
        match lossparity_reference::Reduction::from_legacy(size_average, reduce) {
            lossparity_reference::Reduction::None => "none",
            lossparity_reference::Reduction::Mean => "mean",
            lossparity_reference::Reduction::Sum => "sum",
        }
    }

    /// A boolean parameter.
    ///
    /// # Panics
    /// If `name` is not a boolean parameter of the loss, or is null.
    pub fn bool(&self, name: &str) -> bool {
        self.param(name)
            .as_bool()
            .unwrap_or_else(|| panic!("{}: parameter '{name}' is not a boolean", self.loss()))
    }

    /// A nullable boolean parameter such as the legacy `size_average` and `reduce`.
    ///
    /// # Panics
    /// If `name` is not a boolean parameter of the loss.
    pub fn optional_bool(&self, name: &str) -> Option<bool> {
        match self.param(name) {
            Param::Null => None,
            Param::Bool(b) => Some(*b),
            _ => panic!("{}: parameter '{name}' is not a boolean", self.loss()),
        }
    }

    /// A numeric parameter as f64.
    ///
    /// # Panics
    /// If `name` is not a numeric parameter of the loss, or is null.
    pub fn f64(&self, name: &str) -> f64 {
        self.param(name)
            .as_f64()
            .unwrap_or_else(|| panic!("{}: parameter '{name}' is not a number", self.loss()))
    }

    /// An integer parameter such as `ignore_index` or `blank`.
    ///
    /// # Panics
    /// If `name` is not an integer parameter of the loss, or is null.
    pub fn i64(&self, name: &str) -> i64 {
        self.param(name)
            .as_i64()
            .unwrap_or_else(|| panic!("{}: parameter '{name}' is not an integer", self.loss()))
    }

    /// A nullable integer parameter such as `linear_cross_entropy`'s `ignore_index`
    /// (`None` for null).
    ///
    /// # Panics
    /// If `name` is not an integer parameter of the loss.
    pub fn optional_i64(&self, name: &str) -> Option<i64> {
        match self.param(name) {
            Param::Null => None,
            param => Some(param.as_i64().unwrap_or_else(|| {
                panic!("{}: parameter '{name}' is not an integer", self.loss())
            })),
        }
    }

    /// A string parameter such as `reduction`.
    ///
    /// # Panics
    /// If `name` is not a string parameter of the loss, or is null.
    pub fn str(&self, name: &str) -> &str {
        self.param(name)
            .as_str()
            .unwrap_or_else(|| panic!("{}: parameter '{name}' is not a string", self.loss()))
    }
}
