"""Alembic environment: runs on the connection that ``results.migrate`` passes in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from squall.results.models import Base


def run() -> None:
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError("squall runs its migrations itself: use `squall db upgrade`")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run()
