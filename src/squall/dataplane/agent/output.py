"""A tool's output as the agent keeps it: new lines for interim reports, head and tail for the end.

Interim reports carry every line printed since the last one. The final report carries
the whole output up to ``limit`` bytes; past that, its first and last halves (the lines
between are counted in ``skipped``, not kept), because tools print what matters most
last (iperf3's and ping's summaries, fio's final report). Standard library only.
"""

from __future__ import annotations

import subprocess
import threading
from collections import deque
from typing import IO


class KeptOutput:
    """Lines of one stream: those not yet reported, and the head and tail kept for the end."""

    def __init__(self, limit: int, *, streaming: bool = False) -> None:
        self.half = limit // 2
        self.streaming = streaming
        self.skipped = 0  # bytes dropped between head and tail
        self._head: list[bytes] = []
        self._head_size = 0
        self._tail: deque[bytes] = deque()
        self._tail_size = 0
        self._fresh: list[bytes] = []

    def add(self, line: bytes) -> None:
        if self.streaming:
            self._fresh.append(line)
        if not self._tail and self._head_size + len(line) <= self.half:
            self._head.append(line)
            self._head_size += len(line)
            return
        self._tail.append(line)
        self._tail_size += len(line)
        while self._tail_size > self.half and len(self._tail) > 1:
            dropped = self._tail.popleft()
            self._tail_size -= len(dropped)
            self.skipped += len(dropped)

    def take(self) -> bytes:
        """Every line added since the last call (streaming only)."""
        fresh, self._fresh = self._fresh, []
        return b"".join(fresh)

    def kept(self) -> bytes:
        return b"".join(self._head) + b"".join(self._tail)


class ChildOutput:
    """A child's stdout (``KeptOutput``) and stderr tail, read by two threads."""

    def __init__(
        self, process: subprocess.Popen[bytes], limit: int, *, streaming: bool = False
    ) -> None:
        self.out = KeptOutput(limit, streaming=streaming)
        self._err: deque[bytes] = deque(maxlen=64)
        self._lock = threading.Lock()
        assert process.stdout is not None and process.stderr is not None
        self._threads = [
            threading.Thread(target=self._read, args=(process.stdout, True), daemon=True),
            threading.Thread(target=self._read, args=(process.stderr, False), daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _read(self, stream: IO[bytes], is_stdout: bool) -> None:
        with stream:
            for line in stream:
                with self._lock:
                    if is_stdout:
                        self.out.add(line)
                    else:
                        self._err.append(line)

    def take(self) -> str:
        with self._lock:
            return self.out.take().decode("utf-8", "replace")

    def join(self, timeout: float = 5.0) -> None:
        for thread in self._threads:
            thread.join(timeout)

    def stdout(self) -> str:
        with self._lock:
            return self.out.kept().decode("utf-8", "replace")

    def stderr(self) -> str:
        with self._lock:
            return b"".join(self._err)[-4096:].decode("utf-8", "replace")
