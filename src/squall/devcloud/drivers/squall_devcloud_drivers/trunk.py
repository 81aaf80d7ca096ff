"""An agentless trunk driver for the ``squall_noop`` mechanism driver.

Neutron's ``trunk`` service plugin refuses to start without a trunk driver for a loaded
mechanism driver. This one serves the ports ``squall_noop`` binds (``vif_type=ovs``),
VLAN subports only, trunks on bound ports included. With no agent to wire anything it
does what neutron's agentless OVN driver does: a trunk is ``ACTIVE`` once created or
changed and while its parent port is bound; subports are bound to the parent port's
host (``device_owner`` ``trunk:subport``) and unbound when they leave the trunk or the
trunk is deleted.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Any

from neutron.objects import trunk as trunk_objects  # type: ignore[import-not-found]
from neutron.services.trunk.drivers import base  # type: ignore[import-not-found]
from neutron_lib import exceptions  # type: ignore[import-not-found]
from neutron_lib.api.definitions import portbindings  # type: ignore[import-not-found]
from neutron_lib.callbacks import events, registry, resources  # type: ignore[import-not-found]
from neutron_lib.plugins import directory  # type: ignore[import-not-found]
from neutron_lib.services.trunk import constants as trunk_consts  # type: ignore[import-not-found]
from oslo_config import cfg  # type: ignore[import-not-found]
from oslo_log import log as logging  # type: ignore[import-not-found]

LOG = logging.getLogger(__name__)

NAME = "squall_noop"
SUPPORTED_INTERFACES = (portbindings.VIF_TYPE_OVS,)
SUPPORTED_SEGMENTATION_TYPES = (trunk_consts.SEGMENTATION_TYPE_VLAN,)
ACTIVE = trunk_consts.TRUNK_ACTIVE_STATUS


class NoopTrunkDriver(base.DriverBase):  # type: ignore[misc]
    """Trunks of ports bound by ``squall_noop``: no agent, no data plane."""

    @property
    def is_loaded(self) -> bool:
        try:
            return NAME in cfg.CONF.ml2.mechanism_drivers
        except cfg.NoSuchOptError:
            return False

    @registry.receives(resources.TRUNK_PLUGIN, [events.AFTER_INIT])  # type: ignore[untyped-decorator]
    def register(self, resource: str, event: str, trigger: Any, payload: Any = None) -> None:
        super().register(resource, event, trigger, payload=payload)
        registry.subscribe(self._trunk_created, resources.TRUNK, events.AFTER_CREATE)
        registry.subscribe(self._trunk_deleted, resources.TRUNK, events.AFTER_DELETE)
        registry.subscribe(self._subports_added, resources.SUBPORTS, events.AFTER_CREATE)
        registry.subscribe(self._subports_removed, resources.SUBPORTS, events.AFTER_DELETE)
        registry.subscribe(self._port_updated, resources.PORT, events.AFTER_UPDATE)
        LOG.debug("squall_noop trunk driver registered")

    def _trunk_created(self, resource: str, event: str, trigger: Any, payload: Any) -> None:
        trunk = payload.states[0]
        _bind(payload.context, trunk.sub_ports, _parent_host(payload.context, trunk))
        trunk.update(status=ACTIVE)

    def _trunk_deleted(self, resource: str, event: str, trigger: Any, payload: Any) -> None:
        _unbind(payload.context, payload.states[0].sub_ports)

    def _subports_added(self, resource: str, event: str, trigger: Any, payload: Any) -> None:
        trunk = payload.states[0]
        host = _parent_host(payload.context, trunk)
        _bind(payload.context, payload.metadata["subports"], host)
        trunk.update(status=ACTIVE)

    def _subports_removed(self, resource: str, event: str, trigger: Any, payload: Any) -> None:
        _unbind(payload.context, payload.metadata["subports"])
        payload.states[0].update(status=ACTIVE)

    def _port_updated(self, resource: str, event: str, trigger: Any, payload: Any) -> None:
        """A parent port bound to a new host takes its subports along (as ML2/OVS does)."""
        port = payload.latest_state
        details = port.get("trunk_details")
        host = port.get(portbindings.HOST_ID) or ""
        if not details or not host or payload.states[0].get(portbindings.HOST_ID) == host:
            return
        context = payload.context
        trunk = trunk_objects.Trunk.get_object(context, id=details["trunk_id"])
        if trunk is None:  # deleted meanwhile
            return
        _bind(context, trunk.sub_ports, host)
        trunk.update(status=ACTIVE)


def _parent_host(context: Any, trunk: Any) -> str:
    parent = directory.get_plugin().get_port(context, trunk.port_id)
    return str(parent.get(portbindings.HOST_ID) or "")


def _bind(context: Any, subports: Iterable[Any], host: str) -> None:
    core = directory.get_plugin()
    owner = trunk_consts.TRUNK_SUBPORT_OWNER
    for subport in subports:
        _set_binding(core, context, subport.port_id, host=host, owner=owner)


def _unbind(context: Any, subports: Iterable[Any]) -> None:
    core = directory.get_plugin()
    for subport in subports:
        _set_binding(core, context, subport.port_id, host="", owner="")


def _set_binding(core: Any, context: Any, port_id: str, *, host: str, owner: str) -> None:
    body = {"port": {portbindings.HOST_ID: host, "device_owner": owner}}
    with contextlib.suppress(exceptions.PortNotFound):  # deleted meanwhile: nothing to bind
        core.update_port(context, port_id, body)


def create() -> NoopTrunkDriver:
    """The driver, subscribed to the trunk plugin's start (idle when it is not loaded)."""
    return NoopTrunkDriver(
        NAME,
        SUPPORTED_INTERFACES,
        SUPPORTED_SEGMENTATION_TYPES,
        agent_type=None,
        can_trunk_bound_port=True,
    )
