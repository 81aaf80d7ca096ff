#!/usr/bin/env python3
"""Resilience timing goals (issue 7), measured on this machine.

    .venv/bin/python benchmarks/resilience_timing.py [--seconds 20] [--hosts 50]

- monitor jitter: p99 lateness of samples on a 0.2 s grid while a Dummy workload runs
  in the same process; goal <= 10 % of the period;
- injection to record: from the call that injects a local fault (SIGSTOP of a process)
  to its event reaching the run's sink; goal <= 50 ms;
- many hosts: a ``host`` monitor over N local-transport hosts sampled every second;
  goal: no skipped samples and p99 lateness <= 10 % of the period.

Prints one line per figure (``name: value (goal ...): PASS/FAIL``); exit 2 if a goal
does not hold.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from squall.disruptors.journal import FaultJournal
from squall.disruptors.process import Process
from squall.disruptors.run import Fault, FaultEvent
from squall.hosts.inventory import Host, Inventory
from squall.monitors.base import MonitorEnv
from squall.monitors.host import HostMonitor
from squall.monitors.instance import InstanceMonitor
from squall.monitors.schedule import MonitorSet
from squall.results.samples import MonitorSample


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) > 1 else values[0]


async def busy_load(until: float) -> int:
    """Dummy-like load on the same loop: many short tasks."""
    done = 0

    async def one() -> None:
        await asyncio.sleep(0.001)

    while time.monotonic() < until:
        await asyncio.gather(*(one() for _ in range(50)))
        done += 50
    return done


async def jitter(seconds: float, port: int) -> tuple[float, int]:
    samples: list[MonitorSample] = []
    monitor = InstanceMonitor(
        InstanceMonitor.parse_config({"tcp": [f"127.0.0.1:{port}"], "period": 0.2})
    )
    monitors = MonitorSet([monitor], samples.extend)
    await monitors.start()
    await busy_load(time.monotonic() + seconds)
    await monitors.stop()
    return p99([s.lag for s in samples]), monitors.skipped[monitor.label]


async def many_hosts(count: int, seconds: float) -> tuple[float, int]:
    hosts = tuple(Host(name=f"h{i}") for i in range(count))
    env = MonitorEnv(inventory=Inventory(hosts=hosts))
    monitor = HostMonitor(HostMonitor.parse_config({"process": "python", "period": 1.0}), env)
    samples: list[MonitorSample] = []
    monitors = MonitorSet([monitor], samples.extend)
    await monitors.start()
    await asyncio.sleep(seconds)
    await monitors.stop()
    return p99([s.lag for s in samples]), monitors.skipped[monitor.label]


def injection_to_record() -> float:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)  # squall-bench"])
    try:
        time.sleep(0.2)
        plan = Process(Process.parse_config({"pidfile": _pidfile(proc.pid), "action": "freeze"}))
        fault_plan = plan.plan(Host(name="localhost"))
        got: list[float] = []

        def sink(event: FaultEvent) -> None:
            got.append(time.perf_counter())

        with tempfile.TemporaryDirectory() as d:
            fault = Fault(fault_plan, FaultJournal(Path(d) / "j"), sink=sink)
            started = time.perf_counter()
            fault.inject()
            elapsed = got[0] - started
            fault.restore()
        return elapsed
    finally:
        proc.kill()
        proc.wait()


def _pidfile(pid: int) -> str:
    path = Path(tempfile.mkdtemp()) / "p.pid"
    path.write_text(str(pid))
    return str(path)


def line(name: str, value: float, goal: float, unit: str) -> bool:
    ok = value <= goal
    print(f"{name}: {value:.4f} {unit} (goal <= {goal:g} {unit}): {'PASS' if ok else 'FAIL'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--hosts", type=int, default=50)
    args = parser.parse_args()
    server = subprocess.Popen(
        [sys.executable, "-c", "import socket,time;s=socket.socket();s.bind(('127.0.0.1',0));"
         "s.listen(512);print(s.getsockname()[1],flush=True);\nwhile True: s.accept()[0].close()"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        lag, skipped = asyncio.run(jitter(args.seconds, port))
        ok = line("monitor jitter p99 at 0.2 s under load", lag, 0.02, "s")
        ok &= line("monitor samples skipped", skipped, 0, "")
        ok &= line("injection to record (local SIGSTOP)", injection_to_record(), 0.05, "s")
        lag, skipped = asyncio.run(many_hosts(args.hosts, min(args.seconds, 10)))
        ok &= line(f"{args.hosts} hosts every 1 s: p99 lateness", lag, 0.1, "s")
        ok &= line(f"{args.hosts} hosts every 1 s: skipped samples", skipped, 0, "")
    finally:
        server.kill()
        server.wait()
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
