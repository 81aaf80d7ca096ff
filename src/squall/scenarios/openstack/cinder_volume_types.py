"""CinderVolumeTypes.*: volume types, their keys, access and encryption (admin).

Rally's names, arguments and ``cinder_v3.*`` atomic names; every call is the admin's.
"""

from __future__ import annotations

from typing import Any, ClassVar

from squall.errors import CloudError
from squall.openstack.journal import ResourceKind
from squall.scenarios.openstack._cinder import CINDER, CinderAdminScenario
from squall.scenarios.openstack.base import OpenStackArgs


class _TypeArgs(OpenStackArgs):
    description: str | None = None
    is_public: bool = True


class VolumeTypeScenario(CinderAdminScenario):
    """Volume type helpers, as the admin."""

    def _create_type(self) -> Any:
        cfg = self.config
        assert isinstance(cfg, _TypeArgs)
        storage = self.admin_storage
        attrs = {"description": cfg.description, "is_public": cfg.is_public}
        return self.create_tracked(
            ResourceKind.VOLUME_TYPE,
            f"{CINDER}.create_volume_type",
            lambda name: storage.create_type(
                name=name, **{k: v for k, v in attrs.items() if v is not None}
            ),
            project_id="",
        )

    def _delete_type(self, volume_type: Any) -> None:
        with self.action(f"{CINDER}.delete_volume_type"):
            self.admin_storage.delete_type(volume_type)
        self.untracked(ResourceKind.VOLUME_TYPE, volume_type.id)


class CreateAndDeleteVolumeType(VolumeTypeScenario):
    """Create a volume type, then delete it."""

    name: ClassVar[str] = "CinderVolumeTypes.create_and_delete_volume_type"
    Config = _TypeArgs

    def run(self) -> None:
        self._delete_type(self._create_type())


class CreateAndGetVolumeType(VolumeTypeScenario):
    """Create a volume type, then show it."""

    name: ClassVar[str] = "CinderVolumeTypes.create_and_get_volume_type"
    Config = _TypeArgs

    def run(self) -> None:
        volume_type = self._create_type()
        with self.action(f"{CINDER}.get_volume_type"):
            self.admin_storage.get_type(volume_type.id)


class CreateAndListVolumeTypes(VolumeTypeScenario):
    """Create a volume type, list volume types and check the new one is listed."""

    name: ClassVar[str] = "CinderVolumeTypes.create_and_list_volume_types"
    Config = _TypeArgs

    def run(self) -> None:
        volume_type = self._create_type()
        with self.action(f"{CINDER}.list_types"):
            listed = {t.id for t in self.admin_storage.types()}
        if volume_type.id not in listed:
            raise CloudError(f"volume type {volume_type.id} is not in the list of types")


class CreateAndUpdateVolumeType(VolumeTypeScenario):
    """Create a volume type, then update its name, description or visibility."""

    name: ClassVar[str] = "CinderVolumeTypes.create_and_update_volume_type"

    class Config(_TypeArgs):
        update_name: bool = False
        update_description: str | None = None
        update_is_public: bool | None = None

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndUpdateVolumeType.Config)
        volume_type = self._create_type()
        changes: dict[str, Any] = {}
        if cfg.update_name:
            changes["name"] = self.generate_name()
        if cfg.update_description is not None:
            changes["description"] = cfg.update_description
        if cfg.update_is_public:
            changes["is_public"] = not cfg.is_public
        if not changes:
            changes["name"] = volume_type.name
        with self.action(f"{CINDER}.update_volume_type"):
            self.admin_storage.update_type(volume_type, **changes)


class CreateAndSetVolumeTypeKeys(VolumeTypeScenario):
    """Create a volume type, then set its extra specs to ``volume_type_key``."""

    name: ClassVar[str] = "CinderVolumeTypes.create_and_set_volume_type_keys"

    class Config(_TypeArgs):
        volume_type_key: dict[str, str]

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndSetVolumeTypeKeys.Config)
        volume_type = self._create_type()
        with self.action(f"{CINDER}.set_volume_type_keys"):
            self.admin_storage.update_type_extra_specs(volume_type, **cfg.volume_type_key)


class CreateVolumeTypeAddAndListTypeAccess(VolumeTypeScenario):
    """Create a private volume type, give the tenant access, list who has access."""

    name: ClassVar[str] = "CinderVolumeTypes.create_volume_type_add_and_list_type_access"

    class Config(_TypeArgs):
        is_public: bool = False

    def run(self) -> None:
        volume_type = self._create_type()
        with self.action(f"{CINDER}.add_type_access"):
            self.admin_storage.add_type_access(volume_type, self.tenant.id)
        with self.action(f"{CINDER}.list_type_access"):
            self.admin_storage.get_type_access(volume_type)


