"""Run a plan end to end: stage, start agents, gather a quorum, run the tests, keep the results.

Order: topology and preflight (nothing is created before both pass) -> controller ->
provider stages instances -> agents start and register -> each test repetition:
servers start their services, clients get one command each with a common
``start_at`` -> results are parsed, merged and written after every repetition ->
agents exit -> everything staged is removed, also on error or Ctrl-C.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
import socket
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from squall import __version__
from squall.dataplane import topology as topo_mod
from squall.dataplane.agent import protocol
from squall.dataplane.aggregate import IntervalMerger, PairOutcome, RepetitionSummary, summarize
from squall.dataplane.bundle import build_bundle
from squall.dataplane.controller.core import Collected, Controller
from squall.dataplane.controller.state import Command, MemoryState, Report, StateBackend
from squall.dataplane.live import LiveTest
from squall.dataplane.live_router import LiveRouter
from squall.dataplane.plan import Plan, PlanTest
from squall.dataplane.providers.base import AgentLaunch, Provider
from squall.dataplane.results import (
    PROGRESS_FILE,
    RunRecord,
    progress_dict,
    release,
    run_dict,
    write_progress,
    write_results,
)
from squall.dataplane.tools import make_tool
from squall.dataplane.tools.base import Target, Timing, Tool, ToolOutputError
from squall.dataplane.topology import Pair, Topology
from squall.errors import AgentError, ConfigError, RunAborted, SquallError

if TYPE_CHECKING:
    from squall.openstack.credentials import CloudSpec

HTTP_PORT = 80
IPERF3_BASE_PORT = 5201
SERVE_TIMEOUT = 60.0

Echo = Callable[[str], None]
#: Called once a test repetition's commands are out: (test, repetition, provider).
StartedHook = Callable[[PlanTest, int, Provider], None]


@dataclass
class RunOptions:
    workdir: Path
    redis_url: str | None = None
    echo: Echo | None = None
    run_id: str | None = None
    on_started: StartedHook | None = None
    #: results store URL to save the run in as well ("" = the default store); None: files only
    db: str | None = None
    #: openstack provider: the server cloud and, if a second, the client cloud (``--cloud``);
    #: None: the plan's ``clouds``
    clouds: list[CloudSpec] | None = None


@dataclass
class _Context:
    plan: Plan
    topology: Topology
    provider: Provider
    controller: Controller
    echo: Echo
    on_started: StartedHook | None = None
    saver: _Saver | None = None
    run_dir: Path | None = None
    #: the repetitions running now; their client commands' reports are parsed by ``router``
    running: list[LiveTest] = field(default_factory=list)
    router: LiveRouter = field(init=False)
    #: repetitions cut short by Ctrl-C, with what their clients streamed
    interrupted: list[RepetitionSummary] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.router = LiveRouter(self._line)
        self.controller.on_report = self.router.put

    def watch(self, test: LiveTest) -> LiveTest:
        """Route ``test``'s interim reports to it; its lines are printed and saved."""
        self.router.watch(test)
        self.running.append(test)
        self._save_progress()
        return test

    def unwatch(self, test: LiveTest) -> None:
        self.router.unwatch(test)
        self.running.remove(test)

    def _line(self, _test: LiveTest, text: str) -> None:
        self._save_progress()
        self.echo(text)

    def _save_progress(self) -> None:
        if self.run_dir is not None:
            write_progress(progress_dict(self.running), self.run_dir)


class _Saver:
    """Writes ``results.json`` and, when asked, the same document to the results store."""

    def __init__(self, run_dir: Path, db: str | None) -> None:
        self.run_dir = run_dir
        self.db = db
        self._store: Any = None

    def save(self, record: RunRecord) -> None:
        write_results(record, self.run_dir)
        release(record)  # written once, rendered tests need no histogram objects
        if self.db is None:
            return
        from squall.dataplane.store import DataplaneStore
        from squall.results.store import Store

        if self._store is None:
            self._store = Store.open(self.db or None)
        DataplaneStore(self._store).save(run_dict(record))

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _save(context: _Context, record: RunRecord) -> None:
    if context.saver is not None:
        context.saver.save(record)


