"""Each tool's build_command() and parse(), on outputs recorded from real runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from squall.dataplane.agent import protocol
from squall.dataplane.tools import fio, get_tool, http, iperf3, ping
from squall.dataplane.tools.base import Target, Timing, ToolOutputError
from squall.errors import ConfigError

DATA = Path(__file__).parents[2] / "data" / "dataplane"
TARGET = Target("10.64.0.10", 5203, "s0")


def _text(name: str) -> str:
    return (DATA / name).read_text()


# ---- iperf3 ------------------------------------------------------------------------
def test_iperf3_command_streams_text_uses_set_mss_omit_and_its_own_port():
    args = iperf3.Iperf3Args(streams=4, mss=1400, protocol="udp", bandwidth="1G", length=1200)
    argv = iperf3.build_command(args, TARGET, Timing(10, warmup=2, report_interval=0.5))
    assert argv[:8] == ["iperf3", "-c", "10.64.0.10", "-p", "5203", "-f", "k", "--forceflush"]
    assert "-J" not in argv  # JSON comes only at the end
    assert argv[argv.index("-M") + 1] == "1400"
    assert "--mss" not in argv
    assert argv[argv.index("-O") + 1] == "2"
    assert argv[argv.index("-i") + 1] == "0.5"
    assert {"-u", "-P"} <= set(argv)


def test_iperf3_tcp_goodput_comes_from_the_receiver_summary():
    m = iperf3.parse(_text("iperf3-tcp-omit.txt"))
    assert m.counters["bits_per_second"] == 9508333e3  # receiver
    assert m.counters["sent_bits_per_second"] == 9524190e3  # sender
    assert m.counters["retransmits"] == 0
    assert m.counters["bytes"] == pytest.approx(9508333e3 * 2.0 / 8)
    # the two omitted (warm-up) intervals are left out
    assert [(i.start, i.end) for i in m.intervals] == [
        (0.0, 0.51),
        (0.51, 1.0),
        (1.0, 1.5),
        (1.5, 1.99),
    ]
    assert m.intervals[2].counters == {"bits_per_second": 10295934e3, "retransmits": 0.0}


def test_iperf3_parallel_streams_count_their_sum_lines():
    m = iperf3.parse(_text("iperf3-tcp-p2.txt"), iperf3.Iperf3Args(streams=2))
    assert m.counters["bits_per_second"] == 3989239e3
    assert m.counters["sent_bits_per_second"] == 3997020e3
    assert len(m.intervals) == 4
    assert m.intervals[0].counters["bits_per_second"] == 3992275e3


def test_iperf3_udp_reports_jitter_and_loss():
    m = iperf3.parse(_text("iperf3-udp.txt"), iperf3.Iperf3Args(protocol="udp"))
    assert m.counters["lost_packets"] == 102165
    assert m.counters["packets"] == 169686
    assert m.counters["lost_percent"] == pytest.approx(100 * 102165 / 169686)
    assert m.counters["jitter_ms"] == pytest.approx(0.001)
    assert m.counters["bits_per_second"] == 270066e3  # received, not the 678738 kbit/s sent
    assert [i.counters["packets"] for i in m.intervals] == [93022, 76664]


def test_iperf3_reverse_run_parses():
    m = iperf3.parse(_text("iperf3-tcp-reverse.txt"), iperf3.Iperf3Args(reverse=True))
    assert m.counters["bits_per_second"] == 20304523e3
    assert m.counters["retransmits"] == 25
    assert m.intervals[0].counters == {"bits_per_second": 18816130e3}


def test_iperf3_error_is_a_measurement_error_not_a_crash():
    m = iperf3.parse(_text("iperf3-refused.txt"))
    assert m.error is not None
    assert "Connection refused" in m.error


def test_iperf3_without_summary_is_a_tool_output_error():
    with pytest.raises(ToolOutputError, match="summary"):
        iperf3.parse("Connecting to host 10.0.0.1, port 5201\n")


# ---- fio ---------------------------------------------------------------------------
def test_fio_command():
    args = fio.FioArgs(rw="randrw", rwmixread=70, rate_iops=500, filename="/dev/vdb")
    argv = fio.build_command(args, Timing(30, warmup=5, report_interval=2))
    assert argv[0] == "fio"
    assert "--output-format=json+" in argv
    assert "--filename=/dev/vdb" in argv
    assert {
        "--runtime=30s",
        "--ramp_time=5s",
        "--status-interval=2",
        "--rwmixread=70",
        "--rate_iops=500",
    } <= set(argv)


def test_fio_bins_become_a_histogram_with_every_io():
    text = _text("fio-randread-jsonplus.json")
    read = json.loads(text)["jobs"][0]["read"]
    m = fio.parse(text)
    hist = m.histograms["read_clat"]
    assert hist.count == read["total_ios"] == sum(read["clat_ns"]["bins"].values())
    assert m.counters["read_iops"] == pytest.approx(read["iops"])
    assert m.counters["read_bytes_per_second"] == read["bw_bytes"]
    fio_p99_s = read["clat_ns"]["percentile"]["99.000000"] / 1e9
    assert hist.value_at(99) == pytest.approx(fio_p99_s, rel=0.02)
    assert "write_iops" not in m.counters


def test_fio_status_intervals_are_differences_of_cumulative_reports():
    text = _text("fio-randrw-status-interval.json")
    m = fio.parse(text)
    docs = fio.documents(text)
    assert len(docs) == 4
    assert [round(i.start) for i in m.intervals] == [0, 1, 2, 3]
    last = docs[-1]["jobs"][0]
    ios = sum(i.histograms["read_clat"].count for i in m.intervals if "read_clat" in i.histograms)
    assert ios == last["read"]["total_ios"]
    assert m.counters["write_iops"] > 0
    assert m.histograms["write_clat"].count == last["write"]["total_ios"]


def test_fio_output_with_its_middle_left_out_still_parses():
    """The agent keeps the first and last halves of a long output; reports cut are skipped."""
    text = _text("fio-randrw-status-interval.json")
    lines = text.splitlines(keepends=True)
    ends = [i for i, line in enumerate(lines) if line == "}\n"]
    middle_of_third = (ends[1] + ends[2]) // 2
    cut = "".join(lines[: ends[0] + 1] + lines[ends[0] + 40 : ends[0] + 60])
    cut += "".join(lines[middle_of_third:])
    m = fio.parse(cut)
    last = fio.documents(text)[-1]["jobs"][0]
    assert m.counters["read_ios"] == last["read"]["total_ios"]
    # the first report's interval, then one interval across the gap
    assert [(i.start, i.end) for i in m.intervals] == [(0.0, 0.865), (0.865, 3.002)]


def test_fio_intervals_are_cut_on_the_jobs_runtime_in_milliseconds():
    """Not on ``elapsed`` (whole seconds since setup): the last report came 0.137 s after
    the one before, not 1 s, and its rate is the job's, not a seventh of it."""
    m = fio.parse(_text("fio-randrw-status-interval.json"))
    assert [(i.start, i.end) for i in m.intervals] == [
        (0.0, 0.865),
        (0.865, 1.865),
        (1.865, 2.865),
        (2.865, 3.002),
    ]
    last = m.intervals[-1]
    assert last.counters["read_iops"] == pytest.approx((36768 - 35211) / 0.137)
    assert last.counters["read_iops"] == pytest.approx(
        m.intervals[1].counters["read_iops"], rel=0.2
    )


