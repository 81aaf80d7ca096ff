"""``squall``: the root command, and how errors become messages and exit codes.

Exit codes: 0 ok, 1 error (bad input, unreachable cloud, aborted run...),
2 a pass/fail criterion (SLA) failed.
"""

from __future__ import annotations

import sys

import click
import typer
from rich.console import Console
from rich.text import Text

from squall import __version__
from squall.cli import cleanup, dataplane, db, devcloud, faults, plugins, task
from squall.errors import SquallError

app = typer.Typer(
    name="squall",
    help="Measure an OpenStack cloud's control plane, data plane and resilience.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(task.app, name="task")
app.add_typer(plugins.app, name="plugins")
app.add_typer(db.app, name="db")
app.add_typer(devcloud.app, name="devcloud")
app.add_typer(dataplane.app, name="dataplane")
app.add_typer(cleanup.app, name="cleanup")
app.add_typer(faults.app, name="faults")


def _version(value: bool) -> None:
    if value:
        print(f"squall {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """squall measures what an OpenStack cloud does, and proves it."""


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; never lets a traceback reach a user for a known error."""
    err = Console(stderr=True)
    try:
        code = app(args=argv, standalone_mode=False)
    except SquallError as exc:
        err.print(Text.assemble(("error: ", "bold red"), exc.message), highlight=False)
        if exc.hint:
            err.print(Text.assemble(("hint: ", "yellow"), exc.hint), highlight=False)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        err.print("aborted")
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
