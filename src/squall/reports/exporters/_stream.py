"""JSON written as it is produced (private).

``write_json`` writes an ordinary JSON value, except that a ``Stream`` anywhere in
it becomes an array whose items are pulled one at a time and written one per line
compactly, so a million iterations pass through a constant amount of memory. A
``Stream(items, indented=False)`` starts its lines at column 0: with short items the
indentation would be a tenth of the file.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from typing import Any, TextIO


class Stream:
    """A JSON array whose items are produced lazily."""

    __slots__ = ("indented", "items")

    def __init__(self, items: Iterable[Any], *, indented: bool = True) -> None:
        self.items = items
        self.indented = indented

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)


def write_json(out: TextIO, value: Any, *, indent: int = 2) -> None:
    _write(out, value, indent, 0)
    out.write("\n")


def finite(value: float | None) -> float | None:
    """``value``, or None where JSON has no number for it (NaN, infinities)."""
    if value is None or math.isfinite(value):
        return value
    return None


def _write(out: TextIO, value: Any, indent: int, level: int) -> None:
    if isinstance(value, Stream):
        _write_items(out, value, indent, level)
    elif isinstance(value, dict) and _holds_stream(value):
        _write_object(out, value, indent, level)
    elif isinstance(value, list) and _holds_stream(value):
        _write_array(out, value, indent, level)
    else:
        text = json.dumps(value, indent=indent or None, ensure_ascii=False, allow_nan=False)
        out.write(text.replace("\n", "\n" + " " * (indent * level)))


def _holds_stream(value: Any) -> bool:
    if isinstance(value, Stream):
        return True
    if isinstance(value, dict):
        return any(_holds_stream(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_stream(v) for v in value)
    return False


def _write_object(out: TextIO, value: dict[str, Any], indent: int, level: int) -> None:
    pad = "\n" + " " * (indent * (level + 1))
    out.write("{")
    for i, (key, item) in enumerate(value.items()):
        out.write(("," if i else "") + pad + json.dumps(key, ensure_ascii=False) + ": ")
        _write(out, item, indent, level + 1)
    out.write("\n" + " " * (indent * level) + "}")


def _write_array(out: TextIO, value: list[Any], indent: int, level: int) -> None:
    pad = "\n" + " " * (indent * (level + 1))
    out.write("[")
    for i, item in enumerate(value):
        out.write(("," if i else "") + pad)
        _write(out, item, indent, level + 1)
    out.write("\n" + " " * (indent * level) + "]" if value else "]")


def _write_items(out: TextIO, items: Stream, indent: int, level: int) -> None:
    pad = "\n" + " " * (indent * (level + 1) if items.indented else 0)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
    out.write("[")
    empty = True
    for item in items:
        out.write(("," if not empty else "") + pad + dumps(item))
        empty = False
    out.write("]" if empty else "\n" + " " * (indent * level) + "]")
