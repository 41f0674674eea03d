#!/usr/bin/env python3
"""Write and check lossparity's case files. PyTorch decides every expected value.

    python tools/generate.py               regenerate cases/<loss>.yaml for every tools/cases/<loss>.py
    python tools/generate.py kl_div ...    regenerate only the named losses
    python tools/generate.py --check       recompute every cases/**/*.yaml from its own inputs and params,
                                           and confirm each committed file is what its definition module
                                           (and its found cases) generate; exit 1 on any difference, except
                                           that a float may move by up to ULPS_BOUND ulps (the CPU's kernels
                                           decide the last bits); report how many moved and how far
    python tools/generate.py --check --moves    the same, listing every float that moved

Found cases: tools/found/<loss>.yaml holds input-only cases (name, params, inputs; no `expected`),
typically written by `lossparity fuzz` (spec/fuzzing.md). They are emitted after the cases of
tools/cases/<loss>.py in cases/<loss>.yaml, with PyTorch's output and gradients or error class, and
tagged `fuzz`; --check covers them like every other case.

A case is computed like this. Each input becomes a float64 (`dtype: float`) or int64 (`dtype: int`)
tensor, as the loss's signature in spec/<loss>.md says; inputs whose role is `prediction` get
requires_grad. Then `torch.nn.functional.<loss>(**inputs, **params)` runs with warnings suppressed,
and `output.sum().backward()` gives the gradient of each prediction input (zeros if torch leaves it
None). If the call raises, the message is classified by ERROR_PATTERNS into one error class; a
message that no pattern matches stops the run, so nothing is silently misclassified.

Needs Python 3.11 and the packages pinned in tools/requirements.txt.
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import math
import os
import re
import struct
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import torch
import yaml

TOOLS = Path(__file__).resolve().parent
ROOT = TOOLS.parent
SPEC_DIR = ROOT / "spec"
CASES_DIR = ROOT / "cases"
DEFINITIONS_DIR = TOOLS / "cases"
FOUND_DIR = TOOLS / "found"  # input-only cases found by `lossparity fuzz`, emitted after the defined ones
REQUIREMENTS = TOOLS / "requirements.txt"

if str(TOOLS) not in sys.path:  # definition modules import the helpers in tools/casegen.py
    sys.path.insert(0, str(TOOLS))
sys.dont_write_bytecode = True  # leave no __pycache__ in the work tree

SIGNATURE_FENCE = "```yaml signature"

# The closed list of tags: a typo is an error, not a silently new tag.
TAGS = frozenset(
    {
        "basic",  # an ordinary value, nothing special
        "tutorial",  # a worked example that the spec prose walks through
        "reduction",  # a reduction mode
        "legacy",  # the deprecated size_average / reduce arguments
        "param",  # a parameter at a non-default value
        "shape",  # a rank or shape class (0-d, 1-d, 2-d, 3-d)
        "empty",  # a tensor with a zero-size dimension
        "broadcast",  # arguments of different shapes that broadcast
        "nonfinite",  # NaN or infinities in or out
        "clamp",  # a clamp inside the loss decides the value
        "kink",  # exactly at a point where the loss is not differentiable
        "weight",  # a weight or pos_weight tensor
        "target_values",  # target values outside the documented set
        "precision",  # torch's own rounding is visible in the value
        "error",  # the call raises
        "quirk",  # torch behaviour that the documentation does not describe
        "fuzz",  # found by `lossparity fuzz` (tools/found/<loss>.yaml)
    }
)

ERROR_CLASSES = ("invalid_shape", "invalid_value", "invalid_parameter")

# Exception message → error class. The first match wins; an unmatched message aborts generation.
ERROR_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (cls, re.compile(pattern))
    for cls, pattern in [
        ("invalid_parameter", r"is not a valid value for reduction"),
        ("invalid_value", r"all elements of (input|target) should be between 0 and 1"),
        ("invalid_value", r"\bout of range\b"),
        ("invalid_value", r"\bout of bounds\b"),
        ("invalid_shape", r"The size of tensor a \(\d+\) must match the size of tensor b \(\d+\)"),
        ("invalid_shape", r"Using a target size \(.*\) that is different to the input size"),
        ("invalid_shape", r"Target size \(.*\) must be the same as input size"),
        ("invalid_shape", r"All input tensors should have same dimension"),
        ("invalid_shape", r"inconsistent target size"),
        ("invalid_shape", r"Expected non-empty vector or matrix"),
        ("invalid_shape", r"doesn't match the broadcast shape"),
        ("invalid_shape", r"Attempting to broadcast a dimension"),
        ("invalid_shape", r"shape .* is invalid for input of size|shape mismatch"),
    ]
]

DTYPES = {"float": torch.float64, "int": torch.int64}
# `index_or_float` (cross_entropy's target): integer literals make class indices (int64), any float
# literal makes probabilities (float64); an empty tensor says which with `dtype: int` (default float).
INPUT_DTYPES = (*DTYPES, "index_or_float")
PARAM_TYPES = ("bool", "float", "int", "string")
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
DEFINITION_KEYS = ("name", "params", "inputs", "tags", "tolerance", "not_applicable")
FOUND_KEYS = DEFINITION_KEYS  # found cases are input-only, like definitions: no `expected`
COMMITTED_KEYS = ("name", "params", "inputs", "expected", "tolerance", "not_applicable", "tags")
TOLERANCE_KEYS = ("rtol", "atol")
# The dtypes below float64 a case may be not applicable in (PyTorch itself cannot compute it there),
# in the order they are written; a case is always applicable in float64.
NOT_APPLICABLE_DTYPES = ("f32", "f16", "bf16")
FLOW_INPUTS_MAX_WIDTH = 80  # `inputs` goes on one line when that line is at most this wide


class CaseError(Exception):
    """A case the generator refuses, or a computation it cannot classify."""


# --------------------------------------------------------------------------------------------
# Signatures


@dataclass(frozen=True)
class InputSpec:
    dtype: str
    role: str
    optional: bool


@dataclass(frozen=True)
class ParamSpec:
    type: str
    nullable: bool


@dataclass(frozen=True)
class Signature:
    loss: str
    inputs: dict[str, InputSpec]
    params: dict[str, ParamSpec]


_signatures: dict[str, Signature] = {}


def load_signature(loss: str) -> Signature:
    """The ```yaml signature block of spec/<loss>.md."""
    if loss in _signatures:
        return _signatures[loss]
    path = SPEC_DIR / f"{loss}.md"
    if not path.is_file():
        raise CaseError(f"{rel(path)}: missing, so loss {loss!r} has no signature")
    blocks, block = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        if block is None:
            if line == SIGNATURE_FENCE:
                block = []
        elif line.strip() == "```":
            blocks.append("\n".join(block))
            block = None
        else:
            block.append(line)
    if len(blocks) != 1 or block is not None:
        raise CaseError(f"{rel(path)}: expected exactly one closed '{SIGNATURE_FENCE}' block, found {len(blocks)}")
    raw = yaml.safe_load(blocks[0])
    where = f"{rel(path)} signature"
    if not isinstance(raw, dict) or raw.get("loss") != loss:
        raise CaseError(f"{where}: 'loss' must be {loss!r}")
    inputs = {}
    for name, spec in (raw.get("inputs") or {}).items():
        if not isinstance(spec, dict) or spec.get("dtype") not in INPUT_DTYPES or not isinstance(spec.get("role"), str):
            raise CaseError(f"{where}: input {name!r} needs dtype (one of {sorted(INPUT_DTYPES)}) and role")
        inputs[name] = InputSpec(spec["dtype"], spec["role"], bool(spec.get("optional", False)))
    params = {}
    for name, spec in (raw.get("params") or {}).items():
        if not isinstance(spec, dict) or spec.get("type") not in PARAM_TYPES:
            raise CaseError(f"{where}: param {name!r} needs a type, one of {PARAM_TYPES}")
        params[name] = ParamSpec(spec["type"], bool(spec.get("nullable", False)))
    if not inputs:
        raise CaseError(f"{where}: no inputs")
    if not hasattr(torch.nn.functional, loss):
        raise CaseError(f"{where}: torch.nn.functional has no {loss!r}")
    _signatures[loss] = Signature(loss, inputs, params)
    return _signatures[loss]


