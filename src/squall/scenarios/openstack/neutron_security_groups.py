"""NeutronSecurityGroup.*: security groups and their rules (Rally's names and atomics)."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, Field

from squall.errors import CloudError
from squall.openstack.quota import EGRESS_RULES, QuotaUse
from squall.scenarios.openstack._neutron import NeutronScenario
from squall.scenarios.openstack.base import OpenStackArgs


class _GroupArgs(OpenStackArgs):
    security_group_create_args: dict[str, Any] | None = None


class _RuleArgs(OpenStackArgs):
    security_group_args: dict[str, Any] | None = None
    security_group_rule_args: dict[str, Any] | None = None


class _Groups(NeutronScenario):
    #: False when the iteration deletes its group (and so its rules)
    keeps_group: ClassVar[bool] = True

    @classmethod
    def quota_use(cls, config: BaseModel) -> QuotaUse:
        """The group with neutron's egress rules and the rules the iteration adds."""
        rules = EGRESS_RULES + cls.rules(config)
        return QuotaUse.of(
            "neutron", keeps=cls.keeps_group, security_groups=1, security_group_rules=rules
        )

    @classmethod
    def rules(cls, config: BaseModel) -> int:
        """The rules one iteration adds to its group."""
        return 1 if isinstance(config, _RuleArgs) else 0

    def create_group(self, args: dict[str, Any] | None) -> Any:
        return self._create_security_group(**(args or {}))

    def create_rule(self, group_id: str, args: dict[str, Any]) -> Any:
        """Rally's defaults: an ingress tcp rule."""
        attrs = {"direction": "ingress", "protocol": "tcp", **args}
        with self.action("neutron.create_security_group_rule"):
            return self.net.create_security_group_rule(security_group_id=group_id, **attrs)


class CreateAndListSecurityGroups(_Groups):
    """Create a security group, then list security groups."""

    name: ClassVar[str] = "NeutronSecurityGroup.create_and_list_security_groups"
    Config = _GroupArgs

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, _GroupArgs)
        self.create_group(cfg.security_group_create_args)
        with self.action("neutron.list_security_groups"):
            list(self.net.security_groups())


class CreateAndShowSecurityGroup(_Groups):
    """Create a security group, then show it."""

    name: ClassVar[str] = "NeutronSecurityGroup.create_and_show_security_group"
    Config = _GroupArgs

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, _GroupArgs)
        group = self.create_group(cfg.security_group_create_args)
        with self.action("neutron.show_security_group"):
            self.net.get_security_group(group.id)


class CreateAndDeleteSecurityGroups(_Groups):
    """Create a security group, then delete it."""

    name: ClassVar[str] = "NeutronSecurityGroup.create_and_delete_security_groups"
    keeps_group: ClassVar[bool] = False
    Config = _GroupArgs

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, _GroupArgs)
        group = self.create_group(cfg.security_group_create_args)
        self._delete_security_group(group.id)


class CreateAndUpdateSecurityGroups(_Groups):
    """Create a security group, then update it (a new name unless told otherwise)."""

    name: ClassVar[str] = "NeutronSecurityGroup.create_and_update_security_groups"

    class Config(_GroupArgs):
        security_group_update_args: dict[str, Any] | None = None

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndUpdateSecurityGroups.Config)
        group = self.create_group(cfg.security_group_create_args)
        update = {"name": self.generate_name(), **(cfg.security_group_update_args or {})}
        with self.action("neutron.update_security_group"):
            self.net.update_security_group(group, **update)


class CreateAndListSecurityGroupRules(_Groups):
    """Create a group with ``security_group_rules_count`` rules (ports 1..n), list rules,
    and check every new rule is listed."""

    name: ClassVar[str] = "NeutronSecurityGroup.create_and_list_security_group_rules"

    class Config(_RuleArgs):
        security_group_rules_count: int = Field(1, ge=1)

    @classmethod
    def rules(cls, config: BaseModel) -> int:
        assert isinstance(config, CreateAndListSecurityGroupRules.Config)
        return config.security_group_rules_count

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndListSecurityGroupRules.Config)
        group = self.create_group(cfg.security_group_args)
        made = []
        for port in range(1, cfg.security_group_rules_count + 1):
            args = {**(cfg.security_group_rule_args or {})}
            args.update(port_range_min=port, port_range_max=port)
            made.append(self.create_rule(group.id, args).id)
        with self.action("neutron.list_security_group_rules"):
            listed = {rule.id for rule in self.net.security_group_rules()}
        missing = [rule for rule in made if rule not in listed]
        if missing:
            raise CloudError(f"security group rules {missing} are not in the list of rules")


class CreateAndShowSecurityGroupRule(_Groups):
    """Create a group and a rule, then show the rule."""

    name: ClassVar[str] = "NeutronSecurityGroup.create_and_show_security_group_rule"
    Config = _RuleArgs

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, _RuleArgs)
        group = self.create_group(cfg.security_group_args)
        rule = self.create_rule(group.id, cfg.security_group_rule_args or {})
        with self.action("neutron.show_security_group_rule"):
            self.net.get_security_group_rule(rule.id)


class CreateAndDeleteSecurityGroupRule(_Groups):
    """Create a group and a rule, delete the rule, then the group."""

    name: ClassVar[str] = "NeutronSecurityGroup.create_and_delete_security_group_rule"
    keeps_group: ClassVar[bool] = False
    Config = _RuleArgs

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, _RuleArgs)
        group = self.create_group(cfg.security_group_args)
        rule = self.create_rule(group.id, cfg.security_group_rule_args or {})
        with self.action("neutron.delete_security_group_rule"):
            self.net.delete_security_group_rule(rule.id)
        self._delete_security_group(group.id)
