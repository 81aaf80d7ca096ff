"""Rally task files, formats v1 and v2, accepted unchanged -> ``Draft``.

All knowledge of Rally's task formats lives here (``rally/task/task_cfg.py``):

- **v1**: ``{ScenarioName: [{args, runner: {type, ...}, context, sla, hooks, description}]}``;
  each entry becomes a subtask titled with the scenario name, holding one workload.
- **v2**: ``version: 2``; top keys exactly ``title, version, description, tags, subtasks``.
  A subtask is *simple* (the workload inline: ``scenario``, ``runner``, ``contexts``,
  ``sla``, ``hooks``) or *complex* (``workloads: [...]``, ``group``, ``run_in_parallel``).
  ``scenario: {Name: args}``, ``runner: {type: args}``.
- Hooks are ``{description, action: {name: args}, trigger: {name: args}}``, or the older
  ``{name, args, description, trigger: {name, args}}`` (the only form in v1).
- Context names drop their ``@platform`` suffix (``users@openstack`` -> ``users``).
- Missing runner / sla / contexts take the model's defaults, which are Rally's:
  ``serial``, ``failure_rate: {max: 0}``, ``{}``.
- Atomic action names of older Rally releases in SLA criteria
  (``max_avg_duration_per_atomic: {keystone_v3.create_user: 1}``) become the names
  squall times (``keystone.create_user``): ``ATOMIC_ALIASES``.
"""

from __future__ import annotations

from typing import Any

from squall.task.draft import Draft, mapped_hook, workload_path
from squall.task.source import Path, Reader

V2_TOP_KEYS = ("title", "version", "description", "tags", "subtasks")
V2_SIMPLE_KEYS = (
    "title", "group", "description", "tags", "scenario", "runner", "sla", "hooks", "contexts",
)  # fmt: skip
V2_COMPLEX_KEYS = ("title", "group", "description", "tags", "run_in_parallel", "workloads")
V2_WORKLOAD_KEYS = ("scenario", "description", "runner", "sla", "hooks", "contexts")
V1_WORKLOAD_KEYS = ("args", "description", "runner", "context", "sla", "hooks")
OLD_HOOK_KEYS = ("name", "args", "description", "trigger")
NEW_HOOK_KEYS = ("action", "trigger", "description")
SIMPLE_TITLE_MAX = 128
TAG_MAX = 255
V1_TITLE = "Task (adopted from task format v1)"
SUPPORTED_VERSIONS = (1, 2)

#: Prefixes of Rally-era atomic action names -> the ones squall's scenarios time.
#: rally-openstack renamed ``keystone_v3.*`` to ``keystone.*`` after 3.0.0; squall
#: speaks cinder's v3 and glance's v2 APIs, where Rally named the op after the version.
ATOMIC_ALIASES = {
    "keystone_v3.": "keystone.",
    "cinder_v1.": "cinder_v3.",
    "cinder_v2.": "cinder_v3.",
    "glance_v1.": "glance_v2.",
}
#: SLA criteria whose config maps atomic action names to limits
PER_ATOMIC_SLAS = ("max_avg_duration_per_atomic",)


def current_atomic(name: str) -> str:
    """The atomic action name squall times for Rally's ``name`` (itself if current)."""
    for old, new in ATOMIC_ALIASES.items():
        if name.startswith(old):
            return new + name.removeprefix(old)
    return name


def version_of(data: dict[Any, Any]) -> object:
    """Rally's rule: the ``version`` key, 1 when absent."""
    return data.get("version", 1)


def translate(data: dict[Any, Any], reader: Reader) -> Draft:
    version = version_of(data)
    if isinstance(version, bool) or version not in SUPPORTED_VERSIONS:
        reader.report(
            ("version",),
            f"Rally task format version {version!r} is not supported",
            "Rally's formats are 1 and 2; squall's own format starts with `squall: 1`",
        )
        return Draft("rally-v2")
    if version == 2:
        return _v2(data, reader)
    return _v1(data, reader)


# --- v2 -------------------------------------------------------------------------------


def _v2(data: dict[Any, Any], reader: Reader) -> Draft:
    draft = Draft("rally-v2")
    reader.check_keys(data, (), allowed=V2_TOP_KEYS, required=("title", "subtasks"))
    for key in ("title", "description", "tags"):
        if key in data:
            draft.task[key] = data[key]
    subtasks = reader.items(data, "subtasks", ())
    draft.task["subtasks"] = [_v2_subtask(raw, s, reader, draft) for s, raw in enumerate(subtasks)]
    return draft


def _v2_subtask(raw: Any, s: int, reader: Reader, draft: Draft) -> dict[str, Any]:
    path: Path = ("subtasks", s)
    data = reader.mapping(raw, path)
    if data is None:
        return {}
    if "workloads" in data:
        return _v2_complex(data, path, s, reader, draft)
    if "scenario" in data:
        return _v2_simple(data, path, s, reader, draft)
    reader.report(
        path,
        "a subtask needs `scenario` (one workload inline) or `workloads` (a list)",
    )
    return {}


