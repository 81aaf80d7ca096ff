"""The duration table: Rally's rows, exact figures, streaming and mergeable."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from squall.iteration import AtomicAction, ErrorInfo, IterationResult
from squall.results.records import StatsRow
from squall.stats.histogram import Histogram
from squall.stats.summary import DurationSummary, stats_tree


def act(name: str, seconds: float, *children: AtomicAction, failed: bool = False) -> AtomicAction:
    return AtomicAction(name, 10.0, 10.0 + seconds, list(children), failed)


def it(
    duration: float,
    *atomics: AtomicAction,
    failed: bool = False,
    idle: float = 0.0,
) -> IterationResult:
    return IterationResult(
        number=1,
        scheduled_offset=0.0,
        start_offset=0.0,
        timestamp=0.0,
        duration=duration,
        idle_duration=idle,
        error=ErrorInfo("E", "m") if failed else None,
        atomic_actions=list(atomics),
    )


def summarize(*items: IterationResult) -> dict[str, StatsRow]:
    summary = DurationSummary()
    for one in items:
        summary.add(one)
    return {row.name: row for row in summary.rows()}


def test_no_iterations_gives_an_empty_total_row():
    rows = DurationSummary().rows()
    assert [r.name for r in rows] == ["total"]  # as Rally: no children without iterations
    assert rows[0] == StatsRow("total", 0, 0.0, None, None, None, None, None, None, None)


def test_total_row_has_rallys_columns_plus_p99():
    rows = summarize(*(it(d) for d in (1.0, 2.0, 3.0, 4.0, 5.0)))
    total = rows["total"]
    assert (total.count, total.success, total.min, total.max, total.avg) == (
        5,
        100.0,
        1.0,
        5.0,
        3.0,
    )
    assert total.median == 3.0
    assert total.p90 == pytest.approx(4.6)
    assert total.p95 == pytest.approx(4.8)
    assert total.p99 == pytest.approx(4.96)


def test_total_is_duration_plus_idle_and_failures_count_in_every_figure():
    rows = summarize(it(1.0, idle=0.5), it(3.0, failed=True))
    assert rows["total"].max == 3.0 and rows["total"].min == 1.5
    assert rows["total > duration"].min == 1.0
    assert rows["total > idle_duration"].max == 0.5
    assert rows["total"].success == 50.0
    assert rows["total"].count == 2


def test_actions_in_order_of_first_appearance_then_total():
    rows = summarize(it(1, act("b", 0.1)), it(1, act("a", 0.2), act("b", 0.1)))
    assert list(rows) == ["b", "a", "total", "total > duration", "total > idle_duration"]
    assert rows["b"].count == 2 and rows["a"].count == 1


def test_repeated_action_is_one_summed_sample_in_its_own_row():
    rows = summarize(it(1, act("a", 0.25), act("a", 0.5)), it(1, act("a", 0.1)))
    assert rows["a (x2)"].count == 1
    assert rows["a (x2)"].max == 0.75
    assert rows["a"].count == 1 and rows["a"].max == pytest.approx(0.1)


def test_nested_actions_are_named_by_path_two_levels_deep():
    deep = act("l0", 4, act("l1", 3, act("l2", 2, act("l3", 1))))
    rows = summarize(it(5, deep))
    assert list(rows)[:3] == ["l0", "l0 > l1", "l0 > l1 > l2"]
    assert "l0 > l1 > l2 > l3" not in rows


def test_children_of_repeated_runs_are_gathered():
    rows = summarize(it(1, act("a", 0.2, act("c", 0.1)), act("a", 0.3, act("c", 0.2))))
    assert rows["a (x2) > c (x2)"].max == pytest.approx(0.3)


def test_success_is_per_action():
    rows = summarize(
        it(1, act("a", 0.1), act("b", 0.1, failed=True), failed=True),
        it(1, act("a", 0.1, failed=True), act("b", 0.1), failed=True),
        it(1, act("a", 0.1), act("b", 0.1)),
        it(1, act("a", 0.1), act("b", 0.1)),
    )
    assert rows["a"].success == 75.0
    assert rows["b"].success == 75.0
    assert rows["total"].success == 50.0


def test_failure_outside_any_action_becomes_no_name_action():
    rows = summarize(it(1, act("a", 0.2), failed=True), it(1, act("a", 0.2)))
    assert rows["<no-name-action>"].count == 1
    assert rows["<no-name-action>"].success == 0.0
    assert rows["<no-name-action>"].max == 0.0
    # when the last action itself failed, the failure is accounted there
    rows = summarize(it(1, act("a", 0.2, failed=True), failed=True))
    assert "<no-name-action>" not in rows


def test_unfinished_action_counts_as_failed_with_no_duration():
    unfinished = AtomicAction("a", 10.0, None)
    rows = summarize(it(1, unfinished, failed=True))
    assert rows["a"].success == 0.0 and rows["a"].max == 0.0


def test_histograms_per_row_hold_every_value():
    summary = DurationSummary()
    for i in range(1, 101):
        summary.add(it(i / 100, act("a", i / 1000)))
    encoded = summary.histograms()
    assert set(encoded) == {"a", "total", "total > duration", "total > idle_duration"}
    total = Histogram.decode(encoded["total"])
    assert total.count == 100
    assert total.value_at(100) == pytest.approx(1.0, rel=1e-3)


def test_tree_rebuilds_rallys_nesting():
    rows = DurationSummary()
    rows.add(it(1, act("a", 0.2, act("c", 0.1)), act("a", 0.3)))
    rows.add(it(1, act("b", 0.5)))
    tree = stats_tree(rows.rows())
    assert [n.display_name for n in tree] == ["a (x2)", "b", "total"]
    assert tree[0].name == "a" and tree[0].count_per_iteration == 2
    assert [c.display_name for c in tree[0].children] == ["c"]
    assert [c.name for c in tree[2].children] == ["duration", "idle_duration"]


seconds = st.floats(min_value=0, max_value=100)


@st.composite
def actions(draw: st.DrawFn, depth: int = 0) -> AtomicAction:
    children = draw(st.lists(actions(depth + 1), max_size=2)) if depth < 3 else []
    return AtomicAction(
        draw(st.sampled_from("abc")), 5.0, 5.0 + draw(seconds), children, draw(st.booleans())
    )


@st.composite
def iterations(draw: st.DrawFn) -> IterationResult:
    return it(
        draw(seconds),
        *draw(st.lists(actions(), max_size=3)),
        failed=draw(st.booleans()),
        idle=draw(st.sampled_from([0.0, 1.0])),
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(iterations(), max_size=30), st.data())
def test_merge_equals_adding_everything(items: list[IterationResult], data: st.DataObject):
    cut = data.draw(st.integers(0, len(items)))
    whole, left, right = DurationSummary(), DurationSummary(), DurationSummary()
    for one in items:
        whole.add(one)
    for one in items[:cut]:
        left.add(one)
    for one in items[cut:]:
        right.add(one)
    left.merge(right)
    assert left.rows() == whole.rows()
    assert left.count == len(items)
