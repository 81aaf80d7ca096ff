"""The report's resilience section: probe timelines, downtime windows, fault impact."""

from __future__ import annotations

import dataclasses
import io
import json

import pytest

from squall.api.resilience import analyse
from squall.iteration import IterationResult
from squall.reports.exporters.base import RunData
from squall.reports.html.faults import fault_markers
from squall.reports.html.report import write_report
from squall.reports.html.resilience import (
    MAX_POINTS,
    RunResilience,
    downtime_bands,
    monitor_series,
    resilience_view,
)
from squall.reports.html.sections.resilience import MAX_WINDOWS
from squall.results.samples import FaultRecord, MonitorSample

from .runs import RUN_ID, T0, run_data
from .test_html import figures

DOWN = range(20, 30)  # probes 20..29 of keystone fail: 2.0 s .. 3.0 s


def probes(count: int = 60, step: float = 0.1) -> list[MonitorSample]:
    found = []
    for i in range(count):
        at = T0 + 10 + i * step
        failed = i in DOWN
        found.append(
            MonitorSample("api", "keystone", at, 0.0, not failed, None if failed else 0.01)
        )
        found.append(MonitorSample("api", "nova", at, 0.0, True, 0.02 + i / 1000))
    return found


EVENTS = [
    FaultRecord("kill", "keystone", "inject", T0 + 11.9),
    FaultRecord("kill", "keystone", "restore", T0 + 12.8),
]


def resilience(samples: list[MonitorSample]) -> RunResilience:
    return RunResilience(RUN_ID, samples, EVENTS)


def page(data: RunResilience) -> str:
    out = io.StringIO()
    bands = fault_markers(data.events) + downtime_bands(data.analysis(), T0 + 20)
    run = run_data()
    recorded = RunData(run.record, data.recording(run.record, run.iterations))
    write_report([recorded], out, run_markers={RUN_ID: bands}, resilience={RUN_ID: data})
    return out.getvalue()


def test_few_probes_are_kept_one_by_one():
    series = monitor_series("api", "keystone", probes()[::2], origin=T0)
    assert len(series.time) == 60
    assert series.time[0] == 10.0
    assert sum(series.failed) == len(DOWN)
    assert series.latency[20] is None and series.latency[19] == 0.01


def test_many_probes_are_binned_with_every_failure_counted():
    many = [s for s in probes(count=5000, step=0.01) if s.target == "nova"]
    many[100] = MonitorSample("api", "nova", many[100].at, 0.0, False)
    series = monitor_series("api", "nova", many, origin=T0)
    assert len(series.time) == MAX_POINTS
    assert sum(series.failed) == 1
    assert max(v for v in series.latency if v is not None) == max(s.latency or 0 for s in many)


def test_the_view_places_windows_and_faults_on_the_run_clock():
    data = resilience(probes())
    view = resilience_view(0, "run", T0, data.samples, data.events, data.analysis())
    assert view is not None
    assert view.origin == T0
    assert [(round(f.start, 3), round(f.end, 3)) for f in view.faults] == [(11.9, 12.8)]
    (keystone,) = [t for t in data.analysis().targets if t.target == "keystone"]
    # a probe counts when it ends: the first success (at 13.0 s, 10 ms) closes the window
    assert [(round(w.start - T0, 3), round(w.end - T0, 3)) for w in keystone.windows] == [
        (12.0, 13.01)
    ]
    assert resilience_view(0, "run", T0, [], [], data.analysis()) is None


