"""A latency distribution as sorted distinct values and their counts.

Built from an HdrHistogram (``Histogram.buckets()``) or from raw values, so a
million iterations compare as a few thousand buckets. Quantiles follow
HdrHistogram's definition: the smallest value whose cumulative count reaches
``ceil(q * n)`` (at least 1), which is what ``Histogram.value_at`` reports.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from squall.stats.histogram import Histogram

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True, eq=False)
class Distribution:
    """Distinct ``values`` (ascending) and how many samples had each (``counts``)."""

    values: FloatArray
    counts: IntArray

    @classmethod
    def from_histogram(cls, hist: Histogram) -> Distribution:
        pairs = hist.buckets()
        values = np.array([v for v, _ in pairs], dtype=np.float64)
        counts = np.array([c for _, c in pairs], dtype=np.int64)
        return cls(values, counts)

    @classmethod
    def from_values(cls, samples: Iterable[float]) -> Distribution:
        values, counts = np.unique(np.fromiter(samples, dtype=np.float64), return_counts=True)
        return cls(values.astype(np.float64), counts.astype(np.int64))

    @property
    def n(self) -> int:
        return int(self.counts.sum())

    def quantiles(self, qs: Sequence[float]) -> FloatArray:
        """The values at quantiles ``qs`` (0-1); NaN for an empty distribution."""
        if self.n == 0:
            return np.full(len(qs), np.nan)
        indexes = _quantile_indexes(np.cumsum(self.counts)[None, :], self.n, qs)[0]
        found: FloatArray = self.values[indexes]
        return found

    def bootstrap_quantiles(
        self, qs: Sequence[float], resamples: int, rng: np.random.Generator, chunk: int = 200
    ) -> FloatArray:
        """Quantiles ``qs`` of ``resamples`` bootstrap resamples: shape (resamples, len(qs)).

        A resample of n samples drawn with replacement is a multinomial draw over the
        buckets, so this costs resamples x buckets, whatever n is.
        """
        n = self.n
        if n == 0:
            return np.full((resamples, len(qs)), np.nan)
        probabilities = self.counts / n
        out = np.empty((resamples, len(qs)), dtype=np.float64)
        for begin in range(0, resamples, chunk):
            size = min(chunk, resamples - begin)
            draws = rng.multinomial(n, probabilities, size=size)
            indexes = _quantile_indexes(np.cumsum(draws, axis=1), n, qs)
            out[begin : begin + size] = self.values[indexes]
        return out


def _quantile_indexes(cumulative: npt.NDArray[np.int64], n: int, qs: Sequence[float]) -> IntArray:
    """Per row of ``cumulative`` counts, the first bucket reaching each quantile's rank."""
    ranks = np.maximum(np.ceil(np.asarray(qs, dtype=np.float64) * n), 1).astype(np.int64)
    columns = [np.argmax(cumulative >= rank, axis=1) for rank in ranks]
    return np.stack(columns, axis=1).astype(np.int64)
