"""A cinder volume driver whose volumes are sparse files in one directory.

For testing only, but everything around it is cinder's own: images are copied into
volumes and volumes uploaded to images through cinder's image_utils, and cinder-backup
reads and writes volumes through the same attachment. Attachments use os-brick's
``local`` connector: the connection info names the file (``device_path``), which nova's
fake virt driver accepts and cinder's own services open as a device.

Snapshots, clones and volumes made from snapshots are sparse copies, so an untouched
1 GiB volume costs no disk space and no copy time.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from cinder import exception  # type: ignore[import-not-found]
from cinder.common import constants  # type: ignore[import-not-found]
from cinder.volume import configuration, driver  # type: ignore[import-not-found]
from oslo_config import cfg  # type: ignore[import-not-found]
from oslo_log import log as logging  # type: ignore[import-not-found]

from . import sparse

LOG = logging.getLogger(__name__)

volume_opts = [
    cfg.StrOpt(
        "file_volume_directory",
        default="$state_path/file-volumes",
        help="Directory that holds the volume and snapshot files.",
    ),
]
cfg.CONF.register_opts(volume_opts, group=configuration.SHARED_CONF_GROUP)


class FileVolumeDriver(driver.VolumeDriver):  # type: ignore[misc]
    """Volumes ``volume-<id>`` and snapshots ``snapshot-<id>`` as sparse files."""

    VERSION = "1.0.0"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.configuration.append_config_values(volume_opts)
        self.backend_name = self.configuration.safe_get("volume_backend_name") or "file"

    @property
    def root(self) -> Path:
        return Path(self.configuration.file_volume_directory)

    def _path(self, name: str) -> Path:
        return self.root / name

    # -- setup and stats ---------------------------------------------------------------

    def do_setup(self, context: Any) -> None:
        self.root.mkdir(parents=True, exist_ok=True)

    def check_for_setup_error(self) -> None:
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise exception.VolumeBackendAPIException(
                data=f"volume directory {self.root} is not writable"
            )

    def _update_volume_stats(self) -> None:
        # sparse files take space only for what is written: like fake drivers, no limit
        pool = {
            "pool_name": self.backend_name,
            "total_capacity_gb": "infinite",
            "free_capacity_gb": "infinite",
            "reserved_percentage": 0,
            "QoS_support": False,
            "thin_provisioning_support": True,
            "thick_provisioning_support": False,
            "filter_function": self.get_filter_function(),
            "goodness_function": self.get_goodness_function(),
        }
        self._stats = {
            "volume_backend_name": self.backend_name,
            "vendor_name": "squall devcloud",
            "driver_version": self.VERSION,
            "storage_protocol": constants.FILE,
            "pools": [pool],
        }

    # -- volumes and snapshots ---------------------------------------------------------

    def create_volume(self, volume: Any) -> None:
        sparse.create(self._path(volume.name), volume.size)

    def delete_volume(self, volume: Any) -> None:
        self._path(volume.name).unlink(missing_ok=True)

    def extend_volume(self, volume: Any, new_size: int) -> None:
        sparse.grow(self._path(volume.name), new_size)

    def create_cloned_volume(self, volume: Any, src_vref: Any) -> None:
        self._copy(self._path(src_vref.name), volume)

    def create_snapshot(self, snapshot: Any) -> None:
        sparse.copy(self._path(snapshot.volume_name), self._path(snapshot.name))

    def delete_snapshot(self, snapshot: Any) -> None:
        self._path(snapshot.name).unlink(missing_ok=True)

    def create_volume_from_snapshot(self, volume: Any, snapshot: Any) -> None:
        self._copy(self._path(snapshot.name), volume)

    def revert_to_snapshot(self, context: Any, volume: Any, snapshot: Any) -> None:
        target = self._path(volume.name)
        staged = target.with_name(target.name + ".revert")
        sparse.copy(self._path(snapshot.name), staged, volume.size)
        staged.replace(target)

    def _copy(self, source: Path, volume: Any) -> None:
        sparse.copy(source, self._path(volume.name), volume.size)

    # -- attachments: os-brick's local connector opens the file --------------------------

    def _connection(self, path: Path, access_mode: str) -> dict[str, Any]:
        return {
            "driver_volume_type": "local",
            "data": {"device_path": str(path), "access_mode": access_mode},
        }

    def initialize_connection(self, volume: Any, connector: Any) -> dict[str, Any]:
        metadata = volume.admin_metadata or {}
        mode = metadata.get("attached_mode")
        if mode is None:
            mode = "ro" if metadata.get("readonly") == "True" else "rw"
        return self._connection(self._path(volume.name), mode)

    def initialize_connection_snapshot(self, snapshot: Any, connector: Any) -> dict[str, Any]:
        return self._connection(self._path(snapshot.name), "ro")

    def terminate_connection(self, volume: Any, connector: Any, **kwargs: Any) -> None:
        # cinder writes images (qemu-img convert) and restores backups (open "wb") as if
        # to a block device, which leaves a file only as long as the data: give it back
        # the volume's size when the writer lets go
        path = self._path(volume.name)
        if path.exists():
            sparse.grow(path, volume.size)

    def terminate_connection_snapshot(self, snapshot: Any, connector: Any, **kwargs: Any) -> None:
        pass

    def create_export(self, context: Any, volume: Any, connector: Any) -> None:
        pass

    def ensure_export(self, context: Any, volume: Any) -> None:
        pass

    def remove_export(self, context: Any, volume: Any) -> None:
        pass

    def create_export_snapshot(self, context: Any, snapshot: Any, connector: Any) -> None:
        pass

    def remove_export_snapshot(self, context: Any, snapshot: Any) -> None:
        pass
