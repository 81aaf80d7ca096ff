"""Records to JSON-ready dicts and back, exactly.

``dataclasses.asdict`` does the outward trip; the way back is spelled out per
record so that a renamed field fails loudly instead of being dropped.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from squall.results.records import (
    Environment,
    HookResult,
    RunStatus,
    StatsRow,
    TriggeredBy,
    WorkloadSummary,
)
from squall.sla.base import SLAResult


def dumps(value: Any) -> str:
    """JSON text; floats keep every bit (``repr``), NaN and infinities included."""
    return json.dumps(value, separators=(",", ":"), allow_nan=True)


def loads(text: str) -> Any:
    return json.loads(text)


def environment_to_json(env: Environment) -> dict[str, Any]:
    return asdict(env)


def environment_from_json(data: dict[str, Any]) -> Environment:
    return Environment(**data)


def summary_to_json(summary: WorkloadSummary) -> dict[str, Any]:
    data = asdict(summary)
    data["status"] = summary.status.value
    return data


def summary_from_json(data: dict[str, Any]) -> WorkloadSummary:
    fields = dict(data)
    fields["status"] = RunStatus(data["status"])
    fields["sla_results"] = [SLAResult(**r) for r in data["sla_results"]]
    fields["stats"] = [StatsRow(**r) for r in data["stats"]]
    fields["hook_results"] = [_hook_from_json(h) for h in data["hook_results"]]
    return WorkloadSummary(**fields)


def _hook_from_json(data: dict[str, Any]) -> HookResult:
    fields = dict(data)
    fields["triggered_by"] = TriggeredBy(**data["triggered_by"])
    return HookResult(**fields)
