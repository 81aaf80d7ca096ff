"""NovaServers.*: servers with volumes - booted from one (made from an image or a
snapshot), or with new volumes attached, then resized or extended.

Rally's names, arguments and atomic names. Rally's legacy block device mapping
(``{vda: "<id>:::0"}``) is sent as the equivalent ``block_device_mapping_v2``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from squall.errors import CloudError
from squall.openstack.lookup import ResourceSpec
from squall.scenarios.openstack._cinder import CinderScenario, Size
from squall.scenarios.openstack._nova import BootArgs
from squall.scenarios.openstack._nova_ops import ServerOps
from squall.scenarios.openstack.nova_servers_lifecycle import ResizeArgs


class _FromVolume(CinderScenario, ServerOps):
    """Boot a server whose root disk is a new volume made from ``image``."""

    services: ClassVar[tuple[str, ...]] = ("compute", "block-storage")
    waits: ClassVar[tuple[str, ...]] = (
        "cinder_volume_create",
        "nova_server_boot",
        "nova_server_delete",
    )

    class Config(BootArgs):
        volume_size: Size
        volume_type: str | None = None
        create_volume_kwargs: dict[str, Any] | None = None
        boot_server_kwargs: dict[str, Any] | None = None

    def boot_from_volume(self, *, snapshot: bool = False) -> Any:
        """A volume from the image (and a snapshot of it), then a server booting from it."""
        cfg = self.config
        assert isinstance(cfg, _FromVolume.Config)
        attrs = self.boot_attrs(cfg)
        image_id = attrs.pop("image_id")
        attrs.update(cfg.boot_server_kwargs or {})
        volume = self._create_volume(
            cfg.volume_size,
            imageRef=image_id,
            volume_type=cfg.volume_type,
            **(cfg.create_volume_kwargs or {}),
        )
        source = {"uuid": volume.id, "source_type": "volume"}
        if snapshot:
            taken = self._create_snapshot(volume.id, False)
            source = {"uuid": taken.id, "source_type": "snapshot"}
        attrs["block_device_mapping"] = [
            {
                **source,
                "destination_type": "volume",
                "boot_index": 0,
                "delete_on_termination": snapshot,  # Rally's "<id>:snap::1" / "<id>:::0"
            }
        ]
        return self._boot_with(attrs)


class BootServerFromVolume(_FromVolume):
    """Create a volume from an image and boot a server from it (both left to the sweep)."""

    name: ClassVar[str] = "NovaServers.boot_server_from_volume"
    keeps_servers: ClassVar[bool] = True  # deleted by the workload's sweep
    waits: ClassVar[tuple[str, ...]] = ("cinder_volume_create", "nova_server_boot")

    def run(self) -> None:
        self.boot_from_volume()


class BootServerFromVolumeAndDelete(_FromVolume):
    """Create a volume from an image, boot a server from it, sleep, delete the server."""

    name: ClassVar[str] = "NovaServers.boot_server_from_volume_and_delete"

    class Config(_FromVolume.Config):
        min_sleep: float = Field(0, ge=0)
        max_sleep: float = Field(0, ge=0)
        force_delete: bool = False

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, BootServerFromVolumeAndDelete.Config)
        server = self.boot_from_volume()
        self.sleep_between(cfg.min_sleep, cfg.max_sleep)
        self._delete_server(server, force=cfg.force_delete)


class BootServerFromVolumeSnapshot(_FromVolume):
    """Create a volume from an image and a snapshot of it; boot a server from a volume
    made from the snapshot (left to the sweep)."""

    name: ClassVar[str] = "NovaServers.boot_server_from_volume_snapshot"
    keeps_servers: ClassVar[bool] = True  # deleted by the workload's sweep
    waits: ClassVar[tuple[str, ...]] = ("cinder_volume_create", "nova_server_boot")

    def run(self) -> None:
        self.boot_from_volume(snapshot=True)


class BootServerFromVolumeAndResize(_FromVolume):
    """Boot a server from a new image-made volume, resize it, confirm (or revert),
    delete the server."""

    name: ClassVar[str] = "NovaServers.boot_server_from_volume_and_resize"
    waits: ClassVar[tuple[str, ...]] = (
        "cinder_volume_create",
        "nova_server_boot",
        "nova_server_resize",
        "nova_server_resize_confirm",
        "nova_server_resize_revert",
        "nova_server_delete",
    )

    class Config(_FromVolume.Config):
        to_flavor: ResourceSpec
        min_sleep: float = Field(0, ge=0)
        max_sleep: float = Field(0, ge=0)
        force_delete: bool = False
        confirm: bool = True
        do_delete: bool = True

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, BootServerFromVolumeAndResize.Config)
        to_flavor = self.flavor_id(cfg.to_flavor)
        server = self.boot_from_volume()
        self.sleep_between(cfg.min_sleep, cfg.max_sleep)
        self._resize(server, to_flavor)
        if cfg.confirm:
            self._resize_confirm(server)
        else:
            self._resize_revert(server)
        if cfg.do_delete:
            self._delete_server(server, force=cfg.force_delete)


class BootServerAttachCreatedVolumeAndResize(CinderScenario, ServerOps):
    """Boot a server, attach a new volume, resize the server, detach and delete all."""

    name: ClassVar[str] = "NovaServers.boot_server_attach_created_volume_and_resize"
    services: ClassVar[tuple[str, ...]] = ("compute", "block-storage")
    waits: ClassVar[tuple[str, ...]] = (
        "nova_server_boot",
        "cinder_volume_create",
        "nova_server_resize",
        "nova_server_resize_confirm",
        "nova_server_resize_revert",
        "nova_detach_volume",
        "cinder_volume_delete",
        "nova_server_delete",
    )

    class Config(ResizeArgs):
        volume_size: Size
        min_sleep: float = Field(0, ge=0)
        max_sleep: float = Field(0, ge=0)
        do_delete: bool = True
        boot_server_kwargs: dict[str, Any] | None = None
        create_volume_kwargs: dict[str, Any] | None = None

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, BootServerAttachCreatedVolumeAndResize.Config)
        to_flavor = self.flavor_id(cfg.to_flavor)
        server = self._boot_with({**self.boot_attrs(cfg), **(cfg.boot_server_kwargs or {})})
        volume = self._create_volume(cfg.volume_size, **(cfg.create_volume_kwargs or {}))
        self._attach_volume(server, volume)
        self.sleep_between(cfg.min_sleep, cfg.max_sleep)
        self._resize(server, to_flavor)
        if cfg.confirm:
            self._resize_confirm(server)
        else:
            self._resize_revert(server)
        if cfg.do_delete:
            self._detach_volume(server, volume)
            self._delete_volume(volume)
            self._delete_server(server, force=cfg.force_delete)


class BootServerAttachVolumeAndListAttachments(CinderScenario, ServerOps):
    """Boot a server, attach ``volume_num`` new volumes, list its attachments."""

    name: ClassVar[str] = "NovaServers.boot_server_attach_volume_and_list_attachments"
    keeps_servers: ClassVar[bool] = True  # deleted by the workload's sweep
    services: ClassVar[tuple[str, ...]] = ("compute", "block-storage")
    waits: ClassVar[tuple[str, ...]] = (
        "nova_server_boot",
        "cinder_volume_create",
        "nova_server_resize_revert",
    )

    class Config(BootArgs):
        volume_size: Size = 1
        volume_num: int = Field(2, ge=1)
        boot_server_kwargs: dict[str, Any] | None = None
        create_volume_kwargs: dict[str, Any] | None = None

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, BootServerAttachVolumeAndListAttachments.Config)
        server = self._boot_with({**self.boot_attrs(cfg), **(cfg.boot_server_kwargs or {})})
        attached = []
        for _ in range(cfg.volume_num):
            volume = self._create_volume(cfg.volume_size, **(cfg.create_volume_kwargs or {}))
            self._attach_volume(server, volume)
            attached.append(volume.id)
        with self.action("nova.list_attachments"):
            listed = {a.volume_id for a in self.clients.compute.volume_attachments(server)}
        missing = [v for v in attached if v not in listed]
        if missing:
            raise CloudError(f"volumes {missing} are not in server {server.id}'s attachments")


class BootServerAttachCreatedVolumeAndExtend(CinderScenario, ServerOps):
    """Boot a server, attach a new volume, extend the volume, detach and delete all."""

    name: ClassVar[str] = "NovaServers.boot_server_attach_created_volume_and_extend"
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
        volume_size: Size
        new_volume_size: Size
        min_sleep: float = Field(0, ge=0)
        max_sleep: float = Field(0, ge=0)
        force_delete: bool = False
        do_delete: bool = True
        boot_server_kwargs: dict[str, Any] | None = None
        create_volume_kwargs: dict[str, Any] | None = None

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, BootServerAttachCreatedVolumeAndExtend.Config)
        server = self._boot_with({**self.boot_attrs(cfg), **(cfg.boot_server_kwargs or {})})
        volume = self._create_volume(cfg.volume_size, **(cfg.create_volume_kwargs or {}))
        self._attach_volume(server, volume)
        self.sleep_between(cfg.min_sleep, cfg.max_sleep)
        self._extend_volume(volume, cfg.new_volume_size)
        if cfg.do_delete:
            self._detach_volume(server, volume)
            self._delete_volume(volume)
            self._delete_server(server, force=cfg.force_delete)
