"""Atomic actions of a chunk: flattened in pre-order, times predicted along the tree.

Each start and end is predicted by an earlier value: a start by the previous
sibling's end, else the parent's start, else the iteration's timestamp; an end by
the last child's end, else the action's own start. An unfinished action stores its
start as its end. ``Tree`` works out, from depths alone, which value predicts
which, and an order in which to decode them.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field

from squall.iteration import AtomicAction
from squall.results._columns import (
    EXPONENT,
    ChunkFormatError,
    finite_all,
    from_le,
    le,
    pack_residual,
    unpack_residual_bits,
)

FAILED = 1
UNFINISHED = 2


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
    """Parents, predictor sources and decoding order of a chunk's actions.

    Values are indexed in one space: ``[0, n)`` the iterations' timestamps,
    ``[n, n+m)`` the actions' starts, ``[n+m, n+2m)`` their ends.
    """

    n: int
    m: int
    parent: list[int]
    source: list[int]  # for value n+k: the index of the value that predicts it
    order: list[int]  # value indices, each after the value that predicts it

    @classmethod
    def build(cls, counts: list[int], depths: list[int]) -> Tree:
        n, m = len(counts), len(depths)
        if sum(counts) != m:
            raise ChunkFormatError("atomic action counts do not match the actions stored")
        tree = cls(n, m, [-1] * m, [0] * (2 * m), [])
        j = 0
        for i, count in enumerate(counts):
            tree._iteration(i, range(j, j + count), depths)
            j += count
        return tree

    def _iteration(self, i: int, rows: range, depths: list[int]) -> None:
        stack: list[int] = []
        last_child: dict[int, int] = {}  # parent row (-1 for top level) -> last child row
        for j in rows:
            while len(stack) > depths[j]:
                self._close(stack.pop(), last_child)
            if len(stack) != depths[j]:
                raise ChunkFormatError("atomic action depths do not form a tree")
            p = stack[-1] if stack else -1
            self.parent[j] = p
            sibling = last_child.get(p)
            if sibling is not None:
                self.source[j] = self.n + self.m + sibling
            else:
                self.source[j] = i if p < 0 else self.n + p
            self.order.append(self.n + j)
            last_child[p] = j
            stack.append(j)
        while stack:
            self._close(stack.pop(), last_child)

    def _close(self, j: int, last_child: dict[int, int]) -> None:
        child = last_child.get(j)
        self.source[self.m + j] = self.n + (j if child is None else self.m + child)
        self.order.append(self.n + self.m + j)

    def residuals(self, values: list[float]) -> bytes:
        """XOR of every start and end with its predictor (``values`` in index space)."""
        predictors = finite_all(map(values.__getitem__, self.source))
        return pack_residual(values[self.n :], predictors)

    def decode(self, timestamps: list[float], data: bytes) -> list[float]:
        """Starts then ends of all actions, from their residuals."""
        residual = unpack_residual_bits(data)
        bits = [*from_le("Q", le(array("d", timestamps))).tolist(), *([0] * (2 * self.m))]
        n, source = self.n, self.source
        for k in self.order:
            predictor = bits[source[k - n]]
            if predictor & EXPONENT == EXPONENT:  # not finite: predict 0.0
                predictor = 0
            bits[k] = residual[k - n] ^ predictor
        return from_le("d", le(array("Q", bits[n:]))).tolist()


def decode_actions(
    tree: Tree, cols: ActionColumns, names: list[str], counts: list[int]
) -> list[list[AtomicAction]]:
    """The top-level actions of each iteration, with their children."""
    actions = [
        AtomicAction(
            names[name], start, None if flags & UNFINISHED else end, [], bool(flags & FAILED)
        )
        for name, start, end, flags in zip(
            cols.names, cols.starts, cols.ends, cols.flags, strict=True
        )
    ]
    tops: list[list[AtomicAction]] = []
    j = 0
    for count in counts:
        top: list[AtomicAction] = []
        for row in range(j, j + count):
            p = tree.parent[row]
            (top if p < 0 else actions[p].children).append(actions[row])
        tops.append(top)
        j += count
    return tops
