"""squall's own HTTP/1.1 load generator: asyncio Protocol, uvloop when installed.

Open loop (``rate`` > 0): every connection owns an evenly spaced schedule of intended
send times (``connections / rate`` apart, connections staggered), sends the next request
when its response is in and its time has come, and measures latency from the
*intended* time, so a stall is counted in full (no coordinated omission, as wrk2).
Closed loop (``rate`` = 0): each connection sends its next request as soon as the
previous answer is in, latency from the actual send (as wrk).

Latencies go into per-interval HdrHistogram recorders (``hdr.Recorder``, µs), with
status-code classes, errors and timeouts counted per interval. Standard library only.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from .hdr import Recorder

_END = b"\r\n\r\n"


@dataclass
class LoadSpec:
    host: str
    port: int
    path: str = "/"
    connections: int = 10
    rate: float = 0.0  # requests/s over all connections; 0 = closed loop
    duration: float = 10.0
    timeout: float = 5.0
    report_interval: float = 1.0

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LoadSpec:
        return cls(
            host=str(data["host"]),
            port=int(data["port"]),
            path=str(data.get("path", "/")),
            connections=int(data.get("connections", 10)),
            rate=float(data.get("rate", 0.0)),
            duration=float(data.get("duration", 10.0)),
            timeout=float(data.get("timeout", 5.0)),
            report_interval=float(data.get("report_interval", 1.0)),
        )


@dataclass
class Interval:
    """What happened between two report points (seconds from the start of the load)."""

    start: float
    end: float
    latencies: list[int] = field(default_factory=list)
    requests: int = 0
    classes: list[int] = field(default_factory=lambda: [0] * 10)  # by status first digit
    errors: int = 0
    timeouts: int = 0
    bytes: int = 0

    def snapshot(self) -> dict[str, Any]:
        rec = Recorder()
        for value in self.latencies:
            rec.record(value)
        return {
            "start": round(self.start, 6),
            "end": round(self.end, 6),
            "counters": {
                "requests": self.requests,
                "errors": self.errors,
                "timeouts": self.timeouts,
                "bytes": self.bytes,
                **{f"status_{d}xx": n for d, n in enumerate(self.classes) if n},
            },
            "histograms": {"latency": rec.encode()} if rec.total else {},
        }


class _Stats:
    def __init__(self, t0: float) -> None:
        self.t0 = t0
        self.current = Interval(0.0, 0.0)
        self.done: list[Interval] = []

    def roll(self, now: float) -> Interval:
        finished = self.current
        finished.end = now - self.t0
        self.current = Interval(finished.end, finished.end)
        self.done.append(finished)
        return finished


class _Conn(asyncio.Protocol):
    """One keep-alive connection working through its schedule."""

    def __init__(self, gen: _Generator, first: float) -> None:
        self.gen = gen
        self.intended = first
        self.sent_at = 0.0
        self.buf = b""
        self.transport: asyncio.Transport | None = None
        self.waiting = False
        self.finishing = False
        self.timer: asyncio.TimerHandle | None = None
        self.closed: asyncio.Future[None] = gen.loop.create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)
        self.gen.live.add(self)
        self._schedule(_clock())

    def _schedule(self, now: float) -> None:
        gen = self.gen
        if gen.rate <= 0:
            if now >= gen.end:
                self._finish()
                return
            self.intended = now
            self._send(now)
            return
        if self.intended >= gen.end:
            self._finish()
        elif self.intended <= now:
            self._send(now)
        else:
            self.timer = gen.loop.call_later(self.intended - now, self._send_later)

    def _send_later(self) -> None:
        self.timer = None
        self._send(_clock())

    def _send(self, now: float) -> None:
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        self.sent_at = now
        self.waiting = True
        transport.write(self.gen.request)

    def timed_out(self) -> None:
        """Called by the generator's sweep when no answer came in time."""
        self.gen.stats.current.timeouts += 1
        self._drop()

    def data_received(self, data: bytes) -> None:
        buf = self.buf + data if self.buf else data
        while self.waiting:
            head_end = buf.find(_END)
            if head_end < 0:
                break
            total = head_end + 4 + _content_length(buf, head_end)
            if len(buf) < total:
                break
            digit = buf[9] - 48
            buf = buf[total:]
            now = _clock()
            gen = self.gen
            current = gen.stats.current
            current.latencies.append(int((now - max(self.intended, self.sent_at)) * 1e6 + 0.5))
            current.requests += 1
            current.bytes += total
            current.classes[digit if 0 <= digit < 10 else 0] += 1
            self.waiting = False
            if gen.rate > 0:
                self.intended += gen.interval
            self._schedule(now)
        self.buf = buf

    def connection_lost(self, exc: Exception | None) -> None:
        self.gen.live.discard(self)
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.waiting:
            self.gen.stats.current.errors += 1
            self.waiting = False
            self.intended += self.gen.interval
        if not self.finishing:
            self.finishing = True
            self.gen.reconnect(self.intended)
        if not self.closed.done():
            self.closed.set_result(None)

    def _drop(self) -> None:
        """Give up on this connection after an error; a fresh one takes over the schedule."""
        self.waiting = False
        self.intended += self.gen.interval
        if self.transport is not None:
            self.transport.abort()

    def _finish(self) -> None:
        self.finishing = True
        if self.transport is not None:
            self.transport.close()


