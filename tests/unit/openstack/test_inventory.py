"""Listing the cloud by kind on ``FakeCloud``: trunks, volume backups, creation times,
and what a project member's credentials may list."""

from squall.openstack.inventory import discover, epoch, list_kind
from squall.openstack.journal import ResourceKind
from squall.openstack.sweep import matcher
from squall.testing.cloud import FakeCloud

RUN = "0ba6676558a9444ea6e2b324faca2a50"


def test_discover_finds_trunks_and_volume_backups_named_after_the_run():
    cloud = FakeCloud()
    port = cloud.network.create_port(name="squall-0ba66765-port0001")
    trunk = cloud.network.create_trunk(name="squall-0ba66765-trunk001", port_id=port.id)
    cloud.network.create_trunk(name="operators-trunk", port_id=port.id)
    volume = cloud.block_storage.create_volume(name="squall-0ba66765-vol00001")
    full = cloud.block_storage.create_backup(name="squall-0ba66765-full0001", volume_id=volume.id)
    cloud.block_storage.create_backup(name="squall-83465bac-other001", volume_id=volume.id)

    found = {(f.kind, f.id) for f in discover(cloud, matcher(RUN)).found}

    assert (ResourceKind.TRUNK, trunk.id) in found
    assert (ResourceKind.VOLUME_BACKUP, full.id) in found
    assert {k for k, _ in found} == {
        ResourceKind.PORT,
        ResourceKind.TRUNK,
        ResourceKind.VOLUME,
        ResourceKind.VOLUME_BACKUP,
    }
    assert len(found) == 4


def test_backups_carry_their_status_and_creation_time():
    cloud = FakeCloud()
    storage = cloud.block_storage
    volume = storage.create_volume(name="v")
    storage.create_backup(name="b1", volume_id=volume.id)
    storage.create_backup(name="b2", volume_id=volume.id, incremental=True)
    b1, b2 = list_kind(cloud, ResourceKind.VOLUME_BACKUP)
    assert b1.status == b2.status == "available"
    assert b1.created is not None and b2.created is not None and b1.created < b2.created


def test_no_trunks_are_listed_where_neutron_lacks_the_extension():
    cloud = FakeCloud(extensions=())
    port = cloud.network.create_port(name="squall-0ba66765-port0001")
    cloud.network.create_trunk(name="squall-0ba66765-trunk001", port_id=port.id)
    assert list_kind(cloud, ResourceKind.TRUNK) == []
    assert "GET trunks" not in cloud.calls


def test_epoch_reads_the_apis_timestamps():
    assert epoch("1970-01-01T00:01:00Z") == 60.0
    assert epoch("1970-01-01T00:01:00.500000") == 60.5  # no zone: UTC
    assert epoch("1970-01-01T01:01:00+01:00") == 60.0
    assert epoch(None) is None and epoch("") is None and epoch("garbage") is None


def test_a_member_lists_its_own_project_and_the_kinds_it_may_not_list_are_named():
    cloud = FakeCloud(member=True)
    volume = cloud.block_storage.create_volume(name="squall-0ba66765-vol00001")
    cloud.block_storage.create_backup(name="squall-0ba66765-full0001", volume_id=volume.id)
    network = cloud.network.create_network(name="squall-0ba66765-net00001")

    discovery = discover(cloud, matcher(RUN))

    assert {(f.kind, f.id) for f in discovery.found} >= {
        (ResourceKind.VOLUME, volume.id),
        (ResourceKind.NETWORK, network.id),
    }
    assert ResourceKind.VOLUME_BACKUP in {f.kind for f in discovery.found}
    assert discovery.unlisted == [ResourceKind.QOS]
    # the project's listing only after the refused one of every project
    assert cloud.calls.count("GET volumes") == 2


def test_an_admin_lists_every_kind():
    cloud = FakeCloud()
    cloud.block_storage.create_volume(name="squall-0ba66765-vol00001")
    discovery = discover(cloud, matcher(RUN))
    assert discovery.unlisted == []
    assert cloud.calls.count("GET volumes") == 1
