"""The side keystone's command line and oslo.config overrides (no process started)."""

from pathlib import Path

from squall.devcloud import load_config
from squall.testing.keystone import SideKeystone, oslo_environ


def test_overrides_become_oslo_config_variables():
    env = oslo_environ({"token": {"expiration": 10}, "DEFAULT": {"log_file": Path("/x/k.log")}})
    assert env == {"OS_TOKEN__EXPIRATION": "10", "OS_DEFAULT__LOG_FILE": "/x/k.log"}


def test_it_runs_the_devcloud_keystone_on_its_own_port_and_access_log(tmp_path):
    config = load_config(directory=tmp_path / "devcloud")
    side = SideKeystone(config, {"token": {"expiration": 10}}, workdir=tmp_path)
    argv = side.argv()
    assert argv[argv.index("-b") + 1] == f"127.0.0.1:{side.port}"
    assert argv[argv.index("--access-logfile") + 1] == str(tmp_path / "keystone-side-access.log")
    assert argv[-1] == "keystone_app:application"
    assert side.auth_url == f"http://127.0.0.1:{side.port}/v3"


def test_tokens_are_counted_from_the_access_log(tmp_path):
    side = SideKeystone(load_config(directory=tmp_path / "d"), workdir=tmp_path)
    assert side.token_requests() == 0
    side.access_log.write_text(
        '127.0.0.1 - - [t] "POST /v3/auth/tokens HTTP/1.1" 201 4016 "-" "ua"\n'
        '127.0.0.1 - - [t] "POST /v3/auth/tokens HTTP/1.1" 401 114 "-" "ua"\n'
        '127.0.0.1 - - [t] "GET /v3/auth/tokens HTTP/1.1" 200 4016 "-" "ua"\n'
        '127.0.0.1 - - [t] "POST /v3/auth/tokens HTTP/1.1" 201 4016 "-" "ua"\n'
    )
    assert side.token_requests() == 2
