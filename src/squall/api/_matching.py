"""Two runs' workloads (or data-plane tests) matched by key, as ``compare`` pairs them.

One place says what is refused, in the same words for task runs and data-plane
runs: a run compared with itself, and two runs with nothing in common.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from squall.errors import ConfigError
from squall.stats.trends import RunBrief

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Subject:
    """What is compared, in the words of the messages."""

    runs: str  # the runs, plural: "task runs"
    part: str  # what is matched in them: "finished workload"
    source: str  # what a run is a run of: "task"


TASK = Subject("task runs", "finished workload", "task")
DATAPLANE = Subject("data-plane runs", "test", "plan")


@dataclass(frozen=True, slots=True)
class Matched(Generic[K]):
    common: list[K]  # in the first run's order
    unmatched: list[K]  # in one run only: the first run's, then the second's


def common_keys(
    before: RunBrief, after: RunBrief, keys: tuple[Iterable[K], Iterable[K]], subject: Subject
) -> Matched[K]:
    """The keys of ``before`` found in ``after``, and those found in one run only.

    Raises ``ConfigError`` when both are one run, or when they share no key.
    """
    if before.id == after.id:
        raise ConfigError(
            f"run {before.id} is compared with itself", hint=f"give two {subject.runs}"
        )
    first, second = list(keys[0]), list(keys[1])
    in_first, in_second = set(first), set(second)
    common = [key for key in first if key in in_second]
    if not common:
        raise ConfigError(
            f"{subject.runs} {_named(before)} and {_named(after)} have no {subject.part} "
            f"in common: they are of different {subject.source}s",
            hint=f"compare two runs of the same {subject.source}",
        )
    unmatched = [k for k in first if k not in in_second] + [k for k in second if k not in in_first]
    return Matched(common, unmatched)


def _named(run: RunBrief) -> str:
    return f"{run.id[:8]} ({run.title!r})"
