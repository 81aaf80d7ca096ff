"""Fire a disruptor from a hook: inject, verify, hold ``down`` seconds, restore."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from squall.disruptors.base import Disruptor, TargetConfig
from squall.disruptors.journal import FaultJournal
from squall.disruptors.run import FaultOutcome, Schedule, disrupt
from squall.errors import ConfigError, SquallError
from squall.hooks.base import HookAction, HookEnv, HookOutcome
from squall.hosts.inventory import Inventory, load_inventory
from squall.hosts.select import Duration, Mode
from squall.plugins.families import Family


def disruptor_class(name: str) -> type[Disruptor]:
    from squall.plugins.loader import load_registry

    return load_registry().get(Family.DISRUPTOR, name, Disruptor)


def build(name: str, args: Any) -> Disruptor:
    """The disruptor plugin ``name`` with ``args``; bad arguments raise ConfigError."""
    cls = disruptor_class(name)
    try:
        return cls(cls.parse_config(args))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(
            f"disruptor {name!r}: {where + ': ' if where else ''}{first['msg']}"
        ) from None


class FaultOptions(BaseModel):
    """When and how often; shared by the ``disruptor`` and ``fault_injection`` actions."""

    down: Duration = Field(
        default_factory=lambda: Duration(low=0, high=0),
        description="seconds each fault lasts before its restore: 5, or [2, 8] at random",
    )
    cool_down: Duration = Field(
        default_factory=lambda: Duration(low=0, high=0),
        description="seconds between two waves or repetitions: fixed or [min, max]",
    )
    times: int = Field(1, ge=1, description="how many times the whole disruption repeats")
    inventory: str | None = Field(None, description="hosts file (squall YAML or Ansible)")
    journal: str | None = Field(None, description="undo journal file (default: squall's)")
    seed: int | None = Field(None, description="seed of random targets and durations")


def fire(disruptor: Disruptor, options: FaultOptions, env: HookEnv) -> list[FaultOutcome]:
    """Carry the disruption out; its events go to the run in ``env``, its journal entries
    carry the run's id (so ``squall faults cleanup --run`` finds them)."""
    inventory: Inventory | None = None
    if options.inventory:
        inventory = load_inventory(Path(options.inventory))
    cfg = disruptor.config
    mode: Mode = cfg.mode if isinstance(cfg, TargetConfig) else "one"
    schedule = Schedule(
        mode=mode, down=options.down, cool_down=options.cool_down, times=options.times
    )
    journal = FaultJournal(Path(options.journal) if options.journal else None)
    return disrupt(
        disruptor,
        schedule,
        journal,
        inventory=inventory,
        run_id=env.run_id,
        sink=env.fault_events,
        rng=random.Random(options.seed),
    )


def outcome_of(outcomes: list[FaultOutcome]) -> HookOutcome:
    rows = [
        [e.phase, e.target, e.disruptor, round(e.at, 3), "ok" if e.ok else "FAILED", e.detail]
        for o in outcomes
        for e in o.events
    ]
    chart = {
        "title": "Fault events",
        "chart_plugin": "Table",
        "data": {"cols": ["phase", "target", "fault", "at", "status", "detail"], "rows": rows},
    }
    output = {"additive": [], "complete": [chart]}
    bad = [e for o in outcomes for e in o.events if not e.ok]
    if bad:
        first = bad[0]
        msg = f"{first.disruptor} on {first.target}: {first.phase} failed"
        return HookOutcome(
            "failed",
            error={"etype": "FaultError", "msg": msg, "details": first.detail},
            output=output,
        )
    return HookOutcome("success", output=output)


def failed(exc: SquallError) -> HookOutcome:
    return HookOutcome(
        "failed", error={"etype": type(exc).__name__, "msg": exc.message, "details": exc.hint or ""}
    )


class DisruptorAction(HookAction):
    """Run one disruptor plugin, e.g. ``{process: {devcloud: nova-api}, down: 5}``:
    its faults are verified, restored and recovered, each phase a timed event."""

    name: ClassVar[str] = "disruptor"

    class Config(FaultOptions):
        model_config = ConfigDict(extra="allow")

        @model_validator(mode="after")
        def _one_plugin(self) -> DisruptorAction.Config:
            extra = self.model_extra or {}
            if len(extra) != 1:
                raise ValueError(
                    f"name exactly one disruptor (process, service, container, node, network); "
                    f"got {sorted(extra) or 'none'}"
                )
            name, args = next(iter(extra.items()))
            try:
                disruptor_class(name).parse_config(args)
            except SquallError as exc:  # shown at the hook's place in the task file
                raise ValueError(exc.message + (f" ({exc.hint})" if exc.hint else "")) from None
            return self

        def plugin(self) -> tuple[str, Any]:
            return next(iter((self.model_extra or {}).items()))

    def run(self) -> HookOutcome:
        cfg = self.config
        assert isinstance(cfg, DisruptorAction.Config)
        name, args = cfg.plugin()
        try:
            return outcome_of(fire(build(name, args), cfg, self.env))
        except SquallError as exc:
            return failed(exc)
