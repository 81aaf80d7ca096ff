"""NovaKeypair.*: keypairs (Rally's names and atomics).

Keypairs belong to a user; they are journaled with the owner so the admin's sweep
can delete the ones an iteration left.
"""

from __future__ import annotations

from typing import Any, ClassVar

from squall.errors import CloudError
from squall.openstack.journal import ResourceKind
from squall.scenarios.openstack._nova import BootArgs, NovaScenario
from squall.scenarios.openstack.base import OpenStackArgs


class KeypairArgs(OpenStackArgs):
    """Rally passes ``**kwargs`` to the create call; these are the API's options."""

    public_key: str | None = None
    type: str | None = None


class KeypairScenario(NovaScenario):
    waits: ClassVar[tuple[str, ...]] = ()
    servers_per_iteration: ClassVar[int] = 0  # but boot_and_delete_server_with_keypair

    def _create_keypair(self, args: KeypairArgs) -> str:
        """Create a keypair (``nova.create_keypair``); return its name."""
        compute = self.clients.compute
        attrs = {"public_key": args.public_key, "type": args.type}
        name = self.generate_name()
        entry = self.tracker.begin(
            ResourceKind.KEYPAIR, name, project_id=self.user.project_id, parent_id=self.user.id
        )
        try:
            with self.action("nova.create_keypair"):
                compute.create_keypair(
                    name=name, **{k: v for k, v in attrs.items() if v is not None}
                )
        except BaseException:
            self.tracker.failed(entry)
            raise
        self.tracked(entry, name)
        return name

    def _delete_keypair(self, name: str) -> None:
        with self.action("nova.delete_keypair"):
            self.clients.compute.delete_keypair(name, ignore_missing=False)
        self.untracked(ResourceKind.KEYPAIR, name)


class CreateAndListKeypairs(KeypairScenario):
    """Create a keypair, list keypairs and check the new one is listed."""

    name: ClassVar[str] = "NovaKeypair.create_and_list_keypairs"
    Config = KeypairArgs

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, KeypairArgs)
        name = self._create_keypair(cfg)
        with self.action("nova.list_keypairs"):
            listed = {k.name for k in self.clients.compute.keypairs()}
        if name not in listed:
            raise CloudError(f"keypair {name} is not in the list of keypairs")


class CreateAndDeleteKeypair(KeypairScenario):
    """Create a keypair, then delete it."""

    name: ClassVar[str] = "NovaKeypair.create_and_delete_keypair"
    Config = KeypairArgs

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, KeypairArgs)
        self._delete_keypair(self._create_keypair(cfg))


class CreateAndGetKeypair(KeypairScenario):
    """Create a keypair, then show it."""

    name: ClassVar[str] = "NovaKeypair.create_and_get_keypair"
    Config = KeypairArgs

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, KeypairArgs)
        name = self._create_keypair(cfg)
        with self.action("nova.get_keypair"):
            self.clients.compute.get_keypair(name)


class BootAndDeleteServerWithKeypair(KeypairScenario):
    """Create a keypair, boot a server with it, delete the server and the keypair."""

    name: ClassVar[str] = "NovaKeypair.boot_and_delete_server_with_keypair"
    servers_per_iteration: ClassVar[int] = 1
    waits: ClassVar[tuple[str, ...]] = ("nova_server_boot", "nova_server_delete")

    class Config(BootArgs):
        public_key: str | None = None
        type: str | None = None
        boot_server_kwargs: dict[str, Any] | None = None

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, BootAndDeleteServerWithKeypair.Config)
        name = self._create_keypair(KeypairArgs(public_key=cfg.public_key, type=cfg.type))
        boot = cfg.model_copy(update={"key_name": name, **(cfg.boot_server_kwargs or {})})
        server = self._boot_server(boot)
        self._delete_server(server)
        self._delete_keypair(name)
