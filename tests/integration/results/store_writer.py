"""A separate process that writes to a store: run by the store's tests, not collected.

store_writer.py write URL GO_FILE BATCHES SIZE SEED   # one run, BATCHES small commits
store_writer.py hang URL                               # a run left 'running', then sleep
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from squall.results.records import RunStatus
from squall.results.store import Store
from squall.testing.records import batches, make_env, make_task, workload


def write(url: str, go: Path, count: int, size: int, seed: int) -> None:
    task = make_task(f"writer {seed}", workloads=1)
    items = workload(count * size, concurrency=4, seed=seed)
    with Store.open(url) as store:
        run_id = store.create_run(task, make_env(), [f"writer-{seed}"])
        store.set_run_status(run_id, RunStatus.RUNNING)
        wid = store.add_workload(
            run_id, 0, 0, task.subtasks[0].title, task.subtasks[0].workloads[0]
        )
        go.with_name(f"ready-{seed}").touch()
        while not go.exists():
            time.sleep(0.01)
        began = time.time()
        for batch in batches(items, size):
            store.add_iterations(wid, batch)
        store.set_run_status(run_id, RunStatus.FINISHED, finished=True)
        print(run_id, began, time.time(), flush=True)


def hang(url: str) -> None:
    with Store.open(url) as store:
        run_id = store.create_run(make_task("hang"), make_env(), [])
        store.set_run_status(run_id, RunStatus.RUNNING)
        print(run_id, flush=True)
        time.sleep(600)


def _memory_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def stream(url: str, workload_id: int) -> None:
    with Store.open(url) as store:
        next(store.iteration_batches(workload_id))  # imports and caches warm
        before = _memory_kib("VmRSS")
        count = total = 0
        previous = 0.0
        for it in store.iterations(workload_id):
            count += 1
            total += it.number
            assert it.atomic_actions[0].children[0].name == "dummy.sleep"
            assert it.scheduled_offset >= previous
            previous = it.scheduled_offset
        print(count, total, before, _memory_kib("VmHWM"), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2], Path(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
    elif sys.argv[1] == "stream":
        stream(sys.argv[2], int(sys.argv[3]))
    else:
        hang(sys.argv[2])
