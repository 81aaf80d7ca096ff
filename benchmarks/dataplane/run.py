"""Data-plane benchmarks: figures, their goals (issue 5) and ratios. Needs root for netns.

    .venv/bin/python benchmarks/dataplane/run.py              # everything, about a minute
    .venv/bin/python benchmarks/dataplane/run.py --only http --only merge

Exit code: 0 every goal holds, 2 a goal fails.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import controller
import httpgen
import interim
import merge
import staging


@dataclass
class Goal:
    figure: str
    text: str
    ok: Callable[[float], bool]


GOALS = {
    "http": [Goal("ratio", "requests per client CPU-second >= 0.8x wrk", lambda v: v >= 0.8)],
    "accuracy": [
        Goal(
            "p50_error", "fixed-rate p50 within 5 % of the injected delay", lambda v: abs(v) <= 0.05
        ),
        Goal(
            "p90_error", "fixed-rate p90 within 5 % of the injected delay", lambda v: abs(v) <= 0.05
        ),
        Goal(
            "p99_error", "fixed-rate p99 within 5 % of the injected delay", lambda v: abs(v) <= 0.05
        ),
    ],
    "controller": [
        Goal("skew_p99_ms", "1,000 agents: p99 start skew <= 10 ms", lambda v: v <= 10),
        Goal(
            "last_delivery_before_start_ms",
            "every command delivered before start_at",
            lambda v: v > 0,
        ),
    ],
    "interim": [
        Goal(
            "unparsed",
            "400 fio clients reporting every second: every report received is parsed",
            lambda v: v == 0,
        ),
        Goal(
            "cpu_ms_per_report",
            "controller CPU per interim fio report <= 2 ms (>= 500 reports per CPU-second)",
            lambda v: v <= 2.0,
        ),
    ],
    "merge": [
        Goal("merge_cpu_seconds", "merge of 1,000 histograms <= 0.5 s (CPU)", lambda v: v <= 0.5)
    ],
    "staging": [Goal("stage_seconds", "netns staging of 200 instances <= 10 s", lambda v: v <= 10)],
}

MEASURES: dict[str, Callable[[], dict[str, float]]] = {
    "http": httpgen.ratio,
    "accuracy": httpgen.accuracy,
    "controller": controller.measure,
    "interim": interim.measure,
    "merge": merge.measure,
    "staging": staging.measure,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", action="append", choices=sorted(MEASURES))
    args = parser.parse_args()
    failed = False
    for name in args.only or list(MEASURES):
        figures = MEASURES[name]()
        shown = ", ".join(f"{k}={v:,.3f}" for k, v in figures.items())
        print(f"{name}: {shown}")
        for goal in GOALS[name]:
            value = figures[goal.figure]
            verdict = "ok" if goal.ok(value) else "FAIL"
            failed |= verdict == "FAIL"
            print(f"  [{verdict:>4}] {goal.text}: {goal.figure} = {value:,.3f}")
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
