"""LiveTest: interim reports of many clients merged and shown one line per interval, in order."""

from __future__ import annotations

from squall.dataplane.controller.state import Report
from squall.dataplane.live import LiveTest
from squall.dataplane.tools.base import Timing
from squall.dataplane.tools.iperf3 import Iperf3, Iperf3Args
from squall.dataplane.tools.ping import Ping, PingArgs


def _reply(seq: int, ms: float) -> str:
    return f"64 bytes from 10.0.0.1: icmp_seq={seq} ttl=64 time={ms} ms\n"


def _report(command: str, output: str) -> Report:
    return Report(command, "agent", False, "running", 0.0, {"output": output})


def _ping_test(clients: int = 2) -> tuple[LiveTest, list[str]]:
    shown: list[str] = []
    live = LiveTest(
        Ping(),
        PingArgs(interval=0.5),
        Timing(10, report_interval=1.0),
        {f"c{i}": f"agent-{i}" for i in range(clients)},
        "rtt",
    )
    live.on_line = lambda _test, text: shown.append(text)
    return live, shown


def test_an_interval_is_shown_once_every_client_reported_it():
    live, shown = _ping_test()
    live.add(_report("c0", _reply(1, 1.0) + _reply(2, 3.0) + _reply(3, 1.0)))
    assert shown == []  # c1 has not finished interval 0 yet
    live.add(_report("c1", _reply(1, 2.0) + _reply(2, 2.0) + _reply(3, 2.0)))
    assert len(shown) == 1
    assert shown[0].startswith("  rtt t=  1.0s  4 replies  rtt p50 2.000 p99 3.00")
    assert shown[0].endswith("(2/2)")
    assert [line.as_dict()["clients"] for line in live.lines] == [2]


def test_a_silent_client_does_not_hold_the_display_up():
    live, shown = _ping_test()
    live.add(_report("c0", _reply(1, 1.0) + _reply(3, 1.0) + _reply(5, 1.0) + _reply(7, 1.0)))
    # intervals 0-2 are finished for c0; c1 may still be one interval behind
    assert [s.split("t=")[1][:6] for s in shown] == ["  1.0s"]
    live.add(_report("c0", _reply(9, 1.0)))
    assert [s.split("t=")[1][:6] for s in shown] == ["  1.0s", "  2.0s"]
    assert all(s.endswith("(1/2)") for s in shown)


def test_reports_of_other_commands_and_unreadable_ones_are_ignored():
    live, shown = _ping_test(1)
    live.add(_report("someone-else", _reply(1, 1.0) + _reply(3, 1.0)))
    live.add(Report("c0", "agent", False, "running", 0.0, {"output": 42}))
    assert shown == []
    assert live.partial("someone-else") is None


def test_a_lost_clients_partial_result_is_what_it_streamed():
    live, _ = _ping_test()
    live.add(_report("c1", _reply(1, 1.0) + _reply(2, 1.0) + _reply(4, 1.0)))
    partial = live.partial("c1")
    assert partial is not None
    assert partial.counters == {"transmitted": 4.0, "received": 3.0, "loss_percent": 25.0}
    assert [i.counters["received"] for i in partial.intervals] == [2.0, 1.0]
    # one histogram per client for the whole test, not one per interval (~200 KB each)
    assert partial.histograms["rtt"].count == 3
    assert all(not i.histograms for i in partial.intervals)
    assert live.partial("c0") is None  # it sent nothing


def test_clients_intervals_are_summed_and_the_progress_keeps_the_lines():
    shown: list[str] = []
    live = LiveTest(
        Iperf3(),
        Iperf3Args(protocol="udp"),
        Timing(2),
        {"a": "ca", "b": "cb"},
        "udp",
        repetition=1,
        start_at=5.0,
    )
    live.on_line = lambda _test, text: shown.append(text)
    row = "[  5]   0.00-1.00   sec  1.19 MBytes  {} Kbits/sec  {}\n"
    live.add(_report("a", row.format(1000000, 80)))
    live.add(_report("b", row.format(3000000, 240)))
    assert shown == ["  udp t=  1.0s  4.00 Gbit/s  (2/2)"]
    progress = live.progress()
    assert progress["repetition"] == 1
    assert progress["start_at"] == 5.0
    assert progress["lines"] == [{"start": 0.0, "end": 1.0, "clients": 2, "text": "4.00 Gbit/s"}]


def test_a_tool_without_interim_data_does_not_stream():
    from squall.dataplane.tools.http import Http, HttpArgs

    live = LiveTest(Http(), HttpArgs(driver="wrk"), Timing(1), {"c": "a"}, "wrk")
    assert not live.streams
    live.add(_report("c", "Running 1s test\n"))
    assert live.lines == []


def test_a_final_report_ends_the_clients_last_interval():
    live, shown = _ping_test(1)
    live.add(_report("c0", _reply(1, 1.0) + _reply(3, 1.0)))
    assert len(shown) == 1  # slot 0 is finished by seq 3; slot 1 is still open
    live.add(Report("c0", "agent", True, "ok", 0.0, {"stdout": "..."}))
    assert [s.split("t=")[1][:6] for s in shown] == ["  1.0s", "  2.0s"]


def test_a_stragglers_share_of_a_line_already_shown_is_not_shown_again():
    live, shown = _ping_test()
    live.add(_report("c0", "".join(_reply(seq, 1.0) for seq in (1, 3, 5, 7))))
    assert len(shown) == 1  # t=1 shown with c0 alone (c1 is two intervals behind)
    live.add(_report("c1", _reply(1, 1.0) + _reply(3, 1.0)))  # c1's t=1, late
    assert len(shown) == 1
    assert shown[0].endswith("(1/2)")
