"""One delete function per resource kind, for ``Cleaner``.

A deleter makes the call that deletes one leftover, through a rate-limited ``Api``,
and returns without waiting: the kinds in ``GONE`` (servers, volume backups,
snapshots, volumes) are deleted asynchronously by their service, and the cleaner then waits for a
whole kind at once (one listing per poll instead of one read per resource).

Deleters try the plain delete first and do the extra work only when the service
refuses it: a router with interfaces still attached (409) has them removed, a
disabled trunk (409) is enabled, a volume or backup in a transitional status (400)
is waited for, and so is a backup whose incremental backups still exist (400). A
leftover that is already gone is done (``ignore_missing``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from squall.errors import CloudError
from squall.openstack.errors import ResourceNotFound
from squall.openstack.journal import ResourceKind, link_child
from squall.openstack.leftover import Leftover
from squall.openstack.ratelimit import Api
from squall.openstack.waiters import WaitPolicy, wait_for_status

K = ResourceKind
Deleter = Callable[[Api, Leftover, WaitPolicy], None]
#: Cinder's statuses a volume leaves by itself; it cannot be deleted while in them
SETTLING = (
    "creating",
    "attaching",
    "detaching",
    "downloading",
    "uploading",
    "extending",
    "backing-up",
    "restoring-backup",
)
#: Cinder's statuses a backup leaves by itself; it cannot be deleted while in them
BACKUP_SETTLING = ("creating", "restoring")


def _server(api: Api, item: Leftover, policy: WaitPolicy) -> None:
    api(f"delete server {item.id}", api.conn.compute.delete_server, item.id, ignore_missing=True)


def _router(api: Api, item: Leftover, policy: WaitPolicy) -> None:
    """Neutron deletes a router and its gateway in one call; it refuses (409) while
    interfaces are attached: remove them, then delete."""
    net = api.conn.network
    try:
        api(f"delete router {item.id}", net.delete_router, item.id, ignore_missing=True)
        return
    except CloudError as exc:
        if exc.status != 409:
            raise
    _detach_router(api, str(item.id))
    api(f"delete router {item.id}", net.delete_router, item.id, ignore_missing=True)


def _detach_router(api: Api, router_id: str) -> None:
    net = api.conn.network
    router = api(f"get router {router_id}", net.get_router, router_id)
    if router.external_gateway_info:
        api(f"clear gateway of {router_id}", net.update_router, router, external_gateway_info={})
    ports = api(
        f"list interfaces of router {router_id}",
        lambda: list(net.ports(device_id=router_id, device_owner="network:router_interface")),
    )
    for port in ports:
        try:
            api(
                f"remove port {port.id} from router {router_id}",
                net.remove_interface_from_router,
                router,
                port_id=port.id,
            )
        except ResourceNotFound:  # removed meanwhile
            continue


def _router_interface(api: Api, item: Leftover, policy: WaitPolicy) -> None:
    if item.parent_id:
        net = api.conn.network
        what = f"remove subnet {item.id} from router {item.parent_id}"
        api(what, net.remove_interface_from_router, item.parent_id, subnet_id=item.id)


def _router_gateway(api: Api, item: Leftover, policy: WaitPolicy) -> None:
    net = api.conn.network
    api(f"clear gateway of {item.id}", net.update_router, item.id, external_gateway_info={})


def _volume(api: Api, item: Leftover, policy: WaitPolicy) -> None:
    """Delete; when cinder refuses (400: a status it cannot delete from), wait for a
    transitional status to settle and force a volume stuck in ``error_deleting``."""
    storage = api.conn.block_storage

    def waiting(volume: Any) -> str:
        return str(volume.status) if volume.status in SETTLING else ""

    _settle_then_delete(
        api, item, policy, "volume", storage.delete_volume, storage.get_volume, waiting
    )


def _snapshot(api: Api, item: Leftover, policy: WaitPolicy) -> None:
    storage = api.conn.block_storage
    api(f"delete snapshot {item.id}", storage.delete_snapshot, item.id, ignore_missing=True)


def _backup(api: Api, item: Leftover, policy: WaitPolicy) -> None:
    """Delete; when cinder refuses (400), wait until the backup is no longer being made
    or restored and its incremental backups are gone (a band of backups asks for the
    newest first, so they are on their way), then delete, forcing one stuck in
    ``error_deleting``."""
    storage = api.conn.block_storage

    def waiting(backup: Any) -> str:
        if backup.status in BACKUP_SETTLING:
            return str(backup.status)
        return "with incremental backups" if backup.has_dependent_backups else ""

    _settle_then_delete(
        api, item, policy, "backup", storage.delete_backup, storage.get_backup, waiting
    )


def _settle_then_delete(
    api: Api,
    item: Leftover,
    policy: WaitPolicy,
    noun: str,
    delete: Callable[..., Any],
    get: Callable[[str], Any],
    waiting: Callable[[Any], str],
) -> None:
    """Cinder's way: delete; when refused (400), read the resource until ``waiting``
    says nothing keeps it (a status it leaves by itself...), then delete again, forced
    from ``error_deleting``; nothing more when an earlier delete is under way."""
    what = f"delete {noun} {item.id}"
    try:
        api(what, delete, item.id, ignore_missing=True)
        return
    except CloudError as exc:
        if exc.status != 400:
            raise
    found = wait_for_status(
        lambda: api(f"get {noun} {item.id}", get, item.id),
        lambda resource: waiting(resource) or "settled",
        ready=("settled",),
        failure=(),
        policy=policy,
        what=f"{noun} {item.id}",
    )
    if found.status == "deleting":
        return
    force = found.status == "error_deleting"
    api(what, delete, item.id, ignore_missing=True, force=force)


def _trunk(api: Api, item: Leftover, policy: WaitPolicy) -> None:
    """Neutron refuses (409) to delete a disabled trunk: enable it, then delete (its
    subports leave it with it)."""
    net = api.conn.network
    what = f"delete trunk {item.id}"
    try:
        api(what, net.delete_trunk, item.id, ignore_missing=True)
        return
    except CloudError as exc:
        if exc.status != 409:
            raise
        refused = exc
    trunk = api(f"get trunk {item.id}", net.get_trunk, item.id)
    if trunk.is_admin_state_up:  # in use (its parent port bound where it cannot be untrunked)
        raise refused
    api(f"enable trunk {item.id}", net.update_trunk, trunk, admin_state_up=True)
    api(what, net.delete_trunk, item.id, ignore_missing=True)


def _aggregate_host(api: Api, item: Leftover, policy: WaitPolicy) -> None:
    if item.parent_id and item.id:
        host = link_child(item.parent_id, item.id)
        compute = api.conn.compute
        what = f"remove host {host} from aggregate {item.parent_id}"
        api(what, compute.remove_host_from_aggregate, item.parent_id, host)


def _aggregate(api: Api, item: Leftover, policy: WaitPolicy) -> None:
    """Nova refuses to delete an aggregate that still has hosts: remove them first."""
    compute = api.conn.compute
    aggregate = api(f"get aggregate {item.id}", compute.get_aggregate, item.id)
    for host in aggregate.hosts or []:
        try:
            what = f"remove host {host} from aggregate {item.id}"
            api(what, compute.remove_host_from_aggregate, aggregate, host)
        except ResourceNotFound:  # removed meanwhile
            continue
    api(f"delete aggregate {item.id}", compute.delete_aggregate, item.id, ignore_missing=True)


def _qos_association(api: Api, item: Leftover, policy: WaitPolicy) -> None:
    if item.parent_id and item.id:
        type_id = link_child(item.parent_id, item.id)
        storage = api.conn.block_storage
        what = f"disassociate QoS {item.parent_id} from type {type_id}"
        api(what, storage.disassociate_qos_spec, item.parent_id, type_id)


def _qos(api: Api, item: Leftover, policy: WaitPolicy) -> None:
    """Cinder refuses to delete a QoS spec in use: disassociate it from every type first."""
    storage = api.conn.block_storage
    api(f"disassociate QoS {item.id}", storage.disassociate_all_qos_spec, item.id)
    api(f"delete QoS {item.id}", storage.delete_qos_spec, item.id, ignore_missing=True)


def _keypair(api: Api, item: Leftover, policy: WaitPolicy) -> None:
    owner = item.user_id or item.parent_id
    compute = api.conn.compute
    what = f"delete keypair {item.id}"
    api(what, compute.delete_keypair, item.id, ignore_missing=True, user_id=owner)


def _project(api: Api, item: Leftover, policy: WaitPolicy) -> None:
    """Neutron makes a ``default`` security group in every project that used it, and
    keeps it after the project is gone: delete the project's groups first."""
    net = api.conn.network
    try:
        groups = api(
            f"list security groups of project {item.id}",
            lambda: list(net.security_groups(project_id=item.id)),
        )
    except CloudError:  # no network service: nothing of neutron's to remove
        groups = []
    for group in groups:
        what = f"delete security group {group.id}"
        api(what, net.delete_security_group, group.id, ignore_missing=True)
    identity = api.conn.identity
    api(f"delete project {item.id}", identity.delete_project, item.id, ignore_missing=True)


