"""netns staging of N instances (servers + clients behind one router) and their removal."""

from __future__ import annotations

import tempfile
import time
import uuid
from pathlib import Path

from squall.dataplane import topology
from squall.dataplane.plan import Plan
from squall.dataplane.providers.netns import NetnsProvider


def measure(instances: int = 200) -> dict[str, float]:
    plan = Plan.model_validate(
        {
            "network_mode": "single-router",
            "scale": {"servers_per_network": instances // 2},
            "tests": [{"name": "t", "tool": "ping"}],
        }
    )
    topo = topology.build(plan)
    with tempfile.TemporaryDirectory(prefix="squall-bench-") as name:
        return _measure_in(NetnsProvider(uuid.uuid4().hex, Path(name) / "run"), topo)


def _measure_in(provider: NetnsProvider, topo: topology.Topology) -> dict[str, float]:
    provider.preflight(topo, set())
    start = time.perf_counter()
    try:
        provider.stage(topo)
        staged = time.perf_counter() - start
    finally:
        down = time.perf_counter()
        provider.teardown()
        removed = time.perf_counter() - down
    return {"instances": len(topo.instances), "stage_seconds": staged, "teardown_seconds": removed}
