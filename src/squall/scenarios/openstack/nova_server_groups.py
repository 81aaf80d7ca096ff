"""NovaServerGroups.*: server groups (Rally's names and atomics)."""

from __future__ import annotations

from typing import Any, ClassVar

from squall.errors import CloudError
from squall.openstack.journal import ResourceKind
from squall.scenarios.openstack.base import OpenStackArgs, OpenStackScenario


class GroupArgs(OpenStackArgs):
    policies: list[str] | None = None
    kwargs: dict[str, Any] | None = None  # Rally's deprecated spelling of the create args


class ServerGroupScenario(OpenStackScenario):
    services: ClassVar[tuple[str, ...]] = ("compute",)

    def _create_group(self) -> Any:
        cfg = self.config
        assert isinstance(cfg, GroupArgs)
        attrs = dict(cfg.kwargs) if cfg.kwargs is not None else {"policies": cfg.policies}
        attrs = {k: v for k, v in attrs.items() if v is not None}
        compute = self.clients.compute
        return self.create_tracked(
            ResourceKind.SERVER_GROUP,
            "nova.create_server_group",
            lambda name: compute.create_server_group(name=name, **attrs),
        )


class CreateAndListServerGroups(ServerGroupScenario):
    """Create a server group, list groups and check the new one is listed."""

    name: ClassVar[str] = "NovaServerGroups.create_and_list_server_groups"

    class Config(GroupArgs):
        all_projects: bool = False

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndListServerGroups.Config)
        group = self._create_group()
        conn = self.admin_clients if cfg.all_projects else self.clients
        with self.action("nova.list_server_groups"):
            listed = {g.id for g in conn.compute.server_groups(all_projects=cfg.all_projects)}
        if group.id not in listed:
            raise CloudError(f"server group {group.id} is not in the list of server groups")


class CreateAndGetServerGroup(ServerGroupScenario):
    """Create a server group, then show it."""

    name: ClassVar[str] = "NovaServerGroups.create_and_get_server_group"
    Config = GroupArgs

    def run(self) -> None:
        group = self._create_group()
        with self.action("nova.get_server_group"):
            shown = self.clients.compute.get_server_group(group.id)
        if shown.id != group.id:
            raise CloudError(f"nova returned server group {shown.id} for {group.id}")


class CreateAndDeleteServerGroup(ServerGroupScenario):
    """Create a server group, then delete it."""

    name: ClassVar[str] = "NovaServerGroups.create_and_delete_server_group"
    Config = GroupArgs

    def run(self) -> None:
        group = self._create_group()
        with self.action("nova.delete_server_group"):
            self.clients.compute.delete_server_group(group.id, ignore_missing=False)
        self.untracked(ResourceKind.SERVER_GROUP, group.id)
