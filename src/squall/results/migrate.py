"""Schema versions: Alembic, run programmatically from the migrations in this package.

Users need no ``alembic.ini``: ``Store.open`` brings a new or older database to the
head revision, and refuses one whose revision this squall does not know (made by a
newer squall) rather than touching it.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text

from squall import __version__
from squall.errors import StoreError

MIGRATIONS = Path(__file__).with_name("migrations")
_PG_LOCK = 0x5351_5541_4C4C  # "SQUALL": one migration at a time per database


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head() -> str:
    revision = _scripts().get_current_head()
    if revision is None:  # pragma: no cover - the package ships its migrations
        raise StoreError("squall's database migrations are missing", hint="reinstall squall")
    return revision


def current(connection: Connection) -> str | None:
    """The database's revision; ``None`` for a database squall has never used.

    Raises ``StoreError`` for a database that is not squall's or is newer than
    this squall.
    """
    heads = MigrationContext.configure(connection).get_current_heads()
    if not heads:
        tables = set(inspect(connection).get_table_names()) - {"alembic_version"}
        if tables:
            raise StoreError(
                f"this database is not a squall results store (it has tables "
                f"{', '.join(sorted(tables)[:5])})",
                hint="point --db (or SQUALL_DB_URL) at an empty or squall database",
            )
        return None
    known = {script.revision for script in _scripts().walk_revisions()}
    unknown = [h for h in heads if h not in known]
    if unknown or len(heads) > 1:
        raise StoreError(
            f"this results database has schema revision {', '.join(heads)}, which squall "
            f"{__version__} does not know (it knows up to {head()}): a newer squall wrote it",
            hint="upgrade squall to use it, or point --db at another database; "
            "squall leaves this one untouched",
        )
    return heads[0]


def upgrade(connection: Connection, target: str | None = None) -> tuple[str | None, str]:
    """Bring the database to ``target`` (the head revision by default) inside the
    caller's write transaction.

    Returns (revision before, revision after). The caller's transaction holds
    SQLite's write lock (``BEGIN IMMEDIATE``); on PostgreSQL an advisory lock keeps
    two squalls from migrating at once.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
    before = current(connection)
    target = target or head()
    if before != target:
        command.upgrade(_config(connection), target)
    return before, target
