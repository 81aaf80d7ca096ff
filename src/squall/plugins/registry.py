"""One explicit registry of plugins keyed by (family, name).

Entries are added with the import path of their class and imported on first use,
so listing plugins or loading a task does not import every plugin's dependencies.
When a class is imported it is checked against its entry (family, name, Config),
and mistakes name the offender.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel

from squall.errors import PluginError
from squall.plugins.base import Plugin
from squall.plugins.families import Family

P = TypeVar("P", bound=Plugin)


@dataclass
class PluginInfo:
    family: Family
    name: str
    target: str
    origin: str
    cls: type[Plugin] | None = None

    @property
    def summary(self) -> str:
        doc = inspect.getdoc(self.load()) or ""
        return doc.splitlines()[0] if doc else ""

    def load(self) -> type[Plugin]:
        if self.cls is None:
            self.cls = _import_target(self)
        return self.cls


def _import_target(info: PluginInfo) -> type[Plugin]:
    module_name, _, attr = info.target.partition(":")
    try:
        module = importlib.import_module(module_name)
        cls = getattr(module, attr)
    except (ImportError, AttributeError) as exc:
        raise PluginError(
            f"{info.family} plugin {info.name!r} cannot be loaded from {info.target}: {exc}",
            hint=f"registered by {info.origin}; is its package installed?",
        ) from exc
    _check(info, cls)
    return cls  # type: ignore[no-any-return]


def _check(info: PluginInfo, cls: object) -> None:
    where = f"{info.target} (registered by {info.origin})"
    if not (isinstance(cls, type) and issubclass(cls, Plugin)):
        raise PluginError(f"{where} is not a squall plugin class")
    if getattr(cls, "family", None) != info.family or getattr(cls, "name", None) != info.name:
        raise PluginError(
            f"{where} declares {getattr(cls, 'family', '?')}/{getattr(cls, 'name', '?')}, "
            f"but was registered as {info.family}/{info.name}"
        )
    if not (isinstance(cls.Config, type) and issubclass(cls.Config, BaseModel)):
        raise PluginError(f"{where}: Config must be a pydantic model class")


def near_names(name: str, candidates: list[str]) -> list[str]:
    """Names close to ``name``, best first, for "did you mean" hints."""
    lowered = {c.lower(): c for c in candidates}
    found = difflib.get_close_matches(name.lower(), list(lowered), n=3, cutoff=0.6)
    return [lowered[f] for f in found]


def did_you_mean(name: str, candidates: list[str]) -> str | None:
    close = near_names(name, candidates)
    return f"did you mean {' or '.join(repr(c) for c in close)}?" if close else None


class Registry:
    """Plugins by family and name."""

    def __init__(self) -> None:
        self._entries: dict[tuple[Family, str], PluginInfo] = {}

    def add(self, family: Family, name: str, target: str, *, origin: str = "squall") -> None:
        """Register the class at ``target`` ("module:Class") as ``family``/``name``."""
        key = (family, name)
        old = self._entries.get(key)
        if old is not None and old.target != target:
            raise PluginError(
                f"{family} plugin {name!r} is registered twice: "
                f"{old.target} (by {old.origin}) and {target} (by {origin})"
            )
        self._entries[key] = PluginInfo(family, name, target, origin)

    def add_class(self, cls: type[Plugin], *, origin: str) -> None:
        """Register an already imported class (plugins from ``--plugin-path``)."""
        target = f"{cls.__module__}:{cls.__qualname__}"
        info = PluginInfo(cls.family, cls.name, target, origin)
        _check(info, cls)
        self.add(cls.family, cls.name, target, origin=origin)
        self._entries[(cls.family, cls.name)].cls = cls

    def __contains__(self, key: tuple[Family, str]) -> bool:
        return key in self._entries

    def names(self, family: Family) -> list[str]:
        return sorted(name for fam, name in self._entries if fam == family)

    def infos(self, family: Family | None = None) -> list[PluginInfo]:
        return sorted(
            (i for i in self._entries.values() if family is None or i.family == family),
            key=lambda i: (i.family.value, i.name),
        )

    def info(self, family: Family, name: str) -> PluginInfo:
        try:
            return self._entries[(family, name)]
        except KeyError:
            raise PluginError(
                f"unknown {family} plugin {name!r}",
                hint=did_you_mean(name, self.names(family))
                or f"`squall plugins list --family {family}` shows them all",
            ) from None

    def get(self, family: Family, name: str, base: type[P]) -> type[P]:
        """The plugin class, checked to derive from the family's ``base``."""
        cls = self.info(family, name).load()
        if not issubclass(cls, base):
            raise PluginError(f"{family} plugin {name!r} does not derive from {base.__name__}")
        return cls

    def find(self, name: str) -> list[PluginInfo]:
        """Every plugin called ``name`` whatever its family (for `plugins show`)."""
        return [i for (_, n), i in sorted(self._entries.items()) if n == name]
