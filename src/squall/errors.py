"""The one exception tree of squall.

Every error a user can cause or meet is a ``SquallError``; third-party errors are
translated at the boundary where they are raised. Only the CLI and the server turn
them into exit codes or HTTP answers.

::

    SquallError                      exit 1
    ├── ConfigError                  bad settings, bad command-line values
    │   └── TaskError                a task file that cannot be read or validated
    ├── PluginError                  unknown or broken plugin
    ├── StoreError                   the results database cannot be used
    ├── CloudError                   an OpenStack cloud answered badly or not at all
    ├── DevcloudError                the local devcloud cannot be brought up or down
    ├── AgentError                   a data-plane agent or controller failed
    ├── ExportError                  results could not be sent (search server)
    ├── FaultError                   a host, disruptor or monitor could not act
    ├── RunAborted                   the user aborted a run (Ctrl-C, `task abort`)
    └── SLAFailed                    a pass/fail criterion failed          exit 2
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem found in user input: where it is, what is wrong, what to try."""

    location: str
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class SquallError(Exception):
    """Root of every error squall raises on purpose."""

    exit_code: int = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\nhint: {self.hint}"
        return self.message


class ConfigError(SquallError):
    """Settings or command-line values that cannot be used."""


class TaskError(ConfigError):
    """A task file that cannot be read, rendered or validated.

    Carries every problem found, each with its file:line or field path.
    """

    def __init__(self, problems: list[Problem], *, source: str = "") -> None:
        self.problems = list(problems)
        self.source = source
        head = f"{source}: " if source else ""
        count = len(self.problems)
        title = f"{head}{count} problem{'s' if count != 1 else ''} found"
        body = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{title}\n{body}")


class PluginError(SquallError):
    """A plugin that is unknown, duplicated or does not honour its family's contract."""


class StoreError(SquallError):
    """The results store cannot be opened, migrated, read or written."""


class CloudError(SquallError):
    """An OpenStack cloud answered with an error, or could not be reached."""

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        status: int | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.request_id = request_id


class DevcloudError(SquallError):
    """The local devcloud could not be brought up, probed or stopped."""


class AgentError(SquallError):
    """A data-plane agent or controller failed or could not be reached."""


class FaultError(SquallError):
    """A host could not be reached, or a disruptor or monitor could not do its work."""


class ExportError(SquallError):
    """Results could not be sent to where they were to go (a search server, ...)."""


class RunAborted(SquallError):
    """A run was aborted by the user; partial results are stored."""


class SLAFailed(SquallError):
    """At least one pass/fail criterion failed."""

    exit_code = 2
