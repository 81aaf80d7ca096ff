"""``squall dataplane cleanup RUN`` for a run of the ``openstack`` provider.

Such a run journals its resources in the results store under its own run id, like a
task run, so its leftovers go through ``squall cleanup``'s code path
(:func:`squall.api.cleanup.cleanup`): the journal, then names ``squall-<run8>-...``.
The clouds are those given on the command line, else those the journal names (where
the run staged, whatever ``OS_CLOUD`` says), else the plan's ``clouds`` (a run with no
live journal row: ``--no-store`` journaled in memory only), else ``OS_CLOUD`` / ``OS_*``.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from squall.api.dataplane import RunView, list_runs
from squall.errors import ConfigError

if TYPE_CHECKING:
    from squall.api.cleanup import CloudCleanup
    from squall.api.openstack import CloudOptions
    from squall.openstack.journal import Journal
    from squall.results.store import Store

OPENSTACK = "openstack"


def find_run(ref: str, workdir: Path, store: Store | None) -> RunView | None:
    """The run ``ref`` (an id or a prefix) names, in ``workdir`` or the store; None if
    none does; ConfigError if several do."""
    views, _problems = list_runs(workdir, store)
    matches = [v for v in views if v.run.startswith(ref)]
    if len(matches) > 1:
        raise ConfigError(
            f"{len(matches)} data-plane runs match {ref!r}",
            hint="give more of the run id (squall dataplane status lists them)",
        )
    return matches[0] if matches else None


@dataclass(frozen=True)
class CloudRunCleanup:
    """How to clean an OpenStack run; ``clouds`` None: the journal's, else the plan's."""

    dry_run: bool = False
    rate: float = 20.0  # API calls per second
    clouds: CloudOptions | None = None


def _refuse_live(view: RunView) -> None:
    """A run whose squall process still runs on this host tears down by itself."""
    here = view.data.get("environment", {}).get("host") == socket.gethostname()
    if view.status == "running" and here:
        raise ConfigError(
            f"run {view.run} is still running (squall process {view.data.get('pid')})",
            hint="stop it with Ctrl-C: it removes what it staged",
        )


def plan_clouds(plan: dict[str, Any]) -> tuple[str, ...]:
    """The plan's server and client clouds as ``NAME`` or ``NAME/REGION``; () when the
    plan names none (it used ``OS_CLOUD`` / ``OS_*``)."""
    clouds = plan.get("clouds") or {}
    server = clouds.get("server")
    if not server:
        return ()
    server_region = clouds.get("server_region")
    client = clouds.get("client") or server
    client_region = clouds.get("client_region") or server_region
    labels = [_label(server, server_region), _label(client, client_region)]
    return tuple(dict.fromkeys(labels))


def _label(name: str, region: str | None) -> str:
    return f"{name}/{region}" if region else name


def clean_openstack_run(
    view: RunView, store: Store, journal: Journal, how: CloudRunCleanup
) -> list[CloudCleanup]:
    """Delete (or with ``dry_run`` list) what the OpenStack run ``view`` left, cloud by
    cloud, exactly as ``squall cleanup --run`` does."""
    from squall.api.cleanup import CleanupRequest, cleanup
    from squall.api.openstack import CloudOptions

    if view.data.get("provider") != OPENSTACK:
        raise ConfigError(
            f"run {view.run} used the {view.data.get('provider')} provider, not openstack"
        )
    _refuse_live(view)
    clouds = how.clouds
    if clouds is None and journal.entries(view.run):
        clouds = CloudOptions(environ={})  # where the run staged, whatever OS_CLOUD says
    elif clouds is None:
        clouds = CloudOptions(clouds=plan_clouds(view.data.get("plan", {})))
    request = CleanupRequest(run=view.run, dry_run=how.dry_run, rate=how.rate, clouds=clouds)
    return cleanup(request, store, journal)
