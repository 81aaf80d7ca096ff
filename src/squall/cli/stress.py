"""``squall stress TESTS...``: existing Python tests as load, through the normal engine.

Mounted by ``register(app)`` as a top-level command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from squall.api import tasks as tasks_api
from squall.cli.options import DbOption, PluginPathOption, open_store, registry
from squall.cli.render import TerminalProgress, summary_block, terminal
from squall.errors import ConfigError, SLAFailed
from squall.results.records import RunRecord, RunStatus
from squall.scenarios.python_test import PythonTest
from squall.stress.pools import WorkerPools
from squall.stress.protocol import SetupScope
from squall.stress.report import StressOutcome, outcome_of
from squall.stress.task import StressRequest, build_task
from squall.task.validate import ValidatedTask, validate_task

out = terminal()
SHOWN_PROBLEMS = 5


def stress_command(  # noqa: PLR0913 - the command's options
    tests: Annotated[
        list[str],
        typer.Argument(help="pytest node ids, unittest ids (pkg.mod.Class.test), files, folders."),
    ],
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Worker processes.")] = 1,
    times: Annotated[
        int | None, typer.Option("--times", min=1, help="Executions in all (default 50).")
    ] = None,
    duration: Annotated[
        float | None, typer.Option("--duration", min=0.1, help="Run for this many seconds.")
    ] = None,
    class_setup_per: Annotated[
        SetupScope,
        typer.Option("--class-setup-per", help="When class fixtures are set up."),
    ] = SetupScope.PROCESS,
    marked: Annotated[
        bool,
        typer.Option("--marked", help="Only tests marked @pytest.mark.stress or @stresstest."),
    ] = False,
    max_failure_rate: Annotated[
        float,
        typer.Option("--max-failure-rate", min=0, max=100, help="SLA: % of failed runs allowed."),
    ] = 0.0,
    rootdir: Annotated[Path, typer.Option("--rootdir", help="Folder pytest runs in.")] = Path("."),
    db: DbOption = None,
    plugin_path: PluginPathOption = None,
) -> None:
    """Run existing tests as load with N worker processes; exit 2 if any failed
    (more than --max-failure-rate)."""
    if times is not None and duration is not None:
        raise ConfigError("give --times or --duration, not both")
    if not rootdir.is_dir():
        raise ConfigError(f"{rootdir}: no such directory", hint="--rootdir is where pytest runs")
    request = StressRequest(
        tests=tuple(tests),
        workers=workers,
        times=times,
        duration=duration,
        scope=class_setup_per,
        marked_only=marked,
        rootdir=str(rootdir.resolve()),
        max_failure_rate=max_failure_rate,
    )
    plugins = registry(plugin_path)
    task = validate_task(build_task(request), plugins)
    pools = _started_pools(request, task)
    store = open_store(db)
    try:
        outcome = tasks_api.start(
            task,
            store,
            plugins,
            options=tasks_api.StartOptions(tags=["stress"], context_items=[pools]),
            progress=TerminalProgress(out),
        )
        run = store.get_run(outcome.run_id)
        stress = outcome_of(it for w in run.workloads for it in store.iterations(w.id))
    finally:
        pools.close_all()
        store.close()
    _print(run, stress)


def _started_pools(request: StressRequest, task: ValidatedTask) -> WorkerPools:
    """Collect the tests and start the workers before the run (a bad test id is a
    clear error, and worker start-up is not timed)."""
    config = task.workloads[0].scenario_config
    assert isinstance(config, PythonTest.Config)
    spec = config.spec()
    pools = WorkerPools()
    try:
        pool, _ = pools.get(spec)
        out.print(f"{len(pool.nodeids)} test(s) collected:")
        for nodeid in pool.nodeids[:10]:
            out.print(f"  {nodeid}")
        if len(pool.nodeids) > 10:
            out.print(f"  ... and {len(pool.nodeids) - 10} more")
        pool.warm(request.workers)
    except BaseException:
        pools.close_all()
        raise
    return pools


def _print(run: RunRecord, stress: StressOutcome) -> None:
    for w in run.workloads:
        if w.summary is not None:
            out.print()
            out.print(summary_block(w.summary, "stress"))
    out.print()
    out.print(
        f"{stress.total} execution(s): {stress.passed} passed, {stress.failed} failed, "
        f"{stress.error} error(s), {stress.skipped} skipped"
    )
    for problem in list(stress.problems.values())[:SHOWN_PROBLEMS]:
        out.print()
        out.print(
            Text(
                f"{problem.kind} x{problem.count}: {problem.message.splitlines()[0]}",
                style="bold red",
            )
        )
        tail = problem.traceback.strip().splitlines()[-12:]
        out.print(Text("\n".join(f"    {line}" for line in tail), style="dim"))
    out.print()
    if run.status is not RunStatus.FINISHED:
        out.print(Text(f"Run {run.id} {run.status}; partial results are stored.", style="red"))
        raise typer.Exit(1)
    if not run.pass_sla:
        raise SLAFailed(f"Run {run.id}: tests failed under load (see above).")
    out.print(Text(f"Run {run.id} finished; every execution passed the SLA.", style="green"))


def register(app: typer.Typer) -> None:
    """Add ``stress`` to the root command."""
    app.command("stress")(stress_command)
