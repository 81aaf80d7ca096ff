"""The resilience report from synthetic samples, fault events and iterations."""

from __future__ import annotations

import pytest

from squall.api.resilience import analyse, fault_spans
from squall.results.samples import FaultRecord, MonitorSample
from squall.stats.downtime import Point


def samples(target, pattern, period=0.5, latency=0.1):
    """Probes that *end* every ``period`` seconds (a result counts when its probe ends)."""
    return [
        MonitorSample(
            "api",
            target,
            i * period - (latency if c == "+" else 0),
            0.0,
            c == "+",
            latency if c == "+" else None,
        )
        for i, c in enumerate(pattern)
    ]


EVENTS = [
    FaultRecord("process:kill:keystone", "localhost", "inject", 2.0),
    FaultRecord("process:kill:keystone", "localhost", "effect", 2.1),
    FaultRecord("process:kill:keystone", "localhost", "restore", 4.0),
    FaultRecord("process:kill:keystone", "localhost", "recovered", 5.0),
]


def test_spans_pair_inject_with_restore_and_recovery():
    ((span, target, ok, recovered_at),) = fault_spans(list(reversed(EVENTS)))
    assert (span.injected, span.restored, target, ok, recovered_at) == (
        2.0,
        4.0,
        "localhost",
        True,
        5.0,
    )
    failed = [
        *EVENTS[:3],
        FaultRecord("process:kill:keystone", "localhost", "recovered", 9.0, ok=False),
    ]
    assert fault_spans(failed)[0][2] is False
    again = [FaultRecord(e.disruptor, e.target, e.phase, e.at + 10) for e in EVENTS]
    assert [s[0].injected for s in fault_spans(EVENTS + again)] == [2.0, 12.0]


def test_report_downtime_impact_and_score():
    token = samples("token", "++++------++++++++++")  # down 2.0 .. 5.0
    servers = samples("servers", "++++++++++++++++++++")
    iterations = [Point(t / 2, not (2.0 <= t / 2 < 5.0)) for t in range(20)]
    report = analyse("r", token + servers, EVENTS, iterations)
    by_target = {t.target: t for t in report.targets}
    assert by_target["token"].downtime == 3.0 and by_target["servers"].downtime == 0
    assert by_target["token"].baseline == pytest.approx(0.1)
    (fault,) = report.faults
    assert fault.recovered and fault.iterations == (6, 7)
    token_impact = fault.per_target["api:token"]
    assert token_impact.detect == 0.0 and token_impact.downtime == 3.0
    assert token_impact.recover_after_restore == 1.0 and token_impact.mttr == 3.0
    assert fault.per_target["api:servers"].degradation == pytest.approx(1.0)
    assert report.availability == pytest.approx(1 - 3.0 / (2 * 9.5))
    assert report.success == pytest.approx(14 / 20)
    assert report.recovery == 1.0
    assert report.score == pytest.approx(100 * report.availability * report.success)


def test_an_empty_run_scores_100():
    assert analyse("r", [], [], []).score == 100.0


def test_per_workload_failures_and_latency_inflation():
    fast = [Point(t / 2, True, 0.1) for t in range(4)]  # before the fault
    slow = [Point(2.0 + t / 2, t != 0, 0.3) for t in range(6)]  # during: one failure, 3x slower
    after = [Point(5.5 + t / 2, True, 0.1) for t in range(4)]
    report = analyse("r", [], EVENTS, {"0.0 Authenticate.keystone": fast + slow + after})
    (fault,) = report.faults
    impact = fault.workloads["0.0 Authenticate.keystone"]
    assert (impact.failed, impact.total) == (1, 6)
    assert impact.inflation == pytest.approx(3.0)


def test_an_outage_is_counted_against_one_fault_only():
    again = [FaultRecord(e.disruptor, e.target, e.phase, e.at + 10) for e in EVENTS]
    token = samples("token", "++++------++++++++++++++------++++++")  # 2-5 s and 12-15 s
    first, second = analyse("r", token, EVENTS + again, []).faults
    assert first.per_target["api:token"].downtime == 3.0
    assert first.per_target["api:token"].recover_after_restore == 1.0
    assert second.per_target["api:token"].downtime == 3.0
