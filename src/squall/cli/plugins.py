"""``squall plugins ...``: what plugins exist and what arguments they take."""

from __future__ import annotations

import inspect
import json
from typing import Annotated

import typer
from pydantic import BaseModel
from rich.table import Table
from rich.text import Text

from squall.cli.options import PluginPathOption, registry
from squall.cli.render import terminal
from squall.errors import PluginError
from squall.jobs.catalogue import load_catalogue
from squall.plugins.families import Family
from squall.plugins.registry import did_you_mean

app = typer.Typer(help="List plugins and show their arguments.", no_args_is_help=True)
out = terminal()


@app.command("list")
def list_(
    family: Annotated[Family | None, typer.Option("--family", help="Only this family.")] = None,
    plugin_path: PluginPathOption = None,
) -> None:
    """List every plugin by family, with its one-line description."""
    table = Table(show_edge=False, header_style="bold")
    for col in ("family", "name", "description"):
        table.add_column(col)
    for info in registry(plugin_path).infos(family):
        table.add_row(info.family.value, info.name, info.summary)
    out.print(table)


@app.command()
def show(
    name: Annotated[str, typer.Argument(help="Plugin name, e.g. Dummy.dummy or rps.")],
    plugin_path: PluginPathOption = None,
) -> None:
    """Show a plugin's documentation and arguments."""
    reg = registry(plugin_path)
    infos = reg.find(name)
    if not infos:
        every = sorted({i.name for i in reg.infos()})
        raise PluginError(f"no plugin named {name!r}", hint=did_you_mean(name, every))
    for info in infos:
        cls = info.load()
        out.print(Text(f"{info.name} ({info.family.value}, from {info.origin})", style="bold"))
        out.print(inspect.getdoc(cls) or "(no documentation)")
        services = load_catalogue().by_scenario().get(info.name, [])
        if info.family is Family.SCENARIO and services:
            out.print(
                Text(
                    f"A core operation of {', '.join(services)} in the tasks `squall init-jobs`"
                    " writes (squall init-jobs --list-services).",
                    style="dim",
                )
            )
        out.print()
        out.print(_arguments(cls.Config))


def _arguments(config: type[BaseModel]) -> Table:
    table = Table(title="Arguments", show_edge=False, header_style="bold")
    for col in ("name", "type", "default", "description"):
        table.add_column(col)
    for field_name, field in config.model_fields.items():
        default = (
            "required"
            if field.is_required()
            else json.dumps(field.get_default(call_default_factory=True), default=str)
        )
        name = field.alias or field_name  # what a user writes
        table.add_row(name, _type_name(field.annotation), default, field.description or "")
    return table


def _type_name(annotation: object) -> str:
    return getattr(annotation, "__name__", None) or str(annotation).replace("typing.", "")
