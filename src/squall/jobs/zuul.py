"""A Zuul job and its project-pipeline entry, merged into existing Zuul configuration text.

The merge edits text, not a re-dumped document: the job is appended at the end and the
pipeline entry is inserted as one line beside the existing ones, so every other byte of
the file (comments, quoting, indentation, blank lines) stays as it was. ruamel.yaml's
round-trip parser tells where things are; the result is parsed again and checked to be
the old configuration plus the two additions, or nothing is written.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from squall.errors import ConfigError

CONFIG_NAMES = (".zuul.yaml", "zuul.yaml")
CONFIG_DIRS = (".zuul.d", "zuul.d")
PIPELINE = "check"


@dataclass(frozen=True)
class ZuulJob:
    """The job ``init-jobs`` adds: a devstack job that runs the task file."""

    name: str
    parent: str
    description: str
    vars: dict[str, Any]
    required_projects: list[str] = field(default_factory=list)
    voting: bool = False
    timeout: int = 7200
    roles: list[str] = field(default_factory=list)  # projects whose roles it uses
    run: str | None = None
    post_run: str | None = None

    def as_item(self) -> dict[str, Any]:
        body: dict[str, Any] = {"name": self.name, "parent": self.parent}
        body["description"] = self.description
        body["voting"] = self.voting
        body["timeout"] = self.timeout
        if self.required_projects:
            body["required-projects"] = list(self.required_projects)
        if self.roles:
            body["roles"] = [{"zuul": project} for project in self.roles]
        if self.run:
            body["run"] = self.run
        if self.post_run:
            body["post-run"] = self.post_run
        body["vars"] = self.vars
        return {"job": body}


@dataclass
class Merge:
    """The merged text and what changed."""

    text: str
    added_job: bool = False
    added_to_pipeline: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.added_job or self.added_to_pipeline


def find_config(root: Path) -> Path | None:
    """The Zuul file holding the project stanza (or the first Zuul file), if any."""
    candidates = [root / name for name in CONFIG_NAMES if (root / name).is_file()]
    for folder in CONFIG_DIRS:
        if (root / folder).is_dir():
            candidates += sorted((root / folder).glob("*.yaml"))
    for path in candidates:
        if _has_project(parse(read_config(path), str(path))):
            return path
    return candidates[0] if candidates else None


def job_names(path: Path) -> list[str]:
    return [name for name, _ in _jobs(parse(read_config(path), str(path)))]


def read_config(path: Path) -> str:
    """The file's text exactly (line endings kept)."""
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the Zuul configuration: {exc}") from None


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096
    return y


def parse(text: str, name: str) -> CommentedSeq:
    """Zuul configuration text as ruamel's round-trip list (empty for an empty file)."""
    try:
        data = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}" if mark is not None else name
        raise ConfigError(
            f"{where}: cannot parse the Zuul configuration: {exc.problem or exc.context}",
            hint="fix the YAML (Zuul reads it too), then run init-jobs again",
        ) from None
    except YAMLError as exc:
        raise ConfigError(f"{name}: cannot parse the Zuul configuration: {exc}") from None
    if data is None:
        return CommentedSeq()
    if not isinstance(data, CommentedSeq):
        raise ConfigError(
            f"{name}: a Zuul configuration is a list of job, project, ... items",
            hint="its top level must be a YAML list",
        )
    return data


def _jobs(data: CommentedSeq) -> list[tuple[str, CommentedMap]]:
    found = []
    for item in data:
        body = item.get("job") if isinstance(item, CommentedMap) else None
        if isinstance(body, CommentedMap) and isinstance(body.get("name"), str):
            found.append((body["name"], body))
    return found


def _project(data: CommentedSeq) -> tuple[int, CommentedMap] | None:
    for index, item in enumerate(data):
        body = item.get("project") if isinstance(item, CommentedMap) else None
        if isinstance(body, CommentedMap):
            return index, body
    return None


def _has_project(data: CommentedSeq) -> bool:
    return _project(data) is not None


def merge(text: str, job: ZuulJob, name: str, pipeline: str = PIPELINE) -> Merge:
    """``text`` with ``job`` defined and listed in the project's ``pipeline``
    (added lines follow the file's line endings)."""
    if "\r\n" not in text:
        return _merge(text, job, name, pipeline)
    result = _merge(text.replace("\r\n", "\n"), job, name, pipeline)
    result.text = result.text.replace("\n", "\r\n") if result.changed else text
    return result


