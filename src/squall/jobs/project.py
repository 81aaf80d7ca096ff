"""What a repository says about itself: its name, packages, scripts, API reference, CI.

Read from the files OpenStack projects have (``setup.cfg`` with pbr, ``pyproject.toml``,
``api-ref/source/index.rst``, ``.zuul.yaml`` or ``zuul.d/``); nothing is imported or run.
"""

from __future__ import annotations

import configparser
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from squall.errors import ConfigError
from squall.jobs import zuul

PROJECT_FILES = ("setup.cfg", "pyproject.toml", "setup.py")
#: setup.cfg [entry_points] groups that declare commands (pbr's wsgi_scripts too).
SCRIPT_GROUPS = ("console_scripts", "wsgi_scripts")
NOT_PACKAGES = {"tests", "test", "doc", "docs", "releasenotes", "tools", "playbooks", "roles"}


@dataclass
class ProjectFacts:
    """The facts detection weighs, each with the file it came from."""

    root: Path
    name: str = ""
    name_from: str = ""
    packages: list[str] = field(default_factory=list)
    scripts: dict[str, str] = field(default_factory=dict)  # script -> file it is declared in
    entry_groups: dict[str, str] = field(default_factory=dict)  # group -> file declaring it
    api_ref: list[str] = field(default_factory=list)  # api-ref directory, title words
    zuul_jobs: list[str] = field(default_factory=list)
    zuul_file: str = ""


def read_project(root: Path) -> ProjectFacts:
    """Read ``root``'s facts; ``ConfigError`` if it is not a project repository."""
    _require_repository(root)
    facts = ProjectFacts(root=root)
    _read_setup_cfg(root / "setup.cfg", facts)
    _read_pyproject(root / "pyproject.toml", facts)
    facts.packages = _top_level_packages(root)
    facts.api_ref = _api_ref(root)
    found = zuul.find_config(root)
    if found is not None:
        facts.zuul_file = str(found.relative_to(root))
        facts.zuul_jobs = zuul.job_names(found)
    if not facts.name:
        facts.name, facts.name_from = root.resolve().name, "the directory name"
    return facts


def _require_repository(root: Path) -> None:
    if not root.exists():
        raise ConfigError(f"{root}: no such directory")
    if not root.is_dir():
        raise ConfigError(f"{root} is not a directory", hint="give the repository's top folder")
    if not (root / ".git").exists() and not any((root / f).is_file() for f in PROJECT_FILES):
        raise ConfigError(
            f"{root} is not a project repository: it has no .git, " + ", ".join(PROJECT_FILES),
            hint="give the top folder of an OpenStack project's checkout",
        )


def _read_setup_cfg(path: Path, facts: ProjectFacts) -> None:
    if not path.is_file():
        return
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(path.read_text(encoding="utf-8"), source=str(path))
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read as setup.cfg: {exc}") from None
    name = parser.get("metadata", "name", fallback="").strip()
    if name:
        facts.name, facts.name_from = name, "setup.cfg [metadata] name"
    if not parser.has_section("entry_points"):
        return
    for group, value in parser.items("entry_points"):
        if group not in SCRIPT_GROUPS:
            facts.entry_groups[group] = "setup.cfg [entry_points]"
            continue
        for line in value.splitlines():
            script = line.partition("=")[0].strip()
            if script:
                facts.scripts[script] = f"setup.cfg [entry_points] {group}"


def _read_pyproject(path: Path, facts: ProjectFacts) -> None:
    if not path.is_file():
        return
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read as TOML: {exc}") from None
    project = data.get("project", {})
    name = project.get("name") if isinstance(project, dict) else None
    if isinstance(name, str) and name and not facts.name:
        facts.name, facts.name_from = name, "pyproject.toml [project] name"
    scripts = project.get("scripts", {}) if isinstance(project, dict) else {}
    if isinstance(scripts, dict):
        for script in scripts:
            facts.scripts.setdefault(str(script), "pyproject.toml [project.scripts]")
    groups = project.get("entry-points", {}) if isinstance(project, dict) else {}
    if isinstance(groups, dict):
        for group in groups:
            facts.entry_groups.setdefault(str(group), "pyproject.toml [project.entry-points]")


def _top_level_packages(root: Path) -> list[str]:
    return sorted(
        p.name
        for p in root.iterdir()
        if p.is_dir() and p.name not in NOT_PACKAGES and (p / "__init__.py").is_file()
    )


_TITLE = re.compile(r"^[=\-~#*]+$")


def _api_ref(root: Path) -> list[str]:
    """The api-ref directory's name (``api-ref``) and the words of its index title."""
    index = root / "api-ref" / "source" / "index.rst"
    if not (root / "api-ref").is_dir():
        return []
    words: list[str] = []
    if index.is_file():
        for line in index.read_text(encoding="utf-8", errors="replace").splitlines():
            text = line.strip()
            if text and not _TITLE.match(text) and not text.startswith(("..", ":")):
                words.append(text)
                break
    return words or ["api-ref"]
