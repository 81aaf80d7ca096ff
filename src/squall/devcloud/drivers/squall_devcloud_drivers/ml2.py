"""An ML2 mechanism driver that binds every normal port without any L2 agent.

For control-plane testing only: neutron reports each port bound (``vif_type=ovs``) and
ACTIVE at once, and nova's boots never wait for a ``network-vif-plugged`` event. Without
it, ML2 with no agents leaves ports ``binding_failed`` and nova puts servers in ERROR.

It also creates the agentless trunk driver (``trunk.py``), which serves trunks when
neutron loads the ``trunk`` service plugin.
"""

from typing import Any

from neutron_lib import constants  # type: ignore[import-not-found]
from neutron_lib.api.definitions import portbindings  # type: ignore[import-not-found]
from neutron_lib.plugins.ml2 import api  # type: ignore[import-not-found]

from . import trunk


class NoopMechanismDriver(api.MechanismDriver):  # type: ignore[misc]
    """Accepts every ``normal`` vNIC port on the first segment offered."""

    def initialize(self) -> None:
        # subscribes itself to the trunk plugin's start; nothing happens without the plugin
        self.trunk_driver = trunk.create()

    @property
    def connectivity(self) -> str:
        return str(portbindings.CONNECTIVITY_L2)

    def bind_port(self, context: Any) -> None:
        vnic = context.current.get(portbindings.VNIC_TYPE, portbindings.VNIC_NORMAL)
        if vnic != portbindings.VNIC_NORMAL:
            return
        for segment in context.segments_to_bind:
            context.set_binding(
                segment[api.ID],
                portbindings.VIF_TYPE_OVS,
                {portbindings.CAP_PORT_FILTER: True, portbindings.OVS_HYBRID_PLUG: False},
                status=constants.PORT_STATUS_ACTIVE,
            )
            return

    def get_supported_vif_types(self) -> list[str]:
        return [str(portbindings.VIF_TYPE_OVS)]
