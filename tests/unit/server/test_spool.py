"""An export written whole to a spooled file before anything is answered."""

from __future__ import annotations

import asyncio
import json
import tempfile
import threading
from typing import Any, TextIO

import pytest
from fastapi import Request
from fastapi.responses import StreamingResponse

from squall.errors import StoreError
from squall.server.spool import ReaderGone, spooled_response, write_spool

LINES = [f"ligne {i}: é€😀\n" for i in range(20_000)]


def write_lines(out: TextIO) -> None:
    for line in LINES:
        out.write(line)


def request() -> Request:
    """A GET whose client stays (its receive never says it went away)."""

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    return Request({"type": "http", "method": "GET", "path": "/", "headers": []}, receive)


async def answer(write: Any) -> tuple[int, dict[str, str], bytes]:
    response = await spooled_response(write, request(), "text/plain")
    if isinstance(response, StreamingResponse):
        body = b"".join([bytes(chunk) async for chunk in response.body_iterator])
    else:
        body = bytes(response.body)
    return response.status_code, dict(response.headers), body


def test_the_text_is_spooled_as_utf8_and_its_size_returned() -> None:
    with tempfile.SpooledTemporaryFile(max_size=1024) as file:
        size = write_spool(write_lines, file, threading.Event())
        file.seek(0)
        assert file.read().decode("utf-8") == "".join(LINES)
    assert size == len("".join(LINES).encode("utf-8"))


def test_a_writer_stops_at_its_next_write_once_the_reader_has_gone() -> None:
    gone = threading.Event()
    gone.set()
    with tempfile.SpooledTemporaryFile() as file, pytest.raises(ReaderGone):
        write_spool(write_lines, file, gone)


def test_a_whole_export_is_answered_with_its_length() -> None:
    status, headers, body = asyncio.run(answer(write_lines))
    assert status == 200
    assert int(headers["content-length"]) == len(body)
    assert body.decode("utf-8") == "".join(LINES)


def test_a_writer_failing_half_way_is_a_500_with_a_json_error_and_nothing_of_it() -> None:
    def broken(out: TextIO) -> None:
        write_lines(out)
        raise KeyError("postgresql://me:hunter2@db/x")

    status, headers, body = asyncio.run(answer(broken))
    assert status == 500 and headers["content-type"] == "application/json"
    error = json.loads(body)
    assert error["error"] == "the export failed: KeyError: 'postgresql://me:***@db/x'"
    assert "ligne" not in body.decode()


def test_a_squall_error_half_way_goes_to_the_application_s_handler() -> None:
    def store_gone(out: TextIO) -> None:
        write_lines(out)
        raise StoreError("the database went away")

    with pytest.raises(StoreError, match="went away"):
        asyncio.run(answer(store_gone))
