"""Sparse files for the file-backed volume driver. Standard library only.

A volume of N GiB is a file of N GiB with no data blocks until something writes to it;
copies carry over only the data regions (``SEEK_DATA``/``SEEK_HOLE``), so copying an
empty 1 GiB volume costs nothing and writes nothing.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

GiB = 1024**3
CHUNK = 1024 * 1024


def create(path: Path, size_gb: int) -> None:
    """An empty file of ``size_gb`` GiB at ``path`` (replacing what was there)."""
    with path.open("wb") as out:
        out.truncate(size_gb * GiB)


def grow(path: Path, size_gb: int) -> None:
    """Make ``path`` at least ``size_gb`` GiB long; never shrinks it."""
    size = size_gb * GiB
    if path.stat().st_size < size:
        os.truncate(path, size)


def data_regions(fd: int, end: int) -> Iterator[tuple[int, int]]:
    """``(start, stop)`` of every region of ``fd`` that holds data, up to ``end``."""
    offset = 0
    while offset < end:
        try:
            start = os.lseek(fd, offset, os.SEEK_DATA)
        except OSError as exc:
            if exc.errno == errno.ENXIO:  # only a hole is left
                return
            raise
        stop = min(os.lseek(fd, start, os.SEEK_HOLE), end)
        yield start, stop
        offset = stop


def copy(source: Path, dest: Path, size_gb: int = 0) -> None:
    """Copy ``source`` over ``dest``, holes kept, at least ``size_gb`` GiB long."""
    with source.open("rb") as src, dest.open("wb") as out:
        end = os.fstat(src.fileno()).st_size
        out.truncate(max(end, size_gb * GiB))
        for start, stop in data_regions(src.fileno(), end):
            _copy_range(src.fileno(), out.fileno(), start, stop)


def _copy_range(src: int, dest: int, start: int, stop: int) -> None:
    offset = start
    while offset < stop:
        block = os.pread(src, min(CHUNK, stop - offset), offset)
        if not block:
            return
        written = os.pwrite(dest, block, offset)
        offset += written
