"""How results look in a terminal: the summary table, SLA verdicts, live progress."""

from __future__ import annotations

import os
import threading
import time

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.table import Table
from rich.text import Text

from squall.engine.progress import Counters, WorkloadStart
from squall.results.records import StatsRow, WorkloadSummary


def terminal() -> Console:
    """The console commands print to: the terminal's width on a TTY, wide otherwise
    (so tables in logs and CI output are not squeezed to 80 columns)."""
    probe = Console()
    if probe.is_terminal:
        return Console(highlight=False)
    width = int(os.environ.get("COLUMNS", "0") or 0) or 160
    return Console(highlight=False, width=width)


def _sec(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def stats_table(summary: WorkloadSummary) -> Table:
    """Rally's columns (Min, Median, 90%ile, 95%ile, Max, Avg, Success, Count) plus p99."""
    table = Table(title=None, show_edge=False, header_style="bold")
    table.add_column("Action")
    for col in ("Min (sec)", "Median", "90%ile", "95%ile", "99%ile", "Max", "Avg"):
        table.add_column(col, justify="right")
    table.add_column("Success", justify="right")
    table.add_column("Count", justify="right")
    for row in summary.stats:
        table.add_row(*_cells(row))
    return table


def _cells(row: StatsRow) -> list[str]:
    return [
        row.name,
        _sec(row.min),
        _sec(row.median),
        _sec(row.p90),
        _sec(row.p95),
        _sec(row.p99),
        _sec(row.max),
        _sec(row.avg),
        f"{row.success:.1f}%",
        str(row.count),
    ]


def summary_block(summary: WorkloadSummary, title: str) -> RenderableType:
    head = Text.assemble(
        (f"{title}", "bold"),
        f"  {summary.scenario}  status={summary.status}  ",
        f"iterations={summary.total_iteration_count} failed={summary.failed_iteration_count}  ",
        f"load={summary.load_duration:.3f}s full={summary.full_duration:.3f}s",
    )
    lines: list[RenderableType] = [head, stats_table(summary)]
    rate = Text()
    if summary.achieved_rate is not None:
        rate.append(f"achieved start rate {summary.achieved_rate:.1f} it/s")
        if summary.target_rate is not None:
            pct = 100 * summary.achieved_rate / summary.target_rate
            rate.append(f" (target {summary.target_rate:g}, {pct:.1f}%)")
    if summary.max_start_lag is not None and summary.target_rate is not None:
        rate.append(f"; max start lag {summary.max_start_lag * 1000:.1f} ms")
    if rate:
        lines.append(rate)
    for q_name, q_value in sorted(summary.quantisation.items()):
        lines.append(Text(f"quantisation: {q_name} = {q_value:g} s", style="dim"))
    for r in summary.sla_results:
        mark = ("PASS", "green") if r.success else ("FAIL", "bold red")
        lines.append(Text.assemble("SLA ", mark, f" {r.criterion}: {r.detail}"))
    for h in summary.hook_results:
        lines.append(
            Text(
                f"hook #{h.hook_index} {h.action} at {h.triggered_by.event_type}="
                f"{h.triggered_by.value:g}: {h.status}"
                + (f" ({h.error.get('msg', '')})" if h.error else "")
            )
        )
    return Group(*lines)


class _Status:
    """A line redrawn from live counters by Rich's refresh thread."""

    def __init__(self, start: WorkloadStart, counters: Counters) -> None:
        self.start = start
        self.counters = counters
        self.t0 = time.monotonic()

    def __rich__(self) -> RenderableType:
        c = self.counters
        elapsed = time.monotonic() - self.t0
        rate = c.done / elapsed if elapsed > 0 else 0.0
        total = self.start.expected_total
        eta = ""
        if total and rate > 0:
            eta = f"  ETA {max(total - c.done, 0) / rate:5.1f}s"
        elif self.start.expected_duration:
            eta = f"  ETA {max(self.start.expected_duration - elapsed, 0):5.1f}s"
        done = f"{c.done}/{total}" if total else f"{c.done}"
        return Text(
            f"  {self.start.scenario}: {done} done, {c.failed} failed, {rate:,.0f} it/s{eta}"
        )


class TerminalProgress:
    """Live progress on a TTY (Rich), plain periodic lines otherwise."""

    def __init__(self, console: Console, plain_every: float = 10.0) -> None:
        self.console = console
        self.plain_every = plain_every
        self._live: Live | None = None
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def workload_started(self, start: WorkloadStart, counters: Counters) -> None:
        self.console.print(
            Text(f"▶ {start.subtask_title}: {start.scenario} ({start.runner})", style="bold")
        )
        status = _Status(start, counters)
        if self.console.is_terminal:
            self._live = Live(status, console=self.console, refresh_per_second=4, transient=True)
            self._live.start()
        else:
            self._stop.clear()
            self._ticker = threading.Thread(target=self._plain, args=(status,), daemon=True)
            self._ticker.start()

    def _plain(self, status: _Status) -> None:
        while not self._stop.wait(self.plain_every):
            self.console.print(status)

    def workload_finished(self, summary: WorkloadSummary) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None
        if self._ticker is not None:
            self._stop.set()
            self._ticker.join()
            self._ticker = None
