"""The duration table equals Rally's MainStatsTable, recorded by Rally 5.1.1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from squall.iteration import AtomicAction, ErrorInfo, IterationResult
from squall.reports.exporters.rally_json import durations
from squall.stats.summary import DurationSummary

CASES = json.loads((Path(__file__).parent / "data" / "rally_stats_cases.json").read_text())["cases"]


def action(raw: dict[str, Any]) -> AtomicAction:
    return AtomicAction(
        raw["name"],
        raw["started_at"],
        raw.get("finished_at"),
        [action(c) for c in raw["children"]],
        raw.get("failed", False),
    )


def iteration(number: int, raw: dict[str, Any]) -> IterationResult:
    error = raw["error"]
    return IterationResult(
        number=number,
        scheduled_offset=0.0,
        start_offset=0.0,
        timestamp=raw["timestamp"],
        duration=raw["duration"],
        idle_duration=raw["idle_duration"],
        error=ErrorInfo(*error) if error else None,
        atomic_actions=[action(a) for a in raw["atomic_actions"]],
    )


@pytest.mark.parametrize("case", CASES, ids=[f"{len(c['data'])}-iterations" for c in CASES])
def test_table_equals_rallys(case: dict[str, Any]):
    summary = DurationSummary()
    for number, raw in enumerate(case["data"], start=1):
        summary.add(iteration(number, raw))
    assert durations(summary.rows()) == case["expected"]
