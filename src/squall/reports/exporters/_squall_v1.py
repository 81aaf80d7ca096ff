"""Iterations in schema ``squall.run/1`` (docs/schema/run-v1.md): one object each (private).

Every key spelled out on every line and every time at full float precision; kept for
readers written against v1 (``-o schema=1``).
"""

from __future__ import annotations

from typing import Any

from squall.iteration import AtomicAction, IterationResult
from squall.reports.exporters._iteration_json import error_json, output_json


def iteration_json(it: IterationResult) -> dict[str, Any]:
    return {
        "number": it.number,
        "scheduled_offset": it.scheduled_offset,
        "start_offset": it.start_offset,
        "timestamp": it.timestamp,
        "duration": it.duration,
        "idle_duration": it.idle_duration,
        "error": error_json(it.error),
        "atomic_actions": [action_json(a) for a in it.atomic_actions],
        "output": output_json(it.output),
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
