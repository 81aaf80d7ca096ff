"""Exporters on a synthetic run: shapes other tools read, and streaming."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from squall.iteration import AtomicAction, IterationResult
from squall.plugins.families import Family
from squall.plugins.loader import load_registry
from squall.reports.exporters.base import Exporter, RunData
from squall.stats.histogram import Histogram

from .runs import ITERATIONS, RUN_ID, run_data, run_record

REGISTRY = load_registry()


def export(name: str, runs: list[RunData] | None = None, **options: Any) -> str:
    cls = REGISTRY.get(Family.EXPORTER, name, Exporter)  # type: ignore[type-abstract]
    out = io.StringIO()
    cls(cls.parse_config(options)).export(runs or [run_data()], out)
    return out.getvalue()


def test_builtin_exporters_are_registered():
    assert set(REGISTRY.names(Family.EXPORTER)) >= {"json", "rally-json", "junit-xml", "csv"}


# --- squall JSON ------------------------------------------------------------------


def rows_of(workload: dict[str, Any]) -> list[dict[str, Any]]:
    """A v2 workload's iteration rows as dicts, found by column name as the schema says."""
    fields = workload["iteration_fields"]
    return [dict(zip(fields, row, strict=True)) for row in workload["iterations"]]


def test_squall_json_is_versioned_and_complete():
    doc = json.loads(export("json"))
    assert doc["schema"] == "squall.run/2"
    assert doc["generator"]["name"] == "squall"
    (run,) = doc["runs"]
    assert run["id"] == RUN_ID and run["status"] == "aborted" and run["pass_sla"] is False
    assert run["environment"]["cloud"] == {"name": "devcloud"}
    first, second = run["workloads"]
    assert second["summary"] is None and second["iterations"] == []
    summary = first["summary"]
    assert summary["achieved_rate"] is None  # infinity has no JSON number
    assert [r["name"] for r in summary["stats"]][:3] == [
        "nova.boot_server",
        "nova.boot_server > nova.wait",
        "nova.delete_server",
    ]
    assert summary["stats"][0].keys() >= {"p99", "p95", "median", "success", "count"}
    assert Histogram.decode(summary["histograms"]["total"]).count == 5
    assert len(first["iterations"]) == 5


def test_squall_json_names_the_columns_once_per_workload():
    workload = json.loads(export("json"))["runs"][0]["workloads"][0]
    assert workload["iteration_fields"] == [
        "number", "scheduled_offset", "start_offset", "timestamp", "duration",
        "idle_duration", "error", "atomic_actions", "output", "worker",
    ]  # fmt: skip
    assert workload["atomic_action_fields"] == ["name", "offset", "duration", "failed", "children"]
    assert all(len(row) == len(workload["iteration_fields"]) for row in workload["iterations"])


def test_squall_json_rows_keep_every_field():
    third = rows_of(json.loads(export("json"))["runs"][0]["workloads"][0])[2]
    source = ITERATIONS[1][2]
    assert third["number"] == 3
    assert third["scheduled_offset"] == source.scheduled_offset
    assert third["start_offset"] == source.start_offset
    assert third["timestamp"] == round(source.timestamp, 6)
    assert third["duration"] == source.duration
    assert third["idle_duration"] == 0
    assert third["error"] == {
        "type": "TimeoutError",
        "message": "too slow",
        "traceback": "Traceback...",
    }
    assert third["worker"] == 0


def test_squall_json_atomic_actions_are_tuples_timed_from_the_iteration_start():
    rows = rows_of(json.loads(export("json"))["runs"][0]["workloads"][0])
    boot, delete = rows[2]["atomic_actions"]
    assert boot == [
        "nova.boot_server",
        0,
        0.5,
        False,
        [["nova.wait", 0.1, pytest.approx(0.3, abs=1e-6), False, []]],
    ]
    assert delete[0] == "nova.delete_server" and delete[1] == 0.5
    assert delete[3] is True  # failed
    assert delete[2] == pytest.approx(0.2, abs=1e-6)


def test_squall_json_no_error_and_no_output_are_null():
    rows = rows_of(json.loads(export("json"))["runs"][0]["workloads"][0])
    assert rows[0]["error"] is None
    assert rows[0]["output"]["additive"][0]["title"] == "Load"
    assert rows[0]["output"]["complete"] == []
    assert [row["output"] for row in rows[1:]] == [None] * 4


