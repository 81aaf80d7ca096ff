"""Plan files: templates, every problem at once with file:line, tool arguments checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from squall.dataplane.loader import load_plan, load_plan_text
from squall.errors import TaskError

SAMPLES = Path(__file__).parents[3] / "samples" / "dataplane"

GOOD = """\
dataplane: 1
network_mode: full
scale: {servers_per_network: 3}
tests:
  - {name: t, tool: iperf3, duration: 5, args: {streams: 2}}
"""


def test_a_good_plan_loads_with_defaults():
    plan = load_plan_text(GOOD, "p.yaml")
    assert plan.provider == "netns"
    assert plan.network_mode == "full"
    assert plan.scale.servers_per_network == 3
    assert plan.tests[0].args == {"streams": 2}
    assert plan.controller.loss_timeout == 30.0


def _problems(text: str) -> list[str]:
    with pytest.raises(TaskError) as info:
        load_plan_text(text, "p.yaml")
    return [str(p) for p in info.value.problems]


def test_problems_point_at_lines_and_suggest_names():
    problems = _problems(
        "dataplane: 1\nnetwork_mode: single-netwrk\nscale: {clents_per_server: 1}\n"
        "tests:\n  - {name: t, tool: ping}\n"
    )
    assert any(p.startswith("p.yaml:2: network_mode") for p in problems)
    assert any(
        "p.yaml:3: scale.clents_per_server" in p and "clients_per_server" in p for p in problems
    )


def test_tool_names_and_arguments_are_checked():
    problems = _problems(
        "dataplane: 1\ntests:\n  - name: a\n    tool: iperf\n  - name: b\n    tool: http\n"
        "    args: {connections: 0, drvier: wrk}\n"
    )
    assert any("p.yaml:4: tests[0].tool" in p and "iperf3" in p for p in problems)
    assert any("tests[1].args.connections" in p for p in problems)
    assert any("tests[1].args.drvier" in p and "driver" in p for p in problems)


def test_test_names_must_be_unique_and_tests_present():
    assert _problems("dataplane: 1\ntests: []\n")
    problems = _problems(
        "dataplane: 1\ntests:\n  - {name: a, tool: ping}\n  - {name: a, tool: ping}\n"
    )
    assert any("used twice" in p for p in problems)


def test_templates_render_with_arguments(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(
        "dataplane: 1\nnetwork_mode: {{ mode }}\ntests:\n"
        "  - {name: t, tool: ping, duration: {{ d | default(4) }}}\n"
    )
    plan = load_plan(path, plan_args="{mode: single-router}")
    assert plan.network_mode == "single-router"
    assert plan.tests[0].duration == 4
    with pytest.raises(TaskError, match="'mode' is not set"):
        load_plan(path)


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_samples_load(sample):
    plan = load_plan(sample)
    assert plan.tests


def test_custom_tests_are_checked_without_importing_them(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "good.py").write_text("def run(target, args, duration):\n    return {}\n")
    (tmp_path / "tests" / "norun.py").write_text("X = 1\n")
    (tmp_path / "tests" / "boom.py").write_text("raise SystemExit('imported!')\n")
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "dataplane: 1\ncustom_tests: tests\ntests:\n  - {name: a, tool: good, args: {x: 1}}\n"
    )
    loaded = load_plan(plan)
    assert loaded.custom_tests == str((tmp_path / "tests").resolve())
    plan.write_text(
        "dataplane: 1\ncustom_tests: tests\ntests:\n"
        "  - {name: a, tool: norun}\n  - {name: b, tool: missing}\n  - {name: c, tool: boom}\n"
    )
    with pytest.raises(TaskError) as info:
        load_plan(plan)
    text = str(info.value)
    assert "defines no run(" in text
    assert "no missing.py" in text
    assert "boom.py defines no run(" in text
