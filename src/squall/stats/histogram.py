"""A latency histogram in seconds over an HdrHistogram, merged losslessly.

Values are recorded as whole microseconds in an ``hdrh`` HdrHistogram (3 significant
digits by default, 1 µs to 24 h). A value outside the trackable range is never
dropped: it is recorded at the nearest trackable bound and counted in
``below`` / ``above``, so totals stay right and the report can say how many figures
were clamped.

Encoding: the standard HdrHistogram V2 compressed base64 blob, readable by any
HdrHistogram tool; when values were clamped, ``#below=N,above=M`` follows the blob
('#' is not in the base64 alphabet).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from hdrh.histogram import HdrHistogram

MICROS = 1_000_000
DEFAULT_HIGHEST_US = 24 * 3600 * MICROS
_CLAMP_MARK = "#"


@dataclass(frozen=True, slots=True)
class Range:
    """What a histogram can track: microsecond bounds and significant digits."""

    lowest_us: int = 1
    highest_us: int = DEFAULT_HIGHEST_US
    significant_figures: int = 3


class Histogram:
    """Durations in seconds in an HdrHistogram; out-of-range values clamped and counted."""

    __slots__ = ("_hdr", "above", "below", "range")

    def __init__(self, value_range: Range | None = None) -> None:
        self.range = value_range or Range()
        self._hdr: Any = HdrHistogram(
            self.range.lowest_us, self.range.highest_us, self.range.significant_figures
        )
        self.below = 0
        self.above = 0

    @property
    def count(self) -> int:
        """Every recorded value, clamped ones included."""
        return int(self._hdr.get_total_count())

    @property
    def out_of_range(self) -> int:
        return self.below + self.above

    def record(self, seconds: float, count: int = 1) -> None:
        self._record_micros(round(seconds * MICROS), count)

    def record_many(self, values: Iterable[float]) -> None:
        """Record many values at once (``record_counts`` with a count of one each)."""
        seconds = np.fromiter(values, dtype=np.float64)
        self.record_counts(seconds, np.ones(len(seconds), dtype=np.int64))

    def record_counts(self, seconds: npt.ArrayLike, counts: npt.ArrayLike) -> None:
        """Record ``counts[i]`` values of ``seconds[i]`` each, all at once.

        The same as ``record(seconds[i], counts[i])`` for each ``i`` (a zero count records
        nothing), with the bucket indexes computed by numpy as hdrh computes them one at
        a time: for a histogram given as buckets (fio's bins), hundreds at a time.
        """
        micros = np.rint(np.asarray(seconds, dtype=np.float64) * MICROS).astype(np.int64)
        many = np.asarray(counts, dtype=np.int64)
        taken = many > 0
        micros, many = micros[taken], many[taken]
        if not len(micros):
            return
        low, high = micros < 0, micros > self.range.highest_us
        self.below += int(many[low].sum())
        self.above += int(many[high].sum())
        micros = np.clip(micros, 0, self.range.highest_us)
        _add_counts(self._hdr, micros, many)

    def _record_micros(self, micros: int, count: int) -> None:
        if micros < 0:
            self.below += count
            micros = 0
        elif micros > self.range.highest_us:
            self.above += count
            micros = self.range.highest_us
        self._hdr.record_value(micros, count)

    def merge(self, other: Histogram) -> None:
        """Add every value ``other`` holds (lossless when both share a range)."""
        self._hdr.add(other._hdr)
        self.below += other.below
        self.above += other.above

    def value_at(self, percentile: float) -> float:
        """The value (seconds) at ``percentile`` (0-100), within the histogram's precision."""
        return float(self._hdr.get_value_at_percentile(percentile)) / MICROS

    @property
    def min(self) -> float | None:
        return float(self._hdr.get_min_value()) / MICROS if self.count else None

    @property
    def max(self) -> float | None:
        return float(self._hdr.get_max_value()) / MICROS if self.count else None

    @property
    def mean(self) -> float | None:
        return float(self._hdr.get_mean_value()) / MICROS if self.count else None

    def buckets(self) -> list[tuple[float, int]]:
        """Every non-empty bucket as (seconds, count), ascending.

        A bucket's value is its highest equivalent value, as ``value_at`` reports.
        """
        hdr = self._hdr
        counts = np.ctypeslib.as_array(hdr.counts)[: hdr.counts_len]
        found = []
        for index in np.flatnonzero(counts).tolist():  # a scan in C, not Python's iterator
            value = hdr.get_highest_equivalent_value(hdr.get_value_from_index(index))
            found.append((float(value) / MICROS, int(counts[index])))
        return found

    def encode(self) -> str:
        blob: str = self._hdr.encode().decode("ascii")
        if self.out_of_range:
            blob += f"{_CLAMP_MARK}below={self.below},above={self.above}"
        return blob

    def merge_encoded(self, text: str) -> None:
        """Add the values of an ``encode()`` blob: ``merge(decode(text))`` at half the cost."""
        blob, _, clamped = text.partition(_CLAMP_MARK)
        try:
            self._hdr.decode_and_add(blob.encode("ascii"))
        except IndexError as exc:
            raise ValueError(f"histogram does not fit the range {self.range}: {exc}") from exc
        below, above = _parse_clamped(clamped)
        self.below += below
        self.above += above

    @classmethod
    def decode(cls, text: str, value_range: Range | None = None) -> Histogram:
        """Rebuild a histogram from ``encode()``'s output.

        The result uses ``value_range`` (default range if omitted) so it can merge
        with others of that range; a blob from a wider histogram raises ``ValueError``.
        """
        blob, _, clamped = text.partition(_CLAMP_MARK)
        decoded = HdrHistogram.decode(blob.encode("ascii"))
        hist = cls(value_range)
        try:
            hist._hdr.add(decoded)
        except IndexError as exc:
            raise ValueError(f"histogram does not fit the range {hist.range}: {exc}") from exc
        hist.below, hist.above = _parse_clamped(clamped)
        return hist


def _add_counts(hdr: Any, values: Any, counts: Any) -> None:
    """hdrh's ``record_value(values[i], counts[i])`` for every ``i``, vectorised.

    hdrh: bucket = bit_length(value | sub_bucket_mask) - unit_magnitude -
    (sub_bucket_half_count_magnitude + 1); sub bucket = value >> (bucket +
    unit_magnitude); index = ((bucket + 1) << sub_bucket_half_count_magnitude) +
    sub bucket - sub_bucket_half_count. ``bit_length`` is frexp's exponent, exact for
    values below 2**53.
    """
    _, bits = np.frexp((values | hdr.sub_bucket_mask).astype(np.float64))
    bucket = bits.astype(np.int64) - hdr.unit_magnitude - (hdr.sub_bucket_half_count_magnitude + 1)
    sub_bucket = values >> (bucket + hdr.unit_magnitude)
    index = ((bucket + 1) << hdr.sub_bucket_half_count_magnitude) + sub_bucket
    index -= hdr.sub_bucket_half_count
    inside = (index >= 0) & (index < hdr.counts_len)  # as record_value: others not recorded
    index, counts, values = index[inside], counts[inside], values[inside]
    if not len(index):
        return
    np.add.at(np.ctypeslib.as_array(hdr.counts)[: hdr.counts_len], index, counts)
    hdr.total_count += int(counts.sum())
    hdr.min_value = min(hdr.min_value, int(values.min()))
    hdr.max_value = max(hdr.max_value, int(values.max()))


def _parse_clamped(text: str) -> tuple[int, int]:
    if not text:
        return 0, 0
    try:
        fields = dict(part.split("=", 1) for part in text.split(","))
        return int(fields.get("below", 0)), int(fields.get("above", 0))
    except ValueError as exc:
        raise ValueError(f"bad clamp counts in encoded histogram: {text!r}") from exc
