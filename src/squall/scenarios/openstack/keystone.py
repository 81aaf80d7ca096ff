"""KeystoneBasic.*: users, projects, roles, services and tokens (Rally's names and atomics).

Every scenario acts as the admin. What it creates and does not delete itself is
journaled and removed by the end-of-workload sweep (Rally's ``cleanup: [keystone]``).
Atomic names are Rally's current ones (``keystone.create_user``); the older
``keystone_v3.*`` names in Rally task files' SLA criteria become them
(``squall.task.rally_compat.ATOMIC_ALIASES``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, Field

from squall.openstack.journal import ResourceKind
from squall.scenarios.openstack.base import OpenStackArgs, OpenStackScenario


class _Compat(OpenStackArgs):
    """Arguments old Rally task files still pass (keystone's own rally-jobs do);
    accepted and ignored, as Rally does: names are always ``squall-<run8>-<rand>``."""

    name_length: int | None = Field(None, description="ignored (Rally's old argument)")
    password_length: int | None = Field(None, description="ignored (Rally's old argument)")


class _Args(_Compat):
    """Rally passes ``**kwargs`` to the create call; the common ones are typed here."""

    enabled: bool | None = None
    domain_name: str | None = None
    password: str | None = None
    email: str | None = None
    description: str | None = None


class KeystoneScenario(OpenStackScenario):
    """Keystone helpers: each call timed under Rally's atomic name."""

    services: ClassVar[tuple[str, ...]] = ("identity",)
    needs_admin: ClassVar[bool] = True
    Config: ClassVar[type[BaseModel]] = _Compat

    @property
    def identity(self) -> Any:
        return self.admin_clients.identity

    def _domain_id(self, name: str | None) -> str | None:
        if name is None:
            return None
        return str(self.identity.find_domain(name, ignore_missing=False).id)

    def _create_user(self, project_id: str | None = None, **kwargs: Any) -> Any:
        attrs = {k: v for k, v in kwargs.items() if v is not None}
        if project_id:
            attrs["default_project_id"] = project_id
        return self.create_tracked(
            ResourceKind.USER,
            "keystone.create_user",
            lambda name: self.identity.create_user(name=name, **attrs),
            project_id=project_id or "",
        )

    def _create_project(self, **kwargs: Any) -> Any:
        attrs = {k: v for k, v in kwargs.items() if v is not None}
        return self.create_tracked(
            ResourceKind.PROJECT,
            "keystone.create_project",
            lambda name: self.identity.create_project(name=name, **attrs),
            project_id="",
        )

    def _create_role(self) -> Any:
        return self.create_tracked(
            ResourceKind.ROLE,
            "keystone.create_role",
            lambda name: self.identity.create_role(name=name),
            project_id="",
        )

    def _create_service(
        self, service_type: str | None = None, description: str | None = None
    ) -> Any:
        return self.create_tracked(
            ResourceKind.SERVICE,
            "keystone.create_service",
            lambda name: self.identity.create_service(
                name=name, type=service_type or "squall_test_type", description=description
            ),
            project_id="",
        )

    def _delete(self, kind: ResourceKind, atomic: str, delete: Any, resource: Any) -> None:
        with self.action(atomic):
            delete(resource)
        self.untracked(kind, resource.id)

    def _user_args(self) -> dict[str, Any]:
        cfg = self.config
        assert isinstance(cfg, _Args)
        return {
            "enabled": cfg.enabled,
            "domain_id": self._domain_id(cfg.domain_name),
            "password": cfg.password,
            "email": cfg.email,
        }

    def _project_args(self) -> dict[str, Any]:
        cfg = self.config
        assert isinstance(cfg, _Args)
        return {
            "enabled": cfg.enabled,
            "domain_id": self._domain_id(cfg.domain_name),
            "description": cfg.description,
        }


class CreateUser(KeystoneScenario):
    """Create a keystone user."""

    name: ClassVar[str] = "KeystoneBasic.create_user"
    Config = _Args

    def run(self) -> None:
        self._create_user(**self._user_args())


class CreateDeleteUser(KeystoneScenario):
    """Create a keystone user and delete it."""

    name: ClassVar[str] = "KeystoneBasic.create_delete_user"
    Config = _Args

    def run(self) -> None:
        user = self._create_user(**self._user_args())
        self._delete(ResourceKind.USER, "keystone.delete_user", self.identity.delete_user, user)


class CreateUserSetEnabledAndDelete(KeystoneScenario):
    """Create a user, flip its ``enabled`` flag, delete it."""

    name: ClassVar[str] = "KeystoneBasic.create_user_set_enabled_and_delete"

    class Config(_Args):
        enabled: bool | None = True

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, _Args)
        user = self._create_user(**self._user_args())
        with self.action("keystone.update_user"):
            self.identity.update_user(user, is_enabled=not cfg.enabled)
        self._delete(ResourceKind.USER, "keystone.delete_user", self.identity.delete_user, user)


class CreateAndListUsers(KeystoneScenario):
    """Create a user, then list users."""

    name: ClassVar[str] = "KeystoneBasic.create_and_list_users"
    Config = _Args

    def run(self) -> None:
        self._create_user(**self._user_args())
        with self.action("keystone.list_users"):
            list(self.identity.users())


class CreateUserUpdatePassword(KeystoneScenario):
    """Create a user, then change its password."""

    name: ClassVar[str] = "KeystoneBasic.create_user_update_password"

    def run(self) -> None:
        user = self._create_user()
        with self.action("keystone.update_user_password"):
            self.identity.update_user(user, password=self.generate_name())


