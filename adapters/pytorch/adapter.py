"""PyTorch itself, live, through the process protocol (spec/protocol.md): the oracle the cases
come from, run as an implementation under test, in float64 and float32.

It calls PyTorch exactly as the case generator does (tools/generate.py): the same
`torch.nn.functional` function with the same keyword arguments (a loss's `torch_kwargs` in
tools/cases/<loss>.py turns a distance function's name into the function), autograd for the
gradients, and the same patterns to classify an exception into its error class. It is therefore
also what fills a user's input-only case file with PyTorch's values (`lossparity fill`).

    lossparity run --exec 'python3 adapters/pytorch/adapter.py' [--dtype f32]
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "python"), str(ROOT / "tools")]

import numpy as np  # noqa: E402
import torch  # noqa: E402

import generate  # noqa: E402  (tools/generate.py: error classes and per-loss keyword arguments)
import lossparity  # noqa: E402

TORCH_DTYPES = {"float64": torch.float64, "float32": torch.float32}


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
        tensors = {}
        for name, array in request.inputs.items():
            tensor = torch.from_numpy(array)
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
                kind = generate.classify(exc, f"{request.loss} case {request.seq}", request.loss)
                raise lossparity.Rejected(kind, f"{type(exc).__name__}: {exc}") from None
            gradients = None
            if request.gradients:
                output.sum().backward()
                gradients = {
                    name: grad_of(tensors[name]) for name in request.gradients
                }
        return lossparity.Output(output.detach().numpy(), gradients)


def grad_of(tensor: torch.Tensor) -> np.ndarray:
    """The gradient autograd left on `tensor`: zeros where the output does not depend on it."""
    if tensor.grad is None:
        return torch.zeros_like(tensor.detach()).numpy()
    return tensor.grad.numpy()


if __name__ == "__main__":
    torch.set_num_threads(1)
    lossparity.serve(Torch())
