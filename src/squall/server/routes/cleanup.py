"""Cleanup of what runs left in a cloud (dry run by default)."""

from __future__ import annotations

from fastapi import APIRouter

from squall.server.deps import StoreDep
from squall.server.schemas import CleanupIn, CloudCleanupOut

router = APIRouter(prefix="/api/v1/cleanup", tags=["cleanup"])


@router.post(
    "",
    summary="Find (dry_run) or delete what squall left in the clouds",
)
def cleanup(body: CleanupIn, store: StoreDep) -> list[CloudCleanupOut]:
    # imported here: the OpenStack SDK is heavy and only this route needs it
    from squall.api import cleanup as cleanup_api
    from squall.api.openstack import CloudOptions
    from squall.results.journal import StoreJournal

    request = cleanup_api.CleanupRequest(
        run=body.run,
        all_runs=body.all_runs,
        dry_run=body.dry_run,
        older_than=cleanup_api.parse_age(body.older_than) if body.older_than else None,
        clouds=CloudOptions(clouds=tuple(body.clouds)),
    )
    results = cleanup_api.cleanup(request, store, StoreJournal(store))
    return [
        CloudCleanupOut(
            cloud=r.cloud,
            dry_run=r.report.dry_run,
            planned=[item.describe() for item in r.report.planned],
            deleted=[item.describe() for item in r.report.deleted],
            failed=[f"{item.describe()}: {why}" for item, why in r.report.failed],
            unlisted=[str(kind) for kind in r.report.unlisted],
        )
        for r in results
    ]
