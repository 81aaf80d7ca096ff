"""The devcloud's record of itself: its settings and the processes it started.

Kept in ``DIR/devcloud.json`` and rewritten after every start, so a crash in the middle
of ``up`` still leaves ``down`` the PIDs it must stop.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pydantic import ValidationError

from squall.devcloud.config import DevcloudConfig
from squall.devcloud.procs import Tracked
from squall.errors import DevcloudError


@dataclass
class State:
    config: DevcloudConfig
    procs: list[Tracked] = field(default_factory=list)
    ready: bool = False

    def tracked(self, name: str) -> Tracked | None:
        return next((proc for proc in self.procs if proc.name == name), None)

    def record(self, proc: Tracked) -> None:
        self.procs = [p for p in self.procs if p.name != proc.name] + [proc]
        save(self)


def load(path: Path) -> State | None:
    """The recorded state, or None when this directory holds no devcloud yet."""
    try:
        raw = json.loads(path.read_text())
        return State(
            config=DevcloudConfig.model_validate(raw["config"]),
            procs=[Tracked(**proc) for proc in raw["procs"]],
            ready=bool(raw["ready"]),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, ValidationError) as exc:
        raise DevcloudError(
            f"cannot read the devcloud record {path}: {exc}",
            hint="stop any devcloud process by hand, then delete that file",
        ) from None


def save(state: State) -> None:
    path = state.config.state_file
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {
        "config": state.config.model_dump(mode="json"),
        "procs": [asdict(proc) for proc in state.procs],
        "ready": state.ready,
    }
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(body, indent=2) + "\n")
    os.replace(tmp, path)
