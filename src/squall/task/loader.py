"""Task file in, typed ``Task`` out: read, render (Jinja2), parse, detect the format, translate.

``load_task`` raises ``TaskError`` listing every problem it can find at once, each with
file:line and the field path as the user wrote it (Rally paths stay Rally paths).
Plugins are not looked at here; ``task.validate`` does that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from squall.errors import Problem, TaskError
from squall.task import native, rally_compat
from squall.task.draft import Draft
from squall.task.model import SourceFormat, Task
from squall.task.parse import parse_text
from squall.task.source import Origins, Reader, SourceMap, format_path, trace_lines
from squall.task.template import parse_task_args, render

STDIN = "-"
STDIN_NAME = "<stdin>"


@dataclass
class LoadedTask:
    """A task as loaded: the model, where its parts are in the file, and the rendered text."""

    task: Task
    source: SourceMap
    origins: Origins = field(default_factory=Origins)
    text: str = ""
    name: str = ""

    def problem(
        self, model_path: tuple[str | int, ...], message: str, hint: str | None = None
    ) -> Problem:
        """A problem about a part of the model, placed where the user wrote that part."""
        return self.source.problem(self.origins.resolve(model_path), message, hint)


def load_task(
    path_or_dash: str | Path,
    *,
    task_args: str | None = None,
    task_args_file: Path | None = None,
    stdin: TextIO | None = None,
) -> LoadedTask:
    """Load a task file (``-`` reads ``stdin``) rendered with the given arguments."""
    raw, name, directory = _read_task(path_or_dash, stdin)
    args_text = _read_file(task_args_file, "--task-args-file") if task_args_file else None
    args = parse_task_args(task_args, args_text, str(task_args_file or ""))
    text = render(raw, directory, args, name)
    return load_text(text, name, rendered_to_file=trace_lines(raw, text))


def load_text(
    text: str, name: str, *, rendered_to_file: dict[int, int] | None = None
) -> LoadedTask:
    """Parse and translate already rendered task text (``rendered_to_file``: see ``parse_text``)."""
    parsed = parse_text(text, name, rendered_to_file=rendered_to_file)
    source = parsed.source
    if not isinstance(parsed.data, dict):
        raise TaskError(
            [Problem(name, "a task must be a mapping at the top level")],
            source=name,
        )
    reader = Reader(source)
    draft = _translate(parsed.data, reader)
    if reader.problems:
        raise TaskError(reader.problems, source=name)
    task = _build(draft, source)
    return LoadedTask(task=task, source=source, origins=draft.origins, text=text, name=name)


def detect_format(data: dict[Any, Any]) -> SourceFormat:
    """``squall``, ``rally-v2`` or ``rally-v1`` (Rally's rule: no ``version`` means v1)."""
    if "squall" in data:
        return "squall"
    if rally_compat.version_of(data) == 2:
        return "rally-v2"
    return "rally-v1"


def _translate(data: dict[Any, Any], reader: Reader) -> Draft:
    if detect_format(data) == "squall":
        return native.translate(data, reader)
    if "version" not in data and ("subtasks" in data or "title" in data):
        reader.report(
            (),
            "cannot tell the task format: no `squall:` or `version:` key",
            "start squall's own format with `squall: 1`, Rally's v2 format with `version: 2`",
        )
        return Draft("rally-v1")
    return rally_compat.translate(data, reader)


def _build(draft: Draft, source: SourceMap) -> Task:
    try:
        return Task.model_validate({**draft.task, "source_format": draft.source_format})
    except ValidationError as exc:
        problems = [
            source.problem(draft.origins.resolve(tuple(err["loc"])), _message(err))
            for err in exc.errors(include_url=False)
        ]
        raise TaskError(problems, source=source.name) from None


def _message(err: Any) -> str:
    if err["type"] == "missing":
        return "is required"
    return str(err["msg"])


def _read_task(path_or_dash: str | Path, stdin: TextIO | None) -> tuple[str, str, Path]:
    if str(path_or_dash) == STDIN:
        if stdin is None:
            raise TaskError([Problem(STDIN_NAME, "no standard input to read the task from")])
        try:
            return stdin.read(), STDIN_NAME, Path.cwd()
        except (OSError, UnicodeDecodeError) as exc:
            raise TaskError([Problem(STDIN_NAME, f"cannot read the task: {exc}")]) from None
    path = Path(path_or_dash).expanduser()
    return _read_file(path, "task file"), str(path_or_dash), path.parent


def _read_file(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")  # a byte-order mark is not part of the task
    except FileNotFoundError:
        raise TaskError([Problem(str(path), f"{what} not found")]) from None
    except IsADirectoryError:
        raise TaskError([Problem(str(path), f"{what} is a directory")]) from None
    except UnicodeDecodeError as exc:
        raise TaskError(
            [Problem(str(path), f"{what} is not UTF-8 text (byte {exc.start})")]
        ) from None
    except OSError as exc:
        raise TaskError(
            [Problem(str(path), f"cannot read {what}: {exc.strerror or exc}")]
        ) from None


__all__ = ["LoadedTask", "detect_format", "format_path", "load_task", "load_text"]
