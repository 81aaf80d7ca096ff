"""Faults during real netns runs: an agent killed mid-test, Ctrl-C, an impossible plan."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import threading
from pathlib import Path

import pytest

from squall.dataplane.loader import load_plan_text
from squall.dataplane.plan import PlanTest
from squall.dataplane.providers.base import Provider
from squall.dataplane.providers.netns import NetnsProvider, orphan_namespaces
from squall.dataplane.results import RESULTS_FILE
from squall.dataplane.run import RunOptions, run_plan
from squall.errors import ConfigError, RunAborted

pytestmark = [pytest.mark.integration]

PLAN = """\
dataplane: 1
network_mode: single-router
scale: {servers_per_network: 2}
controller: {loss_timeout: 3, poll_wait: 0.5, start_lead: 0.3}
tests:
  - {name: web, tool: http, duration: 3, report_interval: 0.5, args: {connections: 2, rate: 200}}
  - {name: rtt, tool: ping, duration: 0.3, args: {interval: 0.05}}
"""


def _results(workdir: Path) -> dict:
    (path,) = workdir.glob(f"*/{RESULTS_FILE}")
    return json.loads(path.read_text())


def test_an_agent_killed_mid_test_leaves_a_partial_run_naming_it(workdir):
    plan = load_plan_text(PLAN, "p.yaml")
    victim = "t0r0n0s0c0"

    def kill_later(test: PlanTest, rep: int, provider: Provider) -> None:
        if test.name == "web":
            threading.Timer(1.0, provider.kill_agent, args=(victim,)).start()

    record = asyncio.run(run_plan(plan, RunOptions(workdir, on_started=kill_later)))
    assert record.status == "partial"
    data = _results(workdir)
    web = data["tests"][0]
    assert web["partial"] is True
    assert web["failed_agents"] == [victim]
    by_client = {p["client"]: p for p in web["pairs"]}
    assert by_client[victim]["status"] == "lost"
    assert by_client[victim]["counters"]["requests"] > 0  # kept what it reported before
    assert by_client["t0r0n0s1c0"]["status"] == "ok"
    rtt = data["tests"][1]
    assert {p["client"]: p["status"] for p in rtt["pairs"]}["t0r0n0s1c0"] == "ok"
    agents = {a["id"]: a["status"] for a in data["agents"]}
    assert agents[victim] == "lost"
    assert not [n for n in orphan_namespaces() if n.startswith("sq" + record.run[:8])]


@pytest.mark.parametrize(
    ("tool", "args", "figure"),
    [("iperf3", "{}", "bits_per_second"), ("ping", "{interval: 0.05}", "received")],
)
def test_an_agent_killed_mid_test_keeps_what_its_tool_streamed(workdir, tool, args, figure):
    plan = load_plan_text(
        "dataplane: 1\nnetwork_mode: single-router\nscale: {servers_per_network: 2}\n"
        "controller: {loss_timeout: 3, poll_wait: 0.5, start_lead: 0.3}\n"
        f"tests: [{{name: t, tool: {tool}, duration: 4, report_interval: 0.5, args: {args}}}]\n",
        "p.yaml",
    )
    victim = "t0r0n0s0c0"

    def kill_later(test: PlanTest, rep: int, provider: Provider) -> None:
        threading.Timer(2.0, provider.kill_agent, args=(victim,)).start()

    record = asyncio.run(run_plan(plan, RunOptions(workdir, on_started=kill_later)))
    assert record.status == "partial"
    test = _results(workdir)["tests"][0]
    assert test["failed_agents"] == [victim]
    by_client = {p["client"]: p for p in test["pairs"]}
    lost = by_client[victim]
    assert lost["status"] == "lost"
    assert lost["counters"][figure] > 0  # from the output it streamed before it died
    assert by_client["t0r0n0s1c0"]["status"] == "ok"
    assert by_client["t0r0n0s1c0"]["counters"][figure] > 0


def test_a_tool_that_fails_mid_test_keeps_what_it_streamed(workdir):
    """The iperf3 server of one pair is killed: its client fails without a summary."""
    plan = load_plan_text(
        "dataplane: 1\nnetwork_mode: single-network\nscale: {servers_per_network: 2}\n"
        "controller: {poll_wait: 0.5, start_lead: 0.3}\n"
        "tests: [{name: t, tool: iperf3, duration: 4, report_interval: 0.5}]\n",
        "p.yaml",
    )
    server = "t0r0n0s0"

    def kill_server_later(test: PlanTest, rep: int, provider: Provider) -> None:
        assert isinstance(provider, NetnsProvider)
        namespace = provider.ns(server)

        def kill() -> None:
            pids = subprocess.run(
                ["ip", "netns", "pids", namespace], capture_output=True, text=True, check=True
            ).stdout.split()
            for pid in pids:
                comm = Path(f"/proc/{pid}/comm").read_text().strip()
                if comm == "iperf3":
                    os.kill(int(pid), signal.SIGKILL)

        threading.Timer(2.0, kill).start()

    record = asyncio.run(run_plan(plan, RunOptions(workdir, on_started=kill_server_later)))
    assert record.status == "partial"
    pairs = {p["server"]: p for p in _results(workdir)["tests"][0]["pairs"]}
    failed = pairs[server]
    assert failed["status"] == "error"
    assert failed["counters"]["bits_per_second"] > 0  # its rows streamed before the kill
    assert pairs["t0r0n0s1"]["status"] == "ok"


def test_ctrl_c_removes_everything_and_keeps_the_record(workdir):
    plan = load_plan_text(PLAN, "p.yaml")

    def interrupt(test: PlanTest, rep: int, provider: Provider) -> None:
        signal.raise_signal(signal.SIGINT)

    with pytest.raises(RunAborted, match="interrupted"):
        asyncio.run(run_plan(plan, RunOptions(workdir, on_started=interrupt)))
    data = _results(workdir)
    assert data["status"] == "aborted"
    assert not [n for n in orphan_namespaces() if n.startswith("sq" + data["run"][:8])]


def test_ctrl_c_mid_test_keeps_what_the_clients_streamed(workdir):
    plan = load_plan_text(
        "dataplane: 1\nnetwork_mode: single-router\nscale: {servers_per_network: 2}\n"
        "controller: {poll_wait: 0.5, start_lead: 0.3}\n"
        "tests: [{name: rtt, tool: ping, duration: 6, report_interval: 0.5,"
        " args: {interval: 0.05}}]\n",
        "p.yaml",
    )

    def interrupt_later(test: PlanTest, rep: int, provider: Provider) -> None:
        threading.Timer(2.5, signal.raise_signal, args=(signal.SIGINT,)).start()

    with pytest.raises(RunAborted, match="interrupted"):
        asyncio.run(run_plan(plan, RunOptions(workdir, on_started=interrupt_later)))
    data = _results(workdir)
    assert data["status"] == "aborted"
    (rtt,) = data["tests"]
    assert {p["status"] for p in rtt["pairs"]} == {"aborted"}
    assert rtt["failed_agents"] == []
    assert all(p["counters"]["received"] > 0 for p in rtt["pairs"])
    assert rtt["histograms"]["rtt"]["count"] > 0
    assert len(rtt["intervals"]) >= 2
    assert not [n for n in orphan_namespaces() if n.startswith("sq" + data["run"][:8])]


def test_a_plan_beyond_bridge_limits_fails_before_staging(workdir):
    plan = load_plan_text(
        "dataplane: 1\nnetwork_mode: single-router\n"
        "scale: {networks_per_router: 9, servers_per_network: 20}\n"
        "tests: [{name: t, tool: ping}]\n",
        "big.yaml",
    )
    with pytest.raises(ConfigError, match="cannot be staged"):
        asyncio.run(run_plan(plan, RunOptions(workdir)))
    assert not list(workdir.iterdir())


@pytest.mark.parametrize("after", [0.3, 0.8, 1.5])
def test_ctrl_c_at_any_moment_leaves_nothing_behind(workdir, after):
    """SIGINT while staging, while agents register, while a test runs (asyncio.run turns
    it into a cancellation of the run)."""
    plan = load_plan_text(
        "dataplane: 1\nnetwork_mode: full\nscale: {servers_per_network: 12}\n"
        "controller: {poll_wait: 0.5}\n"
        "tests: [{name: rtt, tool: ping, duration: 2, args: {interval: 0.05}}]\n",
        "p.yaml",
    )
    timer = threading.Timer(after, signal.raise_signal, args=(signal.SIGINT,))
    timer.start()
    try:
        with pytest.raises(RunAborted):
            asyncio.run(run_plan(plan, RunOptions(workdir)))
    finally:
        timer.cancel()
    runs = list(workdir.iterdir())
    for run_dir in runs:
        prefix = "sq" + run_dir.name[:8]
        assert not [n for n in orphan_namespaces() if n.startswith(prefix)]
        agent_configs = str(run_dir / "agents")
        leftovers = subprocess.run(["pgrep", "-f", agent_configs], capture_output=True, text=True)
        assert leftovers.stdout.strip() == ""
