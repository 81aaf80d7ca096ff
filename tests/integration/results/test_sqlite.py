"""The SQLite store: default location, WAL, concurrent writers, bad files, size."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path

import pytest

from squall.errors import StoreError
from squall.results import migrate
from squall.results.records import RunStatus
from squall.results.store import Store
from squall.testing.records import make_env, make_task, probe_task, stream, workload

pytestmark = pytest.mark.integration
WRITER = Path(__file__).with_name("store_writer.py")


def test_the_default_store_is_a_file_in_the_user_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    with Store.open(None) as store:
        store.create_run(make_task(), make_env(), [])
        assert store.url == f"sqlite:///{tmp_path / 'data' / 'squall' / 'squall.db'}"
    assert (tmp_path / "data" / "squall" / "squall.db").is_file()


def test_a_plain_path_is_a_sqlite_file_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "runs.db"
    with Store.open(str(path)) as store:
        store.create_run(make_task(), make_env(), [])
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    content = b"these are my notes, not a database\n" * 200
    path.write_bytes(content)
    with pytest.raises(StoreError, match="not a squall database") as refused:
        Store.open(str(path))
    assert refused.value.hint is not None and "--db" in refused.value.hint
    assert path.read_bytes() == content


def test_another_programs_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        conn.execute("INSERT INTO invoices VALUES (1, 9.5)")
    content = path.read_bytes()
    with pytest.raises(StoreError, match=r"not a squall results store.*invoices"):
        Store.open(str(path))
    assert path.read_bytes() == content


def test_a_missing_directory_is_explained(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot be opened") as refused:
        Store.open(str(tmp_path / "no" / "such" / "dir.db"))
    assert refused.value.hint is not None and "directory" in refused.value.hint


def test_a_database_from_a_newer_squall_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "squall.db"
    with Store.open(str(path)) as store:
        run_id = store.create_run(make_task(), make_env(), [])
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    content = path.read_bytes()
    for upgrade in (True, False):
        with pytest.raises(StoreError, match=r"9999_future.*newer squall") as refused:
            Store.open(str(path), upgrade=upgrade)
        assert refused.value.hint is not None and "upgrade squall" in refused.value.hint
    assert path.read_bytes() == content
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (migrate.head(),))
    with Store.open(str(path)) as store:
        assert store.get_run("last").id == run_id


def test_a_damaged_chunk_is_reported_not_raised_raw(tmp_path: Path) -> None:
    path = tmp_path / "squall.db"
    with Store.open(str(path)) as store:
        run_id = store.create_run(make_task(), make_env(), [])
        wid = store.add_workload(run_id, 0, 0, "s", make_task().subtasks[0].workloads[0])
        store.add_iterations(wid, workload(10))
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE iteration_chunks SET data = x'00010203'")
        with pytest.raises(StoreError, match=rf"workload {wid}.*cannot be read"):
            list(store.iterations(wid))


def _writer(
    url: str, go: Path, seed: int, batches: int = 150, size: int = 40
) -> subprocess.Popen[str]:
    command = [
        sys.executable,
        str(WRITER),
        "write",
        url,
        str(go),
        str(batches),
        str(size),
        str(seed),
    ]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    url = str(tmp_path / "shared.db")
    Store.open(url).close()
    go = tmp_path / "go"
    writers = [_writer(url, go, seed) for seed in (1, 2)]
    deadline = time.monotonic() + 120
    while not all((tmp_path / f"ready-{seed}").exists() for seed in (1, 2)):
        assert time.monotonic() < deadline and all(w.poll() is None for w in writers)
        time.sleep(0.01)
    go.touch()
    outputs = [w.communicate(timeout=300) for w in writers]
    for writer, (_, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err
    spans = [(float(out.split()[1]), float(out.split()[2])) for out, _ in outputs]
    assert max(s for s, _ in spans) < min(e for _, e in spans), "the writers did not overlap"
    with sqlite3.connect(url) as conn:
        owners = [
            w for (w,) in conn.execute("SELECT workload_id FROM iteration_chunks ORDER BY id")
        ]
    switches = sum(1 for a, b in pairwise(owners) if a != b)
    print(f"\nchunks of the two writers interleave {switches} times")
    assert switches > 1, "the writers' transactions did not interleave"
    with Store.open(url) as store:
        runs = store.list_runs()
        assert len(runs) == 2
        for run, seed in zip(sorted(runs, key=lambda r: r.tags), (1, 2), strict=True):
            assert run.status is RunStatus.FINISHED
            stored = list(store.iterations(run.workloads[0].id))
            assert stored == workload(150 * 40, concurrency=4, seed=seed)


def test_a_run_whose_process_was_killed_is_marked_crashed(tmp_path: Path) -> None:
    url = str(tmp_path / "squall.db")
    hung = subprocess.Popen(
        [sys.executable, str(WRITER), "hang", url], stdout=subprocess.PIPE, text=True
    )
    assert hung.stdout is not None
    run_id = hung.stdout.readline().strip()
    with Store.open(url) as store:
        alive = store.create_run(make_task(), make_env(), [])
        store.set_run_status(alive, RunStatus.RUNNING)
        assert store.mark_stale_runs() == []
        assert store.get_run(run_id).status is RunStatus.RUNNING
        hung.send_signal(signal.SIGKILL)
        hung.wait(timeout=30)
        hung.stdout.close()
        assert store.get_run(run_id).status is RunStatus.CRASHED
        assert store.get_run(run_id).finished_at is not None
        assert store.get_run(alive).status is RunStatus.RUNNING
        assert store.mark_stale_runs() == []


def _file_size(path: Path) -> int:
    return path.stat().st_size


def test_28000_iterations_take_a_tenth_of_rallys_10_5_mb(tmp_path: Path) -> None:
    path = tmp_path / "probe.db"
    task = make_task("probe", workloads=5)
    with Store.open(str(path)) as store:
        run_id = store.create_run(task, make_env(), [])
        count = 0
        for index, items in enumerate(probe_task()):
            wid = store.add_workload(run_id, 0, index, "probe", task.subtasks[0].workloads[index])
            for start in range(0, len(items), 1000):
                store.add_iterations(wid, items[start : start + 1000])
            count += len(items)
    size = _file_size(path)  # closed: the WAL is checkpointed into the file
    print(f"\n{count} iterations in SQLite: {size} bytes ({size / count:.1f} B/iteration)")
    assert count == 28_000
    assert size <= 1_050_000


@pytest.mark.slow
def test_a_million_iterations_stay_small_and_stream_back_in_bounded_memory(
    tmp_path: Path,
) -> None:
    path = tmp_path / "million.db"
    with Store.open(str(path)) as store:
        run_id = store.create_run(make_task("million", workloads=1), make_env(), [])
        wid = store.add_workload(run_id, 0, 0, "million", make_task().subtasks[0].workloads[0])
        for batch in stream(1_000_000, batch=1000):
            store.add_iterations(wid, batch)
    size = _file_size(path)
    print(f"\n1,000,000 iterations in SQLite: {size} bytes ({size / 1e6:.1f} B/iteration)")
    assert size <= 40_000_000
    reader = subprocess.run(
        [sys.executable, str(WRITER), "stream", str(path), str(wid)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    count, total, before_kib, peak_kib = map(int, reader.stdout.split())
    print(f"streamed back: RSS {before_kib / 1024:.0f} MiB before, peak {peak_kib / 1024:.0f} MiB")
    assert count == 1_000_000
    assert total == 1_000_000 * 1_000_001 // 2
    assert peak_kib - before_kib < 64 * 1024  # all of them at once would be > 1 GiB
