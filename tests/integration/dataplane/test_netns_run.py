"""Real runs on network namespaces: every tool, all three network modes, nginx/iperf3/fio.

Numbers on a shared 2-core machine are smoke-level: the assertions check that traffic
really flowed where the topology says and that the figures add up, not speed.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from squall.dataplane.loader import load_plan_text
from squall.dataplane.providers.netns import orphan_namespaces, prefix_for
from squall.dataplane.results import PROGRESS_FILE, RESULTS_FILE
from squall.dataplane.run import RunOptions, run_plan
from squall.dataplane.store import DataplaneStore
from squall.results.store import Store

pytestmark = [pytest.mark.integration]

PLAN = """\
dataplane: 1
title: it {mode}
provider: netns
network_mode: {mode}
scale: {{servers_per_network: 2, clients_per_server: 1}}
controller: {{loss_timeout: 10, poll_wait: 2, start_lead: 0.3}}
tests:
  - {{name: web, tool: http, duration: 2, warmup: 0.5, report_interval: 0.5,
      args: {{connections: 4, rate: 400, size: 2048}}}}
  - {{name: tcp, tool: iperf3, duration: 1}}
  - {{name: rtt, tool: ping, duration: 0.5, args: {{interval: 0.05}}}}
  - {{name: disk, tool: fio, duration: 1, args: {{size: 8M, iodepth: 2}}}}
{extra}
"""

EXTRA = {
    "single-network": "  - {name: wrk, tool: http, duration: 1, args: {driver: wrk, connections: 4}}",
    "single-router": "  - {name: udp, tool: iperf3, duration: 1,"
    " args: {protocol: udp, bandwidth: 20M, length: 1000}}",
    "full": "",
}


def _run(mode: str, workdir: Path) -> dict:
    plan = load_plan_text(PLAN.format(mode=mode, extra=EXTRA[mode]), f"{mode}.yaml")
    record = asyncio.run(run_plan(plan, RunOptions(workdir)))
    assert not [n for n in orphan_namespaces() if n.startswith(prefix_for(record.run))]
    return json.loads((workdir / record.run / RESULTS_FILE).read_text())


@pytest.mark.parametrize("mode", ["single-network", "single-router", "full"])
def test_every_tool_runs_in_every_network_mode(mode, workdir):
    data = _run(mode, workdir)
    assert data["status"] == "finished", data.get("error")
    tests = {t["test"]: t for t in data["tests"]}
    for test in tests.values():
        assert [p["status"] for p in test["pairs"]] == ["ok", "ok"], test["pairs"]
        assert test["start_skew"]["max"] < 0.25

    web = tests["web"]
    requests = web["counters"]["requests"]
    assert 0.8 * 2 * 400 * 2 <= requests <= 1.2 * 2 * 400 * 2  # 2 clients x 400/s x 2 s
    assert web["histograms"]["latency"]["count"] == requests
    assert web["counters"]["status_2xx"] == requests
    assert web["counters"]["bytes"] > requests * 2048
    assert len(web["intervals"]) >= 4

    assert tests["tcp"]["counters"]["bits_per_second"] > 1e6
    rtt = tests["rtt"]
    assert rtt["counters"]["loss_percent"] == 0
    assert rtt["histograms"]["rtt"]["count"] == rtt["counters"]["transmitted"]
    assert tests["disk"]["counters"]["read_iops"] > 0
    assert (
        tests["disk"]["histograms"]["read_clat"]["count"] == tests["disk"]["counters"]["read_ios"]
    )

    if mode == "single-network":
        wrk = tests["wrk"]
        assert wrk["counters"]["requests"] > 0
        assert wrk["histograms"]["latency"]["count"] == wrk["counters"]["requests"]
    if mode == "single-router":
        assert tests["udp"]["counters"]["packets"] > 0
    assert {a["status"] for a in data["agents"]} == {"registered"}
    assert len(data["agents"]) == 4


def test_full_mode_servers_are_reached_only_through_floating_ips(workdir):
    from squall.dataplane import topology
    from squall.dataplane.plan import Plan

    plan = Plan.model_validate({"network_mode": "full", "tests": [{"name": "t", "tool": "ping"}]})
    topo = topology.build(plan)
    pair = topo.pairs[0]
    assert pair.target != topo.instances[pair.server].address
    assert pair.target == topo.instances[pair.server].floating_ip


def test_a_custom_test_from_the_plan_folder_runs_in_the_agents(workdir):
    from squall.dataplane.loader import load_plan

    samples = Path(__file__).parents[3] / "samples" / "dataplane"
    plan = load_plan(samples / "netns-custom.yaml")
    db = f"sqlite:///{workdir.parent / 'results.db'}"
    record = asyncio.run(run_plan(plan, RunOptions(workdir, db=db)))
    assert record.status == "finished", record.error
    data = json.loads((workdir / record.run / RESULTS_FILE).read_text())
    connect = data["tests"][1]
    assert connect["tool"] == "tcp_connect"
    assert connect["counters"] == {"connects": 80.0, "failures": 0.0}
    assert connect["histograms"]["connect"]["count"] == 80
    with Store.open(db) as store:
        stored = DataplaneStore(store).get(record.run)
    assert stored["status"] == "finished"
    assert [t["test"] for t in stored["tests"]] == ["web", "connect"]
    assert stored["tests"][1]["counters"] == connect["counters"]


def test_concurrent_tests_share_servers_without_clashing(workdir):
    plan = load_plan_text(
        """\
