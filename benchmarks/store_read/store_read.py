"""Reading stored iterations back: iterations/s through squall's own store.

Writes N iterations shaped like ``Dummy.dummy`` (one nested atomic pair each,
the synthetic records of ``squall.testing.records``) into a fresh SQLite store,
then reads them back with ``Store.iterations`` (what export, report and compare
do) and prints iterations/s, the best of ``--repeat`` reads, and its ratio to the
baseline recorded in this folder's README.

    .venv/bin/python benchmarks/store_read/store_read.py [-n 200000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from squall.results.store import Store
from squall.testing.records import make_env, make_task, stream

# iterations/s before reading was made faster (README: "Baseline")
BASELINE = 84_000.0


def _fill(store: Store, count: int) -> int:
    task = make_task(workloads=1)
    run_id = store.create_run(task, make_env(), [])
    wid = store.add_workload(run_id, 0, 0, "read", task.subtasks[0].workloads[0])
    for batch in stream(count, batch=10_000):
        store.add_iterations(wid, batch)
    return wid


def _read(store: Store, wid: int) -> tuple[int, float]:
    begin = time.perf_counter()
    seen = sum(1 for _ in store.iterations(wid))
    return seen, time.perf_counter() - begin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200_000, help="iterations to store")
    parser.add_argument("--repeat", type=int, default=3, help="reads; the best one counts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, Store.open(str(Path(tmp) / "r.db")) as store:
        wid = _fill(store, args.n)
        best = min(_read(store, wid)[1] for _ in range(args.repeat))
    rate = args.n / best
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"store-read: {args.n} iterations in {best:.2f} s, {rate:,.0f}/s [load {load}]")
    print(f"ratio to baseline ({BASELINE:,.0f}/s): {rate / BASELINE:.2f}x")


if __name__ == "__main__":
    main()