def test_fio_2_microsecond_output_is_refused_with_the_reason():
    doc = {"fio version": "fio-2.16", "jobs": [{"read": {"clat": {"mean": 1}}}]}
    with pytest.raises(ToolOutputError, match="fio >= 3"):
        fio.parse(json.dumps(doc))


def test_fio_no_json_is_a_tool_output_error():
    with pytest.raises(ToolOutputError):
        fio.parse("fio: failed to open file")


# ---- ping --------------------------------------------------------------------------
def test_ping_command():
    argv = ping.build_command(ping.PingArgs(interval=0.1, size=1400), TARGET, Timing(5))
    assert argv == ["ping", "-n", "-c", "50", "-i", "0.1", "-s", "1400", "-W", "2", "10.64.0.10"]


def test_ping_rtt_histogram_and_loss():
    m = ping.parse(_text("ping-ok.txt"), interval=0.2, report_interval=0.5)
    assert m.counters == {"transmitted": 5.0, "received": 5.0, "loss_percent": 0.0}
    rtt = m.histograms["rtt"]
    assert rtt.count == 5
    assert rtt.min == pytest.approx(30e-6)
    assert rtt.max == pytest.approx(42e-6)
    assert [i.counters["received"] for i in m.intervals] == [3.0, 2.0]