class CreateTenant(KeystoneScenario):
    """Create a keystone project (Rally's "tenant")."""

    name: ClassVar[str] = "KeystoneBasic.create_tenant"
    Config = _Args

    def run(self) -> None:
        self._create_project(**self._project_args())


class CreateAndListTenants(KeystoneScenario):
    """Create a project, then list projects."""

    name: ClassVar[str] = "KeystoneBasic.create_and_list_tenants"
    Config = _Args

    def run(self) -> None:
        self._create_project(**self._project_args())
        with self.action("keystone.list_projects"):
            list(self.identity.projects())


class CreateTenantWithUsers(KeystoneScenario):
    """Create a project and ``users_per_tenant`` users in it."""

    name: ClassVar[str] = "KeystoneBasic.create_tenant_with_users"

    class Config(_Args):
        users_per_tenant: int = Field(1, ge=1)

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateTenantWithUsers.Config)
        project = self._create_project(**self._project_args())
        for _ in range(cfg.users_per_tenant):
            self._create_user(project_id=project.id)


class CreateUpdateAndDeleteTenant(KeystoneScenario):
    """Create a project, change its name and description, delete it."""

    name: ClassVar[str] = "KeystoneBasic.create_update_and_delete_tenant"
    Config = _Args

    def run(self) -> None:
        project = self._create_project(**self._project_args())
        with self.action("keystone.update_project"):
            self.identity.update_project(
                project, name=self.generate_name(), description=self.generate_name()
            )
        self._delete(
            ResourceKind.PROJECT, "keystone.delete_project", self.identity.delete_project, project
        )


class CreateAndDeleteRole(KeystoneScenario):
    """Create a role and delete it."""

    name: ClassVar[str] = "KeystoneBasic.create_and_delete_role"

    def run(self) -> None:
        role = self._create_role()
        self._delete(ResourceKind.ROLE, "keystone.delete_role", self.identity.delete_role, role)


class CreateAndGetRole(KeystoneScenario):
    """Create a role and get it."""

    name: ClassVar[str] = "KeystoneBasic.create_and_get_role"

    def run(self) -> None:
        role = self._create_role()
        with self.action("keystone.get_role"):
            self.identity.get_role(role.id)


class AddAndRemoveUserRole(KeystoneScenario):
    """Create a role, give it to the user in their project, take it back."""

    name: ClassVar[str] = "KeystoneBasic.add_and_remove_user_role"

    def run(self) -> None:
        role = self._create_role()
        user, project = self.user.id, self.user.project_id
        with self.action("keystone.add_role"):
            self.identity.assign_project_role_to_user(project, user, role)
        with self.action("keystone.revoke_role"):
            self.identity.unassign_project_role_from_user(project, user, role)


class CreateAddAndListUserRoles(KeystoneScenario):
    """Create a role, give it to the user in their project, list the user's roles."""

    name: ClassVar[str] = "KeystoneBasic.create_add_and_list_user_roles"

    def run(self) -> None:
        role = self._create_role()
        user, project = self.user.id, self.user.project_id
        with self.action("keystone.add_role"):
            self.identity.assign_project_role_to_user(project, user, role)
        with self.action("keystone.list_roles"):
            list(self.identity.role_assignments(user_id=user, scope_project_id=project))


class GetEntities(KeystoneScenario):
    """Create a project, a user and a role, then get each, and get a service."""

    name: ClassVar[str] = "KeystoneBasic.get_entities"

    class Config(_Compat):
        service_name: str | None = "keystone"

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, GetEntities.Config)
        project = self._create_project()
        user = self._create_user(project_id=project.id)
        role = self._create_role()
        with self.action("keystone.get_project"):
            self.identity.get_project(project.id)
        with self.action("keystone.get_user"):
            self.identity.get_user(user.id)
        with self.action("keystone.get_role"):
            self.identity.get_role(role.id)
        if cfg.service_name is None:
            service = self._create_service()
        else:
            with self.action("keystone.get_service_by_name"):
                service = self.identity.find_service(cfg.service_name, ignore_missing=False)
        with self.action("keystone.get_service"):
            self.identity.get_service(service.id)


class CreateAndDeleteService(KeystoneScenario):
    """Create a service and delete it."""

    name: ClassVar[str] = "KeystoneBasic.create_and_delete_service"

    class Config(_Compat):
        service_type: str | None = None
        description: str | None = None

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndDeleteService.Config)
        service = self._create_service(cfg.service_type, cfg.description)
        self._delete(
            ResourceKind.SERVICE, "keystone.delete_service", self.identity.delete_service, service
        )


class CreateAndListServices(KeystoneScenario):
    """Create a service, then list services."""

    name: ClassVar[str] = "KeystoneBasic.create_and_list_services"

    class Config(_Compat):
        service_type: str | None = None
        description: str | None = None

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndListServices.Config)
        self._create_service(cfg.service_type, cfg.description)
        with self.action("keystone.list_services"):
            list(self.identity.services())


class AuthenticateUserAndValidateToken(KeystoneScenario):
    """Fetch a token for the admin, then have keystone validate it."""

    name: ClassVar[str] = "KeystoneBasic.authenticate_user_and_validate_token"

    def run(self) -> None:
        conn = self.admin_clients
        auth, http = conn.session.auth, conn.session
        with self.action("keystone.fetch_token"):
            token = auth.get_auth_ref(http).auth_token
        with self.action("keystone.validate_token"):
            conn.identity.get("/auth/tokens", headers={"X-Subject-Token": token}, raise_exc=True)
