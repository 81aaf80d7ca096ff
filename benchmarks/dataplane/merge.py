"""Merge of 1,000 agents' encoded latency histograms (the controller's aggregation step).

The goal is on the CPU time of the merge (one thread, no I/O): on a shared machine the
wall time also counts the time other tenants held the CPU; both are printed.
"""

from __future__ import annotations

import random
import time

from squall.dataplane.agent.hdr import Recorder
from squall.stats.histogram import Histogram


def blobs(count: int, values: int, seed: int = 7) -> list[str]:
    """``count`` encoded histograms of ``values`` log-normal latencies each (µs)."""
    rnd = random.Random(seed)
    result = []
    for _ in range(count):
        rec = Recorder()
        for _ in range(values):
            rec.record(int(rnd.lognormvariate(7.0, 1.0)))
        result.append(rec.encode())
    return result


def measure(count: int = 1000, values: int = 2000) -> dict[str, float]:
    encoded = blobs(count, values)
    start, cpu = time.perf_counter(), time.process_time()
    total = Histogram()
    for blob in encoded:
        total.merge_encoded(blob)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert total.count == count * values
    return {
        "histograms": count,
        "merge_seconds": seconds,
        "merge_cpu_seconds": cpu,
        "p99_ms": total.value_at(99) * 1e3,
    }
