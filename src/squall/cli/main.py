"""``squall``: the root command, and how errors become messages and exit codes.

Exit codes: 0 ok, 1 error (bad input, unreachable cloud, aborted run...),
2 a pass/fail criterion (SLA) failed.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from typing import Any

import typer
from rich.console import Console
from rich.text import Text
from typer.core import TyperCommand, TyperGroup

from squall import __version__
from squall.errors import SquallError


@dataclass(frozen=True)
class _Lazy:
    """A command whose module is imported only when it is run (or its own help shown).

    ``group``: the module's ``app`` is mounted as ``squall NAME ...``; otherwise the
    module's ``register(app)`` adds one top-level command.
    """

    module: str
    help: str
    group: bool = True

    def load(self, name: str) -> Any:
        module = importlib.import_module(self.module)
        if self.group:
            command = typer.main.get_command(module.app)
            command.name = name
            return command
        holder = typer.Typer()
        module.register(holder)
        return typer.main.get_group(holder).commands.get(name)


COMMANDS: dict[str, _Lazy] = {
    "task": _Lazy("squall.cli.task", "Run control-plane tasks and look at their results."),
    "plugins": _Lazy("squall.cli.plugins", "List plugins and show their arguments."),
    "db": _Lazy("squall.cli.db", "Manage the results database."),
    "devcloud": _Lazy("squall.cli.devcloud", "A real, small OpenStack on this machine."),
    "dataplane": _Lazy("squall.cli.dataplane", "Data-plane tests: HTTP, iperf3, ping, fio."),
    "cleanup": _Lazy("squall.cli.cleanup", "Delete what squall left in a cloud."),
    "faults": _Lazy("squall.cli.faults", "Undo, list and preview faults (disruptors)."),
    "server": _Lazy("squall.cli.server", "REST API, live progress, web UI and metrics."),
    "init-jobs": _Lazy(
        "squall.cli.init_jobs", "Scaffold rally-jobs/ and a Zuul job for a project.", False
    ),
    "stress": _Lazy("squall.cli.stress", "Run existing tests as load.", False),
}


class _LazyGroup(TyperGroup):
    """The root command: subcommands are imported on use, so start-up stays fast."""

    _listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        eager = super().list_commands(ctx)
        return eager + [name for name in COMMANDS if name not in eager]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        lazy = COMMANDS.get(cmd_name)
        if command is not None or lazy is None:
            return command
        if self._listing:  # the root's help lists names and one line each
            return TyperCommand(cmd_name, help=lazy.help, short_help=lazy.help)
        return lazy.load(cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    name="squall",
    cls=_LazyGroup,
    help="Measure an OpenStack cloud's control plane, data plane and resilience.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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
    except typer.Abort:
        err.print("aborted")
        sys.exit(1)
    except typer.TyperException as exc:  # usage errors: bad option, missing argument...
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            err.print(str(exc), highlight=False)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
