"""A stored data-plane run written out as ``squall.dataplane.run/1`` JSON, a test at a time.

The document ``DataplaneStore.get`` returns (the run's ``results.json``), secrets
masked; its tests are read from the store one row at a time and written as they come,
so a run with many pairs, intervals and histograms is never held whole in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TextIO

from sqlalchemy import Connection, select
from sqlalchemy.exc import SQLAlchemyError

from squall.dataplane.results import SCHEMA
from squall.dataplane.store import RUNS, TESTS
from squall.errors import StoreError
from squall.reports.exporters._stream import Stream, write_json
from squall.reports.redact import redact

if TYPE_CHECKING:
    from squall.results.store import Store

HEX = frozenset("0123456789abcdef")
JSON_COLUMNS = ("plan", "environment", "agents")


def resolve(store: Store, ref: str) -> str:
    """The id of the data-plane run ``ref`` (an id, a unique prefix of 4+ hex digits, or
    'last'); a StoreError says why there is none."""
    ref = ref.strip().lower()
    reader, _ = store.engines
    try:
        with reader.connect() as conn:
            if ref == "last":
                query = select(RUNS.c.id).order_by(RUNS.c.started_at.desc()).limit(1)
                ids = list(conn.scalars(query))
            elif len(ref) >= 4 and set(ref) <= HEX:
                ids = list(conn.scalars(select(RUNS.c.id).where(RUNS.c.id.startswith(ref))))
            else:
                raise StoreError(f"{ref!r} is not a data-plane run id")
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot look up data-plane run {ref!r}: {exc}") from exc
    if ref == "last" and not ids:
        raise StoreError("no data-plane runs yet")
    if len(ids) != 1:
        raise StoreError(f"{len(ids)} data-plane runs match {ref!r}",
                         hint="squall dataplane status lists them")  # fmt: skip
    return str(ids[0])


def write_run(store: Store, run_id: str, out: TextIO) -> None:
    """Write run ``run_id`` to ``out``; a StoreError if the store cannot be read."""
    reader, _ = store.engines
    try:
        with reader.connect() as conn:
            head = _head(conn, run_id)
            write_json(out, head | {"tests": Stream(_tests(conn, run_id))}, indent=1)
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot read data-plane run {run_id}: {exc}") from exc


def _head(conn: Connection, run_id: str) -> dict[str, Any]:
    row = conn.execute(select(RUNS).where(RUNS.c.id == run_id)).mappings().first()
    if row is None:
        raise StoreError(f"no data-plane run {run_id}")
    head: dict[str, Any] = {"schema": SCHEMA, "run": row["id"]}
    for name, value in row.items():
        if name != "id":
            head[name] = json.loads(value) if name in JSON_COLUMNS else value
    masked: dict[str, Any] = redact(head)
    return masked


def _tests(conn: Connection, run_id: str) -> Iterator[Any]:
    query = select(TESTS.c.data).where(TESTS.c.run_id == run_id).order_by(TESTS.c.position)
    for data in conn.execution_options(yield_per=4).scalars(query):
        yield redact(json.loads(data))
