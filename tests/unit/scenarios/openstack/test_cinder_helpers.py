"""Rally's volume sizes and create arguments (``_cinder``)."""

import pytest
from pydantic import TypeAdapter, ValidationError

from squall.scenarios.openstack._cinder import Size, SizeRange, pick_size, volume_attrs

SIZE = TypeAdapter(Size)


def test_a_fixed_size_is_kept():
    assert pick_size(SIZE.validate_python(3)) == 3


def test_a_range_is_drawn_within_its_bounds():
    size = SIZE.validate_python({"min": 1, "max": 3})
    assert isinstance(size, SizeRange)
    drawn = {pick_size(size) for _ in range(300)}
    assert drawn <= {1, 2, 3}
    assert len(drawn) > 1


@pytest.mark.parametrize("bad", [0, {"min": 2, "max": 1}, {"min": 0, "max": 1}, {"min": 1}])
def test_bad_sizes_are_rejected(bad):
    with pytest.raises(ValidationError):
        SIZE.validate_python(bad)


def test_cinderclient_names_become_sdk_attributes():
    attrs = volume_attrs(
        {"imageRef": "img", "source_volid": "vol", "volume_type": None, "metadata": {"a": "1"}}
    )
    assert attrs == {"image_id": "img", "source_volume_id": "vol", "metadata": {"a": "1"}}
