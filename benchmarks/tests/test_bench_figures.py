from __future__ import annotations

import pytest
from enginebench.figures import Bound, Figure, Goal, Subject, format_figure, summary_mismatches
from enginebench.measures import distribution
from enginebench.results import SummaryRow


@pytest.mark.parametrize(
    ("goal", "value", "holds"),
    [
        (Goal(Subject.RATIO, Bound.AT_LEAST, 10.0), 10.0, True),
        (Goal(Subject.RATIO, Bound.AT_LEAST, 10.0), 9.99, False),
        (Goal(Subject.SQUALL, Bound.AT_MOST, 105.0), 104.0, True),
        (Goal(Subject.SQUALL, Bound.AT_MOST, 105.0), 105.1, False),
        (Goal(Subject.SQUALL, Bound.WITHIN, 20.0, tolerance=1.0), 21.0, True),
        (Goal(Subject.SQUALL, Bound.WITHIN, 20.0, tolerance=1.0), 40.0, False),
        (Goal(Subject.SQUALL, Bound.AT_LEAST, 0.0), None, False),
        (Goal(Subject.SQUALL, Bound.AT_LEAST, 0.0), float("nan"), False),
    ],
)
def test_goal_holds(goal, value, holds):
    assert goal.holds(value) is holds


def test_ratio_goal_judges_squall_over_rally():
    goal = Goal(Subject.RATIO, Bound.AT_LEAST, 10.0)

    assert Figure("x", "it/s", 25000.0, 2000.0, goal).passed
    assert not Figure("x", "it/s", 15000.0, 2000.0, goal).passed
    assert not Figure("x", "it/s", 25000.0, None, goal).passed


def test_figure_line_names_both_tools_the_ratio_goal_and_verdict():
    figure = Figure(
        "c20-throughput",
        "it/s",
        25000.0,
        2070.0,
        Goal(Subject.RATIO, Bound.AT_LEAST, 10.0),
        load=(1.5, 0.75, 0.25),
    )

    assert format_figure(figure) == (
        "c20-throughput: squall 25,000 it/s, rally 2,070 it/s, ratio 12.1 (goal ratio >= 10): "
        "PASS [load 1.50 0.75 0.25]"
    )


def test_figure_line_for_a_missing_tool_and_a_detail():
    figure = Figure(
        "c100-p99", "ms", None, 119.5, Goal(Subject.SQUALL, Bound.AT_MOST, 105.0), detail="why"
    )

    assert format_figure(figure) == (
        "c100-p99: squall n/a, rally 119.5 ms, ratio n/a (goal squall <= 105 ms): FAIL\n    why"
    )


def test_within_goal_describes_its_tolerance():
    goal = Goal(Subject.SQUALL, Bound.WITHIN, 20.0, tolerance=1.0)

    assert goal.describe("it/s") == "squall = 20 ± 1 it/s"


def exact_row(values):
    d = distribution(values)
    return SummaryRow(d.count, d.min, d.median, d.p90, d.p95, d.p99, d.max, d.avg, 100.0)


def test_an_exact_summary_has_no_mismatch():
    values = [0.001 * i for i in range(1, 1001)]

    assert summary_mismatches(exact_row(values), distribution(values)) == []


def test_a_wrong_percentile_and_count_are_named():
    values = [0.001 * i for i in range(1, 1001)]
    row = exact_row(values)
    wrong = SummaryRow(
        999, row.min, row.median, row.p90, row.p95, row.p99 + 1e-3, row.max, row.avg, 100.0
    )

    problems = summary_mismatches(wrong, distribution(values))

    assert [p.split(":")[0] for p in problems] == ["count", "p99"]


def test_a_missing_summary_is_a_mismatch():
    assert summary_mismatches(None, distribution([1.0])) != []
