"""Small HTML helpers: escaping, tables and number formatting for the report."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from typing import Any

from squall.reports.redact import redact


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def seconds(value: float | None) -> str:
    if value is None:
        return "n/a"
    if value < 1:
        return f"{value * 1000:.3g} ms"
    return f"{value:.3f} s"


def number(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}g}"


def table(head: Sequence[str], rows: Iterable[Sequence[object]], cls: str = "grid") -> str:
    """A table of already-escaped cells (use ``esc`` on anything a user wrote)."""
    header = "".join(f"<th>{cell}</th>" for cell in head)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>'


def pretty_json(value: Any) -> str:
    """``value`` with secrets masked, as an escaped, indented JSON block."""
    text = json.dumps(redact(value), indent=2, sort_keys=True, default=str)
    return f"<pre>{esc(text)}</pre>"


def details(summary: str, body: str) -> str:
    return f"<details><summary>{summary}</summary>{body}</details>"
