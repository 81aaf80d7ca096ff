"""Atomic actions of a chunk: flattened in pre-order, times predicted along the tree.

Each start and end is predicted by an earlier value: a start by the previous
sibling's end, else the parent's start, else the iteration's timestamp; an end by
the last child's end, else the action's own start. An unfinished action stores its
start as its end.

Walk an iteration's actions in pre-order noting each start when an action opens
and each end when it closes: that *tour* is exactly the chain of predictions,
every value predicted by the one noted just before it, the first by the
timestamp. ``Tree`` places every value on the tour from depths alone, for the
whole chunk at once, so decoding is one XOR scan over arrays, not Python work
per action.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice

import numpy as np
from numpy.typing import NDArray

from squall.iteration import AtomicAction
from squall.results._columns import ChunkFormatError, shuffle, unshuffle

FAILED = 1
UNFINISHED = 2
_EXPONENT = np.uint64(0x7FF << 52)  # all set: not finite, predicts 0.0
_U64 = np.dtype("<u8")

Ints = NDArray[np.int64]
Bits = NDArray[np.uint64]


@dataclass(slots=True)
class ActionColumns:
    """Atomic actions of a chunk flattened in pre-order."""

    counts: list[int] = field(default_factory=list)  # actions (all depths) per iteration
    names: list[int] = field(default_factory=list)
    depths: list[int] = field(default_factory=list)
    flags: list[int] = field(default_factory=list)
    starts: list[float] = field(default_factory=list)
    ends: list[float] = field(default_factory=list)


class Interner:
    """Names to small integers, in order of first use."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def table(self) -> list[str]:
        return list(self.index)


def flatten(actions: list[AtomicAction], depth: int, cols: ActionColumns, intern: Interner) -> None:
    index = intern.index
    for action in actions:
        name = index.get(action.name)
        if name is None:
            name = index[action.name] = len(index)
        cols.names.append(name)
        cols.depths.append(depth)
        unfinished = action.finished_at is None
        cols.flags.append((FAILED if action.failed else 0) | (UNFINISHED if unfinished else 0))
        cols.starts.append(action.started_at)
        cols.ends.append(action.started_at if action.finished_at is None else action.finished_at)
        if action.children:
            flatten(action.children, depth + 1, cols, intern)


@dataclass(slots=True)
class Tree:
    """Parents and tour of a chunk's actions (rows in pre-order, all iterations).

    Values are indexed ``[0, m)`` for the actions' starts, ``[m, 2m)`` for their
    ends. Each non-empty iteration owns one stretch of the tour, twice its
    action count long, seeded by its timestamp.
    """

    counts: Ints  # actions per iteration
    parent: Ints  # row -> parent row, -1 at top level
    tour: Ints  # tour position -> value index
    seeded: Ints  # the non-empty iterations, in order
    firsts: Ints  # tour position where each of them starts

    @classmethod
    def build(cls, counts: list[int], depths: list[int]) -> Tree:
        n_actions = np.asarray(counts, dtype=np.int64).reshape(-1)
        depth = np.asarray(depths, dtype=np.int64).reshape(-1)
        m = len(depth)
        if (n_actions < 0).any() or int(n_actions.sum()) != m:
            raise ChunkFormatError("atomic action counts do not match the actions stored")
        seeded = np.flatnonzero(n_actions > 0)
        first_rows = (np.cumsum(n_actions) - n_actions)[seeded]
        _check_tree(depth, first_rows)
        rows = np.arange(m, dtype=np.int64)
        tour = np.empty(2 * m, dtype=np.int64)
        tour[2 * rows - depth] = rows
        tour[2 * _next_not_deeper(depth) - 1 - depth] = rows + m
        return cls(n_actions, _parents(depth), tour, seeded.astype(np.int64), 2 * first_rows)

    def _predictors(self, timestamps: Bits, on_tour: Bits) -> Bits:
        predictors = np.empty_like(on_tour)
        predictors[1:] = on_tour[:-1]
        predictors[self.firsts] = timestamps[self.seeded]
        predictors[(predictors & _EXPONENT) == _EXPONENT] = 0
        return predictors

    def residuals(self, timestamps: list[float], values: list[float]) -> bytes:
        """XOR of every start and end (``values``: starts then ends) with its predictor."""
        slots = _bits(values)
        on_tour = slots[self.tour]
        residual = np.empty_like(slots)
        residual[self.tour] = on_tour ^ self._predictors(_bits(timestamps), on_tour)
        return shuffle(residual.astype(_U64).tobytes())

    def decode(self, timestamps: list[float], data: bytes) -> NDArray[np.float64]:
        """Starts then ends of all actions, from their residuals."""
        residual = np.frombuffer(unshuffle(data), dtype=_U64).astype(np.uint64)
        if len(residual) != len(self.tour):
            raise ChunkFormatError("atomic action times do not match the actions stored")
        if not len(residual):
            return np.zeros(0, dtype=np.float64)
        stamps = _bits(timestamps)
        on_tour = self._scan(residual[self.tour], stamps)
        if self._predicted_by_non_finite(on_tour):
            on_tour = self._scan_slowly(residual[self.tour], stamps)
        values = np.empty_like(residual)
        values[self.tour] = on_tour
        return values.view(np.float64)

    def _scan(self, on_tour: Bits, stamps: Bits) -> Bits:
        """Each iteration's stretch XOR-accumulated from its seed (predictors finite)."""
        seeds = stamps[self.seeded]
        on_tour[self.firsts] ^= np.where((seeds & _EXPONENT) == _EXPONENT, 0, seeds)
        chained = np.asarray(np.bitwise_xor.accumulate(on_tour), dtype=np.uint64)
        before = np.zeros(len(self.firsts), dtype=np.uint64)
        before[1:] = chained[self.firsts[1:] - 1]
        return chained ^ np.repeat(before, 2 * self.counts[self.seeded])

    def _predicted_by_non_finite(self, on_tour: Bits) -> bool:
        predicting = np.ones(len(on_tour), dtype=bool)
        predicting[np.append(self.firsts[1:], len(on_tour)) - 1] = False
        return bool(((on_tour[predicting] & _EXPONENT) == _EXPONENT).any())

    def _scan_slowly(self, on_tour: Bits, stamps: Bits) -> Bits:
        """The same chain one value at a time, a non-finite predictor counting as 0."""
        exponent = int(_EXPONENT)
        out = on_tour.tolist()
        starts = dict(zip(self.firsts.tolist(), stamps[self.seeded].tolist(), strict=True))
        previous = 0
        for k, residual in enumerate(out):
            predictor = starts.get(k, previous)
            previous = out[k] = residual ^ (0 if predictor & exponent == exponent else predictor)
        return np.array(out, dtype=np.uint64)


