"""What every plugin class declares: its family, its name, its typed arguments."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from squall.plugins.families import Family


class NoArgs(BaseModel):
    """Arguments of a plugin that takes none."""

    model_config = ConfigDict(extra="forbid")


class Plugin:
    """Base of every plugin class.

    ``name`` is what task files write; ``Config`` is the pydantic model of the
    plugin's arguments, validated when a task is loaded. The class docstring is the
    plugin's documentation (``squall plugins show``).
    """

    family: ClassVar[Family]
    name: ClassVar[str]
    Config: ClassVar[type[BaseModel]] = NoArgs
    #: Task files may give a bare value instead of a mapping (Rally writes
    #: ``max_avg_duration: 0.5`` and ``sys_call: "cmd"``); it goes to this field.
    scalar_field: ClassVar[str | None] = None

    @classmethod
    def parse_config(cls, raw: Any) -> BaseModel:
        """Validate raw task-file arguments (a mapping, or a bare scalar)."""
        if raw is None:
            raw = {}
        if cls.scalar_field is not None and not isinstance(raw, dict):
            raw = {cls.scalar_field: raw}
        return cls.Config.model_validate(raw)
