"""CinderVolumes.*: transfers, read-only flag, snapshots with attachments, backups and
volume-to-image uploads (Rally's names, arguments and ``cinder_v3.*`` atomics).

Backups need cinder's backup service; uploads need a cinder that can write images.
"""

from __future__ import annotations

import random
from typing import Any, ClassVar

from pydantic import BaseModel, Field

from squall.openstack.journal import ResourceKind
from squall.openstack.quota import QuotaUse
from squall.scenarios.openstack._cinder import CINDER, CinderScenario, Size, SizeRange, smallest
from squall.scenarios.openstack._glance import ImageRef
from squall.scenarios.openstack._nova import BootArgs
from squall.scenarios.openstack._nova_ops import ServerOps
from squall.scenarios.openstack.cinder_volumes import CreateArgs, VolumeKwargs, VolumeScenario


class CreateAndAcceptTransfer(VolumeScenario):
    """Create a volume, offer it for transfer, accept the transfer."""

    name: ClassVar[str] = "CinderVolumes.create_and_accept_transfer"
    keeps_volume: ClassVar[bool] = True  # accepted into the same project
    waits: ClassVar[tuple[str, ...]] = ("cinder_volume_create",)
    Config = CreateArgs

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateArgs)
        volume = self._create_from(cfg)
        with self.action(f"{CINDER}.transfer_create"):
            transfer = self.storage.create_transfer(volume_id=volume.id, name=self.generate_name())
        with self.action(f"{CINDER}.transfer_accept"):
            self.storage.accept_transfer(transfer.id, transfer.auth_key)


class ListTransfers(CinderScenario):
    """List volume transfers."""

    name: ClassVar[str] = "CinderVolumes.list_transfers"
    waits: ClassVar[tuple[str, ...]] = ()

    class Config(VolumeKwargs):
        detailed: bool = True
        search_opts: dict[str, Any] | None = None

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, ListTransfers.Config)
        with self.action(f"{CINDER}.list_transfers"):
            list(self.storage.transfers(details=cfg.detailed, **(cfg.search_opts or {})))


class CreateVolumeAndUpdateReadonlyFlag(VolumeScenario):
    """Create a volume, then set its read-only flag."""

    name: ClassVar[str] = "CinderVolumes.create_volume_and_update_readonly_flag"
    keeps_volume: ClassVar[bool] = True
    waits: ClassVar[tuple[str, ...]] = ("cinder_volume_create",)

    class Config(CreateArgs):
        read_only: bool = True

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateVolumeAndUpdateReadonlyFlag.Config)
        volume = self._create_from(cfg)
        with self.action(f"{CINDER}.update_readonly_flag"):
            self.storage.set_volume_readonly(volume, cfg.read_only)


_ATTACH_WAITS = (
    "cinder_volume_create",
    "nova_server_boot",
    "nova_server_resize_revert",
    "nova_detach_volume",
    "cinder_volume_delete",
    "nova_server_delete",
)


class CreateSnapshotAndAttachVolume(CinderScenario, ServerOps):
    """Create a volume and a snapshot of it, boot a server, attach and detach the
    volume, delete the snapshot, the volume and the server."""

    name: ClassVar[str] = "CinderVolumes.create_snapshot_and_attach_volume"
    services: ClassVar[tuple[str, ...]] = ("compute", "block-storage")
    waits: ClassVar[tuple[str, ...]] = _ATTACH_WAITS

    class Config(BootArgs):
        volume_type: str | None = None
        size: Size = Field(default_factory=lambda: SizeRange(min=1, max=5))
        create_vm_params: dict[str, Any] | None = None
        force: bool = False
        description: str | None = None

    @classmethod
    def quota_use(cls, config: BaseModel) -> QuotaUse:
        assert isinstance(config, CreateSnapshotAndAttachVolume.Config)
        gigabytes = 2 * smallest(config.size)  # the volume and its snapshot
        return QuotaUse.of("cinder", keeps=False, volumes=1, gigabytes=gigabytes, snapshots=1)

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateSnapshotAndAttachVolume.Config)
        volume = self._create_volume(cfg.size, volume_type=cfg.volume_type)
        snapshot = self._create_snapshot(volume.id, False, description=cfg.description)
        server = self._boot_with({**self.boot_attrs(cfg), **(cfg.create_vm_params or {})})
        self._attach_volume(server, volume)
        self._detach_volume(server, volume)
        self._delete_snapshot(snapshot)
        self._delete_volume(volume)
        self._delete_server(server)


