"""The READMEs init-jobs writes say things that hold."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from squall.jobs import docs
from squall.jobs.catalogue import load_catalogue
from squall.plugins.families import Family
from squall.plugins.loader import load_registry

NOVA = load_catalogue().get("nova")


def literal_block(rst: str) -> str:
    """The first ``::`` literal block of an RST text, dedented."""
    body = rst.split("::\n\n", 1)[1]
    lines = []
    for line in body.splitlines():
        if line and not line.startswith("    "):
            break
        lines.append(line)
    return textwrap.dedent("\n".join(lines))


def test_the_plugin_example_registers_as_a_scenario(tmp_path: Path) -> None:
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "thing.py").write_text(literal_block(docs.plugins_readme("nova")))
    registry = load_registry([folder])
    assert "Nova.create_and_delete_thing" in registry.names(Family.SCENARIO)


@pytest.mark.parametrize("fmt", ["rally", "squall"])
def test_the_commands_to_run_it_work_from_the_top_folder(fmt: str) -> None:
    text = docs.readme("nova", NOVA, "task-nova.yaml", "nova-x-task", fmt)  # type: ignore[arg-type]
    commands = literal_block(text.split("Running it", 1)[1])
    assert "squall task validate rally-jobs/task-nova.yaml" in commands
    assert "squall task start rally-jobs/task-nova.yaml" in commands
    assert "--plugin-path rally-jobs/plugins" in commands


def test_the_squall_readme_points_at_the_job_playbooks() -> None:
    squall = docs.readme("nova", NOVA, "task-nova.yaml", "nova-squall-task", "squall")
    rally = docs.readme("nova", NOVA, "task-nova.yaml", "nova-rally-task", "rally")
    assert "``../playbooks/squall/``" in squall
    assert "playbooks" not in rally