# --------------------------------------------------------------------------------------------
# Validating a case (a definition's dict or a committed YAML case)


@dataclass
class Case:
    name: str
    params: dict  # in signature order, float params as float
    inputs: dict[str, torch.Tensor]  # in signature order
    tags: list[str]
    tolerance: dict | None
    not_applicable: dict[str, str] | None = None  # dtype below f64 → why PyTorch cannot compute it there


def _is_number(v, dtype: str) -> bool:
    if isinstance(v, bool):
        return False
    return isinstance(v, int) if dtype == "int" else isinstance(v, (int, float))


def _check_leaves(value, dtype: str, where: str) -> None:
    if isinstance(value, list):
        if not value:
            raise CaseError(f"{where}: an empty list; write an empty tensor as {{shape: [...], data: []}}")
        for item in value:
            _check_leaves(item, dtype, where)
    elif not _is_number(value, dtype):
        kind = "an integer" if dtype == "int" else "a number"
        raise CaseError(f"{where}: {value!r} is not {kind} (input dtype is {dtype})")


def _all_ints(value) -> bool:
    if isinstance(value, list):
        return all(_all_ints(item) for item in value)
    return isinstance(value, int) and not isinstance(value, bool)


def build_tensor(value, dtype: str, where: str) -> torch.Tensor:
    """A tensor from a number, a rectangular nested list, or {shape: [.., 0, ..], data: []} (plus
    `dtype: int` for an empty integer tensor)."""
    if isinstance(value, dict):
        shape = value.get("shape")
        if (
            set(value) - {"dtype"} != {"shape", "data"}
            or value["data"] != []
            or value.get("dtype", "float") not in DTYPES
            or not isinstance(shape, list)
            or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape)
        ):
            raise CaseError(f"{where}: a mapping tensor must be {{shape: [non-negative ints], data: [], dtype: int (optional)}}")
        if 0 not in shape:
            raise CaseError(f"{where}: the {{shape, data}} form is only for empty tensors; shape {shape} is not empty")
        written = value.get("dtype", "int" if dtype == "int" else "float")
        if dtype != "index_or_float" and written != dtype:
            raise CaseError(f"{where}: dtype {written} but the input's dtype is {dtype}")
        return torch.empty(shape, dtype=DTYPES[written])
    if dtype == "index_or_float":
        dtype = "int" if _all_ints(value) else "float"
    _check_leaves(value, dtype, where)
    try:
        return torch.tensor(value, dtype=DTYPES[dtype])
    except (ValueError, TypeError, RuntimeError) as exc:
        raise CaseError(f"{where}: not a rectangular tensor ({exc})") from None


