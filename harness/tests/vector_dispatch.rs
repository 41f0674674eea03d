//! The reference's vector-dispatched loops (AVX-512 or AVX2 builds of its kernels, chosen at
//! run time) give the same bits as its portable build, on every bundled case: outputs,
//! gradients and errors. On a CPU without AVX2 both runs take the portable path and the test
//! shows nothing; the README's CI machine has AVX-512.

use lossparity::__private::loader::load_bundled;
use lossparity::__private::Spec;
use lossparity::{Adapter, Call, Reference, Support};
use lossparity_reference::__private::portable_only;

/// A result as bits: every element's bit pattern, or the error's kind.
fn output_bits(call: &Call<'_, f64>) -> Result<Vec<u64>, String> {
    Reference
        .forward(call)
        .map(|t| t.data().iter().map(|v| v.to_bits()).collect())
        .map_err(|e| format!("{:?}", e.kind))
}

fn gradient_bits(call: &Call<'_, f64>) -> Result<Vec<(String, Vec<u64>)>, String> {
    Reference
        .gradient(call)
        .map(|gradients| {
            let bits = |t: &lossparity::Tensor| t.data().iter().map(|v| v.to_bits()).collect();
            gradients
                .iter()
                .map(|(name, t)| (name.to_string(), bits(t)))
                .collect()
        })
        .map_err(|e| format!("{:?}", e.kind))
}

#[test]
fn dispatched_and_portable_builds_agree_bit_for_bit_on_every_case() {
    let spec = Spec::bundled();
    let loaded = load_bundled(spec);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let (mut outputs, mut gradients) = (0, 0);
    for case in &loaded.cases {
        let loss = spec.get(&case.loss).expect("every bundled case has a spec");
        let call = lossparity::__private::new_call(case, loss);
        if !matches!(Reference.supports(&call), Support::Supported) {
            continue;
        }
        let id = case.id();
        assert_eq!(
            output_bits(&call),
            portable_only(|| output_bits(&call)),
            "{id}: output"
        );
        outputs += 1;
        if matches!(Reference.supports_gradient(&call), Support::Supported) {
            assert_eq!(
                gradient_bits(&call),
                portable_only(|| gradient_bits(&call)),
                "{id}: gradients"
            );
            gradients += 1;
        }
    }
    // Every bundled case, so a change that silently skipped them would fail here.
    assert!(outputs >= 1800, "only {outputs} outputs compared");
    assert!(gradients >= 1000, "only {gradients} gradients compared");
}
