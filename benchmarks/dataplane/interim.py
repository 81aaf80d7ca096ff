"""Interim reports: N simulated fio clients post one every second to a real controller.

The controller (this process, real protocol over a unix socket, HMAC checked) feeds
them to a ``LiveTest`` as ``squall dataplane run`` does: each client's cumulative fio
``json+`` status documents become intervals whose HdrHistograms are merged across
clients. Figures: reports received and parsed per second against the N offered, how
late the controller's event loop wakes meanwhile (a 5 ms ticker), the agents' reply
times, controller CPU per report, and whether every report received was parsed by the end.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from squall.dataplane.agent import protocol
from squall.dataplane.controller.core import Controller
from squall.dataplane.controller.state import MemoryState, Report
from squall.dataplane.live import LiveTest
from squall.dataplane.tools.base import Timing
from squall.dataplane.tools.fio import Fio, FioArgs, documents

HERE = Path(__file__).parent
RECORDED = HERE.parents[1] / "tests" / "data" / "dataplane" / "fio-randrw-status-interval.json"
TICK = 0.005


def fio_documents(seconds: int) -> list[str]:
    """``seconds`` cumulative status documents grown from a recorded one (~33 KB each)."""
    base = documents(RECORDED.read_text())[-1]
    docs = []
    for k in range(1, seconds + 1):
        doc = copy.deepcopy(base)
        job = doc["jobs"][0]
        job["job_runtime"], job["elapsed"] = 1000 * k, k
        for name in ("read", "write"):
            side = job[name]
            side["total_ios"], side["io_bytes"] = side["total_ios"] * k, side["io_bytes"] * k
            bins = side["clat_ns"]["bins"]
            side["clat_ns"]["bins"] = {b: int(v) * k for b, v in bins.items()}
        docs.append(json.dumps(doc, indent=2) + "\n")
    return docs


class Probe:
    """Counts reports as they arrive and how late the loop wakes for a ticker."""

    def __init__(self) -> None:
        self.received = 0  # interim reports
        self.total = 0  # and final ones
        self.lags: list[float] = []
        self.stop = False

    def count(self, report: Report) -> None:
        self.received += 0 if report.final else 1
        self.total += 1

    async def tick(self) -> None:
        while not self.stop:
            before = time.perf_counter()
            await asyncio.sleep(TICK)
            self.lags.append(time.perf_counter() - before - TICK)


class Inline:
    """Reports parsed in the controller's callback, on its event loop, as they arrive (how
    the run routed them before ``LiveRouter``). Called and not awaited by a controller of
    that time: it works at once and returns a finished future."""

    def __init__(self, live: LiveTest, probe: Probe) -> None:
        self.live, self.probe, self.parsed = live, probe, 0

    def __call__(self, report: Report) -> asyncio.Future[None]:
        self.probe.count(report)
        self.live.add(report)
        self.parsed += 1
        done = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done

    async def drain(self) -> None:
        return None


class Routed:
    """Reports queued for ``LiveRouter``'s worker thread, as ``squall dataplane run`` does."""

    def __init__(self, live: LiveTest, probe: Probe) -> None:
        from squall.dataplane.live_router import LiveRouter

        self.probe = probe
        self.router = LiveRouter(lambda _test, _text: None)
        self.router.watch(live)

    async def __call__(self, report: Report) -> None:
        self.probe.count(report)
        await self.router.put(report)

    @property
    def parsed(self) -> int:
        return self.router.parsed

    async def drain(self) -> None:
        await self.router.drain()
        await self.router.close()


