"""squall's own format -> task.model, with located structure errors."""

import pytest

from squall.errors import TaskError
from squall.task.loader import LoadedTask, load_text
from squall.task.model import HookSpec, PluginRef

TASK = """\
squall: 1
title: native
description: d
tags: [x]
subtasks:
  - title: s1
    group: g
    run_in_parallel: true
    workloads:
      - scenario: Test.sleep
        args: {sleep: 1}
        runner: {type: fixed, times: 3, concurrency: 1}
        contexts: {users: {tenants: 1}}
        sla: {max_duration: 2}
        hooks:
          - description: h
            action: {command: "echo"}
            trigger:
              at: {at: [1]}
        description: w
      - scenario: Test.sleep
"""


def load(text: str) -> LoadedTask:
    return load_text(text, "t.yaml")


def messages(text: str) -> list[str]:
    with pytest.raises(TaskError) as info:
        load(text)
    return [str(p) for p in info.value.problems]


def test_every_part_maps_onto_the_model():
    task = load(TASK).task
    assert task.source_format == "squall"
    assert (task.title, task.description, task.tags) == ("native", "d", ["x"])
    (subtask,) = task.subtasks
    assert (subtask.title, subtask.group, subtask.run_in_parallel) == ("s1", "g", True)
    first, second = subtask.workloads
    assert first.scenario == PluginRef(name="Test.sleep", args={"sleep": 1})
    assert first.runner == PluginRef(name="fixed", args={"times": 3, "concurrency": 1})
    assert first.contexts == {"users": {"tenants": 1}}
    assert first.sla == {"max_duration": 2}
    assert first.hooks == [
        HookSpec(
            description="h",
            action=PluginRef(name="command", args="echo"),
            trigger=PluginRef(name="at", args={"at": [1]}),
        )
    ]
    assert first.description == "w"
    assert second.runner == PluginRef(name="serial")
    assert second.sla == {"failure_rate": {"max": 0}}


def test_model_paths_resolve_to_the_native_file():
    loaded = load(TASK)
    w = ("subtasks", 0, "workloads", 0)
    cases = {
        (*w, "scenario"): "t.yaml:10: subtasks[0].workloads[0].scenario:",
        (*w, "scenario", "args", "sleep"): "t.yaml:11: subtasks[0].workloads[0].args.sleep:",
        (*w, "runner"): "t.yaml:12: subtasks[0].workloads[0].runner.type:",
        (*w, "runner", "args", "times"): "t.yaml:12: subtasks[0].workloads[0].runner.times:",
        (*w, "contexts", "users", "tenants"): "t.yaml:13: subtasks[0].workloads[0].contexts.users",
        (*w, "hooks", 0, "action", "args"): "t.yaml:17: subtasks[0].workloads[0].hooks[0].action",
        (*w, "hooks", 0, "trigger", "args", "at"): "t.yaml:19: subtasks[0].workloads[0].hooks",
    }
    for model_path, expected in cases.items():
        assert str(loaded.problem(model_path, "x")).startswith(expected), model_path


def test_all_structure_errors_at_once():
    text = """\
squall: 1
titel: t
subtasks:
  - title: s
    workload: []
  - title: s2
    workloads:
      - scenario: ''
        runner: {times: 3}
        hooks:
          - action: {a: {}, b: {}}
            trigger: x
      - args: {}
"""
    assert messages(text) == [
        "t.yaml:2: titel: unknown key (did you mean 'title'?)",
        "t.yaml:1: missing required key 'title'",
        "t.yaml:5: subtasks[0].workload: unknown key (did you mean 'workloads'?)",
        "t.yaml:4: subtasks[0]: missing required key 'workloads'",
        "t.yaml:8: subtasks[1].workloads[0].scenario: must not be empty",
        "t.yaml:9: subtasks[1].workloads[0].runner: missing required key 'type'"
        " (the runner's name)",
        "t.yaml:11: subtasks[1].workloads[0].hooks[0].action: must have exactly one key"
        " (the hook action name), found 2 (write it as {NAME: {...arguments}})",
        "t.yaml:12: subtasks[1].workloads[0].hooks[0].trigger: must be a mapping"
        " with one hook trigger name as its key, not a string",
        "t.yaml:13: subtasks[1].workloads[1]: missing required key 'scenario'",
    ]


@pytest.mark.parametrize("version", ["2", "'1'", "true"])
def test_unsupported_versions(version):
    text = f"squall: {version}\ntitle: t\nsubtasks: [{{title: s, workloads: [{{scenario: A}}]}}]\n"
    (message,) = messages(text)
    assert message.startswith("t.yaml:1: squall: unsupported format version")


def test_subtasks_must_not_be_empty():
    (message,) = messages("squall: 1\ntitle: t\nsubtasks: []\n")
    assert message == "t.yaml:3: subtasks: must not be empty"


def test_sections_must_be_mappings():
    text = (
        "squall: 1\ntitle: t\nsubtasks:\n  - title: s\n    workloads:\n"
        "      - scenario: A\n        contexts: []\n        sla: 1\n        hooks: {}\n"
    )
    assert messages(text) == [
        "t.yaml:7: subtasks[0].workloads[0].contexts: must be a mapping, not a list",
        "t.yaml:8: subtasks[0].workloads[0].sla: must be a mapping, not a number",
        "t.yaml:9: subtasks[0].workloads[0].hooks: must be a list, not a mapping",
    ]
