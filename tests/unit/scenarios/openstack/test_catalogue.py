"""The scenario catalogue: every OpenStack entry resolves, and the gate jobs are covered."""

import importlib

import pytest

from squall.scenarios import BUILTIN
from squall.scenarios.openstack.base import OpenStackScenario

OPENSTACK = {k: v for k, v in BUILTIN.items() if v.startswith("squall.scenarios.openstack.")}

# Scenarios the gate task files of rally-openstack (rally-jobs/{nova,neutron,cinder,
# glance,neutron-trunk}.yaml) run.
GATE = [
    "NovaServers.boot_and_associate_floating_ip",
    "NovaServers.boot_and_bounce_server",
    "NovaServers.boot_and_get_console_output",
    "NovaServers.boot_and_rebuild_server",
    "NovaServers.boot_lock_unlock_and_delete",
    "NovaServers.boot_server_associate_and_dissociate_floating_ip",
    "NovaServers.boot_server_attach_created_volume_and_resize",
    "NovaServers.boot_server_from_volume",
    "NovaServers.boot_server_from_volume_and_delete",
    "NovaServers.pause_and_unpause_server",
    "NovaServers.resize_server",
    "NovaServers.resize_shutoff_server",
    "NovaServers.shelve_and_unshelve_server",
    "NovaServers.snapshot_server",
    "NovaServers.suspend_and_resume_server",
    "NovaKeypair.boot_and_delete_server_with_keypair",
    "NovaKeypair.create_and_delete_keypair",
    "NovaKeypair.create_and_get_keypair",
    "NovaKeypair.create_and_list_keypairs",
    "NovaServerGroups.create_and_delete_server_group",
    "NovaServerGroups.create_and_get_server_group",
    "NovaServerGroups.create_and_list_server_groups",
    "NovaFlavors.create_and_delete_flavor",
    "NovaFlavors.create_and_get_flavor",
    "NovaFlavors.create_and_list_flavor_access",
    "NovaFlavors.create_flavor",
    "NovaFlavors.create_flavor_and_add_tenant_access",
    "NovaFlavors.create_flavor_and_set_keys",
    "NovaFlavors.list_flavors",
    "NovaHypervisors.list_and_get_hypervisors",
    "NovaHypervisors.list_and_get_uptime_hypervisors",
    "NovaHypervisors.list_and_search_hypervisors",
    "NovaHypervisors.list_hypervisors",
    "NovaHypervisors.statistics_hypervisors",
    "NovaServices.list_services",
    "NovaAggregates.list_aggregates",
    "NovaAggregates.create_and_list_aggregates",
    "NovaAggregates.create_and_delete_aggregate",
    "NovaAggregates.create_and_update_aggregate",
    "NovaAggregates.create_aggregate_add_and_remove_host",
    "NovaAggregates.create_and_get_aggregate_details",
    "NovaAggregates.create_aggregate_add_host_and_boot_server",
    "Quotas.nova_get",
    "Quotas.nova_update",
    "Quotas.nova_update_and_delete",
    "Quotas.neutron_update",
    "Quotas.cinder_get",
    "Quotas.cinder_update",
    "Quotas.cinder_update_and_delete",
    "NeutronNetworks.associate_and_dissociate_floating_ips",
    "NeutronNetworks.create_and_bind_ports",
    "NeutronNetworks.create_and_delete_floating_ips",
    "NeutronNetworks.create_and_delete_networks",
    "NeutronNetworks.create_and_delete_ports",
    "NeutronNetworks.create_and_delete_routers",
    "NeutronNetworks.create_and_delete_subnets",
    "NeutronNetworks.create_and_list_floating_ips",
    "NeutronNetworks.create_and_list_networks",
    "NeutronNetworks.create_and_list_ports",
    "NeutronNetworks.create_and_list_routers",
    "NeutronNetworks.create_and_list_subnets",
    "NeutronNetworks.create_and_show_network",
    "NeutronNetworks.create_and_show_ports",
    "NeutronNetworks.create_and_show_routers",
    "NeutronNetworks.create_and_show_subnets",
    "NeutronNetworks.create_and_update_networks",
    "NeutronNetworks.create_and_update_ports",
    "NeutronNetworks.create_and_update_routers",
    "NeutronNetworks.create_and_update_subnets",
    "NeutronNetworks.list_agents",
    "NeutronNetworks.set_and_clear_router_gateway",
    "NeutronSecurityGroup.create_and_delete_security_group_rule",
    "NeutronSecurityGroup.create_and_delete_security_groups",
    "NeutronSecurityGroup.create_and_list_security_group_rules",
    "NeutronSecurityGroup.create_and_list_security_groups",
    "NeutronSecurityGroup.create_and_show_security_group",
    "NeutronSecurityGroup.create_and_show_security_group_rule",
    "NeutronSecurityGroup.create_and_update_security_groups",
    "NeutronTrunks.boot_server_and_add_subports",
    "NeutronTrunks.boot_server_and_batch_add_subports",
    "NeutronTrunks.boot_server_with_subports",
    "NeutronTrunks.create_and_list_trunks",
    "CinderVolumes.create_and_attach_volume",
    "CinderVolumes.create_and_delete_snapshot",
    "CinderVolumes.create_and_delete_volume",
    "CinderVolumes.create_and_extend_volume",
    "CinderVolumes.create_and_get_volume",
    "CinderVolumes.create_and_list_snapshots",
    "CinderVolumes.create_and_list_volume",
    "CinderVolumes.create_and_update_volume",
    "CinderVolumes.create_from_volume_and_delete_volume",
    "CinderVolumes.create_volume",
    "CinderVolumes.create_volume_and_clone",
    "CinderVolumes.create_volume_from_snapshot",
    "CinderVolumes.list_types",
    "CinderVolumes.list_volumes",
    "CinderQos.create_and_list_qos",
    "CinderQos.create_and_get_qos",
    "CinderQos.create_and_set_qos",
    "CinderQos.create_qos_associate_and_disassociate_type",
    "CinderVolumeTypes.create_and_delete_volume_type",
    "CinderVolumeTypes.create_and_get_volume_type",
    "CinderVolumeTypes.create_and_list_volume_types",
    "CinderVolumeTypes.create_and_set_volume_type_keys",
    "CinderVolumeTypes.create_and_update_volume_type",
    "CinderVolumeTypes.create_volume_type_add_and_list_type_access",
    "CinderVolumeTypes.create_volume_type_and_encryption_type",
    "GlanceImages.create_and_deactivate_image",
    "GlanceImages.create_and_delete_image",
    "GlanceImages.create_and_download_image",
    "GlanceImages.create_and_get_image",
    "GlanceImages.create_and_list_image",
    "GlanceImages.create_and_update_image",
    "GlanceImages.create_image_and_boot_instances",
    "GlanceImages.list_images",
    "NovaServers.boot_and_delete_multiple_servers",
    "NovaServers.boot_and_get_console_url",
    "NovaServers.boot_and_update_server",
    "NovaServers.boot_server_and_attach_interface",
    "NovaServers.boot_server_and_list_interfaces",
    "NovaServers.boot_server_attach_created_volume_and_extend",
    "NovaServers.boot_server_attach_volume_and_list_attachments",
    "NovaServers.boot_server_from_volume_and_resize",
    "NovaServers.boot_server_from_volume_snapshot",
    "NovaAvailabilityZones.list_availability_zones",
    "NeutronSubnets.delete_subnets",
    "CinderVolumes.create_and_accept_transfer",
    "CinderVolumes.create_and_list_volume_backups",
    "CinderVolumes.create_and_restore_volume_backup",
    "CinderVolumes.create_and_upload_volume_to_image",
    "CinderVolumes.create_nested_snapshots_and_attach_volume",
    "CinderVolumes.create_snapshot_and_attach_volume",
    "CinderVolumes.create_volume_and_update_readonly_flag",
    "CinderVolumes.create_volume_backup",
    "CinderVolumes.list_transfers",
    "CinderVolumeBackups.create_incremental_volume_backup",
    "CinderVolumeTypes.create_and_delete_encryption_type",
    "CinderVolumeTypes.create_and_list_encryption_type",
    "CinderVolumeTypes.create_and_update_encryption_type",
    "CinderVolumeTypes.create_get_and_delete_encryption_type",
    "GlanceImages.import_and_delete_image",
]


def _load(target):
    module, _, cls = target.partition(":")
    return getattr(importlib.import_module(module), cls)


@pytest.mark.parametrize("name", sorted(OPENSTACK))
def test_entry_resolves_to_an_openstack_scenario_of_that_name(name):
    cls = _load(OPENSTACK[name])
    assert issubclass(cls, OpenStackScenario)
    assert cls.name == name
    assert cls.services, f"{name} names no service for preflight"
    assert cls.__doc__ and cls.__doc__.strip()


def test_the_gate_jobs_scenarios_are_registered():
    missing = [name for name in GATE if name not in BUILTIN]
    assert not missing


@pytest.mark.parametrize("name", sorted(OPENSTACK))
def test_every_reported_wait_has_a_default(name):
    from squall.openstack.waiters import DEFAULTS

    unknown = [w for w in _load(OPENSTACK[name]).waits if w not in DEFAULTS]
    assert not unknown