def _bits(values: list[float]) -> Bits:
    return np.array(values, dtype=np.float64).view(np.uint64)


def _check_tree(depth: Ints, first_rows: Ints) -> None:
    steps_down_at_most_one = (depth[1:] <= depth[:-1] + 1).all()
    if (depth < 0).any() or (depth[first_rows] != 0).any() or not steps_down_at_most_one:
        raise ChunkFormatError("atomic action depths do not form a tree")


def _next_not_deeper(depth: Ints) -> Ints:
    """For each row, the next row no deeper than it (where it closes), else ``m``."""
    m = len(depth)
    following = np.full(m, m, dtype=np.int64)
    for level in range(int(depth.max(initial=-1)) + 1):
        rows = np.flatnonzero(depth == level)
        bounds = np.append(np.flatnonzero(depth <= level), m)
        following[rows] = bounds[np.searchsorted(bounds, rows, side="right")]
    return following


def _parents(depth: Ints) -> Ints:
    """For each row, the closest earlier row one level up (its parent), else -1."""
    parent = np.full(len(depth), -1, dtype=np.int64)
    for level in range(1, int(depth.max(initial=0)) + 1):
        rows = np.flatnonzero(depth == level)
        above = np.flatnonzero(depth == level - 1)
        parent[rows] = above[np.searchsorted(above, rows) - 1]
    return parent


def decode_actions(
    tree: Tree, names: list[str], name_ids: list[int], flags: list[int], times: NDArray[np.float64]
) -> list[list[AtomicAction]]:
    """The top-level actions of each iteration, with their children."""
    m = len(tree.parent)
    if len(name_ids) != m or len(flags) != m:
        raise ChunkFormatError("atomic action columns of different lengths")
    flag = np.asarray(flags, dtype=np.int64)
    ends: list[float] | list[float | None] = times[m:].tolist()
    if (flag & UNFINISHED).any():
        ends = [None if f & UNFINISHED else end for end, f in zip(ends, flags, strict=True)]
    actions = list(
        map(
            AtomicAction,
            map(names.__getitem__, name_ids),
            times[:m].tolist(),
            ends,
            [[] for _ in range(m)],
            (flag & FAILED).astype(bool).tolist(),
        )
    )
    nested = np.flatnonzero(tree.parent >= 0)
    for row, parent in zip(nested.tolist(), tree.parent[nested].tolist(), strict=True):
        actions[parent].children.append(actions[row])
    return _by_iteration(tree, actions)


def _by_iteration(tree: Tree, actions: list[AtomicAction]) -> list[list[AtomicAction]]:
    top = np.flatnonzero(tree.parent < 0)
    tops = map(actions.__getitem__, top.tolist())
    n = len(tree.counts)
    per_iteration = np.bincount(np.repeat(np.arange(n), tree.counts)[top], minlength=n)
    if (per_iteration == 1).all():
        return [[action] for action in tops]
    return [list(islice(tops, count)) for count in per_iteration.tolist()]
