"""One workload per cloud: ``cloud: all`` and ``cloud: [east, west]``.

A run may have several clouds or regions (``--cloud east --cloud west``). A
workload whose ``cloud`` context names several of them is written once and run
once on each: before the run, ``expand_clouds`` replaces it, in its subtask, by one
copy per cloud, each with ``cloud: LABEL``. The copies are ordinary workloads, so
each has its own stored results, its own SLA verdict and its own line in exports,
reports and ``task compare``; they run one after another, or at the same time when
the subtask says ``run_in_parallel``. ``all`` means the run's clouds in the order
the run was given them; a list keeps its own order.

Pure: it needs only the run's cloud labels (``NAME`` or ``NAME/REGION``), so it
can run before any cloud is contacted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from squall.errors import Problem, TaskError
from squall.task.draft import workload_path
from squall.task.model import Subtask
from squall.task.validate import ValidatedTask, ValidatedWorkload

#: the context that names a workload's cloud, and its word for every cloud
CONTEXT = "cloud"
EVERY_CLOUD = "all"


def resolve(name: str, clouds: Sequence[str]) -> str | None:
    """The run's cloud ``name`` stands for (``NAME`` matches ``NAME/REGION``), or None."""
    for label in clouds:
        if name in (label, label.partition("/")[0]):
            return label
    return None


def expand_clouds(task: ValidatedTask, clouds: Sequence[str]) -> ValidatedTask:
    """``task`` with each workload written for several clouds made one per cloud.

    Raises one ``TaskError`` listing every ``cloud`` context that names a cloud the
    run does not have (field path, line, and the run's clouds as the hint).
    """
    expander = _Expander(task, list(clouds))
    workloads = [copy for vw in task.workloads for copy in expander.expand(vw)]
    if expander.problems:
        raise TaskError(expander.problems, source=task.loaded.name)
    if not expander.changed:
        return task
    renumbered = _renumber(workloads)
    subtasks = [_subtask(subtask, s, renumbered) for s, subtask in enumerate(task.task.subtasks)]
    loaded = replace(task.loaded, task=task.task.model_copy(update={"subtasks": subtasks}))
    return ValidatedTask(loaded, renumbered, task.resilience)


class _Expander:
    def __init__(self, task: ValidatedTask, clouds: list[str]) -> None:
        self.task = task
        self.clouds = clouds
        self.problems: list[Problem] = []
        self.changed = False

    def expand(self, vw: ValidatedWorkload) -> list[ValidatedWorkload]:
        names = _cloud_names(vw)
        if names is None:
            return [vw]
        labels = self.labels(vw, names)
        if isinstance(names, str) and names != EVERY_CLOUD:
            return [vw]  # one cloud, as written
        self.changed = True
        return [_copy(vw, label) for label in labels]

    def labels(self, vw: ValidatedWorkload, names: str | list[str]) -> list[str]:
        """The run's clouds ``names`` stand for; a problem for each one it lacks."""
        at = (*workload_path(vw.subtask_index, vw.workload_index), "contexts", CONTEXT)
        if names == EVERY_CLOUD:
            if not self.clouds:
                self.problem(at, "`all` clouds, but the run has none")
            return list(self.clouds)
        written = [names] if isinstance(names, str) else names
        found: list[str] = []
        for i, name in enumerate(written):
            label = resolve(name, self.clouds)
            where = at if isinstance(names, str) else (*at, i)
            if label is None:
                self.problem(where, f"unknown cloud {name!r}")
            elif label in found:
                self.problem(where, f"{name!r} is {label}, already named in this list")
            else:
                found.append(label)
        return found

    def problem(self, at: tuple[str | int, ...], message: str) -> None:
        hint = f"this run has: {', '.join(self.clouds) or 'no cloud'}"
        self.problems.append(self.task.loaded.problem(at, message, hint))


def _cloud_names(vw: ValidatedWorkload) -> str | list[str] | None:
    """What the workload's ``cloud`` context names, or None without one."""
    for cls, config in vw.contexts:
        if cls.name == CONTEXT:
            names: Any = getattr(config, "name", None)
            if isinstance(names, str | list):
                return names
    return None


def _copy(vw: ValidatedWorkload, label: str) -> ValidatedWorkload:
    """``vw`` acting on cloud ``label`` only (its index is set by ``_renumber``)."""
    contexts = {**vw.workload.contexts, CONTEXT: label}
    parsed = [
        (cls, cls.parse_config(label) if cls.name == CONTEXT else config)
        for cls, config in vw.contexts
    ]
    return replace(
        vw,
        workload=vw.workload.model_copy(update={"contexts": contexts}),
        contexts=parsed,
        origin=vw.workload_index,
        cloud=label,
    )


def _renumber(workloads: list[ValidatedWorkload]) -> list[ValidatedWorkload]:
    """Indices 0, 1, ... within each subtask, in order (copies keep their ``origin``)."""
    seen: dict[int, int] = {}
    out = []
    for vw in workloads:
        index = seen.get(vw.subtask_index, 0)
        seen[vw.subtask_index] = index + 1
        origin = vw.origin if vw.origin is not None else vw.workload_index
        out.append(replace(vw, workload_index=index, origin=origin))
    return out


def _subtask(subtask: Subtask, s: int, workloads: list[ValidatedWorkload]) -> Subtask:
    mine = [vw.workload for vw in workloads if vw.subtask_index == s]
    return subtask.model_copy(update={"workloads": mine}) if mine else subtask
