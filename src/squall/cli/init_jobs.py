"""``squall init-jobs PATH``: rally-jobs/ and a Zuul job for an OpenStack project.

Mounted by ``register(app)`` as a top-level command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.table import Table
from rich.text import Text

from squall.cli.render import terminal
from squall.errors import ConfigError
from squall.jobs.catalogue import Catalogue, load_catalogue
from squall.jobs.files import Action
from squall.jobs.scaffold import InitOptions, InitResult, init_jobs

out = terminal()

_STYLES = {
    Action.CREATE: "green",
    Action.UPDATE: "green",
    Action.OVERWRITE: "yellow",
    Action.UNCHANGED: "dim",
    Action.KEPT: "yellow",
}


def init_jobs_command(
    path: Annotated[
        Path | None, typer.Argument(help="The project's repository (top folder).")
    ] = None,
    service: Annotated[
        str | None,
        typer.Option("--service", help="The service, when detection cannot tell (nova, ...)."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="Task format: rally (v2) or squall.")
    ] = "rally",
    zuul: Annotated[
        bool, typer.Option("--zuul/--no-zuul", help="Add the Zuul job and pipeline entry.")
    ] = True,
    force: Annotated[
        bool, typer.Option("--force", help="Replace generated files that were edited.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    list_services: Annotated[
        bool,
        typer.Option(
            "--list-services", help="List the services and their core operations, and exit."
        ),
    ] = False,
) -> None:
    """Generate rally-jobs/ (task, plugins, extra, READMEs) and a Zuul job for a project."""
    catalogue = load_catalogue()
    if list_services:
        _print_catalogue(catalogue, service)
        return
    if path is None:
        raise ConfigError("give the repository's path", hint="squall init-jobs path/to/nova")
    if fmt not in ("rally", "squall"):
        raise ConfigError(f"unknown task format {fmt!r}", hint="use --format rally or squall")
    task_format: Literal["rally", "squall"] = "rally" if fmt == "rally" else "squall"
    options = InitOptions(service=service, fmt=task_format, zuul=zuul, force=force, dry_run=dry_run)
    result = init_jobs(path, options, catalogue)
    _print_result(path, result, dry_run)


def _print_result(root: Path, result: InitResult, dry_run: bool) -> None:
    found = result.detection
    how = "chosen" if found.chosen_by_user else "detected"
    out.print(
        Text.assemble(
            (f"{found.project}", "bold"), f": {found.service.title} ({found.service.name}) {how}"
        )
    )
    for sign in found.evidence:
        out.print(Text(f"  - {sign}"))
    if not found.service.operations:
        out.print(
            Text(
                "  squall has no scenarios for this service yet: see the task's comment.",
                style="yellow",
            )
        )
    out.print()
    for item in result.files:
        verb = f"would {item.action.value}" if dry_run and item.action.writes else item.action.value
        line = Text.assemble((f"{verb:>16} ", _STYLES[item.action]), str(root / item.path))
        if item.note:
            line.append(f"  ({item.note})", style="dim")
        out.print(line)
    for note in result.notes:
        out.print(Text(f"note: {note}", style="yellow"))
    if dry_run:
        out.print("Dry run: nothing written.")
    elif not result.changed:
        out.print("Nothing to change.")
    else:
        task = root / "rally-jobs" / f"task-{found.project}.yaml"
        if result.zuul_file is not None:
            out.print(f"Zuul job {result.job} in {root / result.zuul_file}.")
        out.print(f"Check the task with: squall task validate {task}")


def _print_catalogue(catalogue: Catalogue, only: str | None) -> None:
    services = [catalogue.get(only)] if only else list(catalogue.services.values())
    table = Table(show_edge=False, header_style="bold")
    for col in ("service", "title", "core operations (scenarios)"):
        table.add_column(col)
    for s in services:
        ops = "\n".join(s.scenarios) or Text(f"none yet; would add: {s.missing}", style="dim")
        table.add_row(s.name, s.title, ops)
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add ``init-jobs`` to the root command."""
    app.command("init-jobs")(init_jobs_command)
