"""The engine's precise selector: never early, and I/O still wakes it at once."""

from __future__ import annotations

import asyncio
import socket
import time

from squall.engine.loop import PreciseEpollSelector, new_loop


def test_a_wait_with_nothing_ready_lasts_at_least_its_timeout():
    with PreciseEpollSelector() as selector:
        for timeout in (0.0004, 0.001, 0.0027, 0.0103):
            started = time.monotonic()
            assert selector.select(timeout) == []
            assert time.monotonic() - started >= timeout


def test_a_ready_socket_is_returned_without_waiting_out_the_timeout():
    left, right = socket.socketpair()
    with left, right, PreciseEpollSelector() as selector:
        selector.register(left, 1, data="left")  # EVENT_READ
        right.send(b"x")
        ready = selector.select(30)
        assert [(key.data, events) for key, events in ready] == [("left", 1)]


def test_the_engine_loop_runs_coroutines_and_sleeps():
    async def sleepy() -> str:
        await asyncio.sleep(0.0025)
        return "done"

    with asyncio.Runner(loop_factory=new_loop) as runner:
        assert runner.run(sleepy()) == "done"