def test_ping_with_losses():
    text = _text("ping-loss.txt")
    m = ping.parse(text, interval=0.2)
    assert m.counters["transmitted"] == 4
    assert m.counters["received"] == 0
    assert m.counters["loss_percent"] == 100.0
    assert m.histograms["rtt"].count == 0


def test_ping_without_summary_is_a_tool_output_error():
    with pytest.raises(ToolOutputError, match="connect: Network is unreachable"):
        ping.parse("ping: connect: Network is unreachable\n")


# ---- http --------------------------------------------------------------------------
def test_http_generator_spec_and_wrk_command():
    args = http.HttpArgs(connections=50, rate=2000, size=4096)
    timing = Timing(10, warmup=2, report_interval=1)
    spec = http.build_spec(args, TARGET, timing)
    assert spec == {
        "host": "10.64.0.10",
        "port": 5203,
        "path": "/squall-4096.bin",
        "connections": 50,
        "rate": 2000.0,
        "duration": 12,
        "timeout": 5.0,
        "report_interval": 1,
    }
    argv = http.build_command(http.HttpArgs(driver="wrk", connections=50), TARGET, timing)
    assert argv[-1] == "http://10.64.0.10:5203/squall-1024.bin"
    assert argv[argv.index("-s") : argv.index("-s") + 2] == ["-s", "wrk-report.lua"]


def test_http_generator_intervals_merge_and_skip_warmup():
    report = json.loads(_text("httpload-rate500.json"))
    m = http.parse_intervals(report["intervals"], warmup=1.0)
    assert len(m.intervals) == 3  # [0,1] is warm-up; the tail interval stays
    assert m.counters["requests"] == 1001
    assert m.histograms["latency"].count == 1001
    assert m.counters["status_2xx"] == 1001
    assert m.intervals[0].start == pytest.approx(0.0, abs=0.01)


def test_http_generator_connection_errors_are_counted():
    report = json.loads(_text("httpload-refused.json"))
    m = http.parse_intervals(report["intervals"], warmup=0.0)
    assert m.counters["requests"] == 0
    assert m.counters["errors"] > 0


def test_wrk_report_line_gives_counters_and_a_quantile_histogram():
    m = http.parse_wrk(_text("wrk-report.txt"))
    line = next(ln for ln in _text("wrk-report.txt").splitlines() if ln.startswith("SQUALL-WRK"))
    data = json.loads(line.split(" ", 1)[1])
    assert m.counters["requests"] == data["requests"]
    assert m.histograms["latency"].count == data["requests"]
    p50 = data["latency"]["quantiles"][499] / 1e6
    assert m.histograms["latency"].value_at(50) == pytest.approx(p50, rel=0.02)


def test_wrk_non_2xx_responses_are_counted():
    m = http.parse_wrk(_text("wrk-report-404.txt"))
    assert m.counters["status_not_2xx_3xx"] == m.counters["requests"] > 0


def test_wrk_without_the_report_script_is_a_tool_output_error():
    with pytest.raises(ToolOutputError, match="report script"):
        http.parse_wrk("Running 1s test @ http://x\nRequests/sec: 10\n")


# ---- table -------------------------------------------------------------------------
def test_every_tool_resolves_and_commands_use_allowed_binaries():
    timing = Timing(3)
    for name in ("http", "iperf3", "ping", "fio"):
        tool = get_tool(name)()
        command = tool.client_command(tool.Config(), TARGET, timing)
        assert command.op in protocol.OPERATIONS
        if command.argv is not None:
            assert command.argv[0] in protocol.ALLOWED_TOOLS


def test_unknown_tool_gets_a_hint():
    with pytest.raises(ConfigError) as info:
        get_tool("iperf")
    assert "iperf3" in str(info.value)
