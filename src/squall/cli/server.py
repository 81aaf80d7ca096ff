"""``squall server``: the REST API, live progress, web UI and metrics over HTTP.

Mount: ``app.add_typer(server.app, name="server")`` in ``cli/main.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from squall.cli.options import DbOption, PluginPathOption
from squall.cli.render import terminal
from squall.server.settings import ServerSettings, checked

app = typer.Typer(help="Serve the REST API, live progress, a web UI and Prometheus metrics.")
out = terminal()


@app.callback(invoke_without_command=True)
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="SQUALL_SERVER_TOKEN",
            help="The bearer token every request must carry (16+ characters).",
            show_default=False,
        ),
    ] = None,
    insecure_dev: Annotated[
        bool,
        typer.Option("--insecure-dev", help="Serve without a token (loopback addresses only)."),
    ] = False,
    db: DbOption = None,
    plugin_path: PluginPathOption = None,
    dataplane_dir: Annotated[
        Path | None,
        typer.Option(
            "--dataplane-dir",
            envvar="SQUALL_DATAPLANE_DIR",
            help="Where data-plane runs started here keep their files"
            " [default: <user data dir>/squall/dataplane].",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve until Ctrl-C; runs started here go on in the background of this process."""
    import uvicorn

    from squall.server import logs
    from squall.server.app import create_app

    settings = checked(
        ServerSettings(
            token=token,
            db_url=db,
            plugin_paths=list(plugin_path or []),
            host=host,
            port=port,
            insecure_dev=insecure_dev,
            dataplane_dir=dataplane_dir,
        )
    )
    application = create_app(settings)
    where = f"http://{host}:{port}"
    out.print(f"squall server on {where}: API {where}/api/v1, schema {where}/openapi.json")
    out.print(f"web UI: {where}/ui/login?token=<your token>   metrics: {where}/metrics")
    if settings.token is None:
        out.print("[yellow]--insecure-dev: no token is checked[/yellow]")
    config = uvicorn.Config(application, host=host, port=port, log_level="info")  # sets up logs
    logs.install()
    uvicorn.Server(config).run()
