"""Send ``_bulk`` NDJSON to an OpenSearch or Elasticsearch server, in batches.

Credentials come from the URL (``https://user:password@host:9200``) or a bearer
token; neither ever appears in a message.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx

from squall.errors import ExportError
from squall.reports.redact import redact_text

BATCH_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class PushResult:
    documents: int
    requests: int


def push(
    lines: Iterable[str],
    url: str,
    *,
    token: str | None = None,
    timeout: float = 60.0,
    batch_bytes: int = BATCH_BYTES,
) -> PushResult:
    """POST ``lines`` (action/source pairs) to ``url``/_bulk; raise ExportError on any failure."""
    base, auth = _split_credentials(url)
    headers = {"Content-Type": "application/x-ndjson"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    shown = redact_text(url)
    count = requests = 0
    with httpx.Client(base_url=base, auth=auth, headers=headers, timeout=timeout) as client:
        for body, docs in _batches(lines, batch_bytes):
            _send(client, body, shown)
            count += docs
            requests += 1
    return PushResult(count, requests)


def _send(client: httpx.Client, body: bytes, shown: str) -> None:
    try:
        response = client.post("/_bulk", content=body)
    except httpx.HTTPError as exc:
        raise ExportError(
            f"cannot reach {shown}: {exc}", hint="check the URL and that the server is up"
        ) from exc
    if response.status_code in (401, 403):
        raise ExportError(f"{shown} refused the credentials ({response.status_code})")
    if response.status_code >= 400:
        raise ExportError(f"{shown} answered {response.status_code}: {response.text[:300]}")
    try:
        answer = response.json()
    except json.JSONDecodeError as exc:
        raise ExportError(
            f"{shown} did not answer like a _bulk API: {response.text[:200]}"
        ) from exc
    if answer.get("errors"):
        raise ExportError(f"{shown} rejected documents: {_first_error(answer)}")


def _first_error(answer: dict[str, object]) -> str:
    items = answer.get("items")
    for item in items if isinstance(items, list) else []:
        for outcome in item.values() if isinstance(item, dict) else []:
            if isinstance(outcome, dict) and outcome.get("error"):
                return f"{outcome.get('_id')}: {json.dumps(outcome['error'])[:300]}"
    return "no detail given"


def _batches(lines: Iterable[str], limit: int) -> Iterator[tuple[bytes, int]]:
    """Pairs of lines gathered into bodies of about ``limit`` bytes: (body, documents)."""
    chunk: list[bytes] = []
    size = docs = 0
    pending: bytes | None = None
    for line in lines:
        data = line.encode("utf-8")
        if pending is None:
            pending = data
            continue
        pair = pending + data
        pending = None
        if chunk and size + len(pair) > limit:
            yield b"".join(chunk), docs
            chunk, size, docs = [], 0, 0
        chunk.append(pair)
        size += len(pair)
        docs += 1
    if chunk:
        yield b"".join(chunk), docs


def _split_credentials(url: str) -> tuple[str, tuple[str, str] | None]:
    parts = urlsplit(url.rstrip("/"))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ExportError(
            f"{redact_text(url)} is not an http(s) URL", hint="e.g. https://host:9200"
        )
    auth = (parts.username or "", parts.password or "") if parts.username else None
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", "")), auth
