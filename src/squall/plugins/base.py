"""What every plugin class declares: its family, its name, its typed arguments."""

from __future__ import annotations

from typing import ClassVar

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
