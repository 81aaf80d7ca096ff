"""Property: whatever the input, loading and validating raise only squall's own errors."""

import contextlib
import io
import tempfile
from functools import cache
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from squall.errors import SquallError
from squall.plugins.loader import load_registry
from squall.plugins.registry import Registry
from squall.task.loader import load_task, load_text
from squall.task.validate import validate_task
from squall.testing import plugins as fake_plugins

SAMPLES = Path(__file__).resolve().parents[3] / "samples" / "tasks"
SAMPLE_TEXTS = sorted(p.read_text() for p in SAMPLES.rglob("*.yaml"))

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@cache
def registries() -> tuple[Registry, ...]:
    return (fake_plugins.registry(), load_registry())


def check_text(text: str, task_args: str | None = None) -> None:
    """Load (through a real file, so templates render) and validate with each registry."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "task.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        for reg in registries():
            with contextlib.suppress(SquallError):  # the only errors allowed
                validate_task(load_task(path, task_args=task_args), reg)


KEYS = [
    "squall", "version", "title", "description", "tags", "subtasks", "workloads", "scenario",
    "args", "runner", "type", "contexts", "context", "sla", "hooks", "name", "trigger", "action",
    "run_in_parallel", "group", "times", "concurrency", "rps", "sleep", "unit", "at", "step",
    "Dummy.dummy", "Test.sleep", "constant", "fixed", "serial", "users@openstack", "failure_rate",
    "max", "sys_call", "event", "periodic", "command",
]  # fmt: skip
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 2**70),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(KEYS),
    st.sampled_from([1, 2, 2.0, "2", 0, -1]),
)
task_like = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), children, max_size=5
        ),
    ),
    max_leaves=40,
)


@SETTINGS
@given(st.text(max_size=400))
def test_random_text(text):
    for reg in registries():
        with contextlib.suppress(SquallError):  # the only errors allowed
            validate_task(load_text(text, "t.yaml"), reg)


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "task.yaml"
        path.write_bytes(data)
        with contextlib.suppress(SquallError):  # the only errors allowed
            load_task(path)


@SETTINGS
@given(task_like, st.sampled_from([yaml.safe_dump, None]))
def test_random_task_shaped_data(data, dump):
    try:
        text = yaml.safe_dump(data) if dump else repr(data)
    except (yaml.YAMLError, ValueError):
        return
    check_text(text)


@st.composite
def mutated_sample(draw):
    text = draw(st.sampled_from(SAMPLE_TEXTS))
    for _ in range(draw(st.integers(1, 4))):
        if not text:
            break
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start, min(len(text), start + 30)))
        kind = draw(st.sampled_from(["delete", "insert", "replace", "duplicate", "token"]))
        if kind == "delete":
            text = text[:start] + text[end:]
        elif kind == "insert":
            text = text[:start] + draw(st.text(max_size=10)) + text[start:]
        elif kind == "replace":
            text = text[:start] + draw(st.text(max_size=10)) + text[end:]
        elif kind == "duplicate":
            text = text[:end] + text[start:end] + text[end:]
        else:
            token = draw(
                st.sampled_from(
                    [
                        "{{",
                        "}}",
                        "{%",
                        "%}",
                        ":",
                        "-",
                        "[",
                        "]",
                        "{",
                        "}",
                        "\n  ",
                        "&a",
                        "*a",
                        "<<: *a",
                        "!!",
                        "0",
                        "-1",
                        "null",
                        "''",
                    ]
                )
            )
            text = text[:start] + token + text[start:]
    return text


@SETTINGS
@given(mutated_sample(), st.sampled_from([None, "times=3", "{concurrency: 0}", "x", "sleep=-1"]))
def test_mutated_samples(text, task_args):
    check_text(text, task_args)


@SETTINGS
@given(st.text(max_size=60), st.text(max_size=60))
def test_random_task_args(task_args, args_file_text):
    with tempfile.TemporaryDirectory() as folder:
        args_file = Path(folder) / "args.yaml"
        args_file.write_text(args_file_text, encoding="utf-8", errors="surrogatepass")
        with contextlib.suppress(SquallError):  # the only errors allowed
            load_task(
                "-",
                task_args=task_args,
                task_args_file=args_file,
                stdin=io.StringIO(SAMPLE_TEXTS[0]),
            )


@SETTINGS
@given(
    st.integers(0, 3000),
    st.sampled_from(["[", "{a: ", '{"a": ', "- ", "{{ (", "{% if x %}", "&a [*a, "]),
    st.sampled_from(["", "]", "}", "1"]),
)
def test_deep_nesting(depth, opener, closer):
    check_text(opener * depth + closer * depth)
