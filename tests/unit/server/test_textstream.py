"""Text written to a TextIO on a worker thread, streamed as bytes while it is written."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from typing import TextIO

import pytest

from squall.server.textstream import ReaderGone, stream_text

GUARD = 30.0  # seconds a test waits before calling a missing event a failure


async def _collect(body: object) -> bytes:
    assert hasattr(body, "__aiter__")
    return b"".join([chunk async for chunk in body])


def test_all_the_text_comes_back_as_utf8_whatever_the_chunk_size() -> None:
    lines = [f"ligne {i}: é€😀\n" for i in range(2000)]

    def write(out: TextIO) -> None:
        for line in lines:
            out.write(line)

    data = asyncio.run(_collect(stream_text(write, chunk_bytes=7, queued_chunks=2)))
    assert data.decode("utf-8") == "".join(lines)


def test_the_first_bytes_leave_before_the_writer_has_finished() -> None:
    received = threading.Event()

    def write(out: TextIO) -> None:
        out.write("first part\n")
        out.flush()
        if not received.wait(GUARD):  # only a streamed body lets the reader set it
            out.write("the reader saw nothing while the writer ran\n")
        out.write("second part\n")

    async def read() -> list[bytes]:
        chunks = []
        async for chunk in stream_text(write):
            chunks.append(chunk)
            received.set()
        return chunks

    assert asyncio.run(read()) == [b"first part\n", b"second part\n"]


@dataclass
class Endless:
    """A writer that never ends on its own, and what happened to it."""

    written: int = 0
    stopped_by: BaseException | None = None
    ended: threading.Event = field(default_factory=threading.Event)

    def __call__(self, out: TextIO) -> None:
        try:
            while True:
                out.write("x" * 1000)
                self.written += 1000
        except BaseException as exc:
            self.stopped_by = exc
            raise
        finally:
            self.ended.set()


def test_a_reader_that_goes_away_stops_the_writer_and_it_never_ran_far_ahead() -> None:
    endless = Endless()

    async def read_a_little() -> int:
        body = stream_text(endless, chunk_bytes=4096, queued_chunks=3)
        got = 0
        async for chunk in body:
            got += len(chunk)
            if got > 50_000:
                break
        await body.aclose()
        return got

    got = asyncio.run(read_a_little())
    assert endless.ended.wait(GUARD)
    assert isinstance(endless.stopped_by, ReaderGone)
    # what the reader took, the queue, one chunk being handed over, one being buffered
    assert endless.written <= got + (3 + 2) * 4096 + 1000


def test_an_error_of_the_writer_comes_after_what_it_wrote() -> None:
    def write(out: TextIO) -> None:
        out.write("partial\n")
        out.flush()
        raise RuntimeError("the store went away")

    async def read() -> list[bytes]:
        chunks = []
        with pytest.raises(RuntimeError, match="store went away"):
            async for chunk in stream_text(write):
                chunks.append(chunk)
        return chunks

    assert asyncio.run(read()) == [b"partial\n"]
