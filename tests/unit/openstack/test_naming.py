import pytest

from squall.openstack.naming import (
    NameGenerator,
    is_rally_name,
    is_squall_name,
    run8,
    run_tag,
)

RUN = "0ba6676558a9444ea6e2b324faca2a50"
OTHER = "83465bac5fa04b15adb1a15157e6535d"


def test_names_carry_the_run_prefix_and_are_unique():
    names = NameGenerator(RUN)
    made = {names() for _ in range(200)}
    assert len(made) == 200
    assert all(n.startswith("squall-0ba66765-") and len(n) == 24 for n in made)
    assert all(is_squall_name(n, RUN) and not is_squall_name(n, OTHER) for n in made)


def test_run8_ignores_dashes_and_rejects_non_hex():
    assert run8("0ba66765-58a9-444e-a6e2-b324faca2a50") == "0ba66765"
    with pytest.raises(ValueError):
        run8("not-a-run")


@pytest.mark.parametrize(
    "name",
    [
        None,
        "",
        "squall-0ba66765",
        "squall-0BA66765-abcdefgh",
        "xsquall-0ba66765-abcdefgh",
        "squall-0ba66765-abcdefg",
        "squall-0ba66765-abcdefghi",
        "cirros",
    ],
)
def test_other_names_are_not_squall_names(name):
    assert not is_squall_name(name)


def test_any_run_matches_without_run_id():
    assert is_squall_name("squall-83465bac-a1b2c3d4")
    assert NameGenerator(OTHER).owns("squall-83465bac-a1b2c3d4")


def test_rally_names_are_recognised():
    assert is_rally_name("s_rally_0ba66765_AbCd1234")
    assert is_rally_name("c_rally_0ba66765_AbCd1234")
    assert not is_rally_name("squall-0ba66765-abcd1234")


def test_tag_names_the_whole_run_and_fits_nova():
    tag = run_tag(RUN)
    assert tag == f"squall-run={RUN}"
    assert len(tag) <= 60 and "/" not in tag and "," not in tag
