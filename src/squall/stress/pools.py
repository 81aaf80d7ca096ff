"""The test pools of a run, kept with the workload's context and closed at its end.

``squall stress`` passes a ``WorkerPools`` to the engine as a context item, so pools
are started before the load (``warm``) and closed when each workload finishes
(``workload_finished``). A task file run with ``squall task start`` gets one created
on first use, closed when the workload's context goes away or at exit.
"""

from __future__ import annotations

import threading
import weakref

from squall.errors import SquallError
from squall.scenarios.base import ScenarioContext
from squall.stress.pool import PoolSpec, WorkerPool

_CREATE = threading.Lock()


class WorkerPools:
    """One ``WorkerPool`` per distinct ``PoolSpec``; a pool that failed to start stays failed."""

    def __init__(self) -> None:
        self._pools: dict[PoolSpec, WorkerPool] = {}
        self._failed: dict[PoolSpec, SquallError] = {}
        self._lock = threading.Lock()

    def get(self, spec: PoolSpec) -> tuple[WorkerPool, bool]:
        """The started pool for ``spec``, and whether this call started it."""
        with self._lock:
            if spec in self._failed:
                raise self._failed[spec]
            pool = self._pools.get(spec)
            if pool is not None:
                return pool, False
            pool = WorkerPool(spec)
            try:
                pool.start()
            except SquallError as exc:
                pool.close()
                self._failed[spec] = exc
                raise
            self._pools[spec] = pool
            return pool, True

    def close_all(self) -> None:
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
            self._failed.clear()
        for pool in pools:
            pool.close()

    def workload_finished(self, context: ScenarioContext) -> None:
        """Called by the engine at the end of every workload (it is a context item)."""
        self.close_all()


def pools_of(context: ScenarioContext) -> WorkerPools:
    """The context's ``WorkerPools``, created (and tied to the context's life) if missing."""
    pools = context.get(WorkerPools)
    if pools is not None:
        return pools
    with _CREATE:
        pools = context.get(WorkerPools)
        if pools is None:
            pools = WorkerPools()
            context.put(pools)
            weakref.finalize(context, pools.close_all)
    return pools
