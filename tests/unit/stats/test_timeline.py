from __future__ import annotations

import pytest

from squall.iteration import AtomicAction, ErrorInfo, IterationResult
from squall.stats.timeline import Timeline

T0 = 1_700_000_000.0


def iteration(number, scheduled, start, duration, failed=False, action=None):
    actions = []
    if action is not None:
        actions.append(AtomicAction(action, T0 + start, T0 + start + duration / 2))
    return IterationResult(
        number=number,
        scheduled_offset=scheduled,
        start_offset=start,
        timestamp=T0 + start,
        duration=duration,
        error=ErrorInfo("E", "m") if failed else None,
        atomic_actions=actions,
    )


def test_empty_timeline():
    series = Timeline().finish()
    assert series.time == [] and series.durations == {}


def test_constant_concurrency_is_exact():
    # two back-to-back streams of 1 s iterations over 10 s: concurrency 2 everywhere
    timeline = Timeline(bins=5, min_per_bin=1)
    number = 0
    for _stream in range(2):
        for k in range(10):
            number += 1
            timeline.add(iteration(number, float(k), float(k), 1.0))
    series = timeline.finish()
    assert series.bin_width == pytest.approx(2.0)
    assert series.concurrency == pytest.approx([2.0] * 5)
    assert series.actual_rate == pytest.approx([2.0] * 5)
    assert series.time == pytest.approx([1, 3, 5, 7, 9])


def test_lag_failures_and_percentiles_per_bin():
    timeline = Timeline(bins=2, min_per_bin=1)
    for i in range(10):
        late = 0.5 if i >= 5 else 0.0
        timeline.add(iteration(i + 1, float(i), i + late, 0.1 * (i + 1), failed=i == 7, action="a"))
    series = timeline.finish()
    assert timeline.wall_start == T0
    assert series.failures == [0, 1]
    assert series.lag_mean == pytest.approx([0.0, 0.5])
    assert series.lag_max == pytest.approx([0.0, 0.5])
    assert series.durations["max"][0] == pytest.approx(0.5)
    assert series.durations["p50"][0] == pytest.approx(0.3)
    assert series.scheduled_rate[0] > series.actual_rate[0] - 1e-9
    assert list(series.actions) == ["a"]
    assert series.actions["a"][0] == pytest.approx(0.15)


def test_bins_are_bounded():
    timeline = Timeline(bins=50)
    for i in range(1000):
        timeline.add(iteration(i + 1, i * 0.01, i * 0.01, 0.05))
    series = timeline.finish()
    assert len(series.time) == 50
    assert sum(series.actual_rate) * series.bin_width == pytest.approx(1000)
    assert Timeline(bins=50).count == 0


def test_short_runs_get_fewer_bins():
    timeline = Timeline(bins=240)
    for i in range(400):
        timeline.add(iteration(i + 1, i * 0.01, i * 0.01, 0.05))
    assert len(timeline.finish().time) == 20
