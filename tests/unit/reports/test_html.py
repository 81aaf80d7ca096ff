"""The HTML report's content, without a browser: sections, markers, escaping, secrets."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace

from squall.reports.exporters.base import RunData
from squall.reports.html.collect import collect
from squall.reports.html.faults import fault_markers
from squall.reports.html.page import script_json
from squall.reports.html.report import write_report
from squall.results.records import Environment, WorkloadRecord
from squall.results.samples import FaultRecord

from . import runs as runs_module
from .runs import RUN_ID, read_iterations, run_data, run_record


def render(runs: list[RunData]) -> str:
    out = io.StringIO()
    write_report(runs, out)
    return out.getvalue()


def figures(page: str) -> list[dict]:
    match = re.search(r'<script type="application/json" id="figures">(.*?)</script>', page, re.S)
    assert match
    return json.loads(match.group(1))


def test_collect_groups_workloads_and_reads_hooks_as_markers():
    report = collect([run_data()], bins=10)
    assert [g.key for g in report.groups] == ["0.0", "1.0"]
    view = report.groups[0].views[0]
    assert [round(m.start, 3) for m in view.markers] == [1.01, 2.01]
    assert [m.failed for m in view.markers] == [False, True]
    assert view.failures[0].type == "TimeoutError" and view.failures[0].iterations == [3]
    assert "total" in view.histograms
    assert report.groups[1].views[0].timeline.time == []  # never ran: no series


def test_a_workload_that_names_its_cloud_says_so_in_its_title():
    record = run_record()
    first = record.workloads[0]
    on_west = replace(first, config={**first.config, "contexts": {"cloud": "west/Two"}})
    data = RunData(replace(record, workloads=[on_west]), read_iterations)
    (group,) = collect([data], bins=10).groups
    assert group.title.endswith("— NovaServers.boot_and_delete_server @ west/Two")


def test_runs_given_their_clouds_in_other_orders_overlay_each_clouds_workload():
    record = run_record()
    first = record.workloads[0]

    def on(cloud: str, index: int) -> WorkloadRecord:
        config = {**first.config, "contexts": {"cloud": cloud}}
        return replace(first, workload_index=index, written_index=0, config=config)

    runs = [
        RunData(replace(record, workloads=[on("east", 0), on("west", 1)]), read_iterations),
        RunData(replace(record, id="f" * 32, workloads=[on("west", 0), on("east", 1)]),
                read_iterations),
    ]  # fmt: skip
    groups = collect(runs, bins=10).groups
    assert [g.key for g in groups] == ["0.0 @ east", "0.0 @ west"]
    for group, cloud in zip(groups, ["east", "west"], strict=True):
        assert [v.record.cloud for v in group.views] == [cloud, cloud]
        assert group.title.startswith("[0.0] boot — ") and group.title.endswith(f"@ {cloud}")
    page = render(runs)
    assert 'id="workload-0-0---east"' in page and 'id="workload-0-0---west"' in page


def test_the_page_is_self_contained():
    page = render([run_data()])
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r'<script[^>]+src=|<link[^>]+href=["\']http', page)
    assert 'id="plotly-gz"' in page
    assert "Traceback..." in page
    assert "Failure rate criteria" in page
    assert "Scenario output" in page and "Load (all iterations)" in page


def test_every_time_chart_shows_the_hooks():
    charts = figures(render([run_data()]))
    time_charts = [c for c in charts if "seconds since load start" in json.dumps(c["layout"])]
    assert time_charts
    assert all(len(c["layout"]["shapes"]) == 2 for c in time_charts)


def test_two_runs_are_overlaid_in_every_chart():
    second = replace(run_record(), id="fedcba9876543210fedcba9876543210")
    page = render([run_data(), RunData(second, read_iterations)])
    assert "2 runs compared" in page
    shared = [c for c in figures(page) if "iteration" not in c["layout"]["title"]["text"]]
    assert shared and all(len(c["data"]) >= 2 for c in shared)  # scenario output: per run
    assert RUN_ID[:8] in page and "fedcba98" in page


def test_user_text_is_escaped_and_cannot_close_a_script():
    evil = "</script><script>alert(1)</script>"
    record = replace(run_record(), title=evil, tags=[evil])
    page = render([RunData(record, read_iterations)])
    assert "<script>alert(1)" not in page
    assert "&lt;/script&gt;" in page
    assert "</script>" not in script_json({"a": evil})


def test_a_canary_password_never_reaches_the_page():
    canary = "canary-Pa55word-7f3a"
    record = run_record()
    env = Environment(
        "0.1.0", "3.11", "h", "linux",
        cloud={"name": "c", "auth": {"password": canary}, "url": f"https://u:{canary}@h/v3"},
    )  # fmt: skip
    workload = record.workloads[0]
    config = {**workload.config, "contexts": {"users": {"password": canary}}}
    task = {**record.task, "secret": canary}
    record = replace(
        record, environment=env, task=task, workloads=[replace(workload, config=config)]
    )
    page = render([RunData(record, read_iterations)])
    assert canary not in page


def test_fault_windows_become_bands_on_every_time_chart():
    t0 = runs_module.T0 + 10 - 0.01  # the synthetic workload's load start (wall clock)
    events = [
        FaultRecord("service", "nova-api@c1", "inject", t0 + 1.5),
        FaultRecord("service", "nova-api@c1", "effect", t0 + 1.6),
        FaultRecord("service", "nova-api@c1", "restore", t0 + 3.0),
        FaultRecord("node", "c2", "inject", t0 + 2.0, ok=False),
    ]
    bands = fault_markers(events)
    assert [(round(b.start - t0, 3), round(b.end - t0, 3), b.failed) for b in bands] == [
        (1.5, 3.0, False),
        (2.0, 2.0, True),  # never restored: a line, marked failed
    ]
    out = io.StringIO()
    write_report([run_data()], out, run_markers={RUN_ID: bands})
    time_charts = [
        c for c in figures(out.getvalue()) if "seconds since load start" in json.dumps(c["layout"])
    ]
    assert all(len(c["layout"]["shapes"]) == 4 for c in time_charts)  # 2 hooks + 2 faults
    starts = sorted(round(s["x0"], 3) for s in time_charts[0]["layout"]["shapes"])
    assert starts == [1.01, 1.5, 2.0, 2.01]
