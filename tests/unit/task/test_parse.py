"""YAML/JSON parsing with line numbers and duplicate-key errors."""

import pytest

from squall.errors import TaskError
from squall.task.parse import parse_text
from squall.task.source import iter_paths


def problems(text: str) -> list[str]:
    with pytest.raises(TaskError) as info:
        parse_text(text, "t.yaml")
    return [str(p) for p in info.value.problems]


def test_every_key_and_item_has_its_line():
    text = "a: 1\nb:\n  - x\n  - y: 2\n    z: 3\nc: {d: 4}\n"
    parsed = parse_text(text, "t.yaml")
    assert parsed.data == {"a": 1, "b": ["x", {"y": 2, "z": 3}], "c": {"d": 4}}
    lines = parsed.source.lines
    assert lines[("a",)] == 1
    assert lines[("b", 0)] == 3
    assert lines[("b", 1, "y")] == 4
    assert lines[("b", 1, "z")] == 5
    assert lines[("c", "d")] == 6
    assert set(iter_paths(parsed.data)) <= set(lines)


def test_key_order_is_kept():
    parsed = parse_text("z: 1\na: 2\nm: 3\n", "t.yaml")
    assert list(parsed.data) == ["z", "a", "m"]


def test_a_repeated_key_is_an_error_naming_both_lines():
    (message,) = problems("a: 1\nb:\n  c: 1\n  c: 2\n")
    assert message.startswith("t.yaml:4: b.c: key 'c' is repeated (first at line 3)")


def test_every_repeated_key_is_reported():
    assert len(problems("a: 1\na: 2\nb: 1\nb: 2\n")) == 2


def test_merge_keys_may_override_without_being_duplicates():
    parsed = parse_text("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n", "t.yaml")
    assert parsed.data["other"] == {"x": 1, "y": 3}


def test_malformed_yaml_gives_line_and_column():
    (message,) = problems("a: 1\nb: [1, 2\nc: 3\n")
    assert message.startswith("t.yaml:3:")
    assert "not valid YAML or JSON" in message


def test_json_is_read_with_lines():
    parsed = parse_text('{\n  "a": 1,\n  "b": [\n    {"c": 2}\n  ]\n}\n', "t.json")
    assert parsed.data == {"a": 1, "b": [{"c": 2}]}
    assert parsed.source.lines[("b", 0, "c")] == 4


def test_json_with_tabs_falls_back_to_the_json_reader():
    parsed = parse_text('{\n\t"a": {\n\t\t"b": 1\n\t}\n}', "t.json")
    assert parsed.data == {"a": {"b": 1}}


def test_malformed_json_reports_json_position():
    (message,) = problems('{\n\t"a": 1\n\t"b": 2}\n')
    assert message.startswith("t.yaml:3:")
    assert "not valid JSON" in message


def test_json_duplicate_keys_are_errors():
    (message,) = problems('{"a": 1, "a": 2}')
    assert "'a' is repeated" in message


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n", "---\n"])
def test_an_empty_task_is_an_error(text):
    (message,) = problems(text)
    assert "empty" in message


def test_several_documents_are_an_error():
    (message,) = problems("a: 1\n---\nb: 2\n")
    assert "not valid YAML" in message


def test_a_self_referencing_alias_is_an_error():
    (message,) = problems("a: &x [1, *x]\n")
    assert "refers to itself" in message


def test_alias_bombs_are_refused():
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 9):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    (message,) = problems("\n".join(lines) + "\n")
    assert "too many values" in message


def test_a_collection_as_key_is_an_error():
    (message,) = problems("? [1, 2]\n: x\n")
    assert "key must be a scalar" in message


def test_an_unknown_tag_is_an_error():
    (message,) = problems("a: !python/object:os.system x\n")
    assert "not valid YAML" in message


@pytest.mark.parametrize(
    "text",
    [
        "[" * 5000,
        "[" * 3000 + "]" * 3000,
        '{"a":' * 3000 + "1" + "}" * 3000,
        "a:\n" + "".join("  " * i + "b:\n" for i in range(1, 3000)),
    ],
)
def test_deep_nesting_is_refused(text):
    (message,) = problems(text)
    assert "nested too deeply" in message


def test_errors_in_rendered_text_say_so_and_quote_the_line():
    with pytest.raises(TaskError) as info:
        parse_text("a: 1\nb: [1\nc: 3\n", "t.yaml", rendered_to_file={1: 1})
    (problem,) = info.value.problems
    assert problem.location == "t.yaml (rendered line 3)"
    assert problem.hint == "the rendered line reads: c: 3"
