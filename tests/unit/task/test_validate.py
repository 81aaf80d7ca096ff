"""validate_task: plugins exist, arguments parse, every problem reported at once."""

import pytest

from squall.errors import TaskError
from squall.task.loader import load_text
from squall.task.validate import ValidatedTask, validate_task
from squall.testing import plugins
from squall.testing.plugins import registry

GOOD = """\
squall: 1
title: t
subtasks:
  - title: s
    workloads:
      - scenario: Test.sleep
        args: {sleep: 0.5}
        runner: {type: fixed, times: 4, concurrency: 2}
        contexts: {users: {tenants: 2}}
        sla: {failure_rate: {max: 1}, max_duration: 2.5}
        hooks:
          - description: h
            action: {command: "echo hi"}
            trigger: {at: {at: [1, 2]}}
      - scenario: Test.sleep
"""


def validated(text: str) -> ValidatedTask:
    return validate_task(load_text(text, "t.yaml"), registry())


def messages(text: str) -> list[str]:
    with pytest.raises(TaskError) as info:
        validated(text)
    return [str(p) for p in info.value.problems]


def test_configs_are_parsed_once_and_kept():
    first, second = validated(GOOD).workloads
    assert (first.subtask_index, first.workload_index) == (0, 0)
    assert first.scenario_cls is plugins.SleepScenario
    assert first.scenario_config == plugins.SleepScenario.Config(sleep=0.5)
    assert first.runner_cls is plugins.FixedRunner
    assert first.runner_config == plugins.FixedRunner.Config(times=4, concurrency=2)
    assert first.contexts == [(plugins.UsersContext, plugins.UsersContext.Config(tenants=2))]
    assert first.sla_configs == {
        "failure_rate": plugins.FailureRateSLA.Config(max=1),
        "max_duration": plugins.MaxDurationSLA.Config(seconds=2.5),
    }
    assert first.sla_classes["max_duration"] is plugins.MaxDurationSLA
    (hook,) = first.hooks
    assert hook.spec.description == "h"
    assert hook.action_cls is plugins.CommandAction
    assert hook.action_config == plugins.CommandAction.Config(cmd="echo hi")
    assert hook.trigger_config == plugins.AtTrigger.Config(at=[1, 2])
    assert second.runner_cls is plugins.OnceRunner
    assert second.sla_configs == {"failure_rate": plugins.FailureRateSLA.Config(max=0)}


def test_unknown_plugins_of_every_family_with_hints():
    bad = (
        GOOD.replace("Test.sleep\n        args", "Test.slep\n        args")
        .replace("type: fixed", "type: fixd")
        .replace("users:", "usrs:")
        .replace("max_duration:", "max_duraton:")
        .replace("command:", "comand:")
        .replace("{at: {at:", "{att: {at:")
    )
    found = messages(bad)
    assert found == [
        "t.yaml:6: subtasks[0].workloads[0].scenario: unknown scenario 'Test.slep'"
        " (did you mean 'Test.sleep'?)",
        "t.yaml:8: subtasks[0].workloads[0].runner.type: unknown runner 'fixd'"
        " (did you mean 'fixed'?)",
        "t.yaml:9: subtasks[0].workloads[0].contexts.usrs: unknown context 'usrs'"
        " (did you mean 'users'?)",
        "t.yaml:10: subtasks[0].workloads[0].sla.max_duraton: unknown sla 'max_duraton'"
        " (did you mean 'max_duration'?)",
        "t.yaml:13: subtasks[0].workloads[0].hooks[0].action.comand: unknown hook 'comand'"
        " (did you mean 'command'?)",
        "t.yaml:14: subtasks[0].workloads[0].hooks[0].trigger.att: unknown trigger 'att'"
        " (did you mean 'at'?)",
    ]


def test_argument_errors_point_at_the_argument():
    bad = (
        GOOD.replace("sleep: 0.5", "sleep: -1, slep: 2")
        .replace("tenants: 2", "tenants: many")
        .replace("max_duration: 2.5", "max_duration: 0")
        .replace('"echo hi"', '""')
    )
    found = messages(bad)
    assert found == [
        "t.yaml:7: subtasks[0].workloads[0].args.sleep: Input should be greater than or equal to 0",
        "t.yaml:7: subtasks[0].workloads[0].args.slep: unknown argument (did you mean 'sleep'?)",
        "t.yaml:9: subtasks[0].workloads[0].contexts.users.tenants:"
        " Input should be a valid integer, unable to parse string as an integer",
        "t.yaml:10: subtasks[0].workloads[0].sla.max_duration: Input should be greater than 0",
        "t.yaml:13: subtasks[0].workloads[0].hooks[0].action.command:"
        " String should have at least 1 character",
    ]


def test_cross_field_rules_of_the_plugin_config():
    (message,) = messages(GOOD.replace("concurrency: 2", "concurrency: 9"))
    assert message == (
        "t.yaml:8: subtasks[0].workloads[0].runner: concurrency (9) must not exceed times (4)"
    )


def test_missing_required_argument():
    (message,) = messages(GOOD.replace("{at: {at: [1, 2]}}", "{at: {}}"))
    assert message == "t.yaml:14: subtasks[0].workloads[0].hooks[0].trigger.at.at: is required"


def test_problems_from_several_workloads_are_all_reported():
    bad = GOOD.replace("Test.sleep", "Nope")
    assert len(messages(bad)) == 2


def test_errors_in_a_rally_task_use_rally_paths():
    text = (
        "Test.sleep:\n"
        "  - args: {sleep: x}\n"
        "    runner: {type: fixed, times: 1, concurrency: 3}\n"
        "    context: {users@openstack: {tenants: 0}}\n"
    )
    assert messages(text) == [
        "t.yaml:2: Test.sleep[0].args.sleep:"
        " Input should be a valid number, unable to parse string as a number",
        "t.yaml:3: Test.sleep[0].runner: concurrency (3) must not exceed times (1)",
        "t.yaml:4: Test.sleep[0].context.users@openstack.tenants:"
        " Input should be greater than or equal to 1",
    ]


def test_a_plugin_that_cannot_be_imported_is_a_problem():
    reg = registry()
    from squall.plugins.families import Family

    reg.add(Family.SCENARIO, "Broken.one", "squall.no_such_module:Nothing", origin="test")
    text = GOOD.replace("Test.sleep\n        args", "Broken.one\n        args")
    with pytest.raises(TaskError) as info:
        validate_task(load_text(text, "t.yaml"), reg)
    (problem,) = info.value.problems
    assert "cannot be loaded" in problem.message
    assert problem.location.startswith("t.yaml:6:")
