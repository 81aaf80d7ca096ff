"""Where a cloud's credentials come from, as one typed ``CloudSpec``.

Three sources, in the order ``squall task start`` tries them:

- ``--cloud NAME`` or ``OS_CLOUD``: an entry of clouds.yaml (read by openstacksdk's
  own loader, so every place it looks is honoured);
- ``--deployment FILE``: a Rally deployment or environment spec
  (``existing@openstack`` keys, the old ``ExistingCloud`` shape, or the bare spec);
- ``OS_*`` variables, with Rally's required and optional names.

Parsing the Rally spec and the ``OS_*`` variables is pure; clouds.yaml goes through
``openstack.config`` and is read in ``from_clouds_yaml``.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from squall.errors import ConfigError

_TRUE = {"1", "true", "yes", "on"}


class Credential(BaseModel):
    """One user's credentials (password auth, or another keystoneauth plugin)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    username: str | None = None
    user_id: str | None = None
    password: str | None = Field(None, repr=False)
    project_name: str | None = None
    project_id: str | None = None
    user_domain_name: str | None = "Default"
    project_domain_name: str | None = "Default"
    user_domain_id: str | None = None
    project_domain_id: str | None = None
    #: keystoneauth plugin name; other plugins take their options from ``extra``
    auth_type: str = "password"
    extra: dict[str, str] = Field(default_factory=dict, repr=False)

    @property
    def label(self) -> str:
        who = self.username or self.user_id or self.extra.get("application_credential_id", "?")
        where = self.project_name or self.project_id or "-"
        return f"{who}@{where}"

    def auth_dict(self, auth_url: str) -> dict[str, str]:
        """The ``auth`` mapping keystoneauth expects, without unset keys."""
        fields = self.model_dump(exclude={"auth_type", "extra"}, exclude_none=True)
        return {"auth_url": auth_url, **fields, **self.extra}


class CloudSpec(BaseModel):
    """Everything needed to connect to one cloud region, as admin and as given users."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field(description="where it came from: the clouds.yaml name, 'env' or the file")
    auth_url: str
    region_name: str | None = None
    interface: str = "public"
    verify: bool = True
    cacert: str | None = None
    cert: str | None = None
    key: str | None = None
    identity_api_version: str = "3"
    admin: Credential | None = None
    users: tuple[Credential, ...] = ()
    #: service -> API version from Rally's ``api_info`` (e.g. ``{"cinder": "3"}``)
    api_versions: dict[str, str] = Field(default_factory=dict)
    #: service type -> URL used instead of the catalog's (clouds.yaml
    #: ``<service>_endpoint_override``, e.g. ``compute_endpoint_override``)
    endpoint_overrides: dict[str, str] = Field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.name}/{self.region_name}" if self.region_name else self.name


# -- OS_* variables (Rally's ``create_spec_from_sys_environ``) ------------------------------


def from_environ(environ: Mapping[str, str]) -> CloudSpec:
    """A spec from ``OS_*`` variables; raises ConfigError naming what is missing."""
    missing = [k for k in ("OS_AUTH_URL", "OS_USERNAME", "OS_PASSWORD") if not environ.get(k)]
    project = environ.get("OS_PROJECT_NAME") or environ.get("OS_TENANT_NAME")
    if not project and not environ.get("OS_PROJECT_ID"):
        missing.append("OS_PROJECT_NAME (or OS_TENANT_NAME)")
    if missing:
        raise ConfigError(
            f"no cloud credentials: {', '.join(missing)} not set",
            hint="pass --cloud NAME (clouds.yaml), set OS_CLOUD, or source an openrc file",
        )
    admin = Credential(
        username=environ["OS_USERNAME"],
        password=environ["OS_PASSWORD"],
        project_name=project or None,
        project_id=environ.get("OS_PROJECT_ID") or None,
        user_domain_name=environ.get("OS_USER_DOMAIN_NAME", "Default"),
        project_domain_name=environ.get("OS_PROJECT_DOMAIN_NAME", "Default"),
    )
    return CloudSpec(
        name="env",
        auth_url=environ["OS_AUTH_URL"],
        region_name=environ.get("OS_REGION_NAME") or None,
        interface=_interface(environ.get("OS_INTERFACE") or environ.get("OS_ENDPOINT_TYPE")),
        verify=environ.get("OS_INSECURE", "").lower() not in _TRUE,
        cacert=environ.get("OS_CACERT") or None,
        cert=environ.get("OS_CERT") or None,
        key=environ.get("OS_KEY") or None,
        identity_api_version=environ.get("OS_IDENTITY_API_VERSION", "3"),
        admin=admin,
    )


def _interface(value: str | None) -> str:
    """``publicURL`` (Rally, old clients) -> ``public``."""
    if not value:
        return "public"
    value = value.lower()
    return value[: -len("url")] if value.endswith("url") else value


# -- Rally deployment / environment spec files ------------------------------------------


def from_rally_spec(path: Path) -> CloudSpec:
    """A spec from a Rally deployment or env file (JSON or YAML)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is neither JSON nor YAML: {exc}") from None
    return parse_rally_spec(raw, source=str(path))


