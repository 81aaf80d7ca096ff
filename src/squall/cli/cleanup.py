"""``squall cleanup``: delete what squall runs left in a cloud, in dependency order."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from squall.api import cleanup as cleanup_api
from squall.api import fault_journals
from squall.cli.cloud_options import CloudOption, DeploymentOption, cloud_options
from squall.cli.faults import undo as undo_faults
from squall.cli.options import DbOption, open_store
from squall.disruptors.journal import FaultJournal
from squall.errors import CloudError
from squall.openstack.cleanup import CleanupReport
from squall.results.journal import StoreJournal
from squall.results.store import Store

app = typer.Typer(help="Delete what squall left in a cloud.", invoke_without_command=True)
out = Console(highlight=False)


@app.callback(invoke_without_command=True)
def cleanup(  # noqa: PLR0913 - the command's options
    run: Annotated[
        str | None, typer.Option("--run", help="Run id, unique prefix or 'last'.")
    ] = None,
    all_runs: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Every squall run's leftovers (runs still running in this store are spared).",
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be deleted; delete nothing.")
    ] = False,
    older_than: Annotated[
        str | None,
        typer.Option("--older-than", help="Only resources older than AGE (90s, 30m, 2h, 1d)."),
    ] = None,
    rate: Annotated[float, typer.Option("--rate", help="API calls per second at most.")] = 20.0,
    cloud: CloudOption = None,
    deployment: DeploymentOption = None,
    db: DbOption = None,
) -> None:
    """Find leftovers from the journal and by name (squall-<run8>-...), delete them
    (servers, floating IPs, router interfaces, ports, routers, subnets, networks, ...,
    volumes, images, users and projects last); exit 1 if any could not be deleted.
    With --run, faults the run left active (squall killed mid-fault) are undone first."""
    if run is not None and all_runs:
        raise typer.BadParameter("give --run ID or --all, not both")
    request = cleanup_api.CleanupRequest(
        run=run,
        all_runs=all_runs,
        dry_run=dry_run,
        older_than=cleanup_api.parse_age(older_than) if older_than else None,
        rate=rate,
        clouds=cloud_options(cloud, deployment),
    )
    store = open_store(db)
    try:
        # faults the run left active (squall killed mid-fault) first: the cloud may need them
        run_id = _undo_faults(store, run, dry_run) if run is not None else None
        journal = StoreJournal(store)
        idle = run_id is not None and cleanup_api.nothing_journaled_left(request, journal, run_id)
        results = [] if idle else cleanup_api.cleanup(request, store, journal)
    finally:
        store.close()
    if idle:
        out.print(
            f"run {run}: the journal of this store has no resource of it left (pass --cloud "
            "NAME to also look for its resources by name, or --db for the store it ran with)."
        )
    show(results)


def _undo_faults(store: Store, run: str, dry_run: bool) -> str:
    """Undo the faults run ``run`` left active, from the journals it recorded; its id."""
    run_id = cleanup_api.resolve_run(store, run)
    for path in fault_journals.journals_of(store, run_id):
        undo_faults(FaultJournal(path), run_id, dry_run, again=f"squall cleanup --run {run}")
    return run_id


def show(results: list[cleanup_api.CloudCleanup]) -> None:
    """Each cloud's table and count (also ``squall dataplane cleanup RUN``'s); CloudError
    (exit 1) if a resource could not be deleted."""
    failed = 0
    for result in results:
        _print(result.cloud, result.report)
        failed += len(result.report.failed)
    if failed:
        raise CloudError(f"{failed} resource(s) could not be deleted", hint="run it again later")


def _print(cloud: str, report: CleanupReport) -> None:
    _print_unlisted(cloud, report)
    verb = "would delete" if report.dry_run else "deleted"
    if not report.planned:
        out.print(f"{cloud}: nothing to clean.")
        return
    table = Table(show_edge=False, header_style="bold")
    for col in ("kind", "name", "id", "result"):
        table.add_column(col)
    errors = {id(item): error for item, error in report.failed}
    for item in report.planned:
        if report.dry_run:
            result = Text(verb)
        elif id(item) in errors:
            result = Text(f"FAILED: {errors[id(item)]}", style="red")
        else:
            result = Text("deleted" if item.id else "never created", style="green")
        table.add_row(str(item.kind), item.name or "-", item.id or "-", result)
    out.print(table)
    done = len(report.planned) if report.dry_run else len(report.deleted)
    out.print(f"{cloud}: {verb} {done} of {len(report.planned)} resource(s).")


def _print_unlisted(cloud: str, report: CleanupReport) -> None:
    if not report.unlisted:
        return
    kinds = ", ".join(str(kind) for kind in report.unlisted)
    out.print(
        f"{cloud}: these credentials may not list {kinds}: not searched by name (the "
        "journal's rows of them are still cleaned); an admin's cleanup covers them.",
        style="yellow",
    )
