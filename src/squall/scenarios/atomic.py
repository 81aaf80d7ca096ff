"""Atomic actions: named, timed, nestable steps inside one iteration.

Times come from the monotonic clock and are turned into wall-clock seconds with
one offset taken per workload, so durations are exact and timestamps readable.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, Protocol, TypeVar

from squall.iteration import AtomicAction

P = ParamSpec("P")
R = TypeVar("R")


class AtomicRecorder:
    """Builds the tree of atomic actions of one iteration."""

    __slots__ = ("_stack", "_wall_offset", "actions")

    def __init__(self, wall_offset: float) -> None:
        #: wall-clock time minus monotonic time, fixed for the workload
        self._wall_offset = wall_offset
        self.actions: list[AtomicAction] = []
        self._stack: list[AtomicAction] = []

    def now(self) -> float:
        return time.monotonic() + self._wall_offset

    @contextmanager
    def action(self, name: str) -> Iterator[AtomicAction]:
        """Time the enclosed block as atomic action ``name``; nested blocks nest."""
        act = AtomicAction(name=name, started_at=self.now())
        siblings = self._stack[-1].children if self._stack else self.actions
        siblings.append(act)
        self._stack.append(act)
        try:
            yield act
        except BaseException:
            act.failed = True
            raise
        finally:
            act.finished_at = self.now()
            self._stack.pop()

    def add(self, name: str, started_at: float, finished_at: float, failed: bool = False) -> None:
        """Record an action timed elsewhere (e.g. a server-side timestamp)."""
        siblings = self._stack[-1].children if self._stack else self.actions
        siblings.append(AtomicAction(name, started_at, finished_at, failed=failed))


class HasRecorder(Protocol):
    @property
    def atomics(self) -> AtomicRecorder: ...


S = TypeVar("S", bound=HasRecorder)


def atomic(name: str) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Decorate a method of a scenario (or helper with ``atomics``) to time it.

    >>> class Boot(Scenario):
    ...     @atomic("nova.boot_server")
    ...     def _boot(self) -> None: ...
    """

    def decorate(fn: Callable[..., R]) -> Callable[..., R]:
        @functools.wraps(fn)
        def wrapper(self: HasRecorder, *args: object, **kwargs: object) -> R:
            with self.atomics.action(name):
                return fn(self, *args, **kwargs)

        return wrapper

    return decorate
