"""Data-plane runs started by the server: one thread and event loop each, abort, live log.

A run is started with the code ``squall dataplane run`` uses (``run_plan``), saving to
the server's own store; ``start`` returns once the run has passed its topology and
provider checks and is stored, or has failed them. Abort cancels the
run's task: whatever was staged is removed and the run is stored as ``aborted``.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from squall.dataplane.plan import Plan, PlanTest
from squall.dataplane.providers.base import Provider
from squall.dataplane.run import RunOptions, run_plan
from squall.dataplane.store import DataplaneStore
from squall.errors import ConfigError, SquallError, StoreError
from squall.results.store import Store
from squall.server.background import BackgroundRuns

START_TIMEOUT = 120.0
STORED_POLL = 0.05
MAX_ACTIVE = 2
LOG_LINES = 200


@dataclass(slots=True)
class LiveDataplane:
    """What a data-plane run started here is doing."""

    run_id: str
    title: str
    started_at: float = field(default_factory=time.time)
    done: bool = False
    error: str | None = None
    current: str | None = None  # "<test> #<repetition>" whose clients run now
    started_tests: int = 0
    log: deque[str] = field(default_factory=lambda: deque(maxlen=LOG_LINES))
    announced: threading.Event = field(default_factory=threading.Event)
    loop: asyncio.AbstractEventLoop | None = None
    task: asyncio.Task[object] | None = None

    def echo(self, line: str) -> None:
        self.log.append(line)
        self.announced.set()

    def test_started(self, test: PlanTest, repetition: int, provider: Provider) -> None:
        self.current = f"{test.name} #{repetition + 1}"
        self.started_tests += 1


class DataplaneManager(BackgroundRuns[LiveDataplane]):
    """Starts data-plane plans in background threads and keeps their live state."""

    def __init__(self, store: Store, workdir: Path) -> None:
        super().__init__()
        self.store = store
        self.workdir = workdir

    @property
    def db_url(self) -> str:
        """The store's URL with its password (it never leaves this process)."""
        _, writer = self.store.engines
        return writer.url.render_as_string(hide_password=False)

    def start(self, plan: Plan) -> LiveDataplane:
        if len(self.active()) >= MAX_ACTIVE:
            raise ConfigError(
                f"{MAX_ACTIVE} data-plane runs are already running here", hint="wait or abort one"
            )
        live = LiveDataplane(uuid.uuid4().hex, plan.title)
        options = RunOptions(
            self.workdir,
            echo=live.echo,
            run_id=live.run_id,
            on_started=live.test_started,
            db=self.db_url,
        )
        self._keep(live.run_id, live)
        self._spawn(lambda: self._body(live, plan, options), "squall-dataplane")
        self._wait_stored(live)
        if live.done and live.error:
            self._forget(live.run_id)
            raise ConfigError(f"the data-plane run could not start: {live.error}")
        return live

    def _wait_stored(self, live: LiveDataplane) -> None:
        """Until the run is in the store (its checks passed) or has ended."""
        stored = DataplaneStore(self.store)
        deadline = time.monotonic() + START_TIMEOUT
        while not live.done and time.monotonic() < deadline:
            if not live.announced.wait(STORED_POLL):
                continue
            try:
                stored.get(live.run_id)
                return
            except StoreError:
                time.sleep(STORED_POLL)

    def _body(self, live: LiveDataplane, plan: Plan, options: RunOptions) -> None:
        loop = asyncio.new_event_loop()
        try:
            live.loop = loop
            live.task = loop.create_task(run_plan(plan, options))
            loop.run_until_complete(live.task)
        except SquallError as exc:
            live.error = exc.message
        except asyncio.CancelledError:
            live.error = "aborted before it started"
        except Exception as exc:  # a thread's last word, kept for the API
            live.error = f"{type(exc).__name__}: {exc}"
        finally:
            live.done = True
            live.announced.set()
            loop.close()

    def abort(self, run_id: str) -> LiveDataplane:
        """Cancel a run started here: it tears down what it staged and is stored aborted."""
        live = self.get(run_id)
        if live is None or live.done:
            raise ConfigError(
                f"data-plane run {run_id} is not running in this server",
                hint="a run started by `squall dataplane run` stops with Ctrl-C",
            )
        loop, task = live.loop, live.task
        if loop is not None and task is not None:
            with contextlib.suppress(RuntimeError):  # the loop closed: the run just ended
                loop.call_soon_threadsafe(task.cancel)
        return live

    def abort_all(self) -> None:
        """Abort every run still going (server shutdown)."""
        for live in self.active():
            with contextlib.suppress(ConfigError):
                self.abort(live.run_id)
