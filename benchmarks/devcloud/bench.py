"""Devcloud figures: bring-up from scratch, re-up with the venv kept, idle RSS, 20 boots.

    sudo .venv/bin/python benchmarks/devcloud/bench.py [--dir DIR] [--keep] [--skip-scratch]

"From scratch" uses a fresh directory (new venv from PyPI, new databases) on ports moved
by --port-offset and its own clouds.yaml, so a devcloud already running on this machine is
left alone (but shares the CPU: stop it for clean figures). The Debian packages are
assumed installed (apt adds ~30 s, in parallel with pip). Goals from issue 3: scratch
<= 240 s, re-up <= 120 s on 2 cores. Prints the figures as JSON and writes them to --json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from squall.devcloud import down, load_config, status, up
from squall.devcloud.config import IMAGE_NAME


def _say(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


def timed_up(config) -> float:
    started = time.monotonic()
    up(config, report=_say)
    return time.monotonic() - started


def idle_rss(config, settle: float) -> dict[str, float]:
    time.sleep(settle)
    return {row.name: row.rss_bytes / 2**20 for row in status(config)}


def boot_many(count: int) -> dict[str, float]:
    import openstack

    local = threading.local()
    conns = [openstack.connect(cloud="devcloud") for _ in range(count)]
    for conn in conns:
        conn.authorize()
    admin = conns[0]
    image = admin.image.find_image(IMAGE_NAME)
    flavor = admin.compute.find_flavor("m1.nano")
    net = admin.network.find_network("private")
    lock = threading.Lock()
    pool = list(conns)

    def conn():
        if not hasattr(local, "conn"):
            with lock:
                local.conn = pool.pop()
        return local.conn

    def boot(i: int) -> float:
        c = conn()
        t0 = time.monotonic()
        server = c.compute.create_server(
            name=f"squall-bench-{i}",
            image_id=image.id,
            flavor_id=flavor.id,
            networks=[{"uuid": net.id}],
        )
        c.compute.wait_for_server(server, interval=1, wait=600)
        return time.monotonic() - t0

    started = time.monotonic()
    with ThreadPoolExecutor(count) as ex:
        each = sorted(ex.map(boot, range(count)))
    wall = time.monotonic() - started
    servers = list(admin.compute.servers(name="squall-bench-"))
    for server in servers:
        admin.compute.delete_server(server)
    for server in servers:
        admin.compute.wait_for_delete(server, interval=1, wait=300)
    return {"wall_s": wall, "median_s": each[len(each) // 2], "max_s": each[-1]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", type=Path, default=None, help="scratch devcloud directory")
    parser.add_argument("--keep", action="store_true", help="leave the scratch devcloud up")
    parser.add_argument("--port-offset", type=int, default=100)
    parser.add_argument(
        "--reuse-venv", action="store_true", help="link the default devcloud's venv: no scratch"
    )
    parser.add_argument("--boots", type=int, default=20)
    parser.add_argument("--json", type=Path, default=Path("devcloud-bench.json"))
    args = parser.parse_args()

    scratch_dir = args.dir or Path(tempfile.mkdtemp(prefix="squall-devcloud-bench-"))
    config = load_config(
        directory=scratch_dir,
        port_offset=args.port_offset,
        clouds_yaml=scratch_dir / "bench-clouds.yaml",
    )
    os.environ["OS_CLIENT_CONFIG_FILE"] = str(config.clouds_yaml)
    figures: dict[str, object] = {"directory": str(config.directory)}
    if args.reuse_venv:
        config.directory.mkdir(parents=True, exist_ok=True)
        (config.directory / "venv").symlink_to(load_config().venv)
    else:
        _say(f"from scratch in {config.directory}")
        figures["scratch_up_s"] = timed_up(config)
    down(config, wipe=True)
    _say("re-up with the venv kept (databases wiped)")
    figures["reup_wiped_s"] = timed_up(config)
    down(config)
    _say("re-up with the venv and databases kept")
    figures["reup_kept_s"] = timed_up(config)
    rss = idle_rss(config, settle=30)
    figures["idle_rss_mib"] = rss
    figures["idle_rss_total_mib"] = sum(rss.values())
    _say(f"{args.boots} concurrent boots")
    figures["boots"] = boot_many(args.boots)
    if not args.keep:
        down(config, wipe=True)
        if args.dir is None:
            shutil.rmtree(scratch_dir, ignore_errors=True)
    args.json.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
