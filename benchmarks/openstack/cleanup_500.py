"""Cleanup of 500 leftover resources: squall's time and API calls (and Rally's).

    .venv/bin/python benchmarks/openstack/cleanup_500.py [--per-kind 100] [--rate 20]
        [--no-rally]

Creates, as the devcloud's admin, ``--per-kind`` each of networks, subnets (one per
network), routers, security groups and volumes (5 x 100 = 500), named as the
leftovers of a squall run that was killed before it could write its journal
(``squall-<run8>-<rand>``: found by name alone). Then times squall's cleanup of
that run, in-process, through the same functions ``squall cleanup --run ID`` calls
(``find_leftovers`` + ``clean``, default rate limit ``--rate`` calls/s), counting
every HTTP request its connection sends. Figures: wall time, API calls, calls per
resource, resources left (must be 0).

Rally's side (unless ``--no-rally``, and when ``benchmarks/rally/setup-openstack.sh``
installed rally-openstack): the same 500 kinds of leftovers named as a Rally task's
(``s_rally_<task>_<rand>``), deleted by rally-openstack's cleanup manager
(``benchmarks/openstack/rally_cleanup.py`` in Rally's venv); its API calls are
counted on keystoneauth's ``Session.request`` in that process.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, admin_connection, say

RALLY_VENV = Path(os.environ.get("RALLY_OPENSTACK_VENV", ROOT / ".benchmarks-venv/rally-openstack"))


def create_leftovers(conn: Any, names: list[str], per_kind: int, prefix: str) -> None:
    """``per_kind`` resources of each kind, named from ``names`` (5 x per_kind of them,
    all starting with ``prefix``)."""
    pool = iter(names)
    lock = threading.Lock()

    def name() -> str:
        with lock:
            return next(pool)

    def network_and_subnet(i: int) -> None:
        net = conn.network.create_network(name=name())
        conn.network.create_subnet(
            name=name(), network_id=net.id, ip_version=4, cidr=f"10.{200 + i // 250}.{i % 250}.0/24"
        )

    def volume(_: int) -> None:
        conn.block_storage.create_volume(name=name(), size=1)

    makers: list[Callable[[int], object]] = [
        network_and_subnet,
        lambda _: conn.network.create_router(name=name()),
        lambda _: conn.network.create_security_group(name=name()),
        volume,
    ]
    with ThreadPoolExecutor(8) as ex:
        for make in makers:
            list(ex.map(make, range(per_kind)))
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:  # volumes must settle before anyone deletes them
        volumes = conn.block_storage.volumes()
        if all(v.status == "available" for v in volumes if (v.name or "").startswith(prefix)):
            return
        time.sleep(2)


def count_named(conn: Any, prefix: str) -> dict[str, int]:
    """How many resources of each created kind are named ``prefix...``."""
    listings = {
        "network": conn.network.networks(),
        "subnet": conn.network.subnets(),
        "router": conn.network.routers(),
        "security_group": conn.network.security_groups(),
        "volume": conn.block_storage.volumes(),
    }
    counts = {
        kind: sum(1 for r in listing if (r.name or "").startswith(prefix))
        for kind, listing in listings.items()
    }
    return {kind: n for kind, n in counts.items() if n}


def counting(conn: Any) -> Counter[str]:
    """Count every request the connection's keystoneauth session sends, by method."""
    calls: Counter[str] = Counter()
    original = conn.session.request

    def request(url: str, method: str, *args: Any, **kwargs: Any) -> Any:
        calls[method.upper()] += 1
        return original(url, method, *args, **kwargs)

    conn.session.request = request
    return calls


