"""The protocol loop and its messages (spec/protocol.md, version 1)."""

from __future__ import annotations

import base64
import contextlib
import json
import math
import sys
import traceback
from dataclasses import dataclass, field
from typing import IO, Any

import numpy as np

VERSIONS = (1,)
ERROR_KINDS = ("invalid_shape", "invalid_value", "invalid_parameter")
# Each wire dtype's NumPy dtype. bfloat16, which NumPy lacks, is carried as its raw 16 bits and
# handed to an adapter as float32 (see decode_tensor).
_WIRE_DTYPES = {
    "float64": "<f8",
    "float32": "<f4",
    "float16": "<f2",
    "bfloat16": "<u2",
    "int64": "<i8",
}


class Unsupported(Exception):
    """Raised by `Implementation.run`: the framework lacks what the case needs. The case is
    reported as ignored with `reason` (and the upstream `issue`, if given)."""

    def __init__(self, reason: str, issue: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.issue = issue


class Rejected(Exception):
    """Raised by `Implementation.run`: the framework rejected the call, with the error class
    PyTorch raises for it (one of ERROR_KINDS) and the framework's own message."""

    def __init__(self, kind: str, message: str):
        if kind not in ERROR_KINDS:
            raise ValueError(f"error kind {kind!r} is none of {ERROR_KINDS}")
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass
class Output:
    """The loss (a NumPy array or scalar in the request's dtype) and, if asked for, the gradient
    of its sum with respect to each input the request names. For `bfloat16`, give float32
    arrays (ideally holding bfloat16 values already); they are rounded to bfloat16 to the
    nearest, ties to even (`round_to_bfloat16`)."""

    output: Any
    gradients: dict[str, Any] | None = None


@dataclass
class Request:
    """One case: the loss's `torch.nn.functional` name, the dtype to compute in (`float64`,
    `float32`, `float16` or `bfloat16`), its tensors as NumPy arrays, every parameter with
    PyTorch's default filled in, and the inputs whose gradients are wanted. A `bfloat16` tensor
    arrives as a float32 array holding its exact values (NumPy has no bfloat16)."""

    seq: int
    loss: str
    dtype: str
    inputs: dict[str, np.ndarray]
    params: dict[str, Any]
    gradients: list[str] = field(default_factory=list)


class Implementation:
    """What an adapter author writes: a description of the framework and `run`."""

    name: str = ""
    version: str = ""
    language: str = "python"
    dtypes: tuple[str, ...] | list[str] = ("float64",)
    losses: list[str] | None = None
    homepage: str | None = None
    issues: str | None = None

    def run(self, request: Request) -> Output:
        """Computes one case; raises `Unsupported` or `Rejected` where that is the answer."""
        raise NotImplementedError


def decode_tensor(wire: dict) -> np.ndarray:
    """A wire tensor as a NumPy array of its dtype, bit for bit. A `bfloat16` tensor, which NumPy
    has no dtype for, becomes a float32 array holding the same values exactly: each element's
    16 bits are the upper half of its float32 (a lossless widening; `encode_tensor` gives the
    same bits back)."""
    dtype = _WIRE_DTYPES.get(wire.get("dtype"))
    if dtype is None:
        raise ValueError(f"tensor dtype {wire.get('dtype')!r} is none of {list(_WIRE_DTYPES)}")
    data = np.frombuffer(base64.b64decode(wire["data"], validate=True), dtype=dtype)
    if wire["dtype"] == "bfloat16":
        data = (data.astype("<u4") << 16).view("<f4")
    return data.reshape(wire["shape"]).copy()


def encode_tensor(value: Any, dtype: str) -> dict:
    """A NumPy array (or scalar) as a wire tensor of `dtype`. For `bfloat16`, the value is taken
    as float32 and rounded to bfloat16 (`round_to_bfloat16`); a float32 array that holds
    bfloat16 values, as `decode_tensor` gives, crosses unchanged."""
    # Not np.ascontiguousarray: it makes a 0-d array 1-d.
    if dtype == "bfloat16":
        array = bfloat16_bits(value)
    else:
        array = np.asarray(value, dtype=_WIRE_DTYPES[dtype])
    data = base64.b64encode(array.tobytes(order="C")).decode("ascii")
    return {"dtype": dtype, "shape": list(array.shape), "data": data}


def bfloat16_bits(value: Any) -> np.ndarray:
    """The bfloat16 nearest each element of `value` (taken as float32), as its 16 bits
    (`<u2`): round to nearest, ties to even, on the float32's bits, as PyTorch's
    `.to(torch.bfloat16)` does. Finite values beyond bfloat16's largest (3.39e38) round to
    ±inf; infinities stay. A NaN keeps its sign and upper bits, with the quiet bit set if
    truncation would otherwise leave no payload (an infinity's bits), so a bfloat16 NaN,
    payload and all, crosses unchanged."""
    bits = np.asarray(value, dtype="<f4").view("<u4").astype(np.uint64)
    upper = bits >> 16
    rounded = (bits + 0x7FFF + (upper & 1)) >> 16
    nan = (bits & 0x7FFF_FFFF) > 0x7F80_0000
    nan_bits = np.where((upper & 0x7F) == 0, upper | 0x40, upper)
    return np.where(nan, nan_bits, rounded).astype("<u2")


def round_to_bfloat16(value: Any) -> np.ndarray:
    """`value` (taken as float32) rounded to the nearest bfloat16, ties to even, as a float32
    array holding the bfloat16 values: what an adapter that computes in float32 with NumPy does
    to give a bfloat16 answer (`encode_tensor` does it too)."""
    return (bfloat16_bits(value).astype("<u4") << 16).view("<f4")


def _param(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"float"}:
        return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}[value["float"]]
    return value


