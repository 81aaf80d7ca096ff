"""What a fault does and checks, as data: journaled before it acts, replayed after a crash.

An ``Action`` changes something (run a command on a host, signal local processes,
start a devcloud service); a ``Check`` tells whether something holds (a command's
answer, local processes gone / frozen / running, a devcloud service answering).
Both are pydantic models so the undo journal can store and replay them.
"""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from squall.devcloud import control, procs
from squall.devcloud.config import DevcloudConfig, load_config
from squall.errors import DevcloudError, FaultError
from squall.hosts.inventory import Host
from squall.hosts.transport import command_line, transport_for

COMMAND_TIMEOUT = 60.0


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProcRef(_Model):
    """A local process, identified by PID and kernel start time (never a reused PID)."""

    pid: int
    start_time: int

    @classmethod
    def of(cls, pid: int) -> ProcRef | None:
        started = procs.start_time(pid)
        return None if started is None else cls(pid=pid, start_time=started)

    def alive(self) -> bool:
        return procs.start_time(self.pid) == self.start_time and procs.state_of(self.pid) not in (
            None,
            "Z",
        )

    def stopped(self) -> bool:
        return procs.start_time(self.pid) == self.start_time and procs.state_of(self.pid) in (
            "T",
            "t",
        )


class RunCommand(_Model):
    kind: Literal["command"] = "command"
    host: Host
    argv: tuple[str, ...] = Field(min_length=1)
    ok_codes: tuple[int, ...] = (0,)

    def describe(self) -> str:
        return command_line(self.host, self.argv)


class SendSignal(_Model):
    """Signal local processes that are still the ones recorded."""

    kind: Literal["signal"] = "signal"
    procs: tuple[ProcRef, ...]
    signal: str = Field(pattern=r"^SIG[A-Z0-9]+$")

    def describe(self) -> str:
        pids = " ".join(str(p.pid) for p in self.procs)
        return f"localhost: kill -s {self.signal.removeprefix('SIG')} {pids}"


class StartDevcloudService(_Model):
    """Start one devcloud service again, the way ``squall devcloud up`` started it."""

    kind: Literal["devcloud_start"] = "devcloud_start"
    directory: str
    service: str

    def describe(self) -> str:
        return f"localhost: start devcloud service {self.service} ({self.directory})"


Action = Annotated[RunCommand | SendSignal | StartDevcloudService, Field(discriminator="kind")]


class CommandCheck(_Model):
    """Holds when the command succeeds (``expect: ok``) or fails (``expect: fail``),
    and, if given, every line of its output starts with ``lines_start``."""

    kind: Literal["command"] = "command"
    host: Host
    argv: tuple[str, ...] = Field(min_length=1)
    expect: Literal["ok", "fail"] = "ok"
    contains: str | None = None
    absent: str | None = None
    lines_start: str | None = None

    def describe(self) -> str:
        extra = f" and shows {self.contains!r}" if self.contains else ""
        return f"{command_line(self.host, self.argv)} (expect {self.expect}{extra})"


class ProcessState(_Model):
    kind: Literal["process"] = "process"
    procs: tuple[ProcRef, ...]
    expect: Literal["gone", "stopped", "running"]

    def describe(self) -> str:
        return f"localhost: PIDs {' '.join(str(p.pid) for p in self.procs)} {self.expect}"


class DevcloudServiceUp(_Model):
    kind: Literal["devcloud"] = "devcloud"
    directory: str
    service: str
    expect: Literal["up", "down"] = "up"

    def describe(self) -> str:
        return f"localhost: devcloud service {self.service} {self.expect}"


Check = Annotated[CommandCheck | ProcessState | DevcloudServiceUp, Field(discriminator="kind")]


def perform(action: Action) -> str:
    """Do ``action``; return what happened; raise FaultError when it could not be done."""
    if isinstance(action, RunCommand):
        result = transport_for(action.host).run(action.argv, timeout=COMMAND_TIMEOUT)
        if result.rc not in action.ok_codes:
            raise FaultError(result.describe())
        return action.describe()
    if isinstance(action, SendSignal):
        sig = signal.Signals[action.signal]
        hit = [p for p in action.procs if p.alive() or (sig is signal.SIGCONT and p.stopped())]
        for proc in hit:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, sig)
        return f"{action.signal} sent to {len(hit)} of {len(action.procs)} processes"
    return _start_devcloud(action)


def holds_or_raise(check: Check) -> bool:
    """Whether ``check`` holds right now; a host that cannot be reached raises FaultError."""
    if isinstance(check, CommandCheck):
        result = transport_for(check.host).run(check.argv, timeout=COMMAND_TIMEOUT)
        return _command_holds(check, result.rc, result.stdout)
    return holds(check)


def holds(check: Check) -> bool:
    """Whether ``check`` holds right now (a host that cannot be reached: it does not)."""
    if isinstance(check, CommandCheck):
        try:
            return holds_or_raise(check)
        except FaultError:  # an unreachable host fails every command
            return check.expect == "fail"
    if isinstance(check, ProcessState):
        if check.expect == "gone":
            return not any(p.alive() for p in check.procs)
        if check.expect == "stopped":
            return all(p.stopped() or not p.alive() for p in check.procs)
        return all(p.alive() and not p.stopped() for p in check.procs)
    up = _devcloud_up(check)
    return up if check.expect == "up" else not up


def _command_holds(check: CommandCheck, rc: int, stdout: str) -> bool:
    if (rc == 0) != (check.expect == "ok"):
        return False
    if check.contains is not None and check.contains not in stdout:
        return False
    if check.absent is not None and check.absent in stdout:
        return False
    if check.lines_start is not None:
        lines = [ln.strip() for ln in stdout.splitlines() if ln.strip()]
        return bool(lines) and all(ln.startswith(check.lines_start) for ln in lines)
    return True


# -- devcloud services (through squall.devcloud.control, as ``up`` starts them) ----------


def _devcloud_config(directory: str) -> DevcloudConfig:
    return load_config(directory=Path(directory))


def _devcloud_up(check: DevcloudServiceUp) -> bool:
    try:
        return control.service_status(_devcloud_config(check.directory), check.service).ok
    except DevcloudError as exc:
        raise FaultError(exc.message, hint=exc.hint) from None


def _start_devcloud(action: StartDevcloudService) -> str:
    try:
        started = control.start_service(_devcloud_config(action.directory), action.service)
    except DevcloudError as exc:
        raise FaultError(exc.message, hint=exc.hint) from None
    return f"devcloud service {action.service} runs (PID {started.pid})"
