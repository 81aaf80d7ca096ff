"""The file-backed volume driver's sparse files (standard library only, no cinder)."""

import importlib.util
import os
from pathlib import Path

import pytest

from squall.devcloud.install import DRIVERS_SOURCE

_spec = importlib.util.spec_from_file_location(
    "squall_devcloud_sparse", DRIVERS_SOURCE / "squall_devcloud_drivers" / "sparse.py"
)
assert _spec is not None and _spec.loader is not None
sparse = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sparse)

MiB = 1024 * 1024


def _allocated(path: Path) -> int:
    return os.stat(path).st_blocks * 512


def _holes_supported(tmp_path: Path) -> bool:
    probe = tmp_path / "probe"
    with probe.open("wb") as out:
        out.truncate(64 * MiB)
    return _allocated(probe) < MiB


def test_create_makes_an_empty_file_of_whole_gib(tmp_path):
    path = tmp_path / "volume-1"
    path.write_bytes(b"left by an earlier attempt")
    sparse.create(path, 1)
    assert path.stat().st_size == sparse.GiB
    with path.open("rb") as f:
        assert f.read(64) == bytes(64)


def test_grow_extends_but_never_shrinks(tmp_path):
    path = tmp_path / "v"
    sparse.create(path, 1)
    sparse.grow(path, 2)
    assert path.stat().st_size == 2 * sparse.GiB
    sparse.grow(path, 1)
    assert path.stat().st_size == 2 * sparse.GiB


def test_copy_keeps_data_at_its_offsets_and_reaches_the_size(tmp_path):
    source, dest = tmp_path / "src", tmp_path / "dst"
    with source.open("wb") as out:
        out.truncate(8 * MiB)
        out.seek(0)
        out.write(b"head")
        out.seek(5 * MiB + 3)
        out.write(b"middle" * 1000)
    dest.write_bytes(b"x" * 100)  # replaced, not merged
    sparse.copy(source, dest, 1)
    assert dest.stat().st_size == sparse.GiB
    with source.open("rb") as a, dest.open("rb") as b:
        assert a.read() == b.read(8 * MiB)
        assert b.read(MiB) == bytes(MiB)


def test_copy_of_a_file_with_data_at_its_end(tmp_path):
    source, dest = tmp_path / "src", tmp_path / "dst"
    source.write_bytes(b"\1" * (3 * sparse.CHUNK + 5))
    sparse.copy(source, dest)
    assert dest.read_bytes() == source.read_bytes()


def test_copy_writes_no_blocks_for_holes(tmp_path):
    if not _holes_supported(tmp_path):
        pytest.skip("this filesystem does not keep holes")
    source, dest = tmp_path / "src", tmp_path / "dst"
    sparse.create(source, 1)
    with source.open("r+b") as out:
        out.seek(100 * MiB)
        out.write(b"\7" * 4096)
    sparse.copy(source, dest, 2)
    assert dest.stat().st_size == 2 * sparse.GiB
    assert _allocated(dest) < MiB
    with dest.open("rb") as f:
        regions = list(sparse.data_regions(f.fileno(), dest.stat().st_size))
    assert len(regions) == 1 and regions[0][0] <= 100 * MiB < regions[0][1]
