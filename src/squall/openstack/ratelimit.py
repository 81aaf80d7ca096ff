"""Rate-limited calls into one cloud: what ``squall cleanup --rate`` bounds.

``RateLimiter`` spaces calls at most ``rate`` per second across threads (no burst).
``Api`` pairs a connection with a limiter: every call made through it takes one
slot and has its SDK errors translated, so "at most N calls per second" counts
every call cleanup makes (listings, reads, polls), not only the deletes::

    api = Api(conn, RateLimiter(20))
    api("delete network n1", conn.network.delete_network, "n1", ignore_missing=True)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from squall.openstack.errors import cloud_errors

T = TypeVar("T")


class RateLimiter:
    """At most ``rate`` calls per second across threads (0 = unlimited)."""

    def __init__(self, rate: float, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.calls = 0
        self._next = 0.0
        self._sleep = sleep
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Take the next slot, sleeping until it comes."""
        with self._lock:
            self.calls += 1
            if not self.interval:
                return
            now = time.monotonic()
            slot = max(now, self._next)
            self._next = slot + self.interval
        if slot > now:
            self._sleep(slot - now)


class Api:
    """``conn`` with every call rate-limited and translated (``CloudError``)."""

    def __init__(self, conn: Any, limiter: RateLimiter) -> None:
        self.conn = conn
        self.limiter = limiter

    def __call__(self, what: str, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        self.limiter.wait()
        with cloud_errors(what):
            return call(*args, **kwargs)
