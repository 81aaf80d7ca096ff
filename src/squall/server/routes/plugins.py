"""Plugins known to this server."""

from __future__ import annotations

from fastapi import APIRouter

from squall.errors import PluginError
from squall.plugins.families import Family
from squall.server.deps import RegistryDep
from squall.server.schemas import PluginOut

router = APIRouter(prefix="/api/v1/plugins", tags=["plugins"])


@router.get("", summary="Every plugin, or one family's")
def list_plugins(registry: RegistryDep, family: Family | None = None) -> list[PluginOut]:
    found = []
    for info in registry.infos(family):
        try:
            summary = info.summary
        except PluginError as exc:
            summary = f"(cannot be loaded: {exc.message})"
        found.append(PluginOut(family=str(info.family), name=info.name, origin=info.origin,
                               summary=summary))  # fmt: skip
    return found
