"""IntervalSender: the generator hands intervals over without waiting on the controller."""

from __future__ import annotations

import threading

from squall.dataplane.agent.httpload import Interval
from squall.dataplane.agent.reporting import IntervalSender
from squall.stats.histogram import Histogram


def _interval(k: int) -> Interval:
    return Interval(float(k), float(k + 1), latencies=[1000 + k, 2000], requests=2)


def test_intervals_are_sent_in_order_while_put_never_waits_for_a_send():
    release = threading.Event()
    sent: list[dict] = []

    def slow_send(snapshot: dict) -> None:
        release.wait()  # the controller is slow to answer
        sent.append(snapshot)

    sender = IntervalSender(slow_send)
    for k in range(3):
        sender.put(_interval(k))  # returns although the first send is still blocked
    assert sent == []
    release.set()
    snapshots = sender.close()
    assert [s["start"] for s in snapshots] == [0.0, 1.0, 2.0]
    assert sent == snapshots
    assert Histogram.decode(snapshots[1]["histograms"]["latency"]).count == 2
    assert snapshots[2]["counters"]["requests"] == 2
