"""Where image data comes from (``_glance.image_data``) and image arguments."""

import pytest
from pydantic import ValidationError

from squall.errors import ConfigError
from squall.scenarios.openstack._glance import ImageArgs, image_data


def test_a_local_file_is_streamed(tmp_path):
    path = tmp_path / "disk.raw"
    path.write_bytes(b"\x00\x01" * 1000)
    with image_data(str(path)) as stream:
        assert stream.read() == b"\x00\x01" * 1000
    assert stream.closed


def test_neither_file_nor_url_is_a_config_error(tmp_path):
    missing = image_data(str(tmp_path / "missing.qcow2"))
    with pytest.raises(ConfigError, match="neither a file nor an http"), missing:
        pass


def test_image_args_are_rallys():
    args = ImageArgs.model_validate(
        {"container_format": "bare", "disk_format": "qcow2", "image_location": "x"}
    )
    assert (args.visibility, args.min_disk, args.min_ram) == ("private", 0, 0)
    with pytest.raises(ValidationError):
        ImageArgs.model_validate(
            {"container_format": "bare", "disk_format": "exe", "image_location": "x"}
        )
