"""Exports: stored runs written in a format other tools read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from pydantic import BaseModel, ValidationError

from squall.errors import ConfigError, PluginError
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
    options: Mapping[str, Any] | None = None,
) -> None:
    """Write the runs ``refs`` (ids, prefixes or 'last') to ``out`` as ``kind``."""
    chosen = exporter(kind, options, registry)
    chosen.export(run_data(store, refs), out)


def exporter(
    kind: str, options: Mapping[str, Any] | None = None, registry: Registry | None = None
) -> Exporter:
    """The exporter ``kind`` with its ``options`` (``squall plugins show KIND`` lists them)."""
    plugins = registry or load_registry()
    cls = plugins.get(Family.EXPORTER, kind, Exporter)
    return cls(exporter_config(cls, options or {}))


def media_types(registry: Registry) -> dict[str, str]:
    """Each exporter ``registry`` holds (built-in or plugin), by name: its media type.

    One whose class cannot be loaded is left out: ``squall plugins list`` shows it with
    the reason, and asking for it is refused with that reason.
    """
    found: dict[str, str] = {}
    for name in registry.names(Family.EXPORTER):
        try:
            found[name] = registry.get(Family.EXPORTER, name, Exporter).media_type
        except PluginError:
            continue
    return found


def download_name(run_id: str, suffix: str) -> str:
    """The file name a run's export is offered under: ``squall-<run8><suffix>``."""
    safe = "".join(c for c in suffix if c.isalnum() or c in ".-_")
    return f"squall-{run_id[:8]}{safe}"


def run_data(store: Store, refs: Sequence[str]) -> list[RunData]:
    """The runs ``refs`` (ids, prefixes or 'last'), their iterations read when written."""
    return [RunData(store.get_run(ref), store.iterations) for ref in refs]


def exporter_config(cls: type[Exporter], options: Mapping[str, Any]) -> BaseModel:
    """``options`` validated as ``cls``'s config, or a ConfigError naming the bad one."""
    try:
        return cls.parse_config(dict(options))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'options'}: {err['msg']}"
            for err in exc.errors(include_url=False)
        )
        raise ConfigError(
            f"export option for {cls.name!r}: {problems}",
            hint=f"{cls.name} takes {', '.join(option_names(cls)) or 'no options'}"
            f" (`squall plugins show {cls.name}`)",
        ) from exc


def option_names(cls: type[Exporter]) -> list[str]:
    return [f.alias or name for name, f in cls.Config.model_fields.items()]


def parse_options(pairs: Sequence[str]) -> dict[str, Any]:
    """``KEY=VALUE`` strings as a mapping; values read as YAML scalars (1, true, ...)."""
    import yaml

    result: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"export option {pair!r} is not KEY=VALUE", hint="e.g. -o schema=1")
        try:
            parsed = yaml.safe_load(value)
        except yaml.YAMLError:
            parsed = value
        result[key.strip()] = value if isinstance(parsed, dict | list) or parsed is None else parsed
    return result
