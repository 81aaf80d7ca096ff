"""Synthetic stored data-plane runs (``squall.dataplane.run/1`` documents) with known figures.

For comparisons, trends and reports without running a data plane: each test has
one-second report intervals whose counters are drawn around a given rate (5 % noise)
and whose HdrHistograms hold latencies drawn log-normally around a given median; the
test's own histograms are the intervals' merged, as the controller stores them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from squall.dataplane.results import SCHEMA, histogram_dict
from squall.stats.histogram import Histogram


@dataclass(frozen=True)
class SyntheticTest:
    """One test: per-second means of its ``counters``, medians of its ``histograms``."""

    name: str = "web"
    tool: str = "http"
    headline: str = "requests"
    counters: dict[str, float] = field(default_factory=lambda: {"requests": 1000.0})
    histograms: dict[str, float] = field(default_factory=lambda: {"latency": 0.010})
    intervals: int = 30
    samples: int = 200  # latencies recorded per interval and histogram
    pairs: int = 4
    failed_pairs: int = 0
    repetitions: int = 1


def synthetic_run(
    run_id: str,
    tests: list[SyntheticTest],
    *,
    seed: int,
    title: str = "synthetic plan",
    started_at: float = 1_763_769_600.0,
) -> dict[str, Any]:
    """A finished run of ``tests``, reproducible from ``seed``."""
    rng = random.Random(seed)
    documents = [
        _test(spec, repetition, rng) for spec in tests for repetition in range(spec.repetitions)
    ]
    return {
        "schema": SCHEMA,
        "run": run_id,
        "title": title,
        "provider": "netns",
        "network_mode": "single-network",
        "status": "finished",
        "error": None,
        "started_at": started_at,
        "finished_at": started_at + 60,
        "plan": {"title": title},
        "environment": {},
        "agents": [],
        "rejected_messages": 0,
        "tests": documents,
    }


def _test(spec: SyntheticTest, repetition: int, rng: random.Random) -> dict[str, Any]:
    merged = {name: Histogram() for name in spec.histograms}
    intervals: list[dict[str, Any]] = []
    for second in range(spec.intervals):
        counters = {name: max(0.0, rng.gauss(mean, mean * 0.05))
                    for name, mean in spec.counters.items()}  # fmt: skip
        hists = {}
        for name, median in spec.histograms.items():
            hist = Histogram()
            hist.record_many(median * rng.lognormvariate(0, 0.3) for _ in range(spec.samples))
            merged[name].merge(hist)
            hists[name] = histogram_dict(hist)
        intervals.append({"start": float(second), "end": float(second + 1),
                          "counters": counters, "histograms": hists})  # fmt: skip
    totals = {name: sum(i["counters"][name] for i in intervals) for name in spec.counters}
    pairs = [
        {"client": f"c{n}", "server": f"s{n}", "client_host": "h0", "server_host": "h1",
         "status": "failed" if n < spec.failed_pairs else "ok", "start_skew": 0.0}
        for n in range(spec.pairs)
    ]  # fmt: skip
    return {
        "test": spec.name,
        "tool": spec.tool,
        "repetition": repetition,
        "start_at": 0.0,
        "partial": False,
        "failed_agents": [],
        "counters": totals,
        "histograms": {name: histogram_dict(h) for name, h in merged.items()},
        "intervals": intervals,
        "pairs": pairs,
        "sources": {},
        "destinations": {},
        "matrix": {"metric": spec.headline, "sources": [], "destinations": [], "values": []},
        "bad_hosts": [],
    }
