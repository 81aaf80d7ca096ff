"""The controller: agents register and long-poll; the run hands it commands and waits.

Agent side (HTTP, signed): ``POST /v1/register``, ``/v1/poll`` (long poll, returns queued
commands), ``/v1/result`` (interim intervals and final outcomes). Every reply carries
the controller's receive and send times (``t1``, ``t2``) so that agents measure their
clock offset, and names the request it answers (``re``).

Run side (Python): ``wait_for_agents`` (quorum), ``submit`` (queue commands, one
shared ``start_at``), ``collect`` (final reports; agents silent for ``loss_timeout``
are marked lost and their commands come back as missing), ``on_report`` (every result
message as it arrives, awaited: the run queues interim ones for its parser thread, which
makes live intervals and a lost agent's partial result of them; only final ones are kept
in the state).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from squall.dataplane.agent import protocol
from squall.dataplane.controller.http import HttpServer, Request, Response
from squall.dataplane.controller.state import AgentRecord, Command, Report, StateBackend

log = logging.getLogger("squall.dataplane.controller")

DEFAULT_POLL_WAIT = 10.0
#: Awaited with every result message, interim or final, as it arrives (before the reply:
#: a callback that makes the agent wait slows it down).
ReportCallback = Callable[[Report], Awaitable[None]]


@dataclass
class Collected:
    """What ``collect`` gathered: final reports by command id, and who was lost."""

    finals: dict[str, Report] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)  # command id -> agent
    lost_agents: set[str] = field(default_factory=set)


class Controller:
    def __init__(
        self,
        run: str,
        secret: str,
        state: StateBackend,
        *,
        loss_timeout: float = 30.0,
        poll_wait: float = DEFAULT_POLL_WAIT,
    ) -> None:
        self.run = run
        self.secret = secret
        self.state = state
        self.loss_timeout = loss_timeout
        self.poll_wait = poll_wait
        self.server = HttpServer(self.handle)
        self.rejected = 0
        self.on_report: ReportCallback | None = None
        self._guard = protocol.SequenceGuard()
        self._seq = time.time_ns()
        self._wakeups: dict[str, asyncio.Event] = {}
        self._finished: dict[str, asyncio.Event] = {}
        self._agents_changed = asyncio.Condition()
        self._last_seen: dict[str, float] = {}
        self._registered: set[str] = set()
        self._closing = False

    # ---- lifecycle -----------------------------------------------------------------
    async def start(
        self, *, host: str | None = None, port: int = 0, unix: Path | None = None
    ) -> None:
        await self.state.open()
        for agent in (await self.state.agents()).values():  # a restart with Redis
            self._last_seen[agent.id] = agent.last_seen
            self._registered.add(agent.id)
        if host is not None:
            await self.server.listen_tcp(host, port)
        if unix is not None:
            await self.server.listen_unix(unix)

    async def stop(self) -> None:
        self._closing = True
        for event in self._wakeups.values():
            event.set()
        await self.server.close()
        await self.state.close()

    def closing(self) -> bool:
        return self._closing

    # ---- HTTP ----------------------------------------------------------------------
    async def handle(self, request: Request) -> Response:
        if request.method != "POST" or not request.path.startswith("/v1/"):
            return Response(404, b'{"error": "not found"}')
        try:
            message = protocol.decode(
                self.secret,
                request.body,
                request.headers.get(protocol.SIGNATURE_HEADER.lower()),
                self.run,
            )
            if message.kind != request.path[4:]:
                raise protocol.ProtocolError(f"kind {message.kind!r} sent to {request.path}")
            self._guard.check(message.agent, message.seq)
        except protocol.ProtocolError as exc:
            self.rejected += 1
            log.warning("rejected a message from %s: %s", request.peer, exc)
            return Response(403, json.dumps({"error": str(exc)}).encode())
        t1 = time.time()
        if message.kind == protocol.REGISTER:
            body = await self._register(message)
        elif message.kind == protocol.POLL:
            body = await self._poll(message)
        elif message.kind == protocol.RESULT:
            body = await self._result(message)
        else:
            return Response(404, b'{"error": "unknown message kind"}')
        return self._reply(message, {**body, "t1": t1})

    def _reply(self, request: protocol.Message, body: dict[str, Any]) -> Response:
        self._seq += 1
        reply = protocol.Message(
            protocol.REPLY,
            self.run,
            "controller",
            self._seq,
            time.time(),
            {**body, "re": request.seq, "t2": time.time()},
        )
        raw, signature = reply.encode(self.secret)
        return Response(200, raw, {protocol.SIGNATURE_HEADER: signature})

    async def _register(self, message: protocol.Message) -> dict[str, Any]:
        body = message.body
        now = time.time()
        record = AgentRecord(
            id=message.agent,
            hostname=str(body.get("hostname", "")),
            labels={str(k): str(v) for k, v in dict(body.get("labels", {})).items()},
            tools={str(k): bool(v) for k, v in dict(body.get("tools", {})).items()},
            pid=int(body.get("pid", 0)),
            registered_at=now,
            last_seen=now,
        )
        await self.state.put_agent(record)
        self._last_seen[record.id] = now
        self._registered.add(record.id)
        async with self._agents_changed:
            self._agents_changed.notify_all()
        return {"accepted": True, "poll_wait": self.poll_wait}

    async def _poll(self, message: protocol.Message) -> dict[str, Any]:
        agent = message.agent
        await self._seen(agent, message.body)
        wait = min(float(message.body.get("wait", 0)), self.poll_wait)
        event = self._wakeups.setdefault(agent, asyncio.Event())
        event.clear()  # before looking: a submit from now on wakes this poll
        if self.closing():
            return {"commands": []}
        commands = await self.state.take_commands(agent)
        if not commands and wait > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), wait)
            if self.closing():
                # Taken now, the commands would go out on a connection being closed
                # and be lost; left queued, the next controller on this state hands them out.
                return {"commands": []}
            commands = await self.state.take_commands(agent)
            await self._seen(agent, {})
        return {"commands": [c.wire() for c in commands]}

    async def _seen(self, agent: str, body: dict[str, Any]) -> None:
        now = time.time()
        self._last_seen[agent] = now
        if "offset" in body:
            record = await self.state.get_agent(agent)
            if record is not None:
                record.last_seen = now
                record.offset = float(body["offset"])
                delay = float(body.get("delay", 0.0))
                record.delay = delay if delay != float("inf") else 0.0
                await self.state.put_agent(record)

    async def _result(self, message: protocol.Message) -> dict[str, Any]:
        body = dict(message.body)
        command = str(body.pop("command", ""))
        final = bool(body.pop("final", True))
        report = Report(
            command=command,
            agent=message.agent,
            final=final,
            status=str(body.pop("status", "error")),
            received_at=time.time(),
            data=body,
        )
        self._last_seen[message.agent] = report.received_at
        if final:
            # Interim reports are not kept: the run's parsers keep what they say (a fio
            # status report is ~32 KB a second per client); the final one has it all.
            await self.state.add_report(report)
            self._finished.setdefault(command, asyncio.Event()).set()
        if self.on_report is not None:
            await self.on_report(report)
        return {"ok": True}

    # ---- run side ------------------------------------------------------------------
    async def agents(self) -> dict[str, AgentRecord]:
        return await self.state.agents()

    async def wait_for_agents(self, expected: set[str], timeout: float) -> set[str]:
        """Wait until every expected agent registered, or ``timeout``; return those that did."""
        deadline = time.monotonic() + timeout
        async with self._agents_changed:
            while True:
                present = expected & self._registered
                left = deadline - time.monotonic()
                if present == expected or left <= 0:
                    return present
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._agents_changed.wait(), left)

    async def submit(self, commands: list[Command]) -> None:
        by_agent: dict[str, list[Command]] = {}
        for command in commands:
            by_agent.setdefault(command.agent, []).append(command)
            self._finished.setdefault(command.id, asyncio.Event())
        for agent, items in by_agent.items():
            await self.state.push_commands(agent, items)
            self._wakeups.setdefault(agent, asyncio.Event()).set()

    async def collect(self, commands: list[Command], timeout: float) -> Collected:
        """Final reports of ``commands``; gives up on agents lost or past ``timeout``."""
        result = Collected()
        deadline = time.monotonic() + timeout
        pending = {c.id: c for c in commands}
        while pending:
            for cid in list(pending):
                if self._finished.setdefault(cid, asyncio.Event()).is_set():
                    final = await self._final(cid)
                    if final is not None:
                        result.finals[cid] = final
                        del pending[cid]
            lost = self.lost_agents({c.agent for c in pending.values()})
            for cid, command in list(pending.items()):
                if command.agent in lost:
                    result.missing[cid] = command.agent
                    result.lost_agents.add(command.agent)
                    del pending[cid]
            if not pending:
                break
            if time.monotonic() >= deadline:
                for cid, command in pending.items():
                    result.missing[cid] = command.agent
                break
            waits = [asyncio.ensure_future(self._finished[cid].wait()) for cid in pending]
            _, not_done = await asyncio.wait(
                waits,
                timeout=min(1.0, max(0.0, deadline - time.monotonic())),
                return_when=asyncio.FIRST_COMPLETED,
            )
            for task in not_done:
                task.cancel()
        for agent in result.lost_agents:
            await self._mark(agent, "lost")
        return result

    def finished(self, commands: list[str]) -> int:
        """How many of ``commands`` have a final report."""
        return sum(1 for c in commands if c in self._finished and self._finished[c].is_set())

    async def _final(self, command: str) -> Report | None:
        for report in reversed(await self.state.reports(command)):
            if report.final:
                return report
        return None

    def lost_agents(self, among: set[str]) -> set[str]:
        now = time.time()
        return {a for a in among if now - self._last_seen.get(a, 0.0) > self.loss_timeout}

    async def _mark(self, agent: str, status: str) -> None:
        record = await self.state.get_agent(agent)
        if record is not None and record.status != status:
            record.status = status
            await self.state.put_agent(record)
