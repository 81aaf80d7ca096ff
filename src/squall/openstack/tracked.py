"""One journaled create: the row before the call, the id (or the failure) after it.

Everything squall creates in a cloud goes through ``tracked`` (contexts, the data
plane's openstack provider), so a crash between the two journal writes leaves a
``creating`` row that ``squall cleanup`` resolves by name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from squall.openstack.errors import cloud_errors
from squall.openstack.journal import ResourceKind, Tracker

T = TypeVar("T")


def _id_of(resource: object) -> str:
    return str(getattr(resource, "id", ""))


def tracked(
    tracker: Tracker,
    kind: ResourceKind,
    name: str,
    create: Callable[[str], T],
    *,
    project_id: str | None = None,
    parent_id: str | None = None,
    resource_id: Callable[[T], str] = _id_of,
) -> T:
    """Journal ``name``, call ``create(name)`` (errors translated), complete the row."""
    entry = tracker.begin(kind, name, project_id=project_id, parent_id=parent_id)
    try:
        with cloud_errors(f"create {kind} {name}"):
            resource = create(name)
    except BaseException:
        tracker.failed(entry)
        raise
    tracker.created(entry, resource_id(resource))
    return resource
