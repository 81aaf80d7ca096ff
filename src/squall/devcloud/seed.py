"""Fill a fresh devcloud with devstack's defaults, through openstacksdk.

Run by the devcloud venv's interpreter, never imported by squall:

    VENV/bin/python seed.py identity|resources SEED.json

``identity``: projects, users, roles, services and endpoints (keystone must answer).
``resources``: wait for the computes, then flavors, the cirros image, the ``public``
external network, the demo project's ``private`` network and ``router1``.
Every step finds before it creates, so running it twice changes nothing.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import openstack

# name, id, ram MiB, disk GiB, vcpus - devstack's and nova's historical defaults
FLAVORS = (
    ("m1.nano", "42", 192, 1, 1),
    ("m1.micro", "84", 256, 1, 1),
    ("m1.tiny", "1", 512, 1, 1),
    ("m1.small", "2", 2048, 20, 1),
    ("m1.medium", "3", 4096, 40, 2),
    ("m1.large", "4", 8192, 80, 4),
    ("m1.xlarge", "5", 16384, 160, 8),
)
PUBLIC_CIDR, PUBLIC_GATEWAY = "172.24.4.0/24", "172.24.4.1"
PRIVATE_CIDR = "10.0.0.0/26"


def _project(conn: Any, name: str) -> Any:
    found = conn.identity.find_project(name, domain_id="default")
    return found or conn.identity.create_project(name=name, domain_id="default")


def _user(conn: Any, name: str, password: str, project: Any) -> Any:
    found = conn.identity.find_user(name, domain_id="default")
    if found:
        return found
    return conn.identity.create_user(
        name=name, password=password, domain_id="default", default_project_id=project.id
    )


def identity(seed: dict[str, Any]) -> None:
    conn: Any = openstack.connect(cloud="devcloud")
    idc = conn.identity
    roles = {role.name: role for role in idc.roles()}
    for name in ("member", "reader", "service"):
        if name not in roles:
            roles[name] = idc.create_role(name=name)
    service = _project(conn, "service")
    for project_name in ("demo", "alt_demo"):
        project = _project(conn, project_name)
        user = _user(conn, project_name, seed["password"], project)
        idc.assign_project_role_to_user(project, user, roles["member"])
        idc.assign_project_role_to_user(project, user, roles["reader"])
    admin = idc.find_user("admin", domain_id="default")
    idc.assign_project_role_to_user(_project(conn, "demo"), admin, roles["admin"])
    existing = {svc.type: svc for svc in idc.services()}
    for entry in seed["catalog"]:
        user = _user(conn, entry["user"], seed["password"], service)
        for role in ("admin", "service"):
            idc.assign_project_role_to_user(service, user, roles[role])
        svc = existing.get(entry["type"]) or idc.create_service(
            name=entry["name"], type=entry["type"]
        )
        have = {ep.interface: ep for ep in idc.endpoints(service_id=svc.id)}
        for interface in ("public", "internal", "admin"):
            if interface in have and have[interface].url != entry["url"]:  # ports changed
                idc.update_endpoint(have[interface], url=entry["url"])
            elif interface not in have:
                idc.create_endpoint(
                    service_id=svc.id, interface=interface, url=entry["url"], region_id="RegionOne"
                )


def wait_for_computes(conn: Any, count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    up: list[str] = []
    providers: list[str] = []
    while time.monotonic() < deadline:
        up = [
            svc.host
            for svc in conn.compute.services()
            if svc.binary == "nova-compute" and svc.state == "up"
        ]
        providers = [rp.name for rp in conn.placement.resource_providers()]
        if len(up) >= count and len(providers) >= count:
            return
        time.sleep(1)
    sys.exit(f"only {len(up)} of {count} nova-compute services came up ({providers=})")


def flavors(conn: Any) -> None:
    have = {flavor.name for flavor in conn.compute.flavors()}
    for name, flavor_id, ram, disk, vcpus in FLAVORS:
        if name not in have:
            conn.compute.create_flavor(
                name=name, id=flavor_id, ram=ram, disk=disk, vcpus=vcpus, is_public=True
            )


def image(conn: Any, seed: dict[str, Any]) -> None:
    if conn.image.find_image(seed["image_name"]):
        return
    conn.image.create_image(
        name=seed["image_name"],
        filename=seed["image_file"],
        disk_format="raw",
        container_format="bare",
        visibility="public",
        wait=True,
    )


def networks(conn: Any) -> None:
    net = conn.network
    public = net.find_network("public") or net.create_network(
        name="public",
        is_router_external=True,
        is_shared=False,
        provider_network_type="flat",
        provider_physical_network="public",
    )
    if not net.find_subnet("public-subnet"):
        net.create_subnet(
            network_id=public.id,
            name="public-subnet",
            ip_version=4,
            cidr=PUBLIC_CIDR,
            gateway_ip=PUBLIC_GATEWAY,
            is_dhcp_enabled=False,
        )
    demo = conn.identity.find_project("demo", domain_id="default")
    private = net.find_network("private") or net.create_network(name="private", project_id=demo.id)
    subnet = net.find_subnet("private-subnet") or net.create_subnet(
        network_id=private.id,
        name="private-subnet",
        ip_version=4,
        cidr=PRIVATE_CIDR,
        project_id=demo.id,
    )
    if not net.find_router("router1"):
        router = net.create_router(
            name="router1", project_id=demo.id, external_gateway_info={"network_id": public.id}
        )
        net.add_interface_to_router(router, subnet_id=subnet.id)


def resources(seed: dict[str, Any]) -> None:
    conn: Any = openstack.connect(cloud="devcloud")
    wait_for_computes(conn, seed["computes"], seed["timeout"])
    flavors(conn)
    image(conn, seed)
    networks(conn)


def main() -> None:
    step, path = sys.argv[1], sys.argv[2]
    with open(path) as handle:
        seed = json.load(handle)
    {"identity": identity, "resources": resources}[step](seed)


if __name__ == "__main__":
    main()
