"""The clouds an OpenStack data-plane run stages in, and the projects it uses there.

``resolve_clouds`` authenticates to the server cloud and the client cloud (two
clouds.yaml entries or regions, or one for both: the plan's ``clouds``, else
``OS_CLOUD`` / ``OS_*``). ``SideCloud`` is one of them: its sessions and journal
writer, the image, flavor and external network preflight found, each instance's
placement, and the projects staging works in — created with their users
(``tenancy: create``) or the given user's own (``tenancy: existing``).
"""

from __future__ import annotations

import os
import secrets
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from squall.dataplane.plan import Plan, Scale
from squall.errors import ConfigError
from squall.openstack.cloud import OpenStackEnv
from squall.openstack.credentials import CloudSpec, Credential, from_clouds_yaml, from_environ
from squall.openstack.errors import cloud_errors
from squall.openstack.journal import Journal, ResourceKind, Tracker
from squall.openstack.session import UserSession

Side = Literal["server", "client"]
SCOPE = "dataplane"
MEMBER_ROLES = ("member", "_member_", "Member")
#: quotas lifted on projects squall creates (the plan was checked against the cloud)
UNLIMITED_NOVA = {"instances": -1, "cores": -1, "ram": -1, "server_groups": -1}
UNLIMITED_NEUTRON = {
    "ports": -1,
    "networks": -1,
    "subnets": -1,
    "routers": -1,
    "floating_ips": -1,
    "security_groups": -1,
    "security_group_rules": -1,
}
UNLIMITED_CINDER = {"volumes": -1, "gigabytes": -1}

Create = Callable[..., Any]


@dataclass
class Project:
    """One project instances are staged in, and the users who boot them."""

    id: str
    sessions: list[UserSession]
    created: bool = False
    security_group: str | None = None
    server_groups: dict[str, str] = field(default_factory=dict)

    @property
    def conn(self) -> Any:
        return self.sessions[0].conn

    def booter(self, instance: str) -> UserSession:
        """The user who boots ``instance`` (instances spread over the project's users)."""
        return self.sessions[zlib.crc32(instance.encode()) % len(self.sessions)]


@dataclass
class SideCloud:
    """One cloud (region) of the run and what staging needs to know about it."""

    env: OpenStackEnv
    spec: CloudSpec
    tracker: Tracker
    sides: set[Side]
    tenancy: str
    image: str = ""
    flavor: str = ""
    external: str | None = None
    #: instance -> availability zone (``zone`` or ``zone:host``), None for the default
    placement: dict[str, str | None] = field(default_factory=dict)
    #: roles (server/client) whose instances go in an anti-affinity server group
    anti_affinity: bool = False
    spread_hosts: bool = False
    projects: dict[int, Project] = field(default_factory=dict)

    @property
    def session(self) -> UserSession:
        """The cloud's given user (the admin, with ``tenancy: create``)."""
        return self.env.admin(self.spec)

    @property
    def admin_conn(self) -> Any:
        return self.session.conn

    def project(self, tenant: int) -> Project:
        """The project of the plan's tenant ``tenant`` (one for all with ``existing``)."""
        return self.projects[tenant if self.tenancy == "create" else 0]

    def prepare_projects(self, create: Create, scale: Scale, check: Callable[[], None]) -> None:
        """Create the projects and users (or take the given user's), then server groups."""
        if self.tenancy == "existing":
            self.projects[0] = Project(self.session.project_id, [self.session])
        else:
            for tenant in range(scale.tenants):
                check()
                self.projects[tenant] = self._new_project(create, scale.users_per_tenant)
        if self.anti_affinity:
            for project in self.projects.values():
                for role in sorted(self.sides):
                    compute = project.conn.compute
                    group = create(
                        ResourceKind.SERVER_GROUP,
                        lambda name, c=compute: c.create_server_group(
                            name=name, policy="anti-affinity"
                        ),
                        project_id=project.id,
                    )
                    project.server_groups[role] = str(group.id)

    def _new_project(self, create: Create, users: int) -> Project:
        identity = self.admin_conn.identity
        project = create(
            ResourceKind.PROJECT,
            lambda name: identity.create_project(
                name=name, domain_id="default", description="squall data plane"
            ),
        )
        self._lift_quotas(str(project.id))
        roles = self._roles(identity)
        sessions = []
        for _ in range(users):
            password = secrets.token_urlsafe(18)
            user = create(
                ResourceKind.USER,
                lambda name, p=password: identity.create_user(
                    name=name, password=p, domain_id="default", default_project_id=project.id
                ),
                project_id=str(project.id),
            )
            with cloud_errors("keystone.assign_role"):
                for role in roles:
                    identity.assign_project_role_to_user(project.id, user.id, role)
            credential = Credential(
                username=str(user.name),
                password=password,
                project_id=str(project.id),
                user_domain_name=None,
                project_domain_name=None,
                user_domain_id="default",
            )
            sessions.append(self.env.session(self.spec, credential))
        return Project(str(project.id), sessions, created=True)

    def _roles(self, identity: Any) -> list[Any]:
        """The member role, plus admin when instances are forced onto hosts
        (``zone:host`` needs it)."""
        with cloud_errors("keystone.find_role"):
            member = next(
                (r for n in MEMBER_ROLES if (r := identity.find_role(n)) is not None), None
            )
            admin = identity.find_role("admin") if self.spread_hosts else None
        if member is None:
            raise ConfigError(
                f"cloud {self.spec.label} has no member role",
                hint=f"create one of: {', '.join(MEMBER_ROLES)}",
            )
        return [member] + ([admin] if admin is not None else [])

    def _lift_quotas(self, project_id: str) -> None:
        conn = self.admin_conn
        with cloud_errors(f"set the quotas of project {project_id}"):
            for key, value in UNLIMITED_NOVA.items():  # one at a time: some clouds refuse keys
                conn.compute.update_quota_set(project_id, **{key: value})
            conn.network.update_quota(project_id, **UNLIMITED_NEUTRON)
            if self.env.admin(self.spec).has_service("block-storage"):
                conn.block_storage.update_quota_set(project_id, **UNLIMITED_CINDER)

    def close(self) -> None:
        self.env.close()


