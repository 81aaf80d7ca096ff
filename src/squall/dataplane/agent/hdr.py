"""A stdlib-only HdrHistogram recorder that writes the standard V2 encoding.

The agent cannot import the ``hdrhistogram`` package (stock cloud images lack it), so
it records here with the same bucket layout and emits the same compressed base64
blob (``HISTFAAA...``) that ``hdrh`` decodes; the controller merges the blobs with
``squall.stats.histogram.Histogram``. Values are whole microseconds, 1 µs .. 24 h,
3 significant digits: the parameters of ``squall.stats.histogram.Range()``, so the
merge takes ``hdrh``'s fast path. A value out of range is clamped and counted, and the
counts follow the blob as ``#below=N,above=M`` (the convention of that module).
"""

from __future__ import annotations

import base64
import math
import struct
import zlib

LOWEST_US = 1
HIGHEST_US = 24 * 3600 * 1_000_000
DIGITS = 3

_ENCODING_COOKIE = 0x1C849303 | 0x10
_COMPRESSION_COOKIE = 0x1C849304 | 0x10
_PAYLOAD_HEADER = struct.Struct(">IIIIQQd")
_OUTER_HEADER = struct.Struct(">II")


class Recorder:
    """Counts of microsecond values in HdrHistogram's log-linear buckets."""

    __slots__ = (
        "_counts",
        "_half_mag",
        "_mask",
        "_sub_half",
        "_unit_mag",
        "above",
        "below",
        "highest",
        "lowest",
        "max",
        "min",
        "total",
    )

    def __init__(
        self, lowest: int = LOWEST_US, highest: int = HIGHEST_US, digits: int = DIGITS
    ) -> None:
        self.lowest = lowest
        self.highest = highest
        self._unit_mag = math.floor(math.log2(lowest))
        sub_count_mag = math.ceil(math.log2(2 * 10**digits))
        self._half_mag = max(sub_count_mag - 1, 0)
        sub_count = 1 << (self._half_mag + 1)
        self._sub_half = sub_count // 2
        self._mask = (sub_count - 1) << self._unit_mag
        self._counts: dict[int, int] = {}
        self.total = 0
        self.min = 0
        self.max = 0
        self.below = 0
        self.above = 0

    def index(self, value: int) -> int:
        bucket = (value | self._mask).bit_length() - self._unit_mag - (self._half_mag + 1)
        sub = value >> (bucket + self._unit_mag)
        return ((bucket + 1) << self._half_mag) + sub - self._sub_half

    def value_of(self, index: int) -> int:
        """The lowest value that lands in counts slot ``index``."""
        bucket = (index >> self._half_mag) - 1
        sub = (index & (self._sub_half - 1)) + self._sub_half
        if bucket < 0:
            sub -= self._sub_half
            bucket = 0
        return sub << (bucket + self._unit_mag)

    def record(self, value: int, count: int = 1) -> None:
        if value < self.lowest:
            if value < 0:
                self.below += count
                value = 0
        elif value > self.highest:
            self.above += count
            value = self.highest
        i = self.index(value)
        self._counts[i] = self._counts.get(i, 0) + count
        if self.total == 0 or value < self.min:
            self.min = value
        if value > self.max:
            self.max = value
        self.total += count

    def merge(self, other: Recorder) -> None:
        for i, n in other._counts.items():
            self._counts[i] = self._counts.get(i, 0) + n
        if other.total:
            self.min = other.min if self.total == 0 else min(self.min, other.min)
            self.max = max(self.max, other.max)
        self.total += other.total
        self.below += other.below
        self.above += other.above

    def percentile(self, p: float) -> int:
        """The highest value equivalent to the one at percentile ``p`` (as hdrh reports)."""
        if not self.total:
            return 0
        want = max(1, math.ceil(self.total * min(p, 100.0) / 100.0))
        seen = 0
        for i in sorted(self._counts):
            seen += self._counts[i]
            if seen >= want:
                return self.value_of(i + 1) - 1
        return self.max

    def encode(self) -> str:
        """HdrHistogram V2 compressed base64, plus ``#below=..,above=..`` if clamped."""
        counts = self._counts
        length = max(counts) + 1 if counts else 0
        stream = bytearray()
        zeros = 0
        for i in range(length):
            n = counts.get(i, 0)
            if n == 0:
                zeros += 1
                continue
            if zeros:
                _zigzag_leb128(-zeros, stream) if zeros > 1 else _zigzag_leb128(0, stream)
                zeros = 0
            _zigzag_leb128(n, stream)
        header = _PAYLOAD_HEADER.pack(
            _ENCODING_COOKIE, len(stream), 0, DIGITS, self.lowest, self.highest, 1.0
        )
        compressed = zlib.compress(header + bytes(stream))
        outer = _OUTER_HEADER.pack(_COMPRESSION_COOKIE, len(compressed))
        blob = base64.b64encode(outer + compressed).decode("ascii")
        if self.below or self.above:
            blob += f"#below={self.below},above={self.above}"
        return blob


def _zigzag_leb128(value: int, out: bytearray) -> None:
    """Append ``value`` as ZigZag LEB128 (at most 9 bytes, the last one carries 8 bits)."""
    u = ((value << 1) ^ (value >> 63)) & 0xFFFFFFFFFFFFFFFF
    for _ in range(8):
        if u < 0x80:
            out.append(u)
            return
        out.append((u & 0x7F) | 0x80)
        u >>= 7
    out.append(u & 0xFF)