def at_time(**times: float) -> IterationResult:
    start = 1_763_769_610.123456789
    # an epoch float resolves about 0.24 µs: the action's times are kept off the boundaries
    action = AtomicAction("a", start + 0.000_123_1, start + 0.000_999_1)
    fields: dict[str, Any] = {
        "number": 1,
        "scheduled_offset": 1.000_000_4,
        "start_offset": 1.000_001_6,
        "timestamp": start,
        "duration": 0.123_456_789,
        "idle_duration": 0.000_000_4,
        "atomic_actions": [action, AtomicAction("never", start + 0.5)],
    }
    return IterationResult(**{**fields, **times})


def one_row(it: IterationResult, **options: Any) -> dict[str, Any]:
    record = run_record()
    source = {record.workloads[0].id: [it], record.workloads[1].id: []}
    doc = json.loads(export("json", [RunData(record, source.__getitem__)], **options))
    return rows_of(doc["runs"][0]["workloads"][0])[0]


def test_squall_json_times_are_rounded_to_the_microsecond():
    row = one_row(at_time())
    assert row["scheduled_offset"] == 1.0
    assert row["start_offset"] == 1.000002
    assert row["timestamp"] == 1_763_769_610.123457
    assert row["duration"] == 0.123457
    assert row["idle_duration"] == 0  # 0.4 µs rounds to zero, written as 0
    finished, never = row["atomic_actions"]
    assert finished[1:3] == [0.000123, 0.000876]
    assert never[1:3] == [0.5, None]  # an action that never ended has no duration


def test_squall_json_times_json_cannot_hold_are_null():
    row = one_row(at_time(duration=float("nan"), idle_duration=float("inf")))
    assert row["duration"] is None and row["idle_duration"] is None


def test_squall_json_summary_keeps_exact_figures():
    total = next(
        row
        for row in json.loads(export("json"))["runs"][0]["workloads"][0]["summary"]["stats"]
        if row["name"] == "total"
    )
    durations = sorted(it.duration for it in ITERATIONS[1])
    assert total["min"] == durations[0] and total["max"] == durations[-1]


def test_squall_json_one_line_per_iteration_at_column_0():
    lines = export("json").splitlines()
    iteration_lines = [line for line in lines if line.startswith("[")]
    assert len(iteration_lines) == 5
    assert all(json.loads(line.rstrip(","))[0] == n for n, line in enumerate(iteration_lines, 1))


def test_squall_json_without_iterations():
    workload = json.loads(export("json", iterations=False))["runs"][0]["workloads"][0]
    assert not workload.keys() & {"iterations", "iteration_fields", "atomic_action_fields"}


def test_squall_json_schema_1_on_request():
    doc = json.loads(export("json", schema=1))
    assert doc["schema"] == "squall.run/1"
    workload = doc["runs"][0]["workloads"][0]
    assert "iteration_fields" not in workload
    third = workload["iterations"][2]
    source = ITERATIONS[1][2]
    assert third["number"] == 3
    assert third["timestamp"] == source.timestamp  # v1: full precision
    assert third["error"]["type"] == "TimeoutError"
    boot = third["atomic_actions"][0]
    assert boot["name"] == "nova.boot_server" and boot["children"][0]["name"] == "nova.wait"
    assert boot["started_at"] == source.atomic_actions[0].started_at
    assert third["atomic_actions"][1]["failed"] is True
    assert third["output"] == {"additive": [], "complete": []}
    lines = export("json", schema=1).splitlines()
    assert sum(line.lstrip().startswith('{"number"') for line in lines) == 5


def test_squall_json_summary_is_the_same_in_both_schemas():
    v1 = json.loads(export("json", schema=1))["runs"][0]
    v2 = json.loads(export("json"))["runs"][0]
    drop = {"iterations", "iteration_fields", "atomic_action_fields"}
    assert {k: v for k, v in v1.items() if k != "workloads"} == {
        k: v for k, v in v2.items() if k != "workloads"
    }
    for a, b in zip(v1["workloads"], v2["workloads"], strict=True):
        assert {k: v for k, v in a.items() if k not in drop} == {
            k: v for k, v in b.items() if k not in drop
        }


