"""Cinder helpers: volumes and snapshots timed under Rally's ``cinder_v3.*`` names.

``CinderScenario`` adds them to ``OpenStackScenario``; scenarios that also boot
servers mix it with ``NovaScenario`` (``class X(CinderScenario, NovaScenario)``).
Waits are Rally's ``cinder_volume_create`` (create, snapshot, extend) and
``cinder_volume_delete``. ``Size`` is Rally's volume size: an int or ``{min, max}``.
``CinderAdminScenario`` is the base of the admin's scenarios (volume types, QoS specs).
"""

from __future__ import annotations

import random
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from squall.errors import ConfigError
from squall.openstack.errors import cloud_errors
from squall.openstack.journal import ResourceKind
from squall.scenarios.openstack.base import OpenStackScenario

#: cinder's API version in atomic names (Rally's ``cinder_v%s`` with block-storage v3)
CINDER = "cinder_v3"
_FAILED = ("error", "error_extending", "error_restoring")


class SizeRange(BaseModel):
    """A volume size drawn per iteration from ``[min, max]`` GiB."""

    model_config = ConfigDict(extra="forbid")
    min: int = Field(ge=1)
    max: int = Field(ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> SizeRange:
        if self.max < self.min:
            raise ValueError("`max` must be at least `min`")
        return self


Size = Annotated[int, Field(ge=1)] | SizeRange


def pick_size(size: Size) -> int:
    """The size in GiB for this iteration (Rally draws ``{min, max}`` uniformly)."""
    if isinstance(size, SizeRange):
        return random.randint(size.min, size.max)
    return size


def smallest(size: Size) -> int:
    """The fewest GiB a volume of ``size`` takes (preflight counts no more)."""
    return size.min if isinstance(size, SizeRange) else size


def volume_attrs(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Rally's cinderclient keyword arguments -> openstacksdk ``create_volume`` attributes."""
    renames = {"imageRef": "image_id", "source_volid": "source_volume_id"}
    return {renames.get(k, k): v for k, v in kwargs.items() if v is not None}


class CinderScenario(OpenStackScenario):
    """Volume and snapshot operations as Rally's cinder service times them."""

    services: ClassVar[tuple[str, ...]] = ("block-storage",)
    waits: ClassVar[tuple[str, ...]] = ("cinder_volume_create", "cinder_volume_delete")

    @property
    def storage(self) -> Any:
        return self.clients.block_storage

    def _available(self, resource: Any, fetch: Any, ready: tuple[str, ...] = ("available",)) -> Any:
        return self.wait_for_status(
            resource, fetch, "cinder_volume_create", ready=ready, failure=_FAILED
        )

    def _create_volume(self, size: Size, **kwargs: Any) -> Any:
        """Create a volume and wait until available (``cinder_v3.create_volume``)."""
        attrs = volume_attrs(kwargs)
        storage = self.storage
        name = self.generate_name()
        entry = self.track(ResourceKind.VOLUME, name)
        volume = None
        try:
            with self.action(f"{CINDER}.create_volume"):
                volume = storage.create_volume(name=name, size=pick_size(size), **attrs)
                volume = self._available(volume, storage.get_volume)
        finally:
            if volume is None:
                self.tracker.failed(entry)
            else:
                self.tracked(entry, volume.id)
        return volume

    def _delete_volume(self, volume: Any) -> None:
        storage = self.storage
        with self.action(f"{CINDER}.delete_volume"):
            storage.delete_volume(volume)
            self.wait_for_delete(
                lambda: storage.get_volume(volume.id), "cinder_volume_delete", f"volume {volume.id}"
            )
        self.untracked(ResourceKind.VOLUME, volume.id)

    def _get_volume(self, volume_id: str) -> Any:
        with self.action(f"{CINDER}.get_volume"):
            return self.storage.get_volume(volume_id)

    def _list_volumes(self, detailed: bool = True, **query: Any) -> list[Any]:
        with self.action(f"{CINDER}.list_volumes"):
            return list(self.storage.volumes(details=detailed, **query))

    def _update_volume(self, volume: Any, **changes: Any) -> Any:
        with self.action(f"{CINDER}.update_volume"):
            return self.storage.update_volume(volume, **changes)

    def _extend_volume(self, volume: Any, new_size: Size) -> Any:
        storage = self.storage
        with self.action(f"{CINDER}.extend_volume"):
            storage.extend_volume(volume, pick_size(new_size))
            return self._available(volume, storage.get_volume, ("available", "in-use"))

    def _create_snapshot(self, volume_id: str, force: bool = False, **kwargs: Any) -> Any:
        """Snapshot a volume and wait until available (``cinder_v3.create_snapshot``)."""
        storage = self.storage
        attrs = {k: v for k, v in kwargs.items() if v is not None}
        name = self.generate_name()
        entry = self.track(ResourceKind.VOLUME_SNAPSHOT, name)
        snapshot = None
        try:
            with self.action(f"{CINDER}.create_snapshot"):
                snapshot = storage.create_snapshot(
                    name=name, volume_id=volume_id, force=force, **attrs
                )
                snapshot = self._available(snapshot, storage.get_snapshot)
        finally:
            if snapshot is None:
                self.tracker.failed(entry)
            else:
                self.tracked(entry, snapshot.id)
        return snapshot

    def _delete_snapshot(self, snapshot: Any) -> None:
        storage = self.storage
        with self.action(f"{CINDER}.delete_snapshot"):
            storage.delete_snapshot(snapshot)
            self.wait_for_delete(
                lambda: storage.get_snapshot(snapshot.id),
                "cinder_volume_delete",
                f"snapshot {snapshot.id}",
            )
        self.untracked(ResourceKind.VOLUME_SNAPSHOT, snapshot.id)

    def _list_snapshots(self, detailed: bool = True) -> list[Any]:
        with self.action(f"{CINDER}.list_snapshots"):
            return list(self.storage.snapshots(details=detailed))

    def _context_volume(self) -> Any:
        """A random volume of the tenant (``volumes`` context), fetched outside timing."""
        ids = self.tenant.volumes
        if not ids:
            raise ConfigError(
                f"{self.name} needs volumes in the tenant",
                hint="add the `volumes` context: {volumes: {size: 1}}",
            )
        with cloud_errors("get volume"):
            return self.storage.get_volume(random.choice(ids))


class CinderAdminScenario(OpenStackScenario):
    """Cinder calls as the admin: volume types and QoS specs."""

    services: ClassVar[tuple[str, ...]] = ("block-storage",)
    needs_admin: ClassVar[bool] = True

    @property
    def admin_storage(self) -> Any:
        return self.admin_clients.block_storage

    def context_volume_type(self) -> Any:
        """A ``volume_types`` context type, picked by iteration number as Rally does,
        fetched outside timing."""
        names = self.tenant.volume_types
        if not names:
            raise ConfigError(
                f"{self.name} needs volume types", hint="add the `volume_types` context"
            )
        name = names[self.iteration % len(names)]
        with cloud_errors(f"{CINDER}.get_volume_type"):
            return self.admin_storage.find_type(name, ignore_missing=False)
