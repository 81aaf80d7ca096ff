"""What a translator produces: the task in ``task.model``'s shape, plus where each part came from.

Translators (``native``, ``rally_compat``) only restructure; ``Task.model_validate``
then checks types, and its errors are traced back through ``origins`` to the path
and line the user wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from squall.task.model import SourceFormat
from squall.task.source import Origins, Path


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
