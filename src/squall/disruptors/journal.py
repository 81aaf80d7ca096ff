"""The undo journal: every fault's undo is written (and fsync'd) before the fault acts.

A JSON-lines file, appended under an exclusive ``flock`` by any thread or process:
``{"op": "begin", "id", "run_id", "disruptor", "target", "undo": [actions], "at"}``
then ``{"op": "done", "id", "at"}`` once the fault is restored. A ``begin`` with no
``done`` is a fault still active, or left behind by a squall that died:
``squall faults cleanup`` (``replay``) performs its undo and marks it done.

A file rather than a table of the results store: the undo must be written from hook
threads and from processes without a store, and must stay readable when the fault
being injected is the loss of the store's own database server.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs
from pydantic import TypeAdapter, ValidationError

from squall.disruptors.actions import Action, perform
from squall.errors import FaultError

ENV_VAR = "SQUALL_FAULT_JOURNAL"
_ACTIONS: TypeAdapter[list[Action]] = TypeAdapter(list[Action])


def default_path() -> Path:
    """``$SQUALL_FAULT_JOURNAL``, else ``faults.jsonl`` in squall's data directory."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir("squall", appauthor=False)) / "faults.jsonl"


@dataclass(frozen=True)
class PendingFault:
    id: str
    run_id: str | None
    disruptor: str
    target: str
    undo: list[Action]
    at: float


@dataclass
class ReplayResult:
    fault: PendingFault
    done: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class FaultJournal:
    """Append-only, crash-safe record of active faults and how to undo them."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()

    @contextmanager
    def _locked(self) -> Iterator[int]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        except OSError as exc:
            raise FaultError(f"cannot open the fault journal {self.path}: {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield fd
        finally:
            os.close(fd)

    def _append(self, record: dict[str, object]) -> None:
        line = (json.dumps(record, separators=(",", ":")) + "\n").encode()
        with self._locked() as fd:
            end = os.lseek(fd, 0, os.SEEK_END)
            if end and os.pread(fd, 1, end - 1) != b"\n":
                line = b"\n" + line  # a record torn by a crash stays on its own line
            os.write(fd, line)
            os.fsync(fd)

    def begin(self, *, run_id: str | None, disruptor: str, target: str, undo: list[Action]) -> str:
        """Record the undo of a fault about to be injected; return the entry id."""
        entry = uuid.uuid4().hex
        self._append(
            {
                "op": "begin",
                "id": entry,
                "run_id": run_id,
                "disruptor": disruptor,
                "target": target,
                "undo": _ACTIONS.dump_python(undo, mode="json"),
                "at": time.time(),
            }
        )
        return entry

    def done(self, entry: str) -> None:
        self._append({"op": "done", "id": entry, "at": time.time()})

    def pending(self, run_id: str | None = None) -> list[PendingFault]:
        """Faults begun and never marked done (of one run, or all), oldest first."""
        if not self.path.exists():
            return []
        with self._locked() as fd:
            raw = _read_all(fd)
        begun: dict[str, PendingFault] = {}
        lines = raw.splitlines()
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if record["op"] == "begin":
                    begun[record["id"]] = _pending(record)
                elif record["op"] == "done":
                    begun.pop(record["id"], None)
            except (ValueError, KeyError, TypeError, ValidationError):
                if (not raw.endswith("\n") and number == len(lines)) or _torn(line, lines, number):
                    continue  # a record cut short by a crash
                raise FaultError(f"{self.path} line {number} is not a fault record") from None
        return [f for f in begun.values() if run_id is None or f.run_id == run_id]

    def replay(self, run_id: str | None = None, *, dry_run: bool = False) -> list[ReplayResult]:
        """Undo every pending fault (newest first) and mark each one done if its undo
        went through; with ``dry_run`` only say what would be done."""
        results = []
        for fault in reversed(self.pending(run_id)):
            result = ReplayResult(fault)
            for action in fault.undo:
                if dry_run:
                    result.done.append(action.describe())
                    continue
                try:
                    result.done.append(perform(action))
                except FaultError as exc:
                    result.errors.append(exc.message)
            if not dry_run and result.ok:
                self.done(fault.id)
            results.append(result)
        return results


def _torn(line: str, lines: list[str], number: int) -> bool:
    """A line that is a record's beginning, followed by a complete record."""
    return line.startswith('{"op":') and number < len(lines)


def _read_all(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks).decode(errors="replace")


def _pending(record: dict[str, object]) -> PendingFault:
    run_id = record["run_id"]
    at = record["at"]
    return PendingFault(
        id=str(record["id"]),
        run_id=None if run_id is None else str(run_id),
        disruptor=str(record["disruptor"]),
        target=str(record["target"]),
        undo=_ACTIONS.validate_python(record["undo"]),
        at=float(at) if isinstance(at, int | float) else 0.0,
    )
