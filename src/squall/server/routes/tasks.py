"""Tasks: validate a task file's text, start it (in the background)."""

from __future__ import annotations

import io

from fastapi import APIRouter, status

from squall.api import tasks as tasks_api
from squall.plugins.registry import Registry
from squall.server.deps import ManagerDep, RegistryDep
from squall.server.schemas import StartIn, StartOut, TaskIn, ValidateOut
from squall.task.validate import ValidatedTask

router = APIRouter(prefix="/api/v1/tasks", tags=["tasks"])


def _validated(body: TaskIn, registry: Registry) -> ValidatedTask:
    source = tasks_api.TaskInput(path="-", task_args=body.task_args, stdin=io.StringIO(body.task))
    return tasks_api.validate(source, registry)


@router.post("/validate", summary="Validate a task; every problem at once")
def validate(body: TaskIn, registry: RegistryDep) -> ValidateOut:
    task = _validated(body, registry)
    return ValidateOut(
        title=task.task.title,
        source_format=task.task.source_format,
        subtasks=len(task.task.subtasks),
        workloads=len(task.workloads),
    )


@router.post(
    "",
    summary="Start a task; it runs in the background (follow /runs/{id}/events)",
    status_code=status.HTTP_202_ACCEPTED,
)
def start(body: StartIn, registry: RegistryDep, manager: ManagerDep) -> StartOut:
    task = _validated(body, registry)
    live = manager.start(task, list(body.tags), tuple(body.clouds))
    return StartOut(run_id=live.run_id, title=live.title)
