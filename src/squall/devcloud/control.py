"""Look at, start and stop a devcloud: ``status``, one service started or stopped by
name, ``down``, ``env``, and the clouds.yaml merge."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

from squall.devcloud import procs, render
from squall.devcloud.config import DevcloudConfig
from squall.devcloud.services import INFRA, Probe, Service, all_services
from squall.devcloud.state import State, load, save
from squall.errors import DevcloudError

INFRA_GRACE = 20.0
"""MariaDB and RabbitMQ stop cleanly on SIGTERM but may take a few seconds."""
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


@dataclass(frozen=True)
class ServiceStatus:
    name: str
    state: str
    """``running``, ``not answering``, ``stopped``, or ``port taken by PID``."""
    port: int | None
    pid: int | None
    rss_bytes: int

    @property
    def ok(self) -> bool:
        return self.state == "running"


def effective_config(config: DevcloudConfig) -> DevcloudConfig:
    """The settings a devcloud in ``config.directory`` was started with, if any."""
    state = load(config.state_file)
    return state.config if state else config


def _probe(service: Service) -> bool:
    if service.probe is Probe.HTTP and service.url:
        return procs.http_answers(service.url, timeout=3)
    if service.probe is Probe.TCP and service.port:
        return procs.port_open(service.port)
    return True


def _service_status(service: Service, tracked: procs.Tracked | None) -> ServiceStatus:
    alive = tracked is not None and procs.is_alive(tracked)
    if not alive:
        owner = procs.listener_pid(service.port) if service.port else None
        state = f"port taken by PID {owner}" if owner else "stopped"
        return ServiceStatus(service.name, state, service.port, None, 0)
    assert tracked is not None
    rss = procs.rss_bytes(procs.tree_pids(tracked.pid))
    state = "running" if _probe(service) else "not answering"
    return ServiceStatus(service.name, state, service.port, tracked.pid, rss)


def status(config: DevcloudConfig) -> list[ServiceStatus]:
    """Probe every service of the devcloud in ``config.directory``, concurrently."""
    state = load(config.state_file)
    config = state.config if state else config
    services = all_services(config)
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(
            pool.map(
                lambda svc: _service_status(svc, state.tracked(svc.name) if state else None),
                services,
            )
        )


def service_env(config: DevcloudConfig) -> dict[str, str]:
    """The environment every devcloud service and setup command runs with (plus its own)."""
    return {
        "PATH": f"{config.venv / 'bin'}:{SYSTEM_PATH}",
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        "PYTHONWARNINGS": "ignore",
        "OS_CLIENT_CONFIG_FILE": str(config.directory / "clouds.yaml"),
    }


def _nothing() -> None:
    return None


@contextlib.contextmanager
def exclusive(config: DevcloudConfig, on_wait: Callable[[], None] = _nothing) -> Iterator[None]:
    """Hold the devcloud's lock: one ``up``, or one service start/stop, at a time per
    directory (each rewrites the record). ``on_wait`` is called before blocking."""
    config.directory.mkdir(parents=True, exist_ok=True)
    with (config.directory / "up.lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            on_wait()
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def launch(state: State, service: Service) -> procs.Tracked:
    """Start ``service`` detached, output appended to its log, and record it in ``state``
    (the caller holds the lock). The one way devcloud processes are started."""
    config = state.config
    config.logs.mkdir(parents=True, exist_ok=True)
    log = config.logs / f"{service.name}.out"
    env = {**service_env(config), **service.env}
    started = procs.spawn(service.argv, env=env, log=log, cwd=config.directory)
    state.record(started)
    return started


def _recorded(config: DevcloudConfig) -> State:
    state = load(config.state_file)
    if state is None:
        raise DevcloudError(
            f"no devcloud is recorded in {config.directory}", hint="squall devcloud up"
        )
    return state


def find_service(config: DevcloudConfig, name: str) -> Service:
    """The service called ``name``; an unknown name is an error that lists the known ones."""
    services = all_services(config)
    found = next((s for s in services if s.name == name), None)
    if found is None:
        known = ", ".join(s.name for s in services)
        raise DevcloudError(f"the devcloud has no service {name!r}", hint=f"services: {known}")
    return found


def service_status(config: DevcloudConfig, name: str) -> ServiceStatus:
    """One service's state, probed as ``status`` probes it."""
    state = load(config.state_file)
    config = state.config if state else config
    return _service_status(find_service(config, name), state.tracked(name) if state else None)