def _merge(text: str, job: ZuulJob, name: str, pipeline: str) -> Merge:
    data = parse(text, name)
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    result = Merge(text=text)
    existing = next((body for name_, body in _jobs(data) if name_ == job.name), None)
    has_job = existing is not None
    found = _project(data)
    project_lines: list[str] = []
    if found is None:
        project_lines = _dump([{"project": {pipeline: {"jobs": [job.name]}}}])
        result.added_to_pipeline = True
    else:
        result.added_to_pipeline = _insert_in_pipeline(lines, found[1], job.name, pipeline, result)
    if not has_job:
        lines += _separated(lines, _dump([job.as_item()]))
        result.added_job = True
    elif _plain(existing) != _plain(job.as_item()["job"]):
        result.notes.append(f"job {job.name!r} in {name} differs from squall's; kept as it is")
    if project_lines:
        lines += _separated(lines, project_lines)
    result.text = "".join(lines)
    if result.changed:
        _verify(text, result, job.name, name, pipeline)
    else:
        result.text = text
    return result


def _separated(lines: list[str], block: list[str]) -> list[str]:
    """``block``, after a blank line unless it starts the file."""
    return ["\n", *block] if lines else block


def _dump(items: list[dict[str, Any]]) -> list[str]:
    buffer = io.StringIO()
    _yaml().dump(items, buffer)
    lines = buffer.getvalue().splitlines(keepends=True)
    margin = min(len(line) - len(line.lstrip(" ")) for line in lines if line.strip())
    return [line[margin:] if line.strip() else line for line in lines]


def _insert_in_pipeline(
    lines: list[str], project: CommentedMap, job: str, pipeline: str, result: Merge
) -> bool:
    """Insert ``- job`` into ``project.<pipeline>.jobs`` as a new line; False if present."""
    stanza = project.get(pipeline)
    if pipeline not in project:
        line, col = project.lc.key(next(iter(project)))
        pad = " " * col
        lines.insert(line, f"{pad}{pipeline}:\n{pad}  jobs:\n{pad}    - {job}\n")
        return True
    if not isinstance(stanza, CommentedMap) or stanza.fa.flow_style():
        result.notes.append(f"add `- {job}` to the project's {pipeline} jobs by hand")
        return False
    jobs = stanza.get("jobs")
    if "jobs" not in stanza:
        line, col = stanza.lc.key(next(iter(stanza)))
        pad = " " * col
        lines.insert(line, f"{pad}jobs:\n{pad}  - {job}\n")
        return True
    if isinstance(jobs, CommentedSeq) and any(_entry_name(e) == job for e in jobs):
        return False
    if not isinstance(jobs, CommentedSeq) or not jobs or jobs.fa.flow_style():
        result.notes.append(f"add `- {job}` to the project's {pipeline} jobs by hand")
        return False
    line, col = jobs.lc.item(0)
    dash = lines[line].rfind("-", 0, col)
    lines.insert(line, f"{' ' * max(dash, 0)}- {job}\n")
    return True


def _entry_name(entry: Any) -> str | None:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict) and len(entry) == 1:
        return str(next(iter(entry)))
    return None


def _verify(old: str, result: Merge, job: str, name: str, pipeline: str) -> None:
    """The new text must parse to the old configuration plus exactly the additions."""
    new = _plain(parse(result.text, name))
    before = _plain(parse(old, name))
    stripped = _strip(new, job, pipeline, result)
    if stripped != before:
        raise ConfigError(
            f"{name}: the Zuul job could not be merged without changing other content",
            hint=f"add the job {job!r} and `- {job}` in the {pipeline} pipeline by hand",
        )


def _strip(data: Any, job: str, pipeline: str, result: Merge) -> Any:
    items = []
    for item in data:
        if result.added_job and item.get("job", {}).get("name") == job:
            continue
        body = item.get("project")
        if result.added_to_pipeline and isinstance(body, dict):
            stanza = body.get(pipeline, {})
            stanza["jobs"] = [e for e in stanza.get("jobs", []) if _entry_name(e) != job]
            if not stanza["jobs"]:
                del stanza["jobs"]
            if not stanza:
                del body[pipeline]
            if not body:
                continue
        items.append(item)
    return items


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return repr(value)  # tagged values (!encrypted/...) compare by their text
