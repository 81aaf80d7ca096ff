"""The registry: lazy entries, contract checks, hints, plugin folders, entry points."""

from __future__ import annotations

import textwrap

import pytest

from squall.errors import PluginError
from squall.plugins.families import Family
from squall.plugins.loader import load_folder, load_registry
from squall.plugins.registry import Registry
from squall.runners.base import Runner
from squall.runners.constant import ConstantRunner
from squall.scenarios.dummy import Dummy


def test_builtins_arrive_through_the_entry_point():
    registry = load_registry()
    assert "constant" in registry.names(Family.RUNNER)
    assert "Dummy.dummy" in registry.names(Family.SCENARIO)
    assert "sys_call" in registry.names(Family.HOOK)
    assert registry.get(Family.RUNNER, "constant", Runner) is ConstantRunner


def test_every_builtin_loads_and_honours_its_entry():
    registry = load_registry()
    for info in registry.infos():
        cls = info.load()
        assert (cls.family, cls.name) == (info.family, info.name)
        assert info.summary, f"{info.family}/{info.name} has no docstring"


def test_unknown_name_hints_the_nearest():
    registry = load_registry()
    with pytest.raises(PluginError) as err:
        registry.info(Family.SCENARIO, "Dummy.dumy")
    assert err.value.hint.startswith("did you mean 'Dummy.dummy'")


def test_duplicate_registration_names_both_origins():
    registry = Registry()
    registry.add(Family.RUNNER, "x", "a.b:C", origin="pkg-one")
    with pytest.raises(PluginError, match="pkg-one"):
        registry.add(Family.RUNNER, "x", "d.e:F", origin="pkg-two")


def test_entry_that_does_not_match_its_class_is_refused():
    registry = Registry()
    registry.add(Family.RUNNER, "not_constant", "squall.runners.constant:ConstantRunner")
    with pytest.raises(PluginError, match="declares runner/constant"):
        registry.info(Family.RUNNER, "not_constant").load()


def test_missing_module_is_a_plugin_error():
    registry = Registry()
    registry.add(Family.SCENARIO, "Gone.x", "squall_no_such_module:X", origin="tests")
    with pytest.raises(PluginError, match="cannot be loaded"):
        registry.info(Family.SCENARIO, "Gone.x").load()


def test_family_base_is_enforced():
    registry = Registry()
    registry.add_class(Dummy, origin="tests")
    with pytest.raises(PluginError, match="does not derive from Runner"):
        registry.get(Family.SCENARIO, "Dummy.dummy", Runner)


def test_plugin_folder_modules_are_registered(tmp_path):
    (tmp_path / "my_scenario.py").write_text(
        textwrap.dedent(
            '''
            from typing import ClassVar
            from squall.scenarios.base import AsyncScenario

            class Hello(AsyncScenario):
                """Say hello."""
                name: ClassVar[str] = "Custom.hello"

                async def run(self) -> None:
                    return None
            '''
        )
    )
    registry = Registry()
    load_folder(registry, tmp_path)
    info = registry.info(Family.SCENARIO, "Custom.hello")
    assert info.origin.endswith("my_scenario.py")
    assert info.load().__name__ == "Hello"


def test_broken_plugin_module_is_reported_not_raised(tmp_path):
    (tmp_path / "broken.py").write_text("raise RuntimeError('oops')\n")
    with pytest.raises(PluginError, match=r"broken\.py failed to import: oops"):
        load_folder(Registry(), tmp_path)


def test_plugin_path_must_be_a_folder(tmp_path):
    with pytest.raises(PluginError, match="not a directory"):
        load_folder(Registry(), tmp_path / "missing")
