"""Bearer-token authentication for every route."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from squall.server.settings import ServerSettings

COOKIE = "squall_token"
bearer = HTTPBearer(auto_error=False, description="The server's token.")


def token_matches(expected: str, given: str | None) -> bool:
    return given is not None and secrets.compare_digest(expected.encode(), given.encode())


def require_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """Pass with the right token in the Authorization header or the UI's cookie."""
    settings: ServerSettings = request.app.state.settings
    if settings.token is None:  # --insecure-dev on loopback
        return
    given = credentials.credentials if credentials is not None else request.cookies.get(COOKIE)
    if not token_matches(settings.token, given):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="a valid bearer token is required",
            headers={"WWW-Authenticate": "Bearer"},
        )