def tools_needed(plan: Plan) -> set[str]:
    """Binaries the plan's tests run on client or server instances."""
    needed: set[str] = set()
    for test in plan.tests:
        if test.tool == "http":
            if test.args.get("driver") == "wrk":
                needed.add("wrk")
        else:
            needed.add(test.tool)
    return needed


def make_provider(
    plan: Plan,
    run: str,
    run_dir: Path,
    db: str | None = None,
    clouds: list[CloudSpec] | None = None,
) -> Provider:
    """The plan's provider; ``db`` is the results store whose resource journal the
    openstack provider writes (None: a journal in memory, cleanup then goes by names),
    ``clouds`` the clouds it stages in (None: the plan's)."""
    if plan.provider == "netns":
        from squall.dataplane.providers.netns import NetnsProvider

        return NetnsProvider(run, run_dir, mtu=plan.netns.mtu, nat=plan.netns.nat)
    from squall.dataplane.providers.openstack import OpenStackProvider
    from squall.openstack.journal import MemoryJournal

    if db is None:
        return OpenStackProvider(plan, run, run_dir, MemoryJournal(), clouds=clouds)
    from squall.results.journal import StoreJournal
    from squall.results.store import Store

    store = Store.open(db or None)
    journal = StoreJournal(store)
    return OpenStackProvider(plan, run, run_dir, journal, on_close=store.close, clouds=clouds)


def controller_bind(plan: Plan) -> tuple[str | None, int]:
    """Where the controller listens on TCP: ``controller.bind``, else ``listen``."""
    value = plan.controller.bind or plan.controller.listen
    if not value:
        return None, 0
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise ConfigError(
            f"controller address {value!r} is not host:port", hint="write e.g. 192.0.2.10:7780"
        )
    return host.strip("[]"), int(port)


def environment() -> dict[str, Any]:
    return {
        "squall_version": __version__,
        "python": sys.version.split()[0],
        "host": socket.gethostname(),
        "platform": platform.platform(),
    }


async def run_plan(plan: Plan, options: RunOptions) -> RunRecord:
    echo = options.echo or (lambda _m: None)
    try:
        topology = topo_mod.build(plan)
    except topo_mod.TopologyError as exc:
        raise ConfigError(f"the plan cannot be staged: {exc}") from None
    run = options.run_id or uuid.uuid4().hex
    run_dir = options.workdir / run
    provider = make_provider(plan, run, run_dir, options.db, options.clouds)
    provider.preflight(topology, tools_needed(plan))
    run_dir.mkdir(parents=True, exist_ok=True)
    secret = protocol.new_secret()
    secret_file = run_dir / "secret"
    secret_file.touch(mode=0o600)
    secret_file.write_text(secret)
    state: StateBackend = MemoryState()
    if options.redis_url:
        from squall.dataplane.controller.redis_state import RedisState

        state = RedisState(options.redis_url, run)
    controller = Controller(
        run,
        secret,
        state,
        loss_timeout=plan.controller.loss_timeout,
        poll_wait=plan.controller.poll_wait,
    )
    record = RunRecord(
        run=run,
        title=plan.title,
        provider=plan.provider,
        network_mode=plan.network_mode,
        plan=plan.model_dump(mode="json"),
        started_at=time.time(),
        environment=environment(),
        pid=os.getpid(),
    )
    echo(f"run {run}: {len(topology.instances)} instances ({plan.network_mode}) in {run_dir}")
    saver = _Saver(run_dir, options.db)
    context = _Context(
        plan, topology, provider, controller, echo, options.on_started, saver, run_dir
    )
    try:
        unix = provider.controller_unix_socket(run_dir)
        host, port = (None, 0) if unix is not None else controller_bind(plan)
        await controller.start(host=host, port=port, unix=unix)
        saver.save(record)
        await _stage(context, run, secret_file, run_dir)
        record.agents = list((await controller.agents()).values())
        saver.save(record)  # status shows the agents while the tests run
        await _run_tests(context, record, run_dir)
        record.status = "partial" if any(t.partial for t in record.tests) else "finished"
    except asyncio.CancelledError:
        record.tests.extend(context.interrupted)
        record.status, record.error = "aborted", "interrupted"
        raise RunAborted(f"run {run} interrupted; everything staged was removed") from None
    except SquallError as exc:
        record.status, record.error = "crashed", exc.message
        raise
    finally:
        await _finish(context, record, run_dir)
    return record


