#!/usr/bin/env python3
"""squall's engine next to Rally 5.1.1's, on the same task files, in one run.

    bash benchmarks/rally/setup.sh                 # once: Rally into .benchmarks-venv/rally
    .venv/bin/python benchmarks/engine_vs_rally.py [--quick] [--only GROUP ...]

Each figure prints as ``name: squall X, rally Y, ratio Z (goal ...): PASS/FAIL`` with the
load average taken just before the group ran. A group with a failing figure is run
once more (``--no-rerun`` to skip) and both attempts are printed. Exit code: 0 when
every goal holds, 2 when one does not, 1 when a tool could not run. See README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from enginebench import probes
from enginebench.figures import Figure, format_figure
from enginebench.profiling import top_functions
from enginebench.results import WorkloadRun
from enginebench.tasks import WorkloadSpec, with_times, workload_spec
from enginebench.tools import Rally, Squall, ToolError, ToolRun

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TASKS = HERE / "tasks"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a group's run left for its figures."""

    spec: WorkloadSpec
    squall: ToolRun | None
    rally: ToolRun | None

    def squall_run(self) -> WorkloadRun | None:
        return None if self.squall is None else _only(self.squall)

    def rally_run(self) -> WorkloadRun | None:
        return None if self.rally is None else _only(self.rally)


def _only(run: ToolRun) -> WorkloadRun:
    if len(run.workloads) != 1:
        raise ToolError(f"expected one workload in the export, got {len(run.workloads)}")
    return run.workloads[0]


def _need(value: float | None, what: str) -> float:
    if value is None:
        raise ToolError(f"the task file does not define {what}")
    return value


def _throughput(o: Outcome) -> list[Figure]:
    return probes.throughput(o.squall_run(), o.rally_run())


def _closed_loop(o: Outcome) -> list[Figure]:
    ideal = _need(o.spec.ideal_rate(), "an ideal rate (constant runner, sleep > 0)")
    return probes.closed_loop(o.squall_run(), o.rally_run(), ideal, o.spec.sleep)


def _open_loop(o: Outcome) -> list[Figure]:
    target = _need(o.spec.target_rate(), "a fixed rps")
    return probes.open_loop(o.squall_run(), o.rally_run(), target)


def _ramp(o: Outcome) -> list[Figure]:
    return probes.ramp(o.squall_run(), o.rally_run(), _need(o.spec.ramp_end(), "an rps ramp"))


def _sizes(run: ToolRun | None) -> probes.StoreSizes | None:
    return None if run is None else probes.StoreSizes(run.database_bytes, run.export_bytes)


def _store(o: Outcome) -> list[Figure]:
    return probes.store(_sizes(o.squall), _sizes(o.rally), o.spec.times)


def _million(o: Outcome) -> list[Figure]:
    if o.squall is None:
        raise ToolError("the million-iteration group measures squall; it cannot run without it")
    return probes.million(_only(o.squall), o.spec.times, o.squall.start.peak_rss_mb)


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    task: str
    quick_times: int
    with_rally: bool
    figures: Callable[[Outcome], list[Figure]]


GROUPS = (
    Group("c20", "c20-sleep0.yaml", 1000, True, _throughput),
    Group("c100", "c100-sleep0.1.yaml", 500, True, _closed_loop),
    Group("rps1000", "rps1000-sleep0.05.yaml", 1000, True, _open_loop),
    Group("ramp", "rally-probe-ramp.yaml", 300, True, _ramp),
    Group("store", "store-28k.yaml", 2800, True, _store),
    Group("million", "million-sleep0.yaml", 20000, False, _million),
)


@dataclass(frozen=True, slots=True)
class Options:
    workdir: Path
    quick: bool
    squall_command: list[str]
    squall_export: str
    rally: Path | None
    squall: bool
    timeout: float
    profile: bool
    nice: int


def _task_file(group: Group, opts: Options, where: Path) -> Path:
    text = (TASKS / group.task).read_text()
    if opts.quick:
        text = with_times(text, group.quick_times)
    path = where / "task.yaml"
    path.write_text(text)
    return path


def _commands(squall: ToolRun | None, rally: ToolRun | None) -> str:
    """How long each ``task start`` took as a whole command, and its peak memory."""
    parts = [
        f"{name} task start {run.start.wall:.1f} s wall, peak RSS {run.start.peak_rss_mb:.0f} MB"
        for name, run in (("squall", squall), ("rally", rally))
        if run is not None
    ]
    return "    commands: " + "; ".join(parts)


@dataclass(frozen=True, slots=True)
class GroupResult:
    figures: list[Figure]
    commands: str


