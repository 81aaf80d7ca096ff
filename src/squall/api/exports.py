"""Exports: stored runs written in a format other tools read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from squall.plugins.families import Family
from squall.plugins.loader import load_registry
from squall.plugins.registry import Registry
from squall.reports.exporters.base import Exporter, RunData

if TYPE_CHECKING:
    from squall.results.store import Store


def export(
    store: Store,
    refs: Sequence[str],
    kind: str,
    out: TextIO,
    *,
    registry: Registry | None = None,
) -> None:
    """Write the runs ``refs`` (ids, prefixes or 'last') to ``out`` as ``kind``."""
    plugins = registry or load_registry()
    cls = plugins.get(Family.EXPORTER, kind, Exporter)
    exporter = cls(cls.parse_config({}))
    runs = [RunData(store.get_run(ref), store.iterations) for ref in refs]
    exporter.export(runs, out)
