from __future__ import annotations

import pytest
from enginebench.measures import (
    completion_rate,
    distribution,
    per_second_counts,
    percentile,
    plateau,
    start_rate,
    successful_durations,
)
from enginebench.results import WorkloadRun, parse_rally_report


def run_of(starts, durations, failed=None, scheduled=None):
    return WorkloadRun(
        tool="t",
        scenario="s",
        runner={},
        load_duration=0.0,
        full_duration=0.0,
        iteration_count=len(starts),
        failed_count=0,
        starts=list(starts),
        durations=list(durations),
        failed=list(failed or [False] * len(starts)),
        summary=None,
        scheduled=scheduled,
    )


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        ([1.0], 0.99, 1.0),
        ([1.0, 2.0], 0.5, 1.5),
        ([1.0, 2.0, 3.0, 4.0], 0.9, 3.7),
        ([0.0, 10.0, 20.0, 30.0, 40.0], 0.95, 38.0),
        ([5.0, 6.0, 7.0], 0.0, 5.0),
        ([5.0, 6.0, 7.0], 1.0, 7.0),
    ],
)
def test_percentile_interpolates_at_n_minus_one_times_p(values, p, expected):
    assert percentile(values, p) == pytest.approx(expected)


def test_percentile_of_nothing_is_an_error():
    with pytest.raises(ValueError):
        percentile([], 0.5)


def test_distribution_is_exact():
    d = distribution([0.4, 0.1, 0.3, 0.2])

    assert (d.count, d.min, d.max) == (4, 0.1, 0.4)
    assert d.median == pytest.approx(0.25)
    assert d.avg == pytest.approx(0.25)
    assert d.p90 == pytest.approx(0.37)


def test_completion_rate_spans_first_start_to_last_end():
    # 4 iterations of 1 s in two waves of 2: 4 iterations in 2 s.
    run = run_of([0.0, 0.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0])

    assert completion_rate(run) == pytest.approx(2.0)


def test_start_rate_is_exact_for_a_steady_rate():
    run = run_of([i / 1000 for i in range(5000)], [0.05] * 5000)

    assert start_rate(run) == pytest.approx(1000.0)


def test_start_rate_needs_two_iterations():
    with pytest.raises(ValueError):
        start_rate(run_of([0.0], [1.0]))


def test_failed_iterations_are_left_out_of_durations():
    run = run_of([0.0, 1.0, 2.0], [1.0, 9.0, 3.0], failed=[False, True, False])

    assert successful_durations(run) == [1.0, 3.0]


def test_per_second_counts_bucket_whole_seconds():
    assert per_second_counts([0.0, 0.5, 0.99, 1.0, 2.5, 2.9]) == [3, 1, 2]
    assert per_second_counts([]) == []


def test_plateau_of_rallys_measured_ramp_is_its_doubled_end():
    # Rally 5.1.1, rps ramp {start 10, end 20, step 10, duration 2}, 2 worker processes.
    rally = [6, 15, 24, 35, 45, 55, 64, 75, 41, 40, 40, 40, 40, 40, 39, 1]

    assert plateau(rally) == 40


def test_plateau_of_a_correct_ramp_is_its_end():
    counts = [10, 10] + [20] * 28 + [3]

    assert plateau(counts) == 20


def test_recorded_ramp_rises_from_start_to_end(rally_report):
    ramp = parse_rally_report(rally_report)[1]
    counts = per_second_counts(ramp.starts)

    # ramp 10 -> 20, one step per second, over two processes: it starts near 10/s.
    assert sum(counts) == 40
    assert 5 <= counts[0] <= 15