def normalize_case(sig: Signature, raw, where: str, allowed_keys) -> Case:
    if not isinstance(raw, dict):
        raise CaseError(f"{where}: a case must be a mapping")
    unknown = [k for k in raw if k not in allowed_keys]
    if unknown:
        raise CaseError(f"{where}: unknown keys {unknown}; allowed are {list(allowed_keys)}")
    name = raw.get("name")
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise CaseError(f"{where}: name {name!r} must be snake_case")
    where = f"{where} ({name})"

    params_raw = raw.get("params") or {}
    if not isinstance(params_raw, dict):
        raise CaseError(f"{where}: params must be a mapping")
    unknown = [k for k in params_raw if k not in sig.params]
    if unknown:
        raise CaseError(f"{where}: params {unknown} are not in the signature of {sig.loss} ({list(sig.params)})")
    params = {}
    for pname, pspec in sig.params.items():
        if pname not in params_raw:
            continue
        v = params_raw[pname]
        if v is None:
            if not pspec.nullable:
                raise CaseError(f"{where}: param {pname} is not nullable")
        elif pspec.type == "bool" and not isinstance(v, bool):
            raise CaseError(f"{where}: param {pname}={v!r} must be a bool")
        elif pspec.type == "string" and not isinstance(v, str):
            raise CaseError(f"{where}: param {pname}={v!r} must be a string")
        elif pspec.type in ("float", "int") and not _is_number(v, pspec.type):
            raise CaseError(f"{where}: param {pname}={v!r} must be a{'n int' if pspec.type == 'int' else ' float'}")
        params[pname] = float(v) if pspec.type == "float" and v is not None else v

    inputs_raw = raw.get("inputs")
    if not isinstance(inputs_raw, dict):
        raise CaseError(f"{where}: inputs must be a mapping")
    unknown = [k for k in inputs_raw if k not in sig.inputs]
    if unknown:
        raise CaseError(f"{where}: inputs {unknown} are not in the signature of {sig.loss} ({list(sig.inputs)})")
    missing = [k for k, s in sig.inputs.items() if not s.optional and k not in inputs_raw]
    if missing:
        raise CaseError(f"{where}: misses the non-optional inputs {missing}")
    inputs = {
        iname: build_tensor(inputs_raw[iname], ispec.dtype, f"{where} input {iname}")
        for iname, ispec in sig.inputs.items()
        if iname in inputs_raw
    }

    tags = raw.get("tags") or []
    if not isinstance(tags, list) or len(set(tags)) != len(tags) or not all(t in TAGS for t in tags):
        raise CaseError(f"{where}: tags {tags!r} must be distinct names from TAGS in tools/generate.py")

    tolerance = raw.get("tolerance")
    if tolerance is not None:
        if (
            not isinstance(tolerance, dict)
            or not tolerance
            or any(k not in TOLERANCE_KEYS for k in tolerance)
            or not all(_is_number(v, "float") and math.isfinite(v) and v >= 0 for v in tolerance.values())
        ):
            raise CaseError(f"{where}: tolerance must map some of {TOLERANCE_KEYS} to finite numbers >= 0")
        tolerance = {k: float(tolerance[k]) for k in TOLERANCE_KEYS if k in tolerance}

    not_applicable = raw.get("not_applicable")
    if not_applicable is not None:
        if not isinstance(not_applicable, dict) or not not_applicable:
            raise CaseError(
                f"{where}: not_applicable must be a non-empty mapping from some of {NOT_APPLICABLE_DTYPES}"
                f" to reasons, not {not_applicable!r}"
            )
        unknown = [k for k in not_applicable if k not in NOT_APPLICABLE_DTYPES]
        if unknown:
            raise CaseError(
                f"{where}: not_applicable names {unknown}; allowed are {list(NOT_APPLICABLE_DTYPES)}"
                " (a case is always applicable in f64)"
            )
        for k, reason in not_applicable.items():
            if not isinstance(reason, str) or not reason.strip() or any(ord(c) < 0x20 for c in reason):
                raise CaseError(
                    f"{where}: not_applicable {k}: the reason must be a non-empty one-line string, not {reason!r}"
                )
        not_applicable = {k: not_applicable[k] for k in NOT_APPLICABLE_DTYPES if k in not_applicable}
    return Case(name, params, inputs, list(tags), tolerance, not_applicable)


