"""Paths, line maps, origins and the located reader."""

import pytest

from squall.task.source import Origins, Reader, SourceMap, format_path, trace_lines


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ((), ""),
        (("subtasks", 0, "runner", "concurrency"), "subtasks[0].runner.concurrency"),
        (
            ("Dummy.dummy", 1, "context", "users@openstack"),
            "Dummy.dummy[1].context.users@openstack",
        ),
        (("a b", "c"), "['a b'].c"),
        ((None, 1.5), "[None][1.5]"),
    ],
)
def test_format_path(path, text):
    assert format_path(path) == text


def test_a_path_takes_the_line_of_its_nearest_ancestor():
    source = SourceMap("t.yaml", {("a",): 3, ("a", "b"): 4})
    assert source.where(("a", "b", "c", 0)) == "t.yaml:4"
    assert source.where(("a", "x")) == "t.yaml:3"
    assert source.where(("z",)) == "t.yaml"


def test_origins_resolve_the_longest_prefix():
    origins = Origins()
    origins.add(("subtasks", 0), ("Dummy.dummy", 0))
    origins.add(("subtasks", 0, "runner", "args"), ("Dummy.dummy", 0, "runner"))
    assert origins.resolve(("subtasks", 0, "runner", "args", "times")) == (
        "Dummy.dummy",
        0,
        "runner",
        "times",
    )
    assert origins.resolve(("subtasks", 0, "title")) == ("Dummy.dummy", 0, "title")
    assert origins.resolve(("title",)) == ("title",)


class TestTraceLines:
    def test_nothing_moved(self):
        assert trace_lines("a\nb\n", "a\nb\n") is None
        assert trace_lines("a: {{ x }}\nb\n", "a: 1\nb\n") is None

    def test_unchanged_and_same_length_runs_are_traced(self):
        written = (
            "{% set x = 1 -%}\na: {{ x }}\nb\n{% for i in [1, 2] %}\n- {{ i }}\n{% endfor %}\nc\n"
        )
        rendered = "a: 1\nb\n\n- 1\n\n- 2\n\nc\n"
        mapping = trace_lines(written, rendered)
        assert mapping is not None
        assert mapping[2] == 3  # b
        assert mapping[8] == 7  # c
        assert 4 not in mapping  # "- 1" was made by the loop

    def test_rendered_lines_show_when_untraced(self):
        source = SourceMap("t.yaml", rendered_to_file={2: 5})
        assert source.at_line(2) == "t.yaml:5"
        assert source.at_line(3) == "t.yaml (rendered line 3)"


class TestReader:
    def test_unknown_and_missing_keys(self):
        reader = Reader(SourceMap("t.yaml", {("x", "titel"): 2, ("x",): 1}))
        ok = reader.check_keys({"titel": 1}, ("x",), allowed=["title", "tags"], required=["title"])
        assert not ok
        assert [str(p) for p in reader.problems] == [
            "t.yaml:2: x.titel: unknown key (did you mean 'title'?)",
            "t.yaml:1: x: missing required key 'title'",
        ]

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ("a", None),
            ({}, "must have exactly one key (the thing name), found 0"),
            ({"a": 1, "b": 2}, "must have exactly one key (the thing name), found 2"),
            ([], "must be a mapping with one thing name as its key, not a list"),
            ({1: {}}, "the thing name must be a non-empty string"),
        ],
    )
    def test_single_entry(self, value, message):
        reader = Reader(SourceMap("t.yaml"))
        result = reader.single_entry({"a": {}} if value == "a" else value, ("p",), what="thing")
        if message is None:
            assert result == ("a", {})
            assert not reader.problems
        else:
            assert result is None
            assert reader.problems[0].message == message
