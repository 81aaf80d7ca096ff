"""Test pools on tests/data/stress/stress_cases.py, run from squall's checkout."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from squall.stress.pool import PoolSpec, WorkerPool

ROOT = Path(__file__).resolve().parents[3]
CASES = "tests/data/stress/stress_cases.py"


@pytest.fixture(autouse=True)
def _no_plugin_autoload(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers start pytest; without this venv's entry-point plugins it starts in a second."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")


@pytest.fixture
def setup_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The file the cases' class setups write to (inherited by the workers)."""
    log = tmp_path / "setups.log"
    monkeypatch.setenv("SQUALL_STRESS_LOG", str(log))
    return log


@pytest.fixture
def make_pool() -> Iterator[type[WorkerPool]]:
    pools: list[WorkerPool] = []

    def make(*tests: str, **kw: object) -> WorkerPool:
        pool = WorkerPool(PoolSpec(tests=tests, rootdir=str(ROOT), **kw))  # type: ignore[arg-type]
        pools.append(pool)
        pool.start()
        return pool

    yield make  # type: ignore[misc]
    for pool in pools:
        pool.close()
