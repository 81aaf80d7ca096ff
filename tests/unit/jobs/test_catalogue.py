"""The catalogue never names a scenario squall lacks, and every task it makes is valid."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from squall.errors import ConfigError
from squall.jobs.catalogue import load_catalogue
from squall.jobs.task_text import render_task
from squall.plugins.families import Family
from squall.plugins.loader import load_registry
from squall.task.loader import load_task
from squall.task.validate import validate_task

CATALOGUE = load_catalogue()
SERVICES = sorted(CATALOGUE.services)
SCENARIO_SOURCES = Path(__file__).resolve().parents[3] / "src" / "squall" / "scenarios"


def test_the_core_services_are_there() -> None:
    core = {"nova", "neutron", "cinder", "glance", "keystone", "swift", "ironic", "heat"}
    more = {"octavia", "manila", "designate", "barbican", "placement"}
    assert core | more <= set(SERVICES)


def test_every_scenario_named_is_registered() -> None:
    registry = load_registry()
    names = {info.name for info in registry.infos(Family.SCENARIO)}
    missing = sorted(set(CATALOGUE.by_scenario()) - names)
    assert missing == []


def test_services_without_operations_say_what_to_add() -> None:
    for service in CATALOGUE.services.values():
        if not service.operations:
            assert service.missing, service.name


def _atomic_names_in_source() -> set[str]:
    text = "\n".join(p.read_text() for p in SCENARIO_SOURCES.rglob("*.py"))
    text = text.replace("{CINDER}", "cinder_v3")  # _cinder.py's prefix constant
    return set(re.findall(r"\"([a-z_0-9]+\.[a-z_0-9]+)\"", text))


def test_every_atomic_in_an_sla_is_timed_by_a_scenario() -> None:
    known = _atomic_names_in_source()
    named = {a for s in CATALOGUE.services.values() for op in s.operations for a in op.atomics}
    assert named, "the catalogue sets per-atomic SLA criteria"
    assert sorted(named - known) == []


@pytest.mark.parametrize("fmt", ["rally", "squall"])
@pytest.mark.parametrize("service", SERVICES)
def test_every_generated_task_validates(tmp_path: Path, service: str, fmt: str) -> None:
    path = tmp_path / "task.yaml"
    path.write_text(render_task(CATALOGUE.get(service), service, fmt, f"{service}-task"))  # type: ignore[arg-type]
    validated = validate_task(load_task(path), load_registry())
    expected = "rally-v2" if fmt == "rally" else "squall"
    assert validated.task.source_format == expected
    workloads = validated.workloads
    assert len(workloads) == max(len(CATALOGUE.get(service).operations), 1)
    for vw in workloads:
        assert "failure_rate" in vw.workload.sla
        assert "users" in vw.workload.contexts


def test_image_and_flavor_are_template_variables(tmp_path: Path) -> None:
    text = render_task(CATALOGUE.get("nova"), "nova", "rally", "nova-rally-task")
    assert '{% set image_name = image_name or "' in text
    path = tmp_path / "task.yaml"
    path.write_text(text)
    task = load_task(path, task_args="{image_name: my-image, flavor_name: my-flavor}").task
    args = task.subtasks[0].workloads[0].scenario.args
    assert args["image"] == {"name": "my-image"}
    assert args["flavor"] == {"name": "my-flavor"}


def test_quotas_and_atomic_slas_are_written(tmp_path: Path) -> None:
    path = tmp_path / "task.yaml"
    path.write_text(render_task(CATALOGUE.get("neutron"), "neutron", "squall", "n"))
    first = load_task(path).task.subtasks[0].workloads[0]
    assert first.contexts["quotas"] == {"neutron": {"network": -1}}
    assert first.sla["max_avg_duration_per_atomic"] == {"neutron.list_networks": 15}


def test_a_service_without_scenarios_gets_an_explained_working_task() -> None:
    text = render_task(CATALOGUE.get("swift"), "swift", "rally", "swift-rally-task")
    assert "squall has no scenarios for Object Storage (Swift) yet" in text
    assert "SwiftObjects.create_container_and_object_then_list_objects" in text
    assert "Authenticate.keystone" in text


def test_unknown_service_names_the_near_one() -> None:
    with pytest.raises(ConfigError) as err:
        CATALOGUE.get("novaa")
    assert "unknown service 'novaa'" in err.value.message
    assert err.value.hint is not None and "'nova'" in err.value.hint
