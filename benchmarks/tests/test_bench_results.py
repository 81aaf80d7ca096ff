from __future__ import annotations

import copy

import pytest
from enginebench.results import (
    ResultsFormatError,
    parse_any,
    parse_rally_report,
    parse_squall_export,
)


def test_rally_report_gives_every_workload_in_order(rally_report):
    runs = parse_rally_report(rally_report)

    assert [r.scenario for r in runs] == [
        "Dummy.dummy",
        "Dummy.dummy",
        "Dummy.dummy_exception_probability",
    ]
    assert [r.iteration_count for r in runs] == [30, 40, 10]
    assert [r.recorded for r in runs] == [30, 40, 10]
    assert runs[1].runner == {
        "rps": {"times": 40, "rps": {"start": 10, "end": 20, "step": 10, "duration": 1}}
    }


def test_rally_starts_are_sorted_and_relative_to_the_first(rally_report):
    for run in parse_rally_report(rally_report):
        assert run.starts[0] == 0.0
        assert run.starts == sorted(run.starts)
        assert run.scheduled is None


def test_rally_failed_iterations_match_the_failed_count(rally_report):
    failures = parse_rally_report(rally_report)[2]

    assert sum(failures.failed) == failures.failed_count == 6


def test_rally_summary_is_the_total_row(rally_report):
    run = parse_rally_report(rally_report)[0]

    assert run.summary is not None
    assert run.summary.count == 30
    assert run.summary.median == pytest.approx(0.01, abs=0.001)
    assert run.summary.p99 is None  # Rally's table has no 99th percentile
    assert run.summary.success_percent == 100.0


def test_rally_durations_are_the_iterations_own(rally_report):
    run = parse_rally_report(rally_report)[0]
    raw = rally_report["tasks"][0]["subtasks"][0]["workloads"][0]["data"]

    assert sorted(run.durations) == sorted(it["duration"] for it in raw)
    assert run.load_duration == pytest.approx(0.1406, abs=1e-4)


def test_another_format_version_is_refused(rally_report):
    doc = copy.deepcopy(rally_report)
    doc["info"]["format_version"] = "1.1"

    with pytest.raises(ResultsFormatError, match=r"1\.2"):
        parse_rally_report(doc)


def test_parse_any_names_the_tool_for_a_rally_shaped_document(rally_report):
    assert {r.tool for r in parse_any(rally_report, tool="squall")} == {"squall"}


def test_squall_export_gives_every_workload_in_order(squall_export):
    runs = parse_squall_export(squall_export)

    assert [r.tool for r in runs] == ["squall"] * 3
    assert [r.scenario for r in runs] == [
        "Dummy.dummy",
        "Dummy.dummy",
        "Dummy.dummy_exception_probability",
    ]
    assert [r.iteration_count for r in runs] == [30, 40, 10]
    assert [r.recorded for r in runs] == [30, 40, 10]
    assert runs[0].runner == {"constant": {"times": 30, "concurrency": 3}}


def test_squall_keeps_scheduled_starts_on_the_same_clock(squall_export):
    ramp = parse_squall_export(squall_export)[1]

    assert ramp.scheduled is not None
    assert ramp.starts[0] == 0.0
    # open loop: every iteration starts at or after its intended start
    assert all(s >= sch - 1e-9 for s, sch in zip(ramp.starts, ramp.scheduled, strict=True))
    assert ramp.extra["max_start_lag"] >= 0


def test_squall_summary_is_its_total_row_with_p99(squall_export):
    run = parse_squall_export(squall_export)[0]
    raw = squall_export["runs"][0]["workloads"][0]["summary"]["stats"]
    total = next(row for row in raw if row["name"] == "total")

    assert run.summary is not None
    assert run.summary.p99 == total["p99"]
    assert run.summary.count == 30


def test_squall_failed_iterations_match_the_failed_count(squall_export):
    failures = parse_squall_export(squall_export)[2]

    assert sum(failures.failed) == failures.failed_count == 6


def test_squall_schema_is_checked(squall_export):
    with pytest.raises(ResultsFormatError, match=r"squall\.run/1"):
        parse_squall_export({**squall_export, "schema": "squall.run/2"})


def test_parse_any_recognises_squalls_schema(squall_export):
    assert len(parse_any(squall_export, tool="squall")) == 3
