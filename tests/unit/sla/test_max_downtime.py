"""max_downtime: the longest run of failed iterations, by start time."""

from __future__ import annotations

from squall.iteration import ErrorInfo, IterationResult
from squall.plugins.families import Family
from squall.plugins.loader import load_registry
from squall.sla.base import SLA


def criterion(raw):
    cls = load_registry().get(Family.SLA, "max_downtime", SLA)
    return cls(cls.parse_config(raw))


def it(start, failed=False):
    error = ErrorInfo("ConnectFailure", "down") if failed else None
    return IterationResult(
        number=1,
        scheduled_offset=start,
        start_offset=start,
        timestamp=start,
        duration=0.1,
        error=error,
    )


def feed(sla, pattern, period=0.5):
    for i, c in enumerate(pattern):
        sla.add(it(i * period, c == "-"))
    return sla


def test_outage_within_limit_passes_and_beyond_fails():
    assert feed(criterion(3.0), "++------++++").result().success  # 3.0 s
    result = feed(criterion(2.9), "++------++++").result()
    assert not result.success
    assert result.detail == "Longest downtime 3.00s <= 2.90s - Failed"


def test_open_outage_counts_to_the_last_iteration():
    sla = feed(criterion({"max": 1.0}), "++-----")
    assert not sla.result().success and sla.longest == 2.0


def test_merge_joins_interleaved_views():
    a, b = criterion(1.0), criterion(1.0)
    for i, c in enumerate("++----++"):
        (a if i % 2 else b).add(it(i * 0.5, c == "-"))
    assert a.merge(b) is False and a.longest == 2.0
