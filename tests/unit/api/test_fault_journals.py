"""Which fault journals a run writes, recorded so that cleanup finds them later."""

from pathlib import Path

import pytest

from squall.api.fault_journals import KEY, environment_extra, task_journals
from squall.disruptors.journal import ENV_VAR
from squall.plugins.loader import load_registry
from squall.task.loader import load_text
from squall.task.validate import ValidatedTask, validate_task

TASK = """\
squall: 1
title: faults
{resilience}
subtasks:
  - title: s
    workloads:
      - scenario: Dummy.dummy
        runner: {{type: constant, times: 2, concurrency: 1}}
{hooks}
"""

RESILIENCE = """\
resilience:
  {journal}
  disruptions:
    - process: {{name: squall-no-such-process, action: kill}}
      at: 60
"""

HOOK = """\
        hooks:
          - action: {{disruptor: {{process: {{name: nothing, action: kill}}{journal}}}}}
            trigger: {{event: {{unit: iteration, at: [1]}}}}
"""


def validated(resilience: str = "", hooks: str = "") -> ValidatedTask:
    text = TASK.format(resilience=resilience, hooks=hooks)
    return validate_task(load_text(text, "t.yaml"), load_registry())


@pytest.fixture(autouse=True)
def default(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "default.jsonl"
    monkeypatch.setenv(ENV_VAR, str(path))
    monkeypatch.chdir(tmp_path)
    return path


def test_a_task_without_faults_records_no_journal():
    assert task_journals(validated()) == []
    assert environment_extra(validated()) == {}


def test_the_resilience_journal_is_recorded_absolute(tmp_path):
    task = validated(RESILIENCE.format(journal="journal: run/faults.jsonl"))
    assert task_journals(task) == [tmp_path / "run" / "faults.jsonl"]
    assert environment_extra(task) == {KEY: [str(tmp_path / "run" / "faults.jsonl")]}


def test_without_a_journal_named_the_default_of_the_running_process_is_recorded(default):
    assert task_journals(validated(RESILIENCE.format(journal=""))) == [default]


def test_hook_journals_count_once_each(tmp_path, default):
    hooks = HOOK.format(journal=", journal: hook.jsonl")
    task = validated(RESILIENCE.format(journal=""), hooks)
    assert task_journals(task) == [default, tmp_path / "hook.jsonl"]
    assert task_journals(validated(hooks=HOOK.format(journal=""))) == [default]
