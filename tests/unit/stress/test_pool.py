"""Worker pools running real tests: outcomes, class-setup scopes, dead workers, bad ids."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from squall.errors import ConfigError
from squall.stress.pool import WorkerDied, WorkerPool
from squall.stress.protocol import Outcome, SetupScope

CASES = "tests/data/stress/stress_cases.py"

MakePool = Callable[..., WorkerPool]


def lines(log: Path) -> list[tuple[str, int]]:
    if not log.exists():
        return []
    return [(w, int(p)) for w, p in (line.split() for line in log.read_text().splitlines())]


OUTCOMES = [
    ("test_passes", Outcome.PASSED, "", ""),
    ("test_fails", Outcome.FAILED, "call", "AssertionError"),
    ("test_errors", Outcome.ERROR, "call", "ValueError"),
    ("test_setup_error", Outcome.ERROR, "setup", "RuntimeError"),
    ("test_skipped", Outcome.SKIPPED, "call", "Skipped"),
]


def test_outcomes_and_turns(make_pool: MakePool) -> None:
    pool = make_pool(*(f"{CASES}::{name}" for name, *_ in OUTCOMES))
    for index, (name, outcome, where, exc_type) in enumerate(OUTCOMES * 2):
        result, _ = pool.run(index)
        assert result.nodeid == f"{CASES}::{name}"  # iteration i runs test i mod n
        assert (result.outcome, result.where, result.exc_type) == (outcome, where, exc_type)
        assert [p.name for p in result.phases][:1] == ["setup"]
        if outcome is Outcome.FAILED:
            assert "arithmetic" in result.message
            assert "assert (1 + 1) == 3" in result.longrepr


def test_class_setup_per_process(make_pool: MakePool, setup_log: Path) -> None:
    pool = make_pool(f"{CASES}::TestCounted", f"{CASES}::TestOther")
    pool.warm(2)
    for i in range(12):
        assert pool.run(i)[0].outcome is Outcome.PASSED
    setups = [pid for what, pid in lines(setup_log) if what == "setup"]
    assert 1 <= len(setups) <= 2  # once per worker that ran it, kept across switches
    assert len(set(setups)) == len(setups)
    pool.close()
    teardowns = [pid for what, pid in lines(setup_log) if what == "teardown"]
    assert sorted(teardowns) == sorted(setups)  # torn down when the workers stop


def test_class_setup_per_action(make_pool: MakePool, setup_log: Path) -> None:
    pool = make_pool(f"{CASES}::TestCounted", scope=SetupScope.ACTION)
    for i in range(5):
        assert pool.run(i)[0].outcome is Outcome.PASSED
    assert [w for w, _ in lines(setup_log)] == ["setup", "teardown"] * 5


def test_class_setup_global(make_pool: MakePool, setup_log: Path) -> None:
    pool = make_pool(f"{CASES}::TestCounted", scope=SetupScope.GLOBAL)
    pool.warm(3)
    for i in range(9):
        assert pool.run(i)[0].outcome is Outcome.PASSED
    pool.close()
    assert [w for w, _ in lines(setup_log)] == ["setup", "teardown"]
    (_, setup_pid), (_, teardown_pid) = lines(setup_log)
    assert setup_pid == teardown_pid  # the template set up, the template tore down


def test_a_dead_worker_fails_its_iteration_and_is_replaced(make_pool: MakePool) -> None:
    pool = make_pool(f"{CASES}::test_dies", f"{CASES}::test_passes")
    with pytest.raises(WorkerDied, match="test_dies died"):
        pool.run(0)
    assert pool.run(1)[0].outcome is Outcome.PASSED


def test_marked_only_discovers_marked_tests(make_pool: MakePool) -> None:
    pool = make_pool("samples/stress/test_sample.py", marked_only=True)
    names = [n.rpartition("::")[2] for n in pool.nodeids]
    assert names == ["test_quick", "test_flaky", "test_uses_class_setup"]


def test_a_test_id_that_does_not_exist(make_pool: MakePool) -> None:
    with pytest.raises(ConfigError) as err:
        make_pool(f"{CASES}::test_nope")
    assert "cannot run the tests" in err.value.message
    assert err.value.hint is not None and "test_nope" in err.value.hint


def test_nothing_marked(make_pool: MakePool) -> None:
    with pytest.raises(ConfigError, match="none marked"):
        make_pool(f"{CASES}::test_passes", marked_only=True)


def test_a_unittest_id(make_pool: MakePool) -> None:
    pool = make_pool("samples.stress.test_sample.TestWithClassSetup.test_uses_class_setup")
    assert pool.nodeids == [
        "samples/stress/test_sample.py::TestWithClassSetup::test_uses_class_setup"
    ]
    assert pool.run(0)[0].outcome is Outcome.PASSED