def parse_rally_spec(raw: Any, *, source: str = "spec") -> CloudSpec:
    """Accepts ``{"openstack": {...}}``, ``{"existing@openstack": {...}}``,
    ``{"type": "ExistingCloud", "creds": {"openstack": {...}}}``, the old
    ``{"type": "ExistingCloud", "auth_url": ...}`` and a bare ``{"auth_url": ...}``."""
    body = _unwrap(raw, source)
    try:
        return CloudSpec(
            name=source,
            auth_url=_required(body, "auth_url", source),
            region_name=body.get("region_name"),
            interface=_interface(body.get("endpoint_type") or body.get("interface")),
            verify=not bool(body.get("https_insecure", False)),
            cacert=body.get("https_cacert") or None,
            cert=body.get("https_cert") or None,
            key=body.get("https_key") or None,
            admin=_rally_user(body["admin"]) if body.get("admin") else None,
            users=tuple(_rally_user(u) for u in body.get("users") or ()),
            api_versions=_api_versions(body.get("api_info") or {}),
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{source}: {where}: {first['msg']}") from None


def _unwrap(raw: Any, source: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: a Rally deployment must be a mapping")
    if raw.get("type") == "ExistingCloud":
        creds = raw.get("creds", {}).get("openstack")
        if isinstance(creds, dict):
            return dict(creds)
        return {k: v for k, v in raw.items() if k != "type"}
    for key in ("existing@openstack", "openstack", "existing"):
        inner = raw.get(key)
        if isinstance(inner, dict):
            return inner
    return raw


def _required(body: Mapping[str, Any], key: str, source: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{source}: `{key}` is required in an existing@openstack spec")
    return value


def _rally_user(raw: Mapping[str, Any]) -> Credential:
    known = {
        "username": raw.get("username"),
        "password": raw.get("password"),
        "project_name": raw.get("project_name") or raw.get("tenant_name"),
        "project_id": raw.get("project_id") or raw.get("tenant_id"),
        "user_domain_name": raw.get("user_domain_name", "Default"),
        "project_domain_name": raw.get("project_domain_name", "Default"),
    }
    return Credential(**{k: v for k, v in known.items() if v is not None})


def _api_versions(api_info: Mapping[str, Any]) -> dict[str, str]:
    versions: dict[str, str] = {}
    for service, info in api_info.items():
        if isinstance(info, Mapping) and "version" in info:
            versions[str(service)] = str(info["version"])
    return versions


# -- clouds.yaml --------------------------------------------------------------------------


def from_clouds_yaml(name: str, region: str | None = None) -> CloudSpec:
    """A spec from clouds.yaml entry ``name`` (openstacksdk's search path)."""
    from squall.openstack import sdk

    config = sdk.config_module()
    try:
        with warnings.catch_warnings():  # the SDK's own deprecations are not the user's
            warnings.simplefilter("ignore")
            region_cfg = _openstack_config(config).get_one(cloud=name, region_name=region)
    except Exception as exc:  # openstack.config raises its own ConfigException
        known = _known_clouds(config)
        hint = f"clouds.yaml defines: {', '.join(known)}" if known else "no clouds.yaml was found"
        raise ConfigError(f"cloud {name!r}: {exc}", hint=hint) from None
    return from_cloud_config(name, region_cfg.config)


def from_cloud_config(name: str, cfg: Mapping[str, Any]) -> CloudSpec:
    """A spec from the resolved mapping of one clouds.yaml entry (pure)."""
    auth = dict(cfg.get("auth") or {})
    auth_url = auth.pop("auth_url", None)
    if not auth_url:
        raise ConfigError(f"cloud {name!r} has no auth.auth_url")
    auth_type = str(cfg.get("auth_type") or "password")
    known = set(Credential.model_fields) - {"auth_type", "extra"}
    credential = Credential(
        auth_type=auth_type,
        **{k: auth.pop(k) for k in list(auth) if k in known},
        extra={k: str(v) for k, v in auth.items()},
    )
    verify = cfg.get("verify", True)
    return CloudSpec(
        name=name,
        auth_url=str(auth_url),
        region_name=cfg.get("region_name") or None,
        interface=_interface(cfg.get("interface")),
        verify=bool(verify),
        cacert=cfg.get("cacert") or None,
        cert=cfg.get("cert") or None,
        key=cfg.get("key") or None,
        identity_api_version=str(cfg.get("identity_api_version") or "3"),
        admin=credential,
        endpoint_overrides=_endpoint_overrides(cfg),
    )


_OVERRIDE = "_endpoint_override"


def _endpoint_overrides(cfg: Mapping[str, Any]) -> dict[str, str]:
    return {
        key.removesuffix(_OVERRIDE): str(value)
        for key, value in cfg.items()
        if key.endswith(_OVERRIDE) and value
    }


def _openstack_config(config: Any) -> Any:
    """openstacksdk's loader over clouds.yaml (and secure.yaml) only: ``OS_*`` variables
    are not turned into an ``envvars`` cloud, but ``OS_CLIENT_CONFIG_FILE`` and
    ``OS_CLIENT_SECURE_FILE`` still name the files to read first, as in every
    OpenStack client."""
    loader = config.loader
    files: dict[str, list[str]] = {}
    for variable, key, defaults in (
        ("OS_CLIENT_CONFIG_FILE", "config_files", loader.CONFIG_FILES),
        ("OS_CLIENT_SECURE_FILE", "secure_files", loader.SECURE_FILES),
    ):
        override = os.environ.get(variable)
        if override:
            files[key] = [override, *defaults]
    return config.OpenStackConfig(load_envvars=False, **files)


def _known_clouds(config: Any) -> list[str]:
    try:
        return sorted(_openstack_config(config).get_cloud_names())
    except Exception:  # no clouds.yaml at all: nothing to suggest
        return []


def to_json(spec: CloudSpec) -> str:
    """The spec without secrets, for the run's environment record."""
    body = spec.model_dump(mode="json", exclude={"admin", "users"})
    body["admin"] = spec.admin.label if spec.admin else None
    body["users"] = [u.label for u in spec.users]
    return json.dumps(body, sort_keys=True)