def _simple(kind: ResourceKind, method: Callable[[Any], Callable[..., Any]]) -> Deleter:
    def delete(api: Api, item: Leftover, policy: WaitPolicy) -> None:
        api(f"delete {kind} {item.id}", method(api.conn), item.id, ignore_missing=True)

    return delete


DELETERS: dict[ResourceKind, Deleter] = {
    K.SERVER: _server,
    K.FLOATING_IP: _simple(K.FLOATING_IP, lambda c: c.network.delete_ip),
    K.TRUNK: _trunk,
    K.ROUTER_INTERFACE: _router_interface,
    K.ROUTER_GATEWAY: _router_gateway,
    K.PORT: _simple(K.PORT, lambda c: c.network.delete_port),
    K.ROUTER: _router,
    K.SUBNET: _simple(K.SUBNET, lambda c: c.network.delete_subnet),
    K.NETWORK: _simple(K.NETWORK, lambda c: c.network.delete_network),
    K.SECURITY_GROUP: _simple(K.SECURITY_GROUP, lambda c: c.network.delete_security_group),
    K.VOLUME_BACKUP: _backup,
    K.VOLUME_SNAPSHOT: _snapshot,
    K.VOLUME: _volume,
    K.IMAGE: _simple(K.IMAGE, lambda c: c.image.delete_image),
    K.SERVER_GROUP: _simple(K.SERVER_GROUP, lambda c: c.compute.delete_server_group),
    K.AGGREGATE_HOST: _aggregate_host,
    K.AGGREGATE: _aggregate,
    K.KEYPAIR: _keypair,
    K.FLAVOR: _simple(K.FLAVOR, lambda c: c.compute.delete_flavor),
    K.QOS_ASSOCIATION: _qos_association,
    K.QOS: _qos,
    K.VOLUME_TYPE: _simple(K.VOLUME_TYPE, lambda c: c.block_storage.delete_type),
    K.ROLE: _simple(K.ROLE, lambda c: c.identity.delete_role),
    K.SERVICE: _simple(K.SERVICE, lambda c: c.identity.delete_service),
    K.USER: _simple(K.USER, lambda c: c.identity.delete_user),
    K.PROJECT: _project,
}

#: kinds whose delete returns before the resource is gone: how to read one of them
GONE: dict[ResourceKind, Callable[[Any], Callable[[str], Any]]] = {
    K.SERVER: lambda c: c.compute.get_server,
    K.VOLUME_BACKUP: lambda c: c.block_storage.get_backup,
    K.VOLUME_SNAPSHOT: lambda c: c.block_storage.get_snapshot,
    K.VOLUME: lambda c: c.block_storage.get_volume,
}
