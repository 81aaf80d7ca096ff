"""squall's HTTP generator against wrk, on the same nginx, with the same CPU budget.

nginx (1 worker) is pinned to CPU 0; each client is pinned to CPU 1 and runs closed
loop with the same connections for the same time; the figure is requests per *client*
CPU-second (robust to the other tenants of this machine), reps interleaved, medians.
The accuracy figure runs the generator open loop at a fixed rate against a server that
answers after a known delay (``tc netem`` needs ``sch_netem``, which this kernel lacks,
so the delay is the server's: an asyncio server writes each answer ``delay`` after the
request's end), and compares p50/p90/p99 with that delay; both processes run under
SCHED_FIFO when root (see ``priority.py``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from priority import realtime

from squall.dataplane.agent.services import Services

GEN = """
import json, sys, time
from squall.dataplane.agent.httpload import LoadSpec, run_load
from squall.dataplane.agent.reporting import IntervalSender
spec = LoadSpec(**json.loads(sys.argv[1]))
out, sender = [], IntervalSender(lambda snapshot: None)
def report(interval):  # as the agent does: histogram encoded here, sent by a thread
    out.append(interval)
    sender.put(interval)
c0 = time.process_time()  # every thread of the process
run_load(spec, report)
snaps = sender.close()
cpu = time.process_time() - c0
print(json.dumps({"requests": sum(i.requests for i in out), "errors": sum(i.errors for i in out),
                  "cpu": cpu, "intervals": snaps}))
"""


def _taskset(cpu: int) -> list[str]:
    return ["taskset", "-c", str(cpu)] if shutil.which("taskset") and os.cpu_count() != 1 else []


def _children_cpu() -> float:
    usage = os.times()
    return usage.children_user + usage.children_system


def _wrk(port: int, conns: int, seconds: int) -> tuple[float, float]:
    before = _children_cpu()
    out = subprocess.run(
        [
            *_taskset(1),
            "wrk",
            "-t1",
            f"-c{conns}",
            f"-d{seconds}s",
            f"http://127.0.0.1:{port}/squall-1024.bin",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    cpu = _children_cpu() - before
    match = re.search(r"(\d+) requests in", out)
    return float(match.group(1)) if match else 0.0, cpu


def _squall(spec: dict[str, object], prefix: list[str] | None = None) -> dict[str, float]:
    out = subprocess.run(
        [*(prefix or []), *_taskset(1), sys.executable, "-c", GEN, json.dumps(spec)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data: dict[str, float] = json.loads(out)
    return data


def ratio(conns: int = 100, seconds: int = 5, reps: int = 3) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="squall-bench-") as name:
        return _ratio_in(Path(name), conns, seconds, reps)


def _ratio_in(workdir: Path, conns: int, seconds: int, reps: int) -> dict[str, float]:
    services = Services(workdir)
    port = 18590
    services.start(
        {
            "service": "http",
            "port": port,
            "size": 1024,
            "path": "/squall-1024.bin",
            "server": "nginx",
            "workers": 1,
        }
    )
    nginx = next(iter(services.running.values())).pid
    if _taskset(0) and nginx:
        for pid in _nginx_pids(nginx):
            subprocess.run(["taskset", "-pc", "0", str(pid)], capture_output=True, check=False)
    wrk_rates, squall_rates = [], []
    try:
        for _ in range(reps):
            requests, cpu = _wrk(port, conns, seconds)
            wrk_rates.append(requests / cpu)
            spec = {
                "host": "127.0.0.1",
                "port": port,
                "path": "/squall-1024.bin",
                "connections": conns,
                "rate": 0.0,
                "duration": float(seconds),
            }
            data = _squall(spec)
            squall_rates.append(data["requests"] / data["cpu"])
    finally:
        services.stop_all()
    wrk, ours = statistics.median(wrk_rates), statistics.median(squall_rates)
    return {"wrk_req_per_cpu_s": wrk, "squall_req_per_cpu_s": ours, "ratio": ours / wrk}


def _nginx_pids(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [master, *(int(p) for p in out.split())]


DELAYED = """
import asyncio, sys
delay, port = float(sys.argv[1]), int(sys.argv[2])
body = b"x" * 64
answer = b"HTTP/1.1 200 OK\\r\\nContent-Length: 64\\r\\n\\r\\n" + body
class P(asyncio.Protocol):
    def connection_made(self, t): self.t, self.buf = t, b""
    def data_received(self, d):
        self.buf += d
        while b"\\r\\n\\r\\n" in self.buf:
            _, _, self.buf = self.buf.partition(b"\\r\\n\\r\\n")
            asyncio.get_running_loop().call_later(delay, self.t.write, answer)
async def main():
    server = await asyncio.get_running_loop().create_server(P, "127.0.0.1", port)
    print("ready", flush=True)
    await asyncio.sleep(3600)
asyncio.run(main())
"""


def accuracy(delay: float = 0.05, rate: float = 200.0, seconds: int = 6) -> dict[str, float]:
    """Open loop at ``rate`` against a server that answers after ``delay`` seconds."""
    port = 18591
    rt = realtime()
    server = subprocess.Popen(
        [*rt, *_taskset(0), sys.executable, "-c", DELAYED, str(delay), str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "ready"
        spec = {
            "host": "127.0.0.1",
            "port": port,
            "path": "/",
            "connections": 20,
            "rate": rate,
            "duration": float(seconds),
        }
        data = _squall(spec, rt)
    finally:
        server.terminate()
        server.wait(10)
    from squall.stats.histogram import Histogram

    hist = Histogram()
    for snap in data["intervals"][1:]:  # type: ignore[index]  # the first second warms up
        if snap["histograms"]:
            hist.merge_encoded(snap["histograms"]["latency"])
    result = {"delay_ms": delay * 1e3, "requests": float(hist.count), "realtime": float(bool(rt))}
    for p in (50, 90, 99):
        result[f"p{p}_ms"] = hist.value_at(p) * 1e3
        result[f"p{p}_error"] = hist.value_at(p) / delay - 1
    return result


def now() -> float:
    return time.time()
