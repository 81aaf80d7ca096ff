"""Will the cloud's nova quotas hold a workload? (pure estimate; preflight asks the cloud).

A workload that deletes its servers holds at most ``concurrency`` at once; one that
keeps them (``NovaServers.boot_server``) holds all ``times`` of them until its
cleanup. Spread over the tenants, plus what the ``servers`` context boots, that is
the peak per project, compared with the project's limit minus what it already uses.
Only definite shortfalls are reported: unlimited (-1) quotas and runners without a
known iteration count are never flagged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class ServerDemand:
    """Peak use of one project by a workload."""

    instances: int
    cores: int
    ram: int  # MiB


def server_demand(  # noqa: PLR0913 - one number per input of the estimate
    *,
    times: int | None,
    concurrency: int,
    tenants: int,
    keeps: bool,
    per_iteration: int,
    context_servers: int,
    vcpus: int,
    ram: int,
) -> ServerDemand | None:
    """The peak per project, or None when it cannot be known."""
    if per_iteration <= 0 and context_servers <= 0:
        return None
    if keeps and times is None:
        return None
    in_flight = (times or 0) if keeps else min(concurrency, times or concurrency)
    per_project = math.ceil(in_flight * per_iteration / max(tenants, 1)) + context_servers
    return ServerDemand(per_project, per_project * vcpus, per_project * ram)


@dataclass(frozen=True)
class Shortfall:
    resource: str
    limit: int
    used: int
    needed: int

    def __str__(self) -> str:
        return (
            f"nova quota {self.resource}: the run needs {self.needed} per project, "
            f"the limit is {self.limit} with {self.used} in use"
        )


def shortfalls(
    demand: ServerDemand, limits: dict[str, int], used: dict[str, int]
) -> list[Shortfall]:
    """The quotas ``demand`` would exceed (a limit of -1 is unlimited)."""
    found = []
    for resource, needed in (
        ("instances", demand.instances),
        ("cores", demand.cores),
        ("ram", demand.ram),
    ):
        limit = limits.get(resource, -1)
        in_use = used.get(resource, 0)
        if limit >= 0 and in_use + needed > limit:
            found.append(Shortfall(resource, limit, in_use, needed))
    return found
