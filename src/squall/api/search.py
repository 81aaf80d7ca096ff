"""Runs pushed to an OpenSearch / Elasticsearch server through its ``_bulk`` API."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from squall.api.reports import run_data
from squall.reports.bulk import INDICES, bulk_lines, documents
from squall.reports.push import PushResult, push
from squall.results.store import Store


def push_runs(
    store: Store,
    refs: Sequence[str],
    url: str,
    *,
    indices: Literal["squall", "rally"] = "squall",
    actions: bool = True,
    token: str | None = None,
    doc_type: str | None = None,
) -> PushResult:
    """Index the runs ``refs`` on the server at ``url`` (squall's or Rally's index names)."""
    docs = documents(run_data(store, refs), INDICES[indices], actions=actions)
    return push(bulk_lines(docs, doc_type), url, token=token)
