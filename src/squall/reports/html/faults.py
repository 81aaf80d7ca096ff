"""Fault events of a run as bands on the report's time charts (wall-clock times).

Each ``inject`` on a (disruptor, target) opens a band that its next ``restore`` (or
``recovered``) closes; a fault never restored is drawn as a line at its injection.
A ``failed`` phase, or any event with ``ok`` false, marks the band failed.
"""

from __future__ import annotations

from collections.abc import Sequence

from squall.reports.html.model import Marker
from squall.results.samples import FaultRecord

CLOSING = ("restore", "recovered")


def fault_markers(events: Sequence[FaultRecord]) -> list[Marker]:
    """Bands in wall-clock seconds (``collect`` shifts them to each workload's clock)."""
    open_faults: dict[tuple[str, str], tuple[float, bool]] = {}
    found: list[Marker] = []
    for event in sorted(events, key=lambda e: e.at):
        key = (event.disruptor, event.target)
        failed = not event.ok or event.phase == "failed"
        if event.phase == "inject":
            open_faults[key] = (event.at, failed)
        elif event.phase in CLOSING and key in open_faults:
            start, was_failed = open_faults.pop(key)
            found.append(_marker(key, start, event.at, was_failed or failed))
        elif failed and key in open_faults:
            start, _ = open_faults[key]
            open_faults[key] = (start, True)
    for key, (start, failed) in open_faults.items():
        found.append(_marker(key, start, start, failed))
    return sorted(found, key=lambda m: m.start)


def _marker(key: tuple[str, str], start: float, end: float, failed: bool) -> Marker:
    disruptor, target = key
    return Marker(start, end, f"{disruptor} {target}", kind="fault", failed=failed)
