"""Reports: the offline HTML page of stored runs, to a file or as text."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from squall.api import resilience as resilience_api
from squall.api.compare import Trends, find_any
from squall.errors import ConfigError
from squall.reports.exporters.base import RunData
from squall.reports.html.faults import fault_markers
from squall.reports.html.model import Marker
from squall.reports.html.report import write_report
from squall.reports.html.resilience import RunResilience, downtime_bands
from squall.reports.html.trends import write_trends_page as write_trends
from squall.results.samples import SampleStore
from squall.results.store import Store


@dataclass
class ReportInput:
    """Everything a report is drawn from: task runs, their resilience data, data-plane runs."""

    runs: list[RunData] = field(default_factory=list)
    dataplane: list[dict[str, Any]] = field(default_factory=list)
    resilience: dict[str, RunResilience] = field(default_factory=dict)
    markers: dict[str, list[Marker]] = field(default_factory=dict)

    def write(self, out: TextIO) -> None:
        write_report(
            self.runs,
            out,
            run_markers=self.markers,
            resilience=self.resilience,
            dataplane=self.dataplane,
        )


def report_input(store: Store, refs: Sequence[str]) -> ReportInput:
    """Read what the report of ``refs`` shows: task runs (with their monitors, faults and
    downtime windows) and data-plane runs, each ref looked up among both."""
    if not refs:
        raise ConfigError("no run given", hint="give one or more run ids, or 'last'")
    found = ReportInput()
    seen: set[str] = set()
    for ref in refs:
        run_id = _add(store, ref, found)
        if run_id in seen:
            raise ConfigError(f"run {run_id} is given twice")
        seen.add(run_id)
    stored = SampleStore(store)
    for index, run in enumerate(found.runs):
        run_id = run.record.id
        samples, events = stored.samples(run_id), stored.events(run_id)
        found.markers[run_id] = fault_markers(events)
        if samples or events:
            data = RunResilience(run_id, samples, events)
            found.resilience[run_id] = data
            found.runs[index] = RunData(run.record, data.recording(run.record, run.iterations))
            windows = resilience_api.analyse(run_id, samples, events, {})  # probes only
            until = max([s.at for s in samples] + [e.at for e in events])
            found.markers[run_id] += downtime_bands(windows, until)
    return found


def _add(store: Store, ref: str, found: ReportInput) -> str:
    """Find ``ref`` among the task runs, else among the data-plane runs."""
    run = find_any(store, ref)
    if isinstance(run, dict):
        found.dataplane.append(run)
        return str(run["run"])
    found.runs.append(RunData(run, store.iterations))
    return run.id


def run_data(store: Store, refs: Sequence[str]) -> list[RunData]:
    """The task runs ``refs`` (ids, prefixes or 'last'), each read once, duplicates refused."""
    if not refs:
        raise ConfigError("no run given", hint="give one or more run ids, or 'last'")
    runs = [RunData(store.get_run(ref), store.iterations) for ref in refs]
    seen: set[str] = set()
    for run in runs:
        if run.record.id in seen:
            raise ConfigError(f"run {run.record.id} is given twice")
        seen.add(run.record.id)
    return runs


def write_html(store: Store, refs: Sequence[str], out: TextIO) -> None:
    """Write the report of ``refs`` to ``out`` (the server spools it, then sends it)."""
    report_input(store, refs).write(out)


def write_html_report(store: Store, refs: Sequence[str], out: Path) -> Path:
    """Write the report to ``out`` atomically; a path that cannot be written is a ConfigError."""
    target = out.expanduser()
    _check_writable(target)
    found = report_input(store, refs)
    return _write_atomically(target, found.write)


def write_trends_page(trends: Trends, out: Path) -> Path:
    """The trends of ``squall task trends`` as an HTML page at ``out``."""
    target = out.expanduser()
    _check_writable(target)
    return _write_atomically(target, lambda fh: write_trends(trends.tag, trends.workloads, fh))


def _write_atomically(target: Path, write: Callable[[TextIO], None]) -> Path:
    handle, temp_name = tempfile.mkstemp(prefix=".squall-report-", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as fh:
            write(fh)
        os.replace(temp_name, target)
    except OSError as exc:
        raise ConfigError(f"cannot write the report to {target}: {exc.strerror or exc}") from exc
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
    return target


def _check_writable(target: Path) -> None:
    parent = target.parent
    if target.is_dir():
        raise ConfigError(f"{target} is a directory", hint="give a file name, e.g. report.html")
    if not parent.is_dir():
        raise ConfigError(
            f"cannot write the report to {target}: {parent} does not exist",
            hint="create the directory first or choose another path",
        )
    if not os.access(parent, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise ConfigError(f"cannot write the report to {target}: permission denied")
