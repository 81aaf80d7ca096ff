"""``Python.test``: one execution of an existing Python test per iteration."""

from __future__ import annotations

import time
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from squall.iteration import AtomicAction
from squall.scenarios.base import Scenario
from squall.stress.pool import PoolSpec
from squall.stress.pools import pools_of
from squall.stress.protocol import Execution, Outcome, SetupScope


class TestFailed(Exception):
    """The test ran and an assertion failed."""

    __test__ = False  # a name pytest would otherwise collect


class TestError(Exception):
    """The test raised, or its setup or teardown failed."""

    __test__ = False


class TestSkipped(Exception):
    """The test was skipped: under load that is a failure to run it."""

    __test__ = False


_RAISES: dict[Outcome, type[Exception]] = {
    Outcome.FAILED: TestFailed,
    Outcome.ERROR: TestError,
    Outcome.SKIPPED: TestSkipped,
}


class PythonTest(Scenario):
    """Run one test (a pytest node id or a unittest id) in a pool of worker processes.

    Iteration *i* runs ``tests[(i - 1) % len(tests)]`` (after discovery, when
    ``marked_only``). Workers are processes forked from one template that collected
    the tests; each runs a test with pytest's own protocol, so fixtures, ``setUpClass``
    and conftest files behave as in a normal run. ``class_setup_per`` says when class,
    module and session fixtures are set up: once per worker ``process``, for every
    ``action``, or once ``global``-ly before the workers fork. Each execution is timed
    as an atomic action named after the test (``TestClass::test_name``) holding its
    ``setup``, ``call`` and ``teardown`` phases; starting a worker is counted as idle
    time, not as the test's.
    """

    name: ClassVar[str] = "Python.test"

    class Config(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True)
        tests: list[str] = Field(
            min_length=1, description="pytest node ids, unittest ids, files or folders"
        )
        class_setup_per: SetupScope = SetupScope.PROCESS
        marked_only: bool = Field(
            False, description="only tests marked @pytest.mark.stress or @squall.stresstest"
        )
        rootdir: str = Field(".", description="folder pytest runs in (test ids are relative)")
        pytest_args: list[str] = Field(default_factory=list)
        startup_timeout: float = Field(120.0, gt=0)

        def spec(self) -> PoolSpec:
            return PoolSpec(
                tests=tuple(self.tests),
                scope=self.class_setup_per,
                rootdir=self.rootdir,
                pytest_args=tuple(self.pytest_args),
                marked_only=self.marked_only,
                startup_timeout=self.startup_timeout,
            )

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, PythonTest.Config)
        started = time.monotonic()
        pool, _ = pools_of(self.context).get(cfg.spec())
        startup = time.monotonic() - started
        result, worker_startup = pool.run(self.iteration - 1)
        self.idle_duration += startup + worker_startup
        self._record(result)

    def _record(self, result: Execution) -> None:
        if result.phases:
            phases = [AtomicAction(p.name, p.start, p.stop, failed=p.failed) for p in result.phases]
            self.atomics.actions.append(
                AtomicAction(
                    result.nodeid.partition("::")[2] or result.nodeid,
                    phases[0].started_at,
                    phases[-1].finished_at,
                    children=phases,
                    failed=result.outcome is not Outcome.PASSED,
                )
            )
        raises = _RAISES.get(result.outcome)
        if raises is None:
            return
        where = "" if result.where == "call" else f" (in {result.where})"
        exc = raises(f"{result.nodeid}{where}: {result.message}")
        if result.longrepr:
            exc.add_note(result.longrepr)
        raise exc
