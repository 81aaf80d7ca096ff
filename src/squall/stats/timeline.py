"""A workload over time, downsampled to a bounded number of bins, built one iteration at a time.

Each iteration contributes its scheduled start, actual start, end, duration and
failure. ``finish()`` cuts the load into at most ``bins`` equal time bins and gives,
per bin: scheduled and actual start rates, mean and max start lag, mean
concurrency (exact: busy time in the bin / bin width), failures, and duration
percentiles of the iterations started in it; and per top-level atomic action the
median duration per bin. A million iterations become a few hundred points per series.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from squall.iteration import IterationResult

DEFAULT_BINS = 240
MIN_PER_BIN = 20  # iterations per bin on average, so a short run is not all noise
PERCENTILES: tuple[tuple[str, float], ...] = (("p50", 0.5), ("p95", 0.95), ("p99", 0.99))
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class TimelineSeries:
    """Bin midpoints (seconds from the load start) and the values per bin (None: no data)."""

    time: list[float]
    scheduled_rate: list[float]
    actual_rate: list[float]
    lag_mean: list[float | None]
    lag_max: list[float | None]
    concurrency: list[float]
    failures: list[int]
    durations: dict[str, list[float | None]]  # p50, p95, p99, max
    actions: dict[str, list[float | None]] = field(default_factory=dict)  # median per action
    bin_width: float = 0.0


class _Samples:
    __slots__ = ("durations", "starts")

    def __init__(self) -> None:
        self.starts = array("d")
        self.durations = array("d")


class Timeline:
    """Streaming collector: ``add()`` every iteration, then ``finish()``."""

    def __init__(self, bins: int = DEFAULT_BINS, min_per_bin: int = MIN_PER_BIN) -> None:
        self.bins = bins
        self.min_per_bin = min_per_bin
        self._scheduled = array("d")
        self._starts = array("d")
        self._durations = array("d")
        self._failed = array("b")
        self._actions: dict[str, _Samples] = {}
        self.wall_start: float | None = None  # wall-clock time of offset 0

    def add(self, it: IterationResult) -> None:
        if self.wall_start is None:
            self.wall_start = it.timestamp - it.start_offset
        self._scheduled.append(it.scheduled_offset)
        self._starts.append(it.start_offset)
        self._durations.append(it.duration)
        self._failed.append(1 if it.failed else 0)
        for action in it.atomic_actions:
            if action.finished_at is None:
                continue
            samples = self._actions.get(action.name)
            if samples is None:
                samples = self._actions[action.name] = _Samples()
            samples.starts.append(action.started_at - (self.wall_start or 0.0))
            samples.durations.append(action.finished_at - action.started_at)

    @property
    def count(self) -> int:
        return len(self._starts)

    def finish(self) -> TimelineSeries:
        starts = np.frombuffer(self._starts, dtype=np.float64)
        if starts.size == 0:
            return TimelineSeries([], [], [], [], [], [], [], {}, {}, 0.0)
        scheduled = np.frombuffer(self._scheduled, dtype=np.float64)
        durations = np.frombuffer(self._durations, dtype=np.float64)
        ends = starts + durations
        span = max(float(ends.max()), float(scheduled.max()), 1e-9)
        bins = max(1, min(self.bins, starts.size // self.min_per_bin))
        width = span / bins
        edges = np.linspace(0.0, span, bins + 1)
        start_bin = _bin_of(starts, width, bins)
        failed = np.frombuffer(self._failed, dtype=np.int8).astype(bool)
        lag = starts - scheduled
        scheduled_bin = _bin_of(scheduled, width, bins)
        return TimelineSeries(
            time=_rounded((edges[:-1] + edges[1:]) / 2),
            scheduled_rate=_rounded(np.bincount(scheduled_bin, minlength=bins) / width),
            actual_rate=_rounded(np.bincount(start_bin, minlength=bins) / width),
            lag_mean=_optional(_mean_by_bin(start_bin, lag, bins)),
            lag_max=_optional(_max_by_bin(start_bin, lag, bins)),
            concurrency=_rounded(_mean_concurrency(starts, ends, edges)),
            failures=np.bincount(start_bin[failed], minlength=bins).astype(int).tolist(),
            durations=_percentiles_by_bin(start_bin, durations, bins),
            actions=self._action_medians(width, bins),
            bin_width=width,
        )

    def _action_medians(self, width: float, bins: int) -> dict[str, list[float | None]]:
        medians = {}
        for name, samples in self._actions.items():
            starts = np.frombuffer(samples.starts, dtype=np.float64)
            values = np.frombuffer(samples.durations, dtype=np.float64)
            medians[name] = _optional(
                _quantile_by_bin(_bin_of(starts, width, bins), values, bins, 0.5)
            )
        return medians


def _bin_of(offsets: FloatArray, width: float, bins: int) -> npt.NDArray[np.int64]:
    return np.clip(np.floor(offsets / width), 0, bins - 1).astype(np.int64)


def _mean_concurrency(starts: FloatArray, ends: FloatArray, edges: FloatArray) -> FloatArray:
    """Busy time inside each bin divided by its width: the exact mean in-flight count."""
    busy = _busy_until(np.sort(starts), edges) - _busy_until(np.sort(ends), edges)
    width = edges[1] - edges[0]
    result: FloatArray = np.diff(busy) / width
    return result


def _busy_until(points: FloatArray, edges: FloatArray) -> FloatArray:
    """For each edge t: sum over points p < t of (t - p)."""
    before = np.searchsorted(points, edges, side="left")
    prefix = np.concatenate(([0.0], np.cumsum(points)))
    result: FloatArray = edges * before - prefix[before]
    return result


def _mean_by_bin(bins_of: npt.NDArray[np.int64], values: FloatArray, bins: int) -> FloatArray:
    counts = np.bincount(bins_of, minlength=bins)
    sums = np.bincount(bins_of, weights=values, minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        result: FloatArray = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    return result


def _max_by_bin(bins_of: npt.NDArray[np.int64], values: FloatArray, bins: int) -> FloatArray:
    result = np.full(bins, -np.inf)
    np.maximum.at(result, bins_of, values)
    result[np.isneginf(result)] = np.nan
    return result


def _sorted_by_bin(
    bins_of: npt.NDArray[np.int64], values: FloatArray, bins: int
) -> tuple[FloatArray, npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    order = np.lexsort((values, bins_of))
    counts = np.bincount(bins_of, minlength=bins)
    offsets = np.concatenate(([0], np.cumsum(counts)[:-1]))
    return values[order], counts, offsets


def _quantile_by_bin(
    bins_of: npt.NDArray[np.int64], values: FloatArray, bins: int, q: float
) -> FloatArray:
    ordered, counts, offsets = _sorted_by_bin(bins_of, values, bins)
    return _pick(ordered, counts, offsets, q)


def _pick(
    ordered: FloatArray, counts: npt.NDArray[np.int64], offsets: npt.NDArray[np.int64], q: float
) -> FloatArray:
    """Nearest-rank quantile ``q`` of each bin's sorted slice (NaN for an empty bin)."""
    if ordered.size == 0:
        return np.full(counts.size, np.nan)
    index = offsets + np.maximum(np.ceil(q * counts).astype(np.int64) - 1, 0)
    picked = ordered[np.minimum(index, ordered.size - 1)]
    result: FloatArray = np.where(counts > 0, picked, np.nan)
    return result


def _percentiles_by_bin(
    bins_of: npt.NDArray[np.int64], values: FloatArray, bins: int
) -> dict[str, list[float | None]]:
    ordered, counts, offsets = _sorted_by_bin(bins_of, values, bins)
    series = {name: _optional(_pick(ordered, counts, offsets, q)) for name, q in PERCENTILES}
    series["max"] = _optional(_pick(ordered, counts, offsets, 1.0))
    return series


def _rounded(values: FloatArray | Sequence[float]) -> list[float]:
    return [_round(float(v)) for v in values]


def _optional(values: FloatArray) -> list[float | None]:
    return [None if math.isnan(v) else _round(float(v)) for v in values]


def _round(value: float) -> float:
    """Six significant digits: plenty for a chart, a third of the JSON."""
    return float(f"{value:.6g}")
