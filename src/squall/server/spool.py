"""An export (or a report) sent only once it is whole: a complete file, or an error
status with JSON.

A status line cannot be taken back: an export streamed while it is written that fails
half-way reaches the client as a 200 with a truncated file. So ``spooled_response``
first runs the writer (on a worker thread) into a ``SpooledTemporaryFile`` — in memory
up to ``SPOOL_MEMORY``, on disk beyond, so the server's memory stays bounded however
large the export — and only then answers:

- the writer finished: 200 with ``Content-Length`` (a client can tell a cut transfer),
  the file sent ``CHUNK_BYTES`` at a time and deleted once sent (or if the client goes);
- it raised a ``SquallError``: that propagates (the app answers 400 with its message);
- it raised anything else: 500 with ``{"error", "hint", "problems"}``, logged with its
  traceback (the message is masked: it may quote a URL with a password).

The price is the first byte: it leaves when the export is finished, not before. A
client that goes away while the export is written stops the writer at its next write.
"""

from __future__ import annotations

import asyncio
import io
import logging
import tempfile
import threading
from collections.abc import AsyncIterator, Callable
from typing import IO, TYPE_CHECKING, TextIO

from fastapi import Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from squall.errors import SquallError
from squall.reports.redact import redact_text

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

log = logging.getLogger(__name__)

SPOOL_MEMORY = 4 * 1024 * 1024
CHUNK_BYTES = 256 * 1024
CLIENT_CLOSED = 499  # nginx's "client closed request": nobody reads it
_POLL = 0.2  # seconds between looks at whether the client has gone


class ReaderGone(Exception):
    """The client went away while the export was written: stop writing."""


class GuardedSink(io.RawIOBase):
    """Writes go to ``file`` until ``gone`` is set, then raise ``ReaderGone``."""

    def __init__(self, file: IO[bytes], gone: threading.Event) -> None:
        super().__init__()
        self._file = file
        self._gone = gone

    def writable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer, /) -> int:
        if self._gone.is_set():
            raise ReaderGone
        return self._file.write(bytes(data))


def write_spool(write: Callable[[TextIO], None], file: IO[bytes], gone: threading.Event) -> int:
    """Run ``write`` into ``file`` as UTF-8 text; the number of bytes written."""
    text = io.TextIOWrapper(
        io.BufferedWriter(GuardedSink(file, gone), CHUNK_BYTES), "utf-8", newline=""
    )
    write(text)
    text.flush()
    text.detach()  # the sink is done with; ``file`` stays open for sending
    return file.tell()


async def spooled_response(
    write: Callable[[TextIO], None],
    request: Request,
    media_type: str,
    what: str = "export",
    *,
    filename: str | None = None,
) -> Response:
    """What ``write`` writes, once it is all written (see the module's docstring);
    ``filename``: sent as a download of that name (``Content-Disposition``)."""
    # closed once sent, or on any way out before that
    file = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY, prefix="squall-export-")  # noqa: SIM115
    gone = threading.Event()
    writing = asyncio.ensure_future(asyncio.to_thread(write_spool, write, file, gone))
    try:
        while not (await asyncio.wait({writing}, timeout=_POLL))[0]:
            if await request.is_disconnected():
                gone.set()
        size = writing.result()
    except ReaderGone:
        file.close()
        return Response(status_code=CLIENT_CLOSED)
    except SquallError:
        file.close()
        raise
    except Exception as exc:
        file.close()
        log.exception("%s failed", what)
        return failed(exc, what)
    except BaseException:  # cancelled: the writer stops at its next write, then the file goes
        gone.set()
        writing.add_done_callback(lambda done: _discard(done, file))
        raise
    file.seek(0)
    headers = {"Content-Length": str(size)}
    if filename:
        headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return StreamingResponse(_send(file), media_type=media_type, headers=headers)


def failed(exc: Exception, what: str = "export") -> JSONResponse:
    """500 with the app's error body; the message names ``what`` failed and why."""
    message = redact_text(f"the {what} failed: {type(exc).__name__}: {exc}")
    body = {"error": message, "hint": "the server's log has the traceback", "problems": []}
    return JSONResponse(body, status_code=500)


def _discard(done: asyncio.Future[int], file: IO[bytes]) -> None:
    file.close()
    if not done.cancelled():
        done.exception()  # read: nobody else will


async def _send(file: IO[bytes]) -> AsyncIterator[bytes]:
    try:
        while chunk := await asyncio.to_thread(file.read, CHUNK_BYTES):
            yield chunk
    finally:
        file.close()
