"""``init-jobs`` in one call: detect, generate, plan, write (or only plan)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from squall.jobs import docs, playbooks, zuul
from squall.jobs.catalogue import Catalogue, Service, load_catalogue
from squall.jobs.detect import Detection, detect
from squall.jobs.files import Action, PlannedFile, plan, write_all
from squall.jobs.task_text import TaskFormat, render_task

JOBS_DIR = Path("rally-jobs")
OPENDEV = "https://opendev.org/openstack"
RALLY_OPENSTACK = f"{OPENDEV}/rally-openstack"
#: What the squall job's playbook installs with pip (a requirement, path or URL).
SQUALL_INSTALL = "squall[openstack]"


@dataclass(frozen=True)
class InitOptions:
    service: str | None = None
    fmt: TaskFormat = "rally"
    zuul: bool = True
    force: bool = False
    dry_run: bool = False


@dataclass
class InitResult:
    detection: Detection
    job: str
    files: list[PlannedFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    zuul_file: Path | None = None  # relative to the repository; None with --no-zuul

    @property
    def changed(self) -> bool:
        return any(f.action.writes for f in self.files)


def job_name(project: str, fmt: TaskFormat) -> str:
    return f"{project}-{'rally' if fmt == 'rally' else 'squall'}-task"


def init_jobs(root: Path, options: InitOptions, catalogue: Catalogue | None = None) -> InitResult:
    """Generate ``rally-jobs/`` (and the Zuul job) for the repository at ``root``."""
    found = detect(root, catalogue or load_catalogue(), options.service)
    project, service = found.project, found.service
    job = job_name(project, options.fmt)
    task_rel = JOBS_DIR / f"task-{project}.yaml"
    generated = {
        JOBS_DIR / "README.rst": docs.readme(project, service, task_rel.name, job, options.fmt),
        task_rel: render_task(service, project, options.fmt, job),
        JOBS_DIR / "plugins" / "__init__.py": "",
        JOBS_DIR / "plugins" / "README.rst": docs.plugins_readme(project),
        JOBS_DIR / "extra" / "README.rst": docs.extra_readme(project),
    }
    if options.zuul and options.fmt == "squall":
        generated.update(playbooks.playbook_files())
    result = InitResult(found, job)
    result.files = [plan(root, rel, text, force=options.force) for rel, text in generated.items()]
    if options.zuul:
        zuul_plan = _zuul_file(root, found, job, str(task_rel), options, result)
        result.files.append(zuul_plan)
        result.zuul_file = zuul_plan.path
    if not options.dry_run:
        write_all(root, result.files)
    return result


def devstack_plugins(service: Service, fmt: TaskFormat) -> dict[str, str]:
    """The devstack plugins the job enables: rally-openstack for Rally, and the
    service's own when DevStack does not deploy it by default."""
    plugins = {"rally-openstack": RALLY_OPENSTACK} if fmt == "rally" else {}
    if service.devstack_plugin:
        plugins[service.name] = f"{OPENDEV}/{service.name}"
    return plugins


def zuul_job(detection: Detection, job: str, task: str, fmt: TaskFormat) -> zuul.ZuulJob:
    service = detection.service
    what = f"{service.title} core operations under concurrency ({task})"
    plugins = devstack_plugins(service, fmt)
    if fmt == "rally":
        return zuul.ZuulJob(
            name=job,
            parent="rally-task-at-devstack",
            description=f"Measure {what} with Rally on DevStack.",
            required_projects=["openstack/rally", "openstack/rally-openstack"],
            vars={"rally_task": task, "devstack_plugins": plugins},
        )
    return zuul.ZuulJob(
        name=job,
        parent="devstack",
        description=f"Measure {what} with squall on DevStack.",
        roles=["openstack/devstack"],
        run=str(playbooks.RUN),
        post_run=str(playbooks.POST_RUN),
        vars={
            "squall_task": task,
            "squall_plugin_path": str(JOBS_DIR / "plugins"),
            "squall_install": SQUALL_INSTALL,
            **({"devstack_plugins": plugins} if plugins else {}),
        },
    )


def _zuul_file(
    root: Path, found: Detection, job: str, task: str, options: InitOptions, result: InitResult
) -> PlannedFile:
    path = zuul.find_config(root) or root / ".zuul.yaml"
    rel = path.relative_to(root)
    text = zuul.read_config(path) if path.exists() else ""
    merged = zuul.merge(text, zuul_job(found, job, task, options.fmt), str(rel))
    result.notes += merged.notes
    if not path.exists():
        return PlannedFile(rel, merged.text, Action.CREATE)
    if not merged.changed:
        return PlannedFile(rel, text, Action.UNCHANGED)
    what = []
    if merged.added_job:
        what.append(f"job {job} added")
    if merged.added_to_pipeline:
        what.append(f"listed in the {zuul.PIPELINE} pipeline")
    return PlannedFile(rel, merged.text, Action.UPDATE, ", ".join(what))
