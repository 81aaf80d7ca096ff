"""A workload's SLA: its criteria built from the task's ``sla`` mapping, fed together.

``SLAChecker`` is what the engine holds per workload: ``add(it)`` after every
iteration (False as soon as a criterion fails, for ``--abort-on-sla-failure``),
``merge()`` to join workers' checkers, and ``results()`` for the record, with the
pseudo-criteria Rally appends when a run did not end normally.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from squall.errors import ConfigError, PluginError, Problem
from squall.iteration import IterationResult
from squall.plugins.families import Family
from squall.plugins.registry import Registry
from squall.sla.base import SLA, SLAResult

ABORTED_ON_SLA = "aborted_on_sla"
ABORTED_MANUALLY = "aborted_manually"
SOMETHING_WENT_WRONG = "something_went_wrong"


def validate_sla(registry: Registry, sla_config: Mapping[str, Any]) -> list[Problem]:
    """Every problem in a workload's ``sla`` mapping, each located at ``sla.<name>``."""
    problems: list[Problem] = []
    for name, raw in sla_config.items():
        try:
            _configure(registry, name, raw)
        except PluginError as exc:
            problems.append(Problem(f"sla.{name}", exc.message, exc.hint))
        except ValidationError as exc:
            problems.extend(_problems(name, exc))
    return problems


def build_criteria(registry: Registry, sla_config: Mapping[str, Any]) -> list[SLA]:
    """One SLA instance per entry of ``sla_config``, in its order.

    Raises ``PluginError`` for an unknown criterion (with a "did you mean" hint) and
    ``ConfigError`` listing every bad argument.
    """
    criteria: list[SLA] = []
    for name, raw in sla_config.items():
        try:
            cls, config = _configure(registry, name, raw)
        except ValidationError as exc:
            found = _problems(name, exc)
            raise ConfigError("; ".join(str(p) for p in found)) from None
        criteria.append(cls(config))
    return criteria


def _configure(registry: Registry, name: str, raw: Any) -> tuple[type[SLA], BaseModel]:
    cls = registry.get(Family.SLA, name, SLA)
    return cls, cls.parse_config(raw)


def _problems(name: str, exc: ValidationError) -> list[Problem]:
    found = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"])
        location = f"sla.{name}.{where}" if where else f"sla.{name}"
        found.append(Problem(location, error["msg"]))
    return found


class SLAChecker:
    """The criteria of one workload, fed one iteration at a time."""

    __slots__ = ("config", "criteria")

    def __init__(self, registry: Registry, sla_config: Mapping[str, Any]) -> None:
        self.config = dict(sla_config)
        self.criteria = build_criteria(registry, self.config)

    def add(self, it: IterationResult) -> bool:
        """Feed every criterion; False if any of them fails now."""
        ok = True
        for criterion in self.criteria:
            if not criterion.add(it):
                ok = False
        return ok

    def merge(self, other: SLAChecker) -> bool:
        """Join a checker of the same ``sla`` mapping that saw other iterations."""
        if other.config != self.config:
            raise ValueError("only checkers of the same SLA configuration can be merged")
        ok = True
        for mine, theirs in zip(self.criteria, other.criteria, strict=True):
            if not mine.merge(theirs):
                ok = False
        return ok

    @property
    def passed(self) -> bool:
        return all(criterion.success for criterion in self.criteria)

    def results(
        self,
        *,
        aborted_on_sla: bool = False,
        aborted_manually: bool = False,
        error: str | None = None,
    ) -> list[SLAResult]:
        """Every criterion's verdict, then Rally's pseudo-criteria for an abnormal end."""
        results = [criterion.result() for criterion in self.criteria]
        if aborted_on_sla:
            results.append(
                SLAResult(ABORTED_ON_SLA, False, "Task was aborted due to SLA failure(s).")
            )
        if aborted_manually:
            results.append(
                SLAResult(ABORTED_MANUALLY, False, "Task was aborted due to abort signal.")
            )
        if error:
            results.append(SLAResult(SOMETHING_WENT_WRONG, False, f"Unexpected error: {error}"))
        return results
