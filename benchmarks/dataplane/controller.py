"""1,000 simulated agents: registration time and the start skew of one common start_at.

The simulated agents run under SCHED_FIFO when root (see ``priority.py``): real agents each
have an instance of their own, these share a loaded machine.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from priority import realtime

from squall.dataplane.agent import protocol
from squall.dataplane.controller.core import Controller
from squall.dataplane.controller.state import Command, MemoryState

HERE = Path(__file__).parent


async def _measure(count: int, processes: int, lead: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="squall-bench-") as name:
        return await _measure_in(Path(name), count, processes, lead)


async def _measure_in(tmp: Path, count: int, processes: int, lead: float) -> dict[str, float]:
    sock, run, secret = tmp / "ctl.sock", "bench", protocol.new_secret()
    (tmp / "secret").write_text(secret)
    controller = Controller(run, secret, MemoryState(), poll_wait=20, loss_timeout=120)
    await controller.start(unix=sock)
    per = count // processes
    rt = realtime()
    start = time.perf_counter()
    sims = [
        subprocess.Popen(
            [
                *rt,
                sys.executable,
                str(HERE / "sim_agents.py"),
                "--socket",
                str(sock),
                "--run",
                run,
                "--secret-file",
                str(tmp / "secret"),
                "--count",
                str(per),
                "--prefix",
                f"p{k}-",
            ],
        )
        for k in range(processes)
    ]
    try:
        names = {f"p{k}-{i}" for k in range(processes) for i in range(per)}
        registered = await controller.wait_for_agents(names, 120)
        agents = await controller.agents()
        registration = time.perf_counter() - start
        start_at = time.time() + lead
        commands = [Command(f"go-{a}", a, protocol.OP_RUN, start_at=start_at) for a in agents]
        await controller.submit(commands)
        got = await controller.collect(commands, lead + 60)
        skews = sorted(abs(r.data["started_at"] - start_at) for r in got.finals.values())
        margin = start_at - max(r.data["received_at"] for r in got.finals.values())
        await controller.submit([Command(f"bye-{a}", a, protocol.OP_EXIT) for a in agents])
        for sim in sims:
            await asyncio.to_thread(sim.wait, 30)
    finally:
        for sim in sims:
            if sim.poll() is None:
                sim.kill()
        await controller.stop()
    return {
        "agents": float(len(registered)),
        "register_seconds": registration,
        "skew_p50_ms": skews[len(skews) // 2] * 1e3,
        "skew_p99_ms": skews[min(len(skews) - 1, int(0.99 * len(skews)))] * 1e3,
        "skew_max_ms": skews[-1] * 1e3,
        "last_delivery_before_start_ms": margin * 1e3,
        "realtime": float(bool(rt)),
    }


def measure(count: int = 1000, processes: int = 1, lead: float | None = None) -> dict[str, float]:
    """``lead`` defaults to what ``squall dataplane run`` gives: 1 s + 2 ms per agent.

    The simulated agents share ``processes`` event loops, so the skew includes each
    loop firing its agents' timers one after another (real agents each have their own).
    """
    lead = 1.0 + 0.002 * count if lead is None else lead
    return asyncio.run(_measure(count, processes, lead))