def _check_tags(data: dict[Any, Any], path: Path, reader: Reader) -> None:
    """Rally's subtask schemas allow tags of at most 255 characters."""
    tags = data.get("tags")
    for i, tag in enumerate(tags if isinstance(tags, list) else []):
        if isinstance(tag, str) and len(tag) > TAG_MAX:
            reader.report((*path, "tags", i), f"is {len(tag)} characters long; at most {TAG_MAX}")


def _v2_complex(
    data: dict[Any, Any], path: Path, s: int, reader: Reader, draft: Draft
) -> dict[str, Any]:
    reader.check_keys(data, path, allowed=V2_COMPLEX_KEYS, required=("title", "workloads"))
    _check_tags(data, path, reader)
    result = {
        k: data[k]
        for k in ("title", "group", "description", "tags", "run_in_parallel")
        if k in data
    }
    workloads = reader.items(data, "workloads", path)
    result["workloads"] = []
    for w, raw in enumerate(workloads):
        w_path = (*path, "workloads", w)
        w_data = reader.mapping(raw, w_path)
        if w_data is None:
            continue
        reader.check_keys(w_data, w_path, allowed=V2_WORKLOAD_KEYS, required=("scenario",))
        result["workloads"].append(_v2_workload(w_data, w_path, s, w, reader, draft))
    return result


def _v2_simple(
    data: dict[Any, Any], path: Path, s: int, reader: Reader, draft: Draft
) -> dict[str, Any]:
    reader.check_keys(data, path, allowed=V2_SIMPLE_KEYS, required=("title", "scenario"))
    _check_tags(data, path, reader)
    title = data.get("title")
    if isinstance(title, str) and len(title) > SIMPLE_TITLE_MAX:
        reader.report(
            (*path, "title"), f"is {len(title)} characters long; at most {SIMPLE_TITLE_MAX}"
        )
    result = {k: data[k] for k in ("title", "group", "description", "tags") if k in data}
    workload = {k: v for k, v in data.items() if k in V2_WORKLOAD_KEYS and k != "description"}
    result["workloads"] = [_v2_workload(workload, path, s, 0, reader, draft)]
    return result


def _v2_workload(
    data: dict[Any, Any], path: Path, s: int, w: int, reader: Reader, draft: Draft
) -> dict[str, Any]:
    model = workload_path(s, w)
    draft.origins.add(model, path)
    result: dict[str, Any] = {}
    for part in ("scenario", "runner"):
        if part not in data:
            continue
        entry = reader.single_entry(data[part], (*path, part), what=part)
        if entry is not None:
            name, args = entry
            at = (*path, part, name)
            result[part] = draft.plugin((*model, part), name, args, name_at=at, args_at=at)
    if "contexts" in data:
        result["contexts"] = _contexts(data["contexts"], (*path, "contexts"), model, reader, draft)
    if "sla" in data and reader.mapping(data["sla"], (*path, "sla")) is not None:
        result["sla"] = _sla(data["sla"])
        draft.origins.add((*model, "sla"), (*path, "sla"))
    if "hooks" in data:
        result["hooks"] = _hooks(data["hooks"], (*path, "hooks"), model, reader, draft)
    if "description" in data:
        result["description"] = data["description"]
    return result


# --- v1 -------------------------------------------------------------------------------


def _v1(data: dict[Any, Any], reader: Reader) -> Draft:
    draft = Draft("rally-v1", task={"title": V1_TITLE, "subtasks": []})
    subtasks: list[dict[str, Any]] = draft.task["subtasks"]
    if not data:
        reader.report((), "the task has no scenarios")
    for scenario, entries in data.items():
        if not isinstance(scenario, str) or not scenario:
            reader.report((repr(scenario),), "a scenario name must be a non-empty string")
            continue
        for i, raw in enumerate(reader.sequence(entries, (scenario,)) or []):
            path = (scenario, i)
            entry = reader.mapping(raw, path)
            if entry is None:
                continue
            reader.check_keys(entry, path, allowed=V1_WORKLOAD_KEYS)
            subtasks.append(_v1_subtask(scenario, entry, path, len(subtasks), reader, draft))
    return draft


