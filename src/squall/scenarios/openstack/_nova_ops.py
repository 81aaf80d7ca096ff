"""Server operations beyond boot/list/show/delete, timed under Rally's atomic names.

``ServerOps`` extends ``NovaScenario`` (``_nova.py``) with Rally's ``NovaScenario``
helpers: rebuild, resize (confirm, revert), stop/start, suspend/resume,
pause/unpause, shelve/unshelve, lock/unlock, reboot, rescue, snapshot to an image,
volume attach/detach, floating IP association and the console log. Each waits
with the wait Rally uses for it, and polls the same status Rally polls.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any, ClassVar

from squall.errors import CloudError
from squall.openstack.errors import cloud_errors
from squall.openstack.journal import ResourceKind
from squall.openstack.waiters import WaitPolicy, wait_for_status
from squall.scenarios.openstack._nova import NovaScenario

#: Rally's server operations without a prepoll sleep (``nova/utils.py``)
_NO_PREPOLL = frozenset({"nova_server_start", "nova_server_stop", "nova_server_resize"})


def _task_state(server: Any) -> str:
    """Nova's ``OS-EXT-STS:task_state`` as Rally compares it ("None" when idle)."""
    return str(getattr(server, "task_state", None))


class ServerOps(NovaScenario):
    """``NovaScenario`` plus the server lifecycle operations of Rally's nova utils."""

    waits: ClassVar[tuple[str, ...]] = ("nova_server_boot", "nova_server_delete")

    # -- polling ------------------------------------------------------------------------

    def _policy(self, wait: str) -> WaitPolicy:
        policy = self.policy(wait)
        return dataclasses.replace(policy, prepoll=0.0) if wait in _NO_PREPOLL else policy

    def _poll(
        self,
        fetch: Callable[[], Any],
        wait: str,
        ready: tuple[str, ...],
        *,
        status_of: Callable[[Any], str] = lambda r: str(getattr(r, "status", "") or ""),
        what: str,
    ) -> Any:
        def get() -> Any:
            with cloud_errors(f"get {what}"):
                return fetch()

        return wait_for_status(
            get, status_of, ready, self._policy(wait), failure=("ERROR",), what=what
        )

    def _server_status(self, server: Any, wait: str, *ready: str) -> Any:
        compute = self.clients.compute
        return self._poll(
            lambda: compute.get_server(server.id), wait, ready, what=f"server {server.id}"
        )

    def _server_idle(self, server: Any, wait: str) -> Any:
        """Wait until the server has no task in progress (``task_state`` None)."""
        compute = self.clients.compute
        return self._poll(
            lambda: compute.get_server(server.id),
            wait,
            ("None",),
            status_of=_task_state,
            what=f"server {server.id} task",
        )

    def _act(
        self, server: Any, atomic: str, call: Callable[[], Any], wait: str | None, *ready: str
    ) -> None:
        """Time ``call()`` and the wait for ``server`` to reach ``ready`` as ``atomic``."""
        with self.action(atomic):
            call()
            if wait is not None:
                self._server_status(server, wait, *ready)

    def _boot_with(self, attrs: dict[str, Any]) -> Any:
        """Boot a server from ready ``create_server`` attributes (``nova.boot_server``)."""
        compute = self.clients.compute
        name = self.generate_name()
        entry = self.track(ResourceKind.SERVER, name)
        server = None
        try:
            with self.action("nova.boot_server"):
                server = compute.create_server(name=name, **attrs)
                server = self.wait_for_status(server, compute.get_server, "nova_server_boot")
        finally:
            if server is None:
                self.tracker.failed(entry)
            else:
                self.tracked(entry, server.id)
        return server

    def _boot_servers(self, attrs: dict[str, Any], count: int) -> list[Any]:
        """Boot ``count`` servers, then wait for all (one ``nova.boot_servers`` atomic)."""
        compute = self.clients.compute
        servers: list[Any] = []
        with self.action("nova.boot_servers"):
            for _ in range(count):
                name = self.generate_name()
                entry = self.track(ResourceKind.SERVER, name)
                try:
                    server = compute.create_server(name=name, **attrs)
                except BaseException:
                    self.tracker.failed(entry)
                    raise
                self.tracked(entry, server.id)
                servers.append(server)
            return [
                self.wait_for_status(server, compute.get_server, "nova_server_boot")
                for server in servers
            ]

    def _delete_servers(self, servers: list[Any], *, force: bool = False) -> None:
        """Delete servers, then wait until all are gone (one ``nova.(force_)delete_servers``)."""
        compute = self.clients.compute
        atomic = "nova.force_delete_servers" if force else "nova.delete_servers"
        with self.action(atomic):
            for server in servers:
                compute.delete_server(server, force=force)
            for server in servers:
                self.wait_for_delete(
                    functools.partial(compute.get_server, server.id),
                    "nova_server_delete",
                    f"server {server.id}",
                )
        for server in servers:
            self.untracked(ResourceKind.SERVER, server.id)

    # -- lifecycle ------------------------------------------------------------------------

    def _rebuild_server(self, server: Any, image_id: str) -> None:
        compute = self.clients.compute
        self._act(
            server,
            "nova.rebuild_server",
            lambda: compute.rebuild_server(server, image=image_id),
            "nova_server_rebuild",
            "ACTIVE",
        )

    def _resize(self, server: Any, flavor_id: str) -> None:
        compute = self.clients.compute
        self._act(
            server,
            "nova.resize",
            lambda: compute.resize_server(server, flavor_id),
            "nova_server_resize",
            "VERIFY_RESIZE",
        )

    def _resize_confirm(self, server: Any, status: str = "ACTIVE") -> None:
        compute = self.clients.compute
        self._act(
            server,
            "nova.resize_confirm",
            lambda: compute.confirm_server_resize(server),
            "nova_server_resize_confirm",
            status,
        )

    def _resize_revert(self, server: Any, status: str = "ACTIVE") -> None:
        compute = self.clients.compute
        self._act(
            server,
            "nova.resize_revert",
            lambda: compute.revert_server_resize(server),
            "nova_server_resize_revert",
            status,
        )

    def _stop_server(self, server: Any) -> None:
        compute = self.clients.compute
        self._act(
            server,
            "nova.stop_server",
            lambda: compute.stop_server(server),
            "nova_server_stop",
            "SHUTOFF",
        )

    def _start_server(self, server: Any) -> None:
        compute = self.clients.compute
        self._act(
            server,
            "nova.start_server",
            lambda: compute.start_server(server),
            "nova_server_start",
            "ACTIVE",
        )

    def _suspend_server(self, server: Any) -> None:
        compute = self.clients.compute
        self._act(
            server,
            "nova.suspend_server",
            lambda: compute.suspend_server(server),
            "nova_server_suspend",
            "SUSPENDED",
        )

    def _resume_server(self, server: Any) -> None:
        compute = self.clients.compute
        self._act(
            server,
            "nova.resume_server",
            lambda: compute.resume_server(server),
            "nova_server_resume",
            "ACTIVE",
        )

    def _pause_server(self, server: Any) -> None:
        compute = self.clients.compute
        self._act(
            server,
            "nova.pause_server",
            lambda: compute.pause_server(server),
            "nova_server_pause",
            "PAUSED",
        )

    def _unpause_server(self, server: Any) -> None:
        compute = self.clients.compute
        self._act(
            server,
            "nova.unpause_server",
            lambda: compute.unpause_server(server),
            "nova_server_unpause",
            "ACTIVE",
        )

    def _shelve_server(self, server: Any) -> None:
        compute = self.clients.compute
        with self.action("nova.shelve_server"):
            compute.shelve_server(server)
            self._server_status(server, "nova_server_shelve", "SHELVED_OFFLOADED")
            self._server_idle(server, "nova_server_shelve")

    def _unshelve_server(self, server: Any) -> None:
        compute = self.clients.compute
        self._act(
            server,
            "nova.unshelve_server",
            lambda: compute.unshelve_server(server),
            "nova_server_unshelve",
            "ACTIVE",
        )

    def _lock_server(self, server: Any) -> None:
        compute = self.clients.compute
        self._act(server, "nova.lock_server", lambda: compute.lock_server(server), None)

    def _unlock_server(self, server: Any) -> None:
        compute = self.clients.compute
        self._act(server, "nova.unlock_server", lambda: compute.unlock_server(server), None)

    def _reboot_server(self, server: Any, kind: str = "HARD") -> None:
        compute = self.clients.compute
        atomic = "nova.reboot_server" if kind == "HARD" else "nova.soft_reboot_server"
        self._act(
            server,
            atomic,
            lambda: compute.reboot_server(server, kind),
            "nova_server_reboot",
            "ACTIVE",
        )

    def _rescue_server(self, server: Any) -> None:
        compute = self.clients.compute
        self._act(
            server,
            "nova.rescue_server",
            lambda: compute.rescue_server(server),
            "nova_server_rescue",
            "RESCUE",
        )

    def _unrescue_server(self, server: Any) -> None:
        compute = self.clients.compute
        self._act(
            server,
            "nova.unrescue_server",
            lambda: compute.unrescue_server(server),
            "nova_server_unrescue",
            "ACTIVE",
        )

    # -- snapshots ------------------------------------------------------------------------

    def _snapshot_server(self, server: Any) -> Any:
        """Snapshot ``server`` to an image (``nova.snapshot_server``), wait until active."""
        compute, glance = self.clients.compute, self.clients.image
        name = self.generate_name()
        entry = self.track(ResourceKind.IMAGE, name)
        image = None
        try:
            with self.action("nova.snapshot_server"):
                image = compute.create_server_image(server, name, wait=False)
                with self.action("glance.wait_for_image"):
                    image = self._poll(
                        lambda: glance.get_image(image.id),
                        "nova_server_image_create",
                        ("ACTIVE",),
                        what=f"image {image.id}",
                    )
                with self.action("nova.wait_for_server"):
                    self._server_idle(server, "nova_server_image_create")
        finally:
            if image is None:
                self.tracker.failed(entry)
            else:
                self.tracked(entry, image.id)
        return image

    def _delete_image(self, image: Any) -> None:
        glance = self.clients.image
        with self.action("nova.delete_image"):
            glance.delete_image(image)
            with self.action("glance.wait_for_delete"):
                self.wait_for_delete(
                    lambda: glance.get_image(image.id),
                    "nova_server_image_delete",
                    f"image {image.id}",
                )
        self.untracked(ResourceKind.IMAGE, image.id)

    # -- volumes ------------------------------------------------------------------------

    def _volume_status(self, volume: Any, wait: str, ready: str) -> Any:
        storage = self.clients.block_storage
        return self._poll(
            lambda: storage.get_volume(volume.id), wait, (ready,), what=f"volume {volume.id}"
        )

    def _attach_volume(self, server: Any, volume: Any) -> Any:
        compute = self.clients.compute
        with self.action("nova.attach_volume"):
            attachment = compute.create_volume_attachment(server, volume=volume.id)
            # Rally polls with the resize-revert settings here
            self._volume_status(volume, "nova_server_resize_revert", "in-use")
        return attachment

    def _detach_volume(self, server: Any, volume: Any) -> None:
        compute = self.clients.compute
        with self.action("nova.detach_volume"):
            compute.delete_volume_attachment(server, volume.id, ignore_missing=False)
            self._volume_status(volume, "nova_detach_volume", "available")

    # -- network and console ------------------------------------------------------------

    def _server_has_address(self, server: Any, address: str, present: bool) -> None:
        compute = self.clients.compute

        def state(s: Any) -> str:
            found = any(
                a.get("addr") == address for addrs in (s.addresses or {}).values() for a in addrs
            )
            return "yes" if found else "no"

        self._poll(
            lambda: compute.get_server(server.id),
            "nova_server_boot",
            ("yes" if present else "no",),
            status_of=state,
            what=f"server {server.id} address {address}",
        )

    def _server_port(self, server: Any) -> str:
        with self.action("neutron.list_ports"):
            ports = list(self.clients.network.ports(device_id=server.id))
        if not ports:
            raise CloudError(f"server {server.id} has no port to put a floating IP on")
        return str(ports[0].id)

    def _associate_floating_ip(self, server: Any, fip: Any) -> None:
        net = self.clients.network
        with self.action("nova.associate_floating_ip"):
            with self.action("neutron.associate_floating_ip"):
                port = self._server_port(server)
                with self.action("neutron.update_floating_ip"):
                    net.update_ip(fip.id, port_id=port)
            self._server_has_address(server, fip.floating_ip_address, True)

    def _dissociate_floating_ip(self, server: Any, fip: Any) -> None:
        net = self.clients.network
        with self.action("nova.dissociate_floating_ip"):
            with (
                self.action("neutron.dissociate_floating_ip"),
                self.action("neutron.update_floating_ip"),
            ):
                net.update_ip(fip.id, port_id=None)
            self._server_has_address(server, fip.floating_ip_address, False)

    def _get_console_output(self, server: Any, length: int | None = None) -> str:
        with self.action("nova.get_console_output_server"):
            out = self.clients.compute.get_server_console_output(server, length=length)
        return str(out.get("output", "")) if isinstance(out, dict) else str(out)
