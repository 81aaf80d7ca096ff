"""The action tree of a chunk: its tour, its parents, and decoding along it."""

from __future__ import annotations

import gc
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from squall.iteration import AtomicAction, IterationResult
from squall.results._actions import ActionColumns, Interner, Tree, flatten
from squall.results.codec import ChunkFormatError, decode_chunk, encode_chunk


def _walk(actions: list[AtomicAction], rows: list[int], m: int, tour: list[int]) -> None:
    """The tour by hand: a start when an action opens, its end when it closes."""
    for action in actions:
        row = rows.pop(0)
        tour.append(row)
        _walk(action.children, rows, m, tour)
        tour.append(m + row)


def _forest(depth: int) -> st.SearchStrategy[list[AtomicAction]]:
    if depth == 0:
        return st.just([])
    leaf = st.builds(AtomicAction, name=st.just("a"), started_at=st.just(1.0))
    node = st.builds(
        AtomicAction, name=st.just("a"), started_at=st.just(1.0), children=_forest(depth - 1)
    )
    return st.lists(leaf | node, max_size=3)


@settings(max_examples=200, deadline=None)
@given(st.lists(_forest(4), max_size=6))
def test_the_tour_is_the_walk_and_parents_are_the_enclosing_actions(
    forests: list[list[AtomicAction]],
) -> None:
    cols = ActionColumns()
    expected_tour: list[int] = []
    for forest in forests:
        before = len(cols.names)
        flatten(forest, 0, cols, Interner())
        cols.counts.append(len(cols.names) - before)
    m = len(cols.depths)
    rows = list(range(m))
    for forest in forests:
        _walk(forest, rows, m, expected_tour)
    tree = Tree.build(cols.counts, cols.depths)
    assert tree.tour.tolist() == expected_tour
    for row, parent in enumerate(tree.parent.tolist()):
        if cols.depths[row] == 0:
            assert parent == -1
        else:
            assert cols.depths[parent] == cols.depths[row] - 1
            assert all(
                cols.depths[between] >= cols.depths[row] for between in range(parent + 1, row)
            )


@pytest.mark.parametrize(
    ("counts", "depths", "message"),
    [
        ([2], [0, 2], "do not form a tree"),
        ([1, 1], [0, 1], "do not form a tree"),
        ([1], [-1], "do not form a tree"),
        ([2, -1], [0], "counts do not match"),
        ([3], [0, 1], "counts do not match"),
    ],
)
def test_depths_that_are_not_a_forest_are_refused(
    counts: list[int], depths: list[int], message: str
) -> None:
    with pytest.raises(ChunkFormatError, match=message):
        Tree.build(counts, depths)


def _nested(number: int, outer_start: float, inner_start: float) -> IterationResult:
    t = 1.8e9 + number
    inner = AtomicAction("inner", inner_start, t + 0.2)
    outer = AtomicAction("outer", outer_start, t + 0.3, [inner])
    return IterationResult(number, 0.0, 0.0, t, 0.3, atomic_actions=[outer])


@pytest.mark.parametrize("odd", [math.inf, -math.inf, math.nan])
def test_a_non_finite_value_inside_a_chain_still_comes_back(odd: float) -> None:
    batch = [_nested(i, 1.8e9 + i, 1.8e9 + i + 0.1) for i in range(1, 50)]
    batch[20] = _nested(21, odd, 1.8e9 + 21.1)  # predicts the inner start
    batch[30] = _nested(31, 1.8e9 + 31, odd)
    decoded = decode_chunk(encode_chunk(batch))
    assert repr(decoded) == repr(batch)


def test_iterations_without_actions_or_with_several_at_top_level_keep_theirs() -> None:
    t = 1.8e9
    several = [AtomicAction("a", t, t + 1), AtomicAction("b", t + 1, None, failed=True)]
    batch = [
        IterationResult(1, 0.0, 0.0, t, 1.0),
        IterationResult(2, 0.0, 0.0, t, 1.0, atomic_actions=several),
        IterationResult(3, 0.0, 0.0, t, 1.0),
        _nested(4, t + 4, t + 4.1),
    ]
    assert decode_chunk(encode_chunk(batch)) == batch


def test_decoding_leaves_the_garbage_collector_as_it_found_it() -> None:
    blob = encode_chunk([_nested(i, 1.8e9 + i, 1.8e9 + i + 0.1) for i in range(1, 10)])
    assert gc.isenabled()
    decode_chunk(blob)
    assert gc.isenabled()
    gc.disable()
    try:
        decode_chunk(blob)
        assert not gc.isenabled()
    finally:
        gc.enable()
