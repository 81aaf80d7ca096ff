"""Rendered task text -> plain data + the line of every key and item.

YAML is safe-loaded through its node tree so that each mapping key and sequence item
keeps its line; mapping order is kept, a repeated key is an error (as in Rally), and
merge keys (``<<``) and anchors work. JSON is read by the same path (it is YAML) and,
if the YAML reader rejects it (tabs, for instance), by ``json`` with a duplicate-key
check; errors in text that looks like JSON are reported as JSON errors.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from squall.errors import Problem, TaskError
from squall.task.source import Key, Path, SourceMap, format_path

#: A document that expands (through aliases) to more nodes than this is refused.
MAX_NODES = 200_000
#: Deeper nesting than this is refused (no task needs it; Python's stack would).
MAX_DEPTH = 64
_TOO_DEEP = f"the task is nested too deeply (more than {MAX_DEPTH} levels)"

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Parsed:
    data: Any
    source: SourceMap


def parse_text(text: str, name: str, *, rendered_to_file: dict[int, int] | None = None) -> Parsed:
    """Parse rendered task text; raise ``TaskError`` with the parser's line and column.

    ``rendered_to_file``: how lines of ``text`` trace back to the file when templating
    moved them (see ``source.trace_lines``).
    """
    source = SourceMap(name, rendered_to_file=rendered_to_file)
    if not text.strip():
        raise TaskError([Problem(name, "the task is empty")])
    try:
        data = _parse_yaml(text, source)
    except yaml.YAMLError as exc:
        if _looks_like_json(text):
            return Parsed(_parse_json(text, source), source)
        raise TaskError([_yaml_problem(exc, text, source)]) from None
    except RecursionError:
        raise TaskError([Problem(name, _TOO_DEEP)]) from None
    if data is None:
        raise TaskError([Problem(name, "the task is empty")])
    return Parsed(data, source)


def _looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")


def _yaml_problem(exc: yaml.YAMLError, text: str, source: SourceMap) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    message = " ".join(p for p in (context, problem) if p) or str(exc)
    if mark is None:
        return Problem(source.name, f"not valid YAML or JSON: {message}")
    return _at(source, text, mark.line + 1, mark.column + 1, f"not valid YAML or JSON: {message}")


def _at(source: SourceMap, text: str, line: int, column: int, message: str) -> Problem:
    """A problem at line:column; quotes the line when it is only in the rendered text."""
    traced = source.file_line(line)
    if traced is not None:
        return Problem(f"{source.name}:{traced}:{column}", message)
    lines = text.splitlines()
    shown = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    hint = f"the rendered line reads: {shown}" if shown else None
    return Problem(source.at_line(line), message, hint)


def _parse_json(text: str, source: SourceMap) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        problem = _at(source, text, exc.lineno, exc.colno, f"not valid JSON: {exc.msg}")
        raise TaskError([problem]) from None
    except _DuplicateKey as exc:
        raise TaskError(
            [Problem(source.name, f"key {exc.key!r} is repeated in one object")]
        ) from None
    except RecursionError:
        raise TaskError([Problem(source.name, _TOO_DEEP)]) from None


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _parse_yaml(text: str, source: SourceMap) -> Any:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise TaskError([Problem(source.name, "the task is empty")])
        source.lines[()] = node.start_mark.line + 1
        builder = _Builder(loader, source)
        data = builder.build(node, ())
    finally:
        loader.dispose()
    if builder.problems:
        raise TaskError(builder.problems)
    return data


class _Builder:
    """Turns a composed YAML node tree into plain data, recording lines on the way."""

    def __init__(self, loader: yaml.SafeLoader, source: SourceMap) -> None:
        self.loader = loader
        self.source = source
        self.problems: list[Problem] = []
        self.count = 0
        self.active: set[int] = set()

    def build(self, node: Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise TaskError([Problem(self.source.name, "the task expands to too many values")])
        if isinstance(node, ScalarNode):
            return self.loader.construct_object(node, deep=True)
        if len(path) > MAX_DEPTH:
            raise TaskError([Problem(self.source.where(path), _TOO_DEEP)])
        if id(node) in self.active:
            raise TaskError([self.source.problem(path, "a YAML alias refers to itself")])
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return self._sequence(node, path)
            if isinstance(node, MappingNode):
                return self._mapping(node, path)
        finally:
            self.active.discard(id(node))
        raise TaskError([self.source.problem(path, f"unexpected YAML node {node.tag}")])

    def _sequence(self, node: SequenceNode, path: Path) -> list[Any]:
        items = []
        for index, child in enumerate(node.value):
            self.source.lines.setdefault((*path, index), child.start_mark.line + 1)
            items.append(self.build(child, (*path, index)))
        return items

    def _mapping(self, node: MappingNode, path: Path) -> dict[Any, Any]:
        self._check_duplicates(node, path)
        self.loader.flatten_mapping(node)  # resolves merge keys (<<)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.problems.append(self.source.problem(path, "a mapping key must be a scalar"))
                continue
            key = self.build(key_node, path)
            if not _hashable(key):
                self.problems.append(self.source.problem(path, "a mapping key must be a scalar"))
                continue
            child = (*path, _path_key(key))
            self.source.lines.setdefault(child, key_node.start_mark.line + 1)
            result[key] = self.build(value_node, child)
        return result

    def _check_duplicates(self, node: MappingNode, path: Path) -> None:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node, ScalarNode):
                continue
            key = self.loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if _hashable(key) and key in seen:
                shown = format_path((*path, _path_key(key)))
                self.problems.append(
                    Problem(
                        f"{self.source.at_line(line)}: {shown}",
                        f"key {key!r} is repeated (first at line {seen[key]})",
                        "each key may appear once in a mapping",
                    )
                )
            elif _hashable(key):
                seen[key] = line


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _path_key(key: object) -> Key:
    if isinstance(key, str) or (isinstance(key, int) and not isinstance(key, bool)):
        return key
    return repr(key)
