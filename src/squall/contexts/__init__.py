"""Staging before load, cleanup after: one context plugin per module."""

BUILTIN: dict[str, str] = {
    "dummy_context": "squall.contexts.dummy:DummyContext",
    # OpenStack (Rally's names)
    "cloud": "squall.contexts.openstack.cloud:CloudContext",
    "users": "squall.contexts.openstack.users:UsersContext",
    "api_versions": "squall.contexts.openstack.api_versions:ApiVersionsContext",
    "quotas": "squall.contexts.openstack.quotas:QuotasContext",
    "keypair": "squall.contexts.openstack.keypair:KeypairContext",
    "allow_ssh": "squall.contexts.openstack.allow_ssh:AllowSSHContext",
    "roles": "squall.contexts.openstack.roles:RolesContext",
    "flavors": "squall.contexts.openstack.flavors:FlavorsContext",
    "existing_network": "squall.contexts.openstack.existing_network:ExistingNetworkContext",
    "network": "squall.contexts.openstack.network:NetworkContext",
    "networking_agents": ("squall.contexts.openstack.networking_agents:NetworkingAgentsContext"),
    "images": "squall.contexts.openstack.images:ImagesContext",
    "volume_types": "squall.contexts.openstack.volume_types:VolumeTypesContext",
    "volumes": "squall.contexts.openstack.volumes:VolumesContext",
    "servers": "squall.contexts.openstack.servers:ServersContext",
}