def _content_length(buf: bytes, head_end: int) -> int:
    head = buf[:head_end]
    i = head.find(b"Content-Length:")
    if i < 0:
        i = head.lower().find(b"content-length:")
        if i < 0:
            return 0
    j = head.find(b"\r\n", i)
    return int(head[i + 15 : j if j >= 0 else head_end])


class _Generator:
    def __init__(self, spec: LoadSpec, loop: asyncio.AbstractEventLoop) -> None:
        self.spec = spec
        self.loop = loop
        self.rate = spec.rate
        self.interval = spec.connections / spec.rate if spec.rate > 0 else 0.0
        self.timeout = spec.timeout
        self.request = f"GET {spec.path} HTTP/1.1\r\nHost: {spec.host}\r\n\r\n".encode("ascii")
        self.t0 = _clock()
        self.end = self.t0 + spec.duration
        self.stats = _Stats(self.t0)
        self.conns: list[_Conn] = []
        self.live: set[_Conn] = set()
        self.pending: set[asyncio.Task[None]] = set()

    def reconnect(self, first: float) -> None:
        if first >= self.end:
            return
        task = self.loop.create_task(self.connect(first, retry=True))
        self.pending.add(task)
        task.add_done_callback(self.pending.discard)

    async def connect(self, first: float, *, retry: bool = False) -> None:
        while first < self.end:
            conn = _Conn(self, first)
            try:
                await self.loop.create_connection(lambda c=conn: c, self.spec.host, self.spec.port)  # type: ignore[misc]
            except OSError:
                self.stats.current.errors += 1
                await asyncio.sleep(min(0.1, max(0.0, self.end - _clock())))
                first = max(first + self.interval, _clock()) if self.rate > 0 else first
                continue
            self.conns.append(conn)
            return

    async def run(self, report: Callable[[Interval], None]) -> list[Interval]:
        spacing = 1.0 / self.rate if self.rate > 0 else 0.0
        starts = [self.connect(self.t0 + k * spacing) for k in range(self.spec.connections)]
        ticker = self.loop.create_task(self._tick(report))
        await asyncio.gather(*starts)
        while _clock() < self.end + self.timeout:
            waitables: list[asyncio.Future[None]] = [
                c.closed for c in self.conns if not c.closed.done()
            ]
            waitables.extend(self.pending)
            if not waitables:
                break
            await asyncio.wait(waitables, timeout=max(0.01, self.end + self.timeout - _clock()))
        ticker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ticker
        for conn in self.conns:
            if conn.transport is not None and not conn.transport.is_closing():
                conn.transport.abort()
        report(self.stats.roll(_clock()))
        return self.stats.done

    async def _tick(self, report: Callable[[Interval], None]) -> None:
        step = self.spec.report_interval
        sweep = min(0.1, self.timeout / 4)
        k = 1
        while True:
            due = self.t0 + k * step
            while (now := _clock()) < due:
                await asyncio.sleep(min(sweep, due - now))
                self._sweep(_clock())
            report(self.stats.roll(_clock()))
            k += 1

    def _sweep(self, now: float) -> None:
        """Time out requests unanswered for ``timeout`` (one pass, no timer per request)."""
        limit = now - self.timeout
        for conn in [c for c in self.live if c.waiting and c.sent_at < limit]:
            conn.timed_out()


def run_load(spec: LoadSpec, report: Callable[[Interval], None]) -> list[Interval]:
    """Run the load to the end in a fresh event loop (uvloop if installed)."""

    async def main() -> list[Interval]:
        return await _Generator(spec, asyncio.get_running_loop()).run(report)

    try:
        import uvloop  # type: ignore[import-not-found,unused-ignore]

        return uvloop.run(main())  # type: ignore[no-any-return,unused-ignore]
    except ImportError:
        return asyncio.run(main())


def _clock() -> float:
    """The latency clock: perf_counter, since uvloop's loop clock counts milliseconds."""
    return time.perf_counter()
