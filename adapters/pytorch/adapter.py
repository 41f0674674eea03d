"""PyTorch itself, live, through the process protocol (spec/protocol.md): the oracle the cases
come from, run as an implementation under test, in float64, float32, float16 and bfloat16.

It calls PyTorch exactly as the case generator does (tools/generate.py): the same
`torch.nn.functional` function with the same keyword arguments (a loss's `torch_kwargs` in
tools/cases/<loss>.py turns a distance function's name into the function), autograd for the
gradients, and the same patterns to classify an exception into its error class. It is therefore
also what fills a user's input-only case file with PyTorch's values (`lossparity fill`).

    lossparity run --exec 'python3 adapters/pytorch/adapter.py' [--dtype f32|f16|bf16]

In float16 and bfloat16 it computes on the CPU as PyTorch does (some kernels accumulate in
float32 internally). NumPy has no bfloat16: the package hands this adapter bfloat16 inputs as
float32 arrays holding the bfloat16 values, which `.to(torch.bfloat16)` converts exactly, and
takes back float32 arrays holding the bfloat16 results. A kernel PyTorch lacks for a half type
("... not implemented for 'Half'") is reported as unsupported, with PyTorch's message.
"""

from __future__ import annotations

import re
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "python"), str(ROOT / "tools")]

import numpy as np  # noqa: E402
import torch  # noqa: E402

import generate  # noqa: E402  (tools/generate.py: error classes and per-loss keyword arguments)
import lossparity  # noqa: E402

TORCH_DTYPES = {
    "float64": torch.float64,
    "float32": torch.float32,
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
}

# PyTorch's message for a CPU kernel it has not built for a half type.
NOT_IMPLEMENTED_FOR_HALF = re.compile(r"not implemented for '(Half|BFloat16)'")


class Torch(lossparity.Implementation):
    name = "torch"
    version = torch.__version__.split("+")[0]
    language = "python"
    dtypes = list(TORCH_DTYPES)
    homepage = "https://pytorch.org"
    issues = "https://github.com/pytorch/pytorch/issues"

    def run(self, request: lossparity.Request) -> lossparity.Output:
        function = getattr(torch.nn.functional, request.loss, None)
        if function is None:
            raise lossparity.Unsupported(f"torch.nn.functional has no {request.loss}")
        dtype = TORCH_DTYPES[request.dtype]
        tensors = {}
        for name, array in request.inputs.items():
            tensor = torch.from_numpy(array)
            if tensor.is_floating_point():
                # Exact: the arrays hold values of the dtype (bfloat16 ones as float32).
                tensor = tensor.to(dtype)
            if name in request.gradients:
                tensor.requires_grad_(True)
            tensors[name] = tensor
        params = dict(request.params)
        torch_kwargs = getattr(generate.definition_module(request.loss), "torch_kwargs", None)
        if torch_kwargs is not None:
            params = torch_kwargs(params)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                output = function(**tensors, **params)
            except Exception as exc:  # noqa: BLE001 - classified, or the adapter stops
                unsupported_in_half(exc)
                kind = generate.classify(exc, f"{request.loss} case {request.seq}", request.loss)
                raise lossparity.Rejected(kind, f"{type(exc).__name__}: {exc}") from None
            gradients = None
            if request.gradients:
                try:
                    output.sum().backward()
                except Exception as exc:  # noqa: BLE001 - a half kernel PyTorch lacks, or a bug
                    unsupported_in_half(exc)
                    raise
                gradients = {
                    name: grad_of(tensors[name]) for name in request.gradients
                }
        return lossparity.Output(to_numpy(output), gradients)


def unsupported_in_half(exc: Exception) -> None:
    """Raises `Unsupported` with PyTorch's message if `exc` says a kernel has no half version."""
    if NOT_IMPLEMENTED_FOR_HALF.search(str(exc)):
        raise lossparity.Unsupported(
            f"PyTorch {Torch.version} on the CPU: {type(exc).__name__}: {exc}"
        ) from None


def to_numpy(tensor: torch.Tensor) -> np.ndarray:
    """`tensor` as a NumPy array of its dtype; bfloat16, which NumPy lacks, as float32 (exact)."""
    tensor = tensor.detach()
    if tensor.dtype == torch.bfloat16:
        tensor = tensor.to(torch.float32)
    return tensor.numpy()


def grad_of(tensor: torch.Tensor) -> np.ndarray:
    """The gradient autograd left on `tensor`: zeros where the output does not depend on it."""
    if tensor.grad is None:
        return to_numpy(torch.zeros_like(tensor.detach()))
    return to_numpy(tensor.grad)


if __name__ == "__main__":
    torch.set_num_threads(1)
    lossparity.serve(Torch())
