"""``images``: upload images into every tenant (Rally's ``images`` arguments).

``image_url`` is a local file or an http(s) URL; each tenant's first user uploads
``images_per_tenant`` images and squall waits until they are active.
"""

from __future__ import annotations

import shutil
import tempfile
import urllib.request
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from squall.contexts.openstack._base import OpenStackContext
from squall.errors import ConfigError
from squall.openstack.errors import cloud_errors
from squall.openstack.journal import ResourceKind
from squall.openstack.tenants import Tenant
from squall.openstack.waiters import resolve, wait_for_status


class ImagesContext(OpenStackContext):
    """Upload ``images_per_tenant`` images into every tenant."""

    name: ClassVar[str] = "images"
    order: ClassVar[int] = 410

    class Config(BaseModel):
        model_config = ConfigDict(extra="forbid")
        image_url: str
        disk_format: str = "qcow2"
        container_format: str = "bare"
        image_name: str | None = Field(None, description="ignored: names are squall-<run8>-...")
        visibility: str = "private"
        images_per_tenant: int = Field(1, ge=1)
        min_ram: int = Field(0, ge=0)
        min_disk: int = Field(0, ge=0)
        image_args: dict[str, Any] = Field(default_factory=dict)

    @property
    def cfg(self) -> ImagesContext.Config:
        assert isinstance(self.config, ImagesContext.Config)
        return self.config

    def setup(self) -> None:
        with self._local_file() as path:
            slots = [t for t in self.users.tenants for _ in range(self.cfg.images_per_tenant)]
            made = self.concurrently(lambda t: self._upload(t, path), slots)
        for tenant, image_id in zip(slots, made, strict=True):
            tenant.images.append(image_id)

    def _local_file(self) -> Any:
        url = self.cfg.image_url
        if url.startswith(("http://", "https://")):
            return _Downloaded(url)
        path = Path(url).expanduser()
        if not path.is_file():
            raise ConfigError(f"images: image_url {url!r} is neither a file nor an http(s) URL")
        return _Given(path)

    def _upload(self, tenant: Tenant, path: Path) -> str:
        user = tenant.users[0] if tenant.users else None
        conn = user.session.conn if user is not None else self.admin
        with path.open("rb") as data:
            image = self._create_image(conn, tenant, data)
        with cloud_errors("wait for image"):
            wait_for_status(
                lambda: conn.image.get_image(image.id),
                lambda i: str(i.status or ""),
                ("active",),
                resolve("glance_image_create"),
                failure=("killed", "deleted"),
                what=f"image {image.id}",
            )
        return str(image.id)

    def _create_image(self, conn: Any, tenant: Tenant, data: Any) -> Any:
        cfg = self.cfg
        return self.create(
            ResourceKind.IMAGE,
            lambda name: conn.image.create_image(
                name=name,
                data=data,
                disk_format=cfg.disk_format,
                container_format=cfg.container_format,
                visibility=cfg.visibility,
                min_ram=cfg.min_ram,
                min_disk=cfg.min_disk,
                wait=False,
                **cfg.image_args,
            ),
            project_id=tenant.id,
        )


class _Given:
    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> Path:
        return self.path

    def __exit__(self, *exc: object) -> None:
        return None


class _Downloaded:
    def __init__(self, url: str) -> None:
        self.url = url
        self.tmp = tempfile.NamedTemporaryFile(prefix="squall-image-", delete=False)  # noqa: SIM115

    def __enter__(self) -> Path:
        try:
            with urllib.request.urlopen(self.url, timeout=180) as answer, self.tmp as out:
                shutil.copyfileobj(answer, out)
        except OSError as exc:
            raise ConfigError(f"images: cannot download {self.url}: {exc}") from None
        return Path(self.tmp.name)

    def __exit__(self, *exc: object) -> None:
        Path(self.tmp.name).unlink(missing_ok=True)
