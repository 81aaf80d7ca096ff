"""The results store: every run, workload and iteration squall measures.

SQLite by default (a file under the user's data directory), PostgreSQL by URL.
Writes are short transactions (one per call); iterations go in as compressed
chunks (``results.codec``) and stream back a page of chunks at a time, so a
million of them never sit in memory at once.

Runs left ``running`` by a process that died (``kill -9``, a power cut) are marked
``crashed`` by ``mark_stale_runs``, which ``get_run`` and ``list_runs`` call: see
``results.owner`` for how a dead writer is told from a live one.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

from sqlalchemy import Engine, delete, func, insert, select, text, update
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, selectinload

from squall.errors import StoreError
from squall.iteration import IterationResult
from squall.results import database, migrate, owner
from squall.results.codec import ChunkFormatError, decode_chunk, encode_chunk
from squall.results.convert import run_record
from squall.results.models import ChunkRow, RunRow, TagRow, WorkloadRow
from squall.results.records import Environment, RunRecord, RunStatus, WorkloadSummary
from squall.results.serialize import environment_to_json, summary_to_json
from squall.task.model import Task, Workload

ACTIVE = (RunStatus.INIT, RunStatus.RUNNING, RunStatus.ABORTING)
CHUNK_SIZE = 2000  # iterations per stored chunk at most
PAGE = 8  # chunks read per query when streaming


@dataclass(frozen=True, slots=True)
class StoreInfo:
    """What ``squall db info`` shows."""

    url: str  # password masked
    backend: str  # "sqlite" or "postgresql"
    revision: str | None  # None: squall has never written this database
    head: str  # the revision this squall writes
    runs: int
    workloads: int
    chunks: int
    iterations: int
    size_bytes: int | None

    @property
    def up_to_date(self) -> bool:
        return self.revision == self.head


class Store:
    """One results database. Open it with ``Store.open``; close it when done."""

    def __init__(self, engine: Engine, url: URL) -> None:
        self._engine = engine
        self._writer = engine.execution_options(**{database.WRITE: True})
        self._url = url

    # -- opening -------------------------------------------------------------------

    @classmethod
    def open(
        cls, url: str | None = None, *, upgrade: bool = True, must_exist: bool = False
    ) -> Store:
        """Open (and create, and upgrade unless told not to) the store at ``url``.

        ``url`` is a SQLAlchemy URL, a file path, or ``None`` for the default
        SQLite file; ``must_exist`` refuses to create a SQLite file that is not
        there. Raises ``StoreError`` for anything that stops it being used.
        """
        parsed = database.resolve_url(url)
        if must_exist:
            database.require_file(parsed)
        store = cls(database.create(parsed), parsed)
        try:
            revision = store.revision()
            if upgrade and revision != migrate.head():
                store.upgrade()
            elif revision is not None:
                store._use_wal()
        except BaseException:
            store.close()
            raise
        return store

    def revision(self) -> str | None:
        """The database's schema revision (``None`` when squall never wrote it)."""
        with self._translated("read the schema version"), self._engine.connect() as conn:
            return migrate.current(conn)

    def upgrade(self) -> tuple[str | None, str]:
        """Migrate to the newest schema; returns (revision before, after)."""
        with self._translated("upgrade the schema"), self._writer.begin() as conn:
            revisions = migrate.upgrade(conn)
        self._use_wal()
        return revisions

    def _use_wal(self) -> None:
        with self._translated("switch to WAL mode"):
            database.use_wal(self._engine)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def engines(self) -> tuple[Engine, Engine]:
        """(reader, writer) engines, for tables other modules own (the resource journal)."""
        return self._engine, self._writer

    @property
    def url(self) -> str:
        return database.mask(self._url)

    @property
    def backend(self) -> str:
        return database.backend(self._url)

    # -- plumbing -------------------------------------------------------------------

    @contextmanager
    def _translated(self, doing: str) -> Iterator[None]:
        with database.translated(self._url, doing):
            yield

    @contextmanager
    def _reading(self, doing: str) -> Iterator[Session]:
        with self._translated(doing), Session(self._engine) as session:
            yield session

    @contextmanager
    def _writing(self, doing: str) -> Iterator[Session]:
        with self._translated(doing), Session(self._writer) as session, session.begin():
            yield session

    # -- runs -------------------------------------------------------------------------

    def create_run(
        self, task: Task, env: Environment, tags: list[str], *, run_id: str | None = None
    ) -> str:
        """Store a new run (status ``init``) owned by this process; return its id.

        ``run_id`` keeps an id made elsewhere (an imported run); by default a new
        uuid4 hex string. The task's own tags come first, then ``tags``.
        """
        me = owner.current()
        run_id = run_id or uuid.uuid4().hex
        all_tags = list(dict.fromkeys([*task.tags, *tags]))
        row = RunRow(
            id=run_id,
            title=task.title,
            description=task.description,
            status=RunStatus.INIT.value,
            created_at=time.time(),
            finished_at=None,
            source_format=task.source_format,
            task=task.model_dump(mode="json"),
            environment=environment_to_json(env),
            abort_requested=False,
            owner_host=me.host,
            owner_pid=me.pid,
            owner_token=me.token,
            tags=[TagRow(position=i, tag=tag) for i, tag in enumerate(all_tags)],
        )
        with self._writing("store a new run") as session:
            session.add(row)
        return run_id

    def set_run_status(self, run_id: str, status: RunStatus, finished: bool = False) -> None:
        values: dict[str, object] = {"status": status.value}
        if finished:
            values["finished_at"] = time.time()
        with self._writing("update a run's status") as session:
            done = session.execute(update(RunRow).where(RunRow.id == run_id).values(values))
            if done.rowcount == 0:  # type: ignore[attr-defined]
                raise StoreError(f"no run {run_id} in {self.url}")

    def get_run(self, ref: str) -> RunRecord:
        """A run by full id, unique prefix (4 characters or more) or ``last``."""
        self.mark_stale_runs()
        with self._reading("read a run") as session:
            return run_record(self._resolve(session, ref))

    def list_runs(
        self, tag: str | None = None, status: RunStatus | None = None, limit: int | None = None
    ) -> list[RunRecord]:
        """Runs, newest first, optionally of one tag or status."""
        self.mark_stale_runs()
        query = select(RunRow).options(selectinload(RunRow.tags), selectinload(RunRow.workloads))
        if tag is not None:
            query = query.where(RunRow.id.in_(select(TagRow.run_id).where(TagRow.tag == tag)))
        if status is not None:
            query = query.where(RunRow.status == status.value)
        query = query.order_by(RunRow.created_at.desc(), RunRow.id.desc()).limit(limit)
        with self._reading("list runs") as session:
            return [run_record(row) for row in session.scalars(query)]

    def delete_run(self, ref: str, *, force: bool = False) -> str:
        """Delete a run with everything it holds; refuse a run still being written."""
        self.mark_stale_runs()
        with self._writing("delete a run") as session:
            row = self._resolve(session, ref)
            if not force and RunStatus(row.status) in ACTIVE:
                raise StoreError(
                    f"run {row.id} is still {row.status} (pid {row.owner_pid} on {row.owner_host})",
                    hint=f"abort it first (squall task abort {row.id[:8]})",
                )
            workloads = select(WorkloadRow.id).where(WorkloadRow.run_id == row.id)
            session.execute(delete(ChunkRow).where(ChunkRow.workload_id.in_(workloads)))
            session.execute(delete(WorkloadRow).where(WorkloadRow.run_id == row.id))
            session.execute(delete(TagRow).where(TagRow.run_id == row.id))
            session.execute(delete(RunRow).where(RunRow.id == row.id))
            return row.id

    def request_abort(self, ref: str) -> str:
        """Ask the process running ``ref`` to stop; it polls ``abort_requested``."""
        self.mark_stale_runs()
        with self._writing("request an abort") as session:
            row = self._resolve(session, ref)
            if RunStatus(row.status) not in ACTIVE:
                raise StoreError(f"run {row.id} is {row.status}: there is nothing to abort")
            row.abort_requested = True
            return row.id

    def abort_requested(self, run_id: str) -> bool:
        with self._reading("read a run's abort flag") as session:
            flag = session.scalar(select(RunRow.abort_requested).where(RunRow.id == run_id))
        return bool(flag)

    def mark_stale_runs(self) -> list[str]:
        """Mark ``crashed`` the unfinished runs of this host whose writer is gone."""
        me = owner.current()
        query = select(RunRow.id, RunRow.owner_pid, RunRow.owner_token).where(
            RunRow.status.in_([s.value for s in ACTIVE]), RunRow.owner_host == me.host
        )
        with self._reading("look for crashed runs") as session:
            rows = session.execute(query).all()
        stale = [
            run_id
            for run_id, pid, token in rows
            if owner.is_alive(owner.Owner(me.host, pid, token)) is False
        ]
        if stale:
            with self._writing("mark crashed runs") as session:
                session.execute(
                    update(RunRow)
                    .where(RunRow.id.in_(stale), RunRow.status.in_([s.value for s in ACTIVE]))
                    .values(status=RunStatus.CRASHED.value, finished_at=time.time())
                )
        return stale

    def _resolve(self, session: Session, ref: str) -> RunRow:
        ref = ref.strip().lower()
        query = select(RunRow).options(selectinload(RunRow.tags), selectinload(RunRow.workloads))
        if ref == "last":
            row = session.scalars(
                query.order_by(RunRow.created_at.desc(), RunRow.id.desc()).limit(1)
            ).first()
            if row is None:
                raise StoreError(f"no runs in {self.url} yet", hint="start one: squall task start")
            return row
        if len(ref) < 4 or any(c not in "0123456789abcdef" for c in ref):
            raise StoreError(
                f"{ref!r} is not a run id",
                hint="give a run id, at least its first 4 characters, or 'last'",
            )
        rows = list(session.scalars(query.where(RunRow.id.startswith(ref)).limit(6)))
        if not rows:
            raise StoreError(
                f"no run {ref} in {self.url}", hint="`squall task list` shows the stored runs"
            )
        if len(rows) > 1:
            shown = ", ".join(f"{r.id} ({r.title})" for r in rows[:5])
            raise StoreError(
                f"{ref!r} is the start of several run ids", hint=f"give more of it: {shown}"
            )
        return rows[0]

    # -- workloads and iterations ---------------------------------------------------

    def add_workload(
        self,
        run_id: str,
        subtask_index: int,
        workload_index: int,
        subtask_title: str,
        workload: Workload,
        written_index: int | None = None,
    ) -> int:
        """Store a workload about to run; ``written_index`` is its place in the subtask
        as written, when ``cloud: all`` moved it (``workload_index`` by default)."""
        row = WorkloadRow(
            run_id=run_id,
            subtask_index=subtask_index,
            workload_index=workload_index,
            written_index=workload_index if written_index is None else written_index,
            subtask_title=subtask_title,
            config=workload.model_dump(mode="json"),
            summary=None,
        )
        with self._writing("store a workload") as session:
            session.add(row)
            session.flush()
            return row.id

    def add_iterations(self, workload_id: int, batch: Sequence[IterationResult]) -> None:
        """Append ``batch`` to the workload's iterations (one transaction)."""
        rows = [
            _chunk_row(workload_id, batch[i : i + CHUNK_SIZE])
            for i in range(0, len(batch), CHUNK_SIZE)
        ]
        if not rows:
            return
        with self._translated("store iterations"), self._writer.begin() as conn:
            conn.execute(insert(ChunkRow), rows)

    def finish_workload(self, workload_id: int, summary: WorkloadSummary) -> None:
        with self._writing("store a workload summary") as session:
            done = session.execute(
                update(WorkloadRow)
                .where(WorkloadRow.id == workload_id)
                .values(summary=summary_to_json(summary))
            )
            if done.rowcount == 0:  # type: ignore[attr-defined]
                raise StoreError(f"no workload {workload_id} in {self.url}")

    def iteration_batches(self, workload_id: int) -> Iterator[list[IterationResult]]:
        """The workload's iterations, one stored batch at a time, in storing order."""
        last = 0
        while True:
            query = (
                select(ChunkRow.id, ChunkRow.data)
                .where(ChunkRow.workload_id == workload_id, ChunkRow.id > last)
                .order_by(ChunkRow.id)
                .limit(PAGE)
            )
            with self._translated("read iterations"), self._engine.connect() as conn:
                page = conn.execute(query).all()
            if not page:
                return
            for chunk_id, data in page:
                yield self._decode(workload_id, chunk_id, data)
                last = chunk_id

    def iterations(self, workload_id: int) -> Iterator[IterationResult]:
        """The workload's iterations, streamed in storing order."""
        for batch in self.iteration_batches(workload_id):
            yield from batch

    def iteration_count(self, workload_id: int) -> int:
        query = select(func.coalesce(func.sum(ChunkRow.iterations), 0)).where(
            ChunkRow.workload_id == workload_id
        )
        with self._reading("count iterations") as session:
            return int(session.scalar(query) or 0)

    def _decode(self, workload_id: int, chunk_id: int, data: bytes) -> list[IterationResult]:
        try:
            return decode_chunk(bytes(data))
        except ChunkFormatError as exc:
            raise StoreError(
                f"iterations of workload {workload_id} (chunk {chunk_id}) cannot be read: {exc}",
                hint="the database was damaged or written by another program",
            ) from exc

    # -- the database as a whole --------------------------------------------------

    def info(self) -> StoreInfo:
        counts = select(
            select(func.count()).select_from(RunRow).scalar_subquery(),
            select(func.count()).select_from(WorkloadRow).scalar_subquery(),
            select(func.count()).select_from(ChunkRow).scalar_subquery(),
            select(func.coalesce(func.sum(ChunkRow.iterations), 0)).scalar_subquery(),
        )
        revision = self.revision()
        runs = workloads = chunks = iterations = 0
        if revision is not None:
            with self._reading("count what is stored") as session:
                runs, workloads, chunks, iterations = session.execute(counts).one()
        return StoreInfo(
            url=self.url,
            backend=self.backend,
            revision=revision,
            head=migrate.head(),
            runs=int(runs),
            workloads=int(workloads),
            chunks=int(chunks),
            iterations=int(iterations),
            size_bytes=self._size(),
        )

    def _size(self) -> int | None:
        if self.backend == "sqlite":
            path = Path(self._url.database or "")
            files = [path, path.with_name(path.name + "-wal")]
            return sum(f.stat().st_size for f in files if f.exists())
        if self.backend == "postgresql":
            with self._reading("measure the database") as session:
                size = session.scalar(text("SELECT pg_database_size(current_database())"))
            return int(size) if size is not None else None
        return None  # pragma: no cover - only the two backends above are opened


def _chunk_row(workload_id: int, batch: Sequence[IterationResult]) -> dict[str, object]:
    numbers = [it.number for it in batch]
    return {
        "workload_id": workload_id,
        "iterations": len(batch),
        "failures": sum(1 for it in batch if it.error is not None),
        "min_number": min(numbers),
        "max_number": max(numbers),
        "data": encode_chunk(batch),
    }
