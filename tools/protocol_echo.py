"""An implementation that computes nothing: it answers every request with a 0-d zero and a zero
gradient per requested input, in the request's dtype. Run through the process protocol
(spec/protocol.md), its time per case is the protocol's own cost: the harness encoding the
request, the pipe, the Python package decoding the tensors into NumPy and encoding the answer, the
harness decoding it. `tools/bench protocol` measures it; every check fails, by design.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "python"))

import numpy as np  # noqa: E402

import lossparity  # noqa: E402


class Echo(lossparity.Implementation):
    name = "echo"
    version = "1"
    language = "python"
    dtypes = ["float64", "float32"]

    def run(self, request: lossparity.Request) -> lossparity.Output:
        dtype = np.float64 if request.dtype == "float64" else np.float32
        gradients = {name: np.zeros_like(request.inputs[name]) for name in request.gradients}
        return lossparity.Output(np.zeros((), dtype), gradients)


if __name__ == "__main__":
    lossparity.serve(Echo())
