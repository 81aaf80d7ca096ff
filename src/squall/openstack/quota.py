"""Will the cloud's quotas hold a workload? (pure estimate; preflight asks the cloud).

A workload that deletes its servers holds at most ``concurrency`` at once; one that
keeps them (``NovaServers.boot_server``) holds all ``times`` of them until its
cleanup. Spread over the tenants, plus what the ``servers`` context boots, that is
the peak per project, compared with the project's limit minus what it already uses.
Neutron and cinder resources (networks, ports, volumes, snapshots...) are counted the
same way by ``peak()`` from what one iteration of a scenario holds (``QuotaUse``: kept
until the sweep, or deleted by the iteration) and what the ``network`` and ``volumes``
contexts make per tenant. What neutron makes by itself without a quota check (a router
interface's port, a new project's default security group: ``UNCHECKED``) fails nothing
itself, but takes room from the workload's own creates of that resource: it counts only
toward a quota the workload also creates through the API.
Only definite shortfalls are reported: unlimited (-1) quotas and runners without a
known iteration count are never flagged.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

#: quota use by service, then quota resource: ``{"neutron": {"networks": 1}}``
Counts = Mapping[str, Mapping[str, int]]

#: use that neutron makes without checking its quota, and the quota it counts toward
UNCHECKED = {
    "router_interface_ports": "ports",
    "default_security_groups": "security_groups",
    "default_security_group_rules": "security_group_rules",
}
#: what neutron makes in a new project the first time it is asked to: its default
#: security group with its four rules (ingress from the group, egress; IPv4 and IPv6)
DEFAULT_SECURITY_GROUP = {"default_security_groups": 1, "default_security_group_rules": 4}
#: the rules neutron adds to every security group it creates (egress, IPv4 and IPv6);
#: the group's create checks them against ``security_group_rules``
EGRESS_RULES = 2


@dataclass(frozen=True)
class QuotaUse:
    """What one iteration of a scenario holds at its peak: ``kept`` stays until the
    workload's sweep (all ``times`` iterations add up), ``transient`` is deleted by the
    iteration itself (only the iterations in flight add up)."""

    kept: Counts = field(default_factory=dict)
    transient: Counts = field(default_factory=dict)
    #: copies of a ``volumes`` context volume (its snapshots, volumes made from them)
    #: kept and transient: each adds that volume's size, known only with the
    #: workload's contexts, to cinder's ``gigabytes`` (see ``sized``)
    context_copies: tuple[int, int] = (0, 0)
    #: networks an iteration creates and keeps when its tenant has no ``network``
    #: context network to use (Rally's ``_get_or_create_network``; see ``networked``)
    own_networks: int = 0

    @classmethod
    def of(cls, service: str, *, keeps: bool, **counts: int) -> QuotaUse:
        """One service's use, all kept or all transient; zero counts are left out."""
        nonzero = {name: n for name, n in counts.items() if n > 0}
        held = {service: nonzero} if nonzero else {}
        return cls(kept=held) if keeps else cls(transient=held)

    @classmethod
    def copies(cls, *, keeps: bool, count: int) -> QuotaUse:
        """``count`` copies of a context volume, kept or transient."""
        return cls(context_copies=(count, 0) if keeps else (0, count))

    @classmethod
    def own_network(cls) -> QuotaUse:
        """A network kept per iteration unless the tenant has one from a context."""
        return cls(own_networks=1)

    def __add__(self, other: QuotaUse) -> QuotaUse:
        return QuotaUse(
            add_counts(self.kept, other.kept),
            add_counts(self.transient, other.transient),
            (
                self.context_copies[0] + other.context_copies[0],
                self.context_copies[1] + other.context_copies[1],
            ),
            self.own_networks + other.own_networks,
        )

    def sized(self, volume_gb: int) -> QuotaUse:
        """This use with each context copy's ``volume_gb`` counted toward cinder's
        ``gigabytes`` (cinder counts a snapshot's size there, as a volume's)."""
        kept, transient = self.context_copies
        counted = QuotaUse(self.kept, self.transient, own_networks=self.own_networks)
        return (
            counted
            + QuotaUse.of("cinder", keeps=True, gigabytes=kept * volume_gb)
            + QuotaUse.of("cinder", keeps=False, gigabytes=transient * volume_gb)
        )

    def networked(self, has_networks: bool) -> QuotaUse:
        """This use with its own networks kept unless the tenants have context networks
        (``has_networks``: the workload has a ``network`` context, or may find some)."""
        counted = QuotaUse(self.kept, self.transient, self.context_copies)
        networks = 0 if has_networks else self.own_networks
        return counted + QuotaUse.of("neutron", keeps=True, networks=networks)


