"""A second keystone on the devcloud's database, with settings of its own.

The devcloud's keystone is shared by every test running on the machine, so a test
that needs keystone configured differently (tokens that expire after 10 s) must not
restart it. ``SideKeystone`` runs another keystone process from the devcloud's
venv, with the devcloud's configuration (same database, same fernet keys: its
tokens are valid everywhere in the devcloud and expire as it says), overridden by
oslo.config's ``OS_<GROUP>__<OPTION>`` variables, on a free port, with its own
logs. Only what is asked of it goes there, so its access log counts exactly the
tokens a run was issued::

    with SideKeystone(load_config(), {"token": {"expiration": 10}}) as keystone:
        keystone.auth_url            # http://127.0.0.1:<port>/v3
        keystone.token_requests()    # POST /v3/auth/tokens answered 201
        keystone.settled_token_requests()  # the same, once the access log is quiet
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

from squall.devcloud.config import HOST, DevcloudConfig
from squall.devcloud.services import keystone_service


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def oslo_environ(overrides: Mapping[str, Mapping[str, object]]) -> dict[str, str]:
    """``{"token": {"expiration": 10}}`` -> ``{"OS_TOKEN__EXPIRATION": "10"}``."""
    return {
        f"OS_{group.upper()}__{option.upper()}": str(value)
        for group, options in overrides.items()
        for option, value in options.items()
    }


class SideKeystone:
    """Another keystone process of ``config``'s devcloud, with ``overrides`` applied."""

    def __init__(
        self,
        config: DevcloudConfig,
        overrides: Mapping[str, Mapping[str, object]] | None = None,
        *,
        workdir: Path,
        name: str = "keystone-side",
    ) -> None:
        self.config = config
        self.overrides = dict(overrides or {})
        self.port = free_port()
        self.log = workdir / f"{name}.log"
        self.access_log = workdir / f"{name}-access.log"
        self.output = workdir / f"{name}.out"
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def auth_url(self) -> str:
        return f"http://{HOST}:{self.port}/v3"

    def argv(self) -> list[str]:
        argv = list(keystone_service(self.config).argv)
        argv[argv.index("-b") + 1] = f"{HOST}:{self.port}"
        argv[argv.index("--access-logfile") + 1] = str(self.access_log)
        return argv

    def start(self, timeout: float = 120) -> SideKeystone:
        env = {
            **os.environ,
            **oslo_environ({"DEFAULT": {"log_file": self.log}, **self.overrides}),
        }
        with self.output.open("wb") as out:
            self._proc = subprocess.Popen(
                self.argv(),
                env=env,
                cwd=self.config.directory,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_answering(timeout)
        return self

    def _wait_answering(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc is not None and self._proc.poll() is not None:
                tail = self.output.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"side keystone exited:\n{tail}")
            try:
                with urllib.request.urlopen(self.auth_url, timeout=5) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"side keystone did not answer on {self.auth_url} in {timeout} s")

    def stop(self) -> None:
        """SIGTERM to the process group this object started, SIGKILL after 10 s."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def token_requests(self) -> int:
        """Tokens this keystone issued: ``POST /v3/auth/tokens`` answered 201 in its
        access log."""
        if not self.access_log.exists():
            return 0
        return sum(
            1
            for line in self.access_log.read_text().splitlines()
            if '"POST /v3/auth/tokens ' in line and '" 201 ' in line
        )

    def settled_token_requests(self, quiet: float = 0.5, timeout: float = 10) -> int:
        """``token_requests()`` once it has not changed for ``quiet`` seconds: gunicorn
        writes an access-log line after the answer is sent, so a count read right
        after a request may not include it yet."""
        deadline = time.monotonic() + timeout
        count = self.token_requests()
        while time.monotonic() < deadline:
            time.sleep(quiet)
            now = self.token_requests()
            if now == count:
                return count
            count = now
        return count

    def __enter__(self) -> SideKeystone:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
