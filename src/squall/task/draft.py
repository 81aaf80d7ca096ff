"""What a translator produces: the task in ``task.model``'s shape, plus where each part came from.

Translators (``native``, ``rally_compat``) only restructure; ``Task.model_validate``
then checks types, and its errors are traced back through ``origins`` to the path
and line the user wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from squall.task.model import SourceFormat
from squall.task.source import Origins, Path, Reader


def workload_path(subtask: int, workload: int) -> Path:
    """The model path of one workload."""
    return ("subtasks", subtask, "workloads", workload)


@dataclass
class Draft:
    source_format: SourceFormat
    task: dict[str, Any] = field(default_factory=dict)
    origins: Origins = field(default_factory=Origins)

    def plugin(
        self, model_path: Path, name: str, args: Any, *, name_at: Path, args_at: Path
    ) -> dict[str, Any]:
        """A ``PluginRef`` in model shape, recording where its name and arguments are."""
        self.origins.add(model_path, name_at)
        self.origins.add((*model_path, "name"), name_at)
        self.origins.add((*model_path, "args"), args_at)
        return {"name": name, "args": args}


def mapped_hook(
    data: dict[Any, Any], path: Path, model: Path, reader: Reader, draft: Draft
) -> dict[str, Any]:
    """A hook written ``{description, action: {name: args}, trigger: {name: args}}`` (squall's
    format and Rally's v2), in model shape; the caller has checked its keys."""
    hook: dict[str, Any] = {}
    if "description" in data:
        hook["description"] = data["description"]
    for part in ("action", "trigger"):
        if part not in data:
            continue
        entry = reader.single_entry(data[part], (*path, part), what=f"hook {part}")
        if entry is not None:
            name, args = entry
            at = (*path, part, name)
            hook[part] = draft.plugin((*model, part), name, args, name_at=at, args_at=at)
    return hook
