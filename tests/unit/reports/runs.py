"""A synthetic stored run for the exporter tests (no store needed)."""

from __future__ import annotations

from collections.abc import Iterator

from squall.iteration import AtomicAction, ErrorInfo, IterationResult, OutputChart, ScenarioOutput
from squall.reports.exporters.base import RunData
from squall.results.records import (
    Environment,
    HookResult,
    RunRecord,
    RunStatus,
    TriggeredBy,
    WorkloadRecord,
    WorkloadSummary,
)
from squall.sla.base import SLAResult
from squall.stats.summary import DurationSummary

RUN_ID = "0123456789abcdef0123456789abcdef"
T0 = 1_763_769_600.0  # 2025-11-22T00:00:00Z


def iterations(count: int) -> list[IterationResult]:
    items = []
    for i in range(count):
        start = T0 + 10 + i
        boot = AtomicAction("nova.boot_server", start, start + 0.5)
        boot.children.append(AtomicAction("nova.wait", start + 0.1, start + 0.4))
        items.append(
            IterationResult(
                number=i + 1,
                scheduled_offset=float(i),
                start_offset=float(i) + 0.01,
                timestamp=start,
                duration=0.75 + i / 100,
                error=ErrorInfo("TimeoutError", "too slow", "Traceback...") if i == 2 else None,
                atomic_actions=[
                    boot,
                    AtomicAction("nova.delete_server", start + 0.5, start + 0.7, failed=i == 2),
                ],
                output=ScenarioOutput(
                    additive=[OutputChart("Load", "StackedArea", [["a", 1.0]])] if i == 0 else []
                ),
            )
        )
    return items


def summary_of(items: list[IterationResult], *, passed: bool) -> WorkloadSummary:
    table = DurationSummary()
    for one in items:
        table.add(one)
    failed = sum(1 for one in items if one.failed)
    return WorkloadSummary(
        subtask_index=0,
        workload_index=0,
        scenario="NovaServers.boot_and_delete_server",
        status=RunStatus.FINISHED,
        start_time=T0 + 10,
        load_duration=5.0,
        full_duration=12.5,
        total_iteration_count=len(items),
        failed_iteration_count=failed,
        min_duration=min(one.duration for one in items),
        max_duration=max(one.duration for one in items),
        pass_sla=passed,
        sla_results=[
            SLAResult(
                "failure_rate", passed, "Failure rate criteria 0.00% <= 20.00% <= 0.00% - Failed"
            ),
            SLAResult(
                "max_avg_duration",
                True,
                "Average duration of one iteration 0.77s <= 1.00s - Passed",
            ),
        ],
        stats=table.rows(),
        hook_results=[
            HookResult(
                hook_index=0,
                action="sys_call",
                trigger="event",
                description="poke",
                status="success",
                started_at=T0 + 11,
                finished_at=T0 + 11.2,
                triggered_by=TriggeredBy("iteration", 2.0),
                output={"additive": [], "complete": []},
            ),
            HookResult(
                hook_index=0,
                action="sys_call",
                trigger="event",
                description="poke",
                status="failed",
                started_at=T0 + 12,
                finished_at=T0 + 12.1,
                triggered_by=TriggeredBy("iteration", 4.0),
                error={"etype": "SysCallError", "msg": "rc 1", "details": ""},
            ),
        ],
        achieved_rate=float("inf"),
        histograms=table.histograms(),
    )


def workload_config(scenario: str) -> dict[str, object]:
    return {
        "scenario": {"name": scenario, "args": {"flavor": {"name": "m1.tiny"}}},
        "runner": {"name": "constant", "args": {"times": 5, "concurrency": 2}},
        "contexts": {"users": {"tenants": 1}},
        "sla": {"failure_rate": {"max": 0}, "max_avg_duration": 1.0},
        "hooks": [
            {
                "description": "poke",
                "action": {"name": "sys_call", "args": {"cmd": "true"}},
                "trigger": {"name": "event", "args": {"unit": "iteration", "at": [2, 4]}},
            }
        ],
        "description": "boot and delete",
    }


ITERATIONS = {1: iterations(5), 2: []}


def run_record() -> RunRecord:
    return RunRecord(
        id=RUN_ID,
        title="Nova smoke",
        description="synthetic",
        tags=["ci"],
        status=RunStatus.ABORTED,
        created_at=T0,
        finished_at=T0 + 30,
        source_format="rally-v2",
        task={"title": "Nova smoke", "subtasks": [{"title": "boot", "description": "first"}]},
        environment=Environment("0.1.0", "3.11.9", "host-a", "linux", cloud={"name": "devcloud"}),
        workloads=[
            WorkloadRecord(
                id=1,
                subtask_index=0,
                workload_index=0,
                subtask_title="boot",
                config=workload_config("NovaServers.boot_and_delete_server"),
                summary=summary_of(ITERATIONS[1], passed=False),
            ),
            WorkloadRecord(
                id=2,
                subtask_index=1,
                workload_index=0,
                subtask_title="never ran",
                config=workload_config("Dummy.dummy"),
                summary=None,
            ),
        ],
    )


def read_iterations(workload_id: int) -> Iterator[IterationResult]:
    yield from ITERATIONS[workload_id]


def run_data() -> RunData:
    return RunData(run_record(), read_iterations)