async def _measure_in(
    tmp: Path, count: int, seconds: int, processes: int, routed: bool
) -> dict[str, float]:
    sock, run, secret = tmp / "ctl.sock", "bench", protocol.new_secret()
    (tmp / "secret").write_text(secret)
    (tmp / "docs.json").write_text(json.dumps(fio_documents(seconds)))
    controller = Controller(run, secret, MemoryState(), poll_wait=20, loss_timeout=120)
    await controller.start(unix=sock)
    per = count // processes
    names = [f"p{k}-{i}" for k in range(processes) for i in range(per)]
    timing = Timing(duration=seconds, warmup=0, report_interval=1.0)
    clients = {f"fio-{name}": name for name in names}
    live = LiveTest(Fio(), FioArgs(), timing, clients, "fio")
    probe = Probe()
    feed = Routed(live, probe) if routed else Inline(live, probe)
    controller.on_report = feed  # type: ignore[assignment]
    times = Times(time.time() + 2.0 + count * 0.002)
    t0 = times.t0
    sims = [_sim(tmp, run, per, f"p{k}-", t0, seconds) for k in range(processes)]
    ticker = asyncio.ensure_future(probe.tick())
    cpu = time.process_time()
    try:
        await controller.wait_for_agents(set(names), 60)
        await controller.collect(_commands(clients), t0 - time.time() + seconds + 120)
        times.finished = time.time()
        await feed.drain()
        times.drained = time.time()
        times.cpu = time.process_time() - cpu
        outputs = [json.loads((await asyncio.to_thread(s.communicate, None, 60))[0]) for s in sims]
    finally:
        probe.stop = True
        await ticker
        for sim in sims:
            if sim.poll() is None:
                sim.kill()
        await controller.stop()
    unparsed = probe.total - feed.parsed
    return _figures(count, seconds, times, probe, live, outputs) | {"unparsed": float(unparsed)}


def _commands(clients: dict[str, str]) -> list[Any]:
    from squall.dataplane.controller.state import Command

    return [Command(cid, agent, protocol.OP_RUN) for cid, agent in clients.items()]


def _sim(tmp: Path, run: str, per: int, prefix: str, t0: float, seconds: int) -> Any:
    argv = [sys.executable, str(HERE / "sim_reporters.py"), "--socket", str(tmp / "ctl.sock"),
            "--run", run, "--secret-file", str(tmp / "secret"), "--docs",
            str(tmp / "docs.json"), "--count", str(per), "--prefix", prefix,
            "--t0", str(t0), "--seconds", str(seconds)]  # fmt: skip
    return subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else 0.0


@dataclass
class Times:
    t0: float  # the clients' start: their first report is due a second later
    finished: float = 0.0  # every final report received
    drained: float = 0.0  # every report parsed
    cpu: float = 0.0  # the controller process's CPU seconds meanwhile


def _figures(count: int, seconds: int, times: Times, probe: Probe, live: LiveTest,
             outputs: list[dict[str, Any]]) -> dict[str, float]:  # fmt: skip
    t0, finished, drained, cpu = times.t0, times.finished, times.drained, times.cpu
    reply = [r for out in outputs for r in out["reply"]]
    late = [x for out in outputs for x in out["late"]]
    span = drained - (t0 + 1)  # from the first report due to the last one parsed
    complete = [line for line in live.lines if line.clients == count]
    return {
        "agents": float(count),
        "offered_per_s": float(count),
        "parsed_per_s": probe.received / span,
        "received": float(probe.received),
        "lag_p50_ms": _pct(probe.lags, 50) * 1e3,
        "lag_p99_ms": _pct(probe.lags, 99) * 1e3,
        "lag_max_ms": max(probe.lags, default=0.0) * 1e3,
        "reply_p50_ms": _pct(reply, 50) * 1e3,
        "reply_p99_ms": _pct(reply, 99) * 1e3,
        "sent_late_p99_ms": _pct(late, 99) * 1e3,
        "overrun_s": finished - (t0 + seconds),
        "drain_ms": (drained - finished) * 1e3,
        "cpu_ms_per_report": cpu / max(1, probe.received) * 1e3,
        # a line is shown without a client whose report came after others' next two
        "intervals_without_every_client": float(seconds - len(complete)),
    }


def measure(
    count: int = 400, seconds: int = 15, processes: int = 2, routed: bool = True
) -> dict[str, float]:
    """``routed``: as the run does (a worker thread); else parsed on the loop."""
    with tempfile.TemporaryDirectory(prefix="squall-bench-") as name:
        return asyncio.run(_measure_in(Path(name), count, seconds, processes, routed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("agents", type=int, nargs="*", default=[100, 200, 400])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--inline", action="store_true", help="parse on the event loop")
    args = parser.parse_args()
    for count in args.agents:
        figures = measure(count, args.seconds, routed=not args.inline)
        print(", ".join(f"{k}={v:,.1f}" for k, v in figures.items()), flush=True)


if __name__ == "__main__":
    main()
