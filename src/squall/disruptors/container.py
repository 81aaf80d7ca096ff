"""Stop, restart, pause or kill a docker or podman container (kolla names work as is)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from squall.disruptors.actions import Action, Check, CommandCheck, RunCommand
from squall.disruptors.base import Disruptor, FaultPlan, Requirement, TargetConfig, tool_on
from squall.hosts.inventory import Host

#: what each action leaves behind, as ``inspect`` shows it, and how it is undone
_EFFECT: dict[str, tuple[str, str | None]] = {
    "stop": ("exited", "start"),
    "kill": ("exited", "start"),
    "pause": ("paused", "unpause"),
    "restart": ("running", None),
}


class ContainerConfig(TargetConfig):
    container: str = Field(min_length=1, description="container name, e.g. nova_api (kolla)")
    engine: Literal["docker", "podman"] = "docker"
    action: Literal["stop", "restart", "pause", "kill"] = "stop"


def inspect_status(engine: str, container: str) -> tuple[str, ...]:
    return (engine, "inspect", "--format", "{{.State.Status}}", container)


class Container(Disruptor):
    """A container through the docker or podman CLI: ``stop``/``kill`` (restored with
    ``start``), ``pause`` (``unpause``) or ``restart``; effect and recovery are read
    from ``inspect``'s state."""

    name: ClassVar[str] = "container"
    Config: ClassVar = ContainerConfig

    def plan(self, host: Host) -> FaultPlan:
        cfg = self.config
        assert isinstance(cfg, ContainerConfig)
        engine, name = cfg.engine, cfg.container
        state, undo_verb = _EFFECT[cfg.action]

        def status_is(wanted: str) -> CommandCheck:
            return CommandCheck(host=host, argv=inspect_status(engine, name), lines_start=wanted)

        verify: tuple[Check, ...] = () if cfg.action == "restart" else (status_is(state),)
        restore: tuple[Action, ...] = ()
        if undo_verb is not None:
            restore = (RunCommand(host=host, argv=(engine, undo_verb, name)),)
        exists = Requirement(
            check=CommandCheck(host=host, argv=(engine, "inspect", "--format", "{{.Id}}", name)),
            problem=f"no {engine} container {name!r}",
            hint=f"`{engine} ps -a` on {host.name} lists its containers",
        )
        return FaultPlan(
            disruptor=f"container:{cfg.action}:{name}",
            target=host.name,
            requires=(tool_on(host, engine), exists),
            inject=(RunCommand(host=host, argv=(engine, cfg.action, name)),),
            verify=verify,
            restore=restore,
            verify_recovery=(status_is("running"),),
            undo=restore,
        )
