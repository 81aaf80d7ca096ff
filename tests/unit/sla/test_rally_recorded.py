"""Verdicts and details equal Rally's own, recorded by Rally 5.1.1 on synthetic data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from squall.iteration import AtomicAction, ErrorInfo, IterationResult
from squall.plugins.loader import load_registry
from squall.sla.checker import SLAChecker

CASES = json.loads((Path(__file__).parent / "data" / "rally_sla_cases.json").read_text())["cases"]
REGISTRY = load_registry()


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


@pytest.mark.parametrize("case", CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_results_equal_rallys(case: dict[str, Any]):
    checker = SLAChecker(REGISTRY, case["sla"])
    for number, raw in enumerate(case["data"], start=1):
        checker.add(iteration(number, raw))
    got = [
        {"criterion": r.criterion, "success": r.success, "detail": r.detail}
        for r in checker.results()
    ]
    assert got == case["expected"]
