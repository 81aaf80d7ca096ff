"""Column helpers of the chunk codec: 64-bit arrays, byte shuffling, XOR residuals."""

from __future__ import annotations

import math
import struct
import sys
from array import array
from collections.abc import Iterable, Sequence
from itertools import accumulate
from operator import xor
from typing import Any

MASK = (1 << 64) - 1
EXPONENT = 0x7FF << 52  # the exponent bits of a float64: all set = not finite
_D = struct.Struct("<d")
_Q = struct.Struct("<Q")


class ChunkFormatError(ValueError):
    """A stored chunk that is not in a format this codec can read."""


def le(values: array[Any]) -> bytes:
    if sys.byteorder == "big":  # pragma: no cover - no big-endian machine here
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def from_le(typecode: str, data: bytes) -> array[Any]:
    values = array(typecode)
    values.frombytes(data)
    if sys.byteorder == "big":  # pragma: no cover
        values.byteswap()
    return values


def shuffle(raw: bytes) -> bytes:
    return b"".join(raw[i::8] for i in range(8))


def unshuffle(data: bytes) -> bytes:
    n = len(data) // 8
    out = bytearray(len(data))
    for i in range(8):
        out[i::8] = data[i * n : (i + 1) * n]
    return bytes(out)


def xor_bytes(a: bytes, b: bytes) -> bytes:
    value = int.from_bytes(a, "little") ^ int.from_bytes(b, "little")
    return value.to_bytes(len(a), "little")


def finite(value: float) -> float:
    return value if math.isfinite(value) else 0.0


def finite_all(values: Iterable[float]) -> list[float]:
    """``finite`` over a column, without a Python call per value."""
    isfinite = math.isfinite
    return [v if isfinite(v) else 0.0 for v in values]


def bits(value: float) -> int:
    return int(_Q.unpack(_D.pack(value))[0])


def to_float(bits: int) -> float:
    return float(_D.unpack(_Q.pack(bits))[0])


def pack_ints(values: Iterable[int]) -> bytes:
    return shuffle(le(array("q", values)))


def unpack_ints(data: bytes) -> list[int]:
    return from_le("q", unshuffle(data)).tolist()


def pack_residual(values: Sequence[float], predictors: Sequence[float]) -> bytes:
    raw = xor_bytes(le(array("d", values)), le(array("d", predictors)))
    return shuffle(raw)


def unpack_residual_bits(data: bytes) -> list[int]:
    return from_le("Q", unshuffle(data)).tolist()


def apply_residual(data: bytes, predictors: Sequence[float]) -> list[float]:
    raw = xor_bytes(unshuffle(data), le(array("d", predictors)))
    return from_le("d", raw).tolist()


def xor_floats(bits: list[int], predictors: Sequence[float]) -> list[float]:
    raw = xor_bytes(le(array("Q", bits)), le(array("d", predictors)))
    return from_le("d", raw).tolist()


def xor_chain(values: Sequence[float]) -> bytes:
    """Each value XOR the previous one (the first as is)."""
    previous = [0.0, *values[:-1]] if values else []
    return pack_residual(values, previous)


def unxor_chain(data: bytes) -> list[float]:
    bits = list(accumulate(unpack_residual_bits(data), xor))
    return from_le("d", le(array("Q", bits))).tolist()


def timestamp_predictors(timestamps: Sequence[float], starts: Sequence[float]) -> list[float]:
    """Wall-clock start ~ first wall-clock start + (offset - first offset)."""
    if not timestamps:
        return []
    base = finite(timestamps[0] - starts[0])
    return [0.0, *finite_all(base + s for s in starts[1:])]


def pack_deltas(numbers: list[int]) -> bytes:
    """Differences between consecutive iteration numbers, modulo 2**64."""
    signed = array("q", numbers)  # rejects numbers outside the 64-bit range
    deltas = [(b - a) & MASK for a, b in zip([0, *signed], signed, strict=False)]
    return shuffle(le(array("Q", deltas)))


def unpack_deltas(data: bytes) -> list[int]:
    deltas = from_le("Q", unshuffle(data)).tolist()
    totals = accumulate(deltas, lambda a, b: (a + b) & MASK)
    return [x - (1 << 64) if x >> 63 else x for x in totals]
