"""squall's side of the test workers: start the template, lease workers, stop all.

Workers are started on demand, so the pool grows to the workload's concurrency; a
worker is leased by one iteration at a time (tests are not thread-safe, processes
are the unit of isolation). A worker that dies is dropped and its iteration fails
as an error; the next iteration gets a new one.
"""

from __future__ import annotations

import os
import queue
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, Listener
from pathlib import Path

from squall.errors import ConfigError
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
    SetupScope,
)


class WorkerDied(Exception):
    """A test worker process ended while running a test."""


@dataclass(frozen=True)
class PoolSpec:
    """What the workers run, and where."""

    tests: tuple[str, ...]
    scope: SetupScope = SetupScope.PROCESS
    rootdir: str = "."
    pytest_args: tuple[str, ...] = ()
    marked_only: bool = False
    python: str = field(default_factory=lambda: sys.executable)
    startup_timeout: float = 120.0


class WorkerPool:
    """A template process and the workers forked from it."""

    def __init__(self, spec: PoolSpec) -> None:
        self.spec = spec
        self.nodeids: list[str] = []
        self._dir = tempfile.TemporaryDirectory(prefix="squall-stress-")
        self._key = secrets.token_bytes(16)
        self._listener = Listener(
            str(Path(self._dir.name) / "s"), family="AF_UNIX", authkey=self._key
        )
        self._accepted: queue.Queue[Connection | BaseException] = queue.Queue()
        self._log = Path(self._dir.name) / "template.log"
        self._proc: subprocess.Popen[bytes] | None = None
        self._template: Connection | None = None
        self._idle: list[tuple[Connection, int]] = []  # with the test it ran last
        self._all: list[Connection] = []
        self._lock = threading.Lock()  # the worker lists
        self._forking = threading.Lock()  # one fork at a time (its connection is the next)
        self._closed = False

    # -- start -------------------------------------------------------------------------

    def start(self) -> None:
        """Start the template; ``ConfigError`` with pytest's words if the tests cannot be
        collected (a test id that does not exist, an import error)."""
        threading.Thread(target=self._accept_loop, daemon=True, name="stress-accept").start()
        spec = self.spec
        argv = [spec.python, "-m", "squall.stress.worker", "--address", self._listener.address]
        argv += ["--scope", spec.scope.value, *(["--marked"] if spec.marked_only else [])]
        argv += ["--", *spec.pytest_args, *spec.tests]
        env = {**os.environ, AUTHKEY_ENV: self._key.hex()}
        with self._log.open("wb") as log:
            self._proc = subprocess.Popen(  # its own session: Ctrl-C is squall's to handle
                argv,
                cwd=spec.rootdir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        conn = self._next_connection()
        message = conn.recv()
        if message[0] == ERROR:
            raise ConfigError(f"cannot run the tests: {message[1]}", hint=self._log_tail())
        assert message[0] == READY
        self._template = conn
        self.nodeids = list(message[2])

    def _accept_loop(self) -> None:
        while not self._closed:
            try:
                self._accepted.put(self._listener.accept())
            except (OSError, EOFError) as exc:
                if not self._closed:
                    self._accepted.put(exc)
                return
            except Exception as exc:  # an authentication failure: not ours, keep serving
                self._accepted.put(exc)

    def _next_connection(self) -> Connection:
        deadline = time.monotonic() + self.spec.startup_timeout
        while time.monotonic() < deadline:
            try:
                got = self._accepted.get(timeout=0.1)
            except queue.Empty:
                if self._proc is not None and self._proc.poll() is not None:
                    raise ConfigError(
                        "cannot run the tests: pytest ended before running any",
                        hint=self._log_tail(),
                    ) from None
                continue
            if isinstance(got, BaseException):
                raise ConfigError(f"test worker could not connect: {got}")
            return got
        raise ConfigError(
            f"test workers did not start within {self.spec.startup_timeout:g} s",
            hint=self._log_tail(),
        )

    def _log_tail(self) -> str:
        try:
            lines = self._log.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return "no output from pytest"
        useful = [
            line for line in lines if line.strip() and not line.startswith(("=", "no tests ran"))
        ]
        return "pytest said: " + " | ".join(useful[-6:]) if useful else "pytest said nothing"

    # -- use ---------------------------------------------------------------------------

    def warm(self, workers: int) -> None:
        """Start ``workers`` workers now (so their start is not timed by iterations)."""
        started = [(self._new_worker(), -1) for _ in range(workers - len(self._all))]
        with self._lock:
            self._idle += started

    def _new_worker(self) -> Connection:
        with self._forking:
            if self._template is None or self._closed:
                raise ConfigError("the test pool is not running")
            self._template.send((FORK,))
            conn = self._next_connection()
        with self._lock:
            self._all.append(conn)
        hello = conn.recv()
        assert hello[0] == WORKER
        return conn

    def _pick(self, test: int) -> Connection | None:
        """An idle worker, preferably one that ran ``test`` last (its class is set up)."""
        with self._lock:
            if not self._idle:
                return None
            at = next((i for i, (_, last) in enumerate(self._idle) if last == test), -1)
            return self._idle.pop(at)[0]

    @contextmanager
    def lease(self, test: int) -> Iterator[tuple[Connection, float]]:
        """An idle worker (started if none is idle) and the seconds its start took."""
        conn = self._pick(test)
        startup = 0.0
        if conn is None:
            began = time.monotonic()
            conn = self._new_worker()
            startup = time.monotonic() - began
        healthy = True
        try:
            yield conn, startup
        except WorkerDied:
            healthy = False
            raise
        finally:
            with self._lock:
                if healthy and not self._closed:
                    self._idle.append((conn, test))
                elif conn in self._all:
                    self._all.remove(conn)

    def run(self, index: int) -> tuple[Execution, float]:
        """Run test ``index`` (modulo the number of tests) on an idle worker; also return
        the seconds spent starting that worker (0 when one was idle)."""
        test = index % max(len(self.nodeids), 1)
        with self.lease(test) as (conn, startup):
            try:
                conn.send((RUN, index))
                message = conn.recv()
            except (EOFError, OSError):
                raise WorkerDied(f"the worker process running {self.nodeids[test]} died") from None
            assert message[0] == RESULT
            result: Execution = message[1]
            return result, startup

    # -- stop --------------------------------------------------------------------------

    def close(self) -> None:
        """Stop the workers (their teardown runs), then the template; idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            conns, self._all, self._idle = list(self._all), [], []
        for conn in conns:
            _send_quietly(conn, (STOP,))
        if self._template is not None:
            _send_quietly(self._template, (STOP,))
        if self._proc is not None:
            try:
                self._proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._listener.close()
        self._dir.cleanup()


def _send_quietly(conn: Connection, message: tuple[object, ...]) -> None:
    try:
        conn.send(message)
        conn.close()
    except OSError:
        pass
