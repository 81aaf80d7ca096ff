"""The tables of the results store (SQLAlchemy 2 typed ORM).

The schema itself is created and changed only by the Alembic migrations in
``migrations/``; these classes must describe the head revision exactly (a test
compares them). JSON columns are text written by ``serialize.dumps`` so that
every float comes back bit for bit on SQLite and PostgreSQL alike (PostgreSQL's
``json`` type refuses NaN and ``jsonb`` reorders keys).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Dialect,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from squall.results.serialize import dumps, loads

# SQLite only auto-increments an INTEGER PRIMARY KEY
BigId = BigInteger().with_variant(Integer(), "sqlite")


class JSONText(TypeDecorator[Any]):
    """A JSON value stored as text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else dumps(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else loads(value)


class Base(DeclarativeBase):
    pass


class RunRow(Base):
    """One run of a task. ``owner_*`` identify the process that writes it."""

    __tablename__ = "runs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[float] = mapped_column(Double, index=True)
    finished_at: Mapped[float | None] = mapped_column(Double)
    source_format: Mapped[str] = mapped_column(String(32))
    task: Mapped[dict[str, Any]] = mapped_column(JSONText)
    environment: Mapped[dict[str, Any]] = mapped_column(JSONText)
    abort_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_host: Mapped[str] = mapped_column(String(255))
    owner_pid: Mapped[int] = mapped_column(Integer)
    owner_token: Mapped[str] = mapped_column(String(128))

    tags: Mapped[list[TagRow]] = relationship(
        order_by="TagRow.position", cascade="all, delete-orphan", passive_deletes=True
    )
    workloads: Mapped[list[WorkloadRow]] = relationship(
        order_by="(WorkloadRow.subtask_index, WorkloadRow.workload_index)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class TagRow(Base):
    __tablename__ = "run_tags"

    run_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    tag: Mapped[str] = mapped_column(String(255), index=True)


class WorkloadRow(Base):
    """One workload of a run: its config, and its summary once it has run."""

    __tablename__ = "workloads"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("runs.id", ondelete="CASCADE"), index=True
    )
    subtask_index: Mapped[int] = mapped_column(Integer)
    workload_index: Mapped[int] = mapped_column(Integer)
    written_index: Mapped[int | None] = mapped_column(Integer)  # NULL: stored before 0005
    subtask_title: Mapped[str] = mapped_column(String(255))
    config: Mapped[dict[str, Any]] = mapped_column(JSONText)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSONText)


class ChunkRow(Base):
    """A batch of iterations of one workload, encoded by ``results.codec``."""

    __tablename__ = "iteration_chunks"
    __table_args__ = (Index("ix_iteration_chunks_workload_id_id", "workload_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    workload_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("workloads.id", ondelete="CASCADE")
    )
    iterations: Mapped[int] = mapped_column(Integer)
    failures: Mapped[int] = mapped_column(Integer)
    min_number: Mapped[int] = mapped_column(BigInteger)
    max_number: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[bytes] = mapped_column(LargeBinary)