async def _stage(context: _Context, run: str, secret_file: Path, run_dir: Path) -> None:
    started = time.monotonic()
    await asyncio.to_thread(context.provider.stage, context.topology)
    context.echo(f"staged in {time.monotonic() - started:.2f} s")
    socket_path = context.provider.controller_unix_socket(run_dir)
    url = f"unix://{socket_path}" if socket_path else f"http://{context.plan.controller.listen}"
    launch = AgentLaunch(
        controller_url=url,
        run=run,
        secret_file=secret_file,
        bundle=build_bundle(
            run_dir / "squall-agent.pyz",
            Path(context.plan.custom_tests) if context.plan.custom_tests else None,
        ),
        register_timeout=context.plan.controller.register_timeout,
    )
    await asyncio.to_thread(context.provider.start_agents, context.topology, launch)
    expected = set(context.topology.instances)
    present = await context.controller.wait_for_agents(
        expected, context.plan.controller.register_timeout
    )
    if present != expected:
        missing = sorted(expected - present)
        raise AgentError(
            f"{len(missing)} of {len(expected)} agents did not register: {', '.join(missing[:5])}",
            hint=f"see {run_dir / 'agents'}/<name>.log",
        )
    context.echo(f"{len(present)} agents registered in {time.monotonic() - started:.2f} s")


async def _run_tests(context: _Context, record: RunRecord, run_dir: Path) -> None:
    plan = context.plan
    if plan.execution == "concurrent":
        repetitions = max(t.repetitions for t in plan.tests)
        for rep in range(repetitions):
            tests = [t for t in plan.tests if t.repetitions > rep]
            summaries = await asyncio.gather(*(_run_test(context, t, rep) for t in tests))
            record.tests.extend(summaries)
            _save(context, record)
        return
    for test in plan.tests:
        for rep in range(test.repetitions):
            record.tests.append(await _run_test(context, test, rep))
            _save(context, record)


