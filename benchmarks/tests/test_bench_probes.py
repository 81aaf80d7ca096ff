from __future__ import annotations

import pytest
from enginebench import probes
from enginebench.results import (
    SummaryRow,
    WorkloadRun,
    parse_rally_report,
    parse_squall_export,
)


def steady(tool, rate, count, duration, scheduled=False):
    starts = [i / rate for i in range(count)]
    return WorkloadRun(
        tool=tool,
        scenario="Dummy.dummy",
        runner={},
        load_duration=count / rate + duration,
        full_duration=0.0,
        iteration_count=count,
        failed_count=0,
        starts=starts,
        durations=[duration] * count,
        failed=[False] * count,
        summary=None,
        scheduled=list(starts) if scheduled else None,
    )


def test_throughput_ratio_is_squall_over_rally():
    (figure,) = probes.throughput(
        steady("squall", 30000, 3000, 0.0), steady("rally", 2000, 200, 0.0)
    )

    assert figure.ratio == pytest.approx(15.0, rel=0.01)
    assert figure.passed


def test_closed_loop_rate_and_p99_on_an_ideal_run():
    # concurrency 100, sleep 0.1: waves of 100 every 0.1 s.
    starts = [0.1 * (i // 100) for i in range(1000)]
    run = WorkloadRun(
        "squall", "Dummy.dummy", {}, 1.0, 1.0, 1000, 0, starts, [0.1] * 1000, [False] * 1000, None
    )

    rate, p99 = probes.closed_loop(run, None, ideal_rate=1000.0, sleep=0.1)

    assert rate.squall == pytest.approx(100.0)
    assert p99.squall == pytest.approx(100.0)
    assert rate.passed and p99.passed
    assert rate.rally is None


def test_open_loop_shows_how_far_below_target_rally_stays():
    squall = steady("squall", 1000, 5000, 0.05, scheduled=True)
    rally = steady("rally", 814, 5000, 0.05)

    (figure,) = probes.open_loop(squall, rally, 1000.0)

    assert figure.squall == pytest.approx(100.0)
    assert figure.rally == pytest.approx(81.4)
    assert figure.passed
    assert "max start lag 0.0 ms" in figure.detail


def test_ramp_passes_at_the_configured_end_and_prints_both_series():
    squall = steady("squall", 20, 600, 0.01)
    rally = steady("rally", 40, 600, 0.01)

    (figure,) = probes.ramp(squall, rally, 20.0)

    assert (figure.squall, figure.rally) == (20, 40)
    assert figure.passed
    assert "per-second starts, rally: [40," in figure.detail


def test_ramp_of_rallys_recorded_run_fails_the_goal(rally_report):
    rally_ramp = parse_rally_report(rally_report)[1]

    (figure,) = probes.ramp(rally_ramp, None, 20.0)

    assert figure.squall is not None
    assert figure.squall > 21  # two processes, each at the full rate


def test_store_ratio_is_against_rally():
    db, export = probes.store(
        probes.StoreSizes(1_000_000, 2_000_000), probes.StoreSizes(10_500_000, 39_700_000), 28000
    )

    assert db.passed and export.passed
    assert db.ratio == pytest.approx(1 / 10.5)
    assert "rally 375 B/it" in db.detail


def exact_summary(durations):
    ordered = sorted(durations)
    n = len(ordered)
    return SummaryRow(
        n,
        ordered[0],
        (ordered[n // 2 - 1] + ordered[n // 2]) / 2,
        None,
        None,
        None,
        ordered[-1],
        sum(ordered) / n,
        100.0,
    )


def test_million_counts_every_disagreement_with_the_exported_iterations():
    run = steady("squall", 1000, 10, 0.5)
    run = WorkloadRun(
        **{
            **{f: getattr(run, f) for f in run.__slots__},
            "durations": [0.1 * i for i in range(1, 11)],
            "summary": exact_summary([0.1 * i for i in range(1, 11)]),
        }
    )

    rss, exact = probes.million(run, expected=10, peak_rss_mb=120.0)

    assert rss.passed
    # p90/p95/p99 are missing from that summary: three mismatches, the rest exact.
    assert exact.squall == 3.0
    assert not exact.passed
    assert "p90" in exact.detail and "median" not in exact.detail


def test_million_flags_a_short_count():
    run = steady("squall", 1000, 10, 0.5)

    _, exact = probes.million(run, expected=1_000_000, peak_rss_mb=500.0)

    assert "iteration count 10 != 1000000" in exact.detail


def test_squalls_own_summary_of_a_recorded_run_is_exact(squall_export):
    run = parse_squall_export(squall_export)[0]

    _, exact = probes.million(run, expected=30, peak_rss_mb=100.0)

    assert exact.passed, exact.detail


def test_a_summary_agrees_with_rows_rounded_to_the_microsecond(squall_export_v2):
    run = parse_squall_export(squall_export_v2)[0]

    _, within_rounding = probes.million(run, expected=30, peak_rss_mb=100.0)
    _, exactly = probes.million(run, expected=30, peak_rss_mb=100.0, abs_tol=0.0)

    assert within_rounding.passed, within_rounding.detail
    # the rows really are rounded: compared exactly, the exact summary disagrees
    assert not exactly.passed


@pytest.mark.parametrize(("shift", "mismatches"), [(0.49e-6, 3), (0.51e-6, 7)])
def test_the_tolerance_is_half_a_microsecond_and_no_more(shift, mismatches):
    durations = [0.012_345 + i * 1e-6 for i in range(10)]
    run = steady("squall", 1000, 10, 0.5)
    run = WorkloadRun(
        **{
            **{f: getattr(run, f) for f in run.__slots__},
            "durations": durations,
            "summary": exact_summary([d + shift for d in durations]),
            "time_resolution": 1e-6,
        }
    )

    _, exact = probes.million(run, expected=10, peak_rss_mb=100.0)

    # p90/p95/p99 are missing from that summary; min, median, max and avg are off by shift
    assert exact.squall == mismatches, exact.detail
