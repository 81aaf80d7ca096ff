"""Summaries and environments to JSON text and back, exactly."""

from __future__ import annotations

import math
import struct
from dataclasses import fields, is_dataclass
from enum import Enum
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from squall.results.records import (
    Environment,
    HookResult,
    RunStatus,
    StatsRow,
    TriggeredBy,
    WorkloadSummary,
)
from squall.results.serialize import (
    dumps,
    environment_from_json,
    environment_to_json,
    loads,
    summary_from_json,
    summary_to_json,
)
from squall.sla.base import SLAResult

FLOATS = st.floats(allow_nan=False) | st.just(math.nan)  # JSON keeps the one canonical NaN
OPT_FLOATS = st.none() | FLOATS
TEXT = st.text(max_size=12)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | FLOATS | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)


def canon(value: Any) -> Any:
    """Comparable form: floats by bit pattern, enums by class and value, types kept."""
    if isinstance(value, float):
        return ("float", struct.pack("<d", value))
    if isinstance(value, Enum):
        return (type(value).__name__, value.value)
    if is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            [(f.name, canon(getattr(value, f.name))) for f in fields(value)],
        )
    if isinstance(value, list):
        return [canon(v) for v in value]
    if isinstance(value, dict):
        return {k: canon(v) for k, v in value.items()}
    return (type(value).__name__, value)


hooks = st.builds(
    HookResult,
    hook_index=st.integers(0, 10),
    action=TEXT,
    trigger=st.sampled_from(["event", "periodic"]),
    description=TEXT,
    status=st.sampled_from(["success", "failed"]),
    started_at=FLOATS,
    finished_at=FLOATS,
    triggered_by=st.builds(
        TriggeredBy, event_type=st.sampled_from(["time", "iteration"]), value=FLOATS
    ),
    error=st.none() | st.dictionaries(TEXT, TEXT, max_size=3),
    output=st.none() | st.dictionaries(TEXT, JSON, max_size=3),
)
rows = st.builds(
    StatsRow,
    name=TEXT,
    count=st.integers(0, 10**9),
    success=FLOATS,
    min=OPT_FLOATS,
    median=OPT_FLOATS,
    p90=OPT_FLOATS,
    p95=OPT_FLOATS,
    p99=OPT_FLOATS,
    max=OPT_FLOATS,
    avg=OPT_FLOATS,
)
summaries = st.builds(
    WorkloadSummary,
    subtask_index=st.integers(0, 100),
    workload_index=st.integers(0, 100),
    scenario=TEXT,
    status=st.sampled_from(RunStatus),
    start_time=OPT_FLOATS,
    load_duration=FLOATS,
    full_duration=FLOATS,
    total_iteration_count=st.integers(0, 10**9),
    failed_iteration_count=st.integers(0, 10**9),
    min_duration=OPT_FLOATS,
    max_duration=OPT_FLOATS,
    pass_sla=st.booleans(),
    sla_results=st.lists(
        st.builds(SLAResult, criterion=TEXT, success=st.booleans(), detail=TEXT), max_size=3
    ),
    stats=st.lists(rows, max_size=3),
    hook_results=st.lists(hooks, max_size=2),
    contexts_results=st.lists(st.dictionaries(TEXT, JSON, max_size=3), max_size=2),
    achieved_rate=OPT_FLOATS,
    target_rate=OPT_FLOATS,
    max_start_lag=OPT_FLOATS,
    quantisation=st.dictionaries(TEXT, FLOATS, max_size=3),
    histograms=st.dictionaries(TEXT, TEXT, max_size=2),
)
environments = st.builds(
    Environment,
    squall_version=TEXT,
    python=TEXT,
    host=TEXT,
    platform=TEXT,
    cloud=st.dictionaries(TEXT, JSON, max_size=3),
    extra=st.dictionaries(TEXT, JSON, max_size=3),
)


@settings(max_examples=150, deadline=None)
@given(summaries)
def test_a_summary_survives_json_text_exactly(summary: WorkloadSummary) -> None:
    back = summary_from_json(loads(dumps(summary_to_json(summary))))
    assert canon(back) == canon(summary)
    assert isinstance(back.status, RunStatus)


@settings(max_examples=100, deadline=None)
@given(environments)
def test_an_environment_survives_json_text_exactly(env: Environment) -> None:
    assert canon(environment_from_json(loads(dumps(environment_to_json(env))))) == canon(env)


def test_the_status_is_stored_as_its_plain_value() -> None:
    summary = WorkloadSummary(
        subtask_index=0,
        workload_index=0,
        scenario="Dummy.dummy",
        status=RunStatus.ABORTED,
        start_time=None,
        load_duration=0.0,
        full_duration=0.0,
        total_iteration_count=0,
        failed_iteration_count=0,
        min_duration=None,
        max_duration=None,
        pass_sla=True,
        sla_results=[],
        stats=[],
    )
    text = dumps(summary_to_json(summary))
    assert '"status":"aborted"' in text
    assert summary_from_json(loads(text)) == summary