@pytest.mark.parametrize("schema", [1, 3, "two"])
def test_squall_json_schema_is_1_or_2(schema: object):
    from pydantic import ValidationError

    cls = REGISTRY.get(Family.EXPORTER, "json", Exporter)  # type: ignore[type-abstract]
    if schema == 1:
        assert cls.parse_config({"schema": schema}).schema_version == 1  # type: ignore[attr-defined]
    else:
        with pytest.raises(ValidationError):
            cls.parse_config({"schema": schema})


def test_iterations_are_read_while_writing():
    out = io.StringIO()
    seen_before_first: list[str] = []

    def source(workload_id: int) -> Iterator[IterationResult]:
        seen_before_first.append(out.getvalue())
        yield from ITERATIONS[workload_id]

    cls = REGISTRY.get(Family.EXPORTER, "json", Exporter)  # type: ignore[type-abstract]
    cls(cls.parse_config({})).export([RunData(run_record(), source)], out)
    assert seen_before_first[0].rstrip().endswith('"iterations": [')


class CountingSink(io.TextIOBase):
    """Keeps nothing of what is written but its length."""

    def __init__(self) -> None:
        self.chars = 0

    def write(self, text: str) -> int:
        self.chars += len(text)
        return len(text)


def peak_memory_of_export(count: int, schema: int) -> tuple[int, int]:
    """Peak bytes allocated while exporting ``count`` iterations made on the fly."""
    template = ITERATIONS[1][0]

    def source(workload_id: int) -> Iterator[IterationResult]:
        if workload_id != 1:
            return
        for i in range(count):
            yield replace(template, number=i + 1, start_offset=i * 0.001)

    cls = REGISTRY.get(Family.EXPORTER, "json", Exporter)  # type: ignore[type-abstract]
    exporter = cls(cls.parse_config({"schema": schema}))
    sink = CountingSink()
    tracemalloc.start()
    try:
        exporter.export([RunData(run_record(), source)], sink)  # type: ignore[arg-type]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, sink.chars


@pytest.mark.parametrize("schema", [1, 2])
def test_squall_json_memory_does_not_grow_with_the_iterations(schema: int):
    small, small_chars = peak_memory_of_export(300, schema)
    large, large_chars = peak_memory_of_export(4_000, schema)
    assert large_chars > 10 * small_chars  # the larger export really is larger
    assert large < small + 64 * 1024  # but its peak memory is not


# --- Rally JSON ---------------------------------------------------------------------

# Field names of Rally's task results (rally/common/objects/task.py TASK_SCHEMA, which
# `rally task import` validates with additionalProperties false) and its exporter.
TASK_KEYS = {
    "uuid", "title", "description", "version", "status", "tags", "env_name", "env_uuid",
    "created_at", "updated_at", "pass_sla", "subtasks",
}  # fmt: skip
SUBTASK_KEYS = {
    "uuid", "task_uuid", "title", "description", "status", "pass_sla", "run_in_parallel",
    "created_at", "updated_at", "sla", "workloads",
}  # fmt: skip
WORKLOAD_KEYS = {
    "uuid", "task_uuid", "subtask_uuid", "description", "scenario", "args", "runner",
    "runner_type", "hooks", "min_duration", "max_duration", "start_time", "load_duration",
    "full_duration", "statistics", "data", "failed_iteration_count", "total_iteration_count",
    "created_at", "updated_at", "contexts", "contexts_results", "position", "pass_sla",
    "sla_results", "sla",
}  # fmt: skip
WORKLOAD_REQUIRED = {
    "pass_sla", "sla_results", "sla", "statistics", "contexts", "data", "runner", "scenario",
    "full_duration", "load_duration", "total_iteration_count", "failed_iteration_count",
    "position",
}  # fmt: skip
HOOK_RESULT_KEYS = {"started_at", "finished_at", "triggered_by", "status", "error", "output"}
ITERATION_KEYS = {"duration", "timestamp", "idle_duration", "error", "output", "atomic_actions"}


def rally_doc() -> dict[str, Any]:
    return json.loads(export("rally-json"))  # type: ignore[no-any-return]


