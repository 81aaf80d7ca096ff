"""Finding an image, flavor, volume type or network the way Rally's task types do.

A spec is ``{id}``, ``{name}`` or ``{regex}`` (plus ``accurate``), or a bare string
taken as a name. ``name`` is tried as an exact match first; if nothing matches and
``accurate`` is false it is reused as a regular expression (``re.search``). When
several resources match, the lexicographically last name wins. ``match()`` is pure;
``find_image()`` and friends list the cloud and call it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from squall.errors import ConfigError
from squall.openstack.errors import cloud_errors


class ResourceSpec(BaseModel):
    """Which existing resource to use: by id, exact name or regex."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str | None = None
    name: str | None = None
    regex: str | None = None
    accurate: bool = False

    @model_validator(mode="before")
    @classmethod
    def _bare_name(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one_key(self) -> ResourceSpec:
        if not (self.id or self.name or self.regex):
            raise ValueError("give one of `id`, `name` or `regex`")
        return self

    def describe(self) -> str:
        for key in ("id", "name", "regex"):
            value = getattr(self, key)
            if value:
                return f"{key} {value!r}"
        return "?"


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str


def match(spec: ResourceSpec, candidates: Iterable[Candidate]) -> Candidate | None:
    """The candidate ``spec`` designates, by Rally's rules; None when none does."""
    items = list(candidates)
    if spec.id:
        return next((c for c in items if c.id == spec.id), None)
    pattern = spec.regex
    if spec.name:
        exact = [c for c in items if c.name == spec.name]
        if exact:
            return max(exact, key=lambda c: c.name)
        if spec.accurate:
            return None
        pattern = spec.name
    if pattern is None:
        return None
    try:
        regex = re.compile(pattern)
    except re.error as exc:
        raise ConfigError(f"bad regular expression {pattern!r}: {exc}") from None
    found = [c for c in items if c.name and regex.search(c.name)]
    return max(found, key=lambda c: c.name) if found else None


def _resolve(kind: str, spec: ResourceSpec, candidates: Iterable[Candidate]) -> str:
    items = list(candidates)
    found = match(spec, items)
    if found is None:
        names = ", ".join(sorted(c.name for c in items if c.name)[:10]) or "none"
        raise ConfigError(f"no {kind} matches {spec.describe()}", hint=f"{kind}s here: {names}")
    return found.id


def _candidates(resources: Iterable[Any]) -> list[Candidate]:
    return [Candidate(id=str(r.id), name=str(r.name or "")) for r in resources]


def find_image(conn: Any, spec: ResourceSpec) -> str:
    """The id of the image ``spec`` designates."""
    with cloud_errors("glance.list_images"):
        if spec.id:
            return str(conn.image.get_image(spec.id).id)
        return _resolve("image", spec, _candidates(conn.image.images()))


def find_flavor(conn: Any, spec: ResourceSpec) -> str:
    """The id of the flavor ``spec`` designates."""
    with cloud_errors("nova.list_flavors"):
        if spec.id:
            return str(conn.compute.get_flavor(spec.id).id)
        return _resolve("flavor", spec, _candidates(conn.compute.flavors(details=False)))


def find_network(conn: Any, spec: ResourceSpec) -> str:
    with cloud_errors("neutron.list_networks"):
        if spec.id:
            return str(conn.network.get_network(spec.id).id)
        return _resolve("network", spec, _candidates(conn.network.networks()))


def usable_external(networks: Iterable[Any]) -> Any | None:
    """The external network to use when the task names none: the first one with a subnet
    (a gateway or floating IP needs one), else the first one, else None (pure)."""
    external = list(networks)
    return next((n for n in external if n.subnet_ids), external[0] if external else None)


def find_volume_type(conn: Any, spec: ResourceSpec) -> str:
    with cloud_errors("cinder.list_types"):
        return _resolve("volume type", spec, _candidates(conn.block_storage.types()))
