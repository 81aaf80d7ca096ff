"""Which hosts a fault hits, and for how long: pure, seeded, tested without hosts.

Modes: ``one`` (the first host of the group), ``random`` (one at random), ``all``
(every host at once) and ``rolling`` (each host in turn). Down time and cool-down
are fixed (``5``) or drawn uniformly from a range (``[2, 8]``).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from squall.errors import ConfigError

Mode = Literal["one", "single", "random", "all", "rolling"]
T = TypeVar("T")


class Duration(BaseModel):
    """Seconds, fixed or uniform in ``[low, high]``; written ``5`` or ``[2, 8]``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    low: float = Field(ge=0)
    high: float = Field(ge=0)

    @model_validator(mode="before")
    @classmethod
    def _short_forms(cls, value: object) -> object:
        if isinstance(value, int | float):
            return {"low": value, "high": value}
        if isinstance(value, list | tuple) and len(value) == 2:
            return {"low": value[0], "high": value[1]}
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Duration:
        if self.high < self.low:
            raise ValueError(f"range [{self.low}, {self.high}] is upside down")
        return self

    def draw(self, rng: random.Random) -> float:
        return self.low if self.low == self.high else rng.uniform(self.low, self.high)


def waves(hosts: Sequence[T], mode: Mode, rng: random.Random) -> list[list[T]]:
    """The groups of targets hit together, in order."""
    if not hosts:
        raise ConfigError("the fault's target matches no host", hint="check role/service/host")
    if mode in ("one", "single"):
        return [[hosts[0]]]
    if mode == "random":
        return [[rng.choice(list(hosts))]]
    if mode == "all":
        return [list(hosts)]
    return [[h] for h in hosts]


def guard_quorum(
    service: str | None, group_size: int, hit: int, quorum: Sequence[str], allow: bool
) -> None:
    """Refuse to take down a majority of a quorum service's hosts unless allowed."""
    if service is None or service not in quorum or allow:
        return
    if group_size > 0 and hit > (group_size - 1) // 2:
        raise ConfigError(
            f"hitting {hit} of {group_size} hosts of {service!r} loses its quorum",
            hint="pick fewer targets, or pass allow_quorum_loss: true (--allow-quorum-loss)",
        )
