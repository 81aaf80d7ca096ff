import pytest

from squall.devcloud.config import DevcloudConfig, Ports
from squall.devcloud.schemas import sync_chains
from squall.devcloud.services import Probe, Service
from squall.devcloud.up import _Bringup
from squall.errors import DevcloudError


@pytest.fixture
def bringup(tmp_path):
    config = DevcloudConfig(directory=tmp_path, ports=Ports().shifted(41))
    config.logs.mkdir()
    return _Bringup(config, lambda _: None, 0.0)


def test_a_service_that_dies_while_starting_fails_with_its_log(bringup):
    crashing = Service(
        "keystone",
        ("sh", "-c", "echo 'boom: bad config' >&2; exit 3"),
        Probe.HTTP,
        5041,
        logs=("keystone.out",),
    )
    bringup.start(crashing)
    with pytest.raises(DevcloudError) as caught:
        bringup.wait_for(crashing, timeout=30)
    message = str(caught.value)
    assert "keystone exited while starting" in message
    assert "boom: bad config" in message
    assert "can simply be run again" in message


def test_a_service_that_never_answers_times_out(bringup):
    silent = Service("glance", ("sleep", "30"), Probe.HTTP, 9333, logs=("glance.out",))
    proc = bringup.start(silent)
    try:
        with pytest.raises(DevcloudError, match="glance did not answer within 1 s"):
            bringup.wait_for(silent, timeout=1)
    finally:
        from squall.devcloud import procs

        procs.terminate([proc], grace=1)


def test_keys_are_set_up_once(tmp_path):
    config = DevcloudConfig(directory=tmp_path)
    first = [" ".join(argv) for argv, _ in sync_chains(config)["keystone"]]
    assert any("fernet_setup" in step for step in first)
    (config.etc / "keystone" / "fernet-keys").mkdir(parents=True)
    (config.etc / "keystone" / "credential-keys").mkdir(parents=True)
    again = [" ".join(argv) for argv, _ in sync_chains(config)["keystone"]]
    assert not any("fernet_setup" in s or "credential_setup" in s for s in again)
    assert any("bootstrap" in step for step in again)


def test_an_existing_cell_is_not_an_error(tmp_path):
    steps = sync_chains(DevcloudConfig(directory=tmp_path))["nova"]
    create_cell = next(codes for argv, codes in steps if "create_cell" in argv)
    assert 2 in create_cell


def test_venv_fingerprint_ignores_comments_but_not_pins(tmp_path):
    from squall.devcloud import install

    constraints = tmp_path / "c.txt"
    constraints.write_text("# header\nnova==34.0.0\n")
    config = DevcloudConfig(directory=tmp_path, constraints=constraints)
    before = install.venv_fingerprint(config)
    constraints.write_text("# another header\n\nnova==34.0.0  # why\n")
    assert install.venv_fingerprint(config) == before
    constraints.write_text("nova==34.0.1\n")
    assert install.venv_fingerprint(config) != before


def test_a_second_up_waits_for_the_first(tmp_path):
    import threading

    from squall.devcloud.up import _exclusive

    config = DevcloudConfig(directory=tmp_path)
    said: list[str] = []
    order: list[str] = []

    def second() -> None:
        with _exclusive(config, said.append):
            order.append("2")

    with _exclusive(config, said.append):
        waiter = threading.Thread(target=second)
        waiter.start()
        waiter.join(timeout=0.5)
        assert waiter.is_alive()
        order.append("1")
    waiter.join(timeout=5)
    assert order == ["1", "2"]
    assert "waiting" in said[0]


def test_moving_the_ports_of_an_existing_devcloud_is_refused(tmp_path):
    from squall.devcloud.up import _refuse_moved_ports

    recorded = DevcloudConfig(directory=tmp_path)
    moved = DevcloudConfig(directory=tmp_path, ports=Ports().shifted(1))
    _refuse_moved_ports(recorded, moved)  # nothing created yet: fine
    recorded.data.mkdir()
    (recorded.data / "mysql.initialized").touch()
    _refuse_moved_ports(recorded, recorded)
    with pytest.raises(DevcloudError, match=r"other ports \(keystone 5000->5001") as caught:
        _refuse_moved_ports(recorded, moved)
    assert "down --wipe" in str(caught.value)


def test_a_devcloud_of_another_squall_is_not_half_up_for_services_it_never_had():
    from squall.devcloud.control import ServiceStatus
    from squall.devcloud.up import blocking

    def row(name: str, state: str) -> ServiceStatus:
        return ServiceStatus(name, state, None, None, 0)

    statuses = [row("cinder-volume", "running"), row("cinder-backup", "stopped")]
    recorded = {"cinder-volume"}
    # brought up by an older squall: cinder-backup was never part of it
    assert blocking(statuses, recorded, same_squall=False) == []
    # the same squall: a missing service is a half-up devcloud (stopped by name, or died)
    assert [s.name for s in blocking(statuses, recorded, same_squall=True)] == ["cinder-backup"]
    # a service the record knows that is down counts, whichever squall started it
    statuses.append(row("nova-api", "not answering"))
    recorded.add("nova-api")
    assert [s.name for s in blocking(statuses, recorded, same_squall=False)] == ["nova-api"]
