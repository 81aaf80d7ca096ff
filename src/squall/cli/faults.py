"""``squall faults``: undo faults a crashed squall left behind; list and preview faults."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.table import Table
from rich.text import Text

from squall.api import resilience as resilience_api
from squall.api import tasks as tasks_api
from squall.cli.options import DbOption, open_store
from squall.cli.render import terminal
from squall.disruptors.base import TargetConfig
from squall.disruptors.journal import FaultJournal, ReplayResult
from squall.disruptors.osfaults import translate
from squall.disruptors.run import plans
from squall.engine.resilience import preflight
from squall.errors import ConfigError, FaultError
from squall.hooks.actions.disruptor import build
from squall.hooks.actions.fault_injection import devcloud_names
from squall.hosts.inventory import load_inventory
from squall.hosts.select import Mode
from squall.plugins.loader import load_registry

app = typer.Typer(help="Undo, list and preview faults (disruptors).", no_args_is_help=True)
out = terminal()

JournalOption = Annotated[
    Path | None,
    typer.Option(
        "--journal", help="Undo journal file (default: $SQUALL_FAULT_JOURNAL or squall's)."
    ),
]
InventoryOption = Annotated[
    Path | None, typer.Option("--inventory", "-i", help="Hosts file (squall YAML or Ansible).")
]


@app.command()
def cleanup(
    run: Annotated[str | None, typer.Option("--run", help="Only this run's faults.")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be undone; touch nothing.")
    ] = False,
    journal: JournalOption = None,
) -> None:
    """Undo every fault still active in the journal (after squall was killed mid-fault):
    SIGCONT to frozen processes, services started again, qdiscs and nft tables removed."""
    if not undo(FaultJournal(journal), run, dry_run, again="squall faults cleanup"):
        out.print("no fault left to undo.")


def undo(journal: FaultJournal, run_id: str | None, dry_run: bool, *, again: str) -> int:
    """Undo (or say what would undo) the journal's active faults, of one run or all,
    printing each; raise when one could not be undone. Returns how many were found."""
    results = journal.replay(run_id, dry_run=dry_run)
    for result in results:
        print_replay(result, dry_run)
    bad = [r for r in results if not r.ok]
    if bad:
        raise FaultError(
            f"{len(bad)} fault(s) could not be undone; they stay in the journal",
            hint=f"fix the cause shown above and run `{again}` again",
        )
    return len(results)


def print_replay(result: ReplayResult, dry_run: bool) -> None:
    """One fault undone (or, with ``dry_run``, that would be) and what its undo did."""
    fault = result.fault
    head = f"{fault.disruptor} on {fault.target}" + (
        f" (run {fault.run_id})" if fault.run_id else ""
    )
    out.print(Text.assemble(("would undo " if dry_run else "undone ", "bold"), head))
    for line in result.done:
        out.print(f"  {line}")
    for error in result.errors:
        out.print(Text(f"  FAILED: {error}", style="red"))


@app.command("list")
def list_pending(journal: JournalOption = None) -> None:
    """Faults begun and not yet undone."""
    pending = FaultJournal(journal).pending()
    if not pending:
        out.print("no active fault.")
    for fault in pending:
        out.print(f"{fault.id[:8]}  {fault.disruptor} on {fault.target}  run={fault.run_id or '-'}")
        for action in fault.undo:
            out.print(f"    undo: {action.describe()}")


@app.command("dry-run")
def dry_run_task(
    task_file: Annotated[
        Path, typer.Argument(help="A squall task file with a resilience section.")
    ],
    task_args: Annotated[
        str | None, typer.Option("--task-args", help="Template arguments (YAML or JSON).")
    ] = None,
) -> None:
    """Every monitor, and every target and command each disruption would run, in order;
    touches nothing but read-only lookups (finding PIDs, reaching hosts)."""
    registry = load_registry()
    task = tasks_api.validate(
        tasks_api.TaskInput(path=str(task_file), task_args=task_args), registry
    )
    spec = task.resilience
    if spec is None:
        out.print("this task has no resilience section.")
        return
    inventory = load_inventory(Path(spec.spec.inventory)) if spec.spec.inventory else None
    for cls, config in spec.monitors:
        out.print(f"monitor {cls.name}: {config.model_dump(exclude_defaults=True)}")
    for line in preflight(spec, inventory):
        out.print(line)


@app.command()
def plan(
    spec: Annotated[
        str,
        typer.Argument(
            help="An os-faults sentence, or YAML of one disruptor: "
            "'{process: {devcloud: keystone}}'."
        ),
    ],
    inventory: InventoryOption = None,
    seed: Annotated[int | None, typer.Option(help="Seed for random target choice.")] = None,
) -> None:
    """Print the targets and every command a fault would run (a dry run; touches nothing
    but read-only lookups such as finding PIDs)."""
    name, args = _parse_spec(spec)
    disruptor = build(name, args)
    hosts = load_inventory(inventory) if inventory else None
    cfg = disruptor.config
    mode: Mode = cfg.mode if isinstance(cfg, TargetConfig) else "one"
    for number, wave in enumerate(plans(disruptor, hosts, mode, random.Random(seed)), 1):
        for fault in wave:
            title = f"{fault.disruptor} on {fault.target}"
            out.print(Text.assemble((f"wave {number}: ", "bold"), title))
            for line in fault.lines():
                out.print(f"  {line}")


@app.command()
def report(
    run: Annotated[str, typer.Argument(help="Run id, unique prefix or 'last'.")] = "last",
    db: DbOption = None,
) -> None:
    """Downtime per monitored target, and each fault's impact: time to detect, downtime,
    recovery after restore, MTTR, latency degradation, failed iterations; and the
    run's resilience score."""
    store = open_store(db)
    try:
        result = resilience_api.report(store, run)
    finally:
        store.close()
    print_report(result)


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _at(value: float | None, origin: float | None) -> str:
    """A wall-clock time as seconds since the report's first sample or event."""
    if value is None:
        return "open"
    return f"+{value - (origin if origin is not None else value):.1f}"


