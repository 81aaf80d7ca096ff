"""Connecting to the store's database: URLs, engines, and errors people can act on.

SQLite runs in WAL mode (set once the file is known to be squall's) with a busy
timeout, and every write transaction starts
with ``BEGIN IMMEDIATE``: a writer takes the write lock before it reads, so two
processes writing to one file wait for each other instead of failing with
"database is locked" half-way through a transaction. Readers never block writers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from squall.errors import StoreError

BUSY_TIMEOUT_S = 60.0
WRITE = "squall_write"  # execution option: this connection's transactions write


def default_path() -> Path:
    return Path(platformdirs.user_data_dir("squall")) / "squall.db"


def resolve_url(url: str | None) -> URL:
    """The database URL to use: the default SQLite file, a path, or a URL.

    ``postgresql://`` without a driver means psycopg (version 3), the one squall
    installs with its ``postgres`` extra.
    """
    if not url:
        path = default_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return URL.create("sqlite", database=str(path))
    if "://" not in url:
        return URL.create("sqlite", database=str(Path(url).expanduser()))
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(
            f"cannot parse database URL {mask(url)!r}",
            hint="use sqlite:///path/to/file.db or postgresql+psycopg://user:password@host/db",
        ) from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def require_file(url: URL) -> None:
    """Refuse a SQLite URL whose file does not exist (SQLite would create it)."""
    if backend(url) == "sqlite" and url.database and not Path(url.database).exists():
        raise StoreError(
            f"there is no results database at {url.database}",
            hint="check --db / SQUALL_DB_URL; `squall db upgrade` creates one",
        )


def mask(url: str | URL) -> str:
    """The URL with its password hidden."""
    if isinstance(url, URL):
        return url.render_as_string(hide_password=True)
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


def backend(url: URL) -> str:
    return url.get_backend_name()


def create(url: URL) -> Engine:
    """An engine for ``url``, set up for concurrent writers."""
    try:
        if backend(url) == "sqlite":
            return _sqlite_engine(url)
        if backend(url) == "postgresql":
            return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    except NoSuchModuleError as exc:
        raise StoreError(
            f"no database driver for {url.drivername!r}", hint=_driver_hint(url)
        ) from exc
    except ModuleNotFoundError as exc:
        raise StoreError(
            f"the driver for {url.drivername} is not installed ({exc.name})", hint=_driver_hint(url)
        ) from exc
    raise StoreError(
        f"unsupported database {url.drivername!r}",
        hint="squall stores results in SQLite (a file path) or PostgreSQL (postgresql://...)",
    )


def _driver_hint(url: URL) -> str:
    if backend(url) == "postgresql":
        return "install it with: pip install 'squall[postgres]'"
    return "squall supports sqlite:/// and postgresql+psycopg:// URLs"


def _sqlite_engine(url: URL) -> Engine:
    if url.database in (None, "", ":memory:"):
        raise StoreError(
            "an in-memory SQLite database would lose every run",
            hint="give a file path, e.g. --db ./squall.db",
        )
    engine = create_engine(
        url, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False}
    )
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # let SQLAlchemy, not the driver, decide when transactions begin
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def use_wal(engine: Engine) -> None:
    """Put a SQLite database in WAL mode (it stays so: the mode is kept in the file).

    Done once the file is known to be squall's, never on someone else's file.
    """
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()
    finally:
        raw.close()


def _sqlite_begin(connection: Connection) -> None:
    immediate = connection.get_execution_options().get(WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def translated(url: URL, doing: str) -> Iterator[None]:
    """Turn database errors met while ``doing`` something into a ``StoreError``."""
    try:
        yield
    except DBAPIError as exc:
        raise _translate(url, doing, exc) from exc
    except SQLAlchemyError as exc:
        raise StoreError(
            f"results database {mask(url)}: cannot {doing}: {exc}",
            hint="this looks like a bug in squall; please report it",
        ) from exc


_SQLITE_HINTS = [
    (
        ("file is not a database", "malformed", "not a database"),
        "is not a squall database, or it is damaged",
        "point --db (or SQUALL_DB_URL) at another file; squall leaves this one untouched",
    ),
    (
        ("unable to open database file",),
        "cannot be opened",
        "check that its directory exists and that you may write there",
    ),
    (
        ("readonly database", "read-only"),
        "is read-only",
        "check the permissions of the file and of its directory (SQLite writes beside it)",
    ),
    (
        ("database is locked",),
        f"stayed locked by another process for more than {BUSY_TIMEOUT_S:.0f} s",
        "is another squall stuck? `squall task list` shows runs still running",
    ),
]
_PG_HINTS = [
    (
        ("password authentication failed", "no password supplied", "role"),
        "refused the credentials",
        "check the user and password in the URL",
    ),
    (
        ("does not exist",),
        "has no such database",
        "create it first (createdb), or fix the database name in the URL",
    ),
    (
        ("connection refused", "could not connect", "timeout", "translate host name", "No route"),
        "cannot be reached",
        "is PostgreSQL running and listening there? (scripts/services starts one for tests)",
    ),
]


def _translate(url: URL, doing: str, exc: DBAPIError) -> StoreError:
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    hints = _SQLITE_HINTS if backend(url) == "sqlite" else _PG_HINTS
    where = url.database if backend(url) == "sqlite" else mask(url)
    for needles, what, hint in hints:
        if any(n.lower() in detail.lower() for n in needles):
            return StoreError(f"results database {where} {what} ({detail})", hint=hint)
    return StoreError(
        f"results database {where}: cannot {doing}: {detail}",
        hint="check the database URL, the server and the disk",
    )
