"""Jinja2 rendering of task files, as Rally does it, with errors that point at a line.

- Templates load from the task file's directory, so ``{% include %}`` is relative to it.
- Globals ``min``, ``max``, ``ceil`` and ``round`` (the last two give integers, as in Rally).
- A variable the template uses but nobody passed is an error naming it, unless the
  template gives it a default: ``{% set x = x or 1 %}``, ``x | default(1)``, or a
  ``x is defined`` test. Printing a missing value is an error too, even in an include.
- ``--task-args`` (YAML, JSON or ``k=v,k2=v2``) is merged over ``--task-args-file``.

Jinja2 is imported only when a task actually contains template syntax.
"""

from __future__ import annotations

import builtins
import math
import re
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from squall.errors import Problem, TaskError

if TYPE_CHECKING:
    import jinja2

MAIN_TEMPLATE = "<template>"  # the file name Jinja2 gives a template made from a string
_MARKERS = ("{{", "{%", "{#")


def has_template_syntax(text: str) -> bool:
    return any(marker in text for marker in _MARKERS)


def render(text: str, directory: Path, args: dict[str, Any], name: str) -> str:
    """Render ``text`` (read from ``name`` in ``directory``) with ``args``."""
    if not has_template_syntax(text):
        return text
    import jinja2

    env = _environment(directory)
    try:
        ast = env.parse(text)
        # compiling for the variable check also finds unknown filters and tests
        _check_missing(env, ast, text, args, name)
    except jinja2.TemplateSyntaxError as exc:
        raise TaskError(
            [Problem(f"{name}:{exc.lineno}", f"template error: {exc.message}")]
        ) from None
    except RecursionError:
        raise TaskError([Problem(name, "template error: nested too deeply")]) from None
    try:
        return env.from_string(text).render(**args)
    except Exception as exc:  # any error raised by user template code
        raise TaskError([_render_problem(exc, directory, name)]) from None


def _environment(directory: Path) -> jinja2.Environment:
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    class TaskUndefined(jinja2.StrictUndefined):
        """Strict, except that a missing value is false (for ``x or default``)."""

        def __bool__(self) -> bool:  # type: ignore[override]
            return False

    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(directory)),
        undefined=TaskUndefined,
        keep_trailing_newline=True,
    )
    env.globals.update(min=min, max=max, ceil=_ceil, round=_round)
    return env


def _ceil(value: float) -> int:
    return math.ceil(value)


def _round(value: float) -> int:
    return round(value)


def _check_missing(
    env: jinja2.Environment, ast: Any, text: str, args: dict[str, Any], name: str
) -> None:
    from jinja2 import meta

    used = meta.find_undeclared_variables(ast)
    missing = sorted(used - set(args) - set(dir(builtins)) - set(env.globals))
    problems = [
        Problem(
            f"{name}:{_first_line(text, var)}",
            f"template variable {var!r} is not set",
            f"pass it with --task-args '{{{var}: ...}}' or --task-args-file, "
            f"or give it a default: {{{{ {var} | default(...) }}}}",
        )
        for var in missing
        if not _has_default(var, text)
    ]
    if problems:
        raise TaskError(problems)


def _has_default(var: str, text: str) -> bool:
    name = re.escape(var)
    patterns = (
        rf"{{%-?\s*set\s+{name}\s*=\s*{name}\W",  # {% set x = x or ... %}
        rf"\b{name}\s*\|\s*default\(",  # x | default(...)
        rf"\b{name}\s+is\s+(not\s+)?defined\b",  # x is defined
    )
    return any(re.search(p, text) for p in patterns)


def _first_line(text: str, var: str) -> int:
    match = re.search(rf"\b{re.escape(var)}\b", text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _render_problem(exc: Exception, directory: Path, name: str) -> Problem:
    import jinja2

    where = _template_line(exc.__traceback__, directory, name)
    if isinstance(exc, jinja2.UndefinedError):
        return Problem(
            where,
            f"template error: {exc.message}",
            "pass the value with --task-args or --task-args-file, or give it a default",
        )
    if isinstance(exc, jinja2.TemplateNotFound):
        return Problem(where, f"template error: cannot include {exc.name!r}: no such file")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        file = exc.filename or exc.name or name
        return Problem(f"{file}:{exc.lineno}", f"template error: {exc.message}")
    if isinstance(exc, jinja2.TemplateError):
        return Problem(where, f"template error: {exc.message}")
    return Problem(where, f"template error: {type(exc).__name__}: {exc}")


def _template_line(tb: TracebackType | None, directory: Path, name: str) -> str:
    """file:line of the innermost template frame in ``tb``."""
    where = name
    root = str(directory)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename == MAIN_TEMPLATE:
            where = f"{name}:{tb.tb_lineno}"
        elif filename.startswith(root) and not filename.endswith(".py"):
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def parse_task_args(raw: str | None, file_text: str | None, file_name: str) -> dict[str, Any]:
    """``--task-args`` merged over the mapping in ``--task-args-file`` (read by the caller)."""
    args: dict[str, Any] = {}
    if file_text is not None:
        args.update(_args_file(file_text, file_name))
    if raw:
        args.update(_args_option(raw))
    return args


def _args_file(text: str, name: str) -> dict[str, Any]:
    from squall.task.parse import parse_text

    if not text.strip():
        return {}
    data = parse_text(text, name).data
    if not isinstance(data, dict):
        raise TaskError([Problem(name, "task arguments must be a YAML or JSON mapping")])
    return _string_keys(data, name)


def _args_option(raw: str) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError:
        data = raw
    if data is None:
        return {}
    if isinstance(data, dict):
        return _string_keys(data, "--task-args")
    if isinstance(data, str):
        return _key_values(raw)
    raise TaskError(
        [Problem("--task-args", "must be a YAML or JSON mapping, or k=v,k2=v2")],
    )


def _key_values(raw: str) -> dict[str, Any]:
    """Rally's fallback: ``k=v,k2=v2`` (values read as YAML scalars: numbers, booleans)."""
    import yaml

    pairs = [item.split("=", 1) for item in raw.split(",")]
    if any(len(pair) != 2 or not pair[0].strip() for pair in pairs):
        raise TaskError(
            [Problem("--task-args", f"{raw!r} is neither a YAML/JSON mapping nor k=v,k2=v2")],
        )
    result: dict[str, Any] = {}
    for key, value in pairs:
        try:
            parsed = yaml.safe_load(value)
        except yaml.YAMLError:
            parsed = value
        result[key.strip()] = value if isinstance(parsed, dict | list) else parsed
    return result


def _string_keys(data: dict[Any, Any], name: str) -> dict[str, Any]:
    bad = [key for key in data if not isinstance(key, str) or not key.isidentifier()]
    if bad:
        raise TaskError(
            [Problem(name, f"argument names must be identifiers, got {bad[0]!r}")],
        )
    return data
