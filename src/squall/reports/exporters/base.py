"""The exporter family contract: stored runs in, one file out, streamed.

An exporter never needs a whole run in memory: ``RunData`` carries the run's
record (summaries, configs) and a way to read each workload's iterations one at a
time from wherever they are kept.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, TextIO, TypeVar

from pydantic import BaseModel

from squall.iteration import IterationResult
from squall.plugins.base import Plugin
from squall.plugins.families import Family
from squall.results.records import RunRecord

M = TypeVar("M", bound=BaseModel)

IterationSource = Callable[[int], Iterable[IterationResult]]
"""Given a ``WorkloadRecord.id``, that workload's iterations in the order stored."""


def no_iterations(workload_id: int) -> Iterable[IterationResult]:
    """An ``IterationSource`` for runs whose iterations are not at hand."""
    return ()


@dataclass(frozen=True, slots=True)
class RunData:
    """One run to export: its record and a reader of its workloads' iterations."""

    record: RunRecord
    iterations: IterationSource = no_iterations


class Exporter(Plugin):
    """Writes runs as text to ``out``; ``config`` is the validated ``Config``."""

    family: ClassVar = Family.EXPORTER
    #: What the output is, for a web server or a file name.
    media_type: ClassVar[str] = "text/plain"
    suffix: ClassVar[str] = ".txt"

    def __init__(self, config: BaseModel) -> None:
        self.config = config

    @abstractmethod
    def export(self, runs: Sequence[RunData], out: TextIO) -> None:
        """Write ``runs`` to ``out`` (which the caller opens and closes)."""


def options(config: BaseModel, model: type[M]) -> M:
    """``config`` as the exporter's own ``model`` (anything else is a programming error)."""
    if not isinstance(config, model):
        raise TypeError(f"expected {model.__name__}, got {type(config).__name__}")
    return config
