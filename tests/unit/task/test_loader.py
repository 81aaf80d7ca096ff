"""load_task: files, stdin, arguments, format detection, located model errors."""

import io
from pathlib import Path

import pytest

from squall.errors import TaskError
from squall.task.loader import detect_format, load_task, load_text

NATIVE = """\
squall: 1
title: demo
subtasks:
  - title: one
    workloads:
      - scenario: Test.sleep
        args: {sleep: {{ sleep | default(0) }}}
        runner: {type: fixed, times: {{ times }}, concurrency: 2}
"""


def write(tmp_path: Path, text: str, name: str = "task.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def messages(exc: TaskError) -> list[str]:
    return [str(p) for p in exc.problems]


def test_a_templated_native_task_loads(tmp_path):
    loaded = load_task(write(tmp_path, NATIVE), task_args="times=4")
    workload = loaded.task.subtasks[0].workloads[0]
    assert loaded.task.source_format == "squall"
    assert workload.runner.args == {"times": 4, "concurrency": 2}
    assert workload.scenario.args == {"sleep": 0}
    assert loaded.name.endswith("task.yaml")
    assert "times: 4" in loaded.text


def test_task_args_override_the_args_file(tmp_path):
    args_file = write(tmp_path, "times: 3\nsleep: 0.5\n", "args.yaml")
    loaded = load_task(write(tmp_path, NATIVE), task_args="{times: 9}", task_args_file=args_file)
    workload = loaded.task.subtasks[0].workloads[0]
    assert workload.runner.args["times"] == 9
    assert workload.scenario.args == {"sleep": 0.5}


def test_the_task_may_come_from_stdin():
    loaded = load_task("-", task_args="times=2", stdin=io.StringIO(NATIVE))
    assert loaded.name == "<stdin>"
    assert loaded.task.subtasks[0].workloads[0].runner.args["times"] == 2


def test_stdin_without_a_stream_is_an_error():
    with pytest.raises(TaskError):
        load_task("-")


def test_a_missing_file(tmp_path):
    with pytest.raises(TaskError) as info:
        load_task(tmp_path / "nope.yaml")
    assert "task file not found" in messages(info.value)[0]


def test_a_directory(tmp_path):
    with pytest.raises(TaskError) as info:
        load_task(tmp_path)
    assert "is a directory" in messages(info.value)[0]


def test_a_binary_file(tmp_path):
    path = tmp_path / "task.yaml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(TaskError) as info:
        load_task(path)
    assert "not UTF-8" in messages(info.value)[0]


def test_a_missing_args_file(tmp_path):
    with pytest.raises(TaskError) as info:
        load_task(write(tmp_path, NATIVE), task_args_file=tmp_path / "args.yaml")
    assert "--task-args-file not found" in messages(info.value)[0]


def test_a_missing_template_variable_names_it(tmp_path):
    with pytest.raises(TaskError) as info:
        load_task(write(tmp_path, NATIVE))
    (message,) = messages(info.value)
    assert "task.yaml:8: template variable 'times' is not set" in message


def test_the_top_level_must_be_a_mapping():
    with pytest.raises(TaskError) as info:
        load_text("- a\n- b\n", "t.yaml")
    assert "mapping at the top level" in messages(info.value)[0]


def test_model_errors_point_at_the_written_line():
    text = (
        "squall: 1\ntitle: ''\nsubtasks:\n  - title: x\n    tags: [1]\n"
        "    workloads:\n      - scenario: S\n"
    )
    with pytest.raises(TaskError) as info:
        load_text(text, "t.yaml")
    assert sorted(messages(info.value)) == [
        "t.yaml:2: title: String should have at least 1 character",
        "t.yaml:5: subtasks[0].tags[0]: Input should be a valid string",
    ]


def test_lines_are_marked_when_rendering_moved_them(tmp_path):
    text = "{% for i in range(2) %}\n{% endfor %}squall: 2\ntitle: t\nsubtasks: []\n"
    with pytest.raises(TaskError) as info:
        load_task(write(tmp_path, text))
    assert "(rendered line" in messages(info.value)[0]


def test_a_task_without_format_marker_is_explained():
    with pytest.raises(TaskError) as info:
        load_text("title: t\nsubtasks: []\n", "t.yaml")
    assert "squall: 1" in messages(info.value)[0]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"squall": 1}, "squall"),
        ({"version": 2}, "rally-v2"),
        ({"version": 2.0}, "rally-v2"),
        ({"Dummy.dummy": []}, "rally-v1"),
        ({"version": 1, "Dummy.dummy": []}, "rally-v1"),
    ],
)
def test_detect_format(data, expected):
    assert detect_format(data) == expected


def test_a_byte_order_mark_is_ignored(tmp_path):
    path = tmp_path / "task.yaml"
    path.write_bytes("\ufeff".encode() + NATIVE.encode())
    assert load_task(path, task_args="times=1").task.title == "demo"


def test_lines_moved_by_templating_are_traced_back_to_the_file(tmp_path):
    text = """\
{%- set n = 2 -%}
squall: 1
title: t
subtasks:
{% for i in range(n) %}
  - title: s{{ i }}
    workloads: [{scenario: A}]
{% endfor %}
  - title: last
    workloads: [{scenario: A}]
    tags: [1]
"""
    with pytest.raises(TaskError) as info:
        load_task(write(tmp_path, text))
    (message,) = messages(info.value)
    assert message.endswith("task.yaml:11: subtasks[2].tags[0]: Input should be a valid string")
