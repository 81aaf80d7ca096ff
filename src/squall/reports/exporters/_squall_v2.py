"""Iterations in schema ``squall.run/2`` (docs/schema/run-v2.md): one array each (private).

A workload names its row columns once (``ITERATION_FIELDS``, ``ACTION_FIELDS``); each
iteration is then an array in that order. Times are rounded to the microsecond, an
atomic action is a tuple timed from its iteration's start, and an iteration without
an error or without scenario output has null there.
"""

from __future__ import annotations

import math
from typing import Any

from squall.iteration import AtomicAction, IterationResult
from squall.reports.exporters._iteration_json import error_json, output_json

ITERATION_FIELDS = (
    "number",
    "scheduled_offset",
    "start_offset",
    "timestamp",
    "duration",
    "idle_duration",
    "error",
    "atomic_actions",
    "output",
    "worker",
)
ACTION_FIELDS = ("name", "offset", "duration", "failed", "children")

#: Decimal places kept of every time in an iteration row: microseconds.
TIME_DIGITS = 6


def seconds(value: float) -> float | int | None:
    """``value`` rounded to the microsecond; 0 for zero, None where JSON has no number."""
    if not math.isfinite(value):
        return None
    return round(value, TIME_DIGITS) or 0


def iteration_row(it: IterationResult) -> list[Any]:
    """``it`` as an array in ``ITERATION_FIELDS`` order."""
    return [
        it.number,
        seconds(it.scheduled_offset),
        seconds(it.start_offset),
        seconds(it.timestamp),
        seconds(it.duration),
        seconds(it.idle_duration),
        error_json(it.error),
        [action_row(a, it.timestamp) for a in it.atomic_actions],
        output_json(it.output) if it.output else None,
        it.worker,
    ]


def action_row(action: AtomicAction, origin: float) -> list[Any]:
    """``action`` as ``[name, offset, duration, failed, children]``.

    ``offset`` is its start in seconds after ``origin`` (the iteration's timestamp);
    ``duration`` is null for an action that never finished.
    """
    duration = action.duration
    return [
        action.name,
        seconds(action.started_at - origin),
        None if duration is None else seconds(duration),
        action.failed,
        [action_row(c, origin) for c in action.children],
    ]