def _hello(implementation: Implementation, request: dict) -> dict:
    common = [v for v in request.get("versions", []) if v in VERSIONS]
    if not common:
        return {"error": f"this implementation speaks protocol versions {list(VERSIONS)}, not {request.get('versions')}"}
    described = {
        "name": implementation.name,
        "version": implementation.version,
        "language": implementation.language,
        "dtypes": list(implementation.dtypes),
    }
    for key in ("losses", "homepage", "issues"):
        value = getattr(implementation, key)
        if value is not None:
            described[key] = list(value) if key == "losses" else value
    return {"protocol": max(common), "implementation": described}


def _answer(implementation: Implementation, message: dict) -> dict:
    request = Request(
        seq=message["seq"],
        loss=message["loss"],
        dtype=message["dtype"],
        inputs={name: decode_tensor(t) for name, t in message["inputs"].items()},
        params={name: _param(v) for name, v in message["params"].items()},
        gradients=list(message.get("gradients", [])),
    )
    try:
        result = implementation.run(request)
    except Unsupported as exc:
        unsupported = {"reason": exc.reason}
        if exc.issue:
            unsupported["issue"] = exc.issue
        return {"seq": request.seq, "unsupported": unsupported}
    except Rejected as exc:
        return {"seq": request.seq, "error": {"kind": exc.kind, "message": exc.message}}
    answer: dict[str, Any] = {"seq": request.seq, "output": encode_tensor(result.output, request.dtype)}
    if result.gradients is not None:
        answer["gradients"] = {
            name: encode_tensor(grad, request.dtype) for name, grad in result.gradients.items()
        }
    return answer


def serve(implementation: Implementation, stdin: IO[str] | None = None, stdout: IO[str] | None = None) -> None:
    """Answers requests from `stdin` on `stdout` until `stop` or end of input. While a case
    runs, `sys.stdout` is stderr, so a stray print cannot break the protocol. An exception other
    than `Unsupported` or `Rejected` is an adapter bug: its traceback goes to stderr and the
    process exits with status 1 (the harness fails the case with that traceback)."""
    stdin = stdin or sys.stdin
    out = stdout or sys.stdout
    for line in stdin:
        if not line.strip():
            continue
        message = json.loads(line)
        command = message.get("cmd")
        if command == "stop":
            return
        try:
            with contextlib.redirect_stdout(sys.stderr):
                if command == "start":
                    answer = _hello(implementation, message)
                elif command == "run":
                    answer = _answer(implementation, message)
                else:
                    raise ValueError(f"unknown command {command!r}")
        except Exception:  # noqa: BLE001 - reported, then the process ends
            traceback.print_exc(file=sys.stderr)
            sys.exit(1)
        out.write(json.dumps(answer, separators=(",", ":")) + "\n")
        out.flush()
        if "error" in answer and command == "start":
            return