def test_the_section_draws_windows_probes_and_the_fault_table():
    html = page(resilience(probes()))
    assert 'id="report-resilience"' in html
    charts = {c["layout"]["title"]["text"]: c for c in figures(html)}
    states = charts["Downtime windows"]
    down = next(t for t in states["data"] if t["name"] == "down")
    assert down["y"] == ["api:keystone"]
    assert [round(b, 3) for b in down["base"]] == [12.0]
    assert [round(x, 3) for x in down["x"]] == [1.01]
    assert len(states["layout"]["shapes"]) == 1  # the fault
    probes_chart = charts["Monitor probes"]
    failed = next(t for t in probes_chart["data"] if t["name"] == "api:keystone failed")
    assert len(failed["x"]) == len(DOWN)
    assert len(probes_chart["layout"]["shapes"]) == 2  # the fault and the downtime window
    assert "resilience score" in html and "kill" in html and "MTTR" in html


def test_downtime_windows_are_drawn_on_every_workload_time_chart():
    html = page(resilience(probes()))
    time_charts = [
        c for c in figures(html) if "seconds since load start" in json.dumps(c["layout"])
    ]
    assert time_charts
    for chart in time_charts:
        kinds = [s["fillcolor"] for s in chart["layout"]["shapes"]]
        assert len(kinds) == 4  # 2 hooks, the fault, keystone's downtime window


def test_a_run_without_monitors_or_faults_has_no_section():
    out = io.StringIO()
    write_report([run_data()], out, resilience={})
    assert 'id="report-resilience"' not in out.getvalue()


def test_a_password_in_a_monitored_url_never_reaches_the_page():
    secret = "http://admin:canary-Pw-77@keystone:5000/v3"
    samples = [MonitorSample("http", secret, T0 + 10 + i, 0.0, i != 3, 0.01) for i in range(8)]
    events = [
        FaultRecord("kill", secret, "inject", T0 + 12.5),
        FaultRecord("kill", secret, "restore", T0 + 13.5),
    ]
    html = page(RunResilience(RUN_ID, samples, events))
    assert "canary-Pw-77" not in html
    assert "admin:***@keystone" in html


def test_a_flapping_target_draws_its_longest_windows_only():
    flapping = [  # two probes down, two up, 5,000 times; probe 100 starts a long outage
        MonitorSample("api", "flappy", T0 + i, 0.0, i % 4 >= 2 and not 100 <= i < 150, 0.01)
        for i in range(5000)
    ]
    data = RunResilience(RUN_ID, flapping, [])
    (target,) = data.analysis().targets
    assert len(target.windows) > MAX_WINDOWS
    html = page(data)
    down = next(
        t for c in figures(html) if c["layout"]["title"]["text"] == "Downtime windows"
        for t in c["data"] if t["name"] == "down"
    )  # fmt: skip
    assert len(down["x"]) == MAX_WINDOWS
    assert max(down["x"]) == pytest.approx(target.longest)  # the long outage is kept
    assert target.longest >= 50
    assert f"The {MAX_WINDOWS} longest downtime windows" in html


def test_the_iterations_read_for_the_report_feed_the_analysis():
    data = resilience(probes())
    page(data)
    assert list(data.points) == ["0.0 NovaServers.boot_and_delete_server", "1.0 Dummy.dummy"]
    points = data.points["0.0 NovaServers.boot_and_delete_server"]
    assert [p.ok for p in points] == [True, True, False, True, True]
    expected = analyse(RUN_ID, data.samples, data.events, {"all": points})
    assert data.analysis().success == expected.success == 0.8
    assert data.analysis().faults[0].iterations == expected.faults[0].iterations


OTHER_ID = "fedcba9876543210fedcba9876543210"
SHIFT = 1005.0  # run B starts its load 15 s after its creation, run A 10 s after


def shifted(it: IterationResult) -> IterationResult:
    return dataclasses.replace(it, timestamp=it.timestamp + SHIFT)