# --------------------------------------------------------------------------------------------
# Running PyTorch


def tensor_data(t: torch.Tensor):
    """The case-file form of a tensor: a number, a nested list, or {shape, data: []} when empty."""
    if t.numel() == 0:
        if t.dtype == torch.int64:
            return {"shape": list(t.shape), "data": [], "dtype": "int"}
        return {"shape": list(t.shape), "data": []}
    return t.tolist()


def classify(exc: Exception, where: str, loss: str) -> str:
    """The error class of a torch exception: the loss's own patterns first, then the shared ones."""
    message = str(exc)
    own = [(cls, re.compile(pattern)) for cls, pattern in getattr(definition_module(loss), "ERROR_PATTERNS", [])]
    for cls, pattern in own + ERROR_PATTERNS:
        if pattern.search(message):
            return cls
    raise CaseError(
        f"{where}: torch raised {type(exc).__name__}: {message}\n"
        f"  No pattern in ERROR_PATTERNS (tools/cases/{loss}.py or tools/generate.py) classifies this message."
    )


def compute(sig: Signature, case: Case, where: str) -> dict:
    """The `expected` mapping for one case: {error: class} or {output: ..., grad: {...}}."""
    fn = getattr(torch.nn.functional, sig.loss)
    tensors = {}
    for name, t in case.inputs.items():
        t = t.clone()
        if sig.inputs[name].role == "prediction":
            t.requires_grad_(True)
        tensors[name] = t
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            params = case.params
            torch_kwargs = getattr(definition_module(sig.loss), "torch_kwargs", None)
            if torch_kwargs is not None:  # e.g. a distance function's name → the function
                params = torch_kwargs(dict(params))
            output = fn(**tensors, **params)
        except CaseError:
            raise
        except Exception as exc:  # noqa: BLE001 - every exception is classified or aborts
            return {"error": classify(exc, where, sig.loss)}
        if not isinstance(output, torch.Tensor) or output.dtype != torch.float64:
            raise CaseError(f"{where}: torch returned {output!r}, not a float64 tensor")
        try:
            output.sum().backward()
        except Exception as exc:  # noqa: BLE001
            raise CaseError(f"{where}: backward raised {type(exc).__name__}: {exc}") from None
    expected = {"output": tensor_data(output.detach())}
    grads = {}
    for name, t in tensors.items():
        if sig.inputs[name].role == "prediction":
            grads[name] = tensor_data(t.grad if t.grad is not None else torch.zeros_like(t.detach()))
    if grads:
        expected["grad"] = grads
    return expected


# --------------------------------------------------------------------------------------------
# The YAML emitter (layout is a public interface: see the docstring of emit_case)

_YAML_SPECIAL_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}
_PLAIN_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def fmt_float(x: float) -> str:
    if math.isnan(x):
        return ".nan"
    if math.isinf(x):
        return ".inf" if x > 0 else "-.inf"
    text = repr(x)
    mantissa, e, exponent = text.partition("e")
    if e and "." not in mantissa:
        text = f"{mantissa}.0e{exponent}"  # YAML 1.1 readers (PyYAML) need the dot: 1e-50 → 1.0e-50
    return text


def fmt_str(s: str) -> str:
    if _PLAIN_RE.match(s) and s.lower() not in _YAML_SPECIAL_WORDS:
        return s
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def fmt_scalar(v) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return fmt_float(v)
    if isinstance(v, str):
        return fmt_str(v)
    raise TypeError(f"cannot write {v!r}")


def fmt_tensor(v) -> str:
    if isinstance(v, dict):
        dtype = f", dtype: {v['dtype']}" if "dtype" in v else ""
        return "{shape: [" + ", ".join(str(d) for d in v["shape"]) + "], data: []" + dtype + "}"
    if isinstance(v, list):
        return "[" + ", ".join(fmt_tensor(x) for x in v) + "]"
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise TypeError(f"not a tensor element: {v!r}")
    return fmt_scalar(v)


def fmt_flow_map(items, fmt) -> str:
    return "{" + ", ".join(f"{k}: {fmt(v)}" for k, v in items.items()) + "}"


def emit_case(case: Case, expected: dict) -> str:
    """One case as a block mapping, keys in the order name, params, inputs, expected, tolerance,
    not_applicable, tags.

    params, tags and tolerance are one-line flow collections; each tensor is on one line. `inputs`
    is a flow mapping when it fits in FLOW_INPUTS_MAX_WIDTH columns, else a block mapping.
    not_applicable is a block mapping, one line per dtype.
    """
    lines = [f"  - name: {fmt_str(case.name)}"]
    if case.params:
        lines.append(f"    params: {fmt_flow_map(case.params, fmt_scalar)}")
    inputs = {k: tensor_data(t) for k, t in case.inputs.items()}
    flow = f"    inputs: {fmt_flow_map(inputs, fmt_tensor)}"
    if len(flow) <= FLOW_INPUTS_MAX_WIDTH:
        lines.append(flow)
    else:
        lines.append("    inputs:")
        lines += [f"      {k}: {fmt_tensor(v)}" for k, v in inputs.items()]
    if "error" in expected:
        lines.append(f"    expected: {{error: {expected['error']}}}")
    else:
        lines.append("    expected:")
        lines.append(f"      output: {fmt_tensor(expected['output'])}")
        if "grad" in expected:
            lines.append("      grad:")
            lines += [f"        {k}: {fmt_tensor(v)}" for k, v in expected["grad"].items()]
    if case.tolerance:
        lines.append(f"    tolerance: {fmt_flow_map(case.tolerance, fmt_scalar)}")
    if case.not_applicable:
        lines.append("    not_applicable:")
        lines += [f"      {k}: {fmt_str(v)}" for k, v in case.not_applicable.items()]
    if case.tags:
        lines.append("    tags: [" + ", ".join(fmt_str(t) for t in case.tags) + "]")
    return "\n".join(lines) + "\n"


