"""NovaServers.*: the server lifecycle scenarios (Rally's names, arguments, atomics).

Rebuild, resize, stop/start, suspend, pause, shelve, lock, bounce, snapshot, boot
from volume, volume attach with resize, floating IPs and the console log. Boot
arguments are ``_nova.BootArgs``; what an iteration leaves behind is journaled and
deleted by the workload's sweep.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, ClassVar

from pydantic import Field, field_validator, model_validator

from squall.openstack.lookup import ResourceSpec
from squall.scenarios.openstack._neutron import NeutronScenario
from squall.scenarios.openstack._nova import BootArgs
from squall.scenarios.openstack._nova_ops import ServerOps


class _Delete(BootArgs):
    force_delete: bool = False


class _Sleep(_Delete):
    min_sleep: float = Field(0, ge=0)
    max_sleep: float = Field(0, ge=0)


class ResizeArgs(_Delete):
    to_flavor: ResourceSpec
    confirm: bool = True


class BootAndRebuildServer(ServerOps):
    """Boot a server from ``from_image``, rebuild it with ``to_image``, delete it."""

    name: ClassVar[str] = "NovaServers.boot_and_rebuild_server"
    waits: ClassVar[tuple[str, ...]] = (
        "nova_server_boot",
        "nova_server_rebuild",
        "nova_server_delete",
    )

    class Config(BootArgs):
        from_image: ResourceSpec
        to_image: ResourceSpec

        @model_validator(mode="before")
        @classmethod
        def _boot_image(cls, data: Any) -> Any:
            """The boot image is ``from_image`` (Rally's argument); ``image`` is internal."""
            if isinstance(data, dict) and "image" not in data:
                return {**data, "image": data.get("from_image")}
            return data

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, BootAndRebuildServer.Config)
        to_image = self.image_id(cfg.to_image)
        server = self._boot_server(cfg)
        self._rebuild_server(server, to_image)
        self._delete_server(server)


class ResizeServer(ServerOps):
    """Boot a server, resize it to ``to_flavor``, confirm (or revert), delete it."""

    name: ClassVar[str] = "NovaServers.resize_server"
    waits: ClassVar[tuple[str, ...]] = (
        "nova_server_boot",
        "nova_server_resize",
        "nova_server_resize_confirm",
        "nova_server_resize_revert",
        "nova_server_delete",
    )
    Config = ResizeArgs
    stop_first: ClassVar[bool] = False

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, ResizeArgs)
        to_flavor = self.flavor_id(cfg.to_flavor)
        server = self._boot_server(cfg)
        status = "ACTIVE"
        if self.stop_first:
            self._stop_server(server)
            status = "SHUTOFF"
        self._resize(server, to_flavor)
        if cfg.confirm:
            self._resize_confirm(server, status)
        else:
            self._resize_revert(server, status)
        self._delete_server(server, force=cfg.force_delete)


class ResizeShutoffServer(ResizeServer):
    """Boot a server, stop it, resize it, confirm (or revert), delete it."""

    name: ClassVar[str] = "NovaServers.resize_shutoff_server"
    waits: ClassVar[tuple[str, ...]] = (*ResizeServer.waits, "nova_server_stop")
    stop_first: ClassVar[bool] = True


class _Pair(ServerOps):
    """Boot, one operation and its inverse, delete."""

    Config = _Delete

    @abstractmethod
    def cycle(self, server: Any) -> None:
        """The operation and its inverse on a booted server."""

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, _Delete)
        server = self._boot_server(cfg)
        self.cycle(server)
        self._delete_server(server, force=cfg.force_delete)


class SuspendAndResumeServer(_Pair):
    """Boot a server, suspend it, resume it, delete it."""

    name: ClassVar[str] = "NovaServers.suspend_and_resume_server"
    waits: ClassVar[tuple[str, ...]] = (
        "nova_server_boot",
        "nova_server_suspend",
        "nova_server_resume",
        "nova_server_delete",
    )

    def cycle(self, server: Any) -> None:
        self._suspend_server(server)
        self._resume_server(server)


class PauseAndUnpauseServer(_Pair):
    """Boot a server, pause it, unpause it, delete it."""

    name: ClassVar[str] = "NovaServers.pause_and_unpause_server"
    waits: ClassVar[tuple[str, ...]] = (
        "nova_server_boot",
        "nova_server_pause",
        "nova_server_unpause",
        "nova_server_delete",
    )

    def cycle(self, server: Any) -> None:
        self._pause_server(server)
        self._unpause_server(server)


class ShelveAndUnshelveServer(_Pair):
    """Boot a server, shelve it (until offloaded), unshelve it, delete it."""

    name: ClassVar[str] = "NovaServers.shelve_and_unshelve_server"
    waits: ClassVar[tuple[str, ...]] = (
        "nova_server_boot",
        "nova_server_shelve",
        "nova_server_unshelve",
        "nova_server_delete",
    )

    def cycle(self, server: Any) -> None:
        self._shelve_server(server)
        self._unshelve_server(server)


class BootLockUnlockAndDelete(ServerOps):
    """Boot a server, lock it, sleep, unlock it, delete it."""

    name: ClassVar[str] = "NovaServers.boot_lock_unlock_and_delete"
    Config = _Sleep

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, _Sleep)
        server = self._boot_server(cfg)
        self._lock_server(server)
        self.sleep_between(cfg.min_sleep, cfg.max_sleep)
        self._unlock_server(server)
        self._delete_server(server, force=cfg.force_delete)


BOUNCE_ACTIONS = (
    "hard_reboot",
    "soft_reboot",
    "stop_start",
    "rescue_unrescue",
    "pause_unpause",
    "suspend_resume",
    "lock_unlock",
    "shelve_unshelve",
)


