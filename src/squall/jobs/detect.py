"""Which OpenStack service a repository is, and the evidence for it.

A service is recognised from its distribution name or its top-level package (strong
signs), supported by console scripts (``nova-api``), an ``api-ref/`` whose title names
the service's API, and Zuul jobs named after it. A library (``oslo.cache``, a client)
has no strong sign and is reported as such; ``--service`` then says what to generate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from squall.errors import ConfigError
from squall.jobs.catalogue import Catalogue, Service
from squall.jobs.project import ProjectFacts, read_project


@dataclass
class Detection:
    """The service chosen for a repository, and why."""

    facts: ProjectFacts
    service: Service
    evidence: list[str] = field(default_factory=list)
    chosen_by_user: bool = False

    @property
    def project(self) -> str:
        """The project's name as used in file and job names (``nova``, ``python-foo``)."""
        return re.sub(r"[^a-z0-9]+", "-", self.facts.name.lower()).strip("-") or "project"


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def evidence_for(service: Service, facts: ProjectFacts) -> tuple[int, list[str]]:
    """(strong signs, every sign) that ``facts`` describe ``service``."""
    names = {_norm(n) for n in (service.name, *service.packages)}
    strong, signs = 0, []
    if _norm(facts.name) in names:
        strong += 1
        signs.append(f"{facts.name_from} is {facts.name!r}")
    packages = [p for p in facts.packages if _norm(p) in names]
    if packages:
        strong += 1
        signs.append(f"top-level package {packages[0]}/")
    scripts = sorted(
        s for s in facts.scripts if any(s.startswith(p + "-") for p in service.scripts)
    )
    if scripts:
        shown = ", ".join(scripts[:4]) + (", ..." if len(scripts) > 4 else "")
        signs.append(f"console scripts {shown} ({facts.scripts[scripts[0]]})")
    groups = sorted(g for g in facts.entry_groups if _norm(g.split(".")[0]) in names)
    if groups:
        shown = ", ".join(groups[:3]) + (", ..." if len(groups) > 3 else "")
        signs.append(f"entry point groups {shown} ({facts.entry_groups[groups[0]]})")
    titles = {_norm(t) for t in service.api_ref}
    if any(_norm(t) in titles or _norm(t).startswith(tuple(titles)) for t in facts.api_ref):
        signs.append(f"api-ref/ documents the {facts.api_ref[0]!r}")
    jobs = [j for j in facts.zuul_jobs if j.startswith(f"{service.name}-")]
    if jobs:
        signs.append(f"{facts.zuul_file} defines jobs {', '.join(jobs[:3])}")
    return strong, signs


def detect(root: Path, catalogue: Catalogue, service: str | None = None) -> Detection:
    """Detect ``root``'s service, or use ``service`` (which must be in the catalogue)."""
    facts = read_project(root)
    if service is not None:
        chosen = catalogue.get(service)
        _, signs = evidence_for(chosen, facts)
        return Detection(facts, chosen, ["--service " + chosen.name, *signs], chosen_by_user=True)
    scored = [(evidence_for(s, facts), s) for s in catalogue.services.values()]
    candidates = [(strong, len(signs), s, signs) for (strong, signs), s in scored if strong]
    if not candidates:
        raise ConfigError(
            f"{root}: no OpenStack service recognised in {facts.name!r} ({_library_reason(facts)})",
            hint=f"if it is one, name it with --service ({', '.join(sorted(catalogue.services))})",
        )
    candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)
    _, _, best, signs = candidates[0]
    return Detection(facts, best, signs)


def _library_reason(facts: ProjectFacts) -> str:
    parts = [f"name from {facts.name_from}"]
    parts.append(f"packages {', '.join(facts.packages)}" if facts.packages else "no package")
    if not facts.scripts:
        parts.append("no console scripts")
    if not facts.api_ref:
        parts.append("no api-ref/")
    return "; ".join(parts) + ": it looks like a library"