def test_rally_json_top_level():
    doc = rally_doc()
    assert doc["info"]["format_version"] == "1.2"
    assert set(doc["info"]) == {"rally_version", "generated_at", "format_version"}
    (task,) = doc["tasks"]
    assert set(task) <= TASK_KEYS and "subtasks" in task
    assert task["uuid"] == "01234567-89ab-cdef-0123-456789abcdef"
    assert task["created_at"] == "2025-11-22T00:00:00"
    assert task["env_name"] == "devcloud"
    assert [s["title"] for s in task["subtasks"]] == ["boot", "never ran"]
    assert task["subtasks"][0]["description"] == "first"
    for subtask in task["subtasks"]:
        assert set(subtask) <= SUBTASK_KEYS and "workloads" in subtask


def test_rally_json_workloads_match_rallys_schema():
    for subtask in rally_doc()["tasks"][0]["subtasks"]:
        for workload in subtask["workloads"]:
            assert WORKLOAD_REQUIRED <= set(workload) <= WORKLOAD_KEYS
            assert len(workload["scenario"]) == 1 and len(workload["runner"]) == 1
            assert isinstance(next(iter(workload["scenario"].values())), dict)
            assert set(workload["sla_results"]) == {"sla"}
            for hook in workload["hooks"]:
                assert set(hook) == {"config", "results", "summary"}
                for result in hook["results"]:
                    assert set(result) <= HOOK_RESULT_KEYS
                    assert set(result["triggered_by"]) == {"event_type", "value"}


def test_rally_json_workload_values():
    workload = rally_doc()["tasks"][0]["subtasks"][0]["workloads"][0]
    assert workload["scenario"] == {
        "NovaServers.boot_and_delete_server": {"flavor": {"name": "m1.tiny"}}
    }
    assert workload["runner"] == {"constant": {"times": 5, "concurrency": 2}}
    assert workload["sla"] == {"failure_rate": {"max": 0}, "max_avg_duration": 1.0}
    assert workload["pass_sla"] is False
    assert workload["total_iteration_count"] == 5 and workload["failed_iteration_count"] == 1
    assert workload["full_duration"] == 12.5 and workload["position"] == 0
    assert [r["criterion"] for r in workload["sla_results"]["sla"]] == [
        "failure_rate",
        "max_avg_duration",
    ]
    (hook,) = workload["hooks"]
    assert hook["config"]["action"] == {"sys_call": {"cmd": "true"}}
    assert hook["config"]["trigger"] == {"event": {"unit": "iteration", "at": [2, 4]}}
    assert hook["summary"] == {"success": 1, "failed": 1}
    assert hook["results"][0]["triggered_by"] == {"event_type": "iteration", "value": 2}
    assert hook["results"][1]["error"] == ["SysCallError", "rc 1", ""]


def test_rally_json_iterations_use_rallys_record():
    data = rally_doc()["tasks"][0]["subtasks"][0]["workloads"][0]["data"]
    assert len(data) == 5
    for record in data:
        assert set(record) == ITERATION_KEYS
        assert set(record["output"]) == {"additive", "complete"}
    assert data[0]["error"] == []
    assert data[2]["error"] == ["TimeoutError", "too slow", "Traceback..."]
    boot, delete = data[2]["atomic_actions"]
    assert set(boot) == {"name", "started_at", "finished_at", "children"}
    assert boot["children"][0]["name"] == "nova.wait"
    assert delete["failed"] is True
    assert data[0]["output"]["additive"][0]["chart_plugin"] == "StackedArea"


def test_rally_json_statistics_are_rallys_durations_tree():
    durations = rally_doc()["tasks"][0]["subtasks"][0]["workloads"][0]["statistics"]["durations"]
    assert set(durations) == {"total", "atomics"}
    total = durations["total"]
    assert total["name"] == "total" and [c["name"] for c in total["children"]] == [
        "duration",
        "idle_duration",
    ]
    assert set(total["data"]) == {
        "iteration_count", "min", "median", "90%ile", "95%ile", "max", "avg", "success",
    }  # fmt: skip
    assert total["data"]["success"] == "80.0%"
    assert total["data"]["iteration_count"] == 5
    assert total["data"]["min"] == 0.75 and total["data"]["max"] == 0.79
    boot = durations["atomics"][0]
    assert (boot["name"], boot["display_name"], boot["count_per_iteration"]) == (
        "nova.boot_server",
        "nova.boot_server",
        1,
    )
    assert boot["children"][0]["display_name"] == "nova.wait"
    assert boot["data"]["median"] == 0.5