def _v1_subtask(
    scenario: str, entry: dict[Any, Any], path: Path, s: int, reader: Reader, draft: Draft
) -> dict[str, Any]:
    model = workload_path(s, 0)
    draft.origins.add(("subtasks", s), path)
    draft.origins.add(("subtasks", s, "title"), (scenario,))
    draft.origins.add(model, path)
    workload: dict[str, Any] = {
        "scenario": draft.plugin(
            (*model, "scenario"),
            scenario,
            entry.get("args", {}),
            name_at=(scenario,),
            args_at=(*path, "args"),
        )
    }
    if "runner" in entry:
        runner = _v1_runner(entry["runner"], (*path, "runner"), model, reader, draft)
        if runner is not None:
            workload["runner"] = runner
    if "context" in entry:
        workload["contexts"] = _contexts(entry["context"], (*path, "context"), model, reader, draft)
    if "sla" in entry and reader.mapping(entry["sla"], (*path, "sla")) is not None:
        workload["sla"] = _sla(entry["sla"])
        draft.origins.add((*model, "sla"), (*path, "sla"))
    if "hooks" in entry:
        workload["hooks"] = _hooks(entry["hooks"], (*path, "hooks"), model, reader, draft, v1=True)
    subtask: dict[str, Any] = {"title": scenario, "workloads": [workload]}
    if "description" in entry:
        subtask["description"] = entry["description"]
        draft.origins.add(("subtasks", s, "description"), (*path, "description"))
    return subtask


def _v1_runner(
    raw: Any, path: Path, model: Path, reader: Reader, draft: Draft
) -> dict[str, Any] | None:
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
    return draft.plugin((*model, "runner"), name, args, name_at=(*path, "type"), args_at=path)


# --- shared by v1 and v2 ----------------------------------------------------------------


def _contexts(raw: Any, path: Path, model: Path, reader: Reader, draft: Draft) -> dict[str, Any]:
    data = reader.mapping(raw, path)
    if data is None:
        return {}
    result: dict[str, Any] = {}
    for key, args in data.items():
        name = strip_platform(key) if isinstance(key, str) else key
        if name in result:
            reader.report((*path, key), f"context {name!r} is given twice")
            continue
        result[name] = args
        draft.origins.add((*model, "contexts", name), (*path, key))
    draft.origins.add((*model, "contexts"), path)
    return result


def _sla(sla: dict[Any, Any]) -> dict[Any, Any]:
    """``sla`` with Rally-era atomic names in per-atomic criteria renamed (a copy)."""
    result = dict(sla)
    for criterion in PER_ATOMIC_SLAS:
        limits = result.get(criterion)
        if isinstance(limits, dict):
            result[criterion] = _renamed(limits)
    return result


def _renamed(limits: dict[Any, Any]) -> dict[Any, Any]:
    """Keys renamed by ``current_atomic``; a current name given too keeps its own limit."""
    renamed = dict(limits)
    for key, value in limits.items():
        new = current_atomic(key) if isinstance(key, str) else key
        if new != key:
            del renamed[key]
            renamed.setdefault(new, value)
    return renamed


def strip_platform(name: str) -> str:
    """``users@openstack`` -> ``users``."""
    return name.partition("@")[0] or name


def _hooks(
    raw: Any, path: Path, model: Path, reader: Reader, draft: Draft, *, v1: bool = False
) -> list[dict[str, Any]]:
    hooks = reader.sequence(raw, path) or []
    result = []
    for h, raw_hook in enumerate(hooks):
        h_path = (*path, h)
        data = reader.mapping(raw_hook, h_path)
        if data is None:
            continue
        h_model = (*model, "hooks", h)
        draft.origins.add(h_model, h_path)
        if v1 or "name" in data:
            result.append(_old_hook(data, h_path, h_model, reader, draft))
        else:
            result.append(_new_hook(data, h_path, h_model, reader, draft))
    return result


def _old_hook(
    data: dict[Any, Any], path: Path, model: Path, reader: Reader, draft: Draft
) -> dict[str, Any]:
    """``{name, args, description, trigger: {name, args}}``."""
    reader.check_keys(data, path, allowed=OLD_HOOK_KEYS, required=("name", "args", "trigger"))
    hook: dict[str, Any] = {}
    if "description" in data and data["description"] is not None:
        hook["description"] = data["description"]
    name = reader.string(data.get("name"), (*path, "name")) if "name" in data else None
    if name is not None:
        hook["action"] = draft.plugin(
            (*model, "action"), name, data.get("args"), name_at=(*path, "name"),
            args_at=(*path, "args"),
        )  # fmt: skip
    t_path = (*path, "trigger")
    trigger = reader.mapping(data.get("trigger"), t_path) if "trigger" in data else None
    if trigger is not None:
        reader.check_keys(trigger, t_path, allowed=("name", "args"), required=("name", "args"))
        t_name = (
            reader.string(trigger.get("name"), (*t_path, "name")) if "name" in trigger else None
        )
        if t_name is not None:
            hook["trigger"] = draft.plugin(
                (*model, "trigger"), t_name, trigger.get("args"), name_at=(*t_path, "name"),
                args_at=(*t_path, "args"),
            )  # fmt: skip
    return hook


def _new_hook(
    data: dict[Any, Any], path: Path, model: Path, reader: Reader, draft: Draft
) -> dict[str, Any]:
    """``{description, action: {name: args}, trigger: {name: args}}``."""
    reader.check_keys(data, path, allowed=NEW_HOOK_KEYS, required=("action", "trigger"))
    return mapped_hook(data, path, model, reader, draft)
