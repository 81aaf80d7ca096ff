"""The plan of files to write, and writing it all or nothing.

Every file is first written to a temporary file beside its target; only when all of
them are written are they renamed into place, so a failure (a read-only folder, a full
disk) leaves the repository as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from squall.errors import ConfigError


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"  # merged into an existing file (.zuul.yaml)
    OVERWRITE = "overwrite"  # an edited file replaced because of --force
    UNCHANGED = "unchanged"
    KEPT = "kept"  # an edited file left alone (no --force)

    @property
    def writes(self) -> bool:
        return self in (Action.CREATE, Action.UPDATE, Action.OVERWRITE)


@dataclass(frozen=True)
class PlannedFile:
    path: Path  # relative to the repository
    text: str
    action: Action
    note: str = ""


def plan(root: Path, rel: Path, text: str, *, force: bool) -> PlannedFile:
    """What to do with generated ``text`` for ``root/rel``."""
    target = root / rel
    if not target.exists():
        return PlannedFile(rel, text, Action.CREATE)
    try:
        current = target.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{target}: cannot read it: {exc}") from None
    if current == text:
        return PlannedFile(rel, text, Action.UNCHANGED)
    if force:
        return PlannedFile(
            rel, text, Action.OVERWRITE, "differs from the generated text; replaced (--force)"
        )
    return PlannedFile(
        rel, current, Action.KEPT, "differs from the generated text; kept (--force replaces it)"
    )


def write_all(root: Path, files: list[PlannedFile]) -> None:
    """Write every file that needs it, all or nothing (``ConfigError`` on failure)."""
    created_dirs: list[Path] = []
    temps: list[tuple[Path, Path]] = []
    try:
        for item in files:
            if item.action.writes:
                target = root / item.path
                created_dirs += _make_parents(target.parent)
                temps.append((_write_temp(target, item.text), target))
    except OSError as exc:
        for temp, _ in temps:
            temp.unlink(missing_ok=True)
        for folder in reversed(created_dirs):
            with contextlib.suppress(OSError):
                folder.rmdir()
        where = getattr(exc, "filename", None) or root
        raise ConfigError(
            f"{where}: cannot write: {exc.strerror or exc}",
            hint="nothing was written; check the folder's permissions",
        ) from None
    for temp, target in temps:
        os.replace(temp, target)


def _make_parents(folder: Path) -> list[Path]:
    missing: list[Path] = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    for path in reversed(missing):
        path.mkdir()
    return list(reversed(missing))


def _write_temp(target: Path, text: str) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        if target.exists():
            os.chmod(name, target.stat().st_mode & 0o777)
        else:
            os.chmod(name, 0o644)
    except OSError:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)