class CreateNestedSnapshotsAndAttachVolume(CinderScenario, ServerOps):
    """Boot a server; ``nested_level`` times: a volume (from the last snapshot after the
    first), a snapshot of it, attached to the server; then undo it all in reverse."""

    name: ClassVar[str] = "CinderVolumes.create_nested_snapshots_and_attach_volume"
    services: ClassVar[tuple[str, ...]] = ("compute", "block-storage")
    waits: ClassVar[tuple[str, ...]] = _ATTACH_WAITS

    class Config(BootArgs):
        size: Size = Field(default_factory=lambda: SizeRange(min=1, max=5))
        nested_level: int = Field(1, ge=1)
        create_volume_kwargs: dict[str, Any] | None = None
        create_snapshot_kwargs: dict[str, Any] | None = None
        create_vm_params: dict[str, Any] | None = None

    @classmethod
    def quota_use(cls, config: BaseModel) -> QuotaUse:
        assert isinstance(config, CreateNestedSnapshotsAndAttachVolume.Config)
        n, size = config.nested_level, smallest(config.size)
        gigabytes = 2 * n * size  # the volumes and their snapshots, all of the first's size
        return QuotaUse.of("cinder", keeps=False, volumes=n, gigabytes=gigabytes, snapshots=n)

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateNestedSnapshotsAndAttachVolume.Config)
        size = cfg.size if isinstance(cfg.size, int) else random.randint(cfg.size.min, cfg.size.max)
        snap_args = cfg.create_snapshot_kwargs or {}
        server = self._boot_with({**self.boot_attrs(cfg), **(cfg.create_vm_params or {})})
        volume = self._create_volume(size, **(cfg.create_volume_kwargs or {}))
        snapshot = self._create_snapshot(volume.id, False, **snap_args)
        self._attach_volume(server, volume)
        nested = [(volume, snapshot)]
        for _ in range(cfg.nested_level - 1):
            volume = self._create_volume(size, snapshot_id=snapshot.id)
            snapshot = self._create_snapshot(volume.id, False, **snap_args)
            self._attach_volume(server, volume)
            nested.append((volume, snapshot))
        for volume, snapshot in reversed(nested):
            self._detach_volume(server, volume)
            self._delete_snapshot(snapshot)
            self._delete_volume(volume)
        self._delete_server(server)


class BackupArgs(VolumeKwargs):
    size: Size
    do_delete: bool = True
    create_volume_kwargs: dict[str, Any] | None = None
    create_backup_kwargs: dict[str, Any] | None = None


class BackupScenario(CinderScenario):
    waits: ClassVar[tuple[str, ...]] = (
        "cinder_volume_create",
        "cinder_backup",
        "cinder_volume_delete",
    )
    Config = BackupArgs
    #: backups one iteration makes of its volume
    backups: ClassVar[int] = 1

    @classmethod
    def quota_use(cls, config: BaseModel) -> QuotaUse:
        assert isinstance(config, BackupArgs)
        gigabytes = smallest(config.size)
        return QuotaUse.of(
            "cinder",
            keeps=not config.do_delete,
            volumes=1,
            gigabytes=gigabytes,
            backups=cls.backups,
        )

    def _create_backup(self, volume_id: str, **kwargs: Any) -> Any:
        storage = self.storage
        name = self.generate_name()
        entry = self.track(ResourceKind.VOLUME_BACKUP, name)
        backup = None
        try:
            with self.action(f"{CINDER}.create_backup"):
                backup = storage.create_backup(name=name, volume_id=volume_id, **kwargs)
                backup = self._available(backup, storage.get_backup)
        finally:
            if backup is None:
                self.tracker.failed(entry)
            else:
                self.tracked(entry, backup.id)
        return backup

    def _delete_backup(self, backup: Any) -> None:
        storage = self.storage
        with self.action(f"{CINDER}.delete_backup"):
            storage.delete_backup(backup)
            self.wait_for_delete(
                lambda: storage.get_backup(backup.id), "cinder_volume_delete", f"backup {backup.id}"
            )
        self.untracked(ResourceKind.VOLUME_BACKUP, backup.id)

    def volume_and_backup(self) -> tuple[Any, Any]:
        cfg = self.config
        assert isinstance(cfg, BackupArgs)
        volume = self._create_volume(cfg.size, **(cfg.create_volume_kwargs or {}))
        return volume, self._create_backup(volume.id, **(cfg.create_backup_kwargs or {}))

    def clean(self, volume: Any, backup: Any) -> None:
        cfg = self.config
        assert isinstance(cfg, BackupArgs)
        if cfg.do_delete:
            self._delete_volume(volume)
            self._delete_backup(backup)


