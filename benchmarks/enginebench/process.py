"""Run a command and measure it: exit code, wall time and peak memory.

Peak memory is taken two ways and the larger one is reported:

- ``wait4`` gives the kernel's ``ru_maxrss`` for the child, which also covers the
  descendants it reaped (the largest single process, not a sum);
- a sampler sums VmRSS over the whole process tree every ``sample_period`` seconds,
  which catches worker processes running side by side.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Completed:
    argv: tuple[str, ...]
    returncode: int
    wall: float
    maxrss_kb: int  # ru_maxrss from wait4: the largest single process
    tree_rss_kb: int  # largest sampled sum over the process tree
    stdout: Path
    stderr: Path
    timed_out: bool = False

    @property
    def peak_rss_mb(self) -> float:
        return max(self.maxrss_kb, self.tree_rss_kb) / 1024.0

    def tail(self, lines: int = 15) -> str:
        text = self.stderr.read_text(errors="replace") + self.stdout.read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                kids += [int(k) for k in f.read().split()]
    except OSError:
        pass
    return kids


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(root: int) -> int:
    """Sum of resident memory over ``root`` and all its descendants, now."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _rss_kb(pid)
        todo += _children(pid)
    return total


class _TreeSampler(threading.Thread):
    def __init__(self, root: int, period: float) -> None:
        super().__init__(daemon=True)
        self.root, self.period, self.peak = root, period, 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.period):
            self.peak = max(self.peak, tree_rss_kb(self.root))


def run_measured(
    argv: Sequence[str],
    log_stem: Path,
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 3600.0,
    sample_period: float = 0.1,
) -> Completed:
    """Run ``argv`` to completion, stdout/stderr to ``log_stem``.out/.err."""
    out, err = log_stem.with_suffix(".out"), log_stem.with_suffix(".err")
    start = time.monotonic()
    with out.open("wb") as fout, err.open("wb") as ferr:
        proc = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env) if env else None,
            stdout=fout,
            stderr=ferr,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        sampler = _TreeSampler(proc.pid, sample_period)
        sampler.start()
        timed_out = threading.Event()

        def kill_group() -> None:
            timed_out.set()
            os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill_group)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
            sampler.stopped.set()
            sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Completed(
        argv=tuple(argv),
        returncode=proc.returncode,
        wall=time.monotonic() - start,
        maxrss_kb=usage.ru_maxrss,
        tree_rss_kb=sampler.peak,
        stdout=out,
        stderr=err,
        timed_out=timed_out.is_set(),
    )
