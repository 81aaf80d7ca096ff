"""The web UI: one page and its assets, plotly from the installed package (no CDN).

``/ui/login?token=TOKEN`` checks the token and leaves it in an HttpOnly, SameSite
cookie, so the browser's page, its assets and its event stream are authenticated.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Annotated

import plotly.offline
from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from squall.server.auth import COOKIE, require_token, token_matches
from squall.server.schemas import ERRORS

public = APIRouter(prefix="/ui", tags=["ui"], responses=ERRORS)
router = APIRouter(prefix="/ui", tags=["ui"], dependencies=[Depends(require_token)])
MEDIA = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}


@cache
def _asset(name: str) -> str:
    return resources.files("squall.server").joinpath("ui", name).read_text("utf-8")


@cache
def _plotly() -> str:
    source: str = plotly.offline.get_plotlyjs()
    return source


@public.get(
    "/login",
    summary="Check the token and keep it in a cookie for the browser",
    status_code=status.HTTP_303_SEE_OTHER,
    response_class=RedirectResponse,
)
def login(
    request: Request, token: Annotated[str | None, Query(max_length=4096)] = None
) -> RedirectResponse:
    expected = request.app.state.settings.token
    if expected is not None and not token_matches(expected, token):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail="a valid token is required",
                            headers={"WWW-Authenticate": "Bearer"})  # fmt: skip
    response = RedirectResponse("/ui/", status_code=status.HTTP_303_SEE_OTHER)
    response.set_cookie(COOKIE, token or "", httponly=True, samesite="strict")
    return response


@router.get("/", summary="The web UI", response_class=HTMLResponse)
def index() -> HTMLResponse:
    return HTMLResponse(_asset("index.html"))


@router.get("/app.js", summary="The web UI's script", response_class=Response)
def script() -> Response:
    return Response(_asset("app.js"), media_type="text/javascript")


@router.get("/app.css", summary="The web UI's style", response_class=Response)
def style() -> Response:
    return Response(_asset("app.css"), media_type="text/css")


@router.get("/plotly.min.js", summary="plotly, from the installed package", response_class=Response)
def plotly_js() -> Response:
    return Response(_plotly(), media_type="text/javascript",
                    headers={"Cache-Control": "private, max-age=86400"})  # fmt: skip
