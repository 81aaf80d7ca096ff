from dataclasses import dataclass

import pytest
from pydantic import ValidationError

from squall.errors import ConfigError
from squall.openstack.lookup import Candidate, ResourceSpec, match, usable_external

IMAGES = [
    Candidate("1", "cirros-0.5.2-x86_64-disk"),
    Candidate("2", "cirros-0.6.3-x86_64-disk"),
    Candidate("3", "TestVM"),
    Candidate("4", "ubuntu"),
]


def spec(**kw):
    return ResourceSpec.model_validate(kw)


def test_id_wins():
    assert match(spec(id="3"), IMAGES).name == "TestVM"
    assert match(spec(id="9"), IMAGES) is None


def test_exact_name_first():
    assert match(spec(name="ubuntu"), IMAGES).id == "4"


def test_name_falls_back_to_regex_and_takes_the_last_name():
    assert match(spec(name="cirros"), IMAGES).id == "2"
    assert match(spec(name="^(cirros.*-disk|TestVM)$"), IMAGES).name == "cirros-0.6.3-x86_64-disk"


def test_accurate_name_does_not_become_a_regex():
    assert match(spec(name="cirros", accurate=True), IMAGES) is None


def test_regex_key():
    assert match(spec(regex="^Test"), IMAGES).id == "3"
    with pytest.raises(ConfigError, match="regular expression"):
        match(spec(regex="("), IMAGES)


def test_bare_string_is_a_name_and_empty_spec_is_refused():
    assert ResourceSpec.model_validate("m1.tiny").name == "m1.tiny"
    with pytest.raises(ValidationError):
        ResourceSpec.model_validate({})


@dataclass
class Net:
    id: str
    subnet_ids: list[str]


def test_the_external_network_with_a_subnet_is_preferred():
    assert usable_external([Net("bare", []), Net("public", ["s1"])]).id == "public"
    assert usable_external([Net("only", [])]).id == "only"
    assert usable_external([]) is None
