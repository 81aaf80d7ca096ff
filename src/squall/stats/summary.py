"""The duration table of a workload, built one iteration at a time: Rally's table, exact.

Rows follow Rally's ``MainStatsTable`` (``rally/task/processing/charts.py``):

- one row per atomic action, in order of first appearance, its nested actions right
  after it (two levels deep, as Rally processes), then ``total`` with its two
  children ``duration`` and ``idle_duration`` (only ``total`` while there is no
  iteration, as Rally); ``total`` is ``duration + idle_duration``;
- an action run N > 1 times in one iteration is one sample (the sum of its runs) in
  the row ``name (xN)``, kept apart from the row of iterations that ran it once;
- every occurrence counts, failed or not: ``count`` is how many iterations have the
  row, ``success`` the percent of those where it did not fail;
- a failed iteration whose last action did not fail gets a ``<no-name-action>``
  sample (duration 0, failed): the failure happened outside any atomic action.

A nested row is named by its path: ``parent > child`` (``NEST``), e.g.
``nova.boot_server > nova.wait_for_status`` or ``total > duration``.

Percentiles are exact (``squall.stats.percentile``): every value is kept in an
``array('d')``, 8 bytes per value, so a million iterations cost about 8 MB per row.
HdrHistograms of every row are derived from those values on request
(``histograms()``); keeping them alongside during the run would only cost time.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field

from squall.iteration import AtomicAction, IterationResult
from squall.results.records import StatsRow
from squall.stats.histogram import Histogram
from squall.stats.percentile import percentile

NEST = " > "
TOTAL = "total"
TOTAL_DURATION = f"{TOTAL}{NEST}duration"  # the iteration's duration, without idle time
TOTAL_IDLE = f"{TOTAL}{NEST}idle_duration"
NO_NAME_ACTION = "<no-name-action>"
MAX_DEPTH = 2  # Rally merges nested actions down to this depth (0 = top level)
_REPEATED = re.compile(r"^(?P<name>.*) \(x(?P<count>\d+)\)$")


class Series:
    """The samples of one row: every value, and how many of them failed."""

    __slots__ = ("children", "failures", "values")

    def __init__(self) -> None:
        self.values = array("d")
        self.failures = 0
        self.children: dict[str, Series] = {}

    def child(self, name: str) -> Series:
        node = self.children.get(name)
        if node is None:
            node = self.children[name] = Series()
        return node

    def merge(self, other: Series) -> None:
        self.values.extend(other.values)
        self.failures += other.failures
        for name, node in other.children.items():
            self.child(name).merge(node)

    def row(self, name: str) -> StatsRow:
        count = len(self.values)
        if not count:
            return StatsRow(name, 0, 0.0, None, None, None, None, None, None, None)
        ordered = sorted(self.values)
        return StatsRow(
            name=name,
            count=count,
            success=100.0 * (count - self.failures) / count,
            min=ordered[0],
            median=percentile(ordered, 0.5),
            p90=percentile(ordered, 0.9),
            p95=percentile(ordered, 0.95),
            p99=percentile(ordered, 0.99),
            max=ordered[-1],
            avg=math.fsum(ordered) / count,
        )


@dataclass(slots=True)
class _Merged:
    """One action name within one iteration: its runs summed, its children gathered."""

    duration: float = 0.0
    count: int = 0
    failed: bool = False
    children: list[AtomicAction] = field(default_factory=list)


def _merge_runs(actions: Iterable[AtomicAction]) -> dict[str, _Merged]:
    merged: dict[str, _Merged] = {}
    for action in actions:
        entry = merged.get(action.name)
        if entry is None:
            entry = merged[action.name] = _Merged()
        finished = action.finished_at
        if finished is None:
            entry.failed = True  # never finished: timed out or aborted inside it
        else:
            entry.duration += finished - action.started_at
        entry.count += 1
        if action.failed:
            entry.failed = True
        if action.children:
            entry.children.extend(action.children)
    return merged


def _add_actions(parent: Series, actions: list[AtomicAction], depth: int) -> _Merged | None:
    """Record one iteration's actions under ``parent``; return the last new name's entry."""
    merged = _merge_runs(actions)
    last = None
    for name, entry in merged.items():
        label = name if entry.count == 1 else f"{name} (x{entry.count})"
        node = parent.child(label)
        node.values.append(entry.duration)
        if entry.failed:
            node.failures += 1
        if entry.children and depth < MAX_DEPTH:
            _add_actions(node, entry.children, depth + 1)
        last = entry
    return last


class DurationSummary:
    """Streaming duration statistics of one workload: ``add()``, ``merge()``, ``rows()``."""

    __slots__ = ("_actions", "_total")

    def __init__(self) -> None:
        self._actions = Series()  # a root whose children are the top-level rows
        self._total = Series()
        self._total.child("duration")
        self._total.child("idle_duration")

    @property
    def count(self) -> int:
        return len(self._total.values)

    def add(self, it: IterationResult) -> None:
        failed = it.error is not None
        if it.atomic_actions:
            last = _add_actions(self._actions, it.atomic_actions, 0)
            if failed and last is not None and not last.failed:
                node = self._actions.child(NO_NAME_ACTION)
                node.values.append(0.0)
                node.failures += 1
        total = self._total
        children = total.children
        total.values.append(it.duration + it.idle_duration)
        children["duration"].values.append(it.duration)
        children["idle_duration"].values.append(it.idle_duration)
        if failed:
            total.failures += 1
            children["duration"].failures += 1
            children["idle_duration"].failures += 1

    def merge(self, other: DurationSummary) -> None:
        """Fold in another summary of other iterations (as if they were added after)."""
        self._actions.merge(other._actions)
        self._total.merge(other._total)

    def rows(self) -> list[StatsRow]:
        """The table: atomic actions depth first, then ``total`` and its children."""
        rows: list[StatsRow] = []
        for name, node in self._named_series():
            rows.append(node.row(name))
        return rows

    def histograms(self) -> dict[str, str]:
        """Encoded HdrHistograms per row name (rows without values are left out)."""
        encoded: dict[str, str] = {}
        for name, node in self._named_series():
            if node.values:
                hist = Histogram()
                hist.record_many(node.values)
                encoded[name] = hist.encode()
        return encoded

    def _named_series(self) -> list[tuple[str, Series]]:
        found: list[tuple[str, Series]] = []
        _walk(self._actions.children, "", found)
        if self._total.values:
            _walk({TOTAL: self._total}, "", found)
        else:
            found.append((TOTAL, self._total))  # always a total row; children once it has values
        return found


def _walk(nodes: dict[str, Series], prefix: str, found: list[tuple[str, Series]]) -> None:
    for label, node in nodes.items():
        name = prefix + label
        found.append((name, node))
        _walk(node.children, name + NEST, found)


@dataclass(frozen=True, slots=True)
class StatsNode:
    """A row placed back in its tree, as Rally's ``statistics.durations`` nests them."""

    name: str  # the action's own name, without ``(xN)``
    display_name: str  # as shown: ``name`` or ``name (xN)``
    count_per_iteration: int
    row: StatsRow
    children: list[StatsNode] = field(default_factory=list)


def stats_tree(rows: Iterable[StatsRow]) -> list[StatsNode]:
    """Rebuild the tree from ``rows()``'s path names (``parent > child``)."""
    roots: list[StatsNode] = []
    by_path: dict[str, StatsNode] = {}
    for row in rows:
        parent_path, sep, label = row.name.rpartition(NEST)
        parent = by_path.get(parent_path) if sep else None
        node = _node(label if parent is not None else row.name, row)
        by_path[row.name] = node
        (parent.children if parent is not None else roots).append(node)
    return roots


def _node(display_name: str, row: StatsRow) -> StatsNode:
    match = _REPEATED.match(display_name)
    if match is None:
        return StatsNode(display_name, display_name, 1, row)
    return StatsNode(match["name"], display_name, int(match["count"]), row)
