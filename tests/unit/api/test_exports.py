"""Exporter options: from ``-o KEY=VALUE`` to a validated config, or a clear error."""

from __future__ import annotations

import pytest

from squall.api.exports import exporter, parse_options
from squall.errors import ConfigError
from squall.reports.exporters.squall_json import SquallJSONConfig


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
