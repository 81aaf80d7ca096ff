"""The stored shape of a data-plane run, and its JSON file.

A run record holds the plan, where it ran, every agent (with its clock offset and
status), and per test repetition: totals, merged histograms (encoded HdrHistogram V2,
plus their percentiles for readers without hdrh), per-interval figures, per pair, per
source and destination host, the host matrix and the hosts flagged as bad. It is
written to ``<run dir>/results.json`` (schema ``squall.dataplane.run/1``), also when a
run is partial or interrupted. The results store will keep the same shape in its own
tables once its migrations exist.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from squall.dataplane.aggregate import HostFigures, PairOutcome, RepetitionSummary
from squall.dataplane.controller.state import AgentRecord
from squall.dataplane.live import LiveTest
from squall.dataplane.tools.base import IntervalMeasurement
from squall.errors import SquallError
from squall.stats.histogram import Histogram

SCHEMA = "squall.dataplane.run/1"
RESULTS_FILE = "results.json"
#: while a run is in progress: the repetitions running and their latest interim lines
PROGRESS_FILE = "progress.json"
PERCENTILES = (50.0, 90.0, 95.0, 99.0, 99.9)


@dataclass
class RunRecord:
    run: str
    title: str
    provider: str
    network_mode: str
    plan: dict[str, Any]
    started_at: float
    finished_at: float | None = None
    status: str = "running"  # running | finished | partial | crashed | aborted
    error: str | None = None
    environment: dict[str, Any] = field(default_factory=dict)
    agents: list[AgentRecord] = field(default_factory=list)
    tests: list[RepetitionSummary] = field(default_factory=list)
    rejected_messages: int = 0
    pid: int = 0  # the squall process running it (status tells a dead "running" run)
    #: test dicts already rendered (a summary does not change once appended)
    rendered: dict[int, dict[str, Any]] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class TestState:
    """One test repetition of a run as a listing shows it: what ran and how, no figures."""

    test: str
    tool: str
    repetition: int
    partial: bool
    failed_agents: tuple[str, ...] = ()

    @classmethod
    def of(cls, test: dict[str, Any]) -> TestState:
        """The state of a test document (``test_dict`` shape)."""
        return cls(
            test=test["test"],
            tool=test["tool"],
            repetition=int(test["repetition"]),
            partial=bool(test["partial"]),
            failed_agents=tuple(test.get("failed_agents", ())),
        )


def histogram_dict(hist: Histogram) -> dict[str, Any]:
    data: dict[str, Any] = {"count": hist.count, "encoded": hist.encode()}
    if hist.count:
        data.update(
            min=hist.min,
            max=hist.max,
            percentiles={f"{p:g}": hist.value_at(p) for p in PERCENTILES},
        )
    if hist.out_of_range:
        data["out_of_range"] = hist.out_of_range
    return data


def _hists(hists: dict[str, Histogram]) -> dict[str, Any]:
    return {name: histogram_dict(h) for name, h in hists.items()}


def _interval(item: IntervalMeasurement) -> dict[str, Any]:
    return {
        "start": item.start,
        "end": item.end,
        "counters": item.counters,
        "histograms": _hists(item.histograms),
    }


def _pair(pair: PairOutcome) -> dict[str, Any]:
    data: dict[str, Any] = {
        "client": pair.client,
        "server": pair.server,
        "client_host": pair.client_host,
        "server_host": pair.server_host,
        "status": pair.status,
        "start_skew": pair.start_skew,
    }
    if pair.error:
        data["error"] = pair.error
    if pair.measurement is not None:
        data["counters"] = pair.measurement.counters
        data["histograms"] = _hists(pair.measurement.histograms)
    return data


def _host(figures: HostFigures) -> dict[str, Any]:
    return {
        "pairs": figures.pairs,
        "failed": figures.failed,
        "counters": figures.counters,
        "histograms": _hists(figures.histograms),
    }


def test_dict(summary: RepetitionSummary) -> dict[str, Any]:
    matrix = summary.matrix
    return {
        "test": summary.test,
        "tool": summary.tool,
        "repetition": summary.repetition,
        "start_at": summary.start_at,
        "partial": summary.partial,
        "failed_agents": summary.failed_agents,
        "start_skew": {"max": summary.max_skew, "p99": summary.p99_skew},
        "counters": summary.counters,
        "histograms": _hists(summary.histograms),
        "intervals": [_interval(i) for i in summary.intervals],
        "pairs": [_pair(p) for p in summary.pairs],
        "sources": {h: _host(f) for h, f in summary.sources.items()},
        "destinations": {h: _host(f) for h, f in summary.destinations.items()},
        "matrix": None
        if matrix is None
        else {
            "metric": matrix.metric,
            "sources": matrix.sources,
            "destinations": matrix.destinations,
            "values": matrix.values,
        },
        "bad_hosts": summary.bad_hosts,
    }


def _rendered(record: RunRecord, summary: RepetitionSummary) -> dict[str, Any]:
    key = id(summary)
    if key not in record.rendered:
        record.rendered[key] = test_dict(summary)
    return record.rendered[key]


def release(record: RunRecord) -> None:
    """Drop the histograms of the tests already rendered: their dicts hold them encoded.

    An HdrHistogram takes ~200 KB; a test keeps one per interval, pair, host and name,
    and a run keeps its tests to its end.
    """
    for summary in record.tests:
        if id(summary) not in record.rendered:
            continue
        summary.histograms, summary.intervals = {}, []
        for pair in summary.pairs:
            if pair.measurement is not None:
                pair.measurement.histograms, pair.measurement.intervals = {}, []
        for figures in (*summary.sources.values(), *summary.destinations.values()):
            figures.histograms = {}


def run_dict(record: RunRecord) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "run": record.run,
        "title": record.title,
        "provider": record.provider,
        "network_mode": record.network_mode,
        "status": record.status,
        "error": record.error,
        "started_at": record.started_at,
        "finished_at": record.finished_at,
        "environment": record.environment,
        "plan": record.plan,
        "rejected_messages": record.rejected_messages,
        "pid": record.pid,
        "agents": [
            {
                "id": a.id,
                "hostname": a.hostname,
                "labels": a.labels,
                "status": a.status,
                "clock_offset": a.offset,
                "clock_delay": a.delay,
                "tools": a.tools,
            }
            for a in record.agents
        ],
        "tests": [_rendered(record, t) for t in record.tests],
    }


def write_results(record: RunRecord, run_dir: Path) -> Path:
    return _write(run_dir / RESULTS_FILE, run_dict(record), indent=1)


def progress_dict(running: list[LiveTest]) -> dict[str, Any]:
    return {"updated_at": time.time(), "tests": [t.progress() for t in running]}


def write_progress(progress: dict[str, Any], run_dir: Path) -> Path:
    return _write(run_dir / PROGRESS_FILE, progress)


def read_progress(run_dir: Path) -> dict[str, Any] | None:
    """The progress of a run in progress, or None (finished, or never got that far)."""
    try:
        data = json.loads((run_dir / PROGRESS_FILE).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write(path: Path, data: dict[str, Any], indent: int | None = None) -> Path:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=indent, sort_keys=False))
    tmp.replace(path)
    return path


def read_results(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(path.read_text())
    except FileNotFoundError:
        raise SquallError(f"no data-plane results at {path}") from None
    except (OSError, ValueError) as exc:
        raise SquallError(f"cannot read {path}: {exc}") from None
    if data.get("schema") != SCHEMA:
        raise SquallError(f"{path} is not a squall data-plane result ({data.get('schema')!r})")
    return data


def now() -> float:
    return time.time()
