"""The task ``squall stress`` runs: one ``Python.test`` workload, built in memory."""

from __future__ import annotations

from dataclasses import dataclass, field

from squall.stress.protocol import SetupScope
from squall.task.loader import LoadedTask
from squall.task.model import PluginRef, Subtask, Task, Workload
from squall.task.source import SourceMap

SOURCE = "<squall stress>"
DEFAULT_TIMES = 50


@dataclass(frozen=True)
class StressRequest:
    """What the user asked ``squall stress`` for."""

    tests: tuple[str, ...]
    workers: int = 1
    times: int | None = None
    duration: float | None = None
    scope: SetupScope = SetupScope.PROCESS
    marked_only: bool = False
    rootdir: str = "."
    pytest_args: tuple[str, ...] = field(default_factory=tuple)
    max_failure_rate: float = 0.0


def scenario_args(request: StressRequest) -> dict[str, object]:
    return {
        "tests": list(request.tests),
        "class_setup_per": request.scope.value,
        "marked_only": request.marked_only,
        "rootdir": request.rootdir,
        "pytest_args": list(request.pytest_args),
    }


def runner(request: StressRequest) -> PluginRef:
    if request.duration is not None:
        args: dict[str, object] = {"duration": request.duration, "concurrency": request.workers}
        return PluginRef(name="constant_for_duration", args=args)
    times = request.times if request.times is not None else DEFAULT_TIMES
    return PluginRef(
        name="constant", args={"times": times, "concurrency": min(request.workers, times)}
    )


def build_task(request: StressRequest) -> LoadedTask:
    """The task, as if loaded from a file named ``<squall stress>``."""
    shown = ", ".join(request.tests[:3]) + (", ..." if len(request.tests) > 3 else "")
    workload = Workload(
        scenario=PluginRef(name="Python.test", args=scenario_args(request)),
        runner=runner(request),
        sla={"failure_rate": {"max": request.max_failure_rate}},
        description=f"tests as load: {shown}",
    )
    title = f"stress: {shown}"[:255]
    task = Task(
        title=title,
        tags=["stress"],
        subtasks=[Subtask(title=title[:128], workloads=[workload])],
    )
    return LoadedTask(task=task, source=SourceMap(name=SOURCE), name=SOURCE)
