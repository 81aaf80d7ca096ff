"""Resampling report intervals: weighted rates, merged-histogram percentiles, intervals."""

from __future__ import annotations

import numpy as np
import pytest

from squall.stats.histogram import Histogram
from squall.stats.interval_bootstrap import (
    MAX_BLOCKS,
    BlockCounts,
    block_quantiles,
    change_interval,
    groups,
    weighted_means,
)


def test_long_tests_are_cut_into_blocks_of_neighbours():
    cuts = groups(1000)
    assert len(cuts) <= MAX_BLOCKS
    assert [i for cut in cuts for i in cut] == list(range(1000))
    assert groups(7) == [range(i, i + 1) for i in range(7)]


def test_weighted_means_recompute_the_whole_figure_from_resamples():
    rng = np.random.default_rng(0)
    same = weighted_means([5.0] * 10, [1.0, 2.0] * 5, 50, rng)
    assert same.shape == (50,) and np.allclose(same, 5.0)
    spread = weighted_means([1.0, 3.0], [3.0, 1.0], 2000, rng)  # whole: (3 + 3) / 4 = 1.5
    share = {v: float(np.mean(np.round(spread, 6) == v)) for v in (1.0, 1.5, 3.0)}
    assert sum(share.values()) == 1.0  # each interval twice, or both once: 1.5 as a whole
    assert share == pytest.approx({1.0: 0.25, 1.5: 0.5, 3.0: 0.25}, abs=0.04)


def blocks_of(*samples: list[float]) -> BlockCounts:
    buckets = []
    for values in samples:
        hist = Histogram()
        hist.record_many(values)
        buckets.append(hist.buckets())
    return BlockCounts.of(buckets)


def test_identical_blocks_give_the_merged_histogram_s_percentiles_every_time():
    values = [0.001 * (i + 1) for i in range(100)]
    blocks = blocks_of(values, values, values)
    merged = Histogram()
    merged.record_many(values * 3)
    found = block_quantiles(blocks, [0.5, 0.99], 30, np.random.default_rng(1))
    assert found.shape == (30, 2)
    assert np.all(found[:, 0] == merged.value_at(50)) and np.all(found[:, 1] == merged.value_at(99))


def test_resampled_percentiles_stay_within_the_blocks_range():
    blocks = blocks_of([0.001] * 50, [0.002] * 50, [0.004] * 50, [])
    found = block_quantiles(blocks, [0.5], 500, np.random.default_rng(2))[:, 0]
    assert set(np.round(found, 4)) <= {0.001, 0.002, 0.004}
    assert len(set(np.round(found, 4))) == 3  # it does move with the resample


def test_change_intervals_relative_or_in_points():
    before, after = np.array([1.0, 2.0, 4.0] * 100), np.array([2.0, 4.0, 8.0] * 100)
    assert change_interval(before, after, 0.05, relative=True) == (1.0, 1.0)
    assert change_interval(before, after, 0.05, relative=False) == (1.0, 4.0)
    assert change_interval(np.zeros(10), np.ones(10), 0.05, relative=True) == (None, None)