class CreateVolumeTypeAndEncryptionType(VolumeTypeScenario):
    """Create a volume type and an encryption type for it."""

    name: ClassVar[str] = "CinderVolumeTypes.create_volume_type_and_encryption_type"

    class Config(_TypeArgs):
        create_specs: dict[str, Any] | None = None
        provider: str | None = None
        cipher: str | None = None
        key_size: int | None = None
        control_location: str = "front-end"

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateVolumeTypeAndEncryptionType.Config)
        volume_type = self._create_type()
        specs = cfg.create_specs or {
            "provider": cfg.provider,
            "cipher": cfg.cipher,
            "key_size": cfg.key_size,
            "control_location": cfg.control_location,
        }
        with self.action(f"{CINDER}.create_encryption_type"):
            self.admin_storage.create_type_encryption(
                volume_type, **{k: v for k, v in specs.items() if v is not None}
            )


class _EncryptionArgs(OpenStackArgs):
    create_specs: dict[str, Any] | None = None
    provider: str | None = None
    cipher: str | None = None
    key_size: int | None = None
    control_location: str = "front-end"

    def specs(self) -> dict[str, Any]:
        specs = self.create_specs or {
            "provider": self.provider,
            "cipher": self.cipher,
            "key_size": self.key_size,
            "control_location": self.control_location,
        }
        return {k: v for k, v in specs.items() if v is not None}


class _ContextTypeScenario(VolumeTypeScenario):
    """Acts on a ``volume_types`` context type (``context_volume_type``)."""

    def _encrypt(self, volume_type: Any, specs: dict[str, Any]) -> None:
        with self.action(f"{CINDER}.create_encryption_type"):
            self.admin_storage.create_type_encryption(volume_type, **specs)

    def _delete_encryption(self, volume_type: Any) -> None:
        with self.action(f"{CINDER}.delete_encryption_type"):
            storage = self.admin_storage
            storage.delete_type_encryption(
                storage.get_type_encryption(volume_type), volume_type=volume_type
            )


class CreateAndListEncryptionType(_ContextTypeScenario):
    """Encrypt a context volume type, list encryption types, remove the encryption (unlike
    Rally, so that the type can be encrypted again and deleted by its context)."""

    name: ClassVar[str] = "CinderVolumeTypes.create_and_list_encryption_type"

    class Config(_EncryptionArgs):
        search_opts: dict[str, Any] | None = None

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndListEncryptionType.Config)
        volume_type = self.context_volume_type()
        self._encrypt(volume_type, cfg.specs())
        with self.action(f"{CINDER}.list_encryption_type"):
            for listed in self.admin_storage.types(**(cfg.search_opts or {})):
                self.admin_storage.get_type_encryption(listed)
        self._delete_encryption(volume_type)


class CreateAndDeleteEncryptionType(_ContextTypeScenario):
    """Encrypt a context volume type, then remove the encryption."""

    name: ClassVar[str] = "CinderVolumeTypes.create_and_delete_encryption_type"
    Config = _EncryptionArgs

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, _EncryptionArgs)
        volume_type = self.context_volume_type()
        self._encrypt(volume_type, cfg.specs())
        self._delete_encryption(volume_type)


class CreateGetAndDeleteEncryptionType(_ContextTypeScenario):
    """Encrypt a context volume type, show the encryption, remove it."""

    name: ClassVar[str] = "CinderVolumeTypes.create_get_and_delete_encryption_type"
    Config = _EncryptionArgs

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, _EncryptionArgs)
        volume_type = self.context_volume_type()
        self._encrypt(volume_type, cfg.specs())
        with self.action(f"{CINDER}.get_encryption_type"):
            self.admin_storage.get_type_encryption(volume_type)
        self._delete_encryption(volume_type)


class CreateAndUpdateEncryptionType(_ContextTypeScenario):
    """Encrypt a context volume type, update the encryption, remove it (unlike Rally, so
    that the type can be encrypted again and deleted by its context)."""

    name: ClassVar[str] = "CinderVolumeTypes.create_and_update_encryption_type"

    class Config(OpenStackArgs):
        create_provider: str | None = None
        create_cipher: str | None = None
        create_key_size: int | None = None
        create_control_location: str = "front-end"
        update_provider: str | None = None
        update_cipher: str | None = None
        update_key_size: int | None = None
        update_control_location: str | None = None

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndUpdateEncryptionType.Config)
        volume_type = self.context_volume_type()
        create = {
            "provider": cfg.create_provider,
            "cipher": cfg.create_cipher,
            "key_size": cfg.create_key_size,
            "control_location": cfg.create_control_location,
        }
        update = {
            "provider": cfg.update_provider,
            "cipher": cfg.update_cipher,
            "key_size": cfg.update_key_size,
            "control_location": cfg.update_control_location,
        }
        self._encrypt(volume_type, {k: v for k, v in create.items() if v is not None})
        with self.action(f"{CINDER}.update_encryption_type"):
            self.admin_storage.update_type_encryption(
                volume_type=volume_type, **{k: v for k, v in update.items() if v is not None}
            )
        self._delete_encryption(volume_type)
