"""What the quota preflight counts that needs no cloud: the ports of booted servers."""

from squall.api.openstack_quotas import _server_ports
from squall.openstack.quota import QuotaUse
from squall.scenarios.openstack.nova_servers import BootAndDeleteServer, BootServer
from squall.task.validate import ValidatedWorkload

BOOT = {"flavor": "m1.tiny", "image": "cirros"}


def _workload(cls, **args):
    config = cls.Config.model_validate({**BOOT, **args})
    return ValidatedWorkload(0, 0, None, cls, config, None, None, [], {}, [])


def test_each_server_on_a_network_holds_a_port_kept_or_deleted_as_the_server():
    assert _server_ports(_workload(BootServer), has_networks=True) == QuotaUse(
        kept={"neutron": {"ports": 1}}
    )
    assert _server_ports(_workload(BootAndDeleteServer), has_networks=True) == QuotaUse(
        transient={"neutron": {"ports": 1}}
    )


def test_nics_or_auto_allocation_wire_a_server_without_a_network_context():
    nics = [{"net-id": "3f6c1a9e"}]
    assert _server_ports(_workload(BootServer, nics=nics), has_networks=False).kept
    assert _server_ports(_workload(BootServer, auto_assign_nic=True), has_networks=False).kept


def test_a_server_booted_without_a_network_holds_no_port():
    assert _server_ports(_workload(BootServer), has_networks=False) == QuotaUse()


def test_a_scenario_booting_several_servers_holds_a_port_each():
    from squall.scenarios.openstack.glance_images import CreateImageAndBootInstances

    config = CreateImageAndBootInstances.Config.model_validate(
        {
            "flavor": "m1.tiny",
            "image_location": "http://images/cirros.img",
            "container_format": "bare",
            "disk_format": "qcow2",
            "number_instances": 3,
        }
    )
    assert CreateImageAndBootInstances.servers_in(config) == 3
    workload = ValidatedWorkload(
        0, 0, None, CreateImageAndBootInstances, config, None, None, [], {}, []
    )
    assert _server_ports(workload, has_networks=True) == QuotaUse(kept={"neutron": {"ports": 3}})


def test_a_server_booted_on_the_scenarios_own_port_is_not_given_another():
    from squall.scenarios.openstack.neutron_trunks import BootServerWithSubports

    workload = _workload(BootServerWithSubports)
    assert _server_ports(workload, has_networks=True) == QuotaUse()
