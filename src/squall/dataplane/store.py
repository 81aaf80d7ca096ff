"""Data-plane runs in the results store (tables ``dataplane_runs``, ``dataplane_tests``).

A run is saved whole, in one transaction, in the shape of ``results.run_dict`` (the same
document as ``results.json``); saving again replaces it, so a partial run saved after
each test and once more at the end ends up complete. Migration 0004 creates the tables.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Double,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    case,
    delete,
    insert,
    select,
)
from sqlalchemy.exc import SQLAlchemyError

from squall.dataplane.results import SCHEMA, TestState
from squall.errors import StoreError
from squall.results.store import Store

_metadata = MetaData()
RUNS = Table(
    "dataplane_runs",
    _metadata,
    Column("id", String(32), primary_key=True),
    Column("title", Text(), nullable=False),
    Column("provider", String(32), nullable=False),
    Column("network_mode", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("error", Text()),
    Column("started_at", Double(), nullable=False),
    Column("finished_at", Double()),
    Column("plan", Text(), nullable=False),
    Column("environment", Text(), nullable=False),
    Column("agents", Text(), nullable=False),
    Column("rejected_messages", Integer(), nullable=False),
)
TESTS = Table(
    "dataplane_tests",
    _metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("run_id", String(32), ForeignKey("dataplane_runs.id", ondelete="CASCADE")),
    Column("position", Integer(), nullable=False),
    Column("test", String(64), nullable=False),
    Column("tool", String(64), nullable=False),
    Column("repetition", Integer(), nullable=False),
    Column("partial", Boolean(), nullable=False),
    Column("data", Text(), nullable=False),
)


class DataplaneStore:
    def __init__(self, store: Store) -> None:
        self._reader, self._writer = store.engines

    def save(self, run: dict[str, Any]) -> None:
        """Insert or replace one run (``results.run_dict`` shape)."""
        row = {
            "id": run["run"],
            "title": run["title"],
            "provider": run["provider"],
            "network_mode": run["network_mode"],
            "status": run["status"],
            "error": run["error"],
            "started_at": run["started_at"],
            "finished_at": run["finished_at"],
            "plan": json.dumps(run["plan"]),
            "environment": json.dumps(run["environment"]),
            "agents": json.dumps(run["agents"]),
            "rejected_messages": run["rejected_messages"],
        }
        tests = [
            {
                "run_id": run["run"],
                "position": i,
                "test": t["test"],
                "tool": t["tool"],
                "repetition": t["repetition"],
                "partial": t["partial"],
                "data": json.dumps(t),
            }
            for i, t in enumerate(run["tests"])
        ]
        try:
            with self._writer.begin() as conn:
                conn.execute(delete(TESTS).where(TESTS.c.run_id == run["run"]))
                conn.execute(delete(RUNS).where(RUNS.c.id == run["run"]))
                conn.execute(insert(RUNS).values(row))
                if tests:
                    conn.execute(insert(TESTS), tests)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot save data-plane run {run['run']}: {exc}") from exc

    def runs(self) -> list[dict[str, Any]]:
        """Every stored run, oldest first, without its tests."""
        query = select(RUNS).order_by(RUNS.c.started_at)
        with self._read("list data-plane runs") as conn:
            return [_run(dict(r._mapping)) for r in conn.execute(query)]

    def test_states(self) -> dict[str, list[TestState]]:
        """Every stored run's tests in order, by run id, without their figures.

        Only a partial test's document is read (for its failed agents): a listing of
        many runs does not load every histogram.
        """
        partial_data = case((TESTS.c.partial, TESTS.c.data), else_=None).label("data")
        query = select(
            TESTS.c.run_id, TESTS.c.test, TESTS.c.tool, TESTS.c.repetition, TESTS.c.partial
        ).add_columns(partial_data)
        states: dict[str, list[TestState]] = defaultdict(list)
        with self._read("list data-plane tests") as conn:
            for row in conn.execute(query.order_by(TESTS.c.run_id, TESTS.c.position)):
                failed = json.loads(row.data).get("failed_agents", []) if row.data else []
                states[row.run_id].append(
                    TestState(row.test, row.tool, row.repetition, row.partial, tuple(failed))
                )
        return dict(states)

    def get(self, ref: str) -> dict[str, Any]:
        """One run with its tests, by id or a unique prefix of it."""
        with self._read("read a data-plane run") as conn:
            rows = conn.execute(select(RUNS).where(RUNS.c.id.startswith(ref))).all()
            if len(rows) != 1:
                raise StoreError(
                    f"{len(rows)} data-plane runs match {ref!r}",
                    hint="squall dataplane status lists them",
                )
            run = _run(dict(rows[0]._mapping))
            tests = conn.execute(
                select(TESTS.c.data).where(TESTS.c.run_id == run["run"]).order_by(TESTS.c.position)
            )
            run["tests"] = [json.loads(t.data) for t in tests]
        return run

    @contextmanager
    def _read(self, doing: str) -> Iterator[Connection]:
        try:
            with self._reader.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot {doing}: {exc}") from exc


def _run(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "run": row["id"],
        "title": row["title"],
        "provider": row["provider"],
        "network_mode": row["network_mode"],
        "status": row["status"],
        "error": row["error"],
        "started_at": row["started_at"],
        "finished_at": row["finished_at"],
        "plan": json.loads(row["plan"]),
        "environment": json.loads(row["environment"]),
        "agents": json.loads(row["agents"]),
        "rejected_messages": row["rejected_messages"],
        "tests": [],
    }