def torch_version() -> str:
    return torch.__version__.split("+")[0]


def header(loss: str) -> str:
    return (
        f"# Generated by tools/generate.py from tools/cases/{loss}.py with torch {torch_version()} (float64)."
        " Do not edit by hand.\n"
    )


# --------------------------------------------------------------------------------------------
# Generation


class Runner:
    """Computes cases, remembering results so that --check computes each distinct case once."""

    def __init__(self):
        self._memo: dict[tuple, dict] = {}

    @staticmethod
    def key(sig: Signature, case: Case) -> tuple:
        """What PyTorch's result depends on: the loss, the params and the inputs, as written."""
        return (
            sig.loss,
            fmt_flow_map(case.params, fmt_scalar),
            fmt_flow_map({k: tensor_data(t) for k, t in case.inputs.items()}, fmt_tensor),
        )

    def expected(self, sig: Signature, case: Case, where: str) -> dict:
        key = self.key(sig, case)
        if key not in self._memo:
            self._memo[key] = compute(sig, case, where)
        return self._memo[key]


def definition_losses() -> list[str]:
    return sorted(p.stem for p in DEFINITIONS_DIR.glob("*.py") if not p.name.startswith("_"))


_modules: dict = {}


def definition_module(loss: str):
    """tools/cases/<loss>.py, imported once. Besides CASES it may define ERROR_PATTERNS, a list of
    (error class, regex) tried before the shared ones, and torch_kwargs(params) -> params, which
    turns case parameters into the keyword arguments torch receives."""
    if loss not in _modules:
        path = DEFINITIONS_DIR / f"{loss}.py"
        if not path.is_file():
            raise CaseError(f"{rel(path)}: no definition module for {loss!r} (have: {', '.join(definition_losses())})")
        spec = importlib.util.spec_from_file_location(f"lossparity_case_definitions.{loss}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _modules[loss] = module
    return _modules[loss]


def load_definitions(loss: str) -> list:
    cases = getattr(definition_module(loss), "CASES", None)
    if not isinstance(cases, list) or not cases:
        raise CaseError(f"{rel(DEFINITIONS_DIR / (loss + '.py'))}: must define CASES, a non-empty list of case dicts")
    return cases


def found_losses() -> list[str]:
    return sorted(p.stem for p in FOUND_DIR.glob("*.yaml")) if FOUND_DIR.is_dir() else []


def load_found(loss: str) -> list:
    """The input-only cases of tools/found/<loss>.yaml (none if the file does not exist)."""
    path = FOUND_DIR / f"{loss}.yaml"
    if not path.is_file():
        return []
    where = rel(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CaseError(f"{where}: not YAML: {exc}") from None
    if not isinstance(doc, dict) or set(doc) != {"loss", "cases"} or not isinstance(doc["cases"], list):
        raise CaseError(f"{where}: must be a mapping with exactly 'loss' and 'cases' (a list)")
    if doc["loss"] != loss:
        raise CaseError(f"{where}: 'loss' is {doc['loss']!r}, but the file is named for {loss!r}")
    for i, raw in enumerate(doc["cases"]):
        if isinstance(raw, dict) and "expected" in raw:
            raise CaseError(f"{where} case #{i}: found cases are input-only; PyTorch fills `expected`")
    return doc["cases"]


def generate_text(loss: str, runner: Runner, accepted: dict[tuple, dict] | None = None) -> tuple[str, int]:
    """The text of cases/<loss>.yaml. `accepted` (from --check) maps (case name, Runner.key) to a
    committed `expected` that agrees with PyTorch's within ULPS_BOUND; it is written instead of
    PyTorch's, so that only a real difference shows in the comparison of the files' text."""
    sig = load_signature(loss)
    source = rel(DEFINITIONS_DIR / f"{loss}.py")
    found_source = rel(FOUND_DIR / f"{loss}.yaml")
    seen = set()
    parts = [header(loss), f"loss: {loss}\n", "cases:\n"]
    raw_cases = load_definitions(loss)
    found = load_found(loss)
    sources = [(source, DEFINITION_KEYS, raw_cases, False), (found_source, FOUND_KEYS, found, True)]
    for where, keys, raws, found_by_fuzzer in sources:
        for i, raw in enumerate(raws):
            case = normalize_case(sig, raw, f"{where} case #{i}", keys)
            if case.name in seen:
                raise CaseError(f"{where}: case name {case.name!r} is used twice (in {source} or {found_source})")
            seen.add(case.name)
            if found_by_fuzzer and "fuzz" not in case.tags:
                case.tags.append("fuzz")
            expected = (accepted or {}).get((case.name, runner.key(sig, case)))
            if expected is None:
                expected = runner.expected(sig, case, f"{where} case {case.name}")
            parts.append(emit_case(case, expected))
    return "".join(parts), len(raw_cases) + len(found)


def check_found_files() -> None:
    """Every tools/found/<loss>.yaml must belong to a loss with a definition module."""
    orphans = sorted(set(found_losses()) - set(definition_losses()))
    if orphans:
        raise CaseError(
            f"{rel(FOUND_DIR)}: {', '.join(o + '.yaml' for o in orphans)} name no loss with a definition in {rel(DEFINITIONS_DIR)}"
        )


def write_atomically(path: Path, text: str) -> None:
    """Writes `text` to `path` through a temporary file and a rename: readers never see half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def cmd_generate(losses: list[str]) -> int:
    check_found_files()
    runner = Runner()
    for loss in losses or definition_losses():
        text, n = generate_text(loss, runner)
        out = CASES_DIR / f"{loss}.yaml"
        out.parent.mkdir(parents=True, exist_ok=True)
        loaded = yaml.safe_load(text)  # the emitter's output must read back as what it wrote
        if loaded.get("loss") != loss or len(loaded.get("cases", [])) != n:
            raise CaseError(f"{rel(out)}: emitted YAML does not read back")
        write_atomically(out, text)
        print(f"wrote {rel(out)}: {n} cases")
    return 0


# --------------------------------------------------------------------------------------------
# --check
#
# PyTorch picks its CPU kernels by the machine's vector capability (ATEN_CPU_CAPABILITY: default,
# avx2 or avx512 on x86-64), and they round and sum in different orders, so the last bits of a
# result depend on the CPU. --check therefore accepts a recomputed float within ULPS_BOUND units in
# the last place of the committed one; everything else (ints, shapes, keys, error classes) must be
# equal exactly, and the text of each file must be exactly what its definition generates.
#
# ULPS_BOUND is measured. The committed cases were generated under avx512; recomputed on an AVX-512
# machine under each capability, `default` moves 1252 of the 20970 floats (85 cases; mostly
# cross_entropy and linear_cross_entropy gradients, also multilabel_soft_margin, soft_margin and
# the triplet losses) and `avx2` 939 (39 cases). No zero changes sign. The largest move of any
# pair of capabilities is 256 ulps (linear_cross_entropy tiled_nine_rows_thirty_seven_classes_mean,
# grad.linear_weight[10][0] = 6.6e-5: a sum of terms up to 0.27 that cancel, so the move is 0.1 ulp of
# the tensor's largest entry), the next largest 68; MKL's own dispatch (MKL_ENABLE_INSTRUCTIONS=AVX2
# or SSE4_2) changes no value. 1024 is 4x the largest move, headroom for what the three capabilities
# on one machine do not show (another libm, another CPU's MKL path). It is still small: a normal
# value moves by at most 2.3e-13 relative, under a quarter of the f64 rtol (1e-12) the suite allows
# any implementation (spec/tolerances.md), while a changed formula, constant, clamp or input moves
# values by orders of magnitude more.
ULPS_BOUND = 1024


def shape_of(v):
    if isinstance(v, dict):
        return v.get("shape")
    if isinstance(v, list):
        return [len(v)] + (shape_of(v[0]) if v else [])
    return []


def same(a, b) -> bool:
    """Bitwise equality of case-file values: NaN equals NaN, -0.0 differs from 0.0, int differs from float."""
    if isinstance(b, float):
        return isinstance(a, float) and (
            (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1.0, a) == math.copysign(1.0, b))
        )
    if isinstance(b, list):
        return isinstance(a, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(b, dict):
        return isinstance(a, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in b)
    return type(a) is type(b) and a == b


def ulps_apart(a: float, b: float) -> int:
    """How many steps of adjacent float64 values lead from finite `a` to finite `b` (0 if equal).
    -0.0 and 0.0 are the same point; the smallest subnormals on either side of zero are 2 apart."""

    def position(x: float) -> int:
        bits = struct.unpack("<q", struct.pack("<d", x))[0]  # sign and magnitude → a monotonic integer
        return -(bits & 0x7FFF_FFFF_FFFF_FFFF) if bits < 0 else bits

    return abs(position(a) - position(b))


def float_move(committed: float, computed: float) -> int | None:
    """How far a recomputed float moved from the committed one, in ulps, when it agrees; None when
    it does not. NaN agrees only with NaN, an infinity only with the same infinity, a finite value
    with one at most ULPS_BOUND ulps away. A zero's sign must match: it comes from which operations
    ran (a negation, a product with a negative), not from rounding, no capability changes any
    (measured: 0 of the committed zeros), and the spec pages state these signs as PyTorch's
    behaviour, with the case files as their evidence."""
    if math.isnan(committed) or math.isnan(computed):
        return 0 if math.isnan(committed) and math.isnan(computed) else None
    if math.isinf(committed) or math.isinf(computed):
        return 0 if committed == computed else None
    if committed == 0.0 and computed == 0.0 and math.copysign(1.0, committed) != math.copysign(1.0, computed):
        return None
    n = ulps_apart(committed, computed)
    return n if n <= ULPS_BOUND else None


@dataclass
class Move:
    """A recomputed float that differs from the committed one by at most ULPS_BOUND ulps."""

    ulps: int
    loss: str
    case: str  # `cases/<loss>.yaml case <name>`
    path: str  # inside the case's `expected`
    committed: float
    computed: float

    def __str__(self) -> str:
        return (
            f"{self.ulps} ulp{'' if self.ulps == 1 else 's'} at {self.case}, {self.path}:"
            f" committed {fmt_float(self.committed)}, torch gives {fmt_float(self.computed)}"
        )


def describe(v) -> str:
    try:
        return fmt_tensor(v)
    except (TypeError, KeyError):
        return repr(v)


def differences(committed, computed, moves: list[tuple[int, str, float, float]], path: str = "expected") -> list[str]:
    """What differs between a committed and a recomputed `expected`, as readable lines. Floats agree
    as float_move says; each that moved within the bound is appended to `moves` as (ulps, path,
    committed, computed). Anything else — ints, shapes, keys, error classes — must be equal exactly."""
    if isinstance(committed, float) and isinstance(computed, float):
        n = float_move(committed, computed)
        if n is not None:
            if n:
                moves.append((n, path, committed, computed))
            return []
        why = ""
        if committed == 0.0 and computed == 0.0:
            why = " (the sign of the zero differs)"
        elif math.isfinite(committed) and math.isfinite(computed):
            why = f" ({ulps_apart(committed, computed)} ulps apart; at most {ULPS_BOUND} agree)"
        return [f"{path}: committed {describe(committed)}, torch gives {describe(computed)}{why}"]
    if isinstance(computed, dict) and isinstance(committed, dict) and not {"shape", "data"} <= computed.keys():
        out = []
        for k in sorted(set(committed) | set(computed), key=str):
            if k not in computed:
                out.append(f"{path}.{k}: committed has it, torch gives none")
            elif k not in committed:
                out.append(f"{path}.{k}: missing, torch gives {describe(computed[k])}")
            else:
                out += differences(committed[k], computed[k], moves, f"{path}.{k}")
        return out
    if isinstance(computed, (list, dict)) or isinstance(committed, (list, dict)):
        if shape_of(committed) != shape_of(computed):
            return [
                f"{path}: shape {shape_of(committed)} committed, torch gives shape {shape_of(computed)}"
                f" ({describe(committed)} vs {describe(computed)})"
            ]
        if isinstance(computed, list) and isinstance(committed, list):
            out = []
            for i, (x, y) in enumerate(zip(committed, computed)):
                out += differences(x, y, moves, f"{path}[{i}]")
            return out
    if same(committed, computed):
        return []
    return [f"{path}: committed {describe(committed)}, torch gives {describe(computed)}"]


def count_floats(v) -> int:
    if isinstance(v, float):
        return 1
    if isinstance(v, list):
        return sum(count_floats(x) for x in v)
    if isinstance(v, dict):
        return sum(count_floats(x) for x in v.values())
    return 0


def ulps_histogram(moves: list[Move]) -> str:
    """Moves counted in power-of-two bins of ulps: `1: a  2: b  3-4: c  5-8: d ...`."""
    bins: dict[int, int] = {}
    for m in moves:
        top = 1 << (m.ulps - 1).bit_length()  # the smallest power of two >= m.ulps
        bins[top] = bins.get(top, 0) + 1
    return "  ".join(
        f"{top if top <= 2 else f'{top // 2 + 1}-{top}'}: {count}" for top, count in sorted(bins.items())
    )


def moves_report(moves: list[Move], n_floats: int, list_all: bool) -> list[str]:
    if not moves:
        return [f"no float moved: of the {n_floats} compared, every one that agrees is bit for bit the committed one"]
    cases = {m.case for m in moves}
    by_loss: dict[str, int] = {}
    for m in moves:
        by_loss[m.loss] = by_loss.get(m.loss, 0) + 1
    largest = max(moves, key=lambda m: m.ulps)
    lines = [
        f"moved within {ULPS_BOUND} ulps: {len(moves)} of {n_floats} floats, in {len(cases)} case{'s' * (len(cases) != 1)}",
        f"  by loss   {', '.join(f'{loss} {n}' for loss, n in sorted(by_loss.items()))}",
        f"  by ulps   {ulps_histogram(moves)}",
        f"  largest   {largest}",
    ]
    if list_all:
        lines += [f"  {m}" for m in sorted(moves, key=lambda m: (-m.ulps, m.case, m.path))]
    else:
        lines.append("  (--moves lists every one)")
    return lines


def cmd_check(list_moves: bool = False) -> int:
    started = time.monotonic()
    runner = Runner()
    problems: list[str] = []
    moves: list[Move] = []
    # (case name, Runner.key) → a committed `expected` that agrees with PyTorch's within the bound
    accepted: dict[tuple, dict] = {}
    n_cases = n_match = n_moved = n_differ = n_floats = 0
    files = sorted(CASES_DIR.rglob("*.yaml"))
    for path in files:
        where = rel(path)
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
            if not isinstance(doc, dict) or not isinstance(doc.get("cases"), list) or set(doc) != {"loss", "cases"}:
                raise CaseError(f"{where}: must be a mapping with exactly 'loss' and 'cases' (a list)")
            sig = load_signature(str(doc["loss"]))
        except (CaseError, yaml.YAMLError) as exc:
            problems.append(f"{where}: {exc}")
            continue
        seen = set()
        for i, raw in enumerate(doc["cases"]):
            n_cases += 1
            name = raw.get("name") if isinstance(raw, dict) else None
            label = f"{where} case {name or '#' + str(i)}"
            try:
                case = normalize_case(sig, raw, f"{where} case #{i}", COMMITTED_KEYS)
                if case.name in seen:
                    raise CaseError(f"{label}: the name is used twice in the file")
                seen.add(case.name)
                if not isinstance(raw.get("expected"), dict):
                    raise CaseError(f"{label}: has no expected mapping")
                moved: list[tuple[int, str, float, float]] = []
                diffs = differences(raw["expected"], runner.expected(sig, case, label), moved)
            except CaseError as exc:  # refused, or torch raised something unclassified
                n_differ += 1
                problems.append(str(exc))
                continue
            n_floats += count_floats(raw["expected"])
            moves += [Move(n, sig.loss, label, p, a, b) for n, p, a, b in moved]
            if diffs:
                n_differ += 1
                problems.append(f"{label}:\n    " + "\n    ".join(diffs[:8]) + ("\n    ..." if len(diffs) > 8 else ""))
            else:
                n_match += 1
                n_moved += bool(moved)
                accepted[(case.name, runner.key(sig, case))] = raw["expected"]

    try:
        check_found_files()
    except CaseError as exc:
        problems.append(str(exc))

    # The committed files must be exactly what the definition modules (and found cases) generate,
    # with each committed `expected` that agrees within the bound standing in for PyTorch's.
    for loss in definition_losses():
        out = CASES_DIR / f"{loss}.yaml"
        try:
            text, _ = generate_text(loss, runner, accepted)
        except CaseError as exc:
            problems.append(f"{rel(DEFINITIONS_DIR / (loss + '.py'))}: does not generate: {exc}")
            continue
        if not out.is_file():
            problems.append(f"{rel(out)}: missing; tools/cases/{loss}.py defines it (run: python tools/generate.py {loss})")
            continue
        committed = out.read_text(encoding="utf-8")
        if committed != text:
            diff = list(
                difflib.unified_diff(
                    committed.splitlines(), text.splitlines(), f"{rel(out)} (committed)", "generated", lineterm="", n=1
                )
            )
            shown = "\n    ".join(diff[:20]) + ("\n    ..." if len(diff) > 20 else "")
            problems.append(
                f"{rel(out)}: differs from what tools/cases/{loss}.py generates"
                f" (run: python tools/generate.py {loss}):\n    {shown}"
            )

    for p in problems:
        print(p)
    for line in moves_report(moves, n_floats, list_moves):
        print(line)
    elapsed = time.monotonic() - started
    print(
        f"checked {n_cases} cases in {len(files)} files under CPU capability {torch.backends.cpu.get_cpu_capability()}:"
        f" {n_match} match, {n_differ} differ"
        + (f"; {len(problems) - n_differ} other problems" if len(problems) > n_differ else "")
        + f"; {n_moved} of the matches moved within {ULPS_BOUND} ulps"
        + f" ({elapsed:.1f}s)"
    )
    return 1 if problems else 0


# --------------------------------------------------------------------------------------------


def rel(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def pinned_torch_version() -> str | None:
    for line in REQUIREMENTS.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\s*torch==([^\s#;]+)", line)
        if m:
            return m.group(1)
    return None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("losses", nargs="*", help="losses to regenerate (default: every tools/cases/<loss>.py)")
    parser.add_argument("--check", action="store_true", help="recompute the committed case files and compare")
    parser.add_argument("--moves", action="store_true", help="with --check: list every float that moved within the bound")
    args = parser.parse_args(argv)
    if args.check and args.losses:
        parser.error("--check takes no loss names; it checks every file in cases/")
    if args.moves and not args.check:
        parser.error("--moves goes with --check")
    pinned = pinned_torch_version()
    if pinned != torch_version():
        print(
            f"error: torch {torch.__version__} is installed but {rel(REQUIREMENTS)} pins torch=={pinned};"
            " the expected values belong to the pinned version",
            file=sys.stderr,
        )
        return 2
    torch.set_num_threads(1)
    try:
        return cmd_check(args.moves) if args.check else cmd_generate(args.losses)
    except CaseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
