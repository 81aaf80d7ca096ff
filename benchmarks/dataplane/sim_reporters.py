"""Simulated fio clients in one process: each posts an interim report every second.

Each agent registers, then from ``--t0`` on sends, at every whole second after it, the
next cumulative fio ``json+`` status document (as the real agent streams fio's
``--status-interval`` output), waits for the reply, and after ``--seconds`` sends its
final report. Every agent starts at the same instant, as real clients given one
``start_at`` do. Prints one JSON line: each report's reply time and lateness. Run by
``interim.py``; not a squall agent (it runs no tool).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from typing import Any

from sim_agents import SimAgent

from squall.dataplane.agent import protocol


async def report(
    agent: SimAgent, command: str, docs: list[str], t0: float, seconds: int
) -> list[tuple[float, float]]:
    """(reply seconds, lateness seconds) of every interim report ``agent`` sent."""
    await agent.call(protocol.REGISTER, {"labels": {"sim": "interim"}})
    timings = []
    for k in range(seconds):
        due = t0 + k + 1
        await asyncio.sleep(max(0.0, due - time.time()))
        sent = time.time()
        body = {"command": command, "final": False, "status": "running", "output": docs[k]}
        await agent.call(protocol.RESULT, body)
        timings.append((time.time() - sent, sent - due))
    await agent.call(protocol.RESULT, {"command": command, "final": True, "status": "ok"})
    return timings


async def main(args: argparse.Namespace) -> None:
    with open(args.secret_file) as handle:
        secret = handle.read().strip()
    with open(args.docs) as handle:
        docs: list[str] = json.load(handle)
    names = [f"{args.prefix}{i}" for i in range(args.count)]
    agents = [SimAgent(name, args.socket, args.run, secret) for name in names]
    results = await asyncio.gather(
        *(report(a, f"fio-{a.name}", docs, args.t0, args.seconds) for a in agents)
    )
    flat: dict[str, Any] = {
        "reply": [r for timings in results for r, _ in timings],
        "late": [late for timings in results for _, late in timings],
    }
    print(json.dumps(flat))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--socket", required=True)
    parser.add_argument("--run", required=True)
    parser.add_argument("--secret-file", required=True)
    parser.add_argument("--docs", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--t0", type=float, required=True)
    parser.add_argument("--seconds", type=int, required=True)
    asyncio.run(main(parser.parse_args()))
