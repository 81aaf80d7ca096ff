"""Every route refuses a missing or a wrong token; the server refuses to start without one."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from squall.cli.server import app as server_cli
from squall.errors import ConfigError
from squall.server.settings import ServerSettings, checked

from .conftest import TOKEN

pytestmark = pytest.mark.integration


def every_route(app) -> list[tuple[str, str]]:
    """Every operation of the schema, plus the schema itself."""
    found = [("GET", "/openapi.json")]
    for path, operations in app.openapi()["paths"].items():
        for method in operations:
            found.append((method.upper(), re.sub(r"\{[^}]+\}", "last", path)))
    return found


def test_the_app_has_all_its_routes(app):
    paths = {path for _, path in every_route(app)}
    for expected in ("/api/v1/runs", "/api/v1/tasks", "/api/v1/runs/last/events", "/metrics",
                     "/openapi.json", "/ui/", "/ui/login", "/api/v1/cleanup", "/api/v1/plugins",
                     "/api/v1/dataplane/runs", "/api/v1/dataplane/runs/last/abort",
                     "/api/v1/dataplane/runs/last/events", "/api/v1/dataplane/validate"):  # fmt: skip
        assert expected in paths


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token-0123456789"},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Cookie": "squall_token=wrong"},
    ],
    ids=["missing", "wrong", "longer", "basic", "cookie"],
)
def test_every_route_refuses_without_the_token(app, client, headers):
    routes = every_route(app)
    assert len(routes) >= 20
    for method, path in routes:
        response = client.request(method, path, headers=headers, json={}, follow_redirects=False)
        assert response.status_code == 401, (method, path, response.status_code)
        assert response.headers.get("www-authenticate") == "Bearer"
        assert TOKEN not in response.text


def test_the_right_token_opens_them(client):
    assert (
        client.get("/api/v1/runs", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    )
    login = client.get(f"/ui/login?token={TOKEN}", follow_redirects=False)
    assert login.status_code == 303
    assert "httponly" in login.headers["set-cookie"].lower()
    try:
        assert client.get("/ui/").status_code == 200  # the cookie set by the login
        assert client.get("/api/v1/runs").status_code == 200
    finally:
        client.cookies.clear()
    assert client.get("/ui/").status_code == 401


def test_a_server_without_a_token_is_refused():
    with pytest.raises(ConfigError, match="needs a bearer token"):
        checked(ServerSettings(token=None))
    with pytest.raises(ConfigError, match="only on a loopback address"):
        checked(ServerSettings(token=None, insecure_dev=True, host="0.0.0.0"))
    with pytest.raises(ConfigError, match="too short"):
        checked(ServerSettings(token="short"))
    assert checked(ServerSettings(token=None, insecure_dev=True, host="::1")).token is None


def test_the_cli_refuses_to_serve_without_a_token(monkeypatch):
    monkeypatch.delenv("SQUALL_SERVER_TOKEN", raising=False)
    result = CliRunner().invoke(server_cli, ["--port", "1"])
    assert result.exit_code != 0
    assert isinstance(result.exception, ConfigError)
    assert "needs a bearer token" in result.exception.message
