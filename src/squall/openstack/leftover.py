"""What cleanup deletes (``Leftover``) and what it reports (``CleanupReport``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from squall.openstack.journal import ResourceKind


@dataclass
class Leftover:
    """One resource to delete (``id`` None: journaled, never seen in the cloud)."""

    kind: ResourceKind
    name: str
    id: str | None
    project_id: str | None = None
    parent_id: str | None = None
    user_id: str | None = None
    entries: list[int] = field(default_factory=list)
    #: when it was created, seconds since the epoch (None: unknown)
    created_at: float | None = None

    def describe(self) -> str:
        return f"{self.kind} {self.name or '-'} ({self.id or 'never created'})"


@dataclass
class CleanupReport:
    planned: list[Leftover]
    dry_run: bool = False
    deleted: list[Leftover] = field(default_factory=list)
    failed: list[tuple[Leftover, str]] = field(default_factory=list)
    #: kinds the credentials may not list, so not searched by name (only the
    #: journal's rows of them were deleted)
    unlisted: list[ResourceKind] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass(frozen=True)
class Search:
    """What a search for leftovers found, and the kinds it could not list."""

    leftovers: list[Leftover]
    unlisted: list[ResourceKind] = field(default_factory=list)
