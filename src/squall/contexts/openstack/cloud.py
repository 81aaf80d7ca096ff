"""``cloud``: which of the run's clouds a workload acts on (squall's; Rally has one).

``squall task start --cloud east --cloud west`` gives a run several clouds (or
regions); a workload without this context acts on the first. With
``cloud: west`` (or ``cloud: {name: west/RegionTwo}``) every later context, every
iteration, the journal rows and the end-of-workload sweep use that cloud instead,
so one task can drive each cloud with its own workloads.

``cloud: all`` or ``cloud: [east, west]`` writes the workload once for several
clouds: before the run, ``squall.task.clouds.expand_clouds`` makes it one workload
per cloud (each with ``cloud: NAME``, its own results and its own SLA verdict).
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from squall.contexts.openstack._base import OpenStackContext
from squall.errors import ConfigError
from squall.openstack.cloud import OpenStackEnv
from squall.task.clouds import EVERY_CLOUD


class CloudChoice(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str | list[str] = Field(
        description="a cloud of the run (NAME or NAME/REGION); `all` or a list: one "
        "workload per cloud"
    )

    @model_validator(mode="before")
    @classmethod
    def _bare_name(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str | list) else value

    @field_validator("name")
    @classmethod
    def _names(cls, value: str | list[str]) -> str | list[str]:
        names = [value] if isinstance(value, str) else value
        if not names:
            raise ValueError("name at least one cloud, or write `all`")
        if any(not n.strip() for n in names):
            raise ValueError("a cloud name is empty")
        if isinstance(value, list):
            if EVERY_CLOUD in value:
                raise ValueError("`all` stands alone, not in a list")
            repeated = sorted({n for n in value if value.count(n) > 1})
            if repeated:
                raise ValueError(f"cloud {', '.join(repeated)} is named twice")
        return value

    @property
    def one(self) -> bool:
        """True when it names a single cloud (not ``all``, not a list)."""
        return isinstance(self.name, str) and self.name != EVERY_CLOUD


class CloudContext(OpenStackContext):
    """Act on the named cloud of the run instead of the first one; ``all`` or a list
    of clouds runs the workload once on each of them."""

    name: ClassVar[str] = "cloud"
    order: ClassVar[int] = 10  # before every context that creates something
    Config = CloudChoice

    def setup(self) -> None:
        assert isinstance(self.config, CloudChoice)
        if not isinstance(self.config.name, str):
            raise ConfigError(
                f"cloud: {self.config.name} was not made one workload per cloud",
                hint="run the task with squall.api.openstack.prepare(), which does it",
            )
        self.context.put(self.context.require(OpenStackEnv).for_cloud(self.config.name))

    def cleanup(self) -> None:
        return None  # the run's clouds are closed with the run
