"""``users``: projects and users the iterations act as (Rally's ``users@openstack``).

Creates ``tenants`` projects with ``users_per_tenant`` users each (role ``member``),
concurrently, and authenticates each user once. When the cloud spec lists
existing users (Rally deployment ``users: [...]``), those are used instead and
nothing is created, as Rally does.
"""

from __future__ import annotations

import secrets
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from squall.contexts.openstack._base import OpenStackContext
from squall.openstack.credentials import Credential
from squall.openstack.errors import cloud_errors
from squall.openstack.journal import ResourceKind
from squall.openstack.quota import DEFAULT_SECURITY_GROUP
from squall.openstack.tenants import CloudUser, Tenant, Users

MEMBER_ROLES = ("member", "_member_", "Member")


class UsersContext(OpenStackContext):
    """Create projects and users (or use the cloud's existing users)."""

    name: ClassVar[str] = "users"
    order: ClassVar[int] = 100

    class Config(BaseModel):
        model_config = ConfigDict(extra="forbid")
        tenants: int = Field(1, ge=1, description="projects to create")
        users_per_tenant: int = Field(1, ge=1)
        resource_management_workers: int = Field(20, ge=1)
        project_domain: str = Field("default", description="domain id or name of the projects")
        user_domain: str = Field("default", description="domain id or name of the users")
        user_choice_method: Literal["random", "round_robin"] = "random"
        user_password: str | None = Field(None, repr=False)

    @classmethod
    def quota_use(cls, config: BaseModel) -> dict[str, dict[str, int]]:
        """neutron's default security group, which every project it creates gets."""
        return {"neutron": dict(DEFAULT_SECURITY_GROUP)}

    @property
    def cfg(self) -> UsersContext.Config:
        assert isinstance(self.config, UsersContext.Config)
        return self.config

    def setup(self) -> None:
        spec = self.env.primary
        users = self._existing() if spec.users else self._create()
        users.choice = self.cfg.user_choice_method
        self.context.put(users)

    def _existing(self) -> Users:
        spec = self.env.primary
        sessions = self.concurrently(
            lambda cred: self.env.session(spec, cred),
            spec.users,
            self.cfg.resource_management_workers,
        )
        tenants: dict[str, Tenant] = {}
        for session in sessions:
            tenant = tenants.setdefault(
                session.project_id, Tenant(id=session.project_id, name=session.project_id)
            )
            tenant.users.append(CloudUser(session, session.user_id, session.project_id))
        return Users(tenants=list(tenants.values()))

    def _create(self) -> Users:
        cfg, identity = self.cfg, self.admin.identity
        with cloud_errors("keystone.find_domain"):
            project_domain = identity.find_domain(cfg.project_domain, ignore_missing=False).id
            user_domain = identity.find_domain(cfg.user_domain, ignore_missing=False).id
        role = self._member_role(identity)
        projects = self.concurrently(
            lambda _: self.create(
                ResourceKind.PROJECT,
                lambda name: identity.create_project(name=name, domain_id=project_domain),
            ),
            range(cfg.tenants),
            cfg.resource_management_workers,
        )
        tenants = [Tenant(id=p.id, name=p.name, created=True) for p in projects]
        slots = [t for t in tenants for _ in range(cfg.users_per_tenant)]

        def make_user(tenant: Tenant) -> CloudUser:
            password = cfg.user_password or secrets.token_urlsafe(16)
            user = self.create(
                ResourceKind.USER,
                lambda name: identity.create_user(
                    name=name,
                    password=password,
                    domain_id=user_domain,
                    default_project_id=tenant.id,
                ),
                project_id=tenant.id,
            )
            with cloud_errors("keystone.add_role"):
                identity.assign_project_role_to_user(tenant.id, user.id, role)
            credential = Credential(
                username=user.name,
                password=password,
                project_id=tenant.id,
                user_domain_name=None,
                project_domain_name=None,
                user_domain_id=user_domain,
            )
            session = self.env.session(self.env.primary, credential)
            return CloudUser(session, user.id, tenant.id, created=True)

        made = self.concurrently(make_user, slots, cfg.resource_management_workers)
        by_project = {t.id: t for t in tenants}
        for user in made:
            by_project[user.project_id].users.append(user)
        return Users(tenants=tenants)

    @staticmethod
    def _member_role(identity: Any) -> Any:
        with cloud_errors("keystone.list_roles"):
            for name in MEMBER_ROLES:
                role = identity.find_role(name)
                if role is not None:
                    return role
        from squall.errors import CloudError

        raise CloudError(
            "the cloud has no member role", hint=f"create one of: {', '.join(MEMBER_ROLES)}"
        )

    def cleanup(self) -> None:
        users = self.context.get(Users)
        if users is not None:
            for user in users.all_users:
                if user.created:
                    self.env.forget(user.session)
        super().cleanup()