def add_counts(a: Counts, b: Counts) -> dict[str, dict[str, int]]:
    """``a`` and ``b`` added up, by service and quota resource (pure)."""
    total = {service: dict(counts) for service, counts in a.items()}
    for service, counts in b.items():
        into = total.setdefault(service, {})
        for name, count in counts.items():
            into[name] = into.get(name, 0) + count
    return total


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


def peak(
    *,
    times: int | None,
    concurrency: int,
    tenants: int,
    kept: Mapping[str, int],
    transient: Mapping[str, int],
    per_tenant: Mapping[str, int],
) -> dict[str, int]:
    """Peak use per project of each quota resource: what every iteration keeps (when
    ``times`` is known) and what the iterations in flight hold, spread over the tenants,
    plus what contexts make in every tenant; ``UNCHECKED`` use folded in."""
    needs = {name: count for name, count in per_tenant.items() if count > 0}
    in_flight = min(concurrency, times or concurrency)
    shares = [(transient, in_flight)] + ([(kept, times)] if times is not None else [])
    for counts, iterations in shares:
        for name, count in counts.items():
            share = math.ceil(iterations * count / max(tenants, 1))
            if share > 0:
                needs[name] = needs.get(name, 0) + share
    return checked(needs)


def checked(needs: Mapping[str, int]) -> dict[str, int]:
    """``needs`` with each ``UNCHECKED`` use added to the quota it counts toward when the
    workload also creates that resource through the API (only those creates can fail),
    and left out otherwise."""
    found = {name: count for name, count in needs.items() if name not in UNCHECKED}
    for name, count in needs.items():
        quota = UNCHECKED.get(name)
        if quota is not None and quota in found:
            found[quota] += count
    return found


def service_peaks(
    use: QuotaUse, per_tenant: Counts, *, times: int | None, concurrency: int, tenants: int
) -> dict[str, dict[str, int]]:
    """``peak()`` of every service the scenario's iterations (``use``) or the contexts
    (``per_tenant``) use, by service."""
    found = {}
    for service in sorted(use.kept.keys() | use.transient.keys() | per_tenant.keys()):
        needs = peak(
            times=times,
            concurrency=concurrency,
            tenants=tenants,
            kept=use.kept.get(service, {}),
            transient=use.transient.get(service, {}),
            per_tenant=per_tenant.get(service, {}),
        )
        if needs:
            found[service] = needs
    return found


@dataclass(frozen=True)
class Shortfall:
    resource: str
    limit: int
    used: int
    needed: int
    service: str = "nova"

    def __str__(self) -> str:
        return (
            f"{self.service} quota {self.resource}: the run needs {self.needed} per project, "
            f"the limit is {self.limit} with {self.used} in use"
        )


def exceeded(
    service: str, needs: Mapping[str, int], limits: Mapping[str, int], used: Mapping[str, int]
) -> list[Shortfall]:
    """The quotas of ``service`` that ``needs`` would exceed (a limit of -1 is unlimited)."""
    found = []
    for resource, needed in needs.items():
        limit = limits.get(resource, -1)
        in_use = used.get(resource, 0)
        if limit >= 0 and in_use + needed > limit:
            found.append(Shortfall(resource, limit, in_use, needed, service))
    return found


def shortfalls(
    demand: ServerDemand, limits: dict[str, int], used: dict[str, int]
) -> list[Shortfall]:
    """The nova quotas ``demand`` would exceed (a limit of -1 is unlimited)."""
    needs = {"instances": demand.instances, "cores": demand.cores, "ram": demand.ram}
    return exceeded("nova", needs, limits, used)
