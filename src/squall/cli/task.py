"""``squall task ...``: validate, start, list, show, results, export, abort, delete."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from squall.api import exports as exports_api
from squall.api import openstack as openstack_api
from squall.api import resilience as resilience_api
from squall.api import tasks as tasks_api
from squall.cli.cloud_options import CloudOption, DeploymentOption, cloud_options
from squall.cli.faults import print_report as print_resilience
from squall.cli.options import DbOption, PluginPathOption, open_store, registry
from squall.cli.render import TerminalProgress, summary_block, terminal
from squall.cli.task_reports import register as register_report_commands
from squall.errors import CloudError, SLAFailed
from squall.openstack.cleanup import Leftover
from squall.results.journal import StoreJournal
from squall.results.records import RunRecord, RunStatus

app = typer.Typer(help="Run control-plane tasks and look at their results.", no_args_is_help=True)
out = terminal()

TaskFile = Annotated[str, typer.Argument(help="Task file (YAML or JSON), or - for stdin.")]
TaskArgs = Annotated[
    str | None,
    typer.Option("--task-args", help="Template arguments: YAML, JSON or k=v,k2=v2."),
]
TaskArgsFile = Annotated[
    Path | None, typer.Option("--task-args-file", help="A YAML or JSON file of template arguments.")
]
RunRef = Annotated[str, typer.Argument(help="Run id, a unique prefix of it, or 'last'.")]


def _input(
    task_file: str, task_args: str | None, task_args_file: Path | None
) -> tasks_api.TaskInput:
    return tasks_api.TaskInput(
        path=task_file,
        task_args=task_args,
        task_args_file=task_args_file,
        stdin=sys.stdin if task_file == "-" else None,
    )


@app.command()
def validate(
    task_file: TaskFile,
    task_args: TaskArgs = None,
    task_args_file: TaskArgsFile = None,
    plugin_path: PluginPathOption = None,
    cloud: CloudOption = None,
    deployment: DeploymentOption = None,
) -> None:
    """Check a task file; report every problem at once with its file:line. With
    --cloud/--deployment, also the clouds its workloads name (none is contacted)."""
    task = tasks_api.validate(_input(task_file, task_args, task_args_file), registry(plugin_path))
    where = ""
    if cloud or deployment is not None:
        options = cloud_options(cloud, deployment)
        task = openstack_api.expand(task, options)
        labels = [spec.label for spec in openstack_api.cloud_specs(options)]
        where = f" on {', '.join(labels)}"
    count = len(task.workloads)
    out.print(
        f"Task is valid: {task.task.title!r}, {len(task.task.subtasks)} subtask(s), "
        f"{count} workload(s){where} ({task.task.source_format} format)."
    )


@app.command()
def start(  # noqa: PLR0913 - Rally's option set, plus the cloud
    task_file: TaskFile,
    task_args: TaskArgs = None,
    task_args_file: TaskArgsFile = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Tag the run (repeatable).")
    ] = None,
    abort_on_sla_failure: Annotated[
        bool, typer.Option("--abort-on-sla-failure", help="Stop at the first SLA failure.")
    ] = False,
    db: DbOption = None,
    plugin_path: PluginPathOption = None,
    cloud: CloudOption = None,
    deployment: DeploymentOption = None,
) -> None:
    """Run a task; exit 0 if it passed, 1 on error or abort, 2 if an SLA failed."""
    plugins = registry(plugin_path)
    task = tasks_api.validate(_input(task_file, task_args, task_args_file), plugins)
    store = open_store(db)
    try:
        clouds = cloud_options(cloud, deployment)
        prepared = openstack_api.prepare(task, clouds, StoreJournal(store))
        for skip in prepared.skipped:
            out.print(Text(f"skipped [{skip.subtask_index}.{skip.workload_index}]: {skip.reason}"))
        items = prepared.items
        outcome = tasks_api.start(
            prepared.task,
            store,
            plugins,
            options=tasks_api.StartOptions(
                tags=tag or [],
                abort_on_sla_failure=abort_on_sla_failure,
                context_items=items,
                cloud=openstack_api.environment_cloud(items),
            ),
            progress=TerminalProgress(out),
            on_created=lambda run_id: out.print(f"Run {run_id} started: {task.task.title}"),
        )
        run = store.get_run(outcome.run_id)
        resilience = resilience_api.report(store, outcome.run_id)
        leak_error: CloudError | None = None
        try:
            leaks = openstack_api.finish(items, outcome.run_id)
        except CloudError as exc:  # the run is stored: show it, then the error
            leaks, leak_error = [], exc
    finally:
        store.close()
    _print_run(run)
    _print_resilience(resilience)
    _print_leaks(run.id, leaks)
    if leak_error is not None:
        raise leak_error
    _verdict(run)


def _print_leaks(run_id: str, leaks: list[Leftover]) -> None:
    if leaks:
        out.print()
        out.print(Text(f"{len(leaks)} resource(s) left in the cloud:", style="bold red"))
        for item in leaks:
            out.print(f"  {item.describe()}")
        out.print(f"Delete them with: squall cleanup --run {run_id}")


def _print_run(run: RunRecord) -> None:
    for w in run.workloads:
        if w.summary is not None:
            out.print()
            title = f"[{w.subtask_index}.{w.workload_index}] {w.subtask_title}"
            if w.cloud is not None:
                title += f" @ {w.cloud}"
            out.print(summary_block(w.summary, title))


def _print_resilience(report: resilience_api.ResilienceReport) -> None:
    """Monitors' downtime and the faults' impact, for a run that had either."""
    if not report.empty:
        out.print()
        out.print(Text("Resilience", style="bold"))
        print_resilience(report)


def _verdict(run: RunRecord) -> None:
    out.print()
    if run.status is RunStatus.ABORTED:
        out.print(Text(f"Run {run.id} aborted; partial results are stored.", style="yellow"))
        raise typer.Exit(1)
    if run.status is not RunStatus.FINISHED:
        out.print(Text(f"Run {run.id} {run.status}; partial results are stored.", style="red"))
        raise typer.Exit(1)
    if not run.pass_sla:
        raise SLAFailed(f"Run {run.id} finished, but an SLA criterion failed.")
    out.print(Text(f"Run {run.id} finished; every SLA passed.", style="green"))


@app.command("list")
def list_(
    tag: Annotated[str | None, typer.Option("--tag", help="Only runs with this tag.")] = None,
    status: Annotated[
        RunStatus | None, typer.Option("--status", help="Only runs in this state.")
    ] = None,
    db: DbOption = None,
) -> None:
    """List stored runs, newest first."""
    store = open_store(db, existing=True)
    try:
        runs = tasks_api.list_runs(store, tag=tag, status=status)
    finally:
        store.close()
    table = Table(show_edge=False, header_style="bold")
    for col in ("id", "created", "status", "sla", "workloads", "title", "tags"):
        table.add_column(col)
    from datetime import datetime

    for r in runs:
        created = datetime.fromtimestamp(r.created_at).strftime("%Y-%m-%d %H:%M:%S")
        sla = "pass" if r.pass_sla else "FAIL"
        table.add_row(
            r.id, created, r.status, sla, str(len(r.workloads)), r.title, ",".join(r.tags)
        )
    out.print(table if runs else "No runs stored yet.")


@app.command()
def show(run: RunRef, db: DbOption = None) -> None:
    """Show one run: its environment and every workload's summary."""
    store = open_store(db, existing=True)
    try:
        record = tasks_api.show(store, run)
        resilience = resilience_api.report(store, record.id)
    finally:
        store.close()
    env = record.environment
    out.print(Text(f"Run {record.id}: {record.title}", style="bold"))
    out.print(f"status {record.status}, format {record.source_format}, tags {record.tags or '-'}")
    out.print(f"squall {env.squall_version}, Python {env.python}, host {env.host}")
    _print_run(record)
    _print_resilience(resilience)


