"""Interim reports parsed off the controller's event loop, in order, none lost.

Parsing a client's interim report (a fio status document is some 33 KB of JSON with its
latency bins) and merging its HdrHistograms takes about a millisecond, and every client
of a test reports in the same few milliseconds (they share one ``start_at``). On the
event loop, 400 fio clients held it for ~0.4 s every second: long polls, other tests'
start commands and lost-agent checks waited behind them (``benchmarks/dataplane``,
``interim``).

So the loop only queues each report (``put``, the controller's ``on_report``) and one
worker thread feeds them, in the order received, to the ``LiveTest`` their command
belongs to. The queue is bounded: when the worker is ``max_pending`` reports behind,
the controller's reply to the agent waits (the agent keeps its output and sends it with
the next report); nothing is dropped. ``drain`` returns once every report received so
far is parsed, so a test's figures are read whole; ``holding`` keeps the worker off
the live tests (a Ctrl-C reads them at once). Lines a ``LiveTest`` shows are handed
back to the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

from squall.dataplane.controller.state import Report
from squall.dataplane.live import LiveTest

log = logging.getLogger("squall.dataplane.live")

MAX_PENDING = 1024  # reports queued before the controller's replies wait
BATCH = 64  # reports handed to the worker at once
LineCallback = Callable[[LiveTest, str], None]


class LiveRouter:
    """Routes each client command's reports to its ``LiveTest``, parsed on a worker thread.

    Made and used on one event loop; ``close`` when done.
    """

    def __init__(self, on_line: LineCallback, *, max_pending: int = MAX_PENDING) -> None:
        self._on_line = on_line
        self._tests: dict[str, LiveTest] = {}
        self._queue: asyncio.Queue[tuple[LiveTest, Report]] = asyncio.Queue(max_pending)
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="squall-interim")
        self._lock = threading.Lock()  # held by the worker while it feeds a test
        self._pump: asyncio.Task[None] | None = None
        self.parsed = 0  # reports fed to their test so far

    def watch(self, test: LiveTest) -> LiveTest:
        """Route the reports of ``test``'s client commands to it from now on."""
        loop = asyncio.get_running_loop()

        def show(shown: LiveTest, text: str) -> None:  # on the worker: back to the loop
            loop.call_soon_threadsafe(self._on_line, shown, text)

        test.on_line = show
        self._tests.update(dict.fromkeys(test.clients, test))
        return test

    def unwatch(self, test: LiveTest) -> None:
        """No more reports to ``test`` (those queued already still reach it)."""
        for command in test.clients:
            self._tests.pop(command, None)

    async def put(self, report: Report) -> None:
        """Queue ``report`` for its test (others are ignored); waits while the queue is full."""
        test = self._tests.get(report.command)
        if test is None:
            return
        if self._pump is None:
            self._pump = asyncio.create_task(self._run(), name="squall-interim")
        await self._queue.put((test, report))

    async def drain(self) -> None:
        """Return once every report queued so far has been fed to its test."""
        await self._queue.join()

    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        """Keep the worker off every test meanwhile (it finishes the report in hand)."""
        with self._lock:
            yield

    async def close(self) -> None:
        """Stop the worker; reports still queued are not parsed."""
        if self._pump is not None:
            self._pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pump
        self._worker.shutdown(wait=False, cancel_futures=True)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self._queue.get()]
            while len(batch) < BATCH and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                await loop.run_in_executor(self._worker, self._feed, batch)
            finally:
                for _ in batch:
                    self._queue.task_done()

    def _feed(self, batch: list[tuple[LiveTest, Report]]) -> None:
        for test, report in batch:
            with self._lock:
                try:
                    test.add(report)
                except Exception:  # a bug in a tool's parser: the final report decides
                    log.exception("interim report of %s not read", report.command)
            self.parsed += 1
