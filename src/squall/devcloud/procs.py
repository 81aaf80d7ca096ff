"""Start, find, measure and stop the devcloud's processes, by PID, through ``/proc``.

A recorded process is ours only while its PID *and* its kernel start time match what
was recorded when it started: a PID reused by something else is never signalled.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from squall.devcloud.config import HOST

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")

_children: dict[int, subprocess.Popen[bytes]] = {}
"""Processes spawned by this Python process, kept so they can be reaped when they exit
(the devcloud outlives us: whatever is still running when we exit is adopted by init)."""


@dataclass(frozen=True)
class Tracked:
    """A process this devcloud started."""

    name: str
    pid: int
    start_time: int
    """Field 22 of ``/proc/PID/stat`` (clock ticks since boot) when it was recorded."""


def start_time(pid: int) -> int | None:
    """The kernel start time of ``pid``, or None when there is no such process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name (field 2) may hold spaces and parentheses: split after the last ')'
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[19])


def state_of(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2 :].split()[0]


def is_alive(proc: Tracked) -> bool:
    """True while the recorded process runs (zombies count as gone)."""
    return start_time(proc.pid) == proc.start_time and state_of(proc.pid) not in (None, "Z")


def _stat_fields() -> Iterable[tuple[int, list[str]]]:
    """(PID, the fields of ``/proc/PID/stat`` after its command name) for every process;
    ``fields[1]`` is the parent PID, ``fields[3]`` the session."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        yield int(entry.name), stat[stat.rindex(")") + 2 :].split()


def children_map() -> dict[int, list[int]]:
    """Parent PID -> child PIDs, for every process on the machine."""
    tree: dict[int, list[int]] = {}
    for pid, fields in _stat_fields():
        tree.setdefault(int(fields[1]), []).append(pid)
    return tree


def session_members(session: int) -> list[int]:
    """Processes of session ``session`` (every service runs in its own), daemons that
    left the service's process tree included, such as cinder's privsep helpers."""
    return [pid for pid, fields in _stat_fields() if int(fields[3]) == session]


def tree_pids(pid: int, tree: Mapping[int, list[int]] | None = None) -> list[int]:
    """``pid`` and all its descendants."""
    tree = children_map() if tree is None else tree
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(tree.get(current, []))
    return found


def rss_bytes(pids: Iterable[int]) -> int:
    """Resident memory of the given processes, summed (0 for those already gone)."""
    total = 0
    for pid in pids:
        try:
            resident = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        total += resident * PAGE_SIZE
    return total


def spawn(argv: tuple[str, ...], *, env: Mapping[str, str], log: Path, cwd: Path) -> Tracked:
    """Start ``argv`` in its own session, detached from us, output appended to ``log``."""
    with log.open("ab") as out:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=dict(env),
            cwd=cwd,
            start_new_session=True,
            close_fds=True,
        )
    if not _children:
        atexit.register(_hand_over_children)
    _children[proc.pid] = proc
    started = start_time(proc.pid)
    return Tracked(log.stem, proc.pid, started if started is not None else -1)


def _hand_over_children() -> None:
    """At exit, leave the still-running services to init (no "still running" warning)."""
    for proc in _children.values():
        if proc.poll() is None:
            proc.returncode = 0  # nothing to wait for: the devcloud outlives us on purpose
    _children.clear()


def reap() -> None:
    """Collect our exited children so they do not linger as zombies while we wait."""
    for pid, proc in list(_children.items()):
        if proc.poll() is not None:
            del _children[pid]


def signal_all(pids: Iterable[int], sig: signal.Signals) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)


def _alive_pids(pids: Iterable[int]) -> list[int]:
    return [pid for pid in pids if state_of(pid) not in (None, "Z")]


def terminate(procs: list[Tracked], grace: float) -> dict[str, str]:
    """SIGTERM every tree (and what else runs in its session), wait up to ``grace``
    seconds, then SIGKILL what is left.

    Returns ``{name: "stopped" | "killed"}`` for each process that was alive.
    """
    tree = children_map()
    victims = {
        p.name: sorted(set(tree_pids(p.pid, tree)) | set(session_members(p.pid)))
        for p in procs
        if is_alive(p)
    }
    for pids in victims.values():
        signal_all(pids, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        reap()
        if not _alive_pids(pid for pids in victims.values() for pid in pids):
            break
        time.sleep(0.1)
    outcome: dict[str, str] = {}
    for name, pids in victims.items():
        left = _alive_pids(pids)
        signal_all(left, signal.SIGKILL)
        outcome[name] = "killed" if left else "stopped"
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        reap()
        if not _alive_pids(pid for pids in victims.values() for pid in pids):
            break
        time.sleep(0.05)
    return outcome


def port_open(port: int, timeout: float = 0.5) -> bool:
    """True when something accepts TCP connections on 127.0.0.1:``port``."""
    try:
        with socket.create_connection((HOST, port), timeout=timeout):
            return True
    except OSError:
        return False


def port_free(port: int) -> bool:
    """True when this machine would let us listen on 127.0.0.1:``port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def listener_pid(port: int) -> int | None:
    """The PID listening on TCP ``port`` (IPv4 or IPv6), when /proc tells it."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                cols = line.split()
                local, state, inode = cols[1], cols[3], cols[9]
                if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                    inodes.add(inode)
    if not inodes:
        return None
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            for fd in (entry / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    return int(entry.name)
    return None


def command_line(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "?"
    return raw.replace(b"\0", b" ").decode(errors="replace").strip() or "?"


def http_answers(url: str, timeout: float = 5.0) -> bool:
    """True when ``url`` gives any HTTP answer at all (401 and 300 count)."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or HOST, parts.port, timeout=timeout)
    try:
        conn.request("GET", parts.path or "/")
        conn.getresponse().read()
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()
    return True