@app.command()
def results(run: RunRef, db: DbOption = None) -> None:
    """Print a run's results as squall JSON (the `json` export) on stdout."""
    store = open_store(db, existing=True)
    try:
        exports_api.export(store, [run], "json", sys.stdout)
    finally:
        store.close()


@app.command()
def export(
    runs: Annotated[list[str], typer.Argument(help="Run ids, prefixes or 'last'.")],
    type_: Annotated[
        str, typer.Option("--type", help="json, rally-json, junit-xml (see `squall plugins list`).")
    ] = "json",
    to: Annotated[str, typer.Option("--to", help="Output file, or - for stdout.")] = "-",
    option: Annotated[
        list[str] | None,
        typer.Option(
            "--option",
            "-o",
            help="An exporter option KEY=VALUE, repeatable (e.g. -o schema=1 for squall.run/1).",
        ),
    ] = None,
    db: DbOption = None,
    plugin_path: PluginPathOption = None,
) -> None:
    """Export runs to a file for other tools."""
    options = exports_api.parse_options(option or [])
    exporter = exports_api.exporter(type_, options, registry(plugin_path))
    store = open_store(db, existing=True)
    try:
        chosen = exports_api.run_data(store, runs)
        if to == "-":
            exporter.export(chosen, sys.stdout)
        else:
            with open(to, "w", encoding="utf-8") as fh:
                exporter.export(chosen, fh)
            out.print(f"Exported {len(runs)} run(s) as {type_} to {to}")
    finally:
        store.close()


@app.command()
def abort(run: RunRef, db: DbOption = None) -> None:
    """Ask a running task to stop softly; its process stores partial results."""
    store = open_store(db, existing=True)
    try:
        record = tasks_api.abort(store, run)
    finally:
        store.close()
    out.print(f"Abort requested for run {record.id}.")


@app.command()
def delete(
    runs: Annotated[list[str], typer.Argument(help="Run ids, prefixes or 'last'.")],
    db: DbOption = None,
) -> None:
    """Delete stored runs and all their results."""
    store = open_store(db, existing=True)
    try:
        for ref in runs:
            record = tasks_api.delete(store, ref)
            out.print(f"Deleted run {record.id}.")
    finally:
        store.close()


register_report_commands(app)  # report, compare, trends
