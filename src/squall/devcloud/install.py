"""Put the devcloud's software on the machine: Debian packages and the OpenStack venv."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from squall.devcloud.config import EXTRA_PACKAGES, OPENSTACK_RELEASES, DevcloudConfig
from squall.errors import DevcloudError

# qemu-utils: cinder probes every image with qemu-img before writing it to a volume
DEBIAN_PACKAGES = ("mariadb-server", "mariadb-client", "rabbitmq-server", "qemu-utils")
REQUIRED_BINARIES = (
    "/usr/sbin/mariadbd",
    "/usr/bin/mariadb",
    "/usr/bin/mariadb-install-db",
    "/usr/bin/epmd",
    "/usr/lib/rabbitmq/bin/rabbitmq-server",
    "/usr/lib/rabbitmq/bin/rabbitmqctl",
    "/usr/bin/qemu-img",
)
POLICY_RC_D = Path("/usr/sbin/policy-rc.d")
DRIVERS_SOURCE = Path(__file__).with_name("drivers")
"""The devcloud's own neutron, cinder and nova drivers: a package pip installs."""
MARKER = ".squall-devcloud"


def tail(path: Path, lines: int = 25) -> str:
    """The last ``lines`` lines of a log file, or a note that it is missing or empty."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"({path} does not exist)"
    kept = [line for line in text.splitlines() if line.strip()][-lines:]
    return "\n".join(kept) if kept else f"({path} is empty)"


def run_logged(argv: list[str], log: Path, *, env: dict[str, str] | None = None) -> bool:
    """Run ``argv`` to completion with its output appended to ``log``; True on exit 0."""
    with log.open("ab") as out:
        out.write(f"\n$ {' '.join(argv)}\n".encode())
        out.flush()
        result = subprocess.run(
            argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env
        )
    return result.returncode == 0


def require_root() -> None:
    if os.geteuid() != 0:
        raise DevcloudError(
            "squall devcloud must run as root: it installs Debian packages and starts "
            "MariaDB and RabbitMQ under their own system users",
            hint="run it with sudo, or as root on a throwaway machine or container",
        )


def missing_binaries() -> list[str]:
    return [path for path in REQUIRED_BINARIES if not Path(path).exists()]


def ensure_debian_packages(log: Path) -> None:
    """apt-get install MariaDB, RabbitMQ and qemu-img unless they are there; never start them."""
    if not missing_binaries():
        return
    created_policy = not POLICY_RC_D.exists()
    if created_policy:  # keep apt from starting the services through init scripts
        POLICY_RC_D.write_text("#!/bin/sh\nexit 101\n")
        POLICY_RC_D.chmod(0o755)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        ok = run_logged(["apt-get", "update", "-qq"], log, env=env) and run_logged(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *DEBIAN_PACKAGES],
            log,
            env=env,
        )
    finally:
        if created_policy:
            POLICY_RC_D.unlink(missing_ok=True)
    if not ok or missing_binaries():
        raise DevcloudError(
            f"apt-get could not install {' '.join(DEBIAN_PACKAGES)}; last lines of {log}:\n"
            + tail(log),
            hint="check that the Debian archive is reachable and `apt-get update` works, "
            "then run `squall devcloud up` again",
        )


def venv_fingerprint(config: DevcloudConfig) -> str:
    """Changes whenever the pins (not the comments), the releases or the drivers change."""
    digest = hashlib.sha256()
    pins = [line.split("#")[0].strip() for line in config.constraints.read_text().splitlines()]
    digest.update("\n".join(pin for pin in pins if pin).encode())
    digest.update("\n".join((*OPENSTACK_RELEASES, *EXTRA_PACKAGES)).encode())
    for path in _driver_files():
        digest.update(str(path.relative_to(DRIVERS_SOURCE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _driver_files() -> list[Path]:
    """The drivers' sources (no caches or build leftovers), in a stable order."""
    files = [DRIVERS_SOURCE / "pyproject.toml", *DRIVERS_SOURCE.rglob("*.py")]
    return sorted(path for path in files if path.is_file())


def venv_ready(config: DevcloudConfig) -> bool:
    marker = config.venv / MARKER
    try:
        return marker.read_text().strip() == venv_fingerprint(config)
    except OSError:
        return False


def ensure_venv(config: DevcloudConfig, log: Path, report: Callable[[str], None]) -> None:
    """(Re)build the devcloud venv unless it was built from these exact constraints."""
    if not config.constraints.is_file():
        raise DevcloudError(
            f"constraints file {config.constraints} does not exist",
            hint="pass an existing file with --constraints, or drop the option to use the "
            "one squall ships",
        )
    if venv_ready(config):
        return
    report(f"installing OpenStack into {config.venv} (a few minutes the first time)")
    pip = str(config.venv / "bin" / "pip")
    ok = run_logged([sys.executable, "-m", "venv", "--clear", str(config.venv)], log)
    ok = ok and run_logged(
        [pip, "install", "-q", "-c", str(config.constraints), *OPENSTACK_RELEASES, *EXTRA_PACKAGES],
        log,
    )
    with tempfile.TemporaryDirectory(prefix="squall-drivers-") as tmp:
        # pip builds in a copy: the installed squall package may be read-only
        source = Path(tmp) / "drivers"
        shutil.copytree(DRIVERS_SOURCE, source, ignore=shutil.ignore_patterns("__pycache__"))
        ok = ok and run_logged([pip, "install", "-q", "--no-deps", str(source)], log)
    if not ok:
        raise DevcloudError(
            f"pip could not install OpenStack into {config.venv}; last lines of {log}:\n"
            + tail(log),
            hint="check that the package index is reachable and that the constraints file "
            "resolves, then run `squall devcloud up` again (it retries from a clean venv)",
        )
    (config.venv / MARKER).write_text(venv_fingerprint(config) + "\n")
