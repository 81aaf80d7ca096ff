"""Exporter options: from ``-o KEY=VALUE`` to a validated config, or a clear error; the
media types of the exporters a registry holds."""

from __future__ import annotations

import pytest

from squall.api.exports import exporter, media_types, parse_options
from squall.errors import ConfigError
from squall.plugins.families import Family
from squall.plugins.loader import load_registry
from squall.reports.exporters import BUILTIN
from squall.reports.exporters.junit_xml import JUnitXMLExporter
from squall.reports.exporters.squall_json import SquallJSONConfig
from squall.testing.plugins import RunIdsExporter, add_exporter


def test_options_are_key_values_read_as_yaml_scalars():
    assert parse_options(["schema=1", "iterations=false", "note=a=b", "empty="]) == {
        "schema": 1,
        "iterations": False,
        "note": "a=b",
        "empty": "",
    }


@pytest.mark.parametrize("bad", ["schema", "=1", " =1"])
def test_an_option_without_key_and_value_is_refused(bad: str):
    with pytest.raises(ConfigError, match="KEY=VALUE"):
        parse_options([bad])


def test_the_json_exporter_takes_its_schema_version():
    chosen = exporter("json", {"schema": 1})
    assert isinstance(chosen.config, SquallJSONConfig)
    assert chosen.config.schema_version == 1
    assert exporter("json").config == SquallJSONConfig()


def test_a_bad_option_names_itself_and_the_ones_there_are():
    with pytest.raises(ConfigError) as caught:
        exporter("json", {"schema": 3})
    assert "schema" in caught.value.message
    assert caught.value.hint is not None and "schema, iterations, indent" in caught.value.hint


def test_an_unknown_option_is_refused():
    with pytest.raises(ConfigError, match="nope"):
        exporter("rally-json", {"nope": 1})


def test_media_types_name_every_builtin_exporter():
    found = media_types(load_registry())
    assert sorted(found) == sorted(BUILTIN)
    assert found["junit-xml"] == JUnitXMLExporter.media_type == "application/xml"


def test_media_types_include_a_plugin_exporter():
    found = media_types(add_exporter(load_registry()))
    assert found["test-run-ids"] == RunIdsExporter.media_type
    assert found["json"] == "application/json"


def test_media_types_leave_out_an_exporter_that_cannot_be_loaded():
    registry = add_exporter(load_registry())
    registry.add(Family.EXPORTER, "gone", "squall_no_such_module:Gone", origin="tests")
    found = media_types(registry)
    assert "gone" not in found
    assert "test-run-ids" in found
