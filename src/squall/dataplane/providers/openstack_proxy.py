"""Agents that cannot reach squall: a proxy instance relays them (``openstack.proxy``).

The provider boots one more server, the proxy, on the first server network with a
floating IP; its user-data starts ``squall.dataplane.relay`` (a signed zipapp, checked
like the agent bundle). Agents are told the controller is at
``http://<proxy floating IP>:<port>``; squall's ``Dialer`` connects out to the proxy's
back port (``port + 1``), keeps a few connections idle there, and pipes each one an
agent takes to the controller's local address. Only outbound connections leave the
operator's machine, as with KloudBuster's proxy.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import threading
import zipfile
from pathlib import Path

from squall.dataplane import relay

MAX_IDLE = 64
BACKOFF_MAX = 5.0


def relay_bundle() -> bytes:
    """The relay as a zipapp (deterministic bytes: same source, same signature)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("__main__.py", date_time=(2020, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        archive.writestr(info, Path(relay.__file__).read_bytes())
    return buffer.getvalue()


class Dialer:
    """Keeps ``idle`` authenticated connections open to a relay's back port and pipes
    each one an agent takes to ``target`` (the controller). Runs on its own thread."""

    def __init__(
        self,
        relay_at: tuple[str, int],
        target: tuple[str, int],
        hello_token: str,
        idle: int,
    ) -> None:
        self.relay_at = relay_at
        self.target = target
        self.hello = relay.HELLO + hello_token.encode() + b"\n"
        self.idle = max(1, min(MAX_IDLE, idle))
        self.paired = 0
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._pipes: set[asyncio.Task[None]] = set()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="squall-relay-dialer", daemon=True)
        self._thread.start()
        self._ready.wait(5)

    def stop(self) -> None:
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None:
            with contextlib.suppress(RuntimeError):  # the loop already ended
                loop.call_soon_threadsafe(stop.set)
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._main())
        finally:
            loop.close()

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        self._ready.set()
        tasks = {asyncio.create_task(self._slot()) for _ in range(self.idle)}
        await self._stop.wait()
        for task in tasks | self._pipes:
            task.cancel()
        await asyncio.gather(*tasks, *self._pipes, return_exceptions=True)
        await asyncio.sleep(0.05)  # let the closed transports finish closing

    async def _slot(self) -> None:
        """One idle connection at a time: open it, wait for an agent, hand it off, repeat."""
        backoff = 0.1
        while True:
            first, reader, writer = await self._idle_connection()
            if not first:  # refused, or the relay hung up (restarted, or refused us)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, BACKOFF_MAX)
                continue
            assert reader is not None and writer is not None
            backoff = 0.1
            self.paired += 1
            task = asyncio.create_task(self._serve(reader, writer, first))
            self._pipes.add(task)
            task.add_done_callback(self._pipes.discard)

    async def _idle_connection(
        self,
    ) -> tuple[bytes, asyncio.StreamReader | None, asyncio.StreamWriter | None]:
        """Connect, authenticate, wait for an agent's first bytes (b"" if none come)."""
        try:
            reader, writer = await asyncio.open_connection(*self.relay_at)
        except OSError:
            return b"", None, None
        try:
            writer.write(self.hello)
            await writer.drain()
            first = await reader.read(relay.CHUNK)
        except OSError:
            first = b""
        except BaseException:  # cancelled by stop(): close before the loop ends
            writer.close()
            raise
        if not first:
            writer.close()
        return first, reader, writer

    async def _serve(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, first: bytes
    ) -> None:
        try:
            target_reader, target_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        target_writer.write(first)
        await asyncio.gather(relay.pipe(reader, target_writer), relay.pipe(target_reader, writer))
