"""What both run managers share: live runs by id, their threads, waiting for them."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar


class Live(Protocol):
    done: bool


R = TypeVar("R", bound=Live)


class BackgroundRuns(Generic[R]):
    """Live runs by id, each in a thread of its own."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runs: dict[str, R] = {}
        self._threads: list[threading.Thread] = []

    def _keep(self, run_id: str, live: R) -> None:
        with self._lock:
            self._runs[run_id] = live

    def _forget(self, run_id: str) -> None:
        with self._lock:
            self._runs.pop(run_id, None)

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def get(self, run_id: str) -> R | None:
        with self._lock:
            return self._runs.get(run_id)

    def active(self) -> list[R]:
        with self._lock:
            return [r for r in self._runs.values() if not r.done]

    def join(self, timeout: float | None = None) -> None:
        """Wait for every started run to end (tests, shutdown)."""
        for thread in list(self._threads):
            thread.join(timeout)