def test_rally_json_workload_that_never_ran_has_empty_figures():
    workload = rally_doc()["tasks"][0]["subtasks"][1]["workloads"][0]
    assert workload["data"] == [] and workload["total_iteration_count"] == 0
    assert workload["statistics"]["durations"]["total"]["data"]["min"] == "n/a"
    assert workload["statistics"]["durations"]["atomics"] == []


def test_unfinished_action_is_written_as_failed_with_no_duration():
    from squall.iteration import AtomicAction
    from squall.reports.exporters.rally_json import rally_iteration

    it = IterationResult(1, 0.0, 0.0, 5.0, 1.0, atomic_actions=[AtomicAction("a", 5.0, None)])
    (action,) = rally_iteration(it)["atomic_actions"]
    assert action["finished_at"] == 5.0 and action["failed"] is True


# --- JUnit XML ----------------------------------------------------------------------


def test_junit_one_testcase_per_workload_failed_on_sla():
    root = ET.fromstring(export("junit-xml"))
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    assert suite.get("id") == RUN_ID
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("2", "1", "1")
    assert suite.get("time") == "30.00"
    first, second = suite.findall("testcase")
    assert (first.get("classname"), first.get("name"), first.get("time")) == (
        "NovaServers",
        "boot_and_delete_server",
        "12.50",
    )
    failure = first.find("failure")
    assert failure is not None and failure.text == (
        "Failure rate criteria 0.00% <= 20.00% <= 0.00% - Failed"
    )
    assert (second.get("classname"), second.get("name")) == ("Dummy", "dummy")
    assert second.find("skipped") is not None


def test_junit_passing_workload_has_no_failure():
    record = run_record()
    summary = record.workloads[0].summary
    assert summary is not None
    from dataclasses import replace

    passing = replace(
        record, workloads=[replace(record.workloads[0], summary=replace(summary, pass_sla=True))]
    )
    root = ET.fromstring(export("junit-xml", [RunData(passing)]))
    case = root.find("testsuite/testcase")
    assert case is not None and list(case) == []


# --- CSV ----------------------------------------------------------------------------


def test_csv_has_a_row_per_action_of_every_workload_that_ran():
    rows = list(csv.DictReader(io.StringIO(export("csv"))))
    assert [r["action"] for r in rows] == [
        "nova.boot_server",
        "nova.boot_server > nova.wait",
        "nova.delete_server",
        "total",
        "total > duration",
        "total > idle_duration",
    ]
    total = next(r for r in rows if r["action"] == "total")
    assert total["scenario"] == "NovaServers.boot_and_delete_server"
    assert float(total["min"]) == 0.75 and total["count"] == "5"


@pytest.mark.parametrize("name", ["json", "rally-json", "junit-xml", "csv"])
def test_no_runs_is_still_a_valid_document(name: str):
    cls = REGISTRY.get(Family.EXPORTER, name, Exporter)  # type: ignore[type-abstract]
    out = io.StringIO()
    cls(cls.parse_config({})).export([], out)
    text = out.getvalue()
    if name.endswith("json"):
        json.loads(text)
    elif name == "junit-xml":
        ET.fromstring(text)
    else:
        assert text.splitlines()[0].startswith("run_id,")


@pytest.mark.parametrize("schema", [1, 2])
def test_squall_json_masks_secrets_in_the_environment(schema: int):
    from squall.results.records import Environment

    env = Environment(
        "0.1.0",
        "3.11.9",
        "host-a",
        "linux",
        cloud={
            "name": "devcloud",
            "auth": {"password": "canary-pw-123"},
            "auth_url": "https://admin:canary-pw-123@keystone.example/v3",
        },
    )
    record = replace(run_record(), environment=env)
    text = export("json", [RunData(record)], schema=schema)
    assert "canary-pw-123" not in text
    assert json.loads(text)["runs"][0]["environment"]["cloud"]["name"] == "devcloud"


def test_junit_names_the_cloud_of_a_workload_run_on_several():
    from dataclasses import replace

    record = run_record()
    first = record.workloads[0]
    copies = [
        replace(first, id=i, workload_index=i, config={**first.config, "contexts": {"cloud": c}})
        for i, c in enumerate(["east/One", "west/Two"], start=10)
    ]
    root = ET.fromstring(export("junit-xml", [RunData(replace(record, workloads=copies))]))
    names = [case.get("name") for case in root.iter("testcase")]
    assert names == ["boot_and_delete_server @ east/One", "boot_and_delete_server @ west/Two"]
