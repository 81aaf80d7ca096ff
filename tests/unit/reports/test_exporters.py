"""Exporters on a synthetic run: shapes other tools read, and streaming."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest

from squall.iteration import IterationResult
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


def test_squall_json_is_versioned_and_complete():
    doc = json.loads(export("json"))
    assert doc["schema"] == "squall.run/1"
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


def test_squall_json_iterations_keep_every_field():
    doc = json.loads(export("json"))
    third = doc["runs"][0]["workloads"][0]["iterations"][2]
    source = ITERATIONS[1][2]
    assert third["number"] == 3
    assert third["scheduled_offset"] == source.scheduled_offset
    assert third["start_offset"] == source.start_offset
    assert third["duration"] == source.duration
    assert third["error"] == {
        "type": "TimeoutError",
        "message": "too slow",
        "traceback": "Traceback...",
    }
    boot = third["atomic_actions"][0]
    assert boot["name"] == "nova.boot_server" and boot["children"][0]["name"] == "nova.wait"
    assert third["atomic_actions"][1]["failed"] is True


def test_squall_json_one_line_per_iteration():
    lines = export("json").splitlines()
    iteration_lines = [line for line in lines if line.lstrip().startswith('{"number"')]
    assert len(iteration_lines) == 5


def test_squall_json_without_iterations():
    doc = json.loads(export("json", iterations=False))
    assert "iterations" not in doc["runs"][0]["workloads"][0]


def test_iterations_are_read_while_writing():
    out = io.StringIO()
    seen_before_first: list[str] = []

    def source(workload_id: int) -> Iterator[IterationResult]:
        seen_before_first.append(out.getvalue())
        yield from ITERATIONS[workload_id]

    cls = REGISTRY.get(Family.EXPORTER, "json", Exporter)  # type: ignore[type-abstract]
    cls(cls.parse_config({})).export([RunData(run_record(), source)], out)
    assert seen_before_first[0].rstrip().endswith('"iterations": [')


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


def test_squall_json_masks_secrets_in_the_environment():
    from dataclasses import replace

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
    text = export("json", [RunData(record)])
    assert "canary-pw-123" not in text
    assert json.loads(text)["runs"][0]["environment"]["cloud"]["name"] == "devcloud"
