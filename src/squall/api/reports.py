"""Reports: the offline HTML page of stored runs, to a file or as text."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from squall.api.compare import Trends
from squall.errors import ConfigError
from squall.reports.exporters.base import RunData
from squall.reports.html.faults import fault_markers
from squall.reports.html.model import Marker
from squall.reports.html.report import write_report
from squall.reports.html.trends import write_trends_page as write_trends
from squall.results.samples import SampleStore
from squall.results.store import Store


def run_data(store: Store, refs: Sequence[str]) -> list[RunData]:
    """The runs ``refs`` (ids, prefixes or 'last'), each read once, duplicates refused."""
    if not refs:
        raise ConfigError("no run given", hint="give one or more run ids, or 'last'")
    runs = [RunData(store.get_run(ref), store.iterations) for ref in refs]
    seen: set[str] = set()
    for run in runs:
        if run.record.id in seen:
            raise ConfigError(f"run {run.record.id} is given twice")
        seen.add(run.record.id)
    return runs


def html_report(store: Store, refs: Sequence[str]) -> str:
    """The report as one HTML string (for the server)."""
    runs = run_data(store, refs)
    buffer = io.StringIO()
    write_report(runs, buffer, run_markers=fault_bands(store, runs))
    return buffer.getvalue()


def fault_bands(store: Store, runs: Sequence[RunData]) -> dict[str, list[Marker]]:
    """Each run's fault windows (from its stored fault events), for the time charts."""
    events = SampleStore(store)
    return {run.record.id: fault_markers(events.events(run.record.id)) for run in runs}


def write_html_report(store: Store, refs: Sequence[str], out: Path) -> Path:
    """Write the report to ``out`` atomically; a path that cannot be written is a ConfigError."""
    target = out.expanduser()
    _check_writable(target)
    runs = run_data(store, refs)
    bands = fault_bands(store, runs)
    return _write_atomically(target, lambda fh: write_report(runs, fh, run_markers=bands))


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
