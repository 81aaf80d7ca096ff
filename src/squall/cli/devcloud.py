"""``squall devcloud up | status | down | env``: a real small OpenStack on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from squall.devcloud import config as dc_config
from squall.devcloud import control
from squall.devcloud.up import up as devcloud_up

app = typer.Typer(
    help="A real, small OpenStack on this machine (127.0.0.1 only) for tests and demos.",
    no_args_is_help=True,
)

DirOption = Annotated[
    Path | None,
    typer.Option(
        "--dir",
        help="Where the devcloud lives [default: ~/.local/share/squall/devcloud, "
        "or $SQUALL_DEVCLOUD_DIR].",
        show_default=False,
    ),
]


def _echo(message: str) -> None:
    typer.echo(message, err=True)


@app.command()
def up(
    directory: DirOption = None,
    computes: Annotated[
        int | None,
        typer.Option(help="Number of fake nova-compute hosts (at least 2) [default: 2]."),
    ] = None,
    constraints: Annotated[
        Path | None,
        typer.Option(help="pip constraints file for the OpenStack venv [default: squall's]."),
    ] = None,
    port_offset: Annotated[
        int | None, typer.Option(help="Add this to every default port (a second devcloud).")
    ] = None,
    port: Annotated[
        list[str] | None,
        typer.Option(help="Override one port, NAME=PORT (repeatable), e.g. keystone=15000."),
    ] = None,
    clouds_yaml: Annotated[
        Path | None,
        typer.Option(
            help="clouds.yaml to merge the 'devcloud' entry into "
            "[default: ~/.config/openstack/clouds.yaml]."
        ),
    ] = None,
) -> None:
    """Install and start the devcloud; does nothing if a healthy one is running."""
    config = dc_config.load_config(
        directory=directory,
        computes=computes,
        constraints=constraints,
        port_offset=port_offset,
        ports=dc_config.parse_port_overrides(port or []),
        clouds_yaml=clouds_yaml,
    )
    result = devcloud_up(config, report=_echo)
    if not result.started:
        _echo(f"devcloud already running in {result.config.directory}: nothing changed")
    else:
        _echo(f"devcloud up in {result.seconds:.0f} s")
    typer.echo(
        f"export OS_CLOUD={dc_config.CLOUD_NAME}   "
        f'# or: eval "$(squall devcloud env)"  ({result.config.clouds_yaml})'
    )


@app.command()
def status(directory: DirOption = None) -> None:
    """Probe every service: state, port, PID and resident memory. Exit 1 unless all run."""
    config = control.effective_config(dc_config.load_config(directory=directory))
    rows = control.status(config)
    typer.echo(f"{'SERVICE':18} {'STATE':24} {'PORT':>6} {'PID':>8} {'RSS MiB':>8}")
    for row in rows:
        port = str(row.port) if row.port else "-"
        pid = str(row.pid) if row.pid else "-"
        rss = f"{row.rss_bytes / 2**20:.0f}" if row.pid else "-"
        typer.echo(f"{row.name:18} {row.state:24} {port:>6} {pid:>8} {rss:>8}")
    total = sum(row.rss_bytes for row in rows)
    running = sum(row.ok for row in rows)
    typer.echo(
        f"{running}/{len(rows)} running, {total / 2**20:.0f} MiB resident, in {config.directory}"
    )
    if running != len(rows):
        raise typer.Exit(1)


@app.command()
def down(
    directory: DirOption = None,
    wipe: Annotated[
        bool,
        typer.Option(
            "--wipe",
            help="Also delete databases, configs, logs and the clouds.yaml entries "
            "(keeps the OpenStack venv).",
        ),
    ] = False,
) -> None:
    """Stop every process the devcloud started (SIGTERM, then SIGKILL after a grace period)."""
    outcome = control.down(dc_config.load_config(directory=directory), wipe=wipe)
    for name, how in outcome.items():
        _echo(f"{how} {name}")
    _echo(
        "devcloud down" + (" and wiped" if wipe else "")
        if outcome or wipe
        else "no devcloud was running"
    )


@app.command()
def env(
    directory: DirOption = None,
    user: Annotated[str, typer.Option(help="admin or demo.")] = "admin",
) -> None:
    """Print OS_* exports for the devcloud: eval "$(squall devcloud env)"."""
    typer.echo(control.env_text(dc_config.load_config(directory=directory), user), nl=False)
