"""``keypair``: one keypair per user, named after the run (Rally's ``keypair``)."""

from __future__ import annotations

from typing import ClassVar

from squall.contexts.openstack._base import OpenStackContext
from squall.openstack.journal import ResourceKind
from squall.openstack.tenants import CloudUser


class KeypairContext(OpenStackContext):
    """Create a keypair for every user; servers booted by that user get it."""

    name: ClassVar[str] = "keypair"
    order: ClassVar[int] = 310

    def setup(self) -> None:
        self.concurrently(self._keypair, self.users.all_users)

    def _keypair(self, user: CloudUser) -> None:
        compute = user.session.conn.compute
        keypair = self.create(
            ResourceKind.KEYPAIR,
            lambda name: compute.create_keypair(name=name),
            project_id=user.project_id,
            parent_id=user.id,  # keypairs belong to a user: cleanup deletes them as admin
            resource_id=lambda kp: str(kp.name),
        )
        user.keypair = str(keypair.name)