def two_runs_page(samples_b: list[MonitorSample]) -> str:
    """Runs A and B with the same fault at the same point of their load."""
    data_a = resilience(probes())
    events_b = [dataclasses.replace(e, at=e.at + SHIFT) for e in EVENTS]
    data_b = RunResilience(OTHER_ID, samples_b, events_b)
    run_a = run_data()
    record_b = dataclasses.replace(run_a.record, id=OTHER_ID, created_at=T0 + 1000)
    run_b = RunData(record_b, lambda wid: [shifted(it) for it in run_a.iterations(wid)])
    runs = [
        RunData(run_a.record, data_a.recording(run_a.record, run_a.iterations)),
        RunData(record_b, data_b.recording(record_b, run_b.iterations)),
    ]
    out = io.StringIO()
    write_report(runs, out, resilience={RUN_ID: data_a, OTHER_ID: data_b})
    return out.getvalue()


def later(samples: list[MonitorSample]) -> list[MonitorSample]:
    return [dataclasses.replace(s, at=s.at + SHIFT) for s in samples]


def test_two_runs_share_one_clock_aligned_at_their_load_start():
    html = two_runs_page(later(probes()))
    charts = {c["layout"]["title"]["text"]: c for c in figures(html)}
    states = charts["Downtime windows"]
    a, b = RUN_ID[:8], OTHER_ID[:8]
    rows = states["layout"]["yaxis"]["categoryarray"]
    assert rows == [f"api:keystone · {a}", f"api:keystone · {b}", f"api:nova · {a}",
                    f"api:nova · {b}"]  # fmt: skip
    down = {t["name"]: t for t in states["data"] if t["name"].endswith(" down")}
    assert set(down) == {f"{a} down", f"{b} down"}
    # the same outage at the same point of the load: the same place on the shared clock
    assert down[f"{a} down"]["base"] == down[f"{b} down"]["base"] == [round(12.0 - 9.99, 3)]
    assert down[f"{a} down"]["marker"]["color"] != down[f"{b} down"]["marker"]["color"]
    faults = [s["x0"] for s in states["layout"]["shapes"]]
    assert [round(x, 3) for x in faults] == [round(11.9 - 9.99, 3)] * 2
    assert "Monitor probes" not in charts  # one chart per target instead, runs overlaid
    keystone = charts["Probes of api:keystone"]
    lines = [t for t in keystone["data"] if t["mode"] == "lines+markers"]
    assert [t["name"] for t in lines] == [a, b]
    assert lines[0]["x"] == lines[1]["x"]
    crosses = [t for t in keystone["data"] if t["name"].endswith("failed")]
    assert [len(t["x"]) for t in crosses] == [len(DOWN)] * 2


def test_two_runs_have_a_score_each_and_tables_with_a_run_column():
    calmer = [s for s in later(probes()) if s.target == "nova"]  # B: keystone never probed
    html = two_runs_page(calmer)
    section = html[html.index('id="report-resilience"') :]
    section = section[: section.index("</section>")]
    assert section.count("<th>run</th>") == 3  # scores, downtime per target, faults
    assert "resilience score" in section
    scores = section[: section.index("</table>")]
    assert RUN_ID[:8] in scores and OTHER_ID[:8] in scores
    faults = section[section.rindex("<table") :]
    assert faults.count(f"<td>{RUN_ID[:8]}</td>") == 2  # the fault, per target of run A
    assert faults.count(f"<td>{OTHER_ID[:8]}</td>") == 1  # run B probed nova only
    rows = next(c for c in figures(html) if c["layout"]["title"]["text"] == "Downtime windows")[
        "layout"
    ]["yaxis"]["categoryarray"]
    assert f"api:keystone · {OTHER_ID[:8]}" not in rows
    assert "Probes of api:keystone" in html and "Probes of api:nova" in html


def test_one_run_of_several_keeps_the_single_run_section():
    data = resilience(probes())
    run = run_data()
    other = RunData(dataclasses.replace(run.record, id=OTHER_ID), run.iterations)
    out = io.StringIO()
    write_report([RunData(run.record, data.recording(run.record, run.iterations)), other], out,
                 resilience={RUN_ID: data})  # fmt: skip
    titles = [c["layout"]["title"]["text"] for c in figures(out.getvalue())]
    assert "Monitor probes" in titles and "Probes of api:keystone" not in titles
