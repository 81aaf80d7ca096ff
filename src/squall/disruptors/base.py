"""The disruptor family contract: a plugin turns its config and a target host into a
``FaultPlan`` — what to inject, how to verify the effect, how to restore, how to
verify recovery, and the undo that is journaled before anything acts.

Building a plan runs at most read-only commands (finding PIDs), so plans print for
``--dry-run`` and most plugins' builders are tested without any host.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from squall.disruptors.actions import Action, Check, CommandCheck
from squall.hosts.inventory import Host, Inventory, local_inventory
from squall.hosts.select import Mode
from squall.plugins.base import Plugin
from squall.plugins.families import Family


class Requirement(BaseModel):
    """Something that must hold before a fault acts: its target exists, its tool is there."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    check: Check
    problem: str
    """What is wrong when the check does not hold (the user's message)."""
    hint: str | None = None


def tool_on(host: Host, tool: str) -> Requirement:
    """``tool`` must be installed on ``host``."""
    return Requirement(
        check=CommandCheck(host=host, argv=("sh", "-c", f"command -v {tool}")),
        problem=f"{tool} is not installed on {host.name}",
    )


class FaultPlan(BaseModel):
    """Everything one fault on one host does, as data."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    disruptor: str
    target: str
    requires: tuple[Requirement, ...] = ()
    """Checked before the run and before each inject: a fault whose target is missing
    fails before anything acts, and leaves no undo in the journal."""
    inject: tuple[Action, ...]
    verify: tuple[Check, ...] = ()
    restore: tuple[Action, ...] = ()
    verify_recovery: tuple[Check, ...] = ()
    undo: tuple[Action, ...] = ()
    """What puts things back if squall dies mid-fault; usually ``restore``."""

    def lines(self) -> list[str]:
        """Every step, one line each (``--dry-run``)."""
        out = [f"requires {r.check.describe()}" for r in self.requires]
        out += [f"inject   {a.describe()}" for a in self.inject]
        out += [f"verify   {c.describe()}" for c in self.verify]
        out += [f"restore  {a.describe()}" for a in self.restore]
        out += [f"recovered when {c.describe()}" for c in self.verify_recovery]
        return out


class TargetConfig(BaseModel):
    """Which hosts of the inventory a disruptor may hit; none given: this machine."""

    model_config = ConfigDict(extra="forbid")

    host: str | None = Field(None, description="one host by inventory name")
    role: str | None = Field(None, description="hosts with this role")
    on_service: str | None = Field(None, description="hosts running this service")
    mode: Mode = Field("one", description="one, random, all or rolling over the matches")
    allow_quorum_loss: bool = False


class Disruptor(Plugin):
    """Base of disruptors. ``Config`` should derive from ``TargetConfig``."""

    family: ClassVar = Family.DISRUPTOR
    Config: ClassVar[type[BaseModel]] = TargetConfig

    def __init__(self, config: BaseModel) -> None:
        self.config = config

    def candidates(self, inventory: Inventory | None) -> list[Host]:
        """The hosts this fault may hit, before the mode picks among them."""
        cfg = self.config
        assert isinstance(cfg, TargetConfig)
        inventory = inventory or local_inventory()
        if cfg.host is not None:
            return [inventory.get(cfg.host)]
        if cfg.role is None and cfg.on_service is None:
            return list(inventory.hosts[:1])
        return inventory.matching(role=cfg.role, service=cfg.on_service)

    def quorum_service(self) -> str | None:
        """The service whose quorum this fault can break (checked against the inventory)."""
        cfg = self.config
        return cfg.on_service if isinstance(cfg, TargetConfig) else None

    @abstractmethod
    def plan(self, host: Host) -> FaultPlan:
        """The fault on ``host``; may run read-only commands there (to find PIDs)."""
