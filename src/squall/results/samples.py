"""Monitor samples and fault events of a run (tables ``monitor_samples``, ``fault_events``).

Written in batches by the run's resilience companion while the run lasts; read back
for the downtime analysis. Rows go with their run (``ON DELETE CASCADE``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Double,
    Integer,
    MetaData,
    RowMapping,
    Select,
    String,
    Table,
    Text,
    func,
    insert,
    select,
)
from sqlalchemy.exc import SQLAlchemyError

from squall.errors import StoreError
from squall.results.store import Store

_metadata = MetaData()
_ID = BigInteger().with_variant(Integer(), "sqlite")
SAMPLES = Table(
    "monitor_samples",
    _metadata,
    Column("id", _ID, primary_key=True),
    Column("run_id", String(32), nullable=False),
    Column("monitor", String(64), nullable=False),
    Column("target", String(255), nullable=False),
    Column("at", Double(), nullable=False),
    Column("lag", Double(), nullable=False),
    Column("ok", Boolean(), nullable=False),
    Column("latency", Double()),
    Column("value", Double()),
    Column("detail", Text()),
)
EVENTS = Table(
    "fault_events",
    _metadata,
    Column("id", _ID, primary_key=True),
    Column("run_id", String(32), nullable=False),
    Column("disruptor", String(255), nullable=False),
    Column("target", String(255), nullable=False),
    Column("phase", String(16), nullable=False),
    Column("at", Double(), nullable=False),
    Column("ok", Boolean(), nullable=False),
    Column("detail", Text()),
)


@dataclass(frozen=True, slots=True)
class MonitorSample:
    """One probe of one target: wall-clock time, lateness against its schedule, result."""

    monitor: str
    target: str
    at: float
    lag: float
    ok: bool
    latency: float | None = None
    value: float | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class FaultRecord:
    """One phase of one fault (``inject``, ``effect``, ``restore``, ``recovered``)."""

    disruptor: str
    target: str
    phase: str
    at: float
    ok: bool = True
    detail: str = ""


class SampleStore:
    """Reads and writes a run's samples and fault events in the results store."""

    def __init__(self, store: Store) -> None:
        self._reader, self._writer = store.engines

    @contextmanager
    def _write(self, doing: str) -> Iterator[Connection]:
        try:
            with self._writer.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot {doing}: {exc}") from exc

    def _rows(self, query: Select[Any], doing: str) -> Sequence[RowMapping]:
        try:
            with self._reader.connect() as conn:
                return conn.execute(query).mappings().all()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot {doing}: {exc}") from exc

    def add_samples(self, run_id: str, samples: Sequence[MonitorSample]) -> None:
        if not samples:
            return
        rows = [
            {
                "run_id": run_id,
                "monitor": s.monitor,
                "target": s.target[:255],
                "at": s.at,
                "lag": s.lag,
                "ok": s.ok,
                "latency": s.latency,
                "value": s.value,
                "detail": s.detail or None,
            }
            for s in samples
        ]
        with self._write("store monitor samples") as conn:
            conn.execute(insert(SAMPLES), rows)

    def add_events(self, run_id: str, events: Sequence[FaultRecord]) -> None:
        if not events:
            return
        rows = [
            {
                "run_id": run_id,
                "disruptor": e.disruptor[:255],
                "target": e.target[:255],
                "phase": e.phase,
                "at": e.at,
                "ok": e.ok,
                "detail": e.detail or None,
            }
            for e in events
        ]
        with self._write("store fault events") as conn:
            conn.execute(insert(EVENTS), rows)

    def samples(self, run_id: str) -> list[MonitorSample]:
        query = select(SAMPLES).where(SAMPLES.c.run_id == run_id).order_by(SAMPLES.c.id)
        return [_sample(r) for r in self._rows(query, "read monitor samples")]

    def latest_samples(self, run_id: str) -> list[MonitorSample]:
        """The newest sample of each (monitor, target) of a run: one row each, however
        long the run has been probing."""
        newest = (
            select(func.max(SAMPLES.c.id))
            .where(SAMPLES.c.run_id == run_id)
            .group_by(SAMPLES.c.monitor, SAMPLES.c.target)
        )
        query = select(SAMPLES).where(SAMPLES.c.id.in_(newest)).order_by(SAMPLES.c.id)
        return [_sample(r) for r in self._rows(query, "read monitor samples")]

    def events(self, run_id: str) -> list[FaultRecord]:
        query = select(EVENTS).where(EVENTS.c.run_id == run_id).order_by(EVENTS.c.at, EVENTS.c.id)
        return [
            FaultRecord(
                disruptor=str(r["disruptor"]),
                target=str(r["target"]),
                phase=str(r["phase"]),
                at=float(r["at"]),
                ok=bool(r["ok"]),
                detail=str(r["detail"] or ""),
            )
            for r in self._rows(query, "read fault events")
        ]


def _sample(r: RowMapping) -> MonitorSample:
    return MonitorSample(
        monitor=str(r["monitor"]),
        target=str(r["target"]),
        at=float(r["at"]),
        lag=float(r["lag"]),
        ok=bool(r["ok"]),
        latency=None if r["latency"] is None else float(r["latency"]),
        value=None if r["value"] is None else float(r["value"]),
        detail=str(r["detail"] or ""),
    )
