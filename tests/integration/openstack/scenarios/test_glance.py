"""GlanceImages on the devcloud: images uploaded from a local file."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from .conftest import Case, FamilyRun, check_case, run_family

pytestmark = [pytest.mark.integration, pytest.mark.devcloud]

IMAGE_FILE = Path(tempfile.gettempdir()) / "squall-scenario-test-image.raw"
FAST = {"prepoll": 0, "interval": 0.3}
IMAGE = {
    "container_format": "bare",
    "disk_format": "raw",
    "image_location": str(IMAGE_FILE),
    "waits": {"glance_image_create": FAST, "nova_server_boot": FAST},
}
CREATE = ("glance_v2.create_image", "glance_v2.create_image > glance_v2.upload_data")

CASES = [
    Case("GlanceImages.list_images", {}, ("glance_v2.list_images",)),
    Case("GlanceImages.create_and_list_image", IMAGE, (*CREATE, "glance_v2.list_images")),
    Case("GlanceImages.create_and_get_image", IMAGE, (*CREATE, "glance_v2.get_image")),
    Case("GlanceImages.create_and_delete_image", IMAGE, (*CREATE, "glance_v2.delete_image")),
    Case(
        "GlanceImages.create_and_update_image",
        {
            **{k: v for k, v in IMAGE.items() if k != "waits"},
            "create_properties": {"squall_a": "1", "squall_b": "2"},
            "remove_props": ["squall_a"],
            "update_min_disk": 1,
        },
        (*CREATE, "glance_v2.update_image"),
    ),
    Case(
        "GlanceImages.create_and_deactivate_image", IMAGE, (*CREATE, "glance_v2.deactivate_image")
    ),
    Case("GlanceImages.create_and_download_image", IMAGE, (*CREATE, "glance_v2.download_image")),
    Case(
        "GlanceImages.import_and_delete_image",
        {**IMAGE, "waits": {"glance_image_create": FAST, "glance_image_import": FAST}},
        (
            "glance_v2.create_image_for_import",
            "glance_v2.stage_image_data",
            "glance_v2.import_image",
            "glance_v2.delete_image",
        ),
    ),
    Case(
        "GlanceImages.create_image_and_boot_instances",
        {**IMAGE, "flavor": {"name": "m1.nano"}, "number_instances": 2},
        (*CREATE, "nova.boot_servers"),
        times=1,
    ),
]


@pytest.fixture(scope="module")
def family(workdir) -> FamilyRun:
    IMAGE_FILE.write_bytes(bytes(range(256)) * 256)  # 64 KiB; the fake cloud never boots it
    return run_family(workdir, "glance", CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_scenario(family, case):
    check_case(family, case)


def test_nothing_left(family):
    assert "left in the cloud" not in family.out
    assert family.leftovers == []
