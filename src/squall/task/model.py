"""The task model every task file becomes: Task -> Subtask -> Workload.

Rally's formats are translated into these models by ``task.rally_compat``; squall's
own format maps onto them directly. Defaults are visible here, not hidden in a
loader: a workload with no runner runs once (``serial``), one with no SLA must not
fail a single iteration (``failure_rate: {max: 0}``), as in Rally.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SourceFormat = Literal["squall", "rally-v1", "rally-v2"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PluginRef(_Model):
    """A plugin by name with its (not yet validated) arguments.

    ``args`` is usually a mapping; plugins with a ``scalar_field`` also take a bare
    value (Rally writes ``sys_call: "cmd"``), so it is kept as written.
    """

    name: str = Field(min_length=1)
    args: Any = Field(default_factory=dict)


def _default_runner() -> PluginRef:
    return PluginRef(name="serial")


def _default_sla() -> dict[str, Any]:
    return {"failure_rate": {"max": 0}}


class HookSpec(_Model):
    """An action fired by a trigger while a workload runs."""

    description: str = ""
    action: PluginRef
    trigger: PluginRef


class Workload(_Model):
    """One scenario driven by one runner, with its contexts, SLA and hooks."""

    scenario: PluginRef
    runner: PluginRef = Field(default_factory=_default_runner)
    contexts: dict[str, Any] = Field(default_factory=dict)
    sla: dict[str, Any] = Field(default_factory=_default_sla)
    hooks: list[HookSpec] = Field(default_factory=list)
    description: str = ""


class DisruptionSpec(_Model):
    """A disruptor fired on the run's clock (``at`` seconds after the load starts)."""

    disruptor: PluginRef
    at: float = Field(0.0, ge=0)
    down: float | tuple[float, float] = 0.0
    cool_down: float | tuple[float, float] = 0.0
    times: int = Field(1, ge=1)
    description: str = ""


class ResilienceSpec(_Model):
    """Monitors probing all through the run and disruptions on its clock."""

    monitors: list[PluginRef] = Field(default_factory=list)
    disruptions: list[DisruptionSpec] = Field(default_factory=list)
    inventory: str | None = None
    journal: str | None = None
    health_gate: float = Field(0.0, ge=0)
    """Seconds every monitor must be green before the load starts (0: no gate)."""
    health_timeout: float = Field(120.0, gt=0)
    seed: int | None = None


class Subtask(_Model):
    """A group of workloads; run one after another unless ``run_in_parallel``."""

    title: str = Field(min_length=1, max_length=255)
    description: str = ""
    tags: list[str] = Field(default_factory=list)
    group: str | None = None
    run_in_parallel: bool = False
    workloads: list[Workload] = Field(min_length=1)


class Task(_Model):
    """A whole task file."""

    title: str = Field(min_length=1, max_length=255)
    description: str = ""
    tags: list[str] = Field(default_factory=list)
    subtasks: list[Subtask] = Field(min_length=1)
    source_format: SourceFormat = "squall"
    resilience: ResilienceSpec | None = None

    def workloads(self) -> list[tuple[int, int, Workload]]:
        """(subtask index, workload index, workload) in file order."""
        return [
            (s, w, workload)
            for s, subtask in enumerate(self.subtasks)
            for w, workload in enumerate(subtask.workloads)
        ]
