"""Which process writes a run, and whether it is still alive.

A run records the host name, the pid and a *token* of the process that created
it. On Linux the token is the boot id plus the process's start time in clock
ticks (``/proc/<pid>/stat`` field 22): a pid reused after a crash or a reboot
gets a different token, so a dead writer is never mistaken for a live one.
Elsewhere the token is empty and the pid alone decides.

Only runs written on *this* host can be judged; runs of other hosts are left as
they are (their own squall marks them when it next looks).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

_PROC = Path("/proc")


@dataclass(frozen=True, slots=True)
class Owner:
    host: str
    pid: int
    token: str


def _boot_id() -> str:
    try:
        return (_PROC / "sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def _start_ticks(pid: int) -> str | None:
    """The process's start time since boot, or None if there is no such process."""
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
    except FileNotFoundError:
        return None
    except OSError:
        return ""
    # the command name (field 2) may contain spaces and parentheses: split after it
    fields = stat.rpartition(")")[2].split()
    if fields and fields[0] in ("Z", "X"):  # exited, not yet reaped: gone all the same
        return None
    return fields[19] if len(fields) > 19 else ""


def _token(pid: int) -> str | None:
    if not _PROC.joinpath("self").exists():
        return ""
    ticks = _start_ticks(pid)
    if ticks is None:
        return None
    return f"{_boot_id()}:{ticks}" if ticks else ""


def current() -> Owner:
    pid = os.getpid()
    return Owner(host=socket.gethostname(), pid=pid, token=_token(pid) or "")


def is_alive(owner: Owner) -> bool | None:
    """True or False for a process of this host; None when it cannot be told."""
    if owner.host != socket.gethostname():
        return None
    try:
        os.kill(owner.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, belongs to someone else
    except OverflowError:
        return False
    if not owner.token:
        return True
    return _token(owner.pid) == owner.token