class CreateVolumeBackup(BackupScenario):
    """Create a volume and a backup of it, delete both."""

    name: ClassVar[str] = "CinderVolumes.create_volume_backup"

    def run(self) -> None:
        self.clean(*self.volume_and_backup())


class CreateAndRestoreVolumeBackup(BackupScenario):
    """Create a volume and a backup, restore the backup to a new volume, delete."""

    name: ClassVar[str] = "CinderVolumes.create_and_restore_volume_backup"

    @classmethod
    def quota_use(cls, config: BaseModel) -> QuotaUse:
        """The restored volume is kept whatever ``do_delete`` says."""
        assert isinstance(config, BackupArgs)
        restored = QuotaUse.of("cinder", keeps=True, volumes=1, gigabytes=smallest(config.size))
        return super().quota_use(config) + restored

    def run(self) -> None:
        volume, backup = self.volume_and_backup()
        storage = self.storage
        name = self.generate_name()
        entry = self.track(ResourceKind.VOLUME, name)
        restored = None
        try:
            with self.action(f"{CINDER}.restore_backup"):
                restored = storage.restore_backup(backup, name=name)
                restored = self._available(restored, lambda r: storage.get_volume(r.volume_id))
        finally:
            if restored is None:
                self.tracker.failed(entry)
            else:
                self.tracked(entry, str(getattr(restored, "volume_id", None) or restored.id))
        self.clean(volume, backup)


class CreateAndListVolumeBackups(BackupScenario):
    """Create a volume and a backup, list backups, delete."""

    name: ClassVar[str] = "CinderVolumes.create_and_list_volume_backups"

    class Config(BackupArgs):
        detailed: bool = True

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndListVolumeBackups.Config)
        volume, backup = self.volume_and_backup()
        with self.action(f"{CINDER}.list_backups"):
            list(self.storage.backups(details=cfg.detailed))
        self.clean(volume, backup)


class CreateAndUploadVolumeToImage(VolumeScenario):
    """Create a volume, upload it to a new image (wait until active), delete both."""

    name: ClassVar[str] = "CinderVolumes.create_and_upload_volume_to_image"
    waits: ClassVar[tuple[str, ...]] = (
        "cinder_volume_create",
        "glance_image_create",
        "cinder_volume_delete",
    )

    class Config(CreateArgs):
        force: bool = False
        container_format: str = "bare"
        disk_format: str = "raw"
        do_delete: bool = True

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndUploadVolumeToImage.Config)
        volume = self._create_from(cfg)
        storage, glance = self.storage, self.clients.image
        name = self.generate_name()
        entry = self.track(ResourceKind.IMAGE, name)
        image_id: str | None = None
        try:
            with self.action(f"{CINDER}.upload_volume_to_image"):
                answer = storage.upload_volume_to_image(
                    volume,
                    name,
                    force=cfg.force,
                    disk_format=cfg.disk_format,
                    container_format=cfg.container_format,
                )
                image_id = str(answer["image_id"])
                self._available(volume, storage.get_volume)
                self.wait_for_status(
                    ImageRef(image_id),
                    lambda i: glance.get_image(i.id),
                    "glance_image_create",
                    ready=("active",),
                    failure=("killed", "deleted"),
                )
        finally:
            if image_id is None:
                self.tracker.failed(entry)
            else:
                self.tracked(entry, image_id)
        if cfg.do_delete:
            self._delete_volume(volume)
            with self.action("glance_v2.delete_image"):
                glance.delete_image(image_id)
            self.untracked(ResourceKind.IMAGE, str(image_id))
