"""``squall task report|compare|trends``: the HTML report, regressions, history.

``compare`` exits 2 when a workload is worse beyond the threshold, so CI can gate on it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from squall.cli.options import DbOption, open_store
from squall.cli.render import terminal
from squall.errors import ConfigError

if TYPE_CHECKING:
    from squall.stats.compare import Change, WorkloadComparison

# numpy, scipy and plotly load only when these commands run, not for every `squall` call

out = terminal()
STYLE = {"worse": "bold red", "better": "green", "no evidence": "dim"}
RELATIVE = {"p50", "p95", "p99", "durations", "throughput"}


def report(
    runs: Annotated[
        list[str],
        typer.Argument(help="Task or data-plane run ids, prefixes or 'last' (overlaid)."),
    ],
    out_path: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.")] = Path(
        "report.html"
    ),
    db: DbOption = None,
) -> None:
    """Write one self-contained HTML report (opens offline; several runs are overlaid).

    Task runs show their workloads and, with monitors or faults, their resilience;
    data-plane runs their tests' throughput, latency, host heat map and outliers.
    """
    from squall.api import reports as reports_api

    store = open_store(db)
    try:
        written = reports_api.write_html_report(store, runs, out_path)
    finally:
        store.close()
    size = written.stat().st_size
    out.print(f"Report of {len(runs)} run(s) written to {written} ({size / 1e6:.1f} MB)")


def compare(
    before: Annotated[str, typer.Argument(help="The baseline run.")],
    after: Annotated[str, typer.Argument(help="The run to judge against it.")],
    threshold: Annotated[
        float, typer.Option("--threshold", help="Relative change that matters, in percent.")
    ] = 5.0,
    failure_threshold: Annotated[
        float,
        typer.Option("--failure-threshold", help="Failure-rate change that matters, in points."),
    ] = 1.0,
    alpha: Annotated[float, typer.Option("--alpha", help="Significance level.")] = 0.05,
    resamples: Annotated[int, typer.Option("--resamples", help="Bootstrap resamples.")] = 1000,
    db: DbOption = None,
) -> None:
    """Compare two runs per workload and action; exit 2 if one is worse beyond the threshold.

    Two data-plane runs are compared per test: throughput and latency percentiles, each
    judged on per-interval samples.
    """
    from squall.api import compare as compare_api
    from squall.stats.compare import CompareOptions, Verdict

    options = CompareOptions(
        alpha=alpha,
        threshold=threshold / 100,
        failure_threshold=failure_threshold,
        resamples=resamples,
    )
    store = open_store(db)
    try:
        result = compare_api.compare_any(store, before, after, options)
    finally:
        store.close()
    out.print(Text(f"{result.before.id[:8]} ({result.before.title}) → "
                   f"{result.after.id[:8]} ({result.after.title})", style="bold"))  # fmt: skip
    whole = "workload" if isinstance(result, compare_api.RunComparison) else "test"
    for workload in result.workloads:
        out.print()
        out.print(_workload_table(workload, whole))
    for name in result.unmatched:
        out.print(Text(f"{name}: in one run only, not compared", style="yellow"))
    out.print()
    verdict = result.verdict
    out.print(Text(f"Verdict: {verdict}", style=STYLE[verdict]))
    if verdict is Verdict.WORSE:
        raise typer.Exit(2)


def _workload_table(workload: WorkloadComparison, whole: str) -> Table:
    """One workload's (or data-plane test's) changes; ``whole`` names its own rows."""
    table = Table(title=f"{workload.label}: {workload.verdict}", title_justify="left",
                  show_edge=False, header_style="bold")  # fmt: skip
    for col in ("row", "metric", "before", "after", "change", "interval", "p", "verdict"):
        table.add_column(col, justify="left" if col in ("row", "metric", "verdict") else "right")
    table.add_row(*_cells(whole, workload.throughput))
    table.add_row(*_cells(whole, workload.failure_rate))
    for series in workload.series:
        for change in series.changes:
            table.add_row(*_cells(series.name, change))
    return table


def _cells(row: str, change: Change) -> list[str | Text]:
    relative = change.metric in RELATIVE
    verdict = str(change.verdict) + (" !" if change.regression else "")
    return [
        row,
        change.metric,
        _value(change.before),
        _value(change.after),
        _delta(change.change, relative),
        f"{_delta(change.low, relative)} … {_delta(change.high, relative)}"
        if change.low is not None
        else "",
        "" if change.p_value is None else f"{change.p_value:.3g}",
        Text(verdict, style=STYLE[change.verdict] if change.beyond_threshold else "dim"),
    ]


def _value(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4g}"


def _delta(value: float | None, relative: bool) -> str:
    if value is None:
        return "n/a"
    return f"{value * 100:+.1f}%" if relative else f"{value:+.2f}pt"


def trends(
    tag: Annotated[
        str | None, typer.Option("--tag", help="Follow the task runs with this tag.")
    ] = None,
    plan: Annotated[
        str | None,
        typer.Option("--plan", help="Follow the data-plane runs of the plan with this title."),
    ] = None,
    out_path: Annotated[
        Path | None, typer.Option("--out", "-o", help="Also write the trends as an HTML page.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Show how p50/p95/p99, throughput and failure rate moved over a tag's runs (per
    workload), or over a data-plane plan's runs (per test)."""
    from squall.api import compare as compare_api
    from squall.api import reports as reports_api

    if (tag is None) == (plan is None):
        raise ConfigError("give --tag (task runs) or --plan (data-plane runs), not both or none")
    store = open_store(db)
    try:
        result = (
            compare_api.trends(store, tag) if tag else compare_api.plan_trends(store, plan or "")
        )
    finally:
        store.close()
    if out_path is not None:
        written = reports_api.write_trends_page(result, out_path)
        out.print(f"Trends of {len(result.runs)} run(s) written to {written}")
    which = f"tagged {tag!r}" if tag else f"of plan {plan!r}"
    out.print(Text(f"{len(result.runs)} run(s) {which}, oldest first", style="bold"))
    for trend in result.workloads:
        table = Table(title=trend.label, title_justify="left", show_edge=False, header_style="bold")
        rate = "iter/s" if tag else "rate"  # a data-plane test's headline, per second
        for col in ("run", "created", "p50", "p95", "p99", rate, "failures", "vs previous"):
            table.add_column(col, justify="right" if col not in ("run", "created") else "left")
        for point in trend.points:
            created = datetime.fromtimestamp(point.created_at, UTC).strftime("%Y-%m-%d %H:%M")
            versus = point.versus_previous
            table.add_row(
                point.run_id[:8],
                created,
                _value(point.p50),
                _value(point.p95),
                _value(point.p99),
                _value(point.throughput),
                "n/a" if point.failure_rate is None else f"{point.failure_rate:.2f}%",
                Text(str(versus), style=STYLE[versus]) if versus else Text("-"),
            )
        out.print()
        out.print(table)


