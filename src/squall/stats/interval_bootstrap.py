"""Bootstrap over report intervals: a test's whole figures recomputed from resampled intervals.

A data-plane test reports its figures per interval. Resampling the intervals (with
replacement, as many as there are) and recomputing the whole-test figure from each
resample gives that figure's sampling spread without treating every request as an
independent draw. Long tests are cut into at most ``MAX_BLOCKS`` runs of neighbouring
intervals first (a block bootstrap: neighbours are the most alike). Rates are
recomputed as weighted means (weights: interval widths, or requests tried), latency
percentiles from the resampled intervals' histograms merged (a resample of histograms
is a weighted sum of their bucket counts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

MAX_BLOCKS = 120
CHUNK = 100  # resamples computed at once (bounds memory: CHUNK x buckets)


@dataclass(frozen=True, slots=True, eq=False)
class BlockCounts:
    """Histograms per block of intervals: distinct ``values`` (ascending, seconds) and
    ``counts[block, value]``."""

    values: FloatArray
    counts: IntArray

    @classmethod
    def of(cls, blocks: Sequence[Sequence[tuple[float, int]]]) -> BlockCounts:
        """From each block's merged ``Histogram.buckets()`` (blocks as ``groups`` cuts)."""
        values = np.unique([v for one in blocks for v, _ in one]).astype(np.float64)
        counts = np.zeros((len(blocks), values.size), dtype=np.int64)
        for block, buckets in enumerate(blocks):
            if buckets:
                where = np.searchsorted(values, [v for v, _ in buckets])
                counts[block, where] = [c for _, c in buckets]
        return cls(values, counts)


def groups(count: int) -> list[range]:
    """``count`` intervals cut into at most ``MAX_BLOCKS`` runs of neighbours."""
    size = max(1, -(-count // MAX_BLOCKS))
    return [range(i, min(i + size, count)) for i in range(0, count, size)]


def weighted_means(
    samples: Sequence[float], weights: Sequence[float], resamples: int, rng: np.random.Generator
) -> FloatArray:
    """Σ sample·weight / Σ weight of ``resamples`` resamples of (sample, weight) pairs,
    neighbours merged into at most ``MAX_BLOCKS`` blocks first."""
    values = np.asarray(samples, dtype=np.float64) * np.asarray(weights, dtype=np.float64)
    totals = np.asarray(weights, dtype=np.float64)
    cuts = groups(len(values))
    value_blocks = np.array([values[g.start : g.stop].sum() for g in cuts])
    weight_blocks = np.array([totals[g.start : g.stop].sum() for g in cuts])
    picks = rng.integers(0, len(cuts), size=(resamples, len(cuts)))
    weight_sums = weight_blocks[picks].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        means: FloatArray = value_blocks[picks].sum(axis=1) / weight_sums
    return means


def block_quantiles(
    blocks: BlockCounts, quantiles: Sequence[float], resamples: int, rng: np.random.Generator
) -> FloatArray:
    """Quantiles (0-1) of the merged histogram of each resample: (resamples, quantiles)."""
    count = blocks.counts.shape[0]
    out = np.empty((resamples, len(quantiles)), dtype=np.float64)
    for begin in range(0, resamples, CHUNK):
        size = min(CHUNK, resamples - begin)
        picks = rng.multinomial(count, np.full(count, 1 / count), size=size)
        cumulative = np.cumsum(picks @ blocks.counts, axis=1)
        total = cumulative[:, -1:]
        for column, q in enumerate(quantiles):
            rank = np.maximum(np.ceil(q * total), 1)
            out[begin : begin + size, column] = blocks.values[np.argmax(cumulative >= rank, axis=1)]
    return out


def change_interval(
    before: FloatArray, after: FloatArray, alpha: float, *, relative: bool
) -> tuple[float | None, float | None]:
    """The (1 - alpha) percentile interval of after/before - 1 (``relative``) or of
    after - before, over paired resamples; (None, None) when it cannot be formed."""
    with np.errstate(invalid="ignore", divide="ignore"):
        changes = after / before - 1 if relative else after - before
    changes = changes[np.isfinite(changes)]
    if changes.size < len(before) // 2 or changes.size == 0:
        return None, None
    low, high = np.quantile(changes, [alpha / 2, 1 - alpha / 2])
    return float(low), float(high)
