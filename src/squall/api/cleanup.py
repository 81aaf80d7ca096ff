"""``squall cleanup``: delete what squall runs left in a cloud.

Works from the resource journal in the results store and from the cloud itself
(names ``squall-<run8>-...``), so it also cleans after ``kill -9`` and after the
run's results were deleted. Idempotent: running it twice deletes nothing twice.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from squall.api.openstack import CloudOptions, cloud_specs
from squall.errors import ConfigError, StoreError
from squall.openstack.cleanup import CleanupReport
from squall.openstack.cloud import OpenStackEnv
from squall.openstack.credentials import CloudSpec, from_clouds_yaml
from squall.openstack.journal import Journal
from squall.openstack.ratelimit import RateLimiter
from squall.openstack.sweep import clean, find_leftovers
from squall.results.records import RunStatus
from squall.results.store import Store

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")
_RUN_ID = re.compile(r"^[0-9a-fA-F-]{8,36}$")


def parse_age(text: str) -> float:
    """``90``, ``90s``, ``30m``, ``2h``, ``1d``, ``1w`` -> seconds."""
    match = _AGE.match(text)
    if match is None:
        raise ConfigError(f"cannot read age {text!r}", hint="write e.g. 90s, 30m, 2h, 1d or 1w")
    return float(match.group(1)) * _UNITS[match.group(2) or "s"]


@dataclass(frozen=True)
class CleanupRequest:
    run: str | None = None  # a run id, prefix or 'last'; None with all_runs
    all_runs: bool = False
    dry_run: bool = False
    older_than: float | None = None  # seconds
    rate: float = 20.0  # API calls per second
    clouds: CloudOptions = field(default_factory=CloudOptions)


@dataclass
class CloudCleanup:
    cloud: str
    report: CleanupReport


def resolve_run(store: Store | None, ref: str) -> str:
    """The full run id for ``ref``; a bare id is accepted even if its results are gone."""
    if store is not None:
        try:
            return store.get_run(ref).id
        except StoreError:
            pass
    compact = ref.replace("-", "").lower()
    if _RUN_ID.match(ref) and len(compact) == 32:
        return compact
    raise ConfigError(f"no run {ref!r} in the results store", hint="see `squall task list`")


def _active_runs(store: Store | None) -> frozenset[str]:
    """Runs of this store still running (their process is alive): ``--all`` spares them."""
    if store is None:
        return frozenset()
    live = (RunStatus.INIT, RunStatus.RUNNING, RunStatus.ABORTING)
    return frozenset(r.id for r in store.list_runs() if r.status in live)


def _specs(request: CleanupRequest, journal: Journal | None, run_id: str | None) -> list[CloudSpec]:
    specs = cloud_specs(request.clouds)
    if specs:
        return specs
    names = sorted({e.cloud for e in journal.entries(run_id)}) if journal is not None else []
    if names:
        return [from_clouds_yaml(*_split(label)) for label in names]
    raise ConfigError(
        "which cloud should be cleaned?",
        hint="pass --cloud NAME, or set OS_CLOUD / OS_* (the journal names no cloud for this run)",
    )


def nothing_journaled_left(request: CleanupRequest, journal: Journal, run_id: str) -> bool:
    """True when no cloud is given and no resource run ``run_id`` journaled is left
    (all deleted, or it used no cloud): the journal names no cloud to clean."""
    return not cloud_specs(request.clouds) and not journal.entries(run_id)


def _split(label: str) -> tuple[str, str | None]:
    name, _, region = label.partition("/")
    return name, region or None


def cleanup(
    request: CleanupRequest, store: Store | None, journal: Journal | None
) -> list[CloudCleanup]:
    """Find and delete (or with ``dry_run`` only list) leftovers, cloud by cloud."""
    if request.run is None and not request.all_runs:
        raise ConfigError("say what to clean", hint="pass --run ID or --all")
    run_id = resolve_run(store, request.run) if request.run is not None else None
    active = _active_runs(store) if run_id is None else frozenset()
    cutoff = time.time() - request.older_than if request.older_than is not None else None
    env = OpenStackEnv(clouds=_specs(request, journal, run_id))
    results: list[CloudCleanup] = []
    try:
        for spec in env.clouds:
            conn = env.admin(spec).conn
            limiter = RateLimiter(request.rate)  # the finding and the deleting share it
            search = find_leftovers(
                conn, journal, spec, run_id, older_than=cutoff, skip_runs=active, limiter=limiter
            )
            report = clean(conn, journal, search, dry_run=request.dry_run, limiter=limiter)
            results.append(CloudCleanup(spec.label, report))
    finally:
        env.close()
    return results
