"""Options shared by many commands, and how they become objects."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from squall.plugins.loader import load_registry
from squall.plugins.registry import Registry

if TYPE_CHECKING:
    from squall.results.store import Store

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="SQUALL_DB_URL",
        help="Results database URL (sqlite:///FILE or postgresql+psycopg://...); "
        "default: a SQLite file in the user's data directory.",
        show_default=False,
    ),
]

PluginPathOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--plugin-path",
        envvar="SQUALL_PLUGIN_PATH",
        help="A folder of plugin modules to load (repeatable).",
        show_default=False,
    ),
]


def open_store(db: str | None, *, existing: bool = False) -> Store:
    """The results store. ``existing``: a database named with ``--db`` must already
    exist (commands that only read or change stored runs never create one)."""
    from squall.results.store import Store  # SQLAlchemy and Alembic: only when needed

    return Store.open(db, must_exist=existing and db is not None)


def registry(plugin_paths: list[Path] | None) -> Registry:
    return load_registry(plugin_paths or [])
