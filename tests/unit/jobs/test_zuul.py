"""Merging a job into Zuul configuration text keeps every other byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from squall.errors import ConfigError
from squall.jobs.zuul import ZuulJob, find_config, merge, parse

REPOS = Path(__file__).resolve().parents[2] / "data" / "repos"
JOB = ZuulJob(
    name="swift-rally-task",
    parent="rally-task-at-devstack",
    description="Measure it.",
    vars={"rally_task": "rally-jobs/task-swift.yaml"},
    required_projects=["openstack/rally-openstack"],
)


def removed_lines(old: str, new: str) -> list[str]:
    """Lines of ``old`` missing from ``new`` in order (a merge only adds)."""
    remaining = iter(new.splitlines())
    return [line for line in old.splitlines() if not any(line == n for n in remaining)]


def test_comment_rich_file_keeps_every_line_and_comment() -> None:
    old = (REPOS / "swift" / ".zuul.yaml").read_text()
    merged = merge(old, JOB, ".zuul.yaml")
    assert merged.added_job and merged.added_to_pipeline
    assert removed_lines(old, merged.text) == []
    added = len(merged.text.splitlines()) - len(old.splitlines())
    block = merged.text[merged.text.index("- job:\n    name: swift-rally-task") :]
    assert added == 1 + 1 + len(block.splitlines())  # pipeline line, blank line, the job
    assert "# trailing comment at the very end" in merged.text
    assert "!encrypted/pkcs1-oaep" in merged.text


def test_the_job_joins_the_check_pipeline_beside_the_others() -> None:
    old = (REPOS / "swift" / ".zuul.yaml").read_text()
    text = merge(old, JOB, ".zuul.yaml").text
    assert (
        "    check:\n      jobs:\n        - swift-rally-task\n        - swift-tox-func-py3" in text
    )
    project = next(i["project"] for i in parse(text, "x") if "project" in i)
    assert project["gate"]["jobs"] == ["swift-tox-func-py3"]


def test_merging_twice_changes_nothing() -> None:
    old = (REPOS / "nova" / ".zuul.yaml").read_text()
    once = merge(old, JOB, ".zuul.yaml")
    twice = merge(once.text, JOB, ".zuul.yaml")
    assert not twice.changed
    assert twice.text == once.text
    assert twice.notes == []


def test_an_edited_job_is_kept_and_said_so() -> None:
    old = merge("", JOB, ".zuul.yaml").text.replace("timeout: 7200", "timeout: 9000")
    again = merge(old, JOB, ".zuul.yaml")
    assert again.text == old
    assert "differs from squall's; kept" in again.notes[0]


def test_an_empty_file_gets_a_job_and_a_project() -> None:
    text = merge("", JOB, ".zuul.yaml").text
    assert text.startswith("- job:\n    name: swift-rally-task\n")
    data = parse(text, "x")
    assert data[1]["project"]["check"]["jobs"] == ["swift-rally-task"]


def test_a_project_without_check_pipeline_gets_one() -> None:
    old = "- project:\n    templates:\n      - noop-jobs\n"
    data = parse(merge(old, JOB, "x").text, "x")
    project = next(i["project"] for i in data if "project" in i)
    assert project["check"]["jobs"] == ["swift-rally-task"]
    assert project["templates"] == ["noop-jobs"]


def test_a_check_pipeline_without_jobs_gets_them() -> None:
    old = "- project:\n    check:\n      fail-fast: true\n"
    data = parse(merge(old, JOB, "x").text, "x")
    project = next(i["project"] for i in data if "project" in i)
    assert project["check"] == {"jobs": ["swift-rally-task"], "fail-fast": True}


def test_a_flow_style_job_list_is_left_to_the_user() -> None:
    old = "- project:\n    check: {jobs: [a, b]}\n"
    merged = merge(old, JOB, "x")
    assert merged.added_job and not merged.added_to_pipeline
    assert "by hand" in merged.notes[0]
    assert old in merged.text


def test_unparsable_zuul_file_names_its_line() -> None:
    with pytest.raises(ConfigError) as err:
        merge("- job:\n    name: [unclosed\n- project: {}\n", JOB, ".zuul.yaml")
    assert err.value.message.startswith(".zuul.yaml:")
    assert "cannot parse the Zuul configuration" in err.value.message


def test_a_zuul_file_that_is_not_a_list() -> None:
    with pytest.raises(ConfigError, match="a Zuul configuration is a list"):
        merge("job:\n  name: x\n", JOB, ".zuul.yaml")


def test_find_config_prefers_the_file_holding_the_project() -> None:
    assert find_config(REPOS / "neutron") == REPOS / "neutron" / "zuul.d" / "project.yaml"
    assert find_config(REPOS / "nova") == REPOS / "nova" / ".zuul.yaml"
    assert find_config(REPOS / "cinder") is None


def test_windows_line_endings_are_kept() -> None:
    old = (REPOS / "nova" / ".zuul.yaml").read_text().replace("\n", "\r\n")
    merged = merge(old, JOB, ".zuul.yaml")
    assert merged.changed
    assert "\n" not in merged.text.replace("\r\n", "")
    assert merge(merged.text, JOB, ".zuul.yaml").text == merged.text
