"""expand_clouds: a workload written for several clouds becomes one workload per cloud."""

import pytest

from squall.contexts.openstack.cloud import CloudChoice, CloudContext
from squall.errors import TaskError
from squall.plugins.builtin import register
from squall.plugins.registry import Registry
from squall.task.clouds import expand_clouds, resolve
from squall.task.loader import load_text
from squall.task.validate import ValidatedTask, validate_task

TASK = """\
squall: 1
title: t
subtasks:
  - title: first
    run_in_parallel: {parallel}
    workloads:
      - scenario: Dummy.dummy
        runner: {{type: constant, times: 2, concurrency: 1}}
        contexts:
          cloud: {cloud}
        sla: {{failure_rate: {{max: 0}}}}
      - scenario: Dummy.dummy_exception
  - title: second
    workloads:
      - scenario: Dummy.dummy
"""


def validated(cloud: str, *, parallel: bool = False) -> ValidatedTask:
    registry = Registry()
    register(registry)
    text = TASK.format(cloud=cloud, parallel=str(parallel).lower())
    return validate_task(load_text(text, "t.yaml"), registry)


def problems(cloud: str, clouds: list[str]) -> list[str]:
    with pytest.raises(TaskError) as info:
        expand_clouds(validated(cloud), clouds)
    return [str(p) for p in info.value.problems]


def _cloud_of(vw) -> str:
    (config,) = [c for cls, c in vw.contexts if cls is CloudContext]
    assert isinstance(config, CloudChoice)
    assert isinstance(config.name, str)
    return config.name


def test_all_makes_one_workload_per_cloud_of_the_run_in_its_order():
    task = expand_clouds(validated("all"), ["west/Two", "east"])
    first = [vw for vw in task.workloads if vw.subtask_index == 0]
    assert [(vw.workload_index, vw.workload.scenario.name) for vw in first] == [
        (0, "Dummy.dummy"),
        (1, "Dummy.dummy"),
        (2, "Dummy.dummy_exception"),
    ]
    assert [vw.cloud for vw in first] == ["west/Two", "east", None]
    assert [vw.origin for vw in first] == [0, 0, 1]
    assert [_cloud_of(vw) for vw in first[:2]] == ["west/Two", "east"]
    assert [vw.workload.contexts["cloud"] for vw in first[:2]] == ["west/Two", "east"]
    assert first[2].path == "subtasks[0].workloads[1]"


def test_each_copy_keeps_its_runner_and_sla():
    one, two = expand_clouds(validated("all"), ["a", "b"]).workloads[:2]
    assert one.runner_config == two.runner_config
    assert one.sla_configs == two.sla_configs
    assert one.workload.sla == two.workload.sla == {"failure_rate": {"max": 0}}


def test_the_stored_task_is_the_expanded_one():
    task = expand_clouds(validated("[b, a]", parallel=True), ["a", "b/R2"]).task
    first, second = task.subtasks
    assert first.run_in_parallel
    assert [w.contexts.get("cloud") for w in first.workloads] == ["b/R2", "a", None]
    assert len(second.workloads) == 1
    assert task.model_dump()["subtasks"][0]["workloads"][0]["contexts"] == {"cloud": "b/R2"}


def test_a_list_keeps_its_order_and_names_match_their_region():
    task = expand_clouds(validated("[east, west/Two]"), ["west/Two", "east/One"])
    assert [vw.cloud for vw in task.workloads[:2]] == ["east/One", "west/Two"]


def test_one_cloud_is_left_as_written():
    task = validated("west")
    assert expand_clouds(task, ["east", "west/Two"]) is task


def test_a_task_without_the_cloud_context_is_left_alone():
    registry = Registry()
    register(registry)
    text = TASK.replace("cloud: {cloud}", "{{}}").format(parallel="false")
    task = validate_task(load_text(text, "t.yaml"), registry)
    assert expand_clouds(task, ["a", "b"]) is task


def test_an_unknown_cloud_names_the_field_line_and_the_run_clouds():
    assert problems("[east, nort]", ["east", "north/R1"]) == [
        "t.yaml:10: subtasks[0].workloads[0].contexts.cloud[1]: unknown cloud 'nort' "
        "(this run has: east, north/R1)"
    ]


def test_an_unknown_single_cloud_is_reported_before_any_cloud_is_contacted():
    (message,) = problems("nope", ["east"])
    assert "contexts.cloud: unknown cloud 'nope' (this run has: east)" in message


def test_one_cloud_named_twice_in_a_list():
    (message,) = problems("[east, east/R1]", ["east/R1"])
    assert "contexts.cloud[1]: 'east/R1' is east/R1, already named in this list" in message


@pytest.mark.parametrize(
    ("cloud", "words"),
    [
        ("[]", "at least one cloud"),
        ("[a, a]", "cloud a is named twice"),
        ("[all, a]", "`all` stands alone"),
    ],
)
def test_bad_lists_are_validation_errors(cloud, words):
    with pytest.raises(TaskError) as info:
        validated(cloud)
    (problem,) = info.value.problems
    assert words in str(problem)
    assert "contexts.cloud" in str(problem)


def test_resolve_takes_a_name_or_its_label():
    clouds = ["east/R1", "west"]
    assert resolve("east", clouds) == "east/R1"
    assert resolve("east/R1", clouds) == "east/R1"
    assert resolve("west", clouds) == "west"
    assert resolve("east/R2", clouds) is None
