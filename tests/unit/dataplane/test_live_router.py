"""LiveRouter: interim reports parsed on a worker thread, in order, none lost, bounded."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from squall.dataplane.controller.state import Report
from squall.dataplane.live import LiveTest
from squall.dataplane.live_router import LiveRouter
from squall.dataplane.tools.base import Timing
from squall.dataplane.tools.fio import Fio, FioArgs

DATA = Path(__file__).parents[2] / "data" / "dataplane"
CLIENTS = 5


def _fio_test() -> LiveTest:
    clients = {f"c{i}": f"agent-{i}" for i in range(CLIENTS)}
    return LiveTest(Fio(), FioArgs(), Timing(4, report_interval=1.0), clients, "disk")


def _reports() -> list[Report]:
    """Every client's recorded fio status output, a few lines at a time, then its final."""
    lines = (DATA / "fio-randrw-status-interval.json").read_text().splitlines(keepends=True)
    chunks = ["".join(lines[i : i + 400]) for i in range(0, len(lines), 400)]
    reports = [
        Report(f"c{c}", f"agent-{c}", False, "running", 0.0, {"output": chunk})
        for chunk in chunks
        for c in range(CLIENTS)
    ]
    return reports + [Report(f"c{c}", f"agent-{c}", True, "ok", 0.0, {}) for c in range(CLIENTS)]


def _shape(test: LiveTest) -> list[tuple[float, float, int, str]]:
    return [(line.start, line.end, line.clients, line.text) for line in test.lines]


def test_reports_parsed_on_the_worker_are_those_parsed_in_line():
    direct = _fio_test()
    for report in _reports():
        direct.add(report)

    async def routed() -> tuple[LiveTest, list[int], int]:
        shown_on: list[int] = []
        router = LiveRouter(lambda _test, _text: shown_on.append(threading.get_ident()))
        test = router.watch(_fio_test())
        for report in [*_reports(), Report("other", "x", False, "running", 0.0, {})]:
            await router.put(report)
        await router.drain()
        await asyncio.sleep(0)  # the lines handed back run on the loop
        await router.close()
        assert shown_on and set(shown_on) == {threading.get_ident()}
        return test, shown_on, router.parsed

    test, shown_on, parsed = asyncio.run(routed())
    assert parsed == len(_reports())  # the other command's report was not queued
    assert len(test.lines) == 4 and {line.clients for line in test.lines} == {CLIENTS}
    assert _shape(test) == _shape(direct)
    assert len(shown_on) == len(test.lines)
    for c in range(CLIENTS):
        assert test.partial(f"c{c}") is not None


def _intervals(test: LiveTest) -> list[int]:
    """How many intervals each client's parser read (what a lost client would keep)."""
    partials = [test.partial(f"c{c}") for c in range(CLIENTS)]
    return [len(p.intervals) if p is not None else 0 for p in partials]


def test_a_full_queue_makes_the_sender_wait_and_loses_nothing():
    reports = _reports()[:-CLIENTS]  # every status report, no final one
    direct = _fio_test()
    for report in reports:
        direct.add(report)

    async def scenario() -> tuple[bool, int, LiveTest]:
        router = LiveRouter(lambda _test, _text: None, max_pending=2)
        test = router.watch(_fio_test())
        with router.holding():  # the worker cannot feed anything meanwhile
            sending = asyncio.ensure_future(_put_all(router, reports))
            for _ in range(50):
                await asyncio.sleep(0)
            waited = not sending.done()
        await sending
        await router.drain()
        await router.close()
        return waited, router.parsed, test

    waited, parsed, test = asyncio.run(scenario())
    assert waited  # they do not fit: one batch in the worker's hands, two queued
    assert parsed == len(reports)
    assert _intervals(test) == _intervals(direct) == [4] * CLIENTS


async def _put_all(router: LiveRouter, reports: list[Report]) -> None:
    for report in reports:
        await router.put(report)


class _Broken(LiveTest):
    """A test whose parsing fails on its first report with an unexpected error."""

    def add(self, report: Report) -> None:
        if not getattr(self, "_failed", False):
            self._failed = True
            raise RuntimeError("a parser bug")
        super().add(report)


def test_an_unexpected_parsing_error_does_not_stop_the_worker(caplog):
    async def scenario() -> int:
        router = LiveRouter(lambda _test, _text: None)
        clients = {f"c{i}": f"agent-{i}" for i in range(CLIENTS)}
        broken = _Broken(Fio(), FioArgs(), Timing(4, report_interval=1.0), clients, "disk")
        router.watch(broken)
        for report in _reports():
            await router.put(report)
        await router.drain()
        await router.close()
        return router.parsed

    assert asyncio.run(scenario()) == len(_reports())
    assert "interim report of c0 not read" in caplog.text