def run_group(group: Group, opts: Options, attempt: int) -> GroupResult:
    where = opts.workdir / f"{group.name}-{attempt}"
    where.mkdir(parents=True, exist_ok=True)
    task = _task_file(group, opts, where)
    load = os.getloadavg()
    rally = None
    if group.with_rally and opts.rally is not None:
        rally = Rally(opts.rally, where / "rally", opts.nice).run_task(task, opts.timeout)
    squall = None
    if opts.squall:
        tool = Squall(
            opts.squall_command, where / "squall", opts.squall_export, opts.profile, opts.nice
        )
        squall = tool.run_task(task, opts.timeout)
        if tool.profile is not None:
            print(f"-- cProfile of squall task start ({group.name}; figures slowed by it)")
            print(top_functions(tool.profile), flush=True)
    outcome = Outcome(workload_spec(task.read_text()), squall, rally)
    figures = [figure.with_load(load) for figure in group.figures(outcome)]
    return GroupResult(figures, _commands(squall, rally))


def _report(group: Group, result: GroupResult, attempt: int) -> None:
    label = f"{group.name} (attempt {attempt})" if attempt > 1 else group.name
    print(f"== {label}", flush=True)
    for figure in result.figures:
        print(format_figure(figure), flush=True)
    print(result.commands, flush=True)


def run_all(groups: list[Group], opts: Options, rerun: bool) -> tuple[list[Figure], list[str]]:
    """Run every group; a tool failing in one group is reported and the next one runs."""
    final: list[Figure] = []
    errors: list[str] = []
    for group in groups:
        try:
            result = run_group(group, opts, 1)
            _report(group, result, 1)
            if rerun and not all(f.passed for f in result.figures):
                result = run_group(group, opts, 2)
                _report(group, result, 2)
        except ToolError as exc:
            print(f"== {group.name}: ERROR {exc}", flush=True)
            errors.append(f"{group.name}: {str(exc).splitlines()[0]}")
            continue
        final += result.figures
    return final, errors


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    names = [g.name for g in GROUPS]
    parser.add_argument("--quick", action="store_true", help="small smoke version of every group")
    parser.add_argument(
        "--only",
        action="append",
        choices=names,
        metavar="NAME",
        help=f"run only this group (repeatable): {', '.join(names)}",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        help="where runs, databases and logs go (default: artifacts/benchmarks/<UTC time>)",
    )
    parser.add_argument(
        "--squall",
        default=str(REPO / ".venv" / "bin" / "squall"),
        help="squall command (split on spaces)",
    )
    parser.add_argument(
        "--squall-export",
        default="json",
        choices=["json", "rally-json"],
        help="which of squall's exports to parse",
    )
    parser.add_argument("--rally", type=Path, default=REPO / ".benchmarks-venv/rally/bin/rally")
    parser.add_argument("--no-rally", action="store_true", help="squall alone (ratios n/a)")
    parser.add_argument("--no-squall", action="store_true", help="a Rally baseline alone")
    parser.add_argument("--no-rerun", action="store_true", help="do not rerun a failing group")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per task run")
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="run both tools at this scheduling priority (e.g. -5 on a busy shared machine)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="run squall under cProfile and print where its time goes (slows its figures)",
    )
    return parser.parse_args(argv)


def _absolute_paths(command: list[str]) -> list[str]:
    """Tools run in their own directories: paths given relative to here must still work."""
    return [str(Path(word).absolute()) if Path(word).exists() else word for word in command]


def _options(args: argparse.Namespace) -> Options:
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    rally = None if args.no_rally else args.rally
    if rally is not None and not rally.exists():
        raise ToolError(f"no Rally at {rally}: run `bash benchmarks/rally/setup.sh` first")
    return Options(
        workdir=(args.workdir or REPO / "artifacts" / "benchmarks" / stamp).resolve(),
        quick=args.quick,
        squall_command=_absolute_paths(args.squall.split()),
        squall_export=args.squall_export,
        rally=rally,
        squall=not args.no_squall,
        timeout=args.timeout,
        profile=args.profile,
        nice=args.nice,
    )


def _save(figures: list[Figure], errors: list[str], workdir: Path) -> None:
    rows = [{**asdict(f), "ratio": f.ratio, "passed": f.passed} for f in figures]
    document = {"figures": rows, "errors": errors}
    (workdir / "figures.json").write_text(json.dumps(document, indent=2, default=str))


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    groups = [g for g in GROUPS if not args.only or g.name in args.only]
    try:
        opts = _options(args)
    except ToolError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    opts.workdir.mkdir(parents=True, exist_ok=True)
    print(f"workdir {opts.workdir}; {os.cpu_count()} CPUs", flush=True)
    figures, errors = run_all(groups, opts, rerun=not args.no_rerun)
    _save(figures, errors, opts.workdir)
    print("\n== summary")
    for figure in figures:
        print(format_figure(figure).split("\n")[0])
    for error in errors:
        print(f"ERROR {error}")
    if errors:
        return 1
    return 0 if all(f.passed for f in figures) else 2


if __name__ == "__main__":
    sys.exit(main())
