"""Detection from repository trees laid out like real projects."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from squall.errors import ConfigError
from squall.jobs.catalogue import load_catalogue
from squall.jobs.detect import detect

CATALOGUE = load_catalogue()
Repo = Callable[[str], Path]


@pytest.mark.parametrize(
    ("name", "service", "signs"),
    [
        ("nova", "nova", ["setup.cfg [metadata] name is 'nova'", "nova-api", "Compute API"]),
        (
            "neutron",
            "neutron",
            [
                "neutron-dhcp-agent",
                "Networking API v2.0",
                "entry point groups neutron.service_plugins (setup.cfg [entry_points])",
            ],
        ),
        (
            "cinder",
            "cinder",
            [
                "pyproject.toml [project] name is 'cinder'",
                "cinder-api",
                "entry point groups cinder.database.migration_backend "
                "(pyproject.toml [project.entry-points])",
            ],
        ),
        ("swift", "swift", ["top-level package swift/", "swift-proxy-server"]),
        ("glance", "glance", ["glance-api, glance-cache-prefetcher", "Image Service API v2"]),
        (
            "keystone",
            "keystone",
            ["keystone-manage, keystone-status, keystone-wsgi-admin", "'Identity API Reference'"],
        ),
    ],
)
def test_services_are_recognised_with_their_evidence(
    repo: Repo, name: str, service: str, signs: list[str]
) -> None:
    found = detect(repo(name), CATALOGUE)
    assert found.service.name == service
    assert found.project == name
    text = "\n".join(found.evidence)
    for sign in signs:
        assert sign in text


def test_zuul_jobs_named_after_the_service_count_as_evidence(repo: Repo) -> None:
    found = detect(repo("nova"), CATALOGUE)
    assert any(".zuul.yaml defines jobs nova-tox-functional-py310" in e for e in found.evidence)


def test_a_library_is_not_a_service(repo: Repo) -> None:
    with pytest.raises(ConfigError) as err:
        detect(repo("oslo.cache"), CATALOGUE)
    assert "no OpenStack service recognised in 'oslo.cache'" in err.value.message
    assert "looks like a library" in err.value.message
    assert err.value.hint is not None and "--service" in err.value.hint


def test_service_option_overrides_detection(repo: Repo) -> None:
    found = detect(repo("oslo.cache"), CATALOGUE, "Keystone")
    assert found.service.name == "keystone"
    assert found.chosen_by_user
    assert found.project == "oslo-cache"


def test_unknown_service_option(repo: Repo) -> None:
    with pytest.raises(ConfigError, match="unknown service 'glanse'") as err:
        detect(repo("nova"), CATALOGUE, "glanse")
    assert err.value.hint is not None and "'glance'" in err.value.hint


def test_a_client_library_is_not_its_service(tmp_path: Path) -> None:
    (tmp_path / "novaclient").mkdir()
    (tmp_path / "novaclient" / "__init__.py").write_text("")
    (tmp_path / "setup.cfg").write_text(
        "[metadata]\nname = python-novaclient\n\n"
        "[entry_points]\nconsole_scripts =\n    nova = novaclient.shell:main\n"
    )
    with pytest.raises(ConfigError, match="looks like a library"):
        detect(tmp_path, CATALOGUE)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing", "no such directory"),
        (lambda p: (p / "file.txt").write_text("x") and p / "file.txt", "is not a directory"),
        (lambda p: p, "is not a project repository"),
    ],
)
def test_a_path_that_is_not_a_repository(
    tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        detect(make(tmp_path), CATALOGUE)


def test_a_git_checkout_without_project_files_is_a_repository(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "glance").mkdir()
    (tmp_path / "glance" / "__init__.py").write_text("")
    assert detect(tmp_path, CATALOGUE).service.name == "glance"


def test_broken_setup_cfg_is_reported(tmp_path: Path) -> None:
    (tmp_path / "setup.cfg").write_text("[metadata\nname = nova\n")
    with pytest.raises(ConfigError, match=r"setup\.cfg: cannot be read as setup\.cfg"):
        detect(tmp_path, CATALOGUE)


def test_broken_pyproject_is_reported(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project\nname = 'nova'\n")
    with pytest.raises(ConfigError, match=r"pyproject\.toml: cannot be read as TOML"):
        detect(tmp_path, CATALOGUE)
