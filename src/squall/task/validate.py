"""Semantic checks of a loaded task against a plugin registry.

Every plugin a workload names must exist (with a "did you mean" hint when it does not)
and accept its arguments (each plugin's ``Config`` model, which also carries the
plugin's cross-field rules such as ``concurrency <= times``). Every problem in the task
is collected before one ``TaskError`` is raised. The result keeps the parsed config of
every plugin, so the engine never parses a task twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from squall.errors import PluginError, Problem, TaskError
from squall.plugins.base import Plugin
from squall.plugins.families import Family
from squall.plugins.registry import Registry, did_you_mean
from squall.task.draft import workload_path
from squall.task.loader import LoadedTask
from squall.task.model import (
    DisruptionSpec,
    HookSpec,
    PluginRef,
    ResilienceSpec,
    Task,
    Workload,
)
from squall.task.source import Path


@dataclass(frozen=True)
class ValidatedHook:
    spec: HookSpec
    action_cls: type[Plugin]
    action_config: BaseModel
    trigger_cls: type[Plugin]
    trigger_config: BaseModel


@dataclass(frozen=True)
class ValidatedWorkload:
    subtask_index: int
    workload_index: int
    workload: Workload
    scenario_cls: type[Plugin]
    scenario_config: BaseModel
    runner_cls: type[Plugin]
    runner_config: BaseModel
    contexts: list[tuple[type[Plugin], BaseModel]]
    sla_configs: dict[str, BaseModel]
    hooks: list[ValidatedHook]
    sla_classes: dict[str, type[Plugin]] = field(default_factory=dict)
    #: after ``task.clouds.expand_clouds``: the workload's index in the file
    #: (``workload_index`` is then its place in the run) and, for a copy of one
    #: written for several clouds, the cloud the copy acts on
    origin: int | None = None
    cloud: str | None = None

    @property
    def written_index(self) -> int:
        """Its index in the subtask as written (a copy's: the workload it was made from)."""
        return self.workload_index if self.origin is None else self.origin

    @property
    def path(self) -> str:
        """Its field path as written in the file (a copy's: the workload it was made from)."""
        return f"subtasks[{self.subtask_index}].workloads[{self.written_index}]"


@dataclass(frozen=True)
class ValidatedResilience:
    spec: ResilienceSpec
    monitors: list[tuple[type[Plugin], BaseModel]]
    disruptions: list[tuple[DisruptionSpec, type[Plugin], BaseModel]]


@dataclass(frozen=True)
class ValidatedTask:
    loaded: LoadedTask
    workloads: list[ValidatedWorkload]
    resilience: ValidatedResilience | None = None

    @property
    def task(self) -> Task:
        return self.loaded.task


def validate_task(loaded: LoadedTask, registry: Registry) -> ValidatedTask:
    """Check every plugin and argument of ``loaded``; raise one ``TaskError`` listing all."""
    checker = _Checker(loaded, registry)
    workloads = [checker.workload(s, w, wl) for s, w, wl in loaded.task.workloads()]
    spec = loaded.task.resilience
    resilience = checker.resilience(spec) if spec is not None else None
    if checker.problems:
        raise TaskError(checker.problems, source=loaded.name)
    return ValidatedTask(loaded, [w for w in workloads if w is not None], resilience)


_Parsed = tuple[type[Plugin], BaseModel]


class _Checker:
    def __init__(self, loaded: LoadedTask, registry: Registry) -> None:
        self.loaded = loaded
        self.registry = registry
        self.problems: list[Problem] = []

    def workload(self, s: int, w: int, workload: Workload) -> ValidatedWorkload | None:
        at = workload_path(s, w)
        scenario = self.plugin(Family.SCENARIO, workload.scenario, (*at, "scenario"))
        runner = self.plugin(Family.RUNNER, workload.runner, (*at, "runner"))
        contexts = [
            self.named(Family.CONTEXT, name, args, (*at, "contexts", name))
            for name, args in workload.contexts.items()
        ]
        slas = {
            name: self.named(Family.SLA, name, args, (*at, "sla", name))
            for name, args in workload.sla.items()
        }
        hooks = [self.hook(spec, (*at, "hooks", h)) for h, spec in enumerate(workload.hooks)]
        if scenario is None or runner is None:
            return None
        if any(c is None for c in contexts) or any(p is None for p in slas.values()):
            return None
        if any(h is None for h in hooks):
            return None
        return ValidatedWorkload(
            subtask_index=s,
            workload_index=w,
            workload=workload,
            scenario_cls=scenario[0],
            scenario_config=scenario[1],
            runner_cls=runner[0],
            runner_config=runner[1],
            contexts=[c for c in contexts if c is not None],
            sla_configs={name: p[1] for name, p in slas.items() if p is not None},
            sla_classes={name: p[0] for name, p in slas.items() if p is not None},
            hooks=[h for h in hooks if h is not None],
        )

    def resilience(self, spec: ResilienceSpec) -> ValidatedResilience:
        at: Path = ("resilience",)
        monitors = [
            self.plugin(Family.MONITOR, ref, (*at, "monitors", i))
            for i, ref in enumerate(spec.monitors)
        ]
        disruptions = [
            (d, self.plugin(Family.DISRUPTOR, d.disruptor, (*at, "disruptions", i, "disruptor")))
            for i, d in enumerate(spec.disruptions)
        ]
        return ValidatedResilience(
            spec,
            [m for m in monitors if m is not None],
            [(d, p[0], p[1]) for d, p in disruptions if p is not None],
        )

    def hook(self, spec: HookSpec, at: Path) -> ValidatedHook | None:
        action = self.plugin(Family.HOOK, spec.action, (*at, "action"))
        trigger = self.plugin(Family.TRIGGER, spec.trigger, (*at, "trigger"))
        if action is None or trigger is None:
            return None
        return ValidatedHook(spec, action[0], action[1], trigger[0], trigger[1])

    def plugin(self, family: Family, ref: PluginRef, at: Path) -> _Parsed | None:
        cls = self.find(family, ref.name, at)
        if cls is None:
            return None
        return self.parse(cls, ref.args, (*at, "args"))

    def named(self, family: Family, name: str, args: Any, at: Path) -> _Parsed | None:
        """A plugin given as ``{name: args}`` (contexts, SLA): name and arguments share a line."""
        cls = self.find(family, name, at)
        if cls is None:
            return None
        return self.parse(cls, args, at)

    def find(self, family: Family, name: str, at: Path) -> type[Plugin] | None:
        if (family, name) not in self.registry:
            known = self.registry.names(family)
            hint = did_you_mean(name, known) or (
                f"known: {', '.join(known)}" if known and len(known) <= 12
                else f"`squall plugins list --family {family}` shows them all"
            )  # fmt: skip
            self.problems.append(self.loaded.problem(at, f"unknown {family} {name!r}", hint))
            return None
        try:
            return self.registry.info(family, name).load()
        except PluginError as exc:
            self.problems.append(self.loaded.problem(at, exc.message, exc.hint))
            return None

    def parse(self, cls: type[Plugin], raw: Any, at: Path) -> _Parsed | None:
        try:
            return cls, cls.parse_config(raw)
        except ValidationError as exc:
            bare = cls.scalar_field is not None and not isinstance(raw, dict)
            for err in exc.errors(include_url=False):
                loc = tuple(err["loc"])
                if bare and loc[:1] == (cls.scalar_field,):
                    loc = loc[1:]
                self.problems.append(self.loaded.problem((*at, *loc), *_explain(err, cls)))
            return None


def _explain(err: Any, cls: type[Plugin]) -> tuple[str, str | None]:
    kind = err["type"]
    if kind == "missing":
        return "is required", None
    if kind == "extra_forbidden":
        if len(err["loc"]) != 1:
            return "unknown argument", None
        known = list(cls.Config.model_fields)
        hint = did_you_mean(str(err["loc"][0]), known) or (
            f"{cls.name} takes: {', '.join(known)}" if known else f"{cls.name} takes no arguments"
        )
        return "unknown argument", hint
    if kind == "value_error" and "error" in err.get("ctx", {}):
        return str(err["ctx"]["error"]), None
    return str(err["msg"]), None
