"""``squall dataplane validate | run | status | cleanup``: data-plane plans at scale.

Exit codes: 0 the run finished, 1 an error or a partial run (an agent lost, a test
failed on some pairs: the report names them).
"""

from __future__ import annotations

import asyncio
import os
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from platformdirs import user_data_dir
from rich.table import Table

from squall.api import dataplane as api_dataplane
from squall.cli.cloud_options import CloudOption, DeploymentOption, cloud_options
from squall.cli.options import DbOption, open_store
from squall.cli.render import terminal
from squall.dataplane import topology as topo_mod
from squall.dataplane.loader import load_plan
from squall.dataplane.results import RESULTS_FILE, read_results
from squall.dataplane.tools import BUILTIN, get_tool
from squall.dataplane.tools.custom import Custom
from squall.errors import ConfigError, SquallError

if TYPE_CHECKING:
    from squall.api.openstack import CloudOptions
    from squall.results.store import Store

app = typer.Typer(
    help="Data-plane tests between many instances: HTTP, iperf3, ping, fio.",
    no_args_is_help=True,
)
out = terminal()

PlanFile = Annotated[Path, typer.Argument(help="Plan file (YAML or JSON, Jinja2 allowed).")]
PlanArgs = Annotated[
    str | None, typer.Option("--plan-args", help="Template arguments: YAML, JSON or k=v,k2=v2.")
]
PlanArgsFile = Annotated[
    Path | None, typer.Option("--plan-args-file", help="A YAML or JSON file of template arguments.")
]
WorkdirOption = Annotated[
    Path | None,
    typer.Option(
        "--workdir",
        envvar="SQUALL_DATAPLANE_DIR",
        help="Where runs keep their files [default: <user data dir>/squall/dataplane].",
        show_default=False,
    ),
]


def _workdir(value: Path | None) -> Path:
    return value or Path(user_data_dir("squall")) / "dataplane"


@app.command()
def validate(
    plan_file: PlanFile, plan_args: PlanArgs = None, plan_args_file: PlanArgsFile = None
) -> None:
    """Check a plan and show what it would stage; every problem at once, with file:line."""
    plan = load_plan(plan_file, plan_args=plan_args, plan_args_file=plan_args_file)
    try:
        topo = topo_mod.build(plan)
    except topo_mod.TopologyError as exc:
        raise ConfigError(f"the plan cannot be staged: {exc}") from None
    out.print(
        f"[green]valid[/green]: {plan.provider}, {plan.network_mode}: "
        f"{len(topo.servers)} servers, {len(topo.clients)} clients, {len(topo.routers)} routers, "
        f"{len(topo.networks)} networks; {len(plan.tests)} tests run {plan.execution}"
    )
    for test in plan.tests:
        out.print(
            f"  {test.name}: {test.tool} {test.duration:g} s"
            + (f" (+{test.warmup:g} s warm-up)" if test.warmup else "")
            + (f" x{test.repetitions}" if test.repetitions > 1 else "")
        )


@app.command()
def run(  # noqa: PLR0913 - the command's options
    plan_file: PlanFile,
    plan_args: PlanArgs = None,
    plan_args_file: PlanArgsFile = None,
    workdir: WorkdirOption = None,
    redis: Annotated[
        str | None,
        typer.Option(
            "--redis",
            envvar="SQUALL_DATAPLANE_REDIS",
            help="Keep controller state in Redis (redis://host:port/db) instead of memory.",
        ),
    ] = None,
    db: DbOption = None,
    no_store: Annotated[
        bool, typer.Option("--no-store", help="Keep results in the run directory only.")
    ] = False,
    cloud: CloudOption = None,
    deployment: DeploymentOption = None,
) -> None:
    """Stage the plan, run its tests, print the results and remove everything staged.

    Results go to <workdir>/<run>/results.json and to the results store (--db).
    With provider openstack, --cloud (twice: server cloud, then client cloud) or
    --deployment replace the plan's `clouds`.
    """
    from squall.dataplane.run import RunOptions, run_plan

    plan = load_plan(plan_file, plan_args=plan_args, plan_args_file=plan_args_file)
    clouds = None
    if cloud or deployment:
        from squall.api.openstack import cloud_specs

        clouds = cloud_specs(cloud_options(cloud, deployment))
    options = RunOptions(
        _workdir(workdir),
        redis_url=redis,
        echo=lambda m: out.print(m, highlight=False),
        db=None if no_store else (db or ""),
        clouds=clouds,
    )
    record = asyncio.run(run_plan(plan, options))
    data = read_results(options.workdir / record.run / RESULTS_FILE)
    _print_tests(data)
    if record.status != "finished":
        raise SquallError(
            f"run {record.run} is {record.status}: "
            + ", ".join(sorted({a for t in data["tests"] for a in t["failed_agents"]}))
            + " failed",
            hint=f"squall dataplane status {record.run}",
        )


