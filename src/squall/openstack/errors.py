"""openstacksdk and keystoneauth errors, translated into ``CloudError`` at the boundary.

Every call into the SDK made by squall goes through ``cloud_errors()`` (scenario
helpers, contexts, cleanup), so what a user or a report sees is one ``CloudError``
carrying the HTTP status and the request id, never an SDK traceback::

    with cloud_errors("nova.boot_server"):
        conn.compute.create_server(...)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from squall.errors import CloudError, SquallError

#: keystoneauth class names that mean "the cloud could not be reached at all"
_UNREACHABLE = {"ConnectFailure", "ConnectTimeout", "ConnectionError", "UnknownConnectionError"}
_TLS = {"SSLError"}
_CLOUD_MODULES = {"openstack", "keystoneauth1", "requests", "urllib3", "os_service_types"}
#: OpenSSL's reason inside urllib3's text: ``[SSL: CERTIFICATE_VERIFY_FAILED] certificate
#: verify failed: self-signed certificate (_ssl.c:1006)``
_TLS_REASON = re.compile(r"\[SSL(?:: \w+)?\] (.+?)(?: \(_ssl\.c:\d+\)|['\"]\))")
TLS_HINT = (
    "trust the cloud's CA with `cacert: /path/to/ca.pem` in its clouds.yaml entry "
    "(OS_CACERT; https_cacert in a Rally deployment), or, for a test cloud only, "
    "`verify: false` (OS_INSECURE=true; https_insecure: true)"
)


class ResourceNotFound(CloudError):
    """The cloud answered 404 for a resource squall asked for."""


class ResourceFailed(CloudError):
    """A resource went to an error status while squall waited for it."""


class WaitTimeout(CloudError):
    """A resource did not reach the wanted status within the waiter's timeout."""


def _status(exc: BaseException) -> int | None:
    for attr in ("status_code", "http_status"):
        value = getattr(exc, attr, None)
        if isinstance(value, int):
            return value
    response = getattr(exc, "response", None)
    code = getattr(response, "status_code", None)
    return code if isinstance(code, int) else None


def _request_id(exc: BaseException) -> str | None:
    value = getattr(exc, "request_id", None)
    if isinstance(value, str) and value:
        return value
    response = getattr(exc, "response", None)
    headers: Any = getattr(response, "headers", None)
    if headers is not None:
        for key in ("x-openstack-request-id", "x-compute-request-id"):
            found = headers.get(key)
            if found:
                return str(found)
    return None


def _text(exc: BaseException) -> str:
    details = getattr(exc, "details", None)
    message = getattr(exc, "message", None)
    for candidate in (details, message, str(exc)):
        if isinstance(candidate, str) and candidate.strip():
            return candidate.strip()
    return type(exc).__name__


def _hint(kind: str, status: int | None) -> str | None:
    if kind in _UNREACHABLE:
        return "check the auth URL and that the cloud's API endpoints answer from this host"
    if kind in _TLS:
        return TLS_HINT
    if status is not None and status >= 500:
        return "the service failed on its side: look in its logs (by request id if shown), retry"
    if status == 401 or kind in {"Unauthorized", "AuthorizationFailure"}:
        return "check the username, password, project and domains of the credentials"
    if status == 403:
        return "the user lacks the role this call needs (admin scenarios need an admin user)"
    if status == 413 or (status == 403 and "quota" in kind.lower()):
        return "a quota is exhausted; raise it or use the `quotas` context"
    if kind in {"EndpointNotFound", "CatalogException"}:
        return "the service is not in this cloud's catalog (or not in this region/interface)"
    if kind in {"MissingRequiredOptions", "ConfigException", "OpenStackConfigException"}:
        return "the cloud's credentials are incomplete; see `squall task start --help`"
    return None


def _root(exc: BaseException) -> BaseException:
    """The most telling exception of a chain: the SDK wraps keystoneauth's
    ``ConnectFailure`` or ``Unauthorized`` in a bare ``SDKException``."""
    seen: BaseException | None = exc
    while seen is not None:
        name = type(seen).__name__
        if name in _UNREACHABLE or name in _TLS or _status(seen) is not None:
            return seen
        seen = seen.__cause__ or seen.__context__
    return exc


def _short(text: str) -> str:
    """keystoneauth's connection errors repeat urllib3's; keep the first sentence and
    the reason (refused, timed out, the TLS failure OpenSSL names)."""
    head = text.split(": HTTPConnectionPool", 1)[0].split(": HTTPSConnectionPool", 1)[0]
    reason = "connection refused" if "Connection refused" in text else None
    if "timed out" in text.lower():
        reason = "timed out"
    tls = _TLS_REASON.search(text)
    if tls:
        reason = tls.group(1).strip()
    return f"{head} ({reason})" if reason else head


def translate(exc: BaseException, action: str = "") -> CloudError:
    """One ``CloudError`` for an SDK or keystoneauth exception (or anything else)."""
    if isinstance(exc, CloudError):
        return exc
    exc = _root(exc)
    kind = type(exc).__name__
    status = _status(exc)
    request_id = _request_id(exc)
    where = f"{action}: " if action else ""
    text = _text(exc)
    if kind in _UNREACHABLE or kind in _TLS:
        text = _short(text)
    head = f"HTTP {status} " if status is not None else ""
    rid = f" [request {request_id}]" if request_id else ""
    cls = ResourceNotFound if status == 404 or kind == "NotFoundException" else CloudError
    return cls(
        f"{where}{head}{kind}: {text}{rid}",
        hint=_hint(kind, status),
        status=status,
        request_id=request_id,
    )


@contextmanager
def cloud_errors(action: str = "") -> Iterator[None]:
    """Re-raise anything but squall's own errors as ``CloudError`` (``from`` the original)."""
    try:
        yield
    except SquallError:
        raise
    except Exception as exc:
        if not is_cloud_exception(exc):
            raise  # a bug in squall, not an answer from the cloud
        raise translate(exc, action) from exc


def is_cloud_exception(exc: BaseException) -> bool:
    """True for exceptions raised by the SDK, keystoneauth or the HTTP stack below them."""
    return type(exc).__module__.partition(".")[0] in _CLOUD_MODULES


def sdk_http_error(status: int, message: str) -> Exception:
    """The exception openstacksdk raises for an answer with HTTP ``status``: what a
    fake of the SDK (``squall.testing.cloud``) raises, so that the real translation
    above handles it."""
    from openstack import exceptions

    classes: dict[int, type[exceptions.HttpException]] = {
        400: exceptions.BadRequestException,
        404: exceptions.NotFoundException,
        409: exceptions.ConflictException,
    }
    return classes.get(status, exceptions.HttpException)(message, http_status=status)
