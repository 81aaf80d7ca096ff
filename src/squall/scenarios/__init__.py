"""What one iteration does. One scenario group per module."""

BUILTIN: dict[str, str] = {
    "Dummy.dummy": "squall.scenarios.dummy:Dummy",
    "Dummy.dummy_exception": "squall.scenarios.dummy:DummyException",
    "Dummy.dummy_exception_probability": "squall.scenarios.dummy:DummyExceptionProbability",
    "Dummy.dummy_random_fail_in_atomic": "squall.scenarios.dummy:DummyRandomFailInAtomic",
    "Dummy.dummy_random_action": "squall.scenarios.dummy:DummyRandomAction",
    "Dummy.dummy_timed_atomic_actions": "squall.scenarios.dummy:DummyTimedAtomicActions",
    "Dummy.dummy_with_scenario_output": "squall.scenarios.dummy:DummyWithScenarioOutput",
    "Dummy.dummy_output": "squall.scenarios.dummy:DummyOutput",
    "Dummy.failure": "squall.scenarios.dummy:DummyFailure",
    "Python.test": "squall.scenarios.python_test:PythonTest",
    # OpenStack (Rally's names)
    "NovaServers.boot_and_delete_server": (
        "squall.scenarios.openstack.nova_servers:BootAndDeleteServer"
    ),
    "NovaServers.boot_and_list_server": "squall.scenarios.openstack.nova_servers:BootAndListServer",
    "NovaServers.boot_server": "squall.scenarios.openstack.nova_servers:BootServer",
    "NovaServers.boot_and_show_server": "squall.scenarios.openstack.nova_servers:BootAndShowServer",
    "NovaServers.list_servers": "squall.scenarios.openstack.nova_servers:ListServers",
    "NovaAggregates.list_aggregates": ("squall.scenarios.openstack.nova_aggregates:ListAggregates"),
    "NovaAggregates.create_and_list_aggregates": (
        "squall.scenarios.openstack.nova_aggregates:CreateAndListAggregates"
    ),
    "NovaAggregates.create_and_delete_aggregate": (
        "squall.scenarios.openstack.nova_aggregates:CreateAndDeleteAggregate"
    ),
    "NovaAggregates.create_and_update_aggregate": (
        "squall.scenarios.openstack.nova_aggregates:CreateAndUpdateAggregate"
    ),
    "NovaAggregates.create_aggregate_add_and_remove_host": (
        "squall.scenarios.openstack.nova_aggregates:CreateAggregateAddAndRemoveHost"
    ),
    "NovaAggregates.create_and_get_aggregate_details": (
        "squall.scenarios.openstack.nova_aggregates:CreateAndGetAggregateDetails"
    ),
    "NovaAggregates.create_aggregate_add_host_and_boot_server": (
        "squall.scenarios.openstack.nova_aggregates:CreateAggregateAddHostAndBootServer"
    ),
    "NovaAvailabilityZones.list_availability_zones": (
        "squall.scenarios.openstack.nova_availability_zones:ListAvailabilityZones"
    ),
    "NovaFlavors.create_and_delete_flavor": (
        "squall.scenarios.openstack.nova_flavors:CreateAndDeleteFlavor"
    ),
    "NovaFlavors.create_and_get_flavor": (
        "squall.scenarios.openstack.nova_flavors:CreateAndGetFlavor"
    ),
    "NovaFlavors.create_and_list_flavor_access": (
        "squall.scenarios.openstack.nova_flavors:CreateAndListFlavorAccess"
    ),
    "NovaFlavors.create_flavor": "squall.scenarios.openstack.nova_flavors:CreateFlavor",
    "NovaFlavors.create_flavor_and_add_tenant_access": (
        "squall.scenarios.openstack.nova_flavors:CreateFlavorAndAddTenantAccess"
    ),
    "NovaFlavors.create_flavor_and_set_keys": (
        "squall.scenarios.openstack.nova_flavors:CreateFlavorAndSetKeys"
    ),
    "NovaFlavors.list_flavors": "squall.scenarios.openstack.nova_flavors:ListFlavors",
    "NovaHypervisors.list_and_get_hypervisors": (
        "squall.scenarios.openstack.nova_hypervisors:ListAndGetHypervisors"
    ),
    "NovaHypervisors.list_and_get_uptime_hypervisors": (
        "squall.scenarios.openstack.nova_hypervisors:ListAndGetUptimeHypervisors"
    ),
    "NovaHypervisors.list_and_search_hypervisors": (
        "squall.scenarios.openstack.nova_hypervisors:ListAndSearchHypervisors"
    ),
    "NovaHypervisors.list_hypervisors": (
        "squall.scenarios.openstack.nova_hypervisors:ListHypervisors"
    ),
    "NovaHypervisors.statistics_hypervisors": (
        "squall.scenarios.openstack.nova_hypervisors:StatisticsHypervisors"
    ),
    "NovaKeypair.boot_and_delete_server_with_keypair": (
        "squall.scenarios.openstack.nova_keypairs:BootAndDeleteServerWithKeypair"
    ),
    "NovaKeypair.create_and_delete_keypair": (
        "squall.scenarios.openstack.nova_keypairs:CreateAndDeleteKeypair"
    ),
    "NovaKeypair.create_and_get_keypair": (
        "squall.scenarios.openstack.nova_keypairs:CreateAndGetKeypair"
    ),
    "NovaKeypair.create_and_list_keypairs": (
        "squall.scenarios.openstack.nova_keypairs:CreateAndListKeypairs"
    ),
    "NovaServerGroups.create_and_delete_server_group": (
        "squall.scenarios.openstack.nova_server_groups:CreateAndDeleteServerGroup"
    ),
    "NovaServerGroups.create_and_get_server_group": (
        "squall.scenarios.openstack.nova_server_groups:CreateAndGetServerGroup"
    ),
    "NovaServerGroups.create_and_list_server_groups": (
        "squall.scenarios.openstack.nova_server_groups:CreateAndListServerGroups"
    ),
    "NovaServers.boot_and_associate_floating_ip": (
        "squall.scenarios.openstack.nova_servers_lifecycle:BootAndAssociateFloatingIp"
    ),
    "NovaServers.boot_and_bounce_server": (
        "squall.scenarios.openstack.nova_servers_lifecycle:BootAndBounceServer"
    ),
    "NovaServers.boot_and_delete_multiple_servers": (
        "squall.scenarios.openstack.nova_servers_more:BootAndDeleteMultipleServers"
    ),
    "NovaServers.boot_and_get_console_output": (
        "squall.scenarios.openstack.nova_servers_lifecycle:BootAndGetConsoleOutput"
    ),
    "NovaServers.boot_and_get_console_url": (
        "squall.scenarios.openstack.nova_servers_more:BootAndGetConsoleUrl"
    ),
    "NovaServers.boot_and_rebuild_server": (
        "squall.scenarios.openstack.nova_servers_lifecycle:BootAndRebuildServer"
    ),
    "NovaServers.boot_and_update_server": (
        "squall.scenarios.openstack.nova_servers_more:BootAndUpdateServer"
    ),
    "NovaServers.boot_lock_unlock_and_delete": (
        "squall.scenarios.openstack.nova_servers_lifecycle:BootLockUnlockAndDelete"
    ),
    "NovaServers.boot_server_and_attach_interface": (
        "squall.scenarios.openstack.nova_servers_more:BootServerAndAttachInterface"
    ),
    "NovaServers.boot_server_and_list_interfaces": (
        "squall.scenarios.openstack.nova_servers_more:BootServerAndListInterfaces"
    ),
    "NovaServers.boot_server_associate_and_dissociate_floating_ip": (
        "squall.scenarios.openstack.nova_servers_lifecycle:BootServerAssociateAndDissociateFloatingIp"
    ),
    "NovaServers.boot_server_attach_created_volume_and_extend": (
        "squall.scenarios.openstack.nova_servers_volumes:BootServerAttachCreatedVolumeAndExtend"
    ),
    "NovaServers.boot_server_attach_created_volume_and_resize": (
        "squall.scenarios.openstack.nova_servers_volumes:BootServerAttachCreatedVolumeAndResize"
    ),
    "NovaServers.boot_server_attach_volume_and_list_attachments": (
        "squall.scenarios.openstack.nova_servers_volumes:BootServerAttachVolumeAndListAttachments"
    ),
    "NovaServers.boot_server_from_volume": (
        "squall.scenarios.openstack.nova_servers_volumes:BootServerFromVolume"
    ),
    "NovaServers.boot_server_from_volume_and_delete": (
        "squall.scenarios.openstack.nova_servers_volumes:BootServerFromVolumeAndDelete"
    ),
    "NovaServers.boot_server_from_volume_and_resize": (
        "squall.scenarios.openstack.nova_servers_volumes:BootServerFromVolumeAndResize"
    ),
    "NovaServers.boot_server_from_volume_snapshot": (
        "squall.scenarios.openstack.nova_servers_volumes:BootServerFromVolumeSnapshot"
    ),
    "NovaServers.pause_and_unpause_server": (
        "squall.scenarios.openstack.nova_servers_lifecycle:PauseAndUnpauseServer"
    ),
    "NovaServers.resize_server": "squall.scenarios.openstack.nova_servers_lifecycle:ResizeServer",
    "NovaServers.resize_shutoff_server": (
        "squall.scenarios.openstack.nova_servers_lifecycle:ResizeShutoffServer"
    ),
    "NovaServers.shelve_and_unshelve_server": (
        "squall.scenarios.openstack.nova_servers_lifecycle:ShelveAndUnshelveServer"
    ),
    "NovaServers.snapshot_server": (
        "squall.scenarios.openstack.nova_servers_lifecycle:SnapshotServer"
    ),
    "NovaServers.suspend_and_resume_server": (
        "squall.scenarios.openstack.nova_servers_lifecycle:SuspendAndResumeServer"
    ),
    "NovaServices.list_services": "squall.scenarios.openstack.nova_services:ListServices",
    "Quotas.cinder_get": "squall.scenarios.openstack.quotas:CinderGet",
    "Quotas.cinder_update": "squall.scenarios.openstack.quotas:CinderUpdate",
    "Quotas.cinder_update_and_delete": "squall.scenarios.openstack.quotas:CinderUpdateAndDelete",
    "Quotas.neutron_update": "squall.scenarios.openstack.quotas:NeutronUpdate",
    "Quotas.nova_get": "squall.scenarios.openstack.quotas:NovaGet",
    "Quotas.nova_update": "squall.scenarios.openstack.quotas:NovaUpdate",
    "Quotas.nova_update_and_delete": "squall.scenarios.openstack.quotas:NovaUpdateAndDelete",
    "NeutronNetworks.associate_and_dissociate_floating_ips": (
        "squall.scenarios.openstack.neutron_networks:AssociateAndDissociateFloatingIps"
    ),
    "NeutronNetworks.create_and_bind_ports": (
        "squall.scenarios.openstack.neutron_bind_ports:CreateAndBindPorts"
    ),
    "NeutronNetworks.create_and_delete_floating_ips": (
        "squall.scenarios.openstack.neutron_networks:CreateAndDeleteFloatingIps"
    ),
    "NeutronNetworks.create_and_delete_networks": (
        "squall.scenarios.openstack.neutron_networks:CreateAndDeleteNetworks"
    ),
    "NeutronNetworks.create_and_delete_ports": (
        "squall.scenarios.openstack.neutron_networks:CreateAndDeletePorts"
    ),
    "NeutronNetworks.create_and_delete_routers": (
        "squall.scenarios.openstack.neutron_networks:CreateAndDeleteRouters"
    ),
    "NeutronNetworks.create_and_delete_subnets": (
        "squall.scenarios.openstack.neutron_networks:CreateAndDeleteSubnets"
    ),
    "NeutronNetworks.create_and_list_floating_ips": (
        "squall.scenarios.openstack.neutron_networks:CreateAndListFloatingIps"
    ),
    "NeutronNetworks.create_and_list_networks": (
        "squall.scenarios.openstack.neutron_networks:CreateAndListNetworks"
    ),
    "NeutronNetworks.create_and_list_ports": (
        "squall.scenarios.openstack.neutron_networks:CreateAndListPorts"
    ),
    "NeutronNetworks.create_and_list_routers": (
        "squall.scenarios.openstack.neutron_networks:CreateAndListRouters"
    ),
    "NeutronNetworks.create_and_list_subnets": (
        "squall.scenarios.openstack.neutron_networks:CreateAndListSubnets"
    ),
    "NeutronNetworks.create_and_show_network": (
        "squall.scenarios.openstack.neutron_networks:CreateAndShowNetwork"
    ),
    "NeutronNetworks.create_and_show_ports": (
        "squall.scenarios.openstack.neutron_networks:CreateAndShowPorts"
    ),
    "NeutronNetworks.create_and_show_routers": (
        "squall.scenarios.openstack.neutron_networks:CreateAndShowRouters"
    ),
    "NeutronNetworks.create_and_show_subnets": (
        "squall.scenarios.openstack.neutron_networks:CreateAndShowSubnets"
    ),
    "NeutronNetworks.create_and_update_networks": (
        "squall.scenarios.openstack.neutron_networks:CreateAndUpdateNetworks"
    ),
    "NeutronNetworks.create_and_update_ports": (
        "squall.scenarios.openstack.neutron_networks:CreateAndUpdatePorts"
    ),
    "NeutronNetworks.create_and_update_routers": (
        "squall.scenarios.openstack.neutron_networks:CreateAndUpdateRouters"
    ),
    "NeutronNetworks.create_and_update_subnets": (
        "squall.scenarios.openstack.neutron_networks:CreateAndUpdateSubnets"
    ),
    "NeutronNetworks.list_agents": "squall.scenarios.openstack.neutron_networks:ListAgents",
    "NeutronNetworks.set_and_clear_router_gateway": (
        "squall.scenarios.openstack.neutron_networks:SetAndClearRouterGateway"
    ),
    "NeutronSecurityGroup.create_and_delete_security_group_rule": (
        "squall.scenarios.openstack.neutron_security_groups:CreateAndDeleteSecurityGroupRule"
    ),
    "NeutronSecurityGroup.create_and_delete_security_groups": (
        "squall.scenarios.openstack.neutron_security_groups:CreateAndDeleteSecurityGroups"
    ),
    "NeutronSecurityGroup.create_and_list_security_group_rules": (
        "squall.scenarios.openstack.neutron_security_groups:CreateAndListSecurityGroupRules"
    ),
    "NeutronSecurityGroup.create_and_list_security_groups": (
        "squall.scenarios.openstack.neutron_security_groups:CreateAndListSecurityGroups"
    ),
    "NeutronSecurityGroup.create_and_show_security_group": (
        "squall.scenarios.openstack.neutron_security_groups:CreateAndShowSecurityGroup"
    ),
    "NeutronSecurityGroup.create_and_show_security_group_rule": (
        "squall.scenarios.openstack.neutron_security_groups:CreateAndShowSecurityGroupRule"
    ),
    "NeutronSecurityGroup.create_and_update_security_groups": (
        "squall.scenarios.openstack.neutron_security_groups:CreateAndUpdateSecurityGroups"
    ),
    "NeutronSubnets.delete_subnets": "squall.scenarios.openstack.neutron_subnets:DeleteSubnets",
    "NeutronTrunks.boot_server_and_add_subports": (
        "squall.scenarios.openstack.neutron_trunks:BootServerAndAddSubports"
    ),
    "NeutronTrunks.boot_server_and_batch_add_subports": (
        "squall.scenarios.openstack.neutron_trunks:BootServerAndBatchAddSubports"
    ),
    "NeutronTrunks.boot_server_with_subports": (
        "squall.scenarios.openstack.neutron_trunks:BootServerWithSubports"
    ),
    "NeutronTrunks.create_and_list_trunks": (
        "squall.scenarios.openstack.neutron_trunks:CreateAndListTrunks"
    ),
    "CinderQos.create_and_list_qos": ("squall.scenarios.openstack.cinder_qos:CreateAndListQos"),
    "CinderQos.create_and_get_qos": ("squall.scenarios.openstack.cinder_qos:CreateAndGetQos"),
    "CinderQos.create_and_set_qos": ("squall.scenarios.openstack.cinder_qos:CreateAndSetQos"),
    "CinderQos.create_qos_associate_and_disassociate_type": (
        "squall.scenarios.openstack.cinder_qos:CreateQosAssociateAndDisassociateType"
    ),
    "CinderVolumeBackups.create_incremental_volume_backup": (
        "squall.scenarios.openstack.cinder_volume_backups:CreateIncrementalVolumeBackup"
    ),
    "CinderVolumeTypes.create_and_delete_encryption_type": (
        "squall.scenarios.openstack.cinder_volume_types:CreateAndDeleteEncryptionType"
    ),
    "CinderVolumeTypes.create_and_delete_volume_type": (
        "squall.scenarios.openstack.cinder_volume_types:CreateAndDeleteVolumeType"
    ),
    "CinderVolumeTypes.create_and_get_volume_type": (
        "squall.scenarios.openstack.cinder_volume_types:CreateAndGetVolumeType"
    ),
    "CinderVolumeTypes.create_and_list_encryption_type": (
        "squall.scenarios.openstack.cinder_volume_types:CreateAndListEncryptionType"
    ),
    "CinderVolumeTypes.create_and_list_volume_types": (
        "squall.scenarios.openstack.cinder_volume_types:CreateAndListVolumeTypes"
    ),
    "CinderVolumeTypes.create_and_set_volume_type_keys": (
        "squall.scenarios.openstack.cinder_volume_types:CreateAndSetVolumeTypeKeys"
    ),
    "CinderVolumeTypes.create_and_update_encryption_type": (
        "squall.scenarios.openstack.cinder_volume_types:CreateAndUpdateEncryptionType"
    ),
    "CinderVolumeTypes.create_and_update_volume_type": (
        "squall.scenarios.openstack.cinder_volume_types:CreateAndUpdateVolumeType"
    ),
    "CinderVolumeTypes.create_get_and_delete_encryption_type": (
        "squall.scenarios.openstack.cinder_volume_types:CreateGetAndDeleteEncryptionType"
    ),
    "CinderVolumeTypes.create_volume_type_add_and_list_type_access": (
        "squall.scenarios.openstack.cinder_volume_types:CreateVolumeTypeAddAndListTypeAccess"
    ),
    "CinderVolumeTypes.create_volume_type_and_encryption_type": (
        "squall.scenarios.openstack.cinder_volume_types:CreateVolumeTypeAndEncryptionType"
    ),
    "CinderVolumes.create_and_accept_transfer": (
        "squall.scenarios.openstack.cinder_volumes_more:CreateAndAcceptTransfer"
    ),
    "CinderVolumes.create_and_attach_volume": (
        "squall.scenarios.openstack.cinder_volumes:CreateAndAttachVolume"
    ),
    "CinderVolumes.create_and_delete_snapshot": (
        "squall.scenarios.openstack.cinder_volumes:CreateAndDeleteSnapshot"
    ),
    "CinderVolumes.create_and_delete_volume": (
        "squall.scenarios.openstack.cinder_volumes:CreateAndDeleteVolume"
    ),
    "CinderVolumes.create_and_extend_volume": (
        "squall.scenarios.openstack.cinder_volumes:CreateAndExtendVolume"
    ),
    "CinderVolumes.create_and_get_volume": (
        "squall.scenarios.openstack.cinder_volumes:CreateAndGetVolume"
    ),
    "CinderVolumes.create_and_list_snapshots": (
        "squall.scenarios.openstack.cinder_volumes:CreateAndListSnapshots"
    ),
    "CinderVolumes.create_and_list_volume": (
        "squall.scenarios.openstack.cinder_volumes:CreateAndListVolume"
    ),
    "CinderVolumes.create_and_list_volume_backups": (
        "squall.scenarios.openstack.cinder_volumes_more:CreateAndListVolumeBackups"
    ),
    "CinderVolumes.create_and_restore_volume_backup": (
        "squall.scenarios.openstack.cinder_volumes_more:CreateAndRestoreVolumeBackup"
    ),
    "CinderVolumes.create_and_update_volume": (
        "squall.scenarios.openstack.cinder_volumes:CreateAndUpdateVolume"
    ),
    "CinderVolumes.create_and_upload_volume_to_image": (
        "squall.scenarios.openstack.cinder_volumes_more:CreateAndUploadVolumeToImage"
    ),
    "CinderVolumes.create_from_volume_and_delete_volume": (
        "squall.scenarios.openstack.cinder_volumes:CreateFromVolumeAndDeleteVolume"
    ),
    "CinderVolumes.create_nested_snapshots_and_attach_volume": (
        "squall.scenarios.openstack.cinder_volumes_more:CreateNestedSnapshotsAndAttachVolume"
    ),
    "CinderVolumes.create_snapshot_and_attach_volume": (
        "squall.scenarios.openstack.cinder_volumes_more:CreateSnapshotAndAttachVolume"
    ),
    "CinderVolumes.create_volume": "squall.scenarios.openstack.cinder_volumes:CreateVolume",
    "CinderVolumes.create_volume_and_clone": (
        "squall.scenarios.openstack.cinder_volumes:CreateVolumeAndClone"
    ),
    "CinderVolumes.create_volume_and_update_readonly_flag": (
        "squall.scenarios.openstack.cinder_volumes_more:CreateVolumeAndUpdateReadonlyFlag"
    ),
    "CinderVolumes.create_volume_backup": (
        "squall.scenarios.openstack.cinder_volumes_more:CreateVolumeBackup"
    ),
    "CinderVolumes.create_volume_from_snapshot": (
        "squall.scenarios.openstack.cinder_volumes:CreateVolumeFromSnapshot"
    ),
    "CinderVolumes.list_transfers": "squall.scenarios.openstack.cinder_volumes_more:ListTransfers",
    "CinderVolumes.list_types": "squall.scenarios.openstack.cinder_volumes:ListTypes",
    "CinderVolumes.list_volumes": "squall.scenarios.openstack.cinder_volumes:ListVolumes",
    "CinderVolumes.modify_volume_metadata": (
        "squall.scenarios.openstack.cinder_volumes:ModifyVolumeMetadata"
    ),
    "GlanceImages.create_and_deactivate_image": (
        "squall.scenarios.openstack.glance_images:CreateAndDeactivateImage"
    ),
    "GlanceImages.create_and_delete_image": (
        "squall.scenarios.openstack.glance_images:CreateAndDeleteImage"
    ),
    "GlanceImages.create_and_download_image": (
        "squall.scenarios.openstack.glance_images:CreateAndDownloadImage"
    ),
    "GlanceImages.create_and_get_image": (
        "squall.scenarios.openstack.glance_images:CreateAndGetImage"
    ),
    "GlanceImages.create_and_list_image": (
        "squall.scenarios.openstack.glance_images:CreateAndListImage"
    ),
    "GlanceImages.create_and_update_image": (
        "squall.scenarios.openstack.glance_images:CreateAndUpdateImage"
    ),
    "GlanceImages.create_image_and_boot_instances": (
        "squall.scenarios.openstack.glance_images:CreateImageAndBootInstances"
    ),
    "GlanceImages.import_and_delete_image": (
        "squall.scenarios.openstack.glance_images:ImportAndDeleteImage"
    ),
    "GlanceImages.list_images": "squall.scenarios.openstack.glance_images:ListImages",
    "Authenticate.keystone": "squall.scenarios.openstack.authenticate:Keystone",
    "Authenticate.validate_nova": "squall.scenarios.openstack.authenticate:ValidateNova",
    "Authenticate.validate_neutron": "squall.scenarios.openstack.authenticate:ValidateNeutron",
    "Authenticate.validate_glance": "squall.scenarios.openstack.authenticate:ValidateGlance",
    "Authenticate.validate_cinder": "squall.scenarios.openstack.authenticate:ValidateCinder",
    "Authenticate.validate_heat": "squall.scenarios.openstack.authenticate:ValidateHeat",
    "KeystoneBasic.create_user": "squall.scenarios.openstack.keystone:CreateUser",
    "KeystoneBasic.create_delete_user": "squall.scenarios.openstack.keystone:CreateDeleteUser",
    "KeystoneBasic.create_user_set_enabled_and_delete": (
        "squall.scenarios.openstack.keystone:CreateUserSetEnabledAndDelete"
    ),
    "KeystoneBasic.create_and_list_users": "squall.scenarios.openstack.keystone:CreateAndListUsers",
    "KeystoneBasic.create_user_update_password": (
        "squall.scenarios.openstack.keystone:CreateUserUpdatePassword"
    ),
    "KeystoneBasic.create_tenant": "squall.scenarios.openstack.keystone:CreateTenant",
    "KeystoneBasic.create_and_list_tenants": (
        "squall.scenarios.openstack.keystone:CreateAndListTenants"
    ),
    "KeystoneBasic.create_tenant_with_users": (
        "squall.scenarios.openstack.keystone:CreateTenantWithUsers"
    ),
    "KeystoneBasic.create_update_and_delete_tenant": (
        "squall.scenarios.openstack.keystone:CreateUpdateAndDeleteTenant"
    ),
    "KeystoneBasic.create_and_delete_role": (
        "squall.scenarios.openstack.keystone:CreateAndDeleteRole"
    ),
    "KeystoneBasic.create_and_get_role": "squall.scenarios.openstack.keystone:CreateAndGetRole",
    "KeystoneBasic.add_and_remove_user_role": (
        "squall.scenarios.openstack.keystone:AddAndRemoveUserRole"
    ),
    "KeystoneBasic.create_add_and_list_user_roles": (
        "squall.scenarios.openstack.keystone:CreateAddAndListUserRoles"
    ),
    "KeystoneBasic.get_entities": "squall.scenarios.openstack.keystone:GetEntities",
    "KeystoneBasic.create_and_delete_service": (
        "squall.scenarios.openstack.keystone:CreateAndDeleteService"
    ),
    "KeystoneBasic.create_and_list_services": (
        "squall.scenarios.openstack.keystone:CreateAndListServices"
    ),
    "KeystoneBasic.authenticate_user_and_validate_token": (
        "squall.scenarios.openstack.keystone:AuthenticateUserAndValidateToken"
    ),
}
