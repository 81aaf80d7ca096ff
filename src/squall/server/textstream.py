"""Text that a function writes to a ``TextIO``, sent as an HTTP body while it is written.

Exporters write to a file object. ``stream_text`` runs one on a worker thread
against a UTF-8 text file whose bytes go, 64 KiB at a time, through a small
bounded queue to the response body. So the first bytes leave before the export
is finished, the server holds at most a few chunks of it however large it is
(the writer waits while the client reads slowly), and a client that goes away
stops the writer at its next chunk.
"""

from __future__ import annotations

import asyncio
import io
import queue
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import suppress
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

CHUNK_BYTES = 64 * 1024
QUEUED_CHUNKS = 8
_POLL = 0.1  # seconds between looks at whether the other side has gone


class ReaderGone(Exception):
    """The body's reader stopped (the client went away): stop writing."""


class QueueSink(io.RawIOBase):
    """A write-only binary file whose writes go into a bounded queue, ``None`` at the end."""

    def __init__(self, chunks: queue.Queue[bytes | None], gone: threading.Event) -> None:
        super().__init__()
        self._chunks = chunks
        self._gone = gone
        self._finished = False

    def writable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer, /) -> int:
        chunk = bytes(data)
        if not self._finished:  # after the end, a closing file's last flush is dropped
            self._put(chunk)
        return len(chunk)

    def finish(self) -> None:
        """Mark the end of the text (unless the reader has gone)."""
        if not self._finished:
            self._finished = True
            with suppress(ReaderGone):
                self._put(None)

    def _put(self, chunk: bytes | None) -> None:
        while not self._gone.is_set():
            try:
                self._chunks.put(chunk, timeout=_POLL)
                return
            except queue.Full:
                continue
        raise ReaderGone


async def stream_text(
    write: Callable[[TextIO], None],
    *,
    chunk_bytes: int = CHUNK_BYTES,
    queued_chunks: int = QUEUED_CHUNKS,
) -> AsyncIterator[bytes]:
    """UTF-8 chunks of what ``write`` writes, as it writes them.

    ``write`` runs on a worker thread; an exception it raises is raised here after
    the text written before it (an HTTP server then cuts the body short).
    """
    chunks: queue.Queue[bytes | None] = queue.Queue(queued_chunks)
    gone = threading.Event()

    def produce() -> None:
        sink = QueueSink(chunks, gone)
        buffered = io.BufferedWriter(sink, chunk_bytes)  # the only buffer: text goes through
        out = io.TextIOWrapper(buffered, "utf-8", newline="", write_through=True)
        try:
            write(out)
            out.flush()
        finally:
            sink.finish()

    def take() -> bytes | None:
        while True:
            try:
                return chunks.get(timeout=_POLL)
            except queue.Empty:
                if gone.is_set():
                    return None

    writing = asyncio.get_running_loop().run_in_executor(None, produce)
    try:
        while (chunk := await asyncio.to_thread(take)) is not None:
            yield chunk
        await writing
    finally:
        gone.set()
        writing.add_done_callback(_retrieve)


def _retrieve(done: asyncio.Future[None]) -> None:
    """Read the outcome of a writer nobody waits for (its reader went away)."""
    if not done.cancelled():
        done.exception()
