"""Authenticate.*: how fast keystone issues tokens and services accept them.

``Authenticate.keystone`` times a token request (the one scenario that must fetch
a token inside a timed step). The ``validate_*`` scenarios time ``repetitions``
cheap authenticated calls to one service with the user's existing session, so
they measure token validation by that service (Rally's atomics and calls).
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, ClassVar

from pydantic import Field

from squall.openstack.errors import cloud_errors
from squall.scenarios.openstack.base import OpenStackArgs, OpenStackScenario

NON_EXISTENT_IMAGE = "__intentionally_non_existent_image___"


class Keystone(OpenStackScenario):
    """Request a new token for the user from keystone."""

    name: ClassVar[str] = "Authenticate.keystone"
    services: ClassVar[tuple[str, ...]] = ("identity",)

    def run(self) -> None:
        session = self.user.session
        auth, http = session.conn.session.auth, session.conn.session
        with self.action("authenticate.keystone"):
            auth.get_auth_ref(http)


class Repetitions(OpenStackArgs):
    repetitions: int = Field(1, ge=1, description="authenticated calls per iteration")


class _Validate(OpenStackScenario):
    """Time ``repetitions`` authenticated calls to one service."""

    atomic: ClassVar[str]
    Config = Repetitions

    @abstractmethod
    def call(self, conn: Any) -> None:
        """One authenticated call to the service."""

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, Repetitions)
        conn = self.clients
        with self.action(self.atomic):
            for _ in range(cfg.repetitions):
                self.call(conn)


class ValidateNova(_Validate):
    """List flavors ``repetitions`` times: nova validates the user's token each time."""

    name: ClassVar[str] = "Authenticate.validate_nova"
    services: ClassVar[tuple[str, ...]] = ("compute",)
    atomic: ClassVar[str] = "authenticate.validate_nova"

    def call(self, conn: Any) -> None:
        list(conn.compute.flavors(details=False))


class ValidateNeutron(_Validate):
    """List networks ``repetitions`` times: neutron validates the user's token each time."""

    name: ClassVar[str] = "Authenticate.validate_neutron"
    services: ClassVar[tuple[str, ...]] = ("network",)
    atomic: ClassVar[str] = "authenticate.validate_neutron"

    def call(self, conn: Any) -> None:
        list(conn.network.networks())


class ValidateGlance(_Validate):
    """Look up a non-existent image by name ``repetitions`` times."""

    name: ClassVar[str] = "Authenticate.validate_glance"
    services: ClassVar[tuple[str, ...]] = ("image",)
    atomic: ClassVar[str] = "authenticate.validate_glance"

    def call(self, conn: Any) -> None:
        list(conn.image.images(name=NON_EXISTENT_IMAGE))


class ValidateCinder(_Validate):
    """List volume types ``repetitions`` times: cinder validates the user's token each time."""

    name: ClassVar[str] = "Authenticate.validate_cinder"
    services: ClassVar[tuple[str, ...]] = ("block-storage",)
    atomic: ClassVar[str] = "authenticate.validate_cinder"

    def call(self, conn: Any) -> None:
        list(conn.block_storage.types())


class ValidateHeat(_Validate):
    """List stacks (limit 0) ``repetitions`` times."""

    name: ClassVar[str] = "Authenticate.validate_heat"
    services: ClassVar[tuple[str, ...]] = ("orchestration",)
    atomic: ClassVar[str] = "authenticate.validate_heat"

    def call(self, conn: Any) -> None:
        with cloud_errors("heat.list_stacks"):
            list(conn.orchestration.stacks(limit=0))