def squall_side(per_kind: int, rate: float) -> dict[str, Any]:
    from squall.openstack.credentials import from_clouds_yaml
    from squall.openstack.naming import NameGenerator
    from squall.openstack.session import UserSession
    from squall.openstack.sweep import clean, find_leftovers

    run_id = uuid.uuid4().hex
    names = NameGenerator(run_id)
    admin = admin_connection()
    prefix = f"squall-{run_id[:8]}-"
    say(f"squall: creating {5 * per_kind} leftovers of run {run_id}")
    create_leftovers(admin, [names() for _ in range(5 * per_kind)], per_kind, prefix)
    created = sum(count_named(admin, prefix).values())
    spec = from_clouds_yaml("devcloud")
    assert spec.admin is not None
    session = UserSession.open(spec, spec.admin)
    calls = counting(session.conn)
    say(f"squall: cleaning {created} resources (rate {rate}/s)")
    started = time.monotonic()
    search = find_leftovers(session.conn, None, spec, run_id)
    found_after = time.monotonic() - started
    report = clean(session.conn, None, search, rate=rate)
    wall = time.monotonic() - started
    session.close()
    left = count_named(admin, prefix)
    return {
        "tool": "squall",
        "created": created,
        "wall_s": round(wall, 2),
        "find_s": round(found_after, 2),
        "api_calls": sum(calls.values()),
        "by_method": dict(calls),
        "deleted": len(report.deleted),
        "failed": len(report.failed),
        "left": left,
        "rate_limit_per_s": rate,
    }


def rally_side(per_kind: int) -> dict[str, Any]:
    script = Path(__file__).resolve().parent / "rally_cleanup.py"
    python = RALLY_VENV / "bin" / "python"
    if not python.exists():
        return {"tool": "rally", "skipped": f"no {python}: run benchmarks/rally/setup-openstack.sh"}
    task_id = str(uuid.uuid4())
    spec = _admin_spec()
    names = json.loads(
        subprocess.run(
            [str(python), str(script), "names", task_id, str(5 * per_kind)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    admin = admin_connection()
    say(f"rally: creating {len(names)} leftovers of task {task_id}")
    prefix = names[0][: names[0].rindex("_") + 1]
    create_leftovers(admin, names, per_kind, prefix)
    created = sum(count_named(admin, prefix).values())
    say(f"rally: cleaning {created} resources")
    started = time.monotonic()
    proc = subprocess.run(
        [str(python), str(script), "cleanup", task_id, json.dumps(spec)],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.monotonic() - started
    left = count_named(admin, prefix)
    result: dict[str, Any] = {
        "tool": "rally",
        "created": created,
        "wall_s": round(wall, 2),
        "api_calls": _rally_calls(proc.stdout),
        "left": left,
        "exit": proc.returncode,
    }
    if proc.returncode != 0:
        result["stderr_tail"] = proc.stderr[-1500:]
    if left:
        _remove_named(admin, prefix)
    return result


def _admin_spec() -> dict[str, str]:
    from squall.openstack.credentials import from_clouds_yaml

    spec = from_clouds_yaml("devcloud")
    assert spec.admin is not None
    return {
        "auth_url": spec.auth_url,
        "username": str(spec.admin.username),
        "password": str(spec.admin.password),
        "project_name": str(spec.admin.project_name),
        "region_name": spec.region_name or "RegionOne",
    }


def _rally_calls(stdout: str) -> int | None:
    """The request count rally_cleanup.py printed (keystoneauth's, in Rally's process)."""
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    return int(json.loads(lines[-1])["api_calls"]) if lines else None


def _remove_named(conn: Any, prefix: str) -> None:
    """squall's cleanup deletes what Rally's left (so the benchmark leaves nothing)."""
    from squall.openstack.cleanup import Cleaner, plan
    from squall.openstack.inventory import discover

    found = discover(conn, lambda n: n.startswith(prefix)).found
    Cleaner(conn, None, rate=100).run(plan([], found))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-kind", type=int, default=100)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--no-rally", action="store_true")
    args = parser.parse_args()
    results = [squall_side(args.per_kind, args.rate)]
    if not args.no_rally:
        results.append(rally_side(args.per_kind))
    for result in results:
        print(json.dumps(result))
    squall = results[0]
    per = squall["api_calls"] / max(squall["created"], 1)
    print(
        f"cleanup-500: squall {squall['wall_s']} s, {squall['api_calls']} API calls "
        f"({per:.2f} per resource), left {squall['left'] or 'none'}"
    )
    if len(results) > 1 and "wall_s" in results[1]:
        rally = results[1]
        print(
            f"cleanup-500: rally {rally['wall_s']} s, {rally['api_calls']} API calls, "
            f"left {rally['left'] or 'none'}; time ratio squall/rally "
            f"{squall['wall_s'] / max(rally['wall_s'], 1e-9):.2f}"
        )


if __name__ == "__main__":
    main()