def push(
    runs: Annotated[list[str], typer.Argument(help="Run ids, prefixes or 'last'.")],
    url: Annotated[
        str,
        typer.Option("--url", help="OpenSearch/Elasticsearch URL (credentials may be in it)."),
    ],
    indices: Annotated[
        str, typer.Option("--indices", help="Index names: squall or rally.")
    ] = "squall",
    actions: Annotated[
        bool, typer.Option("--actions/--no-actions", help="Index every atomic action run.")
    ] = True,
    token: Annotated[
        str | None,
        typer.Option(
            "--token", envvar="SQUALL_SEARCH_TOKEN", help="Bearer token.", show_default=False
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Send runs to an OpenSearch or Elasticsearch server (its _bulk API)."""
    from squall.api import search as search_api

    if indices not in ("squall", "rally"):
        raise ConfigError(f"--indices must be squall or rally, not {indices!r}")
    store = open_store(db)
    try:
        result = search_api.push_runs(
            store, runs, url, indices="rally" if indices == "rally" else "squall",
            actions=actions, token=token,
        )  # fmt: skip
    finally:
        store.close()
    out.print(f"Indexed {result.documents:,} documents in {result.requests} request(s).")


def register(app: typer.Typer) -> None:
    """Mount these commands on ``squall task``."""
    app.command()(report)
    app.command()(compare)
    app.command()(trends)
    app.command()(push)