class BootAndBounceServer(ServerOps):
    """Boot a server, run the listed actions (``[{hard_reboot: 2}, ...]``), delete it."""

    name: ClassVar[str] = "NovaServers.boot_and_bounce_server"
    waits: ClassVar[tuple[str, ...]] = (
        "nova_server_boot",
        "nova_server_reboot",
        "nova_server_stop",
        "nova_server_start",
        "nova_server_rescue",
        "nova_server_unrescue",
        "nova_server_pause",
        "nova_server_unpause",
        "nova_server_suspend",
        "nova_server_resume",
        "nova_server_shelve",
        "nova_server_unshelve",
        "nova_server_delete",
    )

    class Config(_Delete):
        actions: list[dict[str, int]] = Field(default_factory=list)

        @field_validator("actions")
        @classmethod
        def _known(cls, actions: list[dict[str, int]]) -> list[dict[str, int]]:
            for action in actions:
                if len(action) != 1:
                    raise ValueError(f"each action is one {{name: times}} pair, not {action}")
                ((name, times),) = action.items()
                if name not in BOUNCE_ACTIONS:
                    raise ValueError(f"unknown action {name!r}; known: {', '.join(BOUNCE_ACTIONS)}")
                if times < 1:
                    raise ValueError(f"{name}: times must be at least 1")
            return actions

    def _bounce(self, name: str, server: Any) -> None:
        pairs = {
            "stop_start": ("nova.stop_and_start_server", self._stop_server, self._start_server),
            "rescue_unrescue": (
                "nova.rescue_and_unrescue_server",
                self._rescue_server,
                self._unrescue_server,
            ),
            "pause_unpause": (
                "nova.pause_and_unpause_server",
                self._pause_server,
                self._unpause_server,
            ),
            "suspend_resume": (
                "nova.suspend_and_resume_server",
                self._suspend_server,
                self._resume_server,
            ),
            "lock_unlock": ("nova.lock_and_unlock_server", self._lock_server, self._unlock_server),
            "shelve_unshelve": (
                "nova.shelve_and_unshelve_server",
                self._shelve_server,
                self._unshelve_server,
            ),
        }
        if name in ("hard_reboot", "soft_reboot"):
            self._reboot_server(server, "HARD" if name == "hard_reboot" else "SOFT")
            return
        atomic, first, second = pairs[name]
        with self.action(atomic):
            first(server)
            second(server)

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, BootAndBounceServer.Config)
        server = self._boot_server(cfg)
        for action in cfg.actions:
            for name, times in action.items():
                for _ in range(times):
                    self._bounce(name, server)
        self._delete_server(server, force=cfg.force_delete)


class SnapshotServer(ServerOps):
    """Boot a server, snapshot it, delete it, boot from the snapshot, delete both."""

    name: ClassVar[str] = "NovaServers.snapshot_server"
    waits: ClassVar[tuple[str, ...]] = (
        "nova_server_boot",
        "nova_server_image_create",
        "nova_server_image_delete",
        "nova_server_delete",
    )
    Config = _Delete

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, _Delete)
        server = self._boot_server(cfg)
        image = self._snapshot_server(server)
        self._delete_server(server, force=cfg.force_delete)
        attrs = {**self.boot_attrs(cfg), "image_id": image.id}
        server = self._boot_with(attrs)
        self._delete_server(server, force=cfg.force_delete)
        self._delete_image(image)


class FloatingArgs(BootArgs):
    floating_network: str | None = None
    create_floating_ip_args: dict[str, Any] | None = None

    def network(self) -> str | None:
        """Rally's ``floating_network``, or its older spellings inside the create args."""
        if self.floating_network is None and self.create_floating_ip_args:
            args = self.create_floating_ip_args
            found = args.get("ext_network") or args.get("floating_network")
            return str(found) if found else None
        return self.floating_network


class BootAndAssociateFloatingIp(NeutronScenario, ServerOps):
    """Boot a server, allocate a floating IP and associate it with the server."""

    name: ClassVar[str] = "NovaServers.boot_and_associate_floating_ip"
    keeps_servers: ClassVar[bool] = True  # deleted by the workload's sweep
    services: ClassVar[tuple[str, ...]] = ("compute", "network")
    waits: ClassVar[tuple[str, ...]] = ("nova_server_boot",)
    Config = FloatingArgs
    dissociate: ClassVar[bool] = False

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, FloatingArgs)
        external = self._external_network(cfg.network())
        server = self._boot_server(cfg)
        fip = self._create_floating_ip(external)
        self._associate_floating_ip(server, fip)
        if self.dissociate:
            self._dissociate_floating_ip(server, fip)


class BootServerAssociateAndDissociateFloatingIp(BootAndAssociateFloatingIp):
    """Boot a server, associate a new floating IP with it, then dissociate it."""

    name: ClassVar[str] = "NovaServers.boot_server_associate_and_dissociate_floating_ip"
    dissociate: ClassVar[bool] = True


class BootAndGetConsoleOutput(ServerOps):
    """Boot a server and fetch its console log (``length`` lines, or all of it)."""

    name: ClassVar[str] = "NovaServers.boot_and_get_console_output"
    keeps_servers: ClassVar[bool] = True  # deleted by the workload's sweep
    waits: ClassVar[tuple[str, ...]] = ("nova_server_boot",)

    class Config(BootArgs):
        length: int | None = Field(None, ge=1)

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, BootAndGetConsoleOutput.Config)
        server = self._boot_server(cfg)
        self._get_console_output(server, cfg.length)
