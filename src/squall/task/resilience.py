"""The ``resilience`` section of squall's task format -> ``ResilienceSpec`` shape. Pure.

::

    resilience:
      inventory: hosts.yaml          # optional; default: this machine
      health_gate: 5                 # all monitors green for 5 s before the load starts
      monitors:
        - api: {period: 0.5}
        - host: {process: nova-api}
      disruptions:
        - process: {devcloud: keystone, action: kill}
          at: 10                     # seconds after the load starts
          down: [3, 6]               # fixed or a random range
          times: 2
          cool_down: 5
"""

from __future__ import annotations

from typing import Any

from squall.task.draft import Draft
from squall.task.source import Path, Reader

SECTION_KEYS = ("inventory", "journal", "health_gate", "health_timeout", "seed")
DISRUPTION_KEYS = ("at", "down", "cool_down", "times", "description")


def translate(raw: Any, reader: Reader, draft: Draft) -> dict[str, Any]:
    path: Path = ("resilience",)
    result: dict[str, Any] = {}
    data = reader.mapping(raw, path)
    if data is None:
        return result
    reader.check_keys(data, path, allowed=(*SECTION_KEYS, "monitors", "disruptions"))
    result.update({k: data[k] for k in SECTION_KEYS if k in data})
    monitors = reader.sequence(data["monitors"], (*path, "monitors")) if "monitors" in data else []
    result["monitors"] = [
        ref
        for i, item in enumerate(monitors or [])
        if (ref := _plugin(item, (*path, "monitors", i), "monitor", reader, draft)) is not None
    ]
    disruptions = data.get("disruptions", [])
    items = reader.sequence(disruptions, (*path, "disruptions")) or []
    result["disruptions"] = [
        d
        for i, item in enumerate(items)
        if (d := _disruption(item, (*path, "disruptions", i), reader, draft)) is not None
    ]
    return result


def _plugin(raw: Any, path: Path, what: str, reader: Reader, draft: Draft) -> dict[str, Any] | None:
    entry = reader.single_entry(raw, path, what=what)
    if entry is None:
        return None
    name, args = entry
    return draft.plugin(path, name, args, name_at=(*path, name), args_at=(*path, name))


def _disruption(raw: Any, path: Path, reader: Reader, draft: Draft) -> dict[str, Any] | None:
    data = reader.mapping(raw, path)
    if data is None:
        return None
    plugin = {k: v for k, v in data.items() if k not in DISRUPTION_KEYS}
    if len(plugin) != 1:
        reader.report(
            path,
            f"name exactly one disruptor, found {len(plugin)}",
            "write {process: {...}, at: 10, down: 5}; other keys: " + ", ".join(DISRUPTION_KEYS),
        )
        return None
    name, args = next(iter(plugin.items()))
    result = {k: data[k] for k in DISRUPTION_KEYS if k in data}
    at = (*path, name)
    result["disruptor"] = draft.plugin(
        (*path, "disruptor"), str(name), args, name_at=at, args_at=at
    )
    return result
