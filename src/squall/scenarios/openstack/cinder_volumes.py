"""CinderVolumes.*: volumes and snapshots (Rally's names, arguments and atomics).

Rally passes its scenarios' ``**kwargs`` to the volume create call; the usual
ones (``volume_type``, ``availability_zone``, ``metadata``, ``description``) are
typed here, so a misspelt one is a validation error instead of an API error.
Scenarios that need existing volumes take them from the ``volumes`` context.
"""

from __future__ import annotations

import random
from typing import Any, ClassVar

from pydantic import BaseModel, Field

from squall.errors import CloudError
from squall.openstack.lookup import ResourceSpec, find_image
from squall.openstack.quota import QuotaUse
from squall.scenarios.openstack._cinder import CINDER, CinderScenario, Size, smallest
from squall.scenarios.openstack._nova import BootArgs
from squall.scenarios.openstack._nova_ops import ServerOps
from squall.scenarios.openstack.base import OpenStackArgs


class VolumeKwargs(OpenStackArgs):
    """The create-call options Rally scenarios accept as ``**kwargs``."""

    volume_type: str | None = None
    availability_zone: str | None = None
    metadata: dict[str, str] | None = None
    description: str | None = None

    def create_kwargs(self) -> dict[str, Any]:
        return {
            "volume_type": self.volume_type,
            "availability_zone": self.availability_zone,
            "metadata": self.metadata,
            "description": self.description,
        }


class CreateArgs(VolumeKwargs):
    size: Size
    image: ResourceSpec | None = None


class VolumeScenario(CinderScenario):
    #: True when each iteration's volume stays until the workload's sweep (also when
    #: its ``do_delete`` argument is false)
    keeps_volume: ClassVar[bool] = False

    @classmethod
    def quota_use(cls, config: BaseModel) -> QuotaUse:
        size = getattr(config, "size", None)
        if size is None:
            return QuotaUse()
        return cls.volume_use(config, volumes=1, gigabytes=smallest(size))

    @classmethod
    def volume_use(cls, config: BaseModel, **counts: int) -> QuotaUse:
        keeps = cls.keeps_volume or not getattr(config, "do_delete", True)
        return QuotaUse.of("cinder", keeps=keeps, **counts)

    def _create_from(self, cfg: CreateArgs, **extra: Any) -> Any:
        kwargs = cfg.create_kwargs()
        if cfg.image is not None:
            kwargs["imageRef"] = self._image_id(cfg.image)
        return self._create_volume(cfg.size, **{**kwargs, **extra})

    def _image_id(self, spec: ResourceSpec) -> str:
        return find_image(self.clients, spec)


class CreateVolume(VolumeScenario):
    """Create a volume (deleted by the workload's sweep)."""

    name: ClassVar[str] = "CinderVolumes.create_volume"
    keeps_volume: ClassVar[bool] = True
    waits: ClassVar[tuple[str, ...]] = ("cinder_volume_create",)
    Config = CreateArgs

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateArgs)
        self._create_from(cfg)


class CreateAndDeleteVolume(VolumeScenario):
    """Create a volume, sleep a random time, delete it."""

    name: ClassVar[str] = "CinderVolumes.create_and_delete_volume"

    class Config(CreateArgs):
        min_sleep: float = Field(0, ge=0)
        max_sleep: float = Field(0, ge=0)

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndDeleteVolume.Config)
        volume = self._create_from(cfg)
        self.sleep_between(cfg.min_sleep, cfg.max_sleep)
        self._delete_volume(volume)


class CreateAndListVolume(VolumeScenario):
    """Create a volume, then list volumes."""

    name: ClassVar[str] = "CinderVolumes.create_and_list_volume"
    keeps_volume: ClassVar[bool] = True
    waits: ClassVar[tuple[str, ...]] = ("cinder_volume_create",)

    class Config(CreateArgs):
        detailed: bool = True

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndListVolume.Config)
        self._create_from(cfg)
        self._list_volumes(cfg.detailed)


class CreateAndGetVolume(VolumeScenario):
    """Create a volume, then show it."""

    name: ClassVar[str] = "CinderVolumes.create_and_get_volume"
    keeps_volume: ClassVar[bool] = True
    waits: ClassVar[tuple[str, ...]] = ("cinder_volume_create",)
    Config = CreateArgs

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateArgs)
        volume = self._create_from(cfg)
        self._get_volume(volume.id)


class ListVolumes(CinderScenario):
    """List the user's volumes."""

    name: ClassVar[str] = "CinderVolumes.list_volumes"
    waits: ClassVar[tuple[str, ...]] = ()

    class Config(OpenStackArgs):
        detailed: bool = True
        search_opts: dict[str, Any] | None = None
        marker: str | None = None
        limit: int | None = Field(None, ge=1)
        sort: str | None = None

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, ListVolumes.Config)
        query = {**(cfg.search_opts or {}), "marker": cfg.marker, "limit": cfg.limit}
        query["sort"] = cfg.sort
        self._list_volumes(cfg.detailed, **{k: v for k, v in query.items() if v is not None})


