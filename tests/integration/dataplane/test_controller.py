"""The controller with real agent processes (the zipapp) over a unix socket; Redis state.

No namespaces here: agents run on this host and only ping 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import pytest

from squall.dataplane.agent import protocol
from squall.dataplane.bundle import build_bundle
from squall.dataplane.controller.core import Controller
from squall.dataplane.controller.http import HttpServer, Request, Response
from squall.dataplane.controller.redis_state import RedisState
from squall.dataplane.controller.state import Command, MemoryState, StateBackend
from squall.errors import AgentError

pytestmark = [pytest.mark.integration]


class _Unix(http.client.HTTPConnection):
    def __init__(self, path: Path) -> None:
        super().__init__("localhost", timeout=10)
        self.unix_path = str(path)

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.unix_path)


def _post(path: Path, kind: str, raw: bytes, signature: str | None) -> tuple[int, bytes]:
    conn = _Unix(path)
    headers = {protocol.SIGNATURE_HEADER: signature} if signature else {}
    try:
        conn.request("POST", f"/v1/{kind}", body=raw, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@asynccontextmanager
async def _controller(
    sock: Path, run: str, secret: str, state: StateBackend | None = None, **kwargs: float
) -> AsyncIterator[Controller]:
    controller = Controller(run, secret, state or MemoryState(), **kwargs)
    await controller.start(unix=sock)
    try:
        yield controller
    finally:
        await controller.stop()


@contextmanager
def _agent(
    tmp: Path,
    sock: Path,
    run: str,
    secret: str,
    name: str = "a1",
    env: dict[str, str] | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    bundle = build_bundle(tmp / "agent.pyz")
    config = tmp / f"{name}.json"
    config.write_text(
        json.dumps(
            {
                "controller": f"unix://{sock}",
                "run": run,
                "agent_id": name,
                "secret": secret,
                "workdir": str(tmp / name),
                "register_timeout": 20,
            }
        )
    )
    with (tmp / f"{name}.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, str(bundle), "--config", str(config)], env=env, stdout=log, stderr=log
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(10)


def _short(tmp_path: Path) -> Path:
    return Path("/tmp") / f"sqt-{uuid.uuid4().hex[:8]}.sock"


def test_unsigned_forged_and_replayed_messages_are_rejected(tmp_path):
    sock, run, secret = _short(tmp_path), "r1", protocol.new_secret()

    async def scenario() -> None:
        async with _controller(sock, run, secret) as ctl:
            message = protocol.Message(protocol.REGISTER, run, "x", 7, time.time(), {})
            raw, good = message.encode(secret)
            _, forged = message.encode("not-the-secret")
            results = await asyncio.to_thread(
                lambda: [
                    _post(sock, "register", raw, None)[0],
                    _post(sock, "register", raw, forged)[0],
                    _post(sock, "register", raw, good)[0],
                    _post(sock, "register", raw, good)[0],  # the same seq again: a replay
                    _post(sock, "poll", raw, good)[0],  # a register body sent as a poll
                ]
            )
            assert results == [403, 403, 200, 403, 403]
            assert ctl.rejected == 4
            assert set(await ctl.agents()) == {"x"}

    asyncio.run(scenario())


def test_agent_runs_commands_at_a_common_start_and_reports_a_missing_tool(tmp_path):
    sock, run, secret = _short(tmp_path), "r2", protocol.new_secret()
    env = {**os.environ, "PATH": str(tmp_path / "empty")}

    async def scenario() -> None:
        async with _controller(sock, run, secret, poll_wait=1) as ctl:
            with _agent(tmp_path, sock, run, secret, env=env) as agent:
                assert await ctl.wait_for_agents({"a1"}, 20) == {"a1"}
                record = (await ctl.agents())["a1"]
                assert record.tools["iperf3"] is False
                start_at = time.time() + 0.3
                commands = [
                    Command(
                        "c1",
                        "a1",
                        protocol.OP_RUN,
                        start_at=start_at,
                        argv=["iperf3", "-c", "127.0.0.1"],
                    ),
                    Command(
                        "c2", "a1", protocol.OP_RUN, start_at=start_at, argv=["/bin/sh", "-c", "id"]
                    ),
                    Command("c3", "a1", protocol.OP_SERVE, spec={"service": "iperf3", "port": 1}),
                ]
                await ctl.submit(commands)
                got = await ctl.collect(commands, 20)
                assert got.finals["c1"].status == "error"
                assert "iperf3 is not installed" in got.finals["c1"].data["error"]
                assert got.finals["c2"].status == "error"
                assert "not allowed" in got.finals["c2"].data["error"]
                assert got.finals["c3"].status == "error"
                assert "iperf3 is not installed" in got.finals["c3"].data["error"]
                await ctl.submit([Command("bye", "a1", protocol.OP_EXIT)])
                assert await asyncio.to_thread(agent.wait, 10) == 0

    asyncio.run(scenario())


def test_start_skew_and_clock_offset_are_measured(tmp_path):
    sock, run, secret = _short(tmp_path), "r3", protocol.new_secret()

    async def scenario() -> None:
        async with _controller(sock, run, secret, poll_wait=1) as ctl:
            with _agent(tmp_path, sock, run, secret):
                await ctl.wait_for_agents({"a1"}, 20)
                start_at = time.time() + 0.5
                cmd = Command(
                    "p",
                    "a1",
                    protocol.OP_RUN,
                    start_at=start_at,
                    argv=["ping", "-n", "-c", "1", "127.0.0.1"],
                )
                await ctl.submit([cmd])
                final = (await ctl.collect([cmd], 20)).finals["p"]
                assert final.status == "ok"
                assert abs(final.data["started_at"] - start_at) < 0.2
                record = (await ctl.agents())["a1"]
                assert abs(record.offset) < 0.05  # same host, same clock

    asyncio.run(scenario())


def test_redis_state_survives_a_controller_restart(tmp_path, redis_url):
    sock, run, secret = _short(tmp_path), f"r-{uuid.uuid4().hex[:8]}", protocol.new_secret()

    async def scenario() -> None:
        with _agent(tmp_path, sock, run, secret) as agent:
            async with _controller(
                sock, run, secret, RedisState(redis_url, run), poll_wait=1
            ) as c1:
                assert await c1.wait_for_agents({"a1"}, 20) == {"a1"}
                first = Command(
                    "before", "a1", protocol.OP_RUN, argv=["ping", "-n", "-c", "1", "127.0.0.1"]
                )
                await c1.submit([first])
                assert (await c1.collect([first], 20)).finals["before"].status == "ok"
            # the controller is gone; a new one with the same run and Redis takes over
            state = RedisState(redis_url, run)
            async with _controller(sock, run, secret, state, poll_wait=1) as c2:
                assert set(await c2.agents()) == {"a1"}
                kept = await state.reports("before")
                assert [r.final for r in kept] == [True]
                second = Command(
                    "after", "a1", protocol.OP_RUN, argv=["ping", "-n", "-c", "1", "127.0.0.1"]
                )
                await c2.submit([second])
                assert (await c2.collect([second], 30)).finals["after"].status == "ok"
                await c2.submit([Command("bye", "a1", protocol.OP_EXIT)])
                assert await asyncio.to_thread(agent.wait, 10) == 0
                await state.drop()

    asyncio.run(scenario())


def test_unreachable_redis_is_a_clear_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    state = RedisState(f"redis://127.0.0.1:{port}/0", "r")
    with pytest.raises(AgentError, match="cannot reach Redis"):
        asyncio.run(state.open())


def test_close_waits_for_a_handler_that_outlives_its_cancel(tmp_path):
    sock = _short(tmp_path)
    finished: list[str] = []

    async def stubborn(request: Request) -> Response:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:  # what a swallowed cancel looks like to close()
            await asyncio.sleep(0.2)
            finished.append(request.path)
        return Response(200, b"{}")

    async def scenario() -> None:
        server = HttpServer(stubborn)
        await server.listen_unix(sock)
        call = asyncio.create_task(asyncio.to_thread(_post, sock, "poll", b"{}", None))
        await asyncio.sleep(0.3)
        await server.close()
        assert finished == ["/v1/poll"]
        with contextlib.suppress(OSError, http.client.HTTPException):
            await call

    asyncio.run(scenario())


def test_commands_queued_while_the_controller_stops_stay_queued(tmp_path):
    sock, run, secret = _short(tmp_path), "r5", protocol.new_secret()
    state = MemoryState()

    async def scenario() -> None:
        controller = Controller(run, secret, state, poll_wait=5)
        await controller.start(unix=sock)
        message = protocol.Message(protocol.REGISTER, run, "a1", 1, time.time(), {})
        raw, signature = message.encode(secret)
        assert (await asyncio.to_thread(_post, sock, "register", raw, signature))[0] == 200
        poll = protocol.Message(protocol.POLL, run, "a1", 2, time.time(), {"wait": 5})
        raw, signature = poll.encode(secret)
        call = asyncio.create_task(asyncio.to_thread(_post, sock, "poll", raw, signature))
        await asyncio.sleep(0.3)  # the long poll is waiting
        await controller.submit([Command("late", "a1", protocol.OP_EXIT)])
        await controller.stop()
        with contextlib.suppress(OSError):
            await call
        assert [c.id for c in await state.take_commands("a1")] == ["late"]

    asyncio.run(scenario())


def test_a_connection_accepted_as_the_server_closes_is_hung_up(tmp_path):
    """Close after 0..5 loop turns: each catches the accept at a different step."""
    sock = _short(tmp_path)

    async def answer(request: Request) -> Response:
        return Response(200, b"{}")

    def outcome(client: socket.socket) -> str:
        try:
            return f"read {client.recv(10)!r}"
        except TimeoutError:
            return "hung"
        except OSError as exc:
            return exc.__class__.__name__

    async def scenario() -> list[str]:
        outcomes = []
        for turns in range(6):
            server = HttpServer(answer)
            await server.listen_unix(sock)
            with socket.socket(socket.AF_UNIX) as client:
                client.settimeout(3)
                client.connect(str(sock))
                for _ in range(turns):
                    await asyncio.sleep(0)
                await server.close()
                outcomes.append(await asyncio.to_thread(outcome, client))
        return outcomes

    assert "hung" not in asyncio.run(scenario())
