"""Run a command on a host: ``local`` (this machine) or ``ssh`` (asyncssh).

The API is blocking: disruptors and monitors call it from worker threads, never from
the event loop. Commands are argv lists; ``command_line`` shows exactly what runs
(``--dry-run`` prints it), with ``ip netns exec`` and ``sudo -n`` prefixes applied.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import subprocess
import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from squall.errors import FaultError
from squall.hosts.inventory import Host, Inventory

DEFAULT_TIMEOUT = 30.0
CONNECT_TIMEOUT = 10.0
#: exit status shells use for "command not found"
NOT_FOUND = 127


@dataclass(frozen=True, slots=True)
class CommandResult:
    """What one command did on one host."""

    host: str
    argv: tuple[str, ...]
    rc: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def ok(self) -> bool:
        return self.rc == 0

    def describe(self) -> str:
        detail = (self.stderr or self.stdout).strip().splitlines()
        tail = f": {detail[-1]}" if detail else ""
        return f"`{shlex.join(self.argv)}` on {self.host} exited {self.rc}{tail}"


def wrap(host: Host, argv: Sequence[str], *, sudo: bool | None = None) -> list[str]:
    """``argv`` as it runs on ``host``: inside its namespace, through sudo if asked.

    Root on the local host needs no sudo.
    """
    words = list(argv)
    if host.netns:
        words = ["ip", "netns", "exec", host.netns, *words]
    use_sudo = host.sudo if sudo is None else sudo
    if use_sudo and not (host.transport == "local" and os.geteuid() == 0):
        words = ["sudo", "-n", "--", *words]
    return words


def command_line(host: Host, argv: Sequence[str]) -> str:
    """One printable line: where and what (for ``--dry-run`` and messages)."""
    return f"{host.name}: {shlex.join(wrap(host, argv))}"


class Transport(ABC):
    """Runs commands on one host."""

    def __init__(self, host: Host) -> None:
        self.host = host

    @abstractmethod
    def run(self, argv: Sequence[str], *, timeout: float = DEFAULT_TIMEOUT) -> CommandResult:
        """Run ``argv`` (wrapped for the host); raise FaultError if the host is unusable."""

    def check(self, argv: Sequence[str], *, timeout: float = DEFAULT_TIMEOUT) -> CommandResult:
        """Like ``run``, but a non-zero exit raises FaultError."""
        result = self.run(argv, timeout=timeout)
        if not result.ok:
            raise FaultError(result.describe())
        return result


class LocalTransport(Transport):
    """This machine, through ``subprocess`` (no shell)."""

    def run(self, argv: Sequence[str], *, timeout: float = DEFAULT_TIMEOUT) -> CommandResult:
        words = wrap(self.host, argv)
        started = time.monotonic()
        try:
            proc = subprocess.run(
                words, capture_output=True, text=True, timeout=timeout, check=False
            )
        except FileNotFoundError:
            return CommandResult(
                self.host.name, tuple(words), NOT_FOUND, "", f"{words[0]}: command not found", 0.0
            )
        except subprocess.TimeoutExpired:
            raise FaultError(
                f"`{shlex.join(words)}` on {self.host.name} did not finish in {timeout:g} s"
            ) from None
        return CommandResult(
            self.host.name,
            tuple(words),
            proc.returncode,
            proc.stdout,
            proc.stderr,
            time.monotonic() - started,
        )


def _endpoint(spec: str) -> tuple[str | None, str, int]:
    """``user@address:port`` -> (user, address, port)."""
    user, _, rest = spec.rpartition("@")
    address, _, port = rest.partition(":")
    return (user or None), address, int(port) if port else 22


class SSHTransport(Transport):
    """A host reached over SSH with asyncssh: keys, agent, jump host, sudo.

    One connection per command: faults run a handful of commands, and a fresh
    connection is also the honest test of whether the host answers.
    """

    def __init__(self, host: Host, inventory: Inventory | None = None) -> None:
        super().__init__(host)
        self.inventory = inventory

    def connect_options(self, host: Host) -> dict[str, Any]:
        """asyncssh ``connect`` keyword arguments for ``host`` (pure; tested)."""
        options: dict[str, Any] = {
            "host": host.address,
            "port": host.port,
            "connect_timeout": CONNECT_TIMEOUT,
        }
        if host.user:
            options["username"] = host.user
        if host.key_file:
            options["client_keys"] = [os.path.expanduser(host.key_file)]
        if host.known_hosts:
            options["known_hosts"] = os.path.expanduser(host.known_hosts)
        return options

    def jump_host(self) -> Host | None:
        spec = self.host.jump
        if not spec:
            return None
        if self.inventory is not None and any(h.name == spec for h in self.inventory.hosts):
            return self.inventory.get(spec)
        user, address, port = _endpoint(spec)
        return Host(name=spec, address=address, port=port, user=user, transport="ssh")

    def run(self, argv: Sequence[str], *, timeout: float = DEFAULT_TIMEOUT) -> CommandResult:
        words = wrap(self.host, argv)
        started = time.monotonic()
        rc, out, err = asyncio.run(self._run(shlex.join(words), timeout))
        return CommandResult(self.host.name, tuple(words), rc, out, err, time.monotonic() - started)

    async def _run(self, line: str, timeout: float) -> tuple[int, str, str]:
        import asyncssh

        where = f"{self.host.name} ({self.host.address}:{self.host.port})"
        try:
            async with contextlib.AsyncExitStack() as stack:
                jump = self.jump_host()
                options = self.connect_options(self.host)
                if jump is not None:
                    tunnel = asyncssh.connect(**self.connect_options(jump))
                    options["tunnel"] = await stack.enter_async_context(tunnel)
                conn = await stack.enter_async_context(asyncssh.connect(**options))
                proc = await asyncio.wait_for(conn.run(line, check=False), timeout)
        except asyncssh.PermissionDenied:
            raise FaultError(
                f"SSH to {where} refused the credentials",
                hint="check the host's user and key_file, or load the key into ssh-agent",
            ) from None
        except asyncssh.HostKeyNotVerifiable:
            raise FaultError(
                f"the SSH host key of {where} is not in known_hosts",
                hint="connect once with ssh to accept it",
            ) from None
        except TimeoutError:
            raise FaultError(f"`{line}` on {where} did not finish in {timeout:g} s") from None
        except (OSError, asyncssh.Error) as exc:
            raise FaultError(f"cannot reach {where} over SSH: {exc}") from None
        rc = proc.exit_status if proc.exit_status is not None else -1
        return rc, _text(proc.stdout), _text(proc.stderr)


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    return value if isinstance(value, str) else ""


def transport_for(host: Host, inventory: Inventory | None = None) -> Transport:
    if host.transport == "ssh":
        return SSHTransport(host, inventory)
    return LocalTransport(host)
