"""The network disruptor for real, inside two network namespaces joined by a veth pair:
netem latency and loss, a partition with nftables, a link cut seen by a ping monitor."""

from __future__ import annotations

import asyncio
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
import uuid

import pytest
from typer.testing import CliRunner

from squall.cli.faults import app
from squall.disruptors.journal import FaultJournal
from squall.disruptors.network import Network
from squall.disruptors.run import Fault, Schedule, disrupt
from squall.hosts.inventory import Host
from squall.hosts.select import Duration
from squall.monitors.instance import InstanceMonitor
from squall.monitors.schedule import MonitorSet
from squall.stats.downtime import Point, downtime_windows

pytestmark = pytest.mark.integration

LOCAL = Host(name="localhost")


def sh(*argv):
    subprocess.run(argv, check=True, capture_output=True)


@pytest.fixture
def pair():
    """ns A (10.213.7.1) <-veth-> ns B (10.213.7.2); removed afterwards."""
    tag = uuid.uuid4().hex[:6]
    a, b = f"sqa-{tag}", f"sqb-{tag}"
    sh("ip", "netns", "add", a)
    sh("ip", "netns", "add", b)
    try:
        sh(
            "ip",
            "link",
            "add",
            f"va{tag}",
            "netns",
            a,
            "type",
            "veth",
            "peer",
            f"vb{tag}",
            "netns",
            b,
        )
        for ns, dev, addr in ((a, f"va{tag}", "10.213.7.1/24"), (b, f"vb{tag}", "10.213.7.2/24")):
            sh("ip", "-n", ns, "addr", "add", addr, "dev", dev)
            sh("ip", "-n", ns, "link", "set", dev, "up")
            sh("ip", "-n", ns, "link", "set", "lo", "up")
        yield a, b, f"vb{tag}"
    finally:
        subprocess.run(["ip", "netns", "del", a], check=False)
        subprocess.run(["ip", "netns", "del", b], check=False)


