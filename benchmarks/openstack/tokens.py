"""Keystone tokens issued per run, counted by keystone itself: at most users x clouds.

    .venv/bin/python benchmarks/openstack/tokens.py [--tenants 2] [--users-per-tenant 2]
        [--times 200] [--concurrency 8]

squall authenticates at a second keystone of the devcloud (``SideKeystone``: same
database and keys, its own port and access log, default token lifetime), so its
access log holds only this run's requests. The task runs
``Authenticate.validate_nova`` (two nova calls per iteration) and
``Authenticate.validate_neutron`` with a ``users`` context each; every account that
authenticates (the admin, and the users each workload's context creates) may cost
one token. Figure: ``POST /v3/auth/tokens`` answered 201 in keystone's log against
that number of accounts (one cloud).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import deployment_file, ratio_line, say, squall_task

from squall.devcloud import load_config
from squall.testing.keystone import SideKeystone


def task(args: argparse.Namespace) -> dict[str, object]:
    users = {"tenants": args.tenants, "users_per_tenant": args.users_per_tenant}
    runner = {"type": "constant", "times": args.times, "concurrency": args.concurrency}
    return {
        "Authenticate.validate_nova": [
            {"args": {"repetitions": 2}, "runner": runner, "context": {"users": users}}
        ],
        "Authenticate.validate_neutron": [
            {"args": {"repetitions": 2}, "runner": runner, "context": {"users": users}}
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tenants", type=int, default=2)
    parser.add_argument("--users-per-tenant", type=int, default=2)
    parser.add_argument("--times", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="squall-tokens-bench-") as tmp:
        workdir = Path(tmp)
        with SideKeystone(load_config(), workdir=workdir) as keystone:
            deployment = deployment_file(workdir / "deployment.yaml", keystone.auth_url)
            before = keystone.token_requests()
            say(f"squall task start against {keystone.auth_url}")
            run = squall_task(task(args), workdir / "run", "--deployment", str(deployment))
            tokens = keystone.token_requests() - before
    if run.code != 0:
        raise SystemExit(f"squall failed (exit {run.code}):\n{run.out[-3000:]}")
    workloads = 2
    accounts = 1 + workloads * args.tenants * args.users_per_tenant
    iterations = workloads * args.times
    print(
        f"run {run.run_id}: {iterations} iterations, {accounts} accounts "
        f"(admin + {workloads} workloads x {args.tenants} tenants x "
        f"{args.users_per_tenant} users), 1 cloud; wall {run.wall:.1f} s"
    )
    print(f"keystone's access log: {tokens} tokens issued (POST /v3/auth/tokens -> 201)")
    print(
        ratio_line(
            "tokens-per-run", tokens, accounts, "tokens <= users x clouds", tokens <= accounts
        )
    )


if __name__ == "__main__":
    main()
