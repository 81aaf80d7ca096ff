"""Plan file in, typed ``Plan`` out: Jinja2 and YAML/JSON with lines, as task files are read.

Reuses the task loader's pieces (``task.template.render``, ``task.parse.parse_text``,
``SourceMap``), so a mistake is reported as ``plan.yaml:12: tests[0].duration: ...``.
Tool arguments are validated here too, against each tool's ``Config``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from squall.dataplane.plan import Plan
from squall.dataplane.tools import BUILTIN, get_tool
from squall.dataplane.tools.custom import find_custom_test
from squall.errors import Problem, TaskError
from squall.plugins.registry import did_you_mean
from squall.task.parse import parse_text
from squall.task.source import Path as KeyPath
from squall.task.source import SourceMap, trace_lines
from squall.task.template import parse_task_args, render


def load_plan(
    path: Path, *, plan_args: str | None = None, plan_args_file: Path | None = None
) -> Plan:
    name = str(path)
    raw = _read(path, "plan file")
    args_text = _read(plan_args_file, "--plan-args-file") if plan_args_file else None
    args = parse_task_args(plan_args, args_text, str(plan_args_file or ""))
    text = render(raw, path.expanduser().parent, args, name)
    return load_plan_text(
        text, name, rendered_to_file=trace_lines(raw, text), base=path.expanduser().parent
    )


def load_plan_text(
    text: str,
    name: str,
    *,
    rendered_to_file: dict[int, int] | None = None,
    base: Path | None = None,
) -> Plan:
    """Parse and validate rendered plan text; ``custom_tests`` is resolved against ``base``."""
    parsed = parse_text(text, name, rendered_to_file=rendered_to_file)
    source = parsed.source
    if not isinstance(parsed.data, dict):
        raise TaskError([Problem(name, "a plan must be a mapping at the top level")], source=name)
    try:
        plan = Plan.model_validate(parsed.data)
    except ValidationError as exc:
        raise TaskError(_problems(exc, source), source=name) from None
    if plan.custom_tests is not None:
        folder = (base or Path.cwd()) / plan.custom_tests
        plan = plan.model_copy(update={"custom_tests": str(folder.resolve())})
    problems = _tool_problems(plan, source)
    if problems:
        raise TaskError(problems, source=name)
    return plan


def _problems(
    exc: ValidationError, source: SourceMap, prefix: KeyPath = (), model: Any = Plan
) -> list[Problem]:
    result = []
    for err in exc.errors(include_url=False):
        loc: KeyPath = tuple(k for k in err["loc"] if isinstance(k, str | int))
        message = "is required" if err["type"] == "missing" else str(err["msg"])
        hint = None
        if err["type"] == "extra_forbidden" and loc:
            hint = _known_keys_hint(model, loc)
        result.append(source.problem((*prefix, *loc), message, hint))
    return result


def _known_keys_hint(model: Any, loc: KeyPath) -> str | None:
    for key in loc[:-1]:
        if isinstance(key, int):
            continue
        field = getattr(model, "model_fields", {}).get(key)
        if field is None:
            return None
        annotation = field.annotation
        args = getattr(annotation, "__args__", ())
        model = next((a for a in (annotation, *args) if hasattr(a, "model_fields")), None)
        if model is None:
            return None
    return did_you_mean(str(loc[-1]), list(model.model_fields))


def _tool_problems(plan: Plan, source: SourceMap) -> list[Problem]:
    problems: list[Problem] = []
    for i, test in enumerate(plan.tests):
        if test.tool not in BUILTIN and plan.custom_tests is not None:
            problem = find_custom_test(Path(plan.custom_tests), test.tool)
            if problem is not None:
                problems.append(source.problem(("tests", i, "tool"), problem))
            continue
        if test.tool not in BUILTIN:
            hint = did_you_mean(test.tool, list(BUILTIN)) or f"known tools: {', '.join(BUILTIN)}"
            problems.append(
                source.problem(("tests", i, "tool"), f"unknown tool {test.tool!r}", hint)
            )
            continue
        tool = get_tool(test.tool)
        try:
            tool.Config.model_validate(test.args)
        except ValidationError as exc:
            problems.extend(_problems(exc, source, ("tests", i, "args"), tool.Config))
    return problems


def _read(path: Path, what: str) -> str:
    try:
        return path.expanduser().read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TaskError([Problem(str(path), f"{what} not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TaskError([Problem(str(path), f"cannot read {what}: {exc}")]) from None
