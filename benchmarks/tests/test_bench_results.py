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


@pytest.fixture(params=["squall_export", "squall_export_v2"])
def any_squall_export(request):
    """Each recorded squall export of the fixture task: squall.run/1, then squall.run/2."""
    return request.getfixturevalue(request.param)


def test_squall_export_gives_every_workload_in_order(any_squall_export):
    runs = parse_squall_export(any_squall_export)

    assert [r.tool for r in runs] == ["squall"] * 3
    assert [r.scenario for r in runs] == [
        "Dummy.dummy",
        "Dummy.dummy",
        "Dummy.dummy_exception_probability",
    ]
    assert [r.iteration_count for r in runs] == [30, 40, 10]
    assert [r.recorded for r in runs] == [30, 40, 10]
    assert runs[0].runner == {"constant": {"times": 30, "concurrency": 3}}


def test_squall_keeps_scheduled_starts_on_the_same_clock(any_squall_export):
    ramp = parse_squall_export(any_squall_export)[1]

    assert ramp.scheduled is not None
    assert ramp.starts[0] == 0.0
    # open loop: every iteration starts at or after its intended start
    assert all(s >= sch - 1e-9 for s, sch in zip(ramp.starts, ramp.scheduled, strict=True))
    assert ramp.extra["max_start_lag"] >= 0


def test_squall_summary_is_its_total_row_with_p99(any_squall_export):
    run = parse_squall_export(any_squall_export)[0]
    raw = any_squall_export["runs"][0]["workloads"][0]["summary"]["stats"]
    total = next(row for row in raw if row["name"] == "total")

    assert run.summary is not None
    assert run.summary.p99 == total["p99"]
    assert run.summary.count == 30


def test_squall_failed_iterations_match_the_failed_count(any_squall_export):
    failures = parse_squall_export(any_squall_export)[2]

    assert sum(failures.failed) == failures.failed_count == 6


def test_squall_schema_is_checked(squall_export):
    with pytest.raises(ResultsFormatError, match=r"squall\.run/1 or squall\.run/2"):
        parse_squall_export({**squall_export, "schema": "squall.run/3"})


def test_parse_any_recognises_squalls_schema(squall_export, squall_export_v2):
    assert len(parse_any(squall_export, tool="squall")) == 3
    assert len(parse_any(squall_export_v2, tool="squall")) == 3


# --- squall.run/2: rows under named columns, times to the microsecond ---------------


def test_squall_v2_says_its_times_are_rounded_to_the_microsecond(squall_export_v2):
    assert {r.time_resolution for r in parse_squall_export(squall_export_v2)} == {1e-6}


def test_squall_v1_is_exact(squall_export):
    assert {r.time_resolution for r in parse_squall_export(squall_export)} == {0.0}


def test_squall_v2_rows_become_the_same_columns(squall_export_v2):
    ramp = parse_squall_export(squall_export_v2)[1]
    raw = squall_export_v2["runs"][0]["workloads"][1]
    fields = raw["iteration_fields"]
    rows = [dict(zip(fields, row, strict=True)) for row in raw["iterations"]]
    first = min(row["start_offset"] for row in rows)

    assert ramp.starts[0] == 0.0 and ramp.starts == sorted(ramp.starts)
    assert sorted(ramp.durations) == sorted(row["duration"] for row in rows)
    assert ramp.scheduled is not None
    assert sorted(ramp.scheduled) == sorted(row["scheduled_offset"] - first for row in rows)
    assert all(s >= sch - 1e-6 for s, sch in zip(ramp.starts, ramp.scheduled, strict=True))


def test_squall_v2_columns_are_found_by_name(squall_export_v2):
    doc = copy.deepcopy(squall_export_v2)
    for workload in doc["runs"][0]["workloads"]:
        workload["iteration_fields"] = [*reversed(workload["iteration_fields"]), "later"]
        workload["iterations"] = [[*reversed(row), None] for row in workload["iterations"]]

    assert parse_squall_export(doc) == parse_squall_export(squall_export_v2)


def test_squall_v2_without_iterations_has_no_rows(squall_export_v2):
    doc = copy.deepcopy(squall_export_v2)
    for workload in doc["runs"][0]["workloads"]:
        del workload["iterations"], workload["iteration_fields"]

    assert [r.recorded for r in parse_squall_export(doc)] == [0, 0, 0]
