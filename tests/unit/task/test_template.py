"""Jinja2 rendering and task arguments, as Rally does them."""

from pathlib import Path

import pytest

from squall.errors import TaskError
from squall.task.template import parse_task_args, render


def rendered(text: str, tmp_path: Path, **args) -> str:
    return render(text, tmp_path, args, "t.yaml")


def problems_of(text: str, tmp_path: Path, **args) -> list[str]:
    with pytest.raises(TaskError) as info:
        rendered(text, tmp_path, **args)
    return [str(p) for p in info.value.problems]


def test_text_without_template_syntax_is_returned_as_is(tmp_path):
    assert rendered("a: 1\n", tmp_path) == "a: 1\n"


def test_arguments_are_substituted(tmp_path):
    assert rendered("n: {{ n }}\n", tmp_path, n=5) == "n: 5\n"


def test_rally_globals(tmp_path):
    text = "{{ min(3, 4) }} {{ max(3, 4) }} {{ ceil(2.1) }} {{ round(2.6) }}"
    assert rendered(text, tmp_path) == "3 4 3 3"


@pytest.mark.parametrize(
    "text",
    [
        "{% set n = n or 3 %}n: {{ n }}",
        "n: {{ n | default(3) }}",
        "{% if n is defined %}n: {{ n }}{% else %}n: 3{% endif %}",
    ],
)
def test_a_variable_with_a_default_may_be_omitted(tmp_path, text):
    assert rendered(text, tmp_path) == "n: 3"
    assert rendered(text, tmp_path, n=7) == "n: 7"


def test_a_missing_variable_is_named_with_its_line(tmp_path):
    (message,) = problems_of("a: 1\nb: {{ flavor }}\n", tmp_path)
    assert message.startswith("t.yaml:2: template variable 'flavor' is not set")
    assert "--task-args" in message


def test_every_missing_variable_is_reported(tmp_path):
    assert len(problems_of("{{ a }} {{ b }}", tmp_path)) == 2


def test_a_syntax_error_gives_the_template_line(tmp_path):
    (message,) = problems_of("a: 1\n{% if %}\n", tmp_path)
    assert message.startswith("t.yaml:2: template error:")


def test_includes_are_relative_to_the_task_file(tmp_path):
    (tmp_path / "part.yaml").write_text("x: {{ n }}\n")
    assert rendered('{% include "part.yaml" %}', tmp_path, n=1) == "x: 1\n"


def test_a_missing_include_is_an_error(tmp_path):
    (message,) = problems_of('a: 1\n{% include "nope.yaml" %}\n', tmp_path)
    assert "cannot include 'nope.yaml'" in message
    assert message.startswith("t.yaml:2:")


def test_a_missing_value_inside_an_include_names_the_included_file(tmp_path):
    (tmp_path / "part.yaml").write_text("a: 1\nx: {{ m }}\n")
    (message,) = problems_of('{% include "part.yaml" %}', tmp_path)
    assert "'m' is undefined" in message
    assert "part.yaml:2" in message


def test_an_error_raised_by_template_code_is_a_task_error(tmp_path):
    (message,) = problems_of("a: 1\nb: {{ 1 / 0 }}\n", tmp_path)
    assert message.startswith("t.yaml:2: template error: ZeroDivisionError")


def test_the_sandbox_refuses_unsafe_attributes(tmp_path):
    (message,) = problems_of("{{ ''.__class__.__mro__ }}", tmp_path)
    assert "template error" in message


class TestTaskArgs:
    def test_yaml_and_json(self):
        assert parse_task_args("{a: 1, b: x}", None, "") == {"a": 1, "b": "x"}
        assert parse_task_args('{"a": [1, 2]}', None, "") == {"a": [1, 2]}

    def test_key_value_fallback(self):
        assert parse_task_args("a=1,b=x,c=true", None, "") == {"a": 1, "b": "x", "c": True}

    def test_option_overrides_the_file(self):
        args = parse_task_args("{b: 3}", "a: 1\nb: 2\n", "args.yaml")
        assert args == {"a": 1, "b": 3}

    def test_nothing_given(self):
        assert parse_task_args(None, None, "") == {}
        assert parse_task_args("", "", "args.yaml") == {}

    @pytest.mark.parametrize("raw", ["[1, 2]", "just words", "a=1,b", "=1", "3"])
    def test_bad_option(self, raw):
        with pytest.raises(TaskError) as info:
            parse_task_args(raw, None, "")
        assert info.value.problems[0].location == "--task-args"

    def test_the_file_must_be_a_mapping(self):
        with pytest.raises(TaskError) as info:
            parse_task_args(None, "- 1\n", "args.yaml")
        assert info.value.problems[0].location == "args.yaml"

    def test_a_malformed_file_is_located(self):
        with pytest.raises(TaskError) as info:
            parse_task_args(None, "a: [1\n", "args.yaml")
        assert info.value.problems[0].location.startswith("args.yaml:")

    def test_argument_names_must_be_identifiers(self):
        with pytest.raises(TaskError):
            parse_task_args("{1: a}", None, "")


def test_an_unknown_filter_is_a_located_template_error(tmp_path):
    (message,) = problems_of("a: 1\nb: {{ 1 | nofilter }}\n", tmp_path)
    assert message.startswith("t.yaml:2: template error: No filter named 'nofilter'")


def test_deeply_nested_templates_are_refused(tmp_path):
    (message,) = problems_of("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}", tmp_path)
    assert "nested too deeply" in message
