"""Small plugins, one per family a task names, for testing task loading and validation.

They declare arguments only (and do nothing when run): register them into a fresh
``Registry`` with ``register(registry)`` to validate tasks without squall's built-ins.

``RunIdsExporter`` is an exporter as a third-party package would ship one, with a
media type no built-in uses: add it beside the built-ins with ``add_exporter``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Self, TextIO

from pydantic import BaseModel, ConfigDict, Field, model_validator

from squall.plugins.base import Plugin
from squall.plugins.families import Family
from squall.plugins.registry import Registry
from squall.reports.exporters.base import Exporter, RunData


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SleepScenario(Plugin):
    """Sleep (test scenario)."""

    family: ClassVar[Family] = Family.SCENARIO
    name: ClassVar[str] = "Test.sleep"

    class Config(_Args):
        sleep: float = Field(0, ge=0)


class FixedRunner(Plugin):
    """Run ``times`` iterations, ``concurrency`` at a time (test runner)."""

    family: ClassVar[Family] = Family.RUNNER
    name: ClassVar[str] = "fixed"

    class Config(_Args):
        times: int = Field(1, ge=1)
        concurrency: int = Field(1, ge=1)

        @model_validator(mode="after")
        def _concurrency_within_times(self) -> Self:
            if self.concurrency > self.times:
                raise ValueError(
                    f"concurrency ({self.concurrency}) must not exceed times ({self.times})"
                )
            return self


class OnceRunner(Plugin):
    """One iteration (test runner; the name of the default runner)."""

    family: ClassVar[Family] = Family.RUNNER
    name: ClassVar[str] = "serial"

    class Config(BaseModel):
        model_config = ConfigDict(extra="allow")
        times: int = Field(1, ge=1)


class UsersContext(Plugin):
    """Users and projects (test context)."""

    family: ClassVar[Family] = Family.CONTEXT
    name: ClassVar[str] = "users"

    class Config(_Args):
        tenants: int = Field(1, ge=1)
        users_per_tenant: int = Field(1, ge=1)


class FailureRateSLA(Plugin):
    """Failure rate within bounds (test SLA; the name of the default SLA)."""

    family: ClassVar[Family] = Family.SLA
    name: ClassVar[str] = "failure_rate"

    class Config(_Args):
        min: float = Field(0, ge=0, le=100)
        max: float = Field(100, ge=0, le=100)


class MaxDurationSLA(Plugin):
    """Longest iteration at most this many seconds (test SLA taking a bare value)."""

    family: ClassVar[Family] = Family.SLA
    name: ClassVar[str] = "max_duration"
    scalar_field: ClassVar[str | None] = "seconds"

    class Config(_Args):
        seconds: float = Field(gt=0)


class CommandAction(Plugin):
    """Run a command (test hook action taking a bare value)."""

    family: ClassVar[Family] = Family.HOOK
    name: ClassVar[str] = "command"
    scalar_field: ClassVar[str | None] = "cmd"

    class Config(_Args):
        cmd: str = Field(min_length=1)


class AtTrigger(Plugin):
    """Fire at the given iterations (test trigger)."""

    family: ClassVar[Family] = Family.TRIGGER
    name: ClassVar[str] = "at"

    class Config(_Args):
        at: list[int] = Field(min_length=1)


class RunIdsExporter(Exporter):
    """Each run's id and status, one line each (test exporter)."""

    name: ClassVar[str] = "test-run-ids"
    media_type: ClassVar[str] = "application/vnd.squall-test.run-ids"
    suffix: ClassVar[str] = ".ids"

    def export(self, runs: Sequence[RunData], out: TextIO) -> None:
        for run in runs:
            out.write(f"{run.record.id} {run.record.status.value}\n")


PLUGINS: tuple[type[Plugin], ...] = (
    SleepScenario,
    FixedRunner,
    OnceRunner,
    UsersContext,
    FailureRateSLA,
    MaxDurationSLA,
    CommandAction,
    AtTrigger,
)


def register(registry: Registry) -> None:
    for cls in PLUGINS:
        registry.add_class(cls, origin="squall.testing.plugins")


def registry() -> Registry:
    """A fresh registry holding only these plugins."""
    fresh = Registry()
    register(fresh)
    return fresh


def add_exporter(registry: Registry) -> Registry:
    """``registry`` with ``RunIdsExporter`` added, as an entry point would add it."""
    registry.add_class(RunIdsExporter, origin="squall.testing.plugins")
    return registry
