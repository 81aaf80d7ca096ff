"""Iterations in schema ``squall.run/1`` (docs/schema/run-v1.md): one object each (private).

Every key spelled out on every line and every time at full float precision; kept for
readers written against v1 (``-o schema=1``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from squall.iteration import AtomicAction, IterationResult, OutputChart


def iterations_json(items: Iterable[IterationResult]) -> Iterator[dict[str, Any]]:
    for it in items:
        yield iteration_json(it)


def iteration_json(it: IterationResult) -> dict[str, Any]:
    error = it.error
    return {
        "number": it.number,
        "scheduled_offset": it.scheduled_offset,
        "start_offset": it.start_offset,
        "timestamp": it.timestamp,
        "duration": it.duration,
        "idle_duration": it.idle_duration,
        "error": None
        if error is None
        else {"type": error.type, "message": error.message, "traceback": error.traceback},
        "atomic_actions": [action_json(a) for a in it.atomic_actions],
        "output": {
            "additive": [chart_json(c) for c in it.output.additive],
            "complete": [chart_json(c) for c in it.output.complete],
        },
        "worker": it.worker,
    }


def action_json(action: AtomicAction) -> dict[str, Any]:
    return {
        "name": action.name,
        "started_at": action.started_at,
        "finished_at": action.finished_at,
        "failed": action.failed,
        "children": [action_json(c) for c in action.children],
    }


def chart_json(chart: OutputChart) -> dict[str, Any]:
    return {
        "title": chart.title,
        "description": chart.description,
        "chart_plugin": chart.chart_plugin,
        "data": chart.data,
        "label": chart.label,
        "axis_label": chart.axis_label,
    }
