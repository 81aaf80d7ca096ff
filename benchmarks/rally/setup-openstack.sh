#!/usr/bin/env bash
# Rally 5.1.1 with rally-openstack from PyPI in a venv of its own, for the cleanup
# benchmark (benchmarks/openstack/cleanup_500.py drives rally-openstack's cleanup
# manager). Kept apart from .benchmarks-venv/rally so the engine benchmark's Rally
# loads no OpenStack plugins. Idempotent.
#
#   bash benchmarks/rally/setup-openstack.sh
#   RALLY_OPENSTACK_VENV=/some/dir bash benchmarks/rally/setup-openstack.sh
set -euo pipefail

RALLY_VERSION="5.1.1"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="${RALLY_OPENSTACK_VENV:-$repo_root/.benchmarks-venv/rally-openstack}"
python="${PYTHON:-python3}"

if "$venv/bin/python" -c 'import rally_openstack' 2>/dev/null; then
    echo "rally-openstack already installed in $venv"
else
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet "rally==$RALLY_VERSION" rally-openstack
fi
"$venv/bin/python" -c 'import rally, rally_openstack; from rally_openstack.task.cleanup import manager; print("rally", rally.__version__ if hasattr(rally, "__version__") else "", "rally-openstack ok")'
"$venv/bin/pip" list 2>/dev/null | grep -iE '^(rally|rally-openstack|openstacksdk|python-novaclient) '
