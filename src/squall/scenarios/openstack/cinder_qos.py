"""CinderQos.*: QoS specs, their keys and volume type associations (admin).

Rally's names, arguments and ``cinder_v3.*`` atomic names. QoS specs and their
associations are journaled (``cinder.qos``, ``cinder.qos_association``), so cleanup
disassociates a spec from its volume types before it deletes it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from squall.errors import CloudError
from squall.openstack.journal import ResourceKind, link_id
from squall.scenarios.openstack._cinder import CINDER, CinderAdminScenario
from squall.scenarios.openstack.base import OpenStackArgs

#: Rally passes spec values as given; cinder stores them as strings
SpecValue = str | int


class QosArgs(OpenStackArgs):
    consumer: str
    write_iops_sec: SpecValue
    read_iops_sec: SpecValue

    def specs(self) -> dict[str, str]:
        return {
            "consumer": self.consumer,
            "write_iops_sec": str(self.write_iops_sec),
            "read_iops_sec": str(self.read_iops_sec),
        }


class QosScenario(CinderAdminScenario):
    """QoS spec helpers, as the admin."""

    Config = QosArgs

    def _create_qos(self) -> Any:
        assert isinstance(self.config, QosArgs)
        specs, storage = self.config.specs(), self.admin_storage
        return self.create_tracked(
            ResourceKind.QOS,
            f"{CINDER}.create_qos",
            lambda name: storage.create_qos_spec(name=name, **specs),
            project_id="",
        )


class CreateAndListQos(QosScenario):
    """Create a QoS spec, list QoS specs and check the new one is listed."""

    name: ClassVar[str] = "CinderQos.create_and_list_qos"

    def run(self) -> None:
        qos = self._create_qos()
        with self.action(f"{CINDER}.list_qos"):
            listed = {q.id for q in self.admin_storage.qos_specs()}
        if qos.id not in listed:
            raise CloudError(f"QoS spec {qos.id} is not in the list of QoS specs")


class CreateAndGetQos(QosScenario):
    """Create a QoS spec, then show it."""

    name: ClassVar[str] = "CinderQos.create_and_get_qos"

    def run(self) -> None:
        qos = self._create_qos()
        with self.action(f"{CINDER}.get_qos"):
            self.admin_storage.get_qos_spec(qos.id)


class CreateAndSetQos(QosScenario):
    """Create a QoS spec, then add or update its keys."""

    name: ClassVar[str] = "CinderQos.create_and_set_qos"

    class Config(QosArgs):
        set_consumer: str
        set_write_iops_sec: SpecValue
        set_read_iops_sec: SpecValue

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndSetQos.Config)
        qos = self._create_qos()
        keys = {
            "consumer": cfg.set_consumer,
            "write_iops_sec": str(cfg.set_write_iops_sec),
            "read_iops_sec": str(cfg.set_read_iops_sec),
        }
        with self.action(f"{CINDER}.set_qos"):
            self.admin_storage.update_qos_spec(qos, **keys)


class CreateQosAssociateAndDisassociateType(QosScenario):
    """Create a QoS spec, associate it with a ``volume_types`` context type (picked by
    iteration number, as Rally does), then disassociate it."""

    name: ClassVar[str] = "CinderQos.create_qos_associate_and_disassociate_type"

    def run(self) -> None:
        type_id = str(self.context_volume_type().id)
        qos = self._create_qos()
        storage = self.admin_storage
        self.link_tracked(
            ResourceKind.QOS_ASSOCIATION,
            f"{CINDER}.qos_associate_type",
            qos.id,
            type_id,
            lambda: storage.associate_qos_spec(qos, type_id),
        )
        with self.action(f"{CINDER}.qos_disassociate_type"):
            storage.disassociate_qos_spec(qos, type_id)
        self.untracked(ResourceKind.QOS_ASSOCIATION, link_id(qos.id, type_id))
