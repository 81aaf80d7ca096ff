"""Bring a devcloud up: packages, configs, MariaDB and RabbitMQ, DB syncs, services, seed.

``up`` is idempotent: on a healthy devcloud it changes nothing. When any step fails it
stops every process it started, so nothing blocks the next ``up``, and raises one
``DevcloudError`` carrying the tail of the failing service's log.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from squall.devcloud import install, procs, render
from squall.devcloud.config import HOST, IMAGE_NAME, DevcloudConfig
from squall.devcloud.control import (
    ServiceStatus,
    exclusive,
    launch,
    merge_clouds_yaml,
    service_env,
    status,
    stop,
)
from squall.devcloud.schemas import Step, sync_chains
from squall.devcloud.services import (
    Service,
    all_services,
    infra_services,
    keystone_service,
    openstack_services,
)
from squall.devcloud.state import State, load, save
from squall.errors import DevcloudError

Reporter = Callable[[str], None]
SEED_SCRIPT = Path(__file__).with_name("seed.py")
RETIRED_VOLUME_HOSTS = (f"{render.VOLUME_HOST}@fake",)
"""cinder-volume hosts of earlier devclouds (cinder's fake driver, before the file one)."""
API_TIMEOUT = 180.0
COMPUTE_TIMEOUT = 240.0


@dataclass(frozen=True)
class UpResult:
    config: DevcloudConfig
    started: bool
    """False when a healthy devcloud was already running and nothing changed."""
    seconds: float


def _quiet(_: str) -> None:
    pass


def up(config: DevcloudConfig, report: Reporter = _quiet) -> UpResult:
    """Bring the devcloud in ``config.directory`` up, or leave a healthy one alone."""
    t0 = time.monotonic()
    install.require_root()
    with _exclusive(config, report):
        previous = load(config.state_file)
        if previous is not None and _already_up(previous, report):
            merge_clouds_yaml(previous.config.clouds_yaml, previous.config)
            return UpResult(previous.config, False, time.monotonic() - t0)
        if previous is not None:
            _refuse_moved_ports(previous.config, config)
        bringup = _Bringup(config, report, t0)
        bringup.run()
    return UpResult(config, True, time.monotonic() - t0)


def _exclusive(config: DevcloudConfig, report: Reporter) -> contextlib.AbstractContextManager[None]:
    """One ``up`` at a time per directory: a second one waits, then finds it healthy."""

    def waiting() -> None:
        report(f"another `squall devcloud up` is running in {config.directory}; waiting")

    return exclusive(config, waiting)


def _already_up(previous: State, report: Reporter = _quiet) -> bool:
    """True for a healthy devcloud; raises on a half-started one; False if all stopped."""
    alive = [p for p in previous.procs if procs.is_alive(p)]
    if not alive:
        return False
    statuses = status(previous.config)
    same_squall = install.venv_ready(previous.config)
    broken = blocking(statuses, {p.name for p in previous.procs}, same_squall=same_squall)
    if previous.ready and not broken:
        absent = [s.name for s in statuses if not s.ok]
        if absent:
            report(
                f"this devcloud was brought up by another squall, without {', '.join(absent)}; "
                "`squall devcloud down` then `up` brings it up to date"
            )
        return True
    what = ", ".join(f"{s.name} {s.state}" for s in broken) or "its bring-up never finished"
    raise DevcloudError(
        f"a devcloud in {previous.config.directory} is half up ({what})",
        hint="run `squall devcloud down` to stop what is left (add --wipe to start from "
        "scratch), then `squall devcloud up` again",
    )


def blocking(
    statuses: list[ServiceStatus], recorded: set[str], *, same_squall: bool
) -> list[ServiceStatus]:
    """The services that make a running devcloud half up: every one not running, except,
    on a devcloud brought up by another squall (another venv fingerprint), the services
    that squall never started (a newer squall's additions, such as cinder-backup)."""
    return [s for s in statuses if not s.ok and (same_squall or s.name in recorded)]


def _refuse_moved_ports(recorded: DevcloudConfig, wanted: DevcloudConfig) -> None:
    """nova keeps its database and RabbitMQ URLs in its own tables: no moving them."""
    if recorded.ports == wanted.ports or not (wanted.data / "mysql.initialized").exists():
        return
    moved = [
        f"{name} {port}->{getattr(wanted.ports, name)}"
        for name, port in recorded.ports.model_dump().items()
        if getattr(wanted.ports, name) != port
    ]
    raise DevcloudError(
        f"the devcloud in {wanted.directory} was set up on other ports ({', '.join(moved)})",
        hint="run `squall devcloud down --wipe` first to start over on new ports, or use "
        "another --dir",
    )


class _Bringup:
    """One run of ``up``: the steps in order, and the cleanup when one fails."""

    def __init__(self, config: DevcloudConfig, report: Reporter, t0: float) -> None:
        self.config = config
        self.report = report
        self.t0 = t0
        self.state = State(config)
        self.env = service_env(config)

    def say(self, message: str) -> None:
        self.report(f"[{time.monotonic() - self.t0:6.1f}s] {message}")

    def run(self) -> None:
        self.check_ports()
        self.make_directories()
        save(self.state)
        try:
            self.install()
            self.write_files()
            self.start_infra()
            self.sync_databases()
            self.start_keystone()
            self.seed_identity()
            self.start_services()
            self.wait_for_apis()
            self.seed("resources")
            self.discover_hosts()
            self.forget_retired_backends()
        except DevcloudError:
            self.say("bring-up failed: stopping what it started")
            stop(self.state)
            raise
        except BaseException as exc:  # Ctrl-C, or a bug: still stop what was started
            self.say("bring-up interrupted: stopping what it started")
            stop(self.state)
            if isinstance(exc, Exception):
                raise DevcloudError(
                    f"devcloud bring-up failed unexpectedly: {exc!r}",
                    hint=f"every process was stopped; the logs are in {self.config.logs}",
                ) from exc
            raise
        self.state.ready = True
        save(self.state)
        merge_clouds_yaml(self.config.clouds_yaml, self.config)
        self.say(f"devcloud ready; clouds.yaml entry 'devcloud' in {self.config.clouds_yaml}")

    # -- preparation -------------------------------------------------------------------

    def check_ports(self) -> None:
        for service in all_services(self.config):
            if service.port is None or procs.port_free(service.port):
                continue
            owner = procs.listener_pid(service.port)
            who = f"PID {owner} ({procs.command_line(owner)[:80]})" if owner else "another program"
            raise DevcloudError(
                f"port {HOST}:{service.port} for {service.name} is already taken by {who}",
                hint="stop that program, or give the devcloud other ports with --port-offset "
                "or --port NAME=PORT",
            )

    def make_directories(self) -> None:
        config = self.config
        for path in (config.logs, config.run, config.etc, config.data / "locks"):
            path.mkdir(parents=True, exist_ok=True)
        for sub in ("images", "glance-staging", "glance-tasks", "nova", "rabbitmq"):
            (config.data / sub).mkdir(parents=True, exist_ok=True)
        for sub in ("cinder/volumes", "cinder-backups"):
            (config.data / sub).mkdir(parents=True, exist_ok=True)
        for host in config.compute_hosts():
            (config.data / "nova" / host).mkdir(exist_ok=True)

    def install(self) -> None:
        self.say("checking Debian packages and the OpenStack venv")
        with ThreadPoolExecutor(max_workers=1) as pool:
            apt = pool.submit(install.ensure_debian_packages, self.config.logs / "apt.log")
            install.ensure_venv(self.config, self.config.logs / "pip.log", self.say)
            apt.result()

    def write_files(self) -> None:
        for path, text in render.files(self.config).items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        venv_etc = self.config.venv / "etc"
        for project, name in (
            ("nova", "api-paste.ini"),
            ("neutron", "api-paste.ini"),
            ("glance", "glance-api-paste.ini"),
            ("cinder", "api-paste.ini"),
        ):
            shutil.copy(venv_etc / project / name, self.config.etc / project / name)
        clouds = {"clouds": render.clouds_entries(self.config)}
        (self.config.directory / "clouds.yaml").write_text(json.dumps(clouds, indent=2) + "\n")
        seed = {
            "password": self.config.password,
            "computes": self.config.computes,
            "timeout": COMPUTE_TIMEOUT,
            "image_name": IMAGE_NAME,
            "image_file": str(self.write_image()),
            "catalog": self.catalog(),
        }
        (self.config.directory / "seed.json").write_text(json.dumps(seed, indent=2) + "\n")

    def write_image(self) -> Path:
        """A small stand-in for cirros: the fake virt driver never reads it."""
        path = self.config.data / f"{IMAGE_NAME}.img"
        path.write_bytes(b"squall devcloud fake cirros image\n".ljust(64 * 1024, b"\0"))
        return path

    def catalog(self) -> list[dict[str, str]]:
        ports = self.config.ports
        return [
            {"user": "glance", "type": "image", "name": "glance", "url": f"http://{HOST}:{ports.glance}"},
            {"user": "placement", "type": "placement", "name": "placement", "url": f"http://{HOST}:{ports.placement}"},
            {"user": "nova", "type": "compute", "name": "nova", "url": f"http://{HOST}:{ports.nova}/v2.1"},
            {"user": "neutron", "type": "network", "name": "neutron", "url": f"http://{HOST}:{ports.neutron}"},
            {"user": "cinder", "type": "block-storage", "name": "cinderv3", "url": f"http://{HOST}:{ports.cinder}/v3"},
        ]  # fmt: skip

    # -- processes ---------------------------------------------------------------------

    def start(self, service: Service) -> procs.Tracked:
        return launch(self.state, service)

    def fail(self, service: Service, what: str) -> DevcloudError:
        parts = [f"{service.name} {what}"]
        for name in service.logs:
            log = self.config.logs / name
            if log.exists() and log.stat().st_size:
                parts.append(f"--- last lines of {log}:\n{install.tail(log)}")
        return DevcloudError(
            "\n".join(parts),
            hint=f"read the logs in {self.config.logs}; every process was stopped, so "
            "`squall devcloud up` can simply be run again",
        )

    def wait_until(self, service: Service, ready: Callable[[], bool], timeout: float) -> None:
        proc = self.state.tracked(service.name)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc is not None and not procs.is_alive(proc):
                procs.reap()
                raise self.fail(service, "exited while starting")
            if ready():
                return
            time.sleep(0.5)
        raise self.fail(service, f"did not answer within {timeout:.0f} s")

    def wait_for(self, service: Service, timeout: float = API_TIMEOUT) -> None:
        if service.url:
            url = service.url
            self.wait_until(service, lambda: procs.http_answers(url, timeout=5), timeout)
        elif service.port:
            port = service.port
            self.wait_until(service, lambda: procs.port_open(port), timeout)

    def start_infra(self) -> None:
        mariadb, epmd, rabbitmq = infra_services(self.config)
        self.init_mariadb()
        self.say("starting MariaDB and RabbitMQ")
        self.start(mariadb)
        self.start(epmd)
        self.wait_for(epmd, 30)
        self.start(rabbitmq)
        self.wait_for(mariadb, 60)
        sql = render.create_databases_sql(self.config)
        if not self.mysql(sql):
            raise self.fail(mariadb, "refused to create the databases")
        self.wait_for(rabbitmq, 90)

    def mysql(self, sql: str) -> bool:
        """Run ``sql`` as MariaDB's root, over the socket."""
        argv = ["mariadb", f"--defaults-file={self.config.etc / 'mariadb.cnf'}"]
        with (self.config.logs / "mysql.out").open("ab") as out:
            result = subprocess.run(
                argv, input=sql.encode(), stdout=out, stderr=subprocess.STDOUT, env=self.env
            )
        return result.returncode == 0

    def init_mariadb(self) -> None:
        datadir, marker = self.config.data / "mysql", self.config.data / "mysql.initialized"
        if marker.exists():
            return
        shutil.rmtree(datadir, ignore_errors=True)
        datadir.mkdir()
        self.say("initialising the MariaDB data directory")
        argv = [
            "mariadb-install-db",
            f"--defaults-file={self.config.etc / 'mariadb.cnf'}",
            "--auth-root-authentication-method=socket",
            "--skip-test-db",
        ]
        log = self.config.logs / "mariadb-install.out"
        if not install.run_logged(argv, log, env=self.env):
            raise DevcloudError(
                f"mariadb-install-db failed; last lines of {log}:\n{install.tail(log)}",
                hint=f"read {self.config.logs / 'mariadb.log'}, then run `squall devcloud up` "
                "again",
            )
        marker.touch()

    # -- databases and seeding -------------------------------------------------------

    def sync_databases(self) -> None:
        marker = self.config.data / "schemas.synced"
        # keystone's bootstrap records its own URL and the admin password: redo on change
        fingerprint = f"{install.venv_fingerprint(self.config)} {self.config.auth_url}"
        fingerprint += " " + hashlib.sha256(self.config.password.encode()).hexdigest()
        if marker.exists() and marker.read_text().strip() == fingerprint:
            self.say("database schemas already match this OpenStack venv")
            return
        marker.unlink(missing_ok=True)
        (self.config.data / "identity.seeded").unlink(missing_ok=True)
        self.say("creating the OpenStack database schemas (3 chains in parallel)")
        self.run_sync_chains()
        marker.write_text(fingerprint + "\n")

    def seed_identity(self) -> None:
        """Users, projects and catalog: once per set of databases (ports never move on them)."""
        marker = self.config.data / "identity.seeded"
        if marker.exists():
            self.say("devstack's default identity is already there")
            return
        self.seed("identity")
        marker.touch()

    def run_sync_chains(self) -> None:
        chains = sync_chains(self.config)
        with ThreadPoolExecutor(max_workers=len(chains)) as pool:
            futures = {
                name: pool.submit(self.run_chain, name, steps) for name, steps in chains.items()
            }
        for name, future in futures.items():
            if not future.result():
                log = self.config.logs / f"sync-{name}.out"
                raise DevcloudError(
                    f"the {name} database setup failed; last lines of {log}:\n{install.tail(log)}",
                    hint="every process was stopped; fix the cause and run `squall devcloud up` "
                    "again (add `down --wipe` first to start from empty databases)",
                )

    def run_chain(self, name: str, steps: list[Step]) -> bool:
        log = self.config.logs / f"sync-{name}.out"
        for argv, ok_codes in steps:
            with log.open("ab") as out:
                out.write(f"\n$ {' '.join(argv)}\n".encode())
            code = _run_code(argv, log, self.env)
            if code not in ok_codes:
                return False
        return True

    def start_keystone(self) -> None:
        self.say("starting keystone")
        keystone = keystone_service(self.config)
        self.start(keystone)
        self.wait_for(keystone)

    def seed(self, step: str) -> None:
        self.say(f"creating devstack's default {step}")
        log = self.config.logs / f"seed-{step}.out"
        seed_json = str(self.config.directory / "seed.json")
        argv = [str(self.config.venv / "bin" / "python"), str(SEED_SCRIPT), step, seed_json]
        if not self.run_watched(argv, log):
            raise DevcloudError(
                f"creating the devcloud's default {step} failed; last lines of {log}:\n"
                + install.tail(log),
                hint=f"read the service logs in {self.config.logs}; every process was stopped, "
                "so `squall devcloud up` can simply be run again",
            )

    def run_watched(self, argv: list[str], log: Path) -> bool:
        """Run ``argv`` while watching the services: one that dies fails the step at once."""
        by_name = {service.name: service for service in all_services(self.config)}
        with log.open("ab") as out:
            out.write(f"\n$ {' '.join(argv)}\n".encode())
            out.flush()
            child = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=self.env
            )
        while True:
            try:
                return child.wait(timeout=1) == 0
            except subprocess.TimeoutExpired:
                pass
            dead = [p for p in self.state.procs if not procs.is_alive(p)]
            if dead:
                child.kill()
                child.wait()
                procs.reap()
                raise self.fail(by_name[dead[0].name], "exited while the devcloud was starting")

    def start_services(self) -> None:
        self.say("starting placement, glance, neutron, cinder and nova")
        for service in openstack_services(self.config):
            self.start(service)

    def wait_for_apis(self) -> None:
        for service in openstack_services(self.config):
            self.wait_for(service)
        self.say("all APIs answer; waiting for the computes")

    def discover_hosts(self) -> None:
        nova = str(self.config.venv / "bin" / "nova-manage")
        argv = [
            nova,
            "--config-file",
            str(self.config.etc / "nova" / "nova.conf"),
            "cell_v2",
            "discover_hosts",
        ]
        log = self.config.logs / "discover-hosts.out"
        if not install.run_logged(argv, log, env=self.env):
            raise DevcloudError(
                f"nova could not map its compute hosts; last lines of {log}:\n{install.tail(log)}",
                hint="every process was stopped; run `squall devcloud up` again",
            )

    def forget_retired_backends(self) -> None:
        """Move volumes off the backends this devcloud no longer runs, then drop those
        backends' service rows (cinder would list them as down forever). Idempotent:
        cinder-manage accepts a host with no volume and no service."""
        pool = f"{render.VOLUME_HOST}@{render.VOLUME_BACKEND}#{render.VOLUME_BACKEND}"
        for host in RETIRED_VOLUME_HOSTS:
            # their files never existed: they can still be deleted from the new backend
            self.cinder_manage("volume", "update_host", "--currenthost", host, "--newhost", pool)
            self.cinder_manage("service", "remove", "cinder-volume", host)
        self.cinder_manage("volume", "update_service")

    def cinder_manage(self, *args: str) -> None:
        conf = str(self.config.etc / "cinder" / "cinder.conf")
        argv = [str(self.config.venv / "bin" / "cinder-manage"), "--config-file", conf, *args]
        log = self.config.logs / "cinder-manage.out"
        if not install.run_logged(argv, log, env=self.env):
            raise DevcloudError(
                f"`cinder-manage {' '.join(args)}` failed; last lines of {log}:\n"
                + install.tail(log),
                hint="every process was stopped; run `squall devcloud up` again",
            )


def _run_code(argv: list[str], log: Path, env: dict[str, str]) -> int:
    with log.open("ab") as out:
        return subprocess.run(
            argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env
        ).returncode
