"""``squall db``: look at the results database and bring its schema up to date."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from squall.cli.options import DbOption
from squall.results.store import Store, StoreInfo

app = typer.Typer(help="Manage the results database.", no_args_is_help=True)
out = Console()


@app.command()
def upgrade(db: DbOption = None) -> None:
    """Create the database, or migrate it to this squall's schema."""
    store = Store.open(db, upgrade=False)
    try:
        before, after = store.upgrade()
    finally:
        store.close()
    if before == after:
        out.print(f"{store.url}: schema {after}, already up to date.")
    elif before is None:
        out.print(f"{store.url}: created, schema {after}.")
    else:
        out.print(f"{store.url}: upgraded schema {before} -> {after}.")


@app.command()
def info(db: DbOption = None) -> None:
    """Show where the results database is, its schema and what it holds."""
    store = Store.open(db, upgrade=False, must_exist=True)
    try:
        details = store.info()
    finally:
        store.close()
    out.print(_table(details))


def _size(size: int | None) -> str:
    if size is None:
        return "unknown"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / 1024 / 1024:.1f} MiB"


def _table(info: StoreInfo) -> Table:
    table = Table(show_header=False, show_edge=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    schema = info.revision or "none (empty database)"
    if info.revision is not None and not info.up_to_date:
        schema += f" (this squall writes {info.head}: run `squall db upgrade`)"
    for key, value in (
        ("url", info.url),
        ("backend", info.backend),
        ("schema", schema),
        ("runs", str(info.runs)),
        ("workloads", str(info.workloads)),
        ("iterations", f"{info.iterations} in {info.chunks} chunks"),
        ("size", _size(info.size_bytes)),
    ):
        table.add_row(key, value)
    return table
