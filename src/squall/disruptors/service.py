"""Restart, stop or start a systemd unit."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from squall.disruptors.actions import Action, Check, CommandCheck, RunCommand
from squall.disruptors.base import Disruptor, FaultPlan, Requirement, TargetConfig, tool_on
from squall.hosts.inventory import Host


class ServiceConfig(TargetConfig):
    unit: str = Field(min_length=1, description="the systemd unit, e.g. memcached")
    action: Literal["restart", "stop", "start"] = "restart"


def systemctl(verb: str, unit: str) -> tuple[str, ...]:
    return ("systemctl", verb, unit)


class Service(Disruptor):
    """A systemd unit: ``restart`` (recovered when active again), ``stop`` (verified
    inactive, restored with ``systemctl start``) or ``start`` (undone with ``stop``)."""

    name: ClassVar[str] = "service"
    Config: ClassVar = ServiceConfig

    def plan(self, host: Host) -> FaultPlan:
        cfg = self.config
        assert isinstance(cfg, ServiceConfig)
        unit = cfg.unit
        active = CommandCheck(host=host, argv=systemctl("is-active", unit))
        inactive = CommandCheck(host=host, argv=systemctl("is-active", unit), expect="fail")
        inject = (RunCommand(host=host, argv=systemctl(cfg.action, unit)),)
        verify: tuple[Check, ...]
        restore: tuple[Action, ...]
        if cfg.action == "restart":
            verify, restore, recovered = (), (), (active,)
        elif cfg.action == "stop":
            verify, restore, recovered = (
                (inactive,),
                (RunCommand(host=host, argv=systemctl("start", unit)),),
                (active,),
            )
        else:
            verify, restore, recovered = (
                (active,),
                (RunCommand(host=host, argv=systemctl("stop", unit)),),
                (inactive,),
            )
        known = Requirement(
            check=CommandCheck(host=host, argv=systemctl("cat", unit)),
            problem=f"no systemd unit {unit!r}",
            hint=f"`systemctl list-units` on {host.name} lists its units",
        )
        return FaultPlan(
            disruptor=f"service:{cfg.action}:{unit}",
            target=host.name,
            requires=(tool_on(host, "systemctl"), known),
            inject=inject,
            verify=verify,
            restore=restore,
            verify_recovery=recovered,
            undo=restore,
        )
