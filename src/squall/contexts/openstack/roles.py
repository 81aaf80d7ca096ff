"""``roles``: give every user of the workload extra roles in their project (Rally's ``roles``)."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import RootModel

from squall.contexts.openstack._base import OpenStackContext
from squall.errors import ConfigError
from squall.openstack.errors import cloud_errors
from squall.openstack.tenants import CloudUser


class RolesContext(OpenStackContext):
    """Assign the listed roles (``[admin, heat_stack_owner]``) to every user in their
    project, and take them back at cleanup (deleting users takes them back too)."""

    name: ClassVar[str] = "roles"
    order: ClassVar[int] = 330

    class Config(RootModel[list[str]]):
        pass

    def _roles(self) -> list[Any]:
        assert isinstance(self.config, RolesContext.Config)
        identity, found = self.admin.identity, []
        with cloud_errors("keystone.list_roles"):
            for name in self.config.root:
                role = identity.find_role(name)
                if role is None:
                    raise ConfigError(f"roles: the cloud has no role {name!r}")
                found.append(role)
        return found

    def setup(self) -> None:
        self._assigned: list[tuple[CloudUser, Any]] = []
        roles = self._roles()
        pairs = [(user, role) for user in self.users.all_users for role in roles]
        self.concurrently(self._assign, pairs)
        self._assigned = pairs

    def _assign(self, pair: tuple[CloudUser, Any]) -> None:
        user, role = pair
        with cloud_errors("keystone.add_role"):
            self.admin.identity.assign_project_role_to_user(user.project_id, user.id, role)

    def _revoke(self, pair: tuple[CloudUser, Any]) -> None:
        user, role = pair
        with cloud_errors("keystone.revoke_role"):
            self.admin.identity.unassign_project_role_from_user(user.project_id, user.id, role)

    def cleanup(self) -> None:
        pairs = getattr(self, "_assigned", [])
        self.concurrently(self._revoke, [(u, r) for u, r in pairs if not u.created])
