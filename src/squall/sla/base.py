"""The SLA family contract."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from typing import ClassVar, Self

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

    ``config`` is the validated instance of ``Config`` (see ``Plugin.parse_config``).
    """

    family: ClassVar = Family.SLA

    def __init__(self, config: BaseModel) -> None:
        self.config = config
        self.success = True

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
