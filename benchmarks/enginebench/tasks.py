"""The benchmark's task files: what each one asks for, and smaller copies for --quick.

Task files are Rally's format v2 with one subtask each, so that Rally and squall run
the very same file. Pure: text in, text or values out.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import yaml


class TaskShapeError(ValueError):
    """A benchmark task file is not a v2 task with one inline workload."""


@dataclass(frozen=True, slots=True)
class WorkloadSpec:
    """The one workload of a benchmark task file."""

    scenario: str
    args: dict[str, Any]
    runner: str
    runner_args: dict[str, Any]

    @property
    def times(self) -> int:
        return int(self.runner_args["times"])

    @property
    def sleep(self) -> float:
        return float(self.args.get("sleep", 0.0))

    def ideal_rate(self) -> float | None:
        """Iterations/s a perfect closed-loop runner reaches (concurrency / sleep)."""
        if self.runner != "constant" or self.sleep <= 0:
            return None
        return float(self.runner_args.get("concurrency", 1)) / self.sleep

    def target_rate(self) -> float | None:
        """The rps runner's fixed rate, or None for a ramp or another runner."""
        rps = self.runner_args.get("rps") if self.runner == "rps" else None
        return float(rps) if isinstance(rps, int | float) else None

    def ramp_end(self) -> float | None:
        rps = self.runner_args.get("rps") if self.runner == "rps" else None
        return float(rps["end"]) if isinstance(rps, dict) else None


def _only_subtask(doc: Any) -> dict[str, Any]:
    if not isinstance(doc, dict) or doc.get("version") != 2:
        raise TaskShapeError("expected a Rally v2 task (version: 2)")
    subtasks = doc.get("subtasks")
    if not isinstance(subtasks, list) or len(subtasks) != 1:
        raise TaskShapeError("expected exactly one subtask")
    subtask = subtasks[0]
    if not isinstance(subtask, dict) or "scenario" not in subtask or "runner" not in subtask:
        raise TaskShapeError("expected an inline scenario and runner in the subtask")
    return subtask


def _single_entry(mapping: Any, what: str) -> tuple[str, dict[str, Any]]:
    if not isinstance(mapping, dict) or len(mapping) != 1:
        raise TaskShapeError(f"expected one {what}")
    ((name, args),) = mapping.items()
    return str(name), dict(args or {})


def workload_spec(text: str) -> WorkloadSpec:
    subtask = _only_subtask(yaml.safe_load(text))
    scenario, args = _single_entry(subtask["scenario"], "scenario")
    runner, runner_args = _single_entry(subtask["runner"], "runner")
    return WorkloadSpec(scenario, args, runner, runner_args)


def with_times(text: str, times: int) -> str:
    """The same task with the runner's ``times`` replaced (for --quick runs)."""
    doc = copy.deepcopy(yaml.safe_load(text))
    subtask = _only_subtask(doc)
    _, runner_args = _single_entry(subtask["runner"], "runner")
    if "times" not in runner_args:
        raise TaskShapeError("the runner has no 'times' to scale")
    ((runner_name, _),) = subtask["runner"].items()
    subtask["runner"][runner_name] = {**runner_args, "times": times}
    dumped: str = yaml.safe_dump(doc, sort_keys=False)
    return "---\n" + dumped
