"""The core operations of each OpenStack service, read from ``catalogue.yaml``.

It is data so that adding a service or an operation is an edit to one file; the
models here only give it types. ``squall init-jobs --list-services`` prints it.
"""

from __future__ import annotations

import difflib
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from squall.errors import ConfigError

Need = Literal["image", "flavor", "image_location"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Operation(_Model):
    """One workload of a service's task: a scenario under a constant runner."""

    scenario: str
    args: dict[str, Any] = Field(default_factory=dict)
    needs: list[Need] = Field(default_factory=list)
    times: int = Field(10, ge=1)
    concurrency: int = Field(2, ge=1)
    contexts: dict[str, Any] = Field(default_factory=dict)
    quotas: dict[str, dict[str, int]] = Field(default_factory=dict)
    atomics: dict[str, float] = Field(default_factory=dict)
    """Atomic action name -> maximum average duration (seconds)."""


class Service(_Model):
    """One OpenStack service: how to recognise its repository, and what to run."""

    name: str
    title: str
    packages: list[str] = Field(default_factory=list)
    scripts: list[str] = Field(default_factory=list)
    api_ref: list[str] = Field(default_factory=list)
    admin: bool = False
    devstack_plugin: bool = False
    """DevStack deploys it only through its plugin, which the job must enable."""
    operations: list[Operation] = Field(default_factory=list)
    missing: str = ""
    """What a project would add, for services squall has no (or few) scenarios for."""

    @property
    def scenarios(self) -> list[str]:
        return [op.scenario for op in self.operations]


class Catalogue(_Model):
    services: dict[str, Service]

    def get(self, name: str) -> Service:
        """The service called ``name`` (case-insensitive); ``ConfigError`` if unknown."""
        service = self.services.get(name.lower())
        if service is None:
            near = difflib.get_close_matches(name.lower(), list(self.services), n=1)
            hint = f"did you mean {near[0]!r}? " if near else ""
            raise ConfigError(
                f"unknown service {name!r}",
                hint=f"{hint}known services: {', '.join(sorted(self.services))}",
            )
        return service

    def by_scenario(self) -> dict[str, list[str]]:
        """Scenario name -> the services whose core operations use it."""
        table: dict[str, list[str]] = {}
        for service in self.services.values():
            for scenario in service.scenarios:
                table.setdefault(scenario, []).append(service.name)
        return table


@cache
def load_catalogue() -> Catalogue:
    """The catalogue shipped with squall."""
    text = resources.files("squall.jobs").joinpath("catalogue.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    return Catalogue(services={name: {"name": name, **entry} for name, entry in raw.items()})
