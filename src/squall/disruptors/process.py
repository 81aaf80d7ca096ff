"""Kill, stop or freeze processes found by name, pidfile or the devcloud's record."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from squall.devcloud import procs
from squall.devcloud.config import load_config
from squall.devcloud.state import load as load_state
from squall.disruptors.actions import (
    Action,
    Check,
    CommandCheck,
    DevcloudServiceUp,
    ProcessState,
    ProcRef,
    RunCommand,
    SendSignal,
    StartDevcloudService,
)
from squall.disruptors.base import Disruptor, FaultPlan, TargetConfig
from squall.errors import FaultError
from squall.hosts.inventory import Host
from squall.hosts.transport import transport_for

ProcessAction = Literal["kill", "stop", "freeze", "restart"]
SIGNALS: dict[str, signal.Signals] = {
    "kill": signal.SIGKILL,
    "stop": signal.SIGTERM,
    "restart": signal.SIGTERM,
    "freeze": signal.SIGSTOP,
}


class ProcessConfig(TargetConfig):
    name: str | None = Field(None, description="pattern matched against command lines (pgrep -f)")
    pidfile: str | None = Field(None, description="file holding the PID")
    devcloud: str | None = Field(None, description="a devcloud service, by its recorded name")
    devcloud_dir: str | None = Field(None, description="the devcloud's directory (default: usual)")
    action: ProcessAction = "kill"
    start: list[str] | None = Field(
        None, description="command that starts the process again (restore after kill/stop)"
    )

    @model_validator(mode="after")
    def _one_selector(self) -> ProcessConfig:
        given = [k for k in ("name", "pidfile", "devcloud") if getattr(self, k)]
        if len(given) != 1:
            raise ValueError("give exactly one of name, pidfile or devcloud")
        return self


class Process(Disruptor):
    """Kill (SIGKILL), stop (SIGTERM), restart or freeze (SIGSTOP, then SIGCONT)
    processes found by command-line pattern, pidfile or devcloud record, with every
    descendant. Restore: SIGCONT after a freeze; otherwise the devcloud's own start
    command, or ``start`` when given. Locally, PIDs are checked against their start
    time, so a reused PID is never signalled."""

    name: ClassVar[str] = "process"
    Config: ClassVar = ProcessConfig

    @property
    def cfg(self) -> ProcessConfig:
        assert isinstance(self.config, ProcessConfig)
        return self.config

    def plan(self, host: Host) -> FaultPlan:
        cfg = self.cfg
        if cfg.devcloud is not None:
            return self._devcloud_plan(host, cfg.devcloud)
        if host.transport == "local" and host.netns is None:
            return self._local_plan(host, self._local_pids(host))
        return self._remote_plan(host, self._remote_pids(host))

    # -- finding processes -------------------------------------------------------------

    def _what(self) -> str:
        cfg = self.cfg
        return cfg.devcloud or cfg.name or cfg.pidfile or "?"

    def _local_pids(self, host: Host) -> list[int]:
        cfg = self.cfg
        if cfg.pidfile is not None:
            pids = [_read_pidfile(Path(cfg.pidfile))]
        else:
            pids = self._remote_pids(host)
        tree = procs.children_map()
        found: list[int] = []
        for pid in pids:
            found += [p for p in procs.tree_pids(pid, tree) if p not in found]
        return found

    def _remote_pids(self, host: Host) -> list[int]:
        cfg = self.cfg
        argv = ["cat", cfg.pidfile] if cfg.pidfile else ["pgrep", "-f", "--", cfg.name or ""]
        result = transport_for(host).run(argv)
        pids = [int(w) for w in result.stdout.split() if w.isdigit()]
        if not pids:
            raise FaultError(f"no process matches {self._what()!r} on {host.name}")
        return [p for p in pids if p != os.getpid()]

    # -- plans ---------------------------------------------------------------------------

    def _restart_actions(self, host: Host) -> tuple[Action, ...]:
        if self.cfg.start:
            return (RunCommand(host=host, argv=tuple(self.cfg.start)),)
        return ()

    def _running_again(self, host: Host) -> tuple[Check, ...]:
        """After a restart by command: a process matches the name (or pidfile) again."""
        cfg = self.cfg
        if not cfg.start:
            return ()
        if cfg.name is not None:
            return (CommandCheck(host=host, argv=("pgrep", "-f", "--", cfg.name)),)
        return (CommandCheck(host=host, argv=("sh", "-c", f'kill -0 "$(cat {cfg.pidfile})"')),)

    def _local_plan(self, host: Host, pids: list[int]) -> FaultPlan:
        refs = tuple(r for r in (ProcRef.of(p) for p in pids) if r is not None)
        if not refs:
            raise FaultError(f"no process matches {self._what()!r} on {host.name}")
        action = self.cfg.action
        inject = SendSignal(procs=refs, signal=SIGNALS[action].name)
        verify: Check = ProcessState(procs=refs, expect="stopped" if action == "freeze" else "gone")
        if action == "freeze":
            resume: tuple[Action, ...] = (SendSignal(procs=refs, signal="SIGCONT"),)
            running = (ProcessState(procs=refs, expect="running"),)
            return self._plan(host, (inject,), (verify,), resume, running)
        restart = self._restart_actions(host)
        return self._plan(host, (inject,), (verify,), restart, self._running_again(host))

    def _remote_plan(self, host: Host, pids: list[int]) -> FaultPlan:
        words = tuple(str(p) for p in pids)
        sig = SIGNALS[self.cfg.action].name.removeprefix("SIG")
        inject = RunCommand(host=host, argv=("kill", "-s", sig, *words))
        ps = ("ps", "-o", "stat=", "-p", ",".join(words))
        if self.cfg.action == "freeze":
            verify = CommandCheck(host=host, argv=ps, lines_start="T")
            resume = RunCommand(host=host, argv=("kill", "-s", "CONT", *words), ok_codes=(0, 1))
            return self._plan(host, (inject,), (verify,), (resume,), ())
        gone = CommandCheck(host=host, argv=ps, expect="fail")
        restart = self._restart_actions(host)
        return self._plan(host, (inject,), (gone,), restart, self._running_again(host))

    def _devcloud_plan(self, host: Host, service: str) -> FaultPlan:
        cfg = self.cfg
        config = load_config(directory=Path(cfg.devcloud_dir) if cfg.devcloud_dir else None)
        state = load_state(config.state_file)
        tracked = state.tracked(service) if state else None
        if tracked is None or not procs.is_alive(tracked):
            raise FaultError(
                f"devcloud service {service!r} is not running",
                hint="`squall devcloud status` lists the services and their PIDs",
            )
        plan = self._local_plan(host, procs.tree_pids(tracked.pid))
        if cfg.action == "freeze":
            return plan
        directory = str(config.directory)
        start = StartDevcloudService(directory=directory, service=service)
        up = DevcloudServiceUp(directory=directory, service=service)
        return plan.model_copy(
            update={"restore": (start,), "undo": (start,), "verify_recovery": (up,)}
        )

    def _plan(
        self,
        host: Host,
        inject: tuple[Action, ...],
        verify: tuple[Check, ...],
        restore: tuple[Action, ...],
        recovered: tuple[Check, ...],
    ) -> FaultPlan:
        return FaultPlan(
            disruptor=f"{self.name}:{self.cfg.action}:{self._what()}",
            target=host.name,
            inject=inject,
            verify=verify,
            restore=restore,
            verify_recovery=recovered,
            undo=restore,
        )


def _read_pidfile(path: Path) -> int:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        raise FaultError(f"cannot read a PID from {path}") from None
