"""Where things are in a task file: field paths, line numbers, and reading with both.

A *path* is a tuple of mapping keys and sequence indexes from the document root,
e.g. ``("subtasks", 0, "runner", "concurrency")``, printed as
``subtasks[0].runner.concurrency``. The parser records the line of every mapping key
and sequence item in a ``SourceMap``; translators record, in ``Origins``, which path of
the original file each part of the ``task.model`` came from, so that a problem found in
the model is reported where the user wrote it.

``Reader`` walks raw parsed data for the translators and collects ``Problem``s (with
their file:line) instead of stopping at the first one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from squall.errors import Problem
from squall.plugins.registry import did_you_mean

Key = str | int
Path = tuple[Key, ...]

_BARE_KEY = re.compile(r"^[A-Za-z_][\w.@-]*$")


def format_path(path: tuple[object, ...]) -> str:
    """``("subtasks", 0, "runner")`` -> ``subtasks[0].runner``."""
    text = ""
    for key in path:
        if isinstance(key, int):
            text += f"[{key}]"
        elif isinstance(key, str) and _BARE_KEY.match(key):
            text += f".{key}" if text else key
        else:  # not a plain name, or not a string at all (a YAML key may be null, 1.5, ...)
            text += f"[{key!r}]"
    return text


@dataclass
class SourceMap:
    """Line numbers (1-based) of the mapping keys and sequence items of one document.

    Lines are those of the text as parsed. When Jinja2 rendering moved lines,
    ``rendered_to_file`` maps each rendered line that can be traced back to its line in
    the file; the others are shown as "rendered line N". ``None`` means the rendered
    text has the file's lines.
    """

    name: str
    lines: dict[Path, int] = field(default_factory=dict)
    rendered_to_file: dict[int, int] | None = None

    def line_of(self, path: Path) -> int | None:
        """The line of ``path``, or of its nearest recorded ancestor."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None

    def where(self, path: Path) -> str:
        """``task.yaml:12`` (or ``task.yaml (rendered line 12)`` when templating moved lines)."""
        line = self.line_of(path)
        return self.name if line is None else self.at_line(line)

    def file_line(self, line: int) -> int | None:
        """The file's line for a line of the parsed text, if it can be traced."""
        if self.rendered_to_file is None:
            return line
        return self.rendered_to_file.get(line)

    def at_line(self, line: int) -> str:
        traced = self.file_line(line)
        if traced is None:
            return f"{self.name} (rendered line {line})"
        return f"{self.name}:{traced}"

    def problem(self, path: Path, message: str, hint: str | None = None) -> Problem:
        text = format_path(path)
        location = f"{self.where(path)}: {text}" if text else self.where(path)
        return Problem(location, message, hint)


@dataclass
class Origins:
    """Which original-file path each model path (or its longest recorded prefix) came from."""

    paths: dict[Path, Path] = field(default_factory=dict)

    def add(self, model_path: Path, original: Path) -> None:
        self.paths[model_path] = original

    def resolve(self, model_path: Path) -> Path:
        for end in range(len(model_path), -1, -1):
            original = self.paths.get(model_path[:end])
            if original is not None:
                return original + model_path[end:]
        return model_path


#: Above this many lines, rendered text is not traced back to the file (difflib is quadratic).
MAX_TRACED_LINES = 20_000


def trace_lines(written: str, rendered: str) -> dict[int, int] | None:
    """Map lines of ``rendered`` back to lines of ``written`` (the template).

    Lines that templating left alone match exactly; a run of changed lines maps one
    to one when it kept its length (``{{ value }}`` substitutions). Lines made by
    loops or includes stay unmapped. ``None`` when nothing moved.
    """
    if written == rendered:
        return None
    old, new = written.splitlines(), rendered.splitlines()
    if len(old) == len(new):
        return None
    if len(new) > MAX_TRACED_LINES or len(old) > MAX_TRACED_LINES:
        return {}
    mapping: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            mapping.update((j1 + k + 1, i1 + k + 1) for k in range(j2 - j1))
    return mapping


def type_name(value: object) -> str:
    """How a YAML/JSON user would call the type of ``value``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class Reader:
    """Reads raw task data at known paths; every mistake becomes a located ``Problem``."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def report(self, path: Path, message: str, hint: str | None = None) -> None:
        self.problems.append(self.source.problem(path, message, hint))

    def mapping(self, value: Any, path: Path, *, what: str = "") -> dict[Any, Any] | None:
        """``value`` if it is a mapping, else ``None`` after reporting it."""
        if isinstance(value, dict):
            return value
        self.report(path, f"must be a mapping{what}, not {type_name(value)}")
        return None

    def sequence(self, value: Any, path: Path, *, non_empty: bool = False) -> list[Any] | None:
        if not isinstance(value, list):
            self.report(path, f"must be a list, not {type_name(value)}")
            return None
        if non_empty and not value:
            self.report(path, "must not be empty")
            return None
        return value

    def items(self, data: dict[Any, Any], key: str, path: Path) -> list[Any]:
        """The non-empty list at ``data[key]``; ``[]`` if it is absent (a missing key is
        reported by ``check_keys``) or is not such a list (reported here)."""
        if key not in data:
            return []
        return self.sequence(data[key], (*path, key), non_empty=True) or []

    def string(self, value: Any, path: Path) -> str | None:
        if isinstance(value, str) and value:
            return value
        if value == "":
            self.report(path, "must not be empty")
        else:
            self.report(path, f"must be a string, not {type_name(value)}")
        return None

    def check_keys(
        self,
        data: dict[Any, Any],
        path: Path,
        *,
        allowed: Iterable[str],
        required: Iterable[str] = (),
    ) -> bool:
        """Report unknown and missing keys; true if there were none."""
        allowed = list(allowed)
        ok = True
        for key in data:
            if key not in allowed:
                ok = False
                hint = did_you_mean(str(key), allowed) or f"allowed: {', '.join(allowed)}"
                self.report((*path, key), "unknown key", hint)
        for key in required:
            if key not in data:
                ok = False
                self.report(path, f"missing required key {key!r}")
        return ok

    def single_entry(self, value: Any, path: Path, *, what: str) -> tuple[str, Any] | None:
        """A ``{name: args}`` mapping with exactly one key (Rally's "single entity")."""
        data = self.mapping(value, path, what=f" with one {what} name as its key")
        if data is None:
            return None
        if len(data) != 1:
            self.report(
                path,
                f"must have exactly one key (the {what} name), found {len(data)}",
                "write it as {NAME: {...arguments}}",
            )
            return None
        name, args = next(iter(data.items()))
        if not isinstance(name, str) or not name:
            self.report(path, f"the {what} name must be a non-empty string")
            return None
        return name, args


def iter_paths(data: Any, path: Path = ()) -> Iterator[Path]:
    """Every path in ``data`` (used by tests to check that all of them have a line)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*path, key)
            yield from iter_paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield (*path, index)
            yield from iter_paths(value, (*path, index))
