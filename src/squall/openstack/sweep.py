"""Cleaning up after a workload, checking a run for leaks, and cleaning a run.

- ``sweep_workload``: after a workload's load ends and before its contexts are
  cleaned up, delete what its scenarios created and did not delete (Rally's
  hidden ``cleanup`` context, but from the journal: no listing of the cloud).
- ``find_leftovers``: the journal's live rows of a run plus everything in the
  cloud named after the run; after every run, squall reports these as leaks.
- ``clean``: delete what ``find_leftovers`` found (``squall cleanup``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from squall.openstack.cleanup import Cleaner, CleanupReport, plan
from squall.openstack.cloud import OpenStackEnv
from squall.openstack.credentials import CloudSpec
from squall.openstack.inventory import Found, discover
from squall.openstack.journal import Journal, JournalEntry
from squall.openstack.leftover import Search
from squall.openstack.naming import is_squall_name, run8
from squall.openstack.ratelimit import RateLimiter


def sweep_workload(env: OpenStackEnv, run_id: str, scope: str) -> CleanupReport:
    """Delete the live journaled resources of one workload (``scope``), as the admin."""
    report = CleanupReport(planned=[])
    for spec in env.clouds:
        entries = [
            e for e in env.journal.entries(run_id) if e.scope == scope and e.cloud == spec.label
        ]
        if not entries:
            continue
        part = Cleaner(env.admin(spec).conn, env.journal).run(plan(entries, []))
        report.planned += part.planned
        report.deleted += part.deleted
        report.failed += part.failed
    return report


def matcher(run_id: str | None, skip: frozenset[str] = frozenset()) -> Callable[[str], bool]:
    """Names of ``run_id``'s resources, or of every squall run but those in ``skip``."""
    skipped = {run8(r) for r in skip}

    def matches(name: str) -> bool:
        if not is_squall_name(name, run_id):
            return False
        return name.split("-")[1] not in skipped

    return matches


def find_leftovers(
    conn: Any,
    journal: Journal | None,
    spec: CloudSpec,
    run_id: str | None,
    *,
    older_than: float | None = None,
    skip_runs: frozenset[str] = frozenset(),
    limiter: RateLimiter | None = None,
) -> Search:
    """Live journal rows (of ``run_id``, or all runs but ``skip_runs``) plus resources
    named like squall's (each listing paced by ``limiter`` when given), and the kinds
    the credentials may not list."""
    entries: list[JournalEntry] = []
    if journal is not None:
        entries = [
            e
            for e in journal.entries(run_id)
            if e.cloud in (spec.label, spec.name) and e.run_id not in skip_runs
        ]
        if older_than is not None:
            entries = [e for e in entries if e.created_at <= older_than]
    pace = limiter.wait if limiter is not None else None
    discovery = discover(conn, matcher(run_id, skip_runs), pace=pace)
    found = discovery.found
    if older_than is not None:
        found = of_runs_older_than(found, older_than)
    return Search(plan(entries, found), discovery.unlisted)


def of_runs_older_than(found: Iterable[Found], cutoff: float) -> list[Found]:
    """The resources of runs that created nothing after ``cutoff`` (pure).

    The age is a run's, not each resource's: the newest creation time among the
    run's resources found, for keystone gives users and projects none. A run that
    created something after the cutoff may still be running and is left alone whole
    (its users and projects with it); so is a run none of whose resources has a
    creation time (it may just have made its users).
    """
    items = list(found)
    newest: dict[str, float] = {}
    for item in items:
        run = item.name.split("-")[1]
        newest[run] = max(newest.get(run, -math.inf), item.created or -math.inf)
    return [i for i in items if -math.inf < newest[i.name.split("-")[1]] <= cutoff]


def clean(
    conn: Any,
    journal: Journal | None,
    search: Search,
    *,
    dry_run: bool = False,
    rate: float = 20.0,
    limiter: RateLimiter | None = None,
) -> CleanupReport:
    """Delete what ``search`` found in dependency order (or only report it with
    ``dry_run``), at most ``rate`` calls per second (or as ``limiter``, shared with the
    search); the report names the kinds the search could not list."""
    cleaner = Cleaner(conn, journal, rate=rate, limiter=limiter)
    report = cleaner.run(search.leftovers, dry_run=dry_run)
    report.unlisted = list(search.unlisted)
    return report
