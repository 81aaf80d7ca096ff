"""``api_versions``: accepted for Rally task files; squall negotiates API versions itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from squall.contexts.base import Context


@dataclass
class ApiVersions:
    """What the task asked for, per service (kept for the record)."""

    requested: dict[str, Any] = field(default_factory=dict)


class ApiVersionsContext(Context):
    """Accept Rally's ``api_versions`` settings (``{nova: {version: 2.1}, ...}``).

    openstacksdk negotiates each service's version and microversion, so the
    settings are recorded, not applied.
    """

    name: ClassVar[str] = "api_versions"
    order: ClassVar[int] = 150

    class Config(BaseModel):
        model_config = ConfigDict(extra="allow")

    def setup(self) -> None:
        self.context.put(ApiVersions(requested=dict(self.config.model_extra or {})))

    def cleanup(self) -> None:
        return None
