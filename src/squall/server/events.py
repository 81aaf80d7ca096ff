"""Live progress of a run as server-sent events.

Events: ``progress`` (the ``ProgressOut`` document, every interval while the run
goes on) and ``end`` (the final one). A run not started by this server gets a
single ``end`` with its stored status.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from squall.results.records import RunStatus
from squall.results.store import Store
from squall.server.live import LiveRun, LiveWorkload, RunManager
from squall.server.schemas import ProgressOut, WorkloadProgressOut

MAX_EVENTS = 100_000  # a stream ends by itself, whatever happens


def progress_of(store: Store, manager: RunManager, run_id: str) -> ProgressOut:
    live = manager.get(run_id)
    status = str(store.get_run(run_id).status)
    if live is None:
        return ProgressOut(run_id=run_id, status=status, running_here=False)
    return ProgressOut(
        run_id=run_id,
        status=status,
        running_here=not live.done,
        error=live.error,
        skipped=live.skipped,
        workloads=[_workload(w) for w in live.workloads],
    )


def _workload(w: LiveWorkload) -> WorkloadProgressOut:
    s, c = w.start, w.counters
    return WorkloadProgressOut(
        subtask_index=s.subtask_index,
        workload_index=s.workload_index,
        scenario=s.scenario,
        runner=s.runner,
        expected_total=s.expected_total,
        expected_duration=s.expected_duration,
        done=c.done,
        failed=c.failed,
        rate=c.rate,
        elapsed=c.elapsed,
        finished=w.summary is not None,
    )


def _event(name: str, progress: ProgressOut) -> str:
    return f"event: {name}\ndata: {progress.model_dump_json()}\n\n"


async def stream(
    store: Store, manager: RunManager, run_id: str, interval: float
) -> AsyncIterator[str]:
    yield "retry: 2000\n\n"
    for _ in range(MAX_EVENTS):
        live: LiveRun | None = manager.get(run_id)
        progress = await asyncio.to_thread(progress_of, store, manager, run_id)
        if live is None or live.done or progress.status not in _RUNNING:
            yield _event("end", progress)
            return
        yield _event("progress", progress)
        await asyncio.sleep(interval)


_RUNNING = {str(RunStatus.INIT), str(RunStatus.RUNNING), str(RunStatus.ABORTING)}