def start_service(config: DevcloudConfig, name: str) -> procs.Tracked:
    """Start one recorded devcloud service again, the way ``up`` started it; a service
    that runs already is left alone. Returns its process (does not wait for it to answer:
    ``service_status`` tells)."""
    with exclusive(config):
        state = _recorded(config)
        service = find_service(state.config, name)
        tracked = state.tracked(name)
        if tracked is not None and procs.is_alive(tracked):
            return tracked
        return launch(state, service)


def stop_service(config: DevcloudConfig, name: str, grace: float | None = None) -> str:
    """Stop one devcloud service's process tree (SIGTERM, SIGKILL after ``grace``
    seconds, the devcloud's ``stop_grace`` by default): ``stopped``, ``killed``, or
    ``not running``. ``start_service`` brings it back."""
    with exclusive(config):
        state = _recorded(config)
        find_service(state.config, name)
        tracked = state.tracked(name)
        if tracked is None or not procs.is_alive(tracked):
            return "not running"
        wait = state.config.stop_grace if grace is None else grace
        outcome = procs.terminate([tracked], wait).get(name, "stopped")
        state.procs = [p for p in state.procs if p.name != name or procs.is_alive(p)]
        save(state)
        return outcome


def stop(state: State) -> dict[str, str]:
    """Stop every recorded process tree, OpenStack first, then MariaDB and RabbitMQ."""
    grace = state.config.stop_grace
    services = [p for p in state.procs if p.name not in INFRA]
    infra = [p for p in state.procs if p.name in INFRA]
    outcome = procs.terminate(services, grace)
    outcome.update(procs.terminate(infra, max(grace, INFRA_GRACE)))
    state.procs = [p for p in state.procs if procs.is_alive(p)]
    state.ready = False
    save(state)
    if state.procs:
        names = ", ".join(f"{p.name} (PID {p.pid})" for p in state.procs)
        raise DevcloudError(
            f"these devcloud processes survived SIGKILL: {names}",
            hint="they may be stuck in the kernel (state D); check `ps` and retry `down`",
        )
    return outcome


def down(config: DevcloudConfig, *, wipe: bool = False) -> dict[str, str]:
    """Stop the processes this devcloud started; with ``wipe`` also delete its data.

    The venv is kept even with ``wipe``: it depends only on the constraints file.
    """
    state = load(config.state_file)
    outcome: dict[str, str] = {}
    if state is not None:
        config = state.config
        outcome = stop(state)
    if wipe:
        wipe_directory(config)
        remove_clouds_entries(config.clouds_yaml, config)
    return outcome


def wipe_directory(config: DevcloudConfig) -> None:
    if not config.directory.is_dir():
        return
    for entry in config.directory.iterdir():
        if entry == config.venv:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def env_text(config: DevcloudConfig, user: str = "admin") -> str:
    if user not in ("admin", "demo"):
        raise DevcloudError(f"unknown devcloud user {user!r}", hint="use admin or demo")
    return render.env_exports(effective_config(config), user)


def _read_clouds(path: Path) -> dict[str, object]:
    try:
        loaded = yaml.safe_load(path.read_text()) if path.exists() else None
    except (OSError, yaml.YAMLError) as exc:
        raise DevcloudError(
            f"cannot merge the devcloud entry into {path}: {exc}",
            hint="fix that file (it is not valid YAML) or pass --clouds-yaml elsewhere",
        ) from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict) or not isinstance(loaded.get("clouds", {}), dict):
        raise DevcloudError(
            f"cannot merge the devcloud entry into {path}: it is not a clouds.yaml mapping",
            hint="fix that file or pass --clouds-yaml elsewhere",
        )
    return loaded


def merge_clouds_yaml(path: Path, config: DevcloudConfig) -> bool:
    """Put the devcloud entries into ``path``, keeping every other entry; True if written."""
    document = _read_clouds(path)
    clouds = dict(document.get("clouds") or {})  # type: ignore[call-overload]
    entries = render.clouds_entries(config)
    if all(clouds.get(name) == entry for name, entry in entries.items()):
        return False
    clouds.update(entries)
    document["clouds"] = clouds
    _write_yaml(path, document)
    return True


def remove_clouds_entries(path: Path, config: DevcloudConfig) -> None:
    document = _read_clouds(path)
    clouds = dict(document.get("clouds") or {})  # type: ignore[call-overload]
    names = [name for name in render.clouds_entries(config) if name in clouds]
    if not names:
        return
    for name in names:
        del clouds[name]
    document["clouds"] = clouds
    _write_yaml(path, document)


def _write_yaml(path: Path, document: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(yaml.safe_dump(document, sort_keys=False, default_flow_style=False))
    tmp.chmod(path.stat().st_mode & 0o777 if path.exists() else 0o600)
    tmp.replace(path)
