"""squall's own task format (``squall: 1``) -> ``Draft``. Documented in docs/task-format.md.

::

    squall: 1
    title: ...
    subtasks:
      - title: ...
        run_in_parallel: false
        workloads:
          - scenario: Dummy.dummy
            args: {sleep: 0.1}
            runner: {type: constant, times: 100, concurrency: 10}
            contexts: {}
            sla: {failure_rate: {max: 0}}
            hooks:
              - description: ...
                action: {sys_call: "echo hi"}
                trigger: {event: {unit: iteration, at: [10]}}
"""

from __future__ import annotations

from typing import Any

from squall.task import resilience
from squall.task.draft import Draft, mapped_hook, workload_path
from squall.task.source import Path, Reader

VERSION = 1
TOP_KEYS = ("squall", "title", "description", "tags", "subtasks", "resilience")
SUBTASK_KEYS = ("title", "description", "tags", "group", "run_in_parallel", "workloads")
WORKLOAD_KEYS = ("scenario", "args", "runner", "contexts", "sla", "hooks", "description")
HOOK_KEYS = ("description", "action", "trigger")
_PLAIN = ("title", "description", "tags", "group", "run_in_parallel")


def translate(data: dict[Any, Any], reader: Reader) -> Draft:
    draft = Draft("squall")
    reader.check_keys(data, (), allowed=TOP_KEYS, required=("squall", "title", "subtasks"))
    version = data.get("squall", VERSION)
    if version != VERSION or isinstance(version, bool):
        reader.report(
            ("squall",), f"unsupported format version {version!r}", f"this squall reads {VERSION}"
        )
    _copy_plain(data, draft.task)
    subtasks = reader.items(data, "subtasks", ())
    draft.task["subtasks"] = [
        _subtask(raw, s, reader, draft) for s, raw in enumerate(subtasks or [])
    ]
    if "resilience" in data:
        draft.task["resilience"] = resilience.translate(data["resilience"], reader, draft)
    return draft


def _copy_plain(source: dict[Any, Any], target: dict[str, Any]) -> None:
    for key in _PLAIN:
        if key in source:
            target[key] = source[key]


def _subtask(raw: Any, s: int, reader: Reader, draft: Draft) -> dict[str, Any]:
    path: Path = ("subtasks", s)
    result: dict[str, Any] = {}
    data = reader.mapping(raw, path)
    if data is None:
        return result
    reader.check_keys(data, path, allowed=SUBTASK_KEYS, required=("title", "workloads"))
    _copy_plain(data, result)
    workloads = reader.items(data, "workloads", path)
    result["workloads"] = [
        _workload(raw_w, s, w, reader, draft) for w, raw_w in enumerate(workloads or [])
    ]
    return result


def _workload(raw: Any, s: int, w: int, reader: Reader, draft: Draft) -> dict[str, Any]:
    path = model = workload_path(s, w)
    result: dict[str, Any] = {}
    data = reader.mapping(raw, path)
    if data is None:
        return result
    reader.check_keys(data, path, allowed=WORKLOAD_KEYS, required=("scenario",))
    name = reader.string(data["scenario"], (*path, "scenario")) if "scenario" in data else None
    if name is not None:
        result["scenario"] = draft.plugin(
            (*model, "scenario"),
            name,
            data.get("args", {}),
            name_at=(*path, "scenario"),
            args_at=(*path, "args"),
        )
    if "runner" in data:
        runner = _runner(data["runner"], (*path, "runner"), reader, draft)
        if runner is not None:
            result["runner"] = runner
    for section in ("contexts", "sla"):
        if section in data and reader.mapping(data[section], (*path, section)) is not None:
            result[section] = data[section]
    if "hooks" in data:
        hooks = reader.sequence(data["hooks"], (*path, "hooks")) or []
        result["hooks"] = [
            _hook(h, (*path, "hooks", i), reader, draft) for i, h in enumerate(hooks)
        ]
    if "description" in data:
        result["description"] = data["description"]
    return result


def _runner(raw: Any, path: Path, reader: Reader, draft: Draft) -> dict[str, Any] | None:
    data = reader.mapping(raw, path, what=" with a `type` key")
    if data is None:
        return None
    if "type" not in data:
        reader.report(path, "missing required key 'type' (the runner's name)")
        return None
    name = reader.string(data["type"], (*path, "type"))
    if name is None:
        return None
    args = {k: v for k, v in data.items() if k != "type"}
    return draft.plugin(path, name, args, name_at=(*path, "type"), args_at=path)


def _hook(raw: Any, path: Path, reader: Reader, draft: Draft) -> dict[str, Any]:
    data = reader.mapping(raw, path)
    if data is None:
        return {}
    reader.check_keys(data, path, allowed=HOOK_KEYS, required=("action", "trigger"))
    return mapped_hook(data, path, path, reader, draft)
