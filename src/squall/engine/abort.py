"""Stopping a run: soft (stop scheduling, let in-flight iterations end) and hard."""

from __future__ import annotations

import asyncio
from enum import StrEnum


class AbortReason(StrEnum):
    USER = "user"  # Ctrl-C, SIGTERM or `squall task abort`
    SLA = "sla"  # --abort-on-sla-failure


class AbortSignal:
    """Shared by the engine and whoever may stop it (signal handlers, the store poller)."""

    def __init__(self) -> None:
        self.reason: AbortReason | None = None
        self.hard = False
        self._soft_event = asyncio.Event()
        self._hard_event = asyncio.Event()

    @property
    def requested(self) -> bool:
        return self.reason is not None

    def stopping(self) -> bool:
        """Whether an abort was requested (a method, so it is re-read after awaits)."""
        return self.reason is not None

    def request(self, reason: AbortReason = AbortReason.USER) -> None:
        """First call: stop scheduling. A second user request: stop hard."""
        if self.reason is None:
            self.reason = reason
            self._soft_event.set()
        elif reason is AbortReason.USER:
            self.reason = AbortReason.USER
            self.hard = True
            self._hard_event.set()

    async def wait_soft(self) -> None:
        await self._soft_event.wait()

    async def wait_hard(self) -> None:
        await self._hard_event.wait()
