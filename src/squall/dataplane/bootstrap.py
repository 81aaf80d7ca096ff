"""Cloud-init user-data that installs and starts the agent on a stock cloud image (pure).

The OpenStack provider passes this as a server's ``user_data``: a shell script (which
cloud-init runs on Ubuntu, Debian, CentOS... images) that optionally installs the tools
with the image's package manager, writes the agent bundle and its config, checks the
bundle's HMAC under the run secret before running anything, and starts the agent.
No custom image is needed, and nothing but the signed bundle ever runs.

Nova accepts at most 65,535 bytes of user-data (base64); the bundle is ~18 KB.
"""

from __future__ import annotations

import base64
import json
import shlex
from typing import Any

from squall.dataplane.bundle import bundle_signature_bytes

MAX_USER_DATA = 65535
DEFAULT_PACKAGES = ("python3", "iperf3", "fio", "nginx-light", "iputils-ping")

_SCRIPT = """\
#!/bin/sh
# squall data-plane agent bootstrap (run {run})
set -eu
umask 077
mkdir -p {home}
cd {home}
{install}
cat > agent.pyz.b64 <<'SQUALL_BUNDLE'
{bundle}
SQUALL_BUNDLE
cat > agent.json <<'SQUALL_CONFIG'
{config}
SQUALL_CONFIG
python3 - <<'SQUALL_CHECK'
import base64, hashlib, hmac, json, sys
config = json.load(open("agent.json"))
data = base64.b64decode(open("agent.pyz.b64").read())
digest = hmac.new(config["secret"].encode(), data, hashlib.sha256).hexdigest()
if not hmac.compare_digest(digest, "{signature}"):
    sys.exit("squall: the agent bundle does not match its signature; not starting it")
open("agent.pyz", "wb").write(data)
SQUALL_CHECK
rm -f agent.pyz.b64
nohup python3 agent.pyz --config agent.json >> agent.log 2>&1 &
"""

_INSTALL = """\
if command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || true
    apt-get install -y -qq --no-install-recommends {packages} || true
elif command -v dnf >/dev/null 2>&1; then
    dnf install -y -q {packages} || true
fi"""


class UserDataTooLarge(ValueError):
    """The rendered user-data exceeds what Nova accepts."""


def render_user_data(
    bundle: bytes,
    config: dict[str, Any],
    *,
    packages: tuple[str, ...] = DEFAULT_PACKAGES,
    home: str = "/opt/squall-agent",
) -> str:
    """The user-data script for one instance; ``config`` must hold ``secret``."""
    secret = str(config["secret"])
    install = (
        _INSTALL.format(packages=" ".join(shlex.quote(p) for p in packages)) if packages else ""
    )
    text = _SCRIPT.format(
        run=str(config.get("run", "")),
        home=shlex.quote(home),
        install=install,
        bundle=base64.encodebytes(bundle).decode("ascii").strip(),
        config=json.dumps(config, sort_keys=True),
        signature=bundle_signature_bytes(bundle, secret),
    )
    if len(base64.b64encode(text.encode())) > MAX_USER_DATA:
        raise UserDataTooLarge(
            f"user-data is {len(text)} bytes; Nova takes {MAX_USER_DATA} after base64"
        )
    return text
