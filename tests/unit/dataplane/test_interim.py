"""Interim reports: each tool's IntervalParser on recorded outputs cut as the agent sends them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from squall.dataplane.tools import fio, http, iperf3, ping
from squall.dataplane.tools.base import IntervalMeasurement, IntervalParser, Measurement, Timing

DATA = Path(__file__).parents[2] / "data" / "dataplane"


def _text(name: str) -> str:
    return (DATA / name).read_text()


def _chunks(text: str, lines_per_chunk: int) -> list[str]:
    """The output as the agent sends it: whole lines, ``lines_per_chunk`` at a time."""
    lines = text.splitlines(keepends=True)
    return ["".join(lines[i : i + lines_per_chunk]) for i in range(0, len(lines), lines_per_chunk)]


def _stream(parser: IntervalParser, chunks: list[str]) -> list[IntervalMeasurement]:
    done = [i for chunk in chunks for i in parser.feed({"output": chunk})]
    return done + parser.flush()


def _shape(intervals: list[IntervalMeasurement]) -> list[tuple[float, float, dict[str, float]]]:
    return [(i.start, i.end, i.counters) for i in intervals]


def _counts(intervals: list[IntervalMeasurement]) -> list[dict[str, int]]:
    return [{k: h.count for k, h in i.histograms.items()} for i in intervals]


@pytest.mark.parametrize("lines_per_chunk", [1, 3, 1000])
@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("iperf3-tcp-omit.txt", iperf3.Iperf3Args()),
        ("iperf3-tcp-p2.txt", iperf3.Iperf3Args(streams=2)),
        ("iperf3-udp.txt", iperf3.Iperf3Args(protocol="udp")),
    ],
)
def test_iperf3_streamed_intervals_are_those_of_the_final_output(name, args, lines_per_chunk):
    text = _text(name)
    streamed = _stream(iperf3.Lines(args), _chunks(text, lines_per_chunk))
    assert _shape(streamed) == _shape(iperf3.parse(text, args).intervals)


def test_an_iperf3_interval_is_out_as_soon_as_its_line_is():
    parser = iperf3.Iperf3().interim(iperf3.Iperf3Args(), Timing(2, report_interval=0.5))
    lines = _text("iperf3-tcp-omit.txt").splitlines(keepends=True)
    assert parser.feed({"output": "".join(lines[:5])}) == []  # header and omitted lines
    (first,) = parser.feed({"output": lines[5]})
    assert (first.start, first.end) == (0.0, 0.51)


def test_a_line_cut_between_two_reports_is_read_whole():
    parser = iperf3.Lines(iperf3.Iperf3Args())
    line = "[  5]   0.00-1.00   sec   119 MBytes  1000000 Kbits/sec    3    895 KBytes\n"
    assert parser.feed({"output": line[:30]}) == []
    (item,) = parser.feed({"output": line[30:]})
    assert item.counters == {"bits_per_second": 1e9, "retransmits": 3.0}


def test_a_lost_iperf3_client_keeps_a_time_weighted_rate():
    lines = _text("iperf3-tcp-omit.txt").splitlines(keepends=True)
    parser = iperf3.Lines(iperf3.Iperf3Args())
    parser.feed({"output": "".join(lines[:8])})  # up to the 1.00-1.50 interval, no summary
    parser.flush()
    m = parser.measurement()
    rates = [(0.51, 8419828e3), (0.49, 7008301e3), (0.5, 10295934e3)]
    bits = sum(s * r for s, r in rates)
    assert m.counters["bits_per_second"] == pytest.approx(bits / 1.5)
    assert m.counters["bytes"] == pytest.approx(bits / 8)
    assert m.counters["retransmits"] == 0
    assert len(m.intervals) == 3


@pytest.mark.parametrize("lines_per_chunk", [1, 2, 100])
def test_ping_streamed_intervals_are_those_of_the_final_output(lines_per_chunk):
    text = _text("ping-ok.txt")
    parser = ping.Replies(interval=0.2, report_interval=0.5)
    streamed = _stream(parser, _chunks(text, lines_per_chunk))
    final = ping.parse(text, interval=0.2, report_interval=0.5).intervals
    assert _shape(streamed) == _shape(final)
    assert _counts(streamed) == _counts(final) == [{"rtt": 3}, {"rtt": 2}]


def test_a_ping_interval_is_finished_by_the_first_reply_after_it():
    parser = ping.Replies(interval=0.2, report_interval=0.5)
    lines = _text("ping-ok.txt").splitlines(keepends=True)
    assert parser.feed({"output": "".join(lines[:4])}) == []  # seq 1-3: slot 0 still open
    (slot0,) = parser.feed({"output": lines[4]})  # seq 4 is in slot 1
    assert (slot0.start, slot0.end, slot0.counters) == (0.0, 0.5, {"received": 3.0})


def test_a_lost_ping_client_keeps_its_replies():
    lines = _text("ping-ok.txt").splitlines(keepends=True)
    parser = ping.Ping().interim(ping.PingArgs(interval=0.2), Timing(1, report_interval=0.5))
    parser.feed({"output": "".join(lines[:5])})  # replies 1-4, then silence
    parser.flush()
    m = parser.measurement()
    assert m.counters == {"transmitted": 4.0, "received": 4.0, "loss_percent": 0.0}
    assert m.histograms["rtt"].count == 4
    assert [i.counters["received"] for i in m.intervals] == [3.0, 1.0]


@pytest.mark.parametrize("lines_per_chunk", [7, 500, 100_000])
def test_fio_streamed_intervals_are_those_of_the_final_output(lines_per_chunk):
    text = _text("fio-randrw-status-interval.json")
    streamed = _stream(fio.Reports(), _chunks(text, lines_per_chunk))
    final = fio.parse(text).intervals
    assert len(streamed) == 4
    assert _shape(streamed) == _shape(final)
    assert _counts(streamed) == _counts(final)


@pytest.mark.parametrize("chars", [1, 97, 4096])
def test_fio_reports_cut_inside_lines_are_read_whole(chars):
    text = _text("fio-randrw-status-interval.json")
    cuts = [text[i : i + chars] for i in range(0, len(text), chars)]
    streamed = _stream(fio.Reports(), ["fio: note: a line before\n", *cuts])
    final = fio.parse(text).intervals
    assert _shape(streamed) == _shape(final)
    assert _counts(streamed) == _counts(final)


def test_a_lost_fio_client_keeps_its_last_status_report():
    text = _text("fio-randrw-status-interval.json")
    docs = fio.documents(text)
    lines = text.splitlines(keepends=True)
    cut = [i for i, line in enumerate(lines) if line == "}\n"][1] + 1
    parser = fio.Reports()
    parser.feed({"output": "".join(lines[:cut])})
    parser.flush()
    m = parser.measurement()
    job = docs[1]["jobs"][0]
    assert m.counters["read_ios"] == job["read"]["total_ios"]
    bins = job["read"]["clat_ns"]["bins"]
    assert m.histograms["read_clat"].count == sum(bins.values())
    assert len(m.intervals) == 2


def test_fio_garbage_between_reports_is_skipped():
    parser = fio.Reports()
    assert (
        parser.feed({"output": "fio: note: both iodepth >= 1 and synchronous I/O\n{\n x\n}\n"})
        == []
    )
    assert parser.measurement() == Measurement()


def test_http_snapshots_stream_as_the_final_report_reads_them():
    report = json.loads(_text("httpload-rate500.json"))
    timing = Timing(3, warmup=1.0)
    parser = http.Http().interim(http.HttpArgs(), timing)
    assert parser is not None
    streamed = [i for item in report["intervals"] for i in parser.feed({"interval": item})]
    final = http.parse_intervals(report["intervals"], warmup=1.0)
    assert _shape(streamed) == _shape(final.intervals)
    assert parser.measurement().counters == final.counters
    assert http.Http().interim(http.HttpArgs(driver="wrk"), timing) is None


def test_each_tool_describes_an_interval_in_its_own_terms():
    assert iperf3.Iperf3().describe({"bits_per_second": 2.5e9, "retransmits": 3}, 1) == (
        "2.50 Gbit/s, 3 retransmits"
    )
    assert ping.Ping().describe({"received": 4.0}, 1) == "4 replies"
    assert http.Http().describe({"requests": 1000, "status_5xx": 2}, 0.5) == (
        "2,000 req/s, 2 errors"
    )
    assert fio.Fio().describe({"read_iops": 1500, "read_bytes_per_second": 6e6}, 1) == (
        "read 1,500 IOPS 6 MB/s"
    )
