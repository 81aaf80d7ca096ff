"""Rally formats v1 and v2 -> task.model, with errors at the Rally file's lines and paths."""

from pathlib import Path

import pytest

from squall.errors import TaskError
from squall.task.loader import LoadedTask, load_text
from squall.task.model import HookSpec, PluginRef

RALLY_SAMPLES = Path(__file__).resolve().parents[3] / "samples" / "tasks" / "rally"


def load(text: str) -> LoadedTask:
    return load_text(text, "t.yaml")


def messages(text: str) -> list[str]:
    with pytest.raises(TaskError) as info:
        load(text)
    return [str(p) for p in info.value.problems]


V1 = """\
---
  Dummy.dummy:
    - args:
        sleep: 0.1
      runner:
        type: constant
        times: 10
        concurrency: 2
      context:
        users@openstack: {tenants: 2}
      sla:
        max_avg_duration: 0.5
      hooks:
        - name: sys_call
          description: say hi
          args: echo hi
          trigger:
            name: event
            args: {unit: iteration, at: [2, 5]}
    - description: second
  Dummy.dummy_exception:
    - {}
"""


class TestV1:
    def test_each_entry_becomes_a_subtask_with_one_workload(self):
        task = load(V1).task
        assert task.source_format == "rally-v1"
        assert task.title == "Task (adopted from task format v1)"
        assert [s.title for s in task.subtasks] == [
            "Dummy.dummy",
            "Dummy.dummy",
            "Dummy.dummy_exception",
        ]
        assert task.subtasks[1].description == "second"
        first = task.subtasks[0].workloads[0]
        assert first.scenario == PluginRef(name="Dummy.dummy", args={"sleep": 0.1})
        assert first.runner == PluginRef(name="constant", args={"times": 10, "concurrency": 2})
        assert first.contexts == {"users": {"tenants": 2}}
        assert first.sla == {"max_avg_duration": 0.5}
        assert first.hooks == [
            HookSpec(
                description="say hi",
                action=PluginRef(name="sys_call", args="echo hi"),
                trigger=PluginRef(name="event", args={"unit": "iteration", "at": [2, 5]}),
            )
        ]

    def test_rally_defaults(self):
        workload = load(V1).task.subtasks[2].workloads[0]
        assert workload.runner == PluginRef(name="serial", args={})
        assert workload.sla == {"failure_rate": {"max": 0}}
        assert workload.contexts == {}
        assert workload.scenario.args == {}

    def test_model_paths_resolve_to_the_rally_file(self):
        loaded = load(V1)
        w = ("subtasks", 0, "workloads", 0)
        assert str(loaded.problem((*w, "runner", "args", "times"), "x")).startswith(
            "t.yaml:7: Dummy.dummy[0].runner.times: x"
        )
        assert str(loaded.problem((*w, "runner"), "x")).startswith(
            "t.yaml:6: Dummy.dummy[0].runner.type"
        )
        assert str(loaded.problem((*w, "contexts", "users", "tenants"), "x")).startswith(
            "t.yaml:10: Dummy.dummy[0].context.users@openstack.tenants"
        )
        assert str(loaded.problem((*w, "hooks", 0, "trigger", "args", "at"), "x")).startswith(
            "t.yaml:19: Dummy.dummy[0].hooks[0].trigger.args.at"
        )
        assert str(loaded.problem((*w, "scenario"), "x")).startswith("t.yaml:2: Dummy.dummy:")

    def test_structure_errors(self):
        text = "Dummy.dummy:\n  - runner: {times: 2}\n    contxt: {}\n    hooks:\n      - name: x\n"
        found = messages(text)
        assert any(
            m.startswith("t.yaml:2: Dummy.dummy[0].runner: missing required key 'type'")
            for m in found
        )
        assert any(m.startswith("t.yaml:3: Dummy.dummy[0].contxt: unknown key") for m in found)
        assert any("did you mean 'context'" in m for m in found)
        assert any("hooks[0]: missing required key 'args'" in m for m in found)
        assert any("hooks[0]: missing required key 'trigger'" in m for m in found)

    def test_entries_must_be_lists(self):
        (message,) = messages("Dummy.dummy: {args: {}}\n")
        assert message.startswith("t.yaml:1: Dummy.dummy: must be a list")

    def test_an_empty_mapping(self):
        assert any("no scenarios" in m for m in messages("{}\n"))

    def test_a_v1_key_that_is_not_a_string(self):
        assert messages("1: []\n")


