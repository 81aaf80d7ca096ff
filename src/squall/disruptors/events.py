"""Where fault events go while a run lasts: every subscriber gets every event.

Faults start from hook threads and from the disruption schedule alike; the run's
resilience companion subscribes for the run's duration and stores what it receives
with the run. Process-wide on purpose: a hook action has no handle on its run.
"""

from __future__ import annotations

import threading

from squall.disruptors.run import EventSink, FaultEvent

_lock = threading.Lock()
_subscribers: list[EventSink] = []


def subscribe(sink: EventSink) -> None:
    with _lock:
        _subscribers.append(sink)


def unsubscribe(sink: EventSink) -> None:
    with _lock:
        if sink in _subscribers:
            _subscribers.remove(sink)


def publish(event: FaultEvent) -> None:
    with _lock:
        sinks = list(_subscribers)
    for sink in sinks:
        sink(event)
