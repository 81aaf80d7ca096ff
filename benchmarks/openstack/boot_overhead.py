"""squall's boot_and_delete durations vs the same openstacksdk calls made directly.

    .venv/bin/python benchmarks/openstack/boot_overhead.py [--times 20] [--concurrency 2]
        [--rounds 2] [--interval 0.25]

Both sides boot ``--times`` servers (m1.nano, the cirros image, no network) at
``--concurrency`` on the devcloud as its admin, each iteration: create the server,
poll it every ``--interval`` s until ACTIVE, delete it, poll until it is gone (the
same poll settings on both sides, squall's through the scenario's ``waits``).
squall runs ``NovaServers.boot_and_delete_server`` through ``squall task start``;
the direct side makes the calls from one process with a thread per concurrent
iteration and times each with ``time.monotonic()``. The sides alternate for
``--rounds`` rounds; by default the two sides run at the same time (each at
``--concurrency``), so the shared devcloud's load, which moves a boot by seconds,
hits both alike (``--alternate``: one after the other).

Figures: mean and median iteration duration, squall's over direct's (goal: at most
1.02, "overhead <= 2 %"), with a 95 % bootstrap interval of the ratio of means and
what it decides (pass, fail, or undecided when the cloud's own spread is wider than
2 %); squall's own time per iteration (the iteration minus its atomic actions:
journal writes, name generation) as a share of the iteration, against the same 2 %.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    admin_connection,
    describe,
    ratio_line,
    say,
    squall_task,
    stored_iterations,
)

from squall.devcloud.config import IMAGE_NAME

FLAVOR = "m1.nano"
GOAL = 1.02


def squall_side(args: argparse.Namespace, workdir: Path) -> tuple[list[float], list[float]]:
    wait = {"prepoll": 0, "interval": args.interval}
    task = {
        "NovaServers.boot_and_delete_server": [
            {
                "args": {
                    "image": {"name": IMAGE_NAME},
                    "flavor": {"name": FLAVOR},
                    "waits": {"nova_server_boot": wait, "nova_server_delete": wait},
                },
                "runner": {
                    "type": "constant",
                    "times": args.times,
                    "concurrency": args.concurrency,
                },
            }
        ]
    }
    run = squall_task(task, workdir, "--cloud", "devcloud")
    if run.code != 0 or not run.run_id:
        raise SystemExit(f"squall failed (exit {run.code}):\n{run.out[-3000:]}")
    iterations = stored_iterations(workdir, run.run_id)
    failed = [i for i in iterations if i.error]
    if failed:
        raise SystemExit(f"squall: {len(failed)} iterations failed: {failed[0].error}")
    totals = [i.duration for i in iterations]
    atomics = [sum(a.duration for a in i.atomic_actions) for i in iterations]
    return totals, atomics


def gone_after_get(compute: Any, server_id: str) -> bool:
    """One ``GET /servers/{id}``: True once nova answers 404 (``find_server`` would list
    servers by name after a 404, a second call squall's waiter does not make)."""
    from openstack import exceptions

    try:
        compute.get_server(server_id)
    except exceptions.NotFoundException:
        return True
    return False


def direct_side(args: argparse.Namespace, conn: Any) -> list[float]:
    compute = conn.compute
    image = conn.image.find_image(IMAGE_NAME, ignore_missing=False).id
    flavor = compute.find_flavor(FLAVOR, ignore_missing=False).id
    counter = iter(range(args.times))
    lock = threading.Lock()

    def one(_: int) -> float:
        with lock:
            number = next(counter)
        started = time.monotonic()
        server = compute.create_server(
            name=f"squall-bench-direct-{number}",
            image_id=image,
            flavor_id=flavor,
            networks="none",
        )
        while compute.get_server(server.id).status != "ACTIVE":
            time.sleep(args.interval)
        compute.delete_server(server)
        while gone_after_get(compute, server.id) is False:  # one GET a poll, as squall's
            time.sleep(args.interval)
        return time.monotonic() - started

    try:
        with ThreadPoolExecutor(args.concurrency) as pool:
            return list(pool.map(one, range(args.times)))
    finally:  # nothing left behind, even when a call failed
        for server in compute.servers(name="^squall-bench-direct-"):
            compute.delete_server(server, ignore_missing=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--times", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--interval", type=float, default=0.25)
    parser.add_argument(
        "--alternate",
        dest="together",
        action="store_false",
        help="run the sides one after the other (default: both at once, same cloud load)",
    )
    args = parser.parse_args()
    conn = admin_connection()
    squall_totals: list[float] = []
    squall_atomics: list[float] = []
    direct: list[float] = []
    with tempfile.TemporaryDirectory(prefix="squall-boot-bench-") as tmp:
        for round_ in range(args.rounds):
            workdir = Path(tmp) / f"r{round_}"
            if args.together:
                say(f"round {round_ + 1}: squall and direct openstacksdk at the same time")
                with ThreadPoolExecutor(1) as side:
                    squall_run = side.submit(squall_side, args, workdir)
                    direct += direct_side(args, conn)
                    totals, atomics = squall_run.result()
            else:
                say(f"round {round_ + 1}: squall")
                totals, atomics = squall_side(args, workdir)
                say(f"round {round_ + 1}: direct openstacksdk")
                direct += direct_side(args, conn)
            squall_totals += totals
            squall_atomics += atomics
    print(f"squall iterations: {describe(squall_totals)}")
    print(f"squall atomics:    {describe(squall_atomics)}")
    print(f"direct iterations: {describe(direct)}")
    print(f"poll interval {args.interval} s on both sides (quantises every figure)")
    own = [t - a for t, a in zip(squall_totals, squall_atomics, strict=True)]
    share = statistics.fmean(own) / statistics.fmean(squall_totals)
    print(
        f"squall's own time per iteration (iteration - atomic actions: journal, names): "
        f"mean {statistics.fmean(own) * 1000:.1f} ms = {share:.2%} of the iteration"
    )
    for name, pick in (("mean", statistics.fmean), ("median", statistics.median)):
        s, d = pick(squall_totals), pick(direct)
        print(ratio_line(f"boot_and_delete-{name}", s, d, "<= 1.02", s / d <= 1.02))
    low, high = ratio_interval(squall_totals, direct)
    print(f"ratio of means, 95 % bootstrap interval: [{low:.4f}, {high:.4f}]: {verdict(low, high)}")
    print(
        f"squall's own time, goal <= 2 % of the iteration: {share:.2%}: "
        f"{'PASS' if share <= 0.02 else 'FAIL'}"
    )


def ratio_interval(
    squall: list[float], direct: list[float], resamples: int = 10_000, seed: int = 1
) -> tuple[float, float]:
    """95 % interval of mean(squall) / mean(direct), each side resampled on its own."""
    rng = np.random.default_rng(seed)
    a, b = np.asarray(squall), np.asarray(direct)
    means_a = rng.choice(a, size=(resamples, a.size)).mean(axis=1)
    means_b = rng.choice(b, size=(resamples, b.size)).mean(axis=1)
    low, high = np.percentile(means_a / means_b, [2.5, 97.5])
    return float(low), float(high)


def verdict(low: float, high: float, goal: float = GOAL) -> str:
    """What the interval says of the goal: met, missed, or not decided by this sample."""
    if high <= goal:
        return f"PASS (even the upper end is <= {goal})"
    if low > goal:
        return f"FAIL (even the lower end is > {goal})"
    return f"UNDECIDED: the cloud's own spread is wider than the {goal - 1:.0%} goal; add --rounds"


if __name__ == "__main__":
    main()
