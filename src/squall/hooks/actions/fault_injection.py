"""Rally's ``fault_injection`` hook: an os-faults sentence, done by squall's disruptors."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field, model_validator

from squall.devcloud.config import load_config
from squall.devcloud.services import all_services
from squall.disruptors.osfaults import Translation, translate
from squall.errors import SquallError
from squall.hooks.actions.disruptor import FaultOptions, build, failed, fire, outcome_of
from squall.hooks.base import HookAction, HookOutcome
from squall.hosts.select import Duration


def devcloud_names() -> list[str]:
    return [s.name for s in all_services(load_config())]


class FaultInjection(HookAction):
    """``{action: "restart memcached service on one node", verify: true}`` as in
    rally-openstack; the sentence (os-faults grammar) becomes a squall disruptor, so
    the fault is verified, undone when its time is up and journaled. ``bindings``
    says how a service name is disrupted (else: devcloud service, systemd unit)."""

    name: ClassVar[str] = "fault_injection"
    scalar_field: ClassVar[str | None] = "action"

    class Config(FaultOptions):
        action: str = Field(min_length=1, description="an os-faults sentence")
        verify: bool = Field(False, description="accepted for Rally files; squall always verifies")
        bindings: dict[str, dict[str, Any]] = Field(
            default_factory=dict,
            description="service name -> {disruptor: NAME, ...its arguments}",
        )

        @model_validator(mode="after")
        def _readable(self) -> FaultInjection.Config:
            try:
                self.translation()
            except SquallError as exc:  # shown at the hook's place in the task file
                raise ValueError(exc.message + (f" ({exc.hint})" if exc.hint else "")) from None
            return self

        def translation(self) -> Translation:
            return translate(
                self.action, devcloud_services=devcloud_names(), bindings=self.bindings
            )

    def run(self) -> HookOutcome:
        cfg = self.config
        assert isinstance(cfg, FaultInjection.Config)
        try:
            tr = cfg.translation()
            down = cfg.down if tr.down == 0 else Duration(low=tr.down, high=tr.down)
            options = cfg.model_copy(update={"down": down})
            return outcome_of(fire(build(tr.disruptor, tr.args), options, self.env))
        except SquallError as exc:
            return failed(exc)
