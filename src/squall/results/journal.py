"""The resource journal kept in the results store (table ``resource_journal``).

Implements ``squall.openstack.journal.Journal``: every create squall makes in a
cloud is a row written before the call, so ``squall cleanup --run ID`` knows what
a run may have left even after ``kill -9``. Each method is one short write
transaction; the store's engines make concurrent writers wait, not fail.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Double,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    select,
    update,
)
from sqlalchemy.exc import SQLAlchemyError

from squall.errors import StoreError
from squall.openstack.journal import EntryState, JournalEntry, NewEntry, ResourceKind
from squall.results.store import Store

_metadata = MetaData()
TABLE = Table(
    "resource_journal",
    _metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("run_id", String(32), nullable=False),
    Column("cloud", String(255), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("name", String(255), nullable=False),
    Column("state", String(16), nullable=False),
    Column("resource_id", String(255)),
    Column("project_id", String(255)),
    Column("parent_id", String(255)),
    Column("scope", String(64)),
    Column("created_at", Double(), nullable=False),
    Column("deleted_at", Double()),
)


class StoreJournal:
    """A ``Journal`` whose rows live in the results store."""

    def __init__(self, store: Store) -> None:
        self._reader, self._writer = store.engines

    @contextmanager
    def _write(self, doing: str) -> Iterator[Connection]:
        try:
            with self._writer.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot {doing} in the resource journal: {exc}") from exc

    def begin(self, entry: NewEntry) -> int:
        with self._write("record a new resource") as conn:
            result = conn.execute(
                insert(TABLE).values(
                    run_id=entry.run_id,
                    cloud=entry.cloud,
                    kind=str(entry.kind),
                    name=entry.name,
                    state=str(EntryState.CREATING),
                    project_id=entry.project_id,
                    parent_id=entry.parent_id,
                    scope=entry.scope,
                    created_at=time.time(),
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def _set(self, entry_id: int, doing: str, **values: object) -> None:
        with self._write(doing) as conn:
            conn.execute(update(TABLE).where(TABLE.c.id == entry_id).values(**values))

    def created(self, entry_id: int, resource_id: str) -> None:
        self._set(
            entry_id, "complete a resource", state=str(EntryState.CREATED), resource_id=resource_id
        )

    def failed(self, entry_id: int) -> None:
        self._set(entry_id, "mark a failed create", state=str(EntryState.FAILED))

    def deleted_entry(self, entry_id: int) -> None:
        self._set(
            entry_id, "mark a deletion", state=str(EntryState.DELETED), deleted_at=time.time()
        )

    def deleted(self, run_id: str, kind: ResourceKind, resource_id: str) -> None:
        with self._write("mark a deletion") as conn:
            conn.execute(
                update(TABLE)
                .where(
                    TABLE.c.run_id == run_id,
                    TABLE.c.kind == str(kind),
                    TABLE.c.resource_id == resource_id,
                )
                .values(state=str(EntryState.DELETED), deleted_at=time.time())
            )

    def entries(self, run_id: str | None = None, *, live_only: bool = True) -> list[JournalEntry]:
        query = select(TABLE).order_by(TABLE.c.id)
        if run_id is not None:
            query = query.where(TABLE.c.run_id == run_id)
        if live_only:
            query = query.where(TABLE.c.state != str(EntryState.DELETED))
        try:
            with self._reader.connect() as conn:
                rows = conn.execute(query).mappings().all()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the resource journal: {exc}") from exc
        return [
            JournalEntry(
                id=int(row["id"]),
                run_id=row["run_id"],
                cloud=row["cloud"],
                kind=ResourceKind(row["kind"]),
                name=row["name"],
                state=EntryState(row["state"]),
                created_at=float(row["created_at"]),
                resource_id=row["resource_id"],
                project_id=row["project_id"],
                parent_id=row["parent_id"],
                scope=row["scope"],
                deleted_at=row["deleted_at"],
            )
            for row in rows
        ]

    def runs_with_live_resources(self) -> list[str]:
        """Run ids that still have rows not marked deleted."""
        query = (
            select(TABLE.c.run_id)
            .where(TABLE.c.state != str(EntryState.DELETED))
            .group_by(TABLE.c.run_id)
        )
        with self._reader.connect() as conn:
            return [str(r) for r in conn.execute(query).scalars()]
