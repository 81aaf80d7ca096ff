"""TCP connect latency to the paired server (a squall custom data-plane test).

Standard library only: this file runs inside the agent on each client instance.
args: port (default 80), count (default 50), interval seconds between attempts (0.02).
"""

from __future__ import annotations

import socket
import time
from typing import Any


def run(target: dict[str, Any], args: dict[str, Any], duration: float) -> dict[str, Any]:
    port = int(args.get("port", 80))
    count = int(args.get("count", 50))
    interval = float(args.get("interval", 0.02))
    latencies: list[int] = []
    failures = 0
    deadline = time.monotonic() + duration
    for _ in range(count):
        if time.monotonic() > deadline:
            break
        start = time.perf_counter()
        try:
            with socket.create_connection((target["host"], port), timeout=2):
                latencies.append(int((time.perf_counter() - start) * 1e6))
        except OSError:
            failures += 1
        time.sleep(interval)
    return {
        "counters": {"connects": len(latencies), "failures": failures},
        "latencies_us": {"connect": latencies},
    }