class ListTypes(CinderScenario):
    """List volume types."""

    name: ClassVar[str] = "CinderVolumes.list_types"
    waits: ClassVar[tuple[str, ...]] = ()

    class Config(OpenStackArgs):
        search_opts: dict[str, Any] | None = None
        is_public: bool | None = None

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, ListTypes.Config)
        query = dict(cfg.search_opts or {})
        if cfg.is_public is not None:
            query["is_public"] = cfg.is_public
        with self.action(f"{CINDER}.list_types"):
            list(self.storage.types(**query))


class CreateAndUpdateVolume(VolumeScenario):
    """Create a volume, then update its name and/or description."""

    name: ClassVar[str] = "CinderVolumes.create_and_update_volume"
    keeps_volume: ClassVar[bool] = True
    waits: ClassVar[tuple[str, ...]] = ("cinder_volume_create",)

    class Config(OpenStackArgs):
        size: Size
        image: ResourceSpec | None = None
        create_volume_kwargs: dict[str, Any] | None = None
        update_volume_kwargs: dict[str, Any] | None = None

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndUpdateVolume.Config)
        create = dict(cfg.create_volume_kwargs or {})
        if cfg.image is not None:
            create["imageRef"] = self._image_id(cfg.image)
        update = dict(cfg.update_volume_kwargs or {})
        if update.pop("update_name", False):
            update["name"] = self.generate_name()
        volume = self._create_volume(cfg.size, **create)
        self._update_volume(volume, **update)


class CreateAndExtendVolume(VolumeScenario):
    """Create a volume, extend it to ``new_size``, sleep, delete it."""

    name: ClassVar[str] = "CinderVolumes.create_and_extend_volume"

    class Config(VolumeKwargs):
        size: Size
        new_size: Size
        min_sleep: float = Field(0, ge=0)
        max_sleep: float = Field(0, ge=0)

    @classmethod
    def quota_use(cls, config: BaseModel) -> QuotaUse:
        assert isinstance(config, CreateAndExtendVolume.Config)
        gigabytes = max(smallest(config.size), smallest(config.new_size))
        return cls.volume_use(config, volumes=1, gigabytes=gigabytes)

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndExtendVolume.Config)
        volume = self._create_volume(cfg.size, **cfg.create_kwargs())
        self._extend_volume(volume, cfg.new_size)
        self.sleep_between(cfg.min_sleep, cfg.max_sleep)
        self._delete_volume(volume)


class CreateFromVolumeAndDeleteVolume(VolumeScenario):
    """Clone a ``volumes`` context volume into a new one, sleep, delete the clone."""

    name: ClassVar[str] = "CinderVolumes.create_from_volume_and_delete_volume"

    class Config(VolumeKwargs):
        size: Size
        min_sleep: float = Field(0, ge=0)
        max_sleep: float = Field(0, ge=0)

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateFromVolumeAndDeleteVolume.Config)
        source = self._context_volume()
        volume = self._create_volume(cfg.size, source_volid=source.id, **cfg.create_kwargs())
        self.sleep_between(cfg.min_sleep, cfg.max_sleep)
        self._delete_volume(volume)


class _SnapshotArgs(OpenStackArgs):
    force: bool = False
    description: str | None = None
    metadata: dict[str, str] | None = None


class CreateAndDeleteSnapshot(CinderScenario):
    """Snapshot a ``volumes`` context volume, sleep, delete the snapshot."""

    name: ClassVar[str] = "CinderVolumes.create_and_delete_snapshot"

    class Config(_SnapshotArgs):
        min_sleep: float = Field(0, ge=0)
        max_sleep: float = Field(0, ge=0)

    @classmethod
    def quota_use(cls, config: BaseModel) -> QuotaUse:
        snapshot = QuotaUse.of("cinder", keeps=False, snapshots=1)
        return snapshot + QuotaUse.copies(keeps=False, count=1)

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndDeleteSnapshot.Config)
        volume = self._context_volume()
        snapshot = self._create_snapshot(
            volume.id, cfg.force, description=cfg.description, metadata=cfg.metadata
        )
        self.sleep_between(cfg.min_sleep, cfg.max_sleep)
        self._delete_snapshot(snapshot)


class CreateAndListSnapshots(CinderScenario):
    """Snapshot a ``volumes`` context volume, then list snapshots."""

    name: ClassVar[str] = "CinderVolumes.create_and_list_snapshots"
    waits: ClassVar[tuple[str, ...]] = ("cinder_volume_create",)

    class Config(_SnapshotArgs):
        detailed: bool = True

    @classmethod
    def quota_use(cls, config: BaseModel) -> QuotaUse:
        snapshot = QuotaUse.of("cinder", keeps=True, snapshots=1)
        return snapshot + QuotaUse.copies(keeps=True, count=1)

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndListSnapshots.Config)
        volume = self._context_volume()
        self._create_snapshot(
            volume.id, cfg.force, description=cfg.description, metadata=cfg.metadata
        )
        self._list_snapshots(cfg.detailed)