async def _run_test(context: _Context, test: PlanTest, rep: int) -> RepetitionSummary:
    tool = make_tool(test.tool, context.plan.custom_tests)
    args = tool.Config.model_validate(test.args)
    timing = Timing(test.duration, test.warmup, test.report_interval)
    pairs = context.topology.pairs
    position = next(i for i, t in enumerate(context.plan.tests) if t.name == test.name)
    ports = {p.index: _port(tool, p, position * len(pairs)) for p in pairs}
    server_errors = await _start_servers(context, tool, args, ports, f"{test.name}-{rep}")
    lead = context.plan.controller.start_lead + 0.002 * len(pairs)
    start_at = time.time() + lead
    commands: dict[int, Command] = {}
    for pair in pairs:
        if pair.server in server_errors:
            continue
        target = Target(str(pair.target), ports[pair.index], pair.server)
        cc = tool.client_command(args, target, timing)
        commands[pair.index] = Command(
            id=f"{test.name}-{rep}-{pair.index}",
            agent=pair.client,
            op=cc.op,
            start_at=start_at,
            argv=cc.argv,
            spec=cc.spec,
            assets=cc.assets or None,
            timeout=cc.timeout,
            report_interval=cc.report_interval,
        )
    context.echo(f"{test.name} #{rep + 1}: {len(commands)} clients start in {lead:.2f} s")
    clients = {c.id: c.agent for c in commands.values()}
    live = context.watch(
        LiveTest(tool, args, timing, clients, test.name, repetition=rep, start_at=start_at)
    )
    await context.controller.submit(list(commands.values()))
    if context.on_started is not None:
        context.on_started(test, rep, context.provider)
    timeout = lead + max((c.timeout for c in commands.values()), default=0.0)
    ticker = None
    if not live.streams:
        ticker = asyncio.create_task(_progress(context, test, start_at, list(clients)))
    try:
        collected = await context.controller.collect(list(commands.values()), timeout)
        await context.router.drain()  # every interim report received is in ``live``
    except asyncio.CancelledError:  # Ctrl-C: keep what the clients streamed so far
        with context.router.holding():
            outcomes = _outcomes(context, live, commands, None)
            context.interrupted.append(_summary(test, live, outcomes))
        raise
    finally:
        context.unwatch(live)
        if ticker is not None:
            ticker.cancel()
    summary = _summary(test, live, _outcomes(context, live, commands, collected, server_errors))
    if summary.partial:
        context.echo(f"{test.name} #{rep + 1}: partial, failed: {', '.join(summary.failed_agents)}")
    return summary


def _outcomes(
    context: _Context,
    live: LiveTest,
    commands: dict[int, Command],
    collected: Collected | None,
    server_errors: dict[str, str] | None = None,
) -> Iterator[PairOutcome]:
    """Each pair's outcome, parsed as it is asked for; ``collected`` None: the run was
    interrupted while the test ran."""
    for pair in context.topology.pairs:
        command = commands.get(pair.index)
        if command is None:
            error = (server_errors or {}).get(pair.server, f"server {pair.server} did not start")
            yield _outcome(context, pair, "error", error=error)
            continue
        final = None if collected is None else collected.finals.get(command.id)
        if final is not None:
            yield _parse(context, live, pair, final, live.start_at)
            continue
        if collected is None:
            status, error = "aborted", "the run was interrupted"
        elif pair.client in collected.lost_agents:
            status, error = "lost", f"agent {pair.client} lost"
        else:
            status, error = "timeout", f"agent {pair.client} did not finish in time"
        partial = live.partial(command.id)
        yield _outcome(context, pair, status, measurement=partial, error=error)


def _summary(test: PlanTest, live: LiveTest, outcomes: Iterable[PairOutcome]) -> RepetitionSummary:
    """The repetition's figures. Each pair's intervals are merged as soon as it is parsed,
    then dropped (an interval's HdrHistogram takes ~200 KB: 100 clients x 600 intervals
    held at once would be ~13 GB)."""
    tool = live.tool
    merger = IntervalMerger(live.timing.report_interval, tool.averaged)
    kept = []
    for outcome in outcomes:
        measurement = outcome.measurement
        if measurement is not None and measurement.error is None:
            merger.add(measurement)
            measurement.intervals = []
        kept.append(outcome)
    return summarize(
        RepetitionSummary(test.name, test.tool, live.repetition, live.start_at, kept),
        averaged=tool.averaged,
        headline=tool.headline,
        step=live.timing.report_interval,
        intervals=merger,
    )


def _port(tool: Tool, pair: Pair, offset: int) -> int:
    """One iperf3 server port per client and test (tests may run concurrently)."""
    if tool.name == "iperf3":
        return IPERF3_BASE_PORT + offset + pair.index
    return HTTP_PORT


