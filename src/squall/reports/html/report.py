"""Write the HTML report of stored runs: the entry point the API calls."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TextIO

from squall.reports.exporters.base import RunData
from squall.reports.html.collect import collect
from squall.reports.html.model import Marker
from squall.reports.html.page import write_page
from squall.stats.timeline import DEFAULT_BINS


def write_report(
    runs: Sequence[RunData],
    out: TextIO,
    *,
    bins: int = DEFAULT_BINS,
    run_markers: Mapping[str, Sequence[Marker]] | None = None,
) -> None:
    """One self-contained HTML page about ``runs`` (overlaid when there are several).

    ``run_markers``: per run id, bands in wall-clock seconds (faults) for the time charts.
    """
    write_page(collect(runs, bins, run_markers), out)
