"""The Python side of the process protocol, as an adapter author relies on it: tensors cross bit
for bit, the handshake negotiates the version, each answer echoes its seq, and a stray print
cannot reach the protocol's stdout.

    python -m unittest discover -s python/tests      (NumPy needed; .ci/run runs it)
"""

from __future__ import annotations

import base64
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

    def test_float16_crosses_bit_for_bit(self) -> None:
        # -0, a NaN with a payload, a signalling NaN, inf, the smallest subnormal, 1, the largest.
        bits = np.array([0x8000, 0x7E01, 0x7C01, 0x7C00, 0x0001, 0x3C00, 0x7BFF], dtype="<u2")
        wire = lossparity.encode_tensor(bits.view("<f2"), "float16")
        self.assertEqual(base64.b64decode(wire["data"]), bits.tobytes())
        back = lossparity.decode_tensor(wire)
        self.assertEqual(back.dtype, np.float16)
        self.assertEqual(back.tobytes(), bits.tobytes())

    def test_bfloat16_arrives_as_float32_holding_its_values(self) -> None:
        # 1.0 is 0x3F80 (float32 0x3F800000); -0, 1 + 2^-7, the largest, the smallest
        # subnormal, -inf, a signalling NaN with a payload.
        bits = np.array([0x3F80, 0x8000, 0x3F81, 0x7F7F, 0x0001, 0xFF80, 0x7F81], dtype="<u2")
        wire = {"dtype": "bfloat16", "shape": [7], "data": base64.b64encode(bits.tobytes()).decode()}
        array = lossparity.decode_tensor(wire)
        self.assertEqual(array.dtype, np.float32)
        self.assertEqual(list(array[:5]), [1.0, -0.0, 1 + 2**-7, float.fromhex("0x1.fep127"), 2.0**-133])
        self.assertEqual(array[5], -np.inf)
        np.testing.assert_array_equal(array.view("<u4") >> 16, bits)
        # The widening is lossless: encoding gives the same bits back, NaN payload included.
        self.assertEqual(base64.b64decode(lossparity.encode_tensor(array, "bfloat16")["data"]), bits.tobytes())

    def test_bfloat16_rounds_to_nearest_ties_to_even(self) -> None:
        f32 = lambda b: np.array(b, dtype="<u4").view("<f4")  # noqa: E731
        cases = [
            (0x3F80_8000, 0x3F80),  # 1 + 2^-8, halfway between 1 and 1 + 2^-7: to even, 1
            (0x3F81_8000, 0x3F82),  # halfway above an odd bfloat16: up, to even
            (0x3F80_8001, 0x3F81),  # just above halfway: up
            (0x3F80_7FFF, 0x3F80),  # just below halfway: down
            (0xBF80_8000, 0xBF80),  # negative tie: to even
            (0xBF81_8000, 0xBF82),
            (0x0000_8000, 0x0000),  # a subnormal tie: to even, zero
            (0x0001_8000, 0x0002),
            (0x7F7F_8000, 0x7F80),  # halfway past the largest bfloat16: to even, inf
            (0x7F7F_7FFF, 0x7F7F),  # below it: the largest
            (0xFF7F_FFFF, 0xFF80),  # -float32 max: -inf
            (0x7F80_0000, 0x7F80),  # inf stays
            (0xFF80_0000, 0xFF80),
            (0x7FC0_0000, 0x7FC0),  # quiet NaN
            (0xFFC1_2345, 0xFFC1),  # NaN: sign and upper payload kept, never rounded
            (0x7FFF_FFFF, 0x7FFF),  # a NaN whose rounding would carry out
            (0x7F80_0001, 0x7FC0),  # a NaN with payload only in the low half: stays NaN
        ]
        for given, expected in cases:
            with self.subTest(given=hex(given)):
                self.assertEqual(int(lossparity.bfloat16_bits(f32(given))), expected)
        got = lossparity.bfloat16_bits(f32([given for given, _ in cases]))
        self.assertEqual(list(got), [expected for _, expected in cases])
        rounded = lossparity.round_to_bfloat16(np.float32(1 + 2**-8 + 2**-20))
        self.assertEqual((rounded.dtype, float(rounded)), (np.float32, 1 + 2**-7))
        # float64 values are taken as float32 first: 1 + 2^-8 + 2^-40 is a tie in float32.
        self.assertEqual(int(lossparity.bfloat16_bits(np.float64(1 + 2**-8 + 2**-40))), 0x3F80)

    def test_zero_d_and_empty_keep_their_shapes(self) -> None:
        self.assertEqual(lossparity.encode_tensor(np.float64(2.5), "float64")["shape"], [])
        empty = lossparity.encode_tensor(np.zeros((0, 3)), "float64")
        self.assertEqual((empty["shape"], empty["data"]), ([0, 3], ""))
        self.assertEqual(lossparity.decode_tensor(empty).shape, (0, 3))
        for dtype in ("float16", "bfloat16"):
            zero_d = lossparity.encode_tensor(np.float32(2.5), dtype)
            self.assertEqual((zero_d["shape"], float(lossparity.decode_tensor(zero_d))), ([], 2.5))
            empty = lossparity.encode_tensor(np.zeros((0, 3), dtype=np.float32), dtype)
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