def _spec(name: str | None, region: str | None) -> CloudSpec:
    if name:
        return from_clouds_yaml(name, region)
    named = os.environ.get("OS_CLOUD")
    if named:
        return from_clouds_yaml(named, region or os.environ.get("OS_REGION_NAME") or None)
    if os.environ.get("OS_AUTH_URL"):
        return from_environ(os.environ)
    raise ConfigError(
        "the openstack provider needs a cloud",
        hint="set clouds: {server: NAME} in the plan (clouds.yaml), or OS_CLOUD / OS_*",
    )


def _plan_specs(plan: Plan) -> list[CloudSpec]:
    clouds = plan.clouds
    server = _spec(clouds.server, clouds.server_region)
    client_name = clouds.client or clouds.server
    client_region = clouds.client_region or clouds.server_region
    if (client_name, client_region) == (clouds.server, clouds.server_region):
        return [server]
    client = _spec(client_name, client_region)
    return [server] if client.label == server.label else [server, client]


def resolve_clouds(
    plan: Plan, journal: Journal, run: str, given: list[CloudSpec] | None = None
) -> dict[Side, SideCloud]:
    """Authenticate to the server and client clouds (one object when they are the same).

    ``given`` (``--cloud`` / ``--deployment`` on the command line): the server cloud
    and, when there is a second, the client cloud; else the plan's ``clouds``.
    """
    specs = list(given[:2]) if given else _plan_specs(plan)
    if len(specs) == 2 and specs[0].label == specs[1].label:
        specs = specs[:1]
    server, client = specs[0], specs[-1]
    if len(specs) == 2 and plan.network_mode != "full":
        raise ConfigError(
            f"servers in {server.label} and clients in {client.label} need network_mode: full",
            hint="clients reach servers in another cloud only by floating IP",
        )
    env = OpenStackEnv(clouds=specs, journal=journal)
    try:
        for spec in specs:
            env.admin(spec)
    except BaseException:
        env.close()
        raise
    placement = plan.placement

    def side_cloud(spec: CloudSpec, sides: set[Side]) -> SideCloud:
        return SideCloud(
            env,
            spec,
            env.tracker(run, spec, scope=SCOPE),
            sides,
            plan.openstack.tenancy,
            anti_affinity=placement.anti_affinity,
            spread_hosts=placement.spread == "hosts",
        )

    if len(specs) == 1:
        both = side_cloud(server, {"server", "client"})
        return {"server": both, "client": both}
    return {"server": side_cloud(server, {"server"}), "client": side_cloud(client, {"client"})}