def rtt_ms(ns: str) -> float | None:
    out = subprocess.run(
        ["ip", "netns", "exec", ns, "ping", "-n", "-c", "3", "-i", "0.2", "-W", "1", "10.213.7.2"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    found = re.search(r"= [\d.]+/([\d.]+)/", out)
    return float(found.group(1)) if found else None


def network(b, dev, **cfg):
    return Network(Network.parse_config({"interface": dev, "netns": b, **cfg}))


def netem_available(ns: str) -> bool:
    probe = subprocess.run(
        [
            "ip",
            "netns",
            "exec",
            ns,
            "tc",
            "qdisc",
            "add",
            "dev",
            "lo",
            "root",
            "netem",
            "delay",
            "1ms",
        ],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def test_latency_applies_and_is_removed(pair, tmp_path):
    a, b, dev = pair
    if not netem_available(a):
        pytest.skip("this kernel has no netem qdisc (sch_netem)")
    assert (rtt_ms(a) or 99) < 20
    fault = Fault(
        network(b, dev, action="latency", delay_ms=120).plan(LOCAL), FaultJournal(tmp_path / "j")
    )
    fault.inject()
    assert fault.verify(timeout=5)
    assert (rtt_ms(a) or 0) >= 115
    fault.restore()
    assert fault.verify_recovery(timeout=5)
    assert (rtt_ms(a) or 99) < 20


def test_partition_drops_everything_then_heals(pair, tmp_path):
    a, b, dev = pair
    journal = FaultJournal(tmp_path / "j")
    fault = Fault(network(b, dev, action="partition", peers=["10.213.7.1"]).plan(LOCAL), journal)
    fault.inject()
    assert fault.verify(timeout=5)
    assert rtt_ms(a) is None
    fault.restore()
    assert fault.verify_recovery(timeout=5) and rtt_ms(a) is not None
    assert journal.pending() == []


def test_a_link_cut_is_a_gap_of_its_length_within_one_probe_period(pair, tmp_path):
    a, b, dev = pair
    period, down = 0.2, 2.0
    monitor = InstanceMonitor(
        InstanceMonitor.parse_config(
            {"ping": ["10.213.7.2"], "netns": a, "period": period, "timeout": 0.15}
        )
    )
    samples, events = [], []

    async def scenario():
        monitors = MonitorSet([monitor], samples.extend)
        await monitors.start()
        await asyncio.sleep(1.0)
        schedule = Schedule(down=Duration(low=down, high=down))
        cut = network(b, dev, action="partition")
        journal = FaultJournal(tmp_path / "j")
        await asyncio.to_thread(disrupt, cut, schedule, journal, sink=events.append)
        await asyncio.sleep(1.0)
        await monitors.stop()

    asyncio.run(scenario())
    windows = downtime_windows([Point(s.at, s.ok, s.latency) for s in samples])
    assert len(windows) == 1, windows
    (window,) = windows
    injected = next(e.at for e in events if e.phase == "inject")
    restored = next(e.at for e in events if e.phase == "restore")
    # a sample is stamped when it starts; one in flight at either edge may straddle it
    slack = period + 0.15
    assert abs(window.start - injected) <= slack
    assert abs(window.end - restored) <= slack
    assert abs((window.end - window.start) - (restored - injected)) <= slack
    assert max(s.lag for s in samples) < period


CHILD = """
import sys, time
from pathlib import Path
from squall.disruptors.journal import FaultJournal
from squall.disruptors.network import Network
from squall.disruptors.run import Fault
from squall.hosts.inventory import Host
cfg = Network.parse_config({"interface": sys.argv[1], "netns": sys.argv[2], "action": "partition"})
Fault(Network(cfg).plan(Host(name="localhost")), FaultJournal(Path(sys.argv[3]))).inject()
print("injected", flush=True)
time.sleep(300)
"""


def test_squall_killed_during_a_partition_leaves_nothing_after_cleanup(pair, tmp_path):
    a, b, dev = pair
    journal = tmp_path / "faults.jsonl"
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(CHILD), dev, b, str(journal)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "injected"
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    assert rtt_ms(a) is None
    result = CliRunner().invoke(app, ["cleanup", "--journal", str(journal)])
    assert result.exit_code == 0, result.output
    qdisc = subprocess.run(
        ["ip", "netns", "exec", b, "tc", "qdisc", "show", "dev", dev],
        capture_output=True,
        text=True,
    )
    assert "netem" not in qdisc.stdout
    assert rtt_ms(a) is not None


def loss_percent(ns: str, count: int = 60) -> float:
    out = subprocess.run(
        [
            "ip",
            "netns",
            "exec",
            ns,
            "ping",
            "-n",
            "-q",
            "-c",
            str(count),
            "-i",
            "0.01",
            "-W",
            "0.3",
            "10.213.7.2",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    found = re.search(r"([\d.]+)% packet loss", out)
    assert found, out
    return float(found.group(1))


def test_random_loss_with_nftables(pair, tmp_path):
    a, b, dev = pair
    cfg = {"action": "loss", "loss_percent": 50, "tool": "nft"}
    fault = Fault(network(b, dev, **cfg).plan(LOCAL), FaultJournal(tmp_path / "j"))
    fault.inject()
    assert fault.verify(timeout=5)
    # each echo crosses the rules twice (request in, reply out): ~75 % lost
    assert 40 <= loss_percent(a) <= 98
    fault.restore()
    assert fault.verify_recovery(timeout=5) and loss_percent(a, 10) == 0


def test_link_down_and_up(pair, tmp_path):
    a, b, dev = pair
    fault = Fault(network(b, dev, action="down").plan(LOCAL), FaultJournal(tmp_path / "j"))
    fault.inject()
    assert fault.verify(timeout=5) and rtt_ms(a) is None
    fault.restore()
    assert fault.verify_recovery(timeout=5) and rtt_ms(a) is not None


def test_stop_cuts_the_down_time_short_and_restores(pair, tmp_path):
    a, b, dev = pair
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    started = time.monotonic()
    schedule = Schedule(down=Duration(low=30, high=30))
    (outcome,) = disrupt(
        network(b, dev, action="down"), schedule, FaultJournal(tmp_path / "j"), stop=stop
    )
    assert time.monotonic() - started < 10 and outcome.ok
    assert rtt_ms(a) is not None