class CreateVolumeFromSnapshot(CinderScenario):
    """Snapshot a ``volumes`` context volume, create a volume from it, delete both."""

    name: ClassVar[str] = "CinderVolumes.create_volume_from_snapshot"

    class Config(VolumeKwargs):
        do_delete: bool = True
        create_snapshot_kwargs: dict[str, Any] | None = None

    @classmethod
    def quota_use(cls, config: BaseModel) -> QuotaUse:
        assert isinstance(config, CreateVolumeFromSnapshot.Config)
        keeps = not config.do_delete
        made = QuotaUse.of("cinder", keeps=keeps, volumes=1, snapshots=1)
        return made + QuotaUse.copies(keeps=keeps, count=2)  # both the context volume's size

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateVolumeFromSnapshot.Config)
        source = self._context_volume()
        snapshot = self._create_snapshot(source.id, **(cfg.create_snapshot_kwargs or {}))
        volume = self._create_volume(source.size, snapshot_id=snapshot.id, **cfg.create_kwargs())
        if cfg.do_delete:
            self._delete_volume(volume)
            self._delete_snapshot(snapshot)


class CreateVolumeAndClone(VolumeScenario):
    """Create a volume, then clone it ``nested_level`` times (each clone of the last)."""

    name: ClassVar[str] = "CinderVolumes.create_volume_and_clone"
    keeps_volume: ClassVar[bool] = True
    waits: ClassVar[tuple[str, ...]] = ("cinder_volume_create",)

    class Config(CreateArgs):
        nested_level: int = Field(1, ge=1)

    @classmethod
    def quota_use(cls, config: BaseModel) -> QuotaUse:
        assert isinstance(config, CreateVolumeAndClone.Config)
        volumes = 1 + config.nested_level  # the clones are the source's size
        return cls.volume_use(config, volumes=volumes, gigabytes=volumes * smallest(config.size))

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateVolumeAndClone.Config)
        source = self._create_from(cfg)
        for _ in range(cfg.nested_level):
            with self.action("cinder.clone_volume"):
                source = self._create_volume(
                    source.size, source_volid=source.id, **cfg.create_kwargs()
                )


class CreateAndAttachVolume(CinderScenario, ServerOps):
    """Boot a server, create a volume, attach it, detach it, delete both."""

    name: ClassVar[str] = "CinderVolumes.create_and_attach_volume"
    services: ClassVar[tuple[str, ...]] = ("compute", "block-storage")
    waits: ClassVar[tuple[str, ...]] = (
        "nova_server_boot",
        "cinder_volume_create",
        "nova_server_resize_revert",
        "nova_detach_volume",
        "cinder_volume_delete",
        "nova_server_delete",
    )

    class Config(BootArgs):
        size: Size
        create_volume_params: dict[str, Any] | None = None
        create_vm_params: dict[str, Any] | None = None
        force_delete: bool = False

    @classmethod
    def quota_use(cls, config: BaseModel) -> QuotaUse:
        assert isinstance(config, CreateAndAttachVolume.Config)
        return QuotaUse.of("cinder", keeps=False, volumes=1, gigabytes=smallest(config.size))

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndAttachVolume.Config)
        server = self._boot_with({**self.boot_attrs(cfg), **(cfg.create_vm_params or {})})
        volume = self._create_volume(cfg.size, **(cfg.create_volume_params or {}))
        self._attach_volume(server, volume)
        self._detach_volume(server, volume)
        self._delete_volume(volume)
        self._delete_server(server, force=cfg.force_delete)


class ModifyVolumeMetadata(CinderScenario):
    """Set ``sets`` × ``set_size`` metadata keys on a context volume, delete some."""

    name: ClassVar[str] = "CinderVolumes.modify_volume_metadata"
    waits: ClassVar[tuple[str, ...]] = ()

    class Config(OpenStackArgs):
        sets: int = Field(10, ge=0)
        set_size: int = Field(3, ge=0)
        deletes: int = Field(5, ge=0)
        delete_size: int = Field(3, ge=0)

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, ModifyVolumeMetadata.Config)
        if cfg.sets * cfg.set_size < cfg.deletes * cfg.delete_size:
            raise CloudError(
                f"not enough metadata keys: setting {cfg.sets * cfg.set_size}, "
                f"deleting {cfg.deletes * cfg.delete_size}"
            )
        volume = self._context_volume()
        keys: list[str] = []
        with self.action(f"{CINDER}.set_{cfg.set_size}_metadatas_{cfg.sets}_times"):
            for _ in range(cfg.sets):
                batch = {self.generate_name(): self.generate_name() for _ in range(cfg.set_size)}
                self.storage.set_volume_metadata(volume.id, **batch)
                keys += list(batch)
        random.shuffle(keys)
        with self.action(f"{CINDER}.delete_{cfg.delete_size}_metadatas_{cfg.deletes}_times"):
            for index in range(cfg.deletes):
                chunk = keys[index * cfg.delete_size : (index + 1) * cfg.delete_size]
                self.storage.delete_volume_metadata(volume.id, chunk)