@app.command()
def status(
    run_id: Annotated[
        str | None, typer.Argument(help="A run id (or a prefix); all runs if left out.")
    ] = None,
    workdir: WorkdirOption = None,
    db: DbOption = None,
    no_store: Annotated[
        bool, typer.Option("--no-store", help="Only the runs in the work directory.")
    ] = False,
    matrix: Annotated[
        bool, typer.Option("--matrix", help="Also print each test's source x destination matrix.")
    ] = False,
) -> None:
    """List data-plane runs (work directory and results store), or show one run.

    A run in progress shows the test running and its latest interim results; a run
    whose squall process was killed shows as abandoned.
    """
    base = _workdir(workdir)
    store = None if no_store else open_store(db, existing=True)
    try:
        if run_id is None:
            views, problems = api_dataplane.list_runs(base, store)
            if views:
                _print_runs(views)
            else:
                where = "" if store is None else " or the results store"
                out.print(f"no data-plane runs in {base}{where}", highlight=False)
            for problem in problems:
                out.print(f"[yellow]skipped[/yellow] {problem}", highlight=False)
            return
        view = api_dataplane.get_run(run_id, base, store)
    finally:
        if store is not None:
            store.close()
    _print_run(view)
    _print_tests(view.data)
    if matrix:
        for test in view.data["tests"]:
            _print_matrix(test)


def _print_runs(views: list[api_dataplane.RunView]) -> None:
    table = Table("run", "status", "started", "title", "mode", "tests", "agents", "failed")
    for view in views:
        data = view.data
        table.add_row(
            view.run[:12],
            _status(view.status),
            _when(data.get("started_at")),
            data["title"],
            f"{data['provider']} {data['network_mode']}",
            _tests(view),
            str(len(data["agents"])) if data["agents"] else "-",
            ", ".join(view.failed_agents[:3]) or "-",
        )
    out.print(table)


def _print_run(view: api_dataplane.RunView) -> None:
    data = view.data
    where = f"{view.run_dir / RESULTS_FILE}" if view.run_dir else "the results store"
    out.print(
        f"run {view.run}: {_status(view.status)} ({data['provider']}, {data['network_mode']}), "
        f"started {_when(data.get('started_at'))}; {_tests(view)} "
        f"test repetitions done; {where}",
        highlight=False,
    )
    if data.get("error"):
        out.print(f"error: {data['error']}", highlight=False)
    if view.status == api_dataplane.ABANDONED:
        out.print(
            f"the squall process ({data.get('pid')}) that ran it is gone: "
            f"`squall dataplane cleanup --run {view.run[:12]}` removes what it left",
            highlight=False,
        )
    for test in (view.progress or {}).get("tests", []):
        elapsed = time.time() - float(test["start_at"])
        total = float(test["duration"]) + float(test["warmup"])
        out.print(
            f"running {test['test']} #{int(test['repetition']) + 1} ({test['tool']}, "
            f"{test['clients']} clients): t={max(0.0, elapsed):.0f} s of {total:g} s",
            highlight=False,
        )
        for line in test["lines"]:
            out.print(f"  t={line['end']:>5.1f}s  {line['text']}", highlight=False)


def _tests(view: api_dataplane.RunView) -> str:
    """``done/planned``, and how many of those done are partial."""
    partial = f" ({view.partial} partial)" if view.partial else ""
    return f"{view.done}/{view.planned}{partial}"


def _status(status: str) -> str:
    colour = {"finished": "green", "running": "cyan"}.get(status, "red")
    return f"[{colour}]{status}[/{colour}]"


def _when(timestamp: float | None) -> str:
    if not timestamp:
        return "-"
    return datetime.fromtimestamp(timestamp).astimezone().strftime("%Y-%m-%d %H:%M:%S")


