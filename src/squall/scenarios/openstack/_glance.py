"""Glance helpers: images timed under Rally's ``glance_v2.*`` names.

``create_image`` is Rally's: create the record, wait until ``queued``, upload the
data from a local file or an http(s) URL, wait until ``active``; all one atomic
(``glance_v2.create_image``) with the upload nested as ``glance_v2.upload_data``.
"""

from __future__ import annotations

import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, ClassVar, Literal

from pydantic import Field

from squall.errors import ConfigError
from squall.openstack.journal import ResourceKind
from squall.scenarios.openstack.base import OpenStackArgs, OpenStackScenario

ContainerFormat = Literal["ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"]
DiskFormat = Literal[
    "ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso", "ploop"
]


class ImageArgs(OpenStackArgs):
    """What Rally's image-creating scenarios take."""

    container_format: ContainerFormat
    image_location: str = Field(description="a local file or an http(s) URL of the image data")
    disk_format: DiskFormat
    visibility: Literal["public", "private", "shared", "community"] = "private"
    min_disk: int = Field(0, ge=0)
    min_ram: int = Field(0, ge=0)
    properties: dict[str, Any] | None = None


@contextmanager
def image_data(location: str) -> Any:
    """An open binary stream of ``location`` (a path, ``~`` expanded, or an http(s) URL)."""
    path = Path(location).expanduser()
    stream: IO[bytes]
    if path.is_file():
        stream = path.open("rb")
    elif location.startswith(("http://", "https://")):
        stream = urllib.request.urlopen(location)
    else:
        raise ConfigError(
            f"image_location {location!r} is neither a file nor an http(s) URL",
            hint="give the path of a local image file or a URL",
        )
    try:
        yield stream
    finally:
        stream.close()


QUEUED = ("queued",)


@dataclass(frozen=True)
class ImageRef:
    """An image known by id only (between the create call and the first poll)."""

    id: str


class GlanceScenario(OpenStackScenario):
    """Image operations as Rally's glance v2 service times them."""

    services: ClassVar[tuple[str, ...]] = ("image",)
    waits: ClassVar[tuple[str, ...]] = ("glance_image_create",)

    @property
    def images(self) -> Any:
        return self.clients.image

    def _create_record(self, args: ImageArgs, **overrides: Any) -> Any:
        """Create an image record (journaled) and wait until it is ``queued``."""
        body: dict[str, Any] = {
            "container_format": args.container_format,
            "disk_format": args.disk_format,
            "visibility": args.visibility,
            "min_disk": args.min_disk,
            "min_ram": args.min_ram,
            **(args.properties or {}),
            **overrides,
        }
        glance = self.images
        name = self.generate_name()
        entry = self.track(ResourceKind.IMAGE, name)
        try:
            created = glance.post("/images", json={"name": name, **body}, raise_exc=True)
        except BaseException:
            self.tracker.failed(entry)
            raise
        image = ImageRef(str(created.json()["id"]))
        self.tracked(entry, image.id)
        return self.wait_for_status(
            image, lambda i: glance.get_image(i.id), "glance_image_create", ready=QUEUED
        )

    def _create_image(self, args: ImageArgs, **overrides: Any) -> Any:
        """Create an image record, upload its data, wait until active (Rally's steps)."""
        glance = self.images
        with self.action("glance_v2.create_image"):
            image = self._create_record(args, **overrides)
            self._upload(image.id, args.image_location)
            return self.wait_for_status(
                image,
                lambda i: glance.get_image(i.id),
                "glance_image_create",
                ready=("active",),
                failure=("killed", "deleted"),
            )

    def _upload(self, image_id: str, location: str) -> None:
        with self.action("glance_v2.upload_data"), image_data(location) as data:
            self.images.put(
                f"/images/{image_id}/file",
                data=data,
                headers={"Content-Type": "application/octet-stream"},
                raise_exc=True,
            )

    def _delete_image(self, image_id: str) -> None:
        with self.action("glance_v2.delete_image"):
            self.images.delete_image(image_id)
        self.untracked(ResourceKind.IMAGE, image_id)

    def _get_image(self, image_id: str) -> Any:
        with self.action("glance_v2.get_image"):
            return self.images.get_image(image_id)

    def _list_images(self) -> list[Any]:
        with self.action("glance_v2.list_images"):
            return list(self.images.images(status="active"))
