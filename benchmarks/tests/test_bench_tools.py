from __future__ import annotations

from enginebench.tools import niced, sqlite_size


def test_niced_prefixes_only_a_nonzero_priority():
    assert niced(["squall", "task"], 0) == ["squall", "task"]
    assert niced(["squall", "task"], -5) == ["nice", "-n", "-5", "squall", "task"]


def test_sqlite_size_counts_the_wal_and_shared_memory_files(tmp_path):
    db = tmp_path / "squall.sqlite"
    db.write_bytes(b"x" * 4096)
    (tmp_path / "squall.sqlite-wal").write_bytes(b"x" * 1000)
    (tmp_path / "squall.sqlite-shm").write_bytes(b"x" * 32)
    (tmp_path / "other.sqlite").write_bytes(b"x" * 7)

    assert sqlite_size(db) == 4096 + 1000 + 32


def test_sqlite_size_of_a_database_without_wal(tmp_path):
    db = tmp_path / "rally.sqlite"
    db.write_bytes(b"x" * 100)

    assert sqlite_size(db) == 100