@app.command()
def cleanup(  # noqa: PLR0913 - the command's options
    run_arg: Annotated[
        str | None,
        typer.Argument(
            metavar="RUN",
            help="Only this run (id or prefix); for an openstack run, its cloud leftovers.",
            show_default=False,
        ),
    ] = None,
    run_id: Annotated[str | None, typer.Option("--run", help="The same as RUN.")] = None,
    all_orphans: Annotated[
        bool, typer.Option("--all", help="Also namespaces named like squall's with no run file.")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only show what would go.")] = False,
    workdir: WorkdirOption = None,
    db: DbOption = None,
    cloud: CloudOption = None,
    deployment: DeploymentOption = None,
    rate: Annotated[
        float, typer.Option("--rate", help="OpenStack API calls per second at most.")
    ] = 20.0,
) -> None:
    """Remove what data-plane runs left behind, from their journals: namespaces and
    processes (netns); with RUN of the openstack provider, its servers, networks,
    projects and the rest in the cloud, as `squall cleanup --run RUN` does (--cloud or
    --deployment: where to look; default: the clouds the run's journal names)."""
    if run_arg is not None and run_id is not None and run_arg != run_id:
        raise typer.BadParameter("give RUN or --run, not both")
    ref = run_arg if run_arg is not None else run_id
    base = _workdir(workdir)
    if ref is not None and not _netns_journals(base, ref):
        store = open_store(db, existing=True)
        try:
            view = _known_run(ref, base, store)
            if view.data.get("provider") == "openstack":
                if all_orphans:
                    raise typer.BadParameter("--all is for namespaces, not an openstack run")
                _clean_cloud(view, store, dry_run, rate, cloud_options(cloud, deployment))
                return
        finally:
            store.close()
    _clean_netns(base, ref, all_orphans=all_orphans, dry_run=dry_run)


def _netns_journals(base: Path, ref: str | None) -> list[Path]:
    from squall.dataplane.providers.netns import JOURNAL

    paths = sorted(base.glob(f"*/{JOURNAL}"))
    return [p for p in paths if ref is None or p.parent.name.startswith(ref)]


def _known_run(ref: str, base: Path, store: Store) -> api_dataplane.RunView:
    from squall.api.dataplane_cleanup import find_run

    view = find_run(ref, base, store)
    if view is None:
        raise ConfigError(
            f"no data-plane run matches {ref!r} in {base} or the results store",
            hint="squall dataplane status lists the runs (--workdir, --db: where to look)",
        )
    return view


def _clean_cloud(
    view: api_dataplane.RunView,
    store: Store,
    dry_run: bool,
    rate: float,
    clouds: CloudOptions,
) -> None:
    from squall.api.dataplane_cleanup import CloudRunCleanup, clean_openstack_run
    from squall.cli.cleanup import show
    from squall.results.journal import StoreJournal

    given = clouds if clouds.clouds or clouds.deployment else None
    how = CloudRunCleanup(dry_run=dry_run, rate=rate, clouds=given)
    out.print(f"run {view.run}: openstack, {view.status}", highlight=False)
    show(clean_openstack_run(view, store, StoreJournal(store), how))


def _clean_netns(base: Path, ref: str | None, *, all_orphans: bool, dry_run: bool) -> None:
    from squall.dataplane.providers.netns import Journal, orphan_namespaces, teardown_journal

    journals = [Journal.load(p) for p in _netns_journals(base, ref)]
    existing = set(orphan_namespaces()) if os.geteuid() == 0 else set()
    removed = 0
    for journal in journals:
        names = [n for n in journal.namespaces if n in existing]
        if not names and not journal.pids:
            continue
        out.print(
            f"run {journal.path.parent.name}: {len(names)} namespaces, {len(journal.pids)} agents"
        )
        if not dry_run:
            removed += len(teardown_journal(journal))
    if all_orphans:
        known = {n for j in journals for n in j.namespaces}
        orphans = sorted(existing - known)
        for name in orphans:
            out.print(f"orphan namespace {name}")
        if orphans and not dry_run:
            removed += len(teardown_journal(Journal(base / ".orphans.json", "", orphans)))
    out.print("dry run: nothing removed" if dry_run else f"removed {removed} namespaces")


def _print_tests(data: dict[str, Any]) -> None:
    table = Table("test", "rep", "pairs", "result", "latency p50 / p99", "skew", "flagged")
    for test in data["tests"]:
        pairs = test["pairs"]
        ok = sum(1 for p in pairs if p["status"] == "ok")
        skew = test["start_skew"]["max"]
        table.add_row(
            test["test"],
            str(test["repetition"] + 1),
            f"{ok}/{len(pairs)}",
            _headline(test),
            _latency(test),
            "-" if skew is None else f"{skew * 1000:.1f} ms",
            ", ".join(test["bad_hosts"][:3]) or "-",
        )
    out.print(table)


def _print_matrix(test: dict[str, Any]) -> None:
    matrix = test.get("matrix")
    if not matrix:
        return
    flagged = set(test["bad_hosts"])
    table = Table(
        "source \\ destination",
        *(f"[red]{d}[/red]" if d in flagged else d for d in matrix["destinations"]),
        title=f"{test['test']} #{test['repetition'] + 1}: {matrix['metric']}",
    )
    for source, row in zip(matrix["sources"], matrix["values"], strict=True):
        label = f"[red]{source}[/red]" if source in flagged else source
        table.add_row(label, *("-" if v is None else f"{v:,.4g}" for v in row))
    out.print(table)


def _headline(test: dict[str, Any]) -> str:
    name, counters = test["tool"], test["counters"]
    tool = get_tool(name)() if name in BUILTIN else Custom(name)
    return tool.describe(counters, counters.get("duration") or 1.0)


def _latency(test: dict[str, Any]) -> str:
    parts = []
    for name, hist in test["histograms"].items():
        pct = hist.get("percentiles")
        if pct:
            parts.append(f"{name} {pct['50'] * 1000:.3f} / {pct['99'] * 1000:.3f} ms")
    return "; ".join(parts) or "-"
