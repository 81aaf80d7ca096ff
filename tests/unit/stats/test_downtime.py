"""Downtime windows, impact of a fault and degradation on synthetic probe series."""

from __future__ import annotations

import pytest

from squall.stats.downtime import (
    FaultSpan,
    Point,
    Window,
    baseline_latency,
    degradation_windows,
    downtime_windows,
    failed_between,
    impact,
    longest_downtime,
    total_downtime,
)


def series(pattern: str, period: float = 0.5, latency: float = 0.1):
    """'+' ok, '-' failed, one sample every ``period`` seconds from t=0."""
    return [
        Point(i * period, c == "+", latency if c == "+" else None) for i, c in enumerate(pattern)
    ]


def test_no_failure_no_window():
    assert downtime_windows(series("++++++")) == []


def test_one_outage_from_first_failure_to_first_sustained_success():
    windows = downtime_windows(series("+++----+++"))
    assert windows == [Window(1.5, 3.5, 4)]
    assert total_downtime(windows) == 2.0


def test_a_lucky_probe_does_not_split_an_outage():
    assert downtime_windows(series("++--+--+++")) == [Window(1.0, 3.5, 4)]
    assert downtime_windows(series("++--+--+++"), sustain=1) == [
        Window(1.0, 2.0, 2),
        Window(2.5, 3.5, 2),
    ]


def test_an_open_outage_and_a_final_success():
    windows = downtime_windows(series("++---"))
    assert windows == [Window(1.0, None, 3)]
    assert windows[0].duration() is None and windows[0].duration(until=2.0) == 1.0
    assert downtime_windows(series("+--+")) == [Window(0.5, 1.5, 2)]


def test_unsorted_input_is_sorted():
    points = list(reversed(series("+--++")))
    assert downtime_windows(points) == [Window(0.5, 1.5, 2)]


def test_two_outages_longest():
    windows = downtime_windows(series("+--++----++"))
    assert [w.start for w in windows] == [0.5, 2.5]
    assert longest_downtime(windows) == 2.0 and total_downtime(windows) == 3.0


def test_impact_of_a_fault():
    points = series("++++----------++++++", period=0.5)  # down from 2.0 to 7.0
    fault = FaultSpan("kill keystone", injected=1.8, restored=5.0)
    got = impact(points, fault, baseline=0.1)
    assert got.detect == pytest.approx(0.2)
    assert got.downtime == pytest.approx(5.0)
    assert got.recover_after_restore == pytest.approx(2.0)
    assert got.mttr == pytest.approx(5.2)
    assert got.recovered and got.degradation is None  # no successful probe during the fault


def test_a_fault_nobody_noticed():
    got = impact(series("++++++++"), FaultSpan("f", 1.0, 2.0), baseline=0.1)
    assert got.detect is None and got.downtime == 0 and got.mttr is None and got.recovered
    assert got.degradation == pytest.approx(1.0)


def test_failures_before_the_fault_are_not_its_doing():
    points = series("-++++++-----++++")
    got = impact(points, FaultSpan("f", 3.4, 5.0))
    assert got.detect == pytest.approx(0.1) and got.downtime == pytest.approx(2.5)


def test_never_recovered():
    got = impact(series("++++------"), FaultSpan("f", 1.9, 3.0))
    assert not got.recovered and got.mttr is None
    assert got.downtime == pytest.approx(2.5)  # counted up to the last sample


def test_baseline_and_degradation():
    points = [Point(t, True, 0.1) for t in range(10)]
    points += [Point(10 + t, True, 0.4) for t in range(5)]
    points += [Point(15 + t, True, 0.1) for t in range(10)]
    assert baseline_latency(points, before=10) == pytest.approx(0.1)
    windows = degradation_windows(points, 0.1, width=2.0, threshold=1.5)
    assert len(windows) == 1
    assert windows[0].start == 10 and windows[0].end == 17  # the 2 s window drains at 17
    got = impact(points, FaultSpan("f", 10, 14), baseline=0.1)
    assert got.degradation == pytest.approx(4.0)


def test_failed_between():
    points = series("++--+-++", period=1.0)
    assert failed_between(points, 2, 5) == (3, 4)
    assert failed_between(points, 6, None) == (0, 2)
