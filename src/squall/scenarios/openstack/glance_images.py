"""GlanceImages.*: create, list, show, update, deactivate, download and delete images.

Rally's names, arguments and ``glance_v2.*`` atomic names. ``image_location`` is a
local file or an http(s) URL (only local files work on a cloud without internet).
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field

from squall.errors import CloudError
from squall.openstack.lookup import ResourceSpec
from squall.scenarios.openstack._glance import GlanceScenario, ImageArgs, image_data
from squall.scenarios.openstack._nova_ops import ServerOps
from squall.scenarios.openstack.base import OpenStackArgs


class CreateAndListImage(GlanceScenario):
    """Create an image, list images and check the new one is listed."""

    name: ClassVar[str] = "GlanceImages.create_and_list_image"
    Config = ImageArgs

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, ImageArgs)
        image = self._create_image(cfg)
        listed = {i.id for i in self._list_images()}
        if image.id not in listed:
            raise CloudError(f"image {image.id} is not in the list of images")


class CreateAndGetImage(GlanceScenario):
    """Create an image, then show it."""

    name: ClassVar[str] = "GlanceImages.create_and_get_image"
    Config = ImageArgs

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, ImageArgs)
        image = self._create_image(cfg)
        shown = self._get_image(image.id)
        if shown.id != image.id:
            raise CloudError(f"glance returned image {shown.id} for {image.id}")


class ListImages(GlanceScenario):
    """List active images."""

    name: ClassVar[str] = "GlanceImages.list_images"
    waits: ClassVar[tuple[str, ...]] = ()

    def run(self) -> None:
        self._list_images()


class CreateAndDeleteImage(GlanceScenario):
    """Create an image, then delete it."""

    name: ClassVar[str] = "GlanceImages.create_and_delete_image"
    Config = ImageArgs

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, ImageArgs)
        image = self._create_image(cfg)
        self._delete_image(image.id)


class CreateAndUpdateImage(GlanceScenario):
    """Create an image, then give it a new name, ``min_disk``/``min_ram``, fewer props."""

    name: ClassVar[str] = "GlanceImages.create_and_update_image"

    class Config(OpenStackArgs):
        container_format: str
        image_location: str
        disk_format: str
        remove_props: list[str] | None = None
        visibility: str = "private"
        create_min_disk: int = Field(0, ge=0)
        create_min_ram: int = Field(0, ge=0)
        create_properties: dict[str, Any] | None = None
        update_min_disk: int = Field(0, ge=0)
        update_min_ram: int = Field(0, ge=0)

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndUpdateImage.Config)
        args = ImageArgs.model_validate(
            {
                "container_format": cfg.container_format,
                "image_location": cfg.image_location,
                "disk_format": cfg.disk_format,
                "visibility": cfg.visibility,
                "min_disk": cfg.create_min_disk,
                "min_ram": cfg.create_min_ram,
                "properties": cfg.create_properties,
            }
        )
        image = self._create_image(args)
        patch: list[dict[str, Any]] = [
            {"op": "replace", "path": "/name", "value": self.generate_name()},
            {"op": "replace", "path": "/min_disk", "value": cfg.update_min_disk},
            {"op": "replace", "path": "/min_ram", "value": cfg.update_min_ram},
        ]
        patch += [{"op": "remove", "path": f"/{prop}"} for prop in cfg.remove_props or []]
        with self.action("glance_v2.update_image"):
            self.images.patch(
                f"/images/{image.id}",
                json=patch,
                headers={"Content-Type": "application/openstack-images-v2.1-json-patch"},
                raise_exc=True,
            )


class CreateAndDeactivateImage(GlanceScenario):
    """Create an image, then deactivate it."""

    name: ClassVar[str] = "GlanceImages.create_and_deactivate_image"

    class Config(ImageArgs):
        properties: None = None

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, ImageArgs)
        image = self._create_image(cfg)
        with self.action("glance_v2.deactivate_image"):
            self.images.deactivate_image(image.id)


class CreateAndDownloadImage(GlanceScenario):
    """Create an image, then download its data (read to the end)."""

    name: ClassVar[str] = "GlanceImages.create_and_download_image"
    Config = ImageArgs

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, ImageArgs)
        image = self._create_image(cfg)
        with self.action("glance_v2.download_image"):
            response = self.images.download_image(image.id, stream=True)
            size = sum(len(chunk) for chunk in response.iter_content(1024 * 1024))
        if image.size is not None and size != image.size:
            raise CloudError(f"downloaded {size} bytes of image {image.id}, not {image.size}")


class CreateImageAndBootInstances(GlanceScenario, ServerOps):
    """Create an image, then boot ``number_instances`` servers from it."""

    name: ClassVar[str] = "GlanceImages.create_image_and_boot_instances"
    keeps_servers: ClassVar[bool] = True  # deleted by the workload's sweep
    services: ClassVar[tuple[str, ...]] = ("image", "compute")
    waits: ClassVar[tuple[str, ...]] = ("glance_image_create", "nova_server_boot")

    class Config(ImageArgs):
        flavor: ResourceSpec
        number_instances: int = Field(ge=1)
        boot_server_kwargs: dict[str, Any] | None = None

    @classmethod
    def servers_in(cls, config: BaseModel) -> int:
        assert isinstance(config, CreateImageAndBootInstances.Config)
        return config.number_instances

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateImageAndBootInstances.Config)
        flavor_id = self.flavor_id(cfg.flavor)
        image = self._create_image(cfg)
        attrs: dict[str, Any] = {
            "image_id": image.id,
            "flavor_id": flavor_id,
            "networks": self._image_boot_networks(),
            **(cfg.boot_server_kwargs or {}),
        }
        self._boot_servers(attrs, cfg.number_instances)

    def _image_boot_networks(self) -> Any:
        if self.tenant.networks:
            return [{"uuid": self.tenant.networks[0].id}]
        return "none"


class ImportAndDeleteImage(GlanceScenario):
    """Create an image record, import its data (``glance-direct``: staged first, or
    ``web-download`` from ``image_location``), wait until active, delete it."""

    name: ClassVar[str] = "GlanceImages.import_and_delete_image"
    waits: ClassVar[tuple[str, ...]] = ("glance_image_create", "glance_image_import")

    class Config(ImageArgs):
        stores: list[str] | None = None
        all_stores: bool = True
        import_method: Literal["glance-direct", "web-download", "glance-download"] = "glance-direct"

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, ImportAndDeleteImage.Config)
        glance = self.images
        with self.action("glance_v2.create_image_for_import"):
            image = self._create_record(cfg)
        if cfg.import_method == "glance-direct":
            with self.action("glance_v2.stage_image_data"), image_data(cfg.image_location) as data:
                glance.put(
                    f"/images/{image.id}/stage",
                    data=data,
                    headers={"Content-Type": "application/octet-stream"},
                    raise_exc=True,
                )
        body: dict[str, Any] = {"method": {"name": cfg.import_method}}
        if cfg.import_method != "glance-direct":
            body["method"]["uri"] = cfg.image_location
        if cfg.stores:
            body["stores"] = cfg.stores
        elif cfg.all_stores:
            body["all_stores"] = True
        with self.action("glance_v2.import_image"):
            glance.post(f"/images/{image.id}/import", json=body, raise_exc=True)
            self.wait_for_status(
                image,
                lambda i: glance.get_image(i.id),
                "glance_image_import",
                ready=("active",),
                failure=("killed", "deleted", "pending_delete", "error"),
            )
        self._delete_image(image.id)