#: downtime windows listed per target; the rest are counted
MAX_WINDOWS = 4


def _windows(target: resilience_api.TargetDowntime, origin: float | None) -> str:
    shown = [f"{_at(w.start, origin)}..{_at(w.end, origin)}" for w in target.windows]
    extra = len(shown) - MAX_WINDOWS
    text = ", ".join(shown[:MAX_WINDOWS]) + (f" (+{extra} more)" if extra > 0 else "")
    return text or "-"


def _targets_table(result: resilience_api.ResilienceReport) -> Table:
    targets = Table(title="Downtime per target", show_edge=False, header_style="bold")
    columns = ("monitor", "target", "samples", "windows (s from start)", "downtime s",
               "longest s", "baseline s")  # fmt: skip
    for col in columns:
        targets.add_column(col)
    for t in result.targets:
        targets.add_row(
            t.monitor, t.target, str(t.samples), _windows(t, result.started),
            _seconds(t.downtime), _seconds(t.longest), _seconds(t.baseline),
        )  # fmt: skip
    return targets


def _print_fault(fault: resilience_api.FaultImpact, origin: float | None) -> None:
    state = "recovered" if fault.recovered else "NOT recovered"
    failed, total = fault.iterations
    span = fault.fault
    out.print(
        Text.assemble(
            (f"{span.label} on {fault.target}", "bold"),
            f" (injected {_at(span.injected, origin)} s, restored {_at(span.restored, origin)}"
            f" s): {state}; {failed} of {total} iterations failed during it",
        )
    )
    table = Table(show_edge=False, header_style="bold")
    for col in ("target", "detect s", "downtime s", "after restore s", "MTTR s", "latency x"):
        table.add_column(col)
    for name, imp in fault.per_target.items():
        ratio = "-" if imp.degradation is None else f"{imp.degradation:.2f}"
        table.add_row(
            name, _seconds(imp.detect), _seconds(imp.downtime),
            _seconds(imp.recover_after_restore), _seconds(imp.mttr), ratio,
        )  # fmt: skip
    if fault.per_target:
        out.print(table)
    for label, w in fault.workloads.items():
        inflation = "-" if w.inflation is None else f"{w.inflation:.2f}x"
        out.print(
            f"  workload {label}: {w.failed} of {w.total} iterations failed, "
            f"duration {inflation} the baseline"
        )


def print_report(result: resilience_api.ResilienceReport) -> None:
    """The resilience summary: downtime windows per monitored target, each fault's
    impact (detect, recover, failed iterations, latency inflation) and the score."""
    if result.targets:
        out.print(_targets_table(result))
    for fault in result.faults:
        _print_fault(fault, result.started)
    out.print(
        f"resilience score {result.score:.1f} (availability {result.availability:.3f} x "
        f"load success {result.success:.3f} x recovery {result.recovery:.3f})"
    )


def _parse_spec(spec: str) -> tuple[str, object]:
    try:
        data = yaml.safe_load(spec)
    except yaml.YAMLError:
        data = None
    if isinstance(data, dict) and len(data) == 1:
        name, args = next(iter(data.items()))
        return str(name), args
    tr = translate(spec, devcloud_services=devcloud_names())
    if not tr.disruptor:
        raise ConfigError(f"cannot read {spec!r}")
    return tr.disruptor, tr.args
