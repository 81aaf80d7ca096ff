"""The SLA family contract."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from pydantic import BaseModel

from squall.iteration import IterationResult
from squall.plugins.base import Plugin
from squall.plugins.families import Family


@dataclass(frozen=True, slots=True)
class SLAResult:
    """One criterion's verdict, in Rally's shape: ``{criterion, success, detail}``."""

    criterion: str
    success: bool
    detail: str


class SLA(Plugin):
    """A criterion fed one iteration at a time; ``merge`` joins two partial views.

    ``config`` is the validated instance of ``Config``. ``Config`` may also accept
    a bare value (Rally writes ``max_avg_duration: 0.5``): such plugins set
    ``scalar_field`` to the field the bare value goes to.
    """

    family: ClassVar = Family.SLA
    scalar_field: ClassVar[str | None] = None

    def __init__(self, config: BaseModel) -> None:
        self.config = config
        self.success = True

    @classmethod
    def parse_config(cls, raw: Any) -> BaseModel:
        """Validate raw task-file arguments (a mapping, or a bare scalar)."""
        if cls.scalar_field is not None and not isinstance(raw, dict):
            raw = {cls.scalar_field: raw}
        return cls.Config.model_validate(raw)

    @abstractmethod
    def add(self, it: IterationResult) -> bool:
        """Account for one iteration; return whether the criterion still holds."""

    @abstractmethod
    def merge(self, other: Self) -> bool:
        """Fold in another instance's view of other iterations; return the verdict."""

    @abstractmethod
    def details(self) -> str:
        """A one-line explanation of the current verdict, for people."""

    def result(self) -> SLAResult:
        return SLAResult(criterion=self.name, success=self.success, detail=self.details())
