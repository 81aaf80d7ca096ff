"""nova's fake virt driver, plus the two things a real hypervisor driver does that
squall's scenarios look at: it uploads a server snapshot to glance, and it reports
the host's uptime.

``compute_driver = squall_devcloud.SquallFakeDriver`` (nova looks in ``nova.virt``, where
this package installs ``nova/virt/squall_devcloud.py``).
"""

from __future__ import annotations

import io
from typing import Any

from nova import exception  # type: ignore[import-not-found]
from nova.compute import task_states  # type: ignore[import-not-found]
from nova.image import glance  # type: ignore[import-not-found]
from nova.virt import fake  # type: ignore[import-not-found]
from oslo_concurrency import processutils  # type: ignore[import-not-found]

SNAPSHOT_SIZE = 64 * 1024


class SquallFakeDriver(fake.FakeDriverWithoutFakeNodes):  # type: ignore[misc]
    """``FakeDriverWithoutFakeNodes`` whose snapshots become ``active`` images."""

    def __init__(self, virtapi: Any, read_only: bool = False) -> None:
        super().__init__(virtapi, read_only)
        self._image_api = glance.API()

    def snapshot(self, context: Any, instance: Any, image_id: str, update_task_state: Any) -> None:
        """Upload a small raw disk for ``instance`` into the image nova created."""
        if instance.uuid not in self.instances:
            raise exception.InstanceNotRunning(instance_id=instance.uuid)
        update_task_state(task_state=task_states.IMAGE_PENDING_UPLOAD)
        snapshot = self._image_api.get(context, image_id)
        update_task_state(
            task_state=task_states.IMAGE_UPLOADING,
            expected_state=task_states.IMAGE_PENDING_UPLOAD,
        )
        metadata = {
            "name": snapshot["name"],
            "status": "active",
            "disk_format": "raw",
            "container_format": "bare",
            "properties": {
                "image_location": "snapshot",
                "image_state": "available",
                "owner_id": instance.project_id,
            },
        }
        self._image_api.update(
            context, image_id, metadata, data=_disk(instance.uuid), purge_props=False
        )

    def get_host_uptime(self) -> str:
        """What ``uptime`` prints on this machine, as nova's libvirt driver reports it."""
        out, _err = processutils.execute("env", "LANG=C", "uptime")
        return str(out)


def _disk(instance_uuid: str) -> io.BytesIO:
    header = f"squall devcloud snapshot of server {instance_uuid}\n".encode()
    return io.BytesIO(header.ljust(SNAPSHOT_SIZE, b"\0"))