dataplane: 1
network_mode: single-router
scale: {servers_per_network: 2}
controller: {start_lead: 0.3, poll_wait: 2}
execution: concurrent
tests:
  - {name: small, tool: http, duration: 4, report_interval: 0.5,
     args: {connections: 2, rate: 100, size: 512}}
  - {name: large, tool: http, duration: 4, report_interval: 0.5,
     args: {connections: 2, rate: 100, size: 8192}}
  - {name: tcp-a, tool: iperf3, duration: 4, report_interval: 0.5}
  - {name: tcp-b, tool: iperf3, duration: 4, report_interval: 0.5}
""",
        "concurrent.yaml",
    )
    lines: list[str] = []
    record = asyncio.run(run_plan(plan, RunOptions(workdir, echo=lines.append)))
    assert record.status == "finished", record.error
    # each test's interim reports reach its own lines, from its own two clients
    for name in ("small", "large", "tcp-a", "tcp-b"):
        interim = [ln for ln in lines if ln.startswith(f"  {name} t=")]
        assert len(interim) >= 2, lines
        assert any(ln.endswith("(2/2)") for ln in interim), lines
    data = json.loads((workdir / record.run / RESULTS_FILE).read_text())
    tests = {t["test"]: t for t in data["tests"]}
    for name in ("small", "large"):
        counters = tests[name]["counters"]
        assert counters["status_2xx"] == counters["requests"] > 0
    per_request = {
        n: tests[n]["counters"]["bytes"] / tests[n]["counters"]["requests"]
        for n in ("small", "large")
    }
    assert 512 < per_request["small"] < 1024 < 8192 < per_request["large"]
    assert tests["tcp-a"]["counters"]["bits_per_second"] > 0
    assert tests["tcp-b"]["counters"]["bits_per_second"] > 0


def test_iperf3_ping_and_fio_stream_interim_results_while_they_run(workdir):
    """Every report interval each client sends its tool's new output; the run shows one
    line per interval and keeps the latest in progress.json while the test runs."""
    plan = load_plan_text(
        """\
dataplane: 1
network_mode: single-router
scale: {servers_per_network: 2}
controller: {poll_wait: 2, start_lead: 0.3}
tests:
  - {name: tcp, tool: iperf3, duration: 3, report_interval: 1}
  - {name: rtt, tool: ping, duration: 3, report_interval: 1, args: {interval: 0.1}}
  - {name: disk, tool: fio, duration: 3, report_interval: 1, args: {size: 8M, iodepth: 2}}
""",
        "interim.yaml",
    )
    run_id = "1" * 32
    progress = workdir / run_id / PROGRESS_FILE
    lines: list[str] = []
    seen_in_progress: list[bool] = []

    def echo(line: str) -> None:
        lines.append(line)
        if " t=" in line:  # an interim line: already in progress.json
            saved = json.loads(progress.read_text())
            texts = [x["text"] for t in saved["tests"] for x in t["lines"]]
            seen_in_progress.append(any(text in line for text in texts))
            running = json.loads((workdir / run_id / RESULTS_FILE).read_text())
            assert running["status"] == "running"
            assert len(running["agents"]) == 4  # registered agents saved before the tests

    record = asyncio.run(run_plan(plan, RunOptions(workdir, echo=echo, run_id=run_id)))
    assert record.status == "finished", record.error
    names = ["tcp", "rtt", "disk"]
    interim = {name: [ln for ln in lines if ln.startswith(f"  {name} t=")] for name in names}
    # a 3 s test with 1 s intervals: lines for t=1 and t=2 at least, each from both clients
    assert len(interim["tcp"]) >= 2 and "Gbit/s" in interim["tcp"][0], lines
    assert len(interim["rtt"]) >= 2 and "replies  rtt p50" in interim["rtt"][0], lines
    assert len(interim["disk"]) >= 2 and "IOPS" in interim["disk"][0], lines
    assert all(any(ln.endswith("(2/2)") for ln in interim[name]) for name in names)
    # shown while the test ran: before the next test started (or the run finished)
    ends = ["rtt #1: ", "disk #1: ", "finished: "]
    for name, end in zip(names, ends, strict=True):
        last = max(lines.index(ln) for ln in interim[name])
        assert last < next(i for i, ln in enumerate(lines) if ln.startswith(end))
    assert seen_in_progress and all(seen_in_progress)
    assert not progress.exists()  # removed once the run is over
    data = json.loads((workdir / run_id / RESULTS_FILE).read_text())
    for test in data["tests"]:
        assert len(test["intervals"]) >= 2, test["test"]
