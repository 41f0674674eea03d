"""The Python side of lossparity's process protocol (spec/protocol.md).

An adapter author subclasses `Implementation`, maps each `Request` onto their framework, and calls
`serve`; this package does the rest: the handshake, reading requests, decoding tensors into NumPy
arrays bit for bit, encoding answers, and keeping stdout for the protocol alone.

    import lossparity

    class Mine(lossparity.Implementation):
        name, version, language, dtypes = "mine", "1.0", "python", ["float64"]

        def run(self, request):
            if request.loss != "mse_loss":
                raise lossparity.Unsupported(f"mine has no {request.loss}")
            ...
            return lossparity.Output(loss, gradients={"input": grad})

    if __name__ == "__main__":
        lossparity.serve(Mine())
"""

from .protocol import (
    ERROR_KINDS,
    Implementation,
    Output,
    Rejected,
    Request,
    Unsupported,
    bfloat16_bits,
    decode_tensor,
    encode_tensor,
    round_to_bfloat16,
    serve,
)

__all__ = [
    "ERROR_KINDS",
    "Implementation",
    "Output",
    "Rejected",
    "Request",
    "Unsupported",
    "bfloat16_bits",
    "decode_tensor",
    "encode_tensor",
    "round_to_bfloat16",
    "serve",
]
