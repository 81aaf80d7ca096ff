"""``squall dataplane cleanup`` undoes a run that died without tearing down (a crash)."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest
from typer.testing import CliRunner

from squall.cli.dataplane import app
from squall.dataplane import topology
from squall.dataplane.plan import Plan
from squall.dataplane.providers.netns import NetnsProvider, orphan_namespaces, prefix_for

pytestmark = [pytest.mark.integration]


def test_cleanup_removes_what_a_crashed_run_left(workdir):
    run = uuid.uuid4().hex
    plan = Plan.model_validate({"network_mode": "full", "tests": [{"name": "t", "tool": "ping"}]})
    topo = topology.build(plan)
    provider = NetnsProvider(run, workdir / run)
    provider.preflight(topo, set())
    provider.stage(topo)
    # a process left inside one of the run's namespaces, as an orphaned nginx would be
    sleeper = subprocess.Popen(
        [
            "ip",
            "netns",
            "exec",
            provider.ns(topo.servers[0].name),
            sys.executable,
            "-c",
            "import time; time.sleep(120)",
        ]
    )
    ours = [n for n in orphan_namespaces() if n.startswith(prefix_for(run))]
    assert len(ours) == len(topo.instances) + len(topo.routers) + 1

    runner = CliRunner()
    dry = runner.invoke(app, ["cleanup", "--dry-run", "--workdir", str(workdir)])
    assert dry.exit_code == 0, dry.output
    assert "nothing removed" in dry.output
    assert [n for n in orphan_namespaces() if n.startswith(prefix_for(run))] == ours

    done = runner.invoke(app, ["cleanup", "--run", run[:8], "--workdir", str(workdir)])
    assert done.exit_code == 0, done.output
    assert f"removed {len(ours)} namespaces" in done.output
    assert not [n for n in orphan_namespaces() if n.startswith(prefix_for(run))]
    assert sleeper.wait(10) != 0  # stopped by cleanup, not by itself

    again = runner.invoke(app, ["cleanup", "--workdir", str(workdir)])
    assert "removed 0 namespaces" in again.output