async def _start_servers(
    context: _Context, tool: Tool, args: Any, ports: dict[int, int], tag: str
) -> dict[str, str]:
    """Start every server-side service; return errors by server agent."""
    commands: dict[str, Command] = {}
    for pair in context.topology.pairs:
        spec = tool.server_service(args, ports[pair.index])
        if spec is None:
            continue
        key = f"{pair.server}/{spec.get('name', spec['service'])}"
        if key not in commands:
            commands[key] = Command(
                f"serve-{tag}-{len(commands)}", pair.server, protocol.OP_SERVE, spec=spec
            )
    if not commands:
        return {}
    await context.controller.submit(list(commands.values()))
    collected = await context.controller.collect(list(commands.values()), SERVE_TIMEOUT)
    errors: dict[str, str] = {}
    for command in commands.values():
        final = collected.finals.get(command.id)
        if final is None:
            errors[command.agent] = f"server agent {command.agent} did not start its service"
        elif final.status != "ok":
            errors[command.agent] = f"server {command.agent}: {final.data.get('error', 'failed')}"
    return errors


def _outcome(context: _Context, pair: Pair, status: str, **kwargs: Any) -> PairOutcome:
    return PairOutcome(
        client=pair.client,
        server=pair.server,
        client_host=context.provider.host_of(pair.client),
        server_host=context.provider.host_of(pair.server),
        status=status,
        **kwargs,
    )


def _parse(
    context: _Context, live: LiveTest, pair: Pair, final: Report, start_at: float
) -> PairOutcome:
    """A client's final report as its pair's outcome. A failed tool keeps what it
    measured: its final output if that still reads, else what it streamed."""
    tool, args, timing, data = live.tool, live.args, live.timing, final.data
    skew = float(data["started_at"]) - start_at if "started_at" in data else None
    if final.status != "ok":
        error = str(data.get("error") or data.get("stderr", "")[-500:] or final.status)
        measurement = None
        with contextlib.suppress(ToolOutputError, KeyError, ValueError):
            measurement = tool.parse(args, data, timing)
            if measurement.error:
                error = measurement.error
        if measurement is None:
            measurement = live.partial(final.command)
        return _outcome(
            context, pair, "error", measurement=measurement, start_skew=skew, error=error
        )
    try:
        measurement = tool.parse(args, data, timing)
    except ToolOutputError as exc:
        return _outcome(context, pair, "error", start_skew=skew, error=str(exc))
    status = "error" if measurement.error else "ok"
    return _outcome(
        context, pair, status, measurement=measurement, start_skew=skew, error=measurement.error
    )


async def _progress(context: _Context, test: PlanTest, start_at: float, ids: list[str]) -> None:
    """A line every report interval (at least 1 s) while clients run tools without interim data."""
    step = max(1.0, test.report_interval)
    await asyncio.sleep(max(0.0, start_at - time.time()))
    while True:
        await asyncio.sleep(step)
        done = context.controller.finished(ids)
        elapsed = time.time() - start_at
        context.echo(f"  {test.name} t={elapsed:>4.0f}s  {done}/{len(ids)} clients done")


async def _finish(context: _Context, record: RunRecord, run_dir: Path) -> None:
    """Agents exit, staged instances go, the controller stops, the record is written."""
    controller = context.controller
    with contextlib.suppress(Exception):
        agents = await controller.agents()
        record.agents = list(agents.values())
        exits = [Command(f"exit-{a}", a, protocol.OP_EXIT) for a in agents]
        await controller.submit(exits)
        await asyncio.sleep(0.3)
    await asyncio.to_thread(context.provider.teardown)
    record.rejected_messages = controller.rejected
    record.finished_at = time.time()
    with contextlib.suppress(Exception):
        await controller.stop()
    await context.router.close()
    try:
        _save(context, record)
    except SquallError as exc:  # the run's files are written; do not hide the run's own error
        context.echo(f"could not save to the results store: {exc.message}")
    if context.saver is not None:
        context.saver.close()
    (run_dir / PROGRESS_FILE).unlink(missing_ok=True)
    context.echo(f"{record.status}: results in {run_dir / 'results.json'}")
