"""The worker program: ``python -m squall.stress.worker --address A -- PYTEST_ARGS``.

It runs ``pytest.main`` with a plugin that takes over the run loop: once the tests
are collected, it connects back to squall as the *template*, forks one worker
process per request, and each worker runs the test it is asked for with pytest's
own protocol (setup, call, teardown; fixtures, ``setUpClass``, conftest files).
Class-level fixtures are kept, torn down or shared according to ``--scope``.

The template forks: it is a fresh single-threaded interpreter, and forking after
collection (and, for ``global``, after setup) is what lets workers share that work.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import sys
import traceback
from collections.abc import Generator
from multiprocessing.connection import Client, Connection
from pathlib import Path
from typing import Any, cast

import pytest
from _pytest.runner import runtestprotocol

from squall.stress.parking import Parking
from squall.stress.protocol import (
    AUTHKEY_ENV,
    ERROR,
    FORK,
    READY,
    RESULT,
    RUN,
    STOP,
    WORKER,
    Execution,
    Outcome,
    Phase,
    SetupScope,
)

MARKER = "stress"
STRESS_ATTRIBUTE = "__squall_stress__"
#: phase -> (exception type name, is it a failed check rather than an error), per execution
_RAISED: dict[str, tuple[str, bool]] = {}


def to_nodeid(arg: str) -> str:
    """A unittest id (``pkg.module.Class.test``) as a pytest node id; others unchanged."""
    if "::" in arg or "/" in arg or arg.endswith(".py") or Path(arg).exists():
        return arg
    parts = arg.split(".")
    for cut in range(len(parts), 0, -1):
        module = ".".join(parts[:cut])
        try:
            spec = importlib.util.find_spec(module)
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.origin and spec.origin.endswith(".py"):
            path = os.path.relpath(spec.origin)
            return "::".join([path, *parts[cut:]])
    return arg


def is_marked(item: pytest.Item) -> bool:
    if item.get_closest_marker(MARKER) is not None:
        return True
    for obj in (getattr(item, "obj", None), getattr(item, "cls", None)):
        if obj is not None and getattr(obj, STRESS_ATTRIBUTE, None) is not None:
            return True
    return False


class _Parents:
    """A stand-in "next item" whose chain is the item's parents: pytest then tears
    down only the function level and keeps class, module and session fixtures."""

    def __init__(self, item: pytest.Item) -> None:
        self._chain = item.listchain()[:-1]

    def listchain(self) -> list[Any]:
        return self._chain


def execute(item: pytest.Item, scope: SetupScope, parking: Parking) -> Execution:
    """Run ``item`` once with pytest's protocol and describe what happened."""
    parking.prepare(item)
    nextitem = None if scope is SetupScope.ACTION else cast(pytest.Item, _Parents(item))
    _RAISED.clear()
    reports = runtestprotocol(item, log=False, nextitem=nextitem)
    phases = [Phase(r.when, r.start, r.stop, r.failed) for r in reports]
    bad = next((r for r in reports if r.failed), None)
    if bad is None:
        skipped = next((r for r in reports if r.skipped), None)
        if skipped is None:
            return Execution(item.nodeid, Outcome.PASSED, phases)
        return Execution(
            item.nodeid,
            Outcome.SKIPPED,
            phases,
            skipped.when,
            "Skipped",
            _crash_message(skipped),
            skipped.longreprtext,
        )
    message = _crash_message(bad)
    exc_type, is_check = _RAISED.get(bad.when, ("Exception", False))
    failed = bad.when == "call" and is_check
    return Execution(
        item.nodeid,
        Outcome.FAILED if failed else Outcome.ERROR,
        phases,
        bad.when,
        exc_type,
        message,
        bad.longreprtext,
    )


def _crash_message(report: pytest.TestReport) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return str(crash.message)
    if isinstance(report.longrepr, tuple):  # a skip: (path, line, reason)
        return str(report.longrepr[2])
    return report.longreprtext.strip().splitlines()[-1] if report.longreprtext else ""


class StressPlugin:
    """Takes over pytest's run loop (see the module docstring)."""

    def __init__(self, options: argparse.Namespace) -> None:
        self.options = options
        self.scope = SetupScope(options.scope)
        self.children: list[int] = []

    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line("markers", f"{MARKER}: a test `squall stress` may run as load")

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        """Note the type of what a phase raised (reports only keep its text)."""
        report = yield
        if call.excinfo is not None:
            check = call.excinfo.errisinstance((AssertionError, pytest.fail.Exception))
            _RAISED[call.when] = (call.excinfo.typename, check)
        return report

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        items = [i for i in session.items if not self.options.marked or is_marked(i)]
        errors = session.testsfailed
        conn = _connect(self.options.address)
        if errors:
            conn.send((ERROR, f"{errors} error(s) while collecting the tests"))
            return True
        if not items:
            conn.send(
                (ERROR, "no test collected" + (" (none marked)" if self.options.marked else ""))
            )
            return True
        if self.scope is SetupScope.GLOBAL:
            self._shared_setup(items[0])
        conn.send((READY, os.getpid(), [i.nodeid for i in items]))
        self._serve_forks(conn, items)
        return True

    def _shared_setup(self, item: pytest.Item) -> None:
        """Set up the first test's class, module and session fixtures once, here."""
        state = item.session._setupstate
        with contextlib.suppress(Exception):  # kept by pytest: every worker reports it
            item.ihook.pytest_runtest_setup(item=item)
        state.teardown_exact(cast(pytest.Item, _Parents(item)))
        item._request = False  # type: ignore[attr-defined]
        item.funcargs = None  # type: ignore[attr-defined]

    def _serve_forks(self, conn: Connection, items: list[pytest.Item]) -> None:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                break
            if message[0] != FORK:
                break
            pid = os.fork()
            if pid == 0:
                conn.close()
                _worker_loop(self.options.address, items, self.scope)
            self.children.append(pid)
        for child in self.children:
            os.waitpid(child, 0)
        if items:
            items[0].session._setupstate.teardown_exact(None)


def _connect(address: str) -> Connection:
    return Client(address, family="AF_UNIX", authkey=bytes.fromhex(os.environ[AUTHKEY_ENV]))


def _worker_loop(address: str, items: list[pytest.Item], scope: SetupScope) -> None:
    """A forked worker: run what squall asks for until told to stop; never returns."""
    code = 0
    parking = Parking()
    try:
        conn = _connect(address)
        conn.send((WORKER, os.getpid()))
        while True:
            message = conn.recv()
            if message[0] == RUN:
                conn.send((RESULT, execute(items[message[1] % len(items)], scope, parking)))
            elif message[0] == STOP:
                break
        if scope is not SetupScope.GLOBAL:  # shared fixtures are the template's to end
            parking.teardown_all(items[0].session)
    except (EOFError, OSError):
        code = 1
    except Exception:  # a fixture's teardown failed at the end: say so, exit non-zero
        traceback.print_exc()
        code = 2
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m squall.stress.worker")
    parser.add_argument("--address", default="")
    parser.add_argument("--scope", default=SetupScope.PROCESS.value)
    parser.add_argument("--marked", action="store_true", help="only tests marked `stress`")
    parser.add_argument("pytest_args", nargs="*")
    options = parser.parse_args(argv)
    sys.path.insert(0, os.getcwd())
    args = [to_nodeid(a) if not a.startswith("-") else a for a in options.pytest_args]
    base = ["-q", "-s", "-p", "no:cacheprovider"]
    return int(pytest.main([*base, *args], plugins=[StressPlugin(options)]))


if __name__ == "__main__":
    sys.exit(main())
