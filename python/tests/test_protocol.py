"""The Python side of the process protocol, as an adapter author relies on it: tensors cross bit
for bit, the handshake negotiates the version, each answer echoes its seq, and a stray print
cannot reach the protocol's stdout.

    python -m unittest discover -s python/tests      (NumPy needed; .ci/run runs it)
"""

from __future__ import annotations

import io
import json
import struct
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

import lossparity  # noqa: E402


class Mean(lossparity.Implementation):
    name, version, dtypes, losses = "mean", "1", ["float64", "float32"], ["mse_loss", "kl_div"]

    def run(self, request: lossparity.Request) -> lossparity.Output:
        print("a stray print goes to stderr")
        if request.loss == "kl_div":
            raise lossparity.Unsupported("no kl_div here", "https://example.org/issues/1")
        x, y = request.inputs["input"], request.inputs["target"]
        if x.shape != y.shape:
            raise lossparity.Rejected("invalid_shape", f"{x.shape} vs {y.shape}")
        return lossparity.Output(((x - y) ** 2).mean(), {"input": 2 * (x - y) / x.size})


def exchange(*messages: dict) -> list[dict]:
    stdin = io.StringIO("".join(json.dumps(m) + "\n" for m in messages))
    stdout = io.StringIO()
    lossparity.serve(Mean(), stdin, stdout)
    return [json.loads(line) for line in stdout.getvalue().splitlines()]


def run(seq: int, loss: str, x: np.ndarray, y: np.ndarray) -> dict:
    return {
        "cmd": "run", "seq": seq, "loss": loss, "dtype": "float64",
        "inputs": {"input": lossparity.encode_tensor(x, "float64"),
                   "target": lossparity.encode_tensor(y, "float64")},
        "params": {"reduction": "mean", "eps": {"float": "inf"}}, "gradients": ["input"],
    }


class Tensors(unittest.TestCase):
    def test_every_bit_crosses(self) -> None:
        payload_nan = struct.unpack("<d", struct.pack("<Q", 0x7FF8_0000_DEAD_BEEF))[0]
        values = np.array([payload_nan, -0.0, np.inf, -np.inf, 5e-324, 0.1], dtype="<f8")
        back = lossparity.decode_tensor(lossparity.encode_tensor(values, "float64"))
        self.assertEqual(values.tobytes(), back.tobytes())
        single = values.astype("<f4")
        back = lossparity.decode_tensor(lossparity.encode_tensor(single, "float32"))
        self.assertEqual(single.tobytes(), back.tobytes())

    def test_zero_d_and_empty_keep_their_shapes(self) -> None:
        self.assertEqual(lossparity.encode_tensor(np.float64(2.5), "float64")["shape"], [])
        empty = lossparity.encode_tensor(np.zeros((0, 3)), "float64")
        self.assertEqual((empty["shape"], empty["data"]), ([0, 3], ""))
        self.assertEqual(lossparity.decode_tensor(empty).shape, (0, 3))

    def test_a_tensor_of_an_unknown_dtype_is_refused(self) -> None:
        with self.assertRaises(ValueError):
            lossparity.decode_tensor({"dtype": "complex64", "shape": [], "data": ""})


class Loop(unittest.TestCase):
    def test_the_handshake_picks_the_highest_common_version(self) -> None:
        [hello] = exchange({"cmd": "start", "versions": [1, 7]})
        self.assertEqual(hello["protocol"], 1)
        self.assertEqual(hello["implementation"]["dtypes"], ["float64", "float32"])
        self.assertEqual(hello["implementation"]["losses"], ["mse_loss", "kl_div"])
        [refused] = exchange({"cmd": "start", "versions": [7]})
        self.assertIn("error", refused)

    def test_outputs_errors_and_unsupported_echo_their_seq(self) -> None:
        x, y = np.array([1.0, 2.0]), np.array([0.0, 0.0])
        answers = exchange(
            {"cmd": "start", "versions": [1]},
            run(5, "mse_loss", x, y),
            run(6, "mse_loss", x, np.zeros(3)),
            run(7, "kl_div", x, y),
            {"cmd": "stop"},
            run(8, "mse_loss", x, y),
        )
        self.assertEqual([a.get("seq") for a in answers], [None, 5, 6, 7])
        output = lossparity.decode_tensor(answers[1]["output"])
        self.assertEqual((output.shape, float(output)), ((), 2.5))
        np.testing.assert_array_equal(
            lossparity.decode_tensor(answers[1]["gradients"]["input"]), [1.0, 2.0]
        )
        self.assertEqual(answers[2]["error"]["kind"], "invalid_shape")
        self.assertEqual(
            answers[3]["unsupported"],
            {"reason": "no kl_div here", "issue": "https://example.org/issues/1"},
        )

    def test_an_unknown_error_kind_is_an_adapter_bug(self) -> None:
        with self.assertRaises(ValueError):
            lossparity.Rejected("shape", "not a class of spec/errors.md")


if __name__ == "__main__":
    unittest.main()
