"""``cloud``: which of the run's clouds a workload acts on (squall's; Rally has one).

``squall task start --cloud east --cloud west`` gives a run several clouds (or
regions); a workload without this context acts on the first. With
``cloud: west`` (or ``cloud: {name: west/RegionTwo}``) every later context, every
iteration, the journal rows and the end-of-workload sweep use that cloud instead,
so one task can drive each cloud with its own workloads.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from squall.contexts.openstack._base import OpenStackContext
from squall.openstack.cloud import OpenStackEnv


class CloudChoice(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1, description="a cloud of the run: NAME or NAME/REGION")

    @model_validator(mode="before")
    @classmethod
    def _bare_name(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value


class CloudContext(OpenStackContext):
    """Act on the named cloud of the run instead of the first one."""

    name: ClassVar[str] = "cloud"
    order: ClassVar[int] = 10  # before every context that creates something
    Config = CloudChoice

    def setup(self) -> None:
        assert isinstance(self.config, CloudChoice)
        self.context.put(self.context.require(OpenStackEnv).for_cloud(self.config.name))

    def cleanup(self) -> None:
        return None  # the run's clouds are closed with the run
