"""Waiting for a resource to reach a status, or to be gone, by polling.

A wait is inside the atomic action it belongs to (Rally's ``nova.boot_server``
includes the polling until ACTIVE), so its poll interval quantises that figure.
Defaults are Rally's (``rally_openstack/common/cfg/*.py``) so numbers compare with
historical Rally data; a workload overrides them with the scenario argument
``waits: {nova_server_boot: {prepoll: 0, interval: 0.5, timeout: 120}}`` and every
figure is reported with the values used (``WorkloadSummary.quantisation``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field

from squall.openstack.errors import ResourceFailed, ResourceNotFound, WaitTimeout

T = TypeVar("T")


@dataclass(frozen=True)
class WaitPolicy:
    """Sleep ``prepoll`` seconds, then poll every ``interval`` until ``timeout``."""

    prepoll: float
    interval: float
    timeout: float


#: Rally's defaults: name -> (prepoll delay, poll interval, timeout), seconds.
DEFAULTS: dict[str, WaitPolicy] = {
    name: WaitPolicy(prepoll, interval, timeout)
    for name, (prepoll, interval, timeout) in {
        "nova_server_start": (0.0, 1.0, 300.0),
        "nova_server_stop": (0.0, 2.0, 300.0),
        "nova_server_boot": (1.0, 2.0, 300.0),
        "nova_server_delete": (2.0, 2.0, 300.0),
        "nova_server_reboot": (2.0, 2.0, 300.0),
        "nova_server_rebuild": (1.0, 1.0, 300.0),
        "nova_server_rescue": (2.0, 2.0, 300.0),
        "nova_server_unrescue": (2.0, 2.0, 300.0),
        "nova_server_suspend": (2.0, 2.0, 300.0),
        "nova_server_resume": (2.0, 2.0, 300.0),
        "nova_server_pause": (2.0, 2.0, 300.0),
        "nova_server_unpause": (2.0, 2.0, 300.0),
        "nova_server_shelve": (2.0, 2.0, 300.0),
        "nova_server_unshelve": (2.0, 2.0, 300.0),
        "nova_server_image_create": (0.0, 2.0, 300.0),
        "nova_server_image_delete": (0.0, 2.0, 300.0),
        "nova_server_resize": (2.0, 4.0, 400.0),
        "nova_server_resize_confirm": (0.0, 2.0, 200.0),
        "nova_server_resize_revert": (0.0, 2.0, 200.0),
        "nova_server_live_migrate": (1.0, 2.0, 400.0),
        "nova_server_migrate": (1.0, 2.0, 400.0),
        "nova_detach_volume": (0.0, 2.0, 200.0),
        "cinder_volume_create": (2.0, 2.0, 600.0),
        "cinder_volume_delete": (0.0, 2.0, 600.0),
        "cinder_backup": (0.0, 2.0, 600.0),
        "glance_image_create": (2.0, 1.0, 120.0),
        "glance_image_delete": (0.0, 1.0, 120.0),
        "glance_image_import": (0.0, 2.0, 120.0),
        # squall's own context and cleanup waits (no Rally equivalent timed)
        "context_resource": (0.0, 1.0, 600.0),
        "cleanup_delete": (0.0, 1.0, 600.0),
    }.items()
}


class WaitOverride(BaseModel):
    """Per-workload change to one wait; unset fields keep the default."""

    model_config = ConfigDict(extra="forbid")
    prepoll: float | None = Field(None, ge=0)
    interval: float | None = Field(None, gt=0)
    timeout: float | None = Field(None, gt=0)


def resolve(name: str, overrides: Mapping[str, WaitOverride] | None = None) -> WaitPolicy:
    """The policy for wait ``name``: Rally's default with the workload's overrides."""
    base = DEFAULTS.get(name, DEFAULTS["context_resource"])
    change = (overrides or {}).get(name)
    if change is None:
        return base
    return WaitPolicy(
        prepoll=base.prepoll if change.prepoll is None else change.prepoll,
        interval=base.interval if change.interval is None else change.interval,
        timeout=base.timeout if change.timeout is None else change.timeout,
    )


def quantisation(
    names: Iterable[str], overrides: Mapping[str, WaitOverride] | None = None
) -> dict[str, float]:
    """What to report next to the figures: ``<wait>.poll_interval`` etc. for each wait."""
    report: dict[str, float] = {}
    for name in names:
        policy = resolve(name, overrides)
        report[f"{name}.prepoll_delay"] = policy.prepoll
        report[f"{name}.poll_interval"] = policy.interval
        report[f"{name}.timeout"] = policy.timeout
    return report


def wait_for_status(
    fetch: Callable[[], T],
    status_of: Callable[[T], str],
    ready: Iterable[str],
    policy: WaitPolicy,
    *,
    failure: Iterable[str] = ("ERROR",),
    what: str = "resource",
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Poll ``fetch()`` until its status is in ``ready``; raise on ``failure`` or timeout.

    ``fetch`` raising ``ResourceNotFound`` fails the wait (the resource vanished).
    """
    ready_set = {s.upper() for s in ready}
    failure_set = {s.upper() for s in failure}
    deadline = time.monotonic() + policy.timeout
    sleep(policy.prepoll)
    while True:
        resource = fetch()
        status = (status_of(resource) or "").upper()
        if status in ready_set:
            return resource
        if status in failure_set:
            wanted = sorted(ready_set)
            raise ResourceFailed(f"{what} went to status {status} while waiting for {wanted}")
        if time.monotonic() >= deadline:
            raise WaitTimeout(
                f"{what} still {status or 'without status'} after {policy.timeout:g} s "
                f"(waiting for {sorted(ready_set)})",
                hint="raise the wait's timeout with the scenario argument `waits`",
            )
        sleep(policy.interval)


def wait_for_delete(
    fetch: Callable[[], object | None],
    policy: WaitPolicy,
    *,
    what: str = "resource",
    deleted_statuses: Iterable[str] = ("DELETED",),
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Poll until ``fetch()`` returns None or raises ``ResourceNotFound``."""
    gone = {s.upper() for s in deleted_statuses}
    deadline = time.monotonic() + policy.timeout
    sleep(policy.prepoll)
    while True:
        try:
            resource = fetch()
        except ResourceNotFound:
            return
        if resource is None or str(getattr(resource, "status", "") or "").upper() in gone:
            return
        if time.monotonic() >= deadline:
            raise WaitTimeout(f"{what} still exists {policy.timeout:g} s after its deletion")
        sleep(policy.interval)


def wait_for_all_deleted(
    present: Callable[[frozenset[str]], frozenset[str]],
    ids: Iterable[str],
    policy: WaitPolicy,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> frozenset[str]:
    """Poll many resources at once until all are gone; return those still there at
    ``policy.timeout`` (empty: all gone).

    ``present(pending)`` says which of ``pending`` still exist (one listing, or a
    read each): one poll round costs one call however many resources are waited
    for, and nobody sleeps per resource.
    """
    pending = frozenset(ids)
    if not pending:
        return pending
    deadline = clock() + policy.timeout
    sleep(policy.prepoll)
    while True:
        pending = present(pending)
        if not pending or clock() >= deadline:
            return pending
        sleep(policy.interval)
