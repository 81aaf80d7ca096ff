"""The report's data-plane part: throughput and latency per interval, the host heat map,
outlier hosts, and runs overlaid by test; built from the stored run document."""

from __future__ import annotations

import io
from typing import Any

from squall.dataplane.aggregate import PairOutcome, RepetitionSummary, summarize
from squall.dataplane.results import RunRecord, run_dict
from squall.dataplane.tools.base import IntervalMeasurement, Measurement
from squall.reports.html.dataplane import (
    MAX_HOSTS,
    MAX_POINTS,
    capped_matrix,
    collect_dataplane,
    merge_neighbours,
    rate,
)
from squall.reports.html.report import write_report
from squall.stats.histogram import Histogram

from .runs import run_data
from .test_html import figures

T0 = 1_763_769_600.0


def hist(*values: float) -> Histogram:
    found = Histogram()
    found.record_many(values)
    return found


def measurement(requests_per_second: float, latency: float, intervals: int) -> Measurement:
    steps = [
        IntervalMeasurement(
            i * 0.5,
            (i + 1) * 0.5,
            {"requests": requests_per_second / 2},
            {"latency": hist(*[latency] * int(requests_per_second / 2))},
        )
        for i in range(intervals)
    ]
    total = requests_per_second * intervals / 2
    return Measurement(
        {"requests": total}, {"latency": hist(*[latency] * int(total))}, intervals=steps
    )


def pair(client: int, server: int, rps: float, status: str = "ok", error: str = "") -> PairOutcome:
    found = measurement(rps, 0.002, 6) if status == "ok" else None
    return PairOutcome(
        f"c{client}", f"s{server}", f"hc{client}", f"hs{server}", status, found, error=error or None
    )


def run(run_id: str, pairs: list[PairOutcome], title: str = "web") -> dict[str, Any]:
    summary = summarize(
        RepetitionSummary("web", "http", 0, T0, pairs), headline="requests", step=0.5
    )
    record = RunRecord(run_id, title, "netns", "single-router", {}, T0, T0 + 5, tests=[summary])
    return run_dict(record)


def three_pairs(run_id: str = "a" * 32, slow: float = 100.0) -> dict[str, Any]:
    return run(run_id, [pair(0, 0, 400.0), pair(1, 1, 400.0), pair(2, 2, slow)])


def test_throughput_and_latency_per_interval():
    _, groups = collect_dataplane([three_pairs()])
    (view,) = groups[0].views
    assert view.metric == "requests"
    assert view.time == [0.5, 1.0, 1.5, 2.0, 2.5, 3.0]
    assert view.throughput == [900.0] * 6  # (200 + 200 + 50 requests) per 0.5 s
    assert view.latency["latency p99"] == [0.002] * 6
    assert view.percentiles["latency"]["99"] == 0.002


def test_a_slow_host_is_flagged_and_listed_first():
    _, groups = collect_dataplane([three_pairs(slow=100.0)])
    (view,) = groups[0].views
    flagged = {(h.role, h.host) for h in view.hosts if h.flagged}
    assert flagged == {("source", "hc2"), ("destination", "hs2")}
    assert view.hosts[0].flagged and view.hosts[0].ratio == 0.25
    assert view.matrix is not None
    assert view.matrix["values"][2][2] == 300.0  # requests of the slow pair in its 3 s


def test_failed_pairs_are_flagged_too():
    _, groups = collect_dataplane([run("b" * 32, [pair(0, 0, 400.0), pair(1, 1, 0, "lost")])])
    (view,) = groups[0].views
    assert view.partial and view.failed_agents == ["c1"]
    assert view.failed_pairs == [("c1", "s1", "lost", "")]
    assert {h.host for h in view.hosts if h.flagged} == {"hc1", "hs1"}


def test_long_tests_are_merged_losslessly_into_few_points():
    intervals = [
        {
            "start": i * 1.0,
            "end": (i + 1) * 1.0,
            "counters": {"requests": 10.0, "bits_per_second": 8e6},
            "histograms": {"latency": {"count": 10, "encoded": hist(*[0.001] * 10).encode()}},
        }
        for i in range(1000)
    ]
    merged = merge_neighbours(intervals, MAX_POINTS)
    assert len(merged) <= MAX_POINTS
    assert sum(m["counters"]["requests"] for m in merged) == 10_000
    assert sum(m["histograms"]["latency"]["count"] for m in merged) == 10_000
    assert {round(rate(m, "bits_per_second") or 0) for m in merged} == {8_000_000}
    assert {round(rate(m, "requests") or 0) for m in merged} == {10}


def test_the_heat_map_is_capped():
    side = MAX_HOSTS + 20
    hosts = [f"h{i}" for i in range(side)]
    matrix = {"metric": "requests", "sources": hosts, "destinations": hosts,
              "values": [[1.0] * side for _ in hosts]}  # fmt: skip
    capped = capped_matrix(matrix)
    assert capped is not None
    assert len(capped["sources"]) == len(capped["values"]) == MAX_HOSTS
    assert capped["total"] == (side, side)


def test_runs_are_overlaid_per_test_and_drawn_on_the_page():
    first, second = three_pairs("a" * 32), three_pairs("b" * 32, slow=400.0)
    out = io.StringIO()
    write_report([], out, dataplane=[first, second])
    html = out.getvalue()
    assert "squall report: 2 runs compared" in html
    assert 'id="report-data-plane-runs"' in html and 'id="dataplane-web-1"' in html
    assert "These runs have no workloads" not in html
    charts = {c["layout"]["title"]["text"]: c for c in figures(html)}
    throughput = charts["Throughput per report interval"]
    assert [t["name"] for t in throughput["data"]] == ["aaaaaaaa requests/s", "bbbbbbbb requests/s"]
    heat = [c for title, c in charts.items() if "source × destination" in title]
    assert len(heat) == 2 and heat[0]["data"][0]["type"] == "heatmap"
    scale = heat[0]["data"][0]
    assert (scale["zmin"], scale["zmax"]) == (0, 1200.0)  # from zero: the slow host is dim
    assert "flagged" in html


def test_task_and_data_plane_runs_in_one_report():
    out = io.StringIO()
    write_report([run_data()], out, dataplane=[three_pairs()])
    html = out.getvalue()
    assert 'id="workload-0-0"' in html and 'id="dataplane-web-1"' in html


def test_failed_pairs_say_why_without_their_passwords():
    why = "connect to http://u:canary-77@10.0.0.5/ refused"
    failing = run("c" * 32, [pair(0, 0, 400.0), pair(1, 1, 0, "error", why)])
    out = io.StringIO()
    write_report([], out, dataplane=[failing])
    html = out.getvalue()
    assert "1 of the pairs did not end ok" in html and "c1 → s1" in html
    assert "http://u:***@10.0.0.5/ refused" in html and "canary-77" not in html
