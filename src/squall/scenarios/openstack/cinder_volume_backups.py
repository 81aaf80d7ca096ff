"""CinderVolumeBackups.*: incremental backups (needs cinder's backup service)."""

from __future__ import annotations

from typing import ClassVar

from squall.scenarios.openstack.cinder_volumes_more import BackupArgs, BackupScenario


class CreateIncrementalVolumeBackup(BackupScenario):
    """Create a volume, a full backup and an incremental one; delete them newest first."""

    name: ClassVar[str] = "CinderVolumeBackups.create_incremental_volume_backup"
    Config = BackupArgs
    backups: ClassVar[int] = 2  # a full one and an incremental one

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, BackupArgs)
        volume, full = self.volume_and_backup()
        incremental = self._create_backup(volume.id, is_incremental=True)
        if cfg.do_delete:
            self._delete_backup(incremental)
            self._delete_backup(full)
            self._delete_volume(volume)