V2 = """\
version: 2
title: rally v2
description: d
tags: [a, b]
subtasks:
  - title: simple
    scenario:
      Dummy.dummy: {sleep: 0}
    runner:
      constant: {times: 10, concurrency: 2}
    contexts:
      users@openstack: {}
    sla:
      failure_rate: {max: 1}
    hooks:
      - description: new style
        action: {sys_call: /bin/true}
        trigger: {periodic: {unit: iteration, step: 2}}
      - name: sys_call
        description: old style
        args: /bin/true
        trigger: {name: event, args: {unit: time, at: [1]}}
  - title: complex
    group: g
    run_in_parallel: true
    workloads:
      - scenario: {Dummy.dummy_exception: {}}
        description: w1
      - scenario: {Dummy.dummy: {}}
        runner: {rps: {times: 5, rps: 2}}
"""


class TestV2:
    def test_simple_and_complex_subtasks(self):
        task = load(V2).task
        assert task.source_format == "rally-v2"
        assert (task.title, task.description, task.tags) == ("rally v2", "d", ["a", "b"])
        simple, complex_ = task.subtasks
        (workload,) = simple.workloads
        assert workload.runner == PluginRef(name="constant", args={"times": 10, "concurrency": 2})
        assert workload.contexts == {"users": {}}
        assert workload.sla == {"failure_rate": {"max": 1}}
        assert [h.description for h in workload.hooks] == ["new style", "old style"]
        assert workload.hooks[1].trigger == PluginRef(
            name="event", args={"unit": "time", "at": [1]}
        )
        assert complex_.group == "g" and complex_.run_in_parallel
        assert [w.description for w in complex_.workloads] == ["w1", ""]
        assert complex_.workloads[0].runner.name == "serial"

    def test_paths_resolve_to_the_rally_file(self):
        loaded = load(V2)
        simple = ("subtasks", 0, "workloads", 0)
        assert str(loaded.problem((*simple, "runner", "args", "times"), "x")).startswith(
            "t.yaml:10: subtasks[0].runner.constant.times"
        )
        assert str(loaded.problem((*simple, "hooks", 0, "action", "args"), "x")).startswith(
            "t.yaml:17: subtasks[0].hooks[0].action.sys_call"
        )
        assert str(loaded.problem((*simple, "hooks", 1, "action", "args"), "x")).startswith(
            "t.yaml:21: subtasks[0].hooks[1].args"
        )
        second = ("subtasks", 1, "workloads", 1)
        assert str(loaded.problem((*second, "runner", "args", "rps"), "x")).startswith(
            "t.yaml:30: subtasks[1].workloads[1].runner.rps.rps"
        )

    def test_only_rally_top_keys(self):
        found = messages("version: 2\ntitle: t\nsubtask: []\n")
        assert any("subtask: unknown key" in m and "did you mean 'subtasks'" in m for m in found)
        assert any("missing required key 'subtasks'" in m for m in found)

    def test_title_is_required(self):
        found = messages("version: 2\nsubtasks:\n  - title: s\n    scenario: {A: {}}\n")
        assert any("missing required key 'title'" in m for m in found)

    def test_single_entity_mappings(self):
        text = (
            "version: 2\ntitle: t\nsubtasks:\n  - title: s\n"
            "    scenario: {A: {}, B: {}}\n    runner: constant\n"
        )
        found = messages(text)
        assert any(
            m.startswith("t.yaml:5: subtasks[0].scenario: must have exactly one key") for m in found
        )
        assert any(m.startswith("t.yaml:6: subtasks[0].runner: must be a mapping") for m in found)

    def test_a_subtask_needs_a_scenario_or_workloads(self):
        (message,) = messages("version: 2\ntitle: t\nsubtasks:\n  - title: s\n")
        assert "`scenario`" in message and "`workloads`" in message

    def test_simple_subtask_keys(self):
        text = (
            "version: 2\ntitle: t\nsubtasks:\n  - title: s\n    scenario: {A: {}}\n"
            "    run_in_parallel: true\n"
        )
        (message,) = messages(text)
        assert message.startswith("t.yaml:6: subtasks[0].run_in_parallel: unknown key")

    def test_simple_title_length(self):
        text = (
            f"version: 2\ntitle: t\nsubtasks:\n  - title: {'x' * 129}\n    scenario: {{A: {{}}}}\n"
        )
        (message,) = messages(text)
        assert "at most 128" in message

    def test_subtask_tag_length(self):
        text = (
            "version: 2\ntitle: t\nsubtasks:\n  - title: s\n    scenario: {A: {}}\n"
            f"    tags: [ok, {'x' * 256}]\n"
        )
        (message,) = messages(text)
        assert message.startswith("t.yaml:6: subtasks[0].tags[1]: is 256 characters long")

    def test_workload_keys(self):
        text = (
            "version: 2\ntitle: t\nsubtasks:\n  - title: s\n    workloads:\n"
            "      - scenario: {A: {}}\n        context: {}\n"
        )
        (message,) = messages(text)
        assert message.startswith("t.yaml:7: subtasks[0].workloads[0].context: unknown key")
        assert "did you mean 'contexts'" in message

    def test_duplicate_context_after_stripping_the_platform(self):
        text = (
            "version: 2\ntitle: t\nsubtasks:\n  - title: s\n    scenario: {A: {}}\n"
            "    contexts: {users: {}, users@openstack: {}}\n"
        )
        (message,) = messages(text)
        assert "context 'users' is given twice" in message

    @pytest.mark.parametrize("version", ["3", "'2'", "true", "null"])
    def test_unsupported_versions(self, version):
        (message,) = messages(f"version: {version}\ntitle: t\nsubtasks: []\n")
        assert "version" in message and "not supported" in message

    def test_type_errors_come_from_the_model_with_rally_paths(self):
        text = (
            "version: 2\ntitle: t\nsubtasks:\n  - title: s\n    run_in_parallel: maybe\n"
            "    workloads:\n      - scenario: {A: {}}\n        description: [1]\n"
        )
        found = messages(text)
        assert any(m.startswith("t.yaml:5: subtasks[0].run_in_parallel:") for m in found)
        assert any(m.startswith("t.yaml:8: subtasks[0].workloads[0].description:") for m in found)

    def test_the_rally_probe_tasks_load(self):
        for name in ("rally-probe-task.yaml", "rally-probe-ramp.yaml"):
            task = load_text((RALLY_SAMPLES / name).read_text(), name).task
            assert task.source_format == "rally-v2"
            assert all(w.scenario.name == "Dummy.dummy" for _, _, w in task.workloads())


RALLY_ERA_ATOMICS = """\
version: 2
title: old names
subtasks:
  - title: keystone
    scenario: {KeystoneBasic.create_delete_user: {}}
    sla:
      failure_rate: {max: 0}
      max_avg_duration_per_atomic:
        keystone_v3.create_user: 2
        cinder_v2.create_volume: 3
        keystone.delete_user: 4
        keystone_v3.delete_user: 9
"""


def test_rally_era_atomic_names_in_slas_become_squalls():
    sla = load(RALLY_ERA_ATOMICS).task.subtasks[0].workloads[0].sla
    assert sla["failure_rate"] == {"max": 0}
    assert sla["max_avg_duration_per_atomic"] == {
        "keystone.create_user": 2,
        "cinder_v3.create_volume": 3,
        "keystone.delete_user": 4,  # the current name, given too, keeps its limit
    }
